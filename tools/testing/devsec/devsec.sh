#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Exercise the PCI/TSM stack with the samples/devsec simulated bus, link
# TSM and devsec TSM.  Runs as root in a guest booted with the devsec
# kernel (tools/testing/devsec/devsec.config); prints KTAP-style results
# and exits non-zero if any check failed.

. "$(dirname "$0")/lib.sh"

ktap_header

# --- the booted kernel ---------------------------------------------------
check "kernel is 6.12" grep -q '^6\.12\.' <<<"$(uname -r)"
check "PCI is enumerated" test -d /sys/bus/pci/devices
check "modules are installed for $(uname -r)" \
	test -f "/lib/modules/$(uname -r)/modules.dep"
check "sysfs, procfs and debugfs are mounted" \
	test -d /sys/kernel/debug -a -f /proc/iomem -a -d /sys/class

ktap_finish
