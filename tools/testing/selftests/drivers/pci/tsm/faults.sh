#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "faults": DOE faults through lock, accept and
# an evidence refresh, TDISP ERROR, a lost session
# (tools/testing/devsec/devsec.d/*-faults.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" faults
