/*
 * fuzz-lines.c — libFuzzer harness for the line protocols' extractor (src/extract-lines.c:
 * FTP, POP3, IMAP, SMTP, Telnet, Redis): the first byte picks the protocol, then each piece
 * (a direction byte and fuzz_piece()) is fed as the next bytes of that direction.
 */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct ext_lines l;
	struct ext_emit e;
	uint64_t off[2] = { 0, 0 };
	long found = 0;
	const uint8_t *b;
	size_t n;

	fuzz_emitter(&e, &found);
	ext_lines_init(&l, (enum ext_proto)(EXT_FTP + fuzz_u8(&in) % (EXT_REDIS - EXT_FTP + 1)));
	for (;;) {
		int dir = fuzz_u8(&in) & 1;
		if (!fuzz_piece(&in, &b, &n))
			break;
		ext_lines_feed(&l, dir, b, n, off[dir], &e);
		off[dir] += n;
	}
	ext_lines_flush(&l, 0, &e);
	ext_lines_flush(&l, 1, &e);
	return 0;
}
