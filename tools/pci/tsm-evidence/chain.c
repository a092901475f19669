// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-evidence: SPDM certificate chains, the walk over the DER
 * certificates in them and their output as PEM.
 */
#include <stdio.h>

#include "tsm-evidence.h"

/* DSP0274 1.2 table 33: Length, Reserved, RootHash (SHA-384) */
#define SPDM_CHAIN_HDR_LEN	4
#define SPDM_ROOT_HASH_LEN	48
#define DER_SEQUENCE		0x30
#define PEM_LINE_LEN		64

static const char base64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Append @der as a PEM CERTIFICATE block (RFC 7468) to @pem */
static int pem_append(struct buf *pem, const __u8 *der, size_t len)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----\n";
	static const char end[] = "-----END CERTIFICATE-----\n";
	unsigned int col = 0;
	char out[4];
	size_t i, n;
	__u32 v;
	int rc;

	rc = buf_append(pem, begin, sizeof(begin) - 1);
	for (i = 0; !rc && i < len; i += 3) {
		n = len - i < 3 ? len - i : 3;
		v = (__u32)der[i] << 16;
		if (n > 1)
			v |= (__u32)der[i + 1] << 8;
		if (n > 2)
			v |= der[i + 2];
		out[0] = base64_chars[(v >> 18) & 0x3f];
		out[1] = base64_chars[(v >> 12) & 0x3f];
		out[2] = n > 1 ? base64_chars[(v >> 6) & 0x3f] : '=';
		out[3] = n > 2 ? base64_chars[v & 0x3f] : '=';
		rc = buf_append(pem, out, sizeof(out));
		col += sizeof(out);
		if (!rc && col == PEM_LINE_LEN) {
			rc = buf_append(pem, "\n", 1);
			col = 0;
		}
	}
	if (!rc && col)
		rc = buf_append(pem, "\n", 1);
	if (!rc)
		rc = buf_append(pem, end, sizeof(end) - 1);
	return rc;
}

/*
 * Size of the DER SEQUENCE at @p, of which @len bytes are available:
 * tag 0x30, then a definite length in short form or in long form of 1 to
 * 4 bytes, minimal as DER requires.  Return 0 unless the whole element
 * is within @len.
 */
static size_t der_sequence_size(const __u8 *p, size_t len)
{
	size_t hdr, body, n, i;

	if (len < 2 || p[0] != DER_SEQUENCE)
		return 0;
	if (!(p[1] & 0x80)) {
		hdr = 2;
		body = p[1];
	} else {
		n = p[1] & 0x7f;
		/* 0x80 is the (BER only) indefinite length */
		if (n < 1 || n > 4 || len - 2 < n || !p[2])
			return 0;
		body = 0;
		for (i = 0; i < n; i++)
			body = body << 8 | p[2 + i];
		if (body < 0x80)
			return 0;
		hdr = 2 + n;
	}
	if (body > len - hdr)
		return 0;
	return hdr + body;
}

/*
 * Validate the SPDM certificate chain @obj: Length matches, and the rest
 * after the root hash is DER SEQUENCEs end to end.  The root hash is not
 * checked: the relying party verifies the chain against its trust anchor.
 * Return NULL or why not.
 */
const char *cert_chain_parse(const struct buf *obj, struct cert_chain *chain)
{
	size_t hdr = SPDM_CHAIN_HDR_LEN + SPDM_ROOT_HASH_LEN;
	static char why[128];
	size_t off, size;

	if (!obj->len)
		return "empty object (no chain in this slot)";
	if (obj->len < hdr)
		return "shorter than the chain header";
	/* Length: total bytes of the chain, header included */
	if ((size_t)(obj->data[0] | obj->data[1] << 8) != obj->len)
		return "Length does not match the object size";
	chain->certs = obj->data + hdr;
	chain->len = obj->len - hdr;
	chain->nr = 0;
	if (!chain->len)
		return "no certificate";
	for (off = 0; off < chain->len; off += size) {
		size = der_sequence_size(chain->certs + off, chain->len - off);
		if (!size) {
			snprintf(why, sizeof(why),
				 "certificate %u (chain offset %zu) is not a DER SEQUENCE that fits",
				 chain->nr, hdr + off);
			return why;
		}
		chain->last = off;
		chain->nr++;
	}
	return NULL;
}

/* The PEM of the certificates [@first, @first + @nr) of @chain */
int cert_chain_pem(const struct cert_chain *chain, unsigned int first,
		   unsigned int nr, struct buf *pem)
{
	unsigned int i;
	size_t off, size;
	int rc = 0;

	for (i = 0, off = 0; !rc && i < first + nr; i++, off += size) {
		size = der_sequence_size(chain->certs + off, chain->len - off);
		if (i >= first)
			rc = pem_append(pem, chain->certs + off, size);
	}
	return rc;
}
