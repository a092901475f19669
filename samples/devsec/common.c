// SPDX-License-Identifier: GPL-2.0-only
/*
 * devsec_common: what the devsec sample modules share whatever order they
 * are loaded in.
 *
 * The simulated bus (devsec_bus) registers the sysdata of each host bridge
 * it creates; the sample TSM drivers ask devsec_pci_dev() whether a PCI
 * function lives below one of them before they agree to serve it.  Keeping
 * the registry in its own small module lets a TSM be loaded before or
 * after the bus, and lets the bus come and go while a TSM stays loaded.
 */
#include <linux/cleanup.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/xarray.h>

#include "bus.h"
#include "devsec.h"

/* domain number -> struct pci_sysdata of a devsec host bridge */
static DEFINE_XARRAY(devsec_hosts);

/**
 * devsec_register_sysdata() - mark a host bridge as part of the sample
 * @sd: sysdata of the host bridge (x86: carries the PCI domain number)
 *
 * Return: 0 on success, -EBUSY if the domain is already registered.
 */
int devsec_register_sysdata(struct pci_sysdata *sd)
{
	return xa_insert(&devsec_hosts, sd->domain, sd, GFP_KERNEL);
}
EXPORT_SYMBOL_NS_GPL(devsec_register_sysdata, DEVSEC);

/**
 * devsec_unregister_sysdata() - undo devsec_register_sysdata()
 * @sd: sysdata passed to devsec_register_sysdata()
 */
void devsec_unregister_sysdata(struct pci_sysdata *sd)
{
	xa_cmpxchg(&devsec_hosts, sd->domain, sd, NULL, GFP_KERNEL);
}
EXPORT_SYMBOL_NS_GPL(devsec_unregister_sysdata, DEVSEC);

/**
 * devsec_pci_dev() - is @pdev a function of the simulated devsec topology?
 * @pdev: any PCI function
 *
 * Lets the sample TSMs serve simulated devices only.
 *
 * Return: true for the root ports and endpoints below a host bridge
 * registered by devsec_bus, false for every other device.
 */
bool devsec_pci_dev(struct pci_dev *pdev)
{
	struct pci_bus *root = pdev->bus;

	while (!pci_is_root_bus(root))
		root = root->parent;

	/* only the pointer is compared: @root->sysdata may be anybody's */
	return xa_load(&devsec_hosts, pci_domain_nr(root)) == root->sysdata;
}
EXPORT_SYMBOL_NS_GPL(devsec_pci_dev, DEVSEC);

static DEFINE_MUTEX(devsec_rp_ide_keys_lock);
static devsec_rp_ide_keys_fn devsec_rp_ide_keys_handler;

/**
 * devsec_register_rp_ide_keys() - set (or, with NULL, clear) the handler
 *	of devsec_rp_ide_keys()
 * @fn: the handler, called under a mutex so it cannot go away mid-call
 */
void devsec_register_rp_ide_keys(devsec_rp_ide_keys_fn fn)
{
	guard(mutex)(&devsec_rp_ide_keys_lock);
	devsec_rp_ide_keys_handler = fn;
}
EXPORT_SYMBOL_NS_GPL(devsec_register_rp_ide_keys, DEVSEC);

/**
 * devsec_rp_ide_keys() - have the platform's keys of a root port stream
 *	programmed (or dropped)
 * @rp: a devsec root port
 * @stream: its selective stream register block
 * @ready: keys ready or not
 *
 * Return: 0, or -ENODEV without devsec_bus, -EINVAL for a bad @stream.
 */
int devsec_rp_ide_keys(struct pci_dev *rp, unsigned int stream, bool ready)
{
	guard(mutex)(&devsec_rp_ide_keys_lock);
	if (!devsec_rp_ide_keys_handler)
		return -ENODEV;
	return devsec_rp_ide_keys_handler(rp, stream, ready);
}
EXPORT_SYMBOL_NS_GPL(devsec_rp_ide_keys, DEVSEC);

/**
 * devsec_cert_chain_build() - make an SPDM certificate chain
 * @chain: filled in; release with devsec_cert_chain_free()
 * @certs: DER certificates, root first
 * @certs_len: bytes at @certs
 * @root_cert_len: length of the root certificate at the start of @certs
 *
 * The chain and its digests are computed here, in process context, so
 * that the responder only copies bytes.  A later version of the sample can
 * feed a real X.509 chain through this function.
 *
 * Return: 0 or a negative errno.
 */
int devsec_cert_chain_build(struct devsec_cert_chain *chain, const u8 *certs,
			    size_t certs_len, size_t root_cert_len)
{
	size_t hdr_len = sizeof(struct spdm_cert_chain_hdr) + SPDM_SHA384_LEN;
	size_t len = hdr_len + certs_len;
	struct spdm_cert_chain_hdr *hdr;
	u8 *buf;

	if (len > U16_MAX || !root_cert_len || root_cert_len > certs_len)
		return -EINVAL;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	hdr = (struct spdm_cert_chain_hdr *)buf;
	put_unaligned_le16(len, &hdr->length);
	put_unaligned_le16(0, &hdr->reserved);
	spdm_sim_digest(certs, root_cert_len, hdr->root_hash);
	memcpy(buf + hdr_len, certs, certs_len);
	spdm_sim_digest(buf, len, chain->digest);
	chain->data = buf;
	chain->len = len;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(devsec_cert_chain_build, DEVSEC);

/**
 * devsec_cert_chain_free() - release what devsec_cert_chain_build() made
 * @chain: the chain
 */
void devsec_cert_chain_free(struct devsec_cert_chain *chain)
{
	kfree(chain->data);
	chain->data = NULL;
	chain->len = 0;
}
EXPORT_SYMBOL_NS_GPL(devsec_cert_chain_free, DEVSEC);

static struct devsec_cert_chain devsec_sample_chain_data;

/**
 * devsec_sample_chain() - the sample device's SPDM certificate chain
 *
 * The X.509 chain mkcerts.sh made at build time (root CA, intermediate
 * CA, device leaf; ECDSA P-384) in SPDM 1.2 certificate chain format, as
 * the simulated device serves it from slot 0.
 *
 * Return: the chain, valid while devsec_common is loaded.
 */
const struct devsec_cert_chain *devsec_sample_chain(void)
{
	return &devsec_sample_chain_data;
}
EXPORT_SYMBOL_NS_GPL(devsec_sample_chain, DEVSEC);

/* the sample's measurement blocks: index, DMTF value type, label */
static const struct {
	u8 index;
	u8 type;
	const char *label;
} devsec_meas_blocks[DEVSEC_MEAS_NR_BLOCKS] = {
	{ 1, SPDM_MEAS_DMTF_ROM, "devsec sample boot ROM" },
	{ 2, SPDM_MEAS_DMTF_FIRMWARE, "devsec sample firmware 1.0" },
	{ 3, SPDM_MEAS_DMTF_CONFIG, "devsec sample configuration" },
};

/**
 * devsec_measurement_record() - the sample device's measurement record
 * @buf: DEVSEC_MEAS_RECORD_LEN bytes of output
 *
 * DEVSEC_MEAS_NR_BLOCKS DMTF measurement blocks (DSP0274 1.2 tables 47
 * and 48), each a 48-byte digest.  The format is real; the digests are
 * spdm_sim_digest() of a label, not of firmware.  Safe in atomic context.
 *
 * Return: DEVSEC_MEAS_RECORD_LEN.
 */
size_t devsec_measurement_record(u8 *buf)
{
	u8 *p = buf;
	int i;

	for (i = 0; i < DEVSEC_MEAS_NR_BLOCKS; i++) {
		*p++ = devsec_meas_blocks[i].index;
		*p++ = SPDM_MEAS_SPEC_DMTF;
		put_unaligned_le16(SPDM_MEAS_DMTF_HDR + SPDM_SHA384_LEN, p);
		p += 2;
		*p++ = devsec_meas_blocks[i].type;
		put_unaligned_le16(SPDM_SHA384_LEN, p);
		p += 2;
		spdm_sim_digest(devsec_meas_blocks[i].label,
				strlen(devsec_meas_blocks[i].label), p);
		p += SPDM_SHA384_LEN;
	}
	return p - buf;
}
EXPORT_SYMBOL_NS_GPL(devsec_measurement_record, DEVSEC);

/*
 * devsec_blob_write() - the write method of a certs / transcript attribute
 *
 * Writes come in order: a write at offset 0 starts a new object, later
 * writes must continue where the previous one ended (-EINVAL).  A single
 * byte written at offset 0 resets the blob to "not loaded" (the TSM then
 * reports the device's own evidence).  Beyond DEVSEC_BLOB_MAX: -EFBIG;
 * while b->busy(): -EBUSY.
 */
static ssize_t devsec_blob_write(struct file *file, struct kobject *kobj,
				 struct bin_attribute *attr, char *buf,
				 loff_t off, size_t count)
{
	struct devsec_blob *b = container_of(attr, struct devsec_blob, attr);
	size_t end;

	if (off < 0 || off > DEVSEC_BLOB_MAX ||
	    count > DEVSEC_BLOB_MAX - off)
		return -EFBIG;
	end = off + count;

	guard(mutex)(&b->lock);
	if (b->busy())
		return -EBUSY;
	if (off == 0 && count == 1) {
		kvfree(b->data);
		b->data = NULL;
		b->len = 0;
		b->cap = 0;
		b->loaded = false;
		return count;
	}
	if (off == 0)
		b->len = 0;
	else if (!b->loaded || off != b->len)
		return -EINVAL;
	if (end > b->cap) {
		size_t cap = clamp_t(size_t, 2 * b->cap, end, DEVSEC_BLOB_MAX);
		u8 *data = kvrealloc(b->data, cap, GFP_KERNEL);

		if (!data)
			return -ENOMEM;
		b->data = data;
		b->cap = cap;
	}
	memcpy(b->data + off, buf, count);
	b->len = end;
	b->loaded = true;
	return count;
}

/* the read method: what was loaded, else the default */
static ssize_t devsec_blob_read(struct file *file, struct kobject *kobj,
				struct bin_attribute *attr, char *buf,
				loff_t off, size_t count)
{
	struct devsec_blob *b = container_of(attr, struct devsec_blob, attr);

	guard(mutex)(&b->lock);
	if (b->loaded)
		return memory_read_from_buffer(buf, count, &off, b->data,
					       b->len);
	return memory_read_from_buffer(buf, count, &off, b->dflt,
				       b->dflt_len);
}

/**
 * devsec_blob_init() - set up an evidence override and its attribute
 * @b: the blob, static in the TSM module
 * @name: name of the binary attribute (certs, transcript)
 * @busy: refuses writes while it returns true, see &devsec_blob
 * @dflt: what the attribute reads while nothing is loaded
 * @dflt_len: its size
 *
 * Call before the faux device whose groups hold @b->attr is created.
 */
void devsec_blob_init(struct devsec_blob *b, const char *name,
		      bool (*busy)(void), const void *dflt, size_t dflt_len)
{
	mutex_init(&b->lock);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->loaded = false;
	b->busy = busy;
	b->dflt = dflt;
	b->dflt_len = dflt_len;
	sysfs_bin_attr_init(&b->attr);
	b->attr.attr.name = name;
	b->attr.attr.mode = 0644;
	b->attr.read = devsec_blob_read;
	b->attr.write = devsec_blob_write;
}
EXPORT_SYMBOL_NS_GPL(devsec_blob_init, DEVSEC);

/**
 * devsec_blob_free() - release what was loaded into an evidence override
 * @b: the blob; its attribute must be gone
 */
void devsec_blob_free(struct devsec_blob *b)
{
	kvfree(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->loaded = false;
}
EXPORT_SYMBOL_NS_GPL(devsec_blob_free, DEVSEC);

/**
 * devsec_evidence_set() - keep a copy of an evidence object in a context
 * @tsm: the TSM's context of the device
 * @type: evidence type (PCI_TSM_EVIDENCE_TYPE_*)
 * @data: the object
 * @len: its size; 0 drops the object
 *
 * The TSM's evidence lives in its context (&pci_tsm.evidence), under its
 * lock; the core publishes it once connect, lock or a refresh succeeded.
 *
 * Return: 0, -EINVAL for an unknown @type, -ENOMEM.
 */
int devsec_evidence_set(struct pci_tsm *tsm, unsigned int type,
			const void *data, size_t len)
{
	struct pci_tsm_evidence *ev = &tsm->evidence;
	void *copy = NULL;

	if (type > PCI_TSM_EVIDENCE_TYPE_MAX)
		return -EINVAL;
	if (len) {
		copy = kvmemdup(data, len, GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
	}
	guard(rwsem_write)(&ev->lock);
	kvfree(ev->obj[type].data);
	ev->obj[type].data = copy;
	ev->obj[type].len = len;
	ev->generation++;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(devsec_evidence_set, DEVSEC);

/**
 * devsec_evidence_free() - drop the evidence objects of a context
 * @tsm: the TSM's context, on its way out
 */
void devsec_evidence_free(struct pci_tsm *tsm)
{
	struct pci_tsm_evidence *ev = &tsm->evidence;
	unsigned int i;

	guard(rwsem_write)(&ev->lock);
	for (i = 0; i <= PCI_TSM_EVIDENCE_TYPE_MAX; i++) {
		kvfree(ev->obj[i].data);
		ev->obj[i] = (struct pci_tsm_evidence_object) {};
	}
}
EXPORT_SYMBOL_NS_GPL(devsec_evidence_free, DEVSEC);

/**
 * devsec_blob_evidence() - keep a blob, or a default, as device evidence
 * @b: the blob
 * @tsm: the TSM's context of the device
 * @type: evidence type (PCI_TSM_EVIDENCE_TYPE_*)
 * @dflt: what to keep while nothing is loaded
 * @dflt_len: its size
 *
 * Return: what devsec_evidence_set() returns.
 */
int devsec_blob_evidence(struct devsec_blob *b, struct pci_tsm *tsm,
			 unsigned int type, const void *dflt, size_t dflt_len)
{
	guard(mutex)(&b->lock);
	if (b->loaded)
		return devsec_evidence_set(tsm, type, b->data, b->len);
	return devsec_evidence_set(tsm, type, dflt, dflt_len);
}
EXPORT_SYMBOL_NS_GPL(devsec_blob_evidence, DEVSEC);

/**
 * devsec_blob_loaded() - does an evidence override hold a loaded object
 * @b: the blob
 *
 * Return: true from a write until the reset to the default.
 */
bool devsec_blob_loaded(struct devsec_blob *b)
{
	guard(mutex)(&b->lock);
	return b->loaded;
}
EXPORT_SYMBOL_NS_GPL(devsec_blob_loaded, DEVSEC);

static int __init devsec_common_init(void)
{
	size_t len = devsec_certs_der_end - devsec_certs_der;
	size_t root_len;

	/* the root certificate: a SEQUENCE with a two-byte length */
	if (len < 4 || devsec_certs_der[0] != 0x30 ||
	    devsec_certs_der[1] != 0x82)
		return -EINVAL;
	root_len = 4 + get_unaligned_be16(devsec_certs_der + 2);
	return devsec_cert_chain_build(&devsec_sample_chain_data,
				       devsec_certs_der, len, root_len);
}
module_init(devsec_common_init);

static void __exit devsec_common_exit(void)
{
	/* devsec_bus imports our symbols, so it is gone by now */
	WARN_ON(!xa_empty(&devsec_hosts));
	xa_destroy(&devsec_hosts);
	devsec_cert_chain_free(&devsec_sample_chain_data);
}
module_exit(devsec_common_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devsec sample: state shared by the devsec modules");
