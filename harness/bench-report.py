#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py LOG OUT SIZE_TSM SIZE_NOTSM BOOT_TSM BOOT_NOTSM REL QEMU ACCEL

Turn the "BENCH ..." lines of the guest's bench.sh output (LOG) into
build/bench.json (OUT) and a table on stdout.  Exits 1 when any line
reports error=..., or when a measurement is missing: make bench fails.
"""
import json, re, sys
log, out, s_tsm, s_notsm, b_tsm, b_notsm, rel, qver, accel = sys.argv[1:10]
res = {"kernel": rel, "qemu": qver, "accel": accel, "ops": {}, "scale": {},
       "memory": {}, "env": {}}
def num(v):
    try:
        return float(v) if "." in v else int(v)
    except ValueError:
        return v
errors = []
for line in open(log, errors="replace"):
    m = re.search(r"BENCH (.*)", line)
    if not m:
        continue
    if re.search(r"(^| )error=", m.group(1)):
        errors.append(m.group(1).strip())
    kv = dict(p.split("=", 1) for p in m.group(1).split() if "=" in p)
    kv = {k: num(v) for k, v in kv.items()}
    words = m.group(1).split()
    if words[0] == "env":
        res["env"] = kv
    elif words[0] == "scale":
        res["scale"][str(kv.pop("n"))] = kv
    elif words[0] == "memory":
        res["memory"][kv.pop("op")] = kv
    elif "op" in kv:
        res["ops"][kv.pop("op")] = kv
def toint(v):
    return int(v) if v and v.isdigit() else None
res["struct_pci_dev"] = {"bytes_with_pci_tsm": toint(s_tsm),
                         "bytes_without_pci_tsm": toint(s_notsm)}
if toint(s_tsm) is not None and toint(s_notsm) is not None:
    res["struct_pci_dev"]["bytes_added"] = toint(s_tsm) - toint(s_notsm)
res["boot_to_init_s"] = {"pci_tsm_y": num(b_tsm) if b_tsm else None,
                         "pci_tsm_n": num(b_notsm) if b_notsm else None}
json.dump(res, open(out, "w"), indent=2, sort_keys=True)

print(f"\nkernel {rel}, {res['env'].get('cpus', '?')} vCPUs, {accel}, {qver}")
print(f"{'operation':<12}{'wall med us':>12}{'wall p99 us':>12}{'engine med us':>14}{'DOE med us':>11}{'DOE/op':>7}{'overhead':>10}"
      f"{'TSM step us':>12}{'engine/xfer us':>15}{'pci_doe/xfer us':>16}")
for op, v in res["ops"].items():
    if "error" in v:
        print(f"{op:<12} {v['error']}")
        continue
    print(f"{op:<12}{v['wall_ns_median']/1000:>12.0f}{v['wall_ns_p99']/1000:>12.0f}"
          f"{v['engine_ns_median']/1000:>14.0f}{v['doe_ns_median']/1000:>11.0f}"
          f"{v['doe_exchanges_median']:>7}{v['overhead_pct']:>9}%"
          f"{v.get('step_ns_median', 0)/1000:>12.0f}"
          f"{v.get('engine_per_xfer_ns_median', 0)/1000:>15.1f}"
          f"{v.get('doe_per_xfer_ns_median', 0)/1000:>16.1f}")
base = None
print(f"\n{'N devices':<10}{'total ms':>10}{'per dev ms':>11}{'lat med ms':>11}{'vs N=1':>8}{'slab kB/dev':>12}")
for n in sorted(res["scale"], key=int):
    v = res["scale"][n]
    if "error" in v:
        print(f"{n:<10} {v['error']}")
        continue
    if base is None:
        base = v["per_device_ns"]
    print(f"{n:<10}{v['total_ns']/1e6:>10.1f}{v['per_device_ns']/1e6:>11.2f}"
          f"{v['latency_ns_median']/1e6:>11.2f}{v['per_device_ns']/base:>8.2f}"
          f"{v['slab_kb_per_device']:>12}")
sp = res["struct_pci_dev"]
print(f"\nstruct pci_dev: {sp['bytes_with_pci_tsm']} bytes with PCI_TSM, "
      f"{sp['bytes_without_pci_tsm']} without: {sp.get('bytes_added', '?')} bytes added")
bt = res["boot_to_init_s"]
print(f"boot to init: {bt['pci_tsm_y']} s with PCI_TSM, {bt['pci_tsm_n']} s without")
print(f"raw numbers: {out}")
# A measurement that failed, or one that never ran, fails the benchmark.
if not res["ops"]:
    errors.append("no operation was measured")
if not res["scale"]:
    errors.append("no scaling run was measured")
for what, v in (("struct pci_dev size with PCI_TSM", s_tsm),
                ("struct pci_dev size without PCI_TSM", s_notsm),
                ("boot time with PCI_TSM", b_tsm),
                ("boot time without PCI_TSM", b_notsm)):
    if not v:
        errors.append(f"{what}: not measured")
for e in errors:
    print(f"FAILED: bench: {e}")
sys.exit(1 if errors else 0)

