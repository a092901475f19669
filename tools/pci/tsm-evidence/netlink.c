// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-evidence: the netlink side, with libmnl: the socket, requests and
 * their replies, the lookup of the "pci-tsm" generic netlink family, the
 * evidence-read dump and the checks of what it returns, and the error
 * messages.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/types.h>

#include "tsm-evidence.h"

/* a dump message is at most 32 KiB (netlink_dump()); leave room */
#define EV_RECV_BUF_SIZE	65536

/* --- netlink -------------------------------------------------------- */

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

void nl_close(struct nl *nl)
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

void evidence_free(struct evidence *ev)
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
int ev_read(struct nl *nl, const char *dev, __u32 mask, __u32 flags,
	    const struct buf *nonce, struct evidence *ev)
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
void print_error(const char *dev, int err, const char *msg)
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
int nl_setup(struct nl *nl)
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
