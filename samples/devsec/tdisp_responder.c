// SPDX-License-Identifier: GPL-2.0
/*
 * TDISP responder of the simulated endpoint (PCIe r6.1 sec 11.3).
 *
 * Reached through SPDM VENDOR_DEFINED_REQUEST (PCI-SIG protocol 1) inside
 * a secured session, see spdm_responder.c.  Each endpoint function is one
 * TEE Device Interface with the state machine of sec 11.3.2:
 *
 *   CONFIG_UNLOCKED --LOCK_INTERFACE--> CONFIG_LOCKED --START--> RUN
 *   any state --STOP_INTERFACE--> CONFIG_UNLOCKED
 *   CONFIG_LOCKED / RUN --config write to a BAR--> ERROR
 *
 * The interface report describes BAR 0 as one private MMIO range and
 * BAR 2 as three: private MMIO, the MSI-X table / PBA page (non-TEE: it
 * stays shared with the host) and private MMIO again.  Addresses are reported with the MMIO
 * reporting offset of LOCK_INTERFACE added, as the spec requires.
 */
#include <linux/cleanup.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/pci-tdisp.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "bus.h"
#include "devsec.h"
#include "spdm.h"

/* TDISP_ERROR codes (sec 11.3.16, Table 11-28) */
#define TDISP_ERR_INVALID_REQUEST		0x0001
#define TDISP_ERR_UNSUPPORTED_REQUEST		0x0007
#define TDISP_ERR_INVALID_INTERFACE_STATE	0x0004
#define TDISP_ERR_INVALID_INTERFACE		0x0101
#define TDISP_ERR_INVALID_NONCE			0x0102

#define TDISP_NR_RANGES			4

static const char *const devsec_tdisp_state_names[] = {
	[PCI_TDISP_CONFIG_UNLOCKED] = "CONFIG_UNLOCKED",
	[PCI_TDISP_CONFIG_LOCKED] = "CONFIG_LOCKED",
	[PCI_TDISP_RUN] = "RUN",
	[PCI_TDISP_ERROR_STATE] = "ERROR",
};

/**
 * devsec_tdisp_state_name() - name of a TDI state, for debugfs
 * @fn: endpoint function
 *
 * Return: "CONFIG_UNLOCKED", "CONFIG_LOCKED", "RUN" or "ERROR".
 */
static const char *devsec_tdisp_state_name(struct devsec_fn *fn)
{
	return devsec_tdisp_state_names[fn->tdi.state];
}

/**
 * devsec_tdisp_cfg_write() - a config write hit a function
 * @fn: the function
 * @where: offset of the write
 * @size: its size
 *
 * A locked interface must not see its BARs move (sec 11.2.6): the TDI
 * goes to ERROR.  Context: host lock held.
 */
void devsec_tdisp_cfg_write(struct devsec_fn *fn, unsigned int where,
			    int size)
{
	if (fn->tdi.state != PCI_TDISP_CONFIG_LOCKED &&
	    fn->tdi.state != PCI_TDISP_RUN)
		return;
	if (where + size > PCI_BASE_ADDRESS_0 && where < PCI_CARDBUS_CIS)
		fn->tdi.state = PCI_TDISP_ERROR_STATE;
}

/* The function an INTERFACE_ID names, or NULL */
static struct devsec_fn *tdisp_find_fn(struct devsec_host *host, u32 id)
{
	u16 rid = id & 0xffff;

	if (PCI_BUS_NUM(rid) != host->busn.start + 1 || PCI_SLOT(rid & 0xff) ||
	    PCI_FUNC(rid) >= DEVSEC_NR_EP_FUNCS)
		return NULL;
	return &host->ep[PCI_FUNC(rid)];
}

static void tdisp_hdr(u8 *rsp, u8 type, const struct pci_tdisp_hdr *req)
{
	struct pci_tdisp_hdr *hdr = (struct pci_tdisp_hdr *)rsp;

	memset(hdr, 0, sizeof(*hdr));
	hdr->version = PCI_TDISP_VERSION_1_0;
	hdr->type = type;
	hdr->function_id = req->function_id;
}

static int tdisp_error(u8 *rsp, size_t size, const struct pci_tdisp_hdr *req,
		       u32 code)
{
	struct pci_tdisp_error_rsp *err = (struct pci_tdisp_error_rsp *)rsp;

	if (size < sizeof(*err))
		return -SPDM_ERR_RESPONSE_TOO_LARGE;
	tdisp_hdr(rsp, PCI_TDISP_ERROR, req);
	put_unaligned_le32(code, &err->error_code);
	put_unaligned_le32(0, &err->error_data);
	return sizeof(*err);
}

/* Address of 64-bit memory BAR @bar of @fn, as programmed */
static u64 tdisp_bar(struct devsec_fn *fn, unsigned int bar)
{
	unsigned int reg = PCI_BASE_ADDRESS_0 + bar * 4;

	return (u64)get_unaligned_le32(&fn->cfg[reg + 4]) << 32 |
	       (get_unaligned_le32(&fn->cfg[reg]) & PCI_BASE_ADDRESS_MEM_MASK);
}

/* Build the TDI report of @fn in @buf; return its size */
static size_t tdisp_build_report(struct devsec_fn *fn, u8 *buf, size_t size)
{
	static const struct {
		u8 bar;
		u32 offset;
		u32 len;
		u16 attr;
	} layout[TDISP_NR_RANGES] = {
		{ 0, 0, DEVSEC_BAR_SIZE, 0 },
		{ DEVSEC_MSIX_BAR, 0, DEVSEC_MSIX_PAGE_OFFSET, 0 },
		{ DEVSEC_MSIX_BAR, DEVSEC_MSIX_PAGE_OFFSET,
		  DEVSEC_MSIX_PAGE_SIZE,
		  PCI_TDISP_MMIO_MSIX_TABLE | PCI_TDISP_MMIO_MSIX_PBA |
		  PCI_TDISP_MMIO_NON_TEE },
		{ DEVSEC_MSIX_BAR, DEVSEC_MSIX_PAGE_OFFSET + DEVSEC_MSIX_PAGE_SIZE,
		  DEVSEC_BAR2_SIZE - DEVSEC_MSIX_PAGE_OFFSET -
		  DEVSEC_MSIX_PAGE_SIZE, 0 },
	};
	struct pci_tdisp_report *rep = (struct pci_tdisp_report *)buf;
	struct pci_tdisp_mmio_range *r = (void *)(rep + 1);
	size_t len = sizeof(*rep) + sizeof(*r) * TDISP_NR_RANGES + 4;
	unsigned int i;

	if (WARN_ON(len > size))
		return 0;
	memset(buf, 0, len);
	put_unaligned_le32(TDISP_NR_RANGES, &rep->mmio_range_count);
	for (i = 0; i < TDISP_NR_RANGES; i++) {
		u64 addr = tdisp_bar(fn, layout[i].bar) + layout[i].offset +
			   fn->tdi.mmio_offset;

		put_unaligned_le64(addr >> PCI_TDISP_PAGE_SHIFT,
				   &r[i].first_page);
		put_unaligned_le32(layout[i].len >> PCI_TDISP_PAGE_SHIFT,
				   &r[i].nr_pages);
		put_unaligned_le16(layout[i].attr, &r[i].attr);
		/* the range ID names the BAR (sec 11.3.11) */
		put_unaligned_le16(layout[i].bar, &r[i].range_id);
	}
	/* device specific info length (at the end): 0 */
	return len;
}

static int tdisp_get_report(struct devsec_fn *fn, const u8 *req, size_t len,
			    u8 *rsp, size_t size)
{
	const struct pci_tdisp_report_req *rq = (const void *)req;
	struct pci_tdisp_report_rsp *out = (void *)rsp;
	u8 report[sizeof(struct pci_tdisp_report) +
		  TDISP_NR_RANGES * sizeof(struct pci_tdisp_mmio_range) + 4];
	size_t total, off, want;

	if (len != sizeof(*rq))
		return tdisp_error(rsp, size, &rq->hdr,
				   TDISP_ERR_INVALID_REQUEST);
	if (fn->tdi.state != PCI_TDISP_CONFIG_LOCKED &&
	    fn->tdi.state != PCI_TDISP_RUN)
		return tdisp_error(rsp, size, &rq->hdr,
				   TDISP_ERR_INVALID_INTERFACE_STATE);

	total = tdisp_build_report(fn, report, sizeof(report));
	off = get_unaligned_le16(&rq->offset);
	want = get_unaligned_le16(&rq->length);
	if (off > total || size < sizeof(*out))
		return tdisp_error(rsp, size, &rq->hdr,
				   TDISP_ERR_INVALID_REQUEST);
	want = min3(want, total - off, size - sizeof(*out));

	tdisp_hdr(rsp, PCI_TDISP_INTERFACE_REPORT, &rq->hdr);
	put_unaligned_le16(want, &out->portion_length);
	put_unaligned_le16(total - off - want, &out->remainder_length);
	memcpy(out->report, report + off, want);
	return sizeof(*out) + want;
}

/**
 * devsec_tdisp_request() - &devsec_spdm_vendor_ops.tdisp
 * @spdm: responder of the DSM; its @vendor_data is the DSM's function
 * @req: TDISP request
 * @len: its length
 * @rsp: response buffer
 * @size: its size
 *
 * Return: response length or -SPDM_ERR_*.
 */
int devsec_tdisp_request(struct devsec_spdm *spdm, const u8 *req, size_t len,
			 u8 *rsp, size_t size)
{
	const struct pci_tdisp_hdr *hdr = (const void *)req;
	struct devsec_fn *dsm = spdm->vendor_data;
	struct devsec_host *host = dsm->host;
	struct devsec_fn *fn;

	if (len < sizeof(*hdr) || size < sizeof(struct pci_tdisp_error_rsp))
		return -SPDM_ERR_INVALID_REQUEST;
	if (hdr->version != PCI_TDISP_VERSION_1_0 &&
	    hdr->type != PCI_TDISP_GET_VERSION)
		return tdisp_error(rsp, size, hdr, TDISP_ERR_INVALID_REQUEST);
	fn = tdisp_find_fn(host, get_unaligned_le32(&hdr->function_id));
	if (!fn)
		return tdisp_error(rsp, size, hdr,
				   TDISP_ERR_INVALID_INTERFACE);

	switch (hdr->type) {
	case PCI_TDISP_GET_VERSION:
		tdisp_hdr(rsp, PCI_TDISP_VERSION, hdr);
		rsp[sizeof(*hdr)] = 1;		/* VERSION_NUM_COUNT */
		rsp[sizeof(*hdr) + 1] = PCI_TDISP_VERSION_1_0;
		return sizeof(*hdr) + 2;
	case PCI_TDISP_GET_CAPABILITIES:
		if (len != sizeof(*hdr) + 4)
			break;
		tdisp_hdr(rsp, PCI_TDISP_CAPABILITIES, hdr);
		/* DSM_CAPS, REQ_MSGS_SUPPORTED (0x81..0x87), LOCK flags, ... */
		memset(rsp + sizeof(*hdr), 0, 28);
		rsp[sizeof(*hdr) + 4 + 16] = 0x7f;
		return sizeof(*hdr) + 28;
	case PCI_TDISP_LOCK_INTERFACE: {
		const struct pci_tdisp_lock_req *rq = (const void *)req;
		struct pci_tdisp_lock_rsp *out = (void *)rsp;

		if (len != sizeof(*rq))
			break;
		if (fn->tdi.state != PCI_TDISP_CONFIG_UNLOCKED)
			return tdisp_error(rsp, size, hdr,
					   TDISP_ERR_INVALID_INTERFACE_STATE);
		fn->tdi.mmio_offset =
			get_unaligned_le64(&rq->mmio_reporting_offset);
		fn->tdi.nonce_seq++;
		memset(fn->tdi.nonce, 0xa5 ^ fn->tdi.nonce_seq,
		       sizeof(fn->tdi.nonce));
		fn->tdi.nonce[0] = fn->func;
		fn->tdi.state = PCI_TDISP_CONFIG_LOCKED;
		tdisp_hdr(rsp, PCI_TDISP_LOCK_INTERFACE_RSP, hdr);
		memcpy(out->start_interface_nonce, fn->tdi.nonce,
		       sizeof(fn->tdi.nonce));
		return sizeof(*out);
	}
	case PCI_TDISP_GET_INTERFACE_REPORT:
		return tdisp_get_report(fn, req, len, rsp, size);
	case PCI_TDISP_GET_INTERFACE_STATE:
		if (len != sizeof(*hdr))
			break;
		tdisp_hdr(rsp, PCI_TDISP_INTERFACE_STATE, hdr);
		rsp[sizeof(*hdr)] = fn->tdi.state;
		return sizeof(struct pci_tdisp_state_rsp);
	case PCI_TDISP_START_INTERFACE: {
		const struct pci_tdisp_start_req *rq = (const void *)req;

		if (len != sizeof(*rq))
			break;
		if (fn->tdi.state != PCI_TDISP_CONFIG_LOCKED)
			return tdisp_error(rsp, size, hdr,
					   TDISP_ERR_INVALID_INTERFACE_STATE);
		if (memcmp(rq->start_interface_nonce, fn->tdi.nonce,
			   sizeof(fn->tdi.nonce)))
			return tdisp_error(rsp, size, hdr,
					   TDISP_ERR_INVALID_NONCE);
		fn->tdi.state = PCI_TDISP_RUN;
		tdisp_hdr(rsp, PCI_TDISP_START_INTERFACE_RSP, hdr);
		return sizeof(*hdr);
	}
	case PCI_TDISP_STOP_INTERFACE:
		if (len != sizeof(*hdr))
			break;
		fn->tdi.state = PCI_TDISP_CONFIG_UNLOCKED;
		memset(fn->tdi.nonce, 0, sizeof(fn->tdi.nonce));
		tdisp_hdr(rsp, PCI_TDISP_STOP_INTERFACE_RSP, hdr);
		return sizeof(*hdr);
	default:
		return tdisp_error(rsp, size, hdr,
				   TDISP_ERR_UNSUPPORTED_REQUEST);
	}
	return tdisp_error(rsp, size, hdr, TDISP_ERR_INVALID_REQUEST);
}

static int devsec_tdisp_show(struct seq_file *s, void *unused)
{
	struct devsec_fn *fn = s->private;
	const char *name;

	scoped_guard(raw_spinlock_irqsave, &fn->host->lock)
		name = devsec_tdisp_state_name(fn);
	seq_printf(s, "%s\n", name);
	return 0;
}

/*
 * Writing a state name puts the interface in that state behind the TSMs'
 * back, as an owner before them (a kexec'd kernel, an unloaded TSM that
 * lost its session) could have left it.
 */
static ssize_t devsec_tdisp_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct devsec_fn *fn = file_inode(file)->i_private;
	int state;

	if (len > 32)
		return -EINVAL;

	char *buf __free(kfree) = memdup_user_nul(ubuf, len);

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	state = sysfs_match_string(devsec_tdisp_state_names, buf);
	if (state < 0)
		return state;

	scoped_guard(raw_spinlock_irqsave, &fn->host->lock) {
		fn->tdi.state = state;
		if (state == PCI_TDISP_CONFIG_UNLOCKED)
			memset(fn->tdi.nonce, 0, sizeof(fn->tdi.nonce));
	}
	return len;
}

static int devsec_tdisp_open(struct inode *inode, struct file *file)
{
	return single_open(file, devsec_tdisp_show, inode->i_private);
}

/* debugfs devsec/<bdf>/tdisp: TDISP state of the function */
const struct file_operations devsec_tdisp_fops = {
	.owner = THIS_MODULE,
	.open = devsec_tdisp_open,
	.read = seq_read,
	.write = devsec_tdisp_write,
	.llseek = seq_lseek,
	.release = single_release,
};
