/*
 * hash.h — the one hash function of the core's tables: fast on short fixed-size keys
 * (addresses, flow keys, MACs) and well mixed, so open addressing with linear probing works;
 * and a per-run random key for tables whose keys captured traffic chooses (hash.c).
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

/*
 * Fills key[0..n) with random words (getrandom(2)), so that crafted traffic cannot aim at
 * one chain of a table: without the key, which keys collide cannot be worked out.
 */
void	hash_random_key(uint64_t *key, size_t n);

/* The high and low halves of a 64 × 64-bit product, folded: a cheap keyed mix. */
static inline uint64_t
hash_mum(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	/* 32-bit hosts (a Raspberry Pi on armhf): the product from four 32 × 32-bit ones. */
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
	uint64_t lo = (mid << 32) | (uint32_t)ll;
	uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
	return lo ^ hi;
#endif
}

#endif
