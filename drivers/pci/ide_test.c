// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the pure parts of drivers/pci/ide.c: IDE Capability
 * decoding, index allocation from the host bridge pools and composition
 * of the selective stream register values (PCIe r6.1 sec 7.9.26); and
 * the programming of a register block on a fake device whose config
 * space changes under the kernel.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/pci.h>
#include <linux/pci-ide.h>
#include <linux/unaligned.h>

#include "ide.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/*
 * The stream API as upstream's include/linux/pci-ide.h (v2 of the
 * PCI/TSM series) declares it: a drift breaks the build.  Bit-fields
 * (default_stream, setup, enable) have no type to compare.
 */
#define IDE_API_FN(fn, proto)	static_assert(__same_type(&(fn), proto))
#define IDE_API_MEMBER(type, member, mtype) \
	static_assert(__builtin_types_compatible_p(typeof_member(type, member), \
						   mtype))

IDE_API_FN(pci_ide_set_nr_streams, void (*)(struct pci_host_bridge *hb,
					    u16 nr));
IDE_API_FN(pci_ide_to_settings, struct pci_ide_partner *(*)(struct pci_dev *,
							    struct pci_ide *));
IDE_API_FN(pci_ide_stream_alloc, struct pci_ide *(*)(struct pci_dev *pdev));
IDE_API_FN(pci_ide_stream_free, void (*)(struct pci_ide *ide));
IDE_API_FN(pci_ide_stream_register, int (*)(struct pci_ide *ide));
IDE_API_FN(pci_ide_stream_unregister, void (*)(struct pci_ide *ide));
IDE_API_FN(pci_ide_stream_setup, void (*)(struct pci_dev *pdev,
					  struct pci_ide *ide));
IDE_API_FN(pci_ide_stream_teardown, void (*)(struct pci_dev *pdev,
					     struct pci_ide *ide));
IDE_API_FN(pci_ide_stream_enable, int (*)(struct pci_dev *pdev,
					  struct pci_ide *ide));
IDE_API_FN(pci_ide_stream_disable, void (*)(struct pci_dev *pdev,
					    struct pci_ide *ide));
IDE_API_FN(pci_ide_stream_release, void (*)(struct pci_ide *ide));

IDE_API_MEMBER(struct pci_ide_partner, rid_start, u16);
IDE_API_MEMBER(struct pci_ide_partner, rid_end, u16);
IDE_API_MEMBER(struct pci_ide_partner, stream_index, u8);
IDE_API_MEMBER(struct pci_ide_partner, mem_assoc, struct pci_bus_region);
IDE_API_MEMBER(struct pci_ide_partner, pref_assoc, struct pci_bus_region);
IDE_API_MEMBER(struct pci_ide, pdev, struct pci_dev *);
IDE_API_MEMBER(struct pci_ide, partner,
	       struct pci_ide_partner[PCI_IDE_PARTNER_MAX]);
IDE_API_MEMBER(struct pci_ide, host_bridge_stream, u8);
IDE_API_MEMBER(struct pci_ide, stream_id, int);
IDE_API_MEMBER(struct pci_ide, name, const char *);
IDE_API_MEMBER(struct pci_ide, tsm_dev, struct tsm_dev *);
static_assert(offsetof(struct pci_ide, pdev) < offsetof(struct pci_ide, partner) &&
	      offsetof(struct pci_ide, partner) <
	      offsetof(struct pci_ide, host_bridge_stream) &&
	      offsetof(struct pci_ide, host_bridge_stream) <
	      offsetof(struct pci_ide, stream_id) &&
	      offsetof(struct pci_ide, stream_id) < offsetof(struct pci_ide, name) &&
	      offsetof(struct pci_ide, name) < offsetof(struct pci_ide, tsm_dev));
static_assert(sizeof(struct pci_ide) ==
	      ALIGN(offsetofend(struct pci_ide, tsm_dev),
		    __alignof__(struct pci_ide)));
static_assert(PCI_IDE_EP == 0 && PCI_IDE_RP == 1 && PCI_IDE_PARTNER_MAX == 2 &&
	      PCI_IDE_HB == PCI_IDE_PARTNER_MAX);
static_assert(PCI_IDE_RESERVED_STREAM_ID == 255);

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
	const unsigned int nr = 255;
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
	/* A pool of @nr never hands out index @nr */
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, nr), i);
	KUNIT_EXPECT_EQ(test, pci_ide_alloc_index(map, nr), -EBUSY);
	KUNIT_EXPECT_FALSE(test, test_bit(nr, map));
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

/*
 * A fake endpoint whose config space is an array behind struct pci_ops,
 * for the register programming: the Selective IDE Stream Capability
 * register of its block 0 reads @assoc_first once, then @assoc_later,
 * like a device that changes its association count after enumeration.
 */
struct ide_fake_dev {
	u8 cfg[PCI_CFG_SPACE_EXP_SIZE];
	unsigned int sel_cap;
	unsigned int assoc_first;
	unsigned int assoc_later;
	unsigned int nr_cap_reads;
	unsigned int write_end;
	struct pci_bus bus;
	struct pci_dev pdev;
};

static int ide_fake_read(struct pci_bus *bus, unsigned int devfn, int where,
			 int size, u32 *val)
{
	struct ide_fake_dev *f = bus->sysdata;

	if (where == f->sel_cap && size == 4) {
		*val = f->nr_cap_reads++ ? f->assoc_later : f->assoc_first;
		return PCIBIOS_SUCCESSFUL;
	}
	if (where < 0 || where + size > PCI_CFG_SPACE_EXP_SIZE) {
		*val = ~0;
		return PCIBIOS_BAD_REGISTER_NUMBER;
	}
	*val = 0;
	memcpy(val, f->cfg + where, size);
	return PCIBIOS_SUCCESSFUL;
}

static int ide_fake_write(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 val)
{
	struct ide_fake_dev *f = bus->sysdata;

	/* Every write is recorded, also one past the end of config space */
	f->write_end = max_t(unsigned int, f->write_end, where + size);
	if (where < 0 || where + size > PCI_CFG_SPACE_EXP_SIZE)
		return PCIBIOS_BAD_REGISTER_NUMBER;
	memcpy(f->cfg + where, &val, size);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops ide_fake_ops = {
	.read = ide_fake_read,
	.write = ide_fake_write,
};

/* A fake endpoint whose only selective stream block starts at @block */
static struct ide_fake_dev *ide_fake_alloc(struct kunit *test,
					   unsigned int block)
{
	struct ide_fake_dev *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->bus.ops = &ide_fake_ops;
	f->bus.sysdata = f;
	f->pdev.bus = &f->bus;
	f->pdev.error_state = pci_channel_io_normal;
	f->pdev.pcie_cap = 0x40;
	f->pdev.pcie_flags_reg = FIELD_PREP(PCI_EXP_FLAGS_TYPE,
					    PCI_EXP_TYPE_ENDPOINT);
	f->pdev.ide_cap = block - PCI_IDE_LINK_STREAM_0;
	f->pdev.nr_sel_ide = 1;
	f->sel_cap = block + PCI_IDE_SEL_CAP;
	return f;
}

static struct pci_ide *ide_fake_stream(struct kunit *test,
				       struct ide_fake_dev *f)
{
	struct pci_ide *ide = kunit_kzalloc(test, sizeof(*ide), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ide);
	ide->pdev = &f->pdev;
	ide->partner[PCI_IDE_EP].setup = true;
	return ide;
}

/*
 * The last block that fits in config space without address association
 * blocks: the device validates with none, then claims one.  Programming
 * the block must stay within the 4 KiB it was validated for.
 */
static void ide_block_assoc_change_test(struct kunit *test)
{
	unsigned int block = PCI_CFG_SPACE_EXP_SIZE - PCI_IDE_SEL_BLOCK_SIZE(0);
	struct ide_fake_dev *f = ide_fake_alloc(test, block);
	struct pci_ide *ide = ide_fake_stream(test, f);

	f->assoc_first = 0;
	f->assoc_later = FIELD_MAX(PCI_IDE_SEL_CAP_ASSOC_NUM);
	pci_ide_stream_teardown(&f->pdev, ide);
	KUNIT_EXPECT_GE(test, f->nr_cap_reads, 1);
	KUNIT_EXPECT_LE(test, f->write_end, PCI_CFG_SPACE_EXP_SIZE);
	KUNIT_EXPECT_LE(test, f->write_end, block + PCI_IDE_SEL_BLOCK_SIZE(0));
	KUNIT_EXPECT_FALSE(test, ide->partner[PCI_IDE_EP].setup);
}

/* A block validated with one association block has it programmed */
static void ide_block_assoc_stable_test(struct kunit *test)
{
	unsigned int block = PCI_CFG_SPACE_EXP_SIZE - PCI_IDE_SEL_BLOCK_SIZE(1);
	struct ide_fake_dev *f = ide_fake_alloc(test, block);
	struct pci_ide *ide = ide_fake_stream(test, f);

	f->assoc_first = 1;
	f->assoc_later = 1;
	memset(f->cfg + block, 0xa5, PCI_IDE_SEL_BLOCK_SIZE(1));
	pci_ide_stream_teardown(&f->pdev, ide);
	KUNIT_EXPECT_EQ(test, f->write_end, PCI_CFG_SPACE_EXP_SIZE);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(f->cfg + block +
						 PCI_IDE_SEL_ADDR_1(0)), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(f->cfg + block +
						 PCI_IDE_SEL_ADDR_3(0)), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(f->cfg + block +
						 PCI_IDE_SEL_CTL), 0);
}

/* Only the stream's endpoint (or its root port) is an end of the stream */
static void ide_to_settings_test(struct kunit *test)
{
	struct ide_fake_dev *f = ide_fake_alloc(test, 0x200);
	struct ide_fake_dev *other = ide_fake_alloc(test, 0x200);
	struct pci_ide *ide = ide_fake_stream(test, f);

	KUNIT_EXPECT_PTR_EQ(test, pci_ide_to_settings(&f->pdev, ide),
			    &ide->partner[PCI_IDE_EP]);
	KUNIT_EXPECT_NULL(test, pci_ide_to_settings(&other->pdev, ide));
	f->pdev.pcie_cap = 0;
	KUNIT_EXPECT_NULL(test, pci_ide_to_settings(&f->pdev, ide));
}

/*
 * The TSM sets the Stream ID; registration refuses a negative or too
 * large one (ENXIO) and the reserved one (EBUSY), leaving no name.
 */
static void ide_register_bad_id_test(struct kunit *test)
{
	struct ide_fake_dev *f = ide_fake_alloc(test, 0x200);
	struct pci_ide *ide = ide_fake_stream(test, f);

	ide->stream_id = -1;
	KUNIT_EXPECT_EQ(test, pci_ide_stream_register(ide), -ENXIO);
	ide->stream_id = U8_MAX + 1;
	KUNIT_EXPECT_EQ(test, pci_ide_stream_register(ide), -ENXIO);
	ide->stream_id = PCI_IDE_RESERVED_STREAM_ID;
	KUNIT_EXPECT_EQ(test, pci_ide_stream_register(ide), -EBUSY);
	KUNIT_EXPECT_NULL(test, ide->name);
}

/*
 * Setup programs mem_assoc in the end's first address association block,
 * with Stream ID and Default Stream in the control register; a block for
 * which there is no range (the endpoint's by default) is cleared.
 */
static void ide_setup_assoc_test(struct kunit *test)
{
	unsigned int block = 0x200;
	struct ide_fake_dev *f = ide_fake_alloc(test, block);
	struct pci_ide *ide = ide_fake_stream(test, f);
	struct pci_ide_partner *p = &ide->partner[PCI_IDE_EP];

	f->assoc_first = 1;
	f->assoc_later = 1;
	ide->stream_id = 0x5a;
	p->setup = 0;
	p->default_stream = 1;
	p->mem_assoc = (struct pci_bus_region) { 0xfe000000, 0xfe0fffff };
	p->pref_assoc = (struct pci_bus_region) { 0, -1 };
	pci_ide_stream_setup(&f->pdev, ide);
	KUNIT_EXPECT_TRUE(test, p->setup);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(f->cfg + block +
						 PCI_IDE_SEL_ADDR_1(0)),
			0xfe0fe001);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(f->cfg + block +
						 PCI_IDE_SEL_CTL),
			0x5a000000 | PCI_IDE_SEL_CTL_DEFAULT);

	p->mem_assoc = (struct pci_bus_region) { 0, -1 };
	pci_ide_stream_setup(&f->pdev, ide);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(f->cfg + block +
						 PCI_IDE_SEL_ADDR_1(0)), 0);
}

static struct kunit_case pci_ide_test_cases[] = {
	KUNIT_CASE_PARAM(ide_cap_parse_test, ide_cap_gen_params),
	KUNIT_CASE(ide_alloc_index_test),
	KUNIT_CASE(ide_sel_ctl_test),
	KUNIT_CASE(ide_rid_assoc_test),
	KUNIT_CASE(ide_addr_assoc_test),
	KUNIT_CASE(ide_block_assoc_change_test),
	KUNIT_CASE(ide_block_assoc_stable_test),
	KUNIT_CASE(ide_to_settings_test),
	KUNIT_CASE(ide_register_bad_id_test),
	KUNIT_CASE(ide_setup_assoc_test),
	{}
};

static struct kunit_suite pci_ide_test_suite = {
	.name = "pci_ide",
	.test_cases = pci_ide_test_cases,
};

kunit_test_suite(pci_ide_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for PCI IDE");
