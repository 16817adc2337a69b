/*
 * source-live.c — a live interface through libpcap, non-blocking behind its selectable
 * descriptor, packets handed over in blocks at least every 100 ms.  When
 * the capture keeps inputs for reading back, every packet also goes to an unlinked spool file
 * (evidence.h) that the payload viewer reads.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "source.h"
#include "warn.h"
#include "xalloc.h"

#define LIVE_SNAPLEN	262144
#define LIVE_TIMEOUT_MS	100
#define LIVE_BUFFER_KIB	8192		/* 0.6 s of 100 Mbit/s, a Pi's Ethernet */
#define IMMEDIATE_SLOTS	256		/* 64 MiB at the default snaplen */

struct source_live {
	struct source	 base;
	struct cap_input *in;
	pcap_t		*pc;
	int		 fd;
	int		 nano;		/* timestamps in ns (else µs) */
	int		 failed;
	struct pcap_stat last;		/* kept when the handle is closed */
	int		 have_stats;
	struct evidence	*spool;
	uint64_t	 spool_failed;
};

static void
live_snap_stats(struct source_live *s)
{
	struct pcap_stat ps;

	if (s->pc != NULL && pcap_stats(s->pc, &ps) == 0) {
		s->last = ps;
		s->have_stats = 1;
	}
}

static void
live_close(struct source_live *s)
{
	if (s->pc == NULL)
		return;
	live_snap_stats(s);
	pcap_close(s->pc);
	s->pc = NULL;
	s->fd = -1;
	s->in->done = 1;
	s->in->owner = NULL;
	if (s->spool != NULL)
		evidence_flush(s->spool);
}

static enum cap_next
live_next(struct source *base, struct cap_pkt *p)
{
	struct source_live *s = (struct source_live *)base;
	struct pcap_pkthdr *h;
	const u_char *data;

	if (s->pc == NULL)
		return CAP_END;
	int rc = pcap_next_ex(s->pc, &h, &data);
	if (rc == 0) {
		if (s->spool != NULL)
			evidence_flush(s->spool);
		return CAP_IDLE;
	}
	if (rc != 1) {
		if (rc != PCAP_ERROR_BREAK) {
			capture_input_stop(s->base.cap, s->in, 0, 0, pcap_geterr(s->pc));
		}
		live_close(s);
		return CAP_END;
	}
	p->ts_ns = (int64_t)((uint64_t)h->ts.tv_sec * 1000000000u +
	    (uint64_t)h->ts.tv_usec * (s->nano ? 1u : 1000u));
	p->caplen = h->caplen;
	p->wirelen = h->len;
	p->linktype = s->in->linktype;
	p->ifidx = 0;
	p->data = data;
	uint64_t off = 0;
	if (s->spool != NULL) {
		struct cap_pkt tmp = *p;
		if (evidence_write(s->spool, &tmp, s->in->name, &off) < 0)
			s->spool_failed++;
	}
	capture_input_got(s->in, p, off);
	s->in->bytes += h->caplen;
	return CAP_PACKET;
}

static void
live_wait(struct source *base, int *fd, int *timeout_ms)
{
	struct source_live *s = (struct source_live *)base;

	*fd = s->fd;
	/* Without a selectable descriptor, ask again now and then rather than spin. */
	*timeout_ms = s->fd >= 0 ? -1 : 50;
}

static void
live_progress(const struct source *base, uint64_t *done, uint64_t *total)
{
	const struct source_live *s = (const struct source_live *)base;

	*done = s->in->bytes;
	*total = 0;
}

static void
live_stats(struct source *base, struct cap_stats *st)
{
	struct source_live *s = (struct source_live *)base;

	live_snap_stats(s);
	if (s->have_stats) {
		st->kernel_drops += s->last.ps_drop;
		st->iface_drops += s->last.ps_ifdrop;
	}
	st->internal_drops += s->spool_failed;
}

static void
live_stop(struct source *base)
{
	live_close((struct source_live *)base);
}

static void
live_free(struct source *base)
{
	struct source_live *s = (struct source_live *)base;

	live_close(s);
	if (s->spool != NULL) {
		char err[256];
		/* The spool owns the descriptor the input was read back through. */
		s->in->rs.fd = -1;
		s->in->spool = NULL;
		evidence_close(s->spool, err, sizeof err);
	}
	free(s);
}

static const struct source_ops source_live_ops = {
	.kind = "live",
	.next = live_next,
	.wait = live_wait,
	.progress = live_progress,
	.stats = live_stats,
	.stop = live_stop,
	.free = live_free,
};

/* One line for a failed pcap_activate(), saying what to do where there is something to do. */
static void
activate_error(pcap_t *pc, int rc, const char *iface, char *err, size_t errlen)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
		snprintf(err, errlen, "%s: no permission to capture (%s): run as root (with -Z USER "
		    "to drop privileges after opening), or grant the capabilities once: sudo setcap "
		    "cap_net_raw,cap_net_admin=eip $(command -v iotscope)", iface, pcap_geterr(pc));
		break;
	case PCAP_ERROR_NO_SUCH_DEVICE:
		snprintf(err, errlen, "%s: no such interface (iotscope -D lists them)", iface);
		break;
	case PCAP_ERROR_RFMON_NOTSUP:
		snprintf(err, errlen, "%s: monitor mode (-I) is not supported on this interface",
		    iface);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		snprintf(err, errlen, "%s: the interface is down (ip link set %s up)", iface, iface);
		break;
	default:
		snprintf(err, errlen, "%s: cannot capture: %s", iface, pcap_geterr(pc));
		break;
	}
}

struct source *
source_live_open(struct capture *c, const struct cap_live_opts *lo, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	const char *iface = lo->iface;
	pcap_t *pc = pcap_create(iface, ebuf);

	if (pc == NULL) {
		snprintf(err, errlen, "%s: %s", iface, ebuf);
		return NULL;
	}
	int snaplen = lo->snaplen > 0 ? lo->snaplen : LIVE_SNAPLEN;
	pcap_set_snaplen(pc, snaplen);
	pcap_set_promisc(pc, !lo->no_promisc);
	/*
	 * Not immediate mode: libpcap then uses TPACKET_V2, whose ring has one slot of snaplen
	 * bytes a packet (eight slots in 2 MB at 256 KiB), and a burst is dropped.  TPACKET_V3's
	 * blocks hold packets back to back and are handed over at least every LIVE_TIMEOUT_MS,
	 * which is latency enough for a screen redrawn four times a second.
	 */
	long buffer_kib = lo->buffer_kib > 0 ? lo->buffer_kib : LIVE_BUFFER_KIB;
	if (lo->immediate) {
		pcap_set_immediate_mode(pc, 1);
		/* Its slots are snaplen bytes each: 32 in the default buffer, dropping a burst. */
		if (lo->buffer_kib <= 0 && (long)snaplen * IMMEDIATE_SLOTS / 1024 > buffer_kib)
			buffer_kib = (long)snaplen * IMMEDIATE_SLOTS / 1024;
	} else {
		pcap_set_timeout(pc, LIVE_TIMEOUT_MS);
	}
	pcap_set_buffer_size(pc, (int)(buffer_kib * 1024));
	if (lo->rfmon) {
		int can = pcap_can_set_rfmon(pc);
		if (can == 0) {
			snprintf(err, errlen, "%s: monitor mode (-I) is not supported on this "
			    "interface", iface);
			pcap_close(pc);
			return NULL;
		}
		if (can < 0) {
			activate_error(pc, can, iface, err, errlen);
			pcap_close(pc);
			return NULL;
		}
		pcap_set_rfmon(pc, 1);
	}
	int nano = pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO) == 0;
	int rc = pcap_activate(pc);
	if (rc < 0) {
		activate_error(pc, rc, iface, err, errlen);
		pcap_close(pc);
		return NULL;
	}
	if (rc > 0)
		warn_add(capture_warnings(c), WARN_WARNING, "%s: %s", iface,
		    rc == PCAP_WARNING_PROMISC_NOTSUP ? "promiscuous mode not supported: only "
		    "this host's traffic is seen" : pcap_geterr(pc));
	nano = nano && pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;

	const char *expr = capture_filter(c);
	if (expr != NULL) {
		struct bpf_program prog;
		bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
		if (pcap_lookupnet(iface, &net, &mask, ebuf) < 0)
			mask = PCAP_NETMASK_UNKNOWN;
		if (pcap_compile(pc, &prog, expr, 1, mask) < 0) {
			snprintf(err, errlen, "bad filter expression: %s", pcap_geterr(pc));
			pcap_close(pc);
			return NULL;
		}
		if (pcap_setfilter(pc, &prog) < 0) {
			snprintf(err, errlen, "%s: cannot set the filter: %s", iface, pcap_geterr(pc));
			pcap_freecode(&prog);
			pcap_close(pc);
			return NULL;
		}
		pcap_freecode(&prog);
	}
	if (pcap_setnonblock(pc, 1, ebuf) < 0) {
		snprintf(err, errlen, "%s: %s", iface, ebuf);
		pcap_close(pc);
		return NULL;
	}

	struct source_live *s = xcalloc(1, sizeof *s);
	s->base.ops = &source_live_ops;
	s->base.cap = c;
	s->pc = pc;
	s->nano = nano;
	s->fd = pcap_get_selectable_fd(pc);
	if (capture_keeps(c)) {
		s->spool = evidence_open_spool(err, errlen);
		if (s->spool == NULL) {
			pcap_close(pc);
			free(s);
			return NULL;
		}
	}
	s->in = capture_input_new(c, &s->base, iface);
	s->in->format = "live";
	s->in->linktype = pcap_datalink(pc);
	if (s->spool != NULL) {
		evidence_reread_src(s->spool, &s->in->rs);
		s->in->spool = s->spool;
	}
	return &s->base;
}
