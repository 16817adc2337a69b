/*
 * hash.h — the one hash function of the core's tables: fast on short fixed-size keys
 * (addresses, flow keys, MACs) and well mixed, so open addressing with linear probing works.
 */
#ifndef IOT_HASH_H
#define IOT_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t
hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static inline uint64_t
hash_bytes(const void *key, size_t n, uint64_t seed)
{
	const uint8_t *p = key;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull);
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ hash_mix(w)) * 0x9e3779b97f4a7c15ull;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ hash_mix(w)) * 0x9e3779b97f4a7c15ull;
	}
	return hash_mix(h);
}

#endif
