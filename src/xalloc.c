/*
 * xalloc.c — checked allocation (see xalloc.h for why aborting is the policy).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

static void
oom(size_t n)
{
	char msg[96];
	int len = snprintf(msg, sizeof msg, "iotscope: out of memory allocating %zu bytes\n", n);
	if (len > 0)
		(void)!write(2, msg, (size_t)len);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);
	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t k, size_t n)
{
	void *p = calloc(k != 0 ? k : 1, n != 0 ? n : 1);
	if (p == NULL)
		oom(k * n);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n != 0 ? n : 1);
	if (q == NULL)
		oom(n);
	return q;
}

void *
xreallocarray(void *p, size_t k, size_t n)
{
	if (n != 0 && k > SIZE_MAX / n)
		oom(SIZE_MAX);
	return xrealloc(p, k * n);
}

void *
xaligned(size_t align, size_t n)
{
	size_t size = (n + align - 1) / align * align;
	void *p = aligned_alloc(align, size != 0 ? size : align);
	if (p == NULL)
		oom(n);
	memset(p, 0, size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
