// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM: private MMIO of an accepted TEE device interface.
 *
 * While a devsec TSM accepts a TDI it hands the core the TDISP interface
 * report (pci_tsm_accept_report()); the core validates it (tdisp.c) and,
 * once the interface runs, publishes each private MMIO range as a child
 * resource "PCI MMIO Encrypted" (IORES_DESC_ENCRYPTED) of its BAR, where
 * ioremap() finds it.  Ranges the device reports as non-TEE (the MSI-X
 * table and PBA) get no resource and stay shared: /proc/iomem shows them
 * as holes in the BAR.  A driver that claims the whole BAR
 * (pci_request_regions()) gets a busy region between the BAR and these
 * resources.  Unlock withdraws the resources.
 */
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/pci-tdisp.h>
#include <linux/pci-tsm.h>
#include <linux/pci-tsm-netlink.h>
#include <linux/slab.h>
#include <linux/sched.h>

#include "core.h"

/**
 * struct pci_tsm_mmio - validated MMIO ranges of a TDI and their resources
 * @reported: the TSM handed over a valid report during this accept
 * @nr_ranges: number of entries of @ranges
 * @ranges: ranges of the report, validated against the BARs
 * @nr_res: number of entries of @res inserted in the resource tree
 * @res: one resource per private range
 */
struct pci_tsm_mmio {
	bool reported;
	unsigned int nr_ranges;
	struct pci_tdisp_range ranges[PCI_TDISP_MAX_MMIO_RANGES];
	unsigned int nr_res;
	struct resource res[PCI_TDISP_MAX_MMIO_RANGES];
};

struct pci_tsm_mmio *pci_tsm_mmio_alloc(void)
{
	return kzalloc(sizeof(struct pci_tsm_mmio), GFP_KERNEL);
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
	struct pci_tsm_mmio *m;
	int i, rc;

	/* only from accept(), inside the request the core opened for it */
	if (!pf0 || tsm->pdev != pdev)
		return -EINVAL;
	if (!pf0->req || pf0->req->owner != current ||
	    pf0->req->type != PCI_TSM_REQ_ACCEPT || !pf0->mmio)
		return -EINVAL;
	m = pf0->mmio;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct resource *res = pci_resource_n(pdev, i);

		if (!(resource_type(res) & IORESOURCE_MEM) || !res->parent)
			continue;
		bars[i].start = res->start;
		bars[i].end = res->end;
	}

	rc = pci_tdisp_parse_report(report, len, mmio_offset, bars,
				    ARRAY_SIZE(bars), m->ranges,
				    ARRAY_SIZE(m->ranges));
	if (rc < 0) {
		pci_warn(pdev, "TSM: invalid interface report: %d\n", rc);
		return rc;
	}
	m->nr_ranges = rc;
	m->reported = true;
	/* the relying party reads the report as evidence type "report" */
	return pci_tsm_evidence_set(pdev, PCI_TSM_EVIDENCE_TYPE_REPORT, report,
				    len);
}
EXPORT_SYMBOL_GPL(pci_tsm_accept_report);

/*
 * Withdraw the resources of @m, newest first.  A driver's region requested
 * inside one (a part of a private range) stays in the tree, one level up,
 * and can still be released; one that encloses them (a whole BAR, see
 * __request_region()) just loses them.
 */
void pci_tsm_mmio_unpublish(struct pci_tsm_mmio *m)
{
	while (m->nr_res)
		remove_resource(&m->res[--m->nr_res]);
}

/*
 * Insert a "PCI MMIO Encrypted" resource under its BAR for each private
 * range of the report.  All or nothing.
 */
int pci_tsm_mmio_publish(struct pci_dev *pdev, struct pci_tsm_mmio *m)
{
	unsigned int i;
	int rc;

	if (!m->reported)
		return -EPROTO;

	for (i = 0; i < m->nr_ranges; i++) {
		const struct pci_tdisp_range *r = &m->ranges[i];
		struct resource *res = &m->res[m->nr_res];

		if (r->attr & PCI_TDISP_MMIO_NON_TEE)
			continue;
		*res = DEFINE_RES_MEM_NAMED(r->start, r->end - r->start + 1,
					    "PCI MMIO Encrypted");
		res->desc = IORES_DESC_ENCRYPTED;
		rc = request_resource(pci_resource_n(pdev, r->bar), res);
		if (rc) {
			pci_warn(pdev, "TSM: cannot claim %pR: %d\n", res, rc);
			pci_tsm_mmio_unpublish(m);
			return rc;
		}
		m->nr_res++;
	}
	return 0;
}

void pci_tsm_mmio_free(struct pci_tsm_mmio *m)
{
	if (!m)
		return;
	pci_tsm_mmio_unpublish(m);
	kfree(m);
}
