/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCIe Integrity and Data Encryption (IDE, PCIe r6.1 sec 6.33): selective
 * IDE stream management for TEE Security Manager drivers.
 *
 * A selective stream secures the traffic between an endpoint and its root
 * port.  It takes a slot of the host bridge's stream pool (the "H" index),
 * a selective stream register block in the root port ("R") and in the
 * endpoint ("E"), and a Stream ID unique below the host bridge.  The TSM
 * driver allocates the stream, programs both ends, has the keys programmed
 * (IDE_KM, not part of this API), enables both ends and registers the
 * stream for sysfs; on the way down it does the reverse.
 */
#ifndef __PCI_IDE_H__
#define __PCI_IDE_H__

#include <linux/types.h>

struct pci_dev;
struct pci_host_bridge;
struct tsm_dev;

/* Stream ID 255 is reserved: it is never allocated */
#define PCI_IDE_RESERVED_STREAM_ID	255
/* Default host bridge pool size when the platform does not set one */
#define PCI_IDE_DEFAULT_NR_STREAMS	256

/**
 * enum pci_ide_partner_select - the two ends of a selective stream
 * @PCI_IDE_EP: the endpoint
 * @PCI_IDE_RP: its root port
 * @PCI_IDE_PARTNER_MAX: number of ends
 */
enum pci_ide_partner_select {
	PCI_IDE_EP,
	PCI_IDE_RP,
	PCI_IDE_PARTNER_MAX,
};

/**
 * struct pci_ide_partner - one end of a selective stream
 * @rid_start: first Requester ID of the other end the stream covers
 * @rid_end: last Requester ID of the other end the stream covers
 * @stream_index: selective stream register block used at this end
 * @mem_base: memory range associated with the stream (endpoint BARs)
 * @mem_limit: end of that range, inclusive; below @mem_base: none
 * @setup: the register block is programmed
 * @enable: the stream is enabled at this end
 */
struct pci_ide_partner {
	u16 rid_start;
	u16 rid_end;
	u8 stream_index;
	u64 mem_base;
	u64 mem_limit;
	bool setup;
	bool enable;
};

/**
 * struct pci_ide - a selective IDE stream
 * @pdev: the endpoint
 * @partner: per-end settings, indexed by &enum pci_ide_partner_select
 * @host_bridge_stream: slot in the host bridge's pool ("H")
 * @stream_id: Stream ID, the same at both ends
 * @name: "streamH.R.E", name of the sysfs links
 * @tsm_dev: TSM the stream is registered with, see
 *	pci_ide_stream_tsm_register()
 * @registered: the host bridge link exists
 */
struct pci_ide {
	struct pci_dev *pdev;
	struct pci_ide_partner partner[PCI_IDE_PARTNER_MAX];
	u8 host_bridge_stream;
	u8 stream_id;
	char name[32];
	struct tsm_dev *tsm_dev;
	bool registered;
};

#ifdef CONFIG_PCI_IDE
void pci_ide_set_nr_streams(struct pci_host_bridge *hb, u16 nr);
struct pci_ide *pci_ide_stream_alloc(struct pci_dev *pdev);
void pci_ide_stream_free(struct pci_ide *ide);
int pci_ide_stream_register(struct pci_ide *ide);
void pci_ide_stream_unregister(struct pci_ide *ide);
int pci_ide_stream_tsm_register(struct pci_ide *ide, struct tsm_dev *tsm_dev);
void pci_ide_stream_tsm_unregister(struct pci_ide *ide);
void pci_ide_stream_setup(struct pci_dev *pdev, struct pci_ide *ide);
void pci_ide_stream_teardown(struct pci_dev *pdev, struct pci_ide *ide);
int pci_ide_stream_enable(struct pci_dev *pdev, struct pci_ide *ide);
void pci_ide_stream_disable(struct pci_dev *pdev, struct pci_ide *ide);
int pci_ide_stream_state(struct pci_dev *pdev, struct pci_ide *ide);
void pci_ide_stream_release(struct pci_ide *ide);
#else
static inline void pci_ide_set_nr_streams(struct pci_host_bridge *hb, u16 nr)
{
}

static inline struct pci_ide *pci_ide_stream_alloc(struct pci_dev *pdev)
{
	return NULL;
}

static inline void pci_ide_stream_release(struct pci_ide *ide)
{
}
#endif

#endif /* __PCI_IDE_H__ */
