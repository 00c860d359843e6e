/* The diagnostics sink: every message galley prints goes through here, in one format. */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mem.h"

/* A message kept while the sink holds them. */
struct held {
	enum msg_level	 level;
	char		*where;	/* "FILE:LINE:COL: ", or "" */
	char		*body;
};

/* The only mutable global state in galley: the run's diagnostics settings and counts. */
static struct {
	int		 strict;
	int		 quiet;
	int		 errors;
	int		 warnings;
	char		 status[256];	/* the status line shown now; "" for none */
	int		 holding;
	struct held	*held;
	size_t		 nheld, cap;
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

static void
emit(enum msg_level level, const char *where, const char *body)
{
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
	fprintf(stderr, "galley: %s%s%s\n", where,
	    level == MSG_ERROR ? "error: " : "warning: ", body);
	status_show();
}

void
msg_at(enum msg_level level, const char *file, int line, int col,
    const char *fmt, ...)
{
	struct buf where = BUF_INIT, body = BUF_INIT;
	va_list ap;

	if (file != NULL) {
		buf_puts(&where, file);
		if (line > 0) {
			buf_printf(&where, ":%d", line);
			if (col > 0)
				buf_printf(&where, ":%d", col);
		}
		buf_puts(&where, ": ");
	}
	va_start(ap, fmt);
	buf_vprintf(&body, fmt, ap);
	va_end(ap);
	if (sink.holding) {
		sink.held = mem_grow(sink.held, &sink.cap, sink.nheld + 1, sizeof(*sink.held));
		sink.held[sink.nheld++] = (struct held){ level, mem_strdup(buf_str(&where)),
		    mem_strdup(buf_str(&body)) };
	} else
		emit(level, buf_str(&where), buf_str(&body));
	buf_free(&where);
	buf_free(&body);
}

void
msg_hold(void)
{
	sink.holding = 1;
}

void
msg_release(int keep)
{
	for (size_t i = 0; i < sink.nheld; i++) {
		if (keep)
			emit(sink.held[i].level, sink.held[i].where, sink.held[i].body);
		free(sink.held[i].where);
		free(sink.held[i].body);
	}
	free(sink.held);
	sink.held = NULL;
	sink.nheld = sink.cap = 0;
	sink.holding = 0;
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
