/*
 * fuzz-mqtt.c — libFuzzer harness for MQTT: the first byte's low bit chooses between the
 * CONNECT extractor alone (src/extract-msg.c, given the stream's start as it grows piece by
 * piece, as the scanner does) and a whole flow to port 1883 (detection, the extractor and the
 * patterns behind the findings scanner).
 */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t sel = fuzz_u8(&in);
	struct ext_emit e;
	long found = 0;

	if (!(sel & 1)) {
		fuzz_flow(&in, 1, sel & 2 ? 1884 : 1883);
		return 0;
	}
	fuzz_emitter(&e, &found);
	const uint8_t *start = in.p, *b;
	size_t n, upto = 0;
	while (fuzz_piece(&in, &b, &n)) {
		upto = (size_t)(b - start) + n;
		if (ext_mqtt_connect(0, start, upto, 0, &e) != 0)
			break;
	}
	return 0;
}
