# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the devsec guest tests: KTAP-style output, checks of
# commands and of errno values written to sysfs.

DEVSEC_NR=0
DEVSEC_FAILED=0

ktap_header()
{
	echo "TAP version 13"
}

ok()
{
	DEVSEC_NR=$((DEVSEC_NR + 1))
	echo "ok $DEVSEC_NR - $*"
}

not_ok()
{
	DEVSEC_NR=$((DEVSEC_NR + 1))
	DEVSEC_FAILED=$((DEVSEC_FAILED + 1))
	echo "not ok $DEVSEC_NR - $*"
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

# write_errno VALUE FILE: write VALUE to FILE with a single write(2) and
# print the errno name on failure ("0" on success).  Pure bash: spawning an
# interpreter per write is slow on a debug kernel under TCG.
write_errno()
{
	local err

	err=$( { printf '%s' "$1" >"$2"; } 2>&1 ) && { echo 0; return; }
	case "$err" in
	*"Invalid argument"*) echo EINVAL ;;
	*"Device or resource busy"*) echo EBUSY ;;
	*"No such device or address"*) echo ENXIO ;;
	*"No such device"*) echo ENODEV ;;
	*"No such file or directory"*) echo ENOENT ;;
	*"Operation not supported"*) echo EOPNOTSUPP ;;
	*"Operation not permitted"*) echo EPERM ;;
	*"Permission denied"*) echo EACCES ;;
	*"Resource temporarily unavailable"*) echo EAGAIN ;;
	*"File too large"*) echo EFBIG ;;
	*"Input/output error"*) echo EIO ;;
	*"Connection timed out"*) echo ETIMEDOUT ;;
	*"Operation canceled"*) echo ECANCELED ;;
	*"Cannot allocate memory"*) echo ENOMEM ;;
	*"Numerical result out of range"*) echo ERANGE ;;
	*"Protocol error"*) echo EPROTO ;;
	*"Bad message"*) echo EBADMSG ;;
	*"Message too long"*) echo EMSGSIZE ;;
	*) echo "unknown: $err" ;;
	esac
}

# check_errno DESCRIPTION ERRNO VALUE FILE: writing VALUE to FILE must fail
# with ERRNO (e.g. EINVAL), or succeed when ERRNO is 0.
check_errno()
{
	check_eq "$1" "$2" "$(write_errno "$3" "$4")"
}

ktap_finish()
{
	echo "# $DEVSEC_NR checks, $DEVSEC_FAILED failed"
	[ "$DEVSEC_FAILED" -eq 0 ]
	exit
}
