#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the PCI/TSM kselftest target in the guest the way a distribution's
# kernel CI would:
#   make -C tools/testing/selftests TARGETS=drivers/pci/tsm O=... run_tests
# The source tree is the prepared kernel tree (read-only in the guest), so
# kselftest copies the tests to a scratch output directory.  Fails unless
# the runner reports the target as ok.

top=$(cd "$(dirname "$0")/../../.." && pwd)
ksrc=${KSRC:-$top/build/linux}
out=$(mktemp -d /tmp/ksft.XXXXXX)
# the tests find cli.py, the netlink specs and ktap_helpers.sh here
export DEVSEC_KSRC=$ksrc
log=$out/run.log

# The target's C helpers (TEST_GEN_FILES) come built with the kernel
# (harness/build.sh puts them beside the modules): a compiler under TCG
# takes minutes.  Without them kselftest builds them here, against the
# tree's uapi headers (no headers_install in the read-only tree).
gen=$out/kselftest/drivers/pci/tsm
mkdir -p "$gen"
for f in evidence_dump; do
	[ -x "/lib/modules/$(uname -r)/devsec/$f" ] &&
		cp "/lib/modules/$(uname -r)/devsec/$f" "$gen/"
done
make -C "$ksrc/tools/testing/selftests" TARGETS=drivers/pci/tsm \
	KHDR_INCLUDES="-idirafter $ksrc/include/uapi" \
	O="$out" run_tests 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
echo "# kselftest make exited with $rc"
if grep -q '^not ok' "$log"; then
	echo "# kselftest: drivers/pci/tsm failed"
	exit 1
fi
# One program per suite.  Every suite asked for (DEVSEC_SUITES, default
# all) passed, not skipped, and ran at least one check: a misspelt or
# missing suite must not pass as "nothing failed".
suites=${DEVSEC_SUITES:-}
if [ -z "$suites" ]; then
	for f in "$top"/tools/testing/devsec/devsec.d/[0-9]*.sh; do
		f=${f##*/}
		f=${f%.sh}
		suites+=" ${f#*-}"
	done
fi
rc=0
total=0
ran=
for s in ${suites//,/ }; do
	# another runner took it (DEVSEC_CLAIMS, see pci_tsm.sh): its
	# runner checks it, the host that every suite was claimed
	if [ -n "${DEVSEC_CLAIMS:-}" ] &&
	   grep -q "^ok [0-9]* selftests: drivers/pci/tsm: $s.sh # SKIP" "$log"; then
		continue
	fi
	ran+=" $s"
	if ! grep -q "^ok [0-9]* selftests: drivers/pci/tsm: $s.sh\$" "$log"; then
		echo "# kselftest: no pass of $s.sh"
		rc=1
	fi
	n=$(sed -n "s/^[# ]*# suite $s: \([0-9]*\) checks in .*/\1/p" "$log" | tail -n 1)
	if [ -z "$n" ] || [ "$n" -eq 0 ]; then
		echo "# kselftest: suite $s ran no check"
		rc=1
	fi
	total=$((total + ${n:-0}))
done
[ $rc -eq 0 ] && echo "# kselftest: $total checks in suites$ran"
exit $rc
