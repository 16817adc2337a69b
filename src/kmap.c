/*
 * kmap.c — keyed set of 64-bit keys (see kmap.h).
 */
#include "config.h"

#include <stdlib.h>

#include "hash.h"
#include "kmap.h"
#include "xalloc.h"

static void
grow(struct kmap *m)
{
	struct kmap o = *m;

	m->cap = m->cap != 0 ? 2 * m->cap : 64;
	m->key = xcalloc(m->cap, sizeof *m->key);
	m->val = xcalloc(m->cap, sizeof *m->val);
	m->n = 0;
	for (size_t i = 0; i < o.cap; i++)
		if (o.key[i] != 0) {
			int f;
			*kmap_slot(m, o.key[i], &f) = o.val[i];
		}
	free(o.key);
	free(o.val);
}

uint32_t *
kmap_slot(struct kmap *m, uint64_t key, int *fresh)
{
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	size_t j = hash_mix(key) & (m->cap - 1);
	while (m->key[j] != 0 && m->key[j] != key)
		j = (j + 1) & (m->cap - 1);
	*fresh = m->key[j] == 0;
	if (*fresh) {
		m->key[j] = key;
		m->val[j] = 0;
		m->n++;
	}
	return &m->val[j];
}

uint32_t *
kmap_find(const struct kmap *m, uint64_t key)
{
	if (m->cap == 0 || key == 0)
		return NULL;
	size_t j = hash_mix(key) & (m->cap - 1);
	while (m->key[j] != 0) {
		if (m->key[j] == key)
			return &m->val[j];
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

void
kmap_free(struct kmap *m)
{
	free(m->key);
	free(m->val);
	m->key = NULL;
	m->val = NULL;
	m->cap = m->n = 0;
}
