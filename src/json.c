/*
 * json.c — streaming JSON writer (see json.h).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "esc.h"
#include "json.h"

void
json_init(struct json *j, FILE *fp)
{
	obuf_init(&j->out, fp);
	j->depth = 0;
	j->flat = 0;
	j->count[0] = 0;
}

static void
indent(struct json *j)
{
	static const char spaces[2 * JSON_DEPTH_MAX + 1] =
	    "\n                                ";
	obuf_put(&j->out, spaces, 1 + 2 * (size_t)j->depth);
}

/* The comma, line break and key before a value: the writer's hottest path. */
static void
begin_value(struct json *j, const char *key)
{
	struct obuf *o = &j->out;
	size_t nk = key != NULL ? strlen(key) : 0;

	/* Keys are our own identifiers, plain ASCII: no escaping needed. */
	if (OBUF_SIZE - o->n < nk + 2 * JSON_DEPTH_MAX + 8) {
		if (j->count[j->depth]++ > 0)
			obuf_putc(o, ',');
		if (j->depth > 0 && j->flat == 0)
			indent(j);
		if (key != NULL) {
			obuf_putc(o, '"');
			obuf_put(o, key, nk);
			obuf_put(o, "\": ", j->flat != 0 ? 2 : 3);
		}
		return;
	}
	char *p = o->b + o->n;
	if (j->count[j->depth]++ > 0)
		*p++ = ',';
	if (j->depth > 0 && j->flat == 0) {
		*p++ = '\n';
		memset(p, ' ', 2 * (size_t)j->depth);
		p += 2 * j->depth;
	}
	if (key != NULL) {
		*p++ = '"';
		memcpy(p, key, nk);
		p += nk;
		*p++ = '"';
		*p++ = ':';
		if (j->flat == 0)
			*p++ = ' ';
	}
	o->n = (size_t)(p - o->b);
}

static void
open_(struct json *j, const char *key, char c)
{
	begin_value(j, key);
	obuf_putc(&j->out, c);
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->count[j->depth] = 0;
	/* An element of an array below the top: a record, one line. */
	if (j->flat == 0 && key == NULL && j->depth > 2)
		j->flat = j->depth;
}

static void
close_(struct json *j, char c)
{
	int had = j->count[j->depth] > 0;
	int was_flat = j->flat != 0;
	if (j->flat == j->depth)
		j->flat = 0;
	if (j->depth > 0)
		j->depth--;
	if (had && !was_flat)
		indent(j);
	obuf_putc(&j->out, c);
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
		obuf_put(&j->out, "null", 4);
		return;
	}
	obuf_putc(&j->out, '"');
	esc_obuf(&j->out, val, ESC_JSON);
	obuf_putc(&j->out, '"');
}

void
json_u64(struct json *j, const char *key, uint64_t v)
{
	begin_value(j, key);
	obuf_u64(&j->out, v);
}

void
json_i64(struct json *j, const char *key, int64_t v)
{
	begin_value(j, key);
	obuf_i64(&j->out, v);
}


void
json_dbl(struct json *j, const char *key, double v, int decimals)
{
	begin_value(j, key);
	if (isfinite(v))
		obuf_fixed(&j->out, v, decimals);
	else
		obuf_put(&j->out, "null", 4);
}

void
json_bool(struct json *j, const char *key, int v)
{
	begin_value(j, key);
	obuf_puts(&j->out, v ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	begin_value(j, key);
	obuf_put(&j->out, "null", 4);
}

void
json_fork(struct json *j, int depth, struct obuf_mem *m)
{
	obuf_init_mem(&j->out, m);
	j->depth = depth;
	j->flat = 0;
	j->count[depth] = 1;
}

int
json_append(struct json *j, const char *p, size_t n, size_t nrec)
{
	if (nrec == 0)
		return j->out.err ? -1 : 0;
	if (j->count[j->depth] == 0 && n > 0 && p[0] == ',') {
		p++;
		n--;
	}
	j->count[j->depth] = 1;		/* only "any yet" matters from here */
	/* Large pieces go past the buffer, after what it holds. */
	if (obuf_flush(&j->out) < 0)
		return -1;
	if (n > 0 && fwrite(p, 1, n, j->out.fp) != n)
		j->out.err = 1;
	return j->out.err ? -1 : 0;
}

int
json_finish(struct json *j)
{
	obuf_putc(&j->out, '\n');
	return obuf_flush(&j->out);
}
