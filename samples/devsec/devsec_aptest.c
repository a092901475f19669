// SPDX-License-Identifier: GPL-2.0
/*
 * devsec_aptest: test drivers for the module autoprobe policy.
 *
 * Two PCI drivers without an id table: they match a device only through
 * its driver_override, and their probe touches no hardware.
 * "devsec_aptest" is owned by this module and defers its probe as many
 * times as the defer parameter says; "devsec_aptest_noowner" is
 * registered without an owner, like a driver whose module forgot
 * .owner, and must still follow this module's autoprobe= setting.
 * Both record the device's acceptance at probe and count the removes
 * that see another (accept_flips).  The autoprobe and tvm suites of
 * tools/testing/devsec load this module.
 *
 * The tsm_bind and tsm_unbind parameters call pci_tsm_bind() and
 * pci_tsm_unbind() on the PCI device whose name is written, as a VMM
 * would (for VM DEVSEC_APTEST_VM): a write returns the core's errno,
 * which the sample link TSM's own tsm_bind checks would hide.  The link
 * suite uses them.
 */
#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/slab.h>
#include <linux/string.h>

static int defer;
module_param(defer, int, 0644);
MODULE_PARM_DESC(defer, "probes of devsec_aptest to defer with -EPROBE_DEFER (test knob)");

static atomic_t probes = ATOMIC_INIT(0);

static int probes_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&probes));
}

static const struct kernel_param_ops probes_ops = {
	.get = probes_get,
};
module_param_cb(probes, &probes_ops, NULL, 0444);
MODULE_PARM_DESC(probes, "calls of devsec_aptest's probe (deferred ones included)");

/*
 * A driver's DMA buffers are encrypted or shared according to the
 * device's acceptance when they are allocated and when they are freed
 * (force_dma_unencrypted()): it must not change while a driver is bound.
 */
static atomic_t accept_flips = ATOMIC_INIT(0);

static int accept_flips_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&accept_flips));
}

static const struct kernel_param_ops accept_flips_ops = {
	.get = accept_flips_get,
};
module_param_cb(accept_flips, &accept_flips_ops, NULL, 0444);
MODULE_PARM_DESC(accept_flips, "removes that saw a device acceptance other than at probe");

/* A VM handle for pci_tsm_bind(), never dereferenced */
#define DEVSEC_APTEST_VM	((struct kvm *)2)

static struct pci_dev *devsec_aptest_find(const char *val)
{
	char *name __free(kfree) = kstrdup(val, GFP_KERNEL);
	struct device *dev;

	if (!name)
		return NULL;
	dev = bus_find_device_by_name(&pci_bus_type, NULL, strim(name));
	return dev ? to_pci_dev(dev) : NULL;
}

static int tsm_bind_set(const char *val, const struct kernel_param *kp)
{
	struct pci_dev *pdev __free(pci_dev_put) = devsec_aptest_find(val);

	if (!pdev)
		return -ENODEV;
	return pci_tsm_bind(pdev, DEVSEC_APTEST_VM, pci_dev_id(pdev));
}

static const struct kernel_param_ops tsm_bind_ops = {
	.set = tsm_bind_set,
};
module_param_cb(tsm_bind, &tsm_bind_ops, NULL, 0200);
MODULE_PARM_DESC(tsm_bind, "write a PCI device name: pci_tsm_bind() it (test knob)");

static int tsm_unbind_set(const char *val, const struct kernel_param *kp)
{
	struct pci_dev *pdev __free(pci_dev_put) = devsec_aptest_find(val);

	if (!pdev)
		return -ENODEV;
	pci_tsm_unbind(pdev);
	return 0;
}

static const struct kernel_param_ops tsm_unbind_ops = {
	.set = tsm_unbind_set,
};
module_param_cb(tsm_unbind, &tsm_unbind_ops, NULL, 0200);
MODULE_PARM_DESC(tsm_unbind, "write a PCI device name: pci_tsm_unbind() it (test knob)");

#define DEVSEC_APTEST_ACCEPTED	((void *)2)
#define DEVSEC_APTEST_SHARED	((void *)1)

static int devsec_aptest_probe(struct pci_dev *pdev,
			       const struct pci_device_id *id)
{
	atomic_inc(&probes);
	if (READ_ONCE(defer) > 0) {
		WRITE_ONCE(defer, READ_ONCE(defer) - 1);
		return dev_err_probe(&pdev->dev, -EPROBE_DEFER,
				     "deferred by the defer parameter\n");
	}
	pci_set_drvdata(pdev, device_cc_accepted(&pdev->dev) ?
			DEVSEC_APTEST_ACCEPTED : DEVSEC_APTEST_SHARED);
	return 0;
}

static void devsec_aptest_remove(struct pci_dev *pdev)
{
	void *now = device_cc_accepted(&pdev->dev) ?
		DEVSEC_APTEST_ACCEPTED : DEVSEC_APTEST_SHARED;

	if (pci_get_drvdata(pdev) != now) {
		pci_warn(pdev, "acceptance changed while bound\n");
		atomic_inc(&accept_flips);
	}
}

static struct pci_driver devsec_aptest_driver = {
	.name = "devsec_aptest",
	.probe = devsec_aptest_probe,
	.remove = devsec_aptest_remove,
};

static int devsec_aptest_noowner_probe(struct pci_dev *pdev,
				       const struct pci_device_id *id)
{
	pci_set_drvdata(pdev, device_cc_accepted(&pdev->dev) ?
			DEVSEC_APTEST_ACCEPTED : DEVSEC_APTEST_SHARED);
	return 0;
}

static struct pci_driver devsec_aptest_noowner_driver = {
	.name = "devsec_aptest_noowner",
	.probe = devsec_aptest_noowner_probe,
	.remove = devsec_aptest_remove,
};

static int __init devsec_aptest_init(void)
{
	int rc;

	rc = pci_register_driver(&devsec_aptest_driver);
	if (rc)
		return rc;
	/* deliberately no owner: the driver core must find this module */
	rc = __pci_register_driver(&devsec_aptest_noowner_driver, NULL,
				   KBUILD_MODNAME);
	if (rc)
		pci_unregister_driver(&devsec_aptest_driver);
	return rc;
}
module_init(devsec_aptest_init);

static void __exit devsec_aptest_exit(void)
{
	pci_unregister_driver(&devsec_aptest_noowner_driver);
	pci_unregister_driver(&devsec_aptest_driver);
}
module_exit(devsec_aptest_exit);

MODULE_DESCRIPTION("Test drivers for the module autoprobe policy");
MODULE_LICENSE("GPL");
