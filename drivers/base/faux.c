// SPDX-License-Identifier: GPL-2.0-only
/*
 * Faux bus: devices that exist only in software.
 */

#include <linux/device/faux.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "base.h"

/**
 * DOC: faux bus
 *
 * Code that needs a struct device for its sysfs attributes, as the parent of
 * a class device or for devres, but drives no hardware, used to register a
 * platform device and a platform driver for it.  The faux bus makes that a
 * single call: faux_device_create() allocates the device, adds it under
 * /sys/devices/faux/ (or under the given parent), lists it in
 * /sys/bus/faux/devices/ and binds it, synchronously, to the one faux
 * driver, whose probe runs the caller's &faux_device_ops.probe callback.
 *
 * Every faux device matches the faux driver and userspace cannot unbind it,
 * so a faux device is bound from a successful creation until
 * faux_device_destroy().
 */

/**
 * struct faux_object - a faux device and what its creator passed in
 * @faux_dev: the device handed back to the creator
 * @faux_ops: the creator's callbacks, may be NULL
 */
struct faux_object {
	struct faux_device faux_dev;
	const struct faux_device_ops *faux_ops;
};

#define to_faux_object(x) container_of_const(x, struct faux_object, faux_dev.dev)

/* Parent of every faux device created without a parent: /sys/devices/faux */
static struct device faux_bus_root = {
	.init_name = "faux",
};

static int faux_match(struct device *dev, const struct device_driver *drv)
{
	/* There is one driver, and it takes every device. */
	return 1;
}

static int faux_probe(struct device *dev)
{
	struct faux_object *faux_obj = to_faux_object(dev);
	const struct faux_device_ops *faux_ops = faux_obj->faux_ops;

	if (faux_ops && faux_ops->probe)
		return faux_ops->probe(&faux_obj->faux_dev);
	return 0;
}

static void faux_remove(struct device *dev)
{
	struct faux_object *faux_obj = to_faux_object(dev);
	const struct faux_device_ops *faux_ops = faux_obj->faux_ops;

	if (faux_ops && faux_ops->remove)
		faux_ops->remove(&faux_obj->faux_dev);
}

static const struct bus_type faux_bus_type = {
	.name = "faux",
	.match = faux_match,
	.probe = faux_probe,
	.remove = faux_remove,
};

static struct device_driver faux_driver = {
	.name = "faux_driver",
	.bus = &faux_bus_type,
	/* faux_device_create() reports the result of ->probe() */
	.probe_type = PROBE_FORCE_SYNCHRONOUS,
	/* a faux device without its driver is meaningless */
	.suppress_bind_attrs = true,
};

static void faux_device_release(struct device *dev)
{
	kfree(to_faux_object(dev));
}

/**
 * faux_device_create_with_groups() - create and bind a faux device
 * @name: device name, unique on the faux bus
 * @parent: parent device, or NULL for /sys/devices/faux/
 * @faux_ops: optional probe and remove callbacks
 * @groups: optional NULL-terminated list of attribute groups
 *
 * Create /sys/bus/faux/devices/@name and bind it to the faux driver, which
 * calls @faux_ops->probe before this function returns.  The attribute
 * groups are the device's own groups: they exist in sysfs before the
 * KOBJ_ADD uevent is sent, so udev rules and the probe callback can rely
 * on them.
 *
 * Context: process context, may sleep.
 * Return: the new device, or NULL if it could not be created or its probe
 * callback failed.  Release it with faux_device_destroy().
 */
struct faux_device *
faux_device_create_with_groups(const char *name, struct device *parent,
			       const struct faux_device_ops *faux_ops,
			       const struct attribute_group **groups)
{
	struct faux_object *faux_obj;
	struct device *dev;
	int rc;

	faux_obj = kzalloc(sizeof(*faux_obj), GFP_KERNEL);
	if (!faux_obj)
		return NULL;

	faux_obj->faux_ops = faux_ops;
	dev = &faux_obj->faux_dev.dev;
	device_initialize(dev);
	dev->release = faux_device_release;
	dev->parent = parent ?: &faux_bus_root;
	dev->bus = &faux_bus_type;
	dev->groups = groups;

	/* from here on put_device() frees faux_obj */
	rc = dev_set_name(dev, "%s", name);
	if (rc) {
		put_device(dev);
		return NULL;
	}

	rc = device_add(dev);
	if (rc) {
		pr_err("faux: cannot add device %s: %d\n", name, rc);
		put_device(dev);
		return NULL;
	}

	/*
	 * device_add() probed synchronously; not being bound means the
	 * creator's probe callback refused the device.
	 */
	if (!dev->driver) {
		dev_dbg(dev, "probe failed, destroying the device\n");
		device_unregister(dev);
		return NULL;
	}

	return &faux_obj->faux_dev;
}
EXPORT_SYMBOL_GPL(faux_device_create_with_groups);

/**
 * faux_device_create() - create and bind a faux device
 * @name: device name, unique on the faux bus
 * @parent: parent device, or NULL for /sys/devices/faux/
 * @faux_ops: optional probe and remove callbacks
 *
 * faux_device_create_with_groups() without attribute groups.
 *
 * Context: process context, may sleep.
 * Return: the new device, or NULL on failure (including a failed probe).
 */
struct faux_device *faux_device_create(const char *name, struct device *parent,
				       const struct faux_device_ops *faux_ops)
{
	return faux_device_create_with_groups(name, parent, faux_ops, NULL);
}
EXPORT_SYMBOL_GPL(faux_device_create);

/**
 * faux_device_destroy() - unbind and remove a faux device
 * @faux_dev: device from faux_device_create(), or NULL
 *
 * Calls the device's remove callback, removes it from sysfs and drops the
 * creator's reference; the memory goes once the last reference is gone.
 *
 * Context: process context, may sleep.
 */
void faux_device_destroy(struct faux_device *faux_dev)
{
	if (!faux_dev)
		return;

	device_unregister(&faux_dev->dev);
}
EXPORT_SYMBOL_GPL(faux_device_destroy);

int __init faux_bus_init(void)
{
	int rc;

	rc = device_register(&faux_bus_root);
	if (rc) {
		put_device(&faux_bus_root);
		return rc;
	}

	rc = bus_register(&faux_bus_type);
	if (rc)
		goto err_root;

	rc = driver_register(&faux_driver);
	if (rc)
		goto err_bus;

	return 0;

err_bus:
	bus_unregister(&faux_bus_type);
err_root:
	device_unregister(&faux_bus_root);
	return rc;
}
