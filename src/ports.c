/*
 * ports.c — the secure-ports list (see ports.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"
#include "warn.h"
#include "xalloc.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/iotscope"
#endif

/* The same as share/secure-ports, for when no file can be read. */
static const char *const builtin[] = {
	"22/tcp ssh Secure Shell",
	"443/tcp https HTTP over TLS",
	"443/udp quic HTTP/3 over QUIC",
	"465/tcp submissions SMTP over TLS",
	"563/tcp nntps NNTP over TLS",
	"636/tcp ldaps LDAP over TLS",
	"853/tcp domain-s DNS over TLS",
	"989/tcp ftps-data FTP data over TLS",
	"990/tcp ftps FTP control over TLS",
	"992/tcp telnets Telnet over TLS",
	"993/tcp imaps IMAP over TLS",
	"995/tcp pop3s POP3 over TLS",
	"1443/tcp https-alt HTTPS (device vendors)",
	"4433/tcp https-alt HTTPS (device vendors)",
	"5061/tcp sips SIP over TLS",
	"5223/tcp apns Apple push, XMPP over TLS",
	"5349/tcp turns TURN over TLS",
	"5671/tcp amqps AMQP over TLS",
	"5684/udp coaps CoAP over DTLS",
	"6514/tcp syslog-tls Syslog over TLS",
	"8443/tcp https-alt HTTP over TLS (alternate)",
	"8883/tcp secure-mqtt MQTT over TLS",
};

int
ports_parse_line(const char *line, struct port_entry *e)
{
	unsigned port;
	char proto[8];
	int n = 0;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#' || *line == '\0' || *line == '\n')
		return -1;
	memset(e, 0, sizeof *e);
	if (sscanf(line, "%u/%7s %23s %n", &port, proto, e->name, &n) < 3 || port == 0 ||
	    port > 65535)
		return -1;
	if (strcmp(proto, "tcp") == 0)
		e->tcp = 1;
	else if (strcmp(proto, "udp") != 0)
		return -1;
	e->port = (uint16_t)port;
	if (n > 0)
		snprintf(e->desc, sizeof e->desc, "%.*s", (int)strcspn(line + n, "\r\n"), line + n);
	return 0;
}

static void
add(struct secure_ports *sp, const struct port_entry *e)
{
	sp->v = xreallocarray(sp->v, sp->n + 1, sizeof *sp->v);
	sp->v[sp->n++] = *e;
	sp->on[e->tcp != 0][e->port / 64] |= 1ull << (e->port % 64);
}

static int
load_file(struct secure_ports *sp, const char *path, struct warnlist *w)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	struct port_entry e;

	if (fp == NULL)
		return -1;
	/* getline: a long comment is one line, never two (its tail is no entry). */
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		if (ports_parse_line(line, &e) == 0)
			add(sp, &e);
		else if (line[strspn(line, " \t")] != '#' && line[strspn(line, " \t\r\n")] != '\0')
			warn_add(w, WARN_WARNING, "%s:%d: not a \"port/proto name\" line, ignored",
			    path, lineno);
	}
	free(line);
	fclose(fp);
	sp->source = xstrdup(path);
	return 0;
}

void
ports_load(struct secure_ports *sp, const char *path, struct warnlist *w)
{
	char buf[4096];
	const char *dir = getenv("IOTSCOPE_DATADIR");
	struct port_entry e;

	memset(sp, 0, sizeof *sp);
	if (path != NULL) {
		if (load_file(sp, path, w) == 0)
			return;
		warn_add(w, WARN_WARNING, "%s: cannot read the secure-ports list; using the "
		    "built-in one", path);
	} else {
		if (dir != NULL && dir[0] != '\0') {
			snprintf(buf, sizeof buf, "%s/secure-ports", dir);
			if (load_file(sp, buf, w) == 0)
				return;
		}
		if (load_file(sp, PKGDATADIR "/secure-ports", w) == 0)
			return;
#ifdef SRCDATADIR
		/* Running from the build tree, before `make install`. */
		if (load_file(sp, SRCDATADIR "/secure-ports", w) == 0)
			return;
#endif
		warn_add(w, WARN_INFO, "no secure-ports file in IOTSCOPE_DATADIR or %s; using the "
		    "built-in list", PKGDATADIR);
	}
	for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
		if (ports_parse_line(builtin[i], &e) == 0)
			add(sp, &e);
}

void
ports_fini(struct secure_ports *sp)
{
	free(sp->v);
	free(sp->source);
	memset(sp, 0, sizeof *sp);
}

const struct port_entry *
ports_find(const struct secure_ports *sp, uint16_t port, int tcp)
{
	if ((sp->on[tcp != 0][port / 64] & 1ull << (port % 64)) == 0)
		return NULL;
	for (size_t i = 0; i < sp->n; i++)
		if (sp->v[i].port == port && sp->v[i].tcp == (tcp != 0))
			return &sp->v[i];
	return NULL;
}
