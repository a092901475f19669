# SPDX-License-Identifier: GPL-2.0
# Suite "evidence": device evidence over the pci-tsm netlink family.
# Sourced by devsec.sh; uses its helpers and lib.sh.
unload_all
load_order bus

ev_tmp=$(mktemp -d)
ev_extra=/lib/modules/$(uname -r)/devsec
ev_rdr=$ev_extra/tsm-evidence
# the selftests' raw dump (evidence_dump.c): beside devsec.sh where
# kselftest installed it, else where the harness put it
ev_raw=$DEVSEC_LIB_DIR/evidence_dump
[ -x "$ev_raw" ] || ev_raw=$ev_extra/evidence_dump
# ev_dump ARGS...: one dump with exactly the attributes ARGS name (-d DEV,
# -m MASK, -f FLAGS, -n NONCE_HEX); "error: -ERRNO" on a kernel error
ev_dump() { "$ev_raw" "$@" 2>&1; }
# ev_upstream JSON: the dump exactly as upstream's devsec.sh runs it: from
# the top of the tree, the spec found by family name, JSON output
ev_upstream() {
	(cd "$DEVSEC_KSRC" && python3 tools/net/ynl/pyynl/cli.py \
		--family pci-tsm --dump evidence-read --json "$1" \
		--output-json) 2>&1
}
# ev_lens: "TYPE:BYTES ..." from ev_upstream's output on stdin, as
# upstream's script reads it: a message with a (numeric) type starts an
# object, val-only messages continue it; val is hex in the JSON
ev_lens() {
	jq -r 'reduce .[] as $m ({t: null, l: {}};
		(if ($m | has("type")) then
			.t = ($m.type | if type == "number" then tostring
				       else "non-number(\(.))" end) | .l[.t] = 0
		 else . end)
		| .l[.t] += (($m.val // "") | length / 2))
		| .l | to_entries | map("\(.key):\(.value)") | join(" ")' 2>&1
}
# ev_get DIR DEV MASK [FLAGS [NONCE_HEX]]: objects into DIR/<type>, the
# generation into DIR/generation; one "<type> <bytes> <generation>" line
# per object
ev_get() {
	local dir=$ev_tmp/$1

	rm -rf "$dir"
	ev_dump -o "$dir" -d "$2" -m "$3" ${4:+-f "$4"} ${5:+-n "$5"}
}
ev_size() { stat -c %s "$ev_tmp/$1" 2>/dev/null || echo missing; }
ev_hex() { od -An -v -tx1 "$@" | tr -d ' \n'; }
# ev_same SYSFS_FILE FILE: same bytes (cmp alone trusts the sysfs size, 0);
# FILE, a dump, must not be empty: a failed dump is no match
ev_same() { [ -s "$2" ] && cat "$1" | cmp -s - "$2"; }
# ev_differ FILE1 FILE2: both exist, are not empty, and differ (cmp -s
# alone fails, "differs", when a file is missing)
ev_differ() { [ -s "$1" ] && [ -s "$2" ] && ! cmp -s "$1" "$2"; }
# ev_gen DIR: the generation ev_get wrote to DIR, or an error marker
ev_gen() {
	local g=

	read -r g <"$ev_tmp/$1/generation" 2>/dev/null
	if [[ $g =~ ^[0-9]+$ ]]; then
		echo "$g"
	else
		echo "<no generation in $1: '$g'>"
	fi
}
# ev_gens_change DIR...: each DIR holds a generation, each one other than
# the one before
ev_gens_change() {
	local d g prev=

	for d; do
		g=$(ev_gen "$d")
		[[ $g =~ ^[0-9]+$ ]] || { echo "$g"; return 1; }
		[ "$g" != "$prev" ] || { echo "$d: generation $g again"; return 1; }
		prev=$g
	done
}
ev_link=$(tsm_by_mode link)
echo "$ev_link" > "/sys/bus/pci/devices/$DSM0/tsm/connect"

# every object, then their digests
ev_get all "$DSM0" 2047 >/dev/null
# upstream's reader: 11 objects indexed by type number, the same sizes
t=0 want=
for n in cert0 cert1 cert2 cert3 cert4 cert5 cert6 cert7 vca measurements \
	report; do
	want+="$t:$(ev_size "all/$n") "
	t=$((t + 1))
done
out=$(ev_upstream "{\"type-mask\": 2047, \"dev-name\": \"$DSM0\", \"flags\": 0}")
check_eq "evidence: pyynl/cli.py --family pci-tsm: 11 objects by type number" \
	"${want% }" "$(ev_lens <<<"$out")"
check "evidence: cert0, vca and measurements are not empty" \
	test "$(ev_size all/cert0)" -gt 0 -a "$(ev_size all/vca)" -gt 0 \
	-a "$(ev_size all/measurements)" -gt 0
check_eq "evidence: cert1 .. cert7 and report are empty" "0 0 0 0 0 0 0 0" \
	"$(for t in cert1 cert2 cert3 cert4 cert5 cert6 cert7 report; do
		ev_size "all/$t"; done | tr '\n' ' ' | sed 's/ $//')"
ev_get dig "$DSM0" 2047 1 >/dev/null
bad=
for t in cert0 vca measurements; do
	[ "$(sha384sum <"$ev_tmp/all/$t" | cut -d' ' -f1)" = \
	  "$(ev_hex "$ev_tmp/dig/$t")" ] || bad+=" $t"
done
check_eq "evidence: DIGEST returns the sha384sum of each object" "" "$bad"
check_eq "evidence: DIGEST of an empty object is empty" 0 \
	"$(ev_size dig/cert3)"
check_eq "evidence: the link TSM reports the chain it read (certs)" \
	"$(sha384sum <"$LINK_FAUX/certs")" "$(sha384sum <"$ev_tmp/all/cert0")"

# cert0 is a real X.509 chain the sample root signs; the C reader
# (tools/pci/tsm-evidence) lists devices and writes a chain as PEM
check "evidence: tsm-evidence list shows $DSM0" \
	grep -q "^$DSM0 " <<<"$("$ev_rdr" list 2>&1)"
check "evidence: tsm-evidence writes cert0 as PEM chain and leaf" \
	"$ev_rdr" dump -d "$DSM0" -t cert0 --pem -o "$ev_tmp/c.pem" \
	--leaf "$ev_tmp/l.pem"
check_eq "evidence: cert0 holds root, intermediate and leaf" 3 \
	"$(grep -c 'BEGIN CERT' "$ev_tmp/c.pem" 2>&1)"
check "evidence: the leaf is the chain's last certificate" \
	cmp -s "$ev_tmp/l.pem" <(awk '/BEGIN/ { n++ } n == 3' "$ev_tmp/c.pem")
if [ -f "$ev_extra/devsec-root.pem" ]; then
	check "evidence: openssl verify accepts the leaf against the sample root" \
		openssl verify -CAfile "$ev_extra/devsec-root.pem" \
		-untrusted "$ev_tmp/c.pem" "$ev_tmp/l.pem"
else
	not_ok "evidence: the sample root is installed"
fi
check "evidence: the leaf is an ECDSA P-384 key" grep -q 'P-384' \
	<<<"$(openssl x509 -in "$ev_tmp/l.pem" -noout -text 2>&1)"
ev_json=$("$ev_rdr" dump -d "$DSM0" -t all --digest --json 2>&1)
check_eq "evidence: tsm-evidence --json: the cert0 digest" \
	"$(sha384sum <"$ev_tmp/all/cert0" | cut -d' ' -f1)" \
	"$(jq -r '.objects[] | select(.type == "cert0") | .digest' <<<"$ev_json")"
check_eq "evidence: tsm-evidence --json: the generation" \
	"$(ev_gen all)" "$(jq -r .generation <<<"$ev_json")"
check "evidence: tsm-evidence refuses an unknown device" \
	grep -q 'No such device' <<<"$("$ev_rdr" dump -d 10000:09:00.0 \
		-t cert0 -o /dev/null 2>&1)"

# a nonce refreshes the measurements: signed, bound to the nonce
n1=$(printf 'a1%.0s' {1..32}) n2=$(printf 'b2%.0s' {1..32})
ev_get n1 "$DSM0" 512 0 "$n1" >/dev/null
ev_get n2 "$DSM0" 512 0 "$n2" >/dev/null
check "evidence: measurements differ per nonce" \
	ev_differ "$ev_tmp/n1/measurements" "$ev_tmp/n2/measurements"
check_eq "evidence: the measurements carry the nonce" "$n1" \
	"$(ev_hex -j4 -N32 "$ev_tmp/n1/measurements")"
check "evidence: each refresh changes the generation" \
	ev_gens_change all n1 n2
check_eq "evidence: refreshed measurements keep their format" \
	"$(ev_size all/measurements)" "$(ev_size n1/measurements)"
n257=$(printf '00%.0s' {1..257})
# the policy bounds it (NLA_POLICY_MAX_LEN, as upstream's): ERANGE
check "evidence: a 257-byte nonce is refused (ERANGE)" \
	grep -qx 'error: -34' <<<"$(ev_get n3 "$DSM0" 512 0 "$n257")"
# reading takes CAP_NET_ADMIN, a nonce (signed work by the device) more
ev_nosys() {
	setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin \
		"$ev_raw" -o "$ev_tmp/$1" -d "$2" -m "$3" ${4:+-f "$4"} \
		${5:+-n "$5"} 2>&1
}
check "evidence: a nonce without CAP_SYS_ADMIN is refused (EPERM)" \
	grep -qx 'error: -1' <<<"$(ev_nosys ns "$DSM0" 512 0 "$n1")"
ev_nosys ns2 "$DSM0" 512 >/dev/null
check "evidence: without CAP_SYS_ADMIN a dump without a nonce works" \
	ev_same "$ev_tmp/n2/measurements" "$ev_tmp/ns2/measurements"
check "evidence: an empty type-mask is refused (EINVAL)" \
	grep -qx 'error: -22' <<<"$(ev_get n3 "$DSM0" 0)"
check "evidence: a non-root caller is refused (EPERM)" \
	grep -qE 'error: -1\b' <<<"$(setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$ev_raw" -d "$DSM0" -m 1)"

out=$(ev_dump -d "$DSM0")
check "evidence: missing type-mask refused (EINVAL)" grep -qE "error: -22\b" <<<"$out"
out=$(ev_dump -m 1 -d 10000:09:00.0)
check "evidence: unknown device refused (ENODEV)" grep -qE "error: -19\b" <<<"$out"
out=$(ev_dump -m 0 -d 10000:09:00.0)
check "evidence: unknown device with an empty type-mask refused ENODEV first" \
	grep -qE "error: -19\b" <<<"$out"
out=$(ev_dump -m 1 -d "$(printf '%032d' 0)")
check "evidence: a 32-character dev-name refused (EINVAL)" \
	grep -qE "error: -22\b" <<<"$out"
out=$(ev_dump -m 1 -d "$(printf '%031d' 0)")
check "evidence: a 31-character unknown dev-name refused (ENODEV)" \
	grep -qE "error: -19\b" <<<"$out"
check_errno "evidence: certs cannot change while connected" EBUSY x \
	"$LINK_FAUX/certs"
check_errno "evidence: transcript cannot change while connected" EBUSY x \
	"$LINK_FAUX/transcript"
echo "$ev_link" > "/sys/bus/pci/devices/$DSM0/tsm/disconnect"
out=$(ev_dump -m 1 -d "$DSM0")
check "evidence: disconnected device refused (ENXIO)" grep -qE "error: -6\b" <<<"$out"
check "evidence: a nonce for a disconnected device is refused (ENXIO)" \
	grep -qx 'error: -6' <<<"$(ev_get n4 "$DSM0" 512 0 "$n1")"

# loaded evidence: a big chain comes back byte-identical.  The largest
# one, 16 MiB; 4 MiB on a debug kernel (DEVSEC_QUICK), where the same
# paths (a multi-message dump, racing refreshes) cost minutes per 16 MiB.
ev_mib=$(quick 4 16)
check_eq "evidence: certs beyond 16 MiB is refused" EFBIG \
	"$( { head -c 16777217 /dev/zero >"$LINK_FAUX/certs"; } 2>&1 |
	    grep -q 'File too large' && echo EFBIG)"
head -c $((ev_mib << 20)) /dev/urandom >"$ev_tmp/big.bin"
check "evidence: a $ev_mib MiB certs object loads" \
	dd if="$ev_tmp/big.bin" of="$LINK_FAUX/certs" bs=64k status=none
check "evidence: certs reads back what was loaded" \
	ev_same "$LINK_FAUX/certs" "$ev_tmp/big.bin"
printf 'sample transcript' >"$LINK_FAUX/transcript"
echo "$ev_link" > "/sys/bus/pci/devices/$DSM0/tsm/connect"
# the C reader (tools/pci/tsm-evidence) for the big object: python is slow
"$ev_rdr" dump -d "$DSM0" -t cert0,measurements -o "$ev_tmp/big" >/dev/null
check "evidence: the $ev_mib MiB cert0 comes back byte-identical" \
	cmp -s "$ev_tmp/big.bin" "$ev_tmp/big.cert0"
check_eq "evidence: measurements are the loaded transcript" \
	"sample transcript" "$(cat "$ev_tmp/big.measurements")"
check_eq "evidence: DIGEST of the $ev_mib MiB object" \
	"$(sha384sum <"$ev_tmp/big.bin" | cut -d' ' -f1)" \
	"$("$ev_rdr" dump -d "$DSM0" -t cert0 --digest -o - | ev_hex)"
rm -f "$ev_tmp"/big.cert0 "$ev_tmp"/big.measurements

# A dump racing state changes fails with EAGAIN, never mixes states.
# Each dump appends a mark to ev_tmp/dumps; the racer refreshes the
# measurements until the dump in flight has ended, then waits for the
# next dump and one more: some dumps overlap refreshes, others run
# between two and must come back complete, whatever a dump costs on this
# kernel.  ev_tmp/stop ends the racer after its refresh in flight.
: >"$ev_tmp/dumps"
(
	while [ ! -e "$ev_tmp/stop" ]; do
		d0=
		read -r d0 <"$ev_tmp/dumps"
		d=$d0
		while [ "$d" = "$d0" ] && [ ! -e "$ev_tmp/stop" ]; do
			"$ev_rdr" dump -d "$DSM0" -t measurements --nonce "$n1" \
				-o /dev/null >/dev/null 2>&1
			read -r d <"$ev_tmp/dumps"
		done
		d0=$d
		while [ ${#d} -lt $((${#d0} + 2)) ] && [ ! -e "$ev_tmp/stop" ]; do
			devsec_sleep 0.05
			read -r d <"$ev_tmp/dumps"
		done
	done
) &
race_pid=$!
again=0 mixed=0 good=0
# at least 6 dumps, up to 12 until both outcomes were seen
for i in {1..12}; do
	r=$("$ev_rdr" dump -d "$DSM0" -t cert0 -o "$ev_tmp/race.$i" 2>&1)
	printf x >>"$ev_tmp/dumps"
	case "$r" in
	*'Resource temporarily unavailable'*)
		again=$((again + 1))
		[ -e "$ev_tmp/race.$i" ] && mixed=$((mixed + 1)) ;;
	*'tsm-evidence:'*) mixed=$((mixed + 1)); echo "# racing dump: $r" ;;
	*) if cmp -s "$ev_tmp/big.bin" "$ev_tmp/race.$i"; then
		good=$((good + 1)); else mixed=$((mixed + 1))
		echo "# racing dump returned other data"; fi ;;
	esac
	[ "$i" -ge 6 ] && [ "$again" -gt 0 ] && [ "$good" -gt 0 ] && break
done
: >"$ev_tmp/stop"
wait "$race_pid"
rm -f "$ev_tmp"/race.*
echo "# racing dumps: $again EAGAIN, $good complete, $mixed other"
check "evidence: a dump racing refreshes gets EAGAIN" test "$again" -gt 0
check "evidence: a dump between two refreshes comes back complete" \
	test "$good" -gt 0
check_eq "evidence: no racing dump returned mixed data or another error" \
	0 "$mixed"
echo "$ev_link" > "/sys/bus/pci/devices/$DSM0/tsm/disconnect"
check_errno "evidence: a 1-byte write resets certs" 0 x "$LINK_FAUX/certs"
check_errno "evidence: a 1-byte write resets transcript" 0 x \
	"$LINK_FAUX/transcript"
check "evidence: certs is the sample chain again" \
	ev_same "$LINK_FAUX/certs" "$ev_tmp/all/cert0"
check "evidence: certs written at an offset first is refused (EINVAL)" \
	grep -q 'Invalid argument' <<<"$(dd if=/dev/zero of="$LINK_FAUX/certs" \
		bs=2 count=1 seek=50 conv=notrunc 2>&1)"
rm -f "$ev_tmp/big.bin"

# TVM side: after lock the TSM's evidence, after accept the TDISP
# interface report ("report", type 10); unlock drops it
if have_module devsec_tsm && modprobe devsec_tsm; then
	ev_dtsm=$(tsm_by_mode devsec)
	dfaux=/sys/bus/faux/devices/devsec_tsm
	check_errno "evidence: lock $DSM0" 0 "$ev_dtsm" "$(tsm_attr "$DSM0" lock)"
	ev_get lock "$DSM0" 2047 >/dev/null
	check "evidence: after lock cert0 is the devsec TSM's certs" \
		ev_same "$dfaux/certs" "$ev_tmp/lock/cert0"
	check "evidence: after lock measurements are its transcript" \
		ev_same "$dfaux/transcript" "$ev_tmp/lock/measurements"
	check_eq "evidence: no report before accept" 0 "$(ev_size lock/report)"
	check_errno "evidence: devsec certs cannot change while locked" EBUSY \
		x "$dfaux/certs"
	check "evidence: the devsec TSM cannot refresh (EOPNOTSUPP)" \
		grep -qx 'error: -95' <<<"$(ev_get n5 "$DSM0" 512 0 "$n1")"
	check_errno "evidence: accept $DSM0" 0 1 "$(tsm_attr "$DSM0" accept)"
	ev_get acc "$DSM0" 1024 >/dev/null
	check "evidence: report is not empty after accept" \
		test "$(ev_size acc/report)" -gt 0
	check "evidence: the generation changed from lock to accept" \
		ev_gens_change lock acc
	check_errno "evidence: unlock $DSM0" 0 "$ev_dtsm" \
		"$(tsm_attr "$DSM0" unlock)"
	out=$(ev_dump -m 1024 -d "$DSM0")
	check "evidence: unlocked device has none (ENXIO)" \
		grep -qE "error: -6\b" <<<"$out"
	check_errno "evidence: devsec certs can change once unlocked" 0 x \
		"$dfaux/certs"
else
	not_ok "evidence: devsec_tsm loads"
fi
rm -rf "$ev_tmp"
unload_all
