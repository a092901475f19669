// SPDX-License-Identifier: GPL-2.0
/*
 * Devices accepted by a confidential guest.
 *
 * In a confidential guest (TVM) every device starts outside the guest's
 * trusted computing base.  Once the guest has verified a device, e.g. a
 * PCIe TDISP interface that a TEE Security Manager locked and whose
 * evidence userspace checked, it accepts the device: the driver core
 * records the decision beside the device's other core state, and
 * platform code consults it when it maps the device's MMIO and decides
 * where the device may DMA.  Drivers are not involved: nothing in a
 * driver declares that it is ready for an accepted device.
 *
 * Acceptance changes how a bound driver's mappings would have to look, so
 * it only changes while no driver is bound, under the device lock.
 */
#include <linux/device.h>
#include <linux/export.h>

#include "base.h"

/**
 * device_cc_accept() - accept a device into a confidential guest's TCB
 * @dev: the device, locked with device_lock()
 *
 * Return: 0 (also when already accepted), -EBUSY while a driver is bound,
 * -ENODEV if @dev is not registered or is being removed.
 */
int device_cc_accept(struct device *dev)
{
	device_lock_assert(dev);
	if (!dev->p || dev->p->dead)
		return -ENODEV;
	if (dev->driver)
		return -EBUSY;
	dev->p->cc_accepted = true;
	return 0;
}
EXPORT_SYMBOL_GPL(device_cc_accept);

/**
 * device_cc_reject() - take a device out of a confidential guest's TCB
 * @dev: the device, locked with device_lock()
 *
 * Return: 0 (also when not accepted), -EBUSY while a driver is bound.
 */
int device_cc_reject(struct device *dev)
{
	device_lock_assert(dev);
	if (dev->driver)
		return -EBUSY;
	if (dev->p)
		dev->p->cc_accepted = false;
	return 0;
}
EXPORT_SYMBOL_GPL(device_cc_reject);

/**
 * device_cc_accepted() - has the device been accepted?
 * @dev: the device
 *
 * Stable while the caller holds the device lock or a driver is bound
 * (acceptance only changes with no driver bound), which covers a driver's
 * probe and its mappings.
 *
 * Return: true if device_cc_accept() succeeded and neither
 * device_cc_reject() nor removal (device_del(), after the driver is
 * released) undid it.
 */
bool device_cc_accepted(struct device *dev)
{
	return dev->p && dev->p->cc_accepted;
}
EXPORT_SYMBOL_GPL(device_cc_accepted);
