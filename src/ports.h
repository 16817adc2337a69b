/*
 * ports.h — the secure-ports list: ports whose traffic is expected to be encrypted (the
 * paper's list of 22, in share/secure-ports; users may edit it, --secure-ports replaces it).
 * One entry a line: "port/proto name description"; '#' starts a comment.  Without a readable
 * file the same built-in list is used, and a warning says so.
 */
#ifndef IOT_PORTS_H
#define IOT_PORTS_H

#include <stddef.h>
#include <stdint.h>

struct warnlist;

struct port_entry {
	uint16_t	 port;
	uint8_t		 tcp;		/* 1 tcp, 0 udp */
	char		 name[24];
	char		 desc[64];
};

struct secure_ports {
	struct port_entry *v;
	size_t		 n;
	char		*source;	/* the file read, or NULL for the built-in list */
	/* A bit per [TCP][port] on the list: most ports are not, and are told so in one probe. */
	uint64_t	 on[2][65536 / 64];
};

/* Loads path (NULL: $IOTSCOPE_DATADIR/secure-ports, then the installed one). */
void	ports_load(struct secure_ports *, const char *path, struct warnlist *);
void	ports_fini(struct secure_ports *);
const struct port_entry *ports_find(const struct secure_ports *, uint16_t port, int tcp);
/* Parses one line; 0 when it held an entry (for tests). */
int	ports_parse_line(const char *line, struct port_entry *);

#endif
