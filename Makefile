# SPDX-License-Identifier: GPL-2.0
# Entry points of the PCI/TSM series for Linux 6.12 (see README.md).
# Kernel builds happen in build/ (base tree build/linux, objects
# build/obj-<flavor>); nothing here is kernel code.

SHELL := /bin/bash
TEST ?=

.PHONY: all devsec check series series-check configs bench deps prepare kernel clean help

all: help

help:
	@echo "make devsec [TEST=script]  build, boot in QEMU, run devsec.sh (or TEST)"
	@echo "make check                 every suite (debug kernel); ends with 'N passed, N failed'"
	@echo "make series                the patch series in build/series/"
	@echo "make series-check          build the kernel after every patch of the series"
	@echo "make configs               compile our code under other configurations"
	@echo "make bench                 measure the operations (table + build/bench.json)"
	@echo "make clean                 remove build/ (keeps the ccache)"

devsec:
	@harness/devsec.sh $(TEST)

check:
	@harness/check.sh

series:
	@harness/deps.sh && harness/prepare.sh && harness/series.sh

series-check:
	@harness/deps.sh && harness/series-check.sh

configs:
	@harness/deps.sh && harness/configs.sh

bench:
	@harness/bench.sh

deps:
	@harness/deps.sh

prepare: deps
	@harness/prepare.sh

kernel: prepare
	@harness/build.sh devsec

clean:
	rm -rf build
