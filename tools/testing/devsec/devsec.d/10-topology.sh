# SPDX-License-Identifier: GPL-2.0
# Suite "topology": the sample bus's nr_hosts parameter.  Sourced by
# devsec.sh.

topology_suite()
{
	local n d

	unload_all
	check_fail "[topology] modprobe devsec_bus nr_hosts=0 fails" \
		modprobe devsec_bus nr_hosts=0
	check_fail "[topology] modprobe devsec_bus nr_hosts=65 fails" \
		modprobe devsec_bus nr_hosts=65
	check "[topology] nothing left after the failed loads" \
		test ! -e /sys/module/devsec_bus
	check "[topology] modprobe devsec_bus nr_hosts=8" \
		modprobe devsec_bus nr_hosts=8
	n=$(ls -d /sys/bus/pci/devices/1000[0-7]:*:00.0 2>/dev/null | wc -l)
	check_eq "[topology] 8 host bridges: 8 root ports and 8 DSMs" 16 "$n"
	d=10007:0f:00.0
	check "[topology] last DSM $d is an endpoint of the sample" \
		test "$(cat "$(pci_sysfs "$d")/device" 2>&1)" = 0xffff
	check "[topology] modprobe devsec_link_tsm" modprobe devsec_link_tsm
	check_errno "[topology] connect $d" 0 "$(tsm_by_mode link)" \
		"$(tsm_attr "$d" connect)"
	unload_all
	check "[topology] default: 2 host bridges" modprobe devsec_bus
	check_eq "[topology] 2 DSMs by default" 2 \
		"$(ls -d /sys/bus/pci/devices/1000?:*:00.0 2>/dev/null | grep -c ':0[13]:')"
	unload_all
}

topology_suite
