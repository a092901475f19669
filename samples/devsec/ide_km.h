/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IDE_KM messages (PCIe r6.1 sec 6.33.3), carried as PCI-SIG protocol 0
 * in SPDM VENDOR_DEFINED_REQUEST/RESPONSE inside a secure session.  The
 * structures start after the protocol id byte (which the SPDM vendor
 * defined framing carries, see struct spdm_vendor_defined_hdr).
 *
 * Simulated: the keys and IVs the sample link TSM sends are not used for
 * any encryption; they start with DEVSEC_IDE_KM_SIM_KEY_LABEL.
 */
#ifndef __SAMPLES_DEVSEC_IDE_KM_H__
#define __SAMPLES_DEVSEC_IDE_KM_H__

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

/* Object IDs (PCIe r6.1 table 6-xx "IDE_KM Object ID") */
#define IDE_KM_QUERY			0x00
#define IDE_KM_QUERY_RESP		0x01
#define IDE_KM_KEY_PROG			0x02
#define IDE_KM_KP_ACK			0x03
#define IDE_KM_K_SET_GO			0x04
#define IDE_KM_K_SET_STOP		0x05
#define IDE_KM_K_GOSTOP_ACK		0x06

/* KeySet / RxTx / Sub-stream byte */
#define IDE_KM_KEY_SET			BIT(0)
#define IDE_KM_KEY_TX			BIT(2)	/* 0: Rx, 1: Tx */
#define IDE_KM_KEY_SUB_STREAM		GENMASK(7, 4)
#define  IDE_KM_SUB_STREAM_PR		0
#define  IDE_KM_SUB_STREAM_NPR		1
#define  IDE_KM_SUB_STREAM_CPL		2
#define IDE_KM_NR_SUB_STREAMS		3
/* Keys per stream and key set: Rx and Tx of each sub-stream */
#define IDE_KM_NR_KEYS			(2 * IDE_KM_NR_SUB_STREAMS)

/* KP_ACK Status */
#define IDE_KM_KP_ACK_OK		0
#define IDE_KM_KP_ACK_BAD_LENGTH	1
#define IDE_KM_KP_ACK_BAD_PORT		2
#define IDE_KM_KP_ACK_BAD_VALUE		3
#define IDE_KM_KP_ACK_FAILURE		4

#define IDE_KM_KEY_LEN			32	/* AES-GCM-256 key, 8 DW */
#define IDE_KM_IV_LEN			8	/* initial IV, 2 DW */
#define DEVSEC_IDE_KM_SIM_KEY_LABEL	"devsec SIMULATED IDE key"

/**
 * struct ide_km_query - QUERY
 * @object_id: %IDE_KM_QUERY
 * @reserved: reserved
 * @port_index: 0 for the function's own port
 */
struct ide_km_query {
	u8 object_id;
	u8 reserved;
	u8 port_index;
} __packed;

/**
 * struct ide_km_query_resp - QUERY_RESP, fixed part
 * @object_id: %IDE_KM_QUERY_RESP
 * @reserved: reserved
 * @port_index: as in the QUERY
 * @dev_func: device / function number of the port's function
 * @bus: bus number
 * @segment: segment
 * @max_port_index: highest valid port index
 * @ide_cap: IDE Capability register
 * @ide_ctl: IDE Control register
 *
 * Followed by the Link and Selective IDE Stream register blocks.
 */
struct ide_km_query_resp {
	u8 object_id;
	u8 reserved;
	u8 port_index;
	u8 dev_func;
	u8 bus;
	u8 segment;
	u8 max_port_index;
	__le32 ide_cap;
	__le32 ide_ctl;
} __packed;

/**
 * struct ide_km_key_hdr - common part of KEY_PROG, KP_ACK, K_SET_GO,
 *	K_SET_STOP and K_GOSTOP_ACK
 * @object_id: IDE_KM_*
 * @reserved: reserved
 * @stream_id: Stream ID
 * @status: KP_ACK: IDE_KM_KP_ACK_*; else reserved
 * @key_sub_stream: IDE_KM_KEY_SET | IDE_KM_KEY_TX | IDE_KM_KEY_SUB_STREAM
 * @port_index: 0 for the function's own port
 */
struct ide_km_key_hdr {
	u8 object_id;
	__le16 reserved;
	u8 stream_id;
	u8 status;
	u8 key_sub_stream;
	u8 port_index;
} __packed;

/**
 * struct ide_km_key_prog - KEY_PROG
 * @hdr: header, %IDE_KM_KEY_PROG
 * @key: the key
 * @iv: initial invocation field
 */
struct ide_km_key_prog {
	struct ide_km_key_hdr hdr;
	u8 key[IDE_KM_KEY_LEN];
	u8 iv[IDE_KM_IV_LEN];
} __packed;

static_assert(sizeof(struct ide_km_query) == 3);
static_assert(sizeof(struct ide_km_query_resp) == 15);
static_assert(sizeof(struct ide_km_key_hdr) == 7);
static_assert(sizeof(struct ide_km_key_prog) == 47);

#endif /* __SAMPLES_DEVSEC_IDE_KM_H__ */
