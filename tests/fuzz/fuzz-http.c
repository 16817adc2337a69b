/*
 * fuzz-http.c — libFuzzer harness for HTTP/1.x: the first byte's low bit chooses between the
 * body tracker alone (src/httpbody.c, fed the input in pieces) and a whole flow to port 80 or
 * 8080 (detection's request and response heads, then the tracker and the patterns behind the
 * findings scanner).
 */
#include "config.h"

#include "fuzz-common.h"
#include "httpbody.h"

static void
track(struct fuzz_in *in)
{
	struct http_track t;
	const uint8_t *b;
	size_t n;

	http_track_init(&t);
	while (fuzz_piece(in, &b, &n))
		while (n > 0) {
			int skip;
			size_t run = http_track_next(&t, b, n, &skip);
			if (run == 0 || run > n)
				__builtin_trap();	/* the caller would loop or read past */
			fuzz_touch(b, run);
			b += run;
			n -= run;
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t sel = fuzz_u8(&in);

	if (sel & 1)
		track(&in);
	else
		fuzz_flow(&in, 1, sel & 2 ? 8080 : 80);
	return 0;
}
