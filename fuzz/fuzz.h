/* The libFuzzer entry point shared by the fuzz targets and the corpus replayer (replay.c),
 * declared here so the targets build with -Wmissing-prototypes. */
#ifndef HUB_FUZZ_H
#define HUB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input; always returns 0. Must not keep data after returning. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
