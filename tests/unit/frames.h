/*
 * frames.h — what the frame-level tests share: builders for Ethernet (802.1Q/QinQ tags), Linux
 * SLL/SLL2, IPv4, IPv6 and its extension headers, TCP and UDP; the fixture addresses and UDP
 * datagram; the frame under test; a pcap writer and the whole-pipeline fixture.  Lengths and
 * checksums are patched in after the payload is appended, so a test can also write a lying
 * length on purpose.
 */
#ifndef IOT_TEST_FRAMES_H
#define IOT_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"
#include "pkt.h"

struct analysis;

/*
 * Fixture values: locally administered MACs, a LAN host and a public resolver, a link-local
 * and a global IPv6 address, LLC/SNAP headers for IPv4 and IPv6, and a five-byte payload.
 */
extern const uint8_t	 fr_mac_a[6], fr_mac_b[6], fr_mac_c[6], fr_mac_d[6];
extern const uint8_t	 fr_ip4_a[4], fr_ip4_b[4];
extern const uint8_t	 fr_ip6_a[16], fr_ip6_b[16];
extern const uint8_t	 fr_snap_ip4[8], fr_snap_ip6[8];
extern const uint8_t	 fr_body[5];

/* A frame under construction in a caller's buffer; overflowing it aborts the test program. */
struct fb {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 len;
};

void	 fb_init(struct fb *, uint8_t *buf, size_t cap);
/* Appends n bytes (zeros when p is NULL); returns the offset they start at. */
size_t	 fb_put(struct fb *, const void *p, size_t n);
void	 fb_u8(struct fb *, uint8_t);
void	 fb_be16(struct fb *, uint16_t);
void	 fb_be32(struct fb *, uint32_t);
void	 fb_le16(struct fb *, uint16_t);
void	 fb_le32(struct fb *, uint32_t);
void	 fb_set_be16(struct fb *, size_t off, uint16_t);

struct fr_tag {
	uint16_t	 tpid;		/* 0x8100, 0x88a8… */
	uint16_t	 tci;
};

/* Ethernet header; tags (outermost first) go between the source MAC and type. */
size_t	 fr_ether(struct fb *, const uint8_t dst[6], const uint8_t src[6],
	    const struct fr_tag *tags, int ntags, uint16_t type);

struct fr_ip4 {
	uint8_t		 src[4], dst[4];
	uint8_t		 proto;
	uint8_t		 ihl;		/* in words; 0: 5 + options */
	uint8_t		 version;	/* 0: 4 */
	uint16_t	 id;
	uint16_t	 fragoff;	/* as on the wire: 0x2000 MF, offset in 8-byte units */
	const uint8_t	*opts;		/* a multiple of 4 bytes */
	size_t		 optlen;
};

/* IPv4 header with a zero total length; returns its offset for fr_ip4_len/fr_ip4_done. */
size_t	 fr_ip4(struct fb *, const struct fr_ip4 *);
/* Sets the total length and recomputes the header checksum. */
void	 fr_ip4_len(struct fb *, size_t off, uint16_t total);
/* Total length = everything appended since the header. */
void	 fr_ip4_done(struct fb *, size_t off);
uint16_t fr_ip4_cksum(const uint8_t *hdr, size_t n);

/* IPv6 header with a zero payload length; returns its offset. */
size_t	 fr_ip6(struct fb *, const uint8_t src[16], const uint8_t dst[16], uint8_t nh);
void	 fr_ip6_len(struct fb *, size_t off, uint16_t plen);
void	 fr_ip6_done(struct fb *, size_t off);
/*
 * Hop-by-hop (0), routing (43), destination options (60): len bytes, a multiple of 8.
 * AH (51): len bytes, a multiple of 4, at least 12.
 */
void	 fr_ip6_ext(struct fb *, uint8_t type, uint8_t next, size_t len);
/* Fragment header: offset in 8-byte units. */
void	 fr_ip6_frag(struct fb *, uint8_t next, uint16_t offset, int more, uint32_t id);

struct fr_tcp {
	uint16_t	 sport, dport;
	uint32_t	 seq, ack;
	uint8_t		 flags;
	uint8_t		 doff;		/* in words; 0: 5 + options */
	const uint8_t	*opts;		/* a multiple of 4 bytes */
	size_t		 optlen;
};

size_t	 fr_tcp(struct fb *, const struct fr_tcp *);
/* UDP header with length 0; fr_udp_done sets it to everything appended since. */
size_t	 fr_udp(struct fb *, uint16_t sport, uint16_t dport);
void	 fr_udp_len(struct fb *, size_t off, uint16_t len);
void	 fr_udp_done(struct fb *, size_t off);
/* IPv4 (ID 0, no options) and UDP around n bytes of data, every length set. */
void	 fr_udp4(struct fb *, const uint8_t src[4], const uint8_t dst[4], uint16_t sport,
	    uint16_t dport, const void *data, size_t n);
/* The fixture datagram: fr_ip4_a:40000 → fr_ip4_b:53 carrying fr_body. */
void	 fr_ip4_udp(struct fb *);
/* The same over IPv6: fr_ip6_a:40000 → fr_ip6_b:53 carrying fr_body. */
void	 fr_ip6_udp(struct fb *);

/* Linux cooked capture header; addr (6 bytes, or NULL for none) fills the 8-byte field. */
void	 fr_sll(struct fb *, uint16_t pkttype, uint16_t hatype, uint16_t halen,
	    const uint8_t *addr, uint16_t proto);
/* Linux cooked capture v2 header, addr as for fr_sll. */
void	 fr_sll2(struct fb *, uint16_t proto, uint32_t ifindex, uint16_t hatype, uint8_t pkttype,
	    uint8_t halen, const uint8_t *addr);

/*
 * The frame under test in the dissector tests: fr_frame_begin() empties it, the builders
 * append to fb, fr_frame_run() dissects it, captured whole, into pkt; fr_frame_cut()
 * dissects only its first caplen bytes, the rest lost to the snap length.
 */
struct fr_frame {
	uint8_t		 buf[512];
	struct fb	 fb;
	struct cap_pkt	 cap;
	struct pkt	 pkt;
};

void	 fr_frame_begin(struct fr_frame *);
void	 fr_frame_run(struct fr_frame *, int dlt);
void	 fr_frame_cut(struct fr_frame *, int dlt, uint32_t caplen);
/* Asserts that p is the fixture datagram of fr_ip4_udp (ipver 4) or fr_ip6_udp (6), whole. */
void	 fr_check_udp(const struct pkt *p, int ipver);

/* A captured packet over data (borrowed). */
void	 fr_cap(struct cap_pkt *, int dlt, const uint8_t *data, uint32_t caplen,
	    uint32_t wirelen, int64_t ts_ns);

/* Classic little-endian microsecond pcap: global header, then records. */
FILE	*fr_pcap_open(const char *path, int dlt);
void	 fr_pcap_write(FILE *, int64_t ts_us, const uint8_t *data, uint32_t caplen,
	    uint32_t wirelen);
/* A fresh directory under TMPDIR (or /tmp) in buf; fr_tmpdir_rm removes it and its files. */
char	*fr_tmpdir(char *buf, size_t len);
void	 fr_tmpdir_rm(const char *dir);

/* A whole-pipeline test's scratch directory, capture file and analysis: its cmocka state. */
struct fr_run {
	char		 dir[256];
	char		 path[300];
	FILE		*fp;
	struct analysis	*a;
};

/* cmocka setup and teardown (FR_RUN_TEST(f) names a test with them); teardown cleans up. */
int	 fr_run_setup(void **state);
int	 fr_run_teardown(void **state);
#define FR_RUN_TEST(f)	cmocka_unit_test_setup_teardown(f, fr_run_setup, fr_run_teardown)
/* Starts the capture file (again: a test may analyse several in turn). */
void	 fr_run_open(struct fr_run *, int dlt);
/* Closes the file and runs the pipeline over it to the end, budget packets a step. */
void	 fr_run_analyse(struct fr_run *, unsigned budget);

#endif
