#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make devsec [TEST=script]: build the devsec kernel, boot it, run the test.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

test=${1:-$DEVSEC_DIR/devsec.sh}
case "$test" in /*) ;; *) test=$PWD/$test ;; esac
[ -f "$test" ] || die "TEST=$test: no such file"
t0=$SECONDS
"$TOP/harness/deps.sh" || exit 1
"$TOP/harness/prepare.sh" || exit 1
"$TOP/harness/build.sh" devsec || exit 1
if "$TOP/harness/qemu.sh" devsec "$test"; then
	echo "devsec: PASS ($(basename "$test"), $((SECONDS - t0))s)"
else
	echo "devsec: FAIL ($(basename "$test"), $((SECONDS - t0))s)"
	exit 1
fi
