// SPDX-License-Identifier: GPL-2.0-only
/*
 * devsec_bus: the SPDM 1.2 responder (DMTF DSP0274) of the simulated DSM,
 * reached through the DOE mailbox as CMA (PCIe r6.1 sec 6.31) and, once a
 * session is up, as secured CMA (DMTF DSP0277).
 *
 * The responder is a function of (state, request bytes) -> response bytes:
 * devsec_spdm_respond() and devsec_spdm_respond_secured() parse the
 * request, update struct devsec_spdm, and write the response into a buffer
 * they are given.  They run inside a config write (atomic context) and
 * neither sleep nor allocate.  Every request either gets its response or
 * an SPDM ERROR; the only silent drop is a secured message for a session
 * that does not exist, which the mailbox turns into DOE Error.
 *
 * Supported: GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS,
 * GET_DIGESTS, GET_CERTIFICATE, CHALLENGE, KEY_EXCHANGE, FINISH,
 * END_SESSION, GET_MEASUREMENTS (all blocks or their count, signed or
 * not, the record of devsec_measurement_record()) and
 * VENDOR_DEFINED_REQUEST (PCI-SIG IDE_KM and TDISP, handled by struct
 * devsec_spdm_vendor_ops when set).  One session at a time, no chunking,
 * no mutual authentication.
 *
 * Simulated, not secure: the negotiated algorithms are SHA-384 and ECDSA
 * P-384 but digests, signatures, key exchange data and MACs are the fixed
 * patterns and spdm_sim_digest() of spdm.h, the secured messages travel in
 * plaintext, and the certificate chain is a labelled placeholder unless
 * replaced through devsec_cert_chain_build().
 */
#include <linux/bitfield.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "bus.h"

#define DEVSEC_SPDM_RSP_CAPS		(SPDM_CAP_CERT | SPDM_CAP_CHAL | \
					 FIELD_PREP(SPDM_CAP_MEAS, \
						    SPDM_CAP_MEAS_SIG) | \
					 SPDM_CAP_ENCRYPT | SPDM_CAP_MAC | \
					 SPDM_CAP_KEY_EX)
/* 2^16 us: cryptographic operations "take" at most 65 ms */
#define DEVSEC_SPDM_CT_EXPONENT		16
/* DSP0274 1.2 MinDataTransferSize */
#define SPDM_MIN_DATA_TRANSFER_SIZE	42
/* DSP0274 1.2: NEGOTIATE_ALGORITHMS Length, ExtAsymCount + ExtHashCount */
#define SPDM_NEGOTIATE_ALGS_MAX_LEN	128
#define SPDM_NEGOTIATE_ALGS_MAX_EXT	20
#define SPDM_MAX_ALG_STRUCTS		4
/* our bound on opaque data in KEY_EXCHANGE */
#define DEVSEC_SPDM_MAX_OPAQUE		1024
/* responder nonce / random data filler, see spdm_sim_random() */
#define DEVSEC_SPDM_SIM_RANDOM_BYTE	0x4e

/* Where a request is accepted (struct spdm_handler.where) */
#define SPDM_IN_CLEAR			BIT(0)	/* CMA, outside a session */
#define SPDM_IN_HANDSHAKE		BIT(1)	/* session after KEY_EXCHANGE */
#define SPDM_IN_SESSION			BIT(2)	/* established session */

/* a handler returns the response length or a negative SPDM_ERR_* code */
typedef ssize_t (*spdm_handler_fn)(struct devsec_spdm *spdm, const u8 *req,
				   size_t len, u8 *rsp, size_t size);

/**
 * struct spdm_handler - how one request code is processed
 * @code: request code
 * @where: SPDM_IN_* where the request is accepted
 * @conn: connection state needed
 * @exact: @conn must match exactly (negotiation steps), rather than be
 *	reached
 * @min_len: shortest valid request
 * @fn: produces the response
 */
struct spdm_handler {
	u8 code;
	u8 where;
	enum devsec_spdm_conn conn;
	bool exact;
	size_t min_len;
	spdm_handler_fn fn;
};

static void spdm_sim_random(struct devsec_spdm *spdm, u8 *buf, size_t len)
{
	memset(buf, DEVSEC_SPDM_SIM_RANDOM_BYTE, len);
	buf[0] = spdm->nonce_seq++;
}

static void spdm_end_session(struct devsec_spdm *spdm)
{
	spdm->session_state = DEVSEC_SESSION_NONE;
	spdm->session_id = 0;
}

/**
 * devsec_spdm_reset() - back to "not started", as after a device reset
 * @spdm: responder state
 *
 * Ends the session and forgets the negotiated parameters; the certificate
 * chain and vendor protocol handlers stay.
 */
void devsec_spdm_reset(struct devsec_spdm *spdm)
{
	spdm_end_session(spdm);
	spdm->conn = DEVSEC_SPDM_NOT_STARTED;
	spdm->req_caps = 0;
	spdm->req_data_transfer_size = 0;
	spdm->hash_sel = 0;
	spdm->asym_sel = 0;
	spdm->dhe_sel = 0;
	spdm->aead_sel = 0;
}

/**
 * devsec_spdm_init() - initialise a responder
 * @spdm: responder state
 * @chain: certificate chain for slot 0, must outlive @spdm
 */
void devsec_spdm_init(struct devsec_spdm *spdm,
		      const struct devsec_cert_chain *chain)
{
	memset(spdm, 0, sizeof(*spdm));
	spdm->chain = chain;
	spdm->next_rsp_session_id = 1;
	devsec_spdm_reset(spdm);
}

/**
 * devsec_spdm_conn_name() - name of a connection state, for debugfs
 * @conn: the state
 *
 * Return: the name, a static string.
 */
const char *devsec_spdm_conn_name(enum devsec_spdm_conn conn)
{
	static const char *const names[] = {
		[DEVSEC_SPDM_NOT_STARTED] = "not-started",
		[DEVSEC_SPDM_AFTER_VERSION] = "after-version",
		[DEVSEC_SPDM_AFTER_CAPABILITIES] = "after-capabilities",
		[DEVSEC_SPDM_NEGOTIATED] = "negotiated",
	};

	if (conn >= ARRAY_SIZE(names))
		return "invalid";
	return names[conn];
}

static void spdm_hdr(u8 *rsp, u8 version, u8 code, u8 param1, u8 param2)
{
	struct spdm_header *hdr = (struct spdm_header *)rsp;

	hdr->version = version;
	hdr->code = code;
	hdr->param1 = param1;
	hdr->param2 = param2;
}

/* the largest response the requester can take (no chunking here) */
static size_t spdm_rsp_limit(struct devsec_spdm *spdm, size_t size)
{
	size_t limit = min_t(size_t, size, DEVSEC_SPDM_MAX_MSG);

	if (spdm->req_data_transfer_size)
		limit = min_t(size_t, limit, spdm->req_data_transfer_size);
	return limit;
}

static ssize_t spdm_error(struct devsec_spdm *spdm, u8 version, u8 err,
			  u8 data, u8 *rsp, size_t size)
{
	if (size < sizeof(struct spdm_error_rsp))
		return -ENOSPC;
	spdm_hdr(rsp, version, SPDM_ERROR, err, data);
	return sizeof(struct spdm_error_rsp);
}

static ssize_t spdm_get_version(struct devsec_spdm *spdm, const u8 *req,
				size_t len, u8 *rsp, size_t size)
{
	struct spdm_version_rsp *ver = (struct spdm_version_rsp *)rsp;
	size_t rsp_len = struct_size(ver, entries, 1);

	/* DSP0274 10.3: GET_VERSION resets the connection and any session */
	devsec_spdm_reset(spdm);

	if (rsp_len > size)
		return -SPDM_ERR_RESPONSE_TOO_LARGE;
	spdm_hdr(rsp, SPDM_VERSION_10, SPDM_VERSION, 0, 0);
	ver->reserved = 0;
	ver->entry_count = 1;
	put_unaligned_le16(SPDM_VERSION_ENTRY_12, &ver->entries[0]);
	spdm->conn = DEVSEC_SPDM_AFTER_VERSION;
	return rsp_len;
}

static ssize_t spdm_get_capabilities(struct devsec_spdm *spdm, const u8 *req,
				     size_t len, u8 *rsp, size_t size)
{
	const struct spdm_get_capabilities_req *cap = (const void *)req;
	struct spdm_capabilities_rsp *out = (struct spdm_capabilities_rsp *)rsp;
	u32 flags = get_unaligned_le32(&cap->flags);
	u32 dts = get_unaligned_le32(&cap->data_transfer_size);
	u32 max_msg = get_unaligned_le32(&cap->max_spdm_msg_size);

	if (dts < SPDM_MIN_DATA_TRANSFER_SIZE || max_msg < dts)
		return -SPDM_ERR_INVALID_REQUEST;
	/* DSP0274 table 10: key exchange needs encryption or MAC */
	if ((flags & SPDM_CAP_KEY_EX) &&
	    !(flags & (SPDM_CAP_ENCRYPT | SPDM_CAP_MAC)))
		return -SPDM_ERR_INVALID_REQUEST;
	if (sizeof(*out) > size)
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	spdm->req_caps = flags;
	spdm->req_data_transfer_size = dts;

	memset(out, 0, sizeof(*out));
	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_CAPABILITIES, 0, 0);
	out->ct_exponent = DEVSEC_SPDM_CT_EXPONENT;
	put_unaligned_le32(DEVSEC_SPDM_RSP_CAPS, &out->flags);
	put_unaligned_le32(DEVSEC_SPDM_MAX_MSG, &out->data_transfer_size);
	put_unaligned_le32(DEVSEC_SPDM_MAX_MSG, &out->max_spdm_msg_size);
	spdm->conn = DEVSEC_SPDM_AFTER_CAPABILITIES;
	return sizeof(*out);
}

/* what we pick out of the requester's offer for each AlgType */
static u16 spdm_select_alg(struct devsec_spdm *spdm, u8 type, u16 offered)
{
	switch (type) {
	case SPDM_ALG_TYPE_DHE:
		spdm->dhe_sel = offered & SPDM_DHE_SECP384R1;
		return spdm->dhe_sel;
	case SPDM_ALG_TYPE_AEAD:
		spdm->aead_sel = offered & SPDM_AEAD_AES_256_GCM;
		return spdm->aead_sel;
	case SPDM_ALG_TYPE_REQ_BASE_ASYM:
		/* no mutual authentication: none needed */
		return 0;
	case SPDM_ALG_TYPE_KEY_SCHEDULE:
		return offered & SPDM_KEY_SCHEDULE_SPDM;
	default:
		return 0;
	}
}

static ssize_t spdm_negotiate_algorithms(struct devsec_spdm *spdm,
					 const u8 *req, size_t len, u8 *rsp,
					 size_t size)
{
	const struct spdm_negotiate_algorithms_req *na = (const void *)req;
	struct spdm_algorithms_rsp *out = (struct spdm_algorithms_rsp *)rsp;
	unsigned int nr_structs = na->hdr.param1;
	size_t length = get_unaligned_le16(&na->length);
	size_t off, rsp_len;
	unsigned int i;
	u8 prev_type = 0;

	if (length > len || length < sizeof(*na) ||
	    length > SPDM_NEGOTIATE_ALGS_MAX_LEN ||
	    nr_structs > SPDM_MAX_ALG_STRUCTS ||
	    na->ext_asym_count + na->ext_hash_count >
	    SPDM_NEGOTIATE_ALGS_MAX_EXT)
		return -SPDM_ERR_INVALID_REQUEST;

	rsp_len = struct_size(out, alg_structs, nr_structs);
	if (rsp_len > spdm_rsp_limit(spdm, size))
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	memset(out, 0, rsp_len);
	spdm->hash_sel = get_unaligned_le32(&na->base_hash_algo) &
			 SPDM_HASH_SHA_384;
	spdm->asym_sel = get_unaligned_le32(&na->base_asym_algo) &
			 SPDM_ASYM_ECDSA_ECC_NIST_P384;
	spdm->dhe_sel = 0;
	spdm->aead_sel = 0;

	/* skip the extended algorithms, which we never select */
	off = sizeof(*na) + 4 * (na->ext_asym_count + na->ext_hash_count);
	for (i = 0; i < nr_structs; i++) {
		const struct spdm_alg_struct *as;
		unsigned int nr_ext;

		if (off + sizeof(*as) > length)
			return -SPDM_ERR_INVALID_REQUEST;
		as = (const void *)(req + off);
		nr_ext = FIELD_GET(SPDM_ALG_COUNT_EXT, as->count);
		/* AlgTypes ascending, 2-byte AlgSupported (DSP0274 table 16) */
		if (as->type <= prev_type || as->type < SPDM_ALG_TYPE_DHE ||
		    as->type > SPDM_ALG_TYPE_KEY_SCHEDULE ||
		    FIELD_GET(SPDM_ALG_COUNT_FIXED, as->count) != 2)
			return -SPDM_ERR_INVALID_REQUEST;
		prev_type = as->type;

		out->alg_structs[i].type = as->type;
		out->alg_structs[i].count = SPDM_ALG_COUNT_2_BYTES;
		put_unaligned_le16(spdm_select_alg(spdm, as->type,
						   get_unaligned_le16(&as->supported)),
				   &out->alg_structs[i].supported);
		off += sizeof(*as) + 4 * nr_ext;
	}
	if (off != length)
		return -SPDM_ERR_INVALID_REQUEST;

	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_ALGORITHMS, nr_structs, 0);
	put_unaligned_le16(rsp_len, &out->length);
	/* DMTF measurement blocks with SHA-384 digests, if asked for */
	out->meas_spec_sel = na->meas_spec & SPDM_MEAS_SPEC_DMTF;
	if (out->meas_spec_sel)
		put_unaligned_le32(SPDM_MEAS_HASH_SHA_384, &out->meas_hash_algo);
	out->other_params_sel = na->other_params & SPDM_OPAQUE_DATA_FMT_1;
	put_unaligned_le32(spdm->asym_sel, &out->base_asym_sel);
	put_unaligned_le32(spdm->hash_sel, &out->base_hash_sel);
	spdm->conn = DEVSEC_SPDM_NEGOTIATED;
	return rsp_len;
}

/* certificates need a hash and a signature algorithm in common */
static bool spdm_can_authenticate(struct devsec_spdm *spdm)
{
	return spdm->hash_sel && spdm->asym_sel && spdm->chain;
}

static ssize_t spdm_get_digests(struct devsec_spdm *spdm, const u8 *req,
				size_t len, u8 *rsp, size_t size)
{
	struct spdm_digests_rsp *out = (struct spdm_digests_rsp *)rsp;
	size_t rsp_len = sizeof(*out) + SPDM_SHA384_LEN;

	if (!spdm_can_authenticate(spdm))
		return -SPDM_ERR_UNEXPECTED_REQUEST;
	if (rsp_len > spdm_rsp_limit(spdm, size))
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_DIGESTS, 0,
		 BIT(DEVSEC_SPDM_CERT_SLOT));
	memcpy(out->digests, spdm->chain->digest, SPDM_SHA384_LEN);
	return rsp_len;
}

static ssize_t spdm_get_certificate(struct devsec_spdm *spdm, const u8 *req,
				    size_t len, u8 *rsp, size_t size)
{
	const struct spdm_get_certificate_req *gc = (const void *)req;
	struct spdm_certificate_rsp *out = (struct spdm_certificate_rsp *)rsp;
	size_t offset = get_unaligned_le16(&gc->offset);
	size_t length = get_unaligned_le16(&gc->length);
	size_t limit = spdm_rsp_limit(spdm, size);
	const struct devsec_cert_chain *chain = spdm->chain;
	size_t portion;

	if (!spdm_can_authenticate(spdm))
		return -SPDM_ERR_UNEXPECTED_REQUEST;
	if (FIELD_GET(SPDM_GET_CERT_SLOT, gc->hdr.param1) !=
	    DEVSEC_SPDM_CERT_SLOT || offset >= chain->len || !length)
		return -SPDM_ERR_INVALID_REQUEST;
	if (limit <= sizeof(*out))
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	portion = min3(length, chain->len - offset, limit - sizeof(*out));
	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_CERTIFICATE,
		 DEVSEC_SPDM_CERT_SLOT, 0);
	put_unaligned_le16(portion, &out->portion_length);
	put_unaligned_le16(chain->len - offset - portion,
			   &out->remainder_length);
	memcpy(out->cert_chain, chain->data + offset, portion);
	return sizeof(*out) + portion;
}

static ssize_t spdm_challenge(struct devsec_spdm *spdm, const u8 *req,
			      size_t len, u8 *rsp, size_t size)
{
	const struct spdm_challenge_req *ch = (const void *)req;
	size_t rsp_len = sizeof(struct spdm_header) + SPDM_SHA384_LEN +
			 SPDM_NONCE_LEN + 2 + SPDM_P384_SIG_LEN;
	u8 *p = rsp + sizeof(struct spdm_header);

	if (!spdm_can_authenticate(spdm))
		return -SPDM_ERR_UNEXPECTED_REQUEST;
	/* slot 0 only; no measurements, so no measurement summary hash */
	if (ch->hdr.param1 != DEVSEC_SPDM_CERT_SLOT ||
	    ch->hdr.param2 != SPDM_MEAS_SUMMARY_NONE)
		return -SPDM_ERR_INVALID_REQUEST;
	if (rsp_len > spdm_rsp_limit(spdm, size))
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_CHALLENGE_AUTH,
		 DEVSEC_SPDM_CERT_SLOT, BIT(DEVSEC_SPDM_CERT_SLOT));
	memcpy(p, spdm->chain->digest, SPDM_SHA384_LEN);
	p += SPDM_SHA384_LEN;
	spdm_sim_random(spdm, p, SPDM_NONCE_LEN);
	p += SPDM_NONCE_LEN;
	put_unaligned_le16(0, p);	/* OpaqueDataLength */
	p += 2;
	/* simulated: not a signature over the transcript */
	spdm_sim_signature(p);
	return rsp_len;
}

static ssize_t spdm_get_measurements(struct devsec_spdm *spdm, const u8 *req,
				     size_t len, u8 *rsp, size_t size)
{
	const struct spdm_header *hdr = (const void *)req;
	bool sig = hdr->param1 & SPDM_MEAS_REQ_SIG;
	size_t rec_len = 0, rsp_len;
	u8 nr_blocks = 0;
	u8 *p;

	if (!spdm_can_authenticate(spdm))
		return -SPDM_ERR_UNEXPECTED_REQUEST;
	/* DOE pads the request to a dword: trailing bytes are ignored */
	if (hdr->param1 & ~SPDM_MEAS_REQ_SIG ||
	    len < (sig ? SPDM_MEAS_REQ_SIG_LEN : SPDM_MEAS_REQ_LEN) ||
	    (sig && req[SPDM_MEAS_REQ_SIG_LEN - 1] != DEVSEC_SPDM_CERT_SLOT))
		return -SPDM_ERR_INVALID_REQUEST;
	/* the sample answers for all blocks or their number only */
	if (hdr->param2 == SPDM_MEAS_OP_ALL) {
		rec_len = DEVSEC_MEAS_RECORD_LEN;
		nr_blocks = DEVSEC_MEAS_NR_BLOCKS;
	} else if (hdr->param2 != SPDM_MEAS_OP_COUNT) {
		return -SPDM_ERR_INVALID_REQUEST;
	}
	rsp_len = SPDM_MEAS_RSP_FIXED + rec_len + SPDM_NONCE_LEN + 2 +
		  (sig ? SPDM_P384_SIG_LEN : 0);
	if (rsp_len > spdm_rsp_limit(spdm, size))
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_MEASUREMENTS,
		 hdr->param2 == SPDM_MEAS_OP_COUNT ? DEVSEC_MEAS_NR_BLOCKS : 0,
		 sig ? DEVSEC_SPDM_CERT_SLOT : 0);
	p = rsp + sizeof(struct spdm_header);
	*p++ = nr_blocks;
	put_unaligned_le24(rec_len, p);
	p += 3;
	if (rec_len)
		p += devsec_measurement_record(p);
	spdm_sim_random(spdm, p, SPDM_NONCE_LEN);
	p += SPDM_NONCE_LEN;
	put_unaligned_le16(0, p);	/* OpaqueDataLength */
	p += 2;
	/* simulated: not a signature over L1/L2 */
	if (sig)
		spdm_sim_signature(p);
	return rsp_len;
}

static ssize_t spdm_key_exchange(struct devsec_spdm *spdm, const u8 *req,
				 size_t len, u8 *rsp, size_t size)
{
	const struct spdm_key_exchange_req *ke = (const void *)req;
	struct spdm_key_exchange_rsp *out = (struct spdm_key_exchange_rsp *)rsp;
	size_t rsp_len = sizeof(*out) + SPDM_P384_DHE_LEN + 2 +
			 SPDM_P384_SIG_LEN + SPDM_SHA384_LEN;
	size_t off = sizeof(*ke) + SPDM_P384_DHE_LEN;
	u16 req_sid = get_unaligned_le16(&ke->req_session_id);
	u16 rsp_sid;
	size_t opaque_len;
	u8 *p;

	if (!spdm_can_authenticate(spdm) || !spdm->dhe_sel ||
	    !spdm->aead_sel || !(spdm->req_caps & SPDM_CAP_KEY_EX))
		return -SPDM_ERR_UNEXPECTED_REQUEST;
	if (ke->hdr.param1 != SPDM_MEAS_SUMMARY_NONE ||
	    ke->hdr.param2 != DEVSEC_SPDM_CERT_SLOT || off + 2 > len)
		return -SPDM_ERR_INVALID_REQUEST;
	opaque_len = get_unaligned_le16(req + off);
	if (opaque_len > DEVSEC_SPDM_MAX_OPAQUE || off + 2 + opaque_len > len)
		return -SPDM_ERR_INVALID_REQUEST;
	if (spdm->session_state != DEVSEC_SESSION_NONE)
		return -SPDM_ERR_SESSION_LIMIT_EXCEEDED;
	if (rsp_len > spdm_rsp_limit(spdm, size))
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	rsp_sid = spdm->next_rsp_session_id++;
	if (spdm->next_rsp_session_id == 0xffff)
		spdm->next_rsp_session_id = 1;

	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_KEY_EXCHANGE_RSP, 0, 0);
	put_unaligned_le16(rsp_sid, &out->rsp_session_id);
	out->mut_auth_requested = 0;
	out->req_slot_id_param = 0;
	spdm_sim_random(spdm, out->random, SPDM_RANDOM_LEN);
	p = rsp + sizeof(*out);
	memset(p, SPDM_SIM_DHE_BYTE, SPDM_P384_DHE_LEN);
	p += SPDM_P384_DHE_LEN;
	/* no measurement summary hash; no opaque data */
	put_unaligned_le16(0, p);
	p += 2;
	spdm_sim_signature(p);
	p += SPDM_P384_SIG_LEN;
	/* ResponderVerifyData: the handshake is not in the clear */
	memset(p, SPDM_SIM_VERIFY_BYTE, SPDM_SHA384_LEN);

	spdm->session_id = (u32)rsp_sid << 16 | req_sid;
	spdm->session_state = DEVSEC_SESSION_HANDSHAKE;
	return rsp_len;
}

static ssize_t spdm_finish(struct devsec_spdm *spdm, const u8 *req,
			   size_t len, u8 *rsp, size_t size)
{
	const struct spdm_finish_req *fin = (const void *)req;
	u8 expect[SPDM_SHA384_LEN];

	/* we never ask for mutual authentication: no signature expected */
	if (fin->hdr.param1 & BIT(0) ||
	    len < sizeof(*fin) + SPDM_SHA384_LEN)
		return -SPDM_ERR_INVALID_REQUEST;
	memset(expect, SPDM_SIM_VERIFY_BYTE, sizeof(expect));
	if (memcmp(fin->verify_data, expect, sizeof(expect)))
		return -SPDM_ERR_DECRYPT_ERROR;
	if (sizeof(struct spdm_finish_rsp) > size)
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_FINISH_RSP, 0, 0);
	spdm->session_state = DEVSEC_SESSION_ESTABLISHED;
	return sizeof(struct spdm_finish_rsp);
}

static ssize_t spdm_end_session_req(struct devsec_spdm *spdm, const u8 *req,
				    size_t len, u8 *rsp, size_t size)
{
	if (sizeof(struct spdm_end_session_ack_rsp) > size)
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_END_SESSION_ACK, 0, 0);
	/* the ACK still travels in the session: the caller has its ID */
	spdm_end_session(spdm);
	return sizeof(struct spdm_end_session_ack_rsp);
}

static ssize_t spdm_vendor_defined(struct devsec_spdm *spdm, const u8 *req,
				   size_t len, u8 *rsp, size_t size)
{
	const struct spdm_vendor_defined_hdr *vd = (const void *)req;
	struct spdm_vendor_defined_hdr *out =
		(struct spdm_vendor_defined_hdr *)rsp;
	size_t payload_len = get_unaligned_le16(&vd->payload_len);
	const struct devsec_spdm_vendor_ops *ops = spdm->vendor_ops;
	size_t limit = spdm_rsp_limit(spdm, size);
	int (*handler)(struct devsec_spdm *spdm, const u8 *req, size_t len,
		       u8 *rsp, size_t size) = NULL;
	int ret;

	/* payload_len counts from the protocol id byte on */
	if (vd->vendor_id_len != 2 || !payload_len ||
	    offsetof(struct spdm_vendor_defined_hdr, protocol_id) +
	    payload_len > len)
		return -SPDM_ERR_INVALID_REQUEST;
	if (get_unaligned_le16(&vd->standard_id) != SPDM_STANDARD_ID_PCISIG ||
	    get_unaligned_le16(&vd->vendor_id) != SPDM_PCISIG_VENDOR_ID)
		return -SPDM_ERR_UNSUPPORTED_REQUEST;
	if (limit <= sizeof(*out))
		return -SPDM_ERR_RESPONSE_TOO_LARGE;

	if (ops && vd->protocol_id == SPDM_PCISIG_PROTOCOL_IDE_KM)
		handler = ops->ide_km;
	else if (ops && vd->protocol_id == SPDM_PCISIG_PROTOCOL_TDISP)
		handler = ops->tdisp;
	if (!handler)
		return -SPDM_ERR_UNSUPPORTED_REQUEST;

	ret = handler(spdm, req + sizeof(*vd), payload_len - 1,
		      rsp + sizeof(*out), limit - sizeof(*out));
	if (ret < 0)
		return ret;
	if ((size_t)ret > limit - sizeof(*out))
		return -SPDM_ERR_UNSPECIFIED;

	spdm_hdr(rsp, SPDM_VERSION_12, SPDM_VENDOR_DEFINED_RESPONSE, 0, 0);
	put_unaligned_le16(SPDM_STANDARD_ID_PCISIG, &out->standard_id);
	out->vendor_id_len = 2;
	put_unaligned_le16(SPDM_PCISIG_VENDOR_ID, &out->vendor_id);
	put_unaligned_le16(1 + ret, &out->payload_len);
	out->protocol_id = vd->protocol_id;
	return sizeof(*out) + ret;
}

static const struct spdm_handler spdm_handlers[] = {
	{ SPDM_GET_VERSION, SPDM_IN_CLEAR, DEVSEC_SPDM_NOT_STARTED, false,
	  sizeof(struct spdm_get_version_req), spdm_get_version },
	{ SPDM_GET_CAPABILITIES, SPDM_IN_CLEAR, DEVSEC_SPDM_AFTER_VERSION, true,
	  sizeof(struct spdm_get_capabilities_req), spdm_get_capabilities },
	{ SPDM_NEGOTIATE_ALGORITHMS, SPDM_IN_CLEAR,
	  DEVSEC_SPDM_AFTER_CAPABILITIES, true,
	  sizeof(struct spdm_negotiate_algorithms_req),
	  spdm_negotiate_algorithms },
	{ SPDM_GET_DIGESTS, SPDM_IN_CLEAR | SPDM_IN_SESSION,
	  DEVSEC_SPDM_NEGOTIATED, false,
	  sizeof(struct spdm_get_digests_req), spdm_get_digests },
	{ SPDM_GET_CERTIFICATE, SPDM_IN_CLEAR | SPDM_IN_SESSION,
	  DEVSEC_SPDM_NEGOTIATED, false,
	  sizeof(struct spdm_get_certificate_req), spdm_get_certificate },
	{ SPDM_CHALLENGE, SPDM_IN_CLEAR, DEVSEC_SPDM_NEGOTIATED, false,
	  sizeof(struct spdm_challenge_req), spdm_challenge },
	{ SPDM_GET_MEASUREMENTS, SPDM_IN_CLEAR | SPDM_IN_SESSION,
	  DEVSEC_SPDM_NEGOTIATED, false, SPDM_MEAS_REQ_LEN,
	  spdm_get_measurements },
	{ SPDM_KEY_EXCHANGE, SPDM_IN_CLEAR, DEVSEC_SPDM_NEGOTIATED, false,
	  sizeof(struct spdm_key_exchange_req), spdm_key_exchange },
	{ SPDM_FINISH, SPDM_IN_HANDSHAKE, DEVSEC_SPDM_NEGOTIATED, false,
	  sizeof(struct spdm_finish_req), spdm_finish },
	{ SPDM_END_SESSION, SPDM_IN_SESSION, DEVSEC_SPDM_NEGOTIATED, false,
	  sizeof(struct spdm_end_session_req), spdm_end_session_req },
	{ SPDM_VENDOR_DEFINED_REQUEST, SPDM_IN_SESSION,
	  DEVSEC_SPDM_NEGOTIATED, false,
	  sizeof(struct spdm_vendor_defined_hdr), spdm_vendor_defined },
};

static const struct spdm_handler *spdm_find_handler(u8 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spdm_handlers); i++)
		if (spdm_handlers[i].code == code)
			return &spdm_handlers[i];
	return NULL;
}

/* why @h may not run now, as an SPDM error code, or 0 */
static u8 spdm_check(struct devsec_spdm *spdm, const struct spdm_handler *h,
		     const struct spdm_header *hdr, u8 where, size_t len)
{
	if (h->code == SPDM_GET_VERSION) {
		if (hdr->version != SPDM_VERSION_10)
			return SPDM_ERR_VERSION_MISMATCH;
	} else {
		if (spdm->conn == DEVSEC_SPDM_NOT_STARTED)
			return SPDM_ERR_UNEXPECTED_REQUEST;
		if (hdr->version != SPDM_VERSION_12)
			return SPDM_ERR_VERSION_MISMATCH;
	}

	if (!(h->where & where)) {
		/* application data needs a session (PCIe r6.1 sec 6.31.4) */
		if (where == SPDM_IN_CLEAR && h->where == SPDM_IN_SESSION &&
		    h->code == SPDM_VENDOR_DEFINED_REQUEST)
			return SPDM_ERR_SESSION_REQUIRED;
		return SPDM_ERR_UNEXPECTED_REQUEST;
	}

	if (h->exact ? spdm->conn != h->conn : spdm->conn < h->conn)
		return SPDM_ERR_UNEXPECTED_REQUEST;
	if (len < h->min_len)
		return SPDM_ERR_INVALID_REQUEST;
	return 0;
}

static ssize_t spdm_dispatch(struct devsec_spdm *spdm, u8 where,
			     const u8 *req, size_t len, u8 *rsp, size_t size)
{
	const struct spdm_header *hdr = (const struct spdm_header *)req;
	const struct spdm_handler *h;
	u8 version = spdm->conn == DEVSEC_SPDM_NOT_STARTED ?
		     SPDM_VERSION_10 : SPDM_VERSION_12;
	ssize_t ret;
	u8 err;

	if (len < sizeof(*hdr))
		return spdm_error(spdm, version, SPDM_ERR_INVALID_REQUEST, 0,
				  rsp, size);

	h = spdm_find_handler(hdr->code);
	if (!h) {
		/* a response code, or a request we do not implement */
		err = hdr->code & 0x80 ? SPDM_ERR_UNSUPPORTED_REQUEST :
					 SPDM_ERR_INVALID_REQUEST;
		return spdm_error(spdm, version, err, hdr->code, rsp, size);
	}
	if (h->code == SPDM_GET_VERSION)
		version = SPDM_VERSION_10;

	err = spdm_check(spdm, h, hdr, where, len);
	if (err)
		return spdm_error(spdm, version, err,
				  err == SPDM_ERR_UNSUPPORTED_REQUEST ?
				  hdr->code : 0, rsp, size);

	ret = h->fn(spdm, req, len, rsp, size);
	if (ret >= 0)
		return ret;

	err = -ret;
	/* DSP0277: a message that fails to authenticate ends the session */
	if (err == SPDM_ERR_DECRYPT_ERROR)
		spdm_end_session(spdm);
	return spdm_error(spdm, version, err,
			  err == SPDM_ERR_UNSUPPORTED_REQUEST ? hdr->code : 0,
			  rsp, size);
}

/**
 * devsec_spdm_respond() - answer an SPDM request received in the clear
 * @spdm: responder state
 * @req: the request (DOE payload, may carry up to 3 bytes of padding)
 * @len: bytes at @req
 * @rsp: response buffer
 * @size: bytes at @rsp
 *
 * Context: any, does not sleep.
 * Return: length of the response (possibly an SPDM ERROR), or a negative
 * errno if @rsp cannot even hold an ERROR.
 */
ssize_t devsec_spdm_respond(struct devsec_spdm *spdm, const u8 *req,
			    size_t len, u8 *rsp, size_t size)
{
	return spdm_dispatch(spdm, SPDM_IN_CLEAR, req, len, rsp, size);
}

/*
 * The simulated AEAD: the record is plaintext and the MAC a fixed pattern.
 * Anything inconsistent counts as a failure to decrypt.
 */
static bool spdm_secured_unwrap(const u8 *req, size_t len, const u8 **app,
				size_t *app_len)
{
	const struct spdm_secured_msg_hdr *in = (const void *)req;
	size_t rec_len = get_unaligned_le16(&in->length);
	size_t rec_start = offsetof(struct spdm_secured_msg_hdr, app_data_len);
	const u8 *mac;
	unsigned int i;

	if (rec_start + rec_len > len ||
	    rec_len < sizeof(in->app_data_len) + SPDM_SECURED_MAC_LEN)
		return false;
	*app_len = get_unaligned_le16(&in->app_data_len);
	if (*app_len > rec_len - sizeof(in->app_data_len) -
		       SPDM_SECURED_MAC_LEN)
		return false;

	mac = req + rec_start + rec_len - SPDM_SECURED_MAC_LEN;
	for (i = 0; i < SPDM_SECURED_MAC_LEN; i++)
		if (mac[i] != SPDM_SIM_MAC_BYTE)
			return false;

	*app = req + sizeof(*in);
	return true;
}

/**
 * devsec_spdm_respond_secured() - answer a secured message (DSP0277)
 * @spdm: responder state
 * @req: the secured message (DOE payload, may carry padding)
 * @len: bytes at @req
 * @rsp: response buffer
 * @size: bytes at @rsp
 *
 * Context: any, does not sleep.
 * Return: length of the secured response, or a negative errno when the
 * message is for no current session (DSP0277 says to drop it).
 */
ssize_t devsec_spdm_respond_secured(struct devsec_spdm *spdm, const u8 *req,
				    size_t len, u8 *rsp, size_t size)
{
	const struct spdm_secured_msg_hdr *in = (const void *)req;
	struct spdm_secured_msg_hdr *out = (struct spdm_secured_msg_hdr *)rsp;
	size_t overhead = sizeof(*out) + SPDM_SECURED_MAC_LEN;
	u8 *inner = rsp + sizeof(*out);
	size_t inner_size;
	const u8 *app;
	size_t app_len;
	ssize_t ret;
	u32 sid;
	u8 where;

	if (len < sizeof(*in) || size < overhead + sizeof(struct spdm_header))
		return -EINVAL;
	sid = get_unaligned_le32(&in->session_id);
	if (spdm->session_state == DEVSEC_SESSION_NONE ||
	    sid != spdm->session_id)
		return -ENOENT;

	inner_size = min_t(size_t, size - overhead, DEVSEC_SPDM_MAX_MSG);
	where = spdm->session_state == DEVSEC_SESSION_HANDSHAKE ?
		SPDM_IN_HANDSHAKE : SPDM_IN_SESSION;
	if (spdm_secured_unwrap(req, len, &app, &app_len)) {
		ret = spdm_dispatch(spdm, where, app, app_len, inner,
				    inner_size);
	} else {
		spdm_end_session(spdm);
		ret = spdm_error(spdm, SPDM_VERSION_12, SPDM_ERR_DECRYPT_ERROR,
				 0, inner, inner_size);
	}
	if (ret < 0)
		return ret;

	put_unaligned_le32(sid, &out->session_id);
	put_unaligned_le16(sizeof(out->app_data_len) + ret +
			   SPDM_SECURED_MAC_LEN, &out->length);
	put_unaligned_le16(ret, &out->app_data_len);
	memset(inner + ret, SPDM_SIM_MAC_BYTE, SPDM_SECURED_MAC_LEN);
	return overhead + ret;
}
