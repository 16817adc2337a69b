/*
 * warn.c — merged, capped warning list (see warn.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warn.h"
#include "xalloc.h"

#define WARN_MAX	256

void
warn_init(struct warnlist *w)
{
	memset(w, 0, sizeof *w);
}

void
warn_fini(struct warnlist *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].msg);
	free(w->v);
	memset(w, 0, sizeof *w);
}

void
warn_add(struct warnlist *w, enum warn_level level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (level == WARN_ERROR)
		w->nerrors++;
	for (size_t i = 0; i < w->n; i++) {
		if (w->v[i].level == level && strcmp(w->v[i].msg, buf) == 0) {
			w->v[i].count++;
			return;
		}
	}
	if (w->n >= WARN_MAX) {
		w->dropped++;
		return;
	}
	if (w->n == w->cap) {
		w->cap = w->cap != 0 ? w->cap * 2 : 8;
		w->v = xreallocarray(w->v, w->cap, sizeof *w->v);
	}
	w->v[w->n].level = level;
	w->v[w->n].count = 1;
	w->v[w->n].msg = xstrdup(buf);
	w->n++;
}

void
warn_set(struct warnlist *w, long *entry, enum warn_level level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (*entry >= 0 && (size_t)*entry < w->n) {
		free(w->v[*entry].msg);
		w->v[*entry].msg = xstrdup(buf);
		w->v[*entry].level = level;
		return;
	}
	if (level == WARN_ERROR)
		w->nerrors++;
	if (*entry == -2)
		return;			/* the list was full: dropped, and counted, once */
	if (w->n >= WARN_MAX) {
		w->dropped++;
		*entry = -2;
		return;
	}
	if (w->n == w->cap) {
		w->cap = w->cap != 0 ? w->cap * 2 : 8;
		w->v = xreallocarray(w->v, w->cap, sizeof *w->v);
	}
	w->v[w->n].level = level;
	w->v[w->n].count = 1;
	w->v[w->n].msg = xstrdup(buf);
	*entry = (long)w->n++;
}

const char *
warn_level_name(enum warn_level l)
{
	switch (l) {
	case WARN_INFO:		return "info";
	case WARN_WARNING:	return "warning";
	case WARN_ERROR:	return "error";
	}
	return "?";
}
