/*
 * test-names.c — the address → names table: deduplication per (address, name, device,
 * source), the order names of one address are listed in, ranking, and that adding names to
 * one address costs the same with 100000 names on it as with one (an mDNS flood).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "addr.h"
#include "names.h"
#include "strpool.h"

static void
test_names_dedup(void **state)
{
	(void)state;
	struct strpool *sp = strpool_new();
	struct names *nm = names_new(sp);
	struct addr a, b;

	assert_int_equal(addr_parse(&a, "198.51.100.7"), 0);
	assert_int_equal(addr_parse(&b, "2001:db8::7"), 0);
	names_add(nm, &a, "cam.example", NULL, NULL, 1, IPNAME_DNS, 300);
	names_add(nm, &a, "cam.example", NULL, NULL, 1, IPNAME_DNS, 100);	/* same entry */
	names_add(nm, &a, "cam.example", NULL, NULL, 2, IPNAME_DNS, 200);	/* other device */
	names_add(nm, &a, "cam.example", NULL, NULL, 1, IPNAME_SNI, 200);	/* other source */
	names_add(nm, &b, "cam.example", NULL, NULL, 1, IPNAME_DNS, 200);	/* other address */
	names_add(nm, &a, "cdn.example", "cam.example", "cam.example > cdn.example", 1,
	    IPNAME_DNS, 400);
	assert_int_equal(names_count(nm), 5);

	/* One address's entries in the order they were first seen. */
	const struct ipname *e = names_first(nm, &a);
	assert_non_null(e);
	assert_string_equal(e->name, "cam.example");
	assert_int_equal(e->count, 2);
	assert_int_equal(e->first_ns, 100);
	assert_int_equal(e->last_ns, 300);
	assert_int_equal(e->device1, 1);
	e = names_next(nm, e);
	assert_int_equal(e->device1, 2);
	e = names_next(nm, e);
	assert_int_equal(e->source, IPNAME_SNI);
	e = names_next(nm, e);
	assert_string_equal(e->name, "cdn.example");
	assert_string_equal(e->chain, "cam.example > cdn.example");
	assert_null(names_next(nm, e));
	e = names_first(nm, &b);
	assert_int_equal(e->count, 1);
	assert_null(names_next(nm, e));

	/* Device 1's own DNS answers first, the latest of them. */
	assert_string_equal(names_best(nm, &a, 1), "cdn.example");
	assert_string_equal(names_best(nm, &a, 2), "cam.example");
	names_free(nm);
	strpool_free(sp);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * 100000 names for one address, then each again: every one kept once, in order.  Walking the
 * address's list per name took 10 s here; the time is compared with adding as many names to
 * as many addresses, so a slow machine does not fail it.
 */
static void
test_names_one_address_flood(void **state)
{
	(void)state;
	enum { N = 100000 };
	struct strpool *sp = strpool_new();
	struct names *one = names_new(sp), *many = names_new(sp);
	struct addr a;
	char name[64];
	double t0, t1, t2;

	assert_int_equal(addr_parse(&a, "192.168.9.77"), 0);
	for (int i = 0; i < N; i++) {	/* the strings interned first: both runs share them */
		snprintf(name, sizeof name, "flood-%07d.local", i);
		strpool_str(sp, name);
	}
	t0 = now_s();
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < N; i++) {
			snprintf(name, sizeof name, "flood-%07d.local", i);
			names_add(one, &a, name, NULL, NULL, 0, IPNAME_MDNS, i);
		}
	t1 = now_s();
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < N; i++) {
			struct addr b;
			uint8_t v4[4] = { 10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
			addr_from_v4(&b, v4);
			snprintf(name, sizeof name, "flood-%07d.local", i);
			names_add(many, &b, name, NULL, NULL, 0, IPNAME_MDNS, i);
		}
	t2 = now_s();
	assert_int_equal(names_count(one), N);
	int k = 0;
	for (const struct ipname *e = names_first(one, &a); e != NULL; e = names_next(one, e), k++) {
		snprintf(name, sizeof name, "flood-%07d.local", k);
		assert_string_equal(e->name, name);
		assert_int_equal(e->count, 2);
	}
	assert_int_equal(k, N);
	if (t1 - t0 > 5 * (t2 - t1) + 0.05)
		fail_msg("one address: %.3f s, %d addresses: %.3f s", t1 - t0, N, t2 - t1);
	names_free(one);
	names_free(many);
	strpool_free(sp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_dedup),
		cmocka_unit_test(test_names_one_address_flood),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
