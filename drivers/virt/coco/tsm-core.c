// SPDX-License-Identifier: GPL-2.0-only
/*
 * TSM class: one device per TEE Security Manager.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/slab.h>
#include <linux/tsm.h>
#include <linux/xarray.h>

/**
 * DOC: TSM class
 *
 * A TEE Security Manager (TSM) establishes trust between confidential VMs
 * and PCIe devices (PCIe r6.1 sec 11, TDISP).  A platform ("link") TSM
 * authenticates a device and sets up IDE on its link; a TVM-side
 * ("devsec") TSM locks and accepts device interfaces for the guest.
 *
 * Each TSM driver calls tsm_register() with its parent device and its
 * PCI/TSM operations and gets a &struct tsm_dev, /sys/class/tsm/tsmN, with
 * N the lowest free instance number.  The PCI/TSM core learns about the
 * TSM in the same call and may then offer it to PCI devices; userspace
 * names the TSM by its device name ("tsmN") and the PCI/TSM core resolves
 * that name with find_tsm_dev().
 */

/* instance numbers, held until the device is released */
static DEFINE_IDA(tsm_ida);

/*
 * The TSMs that find_tsm_dev() may return, indexed by id: from the end of
 * their PCI/TSM registration until the start of their unregistration.
 */
static DEFINE_XARRAY(tsm_devs);

static ssize_t pci_mode_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	const struct pci_tsm_ops *ops = to_tsm_dev(dev)->pci_ops;

	return sysfs_emit(buf, "%s\n", ops->connect ? "link" : "devsec");
}
static DEVICE_ATTR_RO(pci_mode);

/* pci_mode only on a TSM with PCI operations */
static umode_t tsm_attr_visible(struct kobject *kobj, struct attribute *attr,
				int n)
{
	return to_tsm_dev(kobj_to_dev(kobj))->pci_ops ? attr->mode : 0;
}

static struct attribute *tsm_attrs[] = {
	&dev_attr_pci_mode.attr,
	NULL
};

static const struct attribute_group tsm_attr_group = {
	.attrs = tsm_attrs,
	.is_visible = tsm_attr_visible,
};

static const struct attribute_group *tsm_attr_groups[] = {
	&tsm_attr_group,
	NULL
};

static void tsm_dev_release(struct device *dev)
{
	struct tsm_dev *tsm_dev = to_tsm_dev(dev);

	ida_free(&tsm_ida, tsm_dev->id);
	kfree(tsm_dev);
}

/* no name: a tsmN uevent carries no DEVTYPE, as upstream's */
static const struct device_type tsm_dev_type = {
	.groups = tsm_attr_groups,
	.release = tsm_dev_release,
};

static const struct class tsm_class = {
	.name = "tsm",
};

static struct tsm_dev *tsm_dev_alloc(struct device *parent,
				     const struct pci_tsm_ops *ops)
{
	struct tsm_dev *tsm_dev;
	struct device *dev;
	int id, rc;

	tsm_dev = kzalloc(sizeof(*tsm_dev), GFP_KERNEL);
	if (!tsm_dev)
		return ERR_PTR(-ENOMEM);

	id = ida_alloc(&tsm_ida, GFP_KERNEL);
	if (id < 0) {
		kfree(tsm_dev);
		return ERR_PTR(id);
	}

	tsm_dev->id = id;
	tsm_dev->pci_ops = ops;
	dev = &tsm_dev->dev;
	device_initialize(dev);
	dev->parent = parent;
	dev->class = &tsm_class;
	dev->type = &tsm_dev_type;

	/* from here on put_device() releases the id and the memory */
	rc = dev_set_name(dev, "tsm%d", id);
	if (rc) {
		put_device(dev);
		return ERR_PTR(rc);
	}

	return tsm_dev;
}

static bool tsm_pci_ops_valid(const struct pci_tsm_ops *ops)
{
	/*
	 * a TSM is a link TSM (connect), a devsec TSM (lock), or (no ops)
	 * neither; pci_tsm_register() checks the rest of each group
	 */
	return !ops || !ops->connect != !ops->lock;
}

/**
 * tsm_register() - register a TEE Security Manager
 * @parent: the device of the TSM driver, parent of the new tsmN device
 * @ops: PCI/TSM operations, all of @ops->link_ops or all of
 *	@ops->devsec_ops; or NULL for a TSM that offers no PCI
 *	operations (and has no pci_mode attribute)
 *
 * Create /sys/class/tsm/tsmN and, when @ops is set, hand the TSM to the
 * PCI/TSM core, then send a KOBJ_CHANGE uevent to tell userspace that
 * the TSM is ready to serve PCI devices.  @ops must stay valid until
 * tsm_unregister() returns.
 *
 * Context: process context, may sleep.
 * Return: the new TSM, or an ERR_PTR(): -EINVAL if @ops does not fill
 * exactly one of the two groups, -ENOMEM, or the error of
 * the PCI/TSM core.
 */
struct tsm_dev *tsm_register(struct device *parent, struct pci_tsm_ops *ops)
{
	int rc;

	if (!tsm_pci_ops_valid(ops))
		return ERR_PTR(-EINVAL);

	struct tsm_dev *tsm_dev __free(put_tsm_dev) =
		tsm_dev_alloc(parent, ops);
	if (IS_ERR(tsm_dev))
		return tsm_dev;

	/* so that publishing the TSM below cannot fail */
	rc = xa_reserve(&tsm_devs, tsm_dev->id, GFP_KERNEL);
	if (rc)
		return ERR_PTR(rc);

	rc = device_add(&tsm_dev->dev);
	if (rc) {
		xa_release(&tsm_devs, tsm_dev->id);
		return ERR_PTR(rc);
	}

	if (ops) {
		rc = pci_tsm_register(tsm_dev);
		if (rc) {
			device_del(&tsm_dev->dev);
			xa_release(&tsm_devs, tsm_dev->id);
			return ERR_PTR(rc);
		}
	}

	xa_store(&tsm_devs, tsm_dev->id, tsm_dev, GFP_KERNEL);
	if (ops)
		kobject_uevent(&tsm_dev->dev.kobj, KOBJ_CHANGE);

	return_ptr(tsm_dev);
}
EXPORT_SYMBOL_GPL(tsm_register);

/**
 * tsm_unregister() - unregister a TEE Security Manager
 * @tsm_dev: TSM from tsm_register(), or NULL
 *
 * Stop find_tsm_dev() from returning the TSM, let the PCI/TSM core
 * disconnect (link TSM) or unlock (devsec TSM) every device the TSM
 * serves (a TSM without PCI operations serves none), then remove
 * /sys/class/tsm/tsmN.  Once this returns the TSM's operations are no
 * longer called.  The memory of @tsm_dev stays valid until the last
 * reference taken with find_tsm_dev() is dropped.
 *
 * Context: process context, may sleep.
 */
void tsm_unregister(struct tsm_dev *tsm_dev)
{
	if (!tsm_dev)
		return;

	xa_erase(&tsm_devs, tsm_dev->id);
	if (tsm_dev->pci_ops)
		pci_tsm_unregister(tsm_dev);
	device_unregister(&tsm_dev->dev);
}
EXPORT_SYMBOL_GPL(tsm_unregister);

/**
 * find_tsm_dev() - look up a registered TSM by instance number
 * @id: N of tsmN
 *
 * A TSM can be found from the end of tsm_register() (after its
 * registration with the PCI/TSM core, if it has PCI operations) until
 * tsm_unregister() starts.  To rule out using a TSM that is being
 * unregistered, do the lookup and the use under the lock that
 * pci_tsm_unregister() takes.
 *
 * Return: the TSM with a reference held, to be dropped with
 * put_device(&tsm_dev->dev) or by a __free(put_tsm_dev) variable, or
 * NULL if no registered TSM has that id.
 */
struct tsm_dev *find_tsm_dev(int id)
{
	struct tsm_dev *tsm_dev;

	if (id < 0)
		return NULL;

	/* tsm_unregister() erases under this lock before dropping its reference */
	xa_lock(&tsm_devs);
	tsm_dev = xa_load(&tsm_devs, id);
	if (tsm_dev)
		get_device(&tsm_dev->dev);
	xa_unlock(&tsm_devs);

	return tsm_dev;
}
EXPORT_SYMBOL_GPL(find_tsm_dev);

/*
 * IDE stream accounting needs struct pci_ide and the PCI/TSM context of
 * a device: it is built once both PCI IDE and PCI/TSM are
 */
#if IS_ENABLED(CONFIG_PCI_IDE) && IS_ENABLED(CONFIG_PCI_TSM)
#include <linux/pci-ide.h>

/**
 * struct tsm_ide_bridge - a host bridge with IDE streams of a TSM
 * @node: entry of tsm_ide_bridges
 * @tsm_dev: the TSM
 * @bridge: the host bridge
 * @nr_streams: streams of @tsm_dev below @bridge; the link goes at zero
 *
 * While it exists, /sys/class/tsm/tsmN/pciDDDD:BB links to the host
 * bridge, where the streams are listed (pciDDDD:BB/streamH.R.E).
 */
struct tsm_ide_bridge {
	struct list_head node;
	struct tsm_dev *tsm_dev;
	struct pci_host_bridge *bridge;
	unsigned int nr_streams;
};

static LIST_HEAD(tsm_ide_bridges);
static DEFINE_MUTEX(tsm_ide_lock);

static struct tsm_ide_bridge *tsm_ide_bridge_find(struct tsm_dev *tsm_dev,
						  struct pci_host_bridge *bridge)
{
	struct tsm_ide_bridge *b;

	lockdep_assert_held(&tsm_ide_lock);
	list_for_each_entry(b, &tsm_ide_bridges, node)
		if (b->tsm_dev == tsm_dev && b->bridge == bridge)
			return b;
	return NULL;
}

/**
 * tsm_ide_stream_register() - account an IDE stream to its TSM
 * @ide: a stream of a device whose PCI/TSM context (&pci_dev.tsm) names
 *	the TSM that established it
 *
 * Sets @ide->tsm_dev and, for the first stream of that TSM below the
 * stream's host bridge, creates the tsmN/pciDDDD:BB link to the bridge.
 *
 * Return: 0, -ENXIO when the device has no PCI/TSM context, -EBUSY when
 * @ide is already registered with a TSM, -ENOMEM, or the errno of the
 * sysfs link.
 */
int tsm_ide_stream_register(struct pci_ide *ide)
{
	struct pci_dev *pdev = ide->pdev;
	struct pci_host_bridge *bridge = pci_find_host_bridge(pdev->bus);
	struct tsm_ide_bridge *b;
	struct tsm_dev *tsm_dev;
	int rc;

	if (!pdev->tsm)
		return -ENXIO;
	tsm_dev = pdev->tsm->tsm_dev;
	if (ide->tsm_dev)
		return -EBUSY;

	guard(mutex)(&tsm_ide_lock);
	b = tsm_ide_bridge_find(tsm_dev, bridge);
	if (!b) {
		b = kzalloc(sizeof(*b), GFP_KERNEL);
		if (!b)
			return -ENOMEM;
		rc = sysfs_create_link(&tsm_dev->dev.kobj, &bridge->dev.kobj,
				       dev_name(&bridge->dev));
		if (rc) {
			kfree(b);
			return rc;
		}
		b->tsm_dev = tsm_dev;
		b->bridge = bridge;
		list_add(&b->node, &tsm_ide_bridges);
	}
	b->nr_streams++;
	ide->tsm_dev = tsm_dev;
	return 0;
}
EXPORT_SYMBOL_GPL(tsm_ide_stream_register);

/**
 * tsm_ide_stream_unregister() - undo tsm_ide_stream_register()
 * @ide: the stream; nothing is done when it is not registered with a TSM
 *
 * Clears @ide->tsm_dev; the tsmN/pciDDDD:BB link goes with the TSM's last
 * stream below the host bridge.
 */
void tsm_ide_stream_unregister(struct pci_ide *ide)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(ide->pdev->bus);
	struct tsm_dev *tsm_dev = ide->tsm_dev;
	struct tsm_ide_bridge *b;

	if (!tsm_dev)
		return;
	guard(mutex)(&tsm_ide_lock);
	ide->tsm_dev = NULL;
	b = tsm_ide_bridge_find(tsm_dev, bridge);
	if (dev_WARN_ONCE(&tsm_dev->dev, !b, "no IDE streams below %s\n",
			  dev_name(&bridge->dev)))
		return;
	if (--b->nr_streams)
		return;
	sysfs_remove_link(&tsm_dev->dev.kobj, dev_name(&bridge->dev));
	list_del(&b->node);
	kfree(b);
}
EXPORT_SYMBOL_GPL(tsm_ide_stream_unregister);
#endif /* CONFIG_PCI_IDE && CONFIG_PCI_TSM */

/*
 * subsys_initcall: when built in, the class must exist before TSM
 * drivers, which may be linked ahead of drivers/virt/, probe.
 */
static int __init tsm_init(void)
{
	return class_register(&tsm_class);
}
subsys_initcall(tsm_init);

static void __exit tsm_exit(void)
{
	class_unregister(&tsm_class);
}
module_exit(tsm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TEE Security Manager (TSM) device class");
