/*
 * strpool.c — open-addressing set of owned strings (see strpool.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strpool.h"
#include "xalloc.h"

struct strpool {
	char		**slot;
	size_t		 cap, n;
	size_t		 bytes;
};

struct strpool *
strpool_new(void)
{
	struct strpool *sp = xcalloc(1, sizeof *sp);
	sp->cap = 64;
	sp->slot = xcalloc(sp->cap, sizeof *sp->slot);
	return sp;
}

void
strpool_free(struct strpool *sp)
{
	if (sp == NULL)
		return;
	for (size_t i = 0; i < sp->cap; i++)
		free(sp->slot[i]);
	free(sp->slot);
	free(sp);
}

static void
grow(struct strpool *sp)
{
	size_t ncap = sp->cap * 2;
	char **ns = xcalloc(ncap, sizeof *ns);

	for (size_t i = 0; i < sp->cap; i++) {
		char *s = sp->slot[i];
		if (s == NULL)
			continue;
		size_t j = hash_bytes(s, strlen(s), 1) & (ncap - 1);
		while (ns[j] != NULL)
			j = (j + 1) & (ncap - 1);
		ns[j] = s;
	}
	free(sp->slot);
	sp->slot = ns;
	sp->cap = ncap;
}

const char *
strpool_intern(struct strpool *sp, const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);
	if (nul != NULL)
		n = (size_t)(nul - s);
	if (2 * (sp->n + 1) > sp->cap)
		grow(sp);
	size_t j = hash_bytes(s, n, 1) & (sp->cap - 1);
	while (sp->slot[j] != NULL) {
		if (strncmp(sp->slot[j], s, n) == 0 && sp->slot[j][n] == '\0')
			return sp->slot[j];
		j = (j + 1) & (sp->cap - 1);
	}
	sp->slot[j] = xstrndup(s, n);
	sp->n++;
	sp->bytes += n + 1;
	return sp->slot[j];
}

const char *
strpool_str(struct strpool *sp, const char *s)
{
	return strpool_intern(sp, s, strlen(s));
}

size_t
strpool_bytes(const struct strpool *sp)
{
	return sp->bytes;
}
