#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare build/linux: the pristine Debian 6.12 source committed as "base",
# then patches/series and the overlay committed on top.  Re-running only
# rewrites the files whose content changed, so kbuild rebuilds only those.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

export GIT_AUTHOR_NAME="devsec harness" GIT_AUTHOR_EMAIL="devsec@localhost"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
# Fixed dates: the same input gives the same commits.
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
g() { git -C "$KSRC" "$@"; }
take_lock tree

if [ ! -d "$KSRC/.git" ]; then
	[ -f "$BASE_TARBALL" ] || die "base tarball $BASE_TARBALL not found (apt-get install linux-source-6.12)"
	step "extracting $BASE_TARBALL into $KSRC"
	rm -rf "$BUILD/linux.tmp" "$KSRC"
	mkdir -p "$BUILD/linux.tmp"
	tar -C "$BUILD/linux.tmp" -xf "$BASE_TARBALL" ||
		die "cannot extract $BASE_TARBALL"
	src=$(find "$BUILD/linux.tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	[ -f "$src/Makefile" ] || die "$BASE_TARBALL holds no kernel tree"
	step "committing the pristine base (git, once)"
	g_log=$LOGS/base-git.log
	(
		cd "$src"
		git init -q -b base-pristine
		git config gc.auto 0
		git config core.untrackedCache true
		git add -A -f
		git commit -q -m "Debian linux-source-6.12: pristine base"
		git tag base
	) >"$g_log" 2>&1 || die "git commit of the base tree" "$g_log"
	mv "$src" "$KSRC"
	rm -rf "$BUILD/linux.tmp"
fi

ver=$(make -s -C "$KSRC" kernelversion 2>/dev/null)
info "base kernel: $ver ($(g rev-parse --short base))"

# Build the product tree in a scratch index, never in the work tree.
export GIT_INDEX_FILE=$BUILD/.overlay-index
rm -f "$GIT_INDEX_FILE"
g read-tree base
parent=$(g rev-parse base)

commit_index() {
	local msg=$1 tree
	tree=$(g write-tree)
	[ "$tree" = "$(g rev-parse "$parent^{tree}")" ] && return 0
	parent=$(printf '%s\n' "$msg" | g commit-tree "$tree" -p "$parent")
}

# The overlay: every file of this repository under a kernel top-level
# directory, at its in-tree path; MAINTAINERS is merged into the patched
# base file (the scratch index), not copied.
mapfile -t topdirs < <(g ls-tree --name-only -d base)
mapfile -t files < <(cd "$TOP" && env -u GIT_INDEX_FILE git ls-files -co --exclude-standard -- "${topdirs[@]}" | sort -u)
declare -A added=()
nfiles=0

# add_overlay PATH...: stage the overlay files at or below each PATH.
add_overlay() {
	local want f mode blob merged
	for want in "$@"; do
		if [ "$want" = MAINTAINERS ]; then
			[ -n "${added[MAINTAINERS]:-}" ] || [ ! -f "$TOP/MAINTAINERS" ] && continue
			merged=$(g show :MAINTAINERS |
				python3 "$TOP/harness/merge-maintainers.py" "$TOP/MAINTAINERS" |
				g hash-object -w --stdin) || die "merging MAINTAINERS"
			g update-index --cacheinfo "100644,$merged,MAINTAINERS"
			added[MAINTAINERS]=1
			continue
		fi
		for f in "${files[@]}"; do
			case "$f" in "$want"|"${want%/}"/*) ;; *) continue ;; esac
			[ -n "${added[$f]:-}" ] && continue
			[ -f "$TOP/$f" ] || continue	# deleted, not yet committed
			mode=100644
			[ -x "$TOP/$f" ] && mode=100755
			blob=$(g hash-object -w -- "$TOP/$f")
			g update-index --add --cacheinfo "$mode,$blob,$f"
			added[$f]=1
			nfiles=$((nfiles + 1))
		done
	done
}

# patches/series: one line per patch of the series, in order:
#   NNNN-subject.patch [overlay path ...]
# The patch's diff (changes to base files; a patch may have none) is
# applied, the overlay files at or below the listed paths are added, and
# the result is committed with the patch's message, so that "make series"
# gives a bisectable series.
series=$TOP/patches/series
npatches=0
if [ -f "$series" ]; then
	while read -r p paths; do
		case "$p" in ''|'#'*) continue ;; esac
		pf=$TOP/patches/$p
		[ -f "$pf" ] || die "patches/series names $p, which does not exist"
		if grep -q '^diff --git ' "$pf" &&
		   ! out=$(g apply --cached --whitespace=nowarn "$pf" 2>&1); then
			printf '%s\n' "$out" >&2
			die "patch $p does not apply (file and hunk above)"
		fi
		# shellcheck disable=SC2086
		[ -n "$paths" ] && add_overlay $paths
		info=$(git mailinfo "$BUILD/.msg" /dev/null <"$pf" 2>/dev/null)
		subj=$(sed -n 's/^Subject: //p' <<<"$info")
		body=$(cat "$BUILD/.msg")
		GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' <<<"$info")
		GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' <<<"$info")
		[ -n "$GIT_AUTHOR_NAME" ] || GIT_AUTHOR_NAME=$GIT_COMMITTER_NAME
		[ -n "$GIT_AUTHOR_EMAIL" ] || GIT_AUTHOR_EMAIL=$GIT_COMMITTER_EMAIL
		commit_index "$(printf '%s\n\n%s\n' "${subj:-$p}" "$body")"
		npatches=$((npatches + 1))
	done <"$series"
fi

# Whatever no patch claims comes last.
add_overlay "${files[@]}" MAINTAINERS
commit_index "devsec overlay: files not yet assigned to a patch"

# Move the work tree: git rewrites only paths whose content changed.
unset GIT_INDEX_FILE
if [ "$(g rev-parse HEAD 2>/dev/null)" != "$parent" ]; then
	g checkout -q --detach -f "$parent" 2>"$LOGS/checkout.log" ||
		die "checking out the product tree" "$LOGS/checkout.log"
	g clean -q -f -d >/dev/null
fi
g update-ref refs/heads/product "$parent"
info "applied $npatches patch(es) and $nfiles overlay file(s): $(g diff --shortstat base HEAD | sed 's/^ //')"
