/*
 * source-follow.c — a capture file that another program is still writing (tcpdump -w, dumpcap),
 * or a folder of rotated files read in name order with the newest followed.  The bytes are
 * framed into records here, so a record cut mid-way by the writer waits for its rest instead
 * of ending the input; inotify says when more was written (a short timer where it is missing).
 * Compressed files cannot grow record by record and are refused.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcapng.h"
#include "source.h"
#include "warn.h"
#include "xalloc.h"

#define FOLLOW_CHUNK	(256u << 10)
#define RECORD_MAX	(64u << 20)	/* a pcap record or pcapng block larger is damage */
#define POLL_MS		250		/* without inotify */

struct source_follow {
	struct source	 base;
	char		*path;		/* the file, or the folder */
	int		 is_dir;
	int		 ino;		/* inotify descriptor, or -1 */
	int		 changed;	/* an event arrived since the folder was listed */
	int		 stopped;

	/* The file being read. */
	struct cap_input *in;
	char		*cur;		/* its name within the folder (folder mode) */
	int		 fd;
	uint8_t		*buf;
	size_t		 cap, len, pos;	/* bytes buf[pos..len) not yet framed */
	uint64_t	 buf_off;	/* file offset of buf[0] */
	int		 have_hdr;
	int		 is_pcapng;
	int		 big;		/* pcap: byte order */
	int		 nano;
	uint32_t	 rec_hdr;
	int		 linktype;
	struct pcapng	*ng;
	struct digest	*dg;		/* the SHA-256 of its bytes as read */
	uint64_t	 total;		/* bytes consumed by the inputs already finished */
};

static void
drain_events(struct source_follow *s)
{
	char ev[4096];

	if (s->ino < 0) {
		s->changed = 1;
		return;
	}
	while (read(s->ino, ev, sizeof ev) > 0)
		s->changed = 1;
}

/*
 * The first capture file of the folder after `after` in name order (version order: file2
 * before file10, as tcpdump -C names them), or NULL; the result is owned by the caller.
 */
static char *
next_in_dir(const char *dir, const char *after)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *best = NULL;

	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (after != NULL && strverscmp(e->d_name, after) <= 0)
			continue;
		if (best != NULL && strverscmp(e->d_name, best) >= 0)
			continue;
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		const char *n = e->d_name;
		free(best);
		best = xstrdup(n);
	}
	closedir(d);
	return best;
}

/*
 * Hashes the rest of the file as it stands now (up to its present size: a writer still at
 * it cannot keep us here) and records the sum: the file as iotscope last saw it.
 */
static void
finish_hash(struct source_follow *s)
{
	uint8_t sum[DIGEST_LEN], buf[64 << 10];
	struct stat st;
	int whole = 1;

	if (fstat(s->fd, &st) == 0) {
		uint64_t at = digest_bytes(s->dg);
		while (at < (uint64_t)st.st_size) {
			size_t want = (uint64_t)st.st_size - at < sizeof buf ?
			    (size_t)((uint64_t)st.st_size - at) : sizeof buf;
			ssize_t n = pread(s->fd, buf, want, (off_t)at);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				whole = n == 0;
				break;
			}
			digest_update(s->dg, buf, (size_t)n);
			at += (uint64_t)n;
		}
	}
	uint64_t n = digest_bytes(s->dg);
	digest_final(s->dg, sum);
	capture_input_hashed(s->in, sum, n, whole);
}

static void
close_current(struct source_follow *s)
{
	if (s->fd >= 0 && s->in != NULL)
		finish_hash(s);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->in != NULL) {
		s->in->bytes = s->buf_off + s->pos;
		s->total += s->in->bytes;
		s->in->done = 1;
		s->in->owner = NULL;
		s->in = NULL;
	}
	pcapng_free(s->ng);
	s->ng = NULL;
	s->len = s->pos = 0;
	s->buf_off = 0;
	s->have_hdr = 0;
}

static int
open_file(struct source_follow *s, const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	s->fd = fd;
	if (s->dg == NULL)
		s->dg = digest_new();
	s->in = capture_input_new(s->base.cap, &s->base, path);
	s->in->format = "pcap";
	if (capture_keeps(s->base.cap))
		s->in->rs.fd = dup(fd);
	return 0;
}

/* Reads what has been written since; returns the bytes added (0 at the current end). */
static ssize_t
fill(struct source_follow *s)
{
	if (s->pos > 0 && s->pos == s->len) {
		s->buf_off += s->pos;
		s->len = s->pos = 0;
	} else if (s->pos > s->cap / 2) {
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->buf_off += s->pos;
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->cap - s->len < FOLLOW_CHUNK) {
		s->cap = s->len + FOLLOW_CHUNK;
		s->buf = xrealloc(s->buf, s->cap);
	}
	ssize_t n;
	do
		n = read(s->fd, s->buf + s->len, s->cap - s->len);
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		digest_update(s->dg, s->buf + s->len, (size_t)n);
		s->len += (size_t)n;
	}
	return n;
}

static uint32_t
u32(const uint8_t *p, int big)
{
	return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] :
	    (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/*
 * Frames the next record from the buffer: 1 with a packet, 0 when more bytes are needed (or
 * a block without a packet was consumed: call again), -1 when the file is damaged (err).
 */
static int
frame(struct source_follow *s, struct cap_pkt *p, int *again, char *err, size_t errlen)
{
	const uint8_t *b = s->buf + s->pos;
	size_t n = s->len - s->pos;

	*again = 0;
	if (!s->have_hdr) {
		if (n < 4)
			return 0;
		uint32_t m = u32(b, 1);
		if (m == 0x0a0d0d0a) {
			s->is_pcapng = 1;
			s->in->format = "pcapng";
			s->in->rs.is_pcapng = 1;
			s->ng = pcapng_new(NULL);
			s->have_hdr = 1;
			*again = 1;
			return 0;
		}
		if (m == 0x1f8b0800 || (b[0] == 0x1f && b[1] == 0x8b)) {
			snprintf(err, errlen, "--follow reads uncompressed captures only");
			return -1;
		}
		if (source_pcap_magic(m, &s->in->format, &s->big, &s->rec_hdr) < 0) {
			snprintf(err, errlen, "not a pcap or pcapng capture (first bytes %02x %02x "
			    "%02x %02x)", b[0], b[1], b[2], b[3]);
			return -1;
		}
		if (n < 24)
			return 0;
		s->nano = strcmp(s->in->format, "pcap-ns") == 0;
		s->linktype = source_linktype_to_dlt((int)(u32(b + 20, s->big) & 0x03ffffff));
		s->in->linktype = s->linktype;
		s->in->big_endian = s->big;
		s->in->rs.big_endian = s->big;
		s->in->rs.rec_hdr = s->rec_hdr;
		s->pos += 24;
		s->have_hdr = 1;
		*again = 1;
		return 0;
	}
	uint64_t off = s->buf_off + s->pos;
	if (s->is_pcapng) {
		uint32_t len;
		int rc = pcapng_frame(s->ng, b, n, &len);
		if (rc < 0) {
			snprintf(err, errlen, "block at byte %llu has an impossible length",
			    (unsigned long long)off);
			return -1;
		}
		if (rc == 0 || n < len)
			return 0;
		struct pcapng_pkt np;
		rc = pcapng_block(s->ng, b, len, off, &np, err, errlen);
		if (rc < 0)
			return -1;
		s->pos += len;
		if (rc == 0) {
			*again = 1;
			return 0;
		}
		if (s->in->packets == 0)
			s->in->linktype = source_linktype_to_dlt(np.linktype);
		p->ts_ns = np.ts_ns;
		p->caplen = np.caplen;
		p->wirelen = np.wirelen;
		p->linktype = source_linktype_to_dlt(np.linktype);
		p->ifidx = np.ifidx;
		p->data = np.data;
		capture_input_got(s->in, p, off);
		return 1;
	}
	if (n < s->rec_hdr)
		return 0;
	uint32_t caplen = u32(b + 8, s->big);
	if (caplen > RECORD_MAX) {
		snprintf(err, errlen, "record at byte %llu claims %u captured bytes",
		    (unsigned long long)off, caplen);
		return -1;
	}
	if (n < s->rec_hdr + caplen)
		return 0;
	uint64_t sec = u32(b, s->big), frac = u32(b + 4, s->big);
	p->ts_ns = (int64_t)(sec * 1000000000u + frac * (s->nano ? 1u : 1000u));
	p->caplen = caplen;
	p->wirelen = u32(b + 12, s->big);
	p->linktype = s->linktype;
	p->ifidx = 0;
	p->data = b + s->rec_hdr;
	s->pos += s->rec_hdr + caplen;
	capture_input_got(s->in, p, off);
	return 1;
}

/*
 * Folder mode: moves to the next file when there is one; 1 when it did, or when the current
 * file turned out to have grown after all.
 */
static int
advance_file(struct source_follow *s)
{
	char err[512];

	for (;;) {
		char *next = next_in_dir(s->path, s->cur);
		if (next == NULL)
			return 0;
		/*
		 * One batch of events can stand for several new files, and files already there
		 * when the folder was opened make none: look again at the next file's end.
		 */
		s->changed = 1;
		/*
		 * The writer finishes a file before it starts the next, but it may have written
		 * the last bytes after our read found the end: read them before moving on.
		 */
		if (s->in != NULL && !s->in->done && fill(s) > 0) {
			free(next);
			return 1;
		}
		if (s->in != NULL && !s->in->done && s->pos < s->len)
			capture_input_stop(s->base.cap, s->in, s->buf_off + s->pos, 1,
			    "a record cut short when the writer moved to the next file");
		close_current(s);
		free(s->cur);
		s->cur = next;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", s->path, next);
		if (open_file(s, path, err, sizeof err) == 0)
			return 1;
		warn_add(capture_warnings(s->base.cap), WARN_WARNING, "%s", err);
	}
}

static enum cap_next
follow_next(struct source *base, struct cap_pkt *p)
{
	struct source_follow *s = (struct source_follow *)base;
	char err[512];

	if (s->stopped)
		return CAP_END;
	for (;;) {
		if (s->in == NULL || s->in->done) {
			if (!s->is_dir || !advance_file(s))
				return CAP_IDLE;
		}
		int again;
		int rc = frame(s, p, &again, err, sizeof err);
		if (rc == 1)
			return CAP_PACKET;
		if (rc < 0) {
			capture_input_stop(s->base.cap, s->in, s->buf_off + s->pos, 0, err);
			if (!s->is_dir) {
				close_current(s);
				s->stopped = 1;
				return CAP_END;
			}
			s->in->done = 1;
			continue;
		}
		if (again)
			continue;
		ssize_t got = fill(s);
		if (got > 0)
			continue;
		if (got < 0) {
			snprintf(err, sizeof err, "read error: %s", strerror(errno));
			capture_input_stop(s->base.cap, s->in, s->buf_off + s->len, 0, err);
			s->in->done = 1;
			if (!s->is_dir) {
				s->stopped = 1;
				return CAP_END;
			}
			continue;
		}
		/* At the end of what is written: a newer file means this one is finished. */
		drain_events(s);
		if (s->is_dir && s->changed) {
			s->changed = 0;
			if (advance_file(s))
				continue;
		}
		return CAP_IDLE;
	}
}

static void
follow_wait(struct source *base, int *fd, int *timeout_ms)
{
	struct source_follow *s = (struct source_follow *)base;

	*fd = s->ino;
	*timeout_ms = s->ino >= 0 ? -1 : POLL_MS;
}

static void
follow_progress(const struct source *base, uint64_t *done, uint64_t *total)
{
	const struct source_follow *s = (const struct source_follow *)base;

	*done = s->total + (s->in != NULL ? s->buf_off + s->pos : 0);
	*total = 0;
}

static uint64_t
follow_input_bytes(const struct source *base)
{
	const struct source_follow *s = (const struct source_follow *)base;

	return s->buf_off + s->pos;
}

static void
follow_stats(struct source *base, struct cap_stats *st)
{
	(void)base;
	(void)st;
}

static void
follow_stop(struct source *base)
{
	struct source_follow *s = (struct source_follow *)base;

	if (s->in != NULL && s->pos < s->len)
		capture_input_stop(s->base.cap, s->in, s->buf_off + s->pos, 1,
		    "the capture stopped inside a record still being written");
	close_current(s);
	s->stopped = 1;
}

static void
follow_free(struct source *base)
{
	struct source_follow *s = (struct source_follow *)base;

	close_current(s);
	if (s->ino >= 0)
		close(s->ino);
	free(s->buf);
	digest_free(s->dg);
	free(s->cur);
	free(s->path);
	free(s);
}

static const struct source_ops source_follow_ops = {
	.kind = "follow",
	.next = follow_next,
	.wait = follow_wait,
	.progress = follow_progress,
	.input_bytes = follow_input_bytes,
	.stats = follow_stats,
	.stop = follow_stop,
	.free = follow_free,
};

struct source *
source_follow_open(struct capture *c, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: --follow reads a capture file or a folder of them",
		    path);
		return NULL;
	}
	struct source_follow *s = xcalloc(1, sizeof *s);
	s->base.ops = &source_follow_ops;
	s->base.cap = c;
	s->path = xstrdup(path);
	s->is_dir = S_ISDIR(st.st_mode);
	s->fd = -1;
	s->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	/* A folder reports writes to the files in it too: one watch serves both modes. */
	if (s->ino >= 0 && inotify_add_watch(s->ino, path, IN_MODIFY | IN_CLOSE_WRITE |
	    IN_CREATE | IN_MOVED_TO) < 0) {
		close(s->ino);
		s->ino = -1;
	}
	if (!s->is_dir && open_file(s, path, err, errlen) < 0) {
		follow_free(&s->base);
		return NULL;
	}
	return &s->base;
}
