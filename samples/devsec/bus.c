// SPDX-License-Identifier: GPL-2.0-only
/*
 * devsec_bus: a simulated TEE I/O capable PCIe topology for the PCI/TSM
 * sample (see devsec.h for the topology).
 *
 * What it demonstrates: a module can create PCI host bridges of its own
 * (pci_alloc_host_bridge(), pci_scan_root_bus_bridge()) whose config space
 * is served by a struct pci_ops rather than by hardware, and the real PCI
 * core - enumeration, resource assignment, the DOE driver, the PCI/TSM
 * core - runs unchanged on top.  The emulation is register-faithful
 * (cfg.c, doe.c), so everything the kernel learns about these devices it
 * learns the way it would from silicon.
 *
 * Each host bridge gets its own PCI domain through the x86 struct
 * pci_sysdata at the start of struct devsec_host, and a 64-bit prefetchable
 * MMIO window claimed from iomem_resource far above RAM.  Nothing backs
 * that window: the BARs are assigned and visible, but the sample never
 * touches MMIO.
 *
 * Fault injection, per DSM, in debugfs:
 *   /sys/kernel/debug/devsec/<bdf>/fault   "<fault> [count [skip]]": fault
 *                                          count exchanges (0: all) after
 *                                          letting skip exchanges through
 *   /sys/kernel/debug/devsec/<bdf>/fuzz    "<seed> <percent>" or "off":
 *                                          mutate that share of the
 *                                          responses at random (doe.c)
 *   /sys/kernel/debug/devsec/<bdf>/surprise_remove
 *                                          "1": mark the function
 *                                          disconnected, then remove it
 *   /sys/kernel/debug/devsec/<bdf>/claim   "1": request all of BAR 0
 *                                          (a conflicting claim for
 *                                          accept), "0": release it
 *   /sys/kernel/debug/devsec/<bdf>/spdm    responder state, read-only
 *   /sys/kernel/debug/devsec/<bdf>/tdisp   TDISP interface state; writing
 *                                          a state name forces it
 *
 * PCI/TSM calls a VMM makes, for the tests, in debugfs:
 *   /sys/kernel/debug/devsec/tsm_bind      "<pci device> [vm]": pci_tsm_bind()
 *                                          for VM 1 (default) or 2
 *   /sys/kernel/debug/devsec/tsm_unbind    "<pci device>": pci_tsm_unbind()
 *   /sys/kernel/debug/devsec/tsm_request   "<pci device>": an INFO guest
 *                                          request, pci_tsm_guest_req()
 * A write returns the core's errno, or -ENODEV for a name that is no PCI
 * device.  A TSM has no such interface: a VMM calls the core.
 *
 * with <fault> one of none, timeout, error, busy, truncate, corrupt-length,
 * garbage, oversize, reset, mac.  Reading fuzz gives the seed, the rate and how
 * many responses were seen and mutated, in all and by kind.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pci-ide.h>
#include <linux/pci-tsm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "bus.h"

/* each host bridge's MMIO window, and where to look for room for it */
#define DEVSEC_HOST_MMIO_SIZE		SZ_64M
#define DEVSEC_HOST_MMIO_MIN		SZ_64G
#define DEVSEC_HOST_MMIO_MIN_FALLBACK	SZ_4G

static struct devsec_host *devsec_hosts[DEVSEC_MAX_HOSTS];

/* more host bridges, each with a root port and an endpoint, for scaling */
static unsigned int nr_hosts = DEVSEC_NR_HOSTS;
module_param(nr_hosts, uint, 0444);
MODULE_PARM_DESC(nr_hosts, "host bridges to create, 1 to 64 (default 2); host N is domain 0x10000 + N");
static struct dentry *devsec_debugfs;
static DEFINE_MUTEX(devsec_claim_lock);

/* Size of each host bridge's IDE stream pool (available_secure_streams) */
static unsigned int nr_ide_streams = DEVSEC_HB_NR_IDE_STREAMS;
module_param(nr_ide_streams, uint, 0444);
MODULE_PARM_DESC(nr_ide_streams,
		 "IDE stream slots per host bridge (default 4, at most 256)");

static struct devsec_host *to_devsec_host(struct pci_bus *bus)
{
	return container_of(bus->sysdata, struct devsec_host, sd);
}

/*
 * Route a config request like the hardware: type 0 on the root bus reaches
 * the root port, type 1 requests for the root port's secondary bus reach
 * device 0 there.  Nothing else answers.
 */
static struct devsec_fn *devsec_find_fn(struct devsec_host *host,
					struct pci_bus *bus,
					unsigned int devfn)
{
	u8 secondary = host->rp.cfg[PCI_SECONDARY_BUS];

	if (bus->number == host->busn.start)
		return devfn == 0 ? &host->rp : NULL;
	if (bus->number == secondary && secondary > host->busn.start &&
	    PCI_SLOT(devfn) == 0 && PCI_FUNC(devfn) < DEVSEC_NR_EP_FUNCS)
		return &host->ep[PCI_FUNC(devfn)];
	return NULL;
}

static int devsec_pci_read(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 *val)
{
	struct devsec_host *host = to_devsec_host(bus);
	struct devsec_fn *fn;
	unsigned long flags;

	if (where < 0 || where + size > PCI_CFG_SPACE_EXP_SIZE) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_BAD_REGISTER_NUMBER;
	}

	raw_spin_lock_irqsave(&host->lock, flags);
	fn = devsec_find_fn(host, bus, devfn);
	if (fn)
		*val = devsec_cfg_read(fn, where, size);
	else
		PCI_SET_ERROR_RESPONSE(val);
	raw_spin_unlock_irqrestore(&host->lock, flags);

	return fn ? PCIBIOS_SUCCESSFUL : PCIBIOS_DEVICE_NOT_FOUND;
}

static int devsec_pci_write(struct pci_bus *bus, unsigned int devfn,
			    int where, int size, u32 val)
{
	struct devsec_host *host = to_devsec_host(bus);
	struct devsec_fn *fn;
	unsigned long flags;

	if (where < 0 || where + size > PCI_CFG_SPACE_EXP_SIZE)
		return PCIBIOS_BAD_REGISTER_NUMBER;

	raw_spin_lock_irqsave(&host->lock, flags);
	fn = devsec_find_fn(host, bus, devfn);
	if (fn)
		devsec_cfg_write(fn, where, size, val);
	raw_spin_unlock_irqrestore(&host->lock, flags);

	return fn ? PCIBIOS_SUCCESSFUL : PCIBIOS_DEVICE_NOT_FOUND;
}

static struct pci_ops devsec_pci_ops = {
	.read = devsec_pci_read,
	.write = devsec_pci_write,
};

static int devsec_fault_show(struct seq_file *s, void *unused)
{
	struct devsec_fn *fn = s->private;
	enum devsec_fault fault;
	unsigned int count, skip;

	scoped_guard(raw_spinlock_irqsave, &fn->host->lock) {
		fault = fn->doe->fault;
		count = fn->doe->fault_count;
		skip = fn->doe->fault_skip;
	}
	seq_printf(s, "%s %u", devsec_fault_name(fault), count);
	if (skip)
		seq_printf(s, " %u", skip);
	seq_putc(s, '\n');
	return 0;
}

static ssize_t devsec_fault_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct devsec_fn *fn = file_inode(file)->i_private;
	unsigned int count = 1, skip = 0;
	char buf[32], *arg, *name, *nr;
	int fault;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';

	/* "<fault>", "<fault> <count>" or "<fault> <count> <skip>" */
	arg = strim(buf);
	name = strsep(&arg, " \t");
	nr = strsep(&arg, " \t");
	if (nr && kstrtouint(nr, 0, &count))
		return -EINVAL;
	if (arg && kstrtouint(strim(arg), 0, &skip))
		return -EINVAL;
	fault = devsec_fault_lookup(name);
	if (fault < 0)
		return fault;

	scoped_guard(raw_spinlock_irqsave, &fn->host->lock) {
		fn->doe->fault = fault;
		fn->doe->fault_count = fault == DEVSEC_FAULT_NONE ? 0 : count;
		fn->doe->fault_skip = fault == DEVSEC_FAULT_NONE ? 0 : skip;
	}
	return len;
}

static int devsec_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, devsec_fault_show, inode->i_private);
}

static const struct file_operations devsec_fault_fops = {
	.owner = THIS_MODULE,
	.open = devsec_fault_open,
	.read = seq_read,
	.write = devsec_fault_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int devsec_fuzz_show(struct seq_file *s, void *unused)
{
	struct devsec_fn *fn = s->private;
	struct devsec_fuzz *fuzz;
	int i;

	fuzz = kmalloc(sizeof(*fuzz), GFP_KERNEL);
	if (!fuzz)
		return -ENOMEM;
	scoped_guard(raw_spinlock_irqsave, &fn->host->lock)
		memcpy(fuzz, &fn->doe->fuzz, sizeof(*fuzz));
	seq_printf(s, "seed %u rate %u seen %lu mutated %lu", fuzz->seed,
		   fuzz->rate, fuzz->nr_seen, fuzz->nr_mutated);
	for (i = 0; i < DEVSEC_FUZZ_NR_KINDS; i++)
		seq_printf(s, " %s %lu", devsec_fuzz_kind_name(i),
			   fuzz->nr_kind[i]);
	seq_putc(s, '\n');
	kfree(fuzz);
	return 0;
}

/* "SEED RATE": mutate RATE % of the responses, seeded; "off" or rate 0 */
static ssize_t devsec_fuzz_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct devsec_fn *fn = file_inode(file)->i_private;
	unsigned int seed = 0, rate = 0;
	char buf[32];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (!sysfs_streq(buf, "off") &&
	    (sscanf(buf, "%u %u", &seed, &rate) != 2 || rate > 100))
		return -EINVAL;

	scoped_guard(raw_spinlock_irqsave, &fn->host->lock)
		devsec_fuzz_set(&fn->doe->fuzz, seed, rate);
	return len;
}

static int devsec_fuzz_open(struct inode *inode, struct file *file)
{
	return single_open(file, devsec_fuzz_show, inode->i_private);
}

static const struct file_operations devsec_fuzz_fops = {
	.owner = THIS_MODULE,
	.open = devsec_fuzz_open,
	.read = seq_read,
	.write = devsec_fuzz_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * "1": the function goes away as on a surprise link down: marked
 * disconnected first, as pciehp does (pci_dev_set_disconnected()), so
 * the kernel must not talk to it any more, then removed.
 */
static ssize_t devsec_surprise_write(struct file *file,
				     const char __user *ubuf, size_t len,
				     loff_t *ppos)
{
	struct devsec_fn *fn = file_inode(file)->i_private;
	struct pci_dev *pdev;
	bool remove;
	int rc;

	rc = kstrtobool_from_user(ubuf, len, &remove);
	if (rc)
		return rc;
	if (!remove)
		return -EINVAL;
	pdev = pci_get_domain_bus_and_slot(fn->host->sd.domain, fn->busnr,
					   PCI_DEVFN(0, fn->func));
	if (!pdev)
		return -ENODEV;
	WRITE_ONCE(pdev->error_state, pci_channel_io_perm_failure);
	pci_stop_and_remove_bus_device_locked(pdev);
	pci_dev_put(pdev);
	return len;
}

static const struct file_operations devsec_surprise_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = devsec_surprise_write,
	.llseek = noop_llseek,
};

/*
 * "claim": "1" requests all of BAR 0 of the function, as a platform
 * driver that reserved part of a device's MMIO would, so that the
 * encrypted MMIO the TSM core publishes at accept conflicts with it;
 * "0" releases it.  Release it before removing the function.
 */
static ssize_t devsec_claim_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct devsec_fn *fn = file_inode(file)->i_private;
	struct pci_dev *pdev;
	bool claim;
	int rc;

	rc = kstrtobool_from_user(ubuf, len, &claim);
	if (rc)
		return rc;

	guard(mutex)(&devsec_claim_lock);
	if (!claim) {
		if (!fn->claim)
			return -EINVAL;
		release_mem_region(fn->claim->start, resource_size(fn->claim));
		fn->claim = NULL;
		return len;
	}
	if (fn->claim)
		return -EBUSY;
	pdev = pci_get_domain_bus_and_slot(fn->host->sd.domain, fn->busnr,
					   PCI_DEVFN(0, fn->func));
	if (!pdev)
		return -ENODEV;
	fn->claim = request_mem_region(pci_resource_start(pdev, 0),
				       pci_resource_len(pdev, 0), "devsec claim");
	pci_dev_put(pdev);
	return fn->claim ? len : -EBUSY;
}

static int devsec_claim_show(struct seq_file *s, void *unused)
{
	struct devsec_fn *fn = s->private;

	guard(mutex)(&devsec_claim_lock);
	seq_printf(s, "%d\n", !!fn->claim);
	return 0;
}

static int devsec_claim_open(struct inode *inode, struct file *file)
{
	return single_open(file, devsec_claim_show, inode->i_private);
}

static const struct file_operations devsec_claim_fops = {
	.owner = THIS_MODULE,
	.open = devsec_claim_open,
	.read = seq_read,
	.write = devsec_claim_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* Release a claim before the function's BAR goes */
static void devsec_claim_release(struct devsec_fn *fn)
{
	guard(mutex)(&devsec_claim_lock);
	if (fn->claim)
		release_mem_region(fn->claim->start, resource_size(fn->claim));
	fn->claim = NULL;
}

static const char *const devsec_session_names[] = {
	[DEVSEC_SESSION_NONE] = "none",
	[DEVSEC_SESSION_HANDSHAKE] = "handshake",
	[DEVSEC_SESSION_ESTABLISHED] = "established",
};

static int devsec_spdm_show(struct seq_file *s, void *unused)
{
	struct devsec_fn *fn = s->private;
	struct devsec_spdm spdm;
	unsigned long nr_exchanges;

	scoped_guard(raw_spinlock_irqsave, &fn->host->lock) {
		spdm = fn->doe->spdm;
		nr_exchanges = fn->doe->nr_exchanges;
	}
	seq_printf(s, "connection: %s\n", devsec_spdm_conn_name(spdm.conn));
	seq_printf(s, "session: %s %#010x\n",
		   devsec_session_names[spdm.session_state], spdm.session_id);
	seq_printf(s, "hash: %#x asym: %#x dhe: %#x aead: %#x\n",
		   spdm.hash_sel, spdm.asym_sel, spdm.dhe_sel, spdm.aead_sel);
	seq_printf(s, "doe exchanges: %lu\n", nr_exchanges);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(devsec_spdm);

/*
 * Test knob: resize the host bridge's IDE stream pool at run time, as a
 * platform whose stream budget changes would, possibly below the streams
 * in use.
 */
static int devsec_hb_nr_ide_streams_set(void *data, u64 val)
{
	struct devsec_host *host = data;

	if (val > U16_MAX)
		return -EINVAL;
	pci_ide_set_nr_streams(host->bridge, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(devsec_hb_nr_ide_streams_fops, NULL,
			 devsec_hb_nr_ide_streams_set, "%llu\n");

static void devsec_debugfs_add(struct devsec_fn *fn, struct devsec_host *host,
			       unsigned int bus)
{
	char name[32];

	snprintf(name, sizeof(name), "%04x:%02x:00.%d", host->sd.domain, bus,
		 fn->func);
	fn->busnr = bus;
	fn->debugfs = debugfs_create_dir(name, devsec_debugfs);
	debugfs_create_file("fault", 0600, fn->debugfs, fn, &devsec_fault_fops);
	debugfs_create_file("fuzz", 0600, fn->debugfs, fn, &devsec_fuzz_fops);
	debugfs_create_file("spdm", 0400, fn->debugfs, fn, &devsec_spdm_fops);
	debugfs_create_bool("ide_km_nak", 0600, fn->debugfs, &fn->ide_km_nak);
	debugfs_create_file("tdisp", 0400, fn->debugfs, fn, &devsec_tdisp_fops);
	debugfs_create_file("surprise_remove", 0200, fn->debugfs, fn,
			    &devsec_surprise_fops);
	debugfs_create_file("claim", 0600, fn->debugfs, fn, &devsec_claim_fops);
	debugfs_create_file_unsafe("hb_nr_ide_streams", 0200, fn->debugfs, host,
				   &devsec_hb_nr_ide_streams_fops);
}

static void devsec_host_free(struct devsec_host *host)
{
	struct pci_host_bridge *bridge = host->bridge;

	devsec_unregister_sysdata(&host->sd);
	debugfs_remove_recursive(host->ep[DEVSEC_DSM_FUNC].debugfs);
	if (host->mmio.parent)
		release_resource(&host->mmio);
	kfree(host->ep[DEVSEC_DSM_FUNC].doe);
	/* @host lives in @bridge: last */
	pci_free_host_bridge(bridge);
}

/* IDE_KM and TDISP behind the endpoint's SPDM responder */
/* IDE_KM and TDISP, both served by the DSM (function 0) */
static const struct devsec_spdm_vendor_ops devsec_vendor_ops = {
	.ide_km = devsec_ide_km_respond,
	.tdisp = devsec_tdisp_request,
};

/* devsec_rp_ide_keys() handler: the platform programs root port keys */
static int devsec_bus_rp_ide_keys(struct pci_dev *rp, unsigned int stream,
				  bool ready)
{
	struct devsec_host *host;
	unsigned long flags;

	if (!devsec_pci_dev(rp) || pci_pcie_type(rp) != PCI_EXP_TYPE_ROOT_PORT)
		return -ENODEV;
	host = to_devsec_host(rp->bus);
	if (stream >= host->rp.nr_ide_streams)
		return -EINVAL;
	raw_spin_lock_irqsave(&host->lock, flags);
	host->rp.ide_keys_ready[stream] = ready;
	raw_spin_unlock_irqrestore(&host->lock, flags);
	return 0;
}

static void devsec_host_init_fns(struct devsec_host *host,
				 struct devsec_doe *doe)
{
	unsigned int i;

	host->rp = (struct devsec_fn) {
		.host = host,
		.type = DEVSEC_FN_ROOT_PORT,
	};
	devsec_fn_init(&host->rp);

	for (i = 0; i < DEVSEC_NR_EP_FUNCS; i++) {
		struct devsec_fn *fn = &host->ep[i];

		*fn = (struct devsec_fn) {
			.host = host,
			.type = DEVSEC_FN_ENDPOINT,
			.func = i,
			.doe = i == DEVSEC_DSM_FUNC ? doe : NULL,
		};
		devsec_fn_init(fn);
	}
	devsec_spdm_init(&doe->spdm, devsec_sample_chain());
	doe->spdm.vendor_ops = &devsec_vendor_ops;
	doe->spdm.vendor_data = &host->ep[DEVSEC_DSM_FUNC];
}

static int devsec_host_claim_mmio(struct devsec_host *host)
{
	int rc;

	snprintf(host->name, sizeof(host->name), "devsec host bridge %d",
		 host->id);
	host->mmio = (struct resource) {
		.name = host->name,
		.flags = IORESOURCE_MEM | IORESOURCE_PREFETCH |
			 IORESOURCE_MEM_64,
	};
	rc = allocate_resource(&iomem_resource, &host->mmio,
			       DEVSEC_HOST_MMIO_SIZE, DEVSEC_HOST_MMIO_MIN,
			       iomem_resource.end, DEVSEC_HOST_MMIO_SIZE,
			       NULL, NULL);
	if (rc)
		rc = allocate_resource(&iomem_resource, &host->mmio,
				       DEVSEC_HOST_MMIO_SIZE,
				       DEVSEC_HOST_MMIO_MIN_FALLBACK,
				       iomem_resource.end,
				       DEVSEC_HOST_MMIO_SIZE, NULL, NULL);
	return rc;
}

static struct devsec_host *devsec_host_create(int id)
{
	struct pci_host_bridge *bridge;
	struct devsec_host *host;
	struct devsec_doe *doe;
	int busnr = id * DEVSEC_HOST_BUS_STRIDE;
	int rc;

	bridge = pci_alloc_host_bridge(sizeof(*host));
	if (!bridge)
		return ERR_PTR(-ENOMEM);

	host = pci_host_bridge_priv(bridge);
	host->bridge = bridge;
	host->id = id;
	host->sd.domain = DEVSEC_DOMAIN_BASE + id;
	host->sd.node = NUMA_NO_NODE;
	raw_spin_lock_init(&host->lock);
	host->busn = (struct resource) {
		.name = "devsec bus",
		.start = busnr,
		.end = busnr + 1,
		.flags = IORESOURCE_BUS,
	};

	doe = kzalloc(sizeof(*doe), GFP_KERNEL);
	if (!doe) {
		pci_free_host_bridge(bridge);
		return ERR_PTR(-ENOMEM);
	}
	devsec_host_init_fns(host, doe);

	rc = devsec_host_claim_mmio(host);
	if (rc)
		goto err;
	rc = devsec_register_sysdata(&host->sd);
	if (rc)
		goto err;

	pci_add_resource(&bridge->windows, &host->busn);
	pci_add_resource(&bridge->windows, &host->mmio);
	bridge->sysdata = &host->sd;
	bridge->busnr = busnr;
	bridge->ops = &devsec_pci_ops;
	pci_ide_set_nr_streams(bridge, nr_ide_streams);

	devsec_debugfs_add(&host->ep[DEVSEC_DSM_FUNC], host, busnr + 1);

	pci_lock_rescan_remove();
	rc = pci_scan_root_bus_bridge(bridge);
	if (!rc) {
		pci_assign_unassigned_bus_resources(bridge->bus);
		pci_bus_add_devices(bridge->bus);
	}
	pci_unlock_rescan_remove();
	if (rc)
		goto err;

	return host;

err:
	devsec_host_free(host);
	return ERR_PTR(rc);
}

static void devsec_host_destroy(struct devsec_host *host)
{
	struct pci_bus *bus = host->bridge->bus;

	devsec_claim_release(&host->ep[DEVSEC_DSM_FUNC]);
	pci_lock_rescan_remove();
	pci_stop_root_bus(bus);
	pci_remove_root_bus(bus);
	pci_unlock_rescan_remove();

	devsec_host_free(host);
}

/*
 * Two VM handles for pci_tsm_bind(): PCI/TSM tells VMs apart by the
 * pointer and never dereferences it, and the sample has no VMs
 */
static unsigned long devsec_bus_vms[2];

/* "<pci device> [number]": the device, referenced, and the number */
static int devsec_bus_vmm_args(const char __user *ubuf, size_t len,
			       struct pci_dev **pdev, unsigned int *nr)
{
	struct device *dev;
	char *name, *num;

	if (!len || len > 64)
		return -EINVAL;

	char *args __free(kfree) = memdup_user_nul(ubuf, len);
	if (IS_ERR(args))
		return PTR_ERR(args);
	num = strim(args);
	name = strsep(&num, " ");
	*nr = 1;
	if (num && (kstrtouint(strim(num), 0, nr) || *nr < 1 ||
		    *nr > ARRAY_SIZE(devsec_bus_vms)))
		return -EINVAL;
	dev = bus_find_device_by_name(&pci_bus_type, NULL, name);
	if (!dev)
		return -ENODEV;
	*pdev = to_pci_dev(dev);
	return 0;
}

static ssize_t devsec_tsm_bind_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	struct pci_dev *pdev;
	unsigned int vm;
	int rc;

	rc = devsec_bus_vmm_args(ubuf, len, &pdev, &vm);
	if (rc)
		return rc;
	/* the requester ID is a convenient unique TDI id */
	rc = pci_tsm_bind(pdev, (struct kvm *)&devsec_bus_vms[vm - 1],
			  pci_dev_id(pdev));
	pci_dev_put(pdev);
	return rc ?: len;
}

static const struct file_operations devsec_tsm_bind_fops = {
	.owner = THIS_MODULE,
	.write = devsec_tsm_bind_write,
};

static ssize_t devsec_tsm_unbind_write(struct file *file,
				       const char __user *ubuf, size_t len,
				       loff_t *ppos)
{
	struct pci_dev *pdev;
	unsigned int vm;
	int rc;

	rc = devsec_bus_vmm_args(ubuf, len, &pdev, &vm);
	if (rc)
		return rc;
	pci_tsm_unbind(pdev);
	pci_dev_put(pdev);
	return len;
}

static const struct file_operations devsec_tsm_unbind_fops = {
	.owner = THIS_MODULE,
	.write = devsec_tsm_unbind_write,
};

static ssize_t devsec_tsm_request_write(struct file *file,
					const char __user *ubuf, size_t len,
					loff_t *ppos)
{
	u8 info[64] = {};
	struct pci_dev *pdev;
	unsigned int vm;
	u64 tsm_code = 0;
	ssize_t rc;

	rc = devsec_bus_vmm_args(ubuf, len, &pdev, &vm);
	if (rc)
		return rc;
	rc = pci_tsm_guest_req(pdev, PCI_TSM_REQ_INFO, KERNEL_SOCKPTR(NULL), 0,
			       KERNEL_SOCKPTR(info), sizeof(info), &tsm_code);
	if (rc >= 0)
		pci_dbg(pdev, "INFO: %zd bytes, tsm_code %#llx\n", rc, tsm_code);
	pci_dev_put(pdev);
	return rc < 0 ? rc : len;
}

static const struct file_operations devsec_tsm_request_fops = {
	.owner = THIS_MODULE,
	.write = devsec_tsm_request_write,
};

static void devsec_bus_cleanup(void)
{
	int i;

	for (i = DEVSEC_MAX_HOSTS - 1; i >= 0; i--) {
		if (devsec_hosts[i])
			devsec_host_destroy(devsec_hosts[i]);
		devsec_hosts[i] = NULL;
	}
	devsec_register_rp_ide_keys(NULL);
	debugfs_remove_recursive(devsec_debugfs);
}

static int __init devsec_bus_init(void)
{
	int i, rc;

	if (nr_hosts < 1 || nr_hosts > DEVSEC_MAX_HOSTS) {
		pr_err("devsec: nr_hosts=%u: must be 1 to %d\n", nr_hosts,
		       DEVSEC_MAX_HOSTS);
		return -EINVAL;
	}
	devsec_debugfs = debugfs_create_dir("devsec", NULL);
	debugfs_create_file("tsm_bind", 0200, devsec_debugfs, NULL,
			    &devsec_tsm_bind_fops);
	debugfs_create_file("tsm_unbind", 0200, devsec_debugfs, NULL,
			    &devsec_tsm_unbind_fops);
	debugfs_create_file("tsm_request", 0200, devsec_debugfs, NULL,
			    &devsec_tsm_request_fops);
	devsec_register_rp_ide_keys(devsec_bus_rp_ide_keys);

	for (i = 0; i < (int)nr_hosts; i++) {
		struct devsec_host *host = devsec_host_create(i);

		if (IS_ERR(host)) {
			rc = PTR_ERR(host);
			pr_err("devsec: host bridge %d: %d\n", i, rc);
			devsec_bus_cleanup();
			return rc;
		}
		devsec_hosts[i] = host;
	}
	return 0;
}
module_init(devsec_bus_init);

static void __exit devsec_bus_exit(void)
{
	devsec_bus_cleanup();
}
module_exit(devsec_bus_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devsec sample: simulated TEE I/O PCI bus, DOE and SPDM");
MODULE_IMPORT_NS(DEVSEC);
MODULE_IMPORT_NS(PCI_IDE);
