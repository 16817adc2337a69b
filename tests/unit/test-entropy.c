/*
 * test-entropy.c — byte histograms and their figures (entropy.h) against values worked out
 * by hand or by `ent -t`, the 16-bit bins' flush across chunk sizes, histogram sums, the
 * expected entropy of random bytes (exact sum and Monte Carlo), the chi-square tail against
 * closed forms and numeric integration, and the entropy windows of the heatmap.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "entropy.h"

/* cmocka 1.1 compares floats only: a double comparison that prints both values. */
#define assert_near(a, b, eps) do {					\
	double a_ = (a), b_ = (b), e_ = (eps);				\
	if (!(fabs(a_ - b_) <= e_))					\
		fail_msg("%s = %.15g, want %.15g within %g", #a, a_, b_, e_);	\
} while (0)

/* splitmix64: a fixed-seed generator of our own, so every run sees the same bytes. */
static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_fill(uint64_t *s, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(rng_next(s) >> 56);
}

static void
count_bytes(struct hist *h, const void *p, size_t n)
{
	struct span s = { p, n };

	entropy_count(h, s);
}

/* Shannon entropy from plain counts, written independently of entropy.c. */
static double
own_entropy(const uint64_t *c, uint64_t n)
{
	double h = 0;

	for (int i = 0; i < 256; i++)
		if (c[i] != 0) {
			double p = (double)c[i] / (double)n;
			h -= p * log(p);
		}
	return h / log(2.0);
}

static void
assert_hist_equal(const struct hist *a, const struct hist *b)
{
	assert_int_equal(a->total, b->total);
	for (int i = 0; i < 256; i++)
		if (hist_bin(a, i) != hist_bin(b, i))
			fail_msg("bin %d: %llu != %llu", i, (unsigned long long)hist_bin(a, i),
			    (unsigned long long)hist_bin(b, i));
}

static void
test_empty(void **state)
{
	(void)state;
	struct hist h;
	struct ent_figures f;

	hist_init(&h);
	count_bytes(&h, "", 0);
	assert_null(h.hot);			/* nothing counted, nothing allocated */
	for (int i = 0; i < 256; i++)
		assert_int_equal(hist_bin(&h, i), 0);
	entropy_figures(&h, &f);
	assert_int_equal(f.n, 0);
	assert_true(f.entropy == 0);
	assert_true(f.chisq == 0);
	assert_true(f.mean == 0);
	assert_true(f.printable == 0);
	assert_true(f.expected == 0);
	hist_fini(&h);
	hist_fini(&h);				/* twice: fini leaves an empty histogram */
}

static void
test_single_byte(void **state)
{
	(void)state;
	static const size_t sizes[] = { 1, 5, 256, 1000, 70000 };
	static const uint8_t values[] = { 'A', 0x00, 0xff };

	for (size_t v = 0; v < sizeof values / sizeof *values; v++)
		for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
			size_t n = sizes[k];
			uint8_t *buf = malloc(n);
			struct hist h;
			struct ent_figures f;

			memset(buf, values[v], n);
			hist_init(&h);
			count_bytes(&h, buf, n);
			entropy_figures(&h, &f);
			/* (n - n/256)^2 / (n/256) + 255 (n/256) = 255 n exactly */
			double e = (double)n / 256;
			double chi = ((double)n - e) * ((double)n - e) / e + 255 * e;
			assert_int_equal(f.n, n);
			assert_true(f.entropy == 0);
			assert_near(f.chisq, chi, chi * 1e-12);
			assert_near(f.chisq, 255.0 * (double)n, chi * 1e-12);
			assert_near(f.mean, values[v], 1e-12);
			assert_near(f.printable, values[v] == 'A' ? 1 : 0, 0);
			if (n >= 256)
				assert_true(f.chisq_p < 1e-100);
			assert_int_equal(hist_bin(&h, values[v]), n);
			hist_fini(&h);
			free(buf);
		}
}

static void
test_all_values(void **state)
{
	(void)state;
	uint8_t buf[256];
	struct hist h;
	struct ent_figures f;

	for (int i = 0; i < 256; i++)
		buf[i] = (uint8_t)i;
	hist_init(&h);
	count_bytes(&h, buf, sizeof buf);
	entropy_figures(&h, &f);
	assert_int_equal(f.n, 256);
	assert_near(f.entropy, 8.0, 1e-12);
	assert_near(f.chisq, 0.0, 1e-12);
	assert_near(f.mean, 127.5, 1e-12);
	assert_near(f.chisq_p, 1.0, 1e-9);
	/* 0x20..0x7e, tab, LF, CR */
	assert_near(f.printable, 98.0 / 256, 1e-12);
	assert_near(f.expected, entropy_expected_random(256), 0);
	hist_fini(&h);
}

/* What `printf 'test\n' | ent -t` prints: 5,1.921928,353.400000,91.600000. */
static void
test_ent_reference(void **state)
{
	(void)state;
	struct hist h;
	struct ent_figures f;

	hist_init(&h);
	count_bytes(&h, "test\n", 5);
	entropy_figures(&h, &f);
	assert_int_equal(f.n, 5);
	assert_near(f.entropy, 1.921928, 5e-7);
	assert_near(f.chisq, 353.4, 1e-9);
	assert_near(f.mean, 91.6, 1e-9);
	assert_near(f.printable, 1.0, 0);
	/* ent: "would exceed this value less than 0.01 percent of the times" */
	assert_true(f.chisq_p > 0 && f.chisq_p < 1e-4);
	hist_fini(&h);
}

static void
test_printable(void **state)
{
	(void)state;
	/* 12 printable (space, '~', tab, CR, LF among them), 4 not (NUL, VT, DEL, 0x80). */
	static const uint8_t buf[] = { 'a', 'b', ' ', '~', '\t', '\r', '\n', '0', '!', 'Z', '{',
		'}', 0x00, 0x0b, 0x7f, 0x80 };
	struct hist h;
	struct ent_figures f;

	hist_init(&h);
	count_bytes(&h, buf, sizeof buf);
	entropy_figures(&h, &f);
	assert_near(f.printable, 12.0 / 16, 1e-12);
	assert_near(f.entropy, 4.0, 1e-12);	/* 16 distinct bytes */
	hist_fini(&h);
}

/* 200,000 bytes in chunks of each size: the 16-bit bins flush every 65535 bytes. */
static void
test_flush(void **state)
{
	(void)state;
	static const size_t chunks[] = { 1, 7, 65535, 65536, 100000, 200000 };
	const size_t total = 200000;
	uint8_t *buf = malloc(total);

	memset(buf, 0x41, total);
	for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
		struct hist h;
		struct ent_figures f;

		hist_init(&h);
		for (size_t done = 0; done < total; ) {
			size_t k = total - done < chunks[c] ? total - done : chunks[c];
			count_bytes(&h, buf + done, k);
			done += k;
			assert_true(h.hot_total < 65535);
			assert_int_equal(h.total, done);
			assert_int_equal(hist_bin(&h, 0x41), done);
		}
		assert_int_equal(h.total, total);
		assert_int_equal(hist_bin(&h, 0x41), total);
		assert_int_equal(hist_bin(&h, 0x40), 0);
		entropy_figures(&h, &f);
		assert_true(f.entropy == 0);
		assert_near(f.chisq, 255.0 * total, 1e-6);
		hist_fini(&h);
	}
	free(buf);
}

/* Random bytes in odd chunks against our own counts. */
static void
test_random_counts(void **state)
{
	(void)state;
	const size_t total = 300000;
	uint8_t *buf = malloc(total);
	uint64_t seed = 7, c[256] = { 0 };
	struct hist h;
	struct ent_figures f;
	double sum = 0;

	rng_fill(&seed, buf, total);
	for (size_t i = 0; i < total; i++) {
		c[buf[i]]++;
		sum += buf[i];
	}
	hist_init(&h);
	for (size_t done = 0, k = 1; done < total; k = k * 3 + 1) {
		size_t n = total - done < k % 70001 ? total - done : k % 70001;
		count_bytes(&h, buf + done, n);
		done += n;
	}
	for (int i = 0; i < 256; i++)
		assert_int_equal(hist_bin(&h, i), c[i]);
	entropy_figures(&h, &f);
	assert_near(f.entropy, own_entropy(c, total), 1e-10);
	assert_near(f.mean, sum / (double)total, 1e-9);
	assert_true(f.entropy > 7.99);
	assert_true(f.chisq_p > 0.001 && f.chisq_p < 0.999);
	hist_fini(&h);
	free(buf);
}

static void
test_hist_add(void **state)
{
	(void)state;
	const size_t nx = 1000, ny = 150000;
	uint8_t *buf = malloc(nx + ny);
	uint64_t seed = 11;
	struct hist a, b, cat, sum;
	struct ent_figures fa, fc;

	rng_fill(&seed, buf, nx + ny);
	memset(buf + nx, 'x', 20000);		/* skew y a little */
	hist_init(&a);
	hist_init(&b);
	hist_init(&cat);
	hist_init(&sum);
	count_bytes(&a, buf, nx);
	count_bytes(&b, buf + nx, ny);
	count_bytes(&cat, buf, nx + ny);
	hist_add(&a, &b);
	assert_hist_equal(&a, &cat);
	entropy_figures(&a, &fa);
	entropy_figures(&cat, &fc);
	assert_near(fa.entropy, fc.entropy, 1e-12);
	assert_near(fa.chisq, fc.chisq, 1e-6);
	assert_near(fa.mean, fc.mean, 1e-12);

	/* Into an empty histogram, an empty one added, then more bytes counted on top. */
	hist_add(&sum, &b);
	hist_add(&sum, &cat);
	{
		struct hist empty;
		hist_init(&empty);
		hist_add(&sum, &empty);
		hist_fini(&empty);
	}
	count_bytes(&b, buf, nx + ny);		/* b + cat in one: y, x, y */
	assert_hist_equal(&sum, &b);
	count_bytes(&sum, buf, 500);		/* counting on top of added bins */
	count_bytes(&b, buf, 500);
	assert_hist_equal(&sum, &b);
	hist_fini(&a);
	hist_fini(&b);
	hist_fini(&cat);
	hist_fini(&sum);
	free(buf);
}

/*
 * Up to HIST_RAW_MAX bytes are kept as they are, in the smallest power of two from 32 that
 * holds them; one more and they become 8-bit bins.  At every count of bytes, whole or in
 * pieces, the bins, the sums into another histogram and the figures equal those of plain
 * counts.
 */
static void
test_raw(void **state)
{
	(void)state;
	uint8_t buf[400];
	uint64_t seed = 29;

	rng_fill(&seed, buf, sizeof buf);
	for (size_t n = 1; n <= sizeof buf; n++) {
		for (size_t piece = 1; piece <= n; piece = piece * 3 + 1) {
			struct hist h, sum;
			uint64_t c[256] = { 0 };
			hist_init(&h);
			for (size_t o = 0; o < n; o += piece)
				count_bytes(&h, buf + o, n - o < piece ? n - o : piece);
			for (size_t i = 0; i < n; i++)
				c[buf[i]]++;
			if (n <= HIST_RAW_MAX) {
				size_t room = 32;
				while (room < n)
					room *= 2;
				assert_int_equal((size_t)1 << h.raw, room);
				assert_true(h.narrow);
			} else
				assert_int_equal(h.raw, 0);
			assert_int_equal(h.total, n);
			for (int i = 0; i < 256; i++)
				assert_int_equal(hist_bin(&h, i), c[i]);
			hist_init(&sum);
			hist_add(&sum, &h);
			uint64_t got[256] = { 0 };
			assert_int_equal(hist_counts(&h, got), n);
			for (int i = 0; i < 256; i++) {
				assert_int_equal(hist_bin(&sum, i), c[i]);
				assert_int_equal(got[i], c[i]);
			}
			struct ent_figures f;
			entropy_figures(&h, &f);
			assert_near(f.entropy, own_entropy(c, n), 1e-12);
			hist_fini(&h);
			hist_fini(&sum);
		}
	}
}

/*
 * A direction's first 255 bytes sit in 8-bit bins, widened when more come: at every split of
 * a stream into pieces (one byte value 255 times included, the most an 8-bit bin holds)
 * the bins, totals and figures equal those of one count of the whole.
 */
static void
test_narrow(void **state)
{
	(void)state;
	const size_t n = 700;
	uint8_t buf[700];
	uint64_t seed = 17;
	struct ent_figures fw, fp;

	rng_fill(&seed, buf, n);
	memset(buf + 100, 'z', 255);
	{
		struct hist h;
		hist_init(&h);
		count_bytes(&h, buf + 100, 255);	/* one bin at 255: still narrow */
		assert_true(h.narrow);
		assert_int_equal(hist_bin(&h, 'z'), 255);
		count_bytes(&h, buf, 1);		/* the 256th byte widens */
		assert_false(h.narrow);
		assert_int_equal(hist_bin(&h, 'z'), 255 + (buf[0] == 'z'));
		hist_fini(&h);
	}
	{
		struct hist h;
		hist_init(&h);
		count_bytes(&h, buf, 256);		/* more than 255 at once: wide at once */
		assert_false(h.narrow);
		hist_fini(&h);
	}
	struct hist whole;
	hist_init(&whole);
	count_bytes(&whole, buf, n);
	entropy_figures(&whole, &fw);
	for (size_t cut = 0; cut <= n; cut += 7) {
		for (size_t piece = 1; piece <= 300; piece = piece * 2 + 1) {
			struct hist h, sum;
			hist_init(&h);
			hist_init(&sum);
			for (size_t o = 0; o < cut; o += piece)
				count_bytes(&h, buf + o, cut - o < piece ? cut - o : piece);
			if (cut > 0 && cut <= 255)
				assert_true(h.narrow);
			if (cut > 255)
				assert_false(h.narrow);
			count_bytes(&h, buf + cut, n - cut);
			assert_hist_equal(&h, &whole);
			entropy_figures(&h, &fp);
			assert_near(fp.entropy, fw.entropy, 1e-12);
			assert_near(fp.chisq, fw.chisq, 1e-9);
			/* Added into another histogram as it stands, narrow or not. */
			struct hist part;
			hist_init(&part);
			count_bytes(&part, buf, cut);
			hist_add(&sum, &part);
			count_bytes(&sum, buf + cut, n - cut);
			assert_hist_equal(&sum, &whole);
			hist_fini(&part);
			hist_fini(&h);
			hist_fini(&sum);
		}
	}
	hist_fini(&whole);
}

/* hist_counts adds hot and flushed bins alike; entropy_of_counts64 is entropy_figures' entropy. */
static void
test_counts64(void **state)
{
	(void)state;
	const size_t n = 200000;
	uint8_t *buf = malloc(n);
	uint64_t seed = 13, c[256] = { 0 }, got[256] = { 0 };
	struct hist a, b;
	struct ent_figures f;

	rng_fill(&seed, buf, n);
	memset(buf, 'a', 30000);		/* skewed, so the entropy is not 8 */
	for (size_t i = 0; i < n; i++)
		c[buf[i]]++;
	hist_init(&a);
	hist_init(&b);
	assert_int_equal(hist_counts(&a, got), 0);	/* empty: nothing added */
	count_bytes(&a, buf, 150000);			/* past a hot flush */
	count_bytes(&b, buf + 150000, n - 150000);
	assert_int_equal(hist_counts(&a, got) + hist_counts(&b, got), n);
	for (int i = 0; i < 256; i++)
		assert_int_equal(got[i], c[i]);
	hist_add(&a, &b);
	entropy_figures(&a, &f);
	assert_true(f.entropy < 7.9);
	assert_near(entropy_of_counts64(got, n), f.entropy, 1e-12);
	assert_near(entropy_of_counts64(got, n), own_entropy(c, n), 1e-10);
	assert_true(entropy_of_counts64(got, 0) == 0);

	/* With a table of k log2 k: the same within 1e-12, counts in and past the table. */
	double clog[1024];
	clog[0] = 0;
	for (int k = 1; k < 1024; k++)
		clog[k] = k * log2((double)k);
	assert_near(entropy_of_counts64_tab(got, n, clog, 1024), f.entropy, 1e-12);
	for (int round = 0; round < 200; round++) {
		uint64_t cc[256] = { 0 }, tot = 0;
		int spread = 1 + (int)(rng_next(&seed) % 256);
		for (int i = 0; i < spread; i++) {
			uint64_t k = rng_next(&seed) % (round % 2 ? 3000 : 300);
			cc[rng_next(&seed) % 256] += k;
			tot += k;
		}
		assert_near(entropy_of_counts64_tab(cc, tot, clog, 1024),
		    entropy_of_counts64(cc, tot), 1e-12);
	}
	uint64_t one[256] = { 0 };
	one['x'] = 5000;
	assert_true(entropy_of_counts64_tab(one, 5000, clog, 1024) == 0);
	one['x'] = 7;
	assert_true(entropy_of_counts64_tab(one, 7, clog, 1024) == 0);
	hist_fini(&a);
	hist_fini(&b);
	free(buf);
}

/* E[H] of n uniform bytes from the binomial pmf by recurrence, not lgamma. */
static double
own_expected(unsigned n)
{
	long double p = 1.0L / 256, q = 1 - p, pmf = powl(q, n), acc = 0;

	for (unsigned k = 0; k <= n; k++) {
		if (k > 0) {
			long double x = (long double)k / n;
			acc += pmf * x * log2l(x);
		}
		pmf *= (long double)(n - k) / (k + 1) * p / q;
	}
	return (double)(-256 * acc);
}

static void
test_expected_values(void **state)
{
	(void)state;
	static const struct {
		uint64_t	 n;
		double		 approx;
	} cases[] = { { 64, 5.8 }, { 128, 6.6 }, { 256, 7.2 }, { 1460, 7.9 } };

	assert_true(entropy_expected_random(0) == 0);
	assert_near(entropy_expected_random(1), 0, 1e-12);
	assert_near(entropy_expected_random(2), 255.0 / 256, 1e-12);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		double e = entropy_expected_random(cases[i].n);
		assert_near(e, cases[i].approx, 0.05);
		assert_near(e, own_expected((unsigned)cases[i].n), 1e-9);
	}
	for (unsigned n = 3; n <= 4000; n += 97)
		assert_near(entropy_expected_random(n), own_expected(n), 1e-9);
	/* Large n: 8 - 255 / (2 n ln 2), the first-order bias of the plug-in estimate. */
	assert_near(entropy_expected_random(1000000), 8 - 255 / (2e6 * log(2.0)), 1e-6);
}

static void
test_expected_monotonic(void **state)
{
	(void)state;
	double prev = 0;

	for (uint64_t n = 1; n <= 3000; n++) {
		double e = entropy_expected_random(n);
		if (!(e > prev || n == 1))
			fail_msg("E[H](%llu) = %.12f not above %.12f", (unsigned long long)n, e,
			    prev);
		assert_true(e < 8);
		prev = e;
	}
	for (uint64_t n = 4000; n <= 1000000; n = n * 3 / 2) {
		double e = entropy_expected_random(n);
		assert_true(e > prev && e < 8);
		prev = e;
	}
	double e = entropy_expected_random(1000000000ULL);
	assert_true(isfinite(e));
	assert_true(e > 7.9999);
}

/*
 * Past a million bytes E[H] is 8 - 255 / (2 n ln 2) to better than 1e-8 (the next term is
 * 65535 / (12 n^2) nats), so it stays below 8 and keeps rising.  The plain lgamma sum lost
 * ~1e-5 to cancellation there (lgamma(n + 1) is ~4e10 at n = 2e9) and went past 8.
 */
static void
test_expected_large_n(void **state)
{
	(void)state;
	double prev = entropy_expected_random(1000000) - 1e-9;

	/* No step where the method may change (the sum below, a series above). */
	assert_near(entropy_expected_random(999999), entropy_expected_random(1000000), 1e-8);
	assert_near(entropy_expected_random(999999), 8 - 255 / (2 * 999999.0 * log(2.0)), 1e-8);

	for (uint64_t n = 1000000; n <= 4000000000ULL; n = n * 3 / 2) {
		double e = entropy_expected_random(n), want = 8 - 255 / (2 * (double)n * log(2.0));
		if (!(e < 8 && e >= prev && fabs(e - want) < 1e-6))
			fail_msg("E[H](%llu) = %.12f: want %.12f (< 8, >= %.12f for n / 1.5)",
			    (unsigned long long)n, e, want, prev);
		prev = e;
	}
}

/* Mean entropy of 2000 random samples of n bytes against the exact expectation. */
static void
test_expected_monte_carlo(void **state)
{
	(void)state;
	static const unsigned sizes[] = { 64, 256 };
	uint64_t seed = 12345;
	uint8_t buf[256];

	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		unsigned n = sizes[k];
		double sum = 0;
		for (int t = 0; t < 2000; t++) {
			uint64_t c[256] = { 0 };
			rng_fill(&seed, buf, n);
			for (unsigned i = 0; i < n; i++)
				c[buf[i]]++;
			sum += own_entropy(c, n);
		}
		assert_near(sum / 2000, entropy_expected_random(n), 0.02);
	}
}

/* The chi-square survival function by Simpson's rule over its density (log space). */
static double
tail_numeric(double x, double k)
{
	const int steps = 200000;
	double lnorm = -(k / 2) * log(2.0) - lgamma(k / 2);
	double hi = x + 60 * sqrt(2 * k) + 200, h = (hi - x) / steps, s = 0;

	for (int i = 0; i <= steps; i++) {
		double t = x + i * h;
		double f = exp(lnorm + (k / 2 - 1) * log(t) - t / 2);
		s += f * (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2);
	}
	return s * h / 3;
}

static void
test_chisq_survival(void **state)
{
	(void)state;
	static const double k255[] = { 150, 200, 240, 255, 256.9, 257.1, 270, 300, 350, 420 };
	static const double k2[] = { 0.001, 0.1, 1, 2, 3.9, 4.1, 10, 50, 200, 1000 };
	static const double k1[] = { 0.5, 1, 2, 2.706, 3.841459, 6.634897 };

	assert_true(chisq_survival(0, 255) == 1);
	assert_true(chisq_survival(-3, 255) == 1);
	double mid = chisq_survival(255, 255);
	assert_true(mid > 0.48 && mid < 0.49);
	double huge = chisq_survival(1e6, 255);
	assert_true(huge >= 0 && huge < 1e-300);
	huge = chisq_survival(1e12, 255);
	assert_true(huge >= 0 && huge < 1e-300);

	for (size_t i = 0; i < sizeof k255 / sizeof *k255; i++) {
		double got = chisq_survival(k255[i], 255), want = tail_numeric(k255[i], 255);
		if (fabs(got - want) > 1e-8)
			fail_msg("Q(%g; 255) = %.12g, integral %.12g", k255[i], got, want);
	}
	/* k = 2: exp(-x/2); k = 4: exp(-x/2)(1 + x/2); exactly. */
	for (size_t i = 0; i < sizeof k2 / sizeof *k2; i++) {
		double x = k2[i], e2 = exp(-x / 2), e4 = exp(-x / 2) * (1 + x / 2);
		assert_near(chisq_survival(x, 2), e2, e2 * 1e-12 + 1e-300);
		assert_near(chisq_survival(x, 4), e4, e4 * 1e-12 + 1e-300);
	}
	/* k = 1: erfc(sqrt(x/2)), and the integral where the density is smooth. */
	for (size_t i = 0; i < sizeof k1 / sizeof *k1; i++) {
		double x = k1[i], want = erfc(sqrt(x / 2));
		assert_near(chisq_survival(x, 1), want, 1e-12);
		assert_near(chisq_survival(x, 1), tail_numeric(x, 1), 1e-8);
	}
	assert_near(chisq_survival(3.841459, 1), 0.05, 1e-6);
	assert_near(chisq_survival(6.634897, 1), 0.01, 1e-6);
	/* Continuous across the switch from the series to the continued fraction (x = k + 2). */
	assert_near(chisq_survival(256.999999, 255), chisq_survival(257.000001, 255),
	    1e-7);
}

/* A window's entropy as the windows keep it (a float). */
static double
window_entropy(const uint8_t *p, size_t n)
{
	uint64_t c[256] = { 0 };

	for (size_t i = 0; i < n; i++)
		c[p[i]]++;
	return (float)own_entropy(c, n);
}

static void
test_windows(void **state)
{
	(void)state;
	uint8_t buf[4096 + 100];
	uint64_t seed = 99;
	struct ent_windows w;

	memset(buf, 0, 1024);				/* 0 bits */
	for (int i = 0; i < 1024; i++) {
		buf[1024 + i] = (uint8_t)(i % 16);	/* 4 bits: 128 */
		buf[2048 + i] = (uint8_t)(i % 2 ? 'a' : 'b');	/* 1 bit: 32 */
		buf[3072 + i] = (uint8_t)i;		/* 8 bits */
	}
	rng_fill(&seed, buf + 4096, 100);

	/* One span, then the same bytes in chunks that straddle the windows. */
	for (int pass = 0; pass < 2; pass++) {
		ent_windows_init(&w, 1024);
		assert_true(ent_windows_partial(&w) == 0);
		if (pass == 0)
			ent_windows_add(&w, (struct span){ buf, 4096 });
		else
			for (size_t off = 0; off < 4096; off += 1000) {
				size_t n = 4096 - off < 1000 ? 4096 - off : 1000;
				ent_windows_add(&w, (struct span){ buf + off, n });
			}
		assert_int_equal(w.n, 4);
		assert_int_equal(w.fill, 0);
		assert_true(ent_windows_partial(&w) == 0);
		assert_near(w.v[0], 0, 1e-6);
		assert_near(w.v[1], 4, 1e-6);
		assert_near(w.v[2], 1, 1e-6);
		assert_near(w.v[3], 8, 1e-6);
		for (int i = 0; i < 4; i++)
			assert_near(w.v[i], window_entropy(buf + i * 1024, 1024), 1e-7);
		ent_windows_add(&w, (struct span){ buf + 4096, 100 });
		assert_int_equal(w.n, 4);
		assert_int_equal(w.fill, 100);
		uint64_t c[256] = { 0 };
		for (int i = 0; i < 100; i++)
			c[buf[4096 + i]]++;
		assert_near(ent_windows_partial(&w), own_entropy(c, 100), 1e-12);
		assert_int_equal(w.dropped, 0);
		ent_windows_fini(&w);
	}

	/* Random windows; sizes out of range fall back to 1024. */
	static uint8_t rnd[64 * 512];
	rng_fill(&seed, rnd, sizeof rnd);
	ent_windows_init(&w, 512);
	ent_windows_add(&w, (struct span){ rnd, sizeof rnd });
	assert_int_equal(w.n, 64);
	for (int i = 0; i < 64; i++)
		assert_near(w.v[i], window_entropy(rnd + i * 512, 512), 1e-7);
	ent_windows_fini(&w);
	ent_windows_init(&w, 0);
	assert_int_equal(w.size, 1024);
	ent_windows_add(&w, (struct span){ rnd, 0 });
	assert_null(w.cur);
	ent_windows_fini(&w);
	ent_windows_init(&w, 70000);
	assert_int_equal(w.size, 1024);
	ent_windows_fini(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_single_byte),
		cmocka_unit_test(test_all_values),
		cmocka_unit_test(test_ent_reference),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_random_counts),
		cmocka_unit_test(test_hist_add),
		cmocka_unit_test(test_counts64),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_narrow),
		cmocka_unit_test(test_expected_values),
		cmocka_unit_test(test_expected_monotonic),
		cmocka_unit_test(test_expected_large_n),
		cmocka_unit_test(test_expected_monte_carlo),
		cmocka_unit_test(test_chisq_survival),
		cmocka_unit_test(test_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
