// SPDX-License-Identifier: GPL-2.0-only
/*
 * Requester side of an SPDM secure session for the devsec sample TSMs, see
 * spdm_session.h.  Linked into each TSM module that needs it.
 *
 * Every byte of a response is untrusted: lengths are checked against what
 * the DOE exchange returned before anything is read.
 */
#include <linux/bitfield.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tsm.h>
#include <linux/random.h>
#include <linux/unaligned.h>

#include "spdm_session.h"

/* OpaqueDataLength bound (DSP0274 1.2, "Opaque data") */
#define SPDM_SESSION_OPAQUE_MAX		1024

/* KEY_EXCHANGE: fixed part, ExchangeData, OpaqueDataLength (no opaque) */
#define KEY_EXCHANGE_REQ_LEN	(sizeof(struct spdm_key_exchange_req) + \
				 SPDM_P384_DHE_LEN + sizeof(__le16))
/* FINISH: header and RequesterVerifyData, no signature */
#define FINISH_REQ_LEN		(sizeof(struct spdm_finish_req) + \
				 SPDM_SHA384_LEN)

/**
 * devsec_spdm_session_init() - start with no session
 * @s: the session
 */
void devsec_spdm_session_init(struct devsec_spdm_session *s)
{
	s->state = DEVSEC_SPDM_SESSION_IDLE;
	s->session_id = 0;
	s->protocol = 0;
}

/**
 * devsec_spdm_session_alg_structs() - AlgStruct tables for a session
 * @as: room for %DEVSEC_SPDM_SESSION_NR_ALGS entries
 *
 * Offers DHE secp384r1, AEAD AES-256-GCM and the SPDM key schedule, in
 * ascending AlgType order as DSP0274 table 16 requires.  The caller puts
 * %DEVSEC_SPDM_SESSION_NR_ALGS in Param1 of NEGOTIATE_ALGORITHMS and adds
 * the returned size to its Length.
 *
 * Return: bytes written at @as.
 */
size_t devsec_spdm_session_alg_structs(struct spdm_alg_struct *as)
{
	static const struct {
		u8 type;
		u16 alg;
	} offer[DEVSEC_SPDM_SESSION_NR_ALGS] = {
		{ SPDM_ALG_TYPE_DHE, SPDM_DHE_SECP384R1 },
		{ SPDM_ALG_TYPE_AEAD, SPDM_AEAD_AES_256_GCM },
		{ SPDM_ALG_TYPE_KEY_SCHEDULE, SPDM_KEY_SCHEDULE_SPDM },
	};
	int i;

	for (i = 0; i < DEVSEC_SPDM_SESSION_NR_ALGS; i++) {
		as[i].type = offer[i].type;
		as[i].count = SPDM_ALG_COUNT_2_BYTES;
		put_unaligned_le16(offer[i].alg, &as[i].supported);
	}
	return DEVSEC_SPDM_SESSION_NR_ALGS * sizeof(*as);
}

/**
 * devsec_spdm_session_check_algs() - did ALGORITHMS select a session suite?
 * @rsp: the ALGORITHMS response
 * @len: bytes received at @rsp
 *
 * The response must answer the tables of devsec_spdm_session_alg_structs()
 * one for one, each with exactly the algorithm offered selected.
 *
 * Return: 0, -EIO for a malformed response, -EPROTO when the responder
 * selected something else.
 */
int devsec_spdm_session_check_algs(const struct spdm_algorithms_rsp *rsp,
				   size_t len)
{
	struct spdm_alg_struct expect[DEVSEC_SPDM_SESSION_NR_ALGS];
	size_t expect_len = struct_size(rsp, alg_structs,
					DEVSEC_SPDM_SESSION_NR_ALGS);

	if (len < expect_len || rsp->hdr.param1 != DEVSEC_SPDM_SESSION_NR_ALGS ||
	    get_unaligned_le16(&rsp->length) != expect_len ||
	    rsp->ext_asym_sel_count || rsp->ext_hash_sel_count)
		return -EIO;
	devsec_spdm_session_alg_structs(expect);
	if (memcmp(rsp->alg_structs, expect, sizeof(expect)))
		return -EPROTO;
	return 0;
}

/* Map an SPDM ERROR code (DSP0274 table 48) to an errno */
static int spdm_session_errno(u8 error_code)
{
	switch (error_code) {
	case SPDM_ERR_BUSY:
	case SPDM_ERR_REQUEST_IN_FLIGHT:
	case SPDM_ERR_RESPONSE_NOT_READY:
	case SPDM_ERR_SESSION_LIMIT_EXCEEDED:
		return -EBUSY;
	case SPDM_ERR_UNSUPPORTED_REQUEST:
		return -EOPNOTSUPP;
	case SPDM_ERR_DECRYPT_ERROR:
		return -EBADMSG;
	case SPDM_ERR_RESPONSE_TOO_LARGE:
	case SPDM_ERR_REQUEST_TOO_LARGE:
		return -EMSGSIZE;
	default:
		return -EIO;
	}
}

/* Check version and code of an SPDM message of @len bytes at @msg */
static int spdm_session_check_rsp(struct pci_tsm_req *req, const u8 *msg,
				  size_t len, u8 code, size_t min_len)
{
	const struct spdm_header *hdr = (const void *)msg;

	if (len < sizeof(*hdr))
		return -EIO;
	if (hdr->code == SPDM_ERROR) {
		pci_dbg(req->pdev, "SPDM session: ERROR %#x (%#x)\n",
			hdr->param1, hdr->param2);
		return spdm_session_errno(hdr->param1);
	}
	if (hdr->version != SPDM_VERSION_12)
		return -EPROTO;
	if (hdr->code != code || len < min_len) {
		pci_dbg(req->pdev,
			"SPDM session: response %#x, %zu bytes, expected %#x, %zu+\n",
			hdr->code, len, code, min_len);
		return -EIO;
	}
	return 0;
}

static void spdm_session_hdr(u8 *msg, u8 code, u8 param1, u8 param2)
{
	*(struct spdm_header *)msg = (struct spdm_header) {
		.version = SPDM_VERSION_12,
		.code = code,
		.param1 = param1,
		.param2 = param2,
	};
}

/* Ask for a CMA (in the clear) exchange of @len bytes at @s->req */
static int spdm_session_send_clear(struct pci_tsm_req *req,
				   struct devsec_spdm_session *s, size_t len)
{
	return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, s->req, len, s->rsp,
			       sizeof(s->rsp));
}

/*
 * Wrap the SPDM message of @len bytes already at @s->req + header size
 * into a secured message and ask for the exchange (DOE type 2).
 */
static int spdm_session_send_secured(struct pci_tsm_req *req,
				     struct devsec_spdm_session *s, size_t len)
{
	struct spdm_secured_msg_hdr *hdr = (void *)s->req;
	u8 *mac = s->req + sizeof(*hdr) + len;

	put_unaligned_le32(s->session_id, &hdr->session_id);
	put_unaligned_le16(sizeof(hdr->app_data_len) + len +
			   SPDM_SECURED_MAC_LEN, &hdr->length);
	put_unaligned_le16(len, &hdr->app_data_len);
	/* Simulated AEAD (spdm.h): plaintext record, MAC pattern */
	memset(mac, SPDM_SIM_MAC_BYTE, SPDM_SECURED_MAC_LEN);
	return pci_tsm_req_doe(req, PCI_DOE_FEATURE_SSESSION, s->req,
			       sizeof(*hdr) + len + SPDM_SECURED_MAC_LEN,
			       s->rsp, sizeof(s->rsp));
}

/* The SPDM message inside the secured request buffer */
static u8 *spdm_session_app(u8 *buf)
{
	return buf + sizeof(struct spdm_secured_msg_hdr);
}

/*
 * Unwrap the secured response of the exchange just done: the session ID
 * must be ours and the lengths consistent; the simulated MAC must match.
 * Returns the SPDM message length (the message is at spdm_session_app()),
 * or a negative errno.
 */
static int spdm_session_unwrap(struct pci_tsm_req *req,
			       struct devsec_spdm_session *s)
{
	const struct spdm_secured_msg_hdr *hdr = (const void *)s->rsp;
	size_t rec_start = offsetof(struct spdm_secured_msg_hdr, app_data_len);
	int len = req->doe.rsp_len;
	size_t rec_len, app_len, i;
	const u8 *mac;

	if (len < 0)
		return len;
	if (len > sizeof(s->rsp) || len < sizeof(*hdr) + SPDM_SECURED_MAC_LEN)
		return -EIO;
	if (get_unaligned_le32(&hdr->session_id) != s->session_id) {
		pci_dbg(req->pdev, "SPDM session: response for session %#x\n",
			get_unaligned_le32(&hdr->session_id));
		return -EIO;
	}
	rec_len = get_unaligned_le16(&hdr->length);
	/* DOE pads to a dword: more than that past the record is junk */
	if (rec_start + rec_len > len ||
	    len > round_up(rec_start + rec_len, 4) ||
	    rec_len < sizeof(hdr->app_data_len) + SPDM_SECURED_MAC_LEN)
		return -EIO;
	app_len = get_unaligned_le16(&hdr->app_data_len);
	if (app_len > rec_len - sizeof(hdr->app_data_len) -
		      SPDM_SECURED_MAC_LEN)
		return -EIO;
	mac = s->rsp + rec_start + rec_len - SPDM_SECURED_MAC_LEN;
	for (i = 0; i < SPDM_SECURED_MAC_LEN; i++)
		if (mac[i] != SPDM_SIM_MAC_BYTE)
			return -EBADMSG;
	return app_len;
}

static int spdm_session_key_exchange(struct pci_tsm_req *req,
				     struct devsec_spdm_session *s)
{
	struct spdm_key_exchange_req *ke = (void *)s->req;
	u16 req_sid;

	memset(s->req, 0, KEY_EXCHANGE_REQ_LEN);
	spdm_session_hdr(s->req, SPDM_KEY_EXCHANGE, SPDM_MEAS_SUMMARY_NONE, 0);
	/* 0 and 0xffff are reserved session ID halves (DSP0274 10.17) */
	req_sid = clamp_t(u16, get_random_u16(), 1, 0xfffe);
	put_unaligned_le16(req_sid, &ke->req_session_id);
	ke->session_policy = 0;
	get_random_bytes(ke->random, sizeof(ke->random));
	/* Simulated ECDHE public key (spdm.h) */
	memset(s->req + sizeof(*ke), SPDM_SIM_DHE_BYTE, SPDM_P384_DHE_LEN);
	/* OpaqueDataLength 0: already zero */
	s->session_id = req_sid;
	s->state = DEVSEC_SPDM_SESSION_KEY_EXCHANGE;
	return spdm_session_send_clear(req, s, KEY_EXCHANGE_REQ_LEN);
}

/*
 * KEY_EXCHANGE_RSP: fixed part, ExchangeData[D], no measurement summary
 * hash (none asked for), OpaqueDataLength, OpaqueData, Signature[S],
 * ResponderVerifyData[H].  Then FINISH inside the handshake session.
 */
static int spdm_session_key_exchange_rsp(struct pci_tsm_req *req,
					 struct devsec_spdm_session *s)
{
	const struct spdm_key_exchange_rsp *rsp = (const void *)s->rsp;
	size_t opaque_off = sizeof(*rsp) + SPDM_P384_DHE_LEN;
	size_t opaque_len, sig_off, i;
	int len = req->doe.rsp_len, rc;
	u8 *fin = spdm_session_app(s->req);
	u16 rsp_sid;

	if (len < 0)
		return len;
	if (len > sizeof(s->rsp))
		return -EIO;
	rc = spdm_session_check_rsp(req, s->rsp, len, SPDM_KEY_EXCHANGE_RSP,
				    opaque_off + sizeof(__le16));
	if (rc)
		return rc;
	opaque_len = get_unaligned_le16(s->rsp + opaque_off);
	sig_off = opaque_off + sizeof(__le16) + opaque_len;
	if (opaque_len > SPDM_SESSION_OPAQUE_MAX ||
	    sig_off + SPDM_P384_SIG_LEN + SPDM_SHA384_LEN > len) {
		pci_dbg(req->pdev, "SPDM session: short KEY_EXCHANGE_RSP\n");
		return -EIO;
	}
	rsp_sid = get_unaligned_le16(&rsp->rsp_session_id);
	if (!rsp_sid || rsp_sid == 0xffff || rsp->mut_auth_requested) {
		pci_dbg(req->pdev,
			"SPDM session: session id %#x, mutual auth %#x\n",
			rsp_sid, rsp->mut_auth_requested);
		return -EPROTO;
	}
	/*
	 * Simulated crypto (spdm.h): a real requester verifies the signature
	 * over the transcript and the HMAC of the handshake secret here.
	 */
	if (!spdm_sim_signature_ok(s->rsp + sig_off))
		return -EACCES;
	for (i = 0; i < SPDM_SHA384_LEN; i++)
		if (s->rsp[sig_off + SPDM_P384_SIG_LEN + i] !=
		    SPDM_SIM_VERIFY_BYTE)
			return -EACCES;

	s->session_id |= (u32)rsp_sid << 16;
	spdm_session_hdr(fin, SPDM_FINISH, 0, 0);
	memset(fin + sizeof(struct spdm_finish_req), SPDM_SIM_VERIFY_BYTE,
	       SPDM_SHA384_LEN);
	s->state = DEVSEC_SPDM_SESSION_FINISH;
	return spdm_session_send_secured(req, s, FINISH_REQ_LEN);
}

static int spdm_session_finish_rsp(struct pci_tsm_req *req,
				   struct devsec_spdm_session *s)
{
	int len = spdm_session_unwrap(req, s);

	if (len < 0)
		return len;
	return spdm_session_check_rsp(req, spdm_session_app(s->rsp), len,
				      SPDM_FINISH_RSP,
				      sizeof(struct spdm_finish_rsp));
}

/**
 * devsec_spdm_session_open() - open a session, one exchange per call
 * @req: the request being executed, after VERSION, CAPABILITIES (with
 *	%DEVSEC_SPDM_SESSION_REQ_CAPS) and ALGORITHMS (with a session suite)
 *	and authentication of the responder's certificate chain (slot 0)
 * @s: the session, idle on the first call
 *
 * First call: sends KEY_EXCHANGE.  Call again with the response until the
 * return value is no longer %PCI_TSM_STEP_DOE.
 *
 * Return: %PCI_TSM_STEP_DOE, 0 once the session is established, or a
 * negative errno (the session is then idle again; the responder drops a
 * half-open session at the next GET_VERSION or KEY_EXCHANGE).
 */
int devsec_spdm_session_open(struct pci_tsm_req *req,
			     struct devsec_spdm_session *s)
{
	int rc;

	switch (s->state) {
	case DEVSEC_SPDM_SESSION_IDLE:
		return spdm_session_key_exchange(req, s);
	case DEVSEC_SPDM_SESSION_KEY_EXCHANGE:
		rc = spdm_session_key_exchange_rsp(req, s);
		break;
	case DEVSEC_SPDM_SESSION_FINISH:
		rc = spdm_session_finish_rsp(req, s);
		if (!rc) {
			s->state = DEVSEC_SPDM_SESSION_OPEN;
			pci_dbg(req->pdev, "SPDM session %#x established\n",
				s->session_id);
		}
		break;
	default:
		rc = -EINVAL;
		break;
	}
	if (rc < 0)
		devsec_spdm_session_init(s);
	return rc;
}

/**
 * devsec_spdm_session_close() - END_SESSION, one exchange per call
 * @req: the request being executed
 * @s: the session
 *
 * First call on an open session sends END_SESSION; call again with the
 * response.  On an idle session there is nothing to do.
 *
 * Return: %PCI_TSM_STEP_DOE, 0 when the session is closed, or a negative
 * errno.  The session is idle on the requester side after either of the
 * last two: a device that does not acknowledge has lost it anyway.
 */
int devsec_spdm_session_close(struct pci_tsm_req *req,
			      struct devsec_spdm_session *s)
{
	int len, rc;

	switch (s->state) {
	case DEVSEC_SPDM_SESSION_IDLE:
		return 0;
	case DEVSEC_SPDM_SESSION_OPEN:
		spdm_session_hdr(spdm_session_app(s->req), SPDM_END_SESSION,
				 0, 0);
		s->state = DEVSEC_SPDM_SESSION_END;
		return spdm_session_send_secured(req, s,
				sizeof(struct spdm_end_session_req));
	case DEVSEC_SPDM_SESSION_END:
		len = spdm_session_unwrap(req, s);
		if (len < 0) {
			rc = len;
			break;
		}
		rc = spdm_session_check_rsp(req, spdm_session_app(s->rsp), len,
					    SPDM_END_SESSION_ACK,
					    sizeof(struct spdm_end_session_ack_rsp));
		break;
	default:
		rc = -EINVAL;
		break;
	}
	devsec_spdm_session_init(s);
	return rc;
}

/**
 * devsec_spdm_session_vendor_send() - send a PCI-SIG vendor defined request
 * @req: the request being executed
 * @s: an open session
 * @protocol: SPDM_PCISIG_PROTOCOL_* (IDE_KM, TDISP)
 * @msg: the protocol message, after the protocol id byte
 * @len: bytes at @msg
 *
 * Wraps @msg in VENDOR_DEFINED_REQUEST and that in a secured message.
 * Collect the answer with devsec_spdm_session_vendor_recv() at the next
 * call of the step function.
 *
 * Return: %PCI_TSM_STEP_DOE, or -EINVAL (no open session), -EMSGSIZE
 * (@msg too long).
 */
int devsec_spdm_session_vendor_send(struct pci_tsm_req *req,
				    struct devsec_spdm_session *s, u8 protocol,
				    const void *msg, size_t len)
{
	struct spdm_vendor_defined_hdr *vd = (void *)spdm_session_app(s->req);

	if (s->state != DEVSEC_SPDM_SESSION_OPEN)
		return -EINVAL;
	if (len > DEVSEC_SPDM_SESSION_MSG_MAX - sizeof(*vd))
		return -EMSGSIZE;

	spdm_session_hdr((u8 *)vd, SPDM_VENDOR_DEFINED_REQUEST, 0, 0);
	put_unaligned_le16(SPDM_STANDARD_ID_PCISIG, &vd->standard_id);
	vd->vendor_id_len = sizeof(vd->vendor_id);
	put_unaligned_le16(SPDM_PCISIG_VENDOR_ID, &vd->vendor_id);
	/* PayloadLength counts from the protocol id byte on */
	put_unaligned_le16(1 + len, &vd->payload_len);
	vd->protocol_id = protocol;
	memcpy(vd + 1, msg, len);
	s->protocol = protocol;
	s->state = DEVSEC_SPDM_SESSION_VENDOR;
	return spdm_session_send_secured(req, s, sizeof(*vd) + len);
}

/**
 * devsec_spdm_session_vendor_recv() - collect a vendor defined response
 * @req: the request being executed, after the exchange that
 *	devsec_spdm_session_vendor_send() asked for
 * @s: the session
 * @msg: set to the protocol message (after the protocol id byte), valid
 *	until the next exchange of @s
 *
 * Return: length of the message at @msg, or a negative errno: the
 * exchange's own error, -EIO for a malformed or foreign response, the
 * mapping of an SPDM ERROR.  The session stays open either way, except
 * after a MAC failure (-EBADMSG), which ends it (DSP0277).
 */
int devsec_spdm_session_vendor_recv(struct pci_tsm_req *req,
				    struct devsec_spdm_session *s,
				    const u8 **msg)
{
	const struct spdm_vendor_defined_hdr *vd =
		(const void *)spdm_session_app(s->rsp);
	size_t payload_len;
	int len, rc;

	if (s->state != DEVSEC_SPDM_SESSION_VENDOR)
		return -EINVAL;
	s->state = DEVSEC_SPDM_SESSION_OPEN;
	len = spdm_session_unwrap(req, s);
	if (len == -EBADMSG)
		devsec_spdm_session_init(s);
	if (len < 0)
		return len;
	rc = spdm_session_check_rsp(req, (const u8 *)vd, len,
				    SPDM_VENDOR_DEFINED_RESPONSE, sizeof(*vd));
	if (rc)
		return rc;
	payload_len = get_unaligned_le16(&vd->payload_len);
	if (get_unaligned_le16(&vd->standard_id) != SPDM_STANDARD_ID_PCISIG ||
	    vd->vendor_id_len != sizeof(vd->vendor_id) ||
	    get_unaligned_le16(&vd->vendor_id) != SPDM_PCISIG_VENDOR_ID ||
	    vd->protocol_id != s->protocol || !payload_len ||
	    offsetof(struct spdm_vendor_defined_hdr, protocol_id) +
	    payload_len > len) {
		pci_dbg(req->pdev, "SPDM session: malformed vendor response\n");
		return -EIO;
	}
	*msg = (const u8 *)(vd + 1);
	return payload_len - 1;
}
