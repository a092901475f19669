// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI/TSM in-kernel API as upstream defines it (v2 of the PCI/TSM
 * series, include/linux/{pci-tsm,tsm}.h), checked against ours.
 *
 * A TSM driver written for upstream must build and run here unchanged.
 * This file uses only upstream's names and signatures: every function is
 * checked against upstream's prototype and every structure against
 * upstream's field names, types and order at build time, so an API drift
 * breaks the build.  The KUnit cases then call what can be called without
 * hardware: the tsm class (a TSM with and without PCI operations) and the
 * NULL cases of the helpers.
 *
 * What does not match upstream yet is listed at the end of this file; an
 * entry moves up into a check when it is converted.
 */
#include <kunit/test.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/sizes.h>
#include <linux/stddef.h>
#include <linux/tsm.h>
#include <uapi/linux/pci-tsm-netlink.h>

/* A function has exactly upstream's prototype */
#define API_FN(fn, proto)	static_assert(__same_type(&(fn), proto))

/* A structure member has upstream's name and type */
#define API_MEMBER(type, member, mtype) \
	static_assert(__builtin_types_compatible_p(typeof_member(type, member), \
						   mtype))

/* Two members come in upstream's order */
#define API_ORDER(type, a, b) \
	static_assert(offsetof(type, a) < offsetof(type, b))

/* include/linux/tsm.h: the tsm class */
API_FN(tsm_register, struct tsm_dev *(*)(struct device *parent,
					 struct pci_tsm_ops *ops));
API_FN(tsm_unregister, void (*)(struct tsm_dev *tsm_dev));
API_FN(find_tsm_dev, struct tsm_dev *(*)(int id));
API_FN(tsm_report_register, int (*)(const struct tsm_report_ops *ops,
				    void *priv));
API_FN(tsm_report_unregister, int (*)(const struct tsm_report_ops *ops));
API_FN(tsm_ide_stream_register, int (*)(struct pci_ide *ide));
API_FN(tsm_ide_stream_unregister, void (*)(struct pci_ide *ide));

/* the configfs report API keeps upstream's tsm_report_* names */
API_MEMBER(struct tsm_report, desc, struct tsm_report_desc);
API_MEMBER(struct tsm_report_desc, inblob, u8 [TSM_REPORT_INBLOB_MAX]);
static_assert(TSM_REPORT_INBLOB_MAX == 64);
static_assert(TSM_REPORT_OUTBLOB_MAX == SZ_32K);
static_assert(TSM_REPORT_PRIVLEVEL_MAX == 3);

API_MEMBER(struct tsm_dev, dev, struct device);
API_MEMBER(struct tsm_dev, id, int);
API_MEMBER(struct tsm_dev, pci_ops, const struct pci_tsm_ops *);
static_assert(offsetof(struct tsm_dev, dev) == 0);
API_ORDER(struct tsm_dev, dev, id);
API_ORDER(struct tsm_dev, id, pci_ops);
static_assert(sizeof(struct tsm_dev) ==
	      ALIGN(offsetofend(struct tsm_dev, pci_ops),
		    __alignof__(struct tsm_dev)));

/* include/linux/pci-tsm.h: contexts and their constructors */
API_FN(pci_tsm_register, int (*)(struct tsm_dev *tsm_dev));
API_FN(pci_tsm_unregister, void (*)(struct tsm_dev *tsm_dev));
API_FN(pci_tsm_link_constructor, int (*)(struct pci_dev *pdev,
					 struct pci_tsm *tsm,
					 struct tsm_dev *tsm_dev));
API_FN(pci_tsm_pf0_constructor, int (*)(struct pci_dev *pdev,
					struct pci_tsm_pf0 *tsm,
					struct tsm_dev *tsm_dev));
API_FN(pci_tsm_pf0_destructor, void (*)(struct pci_tsm_pf0 *tsm));
API_FN(is_pci_tsm_pf0, bool (*)(struct pci_dev *pdev));
API_FN(pci_tsm_bind, int (*)(struct pci_dev *pdev, struct kvm *kvm,
			     u32 tdi_id));
API_FN(pci_tsm_unbind, void (*)(struct pci_dev *pdev));
API_FN(pci_tsm_tdi_constructor, void (*)(struct pci_dev *pdev,
					 struct pci_tdi *tdi,
					 struct kvm *kvm, u32 tdi_id));
API_FN(pci_tsm_guest_req, ssize_t (*)(struct pci_dev *pdev,
				      enum pci_tsm_req_scope scope,
				      sockptr_t req_in, size_t in_len,
				      sockptr_t req_out, size_t out_len,
				      u64 *tsm_code));

API_MEMBER(struct pci_tdi, pdev, struct pci_dev *);
API_MEMBER(struct pci_tdi, kvm, struct kvm *);
API_MEMBER(struct pci_tdi, tdi_id, u32);
API_ORDER(struct pci_tdi, pdev, kvm);
API_ORDER(struct pci_tdi, kvm, tdi_id);
static_assert(sizeof(struct pci_tdi) ==
	      ALIGN(offsetofend(struct pci_tdi, tdi_id),
		    __alignof__(struct pci_tdi)));

API_MEMBER(struct pci_tsm, pdev, struct pci_dev *);
API_MEMBER(struct pci_tsm, dsm_dev, struct pci_dev *);
API_MEMBER(struct pci_tsm, tsm_dev, struct tsm_dev *);
API_MEMBER(struct pci_tsm, tdi, struct pci_tdi *);
API_ORDER(struct pci_tsm, pdev, dsm_dev);
API_ORDER(struct pci_tsm, dsm_dev, tsm_dev);
API_ORDER(struct pci_tsm, tsm_dev, tdi);
API_MEMBER(struct pci_tsm, evidence, struct pci_tsm_evidence);
API_ORDER(struct pci_tsm, tdi, evidence);

API_MEMBER(struct pci_tsm_evidence_object, data, void *);
API_MEMBER(struct pci_tsm_evidence_object, len, size_t);
API_MEMBER(struct pci_tsm_evidence_object, digest, void *);
API_ORDER(struct pci_tsm_evidence_object, data, len);
API_ORDER(struct pci_tsm_evidence_object, len, digest);
API_MEMBER(struct pci_tsm_evidence, slot, int);
API_MEMBER(struct pci_tsm_evidence, generation, int);
API_MEMBER(struct pci_tsm_evidence, digest_algo, enum hash_algo);
API_MEMBER(struct pci_tsm_evidence, lock, struct rw_semaphore);
API_MEMBER(struct pci_tsm_evidence, obj,
	   struct pci_tsm_evidence_object [PCI_TSM_EVIDENCE_TYPE_MAX + 1]);
API_ORDER(struct pci_tsm_evidence, slot, generation);
API_ORDER(struct pci_tsm_evidence, generation, digest_algo);
API_ORDER(struct pci_tsm_evidence, digest_algo, lock);
API_ORDER(struct pci_tsm_evidence, lock, obj);
API_FN(pci_tsm_init_evidence, void (*)(struct pci_tsm_evidence *evidence,
				       int slot, enum hash_algo digest_algo));

API_MEMBER(struct pci_tsm_pf0, base_tsm, struct pci_tsm);
API_MEMBER(struct pci_tsm_pf0, lock, struct mutex);
API_MEMBER(struct pci_tsm_pf0, doe_mb, struct pci_doe_mb *);
static_assert(offsetof(struct pci_tsm_pf0, base_tsm) == 0);
API_ORDER(struct pci_tsm_pf0, base_tsm, lock);
API_ORDER(struct pci_tsm_pf0, lock, doe_mb);

/* encrypted MMIO descriptors */
API_MEMBER(struct pci_tsm_mmio_entry, res, struct resource);
API_MEMBER(struct pci_tsm_mmio_entry, tsm_offset, u64);
API_ORDER(struct pci_tsm_mmio_entry, res, tsm_offset);
API_MEMBER(struct pci_tsm_mmio, nr, int);
API_MEMBER(struct pci_tsm_mmio, mmio, struct pci_tsm_mmio_entry []);
API_ORDER(struct pci_tsm_mmio, nr, mmio);
API_FN(pci_tsm_mmio_entry, struct pci_tsm_mmio_entry *(*)(struct pci_tsm_mmio *mmio,
							  int idx));
API_FN(pci_tsm_mmio_resource, struct resource *(*)(struct pci_tsm_mmio *mmio,
						   int idx));
API_FN(pci_tsm_mmio_setup, int (*)(struct pci_dev *pdev,
				   struct pci_tsm_mmio *mmio));
API_FN(pci_tsm_mmio_teardown, void (*)(struct pci_tsm_mmio *mmio));
API_FN(pci_tsm_mmio_alloc, struct pci_tsm_mmio *(*)(struct pci_dev *pdev));
API_FN(pci_tsm_mmio_free, int (*)(struct pci_dev *pdev,
				  struct pci_tsm_mmio *mmio));

/* struct pci_tsm_ops: two tagged groups and refresh_evidence() */
API_MEMBER(struct pci_tsm_ops, link_ops, struct pci_tsm_link_ops);
API_MEMBER(struct pci_tsm_ops, devsec_ops, struct pci_tsm_devsec_ops);
API_MEMBER(struct pci_tsm_ops, probe,
	   struct pci_tsm *(*)(struct tsm_dev *tsm_dev, struct pci_dev *pdev));
API_MEMBER(struct pci_tsm_ops, remove, void (*)(struct pci_tsm *tsm));
API_MEMBER(struct pci_tsm_ops, connect, int (*)(struct pci_dev *pdev));
API_MEMBER(struct pci_tsm_ops, disconnect, void (*)(struct pci_dev *pdev));
API_MEMBER(struct pci_tsm_ops, bind,
	   struct pci_tdi *(*)(struct pci_dev *pdev, struct kvm *kvm,
			       u32 tdi_id));
API_MEMBER(struct pci_tsm_ops, unbind, void (*)(struct pci_tdi *tdi));
API_MEMBER(struct pci_tsm_ops, guest_req,
	   ssize_t (*)(struct pci_tdi *tdi, enum pci_tsm_req_scope scope,
		       sockptr_t req_in, size_t in_len, sockptr_t req_out,
		       size_t out_len, u64 *tsm_code));
API_MEMBER(struct pci_tsm_ops, lock,
	   struct pci_tsm *(*)(struct tsm_dev *tsm_dev, struct pci_dev *pdev));
API_MEMBER(struct pci_tsm_ops, unlock, void (*)(struct pci_tsm *tsm));
API_MEMBER(struct pci_tsm_ops, accept, int (*)(struct pci_dev *pdev));
API_MEMBER(struct pci_tsm_ops, refresh_evidence,
	   int (*)(struct pci_tsm *tsm, enum pci_tsm_evidence_type type,
		   unsigned long flags, void *nonce, size_t nonce_len));
API_ORDER(struct pci_tsm_ops, probe, remove);
API_ORDER(struct pci_tsm_ops, remove, connect);
API_ORDER(struct pci_tsm_ops, connect, disconnect);
API_ORDER(struct pci_tsm_ops, disconnect, bind);
API_ORDER(struct pci_tsm_ops, bind, unbind);
API_ORDER(struct pci_tsm_ops, unbind, guest_req);
API_ORDER(struct pci_tsm_ops, guest_req, lock);
API_ORDER(struct pci_tsm_ops, lock, unlock);
API_ORDER(struct pci_tsm_ops, unlock, accept);
API_ORDER(struct pci_tsm_ops, accept, refresh_evidence);
static_assert(offsetof(struct pci_tsm_ops, link_ops) == 0);
static_assert(offsetof(struct pci_tsm_ops, devsec_ops) ==
	      offsetof(struct pci_tsm_ops, lock));
static_assert(sizeof(struct pci_tsm_ops) ==
	      offsetofend(struct pci_tsm_ops, refresh_evidence));

API_FN(pci_tsm_doe_transfer, int (*)(struct pci_dev *pdev, u8 type,
				     const void *req, size_t req_sz,
				     void *resp, size_t resp_sz));

static_assert(PCI_TSM_REQ_INFO == 0 && PCI_TSM_REQ_STATE_CHANGE == 1 &&
	      PCI_TSM_REQ_DEBUG_READ == 2 && PCI_TSM_REQ_DEBUG_WRITE == 3);

/* A TSM without PCI operations: a class device, and nothing else */
static void pci_tsm_api_test_null_ops(struct kunit *test)
{
	struct tsm_dev *tsm_dev = tsm_register(NULL, NULL);
	char name[16];
	int id;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tsm_dev);
	KUNIT_EXPECT_NULL(test, tsm_dev->pci_ops);
	id = tsm_dev->id;
	snprintf(name, sizeof(name), "tsm%d", id);
	KUNIT_EXPECT_STREQ(test, dev_name(&tsm_dev->dev), name);

	{
		struct tsm_dev *found __free(put_tsm_dev) = find_tsm_dev(id);

		KUNIT_EXPECT_PTR_EQ(test, found, tsm_dev);
	}

	tsm_unregister(tsm_dev);
	{
		struct tsm_dev *gone __free(put_tsm_dev) = find_tsm_dev(id);

		KUNIT_EXPECT_NULL(test, gone);
	}
}

static struct pci_tsm *api_test_probe(struct tsm_dev *tsm_dev,
				      struct pci_dev *pdev)
{
	return ERR_PTR(-ENXIO);
}

static void api_test_remove(struct pci_tsm *tsm)
{
}

static int api_test_connect(struct pci_dev *pdev)
{
	return -ENXIO;
}

static void api_test_disconnect(struct pci_dev *pdev)
{
}

static struct pci_tdi *api_test_bind(struct pci_dev *pdev, struct kvm *kvm,
				     u32 tdi_id)
{
	return ERR_PTR(-ENXIO);
}

static void api_test_unbind(struct pci_tdi *tdi)
{
}

static ssize_t api_test_guest_req(struct pci_tdi *tdi,
				  enum pci_tsm_req_scope scope,
				  sockptr_t req_in, size_t in_len,
				  sockptr_t req_out, size_t out_len,
				  u64 *tsm_code)
{
	return -ENXIO;
}

static struct pci_tsm *api_test_lock(struct tsm_dev *tsm_dev,
				     struct pci_dev *pdev)
{
	return ERR_PTR(-ENXIO);
}

static void api_test_unlock(struct pci_tsm *tsm)
{
}

static int api_test_accept(struct pci_dev *pdev)
{
	return -ENXIO;
}

/* An upstream link TSM's ops, as upstream's samples initialise them */
#define API_TEST_LINK_OPS					\
	.link_ops = {						\
		.probe = api_test_probe,			\
		.remove = api_test_remove,			\
		.connect = api_test_connect,			\
		.disconnect = api_test_disconnect,		\
		.bind = api_test_bind,				\
		.unbind = api_test_unbind,			\
		.guest_req = api_test_guest_req,		\
	}

#define API_TEST_DEVSEC_OPS					\
	.devsec_ops = {						\
		.lock = api_test_lock,				\
		.unlock = api_test_unlock,			\
		.accept = api_test_accept,			\
	}

/*
 * PCI operations are all of a link TSM's or all of a devsec TSM's: none,
 * both, or an incomplete group are refused; each complete group
 * registers, and its pci_mode says which it is.
 */
static void pci_tsm_api_test_bad_ops(struct kunit *test)
{
	struct pci_tsm_ops none = {}, both = { API_TEST_LINK_OPS,
					       API_TEST_DEVSEC_OPS };
	struct pci_tsm_ops link = { API_TEST_LINK_OPS };
	struct pci_tsm_ops devsec = { API_TEST_DEVSEC_OPS };
	struct pci_tsm_ops no_unbind = { API_TEST_LINK_OPS };
	struct pci_tsm_ops no_accept = { API_TEST_DEVSEC_OPS };
	struct tsm_dev *tsm_dev;

	no_unbind.unbind = NULL;
	no_accept.accept = NULL;
	KUNIT_EXPECT_EQ(test, PTR_ERR(tsm_register(NULL, &none)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(tsm_register(NULL, &both)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(tsm_register(NULL, &no_unbind)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(tsm_register(NULL, &no_accept)),
			-EINVAL);

	tsm_dev = tsm_register(NULL, &link);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tsm_dev);
	KUNIT_EXPECT_PTR_EQ(test, tsm_dev->pci_ops,
			    (const struct pci_tsm_ops *)&link);
	tsm_unregister(tsm_dev);

	tsm_dev = tsm_register(NULL, &devsec);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tsm_dev);
	tsm_unregister(tsm_dev);
}

static void pci_tsm_api_test_helpers(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, is_pci_tsm_pf0(NULL));
	/* a device without a TSM context has no transfer to make */
	{
		struct pci_dev *fake = kunit_kzalloc(test, sizeof(*fake),
						     GFP_KERNEL);
		u8 buf[8] = {};

		KUNIT_ASSERT_NOT_NULL(test, fake);
		KUNIT_EXPECT_EQ(test, pci_tsm_doe_transfer(fake, 1, buf,
							   sizeof(buf), buf,
							   sizeof(buf)),
				-ENXIO);
	}
	KUNIT_EXPECT_NULL(test, find_tsm_dev(-1));
	/* tsm_unregister(NULL) is a no-op, like put_device(NULL) */
	tsm_unregister(NULL);
}

/* A struct pci_tsm_mmio of @nr entries, freed with the test */
static struct pci_tsm_mmio *api_test_mmio(struct kunit *test, int nr)
{
	struct pci_tsm_mmio *mmio;

	mmio = kunit_kzalloc(test, struct_size(mmio, mmio, nr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mmio);
	mmio->nr = nr;
	return mmio;
}

/*
 * pci_tsm_mmio_setup() on a stand-in function whose BAR 0 is a resource
 * in a private tree (not iomem): the ranges go under the BAR, marked
 * encrypted, all or nothing; bad ranges, a driver bound or a conflict
 * are refused and leave nothing behind; teardown withdraws them.
 */
static void pci_tsm_api_test_mmio(struct kunit *test)
{
	struct resource root = DEFINE_RES_MEM_NAMED(0x40000000, SZ_1M, "root");
	struct pci_dev *pdev = kunit_kzalloc(test, sizeof(*pdev), GFP_KERNEL);
	struct resource *bar, *res;
	struct pci_tsm_mmio *mmio;
	struct device_driver drv = {};

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	mutex_init(&pdev->dev.mutex);
	bar = pci_resource_n(pdev, 0);
	*bar = DEFINE_RES_MEM_NAMED(0x40000000, SZ_64K, "BAR 0");
	KUNIT_ASSERT_EQ(test, request_resource(&root, bar), 0);

	/* no TSM context, so no report: nothing to describe */
	KUNIT_EXPECT_NULL(test, pci_tsm_mmio_alloc(pdev));
	KUNIT_EXPECT_EQ(test, pci_tsm_mmio_free(pdev, NULL), 0);

	device_lock(&pdev->dev);

	/* the second range is outside the BAR: neither is published */
	mmio = api_test_mmio(test, 2);
	pci_tsm_mmio_resource(mmio, 0)->start = 0x40000000;
	pci_tsm_mmio_resource(mmio, 0)->end = 0x40000fff;
	pci_tsm_mmio_resource(mmio, 1)->start = 0x40010000;
	pci_tsm_mmio_resource(mmio, 1)->end = 0x40010fff;
	KUNIT_EXPECT_EQ(test, pci_tsm_mmio_setup(pdev, mmio), -EINVAL);
	KUNIT_EXPECT_NULL(test, pci_tsm_mmio_resource(mmio, 0)->parent);
	KUNIT_EXPECT_NULL(test, bar->child);

	/* empty and inverted ranges */
	mmio = api_test_mmio(test, 1);
	KUNIT_EXPECT_EQ(test, pci_tsm_mmio_setup(pdev, mmio), -EINVAL);
	pci_tsm_mmio_resource(mmio, 0)->start = 0x40002000;
	pci_tsm_mmio_resource(mmio, 0)->end = 0x40001fff;
	KUNIT_EXPECT_EQ(test, pci_tsm_mmio_setup(pdev, mmio), -EINVAL);
	KUNIT_EXPECT_NULL(test, bar->child);

	/* two good ranges, published under the BAR */
	mmio = api_test_mmio(test, 2);
	pci_tsm_mmio_resource(mmio, 0)->start = 0x40000000;
	pci_tsm_mmio_resource(mmio, 0)->end = 0x40000fff;
	pci_tsm_mmio_resource(mmio, 1)->start = 0x40004000;
	pci_tsm_mmio_resource(mmio, 1)->end = 0x40007fff;

	pdev->dev.driver = &drv;
	KUNIT_EXPECT_EQ(test, pci_tsm_mmio_setup(pdev, mmio), -EBUSY);
	pdev->dev.driver = NULL;

	KUNIT_EXPECT_EQ(test, pci_tsm_mmio_setup(pdev, mmio), 0);
	res = pci_tsm_mmio_resource(mmio, 1);
	KUNIT_EXPECT_PTR_EQ(test, res->parent, bar);
	KUNIT_EXPECT_EQ(test, res->desc, IORES_DESC_ENCRYPTED);
	KUNIT_EXPECT_STREQ(test, res->name, "PCI MMIO Encrypted");
	KUNIT_EXPECT_EQ(test, resource_size(res), SZ_16K);

	/* an overlapping set conflicts and leaves the first as it was */
	{
		struct pci_tsm_mmio *again = api_test_mmio(test, 1);

		pci_tsm_mmio_resource(again, 0)->start = 0x40006000;
		pci_tsm_mmio_resource(again, 0)->end = 0x40008fff;
		KUNIT_EXPECT_EQ(test, pci_tsm_mmio_setup(pdev, again), -EBUSY);
		KUNIT_EXPECT_NULL(test, pci_tsm_mmio_resource(again, 0)->parent);
	}

	pci_tsm_mmio_teardown(mmio);
	KUNIT_EXPECT_NULL(test, res->parent);
	KUNIT_EXPECT_NULL(test, bar->child);
	/* a second teardown skips what is not published */
	pci_tsm_mmio_teardown(mmio);
	device_unlock(&pdev->dev);

	release_resource(bar);
}

static struct kunit_case pci_tsm_api_test_cases[] = {
	KUNIT_CASE(pci_tsm_api_test_mmio),
	KUNIT_CASE(pci_tsm_api_test_null_ops),
	KUNIT_CASE(pci_tsm_api_test_bad_ops),
	KUNIT_CASE(pci_tsm_api_test_helpers),
	{}
};

static struct kunit_suite pci_tsm_api_test_suite = {
	.name = "pci_tsm_api",
	.test_cases = pci_tsm_api_test_cases,
};

kunit_test_suite(pci_tsm_api_test_suite);

/*
 * include/linux/pci-ide.h is checked the same way in drivers/pci/ide_test.c.
 *
 * Not upstream's yet (issue "Upstream parity"), so not checked above:
 * - pci_tsm_devsec_constructor(), to_pci_tsm_devsec(), struct
 *   pci_tsm_devsec: a devsec TSM's lock() returns a struct pci_tsm_pf0
 *   for function 0 here.
 * - struct pci_tsm_pf0 carries three fields of ours after upstream's three.
 * - pci_tsm_mmio_setup() refuses a range that overlaps a region already
 *   claimed in its BAR with -EBUSY (upstream's insert_resource() nests
 *   it under the claim), and pci_tsm_mmio_alloc() describes the report
 *   the TSM handed over with pci_tsm_accept_report(), validated with the
 *   MMIO reporting offset (upstream infers the offset per BAR).
 * - is_pci_tsm_pf0() is a function here, a static inline upstream (the
 *   same prototype; ours also knows ARI).
 */

MODULE_DESCRIPTION("KUnit checks of the PCI/TSM API against upstream's");
MODULE_LICENSE("GPL");
