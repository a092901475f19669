#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "removal": what a device leaves behind when a
# connect fails or when it goes away
# (tools/testing/devsec/devsec.d/*-removal.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" removal
