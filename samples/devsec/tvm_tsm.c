// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample TVM-side ("devsec") TEE Security Manager for the devsec simulated
 * PCI topology.
 *
 * What it demonstrates:
 *
 * - Registering a devsec TSM with the tsm class (tsm_register() with
 *   &pci_tsm_ops.devsec_ops) below a faux device, /sys/bus/faux/devices/
 *   devsec_tsm.  Its pci_mode is "devsec": it locks and accepts devices
 *   rather than connecting them.
 *
 * - lock, accept and unlock written as step functions of the PCI/TSM
 *   request + exec engine (pci_tsm_req_steps()).  In a confidential VM the host has already
 *   connected the device; this sample speaks to the device itself, so
 *   lock first negotiates SPDM (GET_VERSION, GET_CAPABILITIES,
 *   NEGOTIATE_ALGORITHMS) and opens a secure session (spdm_session.c),
 *   which carries every TDISP message (PCIe r6.1 sec 11.3) until unlock:
 *
 *   lock:   TDISP GET_DEVICE_INTERFACE_STATE, STOP_INTERFACE if the
 *           interface is not CONFIG_UNLOCKED (an owner before us left it
 *           locked), LOCK_INTERFACE, GET_DEVICE_INTERFACE_STATE
 *           (CONFIG_LOCKED)
 *   accept: GET_DEVICE_INTERFACE_REPORT (in portions), handed to the core
 *           with pci_tsm_accept_report(), START_INTERFACE with the nonce
 *           from LOCK_INTERFACE, GET_DEVICE_INTERFACE_STATE (RUN)
 *   unlock: STOP_INTERFACE, END_SESSION; when the session ended under the
 *           lock (a MAC failure ends it, DSP0277) a new one is opened
 *           first, so that the interface is never left locked
 *
 * Only the Device Security Manager (function 0, which owns the DOE
 * mailbox) is locked by this sample.
 */
#include <linux/cleanup.h>
#include <linux/device/faux.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-tdisp.h>
#include <linux/pci-tsm.h>
#include <linux/slab.h>
#include <linux/tsm.h>
#include <linux/unaligned.h>
#include <uapi/linux/pci-tsm-netlink.h>

#include "devsec.h"
#include "spdm.h"
#include "spdm_session.h"

#define DEVSEC_TSM_NAME			"devsec_tsm"
/* Largest SPDM response accepted outside the session */
#define DEVSEC_TSM_RSP_MAX		SZ_1K
/* Largest interface report this sample reads */
#define DEVSEC_TSM_REPORT_MAX		SZ_4K
/* Bytes of report asked for per GET_DEVICE_INTERFACE_REPORT */
#define DEVSEC_TSM_REPORT_CHUNK		512
/*
 * MMIO reporting offset given in LOCK_INTERFACE: the device reports its
 * ranges with it added, the core subtracts it again.
 */
#define DEVSEC_TSM_MMIO_OFFSET		BIT_ULL(44)

enum devsec_tsm_state {
	/* every request starts at 0 */
	DEVSEC_LOCK_START = 0,
	DEVSEC_ACCEPT_START = 0,
	DEVSEC_UNLOCK_START = 0,
	/* SPDM set up and session, for lock and for unlock without one */
	DEVSEC_SETUP_VERSION,
	DEVSEC_SETUP_CAPABILITIES,
	DEVSEC_SETUP_ALGORITHMS,
	DEVSEC_SETUP_SESSION,
	/* lock */
	DEVSEC_LOCK_FOUND,
	DEVSEC_LOCK_STOPPED,
	DEVSEC_LOCK_LOCKED,
	DEVSEC_LOCK_STATE,
	/* accept */
	DEVSEC_ACCEPT_REPORT,
	DEVSEC_ACCEPT_STARTED,
	DEVSEC_ACCEPT_STATE,
	/* unlock */
	DEVSEC_UNLOCK_STOPPED,
	DEVSEC_UNLOCK_CLOSE,
};

/**
 * struct devsec_tsm_dsm - per-DSM context
 * @pf0: PCI/TSM core context, first
 * @session: SPDM session carrying TDISP, open from lock to unlock
 * @req: SPDM request outside the session
 * @rsp: SPDM response outside the session
 * @msg: TDISP request being built
 * @nonce: START_INTERFACE nonce from LOCK_INTERFACE
 * @report: interface report being read
 * @report_len: bytes of @report read so far
 * @locked: counted in devsec_tsm_nr_locked
 * @tdisp_sent: the lock got as far as the session: the interface may have
 *	left CONFIG_UNLOCKED, so unlock must reach it even without a session
 */
struct devsec_tsm_dsm {
	struct pci_tsm_pf0 pf0;
	struct devsec_spdm_session session;
	u8 req[128] __aligned(8);
	u8 rsp[DEVSEC_TSM_RSP_MAX] __aligned(8);
	u8 msg[64] __aligned(8);
	u8 nonce[PCI_TDISP_NONCE_SIZE];
	u8 report[DEVSEC_TSM_REPORT_MAX];
	size_t report_len;
	bool locked;
	bool tdisp_sent;
};

static struct faux_device *devsec_tsm_fdev;
static struct tsm_dev *devsec_tsm_dev;

/*
 * Evidence a guest TSM reports for a locked device: in a real TVM it comes
 * from the host's TSM; here the certs and transcript attributes, by
 * default the sample chain and measurement blocks.
 */
static struct devsec_blob devsec_tsm_certs;
static struct devsec_blob devsec_tsm_transcript;
static u8 devsec_tsm_meas[DEVSEC_MEAS_RECORD_LEN];
static atomic_t devsec_tsm_nr_locked = ATOMIC_INIT(0);

static int devsec_tsm_evidence(struct devsec_tsm_dsm *dsm)
{
	const struct devsec_cert_chain *chain = devsec_sample_chain();
	struct pci_tsm *tsm = &dsm->pf0.base_tsm;
	int rc;

	rc = devsec_blob_evidence(&devsec_tsm_certs, tsm,
				  PCI_TSM_EVIDENCE_TYPE_CERT0, chain->data,
				  chain->len);
	return rc ?: devsec_blob_evidence(&devsec_tsm_transcript, tsm,
					  PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS,
					  devsec_tsm_meas,
					  sizeof(devsec_tsm_meas));
}

static struct devsec_tsm_dsm *to_devsec_tsm_dsm(struct pci_tsm *tsm)
{
	return container_of(tsm, struct devsec_tsm_dsm, pf0.base_tsm);
}

/* Send an SPDM request of @len bytes at @dsm->req outside the session */
static int devsec_tsm_spdm_send(struct pci_tsm_req *req,
				struct devsec_tsm_dsm *dsm, size_t len,
				int next)
{
	req->state = next;
	return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, dsm->req, len,
			       dsm->rsp, sizeof(dsm->rsp));
}

static void devsec_tsm_spdm_hdr(struct devsec_tsm_dsm *dsm, u8 version,
				u8 code, u8 param1)
{
	memset(dsm->req, 0, sizeof(dsm->req));
	*(struct spdm_header *)dsm->req = (struct spdm_header) {
		.version = version,
		.code = code,
		.param1 = param1,
	};
}

/* Check the SPDM response to the last exchange; return its length */
static int devsec_tsm_spdm_rsp(struct pci_tsm_req *req,
			       struct devsec_tsm_dsm *dsm, u8 code,
			       size_t min_len)
{
	const struct spdm_header *hdr = (const void *)dsm->rsp;
	int len = req->doe.rsp_len;

	if (len < 0)
		return len;
	if (len < sizeof(*hdr) || len > sizeof(dsm->rsp))
		return -EIO;
	if (hdr->code == SPDM_ERROR) {
		pci_dbg(req->pdev, "SPDM: ERROR %#x\n", hdr->param1);
		return -EIO;
	}
	if (hdr->code != code || len < min_len)
		return -EIO;
	return len;
}

/* Send TDISP request @type with @len bytes of parameters after the header */
static int devsec_tsm_tdisp_send(struct pci_tsm_req *req,
				 struct devsec_tsm_dsm *dsm, u8 type,
				 size_t len, int next)
{
	struct pci_tdisp_hdr *hdr = (struct pci_tdisp_hdr *)dsm->msg;

	/*
	 * The device ended the session under a lock (a MAC failure): the
	 * interface is unusable until unlock and lock again
	 */
	if (!devsec_spdm_session_is_open(&dsm->session)) {
		pci_dbg(req->pdev, "TDISP: no SPDM session\n");
		return -EIO;
	}
	*hdr = (struct pci_tdisp_hdr) {
		.version = PCI_TDISP_VERSION_1_0,
		.type = type,
		.function_id = cpu_to_le32(pci_dev_id(req->pdev)),
	};
	req->state = next;
	return devsec_spdm_session_vendor_send(req, &dsm->session,
					       SPDM_PCISIG_PROTOCOL_TDISP,
					       dsm->msg, sizeof(*hdr) + len);
}

/*
 * Collect a TDISP response of @type, at least @min_len bytes, for our
 * function.  Return its length, @msg pointing at it.
 */
static int devsec_tsm_tdisp_rsp(struct pci_tsm_req *req,
				struct devsec_tsm_dsm *dsm, u8 type,
				size_t min_len, const u8 **msg)
{
	const struct pci_tdisp_hdr *hdr;
	int len;

	len = devsec_spdm_session_vendor_recv(req, &dsm->session, msg);
	if (len < 0)
		return len;
	hdr = (const void *)*msg;
	if (len < sizeof(*hdr) || hdr->version != PCI_TDISP_VERSION_1_0 ||
	    get_unaligned_le32(&hdr->function_id) != pci_dev_id(req->pdev))
		return -EIO;
	if (hdr->type == PCI_TDISP_ERROR) {
		const struct pci_tdisp_error_rsp *err = (const void *)*msg;

		if (len >= sizeof(*err))
			pci_dbg(req->pdev, "TDISP: ERROR %#x\n",
				get_unaligned_le32(&err->error_code));
		return -EIO;
	}
	if (hdr->type != type || len < min_len)
		return -EIO;
	return len;
}

/*
 * Collect a DEVICE_INTERFACE_STATE response: 0 when it reports @expected,
 * -EPROTO for another state, -EIO for anything else the device sent
 */
static int devsec_tsm_tdisp_state(struct pci_tsm_req *req,
				  struct devsec_tsm_dsm *dsm, u8 expected)
{
	const u8 *msg;
	int rc;

	rc = devsec_tsm_tdisp_rsp(req, dsm, PCI_TDISP_INTERFACE_STATE,
				  sizeof(struct pci_tdisp_state_rsp), &msg);
	if (rc < 0)
		return rc;
	rc = pci_tdisp_check_state(msg, rc, expected);
	if (rc == -EPROTO)
		pci_dbg(req->pdev, "interface in state %u, not %u\n",
			((const struct pci_tdisp_state_rsp *)msg)->state,
			expected);
	/* a malformed response is the device's fault, not the caller's */
	return rc && rc != -EPROTO ? -EIO : rc;
}

static int devsec_tsm_setup_algorithms(struct pci_tsm_req *req,
				       struct devsec_tsm_dsm *dsm)
{
	struct spdm_negotiate_algorithms_req *algs = (void *)dsm->req;
	size_t len;

	devsec_tsm_spdm_hdr(dsm, SPDM_VERSION_12, SPDM_NEGOTIATE_ALGORITHMS,
			    DEVSEC_SPDM_SESSION_NR_ALGS);
	len = sizeof(*algs) + devsec_spdm_session_alg_structs(algs->alg_structs);
	algs->length = cpu_to_le16(len);
	algs->meas_spec = SPDM_MEAS_SPEC_DMTF;
	algs->base_asym_algo = cpu_to_le32(SPDM_ASYM_ECDSA_ECC_NIST_P384);
	algs->base_hash_algo = cpu_to_le32(SPDM_HASH_SHA_384);
	return devsec_tsm_spdm_send(req, dsm, len, DEVSEC_SETUP_ALGORITHMS);
}

/* Start the SPDM set up: GET_VERSION also makes the device drop any session */
static int devsec_tsm_setup_start(struct pci_tsm_req *req,
				  struct devsec_tsm_dsm *dsm)
{
	devsec_spdm_session_init(&dsm->session);
	devsec_tsm_spdm_hdr(dsm, SPDM_VERSION_10, SPDM_GET_VERSION, 0);
	return devsec_tsm_spdm_send(req, dsm,
				    sizeof(struct spdm_get_version_req),
				    DEVSEC_SETUP_VERSION);
}

/*
 * One step of the SPDM set up started by devsec_tsm_setup_start(), in the
 * DEVSEC_SETUP_* states: GET_CAPABILITIES, NEGOTIATE_ALGORITHMS, then the
 * secure session.  Return 0 once the session is open, else what the step
 * function returns (an exchange to run, or an errno).
 */
static int devsec_tsm_setup(struct pci_tsm_req *req, struct devsec_tsm_dsm *dsm)
{
	struct spdm_get_capabilities_req *caps = (void *)dsm->req;
	int rc;

	switch (req->state) {
	case DEVSEC_SETUP_VERSION:
		rc = devsec_tsm_spdm_rsp(req, dsm, SPDM_VERSION,
					 sizeof(struct spdm_version_rsp));
		if (rc < 0)
			return rc;
		rc = spdm_version_rsp_check((const void *)dsm->rsp, rc);
		if (rc < 0)
			return rc;
		devsec_tsm_spdm_hdr(dsm, SPDM_VERSION_12, SPDM_GET_CAPABILITIES,
				    0);
		caps->flags = cpu_to_le32(DEVSEC_SPDM_SESSION_REQ_CAPS);
		caps->data_transfer_size = cpu_to_le32(DEVSEC_TSM_RSP_MAX);
		caps->max_spdm_msg_size = cpu_to_le32(DEVSEC_TSM_RSP_MAX);
		return devsec_tsm_spdm_send(req, dsm, sizeof(*caps),
					    DEVSEC_SETUP_CAPABILITIES);
	case DEVSEC_SETUP_CAPABILITIES:
		rc = devsec_tsm_spdm_rsp(req, dsm, SPDM_CAPABILITIES,
					 sizeof(struct spdm_capabilities_rsp));
		if (rc < 0)
			return rc;
		return devsec_tsm_setup_algorithms(req, dsm);
	case DEVSEC_SETUP_ALGORITHMS:
		rc = devsec_tsm_spdm_rsp(req, dsm, SPDM_ALGORITHMS,
					 sizeof(struct spdm_algorithms_rsp));
		if (rc < 0)
			return rc;
		rc = devsec_spdm_session_check_algs((const void *)dsm->rsp, rc);
		if (rc)
			return rc;
		req->state = DEVSEC_SETUP_SESSION;
		fallthrough;
	case DEVSEC_SETUP_SESSION:
		return devsec_spdm_session_open(req, &dsm->session);
	default:
		return -EINVAL;
	}
}

static int devsec_tsm_send_lock(struct pci_tsm_req *req,
				struct devsec_tsm_dsm *dsm)
{
	struct pci_tdisp_lock_req *lock = (void *)dsm->msg;

	memset(lock, 0, sizeof(*lock));
	lock->mmio_reporting_offset = cpu_to_le64(DEVSEC_TSM_MMIO_OFFSET);
	return devsec_tsm_tdisp_send(req, dsm, PCI_TDISP_LOCK_INTERFACE,
				     sizeof(*lock) - sizeof(lock->hdr),
				     DEVSEC_LOCK_LOCKED);
}

static int devsec_tsm_lock_step(struct pci_tsm_req *req)
{
	struct devsec_tsm_dsm *dsm = to_devsec_tsm_dsm(req->tsm);
	const u8 *msg;
	int rc;

	/*
	 * On abort or failure the session stays as it is: the core runs
	 * the unlock request next, which stops the interface and ends the
	 * session (opening a new one if this one was lost after TDISP
	 * traffic began); the next lock's GET_VERSION drops whatever is
	 * left.
	 */
	if (req->abort)
		return req->abort_reason;

	switch (req->state) {
	case DEVSEC_LOCK_START:
		return devsec_tsm_setup_start(req, dsm);
	case DEVSEC_SETUP_VERSION ... DEVSEC_SETUP_SESSION:
		rc = devsec_tsm_setup(req, dsm);
		if (rc)
			return rc;
		dsm->tdisp_sent = true;
		return devsec_tsm_tdisp_send(req, dsm,
					     PCI_TDISP_GET_INTERFACE_STATE, 0,
					     DEVSEC_LOCK_FOUND);
	case DEVSEC_LOCK_FOUND:
		rc = devsec_tsm_tdisp_state(req, dsm, PCI_TDISP_CONFIG_UNLOCKED);
		if (!rc)
			return devsec_tsm_send_lock(req, dsm);
		if (rc != -EPROTO)
			return rc;
		/*
		 * Locked, running or in ERROR without us: whoever had it
		 * before (a TSM unloaded while its session was lost, a
		 * kexec'd kernel) left it so.  TDISP's STOP_INTERFACE
		 * returns it to CONFIG_UNLOCKED from any state.
		 */
		return devsec_tsm_tdisp_send(req, dsm, PCI_TDISP_STOP_INTERFACE,
					     0, DEVSEC_LOCK_STOPPED);
	case DEVSEC_LOCK_STOPPED:
		rc = devsec_tsm_tdisp_rsp(req, dsm,
					  PCI_TDISP_STOP_INTERFACE_RSP,
					  sizeof(struct pci_tdisp_hdr), &msg);
		if (rc < 0)
			return rc;
		return devsec_tsm_send_lock(req, dsm);
	case DEVSEC_LOCK_LOCKED:
		rc = devsec_tsm_tdisp_rsp(req, dsm,
					  PCI_TDISP_LOCK_INTERFACE_RSP,
					  sizeof(struct pci_tdisp_lock_rsp),
					  &msg);
		if (rc < 0)
			break;
		memcpy(dsm->nonce, ((const struct pci_tdisp_lock_rsp *)msg)->
		       start_interface_nonce, sizeof(dsm->nonce));
		return devsec_tsm_tdisp_send(req, dsm,
					     PCI_TDISP_GET_INTERFACE_STATE, 0,
					     DEVSEC_LOCK_STATE);
	case DEVSEC_LOCK_STATE:
		rc = devsec_tsm_tdisp_state(req, dsm, PCI_TDISP_CONFIG_LOCKED);
		if (!rc)
			rc = devsec_tsm_evidence(dsm);
		if (!rc && !dsm->locked) {
			dsm->locked = true;
			atomic_inc(&devsec_tsm_nr_locked);
		}
		break;
	default:
		rc = -EINVAL;
		break;
	}
	return rc;
}

static int devsec_tsm_accept_step(struct pci_tsm_req *req)
{
	struct devsec_tsm_dsm *dsm = to_devsec_tsm_dsm(req->tsm);
	struct pci_tdisp_report_req *rq = (void *)dsm->msg;
	struct pci_tdisp_start_req *start = (void *)dsm->msg;
	const struct pci_tdisp_report_rsp *rsp;
	size_t portion, remainder;
	const u8 *msg;
	int rc;

	if (req->abort)
		return req->abort_reason;

	switch (req->state) {
	case DEVSEC_ACCEPT_START:
		dsm->report_len = 0;
		break;
	case DEVSEC_ACCEPT_REPORT:
		rc = devsec_tsm_tdisp_rsp(req, dsm, PCI_TDISP_INTERFACE_REPORT,
					  sizeof(*rsp), &msg);
		if (rc < 0)
			return rc;
		rsp = (const void *)msg;
		portion = get_unaligned_le16(&rsp->portion_length);
		remainder = get_unaligned_le16(&rsp->remainder_length);
		if (!portion || portion > DEVSEC_TSM_REPORT_CHUNK ||
		    sizeof(*rsp) + portion > rc ||
		    portion > sizeof(dsm->report) - dsm->report_len ||
		    remainder > sizeof(dsm->report) - dsm->report_len - portion)
			return -EIO;
		memcpy(dsm->report + dsm->report_len, rsp->report, portion);
		dsm->report_len += portion;
		if (!remainder) {
			rc = pci_tsm_accept_report(req->pdev, dsm->report,
						   dsm->report_len,
						   DEVSEC_TSM_MMIO_OFFSET);
			if (rc)
				return rc;
			memcpy(start->start_interface_nonce, dsm->nonce,
			       sizeof(dsm->nonce));
			return devsec_tsm_tdisp_send(req, dsm,
						     PCI_TDISP_START_INTERFACE,
						     sizeof(dsm->nonce),
						     DEVSEC_ACCEPT_STARTED);
		}
		break;
	case DEVSEC_ACCEPT_STARTED:
		rc = devsec_tsm_tdisp_rsp(req, dsm,
					  PCI_TDISP_START_INTERFACE_RSP,
					  sizeof(struct pci_tdisp_hdr), &msg);
		if (rc < 0)
			return rc;
		return devsec_tsm_tdisp_send(req, dsm,
					     PCI_TDISP_GET_INTERFACE_STATE, 0,
					     DEVSEC_ACCEPT_STATE);
	case DEVSEC_ACCEPT_STATE:
		return devsec_tsm_tdisp_state(req, dsm, PCI_TDISP_RUN);
	default:
		return -EINVAL;
	}

	/* Ask for the next portion of the report */
	rq->offset = cpu_to_le16(dsm->report_len);
	rq->length = cpu_to_le16(DEVSEC_TSM_REPORT_CHUNK);
	return devsec_tsm_tdisp_send(req, dsm, PCI_TDISP_GET_INTERFACE_REPORT,
				     sizeof(*rq) - sizeof(rq->hdr),
				     DEVSEC_ACCEPT_REPORT);
}

static int devsec_tsm_unlock_step(struct pci_tsm_req *req)
{
	struct devsec_tsm_dsm *dsm = to_devsec_tsm_dsm(req->tsm);
	const u8 *msg;
	int rc;

	if (req->abort) {
		devsec_spdm_session_init(&dsm->session);
		return req->abort_reason;
	}

	switch (req->state) {
	case DEVSEC_UNLOCK_START:
		if (devsec_spdm_session_is_open(&dsm->session))
			return devsec_tsm_tdisp_send(req, dsm,
						     PCI_TDISP_STOP_INTERFACE,
						     0, DEVSEC_UNLOCK_STOPPED);
		/* A lock that failed before any TDISP request: nothing to undo */
		if (!dsm->tdisp_sent)
			return 0;
		/*
		 * The session ended after TDISP traffic began (a MAC failure
		 * ends it, DSP0277): the interface may be locked, so open a
		 * new session to stop it
		 */
		pci_dbg(req->pdev, "session lost, opening one to stop\n");
		return devsec_tsm_setup_start(req, dsm);
	case DEVSEC_SETUP_VERSION ... DEVSEC_SETUP_SESSION:
		rc = devsec_tsm_setup(req, dsm);
		if (rc)
			return rc;
		return devsec_tsm_tdisp_send(req, dsm, PCI_TDISP_STOP_INTERFACE,
					     0, DEVSEC_UNLOCK_STOPPED);
	case DEVSEC_UNLOCK_STOPPED:
		rc = devsec_tsm_tdisp_rsp(req, dsm,
					  PCI_TDISP_STOP_INTERFACE_RSP,
					  sizeof(struct pci_tdisp_hdr), &msg);
		if (rc < 0 && devsec_spdm_session_is_open(&dsm->session))
			pci_dbg(req->pdev, "STOP_INTERFACE: %d\n", rc);
		req->state = DEVSEC_UNLOCK_CLOSE;
		fallthrough;
	case DEVSEC_UNLOCK_CLOSE:
		return devsec_spdm_session_close(req, &dsm->session);
	default:
		return -EINVAL;
	}
}

static struct pci_tsm *devsec_tsm_alloc(struct tsm_dev *tsm_dev,
					struct pci_dev *pdev)
{
	struct devsec_tsm_dsm *dsm __free(kfree) = NULL;
	int rc;

	if (!devsec_pci_dev(pdev) ||
	    pci_pcie_type(pdev) != PCI_EXP_TYPE_ENDPOINT)
		return ERR_PTR(-ENXIO);

	dsm = kzalloc(sizeof(*dsm), GFP_KERNEL);
	if (!dsm)
		return ERR_PTR(-ENOMEM);
	rc = pci_tsm_pf0_constructor(pdev, &dsm->pf0, tsm_dev);
	if (rc)
		return ERR_PTR(rc);
	devsec_spdm_session_init(&dsm->session);
	return &no_free_ptr(dsm)->pf0.base_tsm;
}

static void devsec_tsm_free(struct pci_tsm *tsm)
{
	struct devsec_tsm_dsm *dsm = to_devsec_tsm_dsm(tsm);

	if (dsm->locked)
		atomic_dec(&devsec_tsm_nr_locked);
	devsec_evidence_free(tsm);
	pci_tsm_pf0_destructor(&dsm->pf0);
	kfree(dsm);
}

/*
 * The operations upstream's core calls, each carried out in steps of one
 * DOE exchange (pci_tsm_req_steps()).  lock() and unlock() own the
 * context: their steps run in requests of their own on it.
 */
static struct pci_tsm *devsec_tsm_lock(struct tsm_dev *tsm_dev,
				       struct pci_dev *pdev)
{
	struct pci_tsm *tsm = devsec_tsm_alloc(tsm_dev, pdev);
	int rc;

	if (IS_ERR(tsm))
		return tsm;
	rc = pci_tsm_req_steps(tsm, PCI_TSM_REQ_LOCK, devsec_tsm_lock_step);
	if (rc) {
		/*
		 * Nothing stays locked: the interface may be CONFIG_LOCKED,
		 * a session open, so undo that part on the wire
		 */
		pci_tsm_req_steps(tsm, PCI_TSM_REQ_UNLOCK,
				  devsec_tsm_unlock_step);
		devsec_tsm_free(tsm);
		return ERR_PTR(rc);
	}
	return tsm;
}

static void devsec_tsm_unlock(struct pci_tsm *tsm)
{
	int rc;

	rc = pci_tsm_req_steps(tsm, PCI_TSM_REQ_UNLOCK, devsec_tsm_unlock_step);
	if (rc && !pci_dev_is_disconnected(tsm->pdev))
		pci_warn(tsm->pdev, "unlock: %d\n", rc);
	devsec_tsm_free(tsm);
}

static int devsec_tsm_accept(struct pci_dev *pdev)
{
	return pci_tsm_req_steps(pdev->tsm, PCI_TSM_REQ_ACCEPT,
				 devsec_tsm_accept_step);
}

static struct pci_tsm_ops devsec_tsm_ops = {
	.lock = devsec_tsm_lock,
	.unlock = devsec_tsm_unlock,
	.accept = devsec_tsm_accept,
};

static bool devsec_tsm_any_locked(void)
{
	return atomic_read(&devsec_tsm_nr_locked);
}

static struct bin_attribute *devsec_tsm_bin_attrs[] = {
	&devsec_tsm_certs.attr,
	&devsec_tsm_transcript.attr,
	NULL
};

static const struct attribute_group devsec_tsm_group = {
	.bin_attrs = devsec_tsm_bin_attrs,
};

static const struct attribute_group *devsec_tsm_groups[] = {
	&devsec_tsm_group,
	NULL
};

static int __init devsec_tsm_init(void)
{
	const struct devsec_cert_chain *chain = devsec_sample_chain();
	struct tsm_dev *tsm_dev;

	devsec_measurement_record(devsec_tsm_meas);
	devsec_blob_init(&devsec_tsm_certs, "certs", devsec_tsm_any_locked,
			 chain->data, chain->len);
	devsec_blob_init(&devsec_tsm_transcript, "transcript",
			 devsec_tsm_any_locked, devsec_tsm_meas,
			 sizeof(devsec_tsm_meas));
	devsec_tsm_fdev = faux_device_create_with_groups(DEVSEC_TSM_NAME, NULL,
							 NULL,
							 devsec_tsm_groups);
	if (!devsec_tsm_fdev)
		return -ENOMEM;

	tsm_dev = tsm_register(&devsec_tsm_fdev->dev, &devsec_tsm_ops);
	if (IS_ERR(tsm_dev)) {
		faux_device_destroy(devsec_tsm_fdev);
		return PTR_ERR(tsm_dev);
	}
	devsec_tsm_dev = tsm_dev;
	return 0;
}
module_init(devsec_tsm_init);

static void __exit devsec_tsm_exit(void)
{
	/* Unlocks every device this TSM locked first */
	tsm_unregister(devsec_tsm_dev);
	faux_device_destroy(devsec_tsm_fdev);
	devsec_blob_free(&devsec_tsm_certs);
	devsec_blob_free(&devsec_tsm_transcript);
}
module_exit(devsec_tsm_exit);

MODULE_IMPORT_NS(DEVSEC);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sample devsec TSM: TDISP lock and accept of devsec PCI devices");
