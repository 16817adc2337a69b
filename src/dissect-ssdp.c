/*
 * dissect-ssdp.c — SSDP (UPnP discovery, HTTP over UDP): the start line and the SERVER,
 * USER-AGENT, LOCATION and USN headers by which devices announce themselves.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "dissect.h"

static void
take(char *dst, size_t cap, struct span v)
{
	while (v.n > 0 && (v.p[0] == ' ' || v.p[0] == '\t')) {
		v.p++;
		v.n--;
	}
	size_t n = v.n < cap - 1 ? v.n : cap - 1;
	struct rd r = rd_make(v.p, n);
	rd_copy(&r, dst, n);
	dst[n] = '\0';
}

static int
header_is(struct span line, const char *name, struct span *value)
{
	size_t n = strlen(name);
	struct rd r = rd_make(line.p, line.n);

	if (line.n <= n || rd_peek(&r, n) != ':')
		return 0;
	char buf[32];
	rd_copy(&r, buf, n);
	if (strncasecmp(buf, name, n) != 0)
		return 0;
	rd_skip(&r, 1);
	*value = rd_span(&r);
	return 1;
}

int
ssdp_parse(struct rd r, struct ssdp_info *s)
{
	struct span line, v;

	memset(s, 0, sizeof *s);
	if (rd_starts(&r, "NOTIFY ", 7))
		s->kind = 'N';
	else if (rd_starts(&r, "M-SEARCH ", 9))
		s->kind = 'M';
	else if (rd_starts(&r, "HTTP/1.", 7))
		s->kind = 'R';
	else
		return -1;
	rd_line(&r, &line);
	for (int i = 0; i < 64 && rd_line(&r, &line); i++) {
		if (line.n == 0)
			break;
		if (header_is(line, "SERVER", &v) || header_is(line, "USER-AGENT", &v))
			take(s->server, sizeof s->server, v);
		else if (header_is(line, "LOCATION", &v))
			take(s->location, sizeof s->location, v);
		else if (header_is(line, "USN", &v))
			take(s->usn, sizeof s->usn, v);
	}
	return 0;
}
