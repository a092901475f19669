// SPDX-License-Identifier: GPL-2.0
/*
 * PCIe Integrity and Data Encryption (IDE): capability enumeration,
 * selective stream allocation and register programming, stream sysfs
 * links.  PCIe r6.1 sec 6.33 (IDE) and sec 7.9.26 (IDE extended
 * capability).
 *
 * Only selective streams between an endpoint and its root port are
 * managed.  Each host bridge has a pool of stream slots whose size the
 * platform sets with pci_ide_set_nr_streams() (PCI_IDE_DEFAULT_NR_STREAMS
 * otherwise).  Stream IDs are the TSM driver's to choose; the core only
 * checks, while a stream is registered, that no other registered stream
 * below the host bridge uses its ID and that it is not
 * PCI_IDE_RESERVED_STREAM_ID.  Keys are programmed by the TSM driver
 * (IDE_KM over SPDM), not here.
 */
#define dev_fmt(fmt) "IDE: " fmt

#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/cleanup.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-ide.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/string.h>
#include <linux/tsm.h>

#include "pci.h"
#include "ide.h"

/* Protects host bridge pools, per-device block maps, registered streams */
static DEFINE_MUTEX(pci_ide_lock);

/**
 * struct pci_ide_dev_streams - selective stream blocks in use on a device
 * @node: entry of pci_ide_dev_list
 * @pdev: the endpoint or root port
 * @map: register block indices in use
 *
 * Exists only while the device has a stream allocated.
 */
struct pci_ide_dev_streams {
	struct list_head node;
	struct pci_dev *pdev;
	DECLARE_BITMAP(map, PCI_IDE_MAX_SEL_STREAMS);
};

static LIST_HEAD(pci_ide_dev_list);

/**
 * struct pci_ide_registered - a stream between pci_ide_stream_register()
 *	and pci_ide_stream_unregister()
 * @node: entry of pci_ide_registered_list
 * @hb: host bridge of the stream
 * @stream_id: the Stream ID it was registered with
 * @ide: the stream
 *
 * Kept apart from &struct pci_ide, whose layout is the API's: the ID
 * recorded here is the one the stream holds, whatever the TSM driver
 * does to &pci_ide.stream_id afterwards.
 */
struct pci_ide_registered {
	struct list_head node;
	struct pci_host_bridge *hb;
	u8 stream_id;
	struct pci_ide *ide;
};

static LIST_HEAD(pci_ide_registered_list);

/**
 * pci_ide_cap_parse() - decode the IDE Capability register
 * @cap: register value
 * @info: filled in
 *
 * Return: 0, or -ENODEV when selective streams are not supported.
 */
VISIBLE_IF_KUNIT int pci_ide_cap_parse(u32 cap, struct pci_ide_cap_info *info)
{
	*info = (struct pci_ide_cap_info) {};
	if (cap & PCI_IDE_CAP_LINK)
		info->nr_link = FIELD_GET(PCI_IDE_CAP_LINK_TC_NUM, cap) + 1;
	if (!(cap & PCI_IDE_CAP_SELECTIVE))
		return -ENODEV;
	info->nr_sel = FIELD_GET(PCI_IDE_CAP_SEL_NUM, cap) + 1;
	info->cfg = !!(cap & PCI_IDE_CAP_SEL_CFG);
	info->tee_limited = !!(cap & PCI_IDE_CAP_TEE_LIMITED);
	info->ide_km = !!(cap & PCI_IDE_CAP_IDE_KM);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pci_ide_cap_parse);

/**
 * pci_ide_alloc_index() - take the lowest free index of a bitmap
 * @map: the bitmap
 * @nr: indices available, at most the bitmap's size
 *
 * Return: the index, or -EBUSY when all @nr are in use.
 */
VISIBLE_IF_KUNIT int pci_ide_alloc_index(unsigned long *map, unsigned int nr)
{
	unsigned int i = find_first_zero_bit(map, nr);

	if (i >= nr)
		return -EBUSY;
	__set_bit(i, map);
	return i;
}
EXPORT_SYMBOL_IF_KUNIT(pci_ide_alloc_index);

/**
 * pci_ide_sel_ctl() - Selective IDE Stream Control value
 * @stream_id: Stream ID
 * @tee_limited: restrict the stream to TEE requests
 * @enable: set Selective IDE Stream Enable
 *
 * Return: the register value; AES-GCM-256, no aggregation, no PCRC.
 */
VISIBLE_IF_KUNIT u32 pci_ide_sel_ctl(u8 stream_id, bool tee_limited,
				     bool enable)
{
	return FIELD_PREP(PCI_IDE_SEL_CTL_ID, stream_id) |
	       FIELD_PREP(PCI_IDE_SEL_CTL_ALG, PCI_IDE_CAP_ALG_AES_GCM_256) |
	       (tee_limited ? PCI_IDE_SEL_CTL_TEE_LIMIT : 0) |
	       (enable ? PCI_IDE_SEL_CTL_EN : 0);
}
EXPORT_SYMBOL_IF_KUNIT(pci_ide_sel_ctl);

/**
 * pci_ide_rid_assoc() - IDE RID Association register values
 * @rid_start: first Requester ID
 * @rid_end: last Requester ID
 * @segment: PCI segment of the Requester IDs
 * @rid1: IDE RID Association Register 1
 * @rid2: IDE RID Association Register 2 (with Valid set)
 */
VISIBLE_IF_KUNIT void pci_ide_rid_assoc(u16 rid_start, u16 rid_end,
					u8 segment, u32 *rid1, u32 *rid2)
{
	*rid1 = FIELD_PREP(PCI_IDE_SEL_RID_1_LIMIT, rid_end);
	*rid2 = FIELD_PREP(PCI_IDE_SEL_RID_2_BASE, rid_start) |
		FIELD_PREP(PCI_IDE_SEL_RID_2_SEG, segment) |
		PCI_IDE_SEL_RID_2_VALID;
}
EXPORT_SYMBOL_IF_KUNIT(pci_ide_rid_assoc);

/**
 * pci_ide_addr_assoc() - IDE Address Association register values
 * @base: first byte of the range (1 MiB granular: bits 19:0 ignored)
 * @limit: last byte of the range (bits 19:0 are implied ones)
 * @a1: register 1 (with Valid set)
 * @a2: register 2, limit bits 63:32
 * @a3: register 3, base bits 63:32
 */
VISIBLE_IF_KUNIT void pci_ide_addr_assoc(u64 base, u64 limit, u32 *a1,
					 u32 *a2, u32 *a3)
{
	*a1 = FIELD_PREP(PCI_IDE_SEL_ADDR_1_BASE_LOW, (base >> 20) & 0xfff) |
	      FIELD_PREP(PCI_IDE_SEL_ADDR_1_LIMIT_LOW, (limit >> 20) & 0xfff) |
	      PCI_IDE_SEL_ADDR_1_VALID;
	*a2 = upper_32_bits(limit);
	*a3 = upper_32_bits(base);
}
EXPORT_SYMBOL_IF_KUNIT(pci_ide_addr_assoc);

/*
 * Offset of selective stream block @index: the Link IDE blocks come first,
 * then the selective blocks, each sized by its own association count.
 * Returns 0 when the block would not fit in config space, else its offset
 * with *@nr_assoc set to the association count the check was made with.
 * The device may change what it reports at any time: callers size their
 * accesses to the block by *@nr_assoc, never by reading it again.
 */
static u16 pci_ide_sel_block(struct pci_dev *pdev, unsigned int index,
			     unsigned int *nr_assoc)
{
	unsigned int pos = pdev->ide_cap + PCI_IDE_LINK_STREAM_0 +
			   pdev->nr_link_ide * PCI_IDE_LINK_BLOCK_SIZE;
	unsigned int i, nr;
	u32 cap;

	for (i = 0; i < index; i++) {
		if (pos + PCI_IDE_SEL_BLOCK_SIZE(0) > PCI_CFG_SPACE_EXP_SIZE)
			return 0;
		pci_read_config_dword(pdev, pos + PCI_IDE_SEL_CAP, &cap);
		pos += PCI_IDE_SEL_BLOCK_SIZE(FIELD_GET(PCI_IDE_SEL_CAP_ASSOC_NUM,
							cap));
	}
	if (pos + PCI_IDE_SEL_BLOCK_SIZE(0) > PCI_CFG_SPACE_EXP_SIZE)
		return 0;
	/* ... with its own address association blocks */
	pci_read_config_dword(pdev, pos + PCI_IDE_SEL_CAP, &cap);
	nr = FIELD_GET(PCI_IDE_SEL_CAP_ASSOC_NUM, cap);
	if (pos + PCI_IDE_SEL_BLOCK_SIZE(nr) > PCI_CFG_SPACE_EXP_SIZE)
		return 0;
	*nr_assoc = nr;
	return pos;
}

/**
 * pci_ide_init() - enumerate the IDE capability of a new device
 * @pdev: endpoint or root port being set up
 */
void pci_ide_init(struct pci_dev *pdev)
{
	struct pci_ide_cap_info info;
	unsigned int nr_assoc;
	u16 pos;
	u32 cap;

	if (!pci_is_pcie(pdev))
		return;
	switch (pci_pcie_type(pdev)) {
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_ROOT_PORT:
		break;
	default:
		return;
	}
	pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_IDE);
	if (!pos)
		return;
	pci_read_config_dword(pdev, pos + PCI_IDE_CAP, &cap);
	if (pci_ide_cap_parse(cap, &info))
		return;

	pdev->ide_cap = pos;
	pdev->nr_link_ide = info.nr_link;
	pdev->nr_sel_ide = info.nr_sel;
	pdev->ide_cfg = info.cfg;
	pdev->ide_tee_limit = info.tee_limited;

	/* All blocks must fit in config space, else ignore the capability */
	if (!pci_ide_sel_block(pdev, info.nr_sel - 1, &nr_assoc) ||
	    !pci_ide_sel_block(pdev, 0, &nr_assoc)) {
		pci_info(pdev, "malformed IDE capability, ignored\n");
		pdev->ide_cap = 0;
		pdev->nr_sel_ide = 0;
		return;
	}
	pdev->nr_ide_mem = nr_assoc;
	pci_dbg(pdev, "%u link, %u selective streams, %u address blocks%s\n",
		pdev->nr_link_ide, pdev->nr_sel_ide, pdev->nr_ide_mem,
		pdev->ide_tee_limit ? ", TEE-limited" : "");
}

static u16 pci_ide_hb_nr_streams(struct pci_host_bridge *hb)
{
	return hb->ide_streams_set ? hb->nr_ide_streams :
				     PCI_IDE_DEFAULT_NR_STREAMS;
}

/* Stream slots left in @hb's pool: 0 while more are in use than it holds */
static unsigned int pci_ide_hb_avail(struct pci_host_bridge *hb)
{
	u16 nr = pci_ide_hb_nr_streams(hb);

	lockdep_assert_held(&pci_ide_lock);
	return nr > hb->nr_ide_streams_used ? nr - hb->nr_ide_streams_used : 0;
}

/**
 * pci_ide_set_nr_streams() - set the size of a host bridge's stream pool
 * @hb: the host bridge
 * @nr: number of selective streams the platform can have active below it
 *	(at most 256)
 *
 * Normally called by platform code before streams are allocated; makes
 * available_secure_streams visible.  Exported in the PCI_IDE namespace:
 * it is for the platform, not for endpoint or TSM drivers.  A size below the streams in use does
 * not touch them: they keep their slots until released,
 * available_secure_streams reads 0 and pci_ide_stream_alloc() fails with
 * -EBUSY until fewer than @nr streams are in use.
 */
void pci_ide_set_nr_streams(struct pci_host_bridge *hb, u16 nr)
{
	scoped_guard(mutex, &pci_ide_lock) {
		hb->nr_ide_streams = min_t(u16, nr, PCI_IDE_DEFAULT_NR_STREAMS);
		hb->ide_streams_set = 1;
	}
	if (device_is_registered(&hb->dev))
		sysfs_update_group(&hb->dev.kobj, &pci_ide_attr_group);
}
EXPORT_SYMBOL_NS_GPL(pci_ide_set_nr_streams, PCI_IDE);

static struct pci_ide_dev_streams *pci_ide_dev_streams(struct pci_dev *pdev,
						       bool create)
{
	struct pci_ide_dev_streams *ds;

	lockdep_assert_held(&pci_ide_lock);
	list_for_each_entry(ds, &pci_ide_dev_list, node)
		if (ds->pdev == pdev)
			return ds;
	if (!create)
		return NULL;
	ds = kzalloc(sizeof(*ds), GFP_KERNEL);
	if (!ds)
		return NULL;
	ds->pdev = pci_dev_get(pdev);
	list_add(&ds->node, &pci_ide_dev_list);
	return ds;
}

static void pci_ide_dev_put_index(struct pci_dev *pdev, unsigned int index)
{
	struct pci_ide_dev_streams *ds = pci_ide_dev_streams(pdev, false);

	if (!ds)
		return;
	__clear_bit(index, ds->map);
	if (bitmap_empty(ds->map, PCI_IDE_MAX_SEL_STREAMS)) {
		list_del(&ds->node);
		pci_dev_put(ds->pdev);
		kfree(ds);
	}
}

static int pci_ide_dev_get_index(struct pci_dev *pdev)
{
	struct pci_ide_dev_streams *ds = pci_ide_dev_streams(pdev, true);
	int index;

	if (!ds)
		return -ENOMEM;
	index = pci_ide_alloc_index(ds->map, pdev->nr_sel_ide);
	if (index < 0 && bitmap_empty(ds->map, PCI_IDE_MAX_SEL_STREAMS)) {
		list_del(&ds->node);
		pci_dev_put(ds->pdev);
		kfree(ds);
	}
	return index;
}

/* A pci_bus_region of size 0: an address association not to program */
#define PCI_IDE_NO_ASSOC ((struct pci_bus_region) { .start = 0, .end = -1 })

/* Size 0, the end wrapping to just below the start ({0, -1}), or inverted */
static bool pci_ide_region_empty(const struct pci_bus_region *r)
{
	return r->end < r->start || r->end - r->start + 1 == 0;
}

/*
 * The window @win of @br as a bus region, if it is assigned and holds one
 * of @pdev's memory BARs; else no association.
 */
static struct pci_bus_region pci_ide_window(struct pci_dev *br, int win,
					    struct pci_dev *pdev)
{
	struct resource *w = pci_resource_n(br, win);
	struct pci_bus_region region;
	int bar;

	if (!w->parent || !(resource_type(w) & IORESOURCE_MEM) ||
	    !resource_size(w))
		return PCI_IDE_NO_ASSOC;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct resource *res = pci_resource_n(pdev, bar);

		if (!(resource_type(res) & IORESOURCE_MEM) ||
		    !resource_size(res) || !resource_contains(w, res))
			continue;
		pcibios_resource_to_bus(br->bus, &region, w);
		return region;
	}
	return PCI_IDE_NO_ASSOC;
}

/**
 * pci_ide_stream_alloc() - allocate a selective stream for an endpoint
 * @pdev: the endpoint; it and its root port must have selective IDE
 *
 * Takes a slot of the host bridge's pool and a selective stream register
 * block in the endpoint and in the root port, and fills in the settings
 * of both ends (see &struct pci_ide_partner).  The Stream ID is left
 * negative: the TSM driver sets it before pci_ide_stream_register().
 * Nothing is programmed yet.
 *
 * Return: the stream (undo with pci_ide_stream_free() or
 * pci_ide_stream_release()), or NULL when @pdev cannot have a stream,
 * a pool is exhausted or memory is short.
 */
struct pci_ide *pci_ide_stream_alloc(struct pci_dev *pdev)
{
	struct pci_dev *rp = pcie_find_root_port(pdev);
	struct pci_host_bridge *hb = pci_find_host_bridge(pdev->bus);
	struct pci_dev *br = pci_upstream_bridge(pdev);
	struct pci_ide *ide;
	int slot, ep_index, rp_index;

	if (!rp || !br || !pdev->nr_sel_ide || !rp->nr_sel_ide ||
	    pci_pcie_type(pdev) != PCI_EXP_TYPE_ENDPOINT)
		return NULL;

	ide = kzalloc(sizeof(*ide), GFP_KERNEL);
	if (!ide)
		return NULL;

	mutex_lock(&pci_ide_lock);
	/*
	 * A pool shrunk below the streams in use can have free slots below
	 * its size while it is over budget: count, not just look for a slot.
	 */
	if (!pci_ide_hb_avail(hb))
		goto err_slot;
	slot = pci_ide_alloc_index(hb->ide_stream_map,
				   pci_ide_hb_nr_streams(hb));
	if (slot < 0)
		goto err_slot;
	ep_index = pci_ide_dev_get_index(pdev);
	if (ep_index < 0)
		goto err_ep;
	rp_index = pci_ide_dev_get_index(rp);
	if (rp_index < 0)
		goto err_rp;
	hb->nr_ide_streams_used++;
	mutex_unlock(&pci_ide_lock);

	ide->pdev = pci_dev_get(pdev);
	ide->host_bridge_stream = slot;
	ide->stream_id = -1;

	/*
	 * The root port's stream covers requests of the device's functions
	 * and, towards the device, the upstream bridge windows it sits in.
	 */
	ide->partner[PCI_IDE_RP] = (struct pci_ide_partner) {
		.rid_start = pci_dev_id(pdev),
		.rid_end = pci_dev_id(pdev) | 7,
		.stream_index = rp_index,
		.mem_assoc = pci_ide_window(br, PCI_BRIDGE_MEM_WINDOW, pdev),
		.pref_assoc = pci_ide_window(br, PCI_BRIDGE_PREF_MEM_WINDOW,
					     pdev),
	};
	/* The endpoint's covers the root port; no address association */
	ide->partner[PCI_IDE_EP] = (struct pci_ide_partner) {
		.rid_start = pci_dev_id(rp),
		.rid_end = pci_dev_id(rp),
		.stream_index = ep_index,
		.mem_assoc = PCI_IDE_NO_ASSOC,
		.pref_assoc = PCI_IDE_NO_ASSOC,
	};
	return ide;

err_rp:
	pci_ide_dev_put_index(pdev, ep_index);
err_ep:
	__clear_bit(slot, hb->ide_stream_map);
err_slot:
	mutex_unlock(&pci_ide_lock);
	kfree(ide);
	return NULL;
}
EXPORT_SYMBOL_GPL(pci_ide_stream_alloc);

/**
 * pci_ide_stream_free() - give back what pci_ide_stream_alloc() took
 * @ide: the stream, torn down and unregistered
 */
void pci_ide_stream_free(struct pci_ide *ide)
{
	struct pci_dev *pdev = ide->pdev;
	struct pci_host_bridge *hb = pci_find_host_bridge(pdev->bus);

	scoped_guard(mutex, &pci_ide_lock) {
		pci_ide_dev_put_index(pcie_find_root_port(pdev),
				      ide->partner[PCI_IDE_RP].stream_index);
		pci_ide_dev_put_index(pdev,
				      ide->partner[PCI_IDE_EP].stream_index);
		__clear_bit(ide->host_bridge_stream, hb->ide_stream_map);
		hb->nr_ide_streams_used--;
	}
	pci_dev_put(pdev);
	kfree(ide);
}
EXPORT_SYMBOL_GPL(pci_ide_stream_free);

static struct pci_ide_registered *pci_ide_find_registered(struct pci_ide *ide)
{
	struct pci_ide_registered *r;

	lockdep_assert_held(&pci_ide_lock);
	list_for_each_entry(r, &pci_ide_registered_list, node)
		if (r->ide == ide)
			return r;
	return NULL;
}

/* Stream ID @id taken by a registered stream below @hb? */
static bool pci_ide_stream_id_busy(struct pci_host_bridge *hb, u8 id)
{
	struct pci_ide_registered *r;

	lockdep_assert_held(&pci_ide_lock);
	if (id == PCI_IDE_RESERVED_STREAM_ID)
		return true;
	list_for_each_entry(r, &pci_ide_registered_list, node)
		if (r->hb == hb && r->stream_id == id)
			return true;
	return false;
}

/**
 * pci_ide_stream_register() - claim the Stream ID, link the stream below
 *	its host bridge
 * @ide: an allocated stream whose @stream_id the TSM driver has set
 *
 * Names the stream "streamH.R.E" (@ide->name) and creates pciDDDD:BB/name
 * pointing at the endpoint.  @ide->stream_id must not change while the
 * stream is registered.
 *
 * Return: 0, -ENXIO when @ide->stream_id is not a Stream ID (negative or
 * above 255), -EBUSY when it is PCI_IDE_RESERVED_STREAM_ID or a registered
 * stream below the same host bridge has it, -EINVAL when @ide is already
 * registered, -ENOMEM, or the errno of the sysfs link.
 */
int pci_ide_stream_register(struct pci_ide *ide)
{
	struct pci_dev *pdev = ide->pdev;
	struct pci_host_bridge *hb = pci_find_host_bridge(pdev->bus);
	struct pci_ide_registered *r;
	const char *name;
	int rc;

	if (ide->stream_id < 0 || ide->stream_id > U8_MAX) {
		pci_dbg(pdev, "invalid Stream ID %d\n", ide->stream_id);
		return -ENXIO;
	}
	if (ide->name)
		return -EINVAL;
	name = kasprintf(GFP_KERNEL, "stream%u.%u.%u", ide->host_bridge_stream,
			 ide->partner[PCI_IDE_RP].stream_index,
			 ide->partner[PCI_IDE_EP].stream_index);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!name || !r) {
		rc = -ENOMEM;
		goto err;
	}
	r->hb = hb;
	r->stream_id = ide->stream_id;
	r->ide = ide;

	scoped_guard(mutex, &pci_ide_lock) {
		if (pci_ide_stream_id_busy(hb, r->stream_id)) {
			pci_dbg(pdev, "Stream ID %u in use\n", r->stream_id);
			rc = -EBUSY;
			goto err;
		}
		list_add(&r->node, &pci_ide_registered_list);
	}
	rc = sysfs_create_link(&hb->dev.kobj, &pdev->dev.kobj, name);
	if (rc) {
		scoped_guard(mutex, &pci_ide_lock)
			list_del(&r->node);
		goto err;
	}
	ide->name = name;
	return 0;

err:
	kfree(r);
	kfree(name);
	return rc;
}
EXPORT_SYMBOL_GPL(pci_ide_stream_register);

/**
 * pci_ide_stream_unregister() - undo pci_ide_stream_register()
 * @ide: the stream
 *
 * Removes the host bridge link, frees @ide->name (NULL again) and gives
 * back the Stream ID the stream was registered with.
 */
void pci_ide_stream_unregister(struct pci_ide *ide)
{
	struct pci_host_bridge *hb = pci_find_host_bridge(ide->pdev->bus);
	struct pci_ide_registered *r;

	if (!ide->name)
		return;
	sysfs_remove_link(&hb->dev.kobj, ide->name);
	scoped_guard(mutex, &pci_ide_lock) {
		r = pci_ide_find_registered(ide);
		if (r)
			list_del(&r->node);
	}
	WARN_ON(!r);
	kfree(r);
	kfree(ide->name);
	ide->name = NULL;
}
EXPORT_SYMBOL_GPL(pci_ide_stream_unregister);

/**
 * pci_ide_to_settings() - the settings of one end of a stream
 * @pdev: the stream's endpoint or its root port
 * @ide: the stream
 *
 * Return: &ide->partner[PCI_IDE_EP] for the endpoint,
 * &ide->partner[PCI_IDE_RP] for its root port, NULL (with a warning,
 * once) for any other device.
 */
struct pci_ide_partner *pci_ide_to_settings(struct pci_dev *pdev,
					    struct pci_ide *ide)
{
	if (pci_is_pcie(pdev)) {
		switch (pci_pcie_type(pdev)) {
		case PCI_EXP_TYPE_ENDPOINT:
			if (pdev == ide->pdev)
				return &ide->partner[PCI_IDE_EP];
			break;
		case PCI_EXP_TYPE_ROOT_PORT:
			if (pdev == pcie_find_root_port(ide->pdev))
				return &ide->partner[PCI_IDE_RP];
			break;
		default:
			break;
		}
	}
	pci_warn_once(pdev, "not an end of IDE stream of %s\n",
		      pci_name(ide->pdev));
	return NULL;
}
EXPORT_SYMBOL_GPL(pci_ide_to_settings);

/*
 * Which end of @ide is @pdev, and where is its register block?  *@nr_assoc
 * (may be NULL) is the block's association count as validated.
 */
static struct pci_ide_partner *pci_ide_partner(struct pci_dev *pdev,
					       struct pci_ide *ide, u16 *pos,
					       unsigned int *nr_assoc)
{
	struct pci_ide_partner *p = pci_ide_to_settings(pdev, ide);
	unsigned int nr;

	if (!p)
		return NULL;
	*pos = pci_ide_sel_block(pdev, p->stream_index, &nr);
	if (!*pos)
		return NULL;
	if (nr_assoc)
		*nr_assoc = nr;
	return p;
}

/* Selective IDE Stream Control of @pdev's end of @ide */
static u32 pci_ide_ctl(struct pci_dev *pdev, struct pci_ide *ide,
		       struct pci_ide_partner *p, bool enable)
{
	u32 ctl = pci_ide_sel_ctl(ide->stream_id, pdev->ide_tee_limit, enable);

	if (p->default_stream)
		ctl |= PCI_IDE_SEL_CTL_DEFAULT;
	return ctl;
}

/*
 * Program address association block @i of the block at @pos with @r, or
 * clear it for an empty @r.
 */
static void pci_ide_write_assoc(struct pci_dev *pdev, u16 pos, unsigned int i,
				const struct pci_bus_region *r)
{
	u32 a1 = 0, a2 = 0, a3 = 0;

	if (r && !pci_ide_region_empty(r))
		pci_ide_addr_assoc(r->start, r->end, &a1, &a2, &a3);
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_ADDR_1(i), a1);
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_ADDR_2(i), a2);
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_ADDR_3(i), a3);
}

/**
 * pci_ide_stream_setup() - program one end of a stream, still disabled
 * @pdev: the endpoint or its root port
 * @ide: the stream, registered (its Stream ID set)
 *
 * Writes Stream ID, RID association and the address associations
 * (@mem_assoc, then @pref_assoc, as many as the end's register block has,
 * the others cleared) into the end's selective stream register block.
 */
void pci_ide_stream_setup(struct pci_dev *pdev, struct pci_ide *ide)
{
	struct pci_ide_partner *p;
	const struct pci_bus_region *assoc[2];
	unsigned int nr_assoc, i, n = 0;
	u32 rid1, rid2;
	u16 pos;

	p = pci_ide_partner(pdev, ide, &pos, &nr_assoc);
	if (!p)
		return;
	if (!pci_ide_region_empty(&p->mem_assoc))
		assoc[n++] = &p->mem_assoc;
	if (!pci_ide_region_empty(&p->pref_assoc))
		assoc[n++] = &p->pref_assoc;

	pci_ide_rid_assoc(p->rid_start, p->rid_end, pci_domain_nr(pdev->bus),
			  &rid1, &rid2);
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_RID_1, rid1);
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_RID_2, rid2);
	for (i = 0; i < nr_assoc; i++)
		pci_ide_write_assoc(pdev, pos, i, i < n ? assoc[i] : NULL);
	if (n > nr_assoc)
		pci_dbg(pdev, "%s: %u of %u address ranges associated\n",
			ide->name, nr_assoc, n);
	/* Stream ID before the keys: IDE_KM names the stream by it */
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_CTL,
			       pci_ide_ctl(pdev, ide, p, false));
	p->setup = 1;
}
EXPORT_SYMBOL_GPL(pci_ide_stream_setup);

/**
 * pci_ide_stream_teardown() - clear one end's register block
 * @pdev: the endpoint or its root port
 * @ide: the stream, disabled at @pdev
 */
void pci_ide_stream_teardown(struct pci_dev *pdev, struct pci_ide *ide)
{
	struct pci_ide_partner *p;
	unsigned int nr_assoc, i;
	u16 pos;

	p = pci_ide_partner(pdev, ide, &pos, &nr_assoc);
	if (!p)
		return;
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_CTL, 0);
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_RID_1, 0);
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_RID_2, 0);
	for (i = 0; i < nr_assoc; i++)
		pci_ide_write_assoc(pdev, pos, i, NULL);
	p->setup = 0;
}
EXPORT_SYMBOL_GPL(pci_ide_stream_teardown);

/**
 * pci_ide_stream_state() - read the Selective IDE Stream State of one end
 * @pdev: the endpoint or its root port
 * @ide: the stream
 *
 * Return: PCI_IDE_SEL_STS_STATE_* or -EINVAL.
 */
int pci_ide_stream_state(struct pci_dev *pdev, struct pci_ide *ide)
{
	u32 sts;
	u16 pos;

	if (!pci_ide_partner(pdev, ide, &pos, NULL))
		return -EINVAL;
	pci_read_config_dword(pdev, pos + PCI_IDE_SEL_STS, &sts);
	return FIELD_GET(PCI_IDE_SEL_STS_STATE, sts);
}
EXPORT_SYMBOL_GPL(pci_ide_stream_state);

/**
 * pci_ide_stream_enable() - enable one end and check that it is secure
 * @pdev: the endpoint or its root port, set up, keys programmed
 * @ide: the stream
 *
 * Return: 0, or -ENXIO when the stream state does not read Secure after
 * enabling (the end is disabled again), -EINVAL when @pdev is not an end
 * of @ide or the end is not set up.
 */
int pci_ide_stream_enable(struct pci_dev *pdev, struct pci_ide *ide)
{
	struct pci_ide_partner *p;
	u16 pos;

	p = pci_ide_partner(pdev, ide, &pos, NULL);
	if (!p || !p->setup)
		return -EINVAL;
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_CTL,
			       pci_ide_ctl(pdev, ide, p, true));
	if (pci_ide_stream_state(pdev, ide) != PCI_IDE_SEL_STS_STATE_SECURE) {
		pci_ide_stream_disable(pdev, ide);
		pci_dbg(pdev, "%s: not secure after enable\n", ide->name);
		return -ENXIO;
	}
	p->enable = 1;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_ide_stream_enable);

/**
 * pci_ide_stream_disable() - disable one end
 * @pdev: the endpoint or its root port
 * @ide: the stream
 *
 * Clears the enable bit; the other settings stay.
 */
void pci_ide_stream_disable(struct pci_dev *pdev, struct pci_ide *ide)
{
	struct pci_ide_partner *p;
	u16 pos;

	p = pci_ide_partner(pdev, ide, &pos, NULL);
	if (!p)
		return;
	pci_write_config_dword(pdev, pos + PCI_IDE_SEL_CTL,
			       pci_ide_ctl(pdev, ide, p, false));
	p->enable = 0;
}
EXPORT_SYMBOL_GPL(pci_ide_stream_disable);

/**
 * pci_ide_stream_release() - undo whatever of a stream's setup was done
 * @ide: the stream, or NULL
 *
 * Disables and tears down both ends as needed, unregisters the stream
 * from its TSM and from its host bridge and frees it: one call for every
 * error and teardown path, and the cleanup of
 * ``__free(pci_ide_stream_release)``.
 */
void pci_ide_stream_release(struct pci_ide *ide)
{
	struct pci_dev *ends[PCI_IDE_PARTNER_MAX];
	int i;

	if (!ide)
		return;
	ends[PCI_IDE_EP] = ide->pdev;
	ends[PCI_IDE_RP] = pcie_find_root_port(ide->pdev);
	/* Root port first, as the stream was brought up endpoint first */
	for (i = PCI_IDE_PARTNER_MAX - 1; i >= 0; i--)
		if (ide->partner[i].enable)
			pci_ide_stream_disable(ends[i], ide);
	if (ide->tsm_dev)
		tsm_ide_stream_unregister(ide);
	for (i = PCI_IDE_PARTNER_MAX - 1; i >= 0; i--)
		if (ide->partner[i].setup)
			pci_ide_stream_teardown(ends[i], ide);
	pci_ide_stream_unregister(ide);
	pci_ide_stream_free(ide);
}
EXPORT_SYMBOL_GPL(pci_ide_stream_release);

static ssize_t available_secure_streams_show(struct device *dev,
					     struct device_attribute *attr,
					     char *buf)
{
	struct pci_host_bridge *hb = to_pci_host_bridge(dev);
	unsigned int avail;

	scoped_guard(mutex, &pci_ide_lock)
		avail = pci_ide_hb_avail(hb);
	return sysfs_emit(buf, "%u\n", avail);
}
static DEVICE_ATTR_RO(available_secure_streams);

static struct attribute *pci_ide_attrs[] = {
	&dev_attr_available_secure_streams.attr,
	NULL
};

static umode_t pci_ide_attr_visible(struct kobject *kobj, struct attribute *a,
				    int n)
{
	struct pci_host_bridge *hb = to_pci_host_bridge(kobj_to_dev(kobj));

	return hb->ide_streams_set ? a->mode : 0;
}

const struct attribute_group pci_ide_attr_group = {
	.attrs = pci_ide_attrs,
	.is_visible = pci_ide_attr_visible,
};
