/*
 * batch.h — the headless front end: analyse every input, print the report, return the exit
 * status (0 success, 1 an input could not be read).
 */
#ifndef IOT_BATCH_H
#define IOT_BATCH_H

struct options;

int	batch_run(const struct options *);

#endif
