/*
 * reread.c — one packet read back at its offset (see reread.h).  The bytes come from the user's
 * file, which may have changed since: every length is checked before it is used.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "reread.h"
#include "xalloc.h"

#define PACKET_MAX	(16u << 20)
#define BLOCKS_MAX	64

static int
read_at(int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t k = pread(fd, (uint8_t *)buf + done, n - done, (off_t)(off + done));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		done += (size_t)k;
	}
	return 0;
}

static uint32_t
u32(const uint8_t *p, int big)
{
	return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] :
	    (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int
fetch(int fd, uint64_t off, uint32_t caplen, uint8_t **buf, size_t *bufcap, char *err,
    size_t errlen)
{
	if (caplen > PACKET_MAX) {
		snprintf(err, errlen, "packet at byte %llu claims %u bytes",
		    (unsigned long long)off, caplen);
		return -1;
	}
	if (caplen > *bufcap || *buf == NULL) {
		*bufcap = caplen > 2048 ? caplen : 2048;
		*buf = xrealloc(*buf, *bufcap);
	}
	if (read_at(fd, *buf, caplen, off) < 0) {
		snprintf(err, errlen, "cannot read back %u bytes at byte %llu: %s", caplen,
		    (unsigned long long)off, errno != 0 ? strerror(errno) : "end of file");
		return -1;
	}
	return 0;
}

/* The block's length in whichever byte order makes its trailing copy agree. */
static int
block_len(int fd, uint64_t off, const uint8_t hdr[8], uint32_t *len, int *big)
{
	for (int b = 0; b < 2; b++) {
		uint32_t l = u32(hdr + 4, b);
		uint8_t tail[4];
		if (l < 12 || l % 4 != 0 || l > PACKET_MAX + 64)
			continue;
		if (read_at(fd, tail, 4, off + l - 4) == 0 && u32(tail, b) == l) {
			*len = l;
			*big = b;
			return 0;
		}
	}
	return -1;
}

int
reread_packet(const struct reread_src *s, uint64_t off, uint8_t **buf, size_t *bufcap,
    uint32_t *caplen, uint32_t *wirelen, char *err, size_t errlen)
{
	uint8_t h[32];

	errno = 0;
	if (s->fd < 0) {
		snprintf(err, errlen, "the input cannot be read back");
		return -1;
	}
	if (!s->is_pcapng) {
		if (read_at(s->fd, h, s->rec_hdr, off) < 0) {
			snprintf(err, errlen, "cannot read back the record at byte %llu",
			    (unsigned long long)off);
			return -1;
		}
		*caplen = u32(h + 8, s->big_endian);
		*wirelen = u32(h + 12, s->big_endian);
		return fetch(s->fd, off + s->rec_hdr, *caplen, buf, bufcap, err, errlen);
	}
	/* pcapng: the offset is where the packet's block, or blocks before it, start. */
	for (int i = 0; i < BLOCKS_MAX; i++) {
		uint32_t len;
		int big;
		if (read_at(s->fd, h, 8, off) < 0 || block_len(s->fd, off, h, &len, &big) < 0) {
			snprintf(err, errlen, "no pcapng block at byte %llu",
			    (unsigned long long)off);
			return -1;
		}
		uint32_t type = u32(h, big);
		if ((type == 6 || type == 2) && (len < 32 || read_at(s->fd, h, 28, off) < 0)) {
			snprintf(err, errlen, "packet block at byte %llu is damaged",
			    (unsigned long long)off);
			return -1;
		}
		if (type == 6 || type == 2) {		/* EPB, obsolete PB */
			*caplen = u32(h + 20, big);
			*wirelen = u32(h + 24, big);
			if (*caplen > len - 32) {
				snprintf(err, errlen, "packet block at byte %llu is damaged",
				    (unsigned long long)off);
				return -1;
			}
			return fetch(s->fd, off + 28, *caplen, buf, bufcap, err, errlen);
		}
		if (type == 3) {			/* SPB */
			if (len < 16 || read_at(s->fd, h, 12, off) < 0) {
				snprintf(err, errlen, "packet block at byte %llu is damaged",
				    (unsigned long long)off);
				return -1;
			}
			*wirelen = u32(h + 8, big);
			*caplen = len - 16 < *wirelen ? len - 16 : *wirelen;
			return fetch(s->fd, off + 12, *caplen, buf, bufcap, err, errlen);
		}
		off += len;
	}
	snprintf(err, errlen, "no packet block found near byte %llu", (unsigned long long)off);
	return -1;
}
