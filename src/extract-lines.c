/*
 * extract-lines.c — logins of line protocols: FTP, POP3, IMAP, SMTP, Telnet, Redis (see
 * extract.h).  Each direction's bytes are cut into lines (CR LF or LF; Telnet also CR NUL and
 * a lone CR), client lines are read as commands, server lines as answers to a pending login.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "detect.h"
#include "extract.h"

enum {
	ST_NONE,
	ST_PLAIN,		/* SASL PLAIN: the next client line is the base64 response */
	ST_LOGIN,		/* SASL LOGIN: user then password, each a base64 line */
	ST_REDIS_ARGS		/* RESP AUTH: bulk strings follow */
};

#define TELNET_IAC	255
#define TELNET_SB	250
#define TELNET_SE	240

enum ext_proto
ext_proto_for(int app, uint16_t port)
{
	switch (app) {
	case AP_FTP:
		return EXT_FTP;
	case AP_POP3:
		return EXT_POP3;
	case AP_IMAP:
		return EXT_IMAP;
	case AP_SMTP:
		return EXT_SMTP;
	case AP_TELNET:
		return EXT_TELNET;
	default:
		break;
	}
	switch (port) {
	case 21:
		return EXT_FTP;
	case 110:
		return EXT_POP3;
	case 143:
		return EXT_IMAP;
	case 25:
	case 587:
	case 2525:
		return EXT_SMTP;
	case 23:
	case 2323:
		return EXT_TELNET;
	case 6379:
		return EXT_REDIS;
	default:
		return EXT_NONE;
	}
}

static const char *const proto_tag[] = {
	[EXT_FTP] = "ftp", [EXT_POP3] = "pop3", [EXT_IMAP] = "imap", [EXT_SMTP] = "smtp",
	[EXT_TELNET] = "telnet", [EXT_REDIS] = "redis",
};

void
ext_lines_init(struct ext_lines *x, enum ext_proto p)
{
	memset(x, 0, sizeof *x);
	x->proto = (uint8_t)p;
	x->pending = -1;
}

/* A line being read, with the stream offset of its first byte. */
struct line {
	const uint8_t	*b;
	size_t		 n;
	uint64_t	 off;
};

static void
emit_user(struct ext_lines *x, const struct ext_emit *e, const struct line *l,
    const uint8_t *u, size_t un, const uint8_t *raw, size_t rawlen)
{
	char type[32];

	snprintf(x->user, sizeof x->user, "%.*s", (int)(un < sizeof x->user ? un : sizeof x->user - 1),
	    (const char *)u);
	snprintf(type, sizeof type, "%s-user", proto_tag[x->proto]);
	e->found(e->ctx, 0, type, CAT_IDENTIFIER, SEV_MEDIUM, u, un, NULL, raw, rawlen,
	    l->off + (uint64_t)(raw - l->b), l->b, l->n);
}

static void
emit_pass(struct ext_lines *x, const struct ext_emit *e, const struct line *l,
    const char *what, const uint8_t *p, size_t pn, const uint8_t *raw, size_t rawlen)
{
	char type[32];

	snprintf(type, sizeof type, "%s-%s", proto_tag[x->proto], what);
	x->pending = e->found(e->ctx, 0, type, CAT_CREDENTIAL, SEV_HIGH, p, pn,
	    x->user[0] != '\0' ? x->user : NULL, raw, rawlen, l->off + (uint64_t)(raw - l->b),
	    l->b, l->n);
}

/* The first word of a line and what follows it (leading blanks skipped). */
static size_t
word(const uint8_t *b, size_t n, size_t at, size_t *start)
{
	while (at < n && (b[at] == ' ' || b[at] == '\t'))
		at++;
	*start = at;
	while (at < n && b[at] != ' ' && b[at] != '\t')
		at++;
	return at - *start;
}

static int
is_cmd(const uint8_t *b, size_t n, const char *cmd)
{
	size_t k = strlen(cmd);
	return n == k && strncasecmp((const char *)b, cmd, k) == 0;
}

/* SASL PLAIN: authzid NUL authcid NUL password, base64 encoded. */
static void
sasl_plain(struct ext_lines *x, const struct ext_emit *e, const struct line *l,
    const uint8_t *raw, size_t rawlen)
{
	uint8_t buf[EXT_LINE];
	long n = decode_base64(raw, rawlen, buf, sizeof buf);

	if (n <= 0)
		return;
	uint8_t *z1 = memchr(buf, 0, (size_t)n);
	if (z1 == NULL)
		return;
	uint8_t *user = z1 + 1;
	uint8_t *z2 = memchr(user, 0, (size_t)(buf + n - user));
	if (z2 == NULL)
		return;
	uint8_t *pass = z2 + 1;
	emit_user(x, e, l, user, (size_t)(z2 - user), raw, rawlen);
	emit_pass(x, e, l, "password", pass, (size_t)(buf + n - pass), raw, rawlen);
}

static void
sasl_login_line(struct ext_lines *x, const struct ext_emit *e, const struct line *l)
{
	uint8_t buf[EXT_LINE];
	long n = decode_base64(l->b, l->n, buf, sizeof buf);

	if (n < 0 || (l->n == 1 && l->b[0] == '*')) {
		x->stage = ST_NONE;		/* cancelled, or not base64 */
		return;
	}
	if (x->sasl_login == 1) {
		emit_user(x, e, l, buf, (size_t)n, l->b, l->n);
		x->sasl_login = 2;
	} else {
		emit_pass(x, e, l, "password", buf, (size_t)n, l->b, l->n);
		x->stage = ST_NONE;
		x->sasl_login = 0;
	}
}

/* AUTH PLAIN / AUTH LOGIN (POP3, SMTP) and AUTHENTICATE (IMAP), at args in the line. */
static void
sasl_start(struct ext_lines *x, const struct ext_emit *e, const struct line *l, size_t at)
{
	size_t ms, ml = word(l->b, l->n, at, &ms), is;
	size_t il = word(l->b, l->n, ms + ml, &is);

	if (is_cmd(l->b + ms, ml, "PLAIN")) {
		if (il > 0 && !(il == 1 && l->b[is] == '='))
			sasl_plain(x, e, l, l->b + is, il);
		else
			x->stage = ST_PLAIN;
	} else if (is_cmd(l->b + ms, ml, "LOGIN")) {
		x->stage = ST_LOGIN;
		x->sasl_login = 1;
		if (il > 0) {			/* initial response: the user */
			struct line u = { l->b + is, il, l->off + is };
			sasl_login_line(x, e, &u);
		}
	}
}

/*
 * An IMAP astring: atom or quoted string (backslash escapes).  Literals ({N}, the string on
 * the next line) are not followed: nothing is read, so "{8}" is not taken for the string.
 */
static size_t
astring(const uint8_t *b, size_t n, size_t at, uint8_t *out, size_t max, size_t *rs, size_t *rl)
{
	size_t k = 0;

	while (at < n && b[at] == ' ')
		at++;
	*rs = at;
	if (at < n && b[at] == '{') {
		*rl = 0;
		return 0;
	}
	if (at < n && b[at] == '"') {
		at++;
		*rs = at;
		while (at < n && b[at] != '"') {
			if (b[at] == '\\' && at + 1 < n)
				at++;
			if (k < max)
				out[k++] = b[at];
			at++;
		}
		*rl = at - *rs;
		return k;
	}
	while (at < n && b[at] != ' ') {
		if (k < max)
			out[k++] = b[at];
		at++;
	}
	*rl = at - *rs;
	return k;
}

static void
client_line(struct ext_lines *x, const struct ext_emit *e, const struct line *l)
{
	size_t cs, cl, as;

	if (x->stage == ST_PLAIN) {
		x->stage = ST_NONE;
		if (!(l->n == 1 && l->b[0] == '*'))
			sasl_plain(x, e, l, l->b, l->n);
		return;
	}
	if (x->stage == ST_LOGIN) {
		sasl_login_line(x, e, l);
		return;
	}
	cl = word(l->b, l->n, 0, &cs);
	switch (x->proto) {
	case EXT_FTP:
	case EXT_POP3:
		(void)word(l->b, l->n, cs + cl, &as);
		if (is_cmd(l->b + cs, cl, "PASS")) {	/* an empty password is one too */
			emit_pass(x, e, l, "password", l->b + as, l->n - as, l->b + as,
			    l->n - as);
			break;
		}
		if (as >= l->n)
			break;
		if (is_cmd(l->b + cs, cl, "USER"))
			emit_user(x, e, l, l->b + as, l->n - as, l->b + as, l->n - as);
		else if (x->proto == EXT_POP3 && is_cmd(l->b + cs, cl, "APOP")) {
			size_t ds, dl = 0;
			size_t ul = word(l->b, l->n, cs + cl, &as);
			dl = word(l->b, l->n, as + ul, &ds);
			emit_user(x, e, l, l->b + as, ul, l->b + as, ul);
			if (dl > 0)
				emit_pass(x, e, l, "apop-digest", l->b + ds, dl, l->b + ds, dl);
		} else if (x->proto == EXT_POP3 && is_cmd(l->b + cs, cl, "AUTH"))
			sasl_start(x, e, l, cs + cl);
		break;
	case EXT_SMTP:
		if (is_cmd(l->b + cs, cl, "AUTH"))
			sasl_start(x, e, l, cs + cl);
		break;
	case EXT_IMAP: {
		size_t ms, ml = word(l->b, l->n, cs + cl, &ms);
		int login = is_cmd(l->b + ms, ml, "LOGIN");
		if (!login && !is_cmd(l->b + ms, ml, "AUTHENTICATE"))
			break;		/* pipelined commands: the answer awaited is the login's */
		snprintf(x->tag, sizeof x->tag, "%.*s", (int)(cl < sizeof x->tag ? cl :
		    sizeof x->tag - 1), (const char *)l->b + cs);
		if (login) {
			uint8_t u[EXT_USER], p[EXT_LINE];
			size_t us, ul, ps, pl;
			size_t un = astring(l->b, l->n, ms + ml, u, sizeof u, &us, &ul);
			size_t pn = astring(l->b, l->n, us + ul + (us > 0 && us + ul < l->n &&
			    l->b[us + ul] == '"'), p, sizeof p, &ps, &pl);
			if (un == 0)
				break;
			emit_user(x, e, l, u, un, l->b + us, ul);
			if (pl > 0)
				emit_pass(x, e, l, "password", p, pn, l->b + ps, pl);
		} else
			sasl_start(x, e, l, ms + ml);
		break;
	}
	case EXT_REDIS:
		if (x->stage == ST_REDIS_ARGS)
			break;
		if (is_cmd(l->b + cs, cl, "AUTH")) {
			size_t s1, l1 = word(l->b, l->n, cs + cl, &s1), s2;
			size_t l2 = word(l->b, l->n, s1 + l1, &s2);
			if (l1 == 0)
				break;
			if (l2 > 0) {
				emit_user(x, e, l, l->b + s1, l1, l->b + s1, l1);
				emit_pass(x, e, l, "password", l->b + s2, l2, l->b + s2, l2);
			} else {
				x->user[0] = '\0';	/* the default user, not the last one named */
				emit_pass(x, e, l, "password", l->b + s1, l1, l->b + s1, l1);
			}
		}
		break;
	default:
		break;
	}
}

/*
 * RESP (Redis): "*N" array header, then N bulk strings, each a "$len" header line and its
 * data line.  AUTH's arguments are the strings after the one that says AUTH.  resp_i counts
 * the lines read in the array: the line after a header is data whatever it starts with (a
 * password may begin with '$' or '*').
 */
static int
redis_resp(struct ext_lines *x, const struct ext_emit *e, const struct line *l)
{
	if (x->resp_n == 0 || x->resp_i % 2 == 0) {	/* a header is next */
		if (l->n > 0 && l->b[0] == '*') {
			x->stage = ST_NONE;
			x->resp_n = (uint8_t)(l->n == 2 && l->b[1] >= '1' && l->b[1] <= '9' ?
			    l->b[1] - '0' : 0);		/* array length, small */
			x->resp_i = 0;
			x->user[0] = '\0';
			return 1;
		}
		if (l->n > 0 && l->b[0] == '$') {
			if (x->resp_n > 0)
				x->resp_i++;
			return 1;
		}
		x->resp_n = 0;			/* no array (any more): an inline command */
		x->stage = ST_NONE;
		return 0;
	}
	x->resp_i++;
	int k = x->resp_i / 2;			/* strings read, this one included */
	if (k == 1) {
		if (is_cmd(l->b, l->n, "AUTH"))
			x->stage = ST_REDIS_ARGS;
	} else if (x->stage == ST_REDIS_ARGS) {
		if (k < x->resp_n)		/* strings after this one */
			emit_user(x, e, l, l->b, l->n, l->b, l->n);
		else
			emit_pass(x, e, l, "password", l->b, l->n, l->b, l->n);
	}
	if (k >= x->resp_n) {			/* the array is complete */
		x->stage = ST_NONE;
		x->resp_n = 0;
	}
	return 1;
}

static void
server_line(struct ext_lines *x, const struct ext_emit *e, const struct line *l)
{
	const uint8_t *b = l->b;
	size_t n = l->n;
	int verdict = -1;		/* 1 accepted, 0 rejected */

	if (x->proto == EXT_TELNET) {
		/* The prompt decides what the client's next line is. */
		size_t k = n;
		while (k > 0 && (b[k - 1] == ' ' || b[k - 1] == '\t'))
			k--;
		static const char *const users[] = { "login:", "username:", "user:", "user name:" };
		for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
			size_t w = strlen(users[i]);
			if (k >= w && strncasecmp((const char *)b + k - w, users[i], w) == 0)
				x->telnet_expect = 1;
		}
		if (k >= 9 && strncasecmp((const char *)b + k - 9, "password:", 9) == 0)
			x->telnet_expect = 2;
		return;
	}
	if (x->pending < 0 || n < 2)
		return;
	switch (x->proto) {
	case EXT_FTP:
	case EXT_SMTP:
		if (n >= 3 && b[0] >= '1' && b[0] <= '5' && b[1] >= '0' && b[1] <= '9' &&
		    (n == 3 || b[3] == ' ')) {
			if (b[0] == '2')
				verdict = 1;
			else if (b[0] == '4' || b[0] == '5')
				verdict = 0;
		}
		break;
	case EXT_POP3:
	case EXT_REDIS:
		if (n >= 3 && memcmp(b, "+OK", 3) == 0)
			verdict = 1;
		else if (b[0] == '-')
			verdict = 0;
		break;
	case EXT_IMAP: {
		size_t ts, tl = word(b, n, 0, &ts), ss;
		size_t sl = word(b, n, ts + tl, &ss);
		if (tl == strlen(x->tag) && memcmp(b + ts, x->tag, tl) == 0) {
			if (is_cmd(b + ss, sl, "OK"))
				verdict = 1;
			else if (is_cmd(b + ss, sl, "NO") || is_cmd(b + ss, sl, "BAD"))
				verdict = 0;
		}
		break;
	}
	default:
		break;
	}
	if (verdict >= 0) {
		e->outcome(e->ctx, x->pending, verdict);
		x->pending = -1;
	}
}

static void
telnet_client_line(struct ext_lines *x, const struct ext_emit *e, const struct line *l)
{
	if (l->n == 0 || x->telnet_expect == 0)
		return;
	if (x->telnet_expect == 1)
		emit_user(x, e, l, l->b, l->n, l->b, l->n);
	else
		emit_pass(x, e, l, "password", l->b, l->n, l->b, l->n);
	x->telnet_expect = 0;
}

static void
end_line(struct ext_lines *x, int dir, const struct ext_emit *e)
{
	struct line l = { x->d[dir].buf, x->d[dir].len, x->d[dir].start };

	if (x->d[dir].overflow) {
		x->d[dir].overflow = 0;		/* too long for a command: not one */
	} else if (x->proto == EXT_TELNET) {
		/*
		 * A prompt waits at the end of the server's output and is read there (see
		 * ext_lines_feed).  A line the server ends is no prompt, whatever a piece of it
		 * looked like ("Last login: …"), and ends one left unanswered; a prompt line
		 * ended after its answer ("Password: " then CR LF) must not ask again.
		 */
		if (dir == 0)
			telnet_client_line(x, e, &l);
		else if (x->d[0].len == 0)
			x->telnet_expect = 0;
	} else if (dir == 0) {
		if (x->proto != EXT_REDIS || !redis_resp(x, e, &l))
			client_line(x, e, &l);
	} else
		server_line(x, e, &l);
	x->d[dir].len = 0;
}

/*
 * Telnet: commands (IAC x, IAC WILL/WONT/DO/DONT opt) and subnegotiations (IAC SB … IAC SE)
 * are removed; IAC IAC is a data byte 255.  Returns 1 when the byte is data.
 */
static int
telnet_data(struct ext_lines *x, int dir, uint8_t c)
{
	uint8_t *st = &x->d[dir].iac;

	switch (*st) {
	case 0:
		if (c == TELNET_IAC) {
			*st = 1;
			return 0;
		}
		return 1;
	case 1:				/* after IAC */
		if (c == TELNET_IAC) {
			*st = 0;
			return 1;
		}
		*st = c == TELNET_SB ? 3 : (c >= 251 && c <= 254) ? 2 : 0;
		return 0;
	case 2:				/* the option of WILL/WONT/DO/DONT */
		*st = 0;
		return 0;
	case 3:				/* inside SB */
		if (c == TELNET_IAC)
			*st = 4;
		return 0;
	default:			/* IAC inside SB: SE ends it */
		*st = c == TELNET_SE ? 0 : 3;
		return 0;
	}
}

void
ext_lines_feed(struct ext_lines *x, int dir, const uint8_t *b, size_t n, uint64_t off,
    const struct ext_emit *e)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];
		if (x->proto == EXT_TELNET) {
			if (!telnet_data(x, dir, c))
				continue;
			if (c == '\r' || c == '\n' || c == 0) {
				if (x->d[dir].len > 0 || c == '\r')
					end_line(x, dir, e);
				continue;
			}
			if (c == 8 || c == 127) {	/* line editing: the user's backspace */
				if (x->d[dir].len > 0)
					x->d[dir].len--;
				continue;
			}
		} else if (c == '\n') {
			if (x->d[dir].len > 0 && x->d[dir].buf[x->d[dir].len - 1] == '\r')
				x->d[dir].len--;
			end_line(x, dir, e);
			continue;
		}
		if (x->d[dir].len == 0)
			x->d[dir].start = off + i;
		if (x->d[dir].len < sizeof x->d[dir].buf)
			x->d[dir].buf[x->d[dir].len++] = c;
		else
			x->d[dir].overflow = 1;
	}
	/* A Telnet server's prompt has no line end: read it as soon as it is there. */
	if (x->proto == EXT_TELNET && dir == 1 && x->d[1].len > 0) {
		struct line l = { x->d[1].buf, x->d[1].len, x->d[1].start };
		server_line(x, e, &l);
	}
}

void
ext_lines_flush(struct ext_lines *x, int dir, const struct ext_emit *e)
{
	if (x->d[dir].len > 0)
		end_line(x, dir, e);
}
