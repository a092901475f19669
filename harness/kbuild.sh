#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kbuild.sh [FLAVOR] [make targets...]: for development.  Serialised on a
# lock so that several people (or agents) can share build/: re-applies the
# overlay and patches, refreshes the config, then builds the given targets
# (e.g. "drivers/pci/tsm/" or "samples/devsec/") or, with none, the kernel,
# modules and modules_install as build.sh does.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavor=devsec
case "${1:-}" in devsec|debug) flavor=$1; shift ;; esac
take_lock "obj-$flavor"
"$TOP/harness/prepare.sh"
if [ $# -eq 0 ]; then
	exec "$TOP/harness/build.sh" "$flavor"
fi
obj=$(objdir "$flavor")
CONFIG_ONLY=1 CONFIG_CHECK_WARN=1 "$TOP/harness/build.sh" "$flavor"
make -C "$KSRC" O="$obj" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" W=1 "$@"
