# SPDX-License-Identifier: GPL-2.0
# Suite "faults": every DOE fault of the sample mailbox through lock,
# accept and an evidence refresh (the link suite drives them through
# connect), a TDISP ERROR state, a session lost under a lock, an interface
# left locked behind the kernel's back, and removal in the middle of a lock and
# of an evidence dump.  Sourced by devsec.sh.
#
# Each one-shot fault must hit an exchange of the operation (the fault
# file then reads "none 0"), fail it with the fault's errno, leave the
# device unlocked (lock), not accepted (accept) or with its evidence
# unchanged (refresh), and the same operation without the fault must then
# succeed.  The debug kernel's KASAN and kmemleak check that nothing leaks.

# fault:errno of lock and accept: the devsec TSM fails every bad response
# with EIO
FAULTS_TVM="error:EIO busy:EIO timeout:EIO truncate:EIO corrupt-length:EIO
	garbage:EIO oversize:EIO reset:EIO"
# fault:errno of an evidence refresh (link TSM): a garbage response no
# longer carries the SPDM version negotiated, EPROTO
FAULTS_LINK="error:EIO busy:EIO timeout:EIO truncate:EIO corrupt-length:EIO
	garbage:EPROTO oversize:EIO reset:EIO"

# the race_* helpers
declare -F race_write >/dev/null ||
	RACES_HELPERS_ONLY=1 . "${BASH_SOURCE[0]%/*}/60-races.sh"

# faults_fired DESC FAULT_FILE: the one-shot fault armed in FAULT_FILE hit
# an exchange
faults_fired()
{
	local left=

	read -r left 2>/dev/null <"$2"
	check_eq "$1" "none 0" "$left"
}

FAULTS_EV=/lib/modules/$(uname -r)/devsec/tsm-evidence
FAULTS_RAW=$DEVSEC_LIB_DIR/evidence_dump
[ -x "$FAULTS_RAW" ] || FAULTS_RAW=/lib/modules/$(uname -r)/devsec/evidence_dump

# faults_ev NAME [ARGS...]: the measurements of DSM0 into /tmp/faults/NAME
# with tools/pci/tsm-evidence (fast to start, unlike python); its exit
# status, and its error message on stdout
faults_ev()
{
	local name=$1

	shift
	rm -f "/tmp/faults/$name"
	"$FAULTS_EV" dump -d "$DSM0" -t measurements -o "/tmp/faults/$name" \
		"$@" 2>&1 >/dev/null
}

faults_lock_accept()
{
	local dtsm=$1 fault=$2 fe f e rc

	for fe in $FAULTS_TVM; do
		f=${fe%:*} e=${fe#*:}
		echo "$f 1" >"$fault"
		rc=$(write_errno "$dtsm" "$(tsm_attr "$DSM0" lock)")
		faults_fired "[faults] fault '$f' hit the lock" "$fault"
		echo none >"$fault"
		check_eq "[faults] lock fails $e with fault '$f'" "$e" "$rc"
		check_eq "[faults] $DSM0 unlocked after lock fault '$f'" "" \
			"$(read_attr "$(tsm_attr "$DSM0" lock)")"
		check_errno "[faults] lock once fault '$f' is cleared" 0 "$dtsm" \
			"$(tsm_attr "$DSM0" lock)"

		echo "$f 1" >"$fault"
		rc=$(write_errno 1 "$(tsm_attr "$DSM0" accept)")
		faults_fired "[faults] fault '$f' hit the accept" "$fault"
		echo none >"$fault"
		check_eq "[faults] accept fails $e with fault '$f'" "$e" "$rc"
		check_eq "[faults] $DSM0 not accepted after fault '$f'" 0 \
			"$(read_attr "$(tsm_attr "$DSM0" accept)")"
		check_fail "[faults] no encrypted MMIO after accept fault '$f'" \
			grep -q 'PCI MMIO Encrypted' /proc/iomem
		# the device may have left CONFIG_LOCKED: start over
		write_errno "$dtsm" "$(tsm_attr "$DSM0" unlock)" >/dev/null
		check_errno "[faults] relock after accept fault '$f'" 0 "$dtsm" \
			"$(tsm_attr "$DSM0" lock)"
		check_errno "[faults] accept once fault '$f' is cleared" 0 1 \
			"$(tsm_attr "$DSM0" accept)"
		check_errno "[faults] unlock after fault '$f'" 0 "$dtsm" \
			"$(tsm_attr "$DSM0" unlock)"
	done
}

# faults_exchanges: DOE exchanges DSM0's mailbox completed so far
faults_exchanges()
{
	sed -n 's/^doe exchanges: //p' "/sys/kernel/debug/devsec/$DSM0/spdm"
}

# A MAC failure ends the SPDM session (DSP0277).  One on the response to
# LOCK_INTERFACE, which the device carried out, must not leave the
# interface locked behind the kernel's back: the unlock after the failed
# lock opens a new session to stop it.  And a lock that finds the
# interface locked, running or in ERROR without it stops it first.
faults_lost_session()
{
	local dtsm=$1 fault=$2 tdisp=/sys/kernel/debug/devsec/$DSM0/tdisp
	local n0 n1 rc st

	# LOCK_INTERFACE is the last exchange but one of a lock
	n0=$(faults_exchanges)
	check_errno "[faults] lock $DSM0, counting its exchanges" 0 "$dtsm" \
		"$(tsm_attr "$DSM0" lock)"
	n1=$(faults_exchanges)
	check_errno "[faults] unlock $DSM0" 0 "$dtsm" "$(tsm_attr "$DSM0" unlock)"
	echo "mac 1 $((n1 - n0 - 2))" >"$fault"
	rc=$(write_errno "$dtsm" "$(tsm_attr "$DSM0" lock)")
	faults_fired "[faults] MAC failure on the response to LOCK_INTERFACE" \
		"$fault"
	echo none >"$fault"
	check_eq "[faults] lock fails EBADMSG on the MAC failure" EBADMSG "$rc"
	check_eq "[faults] the lost session left the interface unlocked" \
		CONFIG_UNLOCKED "$(read_attr "$tdisp")"
	check_eq "[faults] no lock after the MAC failure" "" \
		"$(read_attr "$(tsm_attr "$DSM0" lock)")"
	check_errno "[faults] lock after the MAC failure" 0 "$dtsm" \
		"$(tsm_attr "$DSM0" lock)"
	check_errno "[faults] unlock after the MAC failure" 0 "$dtsm" \
		"$(tsm_attr "$DSM0" unlock)"

	# The session lost under a lock: accept fails until unlock, which
	# opens a new session to stop the interface
	check_errno "[faults] lock $DSM0 for a MAC failure on accept" 0 \
		"$dtsm" "$(tsm_attr "$DSM0" lock)"
	echo "mac 1" >"$fault"
	rc=$(write_errno 1 "$(tsm_attr "$DSM0" accept)")
	faults_fired "[faults] MAC failure on the accept" "$fault"
	echo none >"$fault"
	check_eq "[faults] accept fails EBADMSG on the MAC failure" EBADMSG "$rc"
	check_errno "[faults] accept without a session fails EIO" EIO 1 \
		"$(tsm_attr "$DSM0" accept)"
	check_eq "[faults] still locked without a session" "$dtsm" \
		"$(read_attr "$(tsm_attr "$DSM0" lock)")"
	check_errno "[faults] unlock without a session" 0 "$dtsm" \
		"$(tsm_attr "$DSM0" unlock)"
	check_eq "[faults] unlock without a session stopped the interface" \
		CONFIG_UNLOCKED "$(read_attr "$tdisp")"

	check_errno "[faults] forcing TDISP state 'bogus' fails EINVAL" EINVAL \
		bogus "$tdisp"
	for st in CONFIG_LOCKED RUN ERROR; do
		check_errno "[faults] force $DSM0's interface to $st" 0 "$st" \
			"$tdisp"
		check_errno "[faults] lock $DSM0 found in $st" 0 "$dtsm" \
			"$(tsm_attr "$DSM0" lock)"
		check_eq "[faults] CONFIG_LOCKED after the lock from $st" \
			CONFIG_LOCKED "$(read_attr "$tdisp")"
		check_errno "[faults] accept $DSM0 locked from $st" 0 1 \
			"$(tsm_attr "$DSM0" accept)"
		check_errno "[faults] unlock $DSM0 locked from $st" 0 "$dtsm" \
			"$(tsm_attr "$DSM0" unlock)"
	done
	check_eq "[faults] CONFIG_UNLOCKED after the forced states" \
		CONFIG_UNLOCKED "$(read_attr "$tdisp")"
}

# A config write to a locked function moves its interface to ERROR
faults_tdisp_error()
{
	local dtsm=$1 cfg

	cfg=$(pci_sysfs "$DSM0")/config
	check_errno "[faults] lock $DSM0" 0 "$dtsm" "$(tsm_attr "$DSM0" lock)"
	# BAR 0 written with its own value: still a change to a locked BAR
	check "[faults] config write to the locked $DSM0's BAR 0" \
		dd if="$cfg" of="$cfg" bs=4 skip=4 seek=4 count=1 conv=notrunc \
		status=none
	check_eq "[faults] TDISP state ERROR" ERROR \
		"$(read_attr "/sys/kernel/debug/devsec/$DSM0/tdisp")"
	check_errno "[faults] accept of an interface in ERROR fails EIO" EIO 1 \
		"$(tsm_attr "$DSM0" accept)"
	check_eq "[faults] not accepted" 0 \
		"$(read_attr "$(tsm_attr "$DSM0" accept)")"
	check_errno "[faults] unlock from ERROR" 0 "$dtsm" \
		"$(tsm_attr "$DSM0" unlock)"
	check_eq "[faults] TDISP state CONFIG_UNLOCKED after unlock" \
		CONFIG_UNLOCKED \
		"$(read_attr "/sys/kernel/debug/devsec/$DSM0/tdisp")"
}

faults_refresh()
{
	local link=$1 fault=$2 fe f e r n=11

	check_errno "[faults] connect $DSM0" 0 "$link" \
		"$(tsm_attr "$DSM0" connect)"
	faults_ev base
	for fe in $FAULTS_LINK; do
		f=${fe%:*} e=${fe#*:}
		n=$((n + 1))
		echo "$f 1" >"$fault"
		r=$(faults_ev bad --nonce "$n$n")
		faults_fired "[faults] fault '$f' hit the refresh" "$fault"
		echo none >"$fault"
		race_errno "$r"
		check_eq "[faults] refresh fails $e with fault '$f'" "$e" \
			"$RACE_ERRNO"
		faults_ev after
		check "[faults] measurements unchanged by a failed refresh ('$f')" \
			cmp -s /tmp/faults/base /tmp/faults/after
		if [ "$f" = reset ]; then
			# the device lost its SPDM state: connect again
			write_errno "$link" "$(tsm_attr "$DSM0" disconnect)" \
				>/dev/null
			check_errno "[faults] reconnect after a reset" 0 "$link" \
				"$(tsm_attr "$DSM0" connect)"
		fi
		check "[faults] refresh once fault '$f' is cleared" \
			faults_ev good --nonce "$n$n"
		faults_ev base
	done
	check_errno "[faults] disconnect $DSM0" 0 "$link" \
		"$(tsm_attr "$DSM0" disconnect)"
}

# faults_dump OUT: an evidence dump of DSM0 with a nonce, so a refresh
# that waits on the stalled mailbox, in the background: $! is
# tsm-evidence itself, its error message goes to OUT
faults_dump()
{
	"$FAULTS_EV" dump -d "$DSM0" -t measurements --nonce abcd -o /dev/null \
		>/dev/null 2>"$1" &
}

# faults_dump_loop FAULT OUT: in the background, one process (the
# selftests' evidence_dump) that stalls the mailbox through FAULT and
# refreshes the measurements of DSM0 (an evidence dump with a nonce),
# again and again while the refresh fails with EIO (the stall ran out,
# nothing hit it): a refresh is then in the mailbox at nearly every
# moment, however long the racing modprobe takes to start (seconds on the
# debug kernel).  A new process per attempt would leave gaps of seconds
# there.  OUT gets one line per dump, "0" or the strerror() text, for
# race_loop_result, which also stops it (at the latest after 120 dumps).
faults_dump_loop()
{
	: >"$2"
	RACE_LOOPS=$((RACE_LOOPS + 1))
	"$FAULTS_RAW" -d "$DSM0" -m $((1 << 9)) -f 0 -n abcd -R 120 \
		-w "$1=timeout 1" -s "$2.stop$RACE_LOOPS" >>"$2" 2>&1 &
}

faults_races()
{
	local dtsm=$1 link=$2 fault=$3 out=/tmp/faults/race.out pid try
	local lock0=/sys/bus/pci/devices/$DSM0/tsm/lock

	# hot-remove the DSM while its lock waits on the mailbox (again when
	# the removal came too late: race_again)
	for ((try = 1; try <= RACE_TRIES; try++)); do
		echo 'timeout 1' >"$fault"
		race_trace_on
		race_write "$dtsm" "$lock0" "$out"
		pid=$!
		race_check_doe "[faults] lock of $DSM0 waits in a DOE exchange" $pid
		race_remove "[faults] remove $DSM0 during lock" "$DSM0"
		race_result $pid "$out"
		race_trace_off "$DSM0" lock
		race_again -19 $try || break
		echo 1 >/sys/bus/pci/rescan
	done
	check_eq "[faults] lock interrupted by the removal fails ENODEV" \
		ENODEV "$RACE_ERRNO"
	race_check_abort "[faults] the removal aborted the lock" -19
	echo none >"$fault" 2>/dev/null
	check "[faults] rescan" sh -c 'echo 1 >/sys/bus/pci/rescan'
	check_eq "[faults] $DSM0 comes back unlocked" "" \
		"$(read_attr "$lock0")"

	# unload the devsec TSM while a lock waits on the mailbox.  On a slow
	# guest the unload may start only once the exchange has timed out
	# and end before the next lock starts: nothing overlapped (EACCES,
	# the attribute went with the TSM), so the race is run again.
	for ((try = 1; try <= RACE_TRIES; try++)); do
		race_trace_on
		race_write_loop "$dtsm" "$fault" "$lock0" "$out"
		pid=$!
		race_check_doe "[faults] lock of $DSM0 waits in a DOE exchange" $pid
		race_phase $try
		check "[faults] modprobe -r devsec_tsm during lock" \
			modprobe -r devsec_tsm
		race_loop_result $pid "$out"
		race_trace_off "$DSM0" lock
		echo none >"$fault"
		race_again -125 $try || break
		modprobe devsec_tsm
		dtsm=$(tsm_by_mode devsec)
	done
	check_eq "[faults] lock cut short by the unload fails ECANCELED" \
		ECANCELED "$RACE_ERRNO"
	race_check_abort "[faults] the unload aborted the lock" -125
	check "[faults] no devsec TSM left" test -z "$(tsm_by_mode devsec)"
	check "[faults] modprobe devsec_tsm again" modprobe devsec_tsm

	# hot-remove the DSM while an evidence refresh waits on the mailbox
	for ((try = 1; try <= RACE_TRIES; try++)); do
		check_errno "[faults] connect $DSM0 for the dump race" 0 \
			"$link" "$(tsm_attr "$DSM0" connect)"
		echo 'timeout 1' >"$fault"
		race_trace_on
		faults_dump "$out"
		pid=$!
		race_check_doe "[faults] refresh of $DSM0 waits in a DOE exchange" $pid
		race_remove "[faults] remove $DSM0 during an evidence dump" "$DSM0"
		race_result $pid "$out"
		race_trace_off "$DSM0" refresh
		race_again -19 $try || break
		echo none >"$fault" 2>/dev/null
		echo 1 >/sys/bus/pci/rescan
	done
	check_eq "[faults] dump interrupted by the removal fails ENODEV" \
		ENODEV "$RACE_ERRNO"
	race_check_abort "[faults] the removal aborted the refresh" -19
	echo none >"$fault" 2>/dev/null
	check "[faults] rescan after the dump race" \
		sh -c 'echo 1 >/sys/bus/pci/rescan'
	check_eq "[faults] $DSM0 comes back disconnected" "" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check "[faults] and without evidence" \
		grep -q 'No such device or address' <<<"$(faults_ev none)"

	# unload the link TSM while an evidence refresh waits (again when the
	# unload landed between two refreshes: race_again)
	for ((try = 1; try <= RACE_TRIES; try++)); do
		check_errno "[faults] connect $DSM0 again ($try)" 0 \
			"$link" "$(tsm_attr "$DSM0" connect)"
		race_trace_on
		faults_dump_loop "$fault" "$out"
		pid=$!
		race_check_doe \
			"[faults] refresh of $DSM0 waits in a DOE exchange ($try)" $pid
		race_phase $try
		check "[faults] modprobe -r devsec_link_tsm during a dump ($try)" \
			modprobe -r devsec_link_tsm
		race_loop_result $pid "$out"
		race_trace_off "$DSM0" refresh
		echo none >"$fault"
		race_again -125 $try || break
		modprobe devsec_link_tsm
		link=$(tsm_by_mode link)
	done
	check_eq "[faults] dump cut short by the unload fails ECANCELED" \
		ECANCELED "$RACE_ERRNO"
	race_check_abort "[faults] the unload aborted the refresh" -125
	check "[faults] no evidence after the link TSM is gone" \
		grep -q 'No such device or address' <<<"$(faults_ev none)"
}

faults_suite()
{
	local fault=/sys/kernel/debug/devsec/$DSM0/fault dtsm link

	unload_all
	load_order bus
	if ! modprobe devsec_tsm; then
		not_ok "[faults] modprobe devsec_tsm"
		unload_all
		return
	fi
	ok "[faults] modprobe devsec_tsm"
	dtsm=$(tsm_by_mode devsec)
	link=$(tsm_by_mode link)
	mkdir -p /tmp/faults
	faults_lock_accept "$dtsm" "$fault"
	faults_tdisp_error "$dtsm"
	faults_lost_session "$dtsm" "$fault"
	faults_refresh "$link" "$fault"
	faults_races "$dtsm" "$link" "$fault"
	echo none >"/sys/kernel/debug/devsec/$DSM0/fault" 2>/dev/null
	rm -rf /tmp/faults
	unload_all
}

faults_suite
