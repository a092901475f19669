# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the devsec guest tests: KTAP-style output, checks of
# commands and of errno values written to sysfs.

DEVSEC_NR=0
DEVSEC_FAILED=0

# KTAP through the kselftest helpers: beside this file when kselftest
# copied the tests (O=...), else in the source tree.
DEVSEC_LIB_DIR=$(dirname "${BASH_SOURCE[0]}")
# DEVSEC_KSRC: the prepared kernel tree (tools, specs); the checkout's
# build/linux unless kselftest.sh says otherwise.
DEVSEC_KSRC=${DEVSEC_KSRC:-$(cd "$DEVSEC_LIB_DIR/../../.." && pwd)/build/linux}
for f in "$DEVSEC_LIB_DIR/ktap_helpers.sh" \
	 "$DEVSEC_LIB_DIR/../selftests/kselftest/ktap_helpers.sh" \
	 "$DEVSEC_KSRC/tools/testing/selftests/kselftest/ktap_helpers.sh"; do
	if [ -f "$f" ]; then
		. "$f"
		break
	fi
done
if ! declare -F ktap_test_pass >/dev/null; then
	echo "# ktap_helpers.sh not found; plain KTAP output"
	KTAP_TESTNO=1
	ktap_print_header() { echo "TAP version 13"; }
	__devsec_ktap() { echo "$1 $KTAP_TESTNO $2"; KTAP_TESTNO=$((KTAP_TESTNO + 1)); }
	ktap_test_pass() { __devsec_ktap ok "$1"; }
	ktap_test_fail() { __devsec_ktap "not ok" "$1"; }
	ktap_set_plan() { echo "1..$1"; }
	ktap_finished() { [ "$DEVSEC_FAILED" -eq 0 ]; exit; }
	ktap_exit_fail_msg() { echo "Bail out! $*"; exit 1; }
fi

ktap_header()
{
	ktap_print_header
}

# Checks that fail because of a known kernel defect, by description, with
# the issue that tracks it.  Such a check still runs and reports
# "not ok N DESC # TODO WHY" (KTAP), without failing the run; once it
# passes, it fails the run until its entry here is removed with the fix,
# so no entry outlives its defect.
declare -A DEVSEC_KNOWN_DEFECTS=(
)
DEVSEC_TODO=0

# devsec_ktap RESULT DESCRIPTION DIRECTIVE: one KTAP line outside the
# pass/fail helpers; counted as a skip in the kselftest totals
devsec_ktap()
{
	echo "$1 ${KTAP_TESTNO:-0} $2 # $3"
	KTAP_TESTNO=$((${KTAP_TESTNO:-0} + 1))
	KTAP_CNT_SKIP=$((${KTAP_CNT_SKIP:-0} + 1))
}

ok()
{
	local why=${DEVSEC_KNOWN_DEFECTS["$*"]:-}

	DEVSEC_NR=$((DEVSEC_NR + 1))
	# descriptions hold brackets: no globbing in the helpers' echo
	set -f
	if [ -n "$why" ]; then
		DEVSEC_FAILED=$((DEVSEC_FAILED + 1))
		ktap_test_fail "$* # fixed? drop it from DEVSEC_KNOWN_DEFECTS"
		echo "# the defect was: $why"
	else
		ktap_test_pass "$*"
	fi
	set +f
}

not_ok()
{
	local why=${DEVSEC_KNOWN_DEFECTS["$*"]:-}

	DEVSEC_NR=$((DEVSEC_NR + 1))
	set -f
	if [ -n "$why" ]; then
		DEVSEC_TODO=$((DEVSEC_TODO + 1))
		devsec_ktap "not ok" "$*" "TODO $why"
	else
		DEVSEC_FAILED=$((DEVSEC_FAILED + 1))
		ktap_test_fail "$*"
	fi
	set +f
}

# check DESCRIPTION CMD...: the command must succeed.
check()
{
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		[ -n "$out" ] && sed 's/^/# /' <<<"$out"
	fi
}

# check_fail DESCRIPTION CMD...: the command must fail.
check_fail()
{
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		not_ok "$desc (unexpectedly succeeded)"
	else
		ok "$desc"
	fi
}

# mounted MOUNTPOINT TYPE...: a filesystem of each TYPE is mounted on its
# MOUNTPOINT, by /proc/mounts (the directories exist unmounted too);
# prints what is not.  Pure bash.
mounted()
{
	local mnt type have=" " missing=

	[ -r /proc/mounts ] || { echo "/proc/mounts cannot be read"; return 1; }
	while read -r _ mnt type _; do
		have+="$mnt:$type "
	done </proc/mounts
	while [ $# -ge 2 ]; do
		[[ $have == *" $1:$2 "* ]] || missing+=" $2 on $1"
		shift 2
	done
	[ -z "$missing" ] || { echo "not mounted:$missing"; return 1; }
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "# expected '$2', got '$3'"
	fi
}

# errno_set MESSAGE: ERRNO_NAME becomes the name of the errno whose
# strerror() text is in MESSAGE, what bash prints when a redirection, a
# read or a write fails; no subshell, for loops on the debug kernel
errno_set()
{
	case "$1" in
	*"Invalid argument"*) ERRNO_NAME=EINVAL ;;
	*"Device or resource busy"*) ERRNO_NAME=EBUSY ;;
	*"No such device or address"*) ERRNO_NAME=ENXIO ;;
	*"No such device"*) ERRNO_NAME=ENODEV ;;
	*"No such file or directory"*) ERRNO_NAME=ENOENT ;;
	*"Operation not supported"*) ERRNO_NAME=EOPNOTSUPP ;;
	*"Operation not permitted"*) ERRNO_NAME=EPERM ;;
	*"Permission denied"*) ERRNO_NAME=EACCES ;;
	*"Resource temporarily unavailable"*) ERRNO_NAME=EAGAIN ;;
	*"File too large"*) ERRNO_NAME=EFBIG ;;
	*"Input/output error"*) ERRNO_NAME=EIO ;;
	*"Connection timed out"*) ERRNO_NAME=ETIMEDOUT ;;
	*"Operation canceled"*) ERRNO_NAME=ECANCELED ;;
	*"Cannot allocate memory"*) ERRNO_NAME=ENOMEM ;;
	*"Numerical result out of range"*) ERRNO_NAME=ERANGE ;;
	*"Protocol error"*) ERRNO_NAME=EPROTO ;;
	*"Bad message"*) ERRNO_NAME=EBADMSG ;;
	*"Message too long"*) ERRNO_NAME=EMSGSIZE ;;
	*"Interrupted system call"*) ERRNO_NAME=EINTR ;;
	*) ERRNO_NAME="unknown: $1" ;;
	esac
}

# errno_name MESSAGE: the same, printed
errno_name()
{
	errno_set "$1"
	echo "$ERRNO_NAME"
}

# A scratch directory for what the helpers below capture without a
# subshell (a fork costs a third of a second on the debug kernel under
# TCG, starting a program more); one file per shell, background shells
# included, named by $BASHPID.  Removed when the sourcing shell exits.
DEVSEC_SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/devsec.XXXXXX")
trap 'rm -rf "$DEVSEC_SCRATCH"' EXIT

# write_errno_set VALUE FILE: write VALUE to FILE with a single write(2);
# WRITE_ERRNO becomes the errno name on failure, "0" on success.  No
# subshell and no process.
write_errno_set()
{
	local f=$DEVSEC_SCRATCH/$BASHPID err=

	if { printf '%s' "$1" >"$2"; } 2>"$f"; then
		WRITE_ERRNO=0
	else
		read -r err <"$f"
		errno_set "$err"
		WRITE_ERRNO=$ERRNO_NAME
	fi
}

# write_errno VALUE FILE: the same, printed
write_errno()
{
	write_errno_set "$1" "$2"
	echo "$WRITE_ERRNO"
}

# check_errno DESCRIPTION ERRNO VALUE FILE: writing VALUE to FILE must fail
# with ERRNO (e.g. EINVAL), or succeed when ERRNO is 0.
check_errno()
{
	write_errno_set "$3" "$4"
	check_eq "$1" "$2" "$WRITE_ERRNO"
}

# read_attr FILE: the attribute's content, or "<absent>"; builtins only
read_attr()
{
	local l

	if [ ! -e "$1" ]; then
		echo "<absent>"
		return
	fi
	{
		while IFS= read -r l; do
			printf '%s\n' "$l"
		done
		[ -z "$l" ] || printf '%s' "$l"
	} <"$1" 2>&1
}

ktap_finish()
{
	echo "# $DEVSEC_NR checks, $DEVSEC_FAILED failed, $DEVSEC_TODO known defects (TODO)"
	ktap_set_plan "$DEVSEC_NR"
	ktap_finished
}

# --- the simulated platform (samples/devsec) ----------------------------

# quick N_QUICK N_FULL: a repetition count for the DEVSEC_QUICK mode or not
quick()
{
	if [ "${DEVSEC_QUICK:-0}" = 1 ]; then echo "$1"; else echo "$2"; fi
}

DSM0=10000:01:00.0
FN0=10000:01:00.1
DSM1=10001:03:00.0
FN1=10001:03:00.1
LINK_FAUX=/sys/bus/faux/devices/devsec_link_tsm
# the PCI/TSM calls a VMM makes (pci_tsm_bind() ...), from devsec_bus
DEVSEC_DBG=/sys/kernel/debug/devsec
TRACEFS=/sys/kernel/tracing

pci_sysfs() { echo "/sys/bus/pci/devices/$1"; }
tsm_attr() { echo "/sys/bus/pci/devices/$1/tsm/$2"; }


# tsm_by_mode MODE: name of the first registered TSM whose pci_mode is MODE
tsm_by_mode()
{
	local t mode

	for t in /sys/class/tsm/tsm*; do
		[ -e "$t/pci_mode" ] || continue
		read -r mode <"$t/pci_mode" || continue
		if [ "$mode" = "$1" ]; then
			echo "${t##*/}"
			return 0
		fi
	done
	return 1
}

have_module() { modinfo "$1" >/dev/null 2>&1; }

# load_order ORDER: load the bus and the link TSM, "bus" or "tsm" first
load_order()
{
	local first second

	if [ "$1" = bus ]; then
		first=devsec_bus second=devsec_link_tsm
	else
		first=devsec_link_tsm second=devsec_bus
	fi
	check "[$1 first] modprobe $first" modprobe "$first"
	check "[$1 first] modprobe $second" modprobe "$second"
}

# unload_all: remove the sample modules that are loaded, with one
# modprobe: each process costs seconds on the debug kernel under TCG
unload_all()
{
	local m mods=()

	# every sample module: a suite starts where no other suite left
	# one loaded with its own parameters (modprobe keeps a loaded
	# module's parameters and ignores the new ones)
	for m in devsec_aptest devsec_pci devsec_tsm devsec_link_tsm \
		 devsec_bus devsec_common; do
		[ -d "/sys/module/$m" ] && mods+=("$m")
	done
	[ ${#mods[@]} -eq 0 ] || modprobe -r "${mods[@]}" 2>/dev/null
}

# devsec_sleep SECONDS: sleep without starting a process (a read that
# times out on a pipe nobody writes to); a process costs seconds on the
# debug kernel under TCG
exec {DEVSEC_SLEEP_FD}<> <(:)
devsec_sleep()
{
	read -rt "$1" -u "$DEVSEC_SLEEP_FD" || :
}

# DEVSEC_ORDERS="bus tsm" (default): the module load orders the suites that
# repeat per order (link, ide, tvm) run in.  make check's debug kernel
# runs "bus" only: the other order adds no code path KASAN or kmemleak
# would see, and the debug guest is slow.
want_order()
{
	local orders=${DEVSEC_ORDERS:-bus tsm}

	[[ " ${orders//,/ } " == *" $1 "* ]]
}
