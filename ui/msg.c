/*
 * msg.c — standard error for the front ends (see msg.h).  No other file of iotscope writes
 * there: tests/e2e/output-safety.sh checks that.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "esc.h"
#include "msg.h"
#include "warn.h"

void
msg_verr(const char *fmt, va_list ap)
{
	char small[512], *buf = small;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0)
		small[0] = '\0';
	else if ((size_t)n >= sizeof small) {
		/* Out of memory: the message cut to small, still escaped. */
		char *big = malloc((size_t)n + 1);
		if (big != NULL) {
			vsnprintf(big, (size_t)n + 1, fmt, ap2);
			buf = big;
		}
	}
	va_end(ap2);
	fputs("iotscope: ", stderr);
	esc_fputs(stderr, buf, ESC_TEXT);
	fputc('\n', stderr);
	if (buf != small)
		free(buf);
}

void
msg_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_verr(fmt, ap);
	va_end(ap);
}

void
msg_warnings(const struct warnlist *w, int quiet)
{
	for (size_t i = 0; i < w->n; i++) {
		if (quiet && w->v[i].level != WARN_ERROR)
			continue;
		if (w->v[i].count > 1)
			msg_err("%s: %s (%" PRIu64 " times)", warn_level_name(w->v[i].level),
			    w->v[i].msg, w->v[i].count);
		else
			msg_err("%s: %s", warn_level_name(w->v[i].level), w->v[i].msg);
	}
}
