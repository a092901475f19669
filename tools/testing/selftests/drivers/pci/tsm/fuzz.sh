#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "fuzz": a hostile device's responses
# (tools/testing/devsec/devsec.d/*-fuzz.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" fuzz
