/*
 * patterns.c — pattern files, compilation and the literal prefilter (see patterns.h).
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"
#include "warn.h"
#include "xalloc.h"

/* Generous for any sane expression on a few kilobytes; (a+)+$ on a long run hits it fast. */
#define PAT_MATCH_LIMIT	2000000u
#define PAT_DEPTH_LIMIT	10000u
#define PAT_LINE_MAX	4096

struct patset {
	struct pattern	*v;
	size_t		 n, cap;
	pcre2_match_data *md;		/* sized for the pattern with the most groups */
	uint32_t	 md_pairs;
	pcre2_match_context *mctx;
	/*
	 * Prefilter: ASCII-folded bytes; the bigrams (first two folded bytes) literals start
	 * with, as a bit set for the byte loop and as lists of (pattern, literal) to check on a
	 * hit.  A one-byte literal sets every bigram it starts.
	 */
	uint8_t		 fold[256];
	uint64_t	 bigram[65536 / 64];
	/*
	 * Second look on a bigram hit, before walking its candidates: the folded trigram there,
	 * hashed, must be one a literal has at that place; bigrams some literal ends with (too
	 * short for a trigram) skip it.  Text payload hits bigrams often (JSON keys start
	 * with '"'), and this keeps those hits cheap.
	 */
	uint64_t	 trigram[65536 / 64];
	uint64_t	 no_trigram[65536 / 64];	/* folded bigrams that skip the trigram look */
	struct cand {
		uint16_t	 bigram;
		uint16_t	 pat;
		uint8_t		 lit;
		uint8_t		 at;	/* where in the literal the bigram is */
	}		*cand;		/* sorted by bigram */
	size_t		 ncand;
	size_t		 nlits_all;	/* literals of every pattern, for the index's bound */
	uint16_t	*cand_at;	/* 65536 + 1 entries: a bigram's candidates start */
	int		 single_last;	/* some literal is one byte: check the last byte too */
	int		 stride;	/* positions the byte loop steps by (1 to 4) */
};

static const char *const cat_names[] = { "credential", "token", "identifier", "personal" };
static const char *const sev_names[] = { "high", "medium", "low", "info" };
static const char *const dec_names[] = { "-", "url", "base64", "basic" };

const char *
find_cat_name(enum find_cat c)
{
	return (unsigned)c < CAT_COUNT_ ? cat_names[c] : "?";
}

const char *
find_sev_name(enum find_sev s)
{
	return (unsigned)s <= SEV_INFO ? sev_names[s] : "?";
}

int
find_cat_parse(const char *s, enum find_cat *c)
{
	for (int i = 0; i < CAT_COUNT_; i++)
		if (strcmp(s, cat_names[i]) == 0) {
			*c = (enum find_cat)i;
			return 0;
		}
	return -1;
}

int
find_sev_parse(const char *s, enum find_sev *v)
{
	for (int i = 0; i <= SEV_INFO; i++)
		if (strcmp(s, sev_names[i]) == 0) {
			*v = (enum find_sev)i;
			return 0;
		}
	return -1;
}

static int
decode_parse(const char *s, enum find_decode *d)
{
	for (int i = 0; i <= DEC_BASIC; i++)
		if (strcmp(s, dec_names[i]) == 0) {
			*d = (enum find_decode)i;
			return 0;
		}
	return -1;
}

struct patset *
patset_new(void)
{
	struct patset *ps = xcalloc(1, sizeof *ps);

	for (int c = 0; c < 256; c++)
		ps->fold[c] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	ps->mctx = pcre2_match_context_create(NULL);
	if (ps->mctx == NULL)
		abort();
	pcre2_set_match_limit(ps->mctx, PAT_MATCH_LIMIT);
	pcre2_set_depth_limit(ps->mctx, PAT_DEPTH_LIMIT);
	return ps;
}

void
patset_free(struct patset *ps)
{
	if (ps == NULL)
		return;
	for (size_t i = 0; i < ps->n; i++) {
		pcre2_code_free(ps->v[i].code);
		free(ps->v[i].name);
		free(ps->v[i].expr);
		free(ps->v[i].origin);
	}
	free(ps->v);
	free(ps->cand);
	free(ps->cand_at);
	pcre2_match_data_free(ps->md);
	pcre2_match_context_free(ps->mctx);
	free(ps);
}

size_t
patset_count(const struct patset *ps)
{
	return ps->n;
}

const struct pattern *
patset_get(const struct patset *ps, size_t i)
{
	return &ps->v[i];
}

/* --- loading ----------------------------------------------------------------------------- */

static int
cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	return a->bigram < b->bigram ? -1 : a->bigram > b->bigram;
}

static uint8_t
ascii_upper(uint8_t c)
{
	return (uint8_t)(c >= 'a' && c <= 'z' ? c - 32 : c);
}

/*
 * The bit set is indexed by the two raw bytes as one 16-bit load reads them, every case
 * variant set, so the byte loop needs no folding.
 */
static unsigned
trigram_hash(uint8_t a, uint8_t b, uint8_t c)
{
	uint32_t v = (uint32_t)a << 16 | (uint32_t)b << 8 | c;
	return (v * 2654435761u) >> 16;
}

static void
bit_set(uint64_t *set, unsigned k)
{
	set[k / 64] |= 1ull << (k % 64);
}

static int
bit_get(const uint64_t *set, unsigned k)
{
	return set[k / 64] >> (k % 64) & 1;
}

static void
bigram_set(struct patset *ps, uint8_t a, uint8_t b)
{
	uint8_t two[2] = { a, b };
	uint16_t k;

	memcpy(&k, two, 2);
	ps->bigram[k / 64] |= 1ull << (k % 64);
}

/* Rebuilds the prefilter's tables from every pattern's literals. */
static void
prefilter_build(struct patset *ps)
{
	size_t n = 0;
	int shortest = PAT_LITERAL_MAX;

	memset(ps->bigram, 0, sizeof ps->bigram);
	memset(ps->trigram, 0, sizeof ps->trigram);
	memset(ps->no_trigram, 0, sizeof ps->no_trigram);
	ps->single_last = 0;
	for (size_t i = 0; i < ps->n; i++)
		for (int l = 0; l < ps->v[i].nlits; l++) {
			n += ps->v[i].litlen[l];
			if (ps->v[i].litlen[l] < shortest)
				shortest = ps->v[i].litlen[l];
		}
	/*
	 * A literal of L bytes has L - 1 bigrams in a row, so a byte loop that looks at every
	 * (L - 1)th position lands on one of them: with the shortest literal L, it steps by
	 * L - 1 (at most 4) and each literal's first L - 1 bigrams are indexed.  A literal of
	 * one or two bytes (a user's) makes it look at every position.
	 */
	ps->stride = shortest >= 3 ? (shortest - 1 < 4 ? shortest - 1 : 4) : 1;
	free(ps->cand);
	ps->cand = xcalloc(n + 1, sizeof *ps->cand);
	ps->ncand = 0;
	for (size_t i = 0; i < ps->n; i++) {
		const struct pattern *p = &ps->v[i];
		for (int l = 0; l < p->nlits; l++) {
			int len = p->litlen[l];
			if (len == 1) {
				uint8_t a = p->lit[l][0];
				for (unsigned b = 0; b < 256; b++) {
					bigram_set(ps, a, (uint8_t)b);
					bigram_set(ps, ascii_upper(a), (uint8_t)b);
				}
				ps->single_last = 1;
				/* One-byte literals sort first among their byte's bigrams: (a, 0). */
				ps->cand[ps->ncand++] = (struct cand){ .bigram = (uint16_t)(a << 8),
				    .pat = (uint16_t)i, .lit = (uint8_t)l };
				continue;
			}
			for (int k = 0; k + 1 < len && k < ps->stride; k++) {
				uint8_t a = p->lit[l][k], b = p->lit[l][k + 1];
				bigram_set(ps, a, b);
				bigram_set(ps, ascii_upper(a), b);
				bigram_set(ps, a, ascii_upper(b));
				bigram_set(ps, ascii_upper(a), ascii_upper(b));
				ps->cand[ps->ncand++] = (struct cand){ .bigram = (uint16_t)(a << 8 | b),
				    .pat = (uint16_t)i, .lit = (uint8_t)l, .at = (uint8_t)k };
				if (k + 2 < len)
					bit_set(ps->trigram, trigram_hash(a, b, p->lit[l][k + 2]));
				else
					bit_set(ps->no_trigram, (unsigned)a << 8 | b);
			}
		}
	}
	qsort(ps->cand, ps->ncand, sizeof *ps->cand, cmp_cand);
	if (ps->cand_at == NULL)
		ps->cand_at = xcalloc(65536 + 1, sizeof *ps->cand_at);
	/* Folded bigram → its run in the sorted list (cand_at[k] .. cand_at[k + 1]). */
	size_t j = 0;
	for (unsigned k = 0; k <= 65536; k++) {
		while (j < ps->ncand && ps->cand[j].bigram < k)
			j++;
		ps->cand_at[k] = (uint16_t)(j < UINT16_MAX ? j : UINT16_MAX);
	}
}

/* Compiles and adds one pattern; the prefilter's tables are rebuilt when build is set. */
static int
add_one(struct patset *ps, const char *name, enum find_cat cat, enum find_sev sev,
    enum find_decode dec, const char *expr, const char *origin, char *err, size_t errlen,
    int build)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)expr, PCRE2_ZERO_TERMINATED, 0, &ec, &eo,
	    NULL);

	if (code == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		snprintf(err, errlen, "%s at offset %zu", (const char *)msg, (size_t)eo);
		return -1;
	}
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);	/* slower without, still right */
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 32;
		ps->v = xreallocarray(ps->v, ps->cap, sizeof *ps->v);
	}
	struct pattern *p = &ps->v[ps->n++];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->cat = cat;
	p->sev = sev;
	p->decode = dec;
	p->expr = xstrdup(expr);
	p->origin = xstrdup(origin != NULL ? origin : name);
	p->code = code;
	int g = pcre2_substring_number_from_name(code, (PCRE2_SPTR)"value");
	p->value_group = g > 0 ? g : 0;
	int caseless;
	p->nlits = pattern_literals(expr, p->lit, p->litlen, &caseless);
	/* Each literal files at most 4 bigrams (the byte loop's largest step). */
	if (ps->n > UINT16_MAX || (ps->nlits_all + (size_t)p->nlits) * 4 >= UINT16_MAX)
		p->nlits = 0;		/* past what the index holds: always run */
	ps->nlits_all += (size_t)p->nlits;
	if (build)
		prefilter_build(ps);
	uint32_t pairs = 0;
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &pairs);
	if (ps->md == NULL || pairs + 1 > ps->md_pairs) {
		pcre2_match_data_free(ps->md);
		ps->md_pairs = pairs + 1;
		ps->md = pcre2_match_data_create(ps->md_pairs, NULL);
		if (ps->md == NULL)
			abort();
	}
	return 0;
}

int
patset_add(struct patset *ps, const char *name, enum find_cat cat, enum find_sev sev,
    enum find_decode dec, const char *expr, const char *origin, char *err, size_t errlen)
{
	return add_one(ps, name, cat, sev, dec, expr, origin, err, errlen, 1);
}

/* Splits off the next blank-separated field of a line. */
static char *
field(char **s)
{
	char *p = *s + strspn(*s, " \t");
	if (*p == '\0')
		return NULL;
	char *end = p + strcspn(p, " \t");
	if (*end != '\0')
		*end++ = '\0';
	*s = end;
	return p;
}

int
patset_load(struct patset *ps, const char *path, struct warnlist *w)
{
	FILE *fp = fopen(path, "r");

	if (fp == NULL) {
		warn_add(w, WARN_WARNING, "patterns: %s: %s", path, strerror(errno));
		return -1;
	}
	char line[PAT_LINE_MAX + 2];
	unsigned lineno = 0;
	int loaded = 0;
	while (fgets(line, sizeof line, fp) != NULL) {
		lineno++;
		size_t len = strlen(line);
		if (len > 0 && line[len - 1] != '\n' && !feof(fp)) {
			warn_add(w, WARN_WARNING, "patterns: %s:%u: line longer than %d bytes, "
			    "skipped", path, lineno, PAT_LINE_MAX);
			int c;
			while ((c = fgetc(fp)) != EOF && c != '\n')
				;
			continue;
		}
		line[strcspn(line, "\r\n")] = '\0';
		char *s = line, *name = field(&s);
		if (name == NULL || name[0] == '#')
			continue;
		char *cat = field(&s), *sev = field(&s), *dec = field(&s);
		char *expr = s + strspn(s, " \t");
		enum find_cat c;
		enum find_sev v;
		enum find_decode d;
		if (cat == NULL || sev == NULL || dec == NULL || *expr == '\0') {
			warn_add(w, WARN_WARNING, "patterns: %s:%u: expected NAME CATEGORY SEVERITY "
			    "DECODE EXPRESSION", path, lineno);
			continue;
		}
		if (find_cat_parse(cat, &c) < 0) {
			warn_add(w, WARN_WARNING, "patterns: %s:%u: unknown category \"%.40s\" "
			    "(credential, token, identifier or personal)", path, lineno, cat);
			continue;
		}
		if (find_sev_parse(sev, &v) < 0) {
			warn_add(w, WARN_WARNING, "patterns: %s:%u: unknown severity \"%.40s\" "
			    "(high, medium, low or info)", path, lineno, sev);
			continue;
		}
		if (decode_parse(dec, &d) < 0) {
			warn_add(w, WARN_WARNING, "patterns: %s:%u: unknown decoding \"%.40s\" "
			    "(-, url, base64 or basic)", path, lineno, dec);
			continue;
		}
		char origin[512], err[300];
		snprintf(origin, sizeof origin, "%s:%u", path, lineno);
		/* The prefilter is built once, after the file. */
		if (add_one(ps, name, c, v, d, expr, origin, err, sizeof err, 0) < 0) {
			warn_add(w, WARN_WARNING, "patterns: %s:%u: %s: %s", path, lineno, name, err);
			continue;
		}
		loaded++;
	}
	if (ferror(fp))
		warn_add(w, WARN_WARNING, "patterns: %s: read error", path);
	fclose(fp);
	if (loaded > 0)
		prefilter_build(ps);
	return loaded;
}

/* --- matching ---------------------------------------------------------------------------- */

/* Whether literal k of p starts at b (ASCII case folded: a superset of exact matching). */
static int
literal_at(const struct patset *ps, const struct pattern *p, int k, const uint8_t *b,
    size_t left)
{
	if (left < p->litlen[k])
		return 0;
	for (size_t i = 0; i < p->litlen[k]; i++)
		if (ps->fold[b[i]] != p->lit[k][i])
			return 0;
	return 1;
}

/*
 * Marks the patterns with a literal that holds the bigram at buf[i] (or starts there);
 * returns how many were newly marked.  last[] gets the literal's start.
 */
static size_t
candidates(const struct patset *ps, const uint8_t *buf, size_t n, size_t i, uint8_t *want,
    size_t *last)
{
	uint8_t a = ps->fold[buf[i]], b = i + 1 < n ? ps->fold[buf[i + 1]] : 0;
	size_t found = 0;

	if (!ps->single_last && !bit_get(ps->no_trigram, (unsigned)a << 8 | b) &&
	    (i + 2 >= n || !bit_get(ps->trigram, trigram_hash(a, b, ps->fold[buf[i + 2]]))))
		return 0;
	/* One-byte literals are filed under (a, 0), bigrams under (a, b). */
	unsigned keys[2] = { (unsigned)a << 8 | b, (unsigned)a << 8 };

	for (int kk = 0; kk < (b != 0 && ps->single_last ? 2 : 1); kk++) {
		unsigned k = keys[kk];
		for (uint32_t c = ps->cand_at[k]; c < ps->cand_at[k + 1]; c++) {
			const struct cand *cd = &ps->cand[c];
			const struct pattern *p = &ps->v[cd->pat];
			if (want[cd->pat] || cd->at > i)
				continue;
			if (!literal_at(ps, p, cd->lit, buf + i - cd->at, n - (i - cd->at)))
				continue;
			want[cd->pat] = 1;
			if (last != NULL)
				last[cd->pat] = i - cd->at;
			found++;
		}
	}
	return found;
}

size_t
patset_prefilter(const struct patset *ps, const uint8_t *buf, size_t n, size_t from,
    uint8_t *want, size_t *last)
{
	size_t marked = 0, pending;

	for (size_t i = 0; i < ps->n; i++) {
		want[i] = ps->v[i].nlits == 0;	/* no literal known: always run */
		marked += want[i];
		if (last != NULL)
			last[i] = want[i] ? n : SIZE_MAX;
	}
	pending = ps->n - marked;
	/*
	 * Backwards, so the first occurrence found of a literal is its last one (the caller
	 * learns whether it lies in what it keeps), and the loop can stop once every pattern is
	 * marked.  The byte loop tests a bit set only: on random payload it rarely hits.
	 */
	if (pending == 0)
		return ps->n;
	if (n > from && ps->single_last)
		pending -= candidates(ps, buf, n, n - 1, want, last);
	size_t step = (size_t)ps->stride;
	size_t i = n > 0 ? n - 1 : 0;		/* positions below i are left to look at */
	/* Four positions a round with one branch: on most payload none of them hits. */
	while (i >= from + 4 * step) {
		size_t p0 = i - step, p1 = p0 - step, p2 = p1 - step, p3 = p2 - step;
		uint16_t k0, k1, k2, k3;
		memcpy(&k0, buf + p0, 2);
		memcpy(&k1, buf + p1, 2);
		memcpy(&k2, buf + p2, 2);
		memcpy(&k3, buf + p3, 2);
		uint64_t hit = (ps->bigram[k0 / 64] >> (k0 % 64)) | (ps->bigram[k1 / 64] >> (k1 % 64)) |
		    (ps->bigram[k2 / 64] >> (k2 % 64)) | (ps->bigram[k3 / 64] >> (k3 % 64));
		i = p3;
		if (!(hit & 1))
			continue;
		size_t ps4[4] = { p0, p1, p2, p3 };	/* in order, last occurrence first */
		for (int q = 0; q < 4 && pending > 0; q++)
			pending -= candidates(ps, buf, n, ps4[q], want, last);
		if (pending == 0)
			return ps->n;
	}
	while (i > from) {
		i = i >= from + step ? i - step : from;
		uint16_t k;
		memcpy(&k, buf + i, 2);
		if (!(ps->bigram[k / 64] >> (k % 64) & 1))
			continue;
		pending -= candidates(ps, buf, n, i, want, last);
		if (pending == 0)
			break;
	}
	return ps->n - pending;
}

long
patset_run(const struct patset *ps, size_t i, const uint8_t *buf, size_t n, size_t from,
    pat_match_fn fn, void *ctx, char *err, size_t errlen)
{
	return patset_run_piece(ps, i, buf, n, from, 0, fn, ctx, err, errlen);
}

long
patset_run_piece(const struct patset *ps, size_t i, const uint8_t *buf, size_t n, size_t from,
    int flags, pat_match_fn fn, void *ctx, char *err, size_t errlen)
{
	uint32_t opts = (flags & PAT_NOTBOL ? PCRE2_NOTBOL : 0) |
	    (flags & PAT_NOTEOL ? PCRE2_NOTEOL : 0);
	const struct pattern *p = &ps->v[i];
	static const uint8_t empty[1];
	long count = 0;
	size_t at = from;

	if (buf == NULL)
		buf = empty;
	while (at <= n) {
		int rc = pcre2_match(p->code, buf, n, at, opts, ps->md, ps->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(rc, msg, sizeof msg);
			snprintf(err, errlen, "%s", (const char *)msg);
			return -1;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(ps->md);
		size_t s = ov[0], e = ov[1] >= ov[0] ? ov[1] : ov[0];
		size_t vs = s, ve = e;
		if (p->value_group > 0 && rc > p->value_group &&
		    ov[2 * p->value_group] != PCRE2_UNSET) {
			vs = ov[2 * p->value_group];
			ve = ov[2 * p->value_group + 1];
		}
		count++;
		if (fn != NULL && fn(ctx, p, s, e - s, vs, ve >= vs ? ve - vs : 0))
			break;
		at = e > s ? e : e + 1;
	}
	return count;
}
