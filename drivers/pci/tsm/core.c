// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM core: TEE Security Manager contexts of PCI devices
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
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tsm.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/tsm.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "../pci.h"
#include "core.h"

DECLARE_RWSEM(pci_tsm_rwsem);
static DEFINE_SPINLOCK(pci_tsm_ctx_lock);
static DEFINE_MUTEX(pci_tsm_sysfs_lock);

/*
 * TSMs registered for PCI, by tsm_dev->id.  PCI_TSM_DYING marks a TSM
 * that is unregistering: no new context may use it.  Changed under
 * pci_tsm_rwsem (write) and, for the mark, pci_tsm_ctx_lock.
 */
static DEFINE_XARRAY(pci_tsm_devs);
#define PCI_TSM_DYING			XA_MARK_1

/* Registered TSMs of each kind, for attribute visibility */
static unsigned int pci_tsm_nr_link;
static unsigned int pci_tsm_nr_devsec;

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

static bool pci_tsm_has_tee(struct pci_dev *pdev)
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
static unsigned int pci_tsm_nr_fns(struct pci_dev *dsm)
{
	return pci_ari_enabled(dsm->bus) ? 256 : 8;
}

/* Function @fn of the device whose function 0 is @dsm, referenced */
static struct pci_dev *pci_tsm_get_fn(struct pci_dev *dsm, unsigned int fn)
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
static struct pci_tsm_pf0 *pci_tsm_dsm_ctx(struct pci_tsm *tsm)
{
	if (!tsm || tsm->pdev != tsm->dsm_dev)
		return NULL;
	return container_of(tsm, struct pci_tsm_pf0, base_tsm);
}

static bool pci_tsm_established(struct pci_tsm *tsm)
{
	struct pci_tsm_pf0 *pf0 = pci_tsm_dsm_ctx(tsm);

	return pf0 && test_bit(PCI_TSM_PF0_ESTABLISHED, &pf0->flags);
}

/* Is the DSM of @tsm connected to a link TSM (ctx lock or DSM lock held) */
static bool pci_tsm_dsm_connected(struct pci_tsm *tsm)
{
	return tsm && pci_tsm_is_link_tsm(tsm->tsm_dev) &&
	       pci_tsm_established(tsm->dsm_dev->tsm);
}

/* Open a request of @type for @tsm on its DSM context @pf0, lock held */
static void pci_tsm_req_open(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req,
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
static bool pci_tsm_dev_removing(struct pci_dev *pdev)
{
	return test_bit(PCI_DEV_TSM_STOPPING, &pdev->priv_flags) ||
	       !pci_dev_is_added(pdev);
}

static struct tsm_dev *pci_tsm_lookup(unsigned int id)
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
static int pci_tsm_publish(struct pci_dev *pdev, struct pci_tsm *tsm)
{
	int rc = 0;

	spin_lock(&pci_tsm_ctx_lock);
	if (pci_tsm_dev_removing(pdev))
		rc = -ENODEV;
	else if (xa_get_mark(&pci_tsm_devs, tsm->tsm_dev->id, PCI_TSM_DYING))
		rc = -ENXIO;
	else if (pdev->tsm)
		rc = -EBUSY;
	else
		pdev->tsm = tsm;
	spin_unlock(&pci_tsm_ctx_lock);
	return rc;
}

static void pci_tsm_unpublish(struct pci_dev *pdev)
{
	spin_lock(&pci_tsm_ctx_lock);
	pdev->tsm = NULL;
	spin_unlock(&pci_tsm_ctx_lock);
}

/* Ask the TSM for the context of @pdev and check what it returns */
static struct pci_tsm *pci_tsm_probe_ctx(struct tsm_dev *tsm_dev,
					 struct pci_dev *pdev,
					 struct pci_dev *dsm)
{
	const struct pci_tsm_ops *ops = tsm_dev->pci_ops;
	struct pci_tsm *tsm;

	tsm = ops->probe(tsm_dev, pdev);
	if (IS_ERR(tsm))
		return tsm;
	if (!tsm)
		return ERR_PTR(-ENXIO);
	if (tsm->pdev != pdev || tsm->dsm_dev != dsm ||
	    tsm->tsm_dev != tsm_dev || tsm->tdi) {
		pci_err(pdev, "%s: probe returned a bad context\n",
			dev_name(&tsm_dev->dev));
		ops->remove(tsm);
		return ERR_PTR(-EINVAL);
	}
	return tsm;
}

/* Unbind the TDI of @pdev, if bound.  DSM lock held, or exclusive. */
static void pci_tsm_unbind_fn(struct pci_dev *pdev)
{
	struct pci_tsm *tsm = pdev->tsm;
	struct pci_tsm_pf0 *pf0;
	struct pci_tsm_req req;
	struct pci_tdi *tdi;

	if (!tsm || !tsm->tdi)
		return;

	pf0 = pci_tsm_dsm_ctx(tsm->dsm_dev->tsm);
	guard(mutex)(&pf0->lock);
	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		tdi = tsm->tdi;
		tsm->tdi = NULL;
	}
	pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_UNBIND);
	tsm->tsm_dev->pci_ops->unbind(tdi);
	pci_tsm_req_end(pf0, &req, 0);
}

/* Remove the context of a function depending on a DSM */
static void pci_tsm_remove_fn(struct pci_dev *pdev)
{
	struct pci_tsm *tsm = pdev->tsm;

	if (!tsm)
		return;
	pci_tsm_unbind_fn(pdev);
	pci_tsm_unpublish(pdev);
	tsm->tsm_dev->pci_ops->remove(tsm);
}

/*
 * Disconnect a connected (or connecting) DSM: unbind every TDI, remove
 * the contexts of the other functions in reverse order, run the TSM's
 * disconnect request and remove the DSM context.  Called with the DSM's
 * device lock held, or with pci_tsm_rwsem held for write.
 */
static void pci_tsm_disconnect(struct pci_dev *dsm)
{
	struct pci_tsm *tsm = dsm->tsm;
	struct pci_tsm_pf0 *pf0 = pci_tsm_dsm_ctx(tsm);
	const struct pci_tsm_ops *ops = tsm->tsm_dev->pci_ops;
	struct pci_tsm_req req;
	unsigned int fn;
	int rc;

	/* From here on the show methods report the DSM as disconnected */
	clear_bit(PCI_TSM_PF0_ESTABLISHED, &pf0->flags);

	for (fn = pci_tsm_nr_fns(dsm) - 1; fn > 0; fn--) {
		struct pci_dev *pdev __free(pci_dev_put) =
			pci_tsm_get_fn(dsm, fn);

		if (pdev)
			pci_tsm_unbind_fn(pdev);
	}
	pci_tsm_unbind_fn(dsm);

	for (fn = pci_tsm_nr_fns(dsm) - 1; fn > 0; fn--) {
		struct pci_dev *pdev __free(pci_dev_put) =
			pci_tsm_get_fn(dsm, fn);

		if (pdev && pdev->tsm && pdev->tsm->dsm_dev == dsm)
			pci_tsm_remove_fn(pdev);
	}

	/*
	 * disconnect() cannot fail: an abort (a device gone) is only
	 * reported, the TSM has released its state anyway
	 */
	scoped_guard(mutex, &pf0->lock) {
		pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_DISCONNECT);
		ops->disconnect(dsm);
		rc = pci_tsm_req_end(pf0, &req, 0);
	}
	if (rc && !test_bit(PCI_TSM_PF0_DEAD, &pf0->flags))
		pci_warn(dsm, "%s: disconnect: %d\n", dev_name(&tsm->tsm_dev->dev),
			 rc);

	pci_tsm_evidence_clear(dsm);
	pci_tsm_unpublish(dsm);
	ops->remove(tsm);
	pci_dbg(dsm, "disconnected\n");
}

/* Give the other functions of a just connected DSM their contexts */
static int pci_tsm_probe_fns(struct pci_dev *dsm, struct tsm_dev *tsm_dev)
{
	unsigned int fn;

	for (fn = 1; fn < pci_tsm_nr_fns(dsm); fn++) {
		struct pci_dev *pdev __free(pci_dev_put) =
			pci_tsm_get_fn(dsm, fn);
		struct pci_tsm *tsm;

		if (!pdev)
			continue;
		tsm = pci_tsm_probe_ctx(tsm_dev, pdev, dsm);
		if (IS_ERR(tsm)) {
			/* -ENXIO: a function this TSM does not serve */
			if (PTR_ERR(tsm) == -ENXIO)
				continue;
			return PTR_ERR(tsm);
		}
		/* A function on its way out is skipped */
		if (pci_tsm_publish(pdev, tsm))
			tsm_dev->pci_ops->remove(tsm);
	}
	return 0;
}

/* Connect @dsm to @tsm_dev.  DSM device lock and pci_tsm_rwsem held. */
static int pci_tsm_connect(struct pci_dev *dsm, struct tsm_dev *tsm_dev)
{
	const struct pci_tsm_ops *ops = tsm_dev->pci_ops;
	struct pci_tsm_pf0 *pf0;
	struct pci_tsm_req req;
	struct pci_tsm *tsm;
	int rc;

	tsm = pci_tsm_probe_ctx(tsm_dev, dsm, dsm);
	if (IS_ERR(tsm))
		return PTR_ERR(tsm);
	pf0 = pci_tsm_dsm_ctx(tsm);

	rc = pci_tsm_publish(dsm, tsm);
	if (rc) {
		ops->remove(tsm);
		return rc;
	}

	scoped_guard(mutex, &pf0->lock) {
		pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_CONNECT);
		rc = pci_tsm_req_end(pf0, &req, ops->connect(dsm));
	}
	if (rc) {
		/*
		 * A connect that fails leaves nothing established: undoing
		 * what reached the device (a session, keys) is the TSM's
		 * business, as upstream has it.  What it stored as evidence
		 * before failing describes no connection.
		 */
		pci_tsm_evidence_clear(dsm);
		pci_tsm_unpublish(dsm);
		ops->remove(tsm);
		return rc;
	}
	set_bit(PCI_TSM_PF0_ESTABLISHED, &pf0->flags);
	/* what the TSM collected is readable from now on, or not connected */
	rc = pci_tsm_evidence_take(dsm, &tsm->evidence);
	if (rc) {
		pci_warn(dsm, "evidence not published: %d\n", rc);
		pci_tsm_disconnect(dsm);
		return rc;
	}

	rc = pci_tsm_probe_fns(dsm, tsm_dev);
	if (rc) {
		pci_tsm_disconnect(dsm);
		return rc;
	}

	pci_dbg(dsm, "connected to %s\n", dev_name(&tsm_dev->dev));
	return 0;
}

/* Update the tsm groups of @pdev.  pci_tsm_sysfs_lock held. */
static void pci_tsm_sysfs_update(struct pci_dev *pdev)
{
	lockdep_assert_held(&pci_tsm_sysfs_lock);

	/*
	 * A device whose removal started is left alone: device_del() may
	 * be removing its sysfs directory (pci_tsm_destroy() waits for an
	 * update already running)
	 */
	if (!device_is_registered(&pdev->dev) ||
	    test_bit(PCI_DEV_TSM_STOPPING, &pdev->priv_flags))
		return;
	if (sysfs_update_group(&pdev->dev.kobj, &pci_tsm_auth_attr_group) ||
	    sysfs_update_group(&pdev->dev.kobj, &pci_tsm_attr_group))
		pci_dbg(pdev, "tsm sysfs update failed\n");
}

static void pci_tsm_sysfs_update_all(void)
{
	struct pci_dev *pdev = NULL;

	lockdep_assert_held(&pci_tsm_sysfs_lock);

	for_each_pci_dev(pdev)
		pci_tsm_sysfs_update(pdev);
}

static void pci_tsm_sysfs_work_fn(struct work_struct *work)
{
	guard(mutex)(&pci_tsm_sysfs_lock);
	pci_tsm_sysfs_update_all();
}

static DECLARE_WORK(pci_tsm_sysfs_work, pci_tsm_sysfs_work_fn);

/*
 * After a connect or disconnect of @dsm, show or hide dsm and bound on
 * its other functions.  Called from tsm attribute methods and from
 * removal: when an update (which waits for attribute methods) is already
 * running, defer to the work item rather than wait for it.
 */
static void pci_tsm_sysfs_update_fns(struct pci_dev *dsm)
{
	unsigned int fn;

	if (!mutex_trylock(&pci_tsm_sysfs_lock)) {
		schedule_work(&pci_tsm_sysfs_work);
		return;
	}
	for (fn = 1; fn < pci_tsm_nr_fns(dsm); fn++) {
		struct pci_dev *pdev __free(pci_dev_put) =
			pci_tsm_get_fn(dsm, fn);

		if (pdev)
			pci_tsm_sysfs_update(pdev);
	}
	mutex_unlock(&pci_tsm_sysfs_lock);
}

/**
 * pci_tsm_add_dev() - a PCI device was added
 * @pdev: the new device, its sysfs groups created
 *
 * Closes the window between the creation of the device's tsm groups and
 * its appearance in the device list walked by pci_tsm_register().
 */
void pci_tsm_add_dev(struct pci_dev *pdev)
{
	/*
	 * The caller may hold the device lock of a parent (a PF adding
	 * VFs in sriov_numvfs_store()), while a TSM registering holds
	 * pci_tsm_sysfs_lock and waits, in sysfs_update_group(), for a tsm
	 * method of that PF which waits for that lock: never wait here,
	 * let the work item update all devices, @pdev included.
	 */
	if (!mutex_trylock(&pci_tsm_sysfs_lock)) {
		schedule_work(&pci_tsm_sysfs_work);
		return;
	}
	if (pci_tsm_nr_link || pci_tsm_nr_devsec)
		pci_tsm_sysfs_update(pdev);
	mutex_unlock(&pci_tsm_sysfs_lock);
}

static void pci_tsm_devsec_unlock(struct pci_dev *pdev);

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
	spin_lock(&pci_tsm_ctx_lock);
	set_bit(PCI_DEV_TSM_STOPPING, &pdev->priv_flags);
	/*
	 * Once the driver is released no other may bind before
	 * pci_tsm_destroy() withdraws the acceptance of the device
	 */
	if (pdev->tsm)
		WRITE_ONCE(pdev->match_driver, false);
	pci_tsm_mark_removing(pdev);
	spin_unlock(&pci_tsm_ctx_lock);
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

/**
 * pci_tsm_bind() - bind a function to a TEE Device Interface
 * @pdev: function of a DSM connected to a link TSM
 * @kvm: the VM to assign the TDI to
 * @tdi_id: TDI identifier, passed to the TSM
 *
 * Binding again for the same @kvm is a no-op.
 *
 * Return: 0, -EINVAL without @kvm or when @pdev has no TSM context (its
 * DSM is not connected), -ENXIO when its context is not a link TSM's (a
 * devsec TSM locked it), -ENODEV when @pdev or its DSM is being removed,
 * -EBUSY when @pdev is bound for another VM, or the TSM's error.
 */
int pci_tsm_bind(struct pci_dev *pdev, struct kvm *kvm, u32 tdi_id)
{
	const struct pci_tsm_ops *ops;
	struct pci_tsm_pf0 *pf0;
	struct pci_tsm_req req;
	struct pci_tsm *tsm;
	struct pci_tdi *tdi;
	int rc;

	if (!kvm)
		return -EINVAL;

	guard(rwsem_read)(&pci_tsm_rwsem);
	struct pci_dev *dsm __free(pci_dev_put) = pci_tsm_get_dsm(pdev);
	if (!dsm)
		return -EINVAL;

	guard(device)(&dsm->dev);
	if (pci_tsm_dev_removing(pdev) || pci_tsm_dev_removing(dsm))
		return -ENODEV;
	tsm = pdev->tsm;
	if (!tsm)
		return -EINVAL;
	if (!pci_tsm_dsm_connected(tsm))
		return -ENXIO;

	pf0 = pci_tsm_dsm_ctx(dsm->tsm);
	guard(mutex)(&pf0->lock);
	if (tsm->tdi)
		return tsm->tdi->kvm == kvm ? 0 : -EBUSY;

	ops = tsm->tsm_dev->pci_ops;
	pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_BIND);
	tdi = ops->bind(pdev, kvm, tdi_id);
	rc = pci_tsm_req_end(pf0, &req, PTR_ERR_OR_ZERO(tdi));
	if (!rc && !tdi)
		rc = -ENXIO;
	if (rc) {
		/* an aborted bind that still returned a TDI: undo it */
		if (!IS_ERR_OR_NULL(tdi))
			ops->unbind(tdi);
		return rc;
	}

	scoped_guard(spinlock, &pci_tsm_ctx_lock)
		tsm->tdi = tdi;
	pci_dbg(pdev, "bound, tdi %u\n", tdi_id);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_tsm_bind);

/**
 * pci_tsm_unbind() - undo pci_tsm_bind()
 * @pdev: the bound function; nothing happens if it is not bound
 */
void pci_tsm_unbind(struct pci_dev *pdev)
{
	guard(rwsem_read)(&pci_tsm_rwsem);
	struct pci_dev *dsm __free(pci_dev_put) = pci_tsm_get_dsm(pdev);
	if (!dsm)
		return;

	guard(device)(&dsm->dev);
	if (pci_tsm_dsm_connected(pdev->tsm))
		pci_tsm_unbind_fn(pdev);
}
EXPORT_SYMBOL_GPL(pci_tsm_unbind);

/**
 * pci_tsm_guest_req() - forward a guest request for a bound TDI
 * @pdev: the bound function
 * @scope: what the request may do; debug scopes are refused
 * @req_in: request payload
 * @in_len: size of @req_in
 * @req_out: response buffer
 * @out_len: size of @req_out
 * @tsm_code: TSM specific status, set by the TSM
 *
 * Return: what the TSM's guest_req returns (bytes written to @req_out
 * or a negative errno), -EINVAL for a scope above
 * %PCI_TSM_REQ_STATE_CHANGE, -ENXIO when @pdev is not bound.
 */
ssize_t pci_tsm_guest_req(struct pci_dev *pdev, enum pci_tsm_req_scope scope,
			  sockptr_t req_in, size_t in_len, sockptr_t req_out,
			  size_t out_len, u64 *tsm_code)
{
	struct pci_tsm_pf0 *pf0;
	struct pci_tsm_req req;
	struct pci_tsm *tsm;
	ssize_t rc;

	if (scope > PCI_TSM_REQ_STATE_CHANGE)
		return -EINVAL;

	guard(rwsem_read)(&pci_tsm_rwsem);
	struct pci_dev *dsm __free(pci_dev_put) = pci_tsm_get_dsm(pdev);
	if (!dsm)
		return -ENXIO;

	guard(device)(&dsm->dev);
	tsm = pdev->tsm;
	if (!pci_tsm_dsm_connected(tsm) || !tsm->tdi)
		return -ENXIO;

	pf0 = pci_tsm_dsm_ctx(dsm->tsm);
	guard(mutex)(&pf0->lock);
	pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_GUEST);
	rc = tsm->tsm_dev->pci_ops->guest_req(tsm->tdi, scope, req_in, in_len,
					      req_out, out_len, tsm_code);
	/* an aborted request never succeeds; a byte count is kept as is */
	if (req.abort && rc >= 0)
		rc = req.abort_reason;
	pci_tsm_req_end(pf0, &req, 0);
	return rc;
}
EXPORT_SYMBOL_GPL(pci_tsm_guest_req);

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
	struct pci_tsm_pf0 *pf0;
	struct pci_tsm_req req;
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
			rc = 0;
		if (!rc) {
			pf0 = pci_tsm_dsm_ctx(tsm);
			guard(mutex)(&pf0->lock);
			pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_REFRESH);
			req.nonce = nonce;
			req.nonce_len = nonce_len;
			/* fresh measurements, bound to the relying party's nonce */
			rc = tsm->tsm_dev->pci_ops->refresh_evidence(tsm,
					PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS, 0,
					(void *)nonce, nonce_len);
			rc = pci_tsm_req_end(pf0, &req, rc);
			if (!rc)
				rc = pci_tsm_evidence_take(pdev,
							   &tsm->evidence);
		}
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

	spin_lock(&pci_tsm_ctx_lock);
	if (pdev->tsm && pdev->tsm->tsm_dev == tsm_dev) {
		pf0 = pci_tsm_dsm_ctx(pdev->tsm);
		if (pf0)
			set_bit(PCI_TSM_PF0_CANCEL, &pf0->flags);
	}
	spin_unlock(&pci_tsm_ctx_lock);
}

/*
 * Release the driver of @pdev and take the device lock with no driver
 * bound: the device is no longer trusted, and acceptance may only be
 * withdrawn with no driver bound.  A driver could bind between the
 * release and the lock (a bind or rescan racing), so no driver may
 * match until the caller restores the returned match_driver, and the
 * release is repeated until the lock is taken with none bound.
 */
static bool pci_tsm_release_driver_lock(struct pci_dev *pdev)
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

/* "tsmN" with an optional newline, as written to the attributes */
static int pci_tsm_parse_name(const char *buf, unsigned int *id)
{
	if (!str_has_prefix(buf, "tsm") || !isdigit(buf[3]))
		return -EINVAL;
	if (kstrtouint(buf + 3, 10, id))
		return -EINVAL;
	return 0;
}

static ssize_t connect_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct tsm_dev *tsm_dev;
	unsigned int id;
	int rc;

	rc = pci_tsm_parse_name(buf, &id);
	if (rc)
		return rc;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		if (!is_pci_tsm_pf0(pdev))
			return -ENXIO;
		rc = device_lock_interruptible(dev);
		if (rc)
			return rc;
		tsm_dev = pci_tsm_lookup(id);
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (pdev->tsm)
			rc = -EBUSY;
		else if (!pci_tsm_is_link_tsm(tsm_dev))
			rc = -ENXIO;
		else
			rc = pci_tsm_connect(pdev, tsm_dev);
		device_unlock(dev);
	}
	if (rc)
		return rc;

	pci_tsm_sysfs_update_fns(pdev);
	return len;
}

/* Name of the link TSM the DSM of @pdev is connected to, or empty */
static ssize_t connect_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	spin_lock(&pci_tsm_ctx_lock);
	tsm = pdev->tsm;
	if (pci_tsm_established(tsm) && pci_tsm_is_link_tsm(tsm->tsm_dev))
		rc = sysfs_emit(buf, "%s\n", dev_name(&tsm->tsm_dev->dev));
	else
		rc = sysfs_emit(buf, "\n");
	spin_unlock(&pci_tsm_ctx_lock);
	return rc;
}
static DEVICE_ATTR_RW(connect);

static ssize_t disconnect_store(struct device *dev,
				struct device_attribute *attr, const char *buf,
				size_t len)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	unsigned int id;
	int rc;

	rc = pci_tsm_parse_name(buf, &id);
	if (rc)
		return rc;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		rc = device_lock_interruptible(dev);
		if (rc)
			return rc;
		tsm = pdev->tsm;
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (!is_pci_tsm_pf0(pdev) || !pci_tsm_dsm_connected(tsm))
			rc = -ENXIO;
		else if (tsm->tsm_dev->id != id)
			rc = -EINVAL;
		else
			pci_tsm_disconnect(pdev);
		device_unlock(dev);
	}
	if (rc)
		return rc;

	pci_tsm_sysfs_update_fns(pdev);
	return len;
}
static DEVICE_ATTR_WO(disconnect);

/* Name of the DSM while it is connected, else empty */
static ssize_t dsm_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	spin_lock(&pci_tsm_ctx_lock);
	tsm = pdev->tsm;
	if (tsm && pci_tsm_established(tsm->dsm_dev->tsm))
		rc = sysfs_emit(buf, "%s\n", pci_name(tsm->dsm_dev));
	else
		rc = sysfs_emit(buf, "\n");
	spin_unlock(&pci_tsm_ctx_lock);
	return rc;
}
static DEVICE_ATTR_RO(dsm);

/* Name of the TSM while the function is bound to a TDI, else empty */
static ssize_t bound_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	spin_lock(&pci_tsm_ctx_lock);
	tsm = pdev->tsm;
	if (tsm && tsm->tdi)
		rc = sysfs_emit(buf, "%s\n", dev_name(&tsm->tsm_dev->dev));
	else
		rc = sysfs_emit(buf, "\n");
	spin_unlock(&pci_tsm_ctx_lock);
	return rc;
}
static DEVICE_ATTR_RO(bound);

/*
 * TVM side (devsec TSM).  In a TVM the host has already connected the
 * device, so lock needs no link connect here: a DSM is either connected
 * to a link TSM or locked by a devsec TSM, never both.  Only the DSM
 * (function 0), whose mailbox carries the TDISP messages, can be locked.
 */

/* Is @tsm a devsec context whose lock completed (ctx lock or DSM lock) */
static bool pci_tsm_devsec_locked(struct pci_tsm *tsm)
{
	return tsm && pci_tsm_is_devsec_tsm(tsm->tsm_dev) &&
	       pci_tsm_established(tsm);
}

static bool pci_tsm_devsec_accepted(struct pci_tsm *tsm)
{
	return pci_tsm_devsec_locked(tsm) &&
	       test_bit(PCI_TSM_PF0_ACCEPTED, &pci_tsm_dsm_ctx(tsm)->flags);
}

/*
 * Lock @pdev with @tsm_dev: the TSM's lock() allocates the context and
 * moves the interface to CONFIG_LOCKED, all or nothing.  Device lock and
 * pci_tsm_rwsem held.
 */
static int pci_tsm_devsec_lock(struct pci_dev *pdev, struct tsm_dev *tsm_dev)
{
	const struct pci_tsm_ops *ops = tsm_dev->pci_ops;
	struct pci_tsm *tsm;
	int rc;

	tsm = ops->lock(tsm_dev, pdev);
	if (IS_ERR_OR_NULL(tsm)) {
		/* what the TSM stored before failing describes no lock */
		pci_tsm_evidence_clear(pdev);
		return tsm ? PTR_ERR(tsm) : -ENXIO;
	}
	if (tsm->pdev != pdev || tsm->dsm_dev != pdev ||
	    tsm->tsm_dev != tsm_dev || tsm->tdi) {
		pci_err(pdev, "%s: lock returned a bad context\n",
			dev_name(&tsm_dev->dev));
		ops->unlock(tsm);
		return -EINVAL;
	}

	/* A device on its way out: the context goes again */
	rc = pci_tsm_publish(pdev, tsm);
	if (rc) {
		pci_tsm_evidence_clear(pdev);
		ops->unlock(tsm);
		return rc;
	}
	set_bit(PCI_TSM_PF0_ESTABLISHED, &pci_tsm_dsm_ctx(tsm)->flags);
	rc = pci_tsm_evidence_take(pdev, &tsm->evidence);
	if (rc) {
		pci_warn(pdev, "evidence not published: %d\n", rc);
		pci_tsm_devsec_unlock(pdev);
		return rc;
	}
	pci_dbg(pdev, "locked by %s\n", dev_name(&tsm_dev->dev));
	return 0;
}

/*
 * Unlock a locked @pdev: withdraw acceptance and the encrypted MMIO,
 * unpublish the context and let the TSM's unlock() stop the interface
 * (STOP_INTERFACE) and free it.  Device lock held, or pci_tsm_rwsem for
 * write.
 */
static void pci_tsm_devsec_unlock(struct pci_dev *pdev)
{
	struct pci_tsm *tsm = pdev->tsm;
	struct pci_tsm_pf0 *pf0 = pci_tsm_dsm_ctx(tsm);

	clear_bit(PCI_TSM_PF0_ESTABLISHED, &pf0->flags);
	clear_bit(PCI_TSM_PF0_ACCEPTED, &pf0->flags);
	/*
	 * No driver is bound here: the callers made sure of it under the
	 * device lock (pci_tsm_release_driver_lock(), or -EBUSY for a user
	 * request, or pci_tsm_stop() before the removal released it)
	 */
	WARN_ON_ONCE(device_cc_reject(&pdev->dev));
	scoped_guard(mutex, &pf0->lock) {
		pci_tsm_mmio_free(pf0->mmio);
		pf0->mmio = NULL;
	}

	/*
	 * unlock() frees the context: nothing may find it from here on.
	 * It cannot fail; an aborted STOP_INTERFACE is the TSM's to report.
	 */
	pci_tsm_evidence_clear(pdev);
	pci_tsm_unpublish(pdev);
	tsm->tsm_dev->pci_ops->unlock(tsm);
	pci_dbg(pdev, "unlocked\n");
}

/*
 * Accept a locked @pdev: the TSM's accept() fetches and hands over the
 * interface report (pci_tsm_accept_report()) and starts the interface,
 * then the private MMIO is published.  Device lock held.
 */
static int pci_tsm_devsec_accept(struct pci_dev *pdev)
{
	struct pci_tsm *tsm = pdev->tsm;
	struct pci_tsm_pf0 *pf0 = pci_tsm_dsm_ctx(tsm);
	const struct pci_tsm_ops *ops = tsm->tsm_dev->pci_ops;
	struct pci_tsm_mmio *m;
	struct pci_tsm_req req;
	int rc;

	m = pci_tsm_mmio_alloc();
	if (!m)
		return -ENOMEM;
	scoped_guard(mutex, &pf0->lock) {
		pf0->mmio = m;
		pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_ACCEPT);
		rc = pci_tsm_req_end(pf0, &req, ops->accept(pdev));
		if (rc)
			pf0->mmio = NULL;
	}
	if (rc) {
		pci_tsm_mmio_free(m);
		return rc;
	}

	rc = pci_tsm_mmio_publish(pdev, m);
	if (!rc)
		rc = device_cc_accept(&pdev->dev);
	if (rc) {
		/*
		 * The interface runs (START_INTERFACE) but the guest cannot
		 * use it as accepted, and TDISP has no way back to
		 * CONFIG_LOCKED: fail closed, stop the interface and drop
		 * the lock (the MMIO goes with the context).
		 */
		pci_warn(pdev, "TSM: accept failed after the interface started: %d\n",
			 rc);
		pci_tsm_devsec_unlock(pdev);
		return rc;
	}
	set_bit(PCI_TSM_PF0_ACCEPTED, &pf0->flags);
	pci_dbg(pdev, "accepted\n");
	return 0;
}

/* Lock @pdev for @tsm_dev if it may be.  Device lock and rwsem held. */
static int pci_tsm_devsec_lock_checked(struct pci_dev *pdev,
				       struct tsm_dev *tsm_dev)
{
	/* upstream's order: busy, not a devsec TSM, a driver bound */
	if (pdev->tsm)
		return -EBUSY;
	if (!pci_tsm_is_devsec_tsm(tsm_dev))
		return -ENXIO;
	if (pdev->dev.driver)
		return -EBUSY;
	if (!is_pci_tsm_pf0(pdev))
		return -ENXIO;
	return pci_tsm_devsec_lock(pdev, tsm_dev);
}

/*
 * Unlock @pdev if TSM @id locked it (-EINVAL if not locked, or not by
 * @id).  Device lock and rwsem held.
 */
static int pci_tsm_devsec_unlock_checked(struct pci_dev *pdev,
					 unsigned int id)
{
	if (!pci_tsm_devsec_locked(pdev->tsm) ||
	    pdev->tsm->tsm_dev->id != id)
		return -EINVAL;
	if (pdev->dev.driver)
		return -EBUSY;
	pci_tsm_devsec_unlock(pdev);
	return 0;
}

enum pci_tsm_devsec_op {
	PCI_TSM_DEVSEC_LOCK,
	PCI_TSM_DEVSEC_UNLOCK,
};

static ssize_t pci_tsm_devsec_store(struct device *dev, const char *buf,
				    enum pci_tsm_devsec_op op)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct tsm_dev *tsm_dev;
	unsigned int id;
	int rc;

	rc = pci_tsm_parse_name(buf, &id);
	if (rc)
		return rc;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		rc = device_lock_interruptible(dev);
		if (rc)
			return rc;
		tsm_dev = pci_tsm_lookup(id);
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (op == PCI_TSM_DEVSEC_LOCK)
			rc = pci_tsm_devsec_lock_checked(pdev, tsm_dev);
		else
			rc = pci_tsm_devsec_unlock_checked(pdev, id);
		device_unlock(dev);
	}
	if (rc)
		return rc;

	pci_tsm_sysfs_update_fns(pdev);
	return 0;
}

static ssize_t lock_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	return pci_tsm_devsec_store(dev, buf, PCI_TSM_DEVSEC_LOCK) ?: len;
}

/* Name of the devsec TSM that locked @pdev, or empty */
static ssize_t lock_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	/* scoped: sparse does not follow a function-wide spinlock guard */
	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		tsm = pdev->tsm;
		if (pci_tsm_devsec_locked(tsm))
			rc = sysfs_emit(buf, "%s\n",
					dev_name(&tsm->tsm_dev->dev));
		else
			rc = sysfs_emit(buf, "\n");
	}
	return rc;
}
static DEVICE_ATTR_RW(lock);

static ssize_t unlock_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	return pci_tsm_devsec_store(dev, buf, PCI_TSM_DEVSEC_UNLOCK) ?: len;
}
static DEVICE_ATTR_WO(unlock);

static ssize_t accept_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	bool accept;
	int rc;

	if (kstrtobool(buf, &accept) || !accept)
		return -EINVAL;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		rc = device_lock_interruptible(dev);
		if (rc)
			return rc;
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (!pci_tsm_devsec_locked(pdev->tsm))
			rc = -EINVAL;
		else if (dev->driver)
			rc = -EBUSY;
		else if (pci_tsm_devsec_accepted(pdev->tsm))
			rc = 0;
		else
			rc = pci_tsm_devsec_accept(pdev);
		device_unlock(dev);
	}
	if (rc) {
		/* A failure after the interface started unlocked @pdev */
		if (!READ_ONCE(pdev->tsm))
			pci_tsm_sysfs_update_fns(pdev);
		return rc;
	}
	return len;
}

static ssize_t accept_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	bool accepted;

	scoped_guard(spinlock, &pci_tsm_ctx_lock)
		accepted = pci_tsm_devsec_accepted(pdev->tsm);
	return sysfs_emit(buf, "%d\n", accepted);
}
static DEVICE_ATTR_RW(accept);

static struct attribute *pci_tsm_attrs[] = {
	/* First: its visibility decides whether tsm/ exists at all */
	&dev_attr_connect.attr,
	&dev_attr_disconnect.attr,
	&dev_attr_dsm.attr,
	&dev_attr_bound.attr,
	&dev_attr_lock.attr,
	&dev_attr_unlock.attr,
	&dev_attr_accept.attr,
	NULL
};

/* A link TSM is registered and @pdev is a DSM it could connect */
static bool pci_tsm_link_visible(struct pci_dev *pdev)
{
	return READ_ONCE(pci_tsm_nr_link) && is_pci_tsm_pf0(pdev);
}

static umode_t pci_tsm_attr_visible(struct kobject *kobj,
				    struct attribute *a, int n)
{
	struct pci_dev *pdev = to_pci_dev(kobj_to_dev(kobj));
	bool link, fn, devsec;

	if (!READ_ONCE(pci_tsm_nr_link) && !READ_ONCE(pci_tsm_nr_devsec))
		return n == 0 ? SYSFS_GROUP_INVISIBLE : 0;

	link = pci_tsm_link_visible(pdev);
	/* A function depending on a connected DSM */
	fn = !!READ_ONCE(pdev->tsm);
	devsec = READ_ONCE(pci_tsm_nr_devsec) && pci_tsm_has_tee(pdev);

	if (a == &dev_attr_connect.attr || a == &dev_attr_disconnect.attr) {
		if (link)
			return a->mode;
	} else if (a == &dev_attr_dsm.attr || a == &dev_attr_bound.attr) {
		if (link || fn)
			return a->mode;
	} else if (devsec) {
		return a->mode;
	}

	if (n == 0 && !link && !fn && !devsec)
		return SYSFS_GROUP_INVISIBLE;
	return 0;
}

const struct attribute_group pci_tsm_attr_group = {
	.name = "tsm",
	.attrs = pci_tsm_attrs,
	.is_visible = pci_tsm_attr_visible,
};

/*
 * The CMA "authenticated" attribute: on a DSM it mirrors tsm/connect; on
 * the other functions of a connected DSM it names the same TSM
 */
static ssize_t authenticated_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	spin_lock(&pci_tsm_ctx_lock);
	tsm = pdev->tsm;
	if (pci_tsm_dsm_connected(tsm))
		rc = sysfs_emit(buf, "%s\n", dev_name(&tsm->tsm_dev->dev));
	else
		rc = sysfs_emit(buf, "\n");
	spin_unlock(&pci_tsm_ctx_lock);
	return rc;
}
static DEVICE_ATTR_RO(authenticated);

static struct attribute *pci_tsm_auth_attrs[] = {
	&dev_attr_authenticated.attr,
	NULL
};

static umode_t pci_tsm_auth_attr_visible(struct kobject *kobj,
					 struct attribute *a, int n)
{
	struct pci_dev *pdev = to_pci_dev(kobj_to_dev(kobj));
	struct pci_tsm *tsm;

	bool fn;

	if (pci_tsm_link_visible(pdev))
		return a->mode;
	/* a function that a link TSM's connect gave a context */
	spin_lock(&pci_tsm_ctx_lock);
	tsm = pdev->tsm;
	fn = tsm && tsm->dsm_dev != pdev && pci_tsm_is_link_tsm(tsm->tsm_dev);
	spin_unlock(&pci_tsm_ctx_lock);
	return fn ? a->mode : 0;
}

const struct attribute_group pci_tsm_auth_attr_group = {
	.attrs = pci_tsm_auth_attrs,
	.is_visible = pci_tsm_auth_attr_visible,
};
