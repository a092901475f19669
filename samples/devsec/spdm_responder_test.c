// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the devsec SPDM responder and DOE mailbox emulation.
 *
 * Both are plain functions of their state and input bytes, so the tests
 * drive them directly: a table of SPDM requests, each sent to a responder
 * brought to a given connection state, with the response code (or SPDM
 * error) it must produce; and register-level sequences on a mailbox.
 * Built into devsec_bus; the suites run when the module loads with KUnit
 * enabled.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "bus.h"

#define RSP_SIZE	DEVSEC_SPDM_MAX_MSG

/* how far to bring the responder before sending the request under test */
enum spdm_test_setup {
	SETUP_NONE,
	SETUP_VERSION,
	SETUP_CAPABILITIES,
	SETUP_NEGOTIATED,
	SETUP_HANDSHAKE,
	SETUP_SESSION,
};

struct spdm_test_ctx {
	struct devsec_cert_chain chain;
	struct devsec_spdm spdm;
	u8 rsp[RSP_SIZE];
	u8 msg[RSP_SIZE];
};

static const u8 get_version[] = { 0x10, SPDM_GET_VERSION, 0, 0 };

static const u8 get_capabilities[] = {
	0x12, SPDM_GET_CAPABILITIES, 0, 0, 0, 12, 0, 0,
	0x86, 0x02, 0, 0,		/* CERT | CHAL | MAC | KEY_EX */
	0x00, 0x04, 0, 0,		/* DataTransferSize 1024 */
	0x00, 0x10, 0, 0,		/* MaxSPDMmsgSize 4096 */
};

static const u8 negotiate_algorithms[] = {
	0x12, SPDM_NEGOTIATE_ALGORITHMS, 3, 0, 44, 0, 1, 0,
	0x80, 0, 0, 0,			/* ECDSA P-384 */
	0x02, 0, 0, 0,			/* SHA-384 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0,
	SPDM_ALG_TYPE_DHE, 0x20, 0x10, 0,
	SPDM_ALG_TYPE_AEAD, 0x20, 0x02, 0,
	SPDM_ALG_TYPE_KEY_SCHEDULE, 0x20, 0x01, 0,
};

static ssize_t send(struct spdm_test_ctx *ctx, const u8 *req, size_t len)
{
	return devsec_spdm_respond(&ctx->spdm, req, len, ctx->rsp,
				   sizeof(ctx->rsp));
}

static size_t key_exchange_req(u8 *buf)
{
	size_t len = sizeof(struct spdm_key_exchange_req) +
		     SPDM_P384_DHE_LEN + 2;

	memset(buf, 0, len);
	buf[0] = SPDM_VERSION_12;
	buf[1] = SPDM_KEY_EXCHANGE;
	buf[4] = 0x34;			/* ReqSessionID 0x1234 */
	buf[5] = 0x12;
	memset(buf + sizeof(struct spdm_key_exchange_req), SPDM_SIM_DHE_BYTE,
	       SPDM_P384_DHE_LEN);
	return len;
}

/* wrap @msg in a secured message of the current session into ctx->msg */
static size_t secure(struct spdm_test_ctx *ctx, const u8 *msg, size_t len)
{
	struct spdm_secured_msg_hdr *hdr = (void *)ctx->msg;

	put_unaligned_le32(ctx->spdm.session_id, &hdr->session_id);
	put_unaligned_le16(2 + len + SPDM_SECURED_MAC_LEN, &hdr->length);
	put_unaligned_le16(len, &hdr->app_data_len);
	memcpy(ctx->msg + sizeof(*hdr), msg, len);
	memset(ctx->msg + sizeof(*hdr) + len, SPDM_SIM_MAC_BYTE,
	       SPDM_SECURED_MAC_LEN);
	return sizeof(*hdr) + len + SPDM_SECURED_MAC_LEN;
}

static ssize_t send_secured(struct spdm_test_ctx *ctx, const u8 *msg,
			    size_t len)
{
	size_t n = secure(ctx, msg, len);

	return devsec_spdm_respond_secured(&ctx->spdm, ctx->msg, n, ctx->rsp,
					   sizeof(ctx->rsp));
}

static void finish_req(u8 *buf, u8 verify)
{
	buf[0] = SPDM_VERSION_12;
	buf[1] = SPDM_FINISH;
	buf[2] = 0;
	buf[3] = 0;
	memset(buf + 4, verify, SPDM_SHA384_LEN);
}

static void spdm_setup(struct kunit *test, struct spdm_test_ctx *ctx,
		       enum spdm_test_setup setup)
{
	u8 req[sizeof(struct spdm_key_exchange_req) + SPDM_P384_DHE_LEN + 2];

	if (setup >= SETUP_VERSION)
		KUNIT_ASSERT_GT(test, send(ctx, get_version,
					   sizeof(get_version)), 0);
	if (setup >= SETUP_CAPABILITIES)
		KUNIT_ASSERT_GT(test, send(ctx, get_capabilities,
					   sizeof(get_capabilities)), 0);
	if (setup >= SETUP_NEGOTIATED)
		KUNIT_ASSERT_GT(test, send(ctx, negotiate_algorithms,
					   sizeof(negotiate_algorithms)), 0);
	if (setup >= SETUP_HANDSHAKE) {
		KUNIT_ASSERT_GT(test, send(ctx, req, key_exchange_req(req)), 0);
		KUNIT_ASSERT_EQ(test, ctx->rsp[1], SPDM_KEY_EXCHANGE_RSP);
	}
	if (setup >= SETUP_SESSION) {
		finish_req(req, SPDM_SIM_VERIFY_BYTE);
		KUNIT_ASSERT_GT(test, send_secured(ctx, req,
						   4 + SPDM_SHA384_LEN), 0);
		KUNIT_ASSERT_EQ(test, ctx->spdm.session_state,
				DEVSEC_SESSION_ESTABLISHED);
	}
}

struct spdm_bytes {
	const u8 *buf;
	size_t len;
};

#define REQ(...) ((struct spdm_bytes){ (const u8[]){ __VA_ARGS__ }, \
				      sizeof((const u8[]){ __VA_ARGS__ }) })
#define BYTES(array) ((struct spdm_bytes){ array, sizeof(array) })

/**
 * struct spdm_case - one request and what must come back
 * @name: case name
 * @setup: state of the responder before the request
 * @secured: send inside the session
 * @req: request bytes
 * @code: expected response code
 * @error: expected SPDM error code if @code is SPDM_ERROR
 */
struct spdm_case {
	const char *name;
	enum spdm_test_setup setup;
	bool secured;
	struct spdm_bytes req;
	u8 code;
	u8 error;
};

static const struct spdm_case spdm_cases[] = {
	{ "version", SETUP_NONE, false, REQ(0x10, 0x84, 0, 0), SPDM_VERSION },
	{ "version-again", SETUP_NEGOTIATED, false, REQ(0x10, 0x84, 0, 0),
	  SPDM_VERSION },
	{ "version-1.2-header", SETUP_NONE, false, REQ(0x12, 0x84, 0, 0),
	  SPDM_ERROR, SPDM_ERR_VERSION_MISMATCH },
	{ "empty", SETUP_NONE, false, REQ(0x10), SPDM_ERROR,
	  SPDM_ERR_INVALID_REQUEST },
	{ "caps-before-version", SETUP_NONE, false, BYTES(get_capabilities),
	  SPDM_ERROR, SPDM_ERR_UNEXPECTED_REQUEST },
	{ "caps", SETUP_VERSION, false, BYTES(get_capabilities),
	  SPDM_CAPABILITIES },
	{ "caps-short", SETUP_VERSION, false, REQ(0x12, 0xe1, 0, 0, 0, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "caps-version-1.1", SETUP_VERSION, false,
	  REQ(0x11, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0),
	  SPDM_ERROR, SPDM_ERR_VERSION_MISMATCH },
	{ "caps-small-transfer", SETUP_VERSION, false,
	  REQ(0x12, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "caps-key-ex-no-encrypt", SETUP_VERSION, false,
	  REQ(0x12, 0xe1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "caps-twice", SETUP_CAPABILITIES, false, BYTES(get_capabilities),
	  SPDM_ERROR, SPDM_ERR_UNEXPECTED_REQUEST },
	{ "algs-before-caps", SETUP_VERSION, false,
	  BYTES(negotiate_algorithms), SPDM_ERROR,
	  SPDM_ERR_UNEXPECTED_REQUEST },
	{ "algs", SETUP_CAPABILITIES, false, BYTES(negotiate_algorithms),
	  SPDM_ALGORITHMS },
	{ "algs-length-overflow", SETUP_CAPABILITIES, false,
	  REQ(0x12, 0xe3, 0, 0, 200, 0, 1, 0, 0x80, 0, 0, 0, 2, 0, 0, 0,
	      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "algs-struct-past-end", SETUP_CAPABILITIES, false,
	  REQ(0x12, 0xe3, 2, 0, 36, 0, 1, 0, 0x80, 0, 0, 0, 2, 0, 0, 0,
	      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	      2, 0x20, 0x10, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "algs-structs-unordered", SETUP_CAPABILITIES, false,
	  REQ(0x12, 0xe3, 2, 0, 40, 0, 1, 0, 0x80, 0, 0, 0, 2, 0, 0, 0,
	      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	      3, 0x20, 0x02, 0, 2, 0x20, 0x10, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "algs-ext-count-lies", SETUP_CAPABILITIES, false,
	  REQ(0x12, 0xe3, 0, 0, 32, 0, 1, 0, 0x80, 0, 0, 0, 2, 0, 0, 0,
	      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "digests-before-algs", SETUP_CAPABILITIES, false,
	  REQ(0x12, 0x81, 0, 0), SPDM_ERROR, SPDM_ERR_UNEXPECTED_REQUEST },
	{ "digests", SETUP_NEGOTIATED, false, REQ(0x12, 0x81, 0, 0),
	  SPDM_DIGESTS },
	{ "digests-version-1.0", SETUP_NEGOTIATED, false,
	  REQ(0x10, 0x81, 0, 0), SPDM_ERROR, SPDM_ERR_VERSION_MISMATCH },
	{ "certificate", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0x82, 0, 0, 0, 0, 0, 4), SPDM_CERTIFICATE },
	{ "certificate-slot-1", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0x82, 1, 0, 0, 0, 0, 4), SPDM_ERROR,
	  SPDM_ERR_INVALID_REQUEST },
	{ "certificate-offset-past-end", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0x82, 0, 0, 0xff, 0xff, 0, 4), SPDM_ERROR,
	  SPDM_ERR_INVALID_REQUEST },
	{ "certificate-short", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0x82, 0, 0, 0, 0), SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "challenge-short", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0x83, 0, 0, 1, 2, 3, 4), SPDM_ERROR,
	  SPDM_ERR_INVALID_REQUEST },
	{ "measurements-count", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0xe0, 0, 0), SPDM_MEASUREMENTS },
	{ "measurements-all", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0xe0, 0, 0xff), SPDM_MEASUREMENTS },
	{ "measurements-one-block", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0xe0, 0, 1), SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "measurements-signed-no-nonce", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0xe0, 1, 0xff), SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "measurements-bad-param1", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0xe0, 2, 0xff), SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "measurements-before-algs", SETUP_CAPABILITIES, false,
	  REQ(0x12, 0xe0, 0, 0xff), SPDM_ERROR,
	  SPDM_ERR_UNEXPECTED_REQUEST },
	{ "response-code", SETUP_NEGOTIATED, false, REQ(0x12, 0x01, 0, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "vendor-in-clear", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0xfe, 0, 0, 3, 0, 2, 1, 0, 1, 0, 0), SPDM_ERROR,
	  SPDM_ERR_SESSION_REQUIRED },
	{ "finish-in-clear", SETUP_NEGOTIATED, false, REQ(0x12, 0xe5, 0, 0),
	  SPDM_ERROR, SPDM_ERR_UNEXPECTED_REQUEST },
	{ "key-exchange-short", SETUP_NEGOTIATED, false,
	  REQ(0x12, 0xe4, 0, 0, 0x34, 0x12), SPDM_ERROR,
	  SPDM_ERR_INVALID_REQUEST },
	{ "handshake-digests", SETUP_HANDSHAKE, true, REQ(0x12, 0x81, 0, 0),
	  SPDM_ERROR, SPDM_ERR_UNEXPECTED_REQUEST },
	{ "finish-bad-verify", SETUP_HANDSHAKE, true,
	  REQ(0x12, 0xe5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
	  SPDM_ERROR, SPDM_ERR_DECRYPT_ERROR },
	{ "finish-mutual-auth", SETUP_HANDSHAKE, true, REQ(0x12, 0xe5, 1, 0),
	  SPDM_ERROR, SPDM_ERR_INVALID_REQUEST },
	{ "session-digests", SETUP_SESSION, true, REQ(0x12, 0x81, 0, 0),
	  SPDM_DIGESTS },
	{ "session-version", SETUP_SESSION, true, REQ(0x10, 0x84, 0, 0),
	  SPDM_ERROR, SPDM_ERR_UNEXPECTED_REQUEST },
	{ "session-vendor-no-handler", SETUP_SESSION, true,
	  REQ(0x12, 0xfe, 0, 0, 3, 0, 2, 1, 0, 1, 0, 0), SPDM_ERROR,
	  SPDM_ERR_UNSUPPORTED_REQUEST },
	{ "session-vendor-payload-past-end", SETUP_SESSION, true,
	  REQ(0x12, 0xfe, 0, 0, 3, 0, 2, 1, 0, 9, 0, 0), SPDM_ERROR,
	  SPDM_ERR_INVALID_REQUEST },
	{ "session-vendor-not-pcisig", SETUP_SESSION, true,
	  REQ(0x12, 0xfe, 0, 0, 4, 0, 2, 1, 0, 1, 0, 0), SPDM_ERROR,
	  SPDM_ERR_UNSUPPORTED_REQUEST },
	{ "session-end", SETUP_SESSION, true, REQ(0x12, 0xec, 0, 0),
	  SPDM_END_SESSION_ACK },
};

static void spdm_case_desc(const struct spdm_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_case, spdm_cases, spdm_case_desc);

static int spdm_test_init(struct kunit *test)
{
	static const u8 certs[] = { 0x30, 0x82, 0, 4, 0x0c, 0x82, 0, 0 };
	struct spdm_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, devsec_cert_chain_build(&ctx->chain, certs,
						      sizeof(certs),
						      sizeof(certs)), 0);
	devsec_spdm_init(&ctx->spdm, &ctx->chain);
	test->priv = ctx;
	return 0;
}

static void spdm_test_exit(struct kunit *test)
{
	struct spdm_test_ctx *ctx = test->priv;

	devsec_cert_chain_free(&ctx->chain);
}

static void spdm_test_request(struct kunit *test)
{
	const struct spdm_case *c = test->param_value;
	struct spdm_test_ctx *ctx = test->priv;
	const u8 *rsp = ctx->rsp;
	ssize_t len;

	spdm_setup(test, ctx, c->setup);
	if (c->secured) {
		u32 sid = ctx->spdm.session_id;

		len = send_secured(ctx, c->req.buf, c->req.len);
		KUNIT_ASSERT_GE(test, len, sizeof(struct spdm_secured_msg_hdr) +
				sizeof(struct spdm_header) +
				SPDM_SECURED_MAC_LEN);
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(rsp), sid);
		rsp += sizeof(struct spdm_secured_msg_hdr);
	} else {
		len = send(ctx, c->req.buf, c->req.len);
		KUNIT_ASSERT_GE(test, len, sizeof(struct spdm_header));
	}

	KUNIT_EXPECT_EQ(test, rsp[1], c->code);
	if (c->code == SPDM_ERROR)
		KUNIT_EXPECT_EQ(test, rsp[2], c->error);
}

/* the chain read back in small portions is the chain, digest included */
static void spdm_test_certificate_chunks(struct kunit *test)
{
	struct spdm_test_ctx *ctx = test->priv;
	u8 req[] = { 0x12, SPDM_GET_CERTIFICATE, 0, 0, 0, 0, 5, 0 };
	size_t offset = 0, remainder;
	u8 digest[SPDM_SHA384_LEN];
	u8 *chain;

	chain = kunit_kzalloc(test, ctx->chain.len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chain);
	spdm_setup(test, ctx, SETUP_NEGOTIATED);
	do {
		struct spdm_certificate_rsp *rsp = (void *)ctx->rsp;
		size_t portion;

		put_unaligned_le16(offset, &req[4]);
		KUNIT_ASSERT_GT(test, send(ctx, req, sizeof(req)), 0);
		KUNIT_ASSERT_EQ(test, rsp->hdr.code, SPDM_CERTIFICATE);
		portion = get_unaligned_le16(&rsp->portion_length);
		remainder = get_unaligned_le16(&rsp->remainder_length);
		KUNIT_ASSERT_LE(test, portion, 5);
		KUNIT_ASSERT_EQ(test, offset + portion + remainder,
				ctx->chain.len);
		memcpy(chain + offset, rsp->cert_chain, portion);
		offset += portion;
	} while (remainder);

	KUNIT_EXPECT_EQ(test, get_unaligned_le16(chain), ctx->chain.len);
	spdm_sim_digest(chain, ctx->chain.len, digest);
	KUNIT_EXPECT_MEMEQ(test, digest, ctx->chain.digest, sizeof(digest));
}

/* CHALLENGE_AUTH carries the chain digest and the simulated signature */
static void spdm_test_challenge(struct kunit *test)
{
	struct spdm_test_ctx *ctx = test->priv;
	u8 req[sizeof(struct spdm_challenge_req)] = { 0x12, SPDM_CHALLENGE };
	size_t sig_off = 4 + SPDM_SHA384_LEN + SPDM_NONCE_LEN + 2;

	spdm_setup(test, ctx, SETUP_NEGOTIATED);
	KUNIT_ASSERT_EQ(test, send(ctx, req, sizeof(req)),
			sig_off + SPDM_P384_SIG_LEN);
	KUNIT_EXPECT_EQ(test, ctx->rsp[1], SPDM_CHALLENGE_AUTH);
	KUNIT_EXPECT_MEMEQ(test, ctx->rsp + 4, ctx->chain.digest,
			   SPDM_SHA384_LEN);
	KUNIT_EXPECT_TRUE(test, spdm_sim_signature_ok(ctx->rsp + sig_off));
}

/* one session at a time; GET_VERSION ends it */
static void spdm_test_session_lifecycle(struct kunit *test)
{
	struct spdm_test_ctx *ctx = test->priv;
	u8 req[sizeof(struct spdm_key_exchange_req) + SPDM_P384_DHE_LEN + 2];
	u32 sid;

	spdm_setup(test, ctx, SETUP_SESSION);
	sid = ctx->spdm.session_id;
	KUNIT_EXPECT_EQ(test, sid & 0xffff, 0x1234);

	KUNIT_ASSERT_GT(test, send(ctx, req, key_exchange_req(req)), 0);
	KUNIT_EXPECT_EQ(test, ctx->rsp[1], SPDM_ERROR);
	KUNIT_EXPECT_EQ(test, ctx->rsp[2], SPDM_ERR_SESSION_LIMIT_EXCEEDED);

	/* a bad MAC fails to "decrypt" and ends the session */
	secure(ctx, (const u8[]){ 0x12, SPDM_GET_DIGESTS, 0, 0 }, 4);
	ctx->msg[sizeof(struct spdm_secured_msg_hdr) + 4] ^= 1;
	KUNIT_ASSERT_GT(test, devsec_spdm_respond_secured(&ctx->spdm, ctx->msg,
							  8 + 4 + 16, ctx->rsp,
							  sizeof(ctx->rsp)), 0);
	KUNIT_EXPECT_EQ(test, ctx->rsp[8 + 2], SPDM_ERR_DECRYPT_ERROR);
	KUNIT_EXPECT_EQ(test, ctx->spdm.session_state, DEVSEC_SESSION_NONE);

	/* nothing answers a session that does not exist */
	ctx->spdm.session_id = sid;
	KUNIT_EXPECT_LT(test, send_secured(ctx, get_version,
					   sizeof(get_version)), 0);

	spdm_setup(test, ctx, SETUP_HANDSHAKE);
	KUNIT_ASSERT_GT(test, send(ctx, get_version, sizeof(get_version)), 0);
	KUNIT_EXPECT_EQ(test, ctx->spdm.session_state, DEVSEC_SESSION_NONE);
	KUNIT_EXPECT_EQ(test, ctx->spdm.conn, DEVSEC_SPDM_AFTER_VERSION);
}

/* malformed secured records: lengths that do not add up */
static void spdm_test_secured_malformed(struct kunit *test)
{
	struct spdm_test_ctx *ctx = test->priv;
	size_t n;

	spdm_setup(test, ctx, SETUP_SESSION);
	n = secure(ctx, (const u8[]){ 0x12, SPDM_GET_DIGESTS, 0, 0 }, 4);
	/* application data longer than the record */
	put_unaligned_le16(100, ctx->msg + 6);
	KUNIT_ASSERT_GT(test, devsec_spdm_respond_secured(&ctx->spdm, ctx->msg,
							  n, ctx->rsp,
							  sizeof(ctx->rsp)), 0);
	KUNIT_EXPECT_EQ(test, ctx->rsp[8 + 2], SPDM_ERR_DECRYPT_ERROR);

	/* too short to hold a header */
	KUNIT_EXPECT_LT(test, devsec_spdm_respond_secured(&ctx->spdm, ctx->msg,
							  3, ctx->rsp,
							  sizeof(ctx->rsp)), 0);
}

static struct kunit_case devsec_spdm_test_cases[] = {
	KUNIT_CASE_PARAM(spdm_test_request, spdm_case_gen_params),
	KUNIT_CASE(spdm_test_certificate_chunks),
	KUNIT_CASE(spdm_test_challenge),
	KUNIT_CASE(spdm_test_session_lifecycle),
	KUNIT_CASE(spdm_test_secured_malformed),
	{}
};

static struct kunit_suite devsec_spdm_test_suite = {
	.name = "devsec_spdm_responder",
	.init = spdm_test_init,
	.exit = spdm_test_exit,
	.test_cases = devsec_spdm_test_cases,
};

/* DOE mailbox, register level */

struct doe_test_ctx {
	struct devsec_cert_chain chain;
	struct devsec_doe doe;
};

static void doe_write_obj(struct devsec_doe *doe, u8 type, u32 length,
			  const u32 *payload, size_t nr_dw)
{
	size_t i;

	devsec_doe_write(doe, PCI_DOE_WRITE,
			 FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_1_VID,
				    PCI_VENDOR_ID_PCI_SIG) |
			 FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_1_TYPE, type));
	devsec_doe_write(doe, PCI_DOE_WRITE, length);
	for (i = 0; i < nr_dw; i++)
		devsec_doe_write(doe, PCI_DOE_WRITE, payload[i]);
}

static u32 doe_pop(struct devsec_doe *doe)
{
	u32 val = devsec_doe_read(doe, PCI_DOE_READ);

	devsec_doe_write(doe, PCI_DOE_READ, 0);
	return val;
}

static bool doe_ready(struct devsec_doe *doe)
{
	return devsec_doe_read(doe, PCI_DOE_STATUS) &
	       PCI_DOE_STATUS_DATA_OBJECT_READY;
}

static bool doe_error(struct devsec_doe *doe)
{
	return devsec_doe_read(doe, PCI_DOE_STATUS) & PCI_DOE_STATUS_ERROR;
}

static int doe_test_init(struct kunit *test)
{
	static const u8 certs[] = { 0x30, 0x82, 0, 0 };
	struct doe_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, devsec_cert_chain_build(&ctx->chain, certs,
						      sizeof(certs),
						      sizeof(certs)), 0);
	devsec_spdm_init(&ctx->doe.spdm, &ctx->chain);
	devsec_doe_reset(&ctx->doe);
	test->priv = ctx;
	return 0;
}

static void doe_test_exit(struct kunit *test)
{
	struct doe_test_ctx *ctx = test->priv;

	devsec_cert_chain_free(&ctx->chain);
}

/* the discovery walk drivers/pci/doe.c performs at enumeration */
static void doe_test_discovery(struct kunit *test)
{
	struct doe_test_ctx *ctx = test->priv;
	struct devsec_doe *doe = &ctx->doe;
	u32 index = 0, rsp;
	u8 types[4];
	int n = 0;

	do {
		doe_write_obj(doe, PCI_DOE_FEATURE_DISCOVERY, 3, &index, 1);
		KUNIT_EXPECT_FALSE(test, doe_ready(doe));
		devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
		KUNIT_ASSERT_TRUE(test, doe_ready(doe));
		KUNIT_EXPECT_EQ(test, doe_pop(doe), 0x00000001);
		KUNIT_EXPECT_EQ(test, doe_pop(doe), 3);
		KUNIT_ASSERT_TRUE(test, doe_ready(doe));
		rsp = doe_pop(doe);
		KUNIT_EXPECT_FALSE(test, doe_ready(doe));
		KUNIT_EXPECT_EQ(test, rsp & 0xffff, PCI_VENDOR_ID_PCI_SIG);
		types[n++] = FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_RSP_3_PROTOCOL,
				       rsp);
		index = FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_RSP_3_NEXT_INDEX,
				  rsp);
	} while (index && n < ARRAY_SIZE(types));

	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, types[0], PCI_DOE_FEATURE_DISCOVERY);
	KUNIT_EXPECT_EQ(test, types[1], PCI_DOE_FEATURE_CMA);
	KUNIT_EXPECT_EQ(test, types[2], PCI_DOE_FEATURE_SSESSION);
}

/* bad objects set DOE Error, which only Abort clears */
static void doe_test_errors(struct kunit *test)
{
	struct doe_test_ctx *ctx = test->priv;
	struct devsec_doe *doe = &ctx->doe;
	u32 zero = 0;

	doe_write_obj(doe, PCI_DOE_FEATURE_DISCOVERY, DEVSEC_DOE_MAX_DW + 1,
		      NULL, 0);
	KUNIT_EXPECT_TRUE(test, doe_error(doe));
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
	KUNIT_EXPECT_FALSE(test, doe_ready(doe));
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);
	KUNIT_EXPECT_EQ(test, devsec_doe_read(doe, PCI_DOE_STATUS), 0);

	doe_write_obj(doe, PCI_DOE_FEATURE_DISCOVERY, 1, NULL, 0);
	KUNIT_EXPECT_TRUE(test, doe_error(doe));
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);

	/* Go before the announced length arrived */
	doe_write_obj(doe, PCI_DOE_FEATURE_DISCOVERY, 4, &zero, 1);
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
	KUNIT_EXPECT_TRUE(test, doe_error(doe));
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);

	/* more dwords than announced */
	doe_write_obj(doe, PCI_DOE_FEATURE_DISCOVERY, 2, &zero, 1);
	KUNIT_EXPECT_TRUE(test, doe_error(doe));
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);

	/* unknown data object type */
	doe_write_obj(doe, 0x7f, 3, &zero, 1);
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
	KUNIT_EXPECT_TRUE(test, doe_error(doe));
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);
	KUNIT_EXPECT_EQ(test, devsec_doe_read(doe, PCI_DOE_STATUS), 0);
}

/* The healthy response to discovery index 0: PCI-SIG discovery, next 1 */
#define DOE_TEST_DISC_RSP0						\
	((u32)(FIELD_PREP_CONST(PCI_DOE_DATA_OBJECT_DISC_RSP_3_VID,	\
				PCI_VENDOR_ID_PCI_SIG) |		\
	       FIELD_PREP_CONST(PCI_DOE_DATA_OBJECT_DISC_RSP_3_PROTOCOL,	\
				PCI_DOE_FEATURE_DISCOVERY) |		\
	       FIELD_PREP_CONST(PCI_DOE_DATA_OBJECT_DISC_RSP_3_NEXT_INDEX, 1)))

struct doe_fault_case {
	const char *name;
	enum devsec_fault fault;
	u32 status;		/* status after Go */
	u32 length;		/* DOE length of the response, if ready */
	u32 payload;		/* its first payload dword, if it has one */
};

static const struct doe_fault_case doe_fault_cases[] = {
	{ "none", DEVSEC_FAULT_NONE, PCI_DOE_STATUS_DATA_OBJECT_READY, 3,
	  DOE_TEST_DISC_RSP0 },
	{ "timeout", DEVSEC_FAULT_TIMEOUT, 0, 0 },
	{ "error", DEVSEC_FAULT_ERROR, PCI_DOE_STATUS_ERROR, 0 },
	{ "busy", DEVSEC_FAULT_BUSY, PCI_DOE_STATUS_BUSY, 0 },
	{ "truncate", DEVSEC_FAULT_TRUNCATE,
	  PCI_DOE_STATUS_DATA_OBJECT_READY, 2 },
	{ "corrupt-length", DEVSEC_FAULT_CORRUPT_LENGTH,
	  PCI_DOE_STATUS_DATA_OBJECT_READY, 5, DOE_TEST_DISC_RSP0 },
	/* every payload byte inverted, the header intact */
	{ "garbage", DEVSEC_FAULT_GARBAGE, PCI_DOE_STATUS_DATA_OBJECT_READY, 3,
	  ~DOE_TEST_DISC_RSP0 },
	{ "oversize", DEVSEC_FAULT_OVERSIZE,
	  PCI_DOE_STATUS_DATA_OBJECT_READY, 3 + 64, DOE_TEST_DISC_RSP0 },
	{ "reset", DEVSEC_FAULT_RESET, PCI_DOE_STATUS_ERROR, 0 },
};

static void doe_fault_desc(const struct doe_fault_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(doe_fault, doe_fault_cases, doe_fault_desc);

static void doe_test_fault(struct kunit *test)
{
	const struct doe_fault_case *c = test->param_value;
	struct doe_test_ctx *ctx = test->priv;
	struct devsec_doe *doe = &ctx->doe;
	const u32 healthy = DOE_TEST_DISC_RSP0;
	u32 zero = 0, payload;

	KUNIT_EXPECT_EQ(test, devsec_fault_lookup(c->name), c->fault);
	doe->fault = c->fault;
	doe->fault_count = 1;
	doe_write_obj(doe, PCI_DOE_FEATURE_DISCOVERY, 3, &zero, 1);
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
	KUNIT_EXPECT_EQ(test, devsec_doe_read(doe, PCI_DOE_STATUS), c->status);
	if (c->length) {
		doe_pop(doe);
		KUNIT_EXPECT_EQ(test, doe_pop(doe), c->length);
	}
	if (c->length > DEVSEC_DOE_HDR_DW) {
		payload = doe_pop(doe);
		KUNIT_EXPECT_EQ(test, payload, c->payload);
		/* a payload fault must change what the requester reads */
		if (c->fault == DEVSEC_FAULT_GARBAGE)
			KUNIT_EXPECT_NE(test, payload, healthy);
	}

	/* one-shot: after Abort the next exchange is healthy */
	KUNIT_EXPECT_EQ(test, doe->fault, DEVSEC_FAULT_NONE);
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);
	doe_write_obj(doe, PCI_DOE_FEATURE_DISCOVERY, 3, &zero, 1);
	devsec_doe_write(doe, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
	KUNIT_ASSERT_EQ(test, devsec_doe_read(doe, PCI_DOE_STATUS),
			PCI_DOE_STATUS_DATA_OBJECT_READY);
	doe_pop(doe);
	KUNIT_EXPECT_EQ(test, doe_pop(doe), 3);
	KUNIT_EXPECT_EQ(test, doe_pop(doe), healthy);
}

static struct kunit_case devsec_doe_test_cases[] = {
	KUNIT_CASE(doe_test_discovery),
	KUNIT_CASE(doe_test_errors),
	KUNIT_CASE_PARAM(doe_test_fault, doe_fault_gen_params),
	{}
};

static struct kunit_suite devsec_doe_test_suite = {
	.name = "devsec_doe_mailbox",
	.init = doe_test_init,
	.exit = doe_test_exit,
	.test_cases = devsec_doe_test_cases,
};

kunit_test_suites(&devsec_spdm_test_suite, &devsec_doe_test_suite);
