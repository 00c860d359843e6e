/* Fuzz target: Markdown and front matter through the model, the filters and the HTML, XML and tree outputs. */
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
	fuzz_start(OUT_HTML | OUT_XML | OUT_TREE, NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_build((const char *)data, size);
	return 0;
}
