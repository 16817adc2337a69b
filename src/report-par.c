/*
 * report-par.c — a report section's records formatted on worker threads (see report-par.h).
 * Ranges are claimed in order from a window a few ranges ahead of the writer, so memory stays
 * bounded whatever the section's size.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "report-par.h"
#include "xalloc.h"

/* Ranges below which no thread starts. */
#define PAR_MIN_RANGES	4
#define PAR_THREADS_MAX	4

struct par_slot {
	struct obuf_mem	 out;
	size_t		 nrec;
	int		 done;
};

/*
 * Shared between the writer and the workers, under mu: next, written and every slot's done
 * flag.  A slot's out and nrec belong to the worker that claimed its range until done is set,
 * then to the writer until written passes it.
 */
struct par {
	pthread_mutex_t	 mu;
	pthread_cond_t	 ready;		/* a range is done */
	pthread_cond_t	 room;		/* the writer moved on: a slot is free */
	size_t		 n, nranges, window;
	size_t		 next;		/* the next range to claim */
	size_t		 written;	/* ranges emitted */
	struct par_slot	*slot;		/* [window], range k in slot k % window */
	par_format_fn	*fmt;
	void		*ctx;
};

static void
format_range(struct par *p, size_t k)
{
	struct par_slot *s = &p->slot[k % p->window];
	size_t from = k * REPORT_PAR_RANGE, to = from + REPORT_PAR_RANGE < p->n ? from + REPORT_PAR_RANGE : p->n;

	s->out.n = 0;
	s->nrec = p->fmt(p->ctx, from, to, &s->out);
}

static void *
worker(void *arg)
{
	struct par *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->next < p->nranges && p->next >= p->written + p->window)
			pthread_cond_wait(&p->room, &p->mu);
		if (p->next >= p->nranges)
			break;
		size_t k = p->next++;
		pthread_mutex_unlock(&p->mu);
		format_range(p, k);
		pthread_mutex_lock(&p->mu);
		p->slot[k % p->window].done = 1;
		pthread_cond_broadcast(&p->ready);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int
run_inline(struct par *p, par_emit_fn *emit)
{
	int rc = 0;

	for (size_t k = 0; k < p->nranges; k++) {
		format_range(p, k);
		struct par_slot *s = &p->slot[0];
		if (emit(p->ctx, s->out.p, s->out.n, s->nrec) < 0)
			rc = -1;
	}
	return rc;
}

int
report_par(size_t n, par_format_fn *fmt, par_emit_fn *emit, void *ctx)
{
	struct par p = { .n = n, .nranges = (n + REPORT_PAR_RANGE - 1) / REPORT_PAR_RANGE, .fmt = fmt,
	    .ctx = ctx };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = p.nranges < PAR_MIN_RANGES || cpus < 2 ? 0 :
	    cpus > PAR_THREADS_MAX ? PAR_THREADS_MAX : (size_t)cpus;
	pthread_t th[PAR_THREADS_MAX];
	size_t started = 0;
	int rc = 0;

	p.window = nt == 0 ? 1 : nt + 2;
	p.slot = xcalloc(p.window, sizeof *p.slot);
	if (nt > 0) {
		pthread_mutex_init(&p.mu, NULL);
		pthread_cond_init(&p.ready, NULL);
		pthread_cond_init(&p.room, NULL);
		for (size_t t = 0; t < nt && pthread_create(&th[t], NULL, worker, &p) == 0; t++)
			started++;
	}
	if (started == 0)
		rc = run_inline(&p, emit);
	else {
		for (size_t k = 0; k < p.nranges; k++) {
			struct par_slot *s = &p.slot[k % p.window];
			pthread_mutex_lock(&p.mu);
			while (!s->done)
				pthread_cond_wait(&p.ready, &p.mu);
			pthread_mutex_unlock(&p.mu);
			if (emit(ctx, s->out.p, s->out.n, s->nrec) < 0)
				rc = -1;
			pthread_mutex_lock(&p.mu);
			s->done = 0;
			p.written++;
			pthread_cond_broadcast(&p.room);
			pthread_mutex_unlock(&p.mu);
		}
		for (size_t t = 0; t < started; t++)
			pthread_join(th[t], NULL);
	}
	if (nt > 0) {
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.ready);
		pthread_cond_destroy(&p.room);
	}
	for (size_t i = 0; i < p.window; i++)
		free(p.slot[i].out.p);
	free(p.slot);
	return rc;
}
