/*
 * fuzz-packet.c — libFuzzer harness aimed at the dissectors: the first input byte picks a link
 * type, the rest is split into frames (two-byte length, then bytes), wrapped in a valid pcap so
 * every mutation reaches the packet decoders instead of the file-format checks.  Findings are
 * left to fuzz-scan: compiling the patterns for every input took most of the time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static const uint32_t dlts[] = { 1, 0, 12, 101, 108, 113, 276, 105, 127, 228, 229, 9 };

/* Host order throughout: the magic written in host order tells the reader which it is. */
static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* Every two input bytes can become a 16-byte record header. */
	size_t cap = 24 + size * 8 + 16;
	uint8_t *img = malloc(cap);
	if (img == NULL)
		return 0;
	uint32_t dlt = dlts[data[0] % (sizeof dlts / sizeof *dlts)];
	put32(img, 0xa1b2c3d4);
	put16(img + 4, 2);
	put16(img + 6, 4);
	memset(img + 8, 0, 8);
	put32(img + 16, 262144);
	put32(img + 20, dlt);
	size_t o = 24, i = 1;
	uint32_t ts = 0;
	while (i + 2 <= size) {
		size_t len = (size_t)data[i] << 8 | data[i + 1];
		i += 2;
		if (len > size - i)
			len = size - i;
		put32(img + o, ts++);
		put32(img + o + 4, 0);
		put32(img + o + 8, (uint32_t)len);
		put32(img + o + 12, (uint32_t)len + (data[0] & 0x80 ? 100 : 0));
		memcpy(img + o + 16, data + i, len);
		o += 16 + len;
		i += len;
	}
	fuzz_analyse(img, o, 0);
	free(img);
	return 0;
}
