/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the PCI/TSM request engine: one event per step call,
 * one per DOE exchange, and one when a request is aborted or completes,
 * so that "trace-cmd record -e pci_tsm" shows a connect's exchanges in
 * the order the device saw them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pci_tsm

#if !defined(_PCI_TSM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PCI_TSM_TRACE_H

#include <linux/pci.h>
#include <linux/pci-tsm.h>
#include <linux/tracepoint.h>

TRACE_DEFINE_ENUM(PCI_TSM_REQ_CONNECT);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_DISCONNECT);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_LOCK);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_UNLOCK);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_ACCEPT);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_REFRESH);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_BIND);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_UNBIND);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_GUEST);
TRACE_DEFINE_ENUM(PCI_TSM_REQ_TRANSFER);

#define show_pci_tsm_req_type(type)				\
	__print_symbolic(type,					\
			 { PCI_TSM_REQ_CONNECT, "connect" },	\
			 { PCI_TSM_REQ_DISCONNECT, "disconnect" }, \
			 { PCI_TSM_REQ_LOCK, "lock" },		\
			 { PCI_TSM_REQ_UNLOCK, "unlock" },	\
			 { PCI_TSM_REQ_ACCEPT, "accept" },	\
			 { PCI_TSM_REQ_REFRESH, "refresh" },	\
			 { PCI_TSM_REQ_BIND, "bind" },		\
			 { PCI_TSM_REQ_UNBIND, "unbind" },	\
			 { PCI_TSM_REQ_GUEST, "guest_req" },	\
			 { PCI_TSM_REQ_TRANSFER, "transfer" })

/* duration_ns: time spent in the TSM's step function */
TRACE_EVENT(pci_tsm_step,
	    TP_PROTO(const struct pci_tsm_req *req, int rc, u64 duration_ns),
	    TP_ARGS(req, rc, duration_ns),
	    TP_STRUCT__entry(__string(dev, pci_name(req->pdev))
			     __field(int, type)
			     __field(unsigned int, step)
			     __field(int, state)
			     __field(bool, abort)
			     __field(int, rc)
			     __field(u64, duration_ns)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->type = req->type;
			   __entry->step = req->step;
			   __entry->state = req->state;
			   __entry->abort = req->abort;
			   __entry->rc = rc;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("%s %s step=%u state=%d%s rc=%d duration_ns=%llu",
		      __get_str(dev), show_pci_tsm_req_type(__entry->type),
		      __entry->step, __entry->state,
		      __entry->abort ? " abort" : "", __entry->rc,
		      __entry->duration_ns)
);

TRACE_EVENT(pci_tsm_doe,
	    TP_PROTO(const struct pci_tsm_req *req, u64 duration_ns),
	    TP_ARGS(req, duration_ns),
	    TP_STRUCT__entry(__string(dev, pci_name(req->pdev))
			     __field(int, type)
			     __field(unsigned int, step)
			     __field(u16, vendor)
			     __field(u8, doe_type)
			     __field(size_t, req_sz)
			     __field(size_t, rsp_sz)
			     __field(int, rsp_len)
			     __field(u64, duration_ns)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->type = req->type;
			   __entry->step = req->step;
			   __entry->vendor = req->doe.vendor;
			   __entry->doe_type = req->doe.type;
			   __entry->req_sz = req->doe.req_sz;
			   __entry->rsp_sz = req->doe.rsp_sz;
			   __entry->rsp_len = req->doe.rsp_len;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("%s %s step=%u doe=%04x:%02x req_sz=%zu rsp_sz=%zu rsp_len=%d duration_ns=%llu",
		      __get_str(dev), show_pci_tsm_req_type(__entry->type),
		      __entry->step, __entry->vendor, __entry->doe_type,
		      __entry->req_sz, __entry->rsp_sz, __entry->rsp_len,
		      __entry->duration_ns)
);

TRACE_EVENT(pci_tsm_abort,
	    TP_PROTO(const struct pci_tsm_req *req),
	    TP_ARGS(req),
	    TP_STRUCT__entry(__string(dev, pci_name(req->pdev))
			     __field(int, type)
			     __field(unsigned int, step)
			     __field(int, reason)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->type = req->type;
			   __entry->step = req->step;
			   __entry->reason = req->abort_reason;),
	    TP_printk("%s %s step=%u reason=%d",
		      __get_str(dev), show_pci_tsm_req_type(__entry->type),
		      __entry->step, __entry->reason)
);

/*
 * duration_ns: the request's execution; doe_ns: of which in pci_doe()
 * for its xfers exchanges; step_ns: of which in the TSM's step function.
 * The rest is the engine's own cost, measured without the other events.
 */
TRACE_EVENT(pci_tsm_done,
	    TP_PROTO(const struct pci_tsm_req *req, int rc, u64 duration_ns),
	    TP_ARGS(req, rc, duration_ns),
	    TP_STRUCT__entry(__string(dev, pci_name(req->pdev))
			     __field(int, type)
			     __field(unsigned int, steps)
			     __field(int, rc)
			     __field(unsigned int, xfers)
			     __field(u64, doe_ns)
			     __field(u64, step_ns)
			     __field(u64, duration_ns)),
	    TP_fast_assign(__assign_str(dev);
			   __entry->type = req->type;
			   __entry->steps = req->step;
			   __entry->rc = rc;
			   __entry->xfers = req->xfers;
			   __entry->doe_ns = req->doe_ns;
			   __entry->step_ns = req->step_ns;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("%s %s steps=%u rc=%d xfers=%u doe_ns=%llu step_ns=%llu duration_ns=%llu",
		      __get_str(dev), show_pci_tsm_req_type(__entry->type),
		      __entry->steps, __entry->rc, __entry->xfers,
		      __entry->doe_ns, __entry->step_ns, __entry->duration_ns)
);

#endif /* _PCI_TSM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
