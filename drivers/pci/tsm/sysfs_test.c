// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the tsm attribute updates (sysfs.c) against the locks
 * of device addition.
 *
 * pci_tsm_add_dev() runs for every new device, also from
 * sriov_numvfs_store() with the PF's device lock held.  A TSM registering
 * holds pci_tsm_sysfs_lock while sysfs_update_group() waits for the tsm
 * attribute methods of every device, the PF's included, and those wait
 * for the PF's device lock: pci_tsm_add_dev() must never wait for
 * pci_tsm_sysfs_lock, or VF creation and TSM registration deadlock.
 *
 * Device removal, the other way round, must wait for an update that runs,
 * before device_del() removes the directory the update works on.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

#include "../pci.h"
#include "core.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/**
 * struct locked_call - a call made while the test holds pci_tsm_sysfs_lock
 * @fn: the function under test
 * @pdev: its argument, a stand-in device never added
 * @done: completed when @fn returned
 * @early: jiffies left of the wait under the lock when @fn returned, 0
 *	if it did not return while the lock was held
 * @busy: work_busy() of the deferred update, read under the lock
 */
struct locked_call {
	void (*fn)(struct pci_dev *pdev);
	struct pci_dev *pdev;
	struct completion done;
	unsigned long early;
	unsigned int busy;
};

static int locked_call_thread(void *data)
{
	struct locked_call *c = data;

	c->fn(c->pdev);
	complete(&c->done);
	return 0;
}

/*
 * Hold pci_tsm_sysfs_lock, as a registering TSM's update does, and call
 * @c->fn in a kthread; wait @wait jiffies for it under the lock, then
 * release the lock.  Return: whether @c->fn returned within 5 s of that.
 */
static bool locked_call_run(struct kunit *test, struct locked_call *c,
			    unsigned long wait)
{
	struct task_struct *task;
	unsigned long left;

	c->pdev = kunit_kzalloc(test, sizeof(*c->pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->pdev);
	init_completion(&c->done);

	mutex_lock(&pci_tsm_sysfs_lock);
	task = kthread_run(locked_call_thread, c, "pci_tsm_sysfs_test");
	if (IS_ERR(task)) {
		mutex_unlock(&pci_tsm_sysfs_lock);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
		return false;
	}
	c->early = wait_for_completion_timeout(&c->done, wait);
	c->busy = work_busy(&pci_tsm_sysfs_work);
	mutex_unlock(&pci_tsm_sysfs_lock);
	left = c->early ?: wait_for_completion_timeout(&c->done, 5 * HZ);
	/* @c must outlive the thread */
	if (!left)
		wait_for_completion(&c->done);
	return left;
}

/*
 * With pci_tsm_sysfs_lock held elsewhere (a TSM registering), adding a
 * device returns at once and leaves the update of its attributes to the
 * work item, which runs once the lock is free.
 */
static void pci_tsm_sysfs_test_add_dev_no_wait(struct kunit *test)
{
	struct locked_call c = { .fn = pci_tsm_add_dev };

	/* no update pending from earlier: one after this is this device's */
	flush_work(&pci_tsm_sysfs_work);
	/* never added: pci_tsm_sysfs_update() leaves the device alone */
	locked_call_run(test, &c, 5 * HZ);
	flush_work(&pci_tsm_sysfs_work);

	KUNIT_EXPECT_NE_MSG(test, c.early, 0,
			    "pci_tsm_add_dev() waited for pci_tsm_sysfs_lock");
	/* the deferred update cannot have finished under the lock */
	KUNIT_EXPECT_NE_MSG(test, c.busy, 0,
			    "no deferred update of the added device");
	KUNIT_EXPECT_FALSE(test, work_busy(&pci_tsm_sysfs_work));
}

/* With the lock free the update runs in place: nothing is deferred */
static void pci_tsm_sysfs_test_add_dev_in_place(struct kunit *test)
{
	struct pci_dev *pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	flush_work(&pci_tsm_sysfs_work);
	pci_tsm_add_dev(pdev);
	KUNIT_EXPECT_FALSE(test, work_busy(&pci_tsm_sysfs_work));
}

/*
 * The removal of a device (pci_tsm_destroy(), then device_del()) must
 * not return while an update of the tsm groups runs (a TSM registering
 * holds pci_tsm_sysfs_lock): sysfs_update_group() would otherwise work
 * on the sysfs directory that device_del() takes down.
 */
static void pci_tsm_sysfs_test_destroy_waits(struct kunit *test)
{
	/* no context and no evidence: only the wait is left to do */
	struct locked_call c = { .fn = pci_tsm_destroy };
	bool returned = locked_call_run(test, &c, HZ / 5);

	KUNIT_EXPECT_EQ_MSG(test, c.early, 0,
			    "pci_tsm_destroy() returned during a tsm group update");
	KUNIT_EXPECT_TRUE_MSG(test, returned,
			      "pci_tsm_destroy() still waits after the update");
}

static struct kunit_case pci_tsm_sysfs_test_cases[] = {
	KUNIT_CASE(pci_tsm_sysfs_test_add_dev_no_wait),
	KUNIT_CASE(pci_tsm_sysfs_test_destroy_waits),
	KUNIT_CASE(pci_tsm_sysfs_test_add_dev_in_place),
	{}
};

static struct kunit_suite pci_tsm_sysfs_test_suite = {
	.name = "pci_tsm_sysfs",
	.test_cases = pci_tsm_sysfs_test_cases,
};

kunit_test_suite(pci_tsm_sysfs_test_suite);

MODULE_DESCRIPTION("KUnit tests of the PCI/TSM attribute updates");
MODULE_LICENSE("GPL");
