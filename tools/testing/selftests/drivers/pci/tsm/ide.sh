#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "ide": IDE streams and their sysfs
# (tools/testing/devsec/devsec.d/*-ide.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" ide
