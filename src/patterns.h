/*
 * patterns.h — the findings' pattern set: PCRE2 expressions loaded from pattern files
 * (share/patterns, ~/.config/iotscope/patterns, --patterns FILE), one per line:
 *
 *	NAME  CATEGORY  SEVERITY  DECODE  EXPRESSION
 *
 * CATEGORY is credential, token, identifier or personal; SEVERITY high, medium, low or info;
 * DECODE is - (none), url, base64 or basic (base64 of "user:password"); EXPRESSION runs to the
 * end of the line and names the value with (?<value>…) (else the whole match is the value).
 * Blank lines and lines starting with # are ignored.  A line that does not parse or compile
 * becomes a warning naming file, line, PCRE2's message and offset; the others still load.
 *
 * Every expression is compiled with JIT and run under match and depth limits.  Before the
 * expressions run, one pass over the bytes looks for each expression's required literal (the
 * plain characters every match must contain, or one of a few such, worked out from the
 * expression), and only expressions whose literal is present, or that have none, are run:
 * most payload bytes are then looked at once, however many expressions there are.
 */
#ifndef IOT_PATTERNS_H
#define IOT_PATTERNS_H

#include <stddef.h>
#include <stdint.h>

struct warnlist;

enum find_cat {
	CAT_CREDENTIAL,
	CAT_TOKEN,
	CAT_IDENTIFIER,
	CAT_PERSONAL,
	CAT_COUNT_
};

enum find_sev {
	SEV_HIGH,
	SEV_MEDIUM,
	SEV_LOW,
	SEV_INFO
};

enum find_decode {
	DEC_NONE,
	DEC_URL,
	DEC_BASE64,
	DEC_BASIC	/* base64 "user:password": value is the password, user the user */
};

#define PAT_LITERAL_MAX	32
#define PAT_ALTS	16

struct pattern {
	char		*name;		/* the finding type */
	enum find_cat	 cat;
	enum find_sev	 sev;
	enum find_decode decode;
	char		*expr;
	char		*origin;	/* "FILE:LINE" */
	void		*code;		/* pcre2_code */
	int		 value_group;	/* 0: the whole match */
	/* One of these must occur in any match (ASCII lower case); none known when 0. */
	int		 nlits;
	uint8_t		 litlen[PAT_ALTS];
	uint8_t		 lit[PAT_ALTS][PAT_LITERAL_MAX];
};

struct patset;

struct patset	*patset_new(void);
void		 patset_free(struct patset *);
/*
 * Loads a pattern file; bad lines become warnings in w.  Returns the number of patterns
 * loaded, or -1 (and a warning) when the file cannot be read.
 */
int		 patset_load(struct patset *, const char *path, struct warnlist *w);
/* Adds one pattern (tests, --grep); -1 with PCRE2's message and offset in err. */
int		 patset_add(struct patset *, const char *name, enum find_cat, enum find_sev,
		    enum find_decode, const char *expr, const char *origin, char *err,
		    size_t errlen);
size_t		 patset_count(const struct patset *);
const struct pattern *patset_get(const struct patset *, size_t i);

/*
 * Marks in want[] (patset_count entries) the patterns that may match somewhere in buf: those
 * whose literal occurs at a position from `from` on (or up to 3 bytes before it), and those
 * without one.  When last is not NULL, last[i] receives where pattern i's last literal
 * starts, or up to 3 bytes before that (the byte loop steps over positions; SIZE_MAX: none;
 * n for a pattern without literals).  Returns how many are marked.
 */
size_t		 patset_prefilter(const struct patset *, const uint8_t *buf, size_t n,
		    size_t from, uint8_t *want, size_t *last);

typedef int (*pat_match_fn)(void *ctx, const struct pattern *, size_t off, size_t len,
		    size_t voff, size_t vlen);

/*
 * Runs pattern i over buf[from..n) (the bytes before from may be looked behind at), calling
 * fn for every match (off/len: the whole match, voff/vlen: the value).  Returns the number
 * of matches, or -1 when a match or depth limit stopped it (err says which).
 */
long		 patset_run(const struct patset *, size_t i, const uint8_t *buf, size_t n,
		    size_t from, pat_match_fn fn, void *ctx, char *err, size_t errlen);

/*
 * The same over a piece of a longer stream: PAT_NOTBOL when buf does not start the stream,
 * PAT_NOTEOL when more follows, so ^ and $ mean the stream's edges, not the piece's.
 */
#define PAT_NOTBOL	1
#define PAT_NOTEOL	2
long		 patset_run_piece(const struct patset *, size_t i, const uint8_t *buf, size_t n,
		    size_t from, int flags, pat_match_fn fn, void *ctx, char *err, size_t errlen);

const char	*find_cat_name(enum find_cat);
const char	*find_sev_name(enum find_sev);
int		 find_cat_parse(const char *, enum find_cat *);
int		 find_sev_parse(const char *, enum find_sev *);

/*
 * The literals one of which every match of expr contains (ASCII lower case), as the
 * prefilter uses them: their number (0: none known), each in lit[i] with length len[i].
 */
int		 pattern_literals(const char *expr, uint8_t lit[][PAT_LITERAL_MAX], uint8_t *len,
		    int *caseless);

#endif
