/* Fuzz target: Markdown and front matter through the filters, the page layout and the PDF. */
#include <stddef.h>
#include <stdint.h>

#include "build.h"
#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_start(OUT_LAYOUT | OUT_PDF, NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_build((const char *)data, size);
	return 0;
}
