// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM: private MMIO of an accepted TEE device interface.
 *
 * While a devsec TSM accepts a TDI it hands the core the TDISP interface
 * report (pci_tsm_accept_report()); the core validates it (tdisp.c) and,
 * once the interface runs, describes each private MMIO range in a struct
 * pci_tsm_mmio (pci_tsm_mmio_alloc()) and publishes it as a child
 * resource "PCI MMIO Encrypted" (IORES_DESC_ENCRYPTED) of its BAR
 * (pci_tsm_mmio_setup()), where ioremap() finds it.  Ranges the device
 * reports as non-TEE (the MSI-X table and PBA) get no resource and stay
 * shared: /proc/iomem shows them as holes in the BAR.  A driver that
 * claims the whole BAR (pci_request_regions()) gets a busy region between
 * the BAR and these resources.  Unlock withdraws the resources
 * (pci_tsm_mmio_teardown()) and frees them (pci_tsm_mmio_free()).
 */
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pci-tdisp.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-netlink.h>
#include <linux/slab.h>
#include <linux/sched.h>

#include "core.h"

/**
 * struct pci_tsm_accept - the interface report of an accept, and its MMIO
 * @reported: the TSM handed over a valid report during this accept
 * @mmio_offset: the MMIO reporting offset the report was made with
 * @nr_ranges: number of entries of @ranges
 * @ranges: ranges of the report, validated against the BARs
 * @mmio: the encrypted MMIO published from @ranges, once accepted
 */
struct pci_tsm_accept {
	bool reported;
	u64 mmio_offset;
	unsigned int nr_ranges;
	struct pci_tdisp_range ranges[PCI_TDISP_MAX_MMIO_RANGES];
	struct pci_tsm_mmio *mmio;
};

struct pci_tsm_accept *pci_tsm_accept_alloc(void)
{
	return kzalloc(sizeof(struct pci_tsm_accept), GFP_KERNEL);
}

/**
 * pci_tsm_accept_report() - hand the interface report to the core
 * @pdev: the function being accepted
 * @report: the TDI report structure (PCIe r6.1 sec 11.3.11) as received
 * @len: its length in bytes
 * @mmio_offset: the MMIO reporting offset the TSM gave in LOCK_INTERFACE
 *
 * Called by a devsec TSM's accept() before it starts the interface, so
 * that a report the core refuses stops the accept while the interface is
 * still CONFIG_LOCKED.  The core keeps what it needs; @report may be
 * freed on return.
 *
 * Return: 0, -EINVAL when not called from accept() or the report is
 * malformed or names MMIO outside the function's BARs, -E2BIG when it has
 * too many ranges.
 */
int pci_tsm_accept_report(struct pci_dev *pdev, const void *report,
			  size_t len, u64 mmio_offset)
{
	struct pci_tdisp_bar bars[PCI_STD_NUM_BARS] = {};
	struct pci_tsm *tsm = READ_ONCE(pdev->tsm);
	struct pci_tsm_pf0 *pf0 = to_pci_tsm_pf0(tsm);
	struct pci_tsm_accept *a;
	int i, rc;

	/* only from accept(), inside the request the core opened for it */
	if (!pf0 || tsm->pdev != pdev)
		return -EINVAL;
	if (!pf0->req || pf0->req->owner != current ||
	    pf0->req->type != PCI_TSM_REQ_ACCEPT || !pf0->accept)
		return -EINVAL;
	a = pf0->accept;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct resource *res = pci_resource_n(pdev, i);

		if (!(resource_type(res) & IORESOURCE_MEM) || !res->parent)
			continue;
		bars[i].start = res->start;
		bars[i].end = res->end;
	}

	rc = pci_tdisp_parse_report(report, len, mmio_offset, bars,
				    ARRAY_SIZE(bars), a->ranges,
				    ARRAY_SIZE(a->ranges));
	if (rc < 0) {
		pci_warn(pdev, "TSM: invalid interface report: %d\n", rc);
		return rc;
	}
	a->nr_ranges = rc;
	a->mmio_offset = mmio_offset;
	a->reported = true;
	/* the relying party reads the report as evidence type "report" */
	return pci_tsm_evidence_set(pdev, PCI_TSM_EVIDENCE_TYPE_REPORT, report,
				    len);
}
EXPORT_SYMBOL_GPL(pci_tsm_accept_report);

/* The memory BAR of @pdev that contains @res, or NULL */
static struct resource *pci_tsm_mmio_bar(struct pci_dev *pdev,
					 const struct resource *res)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct resource *bar = pci_resource_n(pdev, i);

		if ((resource_type(bar) & IORESOURCE_MEM) && bar->parent &&
		    resource_contains(bar, res))
			return bar;
	}
	return NULL;
}

/* Withdraw the published resources of @mmio's first @nr entries, newest first */
static void pci_tsm_mmio_remove(struct pci_tsm_mmio *mmio, int nr)
{
	while (nr--) {
		struct resource *res = pci_tsm_mmio_resource(mmio, nr);

		if (res->parent)
			remove_resource(res);
	}
}

/**
 * pci_tsm_mmio_setup() - publish encrypted MMIO of a device in iomem
 * @pdev: the function the ranges belong to, its device lock held and no
 *	driver bound
 * @mmio: the ranges; only &resource.start and &resource.end of each entry
 *	need be set
 *
 * Inserts each range as a "PCI MMIO Encrypted" (IORES_DESC_ENCRYPTED)
 * child of the memory BAR that contains it, where ioremap() looks for it.
 * All or nothing.  A driver's region that encloses them later (a whole
 * BAR, pci_request_regions()) keeps them beneath it.
 *
 * Return: 0, -EBUSY when a driver is bound or a range overlaps a region
 * already claimed in its BAR, -EINVAL for an empty or inverted range or
 * one outside the memory BARs.
 */
int pci_tsm_mmio_setup(struct pci_dev *pdev, struct pci_tsm_mmio *mmio)
{
	int i, rc = 0;

	device_lock_assert(&pdev->dev);
	if (pdev->dev.driver)
		return -EBUSY;

	for (i = 0; i < mmio->nr; i++) {
		struct resource *res = pci_tsm_mmio_resource(mmio, i);
		struct resource *bar;

		if (!res->end || res->end < res->start) {
			rc = -EINVAL;
			break;
		}
		/* only the range is the caller's: name, type and desc are ours */
		*res = DEFINE_RES_MEM_NAMED(res->start, resource_size(res),
					    "PCI MMIO Encrypted");
		res->desc = IORES_DESC_ENCRYPTED;

		bar = pci_tsm_mmio_bar(pdev, res);
		if (!bar) {
			pci_warn(pdev, "TSM: %pR is outside of the device's MMIO\n",
				 res);
			rc = -EINVAL;
			break;
		}
		if (request_resource(bar, res)) {
			pci_warn(pdev, "TSM: cannot claim %pR\n", res);
			rc = -EBUSY;
			break;
		}
	}
	if (rc)
		pci_tsm_mmio_remove(mmio, i);
	return rc;
}
EXPORT_SYMBOL_GPL(pci_tsm_mmio_setup);

/**
 * pci_tsm_mmio_teardown() - withdraw what pci_tsm_mmio_setup() published
 * @mmio: the ranges
 *
 * A driver's region requested inside a range (a part of it) stays in the
 * tree, one level up, and can still be released; one that encloses them
 * (a whole BAR, see __request_region()) just loses them.  Entries that
 * are not published are skipped.
 */
void pci_tsm_mmio_teardown(struct pci_tsm_mmio *mmio)
{
	pci_tsm_mmio_remove(mmio, mmio->nr);
}
EXPORT_SYMBOL_GPL(pci_tsm_mmio_teardown);

/**
 * pci_tsm_mmio_alloc() - describe the encrypted MMIO of an interface
 * @pdev: the function being accepted or accepted, its device lock held
 *
 * Builds the private (TEE) ranges of the interface report that the devsec
 * TSM handed over with pci_tsm_accept_report(), already validated against
 * the BARs, into a &struct pci_tsm_mmio for pci_tsm_mmio_setup().  Free
 * it with pci_tsm_mmio_free().
 *
 * Return: the ranges (possibly none), or NULL when @pdev has no valid
 * report or on allocation failure.
 */
struct pci_tsm_mmio *pci_tsm_mmio_alloc(struct pci_dev *pdev)
{
	struct pci_tsm_pf0 *pf0 = to_pci_tsm_pf0(READ_ONCE(pdev->tsm));
	struct pci_tsm_mmio *mmio;
	struct pci_tsm_accept *a;
	unsigned int i, n = 0;

	if (!pf0 || pf0->base_tsm.pdev != pdev)
		return NULL;
	a = pf0->accept;
	if (!a || !a->reported)
		return NULL;

	for (i = 0; i < a->nr_ranges; i++)
		if (!(a->ranges[i].attr & PCI_TDISP_MMIO_NON_TEE))
			n++;
	mmio = kzalloc(struct_size(mmio, mmio, n), GFP_KERNEL);
	if (!mmio)
		return NULL;

	for (i = 0; i < a->nr_ranges; i++) {
		const struct pci_tdisp_range *r = &a->ranges[i];
		struct pci_tsm_mmio_entry *e;

		if (r->attr & PCI_TDISP_MMIO_NON_TEE)
			continue;
		/* counted first: the entry must be inside the counted array */
		mmio->nr++;
		e = pci_tsm_mmio_entry(mmio, mmio->nr - 1);
		e->res = DEFINE_RES_MEM_NAMED(r->start, r->end - r->start + 1,
					      "PCI MMIO Encrypted");
		e->res.desc = IORES_DESC_ENCRYPTED;
		e->tsm_offset = a->mmio_offset;
	}
	return mmio;
}
EXPORT_SYMBOL_GPL(pci_tsm_mmio_alloc);

/**
 * pci_tsm_mmio_free() - free what pci_tsm_mmio_alloc() returned
 * @pdev: the function the ranges belong to
 * @mmio: the ranges, torn down, or NULL
 *
 * Return: 0, or -EBUSY (and @mmio is not freed) when a range is still
 * published: pci_tsm_mmio_teardown() first.
 */
int pci_tsm_mmio_free(struct pci_dev *pdev, struct pci_tsm_mmio *mmio)
{
	int i;

	if (!mmio)
		return 0;
	for (i = 0; i < mmio->nr; i++) {
		struct resource *res = pci_tsm_mmio_resource(mmio, i);

		if (dev_WARN_ONCE(&pdev->dev, res->parent,
				  "TSM: MMIO %pR still published\n", res))
			return -EBUSY;
	}
	kfree(mmio);
	return 0;
}
EXPORT_SYMBOL_GPL(pci_tsm_mmio_free);

/*
 * Publish the encrypted MMIO of the report @a holds for @pdev (device lock
 * held, no driver bound).  All or nothing.
 */
int pci_tsm_accept_publish(struct pci_dev *pdev, struct pci_tsm_accept *a)
{
	struct pci_tsm_mmio *mmio;
	int rc;

	if (!a->reported)
		return -EPROTO;
	mmio = pci_tsm_mmio_alloc(pdev);
	if (!mmio)
		return -ENOMEM;
	rc = pci_tsm_mmio_setup(pdev, mmio);
	if (rc) {
		pci_tsm_mmio_free(pdev, mmio);
		return rc;
	}
	a->mmio = mmio;
	return 0;
}

/* Withdraw and free the encrypted MMIO of @a, then @a */
void pci_tsm_accept_free(struct pci_dev *pdev, struct pci_tsm_accept *a)
{
	if (!a)
		return;
	if (a->mmio) {
		pci_tsm_mmio_teardown(a->mmio);
		pci_tsm_mmio_free(pdev, a->mmio);
	}
	kfree(a);
}
