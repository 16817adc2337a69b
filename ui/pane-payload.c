/*
 * pane-payload.c — the payload viewer: the selected flow as a conversation (stream.h), each
 * turn under a header coloured by direction, as hex and ASCII (offset, 16 bytes) or as text,
 * toggled with x.  '/' runs a PCRE2 expression over the whole flow, highlights the matches and
 * n/N walk them.  The view holds a position (turn, row), never the payload: rows are laid out
 * per turn when first shown and the bytes are read back from the capture as they are drawn.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "findex.h"
#include "flow.h"
#include "rx.h"
#include "stream.h"
#include "tui.h"
#include "xalloc.h"

#define HEX_WIDTH	16
#define MATCHES_MAX	100000
#define LAYOUT_CHUNK	65536

struct layout {
	int		 width;		/* text width the rows were laid out for; 0 = none */
	uint32_t	 n;
	uint64_t	*start;		/* turn offset where each text row begins */
};

struct payload {
	struct tui	*t;
	uint32_t	 flow1;		/* flow the conversation was built for, + 1 */
	size_t		 npkts;
	struct conv	 conv;
	struct layout	*lay;
	int		 text;		/* text view, else hex */
	int		 width;		/* text width of the last draw */
	size_t		 turn;		/* top row: (turn, row); row 0 is the turn's header */
	uint64_t	 row;
	int		 page;
	struct rx	*rx;
	struct conv_match *m;
	size_t		 nm;
	size_t		 cur;		/* current match */
	char		 search[256];
	char		 err[256];
};

static void
clear_layout(struct payload *p)
{
	if (p->lay != NULL)
		for (size_t i = 0; i < p->conv.nturn; i++)
			free(p->lay[i].start);
	free(p->lay);
	p->lay = NULL;
}

static void
clear_search(struct payload *p)
{
	rx_free(p->rx);
	p->rx = NULL;
	free(p->m);
	p->m = NULL;
	p->nm = p->cur = 0;
	p->search[0] = '\0';
}

/*
 * Opens the view at the turn holding a packet the heatmap asked for (tui.payload_ref1): the
 * first segment from that packet on, its row in the hex view.
 */
static void
goto_ref(struct payload *p)
{
	uint32_t want = p->t->payload_ref1;

	if (want == 0)
		return;
	p->t->payload_ref1 = 0;
	for (size_t ti = 0; ti < p->conv.nturn; ti++) {
		const struct conv_turn *tr = &p->conv.turn[ti];
		for (uint32_t s = tr->first_seg; s < tr->first_seg + tr->nsegs; s++)
			if (p->conv.seg[s].ref + 1 >= want) {
				p->turn = ti;
				p->row = p->text ? 0 : 1 + p->conv.seg[s].off / HEX_WIDTH;
				return;
			}
	}
}

static int payload_search(struct tui *, void *, const char *, char *, size_t);

/* A search another pane asked for when it opened the viewer (findings, search). */
static void
pending_search(struct payload *p)
{
	char text[sizeof p->t->payload_rx], err[256];

	if (p->t->payload_rx[0] == '\0')
		return;
	snprintf(text, sizeof text, "%s", p->t->payload_rx);
	p->t->payload_rx[0] = '\0';
	if (payload_search(p->t, p, text, err, sizeof err) < 0)
		tui_message(p->t, 1, "%s", err);
}

/* (Re)builds the conversation when the flow changed or gained packets. */
static void
build(struct payload *p)
{
	struct tui *t = p->t;
	const struct findex *x = analysis_findex(t->a);
	size_t n = t->flow1 != 0 && x != NULL ? findex_count(x, t->flow1 - 1) : 0;

	if (t->flow1 == p->flow1 && n == p->npkts) {
		goto_ref(p);
		pending_search(p);
		return;
	}
	int same = t->flow1 == p->flow1;
	clear_layout(p);
	if (!same) {
		clear_search(p);
		p->turn = p->row = 0;
		p->err[0] = '\0';
	}
	p->flow1 = t->flow1;
	p->npkts = n;
	if (t->flow1 == 0) {
		conv_free(&p->conv);
		return;
	}
	conv_build(&p->conv, t->a, t->flow1 - 1);
	p->lay = xcalloc(p->conv.nturn != 0 ? p->conv.nturn : 1, sizeof *p->lay);
	if (p->turn >= p->conv.nturn)
		p->turn = p->row = 0;
	goto_ref(p);
	pending_search(p);
}

/* Lays turn ti out as text rows of the given width (reading its bytes once). */
static struct layout *
layout(struct payload *p, size_t ti, int width)
{
	struct layout *l = &p->lay[ti];
	const struct conv_turn *tr = &p->conv.turn[ti];
	uint8_t *buf;
	size_t cap = 1;

	if (l->width == width)
		return l;
	free(l->start);
	l->start = xmalloc(sizeof *l->start);
	l->start[0] = 0;
	l->n = 1;
	l->width = width;
	buf = xmalloc(LAYOUT_CHUNK);
	int col = 0;
	for (uint64_t off = 0; off < tr->len;) {
		ssize_t got = conv_read(&p->conv, p->t->a, ti, off, buf, LAYOUT_CHUNK, p->err,
		    sizeof p->err);
		if (got <= 0)
			break;
		size_t i = 0;
		/* Units may straddle chunks: stop a few bytes short unless at the end. */
		size_t usable = (size_t)got == LAYOUT_CHUNK && off + (uint64_t)got < tr->len ?
		    (size_t)got - 4 : (size_t)got;
		while (i < usable) {
			int w;
			size_t k;
			if (buf[i] == '\n') {
				k = 1;
				w = 0;
			} else if (buf[i] == '\r' && i + 1 < (size_t)got && buf[i + 1] == '\n') {
				k = 1;
				w = 0;
			} else
				k = term_unit(&p->t->term, buf + i, (size_t)got - i, &w);
			int newline = buf[i] == '\n';
			if (!newline && col + w > width && col > 0) {
				if (l->n == cap) {
					cap *= 2;
					l->start = xreallocarray(l->start, cap, sizeof *l->start);
				}
				l->start[l->n++] = off + i;
				col = 0;
			}
			col += w;
			i += k;
			if (newline && off + i < tr->len) {
				if (l->n == cap) {
					cap *= 2;
					l->start = xreallocarray(l->start, cap, sizeof *l->start);
				}
				l->start[l->n++] = off + i;
				col = 0;
			}
		}
		off += i;
	}
	free(buf);
	return l;
}

/* Rows of turn ti, its header included. */
static uint64_t
turn_rows(struct payload *p, size_t ti)
{
	if (!p->text)
		return 1 + (p->conv.turn[ti].len + HEX_WIDTH - 1) / HEX_WIDTH;
	return 1 + layout(p, ti, p->width)->n;
}

static int
step_down(struct payload *p, size_t *turn, uint64_t *row)
{
	if (*row + 1 < turn_rows(p, *turn)) {
		(*row)++;
		return 1;
	}
	if (*turn + 1 < p->conv.nturn) {
		(*turn)++;
		*row = 0;
		return 1;
	}
	return 0;
}

static int
step_up(struct payload *p, size_t *turn, uint64_t *row)
{
	if (*row > 0) {
		(*row)--;
		return 1;
	}
	if (*turn > 0) {
		(*turn)--;
		*row = turn_rows(p, *turn) - 1;
		return 1;
	}
	return 0;
}

/* The row of turn ti that shows turn offset off. */
static uint64_t
row_of(struct payload *p, size_t ti, uint64_t off)
{
	if (!p->text)
		return 1 + off / HEX_WIDTH;
	const struct layout *l = layout(p, ti, p->width);
	size_t lo = 0, hi = l->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return 1 + lo;
}

/* Moves the view so match i shows a third of the way down. */
static void
show_match(struct payload *p, size_t i)
{
	if (i >= p->nm)
		return;
	p->cur = i;
	p->turn = p->m[i].turn;
	p->row = row_of(p, p->turn, p->m[i].off);
	for (int k = 0; k < p->page / 3; k++)
		if (!step_up(p, &p->turn, &p->row))
			break;
}

/* The first match at or after turn offset off of turn ti (for highlighting a row). */
static size_t
first_match(const struct payload *p, size_t ti, uint64_t off)
{
	size_t lo = 0, hi = p->nm;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct conv_match *m = &p->m[mid];
		if (m->turn < ti || (m->turn == ti && m->off + m->len <= off))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
in_match(const struct payload *p, size_t *mi, size_t ti, uint64_t off)
{
	while (*mi < p->nm && (p->m[*mi].turn < ti ||
	    (p->m[*mi].turn == ti && p->m[*mi].off + p->m[*mi].len <= off)))
		(*mi)++;
	return *mi < p->nm && p->m[*mi].turn == ti && p->m[*mi].off <= off;
}

static void
endpoint(const struct flow *f, int side, char *buf, size_t len)
{
	char a[ADDR_STRLEN];
	const struct addr *ip = side == 0 ? &f->key.a : &f->key.b;
	uint16_t port = side == 0 ? f->key.pa : f->key.pb;

	addr_fmt(ip, a, sizeof a);
	if (f->key.proto != IPPROTO_TCP && f->key.proto != IPPROTO_UDP)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, addr_is_v4(ip) ? "%s:%u" : "[%s]:%u", a, port);
}

static void
draw_header(struct payload *p, WINDOW *w, int y, int x, int wd, size_t ti)
{
	const struct term *tm = &p->t->term;
	const struct conv_turn *tr = &p->conv.turn[ti];
	const struct flow *f = flow_get(analysis_flows(p->t->a), p->flow1 - 1);
	char from[64], to[64], line[300], clk[32];

	endpoint(f, tr->dir, from, sizeof from);
	endpoint(f, !tr->dir, to, sizeof to);
	snprintf(line, sizeof line, "%s %s %s %s  %llu bytes  %s", tm->utf8 ?
	    (tr->dir == 0 ? "\u25b6" : "\u25c0") : (tr->dir == 0 ? ">" : "<"), from,
	    tm->utf8 ? "\u2192" : "->", to, (unsigned long long)tr->len,
	    tui_clock(tr->ts_ns, clk, sizeof clk));
	attr_t a = term_attr(tm, tr->dir == 0 ? TC_DIR0 : TC_DIR1) | A_BOLD;
	term_fill(w, y, x, wd, A_NORMAL);
	int used = term_text(tm, w, y, x, line, wd, a);
	if (tr->gap > 0) {
		snprintf(line, sizeof line, "  [%llu bytes missing before]",
		    (unsigned long long)tr->gap);
		term_text(tm, w, y, x + used, line, wd - used, term_attr(tm, TC_WARN));
	}
}

static void
draw_hex_row(struct payload *p, WINDOW *w, int y, int x, int wd, size_t ti, uint64_t row)
{
	const struct term *tm = &p->t->term;
	const struct conv_turn *tr = &p->conv.turn[ti];
	uint8_t b[HEX_WIDTH];
	uint64_t off = (row - 1) * HEX_WIDTH;
	char s[32];
	attr_t da = term_attr(tm, tr->dir == 0 ? TC_DIR0 : TC_DIR1);
	attr_t ma = term_attr(tm, TC_MATCH);

	term_fill(w, y, x, wd, A_NORMAL);
	ssize_t n = conv_read(&p->conv, p->t->a, ti, off, b, HEX_WIDTH, p->err, sizeof p->err);
	if (n <= 0) {
		term_text(tm, w, y, x, p->err[0] != '\0' ? p->err : "(unreadable)", wd,
		    term_attr(tm, TC_WARN));
		return;
	}
	snprintf(s, sizeof s, "%08llx  ", (unsigned long long)(tr->stream_off + off));
	int cx = x + term_text(tm, w, y, x, s, wd, term_attr(tm, TC_DIM));
	size_t mi = first_match(p, ti, off);
	size_t mj = mi;
	for (int i = 0; i < HEX_WIDTH && cx + 3 <= x + wd; i++) {
		if (i < n) {
			snprintf(s, sizeof s, "%02x", b[i]);
			term_text(tm, w, y, cx, s, 2, in_match(p, &mi, ti, off + (uint64_t)i) ?
			    ma : da);
		}
		cx += i == 7 ? 4 : 3;
	}
	cx += 1;
	for (int i = 0; i < n && cx < x + wd; i++, cx++) {
		char c[2] = { b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.', 0 };
		term_text(tm, w, y, cx, c, 1, in_match(p, &mj, ti, off + (uint64_t)i) ? ma : da);
	}
}

static void
draw_text_row(struct payload *p, WINDOW *w, int y, int x, int wd, size_t ti, uint64_t row)
{
	const struct term *tm = &p->t->term;
	const struct conv_turn *tr = &p->conv.turn[ti];
	const struct layout *l = layout(p, ti, p->width);
	uint64_t s = l->start[row - 1];
	uint64_t e = row < l->n ? l->start[row] : tr->len;
	attr_t da = term_attr(tm, tr->dir == 0 ? TC_DIR0 : TC_DIR1);
	attr_t ma = term_attr(tm, TC_MATCH);
	uint8_t buf[1024];

	term_fill(w, y, x, wd, A_NORMAL);
	if (e - s > sizeof buf)
		e = s + sizeof buf;
	ssize_t n = conv_read(&p->conv, p->t->a, ti, s, buf, (size_t)(e - s), p->err,
	    sizeof p->err);
	if (n < 0) {
		term_text(tm, w, y, x, p->err, wd, term_attr(tm, TC_WARN));
		return;
	}
	/* The line end is layout, not content. */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	/* Draw in runs of the same highlighting. */
	size_t mi = first_match(p, ti, s);
	int cx = x;
	ssize_t i = 0;
	while (i < n && cx < x + wd) {
		int hl = in_match(p, &mi, ti, s + (uint64_t)i);
		ssize_t j = i + 1;
		size_t mk = mi;
		while (j < n && in_match(p, &mk, ti, s + (uint64_t)j) == hl)
			j++;
		cx += term_bytes(tm, w, y, cx, buf + i, (size_t)(j - i), x + wd - cx, hl ? ma : da);
		i = j;
	}
}

static void
payload_draw(struct tui *t, void *v, WINDOW *w, int y, int x, int h, int wd, int focused)
{
	struct payload *p = v;
	const struct term *tm = &t->term;
	char title[400], b1[16], b2[16];

	(void)focused;
	build(p);
	if (p->text && p->width != wd) {
		clear_layout(p);
		p->lay = xcalloc(p->conv.nturn != 0 ? p->conv.nturn : 1, sizeof *p->lay);
		p->width = wd;
		if (p->turn < p->conv.nturn && p->row >= turn_rows(p, p->turn))
			p->row = 0;
	}
	p->width = wd;
	p->page = h - 1;
	term_fill(w, y, x, wd, A_NORMAL);
	if (p->flow1 == 0) {
		term_text(tm, w, y, x, "No flow selected: choose one in Flows and press Enter.", wd,
		    term_attr(tm, TC_TITLE));
		for (int r = 1; r < h; r++)
			term_fill(w, y + r, x, wd, A_NORMAL);
		return;
	}
	const struct flow *f = flow_get(analysis_flows(t->a), p->flow1 - 1);
	char from[64], to[64];
	endpoint(f, 0, from, sizeof from);
	endpoint(f, 1, to, sizeof to);
	char proto[16];
	snprintf(title, sizeof title, "Flow %u %s %s %s %s: %s %s %s %s, %zu turns%s%s  [%s, x %s]",
	    f->id, flow_proto_name(f->key.proto, proto, sizeof proto), from,
	    tm->utf8 ? "\u2194" : "<>", to, tui_bytes(p->conv.bytes[0], b1, sizeof b1),
	    tm->utf8 ? "\u2192" : ">", tui_bytes(p->conv.bytes[1], b2, sizeof b2),
	    tm->utf8 ? "\u2190" : "<", p->conv.nturn,
	    p->conv.missing > 0 ? ", gaps" : "", p->conv.dropped > 0 ? ", retransmissions" : "",
	    p->text ? "text" : "hex", p->text ? "hex" : "text");
	term_text(tm, w, y, x, title, wd, term_attr(tm, TC_TITLE));
	if (p->conv.nturn == 0) {
		term_fill(w, y + 1, x, wd, A_NORMAL);
		term_text(tm, w, y + 1, x, p->npkts == 0 ? "This flow carried no payload." :
		    "Nothing to show.", wd, A_NORMAL);
		for (int r = 2; r < h; r++)
			term_fill(w, y + r, x, wd, A_NORMAL);
		return;
	}
	size_t ti = p->turn;
	uint64_t row = p->row;
	int more = 1;
	for (int r = 1; r < h; r++) {
		if (!more) {
			term_fill(w, y + r, x, wd, A_NORMAL);
			continue;
		}
		if (row == 0)
			draw_header(p, w, y + r, x, wd, ti);
		else if (p->text)
			draw_text_row(p, w, y + r, x, wd, ti, row);
		else
			draw_hex_row(p, w, y + r, x, wd, ti, row);
		more = step_down(p, &ti, &row);
	}
}

static void *
payload_init(struct tui *t)
{
	struct payload *p = xcalloc(1, sizeof *p);
	p->t = t;
	return p;
}

static void
payload_free(void *v)
{
	struct payload *p = v;
	clear_layout(p);
	clear_search(p);
	conv_free(&p->conv);
	free(p);
}

static int
payload_key(struct tui *t, void *v, int key)
{
	struct payload *p = v;
	int n = 0;

	build(p);
	if (p->conv.nturn == 0)
		return 0;
	switch (key) {
	case KEY_DOWN:
	case 'j':
		step_down(p, &p->turn, &p->row);
		return 1;
	case KEY_UP:
	case 'k':
		step_up(p, &p->turn, &p->row);
		return 1;
	case KEY_NPAGE:
	case ' ':
		for (n = 0; n < p->page - 1 && step_down(p, &p->turn, &p->row); n++)
			;
		return 1;
	case KEY_PPAGE:
		for (n = 0; n < p->page - 1 && step_up(p, &p->turn, &p->row); n++)
			;
		return 1;
	case KEY_HOME:
	case 'g':
		p->turn = 0;
		p->row = 0;
		return 1;
	case KEY_END:
	case 'G':
		p->turn = p->conv.nturn - 1;
		p->row = turn_rows(p, p->turn) - 1;
		for (n = 0; n < p->page - 1 && step_up(p, &p->turn, &p->row); n++)
			;
		return 1;
	case 'x': {
		/* Keep the same bytes at the top when switching views. */
		uint64_t off = p->row > 0 ? (p->text ? layout(p, p->turn, p->width)->start[p->row -
		    1] : (p->row - 1) * HEX_WIDTH) : 0;
		p->text = !p->text;
		p->row = p->row > 0 ? row_of(p, p->turn, off) : 0;
		return 1;
	}
	case 'n':
	case 'N':
		if (p->nm == 0) {
			tui_message(t, 0, p->rx != NULL ? "no match" : "no search: press /");
			return 1;
		}
		show_match(p, key == 'n' ? (p->cur + 1) % p->nm : (p->cur + p->nm - 1) % p->nm);
		tui_message(t, 0, "match %zu of %zu%s", p->cur + 1, p->nm,
		    p->nm >= MATCHES_MAX ? "+" : "");
		return 1;
	case 27:
		if (p->rx != NULL) {
			clear_search(p);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static int
payload_search(struct tui *t, void *v, const char *text, char *err, size_t errlen)
{
	struct payload *p = v;

	build(p);
	clear_search(p);
	if (text[0] == '\0')
		return 0;
	p->rx = rx_new(text, 0, err, errlen);
	if (p->rx == NULL)
		return -1;
	snprintf(p->search, sizeof p->search, "%s", text);
	long rc = conv_search(&p->conv, t->a, p->rx, &p->m, &p->nm, MATCHES_MAX, err, errlen);
	if (p->nm == 0) {
		if (rc < 0)
			return -1;
		tui_message(t, 0, "no match for /%s/", text);
		return 1;
	}
	/* The first match at or after the top of the view. */
	size_t i = first_match(p, p->turn, 0);
	if (i >= p->nm)
		i = 0;
	show_match(p, i);
	if (rc < 0)
		tui_message(t, 1, "%s (%zu matches so far)", err, p->nm);
	else
		tui_message(t, 0, "match %zu of %zu%s  n next, N previous", p->cur + 1, p->nm,
		    p->nm >= MATCHES_MAX ? "+" : "");
	return 1;
}

static const char *
payload_filter(void *v)
{
	struct payload *p = v;
	return p->search[0] != '\0' ? p->search : NULL;
}

const struct pane_ops pane_payload = {
	.name = "Payload",
	.abbrev = "Pay",
	.help = "x\tswitch between hex and text\n"
	    "/\tsearch the whole flow with a PCRE2 regular expression\n"
	    "n / N\tnext / previous match\n"
	    "arrows, PgUp/PgDn, g/G\tscroll\n"
	    "Esc\tclear the search, then go back",
	.hints = "x hex/text  / regex  n/N matches",
	.init = payload_init,
	.free = payload_free,
	.draw = payload_draw,
	.key = payload_key,
	.search = payload_search,
	.filter = payload_filter,
};
