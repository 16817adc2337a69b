/*
 * addr.h — IP addresses as the core stores them: 16 bytes, IPv4 mapped into ::ffff:0:0/96, so
 * one fixed-size key serves flows, devices and name tables alike.  Also the classification of
 * special ranges (private, link-local, multicast…) that decides what is a local station.
 */
#ifndef IOT_ADDR_H
#define IOT_ADDR_H

#include <stddef.h>
#include <stdint.h>

struct addr {
	uint8_t	b[16];
};

enum addr_class {
	ADDR_PUBLIC,
	ADDR_PRIVATE,		/* RFC 1918, fc00::/7 */
	ADDR_LOOPBACK,
	ADDR_LINKLOCAL,		/* 169.254/16, fe80::/10 */
	ADDR_MULTICAST,
	ADDR_BROADCAST,		/* 255.255.255.255 */
	ADDR_CGNAT,		/* 100.64/10 */
	ADDR_DOC,		/* documentation and benchmarking ranges */
	ADDR_UNSPEC,		/* 0.0.0.0/8, :: */
	ADDR_RESERVED		/* 240/4 and other never-routed space */
};

#define ADDR_STRLEN	48

void	addr_from_v4(struct addr *, const uint8_t v4[4]);
void	addr_from_v6(struct addr *, const uint8_t v6[16]);
int	addr_is_v4(const struct addr *);
int	addr_is_zero(const struct addr *);
int	addr_cmp(const struct addr *, const struct addr *);
enum addr_class addr_classify(const struct addr *);
const char *addr_class_name(enum addr_class);
/* A station on the local network: private, link-local, loopback or CGNAT unicast. */
int	addr_is_local(const struct addr *);
/* Formats into buf (ADDR_STRLEN bytes); returns buf. */
char	*addr_fmt(const struct addr *, char *buf, size_t len);
int	addr_parse(struct addr *, const char *);
uint64_t addr_hash(const struct addr *);

#endif
