/*
 * scen-bench.c — the benchmark capture: about --size bytes in exactly --flows flows, written as
 * it is generated.  A pool of flows is kept open; each finished flow is replaced by a new one
 * until the flow count is reached, and each new TCP flow gets a payload budget from what its
 * category still has to fill, so the byte mix (~75% TLS, ~10% HTTP, ~5% MQTT, the rest a
 * proprietary binary protocol plus DNS, NTP, SSDP/mDNS and ICMP) and the total land near target.
 *
 * --truth writes "capture", "router", "device" lines as the demo does, then per category
 * "category NAME flows=N packets=P bytes=B" (B: captured bytes of the frames) and "count".
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "scen.h"
#include "xmem.h"

#define T0_NS		(1773489600ull * 1000000000ull)	/* 2026-03-14 12:00:00 UTC */
#define PCAP_REC	16				/* per-packet file overhead */

static const struct {
	const char	*name;
	uint32_t	 flow_pm;	/* per mille of flows */
	uint32_t	 byte_pm;	/* per mille of bytes, TCP categories only */
	uint32_t	 ratio_pm;	/* first guess at file bytes per 1000 payload bytes */
} cat_info[NCAT] = {
	[CAT_TLS] = { "tls", 330, 760, 1080 },
	[CAT_HTTP] = { "http", 100, 100, 1100 },
	[CAT_MQTT] = { "mqtt", 40, 50, 1500 },
	[CAT_BIN] = { "bin", 30, 88, 1150 },
	[CAT_DNS] = { "dns", 410, 0, 0 },
	[CAT_NTP] = { "ntp", 30, 0, 0 },
	[CAT_MCAST] = { "mcast", 40, 0, 0 },
	[CAT_ICMP] = { "icmp", 20, 0, 0 },
};

static uint32_t
flows_left(const struct bench *b)
{
	uint32_t n = 0;

	for (int c = 0; c < NCAT; c++)
		n += b->left[c];
	return n;
}

/* Picks the category of the next flow, weighted by what is left; lookups mostly ride along. */
static enum bench_cat
pick_cat(struct bench *b)
{
	uint32_t w[NCAT], total = 0, x;

	for (int c = 0; c < NCAT; c++) {
		w[c] = c == CAT_DNS ? b->left[c] / 4 + (flows_left(b) == b->left[c]) : b->left[c];
		total += w[c];
	}
	x = rng_below(&b->rng, total);
	for (int c = 0; c < NCAT; c++) {
		if (x < w[c])
			return (enum bench_cat)c;
		x -= w[c];
	}
	return CAT_DNS;
}

static uint64_t
ratio(const struct bench *b, int c)
{
	if (b->done_payload[c] < 4000000)
		return cat_info[c].ratio_pm;
	return (uint64_t)b->done_wire[c] * 1000 / b->done_payload[c];
}

/* A payload budget with mean m: mostly small flows, a few that carry most of the bytes. */
static uint64_t
draw_budget(struct bench *b, uint64_t m)
{
	uint32_t x = rng_below(&b->rng, 100);

	if (x < 70)
		return rng_range64(&b->rng, m / 20, m / 2);
	if (x < 95)
		return rng_range64(&b->rng, m / 2, 2 * m);
	return rng_range64(&b->rng, 2 * m, 18 * m);
}

static void
open_tcp(struct bench *b, struct flow *f, enum bench_cat c, uint64_t now)
{
	struct bench_flow *bf = xcalloc(1, sizeof *bf);
	struct bench_dev *d = bench_pick_dev(b);
	enum bench_role role = ROLE_WEB;
	struct tcpflow *t = &f->tcp;
	int64_t rem;
	uint64_t mean;
	uint16_t port = 443;
	int v6;

	bf->b = b;
	bf->cat = c;
	bf->dev = d;
	switch (c) {
	case CAT_TLS:
		if (rng_pct(&b->rng, 22)) {
			role = ROLE_MQTT;
			port = 8883;
		} else {
			uint32_t x = rng_below(&b->rng, 100);

			port = x < 92 ? 443 : x < 96 ? 8443 : 5223;
		}
		bf->v13 = rng_pct(&b->rng, 70);
		break;
	case CAT_HTTP:
		port = rng_pct(&b->rng, 85) ? 80 : 8080;
		break;
	case CAT_MQTT:
		role = ROLE_MQTT;
		port = 1883;
		break;
	default:
		role = ROLE_BIN;
		port = 8886;	/* no common analyser claims it */
		break;
	}
	bf->srv = bench_pick_srv(b, role);

	/*
	 * Spend what the category has left: a draw around the mean per remaining flow, never
	 * more than all of it, and all of it for the category's last flow.
	 */
	rem = b->target_wire[c] - b->done_wire[c] - b->committed[c];
	rem = rem > 0 ? (int64_t)((uint64_t)rem * 1000 / ratio(b, c)) : 0;
	mean = (uint64_t)rem / b->left[c];
	bf->planned = b->left[c] == 1 ? (uint64_t)rem : draw_budget(b, mean);
	if (bf->planned > (uint64_t)rem)
		bf->planned = (uint64_t)rem;
	bf->budget = (int64_t)bf->planned;
	bf->est_wire = (int64_t)(bf->planned * ratio(b, c) / 1000);
	b->committed[c] += bf->est_wire;
	if (c == CAT_TLS && bf->planned > 400000) {
		uint32_t x = rng_below(&b->rng, 100);

		/* Streams of small records only up to a size a session really reaches. */
		bf->style = x < 45 && bf->planned < 64000000 ? 3 : x < 85 ? 1 : 2;
	}
	else if (c == CAT_BIN && bf->planned > 150000)
		bf->style = 1;

	if (b->left[CAT_DNS] > 0 && rng_pct(&b->rng, 60)) {
		bench_dns(b, f, 0, d, bf->srv);
		bf->prelude = 1;
		b->left[CAT_DNS]--;
		b->stat[CAT_DNS].flows++;
		b->opened++;
	}

	v6 = d->has6 && bf->srv->has6 && rng_pct(&b->rng, 70);
	tcpflow_init(t, &b->rng, &b->pool, v6, d->ts_opt, bench_tcp_next, bf);
	t->end[0] = bench_ep_dev(b, d, v6, bench_port(d));
	t->end[1] = bench_ep_srv(b, bf->srv, v6, port);
	t->ack_every = rng_pct(&b->rng, 80) ? 1 : 2;
	t->closer = c == CAT_HTTP ? !rng_pct(&b->rng, 70) : c == CAT_BIN ? rng_pct(&b->rng, 50) : 0;
	f->has_tcp = 1;
	f->tcp_delay_ns = rng_range64(&b->rng, 200000, 3000000);
	f->user = bf;
	(void)now;
}

static void
open_flow(struct bench *b, uint64_t start)
{
	struct flow *f = flow_new();
	enum bench_cat c = pick_cat(b);
	struct bench_dev *d;

	f->tag = c;
	switch (c) {
	case CAT_TLS:
	case CAT_HTTP:
	case CAT_MQTT:
	case CAT_BIN:
		open_tcp(b, f, c, start);
		break;
	case CAT_DNS:
		d = bench_pick_dev(b);
		bench_dns(b, f, 0, d, bench_pick_srv(b, rng_pct(&b->rng, 85) ? ROLE_WEB :
		    ROLE_MQTT));
		break;
	case CAT_NTP:
		bench_ntp(b, f, bench_pick_dev(b), start);
		break;
	case CAT_MCAST:
		bench_mcast(b, f, bench_pick_dev(b));
		break;
	default:
		bench_icmp(b, f, bench_pick_dev(b));
		break;
	}
	b->left[c]--;
	b->stat[c].flows++;
	b->opened++;
	b->active++;
	sched_add(&b->sched, f, start);
}

static void
bench_done(void *ctx, struct sched *s, struct flow *f, uint64_t now)
{
	struct bench *b = ctx;
	struct bench_flow *bf = f->user;
	int c = f->tag;
	uint64_t file = f->wire_bytes + PCAP_REC * f->packets;

	(void)s;
	if (bf != NULL) {
		uint64_t pre = 0, prepk = 0;

		if (bf->prelude) {
			prepk = f->nfr;
			pre = f->fbuf_len + PCAP_REC * prepk;
			b->stat[CAT_DNS].packets += prepk;
			b->stat[CAT_DNS].wire += f->fbuf_len;
		}
		b->committed[c] -= bf->est_wire;
		b->done_wire[c] += (int64_t)(file - pre);
		b->done_payload[c] += (uint64_t)((int64_t)bf->planned - bf->budget);
		b->stat[c].packets += f->packets - prepk;
		b->stat[c].wire += f->wire_bytes - (pre - PCAP_REC * prepk);
		free(bf);
	} else {
		b->stat[c].packets += f->packets;
		b->stat[c].wire += f->wire_bytes;
	}
	flow_free(f);
	b->active--;
	while (b->active < b->pool_target && flows_left(b) > 0)
		open_flow(b, now + rng_range64(&b->rng, 50000, 20000000));
}

static void
bench_truth(struct bench *b, const struct gen_opts *o, FILE *t, uint64_t packets)
{
	fprintf(t, "# gen-capture bench ground truth; layout in tests/gen/scen-bench.c\n");
	fprintf(t, "capture\tscenario=bench\tstart=2026-03-14T12:00:00Z\tseed=%" PRIu64
	    "\tsize=%" PRIu64 "\tflows=%" PRIu32 "\tlink=%s\tformat=%s\n", o->seed, o->size,
	    o->flows, o->link_name, o->fmt_name);
	fprintf(t, "router\tmac=%02x:%02x:%02x:%02x:%02x:%02x\tip=192.168.178.1\n",
	    b->router_mac[0], b->router_mac[1], b->router_mac[2], b->router_mac[3],
	    b->router_mac[4], b->router_mac[5]);
	for (int i = 0; i < BENCH_NDEV; i++) {
		const struct bench_dev *d = &b->dev[i];

		fprintf(t, "device\t%s-%02x%02x\tmac=%02x:%02x:%02x:%02x:%02x:%02x"
		    "\tip=%u.%u.%u.%u\n", d->kind, d->mac[4], d->mac[5], d->mac[0], d->mac[1],
		    d->mac[2], d->mac[3], d->mac[4], d->mac[5], d->ip[0], d->ip[1], d->ip[2],
		    d->ip[3]);
	}
	for (int c = 0; c < NCAT; c++)
		fprintf(t, "category\t%s\tflows=%" PRIu64 "\tpackets=%" PRIu64 "\tbytes=%" PRIu64
		    "\n", cat_info[c].name, b->stat[c].flows, b->stat[c].packets,
		    b->stat[c].wire);
	fprintf(t, "count\tpackets=%" PRIu64 "\tflows=%" PRIu64 "\n", packets, b->opened);
}

int
scen_bench(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	struct bench *b = xcalloc(1, sizeof *b);
	uint32_t assigned = 0;
	int rc;

	rng_seed(&b->rng, o->seed, 2);
	pool_init(&b->pool, 16u << 20, o->seed);
	bench_net_init(b);
	for (int c = 0; c < NCAT; c++) {
		b->left[c] = (uint32_t)((uint64_t)o->flows * cat_info[c].flow_pm / 1000);
		assigned += b->left[c];
		b->target_wire[c] = (int64_t)(o->size / 1000 * cat_info[c].byte_pm);
	}
	b->left[CAT_TLS] += o->flows - assigned;
	b->pool_target = o->flows / 25;
	if (b->pool_target < 8)
		b->pool_target = 8;
	if (b->pool_target > 400)
		b->pool_target = 400;

	if (sink_open(&b->sink, out, o->fmt, o->link, b->router_mac, o->snaplen) != 0) {
		free(b->srv);
		pool_fini(&b->pool);
		free(b);
		return -1;
	}
	sched_init(&b->sched, &b->sink);
	while (b->active < b->pool_target && flows_left(b) > 0)
		open_flow(b, T0_NS + rng_range64(&b->rng, 0, 500000000));

	rc = sched_run(&b->sched, bench_done, b);
	st->packets = b->sink.w.packets;
	st->flows = b->opened;
	st->first_ns = T0_NS;
	st->last_ns = b->sched.last_ts;
	if (sink_close(&b->sink) != 0)
		rc = -1;
	st->file_bytes = b->sink.w.file_bytes;
	if (truth != NULL)
		bench_truth(b, o, truth, st->packets);
	if (o->verbose) {
		for (int c = 0; c < NCAT; c++)
			fprintf(stderr, "gen-capture: %-5s %7" PRIu64 " flows %9" PRIu64
			    " packets %12" PRIu64 " bytes (%4.1f%%)\n", cat_info[c].name,
			    b->stat[c].flows, b->stat[c].packets, b->stat[c].wire,
			    100.0 * (double)b->stat[c].wire / (double)(st->file_bytes + 1));
	}
	sched_fini(&b->sched);
	free(b->srv);
	pool_fini(&b->pool);
	free(b);
	return rc;
}
