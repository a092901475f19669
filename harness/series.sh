#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make series: the product as a git format-patch series in build/series/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$BUILD/series
rm -rf "$out"
n=$(git -C "$KSRC" rev-list --count base..product)
if [ "$n" -eq 0 ] || [ -z "$(git -C "$KSRC" diff --stat base product)" ]; then
	echo "no patches yet"
	exit 0
fi
git -C "$KSRC" format-patch -q --cover-letter --cover-from-description=subject \
	-o "$out" base..product
echo "wrote $(ls "$out" | wc -l) files to $out"
