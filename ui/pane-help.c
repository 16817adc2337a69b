/*
 * pane-help.c — every key, grouped by pane: the global keys, then each pane's own list (the
 * "help" text of its operations table), so the screen cannot drift from what the keys do.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textview.h"
#include "tui.h"
#include "xalloc.h"

struct help {
	struct textview	 v;
};

static void
add_keys(struct textview *v, const char *keys)
{
	const char *p = keys;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		const char *tab = memchr(p, '\t', len);
		if (tab != NULL)
			textview_add(v, TC_NORMAL, "  %-22.*s %.*s", (int)(tab - p), p,
			    (int)(len - (size_t)(tab - p) - 1), tab + 1);
		else
			textview_add(v, TC_NORMAL, "  %.*s", (int)len, p);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

static void *
help_init(struct tui *t)
{
	struct help *h = xcalloc(1, sizeof *h);
	static const int order[] = { PANE_DEVICES, PANE_FLOWS, PANE_DESTS, PANE_PAYLOAD,
	    PANE_HEATMAP, PANE_CHANNELS, PANE_OVERVIEW, PANE_COUNTRIES };

	textview_add(&h->v, TC_TITLE, "iotscope %s — keys (any key returns)", PACKAGE_VERSION);
	textview_add(&h->v, TC_NORMAL, "%s", "");
	textview_add(&h->v, TC_TITLE, "Everywhere");
	add_keys(&h->v, "Tab / Shift-Tab\tnext / previous pane\n"
	    "1 2 3 4 5 6 7 8\tDevices, Flows, Destinations, Payload, Heatmap, Channels, Overview, "
	    "Countries\n"
	    "arrows, j k\tmove up and down\n"
	    "PgUp / PgDn\tpage up / down\n"
	    "g / G, Home / End\tfirst / last row\n"
	    "Enter\tdrill down: device > flows > payload\n"
	    "Esc, Backspace, h\tgo back\n"
	    "/\tsearch: filter a list, or a regular expression in the payload\n"
	    "s / S\tsort by the next column / reverse\n"
	    "mouse\tclick a row to select it, wheel to scroll\n"
	    "p\tlive capture: hold the view still (the capture goes on)\n"
	    "?, F1\tthis help\n"
	    "q, F10\tquit");
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		textview_add(&h->v, TC_NORMAL, "%s", "");
		textview_add(&h->v, TC_TITLE, "%s", t->ops[order[i]] != NULL ?
		    t->ops[order[i]]->name : "");
		if (t->ops[order[i]] != NULL)
			add_keys(&h->v, t->ops[order[i]]->help);
	}
	return h;
}

static void
help_free(void *p)
{
	struct help *h = p;
	textview_free(&h->v);
	free(h);
}

static void
help_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	(void)focused;
	textview_draw(&((struct help *)p)->v, &t->term, w, y, x, h, wd);
}

/* Scrolling keys scroll; any other key leaves the help (tui.c goes back). */
static int
help_key(struct tui *t, void *p, int key)
{
	(void)t;
	if (key == 'j' || key == 'k' || key == 'g' || key == 'G')
		return textview_key(&((struct help *)p)->v, key);
	switch (key) {
	case KEY_UP: case KEY_DOWN: case KEY_PPAGE: case KEY_NPAGE: case KEY_HOME: case KEY_END:
		return textview_key(&((struct help *)p)->v, key);
	default:
		return 0;
	}
}

const struct pane_ops pane_help = {
	.name = "Help",
	.help = "",
	.hints = "any key returns",
	.init = help_init,
	.free = help_free,
	.draw = help_draw,
	.key = help_key,
};
