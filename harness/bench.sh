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

python3 "$TOP/harness/bench-report.py" "$log" "$out" "$size_tsm" "$size_notsm" "$boot_tsm" "$boot_notsm" "$(kernel_release devsec)" "$(qemu-system-x86_64 --version | head -n1)" "$(cat "$BUILD/.accel" 2>/dev/null || echo tcg)"
