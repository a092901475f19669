/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/pci-tsm.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_PCI_TSM_NETLINK_H
#define _UAPI_LINUX_PCI_TSM_NETLINK_H

#define PCI_TSM_FAMILY_NAME	"pci-tsm"
#define PCI_TSM_FAMILY_VERSION	1

/**
 * enum pci_tsm_evidence_type - Evidence object types; bit N of type-mask
 *   selects type N.
 * @PCI_TSM_EVIDENCE_TYPE_CERT0: SPDM certificate chain, slot 0
 * @PCI_TSM_EVIDENCE_TYPE_CERT1: SPDM certificate chain, slot 1
 * @PCI_TSM_EVIDENCE_TYPE_CERT2: SPDM certificate chain, slot 2
 * @PCI_TSM_EVIDENCE_TYPE_CERT3: SPDM certificate chain, slot 3
 * @PCI_TSM_EVIDENCE_TYPE_CERT4: SPDM certificate chain, slot 4
 * @PCI_TSM_EVIDENCE_TYPE_CERT5: SPDM certificate chain, slot 5
 * @PCI_TSM_EVIDENCE_TYPE_CERT6: SPDM certificate chain, slot 6
 * @PCI_TSM_EVIDENCE_TYPE_CERT7: SPDM certificate chain, slot 7
 * @PCI_TSM_EVIDENCE_TYPE_VCA: SPDM VERSION, CAPABILITIES and ALGORITHMS
 *   transcript
 * @PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS: SPDM measurement blocks
 * @PCI_TSM_EVIDENCE_TYPE_REPORT: TDISP DEVICE_INTERFACE_REPORT
 */
enum pci_tsm_evidence_type {
	PCI_TSM_EVIDENCE_TYPE_CERT0,
	PCI_TSM_EVIDENCE_TYPE_CERT1,
	PCI_TSM_EVIDENCE_TYPE_CERT2,
	PCI_TSM_EVIDENCE_TYPE_CERT3,
	PCI_TSM_EVIDENCE_TYPE_CERT4,
	PCI_TSM_EVIDENCE_TYPE_CERT5,
	PCI_TSM_EVIDENCE_TYPE_CERT6,
	PCI_TSM_EVIDENCE_TYPE_CERT7,
	PCI_TSM_EVIDENCE_TYPE_VCA,
	PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS,
	PCI_TSM_EVIDENCE_TYPE_REPORT,
};

/**
 * enum pci_tsm_evidence_flag - Request flags.
 * @PCI_TSM_EVIDENCE_FLAG_DIGEST: Return the TSM's digest of each object
 *   instead of the object.
 */
enum pci_tsm_evidence_flag {
	PCI_TSM_EVIDENCE_FLAG_DIGEST = 1,
};

#define PCI_TSM_NONCE_MAX	256
#define PCI_TSM_OBJECT_MAX	16777216

enum {
	PCI_TSM_A_EVIDENCE_OBJECT_TYPE = 1,
	PCI_TSM_A_EVIDENCE_OBJECT_TYPE_MASK,
	PCI_TSM_A_EVIDENCE_OBJECT_FLAGS,
	PCI_TSM_A_EVIDENCE_OBJECT_DEV_NAME,
	PCI_TSM_A_EVIDENCE_OBJECT_NONCE,
	PCI_TSM_A_EVIDENCE_OBJECT_VAL,
	PCI_TSM_A_EVIDENCE_OBJECT_GENERATION,

	__PCI_TSM_A_EVIDENCE_OBJECT_MAX,
	PCI_TSM_A_EVIDENCE_OBJECT_MAX = (__PCI_TSM_A_EVIDENCE_OBJECT_MAX - 1)
};

enum {
	PCI_TSM_CMD_EVIDENCE_READ = 1,

	__PCI_TSM_CMD_MAX,
	PCI_TSM_CMD_MAX = (__PCI_TSM_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_PCI_TSM_NETLINK_H */
