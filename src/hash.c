/*
 * hash.c — per-run random keys for the tables that captured traffic fills (see hash.h), from
 * getrandom(2), else /dev/urandom, else the clock and the process id.
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_GETRANDOM
#include <sys/random.h>
#endif

#include "hash.h"

void
hash_random_key(uint64_t *key, size_t n)
{
	size_t len = n * sizeof *key, got = 0;

	memset(key, 0, len);
#ifdef HAVE_GETRANDOM
	while (got < len) {
		ssize_t r = getrandom((char *)key + got, len - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
#endif
	if (got < len) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			while (got < len) {
				ssize_t r = read(fd, (char *)key + got, len - got);
				if (r <= 0)
					break;
				got += (size_t)r;
			}
			close(fd);
		}
	}
	if (got < len) {
		/* No source of randomness at all: weak, but still not the same every run. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t s = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32 ^ (uint64_t)getpid();
		for (size_t i = 0; i < n; i++)
			key[i] ^= hash_mix(s += 0x9e3779b97f4a7c15ull);
	}
}
