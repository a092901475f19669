// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM request + exec engine
 *
 * Every operation a TEE Security Manager (TSM) carries out on a device
 * (connect, disconnect, lock, unlock, accept, evidence refresh) is a
 * request: the core calls the TSM's step function, and each call either
 * completes the request (0), fails it (-errno), or hands back one DOE
 * exchange (PCI_TSM_STEP_DOE, with &pci_tsm_req.doe filled in).  The
 * engine performs that exchange on the mailbox of the Device Security
 * Manager (DSM, function 0) with pci_doe(), stores the outcome in
 * &pci_tsm_doe_xfer.rsp_len, and calls the step function again:
 *
 *   step(req) --PCI_TSM_STEP_DOE--> pci_doe(req->doe) --rsp_len--> step(req)
 *        |                                                          ...
 *        +--> 0 or -errno: request complete
 *
 * The payloads are CMA/SPDM messages (PCIe r6.1 sec 6.31), secured
 * SPDM carrying IDE_KM (sec 6.33.9) and TDISP (sec 11) messages, all
 * carried in DOE data objects (sec 6.30).  TSM drivers thus never own
 * the mailbox, and one engine bounds, serialises, cancels and traces
 * the traffic of every TSM:
 *
 * - requests for one DSM are serialised by &pci_tsm_pf0.lock; requests
 *   for different devices run in parallel;
 * - a request is aborted after PCI_TSM_REQ_MAX_STEPS step calls or
 *   PCI_TSM_REQ_TIMEOUT_NS, on device removal (PCI_TSM_PF0_REMOVING:
 *   every request but the teardown's; PCI_TSM_PF0_DEAD, the device is
 *   disconnected: every request) and on TSM unregistration
 *   (PCI_TSM_PF0_CANCEL), and a refresh when the process that asked for
 *   it is killed (-EINTR).  Aborting means one last
 *   step call with &pci_tsm_req.abort set, in which the TSM releases
 *   what the request holds;
 * - an exchange request that is malformed (no buffer, zero or oversized
 *   length) or a step return value outside the contract aborts the
 *   request with -EINVAL instead of reaching the mailbox.
 */

#define dev_fmt(fmt) "TSM: " fmt

#include <linux/bitops.h>
#include <linux/cleanup.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tsm.h>
#include <linux/sched/signal.h>
#include <kunit/visibility.h>

#include "core.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static const char *const pci_tsm_req_names[PCI_TSM_REQ_MAX] = {
	[PCI_TSM_REQ_CONNECT] = "connect",
	[PCI_TSM_REQ_DISCONNECT] = "disconnect",
	[PCI_TSM_REQ_LOCK] = "lock",
	[PCI_TSM_REQ_UNLOCK] = "unlock",
	[PCI_TSM_REQ_ACCEPT] = "accept",
	[PCI_TSM_REQ_REFRESH] = "refresh",
};

static const char *pci_tsm_req_name(const struct pci_tsm_req *req)
{
	if ((unsigned int)req->type < PCI_TSM_REQ_MAX)
		return pci_tsm_req_names[req->type];
	return "unknown";
}

static int pci_tsm_doe_exchange(struct pci_tsm_pf0 *pf0,
				const struct pci_tsm_doe_xfer *xfer)
{
	if (!pf0->doe_mb)
		return -ENXIO;
	return pci_doe(pf0->doe_mb, xfer->vendor, xfer->type, xfer->req,
		       xfer->req_sz, xfer->rsp, xfer->rsp_sz);
}

/* The transport of every request outside of the KUnit test */
const struct pci_tsm_transport pci_tsm_doe_transport = {
	.exchange = pci_tsm_doe_exchange,
	.max_steps = PCI_TSM_REQ_MAX_STEPS,
	.timeout_ns = PCI_TSM_REQ_TIMEOUT_NS,
};

static bool pci_tsm_xfer_valid(const struct pci_tsm_doe_xfer *xfer)
{
	return xfer->req && xfer->rsp && xfer->req_sz && xfer->rsp_sz &&
	       xfer->req_sz <= PCI_TSM_DOE_MAX_PAYLOAD &&
	       xfer->rsp_sz <= PCI_TSM_DOE_MAX_PAYLOAD;
}

static void pci_tsm_req_abort(struct pci_tsm_req *req, int reason)
{
	req->abort = true;
	req->abort_reason = reason;
	trace_pci_tsm_abort(req);
}

/* Requests that undo what others established: they survive a removal */
static bool pci_tsm_req_is_teardown(const struct pci_tsm_req *req)
{
	return req->type == PCI_TSM_REQ_DISCONNECT ||
	       req->type == PCI_TSM_REQ_UNLOCK;
}

/* Why the request must stop before its next step, or 0 */
static int pci_tsm_req_stop_reason(struct pci_tsm_pf0 *pf0,
				   const struct pci_tsm_req *req,
				   const struct pci_tsm_transport *transport,
				   u64 deadline)
{
	if (test_bit(PCI_TSM_PF0_DEAD, &pf0->flags))
		return -ENODEV;
	if (test_bit(PCI_TSM_PF0_REMOVING, &pf0->flags) &&
	    !pci_tsm_req_is_teardown(req))
		return -ENODEV;
	if (test_bit(PCI_TSM_PF0_CANCEL, &pf0->flags))
		return -ECANCELED;
	/*
	 * Whoever asked for fresh evidence is gone: a stalling device must
	 * not keep a killed reader in the kernel (and the device locked)
	 */
	if (req->type == PCI_TSM_REQ_REFRESH && fatal_signal_pending(current))
		return -EINTR;
	if (req->step >= transport->max_steps) {
		pci_warn(req->pdev, "%s: no completion after %u steps\n",
			 pci_tsm_req_name(req), req->step);
		return -ETIMEDOUT;
	}
	if (ktime_get_ns() > deadline) {
		pci_warn(req->pdev, "%s: no completion after %llu ms\n",
			 pci_tsm_req_name(req),
			 div_u64(transport->timeout_ns, NSEC_PER_MSEC));
		return -ETIMEDOUT;
	}
	return 0;
}

static void pci_tsm_req_xfer(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req,
			     const struct pci_tsm_transport *transport)
{
	struct pci_tsm_doe_xfer *xfer = &req->doe;
	u64 start = ktime_get_ns();
	int rc;

	rc = transport->exchange(pf0, xfer);
	/* pci_doe() never reports more than asked for: do not trust that */
	if (rc > 0 && rc > xfer->rsp_sz)
		rc = xfer->rsp_sz;
	xfer->rsp_len = rc;
	trace_pci_tsm_doe(req, ktime_get_ns() - start);
}

/**
 * pci_tsm_req_exec() - execute a request until it completes
 * @pf0: DSM context whose mailbox carries the exchanges, lock held
 * @req: the request, with @type, @pdev, @tsm and @tsm_dev set and the
 *	rest zeroed
 * @step: the TSM's step function for @req->type
 * @transport: how to perform exchanges and the limits to apply
 *
 * Calls @step until it returns 0 or a negative errno, performing the
 * DOE exchange it asks for in between.  Before every call the request
 * is checked for device removal, TSM unregistration and the step and
 * time limits; when one of them hits, @step is called one last time with
 * @req->abort set and must release the request's resources.
 *
 * Return: 0 when the request completed, else a negative errno: the step
 * function's, or @req->abort_reason when an aborted step function did
 * not return one.
 */
int pci_tsm_req_exec(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req,
		     pci_tsm_step_fn step,
		     const struct pci_tsm_transport *transport)
{
	u64 start = ktime_get_ns();
	u64 deadline = start + transport->timeout_ns;
	int rc, reason;

	lockdep_assert_held(&pf0->lock);

	for (;;) {
		if (!req->abort) {
			reason = pci_tsm_req_stop_reason(pf0, req, transport,
							 deadline);
			if (reason)
				pci_tsm_req_abort(req, reason);
		}

		rc = step(req);
		req->step++;
		trace_pci_tsm_step(req, rc);

		/* That was the last call of an aborted request */
		if (req->abort)
			break;
		if (rc <= 0)
			break;
		if (rc != PCI_TSM_STEP_DOE) {
			pci_err(req->pdev, "%s: invalid step return %d\n",
				pci_tsm_req_name(req), rc);
			pci_tsm_req_abort(req, -EINVAL);
			continue;
		}
		if (!pci_tsm_xfer_valid(&req->doe)) {
			pci_err(req->pdev,
				"%s: invalid DOE exchange (req %zu bytes, rsp %zu bytes)\n",
				pci_tsm_req_name(req), req->doe.req_sz,
				req->doe.rsp_sz);
			pci_tsm_req_abort(req, -EINVAL);
			continue;
		}
		pci_tsm_req_xfer(pf0, req, transport);
	}

	/* An aborted request never succeeds, whatever the TSM says */
	if (req->abort && rc >= 0)
		rc = req->abort_reason;
	trace_pci_tsm_done(req, rc, ktime_get_ns() - start);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(pci_tsm_req_exec);

static int __pci_tsm_req_run(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req,
			     pci_tsm_step_fn step)
{
	int rc;

	guard(mutex)(&pf0->lock);
	rc = pci_tsm_req_exec(pf0, req, step, &pci_tsm_doe_transport);
	pci_dbg(req->pdev, "%s: %d after %u steps\n", pci_tsm_req_name(req),
		rc, req->step);
	return rc;
}

/**
 * pci_tsm_req_run() - run a request on the DOE mailbox of a DSM
 * @pf0: the DSM context: its mailbox carries the exchanges and its lock
 *	serialises the request against other requests for the device
 * @tsm: context of the function the request is for (@pf0's base for the
 *	DSM itself)
 * @type: the operation
 * @step: the TSM's step function for @type
 *
 * Return: see pci_tsm_req_exec().
 */
int pci_tsm_req_run(struct pci_tsm_pf0 *pf0, struct pci_tsm *tsm,
		    enum pci_tsm_req_type type, pci_tsm_step_fn step)
{
	struct pci_tsm_req req = {
		.type = type,
		.pdev = tsm->pdev,
		.tsm = tsm,
		.tsm_dev = tsm->tsm_dev,
	};

	return __pci_tsm_req_run(pf0, &req, step);
}

/**
 * pci_tsm_req_run_nonce() - run a %PCI_TSM_REQ_REFRESH request
 * @pf0: DSM context whose mailbox carries the request
 * @tsm: the device's context
 * @step: the TSM's refresh step callback
 * @nonce: relying party nonce, see &struct pci_tsm_req
 * @nonce_len: its size
 *
 * Return: as pci_tsm_req_run().
 */
int pci_tsm_req_run_nonce(struct pci_tsm_pf0 *pf0, struct pci_tsm *tsm,
			  pci_tsm_step_fn step, const u8 *nonce,
			  size_t nonce_len)
{
	struct pci_tsm_req req = {
		.type = PCI_TSM_REQ_REFRESH,
		.pdev = tsm->pdev,
		.tsm = tsm,
		.tsm_dev = tsm->tsm_dev,
		.nonce = nonce,
		.nonce_len = nonce_len,
	};

	return __pci_tsm_req_run(pf0, &req, step);
}
