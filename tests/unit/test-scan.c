/*
 * test-scan.c — the findings scanner (scan.h) fed synthetic packets: an Authorization header
 * split at every byte, one byte a segment, across the sequence wrap; segments out of order,
 * retransmitted whole and in part; gaps that never fill; a match that ends where a segment
 * ends; FIN and RST; UDP datagrams each on their own; encrypted flows; the extractors behind
 * it (and a flow whose start was not seen); the statistics it keeps; millions of one-byte
 * segments out of order in bounded memory; an 8 MB header line; a flow folded early
 * (scanner_fold).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "findings.h"
#include "patterns.h"
#include "scan.h"
#include "strpool.h"
#include "warn.h"

#define TH_FIN	0x01
#define TH_RST	0x04

static const char basic_expr[] =
    "(?i)authorization:[ \\t]*basic[ \\t]+(?<value>[A-Za-z0-9+/=]{4,})";

/* "admin:secret" */
static const char req[] =
    "GET /snapshot.jpg HTTP/1.1\r\nHost: 192.168.1.20\r\n"
    "Authorization: Basic YWRtaW46c2VjcmV0\r\nUser-Agent: cam/1.0\r\n\r\n";
#define REQ_LEN		(sizeof req - 1)
#define VALUE		"YWRtaW46c2VjcmV0"

struct fx {
	struct strpool	*pool;
	struct findings	*fs;
	struct warnlist	 warn;
	struct patset	*ps;
	struct scanner	*s;
	uint64_t	 num;		/* packet number */
};

static void
fx_open(struct fx *fx, const char *expr, enum find_decode dec)
{
	char err[256];

	memset(fx, 0, sizeof *fx);
	fx->pool = strpool_new();
	fx->fs = findings_new(fx->pool);
	warn_init(&fx->warn);
	fx->ps = patset_new();
	if (expr != NULL && patset_add(fx->ps, "http-basic", CAT_CREDENTIAL, SEV_HIGH, dec, expr,
	    "test:1", err, sizeof err) < 0)
		fail_msg("%s", err);
	fx->s = scanner_new(fx->ps, fx->fs, &fx->warn);
}

static void
fx_close(struct fx *fx)
{
	scanner_free(fx->s);
	patset_free(fx->ps);
	findings_free(fx->fs);
	strpool_free(fx->pool);
	warn_fini(&fx->warn);
}

static int
setup(void **state)
{
	static struct fx fx;

	fx_open(&fx, basic_expr, DEC_BASIC);
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

/* One TCP segment of flow 1 (client port 40000, server 80) or a UDP datagram. */
static void
seg(struct fx *fx, uint32_t flow, int dir, uint32_t seq, const void *p, size_t n,
    uint8_t flags)
{
	struct scan_pkt k = {
		.flow = flow, .dir = (uint8_t)dir, .tcp = 1, .tcp_flags = flags,
		.server_port = 80, .client_port = 40000, .seq = seq,
		.payload = { (const uint8_t *)p, n }, .num = ++fx->num,
		.ts_ns = (int64_t)fx->num * 1000,
	};
	scanner_packet(fx->s, &k);
}

static void
dgram(struct fx *fx, uint32_t flow, int dir, const void *p, size_t n)
{
	struct scan_pkt k = {
		.flow = flow, .dir = (uint8_t)dir, .tcp = 0, .server_port = 8080,
		.client_port = 40000, .payload = { (const uint8_t *)p, n }, .num = ++fx->num,
	};
	scanner_packet(fx->s, &k);
}

static size_t
value_off(void)
{
	return (size_t)(strstr(req, VALUE) - req);
}

/* The one finding of the header in req: where and what, and its context around it. */
static void
assert_basic(const struct fx *fx, size_t i, uint32_t flow, uint64_t off, uint64_t pkt)
{
	const struct finding *f = findings_get(fx->fs, i);
	size_t v = value_off();

	assert_string_equal(f->type, "http-basic");
	assert_string_equal(f->value, "secret");
	assert_string_equal(f->user, "admin");
	assert_string_equal(f->raw, VALUE);
	assert_int_equal(f->raw_len, strlen(VALUE));
	assert_string_equal(f->source, "test:1");
	assert_int_equal(f->flow, flow);
	assert_int_equal(f->dir, 0);
	assert_int_equal(f->off, off);
	assert_int_equal(f->count, 1);
	if (pkt != 0)
		assert_int_equal(f->pkt_num, pkt);
	/* Context: bytes just before and after the value, as they are in the request. */
	size_t bl = strlen(f->before), al = strlen(f->after);
	assert_true(bl > 0 && bl <= FIND_CONTEXT && bl <= v);
	assert_memory_equal(f->before, req + v - bl, bl);
	assert_true(al > 0 && al <= FIND_CONTEXT);
	assert_memory_equal(f->after, req + v + strlen(VALUE), al);
}

static void
test_whole(void **state)
{
	struct fx *fx = *state;

	seg(fx, 1, 0, 1000, req, REQ_LEN, 0);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_basic(fx, 0, 1, value_off(), 1);
	const struct finding *f = findings_get(fx->fs, 0);
	assert_string_equal(f->before, "ost: 192.168.1.20\r\nAuthorization: Basic ");
	assert_string_equal(f->after, "\r\nUser-Agent: cam/1.0\r\n\r\n");
	assert_int_equal(f->pkt_ord, 0);
	assert_true(f->ts_ns == 1000);
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_int_equal(findings_get(fx->fs, 0)->count, 1);
	const struct scan_stats *st = scanner_stats(fx->s);
	assert_int_equal(st->scanned, REQ_LEN);
	assert_int_equal(st->dropped, 0);
	assert_int_equal(st->gaps, 0);
	assert_int_equal(st->skipped, 0);
	assert_int_equal(st->limits, 0);
}

/* Split in two at every byte: found once, at its offset, in the packet its value starts in. */
static void
test_split_everywhere(void **state)
{
	(void)state;
	size_t v = value_off();

	for (size_t k = 1; k < REQ_LEN; k++) {
		for (int fin = 0; fin < 2; fin++) {
			struct fx fx;
			fx_open(&fx, basic_expr, DEC_BASIC);
			seg(&fx, 7, 0, 5000, req, k, 0);
			seg(&fx, 7, 0, 5000 + (uint32_t)k, req + k, REQ_LEN - k,
			    fin ? TH_FIN : 0);
			if (!fin)
				scanner_finish(fx.s);
			if (findings_count(fx.fs) != 1)
				fail_msg("split at %zu (fin %d): %zu findings", k, fin,
				    findings_count(fx.fs));
			assert_basic(&fx, 0, 7, v, k <= v ? 2 : 1);
			assert_int_equal(findings_get(fx.fs, 0)->pkt_ord, k <= v ? 1 : 0);
			assert_int_equal(scanner_stats(fx.s)->scanned, REQ_LEN);
			fx_close(&fx);
		}
	}
}

/* One byte a segment: every boundary at once, the carried tail growing and shrinking. */
static void
test_one_byte_segments(void **state)
{
	struct fx *fx = *state;
	size_t v = value_off();

	for (size_t i = 0; i < REQ_LEN; i++)
		seg(fx, 2, 0, 77 + (uint32_t)i, req + i, 1, 0);
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_basic(fx, 0, 2, v, 0);
	/*
	 * Packet v + 1 holds the value's first byte, but the scanner remembers only its last
	 * few packets: the match, complete 17 packets later, names the oldest it remembers.
	 */
	uint64_t pkt = findings_get(fx->fs, 0)->pkt_num;
	assert_true(pkt >= v + 1 && pkt <= v + 1 + strlen(VALUE) + 1);
	assert_int_equal(scanner_stats(fx->s)->scanned, REQ_LEN);
}

/* The header across the wrap of sequence numbers. */
static void
test_seq_wrap(void **state)
{
	struct fx *fx = *state;
	size_t v = value_off();

	for (size_t k = v - 20; k < v + 20; k += 3) {
		uint32_t isn = (uint32_t)(0u - (uint32_t)k);	/* byte k has sequence 0 */
		seg(fx, (uint32_t)(100 + k), 0, isn, req, k, 0);
		seg(fx, (uint32_t)(100 + k), 0, 0, req + k, REQ_LEN - k, TH_FIN);
	}
	size_t n = 0;
	for (size_t k = v - 20; k < v + 20; k += 3, n++) {
		assert_true(n < findings_count(fx->fs));
		assert_basic(fx, n, (uint32_t)(100 + k), v, 0);
	}
	assert_int_equal(findings_count(fx->fs), n);
	assert_int_equal(scanner_stats(fx->s)->dropped, 0);
}

/* Three segments, the second after the third, then retransmitted whole and overlapping. */
static void
test_out_of_order(void **state)
{
	struct fx *fx = *state;
	size_t v = value_off(), a = v - 10, b = v + 6;		/* B holds the value's start */

	seg(fx, 3, 0, 0, req, a, 0);
	seg(fx, 3, 0, (uint32_t)b, req + b, REQ_LEN - b, 0);		/* C: early, held */
	assert_int_equal(findings_count(fx->fs), 0);
	assert_int_equal(scanner_stats(fx->s)->scanned, a);
	seg(fx, 3, 0, (uint32_t)a, req + a, b - a, 0);			/* B: fills the gap */
	assert_int_equal(findings_count(fx->fs), 1);
	assert_int_equal(scanner_stats(fx->s)->scanned, REQ_LEN);
	seg(fx, 3, 0, (uint32_t)a, req + a, b - a, 0);			/* B again */
	assert_int_equal(scanner_stats(fx->s)->dropped, b - a);
	seg(fx, 3, 0, 0, req, b + 4, 0);				/* A, B and a bit of C */
	assert_int_equal(scanner_stats(fx->s)->dropped, b - a + b + 4);
	/* Overlapping the end with new bytes: only the new ones are scanned. */
	static const char more[] = "Authorization: Basic dXNlcjpwYXNz\r\n";
	char tail[100];
	memcpy(tail, req + REQ_LEN - 10, 10);
	memcpy(tail + 10, more, sizeof more - 1);
	seg(fx, 3, 0, (uint32_t)(REQ_LEN - 10), tail, 10 + sizeof more - 1, 0);
	scanner_finish(fx->s);
	const struct scan_stats *st = scanner_stats(fx->s);
	assert_int_equal(st->dropped, b - a + b + 4 + 10);
	assert_int_equal(st->scanned, REQ_LEN + sizeof more - 1);
	assert_int_equal(st->gaps, 0);
	assert_int_equal(findings_count(fx->fs), 2);
	assert_basic(fx, 0, 3, v, 3);		/* the value starts in B, the third packet */
	const struct finding *f = findings_get(fx->fs, 1);
	assert_string_equal(f->value, "pass");
	assert_string_equal(f->user, "user");
	assert_int_equal(f->off, REQ_LEN + 21);
	assert_int_equal(f->pkt_num, 6);
}

/* A missing segment before more than SCAN_HOLD early ones: skipped, what follows scanned. */
static void
test_gap_never_filled(void **state)
{
	struct fx *fx = *state;
	char filler[10];
	uint32_t seq = 0;

	seg(fx, 4, 0, seq, "hello\r\n", 7, 0);
	seq += 7 + 100;						/* 100 bytes never seen */
	memset(filler, '.', sizeof filler);
	for (int i = 0; i <= SCAN_HOLD; i++) {			/* the last one is one too many */
		seg(fx, 4, 0, seq, filler, sizeof filler, 0);
		seq += sizeof filler;
	}
	const struct scan_stats *st = scanner_stats(fx->s);
	assert_int_equal(st->gaps, 100);
	assert_int_equal(st->scanned, 7 + (SCAN_HOLD + 1) * sizeof filler);
	seg(fx, 4, 0, seq, req, REQ_LEN, 0);
	assert_int_equal(findings_count(fx->fs), 1);
	/* Stream offsets count the missing bytes. */
	assert_basic(fx, 0, 4, seq + value_off(), fx->num);
	/* The gap's bytes arriving late: old by now, dropped. */
	char late[100];
	memset(late, 'L', sizeof late);
	seg(fx, 4, 0, 7, late, sizeof late, 0);
	assert_int_equal(st->dropped, 100);
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_int_equal(st->gaps, 100);
}

/* Early segments still held at the end: the gap is skipped then and they are read. */
static void
test_gap_at_finish(void **state)
{
	struct fx *fx = *state;

	seg(fx, 5, 0, 0, "x", 1, 0);
	seg(fx, 5, 0, 51, req, 30, 0);				/* 50 bytes missing */
	seg(fx, 5, 0, 81, req + 30, REQ_LEN - 30, TH_FIN);	/* FIN while held: waits */
	assert_int_equal(findings_count(fx->fs), 0);
	assert_int_equal(scanner_stats(fx->s)->gaps, 0);
	scanner_finish(fx->s);
	assert_int_equal(scanner_stats(fx->s)->gaps, 50);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_basic(fx, 0, 5, 51 + value_off(), 3);
}

/* Held segments over SCAN_HOLD_BYTES: the gap is given up, as with too many segments. */
static void
test_hold_bytes(void **state)
{
	struct fx *fx = *state;
	size_t big = SCAN_HOLD_BYTES / 2 + 1;
	uint8_t *b = calloc(big, 1);

	assert_non_null(b);
	memset(b, ' ', big);
	seg(fx, 6, 0, 0, "x", 1, 0);
	seg(fx, 6, 0, 11, b, big, 0);					/* held */
	seg(fx, 6, 0, (uint32_t)(11 + big), b, big, 0);			/* too much: gap */
	const struct scan_stats *st = scanner_stats(fx->s);
	assert_int_equal(st->gaps, 10);
	assert_int_equal(st->scanned, 1 + 2 * big);
	seg(fx, 6, 0, (uint32_t)(11 + 2 * big), req, REQ_LEN, TH_FIN);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_basic(fx, 0, 6, 11 + 2 * big + value_off(), 4);
	free(b);
}

/*
 * Was a bug (src/scan.c, tcp_segment/skip_gap): an early segment larger than SCAN_HOLD_BYTES when
 * nothing is held makes tcp_segment call skip_gap with nheld == 0; skip_gap then reads
 * held[0], which holds no segment (zeroes, or a freed one's stale fields), moves next_seq
 * there, and tcp_segment places the segment again: it is still early and still too big, so
 * it recurses without end (a hang at -O2, a stack overflow without optimisation).
 * Input: flow 1, seq 1000 "hello" then seq 2000 with 70000 bytes.  Expected: the gap of
 * 995 bytes skipped (gaps 995), the 70000 bytes scanned.  Was: never returns.  Payloads
 * that large come from TSO/GRO captures (IPv4 total length 0) and IPv6 jumbograms.
 */
static void
test_bug_big_early_segment(void **state)
{
	struct fx *fx = *state;
	static uint8_t big[SCAN_HOLD_BYTES + 4464];

	memset(big, 'x', sizeof big);
	seg(fx, 9, 0, 1000, "hello", 5, 0);
	seg(fx, 9, 0, 2000, big, sizeof big, 0);
	assert_int_equal(scanner_stats(fx->s)->gaps, 995);
	assert_int_equal(scanner_stats(fx->s)->scanned, 5 + sizeof big);
}

/*
 * Two million one-byte segments, each run of 16 sent backwards (every segment but one early):
 * what the scanner holds stays within a flow's fixed buffers, every byte is accounted for
 * (scanned, skipped as a gap, or dropped as already past), and a header after the flood is
 * still found.
 */
static void
test_tiny_out_of_order(void **state)
{
	struct fx *fx = *state;
	enum { N = 2000000, RUN = 16 };
	size_t before, warm = 0, most = 0;

	seg(fx, 20, 0, 0, "w", 1, TH_RST);	/* the tables and the work buffer, first */
	before = scanner_bytes(fx->s);
	for (uint32_t i = 0; i < N; i += RUN) {
		for (int k = RUN - 1; k >= 0; k--)
			seg(fx, 21, 0, i + (uint32_t)k, "abcdefghijklmnop" + k, 1, 0);
		size_t now = scanner_bytes(fx->s);
		if (now > most)
			most = now;
		if (i == N / 10)
			warm = most;
	}
	/* Nothing grew after the first tenth, and what grew is a flow's fixed buffers. */
	assert_int_equal(most, warm);
	assert_true(most - before < 2 * SCAN_CARRY + 4096);
	const struct scan_stats *st = scanner_stats(fx->s);
	seg(fx, 21, 0, N, req, REQ_LEN, 0);
	scanner_finish(fx->s);
	/*
	 * Each byte once: in order, or given up behind a gap (then arriving late: dropped);
	 * the direction starts at the first segment seen, the first run's last byte.
	 */
	assert_int_equal(st->scanned + st->gaps, 1 + (uint64_t)N - (RUN - 1) + REQ_LEN);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_int_equal(scanner_bytes(fx->s), before);
}

/*
 * A header line of 8 MB without a line end, in MSS-sized segments, then the credentials: what
 * is carried from piece to piece stays within SCAN_CARRY, and the header after it is found.
 */
static void
test_long_header(void **state)
{
	struct fx *fx = *state;
	enum { MSS = 1460, LONG = 8 << 20 };
	static const char start[] = "GET / HTTP/1.1\r\nX-Long: ";
	uint8_t b[MSS];
	uint32_t seq = 0;
	size_t before, most = 0;

	seg(fx, 20, 0, 0, "w", 1, TH_RST);	/* the tables and the work buffer, first */
	before = scanner_bytes(fx->s);
	seg(fx, 23, 0, seq, start, sizeof start - 1, 0);
	seq += sizeof start - 1;
	memset(b, 'a', sizeof b);
	for (size_t n = 0; n < LONG; n += MSS, seq += MSS) {
		seg(fx, 23, 0, seq, b, MSS, 0);
		if (scanner_bytes(fx->s) > most)
			most = scanner_bytes(fx->s);
	}
	assert_true(most - before <= 2 * SCAN_CARRY + 4096);
	const char *host = strstr(req, "Host:");
	size_t rest = REQ_LEN - (size_t)(host - req);
	seg(fx, 23, 0, seq, "\r\n", 2, 0);
	seg(fx, 23, 0, seq + 2, host, rest, TH_FIN);		/* the request from "Host:" on */
	assert_int_equal(findings_count(fx->fs), 1);
	assert_string_equal(findings_get(fx->fs, 0)->value, "secret");
	const struct scan_stats *st = scanner_stats(fx->s);
	/* Each byte looked at once, and the carry again with the next piece: linear. */
	assert_true(st->rescanned <= st->scanned / MSS * (SCAN_CARRY + 1) + SCAN_CARRY);
}

/*
 * A flow folded under a memory limit while segments wait behind a gap: they are read then,
 * as at the end of the input, its state is freed, and a new flow may take the id.
 */
static void
test_fold(void **state)
{
	struct fx *fx = *state;
	size_t before;

	seg(fx, 20, 0, 0, "w", 1, TH_RST);	/* the tables and the work buffer, first */
	before = scanner_bytes(fx->s);
	seg(fx, 22, 0, 0, "x", 1, 0);
	seg(fx, 22, 0, 51, req, REQ_LEN, 0);			/* 50 bytes missing: held */
	assert_int_equal(findings_count(fx->fs), 0);
	assert_true(scanner_bytes(fx->s) > before + REQ_LEN);
	scanner_fold(fx->s, 22, NULL);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_basic(fx, 0, 22, 51 + value_off(), 3);
	assert_int_equal(scanner_bytes(fx->s), before);
	/* The analysis then moves the flow's findings off the id (findings_fold) ... */
	struct find_ends e = { .pa = 40000, .pb = 80, .proto = 6, .ipver = 4 };
	findings_fold(fx->fs, 22, &e);
	assert_int_equal(findings_get(fx->fs, 0)->flow, FIND_FOLDED | 0);
	/* ... and the id again is a new stream, from its own first sequence number. */
	seg(fx, 22, 0, 90000, req, REQ_LEN, 0);
	assert_int_equal(findings_count(fx->fs), 2);
	assert_int_equal(findings_get(fx->fs, 1)->flow, 22);
	assert_int_equal(findings_get(fx->fs, 1)->off, value_off());
	/* Many flows each holding segments, folded: nothing left behind. */
	for (uint32_t f = 100; f < 5100; f++) {
		seg(fx, f, 0, 0, "y", 1, 0);
		seg(fx, f, 0, 10, "zz", 2, 0);
	}
	size_t table = scanner_bytes(fx->s) - 5000 * (sizeof(void *) + 2 + SCAN_HOLD * 32);
	for (uint32_t f = 100; f < 5100; f++)
		scanner_fold(fx->s, f, NULL);
	assert_true(scanner_bytes(fx->s) <= table);
	scanner_fold(fx->s, 22, NULL);
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 2);
}

/* A match that ends where the bytes end may still grow: it waits for more or the end. */
static void
test_match_at_segment_end(void **state)
{
	struct fx *fx = *state;
	static const char h[] = "Authorization: Basic " VALUE;

	/* No more bytes and no end of flow: reported by scanner_finish. */
	seg(fx, 10, 0, 0, h, sizeof h - 1, 0);
	assert_int_equal(findings_count(fx->fs), 0);
	/* With FIN the direction is complete: reported at once. */
	seg(fx, 11, 0, 0, h, sizeof h - 1, TH_FIN);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_int_equal(findings_get(fx->fs, 0)->flow, 11);
	/*
	 * It grows: the value is the longer one ("admin:secretA"), found once; ending close to
	 * the end of what came, it waits for more bytes or the end.
	 */
	seg(fx, 12, 0, 0, h, sizeof h - 1, 0);
	seg(fx, 12, 0, sizeof h - 1, "QQ==\r\n", 6, 0);
	assert_int_equal(findings_count(fx->fs), 1);
	/* A FIN without payload completes it too. */
	seg(fx, 13, 0, 0, h, sizeof h - 1, 0);
	seg(fx, 13, 0, sizeof h - 1, NULL, 0, TH_FIN);
	assert_int_equal(findings_count(fx->fs), 2);
	assert_int_equal(findings_get(fx->fs, 1)->flow, 13);
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 4);
	const struct finding *f = findings_get(fx->fs, 2);
	assert_int_equal(f->flow, 10);
	assert_string_equal(f->value, "secret");
	assert_int_equal(f->off, 21);
	f = findings_get(fx->fs, 3);
	assert_int_equal(f->flow, 12);
	assert_string_equal(f->value, "secretA");
	assert_string_equal(f->raw, VALUE "QQ==");
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(findings_get(fx->fs, i)->count, 1);
}

static void
test_fin_rst(void **state)
{
	struct fx *fx = *state;

	/* FIN of the client: its direction is done; the server's is still scanned. */
	seg(fx, 20, 0, 0, "GET / HTTP/1.1\r\n\r\n", 18, TH_FIN);
	seg(fx, 20, 1, 900, req, REQ_LEN, 0);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_int_equal(findings_get(fx->fs, 0)->dir, 1);
	assert_int_equal(findings_get(fx->fs, 0)->off, value_off());
	/* RST: both directions end; what the flow sends after it is not looked at. */
	seg(fx, 21, 0, 0, "hello\r\n", 7, 0);
	seg(fx, 21, 1, 0, NULL, 0, TH_RST);
	uint64_t scanned = scanner_stats(fx->s)->scanned;
	seg(fx, 21, 0, 7, req, REQ_LEN, 0);
	seg(fx, 21, 1, 0, req, REQ_LEN, 0);
	assert_int_equal(findings_count(fx->fs), 1);
	assert_int_equal(scanner_stats(fx->s)->scanned, scanned);
	/* RST with a match waiting at the end: it is reported then. */
	seg(fx, 22, 0, 0, "Authorization: Basic " VALUE, 21 + 16, 0);
	assert_int_equal(findings_count(fx->fs), 1);
	seg(fx, 22, 0, 37, NULL, 0, TH_RST);
	assert_int_equal(findings_count(fx->fs), 2);
	assert_int_equal(findings_get(fx->fs, 1)->flow, 22);
	/* FIN or RST of a flow with no payload yet: nothing to do. */
	seg(fx, 23, 0, 0, NULL, 0, TH_FIN);
	seg(fx, 24, 0, 0, NULL, 0, TH_RST);
	/* Both FINs: the flow is done, later segments ignored. */
	seg(fx, 25, 0, 0, "a", 1, TH_FIN);
	seg(fx, 25, 1, 0, "b", 1, TH_FIN);
	scanned = scanner_stats(fx->s)->scanned;
	seg(fx, 25, 0, 1, req, REQ_LEN, 0);
	assert_int_equal(scanner_stats(fx->s)->scanned, scanned);
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 2);
}

/*
 * Bytes after a FIN in a flow of no known protocol: the probe of the closed direction was
 * freed with its count and capacity kept, and the next bytes were copied through NULL.
 */
static void
test_bug_bytes_after_fin(void **state)
{
	struct fx *fx = *state;
	struct flow_app app;
	const char *pieces[] = { "hello", NULL, "ab" };
	uint32_t seq = 0;

	detect_init(&app);
	for (size_t i = 0; i < 3; i++) {
		size_t n = pieces[i] != NULL ? strlen(pieces[i]) : 0;
		struct scan_pkt k = {
			.flow = 30, .tcp = 1, .tcp_flags = pieces[i] == NULL ? TH_FIN : 0,
			.server_port = 40001, .client_port = 40000, .seq = seq,
			.payload = { (const uint8_t *)pieces[i], n }, .num = ++fx->num,
			.app = &app,
		};
		scanner_packet(fx->s, &k);
		seq += (uint32_t)n;
	}
	scanner_finish(fx->s);
	assert_int_equal(scanner_stats(fx->s)->scanned, 7);
	detect_fini(&app);
}

/* UDP: every datagram on its own; offsets run on across a direction's datagrams. */
static void
test_udp(void **state)
{
	struct fx *fx = *state;
	static const char half1[] = "Authorization: Bas";
	static const char half2[] = "ic " VALUE "\r\n";
	static const char whole[] = "NOTIFY\r\nAuthorization: basic " VALUE "\r\n";

	dgram(fx, 30, 0, half1, sizeof half1 - 1);
	dgram(fx, 30, 0, half2, sizeof half2 - 1);
	assert_int_equal(findings_count(fx->fs), 0);
	dgram(fx, 30, 0, whole, sizeof whole - 1);
	assert_int_equal(findings_count(fx->fs), 1);
	const struct finding *f = findings_get(fx->fs, 0);
	size_t base = sizeof half1 - 1 + sizeof half2 - 1;
	assert_int_equal(f->off, base + 29);
	assert_int_equal(f->pkt_num, 3);
	assert_int_equal(f->pkt_ord, 2);
	assert_string_equal(f->value, "secret");
	/* A datagram that ends with the value: nothing more can come, reported at once. */
	dgram(fx, 30, 1, "Authorization: Basic " VALUE, 37);
	assert_int_equal(findings_count(fx->fs), 2);
	assert_int_equal(findings_get(fx->fs, 1)->dir, 1);
	assert_int_equal(findings_get(fx->fs, 1)->off, 21);
	/* The same again: the same finding seen twice. */
	dgram(fx, 30, 0, whole, sizeof whole - 1);
	assert_int_equal(findings_count(fx->fs), 2);
	assert_int_equal(findings_get(fx->fs, 0)->count, 2);
	assert_int_equal(findings_get(fx->fs, 0)->last_off, base + sizeof whole - 1 + 29);
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 2);
	assert_int_equal(scanner_stats(fx->s)->scanned,
	    base + 2 * (sizeof whole - 1) + 37);
}

/*
 * A datagram flow's first DGRAM_LIGHT bytes each way are scanned without state of its own:
 * findings, offsets, packet numbers and ordinals as with state, also across the point where
 * the flow gets its state; a thousand small flows cost the scanner no state.
 */
static void
udp_app(struct fx *fx, uint32_t flow, int dir, const struct flow_app *app, const void *p,
    size_t n)
{
	struct scan_pkt k = {
		.flow = flow, .dir = (uint8_t)dir, .tcp = 0, .server_port = 8080,
		.client_port = 40000, .payload = { (const uint8_t *)p, n }, .num = ++fx->num,
		.app = app,
	};
	scanner_packet(fx->s, &k);
}

static void
test_udp_light(void **state)
{
	struct fx *fx = *state;
	static const char whole[] = "NOTIFY\r\nAuthorization: basic " VALUE "\r\n";
	const size_t wl = sizeof whole - 1;
	char filler[40];
	struct flow_app app;

	memset(&app, 0, sizeof app);
	memset(filler, 'x', sizeof filler);
	/* 20 datagrams of filler each way (800 bytes: past the light limit), then the value. */
	for (int i = 0; i < 20; i++) {
		udp_app(fx, 31, 0, &app, filler, sizeof filler);
		udp_app(fx, 31, 1, &app, filler, sizeof filler);
	}
	udp_app(fx, 31, 0, &app, whole, wl);
	assert_int_equal(findings_count(fx->fs), 1);
	const struct finding *f = findings_get(fx->fs, 0);
	assert_int_equal(f->off, 20 * sizeof filler + 29);
	assert_int_equal(f->pkt_num, 41);
	assert_int_equal(f->pkt_ord, 40);
	assert_string_equal(f->value, "secret");
	/* The same datagram 15 times, from the first: counted, the last where it was. */
	for (int i = 0; i < 15; i++)
		udp_app(fx, 32, 0, &app, whole, wl);
	assert_int_equal(findings_count(fx->fs), 2);
	f = findings_get(fx->fs, 1);
	assert_int_equal(f->flow, 32);
	assert_int_equal(f->off, 29);
	assert_int_equal(f->pkt_num, 42);
	assert_int_equal(f->pkt_ord, 0);
	assert_int_equal(f->count, 15);
	assert_int_equal(f->last_off, 14 * wl + 29);
	/* In the other direction, after the first one's: its own offsets, the flow's ordinal. */
	udp_app(fx, 32, 1, &app, whole, wl);
	assert_int_equal(findings_count(fx->fs), 3);
	assert_int_equal(findings_get(fx->fs, 2)->off, 29);
	assert_int_equal(findings_get(fx->fs, 2)->pkt_ord, 15);
	/* Two thousand small flows: nothing held per flow but the slots. */
	size_t before = scanner_bytes(fx->s);
	for (uint32_t i = 100; i < 2100; i++) {
		udp_app(fx, i, 0, &app, filler, sizeof filler);
		udp_app(fx, i, 1, &app, filler, sizeof filler);
	}
	assert_true(scanner_bytes(fx->s) - before <= 4096 * 24);
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 3);
}

/* A flow known to be encrypted is skipped whole, from the packet that says so on. */
static void
test_encrypted(void **state)
{
	struct fx *fx = *state;
	struct flow_app tls = { .proto = AP_TLS };
	struct scan_pkt k = {
		.flow = 40, .tcp = 1, .server_port = 443, .client_port = 40000, .seq = 0,
		.payload = { (const uint8_t *)req, REQ_LEN }, .num = 1, .app = &tls,
	};

	assert_true(detect_encrypted(AP_TLS));
	scanner_packet(fx->s, &k);
	k.seq = REQ_LEN;
	k.app = NULL;
	scanner_packet(fx->s, &k);				/* still the same flow */
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 0);
	const struct scan_stats *st = scanner_stats(fx->s);
	assert_int_equal(st->skipped, 2 * REQ_LEN);	/* both packets' bytes are counted */
	assert_int_equal(st->scanned, 0);
}

/* The line extractors behind the scanner: an FTP login and the server's answer. */
static void
test_extractor(void **state)
{
	struct fx *fx = *state;
	struct flow_app app = { .proto = AP_NONE };
	struct scan_pkt k = { .flow = 50, .tcp = 1, .server_port = 21, .client_port = 40000,
		.app = &app };
	static const struct {
		int		 dir;
		const char	*s;
	} conv[] = {
		{ 1, "220 ready\r\n" }, { 0, "USER alice\r\n" }, { 1, "331 pass\r\n" },
		{ 0, "PASS s3cret\r\n" }, { 1, "230 ok\r\n" },
	};
	uint32_t seq[2] = { 100, 5000 };

	for (size_t i = 0; i < sizeof conv / sizeof *conv; i++) {
		k.dir = (uint8_t)conv[i].dir;
		k.seq = seq[k.dir];
		k.payload = (struct span){ (const uint8_t *)conv[i].s, strlen(conv[i].s) };
		k.num = ++fx->num;
		scanner_packet(fx->s, &k);
		seq[k.dir] += (uint32_t)strlen(conv[i].s);
	}
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 2);
	const struct finding *u = findings_get(fx->fs, 0), *p = findings_get(fx->fs, 1);
	assert_string_equal(u->type, "ftp-user");
	assert_string_equal(u->value, "alice");
	assert_int_equal(u->off, 5);
	assert_int_equal(u->pkt_num, 2);
	assert_string_equal(u->source, "extractor");
	assert_string_equal(p->type, "ftp-password");
	assert_string_equal(p->value, "s3cret");
	assert_string_equal(p->user, "alice");
	assert_int_equal(p->off, 17);
	assert_int_equal(p->dir, 0);
	assert_int_equal(p->pkt_num, 4);
	assert_int_equal(p->outcome, OUTCOME_ACCEPTED);
	assert_string_equal(p->before, "PASS ");
	assert_string_equal(p->after, "");		/* the end of its line */
}

/*
 * A flow whose start was not seen, taken with the server as initiator (client port 21):
 * the extractor still reads the FTP server's side as the server, and findings say the
 * direction they were in.
 */
static void
test_extractor_swapped(void **state)
{
	struct fx *fx = *state;
	struct flow_app app = { .proto = AP_NONE };
	struct scan_pkt k = { .flow = 51, .tcp = 1, .server_port = 40000, .client_port = 21,
		.app = &app };
	static const struct {
		int		 dir;
		const char	*s;
	} conv[] = {
		{ 1, "PASS hunter2\r\n" }, { 0, "530 no\r\n" },
	};
	uint32_t seq[2] = { 1, 1 };

	for (size_t i = 0; i < sizeof conv / sizeof *conv; i++) {
		k.dir = (uint8_t)conv[i].dir;
		k.seq = seq[k.dir];
		k.payload = (struct span){ (const uint8_t *)conv[i].s, strlen(conv[i].s) };
		k.num = ++fx->num;
		scanner_packet(fx->s, &k);
		seq[k.dir] += (uint32_t)strlen(conv[i].s);
	}
	scanner_finish(fx->s);
	assert_int_equal(findings_count(fx->fs), 1);
	const struct finding *p = findings_get(fx->fs, 0);
	assert_string_equal(p->value, "hunter2");
	assert_int_equal(p->dir, 1);
	assert_int_equal(p->off, 5);
	assert_int_equal(p->outcome, OUTCOME_REJECTED);
}

/* A pattern that hits the match limit: counted, warned about, the scan goes on. */
static void
test_limit(void **state)
{
	(void)state;
	struct fx fx;
	size_t n = 5000;
	char *b = malloc(n);

	assert_non_null(b);
	memset(b, 'a', n - 1);
	b[n - 1] = '!';
	fx_open(&fx, "(a+)+$", DEC_NONE);
	dgram(&fx, 60, 0, b, n);
	const struct scan_stats *st = scanner_stats(fx.s);
	assert_int_equal(st->limits, 1);
	assert_int_equal(st->scanned, n);
	assert_int_equal(fx.warn.n, 1);
	assert_non_null(strstr(fx.warn.v[0].msg, "pattern http-basic (test:1): "));
	assert_non_null(strstr(fx.warn.v[0].msg, "limit"));
	fx_close(&fx);
	free(b);
}

static const char builtin_text[] =
    "id=me.name+tag@mail.example.org; hw 00:1a:2B:3c:4d:5e;\r\n";

/* Built-in scanners: an e-mail and a MAC address split over segments, found once. */
static void
test_builtins_split(void **state)
{
	(void)state;
	const char *text = builtin_text;

	for (size_t k = 1; k < sizeof builtin_text - 1; k++) {
		struct fx fx;
		fx_open(&fx, NULL, DEC_NONE);
		seg(&fx, 70, 0, 0, text, k, 0);
		seg(&fx, 70, 0, (uint32_t)k, text + k, sizeof builtin_text - 1 - k, 0);
		scanner_finish(fx.s);
		if (findings_count(fx.fs) != 2)
			fail_msg("split at %zu: %zu findings", k, findings_count(fx.fs));
		assert_string_equal(findings_get(fx.fs, 0)->type, "email");
		assert_string_equal(findings_get(fx.fs, 0)->value, "me.name+tag@mail.example.org");
		assert_int_equal(findings_get(fx.fs, 0)->off, 3);
		assert_string_equal(findings_get(fx.fs, 1)->type, "mac");
		assert_string_equal(findings_get(fx.fs, 1)->value, "00:1a:2B:3c:4d:5e");
		assert_int_equal(findings_get(fx.fs, 1)->off, 36);
		fx_close(&fx);
	}
}

/*
 * Was a bug (src/scan.c, on_match): a match is held back ("it may grow") only when it ends at the
 * last byte of the piece; one that ends earlier is reported at once, even where the next
 * bytes would make it longer, because the expression gave up bytes at the end to match
 * (backtracking) or the e-mail scanner trimmed a trailing '.'.  Then the longer match is
 * reported too, as a second finding with another value.
 * Input 1: "id=me.name+tag@mail.example.org; …" split after "…@mail.example." (28 bytes).
 * Expected: one e-mail finding, "me.name+tag@mail.example.org".  Was: two, the other
 * "me.name+tag@mail.example".
 * Input 2: the default weight pattern on "{\"weight\": 72.5}" split after "72.".
 * Expected: one finding "72.5".  Was: "72" and "72.5".  (PCRE2's partial matching at the
 * end of a piece would tell which matches may still grow.)
 */
static void
test_bug_match_grows_after_backtrack(void **state)
{
	(void)state;
	struct fx fx;
	static const char json[] = "{\"weight\": 72.5}\r\n";

	fx_open(&fx, NULL, DEC_NONE);
	seg(&fx, 80, 0, 0, builtin_text, 28, 0);
	seg(&fx, 80, 0, 28, builtin_text + 28, sizeof builtin_text - 1 - 28, TH_FIN);
	assert_int_equal(findings_count(fx.fs), 2);
	assert_string_equal(findings_get(fx.fs, 0)->value, "me.name+tag@mail.example.org");
	fx_close(&fx);

	fx_open(&fx, "(?i)\"(?:weight|body_?weight)(?:_?kg|_?lb|_?lbs|_?g)?\"\\s*:\\s*\"?"
	    "(?<value>[0-9]{1,4}(?:\\.[0-9]{1,3})?)", DEC_NONE);
	seg(&fx, 81, 0, 0, json, 14, 0);
	seg(&fx, 81, 0, 14, json + 14, sizeof json - 1 - 14, TH_FIN);
	assert_int_equal(findings_count(fx.fs), 1);
	assert_string_equal(findings_get(fx.fs, 0)->value, "72.5");
	fx_close(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole, setup, teardown),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test_setup_teardown(test_one_byte_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seq_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_never_filled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_at_finish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hold_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bug_big_early_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tiny_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bug_bytes_after_fin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_at_segment_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fin_rst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_light, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encrypted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extractor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extractor_swapped, setup, teardown),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_builtins_split),
		cmocka_unit_test(test_bug_match_grows_after_backtrack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
