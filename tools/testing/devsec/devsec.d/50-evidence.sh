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

# TVM side: after lock + accept the TDISP interface report is evidence
# ("report", type 10); unlock drops it
ev_bytes() {
	python3 -c 'import ast, sys
print(sum(len(o.get("val", b"")) for o in ast.literal_eval(sys.stdin.read())))'
}
if have_module devsec_tsm && modprobe devsec_tsm; then
	ev_dtsm=$(tsm_by_mode devsec)
	check_errno "evidence: lock $DSM0" 0 "$ev_dtsm" "$(tsm_attr "$DSM0" lock)"
	check_errno "evidence: accept $DSM0" 0 1 "$(tsm_attr "$DSM0" accept)"
	out=$(ev_dump "{\"type-mask\": 1024, \"dev-name\": \"$DSM0\"}")
	check_eq "evidence: report is 1 object after accept" 1 \
		"$(printf '%s' "$out" | ev_count 2>/dev/null)"
	check "evidence: report is not empty" \
		test "$(printf '%s' "$out" | ev_bytes 2>/dev/null)" -gt 0
	check_errno "evidence: unlock $DSM0" 0 "$ev_dtsm" \
		"$(tsm_attr "$DSM0" unlock)"
	out=$(ev_dump "{\"type-mask\": 1024, \"dev-name\": \"$DSM0\"}")
	check "evidence: unlocked device has none (ENXIO)" \
		grep -qE "error: -6\b" <<<"$out"
else
	not_ok "evidence: devsec_tsm loads"
fi
unload_all
