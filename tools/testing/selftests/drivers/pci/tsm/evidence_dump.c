// SPDX-License-Identifier: GPL-2.0
/*
 * evidence_dump: one pci-tsm evidence-read dump with exactly the request
 * attributes the command line names, for the PCI/TSM selftests.
 *
 *   evidence_dump [-o DIR] [-d DEV] [-m MASK] [-f FLAGS] [-n NONCE_HEX]
 *                 [-R COUNT [-w FILE=TEXT] [-s STOP_FILE]]
 *
 * An attribute left off the command line is left out of the request, so
 * that the tests can send what a well-behaved reader never would (no
 * type-mask, an oversized nonce, an over-long device name).  For every
 * object received it prints "<type> <bytes> <generation>" and, with -o,
 * writes DIR/<type> (its val chunks concatenated) and DIR/generation.
 * A kernel error prints "error: -ERRNO" (NLMSG_ERROR, or the dump's
 * NLMSG_DONE status; an interrupted dump is -EAGAIN) and exits 1; a reply
 * that breaks the protocol prints "protocol: REASON" and exits 2.
 *
 * With -R COUNT it repeats the dump, up to COUNT times, while the dump
 * fails with EIO and STOP_FILE (-s) does not exist, writing TEXT to FILE
 * (-w FILE=TEXT, a fault knob) before each; it prints one line per dump,
 * "0" or the error's strerror() text, and exits 0.  One process keeps a
 * request in the mailbox at nearly every moment, for the removal races.
 *
 * It is the C counterpart of a cli.py dump: one process where python
 * costs tens of seconds in a debug-kernel guest under TCG.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/pci-tsm-netlink.h>

#define NR_TYPES	(PCI_TSM_EVIDENCE_TYPE_MAX + 1)
#define RX_SIZE		(MNL_SOCKET_BUFFER_SIZE * 16)
#define NONCE_MAX	1024	/* beyond the spec's 256: the kernel refuses */

static const char * const type_name[NR_TYPES] = {
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

struct object {
	unsigned char *data;
	size_t len;
};

struct dump {
	struct object obj[NR_TYPES];
	int cur;		/* the object being received, -1 before any */
	bool seen[NR_TYPES];
	unsigned long long generation;
	bool have_generation;
	int err;		/* the kernel's -errno */
	const char *protocol;	/* why a reply broke the protocol */
	__u16 family;		/* nlctrl's answer */
};

static int fail_protocol(struct dump *d, const char *why)
{
	d->protocol = why;
	return MNL_CB_ERROR;
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= PCI_TSM_A_EVIDENCE_OBJECT_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct dump *d = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		d->family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			   data) < 0)
		return fail_protocol(data, "malformed nlctrl reply");
	return MNL_CB_OK;
}

static int generation_of(struct dump *d, const struct nlattr *attr)
{
	unsigned long long gen;

	/* YNL "uint": 4 or 8 bytes */
	if (mnl_attr_get_payload_len(attr) == sizeof(__u32))
		gen = mnl_attr_get_u32(attr);
	else if (mnl_attr_get_payload_len(attr) == sizeof(__u64))
		gen = mnl_attr_get_u64(attr);
	else
		return fail_protocol(d, "generation is not 4 or 8 bytes");
	if (d->have_generation && gen != d->generation)
		return fail_protocol(d, "generation changed within the dump");
	d->generation = gen;
	d->have_generation = true;
	return MNL_CB_OK;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PCI_TSM_A_EVIDENCE_OBJECT_MAX + 1] = {};
	const struct nlattr *val;
	struct dump *d = data;
	struct object *o;
	unsigned char *p;
	size_t len;
	__u32 type;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
		d->err = -EAGAIN;
		return MNL_CB_ERROR;
	}
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb) < 0)
		return fail_protocol(d, "malformed message");

	if (tb[PCI_TSM_A_EVIDENCE_OBJECT_TYPE]) {
		if (mnl_attr_validate(tb[PCI_TSM_A_EVIDENCE_OBJECT_TYPE],
				      MNL_TYPE_U32) < 0)
			return fail_protocol(d, "type is not a u32");
		type = mnl_attr_get_u32(tb[PCI_TSM_A_EVIDENCE_OBJECT_TYPE]);
		if (type >= NR_TYPES)
			return fail_protocol(d, "type is not an evidence-type");
		if (d->seen[type])
			return fail_protocol(d, "type sent twice");
		d->seen[type] = true;
		d->cur = type;
		if (tb[PCI_TSM_A_EVIDENCE_OBJECT_GENERATION] &&
		    generation_of(d, tb[PCI_TSM_A_EVIDENCE_OBJECT_GENERATION]) !=
		    MNL_CB_OK)
			return MNL_CB_ERROR;
	} else if (d->cur < 0) {
		return fail_protocol(d, "val before type");
	}

	val = tb[PCI_TSM_A_EVIDENCE_OBJECT_VAL];
	if (!val)
		return MNL_CB_OK;
	o = &d->obj[d->cur];
	len = mnl_attr_get_payload_len(val);
	if (len > PCI_TSM_MAX_OBJECT_SIZE - o->len)
		return fail_protocol(d, "object larger than the spec's maximum");
	p = realloc(o->data, o->len + len);
	if (!p)
		return fail_protocol(d, "out of memory");
	memcpy(p + o->len, mnl_attr_get_payload(val), len);
	o->data = p;
	o->len += len;
	return MNL_CB_OK;
}

/* NLMSG_ERROR (an ACK ends the request) and NLMSG_DONE (ends a dump) */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct dump *d = data;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return fail_protocol(d, "short error message");
	if (!e->error)
		return MNL_CB_STOP;
	d->err = e->error < 0 ? e->error : -e->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (!err)
		return MNL_CB_STOP;
	d->err = err < 0 ? err : -err;
	return MNL_CB_ERROR;
}

/* Send @nlh, run @cb on each reply until the request ends */
static int request(struct mnl_socket *sock, struct nlmsghdr *nlh,
		   mnl_cb_t cb, struct dump *d, void *rx)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	unsigned int portid = mnl_socket_get_portid(sock);
	ssize_t n;
	int rc;

	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(sock, rx, RX_SIZE);
		if (n < 0)
			return -errno;
		rc = mnl_cb_run2(rx, n, nlh->nlmsg_seq, portid, cb, d, ctl,
				 NLMSG_MIN_TYPE);
	} while (rc > MNL_CB_STOP);
	if (rc == MNL_CB_ERROR && !d->err && !d->protocol)
		d->protocol = errno ? strerror(errno) : "unknown";
	return rc;
}

static int hex_to_bin(const char *hex, unsigned char *out, size_t size)
{
	size_t i, n = strlen(hex);

	if (n % 2 || n / 2 > size)
		return -1;
	for (i = 0; i < n / 2; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return n / 2;
}

static int write_file(const char *dir, const char *name, const void *buf,
		      size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (len && fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

struct request {
	const char *dev;
	unsigned long mask, flags;
	bool have_mask, have_flags;
	unsigned char nonce[NONCE_MAX];
	int nonce_len;		/* -1: no nonce attribute */
};

static void dump_free(struct dump *d)
{
	__u16 family = d->family;
	int i;

	for (i = 0; i < NR_TYPES; i++)
		free(d->obj[i].data);
	memset(d, 0, sizeof(*d));
	d->family = family;
	d->cur = -1;
}

/* One evidence-read dump: 0, or 1 with d->err or d->protocol set */
static int dump_once(struct mnl_socket *sock, const struct request *r,
		     struct dump *d, void *rx, unsigned int seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE + NONCE_MAX];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	dump_free(d);
	nlh->nlmsg_type = d->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = PCI_TSM_CMD_EVIDENCE_READ;
	genl->version = PCI_TSM_FAMILY_VERSION;
	if (r->have_mask)
		mnl_attr_put_u32(nlh, PCI_TSM_A_EVIDENCE_OBJECT_TYPE_MASK,
				 r->mask);
	if (r->have_flags)
		mnl_attr_put_u32(nlh, PCI_TSM_A_EVIDENCE_OBJECT_FLAGS,
				 r->flags);
	if (r->dev)
		mnl_attr_put_strz(nlh, PCI_TSM_A_EVIDENCE_OBJECT_DEV_NAME,
				  r->dev);
	if (r->nonce_len >= 0)
		mnl_attr_put(nlh, PCI_TSM_A_EVIDENCE_OBJECT_NONCE, r->nonce_len,
			     r->nonce);
	return request(sock, nlh, dump_cb, d, rx) == MNL_CB_ERROR;
}

/* Write @text to @file, as echo would: 0 or -1 */
static int poke(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * -R: up to @count dumps, each after writing @poke_text to @poke_file
 * (when given), while they fail with EIO and @stop does not exist; one
 * line per dump, "0" or its strerror() text, flushed at once.
 */
static int dump_repeat(struct mnl_socket *sock, const struct request *r,
		       struct dump *d, void *rx, unsigned long count,
		       const char *poke_file, const char *poke_text,
		       const char *stop)
{
	unsigned long i;

	for (i = 0; i < count; i++) {
		if (stop && !access(stop, F_OK))
			break;
		if (poke_file && poke(poke_file, poke_text))
			break;
		if (dump_once(sock, r, d, rx, 3 + i) && d->protocol) {
			printf("protocol: %s\n", d->protocol);
			return 2;
		}
		if (d->err)
			printf("%s\n", strerror(-d->err));
		else
			printf("0\n");
		fflush(stdout);
		if (d->err != -EIO)
			break;
	}
	return 0;
}

static const char *prog = "evidence_dump";

static void print_usage(void)
{
	fprintf(stderr,
		"usage: %s [-o DIR] [-d DEV] [-m MASK] [-f FLAGS] [-n NONCE_HEX]\n"
		"       %*s [-R COUNT [-w FILE=TEXT] [-s STOP_FILE]]\n",
		prog, (int)strlen(prog), "");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *poke_file = NULL, *poke_text = NULL;
	static struct request r = { .nonce_len = -1 };
	static struct dump d = { .cur = -1 };
	char req[MNL_SOCKET_BUFFER_SIZE];
	unsigned long repeat = 0;
	struct mnl_socket *sock;
	struct genlmsghdr *genl;
	const char *stop = NULL;
	struct nlmsghdr *nlh;
	char gen[32], *eq;
	int c, i;
	void *rx;

	while ((c = getopt(argc, argv, "o:d:m:f:n:R:w:s:")) != -1) {
		switch (c) {
		case 'o':
			dir = optarg;
			break;
		case 'd':
			r.dev = optarg;
			break;
		case 'm':
			r.mask = strtoul(optarg, NULL, 0);
			r.have_mask = true;
			break;
		case 'f':
			r.flags = strtoul(optarg, NULL, 0);
			r.have_flags = true;
			break;
		case 'n':
			r.nonce_len = hex_to_bin(optarg, r.nonce,
						 sizeof(r.nonce));
			if (r.nonce_len < 0)
				print_usage();
			break;
		case 'R':
			repeat = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			eq = strchr(optarg, '=');
			if (!eq)
				print_usage();
			*eq = '\0';
			poke_file = optarg;
			poke_text = eq + 1;
			break;
		case 's':
			stop = optarg;
			break;
		default:
			print_usage();
		}
	}
	if (optind != argc || ((poke_file || stop) && !repeat))
		print_usage();

	rx = malloc(RX_SIZE);
	sock = mnl_socket_open(NETLINK_GENERIC);
	if (!rx || !sock || mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("evidence_dump: netlink socket");
		return 2;
	}

	/* the family id, by name */
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PCI_TSM_FAMILY_NAME);
	if (request(sock, nlh, family_cb, &d, rx) == MNL_CB_ERROR ||
	    !d.family) {
		printf("error: %d (family %s)\n", d.err ? d.err : -ENOENT,
		       PCI_TSM_FAMILY_NAME);
		return 1;
	}

	if (repeat)
		return dump_repeat(sock, &r, &d, rx, repeat, poke_file,
				   poke_text, stop);

	if (dump_once(sock, &r, &d, rx, 2)) {
		if (d.protocol) {
			printf("protocol: %s\n", d.protocol);
			return 2;
		}
		printf("error: %d\n", d.err);
		return 1;
	}
	mnl_socket_close(sock);

	if (dir && mkdir(dir, 0755) && errno != EEXIST) {
		perror(dir);
		return 2;
	}
	for (i = 0; i < NR_TYPES; i++) {
		if (!d.seen[i])
			continue;
		if (dir && write_file(dir, type_name[i], d.obj[i].data,
				      d.obj[i].len)) {
			perror(type_name[i]);
			return 2;
		}
		printf("%s %zu %llu\n", type_name[i], d.obj[i].len,
		       d.generation);
	}
	snprintf(gen, sizeof(gen), "%llu\n", d.generation);
	if (dir && d.have_generation &&
	    write_file(dir, "generation", gen, strlen(gen))) {
		perror("generation");
		return 2;
	}
	dump_free(&d);
	free(rx);
	return 0;
}
