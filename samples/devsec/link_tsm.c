// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample platform ("link") TEE Security Manager for the devsec simulated
 * PCI topology.
 *
 * What it demonstrates:
 *
 * - Registering a link TSM with the tsm class (tsm_register() with
 *   &pci_tsm_ops.link_ops) below a faux device, /sys/bus/faux/devices/
 *   devsec_link_tsm, which becomes /sys/class/tsm/tsmN/device.
 *
 * - Per-device contexts: ->probe() embeds struct pci_tsm_pf0 for the
 *   Device Security Manager (DSM, function 0 of the endpoint) and struct
 *   pci_tsm for its other functions; ->remove() frees them.
 *
 * - A connect written as a step function for the PCI/TSM request + exec
 *   engine: each call parses the response to the previous DOE exchange and
 *   returns the next one with pci_tsm_req_doe(); the core performs the
 *   exchange on the DSM's CMA mailbox.  The sequence is the SPDM 1.2
 *   (DMTF DSP0274) authentication flow without a secure session:
 *   GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS (SHA-384, ECDSA
 *   P-384), GET_DIGESTS, GET_CERTIFICATE until the slot 0 chain is read,
 *   then CHALLENGE.  That is 6 + N exchanges for a chain read in N pieces.
 *   Every response is treated as hostile and bounds-checked before use.
 *
 * - The certificate chain and the signed transcript are kept in the DSM
 *   context while connected, as device evidence.
 *
 * - Binding a function to a TEE Device Interface (TDI) and forwarding
 *   guest requests: the operations a VMM reaches through pci_tsm_bind(),
 *   pci_tsm_unbind() and pci_tsm_guest_req(), which the faux device's
 *   tsm_bind, tsm_unbind and tsm_request attributes call (write a PCI
 *   device name), as upstream's sample does.
 *
 * What it does not do: cryptography.  The devsec responder simulates it
 * (samples/devsec/spdm.h): digests are spdm_sim_digest(), not SHA-384, and
 * the signature is a fixed pattern.  The requester checks them where a
 * real one verifies SHA-384 digests and the ECDSA P-384 signature over
 * the transcript: the chain read must match the slot 0 digest from
 * DIGESTS, CHALLENGE_AUTH must sign for that same chain, and the
 * signature must be the simulated one.
 */
#include <linux/bitfield.h>
#include <linux/cleanup.h>
#include <linux/device/faux.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-ide.h>
#include <linux/pci-tsm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sockptr.h>
#include <linux/tsm.h>
#include <linux/unaligned.h>
#include <uapi/linux/pci-tsm-netlink.h>

#include "devsec.h"
#include "ide_km.h"
#include "spdm.h"
#include "spdm_session.h"

#define DEVSEC_LINK_NAME	"devsec_link_tsm"

/*
 * Largest SPDM response accepted in one DOE exchange, advertised to the
 * responder as the requester's DataTransferSize and MaxSPDMmsgSize.
 * DSP0274 1.2 requires at least 42 bytes (MinDataTransferSize).
 */
#define DEVSEC_SPDM_RSP_MAX		SZ_4K
/* Longest request this requester sends (CHALLENGE) */
#define DEVSEC_SPDM_REQ_MAX		64
/*
 * Certificate chain size cap.  A slot's chain length is a 16-bit field in
 * SPDM 1.2 (DSP0274 table 28), so this only bites when the responder's
 * PortionLength + RemainderLength disagree with it.
 */
#define DEVSEC_CERT_CHAIN_MAX		SZ_64K
/* Bytes of chain asked for per GET_CERTIFICATE */
#define DEVSEC_CERT_CHUNK \
	(DEVSEC_SPDM_RSP_MAX - sizeof(struct spdm_certificate_rsp))
/*
 * Transcript cap: VCA plus digests plus the chain and its framing, with
 * room for a responder returning the chain in small portions.  Beyond it
 * the connect fails rather than growing without bound.
 */
#define DEVSEC_TRANSCRIPT_MAX		(2 * DEVSEC_CERT_CHAIN_MAX)
/* OpaqueDataLength limit (DSP0274 1.2, "Opaque data") */
#define DEVSEC_SPDM_OPAQUE_MAX		1024

/**
 * struct devsec_link_dsm - per-DSM (function 0) context
 * @pf0: PCI/TSM core context, must stay first for ->remove()
 * @authenticated: the connect authenticated the device and its evidence
 *	overrides are in use (see devsec_link_nr_authenticated)
 * @cert_chain: slot 0 certificate chain read at connect
 * @cert_chain_len: size of @cert_chain
 * @transcript: SPDM messages the CHALLENGE_AUTH signature covers (DSP0274
 *	1.2 "M1/M2": VCA, GET_DIGESTS .. last CERTIFICATE, CHALLENGE and
 *	CHALLENGE_AUTH without its signature)
 * @transcript_len: size of @transcript
 * @vca_len: size of the VCA part (GET_VERSION .. ALGORITHMS) at the start
 *	of @transcript
 * @signature: the CHALLENGE_AUTH signature over @transcript
 * @session: SPDM session opened at connect, carries IDE_KM
 * @ide: the selective IDE stream established at connect
 * @ide_pool_id: Stream ID of @ide taken from devsec_stream_ids, or -1
 *
 * The evidence fields are written by the connect step function and freed
 * by the disconnect step function or ->remove(), all serialised by the
 * core under @pf0.lock.
 */
struct devsec_link_dsm {
	struct pci_tsm_pf0 pf0;
	bool authenticated;
	u8 *cert_chain;
	size_t cert_chain_len;
	u8 *transcript;
	size_t transcript_len;
	size_t vca_len;
	u8 signature[SPDM_P384_SIG_LEN];
	struct devsec_spdm_session *session;
	struct pci_ide *ide;
	int ide_pool_id;
};

/**
 * struct devsec_link_fn - per-function context of the other functions
 * @base: PCI/TSM core context
 */
struct devsec_link_fn {
	struct pci_tsm base;
};

/**
 * struct devsec_tdi_info - reply to an INFO guest request
 * @tdi_id: TDI identifier given at bind
 * @requester_id: bus/device/function of the bound function
 * @dsm_requester_id: bus/device/function of its DSM
 *
 * A made-up format: what a TSM returns for INFO is implementation defined.
 */
struct devsec_tdi_info {
	__le32 tdi_id;
	__le16 requester_id;
	__le16 dsm_requester_id;
} __packed;

/* Progress of a connect, kept in pci_tsm_req::state */
enum devsec_connect_state {
	DEVSEC_CONNECT_START,
	DEVSEC_CONNECT_VERSION,
	DEVSEC_CONNECT_CAPABILITIES,
	DEVSEC_CONNECT_ALGORITHMS,
	DEVSEC_CONNECT_DIGESTS,
	DEVSEC_CONNECT_CERTIFICATE,
	DEVSEC_CONNECT_CHALLENGE_AUTH,
	DEVSEC_CONNECT_MEASUREMENTS,
	DEVSEC_CONNECT_SESSION,
	DEVSEC_CONNECT_IDE_QUERY,
	DEVSEC_CONNECT_IDE_KEY_PROG,
	DEVSEC_CONNECT_IDE_KEY_GO,
	DEVSEC_CONNECT_NR_STATES,
};

/**
 * struct devsec_spdm_xchg - state of one connect, pci_tsm_req::priv
 * @req: request message of the exchange in flight
 * @req_len: size of the message in @req
 * @rsp: response buffer
 * @cert_chain: chain being read, allocated once its size is known
 * @cert_chain_len: total chain size announced by the first CERTIFICATE
 * @cert_offset: chain bytes received so far
 * @transcript: messages the signature will cover, see &devsec_link_dsm
 * @transcript_len: bytes used in @transcript
 * @vca_len: size of the VCA part of @transcript
 * @digest: slot 0 chain digest from DIGESTS
 * @signature: signature from CHALLENGE_AUTH
 * @meas: GET_MEASUREMENTS and the signed MEASUREMENTS response, the
 *	measurements evidence
 * @meas_len: size of @meas
 * @meas_cap: the device can sign measurements (CAPABILITIES)
 * @ide_key: IDE_KM key (0 .. IDE_KM_NR_KEYS - 1) being programmed or set
 */
struct devsec_spdm_xchg {
	u8 req[DEVSEC_SPDM_REQ_MAX] __aligned(8);
	size_t req_len;
	u8 rsp[DEVSEC_SPDM_RSP_MAX] __aligned(8);
	u8 *cert_chain;
	size_t cert_chain_len;
	size_t cert_offset;
	u8 *transcript;
	size_t transcript_len;
	size_t vca_len;
	u8 digest[SPDM_SHA384_LEN];
	u8 signature[SPDM_P384_SIG_LEN];
	u8 *meas;
	size_t meas_len;
	bool meas_cap;
	unsigned int ide_key;
};

/* DSMs authenticated with the evidence overrides: they may not change */
static atomic_t devsec_link_nr_authenticated = ATOMIC_INIT(0);

/* Evidence overrides: the certs and transcript attributes */
static struct devsec_blob devsec_link_certs;
static struct devsec_blob devsec_link_transcript;

static struct tsm_dev *devsec_link_tsm_dev;
static struct faux_device *devsec_link_fdev;

/* In the sample topology the DSM is function 0 of the endpoint */
static bool devsec_link_is_dsm(struct pci_dev *pdev)
{
	return PCI_FUNC(pdev->devfn) == 0;
}

static struct devsec_link_dsm *to_devsec_link_dsm(struct pci_tsm *tsm)
{
	return container_of(tsm, struct devsec_link_dsm, pf0.base_tsm);
}

static void devsec_link_set_authenticated(struct devsec_link_dsm *dsm,
					  bool authenticated)
{
	if (dsm->authenticated == authenticated)
		return;
	dsm->authenticated = authenticated;
	if (authenticated)
		atomic_inc(&devsec_link_nr_authenticated);
	else
		atomic_dec(&devsec_link_nr_authenticated);
}

static void devsec_link_free_evidence(struct devsec_link_dsm *dsm)
{
	kvfree(dsm->cert_chain);
	dsm->cert_chain = NULL;
	dsm->cert_chain_len = 0;
	kvfree(dsm->transcript);
	dsm->transcript = NULL;
	dsm->transcript_len = 0;
	dsm->vca_len = 0;
}

static void devsec_spdm_xchg_free(struct devsec_spdm_xchg *x)
{
	if (!x)
		return;
	kvfree(x->cert_chain);
	kvfree(x->transcript);
	kvfree(x->meas);
	kfree(x);
}

static struct devsec_spdm_xchg *devsec_spdm_xchg_alloc(void)
{
	struct devsec_spdm_xchg *x = kzalloc(sizeof(*x), GFP_KERNEL);

	if (!x)
		return NULL;
	x->transcript = kvmalloc(DEVSEC_TRANSCRIPT_MAX, GFP_KERNEL);
	if (!x->transcript) {
		kfree(x);
		return NULL;
	}
	return x;
}

static int devsec_transcript_add(struct devsec_spdm_xchg *x, const void *msg,
				 size_t len)
{
	if (len > DEVSEC_TRANSCRIPT_MAX - x->transcript_len)
		return -E2BIG;
	memcpy(x->transcript + x->transcript_len, msg, len);
	x->transcript_len += len;
	return 0;
}

/* Record the exchange just completed: the request, then @rsp_len bytes */
static int devsec_transcript_add_xchg(struct devsec_spdm_xchg *x,
				      size_t rsp_len)
{
	int rc = devsec_transcript_add(x, x->req, x->req_len);

	return rc ?: devsec_transcript_add(x, x->rsp, rsp_len);
}

/* Map an SPDM ERROR response code (DSP0274 table 48) to an errno */
static int devsec_spdm_errno(u8 error_code)
{
	switch (error_code) {
	case SPDM_ERR_BUSY:
	case SPDM_ERR_REQUEST_IN_FLIGHT:
	case SPDM_ERR_RESPONSE_NOT_READY:
		return -EBUSY;
	case SPDM_ERR_UNSUPPORTED_REQUEST:
		return -EOPNOTSUPP;
	case SPDM_ERR_VERSION_MISMATCH:
		return -EPROTO;
	case SPDM_ERR_RESPONSE_TOO_LARGE:
	case SPDM_ERR_REQUEST_TOO_LARGE:
		return -EMSGSIZE;
	default:
		return -EIO;
	}
}

/**
 * devsec_spdm_rsp() - validate the common part of an SPDM response
 * @req: the request; @req->doe holds the result of the exchange
 * @x: connect state, the response is in @x->rsp
 * @version: SPDMVersion the response must carry
 * @code: response code expected
 * @min_len: minimum response size for @code
 *
 * Return: the number of valid bytes in @x->rsp (at least @min_len), or a
 * negative errno: the exchange's own error, -EIO for a short or
 * unexpected response, -EPROTO for a version mismatch, or the mapping of
 * an SPDM ERROR response.
 */
static int devsec_spdm_rsp(struct pci_tsm_req *req, struct devsec_spdm_xchg *x,
			   u8 version, u8 code, size_t min_len)
{
	const struct spdm_header *hdr = (const void *)x->rsp;
	int len = req->doe.rsp_len;

	if (len < 0)
		return len;
	if (len > sizeof(x->rsp))
		return -EIO;
	if (len < sizeof(*hdr)) {
		pci_dbg(req->pdev, "SPDM: %d byte response\n", len);
		return -EIO;
	}
	if (hdr->code == SPDM_ERROR) {
		pci_dbg(req->pdev, "SPDM: ERROR %#x (%#x) for request %#x\n",
			hdr->param1, hdr->param2, x->req[1]);
		return devsec_spdm_errno(hdr->param1);
	}
	if (hdr->version != version) {
		pci_dbg(req->pdev, "SPDM: version %#x, expected %#x\n",
			hdr->version, version);
		return -EPROTO;
	}
	if (hdr->code != code || len < min_len) {
		pci_dbg(req->pdev,
			"SPDM: response %#x, %d bytes, expected %#x, %zu+\n",
			hdr->code, len, code, min_len);
		return -EIO;
	}
	return len;
}

static int devsec_spdm_send(struct pci_tsm_req *req, struct devsec_spdm_xchg *x,
			    size_t req_len, enum devsec_connect_state next)
{
	x->req_len = req_len;
	req->state = next;
	return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, x->req, req_len,
			       x->rsp, sizeof(x->rsp));
}

static void devsec_spdm_hdr(struct devsec_spdm_xchg *x, u8 version, u8 code,
			    u8 param1, u8 param2)
{
	memset(x->req, 0, sizeof(x->req));
	*(struct spdm_header *)x->req = (struct spdm_header) {
		.version = version,
		.code = code,
		.param1 = param1,
		.param2 = param2,
	};
}

static int devsec_connect_start(struct pci_tsm_req *req,
				struct devsec_spdm_xchg *x)
{
	devsec_spdm_hdr(x, SPDM_VERSION_10, SPDM_GET_VERSION, 0, 0);
	return devsec_spdm_send(req, x, sizeof(struct spdm_get_version_req),
				DEVSEC_CONNECT_VERSION);
}

/* VERSION: insist on 1.2, then GET_CAPABILITIES */
static int devsec_connect_version(struct pci_tsm_req *req,
				  struct devsec_spdm_xchg *x)
{
	const struct spdm_version_rsp *rsp = (const void *)x->rsp;
	struct spdm_get_capabilities_req *caps = (void *)x->req;
	size_t msg_len;
	int len, rc;

	len = devsec_spdm_rsp(req, x, SPDM_VERSION_10, SPDM_VERSION,
			      sizeof(*rsp));
	if (len < 0)
		return len;
	/* DOE pads to a dword: more than that past the message is junk */
	rc = spdm_version_rsp_check(rsp, len);
	if (rc < 0) {
		pci_dbg(req->pdev, "SPDM: VERSION refused: %d\n", rc);
		return rc;
	}
	msg_len = rc;

	/*
	 * The transcript starts afresh at GET_VERSION (DSP0274 "Connection
	 * behavior"): VCA is GET_VERSION .. ALGORITHMS.
	 */
	rc = devsec_transcript_add_xchg(x, msg_len);
	if (rc)
		return rc;

	devsec_spdm_hdr(x, SPDM_VERSION_12, SPDM_GET_CAPABILITIES, 0, 0);
	caps->ct_exponent = 0;
	caps->flags = cpu_to_le32(DEVSEC_SPDM_SESSION_REQ_CAPS);
	caps->data_transfer_size = cpu_to_le32(DEVSEC_SPDM_RSP_MAX);
	caps->max_spdm_msg_size = cpu_to_le32(DEVSEC_SPDM_RSP_MAX);
	return devsec_spdm_send(req, x, sizeof(*caps),
				DEVSEC_CONNECT_CAPABILITIES);
}

/* CAPABILITIES: the responder must serve certificates and CHALLENGE */
static int devsec_connect_capabilities(struct pci_tsm_req *req,
				       struct devsec_spdm_xchg *x)
{
	const struct spdm_capabilities_rsp *rsp = (const void *)x->rsp;
	struct spdm_negotiate_algorithms_req *algs = (void *)x->req;
	u32 flags;
	int len, rc;

	len = devsec_spdm_rsp(req, x, SPDM_VERSION_12, SPDM_CAPABILITIES,
			      sizeof(*rsp));
	if (len < 0)
		return len;
	flags = le32_to_cpu(rsp->flags);
	if ((flags & (SPDM_CAP_CERT | SPDM_CAP_CHAL)) !=
	    (SPDM_CAP_CERT | SPDM_CAP_CHAL)) {
		pci_dbg(req->pdev, "SPDM: capabilities %#x lack CERT/CHAL\n",
			flags);
		return -EOPNOTSUPP;
	}
	x->meas_cap = FIELD_GET(SPDM_CAP_MEAS, flags) == SPDM_CAP_MEAS_SIG;
	rc = devsec_transcript_add_xchg(x, sizeof(*rsp));
	if (rc)
		return rc;

	/* AlgStruct tables: what a session (for IDE_KM) needs */
	devsec_spdm_hdr(x, SPDM_VERSION_12, SPDM_NEGOTIATE_ALGORITHMS,
			DEVSEC_SPDM_SESSION_NR_ALGS, 0);
	algs->length = cpu_to_le16(sizeof(*algs) +
			devsec_spdm_session_alg_structs(algs->alg_structs));
	algs->meas_spec = SPDM_MEAS_SPEC_DMTF;
	algs->other_params = 0;
	algs->base_asym_algo = cpu_to_le32(SPDM_ASYM_ECDSA_ECC_NIST_P384);
	algs->base_hash_algo = cpu_to_le32(SPDM_HASH_SHA_384);
	return devsec_spdm_send(req, x, le16_to_cpu(algs->length),
				DEVSEC_CONNECT_ALGORITHMS);
}

/* ALGORITHMS: the selection must be what was offered, then GET_DIGESTS */
static int devsec_connect_algorithms(struct pci_tsm_req *req,
				     struct devsec_spdm_xchg *x)
{
	const struct spdm_algorithms_rsp *rsp = (const void *)x->rsp;
	size_t msg_len;
	int len, rc;

	len = devsec_spdm_rsp(req, x, SPDM_VERSION_12, SPDM_ALGORITHMS,
			      sizeof(*rsp));
	if (len < 0)
		return len;
	/*
	 * The request offered no extended algorithms, and the session's
	 * AlgStruct tables, which the response must answer one for one.
	 */
	msg_len = le16_to_cpu(rsp->length);
	rc = devsec_spdm_session_check_algs(rsp, len);
	if (rc) {
		pci_dbg(req->pdev, "SPDM: ALGORITHMS (length %zu): %d\n",
			msg_len, rc);
		return rc;
	}
	if (le32_to_cpu(rsp->base_asym_sel) != SPDM_ASYM_ECDSA_ECC_NIST_P384 ||
	    le32_to_cpu(rsp->base_hash_sel) != SPDM_HASH_SHA_384 ||
	    (rsp->meas_spec_sel & ~SPDM_MEAS_SPEC_DMTF)) {
		pci_dbg(req->pdev, "SPDM: selected asym %#x hash %#x\n",
			le32_to_cpu(rsp->base_asym_sel),
			le32_to_cpu(rsp->base_hash_sel));
		return -EPROTO;
	}
	rc = devsec_transcript_add_xchg(x, msg_len);
	if (rc)
		return rc;
	x->vca_len = x->transcript_len;

	devsec_spdm_hdr(x, SPDM_VERSION_12, SPDM_GET_DIGESTS, 0, 0);
	return devsec_spdm_send(req, x, sizeof(struct spdm_get_digests_req),
				DEVSEC_CONNECT_DIGESTS);
}

static int devsec_get_certificate(struct pci_tsm_req *req,
				  struct devsec_spdm_xchg *x, size_t length)
{
	struct spdm_get_certificate_req *get = (void *)x->req;

	devsec_spdm_hdr(x, SPDM_VERSION_12, SPDM_GET_CERTIFICATE, 0, 0);
	get->offset = cpu_to_le16(x->cert_offset);
	get->length = cpu_to_le16(min(length, DEVSEC_CERT_CHUNK));
	return devsec_spdm_send(req, x, sizeof(*get),
				DEVSEC_CONNECT_CERTIFICATE);
}

/* DIGESTS: slot 0 must be populated; remember its digest, read its chain */
static int devsec_connect_digests(struct pci_tsm_req *req,
				  struct devsec_spdm_xchg *x)
{
	const struct spdm_digests_rsp *rsp = (const void *)x->rsp;
	size_t msg_len;
	int len, rc;

	len = devsec_spdm_rsp(req, x, SPDM_VERSION_12, SPDM_DIGESTS,
			      sizeof(*rsp));
	if (len < 0)
		return len;
	if (!(rsp->hdr.param2 & BIT(0))) {
		pci_dbg(req->pdev, "SPDM: slot mask %#x lacks slot 0\n",
			rsp->hdr.param2);
		return -ENXIO;
	}
	msg_len = sizeof(*rsp) + hweight8(rsp->hdr.param2) * SPDM_SHA384_LEN;
	if (msg_len > len)
		return -EIO;
	/* Digests are in slot order: slot 0's comes first */
	memcpy(x->digest, rsp->digests, SPDM_SHA384_LEN);
	rc = devsec_transcript_add_xchg(x, msg_len);
	if (rc)
		return rc;

	return devsec_get_certificate(req, x, DEVSEC_CERT_CHUNK);
}

/*
 * CERTIFICATE: append the portion.  The first response fixes the chain
 * size (PortionLength + RemainderLength); every later one must agree with
 * it.  When nothing remains, check the chain's own length field and send
 * CHALLENGE.
 */
static int devsec_connect_certificate(struct pci_tsm_req *req,
				      struct devsec_spdm_xchg *x)
{
	const struct spdm_get_certificate_req *get = (const void *)x->req;
	const struct spdm_certificate_rsp *rsp = (const void *)x->rsp;
	struct spdm_challenge_req *chal = (void *)x->req;
	u8 digest[SPDM_SHA384_LEN];
	size_t portion, remainder, total;
	int len, rc;

	len = devsec_spdm_rsp(req, x, SPDM_VERSION_12, SPDM_CERTIFICATE,
			      sizeof(*rsp));
	if (len < 0)
		return len;
	portion = le16_to_cpu(rsp->portion_length);
	remainder = le16_to_cpu(rsp->remainder_length);
	total = x->cert_offset + portion + remainder;
	if ((rsp->hdr.param1 & SPDM_GET_CERT_SLOT) != 0 || !portion ||
	    portion > le16_to_cpu(get->length) ||
	    struct_size(rsp, cert_chain, portion) > len) {
		pci_dbg(req->pdev, "SPDM: bad CERTIFICATE portion %zu\n",
			portion);
		return -EIO;
	}

	if (!x->cert_chain) {
		if (total > DEVSEC_CERT_CHAIN_MAX ||
		    total < sizeof(struct spdm_cert_chain_hdr) +
			    SPDM_SHA384_LEN) {
			pci_dbg(req->pdev, "SPDM: certificate chain of %zu\n",
				total);
			return -EFBIG;
		}
		x->cert_chain = kvmalloc(total, GFP_KERNEL);
		if (!x->cert_chain)
			return -ENOMEM;
		x->cert_chain_len = total;
	} else if (total != x->cert_chain_len) {
		pci_dbg(req->pdev, "SPDM: chain size changed %zu -> %zu\n",
			x->cert_chain_len, total);
		return -EIO;
	}

	memcpy(x->cert_chain + x->cert_offset, rsp->cert_chain, portion);
	x->cert_offset += portion;
	rc = devsec_transcript_add_xchg(x, struct_size(rsp, cert_chain,
						       portion));
	if (rc)
		return rc;

	if (remainder)
		return devsec_get_certificate(req, x, remainder);

	if (get_unaligned_le16(x->cert_chain) != x->cert_chain_len) {
		pci_dbg(req->pdev, "SPDM: chain header says %u, read %zu\n",
			get_unaligned_le16(x->cert_chain), x->cert_chain_len);
		return -EIO;
	}
	/*
	 * The chain must be the one DIGESTS advertised.  Simulated crypto
	 * (spdm.h): spdm_sim_digest() stands in for SHA-384.
	 */
	spdm_sim_digest(x->cert_chain, x->cert_chain_len, digest);
	if (memcmp(digest, x->digest, SPDM_SHA384_LEN)) {
		pci_dbg(req->pdev, "SPDM: chain does not match its digest\n");
		return -EACCES;
	}

	devsec_spdm_hdr(x, SPDM_VERSION_12, SPDM_CHALLENGE, 0,
			SPDM_MEAS_SUMMARY_NONE);
	get_random_bytes(chal->nonce, sizeof(chal->nonce));
	return devsec_spdm_send(req, x, sizeof(*chal),
				DEVSEC_CONNECT_CHALLENGE_AUTH);
}

/*
 * IDE: after authentication, connect opens an SPDM session, allocates and
 * programs a selective IDE stream on both ends, programs the endpoint's
 * keys for all sub-streams with IDE_KM (QUERY, KEY_PROG x 6, K_SET_GO x 6)
 * and enables the stream, which must then read Secure on both ends.  The
 * root port's keys are the platform's business: devsec_rp_ide_keys().
 */
static struct pci_dev *devsec_link_rp(struct pci_tsm_req *req)
{
	return pcie_find_root_port(req->pdev);
}

/*
 * Stream IDs are the TSM's to choose (the PCI core only checks them when
 * the stream is registered).  This TSM keeps one pool per host bridge,
 * 0 .. PCI_IDE_RESERVED_STREAM_ID - 1, lowest free first.
 */
struct devsec_stream_ids {
	struct list_head node;
	struct pci_host_bridge *hb;
	struct ida ida;
};

static LIST_HEAD(devsec_stream_ids);
static DEFINE_MUTEX(devsec_stream_ids_lock);

/* Test knob: -1 takes IDs from the pools, any other value is used as is */
static int ide_stream_id = -1;
module_param(ide_stream_id, int, 0644);
MODULE_PARM_DESC(ide_stream_id,
		 "Stream ID of every new IDE stream, -1 (default): the lowest free one of the host bridge");

static struct devsec_stream_ids *devsec_stream_ids_find(struct pci_host_bridge *hb)
{
	struct devsec_stream_ids *ids;

	lockdep_assert_held(&devsec_stream_ids_lock);
	list_for_each_entry(ids, &devsec_stream_ids, node)
		if (ids->hb == hb)
			return ids;
	return NULL;
}

static int devsec_stream_id_get(struct pci_host_bridge *hb)
{
	struct devsec_stream_ids *ids;
	int id;

	guard(mutex)(&devsec_stream_ids_lock);
	ids = devsec_stream_ids_find(hb);
	if (!ids) {
		ids = kzalloc(sizeof(*ids), GFP_KERNEL);
		if (!ids)
			return -ENOMEM;
		ids->hb = hb;
		ida_init(&ids->ida);
		list_add(&ids->node, &devsec_stream_ids);
	}
	id = ida_alloc_max(&ids->ida, PCI_IDE_RESERVED_STREAM_ID - 1,
			   GFP_KERNEL);
	if (id < 0 && ida_is_empty(&ids->ida)) {
		list_del(&ids->node);
		kfree(ids);
	}
	return id;
}

static void devsec_stream_id_put(struct pci_host_bridge *hb, int id)
{
	struct devsec_stream_ids *ids;

	guard(mutex)(&devsec_stream_ids_lock);
	ids = devsec_stream_ids_find(hb);
	if (WARN_ON(!ids))
		return;
	ida_free(&ids->ida, id);
	if (ida_is_empty(&ids->ida)) {
		list_del(&ids->node);
		ida_destroy(&ids->ida);
		kfree(ids);
	}
}

/* Undo whatever of the IDE setup was done, without device traffic */
static void devsec_link_ide_release(struct devsec_link_dsm *dsm)
{
	struct pci_ide *ide = dsm->ide;

	if (ide) {
		struct pci_host_bridge *hb = pci_find_host_bridge(ide->pdev->bus);

		devsec_rp_ide_keys(pcie_find_root_port(ide->pdev),
				   ide->partner[PCI_IDE_RP].stream_index, false);
		pci_ide_stream_release(ide);
		dsm->ide = NULL;
		if (dsm->ide_pool_id >= 0)
			devsec_stream_id_put(hb, dsm->ide_pool_id);
	}
	kfree(dsm->session);
	dsm->session = NULL;
}

/*
 * The device is authenticated: hand its evidence to the core now, as a
 * platform TSM does once it has verified it, before the session and the
 * IDE setup that may still fail the connect (the core then drops it).
 * What the device sent or, once an object was loaded into certs or
 * transcript, the simulated evidence upstream's sample reports: cert0
 * and measurements from those files, and no vca.
 */
static void devsec_connect_evidence(struct pci_tsm_req *req,
				    struct devsec_spdm_xchg *x)
{
	bool simulated = devsec_blob_loaded(&devsec_link_certs) ||
			 devsec_blob_loaded(&devsec_link_transcript);

	if (devsec_blob_evidence(&devsec_link_certs, req->tsm,
				 PCI_TSM_EVIDENCE_TYPE_CERT0, x->cert_chain,
				 x->cert_chain_len) ||
	    (!simulated &&
	     devsec_evidence_set(req->tsm, PCI_TSM_EVIDENCE_TYPE_VCA,
				 x->transcript, x->vca_len)) ||
	    devsec_blob_evidence(&devsec_link_transcript, req->tsm,
				 PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS, x->meas,
				 x->meas_len))
		pci_warn(req->pdev, "evidence not stored\n");
}

static int devsec_connect_session_start(struct pci_tsm_req *req,
					struct devsec_spdm_xchg *x)
{
	struct devsec_link_dsm *dsm = to_devsec_link_dsm(req->tsm);

	devsec_connect_evidence(req, x);
	dsm->session = kzalloc(sizeof(*dsm->session), GFP_KERNEL);
	if (!dsm->session)
		return -ENOMEM;
	devsec_spdm_session_init(dsm->session);
	req->state = DEVSEC_CONNECT_SESSION;
	return devsec_spdm_session_open(req, dsm->session);
}

/* KeySet 0; keys 0-2: Rx PR, NPR, CPL; keys 3-5: Tx PR, NPR, CPL */
static u8 devsec_ide_km_key_byte(unsigned int key)
{
	return (key >= IDE_KM_NR_SUB_STREAMS ? IDE_KM_KEY_TX : 0) |
	       FIELD_PREP(IDE_KM_KEY_SUB_STREAM, key % IDE_KM_NR_SUB_STREAMS);
}

static int devsec_ide_km_send_key(struct pci_tsm_req *req,
				  struct devsec_link_dsm *dsm, u8 object_id,
				  unsigned int key)
{
	struct ide_km_key_prog prog = {
		.hdr = {
			.object_id = object_id,
			.stream_id = dsm->ide->stream_id,
			.key_sub_stream = devsec_ide_km_key_byte(key),
			.port_index = 0,
		},
	};
	size_t len = sizeof(prog.hdr);

	if (object_id == IDE_KM_KEY_PROG) {
		/* Simulated keys, labelled as such (ide_km.h) */
		get_random_bytes(prog.key, sizeof(prog.key));
		memcpy(prog.key, DEVSEC_IDE_KM_SIM_KEY_LABEL,
		       sizeof(DEVSEC_IDE_KM_SIM_KEY_LABEL) - 1);
		get_random_bytes(prog.iv, sizeof(prog.iv));
		len = sizeof(prog);
	}
	return devsec_spdm_session_vendor_send(req, dsm->session,
					       SPDM_PCISIG_PROTOCOL_IDE_KM,
					       &prog, len);
}

/* Check KP_ACK / K_GOSTOP_ACK for @key */
static int devsec_ide_km_ack(struct pci_tsm_req *req,
			     struct devsec_link_dsm *dsm, u8 object_id,
			     unsigned int key)
{
	const struct ide_km_key_hdr *ack;
	const u8 *msg;
	int len;

	len = devsec_spdm_session_vendor_recv(req, dsm->session, &msg);
	if (len < 0)
		return len;
	ack = (const void *)msg;
	if (len != sizeof(*ack) || ack->object_id != object_id ||
	    ack->stream_id != dsm->ide->stream_id ||
	    ack->key_sub_stream != devsec_ide_km_key_byte(key) ||
	    ack->port_index != 0) {
		pci_dbg(req->pdev, "IDE_KM: bad ack (%d bytes) for key %u\n",
			len, key);
		return -EIO;
	}
	if (object_id == IDE_KM_KP_ACK && ack->status != IDE_KM_KP_ACK_OK) {
		pci_dbg(req->pdev, "IDE_KM: KEY_PROG %u status %u\n", key,
			ack->status);
		return -EIO;
	}
	return 0;
}

/* Session open: allocate and program the stream, then QUERY */
static int devsec_connect_session(struct pci_tsm_req *req,
				  struct devsec_spdm_xchg *x)
{
	struct devsec_link_dsm *dsm = to_devsec_link_dsm(req->tsm);
	struct ide_km_query query = { .object_id = IDE_KM_QUERY };
	struct pci_ide *ide;
	int rc;

	rc = devsec_spdm_session_open(req, dsm->session);
	if (rc)
		return rc;

	/* NULL: most likely the host bridge's stream pool is exhausted */
	ide = pci_ide_stream_alloc(req->pdev);
	if (!ide)
		return -EBUSY;
	dsm->ide = ide;
	dsm->ide_pool_id = -1;
	if (ide_stream_id == -1) {
		rc = devsec_stream_id_get(pci_find_host_bridge(req->pdev->bus));
		if (rc < 0)
			return rc;
		dsm->ide_pool_id = rc;
	}
	ide->stream_id = ide_stream_id == -1 ? dsm->ide_pool_id : ide_stream_id;
	rc = pci_ide_stream_register(ide);
	if (rc)
		return rc;
	pci_ide_stream_setup(devsec_link_rp(req), ide);
	pci_ide_stream_setup(req->pdev, ide);

	req->state = DEVSEC_CONNECT_IDE_QUERY;
	return devsec_spdm_session_vendor_send(req, dsm->session,
					       SPDM_PCISIG_PROTOCOL_IDE_KM,
					       &query, sizeof(query));
}

/* QUERY_RESP: port 0 must do IDE_KM; then the first KEY_PROG */
static int devsec_connect_ide_query(struct pci_tsm_req *req,
				    struct devsec_spdm_xchg *x)
{
	struct devsec_link_dsm *dsm = to_devsec_link_dsm(req->tsm);
	const struct ide_km_query_resp *resp;
	const u8 *msg;
	int len;

	len = devsec_spdm_session_vendor_recv(req, dsm->session, &msg);
	if (len < 0)
		return len;
	resp = (const void *)msg;
	if (len < sizeof(*resp) || resp->object_id != IDE_KM_QUERY_RESP ||
	    resp->port_index != 0 ||
	    !(get_unaligned_le32(&resp->ide_cap) & PCI_IDE_CAP_IDE_KM)) {
		pci_dbg(req->pdev, "IDE_KM: bad QUERY_RESP (%d bytes)\n", len);
		return -EIO;
	}
	x->ide_key = 0;
	req->state = DEVSEC_CONNECT_IDE_KEY_PROG;
	return devsec_ide_km_send_key(req, dsm, IDE_KM_KEY_PROG, 0);
}

static int devsec_connect_ide_key_prog(struct pci_tsm_req *req,
				       struct devsec_spdm_xchg *x)
{
	struct devsec_link_dsm *dsm = to_devsec_link_dsm(req->tsm);
	int rc;

	rc = devsec_ide_km_ack(req, dsm, IDE_KM_KP_ACK, x->ide_key);
	if (rc)
		return rc;
	if (++x->ide_key < IDE_KM_NR_KEYS)
		return devsec_ide_km_send_key(req, dsm, IDE_KM_KEY_PROG,
					      x->ide_key);
	x->ide_key = 0;
	req->state = DEVSEC_CONNECT_IDE_KEY_GO;
	return devsec_ide_km_send_key(req, dsm, IDE_KM_K_SET_GO, 0);
}

/* Last K_GOSTOP_ACK: root port keys, enable both ends, link the stream */
static int devsec_connect_ide_key_go(struct pci_tsm_req *req,
				     struct devsec_spdm_xchg *x)
{
	struct devsec_link_dsm *dsm = to_devsec_link_dsm(req->tsm);
	struct pci_dev *rp = devsec_link_rp(req);
	struct pci_ide *ide = dsm->ide;
	int rc;

	rc = devsec_ide_km_ack(req, dsm, IDE_KM_K_GOSTOP_ACK, x->ide_key);
	if (rc)
		return rc;
	if (++x->ide_key < IDE_KM_NR_KEYS)
		return devsec_ide_km_send_key(req, dsm, IDE_KM_K_SET_GO,
					      x->ide_key);

	rc = devsec_rp_ide_keys(rp, ide->partner[PCI_IDE_RP].stream_index,
				true);
	if (rc)
		return rc;
	rc = pci_ide_stream_enable(rp, ide);
	if (rc)
		return rc;
	rc = pci_ide_stream_enable(req->pdev, ide);
	if (rc)
		return rc;
	rc = tsm_ide_stream_register(ide);
	if (rc)
		return rc;
	pci_dbg(req->pdev, "IDE: %s, stream id %d, secure\n", ide->name,
		ide->stream_id);
	return 0;
}

/*
 * GET_MEASUREMENTS of every block, signed with the slot 0 key, bound to a
 * nonce: the relying party's @nonce (NULL for a random one) zero padded
 * or, when longer than SPDM's 32 bytes, folded into them by XOR.
 */
static size_t devsec_meas_req(u8 *buf, const u8 *nonce, size_t nonce_len)
{
	u8 *n = buf + sizeof(struct spdm_header);
	size_t i;

	memset(buf, 0, SPDM_MEAS_REQ_SIG_LEN);
	*(struct spdm_header *)buf = (struct spdm_header) {
		.version = SPDM_VERSION_12,
		.code = SPDM_GET_MEASUREMENTS,
		.param1 = SPDM_MEAS_REQ_SIG,
		.param2 = SPDM_MEAS_OP_ALL,
	};
	if (!nonce)
		get_random_bytes(n, SPDM_NONCE_LEN);
	for (i = 0; nonce && i < nonce_len; i++)
		n[i % SPDM_NONCE_LEN] ^= nonce[i];
	buf[SPDM_MEAS_REQ_SIG_LEN - 1] = 0;	/* SlotIDParam: slot 0 */
	return SPDM_MEAS_REQ_SIG_LEN;
}

/* Walk a measurement record: Return the number of well-formed blocks */
static int devsec_meas_blocks(const u8 *rec, size_t len)
{
	size_t off = 0, size;
	int nr = 0;

	while (off < len) {
		if (len - off < SPDM_MEAS_BLOCK_HDR)
			return -EIO;
		size = get_unaligned_le16(rec + off + 2);
		if (size > len - off - SPDM_MEAS_BLOCK_HDR)
			return -EIO;
		/* a DMTF value: type, size, value filling the block */
		if (rec[off + 1] & SPDM_MEAS_SPEC_DMTF &&
		    (size < SPDM_MEAS_DMTF_HDR ||
		     get_unaligned_le16(rec + off + SPDM_MEAS_BLOCK_HDR + 1) !=
		     size - SPDM_MEAS_DMTF_HDR))
			return -EIO;
		off += SPDM_MEAS_BLOCK_HDR + size;
		nr++;
	}
	return nr;
}

/*
 * MEASUREMENTS: NumberOfBlocks, MeasurementRecordLength, the record,
 * Nonce[32], OpaqueDataLength, OpaqueData, Signature[S].  Checked, then
 * the request and the response are kept in @x->meas as the evidence a
 * relying party verifies (SPDM 1.2 L1/L2 plus the signature).
 */
static int devsec_meas_rsp(struct pci_tsm_req *req, struct devsec_spdm_xchg *x)
{
	size_t rec_len, off, opaque_len;
	int len, nr;

	len = devsec_spdm_rsp(req, x, SPDM_VERSION_12, SPDM_MEASUREMENTS,
			      SPDM_MEAS_RSP_FIXED);
	if (len < 0)
		return len;
	rec_len = get_unaligned_le24(x->rsp + 5);
	if (rec_len > len - SPDM_MEAS_RSP_FIXED)
		goto malformed;
	off = SPDM_MEAS_RSP_FIXED + rec_len;
	if (len - off < SPDM_NONCE_LEN + sizeof(__le16))
		goto malformed;
	off += SPDM_NONCE_LEN;
	opaque_len = get_unaligned_le16(x->rsp + off);
	off += sizeof(__le16);
	/* DOE pads the response to a dword: the message ends at the signature */
	if (opaque_len > DEVSEC_SPDM_OPAQUE_MAX ||
	    len - off < opaque_len + SPDM_P384_SIG_LEN ||
	    len > round_up(off + opaque_len + SPDM_P384_SIG_LEN, 4))
		goto malformed;
	off += opaque_len;
	len = off + SPDM_P384_SIG_LEN;
	nr = devsec_meas_blocks(x->rsp + SPDM_MEAS_RSP_FIXED, rec_len);
	if (nr <= 0 || nr != x->rsp[4])
		goto malformed;
	/* Simulated crypto: a real requester verifies the signature here */
	if (!spdm_sim_signature_ok(x->rsp + off)) {
		pci_dbg(req->pdev, "SPDM: bad (simulated) measurement signature\n");
		return -EACCES;
	}
	kvfree(x->meas);
	x->meas_len = x->req_len + len;
	x->meas = kvmalloc(x->meas_len, GFP_KERNEL);
	if (!x->meas)
		return -ENOMEM;
	memcpy(x->meas, x->req, x->req_len);
	memcpy(x->meas + x->req_len, x->rsp, len);
	return 0;

malformed:
	pci_dbg(req->pdev, "SPDM: malformed MEASUREMENTS (%d bytes)\n", len);
	return -EIO;
}

/*
 * CHALLENGE_AUTH: CertChainHash[H] Nonce[32] (no MeasurementSummaryHash:
 * none was asked for) OpaqueDataLength OpaqueData Signature[S].
 */
static int devsec_connect_challenge_auth(struct pci_tsm_req *req,
					 struct devsec_spdm_xchg *x)
{
	const struct spdm_challenge_auth_rsp *rsp = (const void *)x->rsp;
	size_t opaque_off = sizeof(*rsp) + SPDM_SHA384_LEN + SPDM_NONCE_LEN;
	size_t opaque_len, sig_off;
	int len, rc;

	len = devsec_spdm_rsp(req, x, SPDM_VERSION_12, SPDM_CHALLENGE_AUTH,
			      opaque_off + sizeof(__le16));
	if (len < 0)
		return len;
	opaque_len = get_unaligned_le16(x->rsp + opaque_off);
	sig_off = opaque_off + sizeof(__le16) + opaque_len;
	if (opaque_len > DEVSEC_SPDM_OPAQUE_MAX ||
	    sig_off + SPDM_P384_SIG_LEN > len ||
	    (rsp->hdr.param1 & SPDM_CHALLENGE_AUTH_SLOT) != 0 ||
	    !(rsp->hdr.param2 & BIT(0))) {
		pci_dbg(req->pdev, "SPDM: malformed CHALLENGE_AUTH\n");
		return -EIO;
	}
	/* The chain the device signs for must be the one it advertised */
	if (memcmp(rsp->cert_chain_hash, x->digest, SPDM_SHA384_LEN)) {
		pci_dbg(req->pdev, "SPDM: CertChainHash != slot 0 digest\n");
		return -EACCES;
	}
	/*
	 * Simulated crypto (spdm.h): a real requester verifies an ECDSA
	 * P-384 signature over the transcript with the leaf certificate's
	 * public key here.
	 */
	if (!spdm_sim_signature_ok(x->rsp + sig_off)) {
		pci_dbg(req->pdev, "SPDM: bad (simulated) signature\n");
		return -EACCES;
	}
	memcpy(x->signature, x->rsp + sig_off, SPDM_P384_SIG_LEN);

	/* The signature covers the transcript up to itself */
	rc = devsec_transcript_add_xchg(x, sig_off);
	if (rc)
		return rc;
	if (!x->meas_cap)
		return devsec_connect_session_start(req, x);
	x->req_len = devsec_meas_req(x->req, NULL, 0);
	req->state = DEVSEC_CONNECT_MEASUREMENTS;
	return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, x->req, x->req_len,
			       x->rsp, sizeof(x->rsp));
}

/* MEASUREMENTS at connect: keep the exchange as evidence, then a session */
static int devsec_connect_measurements(struct pci_tsm_req *req,
				       struct devsec_spdm_xchg *x)
{
	int rc = devsec_meas_rsp(req, x);

	return rc ?: devsec_connect_session_start(req, x);
}

typedef int (*devsec_connect_fn)(struct pci_tsm_req *req,
				 struct devsec_spdm_xchg *x);

/*
 * Each entry parses the response the state is named after and asks for
 * the next exchange; the last returns 0 when the device is authenticated.
 */
static const devsec_connect_fn devsec_connect_steps[] = {
	[DEVSEC_CONNECT_START] = devsec_connect_start,
	[DEVSEC_CONNECT_VERSION] = devsec_connect_version,
	[DEVSEC_CONNECT_CAPABILITIES] = devsec_connect_capabilities,
	[DEVSEC_CONNECT_ALGORITHMS] = devsec_connect_algorithms,
	[DEVSEC_CONNECT_DIGESTS] = devsec_connect_digests,
	[DEVSEC_CONNECT_CERTIFICATE] = devsec_connect_certificate,
	[DEVSEC_CONNECT_CHALLENGE_AUTH] = devsec_connect_challenge_auth,
	[DEVSEC_CONNECT_MEASUREMENTS] = devsec_connect_measurements,
	[DEVSEC_CONNECT_SESSION] = devsec_connect_session,
	[DEVSEC_CONNECT_IDE_QUERY] = devsec_connect_ide_query,
	[DEVSEC_CONNECT_IDE_KEY_PROG] = devsec_connect_ide_key_prog,
	[DEVSEC_CONNECT_IDE_KEY_GO] = devsec_connect_ide_key_go,
};

static_assert(ARRAY_SIZE(devsec_connect_steps) == DEVSEC_CONNECT_NR_STATES);

/* Hand what the connect gathered over to the DSM context as evidence */
static void devsec_connect_done(struct devsec_link_dsm *dsm,
				struct devsec_spdm_xchg *x)
{
	void *transcript;

	devsec_link_free_evidence(dsm);
	dsm->cert_chain = x->cert_chain;
	dsm->cert_chain_len = x->cert_chain_len;
	x->cert_chain = NULL;
	/* Give back the slack of the buffer sized for the worst case */
	transcript = kvrealloc(x->transcript, x->transcript_len, GFP_KERNEL);
	if (transcript)
		x->transcript = transcript;
	dsm->transcript = x->transcript;
	dsm->transcript_len = x->transcript_len;
	x->transcript = NULL;
	dsm->vca_len = x->vca_len;
	memcpy(dsm->signature, x->signature, sizeof(dsm->signature));
	devsec_link_set_authenticated(dsm, true);
}

/**
 * devsec_link_connect_step() - step function of %PCI_TSM_REQ_CONNECT
 * @req: the connect request for a DSM probed by devsec_link_probe()
 *
 * Runs one step of the SPDM sequence in devsec_connect_steps[], keeping
 * its state in @req->priv.  On success the certificate chain and
 * transcript move to the DSM context; on failure or abort everything the
 * connect allocated is freed and the DSM context is left as it was.
 *
 * Return: %PCI_TSM_STEP_DOE, 0 when connected, or a negative errno.
 */
static int devsec_link_connect_step(struct pci_tsm_req *req)
{
	struct devsec_link_dsm *dsm = to_devsec_link_dsm(req->tsm);
	struct devsec_spdm_xchg *x = req->priv;
	int rc;

	if (req->abort) {
		rc = req->abort_reason < 0 ? req->abort_reason : -EINTR;
		goto out;
	}
	if (req->state < 0 || req->state >= DEVSEC_CONNECT_NR_STATES) {
		rc = -EINVAL;
		goto out;
	}
	if (!x) {
		x = devsec_spdm_xchg_alloc();
		if (!x)
			return -ENOMEM;
		req->priv = x;
	}

	rc = devsec_connect_steps[req->state](req, x);
	if (rc == PCI_TSM_STEP_DOE)
		return rc;
	if (rc == 0) {
		devsec_connect_done(dsm, x);
		pci_dbg(req->pdev,
			"SPDM: authenticated, %zu byte chain, %zu byte transcript\n",
			dsm->cert_chain_len, dsm->transcript_len);
	}
out:
	/*
	 * What a failed connect set up (stream, keys, session) stays for
	 * the disconnect steps devsec_link_connect() runs next, which take it down
	 * on the wire; remove() releases whatever is left in any case.
	 */
	devsec_spdm_xchg_free(x);
	req->priv = NULL;
	return rc;
}

/* Disconnect progress in pci_tsm_req::state */
#define DEVSEC_DISCONNECT_START		0
/* 1 .. IDE_KM_NR_KEYS: K_SET_STOP of key state - 1 in flight */
#define DEVSEC_DISCONNECT_END_SESSION	(IDE_KM_NR_KEYS + 1)

/**
 * devsec_link_disconnect_step() - step function of %PCI_TSM_REQ_DISCONNECT
 * @req: the disconnect request for a connected DSM
 *
 * Disables the IDE stream on both ends, drops the root port's keys,
 * stops the endpoint's keys with K_SET_STOP (one exchange per key), ends
 * the SPDM session, then releases the stream and forgets the evidence.
 * A device that misbehaves on the way down does not stop the teardown;
 * an abort skips the remaining exchanges.
 *
 * Return: %PCI_TSM_STEP_DOE, 0, or the abort reason once everything is
 * released.
 */
static int devsec_link_disconnect_step(struct pci_tsm_req *req)
{
	struct devsec_link_dsm *dsm = to_devsec_link_dsm(req->tsm);
	struct devsec_spdm_session *s = dsm->session;
	int rc = 0;

	if (req->abort) {
		rc = req->abort_reason < 0 ? req->abort_reason : -EINTR;
		goto out;
	}
	if (req->state == DEVSEC_DISCONNECT_START) {
		devsec_link_set_authenticated(dsm, false);
		if (dsm->ide) {
			struct pci_ide *ide = dsm->ide;
			struct pci_dev *rp = devsec_link_rp(req);

			pci_ide_stream_disable(req->pdev, ide);
			pci_ide_stream_disable(rp, ide);
			devsec_rp_ide_keys(rp,
					   ide->partner[PCI_IDE_RP].stream_index,
					   false);
		}
	} else if (req->state <= IDE_KM_NR_KEYS) {
		int ack = devsec_ide_km_ack(req, dsm, IDE_KM_K_GOSTOP_ACK,
					    req->state - 1);

		if (ack)
			pci_dbg(req->pdev, "IDE_KM: K_SET_STOP %d: %d\n",
				req->state - 1, ack);
	} else {
		/* END_SESSION_ACK; the session is over either way */
		devsec_spdm_session_close(req, s);
		goto out;
	}

	if (s && dsm->ide && devsec_spdm_session_is_open(s) &&
	    req->state < IDE_KM_NR_KEYS) {
		req->state++;
		if (devsec_ide_km_send_key(req, dsm, IDE_KM_K_SET_STOP,
					   req->state - 1) == PCI_TSM_STEP_DOE)
			return PCI_TSM_STEP_DOE;
	}
	if (s && devsec_spdm_session_is_open(s)) {
		req->state = DEVSEC_DISCONNECT_END_SESSION;
		if (devsec_spdm_session_close(req, s) == PCI_TSM_STEP_DOE)
			return PCI_TSM_STEP_DOE;
	}
out:
	devsec_link_ide_release(dsm);
	devsec_link_free_evidence(dsm);
	return rc;
}

static struct pci_tsm *devsec_link_probe_dsm(struct tsm_dev *tsm_dev,
					     struct pci_dev *pdev)
{
	struct devsec_link_dsm *dsm __free(kfree) =
		kzalloc(sizeof(*dsm), GFP_KERNEL);
	int rc;

	if (!dsm)
		return ERR_PTR(-ENOMEM);
	rc = pci_tsm_pf0_constructor(pdev, &dsm->pf0, tsm_dev);
	if (rc)
		return ERR_PTR(rc);
	return &no_free_ptr(dsm)->pf0.base_tsm;
}

static struct pci_tsm *devsec_link_probe_fn(struct tsm_dev *tsm_dev,
					    struct pci_dev *pdev)
{
	struct devsec_link_fn *fn __free(kfree) =
		kzalloc(sizeof(*fn), GFP_KERNEL);
	int rc;

	if (!fn)
		return ERR_PTR(-ENOMEM);
	rc = pci_tsm_link_constructor(pdev, &fn->base, tsm_dev);
	if (rc)
		return ERR_PTR(rc);
	return &no_free_ptr(fn)->base;
}

/**
 * devsec_link_probe() - create the context of a function
 * @tsm_dev: this TSM
 * @pdev: an endpoint function of the devsec sample bus
 *
 * Return: the context, or ERR_PTR(-ENXIO) for a device this TSM does not
 * serve (anything but a devsec sample endpoint), or another ERR_PTR.
 */
static struct pci_tsm *devsec_link_probe(struct tsm_dev *tsm_dev,
					 struct pci_dev *pdev)
{
	if (!devsec_pci_dev(pdev) ||
	    pci_pcie_type(pdev) != PCI_EXP_TYPE_ENDPOINT)
		return ERR_PTR(-ENXIO);
	if (devsec_link_is_dsm(pdev))
		return devsec_link_probe_dsm(tsm_dev, pdev);
	return devsec_link_probe_fn(tsm_dev, pdev);
}

static void devsec_link_remove(struct pci_tsm *tsm)
{
	if (tsm->pdev == tsm->dsm_dev) {
		struct devsec_link_dsm *dsm = to_devsec_link_dsm(tsm);

		devsec_link_set_authenticated(dsm, false);
		devsec_link_ide_release(dsm);
		devsec_link_free_evidence(dsm);
		devsec_evidence_free(tsm);
		pci_tsm_pf0_destructor(&dsm->pf0);
		kfree(dsm);
	} else {
		kfree(container_of(tsm, struct devsec_link_fn, base));
	}
}

/*
 * A platform TSM would ask its firmware to create the TDI and assign it
 * to the VM here; the sample only records the binding.
 */
static struct pci_tdi *devsec_link_bind(struct pci_dev *pdev, struct kvm *kvm,
					u32 tdi_id)
{
	struct pci_tdi *tdi = kzalloc(sizeof(*tdi), GFP_KERNEL);

	if (!tdi)
		return ERR_PTR(-ENOMEM);
	pci_tsm_tdi_constructor(pdev, tdi, kvm, tdi_id);
	return tdi;
}

static void devsec_link_unbind(struct pci_tdi *tdi)
{
	kfree(tdi);
}

/*
 * Guest requests: INFO returns a struct devsec_tdi_info (any input is
 * ignored); the sample has no TDI state to change, so STATE_CHANGE is not
 * supported.  The core has already refused the debug scopes.
 */
static ssize_t devsec_link_guest_req(struct pci_tdi *tdi,
				     enum pci_tsm_req_scope scope,
				     sockptr_t req_in, size_t in_len,
				     sockptr_t req_out, size_t out_len,
				     u64 *tsm_code)
{
	struct devsec_tdi_info info = {
		.tdi_id = cpu_to_le32(tdi->tdi_id),
		.requester_id = cpu_to_le16(pci_dev_id(tdi->pdev)),
		.dsm_requester_id = cpu_to_le16(pci_dev_id(tdi->pdev->tsm->dsm_dev)),
	};

	*tsm_code = 0;
	if (scope != PCI_TSM_REQ_INFO)
		return -EOPNOTSUPP;
	if (out_len < sizeof(info))
		return -ENOSPC;
	if (copy_to_sockptr(req_out, &info, sizeof(info)))
		return -EFAULT;
	return sizeof(info);
}

/* Refresh progress in pci_tsm_req::state */
#define DEVSEC_REFRESH_START		0
#define DEVSEC_REFRESH_MEASUREMENTS	1

/**
 * devsec_link_refresh_step() - step function of %PCI_TSM_REQ_REFRESH
 * @req: the refresh request for a connected DSM, with the relying party's
 *	nonce in @req->nonce
 *
 * One signed GET_MEASUREMENTS bound to the nonce; the exchange replaces
 * the measurements evidence (and so changes its generation).
 *
 * Return: %PCI_TSM_STEP_DOE, 0, or a negative errno.
 */
static int devsec_link_refresh_step(struct pci_tsm_req *req)
{
	struct devsec_spdm_xchg *x = req->priv;
	int rc;

	if (req->abort) {
		rc = req->abort_reason < 0 ? req->abort_reason : -EINTR;
		goto out;
	}
	switch (req->state) {
	case DEVSEC_REFRESH_START:
		x = kzalloc(sizeof(*x), GFP_KERNEL);
		if (!x)
			return -ENOMEM;
		req->priv = x;
		x->req_len = devsec_meas_req(x->req, req->nonce,
					     req->nonce_len);
		req->state = DEVSEC_REFRESH_MEASUREMENTS;
		return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, x->req,
				       x->req_len, x->rsp, sizeof(x->rsp));
	case DEVSEC_REFRESH_MEASUREMENTS:
		rc = devsec_meas_rsp(req, x);
		if (!rc)
			rc = devsec_evidence_set(req->tsm,
						 PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS,
						 x->meas, x->meas_len);
		break;
	default:
		rc = -EINVAL;
	}
out:
	devsec_spdm_xchg_free(x);
	req->priv = NULL;
	return rc;
}

/*
 * The operations upstream's core calls.  This TSM drives the device in
 * steps, one DOE exchange each (pci_tsm_req_steps()), as firmware that
 * hands back one message at a time would; a TSM that talks to the
 * device directly calls pci_tsm_doe_transfer() instead.
 */
static int devsec_link_connect(struct pci_dev *pdev)
{
	struct pci_tsm *tsm = pdev->tsm;
	int rc;

	rc = pci_tsm_req_steps(tsm, PCI_TSM_REQ_CONNECT,
			       devsec_link_connect_step);
	/*
	 * A failed connect leaves nothing established: what reached the
	 * device (session, keys, stream) is taken down on the wire
	 */
	if (rc)
		pci_tsm_req_steps(tsm, PCI_TSM_REQ_DISCONNECT,
				  devsec_link_disconnect_step);
	return rc;
}

static void devsec_link_disconnect(struct pci_dev *pdev)
{
	int rc;

	rc = pci_tsm_req_steps(pdev->tsm, PCI_TSM_REQ_DISCONNECT,
			       devsec_link_disconnect_step);
	if (rc && !pci_dev_is_disconnected(pdev))
		pci_warn(pdev, "disconnect: %d\n", rc);
}

/* The nonce reaches the step function as the request's */
static int devsec_link_refresh_evidence(struct pci_tsm *tsm,
					enum pci_tsm_evidence_type type,
					unsigned long flags, void *nonce,
					size_t nonce_len)
{
	if (type != PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS || !nonce)
		return -EOPNOTSUPP;
	return pci_tsm_req_steps(tsm, PCI_TSM_REQ_REFRESH,
				 devsec_link_refresh_step);
}

static struct pci_tsm_ops devsec_link_tsm_ops = {
	.probe = devsec_link_probe,
	.remove = devsec_link_remove,
	.connect = devsec_link_connect,
	.disconnect = devsec_link_disconnect,
	.bind = devsec_link_bind,
	.unbind = devsec_link_unbind,
	.guest_req = devsec_link_guest_req,
	.refresh_evidence = devsec_link_refresh_evidence,
};

/* Evidence may not change under an authenticated device */
static bool devsec_link_any_authenticated(void)
{
	return atomic_read(&devsec_link_nr_authenticated);
}

/*
 * Upstream's sample ABI (Documentation/ABI/testing/sysfs-faux-devsec):
 * the calls a VMM makes, pci_tsm_bind(), pci_tsm_unbind() and
 * pci_tsm_guest_req() for the sample's one VM, driven from this TSM's
 * faux device with the name of a PCI function.  The core checks the
 * device's state under its own locks and answers with its errno.
 */
static unsigned long devsec_link_vm;
#define DEVSEC_LINK_VM	((struct kvm *)&devsec_link_vm)

static struct pci_dev *devsec_link_find_pdev(const char *name)
{
	/* device_match_name() uses sysfs_streq(): a trailing newline is fine */
	struct device *dev = bus_find_device_by_name(&pci_bus_type, NULL, name);

	return dev ? to_pci_dev(dev) : NULL;
}

static ssize_t tsm_bind_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t len)
{
	struct pci_dev *pdev __free(pci_dev_put) = devsec_link_find_pdev(buf);
	int rc;

	if (!pdev)
		return -ENODEV;
	/* the requester ID is a convenient unique TDI id in the sample */
	rc = pci_tsm_bind(pdev, DEVSEC_LINK_VM, pci_dev_id(pdev));
	return rc ?: len;
}
static DEVICE_ATTR_WO(tsm_bind);

static ssize_t tsm_unbind_store(struct device *dev,
				struct device_attribute *attr, const char *buf,
				size_t len)
{
	struct pci_dev *pdev __free(pci_dev_put) = devsec_link_find_pdev(buf);

	if (!pdev)
		return -ENODEV;
	pci_tsm_unbind(pdev);
	return len;
}
static DEVICE_ATTR_WO(tsm_unbind);

static ssize_t tsm_request_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t len)
{
	struct pci_dev *pdev __free(pci_dev_put) = devsec_link_find_pdev(buf);
	struct devsec_tdi_info info;
	u64 tsm_code = 0;
	ssize_t rc;

	if (!pdev)
		return -ENODEV;
	rc = pci_tsm_guest_req(pdev, PCI_TSM_REQ_INFO, KERNEL_SOCKPTR(NULL), 0,
			       KERNEL_SOCKPTR(&info), sizeof(info), &tsm_code);
	return rc < 0 ? rc : len;
}
static DEVICE_ATTR_WO(tsm_request);

static struct attribute *devsec_link_attrs[] = {
	&dev_attr_tsm_bind.attr,
	&dev_attr_tsm_unbind.attr,
	&dev_attr_tsm_request.attr,
	NULL
};

static struct bin_attribute *devsec_link_bin_attrs[] = {
	&devsec_link_certs.attr,
	&devsec_link_transcript.attr,
	NULL
};

static const struct attribute_group devsec_link_group = {
	.attrs = devsec_link_attrs,
	.bin_attrs = devsec_link_bin_attrs,
};

static const struct attribute_group *devsec_link_groups[] = {
	&devsec_link_group,
	NULL
};

static int __init devsec_link_tsm_init(void)
{
	const struct devsec_cert_chain *chain = devsec_sample_chain();
	struct tsm_dev *tsm_dev;

	/* certs reads the sample chain; transcript nothing (the device's) */
	devsec_blob_init(&devsec_link_certs, "certs", devsec_link_any_authenticated,
			 chain->data, chain->len);
	devsec_blob_init(&devsec_link_transcript, "transcript",
			 devsec_link_any_authenticated, NULL, 0);
	devsec_link_fdev = faux_device_create_with_groups(DEVSEC_LINK_NAME,
							  NULL, NULL,
							  devsec_link_groups);
	if (!devsec_link_fdev)
		return -ENOMEM;

	tsm_dev = tsm_register(&devsec_link_fdev->dev, &devsec_link_tsm_ops);
	if (IS_ERR(tsm_dev)) {
		faux_device_destroy(devsec_link_fdev);
		return PTR_ERR(tsm_dev);
	}
	devsec_link_tsm_dev = tsm_dev;
	return 0;
}
module_init(devsec_link_tsm_init);

static void __exit devsec_link_tsm_exit(void)
{
	/* Disconnects (and so unbinds and removes) every device first */
	tsm_unregister(devsec_link_tsm_dev);
	faux_device_destroy(devsec_link_fdev);
	devsec_blob_free(&devsec_link_certs);
	devsec_blob_free(&devsec_link_transcript);
}
module_exit(devsec_link_tsm_exit);

MODULE_IMPORT_NS(DEVSEC);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sample link TSM: SPDM connect of devsec PCI devices");
