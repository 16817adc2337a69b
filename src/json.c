/*
 * json.c — streaming JSON writer (see json.h).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>

#include "esc.h"
#include "json.h"

void
json_init(struct json *j, FILE *fp)
{
	j->fp = fp;
	j->depth = 0;
	j->count[0] = 0;
}

static void
indent(struct json *j)
{
	fputc('\n', j->fp);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->fp);
}

static void
begin_value(struct json *j, const char *key)
{
	if (j->count[j->depth]++ > 0)
		fputc(',', j->fp);
	if (j->depth > 0)
		indent(j);
	if (key != NULL) {
		fputc('"', j->fp);
		esc_fputs(j->fp, key, ESC_JSON);
		fputs("\": ", j->fp);
	}
}

static void
open_(struct json *j, const char *key, char c)
{
	begin_value(j, key);
	fputc(c, j->fp);
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->count[j->depth] = 0;
}

static void
close_(struct json *j, char c)
{
	int had = j->count[j->depth] > 0;
	if (j->depth > 0)
		j->depth--;
	if (had)
		indent(j);
	fputc(c, j->fp);
}

void
json_obj(struct json *j, const char *key)
{
	open_(j, key, '{');
}

void
json_arr(struct json *j, const char *key)
{
	open_(j, key, '[');
}

void
json_end_obj(struct json *j)
{
	close_(j, '}');
}

void
json_end_arr(struct json *j)
{
	close_(j, ']');
}

void
json_str(struct json *j, const char *key, const char *val)
{
	begin_value(j, key);
	if (val == NULL) {
		fputs("null", j->fp);
		return;
	}
	fputc('"', j->fp);
	esc_fputs(j->fp, val, ESC_JSON);
	fputc('"', j->fp);
}

void
json_u64(struct json *j, const char *key, uint64_t v)
{
	begin_value(j, key);
	fprintf(j->fp, "%" PRIu64, v);
}

void
json_i64(struct json *j, const char *key, int64_t v)
{
	begin_value(j, key);
	fprintf(j->fp, "%" PRId64, v);
}

void
json_dbl(struct json *j, const char *key, double v, int decimals)
{
	begin_value(j, key);
	if (isfinite(v))
		fprintf(j->fp, "%.*f", decimals, v);
	else
		fputs("null", j->fp);
}

void
json_bool(struct json *j, const char *key, int v)
{
	begin_value(j, key);
	fputs(v ? "true" : "false", j->fp);
}

void
json_null(struct json *j, const char *key)
{
	begin_value(j, key);
	fputs("null", j->fp);
}

void
json_finish(struct json *j)
{
	fputc('\n', j->fp);
}
