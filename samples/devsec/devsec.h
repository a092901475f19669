/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared definitions of the devsec sample: the simulated TEE I/O capable
 * PCI topology built by devsec_bus, and what the sample TSM drivers
 * (devsec_link_tsm, devsec_tsm) and the sample device driver (devsec_pci)
 * may rely on about it.
 *
 * Topology (one entry per simulated host bridge):
 *
 *   domain   root port        endpoint (DSM = function 0)
 *   10000    10000:00:00.0    10000:01:00.0, 10000:01:00.1
 *   10001    10001:02:00.0    10001:03:00.0, 10001:03:00.1
 *
 * Every endpoint function is vendor 0x8086 device 0xffff, class 0x120000,
 * with a 64-bit prefetchable 2 MiB memory BAR (BAR 0) and a 16 KiB one
 * (BAR 2) holding the MSI-X table and PBA.  Function 0 additionally has a DOE mailbox (discovery,
 * CMA/SPDM, secured CMA/SPDM) and an IDE extended capability; the root
 * port has an IDE extended capability too.
 *
 * Symbols of devsec_common are exported in the DEVSEC namespace: users add
 * MODULE_IMPORT_NS(DEVSEC).
 */
#ifndef __SAMPLES_DEVSEC_H__
#define __SAMPLES_DEVSEC_H__

#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "spdm.h"

struct pci_dev;
struct pci_tsm;
struct pci_sysdata;

/* Topology */
#define DEVSEC_NR_HOSTS			2	/* default of nr_hosts= */
#define DEVSEC_MAX_HOSTS		64	/* buses 0-127 of 64 domains */
#define DEVSEC_DOMAIN_BASE		0x10000	/* host N is domain 0x10000 + N */
#define DEVSEC_HOST_BUS_STRIDE		2	/* host N root bus is 2 * N */
#define DEVSEC_NR_EP_FUNCS		2	/* endpoint functions 0 and 1 */
#define DEVSEC_DSM_FUNC			0	/* function with DOE and IDE */

/* Endpoint identity */
#define DEVSEC_EP_VENDOR		0x8086
#define DEVSEC_EP_DEVICE		0xffff
#define DEVSEC_EP_CLASS			0x120000 /* processing accelerator */

/* Root port identity (any id; it is simulated) */
#define DEVSEC_RP_VENDOR		0x8086
#define DEVSEC_RP_DEVICE		0xfffe

/*
 * Memory BARs of every endpoint function, both 64-bit prefetchable.
 * BAR 0, 2 MiB, is private MMIO from end to end: its TDISP interface
 * report range covers the whole BAR.  BAR 2, 16 KiB, has the MSI-X table
 * and PBA in one 4 KiB page between private pages, so that the report
 * describes it as three ranges: private [0, page), the non-TEE MSI-X
 * page, private [page + 4K, 16K).
 */
#define DEVSEC_BAR_SIZE			SZ_2M
#define DEVSEC_BAR2_SIZE		SZ_16K
#define DEVSEC_MSIX_BAR			2
#define DEVSEC_MSIX_PAGE_OFFSET		SZ_4K	/* in BAR 2 */
#define DEVSEC_MSIX_PAGE_SIZE		SZ_4K
#define DEVSEC_MSIX_TABLE_OFFSET	DEVSEC_MSIX_PAGE_OFFSET
#define DEVSEC_MSIX_PBA_OFFSET		(DEVSEC_MSIX_PAGE_OFFSET + 0x800)
#define DEVSEC_MSIX_NR_VECTORS		16

/* IDE: stream resources (PCIe r6.1 sec 7.9.26) */
#define DEVSEC_HB_NR_IDE_STREAMS	4	/* per host bridge */
#define DEVSEC_RP_NR_SEL_STREAMS	4	/* selective streams, root port */
#define DEVSEC_EP_NR_SEL_STREAMS	1	/* selective streams, endpoint */
#define DEVSEC_NR_ADDR_ASSOC		2	/* address blocks per stream */

/*
 * DOE mailbox limits of the simulated DSM: the largest data object
 * (including its 2 dword header) accepted as a request or produced as a
 * response.  Larger requests set the DOE Error bit.
 */
#define DEVSEC_DOE_MAX_OBJ_BYTES	SZ_4K

/*
 * SPDM responder parameters: the responder advertises this
 * DataTransferSize and MaxSPDMmsgSize (no chunking); certificate chain
 * slot 0 is the only provisioned slot.
 */
#define DEVSEC_SPDM_MAX_MSG		2048
#define DEVSEC_SPDM_CERT_SLOT		0

/* devsec_common: is @pdev below a devsec host bridge? (see common.c) */
bool devsec_pci_dev(struct pci_dev *pdev);

/* Used by devsec_bus to register and unregister its host bridges. */
int devsec_register_sysdata(struct pci_sysdata *sd);
void devsec_unregister_sysdata(struct pci_sysdata *sd);

/*
 * Root port IDE keys are the platform's business, not IDE_KM's: the link
 * TSM marks them ready through devsec_rp_ide_keys(), which devsec_bus
 * serves while it is loaded (-ENODEV otherwise).
 */
typedef int (*devsec_rp_ide_keys_fn)(struct pci_dev *rp, unsigned int stream,
				     bool ready);
void devsec_register_rp_ide_keys(devsec_rp_ide_keys_fn fn);
int devsec_rp_ide_keys(struct pci_dev *rp, unsigned int stream, bool ready);

/* Sample evidence (common.c); the chain mkcerts.sh made, from certs.S */
extern const u8 devsec_certs_der[];
extern const u8 devsec_certs_der_end[];
/**
 * struct devsec_cert_chain - an SPDM certificate chain for slot 0
 * @data: the chain as sent in CERTIFICATE responses: struct
 *	spdm_cert_chain_hdr, root hash, DER certificates
 * @len: bytes at @data
 * @digest: digest of the whole chain (DIGESTS, CHALLENGE_AUTH)
 */
struct devsec_cert_chain {
	const u8 *data;
	size_t len;
	u8 digest[SPDM_SHA384_LEN];
};

int devsec_cert_chain_build(struct devsec_cert_chain *chain, const u8 *certs,
			    size_t certs_len, size_t root_cert_len);
void devsec_cert_chain_free(struct devsec_cert_chain *chain);
const struct devsec_cert_chain *devsec_sample_chain(void);

#define DEVSEC_MEAS_NR_BLOCKS		3
/* per block: 4-byte block header, 3-byte DMTF header, SHA-384 digest */
#define DEVSEC_MEAS_RECORD_LEN		(DEVSEC_MEAS_NR_BLOCKS * (4 + 3 + 48))
size_t devsec_measurement_record(u8 *buf);

/* Largest certs / transcript object (the evidence object limit) */
#define DEVSEC_BLOB_MAX			SZ_16M

/**
 * struct devsec_blob - a certs or transcript evidence override
 * @lock: protects @data, @len, @cap and @loaded
 * @data: the object, @len bytes in a buffer of @cap
 * @len: its size
 * @cap: size of the buffer at @data
 * @loaded: something was written; else the TSM reports its default
 * @busy: called with @lock held: true refuses a write (a sample device is
 *	connected or locked and its evidence must not change under it)
 * @dflt: what the attribute reads while nothing is loaded
 * @dflt_len: its size
 * @attr: the binary sysfs attribute, in the TSM's faux device groups
 */
struct devsec_blob {
	struct mutex lock; /* protects the four fields below */
	u8 *data;
	size_t len;
	size_t cap;
	bool loaded;
	bool (*busy)(void);
	const void *dflt;
	size_t dflt_len;
	struct bin_attribute attr;
};

void devsec_blob_init(struct devsec_blob *b, const char *name,
		      bool (*busy)(void), const void *dflt, size_t dflt_len);
void devsec_blob_free(struct devsec_blob *b);
int devsec_evidence_set(struct pci_tsm *tsm, unsigned int type,
			const void *data, size_t len);
void devsec_evidence_free(struct pci_tsm *tsm);
int devsec_blob_evidence(struct devsec_blob *b, struct pci_tsm *tsm,
			 unsigned int type, const void *dflt, size_t dflt_len);
bool devsec_blob_loaded(struct devsec_blob *b);

#endif /* __SAMPLES_DEVSEC_H__ */
