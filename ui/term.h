/*
 * term.h — everything about the terminal in one place, as htop's CRT.c: start and restore,
 * colours or monochrome (NO_COLOR), UTF-8 or ASCII line drawing, and the ONE function that puts
 * untrusted text on the screen: control bytes, escape sequences, invalid UTF-8 and bidi
 * controls from packets are drawn as visible escapes (\xNN, \uNNNN), never sent raw.
 */
#ifndef IOT_TERM_H
#define IOT_TERM_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

enum term_color {
	TC_NORMAL,
	TC_HEADER,		/* column titles */
	TC_SELECTED,		/* the selected row of the focused list */
	TC_SELECTED_DIM,	/* the selected row of a list without focus */
	TC_STATUS,		/* status bar */
	TC_TAB,
	TC_TAB_ACTIVE,
	TC_DIM,			/* secondary text, borders */
	TC_ESCAPED,		/* an escape standing for unsafe bytes */
	TC_DIR0,		/* conversation: initiator's bytes */
	TC_DIR1,		/* conversation: responder's bytes */
	TC_MATCH,		/* search match */
	TC_WARN,
	TC_BAR,			/* progress bar, filled part */
	TC_TITLE,
	TC_HEAT0,		/* heatmap levels, low to high entropy */
	TC_HEAT1,
	TC_HEAT2,
	TC_HEAT3,
	TC_HEAT4,
	TC_HEAT5,
	TC_NEW,			/* a row first seen in the last minute of a live capture */
	TC_COUNT
};

#define TERM_HEAT_LEVELS	6

struct term {
	int		 utf8;		/* the locale's charset is UTF-8 */
	int		 colour;	/* colours in use */
	int		 rows, cols;
	int		 started;
};

/* Starts curses on the terminal; -1 with a reason when there is none (not a tty, bad TERM). */
int	term_init(struct term *, char *err, size_t errlen);
/* Restores the terminal; safe to call twice. */
void	term_fini(struct term *);
/* Restores the terminal from a crash-signal handler, then re-raises the signal. */
void	term_install_crash_handlers(void);
attr_t	term_attr(const struct term *, enum term_color);

/*
 * Draws s at (y, x), escaped, in at most width display columns, with attribute a (escapes in
 * TC_ESCAPED, combined with a's reverse video when set).  Returns the columns used.
 */
int	term_text(const struct term *, WINDOW *, int y, int x, const char *s, int width,
	    attr_t a);
/* The same for raw bytes (payload), n of them. */
int	term_bytes(const struct term *, WINDOW *, int y, int x, const uint8_t *p, size_t n,
	    int width, attr_t a);
/*
 * The next drawable unit of p[0..n): bytes it takes and display columns (an escape counts
 * its characters).  For laying text out before drawing it.
 */
size_t	term_unit(const struct term *, const uint8_t *p, size_t n, int *width);
/* Display columns s would take once escaped (same rules as term_text). */
int	term_width(const struct term *, const char *s);
/* Fills width columns with spaces in attribute a. */
void	term_fill(WINDOW *, int y, int x, int width, attr_t a);
/* A horizontal rule (line drawing when the terminal can). */
void	term_hline(const struct term *, WINDOW *, int y, int x, int width, attr_t a);
void	term_vline(const struct term *, WINDOW *, int y, int x, int height, attr_t a);
/* Block characters for bars and heat cells: full block / shade, or ASCII '#'. */
const char *term_block(const struct term *);
/*
 * A heatmap cell for an entropy of 0..8 bits per byte: its level (0..5) picks a background
 * colour, or in monochrome a shade character (returned; a space when colours carry it).
 */
const char *term_heat(const struct term *, double entropy, attr_t *a);
/* The entropy each heat level starts at. */
double	term_heat_floor(int level);

#endif
