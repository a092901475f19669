#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# series-check.sh: build the devsec kernel after every patch of the series.
#
# Each commit of base..product (one per patches/series line) is checked
# out in its own work tree (build/bisect/linux) and built in
# build/bisect/obj-devsec with the devsec configuration (options a commit does not know yet are
# dropped by olddefconfig).  A commit that fails to build, or whose build
# warns in a file the series touches, fails the check: the series must be
# bisectable.  Incremental: only what a commit changes is rebuilt.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# The same layout as build/linux and build/obj-devsec: ccache (base_dir
# $TOP) sees the same relative paths, so the last commit, which is the
# product, hits the cache entries of the devsec kernel build.
wt=$BUILD/bisect/linux
obj=$BUILD/bisect/obj-devsec
log=$LOGS/series-check.log
g() { git -C "$KSRC" "$@"; }

"$TOP/harness/prepare.sh" >/dev/null || die "prepare"
take_lock series
mapfile -t commits < <(g rev-list --reverse base..product)
[ ${#commits[@]} -gt 0 ] || { echo "no patches"; exit 0; }

mkdir -p "$(dirname "$wt")"
if [ ! -e "$wt/.git" ]; then
	rm -rf "$wt"
	g worktree prune
	g worktree add -q --detach "$wt" base >/dev/null 2>&1 ||
		die "creating the series work tree $wt"
fi
mkdir -p "$obj"
kmake() { make -C "$wt" O="$obj" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=devsec KBUILD_BUILD_HOST=devsec

# build_inputs_changed A B: does B change, against A, a file the kernel
# build reads?  Documentation, MAINTAINERS and the user-space tools the
# build never uses (objtool's tools/objtool, tools/lib, tools/include
# and tools/build are not among them) are not: a commit that changes only
# those builds what its parent built, so it is not built again.
BUILD_INERT='^(Documentation/|MAINTAINERS$|README|tools/net/ynl/|tools/testing/|tools/pci/)'
build_inputs_changed() {
	g diff --name-only "$1" "$2" | grep -qvE "$BUILD_INERT"
}

n=0
bad=0
prev=
: >"$log"
for c in "${commits[@]}"; do
	n=$((n + 1))
	subj=$(g log -1 --format=%s "$c")
	t0=$SECONDS
	if [ -n "$prev" ] && ! build_inputs_changed "$prev" "$c"; then
		printf 'ok    %2d %s (0s): no build input changed\n' "$n" "$subj" | tee -a "$log"
		continue
	fi
	prev=$c
	git -C "$wt" checkout -q --detach -f "$c" || die "checkout of $c"
	git -C "$wt" clean -q -f -d
	clog=$LOGS/series-check-$n.log
	{
		kmake tinyconfig &&
		"$wt/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
			"$DEVSEC_DIR/devsec.config" &&
		kmake olddefconfig &&
		kmake -j"$JOBS" bzImage modules
	} >"$clog" 2>&1
	rc=$?
	# Warnings in files this commit's series touched so far
	mapfile -t touched < <(g diff --name-only base "$c" -- '*.c' '*.h')
	warn=""
	if [ ${#touched[@]} -gt 0 ]; then
		pat=$(printf '%s\n' "${touched[@]}" | sed 's/[.]/\\./g' | paste -sd'|')
		warn=$(tree_warnings "$clog" "$wt" "$obj" | grep -E "^($pat):" | head -n 5)
	fi
	if [ $rc -ne 0 ]; then
		printf 'FAIL  %2d %s (%ss): build failed, log %s\n' "$n" "$subj" $((SECONDS - t0)) "$clog" | tee -a "$log"
		grep -E '(error|Error)[: ]' "$clog" | head -n 5 | sed 's/^/      /' | tee -a "$log"
		bad=$((bad + 1))
	elif [ -n "$warn" ]; then
		printf 'FAIL  %2d %s (%ss): warnings\n' "$n" "$subj" $((SECONDS - t0)) | tee -a "$log"
		sed 's/^/      /' <<<"$warn" | tee -a "$log"
		bad=$((bad + 1))
	else
		printf 'ok    %2d %s (%ss)\n' "$n" "$subj" $((SECONDS - t0)) | tee -a "$log"
	fi
done
echo "series-check: $n patches, $bad failed to build cleanly"
[ $bad -eq 0 ]
