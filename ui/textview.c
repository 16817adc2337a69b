/*
 * textview.c — scrollable text lines (see textview.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "textview.h"
#include "xalloc.h"

void
textview_clear(struct textview *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->line[i]);
	v->n = 0;
}

void
textview_free(struct textview *v)
{
	textview_clear(v);
	free(v->line);
	free(v->style);
	v->line = NULL;
	v->style = NULL;
	v->cap = 0;
}

void
textview_add(struct textview *v, enum term_color style, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (v->n == v->cap) {
		v->cap = v->cap != 0 ? v->cap * 2 : 64;
		v->line = xreallocarray(v->line, v->cap, sizeof *v->line);
		v->style = xreallocarray(v->style, v->cap, sizeof *v->style);
	}
	v->line[v->n] = xstrdup(buf);
	v->style[v->n++] = style;
}

void
textview_draw(struct textview *v, const struct term *t, WINDOW *win, int y, int x, int h, int w)
{
	v->page = h;
	if (v->n <= (size_t)h)
		v->top = 0;
	else if (v->top > v->n - (size_t)h)
		v->top = v->n - (size_t)h;
	for (int r = 0; r < h; r++) {
		size_t i = v->top + (size_t)r;
		term_fill(win, y + r, x, w, A_NORMAL);
		if (i < v->n)
			term_text(t, win, y + r, x, v->line[i], w, term_attr(t, v->style[i]));
	}
}

int
textview_key(struct textview *v, int key)
{
	size_t page = v->page > 1 ? (size_t)v->page - 1 : 1;

	switch (key) {
	case KEY_UP:
	case 'k':
		if (v->top > 0)
			v->top--;
		return 1;
	case KEY_DOWN:
	case 'j':
		v->top++;
		return 1;
	case KEY_PPAGE:
		v->top = v->top > page ? v->top - page : 0;
		return 1;
	case KEY_NPAGE:
	case ' ':
		v->top += page;
		return 1;
	case KEY_HOME:
	case 'g':
		v->top = 0;
		return 1;
	case KEY_END:
	case 'G':
		v->top = v->n;
		return 1;
	default:
		return 0;
	}
}
