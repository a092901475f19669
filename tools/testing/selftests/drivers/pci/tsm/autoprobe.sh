#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "autoprobe": driver autoprobe policy of accepted devices
# (tools/testing/devsec/devsec.d/*-autoprobe.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" autoprobe
