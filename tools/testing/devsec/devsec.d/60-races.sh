# SPDX-License-Identifier: GPL-2.0
# Suite "races": removal and unload in the middle of a request.  Sourced by
# devsec.sh; 65-faults.sh sources it with RACES_HELPERS_ONLY=1 for the
# race_* helpers.
#
# The sample mailbox's "timeout" fault makes the responder stay silent, so
# a request sits in pci_doe() for the DOE timeout (1 s) and then fails with
# EIO.  Removing the device or unregistering the TSM in that second must
# abort the request (Documentation/driver-api/pci/tsm.rst): it fails with
# ENODEV or ECANCELED instead of EIO, and the pci_tsm_abort trace event
# gives that reason.  EIO means the race was missed or not handled, so
# every race checks that the request was in a DOE exchange when the
# removal or unload began, and that the abort happened.

# race_errno MESSAGE: RACE_ERRNO is the errno name of the strerror() text
# in MESSAGE (a shell's or tsm-evidence's error message), 0 if empty
race_errno()
{
	if [ -z "$1" ]; then
		RACE_ERRNO=0
	else
		RACE_ERRNO=$(errno_name "$1")
	fi
}

# race_write VALUE FILE ERR: write VALUE to FILE in the background.  The
# job is the writer itself (printf is a builtin and nothing forks below
# it), so $! is the process that sits in the request; its error message
# goes to ERR.  race_result waits for it.
race_write()
{
	printf '%s' "$1" 2>"$3" >"$2" &
}

# race_result PID ERR: wait for the writer PID; RACE_ERRNO is then 0 or
# the errno name of its failure, from its message in ERR
race_result()
{
	local m=

	if ! wait "$1"; then
		read -r m <"$2"
		m=${m:-failed without a message}
	fi
	race_errno "$m"
}

# race_write_loop VALUE FAULT FILE ERR: in the background, stall the
# mailbox through the DOE fault file FAULT ("timeout 1") and write VALUE
# to FILE, again and again while the write fails with EIO (the stall ran
# out, nothing hit the request).  A request is then in the mailbox at
# nearly every moment until the race ends the loop, however long the
# racing process takes to start: modprobe takes seconds on the debug
# kernel, more than the DOE timeout.  Builtins only, so $! is the writer.
# ERR gets one line per write ("0" or the message); the loop also ends
# when FAULT or FILE is gone, when race_loop_result stops it, and after
# 120 writes.
RACE_LOOPS=0
race_write_loop()
{
	local m i stop=$4.stop$((++RACE_LOOPS))

	: >"$4"
	for ((i = 0; i < 120; i++)); do
		[ ! -e "$stop" ] || break
		{ echo 'timeout 1' >"$2"; } 2>/dev/null || break
		m=
		{ printf '%s' "$1" >"$3"; } 2>"$4.last" || read -r m <"$4.last"
		echo "${m:-0}" >>"$4"
		[[ $m == *"Input/output error"* ]] || break
	done &
}

# race_loop_result PID ERR: stop the loop PID that race_write_loop (or
# another loop that writes ERR the same way and stops on ERR.stopN, N its
# RACE_LOOPS) started, and wait for it; RACE_ERRNO is then the result of
# its last write
race_loop_result()
{
	local l last= n=0

	: >"$2.stop$RACE_LOOPS"
	wait "$1"
	while IFS= read -r l; do
		last=$l
		n=$((n + 1))
	done <"$2"
	if [ -z "$last" ]; then
		RACE_ERRNO="no write"
	elif [ "$last" = 0 ]; then
		RACE_ERRNO=0
	else
		race_errno "$last"
	fi
	echo "# $n writes while the race was on, the last one: ${last##*: }"
}

# race_check_doe DESC PID: PID must come to sleep in pci_doe(), i.e. its
# request in a DOE exchange, before it exits; waits up to a minute (the
# writer may be a process that takes seconds to start on the debug
# kernel), polling with builtins only
race_check_doe()
{
	local i w s

	for ((i = 0; i < 3000; i++)); do
		w=
		{ read -r w <"/proc/$2/wchan"; } 2>/dev/null
		if [ "$w" = pci_doe ]; then
			ok "$1"
			return
		fi
		s=Z
		{ read -r _ _ s _ <"/proc/$2/stat"; } 2>/dev/null
		[ "$s" = Z ] && break
		devsec_sleep 0.02
	done
	not_ok "$1"
	echo "# process $2 never waited in pci_doe() (last wchan '$w')"
}

# race_remove DESC DEV: remove DEV with a write from this shell: no
# process to start while the request waits on the mailbox
race_remove()
{
	if { echo 1 >"/sys/bus/pci/devices/$2/remove"; } 2>/dev/null; then
		ok "$1"
	else
		not_ok "$1"
	fi
}

# race_trace_on: record the pci_tsm_abort and pci_tsm_done events
race_trace_on()
{
	echo 0 >"$TRACEFS/tracing_on"
	echo >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/pci_tsm/pci_tsm_abort/enable"
	echo 1 >"$TRACEFS/events/pci_tsm/pci_tsm_done/enable"
	echo 1 >"$TRACEFS/tracing_on"
} 2>/dev/null

# race_trace_off DEV OP: stop recording; RACE_ABORTS lists the reasons
# with which requests OP (connect, lock, refresh...) of DEV were aborted,
# RACE_DONE their results
race_trace_off()
{
	local l

	echo 0 >"$TRACEFS/tracing_on"
	echo 0 >"$TRACEFS/events/pci_tsm/pci_tsm_abort/enable"
	echo 0 >"$TRACEFS/events/pci_tsm/pci_tsm_done/enable"
	RACE_ABORTS= RACE_DONE=
	while IFS= read -r l; do
		case $l in
		*" pci_tsm_abort: $1 $2 "*) RACE_ABORTS+=" ${l##*reason=}" ;;
		*" pci_tsm_done: $1 $2 "*)
			l=${l##*rc=}
			RACE_DONE+=" ${l%% *}"
			;;
		esac
	done <"$TRACEFS/trace"
	RACE_ABORTS=${RACE_ABORTS# } RACE_DONE=${RACE_DONE# }
} 2>/dev/null

# race_check_abort DESC REASON: a request was aborted with REASON (-19:
# ENODEV, removal; -125: ECANCELED, the TSM unregistered)
race_check_abort()
{
	if [[ " $RACE_ABORTS " == *" $2 "* ]]; then
		ok "$1"
	else
		not_ok "$1"
		echo "# expected a pci_tsm_abort with reason=$2; aborts:" \
		     "'$RACE_ABORTS', requests done with rc: '$RACE_DONE'"
	fi
}

# race_again REASON TRY: true (and says why) when the race just run is
# to be run again: no request was aborted with REASON, so the removal or
# unload overlapped none (it began after a stall ran out, between two
# writes, or before the request started: the write then fails with
# ENOENT, ENXIO or the errno of the early check, untraced), and TRY is
# not the last (RACE_TRIES).  A race that overlaps a request and is
# handled wrongly fails every try.
RACE_TRIES=4
race_again()
{
	[[ " $RACE_ABORTS " != *" $1 "* ]] || return 1
	[ "$2" -lt "$RACE_TRIES" ] || return 1
	echo "# try $2 overlapped no request ($RACE_ERRNO, aborts:" \
	     "'$RACE_ABORTS'): again"
}

# race_phase TRY: before try TRY of a race against a write loop, wait
# (TRY - 1) * 0.4 s more before starting the racing process.  The loop
# leaves a gap after each 1 s stall (0.25 s and more on the debug kernel:
# the shell, the next request's setup), and the racer takes about as long
# as the stall to reach the request (modprobe -r on the debug kernel), so
# the same phase tends to land in the same gap every try.  Shifting it by
# more than the gap puts at most one or two of the tries there.
race_phase()
{
	[ "$1" -le 1 ] || devsec_sleep "$(( ($1 - 1) * 4 / 10 )).$(( ($1 - 1) * 4 % 10 ))"
}

races_suite()
{
	local tsm err=/tmp/race.$$ pid n bad i try
	local fault0=/sys/kernel/debug/devsec/$DSM0/fault
	local fault1=/sys/kernel/debug/devsec/$DSM1/fault
	local connect0=/sys/bus/pci/devices/$DSM0/tsm/connect
	local connect1=/sys/bus/pci/devices/$DSM1/tsm/connect

	unload_all
	load_order bus
	tsm=$(tsm_by_mode link)
	[ -n "$tsm" ] || tsm=tsm_missing

	# 1. hot-remove the DSM while its connect waits on the mailbox
	for ((try = 1; try <= RACE_TRIES; try++)); do
		check_errno "[races] stall $DSM0's mailbox" 0 'timeout 1' \
			"$fault0"
		race_trace_on
		race_write "$tsm" "$connect0" "$err"
		pid=$!
		race_check_doe "[races] connect of $DSM0 waits in a DOE exchange" $pid
		race_remove "[races] remove $DSM0 during connect" "$DSM0"
		race_result $pid "$err"
		race_trace_off "$DSM0" connect
		race_again -19 $try || break
		echo 1 >/sys/bus/pci/rescan
	done
	check_eq "[races] connect interrupted by the removal fails ENODEV" \
		ENODEV "$RACE_ERRNO"
	race_check_abort "[races] the removal aborted the connect" -19
	check "[races] $DSM0 is gone" test ! -e "$(pci_sysfs "$DSM0")"
	check "[races] rescan" sh -c 'echo 1 >/sys/bus/pci/rescan'
	check "[races] $DSM0 is back" test -d "$(pci_sysfs "$DSM0")"
	check_eq "[races] $DSM0 comes back disconnected" "" \
		"$(read_attr "$connect0")"
	check_errno "[races] connect $DSM0 after the race" 0 "$tsm" \
		"$connect0"
	check_errno "[races] disconnect $DSM0" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"

	# 2. unload the link TSM while a connect is in flight
	for ((try = 1; try <= RACE_TRIES; try++)); do
		race_trace_on
		race_write_loop "$tsm" "$fault0" "$connect0" "$err"
		pid=$!
		race_check_doe "[races] connect of $DSM0 waits in a DOE exchange" $pid
		race_phase $try
		check "[races] modprobe -r devsec_link_tsm during connect" \
			modprobe -r devsec_link_tsm
		race_loop_result $pid "$err"
		race_trace_off "$DSM0" connect
		echo none >"$fault0" 2>/dev/null
		race_again -125 $try || break
		modprobe devsec_link_tsm
		tsm=$(tsm_by_mode link)
	done
	check_eq "[races] connect cut short by the unload fails ECANCELED" \
		ECANCELED "$RACE_ERRNO"
	race_check_abort "[races] the unload aborted the connect" -125
	check "[races] no TSM left" test -z "$(ls /sys/class/tsm 2>/dev/null)"
	check_eq "[races] $DSM0 link attributes gone" "<absent>" \
		"$(read_attr "$connect0")"
	check "[races] modprobe devsec_link_tsm again" modprobe devsec_link_tsm
	tsm=$(tsm_by_mode link)
	check_errno "[races] connect $DSM0 with the reloaded TSM" 0 "$tsm" \
		"$connect0"

	# 3. unload the bus (all devices) while a connect of DSM1 is in flight
	for ((try = 1; try <= RACE_TRIES; try++)); do
		race_trace_on
		race_write_loop "$tsm" "$fault1" "$connect1" "$err"
		pid=$!
		race_check_doe "[races] connect of $DSM1 waits in a DOE exchange" $pid
		race_phase $try
		check "[races] modprobe -r devsec_bus during connect" \
			modprobe -r devsec_bus
		race_loop_result $pid "$err"
		race_trace_off "$DSM1" connect
		race_again -19 $try || break
		modprobe devsec_bus
	done
	check_eq "[races] connect cut short by the bus unload fails ENODEV" \
		ENODEV "$RACE_ERRNO"
	race_check_abort "[races] the bus unload aborted the connect" -19
	check "[races] sample devices gone" test ! -e "$(pci_sysfs "$DSM1")"
	check "[races] modprobe devsec_bus again" modprobe devsec_bus
	check_eq "[races] $DSM0 starts disconnected" "" \
		"$(read_attr "$connect0")"
	check_errno "[races] connect $DSM1 after bus reload" 0 "$tsm" \
		"$connect1"
	rm -f "$err" "$err".*

	# 4. a TSM registering updates the tsm groups of every device
	# while the DSM is removed: the update must not touch the sysfs
	# directory device_del() is taking down
	n=$(quick 2 10)
	bad=0
	for ((i = 0; i < n; i++)); do
		modprobe -r devsec_link_tsm
		modprobe devsec_link_tsm &
		pid=$!
		# remove at a different point of the load each round
		sleep "0.0$i"
		echo 1 >"$(pci_sysfs "$DSM0")/remove"
		wait $pid || bad=$((bad + 1))
		echo 1 >/sys/bus/pci/rescan
		[ -e "$connect0" ] || bad=$((bad + 1))
	done
	check_eq "[races] $n link TSM loads racing the removal of $DSM0" 0 "$bad"
	unload_all
}

[ -n "${RACES_HELPERS_ONLY:-}" ] || races_suite
