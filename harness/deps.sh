#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs.  Quiet when all are present.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(
	linux-source-6.12 qemu-system-x86 gcc make bc bison flex libelf-dev
	libssl-dev cpio kmod ccache sparse coccinelle python3-yaml
	python3-jsonschema openssl jq git perl rsync xz-utils
	libmnl-dev python3-ply python3-git ocaml-nox
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

step "installing Debian packages: ${missing[*]}"
[ "$(id -u)" -eq 0 ] || die "need root to apt-get install ${missing[*]}"
log=$LOGS/apt.log
export DEBIAN_FRONTEND=noninteractive
if ! run_logged "$log" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	info "apt-get install failed, refreshing package lists once"
	run_logged "$LOGS/apt-update.log" apt-get update -q || true
	run_logged "$log" apt-get install -y -q --no-install-recommends "${missing[@]}" ||
		die "apt-get install ${missing[*]}" "$log"
fi
