/*
 * oui.h — MAC vendor names from the IEEE OUI registry (Debian's ieee-data oui.txt) or
 * Wireshark's manuf file (which also has 28- and 36-bit blocks).  Loaded once, on the first
 * lookup, so a capture without devices never pays for it; a missing file leaves vendors empty
 * and says so once.
 */
#ifndef IOT_OUI_H
#define IOT_OUI_H

#include <stddef.h>
#include <stdint.h>

struct oui;

/* path NULL: IOTSCOPE_OUI, then the usual places.  Never fails; see oui_source(). */
struct oui	*oui_new(const char *path);
void		 oui_free(struct oui *);
/* Reads the file now, unless done: before the process is confined (ui/sandbox.c). */
void		 oui_load(struct oui *);
/* Vendor of a MAC, or NULL (borrowed from the table).  Loads the file on first use. */
const char	*oui_vendor(struct oui *, const uint8_t mac[6]);
/* Loads the registry now rather than at the first lookup (memory accounting starts after). */
void		 oui_load(struct oui *);
/* The file the table came from, or NULL when none could be read (after a lookup). */
const char	*oui_source(const struct oui *);
size_t		 oui_entries(const struct oui *);
/* Parses one line of either format into the table; for tests. */
int		 oui_parse_line(struct oui *, const char *line);

#endif
