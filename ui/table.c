/*
 * table.c — the list widget (see table.h).  Sorting and filtering run over row ids on every
 * refresh; a refresh happens a few times a second while a capture loads: rows with numeric
 * keys are radix-sorted (a million flows in tens of milliseconds), others go through qsort
 * and the pane's comparison; the filter is a substring test over the cells' text.
 */
#include "config.h"

#include <ctype.h>
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
	free(t->scratch);
	t->scratch = NULL;
	t->scratch_cap = 0;
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

uint64_t
table_key_double(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof u);
	return (u >> 63) != 0 ? ~u : u | 1ull << 63;
}

struct keyed {
	uint64_t	 key;
	uint32_t	 id;
};

/*
 * Stable LSD radix sort by key, a byte at a time; a byte every key shares is skipped (counts,
 * times and ids differ only in their low bytes).  Equal keys keep their order: the ids'.
 */
static void
radix_sort(struct keyed *v, struct keyed *tmp, size_t n)
{
	struct keyed *a = v, *b = tmp;
	size_t cnt[256];

	for (int shift = 0; shift < 64; shift += 8) {
		memset(cnt, 0, sizeof cnt);
		for (size_t i = 0; i < n; i++)
			cnt[a[i].key >> shift & 0xff]++;
		if (cnt[a[0].key >> shift & 0xff] == n)
			continue;
		size_t sum = 0;
		for (int d = 0; d < 256; d++) {
			size_t c = cnt[d];
			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[cnt[a[i].key >> shift & 0xff]++] = a[i];
		struct keyed *x = a;
		a = b;
		b = x;
	}
	if (a != v)
		memcpy(v, a, n * sizeof *v);
}

/* The first eight bytes of a cell's text, lowercased, as a big-endian number. */
static uint64_t
text_key(const char *s)
{
	uint64_t k = 0;
	int i = 0;

	for (; i < 8 && s[i] != '\0'; i++)
		k = k << 8 | (uint8_t)tolower((unsigned char)s[i]);
	return k << (8 * (8 - i));
}

/*
 * The rows in order through the source's keys: 1, or 0 when the sort column has none.  The
 * order is cmp_items' exactly: (key, then cmp where keys are only a prefix, then id)
 * ascending, all reversed with rev, the pinned row first.
 */
static int
keyed_order(struct table *t, const struct table_src *src, void *ctx, const uint32_t *ids,
    size_t k)
{
	char buf[CELL_MAX];
	uint64_t key;
	int kind;

	if (src->key == NULL || k == 0 ||
	    (kind = src->key(ctx, ids[0], t->sort_col, &key)) == TABLE_KEY_NONE)
		return 0;
	/* Ties end in id order because the radix sort keeps the input's: ids ascending. */
	for (size_t i = 1; i < k; i++)
		if (ids[i] <= ids[i - 1])
			return 0;
	if (k > t->scratch_cap) {
		free(t->scratch);
		t->scratch = xreallocarray(NULL, k, 2 * sizeof(struct keyed));
		t->scratch_cap = k;
	}
	struct keyed *v = t->scratch, *tmp = v + t->scratch_cap;
	int sorted = 1;
	for (size_t i = 0; i < k; i++) {
		v[i].id = ids[i];
		if (kind == TABLE_KEY_TEXT) {
			buf[0] = '\0';
			src->cell(ctx, ids[i], t->sort_col, buf, sizeof buf);
			v[i].key = text_key(buf);
		} else
			(void)src->key(ctx, ids[i], t->sort_col, &v[i].key);
		if (i > 0 && v[i].key < v[i - 1].key)
			sorted = 0;
	}
	if (!sorted)
		radix_sort(v, tmp, k);
	if (kind != TABLE_KEY_EXACT) {
		/* Equal keys are only equal prefixes: cmp orders each such run. */
		struct sort_item *run = NULL;
		size_t cap = 0;
		for (size_t i = 0; i < k;) {
			size_t j = i + 1;
			while (j < k && v[j].key == v[i].key)
				j++;
			/* A text key with a NUL byte holds the whole text: the run is all ties. */
			int whole = kind == TABLE_KEY_TEXT && (v[i].key & 0xff) == 0;
			/*
			 * So is a run the comparison finds all equal to its first row (the
			 * flows of one endpoint, sorted by it): in id order already.  One
			 * pass instead of a sort: a million flows of four stations took 240 ms.
			 */
			for (size_t m = i + 1; !whole && j - i > 1; m++)
				if (m == j)
					whole = 1;
				else if (src->cmp(ctx, v[i].id, v[m].id, t->sort_col) != 0)
					break;
			if (j - i > 1 && !whole) {
				if (j - i > cap) {
					cap = j - i;
					run = xreallocarray(run, cap, sizeof *run);
				}
				for (size_t m = i; m < j; m++)
					run[m - i] = (struct sort_item){ .id = v[m].id, .src = src,
					    .ctx = ctx, .col = t->sort_col };
				qsort(run, j - i, sizeof *run, cmp_items);
				for (size_t m = i; m < j; m++)
					v[m].id = run[m - i].id;
			}
			i = j;
		}
		free(run);
	}
	size_t o = 0;
	if (t->pin)
		for (size_t i = 0; i < k; i++)
			if (v[i].id == t->pin_id) {
				t->rows[o++] = v[i].id;
				break;
			}
	for (size_t i = 0; i < k; i++) {
		size_t j = t->sort_rev ? k - 1 - i : i;
		if (o > 0 && t->pin && v[j].id == t->pin_id)
			continue;
		t->rows[o++] = v[j].id;
	}
	return 1;
}

void
table_refresh(struct table *t, const struct table_src *src, void *ctx)
{
	size_t n = src->count(ctx), k = 0;

	if (n > t->cap) {
		t->cap = n;
		t->rows = xreallocarray(t->rows, t->cap, sizeof *t->rows);
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t id = src->id(ctx, i);
		if (src->keep != NULL && !src->keep(ctx, id))
			continue;
		if (!row_matches(t, src, ctx, id))
			continue;
		t->rows[k++] = id;
	}
	t->nrows = k;
	if (!keyed_order(t, src, ctx, t->rows, k)) {
		struct sort_item *items = xreallocarray(NULL, k != 0 ? k : 1, sizeof *items);
		for (size_t i = 0; i < k; i++)
			items[i] = (struct sort_item){ .id = t->rows[i],
			    .pinned = t->pin && t->rows[i] == t->pin_id, .src = src, .ctx = ctx,
			    .col = t->sort_col, .rev = t->sort_rev };
		qsort(items, k, sizeof *items, cmp_items);
		for (size_t i = 0; i < k; i++)
			t->rows[i] = items[i].id;
		free(items);
	}

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
