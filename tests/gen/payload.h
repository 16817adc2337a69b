/*
 * payload.h — application messages as the TCP machine sees them: a head of literal bytes, a
 * body generated on demand from a shared pool of random bytes (plain, or cut into TLS
 * application-data records), and a short literal tail.  Bodies are produced segment by segment,
 * so a multi-megabyte message costs no memory.
 */
#ifndef GEN_PAYLOAD_H
#define GEN_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

enum payload_body {
	BODY_RANDOM,		/* pool bytes as they are */
	BODY_TLS12,		/* TLS 1.2 AES-GCM application_data records */
	BODY_TLS13,		/* TLS 1.3 application_data records */
	BODY_JPEG		/* pool bytes without 0xff: JPEG entropy-coded data */
};

#define MSG_TAIL_MAX	8

struct msg {
	const uint8_t	*head;		/* borrowed until the next message is fetched */
	uint32_t	 head_len;
	uint32_t	 len;		/* head + body + tail */
	uint64_t	 delay_ns;	/* think time before the first byte */
	uint8_t		 dir;		/* 0: client to server, 1: server to client */
	uint8_t		 body;		/* enum payload_body */
	uint8_t		 tail_len;
	uint8_t		 tail[MSG_TAIL_MAX];
};

struct pool {
	uint8_t		*p;
	uint32_t	 n;
};

void		 pool_init(struct pool *, uint32_t, uint64_t);
void		 pool_fini(struct pool *);
uint32_t	 payload_tls_len(int, uint32_t);
void		 payload_fill(const struct msg *, uint32_t, uint8_t *, uint32_t,
		     const struct pool *, struct rng *);

#endif
