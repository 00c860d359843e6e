/*
 * Fuzz target: a Lua filter's source, run in the sandbox under the memory,
 * instruction and CPU-time limits over a document, whose result goes on to
 * the HTML, the layout and the PDF.  An input is the filter's source, then
 * optionally the separator line below and the document's Markdown; without
 * one the filter runs over default_document.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "harness.h"

#define SEPARATOR "\n-- document --\n"

/* Something of each kind of element, for the filter to walk over and change. */
static const char default_document[] =
"---\n"
"title: 模糊测试\n"
"subtitle: A document for fuzzed filters\n"
"date: 2026-03-01\n"
"---\n"
"\n"
"# 范围 {#scope}\n"
"\n"
"本文件规定了**视频监控**产品的*抽查*要求[^1]，见 [范围](#scope) 与 `code`。\n"
"English words, ~~struck~~ text and a [link](https://example.org \"title\").\n"
"\n"
"## 术语 {.unnumbered}\n"
"\n"
"1. 第一项\n"
"2. 第二项\n"
"   - 嵌套一\n"
"   - 嵌套二\n"
"\n"
"> 引文：一、二、三。\n"
"\n"
"| 产品 | 批次 | 合格率 |\n"
"|:-----|-----:|:------:|\n"
"| 摄像机 | 12 | 91.7% |\n"
"| 录像机 | 8 | 100% |\n"
"\n"
"![抽查结果](images/inspection.png){#fig-inspection}\n"
"\n"
"```lua\n"
"print(\"code block\")\n"
"```\n"
"\n"
"---\n"
"\n"
"[上标]{.sup} 与 [span]{#s .c key=value}\n"
"\n"
"[^1]: 脚注：按 GB/T 1.1—2020 起草。\n";

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where each input's filter is written: galley runs filters from files. */
static char dir[] = "/tmp/galley-fuzz-XXXXXX";
static char filter_path[sizeof(dir) + 16];

static void
remove_dir(void)
{
	unlink(filter_path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL) {
		perror("fuzz: mkdtemp");
		exit(1);
	}
	snprintf(filter_path, sizeof(filter_path), "%s/filter.lua", dir);
	atexit(remove_dir);
	fuzz_start(OUT_HTML | OUT_LAYOUT | OUT_PDF, filter_path);
	return 0;
}

/* The first occurrence of the separator in s[0..len), or NULL. */
static const char *
find_separator(const char *s, size_t len)
{
	size_t n = strlen(SEPARATOR), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(s + i, SEPARATOR, n) == 0)
			return s + i;
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data, *sep = find_separator(src, size);
	size_t lua_len = sep ? (size_t)(sep - src) : size;
	FILE *f = fopen(filter_path, "wb");

	if (f == NULL || fwrite(src, 1, lua_len, f) != lua_len || fclose(f) != 0) {
		perror("fuzz: writing the filter");
		abort();
	}
	if (sep != NULL)
		fuzz_build(sep + strlen(SEPARATOR), size - lua_len - strlen(SEPARATOR));
	else
		fuzz_build(default_document, sizeof(default_document) - 1);
	return 0;
}
