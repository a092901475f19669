#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the devsec QEMU guest (started by harness/qemu.sh).
# The root filesystem is the host's / over virtio-9p, read-only; this
# script makes the writable and kernel filesystems, mounts the freshly
# built modules at /lib/modules/$(uname -r), runs the test script with
# bash, prints "DEVSEC-EXIT: <status>" and powers the guest off.
#
# Parameters come from the kernel command line as environment variables:
#   devsec_test=PATH     script to run (default: devsec.sh beside this file)
#   devsec_leakcheck=1    scan for leaks after the test (debug kernels)
#   devsec_out=/dev/ttyS1  where the test's output goes
#   devsec_ksrc=PATH      the kernel tree the guest runs (build/linux)
#   devsec_share=1        mount the host's read-write share (QEMU_SHARE)
#                         and name it in DEVSEC_SHARE
#
# A test beside this file runs in its own directory.  Any other test
# (upstream's tools/testing/devsec/devsec.sh, say) runs as it would from
# the top of a kernel tree: in a writable scratch directory holding a
# link to each top-level entry of devsec_ksrc, so that its relative
# paths (tools/net/ynl/pyynl/cli.py) resolve and its scratch files land.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

mount -t proc none /proc
mark() { [ -w /dev/kmsg ] && echo "devsec-guest: $*" >/dev/kmsg; }
mount -t sysfs none /sys
mount -t devtmpfs none /dev 2>/dev/null
# What udev would add: kselftest's runner writes to /dev/stdout
ln -sfn /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm
mark devfs
mount -t devpts none /dev/pts
mount -t tmpfs none /dev/shm
test=${devsec_test:-$(dirname "$0")/devsec.sh}
# The checkout and the test may live below a directory that gets a tmpfs
# (a CI clone in /tmp): keep a view of the host root on /dev, which is
# writable, and bind them back.
top=$(cd "$(dirname "$0")/../../.." && pwd)
keep=("$top" "$(dirname "$test")")
mkdir -p /dev/.hostroot && mount --bind / /dev/.hostroot
for d in /tmp /run /var /root; do
	mount -t tmpfs -o mode=0755 none "$d"
	for k in "${keep[@]}"; do
		case "$k" in
		"$d"/*) mkdir -p "$k" && mount --bind "/dev/.hostroot$k" "$k" ;;
		esac
	done
done
chmod 1777 /tmp
mkdir -p /var/tmp /var/log /run/lock && chmod 1777 /var/tmp
mark tmpfs
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
mount -t tmpfs none /lib/modules
mkdir -p "/lib/modules/$(uname -r)"
mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,ro modules "/lib/modules/$(uname -r)"
mark modules
hostname devsec-guest 2>/dev/null

# Test output: a file on the host's writable share, else the second
# serial port, else the console.
mkdir -p /run/devsec-out
if mount -t 9p -o trans=virtio,version=9p2000.L devsec_out /run/devsec-out 2>/dev/null; then
	out=/run/devsec-out/test.log
	: >"$out"
else
	out=${devsec_out:-/dev/ttyS1}
	[ -c "$out" ] || out=/dev/console
fi
if [ "${devsec_share:-0}" = 1 ]; then
	mkdir -p /run/devsec-share
	mount -t 9p -o trans=virtio,version=9p2000.L devsec_share \
		/run/devsec-share && export DEVSEC_SHARE=/run/devsec-share
fi
kmemleak=/sys/kernel/debug/kmemleak
if [ "${devsec_leakcheck:-0}" = 1 ] && [ -w "$kmemleak" ]; then
	# Forget what boot left behind; report only what the test leaks.
	# "clear" only forgets what a scan has reported, and a scan reports
	# only objects older than 5 s: wait, scan, then clear.
	sleep 5
	echo scan >"$kmemleak"
	echo clear >"$kmemleak"
	mark "kmemleak: boot-time objects cleared"
fi

mark "running $test"
cwd=$(dirname "$test")
if [ "$(cd "$cwd" && pwd)" != "$(cd "$(dirname "$0")" && pwd)" ] &&
   [ -d "${devsec_ksrc:-}" ]; then
	cwd=$(mktemp -d /tmp/ktree.XXXXXX)
	for f in "$devsec_ksrc"/*; do
		ln -s "$f" "$cwd/$(basename "$f")"
	done
fi
(cd "$cwd" && exec bash "$test") >"$out" 2>&1 </dev/null
rc=$?

if [ "${devsec_leakcheck:-0}" = 1 ] && [ -w "$kmemleak" ]; then
	# kmemleak only reports objects older than 5 s.  A debugfs file has
	# size 0 whatever it holds: read it, do not test its size.  The
	# report goes to the console, where the host's splat scan sees its
	# "unreferenced object" lines.
	sleep 6
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	report=$(head -c 60000 "$kmemleak")
	if [ -n "$report" ]; then
		n=$(grep -c '^unreferenced object' <<<"$report")
		echo "kmemleak: $n new suspected memory leaks (test)" >/dev/kmsg
		printf '%s\n' "$report" >/dev/console
	fi
fi

echo "DEVSEC-EXIT: $rc" >>"$out"
echo "DEVSEC-EXIT: $rc" >/dev/console
sync
# No ACPI in the guest: reboot, which QEMU's -no-reboot turns into an exit.
echo 1 >/proc/sys/kernel/sysrq
echo b >/proc/sysrq-trigger
sleep 5
