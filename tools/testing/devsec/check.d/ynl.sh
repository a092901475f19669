#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pci-tsm netlink spec is valid and the files generated from it are
# current: validate Documentation/netlink/specs/pci-tsm.yaml against the
# base tree's genetlink schemas, regenerate the uapi header and the kernel
# policy/op tables with the product tree's tools/net/ynl/pyynl/ynl_gen_c.py
# (6.12's generator with patches 0053-0055, which make it write what
# upstream's writes), and fail when a checked-in file differs from the
# fresh generation.
#
#   ynl.sh            check (make check runs it)
#   ynl.sh --write    regenerate the checked-in files in place
set -u
TOP=$(cd "$(dirname "$0")/../../../.." && pwd)
KSRC=${KSRC:-$TOP/build/linux}
SPEC=Documentation/netlink/specs/pci-tsm.yaml
# generated file -> ynl_gen_c.py arguments
GEN=(
	"include/uapi/linux/pci-tsm-netlink.h|--mode uapi --header"
	"drivers/pci/tsm/netlink.h|--mode kernel --header"
	"drivers/pci/tsm/netlink.c|--mode kernel --source"
)
write=0
[ "${1:-}" = --write ] && write=1

n=0 fail=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

SCHEMAS=(genetlink genetlink-c genetlink-legacy)
echo "TAP version 13"
echo "1..$((1 + ${#SCHEMAS[@]} + ${#GEN[@]}))"

# ynl_gen_c.py finds the schema beside the specs directory and writes the
# spec path it was given into the files: run it from a tree shaped like
# the kernel's, with the base schemas and our spec.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Documentation/netlink/specs"
cp "$KSRC"/Documentation/netlink/genetlink*.yaml "$work/Documentation/netlink/"
cp "$TOP/$SPEC" "$work/$SPEC"
# ynl_gen_c.py looks for MAINTAINERS to find the kernel root
: >"$work/MAINTAINERS"

# The schema the spec's "protocol:" names is the one ynl applies; the
# spec must also hold against the two supersets, as every in-tree
# genetlink spec does.
proto=$(sed -n 's/^protocol: *\([a-z-]*\).*/\1/p' "$work/$SPEC")
case " ${SCHEMAS[*]} " in
*" $proto "*) result 0 "spec names a genetlink protocol ($proto)" ;;
*) result 1 "spec names a genetlink protocol (got '${proto:-none}')" ;;
esac
for schema in "${SCHEMAS[@]}"; do
	python3 - "$work/Documentation/netlink/$schema.yaml" "$work/$SPEC" \
		>"$work/$schema.err" 2>&1 <<'PY'
import sys, yaml, jsonschema
schema = yaml.safe_load(open(sys.argv[1]))
jsonschema.validate(yaml.safe_load(open(sys.argv[2])), schema)
PY
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "$work/$schema.err" | tail -5
	result "$rc" "spec validates against Documentation/netlink/$schema.yaml"
done

for g in "${GEN[@]}"; do
	file=${g%%|*} args=${g#*|}
	mkdir -p "$work/$(dirname "$file")"
	# shellcheck disable=SC2086
	if ! (cd "$work" && python3 "$KSRC/tools/net/ynl/pyynl/ynl_gen_c.py" $args \
		--spec "$SPEC" -o "$work/$file") >"$work/gen.err" 2>&1; then
		sed 's/^/# /' "$work/gen.err" | tail -5
		result 1 "generate $file"
		continue
	fi
	if [ $write = 1 ]; then
		cp "$work/$file" "$TOP/$file"
		result 0 "wrote $file"
	elif diff -u "$TOP/$file" "$work/$file" >"$work/diff"; then
		result 0 "$file is current"
	else
		sed 's/^/# /' "$work/diff" | head -20
		result 1 "$file is current (stale: run $0 --write)"
	fi
done
exit $fail
