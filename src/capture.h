/*
 * capture.h — packet sources presented as one timeline.
 *
 * A capture is a set of sources (source.h): finished capture files and standard input, a live
 * interface, or files another program is still writing (--follow).  capture_next() hands out
 * the packet with the smallest timestamp among the sources' pending packets, so several -r
 * files are analysed as one timeline; a live or followed source that has nothing yet makes
 * capture_next() answer CAP_IDLE, and capture_wait() says what to poll() on until it has.
 * Packet bytes stay owned by their source and are valid until the next capture_next() call.
 *
 * Every packet carries its input index and the byte offset of its record in that input's
 * (decompressed) byte stream: an index of (input, offset) per flow lets a viewer read a flow's
 * packets back on demand instead of holding payloads in memory.
 *
 * A capture filter (BPF, compiled by libpcap) applies to every source: in the kernel for a
 * live interface, per packet for files.  Every packet handed out can also be written to an
 * evidence file as it passes (evidence.h).
 *
 * A damaged input never stops the others: its problem becomes a warning (truncated at byte N,
 * not a capture file…) and what it yielded so far stays analysed.
 */
#ifndef IOT_CAPTURE_H
#define IOT_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"

struct evidence;
struct warnlist;

enum cap_next {
	CAP_END = 0,		/* every source is exhausted or stopped */
	CAP_PACKET = 1,
	CAP_IDLE = 2		/* nothing yet: wait (capture_wait) and ask again */
};

struct cap_pkt {
	int64_t		 ts_ns;		/* since the epoch */
	uint32_t	 caplen;	/* bytes present in data */
	uint32_t	 wirelen;	/* bytes on the wire (>= caplen) */
	int		 linktype;	/* DLT_ value */
	uint32_t	 input;
	uint32_t	 ifidx;		/* pcapng interface, else 0 */
	uint64_t	 num;		/* 1-based, across the whole timeline */
	uint64_t	 offset;	/* record offset in its input's decompressed bytes */
	const uint8_t	*data;
};

struct cap_input_info {
	const char	*name;		/* as given; "-" is standard input */
	const char	*format;	/* "pcap", "pcap-ns", "pcapng", "live" */
	const char	*kind;		/* "file", "live", "follow" */
	int		 gzip;
	int		 big_endian;	/* pcap only: file written on a big-endian host */
	int		 linktype;	/* first interface's DLT_ */
	uint64_t	 packets;
	uint64_t	 bytes;		/* decompressed input bytes consumed */
	int64_t		 first_ns, last_ns;
	int		 truncated;	/* ended inside a record */
	uint64_t	 stop_offset;	/* where a damaged input stopped */
	const char	*error;		/* why it stopped early, or NULL */
	/*
	 * The SHA-256 of the input as given, in hex (a gzip file's compressed bytes); "" for a
	 * live interface, while it is still being computed (hash_pending), or when the file
	 * could not be read to its end (a warning says why).  It covers hashed_bytes: the
	 * whole input when hash_whole, else what was read of a pipe before the capture
	 * stopped.  A regular file is hashed whole, also when its packets stop at damage.
	 */
	char		 sha256[DIGEST_HEX];
	int		 hash_pending;
	uint64_t	 hashed_bytes;
	int		 hash_whole;
};

/* Packets lost before the analysis saw them: never silent, 0 when none. */
struct cap_stats {
	uint64_t	 kernel_drops;	/* live: dropped by the kernel, its buffer full */
	uint64_t	 iface_drops;	/* live: dropped by the interface or its driver */
	uint64_t	 internal_drops; /* inside iotscope (a source's buffer) */
	uint64_t	 evidence_failed; /* captured and analysed, but not written to -w */
	uint64_t	 filtered;	/* files: did not match the capture filter */
	int		 live;		/* a live interface is among the sources */
	const char	*filter;	/* the capture filter, or NULL (borrowed) */
	const char	*evidence;	/* the -w file being written (last one), or NULL */
	uint64_t	 evidence_files;
	uint64_t	 evidence_packets;
};

/* A live interface, with tcpdump's options. */
struct cap_live_opts {
	const char	*iface;		/* "any" for every interface */
	int		 snaplen;	/* -s; 0: 262144 */
	int		 buffer_kib;	/* -B; 0: libpcap's default */
	int		 no_promisc;	/* -p */
	int		 rfmon;		/* -I */
	int		 immediate;	/* --immediate-mode: each packet at once (see source-live.c) */
};

struct capture;

struct capture	*capture_new(struct warnlist *warnings);
/*
 * Keep inputs readable at random after they are read (call before adding files): plain files
 * stay open, compressed files and pipes are spooled decompressed to an unlinked file in
 * TMPDIR.  For the payload viewer; off by default.
 */
void		 capture_keep(struct capture *);
void		 capture_free(struct capture *);
/*
 * Opens an input and reads its first packet; 0 on success, -1 when it cannot be opened or is
 * not a capture (err has one line naming the file).  A file that opens but is empty of
 * packets is a success.
 */
int		 capture_add_file(struct capture *, const char *path, char *err, size_t errlen);
/*
 * Opens a live interface (after capture_set_filter, whose expression it compiles for the
 * interface's link type); -1 with one line in err (permission denied says what to do).
 */
int		 capture_add_live(struct capture *, const struct cap_live_opts *, char *err,
		    size_t errlen);
/*
 * Follows a capture file another program is still writing, or a folder of rotated files
 * (read in name order, the newest followed); -1 with one line in err.
 */
int		 capture_add_follow(struct capture *, const char *path, char *err, size_t errlen);
/*
 * The capture filter for every source added after it: 0, or -1 with libpcap's message in err
 * when the expression does not compile.
 */
int		 capture_set_filter(struct capture *, const char *expr, char *err, size_t errlen);
/*
 * Compiles the filter for files' packets of link type dlt now rather than with the first
 * such packet: names in the expression (hosts, ports) are looked up while compiling, which
 * a confined process cannot do.  Nothing without a filter.
 */
void		 capture_filter_prepare(struct capture *, int dlt);
/*
 * Writes every packet handed out to ev (borrowed).  Before closing it, the caller detaches it
 * with NULL: the capture keeps its final figures for the reports.
 */
void		 capture_set_evidence(struct capture *, struct evidence *ev);
/* Ends the timeline after n packets (0: no limit), as tcpdump -c. */
void		 capture_set_limit(struct capture *, uint64_t n);
/*
 * Next packet of the timeline: CAP_PACKET, CAP_IDLE, or CAP_END when every input is done.
 * The first call starts the threads that hash regular files whole (digest.h): a front end
 * that confines the process before its first step (ui/sandbox.c) confines them too.
 */
enum cap_next	 capture_next(struct capture *, struct cap_pkt *);
/*
 * While idle: fills up to max descriptors to poll for reading and returns how many; *timeout_ms
 * is the longest wait before capture_next() should be asked again (-1: none).
 */
size_t		 capture_wait(struct capture *, int *fds, size_t max, int *timeout_ms);
/* Stops every source (a signal, --duration); capture_next() then answers CAP_END. */
void		 capture_stop(struct capture *);
/* Loss counters of every source and of the evidence file. */
void		 capture_stats(struct capture *, struct cap_stats *);
/* Whether a source can still produce packets later (live, follow). */
int		 capture_is_live(const struct capture *);
size_t		 capture_ninputs(const struct capture *);
/* Inputs whose SHA-256 a thread is still computing. */
size_t		 capture_hashes_pending(const struct capture *);
/*
 * Waits until every input's SHA-256 is known (the reports need them); a file that could not
 * be read to its end gets a warning and no hash.
 */
void		 capture_hashes_finish(struct capture *);
void		 capture_input_info(const struct capture *, size_t i, struct cap_input_info *);
struct reread_src;
/* How to read input i back (reread.h); -1 when it was not kept. */
int		 capture_reread_src(const struct capture *, uint32_t input, struct reread_src *);
/* Raw (compressed) bytes read so far and in all (0 when unknown, e.g. a pipe). */
void		 capture_progress(const struct capture *, uint64_t *done, uint64_t *total);
/* libpcap's short name of a DLT ("EN10MB"), or "DLT_<n>" in buf. */
const char	*capture_linktype_name(int dlt, char *buf, size_t len);
const char	*capture_linktype_desc(int dlt);

#endif
