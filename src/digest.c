/*
 * digest.c — SHA-256 through OpenSSL's EVP interface (SHA-NI or AVX2 where the CPU has them:
 * about 1.5 GB/s a core), and the thread that hashes a whole file (see digest.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "xalloc.h"

/* Large enough that a system call costs nothing beside hashing it, small enough for L2. */
#define CHUNK	(1u << 20)

struct digest {
	EVP_MD_CTX	*ctx;
	uint64_t	 n;
};

/* libcrypto without SHA-256, or without memory: as xalloc.h, nothing to go on with. */
static void
fatal(const char *why)
{
	char msg[96];
	int len = snprintf(msg, sizeof msg, "iotscope: SHA-256 (libcrypto): %s\n", why);
	if (len > 0)
		(void)!write(2, msg, (size_t)len);
	abort();
}

static void
start(struct digest *d)
{
	if (EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1)
		fatal("cannot start");
	d->n = 0;
}

struct digest *
digest_new(void)
{
	struct digest *d = xcalloc(1, sizeof *d);

	if ((d->ctx = EVP_MD_CTX_new()) == NULL)
		fatal("out of memory");
	start(d);
	return d;
}

void
digest_update(struct digest *d, const void *p, size_t n)
{
	if (n == 0)
		return;
	EVP_DigestUpdate(d->ctx, p, n);
	d->n += n;
}

void
digest_final(struct digest *d, uint8_t out[DIGEST_LEN])
{
	unsigned len = DIGEST_LEN;

	EVP_DigestFinal_ex(d->ctx, out, &len);
	start(d);
}

uint64_t
digest_bytes(const struct digest *d)
{
	return d->n;
}

void
digest_free(struct digest *d)
{
	if (d == NULL)
		return;
	EVP_MD_CTX_free(d->ctx);
	free(d);
}

char *
digest_hex(const uint8_t d[DIGEST_LEN], char hex[DIGEST_HEX])
{
	static const char x[] = "0123456789abcdef";

	for (size_t i = 0; i < DIGEST_LEN; i++) {
		hex[2 * i] = x[d[i] >> 4];
		hex[2 * i + 1] = x[d[i] & 15];
	}
	hex[2 * DIGEST_LEN] = '\0';
	return hex;
}

struct digest_file {
	int		 fd;
	int		 threaded;
	int		 joined;
	pthread_t	 thread;
	_Atomic int	 stop;
	_Atomic int	 done;
	/* Written by the worker before done is set; read by others only after. */
	uint8_t		 sum[DIGEST_LEN];
	uint64_t	 bytes;
	char		 error[160];
};

/* Reads and hashes the whole file: the thread's body, or the caller's when no thread runs. */
static void
hash_all(struct digest_file *f)
{
	struct digest *d = digest_new();
	uint8_t *buf = xmalloc(CHUNK);
	uint64_t off = 0;

	f->error[0] = '\0';
	while (!atomic_load_explicit(&f->stop, memory_order_relaxed)) {
		ssize_t n = pread(f->fd, buf, CHUNK, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(f->error, sizeof f->error, "read error at byte %llu: %s",
			    (unsigned long long)off, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		digest_update(d, buf, (size_t)n);
		off += (uint64_t)n;
	}
	digest_final(d, f->sum);
	f->bytes = off;
	digest_free(d);
	free(buf);
	atomic_store_explicit(&f->done, 1, memory_order_release);
}

static void *
worker(void *arg)
{
	hash_all(arg);
	return NULL;
}

struct digest_file *
digest_file_new(int fd)
{
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (dfd < 0)
		return NULL;
	struct digest_file *f = xcalloc(1, sizeof *f);
	f->fd = dfd;
	return f;
}

void
digest_file_start(struct digest_file *f)
{
	if (f->threaded || atomic_load(&f->done))
		return;
	f->threaded = pthread_create(&f->thread, NULL, worker, f) == 0;
}

int
digest_file_poll(const struct digest_file *f, uint8_t out[DIGEST_LEN], uint64_t *bytes,
    const char **error)
{
	if (!atomic_load_explicit(&f->done, memory_order_acquire))
		return 0;
	memcpy(out, f->sum, DIGEST_LEN);
	*bytes = f->bytes;
	*error = f->error[0] != '\0' ? f->error : NULL;
	return 1;
}

void
digest_file_wait(struct digest_file *f, uint8_t out[DIGEST_LEN], uint64_t *bytes,
    const char **error)
{
	if (f->threaded && !f->joined) {
		pthread_join(f->thread, NULL);
		f->joined = 1;
	} else if (!f->threaded && !atomic_load(&f->done))
		hash_all(f);
	digest_file_poll(f, out, bytes, error);
}

void
digest_file_free(struct digest_file *f)
{
	if (f == NULL)
		return;
	atomic_store(&f->stop, 1);
	if (f->threaded && !f->joined)
		pthread_join(f->thread, NULL);
	close(f->fd);
	free(f);
}
