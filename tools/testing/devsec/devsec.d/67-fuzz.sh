# SPDX-License-Identifier: GPL-2.0
# Suite "fuzz": a hostile device.  The mailbox of DSM0 mutates a share of
# its responses at random (debugfs devsec/<bdf>/fuzz: bit flips,
# truncation, extension, DOE length, SPDM and secured message headers,
# length fields, the TDISP / IDE_KM payloads at the end) while connect,
# disconnect, lock, accept, unlock, evidence refresh and removal run in a
# random order.  Every operation must end in success or a clean errno in
# bounded time, the kernel must stay silent (the harness fails the run on
# a splat or a kmemleak report), and once the mutation stops the device
# must connect, lock and accept as before.  Sourced by devsec.sh.
#   DEVSEC_FUZZ_SEED  seed of the mutations and of the operation order
#                     (default 1)
#   DEVSEC_FUZZ_OPS   operations (default 400, 120 with DEVSEC_QUICK=1)
#   DEVSEC_FUZZ_RATE  percentage of the responses mutated (default 8)

FUZZ_ERR=/tmp/fuzz.err
# What a hostile device may make an operation fail with; anything else
# (ENOMEM: a length field sized an allocation; EFAULT; an errno no
# operation documents) is a finding.
FUZZ_CLEAN=" 0 EIO EPROTO EINVAL ENXIO EBUSY ETIMEDOUT ENODEV EMSGSIZE"
FUZZ_CLEAN+=" EACCES EBADMSG ERANGE EOPNOTSUPP "

# fuzz_write VALUE FILE: write from this shell; FUZZ_RC is 0 or the errno
fuzz_write()
{
	{ printf '%s' "$1" >"$2"; } 2>"$FUZZ_ERR"
	fuzz_rc $?
}

# fuzz_rc STATUS: FUZZ_RC from an exit status and the message in FUZZ_ERR
fuzz_rc()
{
	local err=

	FUZZ_RC=0
	[ "$1" = 0 ] && return
	read -r err <"$FUZZ_ERR" || :
	errno_set "$err"
	FUZZ_RC=$ERRNO_NAME
}

# fuzz_refresh: an evidence dump with a nonce (a signed refresh) through
# tools/pci/tsm-evidence: the only operation that starts a process
fuzz_refresh()
{
	"/lib/modules/$(uname -r)/devsec/tsm-evidence" dump -d "$DSM0" \
		-t measurements -o /dev/null --nonce 0123456789abcdef \
		2>"$FUZZ_ERR" >/dev/null
	fuzz_rc $?
}

# fuzz_op N: run operation N (0..9) on DSM0
fuzz_op()
{
	case $1 in
	0 | 1) fuzz_write "$FUZZ_LINK" "$(tsm_attr "$DSM0" connect)" ;;
	2) fuzz_write "$FUZZ_LINK" "$(tsm_attr "$DSM0" disconnect)" ;;
	3 | 4) fuzz_write "$FUZZ_DTSM" "$(tsm_attr "$DSM0" lock)" ;;
	5 | 6) fuzz_write 1 "$(tsm_attr "$DSM0" accept)" ;;
	7) fuzz_write "$FUZZ_DTSM" "$(tsm_attr "$DSM0" unlock)" ;;
	8) fuzz_refresh ;;
	9)
		fuzz_write 1 "$(pci_sysfs "$DSM0")/remove"
		[ "$FUZZ_RC" = 0 ] && fuzz_write 1 /sys/bus/pci/rescan
		;;
	esac
}

FUZZ_OPNAMES=([0]=connect [1]=connect [2]=disconnect [3]=lock [4]=lock
	      [5]=accept [6]=accept [7]=unlock [8]=refresh [9]=remove)

# fuzz_outcomes: distinct failing requests in the pci_tsm_done trace, as
# "request:steps:rc": the step at which a request fails says which parse
# of which response caught the device
fuzz_outcomes()
{
	local l type steps rc
	declare -A seen=()

	while IFS= read -r l; do
		[[ $l == *" pci_tsm_done: $DSM0 "* ]] || continue
		l=${l#* pci_tsm_done: $DSM0 }
		type=${l%% *}
		steps=${l#*steps=}
		steps=${steps%% *}
		rc=${l#*rc=}
		rc=${rc%% *}
		[ "$rc" = 0 ] || seen["$type:$steps:$rc"]=1
	done <"$TRACEFS/trace"
	FUZZ_NR_OUTCOMES=${#seen[@]}
	FUZZ_REQUESTS_FAILED=" ${!seen[*]} "
}

fuzz_suite()
{
	local seed=${DEVSEC_FUZZ_SEED:-1} rate=${DEVSEC_FUZZ_RATE:-8}
	local nr=${DEVSEC_FUZZ_OPS:-$(quick 120 400)}
	local fuzz=/sys/kernel/debug/devsec/$DSM0/fuzz
	local i op key t0 dt bad=0 slow=0 stats pairs=" " kinds
	declare -A counts=()

	unload_all
	load_order bus
	if ! modprobe devsec_tsm; then
		not_ok "[fuzz] modprobe devsec_tsm"
		unload_all
		return
	fi
	FUZZ_LINK=$(tsm_by_mode link)
	FUZZ_DTSM=$(tsm_by_mode devsec)

	# Bad input to the knob itself
	check_errno "[fuzz] a rate above 100 fails EINVAL" EINVAL "1 101" "$fuzz"
	check_errno "[fuzz] a malformed setting fails EINVAL" EINVAL "bogus" \
		"$fuzz"
	check_errno "[fuzz] seed $seed, rate $rate %" 0 "$seed $rate" "$fuzz"

	echo 0 >"$TRACEFS/tracing_on"
	echo >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/pci_tsm/pci_tsm_done/enable"
	echo 1 >"$TRACEFS/tracing_on"

	RANDOM=$seed
	for ((i = 0; i < nr; i++)); do
		op=$((RANDOM % 10))
		t0=$SECONDS
		fuzz_op "$op"
		dt=$((SECONDS - t0))
		key=${FUZZ_OPNAMES[$op]}:$FUZZ_RC
		counts[$key]=$((${counts[$key]:-0} + 1))
		if [[ $FUZZ_CLEAN != *" $FUZZ_RC "* ]]; then
			bad=$((bad + 1))
			echo "# fuzz op $i ${FUZZ_OPNAMES[$op]}: $FUZZ_RC"
		fi
		# a request is bounded by PCI_TSM_REQ_TIMEOUT_NS (60 s)
		if ((dt > 65)); then
			slow=$((slow + 1))
			echo "# fuzz op $i ${FUZZ_OPNAMES[$op]}: $dt s"
		fi
	done

	echo 0 >"$TRACEFS/tracing_on"
	echo 0 >"$TRACEFS/events/pci_tsm/pci_tsm_done/enable"
	read -r stats <"$fuzz"
	check_errno "[fuzz] stop the mutation" 0 off "$fuzz"
	fuzz_outcomes
	for op in "${!counts[@]}"; do
		pairs+="$op=${counts[$op]} "
	done
	echo "# fuzz: $nr operations: $pairs"
	echo "# fuzz: mailbox: $stats"
	echo "# fuzz: $FUZZ_NR_OUTCOMES distinct failing requests" \
	     "(request:steps:rc):$FUZZ_REQUESTS_FAILED"
	check_eq "[fuzz] every operation ended in success or a clean errno" \
		0 "$bad"
	check_eq "[fuzz] every operation ended within the request timeout" \
		0 "$slow"
	kinds=${stats#* mutated }
	kinds=${kinds%% *}
	check "[fuzz] responses were mutated ($kinds)" test "${kinds:-0}" -gt 0
	check "[fuzz] the device failed requests in more than one way" \
		test "$FUZZ_NR_OUTCOMES" -gt 1

	# The device is usable once the mutation stops: whatever state the
	# run left, undo it, then every operation works again
	fuzz_write "$FUZZ_LINK" "$(tsm_attr "$DSM0" disconnect)"
	fuzz_write "$FUZZ_DTSM" "$(tsm_attr "$DSM0" unlock)"
	# The interface may still be locked, with no lock in the kernel: a
	# lock whose session a MAC failure ended had its unlock open a new
	# session to stop the interface, and that can fail too while the
	# responses are mutated.  The lock below must stop it first (the
	# faults suite checks both deterministically).
	echo "# fuzz: $DSM0 left $(cat "/sys/kernel/debug/devsec/$DSM0/tdisp")," \
	     "lock '$(read_attr "$(tsm_attr "$DSM0" lock)")'"

	check_errno "[fuzz] connect $DSM0 after the run" 0 "$FUZZ_LINK" \
		"$(tsm_attr "$DSM0" connect)"
	fuzz_refresh
	check_eq "[fuzz] refresh its evidence" 0 "$FUZZ_RC"
	check_errno "[fuzz] disconnect $DSM0" 0 "$FUZZ_LINK" \
		"$(tsm_attr "$DSM0" disconnect)"
	check_errno "[fuzz] lock $DSM0" 0 "$FUZZ_DTSM" "$(tsm_attr "$DSM0" lock)"
	check_errno "[fuzz] accept $DSM0" 0 1 "$(tsm_attr "$DSM0" accept)"
	check_eq "[fuzz] $DSM0 runs" RUN \
		"$(cat "/sys/kernel/debug/devsec/$DSM0/tdisp")"
	check_errno "[fuzz] unlock $DSM0" 0 "$FUZZ_DTSM" \
		"$(tsm_attr "$DSM0" unlock)"
	check_eq "[fuzz] $DSM0 is CONFIG_UNLOCKED" CONFIG_UNLOCKED \
		"$(cat "/sys/kernel/debug/devsec/$DSM0/tdisp")"
	rm -f "$FUZZ_ERR"
	unload_all
}

fuzz_suite
