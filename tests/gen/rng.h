/*
 * rng.h — the generator's own PRNG: xoshiro256** seeded through splitmix64.  Only integer
 * arithmetic on fixed-width types, so one seed gives the same stream on every architecture
 * (no libc rand(), no floating point).
 */
#ifndef GEN_RNG_H
#define GEN_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t	 s[4];
};

static inline uint64_t
rng_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Seeds from a seed and a stream number, so independent parts of a scenario get their own. */
static inline void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);

	for (int i = 0; i < 4; i++)
		r->s[i] = rng_splitmix(&x);
}

static inline uint64_t
rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return out;
}

static inline uint32_t
rng_u32(struct rng *r)
{
	return (uint32_t)(rng_next(r) >> 32);
}

/* Uniform in [0, n); n == 0 gives 0.  Multiply-shift, slightly biased, which is fine here. */
static inline uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((uint64_t)rng_u32(r) * n) >> 32);
}

/* Uniform in [lo, hi] inclusive. */
static inline uint32_t
rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + rng_below(r, hi - lo + 1);
}

static inline uint64_t
rng_range64(struct rng *r, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + rng_next(r) % (hi - lo + 1);
}

/* True with probability pct percent. */
static inline int
rng_pct(struct rng *r, uint32_t pct)
{
	return rng_below(r, 100) < pct;
}

/* Fills with bytes taken little-endian from each 64-bit output, the same on every host. */
static inline void
rng_fill(struct rng *r, uint8_t *p, size_t n)
{
	while (n > 0) {
		uint64_t v = rng_next(r);

		for (int i = 0; i < 8 && n > 0; i++, n--) {
			*p++ = (uint8_t)v;
			v >>= 8;
		}
	}
}

#endif
