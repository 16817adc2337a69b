/*
 * capture.c — capture inputs (libpcap over bytesrc, or the pcapng fallback) merged into one
 * timeline (see capture.h).
 */
#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytesrc.h"
#include "capture.h"
#include "pcapng.h"
#include "reread.h"
#include "warn.h"
#include "xalloc.h"

#ifndef DLT_RAW
#define DLT_RAW	12
#endif

struct input {
	char		*name;
	struct bytesrc	*src;
	pcap_t		*pc;
	struct pcapng	*ng;
	const char	*format;
	int		 is_pcapng;
	int		 big_endian;
	uint32_t	 rec_hdr;	/* pcap record header size: 16, or 24 (modified pcap) */
	uint64_t	 next_off;	/* where the next pcap record starts */
	int		 linktype;
	uint32_t	 index;

	uint64_t	 packets;
	uint64_t	 bytes, raw_done, raw_size;	/* kept when the source is closed */
	int		 gzip;
	int64_t		 first_ns, last_ns;
	int		 done;
	int		 truncated;
	uint64_t	 stop_offset;
	char		*error;

	int		 has_pending;
	struct cap_pkt	 pending;
	int		 keep_fd;	/* for reading back: a dup of the file, or its spool */
};

struct capture {
	struct warnlist	*warn;
	struct input	**in;
	size_t		 nin;
	ssize_t		 last;		/* input whose packet was handed out last */
	uint64_t	 npkts;
	int		 stdin_used;
	int		 keep;
};

struct capture *
capture_new(struct warnlist *warnings)
{
	struct capture *c = xcalloc(1, sizeof *c);
	c->warn = warnings;
	c->last = -1;
	return c;
}

static void
input_close(struct input *in)
{
	if (in->pc != NULL) {
		pcap_close(in->pc);
		in->pc = NULL;
		bytesrc_stream_closed(in->src);
	}
	pcapng_free(in->ng);
	in->ng = NULL;
	if (in->src != NULL) {
		in->bytes = bytesrc_pos(in->src);
		in->raw_done = bytesrc_raw_pos(in->src);
		in->raw_size = bytesrc_raw_size(in->src);
		in->gzip = bytesrc_is_gzip(in->src);
	}
	bytesrc_free(in->src);
	in->src = NULL;
}

void
capture_keep(struct capture *c)
{
	c->keep = 1;
}

void
capture_free(struct capture *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nin; i++) {
		input_close(c->in[i]);
		if (c->in[i]->keep_fd >= 0)
			close(c->in[i]->keep_fd);
		free(c->in[i]->name);
		free(c->in[i]->error);
		free(c->in[i]);
	}
	free(c->in);
	free(c);
}

/* LINKTYPE_ values (pcapng) that differ from the DLT_ values libpcap reports. */
static int
linktype_to_dlt(int lt)
{
	switch (lt) {
	case 101:	return DLT_RAW;
	default:	return lt;
	}
}

static void
input_stop(struct capture *c, struct input *in, uint64_t offset, int truncated, const char *why)
{
	in->done = 1;
	in->has_pending = 0;
	in->stop_offset = offset;
	in->truncated = truncated;
	free(in->error);
	in->error = xstrdup(why);
	if (truncated)
		warn_add(c->warn, WARN_WARNING, "%s: truncated at byte %llu after %llu packets "
		    "(%s); analysed up to the cut", in->name, (unsigned long long)offset,
		    (unsigned long long)in->packets, why);
	else
		warn_add(c->warn, WARN_ERROR, "%s: unreadable from byte %llu after %llu packets: %s",
		    in->name, (unsigned long long)offset, (unsigned long long)in->packets, why);
	input_close(in);
}

static void
input_got(struct input *in, int64_t ts, uint32_t caplen, uint32_t wirelen, int lt,
    uint32_t ifidx, uint64_t off, const uint8_t *data)
{
	struct cap_pkt *p = &in->pending;

	p->ts_ns = ts;
	p->caplen = caplen;
	p->wirelen = wirelen < caplen ? caplen : wirelen;
	p->linktype = lt;
	p->input = in->index;
	p->ifidx = ifidx;
	p->offset = off;
	p->data = data;
	in->has_pending = 1;
	if (in->packets == 0 || ts < in->first_ns)
		in->first_ns = ts;
	if (in->packets == 0 || ts > in->last_ns)
		in->last_ns = ts;
	in->packets++;
}

/*
 * Re-reads a pcapng input with our own reader, skipping the packets already handed out.  When
 * that fails too, libpcap's complaint (why) stands.
 */
static int
switch_to_pcapng_reader(struct capture *c, struct input *in, uint64_t offset, const char *why)
{
	uint64_t skip = in->packets;
	char err[256];
	int trunc;
	struct pcapng_pkt np;

	pcap_close(in->pc);
	in->pc = NULL;
	bytesrc_stream_closed(in->src);
	if (bytesrc_rewind(in->src) < 0) {
		input_stop(c, in, offset, 0, why);
		return -1;
	}
	in->ng = pcapng_new(in->src);
	for (uint64_t i = 0; i < skip; i++) {
		if (pcapng_next(in->ng, &np, &trunc, err, sizeof err) != 1) {
			input_stop(c, in, offset, 0, why);
			return -1;
		}
	}
	return 0;
}

static void
input_advance(struct capture *c, struct input *in)
{
	char err[256];

	in->has_pending = 0;
	if (in->done)
		return;
	if (in->ng != NULL) {
		struct pcapng_pkt np;
		int trunc;
		int rc = pcapng_next(in->ng, &np, &trunc, err, sizeof err);
		if (rc == 1)
			input_got(in, np.ts_ns, np.caplen, np.wirelen, linktype_to_dlt(np.linktype),
			    np.ifidx, np.offset, np.data);
		else if (rc == 0) {
			in->done = 1;
			input_close(in);
		} else
			input_stop(c, in, pcapng_block_start(in->ng), trunc, err);
		return;
	}

	struct pcap_pkthdr *h;
	const u_char *data;
	FILE *fp = pcap_file(in->pc);
	/*
	 * Record offsets: a pcap record is its header plus caplen bytes, unless libpcap cut a
	 * record longer than the snapshot length, so only then (and for pcapng's blocks of any
	 * length) ask the stream where it is.
	 */
	/* ftello, not ftell: a long is 32 bits on armhf and captures pass 2 GB. */
	int64_t off = !in->is_pcapng ? (int64_t)in->next_off :
	    fp != NULL ? (int64_t)ftello(fp) : -1;
	int rc = pcap_next_ex(in->pc, &h, &data);

	if (rc == 1) {
		/* Unsigned: a hostile 64-bit time wraps instead of overflowing. */
		int64_t ts = (int64_t)((uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec);
		input_got(in, ts, h->caplen, h->len, in->linktype, 0, off < 0 ? 0 : (uint64_t)off,
		    data);
		if (!in->is_pcapng) {
			if (h->caplen < (uint32_t)pcap_snapshot(in->pc) || fp == NULL)
				in->next_off += in->rec_hdr + h->caplen;
			else
				in->next_off = (uint64_t)ftello(fp);
		}
		return;
	}
	if (rc == PCAP_ERROR_BREAK) {
		in->done = 1;
		input_close(in);
		return;
	}
	snprintf(err, sizeof err, "%s", pcap_geterr(in->pc));
	/*
	 * libpcap 1.10 refuses pcapng whose interfaces differ in link type, and misreads a
	 * later section written in the other byte order: our reader takes over from the start.
	 */
	if (in->is_pcapng && strstr(err, "truncated") == NULL) {
		if (switch_to_pcapng_reader(c, in, (uint64_t)off, err) == 0)
			input_advance(c, in);
		return;
	}
	const char *src_err = bytesrc_error(in->src);
	if (src_err != NULL)
		snprintf(err, sizeof err, "%s", src_err);
	input_stop(c, in, off < 0 ? 0 : (uint64_t)off, strstr(err, "truncated") != NULL, err);
}

static int
open_libpcap(struct input *in, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	FILE *fp = bytesrc_stream(in->src);

	if (fp == NULL) {
		snprintf(err, errlen, "%s: cannot set up a stream for libpcap", in->name);
		return -1;
	}
	ebuf[0] = '\0';
	in->pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (in->pc == NULL) {
		/* libpcap fcloses nothing on failure; the stream stays ours. */
		snprintf(err, errlen, "%s: %s", in->name, ebuf[0] != '\0' ? ebuf : "not readable");
		return -1;
	}
	in->linktype = pcap_datalink(in->pc);
	in->next_off = 24;
	return 0;
}

/* A plain file stays readable through a duplicate descriptor; anything else is spooled. */
static int
keep_readable(struct input *in)
{
	int fd = bytesrc_file_fd(in->src);

	if (fd >= 0) {
		in->keep_fd = dup(fd);
		return in->keep_fd >= 0 ? 0 : -1;
	}
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/iotscope-spool.XXXXXX", dir != NULL && dir[0] != '\0' ?
	    dir : "/tmp");
	in->keep_fd = mkstemp(path);
	if (in->keep_fd < 0)
		return -1;
	unlink(path);		/* gone with the process, whatever happens */
	bytesrc_spool(in->src, in->keep_fd);
	return 0;
}

int
capture_reread_src(const struct capture *c, uint32_t i, struct reread_src *rs)
{
	if (i >= c->nin || c->in[i]->keep_fd < 0)
		return -1;
	const struct input *in = c->in[i];
	rs->fd = in->keep_fd;
	rs->is_pcapng = in->is_pcapng;
	rs->big_endian = in->big_endian;
	rs->rec_hdr = in->rec_hdr;
	return 0;
}

int
capture_add_file(struct capture *c, const char *path, char *err, size_t errlen)
{
	uint8_t magic[4];
	ssize_t n;

	if (strcmp(path, "-") == 0) {
		if (c->stdin_used) {
			snprintf(err, errlen, "-: standard input can be read only once");
			return -1;
		}
		c->stdin_used = 1;
	}
	struct input *in = xcalloc(1, sizeof *in);
	in->keep_fd = -1;
	in->name = xstrdup(path);
	in->src = bytesrc_open(path, err, errlen);
	if (in->src == NULL)
		goto fail;
	if (c->keep && keep_readable(in) < 0) {
		snprintf(err, errlen, "%s: cannot keep the input for reading back: %s", path,
		    strerror(errno));
		goto fail;
	}
	n = bytesrc_peek(in->src, magic, 4);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, bytesrc_error(in->src));
		goto fail;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s: empty file (0 bytes%s), not a capture", path,
		    bytesrc_is_gzip(in->src) ? " after decompression" : "");
		goto fail;
	}
	uint32_t m = (uint32_t)magic[0] << 24 | (uint32_t)magic[1] << 16 |
	    (uint32_t)magic[2] << 8 | magic[3];
	if (n == 4 && m == 0x0a0d0d0a) {
		in->format = "pcapng";
		in->is_pcapng = 1;
	} else if (n == 4 && (m == 0xa1b2c3d4 || m == 0xa1b2cd34)) {
		in->format = "pcap";
		in->big_endian = 1;
		in->rec_hdr = m == 0xa1b2cd34 ? 24 : 16;
	} else if (n == 4 && (m == 0xd4c3b2a1 || m == 0x34cdb2a1)) {
		in->format = "pcap";
		in->rec_hdr = m == 0x34cdb2a1 ? 24 : 16;
	} else if (n == 4 && m == 0xa1b23c4d) {
		in->format = "pcap-ns";
		in->big_endian = 1;
		in->rec_hdr = 16;
	} else if (n == 4 && m == 0x4d3cb2a1) {
		in->format = "pcap-ns";
		in->rec_hdr = 16;
	} else {
		snprintf(err, errlen, "%s: not a pcap or pcapng capture%s (first bytes %02x %02x %02x "
		    "%02x)", path, bytesrc_is_gzip(in->src) ? " inside the gzip data" : "",
		    magic[0], n > 1 ? magic[1] : 0, n > 2 ? magic[2] : 0, n > 3 ? magic[3] : 0);
		goto fail;
	}
	/*
	 * A pipe cannot be re-read if libpcap turns out to refuse the file (interfaces with
	 * different link types), so pcapng from a pipe goes to our reader from the start.
	 */
	if (in->is_pcapng && !bytesrc_is_seekable(in->src))
		in->ng = pcapng_new(in->src);
	else if (open_libpcap(in, err, errlen) < 0)
		goto fail;

	in->index = (uint32_t)c->nin;
	c->in = xreallocarray(c->in, c->nin + 1, sizeof *c->in);
	c->in[c->nin++] = in;
	input_advance(c, in);
	return 0;
fail:
	input_close(in);
	if (in->keep_fd >= 0)
		close(in->keep_fd);
	free(in->name);
	free(in);
	return -1;
}

int
capture_next(struct capture *c, struct cap_pkt *out)
{
	struct input *best = NULL;

	if (c->last >= 0) {
		input_advance(c, c->in[c->last]);
		c->last = -1;
	}
	if (c->nin == 1) {
		if (c->in[0]->has_pending)
			best = c->in[0];
	} else {
		for (size_t i = 0; i < c->nin; i++) {
			struct input *in = c->in[i];
			if (in->has_pending && (best == NULL || in->pending.ts_ns < best->pending.ts_ns))
				best = in;
		}
	}
	if (best == NULL)
		return 0;
	*out = best->pending;
	out->num = ++c->npkts;
	c->last = best->index;
	return 1;
}

size_t
capture_ninputs(const struct capture *c)
{
	return c->nin;
}

void
capture_input_info(const struct capture *c, size_t i, struct cap_input_info *info)
{
	const struct input *in = c->in[i];

	memset(info, 0, sizeof *info);
	info->name = in->name;
	info->format = in->ng != NULL || in->is_pcapng ? "pcapng" : in->format;
	info->gzip = in->src != NULL ? bytesrc_is_gzip(in->src) : in->gzip;
	info->big_endian = in->big_endian;
	info->linktype = in->linktype;
	info->packets = in->packets;
	info->bytes = in->src != NULL ? bytesrc_pos(in->src) : in->bytes;
	info->first_ns = in->first_ns;
	info->last_ns = in->last_ns;
	info->truncated = in->truncated;
	info->stop_offset = in->stop_offset;
	info->error = in->error;
}

void
capture_progress(const struct capture *c, uint64_t *done, uint64_t *total)
{
	*done = *total = 0;
	for (size_t i = 0; i < c->nin; i++) {
		const struct input *in = c->in[i];
		if (in->src == NULL) {
			*done += in->raw_size != 0 ? in->raw_size : in->raw_done;
			*total += in->raw_size;
			continue;
		}
		*done += bytesrc_raw_pos(in->src);
		*total += bytesrc_raw_size(in->src);
	}
}

const char *
capture_linktype_name(int dlt, char *buf, size_t len)
{
	const char *n = pcap_datalink_val_to_name(dlt);
	if (n != NULL)
		return n;
	snprintf(buf, len, "DLT_%d", dlt);
	return buf;
}

const char *
capture_linktype_desc(int dlt)
{
	const char *d = pcap_datalink_val_to_description(dlt);
	return d != NULL ? d : "unknown link type";
}
