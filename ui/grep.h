/*
 * grep.h — `--grep REGEX`: the flows whose reassembled payload matches, each match with a
 * line of escaped context, as ngrep prints packets (but per conversation, so a match split
 * over segments is still found).
 */
#ifndef IOT_GREP_H
#define IOT_GREP_H

#include <stdio.h>

struct analysis;

/* Prints matching flows to out; -1 with a reason in err (bad expression). */
int	grep_run(struct analysis *, const char *regex, FILE *out, char *err, size_t errlen);

#endif
