/*
 * standalone.c — runs a fuzz harness over files named on the command line, without libFuzzer:
 * the regression test feeds it the corpus and every hostile capture under the sanitizers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (fp == NULL) {
			perror(argv[i]);
			return 1;
		}
		size_t cap = 1 << 16, n = 0, got;
		unsigned char *buf = malloc(cap);
		while (buf != NULL && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
			n += got;
			if (n == cap) {
				unsigned char *nb = realloc(buf, cap *= 2);
				if (nb == NULL)
					break;
				buf = nb;
			}
		}
		fclose(fp);
		if (buf == NULL)
			return 1;
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
		printf("PASS: %s\n", argv[i]);
	}
	return 0;
}
