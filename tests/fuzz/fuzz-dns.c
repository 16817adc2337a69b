/*
 * fuzz-dns.c — libFuzzer harness for the DNS message parser (src/dissect-dns.c): the input is
 * one message as it would follow a UDP header (DNS, mDNS, LLMNR) or a TCP length.
 */
#include "config.h"

#include <string.h>

#include "dissect.h"
#include "fuzz-common.h"

static void
on_rr(void *ctx, const struct dns_msg *m, const struct dns_rr *rr)
{
	(void)ctx, (void)m;
	fuzz_touch(rr->name, strlen(rr->name));
	if (rr->target != NULL)
		fuzz_touch(rr->target, strlen(rr->target));
	if (rr->addr != NULL)
		fuzz_touch(rr->addr, rr->type == DNS_TYPE_AAAA ? 16 : 4);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd msg = rd_make(data, size);
	struct dns_msg hdr;
	char name[DNS_NAME_MAX];

	(void)dns_parse(msg, on_rr, NULL, &hdr);
	/* Names at the first offsets too, where a question's name would start. */
	for (size_t off = 0; off < 16 && off < size; off++) {
		struct rd pos = rd_at(&msg, off);
		if (dns_read_name(&msg, &pos, name) == DNS_OK)
			fuzz_touch(name, strlen(name));
	}
	return 0;
}
