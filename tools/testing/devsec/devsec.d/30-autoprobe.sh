# SPDX-License-Identifier: GPL-2.0
# Suite "autoprobe": the module autoprobe policy with the ordinary sample
# driver devsec_pci, which matches the sample endpoint only through
# driver_override, and the test drivers of devsec_aptest (a probe that
# defers, a driver registered without an owner).  Sourced by devsec.sh.

AP_PARAM=/sys/module/module/parameters/modules_autoprobe
AP_DRV=/sys/bus/pci/drivers/devsec_pci
AP_TEST=/sys/bus/pci/drivers/devsec_aptest
AP_NOOWNER=/sys/bus/pci/drivers/devsec_aptest_noowner
AP_PROBE=/sys/bus/pci/drivers_probe

# ap_driver DEV: name of the driver bound to DEV, empty when none, an
# error marker when DEV does not exist (not "unbound")
ap_driver()
{
	local p l

	p=$(pci_sysfs "$1")
	[ -d "$p" ] || { echo "<no device $1>"; return; }
	[ -L "$p/driver" ] || return 0
	l=$(readlink "$p/driver") && echo "${l##*/}"
}

# ap_wait_driver DEV DRIVER: ap_driver DEV once it is DRIVER, or after
# two seconds (the deferred probe runs from a workqueue)
ap_wait_driver()
{
	local i drv

	for ((i = 0; i < 20; i++)); do
		drv=$(ap_driver "$1")
		[ "$drv" = "$2" ] && break
		devsec_sleep 0.1
	done
	echo "$drv"
}

# ap_deferred DEV: "yes" when DEV is on the deferred probe list, "no"
# when not (no process: they cost seconds on the debug kernel)
ap_deferred()
{
	local name rest

	while read -r name rest; do
		[ "$name" = "$1" ] && { echo yes; return; }
	done </sys/kernel/debug/devices_deferred
	echo no
}

# ap_override DEV DRIVER: set DEV's driver_override
ap_override()
{
	printf '%s' "$2" >"$(pci_sysfs "$1")/driver_override"
}

# A bind whose probe defers is retried by the deferred probe even with
# autoprobe=0; a driver registered without an owner follows its module's
# autoprobe= (drivers/base/dd.c).  Runs with devsec_bus loaded and
# nothing bound to $FN1 and $DSM1.
autoprobe_aptest()
{
	local d=$FN1 t=$DSM1

	check "[aptest] modprobe devsec_aptest autoprobe=0 defer=1" \
		modprobe devsec_aptest autoprobe=0 defer=1
	check "[aptest] driver_override of $d" \
		ap_override "$d" devsec_aptest
	check "[aptest] driver_override of $t" ap_override "$t" devsec_aptest
	check_eq "[aptest] nothing bound at load" "" \
		"$(ap_driver "$d")$(ap_driver "$t")"
	check_errno "[aptest] bind of $d whose probe defers fails EAGAIN" \
		EAGAIN "$d" "$AP_TEST/bind"
	check_eq "[aptest] $d unbound after the deferral" "" "$(ap_driver "$d")"
	check_eq "[aptest] $d is on the deferred probe list" yes \
		"$(ap_deferred "$d")"
	# a successful bind anywhere runs the deferred probe
	check_errno "[aptest] bind of $t" 0 "$t" "$AP_TEST/bind"
	check_eq "[aptest] deferred $d retried and bound" devsec_aptest \
		"$(ap_wait_driver "$d" devsec_aptest)"
	check_eq "[aptest] 3 probes: deferred, $t, retry" 3 \
		"$(<"/sys/module/devsec_aptest/parameters/probes")"
	check_eq "[aptest] $d left the deferred probe list" no \
		"$(ap_deferred "$d")"
	check "[aptest] modprobe -r devsec_aptest (bound)" \
		modprobe -r devsec_aptest

	check "[aptest] driver_override of $d to the owner-less driver" \
		ap_override "$d" devsec_aptest_noowner
	check "[aptest] modprobe devsec_aptest autoprobe=0" \
		modprobe devsec_aptest autoprobe=0
	check_eq "[aptest] owner-less driver not bound at load" "" \
		"$(ap_driver "$d")"
	check_errno "[aptest] drivers_probe of $d fails EPERM (owner-less)" \
		EPERM "$d" "$AP_PROBE"
	check_eq "[aptest] still unbound" "" "$(ap_driver "$d")"
	check_errno "[aptest] manual bind of the owner-less driver" 0 "$d" \
		"$AP_NOOWNER/bind"
	check_eq "[aptest] $d bound to it" devsec_aptest_noowner \
		"$(ap_driver "$d")"
	check "[aptest] modprobe -r devsec_aptest (owner-less bound)" \
		modprobe -r devsec_aptest
	check "[aptest] modprobe devsec_aptest autoprobe=1" \
		modprobe devsec_aptest autoprobe=1
	check_eq "[aptest] owner-less driver bound at load with autoprobe=1" \
		devsec_aptest_noowner "$(ap_driver "$d")"
	check "[aptest] modprobe -r devsec_aptest" modprobe -r devsec_aptest
	ap_override "$d" "" 2>/dev/null
	ap_override "$t" "" 2>/dev/null
}

autoprobe_suite()
{
	local d=$FN1 bar

	unload_all
	modprobe -r devsec_pci 2>/dev/null
	check "[autoprobe] modules_autoprobe parameter exists" test -f "$AP_PARAM"
	check_eq "[autoprobe] modules_autoprobe defaults to Y" Y \
		"$(cat "$AP_PARAM" 2>&1)"
	check_errno "[autoprobe] modules_autoprobe rejects 'bogus'" EINVAL \
		bogus "$AP_PARAM"
	check "[autoprobe] modprobe devsec_bus" modprobe devsec_bus

	bar=$(printf '%x' "$(awk '{ print $1; exit }' "$(pci_sysfs "$d")/resource")")
	check "[autoprobe] $d BAR 0 ($bar) is in /proc/iomem" \
		grep -q "^ *0*$bar-.* : $d\$" /proc/iomem

	check_fail "[autoprobe] modprobe devsec_pci autoprobe=bogus fails" \
		modprobe devsec_pci autoprobe=bogus
	check "[autoprobe] devsec_pci not loaded after the bad value" \
		test ! -e /sys/module/devsec_pci

	# Without driver_override the driver matches nothing
	check "[autoprobe] modprobe devsec_pci" modprobe devsec_pci
	check_eq "[autoprobe] $d unbound without driver_override" "" \
		"$(ap_driver "$d")"
	check_errno "[autoprobe] drivers_probe of $d with no matching driver succeeds" \
		0 "$d" "$AP_PROBE"
	check "[autoprobe] modprobe -r devsec_pci" modprobe -r devsec_pci

	# driver_override + autoprobe=0: registered, not attached
	check "[autoprobe] set driver_override of $d" \
		sh -c "echo devsec_pci >$(pci_sysfs "$d")/driver_override"
	check "[autoprobe] modprobe devsec_pci autoprobe=0" \
		modprobe devsec_pci autoprobe=0
	check "[autoprobe] devsec_pci driver registered" test -d "$AP_DRV"
	check_eq "[autoprobe] $d stays unbound" "" "$(ap_driver "$d")"
	# drivers_probe never binds an autoprobe=0 driver, driver_override
	# or not; the request fails EPERM rather than look like success
	check_errno "[autoprobe] drivers_probe of $d fails EPERM" EPERM "$d" \
		"$AP_PROBE"
	check_eq "[autoprobe] drivers_probe does not bind it either" "" \
		"$(ap_driver "$d")"
	check_errno "[autoprobe] manual bind of $d" 0 "$d" "$AP_DRV/bind"
	check_eq "[autoprobe] $d bound to devsec_pci" devsec_pci \
		"$(ap_driver "$d")"
	check_errno "[autoprobe] second bind fails EBUSY" EBUSY "$d" \
		"$AP_DRV/bind"
	check_errno "[autoprobe] unbind of $d" 0 "$d" "$AP_DRV/unbind"
	check_eq "[autoprobe] $d unbound again" "" "$(ap_driver "$d")"
	check "[autoprobe] modprobe -r devsec_pci" modprobe -r devsec_pci

	# autoprobe=1 (the default): driver_override binds at load
	check "[autoprobe] modprobe devsec_pci autoprobe=1" \
		modprobe devsec_pci autoprobe=1
	check_eq "[autoprobe] $d bound at load" devsec_pci "$(ap_driver "$d")"
	check "[autoprobe] modprobe -r devsec_pci (bound)" modprobe -r devsec_pci
	check_eq "[autoprobe] $d unbound by the unload" "" "$(ap_driver "$d")"

	# The global default
	check_errno "[autoprobe] modules_autoprobe=0" 0 0 "$AP_PARAM"
	check "[autoprobe] modprobe devsec_pci (global default 0)" \
		modprobe devsec_pci
	check_eq "[autoprobe] $d stays unbound" "" "$(ap_driver "$d")"
	check "[autoprobe] modprobe -r devsec_pci" modprobe -r devsec_pci
	check "[autoprobe] autoprobe=1 overrides the global 0" \
		modprobe devsec_pci autoprobe=1
	check_eq "[autoprobe] $d bound" devsec_pci "$(ap_driver "$d")"
	check "[autoprobe] modprobe -r devsec_pci" modprobe -r devsec_pci
	check_errno "[autoprobe] modules_autoprobe=1" 0 1 "$AP_PARAM"

	autoprobe_aptest

	# Device removal and rescan with autoprobe=0: still not bound
	check "[autoprobe] modprobe devsec_pci autoprobe=0" \
		modprobe devsec_pci autoprobe=0
	check "[autoprobe] remove $d" \
		sh -c "echo 1 >$(pci_sysfs "$d")/remove"
	check "[autoprobe] rescan" sh -c 'echo 1 >/sys/bus/pci/rescan'
	check "[autoprobe] set driver_override of the new $d" \
		sh -c "echo devsec_pci >$(pci_sysfs "$d")/driver_override"
	check_errno "[autoprobe] drivers_probe of the rescanned $d fails EPERM" \
		EPERM "$d" "$AP_PROBE"
	check_eq "[autoprobe] rescanned $d stays unbound" "" "$(ap_driver "$d")"
	check_errno "[autoprobe] manual bind after rescan" 0 "$d" "$AP_DRV/bind"
	# unload order: the bus (and the bound device) first
	check "[autoprobe] modprobe -r devsec_bus with devsec_pci bound" \
		modprobe -r devsec_bus
	check "[autoprobe] modprobe -r devsec_pci" modprobe -r devsec_pci
	unload_all
}

autoprobe_suite
