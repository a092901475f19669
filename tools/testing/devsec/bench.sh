#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In-guest benchmark of the PCI/TSM operations (make bench).  Prints one
# "BENCH key=value ..." line per measurement; harness/bench.sh turns them
# into a table and build/bench.json.
#
# For each operation the pci_tsm_done tracepoint gives the engine's
# view of every request, the only event enabled so that tracing adds one
# event per request: its duration, the time spent in pci_doe() on the
# DSM's mailbox for its exchanges (doe_ns, xfers), and the time spent in
# the TSM's step function (step_ns: the sample's SPDM parsing, hashing,
# signing).  What is left is the engine's own cost, reported per DOE
# exchange (engine_per_xfer_ns) next to the raw pci_doe() of the same
# exchanges (doe_per_xfer_ns), both from the same run.  The user-visible
# latency (sysfs write to return) is measured too.

. "$(dirname "$0")/lib.sh"

REPS=${BENCH_REPS:-30}
SCALE=${BENCH_SCALE:-1,8,64}
SCALE=${SCALE//,/ }
# TRACEFS, DSM0, tsm_attr and tsm_by_mode come from lib.sh

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

unload()
{
	local m

	for m in devsec_pci devsec_tsm devsec_link_tsm devsec_bus devsec_common; do
		modprobe -r "$m" 2>/dev/null
	done
}

trace_start()
{
	echo 0 >"$TRACEFS/tracing_on"
	echo 8192 >"$TRACEFS/buffer_size_kb"
	echo >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/pci_tsm/pci_tsm_done/enable"
	echo 1 >"$TRACEFS/tracing_on"
}

trace_stop()
{
	echo 0 >"$TRACEFS/tracing_on"
	echo 0 >"$TRACEFS/events/pci_tsm/enable"
}

# stats NAME: read numbers on stdin, print "NAME_median=.. NAME_p99=.."
stats()
{
	sort -n | awk -v n="$1" '{ v[NR] = $1; s += $1 }
		END { if (!NR) { printf "%s_median=0 %s_p99=0 ", n, n; exit }
		      m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.99 + 0.999)]
		      if (p == "") p = v[NR]
		      printf "%s_median=%d %s_p99=%d %s_mean=%d ", n, m, n, p, n, s / NR }'
}

# engine OP: from the trace, per completed request of type OP: total
# ns, DOE ns, number of DOE exchanges and step function ns, summarised;
# the engine's own ns per exchange is what is left of the total
engine()
{
	local op=$1 f=/tmp/bench.trace

	cat "$TRACEFS/trace" >"$f"
	awk -v op="$op" '
		function field(name,   v) {
			v = $0; sub(".* " name "=", "", v); sub(/ .*/, "", v)
			return v + 0 }
		$0 ~ "pci_tsm_done: [^ ]+ " op " " && / rc=0 / {
			print field("duration_ns"), field("doe_ns"),
			      field("xfers"), field("step_ns") }' "$f" >"$f.req"
	cut -d' ' -f1 "$f.req" | stats engine_ns
	cut -d' ' -f2 "$f.req" | stats doe_ns
	cut -d' ' -f3 "$f.req" | stats doe_exchanges
	cut -d' ' -f4 "$f.req" | stats step_ns
	awk '$3 > 0 { print int(($1 - $2 - $4) / $3) }' "$f.req" |
		stats engine_per_xfer_ns
	awk '$3 > 0 { print int($2 / $3) }' "$f.req" | stats doe_per_xfer_ns
	echo "requests=$(grep -c . "$f.req")" \
		"overhead_pct=$(awk '{ t += $1; d += $2 }
			END { if (t) printf "%.2f", (t - d) * 100 / t
			      else print 0 }' "$f.req")"
	rm -f "$f" "$f.req"
}

# bench_op OP VALUE FILE [UNDO_VALUE UNDO_FILE [PRE_VALUE PRE_FILE]]:
# time REPS writes of VALUE to FILE, each after the untimed PRE write and
# followed by the untimed UNDO write
bench_op()
{
	local op=$1 val=$2 file=$3 uval=${4:-} ufile=${5:-} pval=${6:-} pfile=${7:-}
	local i t0 t1 lat=/tmp/bench.lat

	: >"$lat"
	trace_start
	for i in $(seq "$REPS"); do
		[ -n "$pfile" ] && echo "$pval" >"$pfile"
		t0=$(now_us)
		if ! echo "$val" >"$file"; then
			echo "BENCH op=$op error=write_failed"
			trace_stop
			return 1
		fi
		t1=$(now_us)
		echo $(((t1 - t0) * 1000)) >>"$lat"
		[ -n "$ufile" ] && echo "$uval" >"$ufile"
	done
	trace_stop
	echo "BENCH op=$op reps=$REPS $(stats wall_ns <"$lat")$(engine "$op")"
	rm -f "$lat"
}

# bench_cmd OP COMMAND...: time REPS runs of COMMAND (an evidence dump);
# OP names the requests it makes in the trace, if any
bench_cmd()
{
	local op=$1 i t0 t1 lat=/tmp/bench.lat

	shift
	: >"$lat"
	trace_start
	for i in $(seq "$REPS"); do
		t0=$(now_us)
		if ! "$@" >/dev/null 2>&1; then
			echo "BENCH op=$op error=command_failed"
			trace_stop
			return 1
		fi
		t1=$(now_us)
		echo $(((t1 - t0) * 1000)) >>"$lat"
	done
	trace_stop
	echo "BENCH op=$op reps=$REPS $(stats wall_ns <"$lat")$(engine "$op")"
	rm -f "$lat"
}

# slab_kb: current slab usage
slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }

# scale N: connect the DSMs of N host bridges at once
scale()
{
	local n=$1 tsm dsms t0 t1 d pids=() lat=/tmp/bench.scale s0 s1 i

	unload
	modprobe devsec_bus nr_hosts="$n" 2>/dev/null || {
		echo "BENCH scale n=$n error=nr_hosts_unsupported"
		return
	}
	modprobe devsec_link_tsm
	tsm=$(tsm_by_mode link)
	mapfile -t dsms < <(for d in /sys/bus/pci/devices/*; do
		[ -e "$d/tsm/connect" ] && basename "$d"; done)
	if [ ${#dsms[@]} -lt "$n" ]; then
		echo "BENCH scale n=$n error=only_${#dsms[@]}_devices"
		return
	fi
	: >"$lat"
	s0=$(slab_kb)
	trace_start
	t0=$(now_us)
	for ((i = 0; i < n; i++)); do
		d=${dsms[$i]}
		( a=$(now_us); echo "$tsm" >"$(tsm_attr "$d" connect)"; b=$(now_us)
		  echo $(((b - a) * 1000)) >>"$lat" ) &
		pids+=($!)
	done
	wait "${pids[@]}"
	t1=$(now_us)
	trace_stop
	s1=$(slab_kb)
	echo "BENCH scale n=$n total_ns=$(((t1 - t0) * 1000))" \
		"per_device_ns=$(((t1 - t0) * 1000 / n))" \
		"connected=$(for d in "${dsms[@]:0:$n}"; do
			cat "$(tsm_attr "$d" connect)"; done | grep -c .)" \
		"slab_kb_per_device=$(((s1 - s0) / n))" \
		"$(stats latency_ns <"$lat")$(engine connect)"
	for ((i = 0; i < n; i++)); do
		echo "$tsm" >"$(tsm_attr "${dsms[$i]}" disconnect)" 2>/dev/null
	done
	rm -f "$lat"
}

cs=/sys/devices/system/clocksource/clocksource0/current_clocksource
echo "BENCH env kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)" \
	"clocksource=$(cat $cs) reps=$REPS" \
	"mem_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)"
echo "BENCH boot pci_tsm=$(test -d /sys/class/tsm && echo y || echo n)"

unload
modprobe devsec_bus && modprobe devsec_link_tsm
tsm=$(tsm_by_mode link)
if [ -n "$tsm" ] && [ -e "$(tsm_attr "$DSM0" connect)" ]; then
	bench_op connect "$tsm" "$(tsm_attr "$DSM0" connect)" \
		"$tsm" "$(tsm_attr "$DSM0" disconnect)"
	echo "$tsm" >"$(tsm_attr "$DSM0" connect)"
	bench_op disconnect "$tsm" "$(tsm_attr "$DSM0" disconnect)" \
		"$tsm" "$(tsm_attr "$DSM0" connect)"
	echo "$tsm" >"$(tsm_attr "$DSM0" disconnect)" 2>/dev/null
	# memory per connected device, one device
	s0=$(slab_kb)
	echo "$tsm" >"$(tsm_attr "$DSM0" connect)"
	s1=$(slab_kb)
	echo "BENCH memory op=connect slab_kb=$((s1 - s0))"
	# evidence: a dump of every object (tools/pci/tsm-evidence, no
	# request), and a nonce dump (one GET_MEASUREMENTS refresh request)
	rdr=/lib/modules/$(uname -r)/devsec/tsm-evidence
	if [ -x "$rdr" ]; then
		bench_cmd evidence "$rdr" dump -d "$DSM0" -t all -o /tmp/bench.ev
		bench_cmd refresh "$rdr" dump -d "$DSM0" -t measurements \
			--nonce 0123456789abcdef -o /tmp/bench.ev
		rm -f /tmp/bench.ev*
	else
		echo "BENCH op=evidence error=no_reader"
	fi
	echo "$tsm" >"$(tsm_attr "$DSM0" disconnect)"
else
	echo "BENCH op=connect error=no_link_tsm"
fi

# TVM side: lock, accept, unlock with the devsec TSM
if modprobe devsec_tsm 2>/dev/null && dtsm=$(tsm_by_mode devsec) &&
   [ -e "$(tsm_attr "$DSM0" lock)" ]; then
	lock=$(tsm_attr "$DSM0" lock)
	unlock=$(tsm_attr "$DSM0" unlock)
	accept=$(tsm_attr "$DSM0" accept)
	bench_op lock "$dtsm" "$lock" "$dtsm" "$unlock"
	bench_op accept 1 "$accept" "$dtsm" "$unlock" "$dtsm" "$lock"
	bench_op unlock "$dtsm" "$unlock" "" "" "$dtsm" "$lock"
	modprobe -r devsec_tsm
else
	echo "BENCH op=lock error=no_devsec_tsm"
fi

for n in $SCALE; do
	scale "$n"
done
unload
echo "BENCH done"
