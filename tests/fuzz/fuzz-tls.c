/*
 * fuzz-tls.c — libFuzzer harness for the handshake parsers of protocol detection
 * (src/detect.c): ClientHello and ServerHello over TCP (TLS, SSL 2, STARTTLS ports), DTLS and
 * QUIC over UDP, split into segments and directions by the input (fuzz_flow).  The first byte
 * picks the transport and port.
 */
#include "config.h"

#include "fuzz-common.h"

static const uint16_t ports[] = { 443, 8883, 993, 4433, 5684, 853, 8443, 50001 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_flow_ports(data, size, ports, sizeof ports / sizeof *ports);
	return 0;
}
