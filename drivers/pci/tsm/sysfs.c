// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM sysfs ABI: the tsm/ attributes of a PCI device, their
 * visibility, and their updates when TSMs and contexts come and go.
 * See Documentation/ABI/testing/sysfs-bus-pci.
 */

#define dev_fmt(fmt) "TSM: " fmt

#include <linux/cleanup.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/tsm.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "../pci.h"
#include "core.h"

/* Update the tsm groups of @pdev.  pci_tsm_sysfs_lock held. */
static void pci_tsm_sysfs_update(struct pci_dev *pdev)
{
	lockdep_assert_held(&pci_tsm_sysfs_lock);

	/*
	 * A device whose removal started is left alone: device_del() may
	 * be removing its sysfs directory (pci_tsm_destroy() waits for an
	 * update already running)
	 */
	if (!device_is_registered(&pdev->dev) ||
	    test_bit(PCI_DEV_TSM_STOPPING, &pdev->priv_flags))
		return;
	if (sysfs_update_group(&pdev->dev.kobj, &pci_tsm_auth_attr_group) ||
	    sysfs_update_group(&pdev->dev.kobj, &pci_tsm_attr_group))
		pci_dbg(pdev, "tsm sysfs update failed\n");
}

void pci_tsm_sysfs_update_all(void)
{
	struct pci_dev *pdev = NULL;

	lockdep_assert_held(&pci_tsm_sysfs_lock);

	for_each_pci_dev(pdev)
		pci_tsm_sysfs_update(pdev);
}

static void pci_tsm_sysfs_work_fn(struct work_struct *work)
{
	guard(mutex)(&pci_tsm_sysfs_lock);
	pci_tsm_sysfs_update_all();
}

VISIBLE_IF_KUNIT struct work_struct pci_tsm_sysfs_work =
	__WORK_INITIALIZER(pci_tsm_sysfs_work, pci_tsm_sysfs_work_fn);
EXPORT_SYMBOL_IF_KUNIT(pci_tsm_sysfs_work);

/*
 * After a connect or disconnect of @dsm, show or hide dsm and bound on
 * its other functions.  Called from tsm attribute methods and from
 * removal: when an update (which waits for attribute methods) is already
 * running, defer to the work item rather than wait for it.
 */
void pci_tsm_sysfs_update_fns(struct pci_dev *dsm)
{
	unsigned int fn;

	if (!mutex_trylock(&pci_tsm_sysfs_lock)) {
		schedule_work(&pci_tsm_sysfs_work);
		return;
	}
	for (fn = 1; fn < pci_tsm_nr_fns(dsm); fn++) {
		struct pci_dev *pdev __free(pci_dev_put) =
			pci_tsm_get_fn(dsm, fn);

		if (pdev)
			pci_tsm_sysfs_update(pdev);
	}
	mutex_unlock(&pci_tsm_sysfs_lock);
}

/**
 * pci_tsm_add_dev() - a PCI device was added
 * @pdev: the new device, its sysfs groups created
 *
 * Closes the window between the creation of the device's tsm groups and
 * its appearance in the device list walked by pci_tsm_register().
 */
void pci_tsm_add_dev(struct pci_dev *pdev)
{
	/*
	 * The caller may hold the device lock of a parent (a PF adding
	 * VFs in sriov_numvfs_store()), while a TSM registering holds
	 * pci_tsm_sysfs_lock and waits, in sysfs_update_group(), for a tsm
	 * method of that PF which waits for that lock: never wait here,
	 * let the work item update all devices, @pdev included.
	 */
	if (!mutex_trylock(&pci_tsm_sysfs_lock)) {
		schedule_work(&pci_tsm_sysfs_work);
		return;
	}
	if (pci_tsm_nr_link || pci_tsm_nr_devsec)
		pci_tsm_sysfs_update(pdev);
	mutex_unlock(&pci_tsm_sysfs_lock);
}
EXPORT_SYMBOL_IF_KUNIT(pci_tsm_add_dev);

/* "tsmN" with an optional newline, as written to the attributes */
static int pci_tsm_parse_name(const char *buf, unsigned int *id)
{
	if (!str_has_prefix(buf, "tsm") || !isdigit(buf[3]))
		return -EINVAL;
	if (kstrtouint(buf + 3, 10, id))
		return -EINVAL;
	return 0;
}

static ssize_t connect_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct tsm_dev *tsm_dev;
	unsigned int id;
	int rc;

	rc = pci_tsm_parse_name(buf, &id);
	if (rc)
		return rc;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		if (!is_pci_tsm_pf0(pdev))
			return -ENXIO;
		rc = device_lock_interruptible(dev);
		if (rc)
			return rc;
		tsm_dev = pci_tsm_lookup(id);
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (pdev->tsm)
			rc = -EBUSY;
		else if (!pci_tsm_is_link_tsm(tsm_dev))
			rc = -ENXIO;
		else
			rc = pci_tsm_connect(pdev, tsm_dev);
		device_unlock(dev);
	}
	if (rc)
		return rc;

	pci_tsm_sysfs_update_fns(pdev);
	return len;
}

/* Name of the link TSM the DSM of @pdev is connected to, or empty */
static ssize_t connect_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		tsm = pdev->tsm;
		if (pci_tsm_established(tsm) && pci_tsm_is_link_tsm(tsm->tsm_dev))
			rc = sysfs_emit(buf, "%s\n", dev_name(&tsm->tsm_dev->dev));
		else
			rc = sysfs_emit(buf, "\n");
	}
	return rc;
}
static DEVICE_ATTR_RW(connect);

static ssize_t disconnect_store(struct device *dev,
				struct device_attribute *attr, const char *buf,
				size_t len)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	unsigned int id;
	int rc;

	rc = pci_tsm_parse_name(buf, &id);
	if (rc)
		return rc;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		rc = device_lock_interruptible(dev);
		if (rc)
			return rc;
		tsm = pdev->tsm;
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (!is_pci_tsm_pf0(pdev) || !pci_tsm_dsm_connected(tsm))
			rc = -ENXIO;
		else if (tsm->tsm_dev->id != id)
			rc = -EINVAL;
		else
			pci_tsm_disconnect(pdev);
		device_unlock(dev);
	}
	if (rc)
		return rc;

	pci_tsm_sysfs_update_fns(pdev);
	return len;
}
static DEVICE_ATTR_WO(disconnect);

/* Name of the DSM while it is connected, else empty */
static ssize_t dsm_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		tsm = pdev->tsm;
		if (tsm && pci_tsm_established(tsm->dsm_dev->tsm))
			rc = sysfs_emit(buf, "%s\n", pci_name(tsm->dsm_dev));
		else
			rc = sysfs_emit(buf, "\n");
	}
	return rc;
}
static DEVICE_ATTR_RO(dsm);

/* Name of the TSM while the function is bound to a TDI, else empty */
static ssize_t bound_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		tsm = pdev->tsm;
		if (tsm && tsm->tdi)
			rc = sysfs_emit(buf, "%s\n", dev_name(&tsm->tsm_dev->dev));
		else
			rc = sysfs_emit(buf, "\n");
	}
	return rc;
}
static DEVICE_ATTR_RO(bound);

enum pci_tsm_devsec_op {
	PCI_TSM_DEVSEC_LOCK,
	PCI_TSM_DEVSEC_UNLOCK,
};

static ssize_t pci_tsm_devsec_store(struct device *dev, const char *buf,
				    enum pci_tsm_devsec_op op)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct tsm_dev *tsm_dev;
	unsigned int id;
	int rc;

	rc = pci_tsm_parse_name(buf, &id);
	if (rc)
		return rc;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		rc = device_lock_interruptible(dev);
		if (rc)
			return rc;
		tsm_dev = pci_tsm_lookup(id);
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (op == PCI_TSM_DEVSEC_LOCK)
			rc = pci_tsm_devsec_lock_checked(pdev, tsm_dev);
		else
			rc = pci_tsm_devsec_unlock_checked(pdev, id);
		device_unlock(dev);
	}
	if (rc)
		return rc;

	pci_tsm_sysfs_update_fns(pdev);
	return 0;
}

static ssize_t lock_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	return pci_tsm_devsec_store(dev, buf, PCI_TSM_DEVSEC_LOCK) ?: len;
}

/* Name of the devsec TSM that locked @pdev, or empty */
static ssize_t lock_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	/* scoped: sparse does not follow a function-wide spinlock guard */
	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		tsm = pdev->tsm;
		if (pci_tsm_devsec_locked(tsm))
			rc = sysfs_emit(buf, "%s\n",
					dev_name(&tsm->tsm_dev->dev));
		else
			rc = sysfs_emit(buf, "\n");
	}
	return rc;
}
static DEVICE_ATTR_RW(lock);

static ssize_t unlock_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	return pci_tsm_devsec_store(dev, buf, PCI_TSM_DEVSEC_UNLOCK) ?: len;
}
static DEVICE_ATTR_WO(unlock);

static ssize_t accept_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t len)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	bool accept;
	int rc;

	if (kstrtobool(buf, &accept) || !accept)
		return -EINVAL;

	scoped_cond_guard(rwsem_read_intr, return -EINTR, &pci_tsm_rwsem) {
		rc = device_lock_interruptible(dev);
		if (rc)
			return rc;
		if (pci_tsm_dev_removing(pdev))
			rc = -ENODEV;
		else if (!pci_tsm_devsec_locked(pdev->tsm))
			rc = -EINVAL;
		else if (dev->driver)
			rc = -EBUSY;
		else if (pci_tsm_devsec_accepted(pdev->tsm))
			rc = 0;
		else
			rc = pci_tsm_devsec_accept(pdev);
		device_unlock(dev);
	}
	if (rc) {
		/* A failure after the interface started unlocked @pdev */
		if (!READ_ONCE(pdev->tsm))
			pci_tsm_sysfs_update_fns(pdev);
		return rc;
	}
	return len;
}

static ssize_t accept_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	bool accepted;

	scoped_guard(spinlock, &pci_tsm_ctx_lock)
		accepted = pci_tsm_devsec_accepted(pdev->tsm);
	return sysfs_emit(buf, "%d\n", accepted);
}
static DEVICE_ATTR_RW(accept);

static struct attribute *pci_tsm_attrs[] = {
	/* First: its visibility decides whether tsm/ exists at all */
	&dev_attr_connect.attr,
	&dev_attr_disconnect.attr,
	&dev_attr_dsm.attr,
	&dev_attr_bound.attr,
	&dev_attr_lock.attr,
	&dev_attr_unlock.attr,
	&dev_attr_accept.attr,
	NULL
};

/* A link TSM is registered and @pdev is a DSM it could connect */
static bool pci_tsm_link_visible(struct pci_dev *pdev)
{
	return READ_ONCE(pci_tsm_nr_link) && is_pci_tsm_pf0(pdev);
}

static umode_t pci_tsm_attr_visible(struct kobject *kobj,
				    struct attribute *a, int n)
{
	struct pci_dev *pdev = to_pci_dev(kobj_to_dev(kobj));
	bool link, fn, devsec;

	if (!READ_ONCE(pci_tsm_nr_link) && !READ_ONCE(pci_tsm_nr_devsec))
		return n == 0 ? SYSFS_GROUP_INVISIBLE : 0;

	link = pci_tsm_link_visible(pdev);
	/* A function depending on a connected DSM */
	fn = !!READ_ONCE(pdev->tsm);
	devsec = READ_ONCE(pci_tsm_nr_devsec) && pci_tsm_has_tee(pdev);

	if (a == &dev_attr_connect.attr || a == &dev_attr_disconnect.attr) {
		if (link)
			return a->mode;
	} else if (a == &dev_attr_dsm.attr || a == &dev_attr_bound.attr) {
		if (link || fn)
			return a->mode;
	} else if (devsec) {
		return a->mode;
	}

	if (n == 0 && !link && !fn && !devsec)
		return SYSFS_GROUP_INVISIBLE;
	return 0;
}

const struct attribute_group pci_tsm_attr_group = {
	.name = "tsm",
	.attrs = pci_tsm_attrs,
	.is_visible = pci_tsm_attr_visible,
};

/*
 * The CMA "authenticated" attribute: on a DSM it mirrors tsm/connect; on
 * the other functions of a connected DSM it names the same TSM
 */
static ssize_t authenticated_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_tsm *tsm;
	ssize_t rc;

	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		tsm = pdev->tsm;
		if (pci_tsm_dsm_connected(tsm))
			rc = sysfs_emit(buf, "%s\n", dev_name(&tsm->tsm_dev->dev));
		else
			rc = sysfs_emit(buf, "\n");
	}
	return rc;
}
static DEVICE_ATTR_RO(authenticated);

static struct attribute *pci_tsm_auth_attrs[] = {
	&dev_attr_authenticated.attr,
	NULL
};

static umode_t pci_tsm_auth_attr_visible(struct kobject *kobj,
					 struct attribute *a, int n)
{
	struct pci_dev *pdev = to_pci_dev(kobj_to_dev(kobj));
	struct pci_tsm *tsm;

	bool fn;

	if (pci_tsm_link_visible(pdev))
		return a->mode;
	/* a function that a link TSM's connect gave a context */
	scoped_guard(spinlock, &pci_tsm_ctx_lock) {
		tsm = pdev->tsm;
		fn = tsm && tsm->dsm_dev != pdev && pci_tsm_is_link_tsm(tsm->tsm_dev);
	}
	return fn ? a->mode : 0;
}

const struct attribute_group pci_tsm_auth_attr_group = {
	.attrs = pci_tsm_auth_attrs,
	.is_visible = pci_tsm_auth_attr_visible,
};
