/*
 * test-misc.c — the small core modules: address classes, formatting and parsing, report
 * escaping, printable UTF-8, the string pool, the warning list and OUI vendor lines.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "esc.h"
#include "oui.h"
#include "overview.h"
#include "strpool.h"
#include "warn.h"

static void
test_addr_classify(void **state)
{
	(void)state;
	static const struct {
		const char	*ip;
		enum addr_class	 c;
	} cases[] = {
		{ "10.0.0.1", ADDR_PRIVATE }, { "10.255.255.255", ADDR_PRIVATE },
		{ "172.16.0.0", ADDR_PRIVATE }, { "172.31.255.255", ADDR_PRIVATE },
		{ "172.15.255.255", ADDR_PUBLIC }, { "172.32.0.0", ADDR_PUBLIC },
		{ "192.168.0.0", ADDR_PRIVATE }, { "192.169.0.1", ADDR_PUBLIC },
		{ "fc00::1", ADDR_PRIVATE }, { "fdff:ffff::1", ADDR_PRIVATE },
		{ "127.0.0.1", ADDR_LOOPBACK }, { "127.255.0.9", ADDR_LOOPBACK },
		{ "::1", ADDR_LOOPBACK },
		{ "169.254.0.1", ADDR_LINKLOCAL }, { "169.253.255.255", ADDR_PUBLIC },
		{ "fe80::1", ADDR_LINKLOCAL }, { "febf::1", ADDR_LINKLOCAL },
		{ "fec0::1", ADDR_PUBLIC },
		{ "224.0.0.251", ADDR_MULTICAST }, { "239.255.255.250", ADDR_MULTICAST },
		{ "ff02::fb", ADDR_MULTICAST },
		{ "255.255.255.255", ADDR_BROADCAST }, { "255.255.255.254", ADDR_RESERVED },
		{ "240.0.0.1", ADDR_RESERVED },
		{ "100.63.255.255", ADDR_PUBLIC }, { "100.64.0.0", ADDR_CGNAT },
		{ "100.127.255.255", ADDR_CGNAT }, { "100.128.0.0", ADDR_PUBLIC },
		{ "192.0.2.1", ADDR_DOC }, { "192.0.3.1", ADDR_PUBLIC },
		{ "198.51.100.7", ADDR_DOC }, { "203.0.113.255", ADDR_DOC },
		{ "198.18.0.1", ADDR_DOC }, { "198.19.255.255", ADDR_DOC },
		{ "198.20.0.0", ADDR_PUBLIC }, { "2001:db8::1", ADDR_DOC },
		{ "2001:db9::1", ADDR_PUBLIC },
		{ "0.0.0.0", ADDR_UNSPEC }, { "0.1.2.3", ADDR_UNSPEC }, { "::", ADDR_UNSPEC },
		{ "8.8.8.8", ADDR_PUBLIC }, { "2606:4700::1111", ADDR_PUBLIC },
		{ "::ffff:192.168.1.1", ADDR_PRIVATE },
	};
	struct addr a;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(addr_parse(&a, cases[i].ip), 0);
		if (addr_classify(&a) != cases[i].c)
			fail_msg("%s: class %s, want %s", cases[i].ip,
			    addr_class_name(addr_classify(&a)), addr_class_name(cases[i].c));
	}
	addr_parse(&a, "100.64.1.1");
	assert_true(addr_is_local(&a));
	addr_parse(&a, "fe80::2");
	assert_true(addr_is_local(&a));
	addr_parse(&a, "224.0.0.1");
	assert_false(addr_is_local(&a));
	addr_parse(&a, "192.0.2.1");
	assert_false(addr_is_local(&a));
	assert_string_equal(addr_class_name(ADDR_CGNAT), "carrier-grade NAT");
}

static void
test_addr_fmt_parse(void **state)
{
	(void)state;
	static const char *const same[] = { "192.168.1.10", "0.0.0.0", "255.255.255.255",
	    "::", "::1", "fe80::1", "2001:db8::8:800:200c:417a", "ff02::1:ff00:1" };
	static const char *const bad[] = { "", "256.1.1.1", "1.2.3", "fe80::1::2", "host",
	    "1.2.3.4 ", "::g" };
	struct addr a, b;
	char buf[ADDR_STRLEN];

	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		assert_int_equal(addr_parse(&a, same[i]), 0);
		assert_string_equal(addr_fmt(&a, buf, sizeof buf), same[i]);
		assert_int_equal(addr_parse(&b, buf), 0);
		assert_int_equal(addr_cmp(&a, &b), 0);
		assert_int_equal(addr_hash(&a), addr_hash(&b));
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(addr_parse(&a, bad[i]), -1);

	/* IPv4 is stored mapped; the mapped IPv6 spelling is the same address. */
	addr_parse(&a, "10.1.2.3");
	addr_parse(&b, "::ffff:10.1.2.3");
	assert_int_equal(addr_cmp(&a, &b), 0);
	assert_true(addr_is_v4(&a));
	assert_string_equal(addr_fmt(&b, buf, sizeof buf), "10.1.2.3");
	static const uint8_t v4[4] = { 10, 1, 2, 3 };
	addr_from_v4(&b, v4);
	assert_int_equal(addr_cmp(&a, &b), 0);
	addr_parse(&a, "0.0.0.0");
	assert_true(addr_is_zero(&a));
	addr_parse(&a, "::");
	assert_true(addr_is_zero(&a));
	assert_false(addr_is_v4(&a));
	addr_parse(&a, "0.0.0.1");
	assert_false(addr_is_zero(&a));
	addr_parse(&a, "1.0.0.0");
	addr_parse(&b, "0.255.255.255");
	assert_true(addr_cmp(&a, &b) > 0);
}

static void
test_esc(void **state)
{
	(void)state;
	static const struct {
		const char	*in, *text, *json;
	} cases[] = {
		{ "plain name", "plain name", "plain name" },
		{ "caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5",
		    "caf\xc3\xa9 \xe6\x97\xa5" },
		{ "a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd", "a\\tb\\nc\\rd" },
		{ "\x01\x1f", "\\x01\\x1f", "\\u0001\\u001f" },
		{ "\x1b[2Jx", "\\x1b[2Jx", "\\u001b[2Jx" },
		{ "del\x7f", "del\\x7f", "del\\u007f" },
		{ "\xc2\x85\xc2\x9b", "\\x85\\x9b", "\\u0085\\u009b" },		/* C1 in UTF-8 */
		{ "ab\xe2\x80\xae" "cd", "ab\\u202ecd", "ab\\u202ecd" },		/* RLO */
		{ "\xef\xbb\xbf", "\\ufeff", "\\ufeff" },
		{ "\xff\xfe", "\\xff\\xfe", "\\\\xff\\\\xfe" },			/* not UTF-8 */
		{ "\xc0\x80", "\\xc0\\x80", "\\\\xc0\\\\x80" },			/* overlong NUL */
		{ "\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\\\xe0\\\\x80\\\\xaf" },	/* overlong / */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\\\xed\\\\xa0\\\\x80" },	/* surrogate */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",			/* > U+10FFFF */
		    "\\\\xf4\\\\x90\\\\x80\\\\x80" },
		{ "\xe2\x82", "\\xe2\\x82", "\\\\xe2\\\\x82" },			/* cut short */
		{ "a\\b", "a\\\\b", "a\\\\b" },
		{ "say \"hi\"", "say \"hi\"", "say \\\"hi\\\"" },
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
	};
	char buf[128];

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_string_equal(esc_str(buf, sizeof buf, cases[i].in, ESC_TEXT), cases[i].text);
		assert_string_equal(esc_str(buf, sizeof buf, cases[i].in, ESC_JSON), cases[i].json);
	}
	/* Cut at a whole escape, always terminated. */
	assert_string_equal(esc_str(buf, 6, "ab\x01" "cd", ESC_TEXT), "ab");
	assert_string_equal(esc_str(buf, 7, "ab\x01" "cd", ESC_TEXT), "ab\\x01");
	assert_string_equal(esc_str(buf, 3, "\xe6\x97\xa5", ESC_TEXT), "");
	assert_true(esc_unsafe_cp(0x2066));
	assert_false(esc_unsafe_cp(0xe9));

	FILE *fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(esc_fputs(fp, "x\x1b", ESC_TEXT), 5);
	rewind(fp);
	assert_non_null(fgets(buf, sizeof buf, fp));
	assert_string_equal(buf, "x\\x1b");
	fclose(fp);
}

static int
printable(const char *s)
{
	struct span sp = { (const uint8_t *)s, strlen(s) };
	return overview_printable_utf8(sp);
}

static void
test_printable_utf8(void **state)
{
	(void)state;
	assert_true(printable(""));
	assert_true(printable("GET / HTTP/1.1\r\n\tHost: x\r\n"));
	assert_true(printable("caf\xc3\xa9 \xf0\x9f\x98\x80 \xef\xbf\xbd"));
	assert_false(printable("\x1b[2J"));
	assert_false(printable("a\x7f"));
	assert_false(printable("\xc2\x85"));			/* C1 control */
	assert_false(printable("\xc0\x80"));
	assert_false(printable("\xe0\x80\xaf"));
	assert_false(printable("\xed\xa0\x80"));
	assert_false(printable("\xf4\x90\x80\x80"));
	assert_false(printable("ok\xe2\x82"));			/* sequence cut at the end */
	assert_false(printable("\xff"));
	struct span nul = { (const uint8_t *)"a\0b", 3 };
	assert_false(overview_printable_utf8(nul));
}

static void
test_strpool(void **state)
{
	(void)state;
	struct strpool *sp = strpool_new();
	char s[32];
	const char *p[3000];

	const char *a = strpool_str(sp, "lamp.local");
	assert_ptr_equal(strpool_intern(sp, "lamp.local.", 10), a);
	assert_ptr_equal(strpool_str(sp, "lamp.local"), a);
	assert_ptr_not_equal(strpool_str(sp, "lamp"), a);
	assert_string_equal(strpool_intern(sp, "ab\0cd", 5), "ab");	/* NUL ends it */
	assert_ptr_equal(strpool_intern(sp, "ab\0cd", 5), strpool_str(sp, "ab"));
	assert_string_equal(strpool_str(sp, ""), "");
	for (int i = 0; i < 3000; i++) {
		snprintf(s, sizeof s, "name-%d", i);
		p[i] = strpool_str(sp, s);
	}
	for (int i = 0; i < 3000; i++) {
		snprintf(s, sizeof s, "name-%d", i);
		assert_ptr_equal(strpool_str(sp, s), p[i]);
	}
	assert_ptr_equal(strpool_str(sp, "lamp.local"), a);
	assert_true(strpool_bytes(sp) > 3000 * 7);
	strpool_free(sp);
}

static void
test_warn(void **state)
{
	(void)state;
	struct warnlist w;
	char big[1000];

	warn_init(&w);
	warn_add(&w, WARN_WARNING, "%s: truncated at byte %d", "a.pcap", 100);
	warn_add(&w, WARN_WARNING, "%s: truncated at byte %d", "a.pcap", 100);
	warn_add(&w, WARN_ERROR, "%s: truncated at byte %d", "a.pcap", 100);
	warn_add(&w, WARN_WARNING, "%s: truncated at byte %d", "a.pcap", 101);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.v[0].count, 2);
	assert_string_equal(w.v[0].msg, "a.pcap: truncated at byte 100");
	assert_int_equal(w.v[1].level, WARN_ERROR);
	assert_int_equal(w.nerrors, 1);
	for (int i = 0; i < 1000; i++)
		warn_add(&w, WARN_INFO, "message %d", i);
	assert_true(w.n < 1000);
	assert_int_equal(w.n + w.dropped, 1003);
	warn_add(&w, WARN_WARNING, "%s: truncated at byte %d", "a.pcap", 100);
	assert_int_equal(w.v[0].count, 3);		/* merging still works past the cap */
	warn_fini(&w);
	assert_int_equal(w.n, 0);

	warn_init(&w);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	warn_add(&w, WARN_INFO, "%s", big);
	assert_true(strlen(w.v[0].msg) < sizeof big - 1);
	assert_string_equal(warn_level_name(WARN_ERROR), "error");
	warn_fini(&w);
}

static void
test_oui(void **state)
{
	(void)state;
	static const uint8_t amf[6] = { 0x00, 0x22, 0x72, 1, 2, 3 };
	static const uint8_t in36[6] = { 0x00, 0x1b, 0xc5, 0x00, 0x00, 0x42 };
	static const uint8_t out36[6] = { 0x00, 0x1b, 0xc5, 0x00, 0x10, 0x00 };
	static const uint8_t cisco[6] = { 0x00, 0x00, 0x0c, 9, 9, 9 };
	static const uint8_t fib[6] = { 0x00, 0x00, 0x0d, 0, 0, 1 };
	static const uint8_t in28[6] = { 0x70, 0xb3, 0xd5, 0x0f, 0xff, 0xff };
	static const uint8_t none[6] = { 0x02, 0x00, 0x00, 0, 0, 1 };
	struct oui *o = oui_new("/nonexistent");

	assert_int_equal(oui_parse_line(o,
	    "00-22-72   (hex)\t\tAmerican Micro-Fuel Device Corp.\r\n"), 0);
	assert_int_equal(oui_parse_line(o, "00:1B:C5:00:00:00/36\tShort\tLong Name"), 0);
	assert_int_equal(oui_parse_line(o, "00:1B:C5\tVendorX\tVendor X Inc\n"), 0);
	assert_int_equal(oui_parse_line(o, "00:00:0C\tCisco\tCisco Systems, Inc"), 0);
	assert_int_equal(oui_parse_line(o, "00:00:0D\tFibronics\n"), 0);
	assert_int_equal(oui_parse_line(o, "70:B3:D5:00:00:00/28\tSmall\tSmall Block Ltd"), 0);
	assert_int_equal(oui_parse_line(o, "hello world"), -1);
	assert_int_equal(oui_parse_line(o, "00:11\tShort"), -1);
	assert_int_equal(oui_parse_line(o, "00:11:22junk"), -1);
	assert_int_equal(oui_entries(o), 6);

	assert_string_equal(oui_vendor(o, amf), "American Micro-Fuel Device Corp.");
	assert_string_equal(oui_vendor(o, in36), "Long Name");
	assert_string_equal(oui_vendor(o, out36), "Vendor X Inc");
	assert_string_equal(oui_vendor(o, cisco), "Cisco Systems, Inc");
	assert_string_equal(oui_vendor(o, fib), "Fibronics");
	assert_string_equal(oui_vendor(o, in28), "Small Block Ltd");
	assert_null(oui_vendor(o, none));
	assert_null(oui_source(o));		/* /nonexistent could not be read */
	oui_free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_classify),
		cmocka_unit_test(test_addr_fmt_parse),
		cmocka_unit_test(test_esc),
		cmocka_unit_test(test_printable_utf8),
		cmocka_unit_test(test_strpool),
		cmocka_unit_test(test_warn),
		cmocka_unit_test(test_oui),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
