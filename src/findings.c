/*
 * findings.c — the findings table (see findings.h): one array, an open-addressing index on
 * (flow, direction, type, value, user) — interned pointers, so equal strings are equal
 * pointers — and per flow a count and a chain of its findings (for folding).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "hash.h"
#include "strpool.h"
#include "xalloc.h"

struct findings {
	struct strpool	*pool;
	struct finding	*v;
	size_t		 n, cap;
	uint32_t	*idx;		/* index + 1 into v; 0 empty */
	size_t		 idx_cap;
	struct per_flow {
		uint32_t	 n;	/* findings of the flow */
		uint32_t	 first1;	/* its latest finding + 1 (the chain runs back) */
	}		*per_flow;
	size_t		 nflows;
	struct find_ends *ends;		/* of folded flows with findings */
	size_t		 nends, ends_cap;
	uint64_t	 dropped;
};

struct findings *
findings_new(struct strpool *pool)
{
	struct findings *fs = xcalloc(1, sizeof *fs);
	fs->pool = pool;
	fs->idx_cap = 1024;
	fs->idx = xcalloc(fs->idx_cap, sizeof *fs->idx);
	return fs;
}

void
findings_free(struct findings *fs)
{
	if (fs == NULL)
		return;
	free(fs->v);
	free(fs->idx);
	free(fs->per_flow);
	free(fs->ends);
	free(fs);
}

size_t
findings_count(const struct findings *fs)
{
	return fs->n;
}

struct finding *
findings_get(const struct findings *fs, size_t i)
{
	return &fs->v[i];
}

uint64_t
findings_dropped(const struct findings *fs)
{
	return fs->dropped;
}

uint32_t
findings_of_flow(const struct findings *fs, uint32_t flow)
{
	return flow < fs->nflows ? fs->per_flow[flow].n : 0;
}

void
findings_fold(struct findings *fs, uint32_t flow, const struct find_ends *e)
{
	if (flow >= fs->nflows || fs->per_flow[flow].n == 0)
		return;
	if (fs->nends == fs->ends_cap) {
		fs->ends_cap = fs->ends_cap != 0 ? fs->ends_cap * 2 : 64;
		fs->ends = xreallocarray(fs->ends, fs->ends_cap, sizeof *fs->ends);
	}
	uint32_t mark = FIND_FOLDED | (uint32_t)fs->nends;
	fs->ends[fs->nends++] = *e;
	/*
	 * The index keeps these findings where their old key put them; a lookup with the old
	 * id (now a new flow's) compares flows and passes them by, and growing the index
	 * rehashes them under the new one.
	 */
	for (uint32_t i1 = fs->per_flow[flow].first1; i1 != 0; ) {
		struct finding *f = &fs->v[i1 - 1];
		i1 = f->next1;
		f->flow = mark;
		f->next1 = 0;
	}
	fs->per_flow[flow].n = 0;
	fs->per_flow[flow].first1 = 0;
}

const struct find_ends *
findings_ends(const struct findings *fs, const struct finding *f)
{
	if (!(f->flow & FIND_FOLDED) || (f->flow & ~FIND_FOLDED) >= fs->nends)
		return NULL;
	return &fs->ends[f->flow & ~FIND_FOLDED];
}

size_t
findings_bytes(const struct findings *fs)
{
	return fs->cap * sizeof *fs->v + fs->idx_cap * sizeof *fs->idx +
	    fs->nflows * sizeof *fs->per_flow + fs->ends_cap * sizeof *fs->ends;
}

static uint64_t
key_hash(uint32_t flow, unsigned dir, const char *type, const char *value, const char *user)
{
	uintptr_t k[5] = { flow, dir, (uintptr_t)type, (uintptr_t)value, (uintptr_t)user };
	return hash_bytes(k, sizeof k, 0x6a09e667f3bcc909ull);
}

static void
grow_index(struct findings *fs)
{
	size_t cap = fs->idx_cap * 2;
	uint32_t *idx = xcalloc(cap, sizeof *idx);

	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		size_t j = key_hash(f->flow, f->dir, f->type, f->value, f->user) & (cap - 1);
		while (idx[j] != 0)
			j = (j + 1) & (cap - 1);
		idx[j] = (uint32_t)i + 1;
	}
	free(fs->idx);
	fs->idx = idx;
	fs->idx_cap = cap;
}

/* Interns bytes as a NUL-free string (NULs dropped, cut at max bytes). */
static const char *
intern(struct strpool *pool, const uint8_t *s, size_t n, size_t max)
{
	char buf[FIND_VALUE_MAX + 8];
	size_t k = 0;

	if (s == NULL)
		return NULL;
	size_t i = 0;
	for (; i < n && k < max && k < FIND_VALUE_MAX; i++)
		if (s[i] != 0)
			buf[k++] = (char)s[i];
	while (i < n && s[i] == 0)	/* NULs past the end are dropped, not cut */
		i++;
	if (i < n) {
		memcpy(buf + k, "\xe2\x80\xa6", 3);	/* … */
		k += 3;
	}
	return strpool_intern(pool, buf, k);
}

long
findings_add(struct findings *fs, const char *type, enum find_cat cat, enum find_sev sev,
    const char *source, const struct find_where *w, const uint8_t *value, size_t vlen,
    const char *user, const uint8_t *raw, size_t rawlen, const uint8_t *before, size_t blen,
    const uint8_t *after, size_t alen)
{
	const char *t = strpool_str(fs->pool, type);
	const char *v = intern(fs->pool, value, vlen, FIND_VALUE_MAX);
	const char *u = user != NULL ? strpool_str(fs->pool, user) : NULL;
	size_t j = key_hash(w->flow, w->dir, t, v, u) & (fs->idx_cap - 1);

	while (fs->idx[j] != 0) {
		struct finding *f = &fs->v[fs->idx[j] - 1];
		if (f->flow == w->flow && f->dir == w->dir && f->type == t && f->value == v &&
		    f->user == u) {
			/* A new occurrence, unless another scanner reported this one. */
			if (w->off != f->last_off) {
				f->count++;
				f->last_off = w->off;
			}
			return -1;
		}
		j = (j + 1) & (fs->idx_cap - 1);
	}
	if (fs->n >= FINDINGS_MAX) {
		fs->dropped++;
		return -1;
	}
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 64;
		fs->v = xreallocarray(fs->v, fs->cap, sizeof *fs->v);
	}
	struct finding *f = &fs->v[fs->n];
	memset(f, 0, sizeof *f);
	f->type = t;
	f->value = v;
	f->user = u;
	if (raw != NULL && (rawlen != vlen || memcmp(raw, value, vlen) != 0))
		f->raw = intern(fs->pool, raw, rawlen, FIND_VALUE_MAX);
	f->raw_len = (uint32_t)rawlen;
	f->before = intern(fs->pool, before, blen, FIND_CONTEXT);
	f->after = intern(fs->pool, after, alen, FIND_CONTEXT);
	f->source = source != NULL ? strpool_str(fs->pool, source) : NULL;
	f->cat = (uint8_t)cat;
	f->sev = (uint8_t)sev;
	f->dir = w->dir;
	f->flow = w->flow;
	f->pkt_ord = w->pkt_ord;
	f->pkt_num = w->pkt_num;
	f->ts_ns = w->ts_ns;
	f->off = w->off;
	f->last_off = w->off;
	f->count = 1;
	fs->idx[j] = (uint32_t)++fs->n;
	if (w->flow >= fs->nflows) {
		size_t n = fs->nflows ? fs->nflows : 256;
		while (n <= w->flow)
			n *= 2;
		fs->per_flow = xreallocarray(fs->per_flow, n, sizeof *fs->per_flow);
		memset(fs->per_flow + fs->nflows, 0, (n - fs->nflows) * sizeof *fs->per_flow);
		fs->nflows = n;
	}
	f->next1 = fs->per_flow[w->flow].first1;
	fs->per_flow[w->flow].first1 = (uint32_t)fs->n;
	fs->per_flow[w->flow].n++;
	if (fs->n * 2 > fs->idx_cap)
		grow_index(fs);
	return (long)(fs->n - 1);
}
