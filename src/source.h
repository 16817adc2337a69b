/*
 * source.h — one capture source behind one small table of operations: a finished file
 * (source-file.c: libpcap, or our pcapng reader), a live interface (source-live.c) and a file or
 * folder of rotated files that another program is still writing (source-follow.c).  capture.c
 * merges the sources into one timeline; nothing else sees them.
 *
 * A source registers the inputs it reads (a file, an interface, each rotated file in turn) with
 * capture_input_new(); the inputs live as long as the capture, so a packet's input index stays
 * valid for reading it back after its source has moved on or closed.
 */
#ifndef IOT_SOURCE_H
#define IOT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "digest.h"
#include "reread.h"

struct capture;
struct source;

struct source_ops {
	const char	*kind;		/* "file", "live", "follow" */
	/*
	 * The next packet into *p (its bytes valid until the next call): CAP_PACKET, CAP_IDLE
	 * when nothing has arrived yet (live, follow), CAP_END when the source is exhausted.
	 * Problems become warnings and the input's error; what was read stays read.
	 */
	enum cap_next	(*next)(struct source *, struct cap_pkt *p);
	/*
	 * What to wait on while idle: a descriptor that becomes readable when more may have
	 * arrived (or -1), and the longest wait in ms before asking again (-1: no limit).
	 */
	void		(*wait)(struct source *, int *fd, int *timeout_ms);
	/* Raw bytes read so far and in all (0 when unknown). */
	void		(*progress)(const struct source *, uint64_t *done, uint64_t *total);
	/* Decompressed bytes of its current input consumed so far (capture_input_info). */
	uint64_t	(*input_bytes)(const struct source *);
	/* Adds the source's loss counters to *st (live: the kernel's and the interface's). */
	void		(*stats)(struct source *, struct cap_stats *st);
	/* Stops reading now (the capture is ending); later next() calls answer CAP_END. */
	void		(*stop)(struct source *);
	void		(*free)(struct source *);
};

/* Every source starts with this header. */
struct source {
	const struct source_ops	*ops;
	struct capture		*cap;
};

/*
 * An input as the capture keeps it: what capture_input_info() shows, and how to read its
 * packets back.  Owned by the capture; sources fill it in.
 */
struct cap_input {
	char		*name;
	const char	*format;	/* "pcap", "pcap-ns", "pcapng", "live" */
	const char	*kind;		/* the source kind that reads it */
	int		 gzip;
	int		 big_endian;
	int		 linktype;
	uint32_t	 index;
	uint64_t	 packets;
	uint64_t	 bytes;		/* decompressed input bytes consumed */
	int64_t		 first_ns, last_ns;
	int		 truncated;
	uint64_t	 stop_offset;
	char		*error;
	int		 done;
	struct source	*owner;		/* the source reading it now; NULL once done */
	struct reread_src rs;		/* rs.fd < 0: cannot be read back */
	struct evidence	*spool;		/* flushed before reading back, when set */
	/* Its SHA-256 (capture_input_info): a thread's over a regular file, else set when done. */
	struct digest_file *hash_file;
	int		 hashed;
	uint8_t		 sha256[DIGEST_LEN];
	uint64_t	 hash_bytes;
	int		 hash_whole;
	int		 hash_failed;	/* a read error: no hash to show */
};

struct source_file_opts {
	int		 keep;		/* keep readable for reading back */
};

/* A new input named name (copied), read by owner; index and reread fd (-1) are set. */
struct cap_input *capture_input_new(struct capture *, struct source *owner, const char *name);
/* Records a packet of input in in *p (timestamps, counts); fills p's input and offset. */
void		 capture_input_got(struct cap_input *, struct cap_pkt *p, uint64_t offset);
/*
 * Ends an input early: truncated (a record cut by the end) or damaged (why says how), at
 * byte offset; one warning in the capture's list.
 */
void		 capture_input_stop(struct capture *, struct cap_input *, uint64_t offset,
		    int truncated, const char *why);
/* Records the SHA-256 of an input's bytes as read (not one hashed by a hash_file thread). */
void		 capture_input_hashed(struct cap_input *, const uint8_t sum[DIGEST_LEN],
		    uint64_t bytes, int whole);
/* The capture filter's expression, or NULL. */
const char	*capture_filter(const struct capture *);
/* Whether the capture keeps inputs readable for reading back (capture_keep()). */
int		 capture_keeps(const struct capture *);
struct warnlist	*capture_warnings(struct capture *);

/* The sources (each returns NULL with one line in err when it cannot start). */
struct source	*source_file_open(struct capture *, const char *path, char *err, size_t errlen);
struct source	*source_live_open(struct capture *, const struct cap_live_opts *, char *err,
		    size_t errlen);
struct source	*source_follow_open(struct capture *, const char *path, char *err,
		    size_t errlen);

/* The pcap file header (24 bytes) read: magic → format, byte order, record header size. */
int		 source_pcap_magic(uint32_t m, const char **format, int *big, uint32_t *rec_hdr);
/* LINKTYPE_ values (pcapng, pcap headers) that differ from the DLT_ values libpcap uses. */
int		 source_linktype_to_dlt(int linktype);

#endif
