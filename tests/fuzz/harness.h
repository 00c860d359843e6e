/* What the fuzz targets share: a galley run kept across inputs, building each input in memory. */
#ifndef GALLEY_FUZZ_HARNESS_H
#define GALLEY_FUZZ_HARNESS_H

#include <stddef.h>

/*
 * Starts the run the inputs are built in: outputs are OUT_* bits; filter, a
 * Lua file's path (borrowed, must outlive the run) or NULL, runs after the
 * document's and the style's filters.  Messages are counted, warnings not
 * shown.  Call once, from LLVMFuzzerInitialize; the run lasts the process.
 */
void fuzz_start(unsigned outputs, const char *filter);

/*
 * Builds src[0..len) (borrowed) as the document content/bulletin/fuzz.md
 * (beside the bulletin's images and the term bases), and aborts when the
 * pipeline says it succeeded but an output is not what that output must be.
 * Returns build_memory's result.
 */
int fuzz_build(const char *src, size_t len);

#endif
