# SPDX-License-Identifier: GPL-2.0
# Suite "faults": every DOE fault of the sample mailbox through lock,
# accept and an evidence refresh (the link suite drives them through
# connect), a TDISP ERROR state, and removal in the middle of a lock and
# of an evidence dump.  Sourced by devsec.sh.
#
# Each fault must fail the operation with an errno, leave the device
# unlocked (lock), not accepted (accept) or with its evidence unchanged
# (refresh), and the same operation without the fault must then succeed.
# The debug kernel's KASAN and kmemleak check that nothing leaks.

FAULTS="error busy timeout truncate corrupt-length garbage oversize reset"

# faults_ev NAME [ARGS...]: the measurements of DSM0 into /tmp/faults/NAME
# with tools/pci/tsm-evidence (fast to start, unlike python); its exit
# status, and its error message on stdout
faults_ev()
{
	local name=$1

	shift
	rm -f "/tmp/faults/$name"
	"/lib/modules/$(uname -r)/devsec/tsm-evidence" dump -d "$DSM0" \
		-t measurements -o "/tmp/faults/$name" "$@" 2>&1 >/dev/null
}

faults_lock_accept()
{
	local dtsm=$1 fault=$2 f rc

	for f in $FAULTS; do
		echo "$f 1" >"$fault"
		rc=$(write_errno "$dtsm" "$(tsm_attr "$DSM0" lock)")
		echo none >"$fault"
		check "[faults] lock fails with fault '$f' ($rc)" test "$rc" != 0
		check_eq "[faults] $DSM0 unlocked after lock fault '$f'" "" \
			"$(read_attr "$(tsm_attr "$DSM0" lock)")"
		check_errno "[faults] lock once fault '$f' is cleared" 0 "$dtsm" \
			"$(tsm_attr "$DSM0" lock)"

		echo "$f 1" >"$fault"
		rc=$(write_errno 1 "$(tsm_attr "$DSM0" accept)")
		echo none >"$fault"
		check "[faults] accept fails with fault '$f' ($rc)" test "$rc" != 0
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

# A config write to a locked function moves its interface to ERROR
faults_tdisp_error()
{
	local dtsm=$1 cfg rc

	cfg=$(pci_sysfs "$DSM0")/config
	check_errno "[faults] lock $DSM0" 0 "$dtsm" "$(tsm_attr "$DSM0" lock)"
	# BAR 0 written with its own value: still a change to a locked BAR
	check "[faults] config write to the locked $DSM0's BAR 0" \
		dd if="$cfg" of="$cfg" bs=4 skip=4 seek=4 count=1 conv=notrunc \
		status=none
	check_eq "[faults] TDISP state ERROR" ERROR \
		"$(read_attr "/sys/kernel/debug/devsec/$DSM0/tdisp")"
	rc=$(write_errno 1 "$(tsm_attr "$DSM0" accept)")
	check "[faults] accept of an interface in ERROR fails ($rc)" \
		test "$rc" != 0
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
	local link=$1 fault=$2 f r n=11

	check_errno "[faults] connect $DSM0" 0 "$link" \
		"$(tsm_attr "$DSM0" connect)"
	faults_ev base
	for f in $FAULTS; do
		n=$((n + 1))
		echo "$f 1" >"$fault"
		r=$(faults_ev bad --nonce "$n$n")
		echo none >"$fault"
		check "[faults] refresh fails with fault '$f' (${r#*: *: })" \
			grep -q '^tsm-evidence: ' <<<"$r"
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

# faults_dump_race FAULT OUT WHAT DESC CMD...: run CMD (described as WHAT)
# while an evidence dump with a nonce waits on the stalled mailbox of DSM0;
# the dump (DESC) must fail.  OUT is a scratch file.
faults_dump_race()
{
	local fault=$1 out=$2 what=$3 desc=$4 pid

	shift 4
	echo 'timeout 1' >"$fault"
	("/lib/modules/$(uname -r)/devsec/tsm-evidence" dump -d "$DSM0" \
		-t measurements --nonce abcd -o /dev/null >"$out" 2>&1
	 echo "rc=$?" >>"$out") &
	pid=$!
	race_wait_inflight $pid
	devsec_sleep 0.3
	check "[faults] $what during an evidence dump" "$@"
	wait $pid
	echo none >"$fault"
	check "[faults] $desc failed ($(head -n 1 "$out"))" grep -qx 'rc=1' "$out"
}

faults_races()
{
	local dtsm=$1 link=$2 fault=$3 out=/tmp/faults/race.out pid rc

	# hot-remove the DSM while its lock waits on the mailbox
	echo 'timeout 1' >"$fault"
	race_bg_write "$dtsm" "$(tsm_attr "$DSM0" lock)" "$out"
	pid=$!
	race_wait_inflight $pid
	check "[faults] remove $DSM0 during lock" \
		sh -c "echo 1 >$(pci_sysfs "$DSM0")/remove"
	wait $pid
	rc=$(cat "$out")
	check "[faults] interrupted lock failed ($rc)" test "$rc" != 0
	echo none >"$fault"
	check "[faults] rescan" sh -c 'echo 1 >/sys/bus/pci/rescan'
	check_eq "[faults] $DSM0 comes back unlocked" "" \
		"$(read_attr "$(tsm_attr "$DSM0" lock)")"

	# unload the devsec TSM while a lock waits on the mailbox
	fault=/sys/kernel/debug/devsec/$DSM0/fault
	echo 'timeout 1' >"$fault"
	race_bg_write "$dtsm" "$(tsm_attr "$DSM0" lock)" "$out"
	pid=$!
	race_wait_inflight $pid
	check "[faults] modprobe -r devsec_tsm during lock" \
		modprobe -r devsec_tsm
	wait $pid
	echo none >"$fault"
	check "[faults] lock during unload failed ($(cat "$out"))" \
		test "$(cat "$out")" != 0
	check "[faults] no devsec TSM left" test -z "$(tsm_by_mode devsec)"
	check "[faults] modprobe devsec_tsm again" modprobe devsec_tsm

	# hot-remove the DSM while an evidence refresh waits on the mailbox
	check_errno "[faults] connect $DSM0 for the dump race" 0 "$link" \
		"$(tsm_attr "$DSM0" connect)"
	faults_dump_race "$fault" "$out" "remove $DSM0" "interrupted dump" \
		sh -c "echo 1 >$(pci_sysfs "$DSM0")/remove"
	check "[faults] rescan after the dump race" \
		sh -c 'echo 1 >/sys/bus/pci/rescan'
	check_eq "[faults] $DSM0 comes back disconnected" "" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check "[faults] and without evidence" \
		grep -q 'No such device or address' <<<"$(faults_ev none)"

	# unload the link TSM while an evidence refresh waits
	fault=/sys/kernel/debug/devsec/$DSM0/fault
	check_errno "[faults] connect $DSM0 again" 0 "$link" \
		"$(tsm_attr "$DSM0" connect)"
	faults_dump_race "$fault" "$out" "modprobe -r devsec_link_tsm" \
		"dump during unload" \
		modprobe -r devsec_link_tsm
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
	faults_refresh "$link" "$fault"
	faults_races "$dtsm" "$link" "$fault"
	echo none >"/sys/kernel/debug/devsec/$DSM0/fault" 2>/dev/null
	rm -rf /tmp/faults
	unload_all
}

faults_suite
