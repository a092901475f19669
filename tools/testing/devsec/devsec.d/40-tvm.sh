# SPDX-License-Identifier: GPL-2.0
#
# TVM side: the devsec TSM locks, accepts and unlocks the sample DSM
# through D/tsm/{lock,accept,unlock}; the emulated device's TDISP state
# (debugfs) and /proc/iomem are checked at each step.  Sourced by
# devsec.sh, which provides the helpers.

# tdisp_state DEV: TDISP state of the emulated function, from debugfs
tdisp_state() { read_attr "/sys/kernel/debug/devsec/$1/tdisp"; }

# bar_start DEV N: start address of BAR N, as a decimal number
bar_start()
{
	local start rest i

	{ for ((i = 0; i < $2; i++)); do read -r; done; read -r start rest; } \
		<"$(pci_sysfs "$1")/resource" && printf '%d' "$start"
}

# bar0 DEV: start of BAR 0 (2 MiB, private); bar2 DEV: start of BAR 2
# (16 KiB, with the MSI-X page)
bar0() { bar_start "$1" 0; }
bar2() { bar_start "$1" 2; }

# ranges_in_order START LENGTH ...: each range as "start-end" in hex, in
# address order, as /proc/iomem lists them
ranges_in_order()
{
	while [ $# -ge 2 ]; do
		printf '%d %x-%x\n' "$1" "$1" $(($1 + $2 - 1))
		shift 2
	done | sort -n | cut -d' ' -f2
}

# encrypted_ranges: the "PCI MMIO Encrypted" lines of /proc/iomem, as
# "start-end" (hex, as printed); an error marker, never the empty list
# the "no encrypted MMIO" checks expect, when /proc/iomem is unreadable
encrypted_ranges()
{
	local l

	if [ ! -r /proc/iomem ]; then
		echo "<unreadable /proc/iomem>"
		return
	fi
	# pure bash: no process per call
	while IFS= read -r l; do
		[[ $l == *'PCI MMIO Encrypted'* ]] || continue
		l=${l#"${l%%[! ]*}"}
		echo "${l%% *}"
	done </proc/iomem
}

# msix_encrypted DEV: the encrypted ranges that share a byte with DEV's
# MSI-X page (BAR 2 + 0x1000, 4 KiB), or an error marker
msix_encrypted()
{
	local b page r

	b=$(bar2 "$1")
	[ -n "$b" ] || { echo "<BAR 2 of $1 unreadable>"; return; }
	page=$((b + 0x1000))
	while IFS= read -r r; do
		if [[ $r =~ ^([0-9a-f]+)-([0-9a-f]+)$ ]]; then
			((16#${BASH_REMATCH[1]} < page + 0x1000 &&
			  16#${BASH_REMATCH[2]} >= page)) || continue
		fi
		[ -n "$r" ] && echo "$r"
	done <<<"$(encrypted_ranges)"
}

# expected_ranges DEV: all of BAR 0, and BAR 2 split around the MSI-X
# page at 0x1000, in address order as /proc/iomem lists them
expected_ranges()
{
	local b2

	b2=$(bar2 "$1")
	ranges_in_order "$(bar0 "$1")" 0x200000 "$b2" 0x1000 \
		$((b2 + 0x2000)) 0x2000
}

# mapped DEV OFFSET LENGTH [BAR]: how devsec_pci's test hook ioremap()s
# that part of DEV's BAR (0 by default): "encrypted", "shared" or
# "refused"
DPCI=/sys/kernel/debug/devsec_pci
mapped()
{
	local rc

	rc=$(write_errno "$1 ${4:-0} $2 $3" "$DPCI/ioremap")
	[ "$rc" = 0 ] || { echo "<write: $rc>"; return; }
	read_attr "$DPCI/ioremap"
}

# regions_claimed DEV: BAR 0 and BAR 2 of DEV as "start-end", in address
# order, as test_region lists them once both are claimed
regions_claimed()
{
	ranges_in_order "$(bar0 "$1")" 0x200000 "$(bar2 "$1")" 0x4000
}

# test_region: the "devsec_pci test" lines of /proc/iomem, as "start-end"
test_region()
{
	local l

	while IFS= read -r l; do
		[[ $l == *'devsec_pci test'* ]] || continue
		l=${l#"${l%%[! ]*}"}
		echo "${l%% *}"
	done </proc/iomem
}

# accepted_mmio_checks O DEV: an unmodified driver on the accepted DEV (it
# claims BAR 0, which only fails to map on a platform without encrypted
# MMIO), then devsec_pci's test hooks: the BAR claimed while accepted, and
# ioremap() of private pages refused (here; encrypted on a CC platform)
# whatever the length and alignment.  Leaves DEV's regions requested.
accepted_mmio_checks()
{
	local o=$1 d=$2 b

	b=$(bar0 "$d")
	modprobe devsec_pci autoprobe=0
	echo devsec_pci >"$(pci_sysfs "$d")/driver_override"
	check_errno "[$o] binding devsec_pci to accepted $d fails EINVAL (claimed, not mapped)" \
		EINVAL "$d" /sys/bus/pci/drivers/devsec_pci/bind
	check_errno "[$o] binding it again fails EINVAL (the failed probe released BAR 0)" \
		EINVAL "$d" /sys/bus/pci/drivers/devsec_pci/bind
	echo >"$(pci_sysfs "$d")/driver_override"

	check_eq "[$o] 1 byte of a private page is not mapped shared" refused \
		"$(mapped "$d" 0 1)"
	check_eq "[$o] 1 byte of the last private page is not mapped shared" refused \
		"$(mapped "$d" 0x1fffff 1)"
	check_eq "[$o] 16 unaligned private bytes over 2 pages: refused (no encrypted MMIO here)" \
		refused "$(mapped "$d" 0xff8 16)"
	check_eq "[$o] 1 byte of the MSI-X page is mapped shared" shared \
		"$(mapped "$d" 0x1abc 1 2)"
	check_eq "[$o] private and MSI-X page in one mapping: refused (no encrypted MMIO here)" \
		refused "$(mapped "$d" 0xff8 16 2)"
	check_eq "[$o] MSI-X and private page in one mapping: refused (no encrypted MMIO here)" \
		refused "$(mapped "$d" 0x1ff8 16 2)"
	check_eq "[$o] 1 byte of the last private page of BAR 2 is not mapped shared" \
		refused "$(mapped "$d" 0x3fff 1 2)"

	check_errno "[$o] pci_request_regions() on accepted $d" 0 "request $d" \
		"$DPCI/regions"
	check_eq "[$o] BAR 0 and BAR 2 claimed" \
		"$(regions_claimed "$d")" "$(test_region)"
	check_eq "[$o] encrypted MMIO still published under the claim" \
		"$(expected_ranges "$d")" "$(encrypted_ranges)"
	check_eq "[$o] 1 private byte under the claim is not mapped shared" refused \
		"$(mapped "$d" 0x11000 1)"
	check_errno "[$o] pci_release_regions()" 0 release "$DPCI/regions"
	check_eq "[$o] claim gone, encrypted MMIO kept" \
		"$(expected_ranges "$d")" "$(test_region)$(encrypted_ranges)"
	check_errno "[$o] pci_request_regions() again" 0 "request $d" "$DPCI/regions"
}

tvm_suite()
{
	local o="tvm, $1 first" t link b cfg rc i fails start ncycles claim
	unload_all

	if [ "$1" = bus ]; then
		check "[$o] modprobe devsec_bus" modprobe devsec_bus
		check "[$o] modprobe devsec_tsm" modprobe devsec_tsm
	else
		check "[$o] modprobe devsec_tsm" modprobe devsec_tsm
		check "[$o] modprobe devsec_bus" modprobe devsec_bus
	fi
	t=$(tsm_by_mode devsec)
	check "[$o] a devsec TSM is registered" test -n "$t"
	check_eq "[$o] lock reads empty" "" "$(read_attr "$(tsm_attr "$DSM0" lock)")"
	check_eq "[$o] accept reads 0" 0 "$(read_attr "$(tsm_attr "$DSM0" accept)")"
	check "[$o] unlock present" test -e "$(tsm_attr "$DSM0" unlock)"
	check "[$o] no connect without a link TSM" \
		test ! -e "$(tsm_attr "$DSM0" connect)"
	check_eq "[$o] TDISP state CONFIG_UNLOCKED" CONFIG_UNLOCKED \
		"$(tdisp_state "$DSM0")"

	# Errors before lock
	check_errno "[$o] lock 'foo' fails EINVAL" EINVAL foo "$(tsm_attr "$DSM0" lock)"
	check_errno "[$o] lock unknown tsm999 fails ENXIO" ENXIO tsm999 \
		"$(tsm_attr "$DSM0" lock)"
	check_errno "[$o] accept without lock fails EINVAL" EINVAL 1 \
		"$(tsm_attr "$DSM0" accept)"
	check_errno "[$o] accept 0 fails EINVAL" EINVAL 0 "$(tsm_attr "$DSM0" accept)"
	check_errno "[$o] unlock without lock fails EINVAL" EINVAL "$t" \
		"$(tsm_attr "$DSM0" unlock)"

	# With the link TSM too: its name is refused, a connected DSM is busy
	check "[$o] modprobe devsec_link_tsm" modprobe devsec_link_tsm
	link=$(tsm_by_mode link)
	check_errno "[$o] lock with link $link fails ENXIO" ENXIO "$link" \
		"$(tsm_attr "$DSM0" lock)"
	if have_module devsec_aptest; then
		local ap=/sys/module/devsec_aptest/parameters none
		modprobe devsec_aptest && echo 1 >"$ap/null_tsm"
		none=$(cat "$ap/null_tsm" 2>/dev/null)
		check "[$o] a TSM without PCI ops is registered" test -n "$none"
		check_errno "[$o] lock with $none, no PCI ops, fails ENXIO" \
			ENXIO "${none:-tsm_missing}" "$(tsm_attr "$DSM0" lock)"
		check "[$o] modprobe -r devsec_aptest" modprobe -r devsec_aptest
	fi
	check_errno "[$o] connect $DSM1 to $link" 0 "$link" "$(tsm_attr "$DSM1" connect)"
	check_errno "[$o] lock connected $DSM1 fails EBUSY" EBUSY "$t" \
		"$(tsm_attr "$DSM1" lock)"
	check_errno "[$o] disconnect $DSM1" 0 "$link" "$(tsm_attr "$DSM1" disconnect)"

	# A driver bound blocks lock
	if [ -d /sys/bus/pci/drivers/pci-stub ]; then
		echo pci-stub >"$(pci_sysfs "$DSM1")/driver_override"
		echo "$DSM1" >/sys/bus/pci/drivers/pci-stub/bind
		check_errno "[$o] lock with a driver bound fails EBUSY" EBUSY "$t" \
			"$(tsm_attr "$DSM1" lock)"
		# upstream's order: what is not locked or not a devsec TSM
		# is refused as such before the bound driver is
		check_errno "[$o] lock with link $link and a driver bound fails ENXIO" \
			ENXIO "$link" "$(tsm_attr "$DSM1" lock)"
		check_errno "[$o] unlock of unlocked $DSM1 with a driver bound fails EINVAL" \
			EINVAL "$t" "$(tsm_attr "$DSM1" unlock)"
		check_errno "[$o] accept of unlocked $DSM1 with a driver bound fails EINVAL" \
			EINVAL 1 "$(tsm_attr "$DSM1" accept)"
		echo "$DSM1" >/sys/bus/pci/drivers/pci-stub/unbind
		echo >"$(pci_sysfs "$DSM1")/driver_override"
		check_eq "[$o] $DSM1 still unlocked" CONFIG_UNLOCKED \
			"$(tdisp_state "$DSM1")"
	fi

	# Lock: no link connect needed
	check_errno "[$o] lock $DSM0" 0 "$t" "$(tsm_attr "$DSM0" lock)"
	check_eq "[$o] lock reads $t" "$t" "$(read_attr "$(tsm_attr "$DSM0" lock)")"
	check_eq "[$o] TDISP state CONFIG_LOCKED" CONFIG_LOCKED "$(tdisp_state "$DSM0")"
	check_eq "[$o] accept reads 0 while locked" 0 \
		"$(read_attr "$(tsm_attr "$DSM0" accept)")"
	check_errno "[$o] second lock fails EBUSY" EBUSY "$t" "$(tsm_attr "$DSM0" lock)"
	check_errno "[$o] connect locked $DSM0 fails EBUSY" EBUSY "$link" \
		"$(tsm_attr "$DSM0" connect)"
	check_errno "[$o] unlock naming $link fails EINVAL" EINVAL "$link" \
		"$(tsm_attr "$DSM0" unlock)"
	check_eq "[$o] no encrypted MMIO before accept" "" "$(encrypted_ranges)"

	# A driver bound blocks lock, unlock and accept
	if [ -d /sys/bus/pci/drivers/pci-stub ]; then
		echo pci-stub >"$(pci_sysfs "$DSM0")/driver_override"
		echo "$DSM0" >/sys/bus/pci/drivers/pci-stub/bind
		check_errno "[$o] accept with a driver bound fails EBUSY" EBUSY 1 \
			"$(tsm_attr "$DSM0" accept)"
		check_errno "[$o] unlock with a driver bound fails EBUSY" EBUSY "$t" \
			"$(tsm_attr "$DSM0" unlock)"
		echo "$DSM0" >/sys/bus/pci/drivers/pci-stub/unbind
		echo >"$(pci_sysfs "$DSM0")/driver_override"
	else
		echo "# pci-stub not built: bound-driver errors not checked"
	fi

	# Accept: the report's private ranges become encrypted resources
	check "[$o] BAR 0 of $DSM0 in /proc/iomem" \
		grep -q "$(printf '%x' "$(bar0 "$DSM0")")-.* : $DSM0" /proc/iomem
	check_errno "[$o] accept $DSM0" 0 1 "$(tsm_attr "$DSM0" accept)"
	check_eq "[$o] accept reads 1" 1 "$(read_attr "$(tsm_attr "$DSM0" accept)")"
	check_eq "[$o] TDISP state RUN" RUN "$(tdisp_state "$DSM0")"
	check_eq "[$o] encrypted MMIO around the MSI-X hole" \
		"$(expected_ranges "$DSM0")" "$(encrypted_ranges)"
	b=$(bar2 "$DSM0")
	check_eq "[$o] no encrypted range covers the MSI-X page $(printf '%x' $((b + 0x1000)))" \
		"" "$(msix_encrypted "$DSM0")"
	check_eq "[$o] one encrypted range is all of BAR 0" 1 \
		"$(grep -c "^ *$(printf '%x-%x' "$(bar0 "$DSM0")" \
			$(($(bar0 "$DSM0") + 0x200000 - 1))) : PCI MMIO Encrypted" \
			/proc/iomem)"
	check_errno "[$o] accept again is a no-op" 0 1 "$(tsm_attr "$DSM0" accept)"
	if have_module devsec_pci; then
		accepted_mmio_checks "$o" "$DSM0"
	else
		echo "# devsec_pci not available: claims and encrypted ioremap not checked"
	fi

	# Unlock: back to CONFIG_UNLOCKED, resources gone; with devsec_pci,
	# while its test hook still holds BAR 0
	check_errno "[$o] unlock $DSM0" 0 "$t" "$(tsm_attr "$DSM0" unlock)"
	if have_module devsec_pci; then
		check_eq "[$o] claims kept, encrypted MMIO gone after unlock" \
			"$(regions_claimed "$DSM0")" \
			"$(test_region)$(encrypted_ranges)"
		check_errno "[$o] pci_release_regions() after unlock" 0 release "$DPCI/regions"
		check_eq "[$o] claim gone" "" "$(test_region)"
		check_eq "[$o] 1 byte of BAR 0 mapped shared after unlock" shared \
			"$(mapped "$DSM0" 0 1)"
		modprobe -r devsec_pci
	fi
	check_eq "[$o] TDISP state CONFIG_UNLOCKED after unlock" CONFIG_UNLOCKED \
		"$(tdisp_state "$DSM0")"
	check_eq "[$o] lock reads empty after unlock" "" \
		"$(read_attr "$(tsm_attr "$DSM0" lock)")"
	check_eq "[$o] accept reads 0 after unlock" 0 \
		"$(read_attr "$(tsm_attr "$DSM0" accept)")"
	check_eq "[$o] encrypted MMIO gone" "" "$(encrypted_ranges)"
	check_errno "[$o] connect $DSM0 to $link after unlock" 0 "$link" \
		"$(tsm_attr "$DSM0" connect)"
	check_errno "[$o] disconnect $DSM0" 0 "$link" "$(tsm_attr "$DSM0" disconnect)"

	# A config write to a BAR of a locked function: TDISP ERROR
	check_errno "[$o] lock $DSM0 again" 0 "$t" "$(tsm_attr "$DSM0" lock)"
	cfg=$(pci_sysfs "$DSM0")/config
	dd if="$cfg" of="$cfg" bs=4 skip=4 seek=4 count=1 conv=notrunc 2>/dev/null
	check_eq "[$o] BAR write while locked: TDISP ERROR" ERROR \
		"$(tdisp_state "$DSM0")"
	check_errno "[$o] accept in ERROR fails EIO" EIO 1 "$(tsm_attr "$DSM0" accept)"
	check_eq "[$o] no encrypted MMIO after a failed accept" "" "$(encrypted_ranges)"
	check_errno "[$o] unlock from ERROR" 0 "$t" "$(tsm_attr "$DSM0" unlock)"
	check_eq "[$o] CONFIG_UNLOCKED after unlock from ERROR" CONFIG_UNLOCKED \
		"$(tdisp_state "$DSM0")"

	# The interface started but its MMIO cannot be published (all of
	# BAR 0 claimed by someone else): accept fails closed, the
	# interface stopped and the lock dropped, then works again
	claim=/sys/kernel/debug/devsec/$DSM0/claim
	check_errno "[$o] lock $DSM0 for a conflicting claim" 0 "$t" \
		"$(tsm_attr "$DSM0" lock)"
	check_errno "[$o] claim BAR 0 of $DSM0" 0 1 "$claim"
	check_errno "[$o] claim it again fails EBUSY" EBUSY 1 "$claim"
	check_errno "[$o] accept under a conflicting claim fails EBUSY" EBUSY 1 \
		"$(tsm_attr "$DSM0" accept)"
	check_eq "[$o] the failed accept stopped the interface" CONFIG_UNLOCKED \
		"$(tdisp_state "$DSM0")"
	check_eq "[$o] the failed accept dropped the lock" "" \
		"$(read_attr "$(tsm_attr "$DSM0" lock)")"
	check_eq "[$o] accept reads 0 after the failed accept" 0 \
		"$(read_attr "$(tsm_attr "$DSM0" accept)")"
	check_eq "[$o] no encrypted MMIO after the failed accept" "" "$(encrypted_ranges)"
	check_errno "[$o] release the claim" 0 0 "$claim"
	check_errno "[$o] release it again fails EINVAL" EINVAL 0 "$claim"
	check_errno "[$o] lock after the failed accept" 0 "$t" "$(tsm_attr "$DSM0" lock)"
	check_errno "[$o] accept after the failed accept" 0 1 "$(tsm_attr "$DSM0" accept)"
	check_eq "[$o] encrypted MMIO published" "$(expected_ranges "$DSM0")" \
		"$(encrypted_ranges)"
	check_errno "[$o] unlock after the failed accept" 0 "$t" "$(tsm_attr "$DSM0" unlock)"

	# Cycles: 100 in the first load order, 20 in the second; 3 in the
	# quick mode of the debug kernel, whose kmemleak scan at the end of
	# the run sees what a cycle leaks
	ncycles=$(quick 3 100)
	[ "$1" = tsm ] && ncycles=$(quick 3 20)
	fails=0
	start=$(date +%s%N)
	for i in $(seq "$ncycles"); do
		rc=$(write_errno "$t" "$(tsm_attr "$DSM0" lock)")
		[ "$rc" = 0 ] && rc=$(write_errno 1 "$(tsm_attr "$DSM0" accept)")
		[ "$(encrypted_ranges | wc -l)" = 3 ] || rc="$rc ranges"
		[ "$(write_errno "$t" "$(tsm_attr "$DSM0" unlock)")" = 0 ] || rc="$rc unlock"
		[ "$rc" = 0 ] || fails=$((fails + 1))
	done
	echo "# $ncycles lock/accept/unlock cycles:" \
		"$(( ($(date +%s%N) - start) / 1000000 / ncycles )) ms per cycle"
	check_eq "[$o] $ncycles lock/accept/unlock cycles" 0 "$fails"
	check_eq "[$o] clean after the cycles" "CONFIG_UNLOCKED" "$(tdisp_state "$DSM0")"

	# Unregistering the devsec TSM unlocks what it locked
	check_errno "[$o] lock $DSM0 before unload" 0 "$t" "$(tsm_attr "$DSM0" lock)"
	check_errno "[$o] accept $DSM0 before unload" 0 1 "$(tsm_attr "$DSM0" accept)"
	check "[$o] modprobe -r devsec_tsm while accepted" modprobe -r devsec_tsm
	check_eq "[$o] TDISP state CONFIG_UNLOCKED after unload" CONFIG_UNLOCKED \
		"$(tdisp_state "$DSM0")"
	check_eq "[$o] encrypted MMIO gone after unload" "" "$(encrypted_ranges)"
	check_eq "[$o] lock hidden without a devsec TSM" "<absent>" \
		"$(read_attr "$(tsm_attr "$DSM0" lock)")"
	check_errno "[$o] connect $DSM0 after unload" 0 "$link" "$(tsm_attr "$DSM0" connect)"
	unload_all
	tvm_unload_rebind "$o"
}

# tvm_unload_rebind O: a driver keeps binding the accepted DSM while the
# devsec TSM unloads.  The unload must withdraw the acceptance anyway: no
# driver may bind between the release of the driver and the unlock.
tvm_unload_rebind()
{
	local o=$1 i t pid sys accepted flips fails=0 bad=0 n

	n=$(quick 1 3)

	modprobe devsec_bus
	sys=$(pci_sysfs "$DSM0")
	for ((i = 1; i <= n; i++)); do
		modprobe devsec_tsm >/dev/null 2>&1 || true
		modprobe devsec_aptest autoprobe=0
		modprobe devsec_pci autoprobe=0
		t=$(tsm_by_mode devsec)
		[ "$(write_errno "$t" "$(tsm_attr "$DSM0" lock)")" = 0 ] &&
			[ "$(write_errno 1 "$(tsm_attr "$DSM0" accept)")" = 0 ] ||
			fails=$((fails + 1))
		echo "$DSM0" >"$DPCI/accepted"
		[ "$(<"$DPCI/accepted")" = 1 ] || fails=$((fails + 1))
		echo devsec_aptest >"$sys/driver_override"
		[ "$(write_errno "$DSM0" /sys/bus/pci/drivers/devsec_aptest/bind)" = 0 ] ||
			fails=$((fails + 1))
		(while :; do
			echo "$DSM0" >/sys/bus/pci/drivers/devsec_aptest/bind
		 done) 2>/dev/null &
		pid=$!
		modprobe -r devsec_tsm || fails=$((fails + 1))
		kill "$pid"
		wait "$pid" 2>/dev/null
		[ "$(tdisp_state "$DSM0")" = CONFIG_UNLOCKED ] || bad=$((bad + 1))
		echo "$DSM0" >"$DPCI/accepted"
		accepted=$(<"$DPCI/accepted")
		if [ "$accepted" != 0 ]; then
			echo "# round $i: accepted '$accepted' after the unload"
			bad=$((bad + 1))
		fi
		[ -e "$sys/driver" ] && echo "$DSM0" >"$sys/driver/unbind"
		echo >"$sys/driver_override"
		flips=$(</sys/module/devsec_aptest/parameters/accept_flips)
		if [ "$flips" != 0 ]; then
			echo "# round $i: $flips removes saw another acceptance"
			bad=$((bad + 1))
		fi
		modprobe -r devsec_pci devsec_aptest
	done
	check_eq "[$o] lock, accept (accepted reads 1) and bind before $n unloads" \
		0 "$fails"
	check_eq "[$o] $n unloads racing a binder withdrew the acceptance" 0 "$bad"

	# Removal of an accepted DSM with a driver bound: the driver is
	# released before the acceptance goes, so that its DMA buffers are
	# freed as they were allocated
	modprobe devsec_tsm
	modprobe devsec_aptest autoprobe=0
	t=$(tsm_by_mode devsec)
	check_errno "[$o] lock $DSM0 to remove it accepted" 0 "$t" "$(tsm_attr "$DSM0" lock)"
	check_errno "[$o] accept $DSM0 to remove it" 0 1 "$(tsm_attr "$DSM0" accept)"
	echo devsec_aptest >"$sys/driver_override"
	check_errno "[$o] bind devsec_aptest to accepted $DSM0" 0 "$DSM0" \
		/sys/bus/pci/drivers/devsec_aptest/bind
	check_errno "[$o] remove accepted $DSM0 with its driver bound" 0 1 "$sys/remove"
	check_eq "[$o] its driver saw one acceptance from probe to remove" 0 \
		"$(</sys/module/devsec_aptest/parameters/accept_flips)"
	echo 1 >/sys/bus/pci/rescan
	unload_all
}

want_order bus && tvm_suite bus
want_order tsm && tvm_suite tsm
