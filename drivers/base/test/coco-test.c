// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of device_cc_accept() and friends: acceptance only changes
 * with no driver bound, and holds until removal has released the driver.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/device.h>

/* device_cc_accepted() as the driver's remove() saw it, -1 if not called */
static int coco_test_remove_saw;

static int coco_test_remove(struct device *dev)
{
	coco_test_remove_saw = device_cc_accepted(dev);
	return 0;
}

static int coco_test_accept(struct device *dev)
{
	guard(device)(dev);
	return device_cc_accept(dev);
}

static int coco_test_reject(struct device *dev)
{
	guard(device)(dev);
	return device_cc_reject(dev);
}

/* Accept and reject with and without a driver bound */
static void coco_test_accept_reject(struct kunit *test)
{
	struct device_driver *drv;
	struct device *dev;

	dev = kunit_device_register_with_driver(test, "cc", NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_NULL(test, dev->driver);
	KUNIT_EXPECT_FALSE(test, device_cc_accepted(dev));
	KUNIT_EXPECT_EQ(test, coco_test_accept(dev), 0);
	KUNIT_EXPECT_EQ(test, coco_test_accept(dev), 0);
	KUNIT_EXPECT_TRUE(test, device_cc_accepted(dev));

	/* the kunit bus matches any driver: this one binds dev */
	drv = kunit_driver_create(test, "cc_drv");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, drv);
	KUNIT_ASSERT_PTR_EQ(test, dev->driver, drv);
	KUNIT_EXPECT_EQ(test, coco_test_reject(dev), -EBUSY);
	KUNIT_EXPECT_TRUE(test, device_cc_accepted(dev));

	device_release_driver(dev);
	KUNIT_EXPECT_EQ(test, coco_test_reject(dev), 0);
	KUNIT_EXPECT_FALSE(test, device_cc_accepted(dev));
	KUNIT_EXPECT_EQ(test, coco_test_reject(dev), 0);
	/* a bound driver refuses acceptance too */
	KUNIT_ASSERT_EQ(test, device_attach(dev), 1);
	KUNIT_EXPECT_EQ(test, coco_test_accept(dev), -EBUSY);
	KUNIT_EXPECT_FALSE(test, device_cc_accepted(dev));
}

/*
 * Removal withdraws acceptance, but only once the driver is released:
 * remove() still runs on an accepted device, and frees what it allocated
 * for one (DMA buffers from private memory).
 */
static void coco_test_removal(struct kunit *test)
{
	struct device_driver *drv;
	struct device *dev;

	dev = kunit_device_register_with_driver(test, "cc", NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, coco_test_accept(dev), 0);
	drv = kunit_driver_create(test, "cc_drv");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, drv);
	KUNIT_ASSERT_PTR_EQ(test, dev->driver, drv);
	drv->remove = coco_test_remove;

	coco_test_remove_saw = -1;
	get_device(dev);
	kunit_device_unregister(test, dev);
	KUNIT_EXPECT_EQ(test, coco_test_remove_saw, 1);
	KUNIT_EXPECT_FALSE(test, device_cc_accepted(dev));
	/* a device being removed cannot be accepted again */
	KUNIT_EXPECT_EQ(test, coco_test_accept(dev), -ENODEV);
	KUNIT_EXPECT_FALSE(test, device_cc_accepted(dev));
	put_device(dev);
}

static struct kunit_case coco_test_cases[] = {
	KUNIT_CASE(coco_test_accept_reject),
	KUNIT_CASE(coco_test_removal),
	{}
};

static struct kunit_suite coco_test_suite = {
	.name = "device_cc",
	.test_cases = coco_test_cases,
};

kunit_test_suite(coco_test_suite);

MODULE_DESCRIPTION("KUnit tests of device acceptance in confidential guests");
MODULE_LICENSE("GPL");
