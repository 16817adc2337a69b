/*
 * source-file.c — a finished capture file or standard input: libpcap over our buffered,
 * gunzipping byte source (bytesrc.h), or our own pcapng reader where libpcap cannot go (pcapng
 * whose interfaces differ in link type, or pcapng arriving on a pipe).
 */
#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytesrc.h"
#include "pcapng.h"
#include "source.h"
#include "warn.h"
#include "xalloc.h"

struct source_file {
	struct source	 base;
	struct cap_input *in;
	struct bytesrc	*src;
	pcap_t		*pc;
	struct pcapng	*ng;
	int		 is_pcapng;
	uint32_t	 rec_hdr;	/* pcap record header size: 16, or 24 (modified pcap) */
	uint64_t	 next_off;	/* where the next pcap record starts */
	uint64_t	 raw_done, raw_size;	/* kept when the byte source is closed */
};

static void
file_close(struct source_file *s)
{
	if (s->pc != NULL) {
		pcap_close(s->pc);
		s->pc = NULL;
		bytesrc_stream_closed(s->src);
	}
	pcapng_free(s->ng);
	s->ng = NULL;
	if (s->src != NULL) {
		uint8_t sum[DIGEST_LEN];
		uint64_t n;
		int whole;
		s->in->bytes = bytesrc_pos(s->src);
		s->in->gzip = bytesrc_is_gzip(s->src);
		s->raw_done = bytesrc_raw_pos(s->src);
		s->raw_size = bytesrc_raw_size(s->src);
		/* A pipe: what was read of it (a file's thread reads it whole regardless). */
		if (bytesrc_digest(s->src, sum, &n, &whole) == 0)
			capture_input_hashed(s->in, sum, n, whole);
	}
	bytesrc_free(s->src);
	s->src = NULL;
	s->in->done = 1;
	s->in->owner = NULL;
}

static void
file_stop_at(struct source_file *s, uint64_t offset, int truncated, const char *why)
{
	capture_input_stop(s->base.cap, s->in, offset, truncated, why);
	file_close(s);
}

/*
 * Re-reads a pcapng input with our own reader, skipping the packets already handed out.  When
 * that fails too, libpcap's complaint (why) stands.
 */
static int
switch_to_pcapng_reader(struct source_file *s, uint64_t offset, const char *why)
{
	uint64_t skip = s->in->packets;
	char err[256];
	int trunc;
	struct pcapng_pkt np;

	pcap_close(s->pc);
	s->pc = NULL;
	bytesrc_stream_closed(s->src);
	if (bytesrc_rewind(s->src) < 0) {
		file_stop_at(s, offset, 0, why);
		return -1;
	}
	s->ng = pcapng_new(s->src);
	for (uint64_t i = 0; i < skip; i++) {
		if (pcapng_next(s->ng, &np, &trunc, err, sizeof err) != 1) {
			file_stop_at(s, offset, 0, why);
			return -1;
		}
	}
	return 0;
}

static enum cap_next
file_next(struct source *base, struct cap_pkt *p)
{
	struct source_file *s = (struct source_file *)base;
	char err[256];

	if (s->in->done)
		return CAP_END;
	if (s->ng != NULL) {
		struct pcapng_pkt np;
		int trunc;
		int rc = pcapng_next(s->ng, &np, &trunc, err, sizeof err);
		if (rc == 1) {
			p->ts_ns = np.ts_ns;
			p->caplen = np.caplen;
			p->wirelen = np.wirelen;
			p->linktype = source_linktype_to_dlt(np.linktype);
			p->ifidx = np.ifidx;
			p->data = np.data;
			capture_input_got(s->in, p, np.offset);
			return CAP_PACKET;
		}
		if (rc == 0)
			file_close(s);
		else
			file_stop_at(s, pcapng_block_start(s->ng), trunc, err);
		return CAP_END;
	}

	struct pcap_pkthdr *h;
	const u_char *data;
	FILE *fp = pcap_file(s->pc);
	/*
	 * Record offsets: a pcap record is its header plus caplen bytes, unless libpcap cut a
	 * record longer than the snapshot length, so only then (and for pcapng's blocks of any
	 * length) ask the stream where it is.
	 */
	/* ftello, not ftell: a long is 32 bits on armhf and captures pass 2 GB. */
	int64_t off = !s->is_pcapng ? (int64_t)s->next_off :
	    fp != NULL ? (int64_t)ftello(fp) : -1;
	int rc = pcap_next_ex(s->pc, &h, &data);

	if (rc == 1) {
		/* Unsigned: a hostile 64-bit time wraps instead of overflowing. */
		p->ts_ns = (int64_t)((uint64_t)h->ts.tv_sec * 1000000000u +
		    (uint64_t)h->ts.tv_usec);
		p->caplen = h->caplen;
		p->wirelen = h->len;
		p->linktype = s->in->linktype;
		p->ifidx = 0;
		p->data = data;
		capture_input_got(s->in, p, off < 0 ? 0 : (uint64_t)off);
		if (!s->is_pcapng) {
			if (h->caplen < (uint32_t)pcap_snapshot(s->pc) || fp == NULL)
				s->next_off += s->rec_hdr + h->caplen;
			else
				s->next_off = (uint64_t)ftello(fp);
		}
		return CAP_PACKET;
	}
	if (rc == PCAP_ERROR_BREAK) {
		file_close(s);
		return CAP_END;
	}
	snprintf(err, sizeof err, "%s", pcap_geterr(s->pc));
	/*
	 * libpcap 1.10 refuses pcapng whose interfaces differ in link type, and misreads a
	 * later section written in the other byte order: our reader takes over from the start.
	 */
	if (s->is_pcapng && strstr(err, "truncated") == NULL) {
		if (switch_to_pcapng_reader(s, (uint64_t)off, err) == 0)
			return file_next(base, p);
		return CAP_END;
	}
	const char *src_err = bytesrc_error(s->src);
	if (src_err != NULL)
		snprintf(err, sizeof err, "%s", src_err);
	file_stop_at(s, off < 0 ? 0 : (uint64_t)off, strstr(err, "truncated") != NULL, err);
	return CAP_END;
}

static void
file_wait(struct source *base, int *fd, int *timeout_ms)
{
	(void)base;
	*fd = -1;
	*timeout_ms = 0;		/* a file never waits */
}

static void
file_progress(const struct source *base, uint64_t *done, uint64_t *total)
{
	const struct source_file *s = (const struct source_file *)base;

	if (s->src == NULL) {
		*done = s->raw_size != 0 ? s->raw_size : s->raw_done;
		*total = s->raw_size;
		return;
	}
	*done = bytesrc_raw_pos(s->src);
	*total = bytesrc_raw_size(s->src);
}

static uint64_t
file_input_bytes(const struct source *base)
{
	const struct source_file *s = (const struct source_file *)base;

	return s->src != NULL ? bytesrc_pos(s->src) : s->in->bytes;
}

static void
file_stats(struct source *base, struct cap_stats *st)
{
	(void)base;
	(void)st;
}

static void
file_stop(struct source *base)
{
	struct source_file *s = (struct source_file *)base;

	if (!s->in->done)
		file_close(s);
}

static void
file_free(struct source *base)
{
	struct source_file *s = (struct source_file *)base;

	file_close(s);
	free(s);
}

static const struct source_ops source_file_ops = {
	.kind = "file",
	.next = file_next,
	.wait = file_wait,
	.progress = file_progress,
	.input_bytes = file_input_bytes,
	.stats = file_stats,
	.stop = file_stop,
	.free = file_free,
};

static int
open_libpcap(struct source_file *s, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *fp = bytesrc_stream(s->src);

	if (fp == NULL) {
		snprintf(err, errlen, "%s: cannot set up a stream for libpcap", s->in->name);
		return -1;
	}
	ebuf[0] = '\0';
	s->pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (s->pc == NULL) {
		/* libpcap fcloses nothing on failure; the stream stays ours. */
		snprintf(err, errlen, "%s: %s", s->in->name, ebuf[0] != '\0' ? ebuf : "not readable");
		return -1;
	}
	s->in->linktype = pcap_datalink(s->pc);
	s->next_off = 24;
	return 0;
}

/* A plain file stays readable through a duplicate descriptor; anything else is spooled. */
static int
keep_readable(struct source_file *s)
{
	int fd = bytesrc_file_fd(s->src);

	if (fd >= 0) {
		s->in->rs.fd = dup(fd);
		return s->in->rs.fd >= 0 ? 0 : -1;
	}
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/iotscope-spool.XXXXXX", dir != NULL && dir[0] != '\0' ?
	    dir : "/tmp");
	s->in->rs.fd = mkstemp(path);
	if (s->in->rs.fd < 0)
		return -1;
	unlink(path);		/* gone with the process, whatever happens */
	bytesrc_spool(s->src, s->in->rs.fd);
	return 0;
}

struct source *
source_file_open(struct capture *c, const char *path, char *err, size_t errlen)
{
	uint8_t magic[4];
	ssize_t n;
	struct source_file *s = xcalloc(1, sizeof *s);

	s->base.ops = &source_file_ops;
	s->base.cap = c;
	s->src = bytesrc_open(path, err, errlen);
	if (s->src == NULL) {
		free(s);
		return NULL;
	}
	/* Registered only once it is a capture: a refused file is an error, not an input. */
	struct cap_input tmp = { .name = (char *)path, .rs.fd = -1 };
	s->in = &tmp;
	if (capture_keeps(c) && keep_readable(s) < 0) {
		snprintf(err, errlen, "%s: cannot keep the input for reading back: %s", path,
		    strerror(errno));
		goto fail;
	}
	n = bytesrc_peek(s->src, magic, 4);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, bytesrc_error(s->src));
		goto fail;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s: empty file (0 bytes%s), not a capture", path,
		    bytesrc_is_gzip(s->src) ? " after decompression" : "");
		goto fail;
	}
	uint32_t m = (uint32_t)magic[0] << 24 | (uint32_t)magic[1] << 16 |
	    (uint32_t)magic[2] << 8 | magic[3];
	if (n == 4 && m == 0x0a0d0d0a) {
		tmp.format = "pcapng";
		s->is_pcapng = 1;
	} else if (n < 4 || source_pcap_magic(m, &tmp.format, &tmp.big_endian, &s->rec_hdr) < 0) {
		snprintf(err, errlen, "%s: not a pcap or pcapng capture%s (first bytes %02x %02x %02x "
		    "%02x)", path, bytesrc_is_gzip(s->src) ? " inside the gzip data" : "",
		    magic[0], n > 1 ? magic[1] : 0, n > 2 ? magic[2] : 0, n > 3 ? magic[3] : 0);
		goto fail;
	}
	/*
	 * A pipe cannot be re-read if libpcap turns out to refuse the file (interfaces with
	 * different link types), so pcapng from a pipe goes to our reader from the start.
	 */
	if (s->is_pcapng && !bytesrc_is_seekable(s->src))
		s->ng = pcapng_new(s->src);
	else if (open_libpcap(s, err, errlen) < 0)
		goto fail;

	s->in = capture_input_new(c, &s->base, path);
	s->in->format = tmp.format;
	s->in->big_endian = tmp.big_endian;
	s->in->linktype = tmp.linktype;
	s->in->gzip = bytesrc_is_gzip(s->src);
	s->in->rs = tmp.rs;
	/*
	 * A regular file is hashed whole from byte 0 by a thread of its own (started with the
	 * first packet asked for), however far its packets go; when no descriptor is left for
	 * it, the input has no hash rather than a wrong one.
	 */
	if (bytesrc_raw_fd(s->src) >= 0 &&
	    (s->in->hash_file = digest_file_new(bytesrc_raw_fd(s->src))) == NULL) {
		warn_add(capture_warnings(c), WARN_WARNING, "%s: no SHA-256: %s", path,
		    strerror(errno));
		s->in->hashed = s->in->hash_failed = 1;
	}
	s->in->rs.is_pcapng = s->is_pcapng;
	s->in->rs.big_endian = tmp.big_endian;
	s->in->rs.rec_hdr = s->rec_hdr;
	return &s->base;
fail:
	if (s->pc != NULL) {
		pcap_close(s->pc);
		bytesrc_stream_closed(s->src);
	}
	pcapng_free(s->ng);
	bytesrc_free(s->src);
	if (tmp.rs.fd >= 0)
		close(tmp.rs.fd);
	free(s);
	return NULL;
}
