/*
 * evidence.h — the evidence writer: every packet handed to it goes, as it arrives, to a
 * capture file (pcapng, or nanosecond pcap), rotated the way tcpdump's -w/-C/-G/-W do it;
 * or to an unlinked spool file that the payload viewer reads packets back from (reread.h).
 * It never prints and never stops on a write error: failed packets are counted.
 */
#ifndef IOT_EVIDENCE_H
#define IOT_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct cap_pkt;
struct reread_src;

#define EVIDENCE_SNAPLEN	262144u		/* tcpdump's default, and -s 0 */

/*
 * What gets written, and how files follow one another (tcpdump 4.99's rules, read from its
 * source and checked against the binary):
 *
 *  - pcapng (default): one section header (shb_userappl "iotscope VERSION", shb_comment when
 *    comment is set), an interface block for each distinct (input, ifidx, link type) the
 *    packets of a file come from (if_name when the caller names it, if_tsresol 9, snaplen),
 *    enhanced packet blocks with the nanosecond time.  Everything in host byte order.
 *  - pcap: the nanosecond magic 0xa1b23c4d in host order, snaplen, and the link type of the
 *    first packet written; a later packet of another link type is not written but counted as
 *    failed (evidence_error() says why).  The header goes out with the first packet.
 *  - Packets longer than snaplen are cut to it (caplen = snaplen, wirelen kept).
 *
 *  - rotate_bytes (-C, bytes: tcpdump's -C unit is 1,000,000): before a packet, if it would
 *    take the file past rotate_bytes, the file is closed and the next one opened; a file
 *    holds at least one packet.  (tcpdump rotates once the file is already past the limit,
 *    so its files end up to one packet larger; ours never pass it.)  Names: PATH, PATH1,
 *    PATH2, ...
 *  - max_files (-W) with rotate_bytes: a ring.  Every name gets the counter padded to the
 *    digits of max_files - 1 (-W 10: PATH0..PATH9; -W 11: PATH00..PATH10; -W 1: PATH), and
 *    after the last the first is truncated and written again.
 *  - rotate_secs (-G): PATH is passed through strftime(3) with the local time of the file's
 *    start second.  A packet at least rotate_secs after the current file's start closes it
 *    and starts a new file at the packet's second.  This is PACKET time (the capture's
 *    timestamps), not the clock: deterministic for files, the wall clock for live capture.
 *    The first file starts at start_ns (0: the current time); when the first packet is older
 *    than that (a file being replayed), its time becomes the start instead.  PATH must hold
 *    a strftime conversion, else every file would truncate the one before (tcpdump allows
 *    that; evidence must not lose packets that way).
 *  - rotate_secs and max_files without rotate_bytes: after max_files files the writer is
 *    done (tcpdump exits): evidence_write() returns 1 and writes nothing more.
 *  - rotate_secs and rotate_bytes: within each time file the size counter runs as above,
 *    appended to the strftime name, and restarts at every time rotation (with max_files, a
 *    ring within each time slice, as tcpdump).
 *  - max_files without rotation is refused, like "-" (standard output) with rotation.
 *
 * Every file is created O_CREAT|O_TRUNC with mode 0644 (less the umask); with chown set, each
 * new file is given to uid:gid (-Z).  The first file is created by evidence_open(), while
 * the caller may still be root; later ones are created after the caller dropped privileges,
 * so a failed chown then is ignored when the file already belongs to the effective user.
 */
struct evidence_opts {
	const char	*path;		/* "-" is standard output */
	int		 pcap;		/* classic pcap instead of pcapng */
	uint32_t	 snaplen;	/* 0: EVIDENCE_SNAPLEN */
	uint64_t	 rotate_bytes;	/* -C, in bytes; 0: off */
	unsigned	 rotate_secs;	/* -G; 0: off */
	unsigned	 max_files;	/* -W; 0: off */
	int64_t		 start_ns;	/* -G: the first file's start (epoch ns); 0: now */
	int		 chown;		/* give new files to uid:gid */
	uid_t		 uid;
	gid_t		 gid;
	const char	*comment;	/* pcapng shb_comment, or NULL */
};

struct evidence;

/*
 * Checks the options and creates the first file; NULL with a one-line reason in err.  Nothing
 * is written before the first flush: call evidence_flush() at once to find out whether the
 * disk takes it.
 */
struct evidence	*evidence_open(const struct evidence_opts *, char *err, size_t errlen);
/*
 * A spool for reading packets back: an unlinked file in TMPDIR (else /tmp) in nanosecond pcap
 * with 16-byte record headers in host byte order.  It keeps packets of every link type (its
 * header's link type means nothing: it is not meant to be opened as a capture) and cuts
 * nothing (snaplen is reread's limit, 16 MiB).
 */
struct evidence	*evidence_open_spool(char *err, size_t errlen);
/*
 * Writes one packet (buffered).  ifname names the packet's interface in pcapng (NULL: no
 * name).  *offset (when not NULL) gets the byte offset of the packet's record in the current
 * file: a pcap record header, or a pcapng enhanced packet block.
 *
 * 0: written.  -1: not written and counted in evidence_failed() (pcap link type mismatch,
 * no file could be opened); a write error found later, when the buffer goes to disk, also
 * moves the packets it lost from evidence_packets() to evidence_failed().  1: the -G/-W file
 * limit was reached; nothing is written any more (evidence_done()).
 */
int		 evidence_write(struct evidence *, const struct cap_pkt *, const char *ifname,
		    uint64_t *offset);
/*
 * Called often by the event loop with the monotonic time: writes the buffer out when data
 * has waited about a second.  evidence_timeout_ms() says how long poll() may sleep before the
 * next tick is due (-1: nothing waits).
 */
void		 evidence_tick(struct evidence *, int64_t mono_ns);
int		 evidence_timeout_ms(const struct evidence *, int64_t mono_ns);
/*
 * Writes the buffer out now; 0, or -1 when the write failed (counted, see evidence_error()).
 * A reader of the spool must call it before reread_packet(): buffered records are not in
 * the file yet.
 */
int		 evidence_flush(struct evidence *);
/*
 * Flushes, fdatasyncs and closes the file, frees the writer.  -1 with a reason in err when the
 * final flush (or close) failed, i.e. when packets were lost at the end.
 */
int		 evidence_close(struct evidence *, char *err, size_t errlen);

/* The current file's descriptor (the spool's, for reading back), or -1 when none is open. */
int		 evidence_fd(const struct evidence *);
/* Fills how to read the spool back (reread.h); -1 when this writer is not a spool. */
int		 evidence_reread_src(const struct evidence *, struct reread_src *);
/* The current file's name (borrowed; "-" for standard output; the spool's unlinked name). */
const char	*evidence_path(const struct evidence *);
uint64_t	 evidence_files(const struct evidence *);	/* files opened so far */
uint64_t	 evidence_packets(const struct evidence *);	/* packets written */
uint64_t	 evidence_bytes(const struct evidence *);	/* file bytes, headers included */
uint64_t	 evidence_failed(const struct evidence *);	/* packets lost */
/* The first error, kept for the caller to show once (borrowed), or NULL. */
const char	*evidence_error(const struct evidence *);
/* 1 once the -G/-W file limit was reached. */
int		 evidence_done(const struct evidence *);

#endif
