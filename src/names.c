/*
 * names.c — address → names table (see names.h): entries in one array, chained per address,
 * with an open-addressing index of each address's first and last entry, and one of the
 * entries by (address, name, device, source), so that adding a name costs the same however
 * many names its address already has (an mDNS flood names one address thousands of times).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "strpool.h"
#include "xalloc.h"

#define NAMES_MAX	(1u << 22)	/* entries; past this new names are dropped */

struct head {
	struct addr	 ip;
	uint32_t	 first1;
	uint32_t	 last1;
};

struct names {
	struct strpool	*pool;
	struct ipname	*v;
	size_t		 n, cap;
	struct head	*idx;
	size_t		 idx_cap, idx_used;
	uint32_t	*dedup;		/* entry + 1 by entry_hash, open addressing, 0 free */
	size_t		 dedup_cap;	/* kept above twice the entries */
};

struct names *
names_new(struct strpool *pool)
{
	struct names *nm = xcalloc(1, sizeof *nm);
	nm->pool = pool;
	nm->idx_cap = 256;
	nm->idx = xcalloc(nm->idx_cap, sizeof *nm->idx);
	nm->dedup_cap = 256;
	nm->dedup = xcalloc(nm->dedup_cap, sizeof *nm->dedup);
	return nm;
}

void
names_free(struct names *nm)
{
	if (nm == NULL)
		return;
	free(nm->v);
	free(nm->idx);
	free(nm->dedup);
	free(nm);
}

static struct head *
find(const struct names *nm, const struct addr *a)
{
	size_t j = addr_hash(a) & (nm->idx_cap - 1);

	while (nm->idx[j].first1 != 0) {
		if (addr_cmp(&nm->idx[j].ip, a) == 0)
			break;
		j = (j + 1) & (nm->idx_cap - 1);
	}
	return &nm->idx[j];
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

/* Names are interned: one pointer per distinct string. */
static uint64_t
entry_hash(const struct addr *ip, const char *iname, uint32_t device1, enum ipname_source src)
{
	uint64_t h = addr_hash(ip) ^ (uint64_t)(uintptr_t)iname * 0x9e3779b97f4a7c15ull;

	h ^= ((uint64_t)device1 << 8 | (uint64_t)src) * 0xc2b2ae3d27d4eb4full;
	return h ^ h >> 29;
}

/* The dedup slot of (ip, name, device1, src): its entry, or the free slot to put it in. */
static uint32_t *
dedup_find(const struct names *nm, const struct addr *ip, const char *iname, uint32_t device1,
    enum ipname_source src)
{
	size_t j = entry_hash(ip, iname, device1, src) & (nm->dedup_cap - 1);

	while (nm->dedup[j] != 0) {
		const struct ipname *e = &nm->v[nm->dedup[j] - 1];
		if (e->name == iname && e->device1 == device1 && e->source == src &&
		    addr_cmp(&e->ip, ip) == 0)
			break;
		j = (j + 1) & (nm->dedup_cap - 1);
	}
	return &nm->dedup[j];
}

static void
grow_dedup(struct names *nm)
{
	free(nm->dedup);
	nm->dedup_cap *= 2;
	nm->dedup = xcalloc(nm->dedup_cap, sizeof *nm->dedup);
	for (size_t i = 0; i < nm->n; i++) {
		const struct ipname *e = &nm->v[i];
		*dedup_find(nm, &e->ip, e->name, e->device1, e->source) = (uint32_t)i + 1;
	}
}

void
names_add(struct names *nm, const struct addr *ip, const char *name, const char *query,
    const char *chain, uint32_t device1, enum ipname_source src, int64_t ts)
{
	const char *iname = strpool_str(nm->pool, name);
	uint32_t *slot = dedup_find(nm, ip, iname, device1, src);

	if (*slot != 0) {
		struct ipname *e = &nm->v[*slot - 1];
		if (ts < e->first_ns)
			e->first_ns = ts;
		if (ts > e->last_ns)
			e->last_ns = ts;
		e->count++;
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
	nm->n++;
	*slot = (uint32_t)nm->n;
	if (2 * nm->n > nm->dedup_cap)
		grow_dedup(nm);
	struct head *h = find(nm, ip);
	if (h->first1 != 0) {
		nm->v[h->last1 - 1].next1 = (uint32_t)nm->n;
		h->last1 = (uint32_t)nm->n;
		return;
	}
	h->ip = *ip;
	h->first1 = h->last1 = (uint32_t)nm->n;
	if (2 * ++nm->idx_used > nm->idx_cap)
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

/* The rank of an entry for device1: higher is better (see names.h). */
static int
rank(const struct ipname *e, uint32_t device1)
{
	int own = device1 == 0 || e->device1 == device1;

	switch (e->source) {
	case IPNAME_DNS:
		return own ? 7 : 4;
	case IPNAME_SNI:
		return own ? 6 : 3;
	case IPNAME_HTTP:
		return own ? 5 : 2;
	case IPNAME_MDNS:
		return 1;
	}
	return 0;
}

const struct ipname *
names_best_entry(const struct names *nm, const struct addr *ip, uint32_t device1)
{
	const struct ipname *best = NULL;
	int br = -1;

	for (const struct ipname *e = names_first(nm, ip); e != NULL; e = names_next(nm, e)) {
		int r = rank(e, device1);
		if (r > br || (r == br && e->last_ns > best->last_ns)) {
			best = e;
			br = r;
		}
	}
	return best;
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
	}
	return "?";
}

size_t
names_bytes(const struct names *nm)
{
	return nm->cap * sizeof *nm->v + nm->idx_cap * sizeof *nm->idx +
	    nm->dedup_cap * sizeof *nm->dedup;
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
