/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCIe TEE Device Interface Security Protocol (TDISP) message formats,
 * PCIe r6.1 sec 11.3.  TDISP messages travel as SPDM VENDOR_DEFINED
 * messages (protocol id 1) inside a secured SPDM session.  Shared by the
 * PCI/TSM core (interface report parsing) and TSM drivers.
 */
#ifndef __PCI_TDISP_H
#define __PCI_TDISP_H

#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct pci_dev;

/* Protocol id of TDISP in the SPDM VENDOR_DEFINED payload (sec 11.3.1) */
#define PCI_TDISP_PROTOCOL_ID		0x01
#define PCI_TDISP_VERSION_1_0		0x10

/* Request codes (sec 11.3.3, Table 11-4) */
#define PCI_TDISP_GET_VERSION		0x81
#define PCI_TDISP_GET_CAPABILITIES	0x82
#define PCI_TDISP_LOCK_INTERFACE	0x83
#define PCI_TDISP_GET_INTERFACE_REPORT	0x84
#define PCI_TDISP_GET_INTERFACE_STATE	0x85
#define PCI_TDISP_START_INTERFACE	0x86
#define PCI_TDISP_STOP_INTERFACE	0x87

/* Response codes (sec 11.3.3, Table 11-5) */
#define PCI_TDISP_VERSION		0x01
#define PCI_TDISP_CAPABILITIES		0x02
#define PCI_TDISP_LOCK_INTERFACE_RSP	0x03
#define PCI_TDISP_INTERFACE_REPORT	0x04
#define PCI_TDISP_INTERFACE_STATE	0x05
#define PCI_TDISP_START_INTERFACE_RSP	0x06
#define PCI_TDISP_STOP_INTERFACE_RSP	0x07
#define PCI_TDISP_ERROR			0x7f

/* TDI states (sec 11.3.2) */
enum pci_tdisp_state {
	PCI_TDISP_CONFIG_UNLOCKED = 0,
	PCI_TDISP_CONFIG_LOCKED = 1,
	PCI_TDISP_RUN = 2,
	PCI_TDISP_ERROR_STATE = 3,
};

/**
 * struct pci_tdisp_hdr - header of every TDISP message (sec 11.3.3)
 * @version: %PCI_TDISP_VERSION_1_0
 * @type: request or response code
 * @rsvd: reserved
 * @function_id: INTERFACE_ID: requester id of the function (bits 15:0)
 *	and requester segment (bits 23:16, valid when bit 24 is set)
 * @rsvd_id: reserved part of INTERFACE_ID
 */
struct pci_tdisp_hdr {
	u8 version;
	u8 type;
	__le16 rsvd;
	__le32 function_id;
	u8 rsvd_id[8];
} __packed;

/* LOCK_INTERFACE_REQUEST parameters (sec 11.3.8) */
struct pci_tdisp_lock_req {
	struct pci_tdisp_hdr hdr;
	__le16 flags;
	u8 default_stream_id;
	u8 rsvd;
	__le64 mmio_reporting_offset;
	__le64 bind_p2p_addr_mask;
} __packed;

/* LOCK_INTERFACE_RESPONSE: the nonce START_INTERFACE must echo */
#define PCI_TDISP_NONCE_SIZE		32
struct pci_tdisp_lock_rsp {
	struct pci_tdisp_hdr hdr;
	u8 start_interface_nonce[PCI_TDISP_NONCE_SIZE];
} __packed;

struct pci_tdisp_start_req {
	struct pci_tdisp_hdr hdr;
	u8 start_interface_nonce[PCI_TDISP_NONCE_SIZE];
} __packed;

/* GET_DEVICE_INTERFACE_REPORT request and response (sec 11.3.10/11) */
struct pci_tdisp_report_req {
	struct pci_tdisp_hdr hdr;
	__le16 offset;
	__le16 length;
} __packed;

struct pci_tdisp_report_rsp {
	struct pci_tdisp_hdr hdr;
	__le16 portion_length;
	__le16 remainder_length;
	u8 report[];
} __packed;

struct pci_tdisp_state_rsp {
	struct pci_tdisp_hdr hdr;
	u8 state;
} __packed;

struct pci_tdisp_error_rsp {
	struct pci_tdisp_hdr hdr;
	__le32 error_code;
	__le32 error_data;
} __packed;

/* TDI report structure (sec 11.3.11, Table 11-14) */
struct pci_tdisp_report {
	__le16 interface_info;
	__le16 rsvd;
	__le16 msix_msg_ctrl;
	__le16 lnr_ctrl;
	__le32 tph_ctrl;
	__le32 mmio_range_count;
	/* struct pci_tdisp_mmio_range[mmio_range_count] */
	/* __le32 device_specific_info_len, then that many bytes */
} __packed;

/**
 * struct pci_tdisp_mmio_range - MMIO_RANGE entry of the TDI report
 * @first_page: first 4K page, with the LOCK_INTERFACE MMIO reporting
 *	offset added
 * @nr_pages: number of 4K pages
 * @attr: %PCI_TDISP_MMIO_* attributes
 * @range_id: device-chosen identifier (the sample uses the BAR number)
 */
struct pci_tdisp_mmio_range {
	__le64 first_page;
	__le32 nr_pages;
	__le16 attr;
	__le16 range_id;
} __packed;

#define PCI_TDISP_MMIO_MSIX_TABLE	BIT(0)
#define PCI_TDISP_MMIO_MSIX_PBA		BIT(1)
#define PCI_TDISP_MMIO_NON_TEE		BIT(2)
#define PCI_TDISP_MMIO_ATTR_UPDATABLE	BIT(3)

#define PCI_TDISP_PAGE_SHIFT		12

/*
 * Largest interface report the core accepts: the report is read in
 * portions of at most 64K (16-bit lengths) and a hostile device must not
 * make the kernel allocate or walk unbounded data.
 */
#define PCI_TDISP_REPORT_MAX		SZ_64K
#define PCI_TDISP_MAX_MMIO_RANGES	64

/**
 * struct pci_tdisp_range - one validated MMIO range of a TDI
 * @bar: BAR the range lies in
 * @start: first byte (CPU physical address)
 * @end: last byte
 * @attr: %PCI_TDISP_MMIO_* attributes from the report
 */
struct pci_tdisp_range {
	int bar;
	u64 start;
	u64 end;
	u16 attr;
};

/**
 * struct pci_tdisp_bar - a BAR as the parser sees it
 * @start: first byte, 0 with @end when the BAR is not implemented
 * @end: last byte
 */
struct pci_tdisp_bar {
	u64 start;
	u64 end;
};

int pci_tdisp_parse_report(const void *report, size_t len, u64 mmio_offset,
			   const struct pci_tdisp_bar *bars,
			   unsigned int nr_bars, struct pci_tdisp_range *ranges,
			   unsigned int max_ranges);
int pci_tdisp_check_state(const void *rsp, size_t len,
			  enum pci_tdisp_state expected);

#endif /* __PCI_TDISP_H */
