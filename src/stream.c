/*
 * stream.c — conversation building and reading (see stream.h).  Per TCP direction the
 * segments are sorted by unwrapped sequence number and walked once: a segment wholly behind
 * the delivered edge is a retransmission, one that starts behind it overlaps and gives only
 * its new tail, one that starts ahead leaves a gap.  A segment counts as delivered at the
 * latest capture position of itself and everything before it in sequence (when an in-order
 * receiver would have it), which orders the two directions into turns.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "findex.h"
#include "reader.h"
#include "reread.h"
#include "rx.h"
#include "stream.h"
#include "xalloc.h"

struct piece {
	uint32_t	 ref;
	uint32_t	 skip, len;
	uint8_t		 dir;
	int64_t		 rel;		/* unwrapped sequence number relative to the first */
	uint64_t	 deliver;	/* capture position at which it can be shown */
	uint64_t	 gap;		/* bytes missing just before it */
};

static int
by_seq(const void *x, const void *y)
{
	const struct piece *a = x, *b = y;
	if (a->rel != b->rel)
		return a->rel < b->rel ? -1 : 1;
	return a->ref < b->ref ? -1 : a->ref > b->ref;
}

static int
by_delivery(const void *x, const void *y)
{
	const struct piece *a = x, *b = y;
	if (a->deliver != b->deliver)
		return a->deliver < b->deliver ? -1 : 1;
	if (a->dir != b->dir)
		return a->dir < b->dir ? -1 : 1;
	if (a->rel != b->rel)
		return a->rel < b->rel ? -1 : 1;
	return a->ref < b->ref ? -1 : a->ref > b->ref;
}

/* Reassembles one TCP direction's pieces in place; returns how many remain. */
static size_t
reassemble(struct conv *c, struct piece *p, size_t n)
{
	size_t k = 0;
	int64_t next = 0;
	uint64_t deliver = 0;

	qsort(p, n, sizeof *p, by_seq);
	for (size_t i = 0; i < n; i++) {
		int64_t s = p[i].rel, e = s + (int64_t)p[i].len;
		if (i == 0)
			next = s;
		if (e <= next) {
			c->dropped += p[i].len;
			continue;
		}
		struct piece q = p[i];
		q.gap = 0;
		if (s > next) {
			q.gap = (uint64_t)(s - next);
			c->missing += q.gap;
		} else if (s < next) {
			q.skip = (uint32_t)(next - s);
			c->dropped += q.skip;
		}
		q.len = (uint32_t)(e - (s > next ? s : next));
		if (q.ref > deliver)
			deliver = q.ref;
		q.deliver = deliver;
		next = e;
		p[k++] = q;
	}
	return k;
}

static void
add_turn(struct conv *c, const struct piece *q, const struct pkt_ref *r, uint64_t stream_off)
{
	if (c->nturn > 0 && c->turn[c->nturn - 1].dir == q->dir && q->gap == 0) {
		c->turn[c->nturn - 1].nsegs++;
		c->turn[c->nturn - 1].len += q->len;
		return;
	}
	c->turn = xreallocarray(c->turn, c->nturn + 1, sizeof *c->turn);
	struct conv_turn *t = &c->turn[c->nturn++];
	t->first_seg = (uint32_t)c->nseg;
	t->nsegs = 1;
	t->dir = q->dir;
	t->len = q->len;
	t->stream_off = stream_off;
	t->gap = q->gap;
	t->ts_ns = r->ts_ns;
}

int
conv_build(struct conv *c, struct analysis *a, uint32_t flow)
{
	const struct findex *x = analysis_findex(a);

	conv_free(c);
	c->flow = flow;
	if (x == NULL)
		return -1;
	size_t n = findex_count(x, flow);
	c->npkts = n;
	if (n == 0)
		return 0;
	struct piece *p = xreallocarray(NULL, n, sizeof *p);
	size_t np[2] = { 0, 0 };
	uint32_t last_seq[2] = { 0, 0 };
	int64_t ext[2] = { 0, 0 };
	int tcp = findex_get(x, flow, 0)->tcp;

	/* Unwrap sequence numbers per direction against the previous packet of that direction. */
	for (size_t i = 0; i < n; i++) {
		const struct pkt_ref *r = findex_get(x, flow, i);
		int d = r->dir & 1;
		if (np[d]++ == 0)
			ext[d] = 0;
		else
			ext[d] += (int32_t)(r->seq - last_seq[d]);
		last_seq[d] = r->seq;
		p[i] = (struct piece){ .ref = (uint32_t)i, .len = r->len, .dir = (uint8_t)d,
		    .rel = ext[d], .deliver = i };
	}
	size_t k = n;
	if (tcp) {
		/* Partition by direction, reassemble each, then order by delivery. */
		struct piece *q = xreallocarray(NULL, n, sizeof *q);
		size_t a0 = 0, a1 = np[0];
		for (size_t i = 0; i < n; i++)
			q[p[i].dir ? a1++ : a0++] = p[i];
		size_t k0 = reassemble(c, q, np[0]);
		size_t k1 = reassemble(c, q + np[0], np[1]);
		memmove(q + k0, q + np[0], k1 * sizeof *q);
		k = k0 + k1;
		qsort(q, k, sizeof *q, by_delivery);
		free(p);
		p = q;
	}
	c->seg = xreallocarray(NULL, k != 0 ? k : 1, sizeof *c->seg);
	uint64_t off[2] = { 0, 0 };
	for (size_t i = 0; i < k; i++) {
		const struct piece *q = &p[i];
		off[q->dir] += q->gap;
		add_turn(c, q, findex_get(x, flow, q->ref), off[q->dir]);
		struct conv_turn *t = &c->turn[c->nturn - 1];
		c->seg[c->nseg++] = (struct conv_seg){ .ref = q->ref, .skip = q->skip,
		    .len = q->len, .off = t->len - q->len };
		off[q->dir] += q->len;
		c->bytes[q->dir] += q->len;
	}
	free(p);
	return 0;
}

void
conv_free(struct conv *c)
{
	for (int i = 0; i < CONV_CACHE; i++)
		free(c->cache[i].data);
	free(c->seg);
	free(c->turn);
	memset(c, 0, sizeof *c);
}

/* The payload of packet ref, from the cache or read back. */
static const uint8_t *
payload(struct conv *c, struct analysis *a, uint32_t ref, size_t *len, char *err, size_t errlen)
{
	for (int i = 0; i < CONV_CACHE; i++)
		if (c->cache[i].valid && c->cache[i].ref == ref) {
			*len = c->cache[i].len;
			return c->cache[i].data;
		}
	struct payload_buf pb = { NULL, 0 };
	struct span s;
	if (analysis_payload(a, findex_get(analysis_findex(a), c->flow, ref), &pb, &s, err,
	    errlen) < 0) {
		analysis_payload_buf_free(&pb);
		return NULL;
	}
	unsigned slot = c->cache_next++ % CONV_CACHE;
	if (c->cache[slot].cap < s.n) {
		c->cache[slot].cap = s.n;
		c->cache[slot].data = xrealloc(c->cache[slot].data, s.n != 0 ? s.n : 1);
	}
	memcpy(c->cache[slot].data, s.p, s.n);
	c->cache[slot].len = s.n;
	c->cache[slot].ref = ref;
	c->cache[slot].valid = 1;
	analysis_payload_buf_free(&pb);
	*len = s.n;
	return c->cache[slot].data;
}

ssize_t
conv_read(struct conv *c, struct analysis *a, size_t ti, uint64_t off, uint8_t *buf, size_t n,
    char *err, size_t errlen)
{
	if (ti >= c->nturn)
		return 0;
	const struct conv_turn *t = &c->turn[ti];
	if (off >= t->len)
		return 0;
	/* The first segment holding off: binary search over the turn's segments. */
	size_t lo = t->first_seg, hi = t->first_seg + t->nsegs;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->seg[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	size_t done = 0;
	for (size_t s = lo; s < t->first_seg + t->nsegs && done < n; s++) {
		const struct conv_seg *g = &c->seg[s];
		size_t plen;
		const uint8_t *pl = payload(c, a, g->ref, &plen, err, errlen);
		if (pl == NULL)
			return done > 0 ? (ssize_t)done : -1;
		uint64_t within = off + done - g->off;
		if (within >= g->len)
			continue;
		size_t k = g->len - (size_t)within;
		if (k > n - done)
			k = n - done;
		if ((size_t)g->skip + within + k > plen)
			return done > 0 ? (ssize_t)done : -1;
		memcpy(buf + done, pl + g->skip + within, k);
		done += k;
	}
	return (ssize_t)done;
}

#define SEARCH_WINDOW	(8u << 20)
#define SEARCH_OVERLAP	(64u << 10)

struct search_ctx {
	struct conv_match **v;
	size_t		*n, cap, max;
	uint32_t	 turn;
	uint64_t	 base;		/* turn offset of the window */
	uint64_t	 keep_below;	/* matches must start below this window offset */
};

static int
on_match(void *ctx, size_t off, size_t len)
{
	struct search_ctx *s = ctx;

	if (off >= s->keep_below)
		return 1;		/* the next window finds it whole */
	if (*s->n >= s->max)
		return 1;
	if (*s->n == s->cap) {
		s->cap = s->cap != 0 ? s->cap * 2 : 64;
		*s->v = xreallocarray(*s->v, s->cap, sizeof **s->v);
	}
	(*s->v)[(*s->n)++] = (struct conv_match){ .turn = s->turn,
	    .len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len, .off = s->base + off };
	return 0;
}

long
conv_search(struct conv *c, struct analysis *a, struct rx *rx, struct conv_match **v, size_t *n,
    size_t max, char *err, size_t errlen)
{
	struct search_ctx s = { .v = v, .n = n, .cap = *n, .max = max };
	size_t start = *n;
	uint8_t *buf = NULL;
	size_t bufcap = 0;
	long rc = 0;

	for (size_t t = 0; t < c->nturn && *n < max; t++) {
		uint64_t len = c->turn[t].len;
		for (uint64_t w = 0; w < len && *n < max; w += SEARCH_WINDOW) {
			size_t want = (size_t)(len - w < SEARCH_WINDOW + SEARCH_OVERLAP ? len - w :
			    SEARCH_WINDOW + SEARCH_OVERLAP);
			if (want > bufcap) {
				bufcap = want;
				buf = xrealloc(buf, bufcap);
			}
			ssize_t got = conv_read(c, a, t, w, buf, want, err, errlen);
			if (got < 0) {
				rc = -1;
				goto out;
			}
			s.turn = (uint32_t)t;
			s.base = w;
			s.keep_below = w + SEARCH_WINDOW >= len ? (uint64_t)-1 : SEARCH_WINDOW;
			if (rx_scan(rx, buf, (size_t)got, 0, on_match, &s, err, errlen) < 0) {
				rc = -1;
				goto out;
			}
		}
	}
out:
	free(buf);
	return rc < 0 ? -1 : (long)(*n - start);
}
