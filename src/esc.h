/*
 * esc.h — escaping of untrusted text (names, hosts, anything that came from a packet) for the
 * report writers.  Output never carries control bytes, escape sequences, invalid UTF-8 or
 * bidirectional controls: those become \xNN (text, CSV) or \uNNNN (JSON), so a report can be
 * printed to a terminal safely.  The workbench has its own screen escaping in ui/term.c.
 */
#ifndef IOT_ESC_H
#define IOT_ESC_H

#include <stddef.h>
#include <stdio.h>

enum esc_mode {
	ESC_TEXT,		/* plain: \xNN for what is unsafe, backslash doubled */
	ESC_JSON		/* inside a JSON string literal (quotes not written) */
};

struct obuf;

/* Writes s escaped; returns the number of bytes written. */
size_t	esc_fputs(FILE *, const char *s, enum esc_mode);
size_t	esc_obuf(struct obuf *, const char *s, enum esc_mode);
/* Escapes s into buf (always NUL-terminated, cut at a whole escape); returns buf. */
char	*esc_str(char *buf, size_t len, const char *s, enum esc_mode);
/* Decodes one UTF-8 sequence: its length (1..4) and code point, or 0 when invalid. */
int	 utf8_decode(const unsigned char *p, size_t n, unsigned *cp);
/* Code points never to send to a terminal: C0/C1 controls, DEL, bidi and invisible format marks. */
int	 esc_unsafe_cp(unsigned cp);

#endif
