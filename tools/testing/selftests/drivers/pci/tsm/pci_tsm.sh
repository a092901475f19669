#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pci_tsm.sh SUITE: run one suite of the PCI/TSM tests
# (tools/testing/devsec/devsec.d/NN-SUITE.sh) with devsec.sh, from beside
# this script when kselftest copied it there, else from the source tree.
# Each suite is a TEST_PROGS program of its own (link.sh, ide.sh, ...),
# which loads and unloads the sample modules it needs.  A suite left out
# of DEVSEC_SUITES, when that is set, is skipped.
#
# DEVSEC_CLAIMS=DIR shares the suites among several runners (guests)
# that see DIR: a suite runs where mkdir DIR/SUITE succeeds first and is
# skipped in the others, so that each runner takes the next suite as soon
# as it is free.

ksft_skip=4
suite=${1:?usage: pci_tsm.sh SUITE}

if [ -n "${DEVSEC_SUITES:-}" ] &&
   [[ " ${DEVSEC_SUITES//,/ } " != *" $suite "* ]]; then
	echo "TAP version 13"
	echo "1..0 # SKIP $suite is not in DEVSEC_SUITES=$DEVSEC_SUITES"
	exit $ksft_skip
fi

if [ -n "${DEVSEC_CLAIMS:-}" ] && ! mkdir "$DEVSEC_CLAIMS/$suite" 2>/dev/null; then
	echo "TAP version 13"
	echo "1..0 # SKIP $suite is claimed by another runner ($DEVSEC_CLAIMS)"
	exit $ksft_skip
fi

here=$(dirname "$(realpath "$0")")
for dir in "$here" "$here/../../../../devsec"; do
	if [ -f "$dir/devsec.sh" ] && [ -f "$dir/lib.sh" ]; then
		DEVSEC_SUITES=$suite exec bash "$dir/devsec.sh"
	fi
done
# Not a skip: the target was installed without its tests.
echo "TAP version 13"
echo "1..1"
echo "not ok 1 devsec.sh not found next to $0 or in tools/testing/devsec"
exit 1
