/*
 * term.c — curses set-up, colours and the escaping screen writer (see term.h).  Nothing else
 * in the program writes text to the terminal directly.
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "esc.h"
#include "term.h"

/* Colour pairs: foreground, background (-1: the terminal's default). */
static const short pair_fg[TC_COUNT] = {
	[TC_NORMAL] = -1, [TC_HEADER] = COLOR_BLACK, [TC_SELECTED] = COLOR_BLACK,
	[TC_SELECTED_DIM] = COLOR_BLACK, [TC_STATUS] = COLOR_BLACK, [TC_TAB] = COLOR_WHITE,
	[TC_TAB_ACTIVE] = COLOR_BLACK, [TC_DIM] = COLOR_BLUE, [TC_ESCAPED] = COLOR_MAGENTA,
	[TC_DIR0] = COLOR_RED, [TC_DIR1] = COLOR_BLUE, [TC_MATCH] = COLOR_BLACK,
	[TC_WARN] = COLOR_RED, [TC_BAR] = COLOR_BLACK, [TC_TITLE] = COLOR_CYAN,
	[TC_HEAT0] = COLOR_WHITE, [TC_HEAT1] = COLOR_BLACK, [TC_HEAT2] = COLOR_BLACK,
	[TC_HEAT3] = COLOR_BLACK, [TC_HEAT4] = COLOR_WHITE, [TC_HEAT5] = COLOR_WHITE,
	[TC_NEW] = COLOR_GREEN,
};
static const short pair_bg[TC_COUNT] = {
	[TC_NORMAL] = -1, [TC_HEADER] = COLOR_GREEN, [TC_SELECTED] = COLOR_CYAN,
	[TC_SELECTED_DIM] = COLOR_WHITE, [TC_STATUS] = COLOR_CYAN, [TC_TAB] = COLOR_BLUE,
	[TC_TAB_ACTIVE] = COLOR_CYAN, [TC_DIM] = -1, [TC_ESCAPED] = -1, [TC_DIR0] = -1,
	[TC_DIR1] = -1, [TC_MATCH] = COLOR_YELLOW, [TC_WARN] = -1, [TC_BAR] = COLOR_GREEN,
	[TC_TITLE] = -1,
	[TC_HEAT0] = COLOR_BLUE, [TC_HEAT1] = COLOR_CYAN, [TC_HEAT2] = COLOR_GREEN,
	[TC_HEAT3] = COLOR_YELLOW, [TC_HEAT4] = COLOR_MAGENTA, [TC_HEAT5] = COLOR_RED,
	[TC_NEW] = -1,
};
/* Without colour: what stands out by video attributes alone. */
static const attr_t mono[TC_COUNT] = {
	[TC_NORMAL] = A_NORMAL, [TC_HEADER] = A_REVERSE, [TC_SELECTED] = A_REVERSE,
	[TC_SELECTED_DIM] = A_UNDERLINE, [TC_STATUS] = A_REVERSE, [TC_TAB] = A_NORMAL,
	[TC_TAB_ACTIVE] = A_REVERSE, [TC_DIM] = A_NORMAL, [TC_ESCAPED] = A_UNDERLINE,
	[TC_DIR0] = A_NORMAL, [TC_DIR1] = A_BOLD, [TC_MATCH] = A_REVERSE | A_UNDERLINE,
	[TC_WARN] = A_BOLD, [TC_BAR] = A_REVERSE, [TC_TITLE] = A_BOLD,
	[TC_HEAT0] = A_NORMAL, [TC_HEAT1] = A_NORMAL, [TC_HEAT2] = A_NORMAL,
	[TC_HEAT3] = A_NORMAL, [TC_HEAT4] = A_NORMAL, [TC_HEAT5] = A_NORMAL,
	[TC_NEW] = A_BOLD,
};

int
term_init(struct term *t, char *err, size_t errlen)
{
	const char *no_color = getenv("NO_COLOR");

	memset(t, 0, sizeof *t);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the workbench needs a terminal; use --report text|json|csv "
		    "for a headless report");
		return -1;
	}
	setlocale(LC_ALL, "");
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	/* Keep Esc snappy: a user pressing it should not wait a second for the meaning. */
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (newterm(NULL, stdout, stdin) == NULL) {
		snprintf(err, errlen, "cannot use terminal type '%s'",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return -1;
	}
	t->started = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);		/* the loop polls; getch never blocks */
	intrflush(stdscr, FALSE);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	if (has_colors() && (no_color == NULL || no_color[0] == '\0')) {
		start_color();
		use_default_colors();
		if (COLORS >= 8 && COLOR_PAIRS > TC_COUNT) {
			t->colour = 1;
			for (int i = 1; i < TC_COUNT; i++)
				init_pair((short)i, pair_fg[i], pair_bg[i]);
		}
	}
	getmaxyx(stdscr, t->rows, t->cols);
	return 0;
}

void
term_fini(struct term *t)
{
	if (!t->started)
		return;
	t->started = 0;
	curs_set(1);
	endwin();
}

/*
 * A crash (or ^C) must not leave the terminal raw: restore it, then die of the same signal.
 * endwin() is not async-signal-safe, but the process is ending either way and a usable
 * terminal is worth the risk (htop and tmux make the same trade).
 */
static void
crash(int sig)
{
	endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
term_install_crash_handlers(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTERM, SIGHUP,
	    SIGINT, SIGQUIT };
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		signal(sigs[i], crash);
}

attr_t
term_attr(const struct term *t, enum term_color c)
{
	if (!t->colour)
		return mono[c];
	if (c == TC_NORMAL)
		return A_NORMAL;
	attr_t a = COLOR_PAIR(c);
	if (c == TC_TITLE || c == TC_TAB_ACTIVE || c == TC_NEW)
		a |= A_BOLD;
	return a;
}

/*
 * Decodes the next unit of p[0..n): a code point safe to draw (returns its byte length and
 * sets *cp, *w to its column width) or an escape written into esc (returns bytes consumed,
 * sets *cp = 0).
 */
static size_t
next_unit(const struct term *t, const unsigned char *p, size_t n, unsigned *cp, int *w,
    char esc[16])
{
	unsigned c;
	int len = utf8_decode(p, n, &c);

	if (len == 0) {
		snprintf(esc, 16, "\\x%02x", p[0]);
		*cp = 0;
		*w = 4;
		return 1;
	}
	if (esc_unsafe_cp(c) || (!t->utf8 && c >= 0x80)) {
		if (c < 0x100)
			snprintf(esc, 16, "\\x%02x", c);
		else
			snprintf(esc, 16, "\\u%04x", c);
		*cp = 0;
		*w = (int)strlen(esc);
		return (size_t)len;
	}
	int cw = c < 0x80 ? 1 : wcwidth((wchar_t)c);
	if (cw < 0) {			/* unprintable in this locale */
		snprintf(esc, 16, "\\u%04x", c);
		*cp = 0;
		*w = (int)strlen(esc);
		return (size_t)len;
	}
	*cp = c;
	*w = cw;
	return (size_t)len;
}

size_t
term_unit(const struct term *t, const uint8_t *p, size_t n, int *width)
{
	unsigned cp;
	char esc[16];
	return next_unit(t, p, n, &cp, width, esc);
}

static int
draw(const struct term *t, WINDOW *win, int y, int x, const unsigned char *p, size_t n, int width,
    attr_t a, int measure_only)
{
	int used = 0;
	char esc[16];
	attr_t ea = term_attr(t, TC_ESCAPED) | (a & A_REVERSE);

	if (!measure_only)
		wmove(win, y, x);
	while (n > 0) {
		unsigned cp;
		int w;
		size_t k = next_unit(t, p, n, &cp, &w, esc);
		if (width >= 0 && used + w > width)
			break;
		if (!measure_only) {
			if (cp == 0) {
				wattrset(win, ea);
				waddstr(win, esc);
			} else if (cp < 0x80) {
				wattrset(win, a);
				waddch(win, (chtype)cp);
			} else {
				wchar_t wc[2] = { (wchar_t)cp, 0 };
				wattrset(win, a);
				waddnwstr(win, wc, 1);
			}
		}
		used += w;
		p += k;
		n -= k;
	}
	if (!measure_only)
		wattrset(win, A_NORMAL);
	return used;
}

int
term_text(const struct term *t, WINDOW *win, int y, int x, const char *s, int width, attr_t a)
{
	if (s == NULL || width <= 0)
		return 0;
	return draw(t, win, y, x, (const unsigned char *)s, strlen(s), width, a, 0);
}

int
term_bytes(const struct term *t, WINDOW *win, int y, int x, const uint8_t *p, size_t n,
    int width, attr_t a)
{
	if (width <= 0)
		return 0;
	return draw(t, win, y, x, p, n, width, a, 0);
}

int
term_width(const struct term *t, const char *s)
{
	return s == NULL ? 0 : draw(t, NULL, 0, 0, (const unsigned char *)s, strlen(s), -1, 0, 1);
}

void
term_fill(WINDOW *win, int y, int x, int width, attr_t a)
{
	if (width <= 0)
		return;
	wattrset(win, a);
	mvwhline(win, y, x, ' ', width);
	wattrset(win, A_NORMAL);
}

void
term_hline(const struct term *t, WINDOW *win, int y, int x, int width, attr_t a)
{
	if (width <= 0)
		return;
	wattrset(win, a);
	mvwhline(win, y, x, t->utf8 ? ACS_HLINE : '-', width);
	wattrset(win, A_NORMAL);
}

void
term_vline(const struct term *t, WINDOW *win, int y, int x, int height, attr_t a)
{
	if (height <= 0)
		return;
	wattrset(win, a);
	mvwvline(win, y, x, t->utf8 ? ACS_VLINE : '|', height);
	wattrset(win, A_NORMAL);
}

const char *
term_block(const struct term *t)
{
	return t->utf8 ? "\u2588" : "#";
}

/* Level boundaries: what separates text (4-5), encoded data (5-7) and random bytes (7-8). */
static const double heat_floor[TERM_HEAT_LEVELS] = { 0, 2, 4, 5, 6, 7 };

double
term_heat_floor(int level)
{
	return level >= 0 && level < TERM_HEAT_LEVELS ? heat_floor[level] : 8;
}

const char *
term_heat(const struct term *t, double e, attr_t *a)
{
	/* Never a blank for the lowest level: a blank cell means no bytes there. */
	static const char *const shades_utf8[TERM_HEAT_LEVELS] = { "\u00b7", ":", "\u2591",
	    "\u2592", "\u2593", "\u2588" };
	static const char *const shades_ascii[TERM_HEAT_LEVELS] = { ".", ":", "-", "+", "*",
	    "#" };
	int level = 0;

	while (level + 1 < TERM_HEAT_LEVELS && e >= heat_floor[level + 1])
		level++;
	if (t->colour) {
		*a = term_attr(t, (enum term_color)(TC_HEAT0 + level));
		return " ";
	}
	*a = A_NORMAL;
	return t->utf8 ? shades_utf8[level] : shades_ascii[level];
}
