/*
 * fuzz-snmp.c — libFuzzer harness for the SNMP community extractor (src/extract-msg.c): the
 * input is one datagram's payload (BER).
 */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ext_emit e;
	long found = 0;

	fuzz_emitter(&e, &found);
	ext_snmp(0, data, size, 0, &e);
	return 0;
}
