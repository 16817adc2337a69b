/*
 * scen-synflood.c — --flows distinct TCP connection attempts (default 10000), as a compromised
 * camera scanning or flooding looks: four LAN stations each send SYNs from ports counting up
 * to addresses of a pool of 4096 public ones (20.x.y.7) on random ports; one attempt in eight
 * gets a RST back.  One packet every 10 µs.  For the bounded-memory tests (--max-memory):
 * flows without end, no payload, each one new.
 *
 * The --truth file:
 *   count   packets=N  wire_bytes=B  flows=F
 *   device  mac=M  ip=A  packets_sent=N  bytes_sent=B  packets_received=N  bytes_received=B
 * bytes are wire lengths, as the capture records them.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "rng.h"
#include "scen.h"
#include "sink.h"

#define SF_HOSTS	4
#define SF_POOL		4096
#define SF_GAP_NS	10000

static const uint8_t sf_router[6] = { 0x02, 0x53, 0x46, 0x00, 0x00, 0xfe };

struct sf_host {
	struct ep	 ep;
	uint64_t	 pkts[2], bytes[2];	/* 0: sent, 1: received */
};

int
scen_synflood(const struct gen_opts *o, FILE *out, FILE *truth, struct gen_stats *st)
{
	static const uint8_t mss[4] = { 2, 4, 0x05, 0xb4 };
	struct sf_host h[SF_HOSTS];
	struct sink sink;
	struct rng rng;
	struct ep remote;
	uint8_t frame[PB_FRAME_MAX];
	uint64_t ts = T0_NS, wire;
	int err = 0;

	rng_seed(&rng, o->seed, 7);
	memset(h, 0, sizeof h);
	for (int i = 0; i < SF_HOSTS; i++) {
		uint8_t mac[6] = { 0x02, 0x53, 0x46, 0x00, 0x00, (uint8_t)(0x10 + i) };
		memcpy(h[i].ep.mac, mac, 6);
		h[i].ep.ip[0] = 192;
		h[i].ep.ip[1] = 168;
		h[i].ep.ip[2] = 7;
		h[i].ep.ip[3] = (uint8_t)(10 + i);
		h[i].ep.ttl = 64;
	}
	memset(&remote, 0, sizeof remote);
	memcpy(remote.mac, sf_router, 6);
	remote.ttl = 49;
	if (sink_open(&sink, out, o->fmt, o->link, sf_router, o->snaplen) != 0)
		return -1;
	for (uint32_t i = 0; i < o->flows && !err; i++) {
		struct sf_host *s = &h[i % SF_HOSTS];
		uint32_t j = i / SF_HOSTS, k = j % SF_POOL;
		struct tcpseg t;
		size_t len;

		/* (host, port, address) never repeats below 4 × 4096 × 64512 attempts. */
		s->ep.port = (uint16_t)(1024 + (j / SF_POOL) % 64512);
		s->ep.ipid = (uint16_t)i;
		remote.ip[0] = 20;
		remote.ip[1] = (uint8_t)(k >> 8);
		remote.ip[2] = (uint8_t)k;
		remote.ip[3] = 7;
		remote.port = (uint16_t)(1 + rng_next(&rng) % 65535);
		memset(&t, 0, sizeof t);
		t.flags = TH_SYN;
		t.seq = (uint32_t)rng_next(&rng);
		t.win = 64240;
		t.opt = mss;
		t.optlen = sizeof mss;
		len = pb_tcp(frame, &s->ep, &remote, 0, &t, NULL, 0);
		wire = sink.wire_bytes;
		err |= sink_frame(&sink, ts, frame, len) != 0;
		s->pkts[0]++;
		s->bytes[0] += sink.wire_bytes - wire;
		ts += SF_GAP_NS;
		if (j % 8 == 5) {
			struct tcpseg r;
			memset(&r, 0, sizeof r);
			r.flags = TH_RST | TH_ACK;
			r.ack = t.seq + 1;
			remote.ipid = (uint16_t)(i * 7);
			len = pb_tcp(frame, &remote, &s->ep, 0, &r, NULL, 0);
			wire = sink.wire_bytes;
			err |= sink_frame(&sink, ts, frame, len) != 0;
			s->pkts[1]++;
			s->bytes[1] += sink.wire_bytes - wire;
			ts += SF_GAP_NS;
		}
	}
	st->packets = sink.frames;
	st->file_bytes = sink.w.file_bytes;
	st->flows = o->flows;
	st->first_ns = T0_NS;
	st->last_ns = ts;
	if (sink_close(&sink) != 0)
		err = 1;
	if (truth != NULL) {
		fprintf(truth, "# gen-capture synflood ground truth; layout in "
		    "tests/gen/scen-synflood.c\n");
		fprintf(truth, "count\tpackets=%" PRIu64 "\twire_bytes=%" PRIu64 "\tflows=%" PRIu32
		    "\n", sink.frames, sink.wire_bytes, o->flows);
		for (int i = 0; i < SF_HOSTS; i++)
			fprintf(truth, "device\tmac=02:53:46:00:00:%02x\tip=192.168.7.%d\t"
			    "packets_sent=%" PRIu64 "\tbytes_sent=%" PRIu64 "\tpackets_received=%"
			    PRIu64 "\tbytes_received=%" PRIu64 "\n", 0x10 + i, 10 + i, h[i].pkts[0],
			    h[i].bytes[0], h[i].pkts[1], h[i].bytes[1]);
	}
	return err ? -1 : 0;
}
