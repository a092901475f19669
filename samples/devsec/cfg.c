// SPDX-License-Identifier: GPL-2.0-only
/*
 * devsec_bus: config space of the simulated functions, emulated at the
 * register level.
 *
 * Each function is three byte arrays: the register values, the bits
 * software may write, and the bits that are write-1-to-clear.  A plain
 * write merges the value through the masks, so read-only fields (vendor
 * id, capability pointers, BAR size bits) stay read-only and BAR sizing
 * works the way the PCI core expects: write all ones, read back the
 * size mask.  Registers with side effects (the DOE mailbox, the IDE stream
 * status) are hooks: functions computing the value read or consuming the
 * value written.  Writes that act rather than store (Function Level Reset,
 * Secondary Bus Reset) are handled after the store.
 *
 * The layout (offsets in bus.h):
 *   root port:  type 1 header with I/O, memory and 64-bit prefetchable
 *               windows, PCIe capability (Root Port),
 *               IDE extended capability with DEVSEC_RP_NR_SEL_STREAMS
 *               selective streams
 *   endpoint:   type 0 header with BAR 0 (64-bit prefetchable, 2 MiB)
 *               and BAR 2 (64-bit prefetchable, 16 KiB, MSI-X table
 *               and PBA), PCIe capability (Endpoint, FLR, TEE-IO), MSI-X;
 *               function 0 also: DOE, IDE with one selective stream
 */
#include <linux/bitfield.h>
#include <linux/pci.h>
#include <linux/unaligned.h>

#include "bus.h"

#define DEVSEC_CMD_WMASK	(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
				 PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
				 PCI_COMMAND_INTX_DISABLE)
#define DEVSEC_STATUS_W1C	(PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT | \
				 PCI_STATUS_REC_TARGET_ABORT | \
				 PCI_STATUS_REC_MASTER_ABORT | \
				 PCI_STATUS_SIG_SYSTEM_ERROR | \
				 PCI_STATUS_DETECTED_PARITY)

/* PCIe r6.1 sec 7.5.3: 16.0 GT/s, x16 */
#define DEVSEC_LINK_SPEED	PCI_EXP_LNKCAP_SLS_16_0GB
#define DEVSEC_LINK_WIDTH	16

static void cfg_set(struct devsec_fn *fn, unsigned int off, int size, u32 val,
		    u32 wmask, u32 w1c)
{
	int i;

	for (i = 0; i < size; i++) {
		fn->cfg[off + i] = val >> (8 * i);
		fn->wmask[off + i] = wmask >> (8 * i);
		fn->w1cmask[off + i] = w1c >> (8 * i);
	}
}

static void cfg_ro(struct devsec_fn *fn, unsigned int off, int size, u32 val)
{
	cfg_set(fn, off, size, val, 0, 0);
}

static void cfg_rw(struct devsec_fn *fn, unsigned int off, int size, u32 val,
		   u32 wmask)
{
	cfg_set(fn, off, size, val, wmask, 0);
}

static void cfg_hook(struct devsec_fn *fn, unsigned int reg,
		     u32 (*read)(struct devsec_fn *fn, unsigned int reg),
		     void (*write)(struct devsec_fn *fn, unsigned int reg,
				   u32 val))
{
	if (WARN_ON(fn->nr_hooks >= ARRAY_SIZE(fn->hooks)))
		return;
	fn->hooks[fn->nr_hooks++] = (struct devsec_cfg_hook) {
		.reg = reg,
		.read = read,
		.write = write,
	};
}

static const struct devsec_cfg_hook *cfg_find_hook(struct devsec_fn *fn,
						   unsigned int reg)
{
	unsigned int i;

	for (i = 0; i < fn->nr_hooks; i++)
		if (fn->hooks[i].reg == reg)
			return &fn->hooks[i];
	return NULL;
}

static void ext_cap_hdr(struct devsec_fn *fn, unsigned int off, u16 id,
			u8 ver, unsigned int next)
{
	cfg_ro(fn, off, 4, id | ver << 16 | next << 20);
}

static void build_header_common(struct devsec_fn *fn, u16 vendor, u16 device,
				u32 class, u8 hdr_type)
{
	cfg_ro(fn, PCI_VENDOR_ID, 2, vendor);
	cfg_ro(fn, PCI_DEVICE_ID, 2, device);
	cfg_rw(fn, PCI_COMMAND, 2, 0, DEVSEC_CMD_WMASK);
	cfg_set(fn, PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0, DEVSEC_STATUS_W1C);
	cfg_ro(fn, PCI_CLASS_REVISION, 4, class << 8 | 0x01);
	cfg_rw(fn, PCI_CACHE_LINE_SIZE, 1, 0, 0xff);
	cfg_ro(fn, PCI_HEADER_TYPE, 1, hdr_type);
	cfg_ro(fn, PCI_CAPABILITY_LIST, 1, DEVSEC_PCIE_CAP);
	cfg_rw(fn, PCI_INTERRUPT_LINE, 1, 0, 0xff);
	/* no INTx: the functions signal MSI-X or nothing */
	cfg_ro(fn, PCI_INTERRUPT_PIN, 1, 0);
}

static void build_pcie_cap(struct devsec_fn *fn, unsigned int next)
{
	unsigned int cap = DEVSEC_PCIE_CAP;
	bool rp = fn->type == DEVSEC_FN_ROOT_PORT;
	u32 devcap = FIELD_PREP(PCI_EXP_DEVCAP_PAYLOAD, 1) /* 256 bytes */ |
		     PCI_EXP_DEVCAP_EXT_TAG | PCI_EXP_DEVCAP_RBER;
	u32 lnkcap = DEVSEC_LINK_SPEED |
		     FIELD_PREP(PCI_EXP_LNKCAP_MLW, DEVSEC_LINK_WIDTH);
	u16 lnksta = FIELD_PREP(PCI_EXP_LNKSTA_CLS, DEVSEC_LINK_SPEED) |
		     FIELD_PREP(PCI_EXP_LNKSTA_NLW, DEVSEC_LINK_WIDTH) |
		     PCI_EXP_LNKSTA_SLC;
	u8 type = rp ? PCI_EXP_TYPE_ROOT_PORT : PCI_EXP_TYPE_ENDPOINT;

	if (rp) {
		lnkcap |= PCI_EXP_LNKCAP_DLLLARC |
			  FIELD_PREP(PCI_EXP_LNKCAP_PN, 1 + fn->host->id);
		lnksta |= PCI_EXP_LNKSTA_DLLLA;
	} else {
		/* FLR and TEE-IO: what makes the endpoint a TDISP device */
		devcap |= PCI_EXP_DEVCAP_FLR | PCI_EXP_DEVCAP_TEE;
	}

	cfg_ro(fn, cap + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_EXP);
	cfg_ro(fn, cap + PCI_CAP_LIST_NEXT, 1, next);
	cfg_ro(fn, cap + PCI_EXP_FLAGS, 2,
	       2 /* version */ | FIELD_PREP(PCI_EXP_FLAGS_TYPE, type));
	cfg_ro(fn, cap + PCI_EXP_DEVCAP, 4, devcap);
	/*
	 * Device Control: everything but Initiate FLR / Bridge Config Retry
	 * Enable (bit 15) is storage; FLR is acted on in cfg_side_effects().
	 */
	cfg_rw(fn, cap + PCI_EXP_DEVCTL, 2,
	       PCI_EXP_DEVCTL_RELAX_EN | PCI_EXP_DEVCTL_NOSNOOP_EN |
	       PCI_EXP_DEVCTL_READRQ_512B, 0x7fff);
	cfg_set(fn, cap + PCI_EXP_DEVSTA, 2, 0, 0,
		PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED |
		PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD);
	cfg_ro(fn, cap + PCI_EXP_LNKCAP, 4, lnkcap);
	cfg_rw(fn, cap + PCI_EXP_LNKCTL, 2, 0,
	       PCI_EXP_LNKCTL_ASPMC | PCI_EXP_LNKCTL_RCB |
	       PCI_EXP_LNKCTL_CCC | PCI_EXP_LNKCTL_ES |
	       (rp ? PCI_EXP_LNKCTL_LD : 0));
	cfg_ro(fn, cap + PCI_EXP_LNKSTA, 2, lnksta);
	if (rp) {
		cfg_rw(fn, cap + PCI_EXP_RTCTL, 2, 0, 0x001f);
		cfg_set(fn, cap + PCI_EXP_RTSTA, 4, 0, 0, PCI_EXP_RTSTA_PME);
	}
	cfg_rw(fn, cap + PCI_EXP_DEVCTL2, 2, 0, PCI_EXP_DEVCTL2_COMP_TIMEOUT |
	       PCI_EXP_DEVCTL2_COMP_TMOUT_DIS);
	cfg_ro(fn, cap + PCI_EXP_LNKCAP2, 4, PCI_EXP_LNKCAP2_SLS_2_5GB |
	       PCI_EXP_LNKCAP2_SLS_5_0GB | PCI_EXP_LNKCAP2_SLS_8_0GB |
	       PCI_EXP_LNKCAP2_SLS_16_0GB);
	cfg_rw(fn, cap + PCI_EXP_LNKCTL2, 2, PCI_EXP_LNKCTL2_TLS_16_0GT,
	       PCI_EXP_LNKCTL2_TLS);
}

static void build_msix_cap(struct devsec_fn *fn, unsigned int cap,
			   unsigned int next)
{
	cfg_ro(fn, cap + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_MSIX);
	cfg_ro(fn, cap + PCI_CAP_LIST_NEXT, 1, next);
	cfg_rw(fn, cap + PCI_MSIX_FLAGS, 2, DEVSEC_MSIX_NR_VECTORS - 1,
	       PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	/* both structures live in one page of BAR 2 (the BIR field) */
	cfg_ro(fn, cap + PCI_MSIX_TABLE, 4,
	       DEVSEC_MSIX_TABLE_OFFSET | DEVSEC_MSIX_BAR);
	cfg_ro(fn, cap + PCI_MSIX_PBA, 4,
	       DEVSEC_MSIX_PBA_OFFSET | DEVSEC_MSIX_BAR);
}

static u32 doe_reg_read(struct devsec_fn *fn, unsigned int reg)
{
	return devsec_doe_read(fn->doe, reg - DEVSEC_DOE_CAP);
}

static void doe_reg_write(struct devsec_fn *fn, unsigned int reg, u32 val)
{
	devsec_doe_write(fn->doe, reg - DEVSEC_DOE_CAP, val);
}

static void build_doe_cap(struct devsec_fn *fn, unsigned int next)
{
	unsigned int cap = DEVSEC_DOE_CAP;

	ext_cap_hdr(fn, cap, PCI_EXT_CAP_ID_DOE, 1, next);
	/* no interrupt support: the kernel polls */
	cfg_ro(fn, cap + PCI_DOE_CAP, 4, 0);
	cfg_hook(fn, cap + PCI_DOE_CTRL, doe_reg_read, doe_reg_write);
	cfg_hook(fn, cap + PCI_DOE_STATUS, doe_reg_read, doe_reg_write);
	cfg_hook(fn, cap + PCI_DOE_WRITE, doe_reg_read, doe_reg_write);
	cfg_hook(fn, cap + PCI_DOE_READ, doe_reg_read, doe_reg_write);
}

static unsigned int ide_sel_block(struct devsec_fn *fn, unsigned int stream)
{
	return fn->ide_cap + DEVSEC_IDE_SEL_BLOCK_0 +
	       stream * DEVSEC_IDE_SEL_BLOCK_SIZE;
}

/*
 * A selective stream is Secure once it is enabled and IDE_KM has made its
 * keys ready (PCIe r6.1 sec 6.33.3); the failure bit is plain RW1C storage.
 */
static u32 ide_sel_sts_read(struct devsec_fn *fn, unsigned int reg)
{
	unsigned int stream = (reg - ide_sel_block(fn, 0)) /
			      DEVSEC_IDE_SEL_BLOCK_SIZE;
	unsigned int block = ide_sel_block(fn, stream);
	u32 ctl = get_unaligned_le32(&fn->cfg[block + DEVSEC_IDE_SEL_CTL]);
	u32 sts = get_unaligned_le32(&fn->cfg[reg]);
	u8 state = DEVSEC_IDE_STATE_INSECURE;

	if ((ctl & DEVSEC_IDE_SEL_CTL_EN) && fn->ide_keys_ready[stream])
		state = DEVSEC_IDE_STATE_SECURE;

	return (sts & ~DEVSEC_IDE_SEL_STS_STATE) |
	       FIELD_PREP(DEVSEC_IDE_SEL_STS_STATE, state);
}

static void build_ide_cap(struct devsec_fn *fn, unsigned int cap,
			  unsigned int nr_streams, unsigned int next)
{
	unsigned int i, j;

	fn->ide_cap = cap;
	fn->nr_ide_streams = nr_streams;
	ext_cap_hdr(fn, cap, DEVSEC_EXT_CAP_ID_IDE, 1, next);
	cfg_ro(fn, cap + DEVSEC_IDE_CAP, 4,
	       DEVSEC_IDE_CAP_SELECTIVE | DEVSEC_IDE_CAP_IDE_KM |
	       DEVSEC_IDE_CAP_TEE_LIMITED |
	       FIELD_PREP(DEVSEC_IDE_CAP_ALG, 0) |
	       FIELD_PREP(DEVSEC_IDE_CAP_SEL_NUM, nr_streams - 1));
	/* no Flow-Through stream support: IDE Control is read-only zero */
	cfg_ro(fn, cap + DEVSEC_IDE_CTL, 4, 0);

	for (i = 0; i < nr_streams; i++) {
		unsigned int block = ide_sel_block(fn, i);

		cfg_ro(fn, block + DEVSEC_IDE_SEL_CAP, 4,
		       FIELD_PREP(DEVSEC_IDE_SEL_CAP_ASSOC_NUM,
				  DEVSEC_NR_ADDR_ASSOC));
		cfg_rw(fn, block + DEVSEC_IDE_SEL_CTL, 4, 0,
		       DEVSEC_IDE_SEL_CTL_WMASK);
		cfg_set(fn, block + DEVSEC_IDE_SEL_STS, 4, 0, 0,
			DEVSEC_IDE_SEL_STS_IDE_FAIL);
		cfg_hook(fn, block + DEVSEC_IDE_SEL_STS, ide_sel_sts_read,
			 NULL);
		cfg_rw(fn, block + DEVSEC_IDE_SEL_RID_1, 4, 0,
		       DEVSEC_IDE_SEL_RID_1_WMASK);
		cfg_rw(fn, block + DEVSEC_IDE_SEL_RID_2, 4, 0,
		       DEVSEC_IDE_SEL_RID_2_WMASK);
		for (j = 0; j < DEVSEC_NR_ADDR_ASSOC; j++) {
			cfg_rw(fn, block + DEVSEC_IDE_SEL_ADDR_1(j), 4, 0,
			       DEVSEC_IDE_SEL_ADDR_1_WMASK);
			cfg_rw(fn, block + DEVSEC_IDE_SEL_ADDR_2(j), 4, 0,
			       0xffffffff);
			cfg_rw(fn, block + DEVSEC_IDE_SEL_ADDR_3(j), 4, 0,
			       0xffffffff);
		}
	}
}

static void build_root_port(struct devsec_fn *fn)
{
	u8 busnr = fn->host->busn.start;

	build_header_common(fn, DEVSEC_RP_VENDOR, DEVSEC_RP_DEVICE,
			    PCI_CLASS_BRIDGE_PCI_NORMAL, PCI_HEADER_TYPE_BRIDGE);
	/* no BARs, no expansion ROM: 0x10, 0x14 and 0x38 stay zero */

	/* bus numbers as firmware would have left them */
	cfg_rw(fn, PCI_PRIMARY_BUS, 1, busnr, 0xff);
	cfg_rw(fn, PCI_SECONDARY_BUS, 1, busnr + 1, 0xff);
	cfg_rw(fn, PCI_SUBORDINATE_BUS, 1, busnr + 1, 0xff);
	/*
	 * Windows start closed (base above limit), as firmware leaves an
	 * unused bridge: a zero base and limit would decode the first
	 * 4 KiB / 1 MiB.  16-bit I/O, 32-bit memory, 64-bit prefetchable.
	 */
	cfg_rw(fn, PCI_IO_BASE, 1, PCI_IO_RANGE_MASK & 0xff,
	       PCI_IO_RANGE_MASK & 0xff);
	cfg_rw(fn, PCI_IO_LIMIT, 1, 0, PCI_IO_RANGE_MASK & 0xff);
	cfg_set(fn, PCI_SEC_STATUS, 2, 0, 0, DEVSEC_STATUS_W1C);
	cfg_rw(fn, PCI_MEMORY_BASE, 2, PCI_MEMORY_RANGE_MASK & 0xffff,
	       PCI_MEMORY_RANGE_MASK & 0xffff);
	cfg_rw(fn, PCI_MEMORY_LIMIT, 2, 0, PCI_MEMORY_RANGE_MASK & 0xffff);
	cfg_rw(fn, PCI_PREF_MEMORY_BASE, 2,
	       (PCI_PREF_RANGE_MASK & 0xffff) | PCI_PREF_RANGE_TYPE_64,
	       PCI_PREF_RANGE_MASK & 0xffff);
	cfg_rw(fn, PCI_PREF_MEMORY_LIMIT, 2, PCI_PREF_RANGE_TYPE_64,
	       PCI_PREF_RANGE_MASK & 0xffff);
	cfg_rw(fn, PCI_PREF_BASE_UPPER32, 4, 0, 0xffffffff);
	cfg_rw(fn, PCI_PREF_LIMIT_UPPER32, 4, 0, 0xffffffff);
	cfg_rw(fn, PCI_BRIDGE_CONTROL, 2, 0,
	       PCI_BRIDGE_CTL_PARITY | PCI_BRIDGE_CTL_SERR |
	       PCI_BRIDGE_CTL_MASTER_ABORT | PCI_BRIDGE_CTL_BUS_RESET);

	build_pcie_cap(fn, 0);
	build_ide_cap(fn, DEVSEC_RP_IDE_CAP, DEVSEC_RP_NR_SEL_STREAMS, 0);
}

static void build_endpoint(struct devsec_fn *fn)
{
	bool dsm = fn->func == DEVSEC_DSM_FUNC;

	/* function 0 says "multi-function" so that function 1 is scanned */
	build_header_common(fn, DEVSEC_EP_VENDOR, DEVSEC_EP_DEVICE,
			    DEVSEC_EP_CLASS,
			    PCI_HEADER_TYPE_NORMAL | (dsm ? PCI_HEADER_TYPE_MFD : 0));
	cfg_rw(fn, PCI_BASE_ADDRESS_0, 4,
	       PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
	       ~(DEVSEC_BAR_SIZE - 1));
	cfg_rw(fn, PCI_BASE_ADDRESS_1, 4, 0, 0xffffffff);
	cfg_rw(fn, PCI_BASE_ADDRESS_2, 4,
	       PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH,
	       ~(DEVSEC_BAR2_SIZE - 1));
	cfg_rw(fn, PCI_BASE_ADDRESS_3, 4, 0, 0xffffffff);
	cfg_ro(fn, PCI_SUBSYSTEM_VENDOR_ID, 2, DEVSEC_EP_VENDOR);
	cfg_ro(fn, PCI_SUBSYSTEM_ID, 2, DEVSEC_EP_DEVICE);

	build_pcie_cap(fn, DEVSEC_MSIX_CAP);
	build_msix_cap(fn, DEVSEC_MSIX_CAP, 0);
	if (dsm) {
		build_doe_cap(fn, DEVSEC_EP_IDE_CAP);
		build_ide_cap(fn, DEVSEC_EP_IDE_CAP, DEVSEC_EP_NR_SEL_STREAMS,
			      0);
	}
}

static void devsec_fn_build(struct devsec_fn *fn)
{
	memset(fn->cfg, 0, sizeof(fn->cfg));
	memset(fn->wmask, 0, sizeof(fn->wmask));
	memset(fn->w1cmask, 0, sizeof(fn->w1cmask));
	fn->nr_hooks = 0;
	memset(fn->ide_keys_ready, 0, sizeof(fn->ide_keys_ready));
	memset(fn->ide_km_keys, 0, sizeof(fn->ide_km_keys));
	memset(fn->ide_km_go, 0, sizeof(fn->ide_km_go));
	memset(&fn->tdi, 0, sizeof(fn->tdi));

	if (fn->type == DEVSEC_FN_ROOT_PORT)
		build_root_port(fn);
	else
		build_endpoint(fn);
}

/**
 * devsec_fn_init() - put a function in its power-on state
 * @fn: function with @host, @type, @func and (DSM) @doe set
 */
void devsec_fn_init(struct devsec_fn *fn)
{
	devsec_fn_build(fn);
	if (fn->doe)
		devsec_doe_reset(fn->doe);
}

/**
 * devsec_fn_reset() - conventional or function level reset
 * @fn: the function
 *
 * Registers return to their defaults, the DOE mailbox is aborted and the
 * SPDM responder loses its connection and session, IDE keys are dropped.
 */
void devsec_fn_reset(struct devsec_fn *fn)
{
	devsec_fn_init(fn);
	if (fn->doe)
		devsec_spdm_reset(&fn->doe->spdm);
}

/* is byte @off of config space inside a write of @size bytes at @where? */
static bool write_hits(unsigned int where, int size, unsigned int off,
		       u32 val, u8 bits)
{
	if (off < where || off >= where + size)
		return false;
	return (val >> (8 * (off - where))) & bits;
}

static void cfg_side_effects(struct devsec_fn *fn, unsigned int where,
			     int size, u32 val)
{
	unsigned int i;

	devsec_tdisp_cfg_write(fn, where, size);

	/* Initiate Function Level Reset, PCIe r6.1 sec 6.6.2 */
	if (fn->type == DEVSEC_FN_ENDPOINT &&
	    write_hits(where, size, DEVSEC_PCIE_CAP + PCI_EXP_DEVCTL + 1, val,
		       PCI_EXP_DEVCTL_BCR_FLR >> 8)) {
		devsec_fn_reset(fn);
		return;
	}

	/* Secondary Bus Reset: a hot reset of everything below the port */
	if (fn->type == DEVSEC_FN_ROOT_PORT &&
	    write_hits(where, size, PCI_BRIDGE_CONTROL, val,
		       PCI_BRIDGE_CTL_BUS_RESET))
		for (i = 0; i < DEVSEC_NR_EP_FUNCS; i++)
			devsec_fn_reset(&fn->host->ep[i]);
}

/**
 * devsec_cfg_read() - config read of an emulated function
 * @fn: the function
 * @where: offset, aligned to @size (the PCI core checks)
 * @size: 1, 2 or 4
 *
 * Context: host lock held.
 * Return: the register value, @size bytes wide.
 */
u32 devsec_cfg_read(struct devsec_fn *fn, unsigned int where, int size)
{
	unsigned int reg = where & ~3;
	const struct devsec_cfg_hook *hook = cfg_find_hook(fn, reg);
	u32 val;

	if (hook && hook->read)
		val = hook->read(fn, reg);
	else
		val = get_unaligned_le32(&fn->cfg[reg]);

	val >>= 8 * (where & 3);
	if (size == 1)
		return val & 0xff;
	if (size == 2)
		return val & 0xffff;
	return val;
}

/**
 * devsec_cfg_write() - config write to an emulated function
 * @fn: the function
 * @where: offset, aligned to @size
 * @size: 1, 2 or 4
 * @val: value
 *
 * Context: host lock held.
 */
void devsec_cfg_write(struct devsec_fn *fn, unsigned int where, int size,
		      u32 val)
{
	const struct devsec_cfg_hook *hook = cfg_find_hook(fn, where & ~3);
	int i;

	if (hook && hook->write) {
		if (size == 4)
			hook->write(fn, where, val);
		return;
	}

	for (i = 0; i < size; i++) {
		unsigned int off = where + i;
		u8 byte = val >> (8 * i);

		fn->cfg[off] = (fn->cfg[off] & ~fn->wmask[off]) |
			       (byte & fn->wmask[off]);
		fn->cfg[off] &= ~(byte & fn->w1cmask[off]);
	}

	cfg_side_effects(fn, where, size, val);
}
