/*
 * json.h — a small streaming JSON writer for the report: objects, arrays and scalars in order,
 * commas and indentation handled here, every string escaped (esc.h).  An object or array that
 * is an element of an array (a record of a section) is written whole on one line without
 * spaces: a million-flow report stays a third smaller, and grep finds a whole record.
 */
#ifndef IOT_JSON_H
#define IOT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "obuf.h"

#define JSON_DEPTH_MAX	16

struct json {
	struct obuf	 out;
	int		 depth;
	int		 flat;		/* depth of the one-line record being written, 0 if none */
	int		 count[JSON_DEPTH_MAX];
};

void	json_init(struct json *, FILE *);
/* key is NULL inside arrays and at the top level. */
void	json_obj(struct json *, const char *key);
void	json_arr(struct json *, const char *key);
void	json_end_obj(struct json *);
void	json_end_arr(struct json *);
void	json_str(struct json *, const char *key, const char *val);	/* NULL → null */
void	json_u64(struct json *, const char *key, uint64_t);
void	json_i64(struct json *, const char *key, int64_t);
void	json_dbl(struct json *, const char *key, double, int decimals);
void	json_bool(struct json *, const char *key, int);
void	json_null(struct json *, const char *key);
/*
 * Records of an array formatted apart (on other threads): json_fork makes j a writer into m
 * for records of the array open at depth in the document; each record it writes begins with
 * the comma and line break that separate records.  json_append adds such bytes, holding nrec
 * records, to the array open in j (the first record's comma dropped when it is the array's
 * first).  -1 when writing failed.
 */
void	json_fork(struct json *j, int depth, struct obuf_mem *m);
int	json_append(struct json *j, const char *p, size_t n, size_t nrec);
/* Ends the document and flushes it; -1 when writing failed. */
int	json_finish(struct json *);

#endif
