/*
 * pane-findings.c — what the payloads leak: credentials, tokens, identifiers and personal
 * data of the selected device (or every device), grouped as findview.h groups them (one
 * row per value of a type between two endpoints, a password-guessing run cut to its first
 * values and one row for the rest).  Enter opens the payload viewer at the packet the value
 * came in, with the value's bytes searched and highlighted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "device.h"
#include "findings.h"
#include "findview.h"
#include "flow.h"
#include "patterns.h"
#include "table.h"
#include "tui.h"
#include "xalloc.h"

enum { C_SEV, C_TYPE, C_VALUE, C_USER, C_DEVICE, C_REMOTE, C_OUTCOME, C_COUNT, C_FLOW,
	C_PKT, C_OFF, C_TIME, C_N };

static const struct table_col cols[C_N] = {
	[C_SEV] = { "SEV", 6, 0, 0, 1 },
	[C_TYPE] = { "TYPE", 14, 0, 0, 0 },
	[C_VALUE] = { "VALUE", 26, 4, 0, 0 },
	[C_USER] = { "USER", 10, 1, 0, 1 },
	[C_DEVICE] = { "DEVICE", 12, 1, 0, 2 },
	[C_REMOTE] = { "REMOTE", 15, 1, 0, 2 },
	[C_OUTCOME] = { "OUTCOME", 8, 0, 0, 1 },
	[C_COUNT] = { "COUNT", 5, 0, 1, 1 },
	[C_FLOW] = { "FLOW", 4, 0, 1, 3 },
	[C_PKT] = { "PKT", 5, 0, 1, 4 },
	[C_OFF] = { "OFFSET", 6, 0, 1, 5 },
	[C_TIME] = { "TIME", 12, 0, 0, 4 },
};

struct findpane {
	struct tui	*t;
	struct table	 table;
	struct find_row	*v;
	size_t		 n;
	size_t		 at;		/* findings the rows were built from */
};

static size_t
src_count(void *ctx)
{
	return ((struct findpane *)ctx)->n;
}

static uint32_t
src_id(void *ctx, size_t i)
{
	(void)ctx;
	return (uint32_t)i;
}

static int
src_keep(void *ctx, uint32_t id)
{
	struct findpane *fp = ctx;

	return fp->t->device1 == 0 || finding_device1(fp->t->a, fp->v[id].f) == fp->t->device1;
}

static void
src_cell(void *ctx, uint32_t id, int col, char *buf, size_t len)
{
	struct findpane *fp = ctx;
	const struct find_row *r = &fp->v[id];
	const struct finding *f = r->f;
	struct analysis *a = fp->t->a;

	buf[0] = '\0';
	switch (col) {
	case C_SEV:
		snprintf(buf, len, "%s", find_sev_name(f->sev));
		break;
	case C_TYPE:
		snprintf(buf, len, "%s", f->type);
		break;
	case C_VALUE:
		if (r->more > 0)
			snprintf(buf, len, "… and %u more values", r->more);
		else
			snprintf(buf, len, "%s", f->value);
		break;
	case C_USER:
		snprintf(buf, len, "%s", f->user != NULL && r->more == 0 ? f->user : "");
		break;
	case C_DEVICE: {
		uint32_t d1 = finding_device1(a, f);
		if (d1 != 0) {
			const struct device *d = device_get(analysis_devices(a), d1 - 1);
			const char *nm = device_best_name(d);
			char mb[32];
			snprintf(buf, len, "%s", nm != NULL ? nm : d->has_mac ?
			    mac_fmt(d->mac, mb, sizeof mb) : "");
		}
		break;
	}
	case C_REMOTE: {
		struct find_ends e;
		if (analysis_finding_ends(a, f, &e) == 0) {
			/* The other end from the device's point of view. */
			int local = e.dev[f->dir] != 0 ? f->dir : !f->dir;
			char ip[ADDR_STRLEN];
			addr_fmt(local == 0 ? &e.b : &e.a, ip, sizeof ip);
			snprintf(buf, len, "%s:%u", ip, local == 0 ? e.pb : e.pa);
		}
		break;
	}
	case C_OUTCOME:
		if (r->accepted > 0 && r->rejected > 0)
			snprintf(buf, len, "%u ok %u no", r->accepted, r->rejected);
		else if (r->accepted > 0 || r->rejected > 0)
			snprintf(buf, len, "%s", r->accepted > 0 ? "accepted" : "rejected");
		break;
	case C_COUNT:
		snprintf(buf, len, "%llu", (unsigned long long)r->count);
		break;
	case C_FLOW:
		if (!(f->flow & FIND_FOLDED))	/* folded: its id may name a later flow */
			snprintf(buf, len, "%u", f->flow);
		break;
	case C_PKT:
		snprintf(buf, len, "%llu", (unsigned long long)f->pkt_num);
		break;
	case C_OFF:
		snprintf(buf, len, "%llu", (unsigned long long)f->off);
		break;
	case C_TIME:
		tui_clock(f->ts_ns, buf, len);
		break;
	}
}

static int
cmp_u64(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

static int
src_cmp(void *ctx, uint32_t x, uint32_t y, int col)
{
	struct findpane *fp = ctx;
	const struct find_row *a = &fp->v[x], *b = &fp->v[y];
	char bx[256], by[256];

	switch (col) {
	case C_SEV:
		/* High first when ascending: the order an investigator reads them in. */
		if (a->f->sev != b->f->sev)
			return a->f->sev < b->f->sev ? -1 : 1;
		return cmp_u64(x, y);
	case C_COUNT:
		return cmp_u64(a->count, b->count);
	case C_FLOW:
		return cmp_u64(a->f->flow, b->f->flow);
	case C_PKT:
		return cmp_u64(a->f->pkt_num, b->f->pkt_num);
	case C_OFF:
		return cmp_u64(a->f->off, b->f->off);
	case C_TIME:
		/* The grouped order: groups by first sighting, values in time. */
		return cmp_u64(x, y);
	default:
		src_cell(ctx, x, col, bx, sizeof bx);
		src_cell(ctx, y, col, by, sizeof by);
		return strcasecmp(bx, by);
	}
}

static int
src_fresh(void *ctx, uint32_t id)
{
	struct findpane *fp = ctx;

	return tui_is_new(fp->t, fp->v[id].f->ts_ns);
}

static const struct table_src src = {
	.count = src_count, .id = src_id, .cell = src_cell, .cmp = src_cmp, .keep = src_keep,
	.fresh = src_fresh,
};

/* Rows are rebuilt only when findings were added; the selection follows its finding. */
static void
fpane_refresh(struct tui *t, void *p)
{
	struct findpane *fp = p;
	const struct findings *fs = analysis_findings(t->a);
	uint32_t id;
	const struct finding *sel = NULL;

	if (findings_count(fs) != fp->at || fp->v == NULL) {
		if (table_selected(&fp->table, &id) && id < fp->n)
			sel = fp->v[id].f;
		free(fp->v);
		fp->n = findview_rows(t->a, &fp->v);
		fp->at = findings_count(fs);
		for (size_t i = 0; sel != NULL && i < fp->n; i++)
			if (fp->v[i].f == sel) {
				fp->table.sel_id = (uint32_t)i;
				break;
			}
	}
	table_refresh(&fp->table, &src, fp);
}

static void *
fpane_init(struct tui *t)
{
	struct findpane *fp = xcalloc(1, sizeof *fp);

	fp->t = t;
	table_init(&fp->table, cols, C_N, C_TIME, 0);
	return fp;
}

static void
fpane_free(void *p)
{
	struct findpane *fp = p;

	table_fini(&fp->table);
	free(fp->v);
	free(fp);
}

static void
fpane_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	struct findpane *fp = p;
	char title[160];

	if (analysis_patterns(t->a) == NULL)
		snprintf(title, sizeof title, "Findings: not looked for (--no-findings)");
	else
		snprintf(title, sizeof title, "Findings of %s: %zu rows, %zu findings",
		    t->device1 == 0 ? "all devices" : "the selected device", fp->table.nrows,
		    findings_count(analysis_findings(t->a)));
	term_fill(w, y, x, wd, A_NORMAL);
	term_text(&t->term, w, y, x, title, wd, term_attr(&t->term, TC_TITLE));
	table_draw(&fp->table, &t->term, w, y + 1, x, h - 1, wd, &src, fp, focused);
}

/*
 * The value's bytes as the wire had them, as a regular expression that matches exactly
 * them: letters and digits as they are, everything else as \xHH.
 */
static void
literal_rx(const char *s, char *buf, size_t len)
{
	size_t k = 0;

	for (; *s != '\0' && k + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			buf[k++] = (char)c;
		else
			k += (size_t)snprintf(buf + k, len - k, "\\x%02x", c);
	}
	buf[k] = '\0';
}

static int
fpane_key(struct tui *t, void *p, int key)
{
	struct findpane *fp = p;
	uint32_t id;

	if (table_key(&fp->table, key))
		return 1;
	if (table_sort_key(&fp->table, key, &src, fp))
		return 1;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
	case 'l': {
		if (!table_selected(&fp->table, &id) || id >= fp->n)
			return 1;
		const struct finding *f = fp->v[id].f;
		/* A folded flow's packets can no longer be read back. */
		if (analysis_findex(t->a) == NULL || (f->flow & FIND_FOLDED))
			return 1;
		t->flow1 = f->flow + 1;
		t->payload_ref1 = f->pkt_ord + 1;
		literal_rx(f->raw != NULL ? f->raw : f->value, t->payload_rx, sizeof t->payload_rx);
		tui_changed(t);
		tui_focus(t, PANE_PAYLOAD, 1);
		return 1;
	}
	case 27:
		return table_clear_filter(&fp->table, &src, fp);
	default:
		return 0;
	}
}

static int
fpane_click(struct tui *t, void *p, int y, int x)
{
	(void)t;
	(void)x;
	return table_click(&((struct findpane *)p)->table, y);
}

static int
fpane_search(struct tui *t, void *p, const char *text, char *err, size_t errlen)
{
	struct findpane *fp = p;

	(void)t;
	(void)err;
	(void)errlen;
	table_set_filter(&fp->table, text, &src, fp);
	return 0;
}

static const char *
fpane_filter(void *p)
{
	return table_filter(&((struct findpane *)p)->table);
}

const struct pane_ops pane_findings = {
	.name = "Findings",
	.abbrev = "Find",
	.help = "Enter, l\topen the payload viewer at the value, highlighted\n"
	    "s / S\tsort by the next column / reverse the order\n"
	    "/\tshow only rows containing a text (type, value, device, category)\n"
	    "Esc\tclear the filter",
	.hints = "Enter show  / filter  s sort",
	.init = fpane_init,
	.free = fpane_free,
	.update = fpane_refresh,
	.draw = fpane_draw,
	.key = fpane_key,
	.click = fpane_click,
	.search = fpane_search,
	.filter = fpane_filter,
};
