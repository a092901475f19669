#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "evidence": the pci-tsm netlink evidence dump
# (tools/testing/devsec/devsec.d/*-evidence.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" evidence
