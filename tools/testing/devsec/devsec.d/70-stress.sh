# SPDX-License-Identifier: GPL-2.0
# Suite "stress": several processes drive the same and different devices
# for a bounded time.  Sourced by devsec.sh.  STRESS_SECONDS (default 20,
# 10 with DEVSEC_QUICK) sets the duration.
#
# Every operation may fail only with the errnos its race explains
# (STRESS_ERRNOS below), and every worker must succeed at least once: a
# run where every connect fails is no stress test.  Afterwards every
# device must read a consistent state and a plain connect / disconnect
# must still work.

STRESS_WORKERS="c0a c0b c1 b0 rd l1 ev"

# OPERATION -> the results its races explain; the writers are
# serialised by the DSM's device lock (drivers/pci/tsm/core.c)
declare -A STRESS_ERRNOS=(
	# EBUSY: the other worker connected DSM0 first, or l1 locked DSM1
	[connect]="0 EBUSY"
	# ENXIO: not connected (disconnected by the other worker, or locked)
	[disconnect]="0 ENXIO"
	# EINVAL: FN0 has no context, DSM0 is not connected; ENXIO:
	# DSM0 not connected, or FN0 not bound for the request
	[tsm_bind]="0 EINVAL ENXIO"
	[tsm_request]="0 ENXIO"
	[tsm_unbind]="0"
	# EBUSY: c1 connected DSM1
	[lock]="0 EBUSY"
	# EINVAL: not locked, the lock failed
	[accept]="0 EINVAL"
	# EINVAL: not locked
	[unlock]="0 EINVAL"
	# ENXIO: DSM0 not connected; EAGAIN: its state changed during the dump
	[dump-all]="0 ENXIO EAGAIN"
	[dump-nonce]="0 ENXIO EAGAIN"
	# DSM0's attributes always exist and read empty or their one value
	# (connect: the link TSM, dsm: DSM0; bound: empty, b0 binds FN0)
	[read-connect]="0"
	[read-dsm]="0"
	[read-bound]="0"
	# FN0's dsm and bound exist only while DSM0 is connected: ENOENT at
	# open, ENODEV when removed between open and read
	[read-fn-dsm]="0 ENOENT ENODEV"
	[read-fn-bound]="0 ENOENT ENODEV"
)

# stress_worker NAME SECONDS BODY: one bash running BODY in a loop for
# SECONDS, then on until every worker has succeeded once (at most
# 3 x SECONDS); BODY prints "OPERATION RESULT" per operation
stress_worker()
{
	bash -c "$(declare -f errno_set errno_name stress_ok stress_all_ok stress_op \
			stress_read stress_dump)
		STRESS_WORKERS='$STRESS_WORKERS' stress_name=$1 stress_ok=
		exec {stress_sleep_fd}<> <(:)
		# reap the process substitution now: its SIGCHLD arriving
		# while a write waits for the device lock would end that
		# write in EINTR, which no race explains
		wait \$! 2>/dev/null
		end=\$((SECONDS + $2)) cap=\$((SECONDS + 3 * $2))
		while [ \$SECONDS -lt \$end ] ||
		      { [ \$SECONDS -lt \$cap ] && ! stress_all_ok; }; do
			$3
		done" >"/tmp/stress.$1" 2>"/tmp/stress-stderr.$1"
}

# stress_ok: this worker succeeded; tell the others (a file per worker)
stress_ok()
{
	[ -n "$stress_ok" ] && return
	stress_ok=1
	: >"/tmp/stress-ok.$stress_name"
}

stress_all_ok()
{
	local w

	for w in $STRESS_WORKERS; do
		[ -e "/tmp/stress-ok.$w" ] || return 1
	done
}

# stress_op NAME VALUE FILE: write VALUE to FILE with a single write(2),
# print "NAME 0" or "NAME ERRNO".  No subshell: each costs a fork.
stress_op()
{
	local e=

	if { printf '%s' "$2" >"$3"; } 2>"/tmp/stress-err.$stress_name"; then
		echo "$1 0"
		stress_ok
		return
	fi
	read -r e <"/tmp/stress-err.$stress_name"
	printf '%s ' "$1"
	errno_name "$e"
}

# stress_read NAME FILE WANT: read FILE, print "NAME 0" when it reads
# empty or WANT, "NAME VALUE:what" for anything else, "NAME ERRNO" when
# the open or the read fails, "NAME EOF" when it reads nothing at all
stress_read()
{
	local v e=

	if { IFS= read -r v <"$2"; } 2>"/tmp/stress-err.$stress_name"; then
		case $v in
		"" | "$3") echo "$1 0"; stress_ok ;;
		*) echo "$1 VALUE:$v" ;;
		esac
		return
	fi
	read -r e <"/tmp/stress-err.$stress_name"
	if [ -n "$e" ]; then
		printf '%s ' "$1"
		errno_name "$e"
	else
		echo "$1 EOF"
	fi
}

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

# stress_dump NAME ARGS...: one tools/pci/tsm-evidence dump, print
# "NAME 0" or "NAME ERRNO"
stress_dump()
{
	local name=$1 r

	shift
	r=$("/lib/modules/$(uname -r)/devsec/tsm-evidence" dump "$@" 2>&1 \
		>/dev/null) && { echo "$name 0"; stress_ok; return; }
	printf '%s ' "$name"
	errno_name "${r//$'\n'/ }"
}

# stress_tally NAME: the checks of worker NAME's results
stress_tally()
{
	local w=$1 f=/tmp/stress.$1 op r k n=0 good=0 keys=() bad= summary=
	local -A count=()

	if [ ! -r "$f" ]; then
		not_ok "[stress] $w ran"
		return
	fi
	while read -r op r; do
		n=$((n + 1))
		[ "$r" = 0 ] && good=$((good + 1))
		k="$op $r"
		[ -n "${count[$k]:-}" ] || keys+=("$k")
		count[$k]=$((${count[$k]:-0} + 1))
	done <"$f"
	for k in "${keys[@]}"; do
		summary+=", ${count[$k]} ${k/ /:}"
		op=${k%% *} r=${k#* }
		[[ " ${STRESS_ERRNOS[$op]:-} " == *" $r "* ]] ||
			bad+=" ${count[$k]} x $k;"
	done
	echo "# stress $w: $n operations, $good succeeded${summary}"
	STRESS_OPS=$((STRESS_OPS + n))
	# a worker that got only a few operations in (the evidence dumps
	# on the debug kernel under TCG) may see every one of them lose its
	# race: a success is required once it ran four
	if [ "$good" -gt 0 ]; then
		ok "[stress] $w: an operation succeeded"
	elif [ "$n" -lt 4 ]; then
		ok "[stress] $w: fewer than 4 operations, none had to succeed"
	else
		not_ok "[stress] $w: an operation succeeded"
	fi
	check_eq "[stress] $w: only the errnos each operation's race explains" \
		"" "$bad"
	[ -s "/tmp/stress-stderr.$w" ] &&
		sed 's/^/# stderr: /' "/tmp/stress-stderr.$w" | head -n 5
}

stress_suite()
{
	local tsm secs=${STRESS_SECONDS:-$(quick 10 20)} t0=$SECONDS w d dtsm hold

	unload_all
	load_order bus
	tsm=$(tsm_by_mode link)
	[ -n "$tsm" ] || tsm=tsm_missing
	check "[stress] modprobe devsec_tsm" modprobe devsec_tsm
	dtsm=$(tsm_by_mode devsec)
	[ -n "$dtsm" ] || dtsm=tsm_missing

	# two workers fight over DSM0, one connects DSM1 while another locks
	# and accepts it, one binds FN0, one reads, one dumps DSM0's evidence.
	# After a connect, its own or refused, each DSM0 worker waits 0.1 s
	# (a read that times out, no process): back to back, the other's
	# disconnect follows each connect at once, and the binder and the
	# dumps would hardly ever find DSM0 connected.  On the debug kernel
	# (DEVSEC_QUICK) a dump costs seconds, most of them starting the
	# reader: 0.5 s there, or the few dumps that fit may all miss.
	hold=$(quick 0.5 0.1)
	stress_worker c0a "$secs" "
		stress_op connect $tsm $(tsm_attr "$DSM0" connect)
		read -t $hold -u \$stress_sleep_fd
		stress_op disconnect $tsm $(tsm_attr "$DSM0" disconnect)" &
	stress_worker c0b "$secs" "
		stress_op connect $tsm $(tsm_attr "$DSM0" connect)
		read -t $hold -u \$stress_sleep_fd
		stress_op disconnect $tsm $(tsm_attr "$DSM0" disconnect)" &
	stress_worker c1 "$secs" "
		stress_op connect $tsm $(tsm_attr "$DSM1" connect)
		stress_op disconnect $tsm $(tsm_attr "$DSM1" disconnect)" &
	stress_worker b0 "$secs" "
		stress_op tsm_bind $FN0 $DEVSEC_DBG/tsm_bind
		stress_op tsm_request $FN0 $DEVSEC_DBG/tsm_request
		stress_op tsm_unbind $FN0 $DEVSEC_DBG/tsm_unbind" &
	stress_worker rd "$secs" "
		stress_read read-connect $(tsm_attr "$DSM0" connect) $tsm
		stress_read read-dsm $(tsm_attr "$DSM0" dsm) $DSM0
		stress_read read-bound $(tsm_attr "$DSM0" bound) ''
		stress_read read-fn-dsm $(tsm_attr "$FN0" dsm) $DSM0
		stress_read read-fn-bound $(tsm_attr "$FN0" bound) $tsm" &
	stress_worker l1 "$secs" "
		stress_op lock $dtsm $(tsm_attr "$DSM1" lock)
		stress_op accept 1 $(tsm_attr "$DSM1" accept)
		stress_op unlock $dtsm $(tsm_attr "$DSM1" unlock)" &
	stress_worker ev "$secs" "
		stress_dump dump-all -d $DSM0 -t all
		stress_dump dump-nonce -d $DSM0 -t measurements --nonce 0102 \
			-o /dev/null" &
	wait

	STRESS_OPS=0
	for w in $STRESS_WORKERS; do
		stress_tally "$w"
	done
	rm -f /tmp/stress*
	echo "# stress: $STRESS_OPS operations in $((SECONDS - t0))s"

	stress_settle "$DSM1" lock unlock "$dtsm" locked unlocked
	check_eq "[stress] no encrypted MMIO left" 0 \
		"$(grep -c 'PCI MMIO Encrypted' /proc/iomem 2>&1)"
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
