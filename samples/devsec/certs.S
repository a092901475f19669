/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sample device's X.509 certificate chain, made by mkcerts.sh at
 * build time: DER certificates, root first, leaf last.
 */
	.section .rodata, "a"
	.globl devsec_certs_der
devsec_certs_der:
	.incbin "samples/devsec/devsec-certs.der"
	.globl devsec_certs_der_end
devsec_certs_der_end:
