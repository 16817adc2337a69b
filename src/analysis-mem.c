/*
 * analysis-mem.c — bounded memory (--max-memory): an estimate of what the analysis holds, kept
 * up cheaply (module counters read every MEM_EVERY packets, not an allocator walk per packet),
 * and the folding of the longest idle flows into their totals (fold.h) when the flows would
 * pass what the limit leaves them.  Also what a folded flow's findings still say of it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "analysis-int.h"
#include "quic.h"
#include "dests.h"
#include "findings.h"
#include "fold.h"
#include "geo.h"
#include "scan.h"
#include "triage.h"

#define MEM_DEFAULT_MIN	(64ull << 20)	/* the default's floor: a quarter of a small board */
#define MEM_FLOOR	64		/* flows held whatever the limit says, to make progress */
#define MEM_SLOW	256		/* estimates between walks of the device table */

/*
 * The rows the reports build, with the room their arrays grow by: a destination (with its
 * cached geolocation answer) for a flow or a folded device side, a server port for a flow or
 * a folded port.
 */
#define DEST_ROW	((sizeof(struct dest) + 8 + sizeof(struct geo_answer) + \
			    sizeof(struct addr) + 8) * 3 / 2)
#define PORT_ROW	(sizeof(struct port_stat) * 3 / 2)

/*
 * What a held flow costs besides its slot: its share of the index as that grows, and what
 * the reports build for it — its triage cache entry, a destination row, a cached geolocation
 * answer — with the spare room their arrays grow by.  Counted up front so that reporting a
 * table that filled the budget does not pass the limit.
 */
static size_t
per_flow(void)
{
	return 16 + analysis_triage_bytes(1) * 9 / 8 + DEST_ROW + PORT_ROW;
}

void
mem_init(struct analysis *a)
{
	struct analysis_mem *m = &a->mem;

	m->limit = a->opts.max_memory;
	if (m->limit == 0) {
		long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
		if (pages > 0 && size > 0)
			m->limit = (uint64_t)pages * (uint64_t)size / 4;
		if (m->limit < MEM_DEFAULT_MIN)
			m->limit = MEM_DEFAULT_MIN;
	}
	m->warn_fold = m->warn_tight = -1;
	m->held_cap = 0;		/* the first packet's check starts the accounting */
}

size_t
mem_app_cost(const struct flow_app *app)
{
	size_t n = sizeof *app + 16;

	for (int d = 0; d < 2; d++)
		if (app->dir[d].buf != NULL)
			n += app->dir[d].is_quic ? quic_hello_bytes() : DETECT_HEAD;
	return n;
}

/* The peak resident size so far: taken before the first packet, it is what the process
 * holds before any table grows (code, patterns, the counting thread's ring). */
static uint64_t
resident(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0 || ru.ru_maxrss <= 0)
		return 0;
	return (uint64_t)ru.ru_maxrss * 1024;		/* kilobytes on Linux and the BSDs */
}

static const char *
size_str(uint64_t v, char *buf, size_t len)
{
	if (v >= (1ull << 30) && v % (1ull << 30) == 0)
		snprintf(buf, len, "%" PRIu64 " GiB", v >> 30);
	else if (v >= (10ull << 20))
		snprintf(buf, len, "%" PRIu64 " MiB", v >> 20);
	else
		snprintf(buf, len, "%.1f MiB", (double)v / (1 << 20));
	return buf;
}

/* Everything the estimate counts but the flows' slots and per_flow(). */
static size_t
tables(struct analysis *a)
{
	struct analysis_mem *m = &a->mem;
	size_t held = flow_count(a->flows);
	size_t n = flow_table_bytes(a->flows) - flow_capacity(a->flows) * sizeof(struct flow) +
	    m->hist + m->apps + m->devices + findings_bytes(a->findings) +
	    names_bytes(a->names) + strpool_bytes(a->pool) + geo_cache_bytes(a->geo) +
	    fold_bytes(a->fold) + fold_ndests(a->fold) * DEST_ROW + fold_nports(a->fold) * PORT_ROW +
	    2 * 65536 * sizeof(uint32_t);	/* and the port table's index */

	if (a->scanner != NULL)
		n += scanner_bytes(a->scanner);
	if (a->findex != NULL)
		n += findex_bytes(a->findex);
	/* The triage cache past what per_flow() reserved for it (the workbench keeps ids of
	 * flows gone). */
	size_t triage = analysis_triage_held(a);
	size_t reserved = analysis_triage_bytes(held) * 9 / 8;
	if (triage > reserved)
		n += triage - reserved;
	return n;
}

/* A flow leaves: its state goes into the totals and findings, its id is freed. */
static void
fold_one(struct analysis *a, struct flow *f)
{
	struct analysis_mem *m = &a->mem;
	struct flow_triage t;
	struct find_ends e;
	uint32_t id = f->id;

	/* What the scanner held back is read first: it may still give findings. */
	if (a->scanner != NULL)
		scanner_fold(a->scanner, id, f->app);
	triage_flow(a, f, &t);
	fold_flow(a->fold, f, &t);
	memset(&e, 0, sizeof e);
	e.a = f->key.a;
	e.b = f->key.b;
	e.pa = f->key.pa;
	e.pb = f->key.pb;
	e.proto = f->key.proto;
	e.ipver = f->key.ipver;
	e.dev[0] = f->dev[0];
	e.dev[1] = f->dev[1];
	findings_fold(a->findings, id, &e);
	if (a->findex != NULL)
		findex_drop(a->findex, id);
	analysis_triage_drop(a, id);
	/* Exactly what charge_flow() and app_dispatch() added for it. */
	for (int d = 0; d < 2; d++) {
		if (a->opts.entropy == ENTROPY_THREAD)
			m->hist -= mem_hist_cost(f->payload_cap[d]);
		const struct hist *h = f->ext != NULL ? reader_hist_get(a, f->ext, d, 0) : NULL;
		if (h != NULL)
			m->hist -= (h->hot != NULL ? MEM_HIST_HOT : 0) +
			    (h->cold != NULL ? MEM_HIST_COLD : 0);
	}
	if (f->ext != NULL && f->ext->own != NULL && hcount_running(a->hcount))
		m->hist -= 2 * sizeof *f->ext->own + 16;
	if (f->app != NULL)
		m->apps -= mem_app_cost(f->app);
	flow_remove(a->flows, f);
}

static void
fold_down(struct analysis *a, size_t target, const struct flow *keep)
{
	char lim[32];

	/* The counting thread may still be writing their histograms: let it finish. */
	hcount_sync(a->hcount);
	while (flow_count(a->flows) > target) {
		struct flow *f = flow_victim(a->flows);
		if (f == NULL)
			break;
		if (f == keep) {
			if (flow_count(a->flows) == 1)
				break;
			f->ref = 1;		/* passed by once more */
			continue;
		}
		fold_one(a, f);
	}
	warn_set(&a->warn, &a->mem.warn_fold, WARN_WARNING, "%" PRIu64 " flows folded into their "
	    "devices', destinations' and ports' totals to stay within %s of memory (the longest "
	    "idle first; the flows table lists those still held, findings stay, their packets "
	    "can no longer be read back)", fold_count(a->fold), size_str(a->mem.limit, lim,
	    sizeof lim));
}

void
mem_check(struct analysis *a, const struct flow *keep)
{
	struct analysis_mem *m = &a->mem;
	const size_t F = sizeof(struct flow), P = per_flow();
	char b1[32], b2[32], b3[32];

	m->tick = 0;
	if (!m->started) {
		/* The vendor registry is read for every report: before the baseline, not after. */
		oui_load(a->oui);
		m->started = 1;
		m->base = resident();
	}
	if (m->slow_tick == 0) {
		m->slow_tick = MEM_SLOW;
		m->devices = device_table_bytes(a->devices);
	}
	m->slow_tick--;
	size_t other = tables(a), cap = flow_capacity(a->flows), held = flow_count(a->flows);
	m->est = m->base + other + cap * F + held * P;
	/*
	 * The flows that fit: the slots already allocated stay (they are reused), so up to
	 * their number a flow costs P; past it F + P.
	 */
	uint64_t budget = m->limit > m->base ? m->limit - m->base : 0, fit = 0;
	if (budget > other) {
		uint64_t avail = budget - other;
		fit = avail > cap * F ? (avail - cap * F) / P : 0;
		if (fit > cap)
			fit = avail / (F + P);
	}
	if (fit < MEM_FLOOR) {
		fit = MEM_FLOOR;
		warn_set(&a->warn, &m->warn_tight, WARN_WARNING, "the memory limit of %s leaves "
		    "no room for flows: iotscope held %s before reading packets and its other "
		    "tables take %s; %d flows are kept regardless", size_str(m->limit, b1,
		    sizeof b1), size_str(m->base, b2, sizeof b2), size_str(other, b3, sizeof b3),
		    MEM_FLOOR);
	}
	m->held_cap = (size_t)fit;
	/*
	 * Down to a thirty-second below (an eighth when few fit): the next round waits for
	 * that many new flows, so its wait for the counting thread is paid once for them all.
	 * Not more: the clock's order is the slots' among flows it found unmarked, so a
	 * round that takes much of the table takes flows barely idle.
	 */
	if (held > m->held_cap)
		fold_down(a, m->held_cap - (m->held_cap >= 1024 ? m->held_cap / 32 :
		    m->held_cap / 8), keep);
}

const struct fold *
analysis_fold(const struct analysis *a)
{
	return a->fold;
}

uint64_t
analysis_max_memory(const struct analysis *a)
{
	return a->mem.limit;
}

size_t
analysis_memory_estimate(const struct analysis *a)
{
	return a->mem.est;
}

int
analysis_finding_ends(const struct analysis *a, const struct finding *fd, struct find_ends *out)
{
	const struct find_ends *e = findings_ends(a->findings, fd);

	if (e != NULL) {
		*out = *e;
		return 0;
	}
	if (fd->type == NULL || fd->flow >= flow_slots(a->flows))
		return -1;
	const struct flow *f = flow_get(a->flows, fd->flow);
	if (!flow_held(f))
		return -1;
	memset(out, 0, sizeof *out);
	out->a = f->key.a;
	out->b = f->key.b;
	out->pa = f->key.pa;
	out->pb = f->key.pb;
	out->proto = f->key.proto;
	out->ipver = f->key.ipver;
	out->dev[0] = f->dev[0];
	out->dev[1] = f->dev[1];
	return 0;
}
