/*
 * test-kmap.c — the keyed set behind the report's country and organisation tables: insert
 * and find, values kept across every growth, keys that share their low bits or arrive in
 * runs (clusters for linear probing), and a random sequence checked against a sorted array.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kmap.h"

static void
insert_find(void **state)
{
	(void)state;
	struct kmap m = { 0 };
	int fresh;

	assert_null(kmap_find(&m, 7));
	uint32_t *v = kmap_slot(&m, 7, &fresh);
	assert_true(fresh);
	assert_int_equal(*v, 0);
	*v = 42;
	v = kmap_slot(&m, 7, &fresh);
	assert_false(fresh);
	assert_int_equal(*v, 42);
	assert_non_null(kmap_find(&m, 7));
	assert_int_equal(*kmap_find(&m, 7), 42);
	assert_null(kmap_find(&m, 8));
	assert_null(kmap_find(&m, 0));
	assert_int_equal(m.n, 1);
	kmap_free(&m);
	assert_null(kmap_find(&m, 7));
}

/* Every value survives each doubling, and the table stays at most half full. */
static void
grow_keeps_values(void **state)
{
	(void)state;
	struct kmap m = { 0 };
	int fresh;
	const uint32_t n = 200000;

	for (uint32_t i = 1; i <= n; i++) {
		*kmap_slot(&m, i, &fresh) = i * 3;
		assert_true(fresh);
		assert_true(2 * m.n <= m.cap);
	}
	assert_int_equal(m.n, n);
	for (uint32_t i = 1; i <= n; i++) {
		uint32_t *v = kmap_find(&m, i);
		assert_non_null(v);
		assert_int_equal(*v, i * 3);
	}
	assert_null(kmap_find(&m, n + 1));
	kmap_free(&m);
}

/*
 * Keys alike in their low 40 bits, keys alike in their high bits, and the report's own
 * kinds (tag in bits 62-63, row and device packed below): none may alias another.
 */
static void
colliding_shapes(void **state)
{
	(void)state;
	struct kmap m = { 0 };
	int fresh;
	uint32_t k = 0;

	for (uint64_t i = 1; i <= 5000; i++) {
		*kmap_slot(&m, i << 40, &fresh) = ++k;
		assert_true(fresh);
		*kmap_slot(&m, i | 0xffffffff00000000ull, &fresh) = ++k;
		assert_true(fresh);
		*kmap_slot(&m, 1ull << 62 | i << 32 | (i % 7), &fresh) = ++k;
		assert_true(fresh);
	}
	k = 0;
	for (uint64_t i = 1; i <= 5000; i++) {
		assert_int_equal(*kmap_find(&m, i << 40), ++k);
		assert_int_equal(*kmap_find(&m, i | 0xffffffff00000000ull), ++k);
		assert_int_equal(*kmap_find(&m, 1ull << 62 | i << 32 | (i % 7)), ++k);
	}
	assert_int_equal(m.n, 15000);
	kmap_free(&m);
}

static int
cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* Random keys with repeats (a small range): the map's count and values match a plain tally. */
static void
random_against_tally(void **state)
{
	(void)state;
	struct kmap m = { 0 };
	enum { N = 50000 };
	uint64_t *keys = malloc(N * sizeof *keys);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int fresh;

	assert_non_null(keys);
	for (int i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		keys[i] = 1 + x % 20000;
		(*kmap_slot(&m, keys[i], &fresh))++;
	}
	qsort(keys, N, sizeof *keys, cmp_u64);
	size_t distinct = 0;
	for (int i = 0; i < N;) {
		int j = i;
		while (j < N && keys[j] == keys[i])
			j++;
		assert_int_equal(*kmap_find(&m, keys[i]), j - i);
		distinct++;
		i = j;
	}
	assert_int_equal(m.n, distinct);
	free(keys);
	kmap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(insert_find),
		cmocka_unit_test(grow_keeps_values),
		cmocka_unit_test(colliding_shapes),
		cmocka_unit_test(random_against_tally),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
