/*
 * flow.c — the flow table: chunked flow storage and an open-addressing index whose slots keep
 * a hash tag beside the flow id, so most probes never touch a flow (see flow.h).
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "hash.h"
#include "pkt.h"
#include "xalloc.h"

#define CHUNK_SHIFT	10
#define CHUNK_SIZE	(1u << CHUNK_SHIFT)
#define FRAG_SLOTS	4096

struct slot {
	uint32_t	 tag;
	uint32_t	 id1;		/* flow id + 1; 0 = empty */
};

struct frag_slot {
	struct addr	 src, dst;
	uint32_t	 id;
	uint8_t		 proto;
	uint32_t	 flow1;		/* flow id + 1 */
};

struct flow_table {
	struct flow	**chunk;
	size_t		 nchunks;
	size_t		 n;
	struct slot	*slot;
	size_t		 cap;		/* power of two */
	size_t		 used;
	struct frag_slot *frag;
};

struct flow_table *
flow_table_new(void)
{
	struct flow_table *t = xcalloc(1, sizeof *t);
	t->cap = 1024;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
	t->frag = xcalloc(FRAG_SLOTS, sizeof *t->frag);
	return t;
}

void
flow_table_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		struct flow *f = flow_get(t, i);
		for (int d = 0; d < 2; d++) {
			hist_fini(&f->hist[d]);
			hist_fini(&f->hist_own[d]);
		}
		if (f->app != NULL) {
			detect_fini(f->app);
			free(f->app);
		}
	}
	for (size_t i = 0; i < t->nchunks; i++)
		free(t->chunk[i]);
	free(t->chunk);
	free(t->slot);
	free(t->frag);
	free(t);
}

size_t
flow_count(const struct flow_table *t)
{
	return t->n;
}

struct flow *
flow_get(const struct flow_table *t, size_t id)
{
	return &t->chunk[id >> CHUNK_SHIFT][id & (CHUNK_SIZE - 1)];
}

size_t
flow_table_bytes(const struct flow_table *t)
{
	return t->nchunks * CHUNK_SIZE * sizeof(struct flow) + t->cap * sizeof(struct slot) +
	    FRAG_SLOTS * sizeof(struct frag_slot);
}

/*
 * Hash of a flow's endpoints that both directions share: each endpoint is folded to one word
 * and the two are added (order does not matter), then mixed.  Cheaper than ordering the
 * endpoints and hashing a canonical key, and this runs for every packet.
 */
static inline uint64_t
endpoint_word(const struct addr *a, uint16_t port)
{
	uint64_t w0, w1;

	memcpy(&w0, a->b, 8);
	memcpy(&w1, a->b + 8, 8);
	return (w0 ^ (w1 << 32 | w1 >> 32) ^ port) * 0x9e3779b97f4a7c15ull;
}

static inline uint64_t
key_hash(const struct addr *s, uint16_t sp, const struct addr *d, uint16_t dp, uint8_t proto)
{
	return hash_mix(endpoint_word(s, sp) + endpoint_word(d, dp) + proto);
}

static inline int
addr_eq(const struct addr *x, const struct addr *y)
{
	uint64_t a0, a1, b0, b1;

	memcpy(&a0, x->b, 8);
	memcpy(&a1, x->b + 8, 8);
	memcpy(&b0, y->b, 8);
	memcpy(&b1, y->b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static void
grow(struct flow_table *t)
{
	size_t ncap = t->cap * 2;
	struct slot *ns = xcalloc(ncap, sizeof *ns);

	for (size_t i = 0; i < t->cap; i++) {
		if (t->slot[i].id1 == 0)
			continue;
		const struct flow *f = flow_get(t, t->slot[i].id1 - 1);
		uint64_t h = key_hash(&f->key.a, f->key.pa, &f->key.b, f->key.pb, f->key.proto);
		size_t j = h & (ncap - 1);
		while (ns[j].id1 != 0)
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = ns;
	t->cap = ncap;
}

static struct flow *
flow_new(struct flow_table *t, const struct pkt *p, uint16_t sp, uint16_t dp,
    int initiator_is_src)
{
	if ((t->n & (CHUNK_SIZE - 1)) == 0 && (t->n >> CHUNK_SHIFT) == t->nchunks) {
		t->chunk = xreallocarray(t->chunk, t->nchunks + 1, sizeof *t->chunk);
		/* Cache-line aligned, so each flow's hot fields stay within two lines. */
		t->chunk[t->nchunks++] = xaligned(64, CHUNK_SIZE * sizeof(struct flow));
	}
	struct flow *f = flow_get(t, t->n);
	memset(f, 0, sizeof *f);
	f->id = (uint32_t)t->n++;
	if (initiator_is_src) {
		f->key.a = p->src;
		f->key.b = p->dst;
		f->key.pa = sp;
		f->key.pb = dp;
	} else {
		f->key.a = p->dst;
		f->key.b = p->src;
		f->key.pa = dp;
		f->key.pb = sp;
	}
	f->key.proto = p->proto;
	f->key.ipver = p->ipver;
	f->first_ns = f->last_ns = p->cap->ts_ns;
	f->first_num = p->cap->num;
	f->first_input = p->cap->input;
	f->first_offset = p->cap->offset;
	return f;
}

static int
match(const struct flow *f, const struct pkt *p, uint16_t sp, uint16_t dp, int *dir)
{
	if (f->key.proto != p->proto || f->key.ipver != p->ipver)
		return 0;
	if (f->key.pa == sp && f->key.pb == dp && addr_eq(&f->key.a, &p->src) &&
	    addr_eq(&f->key.b, &p->dst)) {
		*dir = 0;
		return 1;
	}
	if (f->key.pa == dp && f->key.pb == sp && addr_eq(&f->key.a, &p->dst) &&
	    addr_eq(&f->key.b, &p->src)) {
		*dir = 1;
		return 1;
	}
	return 0;
}

/* A fresh SYN on a finished TCP connection begins a new one (port reuse). */
static int
is_new_connection(const struct flow *f, const struct pkt *p)
{
	return p->proto == IPPROTO_TCP && f->closed &&
	    (p->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN && (!f->syn_seen || f->syn_seq != p->seq);
}

static void frag_remember(struct flow_table *, const struct pkt *, const struct flow *);

static uint64_t
pkt_hash(const struct pkt *p)
{
	uint16_t sp = p->has_ports ? p->sport : 0, dp = p->has_ports ? p->dport : 0;
	return key_hash(&p->src, sp, &p->dst, dp, p->proto);
}

uint64_t
flow_prefetch(const struct flow_table *t, const struct pkt *p)
{
	uint64_t h = pkt_hash(p);
	__builtin_prefetch(&t->slot[h & (t->cap - 1)]);
	return h;
}

static struct flow *
lookup(struct flow_table *t, const struct pkt *p, uint64_t h, int *dir)
{
	uint16_t sp = p->has_ports ? p->sport : 0, dp = p->has_ports ? p->dport : 0;
	uint32_t tag = (uint32_t)(h >> 32);
	size_t j = h & (t->cap - 1);

	for (;; j = (j + 1) & (t->cap - 1)) {
		struct slot *s = &t->slot[j];
		if (s->id1 == 0)
			break;
		if (s->tag != tag)
			continue;
		struct flow *f = flow_get(t, s->id1 - 1);
		if (!match(f, p, sp, dp, dir))
			continue;
		if (!is_new_connection(f, p))
			return f;
		/* Replace the finished connection in the index; it stays in storage. */
		struct flow *nf = flow_new(t, p, sp, dp, 1);
		s->id1 = nf->id + 1;
		*dir = 0;
		return nf;
	}
	/* A SYN-ACK seen first was sent by the responder. */
	int from_responder = p->proto == IPPROTO_TCP &&
	    (p->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK);
	struct flow *f = flow_new(t, p, sp, dp, !from_responder);
	t->slot[j].tag = tag;
	t->slot[j].id1 = f->id + 1;
	*dir = from_responder;
	if (2 * ++t->used > t->cap)
		grow(t);
	return f;
}

struct flow *
flow_lookup(struct flow_table *t, const struct pkt *p, int *dir)
{
	return flow_lookup_hashed(t, p, pkt_hash(p), dir);
}

struct flow *
flow_lookup_hashed(struct flow_table *t, const struct pkt *p, uint64_t hash, int *dir)
{
	struct flow *f = lookup(t, p, hash, dir);

	/* Remember which flow the rest of this datagram belongs to. */
	if (p->frag == FRAG_FIRST)
		frag_remember(t, p, f);
	return f;
}

static size_t
frag_index(const struct pkt *p)
{
	struct {
		uint8_t s[16], d[16];
		uint32_t id, proto;
	} k;
	memcpy(k.s, p->src.b, 16);
	memcpy(k.d, p->dst.b, 16);
	k.id = p->frag_id;
	k.proto = p->proto;
	return hash_bytes(&k, sizeof k, 7) & (FRAG_SLOTS - 1);
}

static void
frag_remember(struct flow_table *t, const struct pkt *p, const struct flow *f)
{
	struct frag_slot *s = &t->frag[frag_index(p)];
	s->src = p->src;
	s->dst = p->dst;
	s->id = p->frag_id;
	s->proto = p->proto;
	s->flow1 = f->id + 1;
}

struct flow *
flow_lookup_fragment(struct flow_table *t, const struct pkt *p, int *dir)
{
	const struct frag_slot *s = &t->frag[frag_index(p)];

	if (s->flow1 == 0 || s->id != p->frag_id || s->proto != p->proto ||
	    addr_cmp(&s->src, &p->src) != 0 || addr_cmp(&s->dst, &p->dst) != 0)
		return NULL;
	struct flow *f = flow_get(t, s->flow1 - 1);
	*dir = addr_cmp(&f->key.a, &p->src) == 0 && addr_cmp(&f->key.b, &p->dst) == 0 ? 0 : 1;
	return f;
}

static const struct {
	uint8_t		 proto;
	const char	*name;
} flow_proto_names[] = {
	{ IPPROTO_TCP, "TCP" }, { IPPROTO_UDP, "UDP" }, { IPPROTO_ICMP, "ICMP" },
	{ IPPROTO_ICMPV6, "ICMPv6" }, { IPPROTO_IGMP, "IGMP" }, { IPPROTO_GRE, "GRE" },
	{ IPPROTO_ESP, "ESP" }, { IPPROTO_AH, "AH" }, { 132, "SCTP" }, { 4, "IPIP" },
	{ 41, "IPv6" }, { 59, "NoNxt" }, { 103, "PIM" }, { 112, "VRRP" },
};

/*
 * The name is written into buf even when it is a fixed one: a caller that printed buf instead
 * of the return value once put uninitialised bytes into reports for ICMP (report-geo.c).
 */
const char *
flow_proto_name(uint8_t proto, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof flow_proto_names / sizeof flow_proto_names[0]; i++) {
		if (flow_proto_names[i].proto == proto) {
			snprintf(buf, len, "%s", flow_proto_names[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "IP-%u", proto);
	return buf;
}

char *
flow_flags_str(uint8_t flags, char *buf, size_t len)
{
	static const char letters[] = "FSRPAUEC";
	size_t n = 0;

	for (int i = 0; i < 8 && n + 1 < len; i++)
		if (flags & (1u << i))
			buf[n++] = letters[i];
	buf[n] = '\0';
	return buf;
}

void
flow_hist_add(struct hist *h, const struct flow *f, int dir)
{
	hist_add(h, &f->hist[dir]);
	hist_add(h, &f->hist_own[dir]);
}

void
flow_figures(const struct flow *f, int dir, struct ent_figures *out)
{
	struct hist h;

	hist_init(&h);
	flow_hist_add(&h, f, dir);
	entropy_figures(&h, out);
	hist_fini(&h);
}

char *
flow_endpoint_str(const struct flow *f, int side, char *buf, size_t len)
{
	char ip[ADDR_STRLEN];

	addr_fmt(side == 0 ? &f->key.a : &f->key.b, ip, sizeof ip);
	snprintf(buf, len, f->key.ipver == 6 ? "[%s]:%u" : "%s:%u", ip,
	    side == 0 ? f->key.pa : f->key.pb);
	return buf;
}
