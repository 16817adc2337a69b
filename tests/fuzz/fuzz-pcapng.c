/*
 * fuzz-pcapng.c — libFuzzer harness for our own pcapng block reader (src/pcapng.c), both ways
 * in: the stream reader over a file (pcapng_next, as source-file.c uses it when libpcap cannot
 * read a file) and the whole-block reader of a file still being written (pcapng_frame and
 * pcapng_block, as source-follow.c).  fuzz-capture reaches it only for some files.
 */
#include "config.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bytesrc.h"
#include "fuzz-common.h"
#include "pcapng.h"

static void
stream(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	int fd = fuzz_file(data, size, path, sizeof path), trunc;

	if (fd < 0)
		return;
	struct bytesrc *src = bytesrc_open(path, err, sizeof err);
	if (src != NULL) {
		struct pcapng *ng = pcapng_new(src);
		struct pcapng_pkt pkt;
		while (pcapng_next(ng, &pkt, &trunc, err, sizeof err) == 1) {
			fuzz_touch(pkt.data, pkt.caplen);
			(void)pcapng_linktype(ng, pkt.ifidx);
		}
		(void)pcapng_block_start(ng);
		(void)pcapng_ninterfaces(ng);
		pcapng_free(ng);
		bytesrc_free(src);
	}
	close(fd);
}

static void
blocks(const uint8_t *data, size_t size)
{
	struct pcapng *ng = pcapng_new(NULL);
	struct pcapng_pkt pkt;
	size_t off = 0;
	uint32_t len;
	char err[256];

	while (off < size && pcapng_frame(ng, data + off, size - off, &len) == 1 &&
	    len <= size - off) {
		int rc = pcapng_block(ng, data + off, len, off, &pkt, err, sizeof err);
		if (rc < 0 || len == 0)
			break;
		if (rc == 1)
			fuzz_touch(pkt.data, pkt.caplen);
		off += len;
	}
	pcapng_free(ng);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	stream(data, size);
	blocks(data, size);
	return 0;
}
