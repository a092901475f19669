// SPDX-License-Identifier: GPL-2.0
/*
 * PCI/TSM request + exec engine
 *
 * Every operation the core asks of a TEE Security Manager (TSM) that may
 * reach the device (connect, disconnect, lock, unlock, accept, evidence
 * refresh, and the TDI operations) runs inside a request.  The request
 * is opened on the context of the Device Security Manager (DSM,
 * function 0) under its lock, and the TSM talks to the device in one of
 * two ways, both carried out here on the DSM's DOE mailbox:
 *
 * - synchronously, as upstream's TSMs do: pci_tsm_doe_transfer() from
 *   within the operation performs one exchange with pci_doe();
 * - in steps, as firmware that hands back one message at a time does
 *   (and the samples): pci_tsm_req_steps() calls a step function, and
 *   each call either completes the request (0), fails it (-errno), or
 *   hands back one DOE exchange (PCI_TSM_STEP_DOE, &pci_tsm_req.doe):
 *
 *   step(req) --PCI_TSM_STEP_DOE--> pci_doe(req->doe) --rsp_len--> step(req)
 *        |                                                          ...
 *        +--> 0 or -errno: request complete
 *
 * The payloads are CMA/SPDM messages (PCIe r6.1 sec 6.31), secured
 * SPDM carrying IDE_KM (sec 6.33.9) and TDISP (sec 11) messages, all
 * carried in DOE data objects (sec 6.30).  One engine thus bounds,
 * serialises, cancels and traces the traffic of every TSM:
 *
 * - requests for one DSM are serialised by &pci_tsm_pf0.lock; requests
 *   for different devices run in parallel;
 * - a request is aborted after PCI_TSM_REQ_MAX_STEPS step calls or
 *   exchanges, or PCI_TSM_REQ_TIMEOUT_NS, on device removal
 *   (PCI_TSM_PF0_REMOVING or the device stopping: every request but the
 *   teardown's; PCI_TSM_PF0_DEAD or a disconnected device: every
 *   request) and on TSM unregistration (PCI_TSM_PF0_CANCEL, or a TSM
 *   marked dying: every request but the teardown's), and a refresh when
 *   the process that asked for it is killed (-EINTR).  An aborted
 *   transfer fails with the reason; an aborted step function gets one
 *   last call with &pci_tsm_req.abort set, in which it releases what
 *   the request holds;
 * - an exchange that is malformed (no buffer, zero or oversized
 *   length) or a step return value outside the contract fails with
 *   -EINVAL instead of reaching the mailbox.
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
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <kunit/visibility.h>

#include "../pci.h"
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
	[PCI_TSM_REQ_BIND] = "bind",
	[PCI_TSM_REQ_UNBIND] = "unbind",
	[PCI_TSM_REQ_GUEST] = "guest_req",
	[PCI_TSM_REQ_TRANSFER] = "transfer",
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
	       req->type == PCI_TSM_REQ_UNLOCK ||
	       req->type == PCI_TSM_REQ_UNBIND;
}

/* Why the request must stop before its next step or exchange, or 0 */
static int pci_tsm_req_stop_reason(struct pci_tsm_pf0 *pf0,
				   const struct pci_tsm_req *req,
				   const struct pci_tsm_transport *transport)
{
	struct pci_dev *dsm = pf0->base_tsm.pdev;
	bool teardown = pci_tsm_req_is_teardown(req);

	/*
	 * The flags of a published context, or the DSM itself for a context
	 * that lock() has not handed to the core yet
	 */
	if (test_bit(PCI_TSM_PF0_DEAD, &pf0->flags) ||
	    pci_dev_is_disconnected(dsm))
		return -ENODEV;
	if (!teardown && (test_bit(PCI_TSM_PF0_REMOVING, &pf0->flags) ||
			  test_bit(PCI_DEV_TSM_STOPPING, &dsm->priv_flags)))
		return -ENODEV;
	if (test_bit(PCI_TSM_PF0_CANCEL, &pf0->flags) ||
	    (!teardown && pci_tsm_dying(req->tsm_dev)))
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
	if (ktime_get_ns() > req->deadline) {
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
	u64 start = ktime_get_ns(), d;
	int rc;

	rc = transport->exchange(pf0, xfer);
	d = ktime_get_ns() - start;
	/* pci_doe() never reports more than asked for: do not trust that */
	if (rc > 0 && rc > xfer->rsp_sz)
		rc = xfer->rsp_sz;
	xfer->rsp_len = rc;
	req->xfers++;
	req->doe_ns += d;
	trace_pci_tsm_doe(req, d);
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
	u64 start = ktime_get_ns(), t;
	int rc, reason;

	lockdep_assert_held(&pf0->lock);

	req->transport = transport;
	/* what pci_tsm_done reports covers this execution */
	req->xfers = 0;
	req->doe_ns = 0;
	req->step_ns = 0;
	if (!req->deadline)
		req->deadline = start + transport->timeout_ns;

	for (;;) {
		if (!req->abort) {
			reason = pci_tsm_req_stop_reason(pf0, req, transport);
			if (reason)
				pci_tsm_req_abort(req, reason);
		}

		t = ktime_get_ns();
		rc = step(req);
		t = ktime_get_ns() - t;
		req->step++;
		req->step_ns += t;
		trace_pci_tsm_step(req, rc, t);

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

/**
 * pci_tsm_req_begin() - open a request around a call into the TSM
 * @pf0: the DSM context, lock held
 * @req: the request, with @type, @pdev, @tsm, @tsm_dev (and for a
 *	refresh @nonce) set and the rest zeroed
 *
 * From here until pci_tsm_req_end() the TSM's pci_tsm_doe_transfer()
 * and pci_tsm_req_steps() calls for the device run in @req.
 */
void pci_tsm_req_begin(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req)
{
	lockdep_assert_held(&pf0->lock);
	/* a transport set beforehand is the KUnit test's fake mailbox */
	if (!req->transport)
		req->transport = &pci_tsm_doe_transport;
	req->start = ktime_get_ns();
	req->deadline = req->start + req->transport->timeout_ns;
	req->owner = current;
	pf0->req = req;
}
EXPORT_SYMBOL_IF_KUNIT(pci_tsm_req_begin);

/**
 * pci_tsm_req_end() - close a request opened by pci_tsm_req_begin()
 * @pf0: the DSM context, lock held
 * @req: the request
 * @rc: what the TSM's operation returned
 *
 * Return: @rc, or the abort reason when the request was aborted and the
 * TSM's operation still claimed success.
 */
int pci_tsm_req_end(struct pci_tsm_pf0 *pf0, struct pci_tsm_req *req, int rc)
{
	lockdep_assert_held(&pf0->lock);
	pf0->req = NULL;
	if (req->abort && rc >= 0)
		rc = req->abort_reason;
	/* step functions report their own completion */
	if (!req->ran_steps)
		trace_pci_tsm_done(req, rc, ktime_get_ns() - req->start);
	pci_dbg(req->pdev, "%s: %d after %u steps\n", pci_tsm_req_name(req),
		rc, req->step);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(pci_tsm_req_end);

/* The request @pf0 runs in the current task, if any */
static struct pci_tsm_req *pci_tsm_req_current(struct pci_tsm_pf0 *pf0)
{
	struct pci_tsm_req *req = READ_ONCE(pf0->req);

	if (req && req->owner == current)
		return req;
	return NULL;
}

/* The DSM context @tsm belongs to (its own, for the DSM) */
static struct pci_tsm_pf0 *pci_tsm_req_pf0(struct pci_tsm *tsm)
{
	if (!tsm)
		return NULL;
	if (tsm->pdev == tsm->dsm_dev)
		return to_pci_tsm_pf0(tsm);
	return to_pci_tsm_pf0(tsm->dsm_dev->tsm);
}

/* One exchange of @req on @pf0's mailbox, after the request's checks */
static int pci_tsm_req_transfer(struct pci_tsm_pf0 *pf0,
				struct pci_tsm_req *req, u8 type,
				const void *rq, size_t rq_sz, void *rsp,
				size_t rsp_sz)
{
	int reason;

	if (!req->abort) {
		reason = pci_tsm_req_stop_reason(pf0, req, req->transport);
		if (reason)
			pci_tsm_req_abort(req, reason);
	}
	if (req->abort)
		return req->abort_reason;

	pci_tsm_req_doe(req, type, rq, rq_sz, rsp, rsp_sz);
	if (!pci_tsm_xfer_valid(&req->doe))
		return -EINVAL;
	req->step++;
	pci_tsm_req_xfer(pf0, req, req->transport);
	return req->doe.rsp_len;
}

/**
 * pci_tsm_doe_transfer() - exchange a DOE message with a device's DSM
 * @pdev: the DSM (function 0), connected or being connected
 * @type: DOE data object type (PCI_DOE_FEATURE_CMA, ...), PCI-SIG vendor
 * @req: request payload
 * @req_sz: its size in bytes
 * @resp: response buffer
 * @resp_sz: its size in bytes
 *
 * Called by a TSM from the operations the core calls (connect,
 * disconnect, accept, refresh_evidence, bind, unbind, guest_req), the
 * exchange counts against the core's request: it is traced and fails
 * with -ENODEV once the device is being removed, -ECANCELED once the
 * TSM unregisters and -ETIMEDOUT past the request's limits.  Called at
 * any other time it runs as a request of its own, serialised with the
 * device's other requests.
 *
 * Return: the number of response bytes received, or a negative errno:
 * -ENXIO when @pdev is not a DSM with a TSM context and a DOE mailbox,
 * -EINVAL for an empty or oversized payload or buffer.
 */
int pci_tsm_doe_transfer(struct pci_dev *pdev, u8 type, const void *req,
			 size_t req_sz, void *resp, size_t resp_sz)
{
	struct pci_tsm *tsm = READ_ONCE(pdev->tsm);
	struct pci_tsm_pf0 *pf0;
	struct pci_tsm_req *cur;
	int rc;

	if (!tsm || tsm->pdev != pdev || tsm->dsm_dev != pdev)
		return -ENXIO;
	pf0 = to_pci_tsm_pf0(tsm);
	if (!pf0->doe_mb)
		return -ENXIO;

	cur = pci_tsm_req_current(pf0);
	if (cur)
		return pci_tsm_req_transfer(pf0, cur, type, req, req_sz, resp,
					    resp_sz);

	struct pci_tsm_req one = {
		.type = PCI_TSM_REQ_TRANSFER,
		.pdev = pdev,
		.tsm = tsm,
		.tsm_dev = tsm->tsm_dev,
	};

	guard(mutex)(&pf0->lock);
	pci_tsm_req_begin(pf0, &one);
	rc = pci_tsm_req_transfer(pf0, &one, type, req, req_sz, resp, resp_sz);
	return pci_tsm_req_end(pf0, &one, rc);
}
EXPORT_SYMBOL_GPL(pci_tsm_doe_transfer);

/**
 * pci_tsm_req_steps() - carry out an operation with a step function
 * @tsm: the context the operation is for; for lock and unlock the TSM's
 *	own context, which need not be published in &pci_dev.tsm yet (or
 *	any more)
 * @type: the operation, for tracing and for what may abort it
 *	(%PCI_TSM_REQ_DISCONNECT and %PCI_TSM_REQ_UNLOCK survive a removal
 *	that leaves the device present)
 * @step: the step function, see &pci_tsm_step_fn
 *
 * An addition to upstream's API for TSMs built around one DOE exchange
 * per step.  Called from one of the TSM's operations, the steps run in
 * the request the core opened for it (a connect that fails may thus run
 * its disconnect steps in the same request); called from lock() or
 * unlock(), which own their context, they run in a request of their own
 * on that context.  Each call starts with &pci_tsm_req.state 0 and
 * &pci_tsm_req.priv NULL; the nonce of a refresh is kept.
 *
 * Return: see pci_tsm_req_exec().
 */
int pci_tsm_req_steps(struct pci_tsm *tsm, enum pci_tsm_req_type type,
		      pci_tsm_step_fn step)
{
	struct pci_tsm_pf0 *pf0 = pci_tsm_req_pf0(tsm);
	struct pci_tsm_req *cur;
	int rc;

	if (!pf0 || !step || (unsigned int)type >= PCI_TSM_REQ_MAX)
		return -EINVAL;

	cur = pci_tsm_req_current(pf0);
	if (cur) {
		cur->type = type;
		cur->state = 0;
		cur->priv = NULL;
		cur->abort = false;
		cur->abort_reason = 0;
		cur->doe = (struct pci_tsm_doe_xfer) {};
		cur->ran_steps = true;
		return pci_tsm_req_exec(pf0, cur, step, cur->transport);
	}

	struct pci_tsm_req own = {
		.type = type,
		.pdev = tsm->pdev,
		.tsm = tsm,
		.tsm_dev = tsm->tsm_dev,
	};

	guard(mutex)(&pf0->lock);
	pci_tsm_req_begin(pf0, &own);
	own.ran_steps = true;
	rc = pci_tsm_req_exec(pf0, &own, step, own.transport);
	return pci_tsm_req_end(pf0, &own, rc);
}
EXPORT_SYMBOL_GPL(pci_tsm_req_steps);
