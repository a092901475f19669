# SPDX-License-Identifier: GPL-2.0
# Suite "stress": several processes drive the same and different devices
# for a bounded time.  Sourced by devsec.sh.  STRESS_SECONDS (default 20,
# 10 with DEVSEC_QUICK) sets the duration.
#
# Every operation may fail only with the errno its race explains (EBUSY:
# already connected or locked; ENXIO: not connected / not bound / no
# evidence; EINVAL: names a TSM that is not the connected one, or accept
# without lock; EAGAIN: an evidence dump saw the state change); anything
# else is counted as an error.  Afterwards every device must read a consistent state and a
# plain connect / disconnect must still work.

# stress_worker NAME SECONDS BODY: one bash running BODY in a loop for
# SECONDS; BODY prints one errno name (or 0) per operation
stress_worker()
{
	bash -c "$(declare -f write_errno stress_op stress_dump)
		end=\$((SECONDS + $2))
		while [ \$SECONDS -lt \$end ]; do
			$3
		done" >"/tmp/stress.$1"
}

stress_op() { write_errno "$1" "$2"; }

# stress_settle DEV ATTR UNDO TSM STATE UNDONE: after the stress, DEV's
# tsm/ATTR (lock, connect) must read TSM or nothing; writing TSM to
# tsm/UNDO (unlock, disconnect) must then leave it reading nothing
stress_settle()
{
	local d=$1 attr=$2 undo=$3 t=$4 e

	e=$(read_attr "$(tsm_attr "$d" "$attr")")
	check "[stress] $d reads $5 or not ('$e')" test "$e" = "" -o "$e" = "$t"
	[ "$e" = "$t" ] && write_errno "$t" "$(tsm_attr "$d" "$undo")" >/dev/null
	check_eq "[stress] $d $6 at the end" "" \
		"$(read_attr "$(tsm_attr "$d" "$attr")")"
}

# stress_dump ARGS...: one tools/pci/tsm-evidence dump, as an errno name
stress_dump()
{
	local r

	r=$("/lib/modules/$(uname -r)/devsec/tsm-evidence" dump "$@" 2>&1 \
		>/dev/null) && { echo 0; return; }
	case "$r" in
	*'temporarily unavailable'*) echo EAGAIN ;;
	*'No such device or address'*) echo ENXIO ;;
	*) echo "OTHER:${r// /_}" ;;
	esac
}

stress_suite()
{
	local tsm secs=${STRESS_SECONDS:-$(quick 10 20)} f ops=0 bad=0 n e d dtsm

	unload_all
	load_order bus
	tsm=$(tsm_by_mode link)
	[ -n "$tsm" ] || tsm=tsm_missing
	check "[stress] modprobe devsec_tsm" modprobe devsec_tsm
	dtsm=$(tsm_by_mode devsec)
	[ -n "$dtsm" ] || dtsm=tsm_missing

	# two workers fight over DSM0, one connects DSM1 while another locks
	# and accepts it, one binds FN0, one reads, one dumps DSM0's evidence
	stress_worker c0a "$secs" "
		stress_op $tsm $(tsm_attr "$DSM0" connect)
		stress_op $tsm $(tsm_attr "$DSM0" disconnect)" &
	stress_worker c0b "$secs" "
		stress_op $tsm $(tsm_attr "$DSM0" connect)
		stress_op $tsm $(tsm_attr "$DSM0" disconnect)" &
	stress_worker c1 "$secs" "
		stress_op $tsm $(tsm_attr "$DSM1" connect)
		stress_op $tsm $(tsm_attr "$DSM1" disconnect)" &
	stress_worker b0 "$secs" "
		stress_op $FN0 $LINK_FAUX/tsm_bind
		stress_op $FN0 $LINK_FAUX/tsm_request
		stress_op $FN0 $LINK_FAUX/tsm_unbind" &
	stress_worker rd "$secs" "
		for a in connect dsm bound; do
			{ read -r x <$(tsm_attr "$DSM0" '$a'); } 2>/dev/null
			{ read -r x <$(tsm_attr "$FN0" '$a'); } 2>/dev/null
		done; echo 0" &
	stress_worker l1 "$secs" "
		stress_op $dtsm $(tsm_attr "$DSM1" lock)
		stress_op 1 $(tsm_attr "$DSM1" accept)
		stress_op $dtsm $(tsm_attr "$DSM1" unlock)" &
	stress_worker ev "$secs" "
		stress_dump -d $DSM0 -t all
		stress_dump -d $DSM0 -t measurements --nonce 0102 -o /dev/null" &
	wait

	for f in /tmp/stress.*; do
		n=$(grep -c . "$f")
		e=$(grep -cvxE '0|EBUSY|ENXIO|EINVAL|ENOENT|EAGAIN' "$f")
		ops=$((ops + n))
		bad=$((bad + e))
		echo "# stress ${f##*.}: $n operations, $e unexpected" \
			"$(sort "$f" | uniq -c | tr -s ' \n' ' ')"
	done
	rm -f /tmp/stress.*
	echo "# stress: $ops operations in ${secs}s ($((ops / secs)) per second)"
	check "[stress] operations ran" test "$ops" -gt 0
	check_eq "[stress] no unexpected errno" 0 "$bad"

	stress_settle "$DSM1" lock unlock "$dtsm" locked unlocked
	check_fail "[stress] no encrypted MMIO left" grep -q 'PCI MMIO Encrypted' \
		/proc/iomem
	for d in "$DSM0" "$DSM1"; do
		stress_settle "$d" connect disconnect "$tsm" connected disconnected
	done
	check_eq "[stress] $FN0 has no tsm/bound once disconnected" "<absent>" \
		"$(read_attr "$(tsm_attr "$FN0" bound)")"
	check_errno "[stress] connect $DSM0 after the stress" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_errno "[stress] disconnect $DSM0" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	unload_all
}

stress_suite
