#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every suite, one result line each, then "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

passed=0
failed=0
declare -a failures=()

# suite NAME CMD...: run one suite, its output in build/logs/check-NAME.log.
suite() {
	local name=$1 log=$LOGS/check-$1.log t0=$SECONDS
	shift
	printf '%-28s ' "$name"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'PASS  (%ss)\n' $((SECONDS - t0))
	else
		failed=$((failed + 1))
		failures+=("$name")
		printf 'FAIL  (%ss)  log: %s\n' $((SECONDS - t0)) "$log"
		# the failed checks themselves too (kselftest prefixes a
		# program's own KTAP with "# "), each with the diagnostic
		# lines the test printed after it
		awk '/^(# )*(FAILED|not ok|kernel splat|ERROR|WARNING|CHECK)/ {
			print; n = 2; next
		}
		n > 0 && /^(# )*# / && !/^(# )*ok / { print; n--; next }
		{ n = 0 }' "$log" | head -n 24 | sed 's/^/      /'
	fi
}

# Guest runs of a test script expected to fail: the harness must notice.
# The production kernel boots in seconds where the debug kernel takes
# minutes under TCG, and qemu.sh treats both flavours alike.
expect_guest_failure() {
	local script=$1 want=$2 out
	out=$("$TOP/harness/qemu.sh" devsec "$script" "$(basename "$script" .sh)" 2>&1)
	local rc=$?
	printf '%s\n' "$out"
	[ $rc -ne 0 ] && grep -q -- "$want" <<<"$out"
}

# Kernel messages that must fail a guest run, one per line, and messages
# of a healthy run that must not.
SPLAT_YES='[   12.345678] BUG: KASAN: slab-out-of-bounds in pci_tdisp_parse_report+0x94/0x25a
[    1.000000] WARNING: CPU: 0 PID: 1 at drivers/pci/tsm/core.c:10 f+0x1/0x2
[    1.000000] Oops: general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP KASAN
[    1.000000] Kernel panic - not syncing: Fatal exception
[    1.000000] WARNING: possible circular locking dependency detected
[    1.000000] WARNING: possible recursive locking detected
[    1.000000] INFO: trying to register non-static key.
[    1.000000] INFO: inconsistent lock state
[   30.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
[   30.000000] rcu: INFO: rcu_sched self-detected stall on CPU
[    1.000000] UBSAN: array-index-out-of-bounds in drivers/pci/ide.c:10:5
[    1.000000] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
unreferenced object 0xffff888003a1c000 (size 64):
[    1.000000] refcount_t: underflow; use-after-free.
[    1.000000] list_add corruption. prev->next should be next (ffff888003a1c000)
[    1.000000] list_del corruption, ffff888003a1c000->next is LIST_POISON1
[  120.000000] INFO: task modprobe:123 blocked for more than 120 seconds.'
SPLAT_NO='[    0.000000] Kernel command line: console=ttyS0 DEVSEC_SUITES=BUG:,WARNING:
[    1.000000] devsec-guest: running /work/tools/testing/devsec/devsec.sh
[    1.000000] kmemleak: Kernel memory leak detector initialized (mem pool available: 15981)
[    1.000000] rcu: Hierarchical RCU implementation.
[    1.000000] pci 10000:01:00.0: TSM: connect failed: -EIO'

# splat_selftest: every line of SPLAT_YES alone fails a run, no line of
# SPLAT_NO does (host side, no guest)
splat_selftest() {
	local f=$BUILD/selftest/console.txt line rc=0
	while IFS= read -r line; do
		printf '%s\n' "$line" >"$f"
		splat_scan "$f" >/dev/null || { echo "ERROR: not a splat: $line"; rc=1; }
	done <<<"$SPLAT_YES"
	while IFS= read -r line; do
		printf '%s\n' "$line" >"$f"
		! splat_scan "$f" >/dev/null || { echo "ERROR: a splat: $line"; rc=1; }
	done <<<"$SPLAT_NO"
	echo "splat patterns: $(wc -l <<<"$SPLAT_YES") splats caught, $(wc -l <<<"$SPLAT_NO") healthy lines passed"
	return $rc
}

harness_selftest() {
	local d=$BUILD/selftest
	mkdir -p "$d"
	splat_selftest || return 1
	printf 'echo "exiting with 3"\nexit 3\n' >"$d/exit3.sh"
	printf 'echo "INFO: trying to register non-static key." >/dev/kmsg\nexit 0\n' >"$d/splat.sh"
	printf 'echo ok\nexit 0\n' >"$d/pass.sh"
	"$TOP/harness/qemu.sh" devsec "$d/pass.sh" selftest-pass &&
	expect_guest_failure "$d/exit3.sh" "exited with status 3" &&
	expect_guest_failure "$d/splat.sh" "splat in the kernel log"
}

# KUnit: boot with kunit.enable=1; built-in suites run before init and
# print KTAP on the console.
kunit() {
	local console=$LOGS/kunit-debug.console.log
	# Suites in modules run when the module loads.
	cat >"$BUILD/selftest-kunit.sh" <<'SH'
rc=0
for ko in $(find /lib/modules/$(uname -r) -name '*.ko'); do
	m=$(basename "$ko" .ko)
	grep -qa '[.]kunit_test_suites' "$ko" || continue
	modprobe "$m" || rc=1
	modprobe -r "$m" || rc=1
done
exit $rc
SH
	QEMU_APPEND="kunit.enable=1" "$TOP/harness/qemu.sh" debug "$BUILD/selftest-kunit.sh" kunit || return 1
	kunit_parse "$console"
}

# kunit_parse CONSOLE: every top-level KTAP document in CONSOLE (the boot's
# built-in suites, then one per test module loaded) through kunit.py parse,
# which reads one document per run; fails if any fails or none is there.
kunit_parse() {
	local d=$BUILD/kunit-ktap f n=0 rc=0

	rm -rf "$d" && mkdir -p "$d" || return 1
	# the serial console ends its lines with CR LF
	tr -d '\r' <"$1" >"$d/console" &&
	csplit -s -z -f "$d/ktap-" "$d/console" '/^\[[ 0-9.]*] KTAP version 1$/' '{*}' ||
		return 1
	for f in "$d"/ktap-*; do
		# the boot log before the first document
		head -n 1 "$f" | grep -q 'KTAP version 1$' || continue
		n=$((n + 1))
		python3 "$KSRC/tools/testing/kunit/kunit.py" parse "$f" || rc=1
	done
	[ $n -gt 0 ] || { echo "ERROR: no KTAP in $1: no KUnit suite ran"; return 1; }
	echo "kunit.py parse: $n KTAP documents"
	return $rc
}

# checkpatch --strict on every patch of "make series" (base changes and
# new files alike) and on the overlay's C files as whole files.  Files
# generated by tools/net/ynl/pyynl/ynl_gen_c.py ("Do not edit directly") are
# left out, as in the kernel tree: ynl.sh checks that they are current.
is_generated() { head -n 3 "$1" 2>/dev/null | grep -q 'Do not edit directly, auto-generated'; }

# strip_generated PATCH FILE...: PATCH without the diffs of FILE...
strip_generated() {
	local patch=$1

	shift
	awk -v gen=" $* " '
		/^diff --git a\// { skip = index(gen, " " substr($4, 3) " ") > 0 }
		!skip' "$patch"
}

checkpatch() {
	local cp=$KSRC/scripts/checkpatch.pl rc=0 files=() gen=() f p out
	"$TOP/harness/series.sh" || return 1
	while IFS= read -r f; do
		if is_generated "$TOP/$f"; then gen+=("$f"); else files+=("$f"); fi
	done < <(cd "$TOP" && git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^harness/')
	for p in "$BUILD"/series/*.patch; do
		case "$p" in */0000-cover-letter.patch) continue ;; esac
		out=$(strip_generated "$p" "${gen[@]}" |
		      "$cp" --strict --terse --show-types --ignore FILE_PATH_CHANGES - 2>&1)
		if grep -qE ': (ERROR|WARNING|CHECK):' <<<"$out"; then
			printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):'
			echo "ERROR: checkpatch: $(basename "$p")"
			rc=1
		fi
	done
	if [ ${#files[@]} -gt 0 ]; then
		(cd "$TOP" && "$cp" --no-tree --strict --terse --show-types \
			--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "${files[@]}") || rc=1
	fi
	[ ${#gen[@]} -gt 0 ] && echo "checkpatch: generated, not checked: ${gen[*]}"
	return $rc
}

# sparse (C=2) and W=1 over our kernel directories, and over every other
# C file the series adds or changes (drivers/pci/ide.c, the patched
# drivers/base, drivers/pci, arch/x86/mm and kernel/module files) that the
# debug kernel builds.  In our own files every diagnostic counts; in a
# patched base file only those on lines the series added.
static_build() {
	local obj dirs=() d f targets=() ours
	obj=$(objdir debug)
	for d in drivers/pci/tsm drivers/virt/coco samples/devsec drivers/base; do
		[ -d "$TOP/$d" ] && dirs+=("$d/")
	done
	[ ${#dirs[@]} -gt 0 ] || { echo "no overlay directories yet"; return 0; }
	while IFS= read -r f; do
		case "$f" in drivers/pci/tsm/* | drivers/virt/coco/* | samples/devsec/* | drivers/base/*) continue ;; esac
		[ -f "$obj/${f%.c}.o" ] && targets+=("${f%.c}.o")
	done < <(git -C "$KSRC" diff --name-only base -- '*.c')
	echo "sparse and W=1: ${dirs[*]} ${targets[*]}"
	make -C "$KSRC" O="$obj" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" \
		C=2 W=1 "${dirs[@]}" "${targets[@]}" 2>&1 | tee "$LOGS/static.log" >/dev/null
	static_filter "$LOGS/static.log" "$obj"
}

# static_filter LOG OBJ: the diagnostics of LOG (a C=2 W=1 build in object
# directory OBJ) that count: every one in our own files; in a patched base
# file only those on lines the series added (git diff -U0 hunks).  gcc
# names files relative to the object directory, sparse absolutely.
static_filter() {
	{
		(cd "$TOP" && git ls-files -co --exclude-standard -- '*.c' '*.h') |
			sed 's/^/ours /'
		git -C "$KSRC" diff -U0 base | awk '
			/^\+\+\+ b\// { f = substr($2, 3); next }
			/^@@ / {
				split(substr($3, 2), r, ",")
				n = (2 in r) ? r[2] : 1
				for (i = 0; i < n; i++) print "added " f ":" r[1] + i
			}'
		echo "log"
		cat "$1"
	} | awk -v ksrc="$(cd "$KSRC" && pwd -P)" -v obj="$(cd "$2" && pwd -P)" '
		# normpath P: P without "." and ".." components
		function normpath(p,    n, i, k, part, out) {
			n = split(p, part, "/")
			k = 0
			for (i = 1; i <= n; i++) {
				if (part[i] == "" || part[i] == ".") continue
				if (part[i] == "..") { if (k) k--; continue }
				out[++k] = part[i]
			}
			p = ""
			for (i = 1; i <= k; i++) p = p "/" out[i]
			return p
		}
		!inlog && $1 == "ours" { ours[$2] = 1; next }
		!inlog && $1 == "added" { added[$2] = 1; next }
		!inlog && $0 == "log" { inlog = 1; next }
		inlog && match($0, /^[^ :]+:[0-9]+:[0-9]+: (warning|error)/) {
			split($0, f, ":")
			p = f[1] ~ /^\// ? f[1] : obj "/" f[1]
			p = normpath(p)
			if (index(p, ksrc "/") == 1) p = substr(p, length(ksrc) + 2)
			if ((p in ours) || ((p ":" f[2]) in added)) { print; bad++ }
		}
		END {
			printf "sparse and W=1: %d diagnostic(s) in the series\047 code\n", bad
			exit bad > 0
		}'
}

# Files of the series in kernel directories (not harness/ or tools/)
our_kernel_files() {
	(cd "$TOP" && git ls-files -co --exclude-standard -- '*.c' '*.h') |
		grep -vE '^(harness|tools)/'
}

# kernel-doc -Wall on every C file and header of the series: exported
# symbols documented, parameters and return values described.
kerneldoc() {
	local out
	mapfile -t files < <(our_kernel_files)
	[ ${#files[@]} -gt 0 ] || return 0
	out=$(cd "$KSRC" && scripts/kernel-doc -none -Wall "${files[@]}" 2>&1)
	[ -z "$out" ] || { printf '%s\n' "$out" | sed 's/^/WARNING: /'; return 1; }
	echo "kernel-doc: ${#files[@]} files clean"
}

# make coccicheck MODE=report on the series' own directories; any report
# line naming one of our files fails.
coccicheck() {
	local d rc=0 out
	for d in drivers/pci/tsm drivers/virt/coco samples/devsec; do
		[ -d "$TOP/$d" ] || continue
		out=$(make -C "$KSRC" coccicheck MODE=report M="$d" J="$JOBS" 2>&1) ||
			{ printf '%s\n' "$out" | tail -n 5; echo "ERROR: coccicheck of $d failed"; rc=1; continue; }
		if grep -E "^(\./)?$d/[^ ]*:[0-9]+:" <<<"$out"; then
			echo "ERROR: coccinelle reports in $d"
			rc=1
		else
			echo "coccicheck: $d clean"
		fi
	done
	return $rc
}

"$TOP/harness/deps.sh" || { echo "FAILED: dependencies"; echo "0 passed, 1 failed"; exit 1; }
suite prepare "$TOP/harness/prepare.sh"
suite build-debug "$TOP/harness/build.sh" debug
suite build-devsec "$TOP/harness/build.sh" devsec
suite checkpatch checkpatch
suite kernel-doc kerneldoc
suite sparse-W1 static_build
suite coccicheck coccicheck
suite configs "$TOP/harness/configs.sh"
# The series build (make series-check) needs nothing the others produce:
# it runs on the host with one job beside the single-guest suites below,
# which keep one CPU busy, then beside the first debug guest.
series_rc=$BUILD/.series-check.rc
rm -f "$series_rc"
(JOBS=1 "$TOP/harness/series-check.sh" >"$LOGS/series-check-run.log" 2>&1
 echo $? >"$series_rc") &
series_pid=$!
series_wait() {
	wait "$series_pid"
	cat "$LOGS/series-check-run.log"
	[ "$(cat "$series_rc" 2>/dev/null)" = 0 ]
}

# kselftest-debug: the kselftest target on the debug kernel in
# DEBUG_GUESTS guests (a TCG guest keeps about one CPU busy), which share
# the suites through claims (DEVSEC_CLAIMS, see pci_tsm.sh): each guest
# takes the next unclaimed suite as soon as it is free, so no split by
# hand and no timings to keep.  Guest 0 starts as soon as the
# single-guest suites are done, beside the series build (one CPU), the
# others once that is done.  Fails if a guest fails or if a suite did not
# pass in exactly one of them.
DEBUG_GUESTS=${DEBUG_GUESTS:-2}
DEBUG_CLAIMS=$BUILD/claims-debug
debug_pids=()

# kselftest_debug_start I: boot debug guest I in the background
kselftest_debug_start() {
	if [ "$1" = 0 ]; then
		rm -rf "$DEBUG_CLAIMS" && mkdir -p "$DEBUG_CLAIMS" || return 1
	fi
	QEMU_SHARE=$DEBUG_CLAIMS \
	QEMU_APPEND="${QEMU_APPEND:-} DEVSEC_ORDERS=bus DEVSEC_QUICK=1 DEVSEC_CLAIMS=/run/devsec-share" \
		"$TOP/harness/qemu.sh" debug "$DEVSEC_DIR/kselftest.sh" \
		"kselftest$1" >"$LOGS/check-kselftest-debug$1.log" 2>&1 &
	debug_pids[$1]=$!
}

# kselftest_debug_wait: wait for the guests kselftest_debug_start booted
kselftest_debug_wait() {
	local i rc=0 f s n

	for ((i = 0; i < DEBUG_GUESTS; i++)); do
		if [ -z "${debug_pids[$i]:-}" ]; then
			echo "ERROR: debug guest $i never started"
			rc=1
			continue
		fi
		wait "${debug_pids[$i]}" || rc=1
		echo "== guest $i: $(sed -n 's/^# kselftest: [0-9]* checks in suites //p' \
			"$LOGS/check-kselftest-debug$i.log")"
		cat "$LOGS/check-kselftest-debug$i.log"
	done
	for f in "$DEVSEC_DIR"/devsec.d/[0-9]*.sh; do
		s=$(basename "$f" .sh)
		s=${s#*-}
		n=$(cat "$LOGS"/check-kselftest-debug[0-9]*.log |
		    grep -c "^ok [0-9]* selftests: drivers/pci/tsm: $s.sh\$")
		[ "$n" = 1 ] ||
			{ echo "ERROR: suite $s passed in $n debug guests, not 1"; rc=1; }
	done
	return $rc
}

suite harness-selftest harness_selftest
suite kunit kunit
# devsec.sh and its suites, run as the kselftest target
# tools/testing/selftests/drivers/pci/tsm the way a distribution's CI runs
# it, twice:
#  - kselftest: on the production (devsec) kernel, in full, in one module
#    load order (DEVSEC_ORDERS, see devsec.sh; make devsec runs both);
#  - kselftest-debug: on the debug kernel (KASAN, lockdep, kmemleak) with
#    DEVSEC_QUICK=1: every check and so every code path, with fewer
#    repetitions, because a process costs seconds there under TCG.
QEMU_APPEND="${QEMU_APPEND:-} DEVSEC_ORDERS=bus" \
	suite kselftest "$TOP/harness/qemu.sh" devsec "$DEVSEC_DIR/kselftest.sh" kselftest

# Upstream's own test script, tools/testing/devsec/devsec.sh as v2 of the
# PCI/TSM series leaves it (patches 17 and 19), unmodified, against our
# kernel and samples: taken from the series' patches at run time, never
# copied into this tree.  Skipped, and said so, where they are not.
upstream_devsec() {
	local d=$BUILD/upstream-devsec p s

	# beside the checkout, or where this project's machines keep it
	for s in "${UPSTREAM_SERIES:-}" "$TOP/../shared/seeds/001-v2-patches" \
		 /work/shared/seeds/001-v2-patches; do
		[ -n "$s" ] && ls "$s"/17-*.patch >/dev/null 2>&1 && break
	done
	UPSTREAM_SERIES=$s

	if ! ls "$UPSTREAM_SERIES"/17-*.patch >/dev/null 2>&1; then
		echo "upstream series not found in $UPSTREAM_SERIES: skipped"
		return 0
	fi
	rm -rf "$d" && git init -q "$d" || return 1
	for p in "$UPSTREAM_SERIES"/17-*.patch "$UPSTREAM_SERIES"/19-*.patch; do
		git -C "$d" apply --include='tools/testing/devsec/*' "$p" ||
			{ echo "ERROR: $(basename "$p") does not apply"; return 1; }
	done
	"$TOP/harness/qemu.sh" devsec "$d/tools/testing/devsec/devsec.sh" upstream-devsec
}
suite upstream-devsec upstream_devsec

# Host-side checks (the netlink spec and its generated files)
for extra in "$DEVSEC_DIR"/check.d/*.sh; do
	[ -f "$extra" ] || continue
	suite "$(basename "$extra" .sh)" bash "$extra"
done

# the series build leaves one CPU free: debug guest 0 takes it
rm -f "$LOGS"/check-kselftest-debug[0-9]*.log
kselftest_debug_start 0
suite series-build series_wait
for ((i = 1; i < DEBUG_GUESTS; i++)); do
	kselftest_debug_start "$i"
done
# its time is what was left of the guests' run after the series build
suite kselftest-debug kselftest_debug_wait

[ $failed -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
