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
 * The null_tsm parameter registers (1) and unregisters (0) a TSM without
 * PCI operations, tsm_register(NULL, NULL), and reads back its name.
 * tsm_ctor runs the context constructor a TSM driver's probe runs,
 * pci_tsm_pf0_constructor() for a function 0 that can be a DSM and
 * pci_tsm_link_constructor() otherwise, on "<pci device> tsmN", and
 * returns its errno.  The tsm suite uses them.
 */
#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tsm.h>

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

static struct pci_dev *devsec_aptest_find(const char *val)
{
	char *name __free(kfree) = kstrdup(val, GFP_KERNEL);
	struct device *dev;

	if (!name)
		return NULL;
	dev = bus_find_device_by_name(&pci_bus_type, NULL, strim(name));
	return dev ? to_pci_dev(dev) : NULL;
}

static DEFINE_MUTEX(null_tsm_lock);
static struct tsm_dev *null_tsm;

static int null_tsm_set(const char *val, const struct kernel_param *kp)
{
	struct tsm_dev *tsm_dev;
	bool on;
	int rc;

	rc = kstrtobool(val, &on);
	if (rc)
		return rc;

	guard(mutex)(&null_tsm_lock);
	if (!on) {
		tsm_unregister(null_tsm);
		null_tsm = NULL;
		return 0;
	}
	if (null_tsm)
		return -EBUSY;
	tsm_dev = tsm_register(NULL, NULL);
	if (IS_ERR(tsm_dev))
		return PTR_ERR(tsm_dev);
	null_tsm = tsm_dev;
	return 0;
}

static int null_tsm_get(char *buf, const struct kernel_param *kp)
{
	guard(mutex)(&null_tsm_lock);
	return sysfs_emit(buf, "%s\n", null_tsm ? dev_name(&null_tsm->dev) : "");
}

static const struct kernel_param_ops null_tsm_ops = {
	.set = null_tsm_set,
	.get = null_tsm_get,
};
module_param_cb(null_tsm, &null_tsm_ops, NULL, 0644);
MODULE_PARM_DESC(null_tsm, "1: register a TSM without PCI ops, 0: unregister it (test knob)");

static int tsm_ctor_set(const char *val, const struct kernel_param *kp)
{
	char *args __free(kfree) = kstrdup(val, GFP_KERNEL);
	char *dev_name, *tsm_name, *cur;
	unsigned int id;
	int rc;

	if (!args)
		return -ENOMEM;
	cur = strim(args);
	dev_name = strsep(&cur, " ");
	tsm_name = cur;
	if (!tsm_name || !str_has_prefix(tsm_name, "tsm") ||
	    kstrtouint(tsm_name + 3, 10, &id) || id > INT_MAX)
		return -EINVAL;

	struct pci_dev *pdev __free(pci_dev_put) = devsec_aptest_find(dev_name);
	if (!pdev)
		return -ENODEV;
	struct tsm_dev *tsm_dev __free(put_tsm_dev) = find_tsm_dev(id);
	if (!tsm_dev)
		return -ENXIO;

	if (is_pci_tsm_pf0(pdev)) {
		struct pci_tsm_pf0 *pf0 __free(kfree) =
			kzalloc(sizeof(*pf0), GFP_KERNEL);

		if (!pf0)
			return -ENOMEM;
		rc = pci_tsm_pf0_constructor(pdev, pf0, tsm_dev);
		if (!rc &&
		    (pf0->base_tsm.pdev != pdev || pf0->base_tsm.dsm_dev != pdev ||
		     pf0->base_tsm.tsm_dev != tsm_dev || !pf0->doe_mb))
			rc = -EPROTO;
		if (!rc)
			pci_tsm_pf0_destructor(pf0);
	} else {
		struct pci_tsm tsm = {};

		rc = pci_tsm_link_constructor(pdev, &tsm, tsm_dev);
		if (!rc && (tsm.pdev != pdev || !tsm.dsm_dev ||
			    tsm.tsm_dev != tsm_dev))
			rc = -EPROTO;
	}
	return rc;
}

static const struct kernel_param_ops tsm_ctor_ops = {
	.set = tsm_ctor_set,
};
module_param_cb(tsm_ctor, &tsm_ctor_ops, NULL, 0200);
MODULE_PARM_DESC(tsm_ctor, "write \"<pci device> tsmN\": run the TSM context constructor (test knob)");

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
	tsm_unregister(null_tsm);
	pci_unregister_driver(&devsec_aptest_noowner_driver);
	pci_unregister_driver(&devsec_aptest_driver);
}
module_exit(devsec_aptest_exit);

MODULE_DESCRIPTION("Test drivers for the module autoprobe policy");
MODULE_LICENSE("GPL");
