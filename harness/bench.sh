#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: measure the PCI/TSM operations in the guest (devsec kernel),
# the size PCI/TSM adds to struct pci_dev and the boot time with and
# without CONFIG_PCI_TSM.  Table on stdout, raw numbers in build/bench.json.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=$BUILD/bench.json
"$TOP/harness/deps.sh" || exit 1
"$TOP/harness/prepare.sh" || exit 1
"$TOP/harness/build.sh" devsec || exit 1
# the same kernel without PCI/TSM (and so without the samples)
notsm=$BUILD/notsm.config
printf '# CONFIG_PCI_TSM is not set\n# CONFIG_SAMPLE_DEVSEC is not set\n' >"$notsm"
CONFIG_CHECK_WARN=1 EXTRA_CONFIG=$notsm "$TOP/harness/build.sh" notsm 2>/dev/null || exit 1

# sizeof(struct pci_dev) in a configured object directory: a one-line
# external module whose initialiser makes gcc print the size in a type.
pci_dev_size() {
	local obj=$1 d=$BUILD/bench-sizes-$2
	rm -rf "$d" && mkdir -p "$d"
	printf 'obj-m := sizes.o\n' >"$d/Makefile"
	# gcc names the type, with the size, in its warning
	printf '#include <linux/pci.h>\nlong devsec_sz(void);\nlong devsec_sz(void) { return (char (*)[sizeof(struct pci_dev)])0; }\n' >"$d/sizes.c"
	make -C "$KSRC" O="$obj" ARCH=x86_64 CC="ccache gcc" M="$d" sizes.o 2>&1 |
		sed -n 's/.*char (\*)\[\([0-9]*\)\].*/\1/p' | head -n 1
}
size_tsm=$(pci_dev_size "$(objdir devsec)" devsec)
# The same configuration with only PCI_TSM (and what it alone selects:
# PCI_IDE) off; PCI_DOE, which is not ours, stays (CXL_BUS selects it too).
szobj=$BUILD/obj-size-notsm
mkdir -p "$szobj"
{
	cp "$(objdir devsec)/.config" "$szobj/.config" &&
	printf '# CONFIG_PCI_TSM is not set\n# CONFIG_SAMPLE_DEVSEC is not set\nCONFIG_CXL_BUS=y\n' >"$szobj/frag.config" &&
	"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$szobj" "$szobj/.config" "$szobj/frag.config" &&
	make -C "$KSRC" O="$szobj" ARCH=x86_64 CC="ccache gcc" olddefconfig modules_prepare -j"$JOBS"
} >"$LOGS/bench-size.log" 2>&1 || die "configuring $szobj" "$LOGS/bench-size.log"
size_notsm=$(pci_dev_size "$szobj" notsm)

boot_s() {	# FLAVOR: seconds from kernel start to init, from the guest log
	local flavor=$1 s=$BUILD/bench-boot.sh
	printf '#!/bin/bash\ndmesg | sed -n "s/^\\[ *\\([0-9.]*\\)\\] Run .* as init process.*/BENCH boot_init_s=\\1/p"\n' >"$s"
	chmod +x "$s"
	"$TOP/harness/qemu.sh" "$flavor" "$s" "bench-boot" >/dev/null 2>&1
	sed -n 's/^BENCH boot_init_s=//p' "$LOGS/bench-boot-$flavor.log" | head -n 1
}
boot_tsm=$(boot_s devsec)
boot_notsm=$(boot_s notsm)

step "running tools/testing/devsec/bench.sh in the guest"
# kernel command line words with "=" become the guest's environment
# tsc=reliable: under TCG the clocksource watchdog may fall back to jiffies
export QEMU_APPEND="${QEMU_APPEND:-} tsc=reliable BENCH_REPS=${BENCH_REPS:-30} BENCH_SCALE=${BENCH_SCALE:-1,8,64}"
"$TOP/harness/qemu.sh" devsec "$DEVSEC_DIR/bench.sh" bench || die "guest bench run" "$LOGS/bench-devsec.log"
log=$LOGS/bench-devsec.log

python3 - "$log" "$out" "$size_tsm" "$size_notsm" "$boot_tsm" "$boot_notsm" "$(kernel_release devsec)" "$(qemu-system-x86_64 --version | head -n1)" "$(cat "$BUILD/.accel" 2>/dev/null || echo tcg)" <<'PY'
import json, re, sys
log, out, s_tsm, s_notsm, b_tsm, b_notsm, rel, qver, accel = sys.argv[1:10]
res = {"kernel": rel, "qemu": qver, "accel": accel, "ops": {}, "scale": {},
       "memory": {}, "env": {}}
def num(v):
    try:
        return float(v) if "." in v else int(v)
    except ValueError:
        return v
for line in open(log, errors="replace"):
    m = re.search(r"BENCH (.*)", line)
    if not m:
        continue
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
print(f"{'operation':<12}{'wall med us':>12}{'wall p99 us':>12}{'engine med us':>14}{'DOE med us':>11}{'DOE/op':>7}{'overhead':>10}")
for op, v in res["ops"].items():
    if "error" in v:
        print(f"{op:<12} {v['error']}")
        continue
    print(f"{op:<12}{v['wall_ns_median']/1000:>12.0f}{v['wall_ns_p99']/1000:>12.0f}"
          f"{v['engine_ns_median']/1000:>14.0f}{v['doe_ns_median']/1000:>11.0f}"
          f"{v['doe_exchanges_median']:>7}{v['overhead_pct']:>9}%")
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
PY
