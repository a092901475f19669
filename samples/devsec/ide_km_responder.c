// SPDX-License-Identifier: GPL-2.0-only
/*
 * Emulated IDE_KM responder of the devsec endpoint (PCIe r6.1 sec
 * 6.33.3): QUERY, KEY_PROG, K_SET_GO and K_SET_STOP for the endpoint's
 * own port (port index 0), reached through the SPDM responder's vendor
 * defined protocol hook inside a secure session.
 *
 * Keys are not used for anything (the traffic is simulated): the
 * responder keeps which keys are programmed and which are in use, per
 * selective stream register block, found by the Stream ID programmed in
 * its Selective IDE Stream Control register.  A block's keys are ready
 * when all six keys (Rx and Tx of the PR, NPR and CPL sub-streams) of one
 * key set are programmed and set in use; only then does the emulated
 * Selective IDE Stream Status read Secure once the stream is enabled.
 *
 * Runs in the config write that hit DOE Go, under the host lock.
 */
#include <linux/bitfield.h>
#include <linux/unaligned.h>

#include "bus.h"
#include "ide_km.h"

/* Bit of a key in &devsec_fn.ide_km_keys / .ide_km_go */
static unsigned int ide_km_key_bit(u8 key_sub_stream)
{
	unsigned int set = key_sub_stream & IDE_KM_KEY_SET ? 1 : 0;
	unsigned int tx = key_sub_stream & IDE_KM_KEY_TX ? 1 : 0;

	return set * IDE_KM_NR_KEYS + tx * IDE_KM_NR_SUB_STREAMS +
	       FIELD_GET(IDE_KM_KEY_SUB_STREAM, key_sub_stream);
}

/* Selective stream block programmed with @stream_id, or -1 */
static int ide_km_find_stream(struct devsec_fn *fn, u8 stream_id)
{
	unsigned int i;

	for (i = 0; i < fn->nr_ide_streams; i++) {
		unsigned int block = fn->ide_cap + DEVSEC_IDE_SEL_BLOCK_0 +
				     i * DEVSEC_IDE_SEL_BLOCK_SIZE;
		u32 ctl = get_unaligned_le32(&fn->cfg[block +
						      DEVSEC_IDE_SEL_CTL]);

		if (FIELD_GET(GENMASK(31, 24), ctl) == stream_id)
			return i;
	}
	return -1;
}

static void ide_km_update_ready(struct devsec_fn *fn, unsigned int stream)
{
	u16 all = GENMASK(IDE_KM_NR_KEYS - 1, 0);
	u16 go = fn->ide_km_go[stream];

	fn->ide_keys_ready[stream] = (go & all) == all ||
				     ((go >> IDE_KM_NR_KEYS) & all) == all;
}

static int ide_km_query(struct devsec_fn *fn, const u8 *req, size_t len,
			u8 *rsp, size_t size)
{
	const struct ide_km_query *q = (const void *)req;
	struct ide_km_query_resp *out = (void *)rsp;
	size_t blocks = fn->nr_ide_streams * DEVSEC_IDE_SEL_BLOCK_SIZE;

	if (len != sizeof(*q) || q->port_index != 0)
		return -SPDM_ERR_INVALID_REQUEST;
	if (sizeof(*out) + blocks > size)
		return -SPDM_ERR_RESPONSE_TOO_LARGE;
	*out = (struct ide_km_query_resp) {
		.object_id = IDE_KM_QUERY_RESP,
		.port_index = 0,
		.dev_func = PCI_DEVFN(0, fn->func),
		.bus = fn->host->busn.start + 1,
		.segment = 0,
		.max_port_index = 0,
	};
	memcpy(&out->ide_cap, &fn->cfg[fn->ide_cap + DEVSEC_IDE_CAP], 4);
	memcpy(&out->ide_ctl, &fn->cfg[fn->ide_cap + DEVSEC_IDE_CTL], 4);
	memcpy(out + 1, &fn->cfg[fn->ide_cap + DEVSEC_IDE_SEL_BLOCK_0], blocks);
	return sizeof(*out) + blocks;
}

static int ide_km_ack(const struct ide_km_key_hdr *in, u8 object_id,
		      u8 status, u8 *rsp, size_t size)
{
	struct ide_km_key_hdr *out = (void *)rsp;

	if (sizeof(*out) > size)
		return -SPDM_ERR_RESPONSE_TOO_LARGE;
	*out = *in;
	out->object_id = object_id;
	out->reserved = 0;
	out->status = object_id == IDE_KM_KP_ACK ? status : 0;
	return sizeof(*out);
}

static int ide_km_key_prog(struct devsec_fn *fn, const u8 *req, size_t len,
			   u8 *rsp, size_t size)
{
	const struct ide_km_key_hdr *hdr = (const void *)req;
	int stream;

	if (len != sizeof(struct ide_km_key_prog))
		return ide_km_ack(hdr, IDE_KM_KP_ACK, IDE_KM_KP_ACK_BAD_LENGTH,
				  rsp, size);
	if (hdr->port_index != 0)
		return ide_km_ack(hdr, IDE_KM_KP_ACK, IDE_KM_KP_ACK_BAD_PORT,
				  rsp, size);
	if (READ_ONCE(fn->ide_km_nak))
		return ide_km_ack(hdr, IDE_KM_KP_ACK, IDE_KM_KP_ACK_FAILURE,
				  rsp, size);
	stream = ide_km_find_stream(fn, hdr->stream_id);
	if (stream < 0 ||
	    FIELD_GET(IDE_KM_KEY_SUB_STREAM, hdr->key_sub_stream) >=
	    IDE_KM_NR_SUB_STREAMS)
		return ide_km_ack(hdr, IDE_KM_KP_ACK, IDE_KM_KP_ACK_BAD_VALUE,
				  rsp, size);
	fn->ide_km_keys[stream] |= BIT(ide_km_key_bit(hdr->key_sub_stream));
	return ide_km_ack(hdr, IDE_KM_KP_ACK, IDE_KM_KP_ACK_OK, rsp, size);
}

static int ide_km_set(struct devsec_fn *fn, const u8 *req, size_t len,
		      u8 *rsp, size_t size, bool go)
{
	const struct ide_km_key_hdr *hdr = (const void *)req;
	unsigned int bit;
	int stream;

	if (len != sizeof(*hdr) || hdr->port_index != 0 ||
	    FIELD_GET(IDE_KM_KEY_SUB_STREAM, hdr->key_sub_stream) >=
	    IDE_KM_NR_SUB_STREAMS)
		return -SPDM_ERR_INVALID_REQUEST;
	stream = ide_km_find_stream(fn, hdr->stream_id);
	if (stream < 0)
		return -SPDM_ERR_INVALID_REQUEST;
	bit = ide_km_key_bit(hdr->key_sub_stream);
	if (go) {
		/* a key must be programmed before it is put in use */
		if (!(fn->ide_km_keys[stream] & BIT(bit)))
			return -SPDM_ERR_UNEXPECTED_REQUEST;
		fn->ide_km_go[stream] |= BIT(bit);
	} else {
		fn->ide_km_go[stream] &= ~BIT(bit);
		fn->ide_km_keys[stream] &= ~BIT(bit);
	}
	ide_km_update_ready(fn, stream);
	return ide_km_ack(hdr, IDE_KM_K_GOSTOP_ACK, 0, rsp, size);
}

/**
 * devsec_ide_km_respond() - &devsec_spdm_vendor_ops.ide_km of an endpoint
 * @spdm: the endpoint's SPDM responder, @spdm->vendor_data is its
 *	function 0 (struct devsec_fn)
 * @req: IDE_KM request after the protocol id byte
 * @len: bytes at @req
 * @rsp: response after the protocol id byte
 * @size: bytes at @rsp
 *
 * Return: response length or -SPDM_ERR_*.
 */
int devsec_ide_km_respond(struct devsec_spdm *spdm, const u8 *req, size_t len,
			  u8 *rsp, size_t size)
{
	struct devsec_fn *fn = spdm->vendor_data;

	if (!len || !fn || !fn->ide_cap)
		return -SPDM_ERR_INVALID_REQUEST;
	switch (req[0]) {
	case IDE_KM_QUERY:
		return ide_km_query(fn, req, len, rsp, size);
	case IDE_KM_KEY_PROG:
		if (len < sizeof(struct ide_km_key_hdr))
			return -SPDM_ERR_INVALID_REQUEST;
		return ide_km_key_prog(fn, req, len, rsp, size);
	case IDE_KM_K_SET_GO:
	case IDE_KM_K_SET_STOP:
		if (len < sizeof(struct ide_km_key_hdr))
			return -SPDM_ERR_INVALID_REQUEST;
		return ide_km_set(fn, req, len, rsp, size,
				  req[0] == IDE_KM_K_SET_GO);
	default:
		return -SPDM_ERR_UNSUPPORTED_REQUEST;
	}
}
