/*
 * pane-channels.c — the paper's Table 3: for each device and channel (device-to-cloud,
 * app-to-cloud, app-to-device, local), the flows, payload bytes, entropy over that payload,
 * whether any of it is cleartext, and the protocols with their TLS versions.  --controller
 * (or c on a device here) marks the phone that runs the vendor's app.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "device.h"
#include "table.h"
#include "triage.h"
#include "tui.h"
#include "xalloc.h"

enum { C_DEVICE, C_CHANNEL, C_FLOWS, C_PAYLOAD, C_ENTROPY, C_CLEAR, C_VERDICTS, C_PROTOS, C_N };

static const struct table_col cols[C_N] = {
	[C_DEVICE] = { "DEVICE", 14, 2, 0, 0 },
	[C_CHANNEL] = { "CHANNEL", 15, 0, 0, 0 },
	[C_FLOWS] = { "FLOWS", 5, 0, 1, 2 },
	[C_PAYLOAD] = { "PAYLOAD", 7, 0, 1, 1 },
	[C_ENTROPY] = { "ENTROPY", 7, 0, 1, 0 },
	[C_CLEAR] = { "CLEARTEXT", 9, 0, 0, 0 },
	[C_VERDICTS] = { "VERDICTS", 10, 2, 0, 1 },
	[C_PROTOS] = { "PROTOCOLS", 10, 3, 0, 0 },
};

struct channels {
	struct tui	*t;
	struct table	 table;
	struct table3_row *rows;
	size_t		 n;
};

static size_t
src_count(void *ctx)
{
	return ((struct channels *)ctx)->n;
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
	struct channels *c = ctx;
	const struct table3_row *r = &c->rows[id];
	const struct device *d = device_get(analysis_devices(c->t->a), r->device);
	char b[32];

	switch (col) {
	case C_DEVICE: {
		const char *n = device_best_name(d);
		snprintf(buf, len, "%s%s", n != NULL ? n : d->has_mac ? mac_fmt(d->mac, b,
		    sizeof b) : addr_fmt(&d->key_ip, b, sizeof b),
		    analysis_is_controller(c->t->a, r->device) ? " (app)" : "");
		break;
	}
	case C_CHANNEL:
		snprintf(buf, len, "%s", channel_name(r->channel));
		break;
	case C_FLOWS:
		snprintf(buf, len, "%llu", (unsigned long long)r->flows);
		break;
	case C_PAYLOAD:
		tui_bytes(r->payload, buf, len);
		break;
	case C_ENTROPY:
		if (r->payload > 0)
			snprintf(buf, len, "%.3f", r->entropy);
		else
			buf[0] = '\0';
		break;
	case C_CLEAR:
		snprintf(buf, len, "%s", r->cleartext ? "yes" : "no");
		break;
	case C_VERDICTS: {
		char v[80];
		snprintf(buf, len, "%s", triage_verdict_set(r->verdicts, v, sizeof v) != NULL ? v :
		    "");
		break;
	}
	case C_PROTOS:
		snprintf(buf, len, "%s", r->protos);
		break;
	}
}

static int
src_cmp(void *ctx, uint32_t x, uint32_t y, int col)
{
	struct channels *c = ctx;
	const struct table3_row *a = &c->rows[x], *b = &c->rows[y];
	char bx[256], by[256];

	switch (col) {
	case C_FLOWS:
		return a->flows < b->flows ? -1 : a->flows > b->flows;
	case C_PAYLOAD:
		return a->payload < b->payload ? -1 : a->payload > b->payload;
	case C_ENTROPY:
		return a->entropy < b->entropy ? -1 : a->entropy > b->entropy;
	case C_DEVICE:
		if (a->device != b->device)
			return a->device < b->device ? -1 : 1;
		return (int)a->channel - (int)b->channel;
	default:
		src_cell(ctx, x, col, bx, sizeof bx);
		src_cell(ctx, y, col, by, sizeof by);
		return strcasecmp(bx, by);
	}
}

static const struct table_src src = {
	.count = src_count, .id = src_id, .cell = src_cell, .cmp = src_cmp,
};

static void
channels_update(struct tui *t, void *p)
{
	struct channels *c = p;
	free(c->rows);
	c->n = triage_table3(t->a, &c->rows);
	table_refresh(&c->table, &src, c);
}

static void *
channels_init(struct tui *t)
{
	struct channels *c = xcalloc(1, sizeof *c);
	c->t = t;
	table_init(&c->table, cols, C_N, C_DEVICE, 0);
	return c;
}

static void
channels_free(void *p)
{
	struct channels *c = p;
	table_fini(&c->table);
	free(c->rows);
	free(c);
}

static void
channels_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	struct channels *c = p;
	term_fill(w, y, x, wd, A_NORMAL);
	term_text(&t->term, w, y, x, "Channels per device (the paper's Table 3)", wd,
	    term_attr(&t->term, TC_TITLE));
	table_draw(&c->table, &t->term, w, y + 1, x, h - 1, wd, &src, c, focused);
}

static int
channels_key(struct tui *t, void *p, int key)
{
	struct channels *c = p;
	uint32_t id;

	if (table_key(&c->table, key))
		return 1;
	if (table_sort_key(&c->table, key, &src, c))
		return 1;
	switch (key) {
	case 'c':
		/* The selected row's device runs the vendor's app (or no longer does). */
		if (table_selected(&c->table, &id) && id < c->n) {
			tui_toggle_controller(t, c->rows[id].device);
			tui_changed(t);
		}
		return 1;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (table_selected(&c->table, &id) && id < c->n) {
			t->device1 = c->rows[id].device + 1;
			t->has_remote = t->has_country = 0;
			tui_changed(t);
			tui_focus(t, PANE_FLOWS, 1);
		}
		return 1;
	default:
		return 0;
	}
}

static int
channels_click(struct tui *t, void *p, int y, int x)
{
	(void)t;
	(void)x;
	return table_click(&((struct channels *)p)->table, y);
}

const struct pane_ops pane_channels = {
	.name = "Channels",
	.abbrev = "Chan",
	.help = "c\tmark (or unmark) the selected device as the phone running the vendor app\n"
	    "Enter\tthe device's flows\n"
	    "s / S\tsort by the next column / reverse the order",
	.hints = "c app phone  Enter flows",
	.init = channels_init,
	.free = channels_free,
	.update = channels_update,
	.draw = channels_draw,
	.key = channels_key,
	.click = channels_click,
};
