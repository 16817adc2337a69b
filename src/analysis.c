/*
 * analysis.c — the per-packet pipeline and device attribution (see analysis.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "analysis-int.h"
#include "dissect.h"
#include "findings.h"
#include "fold.h"
#include "geo.h"
#include "patterns.h"
#include "reread.h"
#include "scan.h"
#include "triage.h"
#include "verdict.h"
#include "xalloc.h"

/*
 * Time one packet in PROFILE_EVERY on average, at random gaps: a fixed period met the
 * periodic work (a flow chunk per 1,024 flows, index growth at powers of two) of a flood
 * with one flow a packet on every sample, and reported a hundred times its real cost.
 */
#define PROFILE_EVERY	64

/* --geoip in order, else IOTSCOPE_GEOIP, else the usual folders and the data folders. */
static void
open_geo(struct analysis *a)
{
	char err[512], env_dir[4096];
	const char *dirs[3];
	size_t n = 0;
	const char *env = getenv("IOTSCOPE_DATADIR");

	a->geo = geo_new();
	if (a->opts.ngeoip > 0) {
		for (size_t i = 0; i < a->opts.ngeoip; i++)
			if (geo_add(a->geo, a->opts.geoip[i], err, sizeof err) < 0)
				warn_add(&a->warn, WARN_ERROR, "%s", err);
		return;
	}
	if (env != NULL && env[0] != '\0') {
		snprintf(env_dir, sizeof env_dir, "%s/geoip", env);
		dirs[n++] = env_dir;
	}
	dirs[n++] = PKGDATADIR "/geoip";
#ifdef SRCDATADIR
	dirs[n++] = SRCDATADIR "/geoip";	/* `make geoip` in the build tree */
#endif
	geo_add_defaults(a->geo, dirs, n, &a->warn);
}

static void
add_patterns(struct analysis *a, const char *path, int must_exist)
{
	if (!must_exist && access(path, F_OK) != 0)
		return;
	int n = patset_load(a->patterns, path, &a->warn);
	if (a->npatfiles < sizeof a->patfiles / sizeof a->patfiles[0]) {
		a->patfiles[a->npatfiles] = xstrdup(path);
		a->patcounts[a->npatfiles++] = n;
	}
}

/*
 * The default pattern file (IOTSCOPE_DATADIR, the installed share folder, the source tree's),
 * then the user's ($XDG_CONFIG_HOME or ~/.config, iotscope/patterns), then --patterns files.
 */
static void
open_patterns(struct analysis *a)
{
	char path[4096];
	const char *env = getenv("IOTSCOPE_DATADIR"), *found = NULL;

	a->patterns = patset_new();
	a->findings = findings_new(a->pool);
	if (env != NULL && env[0] != '\0') {
		snprintf(path, sizeof path, "%s/patterns", env);
		if (access(path, R_OK) == 0)
			found = path;
	}
	if (found == NULL && access(PKGDATADIR "/patterns", R_OK) == 0)
		found = PKGDATADIR "/patterns";
#ifdef SRCDATADIR
	if (found == NULL && access(SRCDATADIR "/patterns", R_OK) == 0)
		found = SRCDATADIR "/patterns";
#endif
	if (found != NULL)
		add_patterns(a, found, 1);
	else
		warn_add(&a->warn, WARN_WARNING, "no patterns file in IOTSCOPE_DATADIR or %s: "
		    "only the built-in extractors look for findings", PKGDATADIR);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg != NULL && xdg[0] != '\0')
		snprintf(path, sizeof path, "%s/iotscope/patterns", xdg);
	else if (home != NULL && home[0] != '\0')
		snprintf(path, sizeof path, "%s/.config/iotscope/patterns", home);
	else
		path[0] = '\0';
	if (path[0] != '\0')
		add_patterns(a, path, 0);
	for (size_t i = 0; i < a->opts.npatterns; i++)
		add_patterns(a, a->opts.patterns[i], 1);
	a->scanner = scanner_new(a->patterns, a->findings, &a->warn);
}

void
analysis_preload(struct analysis *a)
{
	oui_load(a->oui);
	/* Without a filter these do nothing.  DLT values run to a few hundred: the link types decoded are among them. */
	for (int dlt = 0; dlt < 1024; dlt++)
		if (dissect_link_supported(dlt))
			capture_filter_prepare(a->cap, dlt);
	for (size_t i = 0; i < capture_ninputs(a->cap); i++) {
		struct cap_input_info in;
		capture_input_info(a->cap, i, &in);
		if (strcmp(in.kind, "live") != 0)
			capture_filter_prepare(a->cap, in.linktype);
	}
}

struct analysis *
analysis_new(const struct analysis_opts *opts)
{
	struct analysis *a = xcalloc(1, sizeof *a);

	if (opts != NULL)
		a->opts = *opts;
	if (a->opts.threshold <= 0)
		a->opts.threshold = VERDICT_THRESHOLD;
	if (a->opts.min_bytes == 0)
		a->opts.min_bytes = VERDICT_MIN_BYTES;
	warn_init(&a->warn);
	ports_load(&a->ports, a->opts.secure_ports, &a->warn);
	a->cap = capture_new(&a->warn);
	a->flows = flow_table_new();
	a->fold = fold_new();
	mem_init(a);
	a->devices = device_table_new();
	a->pool = strpool_new();
	a->names = names_new(a->pool);
	a->oui = oui_new(a->opts.oui_path);
	open_geo(a);
	if (!a->opts.no_findings)
		open_patterns(a);
	else
		a->findings = findings_new(a->pool);
	a->hcount = hcount_new(a->opts.entropy == ENTROPY_THREAD);
	if (a->opts.entropy == ENTROPY_OFF)
		warn_add(&a->warn, WARN_INFO, "entropy counting is off (--count-entropy off): no "
		    "entropy figures, every verdict unknown");
	if (a->opts.index) {
		capture_keep(a->cap);
		a->findex = findex_new();
	}
	return a;
}

void
analysis_free(struct analysis *a)
{
	if (a == NULL)
		return;
	hcount_free(a->hcount);		/* before the flows whose histograms it writes */
	capture_free(a->cap);
	flow_table_free(a->flows);
	fold_free(a->fold);
	device_table_free(a->devices);
	names_free(a->names);
	strpool_free(a->pool);
	oui_free(a->oui);
	geo_free(a->geo);
	findex_free(a->findex);
	scanner_free(a->scanner);
	free(a->devfind);
	findings_free(a->findings);
	patset_free(a->patterns);
	for (size_t i = 0; i < a->npatfiles; i++)
		free((char *)a->patfiles[i]);
	analysis_triage_free(a);
	ports_fini(&a->ports);
	warn_fini(&a->warn);
	free(a);
}

int
analysis_add_file(struct analysis *a, const char *path, char *err, size_t errlen)
{
	if (capture_add_file(a->cap, path, err, errlen) < 0) {
		warn_add(&a->warn, WARN_ERROR, "%s", err);
		return -1;
	}
	a->done = 0;
	return 0;
}

struct device *
analysis_station(struct analysis *a, const uint8_t mac[6], const struct addr *ip)
{
	struct device *d = device_by_mac(a->devices, mac, 0);

	if (d == NULL && ip != NULL) {
		struct device *twin = device_by_ip(a->devices, ip, 0);
		if (twin != NULL && !twin->has_mac) {
			device_adopt_mac(a->devices, twin, mac);
			d = twin;
		}
	}
	if (d == NULL)
		d = device_by_mac(a->devices, mac, 1);
	if (ip != NULL && !addr_is_zero(ip))
		device_add_ip(a->devices, d, ip);
	return d;
}

/* The MAC an IPv6 interface identifier was formed from (modified EUI-64), if it was. */
static int
eui64_mac(const struct addr *ip, uint8_t mac[6])
{
	if (addr_is_v4(ip) || ip->b[11] != 0xff || ip->b[12] != 0xfe)
		return 0;
	mac[0] = ip->b[8] ^ 0x02;
	mac[1] = ip->b[9];
	mac[2] = ip->b[10];
	mac[3] = ip->b[13];
	mac[4] = ip->b[14];
	mac[5] = ip->b[15];
	return mac_is_unicast(mac);
}

int
analysis_is_local(const struct analysis *a, const struct addr *ip, const uint8_t *mac)
{
	if (addr_is_local(ip))
		return 1;
	if (addr_is_v4(ip) || addr_classify(ip) != ADDR_PUBLIC)
		return 0;
	for (int i = 0; i < a->nprefix6; i++)
		if (memcmp(a->prefix6[i].b, ip->b, 8) == 0)
			return 1;
	/* Modified EUI-64: MAC with the U/L bit flipped and ff:fe in the middle. */
	return mac != NULL && ip->b[8] == (mac[0] ^ 0x02) && ip->b[9] == mac[1] &&
	    ip->b[10] == mac[2] && ip->b[11] == 0xff && ip->b[12] == 0xfe &&
	    ip->b[13] == mac[3] && ip->b[14] == mac[4] && ip->b[15] == mac[5];
}

/*
 * Finds the local station on one side of a flow, from the packet that first shows that side
 * (as sender when is_src, else as receiver).  A side whose address is public is not a station;
 * the MAC that carries it is the gateway.
 */
static void
resolve_side(struct analysis *a, struct flow *f, int side, const struct pkt *p, int is_src)
{
	const struct addr *ip = side == 0 ? &f->key.a : &f->key.b;
	const struct addr *peer = side == 0 ? &f->key.b : &f->key.a;
	int has_mac = is_src ? p->has_src_mac : p->has_dst_mac;
	const uint8_t *mac = is_src ? p->src_mac : p->dst_mac;
	struct device *d = NULL;
	uint8_t derived[6];

	if (has_mac && !mac_is_unicast(mac))
		return;			/* a group address: try again on a later packet */
	/*
	 * On a link without MACs an IPv6 address formed from one (SLAAC) still names its
	 * station: the link-local and global addresses of a host meet in one device.
	 */
	if (!has_mac && !p->has_src_mac && eui64_mac(ip, derived) &&
	    (addr_classify(ip) == ADDR_LINKLOCAL ||
	    device_by_mac(a->devices, derived, 0) != NULL)) {
		has_mac = 1;
		mac = derived;
	}
	/* A DHCP client before its lease speaks from 0.0.0.0: its MAC still names it. */
	if (analysis_is_local(a, ip, has_mac ? mac : NULL) ||
	    (has_mac && addr_classify(ip) == ADDR_UNSPEC)) {
		if (has_mac)
			d = analysis_station(a, mac, ip);
		else if (!p->has_src_mac)
			d = device_by_ip(a->devices, ip, 1);	/* a link without MACs */
		else if ((d = device_by_ip(a->devices, ip, 0)) == NULL)
			return;	/* Linux SLL: the receiver shows its MAC when it sends */
	} else if (has_mac && addr_classify(ip) == ADDR_PUBLIC) {
		device_carried(device_by_mac(a->devices, mac, 1), ip);
	}
	f->dev_tried[side] = 1;
	if (d == NULL)
		return;
	d->nflows++;
	device_add_remote(d, peer);
	f->dev[side] = d->id + 1;
}

static void
charge_devices(struct analysis *a, struct flow *f, int dir, const struct pkt *p)
{
	const struct cap_pkt *c = p->cap;

	if (!f->dev_tried[dir])
		resolve_side(a, f, dir, p, 1);
	if (!f->dev_tried[!dir])
		resolve_side(a, f, !dir, p, 0);
	if (f->dev[dir] != 0) {
		struct device *d = device_get(a->devices, f->dev[dir] - 1);
		d->pkts_sent++;
		d->bytes_sent += c->wirelen;
		d->payload_sent += p->payload_len;
		device_seen(d, c->ts_ns);
	}
	if (f->dev[!dir] != 0) {
		struct device *d = device_get(a->devices, f->dev[!dir] - 1);
		d->pkts_recv++;
		d->bytes_recv += c->wirelen;
		d->payload_recv += p->payload_len;
		device_seen(d, c->ts_ns);
	}
}

/* Frames without IP (ARP, EAPOL, protected 802.11 data…) still belong to their stations. */
static void
charge_l2(struct analysis *a, const struct pkt *p)
{
	const struct cap_pkt *c = p->cap;

	if (p->has_src_mac && mac_is_unicast(p->src_mac)) {
		struct device *d = analysis_station(a, p->src_mac, NULL);
		d->pkts_sent++;
		d->bytes_sent += c->wirelen;
		device_seen(d, c->ts_ns);
	}
	if (p->has_dst_mac && mac_is_unicast(p->dst_mac)) {
		struct device *d = device_by_mac(a->devices, p->dst_mac, 0);
		if (d != NULL) {
			d->pkts_recv++;
			d->bytes_recv += c->wirelen;
			device_seen(d, c->ts_ns);
		}
	}
}

/*
 * Appends a payload to its direction's dump file (opened and closed each time: a debug aid).
 * Called after the flow's counters took the payload in.
 */
static void
dump_payload(struct analysis *a, const struct flow *f, int d, struct span s)
{
	char path[4096];
	FILE *fp;

	if (s.n == 0)
		return;
	snprintf(path, sizeof path, "%s/flow-%u-%s.bin", a->opts.dump_dir, f->id,
	    d == 0 ? "a2b" : "b2a");
	/* The direction's first bytes start the file afresh: a second run must not append. */
	if ((fp = fopen(path, f->payload_cap[d] == s.n ? "wb" : "ab")) == NULL || fwrite(s.p, 1, s.n, fp) != s.n)
		warn_add(&a->warn, WARN_ERROR, "%s: cannot write the payload dump", path);
	if (fp != NULL)
		fclose(fp);
}

static struct flow *
charge_flow(struct analysis *a, struct pkt *p, uint64_t hash, int *dir)
{
	const struct cap_pkt *c = p->cap;
	struct flow *f;

	if (p->frag == FRAG_LATER) {
		f = flow_lookup_fragment(a->flows, p, dir);
		if (f == NULL)
			return NULL;
	} else {
		/* Without its ports a TCP/UDP packet cannot be placed in a conversation. */
		if (!p->has_ports && (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP ||
		    p->proto == 132))
			return NULL;
		f = flow_lookup_hashed(a->flows, p, hash, dir);
	}
	int d = *dir;
	uint64_t had = f->payload_cap[d];
	f->ref = 1;			/* seen: the clock passes it by (flow_victim) */
	f->pkts[d]++;
	f->bytes[d] += c->wirelen;
	f->payload[d] += p->payload_len;
	f->payload_cap[d] += rd_left(&p->payload);
	if (a->opts.entropy == ENTROPY_THREAD)	/* buffers the counting thread will allocate */
		a->mem.hist += mem_hist_cost(f->payload_cap[d]) - mem_hist_cost(had);
	struct flow_ext *x = f->ext;
	if (rd_left(&p->payload) > 0 || c->caplen < c->wirelen || p->frag != FRAG_NONE)
		x = flow_ext_get(a->flows, f);
	if (a->opts.entropy != ENTROPY_OFF && x != NULL &&
	    hcount_try_add(a->hcount, &x->hist[d], rd_span(&p->payload)) < 0) {
		struct hist *h = reader_hist_get(a, x, d, 1);
		int hot = h->hot != NULL, cold = h->cold != NULL;
		entropy_count(h, rd_span(&p->payload));
		a->mem.hist += (!hot && h->hot != NULL ? MEM_HIST_HOT : 0) +
		    (!cold && h->cold != NULL ? MEM_HIST_COLD : 0);
	}
	if (a->opts.dump_dir != NULL)
		dump_payload(a, f, d, rd_span(&p->payload));
	if (c->caplen < c->wirelen)
		x->trunc_pkts++;
	if (p->frag != FRAG_NONE)
		x->frags++;
	if (c->ts_ns >= f->last_ns)
		f->last_ns = c->ts_ns;
	else if (c->ts_ns < f->first_ns)	/* out of order: rare, and on a colder line */
		f->first_ns = c->ts_ns;
	if (p->proto == IPPROTO_TCP && p->frag != FRAG_LATER) {
		f->tcp_flags[d] |= p->tcp_flags;
		if (p->tcp_flags & (TH_FIN | TH_RST))
			f->closed = 1;
		if ((p->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN && !f->syn_seen) {
			f->syn_seen = 1;
			f->syn_seq = p->seq;
		}
	}
	return f;
}

static void
count_damage(struct overview *ov, const struct pkt *p)
{
	if (p->cap->caplen < p->cap->wirelen) {
		/* Cut by the snap length: at a header, or else inside the payload. */
		enum layer l = p->trunc_layer != 0 ? (enum layer)(p->trunc_layer - 1) : LAYER_APP;
		ov->truncated++;
		ov->truncated_at[l]++;
	}
	if (p->bad_layer != 0) {
		ov->malformed++;
		ov->malformed_at[p->bad_layer - 1]++;
	}
}

static int64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
unsupported_link(struct analysis *a, int dlt)
{
	char buf[32];
	warn_add(&a->warn, WARN_WARNING, "link type %s (%s, DLT %d) is not supported: its "
	    "packets are counted, not decoded", capture_linktype_name(dlt, buf, sizeof buf),
	    capture_linktype_desc(dlt), dlt);
}

static void
scan(struct analysis *a, const struct pkt *p, const struct flow *f, int dir)
{
	struct scan_pkt sp = {
		.flow = f->id, .dir = (uint8_t)dir, .tcp = p->proto == IPPROTO_TCP,
		.tcp_flags = p->tcp_flags, .server_port = f->key.pb, .client_port = f->key.pa,
		.seq = p->seq,
		.payload = rd_span(&p->payload), .num = p->cap->num, .ts_ns = p->cap->ts_ns,
		.app = f->app,
	};
	if (!sp.tcp && p->proto != IPPROTO_UDP)
		return;
	scanner_packet(a->scanner, &sp);
}

/*
 * Packets the snap length cut: said once, with the layer each was cut in, because what they
 * held past the cut (names, findings, payload figures) is missing from every table.
 */
static void
warn_cut(struct analysis *a)
{
	const struct overview *ov = &a->ov;

	if (ov->truncated == 0 || a->cut_warned)
		return;
	a->cut_warned = 1;
	warn_add(&a->warn, WARN_WARNING, "%llu packets cut short by the snap length (%llu in the "
	    "link header, %llu in the network header, %llu in the transport header, %llu in the "
	    "payload): what they held past the cut was not read", (unsigned long long)ov->truncated,
	    (unsigned long long)ov->truncated_at[LAYER_LINK],
	    (unsigned long long)ov->truncated_at[LAYER_NET],
	    (unsigned long long)ov->truncated_at[LAYER_TRANSPORT],
	    (unsigned long long)ov->truncated_at[LAYER_APP]);
}

/* Input is over: what the scanner still holds is read. */
static void
finish(struct analysis *a)
{
	a->done = 1;
	if (a->scanner != NULL)
		scanner_finish(a->scanner);
	warn_cut(a);
}

/* One packet through every stage; t[] receives stage boundaries when profiling. */
static void
process(struct analysis *a, const struct cap_pkt *c, int64_t *t)
{
	struct pkt p;
	struct flow *f = NULL;
	int dir = 0;

	dissect_packet(&p, c);
	if (t != NULL)
		t[1] = now_ns();
	/* Start fetching the flow's index slot, then count while it arrives. */
	uint64_t hash = p.what == LW_IP ? flow_prefetch(a->flows, &p) : 0;
	if (overview_count(&a->ov, &p) && !dissect_link_supported(c->linktype))
		unsupported_link(a, c->linktype);
	if (p.what == LW_IP)
		f = charge_flow(a, &p, hash, &dir);
	if (t != NULL)
		t[2] = now_ns();
	if (f != NULL)
		charge_devices(a, f, dir, &p);
	else if (p.what != LW_IP)
		charge_l2(a, &p);
	if (t != NULL)
		t[3] = now_ns();
	if (f != NULL && a->findex != NULL && rd_left(&p.payload) > 0 && p.frag != FRAG_LATER) {
		struct pkt_ref r = {
			.offset = c->offset, .ts_ns = c->ts_ns, .input = c->input,
			.seq = p.seq, .len = (uint32_t)rd_left(&p.payload),
			.linktype = (uint16_t)c->linktype, .dir = (uint8_t)dir,
			.tcp = p.proto == IPPROTO_TCP,
		};
		findex_add(a->findex, f->id, &r);
	}
	if (f != NULL) {
		app_dispatch(a, &p, f, dir);
		if (a->scanner != NULL && p.has_ports && p.frag != FRAG_LATER &&
		    (rd_left(&p.payload) > 0 || (p.tcp_flags & (TH_FIN | TH_RST))))
			scan(a, &p, f, dir);
		if (p.proto == IPPROTO_ICMPV6 && p.icmp_type == 134)
			app_icmp6(a, &p);
	} else if (p.what == LW_ARP)
		app_arp(a, &p);
	if (t != NULL)
		t[4] = now_ns();
	count_damage(&a->ov, &p);
	/* Past what the memory limit leaves for flows, the longest idle ones are folded: looked
	 * at when a flow was made (its first packet), and every MEM_EVERY packets. */
	if (++a->mem.tick >= MEM_EVERY || (f != NULL && f->pkts[0] + f->pkts[1] == 1 &&
	    flow_count(a->flows) > a->mem.held_cap))
		mem_check(a, f);
}

enum analysis_rc
analysis_step(struct analysis *a, unsigned budget)
{
	struct cap_pkt c;
	enum cap_next rc;

	if (a->done)
		return ANALYSIS_DONE;
	for (unsigned i = 0; i < budget; i++) {
		if (a->opts.profile && a->ov.packets >= a->prof_next) {
			uint64_t x = a->prof_rng != 0 ? a->prof_rng : 0x9e3779b97f4a7c15ULL;
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			a->prof_rng = x;
			a->prof_next = a->ov.packets + 1 + x % (2 * PROFILE_EVERY - 1);
			int64_t t[5];
			t[0] = now_ns();
			rc = capture_next(a->cap, &c);
			int64_t t_read = now_ns();
			if (rc != CAP_PACKET)
				goto stalled;
			t[0] = t_read - t[0];
			process(a, &c, t);
			a->prof.samples++;
			a->prof.ns[STAGE_READ] += (uint64_t)t[0];
			a->prof.ns[STAGE_DECODE] += (uint64_t)(t[1] - t_read);
			a->prof.ns[STAGE_FLOW] += (uint64_t)(t[2] - t[1]);
			a->prof.ns[STAGE_DEVICE] += (uint64_t)(t[3] - t[2]);
			a->prof.ns[STAGE_APP] += (uint64_t)(t[4] - t[3]);
			continue;
		}
		rc = capture_next(a->cap, &c);
		if (rc != CAP_PACKET)
			goto stalled;
		process(a, &c, NULL);
	}
	return ANALYSIS_MORE;
stalled:
	if (rc == CAP_IDLE)
		return ANALYSIS_IDLE;
	finish(a);
	return ANALYSIS_DONE;
}

int
analysis_add_live(struct analysis *a, const struct cap_live_opts *lo, char *err, size_t errlen)
{
	if (capture_add_live(a->cap, lo, err, errlen) < 0) {
		warn_add(&a->warn, WARN_ERROR, "%s", err);
		return -1;
	}
	a->done = 0;
	return 0;
}

int
analysis_add_follow(struct analysis *a, const char *path, char *err, size_t errlen)
{
	if (capture_add_follow(a->cap, path, err, errlen) < 0) {
		warn_add(&a->warn, WARN_ERROR, "%s", err);
		return -1;
	}
	a->done = 0;
	return 0;
}

struct capture *
analysis_capture_rw(struct analysis *a)
{
	return a->cap;
}

void
analysis_stop(struct analysis *a)
{
	capture_stop(a->cap);
}

void
analysis_sync(struct analysis *a)
{
	hcount_sync(a->hcount);
}

int
analysis_done(const struct analysis *a)
{
	return a->done;
}

const struct capture *
analysis_capture(const struct analysis *a)
{
	return a->cap;
}

const struct flow_table *
analysis_flows(const struct analysis *a)
{
	return a->flows;
}

const struct device_table *
analysis_devices(const struct analysis *a)
{
	return a->devices;
}

const struct names *
analysis_names(const struct analysis *a)
{
	return a->names;
}

const struct overview *
analysis_overview(const struct analysis *a)
{
	return &a->ov;
}

const struct warnlist *
analysis_warnings(const struct analysis *a)
{
	return &a->warn;
}

void
analysis_warn(struct analysis *a, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	warn_add(&a->warn, WARN_WARNING, "%s", msg);
}

const struct analysis_profile *
analysis_profile(const struct analysis *a)
{
	return &a->prof;
}

const char *
analysis_stage_name(enum analysis_stage s)
{
	switch (s) {
	case STAGE_READ:	return "read";
	case STAGE_DECODE:	return "decode";
	case STAGE_FLOW:	return "flow";
	case STAGE_DEVICE:	return "device";
	case STAGE_APP:		return "app";
	case STAGE_COUNT:	break;
	}
	return "?";
}

const char *
analysis_device_vendor(struct analysis *a, const struct device *d)
{
	return d->has_mac ? oui_vendor(a->oui, d->mac) : NULL;
}

void
analysis_set_controllers(struct analysis *a, const char *const *c, size_t n)
{
	a->opts.controllers = c;
	a->opts.ncontrollers = n;
	analysis_triage_forget(a);
}

/* A MAC as written by a user: colons or dashes, either case. */
static int
mac_spec_eq(const char *fmt, const char *spec)
{
	for (; *fmt != '\0' && *spec != '\0'; fmt++, spec++) {
		char x = *spec == '-' ? ':' : *spec;
		if (tolower((unsigned char)*fmt) != tolower((unsigned char)x))
			return 0;
	}
	return *fmt == '\0' && *spec == '\0';
}

int
analysis_controller_matches(const struct analysis *a, uint32_t id, const char *spec)
{
	const struct device *d;
	char mac[32];
	struct addr ip;

	if (id >= device_count(a->devices))
		return 0;
	d = device_get(a->devices, id);
	if (d->has_mac && mac_spec_eq(mac_fmt(d->mac, mac, sizeof mac), spec))
		return 1;
	if (addr_parse(&ip, spec) == 0)
		for (uint32_t k = 0; k < d->nips; k++)
			if (addr_cmp(&d->ips[k], &ip) == 0)
				return 1;
	return 0;
}

int
analysis_is_controller(const struct analysis *a, uint32_t id)
{
	for (size_t i = 0; i < a->opts.ncontrollers; i++)
		if (analysis_controller_matches(a, id, a->opts.controllers[i]))
			return 1;
	return 0;
}

struct geo *
analysis_geo(const struct analysis *a)
{
	return a->geo;
}

const struct secure_ports *
analysis_secure_ports(const struct analysis *a)
{
	return &a->ports;
}

const struct analysis_opts *
analysis_options(const struct analysis *a)
{
	return &a->opts;
}

const struct findex *
analysis_findex(const struct analysis *a)
{
	return a->findex;
}

int
analysis_payload(struct analysis *a, const struct pkt_ref *r, struct payload_buf *pb,
    struct span *out, char *err, size_t errlen)
{
	struct reread_src rs;
	struct cap_pkt c;
	struct pkt p;

	if (capture_reread_src(a->cap, r->input, &rs) < 0) {
		snprintf(err, errlen, "the input was not kept for reading back");
		return -1;
	}
	memset(&c, 0, sizeof c);
	if (reread_packet(&rs, r->offset, &pb->buf, &pb->cap, &c.caplen, &c.wirelen, err,
	    errlen) < 0)
		return -1;
	c.data = pb->buf;
	c.linktype = r->linktype;
	c.ts_ns = r->ts_ns;
	c.offset = r->offset;
	dissect_packet(&p, &c);
	*out = rd_span(&p.payload);
	if (out->n != r->len) {
		snprintf(err, errlen, "the packet at byte %llu changed since it was read",
		    (unsigned long long)r->offset);
		return -1;
	}
	return 0;
}

void
analysis_payload_buf_free(struct payload_buf *pb)
{
	free(pb->buf);
	pb->buf = NULL;
	pb->cap = 0;
}

const char *
analysis_oui_source(const struct analysis *a)
{
	return oui_source(a->oui);
}

const char *
analysis_ip_name(const struct analysis *a, const struct addr *ip, uint32_t device1)
{
	return names_best(a->names, ip, device1);
}

const struct findings *
analysis_findings(const struct analysis *a)
{
	return a->findings;
}

const struct patset *
analysis_patterns(const struct analysis *a)
{
	return a->patterns;
}

const struct scan_stats *
analysis_scan_stats(const struct analysis *a)
{
	static const struct scan_stats none;
	return a->scanner != NULL ? scanner_stats(a->scanner) : &none;
}

size_t
analysis_pattern_files(const struct analysis *a, const char ***paths, const int **counts)
{
	*paths = (const char **)a->patfiles;
	*counts = a->patcounts;
	return a->npatfiles;
}

uint32_t
analysis_device_findings(struct analysis *a, uint32_t id)
{
	size_t n = findings_count(a->findings), nd = device_count(a->devices);

	if (a->devfind == NULL || a->devfind_at != n || a->devfind_len != nd) {
		free(a->devfind);
		a->devfind = xcalloc(nd + 1, sizeof *a->devfind);
		a->devfind_len = nd;
		a->devfind_at = n;
		for (size_t i = 0; i < n; i++) {
			const struct finding *fd = findings_get(a->findings, i);
			struct find_ends e;
			if (analysis_finding_ends(a, fd, &e) < 0)
				continue;
			uint32_t d1 = e.dev[fd->dir] != 0 ? e.dev[fd->dir] : e.dev[!fd->dir];
			if (d1 != 0 && d1 - 1 < nd)
				a->devfind[d1 - 1]++;
		}
	}
	return id < nd ? a->devfind[id] : 0;
}
