// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample "link" TSM for the devsec simulated PCI topology (skeleton).
 */
#include <linux/module.h>

static int __init devsec_link_tsm_init(void)
{
	return 0;
}
module_init(devsec_link_tsm_init);

static void __exit devsec_link_tsm_exit(void)
{
}
module_exit(devsec_link_tsm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sample link TSM for devsec PCI devices");
