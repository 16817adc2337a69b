/*
 * test-table.c — the list widget's order: rows sorted through the source's numeric keys (the
 * radix path a million flows take) come out exactly as the comparison sorts them, with ties
 * in id order, reversed, with a pinned row first, and with keys that share bytes or are
 * already sorted.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "table.h"

struct rows {
	uint64_t	*val;
	size_t		 n;
	int		 keyed;		/* offer keys (else the comparison sorts) */
	int		 kind;		/* TABLE_KEY_EXACT, _PREFIX (a coarser key) or _TEXT */
	int		 keep_odd;	/* drop odd ids */
};

static const struct table_col cols[2] = { { "A", 4, 0, 1, 0 }, { "B", 4, 0, 1, 0 } };

static size_t
r_count(void *ctx)
{
	return ((struct rows *)ctx)->n;
}

static uint32_t
r_id(void *ctx, size_t i)
{
	(void)ctx;
	return (uint32_t)i;
}

/* Text cells: mixed case, lengths on both sides of the text key's eight bytes. */
static void
r_cell(void *ctx, uint32_t id, int col, char *buf, size_t len)
{
	struct rows *r = ctx;
	uint64_t v = r->val[id];
	(void)col;
	snprintf(buf, len, "%s%llu", v % 2 ? "Host-" : "host-", (unsigned long long)(v % 100000));
	if (v % 5 == 0)
		snprintf(buf, len, "%c", (char)('a' + v % 26));
}

static int
r_cmp(void *ctx, uint32_t a, uint32_t b, int col)
{
	struct rows *r = ctx;
	uint64_t x = r->val[a], y = r->val[b];
	if (r->kind == TABLE_KEY_TEXT) {
		char bx[64], by[64];
		r_cell(ctx, a, col, bx, sizeof bx);
		r_cell(ctx, b, col, by, sizeof by);
		return strcasecmp(bx, by);
	}
	return x < y ? -1 : x > y;
}

static int
r_key(void *ctx, uint32_t id, int col, uint64_t *out)
{
	struct rows *r = ctx;
	(void)col;
	if (!r->keyed)
		return TABLE_KEY_NONE;
	*out = r->kind == TABLE_KEY_PREFIX ? r->val[id] >> 20 : r->val[id];
	return r->kind;
}

static int
r_keep(void *ctx, uint32_t id)
{
	return !((struct rows *)ctx)->keep_odd || id % 2 == 0;
}

static const struct table_src src = {
	.count = r_count, .id = r_id, .cell = r_cell, .cmp = r_cmp, .key = r_key,
	.keep = r_keep,
};

/* The same rows through keys and through the comparison, in one setting. */
static void
same_order(struct rows *r, int rev, int pin, uint32_t pin_id)
{
	struct table a, b;

	table_init(&a, cols, 2, 0, rev);
	table_init(&b, cols, 2, 0, rev);
	a.pin = b.pin = pin;
	a.pin_id = b.pin_id = pin_id;
	r->keyed = 1;
	table_refresh(&a, &src, r);
	r->keyed = 0;
	table_refresh(&b, &src, r);
	assert_int_equal(a.nrows, b.nrows);
	assert_memory_equal(a.rows, b.rows, a.nrows * sizeof *a.rows);
	for (size_t i = 1; i < a.nrows && r->kind != TABLE_KEY_TEXT; i++) {
		if (pin && (a.rows[i - 1] == pin_id || a.rows[i] == pin_id))
			continue;
		uint64_t x = r->val[a.rows[i - 1]], y = r->val[a.rows[i]];
		assert_true(rev ? x >= y : x <= y);
	}
	if (pin && a.nrows > 0 && (!r->keep_odd || pin_id % 2 == 0))
		assert_int_equal(a.rows[0], pin_id);
	table_fini(&a);
	table_fini(&b);
}

static void
shapes(struct rows *r)
{
	for (int i = 0; i < 12; i++) {
		r->kind = TABLE_KEY_EXACT + i / 4;
		r->keep_odd = i % 2;
		int rev = i / 2 % 2;
		same_order(r, rev, 0, 0);
		same_order(r, rev, 1, 4);
		same_order(r, rev, 1, (uint32_t)(r->n - 1));
	}
}

static void
random_keys_with_ties(void **state)
{
	(void)state;
	struct rows r = { 0 };
	uint64_t x = 88172645463325252ull;

	r.n = 50000;
	r.val = malloc(r.n * sizeof *r.val);
	assert_non_null(r.val);
	for (size_t i = 0; i < r.n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Few distinct values (ties), some huge (every byte differs). */
		r.val[i] = i % 3 == 0 ? x : x % 97;
	}
	shapes(&r);
	free(r.val);
}

static void
sorted_and_constant_keys(void **state)
{
	(void)state;
	struct rows r = { 0 };

	r.n = 3000;
	r.val = malloc(r.n * sizeof *r.val);
	assert_non_null(r.val);
	for (size_t i = 0; i < r.n; i++)
		r.val[i] = i * 1000;		/* already in order */
	shapes(&r);
	for (size_t i = 0; i < r.n; i++)
		r.val[i] = 7;			/* one value: id order */
	shapes(&r);
	for (size_t i = 0; i < r.n; i++)
		r.val[i] = (uint64_t)(r.n - i) << 40;	/* descending, high bytes only */
	shapes(&r);
	free(r.val);
}

/* One table refreshed again and again as its rows grow and shrink (its sort arrays are
 * kept between refreshes): each order equals a fresh table's by the comparison. */
static void
refresh_again(void **state)
{
	(void)state;
	struct rows r = { 0 };
	struct table a;
	const size_t sizes[] = { 100, 5000, 20, 5000, 7000, 1, 0, 3000 };
	uint64_t x = 1234567;

	r.val = malloc(7000 * sizeof *r.val);
	assert_non_null(r.val);
	table_init(&a, cols, 2, 0, 0);
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		r.n = sizes[k];
		for (size_t i = 0; i < r.n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			r.val[i] = x % 1000;
		}
		struct table b;
		table_init(&b, cols, 2, 0, 0);
		r.kind = TABLE_KEY_EXACT;
		r.keyed = 1;
		table_refresh(&a, &src, &r);
		r.keyed = 0;
		table_refresh(&b, &src, &r);
		assert_int_equal(a.nrows, b.nrows);
		if (a.nrows > 0)
			assert_memory_equal(a.rows, b.rows, a.nrows * sizeof *a.rows);
		table_fini(&b);
	}
	table_fini(&a);
	free(r.val);
}

static void
double_keys(void **state)
{
	(void)state;
	const double v[] = { -1e300, -2.5, -0.0, 0.0, 1e-300, 0.5, 7.99, 8.0, 1e300 };

	for (size_t i = 1; i < sizeof v / sizeof *v; i++)
		assert_true(table_key_double(v[i - 1]) <= table_key_double(v[i]));
	assert_true(table_key_double(-2.5) < table_key_double(-1.0));
	assert_true(table_key_double(0.5) < table_key_double(7.99));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_keys_with_ties),
		cmocka_unit_test(sorted_and_constant_keys),
		cmocka_unit_test(refresh_again),
		cmocka_unit_test(double_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
