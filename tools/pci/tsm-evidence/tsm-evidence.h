/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsm-evidence: what the parts of the reader share, the buffer (buf.c),
 * the pci-tsm netlink client (netlink.c), the SPDM certificate chain
 * (chain.c) and the command line (tsm-evidence.c).
 */
#ifndef TSM_EVIDENCE_H
#define TSM_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

/* only this uapi header: the others must not shadow the system's */
#include "../../../include/uapi/linux/pci-tsm-netlink.h"

#define PROG			"tsm-evidence"
#define EV_NR_TYPES		(PCI_TSM_EVIDENCE_TYPE_MAX + 1)
#define EV_ALL_TYPES		PCI_TSM_EVIDENCE_TYPE_FLAG_MASK
#define EV_CERT_TYPES		((PCI_TSM_EVIDENCE_TYPE_FLAG_CERT7 << 1) - 1)

/* A growable byte buffer */
struct buf {
	__u8 *data;
	size_t len;
	size_t cap;
};

int buf_append(struct buf *b, const void *data, size_t len);
void buf_free(struct buf *b);

/**
 * struct evidence - the result of one evidence-read dump
 * @mask: the types asked for
 * @have_generation: the kernel sent a generation
 * @generation: the generation all messages of the dump carried
 * @cur: type of the object being received, -1 before the first one
 * @present: bit N set once the object of type N started
 * @obj: the objects (or their digests), by type
 * @err: -errno of a failed dump, 0 on success
 * @msg: the kernel's extended ACK message, or our reason for refusing a
 *	reply (@err is then -EPROTO), or empty
 */
struct evidence {
	__u32 mask;
	bool have_generation;
	__u64 generation;
	int cur;
	__u32 present;
	struct buf obj[EV_NR_TYPES];
	int err;
	char msg[256];
};

struct mnl_socket;

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	__u16 family;
	__u8 *rx;
};

int nl_setup(struct nl *nl);
void nl_close(struct nl *nl);
int ev_read(struct nl *nl, const char *dev, __u32 mask, __u32 flags,
	    const struct buf *nonce, struct evidence *ev);
void evidence_free(struct evidence *ev);
void print_error(const char *dev, int err, const char *msg);

/**
 * struct cert_chain - the certificates of an SPDM certificate chain
 * @certs: the DER certificates, root first, leaf last
 * @len: bytes at @certs
 * @nr: number of certificates
 * @last: offset of the leaf certificate in @certs
 */
struct cert_chain {
	const __u8 *certs;
	size_t len;
	unsigned int nr;
	size_t last;
};

const char *cert_chain_parse(const struct buf *obj, struct cert_chain *chain);
int cert_chain_pem(const struct cert_chain *chain, unsigned int first,
		   unsigned int nr, struct buf *pem);

#endif /* TSM_EVIDENCE_H */
