# SPDX-License-Identifier: GPL-2.0
# Suite "autoprobe": the module autoprobe policy with the ordinary sample
# driver devsec_pci, which matches the sample endpoint only through
# driver_override.  Sourced by devsec.sh.

AP_PARAM=/sys/module/module/parameters/modules_autoprobe
AP_DRV=/sys/bus/pci/drivers/devsec_pci

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
	check "[autoprobe] modprobe -r devsec_pci" modprobe -r devsec_pci

	# driver_override + autoprobe=0: registered, not attached
	check "[autoprobe] set driver_override of $d" \
		sh -c "echo devsec_pci >$(pci_sysfs "$d")/driver_override"
	check "[autoprobe] modprobe devsec_pci autoprobe=0" \
		modprobe devsec_pci autoprobe=0
	check "[autoprobe] devsec_pci driver registered" test -d "$AP_DRV"
	check_eq "[autoprobe] $d stays unbound" "" "$(ap_driver "$d")"
	# drivers_probe attaches nothing and reports no error: the module's
	# drivers are skipped, not refused (drivers/base/dd.c)
	check_errno "[autoprobe] drivers_probe of $d succeeds" 0 "$d" \
		/sys/bus/pci/drivers_probe
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

	# Device removal and rescan with autoprobe=0: still not bound
	check "[autoprobe] modprobe devsec_pci autoprobe=0" \
		modprobe devsec_pci autoprobe=0
	check "[autoprobe] remove $d" \
		sh -c "echo 1 >$(pci_sysfs "$d")/remove"
	check "[autoprobe] rescan" sh -c 'echo 1 >/sys/bus/pci/rescan'
	check "[autoprobe] set driver_override of the new $d" \
		sh -c "echo devsec_pci >$(pci_sysfs "$d")/driver_override"
	check_errno "[autoprobe] drivers_probe of the rescanned $d succeeds" 0 \
		"$d" /sys/bus/pci/drivers_probe
	check_eq "[autoprobe] rescanned $d stays unbound" "" "$(ap_driver "$d")"
	check_errno "[autoprobe] manual bind after rescan" 0 "$d" "$AP_DRV/bind"
	# unload order: the bus (and the bound device) first
	check "[autoprobe] modprobe -r devsec_bus with devsec_pci bound" \
		modprobe -r devsec_bus
	check "[autoprobe] modprobe -r devsec_pci" modprobe -r devsec_pci
	unload_all
}

autoprobe_suite
