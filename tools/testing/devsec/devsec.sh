#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Exercise the PCI/TSM stack with the samples/devsec simulated bus, link
# TSM and devsec TSM.  Runs as root in a guest booted with the devsec
# kernel (tools/testing/devsec/devsec.config); prints KTAP-style results
# and exits non-zero if any check failed.
#
# Environment (also taken from the kernel command line, see guest-init.sh):
#   DEVSEC_SUITES="link ide ..."  run only these suites (default: all;
#                                 "link,ide" on the kernel command line)
#   DEVSEC_ORDERS="bus tsm"       module load orders of link, ide and tvm
#   DEVSEC_QUICK=1                every check, fewer repetitions: for the
#                                 debug kernel, where each process costs
#                                 seconds under TCG
#   STRESS_SECONDS=N              length of the stress suite

. "$(dirname "$0")/lib.sh"

ktap_header

# Every suite asked for exists: a misspelt name must not pass as a run
# that found nothing wrong.
for suite in ${DEVSEC_SUITES//,/ }; do
	compgen -G "$(dirname "$0")/devsec.d/[0-9]*-$suite.sh" >/dev/null ||
		ktap_exit_fail_msg "no suite '$suite' (DEVSEC_SUITES=$DEVSEC_SUITES)"
done

# --- the booted kernel ---------------------------------------------------
check "kernel is 6.12" grep -q '^6\.12\.' <<<"$(uname -r)"
check "PCI is enumerated" test -d /sys/bus/pci/devices
check "modules are installed for $(uname -r)" \
	test -f "/lib/modules/$(uname -r)/modules.dep"
check "sysfs, procfs and debugfs are mounted" \
	mounted /sys sysfs /proc proc /sys/kernel/debug debugfs

# DEVSEC_SUITES="link ide ...": run only these suites (default: all);
# commas separate them too, as on the kernel command line.
# Every suite is a file devsec.d/NN-NAME.sh, sourced here in order, that
# runs its checks with the helpers of lib.sh.
want_suite()
{
	[ -z "${DEVSEC_SUITES:-}" ] || [[ " ${DEVSEC_SUITES//,/ } " == *" $1 "* ]]
}

# suite_time NAME T0 CHECKS0: one diagnostic line per suite, so a slow
# suite shows in the log of a guest that ran out of time.
suite_time()
{
	echo "# suite $1: $((DEVSEC_NR - $3)) checks in $((SECONDS - $2)) s"
}

for suite in "$(dirname "$0")"/devsec.d/[0-9]*.sh; do
	[ -e "$suite" ] || continue
	name=$(basename "$suite" .sh)
	want_suite "${name#*-}" || continue
	echo "# suite ${name#*-}"
	suite_t0=$SECONDS suite_n0=$DEVSEC_NR
	. "$suite"
	suite_time "${name#*-}" "$suite_t0" "$suite_n0"
done
unload_all

ktap_finish
