/*
 * findview.h — findings as a list shows them (the text report, the workbench): grouped by
 * type, sender, receiver and service, the same value seen in many flows of a group merged
 * into one row with its count, and a group with many distinct values (a password-guessing
 * run) cut to its first few and one row saying how many more there are and how they ended.
 */
#ifndef IOT_FINDVIEW_H
#define IOT_FINDVIEW_H

#include <stddef.h>
#include <stdint.h>

struct analysis;
struct finding;

#define FINDVIEW_SHOWN	3	/* values listed of a group with many */
#define FINDVIEW_MANY	6	/* … from this many distinct values on */

struct find_row {
	const struct finding *f;	/* first occurrence of the value in the group */
	uint64_t	 count;		/* occurrences (the summary row: of the values not listed) */
	uint32_t	 nflows;	/* flows it was seen in */
	uint32_t	 accepted, rejected;	/* logins with that answer */
	uint32_t	 group;
	uint32_t	 more;		/* summary row: values not listed; 0 on value rows */
};

/* The local station a finding concerns (device id + 1): its sender when local, else 0 or
 * its receiver. */
uint32_t finding_device1(struct analysis *, const struct finding *);
/* Builds the rows (caller frees *rows); returns how many. */
size_t	findview_rows(struct analysis *, struct find_row **rows);

#endif
