/*
 * pane-search.c — search everywhere: one PCRE2 expression run over every flow's payload,
 * each flow read back and reassembled as the payload viewer shows it (stream.h), and the
 * flows with matches listed with their counts.  Enter opens the viewer on a flow at its
 * first match, where n and N walk the rest.  The search reads the whole capture back, a
 * slice at a time between keys (Esc stops it), and says how long it took.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "device.h"
#include "findex.h"
#include "flow.h"
#include "rx.h"
#include "stream.h"
#include "table.h"
#include "triage.h"
#include "tui.h"
#include "xalloc.h"

#define FLOW_MATCHES_MAX	10000	/* counted per flow; "+" past it */

enum { C_FLOW, C_DEVICE, C_LOCAL, C_REMOTE, C_APP, C_MATCHES, C_BYTES, C_N };

static const struct table_col cols[C_N] = {
	[C_FLOW] = { "FLOW", 4, 0, 1, 1 },
	[C_DEVICE] = { "DEVICE", 12, 1, 0, 0 },
	[C_LOCAL] = { "LOCAL", 21, 1, 0, 2 },
	[C_REMOTE] = { "REMOTE", 21, 1, 0, 0 },
	[C_APP] = { "APP", 7, 0, 0, 1 },
	[C_MATCHES] = { "MATCHES", 7, 0, 1, 0 },
	[C_BYTES] = { "BYTES", 6, 0, 1, 3 },
};

struct hit {
	uint32_t	 flow;
	uint32_t	 matches;
};

struct search {
	struct tui	*t;
	struct table	 table;
	char		 text[256];
	struct hit	*v;
	size_t		 n, cap;
	uint64_t	 total;
	size_t		 flows;		/* flows searched */
	double		 secs;
	struct rx	*rx;		/* while a search runs */
	size_t		 next;		/* the next flow it looks at */
	double		 t0;
	char		 err[256];
};

static size_t
src_count(void *ctx)
{
	return ((struct search *)ctx)->n;
}

static uint32_t
src_id(void *ctx, size_t i)
{
	(void)ctx;
	return (uint32_t)i;
}

static int
local_side(const struct flow *f)
{
	return f->dev[0] != 0 || f->dev[1] == 0 ? 0 : 1;
}

static int
src_keep(void *ctx, uint32_t id)
{
	struct search *s = ctx;
	const struct flow *f = flow_get(analysis_flows(s->t->a), s->v[id].flow);

	return s->t->device1 == 0 || f->dev[0] == s->t->device1 || f->dev[1] == s->t->device1;
}

static void
src_cell(void *ctx, uint32_t id, int col, char *buf, size_t len)
{
	struct search *s = ctx;
	const struct hit *h = &s->v[id];
	const struct flow *f = flow_get(analysis_flows(s->t->a), h->flow);
	int l = local_side(f);

	buf[0] = '\0';
	switch (col) {
	case C_FLOW:
		snprintf(buf, len, "%u", h->flow);
		break;
	case C_DEVICE:
		if (f->dev[l] != 0) {
			const struct device *d = device_get(analysis_devices(s->t->a), f->dev[l] - 1);
			const char *nm = device_best_name(d);
			char mb[32];
			snprintf(buf, len, "%s", nm != NULL ? nm : d->has_mac ?
			    mac_fmt(d->mac, mb, sizeof mb) : "");
		}
		break;
	case C_LOCAL:
		flow_endpoint_str(f, l, buf, len);
		break;
	case C_REMOTE:
		flow_endpoint_str(f, !l, buf, len);
		break;
	case C_APP: {
		char pb[32];
		const char *pn = triage_proto(analysis_triage(s->t->a, f), pb, sizeof pb);
		snprintf(buf, len, "%s", pn != NULL ? pn : "");
		break;
	}
	case C_MATCHES:
		snprintf(buf, len, "%u%s", h->matches, h->matches >= FLOW_MATCHES_MAX ? "+" : "");
		break;
	case C_BYTES:
		tui_bytes(f->payload_cap[0] + f->payload_cap[1], buf, len);
		break;
	}
}

static int
src_cmp(void *ctx, uint32_t x, uint32_t y, int col)
{
	struct search *s = ctx;
	const struct hit *a = &s->v[x], *b = &s->v[y];
	char bx[256], by[256];

	switch (col) {
	case C_FLOW:
		return a->flow < b->flow ? -1 : a->flow > b->flow;
	case C_MATCHES:
		return a->matches < b->matches ? -1 : a->matches > b->matches;
	default:
		src_cell(ctx, x, col, bx, sizeof bx);
		src_cell(ctx, y, col, by, sizeof by);
		return strcasecmp(bx, by);
	}
}

static const struct table_src src = {
	.count = src_count, .id = src_id, .cell = src_cell, .cmp = src_cmp, .keep = src_keep,
};

static void
search_refresh(struct tui *t, void *p)
{
	struct search *s = p;

	(void)t;
	table_refresh(&s->table, &src, s);
}

static void *
search_init(struct tui *t)
{
	struct search *s = xcalloc(1, sizeof *s);

	s->t = t;
	table_init(&s->table, cols, C_N, C_FLOW, 0);
	return s;
}

static void
search_free(void *p)
{
	struct search *s = p;

	table_fini(&s->table);
	rx_free(s->rx);
	free(s->v);
	free(s);
}

static void
search_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	struct search *s = p;
	char title[1024];

	if (s->text[0] == '\0')
		snprintf(title, sizeof title, "Search every flow's payload: press / and type a "
		    "PCRE2 expression");
	else if (s->rx != NULL)
		snprintf(title, sizeof title, "/%s/: searching, flow %zu of %zu: %llu matches in "
		    "%zu flows so far (Esc stops)", s->text, s->next,
		    flow_count(analysis_flows(t->a)), (unsigned long long)s->total, s->n);
	else
		snprintf(title, sizeof title, "/%s/: %llu matches in %zu of %zu flows (%.2f s)%s%s",
		    s->text, (unsigned long long)s->total, s->n, s->flows, s->secs,
		    s->err[0] != '\0' ? "; " : "", s->err);
	term_fill(w, y, x, wd, A_NORMAL);
	term_text(&t->term, w, y, x, title, wd, term_attr(&t->term, TC_TITLE));
	table_draw(&s->table, &t->term, w, y + 1, x, h - 1, wd, &src, s, focused);
}

static int
search_key(struct tui *t, void *p, int key)
{
	struct search *s = p;
	uint32_t id;

	if (table_key(&s->table, key))
		return 1;
	if (table_sort_key(&s->table, key, &src, s))
		return 1;
	switch (key) {
	case 27:
		if (s->rx == NULL)
			return 0;
		rx_free(s->rx);		/* stop: what was found stays listed */
		s->rx = NULL;
		s->secs = tui_now() - s->t0;
		snprintf(s->err, sizeof s->err, "stopped after %zu flows", s->flows);
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
	case 'l':
		if (!table_selected(&s->table, &id) || id >= s->n)
			return 1;
		t->flow1 = s->v[id].flow + 1;
		t->payload_ref1 = 0;
		snprintf(t->payload_rx, sizeof t->payload_rx, "%s", s->text);
		tui_changed(t);
		tui_focus(t, PANE_PAYLOAD, 1);
		return 1;
	default:
		return 0;
	}
}

static int
search_click(struct tui *t, void *p, int y, int x)
{
	(void)t;
	(void)x;
	return table_click(&((struct search *)p)->table, y);
}

/*
 * Searches flows from s->next on for about a time slice (the event loop calls this between
 * keys, as it steps the analysis while loading): 1 while flows remain, 2 when done, 0 idle.
 */
static int
search_work(struct tui *t, void *p)
{
	struct search *s = p;
	const struct findex *x = analysis_findex(t->a);
	const struct flow_table *ft = analysis_flows(t->a);
	double until = tui_now() + 0.02;

	if (s->rx == NULL)
		return 0;
	while (s->next < flow_slots(ft) && tui_now() < until) {
		size_t i = s->next++;
		if (x == NULL || findex_count(x, (uint32_t)i) == 0)
			continue;
		struct conv c;
		struct conv_match *m = NULL;
		size_t nm = 0;
		char e[200];
		memset(&c, 0, sizeof c);
		if (conv_build(&c, t->a, (uint32_t)i) < 0)
			continue;
		s->flows++;
		long rc = conv_search(&c, t->a, s->rx, &m, &nm, FLOW_MATCHES_MAX, e, sizeof e);
		if (rc < 0 && s->err[0] == '\0')
			snprintf(s->err, sizeof s->err, "flow %zu: %s", i, e);
		conv_free(&c);
		free(m);
		if (nm == 0)
			continue;
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 64;
			s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
		}
		s->v[s->n++] = (struct hit){ .flow = (uint32_t)i, .matches = (uint32_t)nm };
		s->total += nm;
	}
	table_refresh(&s->table, &src, s);
	if (s->next < flow_slots(ft))
		return 1;
	rx_free(s->rx);
	s->rx = NULL;
	s->secs = tui_now() - s->t0;
	tui_message(t, s->err[0] != '\0', "/%s/: %llu matches in %zu flows%s%s", s->text,
	    (unsigned long long)s->total, s->n, s->err[0] != '\0' ? "; " : "", s->err);
	return 2;
}

/* Starts a search of every flow with payload; search_work does it a slice at a time. */
static int
search_run(struct tui *t, void *p, const char *text, char *err, size_t errlen)
{
	struct search *s = p;

	if (text[0] == '\0')
		return 0;
	struct rx *rx = rx_new(text, 0, err, errlen);
	if (rx == NULL)
		return -1;
	if (analysis_findex(t->a) == NULL) {
		rx_free(rx);
		snprintf(err, errlen, "no packet index: payloads cannot be read back");
		return -1;
	}
	rx_free(s->rx);
	s->rx = rx;
	s->t0 = tui_now();
	s->next = 0;
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
	s->total = 0;
	s->flows = 0;
	s->err[0] = '\0';
	snprintf(s->text, sizeof s->text, "%s", text);
	s->table.has_sel = 0;
	table_refresh(&s->table, &src, s);
	return 1;
}

static const char *
search_filter(void *p)
{
	struct search *s = p;
	return s->text[0] != '\0' ? s->text : NULL;
}

const struct pane_ops pane_search = {
	.name = "Search",
	.abbrev = "Srch",
	.help = "/\trun a PCRE2 expression over every flow's payload\n"
	    "Enter, l\topen the viewer at the flow's first match (n / N: next, previous)\n"
	    "Esc\tstop a search that is running\n"
	    "s / S\tsort by the next column / reverse the order",
	.hints = "/ search  Enter show  s sort",
	.init = search_init,
	.free = search_free,
	.update = search_refresh,
	.draw = search_draw,
	.key = search_key,
	.click = search_click,
	.search = search_run,
	.filter = search_filter,
	.work = search_work,
};
