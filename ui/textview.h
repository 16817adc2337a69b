/*
 * textview.h — a scrollable list of text lines (overview, help): lines are added with a style,
 * drawn escaped through term.c, scrolled with the usual keys.
 */
#ifndef IOT_TEXTVIEW_H
#define IOT_TEXTVIEW_H

#include <stddef.h>

#include "term.h"

struct textview {
	char		**line;
	enum term_color	*style;
	size_t		 n, cap;
	size_t		 top;
	int		 page;
};

void	textview_clear(struct textview *);
void	textview_free(struct textview *);
void	textview_add(struct textview *, enum term_color, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	textview_draw(struct textview *, const struct term *, WINDOW *, int y, int x, int h,
	    int w);
int	textview_key(struct textview *, int key);

#endif
