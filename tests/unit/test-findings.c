/*
 * test-findings.c — the findings table (findings.h): what one finding holds, the dedupe on
 * (flow, direction, type, value, user) and what is not merged, one occurrence reported twice
 * counted once, NUL bytes dropped from values and context, long values cut with "…", the
 * count per flow, and the cap past which new findings are only counted; a flow folded under a
 * memory limit (its findings keep its ends and leave the id to the next flow).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "findings.h"
#include "strpool.h"

struct fx {
	struct strpool	*pool;
	struct findings	*fs;
};

static int
setup(void **state)
{
	static struct fx fx;

	fx.pool = strpool_new();
	fx.fs = findings_new(fx.pool);
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	findings_free(fx->fs);
	strpool_free(fx->pool);
	return 0;
}

static struct find_where
at(uint32_t flow, uint8_t dir, uint64_t off)
{
	struct find_where w = { .flow = flow, .dir = dir, .pkt_ord = 3, .pkt_num = 42,
	    .ts_ns = 1700000000123456789LL, .off = off };
	return w;
}

/* Adds a finding whose value, raw and context are C strings (raw NULL: the value's bytes). */
static long
add(struct findings *fs, const char *type, uint32_t flow, uint8_t dir, uint64_t off,
    const char *value, const char *user)
{
	struct find_where w = at(flow, dir, off);

	return findings_add(fs, type, CAT_CREDENTIAL, SEV_HIGH, "test:1", &w,
	    (const uint8_t *)value, strlen(value), user, (const uint8_t *)value, strlen(value),
	    (const uint8_t *)"Basic ", 6, (const uint8_t *)"\r\n", 2);
}

static void
test_one(void **state)
{
	struct fx *fx = *state;
	struct find_where w = at(7, 1, 1234);
	const char *raw = "YWRtaW46c2VjcmV0";

	assert_int_equal(findings_count(fx->fs), 0);
	assert_int_equal(findings_add(fx->fs, "http-basic", CAT_CREDENTIAL, SEV_HIGH,
	    "share/patterns:19", &w, (const uint8_t *)"secret", 6, "admin",
	    (const uint8_t *)raw, strlen(raw), (const uint8_t *)"Authorization: Basic ", 21,
	    (const uint8_t *)"\r\nHost", 6), 0);
	assert_int_equal(findings_count(fx->fs), 1);
	const struct finding *f = findings_get(fx->fs, 0);
	assert_string_equal(f->type, "http-basic");
	assert_string_equal(f->value, "secret");
	assert_string_equal(f->user, "admin");
	assert_string_equal(f->raw, raw);
	assert_int_equal(f->raw_len, strlen(raw));
	assert_string_equal(f->before, "Authorization: Basic ");
	assert_string_equal(f->after, "\r\nHost");
	assert_string_equal(f->source, "share/patterns:19");
	assert_int_equal(f->cat, CAT_CREDENTIAL);
	assert_int_equal(f->sev, SEV_HIGH);
	assert_int_equal(f->dir, 1);
	assert_int_equal(f->outcome, OUTCOME_NONE);
	assert_int_equal(f->flow, 7);
	assert_int_equal(f->pkt_ord, 3);
	assert_int_equal(f->pkt_num, 42);
	assert_true(f->ts_ns == 1700000000123456789LL);
	assert_int_equal(f->off, 1234);
	assert_int_equal(f->last_off, 1234);
	assert_int_equal(f->count, 1);
	assert_int_equal(findings_dropped(fx->fs), 0);
	/* Strings are interned: the pool's pointers. */
	assert_ptr_equal(f->type, strpool_str(fx->pool, "http-basic"));
	assert_ptr_equal(f->value, strpool_str(fx->pool, "secret"));
}

/* raw is kept only when decoding changed the bytes; NULL user, source and context are fine. */
static void
test_raw_kept_only_when_different(void **state)
{
	struct fx *fx = *state;
	struct find_where w = at(1, 0, 0);

	assert_int_equal(findings_add(fx->fs, "t", CAT_TOKEN, SEV_LOW, NULL, &w,
	    (const uint8_t *)"abc", 3, NULL, (const uint8_t *)"abc", 3, NULL, 0, NULL, 0), 0);
	const struct finding *f = findings_get(fx->fs, 0);
	assert_null(f->raw);
	assert_int_equal(f->raw_len, 3);
	assert_null(f->user);
	assert_null(f->source);
	assert_null(f->before);
	assert_null(f->after);
	/* Same length, other bytes (URL-decoded "a b" from "a+b"). */
	assert_int_equal(findings_add(fx->fs, "t", CAT_TOKEN, SEV_LOW, NULL, &w,
	    (const uint8_t *)"a b", 3, NULL, (const uint8_t *)"a+b", 3, NULL, 0, NULL, 0), 1);
	assert_string_equal(findings_get(fx->fs, 1)->raw, "a+b");
	/* No raw at all. */
	assert_int_equal(findings_add(fx->fs, "t", CAT_TOKEN, SEV_LOW, NULL, &w,
	    (const uint8_t *)"xyz", 3, NULL, NULL, 0, NULL, 0, NULL, 0), 2);
	assert_null(findings_get(fx->fs, 2)->raw);
	assert_int_equal(findings_get(fx->fs, 2)->raw_len, 0);
}

static void
test_dedupe(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(add(fx->fs, "http-basic", 1, 0, 100, "secret", "admin"), 0);
	/* The same flow, direction, type, value and user: counted. */
	assert_int_equal(add(fx->fs, "http-basic", 1, 0, 300, "secret", "admin"), -1);
	assert_int_equal(add(fx->fs, "http-basic", 1, 0, 500, "secret", "admin"), -1);
	const struct finding *f = findings_get(fx->fs, 0);
	assert_int_equal(f->count, 3);
	assert_int_equal(f->off, 100);			/* where it was first seen */
	assert_int_equal(f->last_off, 500);
	assert_int_equal(findings_count(fx->fs), 1);
	/* Any one of the key's parts different: a finding of its own. */
	assert_int_equal(add(fx->fs, "http-basic", 1, 0, 700, "secret", "root"), 1);
	assert_int_equal(add(fx->fs, "http-basic", 1, 0, 700, "secret", NULL), 2);
	assert_int_equal(add(fx->fs, "http-basic", 1, 1, 700, "secret", "admin"), 3);
	assert_int_equal(add(fx->fs, "http-basic", 2, 0, 700, "secret", "admin"), 4);
	assert_int_equal(add(fx->fs, "ftp-password", 1, 0, 700, "secret", "admin"), 5);
	assert_int_equal(add(fx->fs, "http-basic", 1, 0, 700, "Secret", "admin"), 6);
	assert_int_equal(findings_count(fx->fs), 7);
	/* Each of them is found again by its own key. */
	assert_int_equal(add(fx->fs, "http-basic", 1, 0, 900, "secret", NULL), -1);
	assert_int_equal(findings_get(fx->fs, 2)->count, 2);
	assert_int_equal(findings_get(fx->fs, 1)->count, 1);
	assert_int_equal(findings_get(fx->fs, 0)->count, 3);
	assert_int_equal(findings_dropped(fx->fs), 0);
}

/* Two scanners (a pattern and an extractor) reporting the same bytes: one occurrence. */
static void
test_same_occurrence_once(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(add(fx->fs, "pw", 1, 0, 40, "hunter2", NULL), 0);
	assert_int_equal(add(fx->fs, "pw", 1, 0, 40, "hunter2", NULL), -1);
	assert_int_equal(findings_get(fx->fs, 0)->count, 1);
	assert_int_equal(add(fx->fs, "pw", 1, 0, 90, "hunter2", NULL), -1);
	assert_int_equal(add(fx->fs, "pw", 1, 0, 90, "hunter2", NULL), -1);
	assert_int_equal(findings_get(fx->fs, 0)->count, 2);
	assert_int_equal(findings_get(fx->fs, 0)->last_off, 90);
	assert_int_equal(findings_of_flow(fx->fs, 1), 1);
}

static void
test_nul_dropped(void **state)
{
	struct fx *fx = *state;
	struct find_where w = at(3, 0, 10);
	static const uint8_t v[] = { 'p', 0, 'a', 0, 's', 's', 0 };
	static const uint8_t b[] = { 0, 'x', 0, '=' };
	static const uint8_t a[] = { '&', 0 };

	assert_int_equal(findings_add(fx->fs, "t", CAT_TOKEN, SEV_LOW, NULL, &w, v, sizeof v,
	    NULL, v, sizeof v, b, sizeof b, a, sizeof a), 0);
	const struct finding *f = findings_get(fx->fs, 0);
	assert_string_equal(f->value, "pass");
	assert_string_equal(f->before, "x=");
	assert_string_equal(f->after, "&");
	assert_null(f->raw);				/* the same bytes as the value */
	assert_int_equal(f->raw_len, sizeof v);
	/* Values equal once their NULs are gone are the same value. */
	assert_int_equal(findings_add(fx->fs, "t", CAT_TOKEN, SEV_LOW, NULL, &w,
	    (const uint8_t *)"pass", 4, NULL, NULL, 0, NULL, 0, NULL, 0), -1);
	/* All NULs: the empty value. */
	assert_int_equal(findings_add(fx->fs, "t", CAT_TOKEN, SEV_LOW, NULL, &w,
	    (const uint8_t *)"\0\0", 2, NULL, NULL, 0, NULL, 0, NULL, 0), 1);
	assert_string_equal(findings_get(fx->fs, 1)->value, "");
}

static void
test_long_values(void **state)
{
	struct fx *fx = *state;
	uint8_t v[FIND_VALUE_MAX + 100];
	char want[FIND_VALUE_MAX + 8];
	struct find_where w = at(4, 0, 0);

	memset(v, 'x', sizeof v);
	/* Exactly the maximum: kept whole. */
	assert_int_equal(findings_add(fx->fs, "a", CAT_TOKEN, SEV_LOW, NULL, &w, v,
	    FIND_VALUE_MAX, NULL, NULL, 0, NULL, 0, NULL, 0), 0);
	assert_int_equal(strlen(findings_get(fx->fs, 0)->value), FIND_VALUE_MAX);
	/* One byte more: cut to the maximum and "…" (three bytes of UTF-8) added. */
	memset(want, 'x', FIND_VALUE_MAX);
	memcpy(want + FIND_VALUE_MAX, "\xe2\x80\xa6", 4);
	assert_int_equal(findings_add(fx->fs, "b", CAT_TOKEN, SEV_LOW, NULL, &w, v,
	    FIND_VALUE_MAX + 1, NULL, NULL, 0, NULL, 0, NULL, 0), 1);
	assert_string_equal(findings_get(fx->fs, 1)->value, want);
	assert_int_equal(findings_add(fx->fs, "c", CAT_TOKEN, SEV_LOW, NULL, &w, v, sizeof v,
	    NULL, NULL, 0, NULL, 0, NULL, 0), 2);
	assert_string_equal(findings_get(fx->fs, 2)->value, want);
	/* Two long values that differ only past the cut are one value. */
	v[sizeof v - 1] = 'y';
	assert_int_equal(findings_add(fx->fs, "c", CAT_TOKEN, SEV_LOW, NULL, &w, v, sizeof v,
	    NULL, NULL, 0, NULL, 0, NULL, 0), -1);
	/* A long raw form is cut the same way; raw_len keeps the length on the wire. */
	assert_int_equal(findings_add(fx->fs, "d", CAT_TOKEN, SEV_LOW, NULL, &w,
	    (const uint8_t *)"short", 5, NULL, v, sizeof v, NULL, 0, NULL, 0), 3);
	assert_int_equal(strlen(findings_get(fx->fs, 3)->raw), FIND_VALUE_MAX + 3);
	assert_int_equal(findings_get(fx->fs, 3)->raw_len, sizeof v);
	/* Context longer than FIND_CONTEXT: cut and marked too. */
	assert_int_equal(findings_add(fx->fs, "e", CAT_TOKEN, SEV_LOW, NULL, &w,
	    (const uint8_t *)"v", 1, NULL, NULL, 0, v, FIND_CONTEXT, v, FIND_CONTEXT + 1), 4);
	assert_int_equal(strlen(findings_get(fx->fs, 4)->before), FIND_CONTEXT);
	assert_int_equal(strlen(findings_get(fx->fs, 4)->after), FIND_CONTEXT + 3);
}

/*
 * Was a bug (src/findings.c, intern()): whether a value was cut is decided on its length before the
 * NUL bytes are dropped, so a value that keeps every one of its non-NUL bytes still gets
 * "…".  Input: FIND_VALUE_MAX bytes 'x' and one NUL (n = 513).  Expected: the 512 'x' as
 * they are.  Was: the 512 'x' followed by "…".  
 */
static void
test_nul_not_a_cut(void **state)
{
	struct fx *fx = *state;
	uint8_t v[FIND_VALUE_MAX + 1];
	struct find_where w = at(4, 0, 0);

	memset(v, 'x', FIND_VALUE_MAX);
	v[FIND_VALUE_MAX] = 0;
	assert_int_equal(findings_add(fx->fs, "a", CAT_TOKEN, SEV_LOW, NULL, &w, v, sizeof v,
	    NULL, NULL, 0, NULL, 0, NULL, 0), 0);
	assert_int_equal(strlen(findings_get(fx->fs, 0)->value), FIND_VALUE_MAX);
}

static void
test_per_flow(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(findings_of_flow(fx->fs, 0), 0);
	assert_int_equal(findings_of_flow(fx->fs, 5000000), 0);
	add(fx->fs, "a", 0, 0, 1, "v1", NULL);
	add(fx->fs, "a", 0, 1, 1, "v1", NULL);
	add(fx->fs, "a", 0, 0, 2, "v1", NULL);		/* a repeat: not counted */
	add(fx->fs, "a", 2, 0, 1, "v1", NULL);
	add(fx->fs, "b", 2, 0, 1, "v1", NULL);
	add(fx->fs, "a", 5000, 0, 1, "v1", NULL);	/* the table grows to hold it */
	assert_int_equal(findings_of_flow(fx->fs, 0), 2);
	assert_int_equal(findings_of_flow(fx->fs, 1), 0);
	assert_int_equal(findings_of_flow(fx->fs, 2), 2);
	assert_int_equal(findings_of_flow(fx->fs, 4999), 0);
	assert_int_equal(findings_of_flow(fx->fs, 5000), 1);
	assert_int_equal(findings_of_flow(fx->fs, UINT32_MAX), 0);
	assert_int_equal(findings_count(fx->fs), 5);
}

/* Many findings: the index grows and every one is still found again. */
static void
test_many(void **state)
{
	struct fx *fx = *state;
	char v[32];

	for (int i = 0; i < 5000; i++) {
		snprintf(v, sizeof v, "value-%d", i);
		assert_int_equal(add(fx->fs, "t", (uint32_t)(i % 7), 0, 1, v, NULL), i);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(v, sizeof v, "value-%d", i);
		assert_int_equal(add(fx->fs, "t", (uint32_t)(i % 7), 0, 2, v, NULL), -1);
		assert_int_equal(findings_get(fx->fs, (size_t)i)->count, 2);
		assert_string_equal(findings_get(fx->fs, (size_t)i)->value, v);
	}
	assert_int_equal(findings_count(fx->fs), 5000);
	assert_int_equal(findings_of_flow(fx->fs, 0), 715);
	assert_int_equal(findings_of_flow(fx->fs, 6), 714);
}

/* Past FINDINGS_MAX new findings are only counted; repeats of kept ones still count. */
static void
test_cap(void **state)
{
	struct fx *fx = *state;
	char v[32];

	for (long i = 0; i < FINDINGS_MAX; i++) {
		snprintf(v, sizeof v, "%ld", i);
		if (add(fx->fs, "t", 1, 0, 1, v, NULL) != i)
			fail_msg("finding %ld not added", i);
	}
	assert_int_equal(findings_count(fx->fs), FINDINGS_MAX);
	assert_int_equal(findings_dropped(fx->fs), 0);
	assert_int_equal(add(fx->fs, "t", 1, 0, 1, "new", NULL), -1);
	assert_int_equal(add(fx->fs, "t", 2, 0, 1, "other", NULL), -1);
	assert_int_equal(findings_dropped(fx->fs), 2);
	assert_int_equal(findings_count(fx->fs), FINDINGS_MAX);
	assert_int_equal(findings_of_flow(fx->fs, 1), FINDINGS_MAX);
	assert_int_equal(findings_of_flow(fx->fs, 2), 0);
	/* A repeat of a kept one: counted on it, not dropped. */
	assert_int_equal(add(fx->fs, "t", 1, 0, 2, "17", NULL), -1);
	assert_int_equal(findings_get(fx->fs, 17)->count, 2);
	assert_int_equal(findings_dropped(fx->fs), 2);
	/* A dropped one again is dropped again: nothing remembers it. */
	assert_int_equal(add(fx->fs, "t", 1, 0, 1, "new", NULL), -1);
	assert_int_equal(findings_dropped(fx->fs), 3);
}

static void
test_fold(void **state)
{
	struct fx *fx = *state;
	struct find_ends e = { .pa = 40000, .pb = 80, .proto = 6, .ipver = 4,
	    .dev = { 3, 0 } };

	assert_int_equal(addr_parse(&e.a, "192.168.1.20"), 0);
	assert_int_equal(addr_parse(&e.b, "203.0.113.9"), 0);
	add(fx->fs, "http-basic", 5, 0, 10, "secret", "admin");
	add(fx->fs, "http-basic", 6, 0, 10, "other", "admin");
	add(fx->fs, "token", 5, 1, 99, "abc123", NULL);
	add(fx->fs, "http-basic", 5, 0, 500, "secret", "admin");	/* a repeat: counted */
	assert_int_equal(findings_of_flow(fx->fs, 5), 2);
	findings_fold(fx->fs, 7, &e);			/* no findings: nothing kept */
	findings_fold(fx->fs, 5, &e);
	assert_int_equal(findings_of_flow(fx->fs, 5), 0);
	assert_int_equal(findings_of_flow(fx->fs, 6), 1);
	const struct finding *f0 = findings_get(fx->fs, 0), *f1 = findings_get(fx->fs, 1);
	const struct finding *f2 = findings_get(fx->fs, 2);
	assert_int_equal(f0->flow, FIND_FOLDED | 0);
	assert_int_equal(f2->flow, FIND_FOLDED | 0);
	assert_int_equal(f1->flow, 6);
	assert_int_equal(f0->count, 2);
	assert_null(findings_ends(fx->fs, f1));
	const struct find_ends *k = findings_ends(fx->fs, f0);
	assert_non_null(k);
	assert_ptr_equal(k, findings_ends(fx->fs, f2));		/* one record per flow */
	assert_int_equal(addr_cmp(&k->b, &e.b), 0);
	assert_int_equal(k->dev[0], 3);
	/* The id's next flow: the same secret again is a finding of its own. */
	assert_int_equal(add(fx->fs, "http-basic", 5, 0, 10, "secret", "admin"), 3);
	assert_int_equal(findings_of_flow(fx->fs, 5), 1);
	assert_int_equal(findings_get(fx->fs, 3)->count, 1);
	assert_int_equal(f0->count, 2);
	/* Folding that one too keeps a second record; the index still finds each. */
	findings_fold(fx->fs, 5, &e);
	assert_int_equal(findings_get(fx->fs, 3)->flow, FIND_FOLDED | 1);
	for (int i = 0; i < 5000; i++) {		/* the index grows and rehashes them */
		char v[16];
		snprintf(v, sizeof v, "v%d", i);
		add(fx->fs, "token", 100 + (uint32_t)i, 0, 0, v, NULL);
	}
	assert_int_equal(add(fx->fs, "http-basic", 6, 0, 20, "other", "admin"), -1);
	assert_int_equal(findings_get(fx->fs, 1)->count, 2);
	assert_true(findings_bytes(fx->fs) > 5000 * sizeof(struct finding));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_kept_only_when_different, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dedupe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_occurrence_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_not_a_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fold, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
