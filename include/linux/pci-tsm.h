/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI/TSM: TEE Security Manager interface for PCIe TDISP ("TEE I/O").
 *
 * A TSM driver registers with the tsm class (include/linux/tsm.h) and
 * hands it a struct pci_tsm_ops.  The PCI/TSM core (drivers/pci/tsm/)
 * owns all per-device state and the user ABI under
 * /sys/bus/pci/devices/$D/tsm/.  Every operation that talks to the
 * device (connect, disconnect, lock, unlock, accept, evidence refresh)
 * runs inside a core request: the TSM exchanges DOE messages with the
 * DSM through pci_tsm_doe_transfer(), or hands them back one at a time
 * from a step callback (pci_tsm_req_steps()), and the core bounds,
 * serialises, cancels and traces both the same way.
 */
#ifndef __PCI_TSM_H
#define __PCI_TSM_H

#include <linux/ioport.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/rwsem.h>
#include <linux/sockptr.h>
#include <linux/stddef.h>
#include <uapi/linux/hash_info.h>
#include <uapi/linux/pci-tsm-netlink.h>

struct pci_tsm;
struct pci_tsm_accept;
struct pci_tsm_req;
struct pci_tsm_transport;
struct task_struct;
struct tsm_dev;
struct kvm;

/**
 * enum pci_tsm_req_type - operations carried out as requests
 * @PCI_TSM_REQ_CONNECT: establish SPDM (and IDE) with the DSM (link TSM)
 * @PCI_TSM_REQ_DISCONNECT: tear down what connect established (link TSM)
 * @PCI_TSM_REQ_LOCK: TDISP LOCK_INTERFACE (devsec TSM)
 * @PCI_TSM_REQ_UNLOCK: TDISP STOP_INTERFACE (devsec TSM)
 * @PCI_TSM_REQ_ACCEPT: fetch and validate the interface report, START (devsec)
 * @PCI_TSM_REQ_REFRESH: refresh device evidence (either kind of TSM)
 * @PCI_TSM_REQ_BIND: bind a function to a TDI (link TSM)
 * @PCI_TSM_REQ_UNBIND: unbind it (link TSM)
 * @PCI_TSM_REQ_GUEST: a guest request for a bound TDI (link TSM)
 * @PCI_TSM_REQ_TRANSFER: a pci_tsm_doe_transfer() outside the operations
 * @PCI_TSM_REQ_MAX: number of request types
 */
enum pci_tsm_req_type {
	PCI_TSM_REQ_CONNECT,
	PCI_TSM_REQ_DISCONNECT,
	PCI_TSM_REQ_LOCK,
	PCI_TSM_REQ_UNLOCK,
	PCI_TSM_REQ_ACCEPT,
	PCI_TSM_REQ_REFRESH,
	PCI_TSM_REQ_BIND,
	PCI_TSM_REQ_UNBIND,
	PCI_TSM_REQ_GUEST,
	PCI_TSM_REQ_TRANSFER,
	PCI_TSM_REQ_MAX,
};

/*
 * Return values of a step callback besides 0 (request complete) and a
 * negative errno (request failed, TSM state already rolled back).
 */
#define PCI_TSM_STEP_DOE	1	/* perform @req->doe, then call again */

/**
 * struct pci_tsm_doe_xfer - one DOE exchange asked for by a step
 * @vendor: DOE data object vendor id (PCI_VENDOR_ID_PCI_SIG)
 * @type: DOE data object type (PCI_DOE_FEATURE_CMA, ...)
 * @req: request payload, owned by the TSM, valid until the next step
 * @req_sz: request payload size in bytes
 * @rsp: response buffer, owned by the TSM
 * @rsp_sz: response buffer size in bytes
 * @rsp_len: filled by the core: bytes received (never more than @rsp_sz),
 *	or a negative errno when the exchange failed.  Data beyond @rsp_len
 *	in @rsp is undefined; the device is untrusted, so the TSM must
 *	bounds-check every field against @rsp_len.
 */
struct pci_tsm_doe_xfer {
	u16 vendor;
	u8 type;
	const void *req;
	size_t req_sz;
	void *rsp;
	size_t rsp_sz;
	int rsp_len;
};

/**
 * struct pci_tsm_req - an operation in flight
 *
 * The core opens a request around each call of a &struct pci_tsm_ops
 * operation that may reach the device.  Upstream's operations never see
 * it: their pci_tsm_doe_transfer() calls are accounted to it.  A TSM
 * that prefers to hand back one DOE exchange at a time (firmware that
 * works that way, or the samples) runs step callbacks inside it with
 * pci_tsm_req_steps(); that step model is an addition of this tree.
 *
 * @type: which operation
 * @pdev: the function the operation is for (the DSM for connect)
 * @tsm: per-device context (for connect: set once ->probe() succeeded)
 * @tsm_dev: the TSM carrying out the request
 * @step: number of completed step calls, maintained by the core
 * @state: progress marker private to the TSM's step callback, starts at 0
 * @abort: set by the core before a final step call when the request must
 *	stop (device removal, TSM unregister, step/time limit): the callback
 *	must release what it holds and return a negative errno, and must not
 *	ask for another DOE exchange
 * @abort_reason: negative errno explaining @abort (-ENODEV, -ETIMEDOUT...)
 * @doe: the DOE exchange the last step asked for, and its result
 * @nonce: %PCI_TSM_REQ_REFRESH only: the relying party's nonce (1 to 256
 *	bytes) the fresh evidence must be bound to, or NULL
 * @nonce_len: size of @nonce
 * @priv: TSM private per-request data
 */
struct pci_tsm_req {
	enum pci_tsm_req_type type;
	struct pci_dev *pdev;
	struct pci_tsm *tsm;
	struct tsm_dev *tsm_dev;
	unsigned int step;
	int state;
	bool abort;
	int abort_reason;
	struct pci_tsm_doe_xfer doe;
	const u8 *nonce;
	size_t nonce_len;
	void *priv;
	/* private: core bookkeeping */
	u64 start;
	u64 deadline;
	const struct pci_tsm_transport *transport;
	struct task_struct *owner;
	bool ran_steps;
	unsigned int xfers;
	u64 doe_ns;
	u64 step_ns;
};

/**
 * pci_tsm_req_doe() - ask the core for a DOE exchange from a step callback
 * @req: request being executed
 * @type: DOE data object type
 * @rq: request payload
 * @rq_sz: request payload size
 * @rsp: response buffer
 * @rsp_sz: response buffer size
 *
 * Return: %PCI_TSM_STEP_DOE, to be returned by the step callback.
 */
static inline int pci_tsm_req_doe(struct pci_tsm_req *req, u8 type,
				  const void *rq, size_t rq_sz, void *rsp,
				  size_t rsp_sz)
{
	req->doe = (struct pci_tsm_doe_xfer) {
		.vendor = PCI_VENDOR_ID_PCI_SIG,
		.type = type,
		.req = rq,
		.req_sz = rq_sz,
		.rsp = rsp,
		.rsp_sz = rsp_sz,
	};
	return PCI_TSM_STEP_DOE;
}

/**
 * typedef pci_tsm_step_fn - execute one step of a request
 * @req: the request; @req->doe holds the result of the exchange the
 *	previous step asked for
 *
 * Return: 0 when the request completed, %PCI_TSM_STEP_DOE after filling
 * @req->doe (see pci_tsm_req_doe()), or a negative errno when it failed.
 * A step that fails must leave the TSM's state as it was before the
 * request started (for connect: nothing established).
 */
typedef int (*pci_tsm_step_fn)(struct pci_tsm_req *req);

/**
 * enum pci_tsm_req_scope - scope of a guest request (TDISP sec 11.3)
 * @PCI_TSM_REQ_INFO: read-only information
 * @PCI_TSM_REQ_STATE_CHANGE: TDI state change
 * @PCI_TSM_REQ_DEBUG_READ: debug read, refused by the core
 * @PCI_TSM_REQ_DEBUG_WRITE: debug write, refused by the core
 */
enum pci_tsm_req_scope {
	PCI_TSM_REQ_INFO = 0,
	PCI_TSM_REQ_STATE_CHANGE = 1,
	PCI_TSM_REQ_DEBUG_READ = 2,
	PCI_TSM_REQ_DEBUG_WRITE = 3,
};

/**
 * struct pci_tdi - a function bound to a TEE Device Interface
 * @pdev: the bound function; its DSM is @pdev->tsm->dsm_dev
 * @kvm: the VM the TDI is assigned to
 * @tdi_id: TDI identifier chosen by the caller of pci_tsm_bind()
 */
struct pci_tdi {
	struct pci_dev *pdev;
	struct kvm *kvm;
	u32 tdi_id;
};

/**
 * struct pci_tsm_ops - what a TSM driver registers with the tsm class
 * @link_ops: operations of a platform ("link") TSM, which establishes
 *	SPDM and IDE with a device's DSM and binds its functions to TDIs
 * @devsec_ops: operations of a TVM-side ("devsec") TSM, which moves a
 *	function through the TDISP states (lock, accept, unlock)
 * @refresh_evidence: optional: refresh the evidence of @tsm's device,
 *	binding it to the relying party's @nonce
 *
 * A TSM fills exactly one of the two groups, all of its members:
 * tsm_register() fails with -EINVAL otherwise.  The core calls every
 * operation that may talk to the device (@connect, @disconnect, @lock,
 * @unlock, @accept, @refresh_evidence) inside a request: the TSM's DOE
 * exchanges with pci_tsm_doe_transfer() are then bounded in number and
 * time, traced, and fail with -ENODEV or -ECANCELED once the device is
 * being removed or the TSM unregisters (see pci_tsm_req_steps() for the
 * step model built on the same requests).
 *
 * @link_ops members:
 * @probe: allocate the context of @pdev (the DSM before @connect, the
 *	other functions of the device after it) with
 *	pci_tsm_pf0_constructor() or pci_tsm_link_constructor(); an
 *	ERR_PTR on failure, -ENXIO for a function the TSM does not serve
 * @remove: free what @probe allocated
 * @connect: establish SPDM (and IDE) with the DSM @pdev.  On failure
 *	the TSM leaves nothing established: the core only calls @remove
 * @disconnect: tear down what @connect established.  On removal it still
 *	reaches the device, unless the device is disconnected
 * @bind: bind a function of a connected device to a TDI for @kvm
 * @unbind: undo @bind
 * @guest_req: forward a guest request for a bound TDI; returns the
 *	number of bytes written to @req_out or a negative errno
 *
 * @devsec_ops members:
 * @lock: allocate the context of @pdev (pci_tsm_pf0_constructor()) and
 *	move the interface to CONFIG_LOCKED; an ERR_PTR on failure, with
 *	nothing left locked
 * @unlock: stop the interface (TDISP STOP_INTERFACE) and free the context
 * @accept: fetch and validate the interface report
 *	(pci_tsm_accept_report()) and move the interface to RUN
 */
struct pci_tsm_ops {
	struct_group_tagged(pci_tsm_link_ops, link_ops,
			    struct pci_tsm *(*probe)(struct tsm_dev *tsm_dev, struct pci_dev *pdev);
			    void (*remove)(struct pci_tsm *tsm);
			    int (*connect)(struct pci_dev *pdev);
			    void (*disconnect)(struct pci_dev *pdev);
			    struct pci_tdi *(*bind)(struct pci_dev *pdev, struct kvm *kvm,
						    u32 tdi_id);
			    void (*unbind)(struct pci_tdi *tdi);
			    ssize_t (*guest_req)(struct pci_tdi *tdi,
						 enum pci_tsm_req_scope scope,
						 sockptr_t req_in, size_t in_len,
						 sockptr_t req_out, size_t out_len,
						 u64 *tsm_code);
	);

	struct_group_tagged(pci_tsm_devsec_ops, devsec_ops,
			    struct pci_tsm *(*lock)(struct tsm_dev *tsm_dev, struct pci_dev *pdev);
			    void (*unlock)(struct pci_tsm *tsm);
			    int (*accept)(struct pci_dev *pdev);
	);

	int (*refresh_evidence)(struct pci_tsm *tsm,
				enum pci_tsm_evidence_type type,
				unsigned long flags, void *nonce,
				size_t nonce_len);
};

/**
 * struct pci_tsm_evidence_object - one evidence object a TSM collected
 * @data: the object (certificate chain, transcript, measurements, report)
 * @len: its size in bytes, at most %PCI_TSM_MAX_OBJECT_SIZE
 * @digest: the TSM's digest of @data with &pci_tsm_evidence.digest_algo,
 *	or NULL
 *
 * Owned by the TSM: it allocates and frees @data and @digest.
 */
struct pci_tsm_evidence_object {
	void *data;
	size_t len;
	void *digest;
};

/**
 * struct pci_tsm_evidence - the evidence of a device, kept by its TSM
 * @slot: certificate slot a link TSM used for connect (not applicable to
 *	a devsec TSM)
 * @generation: incremented by the TSM whenever it changes @obj
 * @digest_algo: algorithm of the objects' @digest
 * @lock: held for write while the TSM changes @obj, for read by the core
 * @obj: the objects, by &enum pci_tsm_evidence_type
 *
 * The TSM fills @obj during connect(), lock() and refresh_evidence().
 * When one of them succeeds the core takes a copy of every object for
 * the pci-tsm netlink dump, which thus never reads the TSM's context; a
 * failed operation leaves nothing readable.
 */
struct pci_tsm_evidence {
	int slot;
	int generation;
	enum hash_algo digest_algo;
	struct rw_semaphore lock;
	struct pci_tsm_evidence_object obj[PCI_TSM_EVIDENCE_TYPE_MAX + 1];
};

/**
 * struct pci_tsm - per-function TSM context, pointed to by pci_dev->tsm
 * @pdev: the function
 * @dsm_dev: its DSM (function 0 of the device); equal to @pdev on the DSM
 * @tsm_dev: the TSM that created the context
 * @tdi: the TDI this function is bound to, or NULL
 * @evidence: what the TSM collected about the device (connect, lock)
 *
 * Allocated by the TSM's probe (usually embedded in a larger structure),
 * initialised with pci_tsm_link_constructor() or pci_tsm_pf0_constructor(),
 * which also initialise @evidence (slot 0, SHA-384) for
 * pci_tsm_init_evidence() to adjust.
 */
struct pci_tsm {
	struct pci_dev *pdev;
	struct pci_dev *dsm_dev;
	struct tsm_dev *tsm_dev;
	struct pci_tdi *tdi;
	struct pci_tsm_evidence evidence;
};

/**
 * struct pci_tsm_pf0 - context of a DSM (function 0)
 * @base_tsm: the common per-function context
 * @lock: serialises requests and state changes for every function of the
 *	device; held by the core while a request executes
 * @doe_mb: the DSM's CMA/SPDM DOE mailbox
 * @flags: PCI_TSM_PF0_* state bits
 * @accept: devsec TSM: the interface report and its encrypted MMIO, while
 *	accepting or accepted (core-private)
 * @req: the request executing for the device, under @lock
 */
struct pci_tsm_pf0 {
	struct pci_tsm base_tsm;
	struct mutex lock; /* see @lock above */
	struct pci_doe_mb *doe_mb;
	unsigned long flags;
	struct pci_tsm_accept *accept;
	struct pci_tsm_req *req;
};

/**
 * struct pci_tsm_mmio_entry - one encrypted MMIO range of an interface
 * @res: the range, CPU physical (a guest physical address in a TVM);
 *	pci_tsm_mmio_setup() publishes it under its BAR
 * @tsm_offset: what the TSM added to the addresses of the interface
 *	report (the MMIO reporting offset): report address = @res.start +
 *	@tsm_offset
 */
struct pci_tsm_mmio_entry {
	struct resource res;
	u64 tsm_offset;
};

/**
 * struct pci_tsm_mmio - the encrypted MMIO ranges of an interface
 * @nr: number of entries in @mmio
 * @mmio: the ranges
 */
struct pci_tsm_mmio {
	int nr;
	struct pci_tsm_mmio_entry mmio[] __counted_by(nr);
};

static inline struct pci_tsm_mmio_entry *
pci_tsm_mmio_entry(struct pci_tsm_mmio *mmio, int idx)
{
	return &mmio->mmio[idx];
}

static inline struct resource *pci_tsm_mmio_resource(struct pci_tsm_mmio *mmio,
						     int idx)
{
	return &mmio->mmio[idx].res;
}

#ifdef CONFIG_PCI_TSM
int pci_tsm_register(struct tsm_dev *tsm_dev);
void pci_tsm_unregister(struct tsm_dev *tsm_dev);
int pci_tsm_link_constructor(struct pci_dev *pdev, struct pci_tsm *tsm,
			     struct tsm_dev *tsm_dev);
int pci_tsm_pf0_constructor(struct pci_dev *pdev, struct pci_tsm_pf0 *tsm,
			    struct tsm_dev *tsm_dev);
void pci_tsm_pf0_destructor(struct pci_tsm_pf0 *tsm);
bool is_pci_tsm_pf0(struct pci_dev *pdev);
int pci_tsm_bind(struct pci_dev *pdev, struct kvm *kvm, u32 tdi_id);
void pci_tsm_unbind(struct pci_dev *pdev);
ssize_t pci_tsm_guest_req(struct pci_dev *pdev, enum pci_tsm_req_scope scope,
			  sockptr_t req_in, size_t in_len, sockptr_t req_out,
			  size_t out_len, u64 *tsm_code);
void pci_tsm_tdi_constructor(struct pci_dev *pdev, struct pci_tdi *tdi,
			     struct kvm *kvm, u32 tdi_id);
int pci_tsm_doe_transfer(struct pci_dev *pdev, u8 type, const void *req,
			 size_t req_sz, void *resp, size_t resp_sz);
void pci_tsm_init_evidence(struct pci_tsm_evidence *evidence, int slot,
			   enum hash_algo digest_algo);
int pci_tsm_req_steps(struct pci_tsm *tsm, enum pci_tsm_req_type type,
		      pci_tsm_step_fn step);
int pci_tsm_accept_report(struct pci_dev *pdev, const void *report,
			  size_t len, u64 mmio_offset);
int pci_tsm_mmio_setup(struct pci_dev *pdev, struct pci_tsm_mmio *mmio);
void pci_tsm_mmio_teardown(struct pci_tsm_mmio *mmio);
struct pci_tsm_mmio *pci_tsm_mmio_alloc(struct pci_dev *pdev);
int pci_tsm_mmio_free(struct pci_dev *pdev, struct pci_tsm_mmio *mmio);
#else
static inline int pci_tsm_register(struct tsm_dev *tsm_dev)
{
	return 0;
}

static inline void pci_tsm_unregister(struct tsm_dev *tsm_dev)
{
}

static inline bool is_pci_tsm_pf0(struct pci_dev *pdev)
{
	return false;
}

static inline int pci_tsm_bind(struct pci_dev *pdev, struct kvm *kvm,
			       u32 tdi_id)
{
	return -ENXIO;
}

static inline void pci_tsm_unbind(struct pci_dev *pdev)
{
}

static inline int pci_tsm_doe_transfer(struct pci_dev *pdev, u8 type,
				       const void *req, size_t req_sz,
				       void *resp, size_t resp_sz)
{
	return -ENXIO;
}

static inline int pci_tsm_req_steps(struct pci_tsm *tsm,
				    enum pci_tsm_req_type type,
				    pci_tsm_step_fn step)
{
	return -ENXIO;
}

static inline int pci_tsm_accept_report(struct pci_dev *pdev,
					const void *report, size_t len,
					u64 mmio_offset)
{
	return -ENXIO;
}

static inline ssize_t pci_tsm_guest_req(struct pci_dev *pdev,
					enum pci_tsm_req_scope scope,
					sockptr_t req_in, size_t in_len,
					sockptr_t req_out, size_t out_len,
					u64 *tsm_code)
{
	return -ENXIO;
}
#endif

#endif /* __PCI_TSM_H */
