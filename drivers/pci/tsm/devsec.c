// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM devsec operations: in a TVM, lock, accept and unlock a device
 * interface with a TVM-side ("devsec") TSM (TDISP, PCIe r6.1 sec 11).
 * See core.c for the lifetimes and the locking.
 */

#define dev_fmt(fmt) "TSM: " fmt

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/tsm.h>

#include "../pci.h"
#include "core.h"

/*
 * TVM side (devsec TSM).  In a TVM the host has already connected the
 * device, so lock needs no link connect here: a DSM is either connected
 * to a link TSM or locked by a devsec TSM, never both.  Only the DSM
 * (function 0), whose mailbox carries the TDISP messages, can be locked.
 */

/* Is @tsm a devsec context whose lock completed (ctx lock or DSM lock) */
bool pci_tsm_devsec_locked(struct pci_tsm *tsm)
{
	return tsm && pci_tsm_is_devsec_tsm(tsm->tsm_dev) &&
	       pci_tsm_established(tsm);
}

bool pci_tsm_devsec_accepted(struct pci_tsm *tsm)
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
	rc = pci_tsm_evidence_take(pdev, &tsm->evidence,
				   PCI_TSM_EVIDENCE_TYPE_FLAG_MASK);
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
void pci_tsm_devsec_unlock(struct pci_dev *pdev)
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
		pci_tsm_accept_free(pdev, pf0->accept);
		pf0->accept = NULL;
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
int pci_tsm_devsec_accept(struct pci_dev *pdev)
{
	struct pci_tsm *tsm = pdev->tsm;
	struct pci_tsm_pf0 *pf0 = pci_tsm_dsm_ctx(tsm);
	const struct pci_tsm_ops *ops = tsm->tsm_dev->pci_ops;
	struct pci_tsm_accept *a;
	struct pci_tsm_req req;
	int rc;

	a = pci_tsm_accept_alloc();
	if (!a)
		return -ENOMEM;
	scoped_guard(mutex, &pf0->lock) {
		pf0->accept = a;
		pci_tsm_req_open(pf0, &req, tsm, PCI_TSM_REQ_ACCEPT);
		rc = pci_tsm_req_end(pf0, &req, ops->accept(pdev));
		if (rc)
			pf0->accept = NULL;
	}
	if (rc) {
		pci_tsm_accept_free(pdev, a);
		return rc;
	}

	rc = pci_tsm_accept_publish(pdev, a);
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
int pci_tsm_devsec_lock_checked(struct pci_dev *pdev, struct tsm_dev *tsm_dev)
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
int pci_tsm_devsec_unlock_checked(struct pci_dev *pdev, unsigned int id)
{
	if (!pci_tsm_devsec_locked(pdev->tsm) ||
	    pdev->tsm->tsm_dev->id != id)
		return -EINVAL;
	if (pdev->dev.driver)
		return -EBUSY;
	pci_tsm_devsec_unlock(pdev);
	return 0;
}
