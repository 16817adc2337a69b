/*
 * pane-heatmap.c — entropy at a glance: one row per flow (or per device, d), its cells the
 * entropy of successive windows (1 KiB, or --window) of its payload in capture order (or of equal slices of
 * the capture's time, t), coloured on a 0..8 bits/byte scale with a legend, shade characters
 * in monochrome.  Rows are sorted lowest entropy first: cleartext floats to the top.  Cells
 * are computed only for rows on screen, by reading their packets back; Enter on a cell opens
 * the payload viewer at that window.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "device.h"
#include "entropy.h"
#include "findex.h"
#include "flow.h"
#include "options.h"
#include "overview.h"
#include "triage.h"
#include "tui.h"
#include "windows.h"
#include "xalloc.h"

#define LABEL_WIDTH	32
#define SLICE_SAMPLE	(16 * 1024)	/* bytes read at most per time slice */
#define WARM_SLICE_S	0.010		/* heatmap_work's slice between looks at the keyboard */

struct cell {
	uint8_t		 e32;		/* entropy × 32 */
	uint8_t		 valid;
	uint32_t	 flow;		/* the flow and packet the window starts in */
	uint32_t	 ref;
};

struct hrow {
	uint32_t	 id;		/* flow or device id */
	double		 entropy;	/* over all its payload */
	uint64_t	 bytes;
	struct cell	*cells;
	int		 ncells;	/* computed for this many columns */
	int		 partial;	/* the last window is partial */
};

struct heatmap {
	struct tui	*t;
	int		 devices;	/* rows are devices, else flows */
	int		 time;		/* columns are time slices, else payload windows */
	struct hrow	*rows;
	size_t		 nrows;
	size_t		 sel, top;
	int		 col;		/* cursor column */
	int		 ncols;		/* cell columns of the last draw */
	int		 page;
	uint64_t	 generation;
	uint32_t	 device1;	/* the device the rows were built for (tui's device1) */
	/* heatmap_work's build of the flow rows ahead, installed when complete */
	struct hrow	*build;		/* room for build_n rows; no cells */
	size_t		 nbuild, build_next, build_n;
	uint64_t	 build_gen;
	uint32_t	 build_dev1;
};

/* A cell keeps entropy × 32 in a byte: 256 levels are more than any colour scale shows. */
static uint8_t
heat_level(double e)
{
	long q = lround(e * 32);
	return (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : q);
}

static void
free_rows(struct heatmap *h)
{
	for (size_t i = 0; i < h->nrows; i++)
		free(h->rows[i].cells);
	free(h->rows);
	h->rows = NULL;
	h->nrows = 0;
}

/*
 * Rows (made in id order) sorted lowest entropy first, ties by id: a stable radix sort of
 * their indices by the entropy's bits (a non-negative double's bits order as it does), 11
 * bits a pass.  A million flows took qsort 300 ms of 40-byte moves and calls.
 */
static void
sort_by_entropy(struct hrow **rows, size_t n)
{
	uint64_t *key = xreallocarray(NULL, n, sizeof *key);
	uint32_t *ix = xreallocarray(NULL, n, sizeof *ix);
	uint32_t *tmp = xreallocarray(NULL, n, sizeof *tmp);
	uint64_t any = 0;

	for (size_t i = 0; i < n; i++) {
		double e = (*rows)[i].entropy > 0 ? (*rows)[i].entropy : 0;
		memcpy(&key[i], &e, sizeof key[i]);
		any |= key[i];
		ix[i] = (uint32_t)i;
	}
	for (int shift = 0; shift < 64 && (any >> shift) != 0; shift += 11) {
		size_t count[2048 + 1] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(key[ix[i]] >> shift & 2047) + 1]++;
		for (int d = 0; d < 2048; d++)
			count[d + 1] += count[d];
		for (size_t i = 0; i < n; i++)
			tmp[count[key[ix[i]] >> shift & 2047]++] = ix[i];
		uint32_t *t = ix;
		ix = tmp;
		tmp = t;
	}
	struct hrow *v = xreallocarray(NULL, n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = (*rows)[ix[i]];
	free(*rows);
	*rows = v;
	free(key);
	free(ix);
	free(tmp);
}

static int
by_id(const void *x, const void *y)
{
	const struct hrow *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

/*
 * Flow rows from slot *next up to the build's end into rows, until the clock passes end:
 * 1 when some remain.  Each flow's entropy is kept beside its triage between builds.
 */
static int
collect_flows(struct heatmap *h, struct hrow *rows, size_t *nrows, size_t *next, size_t n,
    double end)
{
	struct analysis *a = h->t->a;
	const struct flow_table *ft = analysis_flows(a);
	uint32_t dev1 = h->t->device1;

	while (*next < n) {
		size_t i = (*next)++;
		const struct flow *f = flow_get(ft, i);
		if (flow_held(f) && f->ext != NULL &&
		    (dev1 == 0 || f->dev[0] == dev1 || f->dev[1] == dev1)) {
			uint64_t bytes;
			double e = analysis_flow_entropy(a, f, &bytes);
			if (bytes != 0)
				rows[(*nrows)++] = (struct hrow){ .id = (uint32_t)i, .entropy = e,
				    .bytes = bytes };
		}
		if ((*next & 1023) == 0 && tui_now() >= end)
			return 1;
	}
	return 0;
}

/* One row per device with payload, from the histograms of its flows. */
static size_t
collect_devices(struct heatmap *h, struct hrow **out)
{
	struct analysis *a = h->t->a;
	const struct flow_table *ft = analysis_flows(a);
	size_t n = device_count(analysis_devices(a)), nrows = 0;
	struct hist *acc = xcalloc(n + 1, sizeof *acc);
	struct hrow *rows = xcalloc(n + 1, sizeof *rows);

	for (size_t i = 0; i < flow_slots(ft); i++) {
		const struct flow *f = flow_get(ft, i);	/* a free slot has no devices */
		for (int s = 0; s < 2; s++)
			if (f->dev[s] != 0 && (s == 0 || f->dev[1] != f->dev[0])) {
				flow_hist_add(&acc[f->dev[s] - 1], f, 0);
				flow_hist_add(&acc[f->dev[s] - 1], f, 1);
			}
	}
	for (size_t i = 0; i < n; i++) {
		struct ent_figures e;
		entropy_figures(&acc[i], &e);
		if (e.n != 0)
			rows[nrows++] = (struct hrow){ .id = (uint32_t)i, .entropy = e.entropy,
			    .bytes = e.n };
		hist_fini(&acc[i]);
	}
	free(acc);
	*out = rows;
	return nrows;
}

/* rows (owned from here) replace the shown ones, sorted lowest entropy first. */
static void
install(struct heatmap *h, struct hrow *rows, size_t nrows)
{
	uint32_t sel_id = h->sel < h->nrows ? h->rows[h->sel].id : UINT32_MAX;
	struct hrow *old = h->rows;
	size_t nold = h->nrows;

	h->rows = rows;
	h->nrows = nrows;
	/* Rows whose bytes did not change keep their cells: computing them costs reads. */
	if (nold > 0)
		qsort(old, nold, sizeof *old, by_id);
	for (size_t i = 0; i < h->nrows && nold > 0; i++) {
		struct hrow *o = bsearch(&h->rows[i], old, nold, sizeof *old, by_id);
		if (o != NULL && o->bytes == h->rows[i].bytes) {
			h->rows[i].cells = o->cells;
			h->rows[i].ncells = o->ncells;
			h->rows[i].partial = o->partial;
			o->cells = NULL;
		}
	}
	for (size_t i = 0; i < nold; i++)
		free(old[i].cells);
	free(old);
	sort_by_entropy(&h->rows, h->nrows);
	h->sel = 0;
	for (size_t i = 0; i < h->nrows; i++)
		if (h->rows[i].id == sel_id)
			h->sel = i;
	h->generation = h->t->generation;
	h->device1 = h->t->device1;
}

static void
build_drop(struct heatmap *h)
{
	free(h->build);
	h->build = NULL;
	h->nbuild = h->build_next = h->build_n = 0;
}

/* A build of the flow rows for what the workbench shows now, started afresh. */
static void
build_start(struct heatmap *h)
{
	build_drop(h);
	h->build_n = flow_slots(analysis_flows(h->t->a));
	h->build = xcalloc(h->build_n + 1, sizeof *h->build);
	h->build_gen = h->t->generation;
	h->build_dev1 = h->t->device1;
}

static int
build_current(const struct heatmap *h)
{
	return h->build != NULL && h->build_gen == h->t->generation &&
	    h->build_dev1 == h->t->device1;
}

/* Rows with payload, sorted lowest entropy first; cells are computed when drawn. */
static void
rebuild(struct heatmap *h)
{
	if (h->devices) {
		struct hrow *rows;
		size_t n = collect_devices(h, &rows);
		install(h, rows, n);
		return;
	}
	/* What heatmap_work built so far is finished rather than begun again. */
	if (!build_current(h))
		build_start(h);
	(void)collect_flows(h, h->build, &h->nbuild, &h->build_next, h->build_n, INFINITY);
	struct hrow *rows = h->build;
	size_t n = h->nbuild;
	h->build = NULL;
	build_drop(h);
	install(h, rows, n);
}

static int
stale(const struct heatmap *h)
{
	return h->rows == NULL || h->generation != h->t->generation ||
	    h->device1 != h->t->device1;
}

/* A packet of a row, with what orders a device's flows into one capture timeline. */
struct rref {
	struct wref	 w;
	int64_t		 ts;
	uint64_t	 off;
	uint32_t	 input;
};

static int
by_capture(const void *x, const void *y)
{
	const struct rref *a = x, *b = y;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

/* The packets of a row in capture order (a device: all its flows merged). */
static size_t
row_refs(struct heatmap *h, const struct hrow *r, struct wref **out)
{
	struct analysis *a = h->t->a;
	const struct findex *x = analysis_findex(a);
	const struct flow_table *ft = analysis_flows(a);
	struct rref *v = NULL;
	size_t n = 0;

	if (!h->devices)
		return windows_flow_refs(a, r->id, out);
	for (size_t i = 0; i < flow_slots(ft) && x != NULL; i++) {
		const struct flow *f = flow_get(ft, i);
		if (f->dev[0] != r->id + 1 && f->dev[1] != r->id + 1)
			continue;
		size_t k = findex_count(x, (uint32_t)i);
		v = xreallocarray(v, n + k + 1, sizeof *v);
		for (size_t j = 0; j < k; j++) {
			const struct pkt_ref *p = findex_get(x, (uint32_t)i, j);
			v[n++] = (struct rref){ { (uint32_t)i, (uint32_t)j }, p->ts_ns, p->offset,
			    p->input };
		}
	}
	if (n > 0)
		qsort(v, n, sizeof *v, by_capture);
	struct wref *w = xcalloc(n + 1, sizeof *w);
	for (size_t i = 0; i < n; i++)
		w[i] = v[i].w;
	free(v);
	*out = w;
	return n;
}

/* Fills the row's cells for ncols columns by reading its packets back. */
static void
compute(struct heatmap *h, struct hrow *r, int ncols)
{
	struct analysis *a = h->t->a;
	struct wref *refs;
	size_t n = row_refs(h, r, &refs);
	struct payload_buf pb = { NULL, 0 };
	char err[256];

	free(r->cells);
	r->cells = xcalloc((size_t)ncols, sizeof *r->cells);
	r->ncells = ncols;
	r->partial = 0;
	if (!h->time) {
		struct ent_windows w;
		uint32_t *start = xcalloc((size_t)ncols, sizeof *start);
		ent_windows_init(&w, h->t->opt->window != 0 ? h->t->opt->window : 1024);
		windows_feed(a, refs, n, &w, (uint32_t)ncols, start);
		for (uint32_t i = 0; i < w.n && i < (uint32_t)ncols; i++)
			r->cells[i] = (struct cell){ heat_level(w.v[i]), 1, refs[start[i]].flow,
			    refs[start[i]].idx };
		if (w.n < (uint32_t)ncols && w.fill > 0) {
			r->cells[w.n] = (struct cell){ heat_level(ent_windows_partial(&w)), 1,
			    refs[start[w.n]].flow, refs[start[w.n]].idx };
			r->partial = 1;
		}
		free(start);
		ent_windows_fini(&w);
	} else {
		/* Time slices of the whole capture: one histogram per column. */
		const struct overview *ov = analysis_overview(a);
		int64_t t0 = ov->first_ns, span = ov->last_ns - ov->first_ns + 1;
		uint32_t (*c)[256] = xcalloc((size_t)ncols, sizeof *c);
		uint64_t *tot = xcalloc((size_t)ncols, sizeof *tot);
		const struct findex *x = analysis_findex(a);
		for (size_t i = 0; i < n; i++) {
			const struct pkt_ref *p = findex_get(x, refs[i].flow, refs[i].idx);
			struct span s;
			int col = (int)((double)(p->ts_ns - t0) / (double)span * ncols);
			/* A sample of each slice is enough for its colour, and bounds the
			 * reads for a flow of gigabytes. */
			if (col < 0 || col >= ncols || tot[col] >= SLICE_SAMPLE)
				continue;
			if (analysis_payload(a, p, &pb, &s, err, sizeof err) < 0)
				continue;
			if (tot[col] == 0) {
				r->cells[col].flow = refs[i].flow;
				r->cells[col].ref = refs[i].idx;
			}
			struct rd rs = rd_make(s.p, s.n);
			while (rd_left(&rs) > 0)
				c[col][rd_u8(&rs)]++;
			tot[col] += s.n;
		}
		for (int i = 0; i < ncols; i++)
			if (tot[i] > 0) {
				r->cells[i].e32 = heat_level(entropy_of_counts(c[i], tot[i]));
				r->cells[i].valid = 1;
			}
		free(c);
		free(tot);
	}
	analysis_payload_buf_free(&pb);
	free(refs);
}

static void
label(struct heatmap *h, const struct hrow *r, char *buf, size_t len)
{
	struct analysis *a = h->t->a;
	char b1[64], b2[16];

	if (h->devices) {
		const struct device *d = device_get(analysis_devices(a), r->id);
		const char *n = device_best_name(d);
		snprintf(buf, len, "%4.2f %s", r->entropy, n != NULL ? n : d->has_mac ?
		    mac_fmt(d->mac, b1, sizeof b1) : addr_fmt(&d->key_ip, b1, sizeof b1));
		return;
	}
	const struct flow *f = flow_get(analysis_flows(a), r->id);
	const struct flow_triage *t = analysis_triage(a, f);
	int remote = f->dev[0] != 0 ? 1 : 0;
	const char *nm = analysis_ip_name(a, remote ? &f->key.b : &f->key.a, f->dev[!remote]);
	snprintf(buf, len, "%4.2f %-8.8s %s", r->entropy,
	    triage_proto(t, b2, sizeof b2) != NULL ? b2 : flow_proto_name(f->key.proto, b2,
	    sizeof b2), nm != NULL ? nm : addr_fmt(remote ? &f->key.b : &f->key.a, b1, sizeof b1));
}

static void
heatmap_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int hh, int wd, int focused)
{
	struct heatmap *h = p;
	const struct term *tm = &t->term;
	char line[256];

	(void)focused;
	if (stale(h))
		rebuild(h);
	/* Title and legend. */
	term_fill(w, y, x, wd, A_NORMAL);
	unsigned ws = t->opt->window != 0 ? t->opt->window : 1024;
	char wname[32];
	if (ws % 1024 == 0)
		snprintf(wname, sizeof wname, "%u KiB windows", ws / 1024);
	else
		snprintf(wname, sizeof wname, "%u-byte windows", ws);
	snprintf(line, sizeof line, "Entropy heatmap: %zu %s, %s  ",
	    h->nrows, h->devices ? "devices" : "flows", h->time ? "time slices" : wname);
	int cx = x + term_text(tm, w, y, x, line, wd, term_attr(tm, TC_TITLE));
	for (int l = 0; l < TERM_HEAT_LEVELS && cx + 6 < x + wd; l++) {
		attr_t a;
		const char *c = term_heat(tm, term_heat_floor(l), &a);
		snprintf(line, sizeof line, "%.0f", term_heat_floor(l));
		cx += term_text(tm, w, y, cx, line, 2, A_NORMAL);
		term_text(tm, w, y, cx, c, 1, a);
		term_text(tm, w, y, cx + 1, c, 1, a);
		cx += 3;
	}
	if (cx + 2 < x + wd)
		term_text(tm, w, y, cx, "8 bits/byte", x + wd - cx, A_NORMAL);
	int ncols = wd - LABEL_WIDTH - 1;
	h->ncols = ncols;
	h->page = hh - 1;
	if (h->sel < h->top)
		h->top = h->sel;
	if (h->sel >= h->top + (size_t)h->page)
		h->top = h->sel - (size_t)h->page + 1;
	if (h->col >= ncols)
		h->col = ncols > 0 ? ncols - 1 : 0;
	for (int r = 0; r < hh - 1; r++) {
		size_t i = h->top + (size_t)r;
		int ry = y + 1 + r;
		term_fill(w, ry, x, wd, A_NORMAL);
		if (i >= h->nrows || ncols <= 0)
			continue;
		struct hrow *row = &h->rows[i];
		if (row->ncells != ncols)
			compute(h, row, ncols);
		label(h, row, line, sizeof line);
		attr_t la = i == h->sel ? term_attr(tm, TC_SELECTED) : A_NORMAL;
		term_fill(w, ry, x, LABEL_WIDTH, la);
		term_text(tm, w, ry, x, line, LABEL_WIDTH, la);
		for (int c = 0; c < ncols; c++) {
			if (!row->cells[c].valid)
				continue;
			attr_t a;
			const char *s = term_heat(tm, row->cells[c].e32 / 32.0, &a);
			if (i == h->sel && c == h->col)
				a |= A_REVERSE | A_BOLD;
			/* The last, partial window: a bar in colour, underlined shade without. */
			if (row->partial && (c + 1 == ncols || !row->cells[c + 1].valid) &&
			    !h->time) {
				if (tm->colour)
					s = "|";
				else
					a |= A_UNDERLINE;
			}
			term_text(tm, w, ry, x + LABEL_WIDTH + 1 + c, s, 1, a);
		}
	}
}

static void *
heatmap_init(struct tui *t)
{
	struct heatmap *h = xcalloc(1, sizeof *h);
	h->t = t;
	return h;
}

static void
heatmap_free(void *p)
{
	struct heatmap *h = p;
	free_rows(h);
	build_drop(h);
	free(h);
}

static void
heatmap_update(struct tui *t, void *p)
{
	/*
	 * Nothing to do: the rows are rebuilt when next drawn if the data changed since they
	 * were built (the generation), which heatmap_work may have done ahead.
	 */
	(void)t;
	(void)p;
}

static int
heatmap_key(struct tui *t, void *p, int key)
{
	struct heatmap *h = p;
	size_t page = h->page > 1 ? (size_t)h->page - 1 : 1;

	/* Keys typed ahead of the first draw act on the rows that draw will show. */
	if (stale(h))
		rebuild(h);
	switch (key) {
	case KEY_UP:
	case 'k':
		if (h->sel > 0)
			h->sel--;
		return 1;
	case KEY_DOWN:
	case 'j':
		if (h->sel + 1 < h->nrows)
			h->sel++;
		return 1;
	case KEY_PPAGE:
		h->sel = h->sel > page ? h->sel - page : 0;
		return 1;
	case KEY_NPAGE:
		h->sel = h->sel + page < h->nrows ? h->sel + page : (h->nrows > 0 ? h->nrows - 1 : 0);
		return 1;
	case KEY_HOME:
	case 'g':
		h->sel = 0;
		return 1;
	case KEY_END:
	case 'G':
		h->sel = h->nrows > 0 ? h->nrows - 1 : 0;
		return 1;
	case KEY_RIGHT:
	case 'l':
		h->col++;
		return 1;
	case KEY_LEFT:
		if (h->col > 0)
			h->col--;
		return 1;
	case 'd':
		h->devices = !h->devices;
		h->sel = h->top = 0;
		free_rows(h);
		rebuild(h);
		return 1;
	case 't':
		h->time = !h->time;
		for (size_t i = 0; i < h->nrows; i++)
			h->rows[i].ncells = 0;
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (h->sel >= h->nrows)
			return 1;
		struct hrow *r = &h->rows[h->sel];
		/* Keys typed ahead: the cells may not have been drawn yet. */
		if (r->ncells <= h->col)
			compute(h, r, h->ncols > h->col ? h->ncols : h->col + 1);
		int cell = h->col < r->ncells && r->cells[h->col].valid;
		if (h->devices) {
			/* The device's flows, or the flow the window starts in, at that packet. */
			t->device1 = r->id + 1;
			t->has_remote = t->has_country = 0;
			if (!cell) {
				tui_changed(t);
				tui_focus(t, PANE_FLOWS, 1);
				return 1;
			}
		}
		t->flow1 = (cell ? r->cells[h->col].flow : r->id) + 1;
		t->payload_ref1 = cell ? r->cells[h->col].ref + 1 : 0;
		tui_changed(t);
		tui_focus(t, PANE_PAYLOAD, 1);
		return 1;
	default:
		return 0;
	}
}

/*
 * Once the capture is loaded, the flow rows are built ahead, a slice at a time while the
 * keyboard is idle (shown or not), and installed when complete: the pane's first showing
 * over a million flows then only draws.  Device rows, a few, are built when shown.
 */
static int
heatmap_work(struct tui *t, void *p)
{
	struct heatmap *h = p;

	if (!t->loaded || h->devices || !stale(h))
		return 0;
	if (!build_current(h))
		build_start(h);
	if (collect_flows(h, h->build, &h->nbuild, &h->build_next, h->build_n,
	    tui_now() + WARM_SLICE_S))
		return 1;
	struct hrow *rows = h->build;
	size_t n = h->nbuild;
	h->build = NULL;
	build_drop(h);
	install(h, rows, n);
	return 0;
}

const struct pane_ops pane_heatmap = {
	.name = "Heatmap",
	.abbrev = "Heat",
	.help = "d\trows: flows or devices\n"
	    "t\tcolumns: payload windows (1 KiB, --window) or time slices\n"
	    "left/right\tmove the cell cursor\n"
	    "Enter\topen the payload viewer at that window (device rows: in the flow it starts in)",
	.hints = "d rows  t columns  Enter open",
	.init = heatmap_init,
	.free = heatmap_free,
	.update = heatmap_update,
	.draw = heatmap_draw,
	.key = heatmap_key,
	.work = heatmap_work,
};
