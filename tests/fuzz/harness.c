/* What the fuzz targets share: a galley run kept across inputs, building each input in memory. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "msg.h"

#define FUZZ_PATH "content/bulletin/fuzz.md"

/*
 * libFuzzer calls the target once per input and gives it nowhere to keep
 * things, so the run lives here: like one galley command building many
 * files, it loads each style and opens each font once.
 */
static struct build_opts opts;
static struct build *run;

/* Ends the run before the leak checker looks at what is left at exit. */
static void
fuzz_stop(void)
{
	build_free(run);
	run = NULL;
}

void
fuzz_start(unsigned outputs, const char *filter)
{
	static const char *filters[1];

	msg_configure(0, 1);
	opts.outdir = "-";
	opts.outputs = outputs;
	opts.epoch = 0;
	if (filter != NULL) {
		filters[0] = filter;
		opts.filters = filters;
		opts.nfilters = 1;
	}
	run = build_new(&opts);
	atexit(fuzz_stop);
}

static int
starts_with(const struct buf *out, const char *prefix)
{
	size_t len = strlen(prefix);

	return out->len >= len && memcmp(out->data, prefix, len) == 0;
}

static int
ends_with(const struct buf *out, const char *suffix)
{
	size_t len = strlen(suffix);

	return out->len >= len && memcmp(out->data + out->len - len, suffix, len) == 0;
}

int
fuzz_build(const char *src, size_t len)
{
	struct buf outs[BUILD_NOUTPUTS] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	int rc, i, broken = 0;

	rc = build_memory(run, FUZZ_PATH, src, len, outs);
	if (rc == 0) {
		/* A build that succeeded has every output it was asked for, whole. */
		broken |= (opts.outputs & OUT_HTML) && !starts_with(&outs[0], "<!DOCTYPE html>");
		broken |= (opts.outputs & OUT_HTML) && !ends_with(&outs[0], "</html>\n");
		broken |= (opts.outputs & OUT_PDF) && (!starts_with(&outs[4], "%PDF-") ||
		    !ends_with(&outs[4], "%%EOF\n"));
	}
	for (i = 0; i < BUILD_NOUTPUTS; i++)
		buf_free(&outs[i]);
	if (broken) {
		fputs("fuzz: the build succeeded but an output is cut short\n", stderr);
		abort();
	}
	return rc;
}
