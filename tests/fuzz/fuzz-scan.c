/*
 * fuzz-scan.c — libFuzzer harness for the findings scanner's dispatch (src/scan.c): TCP
 * reassembly (gaps, retransmissions, FIN), the extractors chosen by port and detected protocol,
 * the HTTP body tracker and the shipped patterns, over one flow (fuzz_flow).  The first byte
 * picks the transport and the server port.
 */
#include "config.h"

#include "fuzz-common.h"

static const uint16_t ports[] = { 21, 23, 25, 80, 110, 143, 161, 587, 1883, 6379, 8080, 554,
    5683, 53, 1900, 40000 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_flow_ports(data, size, ports, sizeof ports / sizeof *ports);
	return 0;
}
