/*
 * report-text.h — what the text report's files share: its column and section helpers, and
 * the destinations part (report-text-geo.c).
 */
#ifndef IOT_REPORT_TEXT_H
#define IOT_REPORT_TEXT_H

#include <stdint.h>
#include <stdio.h>

struct analysis;
struct find_mask;

/*
 * Everything from a packet or a database (names, values, owners, codes) reaches the text
 * report through these, which escape it (esc.h); the rest of its files print only their
 * own words and numbers.  NULL is shown as "-".
 */
/* Escaped text cut to width display columns, left-aligned and padded. */
void	rt_col(FILE *, const char *, int width);
/* The same, right-aligned. */
void	rt_rcol(FILE *, const char *, int width);
/* Escaped text, whole, padded to width as printf's %-*s does (0: no padding). */
void	rt_str(FILE *, const char *, int width);
/* A device's label (its name, MAC or address) as rt_col, or whole when width is 0. */
void	rt_device(FILE *, struct analysis *, uint32_t id, int width);
/* A title underlined, after a blank line. */
void	rt_section(FILE *, const char *title);
/* Databases, destinations per device, countries, device × country, organisations. */
void	report_text_geo(FILE *, struct analysis *);
/* Findings, grouped where one flow has many of a kind; a mask (--mask) hides secrets. */
void	report_text_findings(FILE *, struct analysis *, const struct find_mask *);

#endif
