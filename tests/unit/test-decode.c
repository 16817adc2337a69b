/*
 * test-decode.c — the decodings findings apply (decode.h): base64 with and without padding,
 * both alphabets, whitespace, stray bytes, data after padding, a short output buffer and a
 * round trip of every byte value; URL decoding of %XX and '+', escapes that are kept as they
 * are (bad digits, cut short at the end) and a short output buffer.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode.h"

/* Decodes a C string as base64 into out (max bytes); the result as decode_base64 gives it. */
static long
b64(const char *s, uint8_t *out, size_t max)
{
	return decode_base64((const uint8_t *)s, strlen(s), out, max);
}

#define assert_b64(in, want) do {						\
	uint8_t o_[64];								\
	long k_ = b64((in), o_, sizeof o_);					\
	if (k_ != (long)(sizeof(want) - 1))					\
		fail_msg("\"%s\": %ld bytes, want %zu", (in), k_, sizeof(want) - 1);	\
	assert_memory_equal(o_, (want), sizeof(want) - 1);			\
} while (0)

static void
test_b64_padding(void **state)
{
	(void)state;
	assert_b64("QUJD", "ABC");
	assert_b64("QUI=", "AB");
	assert_b64("QQ==", "A");
	assert_b64("dXNlcjpwYXNz", "user:pass");
	assert_b64("YWRtaW46c2VjcmV0", "admin:secret");
	assert_b64("QUJDRA==", "ABCD");
	assert_b64("", "");
}

static void
test_b64_no_padding(void **state)
{
	(void)state;
	assert_b64("QUI", "AB");
	assert_b64("QQ", "A");
	assert_b64("QUJDRA", "ABCD");
	assert_b64("QUJDREU", "ABCDE");
	/* Padding shorter than the quantum needs is accepted too. */
	assert_b64("QQ=", "A");
}

static void
test_b64_alphabets(void **state)
{
	(void)state;
	/* 62 and 63: '+' '/' in the standard alphabet, '-' '_' in the URL-safe one. */
	assert_b64("+/+/", "\xfb\xff\xbf");
	assert_b64("-_-_", "\xfb\xff\xbf");
	assert_b64("+_-/", "\xfb\xff\xbf");
	assert_b64("____", "\xff\xff\xff");
	assert_b64("AAAA", "\0\0\0");
}

static void
test_b64_whitespace(void **state)
{
	(void)state;
	assert_b64("QU\r\nJD", "ABC");
	assert_b64(" Q U J D ", "ABC");
	assert_b64("\tQUI=\n", "AB");
	assert_b64("QQ= =", "A");
	assert_b64("  \r\n\t", "");
}

static void
test_b64_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"QU*D", "QUJD!", "!QUJD", "QU.D", "QUJD\x80", "QU\0D",
		"QQ==QUJD", "QQ=A", "QUI=Q", "QQ==\r\nQQ==",		/* data after padding */
		"Q===", "QQ===", "====",				/* too much padding */
		"Q", "QUJDQ", "QUJDQ=",					/* one digit left over */
	};
	uint8_t out[64];

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		size_t n = strlen(bad[i]);
		if (i == 5)
			n = 4;					/* a NUL inside */
		long k = decode_base64((const uint8_t *)bad[i], n, out, sizeof out);
		if (k != -1)
			fail_msg("\"%s\" decoded to %ld bytes", bad[i], k);
	}
}

static void
test_b64_small_out(void **state)
{
	(void)state;
	uint8_t out[8];

	/* "ABCDEF" into 4 bytes: the first four, and not one byte more is written. */
	memset(out, 0xee, sizeof out);
	assert_int_equal(b64("QUJDREVG", out, 4), 4);
	assert_memory_equal(out, "ABCD", 4);
	for (size_t i = 4; i < sizeof out; i++)
		assert_int_equal(out[i], 0xee);
	memset(out, 0xee, sizeof out);
	assert_int_equal(b64("QUJDREVG", out, 0), 0);
	assert_int_equal(out[0], 0xee);
	/* Stray bytes are still found after the buffer is full. */
	assert_int_equal(b64("QUJDREVG*", out, 2), -1);
	assert_int_equal(b64("QUJDREVGQ", out, 2), -1);
}

/* Every byte value, encoded here and decoded back in both alphabets, at every length. */
static void
test_b64_roundtrip(void **state)
{
	(void)state;
	static const char std[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char url[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint8_t raw[256], out[256];
	char enc[360];

	for (int i = 0; i < 256; i++)
		raw[i] = (uint8_t)i;
	for (int a = 0; a < 2; a++) {
		const char *alpha = a == 0 ? std : url;
		for (size_t len = 0; len <= sizeof raw; len++) {
			size_t k = 0;
			for (size_t i = 0; i < len; i += 3) {
				uint32_t v = (uint32_t)raw[i] << 16;
				if (i + 1 < len)
					v |= (uint32_t)raw[i + 1] << 8;
				if (i + 2 < len)
					v |= raw[i + 2];
				enc[k++] = alpha[v >> 18 & 63];
				enc[k++] = alpha[v >> 12 & 63];
				enc[k++] = i + 1 < len ? alpha[v >> 6 & 63] : '=';
				enc[k++] = i + 2 < len ? alpha[v & 63] : '=';
			}
			/* Padded, and with the padding stripped. */
			for (int strip = 0; strip < 2; strip++) {
				size_t n = k;
				while (strip && n > 0 && enc[n - 1] == '=')
					n--;
				long got = decode_base64((const uint8_t *)enc, n, out, sizeof out);
				if (got != (long)len)
					fail_msg("alphabet %d, %zu bytes, strip %d: got %ld", a, len,
					    strip, got);
				assert_memory_equal(out, raw, len);
			}
		}
	}
}

/* Decodes a C string URL-style; the result NUL-terminated in out. */
static size_t
url(const char *s, char *out, size_t max)
{
	size_t k = decode_url((const uint8_t *)s, strlen(s), (uint8_t *)out, max);
	if (k < max)
		out[k] = '\0';
	return k;
}

#define assert_url(in, want) do {						\
	char o_[64];								\
	size_t k_ = url((in), o_, sizeof o_);					\
	assert_int_equal(k_, sizeof(want) - 1);					\
	assert_memory_equal(o_, (want), sizeof(want) - 1);			\
} while (0)

static void
test_url_escapes(void **state)
{
	(void)state;
	assert_url("a%20b", "a b");
	assert_url("%41%42%43", "ABC");
	assert_url("%7e%7E%2f", "~~/");
	assert_url("p%40ss%3Dw0rd%26", "p@ss=w0rd&");
	assert_url("%00x", "\0x");
	assert_url("%ff", "\xff");
	assert_url("plain", "plain");
	assert_url("", "");
}

static void
test_url_plus(void **state)
{
	(void)state;
	assert_url("a+b", "a b");
	assert_url("+++", "   ");
	assert_url("%2B+%2b", "+ +");
}

static void
test_url_bad_escapes(void **state)
{
	(void)state;
	assert_url("%zz", "%zz");
	assert_url("%g1", "%g1");
	assert_url("%1g", "%1g");
	assert_url("100%", "100%");
	assert_url("%A", "%A");			/* cut short at the end */
	assert_url("ab%4", "ab%4");
	assert_url("%%41", "%A");
	assert_url("%-1%", "%-1%");
	assert_url("%%%", "%%%");
	assert_url("%4%41", "%4A");
}

static void
test_url_small_out(void **state)
{
	(void)state;
	uint8_t out[8];

	memset(out, 0xee, sizeof out);
	assert_int_equal(decode_url((const uint8_t *)"abcdef", 6, out, 3), 3);
	assert_memory_equal(out, "abc", 3);
	assert_int_equal(out[3], 0xee);
	memset(out, 0xee, sizeof out);
	assert_int_equal(decode_url((const uint8_t *)"%41%42", 6, out, 1), 1);
	assert_int_equal(out[0], 'A');
	assert_int_equal(out[1], 0xee);
	assert_int_equal(decode_url((const uint8_t *)"abc", 3, out, 0), 0);
	assert_int_equal(out[0], 'A');
	/* The input's length is respected: an escape cut by n is kept as it is. */
	assert_int_equal(decode_url((const uint8_t *)"%41", 2, out, sizeof out), 2);
	assert_memory_equal(out, "%4", 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_padding),
		cmocka_unit_test(test_b64_no_padding),
		cmocka_unit_test(test_b64_alphabets),
		cmocka_unit_test(test_b64_whitespace),
		cmocka_unit_test(test_b64_invalid),
		cmocka_unit_test(test_b64_small_out),
		cmocka_unit_test(test_b64_roundtrip),
		cmocka_unit_test(test_url_escapes),
		cmocka_unit_test(test_url_plus),
		cmocka_unit_test(test_url_bad_escapes),
		cmocka_unit_test(test_url_small_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
