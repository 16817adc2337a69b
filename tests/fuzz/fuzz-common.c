/*
 * fuzz-common.c — one in-memory capture through the analysis and the reports.  The image is
 * written to a memfd so the real file path (bytesrc, libpcap, pcapng, gzip) is exercised; and
 * the small helpers of fuzz-common.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analysis.h"
#include "detect.h"
#include "findings.h"
#include "fuzz-common.h"
#include "patterns.h"
#include "report.h"
#include "scan.h"
#include "strpool.h"
#include "warn.h"

void
fuzz_analyse(const uint8_t *data, size_t size, int findings)
{
	/* Entropy counted inline: a thread per input would make runs irreproducible. */
	struct analysis_opts ao = { .oui_path = "/nonexistent", .entropy = ENTROPY_INLINE,
	    .no_findings = !findings };
	struct report_opts ro = { .format = REPORT_JSON };
	char path[64], err[256];
	int fd = fuzz_file(data, size, path, sizeof path);

	if (fd < 0)
		return;
	struct analysis *a = analysis_new(&ao);
	if (analysis_add_file(a, path, err, sizeof err) == 0)
		while (analysis_step(a, 4096))
			;
	FILE *null = fopen("/dev/null", "w");
	if (null != NULL) {
		report_json(a, &ro, NULL, null);
		report_text(a, &ro, NULL, null);
		fclose(null);
	}
	analysis_free(a);
	close(fd);
}

int
fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return -1;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

void
fuzz_flow_ports(const uint8_t *data, size_t size, const uint16_t *ports, size_t n)
{
	struct fuzz_in in = { data, size };
	uint8_t sel = fuzz_u8(&in);

	fuzz_flow(&in, !(sel & 0x80), ports[sel % n]);
}

uint8_t
fuzz_u8(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

int
fuzz_piece(struct fuzz_in *in, const uint8_t **b, size_t *n)
{
	if (in->n == 0)
		return 0;
	size_t len = (size_t)fuzz_u8(in) << 8;
	len |= fuzz_u8(in);
	if (len > in->n)
		len = in->n;
	*b = in->p;
	*n = len;
	in->p += len;
	in->n -= len;
	return 1;
}

void
fuzz_touch(const void *p, size_t n)
{
	const volatile uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum ^= b[i];
	*(volatile uint8_t *)&sum = sum;
}

static long
emit_found(void *ctx, int dir, const char *type, enum find_cat cat, enum find_sev sev,
    const uint8_t *value, size_t vlen, const char *user, const uint8_t *raw, size_t rawlen,
    uint64_t raw_off, const uint8_t *msg, size_t msglen)
{
	long *count = ctx;

	(void)dir, (void)cat, (void)sev, (void)raw_off;
	fuzz_touch(type, strlen(type));
	fuzz_touch(value, vlen);
	if (user != NULL)
		fuzz_touch(user, strlen(user));
	fuzz_touch(raw, rawlen);
	fuzz_touch(msg, msglen);
	return (*count)++;
}

static void
emit_outcome(void *ctx, long finding, int accepted)
{
	(void)ctx, (void)finding, (void)accepted;
}

void
fuzz_emitter(struct ext_emit *e, long *ctx)
{
	e->found = emit_found;
	e->outcome = emit_outcome;
	e->ctx = ctx;
}

const struct patset *
fuzz_patterns(void)
{
	static struct patset *ps;	/* kept for the process: compiled once, not per input */

	if (ps == NULL) {
		struct warnlist w;
		warn_init(&w);
		ps = patset_new();
		(void)patset_load(ps, SRCDATADIR "/patterns", &w);
		warn_fini(&w);
	}
	return ps;
}

void
fuzz_flow(struct fuzz_in *in, int tcp, uint16_t port)
{
	struct strpool *pool = strpool_new();
	struct findings *fs = findings_new(pool);
	struct warnlist w;
	struct flow_app app;
	uint32_t seq[2] = { 1000, 0x7ffffff0 }, prev[2] = { 1000, 0x7ffffff0 };
	uint64_t num = 0;
	const uint8_t *b;
	size_t n;

	warn_init(&w);
	struct scanner *sc = scanner_new(fuzz_patterns(), fs, &w);
	detect_init(&app);
	for (;;) {
		uint8_t ctl = fuzz_u8(in);
		if (!fuzz_piece(in, &b, &n))
			break;
		int dir = ctl & 1;
		if (ctl & 2)
			seq[dir] += ctl >> 2;
		uint32_t at = ctl & 0x80 ? prev[dir] : seq[dir];
		struct span s = { b, n };
		detect_packet(&app, pool, tcp, dir, at, s, 50000, port);
		struct scan_pkt sp = {
			.flow = ctl & 0x40 ? 1 : 0, .dir = (uint8_t)dir, .tcp = (uint8_t)tcp,
			.tcp_flags = ctl & 0x20 ? 0x01 : 0x18, .server_port = port,
			.client_port = 50000, .seq = at, .payload = s, .num = num,
			.ts_ns = (int64_t)num * 1000, .app = &app
		};
		scanner_packet(sc, &sp);
		num++;
		prev[dir] = at;
		if (at == seq[dir])
			seq[dir] += (uint32_t)n;
	}
	detect_guess(&app, tcp, 50000, port);
	const char *strs[] = { app.sni, app.alpn, app.http_method, app.http_host, app.http_ctype,
	    app.banner };
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		if (strs[i] != NULL)
			fuzz_touch(strs[i], strlen(strs[i]));
	scanner_finish(sc);
	for (size_t i = 0; i < findings_count(fs); i++) {
		const struct finding *f = findings_get(fs, i);
		const char *fstrs[] = { f->type, f->value, f->user, f->raw, f->before, f->after };
		for (size_t j = 0; j < sizeof fstrs / sizeof *fstrs; j++)
			if (fstrs[j] != NULL)
				fuzz_touch(fstrs[j], strlen(fstrs[j]));
	}
	scanner_free(sc);
	detect_fini(&app);
	findings_free(fs);
	strpool_free(pool);
	warn_fini(&w);
}
