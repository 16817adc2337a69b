/*
 * flow.c — the flow table: chunked flow storage with a stack of free slots, an open-addressing
 * index whose slots keep a hash tag beside the flow id, so most probes never touch a flow, and
 * the clock that picks the flow to take out under a memory limit (see flow.h).
 */
#include "config.h"

#include <sys/mman.h>

#include <netinet/in.h>
#include <stdint.h>
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

/*
 * Past the first SMALL_CHUNKS, chunks are carved from arenas of ARENA_CHUNKS aligned to 2 MiB
 * and advised as transparent huge pages: a flood of a million flows otherwise takes a page
 * fault every 21 flows, a fifth of its analysis time.  Small captures keep small chunks.
 */
#define SMALL_CHUNKS	32
#define ARENA_CHUNKS	32
#define ARENA_BYTES	((size_t)ARENA_CHUNKS * CHUNK_SIZE * sizeof(struct flow))
#define HUGE_PAGE	((size_t)2 << 20)

/*
 * The tag is the hash's high half, and a flow's home slot is the tag's low bits: so moving
 * entries (growth, deletion) needs no flow read, and a probe compares the tag's other bits
 * before touching one (ids fit 32 bits, so the table never has more than 2^32 slots).
 */
struct slot {
	uint32_t	 tag;
	uint32_t	 id1;		/* flow id + 1; 0 = empty */
};

static inline size_t
home(uint64_t h, size_t cap)
{
	return (size_t)(h >> 32) & (cap - 1);
}

struct frag_slot {
	struct addr	 src, dst;
	uint32_t	 id;
	uint8_t		 proto;
	uint32_t	 flow1;		/* flow id + 1 */
};

struct flow_table {
	struct flow	**chunk;
	size_t		 nchunks;
	void		**arena;	/* per run of ARENA_CHUNKS: mmap'd, or NULL */
	size_t		 narenas;
	size_t		 n;		/* slots ever used: ids are below it */
	size_t		 held;		/* flows in them now */
	uint32_t	*freev;		/* free slots (a stack: the last freed is reused first) */
	size_t		 nfree, freecap;
	size_t		 hand;		/* the clock's next slot */
	struct slot	*slot;
	size_t		 cap;		/* power of two */
	size_t		 used;
	struct frag_slot *frag;
	uint64_t	 key[4];	/* the index's random key */
	size_t		 next;		/* flow extensions allocated */
};

struct flow_table *
flow_table_new(void)
{
	struct flow_table *t = xcalloc(1, sizeof *t);
	t->cap = 1024;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
	t->frag = xcalloc(FRAG_SLOTS, sizeof *t->frag);
	hash_random_key(t->key, 4);
	return t;
}

/* ARENA_BYTES of zeroes aligned to a huge page, or NULL. */
static void *
arena_map(void)
{
	size_t len = ARENA_BYTES + HUGE_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	size_t head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (head > 0)
		munmap(p, head);
	if (HUGE_PAGE - head > 0)
		munmap(p + head + ARENA_BYTES, HUGE_PAGE - head);
#ifdef MADV_HUGEPAGE
	(void)madvise(p + head, ARENA_BYTES, MADV_HUGEPAGE);	/* advice only: may be off */
#endif
	return p + head;
}

static struct flow *
chunk_new(struct flow_table *t, size_t i)
{
	if (i < SMALL_CHUNKS)
		/* Cache-line aligned, so each flow's hot fields stay within two lines. */
		return xaligned(64, CHUNK_SIZE * sizeof(struct flow));
	size_t k = i - SMALL_CHUNKS, run = k / ARENA_CHUNKS;
	if (k % ARENA_CHUNKS == 0) {
		t->arena = xreallocarray(t->arena, run + 1, sizeof *t->arena);
		t->arena[run] = arena_map();
		t->narenas = run + 1;
	}
	if (t->arena[run] == NULL)	/* not mapped: ordinary chunks for this run */
		return xaligned(64, CHUNK_SIZE * sizeof(struct flow));
	return (struct flow *)((char *)t->arena[run] +
	    k % ARENA_CHUNKS * CHUNK_SIZE * sizeof(struct flow));
}

static void
flow_fini(struct flow_table *t, struct flow *f)
{
	if (f->ext != NULL) {
		for (int d = 0; d < 2; d++) {
			hist_fini(&f->ext->hist[d]);
			if (f->ext->own != NULL)
				hist_fini(&f->ext->own[d]);
		}
		free(f->ext->own);
		free(f->ext);
		f->ext = NULL;
		t->next--;
	}
	if (f->app != NULL) {
		detect_fini(f->app);
		free(f->app);
	}
}

void
flow_table_free(struct flow_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		flow_fini(t, flow_get(t, i));
	for (size_t i = 0; i < t->nchunks; i++)
		if (i < SMALL_CHUNKS || t->arena[(i - SMALL_CHUNKS) / ARENA_CHUNKS] == NULL)
			free(t->chunk[i]);
	for (size_t i = 0; i < t->narenas; i++)
		if (t->arena[i] != NULL)
			munmap(t->arena[i], ARENA_BYTES);
	free(t->arena);
	free(t->chunk);
	free(t->slot);
	free(t->frag);
	free(t->freev);
	free(t);
}

size_t
flow_count(const struct flow_table *t)
{
	return t->held;
}

size_t
flow_slots(const struct flow_table *t)
{
	return t->n;
}

struct flow *
flow_get(const struct flow_table *t, size_t id)
{
	return &t->chunk[id >> CHUNK_SHIFT][id & (CHUNK_SIZE - 1)];
}

size_t
flow_capacity(const struct flow_table *t)
{
	return t->nchunks * CHUNK_SIZE;
}

size_t
flow_table_bytes(const struct flow_table *t)
{
	return t->nchunks * CHUNK_SIZE * sizeof(struct flow) + t->cap * sizeof(struct slot) +
	    FRAG_SLOTS * sizeof(struct frag_slot) + t->freecap * sizeof *t->freev +
	    t->next * (sizeof(struct flow_ext) + 16);	/* and the allocator's header */
}

/*
 * Hash of a flow's endpoints that both directions share: each endpoint is folded to one word
 * and the two are added (order does not matter), then mixed.  Cheaper than ordering the
 * endpoints and hashing a canonical key, and this runs for every packet.  Each endpoint's word
 * is keyed: the address through one keyed multiply, the port through a second one on top, so
 * no choice of addresses and ports gives equal words without knowing the key (a port merely
 * XORed in could be cancelled by the address bits beside it).
 */
static inline uint64_t
endpoint_word(const struct flow_table *t, const struct addr *a, uint16_t port)
{
	uint64_t w0, w1;

	memcpy(&w0, a->b, 8);
	memcpy(&w1, a->b + 8, 8);
	return hash_mum(hash_mum(w0 ^ t->key[0], w1 ^ t->key[1]) ^ port ^ t->key[2], t->key[3]);
}

static inline uint64_t
key_hash(const struct flow_table *t, const struct addr *s, uint16_t sp, const struct addr *d,
    uint16_t dp, uint8_t proto)
{
	return hash_mix(endpoint_word(t, s, sp) + endpoint_word(t, d, dp) + proto);
}

static inline uint64_t
flow_hash(const struct flow_table *t, const struct flow *f)
{
	return key_hash(t, &f->key.a, f->key.pa, &f->key.b, f->key.pb, f->key.proto);
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
		size_t j = t->slot[i].tag & (ncap - 1);
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
	uint32_t id;

	if (t->nfree > 0)
		id = t->freev[--t->nfree];
	else {
		if ((t->n & (CHUNK_SIZE - 1)) == 0 && (t->n >> CHUNK_SHIFT) == t->nchunks) {
			t->chunk = xreallocarray(t->chunk, t->nchunks + 1, sizeof *t->chunk);
			t->chunk[t->nchunks] = chunk_new(t, t->nchunks);
			t->nchunks++;
		}
		id = (uint32_t)t->n++;
	}
	struct flow *f = flow_get(t, id);
	memset(f, 0, sizeof *f);
	f->id = id;
	f->ref = 1;
	t->held++;
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
pkt_hash(const struct flow_table *t, const struct pkt *p)
{
	uint16_t sp = p->has_ports ? p->sport : 0, dp = p->has_ports ? p->dport : 0;
	return key_hash(t, &p->src, sp, &p->dst, dp, p->proto);
}

uint64_t
flow_prefetch(const struct flow_table *t, const struct pkt *p)
{
	uint64_t h = pkt_hash(t, p);
	__builtin_prefetch(&t->slot[home(h, t->cap)]);
	return h;
}

static struct flow *
lookup(struct flow_table *t, const struct pkt *p, uint64_t h, int *dir)
{
	uint16_t sp = p->has_ports ? p->sport : 0, dp = p->has_ports ? p->dport : 0;
	uint32_t tag = (uint32_t)(h >> 32);
	size_t j = home(h, t->cap);

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
	return flow_lookup_hashed(t, p, pkt_hash(t, p), dir);
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
	/* The flow may have been taken out since, and its slot given to another. */
	if (!flow_held(f) || f->key.proto != p->proto)
		return NULL;
	if (addr_eq(&f->key.a, &p->src) && addr_eq(&f->key.b, &p->dst))
		*dir = 0;
	else if (addr_eq(&f->key.a, &p->dst) && addr_eq(&f->key.b, &p->src))
		*dir = 1;
	else
		return NULL;
	return f;
}

struct flow *
flow_victim(struct flow_table *t)
{
	if (t->held == 0)
		return NULL;
	/* At most two turns: the first clears every mark it passes. */
	for (;;) {
		if (t->hand >= t->n)
			t->hand = 0;
		struct flow *f = flow_get(t, t->hand++);
		if (!flow_held(f))
			continue;
		if (f->ref) {
			f->ref = 0;
			continue;
		}
		return f;
	}
}

/*
 * Empties index slot i without a tombstone: later slots of the run whose home is not between
 * i and themselves move back into the hole (backward-shift deletion), so lookups stay as
 * short as if the flow had never been there.
 */
static void
index_delete(struct flow_table *t, size_t i)
{
	size_t mask = t->cap - 1, j = i;

	for (;;) {
		j = (j + 1) & mask;
		if (t->slot[j].id1 == 0)
			break;
		size_t k = t->slot[j].tag & mask;
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;	/* its home is after the hole: it stays */
		t->slot[i] = t->slot[j];
		i = j;
	}
	t->slot[i].id1 = 0;
	t->slot[i].tag = 0;
	t->used--;
}

void
flow_remove(struct flow_table *t, struct flow *f)
{
	size_t mask = t->cap - 1;
	uint32_t id = f->id;

	/* A finished connection replaced by a new one on its ports is no longer indexed. */
	for (size_t j = home(flow_hash(t, f), t->cap); t->slot[j].id1 != 0; j = (j + 1) & mask)
		if (t->slot[j].id1 == id + 1) {
			index_delete(t, j);
			break;
		}
	flow_fini(t, f);
	memset(f, 0, sizeof *f);
	if (t->nfree == t->freecap) {
		t->freecap = t->freecap != 0 ? t->freecap * 2 : 1024;
		t->freev = xreallocarray(t->freev, t->freecap, sizeof *t->freev);
	}
	t->freev[t->nfree++] = id;
	t->held--;
}

size_t
flow_probe_max(const struct flow_table *t)
{
	size_t best = 0, run = 0;

	/* Runs that wrap past the end are counted in two parts: good enough for a bound. */
	for (size_t i = 0; i < t->cap; i++) {
		run = t->slot[i].id1 != 0 ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
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
			size_t n = strlen(flow_proto_names[i].name);
			if (n < len) {
				memcpy(buf, flow_proto_names[i].name, n + 1);
				return buf;
			}
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
	if (f->ext == NULL)
		return;
	hist_add(h, &f->ext->hist[dir]);
	if (f->ext->own != NULL)
		hist_add(h, &f->ext->own[dir]);
}

uint64_t
flow_counts(const struct flow *f, uint64_t cnt[256])
{
	uint64_t n = 0;

	if (f->ext == NULL)
		return 0;
	for (int d = 0; d < 2; d++) {
		n += hist_counts(&f->ext->hist[d], cnt);
		if (f->ext->own != NULL)
			n += hist_counts(&f->ext->own[d], cnt);
	}
	return n;
}

struct flow_ext *
flow_ext_get(struct flow_table *t, struct flow *f)
{
	if (f->ext == NULL) {
		f->ext = xcalloc(1, sizeof *f->ext);
		t->next++;
	}
	return f->ext;
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
