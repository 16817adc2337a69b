/*
 * hcount.c — the counting thread and its ring (see hcount.h for what is shared).  Records
 * are { hist pointer, length } headers followed by the bytes, 8-aligned; a record never wraps:
 * at the end of the ring a header with a NULL histogram says "continue at the start".
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hcount.h"
#include "xalloc.h"

#define RING_SIZE	(8u << 20)	/* power of two */
#define SPIN		2000
#define PUBLISH_BYTES	(64u << 10)	/* hand over in batches: less cache-line traffic */

struct rec {
	struct hist	*h;		/* NULL: wrap to the start */
	uint64_t	 len;
};

/*
 * The producer's own fields, head and tail each on a cache line of their own: the producer
 * reads its fields for every packet, and a line the worker writes would bounce between the
 * cores each time.
 */
struct hcount {
	uint8_t		*ring;
	uint64_t	 local_head;	/* the producer's own, ahead of head until published */
	uint64_t	 cached_tail;	/* the producer's last look at tail: room it knows of */
	_Alignas(64) _Atomic uint64_t head;	/* written by the producer */
	_Alignas(64) _Atomic uint64_t tail;	/* written by the consumer */
	_Atomic int	 stop;
	_Atomic int	 consumer_sleeping;
	_Atomic int	 producer_waiting;
	pthread_mutex_t	 m;
	pthread_cond_t	 data, space;
	pthread_t	 thread;
	int		 threaded;
	int		 want_thread;	/* not started yet: the first span starts it */
};

/* 16-aligned, like the header: the space left before the ring's end is never too small
 * for a wrap marker. */
static size_t
rec_size(size_t len)
{
	return sizeof(struct rec) + ((len + 15) & ~(size_t)15);
}

/*
 * Sleeps on cv for at most ms milliseconds: the flags make a lost wake-up impossible in
 * principle, the timeout makes it harmless in practice.
 */
static void
nap(pthread_cond_t *cv, pthread_mutex_t *m, long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(cv, m, &ts);
}

static void *
worker(void *arg)
{
	struct hcount *c = arg;
	uint64_t tail = atomic_load(&c->tail);

	for (;;) {
		uint64_t head = atomic_load_explicit(&c->head, memory_order_acquire);
		if (head == tail) {
			int spins = 0;
			while ((head = atomic_load(&c->head)) == tail && spins++ < SPIN)
				;
			if (head == tail) {
				pthread_mutex_lock(&c->m);
				atomic_store(&c->consumer_sleeping, 1);
				/*
				 * A live capture may bring nothing for hours: the worker sleeps
				 * until published to (publish() cannot miss the flag, see there),
				 * waking once a second at most.
				 */
				while ((head = atomic_load(&c->head)) == tail && !atomic_load(&c->stop))
					nap(&c->data, &c->m, 1000);
				atomic_store(&c->consumer_sleeping, 0);
				pthread_mutex_unlock(&c->m);
				if (head == tail)
					break;		/* stopped with nothing left */
			}
		}
		while (tail != head) {
			const struct rec *r = (const struct rec *)(c->ring + (tail & (RING_SIZE - 1)));
			if (r->h == NULL) {
				tail += RING_SIZE - (tail & (RING_SIZE - 1));
				continue;
			}
			uint64_t next = tail + rec_size((size_t)r->len);
			/* Flows interleave: fetch the next record's bins while counting this one. */
			if (next != head && (next & (RING_SIZE - 1)) != 0) {
				const struct rec *q = (const struct rec *)(c->ring +
				    (next & (RING_SIZE - 1)));
				if (q->h != NULL)
					hist_prefetch(q->h);
			}
			struct span s = { (const uint8_t *)(r + 1), (size_t)r->len };
			entropy_count(r->h, s);
			tail = next;
		}
		/*
		 * Release, not a full barrier: should the producer start waiting just now and
		 * the flag be read stale, its nap times out within milliseconds.
		 */
		atomic_store_explicit(&c->tail, tail, memory_order_release);
		if (atomic_load_explicit(&c->producer_waiting, memory_order_relaxed)) {
			pthread_mutex_lock(&c->m);
			pthread_cond_broadcast(&c->space);
			pthread_mutex_unlock(&c->m);
		}
	}
	return NULL;
}

struct hcount *
hcount_new(int threaded)
{
	struct hcount *c = xaligned(64, sizeof *c);	/* zeroed; head and tail aligned */

	pthread_mutex_init(&c->m, NULL);
	pthread_cond_init(&c->data, NULL);
	pthread_cond_init(&c->space, NULL);
	/* Only the worker reads the ring: 8 MiB zeroed for nothing when counting inline. */
	if (threaded)
		c->ring = xaligned(64, RING_SIZE);
	c->want_thread = threaded;
	return c;
}

/*
 * Starts the worker with the first span rather than in hcount_new(): by then the front end
 * has confined the process (ui/sandbox.c), and Landlock confines only the thread that asks
 * and the threads it creates afterwards.  1 when a worker runs.
 */
static int
started(struct hcount *c)
{
	if (c->want_thread) {
		c->want_thread = 0;
		c->threaded = pthread_create(&c->thread, NULL, worker, c) == 0;
	}
	return c->threaded;
}

/* Hands the records up to local_head to the worker (see the worker's tail store on timing). */
static void
publish(struct hcount *c)
{
	atomic_store_explicit(&c->head, c->local_head, memory_order_release);
	/*
	 * Store head, then load the flag; the worker stores the flag, then loads head: with a
	 * full fence between on each side one of them sees the other's store, so a worker about
	 * to sleep is always woken (a store-load pair may otherwise be reordered, even on x86).
	 */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&c->consumer_sleeping, memory_order_relaxed)) {
		pthread_mutex_lock(&c->m);
		pthread_cond_signal(&c->data);
		pthread_mutex_unlock(&c->m);
	}
}

/* Waits until the ring has room for need bytes (or is empty, when need is 0). */
static void
wait_room(struct hcount *c, uint64_t head, size_t need)
{
	if (atomic_load_explicit(&c->head, memory_order_relaxed) != c->local_head)
		publish(c);		/* what the worker could be counting while we wait */
	for (int spins = 0; ; spins++) {
		uint64_t tail = atomic_load_explicit(&c->tail, memory_order_acquire);
		int ok = need == 0 ? tail == head : RING_SIZE - (head - tail) >= need;
		if (ok)
			return;
		if (spins < SPIN)
			continue;
		pthread_mutex_lock(&c->m);
		atomic_store(&c->producer_waiting, 1);
		tail = atomic_load(&c->tail);
		ok = need == 0 ? tail == head : RING_SIZE - (head - tail) >= need;
		if (!ok) {
			/* Make sure the worker is awake to drain. */
			pthread_cond_signal(&c->data);
			nap(&c->space, &c->m, 5);
		}
		atomic_store(&c->producer_waiting, 0);
		pthread_mutex_unlock(&c->m);
		spins = 0;
	}
}

/* A wrap marker at head, where too little room is left before the ring's end: the next head. */
static uint64_t
put_wrap(struct hcount *c, uint64_t head, size_t to_end)
{
	struct rec *w = (struct rec *)(c->ring + (head & (RING_SIZE - 1)));
	w->h = NULL;
	w->len = 0;
	return head + to_end;
}

/* The record for s at head, known to have room; published once a batch is full. */
static void
put_rec(struct hcount *c, uint64_t head, struct hist *h, struct span s, size_t need)
{
	struct rec *r = (struct rec *)(c->ring + (head & (RING_SIZE - 1)));
	r->h = h;
	r->len = s.n;
	memcpy(r + 1, s.p, s.n);
	c->local_head = head + need;
	if (c->local_head - atomic_load_explicit(&c->head, memory_order_relaxed) >= PUBLISH_BYTES)
		publish(c);
}

void
hcount_add(struct hcount *c, struct hist *h, struct span s)
{
	if (s.n == 0)
		return;
	if (!started(c) || s.n > RING_SIZE / 4) {
		/* No worker, or a jumbo payload: count it here, after what is queued. */
		hcount_sync(c);
		entropy_count(h, s);
		return;
	}
	uint64_t head = c->local_head;
	size_t need = rec_size(s.n);
	size_t to_end = RING_SIZE - (head & (RING_SIZE - 1));
	if (to_end < need) {
		/* Not enough room before the end: a wrap marker, then start over. */
		wait_room(c, head, to_end);
		head = c->local_head = put_wrap(c, head, to_end);
	}
	wait_room(c, head, need);
	put_rec(c, head, h, s, need);
}

int
hcount_try_add(struct hcount *c, struct hist *h, struct span s)
{
	if (s.n == 0)
		return 0;
	if (!started(c) || s.n > RING_SIZE / 4)
		return -1;
	uint64_t head = c->local_head;
	size_t need = rec_size(s.n);
	size_t to_end = RING_SIZE - (head & (RING_SIZE - 1));
	size_t total = need + (to_end < need ? to_end : 0);
	/* The worker's tail is read only when the room known from the last look runs out. */
	if (RING_SIZE - (head - c->cached_tail) < total) {
		c->cached_tail = atomic_load_explicit(&c->tail, memory_order_acquire);
		if (RING_SIZE - (head - c->cached_tail) < total) {
			if (atomic_load_explicit(&c->head, memory_order_relaxed) != c->local_head)
				publish(c);
			return -1;
		}
	}
	if (to_end < need)
		head = put_wrap(c, head, to_end);
	put_rec(c, head, h, s, need);
	return 0;
}

int
hcount_running(const struct hcount *c)
{
	return c->threaded;
}

void
hcount_sync(struct hcount *c)
{
	if (c->threaded)
		wait_room(c, c->local_head, 0);
}

void
hcount_free(struct hcount *c)
{
	if (c == NULL)
		return;
	if (c->threaded) {
		hcount_sync(c);
		pthread_mutex_lock(&c->m);
		atomic_store(&c->stop, 1);
		pthread_cond_signal(&c->data);
		pthread_mutex_unlock(&c->m);
		pthread_join(c->thread, NULL);
	}
	pthread_mutex_destroy(&c->m);
	pthread_cond_destroy(&c->data);
	pthread_cond_destroy(&c->space);
	free(c->ring);
	free(c);
}
