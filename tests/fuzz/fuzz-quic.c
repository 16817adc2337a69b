/*
 * fuzz-quic.c — libFuzzer harness for the QUIC Initial reader (src/quic.c) and the ClientHello
 * it hands to detection.  Random bytes never pass AES-GCM's tag, so the first byte picks how
 * the rest reaches the reader: 0 raw datagrams of a client (header parsing, coalescing,
 * lengths, samples); 1 pieces that are an Initial's plaintext (CRYPTO reassembly, the frame
 * parser, the Hello parser); 2 the same pieces sealed into real Initials (v1, v2, draft-29)
 * by the generator's sealer and sent through detection, so every path after the tag is
 * reached with the fuzzer's bytes.
 */
#include "config.h"

#include <string.h>

#include "detect.h"
#include "fuzz-common.h"
#include "msg.h"
#include "quic.h"
#include "strpool.h"

static const uint8_t dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t versions[] = { QUIC_GEN_V1, QUIC_GEN_V2, QUIC_GEN_DRAFT29 };
	struct fuzz_in in = { data, size };
	uint8_t mode = fuzz_u8(&in), pkt[QUIC_GEN_PACKET_MAX + 64] = { 0 };
	struct strpool *sp = strpool_new();
	struct quic_hello *q = quic_hello_new();
	struct flow_app app;
	unsigned skipped = 0;
	const uint8_t *b;
	size_t n;
	uint16_t pn = 0;

	detect_init(&app);
	while (fuzz_piece(&in, &b, &n)) {
		struct span s = { b, n };
		switch (mode % 3) {
		case 0:
			quic_hello_datagram(q, s, &skipped);
			detect_packet(&app, sp, 0, 0, 0, s, 50000, 443);
			break;
		case 1:
			if (quic_hello_frames(q, rd_make(b, n)) == QUIC_DONE)
				detect_client_hello(&app, sp, quic_hello_message(q));
			break;
		default:
			if (n > QUIC_GEN_PACKET_MAX - 64)
				n = QUIC_GEN_PACKET_MAX - 64;
			n = quic_gen_initial(pkt, versions[(mode / 3) % 3], dcid, sizeof dcid, dcid,
			    mode & 0x80 ? 0 : 4, pn++, b, n, mode & 0x40 ? 1200 : 0);
			detect_packet(&app, sp, 0, 0, 0, (struct span){ pkt, n }, 50000, 443);
			break;
		}
	}
	struct span m = quic_hello_message(q);
	fuzz_touch(m.p, m.n);
	if (app.sni != NULL)
		fuzz_touch(app.sni, strlen(app.sni));
	if (app.alpn != NULL)
		fuzz_touch(app.alpn, strlen(app.alpn));
	quic_hello_free(q);
	detect_fini(&app);
	strpool_free(sp);
	return 0;
}
