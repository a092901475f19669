// SPDX-License-Identifier: GPL-2.0
/*
 * TDISP interface report parsing and state checks, PCIe r6.1 sec 11.3.
 *
 * Everything here works on bytes received from a device, which in a
 * confidential VM is untrusted until accepted: every length and count is
 * checked against the received size before use, every address is checked
 * against the function's BARs, and nothing here allocates memory sized by
 * the device.  The functions are pure so that KUnit (tdisp_test.c) can
 * feed them hostile input.
 */
#include <linux/export.h>
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/pci-tdisp.h>
#include <linux/unaligned.h>

static bool pci_tdisp_ranges_overlap(const struct pci_tdisp_range *a,
				     const struct pci_tdisp_range *b)
{
	return a->start <= b->end && b->start <= a->end;
}

/* Find the BAR that contains [@start, @end], or -EINVAL */
static int pci_tdisp_find_bar(const struct pci_tdisp_bar *bars,
			      unsigned int nr_bars, u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < nr_bars; i++) {
		if (bars[i].start >= bars[i].end)
			continue;
		if (start >= bars[i].start && end <= bars[i].end)
			return i;
	}
	return -EINVAL;
}

/**
 * pci_tdisp_parse_report() - validate a TDI report and extract its MMIO
 * @report: the TDI report structure (sec 11.3.11) as received
 * @len: number of bytes received
 * @mmio_offset: MMIO reporting offset given in LOCK_INTERFACE; the device
 *	reports page addresses with it added
 * @bars: the function's BARs (index = BAR number)
 * @nr_bars: number of entries in @bars
 * @ranges: filled with the validated ranges, in report order
 * @max_ranges: capacity of @ranges
 *
 * The report must be exactly as long as its MMIO range count and
 * device-specific-info length say, every range must be non-empty, must
 * not wrap, must lie entirely inside one implemented BAR and must not
 * overlap another range.  MSI-X table and PBA ranges must be marked
 * non-TEE: the kernel keeps them shared with the host.
 *
 * Return: the number of ranges, or -EINVAL for a malformed report, -E2BIG
 * when it holds more ranges than @max_ranges or %PCI_TDISP_MAX_MMIO_RANGES.
 */
int pci_tdisp_parse_report(const void *report, size_t len, u64 mmio_offset,
			   const struct pci_tdisp_bar *bars,
			   unsigned int nr_bars, struct pci_tdisp_range *ranges,
			   unsigned int max_ranges)
{
	const struct pci_tdisp_report *hdr = report;
	const struct pci_tdisp_mmio_range *mmio;
	size_t ranges_sz, info_off;
	u32 count, info_len;
	unsigned int i, j;

	if (!report || len < sizeof(*hdr) || len > PCI_TDISP_REPORT_MAX)
		return -EINVAL;

	count = le32_to_cpu(hdr->mmio_range_count);
	if (count > PCI_TDISP_MAX_MMIO_RANGES || count > max_ranges)
		return -E2BIG;

	ranges_sz = count * sizeof(*mmio);
	info_off = sizeof(*hdr) + ranges_sz;
	if (len < info_off + sizeof(__le32))
		return -EINVAL;
	info_len = get_unaligned_le32(report + info_off);
	if (info_len != len - info_off - sizeof(__le32))
		return -EINVAL;

	mmio = report + sizeof(*hdr);
	for (i = 0; i < count; i++) {
		u64 page = get_unaligned_le64(&mmio[i].first_page);
		u32 nr_pages = get_unaligned_le32(&mmio[i].nr_pages);
		u16 attr = get_unaligned_le16(&mmio[i].attr);
		u64 addr, size, end;
		int bar;

		if (!nr_pages || page > (U64_MAX >> PCI_TDISP_PAGE_SHIFT))
			return -EINVAL;
		addr = page << PCI_TDISP_PAGE_SHIFT;
		if (addr < mmio_offset)
			return -EINVAL;
		addr -= mmio_offset;
		size = (u64)nr_pages << PCI_TDISP_PAGE_SHIFT;
		if (check_add_overflow(addr, size - 1, &end))
			return -EINVAL;
		if ((attr & (PCI_TDISP_MMIO_MSIX_TABLE |
			     PCI_TDISP_MMIO_MSIX_PBA)) &&
		    !(attr & PCI_TDISP_MMIO_NON_TEE))
			return -EINVAL;

		bar = pci_tdisp_find_bar(bars, nr_bars, addr, end);
		if (bar < 0)
			return bar;

		ranges[i] = (struct pci_tdisp_range) {
			.bar = bar,
			.start = addr,
			.end = end,
			.attr = attr,
		};
		for (j = 0; j < i; j++)
			if (pci_tdisp_ranges_overlap(&ranges[i], &ranges[j]))
				return -EINVAL;
	}

	return count;
}
EXPORT_SYMBOL_GPL(pci_tdisp_parse_report);

/**
 * pci_tdisp_check_state() - check a DEVICE_INTERFACE_STATE response
 * @rsp: the TDISP response as received
 * @len: number of bytes received
 * @expected: the state the interface must be in
 *
 * Return: 0 when @rsp is a well-formed state response reporting
 * @expected, -EIO for a TDISP_ERROR response, -EINVAL for a malformed
 * response, -EPROTO when the interface is in another state.
 */
int pci_tdisp_check_state(const void *rsp, size_t len,
			  enum pci_tdisp_state expected)
{
	const struct pci_tdisp_state_rsp *st = rsp;

	if (!rsp || len < sizeof(struct pci_tdisp_hdr))
		return -EINVAL;
	if (st->hdr.version != PCI_TDISP_VERSION_1_0)
		return -EINVAL;
	if (st->hdr.type == PCI_TDISP_ERROR)
		return -EIO;
	if (st->hdr.type != PCI_TDISP_INTERFACE_STATE || len != sizeof(*st))
		return -EINVAL;
	if (st->state > PCI_TDISP_ERROR_STATE)
		return -EINVAL;
	return st->state == expected ? 0 : -EPROTO;
}
EXPORT_SYMBOL_GPL(pci_tdisp_check_state);
