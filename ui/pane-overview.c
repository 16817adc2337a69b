/*
 * pane-overview.c — the capture at a glance: inputs with their format and damage, times,
 * the packets overview (the paper's counts, truncated and malformed per layer), link types
 * and the warnings of the analysis.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "analysis.h"
#include "capture.h"
#include "device.h"
#include "flow.h"
#include "fold.h"
#include "geo.h"
#include "overview.h"
#include "report.h"
#include "textview.h"
#include "triage.h"
#include "tui.h"
#include "warn.h"
#include "xalloc.h"

struct overview_pane {
	struct textview	 v;
};

static void
count(struct textview *v, const char *name, uint64_t n, uint64_t total)
{
	if (total > 0)
		textview_add(v, TC_NORMAL, "  %-26s %12" PRIu64 "  %5.1f%%", name, n,
		    100.0 * (double)n / (double)total);
	else
		textview_add(v, TC_NORMAL, "  %-26s %12" PRIu64, name, n);
}

static void
build(struct tui *t, struct textview *v)
{
	const struct capture *cap = analysis_capture(t->a);
	const struct overview *ov = analysis_overview(t->a);
	const struct warnlist *w = analysis_warnings(t->a);
	char t1[40], t2[40], lt[32];

	textview_clear(v);
	textview_add(v, TC_TITLE, "Inputs");
	for (size_t i = 0; i < capture_ninputs(cap); i++) {
		struct cap_input_info in;
		capture_input_info(cap, i, &in);
		textview_add(v, TC_NORMAL, "  %s: %s%s%s, %s, %" PRIu64 " packets, %" PRIu64
		    " bytes", in.name, in.format, in.gzip ? "+gzip" : "",
		    in.big_endian ? " (big-endian)" : "",
		    capture_linktype_name(in.linktype, lt, sizeof lt), in.packets, in.bytes);
		if (in.error != NULL)
			textview_add(v, TC_WARN, "    %s at byte %" PRIu64 ": %s",
			    in.truncated ? "truncated" : "stopped", in.stop_offset, in.error);
		if (in.sha256[0] != '\0')
			textview_add(v, TC_NORMAL, "    sha256 %s%s", in.sha256, in.hash_whole ? "" :
			    " (of the bytes read so far)");
		else if (in.hash_pending)
			textview_add(v, TC_DIM, "    sha256 being computed...");
		else if (strcmp(in.kind, "live") != 0)
			textview_add(v, TC_WARN, "    sha256 unknown (see the warnings)");
	}
	textview_add(v, TC_NORMAL, "%s", "");
	textview_add(v, TC_TITLE, "Capture");
	if (ov->packets > 0) {
		textview_add(v, TC_NORMAL, "  first %s", report_time(ov->first_ns, 6, t1, sizeof t1));
		textview_add(v, TC_NORMAL, "  last  %s", report_time(ov->last_ns, 6, t2, sizeof t2));
		textview_add(v, TC_NORMAL, "  duration %.3f s",
		    report_span_s(ov->first_ns, ov->last_ns));
	}
	textview_add(v, TC_NORMAL, "  %" PRIu64 " packets, %" PRIu64 " bytes on the wire, %"
	    PRIu64 " captured", ov->packets, ov->wire_bytes, ov->captured_bytes);
	uint64_t folded = fold_count(analysis_fold(t->a));
	textview_add(v, TC_NORMAL, "  %" PRIu64 " flows, %zu devices",
	    (uint64_t)flow_count(analysis_flows(t->a)) + folded,
	    device_count(analysis_devices(t->a)));
	if (folded > 0)
		textview_add(v, TC_NORMAL, "  %" PRIu64 " of them folded into the totals to stay "
		    "within %" PRIu64 " MiB (--max-memory)", folded,
		    analysis_max_memory(t->a) >> 20);
	struct cap_stats st;
	capture_stats(analysis_capture_rw(t->a), &st);
	if (st.filter != NULL)
		textview_add(v, TC_NORMAL, "  filter: %s (%" PRIu64 " packets of files left out)",
		    st.filter, st.filtered);
	textview_add(v, st.kernel_drops + st.iface_drops + st.internal_drops > 0 ? TC_WARN :
	    TC_NORMAL, "  drops: %" PRIu64 " by the kernel, %" PRIu64 " by the interface, %"
	    PRIu64 " inside iotscope", st.kernel_drops, st.iface_drops, st.internal_drops);
	if (st.evidence != NULL)
		textview_add(v, st.evidence_failed > 0 ? TC_WARN : TC_NORMAL, "  evidence: %s (%"
		    PRIu64 " files, %" PRIu64 " packets written, %" PRIu64 " not written)",
		    st.evidence, st.evidence_files, st.evidence_packets, st.evidence_failed);
	textview_add(v, TC_NORMAL, "%s", "");
	textview_add(v, TC_TITLE, "Packets overview");
	uint64_t n = ov->packets;
	count(v, "IPv4", ov->ipv4, n);
	count(v, "IPv6", ov->ipv6, n);
	count(v, "TCP", ov->tcp, n);
	count(v, "UDP", ov->udp, n);
	count(v, "ICMP", ov->icmp, n);
	count(v, "ICMPv6", ov->icmpv6, n);
	count(v, "other IP", ov->other_ip, n);
	count(v, "IP fragments", ov->fragments, n);
	count(v, "ARP", ov->arp, n);
	count(v, "DHCP", ov->dhcp, n);
	count(v, "DNS", ov->dns, n);
	count(v, "mDNS", ov->mdns, n);
	count(v, "SSDP", ov->ssdp, n);
	if (ov->quic_skipped > 0)	/* only where QUIC was seen */
		count(v, "QUIC Initials unread", ov->quic_skipped, n);
	count(v, "VLAN tagged", ov->vlan_tagged, n);
	count(v, "non-IP frames", ov->non_ip, n);
	count(v, "802.11 mgmt/control", ov->wlan_mgmt, n);
	count(v, "802.11 protected", ov->wlan_protected, n);
	count(v, "unsupported link type", ov->unsupported_link, n);
	count(v, "with payload", ov->with_payload, n);
	count(v, "payload printable UTF-8", ov->payload_printable, n);
	count(v, "truncated (snap length)", ov->truncated, n);
	for (int l = 0; l < LAYER_COUNT; l++)
		if (ov->truncated_at[l] != 0)
			textview_add(v, TC_NORMAL, "    at the %s layer %12" PRIu64,
			    layer_name((enum layer)l), ov->truncated_at[l]);
	count(v, "malformed", ov->malformed, n);
	for (int l = 0; l < LAYER_COUNT; l++)
		if (ov->malformed_at[l] != 0)
			textview_add(v, TC_NORMAL, "    at the %s layer %12" PRIu64,
			    layer_name((enum layer)l), ov->malformed_at[l]);
	textview_add(v, TC_NORMAL, "%s", "");
	textview_add(v, TC_TITLE, "Server ports");
	struct port_stat *ps;
	size_t nps = triage_ports(t->a, &ps);
	char pbuf[16];
	for (size_t i = 0; i < nps; i++)
		textview_add(v, TC_NORMAL,
		    "  %5u/%-4s %-7s %6" PRIu64 " flows %9" PRIu64 " packets  %s",
		    ps[i].port, flow_proto_name(ps[i].transport, pbuf, sizeof pbuf),
		    ps[i].secure ? "secure" : "", ps[i].flows, ps[i].packets, ps[i].protos);
	free(ps);
	textview_add(v, TC_NORMAL, "%s", "");
	textview_add(v, TC_TITLE, "Geolocation databases");
	struct geo *g = analysis_geo(t->a);
	if (geo_count(g) == 0)
		textview_add(v, TC_WARN, "  none: countries and owners are unknown; run `make "
		    "geoip`, or give --geoip FILE (MaxMind format)");
	for (size_t i = 0; i < geo_count(g); i++) {
		const struct geo_db_info *d = geo_info(g, i);
		char date[16] = "?";
		time_t bt = (time_t)d->build_epoch;
		struct tm tm;
		if (d->build_epoch != 0 && gmtime_r(&bt, &tm) != NULL)
			strftime(date, sizeof date, "%Y-%m-%d", &tm);
		textview_add(v, TC_NORMAL, "  %-8s %-28s built %s  %s", geo_kind_name(d->kind),
		    d->type != NULL ? d->type : "?", date, d->path);
		if (d->attribution != NULL)
			textview_add(v, TC_DIM, "           %s", d->attribution);
	}
	textview_add(v, TC_NORMAL, "%s", "");
	textview_add(v, TC_TITLE, "Link types");
	for (int i = 0; i < ov->nlinktypes; i++)
		textview_add(v, ov->linktypes[i].supported ? TC_NORMAL : TC_WARN,
		    "  %-16s %-34s %12" PRIu64 "%s",
		    capture_linktype_name(ov->linktypes[i].dlt, lt, sizeof lt),
		    capture_linktype_desc(ov->linktypes[i].dlt), ov->linktypes[i].packets,
		    ov->linktypes[i].supported ? "" : "  not decoded");
	if (w->n > 0) {
		textview_add(v, TC_NORMAL, "%s", "");
		textview_add(v, TC_TITLE, "Warnings");
		for (size_t i = 0; i < w->n; i++)
			textview_add(v, w->v[i].level == WARN_ERROR ? TC_WARN : TC_NORMAL,
			    "  %s: %s%s", warn_level_name(w->v[i].level), w->v[i].msg,
			    w->v[i].count > 1 ? " (repeated)" : "");
	}
}

static void *
overview_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct overview_pane));
}

static void
overview_free(void *p)
{
	struct overview_pane *o = p;
	textview_free(&o->v);
	free(o);
}

static void
overview_refresh(struct tui *t, void *p)
{
	build(t, &((struct overview_pane *)p)->v);
}

static void
overview_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	(void)focused;
	textview_draw(&((struct overview_pane *)p)->v, &t->term, w, y, x, h, wd);
}

static int
overview_key(struct tui *t, void *p, int key)
{
	(void)t;
	return textview_key(&((struct overview_pane *)p)->v, key);
}

const struct pane_ops pane_overview = {
	.name = "Overview",
	.abbrev = "Over",
	.help = "arrows, PgUp/PgDn\tscroll",
	.hints = "arrows scroll",
	.init = overview_init,
	.free = overview_free,
	.update = overview_refresh,
	.draw = overview_draw,
	.key = overview_key,
};
