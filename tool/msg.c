/* The diagnostics sink: every message galley prints goes through here, in one format. */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>

/* The only mutable global state in galley: the run's diagnostics settings and counts. */
static struct {
	int	strict;
	int	quiet;
	int	errors;
	int	warnings;
} sink;

void
msg_configure(int strict, int quiet)
{
	sink.strict = strict;
	sink.quiet = quiet;
}

void
msg_at(enum msg_level level, const char *file, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	if (level == MSG_WARNING && sink.strict)
		level = MSG_ERROR;
	if (level == MSG_ERROR)
		sink.errors++;
	else {
		sink.warnings++;
		if (sink.quiet)
			return;
	}
	fputs("galley: ", stderr);
	if (file != NULL) {
		fputs(file, stderr);
		if (line > 0) {
			fprintf(stderr, ":%d", line);
			if (col > 0)
				fprintf(stderr, ":%d", col);
		}
		fputs(": ", stderr);
	}
	fputs(level == MSG_ERROR ? "error: " : "warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
msg_errors(void)
{
	return sink.errors;
}

int
msg_warnings(void)
{
	return sink.warnings;
}
