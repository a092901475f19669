#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "topology": host bridges of the sample bus
# (tools/testing/devsec/devsec.d/*-topology.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" topology
