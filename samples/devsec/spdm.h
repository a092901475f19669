/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM 1.2 message formats shared by the devsec sample's responder (in
 * devsec_bus) and requester (in devsec_link_tsm).
 *
 * DMTF DSP0274 "Security Protocol and Data Model (SPDM) Specification"
 * version 1.2, carried over PCIe DOE as "Component Measurement and
 * Authentication" (CMA, PCIe r6.1 sec 6.31).  Secured sessions follow DMTF
 * DSP0277 ("Secured Messages using SPDM") carried over DOE data object type 2.
 *
 * All multi-byte fields are little endian and all structures are packed:
 * they describe bytes on the wire, never host memory layouts.  Fields whose
 * size depends on the negotiated algorithms (hashes, signatures, key
 * exchange data) are not part of the structures; the helpers below give
 * their sizes for the algorithms this sample negotiates.
 *
 * What is simulated: the sample negotiates SHA-384 and ECDSA P-384 but does
 * not perform the cryptography.  Signatures, key exchange data and MACs are
 * deterministic patterns (see SPDM_SIM_*) so that the requester can verify
 * the framing, lengths and state machine while being honest that no real
 * authentication happens.
 */
#ifndef __SAMPLES_DEVSEC_SPDM_H__
#define __SAMPLES_DEVSEC_SPDM_H__

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/math.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/types.h>

/* SPDMVersion byte: major in bits 7:4, minor in bits 3:0 (DSP0274 10.2) */
#define SPDM_VERSION_10			0x10	/* GET_VERSION / VERSION only */
#define SPDM_VERSION_11			0x11
#define SPDM_VERSION_12			0x12

/* VERSION response entries: major 15:12, minor 11:8, update 7:4, alpha 3:0 */
#define SPDM_VERSION_ENTRY_MAJOR	GENMASK(15, 12)
#define SPDM_VERSION_ENTRY_MINOR	GENMASK(11, 8)
#define SPDM_VERSION_ENTRY_UPDATE	GENMASK(7, 4)
#define SPDM_VERSION_ENTRY_ALPHA	GENMASK(3, 0)
#define SPDM_VERSION_ENTRY_12		0x1200

/* Request codes (DSP0274 table 4) */
#define SPDM_GET_DIGESTS		0x81
#define SPDM_GET_CERTIFICATE		0x82
#define SPDM_CHALLENGE			0x83
#define SPDM_GET_VERSION		0x84
#define SPDM_CHUNK_SEND			0x85
#define SPDM_CHUNK_GET			0x86
#define SPDM_GET_MEASUREMENTS		0xe0
#define SPDM_GET_CAPABILITIES		0xe1
#define SPDM_NEGOTIATE_ALGORITHMS	0xe3
#define SPDM_KEY_EXCHANGE		0xe4
#define SPDM_FINISH			0xe5
#define SPDM_PSK_EXCHANGE		0xe6
#define SPDM_PSK_FINISH			0xe7
#define SPDM_HEARTBEAT			0xe8
#define SPDM_KEY_UPDATE			0xe9
#define SPDM_GET_ENCAPSULATED_REQUEST	0xea
#define SPDM_DELIVER_ENCAPSULATED_RESPONSE 0xeb
#define SPDM_END_SESSION		0xec
#define SPDM_GET_CSR			0xed
#define SPDM_SET_CERTIFICATE		0xee
#define SPDM_VENDOR_DEFINED_REQUEST	0xfe
#define SPDM_RESPOND_IF_READY		0xff

/* Response codes (DSP0274 table 5) */
#define SPDM_DIGESTS			0x01
#define SPDM_CERTIFICATE		0x02
#define SPDM_CHALLENGE_AUTH		0x03
#define SPDM_VERSION			0x04
#define SPDM_CHUNK_SEND_ACK		0x05
#define SPDM_CHUNK_RESPONSE		0x06
#define SPDM_MEASUREMENTS		0x60
#define SPDM_CAPABILITIES		0x61
#define SPDM_ALGORITHMS			0x63
#define SPDM_KEY_EXCHANGE_RSP		0x64
#define SPDM_FINISH_RSP			0x65
#define SPDM_PSK_EXCHANGE_RSP		0x66
#define SPDM_PSK_FINISH_RSP		0x67
#define SPDM_HEARTBEAT_ACK		0x68
#define SPDM_KEY_UPDATE_ACK		0x69
#define SPDM_ENCAPSULATED_REQUEST	0x6a
#define SPDM_ENCAPSULATED_RESPONSE_ACK	0x6b
#define SPDM_END_SESSION_ACK		0x6c
#define SPDM_CSR			0x6d
#define SPDM_SET_CERTIFICATE_RSP	0x6e
#define SPDM_VENDOR_DEFINED_RESPONSE	0x7e
#define SPDM_ERROR			0x7f

/* ERROR response Param1 (DSP0274 table 48) */
#define SPDM_ERR_INVALID_REQUEST	0x01
#define SPDM_ERR_BUSY			0x03
#define SPDM_ERR_UNEXPECTED_REQUEST	0x04
#define SPDM_ERR_UNSPECIFIED		0x05
#define SPDM_ERR_DECRYPT_ERROR		0x06
#define SPDM_ERR_UNSUPPORTED_REQUEST	0x07
#define SPDM_ERR_REQUEST_IN_FLIGHT	0x08
#define SPDM_ERR_INVALID_RESPONSE_CODE	0x09
#define SPDM_ERR_SESSION_LIMIT_EXCEEDED	0x0a
#define SPDM_ERR_SESSION_REQUIRED	0x0b
#define SPDM_ERR_RESET_REQUIRED		0x0c
#define SPDM_ERR_RESPONSE_TOO_LARGE	0x0d
#define SPDM_ERR_REQUEST_TOO_LARGE	0x0e
#define SPDM_ERR_LARGE_RESPONSE		0x0f
#define SPDM_ERR_MESSAGE_LOST		0x10
#define SPDM_ERR_VERSION_MISMATCH	0x41
#define SPDM_ERR_RESPONSE_NOT_READY	0x42
#define SPDM_ERR_REQUEST_RESYNCH	0x43
#define SPDM_ERR_VENDOR_DEFINED		0xff

/**
 * struct spdm_header - header of every SPDM request and response
 * @version: SPDMVersion, e.g. %SPDM_VERSION_12
 * @code: request or response code
 * @param1: message specific
 * @param2: message specific
 */
struct spdm_header {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;
} __packed;

/* GET_VERSION: header only, version is always SPDM_VERSION_10 */
struct spdm_get_version_req {
	struct spdm_header hdr;
} __packed;

/**
 * struct spdm_version_rsp - VERSION
 * @hdr: header, version %SPDM_VERSION_10
 * @reserved: reserved
 * @entry_count: number of @entries
 * @entries: supported versions, see SPDM_VERSION_ENTRY_*
 */
struct spdm_version_rsp {
	struct spdm_header hdr;
	u8 reserved;
	u8 entry_count;
	__le16 entries[];
} __packed;

/* Capability flags (DSP0274 tables 10 and 11), shared request/response */
#define SPDM_CAP_CACHE			BIT(0)	/* responder only */
#define SPDM_CAP_CERT			BIT(1)
#define SPDM_CAP_CHAL			BIT(2)
#define SPDM_CAP_MEAS			GENMASK(4, 3)	/* responder only */
#define  SPDM_CAP_MEAS_NO_SIG		1
#define  SPDM_CAP_MEAS_SIG		2
#define SPDM_CAP_MEAS_FRESH		BIT(5)	/* responder only */
#define SPDM_CAP_ENCRYPT		BIT(6)
#define SPDM_CAP_MAC			BIT(7)
#define SPDM_CAP_MUT_AUTH		BIT(8)
#define SPDM_CAP_KEY_EX			BIT(9)
#define SPDM_CAP_PSK			GENMASK(11, 10)
#define SPDM_CAP_ENCAP			BIT(12)
#define SPDM_CAP_HBEAT			BIT(13)
#define SPDM_CAP_KEY_UPD		BIT(14)
#define SPDM_CAP_HANDSHAKE_IN_THE_CLEAR	BIT(15)
#define SPDM_CAP_PUB_KEY_ID		BIT(16)
#define SPDM_CAP_CHUNK			BIT(17)
#define SPDM_CAP_ALIAS_CERT		BIT(18)	/* responder only */

/**
 * struct spdm_get_capabilities_req - GET_CAPABILITIES (1.2 layout)
 * @hdr: header, param1/param2 reserved
 * @reserved1: reserved
 * @ct_exponent: cryptographic timeout exponent, 2^ct_exponent us
 * @reserved2: reserved
 * @flags: SPDM_CAP_* of the requester
 * @data_transfer_size: largest message the requester can receive in one go
 * @max_spdm_msg_size: largest (chunked) message the requester can process
 */
struct spdm_get_capabilities_req {
	struct spdm_header hdr;
	u8 reserved1;
	u8 ct_exponent;
	__le16 reserved2;
	__le32 flags;
	__le32 data_transfer_size;
	__le32 max_spdm_msg_size;
} __packed;

/**
 * struct spdm_capabilities_rsp - CAPABILITIES (1.2 layout)
 * @hdr: header, param1/param2 reserved
 * @reserved1: reserved
 * @ct_exponent: cryptographic timeout exponent, 2^ct_exponent us
 * @reserved2: reserved
 * @flags: SPDM_CAP_* of the responder
 * @data_transfer_size: largest message the responder can receive in one go
 * @max_spdm_msg_size: largest (chunked) message the responder can process
 */
struct spdm_capabilities_rsp {
	struct spdm_header hdr;
	u8 reserved1;
	u8 ct_exponent;
	__le16 reserved2;
	__le32 flags;
	__le32 data_transfer_size;
	__le32 max_spdm_msg_size;
} __packed;

/* MeasurementSpecification */
#define SPDM_MEAS_SPEC_DMTF		BIT(0)

/* OtherParamsSupport / OtherParamsSelection (1.2) */
#define SPDM_OPAQUE_DATA_FMT_0		BIT(0)
#define SPDM_OPAQUE_DATA_FMT_1		BIT(1)

/* BaseAsymAlgo (DSP0274 table 15) */
#define SPDM_ASYM_RSASSA_2048		BIT(0)
#define SPDM_ASYM_RSAPSS_2048		BIT(1)
#define SPDM_ASYM_RSASSA_3072		BIT(2)
#define SPDM_ASYM_RSAPSS_3072		BIT(3)
#define SPDM_ASYM_ECDSA_ECC_NIST_P256	BIT(4)
#define SPDM_ASYM_RSASSA_4096		BIT(5)
#define SPDM_ASYM_RSAPSS_4096		BIT(6)
#define SPDM_ASYM_ECDSA_ECC_NIST_P384	BIT(7)
#define SPDM_ASYM_ECDSA_ECC_NIST_P521	BIT(8)
#define SPDM_ASYM_SM2_ECC_SM2_P256	BIT(9)
#define SPDM_ASYM_EDDSA_ED25519		BIT(10)
#define SPDM_ASYM_EDDSA_ED448		BIT(11)

/* BaseHashAlgo (DSP0274 table 15), TPM_ALG_* names */
#define SPDM_HASH_SHA_256		BIT(0)
#define SPDM_HASH_SHA_384		BIT(1)
#define SPDM_HASH_SHA_512		BIT(2)
#define SPDM_HASH_SHA3_256		BIT(3)
#define SPDM_HASH_SHA3_384		BIT(4)
#define SPDM_HASH_SHA3_512		BIT(5)
#define SPDM_HASH_SM3_256		BIT(6)

/* MeasurementHashAlgo (ALGORITHMS response only) */
#define SPDM_MEAS_HASH_RAW		BIT(0)
#define SPDM_MEAS_HASH_SHA_256		BIT(1)
#define SPDM_MEAS_HASH_SHA_384		BIT(2)

/* AlgType of the algorithm structure tables (DSP0274 table 16) */
#define SPDM_ALG_TYPE_DHE		2
#define SPDM_ALG_TYPE_AEAD		3
#define SPDM_ALG_TYPE_REQ_BASE_ASYM	4
#define SPDM_ALG_TYPE_KEY_SCHEDULE	5

/* AlgCount: bits 7:4 size of AlgSupported (always 2), 3:0 external count */
#define SPDM_ALG_COUNT_FIXED		GENMASK(7, 4)
#define SPDM_ALG_COUNT_EXT		GENMASK(3, 0)
#define SPDM_ALG_COUNT_2_BYTES		0x20

/* DHE group */
#define SPDM_DHE_FFDHE_2048		BIT(0)
#define SPDM_DHE_FFDHE_3072		BIT(1)
#define SPDM_DHE_FFDHE_4096		BIT(2)
#define SPDM_DHE_SECP256R1		BIT(3)
#define SPDM_DHE_SECP384R1		BIT(4)
#define SPDM_DHE_SECP521R1		BIT(5)

/* AEAD cipher suite */
#define SPDM_AEAD_AES_128_GCM		BIT(0)
#define SPDM_AEAD_AES_256_GCM		BIT(1)
#define SPDM_AEAD_CHACHA20_POLY1305	BIT(2)

/* Key schedule */
#define SPDM_KEY_SCHEDULE_SPDM		BIT(0)

/**
 * struct spdm_alg_struct - one AlgStruct table entry, no external algorithms
 * @type: SPDM_ALG_TYPE_*
 * @count: %SPDM_ALG_COUNT_2_BYTES (no external algorithms)
 * @supported: bitmask of algorithms of that type (request: supported,
 *	response: the one selected)
 */
struct spdm_alg_struct {
	u8 type;
	u8 count;
	__le16 supported;
} __packed;

/**
 * struct spdm_negotiate_algorithms_req - NEGOTIATE_ALGORITHMS (1.2 layout)
 * @hdr: header, param1 = number of @alg_structs, param2 reserved
 * @length: length of the whole request in bytes
 * @meas_spec: SPDM_MEAS_SPEC_*
 * @other_params: SPDM_OPAQUE_DATA_FMT_*
 * @base_asym_algo: SPDM_ASYM_* the requester supports
 * @base_hash_algo: SPDM_HASH_* the requester supports
 * @reserved1: reserved
 * @ext_asym_count: number of extended asym algorithms (4 bytes each)
 * @ext_hash_count: number of extended hash algorithms (4 bytes each)
 * @reserved2: reserved
 * @alg_structs: extended algorithms (sample: none), then AlgStruct tables
 */
struct spdm_negotiate_algorithms_req {
	struct spdm_header hdr;
	__le16 length;
	u8 meas_spec;
	u8 other_params;
	__le32 base_asym_algo;
	__le32 base_hash_algo;
	u8 reserved1[12];
	u8 ext_asym_count;
	u8 ext_hash_count;
	__le16 reserved2;
	struct spdm_alg_struct alg_structs[];
} __packed;

/**
 * struct spdm_algorithms_rsp - ALGORITHMS (1.2 layout)
 * @hdr: header, param1 = number of @alg_structs, param2 reserved
 * @length: length of the whole response in bytes
 * @meas_spec_sel: selected SPDM_MEAS_SPEC_*
 * @other_params_sel: selected SPDM_OPAQUE_DATA_FMT_*
 * @meas_hash_algo: SPDM_MEAS_HASH_* used for measurements
 * @base_asym_sel: selected SPDM_ASYM_* (exactly one bit)
 * @base_hash_sel: selected SPDM_HASH_* (exactly one bit)
 * @reserved1: reserved
 * @ext_asym_sel_count: number of extended asym selections (sample: 0)
 * @ext_hash_sel_count: number of extended hash selections (sample: 0)
 * @reserved2: reserved
 * @alg_structs: AlgStruct tables with one bit selected in each
 */
struct spdm_algorithms_rsp {
	struct spdm_header hdr;
	__le16 length;
	u8 meas_spec_sel;
	u8 other_params_sel;
	__le32 meas_hash_algo;
	__le32 base_asym_sel;
	__le32 base_hash_sel;
	u8 reserved1[12];
	u8 ext_asym_sel_count;
	u8 ext_hash_sel_count;
	__le16 reserved2;
	struct spdm_alg_struct alg_structs[];
} __packed;

/* Sizes for the algorithms negotiated by this sample */
#define SPDM_SHA384_LEN			48	/* H */
#define SPDM_P384_SIG_LEN		96	/* S: r || s, 48 bytes each */
#define SPDM_P384_DHE_LEN		96	/* D: x || y, 48 bytes each */
#define SPDM_NONCE_LEN			32
#define SPDM_RANDOM_LEN			32
#define SPDM_MAX_SLOTS			8

/* GET_DIGESTS: header only, param1/param2 reserved */
struct spdm_get_digests_req {
	struct spdm_header hdr;
} __packed;

/*
 * DIGESTS: header (param1 reserved, param2 = slot mask) followed by one
 * H-byte digest of each certificate chain in the slot mask, lowest slot
 * first.
 */
struct spdm_digests_rsp {
	struct spdm_header hdr;
	u8 digests[];
} __packed;

/**
 * struct spdm_get_certificate_req - GET_CERTIFICATE
 * @hdr: header, param1 bits 3:0 = slot, param2 reserved
 * @offset: byte offset into the certificate chain
 * @length: number of bytes requested (0xffff: as many as fit)
 */
struct spdm_get_certificate_req {
	struct spdm_header hdr;
	__le16 offset;
	__le16 length;
} __packed;

#define SPDM_GET_CERT_SLOT		GENMASK(3, 0)

/**
 * struct spdm_certificate_rsp - CERTIFICATE
 * @hdr: header, param1 bits 3:0 = slot, param2 reserved
 * @portion_length: number of chain bytes in @cert_chain
 * @remainder_length: chain bytes left after this portion
 * @cert_chain: portion of the certificate chain
 */
struct spdm_certificate_rsp {
	struct spdm_header hdr;
	__le16 portion_length;
	__le16 remainder_length;
	u8 cert_chain[];
} __packed;

/**
 * struct spdm_cert_chain_hdr - start of a certificate chain (DSP0274 table 28)
 * @length: total length of the chain including this header and root hash
 * @reserved: reserved
 * @root_hash: H-byte hash of the root certificate follows, then the
 *	DER-encoded certificates, root first
 */
struct spdm_cert_chain_hdr {
	__le16 length;
	__le16 reserved;
	u8 root_hash[];
} __packed;

/* CHALLENGE param2: measurement summary hash type */
#define SPDM_MEAS_SUMMARY_NONE		0x00
#define SPDM_MEAS_SUMMARY_TCB		0x01
#define SPDM_MEAS_SUMMARY_ALL		0xff

/**
 * struct spdm_challenge_req - CHALLENGE
 * @hdr: header, param1 = slot, param2 = SPDM_MEAS_SUMMARY_*
 * @nonce: requester nonce
 */
struct spdm_challenge_req {
	struct spdm_header hdr;
	u8 nonce[SPDM_NONCE_LEN];
} __packed;

/*
 * CHALLENGE_AUTH: header (param1 bits 3:0 = slot, param2 = slot mask), then
 *	CertChainHash[H], Nonce[32], MeasurementSummaryHash[H, or 0 bytes if
 *	SPDM_MEAS_SUMMARY_NONE was requested], OpaqueDataLength (le16),
 *	OpaqueData[OpaqueDataLength], Signature[S].
 */
struct spdm_challenge_auth_rsp {
	struct spdm_header hdr;
	u8 cert_chain_hash[];
} __packed;

#define SPDM_CHALLENGE_AUTH_SLOT	GENMASK(3, 0)

/* KEY_EXCHANGE SessionPolicy (1.2) */
#define SPDM_SESSION_POLICY_TERMINATE_ON_UPDATE	BIT(0)

/**
 * struct spdm_key_exchange_req - fixed part of KEY_EXCHANGE
 * @hdr: header, param1 = SPDM_MEAS_SUMMARY_*, param2 = slot
 * @req_session_id: requester half of the session ID
 * @session_policy: SPDM_SESSION_POLICY_*
 * @reserved: reserved
 * @random: requester random data
 *
 * Followed by ExchangeData[D], OpaqueDataLength (le16), OpaqueData.
 */
struct spdm_key_exchange_req {
	struct spdm_header hdr;
	__le16 req_session_id;
	u8 session_policy;
	u8 reserved;
	u8 random[SPDM_RANDOM_LEN];
} __packed;

/**
 * struct spdm_key_exchange_rsp - fixed part of KEY_EXCHANGE_RSP
 * @hdr: header, param1 = heartbeat period, param2 reserved
 * @rsp_session_id: responder half of the session ID
 * @mut_auth_requested: mutual authentication requested (sample: 0)
 * @req_slot_id_param: requester slot for mutual authentication (sample: 0)
 * @random: responder random data
 *
 * Followed by ExchangeData[D], MeasurementSummaryHash[H or 0],
 * OpaqueDataLength (le16), OpaqueData, Signature[S],
 * ResponderVerifyData[H] (absent with HANDSHAKE_IN_THE_CLEAR).
 */
struct spdm_key_exchange_rsp {
	struct spdm_header hdr;
	__le16 rsp_session_id;
	u8 mut_auth_requested;
	u8 req_slot_id_param;
	u8 random[SPDM_RANDOM_LEN];
} __packed;

/*
 * FINISH: header (param1 bit 0 = signature present, param2 = slot), then
 *	Signature[S] if mutual auth, RequesterVerifyData[H].
 * FINISH_RSP: header, ResponderVerifyData[H] only with HANDSHAKE_IN_THE_CLEAR.
 * Both are sent inside the session (DOE type 2) in this sample.
 */
struct spdm_finish_req {
	struct spdm_header hdr;
	u8 verify_data[];
} __packed;

struct spdm_finish_rsp {
	struct spdm_header hdr;
} __packed;

/* END_SESSION param1 */
#define SPDM_END_SESSION_PRESERVE_STATE	BIT(0)

struct spdm_end_session_req {
	struct spdm_header hdr;
} __packed;

struct spdm_end_session_ack_rsp {
	struct spdm_header hdr;
} __packed;

/**
 * struct spdm_error_rsp - ERROR
 * @hdr: header, param1 = SPDM_ERR_*, param2 = error data
 * @ext_data: extended error data (e.g. ResponseNotReady), may be absent
 */
struct spdm_error_rsp {
	struct spdm_header hdr;
	u8 ext_data[];
} __packed;

/* VENDOR_DEFINED StandardID (DSP0274 table 57) */
#define SPDM_STANDARD_ID_DMTF		0
#define SPDM_STANDARD_ID_PCISIG		3

/* PCI-SIG vendor ID used with SPDM_STANDARD_ID_PCISIG */
#define SPDM_PCISIG_VENDOR_ID		0x0001

/* First payload byte of PCI-SIG vendor defined messages (PCIe r6.1 6.31.4) */
#define SPDM_PCISIG_PROTOCOL_IDE_KM	0x00
#define SPDM_PCISIG_PROTOCOL_TDISP	0x01

/**
 * struct spdm_vendor_defined_hdr - VENDOR_DEFINED_REQUEST/RESPONSE framing
 *	for PCI-SIG defined protocols
 * @hdr: header, code %SPDM_VENDOR_DEFINED_REQUEST or
 *	%SPDM_VENDOR_DEFINED_RESPONSE, param1/param2 reserved
 * @standard_id: %SPDM_STANDARD_ID_PCISIG
 * @vendor_id_len: 2
 * @vendor_id: %SPDM_PCISIG_VENDOR_ID
 * @payload_len: bytes following this field, starting with @protocol_id
 * @protocol_id: SPDM_PCISIG_PROTOCOL_*, first byte of the payload
 *
 * The IDE_KM or TDISP message follows @protocol_id.
 */
struct spdm_vendor_defined_hdr {
	struct spdm_header hdr;
	__le16 standard_id;
	u8 vendor_id_len;
	__le16 vendor_id;
	__le16 payload_len;
	u8 protocol_id;
} __packed;

/*
 * Secured messages (DSP0277) over DOE type 2 (PCIe r6.1 6.31.3): session ID
 * (le32: requester half in bits 15:0, responder half in bits 31:16), no
 * sequence number on PCIe, length (le16) of what follows, then the AEAD
 * protected record: application data length (le16), the SPDM message,
 * random padding, and a 16-byte MAC.
 *
 * Simulated: the record is not encrypted (plaintext on the wire) and the
 * MAC is SPDM_SIM_MAC_LEN bytes of SPDM_SIM_MAC_BYTE.  A receiver checks
 * session ID, lengths and the MAC pattern; a mismatch is a decrypt error.
 */
struct spdm_secured_msg_hdr {
	__le32 session_id;
	__le16 length;
	__le16 app_data_len;
} __packed;

#define SPDM_SECURED_MAC_LEN		16
#define SPDM_SIM_MAC_LEN		SPDM_SECURED_MAC_LEN
#define SPDM_SIM_MAC_BYTE		0x5a

/*
 * Simulated signature: SPDM_P384_SIG_LEN bytes, the first bytes of which
 * spell SPDM_SIM_SIG_LABEL, the rest SPDM_SIM_SIG_BYTE.  Simulated key
 * exchange data: SPDM_P384_DHE_LEN bytes of SPDM_SIM_DHE_BYTE.  Simulated
 * verify data (HMAC): H bytes of SPDM_SIM_VERIFY_BYTE, in both directions.
 * Simulated digests (certificate chain digest, root hash, CertChainHash):
 * spdm_sim_digest(), a keyless FNV-1a based fold that stands in for
 * SHA-384.  Nonces and random data are arbitrary.
 */
#define SPDM_SIM_SIG_LABEL		"devsec simulated signature"
#define SPDM_SIM_SIG_BYTE		0xa5
#define SPDM_SIM_DHE_BYTE		0xd4
#define SPDM_SIM_VERIFY_BYTE		0xf1

/**
 * spdm_sim_signature() - fill @sig with the simulated signature
 * @sig: SPDM_P384_SIG_LEN bytes
 */
static inline void spdm_sim_signature(u8 *sig)
{
	memset(sig, SPDM_SIM_SIG_BYTE, SPDM_P384_SIG_LEN);
	memcpy(sig, SPDM_SIM_SIG_LABEL, sizeof(SPDM_SIM_SIG_LABEL) - 1);
}

/**
 * spdm_sim_signature_ok() - is @sig the simulated signature?
 * @sig: SPDM_P384_SIG_LEN bytes
 *
 * Return: true if it is.
 */
static inline bool spdm_sim_signature_ok(const u8 *sig)
{
	u8 expect[SPDM_P384_SIG_LEN];

	spdm_sim_signature(expect);
	return !memcmp(sig, expect, sizeof(expect));
}

/**
 * spdm_sim_digest() - simulated SHA-384: NOT a cryptographic hash
 * @data: bytes to digest
 * @len: number of bytes
 * @digest: SPDM_SHA384_LEN bytes of output
 */
static inline void spdm_sim_digest(const void *data, size_t len, u8 *digest)
{
	const u64 fnv_prime = 0x100000001b3ULL;
	u64 h = 0xcbf29ce484222325ULL;
	const u8 *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * fnv_prime;
	for (i = 0; i < SPDM_SHA384_LEN; i++) {
		h = (h ^ i) * fnv_prime;
		digest[i] = h >> 56;
	}
}

/*
 * GET_MEASUREMENTS (DSP0274 1.2 table 45): header (param1 bit 0: signature
 * requested, param2: SPDM_MEAS_OP_*), then, with a signature requested,
 * Nonce[32] and SlotIDParam.  MEASUREMENTS: header (param1: number of
 * blocks for SPDM_MEAS_OP_COUNT, else 0; param2: slot), NumberOfBlocks,
 * MeasurementRecordLength (le24), MeasurementRecord, Nonce[32],
 * OpaqueDataLength (le16), OpaqueData, Signature[S] when requested.
 */
#define SPDM_MEAS_REQ_SIG		BIT(0)
#define SPDM_MEAS_OP_COUNT		0x00
#define SPDM_MEAS_OP_ALL		0xff
#define SPDM_MEAS_REQ_LEN		4
#define SPDM_MEAS_REQ_SIG_LEN		(4 + SPDM_NONCE_LEN + 1)
/* NumberOfBlocks, MeasurementRecordLength after the header */
#define SPDM_MEAS_RSP_FIXED		(4 + 1 + 3)

/*
 * A measurement block (DSP0274 1.2 table 47): Index, MeasurementSpecification,
 * MeasurementSize (le16), then for the DMTF specification (table 48):
 * DMTFSpecMeasurementValueType, DMTFSpecMeasurementValueSize (le16), value.
 */
#define SPDM_MEAS_BLOCK_HDR		4
#define SPDM_MEAS_DMTF_HDR		3
#define SPDM_MEAS_DMTF_ROM		0x00	/* immutable ROM */
#define SPDM_MEAS_DMTF_FIRMWARE		0x01	/* mutable firmware */
#define SPDM_MEAS_DMTF_CONFIG		0x04	/* firmware configuration */

/**
 * spdm_version_rsp_check() - check a VERSION response offers SPDM 1.2
 * @rsp: the response
 * @len: bytes received, the message plus at most the DOE dword padding
 *
 * Return: the message length, -EIO for a malformed response (no entries,
 * truncated, or junk past the padding), -EPROTO when 1.2 is not offered.
 */
static inline int spdm_version_rsp_check(const struct spdm_version_rsp *rsp,
					 size_t len)
{
	size_t msg_len;
	int i;

	if (len < sizeof(*rsp) || !rsp->entry_count)
		return -EIO;
	msg_len = struct_size(rsp, entries, rsp->entry_count);
	if (msg_len > len || len > round_up(msg_len, 4))
		return -EIO;
	for (i = 0; i < rsp->entry_count; i++)
		if ((get_unaligned_le16(&rsp->entries[i]) &
		     (SPDM_VERSION_ENTRY_MAJOR | SPDM_VERSION_ENTRY_MINOR)) ==
		    SPDM_VERSION_ENTRY_12)
			return msg_len;
	return -EPROTO;
}

static_assert(sizeof(struct spdm_header) == 4);
static_assert(sizeof(struct spdm_version_rsp) == 6);
static_assert(sizeof(struct spdm_get_capabilities_req) == 20);
static_assert(sizeof(struct spdm_capabilities_rsp) == 20);
static_assert(sizeof(struct spdm_negotiate_algorithms_req) == 32);
static_assert(sizeof(struct spdm_algorithms_rsp) == 36);
static_assert(sizeof(struct spdm_get_certificate_req) == 8);
static_assert(sizeof(struct spdm_certificate_rsp) == 8);
static_assert(sizeof(struct spdm_challenge_req) == 36);
static_assert(sizeof(struct spdm_key_exchange_req) == 40);
static_assert(sizeof(struct spdm_key_exchange_rsp) == 40);
static_assert(sizeof(struct spdm_vendor_defined_hdr) == 12);
static_assert(sizeof(struct spdm_secured_msg_hdr) == 8);

#endif /* __SAMPLES_DEVSEC_SPDM_H__ */
