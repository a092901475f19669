# SPDX-License-Identifier: GPL-2.0
#
# Suite "link": the link TSM: connect, disconnect, bind, the tsm class and
# the traced DOE exchanges of a connect.  Sourced by devsec.sh.

# --- link TSM: connect, disconnect, bind --------------------------------
#
# Run twice, once per module load order.  Names follow the ABI in
# Documentation/ABI/testing/sysfs-bus-pci and sysfs-class-tsm.

# trace_connect LABEL TSM DSM: connect DSM with pci_tsm tracing on, check
# that the DOE exchanges of the connect appear in SPDM order, and report
# how many there were and how long the connect took.
trace_connect()
{
	local o=$1 tsm=$2 dsm=$3 trace sizes n us

	if [ ! -d "$TRACEFS/events/pci_tsm" ]; then
		not_ok "[$o] tracefs has pci_tsm events"
		check_errno "[$o] connect $dsm to $tsm" 0 "$tsm" \
			"$(tsm_attr "$dsm" connect)"
		return
	fi
	ok "[$o] tracefs has pci_tsm events"
	echo 0 >"$TRACEFS/tracing_on"
	echo >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/pci_tsm/enable"
	echo 1 >"$TRACEFS/tracing_on"
	check_errno "[$o] connect $dsm to $tsm (traced)" 0 "$tsm" \
		"$(tsm_attr "$dsm" connect)"
	echo 0 >"$TRACEFS/tracing_on"
	echo 0 >"$TRACEFS/events/pci_tsm/enable"
	trace=$(grep -F " $dsm connect " "$TRACEFS/trace")
	# Request sizes identify the SPDM requests: GET_VERSION (4),
	# GET_CAPABILITIES (20), NEGOTIATE_ALGORITHMS (32 + 3 AlgStructs),
	# GET_DIGESTS (4), GET_CERTIFICATE (8, repeated per piece of the
	# chain), CHALLENGE (36), GET_MEASUREMENTS (37), KEY_EXCHANGE (138);
	# the rest of the session (FINISH, IDE_KM, see devsec.d/20-ide.sh) is
	# secured, DOE type 2
	sizes=$(sed -n 's/.*pci_tsm_doe: .* doe=0001:01 req_sz=\([0-9]*\) .*/\1/p' \
		<<<"$trace" | uniq | tr '\n' ' ')
	n=$(grep -c 'pci_tsm_doe: ' <<<"$trace")
	check_eq "[$o] DOE exchanges of a connect in SPDM order" \
		"4 20 44 4 8 36 37 138 " "$sizes"
	check_eq "[$o] no DOE exchange of the connect failed" "" \
		"$(grep 'pci_tsm_doe: ' <<<"$trace" | grep 'rsp_len=-')"
	check "[$o] traced connect completed" \
		grep -q 'pci_tsm_done: .* rc=0 ' <<<"$trace"
	# The trace clock is finer than the guest's ktime under TCG
	us=$(awk '/pci_tsm_step: .* step=1 / && !t0 { t0 = $4 + 0 }
		  /pci_tsm_done: / { t1 = $4 + 0 }
		  END { if (t0 && t1) printf "%d", (t1 - t0) * 1000000 }' \
		<<<"$trace")
	echo "# connect of $dsm: $n DOE exchanges, ${us:-?} us in the kernel"
	[ -n "$trace" ] && head -n 40 <<<"$trace" | sed 's/^/# trace: /'
}

# link_pci_tsm_bind O TSM: pci_tsm_bind() and pci_tsm_unbind() for a
# second VM, with FN0 bound for the first and DSM1 not connected: the
# core's own errnos
link_pci_tsm_bind()
{
	local o=$1 tsm=$2

	check_errno "[$o] pci_tsm_bind() of unconnected $DSM1 fails EINVAL" \
		EINVAL "$DSM1 2" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] pci_tsm_bind() of $FN0, bound for another VM, fails EBUSY" \
		EBUSY "$FN0 2" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] pci_tsm_bind() of no device fails ENODEV" ENODEV \
		"bogus 2" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] pci_tsm_bind() for a VM that does not exist fails EINVAL" \
		EINVAL "$DSM0 3" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] pci_tsm_bind() of $DSM0" 0 "$DSM0 2" \
		"$DEVSEC_DBG/tsm_bind"
	check_eq "[$o] $DSM0 tsm/bound reads $tsm" "$tsm" \
		"$(read_attr "$(tsm_attr "$DSM0" bound)")"
	check_errno "[$o] tsm_bind of $DSM0, bound for another VM, fails EBUSY" \
		EBUSY "$DSM0" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] pci_tsm_unbind() of $DSM0" 0 "$DSM0" \
		"$DEVSEC_DBG/tsm_unbind"
	check_eq "[$o] $DSM0 tsm/bound empty after pci_tsm_unbind()" "" \
		"$(read_attr "$(tsm_attr "$DSM0" bound)")"
}

# link_tsm_class O TSM: a TSM registered without PCI operations
# (tsm_register(NULL, NULL)) and the context constructors a TSM's probe
# runs, called for a DSM, a dependent function and a root port with the
# link TSM and with that TSM (the devsec_aptest test module)
link_tsm_class()
{
	local o=$1 tsm=$2 ap=/sys/module/devsec_aptest/parameters none rp
	local ready ev events

	if ! have_module devsec_aptest; then
		echo "# devsec_aptest not available: tsm_register(NULL) not checked"
		return
	fi
	rp=$(basename "$(dirname "$(realpath "$(pci_sysfs "$DSM0")")")")
	check "[$o] modprobe devsec_aptest" modprobe devsec_aptest
	# the uevents of the tsm class while the TSM comes and goes (a
	# listener in python's standard library alone: seconds to start on
	# the debug kernel under TCG, where importing YNL took half a minute)
	coproc UEV { python3 "$DEVSEC_LIB_DIR/uevents.py" tsm 600; }
	read -r -t 120 ready <&"${UEV[0]}"
	check_eq "[$o] uevent listener ready" ready "${ready:-}"
	check_errno "[$o] tsm_register() without PCI ops" 0 1 "$ap/null_tsm"
	none=$(cat "$ap/null_tsm")
	check "[$o] the TSM without PCI ops has a name" test -n "$none"
	[ -n "$none" ] || none=tsm4095
	check "[$o] $none is in the tsm class" test -d "/sys/class/tsm/$none"
	check_eq "[$o] $none has no pci_mode" "<absent>" \
		"$(read_attr "/sys/class/tsm/$none/pci_mode")"
	check_errno "[$o] connect $DSM1 to $none fails ENXIO" ENXIO "$none" \
		"$(tsm_attr "$DSM1" connect)"
	check_eq "[$o] $DSM1 tsm/connect reads empty after it" "" \
		"$(read_attr "$(tsm_attr "$DSM1" connect)")"
	check_errno "[$o] pci_tsm_pf0_constructor($DSM0, $tsm)" 0 \
		"$DSM0 $tsm" "$ap/tsm_ctor"
	check_errno "[$o] pci_tsm_link_constructor($FN0, $tsm)" 0 \
		"$FN0 $tsm" "$ap/tsm_ctor"
	check_errno "[$o] pci_tsm_pf0_constructor($DSM0, $none) fails EINVAL" \
		EINVAL "$DSM0 $none" "$ap/tsm_ctor"
	check_errno "[$o] pci_tsm_link_constructor($FN0, $none) fails EINVAL" \
		EINVAL "$FN0 $none" "$ap/tsm_ctor"
	check_errno "[$o] pci_tsm_link_constructor(root port $rp) fails ENXIO" \
		ENXIO "$rp $tsm" "$ap/tsm_ctor"
	check_errno "[$o] tsm_unregister() of $none" 0 0 "$ap/null_tsm"
	check "[$o] /sys/class/tsm/$none gone" test ! -e "/sys/class/tsm/$none"
	events=""
	while read -r -t 20 ev <&"${UEV[0]}"; do
		events+="$ev;"
		[[ $ev == remove* ]] && break
	done
	kill "$UEV_PID" 2>/dev/null
	wait "$UEV_PID" 2>/dev/null
	# no DEVTYPE, and no KOBJ_CHANGE: a TSM without PCI operations is
	# never ready to serve PCI devices
	check_eq "[$o] uevents of $none: add and remove only" \
		"add $none DEVTYPE=;remove $none DEVTYPE=;" "$events"
	# unloading the module unregisters a TSM it left registered
	check_errno "[$o] tsm_register() without PCI ops, again" 0 1 \
		"$ap/null_tsm"
	none=$(cat "$ap/null_tsm")
	[ -n "$none" ] || none=tsm4095
	check "[$o] modprobe -r devsec_aptest" modprobe -r devsec_aptest
	check "[$o] /sys/class/tsm/$none gone with the module" \
		test ! -e "/sys/class/tsm/$none"
}

link_tsm_suite()
{
	local o="$1 first" tsm devsec_tsm="" d other fault f e left

	unload_all
	load_order "$1"

	tsm=$(tsm_by_mode link)
	check "[$o] pci_mode lookup finds the link TSM" test -n "$tsm"
	[ -n "$tsm" ] || tsm=tsm_missing
	check_eq "[$o] $tsm/device is the devsec_link_tsm faux device" \
		"$(realpath "$LINK_FAUX")" \
		"$(realpath "/sys/class/tsm/$tsm/device" 2>&1)"

	for d in "$DSM0" "$DSM1"; do
		check "[$o] $d has tsm/" test -d "$(pci_sysfs "$d")/tsm"
		check_eq "[$o] $d tsm/connect reads empty" "" \
			"$(read_attr "$(tsm_attr "$d" connect)")"
		check_eq "[$o] $d tsm/dsm reads empty" "" \
			"$(read_attr "$(tsm_attr "$d" dsm)")"
		check_eq "[$o] $d tsm/bound reads empty" "" \
			"$(read_attr "$(tsm_attr "$d" bound)")"
	done
	for d in "$FN0" "$FN1"; do
		check_eq "[$o] $d has no tsm/connect" "<absent>" \
			"$(read_attr "$(tsm_attr "$d" connect)")"
		check_eq "[$o] $d has no tsm/dsm while disconnected" \
			"<absent>" "$(read_attr "$(tsm_attr "$d" dsm)")"
		check_eq "[$o] $d has no authenticated while disconnected" \
			"<absent>" "$(read_attr "$(pci_sysfs "$d")/authenticated")"
	done

	# Errors before any connect
	check_errno "[$o] connect 'bogus' fails EINVAL" EINVAL bogus \
		"$(tsm_attr "$DSM0" connect)"
	check_errno "[$o] connect to a TSM that does not exist fails ENXIO" \
		ENXIO tsm4095 "$(tsm_attr "$DSM0" connect)"
	check_errno "[$o] disconnect of a disconnected DSM fails ENXIO" \
		ENXIO "$tsm" "$(tsm_attr "$DSM0" disconnect)"
	check_errno "[$o] tsm_bind of an unknown device fails ENODEV" ENODEV \
		"0000:99:1f.7" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] tsm_bind of a non-PCI name fails ENODEV" ENODEV \
		"bogus" "$DEVSEC_DBG/tsm_bind"
	other=
	for d in /sys/bus/pci/devices/0000:*; do
		[ -e "$d" ] && other=$(basename "$d") && break
	done
	if [ -n "$other" ]; then
		check_errno "[$o] tsm_bind of $other, no DSM, fails EINVAL" \
			EINVAL "$other" "$DEVSEC_DBG/tsm_bind"
	fi
	check_errno "[$o] tsm_bind of unconnected $FN0 fails EINVAL" EINVAL \
		"$FN0" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] tsm_request of unconnected $DSM0 fails ENXIO" ENXIO \
		"$DSM0" "$DEVSEC_DBG/tsm_request"
	# the faux device's attributes, upstream's sample ABI, answer alike
	check_errno "[$o] faux tsm_bind of an unknown device fails ENODEV" \
		ENODEV "0000:99:1f.7" "$LINK_FAUX/tsm_bind"
	check_errno "[$o] faux tsm_bind of unconnected $FN0 fails EINVAL" \
		EINVAL "$FN0" "$LINK_FAUX/tsm_bind"
	check_errno "[$o] faux tsm_request of unconnected $DSM0 fails ENXIO" \
		ENXIO "$DSM0" "$LINK_FAUX/tsm_request"
	check_errno "[$o] faux tsm_unbind of unbound $FN0 changes nothing" 0 \
		"$FN0" "$LINK_FAUX/tsm_unbind"

	# A connect failing on a broken or hostile mailbox leaves nothing
	# behind (the debug kernel's kmemleak and KASAN check the rest).  Each
	# one-shot fault must hit an exchange of the connect (the fault file
	# then reads "none 0") and fail it with its errno: EPROTO for garbage
	# (the SPDM version byte is garbled too), EIO for the others.
	fault=/sys/kernel/debug/devsec/$DSM0/fault
	for f in error:EIO busy:EIO timeout:EIO truncate:EIO corrupt-length:EIO \
		 garbage:EPROTO oversize:EIO reset:EIO; do
		e=${f#*:} f=${f%:*}
		if ! echo "$f 1" 2>/dev/null >"$fault"; then
			not_ok "[$o] inject DOE fault '$f' on $DSM0"
			continue
		fi
		check_errno "[$o] connect fails $e with DOE fault '$f'" "$e" \
			"$tsm" "$(tsm_attr "$DSM0" connect)"
		left=
		read -r left 2>/dev/null <"$fault"
		check_eq "[$o] DOE fault '$f' hit the connect" "none 0" "$left"
		check_eq "[$o] $DSM0 disconnected after fault '$f'" "" \
			"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	done
	echo none 2>/dev/null >"$fault"
	check_eq "[$o] $FN0 has no tsm/dsm after failed connects" "<absent>" \
		"$(read_attr "$(tsm_attr "$FN0" dsm)")"

	# Connect, traced, and read back
	trace_connect "$o" "$tsm" "$DSM0"
	check_eq "[$o] $DSM0 tsm/connect reads $tsm" "$tsm" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_eq "[$o] $DSM0 tsm/dsm reads $DSM0" "$DSM0" \
		"$(read_attr "$(tsm_attr "$DSM0" dsm)")"
	check_eq "[$o] $FN0 tsm/dsm reads $DSM0" "$DSM0" \
		"$(read_attr "$(tsm_attr "$FN0" dsm)")"
	check_eq "[$o] $FN0 authenticated reads $tsm" "$tsm" \
		"$(read_attr "$(pci_sysfs "$FN0")/authenticated")"
	check_eq "[$o] $FN1, of disconnected $DSM1, has no authenticated" \
		"<absent>" "$(read_attr "$(pci_sysfs "$FN1")/authenticated")"
	check_eq "[$o] $FN0 tsm/bound reads empty" "" \
		"$(read_attr "$(tsm_attr "$FN0" bound)")"
	check_eq "[$o] $FN0 still has no tsm/connect" "<absent>" \
		"$(read_attr "$(tsm_attr "$FN0" connect)")"
	check_eq "[$o] $DSM1 stays disconnected" "" \
		"$(read_attr "$(tsm_attr "$DSM1" connect)")"
	check_eq "[$o] $FN1 has no tsm/dsm" "<absent>" \
		"$(read_attr "$(tsm_attr "$FN1" dsm)")"

	# Errors while connected
	check_errno "[$o] second connect fails EBUSY" EBUSY "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_errno "[$o] disconnect 'bogus' fails EINVAL" EINVAL bogus \
		"$(tsm_attr "$DSM0" disconnect)"
	check_errno "[$o] disconnect naming another TSM fails EINVAL" EINVAL \
		tsm4095 "$(tsm_attr "$DSM0" disconnect)"
	check_eq "[$o] $DSM0 authenticated reads $tsm" "$tsm" \
		"$(read_attr "$(pci_sysfs "$DSM0")/authenticated")"
	if have_module devsec_tsm && modprobe devsec_tsm; then
		devsec_tsm=$(tsm_by_mode devsec)
	fi
	if [ -n "$devsec_tsm" ]; then
		check_errno "[$o] connect $DSM1 to devsec $devsec_tsm fails ENXIO" \
			ENXIO "$devsec_tsm" "$(tsm_attr "$DSM1" connect)"
		check_errno "[$o] disconnect naming $devsec_tsm fails EINVAL" \
			EINVAL "$devsec_tsm" "$(tsm_attr "$DSM0" disconnect)"
		modprobe -r devsec_tsm
	else
		echo "# devsec_tsm not available: devsec TSM errors not checked"
	fi
	check_eq "[$o] failed writes left $DSM0 connected" "$tsm" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_errno "[$o] tsm_bind of $DSM1 (not connected) fails EINVAL" EINVAL \
		"$DSM1" "$DEVSEC_DBG/tsm_bind"

	# Bind, guest request, manual unbind
	check_errno "[$o] tsm_request of unbound $FN0 fails ENXIO" ENXIO \
		"$FN0" "$DEVSEC_DBG/tsm_request"
	check_errno "[$o] tsm_bind $FN0" 0 "$FN0" "$DEVSEC_DBG/tsm_bind"
	check_eq "[$o] $FN0 tsm/bound reads $tsm" "$tsm" \
		"$(read_attr "$(tsm_attr "$FN0" bound)")"
	check_eq "[$o] $DSM0 tsm/bound still empty" "" \
		"$(read_attr "$(tsm_attr "$DSM0" bound)")"
	check_errno "[$o] tsm_bind $FN0 again (same VM) succeeds" 0 "$FN0" \
		"$DEVSEC_DBG/tsm_bind"
	link_pci_tsm_bind "$o" "$tsm"
	link_tsm_class "$o" "$tsm"
	check_errno "[$o] tsm_request (INFO) to bound $FN0" 0 "$FN0" \
		"$DEVSEC_DBG/tsm_request"
	check_errno "[$o] tsm_unbind $FN0" 0 "$FN0" "$DEVSEC_DBG/tsm_unbind"
	check_eq "[$o] $FN0 tsm/bound reads empty after unbind" "" \
		"$(read_attr "$(tsm_attr "$FN0" bound)")"
	check_errno "[$o] tsm_request to unbound $FN0 fails ENXIO" ENXIO \
		"$FN0" "$DEVSEC_DBG/tsm_request"
	check_errno "[$o] faux tsm_bind $FN0" 0 "$FN0" "$LINK_FAUX/tsm_bind"
	check_eq "[$o] $FN0 tsm/bound reads $tsm after faux tsm_bind" "$tsm" \
		"$(read_attr "$(tsm_attr "$FN0" bound)")"
	check_errno "[$o] tsm_bind $FN0 for another VM fails EBUSY" EBUSY \
		"$FN0" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] faux tsm_request (INFO) to bound $FN0" 0 "$FN0" \
		"$LINK_FAUX/tsm_request"
	check_errno "[$o] faux tsm_unbind $FN0" 0 "$FN0" "$LINK_FAUX/tsm_unbind"
	check_eq "[$o] $FN0 tsm/bound empty after faux tsm_unbind" "" \
		"$(read_attr "$(tsm_attr "$FN0" bound)")"

	# Automatic unbind at disconnect
	check_errno "[$o] tsm_bind $DSM0" 0 "$DSM0" "$DEVSEC_DBG/tsm_bind"
	check_errno "[$o] tsm_bind $FN0" 0 "$FN0" "$DEVSEC_DBG/tsm_bind"
	check_eq "[$o] $DSM0 tsm/bound reads $tsm" "$tsm" \
		"$(read_attr "$(tsm_attr "$DSM0" bound)")"
	check_errno "[$o] disconnect $DSM0" 0 "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_eq "[$o] $DSM0 tsm/connect reads empty" "" \
		"$(read_attr "$(tsm_attr "$DSM0" connect)")"
	check_eq "[$o] $DSM0 tsm/dsm reads empty" "" \
		"$(read_attr "$(tsm_attr "$DSM0" dsm)")"
	check_eq "[$o] $DSM0 unbound by disconnect" "" \
		"$(read_attr "$(tsm_attr "$DSM0" bound)")"
	check_eq "[$o] $FN0 tsm/dsm gone after disconnect" "<absent>" \
		"$(read_attr "$(tsm_attr "$FN0" dsm)")"
	check_eq "[$o] $FN0 authenticated gone after disconnect" "<absent>" \
		"$(read_attr "$(pci_sysfs "$FN0")/authenticated")"
	check_eq "[$o] $FN0 tsm/bound gone after disconnect" "<absent>" \
		"$(read_attr "$(tsm_attr "$FN0" bound)")"
	check_errno "[$o] second disconnect fails ENXIO" ENXIO "$tsm" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_errno "[$o] reconnect $DSM0" 0 "$tsm" \
		"$(tsm_attr "$DSM0" connect)"
	check_eq "[$o] $FN0 not bound after reconnect" "" \
		"$(read_attr "$(tsm_attr "$FN0" bound)")"
	check_errno "[$o] tsm_bind $FN0 after reconnect" 0 "$FN0" \
		"$DEVSEC_DBG/tsm_bind"

	# Teardown with devices connected (and a TDI bound)
	check_errno "[$o] connect $DSM1" 0 "$tsm" "$(tsm_attr "$DSM1" connect)"
	if [ "$1" = bus ]; then
		check "[$o] modprobe -r devsec_link_tsm while connected" \
			modprobe -r devsec_link_tsm
		check "[$o] no TSM registered after unload" \
			test -z "$(ls /sys/class/tsm 2>/dev/null)"
		check_eq "[$o] $DSM0 link attributes gone with the TSM" \
			"<absent>" "$(read_attr "$(tsm_attr "$DSM0" connect)")"
		check "[$o] modprobe -r devsec_bus" modprobe -r devsec_bus
	else
		check "[$o] modprobe -r devsec_bus while connected" \
			modprobe -r devsec_bus
		check "[$o] sample devices gone" \
			test ! -e "$(pci_sysfs "$DSM0")"
		check "[$o] modprobe -r devsec_link_tsm" \
			modprobe -r devsec_link_tsm
	fi
	check "[$o] $LINK_FAUX gone" test ! -e "$LINK_FAUX"
	unload_all
}

want_order bus && link_tsm_suite bus
want_order tsm && link_tsm_suite tsm
