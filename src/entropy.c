/*
 * entropy.c — histograms and the figures drawn from them (see entropy.h).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "entropy.h"
#include "xalloc.h"

void
hist_init(struct hist *h)
{
	memset(h, 0, sizeof *h);
}

void
hist_fini(struct hist *h)
{
	free(h->hot);
	free(h->cold);
	memset(h, 0, sizeof *h);
}

static void
flush(struct hist *h)
{
	if (h->cold == NULL)
		h->cold = xcalloc(256, sizeof *h->cold);
	for (int i = 0; i < 256; i++)
		h->cold[i] += h->hot[i];
	memset(h->hot, 0, 256 * sizeof *h->hot);
	h->hot_total = 0;
}

/*
 * The hot loop.  Four bytes per round into one table: the increments of a round are
 * independent unless bytes repeat; the run is cut where the 16-bit bins could overflow.
 */
static void
count16(uint16_t *c, const uint8_t *p, size_t n)
{
	size_t i = 0;
	for (; i + 4 <= n; i += 4) {
		c[p[i]]++;
		c[p[i + 1]]++;
		c[p[i + 2]]++;
		c[p[i + 3]]++;
	}
	for (; i < n; i++)
		c[p[i]]++;
}

/* From 8-bit bins to 16-bit ones, when a narrow histogram is about to hold too much. */
static void
widen(struct hist *h)
{
	uint16_t *w = xaligned(64, 256 * sizeof *w);
	for (int i = 0; i < 256; i++)
		w[i] = h->hot8[i];
	free(h->hot8);
	h->hot = w;
	h->narrow = 0;
}

/* From the bytes kept as they are to 8-bit bins. */
static void
unraw(struct hist *h)
{
	uint8_t *b = xaligned(64, 256);
	memset(b, 0, 256);
	for (uint32_t i = 0; i < h->hot_total; i++)
		b[h->hot8[i]]++;
	free(h->hot8);
	h->hot8 = b;
	h->raw = 0;
}

/*
 * Appends to the bytes kept as they are when they fit, in room doubled as needed; 0 when
 * they do not (the caller counts them into bins).
 */
static int
keep_raw(struct hist *h, const uint8_t *p, size_t n)
{
	size_t have = h->hot == NULL ? 0 : h->hot_total;
	if (have + n > HIST_RAW_MAX || (h->hot != NULL && !h->raw))
		return 0;
	unsigned lg = h->hot == NULL ? HIST_RAW_MIN_LOG : h->raw;
	while ((1u << lg) < have + n)
		lg++;
	if (h->hot == NULL)
		h->hot8 = xmalloc((size_t)1 << lg);
	else if (lg != h->raw)
		h->hot8 = xrealloc(h->hot8, (size_t)1 << lg);
	memcpy(h->hot8 + have, p, n);
	h->raw = (uint8_t)lg;
	h->narrow = 1;
	h->hot_total = (uint32_t)(have + n);
	h->total += n;
	return 1;
}

void
entropy_count(struct hist *h, struct span s)
{
	const uint8_t *p = s.p;
	size_t n = s.n;

	if (n == 0 || keep_raw(h, p, n))
		return;
	if (h->raw)
		unraw(h);
	if (h->hot == NULL) {
		h->narrow = n <= HIST_NARROW_MAX;
		h->hot = xaligned(64, 256 * (h->narrow ? 1 : sizeof *h->hot));
	} else if (h->narrow && h->hot_total + n > HIST_NARROW_MAX)
		widen(h);
	h->total += n;
	if (h->narrow) {
		/* No bin can pass hot_total, which stays within 8 bits. */
		for (size_t i = 0; i < n; i++)
			h->hot8[p[i]]++;
		h->hot_total += (uint32_t)n;
		return;
	}
	while (n > 0) {
		size_t room = 65535 - h->hot_total;
		size_t k = n < room ? n : room;
		count16(h->hot, p, k);
		h->hot_total += (uint32_t)k;
		p += k;
		n -= k;
		if (h->hot_total == 65535)
			flush(h);
	}
}

void
hist_prefetch(const struct hist *h)
{
	const char *t = (const char *)h->hot;
	if (t == NULL)
		return;
	for (int i = 0; i < (h->raw ? 1 << h->raw : h->narrow ? 256 : 512); i += 64)
		__builtin_prefetch(t + i, 1);
}

uint64_t
hist_bin(const struct hist *h, int i)
{
	uint64_t hot = 0;
	if (h->raw) {
		for (uint32_t k = 0; k < h->hot_total; k++)
			hot += h->hot8[k] == i;
	} else if (h->hot != NULL)
		hot = h->narrow ? h->hot8[i] : h->hot[i];
	return (h->cold != NULL ? h->cold[i] : 0) + hot;
}

/*
 * 8-bit bins into 64-bit ones, eight at a time skipped when all zero: a narrow histogram
 * holds at most 255 bytes, mostly of a few ranges (text), and panes add up every flow's.
 */
static void
add_narrow(uint64_t *to, const uint8_t *b8)
{
	for (int w = 0; w < 256; w += 8) {
		uint64_t x;
		memcpy(&x, b8 + w, sizeof x);
		if (x == 0)
			continue;
		for (int k = 0; k < 8; k++)
			to[w + k] += b8[w + k];
	}
}

/* Adds the hot bins, of either width, or the bytes kept as they are. */
static void
hist_counts_hot(const struct hist *h, uint64_t cnt[256])
{
	if (h->raw)
		for (uint32_t k = 0; k < h->hot_total; k++)
			cnt[h->hot8[k]]++;
	else if (h->hot != NULL && h->narrow)
		add_narrow(cnt, h->hot8);
	else if (h->hot != NULL)
		for (int i = 0; i < 256; i++)
			cnt[i] += h->hot[i];
}

/* One loop per table, tested once: reports add up thousands of these. */
void
hist_add(struct hist *a, const struct hist *b)
{
	if (b->total == 0)
		return;
	if (a->cold == NULL)
		a->cold = xcalloc(256, sizeof *a->cold);
	if (b->cold != NULL)
		for (int i = 0; i < 256; i++)
			a->cold[i] += b->cold[i];
	hist_counts_hot(b, a->cold);
	a->total += b->total;
}

uint64_t
hist_counts(const struct hist *h, uint64_t cnt[256])
{
	if (h->total == 0)
		return 0;
	if (h->cold != NULL)
		for (int i = 0; i < 256; i++)
			cnt[i] += h->cold[i];
	hist_counts_hot(h, cnt);
	return h->total;
}

static int
printable_byte(int i)
{
	return (i >= 0x20 && i < 0x7f) || i == '\t' || i == '\r' || i == '\n';
}

void
entropy_figures(const struct hist *h, struct ent_figures *f)
{
	double n = (double)h->total, e = n / 256.0, sum = 0, chi = 0, ent = 0, pr = 0;

	memset(f, 0, sizeof *f);
	f->n = h->total;
	f->expected = entropy_expected_random(h->total);
	if (h->total == 0)
		return;		/* reports ask this of a scan's million empty directions */
	uint64_t cnt[256];
	if (h->cold != NULL)
		memcpy(cnt, h->cold, sizeof cnt);
	else
		memset(cnt, 0, sizeof cnt);
	hist_counts_hot(h, cnt);
	/*
	 * As ent: entropy from probabilities, chi-square against n/256 in every bin.  The terms
	 * of an empty bin and of a small count are worked out once: most bins of a short
	 * payload hold 0, 1, 2 or 3, and reports weigh a million of them (the same operations
	 * in the same order, so the same result; adding 0 to the sums changes nothing).
	 */
	double ent_small[16], chi_small[16];
	unsigned known = 0;
	const double chi_empty = (0 - e) * (0 - e) / e;
	for (int i = 0; i < 256; i++) {
		uint64_t k = cnt[i];
		if (k == 0) {
			chi += chi_empty;
			continue;
		}
		double c = (double)k;
		if (k < 16) {
			if (!(known & 1u << k)) {
				double p = c / n;
				ent_small[k] = p * log2(p);
				chi_small[k] = (c - e) * (c - e) / e;
				known |= 1u << k;
			}
			ent -= ent_small[k];
			chi += chi_small[k];
		} else {
			double p = c / n;
			ent -= p * log2(p);
			chi += (c - e) * (c - e) / e;
		}
		sum += c * i;
		if (printable_byte(i))
			pr += c;
	}
	f->entropy = ent;
	f->chisq = chi;
	f->chisq_p = chisq_survival(chi, 255);
	f->mean = sum / n;
	f->printable = pr / n;
}

double
entropy_of_counts(const uint32_t *c, uint64_t total)
{
	uint64_t w[256];

	for (int i = 0; i < 256; i++)
		w[i] = c[i];
	return entropy_of_counts64(w, total);
}

double
entropy_of_counts64(const uint64_t *c, uint64_t total)
{
	double n = (double)total, ent = 0;

	if (total == 0)
		return 0;
	for (int i = 0; i < 256; i++)
		if (c[i] != 0) {
			double p = (double)c[i] / n;
			ent -= p * log2(p);
		}
	return ent;
}

double
entropy_of_counts64_tab(const uint64_t *c, uint64_t total, const double *clog, size_t nclog)
{
	double s = 0;

	if (total == 0)
		return 0;
	for (int i = 0; i < 256; i++)
		s += c[i] < nclog ? clog[c[i]] : (double)c[i] * log2((double)c[i]);
	double h = log2((double)total) - s / (double)total;
	return h > 0 ? h : 0;	/* one byte value throughout: 0, not -1e-16 */
}

/*
 * E[H] for n uniform bytes.  By symmetry E[H] = -256 E[(X/n) log2(X/n)] with X ~ Bin(n, 1/256):
 * the sum runs outward from the binomial's mode, each term's probability from the last by
 * the ratio pmf(k + 1) / pmf(k) = (n - k) / (k + 1) · p / q, until the terms fall below 1e-18
 * of the peak (about nine standard deviations each way): a few hundred operations, one
 * lgamma.  Past 100,000 bytes the asymptotic series ln K - (K - 1) / 2n - (K² - 1) / 12n²
 * nats (K = 256; the next term is below 1e-8 there) takes over: reports ask for this for
 * every flow direction, and the sum grows with the square root of n.
 */
/* lgamma without its sign in a global: report threads weigh flows at once. */
static double
lgam(double x)
{
	int sign;

	return lgamma_r(x, &sign);
}

double
entropy_expected_random(uint64_t n)
{
	if (n == 0)
		return 0;
	double dn = (double)n;
	if (n >= 100000)
		return 8 - (255 / (2 * dn) + 65535 / (12 * dn * dn)) / log(2.0);
	const double p = 1.0 / 256, q = 1 - p, up = p / q, down = q / p;
	double m = floor((dn + 1) * p);			/* the mode */
	double peak = exp(lgam(dn + 1) - lgam(m + 1) - lgam(dn - m + 1) + m * log(p) +
	    (dn - m) * log(q));
	double acc = 0, pk = peak;
	for (double k = m; k <= dn; k++) {
		if (k > 0)
			acc += pk * (k / dn) * log2(k / dn);
		pk *= (dn - k) / (k + 1) * up;
		if (pk < peak * 1e-18)
			break;
	}
	pk = peak;
	for (double k = m - 1; k >= 1; k--) {
		pk *= (k + 1) / (dn - k) * down;
		acc += pk * (k / dn) * log2(k / dn);
		if (pk < peak * 1e-18)
			break;
	}
	return -256 * acc;
}

/* Regularized lower incomplete gamma P(a, x) by its series (x < a + 1). */
static double
gamma_p_series(double a, double x)
{
	double sum = 1 / a, term = sum;
	for (int i = 1; i < 10000; i++) {
		term *= x / (a + i);
		sum += term;
		if (fabs(term) < fabs(sum) * 1e-15)
			break;
	}
	return sum * exp(-x + a * log(x) - lgam(a));
}

/* Regularized upper incomplete gamma Q(a, x) by its continued fraction (x >= a + 1). */
static double
gamma_q_cf(double a, double x)
{
	const double tiny = 1e-300;
	double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
	for (int i = 1; i < 10000; i++) {
		double an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (fabs(d) < tiny)
			d = tiny;
		c = b + an / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		double del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return exp(-x + a * log(x) - lgam(a)) * h;
}

double
chisq_survival(double x, double k)
{
	double a = k / 2, y = x / 2;

	if (x <= 0)
		return 1;
	if (y < a + 1)
		return 1 - gamma_p_series(a, y);
	return gamma_q_cf(a, y);
}

void
ent_windows_init(struct ent_windows *w, uint32_t size)
{
	memset(w, 0, sizeof *w);
	w->size = size != 0 && size <= 65535 ? size : 1024;
}

void
ent_windows_fini(struct ent_windows *w)
{
	free(w->v);
	free(w->cur);
	memset(w, 0, sizeof *w);
}

static void
close_window(struct ent_windows *w)
{
	uint32_t c[256];
	for (int i = 0; i < 256; i++)
		c[i] = w->cur[i];
	double e = entropy_of_counts(c, w->fill);
	if (w->n >= ENT_WINDOWS_MAX)
		w->dropped++;
	else {
		if (w->n == w->cap) {
			w->cap = w->cap != 0 ? w->cap * 2 : 16;
			w->v = xreallocarray(w->v, w->cap, sizeof *w->v);
		}
		w->v[w->n++] = (float)e;
	}
	memset(w->cur, 0, 256 * sizeof *w->cur);
	w->fill = 0;
}

void
ent_windows_add(struct ent_windows *w, struct span s)
{
	if (s.n == 0)
		return;
	if (w->cur == NULL)
		w->cur = xcalloc(256, sizeof *w->cur);
	for (size_t i = 0; i < s.n; i++) {
		w->cur[s.p[i]]++;
		if (++w->fill == w->size)
			close_window(w);
	}
}

double
ent_windows_partial(const struct ent_windows *w)
{
	uint32_t c[256];

	if (w->fill == 0 || w->cur == NULL)
		return 0;
	for (int i = 0; i < 256; i++)
		c[i] = w->cur[i];
	return entropy_of_counts(c, w->fill);
}
