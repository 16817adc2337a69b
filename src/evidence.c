/*
 * evidence.c — the evidence writer (see evidence.h): packets through a 1 MiB buffer of our own
 * into pcapng or nanosecond pcap files, tcpdump's rotation, a spool for reading packets back.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "evidence.h"
#include "evidence-fmt.h"
#include "reread.h"
#include "xalloc.h"

/*
 * Why our own buffer and not stdio's: after a failed fflush() stdio does not say which bytes
 * reached the file, so a disk filling up mid-record would leave half a record followed by
 * later ones, and the file would be unreadable from there on.  With pwrite() we know exactly
 * what was written: the file is cut back to its last whole block (a valid capture again), the
 * packets that did not make it are counted, and writing resumes with the next packet.
 */
#define BUF_SIZE	(1u << 20)
#define FLUSH_NS	1000000000LL
/* reread.c's PACKET_MAX: anything larger cannot come back. */
#define SPOOL_SNAPLEN	(16u << 20)
#define COMMENT_MAX	60000		/* a pcapng option is at most 65535 bytes */

#ifndef PATH_MAX
#define PATH_MAX	4096
#endif

struct evidence {
	char		*path;		/* as given (a strftime pattern with -G) */
	char		*comment;
	int		 pcap, spool, stream;	/* stream: standard output */
	uint32_t	 snaplen;
	uint64_t	 rotate_bytes;
	unsigned	 rotate_secs, max_files;
	int		 chown;
	uid_t		 uid;
	gid_t		 gid;

	int		 fd;
	char		 name[PATH_MAX];	/* the current file, or the one to retry */
	uint64_t	 off;		/* file bytes on disk (or skipped: spool) */
	uint8_t		*buf;
	size_t		 blen;
	uint64_t	 buf_pkts;	/* packet records in buf */
	size_t		 buf_hdr;	/* bytes of pcap file header opening buf */
	int		 hdr_done;	/* the file header is in buf or on disk */
	int		 tail_dirty;	/* a cut back failed: ftruncate after a write */
	uint64_t	 file_pkts;
	int		 linktype;	/* pcap: the header's DLT_, -1 before a packet */

	struct evfmt_ifs ifs;		/* the current file's interface blocks */

	int64_t		 g_start;	/* -G: the current file's start second */
	int		 g_seen;	/* a packet was written since open */
	unsigned	 g_count, c_count;
	int		 width;		/* digits of the -C counter */
	int		 done;
	int		 retry_set;
	int64_t		 retry_sec;

	int		 flush_init;
	int64_t		 last_flush;

	uint64_t	 files, packets, bytes, failed;
	char		*error;
	int		 last_errno;	/* of the last failed write */
};

static void
set_error(struct evidence *ev, const char *fmt, ...)
{
	char buf[PATH_MAX + 256];
	va_list ap;

	if (ev->error != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ev->error = xstrdup(buf);
}

static int
host_big_endian(void)
{
	const uint32_t one = 1;
	uint8_t b;

	memcpy(&b, &one, 1);
	return b == 0;
}

static int64_t
floor_sec(int64_t ns)
{
	return ns >= 0 ? ns / 1000000000 : -((-ns + 999999999) / 1000000000);
}

/* ---- writing out ----------------------------------------------------------------------- */

/* Writes iov at the file's position; 0, or -1 with errno and *done set to what went out. */
static int
out_write(struct evidence *ev, struct iovec *iov, int n, size_t *done)
{
	*done = 0;
	while (n > 0) {
		ssize_t k = ev->stream ? writev(ev->fd, iov, n) :
		    pwritev(ev->fd, iov, n, (off_t)(ev->off + *done));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0) {
			errno = EIO;
			return -1;
		}
		*done += (size_t)k;
		while (n > 0 && (size_t)k >= iov->iov_len) {
			k -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return 0;
}

/*
 * After a failed write of the buffer, of which done bytes reached the file: keeps the whole
 * blocks among them, cuts the file back to the last one and counts the packets lost.
 */
static void
lose_buffer(struct evidence *ev, size_t done)
{
	size_t pos = 0, good = 0;
	uint64_t kept = 0, lost;

	if (ev->buf_hdr > 0) {		/* a pcap header is no record */
		pos = ev->buf_hdr;
		good = done >= pos ? pos : 0;
	}
	while (pos + 12 <= ev->blen) {
		int is_pkt;
		size_t len = evfmt_block(ev->buf + pos, ev->pcap, &is_pkt);
		if (pos + len > done)
			break;
		pos += len;
		good = pos;
		kept += is_pkt;
	}
	lost = ev->buf_pkts - kept;
	ev->failed += lost;
	ev->packets -= lost;
	ev->bytes -= ev->blen - good;
	ev->file_pkts -= lost;
	if (ev->off + good == 0 && !ev->stream && !ev->spool)
		ev->hdr_done = 0;	/* written again with the next packet */
	evfmt_ifs_cut(&ev->ifs, ev->off + good);
	if (ev->stream) {
		ev->off += done;	/* a pipe cannot be cut back */
	} else {
		if (ftruncate(ev->fd, (off_t)(ev->off + good)) < 0)
			ev->tail_dirty = 1;
		/* The spool never reuses an offset it handed out: lost records read back as a
		 * hole (zeros) or past the end, never as another packet's bytes. */
		ev->off += ev->spool ? ev->blen : good;
	}
	ev->blen = 0;
	ev->buf_pkts = 0;
	ev->buf_hdr = 0;
}

static int
flush_buf(struct evidence *ev)
{
	struct iovec iov;
	size_t done;

	if (ev->fd < 0 || ev->blen == 0)
		return 0;
	iov.iov_base = ev->buf;
	iov.iov_len = ev->blen;
	if (out_write(ev, &iov, 1, &done) < 0) {
		ev->last_errno = errno;
		set_error(ev, "%s: %s", ev->name, strerror(errno));
		lose_buffer(ev, done);
		return -1;
	}
	ev->off += ev->blen;
	ev->blen = 0;
	ev->buf_pkts = 0;
	ev->buf_hdr = 0;
	if (ev->tail_dirty && ftruncate(ev->fd, (off_t)ev->off) == 0)
		ev->tail_dirty = 0;
	return 0;
}

/* Room for n bytes in the buffer (n <= BUF_SIZE); -1 when the flush that made it failed. */
static int
reserve(struct evidence *ev, size_t n)
{
	if (ev->blen + n > BUF_SIZE)
		return flush_buf(ev);
	return 0;
}

static uint8_t *
take(struct evidence *ev, size_t n)
{
	uint8_t *p = ev->buf + ev->blen;

	ev->blen += n;
	ev->bytes += n;
	return p;
}

static size_t
hdr_size(const struct evidence *ev)
{
	return ev->pcap ? EVFMT_PCAP_HDR : evfmt_shb_size(ev->comment);
}

/* The file header, into the buffer (room reserved by the caller). */
static void
put_header(struct evidence *ev)
{
	uint8_t *p;

	if (ev->pcap && ev->blen == 0)
		ev->buf_hdr = EVFMT_PCAP_HDR;
	p = take(ev, hdr_size(ev));
	if (ev->pcap)
		evfmt_pcap_hdr(p, ev->snaplen, ev->linktype >= 0 ? ev->linktype : 0);
	else
		evfmt_shb(p, ev->comment);
	ev->hdr_done = 1;
}

/* ---- files ----------------------------------------------------------------------------- */

static int
digits(unsigned x)
{
	int c = 0;

	for (; x > 0; x /= 10)
		c++;
	return c;
}

/* tcpdump's file name: PATH through strftime(3) with -G, then the counter (see evidence.h). */
static int
make_name(struct evidence *ev, unsigned cnt, int width, char *err, size_t errlen)
{
	char base[PATH_MAX];

	if (ev->rotate_secs > 0) {
		time_t t = (time_t)ev->g_start;
		struct tm tm;
		if (localtime_r(&t, &tm) == NULL ||
		    strftime(base, sizeof base, ev->path, &tm) == 0) {
			snprintf(err, errlen, "%s: cannot make a file name of it", ev->path);
			return -1;
		}
	} else if (snprintf(base, sizeof base, "%s", ev->path) >= (int)sizeof base) {
		snprintf(err, errlen, "file name too long");
		return -1;
	}
	if (cnt == 0 && width == 0)
		memcpy(ev->name, base, strlen(base) + 1);
	else if (snprintf(ev->name, sizeof ev->name, "%s%0*u", base, width, cnt) >=
	    (int)sizeof ev->name) {
		snprintf(err, errlen, "file name too long");
		return -1;
	}
	return 0;
}

/* Creates ev->name and starts it (header into the buffer when it is known). */
static int
open_file(struct evidence *ev, int first, char *err, size_t errlen)
{
	int fd = open(ev->name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", ev->name, strerror(errno));
		return -1;
	}
	if (ev->chown && fchown(fd, ev->uid, ev->gid) < 0) {
		int e = errno;
		struct stat st;
		if (first || fstat(fd, &st) < 0 || st.st_uid != geteuid()) {
			snprintf(err, errlen, "%s: cannot give the file to %lu:%lu: %s", ev->name,
			    (unsigned long)ev->uid, (unsigned long)ev->gid, strerror(e));
			if (first) {
				close(fd);
				unlink(ev->name);
				return -1;
			}
			set_error(ev, "%s", err);
		}
	}
	ev->fd = fd;
	ev->off = 0;
	ev->blen = 0;
	ev->buf_pkts = 0;
	ev->buf_hdr = 0;
	ev->hdr_done = 0;
	ev->tail_dirty = 0;
	ev->file_pkts = 0;
	evfmt_ifs_clear(&ev->ifs);
	ev->files++;
	if (!ev->pcap || ev->linktype >= 0)
		put_header(ev);
	return 0;
}

/* Writes out, syncs and closes the current file; -1 with the reason in why when any failed. */
static int
sync_close(struct evidence *ev, char *why, size_t whylen)
{
	int rc = 0;

	if (ev->fd < 0)
		return 0;
	if (flush_buf(ev) < 0) {
		snprintf(why, whylen, "%s: %s", ev->name, strerror(ev->last_errno));
		rc = -1;
	}
	if (!ev->stream && fdatasync(ev->fd) < 0 && errno != EINVAL && errno != EROFS) {
		set_error(ev, "%s: %s", ev->name, strerror(errno));
		if (rc == 0)
			snprintf(why, whylen, "%s: %s", ev->name, strerror(errno));
		rc = -1;
	}
	if (!ev->stream && close(ev->fd) < 0) {	/* standard output stays open */
		set_error(ev, "%s: %s", ev->name, strerror(errno));
		if (rc == 0)
			snprintf(why, whylen, "%s: %s", ev->name, strerror(errno));
		rc = -1;
	}
	ev->fd = -1;
	return rc;
}

/*
 * Closes the current file and names the next; evidence_write() opens it (and tries again with
 * later packets when it cannot).  A name that cannot be made is left empty, so that no older
 * file is truncated in its place.
 */
static void
next_file(struct evidence *ev, unsigned cnt, int width)
{
	char err[PATH_MAX + 128];

	(void)sync_close(ev, err, sizeof err);
	ev->retry_set = 0;
	if (make_name(ev, cnt, width, err, sizeof err) < 0) {
		set_error(ev, "%s", err);
		ev->name[0] = '\0';
	}
}

static void
rotate_time(struct evidence *ev, int64_t sec)
{
	ev->g_start = sec;
	ev->g_count++;
	if (ev->rotate_bytes == 0 && ev->max_files > 0 && ev->g_count >= ev->max_files) {
		char err[PATH_MAX + 128];
		(void)sync_close(ev, err, sizeof err);
		ev->done = 1;
		return;
	}
	ev->c_count = 0;
	next_file(ev, 0, ev->rotate_bytes > 0 ? ev->width : 0);
}

static void
rotate_size(struct evidence *ev)
{
	ev->c_count++;
	if (ev->max_files > 0 && ev->c_count >= ev->max_files)
		ev->c_count = 0;
	next_file(ev, ev->c_count, ev->width);
}

/* ---- the interface --------------------------------------------------------------------- */

static struct evidence *
ev_new(void)
{
	struct evidence *ev = xcalloc(1, sizeof *ev);

	ev->fd = -1;
	ev->linktype = -1;
	ev->buf = xmalloc(BUF_SIZE);
	return ev;
}

static void
ev_free(struct evidence *ev)
{
	free(ev->path);
	free(ev->comment);
	free(ev->buf);
	evfmt_ifs_fini(&ev->ifs);
	free(ev->error);
	free(ev);
}

/* Whether a -G path holds a strftime conversion (anything but %%). */
static int
has_conversion(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s != '%')
			continue;
		if (s[1] != '%' && s[1] != '\0')
			return 1;
		if (s[1] == '%')
			s++;
	}
	return 0;
}

struct evidence *
evidence_open(const struct evidence_opts *o, char *err, size_t errlen)
{
	struct evidence *ev;

	if (o->path == NULL || o->path[0] == '\0') {
		snprintf(err, errlen, "no file name to write to");
		return NULL;
	}
	if (strcmp(o->path, "-") == 0 &&
	    (o->rotate_bytes > 0 || o->rotate_secs > 0 || o->max_files > 0)) {
		snprintf(err, errlen, "standard output cannot be rotated (-C, -G, -W need a file)");
		return NULL;
	}
	if (o->max_files > 0 && o->rotate_bytes == 0 && o->rotate_secs == 0) {
		snprintf(err, errlen, "a number of files (-W) needs -C or -G");
		return NULL;
	}
	if (o->rotate_secs > 0 && !has_conversion(o->path)) {
		snprintf(err, errlen, "%s: with -G the file name needs a strftime(3) time such as "
		    "%%Y%%m%%d-%%H%%M%%S, else each file would replace the last", o->path);
		return NULL;
	}
	ev = ev_new();
	ev->path = xstrdup(o->path);
	if (o->comment != NULL && o->comment[0] != '\0')
		ev->comment = xstrndup(o->comment, strnlen(o->comment, COMMENT_MAX));
	ev->pcap = o->pcap;
	ev->snaplen = o->snaplen == 0 ? EVIDENCE_SNAPLEN :
	    o->snaplen > SPOOL_SNAPLEN ? SPOOL_SNAPLEN : o->snaplen;
	ev->rotate_bytes = o->rotate_bytes;
	ev->rotate_secs = o->rotate_secs;
	ev->max_files = o->max_files;
	ev->chown = o->chown;
	ev->uid = o->uid;
	ev->gid = o->gid;
	ev->width = o->rotate_bytes > 0 && o->max_files > 0 ? digits(o->max_files - 1) : 0;
	ev->g_start = o->start_ns != 0 ? floor_sec(o->start_ns) : (int64_t)time(NULL);

	if (strcmp(o->path, "-") == 0) {
		ev->stream = 1;
		ev->fd = STDOUT_FILENO;
		snprintf(ev->name, sizeof ev->name, "-");
		ev->files = 1;
		if (!ev->pcap)
			put_header(ev);
		return ev;
	}
	if (make_name(ev, 0, ev->rotate_bytes > 0 ? ev->width : 0, err, errlen) < 0 ||
	    open_file(ev, 1, err, errlen) < 0) {
		ev_free(ev);
		return NULL;
	}
	return ev;
}

struct evidence *
evidence_open_spool(char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	struct evidence *ev = ev_new();

	snprintf(ev->name, sizeof ev->name, "%s/iotscope-evidence.XXXXXX",
	    dir != NULL && dir[0] != '\0' ? dir : "/tmp");
	ev->fd = mkstemp(ev->name);
	if (ev->fd < 0) {
		snprintf(err, errlen, "cannot make a spool file in %s: %s",
		    dir != NULL && dir[0] != '\0' ? dir : "/tmp", strerror(errno));
		ev_free(ev);
		return NULL;
	}
	(void)fcntl(ev->fd, F_SETFD, FD_CLOEXEC);
	unlink(ev->name);
	ev->path = xstrdup(ev->name);
	ev->spool = 1;
	ev->pcap = 1;
	ev->snaplen = SPOOL_SNAPLEN;
	ev->linktype = 0;	/* any: see evidence.h */
	ev->files = 1;
	put_header(ev);
	return ev;
}

/* Opens the file named last when none is open: once a packet second after a failure. */
static int
ensure_open(struct evidence *ev, int64_t sec)
{
	char err[PATH_MAX + 128];

	if (ev->fd >= 0)
		return 0;
	if (ev->retry_set && ev->retry_sec == sec)
		return -1;
	ev->retry_set = 1;
	ev->retry_sec = sec;
	if (open_file(ev, 0, err, sizeof err) < 0) {
		set_error(ev, "%s", err);
		return -1;
	}
	return 0;
}

/* A record larger than the buffer (a spool of jumbo packets) goes straight to the file. */
static int
write_direct(struct evidence *ev, struct iovec *iov, size_t rec)
{
	size_t done = 0;

	if (flush_buf(ev) < 0)
		return -1;
	if (out_write(ev, iov, 3, &done) < 0) {
		ev->last_errno = errno;
		set_error(ev, "%s: %s", ev->name, strerror(errno));
		if (ev->stream)
			ev->off += done;
		else {
			if (ftruncate(ev->fd, (off_t)ev->off) < 0)
				ev->tail_dirty = 1;
			if (ev->spool)
				ev->off += rec;		/* offsets are never reused */
		}
		return -1;
	}
	ev->off += rec;
	ev->bytes += rec;
	return 0;
}

int
evidence_write(struct evidence *ev, const struct cap_pkt *p, const char *ifname,
    uint64_t *offset)
{
	uint32_t caplen = p->caplen < ev->snaplen ? p->caplen : ev->snaplen;
	uint32_t wirelen = p->wirelen > caplen ? p->wirelen : caplen;
	size_t rec = evfmt_rec_size(ev->pcap, caplen);
	size_t idb = ev->pcap ? 0 : evfmt_idb_size(ifname);
	int64_t sec = floor_sec(p->ts_ns);
	int64_t ifid;
	size_t extra;

	if (ev->done)
		return 1;
	if (ev->rotate_secs > 0) {
		if (!ev->g_seen && sec < ev->g_start)
			ev->g_start = sec;	/* a file older than the start: its own time */
		ev->g_seen = 1;
		if (sec - ev->g_start >= (int64_t)ev->rotate_secs) {
			rotate_time(ev, sec);
			if (ev->done)
				return 1;
		}
	}
	if (ev->pcap && !ev->spool) {
		if (ev->linktype < 0)
			ev->linktype = p->linktype;
		else if (p->linktype != ev->linktype) {
			set_error(ev, "%s: a packet of link type %d cannot go into a pcap file of "
			    "link type %d (pcapng keeps both)", ev->name, p->linktype,
			    ev->linktype);
			ev->failed++;
			return -1;
		}
	}
	if (ensure_open(ev, sec) < 0) {
		ev->failed++;
		return -1;
	}
	ifid = ev->pcap ? 0 : evfmt_ifs_find(&ev->ifs, p->input, p->ifidx, p->linktype);
	extra = (ev->hdr_done ? 0 : hdr_size(ev)) + (ifid >= 0 ? 0 : idb);
	if (ev->rotate_bytes > 0 && ev->file_pkts > 0 &&
	    ev->off + ev->blen + extra + rec > ev->rotate_bytes) {
		rotate_size(ev);
		if (ensure_open(ev, sec) < 0) {
			ev->failed++;
			return -1;
		}
		ifid = ev->pcap ? 0 : -1;
		extra = hdr_size(ev) + idb;
	}

	/* What this packet needs goes into the buffer in one piece: a flush failing in between
	 * could otherwise drop the interface block the packet is about to name. */
	if (reserve(ev, extra + (rec <= BUF_SIZE ? rec : 0)) < 0 && !ev->pcap)
		ifid = evfmt_ifs_find(&ev->ifs, p->input, p->ifidx, p->linktype);
	if (!ev->hdr_done)
		put_header(ev);
	if (ifid < 0) {
		uint64_t at = ev->off + ev->blen;
		evfmt_idb(take(ev, idb), p->linktype, ev->snaplen, ifname);
		ifid = evfmt_ifs_add(&ev->ifs, p->input, p->ifidx, p->linktype, at);
	}
	if (offset != NULL)
		*offset = ev->off + ev->blen;

	uint8_t head[EVFMT_EPB_HEAD], tail[8];
	size_t hl = evfmt_rec_head(head, ev->pcap, (uint32_t)ifid, p->ts_ns, caplen, wirelen);
	size_t tl = evfmt_rec_tail(tail, ev->pcap, caplen);
	if (rec > BUF_SIZE) {
		struct iovec iov[3] = {
			{ head, hl }, { (void *)(uintptr_t)p->data, caplen }, { tail, tl },
		};
		if (write_direct(ev, iov, rec) < 0) {
			ev->failed++;
			return -1;
		}
	} else {
		uint8_t *q = take(ev, rec);
		memcpy(q, head, hl);
		memcpy(q + hl, p->data, caplen);
		memcpy(q + hl + caplen, tail, tl);
		ev->buf_pkts++;
	}
	ev->packets++;
	ev->file_pkts++;
	return 0;
}

void
evidence_tick(struct evidence *ev, int64_t mono_ns)
{
	if (!ev->flush_init || ev->blen == 0) {
		ev->flush_init = 1;
		ev->last_flush = mono_ns;
		if (ev->blen == 0)
			return;
	}
	if (mono_ns - ev->last_flush >= FLUSH_NS) {
		(void)flush_buf(ev);
		ev->last_flush = mono_ns;
	}
}

int
evidence_timeout_ms(const struct evidence *ev, int64_t mono_ns)
{
	if (ev->blen == 0)
		return -1;
	if (!ev->flush_init)
		return 0;
	int64_t left = ev->last_flush + FLUSH_NS - mono_ns;
	return left <= 0 ? 0 : (int)((left + 999999) / 1000000);
}

int
evidence_flush(struct evidence *ev)
{
	return flush_buf(ev);
}

int
evidence_close(struct evidence *ev, char *err, size_t errlen)
{
	int rc;

	if (ev == NULL)
		return 0;
	rc = sync_close(ev, err, errlen);
	ev_free(ev);
	return rc;
}

int
evidence_fd(const struct evidence *ev)
{
	return ev->fd;
}

int
evidence_reread_src(const struct evidence *ev, struct reread_src *rs)
{
	if (!ev->spool)
		return -1;
	memset(rs, 0, sizeof *rs);
	rs->fd = ev->fd;
	rs->is_pcapng = 0;
	rs->big_endian = host_big_endian();
	rs->rec_hdr = EVFMT_PCAP_REC;
	return 0;
}

const char *
evidence_path(const struct evidence *ev)
{
	return ev->name;
}

uint64_t
evidence_files(const struct evidence *ev)
{
	return ev->files;
}

uint64_t
evidence_packets(const struct evidence *ev)
{
	return ev->packets;
}

uint64_t
evidence_bytes(const struct evidence *ev)
{
	return ev->bytes;
}

uint64_t
evidence_failed(const struct evidence *ev)
{
	return ev->failed;
}

const char *
evidence_error(const struct evidence *ev)
{
	return ev->error;
}

int
evidence_done(const struct evidence *ev)
{
	return ev->done;
}
