#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PCI/TSM tests, suite "link": the link TSM: connect, disconnect, bind, the tsm class
# (tools/testing/devsec/devsec.d/*-link.sh).
exec bash "$(dirname "$0")/pci_tsm.sh" link
