# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the host side of the devsec harness.  Sourced, not run.

# Debian's tools first (python3 with python3-ply, -yaml, ...), not a
# user-installed interpreter that lacks the Debian modules.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
KSRC=$BUILD/linux
LOGS=$BUILD/logs
BASE_TARBALL=${BASE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
DEVSEC_DIR=$TOP/tools/testing/devsec
JOBS=${JOBS:-$(nproc)}
# Several checkouts (git worktrees) share one ccache: hash paths relative
# to the checkout so the same tree built elsewhere still hits.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$TOP}
# Both kernels, four configurations and every commit of the series: keep
# them all, or make check starts cold on its next run.
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-40G}

mkdir -p "$LOGS"

step() { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }

# die MESSAGE [LOG]: one clear line naming what failed and where to look.
die() {
	printf 'FAILED: %s\n' "$1" >&2
	if [ -n "${2:-}" ]; then
		printf '        log: %s\n' "$2" >&2
		if [ -f "$2" ]; then
			printf -- '-------- last lines of %s --------\n' "$2" >&2
			tail -n 25 "$2" >&2
		fi
	fi
	exit 1
}

# run_logged LOG CMD...: run a long command with its output in LOG only.
run_logged() {
	local log=$1
	shift
	"$@" >"$log" 2>&1
}

# What fails a guest run when the kernel prints it (DESIGN.md section 3),
# one extended regex per line: the headers of BUG/WARN, KASAN, UBSAN,
# lockdep (its reports start with "WARNING:" or "INFO:"), RCU stall, hung
# task and kmemleak reports, and the list and refcount checks.
SPLAT_PATTERNS='BUG:
WARNING:
Oops
Kernel panic
possible circular locking
INFO: trying to register non-static key
INFO: (possible|inconsistent|suspicious)
INFO: .*(detected stalls|self-detected stall)
KASAN:
UBSAN:
kmemleak: [0-9]+ new suspected
unreferenced object
refcount_t:
list_(add|del) corruption
hung_task
blocked for more than'

# splat_scan CONSOLE: print the splat lines of a guest console log (with
# line numbers); true when there is one.  The kernel command line, which
# names test parameters, is not a kernel message.
splat_scan() {
	grep -av 'ommand line' "$1" | grep -anE "$(paste -sd'|' <<<"$SPLAT_PATTERNS")"
}

# tree_warnings LOG SRC OBJ: the compiler warnings of a build log (make -C
# SRC O=OBJ), each naming its file relative to SRC.  gcc names a file the
# way its command line did: relative to OBJ when ccache's base_dir made
# it so, else absolute.
tree_warnings() {
	local rel abs
	rel=$(realpath -m --relative-to="$3" "$2")
	abs=$(realpath -m "$2")
	sed -nE -e "s#^(${rel//./\\.}|${abs//./\\.})/##" \
		-e '/^[^ :]+:[0-9]+:[0-9]+: warning:/p' "$1"
}

# Object directory and module install directory for a kernel flavor.
# "devsec" is the plain test kernel, "debug" adds debug.config.
objdir() { echo "$BUILD/obj-$1"; }
moddir() { echo "$BUILD/mods-$1"; }

kernel_release() {
	cat "$(objdir "$1")/include/config/kernel.release"
}

# Serialise users of build/linux (lock "tree") and of each object
# directory (lock "obj-<flavor>"): several developers or agents may share
# one build/.  Children inherit the locks they were started with.
# take_lock NAME [-s]: -s for a shared lock (a guest using a kernel).
take_lock() {
	local var=DEVSEC_LOCKED_${1//-/_} fd
	[ -n "${!var:-}" ] && return 0
	exec {fd}>"$BUILD/.lock-$1"
	flock ${2:-} "$fd"
	export "$var=1"
}
