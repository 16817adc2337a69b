/*
 * pane-payload.c — placeholder until the payload viewer lands.
 */
#include "config.h"

#include <stdlib.h>

#include "tui.h"
#include "xalloc.h"

static void *
payload_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, 1);
}

static void
payload_free(void *p)
{
	free(p);
}

static void
payload_draw(struct tui *t, void *p, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	(void)p;
	(void)focused;
	for (int r = 0; r < h; r++)
		term_fill(w, y + r, x, wd, A_NORMAL);
	term_text(&t->term, w, y, x, t->flow1 ? "payload viewer: not yet" : "no flow selected",
	    wd, A_NORMAL);
}

static int
payload_key(struct tui *t, void *p, int key)
{
	(void)t;
	(void)p;
	(void)key;
	return 0;
}

const struct pane_ops pane_payload = {
	.name = "Payload",
	.help = "",
	.hints = "",
	.init = payload_init,
	.free = payload_free,
	.draw = payload_draw,
	.key = payload_key,
};
