// SPDX-License-Identifier: GPL-2.0-only
/*
 * devsec_bus: a DOE mailbox, PCIe r6.1 sec 6.30, emulated at the register
 * level so that drivers/pci/doe.c drives it exactly as it drives hardware.
 *
 * The write mailbox collects a request data object one dword at a time;
 * its second dword (the length) says when it is complete.  Go makes the
 * responder produce the response at once: config writes run under the
 * PCI core's raw pci_lock with interrupts off, so the responder never
 * sleeps or allocates, and both objects live in per-mailbox buffers.  The
 * read mailbox returns the current response dword, a write to it moves
 * to the next, and Data Object Ready drops once the last dword has been
 * consumed.  Abort forgets everything.  A request longer than the buffer
 * or malformed (length below the header size, more dwords than announced,
 * Go before the object is complete) sets DOE Error until Abort.
 *
 * Protocols (DOE discovery, PCIe r6.1 sec 6.30.1.1): index 0 discovery,
 * 1 CMA/SPDM, 2 secured CMA/SPDM.
 *
 * Fault injection, set through debugfs (bus.c), replaces the outcome of
 * the next exchanges as described by devsec_faults[].  The fuzzer, also
 * set through debugfs, mutates a share of the responses at random (a
 * seeded generator, so that a run can be repeated): bits, lengths, the
 * SPDM and secured message headers, length fields, the vendor payloads
 * (TDISP, IDE_KM) at the end, i.e. a hostile device.
 */
#include <linux/bitfield.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tdisp.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "bus.h"

/* a length field of 0 means 2^18 dwords, PCIe r6.1 sec 6.30.1 */
#define DEVSEC_DOE_LENGTH_MAX		BIT(18)

static const struct {
	u16 vid;
	u8 type;
} devsec_doe_protocols[] = {
	{ PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_DISCOVERY },
	{ PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_CMA },
	{ PCI_VENDOR_ID_PCI_SIG, PCI_DOE_FEATURE_SSESSION },
};

static void fault_set_error(struct devsec_doe *doe)
{
	doe->error = true;
}

static void fault_set_busy(struct devsec_doe *doe)
{
	doe->busy = true;
}

static void fault_truncate(struct devsec_doe *doe)
{
	u32 payload_dw = doe->rsp_dw - DEVSEC_DOE_HDR_DW;

	doe->rsp_dw = DEVSEC_DOE_HDR_DW + payload_dw / 2;
	put_unaligned_le32(FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH,
				      doe->rsp_dw), doe->rsp + 4);
}

static void fault_corrupt_length(struct devsec_doe *doe)
{
	/* announce two dwords that never come */
	put_unaligned_le32(FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH,
				      doe->rsp_dw + 2), doe->rsp + 4);
}

static void fault_garbage(struct devsec_doe *doe)
{
	unsigned int i;

	for (i = DEVSEC_DOE_HDR_DW * 4; i < doe->rsp_dw * 4; i++)
		doe->rsp[i] ^= 0xff;
}

/*
 * Invert the last byte of a secured message, inside its MAC (DSP0277: the
 * record's length field counts it, the DOE padding after it is not
 * covered); of the payload, for any other protocol
 */
static void fault_mac(struct devsec_doe *doe)
{
	u32 hdr1 = get_unaligned_le32(doe->rsp);
	u8 *p = doe->rsp + DEVSEC_DOE_HDR_DW * 4;
	size_t len = (doe->rsp_dw - DEVSEC_DOE_HDR_DW) * 4;
	size_t lo = offsetof(struct spdm_secured_msg_hdr, length);
	size_t rec = offsetof(struct spdm_secured_msg_hdr, app_data_len);
	size_t end = len;

	if (FIELD_GET(PCI_DOE_DATA_OBJECT_HEADER_1_TYPE, hdr1) ==
	    PCI_DOE_FEATURE_SSESSION && len >= rec &&
	    rec + get_unaligned_le16(p + lo) <= len)
		end = rec + get_unaligned_le16(p + lo);
	if (end)
		p[end - 1] ^= 0xff;
}

#define DEVSEC_FAULT_OVERSIZE_DW	64

static void fault_oversize(struct devsec_doe *doe)
{
	u32 dw = min_t(u32, doe->rsp_dw + DEVSEC_FAULT_OVERSIZE_DW,
		       sizeof(doe->rsp) / 4);

	memset(doe->rsp + doe->rsp_dw * 4, 0x5a, (dw - doe->rsp_dw) * 4);
	doe->rsp_dw = dw;
	put_unaligned_le32(FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH,
				      doe->rsp_dw), doe->rsp + 4);
}

static void fault_reset(struct devsec_doe *doe)
{
	struct devsec_fn *dsm = doe->spdm.vendor_data;
	int i;

	devsec_spdm_reset(&doe->spdm);
	/* A reset returns every TDI of the device to CONFIG_UNLOCKED */
	for (i = 0; dsm && i < DEVSEC_NR_EP_FUNCS; i++)
		dsm->host->ep[i].tdi.state = PCI_TDISP_CONFIG_UNLOCKED;
	doe->error = true;
}

/**
 * struct devsec_fault_desc - what a fault does to an exchange
 * @name: name in debugfs
 * @respond: whether the responder runs and Data Object Ready is set
 * @apply: then applied to the mailbox, if set
 */
struct devsec_fault_desc {
	const char *name;
	bool respond;
	void (*apply)(struct devsec_doe *doe);
};

static const struct devsec_fault_desc devsec_faults[DEVSEC_FAULT_MAX] = {
	[DEVSEC_FAULT_NONE] = { "none", true, NULL },
	[DEVSEC_FAULT_TIMEOUT] = { "timeout", false, NULL },
	[DEVSEC_FAULT_ERROR] = { "error", false, fault_set_error },
	[DEVSEC_FAULT_BUSY] = { "busy", false, fault_set_busy },
	[DEVSEC_FAULT_TRUNCATE] = { "truncate", true, fault_truncate },
	[DEVSEC_FAULT_CORRUPT_LENGTH] = { "corrupt-length", true,
					  fault_corrupt_length },
	[DEVSEC_FAULT_GARBAGE] = { "garbage", true, fault_garbage },
	[DEVSEC_FAULT_OVERSIZE] = { "oversize", true, fault_oversize },
	[DEVSEC_FAULT_RESET] = { "reset", false, fault_reset },
	[DEVSEC_FAULT_MAC] = { "mac", true, fault_mac },
};

/**
 * devsec_fault_name() - debugfs name of a fault
 * @fault: the fault
 *
 * Return: the name, a static string.
 */
const char *devsec_fault_name(enum devsec_fault fault)
{
	return devsec_faults[fault].name;
}

/**
 * devsec_fault_lookup() - fault by debugfs name
 * @name: the name
 *
 * Return: the enum devsec_fault value, or -EINVAL.
 */
int devsec_fault_lookup(const char *name)
{
	int i;

	for (i = 0; i < DEVSEC_FAULT_MAX; i++)
		if (sysfs_streq(name, devsec_faults[i].name))
			return i;
	return -EINVAL;
}

static const struct devsec_fault_desc *doe_take_fault(struct devsec_doe *doe)
{
	enum devsec_fault fault = doe->fault;

	if (fault != DEVSEC_FAULT_NONE && doe->fault_skip) {
		doe->fault_skip--;
		return &devsec_faults[DEVSEC_FAULT_NONE];
	}
	if (fault != DEVSEC_FAULT_NONE && doe->fault_count &&
	    --doe->fault_count == 0)
		doe->fault = DEVSEC_FAULT_NONE;
	return &devsec_faults[fault];
}

static ssize_t doe_discovery(const u8 *req, size_t len, u8 *rsp, size_t size)
{
	unsigned int index, next;

	if (len < 4 || size < 4)
		return -EINVAL;

	index = FIELD_GET(PCI_DOE_DATA_OBJECT_DISC_REQ_3_INDEX,
			  get_unaligned_le32(req));
	if (index >= ARRAY_SIZE(devsec_doe_protocols))
		return -EINVAL;

	next = index + 1 < ARRAY_SIZE(devsec_doe_protocols) ? index + 1 : 0;
	put_unaligned_le32(FIELD_PREP(PCI_DOE_DATA_OBJECT_DISC_RSP_3_VID,
				      devsec_doe_protocols[index].vid) |
			   FIELD_PREP(PCI_DOE_DATA_OBJECT_DISC_RSP_3_PROTOCOL,
				      devsec_doe_protocols[index].type) |
			   FIELD_PREP(PCI_DOE_DATA_OBJECT_DISC_RSP_3_NEXT_INDEX,
				      next), rsp);
	return 4;
}

static u32 fuzz_rnd(struct devsec_fuzz *f, u32 n)
{
	return n ? prandom_u32_state(&f->rnd) % n : 0;
}

static void fuzz_set_doe_length(struct devsec_doe *doe, u32 dw)
{
	put_unaligned_le32(FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH, dw),
			   doe->rsp + 4);
}

/* The response payload: what follows the 2 dword DOE header */
static u8 *fuzz_payload(struct devsec_doe *doe, size_t *len)
{
	*len = (doe->rsp_dw - DEVSEC_DOE_HDR_DW) * 4;
	return doe->rsp + DEVSEC_DOE_HDR_DW * 4;
}

static void fuzz_flip(struct devsec_doe *doe, struct devsec_fuzz *f)
{
	size_t len;
	u8 *p = fuzz_payload(doe, &len);
	u32 i, n = 1 + fuzz_rnd(f, 8);

	for (i = 0; len && i < n; i++)
		p[fuzz_rnd(f, len)] ^= BIT(fuzz_rnd(f, 8));
}

static void fuzz_truncate(struct devsec_doe *doe, struct devsec_fuzz *f)
{
	doe->rsp_dw = DEVSEC_DOE_HDR_DW +
		      fuzz_rnd(f, doe->rsp_dw - DEVSEC_DOE_HDR_DW);
	fuzz_set_doe_length(doe, doe->rsp_dw);
}

static void fuzz_extend(struct devsec_doe *doe, struct devsec_fuzz *f)
{
	u32 dw = min_t(u32, doe->rsp_dw + 1 + fuzz_rnd(f, 64),
		       sizeof(doe->rsp) / 4);
	u32 i;

	for (i = doe->rsp_dw * 4; i < dw * 4; i++)
		doe->rsp[i] = fuzz_rnd(f, 256);
	doe->rsp_dw = dw;
	fuzz_set_doe_length(doe, dw);
}

/* A DOE length that disagrees with the object (0 means 2^18 dwords) */
static void fuzz_doe_length(struct devsec_doe *doe, struct devsec_fuzz *f)
{
	fuzz_set_doe_length(doe, fuzz_rnd(f, doe->rsp_dw + 4));
}

/* SPDM version, code, params; secured message session ID and length */
static void fuzz_header(struct devsec_doe *doe, struct devsec_fuzz *f)
{
	size_t len;
	u8 *p = fuzz_payload(doe, &len);

	if (len)
		p[fuzz_rnd(f, min_t(size_t, len, 16))] = fuzz_rnd(f, 256);
}

/* A length, count, offset or portion field set to an edge value */
static void fuzz_field16(struct devsec_doe *doe, struct devsec_fuzz *f)
{
	static const u16 edges[] = { 0, 1, 0x7fff, 0x8000, 0xffff };
	size_t len;
	u8 *p = fuzz_payload(doe, &len);
	u32 off;
	u16 v;

	if (len < 2)
		return;
	off = fuzz_rnd(f, len / 2) * 2;
	v = get_unaligned_le16(p + off);
	switch (fuzz_rnd(f, 4)) {
	case 0:
		v = edges[fuzz_rnd(f, ARRAY_SIZE(edges))];
		break;
	case 1:
		v++;
		break;
	case 2:
		v--;
		break;
	default:
		v = fuzz_rnd(f, 0x10000);
		break;
	}
	put_unaligned_le16(v, p + off);
}

static void fuzz_field32(struct devsec_doe *doe, struct devsec_fuzz *f)
{
	static const u32 edges[] = { 0, 1, 0x7fffffff, 0x80000000, U32_MAX };
	size_t len;
	u8 *p = fuzz_payload(doe, &len);

	if (len < 4)
		return;
	put_unaligned_le32(fuzz_rnd(f, 2) ? edges[fuzz_rnd(f, ARRAY_SIZE(edges))] :
			   prandom_u32_state(&f->rnd),
			   p + fuzz_rnd(f, len / 4) * 4);
}

/* The vendor payload (TDISP, IDE_KM) and MAC sit at the end */
static void fuzz_tail(struct devsec_doe *doe, struct devsec_fuzz *f)
{
	size_t len, n, i;
	u8 *p = fuzz_payload(doe, &len);

	n = min_t(size_t, len, 1 + fuzz_rnd(f, 32));
	for (i = len - n; i < len; i++)
		if (fuzz_rnd(f, 2))
			p[i] = fuzz_rnd(f, 256);
}

static const struct {
	const char *name;
	void (*mutate)(struct devsec_doe *doe, struct devsec_fuzz *f);
} devsec_fuzz_kinds[DEVSEC_FUZZ_NR_KINDS] = {
	[DEVSEC_FUZZ_FLIP] = { "flip", fuzz_flip },
	[DEVSEC_FUZZ_TRUNCATE] = { "truncate", fuzz_truncate },
	[DEVSEC_FUZZ_EXTEND] = { "extend", fuzz_extend },
	[DEVSEC_FUZZ_DOE_LENGTH] = { "doe-length", fuzz_doe_length },
	[DEVSEC_FUZZ_HEADER] = { "header", fuzz_header },
	[DEVSEC_FUZZ_FIELD16] = { "field16", fuzz_field16 },
	[DEVSEC_FUZZ_FIELD32] = { "field32", fuzz_field32 },
	[DEVSEC_FUZZ_TAIL] = { "tail", fuzz_tail },
};

/**
 * devsec_fuzz_kind_name() - debugfs name of a mutation
 * @kind: the mutation
 *
 * Return: its name.
 */
const char *devsec_fuzz_kind_name(enum devsec_fuzz_kind kind)
{
	return devsec_fuzz_kinds[kind].name;
}

/**
 * devsec_fuzz_set() - start, restart or stop the fuzzer of a mailbox
 * @fuzz: the fuzzer
 * @seed: seed of its generator
 * @rate: percentage of the responses to mutate, 0 to stop
 *
 * Context: host lock held.  The statistics start over.
 */
void devsec_fuzz_set(struct devsec_fuzz *fuzz, u32 seed, unsigned int rate)
{
	memset(fuzz, 0, sizeof(*fuzz));
	prandom_seed_state(&fuzz->rnd, seed);
	fuzz->seed = seed;
	fuzz->rate = min(rate, 100U);
}

/* Maybe mutate the response object just produced */
static void doe_fuzz(struct devsec_doe *doe)
{
	struct devsec_fuzz *f = &doe->fuzz;
	u32 kind;

	if (!f->rate)
		return;
	f->nr_seen++;
	if (fuzz_rnd(f, 100) >= f->rate)
		return;
	kind = fuzz_rnd(f, DEVSEC_FUZZ_NR_KINDS);
	devsec_fuzz_kinds[kind].mutate(doe, f);
	f->nr_mutated++;
	f->nr_kind[kind]++;
}

/* payload of the request object -> payload of the response object */
static ssize_t doe_respond(struct devsec_doe *doe, u16 vid, u8 type,
			   const u8 *req, size_t len, u8 *rsp, size_t size)
{
	if (vid != PCI_VENDOR_ID_PCI_SIG)
		return -EINVAL;

	switch (type) {
	case PCI_DOE_FEATURE_DISCOVERY:
		return doe_discovery(req, len, rsp, size);
	case PCI_DOE_FEATURE_CMA:
		return devsec_spdm_respond(&doe->spdm, req, len, rsp, size);
	case PCI_DOE_FEATURE_SSESSION:
		return devsec_spdm_respond_secured(&doe->spdm, req, len, rsp,
						   size);
	default:
		return -EINVAL;
	}
}

static void doe_go(struct devsec_doe *doe)
{
	const struct devsec_fault_desc *fault;
	size_t payload = (doe->req_total_dw - DEVSEC_DOE_HDR_DW) * 4;
	u8 *rsp = doe->rsp + DEVSEC_DOE_HDR_DW * 4;
	size_t size = sizeof(doe->rsp) - DEVSEC_DOE_HDR_DW * 4;
	u32 hdr1 = get_unaligned_le32(doe->req);
	ssize_t len;

	if (doe->error || doe->busy)
		return;
	/* Go with no, or a partial, data object */
	if (!doe->req_total_dw || doe->req_dw != doe->req_total_dw) {
		doe->error = true;
		return;
	}

	/* the request buffer stays intact until the next write */
	doe->req_dw = 0;
	doe->req_total_dw = 0;
	doe->nr_exchanges++;

	fault = doe_take_fault(doe);
	if (!fault->respond) {
		if (fault->apply)
			fault->apply(doe);
		return;
	}

	len = doe_respond(doe,
			  FIELD_GET(PCI_DOE_DATA_OBJECT_HEADER_1_VID, hdr1),
			  FIELD_GET(PCI_DOE_DATA_OBJECT_HEADER_1_TYPE, hdr1),
			  doe->req + DEVSEC_DOE_HDR_DW * 4, payload, rsp,
			  size);
	if (len < 0 || (size_t)len > size) {
		doe->error = true;
		return;
	}

	/* pad the last dword with zeroes */
	memset(rsp + len, 0, round_up(len, 4) - len);
	doe->rsp_dw = DEVSEC_DOE_HDR_DW + DIV_ROUND_UP(len, 4);
	/* the response carries the request's vendor and type */
	put_unaligned_le32(hdr1 & (PCI_DOE_DATA_OBJECT_HEADER_1_VID |
				   PCI_DOE_DATA_OBJECT_HEADER_1_TYPE),
			   doe->rsp);
	put_unaligned_le32(FIELD_PREP(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH,
				      doe->rsp_dw), doe->rsp + 4);
	doe->rsp_pos = 0;
	doe->ready = true;

	if (fault->apply)
		fault->apply(doe);
	doe_fuzz(doe);
}

static void doe_write_mailbox(struct devsec_doe *doe, u32 val)
{
	u32 len;

	if (doe->error)
		return;
	if (doe->busy ||
	    (doe->req_total_dw && doe->req_dw == doe->req_total_dw) ||
	    doe->req_dw == DEVSEC_DOE_MAX_DW) {
		doe->error = true;
		return;
	}

	/* a new request discards a response that was not read out */
	doe->ready = false;

	put_unaligned_le32(val, doe->req + doe->req_dw * 4);
	doe->req_dw++;
	if (doe->req_dw != DEVSEC_DOE_HDR_DW)
		return;

	len = FIELD_GET(PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH, val);
	if (!len)
		len = DEVSEC_DOE_LENGTH_MAX;
	if (len < DEVSEC_DOE_HDR_DW || len > DEVSEC_DOE_MAX_DW)
		doe->error = true;
	else
		doe->req_total_dw = len;
}

static bool doe_data_object_ready(struct devsec_doe *doe)
{
	return doe->ready && doe->rsp_pos < doe->rsp_dw;
}

/**
 * devsec_doe_reset() - Abort: back to idle, no request, no response
 * @doe: the mailbox
 *
 * The fault setting and the SPDM state behind the mailbox survive.
 */
void devsec_doe_reset(struct devsec_doe *doe)
{
	doe->busy = false;
	doe->error = false;
	doe->ready = false;
	doe->req_dw = 0;
	doe->req_total_dw = 0;
	doe->rsp_dw = 0;
	doe->rsp_pos = 0;
}

/**
 * devsec_doe_read() - read a DOE register
 * @doe: the mailbox
 * @reg: PCI_DOE_CTRL, PCI_DOE_STATUS, PCI_DOE_WRITE or PCI_DOE_READ
 *
 * Context: host lock held.
 * Return: the register value.
 */
u32 devsec_doe_read(struct devsec_doe *doe, unsigned int reg)
{
	u32 val = 0;

	switch (reg) {
	case PCI_DOE_STATUS:
		if (doe->busy)
			val |= PCI_DOE_STATUS_BUSY;
		if (doe->error)
			val |= PCI_DOE_STATUS_ERROR;
		if (doe_data_object_ready(doe))
			val |= PCI_DOE_STATUS_DATA_OBJECT_READY;
		return val;
	case PCI_DOE_READ:
		if (doe_data_object_ready(doe))
			val = get_unaligned_le32(doe->rsp + doe->rsp_pos * 4);
		return val;
	default:
		/* Abort and Go read as zero, no interrupt support */
		return 0;
	}
}

/**
 * devsec_doe_write() - write a DOE register
 * @doe: the mailbox
 * @reg: PCI_DOE_CTRL, PCI_DOE_STATUS, PCI_DOE_WRITE or PCI_DOE_READ
 * @val: the dword written
 *
 * Context: host lock held.
 */
void devsec_doe_write(struct devsec_doe *doe, unsigned int reg, u32 val)
{
	switch (reg) {
	case PCI_DOE_CTRL:
		if (val & PCI_DOE_CTRL_ABORT)
			devsec_doe_reset(doe);
		else if (val & PCI_DOE_CTRL_GO)
			doe_go(doe);
		break;
	case PCI_DOE_WRITE:
		doe_write_mailbox(doe, val);
		break;
	case PCI_DOE_READ:
		if (!doe_data_object_ready(doe))
			break;
		if (++doe->rsp_pos == doe->rsp_dw)
			doe->ready = false;
		break;
	default:
		/* Status: Interrupt Status is never set, nothing to clear */
		break;
	}
}
