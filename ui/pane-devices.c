/*
 * pane-devices.c — the devices list: one row per local station, and a first row standing for
 * all of them.  Moving the selection chooses whose flows and destinations the other panes
 * show; Enter goes to that device's flows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "device.h"
#include "findings.h"
#include "flow.h"
#include "table.h"
#include "triage.h"
#include "tui.h"
#include "xalloc.h"

enum { C_MAC, C_VENDOR, C_NAME, C_IPS, C_FLOWS, C_REMOTES, C_FIND, C_SENT, C_RECV, C_ENT,
	C_ENC, C_CLEAR, C_PROTOS, C_LAST, C_N };

static const struct table_col cols[C_N] = {
	[C_MAC] = { "MAC", 17, 0, 0, 0 },
	[C_VENDOR] = { "VENDOR", 9, 2, 0, 2 },
	[C_NAME] = { "NAME", 14, 3, 0, 0 },
	[C_IPS] = { "IPS", 14, 2, 0, 1 },
	[C_FLOWS] = { "FLOWS", 5, 0, 1, 1 },
	[C_REMOTES] = { "REMOTE", 6, 0, 1, 4 },
	[C_FIND] = { "FIND", 4, 0, 1, 2 },
	[C_SENT] = { "SENT", 6, 0, 1, 3 },
	[C_RECV] = { "RECV", 6, 0, 1, 3 },
	[C_ENT] = { "ENT", 4, 0, 1, 2 },
	[C_ENC] = { "ENC%", 4, 0, 1, 2 },
	[C_CLEAR] = { "CLR%", 4, 0, 1, 2 },
	[C_PROTOS] = { "PROTOCOLS", 12, 2, 0, 6 },
	[C_LAST] = { "LAST SEEN", 12, 0, 0, 5 },
};

struct devices {
	struct tui	*t;
	struct table	 table;
	struct device_triage *tr;	/* per device, remade when the analysis moved */
	size_t		 ntr;
	uint64_t	 tr_version;	/* analysis_triage_version() it was made at */
	int		 tr_made;
	double		 tr_at, tr_cost;	/* when it was last made, and how long that took */
};

/* Row ids: 0 is "all devices", d + 1 is device d. */
static size_t
src_count(void *ctx)
{
	struct devices *d = ctx;
	return device_count(analysis_devices(d->t->a)) + 1;
}

static uint32_t
src_id(void *ctx, size_t i)
{
	(void)ctx;
	return (uint32_t)i;
}

static void
totals(struct tui *t, uint64_t *sent, uint64_t *recv, int64_t *last)
{
	const struct device_table *dt = analysis_devices(t->a);

	*sent = *recv = 0;
	*last = 0;
	for (size_t i = 0; i < device_count(dt); i++) {
		const struct device *dv = device_get(dt, i);
		*sent += dv->bytes_sent;
		*recv += dv->bytes_recv;
		if (dv->last_ns > *last)
			*last = dv->last_ns;
	}
}

/* Shares of a device's payload in percent: encrypted, or readable in any way. */
static double
share(const struct device_triage *t, int col)
{
	uint64_t n = col == C_ENC ? t->by[V_ENCRYPTED] : t->by[V_CLEARTEXT] +
	    t->by[V_ENCODED] + t->by[V_COMPRESSED];
	return t->all > 0 ? 100.0 * (double)n / (double)t->all : -1;
}

static void
src_cell(void *ctx, uint32_t id, int col, char *buf, size_t len)
{
	struct devices *d = ctx;
	struct analysis *a = d->t->a;
	char b[64];

	if (id == 0) {
		uint64_t sent, recv;
		int64_t last;
		switch (col) {
		case C_MAC:
			snprintf(buf, len, "(all devices)");
			break;
		case C_NAME:
			snprintf(buf, len, "%zu devices", device_count(analysis_devices(a)));
			break;
		case C_FLOWS:
			snprintf(buf, len, "%zu", flow_count(analysis_flows(a)));
			break;
		case C_FIND:
			snprintf(buf, len, "%zu", findings_count(analysis_findings(a)));
			break;
		case C_SENT:
		case C_RECV:
		case C_LAST:
			totals(d->t, &sent, &recv, &last);
			if (col == C_LAST)
				tui_clock(last, buf, len);
			else
				tui_bytes(col == C_SENT ? sent : recv, buf, len);
			break;
		default:
			break;
		}
		return;
	}
	const struct device *dv = device_get(analysis_devices(a), id - 1);
	switch (col) {
	case C_MAC:
		snprintf(buf, len, "%s", dv->has_mac ? mac_fmt(dv->mac, b, sizeof b) : "-");
		break;
	case C_VENDOR: {
		const char *v = analysis_device_vendor(a, dv);
		snprintf(buf, len, "%s", v != NULL ? v : "");
		break;
	}
	case C_NAME: {
		const char *n = device_best_name(dv);
		const char *role = device_is_gateway(dv) ? "(gateway)" :
		    analysis_is_controller(a, id - 1) ? "(app)" : "";
		snprintf(buf, len, "%s%s%s", n != NULL ? n : "", n != NULL && role[0] != '\0' ?
		    " " : "", role);
		break;
	}
	case C_IPS: {
		size_t o = 0;
		buf[0] = '\0';
		for (uint32_t i = 0; i < dv->nips && o + 1 < len; i++)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", i > 0 ? " " : "",
			    addr_fmt(&dv->ips[i], b, sizeof b));
		break;
	}
	case C_FLOWS:
		snprintf(buf, len, "%u", dv->nflows);
		break;
	case C_REMOTES:
		snprintf(buf, len, "%u", dv->nremote);
		break;
	case C_FIND: {
		uint32_t n = analysis_device_findings(a, id - 1);
		if (n > 0)
			snprintf(buf, len, "%u", n);
		else
			buf[0] = '\0';
		break;
	}
	case C_SENT:
		tui_bytes(dv->bytes_sent, buf, len);
		break;
	case C_RECV:
		tui_bytes(dv->bytes_recv, buf, len);
		break;
	case C_LAST:
		tui_clock(dv->last_ns, buf, len);
		break;
	case C_ENT:
	case C_ENC:
	case C_CLEAR:
	case C_PROTOS: {
		buf[0] = '\0';
		if (id - 1 >= d->ntr)	/* a device newer than the last refresh */
			break;
		const struct device_triage *tr = &d->tr[id - 1];
		if (col == C_PROTOS)
			snprintf(buf, len, "%s", tr->protos);
		else if (tr->all == 0)
			break;
		else if (col == C_ENT)
			snprintf(buf, len, "%.2f", tr->both.entropy);
		else
			snprintf(buf, len, "%.0f", share(tr, col));
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
	struct devices *d = ctx;
	const struct device_table *dt = analysis_devices(d->t->a);
	char bx[256], by[256];

	if (x == 0 || y == 0)		/* pinned first by the table anyway */
		return x == 0 ? -1 : 1;
	const struct device *a = device_get(dt, x - 1), *b = device_get(dt, y - 1);
	switch (col) {
	case C_FLOWS:
		return cmp_u64(a->nflows, b->nflows);
	case C_REMOTES:
		return cmp_u64(a->nremote, b->nremote);
	case C_FIND:
		return cmp_u64(analysis_device_findings(d->t->a, x - 1),
		    analysis_device_findings(d->t->a, y - 1));
	case C_SENT:
		return cmp_u64(a->bytes_sent, b->bytes_sent);
	case C_RECV:
		return cmp_u64(a->bytes_recv, b->bytes_recv);
	case C_LAST:
		return a->last_ns < b->last_ns ? -1 : a->last_ns > b->last_ns;
	case C_ENT:
	case C_ENC:
	case C_CLEAR: {
		/* Devices without payload sort below every figure. */
		double vx = -1, vy = -1;
		if (x - 1 < d->ntr && d->tr[x - 1].all > 0)
			vx = col == C_ENT ? d->tr[x - 1].both.entropy : share(&d->tr[x - 1], col);
		if (y - 1 < d->ntr && d->tr[y - 1].all > 0)
			vy = col == C_ENT ? d->tr[y - 1].both.entropy : share(&d->tr[y - 1], col);
		return vx < vy ? -1 : vx > vy;
	}
	default:
		src_cell(ctx, x, col, bx, sizeof bx);
		src_cell(ctx, y, col, by, sizeof by);
		return strcasecmp(bx, by);
	}
}

static int
src_fresh(void *ctx, uint32_t id)
{
	struct devices *d = ctx;

	return id != 0 && tui_is_new(d->t, device_get(analysis_devices(d->t->a),
	    id - 1)->first_ns);
}

static const struct table_src src = {
	.count = src_count, .id = src_id, .cell = src_cell, .cmp = src_cmp, .fresh = src_fresh,
};

static void *
devices_init(struct tui *t)
{
	struct devices *d = xcalloc(1, sizeof *d);
	d->t = t;
	table_init(&d->table, cols, C_N, C_MAC, 0);
	d->table.pin = 1;		/* "all devices" stays on top whatever the order */
	d->table.pin_id = 0;
	table_refresh(&d->table, &src, d);
	return d;
}

static void
devices_free(void *p)
{
	struct devices *d = p;
	table_fini(&d->table);
	free(d->tr);
	free(d);
}

/* The selection decides whose flows the other panes show. */
static void
follow_selection(struct devices *d)
{
	uint32_t id = 0;
	table_selected(&d->table, &id);
	if (id != d->t->device1) {
		d->t->device1 = id;
		d->t->has_remote = d->t->has_country = 0;
		tui_changed(d->t);
	}
}

static void
devices_refresh(struct tui *t, void *p)
{
	struct devices *d = p;
	/*
	 * A walk of every flow: made again only when the analysis moved, not for each new
	 * selection (a million flows took seconds a key).
	 */
	uint64_t v = analysis_triage_version(t->a);
	double now = tui_now();
	/*
	 * While a capture loads, no more often than every ten times what the walk cost: with
	 * 400,000 payload flows, remade at each redraw, it took two thirds of the load.  The
	 * figures lag by a few redraws; once loaded they are exact.
	 */
	int due = !d->tr_made || t->loaded || now - d->tr_at >= 10 * d->tr_cost;
	if ((!d->tr_made || v != d->tr_version) && due) {
		free(d->tr);
		d->ntr = triage_devices(t->a, &d->tr);
		d->tr_version = v;
		d->tr_made = 1;
		d->tr_at = tui_now();
		d->tr_cost = d->tr_at - now;
	}
	table_refresh(&d->table, &src, d);
}

static void
devices_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	struct devices *d = p;
	table_draw(&d->table, &t->term, w, y, x, h, wd, &src, d, focused);
}

static int
devices_key(struct tui *t, void *p, int key)
{
	struct devices *d = p;

	if (table_key(&d->table, key)) {
		follow_selection(d);
		return 1;
	}
	if (table_sort_key(&d->table, key, &src, d))
		return 1;
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
	case KEY_RIGHT:
	case 'l':
		follow_selection(d);
		tui_focus(t, PANE_FLOWS, 1);
		return 1;
	case 'c': {
		/* The selected device runs the vendor's app (or no longer does): --controller. */
		uint32_t id;
		if (table_selected(&d->table, &id) && id > 0) {
			tui_toggle_controller(t, id - 1);
			tui_changed(t);
		}
		return 1;
	}
	case 27:
		if (table_clear_filter(&d->table, &src, d))
			return 1;
		return 0;
	default:
		return 0;
	}
}

static int
devices_click(struct tui *t, void *p, int y, int x)
{
	struct devices *d = p;
	(void)t;
	(void)x;
	if (!table_click(&d->table, y))
		return 0;
	follow_selection(d);
	return 1;
}

static int
devices_search(struct tui *t, void *p, const char *text, char *err, size_t errlen)
{
	struct devices *d = p;
	(void)t;
	(void)err;
	(void)errlen;
	table_set_filter(&d->table, text, &src, d);
	follow_selection(d);
	return 0;
}

static const char *
devices_filter(void *p)
{
	struct devices *d = p;
	return table_filter(&d->table);
}

const struct pane_ops pane_devices = {
	.name = "Devices",
	.abbrev = "Dev",
	.help = "Enter, l\tshow the selected device's flows\n"
	    "c\tmark (or unmark) the device as the phone running the vendor's app\n"
	    "s / S\tsort by the next column / reverse the order\n"
	    "/\tshow only rows containing a text (MAC, vendor, name, IP)\n"
	    "Esc\tclear the filter",
	.hints = "Enter flows  / filter  s sort",
	.init = devices_init,
	.free = devices_free,
	.update = devices_refresh,
	.draw = devices_draw,
	.key = devices_key,
	.click = devices_click,
	.search = devices_search,
	.filter = devices_filter,
};
