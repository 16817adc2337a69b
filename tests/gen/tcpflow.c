/*
 * tcpflow.c — the TCP step machine.  Sequence and acknowledgement numbers follow every byte, SYN
 * and FIN; a pure ACK is only sent when there is new data to acknowledge, so analysers see no
 * duplicate ACKs, window updates or retransmissions that a real stack would not have produced.
 */
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "tcpflow.h"

#define DELACK_NS	40000000ull	/* Linux's minimum delayed-ACK timeout */

enum {
	ST_SYN,
	ST_SYNACK,
	ST_ACK3,
	ST_DATA,
	ST_FIN1,
	ST_FIN2,
	ST_LASTACK,
	ST_DONE
};

void
tcpflow_init(struct tcpflow *t, struct rng *r, const struct pool *pl, int v6, int ts_opt,
    int (*next)(void *, struct msg *), void *ctx)
{
	memset(t, 0, sizeof *t);
	t->rng = r;
	t->pool = pl;
	t->v6 = v6;
	t->ts_opt = ts_opt;
	t->mss_opt = v6 ? 1440 : 1460;
	t->mss = (uint16_t)(t->mss_opt - (ts_opt ? 12 : 0));
	t->wscale[0] = 7;
	t->wscale[1] = (uint8_t)rng_range(r, 7, 9);
	t->synwin[0] = 64240;
	t->synwin[1] = ts_opt ? 65160 : 64240;
	t->win[0] = (uint16_t)rng_range(r, 500, 512);
	t->win[1] = (uint16_t)(t->wscale[1] == 7 ? rng_range(r, 500, 512) :
	    rng_range(r, 120, 260));
	for (int i = 0; i < 2; i++) {
		t->nxt[i] = rng_u32(r);
		t->tsbase[i] = rng_u32(r);
	}
	t->state = ST_SYN;
	t->ack_due = -1;
	t->ack_every = 2;
	t->rtt_ns = rng_range64(r, 12000000, 90000000);
	t->lan_ns = rng_range64(r, 80000, 900000);
	t->gap_ns = rng_range64(r, 40000, 300000);
	t->next = next;
	t->ctx = ctx;
}

static uint64_t
jitter(struct rng *r, uint64_t d)
{
	return d - d / 4 + rng_range64(r, 0, d / 2);
}

/* Writes the options end `from` puts on a segment; returns their length. */
static size_t
tcp_opts(struct tcpflow *t, int from, int syn, uint64_t now, uint8_t *o)
{
	uint32_t tsval = t->tsbase[from] + (uint32_t)(now / 1000000);
	size_t n = 0;

	if (syn) {
		o[n++] = 2;
		o[n++] = 4;
		put_be16(o + n, t->mss_opt);
		n += 2;
		if (t->ts_opt) {
			o[n++] = 4;
			o[n++] = 2;
			o[n++] = 8;
			o[n++] = 10;
			put_be32(o + n, tsval);
			put_be32(o + n + 4, from ? t->tsrecent[1] : 0);
			n += 8;
			o[n++] = 1;
			o[n++] = 3;
			o[n++] = 3;
			o[n++] = t->wscale[from];
		} else {
			o[n++] = 1;
			o[n++] = 3;
			o[n++] = 3;
			o[n++] = t->wscale[from];
			o[n++] = 1;
			o[n++] = 1;
			o[n++] = 4;
			o[n++] = 2;
		}
	} else if (t->ts_opt) {
		o[n++] = 1;
		o[n++] = 1;
		o[n++] = 8;
		o[n++] = 10;
		put_be32(o + n, tsval);
		put_be32(o + n + 4, t->tsrecent[from]);
		n += 8;
	}
	if (t->ts_opt)
		t->tsrecent[!from] = tsval;
	return n;
}

/* Delay between a packet from `prev` and the next one from `next`, as seen at the router. */
static uint64_t
turn_delay(struct tcpflow *t, int prev, int next)
{
	if (prev == 0 && next == 1)
		return t->rtt_ns;
	if (prev == 1 && next == 0)
		return t->lan_ns;
	return t->gap_ns;
}

static void
fetch_msg(struct tcpflow *t)
{
	t->have_msg = t->next(t->ctx, &t->m);
	t->off = 0;
	if (t->have_msg && t->m.len == 0)
		t->have_msg = 0;
}

/*
 * Emits the connection's next frame into f (PB_FRAME_MAX bytes), stamped at now; sets *delay
 * to the time until the one after.  Returns 1 while frames remain, 0 after the last.
 */
int
tcpflow_step(struct tcpflow *t, uint64_t now, uint8_t *f, size_t *len, uint64_t *delay)
{
	struct tcpseg s;
	uint8_t opt[40];
	uint64_t d = 0;
	uint32_t n = 0;
	int from = 0, syn = 0;

	memset(&s, 0, sizeof s);
	switch (t->state) {
	case ST_SYN:
		from = 0;
		syn = 1;
		s.flags = TH_SYN;
		t->state = ST_SYNACK;
		break;
	case ST_SYNACK:
		from = 1;
		syn = 1;
		s.flags = TH_SYN | TH_ACK;
		t->state = ST_ACK3;
		break;
	case ST_ACK3:
		from = 0;
		s.flags = TH_ACK;
		t->state = ST_DATA;
		fetch_msg(t);
		break;
	case ST_DATA:
		if (t->ack_due >= 0) {
			from = t->ack_due;
			s.flags = TH_ACK;
			t->unacked[from] = 0;
			t->ack_due = -1;
			t->ack_eom = 0;
			break;
		}
		from = t->m.dir;
		n = t->m.len - t->off < t->mss ? t->m.len - t->off : t->mss;
		s.flags = TH_ACK;
		break;
	case ST_FIN1:
		from = t->closer;
		s.flags = TH_FIN | TH_ACK;
		t->state = ST_FIN2;
		break;
	case ST_FIN2:
		from = !t->closer;
		s.flags = TH_FIN | TH_ACK;
		t->state = ST_LASTACK;
		break;
	case ST_LASTACK:
		from = t->closer;
		s.flags = TH_ACK;
		t->state = ST_DONE;
		break;
	default:
		*len = 0;
		*delay = 0;
		return 0;
	}

	s.optlen = tcp_opts(t, from, syn, now, opt);
	s.opt = opt;
	s.seq = t->nxt[from];
	s.ack = (s.flags & TH_ACK) ? t->nxt[!from] : 0;
	s.win = syn ? t->synwin[from] : t->win[from];
	if (n > 0) {
		size_t at = pb_tcp_payload_off(t->v6, s.optlen);

		payload_fill(&t->m, t->off, f + at, n, t->pool, t->rng);
		t->off += n;
		if (t->off == t->m.len)
			s.flags |= TH_PSH;
	}
	*len = pb_tcp(f, &t->end[from], &t->end[!from], t->v6, &s, NULL, n);
	t->nxt[from] += n + (syn ? 1 : 0) + ((s.flags & TH_FIN) ? 1 : 0);

	/* What comes next, and when. */
	if (n > 0) {
		int rcv = !from;

		t->unacked[rcv]++;
		if (t->off == t->m.len) {
			/*
			 * The receiver acks at once when nothing follows, piggybacks when it
			 * speaks next, and otherwise acks as its delayed-ACK timer would.
			 */
			fetch_msg(t);
			if (!t->have_msg || (t->m.dir != rcv && (t->m.delay_ns >= DELACK_NS ||
			    t->unacked[rcv] >= t->ack_every))) {
				t->ack_due = rcv;
				t->ack_eom = 1;
			}
		} else if (t->unacked[rcv] >= t->ack_every)
			t->ack_due = rcv;
	}
	if (t->state == ST_DATA && t->ack_due < 0 && !t->have_msg)
		t->state = ST_FIN1;

	switch (t->state) {
	case ST_SYNACK:
		d = t->rtt_ns;
		break;
	case ST_ACK3:
		d = t->lan_ns;
		break;
	case ST_DATA:
		if (t->ack_due >= 0 && t->ack_eom) {
			/* The server's ACK needs a round trip to reach the router. */
			d = t->ack_due == 1 ? t->rtt_ns : t->lan_ns;
			if (t->unacked[t->ack_due] < 2)
				d += DELACK_NS;
		} else if (t->ack_due >= 0)
			d = t->gap_ns / 2;
		else if (t->off == 0)
			d = turn_delay(t, from, t->m.dir) + t->m.delay_ns;
		else
			d = t->gap_ns;
		break;
	case ST_FIN1:
		d = turn_delay(t, from, t->closer) + t->lan_ns;
		break;
	case ST_FIN2:
		d = t->closer == 0 ? t->rtt_ns : t->lan_ns;
		break;
	case ST_LASTACK:
		d = t->closer == 0 ? t->lan_ns : t->rtt_ns;
		break;
	default:
		break;
	}
	*delay = jitter(t->rng, d);
	return t->state != ST_DONE;
}
