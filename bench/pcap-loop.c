/*
 * pcap-loop.c — the benchmark's baseline: the plainest libpcap read loop over a capture,
 * touching nothing but the packet headers.  With --bigbuf it reads through a 4 MiB stdio
 * buffer, as iotscope does, so both costs can be shown side by side.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t pkts = 0, bytes = 0, sum = 0;
	struct timespec t0, t1;
	struct rusage ru;
	pcap_t *p;
	int bigbuf = argc > 2 && strcmp(argv[1], "--bigbuf") == 0;
	const char *path = argv[argc - 1];

	if (argc < 2) {
		fprintf(stderr, "usage: pcap-loop [--bigbuf] FILE\n");
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
	while (pcap_next_ex(p, &h, &data) == 1) {
		pkts++;
		bytes += h->caplen;
		sum += data[0];		/* touch the packet, as any reader must */
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	pcap_close(p);
	printf("packets %llu bytes %llu seconds %.6f maxrss_kb %ld check %llu\n",
	    (unsigned long long)pkts, (unsigned long long)bytes,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    ru.ru_maxrss, (unsigned long long)(sum & 1));
	return 0;
}
