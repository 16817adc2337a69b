/*
 * test-hcount.c — the counting thread (hcount.h): tens of megabytes of spans queued into 50
 * histograms must come out exactly as counted inline, through hcount_add and through
 * hcount_try_add with the caller's own histograms, across ring wraps of tiny and mixed
 * records, jumbo spans, without a worker, and when hcount_free is called with records queued.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "entropy.h"
#include "hcount.h"

#define NHIST	50
#define MAXSPAN	3000
#define JUMBO	(3u << 20)	/* above a quarter of the 8 MiB ring: never queued */

/* splitmix64: a fixed-seed generator of our own, so every run sees the same spans. */
static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Fills p with n bytes skewed by the histogram's index, so that the 50 histograms differ
 * and a record counted into the wrong one shows.
 */
static void
fill(uint64_t *s, uint8_t *p, size_t n, int which)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t v = rng_next(s);
		memcpy(p + i, &v, 8);
	}
	for (; i < n; i++)
		p[i] = (uint8_t)rng_next(s);
	for (i = 0; i < n; i += 3)
		p[i] = (uint8_t)(p[i] % (which + 2));
}

struct fixture {
	struct hist	 want[NHIST];	/* counted inline */
	struct hist	 got[NHIST];	/* counted by the worker */
	struct hist	 own[NHIST];	/* counted by the caller when try_add refused */
	uint8_t		*buf;		/* reused for every span, as a packet buffer is */
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (fx == NULL)
		return -1;
	for (int i = 0; i < NHIST; i++) {
		hist_init(&fx->want[i]);
		hist_init(&fx->got[i]);
		hist_init(&fx->own[i]);
	}
	fx->buf = malloc(JUMBO);
	if (fx->buf == NULL)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	for (int i = 0; i < NHIST; i++) {
		hist_fini(&fx->want[i]);
		hist_fini(&fx->got[i]);
		hist_fini(&fx->own[i]);
	}
	free(fx->buf);
	free(fx);
	return 0;
}

/* got[i] (plus own[i]) against want[i]: every bin and the total. */
static void
check(struct fixture *fx, int with_own)
{
	for (int i = 0; i < NHIST; i++) {
		struct hist sum;
		hist_init(&sum);
		hist_add(&sum, &fx->got[i]);
		if (with_own)
			hist_add(&sum, &fx->own[i]);
		if (sum.total != fx->want[i].total)
			fail_msg("histogram %d: total %llu, want %llu", i,
			    (unsigned long long)sum.total, (unsigned long long)fx->want[i].total);
		for (int b = 0; b < 256; b++)
			if (hist_bin(&sum, b) != hist_bin(&fx->want[i], b))
				fail_msg("histogram %d bin %d: %llu, want %llu", i, b,
				    (unsigned long long)hist_bin(&sum, b),
				    (unsigned long long)hist_bin(&fx->want[i], b));
		hist_fini(&sum);
	}
}

enum how { ADD, TRY_ADD };

/*
 * Queues spans of random sizes up to maxspan (a tenth of them up to MAXSPAN when mixed)
 * until total bytes went in; the buffer is overwritten after each call, so the ring must
 * hold copies.  Returns how many spans try_add refused.
 */
static size_t
feed(struct fixture *fx, struct hcount *c, uint64_t *seed, size_t total, size_t maxspan,
    int mixed, enum how how)
{
	size_t done = 0, refused = 0;

	while (done < total) {
		uint64_t r = rng_next(seed);
		int which = (int)(r % NHIST);
		size_t n = (size_t)((r >> 8) % (maxspan + 1));
		if (mixed && (r >> 40) % 10 == 0)
			n = (size_t)((r >> 20) % (MAXSPAN + 1));
		fill(seed, fx->buf, n, which);
		struct span s = { fx->buf, n };
		entropy_count(&fx->want[which], s);
		if (how == ADD)
			hcount_add(c, &fx->got[which], s);
		else if (hcount_try_add(c, &fx->got[which], s) == -1) {
			entropy_count(&fx->own[which], s);
			refused++;
		}
		memset(fx->buf, 0xee, n);
		done += n;
	}
	return refused;
}

static void
test_add_sync(void **state)
{
	struct fixture *fx = *state;
	struct hcount *c = hcount_new(1);
	uint64_t seed = 1;

	feed(fx, c, &seed, 40u << 20, MAXSPAN, 0, ADD);
	hcount_sync(c);
	check(fx, 0);
	/* Again on the same histograms: a second sync sees only what came since. */
	feed(fx, c, &seed, 12u << 20, MAXSPAN, 0, ADD);
	hcount_sync(c);
	hcount_sync(c);
	check(fx, 0);
	hcount_free(c);
	check(fx, 0);
}

static void
test_try_add(void **state)
{
	struct fixture *fx = *state;
	struct hcount *c = hcount_new(1);
	uint64_t seed = 2;
	size_t refused;

	refused = feed(fx, c, &seed, 40u << 20, MAXSPAN, 0, TRY_ADD);
	/* Jumbo spans are always refused, counted by the caller into its own histogram. */
	for (int i = 0; i < 3; i++) {
		fill(&seed, fx->buf, JUMBO, i);
		struct span s = { fx->buf, JUMBO };
		entropy_count(&fx->want[i * 7], s);
		assert_int_equal(hcount_try_add(c, &fx->got[i * 7], s), -1);
		entropy_count(&fx->own[i * 7], s);
		refused++;
	}
	refused += feed(fx, c, &seed, 8u << 20, MAXSPAN, 0, TRY_ADD);
	hcount_sync(c);
	check(fx, 1);
	print_message("try_add refused %zu spans (3 of them jumbo)\n", refused);
	/* An empty span is accepted and changes nothing. */
	assert_int_equal(hcount_try_add(c, &fx->got[0], (struct span){ fx->buf, 0 }), 0);
	hcount_sync(c);
	check(fx, 1);
	hcount_free(c);
}

/* hcount_free counts what is still queued before it stops the worker. */
static void
test_free_queued(void **state)
{
	struct fixture *fx = *state;
	uint64_t seed = 3;

	for (int round = 0; round < 4; round++) {
		struct hcount *c = hcount_new(1);
		/* A few records (not yet handed over), then more than a ring's worth. */
		size_t total = round == 0 ? 100 : round == 1 ? 60000 : (size_t)round << 22;
		feed(fx, c, &seed, total, MAXSPAN, 0, ADD);
		hcount_free(c);
		check(fx, 0);
	}
}

/*
 * Tiny records (0..20 bytes, 32 or 48 ring bytes each) wrap the ring several times; mixed
 * with larger ones the space left before the ring's end is often too small for the next
 * record, so a wrap marker is written.
 */
static void
test_tiny_spans(void **state)
{
	struct fixture *fx = *state;
	struct hcount *c = hcount_new(1);
	uint64_t seed = 4;

	feed(fx, c, &seed, 12u << 20, 20, 0, ADD);	/* ~1.2 million records */
	hcount_sync(c);
	check(fx, 0);
	feed(fx, c, &seed, 24u << 20, 20, 1, ADD);
	hcount_sync(c);
	check(fx, 0);
	feed(fx, c, &seed, 16u << 20, 40, 1, TRY_ADD);
	hcount_sync(c);
	check(fx, 1);
	hcount_free(c);
	check(fx, 1);
}

/* A jumbo hcount_add is counted inline after what was queued before it. */
static void
test_jumbo_add(void **state)
{
	struct fixture *fx = *state;
	struct hcount *c = hcount_new(1);
	uint64_t seed = 5;

	feed(fx, c, &seed, 5u << 20, MAXSPAN, 0, ADD);
	fill(&seed, fx->buf, JUMBO, 9);
	struct span s = { fx->buf, JUMBO };
	entropy_count(&fx->want[9], s);
	hcount_add(c, &fx->got[9], s);
	memset(fx->buf, 0xee, JUMBO);
	feed(fx, c, &seed, 5u << 20, MAXSPAN, 0, ADD);
	hcount_sync(c);
	check(fx, 0);
	hcount_free(c);
}

/*
 * The producer faster than the worker: spans taken from a buffer filled once, so queueing
 * costs a copy and no counting, and the worker falls a ring behind.  hcount_add must wait
 * for room, hcount_try_add refuse; what to expect is counted only afterwards.
 */
static void
test_ring_full(void **state)
{
	struct fixture *fx = *state;
	struct rec {
		uint32_t	 off, n;
		int		 which;
	} *v = malloc(40000 * sizeof *v);
	uint64_t seed = 7;
	size_t refused = 0;

	assert_non_null(v);
	fill(&seed, fx->buf, 1u << 20, 3);
	for (int pass = 0; pass < 2; pass++) {
		struct hcount *c = hcount_new(1);
		for (int i = 0; i < 40000; i++) {
			uint64_t r = rng_next(&seed);
			v[i].n = (uint32_t)(r % (MAXSPAN + 1));
			v[i].off = (uint32_t)((r >> 16) % ((1u << 20) - MAXSPAN));
			v[i].which = (int)((r >> 48) % NHIST);
			struct span s = { fx->buf + v[i].off, v[i].n };
			if (pass == 0)
				hcount_add(c, &fx->got[v[i].which], s);
			else if (hcount_try_add(c, &fx->got[v[i].which], s) == -1) {
				entropy_count(&fx->own[v[i].which], s);
				refused++;
			}
		}
		hcount_sync(c);
		for (int i = 0; i < 40000; i++)
			entropy_count(&fx->want[v[i].which],
			    (struct span){ fx->buf + v[i].off, v[i].n });
		check(fx, 1);
		hcount_free(c);
	}
	print_message("try_add refused %zu of 40000 spans\n", refused);
	free(v);
}

/* Without a worker: hcount_add counts at once, hcount_try_add always hands the bytes back. */
static void
test_unthreaded(void **state)
{
	struct fixture *fx = *state;
	struct hcount *c = hcount_new(0);
	uint64_t seed = 8;
	size_t refused;

	feed(fx, c, &seed, 2u << 20, MAXSPAN, 0, ADD);
	check(fx, 0);				/* no sync needed: counted inline */
	refused = feed(fx, c, &seed, 2u << 20, MAXSPAN, 0, TRY_ADD);
	assert_true(refused > 0);
	hcount_sync(c);
	check(fx, 1);
	for (int i = 0; i < NHIST; i++)		/* try_add queued nothing */
		assert_int_equal(fx->got[i].total, fx->want[i].total - fx->own[i].total);
	assert_int_equal(hcount_try_add(c, &fx->got[0], (struct span){ fx->buf, 1 }), -1);
	assert_int_equal(hcount_try_add(c, &fx->got[0], (struct span){ fx->buf, 0 }), 0);
	hcount_free(c);
}

static void
test_empty(void **state)
{
	struct fixture *fx = *state;
	struct hcount *c = hcount_new(1);

	hcount_sync(c);
	hcount_add(c, &fx->got[0], (struct span){ fx->buf, 0 });
	assert_int_equal(hcount_try_add(c, &fx->got[1], (struct span){ fx->buf, 0 }), 0);
	hcount_sync(c);
	assert_int_equal(fx->got[0].total, 0);
	assert_null(fx->got[0].hot);
	assert_null(fx->got[1].hot);
	hcount_free(c);
	hcount_free(NULL);
	/* Created and freed at once, twice over: the worker starts and stops cleanly. */
	hcount_free(hcount_new(1));
	c = hcount_new(1);
	hcount_add(c, &fx->got[2], (struct span){ (const uint8_t *)"x", 1 });
	hcount_free(c);
	assert_int_equal(fx->got[2].total, 1);
	assert_int_equal(hist_bin(&fx->got[2], 'x'), 1);
}

/* Two counters at once, each with its own histograms: nothing shared between them. */
static void
test_two_counters(void **state)
{
	struct fixture *fx = *state;
	struct hcount *a = hcount_new(1), *b = hcount_new(1);
	uint64_t seed = 6;

	for (int round = 0; round < 200; round++) {
		uint64_t r = rng_next(&seed);
		size_t n = (size_t)(r % 60000);
		int which = (int)((r >> 32) % NHIST);
		fill(&seed, fx->buf, n, which);
		struct span s = { fx->buf, n };
		entropy_count(&fx->want[which], s);
		hcount_add(which % 2 ? a : b, &fx->got[which], s);
	}
	hcount_sync(a);
	hcount_sync(b);
	check(fx, 0);
	hcount_free(b);
	hcount_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_try_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_queued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tiny_spans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jumbo_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ring_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unthreaded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_counters, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
