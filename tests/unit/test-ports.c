/*
 * test-ports.c — the secure-ports list (ports.h): one line parsed at a time (entries,
 * comments, blanks, bad transports and port numbers), files with a bad line and the warning
 * it gives, $IOTSCOPE_DATADIR, the built-in fallback of 22 entries, lookups, long lines.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ports.h"
#include "warn.h"

static void
assert_entry(const struct port_entry *e, unsigned port, int tcp, const char *name,
    const char *desc)
{
	assert_non_null(e);
	assert_int_equal(e->port, port);
	assert_int_equal(e->tcp, tcp);
	assert_string_equal(e->name, name);
	assert_string_equal(e->desc, desc);
}

static void
test_parse_line(void **state)
{
	(void)state;
	static const char *const bad[] = { "# a comment", "   # indented", "", "\n", "  \t\n",
		"443/sctp x y", "0/tcp zero", "70000/tcp big", "65536/udp big", "-1/tcp neg",
		"443 tcp https", "443/tcp", "https/tcp 443", "/tcp x" };
	struct port_entry e;

	assert_int_equal(ports_parse_line("443/tcp https HTTP over TLS", &e), 0);
	assert_entry(&e, 443, 1, "https", "HTTP over TLS");
	assert_int_equal(ports_parse_line("5684/udp coaps x", &e), 0);
	assert_entry(&e, 5684, 0, "coaps", "x");
	assert_int_equal(ports_parse_line("  \t22/tcp ssh\r\n", &e), 0);
	assert_entry(&e, 22, 1, "ssh", "");
	assert_int_equal(ports_parse_line("65535/udp top  spaced   out\r\n", &e), 0);
	assert_entry(&e, 65535, 0, "top", "spaced   out");
	assert_int_equal(ports_parse_line("1/tcp one", &e), 0);
	assert_entry(&e, 1, 1, "one", "");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (ports_parse_line(bad[i], &e) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
	/* A description longer than the field is cut, not overflowed. */
	char longl[200];
	snprintf(longl, sizeof longl, "8443/tcp alt %0150d", 0);
	assert_int_equal(ports_parse_line(longl, &e), 0);
	assert_int_equal(strlen(e.desc), sizeof e.desc - 1);
}

/* Writes text to a fresh temporary file; returns its name in path. */
static void
temp_file(char *path, size_t len, const char *text)
{
	snprintf(path, len, "/tmp/test-ports-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_load_file(void **state)
{
	(void)state;
	char path[64], want[96];
	struct secure_ports sp;
	struct warnlist w;

	temp_file(path, sizeof path,
	    "# secure ports for a test\n"
	    "\n"
	    "443/tcp https HTTP over TLS\n"
	    "   \t\r\n"
	    "not a port line\n"
	    "  # indented comment\n"
	    "5684/udp coaps CoAP over DTLS\r\n");
	warn_init(&w);
	ports_load(&sp, path, &w);
	unlink(path);
	assert_int_equal(sp.n, 2);
	assert_non_null(sp.source);
	assert_string_equal(sp.source, path);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.v[0].level, WARN_WARNING);
	snprintf(want, sizeof want, "%s:5:", path);
	assert_non_null(strstr(w.v[0].msg, want));
	assert_entry(ports_find(&sp, 443, 1), 443, 1, "https", "HTTP over TLS");
	assert_entry(ports_find(&sp, 5684, 0), 5684, 0, "coaps", "CoAP over DTLS");
	assert_null(ports_find(&sp, 443, 0));
	assert_null(ports_find(&sp, 22, 1));
	ports_fini(&sp);
	warn_fini(&w);

	/* An empty file is a list of none, not a reason for the built-in one. */
	temp_file(path, sizeof path, "");
	warn_init(&w);
	ports_load(&sp, path, &w);
	unlink(path);
	assert_int_equal(sp.n, 0);
	assert_int_equal(w.n, 0);
	assert_null(ports_find(&sp, 443, 1));
	ports_fini(&sp);
	warn_fini(&w);
}

/* $IOTSCOPE_DATADIR/secure-ports when no path is given. */
static void
test_load_datadir(void **state)
{
	(void)state;
	char dir[64], file[96];
	struct secure_ports sp;
	struct warnlist w;

	snprintf(dir, sizeof dir, "/tmp/test-ports-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof file, "%s/secure-ports", dir);
	FILE *fp = fopen(file, "w");
	assert_non_null(fp);
	fputs("9999/tcp mine My own\n", fp);
	fclose(fp);
	setenv("IOTSCOPE_DATADIR", dir, 1);
	warn_init(&w);
	ports_load(&sp, NULL, &w);
	unsetenv("IOTSCOPE_DATADIR");
	unlink(file);
	rmdir(dir);
	assert_int_equal(sp.n, 1);
	assert_string_equal(sp.source, file);
	assert_int_equal(w.n, 0);
	assert_entry(ports_find(&sp, 9999, 1), 9999, 1, "mine", "My own");
	ports_fini(&sp);
	warn_fini(&w);
}

static void
test_builtin(void **state)
{
	(void)state;
	struct secure_ports sp;
	struct warnlist w;

	warn_init(&w);
	ports_load(&sp, "/nonexistent/secure-ports", &w);
	assert_int_equal(sp.n, 22);
	assert_null(sp.source);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.v[0].level, WARN_WARNING);
	assert_non_null(strstr(w.v[0].msg, "/nonexistent/secure-ports"));
	assert_non_null(strstr(w.v[0].msg, "built-in"));
	assert_entry(ports_find(&sp, 443, 1), 443, 1, "https", "HTTP over TLS");
	assert_entry(ports_find(&sp, 443, 0), 443, 0, "quic", "HTTP/3 over QUIC");
	assert_entry(ports_find(&sp, 5684, 0), 5684, 0, "coaps", "CoAP over DTLS");
	assert_entry(ports_find(&sp, 8883, 1), 8883, 1, "secure-mqtt", "MQTT over TLS");
	assert_entry(ports_find(&sp, 22, 1), 22, 1, "ssh", "Secure Shell");
	assert_null(ports_find(&sp, 5684, 1));
	assert_null(ports_find(&sp, 80, 1));
	assert_null(ports_find(&sp, 0, 1));
	/* Every entry unique by port and transport. */
	for (size_t i = 0; i < sp.n; i++)
		assert_ptr_equal(ports_find(&sp, sp.v[i].port, sp.v[i].tcp), &sp.v[i]);
	ports_fini(&sp);
	assert_int_equal(sp.n, 0);
	assert_null(sp.v);
	warn_fini(&w);
}

/* The file installed with iotscope holds the same 22 entries as the built-in list. */
static void
test_share_file(void **state)
{
	(void)state;
	struct secure_ports file, builtin;
	struct warnlist w;
	const char *src = getenv("srcdir");
	char path[4096];

	snprintf(path, sizeof path, "%s/share/secure-ports", src != NULL ? src : "../..");
	if (access(path, R_OK) != 0)
		skip();
	warn_init(&w);
	ports_load(&file, path, &w);
	ports_load(&builtin, "/nonexistent/secure-ports", &w);
	assert_int_equal(w.n, 1);			/* the fallback's warning only */
	assert_int_equal(file.n, builtin.n);
	for (size_t i = 0; i < builtin.n; i++) {
		const struct port_entry *b = &builtin.v[i];
		assert_entry(ports_find(&file, b->port, b->tcp), b->port, b->tcp, b->name,
		    b->desc);
	}
	ports_fini(&file);
	ports_fini(&builtin);
	warn_fini(&w);
}

/*
 * A comment longer than the 256-byte line buffer: its tail must not be read as a line of
 * its own (here, one that looks like an entry) nor shift the line numbers of warnings.
 */
static void
test_long_line(void **state)
{
	(void)state;
	char text[1024], path[64], want[96];
	struct secure_ports sp;
	struct warnlist w;
	int planted, n, nw, line2;

	snprintf(text, sizeof text, "# %0253d8080/tcp planted by a comment\nbogus\n"
	    "443/tcp https x\n", 0);
	temp_file(path, sizeof path, text);
	warn_init(&w);
	ports_load(&sp, path, &w);
	unlink(path);
	snprintf(want, sizeof want, "%s:2:", path);
	planted = ports_find(&sp, 8080, 1) != NULL;
	n = (int)sp.n;
	nw = (int)w.n;
	line2 = nw == 1 && strstr(w.v[0].msg, want) != NULL;
	ports_fini(&sp);
	warn_fini(&w);
	if (planted || n != 1 || nw != 1 || !line2)
		fail_msg("%d entries (8080 %s), %d warnings, bad line %s reported as line 2",
		    n, planted ? "taken from the comment" : "absent", nw, line2 ? "" : "not");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_datadir),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_share_file),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
