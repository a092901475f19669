// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM device evidence: a per-device store of the objects a TSM
 * collected (SPDM certificate chains, VCA transcript, measurements,
 * TDISP interface report) and the pci-tsm netlink dump that reads them.
 *
 * A TSM keeps its evidence in its context (&pci_tsm.evidence, upstream's
 * layout); when connect, lock or an evidence refresh succeeds the core
 * copies it here (pci_tsm_evidence_take()), so that a dump never reads a
 * context that a disconnect may free, and a failed operation publishes
 * nothing.  The interface report is stored by the core itself, from
 * pci_tsm_accept_report().
 *
 * Each store carries a generation number, taken from a global counter
 * whenever the evidence changes (connect, lock, unlock, refresh, reset),
 * so a value never repeats for a device even across disconnects.  A dump
 * records the generation it started with and fails with -EAGAIN when it
 * changed between two of its messages: a reader never gets objects from
 * two different states.  The store lock is only held while one message
 * is filled, so a dump never blocks a state change for long.
 *
 * A DIGEST dump returns the TSM's digest of an object when the TSM gave
 * one (&pci_tsm_evidence_object.digest, of &pci_tsm_evidence.digest_algo),
 * else the SHA-384 digest the core computes when it stores the object, so
 * that a DIGEST dump costs no more than reading a digest per object.  A
 * dump with a nonce first asks the device's TSM to refresh the
 * measurements with it (PCI_TSM_REQ_REFRESH), then reads the store.
 */
#include <crypto/hash.h>
#include <crypto/hash_info.h>
#include <crypto/sha2.h>
#include <linux/capability.h>
#include <linux/cleanup.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "core.h"
#include "netlink.h"

#define PCI_TSM_EVIDENCE_NR	(PCI_TSM_EVIDENCE_TYPE_MAX + 1)

struct pci_tsm_evidence_obj {
	void *data;
	size_t len;
	unsigned int digest_len;
	u8 digest[HASH_MAX_DIGESTSIZE];
};

/**
 * struct pci_tsm_evidence_store - the published evidence of one device
 * @node: entry in pci_tsm_evidence_list
 * @pdev: the device (not referenced: the store is removed before it)
 * @generation: changes whenever the evidence changes
 * @obj: the objects, by &enum pci_tsm_evidence_type
 */
struct pci_tsm_evidence_store {
	struct list_head node;
	struct pci_dev *pdev;
	u64 generation;
	struct pci_tsm_evidence_obj obj[PCI_TSM_EVIDENCE_NR];
};

static DEFINE_MUTEX(pci_tsm_evidence_lock);
static LIST_HEAD(pci_tsm_evidence_list);
static u64 pci_tsm_evidence_gen;

static struct pci_tsm_evidence_store *pci_tsm_evidence_find(struct pci_dev *pdev)
{
	struct pci_tsm_evidence_store *ev;

	lockdep_assert_held(&pci_tsm_evidence_lock);
	list_for_each_entry(ev, &pci_tsm_evidence_list, node)
		if (ev->pdev == pdev)
			return ev;
	return NULL;
}

static int pci_tsm_evidence_digest(const void *data, size_t len, u8 *out)
{
	struct crypto_shash *tfm;
	int rc;

	tfm = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	rc = crypto_shash_tfm_digest(tfm, data, len, out);
	crypto_free_shash(tfm);
	return rc;
}

/*
 * Prepare @out as a copy of @len bytes at @data, with @digest_len bytes
 * of @digest as its digest, or its SHA-384 digest when @digest is NULL
 */
static int pci_tsm_evidence_copy(struct pci_tsm_evidence_obj *out,
				 const void *data, size_t len,
				 const void *digest, unsigned int digest_len)
{
	int rc;

	*out = (struct pci_tsm_evidence_obj) {};
	if (len > PCI_TSM_MAX_OBJECT_SIZE)
		return -EFBIG;
	if (!len)
		return 0;
	if (digest) {
		if (!digest_len || digest_len > sizeof(out->digest))
			return -EINVAL;
		memcpy(out->digest, digest, digest_len);
		out->digest_len = digest_len;
	} else {
		rc = pci_tsm_evidence_digest(data, len, out->digest);
		if (rc)
			return rc;
		out->digest_len = SHA384_DIGEST_SIZE;
	}
	out->data = kvmemdup(data, len, GFP_KERNEL);
	if (!out->data)
		return -ENOMEM;
	out->len = len;
	return 0;
}

/* The store of @pdev, created if need be.  pci_tsm_evidence_lock held. */
static struct pci_tsm_evidence_store *pci_tsm_evidence_get(struct pci_dev *pdev)
{
	struct pci_tsm_evidence_store *ev;

	lockdep_assert_held(&pci_tsm_evidence_lock);
	ev = pci_tsm_evidence_find(pdev);
	if (ev)
		return ev;
	ev = kzalloc(sizeof(*ev), GFP_KERNEL);
	if (!ev)
		return NULL;
	ev->pdev = pdev;
	list_add_tail(&ev->node, &pci_tsm_evidence_list);
	return ev;
}

/**
 * pci_tsm_evidence_set() - store (a copy of) one evidence object
 * @pdev: the device
 * @type: which object
 * @data: its content
 * @len: its size, at most 16 MiB
 *
 * Changes the generation.  Computes the SHA-384 digest of the object,
 * which a DIGEST dump returns instead of the object.
 *
 * Return: 0, -EINVAL (bad @type), -EFBIG (@len too big), -ENOMEM, or the
 * crypto API's error when SHA-384 is not available.
 */
int pci_tsm_evidence_set(struct pci_dev *pdev, unsigned int type,
			 const void *data, size_t len)
{
	struct pci_tsm_evidence_store *ev;
	struct pci_tsm_evidence_obj obj;
	int rc;

	if (type >= PCI_TSM_EVIDENCE_NR)
		return -EINVAL;
	rc = pci_tsm_evidence_copy(&obj, data, len, NULL, 0);
	if (rc)
		return rc;

	guard(mutex)(&pci_tsm_evidence_lock);
	ev = pci_tsm_evidence_get(pdev);
	if (!ev) {
		kvfree(obj.data);
		return -ENOMEM;
	}
	kvfree(ev->obj[type].data);
	ev->obj[type] = obj;
	ev->generation = ++pci_tsm_evidence_gen;
	return 0;
}

/**
 * pci_tsm_evidence_take() - publish the evidence a TSM keeps for a device
 * @pdev: the device
 * @tsm_ev: the TSM's evidence (&pci_tsm.evidence)
 * @mask: the objects to publish, BIT(type) each: all after connect or
 *	lock, the refreshed one after a refresh
 *
 * Replaces those objects of the store of @pdev by a copy of the TSM's, in
 * one generation: an object the TSM has not (or no longer) is dropped,
 * except the interface report, which the core stores itself unless the
 * TSM keeps one.  A digest the TSM gave is published as such (its size
 * follows @tsm_ev->digest_algo); the others are computed (SHA-384).
 *
 * Return: 0, -EFBIG for an object larger than %PCI_TSM_MAX_OBJECT_SIZE,
 * -EINVAL for a digest of an unknown algorithm, -ENOMEM, or the crypto
 * API's error; the store is then left as it was.
 */
int pci_tsm_evidence_take(struct pci_dev *pdev,
			  struct pci_tsm_evidence *tsm_ev, unsigned long mask)
{
	struct pci_tsm_evidence_obj *objs __free(kfree) = NULL;
	struct pci_tsm_evidence_store *ev;
	unsigned int i, digest_len = 0;
	int rc = 0;

	objs = kcalloc(PCI_TSM_EVIDENCE_NR, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;

	scoped_guard(rwsem_read, &tsm_ev->lock) {
		if ((unsigned int)tsm_ev->digest_algo < HASH_ALGO__LAST)
			digest_len = hash_digest_size[tsm_ev->digest_algo];
		for (i = 0; i < PCI_TSM_EVIDENCE_NR && !rc; i++) {
			const struct pci_tsm_evidence_object *o = &tsm_ev->obj[i];

			if (!(mask & BIT(i)) || !o->data)
				continue;
			rc = pci_tsm_evidence_copy(&objs[i], o->data, o->len,
						   o->digest, digest_len);
		}
	}
	if (rc)
		goto out_free;

	scoped_guard(mutex, &pci_tsm_evidence_lock) {
		ev = pci_tsm_evidence_get(pdev);
		if (!ev) {
			rc = -ENOMEM;
			break;
		}
		for (i = 0; i < PCI_TSM_EVIDENCE_NR; i++) {
			if (!(mask & BIT(i)))
				continue;
			if (i == PCI_TSM_EVIDENCE_TYPE_REPORT && !objs[i].data)
				continue;
			swap(ev->obj[i], objs[i]);
		}
		ev->generation = ++pci_tsm_evidence_gen;
	}
out_free:
	/* what failed to copy, or what was replaced */
	for (i = 0; i < PCI_TSM_EVIDENCE_NR; i++)
		kvfree(objs[i].data);
	return rc;
}

/**
 * pci_tsm_evidence_bump() - note a state change of a device
 * @pdev: the device (connect, lock, unlock, refresh, reset)
 *
 * Dumps in progress for @pdev fail with -EAGAIN from their next message.
 */
void pci_tsm_evidence_bump(struct pci_dev *pdev)
{
	struct pci_tsm_evidence_store *ev;

	guard(mutex)(&pci_tsm_evidence_lock);
	ev = pci_tsm_evidence_find(pdev);
	if (ev)
		ev->generation = ++pci_tsm_evidence_gen;
}

/**
 * pci_tsm_evidence_clear() - drop the evidence of a device (disconnect)
 * @pdev: the device
 */
void pci_tsm_evidence_clear(struct pci_dev *pdev)
{
	struct pci_tsm_evidence_store *ev;
	unsigned int i;

	guard(mutex)(&pci_tsm_evidence_lock);
	ev = pci_tsm_evidence_find(pdev);
	if (!ev)
		return;
	list_del(&ev->node);
	for (i = 0; i < PCI_TSM_EVIDENCE_NR; i++)
		kvfree(ev->obj[i].data);
	kfree(ev);
	++pci_tsm_evidence_gen;
}

/* Dump progress, kept in &netlink_callback.ctx between messages */
struct pci_tsm_evidence_dump {
	struct pci_dev *pdev;
	u64 generation;
	u64 offset;
	u32 mask;
	u32 type;
	bool started;
	bool in_object;
	bool digest;
};

static_assert(sizeof(struct pci_tsm_evidence_dump) <=
	      sizeof_field(struct netlink_callback, ctx));

static int pci_tsm_evidence_fill(struct sk_buff *skb,
				 const struct genl_info *info,
				 struct pci_tsm_evidence_dump *d,
				 const struct pci_tsm_evidence_obj *obj)
{
	int room = skb_tailroom(skb) - NLMSG_HDRLEN - GENL_HDRLEN -
		   nla_total_size(sizeof(u32)) - nla_total_size(sizeof(u64)) -
		   nla_total_size(0) - 8;
	const u8 *data = obj->data;
	size_t len = obj->len;
	size_t chunk;
	void *hdr;

	/* an empty object has no digest: its val stays empty */
	if (d->digest && len) {
		data = obj->digest;
		len = obj->digest_len;
	}
	if (room <= 0)
		return -EMSGSIZE;
	chunk = min_t(size_t, len - d->offset, room);
	hdr = genlmsg_iput(skb, info);
	if (!hdr)
		return -EMSGSIZE;
	if ((!d->in_object &&
	     (nla_put_u32(skb, PCI_TSM_A_EVIDENCE_OBJECT_TYPE, d->type) ||
	      nla_put_uint(skb, PCI_TSM_A_EVIDENCE_OBJECT_GENERATION,
			   d->generation))) ||
	    nla_put(skb, PCI_TSM_A_EVIDENCE_OBJECT_VAL, chunk,
		    data + d->offset)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	d->in_object = true;
	d->offset += chunk;
	if (d->offset == len) {
		d->in_object = false;
		d->offset = 0;
		d->type++;
	}
	return 0;
}

/*
 * Start of a dump: check the request and take a reference on the device
 * for the whole dump (dropped by pci_tsm_nl_evidence_read_post(), which
 * netlink calls only when this succeeded).
 */
int pci_tsm_nl_evidence_read_pre(struct netlink_callback *cb)
{
	struct pci_tsm_evidence_dump *d = (void *)cb->ctx;
	const struct genl_info *info = genl_info_dump(cb);
	struct nlattr *nonce = info->attrs[PCI_TSM_A_EVIDENCE_OBJECT_NONCE];
	struct nlattr *mask = info->attrs[PCI_TSM_A_EVIDENCE_OBJECT_TYPE_MASK];
	struct nlattr *flags = info->attrs[PCI_TSM_A_EVIDENCE_OBJECT_FLAGS];
	struct device *dev;
	char name[32];
	u32 f = 0;

	if (GENL_REQ_ATTR_CHECK(info, PCI_TSM_A_EVIDENCE_OBJECT_TYPE_MASK) ||
	    GENL_REQ_ATTR_CHECK(info, PCI_TSM_A_EVIDENCE_OBJECT_DEV_NAME))
		return -EINVAL;
	d->mask = nla_get_u32(mask);
	if (d->mask & ~PCI_TSM_EVIDENCE_TYPE_FLAG_MASK) {
		NL_SET_ERR_MSG_ATTR(info->extack, mask,
				    "type-mask must select known types only");
		return -EINVAL;
	}
	if (flags)
		f = nla_get_u32(flags);
	if (f & ~PCI_TSM_EVIDENCE_FLAG_MASK) {
		NL_SET_ERR_MSG_ATTR(info->extack, flags, "unknown flags");
		return -EINVAL;
	}
	d->digest = f & PCI_TSM_EVIDENCE_FLAG_DIGEST;
	/* the policy bounds the nonce at PCI_TSM_MAX_NONCE_SIZE */
	if (nonce && !nla_len(nonce)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nonce, "empty nonce");
		return -EINVAL;
	}
	/*
	 * Reading evidence takes CAP_NET_ADMIN (admin-perm); a nonce makes
	 * the device do signed work and holds its lock for up to
	 * PCI_TSM_REQ_TIMEOUT_NS: that takes CAP_SYS_ADMIN.
	 */
	if (nonce && !netlink_capable(cb->skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nonce,
				    "a nonce needs CAP_SYS_ADMIN");
		return -EPERM;
	}

	/* a PCI device name is far shorter; upstream refuses longer ones */
	if (nla_strscpy(name, info->attrs[PCI_TSM_A_EVIDENCE_OBJECT_DEV_NAME],
			sizeof(name)) < 0) {
		NL_SET_BAD_ATTR(info->extack,
				info->attrs[PCI_TSM_A_EVIDENCE_OBJECT_DEV_NAME]);
		return -EINVAL;
	}
	dev = bus_find_device_by_name(&pci_bus_type, NULL, name);
	if (!dev) {
		NL_SET_ERR_MSG(info->extack, "no such PCI device");
		return -ENODEV;
	}
	/* as upstream: an empty type-mask is refused once the device is found */
	if (!d->mask) {
		put_device(dev);
		NL_SET_ERR_MSG_ATTR(info->extack, mask,
				    "type-mask selects no evidence type");
		return -EINVAL;
	}
	d->pdev = to_pci_dev(dev);
	return 0;
}

int pci_tsm_nl_evidence_read_post(struct netlink_callback *cb)
{
	struct pci_tsm_evidence_dump *d = (void *)cb->ctx;

	pci_dev_put(d->pdev);
	return 0;
}

int pci_tsm_nl_evidence_read_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct pci_tsm_evidence_dump *d = (void *)cb->ctx;
	const struct genl_info *info = genl_info_dump(cb);
	struct nlattr *nonce = info->attrs[PCI_TSM_A_EVIDENCE_OBJECT_NONCE];
	struct pci_tsm_evidence_store *ev;
	int rc;

	if (d->started && d->type >= PCI_TSM_EVIDENCE_NR)
		return 0;

	/* A nonce: fresh signed measurements first, once per dump */
	if (!d->started && nonce) {
		rc = pci_tsm_refresh(d->pdev, nla_data(nonce), nla_len(nonce));
		if (rc) {
			if (rc == -EOPNOTSUPP)
				NL_SET_ERR_MSG(info->extack,
					       "the device's TSM cannot refresh evidence");
			else
				NL_SET_ERR_MSG(info->extack,
					       "evidence refresh failed");
			return rc;
		}
	}

	guard(mutex)(&pci_tsm_evidence_lock);
	ev = pci_tsm_evidence_find(d->pdev);
	if (!ev) {
		NL_SET_ERR_MSG(info->extack, "device has no evidence");
		return -ENXIO;
	}
	if (!d->started) {
		d->generation = ev->generation;
		d->started = true;
	} else if (d->generation != ev->generation) {
		NL_SET_ERR_MSG(info->extack, "evidence changed during the dump");
		return -EAGAIN;
	}
	while (d->type < PCI_TSM_EVIDENCE_NR) {
		if (!(d->mask & BIT(d->type))) {
			d->type++;
			continue;
		}
		if (pci_tsm_evidence_fill(skb, info, d, &ev->obj[d->type]))
			break;
	}
	return skb->len;
}

static int __init pci_tsm_evidence_init(void)
{
	return genl_register_family(&pci_tsm_nl_family);
}
subsys_initcall(pci_tsm_evidence_init);
