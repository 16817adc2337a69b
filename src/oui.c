/*
 * oui.c — vendor table: the registry file is read whole and its names stay in that buffer;
 * an open-addressing table maps (block length, prefix) to a name, looked up from the most
 * specific block length down to 24 bits (see oui.h).  Loading the 5 MB IEEE file this way
 * costs a few million instructions, not the hundred million a line-by-line parse with
 * copies and a sort did.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"
#include "oui.h"
#include "xalloc.h"

#define OUI_FILE_MAX	(64u << 20)

struct oui_slot {
	uint64_t	 key;		/* prefix | bits << 48; 0 = empty */
	const char	*name;
};

struct oui {
	char		*path;		/* requested, may be NULL */
	char		*source;	/* what was loaded */
	int		 loaded;
	char		*text;		/* the file; names point into it */
	char		**extra;	/* names added by oui_parse_line (owned copies) */
	size_t		 nextra;
	struct oui_slot	*slot;
	size_t		 cap, n;
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
	for (size_t i = 0; i < o->nextra; i++)
		free(o->extra[i]);
	free(o->extra);
	free(o->slot);
	free(o->text);
	free(o->path);
	free(o->source);
	free(o);
}

static uint64_t
mask(unsigned bits)
{
	return bits >= 48 ? 0xffffffffffffull : (0xffffffffffffull << (48 - bits)) & 0xffffffffffffull;
}

static struct oui_slot *
find(const struct oui *o, uint64_t key)
{
	size_t j = hash_mix(key) & (o->cap - 1);

	while (o->slot[j].key != 0 && o->slot[j].key != key)
		j = (j + 1) & (o->cap - 1);
	return &o->slot[j];
}

static void
insert(struct oui *o, uint64_t prefix, unsigned bits, const char *name)
{
	if (bits < 8 || bits > 48 || name[0] == '\0')
		return;
	if (2 * (o->n + 1) > o->cap) {
		struct oui_slot *old = o->slot;
		size_t ocap = o->cap;
		o->cap = ocap != 0 ? ocap * 2 : 1024;
		o->slot = xcalloc(o->cap, sizeof *o->slot);
		for (size_t i = 0; i < ocap; i++)
			if (old[i].key != 0)
				*find(o, old[i].key) = old[i];
		free(old);
	}
	uint64_t key = (prefix & mask(bits)) | (uint64_t)bits << 48;
	struct oui_slot *s = find(o, key);
	if (s->key != 0)
		return;			/* the first entry for a block wins */
	s->key = key;
	s->name = name;
	o->n++;
	for (int i = 0; i < o->nlens; i++)
		if (o->lens[i] == bits)
			return;
	if (o->nlens < (int)sizeof o->lens) {
		int i = o->nlens++;
		while (i > 0 && o->lens[i - 1] < bits) {	/* keep longest first */
			o->lens[i] = o->lens[i - 1];
			i--;
		}
		o->lens[i] = (uint8_t)bits;
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parses one line (s[0..len), not NUL-terminated) of either format.  On success the name is
 * given as a span of the line; *bits and *prefix describe the block.
 */
static int
parse(const char *s, size_t len, uint64_t *prefix, unsigned *bits, const char **name,
    size_t *namelen)
{
	size_t i = 0;
	int n = 0;
	uint64_t v = 0;

	while (n < 6 && i + 1 < len) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			break;
		v |= (uint64_t)(hi << 4 | lo) << (40 - 8 * n);
		n++;
		i += 2;
		if (i < len && (s[i] == ':' || s[i] == '-' || s[i] == '.'))
			i++;
		else
			break;
	}
	if (n < 3)
		return -1;
	*prefix = v;
	*bits = (unsigned)n * 8;
	/* IEEE oui.txt: "00-22-72   (hex)\t\tAmerican Micro-Fuel Device Corp." */
	size_t k = i;
	while (k < len && s[k] == ' ')
		k++;
	if (len - k >= 5 && memcmp(s + k, "(hex)", 5) == 0) {
		k += 5;
		*bits = 24;
	} else {
		/* Wireshark manuf: "00:1B:C5:00:00:00/36\tShort\tLong name" */
		if (i < len && s[i] == '/') {
			unsigned b = 0;
			for (i++; i < len && s[i] >= '0' && s[i] <= '9' && b < 100; i++)
				b = b * 10 + (unsigned)(s[i] - '0');
			*bits = b;
		}
		if (i >= len || (s[i] != '\t' && s[i] != ' '))
			return -1;
		k = i;
		while (k < len && (s[k] == '\t' || s[k] == ' '))
			k++;
		/* Prefer the long name in the third column. */
		const char *tab = memchr(s + k, '\t', len - k);
		if (tab != NULL && (size_t)(tab - s) + 1 < len)
			k = (size_t)(tab - s) + 1;
	}
	while (k < len && (s[k] == '\t' || s[k] == ' '))
		k++;
	size_t e = len;
	while (e > k && (s[e - 1] == '\r' || s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (e == k)
		return -1;
	*name = s + k;
	*namelen = e - k;
	return 0;
}

int
oui_parse_line(struct oui *o, const char *line)
{
	uint64_t prefix;
	unsigned bits;
	const char *name;
	size_t nl;

	if (parse(line, strcspn(line, "\n"), &prefix, &bits, &name, &nl) < 0)
		return -1;
	o->extra = xreallocarray(o->extra, o->nextra + 1, sizeof *o->extra);
	o->extra[o->nextra] = xstrndup(name, nl);
	insert(o, prefix, bits, o->extra[o->nextra++]);
	return 0;
}

static int
load_file(struct oui *o, const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;

	if (fp == NULL)
		return -1;
	if (fstat(fileno(fp), &st) < 0 || st.st_size <= 0 || (uint64_t)st.st_size > OUI_FILE_MAX) {
		fclose(fp);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	char *text = xmalloc(size + 1);
	size_t got = fread(text, 1, size, fp);
	fclose(fp);
	text[got] = '\0';
	for (char *line = text; line < text + got;) {
		char *nl = memchr(line, '\n', (size_t)(text + got - line));
		char *end = nl != NULL ? nl : text + got;
		uint64_t prefix;
		unsigned bits;
		const char *name;
		size_t len;
		if (line[0] != '#' && parse(line, (size_t)(end - line), &prefix, &bits, &name,
		    &len) == 0) {
			((char *)name)[len] = '\0';	/* the name ends where its line did */
			insert(o, prefix, bits, name);
		}
		line = end + 1;
	}
	o->text = text;
	o->source = xstrdup(path);
	return 0;
}

static void
load(struct oui *o)
{
	const char *env = getenv("IOTSCOPE_OUI");

	o->loaded = 1;
	if (o->path != NULL)
		(void)load_file(o, o->path);
	else if (env != NULL && env[0] != '\0')
		(void)load_file(o, env);
	else
		for (size_t i = 0; i < sizeof default_paths / sizeof *default_paths; i++)
			if (load_file(o, default_paths[i]) == 0)
				break;
}

void
oui_load(struct oui *o)
{
	if (!o->loaded)
		load(o);
}

const char *
oui_vendor(struct oui *o, const uint8_t mac[6])
{
	uint64_t v = (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 | (uint64_t)mac[2] << 24 |
	    (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5];

	oui_load(o);
	if (o->n == 0)
		return NULL;
	for (int i = 0; i < o->nlens; i++) {
		const struct oui_slot *s = find(o, (v & mask(o->lens[i])) | (uint64_t)o->lens[i] << 48);
		if (s->key != 0)
			return s->name;
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
