/*
 * httpbody.c — HTTP message boundaries for the findings scanner (see httpbody.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "httpbody.h"

enum { ST_HEAD, ST_BODY, ST_SKIP, ST_REST };

void
http_track_init(struct http_track *h)
{
	memset(h, 0, sizeof *h);
	h->first = 1;
	h->empty = 1;
	h->clen = -1;
}

static int
starts(const char *line, const char *prefix)
{
	return strncmp(line, prefix, strlen(prefix)) == 0;
}

static const char *
value(const char *line, size_t name)
{
	const char *v = line + name;
	while (*v == ' ' || *v == '\t')
		v++;
	return v;
}

/* One header line (its first bytes, lower case) is complete. */
static void
header_line(struct http_track *h)
{
	const char *l = h->line;

	if (h->first) {
		h->first = 0;
		/* "HTTP/1.1 304 ...": responses that never have a body. */
		if (starts(l, "http/1.") && strlen(l) >= 12) {
			int code = atoi(l + 9);
			h->no_body = (code >= 100 && code < 200) || code == 204 || code == 304;
		}
		return;
	}
	if (starts(l, "content-type:")) {
		const char *v = value(l, 13);
		h->media = starts(v, "image/") || starts(v, "video/") || starts(v, "audio/");
	} else if (starts(l, "content-length:")) {
		const char *v = value(l, 15);
		h->clen = isdigit((unsigned char)*v) ? strtoll(v, NULL, 10) : -1;
	} else if (starts(l, "transfer-encoding:"))
		h->chunked = strstr(l, "chunked") != NULL;
}

/* The blank line ended the head: what follows. */
static void
end_head(struct http_track *h)
{
	if (h->no_body || h->clen == 0)
		h->state = ST_HEAD;
	else if (h->chunked || h->clen < 0)
		h->state = ST_REST;		/* no length we can trust: read everything */
	else {
		h->left = (uint64_t)h->clen;
		h->state = h->media ? ST_SKIP : ST_BODY;
	}
	h->first = 1;
	h->media = h->chunked = h->no_body = 0;
	h->clen = -1;
}

size_t
http_track_next(struct http_track *h, const uint8_t *b, size_t n, int *skip)
{
	*skip = 0;
	switch (h->state) {
	case ST_REST:
		return n;
	case ST_BODY:
	case ST_SKIP: {
		size_t run = h->left < n ? (size_t)h->left : n;
		*skip = h->state == ST_SKIP;
		h->left -= run;
		if (h->left == 0)
			h->state = ST_HEAD;
		return run;
	}
	default:
		break;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t c = b[i];
		if (c == '\n') {
			h->line[h->llen] = '\0';
			if (h->empty && !h->first) {
				end_head(h);
				h->llen = 0;
				h->empty = 1;
				return i + 1;
			}
			if (!(h->empty && h->first))	/* blank lines before a message */
				header_line(h);
			h->llen = 0;
			h->empty = 1;
			continue;
		}
		if (c != '\r')
			h->empty = 0;
		if ((size_t)h->llen + 1 < sizeof h->line)
			h->line[h->llen++] = (char)tolower(c);
	}
	return n;
}
