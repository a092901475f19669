// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the pure parts of drivers/pci/ide.c: IDE Capability
 * decoding, index allocation from the host bridge pools and composition
 * of the selective stream register values (PCIe r6.1 sec 7.9.26).
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/pci.h>
#include <linux/pci-ide.h>

#include "ide.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

struct ide_cap_case {
	const char *name;
	u32 cap;
	int rc;
	u8 nr_link;
	u16 nr_sel;
	bool tee_limited;
};

static const struct ide_cap_case ide_cap_cases[] = {
	{ "none", 0, -ENODEV, 0, 0, false },
	{ "link only", PCI_IDE_CAP_LINK | (3 << 13), -ENODEV, 4, 0, false },
	{ "one selective", PCI_IDE_CAP_SELECTIVE, 0, 0, 1, false },
	{ "devsec endpoint",
	  PCI_IDE_CAP_SELECTIVE | PCI_IDE_CAP_IDE_KM | PCI_IDE_CAP_TEE_LIMITED,
	  0, 0, 1, true },
	{ "devsec root port",
	  PCI_IDE_CAP_SELECTIVE | PCI_IDE_CAP_IDE_KM | PCI_IDE_CAP_TEE_LIMITED |
	  (3 << 16), 0, 0, 4, true },
	{ "maximum", PCI_IDE_CAP_LINK | PCI_IDE_CAP_SELECTIVE |
	  PCI_IDE_CAP_LINK_TC_NUM | PCI_IDE_CAP_SEL_NUM, 0, 8, 256, false },
};

static void ide_cap_case_desc(const struct ide_cap_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ide_cap, ide_cap_cases, ide_cap_case_desc);

static void ide_cap_parse_test(struct kunit *test)
{
	const struct ide_cap_case *c = test->param_value;
	struct pci_ide_cap_info info;

	KUNIT_EXPECT_EQ(test, pci_ide_cap_parse(c->cap, &info), c->rc);
	KUNIT_EXPECT_EQ(test, info.nr_link, c->nr_link);
	KUNIT_EXPECT_EQ(test, info.nr_sel, c->nr_sel);
	KUNIT_EXPECT_EQ(test, info.tee_limited, c->tee_limited);
}

static void ide_alloc_index_test(struct kunit *test)
{
	DECLARE_BITMAP(map, PCI_IDE_MAX_SEL_STREAMS) = {};
	const unsigned int nr_ids = PCI_IDE_RESERVED_STREAM_ID;
	int i;

	/* A pool of 4: 0..3, then exhausted */
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, 4), i);
	KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, 4), -EBUSY);
	/* Freed slots are reused lowest first */
	__clear_bit(2, map);
	__clear_bit(1, map);
	KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, 4), 1);
	KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, 4), 2);
	/* An empty pool */
	bitmap_zero(map, PCI_IDE_MAX_SEL_STREAMS);
	KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, 0), -EBUSY);
	/* Stream IDs never reach the reserved 255 */
	for (i = 0; i < PCI_IDE_RESERVED_STREAM_ID; i++)
		KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, nr_ids), i);
	KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, nr_ids), -EBUSY);
	KUNIT_EXPECT_FALSE(test, test_bit(PCI_IDE_RESERVED_STREAM_ID, map));
}

static void ide_sel_ctl_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, pci_ide_sel_ctl(0, false, false), 0);
	KUNIT_EXPECT_EQ(test, pci_ide_sel_ctl(0, false, true), 0x00000001);
	KUNIT_EXPECT_EQ(test, pci_ide_sel_ctl(0x5a, true, false), 0x5a800000);
	KUNIT_EXPECT_EQ(test, pci_ide_sel_ctl(254, true, true), 0xfe800001);
}

static void ide_rid_assoc_test(struct kunit *test)
{
	u32 rid1, rid2;

	/* 01:00.0 - 01:00.7 in segment 0x10 */
	pci_ide_rid_assoc(0x0100, 0x0107, 0x10, &rid1, &rid2);
	KUNIT_EXPECT_EQ(test, rid1, 0x00010700);
	KUNIT_EXPECT_EQ(test, rid2, 0x10010001);
	pci_ide_rid_assoc(0xffff, 0xffff, 0xff, &rid1, &rid2);
	KUNIT_EXPECT_EQ(test, rid1, 0x00ffff00);
	KUNIT_EXPECT_EQ(test, rid2, 0xffffff01);
}

static void ide_addr_assoc_test(struct kunit *test)
{
	u32 a1, a2, a3;

	/* A 2 MiB BAR at 0x3_4560_0000 */
	pci_ide_addr_assoc(0x345600000ULL, 0x3457fffffULL, &a1, &a2, &a3);
	KUNIT_EXPECT_EQ(test, a1, 0x45745601);
	KUNIT_EXPECT_EQ(test, a2, 0x3);
	KUNIT_EXPECT_EQ(test, a3, 0x3);
	/* Below 4 GiB: upper halves zero */
	pci_ide_addr_assoc(0xfe000000, 0xfe0fffff, &a1, &a2, &a3);
	KUNIT_EXPECT_EQ(test, a1, 0xfe0fe001);
	KUNIT_EXPECT_EQ(test, a2, 0);
	KUNIT_EXPECT_EQ(test, a3, 0);
}

static struct kunit_case pci_ide_test_cases[] = {
	KUNIT_CASE_PARAM(ide_cap_parse_test, ide_cap_gen_params),
	KUNIT_CASE(ide_alloc_index_test),
	KUNIT_CASE(ide_sel_ctl_test),
	KUNIT_CASE(ide_rid_assoc_test),
	KUNIT_CASE(ide_addr_assoc_test),
	{}
};

static struct kunit_suite pci_ide_test_suite = {
	.name = "pci_ide",
	.test_cases = pci_ide_test_cases,
};

kunit_test_suite(pci_ide_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for PCI IDE");
