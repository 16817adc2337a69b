/*
 * test-report.c — --mask in the report writers (report.h): an HTTP Basic password shown
 * without it and hidden with it in the text, JSON and CSV reports; and a mask that cannot be
 * built refuses the report before its first byte, with one reason, in every format.  The test
 * binary is linked with -Wl,--wrap=calloc so a test can make a chosen calloc call fail.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "analysis.h"
#include "frames.h"
#include "obuf.h"
#include "report-par.h"
#include "report-rec.h"
#include "report.h"

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_PSH	0x08
#define TH_ACK	0x10

/* "admin:Tr0ub4dor-3xq" */
#define PASSWORD	"Tr0ub4dor-3xq"
#define TOKEN		"YWRtaW46VHIwdWI0ZG9yLTN4cQ=="
static const char request[] =
    "GET /snapshot.jpg HTTP/1.1\r\nHost: cam.example\r\n"
    "Authorization: Basic " TOKEN "\r\nAccept: */*\r\n\r\n";

static const char refused[] = "--mask: out of memory building the list of secrets to hide; "
    "no report written";

/* --- the calloc wrapper -------------------------------------------------------------------- */

void	*__real_calloc(size_t, size_t);
void	*__wrap_calloc(size_t, size_t);

/* On this thread only (the core may count on a thread of its own): */
static _Thread_local int calloc_fail_in;	/* the call that fails, 1 the next; 0 none */
static _Thread_local int calloc_failed;		/* calls failed so far */

void *
__wrap_calloc(size_t n, size_t size)
{
	if (calloc_fail_in > 0 && --calloc_fail_in == 0) {
		calloc_failed++;
		errno = ENOMEM;
		return NULL;
	}
	return __real_calloc(n, size);
}

/* --- the capture: a camera's GET with Basic credentials to 8.8.8.8:80 ----------------------- */

static void
seg(FILE *fp, int64_t us, int client, uint8_t flags, uint32_t seq, uint32_t ack,
    const char *data)
{
	uint8_t buf[512];
	struct fb f;
	struct fr_ip4 h = { .proto = 6 };
	struct fr_tcp t = { .flags = flags, .seq = seq, .ack = ack };

	memcpy(h.src, client ? fr_ip4_a : fr_ip4_b, 4);
	memcpy(h.dst, client ? fr_ip4_b : fr_ip4_a, 4);
	t.sport = client ? 40000 : 80;
	t.dport = client ? 80 : 40000;
	fb_init(&f, buf, sizeof buf);
	fr_ether(&f, client ? fr_mac_b : fr_mac_a, client ? fr_mac_a : fr_mac_b, NULL, 0, 0x0800);
	size_t ip = fr_ip4(&f, &h);
	fr_tcp(&f, &t);
	if (data != NULL)
		fb_put(&f, data, strlen(data));
	fr_ip4_done(&f, ip);
	fr_pcap_write(fp, us, buf, (uint32_t)f.len, (uint32_t)f.len);
}

static int
setup(void **state)
{
	struct fr_run *r;
	uint32_t c = 1000, s = 5000, n = sizeof request - 1;

	/* The developer's own patterns must not change what is found. */
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	if (fr_run_setup(state) != 0)
		return -1;
	r = *state;
	fr_run_open(r, DLT_EN10MB);
	seg(r->fp, 1000000, 1, TH_SYN, c, 0, NULL);
	seg(r->fp, 1010000, 0, TH_SYN | TH_ACK, s, c + 1, NULL);
	seg(r->fp, 1020000, 1, TH_ACK, c + 1, s + 1, NULL);
	seg(r->fp, 1030000, 1, TH_PSH | TH_ACK, c + 1, s + 1, request);
	seg(r->fp, 1040000, 0, TH_ACK, s + 1, c + 1 + n, NULL);
	seg(r->fp, 1050000, 1, TH_FIN | TH_ACK, c + 1 + n, s + 1, NULL);
	seg(r->fp, 1060000, 0, TH_FIN | TH_ACK, s + 1, c + 2 + n, NULL);
	seg(r->fp, 1070000, 1, TH_ACK, c + 2 + n, s + 2, NULL);
	fr_run_analyse(r, 64);
	return 0;
}

/* --- helpers ----------------------------------------------------------------------------- */

/* The whole of path, NUL-terminated, in a buffer the caller frees; NULL when unreadable. */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	return s;
}

/*
 * Writes the report in format fmt (mask on or off), failing calloc call fail_in (0: none);
 * returns report_write's answer and leaves in *text what a reader gets: the output stream for
 * text and JSON, findings.csv for CSV (NULL when the report made no CSV directory).
 */
static int
write_report(struct fr_run *r, enum report_format fmt, int mask, int fail_in, char *err,
    size_t errlen, char **text)
{
	char out[400], csvdir[400], path[500], *s;
	struct report_opts o = { .format = fmt, .mask = mask };
	FILE *fp;
	int rc;

	snprintf(out, sizeof out, "%s/report.out", r->dir);
	snprintf(csvdir, sizeof csvdir, "%s/csv", r->dir);
	o.outdir = csvdir;
	fp = fopen(out, "w");
	assert_non_null(fp);
	err[0] = '\0';
	calloc_failed = 0;
	calloc_fail_in = fail_in;
	rc = report_write(r->a, &o, fp, err, errlen);
	calloc_fail_in = 0;
	assert_int_equal(fclose(fp), 0);
	s = slurp(out);
	assert_non_null(s);
	unlink(out);
	if (fmt != REPORT_CSV) {
		*text = s;
		return rc;
	}
	assert_string_equal(s, "");		/* CSV goes to its directory only */
	free(s);
	*text = NULL;
	if (access(csvdir, F_OK) == 0) {
		snprintf(path, sizeof path, "%s/findings.csv", csvdir);
		*text = slurp(path);
		assert_non_null(*text);
		fr_tmpdir_rm(csvdir);
	}
	return rc;
}

static const enum report_format formats[] = { REPORT_TEXT, REPORT_JSON, REPORT_CSV };
static const char *const format_names[] = { "text", "json", "csv" };

/* --- tests ------------------------------------------------------------------------------- */

/* The capture's password shows in every format without --mask, and nowhere with it. */
static void
test_mask_hides(void **state)
{
	struct fr_run *r = *state;
	char err[256], *text;

	for (size_t i = 0; i < 3; i++) {
		print_message("%s\n", format_names[i]);
		assert_int_equal(write_report(r, formats[i], 0, 0, err, sizeof err, &text), 0);
		assert_non_null(text);
		assert_non_null(strstr(text, PASSWORD));
		assert_non_null(strstr(text, TOKEN));
		free(text);

		assert_int_equal(write_report(r, formats[i], 1, 0, err, sizeof err, &text), 0);
		assert_non_null(text);
		assert_null(strstr(text, PASSWORD));
		assert_null(strstr(text, TOKEN));
		assert_non_null(strstr(text, "(13)"));	/* the password's length is kept */
		free(text);
	}
}

/* Either of find_mask_new's allocations failing: -1, no mask, nothing leaked (ASan). */
static void
test_mask_new_fails(void **state)
{
	struct fr_run *r = *state;
	struct find_mask *m = (struct find_mask *)1;

	for (int call = 1; call <= 2; call++) {
		calloc_failed = 0;
		calloc_fail_in = call;
		assert_int_equal(find_mask_new(r->a, &m), -1);
		calloc_fail_in = 0;
		assert_int_equal(calloc_failed, 1);
		assert_null(m);
	}
	assert_int_equal(find_mask_new(r->a, &m), 0);
	assert_non_null(m);
	find_mask_free(m);
}

/*
 * The mask's allocation failing in report_write: -1 with the one reason, not a byte of the
 * report written (no CSV file either), in every format.
 */
static void
test_report_refused(void **state)
{
	struct fr_run *r = *state;
	char err[256], *text;

	for (size_t i = 0; i < 3; i++) {
		print_message("%s\n", format_names[i]);
		assert_int_equal(write_report(r, formats[i], 1, 1, err, sizeof err, &text), -1);
		assert_int_equal(calloc_failed, 1);
		assert_string_equal(err, refused);
		if (formats[i] == REPORT_CSV) {
			assert_null(text);		/* not even the directory */
		} else {
			assert_string_equal(text, "");
			free(text);
		}
	}
}

/* report_par: items formatted on any thread come out whole and in order. */
struct par_test {
	char	*out;
	size_t	 n, cap, nrec, calls, fail_at;
};

/* Writes the even items, "i\n" each: every other item is no record, as free flow slots. */
static size_t
par_fmt(void *ctx, size_t from, size_t to, struct obuf_mem *m)
{
	struct obuf o;
	size_t n = 0;

	(void)ctx;
	obuf_init_mem(&o, m);
	for (size_t i = from; i < to; i++)
		if (i % 2 == 0) {
			obuf_u64(&o, i);
			obuf_putc(&o, '\n');
			n++;
		}
	(void)obuf_flush(&o);
	return n;
}

static int
par_emit(void *ctx, const char *p, size_t n, size_t nrec)
{
	struct par_test *t = ctx;

	if (++t->calls == t->fail_at)
		return -1;
	if (t->cap - t->n < n) {
		t->cap = 2 * (t->n + n);
		t->out = realloc(t->out, t->cap);
		assert_non_null(t->out);
	}
	memcpy(t->out + t->n, p, n);
	t->n += n;
	t->nrec += nrec;
	return 0;
}

static void
test_par_order(void **state)
{
	enum { R = REPORT_PAR_RANGE };
	static const size_t sizes[] = { 0, 1, R - 1, R, R + 1, 4 * R - 1, 4 * R + 1, 100 * R + 1 };

	(void)state;
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		for (size_t fail = 0; fail < 3; fail += 2) {
			struct par_test t = { .fail_at = fail };
			int rc = report_par(sizes[s], par_fmt, par_emit, &t);
			size_t ranges = (sizes[s] + R - 1) / R;
			assert_int_equal(t.calls, ranges);
			assert_int_equal(rc, fail != 0 && ranges >= fail ? -1 : 0);
			/* Every item's line in order, but the failed range's. */
			size_t want = 0, off = 0;
			for (size_t i = 0; i < sizes[s]; i += 2) {
				if (fail != 0 && i / R == fail - 1)
					continue;
				char line[32];
				int k = snprintf(line, sizeof line, "%zu\n", i);
				assert_true(off + (size_t)k <= t.n);
				assert_memory_equal(t.out + off, line, (size_t)k);
				off += (size_t)k;
				want++;
			}
			assert_int_equal(off, t.n);
			assert_int_equal(t.nrec, want);
			free(t.out);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mask_hides, setup, fr_run_teardown),
		cmocka_unit_test_setup_teardown(test_mask_new_fails, setup, fr_run_teardown),
		cmocka_unit_test_setup_teardown(test_report_refused, setup, fr_run_teardown),
		cmocka_unit_test(test_par_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
