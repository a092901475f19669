#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# configs.sh [NAME...]: compile the series' directories under other kernel
# configurations and fail on any error or warning (W=1) in them.
#
#   no-pci-tsm   devsec config with PCI_TSM off (stubs, PCI_IDE unselected)
#   tsm-m        the tsm class and configfs-tsm reports as modules (no PCI_TSM)
#   no-samples   samples/devsec off
#   defconfig    x86_64_defconfig plus the series' options: a distribution
#                sized configuration around our code
#
# Each configuration has its own object directory (build/obj-cfg-NAME),
# so a rerun only rebuilds what changed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DIRS=(drivers/pci/ drivers/virt/coco/ drivers/base/ samples/devsec/ kernel/module/ arch/x86/mm/)
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=devsec KBUILD_BUILD_HOST=devsec

# fragment NAME: the configuration fragment of NAME on stdout
fragment() {
	case "$1" in
	no-pci-tsm)
		echo '# CONFIG_PCI_TSM is not set'
		echo '# CONFIG_SAMPLE_DEVSEC is not set' ;;
	tsm-m)
		# PCI_TSM selects TSM (built in); a modular class means no PCI_TSM
		echo '# CONFIG_PCI_TSM is not set'
		echo '# CONFIG_SAMPLE_DEVSEC is not set'
		echo 'CONFIG_TSM=m' ;;
	no-samples)
		echo '# CONFIG_SAMPLE_DEVSEC is not set' ;;
	defconfig)
		# the series' options on top of x86_64_defconfig
		grep -hE '^CONFIG_(PCI_TSM|PCI_IDE|TSM|SAMPLE|CONFIDENTIAL|MODULES_AUTOPROBE|PCI_DOE|KUNIT)' \
			"$DEVSEC_DIR/devsec.config"
		echo 'CONFIG_SAMPLES=y'
		echo 'CONFIG_VIRT_DRIVERS=y'
		echo 'CONFIG_AMD_MEM_ENCRYPT=y'
		echo 'CONFIG_SEV_GUEST=m' ;;
	*) return 1 ;;
	esac
}

# check_cfg NAME: configure and compile; 0 when clean
check_cfg() {
	local name=$1 obj=$BUILD/obj-cfg-$1 log=$LOGS/config-$1.log frag sym want
	local kmake=(make -C "$KSRC" O="$obj" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc")

	mkdir -p "$obj"
	frag=$obj/fragment.config
	fragment "$name" >"$frag" || { echo "unknown configuration $name"; return 1; }
	{
		if [ "$name" = defconfig ]; then
			"${kmake[@]}" x86_64_defconfig
		else
			"${kmake[@]}" tinyconfig &&
			"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$obj" \
				"$obj/.config" "$DEVSEC_DIR/devsec.config"
		fi &&
		"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" &&
		"${kmake[@]}" olddefconfig
	} >"$log" 2>&1 || { echo "configuration $name failed (log $log)"; return 1; }
	# what the fragment asks for must hold
	while IFS= read -r want; do
		case "$want" in
		CONFIG_*) grep -qxF "$want" "$obj/.config" ;;
		'# CONFIG_'*) sym=${want#\# }; sym=${sym%% *}; ! grep -q "^$sym=" "$obj/.config" ;;
		*) true ;;
		esac || { echo "$name: asked for '$want', got '$(grep -E "^(# )?${want#\# }" "$obj/.config" | head -n1)'"; return 1; }
	done <"$frag"
	if ! "${kmake[@]}" -j"$JOBS" W=1 "${DIRS[@]}" >>"$log" 2>&1; then
		echo "$name: build failed (log $log)"
		grep -E '(error|Error)[: ]' "$log" | head -n 10
		return 1
	fi
	if tree_warnings "$log" "$KSRC" "$obj" | grep -E "$OURS" | head -n 10 | grep .; then
		echo "$name: warnings in the series' files (log $log)"
		return 1
	fi
	echo "$name: clean ($(grep -c '^  CC' "$log") objects compiled)"
}

"$TOP/harness/prepare.sh" >/dev/null || die "prepare"
# files the series adds or changes
OURS=$(git -C "$KSRC" diff --name-only base product -- '*.c' '*.h' | sed 's/[.]/\\./g' | paste -sd'|')
OURS="^(${OURS:-none}):"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(no-pci-tsm tsm-m no-samples defconfig)
rc=0
for n in "${names[@]}"; do
	t0=$SECONDS
	check_cfg "$n" || rc=1
	echo "    ($n: $((SECONDS - t0))s)"
done
exit $rc
