// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-evidence: read the evidence a PCI TEE Security Manager (TSM)
 * collected from a device (SPDM certificate chains, VCA transcript,
 * measurements, TDISP interface report) through the "pci-tsm" generic
 * netlink family, Documentation/netlink/specs/pci-tsm.yaml.  Usage and
 * output formats: Documentation/driver-api/pci/tsm.rst, "Device evidence".
 *
 * Everything the kernel sends is checked before it is used: the order and
 * the types of the objects, their sizes, and, with --pem, the SPDM
 * certificate chain (DSP0274 1.2 table 33) and the DER header of each
 * certificate in it; the device that produced them is not trusted.
 */
#define _GNU_SOURCE		/* asprintf() */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/types.h>

/* only this uapi header: the others must not shadow the system's */
#include "../../../include/uapi/linux/pci-tsm-netlink.h"

#define PROG			"tsm-evidence"
#define PCI_DEVICES_DIR		"/sys/bus/pci/devices"
#define EV_NR_TYPES		(PCI_TSM_EVIDENCE_TYPE_MAX + 1)
#define EV_ALL_TYPES		PCI_TSM_EVIDENCE_TYPE_FLAG_MASK
#define EV_CERT_TYPES		((PCI_TSM_EVIDENCE_TYPE_FLAG_CERT7 << 1) - 1)
#define EV_DEV_NAME_MAX		64
/* a dump message is at most 32 KiB (netlink_dump()); leave room */
#define EV_RECV_BUF_SIZE	65536
/* list: re-read a device whose evidence changed during the dump */
#define EV_LIST_RETRIES		3
/* DSP0274 1.2 table 33: Length, Reserved, RootHash (SHA-384) */
#define SPDM_CHAIN_HDR_LEN	4
#define SPDM_ROOT_HASH_LEN	48
#define DER_SEQUENCE		0x30
#define PEM_LINE_LEN		64

static const char * const ev_type_names[EV_NR_TYPES] = {
	[PCI_TSM_EVIDENCE_TYPE_CERT0] = "cert0",
	[PCI_TSM_EVIDENCE_TYPE_CERT1] = "cert1",
	[PCI_TSM_EVIDENCE_TYPE_CERT2] = "cert2",
	[PCI_TSM_EVIDENCE_TYPE_CERT3] = "cert3",
	[PCI_TSM_EVIDENCE_TYPE_CERT4] = "cert4",
	[PCI_TSM_EVIDENCE_TYPE_CERT5] = "cert5",
	[PCI_TSM_EVIDENCE_TYPE_CERT6] = "cert6",
	[PCI_TSM_EVIDENCE_TYPE_CERT7] = "cert7",
	[PCI_TSM_EVIDENCE_TYPE_VCA] = "vca",
	[PCI_TSM_EVIDENCE_TYPE_MEASUREMENTS] = "measurements",
	[PCI_TSM_EVIDENCE_TYPE_REPORT] = "report",
};

/* A growable byte buffer */
struct buf {
	__u8 *data;
	size_t len;
	size_t cap;
};

static int buf_append(struct buf *b, const void *data, size_t len)
{
	size_t cap = b->cap ? b->cap : 4096;
	__u8 *p;

	if (len > SIZE_MAX / 2 - b->len)
		return -ENOMEM;
	while (cap < b->len + len)
		cap *= 2;
	if (cap != b->cap) {
		p = realloc(b->data, cap);
		if (!p)
			return -ENOMEM;
		b->data = p;
		b->cap = cap;
	}
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

static void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

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

static void evidence_free(struct evidence *ev)
{
	unsigned int i;

	for (i = 0; i < EV_NR_TYPES; i++)
		buf_free(&ev->obj[i]);
}

static int ev_protocol_error(struct evidence *ev, const char *why)
{
	ev->err = -EPROTO;
	snprintf(ev->msg, sizeof(ev->msg), "bad reply: %s", why);
	return MNL_CB_ERROR;
}

/* --- netlink -------------------------------------------------------- */

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	__u16 family;
	__u8 *rx;
};

/**
 * struct nl_status - state of one request (libmnl hands the same pointer
 *	to data and control message callbacks)
 * @cb: the callback for the replies
 * @data: its argument
 * @refused: @cb refused a reply; the rest of the request is read and
 *	dropped, so that the socket is ready for the next request
 * @err: the kernel's -errno, 0 while there is none
 * @msg: where to copy the kernel's extended ACK message
 * @msg_size: bytes at @msg
 */
struct nl_status {
	mnl_cb_t cb;
	void *data;
	bool refused;
	int err;
	char *msg;
	size_t msg_size;
};

static int nl_open(struct nl *nl)
{
	int one = 1;

	nl->rx = malloc(EV_RECV_BUF_SIZE);
	if (!nl->rx)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return -errno;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* error messages from the kernel, and no copy of our request */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

static void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->rx);
	nl->rx = NULL;
}

static int ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_status *st = data;
	const char *msg;
	size_t len;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG || !st->msg_size)
		return MNL_CB_OK;
	msg = mnl_attr_get_payload(attr);
	len = strnlen(msg, mnl_attr_get_payload_len(attr));
	if (len >= st->msg_size)
		len = st->msg_size - 1;
	memcpy(st->msg, msg, len);
	st->msg[len] = '\0';
	return MNL_CB_OK;
}

/* NLMSG_ERROR: an ACK (error 0) ends a request, an error fails it */
static int nl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct nl_status *st = data;
	unsigned int off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		st->err = -EPROTO;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	st->err = e->error < 0 ? e->error : -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return MNL_CB_ERROR;
	/* without NETLINK_CAP_ACK our request comes back before the TLVs */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(e->msg) ||
		    e->msg.nlmsg_len > nlh->nlmsg_len)
			return MNL_CB_ERROR;
		off += e->msg.nlmsg_len - sizeof(e->msg);
	}
	if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, off, ack_attr_cb, st);
	return MNL_CB_ERROR;
}

/* NLMSG_DONE ends a dump; its payload is the dump's error, if any */
static int nl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_status *st = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (!err)
		return MNL_CB_STOP;
	st->err = err < 0 ? err : -err;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(err), ack_attr_cb, st);
	return MNL_CB_ERROR;
}

static int nl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_status *st = data;

	if (!st->refused && st->cb(nlh, st->data) == MNL_CB_ERROR) {
		st->refused = true;
		/* keep @cb's reason, not a later kernel message */
		st->msg_size = 0;
	}
	return MNL_CB_OK;
}

/*
 * Send @nlh and feed the replies to @st->cb until the request ends.
 * Return 0 or a negative errno: the kernel's (with its message in @st) or
 * ours; -EPROTO if @st->cb refused a reply (its @data says why).
 */
static int nl_request(struct nl *nl, struct nlmsghdr *nlh,
		      struct nl_status *st)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = nl_error_cb,
		[NLMSG_DONE] = nl_done_cb,
	};
	ssize_t n;
	int rc;

	st->err = 0;
	st->refused = false;
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->rx, EV_RECV_BUF_SIZE);
		if (n < 0)
			return -errno;
		rc = mnl_cb_run2(nl->rx, n, nl->seq, nl->portid, nl_data_cb,
				 st, ctl, NLMSG_MIN_TYPE);
		/* not an error message: a bad sequence number or port id */
		if (rc == MNL_CB_ERROR && !st->err)
			return errno ? -errno : -EPROTO;
	} while (rc > MNL_CB_STOP);
	return st->refused ? -EPROTO : st->err;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	__u16 *family = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    !mnl_attr_validate(attr, MNL_TYPE_U16))
		*family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			      data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Resolve the id of the pci-tsm family with nlctrl */
static int nl_resolve_family(struct nl *nl, struct nl_status *st)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct genlmsghdr *genl;
	__u16 family = 0;
	int err;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PCI_TSM_FAMILY_NAME);
	st->cb = family_cb;
	st->data = &family;
	err = nl_request(nl, nlh, st);
	if (err)
		return err;
	if (!family)
		return -ENOENT;
	nl->family = family;
	return 0;
}

/* --- the evidence-read dump ----------------------------------------- */

static int ev_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	/* attributes a newer kernel may add are ignored */
	if (type < __PCI_TSM_A_EVIDENCE_OBJECT_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int ev_check_generation(struct evidence *ev, const struct nlattr **tb)
{
	const struct nlattr *attr = tb[PCI_TSM_A_EVIDENCE_OBJECT_GENERATION];
	__u64 gen;

	if (!attr)
		return MNL_CB_OK;
	/* YNL "uint": 4 or 8 bytes */
	if (mnl_attr_get_payload_len(attr) == sizeof(__u32))
		gen = mnl_attr_get_u32(attr);
	else if (mnl_attr_get_payload_len(attr) == sizeof(__u64))
		memcpy(&gen, mnl_attr_get_payload(attr), sizeof(gen));
	else
		return ev_protocol_error(ev, "generation is not 4 or 8 bytes");
	if (ev->have_generation && gen != ev->generation) {
		ev->err = -EAGAIN;
		snprintf(ev->msg, sizeof(ev->msg),
			 "generation changed during the dump");
		return MNL_CB_ERROR;
	}
	ev->have_generation = true;
	ev->generation = gen;
	return MNL_CB_OK;
}

/* One reply message: the start of an object, or more of the current one */
static int ev_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[__PCI_TSM_A_EVIDENCE_OBJECT_MAX] = {};
	const struct nlattr *val;
	struct evidence *ev = data;
	struct buf *obj;
	__u32 type;
	size_t len;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
		ev->err = -EAGAIN;
		snprintf(ev->msg, sizeof(ev->msg), "dump interrupted");
		return MNL_CB_ERROR;
	}
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ev_attr_cb,
			   tb) < 0)
		return ev_protocol_error(ev, "malformed message");

	if (tb[PCI_TSM_A_EVIDENCE_OBJECT_TYPE]) {
		if (mnl_attr_validate(tb[PCI_TSM_A_EVIDENCE_OBJECT_TYPE],
				      MNL_TYPE_U32) < 0)
			return ev_protocol_error(ev, "type is not a u32");
		type = mnl_attr_get_u32(tb[PCI_TSM_A_EVIDENCE_OBJECT_TYPE]);
		if (type >= EV_NR_TYPES || !(ev->mask & (1u << type)))
			return ev_protocol_error(ev, "type not requested");
		/* ascending, each once */
		if ((int)type <= ev->cur)
			return ev_protocol_error(ev, "types out of order");
		ev->cur = type;
		ev->present |= 1u << type;
		if (ev_check_generation(ev, tb) != MNL_CB_OK)
			return MNL_CB_ERROR;
	} else if (ev->cur < 0) {
		return ev_protocol_error(ev, "value before any type");
	}

	val = tb[PCI_TSM_A_EVIDENCE_OBJECT_VAL];
	if (!val)
		return MNL_CB_OK;
	obj = &ev->obj[ev->cur];
	len = mnl_attr_get_payload_len(val);
	if (len > PCI_TSM_MAX_OBJECT_SIZE - obj->len)
		return ev_protocol_error(ev, "object larger than 16 MiB");
	if (buf_append(obj, mnl_attr_get_payload(val), len)) {
		ev->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Read the objects of @mask of device @dev into @ev (zeroed by the
 * caller; release with evidence_free()).  Return 0 or a negative errno,
 * with the kernel's message or our reason in ev->msg.
 */
static int ev_read(struct nl *nl, const char *dev, __u32 mask,
		   __u32 flags, const struct buf *nonce, struct evidence *ev)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nl_status st = {
		.cb = ev_msg_cb,
		.data = ev,
		.msg = ev->msg,
		.msg_size = sizeof(ev->msg),
	};
	struct genlmsghdr *genl;
	int err;

	ev->mask = mask;
	ev->cur = -1;
	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = PCI_TSM_CMD_EVIDENCE_READ;
	genl->version = PCI_TSM_FAMILY_VERSION;
	mnl_attr_put_u32(nlh, PCI_TSM_A_EVIDENCE_OBJECT_TYPE_MASK, mask);
	if (flags)
		mnl_attr_put_u32(nlh, PCI_TSM_A_EVIDENCE_OBJECT_FLAGS, flags);
	mnl_attr_put_strz(nlh, PCI_TSM_A_EVIDENCE_OBJECT_DEV_NAME, dev);
	if (nonce && nonce->len)
		mnl_attr_put(nlh, PCI_TSM_A_EVIDENCE_OBJECT_NONCE, nonce->len,
			     nonce->data);

	err = nl_request(nl, nlh, &st);
	/* ev_msg_cb()'s own refusal, with its reason in ev->msg */
	if (st.refused)
		return ev->err;
	if (err)
		return err;
	if (ev->present != mask) {
		ev_protocol_error(ev, "objects missing");
		return ev->err;
	}
	return 0;
}

/* "tsm-evidence: DEV: strerror (extack)" for -errno @err, and a hint */
static void print_error(const char *dev, int err, const char *msg)
{
	if (msg && *msg)
		fprintf(stderr, "%s: %s: %s (%s)\n", PROG, dev, strerror(-err),
			msg);
	else
		fprintf(stderr, "%s: %s: %s\n", PROG, dev, strerror(-err));

	switch (-err) {
	case EAGAIN:
		fprintf(stderr,
			"%s: %s: the evidence changed while it was read; nothing was written, run the command again\n",
			PROG, dev);
		break;
	case EPERM:
		fprintf(stderr, "%s: reading evidence needs CAP_NET_ADMIN\n",
			PROG);
		break;
	case ENXIO:
		if (!msg || !*msg)
			fprintf(stderr, "%s: %s: no evidence (not connected?)\n",
				PROG, dev);
		break;
	}
}

/* Open a socket and resolve the family; on failure print why */
static int nl_setup(struct nl *nl)
{
	char msg[256] = "";
	struct nl_status st = { .msg = msg, .msg_size = sizeof(msg) };
	int err;

	err = nl_open(nl);
	if (err) {
		fprintf(stderr, "%s: netlink: %s\n", PROG, strerror(-err));
		return 1;
	}
	err = nl_resolve_family(nl, &st);
	if (err == -ENOENT) {
		fprintf(stderr,
			"%s: no \"%s\" netlink family (kernel without CONFIG_PCI_TSM?)\n",
			PROG, PCI_TSM_FAMILY_NAME);
		return 1;
	}
	if (err) {
		print_error(PCI_TSM_FAMILY_NAME, err, msg);
		return 1;
	}
	return 0;
}

/* --- output --------------------------------------------------------- */

static void print_hex(FILE *f, const __u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
}

static void print_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void print_json_generation(FILE *f, const struct evidence *ev)
{
	if (ev->have_generation)
		fprintf(f, "\"generation\":%llu",
			(unsigned long long)ev->generation);
	else
		fputs("\"generation\":null", f);
}

/* Write @len bytes to @path ("-": stdout); print why on failure */
static int write_file(const char *path, const void *data, size_t len)
{
	bool out = !strcmp(path, "-");
	FILE *f = out ? stdout : fopen(path, "wb");
	int rc = 0;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", PROG, path, strerror(errno));
		return 1;
	}
	if (len && fwrite(data, 1, len, f) != len)
		rc = 1;
	if (out ? fflush(f) : fclose(f))
		rc = 1;
	if (rc)
		fprintf(stderr, "%s: %s: %s\n", PROG, path, strerror(errno));
	return rc;
}

static const char base64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Append @der as a PEM CERTIFICATE block (RFC 7468) to @pem */
static int pem_append(struct buf *pem, const __u8 *der, size_t len)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----\n";
	static const char end[] = "-----END CERTIFICATE-----\n";
	unsigned int col = 0;
	char out[4];
	size_t i, n;
	__u32 v;
	int rc;

	rc = buf_append(pem, begin, sizeof(begin) - 1);
	for (i = 0; !rc && i < len; i += 3) {
		n = len - i < 3 ? len - i : 3;
		v = (__u32)der[i] << 16;
		if (n > 1)
			v |= (__u32)der[i + 1] << 8;
		if (n > 2)
			v |= der[i + 2];
		out[0] = base64_chars[(v >> 18) & 0x3f];
		out[1] = base64_chars[(v >> 12) & 0x3f];
		out[2] = n > 1 ? base64_chars[(v >> 6) & 0x3f] : '=';
		out[3] = n > 2 ? base64_chars[v & 0x3f] : '=';
		rc = buf_append(pem, out, sizeof(out));
		col += sizeof(out);
		if (!rc && col == PEM_LINE_LEN) {
			rc = buf_append(pem, "\n", 1);
			col = 0;
		}
	}
	if (!rc && col)
		rc = buf_append(pem, "\n", 1);
	if (!rc)
		rc = buf_append(pem, end, sizeof(end) - 1);
	return rc;
}

/*
 * Size of the DER SEQUENCE at @p, of which @len bytes are available:
 * tag 0x30, then a definite length in short form or in long form of 1 to
 * 4 bytes, minimal as DER requires.  Return 0 unless the whole element
 * is within @len.
 */
static size_t der_sequence_size(const __u8 *p, size_t len)
{
	size_t hdr, body, n, i;

	if (len < 2 || p[0] != DER_SEQUENCE)
		return 0;
	if (!(p[1] & 0x80)) {
		hdr = 2;
		body = p[1];
	} else {
		n = p[1] & 0x7f;
		/* 0x80 is the (BER only) indefinite length */
		if (n < 1 || n > 4 || len - 2 < n || !p[2])
			return 0;
		body = 0;
		for (i = 0; i < n; i++)
			body = body << 8 | p[2 + i];
		if (body < 0x80)
			return 0;
		hdr = 2 + n;
	}
	if (body > len - hdr)
		return 0;
	return hdr + body;
}

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

/*
 * Validate the SPDM certificate chain @obj: Length matches, and the rest
 * after the root hash is DER SEQUENCEs end to end.  The root hash is not
 * checked: the relying party verifies the chain against its trust anchor.
 * Return NULL or why not.
 */
static const char *cert_chain_parse(const struct buf *obj,
				    struct cert_chain *chain)
{
	size_t hdr = SPDM_CHAIN_HDR_LEN + SPDM_ROOT_HASH_LEN;
	static char why[128];
	size_t off, size;

	if (!obj->len)
		return "empty object (no chain in this slot)";
	if (obj->len < hdr)
		return "shorter than the chain header";
	/* Length: total bytes of the chain, header included */
	if ((size_t)(obj->data[0] | obj->data[1] << 8) != obj->len)
		return "Length does not match the object size";
	chain->certs = obj->data + hdr;
	chain->len = obj->len - hdr;
	chain->nr = 0;
	if (!chain->len)
		return "no certificate";
	for (off = 0; off < chain->len; off += size) {
		size = der_sequence_size(chain->certs + off, chain->len - off);
		if (!size) {
			snprintf(why, sizeof(why),
				 "certificate %u (chain offset %zu) is not a DER SEQUENCE that fits",
				 chain->nr, hdr + off);
			return why;
		}
		chain->last = off;
		chain->nr++;
	}
	return NULL;
}

/* The PEM of the certificates [@first, @first + @nr) of @chain */
static int cert_chain_pem(const struct cert_chain *chain, unsigned int first,
			  unsigned int nr, struct buf *pem)
{
	unsigned int i;
	size_t off, size;
	int rc = 0;

	for (i = 0, off = 0; !rc && i < first + nr; i++, off += size) {
		size = der_sequence_size(chain->certs + off, chain->len - off);
		if (i >= first)
			rc = pem_append(pem, chain->certs + off, size);
	}
	return rc;
}

/* --- list ----------------------------------------------------------- */

static int list_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Read one device's digests, retrying -EAGAIN; fall back to full objects */
static int list_read(struct nl *nl, const char *dev, struct evidence *ev,
		     bool *digest)
{
	unsigned int tries = 0;
	int err;

	for (;;) {
		evidence_free(ev);
		memset(ev, 0, sizeof(*ev));
		err = ev_read(nl, dev, EV_ALL_TYPES,
			      *digest ? PCI_TSM_EVIDENCE_FLAG_DIGEST : 0,
			      NULL, ev);
		/* a TSM core without digests: sizes of the objects instead */
		if (err == -EOPNOTSUPP && *digest)
			*digest = false;
		else if (err != -EAGAIN || ++tries == EV_LIST_RETRIES)
			return err;
	}
}

static int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct dirent **names;
	struct evidence ev = {};
	bool json = false, first = true, digest;
	unsigned int t, nr_objects;
	struct nl nl = {};
	int i, n, c, err, rc = 0;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		default:
			fprintf(stderr, "usage: %s list [--json]\n", PROG);
			return c == 'h' ? 0 : 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: %s list [--json]\n", PROG);
		return 1;
	}
	if (nl_setup(&nl)) {
		nl_close(&nl);
		return 1;
	}
	n = scandir(PCI_DEVICES_DIR, &names, list_filter, alphasort);
	if (n < 0) {
		fprintf(stderr, "%s: %s: %s\n", PROG, PCI_DEVICES_DIR,
			strerror(errno));
		nl_close(&nl);
		return 1;
	}

	if (json)
		printf("{\"devices\":[");
	for (i = 0; i < n; i++) {
		const char *dev = names[i]->d_name;

		digest = true;
		err = list_read(&nl, dev, &ev, &digest);
		if (err == -ENXIO || err == -ENODEV)
			continue;
		if (err) {
			print_error(dev, err, ev.msg);
			rc = 1;
			if (err == -EPERM)
				break;
			continue;
		}
		if (json) {
			printf("%s{\"device\":", first ? "" : ",");
			print_json_string(stdout, dev);
			putchar(',');
			print_json_generation(stdout, &ev);
			printf(",\"objects\":[");
		} else {
			if (first)
				printf("%-16s %-12s %s\n", "DEVICE",
				       "GENERATION", "OBJECTS");
			printf("%-16s ", dev);
			if (ev.have_generation)
				printf("%-12llu",
				       (unsigned long long)ev.generation);
			else
				printf("%-12s", "-");
		}
		first = false;
		nr_objects = 0;
		for (t = 0; t < EV_NR_TYPES; t++) {
			if (!ev.obj[t].len)
				continue;
			if (!json) {
				printf(" %s", ev_type_names[t]);
				continue;
			}
			printf("%s{\"type\":\"%s\"", nr_objects++ ? "," : "",
			       ev_type_names[t]);
			if (digest) {
				printf(",\"digest\":\"");
				print_hex(stdout, ev.obj[t].data,
					  ev.obj[t].len);
				putchar('"');
			} else {
				printf(",\"bytes\":%zu", ev.obj[t].len);
			}
			putchar('}');
		}
		printf(json ? "]}" : "\n");
	}
	if (json)
		printf("]}\n");

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	evidence_free(&ev);
	nl_close(&nl);
	return rc;
}

/* --- dump ----------------------------------------------------------- */

struct dump_opts {
	const char *dev;
	__u32 mask;
	const char *output;
	const char *leaf;
	const char *root;
	struct buf nonce;
	bool digest;
	bool pem;
	bool json;
};

static int parse_types(const char *arg, __u32 *mask)
{
	char *list = strdup(arg), *tok, *save = NULL;
	unsigned int t;
	int rc = 0;

	if (!list)
		return -ENOMEM;
	*mask = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			*mask |= EV_ALL_TYPES;
			continue;
		}
		for (t = 0; t < EV_NR_TYPES; t++)
			if (!strcmp(tok, ev_type_names[t]))
				break;
		if (t == EV_NR_TYPES) {
			fprintf(stderr, "%s: unknown type \"%s\"\n", PROG, tok);
			rc = -EINVAL;
			break;
		}
		*mask |= 1u << t;
	}
	free(list);
	if (!rc && !*mask) {
		fprintf(stderr, "%s: no type given\n", PROG);
		rc = -EINVAL;
	}
	return rc;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_nonce(const char *hex, struct buf *nonce)
{
	size_t len = strlen(hex), i;
	int hi, lo;
	__u8 b;

	if (!len || len % 2 || len / 2 > PCI_TSM_MAX_NONCE_SIZE) {
		fprintf(stderr,
			"%s: the nonce must be 1 to %d bytes in hex digits\n",
			PROG, PCI_TSM_MAX_NONCE_SIZE);
		return -EINVAL;
	}
	for (i = 0; i < len; i += 2) {
		hi = hex_digit(hex[i]);
		lo = hex_digit(hex[i + 1]);
		if (hi < 0 || lo < 0) {
			fprintf(stderr, "%s: the nonce is not hex\n", PROG);
			return -EINVAL;
		}
		b = hi << 4 | lo;
		if (buf_append(nonce, &b, 1))
			return -ENOMEM;
	}
	return 0;
}

static unsigned int nr_types(__u32 mask)
{
	return __builtin_popcount(mask);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s list [--json]\n"
		"       %s dump -d DEV -t TYPE[,TYPE...] [-o FILE] [--digest]\n"
		"                    [--nonce HEX] [--pem] [--leaf FILE] [--root FILE]\n"
		"                    [--json]\n"
		"\n"
		"Read the evidence a PCI TSM collected from a device (pci-tsm\n"
		"netlink family; needs CAP_NET_ADMIN).\n"
		"\n"
		"list          devices with evidence: generation, non-empty objects\n"
		"dump          read objects of device DEV (e.g. 10000:01:00.0)\n"
		"  -t TYPE     cert0..cert7, vca, measurements, report or all\n"
		"  -o FILE     one type: write the object to FILE (- for stdout);\n"
		"              several: write each to FILE.TYPE (FILE.TYPE.pem)\n"
		"  --digest    the TSM's SHA-384 digest of each object instead\n"
		"  --nonce HEX refresh the measurements first, signed with nonce HEX\n"
		"  --pem       certN: write the chain's certificates as PEM\n"
		"  --leaf FILE certN: write the leaf (last) certificate as PEM\n"
		"  --root FILE certN: write the root (first) certificate as PEM\n"
		"  --json      print {\"device\",\"generation\",\"objects\"} on stdout\n"
		"Without -o, --leaf, --root or --json, dump prints a summary.\n"
		"Exit status: 0 on success, 1 on any error.\n",
		PROG, PROG);
}

/*
 * Where the object of @type goes: -o FILE with one type, FILE.TYPE (or
 * FILE.TYPE.pem with --pem) with several.  NULL without -o or on ENOMEM;
 * free() the result.
 */
static char *dump_path(const struct dump_opts *o, unsigned int type)
{
	char *path;

	if (!o->output)
		return NULL;
	if (nr_types(o->mask) == 1)
		return strdup(o->output);
	if (asprintf(&path, "%s.%s%s", o->output, ev_type_names[type],
		     o->pem ? ".pem" : "") < 0)
		return NULL;
	return path;
}

/*
 * With --pem and several types, an empty slot (no chain provisioned) gets
 * no file; asked for alone, it is an error.
 */
static bool dump_pem_skips(const struct dump_opts *o,
			   const struct evidence *ev, unsigned int type)
{
	return o->pem && nr_types(o->mask) > 1 && !ev->obj[type].len;
}

/* Write what --pem, --leaf and --root ask for of one certificate chain */
static int dump_write_chain(const struct dump_opts *o, unsigned int type,
			    const struct buf *obj, const char *path,
			    unsigned int *nr_certs)
{
	struct cert_chain chain;
	struct buf pem = {};
	const char *why;
	int rc = 0;

	why = cert_chain_parse(obj, &chain);
	if (why) {
		fprintf(stderr, "%s: %s: %s: bad certificate chain: %s\n",
			PROG, o->dev, ev_type_names[type], why);
		return 1;
	}
	*nr_certs = chain.nr;
	if (path) {
		rc = cert_chain_pem(&chain, 0, chain.nr, &pem) ? 1 :
		     write_file(path, pem.data, pem.len);
		pem.len = 0;
	}
	if (!rc && o->root) {
		rc = cert_chain_pem(&chain, 0, 1, &pem) ? 1 :
		     write_file(o->root, pem.data, pem.len);
		pem.len = 0;
	}
	if (!rc && o->leaf)
		rc = cert_chain_pem(&chain, chain.nr - 1, 1, &pem) ? 1 :
		     write_file(o->leaf, pem.data, pem.len);
	buf_free(&pem);
	return rc;
}

/* Write the objects to their files once the whole dump succeeded */
static int dump_write(const struct dump_opts *o, const struct evidence *ev,
		      unsigned int *nr_certs)
{
	unsigned int t;
	char *path;
	int rc = 0;

	for (t = 0; !rc && t < EV_NR_TYPES; t++) {
		if (!(o->mask & (1u << t)) || dump_pem_skips(o, ev, t))
			continue;
		path = dump_path(o, t);
		if (o->output && !path)
			return 1;
		if (o->pem || o->leaf || o->root)
			rc = dump_write_chain(o, t, &ev->obj[t],
					      o->pem ? path : NULL,
					      &nr_certs[t]);
		if (!rc && path && !o->pem)
			rc = write_file(path, ev->obj[t].data, ev->obj[t].len);
		free(path);
	}
	return rc;
}

static void dump_print(const struct dump_opts *o, const struct evidence *ev,
		       const unsigned int *nr_certs)
{
	bool first = true;
	unsigned int t;
	char *path;

	if (!o->json) {
		printf("device %s generation ", o->dev);
		if (ev->have_generation)
			printf("%llu\n", (unsigned long long)ev->generation);
		else
			printf("-\n");
		for (t = 0; t < EV_NR_TYPES; t++) {
			if (!(o->mask & (1u << t)))
				continue;
			printf("%-13s ", ev_type_names[t]);
			if (!o->digest)
				printf("%zu bytes\n", ev->obj[t].len);
			else if (!ev->obj[t].len)
				printf("(empty)");
			else
				print_hex(stdout, ev->obj[t].data,
					  ev->obj[t].len);
			if (o->digest)
				putchar('\n');
		}
		return;
	}

	printf("{\"device\":");
	print_json_string(stdout, o->dev);
	putchar(',');
	print_json_generation(stdout, ev);
	printf(",\"objects\":[");
	for (t = 0; t < EV_NR_TYPES; t++) {
		if (!(o->mask & (1u << t)))
			continue;
		printf("%s{\"type\":\"%s\",\"bytes\":%zu", first ? "" : ",",
		       ev_type_names[t], ev->obj[t].len);
		first = false;
		if (o->digest) {
			printf(",\"digest\":\"");
			print_hex(stdout, ev->obj[t].data, ev->obj[t].len);
			putchar('"');
		}
		if (o->pem || o->leaf || o->root)
			printf(",\"certs\":%u", nr_certs[t]);
		path = dump_pem_skips(o, ev, t) ? NULL : dump_path(o, t);
		if (path) {
			printf(",\"file\":");
			print_json_string(stdout, path);
			free(path);
		}
		putchar('}');
	}
	printf("]}\n");
}

static int dump_check_opts(const struct dump_opts *o)
{
	bool one = nr_types(o->mask) == 1;

	if (!o->dev || !o->mask) {
		fprintf(stderr, "%s: dump needs -d DEV and -t TYPE\n", PROG);
		return 1;
	}
	if (strlen(o->dev) >= EV_DEV_NAME_MAX) {
		fprintf(stderr, "%s: device name too long\n", PROG);
		return 1;
	}
	if ((o->pem || o->leaf || o->root) && (o->mask & ~EV_CERT_TYPES)) {
		fprintf(stderr, "%s: --pem, --leaf and --root are for cert0..cert7 only\n",
			PROG);
		return 1;
	}
	if ((o->leaf || o->root) && !one) {
		fprintf(stderr, "%s: --leaf and --root need a single type\n",
			PROG);
		return 1;
	}
	if (o->digest && (o->pem || o->leaf || o->root)) {
		fprintf(stderr, "%s: --digest does not go with --pem, --leaf or --root\n",
			PROG);
		return 1;
	}
	if (o->output && !strcmp(o->output, "-") && (!one || o->json)) {
		fprintf(stderr, "%s: -o - needs a single type and no --json\n",
			PROG);
		return 1;
	}
	return 0;
}

static int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "type", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "digest", no_argument, NULL, 'D' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "pem", no_argument, NULL, 'p' },
		{ "leaf", required_argument, NULL, 'l' },
		{ "root", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	unsigned int nr_certs[EV_NR_TYPES] = {};
	struct dump_opts o = {};
	struct evidence ev = {};
	struct nl nl = {};
	int c, err, rc = 1;

	while ((c = getopt_long(argc, argv, "d:t:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.dev = optarg;
			break;
		case 't':
			if (parse_types(optarg, &o.mask))
				goto out;
			break;
		case 'o':
			o.output = optarg;
			break;
		case 'D':
			o.digest = true;
			break;
		case 'n':
			buf_free(&o.nonce);
			if (parse_nonce(optarg, &o.nonce))
				goto out;
			break;
		case 'p':
			o.pem = true;
			break;
		case 'l':
			o.leaf = optarg;
			break;
		case 'r':
			o.root = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'h':
			print_usage(stdout);
			rc = 0;
			goto out;
		default:
			print_usage(stderr);
			goto out;
		}
	}
	if (optind != argc) {
		print_usage(stderr);
		goto out;
	}
	if (dump_check_opts(&o) || nl_setup(&nl))
		goto out;

	err = ev_read(&nl, o.dev, o.mask,
		      o.digest ? PCI_TSM_EVIDENCE_FLAG_DIGEST : 0, &o.nonce,
		      &ev);
	if (err) {
		print_error(o.dev, err, ev.msg);
		if (err == -EOPNOTSUPP && o.nonce.len)
			fprintf(stderr, "%s: %s: the device's TSM does not take a nonce\n",
				PROG, o.dev);
		goto out;
	}
	if (dump_write(&o, &ev, nr_certs))
		goto out;
	if (o.json || (!o.output && !o.leaf && !o.root))
		dump_print(&o, &ev, nr_certs);
	rc = 0;
out:
	buf_free(&o.nonce);
	evidence_free(&ev);
	nl_close(&nl);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		print_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command \"%s\"\n", PROG, argv[1]);
	print_usage(stderr);
	return 1;
}
