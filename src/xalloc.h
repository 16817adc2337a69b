/*
 * xalloc.h — allocation that never returns NULL: on exhaustion it prints one line and aborts,
 * because no analysis result is trustworthy after a failed allocation deep in a table.
 */
#ifndef IOT_XALLOC_H
#define IOT_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
/* Zeroed memory aligned to align (a power of two); n is rounded up to a multiple of it. */
void	*xaligned(size_t align, size_t n);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

#endif
