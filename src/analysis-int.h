/*
 * analysis-int.h — the analysis state shared by the pipeline (analysis.c) and the
 * application-layer handlers (app.c).  Not for front ends: they use analysis.h.
 */
#ifndef IOT_ANALYSIS_INT_H
#define IOT_ANALYSIS_INT_H

#include "analysis.h"
#include "capture.h"
#include "device.h"
#include "findex.h"
#include "flow.h"
#include "hcount.h"
#include "names.h"
#include "oui.h"
#include "overview.h"
#include "pkt.h"
#include "triage.h"
#include "ports.h"
#include "strpool.h"
#include "warn.h"
#include "xalloc.h"

#define ANALYSIS_PREFIX6_MAX	16

struct triage_cache;
struct fold;

/* Bounded memory (analysis-mem.c): the estimate and what it allows. */
struct analysis_mem {
	uint64_t	 limit;		/* --max-memory, or the default */
	uint64_t	 base;		/* resident before the first packet: the budget's start */
	int		 started;
	unsigned	 tick;		/* packets since the last estimate */
	unsigned	 slow_tick;	/* estimates since the device table was walked */
	size_t		 held_cap;	/* flows that fit; past it the idle ones are folded */
	size_t		 hist;		/* histogram buffers of the held flows, estimated */
	size_t		 apps;		/* their detection state */
	size_t		 devices;	/* the device table, walked now and then */
	size_t		 est;		/* the last estimate */
	long		 warn_fold;	/* the warning that counts folded flows; -1 until then */
	long		 warn_tight;
};

struct analysis {
	struct analysis_opts	 opts;
	struct warnlist		 warn;
	struct capture		*cap;
	struct flow_table	*flows;
	struct device_table	*devices;
	struct strpool		*pool;
	struct names		*names;
	struct oui		*oui;
	struct geo		*geo;
	struct findex		*findex;	/* NULL unless opts.index */
	struct hcount		*hcount;	/* counts payload bytes on a second thread */
	struct secure_ports	 ports;
	struct patset		*patterns;	/* NULL when findings are off */
	struct findings		*findings;
	struct scanner		*scanner;
	const char		*patfiles[16];	/* owned copies */
	int			 patcounts[16];
	size_t			 npatfiles;
	uint32_t		*devfind;	/* findings per device, for ... */
	size_t			 devfind_len;
	size_t			 devfind_at;	/* ... this many findings (rebuilt when it grows) */
	/*
	 * Triage cache (triage.c): entries only for flows with payload (the rest are cheap to
	 * triage again), found through an index by flow id; a scratch one for the others.
	 */
	struct triage_cache	**triage;		/* chunks of entries */
	size_t			 ntriage, ntriage_chunks; /* entries used, chunks */
	uint32_t		*triage_ix;		/* entry + 1 by flow id; 0: none */
	size_t			 ntriage_ix;
	uint32_t		*triage_free;		/* entries of flows gone */
	size_t			 ntriage_free, ctriage_free;
	struct flow_triage	 triage_scratch;	/* what analysis_triage() returns */
	double			*clog;	/* k log2 k for k < CLOG_N, made on first use */
	uint64_t		 triage_gen;	/* analysis_triage_forget() calls */
	struct fold		*fold;		/* totals of the flows folded (fold.h) */
	struct analysis_mem	 mem;
	struct overview		 ov;
	struct analysis_profile	 prof;
	uint64_t		 prof_next;	/* packet number of the next sample */
	uint64_t		 prof_rng;	/* xorshift state choosing the gaps */
	int			 done;
	int			 cut_warned;	/* the snap length warning is out (once) */
	/* On-link IPv6 prefixes (/64) announced by router advertisements. */
	struct addr		 prefix6[ANALYSIS_PREFIX6_MAX];
	int			 nprefix6;
};

/*
 * Whether an address belongs to a station of the local network: private, link-local,
 * loopback or CGNAT; or a global IPv6 address inside an on-link prefix a router advertised,
 * or whose interface identifier is the EUI-64 of the MAC that carries it (SLAAC).
 */
int	analysis_is_local(const struct analysis *, const struct addr *, const uint8_t *mac);
/* Router advertisement (ICMPv6 134): learns on-link prefixes. */
void	app_icmp6(struct analysis *, struct pkt *);

/* Application layer of one IP packet already charged to flow f in direction dir. */
void	app_dispatch(struct analysis *, struct pkt *, struct flow *, int dir);
/* ARP frame: ties the sender's MAC to its IP. */
void	app_arp(struct analysis *, struct pkt *);
/* The local station for a MAC and IP, adopting an IP-keyed twin when there is one. */
struct device *analysis_station(struct analysis *, const uint8_t mac[6], const struct addr *);

/* analysis-mem.c: the limit in force, set up before the first packet. */
void	mem_init(struct analysis *);
/*
 * Brings the estimate up to date and, past the limit, folds the longest idle flows, never
 * keep (the flow of the packet just read: its reply may be next): call when flow_count
 * passes mem.held_cap or every MEM_EVERY packets (mem.tick).
 */
void	mem_check(struct analysis *, const struct flow *keep);
#define MEM_EVERY	256
#define CLOG_N		1024
/* entropy.c's histogram buffers, with the allocator's header. */
#define MEM_HIST_HOT	(512 + 16)
#define MEM_HIST_NARROW	(256 + 16)
#define MEM_HIST_COLD	(2048 + 16)
/* Histogram buffers a direction's payload of n bytes takes in the counting thread's hists. */
static inline size_t
mem_hist_cost(uint64_t n)
{
	if (n == 0)
		return 0;
	if (n <= HIST_RAW_MAX) {	/* the bytes as they are, in a power of two */
		size_t room = (size_t)1 << HIST_RAW_MIN_LOG;
		while (room < n)
			room *= 2;
		return room + 16;
	}
	return (n <= HIST_NARROW_MAX ? MEM_HIST_NARROW : MEM_HIST_HOT) +
	    (n >= 65535 ? MEM_HIST_COLD : 0);
}
/*
 * The histogram the reading thread counts a direction into when the counting thread does
 * not take the bytes: the direction's own when no worker runs, else one beside it, allocated
 * here when create is set (else NULL if none).
 */
static inline struct hist *
reader_hist_get(struct analysis *a, struct flow_ext *x, int d, int create)
{
	if (!hcount_running(a->hcount))
		return &x->hist[d];
	if (x->own == NULL) {
		if (!create)
			return NULL;
		x->own = xcalloc(2, sizeof *x->own);
		a->mem.hist += 2 * sizeof *x->own + 16;
	}
	return &x->own[d];
}
/* What a flow's detection state holds. */
size_t	mem_app_cost(const struct flow_app *);

#endif
