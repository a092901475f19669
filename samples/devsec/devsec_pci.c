// SPDX-License-Identifier: GPL-2.0
/*
 * devsec_pci: an ordinary PCI driver for the sample's endpoints.
 *
 * Nothing in it knows about TEE I/O: it enables the device and maps BAR 0
 * in probe, like most drivers.  It is what the TVM tests bind to a device
 * before and after the guest accepted it.  Its id entry matches the
 * sample endpoint only through driver_override, so it never claims a
 * device nobody pointed it at.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include "devsec.h"

/**
 * struct devsec_pci - per-device state
 * @base: BAR 0, mapped in probe
 */
struct devsec_pci {
	void __iomem *base;
};

static int devsec_pci_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	struct devsec_pci *dp;
	int rc;

	dp = devm_kzalloc(&pdev->dev, sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return -ENOMEM;

	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;

	/*
	 * After a confidential guest accepted the device, BAR 0 holds
	 * private MMIO that ioremap() must map encrypted, next to the shared
	 * MSI-X page.  A whole-BAR mapping mixes both, and where the platform
	 * cannot map encrypted MMIO at all ioremap() refuses: either way the
	 * BAR is not usable the way this driver wants it, so the device is
	 * not for this driver (-EINVAL), not out of memory.
	 */
	dp->base = pcim_iomap(pdev, 0, 0);
	if (!dp->base) {
		pci_info(pdev, "BAR 0 cannot be mapped\n");
		return -EINVAL;
	}

	pci_set_drvdata(pdev, dp);
	pci_info(pdev, "bound, BAR 0 at %pR\n", pci_resource_n(pdev, 0));
	return 0;
}

static const struct pci_device_id devsec_pci_ids[] = {
	{
		PCI_DEVICE(DEVSEC_EP_VENDOR, DEVSEC_EP_DEVICE),
		.override_only = PCI_ID_F_VFIO_DRIVER_OVERRIDE,
	},
	{ }
};
MODULE_DEVICE_TABLE(pci, devsec_pci_ids);

static struct pci_driver devsec_pci_driver = {
	.name = "devsec_pci",
	.id_table = devsec_pci_ids,
	.probe = devsec_pci_probe,
};
module_pci_driver(devsec_pci_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devsec sample: an ordinary driver for the simulated endpoint");
