/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included before the generated netlink.c (see the Makefile): the
 * generator writes NLA_POLICY_MAX_LEN() for a binary max-len check, a
 * macro later kernels have and 6.12's <net/netlink.h> lacks.  6.12
 * validates the length of an NLA_BINARY against a max policy, so the
 * macro is the same policy as upstream's.
 */
#ifndef _PCI_TSM_NETLINK_COMPAT_H
#define _PCI_TSM_NETLINK_COMPAT_H

#include <net/netlink.h>

#ifndef NLA_POLICY_MAX_LEN
#define NLA_POLICY_MAX_LEN(_len)	NLA_POLICY_MAX(NLA_BINARY, _len)
#endif

#endif /* _PCI_TSM_NETLINK_COMPAT_H */
