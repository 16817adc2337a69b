/*
 * test-extract.c — the protocol extractors (extract.h) through a recording ext_emit: FTP,
 * POP3, IMAP, SMTP, Telnet and Redis logins with the server's answers, fed whole, one byte at
 * a time (the same findings) and with bare LF; the stream offset of every value checked
 * against the bytes fed; MQTT CONNECT 3.1, 3.1.1 and 5.0 at every truncation point and with
 * hostile lengths; SNMP v1/v2c communities, v3, long-form lengths and garbage.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "extract.h"

/* --- the recording emitter --------------------------------------------------------------- */

#define REC_MAX		32
#define REC_BYTES	700

struct rec {
	int		 dir;
	char		 type[32];
	enum find_cat	 cat;
	enum find_sev	 sev;
	uint8_t		 value[REC_BYTES];
	size_t		 vlen;
	int		 has_user;
	char		 user[EXT_USER + 1];
	uint8_t		 raw[REC_BYTES];
	size_t		 rawlen;
	uint64_t	 raw_off;
	uint8_t		 msg[REC_BYTES];
	size_t		 msglen;
	int		 raw_in_msg;	/* raw points into msg */
};

struct outcome {
	long	finding;
	int	accepted;
};

struct recorder {
	struct rec	 v[REC_MAX];
	int		 n;
	struct outcome	 out[REC_MAX];
	int		 nout;
	int		 repeat;	/* found() answers -1, as for a finding seen before */
	/* Every byte fed per direction, to check raw_off against (when raw is as on the wire). */
	uint8_t		 stream[2][4096];
	size_t		 slen[2];
	int		 check_raw;
};

static long
rec_found(void *ctx, int dir, const char *type, enum find_cat cat, enum find_sev sev,
    const uint8_t *value, size_t vlen, const char *user, const uint8_t *raw, size_t rawlen,
    uint64_t raw_off, const uint8_t *msg, size_t msglen)
{
	struct recorder *r = ctx;

	if (r->n >= REC_MAX)
		fail_msg("more than %d findings", REC_MAX);
	struct rec *e = &r->v[r->n];
	memset(e, 0, sizeof *e);
	e->dir = dir;
	snprintf(e->type, sizeof e->type, "%s", type);
	e->cat = cat;
	e->sev = sev;
	assert_true(vlen <= REC_BYTES && rawlen <= REC_BYTES && msglen <= REC_BYTES);
	if (vlen > 0)
		memcpy(e->value, value, vlen);
	e->vlen = vlen;
	e->has_user = user != NULL;
	if (user != NULL)
		snprintf(e->user, sizeof e->user, "%s", user);
	if (rawlen > 0)
		memcpy(e->raw, raw, rawlen);
	e->rawlen = rawlen;
	e->raw_off = raw_off;
	if (msglen > 0)
		memcpy(e->msg, msg, msglen);
	e->msglen = msglen;
	e->raw_in_msg = raw >= msg && raw + rawlen <= msg + msglen;
	/* The raw bytes are where the offset says, in the stream the extractor was fed. */
	if (r->check_raw && dir >= 0 && dir <= 1 &&
	    (raw_off + rawlen > r->slen[dir] ||
	    memcmp(r->stream[dir] + raw_off, raw, rawlen) != 0))
		fail_msg("%s: raw \"%.*s\" is not at stream offset %llu", type, (int)rawlen,
		    (const char *)raw, (unsigned long long)raw_off);
	return r->repeat ? -1 : r->n++;
}

static void
rec_outcome(void *ctx, long finding, int accepted)
{
	struct recorder *r = ctx;

	assert_true(r->nout < REC_MAX);
	r->out[r->nout++] = (struct outcome){ finding, accepted };
}

static struct ext_emit
emitter(struct recorder *r)
{
	return (struct ext_emit){ .found = rec_found, .outcome = rec_outcome, .ctx = r };
}

/* One piece of a conversation: dir 0 client → server, 1 server → client. */
struct step {
	int		 dir;
	const char	*s;
	size_t		 n;		/* 0: strlen(s) */
};

/*
 * Feeds a conversation to a fresh extractor, whole pieces or one byte at a time, each
 * direction at its own stream offsets; flushes both directions at the end.
 */
static void
converse(enum ext_proto proto, const struct step *st, size_t nst, int bytewise,
    struct recorder *r)
{
	struct ext_lines x;
	struct ext_emit e = emitter(r);

	ext_lines_init(&x, proto);
	assert_int_equal(x.pending, -1);
	for (size_t i = 0; i < nst; i++) {
		const uint8_t *b = (const uint8_t *)st[i].s;
		size_t n = st[i].n ? st[i].n : strlen(st[i].s);
		int d = st[i].dir;
		size_t off = r->slen[d];
		assert_true(off + n <= sizeof r->stream[d]);
		memcpy(r->stream[d] + off, b, n);
		r->slen[d] += n;
		if (!bytewise)
			ext_lines_feed(&x, d, b, n, off, &e);
		else
			for (size_t k = 0; k < n; k++)
				ext_lines_feed(&x, d, b + k, 1, off + k, &e);
	}
	ext_lines_flush(&x, 0, &e);
	ext_lines_flush(&x, 1, &e);
}

/* What a finding must be: value and user as C strings (user NULL: none). */
struct want {
	const char	*type;
	const char	*value;
	const char	*user;
	uint64_t	 raw_off;
	const char	*raw;		/* NULL: the value's bytes */
};

static void
assert_rec(const struct rec *e, const struct want *w, int i)
{
	const char *raw = w->raw != NULL ? w->raw : w->value;

	if (strcmp(e->type, w->type) != 0)
		fail_msg("finding %d: type %s, want %s", i, e->type, w->type);
	if (e->vlen != strlen(w->value) || memcmp(e->value, w->value, e->vlen) != 0)
		fail_msg("finding %d (%s): value \"%.*s\", want \"%s\"", i, e->type,
		    (int)e->vlen, (const char *)e->value, w->value);
	if (w->user == NULL && e->has_user)
		fail_msg("finding %d (%s): user \"%s\", want none", i, e->type, e->user);
	if (w->user != NULL && (!e->has_user || strcmp(e->user, w->user) != 0))
		fail_msg("finding %d (%s): user \"%s\", want \"%s\"", i, e->type,
		    e->has_user ? e->user : "(none)", w->user);
	if (e->raw_off != w->raw_off)
		fail_msg("finding %d (%s): raw offset %llu, want %llu", i, e->type,
		    (unsigned long long)e->raw_off, (unsigned long long)w->raw_off);
	if (e->rawlen != strlen(raw) || memcmp(e->raw, raw, e->rawlen) != 0)
		fail_msg("finding %d (%s): raw \"%.*s\", want \"%s\"", i, e->type,
		    (int)e->rawlen, (const char *)e->raw, raw);
	/* Extractors report as the client (0); the raw bytes lie inside the context. */
	assert_int_equal(e->dir, 0);
	assert_true(e->raw_in_msg);
	if (strstr(w->type, "-user") != NULL) {
		assert_int_equal(e->cat, CAT_IDENTIFIER);
		assert_int_equal(e->sev, SEV_MEDIUM);
	} else {
		assert_int_equal(e->cat, CAT_CREDENTIAL);
		assert_int_equal(e->sev, SEV_HIGH);
	}
}

static void
assert_recs(const struct recorder *r, const struct want *w, int n)
{
	if (r->n != n)
		fail_msg("%d findings, want %d (first extra or missing: %s)", r->n, n,
		    r->n > n ? r->v[n].type : w[r->n].type);
	for (int i = 0; i < n; i++)
		assert_rec(&r->v[i], &w[i], i);
}

static void
assert_outcomes(const struct recorder *r, const struct outcome *o, int n)
{
	if (r->nout != n)
		fail_msg("%d outcomes, want %d", r->nout, n);
	for (int i = 0; i < n; i++) {
		if (r->out[i].finding != o[i].finding || r->out[i].accepted != o[i].accepted)
			fail_msg("outcome %d: finding %ld %s, want finding %ld %s", i,
			    r->out[i].finding, r->out[i].accepted ? "accepted" : "rejected",
			    o[i].finding, o[i].accepted ? "accepted" : "rejected");
	}
}

/* Two recordings are the same findings and outcomes, field by field. */
static void
assert_same(const struct recorder *a, const struct recorder *b)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->nout, b->nout);
	for (int i = 0; i < a->n; i++) {
		const struct rec *x = &a->v[i], *y = &b->v[i];
		assert_string_equal(x->type, y->type);
		assert_int_equal(x->vlen, y->vlen);
		assert_memory_equal(x->value, y->value, x->vlen);
		assert_int_equal(x->has_user, y->has_user);
		assert_string_equal(x->user, y->user);
		assert_int_equal(x->rawlen, y->rawlen);
		assert_memory_equal(x->raw, y->raw, x->rawlen);
		assert_int_equal(x->raw_off, y->raw_off);
		assert_int_equal(x->msglen, y->msglen);
		assert_memory_equal(x->msg, y->msg, x->msglen);
	}
	for (int i = 0; i < a->nout; i++) {
		assert_int_equal(a->out[i].finding, b->out[i].finding);
		assert_int_equal(a->out[i].accepted, b->out[i].accepted);
	}
}

/* Runs a conversation whole and byte by byte; both must give the findings and outcomes. */
static void
check_conversation(enum ext_proto proto, const struct step *st, size_t nst,
    const struct want *w, int nw, const struct outcome *o, int no)
{
	static struct recorder whole, bytes;

	memset(&whole, 0, sizeof whole);
	memset(&bytes, 0, sizeof bytes);
	whole.check_raw = bytes.check_raw = proto != EXT_TELNET;
	converse(proto, st, nst, 0, &whole);
	assert_recs(&whole, w, nw);
	assert_outcomes(&whole, o, no);
	converse(proto, st, nst, 1, &bytes);
	assert_same(&whole, &bytes);
}

#define STEPS(...)	((const struct step[]){ __VA_ARGS__ })
#define NSTEPS(...)	(sizeof((const struct step[]){ __VA_ARGS__ }) / sizeof(struct step))
#define CONVERSE(proto, steps, w, o)						\
	check_conversation((proto), steps, sizeof(steps) / sizeof *(steps), (w),	\
	    (int)(sizeof(w) / sizeof *(w)), (o), (int)(sizeof(o) / sizeof *(o)))

/* --- ports -------------------------------------------------------------------------------- */

static void
test_proto_for(void **state)
{
	(void)state;
	assert_int_equal(ext_proto_for(AP_FTP, 2121), EXT_FTP);
	assert_int_equal(ext_proto_for(AP_POP3, 1), EXT_POP3);
	assert_int_equal(ext_proto_for(AP_IMAP, 1), EXT_IMAP);
	assert_int_equal(ext_proto_for(AP_SMTP, 1), EXT_SMTP);
	assert_int_equal(ext_proto_for(AP_TELNET, 80), EXT_TELNET);
	assert_int_equal(ext_proto_for(AP_NONE, 21), EXT_FTP);
	assert_int_equal(ext_proto_for(AP_NONE, 110), EXT_POP3);
	assert_int_equal(ext_proto_for(AP_NONE, 143), EXT_IMAP);
	assert_int_equal(ext_proto_for(AP_NONE, 25), EXT_SMTP);
	assert_int_equal(ext_proto_for(AP_NONE, 587), EXT_SMTP);
	assert_int_equal(ext_proto_for(AP_NONE, 2525), EXT_SMTP);
	assert_int_equal(ext_proto_for(AP_NONE, 23), EXT_TELNET);
	assert_int_equal(ext_proto_for(AP_NONE, 2323), EXT_TELNET);
	assert_int_equal(ext_proto_for(AP_NONE, 6379), EXT_REDIS);
	assert_int_equal(ext_proto_for(AP_NONE, 80), EXT_NONE);
	assert_int_equal(ext_proto_for(AP_NONE, 0), EXT_NONE);
}

/* --- FTP ---------------------------------------------------------------------------------- */

static const struct step ftp_steps[] = {
	{ 1, "220 FTP server ready\r\n", 0 },
	{ 0, "USER alice\r\n", 0 },
	{ 1, "331 Password required for alice\r\n", 0 },
	{ 0, "PASS s3cret\r\n", 0 },
	{ 1, "230-Welcome\r\n230 Logged in\r\n", 0 },
	{ 0, "USER bob\r\n", 0 },
	{ 1, "331 ok\r\n", 0 },
	{ 0, "PASS wrong\r\n", 0 },
	{ 1, "530 Login incorrect\r\n", 0 },
	{ 0, "PASS\r\n", 0 },
	{ 1, "530 no\r\n", 0 },
};

static const struct want ftp_want[] = {
	{ "ftp-user", "alice", NULL, 5, NULL },
	{ "ftp-password", "s3cret", "alice", 17, NULL },
	{ "ftp-user", "bob", NULL, 30, NULL },
	{ "ftp-password", "wrong", "bob", 40, NULL },
	{ "ftp-password", "", "bob", 51, NULL },		/* PASS with nothing after it */
};

static const struct outcome ftp_out[] = { { 1, 1 }, { 3, 0 }, { 4, 0 } };

static void
test_ftp(void **state)
{
	(void)state;
	CONVERSE(EXT_FTP, ftp_steps, ftp_want, ftp_out);
}

/* The line ends of the client and the server: bare LF, and CR LF split between pieces. */
static void
test_ftp_line_ends(void **state)
{
	(void)state;
	static const struct step lf[] = {
		{ 0, "user alice\n", 0 },
		{ 0, "pass  two words \n", 0 },
		{ 1, "230 ok\n", 0 },
		{ 0, "USER x\r", 0 },
		{ 0, "\n", 0 },
		{ 0, "PASS y\r", 0 },
		{ 1, "530 no\r", 0 },
		{ 0, "\nUSER", 0 },
		{ 1, "\n", 0 },
	};
	static const struct want w[] = {
		{ "ftp-user", "alice", NULL, 5, NULL },
		/* The rest of the line, blanks inside and at the end kept. */
		{ "ftp-password", "two words ", "alice", 17, NULL },
		{ "ftp-user", "x", NULL, 33, NULL },
		{ "ftp-password", "y", "x", 41, NULL },
	};
	static const struct outcome o[] = { { 1, 1 }, { 3, 0 } };

	/* The last "USER" without argument or line end is flushed and gives nothing. */
	CONVERSE(EXT_FTP, lf, w, o);
}

/* Answers that are no verdict: other codes, no login pending, a repeat finding. */
static void
test_ftp_answers(void **state)
{
	(void)state;
	static const struct step st[] = {
		{ 1, "230 nothing pending\r\n", 0 },
		{ 0, "PASS a\r\n", 0 },
		{ 1, "331 more\r\n", 0 },
		{ 1, "23\r\n", 0 },
		{ 1, "2300 long code\r\n", 0 },
		{ 1, "x30 letters\r\n", 0 },
		{ 1, "632 six\r\n", 0 },
		{ 1, "421 closing\r\n", 0 },
		{ 0, "PASS b\r\n", 0 },
		{ 1, "230\r\n", 0 },
	};
	static const struct want w[] = {
		{ "ftp-password", "a", NULL, 5, NULL },
		{ "ftp-password", "b", NULL, 13, NULL },
	};
	static const struct outcome o[] = { { 0, 0 }, { 1, 1 } };

	CONVERSE(EXT_FTP, st, w, o);

	/* found() answering -1 (seen before): no outcome is reported for it. */
	static struct recorder r;
	memset(&r, 0, sizeof r);
	r.repeat = 1;
	converse(EXT_FTP, st, sizeof st / sizeof *st, 0, &r);
	assert_int_equal(r.nout, 0);
}

/* A line longer than EXT_LINE is no command, and the next line is read again. */
static void
test_ftp_long_line(void **state)
{
	(void)state;
	static char longl[EXT_LINE + 64];
	static struct recorder r;

	memset(longl, 'A', sizeof longl);
	memcpy(longl, "PASS ", 5);
	longl[sizeof longl - 1] = '\n';
	const struct step st[] = {
		{ 0, longl, sizeof longl },
		{ 0, "PASS ok\r\n", 0 },
	};
	memset(&r, 0, sizeof r);
	r.check_raw = 1;
	converse(EXT_FTP, st, 2, 0, &r);
	static const struct want w[] = { { "ftp-password", "ok", NULL, sizeof longl + 5, NULL } };
	assert_recs(&r, w, 1);
	/* Exactly EXT_LINE bytes before the line end still is a line. */
	memset(longl, 'B', EXT_LINE);
	memcpy(longl, "PASS ", 5);
	longl[EXT_LINE] = '\n';
	const struct step st2[] = { { 0, longl, EXT_LINE + 1 } };
	memset(&r, 0, sizeof r);
	converse(EXT_FTP, st2, 1, 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].vlen, EXT_LINE - 5);
}

/* --- POP3 --------------------------------------------------------------------------------- */

static const struct step pop3_steps[] = {
	{ 1, "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n", 0 },
	{ 0, "USER alice\r\n", 0 },
	{ 1, "+OK\r\n", 0 },
	{ 0, "PASS s3cret\r\n", 0 },
	{ 1, "+OK 2 messages\r\n", 0 },
	{ 0, "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n", 0 },
	{ 1, "-ERR permission denied\r\n", 0 },
	{ 0, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", 0 },
	{ 1, "+OK\r\n", 0 },
	{ 0, "AUTH PLAIN\r\n", 0 },
	{ 1, "+ \r\n", 0 },
	{ 0, "AGJvYgBodW50ZXIy\r\n", 0 },
	{ 1, "-ERR\r\n", 0 },
	{ 0, "AUTH LOGIN\r\n", 0 },
	{ 1, "+ VXNlcm5hbWU6\r\n", 0 },
	{ 0, "Y2Fyb2w=\r\n", 0 },
	{ 1, "+ UGFzc3dvcmQ6\r\n", 0 },
	{ 0, "cGFzc3dvcmQ=\r\n", 0 },
	{ 1, "+OK\r\n", 0 },
};

static const struct want pop3_want[] = {
	{ "pop3-user", "alice", NULL, 5, NULL },
	{ "pop3-password", "s3cret", "alice", 17, NULL },
	{ "pop3-user", "mrose", NULL, 30, NULL },
	{ "pop3-apop-digest", "c4c9334bac560ecc979e58001b3e22fb", "mrose", 36, NULL },
	{ "pop3-user", "alice", NULL, 81, "AGFsaWNlAHNlY3JldA==" },
	{ "pop3-password", "secret", "alice", 81, "AGFsaWNlAHNlY3JldA==" },
	{ "pop3-user", "bob", NULL, 115, "AGJvYgBodW50ZXIy" },
	{ "pop3-password", "hunter2", "bob", 115, "AGJvYgBodW50ZXIy" },
	{ "pop3-user", "carol", NULL, 145, "Y2Fyb2w=" },
	{ "pop3-password", "password", "carol", 155, "cGFzc3dvcmQ=" },
};

static const struct outcome pop3_out[] = { { 1, 1 }, { 3, 0 }, { 5, 1 }, { 7, 0 }, { 9, 1 } };

static void
test_pop3(void **state)
{
	(void)state;
	CONVERSE(EXT_POP3, pop3_steps, pop3_want, pop3_out);
}

/* SASL responses that are no login: cancelled, not base64, PLAIN without its NULs. */
static void
test_pop3_sasl_odd(void **state)
{
	(void)state;
	static const struct step st[] = {
		{ 0, "AUTH PLAIN\r\n", 0 },
		{ 0, "*\r\n", 0 },				/* cancelled */
		{ 0, "AUTH PLAIN YWxpY2U=\r\n", 0 },		/* "alice": no NUL */
		{ 0, "AUTH PLAIN AGFsaWNl\r\n", 0 },		/* "\0alice": one NUL */
		{ 0, "AUTH PLAIN not*base64\r\n", 0 },
		{ 0, "AUTH LOGIN\r\n", 0 },
		{ 0, "not base64!\r\n", 0 },			/* ends the exchange */
		{ 0, "USER dave\r\n", 0 },			/* a command again */
		{ 0, "AUTH CRAM-MD5\r\n", 0 },
		{ 0, "ZGF2ZSBkaWdlc3Q=\r\n", 0 },		/* not followed */
		{ 0, "AUTH PLAIN =\r\n", 0 },			/* empty initial response */
		{ 0, "YWRtaW4AZXZlAHB3\r\n", 0 },		/* "admin\0eve\0pw" */
		{ 0, "USER\r\n", 0 },				/* nothing after USER */
		{ 0, "APOP onlyuser\r\n", 0 },
	};
	static const struct want w[] = {
		{ "pop3-user", "dave", NULL, 110, NULL },
		{ "pop3-user", "eve", NULL, 163, "YWRtaW4AZXZlAHB3" },
		{ "pop3-password", "pw", "eve", 163, "YWRtaW4AZXZlAHB3" },
		{ "pop3-user", "onlyuser", NULL, 192, NULL },
	};
	static const struct outcome o[1];

	check_conversation(EXT_POP3, st, sizeof st / sizeof *st, w, 4, o, 0);
}

/* --- IMAP --------------------------------------------------------------------------------- */

static const struct step imap_steps[] = {
	{ 1, "* OK IMAP4rev1 ready\r\n", 0 },
	{ 0, "a1 LOGIN alice s3cret\r\n", 0 },
	{ 1, "* CAPABILITY IMAP4rev1\r\n", 0 },
	{ 1, "a0 OK other tag\r\n", 0 },
	{ 1, "a1 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", 0 },
	{ 0, "a2 LOGIN \"al ice\" \"se\\\"cr\\\\et\"\r\n", 0 },
	{ 1, "a2 OK LOGIN completed\r\n", 0 },
	{ 0, "a3 AUTHENTICATE PLAIN\r\n", 0 },
	{ 1, "+ \r\n", 0 },
	{ 0, "AGJvYgBodW50ZXIy\r\n", 0 },
	{ 1, "a3 BAD\r\n", 0 },
	{ 0, "a4 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n", 0 },
	{ 1, "a4 OK\r\n", 0 },
	{ 0, "a5 authenticate login\r\n", 0 },
	{ 1, "+ VXNlcm5hbWU6\r\n", 0 },
	{ 0, "Y2Fyb2w=\r\n", 0 },
	{ 1, "+ UGFzc3dvcmQ6\r\n", 0 },
	{ 0, "cGFzc3dvcmQ=\r\n", 0 },
	{ 1, "a5 ok\r\n", 0 },
};

static const struct want imap_want[] = {
	{ "imap-user", "alice", NULL, 9, NULL },
	{ "imap-password", "s3cret", "alice", 15, NULL },
	{ "imap-user", "al ice", NULL, 33, NULL },
	{ "imap-password", "se\"cr\\et", "al ice", 42, "se\\\"cr\\\\et" },
	{ "imap-user", "bob", NULL, 78, "AGJvYgBodW50ZXIy" },
	{ "imap-password", "hunter2", "bob", 78, "AGJvYgBodW50ZXIy" },
	{ "imap-user", "alice", NULL, 118, "AGFsaWNlAHNlY3JldA==" },
	{ "imap-password", "secret", "alice", 118, "AGFsaWNlAHNlY3JldA==" },
	{ "imap-user", "carol", NULL, 163, "Y2Fyb2w=" },
	{ "imap-password", "password", "carol", 173, "cGFzc3dvcmQ=" },
};

static const struct outcome imap_out[] = { { 1, 0 }, { 3, 1 }, { 5, 0 }, { 7, 1 }, { 9, 1 } };

static void
test_imap(void **state)
{
	(void)state;
	CONVERSE(EXT_IMAP, imap_steps, imap_want, imap_out);
}

/*
 * A client may send its next command before the answer to LOGIN: the answer is still the
 * one with LOGIN's tag.
 */
static void
test_imap_pipelined(void **state)
{
	(void)state;
	static const struct step st[] = {
		{ 0, "a1 LOGIN u p\r\na2 SELECT INBOX\r\n", 0 },
		{ 1, "a1 OK logged in\r\n", 0 },
		{ 1, "a2 NO no such mailbox\r\n", 0 },
		{ 0, "b1 LOGIN v q\r\nb2 CAPABILITY\r\n", 0 },
		{ 1, "b2 OK done\r\nb1 NO wrong\r\n", 0 },
	};
	static const struct want w[] = {
		{ "imap-user", "u", NULL, 9, NULL },
		{ "imap-password", "p", "u", 11, NULL },
		{ "imap-user", "v", NULL, 40, NULL },
		{ "imap-password", "q", "v", 42, NULL },
	};
	static const struct outcome o[] = { { 1, 1 }, { 3, 0 } };

	CONVERSE(EXT_IMAP, st, w, o);
}

/*
 * LOGIN with a literal ({N}: the string follows on the next line) is not followed: "{8}"
 * is no password and must not be reported as one.
 */
static void
test_imap_literal(void **state)
{
	(void)state;
	static const struct step st[] = {
		{ 0, "a1 LOGIN alice {8}\r\n", 0 },
		{ 1, "+ Ready\r\n", 0 },
		{ 0, "p@ss wd\r\n", 0 },
		{ 0, "a2 LOGIN {5+}\r\n", 0 },
		{ 0, "alice \"pw\"\r\n", 0 },
	};
	static const struct want w[] = { { "imap-user", "alice", NULL, 9, NULL } };
	static const struct outcome o[1];

	check_conversation(EXT_IMAP, st, sizeof st / sizeof *st, w, 1, o, 0);
}

/* Odd LOGIN lines: no user, an empty password, an unterminated quote, a long user. */
static void
test_imap_odd(void **state)
{
	(void)state;
	static char longu[300];
	static struct recorder r;

	static const struct step st[] = {
		{ 0, "a1 LOGIN\r\n", 0 },
		{ 0, "a2 LOGIN \"\" \"\"\r\n", 0 },
		{ 0, "a3 LOGIN bob\r\n", 0 },			/* no password */
		{ 0, "a4 LOGIN carol \"\"\r\n", 0 },		/* empty password: not reported */
		{ 0, "a5 LOGIN \"dan\" \"open\r\n", 0 },	/* unterminated: to the end */
		{ 0, "a6 LOGIN \"x\\", 0 },			/* a backslash at the very end */
	};
	static const struct want w[] = {
		{ "imap-user", "bob", NULL, 35, NULL },
		{ "imap-user", "carol", NULL, 49, NULL },
		{ "imap-user", "dan", NULL, 69, NULL },
		{ "imap-password", "open", "dan", 75, NULL },
		{ "imap-user", "x\\", NULL, 91, NULL },
	};
	static const struct outcome o[1];

	check_conversation(EXT_IMAP, st, sizeof st / sizeof *st, w, 5, o, 0);

	/* A user longer than EXT_USER: the finding has it whole, the password's user is cut. */
	memset(longu, 'u', sizeof longu);
	memcpy(longu, "t LOGIN ", 8);
	memcpy(longu + sizeof longu - 5, " pw\r\n", 5);
	const struct step st2[] = { { 0, longu, sizeof longu } };
	memset(&r, 0, sizeof r);
	converse(EXT_IMAP, st2, 1, 0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.v[1].vlen, 2);
	assert_true(r.v[1].has_user);
	assert_int_equal(strlen(r.v[1].user), EXT_USER - 1);
	assert_int_equal(r.v[0].vlen, EXT_USER);		/* astring cuts at its buffer */
}

/* --- SMTP --------------------------------------------------------------------------------- */

static const struct step smtp_steps[] = {
	{ 1, "220 mail ESMTP\r\n", 0 },
	{ 0, "EHLO me\r\n", 0 },
	{ 1, "250-mail\r\n250 AUTH PLAIN LOGIN\r\n", 0 },
	{ 0, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", 0 },
	{ 1, "535 5.7.8 Authentication credentials invalid\r\n", 0 },
	{ 0, "AUTH LOGIN\r\n", 0 },
	{ 1, "334 VXNlcm5hbWU6\r\n", 0 },
	{ 0, "Y2Fyb2w=\r\n", 0 },
	{ 1, "334 UGFzc3dvcmQ6\r\n", 0 },
	{ 0, "cGFzc3dvcmQ=\r\n", 0 },
	{ 1, "235 2.7.0 Authentication successful\r\n", 0 },
	{ 0, "AUTH LOGIN YWxpY2U=\r\n", 0 },
	{ 1, "334 UGFzc3dvcmQ6\r\n", 0 },
	{ 0, "c2VjcmV0\r\n", 0 },
	{ 1, "235 ok\r\n", 0 },
	{ 0, "AUTH LOGIN\r\n", 0 },
	{ 1, "334 VXNlcm5hbWU6\r\n", 0 },
	{ 0, "*\r\n", 0 },
	{ 1, "501 5.0.0 cancelled\r\n", 0 },
	{ 0, "AUTH PLAIN\r\n", 0 },
	{ 1, "334 \r\n", 0 },
	{ 0, "AGJvYgBodW50ZXIy\r\n", 0 },
	{ 1, "235\r\n", 0 },
};

static const struct want smtp_want[] = {
	{ "smtp-user", "alice", NULL, 20, "AGFsaWNlAHNlY3JldA==" },
	{ "smtp-password", "secret", "alice", 20, "AGFsaWNlAHNlY3JldA==" },
	{ "smtp-user", "carol", NULL, 54, "Y2Fyb2w=" },
	{ "smtp-password", "password", "carol", 64, "cGFzc3dvcmQ=" },
	{ "smtp-user", "alice", NULL, 89, "YWxpY2U=" },
	{ "smtp-password", "secret", "alice", 99, "c2VjcmV0" },
	{ "smtp-user", "bob", NULL, 136, "AGJvYgBodW50ZXIy" },
	{ "smtp-password", "hunter2", "bob", 136, "AGJvYgBodW50ZXIy" },
};

static const struct outcome smtp_out[] = { { 1, 0 }, { 3, 1 }, { 5, 1 }, { 7, 1 } };

static void
test_smtp(void **state)
{
	(void)state;
	CONVERSE(EXT_SMTP, smtp_steps, smtp_want, smtp_out);
}

/* The initial response of AUTH LOGIN is reported with its own line as context. */
static void
test_smtp_login_context(void **state)
{
	(void)state;
	static struct recorder r;
	static const struct step st[] = { { 0, "AUTH LOGIN YWxpY2U=\r\n", 0 } };

	memset(&r, 0, sizeof r);
	converse(EXT_SMTP, st, 1, 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].msglen, 8);
	assert_memory_equal(r.v[0].msg, "YWxpY2U=", 8);
	/* Other lines give nothing: MAIL, DATA and its body. */
	static const struct step st2[] = {
		{ 0, "MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n", 0 },
		{ 0, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n.\r\n", 0 },
	};
	memset(&r, 0, sizeof r);
	converse(EXT_SMTP, st2, 2, 0, &r);
	/* The body is not told apart from commands: a line in it that is a login still is. */
	assert_int_equal(r.n, 2);
}

/* --- Telnet ------------------------------------------------------------------------------- */

static const struct step telnet_steps[] = {
	/* IAC DO TTYPE, IAC DO TSPEED, IAC WILL ECHO, IAC WILL SGA */
	{ 1, "\xff\xfd\x18\xff\xfd\x20\xff\xfb\x01\xff\xfb\x03", 12 },
	/* IAC WILL TTYPE, IAC WONT TSPEED, IAC DO ECHO, IAC DO SGA: client bytes 0-11 */
	{ 0, "\xff\xfb\x18\xff\xfc\x20\xff\xfd\x01\xff\xfd\x03", 12 },
	{ 1, "\xff\xfa\x18\x01\xff\xf0", 6 },			/* SB TTYPE SEND SE */
	{ 0, "junk\r\n", 0 },					/* 12-17: no prompt yet */
	/* SB TTYPE IS "xt\xffrm" (IAC IAC inside), SE: 18-29 */
	{ 0, "\xff\xfa\x18\x00xt\xff\xffrm\xff\xf0", 12 },
	{ 1, "\r\nUbuntu 22.04 LTS\r\ncam login: ", 0 },
	{ 0, "r", 0 }, { 1, "r", 0 },				/* 30: typed and echoed */
	{ 0, "o", 0 }, { 1, "o", 0 },
	{ 0, "x", 0 }, { 1, "x", 0 },
	{ 0, "\x7f", 1 }, { 1, "\b \b", 0 },			/* DEL: rubbed out */
	{ 0, "o", 0 }, { 1, "o", 0 },
	{ 0, "t", 0 }, { 1, "t", 0 },
	{ 0, "\r\0", 2 },					/* 36, 37 */
	{ 1, "\r\n", 0 },
	{ 1, "Password: ", 0 },
	{ 0, "\xff\xf1", 2 },					/* IAC NOP: 38, 39 */
	{ 0, "se", 0 },						/* 40 */
	{ 0, "\bcret\xff\xff!\r\n", 10 },			/* BS, IAC IAC: a 0xff byte */
	{ 1, "\r\nLast login: Mon Jan  1\r\n$ ", 0 },
	{ 0, "ls -l\r\n", 0 },					/* not a login answer */
	{ 1, "login incorrect\r\nlogin:", 0 },
	{ 0, "\r\n", 0 },					/* an empty answer: nothing */
	{ 0, "admin\n", 0 },					/* 61: the answer after it */
};

static void
test_telnet(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "telnet-user", "root", NULL, 30, NULL },
		{ "telnet-password", "scret\xff!", "root", 40, NULL },
		{ "telnet-user", "admin", NULL, 61, NULL },
	};
	static const struct outcome o[1];

	check_conversation(EXT_TELNET, telnet_steps, sizeof telnet_steps / sizeof *telnet_steps,
	    w, 3, o, 0);
}

/* Prompts: "Username:", "User Name :", trailing blanks; CR NUL, a lone CR, LF. */
static void
test_telnet_prompts(void **state)
{
	(void)state;
	static const struct step st[] = {
		{ 1, "Username:  \t", 0 },
		{ 0, "al", 0 },
		{ 0, "ice\r", 0 },				/* a lone CR ends the line */
		{ 1, "\r\nPASSWORD:", 0 },
		{ 0, "pw1\n", 0 },
		{ 1, "\r\nuser name:", 0 },
		{ 0, "bob\r\n", 0 },
		{ 1, "\r\npassword: ", 0 },
		{ 0, "\b\bpw2\r\0", 6 },				/* backspace on nothing */
		{ 1, "\r\nuser:", 0 },
		{ 0, "\xff\xfa\x01user\xff\xf0" "carol\r\n", 16 },	/* SB hides "user" */
	};
	static const struct want w[] = {
		{ "telnet-user", "alice", NULL, 0, NULL },
		{ "telnet-password", "pw1", "alice", 6, NULL },
		{ "telnet-user", "bob", NULL, 10, NULL },
		{ "telnet-password", "pw2", "bob", 17, NULL },
		{ "telnet-user", "carol", NULL, 30, NULL },
	};
	static const struct outcome o[1];

	check_conversation(EXT_TELNET, st, sizeof st / sizeof *st, w, 5, o, 0);
}

/* --- Redis -------------------------------------------------------------------------------- */

static const struct step redis_steps[] = {
	{ 0, "AUTH s3cret\r\n", 0 },
	{ 1, "-WRONGPASS invalid username-password pair\r\n", 0 },
	{ 0, "AUTH default s3cret\r\n", 0 },
	{ 1, "+OK\r\n", 0 },
	{ 0, "*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n", 0 },
	{ 1, "+OK\r\n", 0 },
	{ 0, "*3\r\n$4\r\nauth\r\n$5\r\nalice\r\n$6\r\nsecret\r\n", 0 },
	{ 1, "-ERR invalid password\r\n", 0 },
	{ 0, "*3\r\n$3\r\nSET\r\n$4\r\nAUTH\r\n$1\r\nx\r\n", 0 },
	{ 1, "+OK\r\n", 0 },
};

static const struct want redis_want[] = {
	{ "redis-password", "s3cret", NULL, 5, NULL },
	{ "redis-user", "default", NULL, 18, NULL },
	{ "redis-password", "s3cret", "default", 26, NULL },
	{ "redis-password", "secret", NULL, 52, NULL },
	{ "redis-user", "alice", NULL, 78, NULL },
	{ "redis-password", "secret", "alice", 89, NULL },
};

static const struct outcome redis_out[] = { { 0, 0 }, { 2, 1 }, { 3, 1 }, { 5, 0 } };

static void
test_redis(void **state)
{
	(void)state;
	CONVERSE(EXT_REDIS, redis_steps, redis_want, redis_out);
}

/* A password that starts like a RESP header ('$', '*') is still the password. */
static void
test_redis_resp_data(void **state)
{
	(void)state;
	static const struct step st[] = {
		{ 0, "*2\r\n$4\r\nAUTH\r\n$7\r\n$ecret1\r\n", 0 },
		{ 0, "*3\r\n$4\r\nAUTH\r\n$2\r\n*u\r\n$2\r\n*2\r\n", 0 },
		{ 0, "*1\r\n$4\r\nPING\r\n", 0 },
		{ 0, "AUTH inline\r\n", 0 },			/* after the array: a command */
	};
	static const struct want w[] = {
		{ "redis-password", "$ecret1", NULL, 18, NULL },
		{ "redis-user", "*u", NULL, 45, NULL },
		{ "redis-password", "*2", "*u", 53, NULL },
		{ "redis-password", "inline", NULL, 76, NULL },
	};
	static const struct outcome o[1];

	check_conversation(EXT_REDIS, st, sizeof st / sizeof *st, w, 4, o, 0);
}

/* AUTH with the password alone is the default user's, not the last one named. */
static void
test_redis_user_not_stale(void **state)
{
	(void)state;
	static const struct step st[] = {
		{ 0, "AUTH alice pw1\r\n", 0 },
		{ 1, "-WRONGPASS\r\n", 0 },
		{ 0, "AUTH pw2\r\n", 0 },
		{ 1, "+OK\r\n", 0 },
	};
	static const struct want w[] = {
		{ "redis-user", "alice", NULL, 5, NULL },
		{ "redis-password", "pw1", "alice", 11, NULL },
		{ "redis-password", "pw2", NULL, 21, NULL },
	};
	static const struct outcome o[] = { { 1, 0 }, { 2, 1 } };

	CONVERSE(EXT_REDIS, st, w, o);
}

/* Arrays too long to follow, AUTH without argument, other commands. */
static void
test_redis_odd(void **state)
{
	(void)state;
	static const struct step st[] = {
		{ 0, "AUTH\r\n", 0 },
		{ 0, "*10\r\n$4\r\nAUTH\r\n$1\r\na\r\n", 0 },
		{ 0, "GET AUTH\r\n", 0 },
		{ 0, "*2\r\n$3\r\nGET\r\n$4\r\nAUTH\r\n", 0 },
	};
	static const struct want w[1];
	static const struct outcome o[1];

	check_conversation(EXT_REDIS, st, sizeof st / sizeof *st, w, 0, o, 0);
}

/* No protocol: nothing, whatever the bytes. */
static void
test_none(void **state)
{
	(void)state;
	static const struct step st[] = { { 0, "USER a\r\nPASS b\r\nAUTH c\r\n", 0 } };
	static const struct want w[1];
	static const struct outcome o[1];

	check_conversation(EXT_NONE, st, 1, w, 0, o, 0);
}

/*
 * Random conversations from words the extractors react to: no read out of bounds, every raw
 * value where its offset says (Telnet edits its lines: not checked there), and the same
 * findings whether fed whole or one byte at a time (for the line protocols).
 */
static void
test_lines_random(void **state)
{
	(void)state;
	static const char *const words[] = { "USER ", "PASS ", "APOP ", "AUTH ", "PLAIN ",
		"LOGIN ", "AUTHENTICATE ", "a1 ", "\"q\\\"x\" ", "{5}", "*2", "*3", "$4", "+OK",
		"-ERR", "230 ", "530 ", "235 ", "334 ", "a1 OK", "a1 NO", "login: ", "Password: ",
		"AGFsaWNlAHNlY3JldA==", "YWxpY2U=", "=", "*", "\r\n", "\n", "\r", "\r\n", "\r\n",
		"\xff\xfb\x01", "\xff\xfa\x18", "\xff\xf0", "\xff\xff", "\b", "\x7f", " ",
		"x", "\t" };
	static const enum ext_proto protos[] = { EXT_FTP, EXT_POP3, EXT_IMAP, EXT_SMTP,
		EXT_TELNET, EXT_REDIS };
	static struct recorder whole, bytes;
	static struct step st[40];
	static char text[40][200];
	uint64_t s = 4242;

	for (int round = 0; round < 1500; round++) {
		enum ext_proto p = protos[round % 6];
		size_t nst = 1 + (size_t)(s % 40);
		for (size_t i = 0; i < nst; i++) {
			size_t k = 0;
			for (int w = 0; w < 12; w++) {
				s = s * 6364136223846793005ULL + 1442695040888963407ULL;
				const char *wd = words[(s >> 33) % (sizeof words / sizeof *words)];
				size_t wl = strlen(wd);
				if (k + wl >= sizeof text[i])
					break;
				memcpy(text[i] + k, wd, wl);
				k += wl;
			}
			st[i] = (struct step){ (int)(s >> 62 & 1), text[i], k };
			if (k == 0)
				st[i] = (struct step){ 0, "\n", 1 };
		}
		memset(&whole, 0, sizeof whole);
		memset(&bytes, 0, sizeof bytes);
		whole.check_raw = p != EXT_TELNET;
		converse(p, st, nst, 0, &whole);
		converse(p, st, nst, 1, &bytes);
		if (p != EXT_TELNET)
			assert_same(&whole, &bytes);
	}
}

/* --- MQTT --------------------------------------------------------------------------------- */

struct mqtt_msg {
	uint8_t		 b[1024];
	size_t		 n;
	/* Offsets of the strings' bytes in b (0: absent). */
	size_t		 id_at, user_at, pass_at;
};

static void
put_str(uint8_t *body, size_t *k, const char *s, size_t *at)
{
	size_t n = strlen(s);

	body[(*k)++] = (uint8_t)(n >> 8);
	body[(*k)++] = (uint8_t)n;
	if (at != NULL)
		*at = *k;
	memcpy(body + *k, s, n);
	*k += n;
}

/*
 * A CONNECT: level 3 (MQIsdp), 4 or 5; props/wprops (v5) are the property bytes without
 * their length.  The offsets it records are from the start of the message.
 */
static void
mqtt_connect(struct mqtt_msg *m, int level, const char *id, const char *wtopic,
    const char *wmsg, const char *user, const char *pass, const uint8_t *props, size_t plen,
    const uint8_t *wprops, size_t wplen)
{
	uint8_t body[900];
	size_t k = 0, id_at, user_at = 0, pass_at = 0;
	uint8_t flags = 0x02;

	put_str(body, &k, level == 3 ? "MQIsdp" : "MQTT", NULL);
	body[k++] = (uint8_t)level;
	if (wtopic != NULL)
		flags |= 0x04 | 0x20;
	if (user != NULL)
		flags |= 0x80;
	if (pass != NULL)
		flags |= 0x40;
	body[k++] = flags;
	body[k++] = 0;
	body[k++] = 60;
	if (level == 5) {
		body[k++] = (uint8_t)plen;
		if (plen > 0)
			memcpy(body + k, props, plen);
		k += plen;
	}
	put_str(body, &k, id, &id_at);
	if (wtopic != NULL) {
		if (level == 5) {
			body[k++] = (uint8_t)wplen;
			if (wplen > 0)
				memcpy(body + k, wprops, wplen);
			k += wplen;
		}
		put_str(body, &k, wtopic, NULL);
		put_str(body, &k, wmsg, NULL);
	}
	if (user != NULL)
		put_str(body, &k, user, &user_at);
	if (pass != NULL)
		put_str(body, &k, pass, &pass_at);
	/* Fixed header: type, remaining length as a variable byte integer. */
	size_t h = 0, rem = k;
	m->b[h++] = 0x10;
	do {
		uint8_t c = rem & 0x7f;
		rem >>= 7;
		m->b[h++] = (uint8_t)(c | (rem ? 0x80 : 0));
	} while (rem);
	memcpy(m->b + h, body, k);
	m->n = h + k;
	m->id_at = h + id_at;
	m->user_at = user_at ? h + user_at : 0;
	m->pass_at = pass_at ? h + pass_at : 0;
}

/* Runs ext_mqtt_connect on exactly n bytes of a heap copy, so a read past them is caught. */
static int
mqtt_run(const uint8_t *b, size_t n, uint64_t off, struct recorder *r)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);
	struct ext_emit e = emitter(r);

	assert_non_null(copy);
	if (n > 0)
		memcpy(copy, b, n);
	int rc = ext_mqtt_connect(1, copy, n, off, &e);
	/* Every value lies inside the message given as context; compare to the original. */
	for (int i = 0; i < r->n; i++) {
		const struct rec *v = &r->v[i];
		assert_true(v->raw_in_msg);
		assert_true(v->raw_off >= off && v->raw_off - off + v->rawlen <= n);
		assert_memory_equal(b + (v->raw_off - off), v->raw, v->rawlen);
		assert_memory_equal(b, v->msg, v->msglen);
	}
	free(copy);
	return rc;
}

static void
assert_mqtt(const struct recorder *r, int i, const char *type, const char *value,
    const char *user, uint64_t off, size_t msglen)
{
	const struct rec *v = &r->v[i];

	assert_string_equal(v->type, type);
	assert_int_equal(v->vlen, strlen(value));
	assert_memory_equal(v->value, value, v->vlen);
	assert_int_equal(v->has_user, user != NULL);
	if (user != NULL)
		assert_string_equal(v->user, user);
	assert_int_equal(v->raw_off, off);
	assert_int_equal(v->msglen, msglen);
	assert_int_equal(v->dir, 1);
	if (strcmp(type, "mqtt-password") == 0) {
		assert_int_equal(v->cat, CAT_CREDENTIAL);
		assert_int_equal(v->sev, SEV_HIGH);
	} else if (strcmp(type, "mqtt-username") == 0) {
		assert_int_equal(v->cat, CAT_IDENTIFIER);
		assert_int_equal(v->sev, SEV_MEDIUM);
	} else {
		assert_int_equal(v->cat, CAT_IDENTIFIER);
		assert_int_equal(v->sev, SEV_LOW);
	}
}

/* Every prefix of a CONNECT asks for more and reports nothing; the whole one reports. */
static void
check_prefixes(const struct mqtt_msg *m)
{
	static struct recorder r;

	for (size_t k = 0; k < m->n; k++) {
		memset(&r, 0, sizeof r);
		if (mqtt_run(m->b, k, 0, &r) != 0)
			fail_msg("prefix of %zu of %zu bytes: not 0", k, m->n);
		assert_int_equal(r.n, 0);
	}
}

static void
test_mqtt_311(void **state)
{
	(void)state;
	static struct mqtt_msg m;
	static struct recorder r;

	mqtt_connect(&m, 4, "cam-01", NULL, NULL, "alice", "s3cret", NULL, 0, NULL, 0);
	assert_int_equal(m.id_at, 14);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 1000, &r), 1);
	assert_int_equal(r.n, 3);
	assert_mqtt(&r, 0, "mqtt-client-id", "cam-01", NULL, 1014, m.n);
	assert_mqtt(&r, 1, "mqtt-username", "alice", NULL, 1000 + m.user_at, m.n);
	assert_mqtt(&r, 2, "mqtt-password", "s3cret", "alice", 1000 + m.pass_at, m.n);
	assert_int_equal(m.user_at, 22);
	assert_int_equal(m.pass_at, 29);
	check_prefixes(&m);
	/* Bytes after the CONNECT (the next message) are not its context. */
	uint8_t more[1100];
	memcpy(more, m.b, m.n);
	memcpy(more + m.n, "\x30\x03\x00\x01x", 5);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(more, m.n + 5, 0, &r), 1);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.v[0].msglen, m.n);
}

static void
test_mqtt_31(void **state)
{
	(void)state;
	static struct mqtt_msg m;
	static struct recorder r;

	mqtt_connect(&m, 3, "legacy", "will/topic", "gone", "bob", "pw", NULL, 0, NULL, 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 0, &r), 1);
	assert_int_equal(r.n, 3);
	assert_mqtt(&r, 0, "mqtt-client-id", "legacy", NULL, 16, m.n);
	assert_mqtt(&r, 1, "mqtt-username", "bob", NULL, m.user_at, m.n);
	assert_mqtt(&r, 2, "mqtt-password", "pw", "bob", m.pass_at, m.n);
	check_prefixes(&m);
}

static void
test_mqtt_5(void **state)
{
	(void)state;
	static struct mqtt_msg m;
	static struct recorder r;
	/* Session expiry (0x11, 4 bytes), receive maximum (0x21, 2), user property (0x26). */
	static const uint8_t props[] = { 0x11, 0, 0, 0x0e, 0x10, 0x21, 0, 10,
		0x26, 0, 1, 'k', 0, 1, 'v' };
	/* Will delay (0x18, 4 bytes), payload format (0x01, 1), content type (0x03). */
	static const uint8_t wprops[] = { 0x18, 0, 0, 0, 5, 0x01, 1, 0x03, 0, 4, 't', 'e', 'x',
		't' };

	mqtt_connect(&m, 5, "sensor", "status", "offline", "carol", "hunter2", props,
	    sizeof props, wprops, sizeof wprops);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 7, &r), 1);
	assert_int_equal(r.n, 3);
	assert_mqtt(&r, 0, "mqtt-client-id", "sensor", NULL, 7 + m.id_at, m.n);
	assert_mqtt(&r, 1, "mqtt-username", "carol", NULL, 7 + m.user_at, m.n);
	assert_mqtt(&r, 2, "mqtt-password", "hunter2", "carol", 7 + m.pass_at, m.n);
	check_prefixes(&m);

	/* No properties at all, no will. */
	mqtt_connect(&m, 5, "s2", NULL, NULL, "u", "p", NULL, 0, NULL, 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 0, &r), 1);
	assert_int_equal(r.n, 3);
	assert_mqtt(&r, 2, "mqtt-password", "p", "u", m.pass_at, m.n);
}

/* No user name, no password, an empty client id, a password without a user (3.1.1). */
static void
test_mqtt_fields(void **state)
{
	(void)state;
	static struct mqtt_msg m;
	static struct recorder r;

	mqtt_connect(&m, 4, "only-id", NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 0, &r), 1);
	assert_int_equal(r.n, 1);
	assert_mqtt(&r, 0, "mqtt-client-id", "only-id", NULL, 14, m.n);

	mqtt_connect(&m, 4, "", NULL, NULL, NULL, NULL, NULL, 0, NULL, 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 0, &r), 1);
	assert_int_equal(r.n, 0);

	mqtt_connect(&m, 4, "", NULL, NULL, NULL, "tok", NULL, 0, NULL, 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 0, &r), 1);
	assert_int_equal(r.n, 1);
	assert_mqtt(&r, 0, "mqtt-password", "tok", NULL, m.pass_at, m.n);

	mqtt_connect(&m, 4, "id", "t", "m", "", "pw", NULL, 0, NULL, 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 0, &r), 1);
	assert_int_equal(r.n, 3);
	assert_mqtt(&r, 1, "mqtt-username", "", NULL, m.user_at, m.n);
	assert_mqtt(&r, 2, "mqtt-password", "pw", NULL, m.pass_at, m.n);

	/* A user name longer than EXT_USER: whole in its finding, cut as the password's user. */
	char longu[300];
	memset(longu, 'n', sizeof longu - 1);
	longu[sizeof longu - 1] = '\0';
	mqtt_connect(&m, 4, "id", NULL, NULL, longu, "pw", NULL, 0, NULL, 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(m.b, m.n, 0, &r), 1);
	assert_int_equal(r.v[1].vlen, sizeof longu - 1);
	assert_int_equal(strlen(r.v[2].user), EXT_USER - 1);
}

static void
test_mqtt_not_connect(void **state)
{
	(void)state;
	static struct recorder r;
	static const struct {
		const char	*b;
		size_t		 n;
	} c[] = {
		{ "\x30\x05\x00\x01t!!", 7 },			/* PUBLISH */
		{ "\x20\x02\x00\x00", 4 },			/* CONNACK */
		{ "\x11\x00", 2 },				/* CONNECT with reserved flags */
		{ "GET / HTTP/1.1\r\n", 16 },
		{ "\x10\x0a\x00\x04MQTX\x04\x02\x00\x3c", 12 },	/* another protocol name */
		{ "\x10\x0c\x00\x06MQIsdq\x03\x02\x00\x3c", 14 },
		{ "\x10\x0a\x00\x05MQTT\x04\x02\x00", 12 },	/* name length wrong */
		{ "\x10\x00", 2 },				/* nothing in it */
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		memset(&r, 0, sizeof r);
		if (mqtt_run((const uint8_t *)c[i].b, c[i].n, 0, &r) != -1)
			fail_msg("case %zu: not -1", i);
		assert_int_equal(r.n, 0);
	}
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(NULL, 0, 0, &r), 0);		/* nothing yet */
}

/* Lengths from the packet that lie: never read past the bytes, all or nothing reported. */
static void
test_mqtt_hostile(void **state)
{
	(void)state;
	static struct recorder r;
	static struct mqtt_msg m;
	uint8_t b[1100];

	/* A remaining length of five bytes. */
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run((const uint8_t *)"\x10\xff\xff\xff\xff\x7f", 6, 0, &r), -1);
	/* Four continuation bytes and nothing after: never complete. */
	assert_int_equal(mqtt_run((const uint8_t *)"\x10\x80\x80\x80\x80", 5, 0, &r), -1);
	/* Three of them: more may come. */
	assert_int_equal(mqtt_run((const uint8_t *)"\x10\x80\x80\x80", 4, 0, &r), 0);
	/* Remaining length 65536: waited for; 65537: not a CONNECT worth waiting for. */
	assert_int_equal(mqtt_run((const uint8_t *)"\x10\x80\x80\x04\x00", 5, 0, &r), 0);
	assert_int_equal(mqtt_run((const uint8_t *)"\x10\x81\x80\x04\x00", 5, 0, &r), -1);
	assert_int_equal(r.n, 0);

	/*
	 * Every string length of a good message made too long in turn (the remaining length
	 * kept): the strings past it are not there, so nothing is reported.
	 */
	mqtt_connect(&m, 5, "sensor", "status", "offline", "carol", "hunter2",
	    (const uint8_t *)"\x21\x00\x0a", 3, (const uint8_t *)"\x01\x01", 2);
	for (size_t i = 2; i + 1 < m.n; i++) {
		for (int v = 0; v < 3; v++) {
			memcpy(b, m.b, m.n);
			b[i] = v == 0 ? 0xff : v == 1 ? (uint8_t)(b[i] + 1) : 0x7f;
			memset(&r, 0, sizeof r);
			int rc = mqtt_run(b, m.n, 0, &r);
			assert_true(rc == -1 || rc == 1);
			assert_true(rc == 1 || r.n == 0);
		}
	}
	/* The property length of v5 past the end. */
	mqtt_connect(&m, 5, "x", NULL, NULL, "u", "p", (const uint8_t *)"\x21\x00\x0a", 3, NULL,
	    0);
	memcpy(b, m.b, m.n);
	b[12] = 0x7f;
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(b, m.n, 0, &r), -1);
	assert_int_equal(r.n, 0);
	/* A property length that is a five-byte varint. */
	memcpy(b, "\x10\x10\x00\x04MQTT\x05\x02\x00\x3c\xff\xff\xff\xff\x7f\x00\x01x", 20);
	memset(&r, 0, sizeof r);
	assert_int_equal(mqtt_run(b, 18, 0, &r), -1);
	/* Random bytes after a CONNECT header: whatever the answer, within the bytes. */
	uint64_t s = 12345;
	for (int round = 0; round < 3000; round++) {
		size_t n = 2 + (size_t)(s % 60);
		b[0] = 0x10;
		for (size_t i = 1; i < n; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			b[i] = (uint8_t)(s >> 56);
		}
		if (round % 3 == 0 && n > 10) {
			b[1] = (uint8_t)(n - 2);
			memcpy(b + 2, "\x00\x04MQTT", 6);
			b[8] = (uint8_t)(3 + round % 3);
		}
		memset(&r, 0, sizeof r);
		int rc = mqtt_run(b, n, 0, &r);
		assert_true(rc >= -1 && rc <= 1);
	}
}

/* --- SNMP --------------------------------------------------------------------------------- */

/* GetRequest for sysDescr.0 with community "public", version v (0: v1, 1: v2c). */
static size_t
snmp_get(uint8_t *b, int v, const char *community)
{
	size_t cl = strlen(community), k = 0;
	static const uint8_t pdu[] = { 0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02,
		0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01,
		0x01, 0x00, 0x05, 0x00 };

	b[k++] = 0x30;
	b[k++] = (uint8_t)(3 + 2 + cl + sizeof pdu);
	b[k++] = 0x02;
	b[k++] = 0x01;
	b[k++] = (uint8_t)v;
	b[k++] = 0x04;
	b[k++] = (uint8_t)cl;
	memcpy(b + k, community, cl);
	k += cl;
	memcpy(b + k, pdu, sizeof pdu);
	return k + sizeof pdu;
}

static void
snmp_run(const uint8_t *b, size_t n, uint64_t off, struct recorder *r)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);
	struct ext_emit e = emitter(r);

	assert_non_null(copy);
	if (n > 0)
		memcpy(copy, b, n);
	ext_snmp(0, copy, n, off, &e);
	free(copy);
}

static void
test_snmp(void **state)
{
	(void)state;
	static struct recorder r;
	uint8_t b[300];

	for (int v = 0; v < 2; v++) {
		size_t n = snmp_get(b, v, "public");
		memset(&r, 0, sizeof r);
		snmp_run(b, n, 500, &r);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.v[0].type, "snmp-community");
		assert_int_equal(r.v[0].cat, CAT_CREDENTIAL);
		assert_int_equal(r.v[0].sev, SEV_HIGH);
		assert_int_equal(r.v[0].vlen, 6);
		assert_memory_equal(r.v[0].value, "public", 6);
		assert_int_equal(r.v[0].raw_off, 507);
		assert_false(r.v[0].has_user);
		assert_int_equal(r.v[0].msglen, n);
		assert_true(r.v[0].raw_in_msg);
		assert_int_equal(r.v[0].dir, 0);
		/* Every truncation: nothing (the PDU tag after the community is needed). */
		for (size_t k = 0; k < 8 + 6; k++) {
			memset(&r, 0, sizeof r);
			snmp_run(b, k, 0, &r);
			if (r.n != 0)
				fail_msg("v%d cut at %zu: reported", v, k);
		}
	}
	/* v3 (3) and unknown versions (2, 4): no community. */
	for (int v = 2; v < 5; v++) {
		size_t n = snmp_get(b, v, "public");
		memset(&r, 0, sizeof r);
		snmp_run(b, n, 0, &r);
		assert_int_equal(r.n, 0);
	}
	/* A context of at most 64 bytes. */
	char longc[150];
	memset(longc, 'c', sizeof longc - 1);
	longc[sizeof longc - 1] = '\0';
	b[0] = 0x30;
	b[1] = 0x81;
	b[2] = 0xc0;
	b[3] = 0x02; b[4] = 0x01; b[5] = 0x01;
	b[6] = 0x04; b[7] = 0x81; b[8] = (uint8_t)(sizeof longc - 1);
	memcpy(b + 9, longc, sizeof longc - 1);
	b[9 + sizeof longc - 1] = 0xa2;				/* GetResponse */
	memset(&r, 0, sizeof r);
	snmp_run(b, 9 + sizeof longc, 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].raw_off, 9);
	assert_int_equal(r.v[0].vlen, sizeof longc - 1);
	assert_int_equal(r.v[0].msglen, 64);
	assert_false(r.v[0].raw_in_msg);		/* it runs past the context */
}

static void
test_snmp_ber(void **state)
{
	(void)state;
	static struct recorder r;
	/* Long-form lengths everywhere (0x81, 0x82), a 4-byte version INTEGER, a trap PDU. */
	static const uint8_t b1[] = { 0x30, 0x82, 0x00, 0x20, 0x02, 0x84, 0x00, 0x00, 0x00, 0x04,
		0x00, 0x00, 0x00, 0x01, 0x04, 0x82, 0x00, 0x05, 'p', 'r', 'i', 'v', '8', 0xa7, 0x00 };
	/* An empty community. */
	static const uint8_t b2[] = { 0x30, 0x05, 0x02, 0x01, 0x00, 0x04, 0x00, 0xa0, 0x00 };
	/* Bad: length of length 0 or 5; version length 0 or 5; no OCTET STRING; a community
	 * longer than the datagram; a PDU tag out of range; not a SEQUENCE. */
	static const struct {
		const char	*b;
		size_t		 n;
	} bad[] = {
		{ "\x30\x80\x02\x01\x00\x04\x01x\xa0", 9 },
		{ "\x30\x85\x00\x00\x00\x00\x09\x02\x01\x00\x04\x01x\xa0", 14 },
		{ "\x30\x09\x02\x00\x04\x01x\xa0\x00", 9 },
		{ "\x30\x09\x02\x05\x00\x00\x00\x00\x00\x04\x01x\xa0", 13 },
		{ "\x30\x09\x02\x01\x00\x05\x01x\xa0", 9 },
		{ "\x30\x09\x02\x01\x00\x04\x7fx\xa0", 9 },
		{ "\x30\x09\x02\x01\x00\x04\x84\xff\xff\xff\xffx\xa0", 13 },
		{ "\x30\x09\x02\x01\x00\x04\x01x\xa9", 9 },
		{ "\x30\x09\x02\x01\x00\x04\x01x\x30", 9 },
		{ "\x31\x09\x02\x01\x00\x04\x01x\xa0", 9 },
		{ "", 0 },
	};

	memset(&r, 0, sizeof r);
	snmp_run(b1, sizeof b1, 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].vlen, 5);
	assert_memory_equal(r.v[0].value, "priv8", 5);
	assert_int_equal(r.v[0].raw_off, 18);
	memset(&r, 0, sizeof r);
	snmp_run(b2, sizeof b2, 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].vlen, 0);
	assert_int_equal(r.v[0].raw_off, 7);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&r, 0, sizeof r);
		snmp_run((const uint8_t *)bad[i].b, bad[i].n, 0, &r);
		if (r.n != 0)
			fail_msg("bad case %zu reported", i);
	}
	/* Garbage, and garbage after a plausible start: no read past the bytes. */
	uint8_t g[200];
	uint64_t s = 99;
	for (int round = 0; round < 5000; round++) {
		size_t n = (size_t)(s % sizeof g);
		for (size_t i = 0; i < n; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			g[i] = (uint8_t)(s >> 56);
		}
		if (round % 2 == 0 && n > 8)
			memcpy(g, "\x30\x81\x40\x02\x01\x01\x04", 7);
		memset(&r, 0, sizeof r);
		snmp_run(g, n, 0, &r);
		for (int i = 0; i < r.n; i++)
			assert_true(r.v[i].raw_off + r.v[i].rawlen <= n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proto_for),
		cmocka_unit_test(test_ftp),
		cmocka_unit_test(test_ftp_line_ends),
		cmocka_unit_test(test_ftp_answers),
		cmocka_unit_test(test_ftp_long_line),
		cmocka_unit_test(test_pop3),
		cmocka_unit_test(test_pop3_sasl_odd),
		cmocka_unit_test(test_imap),
		cmocka_unit_test(test_imap_pipelined),
		cmocka_unit_test(test_imap_literal),
		cmocka_unit_test(test_imap_odd),
		cmocka_unit_test(test_smtp),
		cmocka_unit_test(test_smtp_login_context),
		cmocka_unit_test(test_telnet),
		cmocka_unit_test(test_telnet_prompts),
		cmocka_unit_test(test_redis),
		cmocka_unit_test(test_redis_resp_data),
		cmocka_unit_test(test_redis_user_not_stale),
		cmocka_unit_test(test_redis_odd),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_lines_random),
		cmocka_unit_test(test_mqtt_311),
		cmocka_unit_test(test_mqtt_31),
		cmocka_unit_test(test_mqtt_5),
		cmocka_unit_test(test_mqtt_fields),
		cmocka_unit_test(test_mqtt_not_connect),
		cmocka_unit_test(test_mqtt_hostile),
		cmocka_unit_test(test_snmp),
		cmocka_unit_test(test_snmp_ber),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
