/*
 * geo.c — country and network owner lookups over MaxMind-format databases (see geo.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <maxminddb.h>

#include "geo.h"
#include "kmap.h"
#include "strpool.h"
#include "warn.h"
#include "xalloc.h"

struct geo_db {
	MMDB_s		 mmdb;
	struct geo_db_info info;
	int		 flat;		/* answers in DB-IP's layout (country_code) */
};

struct geo {
	struct geo_db	 db[GEO_DB_MAX];
	size_t		 n;
	struct strpool	*pool;
	/* The cache: answers, and an open-addressing index of address → answer + 1. */
	struct geo_answer *ans;
	struct addr	*ans_ip;
	size_t		 nans, cap;
	uint32_t	*idx;
	size_t		 idx_cap;
	/*
	 * IPv4 /24s every database answers as one network (its record's prefix is /24 or
	 * shorter): /24 → answer + 1.  A scan of a whole network then asks each database once.
	 */
	struct kmap	 net24;
	uint64_t	 lookups;	/* database lookups made */
};

struct geo *
geo_new(void)
{
	struct geo *g = xcalloc(1, sizeof *g);

	g->pool = strpool_new();
	return g;
}

void
geo_free(struct geo *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++)
		MMDB_close(&g->db[i].mmdb);
	strpool_free(g->pool);
	free(g->ans);
	free(g->ans_ip);
	free(g->idx);
	kmap_free(&g->net24);
	free(g);
}

/* A string at path in entry, interned; NULL when absent or not a string. */
static const char *
entry_str(struct geo *g, MMDB_entry_s *e, const char *const *path)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data ||
	    d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return NULL;
	return strpool_intern(g->pool, d.utf8_string, d.data_size);
}

static uint32_t
entry_u32(MMDB_entry_s *e, const char *const *path)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data)
		return 0;
	switch (d.type) {
	case MMDB_DATA_TYPE_UINT16:
		return d.uint16;
	case MMDB_DATA_TYPE_UINT32:
		return d.uint32;
	case MMDB_DATA_TYPE_INT32:
		return d.int32 > 0 ? (uint32_t)d.int32 : 0;
	case MMDB_DATA_TYPE_UINT64:
		return d.uint64 <= UINT32_MAX ? (uint32_t)d.uint64 : 0;
	default:
		return 0;
	}
}

/*
 * Looks ip up in one database: the entry, or 0 when it has none.  For an IPv4 address,
 * *v4len grows to the prefix length of the network the answer (or its absence) holds for,
 * when that is longer: what all databases said holds for the longest prefix any gave.
 */
static int
find(struct geo *g, MMDB_s *m, const struct addr *ip, MMDB_entry_s *out, int *v4len)
{
	struct sockaddr_storage ss;
	int err = 0;

	memset(&ss, 0, sizeof ss);
	if (addr_is_v4(ip)) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, ip->b + 12, 4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, ip->b, 16);
	}
	MMDB_lookup_result_s r = MMDB_lookup_sockaddr(m, (struct sockaddr *)&ss, &err);
	g->lookups++;
	if (err != MMDB_SUCCESS)
		*v4len = 32;
	else if (addr_is_v4(ip)) {
		/* In an IPv6 tree the prefix counts the 96 bits above IPv4's subtree. */
		int len = (int)r.netmask - (int)m->ipv4_start_node.netmask;
		if (len > *v4len)
			*v4len = len;
	}
	if (err != MMDB_SUCCESS || !r.found_entry)
		return 0;
	*out = r.entry;
	return 1;
}

/*
 * The kind from database_type ("GeoLite2-Country", "DBIP-Country-Lite", "GeoLite2-ASN",
 * "GeoIP2-City"…); when it names none, from what a well-known address's record holds.
 */
static enum geo_kind
classify(struct geo *g, struct geo_db *d)
{
	static const char *const cc1[] = { "country", "iso_code", NULL };
	static const char *const cc2[] = { "country_code", NULL };
	static const char *const asn[] = { "autonomous_system_number", NULL };
	const char *t = d->info.type != NULL ? d->info.type : "";
	struct addr probe;
	MMDB_entry_s e;

	if (strcasestr(t, "asn") != NULL)
		return GEO_ASN;
	if (strcasestr(t, "city") != NULL)
		return GEO_CITY;
	if (strcasestr(t, "country") != NULL)
		return GEO_COUNTRY;
	for (int i = 0; i < 2; i++) {
		addr_parse(&probe, i == 0 ? "8.8.8.8" : "1.1.1.1");
		int len = 0;
		if (!find(g, &d->mmdb, &probe, &e, &len))
			continue;
		if (entry_str(g, &e, cc1) != NULL || entry_str(g, &e, cc2) != NULL)
			return GEO_COUNTRY;
		if (entry_u32(&e, asn) != 0)
			return GEO_ASN;
	}
	return GEO_UNKNOWN;
}

/*
 * The "attribution:" line of the NAME.source file `make geoip` writes beside NAME.mmdb: the
 * credit the database's licence asks for wherever its answers show.  Printable ASCII only.
 */
static const char *
attribution(struct geo *g, const char *path)
{
	char src[4096], line[512];
	size_t n = strlen(path);
	FILE *fp;
	const char *found = NULL;

	if (n < 5 || strcmp(path + n - 5, ".mmdb") != 0 || n + 2 > sizeof src)
		return NULL;
	snprintf(src, sizeof src, "%.*s.source", (int)(n - 5), path);
	if ((fp = fopen(src, "r")) == NULL)
		return NULL;
	while (found == NULL && fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "attribution: ", 13) != 0)
			continue;
		char *v = line + 13;
		v[strcspn(v, "\r\n")] = '\0';
		for (char *c = v; *c != '\0'; c++)
			if (*c < 0x20 || *c > 0x7e)
				*c = '?';
		found = v[0] != '\0' ? strpool_str(g->pool, v) : NULL;
	}
	fclose(fp);
	return found;
}

int
geo_add(struct geo *g, const char *path, char *err, size_t errlen)
{
	struct geo_db *d;
	int rc;

	if (g->n == GEO_DB_MAX) {
		snprintf(err, errlen, "%s: at most %d databases", path, GEO_DB_MAX);
		return -1;
	}
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->db[i].info.path, path) == 0)
			return 0;		/* named twice: once is enough */
	d = &g->db[g->n];
	memset(d, 0, sizeof *d);
	/* libmaxminddb says "Error opening the specified MaxMind DB file" for all of these. */
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a file", path);
		return -1;
	}
	if ((rc = MMDB_open(path, MMDB_MODE_MMAP, &d->mmdb)) != MMDB_SUCCESS) {
		snprintf(err, errlen, "%s: not a MaxMind database (%s)", path,
		    rc == MMDB_IO_ERROR ? strerror(errno) : MMDB_strerror(rc));
		return -1;
	}
	d->info.path = strpool_str(g->pool, path);
	d->info.type = d->mmdb.metadata.database_type != NULL ?
	    strpool_str(g->pool, d->mmdb.metadata.database_type) : NULL;
	d->info.build_epoch = d->mmdb.metadata.build_epoch;
	d->info.ip_version = d->mmdb.metadata.ip_version;
	for (size_t i = 0; i < d->mmdb.metadata.description.count; i++) {
		MMDB_description_s *ds = d->mmdb.metadata.description.descriptions[i];
		if (ds != NULL && ds->language != NULL && strcmp(ds->language, "en") == 0 &&
		    ds->description != NULL)
			d->info.description = strpool_str(g->pool, ds->description);
	}
	d->info.kind = classify(g, d);
	d->info.attribution = attribution(g, path);
	g->n++;
	/* Answers cached so far did not ask this database. */
	g->nans = 0;
	if (g->idx != NULL)
		memset(g->idx, 0, g->idx_cap * sizeof *g->idx);
	return 0;
}

static int
by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int
loaded_name(const struct geo *g, const char *base)
{
	for (size_t i = 0; i < g->n; i++) {
		const char *p = strrchr(g->db[i].info.path, '/');
		if (strcmp(p != NULL ? p + 1 : g->db[i].info.path, base) == 0)
			return 1;
	}
	return 0;
}

/* Every *.mmdb in dir, in name order; a missing folder is not worth a word. */
static void
add_dir(struct geo *g, const char *dir, struct warnlist *w)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **names = NULL, err[512];
	size_t n = 0;

	if (dp == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".mmdb") == 0) {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n] = xmalloc(strlen(dir) + l + 2);
			snprintf(names[n], strlen(dir) + l + 2, "%s/%s", dir, de->d_name);
			n++;
		}
	}
	closedir(dp);
	if (n > 0)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		/*
		 * A file of that name from an earlier folder wins: the installed copy and
		 * the build tree's hold the same databases, which must not answer twice.
		 */
		if (!loaded_name(g, strrchr(names[i], '/') + 1) &&
		    geo_add(g, names[i], err, sizeof err) < 0)
			warn_add(w, WARN_WARNING, "%s", err);
		free(names[i]);
	}
	free(names);
}

static void
add_path(struct geo *g, const char *path, struct warnlist *w)
{
	struct stat st;
	char err[512];

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		add_dir(g, path, w);
	else if (geo_add(g, path, err, sizeof err) < 0)
		warn_add(w, WARN_WARNING, "%s", err);
}

void
geo_add_defaults(struct geo *g, const char *const *datadirs, size_t ndirs, struct warnlist *w)
{
	const char *env = getenv("IOTSCOPE_GEOIP");

	if (env != NULL && env[0] != '\0') {
		char *copy = xstrdup(env), *save = NULL;
		for (char *p = strtok_r(copy, ":", &save); p != NULL; p = strtok_r(NULL, ":", &save))
			add_path(g, p, w);
		free(copy);
		return;
	}
	add_dir(g, "/usr/share/GeoIP", w);
	add_dir(g, "/var/lib/GeoIP", w);
	for (size_t i = 0; i < ndirs; i++)
		add_dir(g, datadirs[i], w);
}

size_t
geo_cache_bytes(const struct geo *g)
{
	return g->cap * (sizeof *g->ans + sizeof *g->ans_ip) + g->idx_cap * sizeof *g->idx +
	    g->net24.cap * (sizeof *g->net24.key + sizeof *g->net24.val) + strpool_bytes(g->pool);
}

uint64_t
geo_lookups(const struct geo *g)
{
	return g->lookups;
}

size_t
geo_count(const struct geo *g)
{
	return g->n;
}

const struct geo_db_info *
geo_info(const struct geo *g, size_t i)
{
	return &g->db[i].info;
}

int
geo_has_country(const struct geo *g)
{
	int n = 0;

	for (size_t i = 0; i < g->n; i++)
		n += g->db[i].info.kind == GEO_COUNTRY || g->db[i].info.kind == GEO_CITY;
	return n;
}

int
geo_has_asn(const struct geo *g)
{
	int n = 0;

	for (size_t i = 0; i < g->n; i++)
		n += g->db[i].info.kind == GEO_ASN;
	return n;
}

const char *
geo_codes(const struct geo_answer *a, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int k = 0; k < a->ncountry && (k == 0 || a->disagree); k++) {
		if (a->cc[k][0] == '\0' || (o > 0 && strstr(buf, a->cc[k]) != NULL))
			continue;
		if (o + 4 > len)
			break;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o > 0 ? "/" : "", a->cc[k]);
	}
	if (o == 0)
		snprintf(buf, len, "??");
	return buf;
}

const char *
geo_kind_name(enum geo_kind k)
{
	switch (k) {
	case GEO_COUNTRY:	return "country";
	case GEO_CITY:		return "city";
	case GEO_ASN:		return "asn";
	case GEO_UNKNOWN:	return "unknown";
	}
	return "?";
}

/* A two-letter code at path in entry, copied into cc; 0 when absent. */
static int
entry_code(MMDB_entry_s *e, const char *const *path, char cc[3])
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data ||
	    d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size != 2)
		return 0;
	memcpy(cc, d.utf8_string, 2);
	cc[2] = '\0';
	return 1;
}

/*
 * One database's country for an entry: GeoIP2's country, else its registered country, or
 * DB-IP's country_code.  A database that answered in DB-IP's layout is asked that way first
 * from then on: a report looks up thousands of addresses.  The English name comes from the
 * built-in table, from the database only for a code the table lacks.
 */
static void
entry_country(struct geo *g, struct geo_db *d, MMDB_entry_s *e, char cc[3], const char **name)
{
	static const char *const c_iso[] = { "country", "iso_code", NULL };
	static const char *const c_en[] = { "country", "names", "en", NULL };
	static const char *const r_iso[] = { "registered_country", "iso_code", NULL };
	static const char *const r_en[] = { "registered_country", "names", "en", NULL };
	static const char *const flat[] = { "country_code", NULL };
	const char *const *en = NULL;

	cc[0] = '\0';
	if (d->flat && entry_code(e, flat, cc))
		;
	else if (entry_code(e, c_iso, cc))
		en = c_en;
	else if (entry_code(e, r_iso, cc))
		en = r_en;
	else if (entry_code(e, flat, cc))
		d->flat = 1;
	if (name != NULL) {
		*name = country_name(cc);
		if (*name == NULL && en != NULL)
			*name = entry_str(g, e, en);
	}
}

/* The answer for ip; *v4len: the prefix it holds for (IPv4), 32 when it cannot tell. */
static void
answer(struct geo *g, const struct addr *ip, struct geo_answer *a, int *v4len)
{
	static const char *const asn[] = { "autonomous_system_number", NULL };
	static const char *const org[] = { "autonomous_system_organization", NULL };
	MMDB_entry_s e;

	memset(a, 0, sizeof *a);
	a->cls = addr_classify(ip);
	if (a->cls != ADDR_PUBLIC)
		return;
	for (size_t i = 0; i < g->n; i++) {
		struct geo_db *d = &g->db[i];
		if (d->info.kind == GEO_COUNTRY || d->info.kind == GEO_CITY) {
			int k = a->ncountry++;
			const char *en = NULL;
			if (find(g, &d->mmdb, ip, &e, v4len))
				entry_country(g, d, &e, a->cc[k], k == 0 ? &en : NULL);
			if (k == 0)
				a->country = en;
		} else if (d->info.kind == GEO_ASN && a->asn == 0 &&
		    find(g, &d->mmdb, ip, &e, v4len)) {
			a->asn = entry_u32(&e, asn);
			a->org = entry_str(g, &e, org);
		}
	}
	/* Two known answers that differ; a database that knows nothing disagrees with none. */
	for (int k = 1; k < a->ncountry; k++)
		for (int j = 0; j < k; j++)
			if (a->cc[k][0] != '\0' && a->cc[j][0] != '\0' &&
			    strcmp(a->cc[k], a->cc[j]) != 0)
				a->disagree = 1;
}

int
geo_peek(const struct geo *g, const struct addr *ip, struct geo_answer *out)
{
	memset(out, 0, sizeof *out);
	out->cls = addr_classify(ip);
	if (g->n == 0)
		return 0;
	if (g->idx_cap == 0)
		return -1;
	size_t j = addr_hash(ip) & (g->idx_cap - 1);
	while (g->idx[j] != 0) {
		if (addr_cmp(&g->ans_ip[g->idx[j] - 1], ip) == 0) {
			*out = g->ans[g->idx[j] - 1];
			return 0;
		}
		j = (j + 1) & (g->idx_cap - 1);
	}
	return -1;
}

void
geo_lookup(struct geo *g, const struct addr *ip, struct geo_answer *out)
{
	/* Without databases an answer is the class alone: nothing worth a million entries. */
	if (g->n == 0) {
		(void)geo_peek(g, ip, out);
		return;
	}
	if (2 * (g->nans + 1) > g->idx_cap) {
		g->idx_cap = g->idx_cap != 0 ? g->idx_cap * 2 : 1024;
		free(g->idx);
		g->idx = xcalloc(g->idx_cap, sizeof *g->idx);
		for (size_t i = 0; i < g->nans; i++) {
			size_t j = addr_hash(&g->ans_ip[i]) & (g->idx_cap - 1);
			while (g->idx[j] != 0)
				j = (j + 1) & (g->idx_cap - 1);
			g->idx[j] = (uint32_t)i + 1;
		}
	}
	size_t j = addr_hash(ip) & (g->idx_cap - 1);
	while (g->idx[j] != 0) {
		if (addr_cmp(&g->ans_ip[g->idx[j] - 1], ip) == 0) {
			*out = g->ans[g->idx[j] - 1];
			return;
		}
		j = (j + 1) & (g->idx_cap - 1);
	}
	if (g->nans == g->cap) {
		g->cap = g->cap != 0 ? g->cap * 2 : 256;
		g->ans = xreallocarray(g->ans, g->cap, sizeof *g->ans);
		g->ans_ip = xreallocarray(g->ans_ip, g->cap, sizeof *g->ans_ip);
	}
	struct geo_answer *a = &g->ans[g->nans];
	uint64_t net = 0;
	if (addr_is_v4(ip) && addr_classify(ip) == ADDR_PUBLIC)
		net = 1ull << 32 | (uint64_t)ip->b[12] << 16 | (uint64_t)ip->b[13] << 8 | ip->b[14];
	uint32_t *same = net != 0 ? kmap_find(&g->net24, net) : NULL;
	if (same != NULL)
		*a = g->ans[*same - 1];
	else {
		int v4len = 0;
		answer(g, ip, a, &v4len);
		if (net != 0 && v4len <= 24) {
			int fresh;
			*kmap_slot(&g->net24, net, &fresh) = (uint32_t)g->nans + 1;
		}
	}
	g->ans_ip[g->nans] = *ip;
	g->idx[j] = (uint32_t)++g->nans;
	*out = g->ans[g->nans - 1];
}
