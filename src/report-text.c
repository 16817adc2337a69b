/*
 * report-text.c — the report as text tables for a person at a terminal: inputs, capture
 * summary, packets overview, link types, devices, flows, names, warnings.  Everything from a
 * packet is escaped (esc.h) and cut to its column.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "capture.h"
#include "device.h"
#include "esc.h"
#include "flow.h"
#include "fold.h"
#include "names.h"
#include "overview.h"
#include "report-text.h"
#include "report.h"
#include "triage.h"
#include "warn.h"

#define CELL_RIGHT	1	/* right-aligned */
#define CELL_WHOLE	2	/* padded to width but never cut, as printf's %-*s */

/*
 * Escaped text cut to width display columns (counting one per code point) and padded to it.
 * The escaping comes first, so an escape is measured as the characters it shows, and a cut
 * never falls inside one (a "\x1" left of "\x1b" would name another byte).
 */
static void
cell(FILE *fp, const char *s, int width, int flags)
{
	char buf[1024];
	int n = 0;
	const char *p;

	if (s == NULL)
		s = "-";
	esc_str(buf, sizeof buf, s, ESC_TEXT);
	for (p = buf; *p != '\0' && n < width;) {
		int len = 1, cols = 1;
		if (*p == '\\')		/* \\, \xNN or \uNNNN: esc_str writes them whole */
			len = cols = p[1] == 'x' ? 4 : p[1] == 'u' ? 6 : 2;
		else
			while (((unsigned char)p[len] & 0xc0) == 0x80)
				len++;
		if (n + cols > width && !(flags & CELL_WHOLE))
			break;
		p += len;
		n += cols;
	}
	for (int k = n; (flags & CELL_RIGHT) && k < width; k++)
		fputc(' ', fp);
	if (flags & CELL_WHOLE)
		esc_fputs(fp, s, ESC_TEXT);	/* buf may hold only its start */
	else
		fwrite(buf, 1, (size_t)(p - buf), fp);
	for (; !(flags & CELL_RIGHT) && n < width; n++)
		fputc(' ', fp);
}

void
rt_col(FILE *fp, const char *s, int width)
{
	cell(fp, s, width, 0);
}

void
rt_rcol(FILE *fp, const char *s, int width)
{
	cell(fp, s, width, CELL_RIGHT);
}

void
rt_str(FILE *fp, const char *s, int width)
{
	cell(fp, s, width, CELL_WHOLE);
}

/* Its name, else its MAC, else the address it is keyed by. */
void
rt_device(FILE *fp, struct analysis *a, uint32_t id, int width)
{
	const struct device *d = device_get(analysis_devices(a), id);
	const char *n = device_best_name(d);
	char buf[ADDR_STRLEN];

	if (n == NULL)
		n = d->has_mac ? mac_fmt(d->mac, buf, sizeof buf) : addr_fmt(&d->key_ip, buf,
		    sizeof buf);
	if (width > 0)
		rt_col(fp, n, width);
	else
		rt_str(fp, n, 0);
}

void
rt_section(FILE *fp, const char *title)
{
	fprintf(fp, "\n%s\n", title);
	for (size_t i = 0; i < strlen(title); i++)
		fputc('-', fp);
	fputc('\n', fp);
}

static void
inputs(FILE *fp, const struct capture *cap)
{
	char t1[40], t2[40], lt[32];

	rt_section(fp, "Inputs");
	for (size_t i = 0; i < capture_ninputs(cap); i++) {
		struct cap_input_info in;
		capture_input_info(cap, i, &in);
		fputs("  ", fp);
		rt_str(fp, in.name, 0);
		fprintf(fp, ": %s%s%s%s, %s, %" PRIu64 " packets", in.format,
		    strcmp(in.kind, "follow") == 0 ? " (followed)" : "", in.gzip ? "+gzip" : "",
		    in.big_endian ? " (big-endian)" : "",
		    capture_linktype_name(in.linktype, lt, sizeof lt), in.packets);
		if (in.packets > 0)
			fprintf(fp, ", %s .. %s", report_time(in.first_ns, 6, t1, sizeof t1),
			    report_time(in.last_ns, 6, t2, sizeof t2));
		if (in.error != NULL) {
			fprintf(fp, "\n    %s at byte %" PRIu64 ": ", in.truncated ? "truncated" :
			    "stopped", in.stop_offset);
			rt_str(fp, in.error, 0);
		}
		fputc('\n', fp);
		if (in.sha256[0] != '\0') {
			fprintf(fp, "    sha256 %s", in.sha256);
			if (!in.hash_whole)
				fprintf(fp, " of the first %" PRIu64 " bytes (not read to its end)",
				    in.hashed_bytes);
			fputc('\n', fp);
		} else if (strcmp(in.kind, "live") != 0)
			fputs("    sha256 unknown (see the warnings)\n", fp);
	}
}

static void
overview(FILE *fp, struct analysis *a)
{
	const struct overview *ov = analysis_overview(a);
	uint64_t folded = fold_count(analysis_fold(a));
	char t1[40], t2[40], fb[48] = "";
	struct cap_stats st;

	rt_section(fp, "Capture");
	if (folded > 0)
		snprintf(fb, sizeof fb, " (%" PRIu64 " folded)", folded);
	fprintf(fp, "  %" PRIu64 " packets, %" PRIu64 " bytes on the wire (%" PRIu64 " captured), "
	    "%" PRIu64 " flows%s, %zu devices\n", ov->packets, ov->wire_bytes, ov->captured_bytes,
	    (uint64_t)flow_count(analysis_flows(a)) + folded, fb, device_count(analysis_devices(a)));
	if (ov->packets > 0)
		fprintf(fp, "  %s .. %s (%.3f s)\n", report_time(ov->first_ns, 6, t1, sizeof t1),
		    report_time(ov->last_ns, 6, t2, sizeof t2),
		    report_span_s(ov->first_ns, ov->last_ns));
	capture_stats(analysis_capture_rw(a), &st);
	if (st.filter != NULL) {
		fputs("  filter: ", fp);
		rt_str(fp, st.filter, 0);
		fprintf(fp, " (%" PRIu64 " packets of the files left out)\n", st.filtered);
	}
	fprintf(fp, "  drops: %" PRIu64 " by the kernel, %" PRIu64 " by the interface, %" PRIu64
	    " inside iotscope%s\n", st.kernel_drops, st.iface_drops, st.internal_drops,
	    st.live ? "" : " (files: nothing to drop)");
	if (st.evidence != NULL) {
		fputs("  evidence: ", fp);
		rt_str(fp, st.evidence, 0);
		fprintf(fp, " (%" PRIu64 " file%s, %" PRIu64 " packets written, %" PRIu64
		    " not written)\n", st.evidence_files, st.evidence_files == 1 ? "" : "s",
		    st.evidence_packets, st.evidence_failed);
	}

	rt_section(fp, "Packets overview");
	struct {
		const char *name;
		uint64_t v;
	} rows[] = {
		{ "total", ov->packets },
		{ "IPv4", ov->ipv4 },
		{ "IPv6", ov->ipv6 },
		{ "TCP", ov->tcp },
		{ "UDP", ov->udp },
		{ "ICMP", ov->icmp },
		{ "ICMPv6", ov->icmpv6 },
		{ "other IP", ov->other_ip },
		{ "IP fragments", ov->fragments },
		{ "IP options/ext headers", ov->ip_options },
		{ "ARP", ov->arp },
		{ "DHCP", ov->dhcp },
		{ "DNS", ov->dns },
		{ "mDNS", ov->mdns },
		{ "LLMNR", ov->llmnr },
		{ "SSDP", ov->ssdp },
		{ "QUIC Initials unread", ov->quic_skipped },
		{ "VLAN tagged", ov->vlan_tagged },
		{ "non-IP frames", ov->non_ip },
		{ "802.11 mgmt/control", ov->wlan_mgmt },
		{ "802.11 protected", ov->wlan_protected },
		{ "802.11 null data", ov->wlan_null },
		{ "unsupported link type", ov->unsupported_link },
		{ "with payload", ov->with_payload },
		{ "payload printable UTF-8", ov->payload_printable },
		{ "truncated (snaplen)", ov->truncated },
		{ "malformed", ov->malformed },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		if (rows[i].v == 0 && i > 0 && strcmp(rows[i].name, "truncated (snaplen)") != 0 &&
		    strcmp(rows[i].name, "malformed") != 0)
			continue;
		fprintf(fp, "  %-26s %12" PRIu64 "\n", rows[i].name, rows[i].v);
	}
	for (int l = 0; l < LAYER_COUNT; l++) {
		if (ov->truncated_at[l] != 0 || ov->malformed_at[l] != 0)
			fprintf(fp, "    at %-11s layer: %" PRIu64 " truncated, %" PRIu64
			    " malformed\n", layer_name((enum layer)l), ov->truncated_at[l],
			    ov->malformed_at[l]);
	}
	fprintf(fp, "  payload bytes %" PRIu64 "\n", ov->payload_bytes);

	rt_section(fp, "Link types");
	for (int i = 0; i < ov->nlinktypes; i++) {
		char buf[32];
		const struct ov_linktype *lt = &ov->linktypes[i];
		fprintf(fp, "  %-14s %-32s %12" PRIu64 "%s\n",
		    capture_linktype_name(lt->dlt, buf, sizeof buf), capture_linktype_desc(lt->dlt),
		    lt->packets, lt->supported ? "" : "  (not decoded)");
	}
}

static void
devices(FILE *fp, struct analysis *a)
{
	const struct device_table *dt = analysis_devices(a);
	char buf[64], t[40];

	struct device_triage *dtr;
	triage_devices(a, &dtr);
	rt_section(fp, "Devices");
	fprintf(fp, "  %-3s %-17s %-22s %-24s %-28s %5s %7s %9s %9s %12s %12s  %s\n", "#", "MAC",
	    "VENDOR", "NAME", "IPS", "FLOWS", "REMOTES", "PKTS OUT", "PKTS IN", "BYTES OUT",
	    "BYTES IN", "LAST SEEN");
	for (size_t i = 0; i < device_count(dt); i++) {
		const struct device *d = device_get(dt, i);
		char ips[256] = "";
		size_t n = 0;
		for (uint32_t k = 0; k < d->nips && n < sizeof ips; k++)
			n += (size_t)snprintf(ips + n, sizeof ips - n, "%s%s", k > 0 ? "," : "",
			    addr_fmt(&d->ips[k], buf, sizeof buf));
		fprintf(fp, "  %-3zu ", i);
		rt_col(fp, d->has_mac ? mac_fmt(d->mac, buf, sizeof buf) : "-", 17);
		fputc(' ', fp);
		rt_col(fp, analysis_device_vendor(a, d), 22);
		fputc(' ', fp);
		const char *name = device_best_name(d);
		char shown[300];
		snprintf(shown, sizeof shown, "%s%s", name != NULL ? name : "-",
		    device_is_gateway(d) ? " [gw]" : "");
		rt_col(fp, shown, 24);
		fputc(' ', fp);
		rt_col(fp, ips[0] != '\0' ? ips : "-", 28);
		fprintf(fp, " %5u %7u %9" PRIu64 " %9" PRIu64 " %12" PRIu64 " %12" PRIu64 "  %s\n",
		    d->nflows, d->nremote, d->pkts_sent, d->pkts_recv, d->bytes_sent, d->bytes_recv,
		    d->last_ns != 0 ? report_time(d->last_ns, 3, t, sizeof t) : "-");
		for (uint32_t k = 0; k < d->nnames; k++) {
			fprintf(fp, "      %-13s ", name_source_str(d->names[k].source));
			rt_str(fp, d->names[k].name, 0);
			fputc('\n', fp);
		}
		char sum[160];
		if (triage_device_summary(&dtr[i], sum, sizeof sum) != NULL)
			fprintf(fp, "      %-13s %.2f sent, %.2f received, %.2f both (bits/byte); "
			    "%s\n", "payload", dtr[i].sent.entropy, dtr[i].received.entropy,
			    dtr[i].both.entropy, sum);
	}
	free(dtr);
}

/* address:port, [v6]:port, or the bare address for protocols without ports. */
static void
endpoint(FILE *fp, const struct addr *ip, uint16_t port, int has_ports, int width)
{
	char buf[ADDR_STRLEN], ep[ADDR_STRLEN + 10];

	addr_fmt(ip, buf, sizeof buf);
	if (!has_ports)
		snprintf(ep, sizeof ep, "%s", buf);
	else if (addr_is_v4(ip))
		snprintf(ep, sizeof ep, "%s:%u", buf, port);
	else
		snprintf(ep, sizeof ep, "[%s]:%u", buf, port);
	rt_col(fp, ep, width);
}

static void
flows(FILE *fp, struct analysis *a, size_t limit)
{
	const struct flow_table *ft = analysis_flows(a);
	size_t n = flow_count(ft), shown = 0;
	uint64_t folded = fold_count(analysis_fold(a));
	char buf[32], b1[32], b2[32], t[40], fl[16], fl2[16];

	rt_section(fp, "Flows");
	fprintf(fp, "  %-5s %-6s %-27s %-27s %-26s %13s %17s %-9s %-12s %-7s %-9s %-11s %-23s %s\n",
	    "#", "PROTO", "INITIATOR", "RESPONDER", "NAME", "PKTS >/<", "BYTES >/<", "FLAGS",
	    "FIRST", "DUR", "APP", "ENTROPY >/<", "VERDICT >/<", "NOTE");
	if (limit == 0 || limit > n)
		limit = n;
	for (size_t i = 0; i < flow_slots(ft) && shown < limit; i++) {
		const struct flow *f = flow_get(ft, i);
		if (!flow_held(f))
			continue;
		shown++;
		fprintf(fp, "  %-5zu %-6s ", i, flow_proto_name(f->key.proto, buf, sizeof buf));
		int ports = f->key.proto == 6 || f->key.proto == 17 || f->key.proto == 132;
		endpoint(fp, &f->key.a, f->key.pa, ports, 27);
		fputc(' ', fp);
		endpoint(fp, &f->key.b, f->key.pb, ports, 27);
		fputc(' ', fp);
		rt_col(fp, analysis_ip_name(a, &f->key.b, f->dev[0]), 26);
		snprintf(b1, sizeof b1, "%" PRIu64 "/%" PRIu64, f->pkts[0], f->pkts[1]);
		snprintf(b2, sizeof b2, "%" PRIu64 "/%" PRIu64, f->bytes[0], f->bytes[1]);
		flow_flags_str(f->tcp_flags[0], fl, sizeof fl);
		flow_flags_str(f->tcp_flags[1], fl2, sizeof fl2);
		char flags[40];
		snprintf(flags, sizeof flags, "%s/%s", fl, fl2);
		report_time(f->first_ns, 3, t, sizeof t);
		const struct flow_triage *tr = analysis_triage(a, f);
		char pb[32], app[64], ent[32], ver[40], dur[16];
		const char *pn = triage_proto(tr, pb, sizeof pb);
		int tls = tr->tls[0] != '\0' && tr->app.tls_version != 0;
		snprintf(app, sizeof app, "%s%s%s", pn != NULL ? pn : "-", tls ? " " : "",
		    tls ? tr->tls + 4 : "");
		char e0[12] = "-", e1[12] = "-";
		if (tr->e[0].n > 0)
			snprintf(e0, sizeof e0, "%.2f", tr->e[0].entropy);
		if (tr->e[1].n > 0)
			snprintf(e1, sizeof e1, "%.2f", tr->e[1].entropy);
		snprintf(ent, sizeof ent, "%s/%s", e0, e1);
		snprintf(ver, sizeof ver, "%s/%s", verdict_name(tr->v[0]), verdict_name(tr->v[1]));
		snprintf(dur, sizeof dur, "%.3f", report_span_s(f->first_ns, f->last_ns));
		fprintf(fp, " %13s %17s %-9s %-12s %-7s %-9s %-11s %-23s %s%s\n", b1, b2,
		    f->key.proto == 6 ? flags : "", t + 11, dur, app, ent, ver,
		    tr->mismatch != NULL ? tr->mismatch : "",
		    flow_trunc_pkts(f) > 0 ? " (snaplen-cut)" : "");
	}
	if (limit < n)
		fprintf(fp, "  … %zu more flows (--report json or csv lists all)\n", n - limit);
	if (folded > 0)
		fprintf(fp, "  … and %" PRIu64 " flows folded into the devices', destinations' and "
		    "ports' totals (memory limit)\n", folded);
}

static void
ports_and_channels(FILE *fp, struct analysis *a)
{
	struct port_stat *ps;
	struct table3_row *t3;
	size_t n = triage_ports(a, &ps);
	char buf[32];

	rt_section(fp, "Server ports");
	fprintf(fp, "  %-6s %-5s %-7s %7s %9s %12s  %s\n", "PORT", "PROTO", "SECURE", "FLOWS",
	    "PACKETS", "BYTES", "SEEN");
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "  %-6u %-5s %-7s %7" PRIu64 " %9" PRIu64 " %12" PRIu64 "  %s\n",
		    ps[i].port, flow_proto_name(ps[i].transport, buf, sizeof buf),
		    ps[i].secure ? "yes" : "no", ps[i].flows, ps[i].packets, ps[i].bytes,
		    ps[i].protos);
	free(ps);
	n = triage_table3(a, &t3);
	rt_section(fp, "Channels (the paper's Table 3)");
	fprintf(fp, "  %-24s %-16s %5s %12s %8s %-9s  %s\n", "DEVICE", "CHANNEL", "FLOWS",
	    "PAYLOAD", "ENTROPY", "CLEARTEXT", "PROTOCOLS");
	for (size_t i = 0; i < n; i++) {
		fputs("  ", fp);
		rt_device(fp, a, t3[i].device, 24);
		fprintf(fp, " %-16s %5" PRIu64 " %12" PRIu64 " %8.3f %-9s  ",
		    channel_name(t3[i].channel), t3[i].flows, t3[i].payload, t3[i].entropy,
		    t3[i].cleartext ? "yes" : "no");
		rt_str(fp, t3[i].protos, 0);
		fputc('\n', fp);
	}
	free(t3);
}

static void
names(FILE *fp, struct analysis *a)
{
	const struct names *nm = analysis_names(a);
	char buf[ADDR_STRLEN];

	if (names_count(nm) == 0)
		return;
	rt_section(fp, "Names of addresses (DNS and mDNS answers, TLS SNI, HTTP Host)");
	for (size_t i = 0; i < names_count(nm); i++) {
		const struct ipname *e = names_get(nm, i);
		fputs("  ", fp);
		rt_col(fp, addr_fmt(&e->ip, buf, sizeof buf), 39);
		fprintf(fp, " %-9s ", ipname_source_name(e->source));
		rt_str(fp, e->chain != NULL ? e->chain : e->name, 0);
		if (e->device1 != 0)
			fprintf(fp, "  (device %u)", e->device1 - 1);
		fputc('\n', fp);
	}
}

static void
warnings(FILE *fp, struct analysis *a)
{
	const struct warnlist *w = analysis_warnings(a);

	if (w->n == 0)
		return;
	rt_section(fp, "Warnings");
	for (size_t i = 0; i < w->n; i++) {
		fprintf(fp, "  %s: ", warn_level_name(w->v[i].level));
		rt_str(fp, w->v[i].msg, 0);
		if (w->v[i].count > 1)
			fprintf(fp, " (%" PRIu64 " times)", w->v[i].count);
		fputc('\n', fp);
	}
	if (w->dropped > 0)
		fprintf(fp, "  … and %" PRIu64 " further distinct warnings\n", w->dropped);
}

static void
profile(FILE *fp, struct analysis *a, double elapsed)
{
	const struct analysis_profile *p = analysis_profile(a);
	const struct overview *ov = analysis_overview(a);

	rt_section(fp, "Profile");
	fprintf(fp, "  %.3f s, %.0f packets/s, %.1f MB/s\n", elapsed,
	    elapsed > 0 ? (double)ov->packets / elapsed : 0,
	    elapsed > 0 ? (double)ov->captured_bytes / elapsed / 1e6 : 0);
	for (int s = 0; s < STAGE_COUNT; s++)
		fprintf(fp, "  %-8s %8.1f ns/packet\n", analysis_stage_name((enum analysis_stage)s),
		    p->samples > 0 ? (double)p->ns[s] / (double)p->samples : 0);
}

int
report_text(struct analysis *a, const struct report_opts *o, const struct find_mask *m,
    FILE *fp)
{
	fprintf(fp, "iotscope %s report\n", PACKAGE_VERSION);
	inputs(fp, analysis_capture(a));
	overview(fp, a);
	devices(fp, a);
	flows(fp, a, o->flow_limit);
	ports_and_channels(fp, a);
	report_text_geo(fp, a);
	report_text_findings(fp, a, m);
	names(fp, a);
	warnings(fp, a);
	if (o->profile)
		profile(fp, a, o->elapsed_s);
	return 0;
}
