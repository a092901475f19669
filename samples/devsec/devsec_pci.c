// SPDX-License-Identifier: GPL-2.0
/*
 * devsec_pci: an ordinary PCI driver for the sample's endpoints.
 *
 * Nothing in it knows about TEE I/O: it enables the device, claims and
 * maps BAR 0 in probe with pcim_iomap_regions(), like most drivers.  It is
 * what the TVM tests bind to a device before and after the guest accepted
 * it.  Its id entry matches the sample endpoint only through
 * driver_override, so it never claims a device nobody pointed it at.
 *
 * For the tests it also has debugfs files under devsec_pci/ that act on
 * any PCI device by name, bound or not:
 *
 *  - "regions": write "request DEV" to pci_request_regions() DEV (one
 *    device at a time), "release" to release them; reads the device held.
 *  - "ioremap": write "DEV BAR OFFSET LENGTH" to ioremap() that part of a
 *    BAR and unmap it again; reads how it was mapped: "encrypted",
 *    "shared" or "refused".
 *  - "accepted": write "DEV" to look up whether the confidential guest
 *    accepted DEV (device_cc_accepted()); reads "1" or "0", or "" before
 *    the first lookup.
 */
#include <linux/cc_platform.h>
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pgtable.h>
#include <linux/string.h>

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
	 * private MMIO that ioremap() maps encrypted (the shared MSI-X
	 * page is in BAR 2).  Where the platform cannot map encrypted MMIO at all,
	 * ioremap() refuses and this fails with -EINVAL: the device is not
	 * usable by this driver there.
	 */
	rc = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (rc) {
		pci_info(pdev, "BAR 0 cannot be claimed and mapped: %d\n", rc);
		return rc;
	}
	dp->base = pcim_iomap_table(pdev)[0];

	pci_set_drvdata(pdev, dp);
	pci_info(pdev, "bound, BAR 0 at %pR\n", pci_resource_n(pdev, 0));
	return 0;
}

/* Test hooks, see the top of the file */
static DEFINE_MUTEX(devsec_pci_test_lock);
static struct pci_dev *devsec_pci_held;
static const char *devsec_pci_mapped = "";
static struct dentry *devsec_pci_debugfs;

static struct pci_dev *devsec_pci_get(const char *name)
{
	struct device *dev = bus_find_device_by_name(&pci_bus_type, NULL, name);

	return dev ? to_pci_dev(dev) : NULL;
}

static ssize_t devsec_pci_regions_write(struct file *file, const char __user *ubuf,
					size_t len, loff_t *ppos)
{
	char buf[64], *name;
	struct pci_dev *pdev;
	int rc;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	name = strim(buf);

	guard(mutex)(&devsec_pci_test_lock);
	if (sysfs_streq(name, "release")) {
		if (!devsec_pci_held)
			return -ENOENT;
		pci_release_regions(devsec_pci_held);
		pci_dev_put(devsec_pci_held);
		devsec_pci_held = NULL;
		return len;
	}
	if (!str_has_prefix(name, "request "))
		return -EINVAL;
	if (devsec_pci_held)
		return -EBUSY;
	pdev = devsec_pci_get(skip_spaces(name + strlen("request ")));
	if (!pdev)
		return -ENODEV;
	rc = pci_request_regions(pdev, "devsec_pci test");
	if (rc) {
		pci_dev_put(pdev);
		return rc;
	}
	devsec_pci_held = pdev;
	return len;
}

static int devsec_pci_regions_show(struct seq_file *s, void *unused)
{
	guard(mutex)(&devsec_pci_test_lock);
	if (devsec_pci_held)
		seq_printf(s, "%s\n", pci_name(devsec_pci_held));
	return 0;
}

static int devsec_pci_regions_open(struct inode *inode, struct file *file)
{
	return single_open(file, devsec_pci_regions_show, NULL);
}

static const struct file_operations devsec_pci_regions_fops = {
	.owner = THIS_MODULE,
	.open = devsec_pci_regions_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = devsec_pci_regions_write,
};

/* How the page of @addr is mapped */
static const char *devsec_pci_encryption(void __iomem *addr)
{
	unsigned int level;
	pte_t *pte;

	/* without guest memory encryption, every mapping is shared */
	if (!cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return "shared";
	pte = lookup_address((unsigned long)addr, &level);
	if (!pte)
		return "unmapped";
	/* AMD SEV: the C-bit; TDX: the shared bit is not in _PAGE_ENC */
	if (_PAGE_ENC)
		return pte_flags(*pte) & _PAGE_ENC ? "encrypted" : "shared";
	return "mapped";
}

static ssize_t devsec_pci_ioremap_write(struct file *file, const char __user *ubuf,
					size_t len, loff_t *ppos)
{
	char buf[96], name[32];
	unsigned long long off, size;
	void __iomem *addr;
	struct pci_dev *pdev;
	unsigned int bar;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%31s %u %lli %lli", name, &bar, &off, &size) != 4)
		return -EINVAL;
	if (bar >= PCI_STD_NUM_BARS)
		return -EINVAL;

	pdev = devsec_pci_get(name);
	if (!pdev)
		return -ENODEV;
	if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) || !size ||
	    off >= pci_resource_len(pdev, bar) ||
	    size > pci_resource_len(pdev, bar) - off) {
		pci_dev_put(pdev);
		return -EINVAL;
	}

	guard(mutex)(&devsec_pci_test_lock);
	addr = ioremap(pci_resource_start(pdev, bar) + off, size);
	if (addr) {
		devsec_pci_mapped = devsec_pci_encryption(addr);
		iounmap(addr);
	} else {
		devsec_pci_mapped = "refused";
	}
	pci_dev_put(pdev);
	return len;
}

static int devsec_pci_ioremap_show(struct seq_file *s, void *unused)
{
	guard(mutex)(&devsec_pci_test_lock);
	seq_printf(s, "%s\n", devsec_pci_mapped);
	return 0;
}

static int devsec_pci_ioremap_open(struct inode *inode, struct file *file)
{
	return single_open(file, devsec_pci_ioremap_show, NULL);
}

static const struct file_operations devsec_pci_ioremap_fops = {
	.owner = THIS_MODULE,
	.open = devsec_pci_ioremap_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = devsec_pci_ioremap_write,
};

static const char *devsec_pci_accepted = "";

static ssize_t devsec_pci_accepted_write(struct file *file,
					 const char __user *ubuf, size_t len,
					 loff_t *ppos)
{
	char name[32];
	struct pci_dev *pdev;

	if (len >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, len))
		return -EFAULT;
	name[len] = '\0';
	pdev = devsec_pci_get(strim(name));
	if (!pdev)
		return -ENODEV;
	guard(mutex)(&devsec_pci_test_lock);
	devsec_pci_accepted = device_cc_accepted(&pdev->dev) ? "1" : "0";
	pci_dev_put(pdev);
	return len;
}

static int devsec_pci_accepted_show(struct seq_file *s, void *unused)
{
	guard(mutex)(&devsec_pci_test_lock);
	seq_printf(s, "%s\n", devsec_pci_accepted);
	return 0;
}

static int devsec_pci_accepted_open(struct inode *inode, struct file *file)
{
	return single_open(file, devsec_pci_accepted_show, NULL);
}

static const struct file_operations devsec_pci_accepted_fops = {
	.owner = THIS_MODULE,
	.open = devsec_pci_accepted_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = devsec_pci_accepted_write,
};

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

static int __init devsec_pci_init(void)
{
	int rc;

	devsec_pci_debugfs = debugfs_create_dir("devsec_pci", NULL);
	debugfs_create_file("regions", 0600, devsec_pci_debugfs, NULL,
			    &devsec_pci_regions_fops);
	debugfs_create_file("ioremap", 0600, devsec_pci_debugfs, NULL,
			    &devsec_pci_ioremap_fops);
	debugfs_create_file("accepted", 0600, devsec_pci_debugfs, NULL,
			    &devsec_pci_accepted_fops);
	rc = pci_register_driver(&devsec_pci_driver);
	if (rc)
		debugfs_remove_recursive(devsec_pci_debugfs);
	return rc;
}
module_init(devsec_pci_init);

static void __exit devsec_pci_exit(void)
{
	pci_unregister_driver(&devsec_pci_driver);
	debugfs_remove_recursive(devsec_pci_debugfs);
	if (devsec_pci_held) {
		pci_release_regions(devsec_pci_held);
		pci_dev_put(devsec_pci_held);
	}
}
module_exit(devsec_pci_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devsec sample: an ordinary driver for the simulated endpoint");
