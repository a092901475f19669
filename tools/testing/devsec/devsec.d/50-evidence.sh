# SPDX-License-Identifier: GPL-2.0
# Suite "evidence": device evidence over the pci-tsm netlink family.
# Sourced by devsec.sh; uses its helpers and lib.sh.
unload_all
load_order bus

ev_spec=$DEVSEC_KSRC/Documentation/netlink/specs/pci-tsm.yaml
ev_cli=$DEVSEC_KSRC/tools/net/ynl/cli.py
ev_schema=$DEVSEC_KSRC/Documentation/netlink/genetlink.yaml
ev_dump() {
	python3 "$ev_cli" --spec "$ev_spec" --schema "$ev_schema" \
		--dump evidence-read --json "$1" 2>&1
}
# number of objects (messages with a type) in cli.py's output on stdin
ev_count() {
	python3 -c 'import ast, sys
print(sum(1 for o in ast.literal_eval(sys.stdin.read()) if "type" in o))'
}
ev_link=$(tsm_by_mode link)
echo "$ev_link" > "/sys/bus/pci/devices/$DSM0/tsm/connect"
out=$(ev_dump "{\"type-mask\": 2047, \"dev-name\": \"$DSM0\", \"flags\": 0}")
check_eq "evidence: 11 objects after connect" 11 \
	"$(printf '%s' "$out" | ev_count 2>/dev/null)"
out=$(ev_dump "{\"dev-name\": \"$DSM0\"}")
check "evidence: missing type-mask refused (EINVAL)" grep -qE "error: -22\b" <<<"$out"
out=$(ev_dump '{"type-mask": 1, "dev-name": "10000:09:00.0"}')
check "evidence: unknown device refused (ENODEV)" grep -qE "error: -19\b" <<<"$out"
echo "$ev_link" > "/sys/bus/pci/devices/$DSM0/tsm/disconnect"
out=$(ev_dump "{\"type-mask\": 1, \"dev-name\": \"$DSM0\"}")
check "evidence: disconnected device refused (ENXIO)" grep -qE "error: -6\b" <<<"$out"
unload_all
