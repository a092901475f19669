#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "stress": several processes drive the same and
# different devices for a bounded time
# (tools/testing/devsec/devsec.d/*-stress.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" stress
