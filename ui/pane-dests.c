/*
 * pane-dests.c — the remote endpoints the selected device (or every device) talked to,
 * aggregated over its flows: address, name, services, flows, packets and bytes each way,
 * first and last contact.  Enter lists the flows with that address.  Rebuilt from the flow
 * table on each refresh (a few times a second while loading), in one pass with a hash index.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "flow.h"
#include "hash.h"
#include "table.h"
#include "tui.h"
#include "xalloc.h"

#define SERVICES_MAX	4

enum { C_ADDR, C_NAME, C_SERVICES, C_FLOWS, C_POUT, C_PIN, C_BOUT, C_BIN, C_LAST, C_N };

static const struct table_col cols[C_N] = {
	[C_ADDR] = { "REMOTE", 15, 1, 0, 0 },
	[C_NAME] = { "NAME", 12, 3, 0, 0 },
	[C_SERVICES] = { "SERVICES", 9, 1, 0, 1 },
	[C_FLOWS] = { "FLOWS", 5, 0, 1, 2 },
	[C_POUT] = { "PKT>", 5, 0, 1, 4 },
	[C_PIN] = { "PKT<", 5, 0, 1, 4 },
	[C_BOUT] = { "BYTES>", 6, 0, 1, 3 },
	[C_BIN] = { "BYTES<", 6, 0, 1, 3 },
	[C_LAST] = { "LAST", 12, 0, 0, 5 },
};

struct dest {
	struct addr	 ip;
	uint32_t	 device1;	/* a local device that talked to it, for naming */
	uint32_t	 flows;
	uint64_t	 pkts[2], bytes[2];	/* 0: out (local → remote), 1: in */
	int64_t		 first_ns, last_ns;
	uint16_t	 svc_port[SERVICES_MAX];
	uint8_t		 svc_proto[SERVICES_MAX];
	int		 nsvc;
};

struct dests {
	struct tui	*t;
	struct table	 table;
	struct dest	*v;
	size_t		 n, cap;
	uint32_t	*idx;		/* open addressing: dest index + 1 */
	size_t		 idx_cap;
};

static void
add_service(struct dest *d, uint8_t proto, uint16_t port)
{
	for (int i = 0; i < d->nsvc; i++)
		if (d->svc_proto[i] == proto && d->svc_port[i] == port)
			return;
	if (d->nsvc < SERVICES_MAX) {
		d->svc_proto[d->nsvc] = proto;
		d->svc_port[d->nsvc++] = port;
	}
}

static struct dest *
find(struct dests *ds, const struct addr *ip)
{
	if (2 * (ds->n + 1) > ds->idx_cap) {
		ds->idx_cap = ds->idx_cap != 0 ? ds->idx_cap * 2 : 256;
		free(ds->idx);
		ds->idx = xcalloc(ds->idx_cap, sizeof *ds->idx);
		for (size_t i = 0; i < ds->n; i++) {
			size_t j = addr_hash(&ds->v[i].ip) & (ds->idx_cap - 1);
			while (ds->idx[j] != 0)
				j = (j + 1) & (ds->idx_cap - 1);
			ds->idx[j] = (uint32_t)i + 1;
		}
	}
	size_t j = addr_hash(ip) & (ds->idx_cap - 1);
	while (ds->idx[j] != 0) {
		struct dest *d = &ds->v[ds->idx[j] - 1];
		if (addr_cmp(&d->ip, ip) == 0)
			return d;
		j = (j + 1) & (ds->idx_cap - 1);
	}
	if (ds->n == ds->cap) {
		ds->cap = ds->cap != 0 ? ds->cap * 2 : 64;
		ds->v = xreallocarray(ds->v, ds->cap, sizeof *ds->v);
	}
	struct dest *d = &ds->v[ds->n];
	memset(d, 0, sizeof *d);
	d->ip = *ip;
	ds->idx[j] = (uint32_t)++ds->n;
	return d;
}

static void
rebuild(struct dests *ds)
{
	const struct tui *t = ds->t;
	const struct flow_table *ft = analysis_flows(t->a);

	ds->n = 0;
	if (ds->idx != NULL)
		memset(ds->idx, 0, ds->idx_cap * sizeof *ds->idx);
	for (size_t i = 0; i < flow_count(ft); i++) {
		const struct flow *f = flow_get(ft, i);
		int l;
		if (t->device1 != 0) {
			if (f->dev[0] != t->device1 && f->dev[1] != t->device1)
				continue;
			l = f->dev[0] == t->device1 ? 0 : 1;
		} else {
			if (f->dev[0] == 0 && f->dev[1] == 0)
				continue;
			l = f->dev[0] != 0 ? 0 : 1;
		}
		int r = !l;
		struct dest *d = find(ds, r == 0 ? &f->key.a : &f->key.b);
		if (d->flows == 0 || f->first_ns < d->first_ns)
			d->first_ns = f->first_ns;
		if (f->last_ns > d->last_ns)
			d->last_ns = f->last_ns;
		d->flows++;
		d->device1 = f->dev[l];
		d->pkts[0] += f->pkts[l];
		d->pkts[1] += f->pkts[r];
		d->bytes[0] += f->bytes[l];
		d->bytes[1] += f->bytes[r];
		add_service(d, f->key.proto, r == 0 ? f->key.pa : f->key.pb);
	}
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
		const char *n = analysis_ip_name(ds->t->a, &d->ip, d->device1);
		snprintf(buf, len, "%s", n != NULL ? n : "");
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
		snprintf(buf, len, "%u", d->flows);
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

static const struct table_src src = {
	.count = src_count, .id = src_id, .cell = src_cell, .cmp = src_cmp,
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
	free(ds->idx);
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
		tui_changed(t);
		tui_focus(t, PANE_FLOWS, 1);
		return 1;
	case 27:
		if (ds->table.filter[0] != '\0') {
			ds->table.filter[0] = '\0';
			table_refresh(&ds->table, &src, ds);
			return 1;
		}
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
	snprintf(ds->table.filter, sizeof ds->table.filter, "%s", text);
	table_refresh(&ds->table, &src, ds);
	return 0;
}

static const char *
dests_filter(void *p)
{
	struct dests *ds = p;
	return ds->table.filter[0] != '\0' ? ds->table.filter : NULL;
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
