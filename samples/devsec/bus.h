/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to devsec_bus: the emulated hardware state shared by bus.c (host
 * bridges, pci_ops, debugfs), cfg.c (config space registers), doe.c (the
 * DOE mailbox) and spdm_responder.c (the SPDM responder behind it).
 */
#ifndef __SAMPLES_DEVSEC_BUS_H__
#define __SAMPLES_DEVSEC_BUS_H__

#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/prandom.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "devsec.h"
#include "spdm.h"

struct dentry;
struct devsec_fn;

/*
 * Register layout of the emulated functions: standard capabilities in the
 * first 256 bytes, extended capabilities above.
 */
#define DEVSEC_PCIE_CAP			0x40
#define DEVSEC_MSIX_CAP			0x80	/* endpoints */
#define DEVSEC_DOE_CAP			0x100	/* endpoint function 0 */
#define DEVSEC_EP_IDE_CAP		0x120	/* endpoint function 0 */
#define DEVSEC_RP_IDE_CAP		0x100	/* root port */

/*
 * IDE extended capability registers (PCIe r6.1 sec 7.9.26).  Named with a
 * DEVSEC_ prefix so that they do not clash with pci_regs.h definitions.
 */
#define DEVSEC_EXT_CAP_ID_IDE		0x30
#define DEVSEC_IDE_CAP			0x04
#define  DEVSEC_IDE_CAP_LINK		BIT(0)
#define  DEVSEC_IDE_CAP_SELECTIVE	BIT(1)
#define  DEVSEC_IDE_CAP_IDE_KM		BIT(6)
#define  DEVSEC_IDE_CAP_ALG		GENMASK(12, 8)	/* 0: AES-GCM-256 */
#define  DEVSEC_IDE_CAP_SEL_NUM		GENMASK(23, 16)	/* streams - 1 */
#define  DEVSEC_IDE_CAP_TEE_LIMITED	BIT(24)
#define DEVSEC_IDE_CTL			0x08
#define DEVSEC_IDE_SEL_BLOCK_0		0x0c	/* no Link IDE register blocks */
#define DEVSEC_IDE_SEL_CAP		0x00
#define  DEVSEC_IDE_SEL_CAP_ASSOC_NUM	GENMASK(3, 0)
#define DEVSEC_IDE_SEL_CTL		0x04
#define  DEVSEC_IDE_SEL_CTL_EN		BIT(0)
#define  DEVSEC_IDE_SEL_CTL_WMASK	0xffffc0fd	/* no PCRC/CFG/partial */
#define DEVSEC_IDE_SEL_STS		0x08
#define  DEVSEC_IDE_SEL_STS_STATE	GENMASK(3, 0)
#define   DEVSEC_IDE_STATE_INSECURE	0
#define   DEVSEC_IDE_STATE_SECURE	2
#define  DEVSEC_IDE_SEL_STS_IDE_FAIL	BIT(31)
#define DEVSEC_IDE_SEL_RID_1		0x0c
#define  DEVSEC_IDE_SEL_RID_1_WMASK	0x00ffff00	/* RID limit */
#define DEVSEC_IDE_SEL_RID_2		0x10
#define  DEVSEC_IDE_SEL_RID_2_WMASK	0xffffff01	/* seg, base, valid */
#define DEVSEC_IDE_SEL_ADDR_1(i)	(0x14 + (i) * 12)
#define  DEVSEC_IDE_SEL_ADDR_1_WMASK	0xffffff01	/* limit/base low, valid */
#define DEVSEC_IDE_SEL_ADDR_2(i)	(0x18 + (i) * 12)	/* limit upper */
#define DEVSEC_IDE_SEL_ADDR_3(i)	(0x1c + (i) * 12)	/* base upper */
#define DEVSEC_IDE_SEL_BLOCK_SIZE	DEVSEC_IDE_SEL_ADDR_1(DEVSEC_NR_ADDR_ASSOC)
#define DEVSEC_IDE_MAX_STREAMS		DEVSEC_RP_NR_SEL_STREAMS

/* DOE: the largest object we take or give, in dwords */
#define DEVSEC_DOE_MAX_DW		(DEVSEC_DOE_MAX_OBJ_BYTES / 4)
#define DEVSEC_DOE_HDR_DW		2

/**
 * enum devsec_fault - faults the DOE mailbox can inject into an exchange
 * @DEVSEC_FAULT_NONE: behave
 * @DEVSEC_FAULT_TIMEOUT: swallow the request, never set Data Object Ready
 * @DEVSEC_FAULT_ERROR: set DOE Error instead of responding
 * @DEVSEC_FAULT_BUSY: stay Busy (until Abort) instead of responding
 * @DEVSEC_FAULT_TRUNCATE: respond with the first half of the response
 * @DEVSEC_FAULT_CORRUPT_LENGTH: DOE length header 2 dwords too long
 * @DEVSEC_FAULT_GARBAGE: every payload byte of the response inverted
 *	(malformed SPDM, IDE_KM and TDISP messages)
 * @DEVSEC_FAULT_OVERSIZE: 64 dwords of junk appended to the response
 * @DEVSEC_FAULT_RESET: the device resets in the middle of the request:
 *	the SPDM responder loses its connection and session, every TDI
 *	returns to CONFIG_UNLOCKED and the mailbox reports DOE Error
 * @DEVSEC_FAULT_MAC: the last byte of a secured message (the last of the
 *	payload for other protocols) inverted: its MAC fails to verify, yet
 *	the request took effect
 * @DEVSEC_FAULT_MAX: number of faults
 */
enum devsec_fault {
	DEVSEC_FAULT_NONE,
	DEVSEC_FAULT_TIMEOUT,
	DEVSEC_FAULT_ERROR,
	DEVSEC_FAULT_BUSY,
	DEVSEC_FAULT_TRUNCATE,
	DEVSEC_FAULT_CORRUPT_LENGTH,
	DEVSEC_FAULT_GARBAGE,
	DEVSEC_FAULT_OVERSIZE,
	DEVSEC_FAULT_RESET,
	DEVSEC_FAULT_MAC,
	DEVSEC_FAULT_MAX,
};

const char *devsec_fault_name(enum devsec_fault fault);
int devsec_fault_lookup(const char *name);

/**
 * enum devsec_spdm_conn - connection state of the responder (DSP0274 9)
 * @DEVSEC_SPDM_NOT_STARTED: after reset, only GET_VERSION is expected
 * @DEVSEC_SPDM_AFTER_VERSION: VERSION sent, GET_CAPABILITIES expected
 * @DEVSEC_SPDM_AFTER_CAPABILITIES: NEGOTIATE_ALGORITHMS expected
 * @DEVSEC_SPDM_NEGOTIATED: algorithms negotiated, authentication and
 *	session establishment may proceed
 */
enum devsec_spdm_conn {
	DEVSEC_SPDM_NOT_STARTED,
	DEVSEC_SPDM_AFTER_VERSION,
	DEVSEC_SPDM_AFTER_CAPABILITIES,
	DEVSEC_SPDM_NEGOTIATED,
};

/**
 * enum devsec_session_state - state of the single SPDM session slot
 * @DEVSEC_SESSION_NONE: no session
 * @DEVSEC_SESSION_HANDSHAKE: KEY_EXCHANGE done, FINISH expected
 * @DEVSEC_SESSION_ESTABLISHED: application data may flow
 */
enum devsec_session_state {
	DEVSEC_SESSION_NONE,
	DEVSEC_SESSION_HANDSHAKE,
	DEVSEC_SESSION_ESTABLISHED,
};

struct devsec_spdm;

/**
 * struct devsec_spdm_vendor_ops - handlers of PCI-SIG vendor defined
 *	protocols carried in VENDOR_DEFINED_REQUEST inside a session
 * @ide_km: IDE_KM (protocol 0) request at @req (after the protocol id
 *	byte), @len bytes; writes the response payload (after the protocol
 *	id byte) to @rsp, at most @size bytes.  Returns its length, or a
 *	negative SPDM error code (-SPDM_ERR_*) for an ERROR response.
 * @tdisp: the same for TDISP (protocol 1)
 *
 * Both run in the config write that hit DOE Go: atomic context.
 */
struct devsec_spdm_vendor_ops {
	int (*ide_km)(struct devsec_spdm *spdm, const u8 *req, size_t len,
		      u8 *rsp, size_t size);
	int (*tdisp)(struct devsec_spdm *spdm, const u8 *req, size_t len,
		     u8 *rsp, size_t size);
};

/**
 * struct devsec_spdm - per-device state of the SPDM responder
 * @conn: connection state
 * @req_caps: SPDM_CAP_* flags of the requester
 * @req_data_transfer_size: DataTransferSize of the requester
 * @hash_sel: negotiated SPDM_HASH_* (0: none in common)
 * @asym_sel: negotiated SPDM_ASYM_* (0: none in common)
 * @dhe_sel: negotiated SPDM_DHE_*
 * @aead_sel: negotiated SPDM_AEAD_*
 * @session_state: state of the session slot
 * @session_id: session ID while @session_state is not NONE
 * @next_rsp_session_id: responder half of the next session ID
 * @nonce_seq: makes successive nonces and random data differ
 * @chain: certificate chain of slot 0
 * @vendor_ops: IDE_KM / TDISP handlers, optional
 * @vendor_data: for @vendor_ops
 */
struct devsec_spdm {
	enum devsec_spdm_conn conn;
	u32 req_caps;
	u32 req_data_transfer_size;
	u32 hash_sel;
	u32 asym_sel;
	u16 dhe_sel;
	u16 aead_sel;
	enum devsec_session_state session_state;
	u32 session_id;
	u16 next_rsp_session_id;
	u8 nonce_seq;
	const struct devsec_cert_chain *chain;
	const struct devsec_spdm_vendor_ops *vendor_ops;
	void *vendor_data;
};

void devsec_spdm_init(struct devsec_spdm *spdm,
		      const struct devsec_cert_chain *chain);
void devsec_spdm_reset(struct devsec_spdm *spdm);
ssize_t devsec_spdm_respond(struct devsec_spdm *spdm, const u8 *req,
			    size_t len, u8 *rsp, size_t size);
ssize_t devsec_spdm_respond_secured(struct devsec_spdm *spdm, const u8 *req,
				    size_t len, u8 *rsp, size_t size);
const char *devsec_spdm_conn_name(enum devsec_spdm_conn conn);
int devsec_ide_km_respond(struct devsec_spdm *spdm, const u8 *req, size_t len,
			  u8 *rsp, size_t size);

/* Ways the fuzzer mutates a response object (doe.c) */
enum devsec_fuzz_kind {
	DEVSEC_FUZZ_FLIP,
	DEVSEC_FUZZ_TRUNCATE,
	DEVSEC_FUZZ_EXTEND,
	DEVSEC_FUZZ_DOE_LENGTH,
	DEVSEC_FUZZ_HEADER,
	DEVSEC_FUZZ_FIELD16,
	DEVSEC_FUZZ_FIELD32,
	DEVSEC_FUZZ_TAIL,
	DEVSEC_FUZZ_NR_KINDS,
};

/**
 * struct devsec_fuzz - random mutation of a mailbox's responses
 * @rnd: the generator, seeded with @seed, so that a run can be repeated
 * @seed: what was written to debugfs
 * @rate: percentage of responses to mutate, 0: off
 * @nr_seen: responses produced while on
 * @nr_mutated: responses mutated
 * @nr_kind: responses mutated per enum devsec_fuzz_kind
 */
struct devsec_fuzz {
	struct rnd_state rnd;
	u32 seed;
	unsigned int rate;
	unsigned long nr_seen;
	unsigned long nr_mutated;
	unsigned long nr_kind[DEVSEC_FUZZ_NR_KINDS];
};

void devsec_fuzz_set(struct devsec_fuzz *fuzz, u32 seed, unsigned int rate);
const char *devsec_fuzz_kind_name(enum devsec_fuzz_kind kind);

/**
 * struct devsec_doe - a DOE mailbox (PCIe r6.1 sec 6.30)
 * @busy: DOE Busy
 * @error: DOE Error, until Abort
 * @ready: a response is being read out (Data Object Ready)
 * @req_dw: dwords of the request object received so far
 * @req_total_dw: length of the request object, from its second dword
 *	(0 until that arrives)
 * @rsp_dw: dwords in @rsp
 * @rsp_pos: next dword of @rsp the read mailbox returns
 * @fault: fault to inject into the next exchanges
 * @fault_count: exchanges left to fault, 0 for all of them
 * @fault_skip: exchanges to let through before @fault applies
 * @nr_exchanges: exchanges completed (statistics)
 * @fuzz: the response fuzzer (debugfs "fuzz")
 * @spdm: the SPDM responder behind the CMA and secured CMA protocols
 * @req: request object, little-endian dwords
 * @rsp: response object, little-endian dwords
 */
struct devsec_doe {
	bool busy;
	bool error;
	bool ready;
	u32 req_dw;
	u32 req_total_dw;
	u32 rsp_dw;
	u32 rsp_pos;
	enum devsec_fault fault;
	unsigned int fault_count;
	unsigned int fault_skip;
	unsigned long nr_exchanges;
	struct devsec_fuzz fuzz;
	struct devsec_spdm spdm;
	u8 req[DEVSEC_DOE_MAX_OBJ_BYTES];
	u8 rsp[DEVSEC_DOE_MAX_OBJ_BYTES];
};

void devsec_doe_reset(struct devsec_doe *doe);
u32 devsec_doe_read(struct devsec_doe *doe, unsigned int reg);
void devsec_doe_write(struct devsec_doe *doe, unsigned int reg, u32 val);

/**
 * struct devsec_cfg_hook - a config register with side effects
 * @reg: dword-aligned offset in config space
 * @read: computes the register value; NULL: value from storage
 * @write: consumes a dword write instead of storage; NULL: storage
 *
 * Hooked registers are accessed as dwords; @write ignores narrower writes.
 */
struct devsec_cfg_hook {
	u16 reg;
	u32 (*read)(struct devsec_fn *fn, unsigned int reg);
	void (*write)(struct devsec_fn *fn, unsigned int reg, u32 val);
};

#define DEVSEC_MAX_HOOKS		12

/**
 * struct devsec_tdi - TDISP state of an endpoint function (tdisp_responder.c)
 * @state: enum pci_tdisp_state
 * @mmio_offset: MMIO reporting offset of the last LOCK_INTERFACE
 * @nonce: START_INTERFACE nonce handed out by LOCK_INTERFACE
 * @nonce_seq: makes successive nonces differ
 */
struct devsec_tdi {
	u8 state;
	u64 mmio_offset;
	u8 nonce[32];
	u8 nonce_seq;
};

/**
 * enum devsec_fn_type - what an emulated function is
 * @DEVSEC_FN_ROOT_PORT: the host bridge's root port (type 1 header)
 * @DEVSEC_FN_ENDPOINT: an endpoint function (type 0 header)
 */
enum devsec_fn_type {
	DEVSEC_FN_ROOT_PORT,
	DEVSEC_FN_ENDPOINT,
};

/**
 * struct devsec_fn - one emulated PCI function
 * @host: the host bridge it sits below
 * @type: root port or endpoint
 * @func: function number
 * @cfg: register values
 * @wmask: writable bits
 * @w1cmask: write-1-to-clear bits
 * @hooks: registers with side effects
 * @nr_hooks: entries in @hooks
 * @ide_cap: offset of the IDE extended capability
 * @nr_ide_streams: selective IDE streams of @ide_cap
 * @ide_keys_ready: per stream: keys programmed and ready (IDE_KM)
 * @ide_km_keys: per stream: IDE_KM keys programmed, see ide_km_responder.c
 * @ide_km_go: per stream: IDE_KM keys in use, see ide_km_responder.c
 * @ide_km_nak: fault injection (debugfs): fail every KEY_PROG
 * @doe: DOE mailbox, endpoint function 0 only
 * @debugfs: per-function debugfs directory, if any
 * @busnr: number of the bus the function sits on (debugfs)
 * @claim: BAR 0 region requested through debugfs "claim", or NULL
 * @tdi: TDISP interface state, endpoints only
 */
struct devsec_fn {
	struct devsec_host *host;
	enum devsec_fn_type type;
	u8 func;
	u8 cfg[PCI_CFG_SPACE_EXP_SIZE];
	u8 wmask[PCI_CFG_SPACE_EXP_SIZE];
	u8 w1cmask[PCI_CFG_SPACE_EXP_SIZE];
	struct devsec_cfg_hook hooks[DEVSEC_MAX_HOOKS];
	unsigned int nr_hooks;
	u16 ide_cap;
	u8 nr_ide_streams;
	bool ide_keys_ready[DEVSEC_IDE_MAX_STREAMS];
	u16 ide_km_keys[DEVSEC_IDE_MAX_STREAMS];
	u16 ide_km_go[DEVSEC_IDE_MAX_STREAMS];
	bool ide_km_nak;
	struct devsec_doe *doe;
	struct dentry *debugfs;
	unsigned int busnr;
	struct resource *claim;
	struct devsec_tdi tdi;
};

/**
 * struct devsec_host - a simulated host bridge and everything below it
 * @sd: x86 PCI sysdata (domain number); first, as x86 casts bus->sysdata
 * @id: index of the host bridge, 0 .. nr_hosts - 1
 * @name: name of @mmio in /proc/iomem
 * @lock: serialises register emulation against debugfs
 * @bridge: the PCI host bridge
 * @busn: bus numbers of the root bus and the root port's secondary bus
 * @mmio: MMIO window of the host bridge, claimed from iomem_resource
 * @rp: root port, device 0 function 0 on the root bus
 * @ep: endpoint functions, device 0 on the root port's secondary bus
 */
struct devsec_host {
	struct pci_sysdata sd;
	int id;
	char name[32];
	raw_spinlock_t lock;
	struct pci_host_bridge *bridge;
	struct resource busn;
	struct resource mmio;
	struct devsec_fn rp;
	struct devsec_fn ep[DEVSEC_NR_EP_FUNCS];
};

/* tdisp_responder.c */
int devsec_tdisp_request(struct devsec_spdm *spdm, const u8 *req, size_t len,
			 u8 *rsp, size_t size);
void devsec_tdisp_cfg_write(struct devsec_fn *fn, unsigned int where,
			    int size);
extern const struct file_operations devsec_tdisp_fops;

void devsec_fn_init(struct devsec_fn *fn);
void devsec_fn_reset(struct devsec_fn *fn);
u32 devsec_cfg_read(struct devsec_fn *fn, unsigned int where, int size);
void devsec_cfg_write(struct devsec_fn *fn, unsigned int where, int size,
		      u32 val);

#endif /* __SAMPLES_DEVSEC_BUS_H__ */
