/*
 * report-text.h — what the text report's files share: its column and section helpers, and
 * the destinations part (report-text-geo.c).
 */
#ifndef IOT_REPORT_TEXT_H
#define IOT_REPORT_TEXT_H

#include <stdio.h>

struct analysis;
struct find_mask;

/* Escaped text cut to width display columns, left-aligned and padded. */
void	rt_col(FILE *, const char *, int width);
/* A title underlined, after a blank line. */
void	rt_section(FILE *, const char *title);
/* Databases, destinations per device, countries, device × country, organisations. */
void	report_text_geo(FILE *, struct analysis *);
/* Findings, grouped where one flow has many of a kind; a mask (--mask) hides secrets. */
void	report_text_findings(FILE *, struct analysis *, const struct find_mask *);

#endif
