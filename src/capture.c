/*
 * capture.c — the sources (source.h) merged into one timeline, the inputs they registered, the
 * capture filter applied to file packets, the packet limit and the evidence tee (capture.h).
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "evidence.h"
#include "source.h"
#include "warn.h"
#include "xalloc.h"

#ifndef DLT_RAW
#define DLT_RAW	12
#endif

/* A source and the packet it has ready, if any. */
struct slot {
	struct source	*src;
	int		 has_pending;
	int		 ended;
	struct cap_pkt	 pending;
};

/* The filter compiled for one link type (files apply it per packet). */
struct bpf_lt {
	int			 dlt;
	int			 ok;		/* 0: it does not compile for this link type */
	int			 warned;
	char			*why;		/* libpcap's complaint when not ok */
	struct bpf_program	 prog;
};

struct capture {
	struct warnlist	*warn;
	struct cap_input **in;
	size_t		 nin;
	struct slot	*slot;
	size_t		 nslot;
	ssize_t		 last;		/* slot whose packet was handed out last */
	uint64_t	 npkts;
	uint64_t	 limit;
	int		 stdin_used;
	int		 keep;
	int		 stopped;
	int		 started;	/* the hashing threads run */
	char		*filter;
	struct bpf_lt	*bpf;
	size_t		 nbpf;
	uint64_t	 filtered;
	struct evidence	*ev;
	/* The evidence file's figures, kept when it is detached. */
	char		*ev_path;
	uint64_t	 ev_files, ev_packets, ev_failed;
};

struct capture *
capture_new(struct warnlist *warnings)
{
	struct capture *c = xcalloc(1, sizeof *c);
	c->warn = warnings;
	c->last = -1;
	return c;
}

void
capture_keep(struct capture *c)
{
	c->keep = 1;
}

int
capture_keeps(const struct capture *c)
{
	return c->keep;
}

struct warnlist *
capture_warnings(struct capture *c)
{
	return c->warn;
}

void
capture_free(struct capture *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nslot; i++)
		c->slot[i].src->ops->free(c->slot[i].src);
	free(c->slot);
	for (size_t i = 0; i < c->nin; i++) {
		if (c->in[i]->rs.fd >= 0)
			close(c->in[i]->rs.fd);
		digest_file_free(c->in[i]->hash_file);
		free(c->in[i]->name);
		free(c->in[i]->error);
		free(c->in[i]);
	}
	free(c->in);
	for (size_t i = 0; i < c->nbpf; i++) {
		if (c->bpf[i].ok)
			pcap_freecode(&c->bpf[i].prog);
		free(c->bpf[i].why);
	}
	free(c->bpf);
	free(c->filter);
	free(c->ev_path);
	free(c);
}

struct cap_input *
capture_input_new(struct capture *c, struct source *owner, const char *name)
{
	struct cap_input *in = xcalloc(1, sizeof *in);

	in->name = xstrdup(name);
	in->owner = owner;
	in->kind = owner->ops->kind;
	in->rs.fd = -1;
	in->index = (uint32_t)c->nin;
	c->in = xreallocarray(c->in, c->nin + 1, sizeof *c->in);
	c->in[c->nin++] = in;
	return in;
}

void
capture_input_got(struct cap_input *in, struct cap_pkt *p, uint64_t offset)
{
	if (p->wirelen < p->caplen)
		p->wirelen = p->caplen;
	p->input = in->index;
	p->offset = offset;
	if (in->packets == 0 || p->ts_ns < in->first_ns)
		in->first_ns = p->ts_ns;
	if (in->packets == 0 || p->ts_ns > in->last_ns)
		in->last_ns = p->ts_ns;
	in->packets++;
}

void
capture_input_hashed(struct cap_input *in, const uint8_t sum[DIGEST_LEN], uint64_t bytes,
    int whole)
{
	memcpy(in->sha256, sum, DIGEST_LEN);
	in->hash_bytes = bytes;
	in->hash_whole = whole;
	in->hashed = 1;
}

void
capture_input_stop(struct capture *c, struct cap_input *in, uint64_t offset, int truncated,
    const char *why)
{
	in->done = 1;
	in->stop_offset = offset;
	in->truncated = truncated;
	free(in->error);
	in->error = xstrdup(why);
	if (strcmp(in->kind, "live") == 0)
		warn_add(c->warn, WARN_ERROR, "%s: the capture stopped after %llu packets: %s",
		    in->name, (unsigned long long)in->packets, why);
	else if (truncated)
		warn_add(c->warn, WARN_WARNING, "%s: truncated at byte %llu after %llu packets "
		    "(%s); analysed up to the cut", in->name, (unsigned long long)offset,
		    (unsigned long long)in->packets, why);
	else
		warn_add(c->warn, WARN_ERROR, "%s: unreadable from byte %llu after %llu packets: %s",
		    in->name, (unsigned long long)offset, (unsigned long long)in->packets, why);
}

int
source_pcap_magic(uint32_t m, const char **format, int *big, uint32_t *rec_hdr)
{
	switch (m) {
	case 0xa1b2c3d4: case 0xa1b2cd34:
		*format = "pcap";
		*big = 1;
		*rec_hdr = m == 0xa1b2cd34 ? 24 : 16;
		return 0;
	case 0xd4c3b2a1: case 0x34cdb2a1:
		*format = "pcap";
		*big = 0;
		*rec_hdr = m == 0x34cdb2a1 ? 24 : 16;
		return 0;
	case 0xa1b23c4d:
		*format = "pcap-ns";
		*big = 1;
		*rec_hdr = 16;
		return 0;
	case 0x4d3cb2a1:
		*format = "pcap-ns";
		*big = 0;
		*rec_hdr = 16;
		return 0;
	default:
		return -1;
	}
}

int
source_linktype_to_dlt(int lt)
{
	switch (lt) {
	case 101:	return DLT_RAW;
	default:	return lt;
	}
}

/* Adds a source and reads its first packet, so the timeline can order it. */
static void
add_source(struct capture *c, struct source *s)
{
	c->slot = xreallocarray(c->slot, c->nslot + 1, sizeof *c->slot);
	struct slot *sl = &c->slot[c->nslot++];
	memset(sl, 0, sizeof *sl);
	sl->src = s;
}

int
capture_add_file(struct capture *c, const char *path, char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0) {
		if (c->stdin_used) {
			snprintf(err, errlen, "-: standard input can be read only once");
			return -1;
		}
		c->stdin_used = 1;
	}
	struct source *s = source_file_open(c, path, err, errlen);
	if (s == NULL)
		return -1;
	add_source(c, s);
	return 0;
}

int
capture_add_live(struct capture *c, const struct cap_live_opts *lo, char *err, size_t errlen)
{
	struct source *s = source_live_open(c, lo, err, errlen);
	if (s == NULL)
		return -1;
	add_source(c, s);
	return 0;
}

int
capture_add_follow(struct capture *c, const char *path, char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0) {
		snprintf(err, errlen, "-: --follow reads files, not standard input");
		return -1;
	}
	struct source *s = source_follow_open(c, path, err, errlen);
	if (s == NULL)
		return -1;
	add_source(c, s);
	return 0;
}

const char *
capture_filter(const struct capture *c)
{
	return c->filter;
}

int
capture_set_filter(struct capture *c, const char *expr, char *err, size_t errlen)
{
	/* A few link types: an expression about 802.11 frames is no error on a Wi-Fi capture. */
	static const int dlts[] = { DLT_EN10MB, DLT_IEEE802_11_RADIO, DLT_RAW, DLT_LINUX_SLL };
	char first[PCAP_ERRBUF_SIZE] = "";

	for (size_t i = 0; i < sizeof dlts / sizeof *dlts; i++) {
		pcap_t *dead = pcap_open_dead(dlts[i], 262144);
		struct bpf_program prog;
		if (dead == NULL)
			break;
		int rc = pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN);
		if (rc == 0) {
			pcap_freecode(&prog);
			pcap_close(dead);
			free(c->filter);
			c->filter = xstrdup(expr);
			return 0;
		}
		if (first[0] == '\0')
			snprintf(first, sizeof first, "%s", pcap_geterr(dead));
		pcap_close(dead);
	}
	snprintf(err, errlen, "bad filter expression: %s", first);
	return -1;
}

/* The filter compiled for a link type: compiled the first time it is asked for. */
static struct bpf_lt *
filter_for(struct capture *c, int dlt)
{
	struct bpf_lt *b = NULL;

	for (size_t i = 0; i < c->nbpf; i++)
		if (c->bpf[i].dlt == dlt) {
			b = &c->bpf[i];
			break;
		}
	if (b == NULL) {
		c->bpf = xreallocarray(c->bpf, c->nbpf + 1, sizeof *c->bpf);
		b = &c->bpf[c->nbpf++];
		memset(b, 0, sizeof *b);
		b->dlt = dlt;
		pcap_t *dead = pcap_open_dead(dlt, 262144);
		if (dead != NULL && pcap_compile(dead, &b->prog, c->filter, 1,
		    PCAP_NETMASK_UNKNOWN) == 0)
			b->ok = 1;
		else
			b->why = xstrdup(dead != NULL ? pcap_geterr(dead) : "no memory");
		if (dead != NULL)
			pcap_close(dead);
	}
	return b;
}

void
capture_filter_prepare(struct capture *c, int dlt)
{
	if (c->filter != NULL)
		(void)filter_for(c, dlt);
}

/* Whether a file packet passes the filter. */
static int
filter_pass(struct capture *c, const struct cap_pkt *p)
{
	struct bpf_lt *b = filter_for(c, p->linktype);

	if (!b->ok) {
		/* Said once a packet of the kind is met (not when prepared ahead of time). */
		if (!b->warned) {
			char name[32];
			b->warned = 1;
			warn_add(c->warn, WARN_WARNING, "the filter does not apply to link type %s "
			    "(%s): its packets are left out", capture_linktype_name(p->linktype,
			    name, sizeof name), b->why);
		}
		return 0;
	}
	struct pcap_pkthdr h = { .caplen = p->caplen, .len = p->wirelen };
	return pcap_offline_filter(&b->prog, &h, p->data) != 0;
}

/* Copies the evidence writer's figures (its file name changes with rotation). */
static void
evidence_snapshot(struct capture *c)
{
	const char *p = evidence_path(c->ev);

	if (c->ev_path == NULL || strcmp(c->ev_path, p) != 0) {
		free(c->ev_path);
		c->ev_path = xstrdup(p);
	}
	c->ev_files = evidence_files(c->ev);
	c->ev_packets = evidence_packets(c->ev);
	c->ev_failed = evidence_failed(c->ev);
}

void
capture_set_evidence(struct capture *c, struct evidence *ev)
{
	if (c->ev != NULL)
		evidence_snapshot(c);
	c->ev = ev;
}

void
capture_set_limit(struct capture *c, uint64_t n)
{
	c->limit = n;
}

/* Whether the source of slot i applies the filter itself (a live one, in the kernel). */
static int
filters_itself(const struct slot *sl)
{
	return strcmp(sl->src->ops->kind, "live") == 0;
}

/* Fills slot i's pending packet if it has none; answers what the source said. */
static enum cap_next
fill(struct capture *c, struct slot *sl)
{
	while (!sl->has_pending && !sl->ended) {
		enum cap_next rc = sl->src->ops->next(sl->src, &sl->pending);
		if (rc == CAP_END) {
			sl->ended = 1;
			return CAP_END;
		}
		if (rc == CAP_IDLE)
			return CAP_IDLE;
		if (c->filter != NULL && !filters_itself(sl) && !filter_pass(c, &sl->pending)) {
			c->filtered++;
			continue;
		}
		sl->has_pending = 1;
	}
	return sl->ended ? CAP_END : CAP_PACKET;
}

enum cap_next
capture_next(struct capture *c, struct cap_pkt *out)
{
	struct slot *best = NULL;
	int idle = 0;

	if (c->last >= 0) {
		c->slot[c->last].has_pending = 0;
		c->last = -1;
	}
	if (!c->started) {
		c->started = 1;
		for (size_t i = 0; i < c->nin; i++)
			if (c->in[i]->hash_file != NULL)
				digest_file_start(c->in[i]->hash_file);
	}
	if (c->stopped || (c->limit != 0 && c->npkts >= c->limit)) {
		if (!c->stopped)
			capture_stop(c);
		return CAP_END;
	}
	/*
	 * Files wait for every source's next packet so the timeline is in time order; a source
	 * with nothing yet (live, follow) does not hold the others back.
	 */
	for (size_t i = 0; i < c->nslot; i++) {
		struct slot *sl = &c->slot[i];
		enum cap_next rc = fill(c, sl);
		if (rc == CAP_IDLE)
			idle = 1;
		if (sl->has_pending && (best == NULL || sl->pending.ts_ns < best->pending.ts_ns))
			best = sl;
	}
	if (best == NULL)
		return idle ? CAP_IDLE : CAP_END;
	*out = best->pending;
	out->num = ++c->npkts;
	c->last = best - c->slot;
	if (c->ev != NULL)
		evidence_write(c->ev, out, c->in[out->input]->name, NULL);
	return CAP_PACKET;
}

size_t
capture_wait(struct capture *c, int *fds, size_t max, int *timeout_ms)
{
	size_t n = 0;

	*timeout_ms = -1;
	for (size_t i = 0; i < c->nslot; i++) {
		struct slot *sl = &c->slot[i];
		int fd, t;
		if (sl->ended || sl->has_pending)
			continue;
		sl->src->ops->wait(sl->src, &fd, &t);
		if (fd >= 0 && n < max)
			fds[n++] = fd;
		if (t >= 0 && (*timeout_ms < 0 || t < *timeout_ms))
			*timeout_ms = t;
	}
	return n;
}

void
capture_stop(struct capture *c)
{
	c->stopped = 1;
	for (size_t i = 0; i < c->nslot; i++) {
		c->slot[i].src->ops->stop(c->slot[i].src);
		c->slot[i].has_pending = 0;
		c->slot[i].ended = 1;
	}
	c->last = -1;
}

void
capture_stats(struct capture *c, struct cap_stats *st)
{
	memset(st, 0, sizeof *st);
	for (size_t i = 0; i < c->nslot; i++) {
		c->slot[i].src->ops->stats(c->slot[i].src, st);
		if (filters_itself(&c->slot[i]))
			st->live = 1;
	}
	st->filtered = c->filtered;
	st->filter = c->filter;
	if (c->ev != NULL)
		evidence_snapshot(c);
	st->evidence = c->ev_path;
	st->evidence_files = c->ev_files;
	st->evidence_packets = c->ev_packets;
	st->evidence_failed = c->ev_failed;
}

int
capture_is_live(const struct capture *c)
{
	for (size_t i = 0; i < c->nslot; i++)
		if (strcmp(c->slot[i].src->ops->kind, "file") != 0)
			return 1;
	return 0;
}

int
capture_reread_src(const struct capture *c, uint32_t i, struct reread_src *rs)
{
	if (i >= c->nin || c->in[i]->rs.fd < 0)
		return -1;
	if (c->in[i]->spool != NULL)
		evidence_flush(c->in[i]->spool);
	*rs = c->in[i]->rs;
	return 0;
}

size_t
capture_ninputs(const struct capture *c)
{
	return c->nin;
}

void
capture_input_info(const struct capture *c, size_t i, struct cap_input_info *info)
{
	const struct cap_input *in = c->in[i];

	memset(info, 0, sizeof *info);
	info->name = in->name;
	info->format = in->format;
	info->kind = in->kind;
	info->gzip = in->gzip;
	info->big_endian = in->big_endian;
	info->linktype = in->linktype;
	info->packets = in->packets;
	info->bytes = !in->done && in->owner != NULL && in->owner->ops->input_bytes != NULL ?
	    in->owner->ops->input_bytes(in->owner) : in->bytes;
	info->first_ns = in->first_ns;
	info->last_ns = in->last_ns;
	info->truncated = in->truncated;
	info->stop_offset = in->stop_offset;
	info->error = in->error;
	uint8_t sum[DIGEST_LEN];
	uint64_t n;
	const char *why;
	if (in->hashed) {
		if (!in->hash_failed)
			digest_hex(in->sha256, info->sha256);
		info->hashed_bytes = in->hash_bytes;
		info->hash_whole = in->hash_whole;
	} else if (in->hash_file != NULL && digest_file_poll(in->hash_file, sum, &n, &why)) {
		if (why == NULL)
			digest_hex(sum, info->sha256);
		info->hashed_bytes = n;
		info->hash_whole = why == NULL;
	} else
		info->hash_pending = strcmp(in->kind, "live") != 0;
}

size_t
capture_hashes_pending(const struct capture *c)
{
	size_t n = 0;
	uint8_t sum[DIGEST_LEN];
	uint64_t bytes;
	const char *why;

	for (size_t i = 0; i < c->nin; i++)
		if (!c->in[i]->hashed && c->in[i]->hash_file != NULL &&
		    !digest_file_poll(c->in[i]->hash_file, sum, &bytes, &why))
			n++;
	return n;
}

void
capture_hashes_finish(struct capture *c)
{
	for (size_t i = 0; i < c->nin; i++) {
		struct cap_input *in = c->in[i];
		const char *why;
		if (in->hashed || in->hash_file == NULL)
			continue;
		digest_file_wait(in->hash_file, in->sha256, &in->hash_bytes, &why);
		in->hashed = 1;
		in->hash_whole = why == NULL;
		in->hash_failed = why != NULL;
		if (why != NULL)
			warn_add(c->warn, WARN_WARNING, "%s: no SHA-256: %s", in->name, why);
		digest_file_free(in->hash_file);
		in->hash_file = NULL;
	}
}

void
capture_progress(const struct capture *c, uint64_t *done, uint64_t *total)
{
	*done = *total = 0;
	for (size_t i = 0; i < c->nslot; i++) {
		uint64_t d, t;
		c->slot[i].src->ops->progress(c->slot[i].src, &d, &t);
		*done += d;
		*total += t;
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
