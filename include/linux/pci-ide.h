/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCIe Integrity and Data Encryption (IDE, PCIe r6.1 sec 6.33): selective
 * IDE stream management for TEE Security Manager drivers.
 *
 * A selective stream secures the traffic between an endpoint and its root
 * port.  It takes a slot of the host bridge's stream pool (the "H" index),
 * a selective stream register block in the root port ("R") and in the
 * endpoint ("E"), and a Stream ID that the TSM driver picks.  The TSM
 * driver allocates the stream, sets its Stream ID, registers it, programs
 * both ends, has the keys programmed (IDE_KM, not part of this API) and
 * enables both ends; on the way down it does the reverse, or lets
 * pci_ide_stream_release() do it.
 */
#ifndef __PCI_IDE_H__
#define __PCI_IDE_H__

#include <linux/cleanup.h>
#include <linux/pci.h>

struct tsm_dev;

/**
 * enum pci_ide_partner_select - the ends of a selective stream
 * @PCI_IDE_EP: the endpoint
 * @PCI_IDE_RP: its root port
 * @PCI_IDE_PARTNER_MAX: number of ends, the size of &pci_ide.partner
 * @PCI_IDE_HB: the host bridge's stream pool, a third resource a stream
 *	takes besides the register blocks of its two ends; not a partner
 */
enum pci_ide_partner_select {
	PCI_IDE_EP,
	PCI_IDE_RP,
	PCI_IDE_PARTNER_MAX,
	PCI_IDE_HB = PCI_IDE_PARTNER_MAX,
};

/**
 * struct pci_ide_partner - one end of a selective stream
 * @rid_start: first Requester ID of the other end the stream covers
 * @rid_end: last Requester ID of the other end the stream covers
 * @stream_index: selective stream register block used at this end
 * @mem_assoc: memory range (bus addresses) associated with the stream at
 *	this end, for requests towards the other end
 * @pref_assoc: prefetchable memory range associated the same way
 * @default_stream: this end sends all its requests on the stream,
 *	whatever the RID and address associations say (endpoints only)
 * @setup: the register block is programmed, see pci_ide_stream_setup()
 * @enable: the stream is enabled at this end, see pci_ide_stream_enable()
 *
 * pci_ide_stream_alloc() sets the root port's @mem_assoc and @pref_assoc
 * to the windows of the endpoint's upstream bridge that hold its BARs,
 * and the endpoint's to none.  A range of size 0 (start 0, end -1) is not
 * programmed; the caller may so drop a range before
 * pci_ide_stream_setup().
 */
struct pci_ide_partner {
	u16 rid_start;
	u16 rid_end;
	u8 stream_index;
	struct pci_bus_region mem_assoc;
	struct pci_bus_region pref_assoc;
	unsigned int default_stream:1;
	unsigned int setup:1;
	unsigned int enable:1;
};

/**
 * struct pci_ide - a selective IDE stream
 * @pdev: the endpoint
 * @partner: per-end settings, indexed by &enum pci_ide_partner_select
 * @host_bridge_stream: slot in the host bridge's pool ("H")
 * @stream_id: Stream ID, the same at both ends; negative until the TSM
 *	driver sets it, which it must do before pci_ide_stream_register()
 *	and not change while the stream is registered
 * @name: "streamH.R.E", name of the sysfs links; set by
 *	pci_ide_stream_register(), NULL while not registered
 * @tsm_dev: the TSM the stream is registered with, see
 *	tsm_ide_stream_register(), or NULL
 */
struct pci_ide {
	struct pci_dev *pdev;
	struct pci_ide_partner partner[PCI_IDE_PARTNER_MAX];
	u8 host_bridge_stream;
	int stream_id;
	const char *name;
	struct tsm_dev *tsm_dev;
};

/*
 * Stream ID 255 stands for "no stream": pci_ide_stream_register() refuses
 * it, so a device never sees it on an enabled stream.
 */
#define PCI_IDE_RESERVED_STREAM_ID	255

#ifdef CONFIG_PCI_IDE
void pci_ide_set_nr_streams(struct pci_host_bridge *hb, u16 nr);
struct pci_ide_partner *pci_ide_to_settings(struct pci_dev *pdev,
					    struct pci_ide *ide);
struct pci_ide *pci_ide_stream_alloc(struct pci_dev *pdev);
void pci_ide_stream_free(struct pci_ide *ide);
int pci_ide_stream_register(struct pci_ide *ide);
void pci_ide_stream_unregister(struct pci_ide *ide);
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
DEFINE_FREE(pci_ide_stream_release, struct pci_ide *, if (_T) pci_ide_stream_release(_T))

#endif /* __PCI_IDE_H__ */
