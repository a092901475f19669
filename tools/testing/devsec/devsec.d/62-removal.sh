# SPDX-License-Identifier: GPL-2.0
# Suite "removal": what a device leaves behind when a connect fails or
# when it goes away, and a state-changing tsm/ write that waits for the
# device lock while the device is being removed.  Sourced by devsec.sh.
#
# The writer race: a request that sits on the stalled mailbox (the sample's
# "timeout" fault: 1 s) holds the DSM's device lock; the root port above
# the DSM is removed, which queues on that lock to release the DSM's
# driver and then stops the root port before it destroys the DSM; an
# unlock or disconnect writer queues behind it.  The writer thus gets
# the lock while the removal is on its way to pci_tsm_destroy(), which
# must neither use the context the writer tore down nor let the writer
# change a device that is being removed.

REMOVAL_NOEV="No such device or address"

# removal_ev DEV [ARGS...]: dump DEV's cert0 evidence with
# tools/pci/tsm-evidence; "ok" when it succeeded, "none" when DEV has no
# evidence (ENXIO), else the error message
removal_ev()
{
	local dev=$1 r

	shift
	r=$("/lib/modules/$(uname -r)/devsec/tsm-evidence" dump -d "$dev" \
		-t cert0 -o /dev/null "$@" 2>&1 >/dev/null) && r=ok
	[[ $r == *"$REMOVAL_NOEV"* ]] && r=none
	echo "$r"
}

# removal_session DEV: the state of the sample device's SPDM session
# (debugfs devsec/DEV/spdm: none, handshake or established)
removal_session()
{
	local line

	while read -r line; do
		[[ $line == session:* ]] || continue
		line=${line#session: }
		echo "${line%% *}"
		return
	done <"/sys/kernel/debug/devsec/$1/spdm"
	echo "<unreadable>"
}

# removal_exchanges DEV: DOE exchanges the sample device has answered
removal_exchanges()
{
	local line

	while read -r line; do
		[[ $line == "doe exchanges: "* ]] || continue
		echo "${line#doe exchanges: }"
		return
	done <"/sys/kernel/debug/devsec/$1/spdm"
	echo "<unreadable>"
}

# removal_tdisp DEV: the sample device's TDISP interface state
removal_tdisp()
{
	cat "/sys/kernel/debug/devsec/$1/tdisp" 2>/dev/null || echo "<unreadable>"
}

# removal_echo VALUE FILE: a write without starting a process
removal_echo()
{
	echo "$1" >"$2"
}

# removal_wait_fault FILE COUNT: wait (about 10 s at most: a process
# starts slowly on the debug kernel; none is started here) until the
# fault in FILE has COUNT exchanges left, i.e. an exchange took one
removal_wait_fault()
{
	local count

	for _ in {1..500}; do
		count=
		read -r _ count <"$1" 2>/dev/null
		[ "$count" = "$2" ] && return 0
		devsec_sleep 0.02
	done
	return 1
}

# removal_wait_blocked PID: wait until the task PID sleeps in the kernel
# anywhere but on the pipe it was started on (see removal_spawn)
removal_wait_blocked()
{
	local w s

	for _ in {1..250}; do
		w=
		# no newline at the end of wchan
		read -r w <"/proc/$1/wchan" 2>/dev/null
		[ -e "/proc/$1" ] || return 1
		s=
		while IFS= read -r s; do
			[[ $s == State:* ]] && break
		done <"/proc/$1/status" 2>/dev/null
		if [[ $w != pipe_read && $w != 0 && -n $w &&
		      $s == State:*[SD]* ]]; then
			return 0
		fi
		devsec_sleep 0.02
	done
	return 1
}

# removal_wait_pipe PID: wait (about 10 s at most) until the task PID
# sleeps on its pipe, i.e. removal_spawn's writer is ready
removal_wait_pipe()
{
	local w

	for _ in {1..500}; do
		w=
		read -r w <"/proc/$1/wchan" 2>/dev/null
		[ "$w" = pipe_read ] && return 0
		devsec_sleep 0.02
	done
	return 1
}

# removal_spawn GO VALUE FILE OUT: a writer of VALUE to FILE, started
# now but writing only once a line arrives on the pipe whose descriptor
# is GO, so that no process start delays it; "rc=N" goes to OUT, the
# error message to OUT.err
removal_spawn()
{
	( read -r -u "$1" _
	  printf '%s' "$2" 2>"$4.err" >"$3"
	  echo "rc=$?" >"$4" ) &
}

# removal_errno OUT: the errno name of the writer whose output is OUT
removal_errno()
{
	local rc err=

	read -r rc <"$1" 2>/dev/null
	[ "$rc" = rc=0 ] && { echo 0; return; }
	[ -r "$1.err" ] && err=$(<"$1.err")
	errno_name "${rc:-no rc}: $err"
}

# removal_race TAG WRITE_VALUE WRITE_FILE HOLDER...: run HOLDER, a
# request that waits on the stalled mailbox of DSM0 holding its device
# lock, in the background; meanwhile remove the root port above DSM0,
# then write WRITE_VALUE to WRITE_FILE.  Everything is started before the
# holder and nothing starts a process until the writer waits: the holder
# has the mailbox for 1 s only, and a process takes seconds to start on
# the debug kernel.
removal_race()
{
	local tag=$1 value=$2 file=$3 fault rp out=/tmp/removal
	local hold rpid wpid rc held=0 rm_waits=0 wr_waits=0

	shift 3
	fault=/sys/kernel/debug/devsec/$DSM0/fault
	rp=$(realpath "$(pci_sysfs "$DSM0")")
	rp=${rp%/*}
	removal_spawn "$REMOVAL_GO_RM" 1 "$rp/remove" "$out.remove"
	rpid=$!
	removal_spawn "$REMOVAL_GO_WR" "$value" "$file" "$out.write"
	wpid=$!
	removal_wait_pipe $rpid
	removal_wait_pipe $wpid
	echo 'timeout 2' >"$fault"
	"$@" >/dev/null &
	hold=$!
	removal_wait_fault "$fault" 1 && held=1
	# The removal first, queued on DSM0's lock; then the writer
	echo >&"$REMOVAL_GO_RM"
	removal_wait_blocked $rpid && rm_waits=1
	devsec_sleep 0.1
	echo >&"$REMOVAL_GO_WR"
	removal_wait_blocked $wpid && wr_waits=1
	wait "$hold" "$rpid" "$wpid"
	echo none >"$fault" 2>/dev/null
	check_eq "[removal] $tag: the holder waited on the mailbox" 1 "$held"
	check_eq "[removal] $tag: the removal of ${rp##*/} waited" 1 "$rm_waits"
	check_eq "[removal] $tag: the writer waited" 1 "$wr_waits"
	check_eq "[removal] $tag: the removal of ${rp##*/} succeeded" rc=0 \
		"$(<"$out.remove")"
	# The removal started before the writer: whether the writer gets
	# the lock before the driver release or after, it changes nothing
	check_eq "[removal] $tag: the writer got ENODEV" ENODEV \
		"$(removal_errno "$out.write")"
	check "[removal] $tag: $DSM0 is gone" test ! -e "$(pci_sysfs "$DSM0")"
	check "[removal] $tag: rescan" removal_echo 1 /sys/bus/pci/rescan
	check "[removal] $tag: $DSM0 is back" test -d "$(pci_sysfs "$DSM0")"
	check_eq "[removal] $tag: no evidence for the new $DSM0" none \
		"$(removal_ev "$DSM0")"
	rm -f "$out".*
}

removal_suite()
{
	local link dtsm n0 nak=/sys/kernel/debug/devsec/$DSM0/ide_km_nak

	unload_all
	load_order bus
	link=$(tsm_by_mode link)
	[ -n "$link" ] || link=tsm_missing
	exec {REMOVAL_GO_RM}<> <(:)
	exec {REMOVAL_GO_WR}<> <(:)

	# 1. A connect that fails after the TSM stored evidence (the device
	# refuses its IDE keys) leaves none behind
	echo 1 >"$nak"
	check_errno "[removal] connect refused by the device fails EIO" EIO \
		"$link" "$(tsm_attr "$DSM0" connect)"
	echo 0 >"$nak"
	check_eq "[removal] no evidence after the failed connect" none \
		"$(removal_ev "$DSM0")"
	check_eq "[removal] the failed connect ended its SPDM session" none \
		"$(removal_session "$DSM0")"
	check "[removal] remove $DSM0" \
		removal_echo 1 "$(pci_sysfs "$DSM0")/remove"
	check "[removal] rescan" removal_echo 1 /sys/bus/pci/rescan
	check_eq "[removal] none for the new $DSM0 either" none \
		"$(removal_ev "$DSM0")"
	check_errno "[removal] connect $DSM0" 0 "$link" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[removal] evidence while connected" ok "$(removal_ev "$DSM0")"
	check_errno "[removal] disconnect $DSM0" 0 "$link" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_eq "[removal] none after disconnect" none "$(removal_ev "$DSM0")"

	# 1b. The orderly removal of a connected DSM tears it down on the
	# wire: the device keeps no session across the rescan
	check_errno "[removal] connect $DSM0 before removing it" 0 "$link" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[removal] $DSM0 has an SPDM session" established \
		"$(removal_session "$DSM0")"
	check "[removal] remove the connected $DSM0" \
		removal_echo 1 "$(pci_sysfs "$DSM0")/remove"
	check_eq "[removal] the removal ended the SPDM session of $DSM0" none \
		"$(removal_session "$DSM0")"
	check "[removal] rescan after removing the connected $DSM0" \
		removal_echo 1 /sys/bus/pci/rescan

	# 1c. A device that is gone (surprise removal: disconnected first)
	# gets no teardown traffic
	check_errno "[removal] connect $DSM0 before its surprise removal" 0 \
		"$link" "$(tsm_attr "$DSM0" connect)"
	n0=$(removal_exchanges "$DSM0")
	check "[removal] surprise removal of the connected $DSM0" \
		removal_echo 1 "/sys/kernel/debug/devsec/$DSM0/surprise_remove"
	check "[removal] $DSM0 is gone after its surprise removal" \
		test ! -e "$(pci_sysfs "$DSM0")"
	check_eq "[removal] nothing was sent to the disconnected $DSM0" \
		"$n0" "$(removal_exchanges "$DSM0")"
	check_eq "[removal] the disconnected $DSM0 keeps its session" \
		established "$(removal_session "$DSM0")"
	check "[removal] rescan after the surprise removal" \
		removal_echo 1 /sys/bus/pci/rescan
	check_errno "[removal] connect $DSM0 after its surprise removal" 0 \
		"$link" "$(tsm_attr "$DSM0" connect)"
	check_errno "[removal] disconnect $DSM0 after its surprise removal" 0 \
		"$link" "$(tsm_attr "$DSM0" disconnect)"

	# 2. link: a disconnect waits behind the removal; the holder is an
	# evidence refresh (a dump with a nonce)
	check_errno "[removal] connect $DSM0 for the disconnect race" 0 \
		"$link" "$(tsm_attr "$DSM0" connect)"
	removal_race disconnect "$link" "$(tsm_attr "$DSM0" disconnect)" \
		removal_ev "$DSM0" --nonce abcd
	check_eq "[removal] disconnect: $DSM0 comes back disconnected" "" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_eq "[removal] disconnect: the removal ended the SPDM session" \
		none "$(removal_session "$DSM0")"

	if ! modprobe devsec_tsm; then
		not_ok "[removal] modprobe devsec_tsm"
		unload_all
		return
	fi
	dtsm=$(tsm_by_mode devsec)

	# 3. The orderly removal of a locked DSM stops its interface
	check_errno "[removal] lock $DSM0 before removing it" 0 "$dtsm" \
		"$(tsm_attr "$DSM0" lock)"
	check_eq "[removal] $DSM0 is CONFIG_LOCKED" CONFIG_LOCKED \
		"$(removal_tdisp "$DSM0")"
	check "[removal] remove the locked $DSM0" \
		removal_echo 1 "$(pci_sysfs "$DSM0")/remove"
	check_eq "[removal] the removal stopped the interface of $DSM0" \
		CONFIG_UNLOCKED "$(removal_tdisp "$DSM0")"
	check_eq "[removal] the removal ended the SPDM session of the locked $DSM0" \
		none "$(removal_session "$DSM0")"
	check "[removal] rescan after removing the locked $DSM0" \
		removal_echo 1 /sys/bus/pci/rescan

	# 4. devsec: an unlock waits behind the removal; the holder is an
	# accept
	check_errno "[removal] lock $DSM0 for the unlock race" 0 "$dtsm" \
		"$(tsm_attr "$DSM0" lock)"
	removal_race unlock "$dtsm" "$(tsm_attr "$DSM0" unlock)" \
		write_errno 1 "$(tsm_attr "$DSM0" accept)"
	check_eq "[removal] unlock: $DSM0 comes back unlocked" "" \
		"$(read_attr "$(tsm_attr "$DSM0" lock)")"

	exec {REMOVAL_GO_RM}>&- {REMOVAL_GO_WR}>&-
	unload_all
}

removal_suite
