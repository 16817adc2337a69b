/*
 * evidence-util.c — what the evidence writer's tests share (see evidence-util.h).
 */
#include "config.h"

#include <dirent.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bytesrc.h"
#include "capture.h"
#include "evidence.h"
#include "evidence-util.h"
#include "pcapng.h"

int
et_setup(void **state)
{
	struct et_tmp *t = calloc(1, sizeof *t);
	const char *base = getenv("TMPDIR");

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "%s/iotscope-evidence-XXXXXX",
	    base != NULL && base[0] != '\0' ? base : "/tmp");
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	setenv("TZ", "UTC", 1);
	tzset();
	*state = t;
	return 0;
}

int
et_teardown(void **state)
{
	struct et_tmp *t = *state;
	DIR *d = opendir(t->dir);
	struct dirent *e;
	char p[600];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
		unlink(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(t->dir);
	free(t);
	return 0;
}

const char *
et_file(struct et_tmp *t, const char *name)
{
	snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
	return t->path;
}

/* The names in the test's directory, sorted, joined by spaces. */
const char *
et_list(struct et_tmp *t)
{
	static char out[4096];
	struct dirent **ents;
	int n = scandir(t->dir, &ents, NULL, alphasort);

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			if (out[0] != '\0')
				strcat(out, " ");
			strcat(out, ents[i]->d_name);
		}
		free(ents[i]);
	}
	free(ents);
	return out;
}

/* Test packets: packet i has its own length, time and bytes. */
uint8_t et_bytes[MAXPK][1600];

struct cap_pkt
et_pkt(int i, int dlt, uint32_t input, uint32_t ifidx, int64_t ts_ns)
{
	static const uint32_t lens[] = { 60, 1, 2, 3, 4, 5, 1514, 98, 342, 77 };
	struct cap_pkt p = { 0 };

	p.caplen = lens[i % 10];
	p.wirelen = i % 7 == 3 ? p.caplen + 100 : p.caplen;
	p.ts_ns = ts_ns;
	p.linktype = dlt;
	p.input = input;
	p.ifidx = ifidx;
	for (uint32_t j = 0; j < p.caplen; j++)
		et_bytes[i][j] = (uint8_t)(i * 31 + j * 7 + 1);
	p.data = et_bytes[i];
	return p;
}

struct et_got et_got[MAXPK];

/* Reads a pcapng file with our own reader; returns the packet count, asserting a clean end. */
int
et_read_ng(const char *path, int first)
{
	char err[256];
	struct bytesrc *src = bytesrc_open(path, err, sizeof err);
	struct pcapng_pkt np;
	int n = first, trunc, r;

	assert_non_null(src);
	struct pcapng *ng = pcapng_new(src);
	while ((r = pcapng_next(ng, &np, &trunc, err, sizeof err)) == 1) {
		assert_true(n < MAXPK);
		et_got[n].ts_ns = np.ts_ns;
		et_got[n].caplen = np.caplen;
		et_got[n].wirelen = np.wirelen;
		et_got[n].ifidx = np.ifidx;
		et_got[n].linktype = np.linktype;
		memcpy(et_got[n].data, np.data, np.caplen);
		n++;
	}
	assert_int_equal(r, 0);
	assert_int_equal(trunc, 0);
	pcapng_free(ng);
	bytesrc_free(src);
	return n - first;
}

/* Reads a file with libpcap at nanosecond precision; returns the count. */
int
et_read_pcap(const char *path, int first, int *dlt)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, eb);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = first, r;

	if (pc == NULL)
		fail_msg("%s: %s", path, eb);
	if (dlt != NULL)
		*dlt = pcap_datalink(pc);
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		assert_true(n < MAXPK);
		et_got[n].ts_ns = (int64_t)h->ts.tv_sec * NS + h->ts.tv_usec;
		et_got[n].caplen = h->caplen;
		et_got[n].wirelen = h->len;
		memcpy(et_got[n].data, d, h->caplen);
		n++;
	}
	assert_int_equal(r, PCAP_ERROR_BREAK);
	pcap_close(pc);
	return n - first;
}

void
et_same(int i, const struct cap_pkt *p)
{
	assert_int_equal(et_got[i].ts_ns, p->ts_ns);
	assert_int_equal(et_got[i].caplen, p->caplen);
	assert_int_equal(et_got[i].wirelen, p->wirelen);
	assert_memory_equal(et_got[i].data, p->data, p->caplen);
}

struct evidence *
et_open(const struct evidence_opts *o)
{
	char err[512];
	struct evidence *ev = evidence_open(o, err, sizeof err);

	if (ev == NULL)
		fail_msg("evidence_open: %s", err);
	return ev;
}

void
et_close(struct evidence *ev)
{
	char err[512] = "";

	if (evidence_close(ev, err, sizeof err) != 0)
		fail_msg("evidence_close: %s", err);
}

size_t
et_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (size_t)st.st_size;
}

/* Whether needle occurs in the file's bytes. */
int
et_has(const char *path, const void *needle, size_t n)
{
	static uint8_t b[1 << 16];
	FILE *fp = fopen(path, "rb");
	size_t len;

	assert_non_null(fp);
	len = fread(b, 1, sizeof b, fp);
	fclose(fp);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(b + i, needle, n) == 0)
			return 1;
	return 0;
}

/* Writes n packets and reads every listed file back in order: each packet exactly once. */
void
et_sequence(struct et_tmp *t, struct cap_pkt *p, int n, const char *const *names, int pcap)
{
	int k = 0;

	for (int f = 0; names[f] != NULL; f++) {
		const char *path = et_file(t, names[f]);
		int c = pcap ? et_read_pcap(path, k, NULL) : et_read_ng(path, k);
		assert_true(c > 0);
		k += c;
	}
	assert_int_equal(k, n);
	for (int i = 0; i < n; i++)
		et_same(i, &p[i]);
}
