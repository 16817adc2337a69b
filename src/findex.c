/*
 * findex.c — per-flow vectors of packet records (see findex.h).
 */
#include "config.h"

#include <stdlib.h>

#include "findex.h"
#include "xalloc.h"

struct refvec {
	struct pkt_ref	*v;
	uint32_t	 n, cap;
};

struct findex {
	struct refvec	*flow;
	size_t		 nflows;
	size_t		 bytes;
};

struct findex *
findex_new(void)
{
	return xcalloc(1, sizeof(struct findex));
}

void
findex_free(struct findex *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->nflows; i++)
		free(x->flow[i].v);
	free(x->flow);
	free(x);
}

void
findex_add(struct findex *x, uint32_t flow, const struct pkt_ref *r)
{
	if (flow >= x->nflows) {
		size_t n = x->nflows != 0 ? x->nflows : 1024;
		while (n <= flow)
			n *= 2;
		x->flow = xreallocarray(x->flow, n, sizeof *x->flow);
		for (size_t i = x->nflows; i < n; i++)
			x->flow[i] = (struct refvec){ NULL, 0, 0 };
		x->nflows = n;
	}
	struct refvec *v = &x->flow[flow];
	if (v->n == v->cap) {
		if (v->cap >= UINT32_MAX / 2)
			return;		/* 2^31 packets in one flow: stop indexing it */
		v->cap = v->cap != 0 ? v->cap * 2 : 4;
		v->v = xreallocarray(v->v, v->cap, sizeof *v->v);
		x->bytes += (size_t)(v->cap / 2 + (v->cap == 4 ? 2 : 0)) * sizeof *v->v;
	}
	v->v[v->n++] = *r;
}

size_t
findex_count(const struct findex *x, uint32_t flow)
{
	return flow < x->nflows ? x->flow[flow].n : 0;
}

const struct pkt_ref *
findex_get(const struct findex *x, uint32_t flow, size_t i)
{
	return &x->flow[flow].v[i];
}

void
findex_drop(struct findex *x, uint32_t flow)
{
	if (flow >= x->nflows)
		return;
	struct refvec *v = &x->flow[flow];
	x->bytes -= (size_t)v->cap * sizeof *v->v;
	free(v->v);
	*v = (struct refvec){ NULL, 0, 0 };
}

size_t
findex_bytes(const struct findex *x)
{
	return x->bytes + x->nflows * sizeof *x->flow;
}
