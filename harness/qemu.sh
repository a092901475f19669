#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# qemu.sh FLAVOR [SCRIPT] [NAME]: boot the FLAVOR kernel in QEMU with the
# host's / as a read-only 9p root, run SCRIPT (default devsec.sh) in the
# guest with bash, and fail if it fails, if the guest never reports, or if
# the kernel log has a splat.
#   QEMU_TIMEOUT   seconds before a hung guest is killed (default 1200, debug 5400)
#   QEMU_APPEND    extra kernel command line
#   QEMU_ACCEL     kvm or tcg (default: probe)
#   QEMU_SHARE     a host directory the guest gets read-write at
#                  /run/devsec-share (DEVSEC_SHARE in the test's environment)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

flavor=${1:-devsec}
script=${2:-$DEVSEC_DIR/devsec.sh}
name=${3:-$(basename "$script" .sh)}
# KASAN + lockdep under TCG is slow: give debug kernels more time.
default_timeout=1200
[ "$flavor" = debug ] && default_timeout=5400
timeout=${QEMU_TIMEOUT:-$default_timeout}
obj=$(objdir "$flavor")
kernel=$obj/arch/x86/boot/bzImage
# Keep builds from replacing the kernel and modules under a running guest.
take_lock "obj-$flavor" -s
[ -f "$kernel" ] || die "no $flavor kernel at $kernel (run harness/build.sh $flavor)"
[ -f "$script" ] || die "test script $script not found"
script=$(realpath "$script")
rel=$(kernel_release "$flavor")
mods=$(moddir "$flavor")/lib/modules/$rel
[ -d "$mods" ] || die "no modules installed for $rel at $mods"

# /dev/kvm can exist and still not run guests, or hang them (seen: SeaBIOS
# runs, Linux never prints).  Boot this kernel without a root under KVM for
# at most 15 s and require it to reach the root mount; remember the verdict.
probe_kvm() {
	local out=$BUILD/.kvm-probe.log pid i
	[ -w /dev/kvm ] || return 1
	rm -f "$out"
	qemu-system-x86_64 -accel kvm -m 256M -nographic -no-reboot -nodefaults \
		-kernel "$kernel" -append "console=ttyS0 panic=-1 root=/dev/nonexistent" \
		-serial "file:$out" -monitor none </dev/null >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 150); do
		grep -qsE 'VFS:|Kernel panic|Run /' "$out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -qsE 'VFS:|Kernel panic|Run /' "$out"
}
accel=${QEMU_ACCEL:-}
if [ -z "$accel" ]; then
	accel=$(cat "$BUILD/.accel" 2>/dev/null)
	if [ -z "$accel" ]; then
		if probe_kvm; then accel=kvm; else accel=tcg; fi
		echo "$accel" >"$BUILD/.accel"
		info "KVM probe: using $accel"
	fi
fi
case $accel in
kvm) accel_args=(-accel kvm) ;;
*) accel_args=(-accel tcg -cpu max) ;;
esac

console=$LOGS/$name-$flavor.console.log
testlog=$LOGS/$name-$flavor.log
# The test's output comes back through a writable 9p share: a serial port
# under TCG drops and repeats characters when several processes write.
gout=$LOGS/$name-$flavor.guest
rm -rf "$console" "$testlog" "$gout"
mkdir -p "$gout"
leakcheck=0
[ "$flavor" = debug ] && leakcheck=1
# The guest mounts its modules on /lib/modules, which a minimal host (a
# container) may lack; an empty directory is what any Debian system has.
[ -d /lib/modules ] || mkdir -p /lib/modules 2>/dev/null ||
	die "/lib/modules is missing on the host and cannot be created"
append="console=ttyS0 root=/dev/root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro"
append+=" init=$DEVSEC_DIR/guest-init.sh devsec_test=$script devsec_leakcheck=$leakcheck"
append+=" devsec_ksrc=$KSRC"
share=()
if [ -n "${QEMU_SHARE:-}" ]; then
	[ -d "$QEMU_SHARE" ] || die "QEMU_SHARE=$QEMU_SHARE is not a directory"
	share=(-fsdev "local,id=share,path=$QEMU_SHARE,security_model=none"
	       -device virtio-9p-pci,fsdev=share,mount_tag=devsec_share)
	append+=" devsec_share=1"
fi
append+=" panic=-1 oops=panic loglevel=7 ${QEMU_APPEND:-}"

step "booting the $flavor kernel ($accel) to run $(basename "$script"); timeout ${timeout}s"
info "console: $console"
info "test output: $testlog"
start=$SECONDS
timeout --foreground -k 10 "$timeout" qemu-system-x86_64 "${accel_args[@]}" \
	-m 2G -smp 2 -nographic -no-reboot -nodefaults \
	-kernel "$kernel" -append "$append" \
	-serial "file:$console" -serial "file:$LOGS/$name-$flavor.serial.log" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
	-fsdev local,id=mods,path="$mods",security_model=none,readonly=on \
	-device virtio-9p-pci,fsdev=mods,mount_tag=modules \
	-fsdev local,id=out,path="$gout",security_model=none \
	-device virtio-9p-pci,fsdev=out,mount_tag=devsec_out "${share[@]}" \
	-monitor none </dev/null >"$LOGS/$name-$flavor.qemu.log" 2>&1
qrc=$?
elapsed=$((SECONDS - start))

if [ -s "$gout/test.log" ]; then
	cp "$gout/test.log" "$testlog"
else
	cp "$LOGS/$name-$flavor.serial.log" "$testlog" 2>/dev/null
fi
[ -f "$testlog" ] && sed -e 's/\r$//' "$testlog" | grep -v '^DEVSEC-EXIT:'
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	die "QEMU hung: no result after ${timeout}s, killed" "$console"
fi
[ $qrc -eq 0 ] || die "QEMU failed to run (exit $qrc)" "$LOGS/$name-$flavor.qemu.log"

rc=$(sed -n 's/^DEVSEC-EXIT: \([0-9]*\).*/\1/p' "$testlog" 2>/dev/null | tail -n 1)
[ -n "$rc" ] || die "the guest never reported a result (did it boot?)" "$console"

if splat_scan "$console" >"$LOGS/$name-$flavor.splats"; then
	printf 'kernel splat in the guest console:\n' >&2
	head -n 40 "$LOGS/$name-$flavor.splats" >&2
	die "$name: splat in the kernel log" "$console"
fi
[ "$rc" = 0 ] || die "$name: test script exited with status $rc" "$testlog"
info "$name passed in ${elapsed}s"
