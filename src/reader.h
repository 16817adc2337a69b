/*
 * reader.h — the bounds-checked byte cursor every dissector reads packets through.
 * A failed read marks the cursor bad, moves it to the end and returns zero, so later reads are
 * harmless and a dissector checks r.bad where it decides.  Lengths taken from packets are
 * untrusted: rd_sub() clamps them to what is left.  No pointer arithmetic on packet data is done
 * outside this file.
 */
#ifndef IOT_READER_H
#define IOT_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t	*p;
	const uint8_t	*end;
	int		 bad;
};

/* A view of bytes still in the cursor, for whole-buffer consumers (hashing, histograms). */
struct span {
	const uint8_t	*p;
	size_t		 n;
};

static inline struct rd
rd_make(const uint8_t *p, size_t n)
{
	struct rd r = { p, p + n, 0 };
	return r;
}

static inline size_t
rd_left(const struct rd *r)
{
	return (size_t)(r->end - r->p);
}

static inline int
rd_fail(struct rd *r)
{
	r->bad = 1;
	r->p = r->end;
	return 0;
}

static inline int
rd_has(struct rd *r, size_t n)
{
	return rd_left(r) >= n;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	if (r->p >= r->end)
		return (uint8_t)rd_fail(r);
	return *r->p++;
}

static inline uint16_t
rd_be16(struct rd *r)
{
	if (rd_left(r) < 2)
		return (uint16_t)rd_fail(r);
	uint16_t v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	return v;
}

static inline uint16_t
rd_le16(struct rd *r)
{
	if (rd_left(r) < 2)
		return (uint16_t)rd_fail(r);
	uint16_t v = (uint16_t)(r->p[1] << 8 | r->p[0]);
	r->p += 2;
	return v;
}

static inline uint32_t
rd_be32(struct rd *r)
{
	if (rd_left(r) < 4)
		return (uint32_t)rd_fail(r);
	uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	return v;
}

static inline uint32_t
rd_le32(struct rd *r)
{
	if (rd_left(r) < 4)
		return (uint32_t)rd_fail(r);
	uint32_t v = (uint32_t)r->p[3] << 24 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[1] << 8 | r->p[0];
	r->p += 4;
	return v;
}

static inline uint32_t
rd_32(struct rd *r, int big_endian)
{
	return big_endian ? rd_be32(r) : rd_le32(r);
}

static inline uint16_t
rd_16(struct rd *r, int big_endian)
{
	return big_endian ? rd_be16(r) : rd_le16(r);
}

/* Skips n bytes; fails (and marks bad) when fewer are left. */
static inline void
rd_skip(struct rd *r, size_t n)
{
	if (rd_left(r) < n)
		rd_fail(r);
	else
		r->p += n;
}

/* Copies n bytes out; on a short cursor dst is zeroed and the cursor marked bad. */
static inline void
rd_copy(struct rd *r, void *dst, size_t n)
{
	if (rd_left(r) < n) {
		memset(dst, 0, n);
		rd_fail(r);
		return;
	}
	memcpy(dst, r->p, n);
	r->p += n;
}

/*
 * Splits off the next n bytes as a cursor of their own and advances past them.  When fewer
 * than n are left the sub-cursor holds what there is and *short_out (if given) is set: the
 * caller decides whether that is truncation or a lie in the packet.
 */
static inline struct rd
rd_sub(struct rd *r, size_t n, int *short_out)
{
	size_t left = rd_left(r);
	struct rd s = { r->p, r->p, r->bad };
	if (n > left) {
		n = left;
		if (short_out != NULL)
			*short_out = 1;
	}
	s.end = r->p + n;
	r->p += n;
	return s;
}

/* A cursor over base's bytes starting off bytes in; bad (and empty) when off is past the end. */
static inline struct rd
rd_at(const struct rd *base, size_t off)
{
	struct rd s = *base;
	s.bad = 0;
	if (off > rd_left(base))
		rd_fail(&s);
	else
		s.p += off;
	return s;
}

/* Distance in bytes from base's position to r's; r must have been derived from base. */
static inline size_t
rd_offset(const struct rd *base, const struct rd *r)
{
	return (size_t)(r->p - base->p);
}

/* Byte at offset off without moving; -1 when out of range. */
static inline int
rd_peek(const struct rd *r, size_t off)
{
	return off < rd_left(r) ? r->p[off] : -1;
}

static inline int
rd_starts(const struct rd *r, const char *lit, size_t n)
{
	return rd_left(r) >= n && memcmp(r->p, lit, n) == 0;
}

/* The bytes still in the cursor, borrowed from the packet buffer. */
static inline struct span
rd_span(const struct rd *r)
{
	struct span s = { r->p, rd_left(r) };
	return s;
}

/* Truncates the cursor to at most n bytes from its position. */
static inline void
rd_limit(struct rd *r, size_t n)
{
	if (rd_left(r) > n)
		r->end = r->p + n;
}

/* Drops n bytes from the end (e.g. a trailing FCS); empties the cursor when fewer are left. */
static inline void
rd_trim_tail(struct rd *r, size_t n)
{
	if (rd_left(r) < n)
		r->end = r->p;
	else
		r->end -= n;
}

/*
 * Reads one text line (up to LF) into a span without the line end; returns 0 at the end of the
 * cursor.  Used by the line-based protocols (SSDP, later HTTP/FTP/SMTP).
 */
static inline int
rd_line(struct rd *r, struct span *line)
{
	line->p = r->p;
	line->n = 0;
	if (r->p >= r->end)
		return 0;
	const uint8_t *nl = memchr(r->p, '\n', rd_left(r));
	const uint8_t *e = nl != NULL ? nl : r->end;
	line->p = r->p;
	line->n = (size_t)(e - r->p);
	if (line->n > 0 && line->p[line->n - 1] == '\r')
		line->n--;
	r->p = nl != NULL ? nl + 1 : r->end;
	return 1;
}

/*
 * The same, for a line that is known to be whole: 0 (and the cursor unmoved) when no LF ends
 * it yet, as when a header is split over segments and its value is still coming.
 */
static inline int
rd_line_whole(struct rd *r, struct span *line)
{
	line->p = r->p;
	line->n = 0;
	if (r->p >= r->end || memchr(r->p, '\n', rd_left(r)) == NULL)
		return 0;
	return rd_line(r, line);
}

#endif
