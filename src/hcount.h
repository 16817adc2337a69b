/*
 * hcount.h — byte counting for the entropy figures on a second thread.
 *
 * Counting every payload byte into its flow's histogram costs about as much as the rest of
 * the analysis together (measured: 0.28x the plain read loop with it inline, against 0.6x
 * without), so the analysis thread copies each payload into a ring and a worker thread counts;
 * when the worker falls a whole ring behind, the analysis thread counts into histograms of
 * its own instead of waiting (the figures add both).
 *
 * What is shared and how: the ring (one producer, the analysis thread; one consumer, the
 * worker) with its head and tail as C11 atomics; every struct hist handed to hcount_add() is
 * written only by the worker from then on, and may be read by others only after hcount_sync()
 * returned (which waits until the worker has counted everything queued so far).  Sleeping on
 * either side goes through one mutex and two condition variables.  Without threads (creation
 * failed) it counts inline.
 */
#ifndef IOT_HCOUNT_H
#define IOT_HCOUNT_H

#include "entropy.h"
#include "reader.h"

struct hcount;

/*
 * threaded 0: no worker, every byte is counted by the caller (hcount_try_add says -1).  The
 * worker starts with the first span queued, not here (see hcount.c: started).
 */
struct hcount	*hcount_new(int threaded);
/* Counts what is queued, stops the worker and frees everything. */
void		 hcount_free(struct hcount *);
/* Queues s to be counted into h (copies the bytes: the packet buffer is reused). */
void		 hcount_add(struct hcount *, struct hist *h, struct span s);
/*
 * The same without waiting: -1 when the worker is a full ring behind (or there is no
 * worker), and the caller counts the bytes itself, into a histogram of its own, so both
 * cores stay busy and no histogram has two writers.
 */
int		 hcount_try_add(struct hcount *, struct hist *h, struct span s);
/*
 * 1 when a worker counts (known once a span was offered): when not, no histogram is ever
 * written by another thread, and the caller may count into the one it would have queued to.
 */
int		 hcount_running(const struct hcount *);
/* Returns once every byte queued before the call is counted. */
void		 hcount_sync(struct hcount *);

#endif
