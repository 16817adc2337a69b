/*
 * sched.c — a binary min-heap of flows keyed by the time of their next frame.  Emission times are
 * whole microseconds and strictly increasing, so a microsecond pcap keeps a strict order and
 * every --format holds exactly the same instants.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"
#include "xmem.h"

struct flow *
flow_new(void)
{
	return xcalloc(1, sizeof(struct flow));
}

void
flow_free(struct flow *f)
{
	if (f == NULL)
		return;
	free(f->fbuf);
	free(f->fr);
	free(f);
}

/* Appends a prebuilt frame sent delay_ns after the flow's previous one (ignored for the first). */
void
flow_add_frame(struct flow *f, uint64_t delay_ns, const uint8_t *frame, size_t len)
{
	if (f->nfr == f->frcap) {
		f->frcap = f->frcap ? f->frcap * 2 : 4;
		f->fr = xrealloc(f->fr, f->frcap * sizeof *f->fr);
	}
	if (f->fbuf_len + len > f->fbuf_cap) {
		while (f->fbuf_len + len > f->fbuf_cap)
			f->fbuf_cap = f->fbuf_cap ? f->fbuf_cap * 2 : 512;
		f->fbuf = xrealloc(f->fbuf, f->fbuf_cap);
	}
	memcpy(f->fbuf + f->fbuf_len, frame, len);
	f->fr[f->nfr].off = (uint32_t)f->fbuf_len;
	f->fr[f->nfr].len = (uint32_t)len;
	f->fr[f->nfr].delay_ns = delay_ns;
	f->nfr++;
	f->fbuf_len += len;
}

void
sched_init(struct sched *s, struct sink *out)
{
	memset(s, 0, sizeof *s);
	s->out = out;
}

void
sched_fini(struct sched *s)
{
	for (size_t i = 0; i < s->n; i++)
		flow_free(s->heap[i]);
	free(s->heap);
	s->heap = NULL;
	s->n = 0;
}

static int
flow_before(const struct flow *a, const struct flow *b)
{
	if (a->next_ts != b->next_ts)
		return a->next_ts < b->next_ts;
	return a->order < b->order;
}

static void
heap_push(struct sched *s, struct flow *f)
{
	size_t i;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->heap = xrealloc(s->heap, s->cap * sizeof *s->heap);
	}
	i = s->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!flow_before(f, s->heap[parent]))
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = f;
}

static struct flow *
heap_pop(struct sched *s)
{
	struct flow *top = s->heap[0], *last = s->heap[--s->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= s->n)
			break;
		if (c + 1 < s->n && flow_before(s->heap[c + 1], s->heap[c]))
			c++;
		if (!flow_before(s->heap[c], last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->n > 0)
		s->heap[i] = last;
	return top;
}

/* Schedules flow f to send its first frame at start_ns; the scheduler owns it from now on. */
void
sched_add(struct sched *s, struct flow *f, uint64_t start_ns)
{
	f->next_ts = start_ns;
	f->order = s->order++;
	heap_push(s, f);
}

/* One frame of f at time now; returns 1 while f has more. */
static int
flow_step(struct flow *f, uint64_t now, uint8_t *frame, size_t *len, uint64_t *delay)
{
	if (f->fi < f->nfr) {
		const struct flow_frame *fr = &f->fr[f->fi++];

		memcpy(frame, f->fbuf + fr->off, fr->len);
		*len = fr->len;
		if (f->fi < f->nfr) {
			*delay = f->fr[f->fi].delay_ns;
			return 1;
		}
		*delay = f->tcp_delay_ns;
		return f->has_tcp;
	}
	if (f->has_tcp)
		return tcpflow_step(&f->tcp, now, frame, len, delay);
	*len = 0;
	*delay = 0;
	return 0;
}

/*
 * Runs until no flow is left.  done (may be NULL) is called with each finished flow and the
 * time of its last frame, and owns it from then on; it may add new flows.  Returns -1 if the
 * output failed.
 */
int
sched_run(struct sched *s, void (*done)(void *, struct sched *, struct flow *, uint64_t),
    void *ctx)
{
	while (s->n > 0) {
		struct flow *f = heap_pop(s);
		uint64_t ts = f->next_ts / 1000 * 1000, delay;
		size_t len;
		int more;

		if (ts <= s->last_ts)
			ts = s->last_ts + 1000;
		more = flow_step(f, ts, s->frame, &len, &delay);
		if (len > 0) {
			if (sink_frame(s->out, ts, s->frame, len) != 0)
				return -1;
			s->last_ts = ts;
			f->wire_bytes += len;
			f->packets++;
		}
		if (more) {
			f->next_ts = ts + delay;
			heap_push(s, f);
		} else if (done != NULL)
			done(ctx, s, f, ts);
		else
			flow_free(f);
	}
	return 0;
}
