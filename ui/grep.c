/*
 * grep.c — the headless payload search (see grep.h).  Output, one block per flow:
 *
 *	T 192.168.1.20:45470 -> 3.121.45.16:80  flow 9  HTTP  1 match
 *	  > 2026-03-14T09:00:11.053974Z +134  ...context[match]context...
 *
 * '>' is initiator → responder, '<' the answer; +N is the match's offset in that direction's
 * stream.  Everything from the payload is escaped (\xNN), so the output is safe on a terminal.
 */
#include "config.h"

#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "analysis.h"
#include "esc.h"
#include "findex.h"
#include "flow.h"
#include "grep.h"
#include "report.h"
#include "rx.h"
#include "stream.h"
#include "triage.h"

#define GREP_MATCHES_MAX	1000	/* per flow; the rest are counted as "+" */
#define GREP_CONTEXT		32

/* Bytes [from, to) of a turn, escaped, NULs and all. */
static void
put_bytes(FILE *out, struct conv *c, struct analysis *a, size_t turn, uint64_t from,
    uint64_t to)
{
	uint8_t buf[512];
	char err[128], one[2] = { 0, 0 };

	while (from < to) {
		size_t want = to - from < sizeof buf ? (size_t)(to - from) : sizeof buf;
		ssize_t n = conv_read(c, a, turn, from, buf, want, err, sizeof err);
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == 0) {
				fputs("\\x00", out);
				continue;
			}
			one[0] = (char)buf[i];
			esc_fputs(out, one, ESC_TEXT);
		}
		from += (uint64_t)n;
	}
}

int
grep_run(struct analysis *a, const char *regex, FILE *out, char *err, size_t errlen)
{
	struct rx *rx = rx_new(regex, 0, err, errlen);
	const struct findex *x = analysis_findex(a);
	const struct flow_table *ft = analysis_flows(a);
	uint64_t total = 0, flows = 0;
	char s[80], d[80], t[40], pb[32];

	if (rx == NULL)
		return -1;
	for (size_t i = 0; x != NULL && i < flow_slots(ft); i++) {
		if (findex_count(x, (uint32_t)i) == 0)
			continue;
		struct conv c;
		struct conv_match *m = NULL;
		size_t nm = 0;
		char e[256];
		memset(&c, 0, sizeof c);
		if (conv_build(&c, a, (uint32_t)i) < 0)
			continue;
		long rc = conv_search(&c, a, rx, &m, &nm, GREP_MATCHES_MAX, e, sizeof e);
		if (nm > 0) {
			const struct flow *f = flow_get(ft, i);
			const char *pn = triage_proto(analysis_triage(a, f), pb, sizeof pb);
			flow_endpoint_str(f, 0, s, sizeof s);
			flow_endpoint_str(f, 1, d, sizeof d);
			/* T, U, I: the transport, as ngrep marks its packets. */
			int tp = f->key.proto == IPPROTO_TCP ? 'T' : f->key.proto == IPPROTO_UDP ?
			    'U' : f->key.proto == IPPROTO_ICMP || f->key.proto == IPPROTO_ICMPV6 ?
			    'I' : '?';
			fprintf(out, "%c %s -> %s  flow %zu  %s  %zu match%s%s\n", tp, s, d, i,
			    pn != NULL ? pn : "-", nm, nm == 1 ? "" : "es",
			    nm >= GREP_MATCHES_MAX ? "+" : "");
			for (size_t k = 0; k < nm; k++) {
				const struct conv_turn *tr = &c.turn[m[k].turn];
				uint64_t from = m[k].off > GREP_CONTEXT ? m[k].off - GREP_CONTEXT : 0;
				uint64_t end = m[k].off + m[k].len;
				uint64_t to = tr->len - end > GREP_CONTEXT ? end + GREP_CONTEXT : tr->len;
				fprintf(out, "  %c %s +%" PRIu64 "  ", tr->dir == 0 ? '>' : '<',
				    report_time(tr->ts_ns, 6, t, sizeof t), tr->stream_off + m[k].off);
				put_bytes(out, &c, a, m[k].turn, from, m[k].off);
				fputc('[', out);
				put_bytes(out, &c, a, m[k].turn, m[k].off, end);
				fputc(']', out);
				put_bytes(out, &c, a, m[k].turn, end, to);
				fputc('\n', out);
			}
			total += nm;
			flows++;
		}
		if (rc < 0) {
			fprintf(out, "  (flow %zu: ", i);
			esc_fputs(out, e, ESC_TEXT);
			fputs(")\n", out);
		}
		conv_free(&c);
		free(m);
	}
	rx_free(rx);
	fprintf(out, "%" PRIu64 " matches in %" PRIu64 " flows\n", total, flows);
	return 0;
}
