/*
 * findview.c — grouping findings for lists (see findview.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "findings.h"
#include "findview.h"
#include "flow.h"
#include "xalloc.h"

struct item {
	const struct finding *f;
	struct addr	 src, dst;
	uint16_t	 port;
	uint32_t	 group;
	int64_t		 group_first;
};

static int
key_cmp(const struct item *a, const struct item *b)
{
	int c;

	if (a->f->type != b->f->type)
		return strcmp(a->f->type, b->f->type);
	if ((c = memcmp(&a->src, &b->src, sizeof a->src)) != 0)
		return c;
	if ((c = memcmp(&a->dst, &b->dst, sizeof a->dst)) != 0)
		return c;
	return a->port < b->port ? -1 : a->port > b->port;
}

static int
cmp_key_value(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	int c = key_cmp(a, b);

	if (c != 0)
		return c;
	if (a->f->value != b->f->value)
		return strcmp(a->f->value, b->f->value);
	if (a->f->ts_ns != b->f->ts_ns)
		return a->f->ts_ns < b->f->ts_ns ? -1 : 1;
	return a->f < b->f ? -1 : a->f > b->f;
}

static int
cmp_rows(const void *x, const void *y)
{
	const struct find_row *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if ((a->more != 0) != (b->more != 0))
		return a->more != 0 ? 1 : -1;		/* the summary ends its group */
	if (a->f->ts_ns != b->f->ts_ns)
		return a->f->ts_ns < b->f->ts_ns ? -1 : 1;
	return a->f < b->f ? -1 : a->f > b->f;
}

/* Groups ordered by their first finding's time. */
struct gorder {
	uint32_t	 group;
	int64_t		 first;
	const struct finding *f;
};

static int
cmp_gorder(const void *x, const void *y)
{
	const struct gorder *a = x, *b = y;

	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return a->f < b->f ? -1 : a->f > b->f;
}

size_t
findview_rows(struct analysis *a, struct find_row **out)
{
	const struct findings *fs = analysis_findings(a);
	size_t n = findings_count(fs), nrows = 0, ngroups = 0;
	struct item *it = xcalloc(n + 1, sizeof *it);
	struct find_row *rows = xcalloc(n + 1, sizeof *rows);

	for (size_t i = 0; i < n; i++) {
		const struct finding *f = findings_get(fs, i);
		struct find_ends e;
		it[i].f = f;
		if (analysis_finding_ends(a, f, &e) == 0) {
			it[i].src = f->dir == 0 ? e.a : e.b;
			it[i].dst = f->dir == 0 ? e.b : e.a;
			it[i].port = f->dir == 0 ? e.pb : e.pa;		/* the receiver's */
		}
	}
	qsort(it, n, sizeof *it, cmp_key_value);
	/* One row per value of a group, counts summed over its flows. */
	for (size_t i = 0; i < n; ) {
		size_t j = i;
		if (i > 0 && key_cmp(&it[i], &it[i - 1]) != 0)
			ngroups++;
		struct find_row *r = &rows[nrows++];
		r->f = it[i].f;
		r->group = (uint32_t)ngroups;
		for (; j < n && key_cmp(&it[j], &it[i]) == 0 && it[j].f->value == it[i].f->value;
		    j++) {
			r->count += it[j].f->count;
			r->nflows++;
			r->accepted += it[j].f->outcome == OUTCOME_ACCEPTED;
			r->rejected += it[j].f->outcome == OUTCOME_REJECTED;
		}
		i = j;
	}
	if (n > 0)
		ngroups++;
	qsort(rows, nrows, sizeof *rows, cmp_rows);
	/* Big groups: the first values, then one summary row. */
	size_t k = 0;
	for (size_t i = 0; i < nrows; ) {
		size_t j = i;
		while (j < nrows && rows[j].group == rows[i].group)
			j++;
		if (j - i >= FINDVIEW_MANY) {
			struct find_row sum = { .f = rows[i + FINDVIEW_SHOWN].f,
			    .group = rows[i].group, .more = (uint32_t)(j - i - FINDVIEW_SHOWN) };
			for (size_t m = i + FINDVIEW_SHOWN; m < j; m++) {
				sum.count += rows[m].count;
				sum.nflows += rows[m].nflows;
				sum.accepted += rows[m].accepted;
				sum.rejected += rows[m].rejected;
			}
			for (size_t m = i; m < i + FINDVIEW_SHOWN; m++)
				rows[k++] = rows[m];
			rows[k++] = sum;
		} else
			for (size_t m = i; m < j; m++)
				rows[k++] = rows[m];
		i = j;
	}
	nrows = k;
	/* Groups in the order they first happened. */
	struct gorder *go = xcalloc(ngroups + 1, sizeof *go);
	for (size_t i = 0; i < ngroups; i++)
		go[i].group = (uint32_t)i;
	for (size_t i = 0; i < nrows; i++) {
		struct gorder *g = &go[rows[i].group];
		if (g->f == NULL || rows[i].f->ts_ns < g->first) {
			g->first = rows[i].f->ts_ns;
			g->f = rows[i].f;
		}
	}
	qsort(go, ngroups, sizeof *go, cmp_gorder);
	uint32_t *rank = xcalloc(ngroups + 1, sizeof *rank);
	for (size_t i = 0; i < ngroups; i++)
		rank[go[i].group] = (uint32_t)i;
	for (size_t i = 0; i < nrows; i++)
		rows[i].group = rank[rows[i].group];
	qsort(rows, nrows, sizeof *rows, cmp_rows);
	free(rank);
	free(go);
	free(it);
	*out = rows;
	return nrows;
}

uint32_t
finding_device1(struct analysis *a, const struct finding *fd)
{
	struct find_ends e;

	if (analysis_finding_ends(a, fd, &e) < 0)
		return 0;
	return e.dev[fd->dir] != 0 ? e.dev[fd->dir] : e.dev[!fd->dir];
}
