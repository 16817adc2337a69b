/*
 * test-digest.c — SHA-256 of inputs (digest.h): the FIPS 180-2 test vectors, the same sum
 * whatever the pieces it is fed in, a whole file hashed on the thread and without it (sizes
 * around the 1 MiB chunk, the empty file), a read error, and freeing a thread still reading.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "digest.h"

static const char *
hex_of(struct digest *d, char hex[DIGEST_HEX])
{
	uint8_t sum[DIGEST_LEN];

	digest_final(d, sum);
	return digest_hex(sum, hex);
}

static void
test_vectors(void **state)
{
	struct digest *d = digest_new();
	char hex[DIGEST_HEX];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	assert_string_equal(hex_of(d, hex),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest_update(d, "abc", 3);
	assert_int_equal(digest_bytes(d), 3);
	assert_string_equal(hex_of(d, hex),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* Ending starts it again, empty. */
	assert_int_equal(digest_bytes(d), 0);
	for (size_t i = 0; i < strlen(two); i++)
		digest_update(d, two + i, 1);
	assert_string_equal(hex_of(d, hex),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	digest_free(d);
}

/* A file of n bytes of a fixed pattern; its descriptor, the file already unlinked. */
static int
make_file(size_t n, uint8_t **bytes)
{
	char path[] = "/tmp/test-digest.XXXXXX";
	int fd = mkstemp(path);
	uint8_t *b = malloc(n + 1);

	assert_true(fd >= 0);
	assert_non_null(b);
	unlink(path);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 7 + (i >> 11));
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	*bytes = b;
	return fd;
}

static void
check_file(size_t n, int threaded)
{
	uint8_t *bytes, sum[DIGEST_LEN], got[DIGEST_LEN];
	uint64_t nb = 0;
	const char *err = "unset";
	int fd = make_file(n, &bytes);
	struct digest *d = digest_new();
	char want[DIGEST_HEX], hex[DIGEST_HEX];

	digest_update(d, bytes, n);
	digest_final(d, sum);
	digest_hex(sum, want);
	struct digest_file *f = digest_file_new(fd);
	assert_non_null(f);
	/* Its own descriptor: the caller's may go at once. */
	close(fd);
	assert_int_equal(digest_file_poll(f, got, &nb, &err), 0);
	if (threaded)
		digest_file_start(f);
	digest_file_wait(f, got, &nb, &err);
	assert_null(err);
	assert_int_equal(nb, n);
	assert_string_equal(digest_hex(got, hex), want);
	assert_int_equal(digest_file_poll(f, got, &nb, &err), 1);
	assert_string_equal(digest_hex(got, hex), want);
	digest_file_free(f);
	digest_free(d);
	free(bytes);
}

static void
test_file_sizes(void **state)
{
	static const size_t sizes[] = { 0, 1, 63, 64, 65, (1u << 20) - 1, 1u << 20,
	    (1u << 20) + 1, 3u << 20 };

	(void)state;
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		check_file(sizes[i], 1);
		check_file(sizes[i], 0);
	}
}

static void
test_read_error(void **state)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	uint8_t got[DIGEST_LEN];
	uint64_t nb = 1;
	const char *err = NULL;

	(void)state;
	assert_true(fd >= 0);
	struct digest_file *f = digest_file_new(fd);
	close(fd);
	digest_file_start(f);
	digest_file_wait(f, got, &nb, &err);
	assert_non_null(err);
	assert_non_null(strstr(err, "read error at byte 0"));
	assert_int_equal(nb, 0);
	digest_file_free(f);
}

/* Freed while it reads (the workbench quit early): it stops and nothing leaks. */
static void
test_free_running(void **state)
{
	uint8_t *bytes;
	int fd = make_file(8u << 20, &bytes);

	(void)state;
	for (int i = 0; i < 20; i++) {
		struct digest_file *f = digest_file_new(fd);
		digest_file_start(f);
		digest_file_free(f);
		/* Never started: nothing to join. */
		digest_file_free(digest_file_new(fd));
	}
	close(fd);
	free(bytes);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_file_sizes),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_free_running),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
