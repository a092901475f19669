/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI/TSM core internals, shared by the files of drivers/pci/tsm/ and
 * its KUnit test.  TSM drivers use include/linux/pci-tsm.h only.
 */
#ifndef __PCI_TSM_CORE_H
#define __PCI_TSM_CORE_H

#include <linux/pci-tsm.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/types.h>

struct tsm_dev;

/* Integrity and Data Encryption extended capability (PCIe r6.1 sec 7.9.26) */
#ifndef PCI_EXT_CAP_ID_IDE
#define PCI_EXT_CAP_ID_IDE		0x30
#endif

/**
 * enum pci_tsm_pf0_flag - bits of &pci_tsm_pf0.flags
 * @PCI_TSM_PF0_ESTABLISHED: the request that establishes the context
 *	(%PCI_TSM_REQ_CONNECT) completed; cleared before teardown starts
 * @PCI_TSM_PF0_CANCEL: the TSM is unregistering: abort the request in
 *	flight (-ECANCELED); cleared by the teardown, which then runs its
 *	own requests normally
 * @PCI_TSM_PF0_DEAD: the device is gone (pci_dev_is_disconnected()):
 *	abort every request, including the teardown's, with -ENODEV, so
 *	that nothing is sent to a device that can no longer answer
 * @PCI_TSM_PF0_ACCEPTED: devsec TSM: the interface was accepted and its
 *	private MMIO published; cleared before unlock starts
 * @PCI_TSM_PF0_REMOVING: the device is being removed (pci_tsm_stop()):
 *	abort the request in flight and every later one with -ENODEV,
 *	except the teardown's (%PCI_TSM_REQ_DISCONNECT, %PCI_TSM_REQ_UNLOCK),
 *	which still reach the device so that it drops its interface state,
 *	keys and session
 *
 * All bits are changed with atomic bitops; ESTABLISHED is also read by
 * the sysfs show methods under pci_tsm_ctx_lock.
 */
enum pci_tsm_pf0_flag {
	PCI_TSM_PF0_ESTABLISHED,
	PCI_TSM_PF0_CANCEL,
	PCI_TSM_PF0_DEAD,
	PCI_TSM_PF0_ACCEPTED,
	PCI_TSM_PF0_REMOVING,
};

/*
 * Request limits.  A DOE exchange is itself bounded by the 1 second DOE
 * timeout (PCIe r6.1 sec 6.30.2), but a TSM that keeps asking for
 * exchanges, or a device that answers just in time, must not hold a DSM
 * (and the sysfs writer waiting on it) forever.  A connect of the devsec
 * sample takes 6 + N exchanges for a certificate chain read in N pieces;
 * real SPDM + IDE_KM + TDISP flows take a few dozen.
 */
#define PCI_TSM_REQ_MAX_STEPS		1024
#define PCI_TSM_REQ_TIMEOUT_NS		(60ULL * NSEC_PER_SEC)

/*
 * Largest DOE payload: a data object is at most 2^18 dwords including
 * its 2 dword header (PCIe r6.1 sec 6.30.1, Length field).
 */
#define PCI_TSM_DOE_MAX_PAYLOAD		(((1U << 18) - 2) * sizeof(u32))

/**
 * struct pci_tsm_transport - how the request engine carries out exchanges
 * @exchange: perform @xfer on the mailbox of @pf0; return the number of
 *	response bytes received or a negative errno.  The normal transport
 *	is pci_doe() on &pci_tsm_pf0.doe_mb; the KUnit test substitutes a
 *	fake mailbox.
 * @max_steps: number of step calls after which the request is aborted
 *	with -ETIMEDOUT
 * @timeout_ns: time after which the request is aborted with -ETIMEDOUT
 */
struct pci_tsm_transport {
	int (*exchange)(struct pci_tsm_pf0 *pf0,
			const struct pci_tsm_doe_xfer *xfer);
	unsigned int max_steps;
	u64 timeout_ns;
};

extern const struct pci_tsm_transport pci_tsm_doe_transport;

int pci_tsm_req_exec(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req,
		     pci_tsm_step_fn step,
		     const struct pci_tsm_transport *transport);
void pci_tsm_req_begin(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req);
int pci_tsm_req_end(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req, int rc);

/*
 * core.c: contexts, their lifetimes and the TSM registry.  The locks are
 * described at the top of core.c.
 */
extern struct rw_semaphore pci_tsm_rwsem;
extern spinlock_t pci_tsm_ctx_lock;
extern struct mutex pci_tsm_sysfs_lock;
/* TSMs registered for PCI by id; PCI_TSM_DYING marks one unregistering */
extern struct xarray pci_tsm_devs;
#define PCI_TSM_DYING			XA_MARK_1
/* registered TSMs of each kind, for attribute visibility */
extern unsigned int pci_tsm_nr_link;
extern unsigned int pci_tsm_nr_devsec;

bool pci_tsm_is_link_tsm(const struct tsm_dev *tsm_dev);
bool pci_tsm_is_devsec_tsm(const struct tsm_dev *tsm_dev);
bool pci_tsm_dying(const struct tsm_dev *tsm_dev);
bool pci_tsm_has_tee(struct pci_dev *pdev);
struct pci_dev *pci_tsm_get_dsm(struct pci_dev *pdev);
unsigned int pci_tsm_nr_fns(struct pci_dev *dsm);
struct pci_dev *pci_tsm_get_fn(struct pci_dev *dsm, unsigned int fn);
struct pci_tsm_pf0 *pci_tsm_dsm_ctx(struct pci_tsm *tsm);
struct pci_tsm_pf0 *to_pci_tsm_pf0(struct pci_tsm *tsm);
bool pci_tsm_established(struct pci_tsm *tsm);
bool pci_tsm_dsm_connected(struct pci_tsm *tsm);
void pci_tsm_req_open(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req,
		      struct pci_tsm *tsm, enum pci_tsm_req_type type);
bool pci_tsm_dev_removing(struct pci_dev *pdev);
struct tsm_dev *pci_tsm_lookup(unsigned int id);
int pci_tsm_publish(struct pci_dev *pdev, struct pci_tsm *tsm);
void pci_tsm_unpublish(struct pci_dev *pdev);
bool pci_tsm_release_driver_lock(struct pci_dev *pdev);
int pci_tsm_refresh(struct pci_dev *pdev, const u8 *nonce, size_t nonce_len);

/* link.c: connect, disconnect and the TDIs of a link TSM */
int pci_tsm_connect(struct pci_dev *dsm, struct tsm_dev *tsm_dev);
void pci_tsm_disconnect(struct pci_dev *dsm);
void pci_tsm_remove_fn(struct pci_dev *pdev);

/* devsec.c: lock, accept and unlock with a devsec TSM */
bool pci_tsm_devsec_locked(struct pci_tsm *tsm);
bool pci_tsm_devsec_accepted(struct pci_tsm *tsm);
int pci_tsm_devsec_lock_checked(struct pci_dev *pdev, struct tsm_dev *tsm_dev);
int pci_tsm_devsec_unlock_checked(struct pci_dev *pdev, unsigned int id);
void pci_tsm_devsec_unlock(struct pci_dev *pdev);
int pci_tsm_devsec_accept(struct pci_dev *pdev);

/* sysfs.c: the tsm/ attributes and their visibility */
void pci_tsm_sysfs_update_all(void);
void pci_tsm_sysfs_update_fns(struct pci_dev *dsm);
#if IS_ENABLED(CONFIG_KUNIT)
/* deferred updates of all devices' tsm groups, for the KUnit test */
extern struct work_struct pci_tsm_sysfs_work;
#endif

/* evidence.c: the published evidence, read over netlink */
int pci_tsm_evidence_set(struct pci_dev *pdev, unsigned int type,
			 const void *data, size_t len);
int pci_tsm_evidence_take(struct pci_dev *pdev,
			  struct pci_tsm_evidence *tsm_ev, unsigned long mask);
void pci_tsm_evidence_bump(struct pci_dev *pdev);
void pci_tsm_evidence_clear(struct pci_dev *pdev);

/* mmio.c */
struct pci_tsm_accept *pci_tsm_accept_alloc(void);
int pci_tsm_accept_publish(struct pci_dev *pdev, struct pci_tsm_accept *a);
void pci_tsm_accept_free(struct pci_dev *pdev, struct pci_tsm_accept *a);

#endif /* __PCI_TSM_CORE_H */
