/*
 * bytesrc.h — the bytes of one capture input: a file or standard input, read through a large
 * buffer of our own and gunzipped on the fly when the input starts with the gzip magic.  It
 * offers the first bytes for format detection without consuming them (standard input cannot
 * seek), counts raw and decompressed offsets for progress and truncation messages, and hands a
 * stdio stream to libpcap (pcap_fopen_offline) or its bytes to the pcapng reader.
 */
#ifndef IOT_BYTESRC_H
#define IOT_BYTESRC_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct bytesrc;

/* Opens path ("-" is standard input); NULL with a one-line reason in err. */
struct bytesrc	*bytesrc_open(const char *path, char *err, size_t errlen);
void		 bytesrc_free(struct bytesrc *);
/* Reads up to n bytes; 0 at the end; -1 with a reason in err (read or gzip error). */
ssize_t		 bytesrc_read(struct bytesrc *, void *buf, size_t n);
/* Copies up to n of the next bytes without consuming them; returns how many there are. */
ssize_t		 bytesrc_peek(struct bytesrc *, void *buf, size_t n);
/* A stdio stream over the (decompressed) bytes with a 4 MiB buffer; owned by the source. */
FILE		*bytesrc_stream(struct bytesrc *);
/*
 * Copies every byte handed out by bytesrc_read() to fd at its offset in the decompressed
 * stream, so a compressed file or a pipe can later be read back at random (the payload
 * viewer).  A write failure is remembered (bytesrc_spool_failed), never fatal.
 */
void		 bytesrc_spool(struct bytesrc *, int fd);
int		 bytesrc_spool_failed(const struct bytesrc *);
/* The descriptor of a plain file (for reading it back), or -1. */
int		 bytesrc_file_fd(const struct bytesrc *);
/*
 * The descriptor of a regular file as stored, compressed or not, to hash it whole
 * (digest_file_new); -1 for a pipe, whose bytes are hashed as they are read instead.
 */
int		 bytesrc_raw_fd(const struct bytesrc *);
/*
 * A pipe's SHA-256: of every byte read from it so far, as it came (a gzip stream's
 * compressed bytes); *whole says whether its end was reached.  Call once, when done
 * reading; -1 for a regular file.
 */
int		 bytesrc_digest(struct bytesrc *, uint8_t out[32], uint64_t *bytes, int *whole);
/* Tells the source that its stream was closed by its user (pcap_close() fcloses it). */
void		 bytesrc_stream_closed(struct bytesrc *);
/* Starts again from the first byte; -1 when the input cannot seek (a pipe). */
int		 bytesrc_rewind(struct bytesrc *);
int		 bytesrc_is_gzip(const struct bytesrc *);
int		 bytesrc_is_seekable(const struct bytesrc *);
/* Decompressed bytes handed out so far. */
uint64_t	 bytesrc_pos(const struct bytesrc *);
/* Raw bytes read from the file so far, and its size (0 when unknown), for progress. */
uint64_t	 bytesrc_raw_pos(const struct bytesrc *);
uint64_t	 bytesrc_raw_size(const struct bytesrc *);
const char	*bytesrc_error(const struct bytesrc *);

#define BYTESRC_BUFSZ	(4096u << 10)

#endif
