// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM link operations: connect and disconnect a Device Security
 * Manager (DSM) with a platform ("link") TSM, the contexts of the other
 * functions of its device, and binding them to TEE Device Interfaces
 * (TDIs) for a VM.  See core.c for the lifetimes and the locking.
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
void pci_tsm_remove_fn(struct pci_dev *pdev)
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
void pci_tsm_disconnect(struct pci_dev *dsm)
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
int pci_tsm_connect(struct pci_dev *dsm, struct tsm_dev *tsm_dev)
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
	rc = pci_tsm_evidence_take(dsm, &tsm->evidence,
				   PCI_TSM_EVIDENCE_TYPE_FLAG_MASK);
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
