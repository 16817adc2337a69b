/*
 * pane-flows.c — the flows of the selected device (or of all devices, or of one remote
 * address chosen in the destinations pane), seen from the local side: local and remote
 * endpoint, the remote's name, packets and bytes each way, duration, first seen.  Enter opens
 * the payload viewer on the selected flow.  Later columns (entropy, verdict, country,
 * findings) are more entries of the column table.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "device.h"
#include "findings.h"
#include "flow.h"
#include "geo.h"
#include "table.h"
#include "triage.h"
#include "tui.h"
#include "xalloc.h"

enum { C_ID, C_PROTO, C_LOCAL, C_REMOTE, C_NAME, C_CC, C_APP, C_FIND, C_POUT, C_PIN, C_BOUT,
	C_BIN, C_EOUT, C_EIN, C_VOUT, C_VIN, C_DUR, C_FIRST, C_N };

static const struct table_col cols[C_N] = {
	[C_ID] = { "#", 4, 0, 1, 5 },
	[C_PROTO] = { "PROTO", 5, 0, 0, 0 },
	[C_LOCAL] = { "LOCAL", 21, 1, 0, 1 },
	[C_REMOTE] = { "REMOTE", 21, 1, 0, 0 },
	[C_NAME] = { "NAME", 12, 3, 0, 0 },
	[C_CC] = { "CC", 5, 0, 0, 2 },
	[C_APP] = { "APP", 7, 0, 0, 1 },
	[C_FIND] = { "FIND", 4, 0, 1, 2 },
	[C_EOUT] = { "ENT>", 5, 0, 1, 2 },
	[C_EIN] = { "ENT<", 5, 0, 1, 2 },
	[C_VOUT] = { "VERDICT>", 10, 0, 0, 1 },
	[C_VIN] = { "VERDICT<", 10, 0, 0, 1 },
	[C_POUT] = { "PKT>", 5, 0, 1, 3 },
	[C_PIN] = { "PKT<", 5, 0, 1, 3 },
	[C_BOUT] = { "BYTES>", 6, 0, 1, 2 },
	[C_BIN] = { "BYTES<", 6, 0, 1, 2 },
	[C_DUR] = { "DUR", 6, 0, 1, 4 },
	[C_FIRST] = { "FIRST", 12, 0, 0, 6 },
};

struct flows {
	struct tui	*t;
	struct table	 table;
};

/* The local side of f as the pane sees it: the selected device's, else a station's. */
static int
local_side(const struct tui *t, const struct flow *f)
{
	if (t->device1 != 0)
		return f->dev[0] == t->device1 ? 0 : 1;
	if (f->dev[0] == 0 && f->dev[1] != 0)
		return 1;
	return 0;
}

static size_t
src_count(void *ctx)
{
	struct flows *fl = ctx;
	return flow_slots(analysis_flows(fl->t->a));
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
	struct flows *fl = ctx;
	const struct tui *t = fl->t;
	const struct flow *f = flow_get(analysis_flows(t->a), id);

	if (!flow_held(f))
		return 0;		/* a free slot: its flow was folded (memory limit) */
	if (t->device1 != 0 && f->dev[0] != t->device1 && f->dev[1] != t->device1)
		return 0;
	if (t->has_remote || t->has_country) {
		int l = local_side(t, f);
		const struct addr *r = l == 0 ? &f->key.b : &f->key.a;
		if (t->has_remote && addr_cmp(r, &t->remote) != 0)
			return 0;
		if (t->has_country) {
			struct geo_answer g;
			geo_lookup(analysis_geo(t->a), r, &g);
			if (g.cls != ADDR_PUBLIC || strcmp(g.cc[0], t->country) != 0)
				return 0;
		}
	}
	return 1;
}

static void
endpoint(const struct flow *f, int side, char *buf, size_t len)
{
	char a[ADDR_STRLEN];
	const struct addr *ip = side == 0 ? &f->key.a : &f->key.b;
	uint16_t port = side == 0 ? f->key.pa : f->key.pb;
	int ports = f->key.proto == IPPROTO_TCP || f->key.proto == IPPROTO_UDP ||
	    f->key.proto == 132;

	addr_fmt(ip, a, sizeof a);
	if (!ports)
		snprintf(buf, len, "%s", a);
	else if (addr_is_v4(ip))
		snprintf(buf, len, "%s:%u", a, port);
	else
		snprintf(buf, len, "[%s]:%u", a, port);
}

static void
src_cell(void *ctx, uint32_t id, int col, char *buf, size_t len)
{
	struct flows *fl = ctx;
	struct tui *t = fl->t;
	const struct flow *f = flow_get(analysis_flows(t->a), id);
	int l = local_side(t, f), r = !l;
	char b[16];

	switch (col) {
	case C_ID:
		snprintf(buf, len, "%u", f->id);
		break;
	case C_PROTO:
		snprintf(buf, len, "%s", flow_proto_name(f->key.proto, b, sizeof b));
		break;
	case C_LOCAL:
		endpoint(f, l, buf, len);
		break;
	case C_REMOTE:
		endpoint(f, r, buf, len);
		break;
	case C_NAME: {
		const char *n = analysis_ip_name(t->a, r == 0 ? &f->key.a : &f->key.b, f->dev[l]);
		snprintf(buf, len, "%s", n != NULL ? n : "");
		break;
	}
	case C_CC: {
		struct geo_answer g;
		geo_lookup(analysis_geo(t->a), r == 0 ? &f->key.a : &f->key.b, &g);
		if (g.cls != ADDR_PUBLIC)
			snprintf(buf, len, "-");
		else
			geo_codes(&g, buf, len);	/* every answer where they disagree */
		break;
	}
	/* Out is local → remote: direction 0 when the local side initiated. */
	case C_POUT:
		snprintf(buf, len, "%llu", (unsigned long long)f->pkts[l]);
		break;
	case C_PIN:
		snprintf(buf, len, "%llu", (unsigned long long)f->pkts[r]);
		break;
	case C_BOUT:
		tui_bytes(f->bytes[l], buf, len);
		break;
	case C_BIN:
		tui_bytes(f->bytes[r], buf, len);
		break;
	case C_DUR:
		tui_duration((double)(f->last_ns - f->first_ns) / 1e9, buf, len);
		break;
	case C_FIRST:
		tui_clock(f->first_ns, buf, len);
		break;
	case C_FIND: {
		uint32_t n = findings_of_flow(analysis_findings(t->a), f->id);
		if (n > 0)
			snprintf(buf, len, "%u", n);
		else
			buf[0] = '\0';
		break;
	}
	case C_APP:
	case C_EOUT:
	case C_EIN:
	case C_VOUT:
	case C_VIN: {
		const struct flow_triage *tr = analysis_triage(t->a, f);
		int d = col == C_EOUT || col == C_VOUT ? l : r;
		char pb[32];
		if (col == C_APP) {
			const char *pn = triage_proto(tr, pb, sizeof pb);
			int tls = tr->tls[0] != '\0' && tr->app.tls_version != 0;
			snprintf(buf, len, "%s%s%s", pn != NULL ? pn : "", tls ? " " : "",
			    tls ? tr->tls + 4 : "");
		} else if (col == C_EOUT || col == C_EIN) {
			/* '*': packets were cut by the snap length; the figure is of what is
			 * captured. */
			if (tr->e[d].n > 0)
				snprintf(buf, len, "%.2f%s", tr->e[d].entropy,
				    flow_trunc_pkts(f) > 0 ? "*" : "");
			else
				buf[0] = '\0';
		} else
			snprintf(buf, len, "%s", tr->v[d] == V_UNKNOWN ? "-" :
			    verdict_name(tr->v[d]));
		break;
	}
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
	struct flows *fl = ctx;
	const struct flow_table *ft = analysis_flows(fl->t->a);
	const struct flow *a = flow_get(ft, x), *b = flow_get(ft, y);
	int la = local_side(fl->t, a), lb = local_side(fl->t, b);
	char bx[256], by[256];

	switch (col) {
	case C_ID:
		return cmp_u64(a->id, b->id);
	case C_FIND:
		return cmp_u64(findings_of_flow(analysis_findings(fl->t->a), a->id),
		    findings_of_flow(analysis_findings(fl->t->a), b->id));
	case C_POUT:
		return cmp_u64(a->pkts[la], b->pkts[lb]);
	case C_PIN:
		return cmp_u64(a->pkts[!la], b->pkts[!lb]);
	case C_BOUT:
		return cmp_u64(a->bytes[la], b->bytes[lb]);
	case C_BIN:
		return cmp_u64(a->bytes[!la], b->bytes[!lb]);
	case C_DUR:
		return cmp_u64((uint64_t)(a->last_ns - a->first_ns),
		    (uint64_t)(b->last_ns - b->first_ns));
	case C_FIRST:
		return a->first_ns < b->first_ns ? -1 : a->first_ns > b->first_ns;
	case C_EOUT:
	case C_EIN: {
		const struct flow_triage *ta = analysis_triage(fl->t->a, a);
		double ea = ta->e[col == C_EOUT ? la : !la].entropy;
		const struct flow_triage *tb = analysis_triage(fl->t->a, b);
		double eb = tb->e[col == C_EOUT ? lb : !lb].entropy;
		return ea < eb ? -1 : ea > eb;
	}
	case C_LOCAL:
	case C_REMOTE: {
		const struct addr *ia = (col == C_LOCAL) == (la == 0) ? &a->key.a : &a->key.b;
		const struct addr *ib = (col == C_LOCAL) == (lb == 0) ? &b->key.a : &b->key.b;
		int c = addr_cmp(ia, ib);
		if (c != 0)
			return c;
		uint16_t pa = ia == &a->key.a ? a->key.pa : a->key.pb;
		uint16_t pb = ib == &b->key.a ? b->key.pa : b->key.pb;
		return cmp_u64(pa, pb);
	}
	default:
		src_cell(ctx, x, col, bx, sizeof bx);
		src_cell(ctx, y, col, by, sizeof by);
		return strcasecmp(bx, by);
	}
}

/* Sort keys in src_cmp's order: exact for numbers, a prefix for addresses, text for the rest. */
static int
src_key(void *ctx, uint32_t id, int col, uint64_t *out)
{
	struct flows *fl = ctx;
	const struct flow *f = flow_get(analysis_flows(fl->t->a), id);
	int l = local_side(fl->t, f);

	switch (col) {
	case C_ID:
		*out = f->id;
		break;
	case C_FIND:
		*out = findings_of_flow(analysis_findings(fl->t->a), f->id);
		break;
	case C_POUT:
		*out = f->pkts[l];
		break;
	case C_PIN:
		*out = f->pkts[!l];
		break;
	case C_BOUT:
		*out = f->bytes[l];
		break;
	case C_BIN:
		*out = f->bytes[!l];
		break;
	case C_DUR:
		*out = (uint64_t)(f->last_ns - f->first_ns);
		break;
	case C_FIRST:
		*out = (uint64_t)f->first_ns ^ 1ull << 63;
		break;
	case C_EOUT:
	case C_EIN:
		*out = table_key_double(analysis_triage(fl->t->a, f)->e[col == C_EOUT ? l : !l].entropy);
		break;
	case C_LOCAL:
	case C_REMOTE:
		if ((col == C_LOCAL) == (l == 0))
			*out = tui_endpoint_key(&f->key.a, f->key.pa);
		else
			*out = tui_endpoint_key(&f->key.b, f->key.pb);
		return TABLE_KEY_PREFIX;
	default:
		return TABLE_KEY_TEXT;
	}
	return TABLE_KEY_EXACT;
}

static int
src_fresh(void *ctx, uint32_t id)
{
	struct flows *fl = ctx;

	return tui_is_new(fl->t, flow_get(analysis_flows(fl->t->a), id)->first_ns);
}

static const struct table_src src = {
	.count = src_count, .id = src_id, .cell = src_cell, .cmp = src_cmp, .key = src_key,
	.keep = src_keep, .fresh = src_fresh,
};

static void *
flows_init(struct tui *t)
{
	struct flows *fl = xcalloc(1, sizeof *fl);
	fl->t = t;
	table_init(&fl->table, cols, C_N, C_ID, 0);
	return fl;
}

static void
flows_free(void *p)
{
	struct flows *fl = p;
	table_fini(&fl->table);
	free(fl);
}

static void
flows_refresh(struct tui *t, void *p)
{
	(void)t;
	table_refresh(&((struct flows *)p)->table, &src, p);
}

static void
flows_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	struct flows *fl = p;
	char title[300], b[64];
	attr_t ta = term_attr(&t->term, TC_TITLE);

	/* A title line says whose flows these are. */
	if (t->device1 == 0)
		snprintf(title, sizeof title, "Flows of all devices: %zu", fl->table.nrows);
	else {
		const struct device *d = device_get(analysis_devices(t->a), t->device1 - 1);
		const char *n = device_best_name(d);
		snprintf(title, sizeof title, "Flows of %s: %zu", n != NULL ? n :
		    d->has_mac ? mac_fmt(d->mac, b, sizeof b) : addr_fmt(&d->key_ip, b, sizeof b),
		    fl->table.nrows);
	}
	if (t->has_remote) {
		size_t o = strlen(title);
		snprintf(title + o, sizeof title - o, " with %s", addr_fmt(&t->remote, b, sizeof b));
	}
	if (t->has_country) {
		size_t o = strlen(title);
		const char *cn = country_name(t->country);
		snprintf(title + o, sizeof title - o, " in %s%s%s%s", t->country[0] != '\0' ?
		    t->country : "no known country", cn != NULL ? " (" : "", cn != NULL ? cn : "",
		    cn != NULL ? ")" : "");
		/* The country's devices: whose flows these are. */
		uint32_t seen[8];
		size_t ns = 0, more = 0;
		for (size_t i = 0; i < fl->table.nrows; i++) {
			const struct flow *f = flow_get(analysis_flows(t->a), fl->table.rows[i]);
			uint32_t d1 = f->dev[local_side(t, f)];
			size_t k;
			for (k = 0; k < ns && seen[k] != d1; k++)
				;
			if (k < ns || d1 == 0)
				continue;
			if (ns < sizeof seen / sizeof *seen)
				seen[ns++] = d1;
			else
				more++;
		}
		for (size_t k = 0; k < ns; k++) {
			const struct device *d = device_get(analysis_devices(t->a), seen[k] - 1);
			const char *n = device_best_name(d);
			o = strlen(title);
			snprintf(title + o, sizeof title - o, "%s%s", k == 0 ? " from " : ", ",
			    n != NULL ? n : d->has_mac ? mac_fmt(d->mac, b, sizeof b) :
			    addr_fmt(&d->key_ip, b, sizeof b));
		}
		if (more > 0) {
			o = strlen(title);
			snprintf(title + o, sizeof title - o, " and %zu more", more);
		}
	}
	term_fill(w, y, x, wd, A_NORMAL);
	term_text(&t->term, w, y, x, title, wd, ta);
	table_draw(&fl->table, &t->term, w, y + 1, x, h - 1, wd, &src, fl, focused);
}

static int
flows_key(struct tui *t, void *p, int key)
{
	struct flows *fl = p;
	uint32_t id;

	if (table_key(&fl->table, key))
		return 1;
	if (table_sort_key(&fl->table, key, &src, fl))
		return 1;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
	case 'l':
		if (!table_selected(&fl->table, &id))
			return 1;
		t->flow1 = id + 1;
		tui_changed(t);
		tui_focus(t, PANE_PAYLOAD, 1);
		return 1;
	case 27:
		if (table_clear_filter(&fl->table, &src, fl))
			return 1;
		if (t->has_remote || t->has_country) {
			t->has_remote = t->has_country = 0;
			tui_changed(t);
		}
		return 0;
	default:
		return 0;
	}
}

static int
flows_click(struct tui *t, void *p, int y, int x)
{
	(void)t;
	(void)x;
	return table_click(&((struct flows *)p)->table, y);
}

static int
flows_search(struct tui *t, void *p, const char *text, char *err, size_t errlen)
{
	struct flows *fl = p;
	(void)t;
	(void)err;
	(void)errlen;
	table_set_filter(&fl->table, text, &src, fl);
	return 0;
}

static const char *
flows_filter(void *p)
{
	struct flows *fl = p;
	return table_filter(&fl->table);
}

const struct pane_ops pane_flows = {
	.name = "Flows",
	.abbrev = "Flow",
	.help = "Enter, l\topen the selected flow in the payload viewer\n"
	    "s / S\tsort by the next column / reverse the order\n"
	    "/\tshow only flows containing a text (IP, port, name, protocol)\n"
	    "Esc\tclear the filter, then go back\n"
	    "7.99*\tan entropy marked *: packets were cut by the snap length",
	.hints = "Enter payload  / filter  s sort",
	.init = flows_init,
	.free = flows_free,
	.update = flows_refresh,
	.draw = flows_draw,
	.key = flows_key,
	.click = flows_click,
	.search = flows_search,
	.filter = flows_filter,
};
