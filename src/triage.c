/*
 * triage.c — a flow's cleartext triage (see triage.h), and the tables built from it over the
 * flows held and the folded flows' totals (fold.h).
 */
#include "config.h"

#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis-int.h"
#include "fold.h"
#include "ports.h"
#include "quic.h"
#include "triage.h"
#include "xalloc.h"

const char *
channel_name(enum channel c)
{
	switch (c) {
	case CH_DEVICE_CLOUD:	return "device-to-cloud";
	case CH_APP_CLOUD:	return "app-to-cloud";
	case CH_APP_DEVICE:	return "app-to-device";
	case CH_LOCAL:		return "local";
	case CH_OTHER:		return "other";
	case CH_COUNT:		break;
	}
	return "?";
}

/*
 * The channel between the devices (id + 1, 0 for none) of a flow's two sides; remote is the
 * address of the side without a device, when one has none.  Symmetric in the sides, so a
 * folded device side (fold.h) gets the channel its flows had.
 */
static enum channel
channel_of(struct analysis *a, uint32_t dev0, uint32_t dev1, const struct addr *remote)
{
	int ctl0 = dev0 != 0 && analysis_is_controller(a, dev0 - 1);
	int ctl1 = dev1 != 0 && analysis_is_controller(a, dev1 - 1);

	if (dev0 != 0 && dev1 != 0) {
		/* The gateway is infrastructure (DNS, DHCP), not a device the app controls. */
		const struct device_table *dt = analysis_devices(a);
		int gw = device_is_gateway(device_get(dt, dev0 - 1)) ||
		    device_is_gateway(device_get(dt, dev1 - 1));
		return (ctl0 || ctl1) && !gw ? CH_APP_DEVICE : CH_LOCAL;
	}
	if (dev0 == 0 && dev1 == 0)
		return CH_OTHER;
	if (addr_classify(remote) != ADDR_PUBLIC)
		return CH_LOCAL;
	return ctl0 || ctl1 ? CH_APP_CLOUD : CH_DEVICE_CLOUD;
}

static enum channel
channel(struct analysis *a, const struct flow *f)
{
	return channel_of(a, f->dev[0], f->dev[1], f->dev[0] != 0 ? &f->key.b : &f->key.a);
}

const char *
triage_proto(const struct flow_triage *t, char *buf, size_t len)
{
	const char *p = app_proto_name((enum app_proto)t->app.proto);
	if (p == NULL)
		return NULL;
	if (t->app.proto == AP_TLS && t->app.over_tls == AP_MQTT)
		p = "MQTT/TLS";
	const char *qv = quic_code_name(t->app.quic_ver);
	if (t->app.proto == AP_QUIC && qv != NULL) {
		/* "QUIC v1 (TLS 1.3)": an opened Initial's version, the TLS its Hello offered. */
		const char *tv = tls_version_name(t->app.tls_offered);
		snprintf(buf, len, "QUIC %s%s%s%s", qv, tv != NULL ? " (" : "",
		    tv != NULL ? tv : "", tv != NULL ? ")" : "");
		return buf;
	}
	snprintf(buf, len, "%s%s", p, t->guessed ? "?" : "");
	return buf;
}

/*
 * What triage says of a flow without weighing its payload: protocol (guessed from the ports
 * when the payload said nothing), server side and port, and whether that port is a secure
 * one.  Sets those fields only: tables of every flow (the ports) need no more of a scan's
 * million empty flows.
 */
/* The server: the responder, unless only the initiator has a well-known port.  0 or 1. */
static inline int
server_side(const struct flow *f)
{
	return f->key.pb >= 1024 && f->key.pa < 1024 && f->key.pa != 0 ? 0 : 1;
}

static void
triage_head(struct analysis *a, const struct flow *f, struct flow_triage *t)
{
	int tcp = f->key.proto == IPPROTO_TCP;

	if (f->app != NULL)
		t->app = *f->app;
	else
		memset(&t->app, 0, sizeof t->app);
	t->guessed = 0;
	t->secure = NULL;
	t->server_side = server_side(f);
	t->server_port = t->server_side == 1 ? f->key.pb : f->key.pa;
	uint16_t cport = t->server_side == 1 ? f->key.pa : f->key.pb;
	if (f->key.proto == IPPROTO_TCP || f->key.proto == IPPROTO_UDP) {
		detect_guess(&t->app, tcp, cport, t->server_port);
		t->guessed = t->app.guessed;
		t->secure = ports_find(&a->ports, t->server_port, tcp);
	}
	if (t->app.proto == AP_TLS && (t->server_port == 8883 || (t->app.alpn != NULL &&
	    strstr(t->app.alpn, "mqtt") != NULL)))
		t->app.over_tls = AP_MQTT;
}

/* The costly part of triage: the figures and verdict of each direction's payload. */
static void
triage_weigh(struct analysis *a, const struct flow *f, struct ent_figures e[2],
    enum verdict v[2])
{
	struct verdict_opts vo = { a->opts.threshold, a->opts.min_bytes };

	for (int d = 0; d < 2; d++) {
		/* Added up in a table on the stack: reports triage every flow. */
		uint64_t cold[256];
		struct hist h;
		hist_init(&h);
		if (f->ext != NULL) {
			memset(cold, 0, sizeof cold);
			h.cold = cold;
			flow_hist_add(&h, f, d);
		}
		entropy_figures(&h, &e[d]);
		v[d] = verdict_of(&e[d], &h, f->app, d, &vo);
	}
}

/* The rest, from the figures and verdicts in t: cheap enough to do at every call. */
static void
triage_finish(struct analysis *a, const struct flow *f, struct flow_triage *t)
{
	struct verdict_opts vo = { a->opts.threshold, a->opts.min_bytes };

	triage_head(a, f, t);
	t->tls[0] = '\0';
	uint16_t v = t->app.tls_version != 0 ? t->app.tls_version : t->app.tls_offered;
	if (tls_version_name(v) != NULL)
		snprintf(t->tls, sizeof t->tls, "%s%s", tls_version_name(v),
		    t->app.tls_version == 0 ? " (offered)" : "");
	for (int d = 0; d < 2; d++)
		t->fixed[d] = verdict_fixed(&t->e[d], &vo);
	t->mismatch = NULL;
	if (!t->guessed && t->app.proto != AP_NONE) {
		int enc = detect_encrypted((enum app_proto)t->app.proto);
		if (t->secure != NULL && !enc)
			t->mismatch = "cleartext on a secure port";
		else if (t->secure == NULL && (t->app.proto == AP_TLS || t->app.proto == AP_SSL2))
			t->mismatch = "TLS on a port not on the secure list";
	} else if (t->secure != NULL && (t->v[0] == V_CLEARTEXT || t->v[1] == V_CLEARTEXT))
		t->mismatch = "cleartext on a secure port";
	t->channel = channel(a, f);
}

void
triage_flow(struct analysis *a, const struct flow *f, struct flow_triage *t)
{
	memset(t, 0, sizeof *t);
	triage_weigh(a, f, t->e, t->v);
	triage_finish(a, f, t);
}

/*
 * A cache entry keeps only what costs: the figures and verdicts weighed from the payload
 * (a million payload flows kept 320 bytes each when it held the whole triage).
 */
struct triage_cache {
	uint64_t		 pkts;	/* the flow's packets when computed; 0 = never */
	double			 both;	/* entropy of both ways together; < 0: not yet asked */
	struct ent_figures	 e[2];
	uint8_t			 v[2];	/* enum verdict */
};

/* Entries sit in chunks that never move: the cache grows without copying or doubling. */
#define TRIAGE_CHUNK	1024
/* Flows to weigh below which analysis_triage_all() starts no thread. */
#define TRIAGE_PARALLEL_MIN	8192

static struct triage_cache *
entry(const struct analysis *a, uint32_t k1)
{
	return &a->triage[(k1 - 1) / TRIAGE_CHUNK][(k1 - 1) % TRIAGE_CHUNK];
}

void
analysis_triage_forget(struct analysis *a)
{
	for (size_t i = 0; i < a->ntriage; i++)
		entry(a, (uint32_t)i + 1)->pkts = 0;
	a->triage_gen++;
}

uint64_t
analysis_triage_version(const struct analysis *a)
{
	/* Packets analysed change flows; forgetting changes the settings behind them. */
	return analysis_overview(a)->packets * 2654435761u + a->triage_gen;
}

void
analysis_triage_drop(struct analysis *a, uint32_t id)
{
	if (id >= a->ntriage_ix || a->triage_ix[id] == 0)
		return;
	uint32_t k1 = a->triage_ix[id];
	a->triage_ix[id] = 0;
	entry(a, k1)->pkts = 0;
	if (a->ntriage_free == a->ctriage_free) {
		a->ctriage_free = a->ctriage_free != 0 ? 2 * a->ctriage_free : 64;
		a->triage_free = xreallocarray(a->triage_free, a->ctriage_free,
		    sizeof *a->triage_free);
	}
	a->triage_free[a->ntriage_free++] = k1;
}

size_t
analysis_triage_bytes(size_t nflows)
{
	return nflows * (sizeof(struct triage_cache) + sizeof(uint32_t));
}

size_t
analysis_triage_held(const struct analysis *a)
{
	return a->ntriage_chunks * (TRIAGE_CHUNK * sizeof(struct triage_cache) + sizeof(void *)) +
	    a->ntriage_ix * sizeof(uint32_t) + a->ctriage_free * sizeof(uint32_t);
}

void
analysis_triage_free(struct analysis *a)
{
	for (size_t i = 0; i < a->ntriage_chunks; i++)
		free(a->triage[i]);
	free(a->triage);
	free(a->triage_ix);
	free(a->triage_free);
	free(a->clog);
}

/* Room for every id the table has, and an eighth more (asked after the analysis, by the
 * reports, this is one allocation of the size needed). */
static size_t
room(const struct analysis *a, size_t need)
{
	size_t slots = flow_slots(analysis_flows(a));
	size_t n = slots + slots / 8 + 64;
	return n < need ? need : n;
}

/* The flow's cache entry, made when new (then never weighed: pkts 0). */
static struct triage_cache *
entry_of(struct analysis *a, const struct flow *f)
{
	if (f->id >= a->ntriage_ix) {
		size_t n = room(a, (size_t)f->id + 1);
		a->triage_ix = xreallocarray(a->triage_ix, n, sizeof *a->triage_ix);
		memset(a->triage_ix + a->ntriage_ix, 0, (n - a->ntriage_ix) * sizeof *a->triage_ix);
		a->ntriage_ix = n;
	}
	uint32_t k1 = a->triage_ix[f->id];
	if (k1 == 0) {
		if (a->ntriage_free > 0)
			k1 = a->triage_free[--a->ntriage_free];
		else {
			if (a->ntriage == a->ntriage_chunks * TRIAGE_CHUNK) {
				a->triage = xreallocarray(a->triage, a->ntriage_chunks + 1,
				    sizeof *a->triage);
				a->triage[a->ntriage_chunks++] = xmalloc(TRIAGE_CHUNK *
				    sizeof **a->triage);
			}
			k1 = (uint32_t)++a->ntriage;
		}
		a->triage_ix[f->id] = k1;
		entry(a, k1)->pkts = 0;
	}
	return entry(a, k1);
}

/* Weighs c again if the flow has gained packets since it was. */
static void
weigh_entry(struct analysis *a, const struct flow *f, struct triage_cache *c)
{
	uint64_t pkts = f->pkts[0] + f->pkts[1];

	if (c->pkts != pkts) {
		enum verdict v[2];
		triage_weigh(a, f, c->e, v);
		c->v[0] = (uint8_t)v[0];
		c->v[1] = (uint8_t)v[1];
		c->pkts = pkts;
		c->both = -1;
	}
}

/* The flow's cache entry, weighed now if the flow has gained packets since. */
static struct triage_cache *
cached(struct analysis *a, const struct flow *f)
{
	struct triage_cache *c = entry_of(a, f);
	weigh_entry(a, f, c);
	return c;
}

static int
has_payload(const struct flow *f)
{
	return flow_held(f) && (f->payload_cap[0] != 0 || f->payload_cap[1] != 0);
}

/* Flows [from, to) of the table weighed into their entries, which exist. */
struct weigh_job {
	struct analysis	*a;
	size_t		 from, to;
};

static void *
weigh_range(void *p)
{
	const struct weigh_job *j = p;
	const struct flow_table *ft = analysis_flows(j->a);

	for (size_t i = j->from; i < j->to; i++) {
		const struct flow *f = flow_get(ft, i);
		if (has_payload(f))
			weigh_entry(j->a, f, entry(j->a, j->a->triage_ix[f->id]));
	}
	return NULL;
}

void
analysis_triage_all(struct analysis *a)
{
	const struct flow_table *ft = analysis_flows(a);
	size_t n = flow_slots(ft), todo = 0;

	/* The entries are made here, in one thread: the workers only fill their own. */
	for (size_t i = 0; i < n; i++) {
		const struct flow *f = flow_get(ft, i);
		if (has_payload(f)) {
			struct triage_cache *c = entry_of(a, f);
			todo += c->pkts != f->pkts[0] + f->pkts[1];
		}
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = todo < TRIAGE_PARALLEL_MIN || cpus < 2 ? 1 : cpus > 4 ? 4 : (size_t)cpus;
	pthread_t th[4];
	struct weigh_job job[4];
	size_t started = 0;
	for (size_t k = 0; k < nt; k++)
		job[k] = (struct weigh_job){ a, n * k / nt, n * (k + 1) / nt };
	for (size_t k = 1; k < nt && pthread_create(&th[k - 1], NULL, weigh_range, &job[k]) == 0;
	    k++)
		started++;
	weigh_range(&job[0]);
	for (size_t k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	/* The ranges of workers that could not start, if any. */
	for (size_t k = started + 1; k < nt; k++)
		weigh_range(&job[k]);
}

const struct flow_triage *
analysis_triage(struct analysis *a, const struct flow *f)
{
	analysis_triage_to(a, f, &a->triage_scratch);
	return &a->triage_scratch;
}

void
analysis_triage_to(struct analysis *a, const struct flow *f, struct flow_triage *t)
{
	/*
	 * A flow without payload has no histogram to weigh: triaged again each time, at the
	 * cost of a few comparisons, it costs no cache entry (a scan's million flows).
	 */
	if (f->payload_cap[0] == 0 && f->payload_cap[1] == 0) {
		triage_flow(a, f, t);
		return;
	}
	const struct triage_cache *c = cached(a, f);
	memcpy(t->e, c->e, sizeof t->e);
	t->v[0] = (enum verdict)c->v[0];
	t->v[1] = (enum verdict)c->v[1];
	triage_finish(a, f, t);
}

double
analysis_flow_entropy(struct analysis *a, const struct flow *f, uint64_t *n)
{
	*n = 0;
	if ((f->payload_cap[0] == 0 && f->payload_cap[1] == 0) || f->ext == NULL)
		return 0;
	struct triage_cache *c = cached(a, f);
	*n = c->e[0].n + c->e[1].n;
	if (c->both < 0) {
		if (a->clog == NULL) {
			a->clog = xmalloc(CLOG_N * sizeof *a->clog);
			a->clog[0] = 0;
			for (size_t k = 1; k < CLOG_N; k++)
				a->clog[k] = (double)k * log2((double)k);
		}
		uint64_t cnt[256] = { 0 };
		c->both = entropy_of_counts64_tab(cnt, flow_counts(f, cnt), a->clog, CLOG_N);
	}
	return c->both;
}

const char *
triage_label(const struct flow *f, const struct flow_triage *t, char *buf, size_t len)
{
	char pb[32];

	if (triage_proto(t, pb, sizeof pb) != NULL) {
		if (t->tls[0] != '\0' && t->app.tls_version != 0)
			snprintf(buf, len, "%s %s", pb, t->tls + 4);
		else
			snprintf(buf, len, "%s", pb);
		return buf;
	}
	if (f->key.proto != IPPROTO_TCP && f->key.proto != IPPROTO_UDP) {
		/* ICMP and the like */
		snprintf(buf, len, "%s", flow_proto_name(f->key.proto, pb, sizeof pb));
		return buf;
	}
	return NULL;
}

int
triage_set_has(const char *set, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = set; (p = strstr(p, word)) != NULL; p += n)
		if ((p == set || p[-2] == ',') && (p[n] == '\0' || p[n] == ','))
			return 1;
	return 0;
}

void
triage_set_add(char *set, size_t len, const char *word)
{
	size_t n = strlen(word), o = strlen(set);
	if (triage_set_has(set, word))
		return;
	if (o + n + 3 < len)
		snprintf(set + o, len - o, "%s%s", o > 0 ? ", " : "", word);
}

void
triage_set_merge(char *set, size_t len, const char *from)
{
	char word[160];

	while (*from != '\0') {
		const char *e = strstr(from, ", ");
		size_t n = e != NULL ? (size_t)(e - from) : strlen(from);
		if (n < sizeof word) {
			memcpy(word, from, n);
			word[n] = '\0';
			triage_set_add(set, len, word);
		}
		from += n;
		if (*from != '\0')
			from += 2;
	}
}

static int
cmp_ports(const void *x, const void *y)
{
	const struct port_stat *a = x, *b = y;
	if (a->flows != b->flows)
		return a->flows > b->flows ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return a->transport - b->transport;
}

/* The row of a server port, made when new; idx maps [UDP][port] to row + 1. */
static struct port_stat *
port_row(struct analysis *a, struct port_stat **v, size_t *n, size_t *cap, uint32_t *idx,
    uint16_t port, uint8_t transport)
{
	uint32_t *slot = &idx[(transport == IPPROTO_UDP) * 65536 + port];

	if (*slot == 0) {
		if (*n == *cap) {
			*cap = *cap != 0 ? *cap + *cap / 2 : 64;	/* rows are large */
			*v = xreallocarray(*v, *cap, sizeof **v);
		}
		struct port_stat *r = &(*v)[*n];
		memset(r, 0, sizeof *r);
		r->port = port;
		r->transport = transport;
		r->secure = ports_find(&a->ports, port, transport == IPPROTO_TCP) != NULL;
		*slot = (uint32_t)++*n;
	}
	return &(*v)[*slot - 1];
}

size_t
triage_ports(struct analysis *a, struct port_stat **out)
{
	const struct flow_table *ft = analysis_flows(a);
	const struct fold *fo = analysis_fold(a);
	struct port_stat *v = NULL;
	size_t n = 0, cap = 0;
	uint32_t *idx = xcalloc(2 * 65536, sizeof *idx);
	/* Per row the protocol last added: a scan's flows to one port add the same word. */
	uint32_t *last = xcalloc(2 * 65536, sizeof *last);
	struct flow_triage head;
	char pb[32];

	const size_t nslots = flow_slots(ft);
	for (size_t i = 0; i < nslots; i++) {
		/*
		 * A scan's flows land on rows at random, a cache miss each (a million flows took a
		 * quarter of a second): the row of a flow a few ahead is fetched meanwhile.
		 */
		if (i + 8 < nslots) {
			const struct flow *g = flow_get(ft, i + 8);
			uint32_t k = (g->key.proto == IPPROTO_UDP) * 65536 +
			    (server_side(g) == 1 ? g->key.pb : g->key.pa);
			if (idx[k] != 0)
				__builtin_prefetch(&v[idx[k] - 1], 1);
			__builtin_prefetch(&last[k], 1);
			__builtin_prefetch(flow_get(ft, i + 16));
		}
		const struct flow *f = flow_get(ft, i);
		if (!flow_held(f) || (f->key.proto != IPPROTO_TCP && f->key.proto != IPPROTO_UDP))
			continue;
		/* No figures: a port's row needs the protocol and server port only. */
		const struct flow_triage *t = &head;
		triage_head(a, f, &head);
		struct port_stat *r = port_row(a, &v, &n, &cap, idx, t->server_port,
		    f->key.proto);
		r->flows++;
		r->packets += f->pkts[0] + f->pkts[1];
		r->bytes += f->bytes[0] + f->bytes[1];
		uint32_t word = 1 + (t->app.proto | (uint32_t)t->app.over_tls << 8 |
		    (uint32_t)(t->guessed != 0) << 16 | (uint32_t)t->app.quic_ver << 17 |
		    (uint32_t)(t->app.tls_offered & 0x0f) << 25);
		uint32_t *seen = &last[(f->key.proto == IPPROTO_UDP) * 65536 + t->server_port];
		if (*seen != word && triage_proto(t, pb, sizeof pb) != NULL)
			triage_set_add(r->protos, sizeof r->protos, pb);
		*seen = word;
	}
	free(last);
	for (size_t i = 0; i < fold_nports(fo); i++) {
		const struct fold_port *p = fold_port(fo, i);
		struct port_stat *r = port_row(a, &v, &n, &cap, idx, p->port, p->transport);
		r->flows += p->flows;
		r->packets += p->packets;
		r->bytes += p->bytes;
		triage_set_merge(r->protos, sizeof r->protos, p->protos);
	}
	free(idx);
	if (n > 0)
		qsort(v, n, sizeof *v, cmp_ports);
	*out = v;
	return n;
}

const char *
triage_verdict_set(unsigned verdicts, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	/* Unknown (too few bytes) last: it says least. */
	for (int i = 1; i <= V_COUNT; i++) {
		int v = i % V_COUNT;
		if (verdicts & (1u << v) && o + 1 < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o > 0 ? ", " : "",
			    verdict_name((enum verdict)v));
	}
	return o > 0 ? buf : NULL;
}

static int
cmp_table3(const void *x, const void *y)
{
	const struct table3_row *a = x, *b = y;
	if (a->device != b->device)
		return a->device < b->device ? -1 : 1;
	return (int)a->channel - (int)b->channel;
}

/* The Table 3 row of a device and channel, made when new; row maps them to index + 1. */
static struct table3_row *
t3_row(struct table3_row **v, size_t *n, int *row, uint32_t device, enum channel ch)
{
	size_t slot = (size_t)device * CH_COUNT + ch;

	if (row[slot] == 0) {
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		memset(&(*v)[*n], 0, sizeof **v);
		(*v)[*n].device = device;
		(*v)[*n].channel = ch;
		row[slot] = (int)++*n;
	}
	return &(*v)[row[slot] - 1];
}

size_t
triage_table3(struct analysis *a, struct table3_row **out)
{
	const struct flow_table *ft = analysis_flows(a);
	const struct fold *fo = analysis_fold(a);
	const struct device_table *dt = analysis_devices(a);
	size_t nd = device_count(dt), n = 0;
	struct table3_row *v = NULL;
	struct hist *h = xcalloc(nd * CH_COUNT + 1, sizeof *h);
	int *row = xcalloc(nd * CH_COUNT + 1, sizeof *row);	/* row index + 1 */
	/* What a slot's last protocol label was made of: a row's flows mostly share one. */
	uint64_t *last = xmalloc((nd * CH_COUNT + 1) * sizeof *last);
	char label[64];

	for (size_t i = 0; i < nd * CH_COUNT + 1; i++)
		last[i] = UINT64_MAX;

	for (size_t i = 0; i < flow_slots(ft); i++) {
		const struct flow *f = flow_get(ft, i);
		if (!flow_held(f))
			continue;
		const struct flow_triage *t = analysis_triage(a, f);
		for (int side = 0; side < 2; side++) {
			if (f->dev[side] == 0 || (side == 1 && f->dev[1] == f->dev[0]))
				continue;
			size_t slot = (size_t)(f->dev[side] - 1) * CH_COUNT + t->channel;
			struct table3_row *r = t3_row(&v, &n, row, f->dev[side] - 1, t->channel);
			r->flows++;
			for (int d = 0; d < 2; d++) {
				flow_hist_add(&h[slot], f, d);
				r->payload += t->e[d].n;
				if (t->e[d].n > 0)
					r->verdicts |= 1u << t->v[d];
				if (t->v[d] == V_CLEARTEXT)
					r->cleartext = 1;
				if (t->v[d] == V_CLEARTEXT || t->v[d] == V_ENCODED ||
				    t->v[d] == V_COMPRESSED)
					r->unencrypted = 1;
			}
			/* Everything triage_label reads. */
			uint64_t key = (uint64_t)t->app.proto | (uint64_t)t->app.over_tls << 8 |
			    (uint64_t)(t->guessed != 0) << 16 | (uint64_t)f->key.proto << 17 |
			    (uint64_t)t->app.tls_version << 25 | (uint64_t)(t->tls[0] != '\0') << 41 |
			    (uint64_t)t->app.quic_ver << 42 |
			    (uint64_t)(t->app.quic_ver != 0 ? t->app.tls_offered : 0) << 48;
			if (key != last[slot] && triage_label(f, t, label, sizeof label) != NULL)
				triage_set_add(r->protos, sizeof r->protos, label);
			last[slot] = key;
		}
	}
	/* Folded device sides: one record per side a flow counted on above. */
	for (size_t i = 0; i < fold_ndests(fo); i++) {
		const struct fold_dest *fd = fold_dest(fo, i);
		if (fd->dev1 - 1 >= nd)
			continue;
		enum channel ch = channel_of(a, fd->dev1, fd->peer1, &fd->remote);
		size_t slot = (size_t)(fd->dev1 - 1) * CH_COUNT + ch;
		struct table3_row *r = t3_row(&v, &n, row, fd->dev1 - 1, ch);
		r->flows += fd->flows;
		if (fd->hist != NULL) {
			hist_add(&h[slot], &fd->hist[0]);
			hist_add(&h[slot], &fd->hist[1]);
		}
		for (int k = 0; k < V_COUNT; k++) {
			if (fd->by[k] == 0)
				continue;
			r->payload += fd->by[k];
			r->verdicts |= 1u << k;
			if (k == V_CLEARTEXT)
				r->cleartext = 1;
			if (k == V_CLEARTEXT || k == V_ENCODED || k == V_COMPRESSED)
				r->unencrypted = 1;
		}
		triage_set_merge(r->protos, sizeof r->protos, fd->protos);
	}
	for (size_t d = 0; d < nd; d++)
		for (int c = 0; c < CH_COUNT; c++) {
			size_t slot = d * CH_COUNT + (size_t)c;
			if (row[slot] != 0) {
				struct ent_figures e;
				entropy_figures(&h[slot], &e);
				v[row[slot] - 1].entropy = e.entropy;
			}
			hist_fini(&h[slot]);
		}
	free(h);
	free(row);
	free(last);
	if (n > 0)
		qsort(v, n, sizeof *v, cmp_table3);
	*out = v;
	return n;
}

size_t
triage_devices(struct analysis *a, struct device_triage **out)
{
	const struct flow_table *ft = analysis_flows(a);
	const struct fold *fo = analysis_fold(a);
	size_t nd = device_count(analysis_devices(a));
	struct device_triage *v = xcalloc(nd + 1, sizeof *v);
	struct hist *h = xcalloc(2 * nd + 1, sizeof *h);	/* sent, received per device */
	char label[64];

	for (size_t i = 0; i < 2 * nd; i++)
		hist_init(&h[i]);
	for (size_t i = 0; i < flow_slots(ft); i++) {
		const struct flow *f = flow_get(ft, i);
		if (!flow_held(f))
			continue;
		const struct flow_triage *t = analysis_triage(a, f);
		for (int side = 0; side < 2; side++) {
			if (f->dev[side] == 0)
				continue;
			size_t d = f->dev[side] - 1;
			/* A flow between two addresses of one device: both ways are sent and
			 * received, but its bytes count once in the split. */
			flow_hist_add(&h[2 * d], f, side);
			flow_hist_add(&h[2 * d + 1], f, !side);
			if (side == 1 && f->dev[1] == f->dev[0])
				continue;
			for (int dir = 0; dir < 2; dir++) {
				v[d].by[t->v[dir]] += t->e[dir].n;
				v[d].all += t->e[dir].n;
			}
			if (triage_label(f, t, label, sizeof label) != NULL)
				triage_set_add(v[d].protos, sizeof v[d].protos, label);
		}
	}
	for (size_t i = 0; i < fold_ndests(fo); i++) {
		const struct fold_dest *fd = fold_dest(fo, i);
		size_t d = fd->dev1 - 1;
		if (d >= nd)
			continue;
		if (fd->hist != NULL && fd->peer1 == fd->dev1) {
			/* Both sides one device: each way was sent and received by it. */
			for (int k = 0; k < 2; k++) {
				hist_add(&h[2 * d], &fd->hist[k]);
				hist_add(&h[2 * d + 1], &fd->hist[k]);
			}
		} else if (fd->hist != NULL) {
			hist_add(&h[2 * d], &fd->hist[0]);
			hist_add(&h[2 * d + 1], &fd->hist[1]);
		}
		for (int k = 0; k < V_COUNT; k++) {
			v[d].by[k] += fd->by[k];
			v[d].all += fd->by[k];
		}
		triage_set_merge(v[d].protos, sizeof v[d].protos, fd->protos);
	}
	for (size_t d = 0; d < nd; d++) {
		entropy_figures(&h[2 * d], &v[d].sent);
		entropy_figures(&h[2 * d + 1], &v[d].received);
		hist_add(&h[2 * d], &h[2 * d + 1]);
		entropy_figures(&h[2 * d], &v[d].both);
		hist_fini(&h[2 * d]);
		hist_fini(&h[2 * d + 1]);
	}
	free(h);
	*out = v;
	return nd;
}

const char *
triage_device_summary(const struct device_triage *d, char *buf, size_t len)
{
	static const enum verdict order[] = { V_ENCRYPTED, V_CLEARTEXT, V_ENCODED, V_COMPRESSED,
	    V_UNKNOWN };
	size_t o = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < sizeof order / sizeof *order && d->all > 0; k++)
		if (d->by[order[k]] > 0 && o + 1 < len) {
			double pct = 100.0 * (double)d->by[order[k]] / (double)d->all;
			/* A share that rounds to 0% is still there: say so. */
			char p[8];
			if (pct < 0.5)
				snprintf(p, sizeof p, "<1");
			else
				snprintf(p, sizeof p, "%.0f", pct);
			o += (size_t)snprintf(buf + o, len - o, "%s%s%% %s", o > 0 ? ", " : "", p,
			    verdict_name(order[k]));
		}
	return o > 0 ? buf : NULL;
}
