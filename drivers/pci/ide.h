/* SPDX-License-Identifier: GPL-2.0 */
/* Private to drivers/pci/ide.c and its KUnit test */
#ifndef __DRIVERS_PCI_IDE_H
#define __DRIVERS_PCI_IDE_H

#include <linux/types.h>

/* Selective IDE Streams Supported is an 8-bit count minus one */
#define PCI_IDE_MAX_SEL_STREAMS		256
/* Host bridge pool size when the platform does not set one */
#define PCI_IDE_DEFAULT_NR_STREAMS	256

/**
 * struct pci_ide_cap_info - decoded IDE Capability register
 * @nr_link: Link IDE Stream register blocks
 * @nr_sel: Selective IDE Stream register blocks
 * @cfg: Selective IDE for Configuration Requests supported
 * @tee_limited: TEE-Limited Stream supported
 * @ide_km: IDE_KM protocol supported
 */
struct pci_ide_cap_info {
	u8 nr_link;
	u16 nr_sel;
	bool cfg;
	bool tee_limited;
	bool ide_km;
};

#if IS_ENABLED(CONFIG_KUNIT)
int pci_ide_cap_parse(u32 cap, struct pci_ide_cap_info *info);
int pci_ide_alloc_index(unsigned long *map, unsigned int nr);
u32 pci_ide_sel_ctl(u8 stream_id, bool tee_limited, bool enable);
void pci_ide_rid_assoc(u16 rid_start, u16 rid_end, u8 segment, u32 *rid1,
		       u32 *rid2);
void pci_ide_addr_assoc(u64 base, u64 limit, u32 *a1, u32 *a2, u32 *a3);
#endif

#endif /* __DRIVERS_PCI_IDE_H */
