/*
 * analysis.h — the pipeline: packet → dissectors → flows, devices, names, overview.
 *
 * Ingestion runs in bounded steps: analysis_step(a, budget) reads at most budget packets and
 * returns, so one event loop (the workbench, like tmux and htop, has one thread) can interleave
 * steps with keystrokes and redraws, and a live capture can later feed the same loop through
 * libpcap's selectable descriptor.  Everything the tables hold is consistent between steps, so
 * a front end may read them at any time; no locks, no threads.
 *
 * The analysis owns every table; accessors return borrowed pointers valid until analysis_free.
 * Later issues attach per-flow state (histograms, stream reassembly, pattern matches, the
 * packet index for reading payloads back) keyed by flow id, fed from analysis.c's per-packet
 * path, and never store payloads in memory.
 *
 * The core never prints and never exits: problems become entries of the warning list.
 */
#ifndef IOT_ANALYSIS_H
#define IOT_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

struct addr;
struct capture;
struct findex;
struct pkt_ref;
struct span;
struct device;
struct device_table;
struct flow_table;
struct names;
struct overview;
struct warnlist;

enum entropy_mode {
	ENTROPY_THREAD,		/* on a second core, the reader counting when it falls behind */
	ENTROPY_INLINE,		/* on the reading thread only */
	ENTROPY_OFF		/* not at all: no entropy figures (the benchmark's baseline) */
};

struct analysis_opts {
	const char	*oui_path;	/* NULL: IOTSCOPE_OUI, then the usual places */
	int		 profile;	/* time the pipeline stages on a sample of packets */
	int		 index;		/* keep where each flow's packets are, to read them back */
	/*
	 * Write every flow direction's payload bytes, exactly those the entropy figures count,
	 * to DIR/flow-ID-a2b.bin and -b2a.bin (to check the figures against `ent`).
	 */
	const char	*dump_dir;
	double		 threshold;	/* fixed entropy threshold (0: 7.0 bits per byte) */
	uint64_t	 min_bytes;	/* fewer payload bytes: verdict unknown (0: 64) */
	const char	*secure_ports;	/* the secure-ports file, NULL for the default */
	const char *const *controllers;	/* MACs or IPs of the vendor app's phone */
	size_t		 ncontrollers;
	enum entropy_mode entropy;	/* how payload bytes are counted (the benchmark's knob) */
	const char *const *geoip;	/* --geoip databases, in order; none: the defaults */
	size_t		 ngeoip;
	int		 no_findings;	/* do not look for findings (the benchmark's baseline) */
	/* Pattern files read after the default one and ~/.config/iotscope/patterns. */
	const char *const *patterns;
	size_t		 npatterns;
	/*
	 * Bytes the process may hold (--max-memory); 0: a quarter of physical memory, at least
	 * 64 MiB.  Past it the longest idle flows are folded into their totals (fold.h).
	 */
	uint64_t	 max_memory;
};

enum analysis_stage {
	STAGE_READ,		/* libpcap / pcapng reader */
	STAGE_DECODE,		/* link, IP, transport dissectors */
	STAGE_FLOW,		/* flow lookup and counters */
	STAGE_DEVICE,		/* device attribution */
	STAGE_APP,		/* DNS, DHCP, mDNS, SSDP, ARP */
	STAGE_COUNT
};

struct analysis_profile {
	uint64_t	 samples;
	uint64_t	 ns[STAGE_COUNT];	/* summed over the sampled packets */
};

struct analysis;

struct analysis	*analysis_new(const struct analysis_opts *);
void		 analysis_free(struct analysis *);
/* Adds a capture file ("-" for standard input); -1 with one line in err when unusable. */
int		 analysis_add_file(struct analysis *, const char *path, char *err, size_t errlen);
struct cap_live_opts;
/* Opens a live interface (capture.h); -1 with one line in err, also kept as an error. */
int		 analysis_add_live(struct analysis *, const struct cap_live_opts *, char *err,
		    size_t errlen);
/* Follows a growing capture file or a folder of rotated files (capture.h). */
int		 analysis_add_follow(struct analysis *, const char *path, char *err, size_t errlen);
/*
 * The capture, to set its filter, evidence file and limit before the first step, and to wait
 * on it while idle (capture_wait); borrowed.
 */
struct capture	*analysis_capture_rw(struct analysis *);

/*
 * Reads now what the analysis would otherwise read on first use — the OUI registry, the
 * capture filter compiled for every link type it decodes and every input's (host and port
 * names are looked up then) — so that nothing needs opening once the front end has confined
 * the process (ui/sandbox.c).  Call after the inputs are added, before the first step.
 */
void		 analysis_preload(struct analysis *);

enum analysis_rc {
	ANALYSIS_DONE = 0,	/* every input is done; the tables are final */
	ANALYSIS_MORE = 1,	/* the budget was spent: call again */
	ANALYSIS_IDLE = 2	/* a live or followed source has nothing yet: poll, then call again */
};
/* Processes up to budget packets. */
enum analysis_rc analysis_step(struct analysis *, unsigned budget);
/* Ends the capture (a signal, --duration, --count): the next step finishes the analysis. */
void		 analysis_stop(struct analysis *);
int		 analysis_done(const struct analysis *);
/*
 * Waits until the byte counting thread has caught up: call before reading flows' histograms
 * (the reports and the workbench's refresh do).
 */
void		 analysis_sync(struct analysis *);

const struct capture	*analysis_capture(const struct analysis *);
const struct flow_table	*analysis_flows(const struct analysis *);
const struct device_table *analysis_devices(const struct analysis *);
const struct names	*analysis_names(const struct analysis *);
const struct overview	*analysis_overview(const struct analysis *);
const struct warnlist	*analysis_warnings(const struct analysis *);
/* A front end's own warning, into the list the reports and the workbench show. */
void		 analysis_warn(struct analysis *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
const struct analysis_profile *analysis_profile(const struct analysis *);
const char	*analysis_stage_name(enum analysis_stage);
/* Vendor of a device from the OUI registry, or NULL (loads the registry on first use). */
const char	*analysis_device_vendor(struct analysis *, const struct device *);
/* The OUI file in use, or NULL when none was found (after a vendor lookup). */
const char	*analysis_oui_source(const struct analysis *);
/* Replaces the controllers (the caller keeps the strings); channels are worked out again. */
void		 analysis_set_controllers(struct analysis *, const char *const *, size_t n);
struct geo;
/* The geolocation databases (owned by the analysis; lookups cache). */
struct geo	*analysis_geo(const struct analysis *);
/* Whether device id runs the vendor's app (opts.controllers). */
int		 analysis_is_controller(const struct analysis *, uint32_t device_id);
/* Whether a --controller value (MAC with colons or dashes, or IP) names device id. */
int		 analysis_controller_matches(const struct analysis *, uint32_t device_id,
		    const char *spec);
struct secure_ports;
/* The secure-ports list in use; borrowed. */
const struct secure_ports *analysis_secure_ports(const struct analysis *);
/* The options the analysis runs with (defaults filled in). */
const struct analysis_opts *analysis_options(const struct analysis *);
/* The flows' packet index (opts.index), or NULL; borrowed. */
const struct findex *analysis_findex(const struct analysis *);
struct fold;
/* The totals of the flows folded to stay within the memory limit; borrowed. */
const struct fold *analysis_fold(const struct analysis *);
/* The memory limit in force (opts.max_memory or the default), and the last estimate. */
uint64_t	 analysis_max_memory(const struct analysis *);
size_t		 analysis_memory_estimate(const struct analysis *);

/* A packet read back from its input: the buffer it lives in, owned by the caller. */
struct payload_buf {
	uint8_t		*buf;
	size_t		 cap;
};

/*
 * Reads an indexed packet back and decodes it again; *out is its transport payload (borrowed
 * from pb, valid until pb is reused).  -1 with a one-line reason in err.
 */
int		 analysis_payload(struct analysis *, const struct pkt_ref *,
		    struct payload_buf *pb, struct span *out, char *err, size_t errlen);
void		 analysis_payload_buf_free(struct payload_buf *);
struct findings;
struct patset;
struct scan_stats;
/* Findings so far (complete once the analysis is done); borrowed. */
const struct findings *analysis_findings(const struct analysis *);
/* The patterns in use (NULL when findings are off); borrowed. */
const struct patset *analysis_patterns(const struct analysis *);
const struct scan_stats *analysis_scan_stats(const struct analysis *);
/* Findings that concern a device (as sender, else receiver of the flow direction). */
uint32_t	 analysis_device_findings(struct analysis *, uint32_t device_id);
struct find_ends;
struct finding;
/*
 * The endpoints and devices of a finding's flow, held or folded, into *out; -1 when the
 * finding names no flow (a zeroed record).
 */
int		 analysis_finding_ends(const struct analysis *, const struct finding *,
		    struct find_ends *out);
/* The pattern files that were read, in order, and how many patterns each gave. */
size_t		 analysis_pattern_files(const struct analysis *, const char ***paths,
		    const int **counts);

/* Best known name for a remote address as seen by a device (id + 1, or 0). */
const char	*analysis_ip_name(const struct analysis *, const struct addr *, uint32_t device1);

#endif
