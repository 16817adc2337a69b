/*
 * verdict.c — the rules of verdict.h.
 */
#include "config.h"

#include "verdict.h"

void
verdict_alphabet(const struct hist *h, double *b64, double *hex)
{
	uint64_t nb = 0, nh = 0, cnt[256] = { 0 };

	*b64 = *hex = 0;
	if (h->total == 0)
		return;
	hist_counts(h, cnt);	/* one pass, not a lookup per bin: reports judge every flow */
	for (int i = 0; i < 256; i++) {
		uint64_t c = cnt[i];
		int digit = i >= '0' && i <= '9', lower = i >= 'a' && i <= 'z';
		int upper = i >= 'A' && i <= 'Z', eol = i == '\r' || i == '\n';
		if (digit || lower || upper || i == '+' || i == '/' || i == '=' || i == '-' ||
		    i == '_' || eol)
			nb += c;
		if (digit || (i >= 'a' && i <= 'f') || (i >= 'A' && i <= 'F') || eol)
			nh += c;
	}
	*b64 = (double)nb / (double)h->total;
	*hex = (double)nh / (double)h->total;
}

static int
cleartext_proto(enum app_proto p)
{
	return p != AP_NONE && !detect_encrypted(p);
}

enum verdict
verdict_of(const struct ent_figures *e, const struct hist *h, const struct flow_app *app,
    int dir, const struct verdict_opts *o)
{
	enum app_proto p = app != NULL ? (enum app_proto)app->proto : AP_NONE;
	double b64, hex;

	if (e->n < o->min_bytes)
		return V_UNKNOWN;
	if (detect_encrypted(p))
		return V_ENCRYPTED;
	if (app != NULL && app->dir[dir].media != MEDIA_NONE)
		return V_COMPRESSED;
	verdict_alphabet(h, &b64, &hex);
	if ((b64 >= 0.95 && e->entropy >= 4.5) ||
	    (hex >= 0.95 && e->entropy >= 3.0 && e->entropy <= 4.2))
		return V_ENCODED;
	/* Random-looking bytes in a protocol that does not encrypt are compressed data. */
	int random_like = e->entropy >= e->expected * (1 - VERDICT_RANDOM_MARGIN);
	if (cleartext_proto(p))
		return random_like ? V_COMPRESSED : V_CLEARTEXT;
	if (e->printable >= 0.80)
		return V_CLEARTEXT;
	return random_like ? V_ENCRYPTED : V_ENCODED;
}

const char *
verdict_fixed(const struct ent_figures *e, const struct verdict_opts *o)
{
	if (e->n == 0)
		return NULL;
	return e->entropy < o->threshold ? "cleartext" : "encrypted";
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case V_UNKNOWN:		return "unknown";
	case V_CLEARTEXT:	return "cleartext";
	case V_ENCODED:		return "encoded";
	case V_COMPRESSED:	return "compressed";
	case V_ENCRYPTED:	return "encrypted";
	case V_COUNT:		break;
	}
	return "?";
}
