/*
 * pane-countries.c — where the data goes, by country: the countries table (the paper's
 * Table 5) with a bar of bytes per country drawn in the terminal, every country database's
 * disagreement marked, and which databases answered.  Enter lists the flows that reach the
 * selected country, of every device.  Rebuilt from dests.h's tables on each refresh.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "dests.h"
#include "geo.h"
#include "table.h"
#include "tui.h"
#include "xalloc.h"

#define BAR_WIDTH	24

enum { C_CC, C_NAME, C_DEVICES, C_DESTS, C_FLOWS, C_BOUT, C_BIN, C_BAR, C_N };

static const struct table_col cols[C_N] = {
	[C_CC] = { "CC", 3, 0, 0, 0 },
	[C_NAME] = { "COUNTRY", 12, 2, 0, 0 },
	[C_DEVICES] = { "DEVICES", 7, 0, 1, 1 },
	[C_DESTS] = { "DESTS", 5, 0, 1, 3 },
	[C_FLOWS] = { "FLOWS", 5, 0, 1, 3 },
	[C_BOUT] = { "BYTES>", 6, 0, 1, 2 },
	[C_BIN] = { "BYTES<", 6, 0, 1, 2 },
	[C_BAR] = { "BYTES BOTH WAYS", BAR_WIDTH, 1, 0, 1 },
};

struct countries {
	struct tui	*t;
	struct table	 table;
	struct geo_tables gt;
	uint64_t	 max;		/* the largest country's bytes: the full bar */
};

static size_t
src_count(void *ctx)
{
	return ((struct countries *)ctx)->gt.ncountries;
}

static uint32_t
src_id(void *ctx, size_t i)
{
	(void)ctx;
	return (uint32_t)i;
}

static uint64_t
total(const struct country_row *c)
{
	return c->bytes[0] + c->bytes[1];
}

static void
src_cell(void *ctx, uint32_t id, int col, char *buf, size_t len)
{
	struct countries *cs = ctx;
	const struct country_row *c = &cs->gt.countries[id];

	switch (col) {
	case C_CC:
		snprintf(buf, len, "%s%s", c->cc[0] != '\0' ? c->cc : "??", c->disagree ? "*" :
		    "");
		break;
	case C_NAME:
		snprintf(buf, len, "%s", c->cc[0] != '\0' && c->name != NULL ? c->name :
		    c->cc[0] != '\0' ? c->cc : "unknown");
		break;
	case C_DEVICES:
		snprintf(buf, len, "%u", c->devices);
		break;
	case C_DESTS:
		snprintf(buf, len, "%u", c->dests);
		break;
	case C_FLOWS:
		snprintf(buf, len, "%llu", (unsigned long long)c->flows);
		break;
	case C_BOUT:
	case C_BIN:
		tui_bytes(c->bytes[col == C_BIN], buf, len);
		break;
	case C_BAR: {
		/* Whole cells by eighths would be finer; whole cells read at a glance. */
		int n = cs->max > 0 ? (int)((double)total(c) * BAR_WIDTH / (double)cs->max + 0.5) :
		    0;
		const char *cell = cs->t->term.utf8 ? "\u2588" : "#";
		size_t o = 0, cl = strlen(cell);
		if (n == 0 && total(c) > 0)
			n = 1;			/* something went there: show it */
		buf[0] = '\0';
		for (int i = 0; i < n && o + cl + 1 < len; i++, o += cl)
			memcpy(buf + o, cell, cl + 1);
		char num[16];
		tui_bytes(total(c), num, sizeof num);
		snprintf(buf + o, len - o, " %s", num);
		break;
	}
	}
}

static int
src_cmp(void *ctx, uint32_t x, uint32_t y, int col)
{
	struct countries *cs = ctx;
	const struct country_row *a = &cs->gt.countries[x], *b = &cs->gt.countries[y];
	char bx[128], by[128];

	switch (col) {
	case C_DEVICES:
		return a->devices < b->devices ? -1 : a->devices > b->devices;
	case C_DESTS:
		return a->dests < b->dests ? -1 : a->dests > b->dests;
	case C_FLOWS:
		return a->flows < b->flows ? -1 : a->flows > b->flows;
	case C_BOUT:
	case C_BIN:
		return a->bytes[col == C_BIN] < b->bytes[col == C_BIN] ? -1 :
		    a->bytes[col == C_BIN] > b->bytes[col == C_BIN];
	case C_BAR:
		return total(a) < total(b) ? -1 : total(a) > total(b);
	default:
		src_cell(ctx, x, col, bx, sizeof bx);
		src_cell(ctx, y, col, by, sizeof by);
		return strcasecmp(bx, by);
	}
}

static const struct table_src src = {
	.count = src_count, .id = src_id, .cell = src_cell, .cmp = src_cmp,
};

/* Row ids are positions in the rebuilt table: the selection follows the country code. */
static void
countries_update(struct tui *t, void *p)
{
	struct countries *cs = p;
	struct dest *v;
	uint32_t id;
	char sel[3] = "";
	int had = table_selected(&cs->table, &id) && id < cs->gt.ncountries;

	if (had)
		memcpy(sel, cs->gt.countries[id].cc, sizeof sel);
	geo_tables_free(&cs->gt);
	size_t n = dests_build(t->a, 0, 1, &v);
	geo_tables_build(t->a, v, n, &cs->gt);
	free(v);
	cs->max = 0;
	for (size_t i = 0; i < cs->gt.ncountries; i++)
		if (total(&cs->gt.countries[i]) > cs->max)
			cs->max = total(&cs->gt.countries[i]);
	if (had)
		for (size_t i = 0; i < cs->gt.ncountries; i++)
			if (strcmp(cs->gt.countries[i].cc, sel) == 0)
				cs->table.sel_id = (uint32_t)i;
	table_refresh(&cs->table, &src, cs);
}

static void *
countries_init(struct tui *t)
{
	struct countries *cs = xcalloc(1, sizeof *cs);
	cs->t = t;
	table_init(&cs->table, cols, C_N, C_BAR, 1);
	return cs;
}

static void
countries_free(void *p)
{
	struct countries *cs = p;
	table_fini(&cs->table);
	geo_tables_free(&cs->gt);
	free(cs);
}

static void
countries_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	struct countries *cs = p;
	struct geo *g = analysis_geo(t->a);
	char title[256];

	if (geo_has_country(g) == 0)
		snprintf(title, sizeof title, "Countries: no country database (make geoip, or "
		    "--geoip FILE); %u of %u devices reach public addresses", cs->gt.devices_public,
		    (unsigned)cs->gt.ndevices);
	else
		snprintf(title, sizeof title, "Countries: %zu; %u of %u devices reach more than one"
		    "%s", cs->gt.ncountries, cs->gt.devices_multi, cs->gt.devices_public,
		    geo_has_country(g) > 1 ? "; by the first database, * where they disagree" :
		    "");
	term_fill(w, y, x, wd, A_NORMAL);
	term_text(&t->term, w, y, x, title, wd, term_attr(&t->term, TC_TITLE));
	table_draw(&cs->table, &t->term, w, y + 1, x, h - 1, wd, &src, cs, focused);
}

static int
countries_key(struct tui *t, void *p, int key)
{
	struct countries *cs = p;
	uint32_t id;

	if (table_key(&cs->table, key))
		return 1;
	if (table_sort_key(&cs->table, key, &src, cs))
		return 1;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
	case 'l':
		if (!table_selected(&cs->table, &id) || id >= cs->gt.ncountries)
			return 1;
		/* Every device's flows there: the devices column of the flows says whose. */
		memcpy(t->country, cs->gt.countries[id].cc, sizeof t->country);
		t->has_country = 1;
		t->has_remote = 0;
		t->device1 = 0;
		tui_changed(t);
		tui_focus(t, PANE_FLOWS, 1);
		return 1;
	case 27:
		if (table_clear_filter(&cs->table, &src, cs))
			return 1;
		return 0;
	default:
		return 0;
	}
}

static int
countries_search(struct tui *t, void *p, const char *text, char *err, size_t errlen)
{
	struct countries *cs = p;

	(void)t;
	(void)err;
	(void)errlen;
	table_set_filter(&cs->table, text, &src, cs);
	return 0;
}

static const char *
countries_filter(void *p)
{
	struct countries *cs = p;
	return table_filter(&cs->table);
}

static int
countries_click(struct tui *t, void *p, int y, int x)
{
	(void)t;
	(void)x;
	return table_click(&((struct countries *)p)->table, y);
}

const struct pane_ops pane_countries = {
	.name = "Countries",
	.abbrev = "Ctry",
	.help = "Enter, l\tthe flows of every device to the selected country\n"
	    "s / S\tsort by the next column / reverse the order\n"
	    "/\tshow only rows containing a text (code or name)",
	.hints = "Enter flows  s sort",
	.init = countries_init,
	.free = countries_free,
	.update = countries_update,
	.draw = countries_draw,
	.key = countries_key,
	.click = countries_click,
	.search = countries_search,
	.filter = countries_filter,
};
