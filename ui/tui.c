/*
 * tui.c — the workbench's event loop, layout, tab bar and status bar (see tui.h).  One thread:
 * while a capture loads, the loop alternates bounded analysis steps (about 20 ms each) with a
 * look at the keyboard, so a key is answered within that, and redraws at most four times a
 * second; once loaded it sleeps in poll() until a key or a resize arrives.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "capture.h"
#include "device.h"
#include "flow.h"
#include "msg.h"
#include "options.h"
#include "overview.h"
#include "session.h"
#include "tui.h"
#include "warn.h"
#include "xalloc.h"

#define MIN_ROWS	24
#define NEW_NS		(60 * 1000000000LL)	/* rows first seen this recently are new */
#define MIN_COLS	80
#define WIDE_COLS	120
#define STEP_SLICE_S	0.020
#define REDRAW_S	0.25
#define STEP_PACKETS	1024
#define DRAIN_S		1.0		/* most a live capture reads after it is told to end */
#define KEY_SLOW	0.200		/* --timing lists keys answered slower than this */
#define KEY_SLOW_MAX	8

double
tui_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *
tui_bytes(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	double d = (double)v;
	int u = -1;

	if (v < 10000) {
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return buf;
	}
	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	snprintf(buf, len, d < 10 ? "%.1f%c" : "%.0f%c", d, units[u]);
	return buf;
}

char *
tui_duration(double s, char *buf, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, len, s < 10 ? "%.2fs" : "%.1fs", s);
	else if (s < 3600)
		snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)s % 60);
	else if (s < 86400 * 10)
		snprintf(buf, len, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
	else
		snprintf(buf, len, "%dd", (int)(s / 86400));
	return buf;
}

/*
 * An endpoint's sort key: a prefix of the order of address bytes, then port: four
 * classes in byte order — first half zero below the IPv4-mapped range, mapped IPv4 (exact:
 * address and port), first half zero above it, the rest by their first half.  Ties go to cmp.
 */
uint64_t
tui_endpoint_key(const struct addr *ip, uint16_t port)
{
	uint64_t hi = 0, lo = 0;

	for (int i = 0; i < 8; i++) {
		hi = hi << 8 | ip->b[i];
		lo = lo << 8 | ip->b[8 + i];
	}
	if (hi != 0)
		return 3ull << 62 | hi >> 2;
	if (lo >> 32 == 0xffff)
		return 1ull << 62 | (lo & 0xffffffff) << 16 | port;
	return (lo >> 32 < 0xffff ? 0ull : 2ull << 62) | lo >> 2;
}

char *
tui_clock(int64_t ns, char *buf, size_t len)
{
	int64_t ms = ns / 1000000;
	int64_t day = ms % 86400000;
	if (day < 0)
		day += 86400000;
	snprintf(buf, len, "%02d:%02d:%02d.%03d", (int)(day / 3600000), (int)(day / 60000 % 60),
	    (int)(day / 1000 % 60), (int)(day % 1000));
	return buf;
}

void
tui_message(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->message, sizeof t->message, fmt, ap);
	va_end(ap);
	t->message_is_error = error;
}

void
tui_toggle_controller(struct tui *t, uint32_t id)
{
	const struct device *d = device_get(analysis_devices(t->a), id);
	char key[ADDR_STRLEN];

	if (d->has_mac)
		mac_fmt(d->mac, key, sizeof key);
	else
		addr_fmt(&d->key_ip, key, sizeof key);
	/* Unmarking drops every value naming the device, its MAC or any of its IPs. */
	size_t before = t->nctl;
	for (size_t i = 0; i < t->nctl;)
		if (analysis_controller_matches(t->a, id, t->ctl[i])) {
			free(t->ctl[i]);
			t->ctl[i] = t->ctl[--t->nctl];
		} else
			i++;
	if (t->nctl != before) {
		analysis_set_controllers(t->a, (const char *const *)t->ctl, t->nctl);
		tui_message(t, 0, "%s no longer marked as the app's phone", key);
		return;
	}
	if (t->nctl < sizeof t->ctl / sizeof *t->ctl) {
		t->ctl[t->nctl++] = xstrdup(key);
		analysis_set_controllers(t->a, (const char *const *)t->ctl, t->nctl);
		tui_message(t, 0, "%s marked as the phone running the vendor's app", key);
	}
}

/* The pane shown beside the devices in the wide layout. */
static int
right_pane(const struct tui *t)
{
	return t->right != PANE_DEVICES ? t->right : PANE_FLOWS;
}

static int
visible(const struct tui *t, int pane)
{
	if (pane == t->active)
		return 1;
	return t->term.cols >= WIDE_COLS && t->active != PANE_HELP &&
	    (pane == PANE_DEVICES || pane == right_pane(t));
}

/* Brings a pane up to the data: panes out of sight wait until shown or given a key. */
static void
fresh(struct tui *t, int pane)
{
	if (t->updated[pane] == t->generation)
		return;
	t->updated[pane] = t->generation;
	if (t->ops[pane]->update != NULL)
		t->ops[pane]->update(t, t->state[pane]);
}

/*
 * Only what shows is brought up to date at once: while a large capture loads this runs a
 * few times a second, and the tables of hidden panes (destinations, countries, channels)
 * each walk every flow.
 */
void
tui_changed(struct tui *t)
{
	analysis_sync(t->a);
	t->generation++;
	for (int i = 0; i < PANE_COUNT; i++)
		if (visible(t, i))
			fresh(t, i);
}

int
tui_is_new(const struct tui *t, int64_t first_ns)
{
	const struct overview *ov = analysis_overview(t->a);

	/* Packet time, not the clock: a followed file may lag, a live one is the clock. */
	return t->live && ov->packets > 0 && first_ns >= ov->last_ns - NEW_NS;
}

void
tui_focus(struct tui *t, int pane, int remember)
{
	if (pane == t->active)
		return;
	if (remember && t->nback < (int)(sizeof t->back / sizeof *t->back))
		t->back[t->nback++] = t->active;
	t->active = pane;
	if (pane != PANE_DEVICES && pane != PANE_HELP)
		t->right = pane;
}

static int
wide(const struct tui *t)
{
	return t->term.cols >= WIDE_COLS;
}

static void
draw_tabs(struct tui *t, int y)
{
	static const int order[] = { PANE_DEVICES, PANE_FLOWS, PANE_DESTS, PANE_PAYLOAD,
	    PANE_HEATMAP, PANE_CHANNELS, PANE_OVERVIEW, PANE_COUNTRIES, PANE_FINDINGS,
	    PANE_SEARCH };
	const size_t ntabs = sizeof order / sizeof *order;
	const struct term *tm = &t->term;
	int style, x;

	term_fill(stdscr, y, 0, tm->cols, term_attr(tm, TC_TAB));
	term_text(tm, stdscr, y, 0, " iotscope ", tm->cols, term_attr(tm, TC_TAB) | A_BOLD);
	/* Full names when they fit, then abbreviations, then bare digits: the active tab
	 * always keeps its name, and every digit stays visible. */
	for (style = 0; style < 3; style++) {
		int w = 10 + 8;
		for (size_t i = 0; i < ntabs; i++) {
			const struct pane_ops *o = t->ops[order[i]];
			const char *nm = order[i] == t->active || style == 0 ? o->name :
			    style == 1 && o->abbrev != NULL ? o->abbrev : style == 1 ? o->name : "";
			w += 3 + (int)strlen(nm) + (nm[0] != '\0');
		}
		if (w <= tm->cols)
			break;
	}
	x = 10;
	for (size_t i = 0; i < ntabs; i++) {
		int p = order[i];
		const struct pane_ops *o = t->ops[p];
		char tab[48];
		int shown = p == t->active || (wide(t) && (p == PANE_DEVICES || p == t->right));
		const char *nm = p == t->active || style == 0 ? o->name : style == 1 &&
		    o->abbrev != NULL ? o->abbrev : style == 1 ? o->name : "";
		snprintf(tab, sizeof tab, " %zu%s%s ", (i + 1) % 10, nm[0] != '\0' ? " " : "", nm);
		attr_t a = term_attr(tm, p == t->active ? TC_TAB_ACTIVE : TC_TAB);
		if (shown && p != t->active)
			a |= A_BOLD;
		x += term_text(tm, stdscr, y, x, tab, tm->cols - x, a);
		if (x >= tm->cols)
			break;
	}
	if (x + 8 <= tm->cols)
		term_text(tm, stdscr, y, tm->cols - 8, " ? help ", 8, term_attr(tm, TC_TAB));
}

static void
progress_text(struct tui *t, char *buf, size_t len)
{
	const struct overview *ov = analysis_overview(t->a);
	uint64_t done, total;
	char b1[16], b2[16], b3[16], b4[16];
	double el = tui_now() - t->t_start;

	capture_progress(analysis_capture(t->a), &done, &total);
	if (t->live && !t->loaded) {
		struct cap_stats st;
		uint64_t drops;
		capture_stats(analysis_capture_rw(t->a), &st);
		drops = st.kernel_drops + st.iface_drops + st.internal_drops;
		snprintf(buf, len, "%s%s pkts %s/s %sB/s drop %s%s%s", t->paused ? "PAUSED " : "",
		    tui_bytes(ov->packets, b1, sizeof b1), tui_bytes((uint64_t)t->pps, b2,
		    sizeof b2), tui_bytes((uint64_t)t->bps, b3, sizeof b3),
		    tui_bytes(drops, b4, sizeof b4), st.evidence != NULL ? " -w " : "",
		    st.evidence != NULL ? (strrchr(st.evidence, '/') != NULL ?
		    strrchr(st.evidence, '/') + 1 : st.evidence) : "");
		return;
	}
	if (t->loaded) {
		snprintf(buf, len, "%llu packets, %zu flows, %zu devices",
		    (unsigned long long)ov->packets, flow_count(analysis_flows(t->a)),
		    device_count(analysis_devices(t->a)));
		return;
	}
	double rate = el > 0 ? (double)ov->packets / el : 0;
	double brate = el > 0 ? (double)done / el : 0;
	if (total > 0) {
		double left = brate > 0 ? (double)(total - (done < total ? done : total)) / brate : 0;
		snprintf(buf, len, "loading %s/%s %s pkt/s, %s left", tui_bytes(done, b1, sizeof b1),
		    tui_bytes(total, b2, sizeof b2), tui_bytes((uint64_t)rate, b3, sizeof b3),
		    tui_duration(left, b4, sizeof b4));
	} else
		snprintf(buf, len, "loading %s, %s pkt/s", tui_bytes(done, b1, sizeof b1),
		    tui_bytes((uint64_t)rate, b3, sizeof b3));
}

static void
draw_status(struct tui *t, int y)
{
	const struct term *tm = &t->term;
	attr_t sa = term_attr(tm, TC_STATUS);
	char left[256], right[256];
	uint64_t done, total;

	term_fill(stdscr, y, 0, tm->cols, sa);
	if (t->prompt) {
		char line[300];
		snprintf(line, sizeof line, "/%.*s", (int)t->prompt_len, t->prompt_buf);
		term_text(tm, stdscr, y, 0, line, tm->cols - 1, sa);
		curs_set(1);
		move(y, 1 + term_width(tm, line + 1) < tm->cols ? 1 + term_width(tm, line + 1) : 0);
		return;
	}
	curs_set(0);
	int x = 0;
	if (t->live && !t->loaded) {
		x = term_text(tm, stdscr, y, 0, "LIVE ", 5, term_attr(tm, TC_WARN) | A_BOLD |
		    A_REVERSE);
	} else if (!t->loaded) {
		/* The bar: bytes read of the whole. */
		capture_progress(analysis_capture(t->a), &done, &total);
		int bw = 12;
		int fill = total > 0 ? (int)((double)done / (double)total * bw) : 0;
		if (fill > bw)
			fill = bw;
		term_text(tm, stdscr, y, 0, "[", 1, sa);
		for (int i = 0; i < bw; i++)
			term_text(tm, stdscr, y, 1 + i, i < fill ? term_block(tm) : " ", 1,
			    i < fill ? term_attr(tm, TC_BAR) : sa);
		term_text(tm, stdscr, y, 1 + bw, "] ", 2, sa);
		x = bw + 3;
	}
	/* The input first (its last path component), then progress or counts. */
	const struct capture *cap = analysis_capture(t->a);
	struct cap_input_info in;
	char name[300];
	capture_input_info(cap, 0, &in);
	const char *base = strrchr(in.name, '/') != NULL ? strrchr(in.name, '/') + 1 : in.name;
	if (capture_ninputs(cap) > 1)
		snprintf(name, sizeof name, "%s +%zu: ", base, capture_ninputs(cap) - 1);
	else
		snprintf(name, sizeof name, "%s: ", base);
	x += term_text(tm, stdscr, y, x, name, tm->cols / 3, sa | A_BOLD);
	progress_text(t, left, sizeof left);
	x += term_text(tm, stdscr, y, x, left, tm->cols - x, sa);
	const char *f = t->ops[t->active]->filter != NULL ?
	    t->ops[t->active]->filter(t->state[t->active]) : NULL;
	if (t->message[0] != '\0')
		snprintf(right, sizeof right, "%s", t->message);
	else if (f != NULL)
		snprintf(right, sizeof right, "filter: %s  Esc clears", f);
	else
		snprintf(right, sizeof right, "%s  q quit", t->ops[t->active]->hints);
	int rw = term_width(tm, right);
	if (x + 2 + rw <= tm->cols)
		term_text(tm, stdscr, y, tm->cols - rw, right, rw,
		    t->message_is_error ? term_attr(tm, TC_WARN) | A_REVERSE : sa);
	else if (x + 4 < tm->cols)
		term_text(tm, stdscr, y, x + 2, right, tm->cols - x - 2,
		    t->message_is_error ? term_attr(tm, TC_WARN) | A_REVERSE : sa);
}

static void
draw_too_small(struct tui *t)
{
	char line[128];
	const struct term *tm = &t->term;

	erase();
	snprintf(line, sizeof line, "iotscope needs at least %dx%d; this terminal is %dx%d.",
	    MIN_COLS, MIN_ROWS, tm->cols, tm->rows);
	term_text(tm, stdscr, tm->rows / 2 > 0 ? tm->rows / 2 - 1 : 0, 0, line, tm->cols, A_BOLD);
	if (tm->rows > 1)
		term_text(tm, stdscr, tm->rows / 2, 0, "Enlarge the window, or press q to quit.",
		    tm->cols, A_NORMAL);
	refresh();
}

static void
draw(struct tui *t)
{
	const struct term *tm = &t->term;

	if (tm->rows < MIN_ROWS || tm->cols < MIN_COLS) {
		draw_too_small(t);
		return;
	}
	draw_tabs(t, 0);
	int y = 1, h = tm->rows - 2;
	if (wide(t) && t->active != PANE_HELP) {
		int lw = tm->cols * 2 / 5;
		if (lw > 80)
			lw = 80;
		fresh(t, PANE_DEVICES);
		t->ops[PANE_DEVICES]->draw(t, t->state[PANE_DEVICES], stdscr, y, 0, h, lw,
		    t->active == PANE_DEVICES);
		term_vline(tm, stdscr, y, lw, h, term_attr(tm, TC_DIM));
		int r = right_pane(t);
		fresh(t, r);
		t->ops[r]->draw(t, t->state[r], stdscr, y, lw + 1, h, tm->cols - lw - 1,
		    t->active == r);
	} else {
		fresh(t, t->active);
		t->ops[t->active]->draw(t, t->state[t->active], stdscr, y, 0, h, tm->cols, 1);
	}
	draw_status(t, tm->rows - 1);
	refresh();
	if (t->t_first_screen == 0)
		t->t_first_screen = tui_now();
}

static void
go_back(struct tui *t)
{
	if (t->nback > 0) {
		t->active = t->back[--t->nback];
		if (t->active != PANE_DEVICES)
			t->right = t->active;
	} else if (t->active != PANE_DEVICES)
		t->active = PANE_DEVICES;
}

static void
prompt_key(struct tui *t, int key)
{
	char err[256];

	if (key == 27) {			/* Esc: abandon */
		t->prompt = 0;
		return;
	}
	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		t->prompt = 0;
		t->prompt_buf[t->prompt_len] = '\0';
		err[0] = '\0';
		if (t->ops[t->active]->search == NULL)
			return;
		t->message[0] = '\0';
		if (t->ops[t->active]->search(t, t->state[t->active], t->prompt_buf, err,
		    sizeof err) < 0)
			tui_message(t, 1, "%s", err);
		return;
	}
	if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		/* Remove one UTF-8 character. */
		while (t->prompt_len > 0 && ((unsigned char)t->prompt_buf[t->prompt_len - 1] &
		    0xc0) == 0x80)
			t->prompt_len--;
		if (t->prompt_len > 0)
			t->prompt_len--;
		return;
	}
	if (key >= 0x20 && key < 0x100 && key != 0x7f && t->prompt_len + 1 < sizeof t->prompt_buf)
		t->prompt_buf[t->prompt_len++] = (char)key;
}

static void
mouse(struct tui *t)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		t->ops[t->active]->key(t, t->state[t->active], KEY_UP);
		return;
	}
	if (ev.bstate & BUTTON5_PRESSED) {
		t->ops[t->active]->key(t, t->state[t->active], KEY_DOWN);
		return;
	}
	int p = t->active;
	if (wide(t) && t->active != PANE_HELP) {
		int lw = t->term.cols * 2 / 5;
		if (lw > 80)
			lw = 80;
		p = ev.x < lw ? PANE_DEVICES : (t->right != PANE_DEVICES ? t->right : PANE_FLOWS);
		t->active = p;
	}
	if (t->ops[p]->click != NULL)
		t->ops[p]->click(t, t->state[p], ev.y, ev.x);
}

static void
key(struct tui *t, int k)
{
	static const int tabs[] = { PANE_DEVICES, PANE_FLOWS, PANE_DESTS, PANE_PAYLOAD,
	    PANE_HEATMAP, PANE_CHANNELS, PANE_OVERVIEW, PANE_COUNTRIES, PANE_FINDINGS,
	    PANE_SEARCH };
	const int ntabs = (int)(sizeof tabs / sizeof *tabs);

	if (k == KEY_RESIZE) {
		getmaxyx(stdscr, t->term.rows, t->term.cols);
		clear();
		return;
	}
	if (t->prompt) {
		prompt_key(t, k);
		return;
	}
	t->message[0] = '\0';
	if (t->term.rows < MIN_ROWS || t->term.cols < MIN_COLS) {
		if (k == 'q' || k == 'Q')
			t->quit = 1;
		return;
	}
	if (k == KEY_MOUSE) {
		mouse(t);
		return;
	}
	if (t->active == PANE_HELP && k != 'q' && k != 'Q' && k != KEY_F(10)) {
		if (!t->ops[PANE_HELP]->key(t, t->state[PANE_HELP], k))
			go_back(t);
		return;
	}
	fresh(t, t->active);		/* a key acts on what the pane would show */
	if (t->ops[t->active]->key(t, t->state[t->active], k))
		return;
	switch (k) {
	case 'q':
	case 'Q':
	case KEY_F(10):
		t->quit = 1;
		break;
	case '?':
	case KEY_F(1):
		tui_focus(t, PANE_HELP, 1);
		break;
	case 'p':
		if (t->live && !t->loaded) {
			t->paused = !t->paused;
			if (!t->paused)
				tui_changed(t);
			tui_message(t, 0, "%s", t->paused ? "view paused (the capture goes on); "
			    "p resumes" : "view follows the capture");
		}
		break;
	case '\t':
	case KEY_BTAB: {
		int i;
		for (i = 0; i < ntabs; i++)
			if (tabs[i] == t->active)
				break;
		i = k == '\t' ? (i + 1) % ntabs : (i + ntabs - 1) % ntabs;
		tui_focus(t, tabs[i], 0);
		break;
	}
	case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
	case '9':
		tui_focus(t, tabs[k - '1'], 0);
		break;
	case '0':
		tui_focus(t, tabs[9], 0);
		break;
	case 27:			/* Esc */
	case KEY_BACKSPACE:
	case 127:
	case 8:
	case KEY_LEFT:
	case 'h':
		go_back(t);
		break;
	case '/':
		if (t->ops[t->active]->search != NULL) {
			t->prompt = 1;
			t->prompt_len = 0;
		}
		break;
	default:
		break;
	}
}

/* Packets and bytes per second over the last second or so, for the live status bar. */
static void
rates(struct tui *t)
{
	const struct overview *ov = analysis_overview(t->a);
	double now = tui_now(), dt = now - t->rate_t;

	if (t->rate_t == 0) {
		t->rate_t = now;
		t->rate_pk = ov->packets;
		t->rate_by = ov->wire_bytes;
		return;
	}
	if (dt < 1.0)
		return;
	t->pps = (double)(ov->packets - t->rate_pk) / dt;
	t->bps = (double)(ov->wire_bytes - t->rate_by) / dt;
	t->rate_t = now;
	t->rate_pk = ov->packets;
	t->rate_by = ov->wire_bytes;
}

/* Analysis steps for about STEP_SLICE_S; returns what the last step said. */
static enum analysis_rc
ingest(struct tui *t)
{
	double until = tui_now() + STEP_SLICE_S;
	enum analysis_rc rc = ANALYSIS_MORE;

	while (tui_now() < until) {
		rc = analysis_step(t->a, STEP_PACKETS);
		if (rc == ANALYSIS_DONE) {
			t->loaded = 1;
			t->t_loaded = tui_now();
			break;
		}
		if (rc == ANALYSIS_IDLE)
			break;
	}
	return rc;
}

int
tui_run(const struct options *opt)
{
	struct tui *t = calloc(1, sizeof *t);
	struct analysis_opts ao = { .oui_path = opt->oui, .index = 1,
	    .entropy = (enum entropy_mode)opt->entropy,
	    .geoip = opt->geoip, .ngeoip = opt->ngeoip,
	    .patterns = opt->patterns, .npatterns = opt->npatterns,
	    .no_findings = opt->no_findings,
	    .threshold = opt->threshold, .min_bytes = opt->min_bytes,
	    .secure_ports = opt->secure_ports, .max_memory = opt->max_memory };
	char err[512];
	int status = 0;
	struct session ss;

	if (t == NULL)
		return 1;
	t->opt = opt;
	t->generation = 1;		/* ahead of every pane's updated[]: all start stale */
	t->t_start = tui_now();
	t->a = analysis_new(&ao);
	for (size_t i = 0; i < opt->ncontrollers && t->nctl < sizeof t->ctl / sizeof *t->ctl; i++)
		t->ctl[t->nctl++] = xstrdup(opt->controllers[i]);
	analysis_set_controllers(t->a, (const char *const *)t->ctl, t->nctl);
	int rc = session_open(&ss, opt, t->a, err, sizeof err);
	if (rc == 0 && (rc = session_drop(&ss, err, sizeof err)) != 0)
		ss.no_input = 0;
	if (rc != 0) {
		if (ss.no_input)
			msg_warnings(analysis_warnings(t->a), 1);
		else
			msg_err("%s", err);
		session_close(&ss, err, sizeof err);
		analysis_free(t->a);
		free(t);
		return rc;
	}
	t->session = &ss;
	t->live = capture_is_live(analysis_capture(t->a));
	/* The terminal (terminfo, the locale) is set up before the process is confined. */
	if (term_init(&t->term, err, sizeof err) < 0 ||
	    (rc = session_confine(&ss, err, sizeof err)) != 0) {
		term_fini(&t->term);
		msg_err("%s", err);
		session_close(&ss, err, sizeof err);
		analysis_free(t->a);
		free(t);
		return 1;
	}
	term_install_crash_handlers();
	/* ^C, SIGTERM and SIGHUP (the SSH session gone) end cleanly: evidence complete. */
	session_catch_signals();
	t->ops[PANE_DEVICES] = &pane_devices;
	t->ops[PANE_FLOWS] = &pane_flows;
	t->ops[PANE_DESTS] = &pane_dests;
	t->ops[PANE_PAYLOAD] = &pane_payload;
	t->ops[PANE_HEATMAP] = &pane_heatmap;
	t->ops[PANE_CHANNELS] = &pane_channels;
	t->ops[PANE_OVERVIEW] = &pane_overview;
	t->ops[PANE_COUNTRIES] = &pane_countries;
	t->ops[PANE_FINDINGS] = &pane_findings;
	t->ops[PANE_SEARCH] = &pane_search;
	t->ops[PANE_HELP] = &pane_help;
	for (int i = 0; i < PANE_COUNT; i++)
		t->state[i] = t->ops[i]->init(t);
	t->active = PANE_DEVICES;
	t->right = PANE_FLOWS;

	double last_draw = 0;
	int dirty = 1;
	enum analysis_rc arc = ANALYSIS_MORE;
	while (!t->quit) {
		if (session_tick(&ss) && ss.signal != 0)
			break;
		if (!t->loaded) {
			arc = ingest(t);
			rates(t);
			/* Live: a few redraws a second while packets arrive, none while idle. */
			if ((tui_now() - last_draw >= REDRAW_S && t->ingested != analysis_overview(
			    t->a)->packets) || t->loaded) {
				t->ingested = analysis_overview(t->a)->packets;
				if (!t->paused || t->loaded)
					tui_changed(t);
				dirty = 1;
			}
		}
		if (dirty) {
			draw(t);
			last_draw = tui_now();
			dirty = 0;
			if (opt->exit_when_loaded && t->loaded)
				break;
		}
		/* A file's SHA-256 that a thread just finished shows in the overview. */
		size_t hashing = capture_hashes_pending(analysis_capture(t->a));
		if (hashing != t->hashing) {
			t->hashing = hashing;
			tui_changed(t);
			dirty = 1;
		}
		/* A pane's leftover work (a search of every flow) runs a slice at a time. */
		int busy = 0;
		for (int i = 0; i < PANE_COUNT; i++) {
			int w = t->ops[i]->work != NULL ? t->ops[i]->work(t, t->state[i]) : 0;
			if (w == 1) {
				busy = 1;
				if (tui_now() - last_draw >= REDRAW_S)
					dirty = 1;
			} else if (w == 2)
				dirty = 1;		/* it just finished: show the result */
		}
		if (dirty) {
			draw(t);
			last_draw = tui_now();
			dirty = 0;
		}
		/*
		 * One poll for the keyboard and the capture: while loading or working only a
		 * peek; idle on a live capture, until a key or a packet (and once a second for
		 * the rates); loaded, until a key.
		 */
		struct pollfd pfd[17];
		int timeout = 0;
		size_t n = 1;
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		if (t->loaded && !busy)
			timeout = t->hashing > 0 ? 200 : -1;
		else if (arc == ANALYSIS_IDLE && !busy) {
			session_idle(&ss);
			n += session_pollfds(&ss, pfd + 1, 16, &timeout);
			if (timeout < 0 || timeout > 1000)
				timeout = 1000;
			/* What arrived since the last redraw is shown before sleeping. */
			if (t->ingested != analysis_overview(t->a)->packets) {
				t->ingested = analysis_overview(t->a)->packets;
				if (!t->paused)
					tui_changed(t);
				draw(t);
				last_draw = tui_now();
			}
		}
		double entered = tui_now();
		rc = poll(pfd, n, timeout);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc == 0 && arc == ANALYSIS_IDLE)
			dirty = 1;		/* the rates and drops move on */
		double polled = tui_now();
		/*
		 * A poll that waited was woken by the key: it came then.  One that did not wait
		 * found it already there: it came after the previous look.
		 */
		double since = polled - entered > 0.001 ? polled : t->prev_poll;
		int k, keys = 0, last = 0;
		while ((k = getch()) != ERR) {
			key(t, k);
			keys++;
			last = k;
			if (t->quit)
				break;
		}
		/*
		 * A key is answered at once, before the next analysis slice: from its arrival
		 * (as bounded above) to this draw is its latency.
		 */
		if (keys > 0 && !t->quit) {
			draw(t);
			last_draw = tui_now();
			dirty = 0;
			double lat = last_draw - since;
			if (lat > t->key_lat_max) {
				t->key_lat_max = lat;
				t->key_lat_key = last;
				t->key_lat_pane = t->active;
			}
			if (lat > KEY_SLOW && t->nkey_slow < KEY_SLOW_MAX) {
				t->key_slow[t->nkey_slow].key = last;
				t->key_slow[t->nkey_slow].pane = t->active;
				t->key_slow[t->nkey_slow++].ms = (float)(lat * 1e3);
			}
			t->key_lat_sum += lat;
			t->key_lat_n++;
		}
		t->prev_poll = polled;
		if (rc < 0)		/* a signal (SIGWINCH): ncurses queued KEY_RESIZE */
			dirty = 1;
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break;
	}
	/*
	 * A live capture told to end (q, a hang-up, a signal) first reads what the kernel has
	 * already captured, so that -w holds every packet that reached the interface however
	 * far behind the analysis was (a sanitizer build on a slow machine lost two thirds of
	 * a burst at a hang-up).  Bounded: a flood that never pauses ends after DRAIN_S.
	 */
	if (opt->iface != NULL && !t->loaded) {
		double until = tui_now() + DRAIN_S;
		while (tui_now() < until && analysis_step(t->a, STEP_PACKETS) == ANALYSIS_MORE)
			;
	}
	term_fini(&t->term);
	if (session_close(&ss, err, sizeof err) < 0) {
		msg_err("%s", err);
		status = 1;
	}
	if (opt->timing) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		msg_err("first screen after %.3f s, loaded after %.3f s, peak RSS %ld MB",
		    t->t_first_screen - t->t_start,
		    t->loaded ? t->t_loaded - t->t_start : -1.0, ru.ru_maxrss / 1024);
		if (t->key_lat_n > 0)
			msg_err("key latency: at most %.1f ms (key %s, then in %s), mean %.1f ms "
			    "over %u keys", t->key_lat_max * 1e3, keyname(t->key_lat_key),
			    t->ops[t->key_lat_pane]->name, t->key_lat_sum / t->key_lat_n * 1e3,
			    t->key_lat_n);
		for (unsigned i = 0; i < t->nkey_slow; i++)
			msg_err("slow key %u: %s, then in %s: %.1f ms", i + 1,
			    keyname(t->key_slow[i].key), t->ops[t->key_slow[i].pane]->name,
			    (double)t->key_slow[i].ms);
	}
	const struct warnlist *w = analysis_warnings(t->a);
	if (w->nerrors > 0)
		status = 1;
	for (int i = 0; i < PANE_COUNT; i++)
		t->ops[i]->free(t->state[i]);
	analysis_free(t->a);
	for (size_t i = 0; i < t->nctl; i++)
		free(t->ctl[i]);
	free(t);
	return status;
}
