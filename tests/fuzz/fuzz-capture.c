/*
 * fuzz-capture.c — libFuzzer harness: the input is a whole capture file (pcap, pcapng, gzip),
 * as a user would hand it to iotscope.
 */
#include "config.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_analyse(data, size, 1);
	return 0;
}
