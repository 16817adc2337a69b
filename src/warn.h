/*
 * warn.h — the list of warnings and errors the core collects instead of printing: truncated
 * file at byte N, unsupported link type, missing database.  Identical messages are merged and
 * counted, and the list is capped, so a hostile capture cannot grow it without bound.
 */
#ifndef IOT_WARN_H
#define IOT_WARN_H

#include <stddef.h>
#include <stdint.h>

enum warn_level {
	WARN_INFO,
	WARN_WARNING,
	WARN_ERROR		/* an input could not be read (wholly or from some point on) */
};

struct warn_entry {
	enum warn_level	 level;
	uint64_t	 count;
	char		*msg;		/* owned */
};

struct warnlist {
	struct warn_entry *v;
	size_t		 n, cap;
	uint64_t	 dropped;	/* distinct messages past the cap */
	size_t		 nerrors;
};

void	warn_init(struct warnlist *);
void	warn_fini(struct warnlist *);
void	warn_add(struct warnlist *, enum warn_level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * One entry whose text changes as the figure in it grows ("N flows folded"): the first call
 * adds it and sets *entry, later ones rewrite it in place (*entry starts at -1).  It counts
 * once: the figure is in the text.
 */
void	warn_set(struct warnlist *, long *entry, enum warn_level, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
const char *warn_level_name(enum warn_level);

#endif
