// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM core: TEE Security Manager contexts of PCI devices
 *
 * This file holds the contexts, their lifetimes and the TSM registry;
 * link.c the link TSM's operations (connect, disconnect, the TDIs),
 * devsec.c the devsec TSM's (lock, accept, unlock), sysfs.c the tsm/
 * attributes, req.c the request engine every DOE exchange goes
 * through, evidence.c the published evidence and its netlink dump, and
 * mmio.c the encrypted MMIO of accepted interfaces.
 *
 * A TSM driver registers with the tsm class, which calls
 * pci_tsm_register().  From then on each PCI device the TSM could serve
 * shows a tsm/ sysfs directory.  Writing the TSM's name to
 * tsm/connect on a Device Security Manager (DSM: function 0 of a device
 * with IDE or TEE-IO, PCIe r6.1 sec 11) creates the TSM's per-device
 * context and runs a %PCI_TSM_REQ_CONNECT request (SPDM, IDE: see req.c)
 * with the DSM's DOE mailbox; the other functions of the device then get
 * contexts that point at their DSM, and can be bound to TEE Device
 * Interfaces (TDIs) with pci_tsm_bind().
 *
 * Lifetimes: a context lives from connect until disconnect, which also
 * happens when the device is removed (pci_tsm_destroy(), called before
 * device_del() while the mailbox is still there) or when its TSM
 * unregisters (pci_tsm_unregister()), whichever comes first.  Removal
 * and unregistration first abort the request in flight, if any.  Once
 * removal has begun (pci_stop_dev() clears "added") the tsm attributes
 * refuse state changes with -ENODEV, and the evidence of a device goes
 * with it at the latest.
 *
 * Locking, outermost first:
 *
 * - pci_tsm_sysfs_lock serialises sysfs_update_group() of the tsm
 *   groups.  An update removes and re-adds each attribute, waiting for
 *   the methods running on it, so tsm attribute methods only ever
 *   try-lock it and otherwise leave the update to a work item.
 * - pci_tsm_rwsem: held for read by every operation, for write while a
 *   TSM is added to or removed from the registry and while an
 *   unregistering TSM's contexts are torn down.
 * - device_lock() of the DSM serialises the state changes of a DSM and
 *   of the functions depending on it (connect, disconnect, bind, unbind,
 *   removal).  It exists before any context does, and the PCI core and
 *   sysfs writers already take device locks below pci_rescan_remove_lock.
 * - &pci_tsm_pf0.lock: held while a request executes, and around calls
 *   into the TSM for bound TDIs.
 * - pci_tsm_ctx_lock: a spinlock covering the publication of
 *   &pci_dev.tsm and &pci_tsm.tdi, so that show methods, cancellation
 *   and visibility checks can look at a context without sleeping locks.
 */

#define dev_fmt(fmt) "TSM: " fmt

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tsm.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/tsm.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "../pci.h"
#include "core.h"

/* the locks, described above */
DECLARE_RWSEM(pci_tsm_rwsem);
/* publication of &pci_dev.tsm and &pci_tsm.tdi */
DEFINE_SPINLOCK(pci_tsm_ctx_lock);
/* sysfs_update_group() of the tsm groups */
DEFINE_MUTEX(pci_tsm_sysfs_lock);
EXPORT_SYMBOL_IF_KUNIT(pci_tsm_sysfs_lock);

/*
 * TSMs registered for PCI, by tsm_dev->id.  PCI_TSM_DYING marks a TSM
 * that is unregistering: no new context may use it.  Changed under
 * pci_tsm_rwsem (write) and, for the mark, pci_tsm_ctx_lock.
 */
DEFINE_XARRAY(pci_tsm_devs);

/* Registered TSMs of each kind, for attribute visibility */
unsigned int pci_tsm_nr_link;
unsigned int pci_tsm_nr_devsec;

bool pci_tsm_is_link_tsm(const struct tsm_dev *tsm_dev)
{
	return tsm_dev && tsm_dev->pci_ops && tsm_dev->pci_ops->connect;
}

bool pci_tsm_is_devsec_tsm(const struct tsm_dev *tsm_dev)
{
	return tsm_dev && tsm_dev->pci_ops && tsm_dev->pci_ops->lock;
}

/* Is @tsm_dev unregistering: its requests but the teardown's abort */
bool pci_tsm_dying(const struct tsm_dev *tsm_dev)
{
	return tsm_dev &&
	       xa_get_mark(&pci_tsm_devs, tsm_dev->id, PCI_TSM_DYING);
}

bool pci_tsm_has_tee(struct pci_dev *pdev)
{
	u32 devcap;

	if (!pci_is_pcie(pdev))
		return false;
	if (pcie_capability_read_dword(pdev, PCI_EXP_DEVCAP, &devcap))
		return false;
	return devcap & PCI_EXP_DEVCAP_TEE;
}

/* Function 0 position: devfn 0 of an ARI device, else function 0 of a slot */
static bool pci_tsm_is_fn0(struct pci_dev *pdev)
{
	if (pci_ari_enabled(pdev->bus))
		return pdev->devfn == 0;
	return PCI_FUNC(pdev->devfn) == 0;
}

/**
 * is_pci_tsm_pf0() - can @pdev be a Device Security Manager
 * @pdev: PCI function, or NULL
 *
 * A DSM is function 0 of a PCIe endpoint, RCiEP or upstream switch port
 * that has the IDE extended capability or sets TEE-IO Supported.  Under
 * ARI only devfn 0 is function 0.
 *
 * Return: true if a link TSM may connect @pdev.
 */
bool is_pci_tsm_pf0(struct pci_dev *pdev)
{
	if (!pdev || !pci_is_pcie(pdev) || pdev->is_virtfn ||
	    !pci_tsm_is_fn0(pdev))
		return false;

	switch (pci_pcie_type(pdev)) {
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_RC_END:
	case PCI_EXP_TYPE_UPSTREAM:
		break;
	default:
		return false;
	}

	return pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_IDE) ||
	       pci_tsm_has_tee(pdev);
}
EXPORT_SYMBOL_GPL(is_pci_tsm_pf0);

/**
 * pci_tsm_get_dsm() - find the DSM of a function
 * @pdev: PCI function
 *
 * The DSM of a function is itself for function 0, else function 0 of the
 * same device.  (A DSM further up, i.e. the upstream port of a switch
 * for its integrated functions, is not looked for.)
 *
 * Return: a reference to the DSM, to be dropped with pci_dev_put(), or
 * NULL when the device has no DSM.
 */
struct pci_dev *pci_tsm_get_dsm(struct pci_dev *pdev)
{
	struct pci_dev *dsm;
	unsigned int devfn;

	if (pdev->is_virtfn)
		return NULL;
	if (pci_tsm_is_fn0(pdev)) {
		dsm = pci_dev_get(pdev);
	} else {
		devfn = pci_ari_enabled(pdev->bus) ? 0 :
			PCI_DEVFN(PCI_SLOT(pdev->devfn), 0);
		dsm = pci_get_slot(pdev->bus, devfn);
	}
	if (dsm && !is_pci_tsm_pf0(dsm)) {
		pci_dev_put(dsm);
		return NULL;
	}
	return dsm;
}

/* Number of device/function numbers a multi-function device spans */
unsigned int pci_tsm_nr_fns(struct pci_dev *dsm)
{
	return pci_ari_enabled(dsm->bus) ? 256 : 8;
}

/* Function @fn of the device whose function 0 is @dsm, referenced */
struct pci_dev *pci_tsm_get_fn(struct pci_dev *dsm, unsigned int fn)
{
	struct pci_dev *pdev;
	unsigned int devfn;

	devfn = pci_ari_enabled(dsm->bus) ? fn :
		PCI_DEVFN(PCI_SLOT(dsm->devfn), fn);
	pdev = pci_get_slot(dsm->bus, devfn);
	if (pdev && pdev->is_virtfn) {
		pci_dev_put(pdev);
		return NULL;
	}
	return pdev;
}

/* The context of @pdev if it is the DSM context of its device */
struct pci_tsm_pf0 *pci_tsm_dsm_ctx(struct pci_tsm *tsm)
{
	if (!tsm || tsm->pdev != tsm->dsm_dev)
		return NULL;
	return container_of(tsm, struct pci_tsm_pf0, base_tsm);
}

bool pci_tsm_established(struct pci_tsm *tsm)
{
	struct pci_tsm_pf0 *pf0 = pci_tsm_dsm_ctx(tsm);

	return pf0 && test_bit(PCI_TSM_PF0_ESTABLISHED, &pf0->flags);
}

/* Is the DSM of @tsm connected to a link TSM (ctx lock or DSM lock held) */
bool pci_tsm_dsm_connected(struct pci_tsm *tsm)
{
	return tsm && pci_tsm_is_link_tsm(tsm->tsm_dev) &&
	       pci_tsm_established(tsm->dsm_dev->tsm);
}

/* Open a request of @type for @tsm on its DSM context @pf0, lock held */
void pci_tsm_req_open(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req,
		      struct pci_tsm *tsm, enum pci_tsm_req_type type)
{
	*req = (struct pci_tsm_req) {
		.type = type,
		.pdev = tsm->pdev,
		.tsm = tsm,
		.tsm_dev = tsm->tsm_dev,
	};
	pci_tsm_req_begin(pf0, req);
}

/* The DSM context that embeds @tsm, or NULL (core-internal, as upstream's) */
struct pci_tsm_pf0 *to_pci_tsm_pf0(struct pci_tsm *tsm)
{
	return pci_tsm_dsm_ctx(tsm);
}

/**
 * pci_tsm_link_constructor() - initialise the context of a function
 * @pdev: the function
 * @tsm: context to initialise, allocated by the TSM's probe
 * @tsm_dev: the link TSM creating the context
 *
 * For the DSM itself use pci_tsm_pf0_constructor() instead.
 *
 * Return: 0, -EINVAL when @tsm_dev is not a link TSM, or -ENXIO when
 * @pdev has no DSM.
 */
int pci_tsm_link_constructor(struct pci_dev *pdev, struct pci_tsm *tsm,
			     struct tsm_dev *tsm_dev)
{
	struct pci_dev *dsm;

	if (!pci_tsm_is_link_tsm(tsm_dev))
		return -EINVAL;

	dsm = pci_tsm_get_dsm(pdev);
	if (!dsm) {
		pci_dbg(pdev, "no Device Security Manager\n");
		return -ENXIO;
	}
	/*
	 * No reference is kept: a context never outlives its DSM, whose
	 * removal or disconnect tears down the contexts depending on it.
	 */
	pci_dev_put(dsm);

	*tsm = (struct pci_tsm) {
		.pdev = pdev,
		.dsm_dev = dsm,
		.tsm_dev = tsm_dev,
	};
	pci_tsm_init_evidence(&tsm->evidence, 0, HASH_ALGO_SHA384);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_tsm_link_constructor);

/**
 * pci_tsm_init_evidence() - (re)initialise the evidence of a context
 * @evidence: &pci_tsm.evidence of a context the core does not use yet
 * @slot: the certificate slot the TSM reads (link TSM), else 0
 * @digest_algo: the algorithm of the digests the TSM gives, if any
 *
 * The constructors already did it with slot 0 and SHA-384; a TSM calls
 * it to change those, before it stores any object.
 */
void pci_tsm_init_evidence(struct pci_tsm_evidence *evidence, int slot,
			   enum hash_algo digest_algo)
{
	*evidence = (struct pci_tsm_evidence) {
		.slot = slot,
		.digest_algo = digest_algo,
	};
	init_rwsem(&evidence->lock);
}
EXPORT_SYMBOL_GPL(pci_tsm_init_evidence);

/**
 * pci_tsm_pf0_constructor() - initialise the context of a DSM
 * @pdev: the DSM (function 0, see is_pci_tsm_pf0())
 * @tsm: context to initialise, allocated by the TSM's probe
 * @tsm_dev: the TSM creating the context
 *
 * Finds the CMA/SPDM DOE mailbox that will carry the requests for the
 * device.  Undo with pci_tsm_pf0_destructor().  The devsec sample TSM,
 * whose requests also run on the DSM's mailbox, uses it as well.
 *
 * Return: 0, -ENODEV when @pdev has no CMA mailbox, -EINVAL when
 * @tsm_dev is not a registered kind of TSM, or -ENXIO when @pdev is not
 * a DSM.
 */
int pci_tsm_pf0_constructor(struct pci_dev *pdev, struct pci_tsm_pf0 *tsm,
			    struct tsm_dev *tsm_dev)
{
	struct pci_doe_mb *doe_mb;

	doe_mb = pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG,
				      PCI_DOE_FEATURE_CMA);
	if (!doe_mb) {
		pci_dbg(pdev, "no CMA/SPDM DOE mailbox\n");
		return -ENODEV;
	}
	if (!pci_tsm_is_link_tsm(tsm_dev) && !pci_tsm_is_devsec_tsm(tsm_dev))
		return -EINVAL;
	if (!is_pci_tsm_pf0(pdev))
		return -ENXIO;

	*tsm = (struct pci_tsm_pf0) {
		.base_tsm = {
			.pdev = pdev,
			.dsm_dev = pdev,
			.tsm_dev = tsm_dev,
		},
		.doe_mb = doe_mb,
	};
	mutex_init(&tsm->lock);
	pci_tsm_init_evidence(&tsm->base_tsm.evidence, 0, HASH_ALGO_SHA384);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_tsm_pf0_constructor);

/**
 * pci_tsm_pf0_destructor() - undo pci_tsm_pf0_constructor()
 * @tsm: DSM context, no longer in use by the core
 */
void pci_tsm_pf0_destructor(struct pci_tsm_pf0 *tsm)
{
	mutex_destroy(&tsm->lock);
}
EXPORT_SYMBOL_GPL(pci_tsm_pf0_destructor);

/**
 * pci_tsm_tdi_constructor() - initialise a TDI in a TSM's bind
 * @pdev: the function being bound
 * @tdi: TDI allocated by the TSM
 * @kvm: the VM the TDI is assigned to
 * @tdi_id: TDI identifier passed to pci_tsm_bind()
 */
void pci_tsm_tdi_constructor(struct pci_dev *pdev, struct pci_tdi *tdi,
			     struct kvm *kvm, u32 tdi_id)
{
	*tdi = (struct pci_tdi) {
		.pdev = pdev,
		.kvm = kvm,
		.tdi_id = tdi_id,
	};
}
EXPORT_SYMBOL_GPL(pci_tsm_tdi_constructor);

/* The registered TSM with this id, if it may take new contexts */
/*
 * Is @pdev on its way out: its removal started (pci_tsm_stop()) or it is
 * no longer added.  No context may be published for it and no request
 * may start; pci_tsm_destroy() tears down what is left.  Stable under
 * the device lock; pci_tsm_publish() checks it under pci_tsm_ctx_lock.
 */
bool pci_tsm_dev_removing(struct pci_dev *pdev)
{
	return test_bit(PCI_DEV_TSM_STOPPING, &pdev->priv_flags) ||
	       !pci_dev_is_added(pdev);
}

struct tsm_dev *pci_tsm_lookup(unsigned int id)
{
	lockdep_assert_held(&pci_tsm_rwsem);
	return xa_load(&pci_tsm_devs, id);
}

/*
 * Make @tsm the context of @pdev, unless @pdev is on its way out
 * (pci_stop_dev() clears "added" before pci_tsm_destroy() runs) or the
 * TSM is unregistering: both look for contexts to cancel under this
 * lock after setting their marker, so a context is either seen by them
 * or never published.
 */
int pci_tsm_publish(struct pci_dev *pdev, struct pci_tsm *tsm)
{
	int rc = 0;

	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (xa_get_mark(&pci_tsm_devs, tsm->tsm_dev->id, PCI_TSM_DYING))
			rc = -ENXIO;
		else if (pdev->tsm)
			rc = -EBUSY;
		else
			pdev->tsm = tsm;
	}
	return rc;
}

void pci_tsm_unpublish(struct pci_dev *pdev)
{
	scoped_guard(spinlock, &pci_tsm_ctx_lock)
		pdev->tsm = NULL;
}

/*
 * Mark the DSM context of @pdev, if it has one, as being removed: its
 * requests abort, but for the teardown's, which the device only misses
 * when it is disconnected.  pci_tsm_ctx_lock held.
 */
static void pci_tsm_mark_removing(struct pci_dev *pdev)
{
	struct pci_tsm_pf0 *pf0 = pci_tsm_dsm_ctx(pdev->tsm);

	lockdep_assert_held(&pci_tsm_ctx_lock);
	if (!pf0)
		return;
	set_bit(PCI_TSM_PF0_REMOVING, &pf0->flags);
	if (pci_dev_is_disconnected(pdev))
		set_bit(PCI_TSM_PF0_DEAD, &pf0->flags);
}

/**
 * pci_tsm_stop() - the removal of a PCI device starts
 * @pdev: the device, still added, its driver still bound
 *
 * Called before the PCI core releases the driver of @pdev, which waits
 * for the device lock that a TSM request in flight holds.  That request
 * is aborted with -ENODEV at its next step and no new context or request
 * may start, so that the removal never waits for a device that stalls.
 * The teardown pci_tsm_destroy() runs next still reaches the device,
 * unless it is disconnected (surprise removal).
 */
void pci_tsm_stop(struct pci_dev *pdev)
{
	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		set_bit(PCI_DEV_TSM_STOPPING, &pdev->priv_flags);
		/*
		 * Once the driver is released no other may bind before
		 * pci_tsm_destroy() withdraws the acceptance of the device
		 */
		if (pdev->tsm)
			WRITE_ONCE(pdev->match_driver, false);
		pci_tsm_mark_removing(pdev);
	}
}

/**
 * pci_tsm_destroy() - a PCI device is being removed
 * @pdev: the device, stopped (no driver, not "added") but still present
 *
 * Aborts a request in flight for the device, then disconnects it if it
 * is a connected DSM (removing the contexts of its other functions), or
 * unlocks it if it is locked, or removes its context if it depends on a
 * DSM.  The teardown is carried out on the wire (STOP_INTERFACE, key
 * stop, END_SESSION) so that the device keeps no state of ours across a
 * rescan, unless it is disconnected.  Whatever the TSM stored as evidence
 * of @pdev goes too, context or not: a later device at the same address
 * must never be served it.
 */
void pci_tsm_destroy(struct pci_dev *pdev)
{
	struct pci_dev *dsm = NULL;
	struct pci_tsm *tsm;

	scoped_guard(rwsem_read, &pci_tsm_rwsem) {
		scoped_guard(spinlock, &pci_tsm_ctx_lock) {
			tsm = pdev->tsm;
			if (tsm) {
				pci_tsm_mark_removing(pdev);
				dsm = pci_dev_get(tsm->dsm_dev);
			}
		}

		/*
		 * Waits for a request in flight to notice the removal.
		 * A writer that had the lock first may have torn the context
		 * down meanwhile: only the context seen under the lock counts.
		 * None can be published any more (pci_tsm_publish()).
		 */
		if (dsm) {
			guard(device)(&dsm->dev);
			tsm = pdev->tsm;
			if (pdev != dsm)
				pci_tsm_remove_fn(pdev);
			else if (tsm && pci_tsm_is_devsec_tsm(tsm->tsm_dev))
				pci_tsm_devsec_unlock(dsm);
			else if (tsm)
				pci_tsm_disconnect(dsm);
		}
	}

	pci_tsm_evidence_clear(pdev);
	if (dsm && pdev == dsm)
		pci_tsm_sysfs_update_fns(dsm);
	pci_dev_put(dsm);

	/*
	 * device_del() comes next: an update of the tsm groups of @pdev
	 * (a TSM registering) must be over, and none starts any more
	 * (PCI_DEV_TSM_STOPPING, set by pci_tsm_stop())
	 */
	mutex_lock(&pci_tsm_sysfs_lock);
	mutex_unlock(&pci_tsm_sysfs_lock);
}
EXPORT_SYMBOL_IF_KUNIT(pci_tsm_destroy);

/*
 * Fresh measurements bound to the relying party's nonce, published once
 * the TSM has them.  Device lock held.
 */
static int pci_tsm_refresh_measurements(struct pci_tsm *tsm, const u8 *nonce,
					size_t nonce_len)
{
	struct pci_tsm_pf0 *pf0 = pci_tsm_dsm_ctx(tsm);
	struct pci_tsm_req req;
	int rc;

	scoped_guard(mutex, &pf0->lock) {
		pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_REFRESH);
		req.nonce = nonce;
		req.nonce_len = nonce_len;
		rc = tsm->tsm_dev->pci_ops->refresh_evidence(tsm,
				PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS, 0,
				(void *)nonce, nonce_len);
		rc = pci_tsm_req_end(pf0, &req, rc);
	}
	if (rc)
		return rc;
	return pci_tsm_evidence_take(tsm->pdev, &tsm->evidence,
				     PCI_TSM_EVIDENCE_TYPE_FLAG_MEASUREMENTS);
}

/**
 * pci_tsm_refresh() - run the TSM's evidence refresh request for a DSM
 * @pdev: a DSM connected to (or locked by) a TSM
 * @nonce: the relying party's nonce the fresh evidence is bound to
 * @nonce_len: size of @nonce
 *
 * Return: 0, -ENXIO when @pdev is not a connected DSM, -ENODEV when it
 * is being removed, -EOPNOTSUPP when its TSM has no refresh operation,
 * -EINTR when a signal ends the wait for the device lock or a fatal one
 * the request, or the request's error.
 */
int pci_tsm_refresh(struct pci_dev *pdev, const u8 *nonce, size_t nonce_len)
{
	struct pci_tsm *tsm;
	int rc;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		if (!is_pci_tsm_pf0(pdev))
			return -ENXIO;
		/* a signal ends the wait for a request in flight: -EINTR */
		rc = device_lock_interruptible(&pdev->dev);
		if (rc)
			return rc;
		tsm = pdev->tsm;
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (!pci_tsm_established(tsm))
			rc = -ENXIO;
		else if (!tsm->tsm_dev->pci_ops->refresh_evidence)
			rc = -EOPNOTSUPP;
		else
			rc = pci_tsm_refresh_measurements(tsm, nonce, nonce_len);
		device_unlock(&pdev->dev);
	}
	return rc;
}

/* Any (@all false) or all (@all true) link operations set */
static bool pci_tsm_link_ops_set(const struct pci_tsm_link_ops *l, bool all)
{
	unsigned int n = !!l->probe + !!l->remove + !!l->connect +
			 !!l->disconnect + !!l->bind + !!l->unbind +
			 !!l->guest_req;

	return all ? n == 7 : n != 0;
}

/* Any or all devsec operations set */
static bool pci_tsm_devsec_ops_set(const struct pci_tsm_devsec_ops *d,
				   bool all)
{
	unsigned int n = !!d->lock + !!d->unlock + !!d->accept;

	return all ? n == 3 : n != 0;
}

/* Exactly one of the two groups, complete */
static bool pci_tsm_ops_valid(const struct pci_tsm_ops *ops)
{
	bool link, devsec;

	if (!ops)
		return false;
	link = pci_tsm_link_ops_set(&ops->link_ops, false);
	devsec = pci_tsm_devsec_ops_set(&ops->devsec_ops, false);
	if (link == devsec)
		return false;
	if (link)
		return pci_tsm_link_ops_set(&ops->link_ops, true);
	return pci_tsm_devsec_ops_set(&ops->devsec_ops, true);
}

/**
 * pci_tsm_register() - make a TSM available to PCI devices
 * @tsm_dev: TSM device registered by the tsm class, with its PCI ops
 *
 * Shows the tsm/ attributes the TSM enables on every PCI device.
 *
 * Return: 0, -EINVAL for ops that are not exactly one complete link or
 * devsec set, -EBUSY when @tsm_dev is already registered.
 */
int pci_tsm_register(struct tsm_dev *tsm_dev)
{
	const struct pci_tsm_ops *ops = tsm_dev->pci_ops;
	int rc;

	if (!pci_tsm_ops_valid(ops))
		return -EINVAL;

	guard(mutex)(&pci_tsm_sysfs_lock);
	scoped_guard(rwsem_write, &pci_tsm_rwsem) {
		rc = xa_insert(&pci_tsm_devs, tsm_dev->id, tsm_dev, GFP_KERNEL);
		if (rc)
			return rc;
		if (ops->connect)
			WRITE_ONCE(pci_tsm_nr_link, pci_tsm_nr_link + 1);
		else
			WRITE_ONCE(pci_tsm_nr_devsec, pci_tsm_nr_devsec + 1);
	}
	pci_tsm_sysfs_update_all();
	return 0;
}
EXPORT_SYMBOL_GPL(pci_tsm_register);

/* Abort the request in flight for a context of @tsm_dev */
static void pci_tsm_cancel(struct pci_dev *pdev, struct tsm_dev *tsm_dev)
{
	struct pci_tsm_pf0 *pf0;

	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		if (pdev->tsm && pdev->tsm->tsm_dev == tsm_dev) {
			pf0 = pci_tsm_dsm_ctx(pdev->tsm);
			if (pf0)
				set_bit(PCI_TSM_PF0_CANCEL, &pf0->flags);
		}
	}
}

/*
 * Release the driver of @pdev and take the device lock with no driver
 * bound: the device is no longer trusted, and acceptance may only be
 * withdrawn with no driver bound.  A driver could bind between the
 * release and the lock (a bind or rescan racing), so no driver may
 * match until the caller restores the returned match_driver, and the
 * release is repeated until the lock is taken with none bound.
 */
bool pci_tsm_release_driver_lock(struct pci_dev *pdev)
{
	bool match = READ_ONCE(pdev->match_driver);

	WRITE_ONCE(pdev->match_driver, false);
	for (;;) {
		device_release_driver(&pdev->dev);
		device_lock(&pdev->dev);
		if (!pdev->dev.driver)
			return match;
		device_unlock(&pdev->dev);
	}
}

/* Tear down a context of @tsm_dev.  pci_tsm_rwsem held for write. */
static void pci_tsm_teardown(struct pci_dev *pdev, struct tsm_dev *tsm_dev)
{
	struct pci_tsm_pf0 *pf0;

	lockdep_assert_held_write(&pci_tsm_rwsem);

	if (!pdev->tsm || pdev->tsm->tsm_dev != tsm_dev)
		return;
	/* Other functions go with their DSM */
	pf0 = pci_tsm_dsm_ctx(pdev->tsm);
	if (!pf0)
		return;
	/* Nothing is in flight any more: let the disconnect talk to the device */
	clear_bit(PCI_TSM_PF0_CANCEL, &pf0->flags);
	if (pci_tsm_is_devsec_tsm(tsm_dev)) {
		bool match = pci_tsm_release_driver_lock(pdev);

		pci_tsm_devsec_unlock(pdev);
		WRITE_ONCE(pdev->match_driver, match);
		device_unlock(&pdev->dev);
	} else {
		pci_tsm_disconnect(pdev);
	}
}

/**
 * pci_tsm_unregister() - withdraw a TSM from PCI devices
 * @tsm_dev: a TSM registered with pci_tsm_register()
 *
 * Aborts the requests in flight for the TSM, disconnects every device
 * connected to it, and hides the attributes it enabled.
 */
void pci_tsm_unregister(struct tsm_dev *tsm_dev)
{
	const struct pci_tsm_ops *ops = tsm_dev->pci_ops;
	struct pci_dev *pdev = NULL;

	/* No new contexts; then abort what is in flight */
	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		if (xa_load(&pci_tsm_devs, tsm_dev->id) != tsm_dev)
			return;
		xa_set_mark(&pci_tsm_devs, tsm_dev->id, PCI_TSM_DYING);
	}
	for_each_pci_dev(pdev)
		pci_tsm_cancel(pdev, tsm_dev);

	scoped_guard(rwsem_write, &pci_tsm_rwsem) {
		pdev = NULL;
		for_each_pci_dev(pdev)
			pci_tsm_teardown(pdev, tsm_dev);
	}

	guard(mutex)(&pci_tsm_sysfs_lock);
	scoped_guard(rwsem_write, &pci_tsm_rwsem) {
		xa_erase(&pci_tsm_devs, tsm_dev->id);
		if (ops->connect)
			WRITE_ONCE(pci_tsm_nr_link, pci_tsm_nr_link - 1);
		else
			WRITE_ONCE(pci_tsm_nr_devsec, pci_tsm_nr_devsec - 1);
	}
	pci_tsm_sysfs_update_all();
}
EXPORT_SYMBOL_GPL(pci_tsm_unregister);
