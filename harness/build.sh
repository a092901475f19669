#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh FLAVOR: configure and build the x86_64 kernel and modules.
#   devsec: tinyconfig + devsec.config
#   debug:  tinyconfig + devsec.config + debug.config (make check)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavor=${1:-devsec}
obj=$(objdir "$flavor")
mods=$(moddir "$flavor")
frags=("$DEVSEC_DIR/devsec.config")
[ "$flavor" = debug ] && frags+=("$DEVSEC_DIR/debug.config")
[ -n "${EXTRA_CONFIG:-}" ] && frags+=("$EXTRA_CONFIG")

export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=devsec KBUILD_BUILD_HOST=devsec
kmake() { make -C "$KSRC" O="$obj" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }

take_lock "obj-$flavor"
mkdir -p "$obj"
log=$LOGS/config-$flavor.log
step "configuring the $flavor kernel (tinyconfig + ${frags[*]##*/})"
{
	kmake tinyconfig &&
	"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${frags[@]}" &&
	kmake olddefconfig
} >"$log" 2>&1 || die "kernel configuration ($flavor)" "$log"

# Every symbol a fragment asks for must have survived olddefconfig.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) want=$line; sym=${line%%=*} ;;
	'# CONFIG_'*' is not set') sym=${line#\# }; sym=${sym%% *}; want="# $sym is not set" ;;
	*) continue ;;
	esac
	[ "$want" = "$sym=n" ] && want="# $sym is not set"
	if ! grep -qxF "$want" "$obj/.config"; then
		if [ "$want" = "# $sym is not set" ] && ! grep -q "^$sym=" "$obj/.config"; then
			continue
		fi
		printf '    config: asked for "%s", got "%s"\n' "$want" \
			"$(grep -E "^(# )?$sym[= ]" "$obj/.config" || echo unset)" >>"$log"
		bad=1
	fi
done < <(cat "${frags[@]}")
if [ $bad -ne 0 ]; then
	if [ -n "${CONFIG_CHECK_WARN:-}" ]; then
		grep '^    config:' "$log" >&2
	else
		die "kernel configuration ($flavor): a requested option is not available" "$log"
	fi
fi
[ -n "${CONFIG_ONLY:-}" ] && exit 0

log=$LOGS/build-$flavor.log
step "building the $flavor kernel and modules (make -j$JOBS, ccache; log: $log)"
start=$SECONDS
kmake -j"$JOBS" bzImage modules >"$log" 2>&1 || {
	grep -E '(error|Error)[: ]' "$log" | head -n 20 >&2 || true
	die "kernel build ($flavor)" "$log"
}
rel=$(kernel_release "$flavor")
rm -rf "$mods"
kmake INSTALL_MOD_PATH="$mods" modules_install >>"$log" 2>&1 ||
	die "modules_install ($flavor)" "$log"
# The guest mounts this directory at /lib/modules/<release>.
[ -d "$mods/lib/modules/$rel" ] || mkdir -p "$mods/lib/modules/$rel"
depmod -b "$mods" "$rel" >>"$log" 2>&1 || die "depmod ($flavor)" "$log"
# What the guest tests need besides modules, in /lib/modules/<release>/devsec:
# the trust anchor of the sample device's certificate chain (made at build
# time by samples/devsec/mkcerts.sh), the evidence reader and the
# selftests' C helpers.
extra=$mods/lib/modules/$rel/devsec
mkdir -p "$extra"
if [ -f "$obj/samples/devsec/devsec-root.pem" ]; then
	cp "$obj/samples/devsec/devsec-root.pem" "$extra/"
fi
if [ -f "$TOP/tools/pci/tsm-evidence/Makefile" ]; then
	# objects in build/, only the program beside the modules
	mkdir -p "$BUILD/tsm-evidence-$flavor" &&
	make -s -C "$TOP/tools/pci/tsm-evidence" OUTPUT="$BUILD/tsm-evidence-$flavor/" \
		>>"$log" 2>&1 && cp "$BUILD/tsm-evidence-$flavor/tsm-evidence" "$extra/" ||
		die "tools/pci/tsm-evidence" "$log"
fi
# The selftests' C helpers (TEST_GEN_FILES), the uapi header from the tree
st=$KSRC/tools/testing/selftests/drivers/pci/tsm
if [ -f "$st/Makefile" ]; then
	make -s -C "$st" OUTPUT="$extra" \
		KHDR_INCLUDES="-idirafter $(cd "$KSRC" && pwd -P)/include/uapi" \
		>>"$log" 2>&1 || die "$st" "$log"
fi
# The guest sees the tree read-only: compile the YNL library the evidence
# tests import (cli.py) here, or every python3 in the guest compiles it
# again, which takes seconds on the debug kernel.
for py in python3 /usr/bin/python3; do
	command -v "$py" >/dev/null &&
		"$py" -m compileall -q "$KSRC/tools/net/ynl/pyynl" >>"$log" 2>&1 || true
done
grep -E 'warning:' "$log" | grep -vE '^(make|scripts/)' | head -n 20 >"$LOGS/warnings-$flavor.txt" || true
info "kernel $rel built in $((SECONDS - start))s ($(grep -c . "$LOGS/warnings-$flavor.txt") compiler warning(s))"
