// SPDX-License-Identifier: GPL-2.0-only
/*
 * devsec_common: what the devsec sample modules share whatever order they
 * are loaded in.
 *
 * The simulated bus (devsec_bus) registers the sysdata of each host bridge
 * it creates; the sample TSM drivers ask devsec_pci_dev() whether a PCI
 * function lives below one of them before they agree to serve it.  Keeping
 * the registry in its own small module lets a TSM be loaded before or
 * after the bus, and lets the bus come and go while a TSM stays loaded.
 */
#include <linux/cleanup.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/xarray.h>

#include "devsec.h"

/* domain number -> struct pci_sysdata of a devsec host bridge */
static DEFINE_XARRAY(devsec_hosts);

/**
 * devsec_register_sysdata() - mark a host bridge as part of the sample
 * @sd: sysdata of the host bridge (x86: carries the PCI domain number)
 *
 * Return: 0 on success, -EBUSY if the domain is already registered.
 */
int devsec_register_sysdata(struct pci_sysdata *sd)
{
	return xa_insert(&devsec_hosts, sd->domain, sd, GFP_KERNEL);
}
EXPORT_SYMBOL_NS_GPL(devsec_register_sysdata, DEVSEC);

/**
 * devsec_unregister_sysdata() - undo devsec_register_sysdata()
 * @sd: sysdata passed to devsec_register_sysdata()
 */
void devsec_unregister_sysdata(struct pci_sysdata *sd)
{
	xa_cmpxchg(&devsec_hosts, sd->domain, sd, NULL, GFP_KERNEL);
}
EXPORT_SYMBOL_NS_GPL(devsec_unregister_sysdata, DEVSEC);

/**
 * devsec_pci_dev() - is @pdev a function of the simulated devsec topology?
 * @pdev: any PCI function
 *
 * Lets the sample TSMs serve simulated devices only.
 *
 * Return: true for the root ports and endpoints below a host bridge
 * registered by devsec_bus, false for every other device.
 */
bool devsec_pci_dev(struct pci_dev *pdev)
{
	struct pci_bus *root = pdev->bus;

	while (!pci_is_root_bus(root))
		root = root->parent;

	/* only the pointer is compared: @root->sysdata may be anybody's */
	return xa_load(&devsec_hosts, pci_domain_nr(root)) == root->sysdata;
}
EXPORT_SYMBOL_NS_GPL(devsec_pci_dev, DEVSEC);

static DEFINE_MUTEX(devsec_rp_ide_keys_lock);
static devsec_rp_ide_keys_fn devsec_rp_ide_keys_handler;

/**
 * devsec_register_rp_ide_keys() - set (or, with NULL, clear) the handler
 *	of devsec_rp_ide_keys()
 * @fn: the handler, called under a mutex so it cannot go away mid-call
 */
void devsec_register_rp_ide_keys(devsec_rp_ide_keys_fn fn)
{
	guard(mutex)(&devsec_rp_ide_keys_lock);
	devsec_rp_ide_keys_handler = fn;
}
EXPORT_SYMBOL_NS_GPL(devsec_register_rp_ide_keys, DEVSEC);

/**
 * devsec_rp_ide_keys() - have the platform's keys of a root port stream
 *	programmed (or dropped)
 * @rp: a devsec root port
 * @stream: its selective stream register block
 * @ready: keys ready or not
 *
 * Return: 0, or -ENODEV without devsec_bus, -EINVAL for a bad @stream.
 */
int devsec_rp_ide_keys(struct pci_dev *rp, unsigned int stream, bool ready)
{
	guard(mutex)(&devsec_rp_ide_keys_lock);
	if (!devsec_rp_ide_keys_handler)
		return -ENODEV;
	return devsec_rp_ide_keys_handler(rp, stream, ready);
}
EXPORT_SYMBOL_NS_GPL(devsec_rp_ide_keys, DEVSEC);

static void __exit devsec_common_exit(void)
{
	/* devsec_bus imports our symbols, so it is gone by now */
	WARN_ON(!xa_empty(&devsec_hosts));
	xa_destroy(&devsec_hosts);
}
module_exit(devsec_common_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devsec sample: state shared by the devsec modules");
