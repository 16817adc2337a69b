/*
 * test-names.c — the address → names table: entries deduplicated per (address, name, device,
 * source) through its index, the best name per device, growth of every index, many entries
 * on one address, and the indexed ranking against the plain walk names.h describes over
 * random additions.
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

#include "addr.h"
#include "names.h"
#include "strpool.h"

static struct addr
v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct addr x;
	memset(&x, 0, sizeof x);
	x.b[10] = x.b[11] = 0xff;
	x.b[12] = a;
	x.b[13] = b;
	x.b[14] = c;
	x.b[15] = d;
	return x;
}

static void
dedup_and_times(void **state)
{
	(void)state;
	struct strpool *sp = strpool_new();
	struct names *nm = names_new(sp);
	struct addr a = v4(23, 0, 0, 1);

	names_add(nm, &a, "cloud.example", NULL, NULL, 1, IPNAME_DNS, 500);
	names_add(nm, &a, "cloud.example", NULL, NULL, 1, IPNAME_DNS, 100);
	names_add(nm, &a, "cloud.example", NULL, NULL, 1, IPNAME_DNS, 900);
	names_add(nm, &a, "cloud.example", NULL, NULL, 2, IPNAME_DNS, 200);
	names_add(nm, &a, "cloud.example", NULL, NULL, 1, IPNAME_SNI, 300);
	assert_int_equal(names_count(nm), 3);
	assert_int_equal(names_distinct(nm, &a), 1);
	const struct ipname *e = names_first(nm, &a);
	assert_non_null(e);
	assert_int_equal(e->count, 3);
	assert_int_equal(e->first_ns, 100);
	assert_int_equal(e->last_ns, 900);
	/* Chained in the order added. */
	e = names_next(nm, e);
	assert_int_equal(e->device1, 2);
	e = names_next(nm, e);
	assert_int_equal(e->source, IPNAME_SNI);
	assert_null(names_next(nm, e));
	/* Each device's own entries, and the names whatever the device. */
	names_add(nm, &a, "other.example", NULL, NULL, 0, IPNAME_MDNS, 400);
	assert_int_equal(names_distinct(nm, &a), 2);
	e = names_dev_first(nm, &a, 1);
	assert_int_equal(e->source, IPNAME_DNS);
	e = names_dev_next(nm, e);
	assert_int_equal(e->source, IPNAME_SNI);
	assert_null(names_dev_next(nm, e));
	e = names_dev_first(nm, &a, 2);
	assert_int_equal(e->device1, 2);
	assert_null(names_dev_next(nm, e));
	assert_string_equal(names_dev_first(nm, &a, 0)->name, "other.example");
	assert_null(names_dev_first(nm, &a, 3));
	struct addr b = v4(23, 0, 0, 2);
	assert_int_equal(names_distinct(nm, &b), 0);
	assert_null(names_first(nm, &b));
	assert_null(names_best(nm, &b, 1));
	names_free(nm);
	strpool_free(sp);
}

static void
best_ranking(void **state)
{
	(void)state;
	struct strpool *sp = strpool_new();
	struct names *nm = names_new(sp);
	struct addr a = v4(23, 0, 0, 1);

	names_add(nm, &a, "mdns.local", NULL, NULL, 3, IPNAME_MDNS, 50);
	assert_string_equal(names_best(nm, &a, 1), "mdns.local");
	names_add(nm, &a, "host-of-2", NULL, NULL, 2, IPNAME_HTTP, 60);
	assert_string_equal(names_best(nm, &a, 1), "host-of-2");
	names_add(nm, &a, "sni-of-2", NULL, NULL, 2, IPNAME_SNI, 10);
	assert_string_equal(names_best(nm, &a, 1), "sni-of-2");
	names_add(nm, &a, "own-host", NULL, NULL, 1, IPNAME_HTTP, 5);
	assert_string_equal(names_best(nm, &a, 1), "own-host");
	assert_string_equal(names_best(nm, &a, 2), "sni-of-2");
	names_add(nm, &a, "dns-of-2", NULL, NULL, 2, IPNAME_DNS, 1);
	assert_string_equal(names_best(nm, &a, 1), "own-host");
	assert_string_equal(names_best(nm, &a, 2), "dns-of-2");
	assert_string_equal(names_best(nm, &a, 0), "dns-of-2");
	/* The most recent of equals; seen again, an older entry becomes the most recent. */
	names_add(nm, &a, "dns2-of-2", NULL, NULL, 2, IPNAME_DNS, 7);
	assert_string_equal(names_best(nm, &a, 2), "dns2-of-2");
	names_add(nm, &a, "dns-of-2", NULL, NULL, 2, IPNAME_DNS, 8);
	assert_string_equal(names_best(nm, &a, 2), "dns-of-2");
	/* As recent: the earlier entry. */
	names_add(nm, &a, "dns2-of-2", NULL, NULL, 2, IPNAME_DNS, 8);
	assert_string_equal(names_best(nm, &a, 2), "dns-of-2");
	assert_string_equal(names_best(nm, &a, 4), "dns-of-2");
	names_free(nm);
	strpool_free(sp);
}

/* A server name read from QUIC ranks with TLS's: the more recent of the two, below DNS. */
static void
quic_sni_ranking(void **state)
{
	(void)state;
	struct strpool *sp = strpool_new();
	struct names *nm = names_new(sp);
	struct addr a = v4(23, 0, 0, 2);

	names_add(nm, &a, "own-host", NULL, NULL, 1, IPNAME_HTTP, 50);
	names_add(nm, &a, "tls.example", NULL, NULL, 1, IPNAME_SNI, 10);
	assert_string_equal(names_best(nm, &a, 1), "tls.example");
	names_add(nm, &a, "quic.example", NULL, NULL, 1, IPNAME_QUIC_SNI, 20);
	assert_string_equal(names_best(nm, &a, 1), "quic.example");
	assert_int_equal(names_best_entry(nm, &a, 1)->source, IPNAME_QUIC_SNI);
	names_add(nm, &a, "tls.example", NULL, NULL, 1, IPNAME_SNI, 30);
	assert_string_equal(names_best(nm, &a, 1), "tls.example");
	names_add(nm, &a, "quic-of-2", NULL, NULL, 2, IPNAME_QUIC_SNI, 90);
	assert_string_equal(names_best(nm, &a, 1), "tls.example");
	assert_string_equal(names_best(nm, &a, 3), "quic-of-2");
	names_add(nm, &a, "dns.example", NULL, NULL, 1, IPNAME_DNS, 5);
	assert_string_equal(names_best(nm, &a, 1), "dns.example");
	assert_string_equal(ipname_source_name(IPNAME_QUIC_SNI), "quic-sni");
	names_free(nm);
	strpool_free(sp);
}

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

/* The ranking as names.h states it, by walking every entry of the address. */
static int
rank(const struct ipname *e, uint32_t device1)
{
	int own = device1 == 0 || e->device1 == device1;

	switch (e->source) {
	case IPNAME_DNS:
		return own ? 7 : 4;
	case IPNAME_SNI:
	case IPNAME_QUIC_SNI:
		return own ? 6 : 3;
	case IPNAME_HTTP:
		return own ? 5 : 2;
	case IPNAME_MDNS:
		return 1;
	}
	return 0;
}

static const struct ipname *
walk_best(const struct names *nm, const struct addr *ip, uint32_t device1)
{
	const struct ipname *best = NULL;
	int br = -1;

	for (const struct ipname *e = names_first(nm, ip); e != NULL; e = names_next(nm, e)) {
		int r = rank(e, device1);
		if (r > br || (r == br && e->last_ns > best->last_ns)) {
			best = e;
			br = r;
		}
	}
	return best;
}

static void
against_walk(void **state)
{
	(void)state;
	struct strpool *sp = strpool_new();
	struct names *nm = names_new(sp);
	uint64_t x = 88172645463325252ull;
	char name[32];

	/* Few addresses, devices, names and times: many duplicates and ties. */
	for (int i = 0; i < 40000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		struct addr a = v4(23, 0, 0, (uint8_t)(x % 13));
		snprintf(name, sizeof name, "n%u", (unsigned)(x >> 8) % 17);
		names_add(nm, &a, name, NULL, NULL, (uint32_t)(x >> 16) % 9,
		    (enum ipname_source)((x >> 24) % 5), (int64_t)((x >> 32) % 500));
		if (i % 97 == 0) {
			for (uint8_t k = 0; k < 13; k++) {
				struct addr q = v4(23, 0, 0, k);
				for (uint32_t d = 0; d < 10; d++)
					assert_ptr_equal(names_best_entry(nm, &q, d),
					    walk_best(nm, &q, d));
			}
		}
	}
	names_free(nm);
	strpool_free(sp);
}

static void
grow_many(void **state)
{
	(void)state;
	struct strpool *sp = strpool_new();
	struct names *nm = names_new(sp);
	char name[32];

	/* 200 names seen by 500 devices on one address, and 20000 addresses of one name each. */
	struct addr a = v4(23, 1, 1, 1);
	for (uint32_t d = 1; d <= 500; d++)
		for (int k = 0; k < 200; k++) {
			snprintf(name, sizeof name, "cdn%d.example", k);
			names_add(nm, &a, name, NULL, NULL, d, IPNAME_DNS, (int64_t)d * 1000 + k);
		}
	for (uint32_t i = 0; i < 20000; i++) {
		struct addr b = v4(24, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i);
		snprintf(name, sizeof name, "h%u.example", (unsigned)i);
		names_add(nm, &b, name, NULL, NULL, 1, IPNAME_SNI, i);
	}
	assert_int_equal(names_count(nm), 500 * 200 + 20000);
	/* Seen again: counted on the entry, no new one. */
	names_add(nm, &a, "cdn7.example", NULL, NULL, 321, IPNAME_DNS, 999999999);
	assert_int_equal(names_count(nm), 500 * 200 + 20000);
	assert_string_equal(names_best(nm, &a, 321), "cdn7.example");
	assert_string_equal(names_best(nm, &a, 0), "cdn7.example");
	assert_string_equal(names_best(nm, &a, 17), "cdn199.example");
	assert_int_equal(names_distinct(nm, &a), 200);
	size_t own = 0;
	for (const struct ipname *e = names_dev_first(nm, &a, 17); e != NULL;
	    e = names_dev_next(nm, e))
		own++;
	assert_int_equal(own, 200);
	for (uint32_t i = 0; i < 20000; i += 997) {
		struct addr b = v4(24, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i);
		snprintf(name, sizeof name, "h%u.example", (unsigned)i);
		assert_string_equal(names_best(nm, &b, 1), name);
		assert_string_equal(names_best(nm, &b, 2), name);
	}
	names_free(nm);
	strpool_free(sp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dedup_and_times),
		cmocka_unit_test(test_names_dedup),
		cmocka_unit_test(best_ranking),
		cmocka_unit_test(quic_sni_ranking),
		cmocka_unit_test(against_walk),
		cmocka_unit_test(grow_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
