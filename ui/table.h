/*
 * table.h — the one list widget every pane uses (as htop's Panel): columns with titles and
 * widths, rows identified by stable ids so the selection stays on its row while the data
 * grows underneath, sorting by any column, filtering by text, scrolling and mouse clicks.
 * Rows come from a source the pane provides; the table never owns the data.
 */
#ifndef IOT_TABLE_H
#define IOT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "term.h"

struct table_col {
	const char	*title;
	int		 width;		/* minimum display columns */
	int		 flex;		/* share of the spare width, 0 for none */
	int		 right;		/* right-aligned (numbers) */
	int		 prio;		/* when space runs short, higher numbers hide first */
};

enum { TABLE_KEY_NONE, TABLE_KEY_EXACT, TABLE_KEY_PREFIX, TABLE_KEY_TEXT };

struct table_src {
	size_t	(*count)(void *ctx);			/* candidate rows */
	uint32_t (*id)(void *ctx, size_t i);		/* id of candidate i */
	/* Text of one cell; untrusted bytes are fine, the table escapes them. */
	void	(*cell)(void *ctx, uint32_t id, int col, char *buf, size_t len);
	/* Orders rows by a column: <0, 0, >0. */
	int	(*cmp)(void *ctx, uint32_t a, uint32_t b, int col);
	/*
	 * Optional: how a column sorts without comparing rows pairwise, so that a million rows
	 * are keyed once each and radix-sorted instead of compared twenty million times.
	 * TABLE_KEY_EXACT: *out orders rows as cmp does; TABLE_KEY_PREFIX: *out is a prefix of
	 * cmp's order (a smaller key sorts first, equal keys go to cmp); TABLE_KEY_TEXT: the
	 * column sorts by its cell text, case-insensitively (as strcasecmp); 0: cmp sorts.
	 */
	int	(*key)(void *ctx, uint32_t id, int col, uint64_t *out);
	/* Optional: whether a row belongs in the list at all (e.g. the selected device's). */
	int	(*keep)(void *ctx, uint32_t id);
	/* Optional: whether a row is new (first seen in the last minute of a live capture). */
	int	(*fresh)(void *ctx, uint32_t id);
};

struct table {
	const struct table_col *cols;
	int		 ncols;
	uint32_t	*rows;		/* shown rows: kept, filtered, sorted */
	size_t		 nrows, cap;
	size_t		 sel, top;
	uint32_t	 sel_id;
	int		 has_sel;
	int		 sort_col, sort_rev;
	char		 filter[128];	/* case-insensitive text every shown row contains */
	int		 page;		/* rows shown at the last draw, for PgUp/PgDn */
	int		 y0;		/* screen row of the first data row at the last draw */
	int		 pin;		/* keep row pin_id first whatever the order */
	uint32_t	 pin_id;
	/*
	 * The keyed sort's two arrays (table.c), kept between sorts: a million rows' 32 MB
	 * taken fresh from the kernel at every key cost more page faults than the sort.
	 */
	void		*scratch;
	size_t		 scratch_cap;	/* rows they hold */
};

void	table_init(struct table *, const struct table_col *, int ncols, int sort_col, int rev);
void	table_fini(struct table *);
/* An order-preserving sort key of a double (for table_src.key). */
uint64_t table_key_double(double);
/* Rebuilds the rows from the source; the selection stays on the same id when it still shows. */
void	table_refresh(struct table *, const struct table_src *, void *ctx);
void	table_draw(struct table *, const struct term *, WINDOW *, int y, int x, int h, int w,
	    const struct table_src *, void *ctx, int focused);
/* Movement keys (arrows, hjkl, PgUp/PgDn, g/G, Home/End); 1 when handled. */
int	table_key(struct table *, int key);
/* A click at screen row y; 1 when it selected a row. */
int	table_click(struct table *, int y);
/* The selected row's id; 0 with nothing selected. */
int	table_selected(const struct table *, uint32_t *id);
/* Next sort column (s) or reverse (S). */
void	table_sort_next(struct table *);
void	table_sort_reverse(struct table *);
/* Shows only rows containing text ("" for all). */
void	table_set_filter(struct table *, const char *text, const struct table_src *, void *ctx);
/* The filter for the status bar, or NULL. */
const char *table_filter(const struct table *);
/* Esc: clears the filter; 1 when there was one. */
int	table_clear_filter(struct table *, const struct table_src *, void *ctx);
/* The sort keys every list shares: s, the next column; S, the other way.  1 when handled. */
int	table_sort_key(struct table *, int key, const struct table_src *, void *ctx);

#endif
