/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Faux bus: a minimal bus for devices that only exist in software and need
 * nothing from a bus but a place in sysfs and a driver-model lifetime.  A
 * faux device is created together with its (implicit) driver binding, so
 * the probe callback has run by the time faux_device_create() returns.
 *
 * The API matches the faux bus that Linux 6.14 added; see drivers/base/faux.c.
 */
#ifndef _LINUX_DEVICE_FAUX_H_
#define _LINUX_DEVICE_FAUX_H_

#include <linux/cleanup.h>
#include <linux/container_of.h>
#include <linux/device.h>

/**
 * struct faux_device - a device on the faux bus
 * @dev: the embedded driver-model device
 *
 * Created with faux_device_create() or faux_device_create_with_groups(),
 * released with faux_device_destroy().  Appears in sysfs as
 * /sys/bus/faux/devices/<name>.
 */
struct faux_device {
	struct device dev;
};

#define to_faux_device(x) container_of_const((x), struct faux_device, dev)

/**
 * struct faux_device_ops - callbacks of a faux device
 * @probe: called synchronously while the device is created, after it has
 *	been added to sysfs; a non-zero return makes the creation fail
 * @remove: called when the device is destroyed, if @probe succeeded
 *
 * Both callbacks are optional.
 */
struct faux_device_ops {
	int (*probe)(struct faux_device *faux_dev);
	void (*remove)(struct faux_device *faux_dev);
};

struct faux_device *faux_device_create(const char *name, struct device *parent,
				       const struct faux_device_ops *faux_ops);
struct faux_device *
faux_device_create_with_groups(const char *name, struct device *parent,
			       const struct faux_device_ops *faux_ops,
			       const struct attribute_group **groups);
void faux_device_destroy(struct faux_device *faux_dev);

DEFINE_FREE(faux_device_destroy, struct faux_device *,
	    faux_device_destroy(_T))

/**
 * faux_device_get_drvdata() - driver data of a faux device
 * @faux_dev: the faux device
 *
 * Return: the pointer stored by faux_device_set_drvdata().
 */
static inline void *faux_device_get_drvdata(const struct faux_device *faux_dev)
{
	return dev_get_drvdata(&faux_dev->dev);
}

/**
 * faux_device_set_drvdata() - store driver data in a faux device
 * @faux_dev: the faux device
 * @data: the pointer to store
 */
static inline void faux_device_set_drvdata(struct faux_device *faux_dev,
					   void *data)
{
	dev_set_drvdata(&faux_dev->dev, data);
}

#endif /* _LINUX_DEVICE_FAUX_H_ */
