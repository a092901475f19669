// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the TDISP interface report parser and state checks
 * (tdisp.c).  Each malformed report is one table entry: the parser must
 * refuse it with the listed errno and never read past the buffer (KASAN
 * catches that, every report is built in a buffer of exactly its size).
 */
#include <kunit/test.h>
#include <linux/pci-tdisp.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#define BAR0_START	0x100000000ULL
#define BAR0_SIZE	SZ_2M
#define BAR2_START	0x200000000ULL
#define BAR2_SIZE	SZ_64K
#define MMIO_OFFSET	0x40000000000ULL
#define MAX_RANGES	8

/* A kunit-managed copy of the first @len bytes of @src, exactly @len long */
static void *test_dup(struct kunit *test, const void *src, size_t len)
{
	void *p = kunit_kmalloc(test, len ?: 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memcpy(p, src, len);
	return p;
}

static const struct pci_tdisp_bar test_bars[] = {
	[0] = { BAR0_START, BAR0_START + BAR0_SIZE - 1 },
	[2] = { BAR2_START, BAR2_START + BAR2_SIZE - 1 },
};

struct test_range {
	u64 addr;	/* before the reporting offset is added */
	u32 nr_pages;
	u16 attr;
};

/**
 * struct report_case - one report and the parser's expected verdict
 * @name: case name
 * @ranges: the MMIO ranges to encode
 * @nr_ranges: number of entries of @ranges encoded
 * @count: MMIO_RANGE_COUNT written in the header (-1: @nr_ranges)
 * @info_len: device specific info bytes appended
 * @info_len_field: value of the length field (-1: @info_len)
 * @trim: bytes cut from the end of the encoded report
 * @expect: expected return value
 */
struct report_case {
	const char *name;
	struct test_range ranges[4];
	unsigned int nr_ranges;
	int count;
	unsigned int info_len;
	int info_len_field;
	unsigned int trim;
	int expect;
};

#define P(n)	((u64)(n) << PCI_TDISP_PAGE_SHIFT)
#define MSIX	(PCI_TDISP_MMIO_MSIX_TABLE | PCI_TDISP_MMIO_NON_TEE)

static const struct report_case report_cases[] = {
	{ .name = "bar0 split around msix",
	  .ranges = { { BAR0_START, 16 }, { BAR0_START + P(16), 1, MSIX },
		      { BAR0_START + P(17), 495 } },
	  .nr_ranges = 3, .count = -1, .info_len_field = -1, .expect = 3 },
	{ .name = "no ranges", .count = -1, .info_len_field = -1,
	  .expect = 0 },
	{ .name = "device info", .ranges = { { BAR2_START, 16 } },
	  .nr_ranges = 1, .count = -1, .info_len = 5, .info_len_field = -1,
	  .expect = 1 },
	{ .name = "truncated header", .count = -1, .info_len_field = -1,
	  .trim = 8, .expect = -EINVAL },
	{ .name = "truncated range", .ranges = { { BAR0_START, 1 } },
	  .nr_ranges = 1, .count = -1, .info_len_field = -1, .trim = 6,
	  .expect = -EINVAL },
	{ .name = "truncated info", .ranges = { { BAR0_START, 1 } },
	  .nr_ranges = 1, .count = -1, .info_len = 4, .info_len_field = -1,
	  .trim = 1, .expect = -EINVAL },
	{ .name = "count beyond data", .ranges = { { BAR0_START, 1 } },
	  .nr_ranges = 1, .count = 2, .info_len_field = -1,
	  .expect = -EINVAL },
	{ .name = "count huge", .count = 0x10000000, .info_len_field = -1,
	  .expect = -E2BIG },
	{ .name = "count above cap", .count = MAX_RANGES + 1,
	  .info_len_field = -1, .expect = -E2BIG },
	{ .name = "info length lies", .ranges = { { BAR0_START, 1 } },
	  .nr_ranges = 1, .count = -1, .info_len = 4, .info_len_field = 0xffff,
	  .expect = -EINVAL },
	{ .name = "trailing garbage", .ranges = { { BAR0_START, 1 } },
	  .nr_ranges = 1, .count = -1, .info_len = 4, .info_len_field = 2,
	  .expect = -EINVAL },
	{ .name = "empty range", .ranges = { { BAR0_START, 0 } },
	  .nr_ranges = 1, .count = -1, .info_len_field = -1,
	  .expect = -EINVAL },
	{ .name = "overlapping", .ranges = { { BAR0_START, 4 },
					     { BAR0_START + P(3), 2 } },
	  .nr_ranges = 2, .count = -1, .info_len_field = -1,
	  .expect = -EINVAL },
	{ .name = "duplicate", .ranges = { { BAR0_START, 1 },
					   { BAR0_START, 1 } },
	  .nr_ranges = 2, .count = -1, .info_len_field = -1,
	  .expect = -EINVAL },
	{ .name = "beyond bar end", .ranges = { { BAR0_START, 513 } },
	  .nr_ranges = 1, .count = -1, .info_len_field = -1,
	  .expect = -EINVAL },
	{ .name = "below bar", .ranges = { { BAR0_START - P(1), 2 } },
	  .nr_ranges = 1, .count = -1, .info_len_field = -1,
	  .expect = -EINVAL },
	{ .name = "across two bars", .ranges = { { BAR0_START, 0xffffffff } },
	  .nr_ranges = 1, .count = -1, .info_len_field = -1,
	  .expect = -EINVAL },
	{ .name = "unimplemented bar", .ranges = { { 0, 1 } },
	  .nr_ranges = 1, .count = -1, .info_len_field = -1,
	  .expect = -EINVAL },
	{ .name = "msix not marked non-tee",
	  .ranges = { { BAR0_START, 1, PCI_TDISP_MMIO_MSIX_TABLE } },
	  .nr_ranges = 1, .count = -1, .info_len_field = -1,
	  .expect = -EINVAL },
};

static void report_case_desc(const struct report_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(report, report_cases, report_case_desc);

/* Encode @c into a kunit-managed buffer of exactly the report's size */
static void *build_report(struct kunit *test, const struct report_case *c,
			  size_t *len)
{
	struct pci_tdisp_report *hdr;
	struct pci_tdisp_mmio_range *mmio;
	size_t full;
	void *buf;
	unsigned int i;

	full = sizeof(*hdr) + c->nr_ranges * sizeof(*mmio) + sizeof(__le32) +
	       c->info_len;
	buf = kunit_kzalloc(test, full, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	hdr = buf;
	hdr->mmio_range_count = cpu_to_le32(c->count < 0 ? c->nr_ranges :
					    c->count);
	mmio = buf + sizeof(*hdr);
	for (i = 0; i < c->nr_ranges; i++) {
		u64 addr = c->ranges[i].addr + MMIO_OFFSET;

		put_unaligned_le64(addr >> PCI_TDISP_PAGE_SHIFT,
				   &mmio[i].first_page);
		put_unaligned_le32(c->ranges[i].nr_pages, &mmio[i].nr_pages);
		put_unaligned_le16(c->ranges[i].attr, &mmio[i].attr);
	}
	put_unaligned_le32(c->info_len_field < 0 ? c->info_len :
			   c->info_len_field, (void *)&mmio[c->nr_ranges]);
	*len = full - c->trim;
	if (!c->trim)
		return buf;
	/* Copy so that the buffer ends exactly at the truncation */
	return test_dup(test, buf, *len);
}

static void pci_tdisp_test_report(struct kunit *test)
{
	const struct report_case *c = test->param_value;
	struct pci_tdisp_range ranges[MAX_RANGES];
	size_t len;
	void *buf;
	int i, rc;

	buf = build_report(test, c, &len);
	rc = pci_tdisp_parse_report(buf, len, MMIO_OFFSET, test_bars,
				    ARRAY_SIZE(test_bars), ranges, MAX_RANGES);
	KUNIT_ASSERT_EQ(test, rc, c->expect);

	for (i = 0; i < rc; i++) {
		u64 size = (u64)c->ranges[i].nr_pages << PCI_TDISP_PAGE_SHIFT;

		KUNIT_EXPECT_EQ(test, ranges[i].start, c->ranges[i].addr);
		KUNIT_EXPECT_EQ(test, ranges[i].end,
				c->ranges[i].addr + size - 1);
		KUNIT_EXPECT_EQ(test, ranges[i].attr, c->ranges[i].attr);
		KUNIT_EXPECT_EQ(test, ranges[i].bar,
				c->ranges[i].addr >= BAR2_START ? 2 : 0);
	}
}

static int parse_one(const void *rep, size_t len, u64 offset)
{
	struct pci_tdisp_range ranges[1];

	return pci_tdisp_parse_report(rep, len, offset, test_bars,
				      ARRAY_SIZE(test_bars), ranges, 1);
}

/* Addresses below the reporting offset and page numbers that overflow */
static void pci_tdisp_test_offset(struct kunit *test)
{
	struct {
		struct pci_tdisp_report hdr;
		struct pci_tdisp_mmio_range r;
		__le32 info_len;
	} __packed rep = {
		.hdr.mmio_range_count = cpu_to_le32(1),
		.r.nr_pages = cpu_to_le32(1),
	};

	rep.r.first_page = cpu_to_le64(BAR0_START >> PCI_TDISP_PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, parse_one(&rep, sizeof(rep), MMIO_OFFSET),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, parse_one(&rep, sizeof(rep), 0), 1);

	rep.r.first_page = cpu_to_le64(U64_MAX);
	KUNIT_EXPECT_EQ(test, parse_one(&rep, sizeof(rep), 0), -EINVAL);

	rep.r.first_page = cpu_to_le64(U64_MAX >> PCI_TDISP_PAGE_SHIFT);
	rep.r.nr_pages = cpu_to_le32(2);
	KUNIT_EXPECT_EQ(test, parse_one(&rep, sizeof(rep), 0), -EINVAL);

	KUNIT_EXPECT_EQ(test, parse_one(NULL, 0, 0), -EINVAL);
}

struct state_case {
	const char *name;
	u8 version;
	u8 type;
	u8 state;
	unsigned int len;
	enum pci_tdisp_state expected;
	int expect;
};

static const struct state_case state_cases[] = {
	{ "locked", PCI_TDISP_VERSION_1_0, PCI_TDISP_INTERFACE_STATE,
	  PCI_TDISP_CONFIG_LOCKED, 17, PCI_TDISP_CONFIG_LOCKED, 0 },
	{ "run", PCI_TDISP_VERSION_1_0, PCI_TDISP_INTERFACE_STATE,
	  PCI_TDISP_RUN, 17, PCI_TDISP_RUN, 0 },
	{ "unexpected state", PCI_TDISP_VERSION_1_0,
	  PCI_TDISP_INTERFACE_STATE, PCI_TDISP_ERROR_STATE, 17, PCI_TDISP_RUN,
	  -EPROTO },
	{ "unknown state", PCI_TDISP_VERSION_1_0, PCI_TDISP_INTERFACE_STATE,
	  7, 17, PCI_TDISP_RUN, -EINVAL },
	{ "truncated", PCI_TDISP_VERSION_1_0, PCI_TDISP_INTERFACE_STATE,
	  PCI_TDISP_RUN, 16, PCI_TDISP_RUN, -EINVAL },
	{ "too long", PCI_TDISP_VERSION_1_0, PCI_TDISP_INTERFACE_STATE,
	  PCI_TDISP_RUN, 18, PCI_TDISP_RUN, -EINVAL },
	{ "short header", PCI_TDISP_VERSION_1_0, PCI_TDISP_INTERFACE_STATE,
	  PCI_TDISP_RUN, 3, PCI_TDISP_RUN, -EINVAL },
	{ "bad version", 0x20, PCI_TDISP_INTERFACE_STATE, PCI_TDISP_RUN, 17,
	  PCI_TDISP_RUN, -EINVAL },
	{ "wrong response", PCI_TDISP_VERSION_1_0, PCI_TDISP_INTERFACE_REPORT,
	  PCI_TDISP_RUN, 17, PCI_TDISP_RUN, -EINVAL },
	{ "tdisp error", PCI_TDISP_VERSION_1_0, PCI_TDISP_ERROR, 0, 24,
	  PCI_TDISP_RUN, -EIO },
};

static void state_case_desc(const struct state_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(state, state_cases, state_case_desc);

static void pci_tdisp_test_state(struct kunit *test)
{
	const struct state_case *c = test->param_value;
	struct pci_tdisp_hdr *hdr;
	u8 *buf;

	buf = kunit_kzalloc(test, max(c->len, 17U), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	hdr = (struct pci_tdisp_hdr *)buf;
	hdr->version = c->version;
	hdr->type = c->type;
	buf[16] = c->state;
	buf = test_dup(test, buf, c->len);

	KUNIT_EXPECT_EQ(test, pci_tdisp_check_state(buf, c->len, c->expected),
			c->expect);
}

static struct kunit_case pci_tdisp_test_cases[] = {
	KUNIT_CASE_PARAM(pci_tdisp_test_report, report_gen_params),
	KUNIT_CASE(pci_tdisp_test_offset),
	KUNIT_CASE_PARAM(pci_tdisp_test_state, state_gen_params),
	{}
};

static struct kunit_suite pci_tdisp_test_suite = {
	.name = "pci_tdisp",
	.test_cases = pci_tdisp_test_cases,
};

kunit_test_suite(pci_tdisp_test_suite);

MODULE_DESCRIPTION("KUnit tests of the TDISP interface report parser");
MODULE_LICENSE("GPL");
