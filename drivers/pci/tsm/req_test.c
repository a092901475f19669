// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the PCI/TSM request + exec engine (req.c).
 *
 * The engine runs unchanged against a fake TSM, whose step function is
 * driven by a per-test script, and a fake DOE mailbox that echoes each
 * request into the response buffer, can fail or over-report a transfer,
 * can sleep, and can cancel the request or "remove" the device midway.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/delay.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/pci-tsm.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "core.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define FAKE_MAX_STEPS		16
#define FAKE_TIMEOUT_NS		(50 * NSEC_PER_MSEC)
#define FAKE_BUF_SZ		64

/**
 * struct fake_tsm - the fake TSM and mailbox of one test
 * @pdev: stand-in PCI device, only its name is used (logs and traces)
 * @pf0: the DSM context the engine executes on
 * @req: the request under test
 * @transport: fake mailbox plus the limits under test
 * @nr_xfers: exchanges the step asked for before it completes
 * @fail_step: step number at which the step function fails, or 0
 * @xfer_rc: when non-zero, what every exchange returns
 * @xfer_overreport: report this many bytes more than the buffer holds
 * @xfer_sleep_ms: sleep this long in every exchange
 * @flag_at_xfer: set @flag after this many exchanges (1-based), or 0
 * @kill_at_xfer: send SIGKILL to the test thread at this exchange, or 0
 * @flag: PCI_TSM_PF0_CANCEL, PCI_TSM_PF0_DEAD or PCI_TSM_PF0_REMOVING
 * @bad_xfer: FAKE_GOOD_XFER or the malformed exchange to ask for
 * @ret_after_abort: what the step returns when called aborted
 * @steps: step calls seen
 * @aborted_calls: step calls seen with @req->abort set
 * @xfers: exchanges performed by the fake mailbox
 * @rsp_lens: rsp_len seen by the step function for each exchange
 * @req_buf: request payload
 * @rsp_buf: response buffer
 */
struct fake_tsm {
	struct pci_dev pdev;
	struct pci_tsm_pf0 pf0;
	struct pci_tsm_req req;
	struct pci_tsm_transport transport;
	unsigned int nr_xfers;
	unsigned int fail_step;
	int xfer_rc;
	size_t xfer_overreport;
	unsigned int xfer_sleep_ms;
	unsigned int flag_at_xfer;
	unsigned int kill_at_xfer;
	int flag;
	int bad_xfer;
	int ret_after_abort;
	unsigned int steps;
	unsigned int aborted_calls;
	unsigned int xfers;
	int rsp_lens[FAKE_MAX_STEPS + 1];
	u8 req_buf[FAKE_BUF_SZ];
	u8 rsp_buf[FAKE_BUF_SZ];
};

static struct fake_tsm *to_fake(struct pci_tsm_req *req)
{
	return container_of(req, struct fake_tsm, req);
}

static int fake_exchange(struct pci_tsm_pf0 *pf0,
			 const struct pci_tsm_doe_xfer *xfer)
{
	struct fake_tsm *fake = container_of(pf0, struct fake_tsm, pf0);
	size_t len = min(xfer->req_sz, xfer->rsp_sz);

	fake->xfers++;
	if (fake->flag_at_xfer && fake->xfers == fake->flag_at_xfer)
		set_bit(fake->flag, &pf0->flags);
	if (fake->kill_at_xfer && fake->xfers == fake->kill_at_xfer)
		send_sig(SIGKILL, current, 1);
	if (fake->xfer_sleep_ms)
		msleep(fake->xfer_sleep_ms);
	if (fake->xfer_rc)
		return fake->xfer_rc;
	memcpy(xfer->rsp, xfer->req, len);
	return len + fake->xfer_overreport;
}

enum {
	FAKE_GOOD_XFER,
	FAKE_BAD_REQ_NULL,
	FAKE_BAD_RSP_NULL,
	FAKE_BAD_REQ_ZERO,
	FAKE_BAD_RSP_ZERO,
	FAKE_BAD_REQ_HUGE,
	FAKE_BAD_RSP_HUGE,
	FAKE_BAD_RET,
};

/*
 * The fake TSM's step function: asks for @nr_xfers exchanges, each
 * carrying its sequence number, checks each echo, then completes.
 */
static int fake_step(struct pci_tsm_req *req)
{
	struct fake_tsm *fake = to_fake(req);
	unsigned int n = req->state;

	fake->steps++;
	if (req->abort) {
		fake->aborted_calls++;
		return fake->ret_after_abort;
	}

	/* The result of the exchange asked for by the previous step */
	if (n > 0 && n <= FAKE_MAX_STEPS) {
		fake->rsp_lens[n - 1] = req->doe.rsp_len;
		if (req->doe.rsp_len < 0)
			return req->doe.rsp_len;
		if (req->doe.rsp_len != sizeof(u32) ||
		    memcmp(fake->rsp_buf, &n, sizeof(u32)))
			return -EPROTO;
	}

	if (fake->fail_step && req->step + 1 == fake->fail_step)
		return -EIO;
	if (n >= fake->nr_xfers)
		return 0;

	req->state = ++n;
	memcpy(fake->req_buf, &n, sizeof(u32));
	memset(fake->rsp_buf, 0, sizeof(fake->rsp_buf));

	switch (fake->bad_xfer) {
	case FAKE_BAD_REQ_NULL:
		return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, NULL, 4,
				       fake->rsp_buf, FAKE_BUF_SZ);
	case FAKE_BAD_RSP_NULL:
		return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, fake->req_buf,
				       4, NULL, FAKE_BUF_SZ);
	case FAKE_BAD_REQ_ZERO:
		return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, fake->req_buf,
				       0, fake->rsp_buf, FAKE_BUF_SZ);
	case FAKE_BAD_RSP_ZERO:
		return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, fake->req_buf,
				       4, fake->rsp_buf, 0);
	case FAKE_BAD_REQ_HUGE:
		return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, fake->req_buf,
				       PCI_TSM_DOE_MAX_PAYLOAD + 1,
				       fake->rsp_buf, FAKE_BUF_SZ);
	case FAKE_BAD_RSP_HUGE:
		return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, fake->req_buf,
				       4, fake->rsp_buf, SIZE_MAX);
	case FAKE_BAD_RET:
		return PCI_TSM_STEP_DOE + 1;
	default:
		return pci_tsm_req_doe(req, PCI_DOE_FEATURE_CMA, fake->req_buf,
				       sizeof(u32), fake->rsp_buf,
				       sizeof(fake->rsp_buf));
	}
}

static int fake_init(struct kunit *test)
{
	struct fake_tsm *fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fake);
	fake->pdev.dev.init_name = "pci-tsm-kunit";
	fake->pf0.base_tsm.pdev = &fake->pdev;
	fake->pf0.base_tsm.dsm_dev = &fake->pdev;
	mutex_init(&fake->pf0.lock);
	fake->req = (struct pci_tsm_req) {
		.type = PCI_TSM_REQ_CONNECT,
		.pdev = &fake->pdev,
		.tsm = &fake->pf0.base_tsm,
	};
	fake->transport = (struct pci_tsm_transport) {
		.exchange = fake_exchange,
		.max_steps = FAKE_MAX_STEPS,
		.timeout_ns = FAKE_TIMEOUT_NS,
	};
	fake->ret_after_abort = -EINTR;
	test->priv = fake;
	return 0;
}

static void fake_exit(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	mutex_destroy(&fake->pf0.lock);
}

static int fake_exec(struct fake_tsm *fake)
{
	guard(mutex)(&fake->pf0.lock);
	return pci_tsm_req_exec(&fake->pf0, &fake->req, fake_step,
				&fake->transport);
}

/* A step that completes at once: one call, no exchange */
static void pci_tsm_req_test_done(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	KUNIT_EXPECT_EQ(test, fake_exec(fake), 0);
	KUNIT_EXPECT_EQ(test, fake->steps, 1);
	KUNIT_EXPECT_EQ(test, fake->req.step, 1);
	KUNIT_EXPECT_EQ(test, fake->xfers, 0);
	KUNIT_EXPECT_FALSE(test, fake->req.abort);
}

/* Exchanges reach the mailbox in order and their results reach the step */
static void pci_tsm_req_test_round_trips(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;
	unsigned int i;

	fake->nr_xfers = 5;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), 0);
	KUNIT_EXPECT_EQ(test, fake->xfers, 5);
	KUNIT_EXPECT_EQ(test, fake->steps, 6);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 0);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, fake->rsp_lens[i], sizeof(u32));
}

/* A step failing midway fails the request with its errno */
static void pci_tsm_req_test_step_error(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = 5;
	fake->fail_step = 3;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EIO);
	KUNIT_EXPECT_EQ(test, fake->steps, 3);
	KUNIT_EXPECT_EQ(test, fake->xfers, 2);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 0);
}

/* A failed exchange is reported to the step, which decides */
static void pci_tsm_req_test_xfer_error(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = 5;
	fake->xfer_rc = -EIO;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EIO);
	KUNIT_EXPECT_EQ(test, fake->xfers, 1);
	KUNIT_EXPECT_EQ(test, fake->rsp_lens[0], -EIO);
	KUNIT_EXPECT_EQ(test, fake->steps, 2);
}

/* A mailbox reporting more than the buffer holds is clamped */
static void pci_tsm_req_test_rsp_clamped(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = 1;
	fake->xfer_overreport = 4096;
	/* The step sees rsp_len == rsp_sz, not the 4 bytes it expects */
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EPROTO);
	KUNIT_EXPECT_EQ(test, fake->rsp_lens[0], FAKE_BUF_SZ);
}

/* A TSM that never completes is aborted after max_steps */
static void pci_tsm_req_test_step_limit(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = UINT_MAX;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EINTR);
	KUNIT_EXPECT_TRUE(test, fake->req.abort);
	KUNIT_EXPECT_EQ(test, fake->req.abort_reason, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
	KUNIT_EXPECT_EQ(test, fake->steps, FAKE_MAX_STEPS + 1);
	KUNIT_EXPECT_EQ(test, fake->xfers, FAKE_MAX_STEPS);
}

/* A slow mailbox is aborted after timeout_ns */
static void pci_tsm_req_test_timeout(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = FAKE_MAX_STEPS - 1;
	fake->xfer_sleep_ms = 20;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EINTR);
	KUNIT_EXPECT_EQ(test, fake->req.abort_reason, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
	KUNIT_EXPECT_LT(test, fake->xfers, FAKE_MAX_STEPS - 1);
}

/* TSM unregistration: the next step is the final, aborted one */
static void pci_tsm_req_test_cancel(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = 8;
	fake->flag_at_xfer = 3;
	fake->flag = PCI_TSM_PF0_CANCEL;
	fake->ret_after_abort = 0;
	/* Even if the TSM claims success, an aborted request fails */
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->req.abort_reason, -ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->xfers, 3);
	KUNIT_EXPECT_EQ(test, fake->steps, 4);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
}

/* Device removal: same, with -ENODEV */
static void pci_tsm_req_test_dead(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = 8;
	fake->flag_at_xfer = 1;
	fake->flag = PCI_TSM_PF0_DEAD;
	fake->ret_after_abort = PCI_TSM_STEP_DOE;
	/* Asking for an exchange when aborted is ignored */
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->xfers, 1);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
}

/* A request for a dead device never reaches the mailbox; DEAD wins */
static void pci_tsm_req_test_dead_before_start(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = 8;
	set_bit(PCI_TSM_PF0_DEAD, &fake->pf0.flags);
	set_bit(PCI_TSM_PF0_CANCEL, &fake->pf0.flags);
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EINTR);
	KUNIT_EXPECT_EQ(test, fake->req.abort_reason, -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->xfers, 0);
	KUNIT_EXPECT_EQ(test, fake->steps, 1);
}

/* Removal starting: the request in flight stops with -ENODEV */
static void pci_tsm_req_test_removing(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = 8;
	fake->flag_at_xfer = 2;
	fake->flag = PCI_TSM_PF0_REMOVING;
	fake->ret_after_abort = 0;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->req.abort_reason, -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->xfers, 2);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
}

/*
 * A refresh asked for by a process (a netlink dump with a nonce) ends
 * with -EINTR at its next step once that process is killed; a connect
 * runs on, its failure path would have to talk to the device anyway.
 */
static void pci_tsm_req_test_killed(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	/* a kthread ignores SIGKILL unless it allows it */
	allow_signal(SIGKILL);
	fake->req.type = PCI_TSM_REQ_REFRESH;
	fake->nr_xfers = 8;
	fake->kill_at_xfer = 2;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EINTR);
	KUNIT_EXPECT_EQ(test, fake->req.abort_reason, -EINTR);
	KUNIT_EXPECT_EQ(test, fake->xfers, 2);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
	flush_signals(current);

	memset(&fake->req, 0, sizeof(fake->req));
	fake->req.type = PCI_TSM_REQ_CONNECT;
	fake->xfers = 0;
	fake->steps = 0;
	fake->aborted_calls = 0;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), 0);
	KUNIT_EXPECT_EQ(test, fake->xfers, 8);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 0);
	flush_signals(current);
	disallow_signal(SIGKILL);
}

static const enum pci_tsm_req_type fake_teardown_types[] = {
	PCI_TSM_REQ_DISCONNECT, PCI_TSM_REQ_UNLOCK,
};

static void fake_teardown_desc(const enum pci_tsm_req_type *type, char *desc)
{
	strscpy(desc, *type == PCI_TSM_REQ_DISCONNECT ? "disconnect" : "unlock",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fake_teardown, fake_teardown_types, fake_teardown_desc);

/*
 * The teardown of a device being removed still reaches the device, so
 * that it drops its keys and session; once the device is disconnected
 * it is aborted before its first exchange.
 */
static void pci_tsm_req_test_removing_teardown(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->req.type = *(const enum pci_tsm_req_type *)test->param_value;
	fake->nr_xfers = 3;
	set_bit(PCI_TSM_PF0_REMOVING, &fake->pf0.flags);
	KUNIT_EXPECT_EQ(test, fake_exec(fake), 0);
	KUNIT_EXPECT_EQ(test, fake->xfers, 3);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 0);

	memset(&fake->req, 0, sizeof(fake->req));
	fake->req.type = *(const enum pci_tsm_req_type *)test->param_value;
	fake->req.pdev = &fake->pdev;
	fake->req.tsm = &fake->pf0.base_tsm;
	fake->xfers = 0;
	set_bit(PCI_TSM_PF0_DEAD, &fake->pf0.flags);
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EINTR);
	KUNIT_EXPECT_EQ(test, fake->req.abort_reason, -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->xfers, 0);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
}

static const int fake_bad_xfers[] = {
	FAKE_BAD_REQ_NULL, FAKE_BAD_RSP_NULL, FAKE_BAD_REQ_ZERO,
	FAKE_BAD_RSP_ZERO, FAKE_BAD_REQ_HUGE, FAKE_BAD_RSP_HUGE, FAKE_BAD_RET,
};

static void fake_bad_xfer_desc(const int *bad, char *desc)
{
	static const char *const names[] = {
		[FAKE_BAD_REQ_NULL] = "request buffer NULL",
		[FAKE_BAD_RSP_NULL] = "response buffer NULL",
		[FAKE_BAD_REQ_ZERO] = "request size 0",
		[FAKE_BAD_RSP_ZERO] = "response size 0",
		[FAKE_BAD_REQ_HUGE] = "request larger than a data object",
		[FAKE_BAD_RSP_HUGE] = "response larger than a data object",
		[FAKE_BAD_RET] = "unknown step return value",
	};

	strscpy(desc, names[*bad], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fake_bad_xfer, fake_bad_xfers, fake_bad_xfer_desc);

/* A malformed exchange aborts the request before reaching the mailbox */
static void pci_tsm_req_test_bad_xfer(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake->nr_xfers = 1;
	fake->bad_xfer = *(const int *)test->param_value;
	KUNIT_EXPECT_EQ(test, fake_exec(fake), -EINTR);
	KUNIT_EXPECT_EQ(test, fake->req.abort_reason, -EINVAL);
	KUNIT_EXPECT_EQ(test, fake->xfers, 0);
	KUNIT_EXPECT_EQ(test, fake->steps, 2);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
}

/*
 * Upstream's synchronous model: the core opens a request around an
 * operation, and the TSM's pci_tsm_doe_transfer() calls run in it.
 */
static void fake_frame_open(struct fake_tsm *fake)
{
	fake->pdev.tsm = &fake->pf0.base_tsm;
	/* never dereferenced: the fake transport carries the exchanges */
	fake->pf0.doe_mb = (struct pci_doe_mb *)fake;
	fake->req.transport = &fake->transport;
	mutex_lock(&fake->pf0.lock);
	pci_tsm_req_begin(&fake->pf0, &fake->req);
}

static int fake_frame_close(struct kunit *test, struct fake_tsm *fake, int rc)
{
	rc = pci_tsm_req_end(&fake->pf0, &fake->req, rc);
	KUNIT_EXPECT_NULL(test, fake->pf0.req);
	mutex_unlock(&fake->pf0.lock);
	return rc;
}

/* One exchange carrying @seq; the fake mailbox echoes it */
static int fake_transfer(struct fake_tsm *fake, u32 seq)
{
	memcpy(fake->req_buf, &seq, sizeof(seq));
	memset(fake->rsp_buf, 0, sizeof(fake->rsp_buf));
	return pci_tsm_doe_transfer(&fake->pdev, PCI_DOE_FEATURE_CMA,
				    fake->req_buf, sizeof(seq), fake->rsp_buf,
				    sizeof(fake->rsp_buf));
}

/* Transfers reach the mailbox and count against the request */
static void pci_tsm_req_test_transfer(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;
	u32 seq;

	fake_frame_open(fake);
	for (seq = 1; seq <= 3; seq++) {
		KUNIT_EXPECT_EQ(test, fake_transfer(fake, seq), sizeof(seq));
		KUNIT_EXPECT_MEMEQ(test, fake->rsp_buf, &seq, sizeof(seq));
	}
	KUNIT_EXPECT_EQ(test, fake_frame_close(test, fake, 0), 0);
	KUNIT_EXPECT_EQ(test, fake->xfers, 3);
	KUNIT_EXPECT_EQ(test, fake->req.step, 3);
}

/* After the TSM unregisters no transfer reaches the device */
static void pci_tsm_req_test_transfer_cancel(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	fake_frame_open(fake);
	KUNIT_EXPECT_EQ(test, fake_transfer(fake, 1), sizeof(u32));
	set_bit(PCI_TSM_PF0_CANCEL, &fake->pf0.flags);
	KUNIT_EXPECT_EQ(test, fake_transfer(fake, 2), -ECANCELED);
	KUNIT_EXPECT_EQ(test, fake_transfer(fake, 3), -ECANCELED);
	/* the operation claims success: the request still failed */
	KUNIT_EXPECT_EQ(test, fake_frame_close(test, fake, 0), -ECANCELED);
	KUNIT_EXPECT_EQ(test, fake->xfers, 1);
}

/* Removal stops a connect's transfers, not a disconnect's */
static void pci_tsm_req_test_transfer_removing(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;

	set_bit(PCI_TSM_PF0_REMOVING, &fake->pf0.flags);
	fake->req.type = PCI_TSM_REQ_DISCONNECT;
	fake_frame_open(fake);
	KUNIT_EXPECT_EQ(test, fake_transfer(fake, 1), sizeof(u32));
	KUNIT_EXPECT_EQ(test, fake_frame_close(test, fake, 0), 0);

	fake->req = (struct pci_tsm_req) {
		.type = PCI_TSM_REQ_CONNECT,
		.pdev = &fake->pdev,
		.tsm = &fake->pf0.base_tsm,
	};
	fake_frame_open(fake);
	KUNIT_EXPECT_EQ(test, fake_transfer(fake, 2), -ENODEV);
	KUNIT_EXPECT_EQ(test, fake_frame_close(test, fake, 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->xfers, 1);
}

/* A malformed transfer is refused and does not end the request */
static void pci_tsm_req_test_transfer_bad(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;
	u8 *rsp = fake->rsp_buf;

	fake_frame_open(fake);
	KUNIT_EXPECT_EQ(test, pci_tsm_doe_transfer(&fake->pdev, 1,
						   fake->req_buf, 0, rsp, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_tsm_doe_transfer(&fake->pdev, 1, NULL, 4,
						   rsp, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_tsm_doe_transfer(&fake->pdev, 1,
						   fake->req_buf, 4, rsp,
						   PCI_TSM_DOE_MAX_PAYLOAD + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fake->xfers, 0);
	KUNIT_EXPECT_EQ(test, fake_transfer(fake, 1), sizeof(u32));
	KUNIT_EXPECT_EQ(test, fake_frame_close(test, fake, 0), 0);
}

/* Transfers count against the step limit */
static void pci_tsm_req_test_transfer_limit(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;
	unsigned int i;

	fake_frame_open(fake);
	for (i = 0; i < FAKE_MAX_STEPS; i++)
		KUNIT_EXPECT_EQ(test, fake_transfer(fake, i), sizeof(u32));
	KUNIT_EXPECT_EQ(test, fake_transfer(fake, i), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, fake_frame_close(test, fake, 0), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, fake->xfers, FAKE_MAX_STEPS);
}

/*
 * Step functions run inside the operation's request: each
 * pci_tsm_req_steps() starts from state 0, and they share its limits.
 */
static void pci_tsm_req_test_steps_in_frame(struct kunit *test)
{
	struct fake_tsm *fake = test->priv;
	struct pci_tsm *tsm = &fake->pf0.base_tsm;

	fake->nr_xfers = 3;
	fake_frame_open(fake);
	KUNIT_EXPECT_EQ(test, pci_tsm_req_steps(tsm, PCI_TSM_REQ_CONNECT,
						fake_step), 0);
	KUNIT_EXPECT_EQ(test, fake->xfers, 3);
	KUNIT_EXPECT_EQ(test, pci_tsm_req_steps(tsm, PCI_TSM_REQ_DISCONNECT,
						fake_step), 0);
	KUNIT_EXPECT_EQ(test, fake->xfers, 6);
	KUNIT_EXPECT_EQ(test, fake->req.type, PCI_TSM_REQ_DISCONNECT);
	/* 8 of the 16 step calls used: 10 more exchanges do not fit */
	fake->nr_xfers = 10;
	KUNIT_EXPECT_EQ(test, pci_tsm_req_steps(tsm, PCI_TSM_REQ_CONNECT,
						fake_step), -EINTR);
	KUNIT_EXPECT_EQ(test, fake->aborted_calls, 1);
	KUNIT_EXPECT_EQ(test, fake_frame_close(test, fake, 0), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, pci_tsm_req_steps(tsm, PCI_TSM_REQ_MAX,
						fake_step), -EINVAL);
}

static struct kunit_case pci_tsm_req_test_cases[] = {
	KUNIT_CASE(pci_tsm_req_test_done),
	KUNIT_CASE(pci_tsm_req_test_round_trips),
	KUNIT_CASE(pci_tsm_req_test_step_error),
	KUNIT_CASE(pci_tsm_req_test_xfer_error),
	KUNIT_CASE(pci_tsm_req_test_rsp_clamped),
	KUNIT_CASE(pci_tsm_req_test_step_limit),
	KUNIT_CASE(pci_tsm_req_test_timeout),
	KUNIT_CASE(pci_tsm_req_test_cancel),
	KUNIT_CASE(pci_tsm_req_test_dead),
	KUNIT_CASE(pci_tsm_req_test_dead_before_start),
	KUNIT_CASE(pci_tsm_req_test_removing),
	KUNIT_CASE(pci_tsm_req_test_killed),
	KUNIT_CASE_PARAM(pci_tsm_req_test_removing_teardown,
			 fake_teardown_gen_params),
	KUNIT_CASE_PARAM(pci_tsm_req_test_bad_xfer, fake_bad_xfer_gen_params),
	KUNIT_CASE(pci_tsm_req_test_transfer),
	KUNIT_CASE(pci_tsm_req_test_transfer_cancel),
	KUNIT_CASE(pci_tsm_req_test_transfer_removing),
	KUNIT_CASE(pci_tsm_req_test_transfer_bad),
	KUNIT_CASE(pci_tsm_req_test_transfer_limit),
	KUNIT_CASE(pci_tsm_req_test_steps_in_frame),
	{}
};

static struct kunit_suite pci_tsm_req_test_suite = {
	.name = "pci_tsm_req",
	.init = fake_init,
	.exit = fake_exit,
	.test_cases = pci_tsm_req_test_cases,
};

kunit_test_suite(pci_tsm_req_test_suite);

MODULE_DESCRIPTION("KUnit tests of the PCI/TSM request engine");
MODULE_LICENSE("GPL");
