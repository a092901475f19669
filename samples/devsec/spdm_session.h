/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Requester side of an SPDM 1.2 secure session (DMTF DSP0274 KEY_EXCHANGE,
 * FINISH, END_SESSION) with secured messages (DMTF DSP0277) over DOE data
 * object type 2 (PCIe r6.1 sec 6.31.3), written for TSM step functions of
 * the PCI/TSM request + exec engine: every function that needs an
 * exchange fills in the request with pci_tsm_req_doe() and returns
 * %PCI_TSM_STEP_DOE; the caller returns that to the core and calls back
 * once the response is in.
 *
 * Use:
 *
 * - Negotiate with DEVSEC_SPDM_SESSION_REQ_CAPS in GET_CAPABILITIES and
 *   the AlgStruct tables of devsec_spdm_session_alg_structs() in
 *   NEGOTIATE_ALGORITHMS; check ALGORITHMS with
 *   devsec_spdm_session_check_algs().
 * - devsec_spdm_session_open() until it returns 0 (or an error).
 * - devsec_spdm_session_vendor_send() + devsec_spdm_session_vendor_recv()
 *   for each PCI-SIG vendor defined (IDE_KM, TDISP) request.
 * - devsec_spdm_session_close() until it returns 0.
 *
 * Simulated crypto, see spdm.h: exchange data, signature, verify data and
 * MACs are patterns; the record is not encrypted.
 */
#ifndef __SAMPLES_DEVSEC_SPDM_SESSION_H__
#define __SAMPLES_DEVSEC_SPDM_SESSION_H__

#include <linux/types.h>

#include "spdm.h"

struct pci_tsm_req;

/* GET_CAPABILITIES flags a requester must add to hold a session */
#define DEVSEC_SPDM_SESSION_REQ_CAPS	(SPDM_CAP_ENCRYPT | SPDM_CAP_MAC | \
					 SPDM_CAP_KEY_EX)
/* AlgStruct tables of devsec_spdm_session_alg_structs() */
#define DEVSEC_SPDM_SESSION_NR_ALGS	3
/* Largest SPDM message carried inside the session, either direction */
#define DEVSEC_SPDM_SESSION_MSG_MAX	1024
/* Secured message framing: header before, MAC after the SPDM message */
#define DEVSEC_SPDM_SESSION_OVERHEAD	(sizeof(struct spdm_secured_msg_hdr) + \
					 SPDM_SECURED_MAC_LEN)

/**
 * enum devsec_spdm_session_state - requester view of the session
 * @DEVSEC_SPDM_SESSION_IDLE: no session
 * @DEVSEC_SPDM_SESSION_KEY_EXCHANGE: KEY_EXCHANGE sent
 * @DEVSEC_SPDM_SESSION_FINISH: FINISH sent
 * @DEVSEC_SPDM_SESSION_OPEN: established, application data may flow
 * @DEVSEC_SPDM_SESSION_VENDOR: a VENDOR_DEFINED_REQUEST is in flight
 * @DEVSEC_SPDM_SESSION_END: END_SESSION sent
 */
enum devsec_spdm_session_state {
	DEVSEC_SPDM_SESSION_IDLE,
	DEVSEC_SPDM_SESSION_KEY_EXCHANGE,
	DEVSEC_SPDM_SESSION_FINISH,
	DEVSEC_SPDM_SESSION_OPEN,
	DEVSEC_SPDM_SESSION_VENDOR,
	DEVSEC_SPDM_SESSION_END,
};

/**
 * struct devsec_spdm_session - one requester session and its buffers
 * @state: where the session is
 * @session_id: requester half in bits 15:0, responder half in 31:16
 * @protocol: PCI-SIG protocol id of the vendor request in flight
 * @req: request DOE payload of the exchange in flight
 * @rsp: response DOE payload buffer
 *
 * Embed it in (or allocate it with) the TSM's per-request or per-device
 * state; it must stay put while an exchange is in flight.
 */
struct devsec_spdm_session {
	enum devsec_spdm_session_state state;
	u32 session_id;
	u8 protocol;
	u8 req[DEVSEC_SPDM_SESSION_MSG_MAX + DEVSEC_SPDM_SESSION_OVERHEAD]
		__aligned(8);
	u8 rsp[DEVSEC_SPDM_SESSION_MSG_MAX + DEVSEC_SPDM_SESSION_OVERHEAD]
		__aligned(8);
};

void devsec_spdm_session_init(struct devsec_spdm_session *s);
size_t devsec_spdm_session_alg_structs(struct spdm_alg_struct *as);
int devsec_spdm_session_check_algs(const struct spdm_algorithms_rsp *rsp,
				   size_t len);
int devsec_spdm_session_open(struct pci_tsm_req *req,
			     struct devsec_spdm_session *s);
int devsec_spdm_session_close(struct pci_tsm_req *req,
			      struct devsec_spdm_session *s);
int devsec_spdm_session_vendor_send(struct pci_tsm_req *req,
				    struct devsec_spdm_session *s, u8 protocol,
				    const void *msg, size_t len);
int devsec_spdm_session_vendor_recv(struct pci_tsm_req *req,
				    struct devsec_spdm_session *s,
				    const u8 **msg);

/* Is the session established (and no exchange in flight)? */
static inline bool devsec_spdm_session_is_open(struct devsec_spdm_session *s)
{
	return s->state == DEVSEC_SPDM_SESSION_OPEN;
}

#endif /* __SAMPLES_DEVSEC_SPDM_SESSION_H__ */
