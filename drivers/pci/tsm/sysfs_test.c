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

struct add_dev_ctx {
	struct pci_dev *pdev;
	struct completion done;
};

static int add_dev_thread(void *data)
{
	struct add_dev_ctx *ctx = data;

	pci_tsm_add_dev(ctx->pdev);
	complete(&ctx->done);
	return 0;
}

/*
 * With pci_tsm_sysfs_lock held elsewhere (a TSM registering), adding a
 * device returns at once and leaves the update of its attributes to the
 * work item, which runs once the lock is free.
 */
static void pci_tsm_sysfs_test_add_dev_no_wait(struct kunit *test)
{
	struct add_dev_ctx ctx = {};
	struct task_struct *task;
	unsigned long left;
	unsigned int busy;

	/* never added: pci_tsm_sysfs_update() leaves it alone */
	ctx.pdev = kunit_kzalloc(test, sizeof(*ctx.pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx.pdev);
	init_completion(&ctx.done);
	/* no update pending from earlier: one after this is this device's */
	flush_work(&pci_tsm_sysfs_work);

	mutex_lock(&pci_tsm_sysfs_lock);
	task = kthread_run(add_dev_thread, &ctx, "pci_tsm_add_dev_test");
	if (IS_ERR(task)) {
		mutex_unlock(&pci_tsm_sysfs_lock);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
		return;
	}
	left = wait_for_completion_timeout(&ctx.done, 5 * HZ);
	/* the deferred update cannot have finished: it needs the lock */
	busy = work_busy(&pci_tsm_sysfs_work);
	mutex_unlock(&pci_tsm_sysfs_lock);
	/* a thread that did wait finishes now: ctx must outlive it */
	if (!left)
		wait_for_completion(&ctx.done);
	flush_work(&pci_tsm_sysfs_work);

	KUNIT_EXPECT_NE_MSG(test, left, 0,
			    "pci_tsm_add_dev() waited for pci_tsm_sysfs_lock");
	KUNIT_EXPECT_NE_MSG(test, busy, 0,
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

static int destroy_thread(void *data)
{
	struct add_dev_ctx *ctx = data;

	pci_tsm_destroy(ctx->pdev);
	complete(&ctx->done);
	return 0;
}

/*
 * The removal of a device (pci_tsm_destroy(), then device_del()) must
 * not return while an update of the tsm groups runs (a TSM registering
 * holds pci_tsm_sysfs_lock): sysfs_update_group() would otherwise work
 * on the sysfs directory that device_del() takes down.
 */
static void pci_tsm_sysfs_test_destroy_waits(struct kunit *test)
{
	struct add_dev_ctx ctx = {};
	struct task_struct *task;
	unsigned long early, left;

	/* no context and no evidence: only the wait is left to do */
	ctx.pdev = kunit_kzalloc(test, sizeof(*ctx.pdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx.pdev);
	init_completion(&ctx.done);

	mutex_lock(&pci_tsm_sysfs_lock);
	task = kthread_run(destroy_thread, &ctx, "pci_tsm_destroy_test");
	if (IS_ERR(task)) {
		mutex_unlock(&pci_tsm_sysfs_lock);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
		return;
	}
	early = wait_for_completion_timeout(&ctx.done, HZ / 5);
	mutex_unlock(&pci_tsm_sysfs_lock);
	left = early ?: wait_for_completion_timeout(&ctx.done, 5 * HZ);
	/* ctx must outlive the thread */
	if (!left)
		wait_for_completion(&ctx.done);

	KUNIT_EXPECT_EQ_MSG(test, early, 0,
			    "pci_tsm_destroy() returned during a tsm group update");
	KUNIT_EXPECT_NE_MSG(test, left, 0,
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
