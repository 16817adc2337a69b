/*
 * names.c — address → names table (see names.h): entries in one array, chained per address,
 * with hashed indexes for adding and for the best name (below).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "names.h"
#include "strpool.h"
#include "xalloc.h"

#define NAMES_MAX	(1u << 22)	/* entries; past this new names are dropped */
#define NSRC		4		/* ranks of enum ipname_source (rank_of) */

/*
 * Three open-addressing indexes, all hashed under a per-run random key (addresses and names
 * are chosen by the traffic): an address's chain with the best entry of each source over all
 * devices; (address, device) with that device's own best DNS, SNI and HTTP entries; and every
 * entry by (address, name, device, source), so adding is one probe however many devices
 * resolved how many names on the address.
 */
struct head {
	struct addr	 ip;
	uint32_t	 first1, last1;
	uint32_t	 best1[NSRC];
	uint32_t	 distinct;	/* names, whatever the device and source */
};

struct devbest {
	struct addr	 ip;
	uint32_t	 device1;
	uint32_t	 first1, last1;	/* the device's own chain (next_dev1); 0: empty slot */
	uint32_t	 best1[NSRC];
};

struct names {
	struct strpool	*pool;
	uint64_t	 key;
	struct ipname	*v;
	size_t		 n, cap;
	struct head	*idx;		/* by address */
	size_t		 idx_cap, idx_used;
	struct devbest	*dev;		/* by (address, device) */
	size_t		 dev_cap, dev_used;
	uint32_t	*ent;		/* entry + 1 by (address, name, device, source) */
	size_t		 ent_cap;
	uint32_t	*nam;		/* entry + 1 by (address, name): the first of each name */
	size_t		 nam_cap, nam_used;
};

struct names *
names_new(struct strpool *pool)
{
	struct names *nm = xcalloc(1, sizeof *nm);
	nm->pool = pool;
	hash_random_key(&nm->key, 1);
	nm->idx_cap = 256;
	nm->idx = xcalloc(nm->idx_cap, sizeof *nm->idx);
	nm->dev_cap = 256;
	nm->dev = xcalloc(nm->dev_cap, sizeof *nm->dev);
	nm->ent_cap = 256;
	nm->ent = xcalloc(nm->ent_cap, sizeof *nm->ent);
	nm->nam_cap = 256;
	nm->nam = xcalloc(nm->nam_cap, sizeof *nm->nam);
	return nm;
}

void
names_free(struct names *nm)
{
	if (nm == NULL)
		return;
	free(nm->v);
	free(nm->idx);
	free(nm->dev);
	free(nm->ent);
	free(nm->nam);
	free(nm);
}

static uint64_t
ip_hash(const struct names *nm, const struct addr *a)
{
	return hash_bytes(a->b, sizeof a->b, nm->key);
}

static uint64_t
dev_hash(const struct names *nm, const struct addr *a, uint32_t device1)
{
	return hash_mum(ip_hash(nm, a) ^ device1, 0x9e3779b97f4a7c15ull);
}

/* Interned names compare by pointer, so the pointer is the name's part of the key. */
static uint64_t
ent_hash(const struct names *nm, const struct addr *a, const char *name, uint32_t device1,
    enum ipname_source src)
{
	uint64_t h = dev_hash(nm, a, device1) ^ ((uint64_t)(uintptr_t)name * 0xc2b2ae3d27d4eb4full);
	return hash_mum(h ^ (uint64_t)src, 0x94d049bb133111ebull);
}

static struct head *
find(const struct names *nm, const struct addr *a)
{
	size_t j = ip_hash(nm, a) & (nm->idx_cap - 1);

	while (nm->idx[j].first1 != 0) {
		if (addr_cmp(&nm->idx[j].ip, a) == 0)
			break;
		j = (j + 1) & (nm->idx_cap - 1);
	}
	return &nm->idx[j];
}

static struct devbest *
find_dev(const struct names *nm, const struct addr *a, uint32_t device1)
{
	size_t j = dev_hash(nm, a, device1) & (nm->dev_cap - 1);

	while (nm->dev[j].first1 != 0) {
		if (nm->dev[j].device1 == device1 && addr_cmp(&nm->dev[j].ip, a) == 0)
			break;
		j = (j + 1) & (nm->dev_cap - 1);
	}
	return &nm->dev[j];
}

static uint32_t *
find_ent(const struct names *nm, const struct addr *a, const char *name, uint32_t device1,
    enum ipname_source src)
{
	size_t j = ent_hash(nm, a, name, device1, src) & (nm->ent_cap - 1);

	while (nm->ent[j] != 0) {
		const struct ipname *e = &nm->v[nm->ent[j] - 1];
		if (e->name == name && e->device1 == device1 && e->source == src &&
		    addr_cmp(&e->ip, a) == 0)
			break;
		j = (j + 1) & (nm->ent_cap - 1);
	}
	return &nm->ent[j];
}

static void
grow_index(struct names *nm)
{
	size_t ocap = nm->idx_cap;
	struct head *old = nm->idx;

	nm->idx_cap *= 2;
	nm->idx = xcalloc(nm->idx_cap, sizeof *nm->idx);
	for (size_t i = 0; i < ocap; i++)
		if (old[i].first1 != 0)
			*find(nm, &old[i].ip) = old[i];
	free(old);
}

static void
grow_dev(struct names *nm)
{
	size_t ocap = nm->dev_cap;
	struct devbest *old = nm->dev;

	nm->dev_cap *= 2;
	nm->dev = xcalloc(nm->dev_cap, sizeof *nm->dev);
	for (size_t i = 0; i < ocap; i++)
		if (old[i].first1 != 0)
			*find_dev(nm, &old[i].ip, old[i].device1) = old[i];
	free(old);
}

static void
grow_ent(struct names *nm)
{
	free(nm->ent);
	nm->ent_cap *= 2;
	nm->ent = xcalloc(nm->ent_cap, sizeof *nm->ent);
	for (size_t i = 0; i < nm->n; i++) {
		const struct ipname *e = &nm->v[i];
		*find_ent(nm, &e->ip, e->name, e->device1, e->source) = (uint32_t)i + 1;
	}
}

static uint32_t *
find_nam(const struct names *nm, const struct addr *a, const char *name)
{
	size_t j = ent_hash(nm, a, name, 0, 0) & (nm->nam_cap - 1);

	while (nm->nam[j] != 0) {
		const struct ipname *e = &nm->v[nm->nam[j] - 1];
		if (e->name == name && addr_cmp(&e->ip, a) == 0)
			break;
		j = (j + 1) & (nm->nam_cap - 1);
	}
	return &nm->nam[j];
}

static void
grow_nam(struct names *nm)
{
	size_t ocap = nm->nam_cap;
	uint32_t *old = nm->nam;

	nm->nam_cap *= 2;
	nm->nam = xcalloc(nm->nam_cap, sizeof *nm->nam);
	for (size_t i = 0; i < ocap; i++)
		if (old[i] != 0) {
			const struct ipname *e = &nm->v[old[i] - 1];
			*find_nam(nm, &e->ip, e->name) = old[i];
		}
	free(old);
}

/* The rank slot of a source: an SNI read from QUIC ranks as one read from TLS over TCP. */
static inline enum ipname_source
rank_of(enum ipname_source s)
{
	return s == IPNAME_QUIC_SNI ? IPNAME_SNI : s;
}

/*
 * Whether entry k1 ranks above *best1 among equals (same rank): the more recent, and of two
 * as recent the earlier entry, as a walk in entry order keeping the first strictly newer one
 * would choose.  Last times only grow, so keeping the best as each entry changes is exact.
 */
static void
consider(const struct names *nm, uint32_t *best1, uint32_t k1)
{
	if (*best1 == 0 || *best1 == k1) {
		*best1 = k1;
		return;
	}
	const struct ipname *e = &nm->v[k1 - 1], *b = &nm->v[*best1 - 1];
	if (e->last_ns > b->last_ns || (e->last_ns == b->last_ns && k1 < *best1))
		*best1 = k1;
}

/* After entry k1 was seen again: the bests of its address and device. */
static void
rerank(struct names *nm, struct head *h, uint32_t k1)
{
	const struct ipname *e = &nm->v[k1 - 1];

	consider(nm, &h->best1[rank_of(e->source)], k1);
	consider(nm, &find_dev(nm, &e->ip, e->device1)->best1[rank_of(e->source)], k1);
}

/* A new entry k1: chained to its address and its device's, ranked, its name counted. */
static void
link_new(struct names *nm, struct head *h, uint32_t k1)
{
	struct ipname *e = &nm->v[k1 - 1];

	if (h->first1 != 0)
		nm->v[h->last1 - 1].next1 = k1;
	else {
		h->ip = e->ip;
		h->first1 = k1;
	}
	h->last1 = k1;
	consider(nm, &h->best1[rank_of(e->source)], k1);
	uint32_t *n1 = find_nam(nm, &e->ip, e->name);
	if (*n1 == 0) {
		*n1 = k1;
		h->distinct++;
		if (2 * ++nm->nam_used > nm->nam_cap)
			grow_nam(nm);
	}
	struct devbest *db = find_dev(nm, &e->ip, e->device1);
	if (db->first1 != 0)
		nm->v[db->last1 - 1].next_dev1 = k1;
	else {
		db->ip = e->ip;
		db->device1 = e->device1;
		db->first1 = k1;
	}
	db->last1 = k1;
	consider(nm, &db->best1[rank_of(e->source)], k1);
	if (db->first1 == k1 && 2 * ++nm->dev_used > nm->dev_cap)
		grow_dev(nm);
}

void
names_add(struct names *nm, const struct addr *ip, const char *name, const char *query,
    const char *chain, uint32_t device1, enum ipname_source src, int64_t ts)
{
	const char *iname = strpool_str(nm->pool, name);
	struct head *h = find(nm, ip);
	uint32_t *slot = find_ent(nm, ip, iname, device1, src);

	if (*slot != 0) {
		struct ipname *e = &nm->v[*slot - 1];
		if (ts < e->first_ns)
			e->first_ns = ts;
		if (ts > e->last_ns)
			e->last_ns = ts;
		e->count++;
		rerank(nm, h, *slot);
		return;
	}
	if (nm->n >= NAMES_MAX)
		return;
	if (nm->n == nm->cap) {
		nm->cap = nm->cap != 0 ? nm->cap * 2 : 64;
		nm->v = xreallocarray(nm->v, nm->cap, sizeof *nm->v);
	}
	struct ipname *e = &nm->v[nm->n];
	memset(e, 0, sizeof *e);
	e->ip = *ip;
	e->name = iname;
	e->query = query != NULL ? strpool_str(nm->pool, query) : iname;
	e->chain = chain != NULL ? strpool_str(nm->pool, chain) : NULL;
	e->device1 = device1;
	e->source = src;
	e->first_ns = e->last_ns = ts;
	e->count = 1;
	uint32_t k1 = (uint32_t)++nm->n;
	*slot = k1;
	link_new(nm, h, k1);
	if (2 * nm->n > nm->ent_cap)
		grow_ent(nm);
	if (h->first1 == k1 && 2 * ++nm->idx_used > nm->idx_cap)
		grow_index(nm);
}

const struct ipname *
names_first(const struct names *nm, const struct addr *ip)
{
	const struct head *h = find(nm, ip);
	return h->first1 != 0 ? &nm->v[h->first1 - 1] : NULL;
}

const struct ipname *
names_next(const struct names *nm, const struct ipname *e)
{
	return e->next1 != 0 ? &nm->v[e->next1 - 1] : NULL;
}

const struct ipname *
names_dev_first(const struct names *nm, const struct addr *ip, uint32_t device1)
{
	const struct devbest *db = find_dev(nm, ip, device1);
	return db->first1 != 0 ? &nm->v[db->first1 - 1] : NULL;
}

const struct ipname *
names_dev_next(const struct names *nm, const struct ipname *e)
{
	return e->next_dev1 != 0 ? &nm->v[e->next_dev1 - 1] : NULL;
}

size_t
names_distinct(const struct names *nm, const struct addr *ip)
{
	return find(nm, ip)->distinct;
}

/*
 * The ranking of names.h: the device's own DNS answer, SNI, Host; then any device's DNS, SNI,
 * Host; mDNS last; the most recent of equals.  With device1 0 every entry is "own".
 */
const struct ipname *
names_best_entry(const struct names *nm, const struct addr *ip, uint32_t device1)
{
	static const enum ipname_source order[] = { IPNAME_DNS, IPNAME_SNI, IPNAME_HTTP };
	const struct head *h = find(nm, ip);

	if (h->first1 == 0)
		return NULL;
	if (device1 != 0) {
		const struct devbest *db = find_dev(nm, ip, device1);
		for (size_t k = 0; db->first1 != 0 && k < 3; k++)
			if (db->best1[order[k]] != 0)
				return &nm->v[db->best1[order[k]] - 1];
	}
	for (size_t k = 0; k < 3; k++)
		if (h->best1[order[k]] != 0)
			return &nm->v[h->best1[order[k]] - 1];
	return h->best1[IPNAME_MDNS] != 0 ? &nm->v[h->best1[IPNAME_MDNS] - 1] : NULL;
}

const char *
names_best(const struct names *nm, const struct addr *ip, uint32_t device1)
{
	const struct ipname *e = names_best_entry(nm, ip, device1);
	return e != NULL ? e->name : NULL;
}

const char *
ipname_source_name(enum ipname_source s)
{
	switch (s) {
	case IPNAME_DNS:	return "dns";
	case IPNAME_MDNS:	return "mdns";
	case IPNAME_SNI:	return "sni";
	case IPNAME_HTTP:	return "http-host";
	case IPNAME_QUIC_SNI:	return "quic-sni";
	}
	return "?";
}

size_t
names_bytes(const struct names *nm)
{
	return nm->cap * sizeof *nm->v + nm->idx_cap * sizeof *nm->idx +
	    nm->dev_cap * sizeof *nm->dev + nm->ent_cap * sizeof *nm->ent +
	    nm->nam_cap * sizeof *nm->nam;
}

size_t
names_count(const struct names *nm)
{
	return nm->n;
}

const struct ipname *
names_get(const struct names *nm, size_t i)
{
	return &nm->v[i];
}
