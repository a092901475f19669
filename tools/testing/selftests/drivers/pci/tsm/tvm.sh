#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "tvm": lock, accept and unlock with the devsec TSM
# (tools/testing/devsec/devsec.d/*-tvm.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" tvm
