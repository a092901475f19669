# SPDX-License-Identifier: GPL-2.0
# Suite "ide": PCI IDE streams established by the link TSM's connect
# (drivers/pci/ide.c, samples/devsec/ide_km_responder.c).  Sourced by devsec.sh.
#
# Host bridge H of a device: the pciDDDD:BB directory above it.  The
# endpoint's Selective IDE Stream Status register (stream block 0) is at
# config offset 0x134: IDE capability at 0x120 (samples/devsec/bus.h),
# first selective block at +0x0c, status at +0x08; state 2 is Secure.

IDE_EP_STS=$((0x134))
# Its Selective IDE Stream Control (Stream ID in bits 31:24) and first
# IDE Address Association Register 1; the root port's block 0 (IDE
# capability at 0x100) has its Address Association Register 1 at 0x120.
IDE_EP_CTL=$((0x130))
IDE_EP_ADDR1=$((0x140))
IDE_RP_ADDR1=$((0x120))

ide_hb()
{
	local p

	p=$(cd -P "$(pci_sysfs "$1")" && pwd) &&
	[[ $p =~ ^(.*/pci[0-9a-f]+:[0-9a-f]+)/ ]] && echo "${BASH_REMATCH[1]}"
}
ide_avail() { read_attr "$(ide_hb "$1")/available_secure_streams"; }

# ide_state DEV: IDE stream state of the endpoint's stream block 0, or
# an error marker when config space cannot be read (never the 0 the
# "not secure" checks expect)
ide_state()
{
	local v

	v=$(od -An -tu4 -j "$IDE_EP_STS" -N4 "$(pci_sysfs "$1")/config" 2>&1)
	if [[ $v =~ ^\ *([0-9]+)$ ]]; then
		echo $((BASH_REMATCH[1] & 0xf))
	else
		echo "<config of $1 unreadable: $v>"
	fi
}

# ide_cfg DEV OFF: config dword of DEV (decimal), an error marker when
# it cannot be read
ide_cfg()
{
	local v

	v=$(od -An -tu4 -j "$2" -N4 "$(pci_sysfs "$1")/config" 2>&1)
	if [[ $v =~ ^\ *([0-9]+)$ ]]; then
		echo "${BASH_REMATCH[1]}"
	else
		echo "<config of $1 unreadable: $v>"
	fi
}

# ide_stream_id DEV: Stream ID programmed in DEV's stream block 0
ide_stream_id()
{
	local v

	v=$(ide_cfg "$1" "$IDE_EP_CTL")
	[[ $v =~ ^[0-9]+$ ]] && echo $((v >> 24)) || echo "$v"
}

# ide_rp DEV: the root port above DEV
ide_rp()
{
	local p

	p=$(cd -P "$(pci_sysfs "$1")/.." && pwd) && echo "${p##*/}"
}

# ide_link_target LINK: the device a stream link points at, "<absent>"
# when there is none, an error marker when LINK's directory is missing
ide_link_target()
{
	local t

	if [ -L "$1" ]; then
		t=$(readlink -f "$1") && echo "${t##*/}"
	elif [ -d "${1%/*}" ]; then
		echo "<absent>"
	else
		echo "<no directory '${1%/*}'>"
	fi
}

# ide_streams_of DIR: the stream links in DIR, an error marker when DIR
# is not a directory (an empty name from ide_hb, say)
ide_streams_of()
{
	local l out=

	if [ ! -d "$1" ]; then
		echo "<no directory '$1'>"
		return
	fi
	for l in "$1"/stream*; do
		[ -e "$l" ] || [ -L "$l" ] && out+="${l##*/} "
	done
	echo "$out"
}

ide_suite()
{
	local o="$1 first" tsm d hb

	unload_all
	load_order "$1"
	tsm=$(tsm_by_mode link)
	check "[$o] a link TSM is registered" test -n "$tsm"

	for d in "$DSM0" "$DSM1"; do
		check_eq "[$o] host bridge of $d starts with 4 streams" 4 \
			"$(ide_avail "$d")"
		check_eq "[$o] host bridge of $d has no stream links" "" \
			"$(ide_streams_of "$(ide_hb "$d")")"
		check_eq "[$o] $d IDE stream not secure before connect" 0 \
			"$(ide_state "$d")"
	done

	check_errno "[$o] connect $DSM0" 0 "$tsm" "$(tsm_attr "$DSM0" connect)"
	hb=$(ide_hb "$DSM0")
	check_eq "[$o] connect takes a stream of $(basename "$hb")" 3 \
		"$(ide_avail "$DSM0")"
	check_eq "[$o] other host bridge keeps 4" 4 "$(ide_avail "$DSM1")"
	check_eq "[$o] $(basename "$hb")/stream0.0.0 points at $DSM0" \
		"$DSM0" "$(ide_link_target "$hb/stream0.0.0")"
	check_eq "[$o] $tsm/$(basename "$hb")/stream0.0.0 points at $DSM0" \
		"$DSM0" \
		"$(ide_link_target "/sys/class/tsm/$tsm/$(basename "$hb")/stream0.0.0")"
	check_eq "[$o] $DSM0 IDE stream reads Secure after connect" 2 \
		"$(ide_state "$DSM0")"
	check_eq "[$o] $tsm/$(basename "$hb") links to the host bridge" \
		"$hb" "$(readlink -f "/sys/class/tsm/$tsm/$(basename "$hb")")"
	check_eq "[$o] the TSM chose Stream ID 0 for $DSM0" 0 \
		"$(ide_stream_id "$DSM0")"
	check_eq "[$o] $DSM0's end has no address association" 0 \
		"$(($(ide_cfg "$DSM0" "$IDE_EP_ADDR1") & 1))"
	check_eq "[$o] root port's end associates the bridge window" 1 \
		"$(($(ide_cfg "$(ide_rp "$DSM0")" "$IDE_RP_ADDR1") & 1))"
	check_errno "[$o] disconnect naming another TSM fails EINVAL" EINVAL \
		tsm4095 "$(tsm_attr "$DSM0" disconnect)"
	check_eq "[$o] failed disconnect keeps the stream" 3 \
		"$(ide_avail "$DSM0")"

	check_errno "[$o] connect $DSM1 too" 0 "$tsm" \
		"$(tsm_attr "$DSM1" connect)"
	check_eq "[$o] both devices hold a stream: $DSM1's bridge" 3 \
		"$(ide_avail "$DSM1")"
	check_eq "[$o] both devices hold a stream: $DSM0's bridge" 3 \
		"$(ide_avail "$DSM0")"
	check_eq "[$o] $(basename "$(ide_hb "$DSM1")")/stream0.0.0 points at $DSM1" \
		"$DSM1" "$(ide_link_target "$(ide_hb "$DSM1")/stream0.0.0")"
	check_eq "[$o] $tsm lists one stream per host bridge" \
		"$DSM0 $DSM1" \
		"$(for d in /sys/class/tsm/"$tsm"/pci*/stream*; do
			ide_link_target "$d"; done | sort | tr '\n' ' ' | sed 's/ $//')"
	check_eq "[$o] $DSM1 IDE stream reads Secure" 2 "$(ide_state "$DSM1")"

	check_errno "[$o] disconnect $DSM0" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_eq "[$o] disconnect returns the stream" 4 "$(ide_avail "$DSM0")"
	check_eq "[$o] host bridge link gone after disconnect" "<absent>" \
		"$(ide_link_target "$hb/stream0.0.0")"
	check_eq "[$o] $tsm/$(basename "$hb") gone after disconnect" "<absent>" \
		"$(read_attr "/sys/class/tsm/$tsm/$(basename "$hb")")"
	check_eq "[$o] $DSM0 IDE stream not secure after disconnect" 0 \
		"$(ide_state "$DSM0")"
	check_eq "[$o] $DSM1 keeps its stream" 3 "$(ide_avail "$DSM1")"

	check_errno "[$o] reconnect $DSM0" 0 "$tsm" "$(tsm_attr "$DSM0" connect)"
	check_eq "[$o] reconnect takes a stream again" 3 "$(ide_avail "$DSM0")"
	check_eq "[$o] reconnected stream is stream0.0.0" "$DSM0" \
		"$(ide_link_target "$hb/stream0.0.0")"
	check_eq "[$o] $DSM0 Secure after reconnect" 2 "$(ide_state "$DSM0")"

	# Unloading the TSM disconnects and releases everything
	check "[$o] unload the link TSM while connected" \
		modprobe -r devsec_link_tsm
	for d in "$DSM0" "$DSM1"; do
		check_eq "[$o] $d stream released by TSM unload" 4 \
			"$(ide_avail "$d")"
		check_eq "[$o] no stream links below $d's bridge" "" \
			"$(ide_streams_of "$(ide_hb "$d")")"
		check_eq "[$o] $d not secure after TSM unload" 0 \
			"$(ide_state "$d")"
	done
	unload_all
}

# Stream IDs are the TSM's: the link TSM's ide_stream_id parameter
# forces the ID it sets, and pci_ide_stream_register() must refuse the
# reserved ID 255 (EBUSY) and non-IDs (ENXIO), leaving nothing behind.
ide_stream_id_suite()
{
	local tsm hb id rc p=/sys/module/devsec_link_tsm/parameters/ide_stream_id

	unload_all
	load_order bus
	tsm=$(tsm_by_mode link)
	hb=$(ide_hb "$DSM0")
	check "[stream id] $p is writable" test -w "$p"
	echo 7 >"$p"
	check_errno "[stream id 7] connect" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[stream id 7] $DSM0 programmed with the TSM's Stream ID" 7 \
		"$(ide_stream_id "$DSM0")"
	check_eq "[stream id 7] Secure" 2 "$(ide_state "$DSM0")"
	check_errno "[stream id 7] disconnect" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	for id in 255:EBUSY 256:ENXIO -2:ENXIO; do
		rc=${id#*:}
		id=${id%%:*}
		echo "$id" >"$p"
		check_errno "[stream id $id] connect fails $rc" "$rc" "$tsm" \
			"$(tsm_attr "$DSM0" connect)"
		check_eq "[stream id $id] stream returned" 4 \
			"$(ide_avail "$DSM0")"
		check_eq "[stream id $id] no stream link left" "" \
			"$(ide_streams_of "$hb")"
		check_eq "[stream id $id] no $tsm/$(basename "$hb") left" \
			"<absent>" \
			"$(read_attr "/sys/class/tsm/$tsm/$(basename "$hb")")"
		check_eq "[stream id $id] not secure" 0 "$(ide_state "$DSM0")"
	done
	echo -1 >"$p"
	check_errno "[stream id pool] connect" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[stream id pool] lowest free Stream ID again" 0 \
		"$(ide_stream_id "$DSM0")"
	unload_all
}

# Pool exhaustion: a smaller pool through the bus's module parameter
ide_exhaust_suite()
{
	local tsm hb

	unload_all
	check "[pool 0] modprobe devsec_bus nr_ide_streams=0" \
		modprobe devsec_bus nr_ide_streams=0
	check "[pool 0] modprobe devsec_link_tsm" modprobe devsec_link_tsm
	tsm=$(tsm_by_mode link)
	hb=$(ide_hb "$DSM0")
	check_eq "[pool 0] available_secure_streams reads 0" 0 \
		"$(ide_avail "$DSM0")"
	check_errno "[pool 0] connect fails EBUSY" EBUSY "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[pool 0] failed connect leaves no TSM" "" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_eq "[pool 0] failed connect leaves no stream link" "" \
		"$(ide_streams_of "$hb")"
	check_eq "[pool 0] failed connect leaves no $tsm/$(basename "$hb")" \
		"<absent>" "$(read_attr "/sys/class/tsm/$tsm/$(basename "$hb")")"
	check_errno "[pool 0] connect fails EBUSY again" EBUSY "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[pool 0] still 0 available" 0 "$(ide_avail "$DSM0")"
	check_eq "[pool 0] $DSM0 not secure" 0 "$(ide_state "$DSM0")"
	unload_all

	check "[pool 1] modprobe devsec_bus nr_ide_streams=1" \
		modprobe devsec_bus nr_ide_streams=1
	check "[pool 1] modprobe devsec_link_tsm" modprobe devsec_link_tsm
	tsm=$(tsm_by_mode link)
	check_eq "[pool 1] available_secure_streams reads 1" 1 \
		"$(ide_avail "$DSM0")"
	check_errno "[pool 1] connect takes the only slot" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[pool 1] none left" 0 "$(ide_avail "$DSM0")"
	check_errno "[pool 1] second connect of $DSM0 fails EBUSY (already connected)" EBUSY \
		"$tsm" "$(tsm_attr "$DSM0" connect)"
	check_eq "[pool 1] still connected after the refused connect" "$tsm" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_errno "[pool 1] disconnect" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_eq "[pool 1] slot returned" 1 "$(ide_avail "$DSM0")"
	unload_all
}

# A device that refuses its keys: connect fails after the stream was
# allocated, registered and programmed, and must leave nothing behind
ide_key_fault_suite()
{
	local tsm hb nak=/sys/kernel/debug/devsec/$DSM0/ide_km_nak

	unload_all
	load_order bus
	tsm=$(tsm_by_mode link)
	hb=$(ide_hb "$DSM0")
	if [ ! -w "$nak" ]; then
		not_ok "[KEY_PROG NAK] $nak exists"
		unload_all
		return
	fi
	echo 1 >"$nak"
	check_errno "[KEY_PROG NAK] connect fails EIO" EIO "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[KEY_PROG NAK] stream returned" 4 "$(ide_avail "$DSM0")"
	check_eq "[KEY_PROG NAK] no stream link left" "" \
		"$(ide_streams_of "$hb")"
	check_eq "[KEY_PROG NAK] no $tsm/$(basename "$hb") left" "<absent>" \
		"$(read_attr "/sys/class/tsm/$tsm/$(basename "$hb")")"
	check_eq "[KEY_PROG NAK] not connected" "" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_eq "[KEY_PROG NAK] not secure" 0 "$(ide_state "$DSM0")"
	echo 0 >"$nak"
	check_errno "[KEY_PROG NAK] connect works once keys are accepted" 0 \
		"$tsm" "$(tsm_attr "$DSM0" connect)"
	check_eq "[KEY_PROG NAK] secure after the good connect" 2 \
		"$(ide_state "$DSM0")"
	check_eq "[KEY_PROG NAK] it holds one stream" 3 "$(ide_avail "$DSM0")"
	check_errno "[KEY_PROG NAK] disconnect" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_eq "[KEY_PROG NAK] all 4 free again" 4 "$(ide_avail "$DSM0")"
	unload_all
}

# The platform shrinks the pool below the streams in use
# (pci_ide_set_nr_streams() through the bus's debugfs knob): the stream
# keeps running, available_secure_streams reads 0 (not a wrapped
# 4294967295) and no new stream is allocated until the pool has room.
ide_shrink_suite()
{
	local tsm knob=/sys/kernel/debug/devsec/$DSM0/hb_nr_ide_streams

	unload_all
	check "[shrink] modprobe devsec_bus" modprobe devsec_bus
	check "[shrink] modprobe devsec_link_tsm" modprobe devsec_link_tsm
	tsm=$(tsm_by_mode link)
	check_errno "[shrink] connect $DSM0 (pool 4)" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[shrink] 3 available" 3 "$(ide_avail "$DSM0")"
	check_errno "[shrink] pool to 0 below the stream in use" 0 0 "$knob"
	check_eq "[shrink] available_secure_streams reads 0" 0 \
		"$(ide_avail "$DSM0")"
	check_eq "[shrink] $DSM0 still Secure" 2 "$(ide_state "$DSM0")"
	check_errno "[shrink] disconnect" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_eq "[shrink] still 0 available after the release" 0 \
		"$(ide_avail "$DSM0")"
	check_errno "[shrink] connect fails EBUSY with pool 0" EBUSY "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_errno "[shrink] pool back to 1" 0 1 "$knob"
	check_eq "[shrink] 1 available" 1 "$(ide_avail "$DSM0")"
	check_errno "[shrink] connect takes it" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[shrink] 0 available" 0 "$(ide_avail "$DSM0")"
	check_errno "[shrink] disconnect again" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_eq "[shrink] 1 available again" 1 "$(ide_avail "$DSM0")"
	unload_all
}

# The pci_ide KUnit suite (drivers/pci/ide_test.c) is not run here: it
# needs kunit.enable=1 on the kernel command line, and make check's kunit
# suite boots the debug kernel with it and loads every KUnit module,
# ide_test.ko included, failing on any failed suite.

# pci_ide_set_nr_streams() is exported in the PCI_IDE namespace, as
# upstream: the platform (the devsec bus) imports it, a TSM driver
# needs no import for the rest of the stream API.
ide_namespace_suite()
{
	check_eq "[namespace] devsec_bus imports PCI_IDE" PCI_IDE \
		"$(modinfo -F import_ns devsec_bus 2>&1 | grep -x PCI_IDE)"
	check_eq "[namespace] devsec_link_tsm needs no PCI_IDE import" "" \
		"$(modinfo -F import_ns devsec_link_tsm 2>&1 | grep -x PCI_IDE)"
	check_eq "[namespace] devsec_link_tsm's imports are readable" DEVSEC \
		"$(modinfo -F import_ns devsec_link_tsm 2>&1)"
}

unload_all
ide_namespace_suite
want_order bus && ide_suite bus
want_order tsm && ide_suite tsm
ide_stream_id_suite
ide_exhaust_suite
ide_key_fault_suite
ide_shrink_suite
unload_all
