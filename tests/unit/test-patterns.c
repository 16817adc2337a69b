/*
 * test-patterns.c — the pattern set (patterns.h): the required literals worked out from many
 * expressions (and those it must give up on), pattern files with good and bad lines and the
 * warnings they give, matches with and without a value group, the match limit on a
 * pathological expression, and two properties over random buffers with planted matches: the
 * prefilter never drops a pattern that matches (share/patterns), and it marks exactly the
 * patterns whose literal occurs from a position on, with the last such position.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "patterns.h"
#include "warn.h"

/* splitmix64: a fixed-seed generator of our own, so every run sees the same bytes. */
static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
rng_below(uint64_t *s, size_t n)
{
	return n == 0 ? 0 : (size_t)(rng_next(s) % n);
}

/* --- required literals ------------------------------------------------------------------- */

struct lit_case {
	const char	*expr;
	int		 caseless;
	const char	*lits[PAT_ALTS + 1];	/* in order; NULL-terminated (none: give up) */
};

static const struct lit_case lit_cases[] = {
	/* Plain runs; the longest one wins, the first of equal ones. */
	{ "abc", 0, { "abc" } },
	{ "(?i)Hello", 1, { "hello" } },
	{ "HeLLo", 0, { "hello" } },
	{ "ab.cdef", 0, { "cdef" } },
	{ "ab^cd$", 0, { "ab" } },
	{ "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF", 0,
	    { "abcdefghijklmnopqrstuvwxyz012345" } },		/* cut at PAT_LITERAL_MAX */
	/* Escapes. */
	{ "a\\.b\\-c", 0, { "a.b-c" } },
	{ "\\[x\\]\\(y\\)", 0, { "[x](y)" } },
	{ "\\\\ab", 0, { "\\ab" } },
	{ "\\x41\\x42C", 0, { "abc" } },
	{ "\\xffab", 0, { "\xff" "ab" } },
	{ "a\\tb\\r\\nc", 0, { "a\tb\r\nc" } },
	{ "\\d+abc\\s\\w", 0, { "abc" } },
	{ "\\babc\\b", 0, { "abc" } },
	{ "\\Aabc\\z", 0, { "abc" } },
	{ "ab\\Kcd", 0, { "ab" } },
	{ "(?i)user\\x3aname", 1, { "user:name" } },
	/* Quantifiers: an optional character ends the run and is not required. */
	{ "ab?c", 0, { "a" } },
	{ "xab?cd", 0, { "xa" } },
	{ "abc+d", 0, { "abc" } },
	{ "abc*de", 0, { "ab" } },
	{ "ab*+c", 0, { "a" } },
	{ "a+?bc", 0, { "bc" } },
	{ "x{2,3}yz", 0, { "yz" } },
	{ "abx{3}", 0, { "abx" } },
	{ "ab{0}c", 0, { "a" } },
	{ "ab{0,2}cd", 0, { "cd" } },
	{ "a{x}", 0, { "a{x}" } },				/* not a quantifier */
	/* Groups and their quantifiers. */
	{ "(abc){2}x", 0, { "abc" } },
	{ "(abc)?xy", 0, { "xy" } },
	{ "(abc)*xy", 0, { "xy" } },
	{ "(?:abc){0,3}xy", 0, { "xy" } },
	{ "(?:abcd)+xy", 0, { "abcd" } },
	{ "((abc))", 0, { "abc" } },
	{ "(?>abc)", 0, { "abc" } },
	{ "(?i:AB)cd", 1, { "abcd" } },
	{ "(?s)abc", 0, { "abc" } },
	{ "(?im)abc", 1, { "abc" } },
	{ "(*UTF)abc", 0, { "abc" } },
	{ "(?#comment)abc", 0, { "abc" } },
	/* Alternation: one of the branches' literals, joined with the literals around them. */
	{ "foo|barbaz", 0, { "foo", "barbaz" } },
	{ "(?i)Basic|Digest", 1, { "basic", "digest" } },
	{ "x(ab|cd)y", 0, { "xaby", "xcdy" } },
	{ "x(ab|cd)yz", 0, { "xabyz", "xcdyz" } },
	{ "x(?:abc|de)yz", 0, { "xabcyz", "xdeyz" } },
	{ "x(?:abc|def)yz", 0, { "xabcyz", "xdefyz" } },
	{ "x(?:ab|cd)?yz", 0, { "yz" } },		/* optional: not joined */
	{ "x(?:ab|cd)+yz", 0, { "yz" } },		/* repeated: as long, fewer */
	{ "x(?:abc|def)+yz", 0, { "abc", "def" } },	/* repeated: longer */
	{ "(?:ab|cd){1,3}", 0, { "ab", "cd" } },
	{ "(?:ab|cd)+", 0, { "ab", "cd" } },
	{ "(?:ab|cd){0,3}e", 0, { "e" } },
	{ "(?|ab|cd)", 0, { "ab", "cd" } },
	{ "(a(bc|de)f|gh)", 0, { "abcf", "adef", "gh" } },
	{ "ab|(cd|ef)", 0, { "ab", "cd", "ef" } },
	{ "x(?:ab(?:cde|fgh))", 0, { "xabcde", "xabfgh" } },
	{ "(?:(?:ab|cd)|(?:ef|gh))z", 0, { "abz", "cdz", "efz", "ghz" } },
	{ "(?i)(?:pass|pwd)=", 1, { "pass=", "pwd=" } },
	{ "(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p)", 0,
	    { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p" } },
	/* Lookarounds require nothing of the match. */
	{ "(?=abcd)x", 0, { "x" } },
	{ "(?!abc)de", 0, { "de" } },
	{ "(?<=abcd)xy", 0, { "xy" } },
	{ "(?<!abc)de", 0, { "de" } },
	{ "ab(?=c(d))ef", 0, { "ab" } },
	/* Classes. */
	{ "[abc]def", 0, { "def" } },
	{ "[]x]yz", 0, { "yz" } },
	{ "[^]x]yz", 0, { "yz" } },
	{ "[[:alpha:]]yz", 0, { "yz" } },
	{ "[a\\]b]yz", 0, { "yz" } },
	{ "[(|)]yz", 0, { "yz" } },
	{ "x[ab]+yz", 0, { "yz" } },
	/* Named groups. */
	{ "(?<value>secret)", 0, { "secret" } },
	{ "(?P<n>secret)", 0, { "secret" } },
	{ "key=(?<value>[a-z]+)", 0, { "key=" } },
	{ "(?i)authorization:[ \\t]*basic[ \\t]+(?<value>[A-Za-z0-9+/=]{4,})", 1,
	    { "authorization:" } },
	/* What it gives up on: nothing required, or not understood. */
	{ "", 0, { NULL } },
	{ "\\d+", 0, { NULL } },
	{ ".*", 0, { NULL } },
	{ "x*", 0, { NULL } },
	{ "x?", 0, { NULL } },
	{ "[abc]+", 0, { NULL } },
	{ "a|\\d", 0, { NULL } },
	{ "ab|", 0, { NULL } },
	{ "(?:ab|c*)d?", 0, { NULL } },
	{ "(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q)", 0, { NULL } },	/* more than PAT_ALTS */
	{ "(?x)abc", 0, { NULL } },
	{ "(?-i)abc", 0, { NULL } },
	{ "(?^)abc", 0, { NULL } },
	{ "\\Qab\\E", 0, { NULL } },
	{ "ab\\E", 0, { NULL } },
	{ "(?(1)a|b)", 0, { NULL } },
	{ "(?R)abc", 0, { NULL } },
	{ "(?1)abc", 0, { NULL } },
	{ "(?C1)abc", 0, { NULL } },
	{ "(?P=n)abc", 0, { NULL } },
	{ "a{,3}", 0, { NULL } },
	{ "(abc", 0, { NULL } },
	{ "abc)", 0, { NULL } },
	{ "abc\\", 0, { NULL } },
	{ "(?=abc", 0, { NULL } },
	{ "(?<name", 0, { NULL } },
	{ "(*UTF", 0, { NULL } },
};

static void
check_literals(const struct lit_case *c)
{
	uint8_t lit[PAT_ALTS][PAT_LITERAL_MAX], len[PAT_ALTS];
	int caseless = -1, want = 0;

	while (want < PAT_ALTS && c->lits[want] != NULL)
		want++;
	int n = pattern_literals(c->expr, lit, len, &caseless);
	if (n != want)
		fail_msg("\"%s\": %d literals, want %d", c->expr, n, want);
	for (int i = 0; i < n; i++) {
		size_t wl = strlen(c->lits[i]);
		if (len[i] != wl || memcmp(lit[i], c->lits[i], wl) != 0)
			fail_msg("\"%s\": literal %d is \"%.*s\", want \"%s\"", c->expr, i,
			    (int)len[i], (const char *)lit[i], c->lits[i]);
	}
	if (n > 0 && caseless != c->caseless)
		fail_msg("\"%s\": caseless %d, want %d", c->expr, caseless, c->caseless);
}

static void
test_literals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof lit_cases / sizeof *lit_cases; i++)
		check_literals(&lit_cases[i]);
}

/* What patset_add stores for the prefilter is what pattern_literals says. */
static void
test_literals_stored(void **state)
{
	(void)state;
	struct patset *ps = patset_new();
	char err[256];

	for (size_t i = 0; i < sizeof lit_cases / sizeof *lit_cases; i++) {
		const struct lit_case *c = &lit_cases[i];
		uint8_t lit[PAT_ALTS][PAT_LITERAL_MAX], len[PAT_ALTS];
		int ci;
		if (patset_add(ps, "x", CAT_TOKEN, SEV_LOW, DEC_NONE, c->expr, NULL, err,
		    sizeof err) < 0)
			continue;			/* not an expression PCRE2 takes */
		const struct pattern *p = patset_get(ps, patset_count(ps) - 1);
		int n = pattern_literals(c->expr, lit, len, &ci);
		assert_int_equal(p->nlits, n);
		for (int k = 0; k < n; k++) {
			assert_int_equal(p->litlen[k], len[k]);
			assert_memory_equal(p->lit[k], lit[k], len[k]);
		}
	}
	assert_true(patset_count(ps) > 80);
	patset_free(ps);
}

/*
 * The prefilter must mark expr's pattern wherever PCRE2 finds a match of it in subject.
 * Used by the tests of literals worked out wrongly below.
 */
static void
assert_prefilter_keeps(const char *expr, const char *subject, size_t n)
{
	struct patset *ps = patset_new();
	char err[256];
	uint8_t want[1];

	if (patset_add(ps, "x", CAT_TOKEN, SEV_LOW, DEC_NONE, expr, NULL, err, sizeof err) < 0)
		fail_msg("\"%s\" does not compile: %s", expr, err);
	long m = patset_run(ps, 0, (const uint8_t *)subject, n, 0, NULL, NULL, err, sizeof err);
	if (m < 1)
		fail_msg("\"%s\" does not match its subject", expr);
	patset_prefilter(ps, (const uint8_t *)subject, n, 0, want, NULL);
	if (!want[0]) {
		const struct pattern *p = patset_get(ps, 0);
		fail_msg("\"%s\" matches but the prefilter drops it (literal \"%.*s\")", expr,
		    (int)p->litlen[0], (const char *)p->lit[0]);
	}
	patset_free(ps);
}

/*
 * Was a bug (src/patterns.c, seq_req): a group named with quotes, (?'name'…), is skipped to the
 * opening quote instead of the closing one, so the name and its quote become part of the
 * literal.  Input: (?'n'secret) on "secret".  Expected: literal "secret" (the pattern is
 * marked).  Was: literal "n'secret", the pattern is dropped although it matches.
 */
static void
test_literals_bug_quoted_name(void **state)
{
	(void)state;
	assert_prefilter_keeps("(?'n'secret)", "secret", 6);
}

/*
 * Was a bug (src/patterns.c, seq_req): verbs are skipped as if they matched nothing, but
 * (*ACCEPT) ends the match, so what follows it is not required.  Input: ab(*ACCEPT)cd on
 * "ab!".  Expected: the pattern is marked (PCRE2 matches "ab").  Was: literal "abcd",
 * the pattern is dropped.
 */
static void
test_literals_bug_accept(void **state)
{
	(void)state;
	assert_prefilter_keeps("ab(*ACCEPT)cd", "ab!", 3);
}

/*
 * Was a bug (src/patterns.c, seq_req): an escape with a letter or digit is taken to be two
 * characters long, so the rest of longer escapes is read as literal text: \x with one hex
 * digit (\x4G), octal (\012, \12), control (\cA), Unicode properties (\p{Lu}, \pL) and
 * back references by number or name (\g1, \g{-1}, \k<n>, \k{n}).  Each expression below
 * matches its subject, and the prefilter drops it: the literals come out as "4gh", "12ab",
 * "2ab", "abc", "{lu}xy", "lxy", "1z", "{-1}z", "<n>q", "{n}q".
 */
static void
test_literals_bug_escapes(void **state)
{
	(void)state;
	static const struct {
		const char *expr, *subject;
		size_t n;
	} c[] = {
		{ "\\x4Gh", "\x04Gh", 3 },
		{ "\\012ab", "\nab", 3 },
		{ "\\12ab", "\nab", 3 },
		{ "\\cAbc", "\x01" "bc", 3 },
		{ "\\p{Lu}xy", "Axy", 3 },
		{ "\\pLxy", "Axy", 3 },
		{ "(a)\\g1z", "aaz", 3 },
		{ "(a)\\g{-1}z", "aaz", 3 },
		{ "(?<n>a)\\k<n>q", "aaq", 3 },
		{ "(?<n>a)\\k{n}q", "aaq", 3 },
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++)
		assert_prefilter_keeps(c[i].expr, c[i].subject, c[i].n);
}

/*
 * Was a bug (src/patterns.c, seq_req): a lookaround or comment group is skipped, but a quantifier
 * after it is not, so "?", "*", "+" or "{2}" is read as literal text ahead of what follows.
 * PCRE2 takes a quantified assertion (at most once).  Input: (?=a)?bc on "bc".  Expected:
 * the pattern is marked.  Was: literal "?bc", dropped; likewise (?!a){2}bc ("{2}bc"),
 * (?=b)*c ("*c"), a(?=b)?c on "ac" ("?c"), (?<=a)+bc on "abc" ("+bc").
 */
static void
test_literals_bug_quantified_assertion(void **state)
{
	(void)state;
	assert_prefilter_keeps("(?=a)?bc", "bc", 2);
	assert_prefilter_keeps("(?!a){2}bc", "bc", 2);
	assert_prefilter_keeps("(?=b)*c", "c", 1);
	assert_prefilter_keeps("a(?=b)?c", "ac", 2);
	assert_prefilter_keeps("(?<=a)+bc", "abc", 3);
}

/* An expression of a small grammar: literals, classes, groups of every kind, quantifiers. */
static void
random_expr(uint64_t *rng, char *o, size_t *k, int depth)
{
	static const char *const open[] = { "(", "(?:", "(?i:", "(?=", "(?!", "(?<v>", "(?>",
		"(?|", "(?<=a)(?:", "(?<!b)(?:" };
	static const char *const quant[] = { "?", "*", "+", "{2}", "{0,2}", "{1,}", "??", "*+" };
	size_t items = 1 + rng_below(rng, 4);

	for (size_t i = 0; i < items; i++) {
		size_t r = rng_below(rng, depth >= 2 ? 7 : 11), assertion = 0;
		if (r < 4)
			o[(*k)++] = "abcA"[r];
		else if (r == 4) {
			memcpy(o + *k, "[ab]", 4);
			*k += 4;
		} else if (r == 5)
			o[(*k)++] = '.';
		else if (r == 6) {
			static const char *const esc[] = { "\\x61", "\\.", "\\d", "\\b", "\\K" };
			const char *e = esc[rng_below(rng, 5)];
			memcpy(o + *k, e, strlen(e));
			*k += strlen(e);
			assertion = e[1] == 'b' || e[1] == 'K';
		} else {
			size_t oi = rng_below(rng, sizeof open / sizeof *open);
			memcpy(o + *k, open[oi], strlen(open[oi]));
			*k += strlen(open[oi]);
			assertion = oi == 3 || oi == 4;
			size_t alts = 1 + rng_below(rng, 3);
			for (size_t a = 0; a < alts; a++) {
				if (a > 0)
					o[(*k)++] = '|';
				random_expr(rng, o, k, depth + 1);
			}
			o[(*k)++] = ')';
		}
		size_t q = rng_below(rng, 16);
		if (!assertion && q < sizeof quant / sizeof *quant) {
			memcpy(o + *k, quant[q], strlen(quant[q]));
			*k += strlen(quant[q]);
		}
	}
}

/*
 * PROPERTY: for random expressions (quantified assertions left out: see the test above) and
 * random subjects, wherever PCRE2 finds a match the prefilter marks the pattern.
 */
static void
test_literals_never_drop_random(void **state)
{
	(void)state;
	static char e[65536];
	uint64_t rng = 31337;
	char err[256];
	int compiled = 0, matched = 0, with_lits = 0;

	for (int round = 0; round < 2500; round++) {
		size_t k = 0;
		if (rng_below(&rng, 4) == 0) {
			memcpy(e, "(?i)", 4);
			k = 4;
		}
		random_expr(&rng, e, &k, 0);
		if (rng_below(&rng, 3) == 0) {
			e[k++] = '|';
			random_expr(&rng, e, &k, 1);
		}
		e[k] = '\0';
		struct patset *ps = patset_new();
		if (patset_add(ps, "x", CAT_TOKEN, SEV_LOW, DEC_NONE, e, NULL, err, sizeof err) < 0) {
			patset_free(ps);
			continue;
		}
		compiled++;
		with_lits += patset_get(ps, 0)->nlits > 0;
		for (int t = 0; t < 40; t++) {
			uint8_t sub[24], want[1];
			size_t n = rng_below(&rng, sizeof sub);
			for (size_t i = 0; i < n; i++)
				sub[i] = (uint8_t)"abcAB.1"[rng_below(&rng, 7)];
			long m = patset_run(ps, 0, sub, n, 0, NULL, NULL, err, sizeof err);
			patset_prefilter(ps, sub, n, 0, want, NULL);
			if (m > 0 && !want[0]) {
				const struct pattern *p = patset_get(ps, 0);
				fail_msg("%s matches \"%.*s\" but the prefilter drops it (%d literals, "
				    "the first \"%.*s\")", e, (int)n, (const char *)sub, p->nlits,
				    (int)p->litlen[0], (const char *)p->lit[0]);
			}
			matched += m > 0;
		}
		patset_free(ps);
	}
	/* The grammar gives expressions that compile, that have literals, that match. */
	assert_true(compiled > 1500);
	assert_true(with_lits > 500);
	assert_true(matched > 5000);
}

/* --- names ------------------------------------------------------------------------------- */

static void
test_names(void **state)
{
	(void)state;
	enum find_cat c;
	enum find_sev v;
	static const char *const cats[] = { "credential", "token", "identifier", "personal" };
	static const char *const sevs[] = { "high", "medium", "low", "info" };

	for (int i = 0; i < CAT_COUNT_; i++) {
		assert_string_equal(find_cat_name((enum find_cat)i), cats[i]);
		assert_int_equal(find_cat_parse(cats[i], &c), 0);
		assert_int_equal(c, i);
	}
	for (int i = 0; i <= SEV_INFO; i++) {
		assert_string_equal(find_sev_name((enum find_sev)i), sevs[i]);
		assert_int_equal(find_sev_parse(sevs[i], &v), 0);
		assert_int_equal(v, i);
	}
	assert_string_equal(find_cat_name(CAT_COUNT_), "?");
	assert_string_equal(find_sev_name((enum find_sev)(SEV_INFO + 1)), "?");
	assert_int_equal(find_cat_parse("Credential", &c), -1);
	assert_int_equal(find_cat_parse("", &c), -1);
	assert_int_equal(find_sev_parse("critical", &v), -1);
	assert_int_equal(find_sev_parse("HIGH", &v), -1);
}

/* --- pattern files ----------------------------------------------------------------------- */

static char tmpdir[512];

static int
tmp_setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/iotscope-patterns-XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp");
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int
tmp_teardown(void **state)
{
	char path[600];

	(void)state;
	snprintf(path, sizeof path, "%s/p", tmpdir);
	unlink(path);
	return rmdir(tmpdir);
}

/* Writes the file the tests load; returns its path (static). */
static const char *
write_file(const char *text, size_t n)
{
	static char path[600];

	snprintf(path, sizeof path, "%s/p", tmpdir);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
	return path;
}

/* PCRE2's own words for why expr does not compile, and where. */
static void
pcre2_why(const char *expr, char *msg, size_t len, size_t *offset)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)expr, PCRE2_ZERO_TERMINATED, 0, &ec, &eo,
	    NULL);

	assert_null(code);
	pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, len);
	*offset = (size_t)eo;
}

static void
assert_warning(const struct warnlist *w, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
assert_warning(const struct warnlist *w, size_t i, const char *fmt, ...)
{
	char want[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof want, fmt, ap);
	va_end(ap);
	if (i >= w->n)
		fail_msg("no warning %zu (want \"%s\")", i, want);
	assert_int_equal(w->v[i].level, WARN_WARNING);
	assert_string_equal(w->v[i].msg, want);
}

static void
test_load(void **state)
{
	(void)state;
	static const char text[] =
	    "# a comment\n"							/* 1 */
	    "\n"								/* 2 */
	    "   # an indented comment\n"					/* 3 */
	    "good1 credential high - abc(?<value>[0-9]+)\n"			/* 4 */
	    "badcat foo high - abc\n"						/* 5 */
	    "badsev token extreme - x\n"					/* 6 */
	    "baddec token high rot13 x\n"					/* 7 */
	    "badre token high - (abc\n"						/* 8 */
	    "short token\n"							/* 9 */
	    "good2\ttoken\tlow\tbasic\t(?i)Basic (?<value>\\S+)\r\n"		/* 10 */
	    "  \t \n"								/* 11 */
	    "nodec token low -\n"						/* 12 */
	    "badre2 personal info url a{2,1}\n"					/* 13 */
	    "good3 identifier info url last";					/* 14, no LF */
	struct patset *ps = patset_new();
	struct warnlist w;
	char msg[256];
	size_t eo;

	warn_init(&w);
	const char *path = write_file(text, sizeof text - 1);
	assert_int_equal(patset_load(ps, path, &w), 3);
	assert_int_equal(patset_count(ps), 3);

	const struct pattern *p = patset_get(ps, 0);
	char origin[700];
	assert_string_equal(p->name, "good1");
	assert_int_equal(p->cat, CAT_CREDENTIAL);
	assert_int_equal(p->sev, SEV_HIGH);
	assert_int_equal(p->decode, DEC_NONE);
	assert_string_equal(p->expr, "abc(?<value>[0-9]+)");
	snprintf(origin, sizeof origin, "%s:4", path);
	assert_string_equal(p->origin, origin);
	assert_int_equal(p->value_group, 1);
	assert_int_equal(p->nlits, 1);
	assert_int_equal(p->litlen[0], 3);
	assert_memory_equal(p->lit[0], "abc", 3);
	assert_non_null(p->code);

	p = patset_get(ps, 1);
	assert_string_equal(p->name, "good2");
	assert_int_equal(p->cat, CAT_TOKEN);
	assert_int_equal(p->sev, SEV_LOW);
	assert_int_equal(p->decode, DEC_BASIC);
	assert_string_equal(p->expr, "(?i)Basic (?<value>\\S+)");
	snprintf(origin, sizeof origin, "%s:10", path);
	assert_string_equal(p->origin, origin);
	assert_int_equal(p->value_group, 1);

	p = patset_get(ps, 2);
	assert_string_equal(p->name, "good3");
	assert_int_equal(p->cat, CAT_IDENTIFIER);
	assert_int_equal(p->sev, SEV_INFO);
	assert_int_equal(p->decode, DEC_URL);
	assert_string_equal(p->expr, "last");
	assert_int_equal(p->value_group, 0);
	snprintf(origin, sizeof origin, "%s:14", path);
	assert_string_equal(p->origin, origin);

	assert_int_equal(w.n, 7);
	assert_warning(&w, 0, "patterns: %s:5: unknown category \"foo\" (credential, token, "
	    "identifier or personal)", path);
	assert_warning(&w, 1, "patterns: %s:6: unknown severity \"extreme\" (high, medium, low "
	    "or info)", path);
	assert_warning(&w, 2, "patterns: %s:7: unknown decoding \"rot13\" (-, url, base64 or "
	    "basic)", path);
	pcre2_why("(abc", msg, sizeof msg, &eo);
	assert_int_equal(eo, 4);
	assert_warning(&w, 3, "patterns: %s:8: badre: %s at offset 4", path, msg);
	assert_non_null(strstr(w.v[3].msg, "at offset 4"));
	assert_warning(&w, 4, "patterns: %s:9: expected NAME CATEGORY SEVERITY DECODE "
	    "EXPRESSION", path);
	assert_warning(&w, 5, "patterns: %s:12: expected NAME CATEGORY SEVERITY DECODE "
	    "EXPRESSION", path);
	pcre2_why("a{2,1}", msg, sizeof msg, &eo);
	assert_warning(&w, 6, "patterns: %s:13: badre2: %s at offset %zu", path, msg, eo);
	warn_fini(&w);
	patset_free(ps);
}

/* A bad expression's warning names file and line, PCRE2's message and the offset. */
static void
test_load_bad_regex(void **state)
{
	(void)state;
	static const char *const bad[] = { "(?<value>x", "[abc", "x{3,2}", "*x", "a(?<=b+)c",
		"\\", "(?P<1>x)", "ab)" };
	struct warnlist w;
	char text[4096], msg[256];
	size_t k = 0, eo;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		k += (size_t)snprintf(text + k, sizeof text - k, "n%zu token low - %s\n", i,
		    bad[i]);
	k += (size_t)snprintf(text + k, sizeof text - k, "ok token low - fine\n");
	warn_init(&w);
	struct patset *ps = patset_new();
	const char *path = write_file(text, k);
	assert_int_equal(patset_load(ps, path, &w), 1);
	assert_string_equal(patset_get(ps, 0)->name, "ok");
	assert_int_equal(w.n, sizeof bad / sizeof *bad);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char where[700], off[64];
		pcre2_why(bad[i], msg, sizeof msg, &eo);
		snprintf(where, sizeof where, "%s:%zu:", path, i + 1);
		snprintf(off, sizeof off, " at offset %zu", eo);
		assert_non_null(strstr(w.v[i].msg, where));
		assert_non_null(strstr(w.v[i].msg, msg));
		assert_non_null(strstr(w.v[i].msg, off));
		assert_warning(&w, i, "patterns: %s:%zu: n%zu: %s at offset %zu", path, i + 1, i,
		    msg, eo);
	}
	warn_fini(&w);
	patset_free(ps);
}

/* Lines of 4096 bytes load; longer ones are skipped whole and the next keeps its number. */
static void
test_load_long_lines(void **state)
{
	(void)state;
	static const char head[] = "n token low - ";
	size_t max = 4096, k = 0;
	char *text = malloc(5 * max + 200);
	struct warnlist w;

	assert_non_null(text);
	/* Line 1: exactly 4096 bytes before its LF. */
	k += (size_t)sprintf(text + k, "%s", head);
	memset(text + k, 'a', max - (sizeof head - 1));
	k += max - (sizeof head - 1);
	text[k++] = '\n';
	/* Line 2: past the limit; its tail looks like a pattern line and must not load. */
	memset(text + k, '#', max + 1);
	k += max + 1;
	k += (size_t)sprintf(text + k, "tail token low - tailx\n");
	/* Line 3: a good one.  Line 4: 3 * 4096 bytes, the last line, without LF. */
	k += (size_t)sprintf(text + k, "three token low - three\n");
	memset(text + k, 'z', 3 * max);
	k += 3 * max;
	warn_init(&w);
	struct patset *ps = patset_new();
	const char *path = write_file(text, k);
	assert_int_equal(patset_load(ps, path, &w), 2);
	assert_int_equal(patset_count(ps), 2);
	assert_int_equal(strlen(patset_get(ps, 0)->expr), max - (sizeof head - 1));
	assert_string_equal(patset_get(ps, 1)->name, "three");
	char origin[700];
	snprintf(origin, sizeof origin, "%s:3", path);
	assert_string_equal(patset_get(ps, 1)->origin, origin);
	assert_int_equal(w.n, 2);
	assert_warning(&w, 0, "patterns: %s:2: line longer than 4096 bytes, skipped", path);
	assert_warning(&w, 1, "patterns: %s:4: line longer than 4096 bytes, skipped", path);
	warn_fini(&w);
	patset_free(ps);
	free(text);
}

static void
test_load_missing_and_empty(void **state)
{
	(void)state;
	struct warnlist w;
	struct patset *ps = patset_new();
	char path[600];

	warn_init(&w);
	snprintf(path, sizeof path, "%s/does-not-exist", tmpdir);
	assert_int_equal(patset_load(ps, path, &w), -1);
	assert_int_equal(w.n, 1);
	assert_warning(&w, 0, "patterns: %s: No such file or directory", path);
	assert_int_equal(patset_count(ps), 0);
	/* An empty file and a file of comments: nothing, no warning. */
	assert_int_equal(patset_load(ps, write_file("", 0), &w), 0);
	assert_int_equal(patset_load(ps, write_file("#\n# x\n\n", 7), &w), 0);
	assert_int_equal(w.n, 1);
	/* Two files add up; the same bad line twice is one warning counted twice. */
	assert_int_equal(patset_load(ps, write_file("a token low - a\nb x low - b\n", 28), &w), 1);
	assert_int_equal(patset_load(ps, write_file("a token low - a\nb x low - b\n", 28), &w), 1);
	assert_int_equal(patset_count(ps), 2);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.v[1].count, 2);
	warn_fini(&w);
	patset_free(ps);
}

static void
test_add(void **state)
{
	(void)state;
	struct patset *ps = patset_new();
	char err[256] = "";

	assert_int_equal(patset_count(ps), 0);
	assert_int_equal(patset_add(ps, "t", CAT_PERSONAL, SEV_MEDIUM, DEC_BASE64, "x(y",
	    "here:1", err, sizeof err), -1);
	assert_non_null(strstr(err, "at offset 3"));
	assert_int_equal(patset_count(ps), 0);
	assert_int_equal(patset_add(ps, "t", CAT_PERSONAL, SEV_MEDIUM, DEC_BASE64,
	    "(?<a>x)(?<value>y)", NULL, err, sizeof err), 0);
	const struct pattern *p = patset_get(ps, 0);
	assert_string_equal(p->origin, "t");		/* no origin: the name */
	assert_int_equal(p->value_group, 2);
	assert_int_equal(p->cat, CAT_PERSONAL);
	assert_int_equal(p->sev, SEV_MEDIUM);
	assert_int_equal(p->decode, DEC_BASE64);
	/* Many patterns: the table grows, earlier entries stay right. */
	for (int i = 0; i < 100; i++) {
		char e[32];
		snprintf(e, sizeof e, "p%03d", i);
		assert_int_equal(patset_add(ps, e, CAT_TOKEN, SEV_LOW, DEC_NONE, e, e, err,
		    sizeof err), 0);
	}
	assert_int_equal(patset_count(ps), 101);
	assert_string_equal(patset_get(ps, 0)->expr, "(?<a>x)(?<value>y)");
	assert_string_equal(patset_get(ps, 100)->name, "p099");
	patset_free(ps);
	patset_free(NULL);
}

/* --- matching ---------------------------------------------------------------------------- */

struct hit {
	size_t	off, len, voff, vlen;
};

struct hits {
	struct hit	v[32];
	int		n;
	int		stop_after;	/* 0: never */
};

static int
on_hit(void *ctx, const struct pattern *p, size_t off, size_t len, size_t voff, size_t vlen)
{
	struct hits *h = ctx;

	(void)p;
	if (h->n < 32)
		h->v[h->n] = (struct hit){ off, len, voff, vlen };
	h->n++;
	return h->stop_after != 0 && h->n >= h->stop_after;
}

static long
run1(const char *expr, const char *subject, size_t from, struct hits *h)
{
	struct patset *ps = patset_new();
	char err[256];

	if (patset_add(ps, "x", CAT_TOKEN, SEV_LOW, DEC_NONE, expr, NULL, err, sizeof err) < 0)
		fail_msg("%s: %s", expr, err);
	long r = patset_run(ps, 0, (const uint8_t *)subject, strlen(subject), from, on_hit, h,
	    err, sizeof err);
	patset_free(ps);
	return r;
}

#define assert_hit(h, i, o, l, vo, vl) do {					\
	assert_int_equal((h)->v[i].off, (o));					\
	assert_int_equal((h)->v[i].len, (l));					\
	assert_int_equal((h)->v[i].voff, (vo));					\
	assert_int_equal((h)->v[i].vlen, (vl));					\
} while (0)

static void
test_run_value_group(void **state)
{
	(void)state;
	struct hits h = { .n = 0 };

	assert_int_equal(run1("key=(?<value>[a-z]+)", "x key=abc y KEY=no key=de", 0, &h), 2);
	assert_int_equal(h.n, 2);
	assert_hit(&h, 0, 2, 7, 6, 3);
	assert_hit(&h, 1, 19, 6, 23, 2);
	/* The value group not first, other groups around it. */
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("(a)(b)?(?<value>c+)(d)", "xxabcccd", 0, &h), 1);
	assert_hit(&h, 0, 2, 6, 4, 3);
	/* An optional value group that did not take part: the whole match is the value. */
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("k(?<value>v)?z", "kz kvz", 0, &h), 2);
	assert_hit(&h, 0, 0, 2, 0, 2);
	assert_hit(&h, 1, 3, 3, 4, 1);
	/* An empty value. */
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("k=(?<value>[0-9]*);", "k=;", 0, &h), 1);
	assert_hit(&h, 0, 0, 3, 2, 0);
	/* The default pattern for Basic credentials. */
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("(?i)authorization:[ \\t]*basic[ \\t]+(?<value>[A-Za-z0-9+/=]{4,})",
	    "GET / HTTP/1.1\r\nAUTHORIZATION:  BASIC\tYWRtaW46c2VjcmV0\r\n", 0, &h), 1);
	assert_hit(&h, 0, 16, 38, 38, 16);
}

static void
test_run_whole_match(void **state)
{
	(void)state;
	struct hits h = { .n = 0 };

	assert_int_equal(run1("[0-9]{3}", "a123b4567", 0, &h), 2);
	assert_hit(&h, 0, 1, 3, 1, 3);
	assert_hit(&h, 1, 5, 3, 5, 3);
	/* From an offset: earlier matches are not seen, earlier bytes are looked behind at. */
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("[0-9]{3}", "a123b4567", 2, &h), 1);
	assert_hit(&h, 0, 5, 3, 5, 3);
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("(?<=key=)[a-z]+", "key=abc", 4, &h), 1);
	assert_hit(&h, 0, 4, 3, 4, 3);
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("\\bword", "sword", 1, &h), 0);
	/* \K moves the start of the match. */
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("ab\\Kcd", "xabcd", 0, &h), 1);
	assert_hit(&h, 0, 3, 2, 3, 2);
	/* Empty matches advance one byte: at 0, 1 and the end. */
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("x*", "ab", 0, &h), 3);
	assert_hit(&h, 0, 0, 0, 0, 0);
	assert_hit(&h, 1, 1, 0, 1, 0);
	assert_hit(&h, 2, 2, 0, 2, 0);
	/* No match. */
	memset(&h, 0, sizeof h);
	assert_int_equal(run1("zz", "abc", 0, &h), 0);
	assert_int_equal(h.n, 0);
	/* From the end: only what may match there. */
	assert_int_equal(run1("c", "abc", 3, &h), 0);
	assert_int_equal(run1("$", "abc", 3, &h), 1);
}

static void
test_run_stop_and_null(void **state)
{
	(void)state;
	struct patset *ps = patset_new();
	char err[256];
	struct hits h = { .n = 0, .stop_after = 2 };
	const char *s = "a1 a2 a3 a4";

	assert_int_equal(patset_add(ps, "x", CAT_TOKEN, SEV_LOW, DEC_NONE, "a[0-9]", NULL, err,
	    sizeof err), 0);
	/* The callback says stop: the count includes the match it stopped at. */
	assert_int_equal(patset_run(ps, 0, (const uint8_t *)s, strlen(s), 0, on_hit, &h, err,
	    sizeof err), 2);
	assert_int_equal(h.n, 2);
	/* No callback: matches are counted. */
	assert_int_equal(patset_run(ps, 0, (const uint8_t *)s, strlen(s), 0, NULL, NULL, err,
	    sizeof err), 4);
	/* No bytes at all. */
	assert_int_equal(patset_run(ps, 0, NULL, 0, 0, NULL, NULL, err, sizeof err), 0);
	patset_free(ps);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * (a+)+$ backtracks exponentially where the run of a's does not reach the end: the match
 * limit stops it, with PCRE2's message, in well under a second.  On a buffer of only a's
 * there is nothing to backtrack: it matches the whole buffer at once.
 */
static void
test_run_pathological(void **state)
{
	(void)state;
	struct patset *ps = patset_new();
	char err[256] = "";
	size_t n = 100000;
	uint8_t *b = malloc(n + 1);

	assert_non_null(b);
	memset(b, 'a', n);
	b[n] = '!';
	assert_int_equal(patset_add(ps, "evil", CAT_TOKEN, SEV_LOW, DEC_NONE, "(a+)+$", NULL, err,
	    sizeof err), 0);
	double t0 = now_s();
	assert_int_equal(patset_run(ps, 0, b, n + 1, 0, NULL, NULL, err, sizeof err), -1);
	double t1 = now_s();
	assert_true(strlen(err) > 0);
	assert_true(strstr(err, "limit") != NULL);
	if (t1 - t0 > 1.0)
		fail_msg("the match limit took %.3f s", t1 - t0);

	struct hits h = { .n = 0 };
	assert_int_equal(patset_run(ps, 0, b, n, 0, on_hit, &h, err, sizeof err), 1);
	assert_hit(&h, 0, 0, n, 0, n);
	assert_true(now_s() - t1 < 1.0);
	patset_free(ps);
	free(b);
}

/* --- the prefilter ----------------------------------------------------------------------- */

static void
test_prefilter_basic(void **state)
{
	(void)state;
	struct patset *ps = patset_new();
	char err[256];
	static const char *const ex[] = {
		"(?i)authorization:[ \\t]*basic",	/* 0: "authorization:" */
		"foo|barbaz",				/* 1 */
		"[0-9]+",				/* 2: no literal, always */
		"x",					/* 3: one byte */
		"\\xff\\x00",				/* 4: binary */
	};
	uint8_t want[5];
	size_t last[5];

	for (size_t i = 0; i < 5; i++)
		assert_int_equal(patset_add(ps, "p", CAT_TOKEN, SEV_LOW, DEC_NONE, ex[i], NULL,
		    err, sizeof err), 0);
#define PF(s, from) patset_prefilter(ps, (const uint8_t *)(s), sizeof(s) - 1, (from), want, last)
	assert_int_equal(PF("", 0), 1);
	assert_memory_equal(want, "\0\0\1\0\0", 5);
	assert_int_equal(last[2], 0);
	assert_true(last[0] == SIZE_MAX && last[1] == SIZE_MAX && last[3] == SIZE_MAX);
	assert_int_equal(PF("AuThOrIzAtIoN: x", 0), 3);
	assert_memory_equal(want, "\1\0\1\1\0", 5);
	assert_int_equal(last[0], 0);
	assert_int_equal(last[3], 15);			/* the last byte */
	assert_int_equal(last[2], 16);			/* n: no literal */
	assert_int_equal(PF("authorization", 0), 1);	/* cut short */
	assert_int_equal(PF("..BARBAZ..foo..foo", 0), 2);
	assert_int_equal(last[1], 15);			/* the last occurrence */
	assert_int_equal(PF("..barba", 0), 1);
	assert_int_equal(PF("a\xff\x00z", 0), 2);
	assert_int_equal(want[4], 1);
	assert_int_equal(last[4], 1);
	assert_int_equal(PF("a\xff\x01z", 0), 1);
	/* From a position on: literals that start before it do not count. */
	assert_int_equal(PF("foo..x", 2), 2);
	assert_memory_equal(want, "\0\0\1\1\0", 5);
	assert_int_equal(PF("foo..x", 0), 3);
	assert_int_equal(PF("xfoo", 1), 2);
	assert_memory_equal(want, "\0\1\1\0\0", 5);
	assert_int_equal(PF("abcx", 3), 2);		/* a one-byte literal at the end */
	assert_int_equal(last[3], 3);
	assert_int_equal(PF("abcx", 4), 1);
#undef PF
	patset_free(ps);
	/* An empty set marks nothing. */
	ps = patset_new();
	assert_int_equal(patset_prefilter(ps, (const uint8_t *)"abc", 3, 0, want, NULL), 0);
	patset_free(ps);
}

/* Where the default patterns are: the source tree's share/ (the build defines it). */
static int
default_patterns(char *path, size_t len)
{
#ifdef SRCDATADIR
	snprintf(path, len, "%s/patterns", SRCDATADIR);
	if (access(path, R_OK) == 0)
		return 0;
#endif
	const char *src = getenv("srcdir");
	snprintf(path, len, "%s/share/patterns", src != NULL ? src : "../..");
	return access(path, R_OK) == 0 ? 0 : -1;
}

/* Text that matches one or more of the default patterns. */
static const char *const samples[] = {
	"Authorization: Basic YWRtaW46c2VjcmV0",
	"Authorization: Digest realm=\"cam\", username=\"admin\", nonce=\"1\"",
	"authorization: bearer eyJhbGciOiJIUzI1NiJ9abc",
	"Authorization: Token 0123456789abcdef",
	"X-Api-Key: 9f8e7d6c5b4a",
	"Cookie: lang=en; PHPSESSID=abcdef0123456789",
	"?user=bob&password=hunter22&x=1",
	"{\"password\": \"hunter22\"}",
	" username=bob&",
	"\"username\":\"bob\"",
	"?access_token=abcdef123",
	"\"token\": \"abcdef123\"",
	"&apikey=abcdef123",
	"\"api_key\":\"abcdef123\"",
	"?serial=SN12345",
	"&sn=SN998877",
	"\"serial_number\": \"SN12345\"",
	"\"imei\": \"356938035643809\"",
	"{\"device_id\":\"dev-1234\"}",
	"\"uuid\":\"0123456789abcdef\"",
	"&mac=00:11:22:33:44:55",
	"\"mac\":\"001122334455\"",
	"bob%40example.com",
	"?phone=%2B4915112345678",
	"\"phone\":\"+4915112345678\"",
	" AKIAIOSFODNN7EXAMPLE ",
	"?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE",
	"&Signature=abcdEFGH1234",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
	" ghp_0123456789abcdefghijABCDEFGHIJ012345 ",
	" xoxb-1234567890-abcdef",
	" AIzaSyA0123456789abcdefghijklmnopqrstuv",
	"-----BEGIN RSA PRIVATE KEY-----",
	"\"lat\": 52.520008",
	"\"lng\":13.404954",
	"&lat=52.520",
	"&lon=13.405",
	"\"weight_kg\": 72.5",
	"\"height_cm\":180",
	"\"age\": 42,",
	"\"gender\":\"female\"",
	"\"dob\":\"1980-01-31\"",
	"\"heart_rate\": 72",
};

/* Random bytes of three kinds, with samples planted (some case-flipped, some cut short). */
static size_t
random_buffer(uint64_t *rng, uint8_t *b, size_t max)
{
	static const char text[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	    " \t\r\n\"'=:;&?%{}[],.-_+/@";
	size_t n = 0, target = rng_below(rng, max);

	while (n < target) {
		size_t k = 1 + rng_below(rng, 40);
		switch (rng_below(rng, 4)) {
		case 0:				/* binary */
			for (size_t i = 0; i < k && n < max; i++)
				b[n++] = (uint8_t)rng_next(rng);
			break;
		case 1:				/* text */
			for (size_t i = 0; i < k && n < max; i++)
				b[n++] = (uint8_t)text[rng_below(rng, sizeof text - 1)];
			break;
		default: {			/* a sample */
			const char *s = samples[rng_below(rng, sizeof samples / sizeof *samples)];
			size_t len = strlen(s), flip = rng_below(rng, 4), cut = rng_below(rng, 6);
			if (cut == 0 && len > 1)
				len = 1 + rng_below(rng, len - 1);
			for (size_t i = 0; i < len && n < max; i++) {
				uint8_t c = (uint8_t)s[i];
				if (flip == 0 && isalpha(c) && (rng_next(rng) & 1))
					c ^= 0x20;
				b[n++] = c;
			}
			break;
		}
		}
	}
	return n;
}

/*
 * PROPERTY: over random buffers with planted matches of the default patterns, every pattern
 * that patset_run finds a match for is marked by patset_prefilter (the prefilter may let too
 * much through, never too little).  Every default pattern must match somewhere, or the
 * samples above need one for it.
 */
static void
test_prefilter_never_drops(void **state)
{
	(void)state;
	char path[4096], err[256];
	struct warnlist w;
	struct patset *ps = patset_new();
	uint64_t rng = 20240601;
	size_t max = 3000;
	uint8_t *b = malloc(max);

	if (default_patterns(path, sizeof path) < 0) {
		patset_free(ps);
		free(b);
		skip();
	}
	warn_init(&w);
	assert_true(patset_load(ps, path, &w) > 0);
	assert_int_equal(w.n, 0);
	size_t np = patset_count(ps);
	uint8_t *want = calloc(np, 1);
	unsigned *matched = calloc(np, sizeof *matched);
	assert_non_null(b);
	assert_non_null(want);
	assert_non_null(matched);
	for (int round = 0; round < 400; round++) {
		size_t n = random_buffer(&rng, b, max);
		patset_prefilter(ps, b, n, 0, want, NULL);
		for (size_t i = 0; i < np; i++) {
			long m = patset_run(ps, i, b, n, 0, NULL, NULL, err, sizeof err);
			if (m < 0)
				fail_msg("round %d, %s: %s", round, patset_get(ps, i)->name, err);
			if (m > 0 && !want[i])
				fail_msg("round %d: %s (%s) matches but was not marked", round,
				    patset_get(ps, i)->name, patset_get(ps, i)->origin);
			matched[i] += m > 0;
		}
	}
	for (size_t i = 0; i < np; i++)
		if (matched[i] == 0)
			fail_msg("%s (%s) never matched: add a sample for it", patset_get(ps, i)->name,
			    patset_get(ps, i)->origin);
	free(matched);
	free(want);
	free(b);
	warn_fini(&w);
	patset_free(ps);
}

/* Whether one of pattern p's literals starts at b[i] (ASCII case folded). */
static int
model_literal_at(const struct pattern *p, const uint8_t *b, size_t n, size_t i)
{
	for (int l = 0; l < p->nlits; l++) {
		size_t k = 0;
		if (i + p->litlen[l] > n)
			continue;
		while (k < p->litlen[l] && tolower(b[i + k]) == p->lit[l][k])
			k++;
		if (k == p->litlen[l])
			return 1;
	}
	return 0;
}

/* Whether one of p's literals starts at b[k] and reaches position from (ends past it). */
static int
model_reaching(const struct pattern *p, const uint8_t *b, size_t n, size_t k, size_t from)
{
	for (int l = 0; l < p->nlits; l++) {
		size_t j = 0;
		if (k + p->litlen[l] > n || k + p->litlen[l] <= from)
			continue;
		while (j < p->litlen[l] && tolower(b[k + j]) == p->lit[l][j])
			j++;
		if (j == p->litlen[l])
			return 1;
	}
	return 0;
}

/*
 * want[] and last[] against what the literals say, worked out the slow way.  Exact where
 * it must be: a pattern one of whose literals starts at from or later is marked (never too
 * little), and with from 0 nothing else is.  The byte loop steps over positions and finds a
 * literal by any of its first bigrams, so a literal that starts up to 3 bytes before from
 * (and reaches it) may count too, and last[] may name, of two occurrences less than 4
 * bytes apart, the earlier one (see test_prefilter_bug_last below).
 */
static void
check_prefilter_model(const struct patset *ps, const uint8_t *b, size_t n, size_t from,
    uint8_t *want, size_t *last, int round)
{
	size_t np = patset_count(ps), marked = 0;
	size_t got = patset_prefilter(ps, b, n, from, want, last);

	for (size_t i = 0; i < np; i++) {
		const struct pattern *p = patset_get(ps, i);
		size_t lw = p->nlits == 0 ? n : SIZE_MAX;
		for (size_t k = n; p->nlits > 0 && k-- > from; )
			if (model_literal_at(p, b, n, k)) {
				lw = k;
				break;
			}
		int must = lw != SIZE_MAX;
		marked += want[i];
		if (must && (!want[i] || last[i] > lw || lw - last[i] > 3 ||
		    (p->nlits > 0 && !model_literal_at(p, b, n, last[i]))))
			fail_msg("round %d, n %zu, from %zu, pattern %zu (%s): want %d last %zu, "
			    "expected want 1 last %zu", round, n, from, i, p->expr, want[i],
			    last[i], lw);
		if (!must && want[i] && (from == 0 || last[i] + 3 < from ||
		    !model_reaching(p, b, n, last[i], from)))
			fail_msg("round %d, n %zu, from %zu, pattern %zu (%s): marked (last %zu), "
			    "no literal reaches from", round, n, from, i, p->expr, last[i]);
		if (!want[i] && last[i] != SIZE_MAX)
			fail_msg("round %d: pattern %zu not marked, last %zu", round, i, last[i]);
	}
	assert_int_equal(got, marked);
}

/*
 * PROPERTY: the prefilter marks the patterns with no literal and those one of whose literals
 * occurs at a position from `from` on (and with from 0 no other), and says where one of the
 * last starts; over the default patterns and over a set of short, binary and one-byte
 * literals on a small alphabet where they occur everywhere, at the buffers' ends too.
 */
static void
test_prefilter_model(void **state)
{
	(void)state;
	static const char *const ex[] = { "x", "\\x00", "a(?:b|c)", "\\xff\\xfe", "(?i)Q",
		"[0-9]+", "zz|y", "(?i)abcab", "\\x80\\x81\\x82", "\\.", "ba", "A" };
	static const uint8_t alpha[] = { 'a', 'b', 'c', 'x', 'y', 'z', 'q', 'Q', 'A', 'B', 0,
		0xff, 0xfe, 0x80, 0x81, 0x82, '.', '1' };
	char path[4096], err[256];
	struct warnlist w;
	struct patset *small = patset_new(), *dflt = patset_new();
	uint64_t rng = 77;
	size_t max = 3000;
	uint8_t *b = malloc(max), want[256];
	size_t last[256];

	assert_non_null(b);
	for (size_t i = 0; i < sizeof ex / sizeof *ex; i++)
		assert_int_equal(patset_add(small, "s", CAT_TOKEN, SEV_LOW, DEC_NONE, ex[i], NULL,
		    err, sizeof err), 0);
	for (int round = 0; round < 400; round++) {
		size_t n = rng_below(&rng, 64);
		for (size_t i = 0; i < n; i++)
			b[i] = alpha[rng_below(&rng, sizeof alpha)];
		check_prefilter_model(small, b, n, rng_below(&rng, n + 2) % (n + 1), want, last,
		    round);
		check_prefilter_model(small, b, n, 0, want, last, round);
	}
	warn_init(&w);
	if (default_patterns(path, sizeof path) == 0 && patset_load(dflt, path, &w) > 0) {
		assert_true(patset_count(dflt) <= sizeof want);
		for (int round = 0; round < 300; round++) {
			size_t n = random_buffer(&rng, b, max);
			check_prefilter_model(dflt, b, n, rng_below(&rng, n + 1), want, last, round);
			check_prefilter_model(dflt, b, n, 0, want, last, round);
		}
	}
	warn_fini(&w);
	patset_free(small);
	patset_free(dflt);
	free(b);
}

/*
 * Was a bug (src/patterns.c, patset_prefilter/candidates, against patterns.h): the header says
 * last[i] is the position of pattern i's last literal and that only literals at from or
 * later count.  The byte loop steps by up to 4 positions and finds a literal by the bigram
 * at any of its first offsets, so of two occurrences less than 4 bytes apart the earlier may
 * be named, and a literal starting up to 3 bytes before from is counted.
 * Input 1: api-token ((?i)(?:x-api-key|…|api-key|…)[ \t]*:…) on "x-api-key: 12345678".
 * Expected: last 2 (where "api-key" starts).  Was: 0 ("x-api-key").
 * Input 2: the same pattern, same bytes, from 1.  Expected: last 2.  Was: 0, before from.
 * scan.c keeps a literal's bit for the carry when last[i] + 2 >= keep_from: an error of 3
 * (a step of 4, when every literal is 5 bytes or more) can drop a pattern whose literal is
 * in the carry from the next piece.
 */
static void
test_prefilter_bug_last(void **state)
{
	(void)state;
	struct patset *ps;
	char err[256];
	uint8_t want[1];
	size_t last[1];
	static const char s[] = "x-api-key: 12345678";

	ps = patset_new();
	assert_int_equal(patset_add(ps, "api-token", CAT_TOKEN, SEV_HIGH, DEC_NONE,
	    "(?i)(?:x-api-key|x-api-token|x-auth-token|x-access-token|x-token|api-key|api-token|"
	    "auth-token|access-token)[ \\t]*:[ \\t]*(?<value>[^\\s]{8,512})", NULL, err,
	    sizeof err), 0);
	/* Stepping over positions, the start named may be up to 3 bytes before the last one. */
	assert_int_equal(patset_prefilter(ps, (const uint8_t *)s, sizeof s - 1, 0, want, last), 1);
	assert_true(last[0] <= 2 && last[0] + 3 >= 2);
	assert_int_equal(patset_prefilter(ps, (const uint8_t *)s, sizeof s - 1, 1, want, last), 1);
	assert_true(last[0] <= 2 && last[0] + 3 >= 2);
	patset_free(ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_literals_stored),
		cmocka_unit_test(test_literals_bug_quoted_name),
		cmocka_unit_test(test_literals_bug_accept),
		cmocka_unit_test(test_literals_bug_escapes),
		cmocka_unit_test(test_literals_bug_quantified_assertion),
		cmocka_unit_test(test_literals_never_drop_random),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_load, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_bad_regex, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_long_lines, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_load_missing_and_empty, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_run_value_group),
		cmocka_unit_test(test_run_whole_match),
		cmocka_unit_test(test_run_stop_and_null),
		cmocka_unit_test(test_run_pathological),
		cmocka_unit_test(test_prefilter_basic),
		cmocka_unit_test(test_prefilter_never_drops),
		cmocka_unit_test(test_prefilter_model),
		cmocka_unit_test(test_prefilter_bug_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
