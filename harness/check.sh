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
		grep -E '^(FAILED|not ok|kernel splat|ERROR|WARNING|CHECK)' "$log" | head -n 8 | sed 's/^/      /'
	fi
}

# Guest runs of a test script expected to fail: the harness must notice.
expect_guest_failure() {
	local script=$1 want=$2 out
	out=$("$TOP/harness/qemu.sh" debug "$script" "$(basename "$script" .sh)" 2>&1)
	local rc=$?
	printf '%s\n' "$out"
	[ $rc -ne 0 ] && grep -q -- "$want" <<<"$out"
}

harness_selftest() {
	local d=$BUILD/selftest
	mkdir -p "$d"
	printf 'echo "exiting with 3"\nexit 3\n' >"$d/exit3.sh"
	printf 'echo "WARNING: CPU: 0 PID: 1 at selftest" >/dev/kmsg\nexit 0\n' >"$d/splat.sh"
	printf 'echo ok\nexit 0\n' >"$d/pass.sh"
	"$TOP/harness/qemu.sh" debug "$d/pass.sh" selftest-pass &&
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
	python3 "$TOP/harness/ktap.py" "$console"
}

# checkpatch --strict on every patch of "make series" (base changes and
# new files alike) and on the overlay's C files as whole files.
checkpatch() {
	local cp=$KSRC/scripts/checkpatch.pl rc=0 files p
	"$TOP/harness/series.sh" || return 1
	for p in "$BUILD"/series/*.patch; do
		case "$p" in */0000-cover-letter.patch) continue ;; esac
		"$cp" --strict --terse --show-types --ignore FILE_PATH_CHANGES "$p" || rc=1
	done
	mapfile -t files < <(cd "$TOP" && git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^harness/')
	if [ ${#files[@]} -gt 0 ]; then
		(cd "$TOP" && "$cp" --no-tree --strict --terse --show-types \
			--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "${files[@]}") || rc=1
	fi
	return $rc
}

# sparse (C=2) and W=1 over our kernel directories.
static_build() {
	local obj dirs=() d
	obj=$(objdir debug)
	for d in drivers/pci/tsm drivers/virt/coco samples/devsec drivers/base; do
		[ -d "$TOP/$d" ] && dirs+=("$d/")
	done
	[ ${#dirs[@]} -gt 0 ] || { echo "no overlay directories yet"; return 0; }
	make -C "$KSRC" O="$obj" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" \
		C=2 W=1 "${dirs[@]}" 2>&1 | tee "$LOGS/static.log" >/dev/null
	# Report diagnostics in our files only.
	local ours
	ours=$(cd "$TOP" && git ls-files -co --exclude-standard -- '*.c' '*.h' | sed 's/[.]/\\./g' | paste -sd'|')
	[ -n "$ours" ] || return 0
	! grep -E "^($ours):[0-9]+:[0-9]+: (warning|error)" "$LOGS/static.log"
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
suite checkpatch checkpatch
suite kernel-doc kerneldoc
suite sparse-W1 static_build
suite coccicheck coccicheck
suite configs "$TOP/harness/configs.sh"
suite series-build "$TOP/harness/series-check.sh"
suite harness-selftest harness_selftest
suite kunit kunit
# devsec.sh and its suites, run as the kselftest target
# tools/testing/selftests/drivers/pci/tsm the way a distribution's CI runs it
suite kselftest "$TOP/harness/qemu.sh" debug "$DEVSEC_DIR/kselftest.sh" kselftest

for extra in "$DEVSEC_DIR"/check.d/*.sh; do
	[ -f "$extra" ] || continue
	suite "$(basename "$extra" .sh)" "$TOP/harness/qemu.sh" debug "$extra"
done

[ $failed -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
