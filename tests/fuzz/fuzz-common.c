/*
 * fuzz-common.c — one in-memory capture through the analysis and the reports.  The image is
 * written to a memfd so the real file path (bytesrc, libpcap, pcapng, gzip) is exercised.
 */
#include "config.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analysis.h"
#include "fuzz-common.h"
#include "report.h"

void
fuzz_analyse(const uint8_t *data, size_t size)
{
	struct analysis_opts ao = { .oui_path = "/nonexistent" };
	struct report_opts ro = { .format = REPORT_JSON };
	char path[64], err[256];
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct analysis *a = analysis_new(&ao);
	if (analysis_add_file(a, path, err, sizeof err) == 0)
		while (analysis_step(a, 4096))
			;
	FILE *null = fopen("/dev/null", "w");
	if (null != NULL) {
		report_json(a, &ro, NULL, null);
		report_text(a, &ro, NULL, null);
		fclose(null);
	}
	analysis_free(a);
	close(fd);
}
