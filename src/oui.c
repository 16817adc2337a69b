/*
 * oui.c — vendor table: sorted (prefix, bits) entries, binary-searched from the most
 * specific block length down to 24 bits (see oui.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oui.h"
#include "xalloc.h"

struct oui_entry {
	uint64_t	 prefix;	/* 48-bit value, bits past the block length zero */
	uint8_t		 bits;
	char		*name;
};

struct oui {
	char		*path;		/* requested, may be NULL */
	char		*source;	/* what was loaded */
	int		 loaded;
	struct oui_entry *v;
	size_t		 n, cap;
	uint8_t		 lens[8];	/* distinct block lengths, longest first */
	int		 nlens;
};

static const char *const default_paths[] = {
	"/usr/share/ieee-data/oui.txt",
	"/usr/share/wireshark/manuf",
	"/usr/local/share/wireshark/manuf",
	"/etc/manuf",
};

struct oui *
oui_new(const char *path)
{
	struct oui *o = xcalloc(1, sizeof *o);
	if (path != NULL)
		o->path = xstrdup(path);
	return o;
}

void
oui_free(struct oui *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i].name);
	free(o->v);
	free(o->path);
	free(o->source);
	free(o);
}

static uint64_t
mask(unsigned bits)
{
	return bits >= 48 ? 0xffffffffffffull : (0xffffffffffffull << (48 - bits)) & 0xffffffffffffull;
}

static void
add(struct oui *o, uint64_t prefix, unsigned bits, const char *name, size_t len)
{
	while (len > 0 && isspace((unsigned char)name[len - 1]))
		len--;
	if (len == 0 || bits < 8 || bits > 48)
		return;
	if (o->n == o->cap) {
		o->cap = o->cap != 0 ? o->cap * 2 : 1024;
		o->v = xreallocarray(o->v, o->cap, sizeof *o->v);
	}
	o->v[o->n].prefix = prefix & mask(bits);
	o->v[o->n].bits = (uint8_t)bits;
	o->v[o->n].name = xstrndup(name, len);
	o->n++;
	for (int i = 0; i < o->nlens; i++)
		if (o->lens[i] == bits)
			return;
	if (o->nlens < (int)sizeof o->lens)
		o->lens[o->nlens++] = (uint8_t)bits;
}

/* Reads hex digit pairs separated by ':', '-' or '.'; returns the number of bytes. */
static int
read_hex_bytes(const char **sp, uint8_t out[6])
{
	const char *s = *sp;
	int n = 0;

	while (n < 6 && isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1])) {
		char b[3] = { s[0], s[1], 0 };
		out[n++] = (uint8_t)strtoul(b, NULL, 16);
		s += 2;
		if (*s == ':' || *s == '-' || *s == '.')
			s++;
		else
			break;
	}
	*sp = s;
	return n;
}

int
oui_parse_line(struct oui *o, const char *line)
{
	uint8_t b[6] = { 0 };
	const char *s = line;
	int n = read_hex_bytes(&s, b);
	uint64_t v = (uint64_t)b[0] << 40 | (uint64_t)b[1] << 32 | (uint64_t)b[2] << 24 |
	    (uint64_t)b[3] << 16 | (uint64_t)b[4] << 8 | b[5];

	if (n < 3)
		return -1;
	/* IEEE oui.txt: "00-22-72   (hex)\t\tAmerican Micro-Fuel Device Corp." */
	const char *hex = strstr(s, "(hex)");
	if (hex != NULL) {
		const char *name = hex + 5;
		while (*name == ' ' || *name == '\t')
			name++;
		add(o, v, 24, name, strcspn(name, "\r\n"));
		return 0;
	}
	/* Wireshark manuf: "00:1B:C5:00:00:00/36\tShort\tLong name" */
	unsigned bits = (unsigned)n * 8;
	if (*s == '/') {
		bits = (unsigned)strtoul(s + 1, (char **)&s, 10);
	}
	if (*s != '\t' && *s != ' ')
		return -1;
	while (*s == '\t' || *s == ' ')
		s++;
	const char *shortname = s;
	size_t shortlen = strcspn(s, "\t\r\n");
	const char *longname = s + shortlen;
	if (*longname == '\t') {
		longname++;
		size_t ll = strcspn(longname, "\r\n");
		if (ll > 0) {
			add(o, v, bits, longname, ll);
			return 0;
		}
	}
	add(o, v, bits, shortname, shortlen);
	return 0;
}

static int
cmp_entry(const void *x, const void *y)
{
	const struct oui_entry *a = x, *b = y;
	if (a->bits != b->bits)
		return a->bits < b->bits ? -1 : 1;
	return a->prefix < b->prefix ? -1 : a->prefix > b->prefix;
}

static int
cmp_len_desc(const void *x, const void *y)
{
	return *(const uint8_t *)y - *(const uint8_t *)x;
}

static int
load_file(struct oui *o, const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[512];

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL)
		if (line[0] != '#')
			(void)oui_parse_line(o, line);
	fclose(fp);
	o->source = xstrdup(path);
	return 0;
}

static void
load(struct oui *o)
{
	o->loaded = 1;
	const char *env = getenv("IOTSCOPE_OUI");
	if (o->path != NULL)
		(void)load_file(o, o->path);
	else if (env != NULL && env[0] != '\0')
		(void)load_file(o, env);
	else
		for (size_t i = 0; i < sizeof default_paths / sizeof *default_paths; i++)
			if (load_file(o, default_paths[i]) == 0)
				break;
	if (o->n > 0) {
		qsort(o->v, o->n, sizeof *o->v, cmp_entry);
		qsort(o->lens, (size_t)o->nlens, 1, cmp_len_desc);
	}
}

const char *
oui_vendor(struct oui *o, const uint8_t mac[6])
{
	uint64_t v = (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 | (uint64_t)mac[2] << 24 |
	    (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5];

	if (!o->loaded)
		load(o);
	if (o->n == 0)
		return NULL;
	for (int i = 0; i < o->nlens; i++) {
		struct oui_entry key = { .prefix = v & mask(o->lens[i]), .bits = o->lens[i] };
		const struct oui_entry *e = bsearch(&key, o->v, o->n, sizeof *o->v, cmp_entry);
		if (e != NULL)
			return e->name;
	}
	return NULL;
}

const char *
oui_source(const struct oui *o)
{
	return o->source;
}

size_t
oui_entries(const struct oui *o)
{
	return o->n;
}
