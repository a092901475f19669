#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "races": requests racing removal and TSM unload
# (tools/testing/devsec/devsec.d/*-races.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" races
