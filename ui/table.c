/*
 * table.c — the list widget (see table.h).  Sorting and filtering run over row ids on every
 * refresh; a refresh happens a few times a second while a capture loads, so both stay simple
 * (qsort on ids, a substring test over the cells' text).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "table.h"
#include "xalloc.h"

#define CELL_MAX	512

void
table_init(struct table *t, const struct table_col *cols, int ncols, int sort_col, int rev)
{
	memset(t, 0, sizeof *t);
	t->cols = cols;
	t->ncols = ncols;
	t->sort_col = sort_col;
	t->sort_rev = rev;
}

void
table_fini(struct table *t)
{
	free(t->rows);
	t->rows = NULL;
}

/* qsort has no context argument: the comparison gets it through this wrapper's array. */
struct sort_item {
	uint32_t		 id;
	int			 pinned;
	const struct table_src	*src;
	void			*ctx;
	int			 col, rev;
};

static int
cmp_items(const void *x, const void *y)
{
	const struct sort_item *a = x, *b = y;
	if (a->pinned != b->pinned)
		return a->pinned ? -1 : 1;
	int c = a->src->cmp(a->ctx, a->id, b->id, a->col);
	if (c == 0)
		c = a->id < b->id ? -1 : a->id > b->id;	/* stable order between refreshes */
	return a->rev ? -c : c;
}

static int
row_matches(const struct table *t, const struct table_src *src, void *ctx, uint32_t id)
{
	char buf[CELL_MAX];

	if (t->filter[0] == '\0')
		return 1;
	for (int c = 0; c < t->ncols; c++) {
		buf[0] = '\0';
		src->cell(ctx, id, c, buf, sizeof buf);
		if (strcasestr(buf, t->filter) != NULL)
			return 1;
	}
	return 0;
}

void
table_refresh(struct table *t, const struct table_src *src, void *ctx)
{
	size_t n = src->count(ctx);
	struct sort_item *items = xreallocarray(NULL, n != 0 ? n : 1, sizeof *items);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t id = src->id(ctx, i);
		if (src->keep != NULL && !src->keep(ctx, id))
			continue;
		if (!row_matches(t, src, ctx, id))
			continue;
		items[k].id = id;
		items[k].pinned = t->pin && id == t->pin_id;
		items[k].src = src;
		items[k].ctx = ctx;
		items[k].col = t->sort_col;
		items[k].rev = t->sort_rev;
		k++;
	}
	qsort(items, k, sizeof *items, cmp_items);
	if (k > t->cap) {
		t->cap = k;
		t->rows = xreallocarray(t->rows, t->cap, sizeof *t->rows);
	}
	t->nrows = k;
	for (size_t i = 0; i < k; i++)
		t->rows[i] = items[i].id;
	free(items);

	/* Keep the selection on its row; if the row went away, keep the position. */
	if (t->has_sel) {
		for (size_t i = 0; i < t->nrows; i++)
			if (t->rows[i] == t->sel_id) {
				t->sel = i;
				return;
			}
	}
	if (t->nrows == 0) {
		t->sel = t->top = 0;
		t->has_sel = 0;
		return;
	}
	if (t->sel >= t->nrows)
		t->sel = t->nrows - 1;
	t->sel_id = t->rows[t->sel];
	t->has_sel = 1;
}

/*
 * Column widths for the screen width: columns of the highest priority number are hidden
 * until the minimums fit, then the spare width is split by flex.  Hidden columns get 0.
 */
static void
widths(const struct table *t, int w, int *out)
{
	int used = 0, flex = 0;

	for (int c = 0; c < t->ncols; c++) {
		out[c] = t->cols[c].width;
		used += out[c] + 1;
	}
	while (used - 1 > w) {
		int worst = -1;
		for (int c = 0; c < t->ncols; c++)
			if (out[c] > 0 && (worst < 0 || t->cols[c].prio >= t->cols[worst].prio))
				worst = c;
		if (worst < 0 || used == out[worst] + 1)
			break;		/* the last column left shows, cut if need be */
		used -= out[worst] + 1;
		out[worst] = 0;
	}
	for (int c = 0; c < t->ncols; c++)
		if (out[c] > 0)
			flex += t->cols[c].flex;
	int spare = w - (used - 1);
	for (int c = 0; c < t->ncols && spare > 0 && flex > 0; c++)
		if (out[c] > 0)
			out[c] += spare * t->cols[c].flex / flex;
}

void
table_draw(struct table *t, const struct term *term, WINDOW *win, int y, int x, int h, int w,
    const struct table_src *src, void *ctx, int focused)
{
	int wd[32];
	char buf[CELL_MAX];

	if (h < 2 || w < 4)
		return;
	widths(t, w, wd);
	attr_t ha = term_attr(term, TC_HEADER);
	term_fill(win, y, x, w, ha);
	int cx = x;
	for (int c = 0; c < t->ncols && cx < x + w; c++) {
		if (wd[c] == 0)
			continue;
		int cw = wd[c] < x + w - cx ? wd[c] : x + w - cx;
		char title[64];
		snprintf(title, sizeof title, "%s%s", t->cols[c].title,
		    c == t->sort_col ? (t->sort_rev ? "\u25bc" : "\u25b2") : "");
		if (!term->utf8 && c == t->sort_col)
			snprintf(title, sizeof title, "%s%s", t->cols[c].title, t->sort_rev ? "v" : "^");
		int tw = term_width(term, title);
		term_text(term, win, y, t->cols[c].right && tw < cw ? cx + cw - tw : cx, title, cw,
		    ha | (c == t->sort_col ? A_BOLD : 0));
		cx += wd[c] + 1;
	}
	int rows = h - 1;
	t->page = rows;
	t->y0 = y + 1;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
	if (t->top + (size_t)rows > t->nrows)
		t->top = t->nrows > (size_t)rows ? t->nrows - (size_t)rows : 0;
	for (int r = 0; r < rows; r++) {
		size_t i = t->top + (size_t)r;
		int ry = y + 1 + r;
		if (i >= t->nrows) {
			term_fill(win, ry, x, w, A_NORMAL);
			continue;
		}
		int is_sel = t->has_sel && i == t->sel;
		attr_t ra = is_sel ? term_attr(term, focused ? TC_SELECTED : TC_SELECTED_DIM) :
		    src->fresh != NULL && src->fresh(ctx, t->rows[i]) ? term_attr(term, TC_NEW) :
		    A_NORMAL;
		term_fill(win, ry, x, w, ra);
		cx = x;
		for (int c = 0; c < t->ncols && cx < x + w; c++) {
			if (wd[c] == 0)
				continue;
			int cw = wd[c] < x + w - cx ? wd[c] : x + w - cx;
			buf[0] = '\0';
			src->cell(ctx, t->rows[i], c, buf, sizeof buf);
			int tw = t->cols[c].right ? term_width(term, buf) : 0;
			term_text(term, win, ry, t->cols[c].right && tw < cw ? cx + cw - tw : cx, buf,
			    cw, ra);
			cx += wd[c] + 1;
		}
	}
}

static void
select_row(struct table *t, size_t i)
{
	if (t->nrows == 0)
		return;
	if (i >= t->nrows)
		i = t->nrows - 1;
	t->sel = i;
	t->sel_id = t->rows[i];
	t->has_sel = 1;
}

int
table_key(struct table *t, int key)
{
	size_t page = t->page > 1 ? (size_t)t->page - 1 : 1;

	switch (key) {
	case KEY_UP:
	case 'k':
		select_row(t, t->sel > 0 ? t->sel - 1 : 0);
		return 1;
	case KEY_DOWN:
	case 'j':
		select_row(t, t->sel + 1);
		return 1;
	case KEY_PPAGE:
		select_row(t, t->sel > page ? t->sel - page : 0);
		return 1;
	case KEY_NPAGE:
	case ' ':
		select_row(t, t->sel + page);
		return 1;
	case KEY_HOME:
	case 'g':
		select_row(t, 0);
		return 1;
	case KEY_END:
	case 'G':
		select_row(t, t->nrows > 0 ? t->nrows - 1 : 0);
		return 1;
	default:
		return 0;
	}
}

int
table_click(struct table *t, int y)
{
	if (y < t->y0 || y >= t->y0 + t->page)
		return 0;
	size_t i = t->top + (size_t)(y - t->y0);
	if (i >= t->nrows)
		return 0;
	select_row(t, i);
	return 1;
}

int
table_selected(const struct table *t, uint32_t *id)
{
	if (!t->has_sel || t->nrows == 0)
		return 0;
	*id = t->sel_id;
	return 1;
}

void
table_sort_next(struct table *t)
{
	t->sort_col = (t->sort_col + 1) % t->ncols;
}

void
table_sort_reverse(struct table *t)
{
	t->sort_rev = !t->sort_rev;
}

int
table_sort_key(struct table *t, int key, const struct table_src *src, void *ctx)
{
	if (key == 's')
		table_sort_next(t);
	else if (key == 'S')
		table_sort_reverse(t);
	else
		return 0;
	table_refresh(t, src, ctx);
	return 1;
}

void
table_set_filter(struct table *t, const char *text, const struct table_src *src, void *ctx)
{
	snprintf(t->filter, sizeof t->filter, "%s", text);
	table_refresh(t, src, ctx);
}

const char *
table_filter(const struct table *t)
{
	return t->filter[0] != '\0' ? t->filter : NULL;
}

int
table_clear_filter(struct table *t, const struct table_src *src, void *ctx)
{
	if (t->filter[0] == '\0')
		return 0;
	table_set_filter(t, "", src, ctx);
	return 1;
}
