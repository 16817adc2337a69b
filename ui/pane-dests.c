/*
 * pane-dests.c — the remote endpoints the selected device (or every device) talked to,
 * aggregated over its flows (dests.h): address, best name, country and network owner,
 * services and protocols, flows, packets and bytes each way, verdicts, last contact.  Enter
 * lists the flows with that address.  Rebuilt on each refresh (a few times a second while
 * loading): one pass over the flows, and geolocation answers come from their cache.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "flow.h"
#include "dests.h"
#include "geo.h"
#include "names.h"
#include "table.h"
#include "triage.h"
#include "tui.h"
#include "xalloc.h"

enum { C_ADDR, C_NAME, C_CC, C_ORG, C_SERVICES, C_PROTOS, C_FLOWS, C_POUT, C_PIN, C_BOUT,
	C_BIN, C_VERDICTS, C_LAST, C_N };

static const struct table_col cols[C_N] = {
	[C_ADDR] = { "REMOTE", 15, 1, 0, 0 },
	[C_NAME] = { "NAME", 16, 3, 0, 0 },
	[C_CC] = { "CC", 5, 0, 0, 1 },
	[C_ORG] = { "OWNER", 18, 2, 0, 2 },
	[C_SERVICES] = { "SERVICES", 9, 1, 0, 4 },
	[C_PROTOS] = { "PROTOCOLS", 9, 1, 0, 3 },
	[C_FLOWS] = { "FLOWS", 5, 0, 1, 2 },
	[C_POUT] = { "PKT>", 5, 0, 1, 5 },
	[C_PIN] = { "PKT<", 5, 0, 1, 5 },
	[C_BOUT] = { "BYTES>", 6, 0, 1, 3 },
	[C_BIN] = { "BYTES<", 6, 0, 1, 3 },
	[C_VERDICTS] = { "VERDICTS", 9, 1, 0, 4 },
	[C_LAST] = { "LAST", 12, 0, 0, 6 },
};

struct dests {
	struct tui	*t;
	struct table	 table;
	struct dest	*v;		/* dests_build's rows for the selected device */
	size_t		 n;
};

static void
rebuild(struct dests *ds)
{
	free(ds->v);
	ds->n = dests_build(ds->t->a, ds->t->device1, 0, &ds->v);
}

static size_t
src_count(void *ctx)
{
	return ((struct dests *)ctx)->n;
}

static uint32_t
src_id(void *ctx, size_t i)
{
	(void)ctx;
	return (uint32_t)i;
}

static void
src_cell(void *ctx, uint32_t id, int col, char *buf, size_t len)
{
	struct dests *ds = ctx;
	const struct dest *d = &ds->v[id];
	char b[16];

	switch (col) {
	case C_ADDR:
		addr_fmt(&d->ip, buf, len);
		break;
	case C_NAME: {
		/* The best name, and how many others the address went by. */
		const struct names *nm = analysis_names(ds->t->a);
		size_t others = names_distinct(nm, &d->ip);
		others = others > 0 ? others - 1 : 0;
		if (others > 0 && d->name != NULL)
			snprintf(buf, len, "%s (+%zu)", d->name, others);
		else
			snprintf(buf, len, "%s", d->name != NULL ? d->name : "");
		break;
	}
	case C_CC:
		if (d->geo.cls != ADDR_PUBLIC)
			snprintf(buf, len, "-");
		else
			geo_codes(&d->geo, buf, len);	/* all answers when they disagree */
		break;
	case C_ORG:
		if (d->geo.cls != ADDR_PUBLIC)
			snprintf(buf, len, "(%s)", addr_class_name(d->geo.cls));
		else if (d->geo.asn != 0)
			snprintf(buf, len, "AS%u %s", d->geo.asn, d->geo.org != NULL ? d->geo.org :
			    "");
		else
			buf[0] = '\0';
		break;
	case C_PROTOS:
		snprintf(buf, len, "%s", d->protos);
		break;
	case C_VERDICTS: {
		char vs[80];
		snprintf(buf, len, "%s", triage_verdict_set(d->verdicts, vs, sizeof vs) != NULL ?
		    vs : "");
		break;
	}
	case C_SERVICES: {
		size_t o = 0;
		buf[0] = '\0';
		for (int i = 0; i < d->nsvc && o + 1 < len; i++) {
			int ports = d->svc_proto[i] == IPPROTO_TCP || d->svc_proto[i] == IPPROTO_UDP;
			if (ports)
				o += (size_t)snprintf(buf + o, len - o, "%s%s/%u", i > 0 ? " " : "",
				    flow_proto_name(d->svc_proto[i], b, sizeof b), d->svc_port[i]);
			else
				o += (size_t)snprintf(buf + o, len - o, "%s%s", i > 0 ? " " : "",
				    flow_proto_name(d->svc_proto[i], b, sizeof b));
		}
		break;
	}
	case C_FLOWS:
		snprintf(buf, len, "%llu", (unsigned long long)d->flows);
		break;
	case C_POUT:
	case C_PIN:
		snprintf(buf, len, "%llu", (unsigned long long)d->pkts[col == C_PIN]);
		break;
	case C_BOUT:
	case C_BIN:
		tui_bytes(d->bytes[col == C_BIN], buf, len);
		break;
	case C_LAST:
		tui_clock(d->last_ns, buf, len);
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
	struct dests *ds = ctx;
	const struct dest *a = &ds->v[x], *b = &ds->v[y];
	char bx[256], by[256];

	switch (col) {
	case C_ADDR:
		return addr_cmp(&a->ip, &b->ip);
	case C_FLOWS:
		return cmp_u64(a->flows, b->flows);
	case C_POUT:
	case C_PIN:
		return cmp_u64(a->pkts[col == C_PIN], b->pkts[col == C_PIN]);
	case C_BOUT:
	case C_BIN:
		return cmp_u64(a->bytes[col == C_BIN], b->bytes[col == C_BIN]);
	case C_LAST:
		return a->last_ns < b->last_ns ? -1 : a->last_ns > b->last_ns;
	default:
		src_cell(ctx, x, col, bx, sizeof bx);
		src_cell(ctx, y, col, by, sizeof by);
		return strcasecmp(bx, by);
	}
}

/* Sort keys in src_cmp's order (see table.h). */
static int
src_key(void *ctx, uint32_t id, int col, uint64_t *out)
{
	struct dests *ds = ctx;
	const struct dest *d = &ds->v[id];

	switch (col) {
	case C_ADDR:
		*out = tui_endpoint_key(&d->ip, 0);
		return TABLE_KEY_PREFIX;
	case C_FLOWS:
		*out = d->flows;
		break;
	case C_POUT:
	case C_PIN:
		*out = d->pkts[col == C_PIN];
		break;
	case C_BOUT:
	case C_BIN:
		*out = d->bytes[col == C_BIN];
		break;
	case C_LAST:
		*out = (uint64_t)d->last_ns ^ 1ull << 63;
		break;
	default:
		return TABLE_KEY_TEXT;
	}
	return TABLE_KEY_EXACT;
}

static int
src_fresh(void *ctx, uint32_t id)
{
	struct dests *ds = ctx;

	return tui_is_new(ds->t, ds->v[id].first_ns);
}

static const struct table_src src = {
	.count = src_count, .id = src_id, .cell = src_cell, .cmp = src_cmp, .key = src_key,
	.fresh = src_fresh,
};

/*
 * Row ids are positions in the rebuilt array, which change as flows arrive: the selection
 * is carried over by address instead.
 */
static void
dests_refresh(struct tui *t, void *p)
{
	struct dests *ds = p;
	struct addr sel;
	uint32_t id;
	int had = table_selected(&ds->table, &id) && id < ds->n;

	(void)t;
	if (had)
		sel = ds->v[id].ip;
	rebuild(ds);
	if (had)
		for (size_t i = 0; i < ds->n; i++)
			if (addr_cmp(&ds->v[i].ip, &sel) == 0) {
				ds->table.sel_id = (uint32_t)i;
				break;
			}
	table_refresh(&ds->table, &src, ds);
}

static void *
dests_init(struct tui *t)
{
	struct dests *ds = xcalloc(1, sizeof *ds);
	ds->t = t;
	table_init(&ds->table, cols, C_N, C_BOUT, 1);
	return ds;
}

static void
dests_free(void *p)
{
	struct dests *ds = p;
	table_fini(&ds->table);
	free(ds->v);
	free(ds);
}

static void
dests_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	struct dests *ds = p;
	char title[128];

	snprintf(title, sizeof title, "Destinations of %s: %zu",
	    t->device1 == 0 ? "all devices" : "the selected device", ds->table.nrows);
	term_fill(w, y, x, wd, A_NORMAL);
	term_text(&t->term, w, y, x, title, wd, term_attr(&t->term, TC_TITLE));
	table_draw(&ds->table, &t->term, w, y + 1, x, h - 1, wd, &src, ds, focused);
}

static int
dests_key(struct tui *t, void *p, int key)
{
	struct dests *ds = p;
	uint32_t id;

	if (table_key(&ds->table, key))
		return 1;
	if (table_sort_key(&ds->table, key, &src, ds))
		return 1;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
	case 'l':
		if (!table_selected(&ds->table, &id) || id >= ds->n)
			return 1;
		t->remote = ds->v[id].ip;
		t->has_remote = 1;
		t->has_country = 0;
		tui_changed(t);
		tui_focus(t, PANE_FLOWS, 1);
		return 1;
	case 27:
		if (table_clear_filter(&ds->table, &src, ds))
			return 1;
		return 0;
	default:
		return 0;
	}
}

static int
dests_click(struct tui *t, void *p, int y, int x)
{
	(void)t;
	(void)x;
	return table_click(&((struct dests *)p)->table, y);
}

static int
dests_search(struct tui *t, void *p, const char *text, char *err, size_t errlen)
{
	struct dests *ds = p;
	(void)t;
	(void)err;
	(void)errlen;
	table_set_filter(&ds->table, text, &src, ds);
	return 0;
}

static const char *
dests_filter(void *p)
{
	struct dests *ds = p;
	return table_filter(&ds->table);
}

const struct pane_ops pane_dests = {
	.name = "Destinations",
	.abbrev = "Dest",
	.help = "Enter, l\tlist the flows with the selected address\n"
	    "s / S\tsort by the next column / reverse the order\n"
	    "/\tshow only rows containing a text (IP, name, service)\n"
	    "Esc\tclear the filter",
	.hints = "Enter flows  / filter  s sort",
	.init = dests_init,
	.free = dests_free,
	.update = dests_refresh,
	.draw = dests_draw,
	.key = dests_key,
	.click = dests_click,
	.search = dests_search,
	.filter = dests_filter,
};
