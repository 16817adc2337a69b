/*
 * report-rec.c — the fields of each report record, in order (see report-rec.h).
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "analysis.h"
#include "capture.h"
#include "device.h"
#include "findings.h"
#include "scan.h"
#include "flow.h"
#include "fold.h"
#include "geo.h"
#include "names.h"
#include "overview.h"
#include "report-rec.h"
#include "report.h"
#include "ports.h"
#include "triage.h"
#include "warn.h"
#include "windows.h"

void
rec_time_keys(struct rec_out *o, const char *key, const char *key_ns, int64_t ns)
{
	char buf[48];

	o->str(o, key, report_time(ns, 9, buf, sizeof buf));
	o->i64(o, key_ns, ns);
}

/*
 * Entropy figures under a prefix; null when there were no bytes to measure.  Keys are spelled
 * out per prefix: a million-flow report names ten million of them.
 */
enum { EK_PREFIXES = 5, EK_FIGURES = 6 };
static const char *const ent_keys[EK_PREFIXES][EK_FIGURES] = {
#define EK(p) { p "_entropy", p "_entropy_expected_random", p "_chisq", p "_chisq_exceed_pct", \
	    p "_mean", p "_printable_share" }
	EK("a_to_b"), EK("b_to_a"), EK("sent"), EK("received"), EK("both"),
#undef EK
};
enum { EK_A_TO_B, EK_B_TO_A, EK_SENT, EK_RECEIVED, EK_BOTH };

static void
rec_entropy(struct rec_out *o, int prefix, const struct ent_figures *e)
{
	const char *const *key = ent_keys[prefix];
	const double v[] = { e->entropy, e->expected, e->chisq, e->chisq_p * 100, e->mean,
	    e->printable };
	static const int dec[] = { 6, 6, 6, 2, 6, 4 };

	for (size_t i = 0; i < EK_FIGURES; i++) {
		if (e->n == 0)
			o->str(o, key[i], NULL);
		else
			o->dbl(o, key[i], v[i], dec[i]);
	}
}

void
rec_input(struct rec_out *o, const struct cap_input_info *in)
{
	char lt[32];

	o->str(o, "name", in->name);
	o->str(o, "kind", in->kind);
	o->str(o, "format", in->format);
	o->boolean(o, "gzip", in->gzip);
	o->boolean(o, "big_endian", in->big_endian);
	o->i64(o, "linktype", in->linktype);
	o->str(o, "linktype_name", capture_linktype_name(in->linktype, lt, sizeof lt));
	o->u64(o, "packets", in->packets);
	o->u64(o, "bytes", in->bytes);
	rec_time(o, "first", in->first_ns);
	rec_time(o, "last", in->last_ns);
	o->boolean(o, "truncated", in->truncated);
	o->u64(o, "stop_offset", in->stop_offset);
	o->str(o, "error", in->error);
	o->str(o, "sha256", in->sha256[0] != '\0' ? in->sha256 : NULL);
	o->u64(o, "sha256_bytes", in->hashed_bytes);
	o->boolean(o, "sha256_complete", in->hash_whole);
}

void
rec_capture(struct rec_out *o, struct analysis *a)
{
	const struct overview *ov = analysis_overview(a);

	o->u64(o, "packets", ov->packets);
	o->u64(o, "wire_bytes", ov->wire_bytes);
	o->u64(o, "captured_bytes", ov->captured_bytes);
	rec_time(o, "first", ov->first_ns);
	rec_time(o, "last", ov->last_ns);
	o->dbl(o, "duration_s", report_span_s(ov->first_ns, ov->last_ns), 6);
	/* Every flow seen: those held (the flows table) and those folded into the totals. */
	uint64_t folded = fold_count(analysis_fold(a));
	o->u64(o, "flows", flow_count(analysis_flows(a)) + folded);
	o->u64(o, "flows_folded", folded);
	o->u64(o, "devices", device_count(analysis_devices(a)));
	/* Losses are never silent: every counter is written, 0 when nothing was lost. */
	struct cap_stats st;
	capture_stats(analysis_capture_rw(a), &st);
	o->boolean(o, "live", st.live);
	o->str(o, "filter", st.filter);
	o->u64(o, "filtered_out", st.filtered);
	o->u64(o, "kernel_drops", st.kernel_drops);
	o->u64(o, "interface_drops", st.iface_drops);
	o->u64(o, "internal_drops", st.internal_drops);
	o->str(o, "evidence", st.evidence);
	o->u64(o, "evidence_files", st.evidence_files);
	o->u64(o, "evidence_packets", st.evidence_packets);
	o->u64(o, "evidence_failed", st.evidence_failed);
}

void
rec_overview(struct rec_out *o, struct analysis *a)
{
	const struct overview *ov = analysis_overview(a);
	char key[64];

	o->u64(o, "packets", ov->packets);
	o->u64(o, "ipv4", ov->ipv4);
	o->u64(o, "ipv6", ov->ipv6);
	o->u64(o, "ip_options", ov->ip_options);
	o->u64(o, "tcp", ov->tcp);
	o->u64(o, "udp", ov->udp);
	o->u64(o, "icmp", ov->icmp);
	o->u64(o, "icmpv6", ov->icmpv6);
	o->u64(o, "other_ip", ov->other_ip);
	o->u64(o, "fragments", ov->fragments);
	o->u64(o, "arp", ov->arp);
	o->u64(o, "dhcp", ov->dhcp);
	o->u64(o, "dns", ov->dns);
	o->u64(o, "mdns", ov->mdns);
	o->u64(o, "llmnr", ov->llmnr);
	o->u64(o, "ssdp", ov->ssdp);
	o->u64(o, "vlan_tagged", ov->vlan_tagged);
	o->u64(o, "non_ip", ov->non_ip);
	o->u64(o, "wlan_mgmt_ctrl", ov->wlan_mgmt);
	o->u64(o, "wlan_protected", ov->wlan_protected);
	o->u64(o, "wlan_null", ov->wlan_null);
	o->u64(o, "unsupported_link", ov->unsupported_link);
	o->u64(o, "with_payload", ov->with_payload);
	o->u64(o, "payload_printable_utf8", ov->payload_printable);
	o->u64(o, "payload_bytes", ov->payload_bytes);
	o->u64(o, "truncated", ov->truncated);
	for (int l = 0; l < LAYER_COUNT; l++) {
		snprintf(key, sizeof key, "truncated_%s", layer_name((enum layer)l));
		o->u64(o, key, ov->truncated_at[l]);
	}
	o->u64(o, "malformed", ov->malformed);
	for (int l = 0; l < LAYER_COUNT; l++) {
		snprintf(key, sizeof key, "malformed_%s", layer_name((enum layer)l));
		o->u64(o, key, ov->malformed_at[l]);
	}
}

void
rec_linktype(struct rec_out *o, const struct ov_linktype *lt)
{
	char buf[32];

	o->i64(o, "dlt", lt->dlt);
	o->str(o, "name", capture_linktype_name(lt->dlt, buf, sizeof buf));
	o->str(o, "description", capture_linktype_desc(lt->dlt));
	o->u64(o, "packets", lt->packets);
	o->boolean(o, "supported", lt->supported);
}

void
rec_device(struct rec_out *o, struct analysis *a, const struct device *d,
    const struct device_triage *dt)
{
	char buf[64];

	o->u64(o, "id", d->id);
	o->str(o, "mac", d->has_mac ? mac_fmt(d->mac, buf, sizeof buf) : NULL);
	o->str(o, "vendor", analysis_device_vendor(a, d));
	o->str(o, "name", device_best_name(d));
	o->boolean(o, "gateway", device_is_gateway(d));
	o->u64(o, "findings", d->nflows > 0 || d->id > 0 ? analysis_device_findings(a, d->id) : 0);
	o->list_begin(o, "ips");
	for (uint32_t i = 0; i < d->nips; i++)
		o->list_item(o, addr_fmt(&d->ips[i], buf, sizeof buf));
	o->list_end(o);
	o->list_begin(o, "names");
	for (uint32_t i = 0; i < d->nnames; i++) {
		char item[600];
		snprintf(item, sizeof item, "%s:%s", name_source_str(d->names[i].source),
		    d->names[i].name);
		o->list_item(o, item);
	}
	o->list_end(o);
	o->str(o, "dhcp_requested", d->has_dhcp_requested ?
	    addr_fmt(&d->dhcp_requested, buf, sizeof buf) : NULL);
	o->u64(o, "packets_sent", d->pkts_sent);
	o->u64(o, "packets_received", d->pkts_recv);
	o->u64(o, "bytes_sent", d->bytes_sent);
	o->u64(o, "bytes_received", d->bytes_recv);
	o->u64(o, "payload_sent", d->payload_sent);
	o->u64(o, "payload_received", d->payload_recv);
	o->u64(o, "flows", d->nflows);
	o->u64(o, "flows_folded", fold_device_count(analysis_fold(a), d->id));
	o->u64(o, "remote_endpoints", d->nremote);
	/* Entropy over the payload the device sent, received, and both. */
	rec_entropy(o, EK_SENT, &dt->sent);
	rec_entropy(o, EK_RECEIVED, &dt->received);
	rec_entropy(o, EK_BOTH, &dt->both);
	/* How the device's payload bytes (both ways) split by verdict. */
	static const enum verdict order[] = { V_ENCRYPTED, V_CLEARTEXT, V_ENCODED, V_COMPRESSED,
	    V_UNKNOWN };
	for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
		char key[48];
		snprintf(key, sizeof key, "payload_%s", verdict_name(order[k]));
		o->u64(o, key, dt->by[order[k]]);
	}
	char summary[160];
	o->str(o, "payload_summary", triage_device_summary(dt, summary, sizeof summary));
	o->str(o, "protocols", dt->protos[0] != '\0' ? dt->protos : NULL);
	rec_time(o, "first_seen", d->first_ns);
	rec_time(o, "last_seen", d->last_ns);
}

static void
rec_side(struct rec_out *o, struct analysis *a, const struct flow *f, int side)
{
	static const char *const keys[2][6] = {
		{ "a_ip", "a_port", "a_device", "a_name", "a_country", "a_org" },
		{ "b_ip", "b_port", "b_device", "b_name", "b_country", "b_org" },
	};
	const char *const *k = keys[side];
	const struct addr *ip = side == 0 ? &f->key.a : &f->key.b;
	uint16_t port = side == 0 ? f->key.pa : f->key.pb;
	char buf[ADDR_STRLEN];

	o->str(o, k[0], addr_fmt(ip, buf, sizeof buf));
	o->u64(o, k[1], port);
	if (f->dev[side] != 0)
		o->u64(o, k[2], f->dev[side] - 1);
	else
		o->str(o, k[2], NULL);
	o->str(o, k[3], analysis_ip_name(a, ip, f->dev[!side]));
	/* Where a public address is (the first country database's answer) and whose it is. */
	struct geo_answer g;
	(void)geo_peek(analysis_geo(a), ip, &g);
	o->str(o, k[4], g.cls == ADDR_PUBLIC && g.cc[0][0] != '\0' ? g.cc[0] : NULL);
	o->str(o, k[5], g.org);
}

static void
rec_direction(struct rec_out *o, const struct flow *f, const struct flow_triage *t, int dir)
{
#define DK(p) { p "_packets", p "_bytes", p "_payload", p "_payload_captured", \
	    p "_tcp_flags", p "_verdict", p "_fixed_threshold_verdict", p "_media" }
	static const char *const keys[2][8] = { DK("a_to_b"), DK("b_to_a") };
#undef DK
	const char *const *k = keys[dir];
	char flags[16];

	o->u64(o, k[0], f->pkts[dir]);
	o->u64(o, k[1], f->bytes[dir]);
	o->u64(o, k[2], f->payload[dir]);
	o->u64(o, k[3], f->payload_cap[dir]);
	o->str(o, k[4], flow_flags_str(f->tcp_flags[dir], flags, sizeof flags));
	rec_entropy(o, dir == 0 ? EK_A_TO_B : EK_B_TO_A, &t->e[dir]);
	o->str(o, k[5], verdict_name(t->v[dir]));
	o->str(o, k[6], t->fixed[dir]);
	o->str(o, k[7], media_name((enum media)t->app.dir[dir].media));
}

void
rec_flows_ready(struct analysis *a)
{
	const struct flow_table *ft = analysis_flows(a);
	struct geo *g = analysis_geo(a);
	struct geo_answer ans;

	analysis_triage_all(a);
	if (geo_count(g) == 0)
		return;
	for (size_t i = 0; i < flow_slots(ft); i++) {
		const struct flow *f = flow_get(ft, i);
		if (flow_held(f)) {
			geo_lookup(g, &f->key.a, &ans);
			geo_lookup(g, &f->key.b, &ans);
		}
	}
}

void
rec_flow(struct rec_out *o, struct analysis *a, const struct flow *f)
{
	char buf[16];

	o->u64(o, "id", f->id);
	o->str(o, "transport", flow_proto_name(f->key.proto, buf, sizeof buf));
	o->u64(o, "ip_version", f->key.ipver);
	rec_side(o, a, f, 0);
	rec_side(o, a, f, 1);
	rec_time(o, "first", f->first_ns);
	rec_time(o, "last", f->last_ns);
	o->dbl(o, "duration_s", report_span_s(f->first_ns, f->last_ns), 6);
	struct flow_triage tt;
	const struct flow_triage *t = &tt;
	analysis_triage_to(a, f, &tt);
	char pb[32];
	o->str(o, "proto", triage_proto(t, pb, sizeof pb));
	o->boolean(o, "proto_guessed", t->guessed);
	o->str(o, "tls_version", t->tls[0] != '\0' ? t->tls : NULL);
	o->str(o, "sni", t->app.sni);
	o->str(o, "alpn", t->app.alpn);
	o->str(o, "http_method", t->app.http_method);
	o->str(o, "http_host", t->app.http_host);
	o->str(o, "http_content_type", t->app.http_ctype);
	o->str(o, "banner", t->app.banner);
	if (f->key.proto == IPPROTO_TCP || f->key.proto == IPPROTO_UDP)
		o->u64(o, "server_port", t->server_port);
	else
		o->str(o, "server_port", NULL);		/* ICMP and others have no ports */
	o->boolean(o, "server_port_secure", t->secure != NULL);
	o->str(o, "port_mismatch", t->mismatch);
	o->str(o, "channel", channel_name(t->channel));
	o->boolean(o, "snaplen_cut", flow_trunc_pkts(f) > 0);
	o->u64(o, "findings", f->key.ipver != 0 ? findings_of_flow(analysis_findings(a), f->id) : 0);
	rec_direction(o, f, t, 0);
	rec_direction(o, f, t, 1);
	o->u64(o, "packets", f->pkts[0] + f->pkts[1]);
	o->u64(o, "bytes", f->bytes[0] + f->bytes[1]);
	o->u64(o, "truncated_packets", flow_trunc_pkts(f));
	o->u64(o, "fragments", flow_frags(f));
	o->u64(o, "first_packet", f->first_num);
}

void
rec_name(struct rec_out *o, struct analysis *a, const struct ipname *e)
{
	char buf[ADDR_STRLEN];

	(void)a;
	o->str(o, "ip", addr_fmt(&e->ip, buf, sizeof buf));
	o->str(o, "name", e->name);
	o->str(o, "query", e->query);
	o->str(o, "chain", e->chain);
	o->str(o, "source", ipname_source_name(e->source));
	if (e->device1 != 0)
		o->u64(o, "device", e->device1 - 1);
	else
		o->str(o, "device", NULL);
	rec_time(o, "first", e->first_ns);
	rec_time(o, "last", e->last_ns);
	o->u64(o, "count", e->count);
}

void
rec_warning(struct rec_out *o, const struct warn_entry *w)
{
	o->str(o, "level", warn_level_name(w->level));
	o->str(o, "message", w->msg);
	o->u64(o, "count", w->count);
}

void
rec_profile(struct rec_out *o, struct analysis *a, double elapsed_s)
{
	const struct analysis_profile *p = analysis_profile(a);
	const struct overview *ov = analysis_overview(a);
	char key[48];

	o->dbl(o, "elapsed_s", elapsed_s, 6);
	o->dbl(o, "packets_per_s", elapsed_s > 0 ? (double)ov->packets / elapsed_s : 0, 0);
	o->dbl(o, "bytes_per_s", elapsed_s > 0 ? (double)ov->captured_bytes / elapsed_s : 0, 0);
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		o->u64(o, "maxrss_kb", (uint64_t)ru.ru_maxrss);
	/* What the analysis estimated it held at its last check (--max-memory's measure). */
	o->u64(o, "memory_estimate_kb", analysis_memory_estimate(a) / 1024);
	o->u64(o, "samples", p->samples);
	for (int s = 0; s < STAGE_COUNT; s++) {
		snprintf(key, sizeof key, "ns_per_packet_%s", analysis_stage_name((enum analysis_stage)s));
		o->dbl(o, key, p->samples > 0 ? (double)p->ns[s] / (double)p->samples : 0, 1);
	}
	const struct scan_stats *st = analysis_scan_stats(a);
	o->u64(o, "findings_scanned_bytes", st->scanned);
	o->u64(o, "findings_rescanned_bytes", st->rescanned);
	o->u64(o, "findings_skipped_bytes", st->skipped);
	o->u64(o, "findings_skipped_random_bytes", st->skipped_random);
	o->u64(o, "findings_skipped_media_bytes", st->skipped_media);
	o->u64(o, "findings_pattern_runs", st->runs);
	o->u64(o, "findings_limit_hits", st->limits);
	o->u64(o, "geo_lookups", geo_lookups(analysis_geo(a)));
}

void
rec_port(struct rec_out *o, const struct port_stat *p)
{
	char buf[16];

	o->u64(o, "port", p->port);
	o->str(o, "transport", flow_proto_name(p->transport, buf, sizeof buf));
	o->boolean(o, "secure", p->secure);
	o->u64(o, "flows", p->flows);
	o->u64(o, "packets", p->packets);
	o->u64(o, "bytes", p->bytes);
	o->str(o, "protocols", p->protos[0] != '\0' ? p->protos : NULL);
}

void
rec_table3(struct rec_out *o, struct analysis *a, const struct table3_row *r)
{
	/* The CSV header comes from an empty row, whose device need not exist. */
	const struct device *d = r->device < device_count(analysis_devices(a)) ?
	    device_get(analysis_devices(a), r->device) : NULL;
	char buf[32];

	o->u64(o, "device", r->device);
	o->str(o, "device_name", d != NULL ? device_best_name(d) : NULL);
	o->str(o, "device_mac", d != NULL && d->has_mac ? mac_fmt(d->mac, buf, sizeof buf) :
	    NULL);
	o->str(o, "channel", channel_name(r->channel));
	o->u64(o, "flows", r->flows);
	o->u64(o, "payload_bytes", r->payload);
	if (r->payload > 0)
		o->dbl(o, "entropy", r->entropy, 6);
	else
		o->str(o, "entropy", NULL);
	o->boolean(o, "cleartext", r->cleartext);
	o->boolean(o, "unencrypted", r->unencrypted);
	char vs[80];
	o->str(o, "verdicts", triage_verdict_set(r->verdicts, vs, sizeof vs));
	o->str(o, "protocols", r->protos[0] != '\0' ? r->protos : NULL);
}

void
rec_settings(struct rec_out *o, struct analysis *a)
{
	const struct analysis_opts *ao = analysis_options(a);
	const struct secure_ports *sp = analysis_secure_ports(a);

	static const char *const modes[] = { "thread", "inline", "off" };
	o->str(o, "entropy_counting", modes[ao->entropy]);
	o->dbl(o, "fixed_threshold", ao->threshold, 2);
	o->u64(o, "min_bytes", ao->min_bytes);
	o->dbl(o, "random_margin", VERDICT_RANDOM_MARGIN, 2);
	o->u64(o, "max_memory", analysis_max_memory(a));
	o->str(o, "secure_ports_file", sp->source != NULL ? sp->source : "(built-in)");
	o->u64(o, "secure_ports", sp->n);
	o->list_begin(o, "controllers");
	for (size_t i = 0; i < ao->ncontrollers; i++)
		o->list_item(o, ao->controllers[i]);
	o->list_end(o);
}

void
rec_windows(struct rec_out *o, struct analysis *a, const struct flow *f, unsigned size)
{
	struct ent_windows w;
	struct wref *refs = NULL;
	size_t n = 0, failed = 0;

	ent_windows_init(&w, size);
	/* The CSV header row comes from an empty flow: nothing to read back for it. */
	if (f->payload_cap[0] + f->payload_cap[1] > 0) {
		n = windows_flow_refs(a, f->id, &refs);
		failed = windows_feed(a, refs, n, &w, 0, NULL);
	}
	o->u64(o, "flow", f->id);
	o->u64(o, "window_bytes", w.size);
	o->u64(o, "windows", w.n);
	o->u64(o, "last_partial_bytes", w.fill);
	o->u64(o, "unread_packets", failed);
	/* Closed windows first, then the partial one, which last_partial_bytes marks. */
	o->list_begin(o, "entropy");
	for (uint32_t i = 0; i < w.n; i++)
		o->list_dbl(o, w.v[i], 3);
	if (w.fill > 0)
		o->list_dbl(o, ent_windows_partial(&w), 3);
	o->list_end(o);
	ent_windows_fini(&w);
	free(refs);
}
