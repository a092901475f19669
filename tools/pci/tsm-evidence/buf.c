// SPDX-License-Identifier: GPL-2.0
/*
 * tsm-evidence: a growable byte buffer, for the objects the kernel sends,
 * the nonce and the PEM output.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tsm-evidence.h"

int buf_append(struct buf *b, const void *data, size_t len)
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

void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
