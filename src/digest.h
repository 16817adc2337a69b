/*
 * digest.h — the SHA-256 of an input as given (a gzip file's own compressed bytes), which
 * identifies the evidence a report was made from: over bytes as they are read (a pipe, a
 * followed file), or over a whole regular file on a thread of its own (digest_file), because
 * libpcap reads plain files through stdio and their bytes never pass through our code.
 *
 * What is shared with the thread and how: a digest_file's descriptor, buffer and context are
 * the thread's alone from digest_file_start() until it finishes; it then stores the result and
 * sets `done` (a C11 atomic, release) last, so a reader that sees done (acquire) may read the
 * result.  `stop` asks it to end early (digest_file_free).
 */
#ifndef IOT_DIGEST_H
#define IOT_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_LEN	32
#define DIGEST_HEX	(2 * DIGEST_LEN + 1)

struct digest;

/* A SHA-256 context (OpenSSL's libcrypto); aborts when it cannot be made. */
struct digest	*digest_new(void);
void		 digest_update(struct digest *, const void *, size_t);
/* Ends it: out gets the 32 bytes; the context starts again empty. */
void		 digest_final(struct digest *, uint8_t out[DIGEST_LEN]);
/* Bytes taken in since it was made or last ended. */
uint64_t	 digest_bytes(const struct digest *);
void		 digest_free(struct digest *);
/* The lower-case hex of a digest into hex (DIGEST_HEX bytes); returns hex. */
char		*digest_hex(const uint8_t d[DIGEST_LEN], char hex[DIGEST_HEX]);

struct digest_file;

/*
 * The SHA-256 of fd's file from byte 0 to its end, read with pread(2) in large chunks (the
 * page cache the parser fills serves both).  fd is duplicated: the caller may close its own.
 * NULL when it cannot be duplicated.  Nothing is read before digest_file_start().
 */
struct digest_file *digest_file_new(int fd);
/* Starts the thread; when that fails, digest_file_wait() reads the file itself. */
void		 digest_file_start(struct digest_file *);
/* 1 when finished (without waiting): out, bytes and a read error (or NULL) are filled. */
int		 digest_file_poll(const struct digest_file *, uint8_t out[DIGEST_LEN],
		    uint64_t *bytes, const char **error);
/* Waits for the end (or does the work when no thread runs) and fills as above. */
void		 digest_file_wait(struct digest_file *, uint8_t out[DIGEST_LEN], uint64_t *bytes,
		    const char **error);
/* Stops the thread if it is still reading, and frees everything. */
void		 digest_file_free(struct digest_file *);

#endif
