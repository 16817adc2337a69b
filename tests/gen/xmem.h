/*
 * xmem.h — allocation helpers that end the program with a message when memory runs out; the
 * generator has nothing useful to do without the memory it asked for.
 */
#ifndef GEN_XMEM_H
#define GEN_XMEM_H

#include <stdio.h>
#include <stdlib.h>

static inline void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "gen-capture: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

static inline void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL) {
		fprintf(stderr, "gen-capture: out of memory\n");
		exit(1);
	}
	return p;
}

static inline void *
xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL) {
		fprintf(stderr, "gen-capture: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

#endif
