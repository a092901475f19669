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
 *
 * This file is the command line; buf.c, netlink.c and chain.c hold the
 * buffer, the netlink client and the certificate chain code.
 */
#define _GNU_SOURCE		/* asprintf() */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "tsm-evidence.h"

#define PCI_DEVICES_DIR		"/sys/bus/pci/devices"
#define EV_DEV_NAME_MAX		64
/* list: re-read a device whose evidence changed during the dump */
#define EV_LIST_RETRIES		3

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
