/*
 * esc.c — escaping for reports (see esc.h).
 */
#include "config.h"

#include <string.h>

#include "esc.h"
#include "obuf.h"

int
utf8_decode(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c = p[0], need, v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		v = c & 0x07;
	} else
		return 0;
	if (n < need + 1)
		return 0;
	for (unsigned i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if ((need == 2 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
	    (need == 3 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return (int)need + 1;
}

int
esc_unsafe_cp(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff || cp == 0x2028 || cp == 0x2029;
}

/* Escapes one unit into out (at least 12 bytes); returns its length and sets *used. */
static size_t
esc_unit(const unsigned char *p, size_t n, enum esc_mode mode, char *out, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	unsigned cp;
	int len = utf8_decode(p, n, &cp);

	if (len == 0) {
		*used = 1;
		if (mode == ESC_JSON) {
			/* JSON strings cannot hold raw bytes: write the \xNN text, escaped. */
			memcpy(out, "\\\\x", 3);
			out[3] = hex[p[0] >> 4];
			out[4] = hex[p[0] & 15];
			return 5;
		}
		out[0] = '\\';
		out[1] = 'x';
		out[2] = hex[p[0] >> 4];
		out[3] = hex[p[0] & 15];
		return 4;
	}
	*used = (size_t)len;
	if (esc_unsafe_cp(cp)) {
		if (mode == ESC_JSON) {
			const char *s = NULL;
			switch (cp) {
			case '\n': s = "\\n"; break;
			case '\r': s = "\\r"; break;
			case '\t': s = "\\t"; break;
			default: break;
			}
			if (s != NULL) {
				memcpy(out, s, 2);
				return 2;
			}
			out[0] = '\\';
			out[1] = 'u';
			out[2] = hex[cp >> 12 & 15];
			out[3] = hex[cp >> 8 & 15];
			out[4] = hex[cp >> 4 & 15];
			out[5] = hex[cp & 15];
			return 6;
		}
		if (cp < 0x100) {
			out[0] = '\\';
			out[1] = 'x';
			out[2] = hex[cp >> 4];
			out[3] = hex[cp & 15];
			return 4;
		}
		out[0] = '\\';
		out[1] = 'u';
		out[2] = hex[cp >> 12 & 15];
		out[3] = hex[cp >> 8 & 15];
		out[4] = hex[cp >> 4 & 15];
		out[5] = hex[cp & 15];
		return 6;
	}
	if (cp == '\\' || (mode == ESC_JSON && cp == '"')) {
		out[0] = '\\';
		out[1] = (char)cp;
		return 2;
	}
	memcpy(out, p, (size_t)len);
	return (size_t)len;
}

/* Plain printable ASCII that needs no escape in either mode. */
static int
plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
}

/* Escapes s piece by piece into put(); runs of plain bytes go out whole. */
static size_t
esc_each(const char *s, enum esc_mode mode, void (*put)(void *, const void *, size_t), void *ctx)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), total = 0;
	char unit[12];

	while (n > 0) {
		size_t run = 0;
		while (run < n && plain_byte(p[run]))
			run++;
		if (run > 0) {
			put(ctx, p, run);
			total += run;
			p += run;
			n -= run;
			continue;
		}
		size_t used, k = esc_unit(p, n, mode, unit, &used);
		put(ctx, unit, k);
		total += k;
		p += used;
		n -= used;
	}
	return total;
}

static void
put_file(void *ctx, const void *p, size_t n)
{
	fwrite(p, 1, n, ctx);
}

static void
put_obuf(void *ctx, const void *p, size_t n)
{
	obuf_put(ctx, p, n);
}

size_t
esc_fputs(FILE *fp, const char *s, enum esc_mode mode)
{
	return esc_each(s, mode, put_file, fp);
}

size_t
esc_obuf(struct obuf *o, const char *s, enum esc_mode mode)
{
	return esc_each(s, mode, put_obuf, o);
}

char *
esc_str(char *buf, size_t len, const char *s, enum esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;
	char unit[12];

	if (len == 0)
		return buf;
	while (n > 0) {
		size_t run = 0;
		while (run < n && o + run + 1 < len && plain_byte(p[run]))
			run++;
		if (run > 0) {
			memcpy(buf + o, p, run);
			o += run;
			p += run;
			n -= run;
			continue;
		}
		size_t used, k = esc_unit(p, n, mode, unit, &used);
		if (o + k >= len)
			break;
		memcpy(buf + o, unit, k);
		o += k;
		p += used;
		n -= used;
	}
	buf[o] = '\0';
	return buf;
}
