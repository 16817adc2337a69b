/*
 * literals.c — what every match of a PCRE2 expression must contain, read from the expression
 * itself, for the pattern set's prefilter (see patterns.h, pattern_literals).  Conservative
 * throughout: anything not understood requires nothing, so the prefilter can only let too
 * much through, never too little.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"

/*
 * Length of a quantifier at e (0: none) and whether it allows zero repeats.  Lazy and
 * possessive suffixes are part of it.
 */
static size_t
quantifier(const char *e, int *optional)
{
	size_t n = 0;

	*optional = 0;
	if (*e == '?' || *e == '*' || *e == '+') {
		*optional = *e != '+';
		n = 1;
	} else if (*e == '{') {
		const char *p = e + 1;
		if (!isdigit((unsigned char)*p) && *p != ',')
			return 0;		/* a literal brace */
		long min = *p == ',' ? 0 : strtol(p, (char **)&p, 10);
		while (isdigit((unsigned char)*p) || *p == ',')
			p++;
		if (*p != '}')
			return 0;
		*optional = min == 0;
		n = (size_t)(p + 1 - e);
	} else
		return 0;
	if (e[n] == '?' || e[n] == '+')
		n++;
	return n;
}

/* Length of the construct at e that is not a plain character: a class, a group, an escape. */
static size_t
skip_class(const char *e)
{
	size_t i = 1;

	if (e[i] == '^')
		i++;
	if (e[i] == ']')
		i++;
	while (e[i] != '\0' && e[i] != ']') {
		if (e[i] == '\\' && e[i + 1] != '\0')
			i++;
		else if (e[i] == '[' && e[i + 1] == ':') {
			const char *end = strstr(e + i, ":]");
			if (end != NULL)
				i = (size_t)(end - e) + 1;
		}
		i++;
	}
	return e[i] == ']' ? i + 1 : i;
}

static size_t
skip_group(const char *e, int *bad)
{
	int depth = 0;
	size_t i = 0;

	for (; e[i] != '\0'; i++) {
		if (e[i] == '\\' && e[i + 1] != '\0')
			i++;
		else if (e[i] == '[')
			i += skip_class(e + i) - 1;
		else if (e[i] == '(')
			depth++;
		else if (e[i] == ')' && --depth == 0)
			return i + 1;
	}
	*bad = 1;
	return i;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * What every match must contain: one of a few literals (an alternation of literals, or of
 * branches that each require one).  Worked out conservatively: anything not understood
 * requires nothing, so the prefilter can only let too much through, never too little.
 */
struct req {
	int		 n;		/* 0: nothing known */
	uint8_t		 len[PAT_ALTS];
	uint8_t		 lit[PAT_ALTS][PAT_LITERAL_MAX];
};

static int
req_score(const struct req *r)
{
	int m = 0;

	for (int i = 0; i < r->n; i++)
		if (i == 0 || r->len[i] < m)
			m = r->len[i];
	return m;
}

/* Keeps the better of two requirements in *best: longer shortest literal, then fewer. */
static void
req_better(struct req *best, const struct req *c)
{
	int sb = req_score(best), sc = req_score(c);

	if (c->n > 0 && sc > 0 && (sc > sb || (sc == sb && c->n < best->n) || best->n == 0))
		*best = *c;
}

static int alt_req(const char **pe, struct req *out, struct req *exact, int *caseless);

/* (*UTF), (*UCP), (*LIMIT_MATCH=n)…: options, not matching. */
static int
is_option_verb(const char *e)
{
	static const char *const v[] = { "(*UTF", "(*UCP", "(*LIMIT_", "(*NO_", "(*CR)", "(*LF)",
	    "(*CRLF)", "(*ANY", "(*NUL)", "(*BSR_", "(*NOTEMPTY" };

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (strncmp(e, v[i], strlen(v[i])) == 0)
			return 1;
	return 0;
}

/*
 * cur × more: every string of cur followed by every one of more, in place.  0 when the
 * product does not fit (too many strings, or too long).
 */
static int
req_product(struct req *cur, const struct req *more)
{
	struct req p = { 0 };

	if (cur->n * more->n > PAT_ALTS)
		return 0;
	for (int i = 0; i < cur->n; i++)
		for (int j = 0; j < more->n; j++) {
			if (cur->len[i] + more->len[j] > PAT_LITERAL_MAX)
				return 0;
			memcpy(p.lit[p.n], cur->lit[i], cur->len[i]);
			memcpy(p.lit[p.n] + cur->len[i], more->lit[j], more->len[j]);
			p.len[p.n++] = (uint8_t)(cur->len[i] + more->len[j]);
		}
	*cur = p;
	return 1;
}

static void
req_empty(struct req *r)
{
	memset(r, 0, sizeof *r);
	r->n = 1;			/* one empty string: what follows starts it */
}

/*
 * One branch, up to '|' or ')' at this level.  best: what any match of it must contain.
 * exact: when the branch is nothing but literals and groups of literal alternatives, the
 * strings it matches (n = 0 otherwise), so a group of alternatives joins the literals
 * around it: "(?:pass|pwd)=" requires "pass=" or "pwd=".
 */
static int
seq_req(const char **pe, struct req *best, struct req *exact, int *caseless)
{
	const char *e = *pe;
	struct req cur;			/* strings that end here, every one required as a whole */
	int is_exact = 1;

	memset(best, 0, sizeof *best);
	req_empty(&cur);
	while (*e != '\0' && *e != '|' && *e != ')') {
		int c = -1, optional;
		struct req inner = { 0 }, inner_exact = { 0 };
		size_t q;

		if (*e == '(') {
			int bad = 0;
			if (e[1] == '*') {
				/*
				 * A verb.  Option settings at the start ((*UTF), (*LIMIT_…)) say
				 * nothing of what matches; (*ACCEPT) and the backtracking verbs
				 * can end a match early: then nothing after them is required.
				 */
				const char *end = strchr(e, ')');
				if (end == NULL || !is_option_verb(e))
					return -1;
				e = end + 1;
				continue;
			}
			if (e[1] == '?') {
				const char *o = e + 2;
				size_t k = strspn(o, "imsn");
				if (o[k] == ')' || o[k] == ':') {
					if (memchr(o, 'i', k) != NULL)
						*caseless = 1;
					if (o[k] == ')') {	/* options for what follows */
						e = o + k + 1;
						continue;
					}
					e = o + k + 1;
				} else if ((*o == '<' && (o[1] == '=' || o[1] == '!')) || *o == '=' ||
				    *o == '!' || *o == '#') {
					/* A lookaround or a comment, and any quantifier after it. */
					e += skip_group(e, &bad);
					if (bad)
						return -1;
					e += quantifier(e, &optional);
					goto broken;
				} else if (*o == '<' || *o == '\'' || (*o == 'P' && o[1] == '<')) {
					const char *end = strchr(o + 1, *o == '\'' ? '\'' : '>');
					if (end == NULL)
						return -1;
					e = end + 1;
				} else if (*o == '>' || *o == '|')
					e = o + 1;
				else
					return -1;		/* something we do not read */
			} else
				e++;
			if (alt_req(&e, &inner, &inner_exact, caseless) < 0 || *e != ')')
				return -1;
			e++;
			q = quantifier(e, &optional);
			e += q;
			if (q == 0 && inner_exact.n > 0 && req_product(&cur, &inner_exact)) {
				req_better(best, &cur);
				continue;
			}
			if (!optional)
				req_better(best, &inner);
			goto broken;
		} else if (*e == '[') {
			e += skip_class(e);
			e += quantifier(e, &optional);
			goto broken;
		} else if (*e == '\\') {
			if (e[1] == '\0' || e[1] == 'Q' || e[1] == 'E')
				return -1;
			size_t len = 2;
			if (e[1] == 'x') {
				if (hexval(e[2]) < 0 || hexval(e[3]) < 0)
					return -1;	/* \x4, \x{…}: not worth reading */
				c = hexval(e[2]) * 16 + hexval(e[3]);
				len = 4;
			} else if (e[1] == 'r')
				c = '\r';
			else if (e[1] == 'n')
				c = '\n';
			else if (e[1] == 't')
				c = '\t';
			else if (!isalnum((unsigned char)e[1]))
				c = (unsigned char)e[1];
			else if (strchr("dDsSwWbBAzZGhHvVRXKeafN", e[1]) == NULL)
				return -1;	/* octal, back references, \c, \p, \g, \k…: give up */
			e += len;
		} else if (strchr(".^$", *e) != NULL)
			e++;
		else
			c = (unsigned char)*e++;
		q = quantifier(e, &optional);
		e += q;
		if (c >= 0 && !optional) {
			struct req one = { .n = 1 };
			one.len[0] = 1;
			one.lit[0][0] = (uint8_t)tolower(c);
			if (req_product(&cur, &one))
				req_better(best, &cur);
			else {
				req_empty(&cur);	/* too long: start again from here */
				req_product(&cur, &one);
				is_exact = 0;
			}
		}
		if (c >= 0 && q == 0)
			continue;
broken:
		req_empty(&cur);
		is_exact = 0;
	}
	*pe = e;
	if (is_exact)
		*exact = cur;
	else
		memset(exact, 0, sizeof *exact);
	return 0;
}

/* Branches separated by '|' up to ')' or the end: one of theirs is required. */
static int
alt_req(const char **pe, struct req *out, struct req *exact, int *caseless)
{
	struct req u = { 0 }, x = { 0 }, b, bx;
	int known = 1, all_exact = 1;

	for (;;) {
		if (seq_req(pe, &b, &bx, caseless) < 0)
			return -1;
		if (b.n == 0 || u.n + b.n > PAT_ALTS)
			known = 0;
		else
			for (int i = 0; i < b.n; i++) {
				u.len[u.n] = b.len[i];
				memcpy(u.lit[u.n++], b.lit[i], b.len[i]);
			}
		if (bx.n == 0 || x.n + bx.n > PAT_ALTS)
			all_exact = 0;
		else
			for (int i = 0; i < bx.n; i++) {
				x.len[x.n] = bx.len[i];
				memcpy(x.lit[x.n++], bx.lit[i], bx.len[i]);
			}
		if (**pe != '|')
			break;
		(*pe)++;
	}
	if (!known)
		u.n = 0;
	*out = u;
	if (!all_exact)
		x.n = 0;
	*exact = x;
	return 0;
}

int
pattern_literals(const char *expr, uint8_t lit[][PAT_LITERAL_MAX], uint8_t *len, int *caseless)
{
	struct req r, x;
	const char *e = expr;

	*caseless = 0;
	if (alt_req(&e, &r, &x, caseless) < 0 || *e != '\0')
		return 0;
	for (int i = 0; i < r.n; i++) {
		len[i] = r.len[i];
		memcpy(lit[i], r.lit[i], r.len[i]);
	}
	return r.n;
}

