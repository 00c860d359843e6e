/* The diagnostics sink: every message galley prints goes through here, in one format. */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The only mutable global state in galley: the run's diagnostics settings and counts. */
static struct {
	int	strict;
	int	quiet;
	int	errors;
	int	warnings;
	char	status[256];	/* the status line shown now; "" for none */
} sink;

/* Clears the status line, if one is shown, before a line is printed over it. */
static void
status_hide(void)
{
	if (sink.status[0] != '\0')
		fputs("\r\033[K", stderr);
}

/* Puts the status line back under what was printed. */
static void
status_show(void)
{
	if (sink.status[0] != '\0') {
		fputs(sink.status, stderr);
		fflush(stderr);
	}
}

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
	status_hide();
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
	status_show();
}

void
msg_note(const char *fmt, ...)
{
	va_list ap;

	status_hide();
	fputs("galley: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	status_show();
}

void
msg_status(const char *text)
{
	status_hide();
	if (text == NULL) {
		sink.status[0] = '\0';
		fflush(stderr);
		return;
	}
	snprintf(sink.status, sizeof(sink.status), "%s", text);
	status_show();
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
