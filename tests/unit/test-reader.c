/*
 * test-reader.c — the bounds-checked cursor (reader.h): every accessor at the exact end and one
 * byte past it, the sticky bad flag, sub-cursors and their short flag, offsets, lines.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reader.h"

static const uint8_t bytes[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

static void
test_make_left_has(void **state)
{
	(void)state;
	struct rd r = rd_make(bytes, sizeof bytes);

	assert_int_equal(rd_left(&r), 8);
	assert_true(rd_has(&r, 8));
	assert_false(rd_has(&r, 9));
	assert_int_equal(r.bad, 0);
	r = rd_make(bytes, 0);
	assert_int_equal(rd_left(&r), 0);
	assert_true(rd_has(&r, 0));
	assert_int_equal(rd_u8(&r), 0);
	assert_int_equal(r.bad, 1);
}

/* The fixed-size reads, each with the value it takes from the front of bytes. */
enum fixed {
	FX_U8, FX_BE16, FX_LE16, FX_BE32, FX_LE32, FX_16_BE, FX_16_LE, FX_32_BE, FX_32_LE
};

static const struct {
	enum fixed	 kind;
	size_t		 size;
	uint32_t	 want;
} fixed[] = {
	{ FX_U8, 1, 0x01 },
	{ FX_BE16, 2, 0x0102 }, { FX_LE16, 2, 0x0201 },
	{ FX_BE32, 4, 0x01020304 }, { FX_LE32, 4, 0x04030201 },
	{ FX_16_BE, 2, 0x0102 }, { FX_16_LE, 2, 0x0201 },
	{ FX_32_BE, 4, 0x01020304 }, { FX_32_LE, 4, 0x04030201 },
};

static uint32_t
read_fixed(struct rd *r, enum fixed kind)
{
	switch (kind) {
	case FX_U8:	return rd_u8(r);
	case FX_BE16:	return rd_be16(r);
	case FX_LE16:	return rd_le16(r);
	case FX_BE32:	return rd_be32(r);
	case FX_LE32:	return rd_le32(r);
	case FX_16_BE:	return rd_16(r, 1);
	case FX_16_LE:	return rd_16(r, 0);
	case FX_32_BE:	return rd_32(r, 1);
	case FX_32_LE:	return rd_32(r, 0);
	}
	return 0;
}

static void
test_fixed_reads_exact_end(void **state)
{
	(void)state;
	struct rd r;

	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
		r = rd_make(bytes, fixed[i].size);
		assert_int_equal(read_fixed(&r, fixed[i].kind), fixed[i].want);
		assert_int_equal(r.bad, 0);
		assert_int_equal(rd_left(&r), 0);
	}

	/* rd_16 and rd_32 take the byte order per read. */
	r = rd_make(bytes, 6);
	assert_int_equal(rd_16(&r, 1), 0x0102);
	assert_int_equal(rd_16(&r, 0), 0x0403);
	assert_int_equal(rd_left(&r), 2);
	r = rd_make(bytes, 8);
	assert_int_equal(rd_32(&r, 1), 0x01020304);
	assert_int_equal(rd_32(&r, 0), 0x08070605);
	assert_int_equal(r.bad, 0);
}

/* One byte short: the read fails, returns 0, marks bad and empties the cursor. */
static void
test_fixed_reads_one_past(void **state)
{
	(void)state;
	struct rd r;

	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
		r = rd_make(bytes, fixed[i].size - 1);
		assert_int_equal(read_fixed(&r, fixed[i].kind), 0);
		assert_int_equal(r.bad, 1);
		assert_int_equal(rd_left(&r), 0);
	}

	/* Moved to the end by a skip rather than made empty. */
	r = rd_make(bytes, 2);
	rd_skip(&r, 2);
	assert_int_equal(rd_u8(&r), 0);
	assert_int_equal(r.bad, 1);
}

static void
test_bad_is_sticky(void **state)
{
	(void)state;
	struct rd r = rd_make(bytes, 5);

	assert_int_equal(rd_be32(&r), 0x01020304);
	assert_int_equal(rd_be16(&r), 0);		/* only 1 left */
	assert_int_equal(r.bad, 1);
	/* The remaining byte is gone too: every later read is 0 and the flag stays. */
	assert_int_equal(rd_u8(&r), 0);
	assert_int_equal(rd_le32(&r), 0);
	assert_int_equal(rd_peek(&r, 0), -1);
	rd_skip(&r, 0);
	assert_int_equal(r.bad, 1);
	assert_int_equal(rd_left(&r), 0);

	r = rd_make(bytes, 8);
	assert_int_equal(rd_fail(&r), 0);
	assert_int_equal(r.bad, 1);
	assert_int_equal(rd_left(&r), 0);
	assert_int_equal(rd_u8(&r), 0);
}

static void
test_skip(void **state)
{
	(void)state;
	struct rd r = rd_make(bytes, 8);

	rd_skip(&r, 3);
	assert_int_equal(r.bad, 0);
	assert_int_equal(rd_u8(&r), 0x04);
	rd_skip(&r, 4);				/* exactly to the end */
	assert_int_equal(r.bad, 0);
	assert_int_equal(rd_left(&r), 0);
	rd_skip(&r, 0);
	assert_int_equal(r.bad, 0);

	r = rd_make(bytes, 8);
	rd_skip(&r, 9);
	assert_int_equal(r.bad, 1);
	assert_int_equal(rd_left(&r), 0);

	/* A huge length from a packet must not wrap the pointer. */
	r = rd_make(bytes, 8);
	rd_skip(&r, SIZE_MAX);
	assert_int_equal(r.bad, 1);
	assert_int_equal(rd_left(&r), 0);
}

static void
test_copy(void **state)
{
	(void)state;
	uint8_t out[8];
	struct rd r = rd_make(bytes, 8);

	rd_copy(&r, out, 8);
	assert_int_equal(r.bad, 0);
	assert_memory_equal(out, bytes, 8);

	/* Short: dst is zeroed (never half-filled or left stale) and the cursor marked bad. */
	memset(out, 0xee, sizeof out);
	r = rd_make(bytes, 5);
	rd_copy(&r, out, 6);
	assert_int_equal(r.bad, 1);
	assert_int_equal(rd_left(&r), 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(out[6], 0xee);		/* nothing past n is touched */

	memset(out, 0xee, sizeof out);
	rd_copy(&r, out, 2);			/* already bad */
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], 0xee);
}

static void
test_sub_exact_and_clamped(void **state)
{
	(void)state;
	struct rd r = rd_make(bytes, 8);
	int cut = 0;

	rd_skip(&r, 2);
	struct rd s = rd_sub(&r, 4, &cut);
	assert_int_equal(cut, 0);
	assert_int_equal(rd_left(&s), 4);
	assert_int_equal(rd_u8(&s), 0x03);
	assert_int_equal(rd_left(&r), 2);	/* the parent moved past the sub-cursor */
	assert_int_equal(rd_u8(&r), 0x07);

	/* Longer than what is left: the sub holds the rest, the flag is set, no one is bad. */
	r = rd_make(bytes, 8);
	rd_skip(&r, 6);
	s = rd_sub(&r, 100, &cut);
	assert_int_equal(cut, 1);
	assert_int_equal(rd_left(&s), 2);
	assert_int_equal(s.bad, 0);
	assert_int_equal(r.bad, 0);
	assert_int_equal(rd_left(&r), 0);
	assert_int_equal(rd_be16(&s), 0x0708);
	assert_int_equal(s.bad, 0);

	/* Exactly what is left is not short. */
	r = rd_make(bytes, 8);
	cut = 0;
	s = rd_sub(&r, 8, &cut);
	assert_int_equal(cut, 0);
	assert_int_equal(rd_left(&s), 8);

	/* The flag is optional, and reads past the sub's end fail inside the sub only. */
	r = rd_make(bytes, 8);
	s = rd_sub(&r, 1, NULL);
	assert_int_equal(rd_be16(&s), 0);
	assert_int_equal(s.bad, 1);
	assert_int_equal(r.bad, 0);
	assert_int_equal(rd_u8(&r), 0x02);

	/* A sub of a bad cursor is bad and empty. */
	r = rd_make(bytes, 1);
	(void)rd_be16(&r);
	cut = 0;
	s = rd_sub(&r, 4, &cut);
	assert_int_equal(s.bad, 1);
	assert_int_equal(rd_left(&s), 0);
	assert_int_equal(cut, 1);
}

static void
test_at_offset_peek(void **state)
{
	(void)state;
	struct rd base = rd_make(bytes, 8);
	struct rd a;

	a = rd_at(&base, 0);
	assert_int_equal(a.bad, 0);
	assert_int_equal(rd_u8(&a), 0x01);
	a = rd_at(&base, 7);
	assert_int_equal(rd_u8(&a), 0x08);
	assert_int_equal(rd_offset(&base, &a), 8);
	a = rd_at(&base, 8);			/* at the end: empty but fine */
	assert_int_equal(a.bad, 0);
	assert_int_equal(rd_left(&a), 0);
	a = rd_at(&base, 9);			/* past the end */
	assert_int_equal(a.bad, 1);
	assert_int_equal(rd_left(&a), 0);
	a = rd_at(&base, SIZE_MAX);
	assert_int_equal(a.bad, 1);

	/* rd_at starts fresh even from a cursor that went bad later on. */
	struct rd moved = base;
	rd_skip(&moved, 3);
	assert_int_equal(rd_offset(&base, &moved), 3);
	moved.bad = 1;
	a = rd_at(&moved, 1);
	assert_int_equal(a.bad, 0);
	assert_int_equal(rd_u8(&a), 0x05);

	assert_int_equal(rd_peek(&base, 0), 0x01);
	assert_int_equal(rd_peek(&base, 7), 0x08);
	assert_int_equal(rd_peek(&base, 8), -1);
	assert_int_equal(rd_left(&base), 8);	/* peeking never moves */
}

static void
test_starts_span(void **state)
{
	(void)state;
	const uint8_t txt[] = "NOTIFY * HTTP/1.1";
	struct rd r = rd_make(txt, sizeof txt - 1);

	assert_true(rd_starts(&r, "NOTIFY ", 7));
	assert_false(rd_starts(&r, "M-SEARCH", 8));
	struct rd shortr = rd_make(txt, 3);
	assert_false(rd_starts(&shortr, "NOTIFY", 6));

	rd_skip(&r, 9);
	struct span s = rd_span(&r);
	assert_ptr_equal(s.p, txt + 9);
	assert_int_equal(s.n, 8);
	assert_memory_equal(s.p, "HTTP/1.1", 8);
}

static void
test_limit(void **state)
{
	(void)state;
	struct rd r = rd_make(bytes, 8);

	rd_limit(&r, 3);
	assert_int_equal(rd_left(&r), 3);
	rd_limit(&r, 100);			/* never grows */
	assert_int_equal(rd_left(&r), 3);
	assert_int_equal(rd_u8(&r), 0x01);
	rd_limit(&r, 2);
	assert_int_equal(rd_left(&r), 2);
	assert_int_equal(rd_be16(&r), 0x0203);
	assert_int_equal(rd_u8(&r), 0);		/* 0x04 is past the limit */
	assert_int_equal(r.bad, 1);
	r = rd_make(bytes, 8);
	rd_limit(&r, 0);
	assert_int_equal(rd_left(&r), 0);
}

static void
test_trim_tail(void **state)
{
	(void)state;
	struct rd r = rd_make(bytes, 8);

	rd_trim_tail(&r, 4);
	assert_int_equal(rd_left(&r), 4);
	assert_int_equal(rd_be32(&r), 0x01020304);
	assert_int_equal(r.bad, 0);
	assert_int_equal(rd_u8(&r), 0);

	r = rd_make(bytes, 8);
	rd_skip(&r, 5);
	rd_trim_tail(&r, 4);			/* fewer than 4 left: empty, not bad */
	assert_int_equal(rd_left(&r), 0);
	assert_int_equal(r.bad, 0);

	r = rd_make(bytes, 4);
	rd_trim_tail(&r, 4);
	assert_int_equal(rd_left(&r), 0);
}

static void
expect_line(struct rd *r, const char *want)
{
	struct span l;

	assert_int_equal(rd_line(r, &l), 1);
	assert_int_equal(l.n, strlen(want));
	if (l.n > 0)
		assert_memory_equal(l.p, want, l.n);
}

static void
test_line(void **state)
{
	(void)state;
	const char txt[] = "GET / HTTP/1.1\r\nHost: a\n\r\n\nlast";
	struct rd r = rd_make((const uint8_t *)txt, sizeof txt - 1);
	struct span l;

	expect_line(&r, "GET / HTTP/1.1");	/* CRLF */
	expect_line(&r, "Host: a");		/* bare LF */
	expect_line(&r, "");			/* CRLF alone */
	expect_line(&r, "");			/* LF alone */
	expect_line(&r, "last");		/* no terminator */
	assert_int_equal(rd_line(&r, &l), 0);
	assert_int_equal(r.bad, 0);

	/* A lone CR at the very end belongs to a line end and is dropped. */
	const char cr[] = "a\r";
	r = rd_make((const uint8_t *)cr, 2);
	expect_line(&r, "a");
	assert_int_equal(rd_line(&r, &l), 0);

	r = rd_make((const uint8_t *)txt, 0);
	assert_int_equal(rd_line(&r, &l), 0);

	const char nl[] = "\n";
	r = rd_make((const uint8_t *)nl, 1);
	expect_line(&r, "");
	assert_int_equal(rd_line(&r, &l), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_left_has),
		cmocka_unit_test(test_fixed_reads_exact_end),
		cmocka_unit_test(test_fixed_reads_one_past),
		cmocka_unit_test(test_bad_is_sticky),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_sub_exact_and_clamped),
		cmocka_unit_test(test_at_offset_peek),
		cmocka_unit_test(test_starts_span),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_trim_tail),
		cmocka_unit_test(test_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
