# SPDX-License-Identifier: GPL-2.0
# Suite "races": removal in the middle of a request.  Sourced by devsec.sh.
#
# The sample mailbox's "timeout" fault makes the responder stay silent, so
# a connect sits in pci_doe() for the DOE timeout (1 s): long enough to
# remove the device or unload a module while the request is in flight.

# race_bg_write and race_wait_inflight are in devsec.sh.

races_suite()
{
	local tsm out=/tmp/race.$$ pid rc fault=/sys/kernel/debug/devsec/$DSM0/fault

	unload_all
	load_order bus
	tsm=$(tsm_by_mode link)
	[ -n "$tsm" ] || tsm=tsm_missing

	# 1. hot-remove the DSM while its connect waits on the mailbox
	check "[races] stall $DSM0's mailbox" sh -c "echo 'timeout 1' >$fault"
	race_bg_write "$tsm" "$(tsm_attr "$DSM0" connect)" "$out"
	pid=$!
	race_wait_inflight $pid
	check "[races] remove $DSM0 during connect" \
		sh -c "echo 1 >$(pci_sysfs "$DSM0")/remove"
	wait $pid
	rc=$(cat "$out")
	check "[races] interrupted connect failed ($rc)" test "$rc" != 0
	check "[races] $DSM0 is gone" test ! -e "$(pci_sysfs "$DSM0")"
	echo none >"$fault" 2>/dev/null
	check "[races] rescan" sh -c 'echo 1 >/sys/bus/pci/rescan'
	check "[races] $DSM0 is back" test -d "$(pci_sysfs "$DSM0")"
	check_eq "[races] $DSM0 comes back disconnected" "" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_errno "[races] connect $DSM0 after the race" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_errno "[races] disconnect $DSM0" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"

	# 2. unload the link TSM while a connect is in flight
	echo 'timeout 1' >"$fault" 2>/dev/null
	race_bg_write "$tsm" "$(tsm_attr "$DSM0" connect)" "$out"
	pid=$!
	race_wait_inflight $pid
	check "[races] modprobe -r devsec_link_tsm during connect" \
		modprobe -r devsec_link_tsm
	wait $pid
	rc=$(cat "$out")
	check "[races] connect cut short by the unload failed ($rc)" \
		test "$rc" != 0
	check "[races] no TSM left" test -z "$(ls /sys/class/tsm 2>/dev/null)"
	check_eq "[races] $DSM0 link attributes gone" "<absent>" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	echo none >"$fault" 2>/dev/null
	check "[races] modprobe devsec_link_tsm again" modprobe devsec_link_tsm
	tsm=$(tsm_by_mode link)
	check_errno "[races] connect $DSM0 with the reloaded TSM" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"

	# 3. unload the bus (all devices) while a connect is in flight
	echo 'timeout 1' >"$fault" 2>/dev/null
	race_bg_write "$tsm" "$(tsm_attr "$DSM1" connect)" "$out"
	pid=$!
	race_wait_inflight $pid
	check "[races] modprobe -r devsec_bus during connect" \
		modprobe -r devsec_bus
	wait $pid
	check "[races] sample devices gone" test ! -e "$(pci_sysfs "$DSM1")"
	check "[races] modprobe devsec_bus again" modprobe devsec_bus
	check_eq "[races] $DSM0 starts disconnected" "" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_errno "[races] connect $DSM1 after bus reload" 0 "$tsm" \
		"$(tsm_attr "$DSM1" connect)"
	rm -f "$out"
	unload_all
}

races_suite
