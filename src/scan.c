/*
 * scan.c — the findings scanner (see scan.h): per-direction reassembly, the carried tail,
 * and the runs of patterns, built-in scanners and extractors over each delivered piece.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "decode.h"
#include "detect.h"
#include "extract.h"
#include "findings.h"
#include "httpbody.h"
#include "patterns.h"
#include "entropy.h"
#include "scan.h"
#include "verdict.h"
#include "warn.h"
#include "xalloc.h"

#define SCAN_MARKS	16	/* recent packets, to say which one a match came in */
#define CARRY_MIN	64	/* kept even past a line end: short constructs span lines */
#define MQTT_HEAD	16384	/* bytes of a client stream held until its CONNECT is whole */
#define SCAN_PROBE	4096	/* bytes of an unknown protocol judged before skipping it */
#define PROBE_RAW	512	/* of them kept as bytes, before counts take less room */
#define DEFER_MARGIN	16	/* matches ending this close to a piece's end wait for the next */
#define DGRAM_LIGHT	512	/* bytes each way a datagram flow is scanned without state */

struct held {
	uint32_t	 seq, len;
	uint8_t		*data;
	uint64_t	 num;
	int64_t		 ts_ns;
	uint32_t	 ord;
};

struct mark {
	uint64_t	 off;
	uint64_t	 num;
	int64_t		 ts_ns;
	uint32_t	 ord;
};

/* Hot fields first: every packet of a scanned direction reads the first cache line. */
struct sdir {
	uint8_t		*carry;
	uint32_t	 ncarry;
	uint8_t		 started, closed;
	uint8_t		 mqtt;		/* 0 looking for CONNECT, 1 done */
	uint8_t		 nheld;
	uint32_t	 next_seq;
	uint32_t	 held_bytes;
	uint64_t	 off;		/* stream offset of the next byte delivered */
	uint64_t	 done;		/* matches ending at or before this offset are reported */
	uint64_t	 carry_lits;	/* patterns (the first 64) whose literal is in the carry */
	uint8_t		 nmark, mark_next, mark_cap;
	uint8_t		 random;	/* the first bytes looked random: the rest is not scanned */
	struct held	*held;		/* SCAN_HOLD early segments, allocated at the first */
	struct http_track *http;	/* HTTP flows: where the media bodies are */
	struct mark	*mark;		/* a ring, grown 2, 4, … SCAN_MARKS as packets come */
	uint8_t		*head;		/* MQTT: the stream's first bytes */
	uint32_t	 nhead;
	/*
	 * The first SCAN_PROBE bytes of an unknown protocol, judged at the end: up to
	 * PROBE_RAW the bytes themselves (a datagram flow of a few dozen costs that much), then
	 * their counts.
	 */
	uint8_t		*probe;
	uint32_t	 nprobe;
	uint16_t	 probe_cap;	/* bytes held; 0 once they are counts (uint16_t[256]) */
};

struct sflow {
	struct sdir	 d[2];
	struct ext_lines *lines;
	uint32_t	 mem;		/* what sflow_mem() said last: counted in the scanner's */
	uint32_t	 flow;
	uint32_t	 ord;		/* payload packets so far */
	uint16_t	 server_port;
	uint8_t		 swap;		/* the initiator is the server (its start was not seen) */
	uint8_t		 lines_checked;
	uint8_t		 light;		/* a datagram flow's first bytes, on the stack (light()) */
};

/*
 * What a datagram flow scanned without state of its own keeps between its datagrams: a
 * million DNS-sized exchanges held 600 bytes of scanner state each (marks, probe), though
 * a datagram is scanned whole and the probe judges nothing before SCAN_PROBE bytes.
 */
struct dgram {
	uint32_t	 off[2];	/* bytes delivered each way */
	uint32_t	 ord;		/* payload packets so far */
	uint32_t	 on;		/* 1: the flow is scanned this way so far */
};

/* Per flow id: NULL (nothing yet), SKIPPED, FINISHED, or the state. */
static struct sflow skipped_flow, finished_flow;
#define SKIPPED		(&skipped_flow)
#define FINISHED	(&finished_flow)

struct scanner {
	const struct patset *ps;
	struct findings	*fs;
	struct warnlist	*warn;
	struct sflow	**flows;
	struct dgram	*dg;		/* beside flows, by flow id */
	size_t		 nflows;
	size_t		 mem;		/* the flows' state, estimated (sflow_mem) */
	uint8_t		*work;
	size_t		 workcap;
	uint8_t		*want;
	size_t		*last;		/* each pattern's last literal in the piece */
	struct scan_stats st;

	/* The piece being scanned, for the match callbacks. */
	struct sflow	*cur;
	const struct flow_app *app;	/* the packet's flow detection */
	int		 cur_dir;
	uint64_t	 base;		/* stream offset of work[0] */
	size_t		 wlen;
	int		 final;
	int		 deferred;
	size_t		 defer_start;
};

static const struct pattern builtin_email = {
	.name = "email", .cat = CAT_PERSONAL, .sev = SEV_LOW, .origin = "built-in",
};
static const struct pattern builtin_email_url = {
	.name = "email", .cat = CAT_PERSONAL, .sev = SEV_LOW, .decode = DEC_URL,
	.origin = "built-in",
};
static const struct pattern builtin_mac = {
	.name = "mac", .cat = CAT_IDENTIFIER, .sev = SEV_LOW, .origin = "built-in",
};

struct scanner *
scanner_new(const struct patset *ps, struct findings *fs, struct warnlist *w)
{
	struct scanner *s = xcalloc(1, sizeof *s);

	s->ps = ps;
	s->fs = fs;
	s->warn = w;
	s->want = xcalloc(patset_count(ps) + 1, 1);
	s->last = xcalloc(patset_count(ps) + 1, sizeof *s->last);
	return s;
}

static void
dir_free(struct sdir *d)
{
	free(d->carry);
	free(d->head);
	d->nhead = 0;
	/* Bytes may still come after a FIN: the probe then starts again, from nothing. */
	free(d->probe);
	d->probe = NULL;
	d->probe_cap = 0;
	d->nprobe = 0;
	free(d->mark);
	d->mark = NULL;
	d->nmark = d->mark_cap = d->mark_next = 0;
	free(d->http);
	d->http = NULL;
	for (int i = 0; i < d->nheld; i++)
		free(d->held[i].data);
	free(d->held);
	d->held = NULL;
	d->carry = d->head = NULL;
	d->nheld = 0;
}

/* What a flow's state holds, from what is allocated (each buffer's fixed size). */
static uint32_t
sflow_mem(const struct sflow *f)
{
	size_t n = sizeof *f + (f->lines != NULL ? sizeof *f->lines : 0);

	for (int i = 0; i < 2; i++) {
		const struct sdir *d = &f->d[i];
		n += (d->carry != NULL ? SCAN_CARRY : 0) + (d->head != NULL ? MQTT_HEAD : 0) +
		    (d->probe != NULL ? (d->probe_cap != 0 ? d->probe_cap : 512) : 0) +
		    d->mark_cap * sizeof *d->mark +
		    (d->http != NULL ? sizeof *d->http : 0) +
		    (d->held != NULL ? SCAN_HOLD * sizeof *d->held : 0) + d->held_bytes;
	}
	return (uint32_t)n;
}

/* Brings the scanner's total up to date with what f holds now. */
static void
account(struct scanner *s, struct sflow *f)
{
	uint32_t m = sflow_mem(f);

	s->mem += m;
	s->mem -= f->mem;
	f->mem = m;
}

static void
flow_free(struct sflow *f)
{
	if (f == NULL || f == SKIPPED || f == FINISHED)
		return;
	dir_free(&f->d[0]);
	dir_free(&f->d[1]);
	free(f->lines);
	free(f);
}

/* Frees a flow's state and takes it out of the total. */
static void
flow_drop(struct scanner *s, struct sflow *f)
{
	if (f == NULL || f == SKIPPED || f == FINISHED)
		return;
	s->mem -= f->mem;
	flow_free(f);
}

void
scanner_free(struct scanner *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nflows; i++)
		flow_free(s->flows[i]);
	free(s->flows);
	free(s->dg);
	free(s->work);
	free(s->want);
	free(s->last);
	free(s);
}

const struct scan_stats *
scanner_stats(const struct scanner *s)
{
	return &s->st;
}

/* --- reporting --------------------------------------------------------------------------- */

static void
where(const struct sflow *f, int dir, uint64_t off, struct find_where *w)
{
	const struct sdir *d = &f->d[dir];

	memset(w, 0, sizeof *w);
	w->flow = f->flow;
	w->dir = (uint8_t)dir;
	w->off = off;
	/* The latest packet that starts at or before the offset. */
	const struct mark *best = NULL;
	for (int i = 0; i < d->nmark; i++) {
		const struct mark *m = &d->mark[i];
		if (m->off <= off && (best == NULL || m->off >= best->off))
			best = m;
	}
	if (best == NULL && d->nmark > 0) {		/* older than we remember: the oldest */
		best = &d->mark[0];
		for (int i = 1; i < d->nmark; i++)
			if (d->mark[i].off < best->off)
				best = &d->mark[i];
	}
	if (best != NULL) {
		w->pkt_num = best->num;
		w->ts_ns = best->ts_ns;
		w->pkt_ord = best->ord;
	}
}

static long
ext_found(void *ctx, int dir, const char *type, enum find_cat cat, enum find_sev sev,
    const uint8_t *value, size_t vlen, const char *user, const uint8_t *raw, size_t rawlen,
    uint64_t raw_off, const uint8_t *msg, size_t msglen)
{
	struct scanner *s = ctx;
	struct find_where w;
	size_t bl = 0, al = 0;
	const uint8_t *after = NULL;

	where(s->cur, dir ^ s->cur->swap, raw_off, &w);	/* extractors say client/server */
	if (raw >= msg && raw + rawlen <= msg + msglen) {
		bl = (size_t)(raw - msg);
		after = raw + rawlen;
		al = (size_t)(msg + msglen - after);
	}
	if (bl > FIND_CONTEXT)
		bl = FIND_CONTEXT;
	if (al > FIND_CONTEXT)
		al = FIND_CONTEXT;
	return findings_add(s->fs, type, cat, sev, "extractor", &w, value, vlen, user, raw,
	    rawlen, raw - bl, bl, after, al);
}

static void
ext_outcome(void *ctx, long i, int accepted)
{
	struct scanner *s = ctx;

	if (i >= 0 && (size_t)i < findings_count(s->fs))
		findings_get(s->fs, (size_t)i)->outcome = accepted ? OUTCOME_ACCEPTED :
		    OUTCOME_REJECTED;
}

/* A pattern's match at work[m, m+ml), value at work[v, v+vl). */
static int
on_match(void *ctx, const struct pattern *p, size_t m, size_t ml, size_t v, size_t vl)
{
	struct scanner *s = ctx;
	const uint8_t *w = s->work;
	size_t end = m + ml;

	if (s->base + end <= s->cur->d[s->cur_dir].done)
		return 0;			/* reported from an earlier piece */
	if (end + DEFER_MARGIN > s->wlen && !s->final &&
	    m + SCAN_CARRY >= s->wlen) {	/* (one that the carry cannot keep: now) */
		/* It may still grow with the next bytes ("…@mail.example." + "com"): later. */
		s->deferred = 1;
		if (m < s->defer_start)
			s->defer_start = m;
		return 0;
	}
	if (vl == 0)
		return 0;
	uint8_t dec[FIND_VALUE_MAX];
	const uint8_t *val = w + v;
	size_t n = vl;
	char user[256], *u = NULL;
	switch (p->decode) {
	case DEC_URL:
		n = decode_url(w + v, vl, dec, sizeof dec);
		val = dec;
		break;
	case DEC_BASE64:
	case DEC_BASIC: {
		long k = decode_base64(w + v, vl, dec, sizeof dec);
		if (k < 0)
			return 0;		/* not base64 after all: no finding */
		val = dec;
		n = (size_t)k;
		if (p->decode == DEC_BASIC) {
			uint8_t *colon = memchr(dec, ':', n);
			if (colon != NULL) {
				size_t ul = (size_t)(colon - dec);
				snprintf(user, sizeof user, "%.*s", (int)(ul < sizeof user ? ul :
				    sizeof user - 1), (const char *)dec);
				if (strlen(user) == ul)
					u = user;
				val = colon + 1;
				n -= ul + 1;
			}
		}
		break;
	}
	default:
		break;
	}
	struct find_where wh;
	where(s->cur, s->cur_dir, s->base + v, &wh);
	size_t bl = v < FIND_CONTEXT ? v : FIND_CONTEXT;
	size_t al = s->wlen - (v + vl) < FIND_CONTEXT ? s->wlen - (v + vl) : FIND_CONTEXT;
	(void)findings_add(s->fs, p->name, p->cat, p->sev, p->origin, &wh, val, n, u, w + v, vl,
	    w + v - bl, bl, w + v + vl, al);
	return 0;
}

/* A built-in scanner's address, handed to on_match as its pattern would be. */
static void
on_builtin(void *ctx, enum builtin_kind k, size_t off, size_t len)
{
	const struct pattern *p = k == BUILTIN_MAC ? &builtin_mac : k == BUILTIN_EMAIL_URL ?
	    &builtin_email_url : &builtin_email;

	(void)on_match(ctx, p, off, len, off, len);
}

/* --- scanning a piece -------------------------------------------------------------------- */

/* A line end or a control byte other than tab and CR: no text match runs across it. */
static int
text_break(uint8_t c)
{
	return c == '\n' || (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f;
}

static void
work_reserve(struct scanner *s, size_t n)
{
	if (n <= s->workcap)
		return;
	size_t cap = s->workcap ? s->workcap : 16384;
	while (cap < n)
		cap *= 2;
	s->work = xrealloc(s->work, cap);
	/*
	 * Zeroed past what was there: PCRE2's JIT reads whole aligned words beyond the subject's
	 * end (harmless, the bytes are ignored), and memcheck would report that as a decision on
	 * uninitialised memory.
	 */
	memset(s->work + s->workcap, 0, cap - s->workcap);
	s->workcap = cap;
}

/*
 * Scans the carried tail plus n new bytes: patterns whose literal is there, the built-in
 * scanners; then keeps the new tail.
 */
static void
scan_piece(struct scanner *s, struct sflow *f, int dir, const uint8_t *b, size_t n, int final,
    int datagram)
{
	struct sdir *d = &f->d[dir];
	size_t wl = d->ncarry + n;
	char err[256];

	if (wl == 0)
		return;
	work_reserve(s, wl);
	if (d->ncarry > 0)
		memcpy(s->work, d->carry, d->ncarry);
	if (n > 0)
		memcpy(s->work + d->ncarry, b, n);
	s->cur = f;
	s->cur_dir = dir;
	s->base = d->off - d->ncarry;
	s->wlen = wl;
	s->final = final;
	s->deferred = 0;
	s->defer_start = wl;
	s->st.scanned += n;
	s->st.rescanned += d->ncarry;

	/*
	 * The carried bytes were looked at with the previous piece: only literals that may
	 * straddle the boundary are looked for again, and those seen in the carry are kept.
	 */
	size_t np = patset_count(s->ps);
	size_t lit_from = np <= 64 && d->ncarry >= PAT_LITERAL_MAX ?
	    d->ncarry - (PAT_LITERAL_MAX - 1) : 0;
	size_t marked = np > 0 ? patset_prefilter(s->ps, s->work, wl, lit_from, s->want, s->last) :
	    0;
	for (size_t i = 0; d->carry_lits != 0 && i < np && i < 64 && lit_from > 0; i++)
		if ((d->carry_lits >> i & 1) && !s->want[i]) {
			s->want[i] = 1;
			marked++;
		}
	/* ^ and $ are the stream's edges (a datagram is one message), not the piece's. */
	int flags = (!datagram && s->base > 0 ? PAT_NOTBOL : 0) | (!final ? PAT_NOTEOL : 0);
	if (marked > 0)
		for (size_t i = 0; i < np; i++) {
			if (!s->want[i])
				continue;
			s->st.runs++;
			if (patset_run_piece(s->ps, i, s->work, wl, 0, flags, on_match, s, err,
			    sizeof err) < 0) {
				const struct pattern *p = patset_get(s->ps, i);
				s->st.limits++;
				warn_add(s->warn, WARN_WARNING, "pattern %s (%s): %s; that piece of "
				    "payload was not searched further by it", p->name, p->origin, err);
			}
		}
	/*
	 * Built-in scanners: from where a match could start that ends in the new bytes or in
	 * the last DEFER_MARGIN bytes of the carry (a deferred one).
	 */
	size_t back = d->ncarry;
	builtin_emails(s->work, wl, back > 255 + DEFER_MARGIN ? back - 255 - DEFER_MARGIN : 0, 0,
	    on_builtin, s);
	builtin_emails(s->work, wl, back > 257 + DEFER_MARGIN ? back - 257 - DEFER_MARGIN : 0, 1,
	    on_builtin, s);
	builtin_macs(s->work, wl, back > 17 + DEFER_MARGIN ? back - 17 - DEFER_MARGIN : 0, ':',
	    on_builtin, s);
	builtin_macs(s->work, wl, back > 17 + DEFER_MARGIN ? back - 17 - DEFER_MARGIN : 0, '-',
	    on_builtin, s);

	/*
	 * What a later match may still start in: the text since the last line end or control
	 * byte (matches are text: in binary payload that is a few bytes), at least the last
	 * CARRY_MIN bytes, at most SCAN_CARRY.
	 */
	size_t keep_from = wl > SCAN_CARRY ? wl - SCAN_CARRY : 0;
	if (!final) {
		size_t from = wl;
		while (from > keep_from && !text_break(s->work[from - 1]))
			from--;
		size_t min_from = wl > CARRY_MIN ? wl - CARRY_MIN : 0;
		if (from > min_from)
			from = min_from;
		if (s->deferred && s->defer_start < from)
			from = s->defer_start;
		if (from < keep_from)
			from = keep_from;
		keep_from = from;
	} else
		keep_from = wl;
	size_t keep = wl - keep_from;
	uint64_t lits = keep_from < d->ncarry ? d->carry_lits : 0;	/* still in the carry */
	for (size_t i = 0; marked > 0 && i < np && i < 64; i++)
		/* A margin: stepping over positions, the prefilter may see a literal that
		 * starts a few bytes earlier before one that starts later. */
		if (s->want[i] && s->last[i] != SIZE_MAX && s->last[i] + 4 >= keep_from &&
		    s->last[i] < wl)
			lits |= 1ull << i;
	d->carry_lits = keep > 0 ? lits : 0;
	if (keep > 0 && d->carry == NULL)
		d->carry = xmalloc(SCAN_CARRY);
	if (keep > 0)
		memmove(d->carry, s->work + keep_from, keep);
	d->ncarry = (uint32_t)keep;
	/* Every match ending past this was deferred, and is found again with the carry. */
	uint64_t done = final ? s->base + wl : s->base + (wl > DEFER_MARGIN ? wl - DEFER_MARGIN : 0);
	if (done > d->done)
		d->done = done;
}

static struct ext_emit
emitter(struct scanner *s)
{
	return (struct ext_emit){ .found = ext_found, .outcome = ext_outcome, .ctx = s };
}

static void
add_mark(struct sdir *d, uint64_t num, int64_t ts, uint32_t ord)
{
	/* Grown while not full (the ring has not wrapped yet, so it stays in order). */
	if (d->nmark == d->mark_cap && d->mark_cap < SCAN_MARKS) {
		d->mark_cap = (uint8_t)(d->mark_cap != 0 ? 2 * d->mark_cap : 2);
		d->mark = xreallocarray(d->mark, d->mark_cap, sizeof *d->mark);
		d->mark_next = d->nmark;
	}
	struct mark *m = &d->mark[d->mark_next];

	m->off = d->off;
	m->num = num;
	m->ts_ns = ts;
	m->ord = ord;
	d->mark_next = (uint8_t)((d->mark_next + 1) % d->mark_cap);
	if (d->nmark < d->mark_cap)
		d->nmark++;
}

/*
 * A direction no protocol was recognised in whose first SCAN_PROBE bytes look like random
 * bytes (entropy within the verdicts' margin of what random bytes score) is taken for
 * encrypted, as its verdict would be, and not scanned further; the bytes are counted.
 */
static void
probe(struct sdir *d, const struct flow_app *app, const uint8_t *b, size_t n)
{
	if (d->nprobe >= SCAN_PROBE || app == NULL || app->proto != AP_NONE)
		return;
	size_t take = n < SCAN_PROBE - d->nprobe ? n : SCAN_PROBE - d->nprobe;
	if (d->probe == NULL || d->probe_cap != 0) {
		if (d->nprobe + take <= PROBE_RAW) {
			if (d->nprobe + take > d->probe_cap) {
				size_t cap = d->probe_cap != 0 ? d->probe_cap : 32;
				while (cap < d->nprobe + take)
					cap *= 2;
				d->probe = xrealloc(d->probe, cap);
				d->probe_cap = (uint16_t)cap;
			}
			memcpy(d->probe + d->nprobe, b, take);
			d->nprobe += (uint32_t)take;
			if (d->nprobe < SCAN_PROBE)
				return;
		} else {
			/* Past PROBE_RAW bytes: counted from here on. */
			uint16_t *c = xcalloc(256, sizeof *c);
			for (uint32_t i = 0; i < d->nprobe; i++)
				c[d->probe[i]]++;
			free(d->probe);
			d->probe = (uint8_t *)c;
			d->probe_cap = 0;
		}
	}
	if (d->probe_cap == 0) {
		uint16_t *c = (uint16_t *)(void *)d->probe;
		for (size_t i = 0; i < take; i++)
			c[b[i]]++;
		d->nprobe += (uint32_t)take;
	}
	if (d->nprobe < SCAN_PROBE)
		return;
	uint32_t counts[256] = { 0 };
	if (d->probe_cap != 0)
		for (uint32_t i = 0; i < d->nprobe; i++)
			counts[d->probe[i]]++;
	else
		for (int i = 0; i < 256; i++)
			counts[i] = ((const uint16_t *)(const void *)d->probe)[i];
	double e = entropy_of_counts(counts, d->nprobe);
	d->random = e >= entropy_expected_random(d->nprobe) * (1 - VERDICT_RANDOM_MARGIN);
	free(d->probe);
	d->probe = NULL;
	d->probe_cap = 0;
}

/* In-order bytes of a TCP direction, or one datagram. */
static void
deliver(struct scanner *s, struct sflow *f, int dir, const uint8_t *b, size_t n, int datagram)
{
	struct sdir *d = &f->d[dir];
	struct ext_emit e = emitter(s);
	int cdir = dir ^ f->swap;		/* 0: client → server */

	if (d->random) {
		s->st.skipped_random += n;
		d->off += n;
		d->done = d->off;
		d->ncarry = 0;
		return;
	}

	s->cur = f;
	if (f->lines != NULL)
		ext_lines_feed(f->lines, cdir, b, n, d->off, &e);
	if (cdir == 0 && !d->mqtt && !datagram &&
	    (f->server_port == 1883 || f->server_port == 1884)) {
		uint32_t take = n < MQTT_HEAD - d->nhead ? (uint32_t)n : MQTT_HEAD - d->nhead;
		if (d->head == NULL)
			d->head = xmalloc(MQTT_HEAD);
		memcpy(d->head + d->nhead, b, take);
		d->nhead += take;
		int rc = ext_mqtt_connect(cdir, d->head, d->nhead, 0, &e);
		if (rc != 0 || d->nhead == MQTT_HEAD) {
			d->mqtt = 1;
			free(d->head);
			d->head = NULL;
		}
	}
	if (datagram && (f->server_port == 161 || f->server_port == 162))
		ext_snmp(cdir, b, n, d->off, &e);
	if (!f->light)
		probe(d, s->app, b, n);
	if (datagram || s->app == NULL || s->app->proto != AP_HTTP) {
		scan_piece(s, f, dir, b, n, datagram, datagram);
		d->off += n;
		return;
	}
	if (d->http == NULL) {
		d->http = xmalloc(sizeof *d->http);
		http_track_init(d->http);
	}
	while (n > 0) {
		int skip;
		size_t run = http_track_next(d->http, b, n, &skip);
		if (skip) {
			/* A media body: what was waiting is reported, nothing spans it. */
			scan_piece(s, f, dir, NULL, 0, 1, 0);
			s->st.skipped_media += run;
			d->off += run;
			d->done = d->off;
			d->ncarry = 0;
		} else {
			scan_piece(s, f, dir, b, run, 0, 0);
			d->off += run;
		}
		b += run;
		n -= run;
	}
}

/* Sequence arithmetic modulo 2^32. */
static int
seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* Gives up the bytes up to seq: they were never captured. */
static void
skip_to(struct scanner *s, struct sflow *f, int dir, uint32_t seq)
{
	struct sdir *d = &f->d[dir];
	uint32_t gap = seq - d->next_seq;
	s->st.gaps += gap;
	/* Nothing may match across missing bytes: report what waits, forget the tail. */
	scan_piece(s, f, dir, NULL, 0, 1, 0);
	d->ncarry = 0;
	d->off += gap;
	d->done = d->off;
	d->next_seq = seq;
	if (f->lines != NULL)
		f->lines->d[dir ^ f->swap].len = 0;
}

/* Skips the gap before the earliest held segment. */
static void
skip_gap(struct scanner *s, struct sflow *f, int dir)
{
	struct sdir *d = &f->d[dir];
	int k = 0;

	for (int i = 1; i < d->nheld; i++)
		if (seq_lt(d->held[i].seq, d->held[k].seq))
			k = i;
	skip_to(s, f, dir, d->held[k].seq);
}

/* Delivers held segments that have become in order. */
static void
drain(struct scanner *s, struct sflow *f, int dir)
{
	struct sdir *d = &f->d[dir];
	int again = 1;

	while (again) {
		again = 0;
		for (int i = 0; i < d->nheld; i++) {
			struct held *h = &d->held[i];
			if (seq_lt(d->next_seq, h->seq))
				continue;
			uint32_t skip = d->next_seq - h->seq;
			if (skip < h->len) {
				add_mark(d, h->num, h->ts_ns, h->ord);
				deliver(s, f, dir, h->data + skip, h->len - skip, 0);
				d->next_seq += h->len - skip;
			}
			s->st.dropped += skip < h->len ? skip : h->len;
			d->held_bytes -= h->len;
			free(h->data);
			d->held[i] = d->held[--d->nheld];
			again = 1;
			break;
		}
	}
}

static void
finish_dir(struct scanner *s, struct sflow *f, int dir)
{
	struct sdir *d = &f->d[dir];
	struct ext_emit e = emitter(s);

	s->cur = f;
	while (d->nheld > 0) {
		skip_gap(s, f, dir);
		drain(s, f, dir);
	}
	scan_piece(s, f, dir, NULL, 0, 1, 0);
	if (f->lines != NULL)
		ext_lines_flush(f->lines, dir ^ f->swap, &e);
	d->closed = 1;
	dir_free(d);
	d->ncarry = 0;
}

static struct sflow **
slot(struct scanner *s, uint32_t flow)
{
	if (flow >= s->nflows) {
		size_t n = s->nflows ? s->nflows : 1024;
		while (n <= flow)
			n *= 2;
		s->flows = xreallocarray(s->flows, n, sizeof *s->flows);
		memset(s->flows + s->nflows, 0, (n - s->nflows) * sizeof *s->flows);
		s->dg = xreallocarray(s->dg, n, sizeof *s->dg);
		memset(s->dg + s->nflows, 0, (n - s->nflows) * sizeof *s->dg);
		s->nflows = n;
	}
	return &s->flows[flow];
}

/* Ports the extractors read: a flow seen without its start may have them on side 0. */
static int
known_service(uint16_t port)
{
	static const uint16_t ports[] = { 21, 23, 25, 110, 143, 161, 162, 587, 1883, 1884, 2323,
	    2525, 6379 };

	for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

static int
encrypted(const struct flow_app *app)
{
	return app != NULL && (app->over_tls || detect_encrypted((enum app_proto)app->proto));
}

static void
tcp_segment(struct scanner *s, struct sflow *f, const struct scan_pkt *p)
{
	struct sdir *d = &f->d[p->dir];
	const uint8_t *b = p->payload.p;
	uint32_t n = (uint32_t)p->payload.n;

	if (!d->started) {
		d->started = 1;
		d->next_seq = p->seq;
	}
	if (seq_lt(p->seq, d->next_seq)) {		/* retransmitted, maybe with new bytes */
		uint32_t old = d->next_seq - p->seq;
		if (old >= n) {
			s->st.dropped += n;
			return;
		}
		s->st.dropped += old;
		b += old;
		n -= old;
	} else if (p->seq != d->next_seq) {		/* early: hold it until the gap fills */
		if (d->nheld == SCAN_HOLD || d->held_bytes + n > SCAN_HOLD_BYTES) {
			if (d->nheld == 0)
				skip_to(s, f, p->dir, p->seq);	/* too big to hold at all */
			else {
				skip_gap(s, f, p->dir);
				drain(s, f, p->dir);
			}
			if (p->seq != d->next_seq) {
				tcp_segment(s, f, p);	/* placed again against the new edge */
				return;
			}
		} else {
			if (d->held == NULL)
				d->held = xcalloc(SCAN_HOLD, sizeof *d->held);
			struct held *h = &d->held[d->nheld++];
			h->seq = p->seq;
			h->len = n;
			h->data = xmalloc(n);
			memcpy(h->data, b, n);
			h->num = p->num;
			h->ts_ns = p->ts_ns;
			h->ord = f->ord;
			d->held_bytes += n;
			return;
		}
	}
	add_mark(d, p->num, p->ts_ns, f->ord);
	deliver(s, f, p->dir, b, n, 0);
	d->next_seq += n;
	if (d->nheld > 0)
		drain(s, f, p->dir);
}

/* The server's port, and whether the initiator is the server, as a flow's state keeps them. */
static void
sides(const struct scan_pkt *p, struct sflow *f)
{
	f->server_port = p->server_port;
	if (!known_service(p->server_port) && known_service(p->client_port)) {
		f->swap = 1;
		f->server_port = p->client_port;
	}
}

/*
 * Scans a datagram of a flow that has no state yet with state on the stack, while neither
 * way has passed DGRAM_LIGHT bytes and no line extractor wants the flow: its findings are
 * those the flow's own state would give (a datagram is scanned whole, nothing carried).  0
 * when the flow needs its state: created with what was kept here.
 */
static int
light(struct scanner *s, const struct scan_pkt *p)
{
	struct dgram *g = &s->dg[p->flow];
	size_t n = p->payload.n;
	struct sflow t;
	struct mark m[2];

	if (g->off[p->dir] + n > DGRAM_LIGHT)
		return 0;
	memset(&t, 0, sizeof t);
	sides(p, &t);
	if (!g->on && (p->app == NULL || ext_proto_for(p->app->proto, t.server_port) != EXT_NONE))
		return 0;
	t.flow = p->flow;
	t.ord = g->ord;
	t.lines_checked = 1;
	t.light = 1;
	for (int d = 0; d < 2; d++) {
		t.d[d].off = t.d[d].done = g->off[d];
		t.d[d].mark = &m[d];
		t.d[d].mark_cap = 1;
	}
	add_mark(&t.d[p->dir], p->num, p->ts_ns, t.ord);
	deliver(s, &t, p->dir, p->payload.p, n, 1);
	g->off[p->dir] = (uint32_t)t.d[p->dir].off;
	g->ord = t.ord + 1;
	g->on = 1;
	for (int d = 0; d < 2; d++) {
		t.d[d].mark = NULL;
		dir_free(&t.d[d]);	/* nothing, unless a datagram ever leaves something */
	}
	s->cur = NULL;			/* t is gone */
	return 1;
}

void
scanner_packet(struct scanner *s, const struct scan_pkt *p)
{
	s->app = p->app;
	struct sflow **sp = slot(s, p->flow);
	struct sflow *f = *sp;
	size_t n = p->payload.n;

	if (f == SKIPPED) {
		s->st.skipped += n;		/* every byte of an encrypted flow, not just its first */
		return;
	}
	if (f == FINISHED)
		return;
	if (n > 0 && encrypted(p->app)) {
		s->st.skipped += n;
		flow_drop(s, f);
		*sp = SKIPPED;
		return;
	}
	if (f == NULL) {
		if (n == 0 || (!p->tcp && light(s, p)))
			return;
		f = *sp = xcalloc(1, sizeof *f);
		f->flow = p->flow;
		sides(p, f);
		struct dgram *g = &s->dg[p->flow];
		if (g->on) {
			/* Scanned without state so far: it goes on from there. */
			for (int d = 0; d < 2; d++)
				f->d[d].off = f->d[d].done = g->off[d];
			f->ord = g->ord;
			f->lines_checked = 1;
			memset(g, 0, sizeof *g);
		}
	}
	if (n > 0) {
		if (!f->lines_checked && p->app != NULL) {
			/* Decided at the first payload, when detection has looked at it. */
			enum ext_proto ep = ext_proto_for(p->app->proto, f->server_port);
			f->lines_checked = 1;
			if (ep != EXT_NONE) {
				f->lines = xmalloc(sizeof *f->lines);
				ext_lines_init(f->lines, ep);
			}
		}
		if (p->tcp)
			tcp_segment(s, f, p);
		else {
			add_mark(&f->d[p->dir], p->num, p->ts_ns, f->ord);
			deliver(s, f, p->dir, p->payload.p, n, 1);
		}
		f->ord++;
	}
	if (p->tcp && (p->tcp_flags & 0x04)) {		/* RST: nothing more either way */
		finish_dir(s, f, 0);
		finish_dir(s, f, 1);
	} else if (p->tcp && (p->tcp_flags & 0x01) && f->d[p->dir].nheld == 0)
		finish_dir(s, f, p->dir);		/* FIN: this direction is complete */
	if (f->d[0].closed && f->d[1].closed) {
		flow_drop(s, f);
		*sp = FINISHED;
	} else
		account(s, f);
}

void
scanner_finish(struct scanner *s)
{
	for (size_t i = 0; i < s->nflows; i++) {
		struct sflow *f = s->flows[i];
		if (f == NULL || f == SKIPPED || f == FINISHED)
			continue;
		for (int dir = 0; dir < 2; dir++)
			if (!f->d[dir].closed)
				finish_dir(s, f, dir);
		flow_drop(s, f);
		s->flows[i] = FINISHED;
	}
}

void
scanner_fold(struct scanner *s, uint32_t flow, const struct flow_app *app)
{
	if (flow >= s->nflows)
		return;
	struct sflow *f = s->flows[flow];
	if (f != NULL && f != SKIPPED && f != FINISHED) {
		/* What it held is read as at the end of the input: the flow ends here. */
		s->app = app;
		for (int dir = 0; dir < 2; dir++)
			if (!f->d[dir].closed)
				finish_dir(s, f, dir);
		flow_drop(s, f);
	}
	s->flows[flow] = NULL;		/* the id is free for a new flow */
	memset(&s->dg[flow], 0, sizeof s->dg[flow]);
}

size_t
scanner_bytes(const struct scanner *s)
{
	return s->mem + s->nflows * (sizeof *s->flows + sizeof *s->dg) + s->workcap;
}
