/*
 * pcap-loop.c — the benchmark's baselines: the plainest libpcap read loop over a capture,
 * touching nothing but the packet headers.  With --bigbuf it reads through a 4 MiB stdio
 * buffer, as iotscope does, so both costs can be shown side by side.  With --hist it also
 * counts every transport payload byte (Ethernet, 802.1Q, IPv4, IPv6, TCP, UDP; the IP
 * length bounds the payload, as in iotscope) into one plain 256-bin table: the yardstick
 * the entropy figures' cost is held to.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static unsigned
be16(const u_char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The transport payload of an Ethernet frame, or length 0. */
static const u_char *
payload(const u_char *p, uint32_t caplen, uint32_t *len)
{
	uint32_t o = 12, end = caplen;
	unsigned type, proto, hl;

	*len = 0;
	if (caplen < 14)
		return NULL;
	type = be16(p + o);
	o += 2;
	while ((type == 0x8100 || type == 0x88a8) && o + 4 <= caplen) {
		type = be16(p + o + 2);
		o += 4;
	}
	if (type == 0x0800) {
		if (o + 20 > caplen || (p[o] >> 4) != 4)
			return NULL;
		hl = (p[o] & 15) * 4u;
		if (o + be16(p + o + 2) < end)
			end = o + be16(p + o + 2);
		if ((be16(p + o + 6) & 0x3fff) != 0)	/* fragments: not reassembled */
			return NULL;
		proto = p[o + 9];
		o += hl;
	} else if (type == 0x86dd) {
		if (o + 40 > caplen)
			return NULL;
		if (o + 40 + be16(p + o + 4) < end)
			end = o + 40 + be16(p + o + 4);
		proto = p[o + 6];
		o += 40;
	} else
		return NULL;
	if (proto == 6 && o + 20 <= end)
		o += (p[o + 12] >> 4) * 4u;
	else if (proto == 17 && o + 8 <= end)
		o += 8;
	else
		return NULL;
	if (o >= end)
		return NULL;
	*len = end - o;
	return p + o;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t pkts = 0, bytes = 0, sum = 0, paybytes = 0;
	static uint64_t hist[256];
	struct timespec t0, t1;
	struct rusage ru;
	pcap_t *p;
	int bigbuf = 0, dohist = 0, i;
	const char *path = argv[argc - 1];

	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--bigbuf") == 0)
			bigbuf = 1;
		else if (strcmp(argv[i], "--hist") == 0)
			dohist = 1;
		else
			break;
	}
	if (argc < 2 || i != argc - 1) {
		fprintf(stderr, "usage: pcap-loop [--bigbuf] [--hist] FILE\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (bigbuf) {
		FILE *fp = fopen(path, "rb");
		static char buf[4 << 20];
		if (fp == NULL) {
			perror(path);
			return 1;
		}
		setvbuf(fp, buf, _IOFBF, sizeof buf);
		p = pcap_fopen_offline(fp, err);
	} else
		p = pcap_open_offline(path, err);
	if (p == NULL) {
		fprintf(stderr, "pcap-loop: %s\n", err);
		return 1;
	}
	if (dohist && pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "pcap-loop: --hist reads Ethernet captures only\n");
		return 1;
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		pkts++;
		bytes += h->caplen;
		sum += data[0];		/* touch the packet, as any reader must */
		if (dohist) {
			uint32_t n;
			const u_char *q = payload(data, h->caplen, &n);
			for (uint32_t k = 0; k < n; k++)
				hist[q[k]]++;
			paybytes += n;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	pcap_close(p);
	for (i = 0; i < 256; i++)
		sum += hist[i] & 1;
	printf("packets %llu bytes %llu seconds %.6f maxrss_kb %ld check %llu payload %llu\n",
	    (unsigned long long)pkts, (unsigned long long)bytes,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    ru.ru_maxrss, (unsigned long long)(sum & 1), (unsigned long long)paybytes);
	return 0;
}
