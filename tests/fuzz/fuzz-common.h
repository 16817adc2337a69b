/*
 * fuzz-common.h — what the fuzz harnesses share: run the whole analysis (reader, dissectors,
 * tables, every report writer) over one capture held in memory.
 */
#ifndef IOT_FUZZ_COMMON_H
#define IOT_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Analyses a capture file image; never fails (problems become warnings). */
void	fuzz_analyse(const uint8_t *data, size_t size);

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
