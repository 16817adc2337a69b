/*
 * strpool.h — interned strings: names seen in packets (DNS, DHCP, mDNS, SSDP) repeat endlessly,
 * so each distinct string is stored once and tables hold borrowed pointers that live as long
 * as the pool.  Strings are stored as received (raw bytes, NUL-free); output escapes them.
 */
#ifndef IOT_STRPOOL_H
#define IOT_STRPOOL_H

#include <stddef.h>

struct strpool;

struct strpool	*strpool_new(void);
void		 strpool_free(struct strpool *);
/* Returns the pool's copy of s[0..n) (borrowed, valid until strpool_free). */
const char	*strpool_intern(struct strpool *, const char *s, size_t n);
const char	*strpool_str(struct strpool *, const char *s);
size_t		 strpool_bytes(const struct strpool *);

#endif
