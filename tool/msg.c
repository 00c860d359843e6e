/* The diagnostics sink: every message galley prints goes through here, in one format. */
#include "msg.h"

#include <sys/time.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "mem.h"

/* A message kept while the sink holds them, or in a queue. */
struct held {
	enum msg_level	 level;
	char		*where;	/* "FILE:LINE:COL: ", or "" */
	char		*body;
};

/* The armed watchdog: what its signal handler needs, set before the timer starts. */
struct watchdog {
	int		 seconds;
	void		(*early)(void *ctx);
	void		(*interrupt)(void *ctx);
	void		*ctx;
	const struct msg_place *place;
	volatile sig_atomic_t ticks;		/* seconds of CPU time signalled */
	volatile sig_atomic_t interrupted;	/* interrupt was called */
	struct sigaction old;			/* the handler to put back */
};

/*
 * The only mutable global state in galley: the run's diagnostics settings and
 * counts, and the watchdog (a signal handler reaches nothing else).
 */
static struct {
	int		 strict;
	int		 quiet;
	int		 errors;
	int		 warnings;
	char		 status[256];	/* the status line shown now; "" for none */
	struct watchdog	 watchdog;
} sink;

/*
 * Where this thread's messages go instead of the sink: held (msg_hold) or
 * diverted (msg_divert).  Per thread, so that the pages, laid out on a second
 * thread while the HTML is rendered, never touch the sink.
 */
static _Thread_local struct {
	int		 holding;
	struct msg_queue held;
	struct msg_queue *diverted;
} here;

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

int
msg_strict(void)
{
	return sink.strict;
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

static void
enqueue(struct msg_queue *queue, enum msg_level level, const char *where, const char *body)
{
	queue->items = mem_grow(queue->items, &queue->cap, queue->n + 1, sizeof(*queue->items));
	queue->items[queue->n++] = (struct held){ level, mem_strdup(where), mem_strdup(body) };
}

/* A message said now, to wherever this thread's messages go. */
static void
pass_on(enum msg_level level, const char *where, const char *body)
{
	if (here.holding)
		enqueue(&here.held, level, where, body);
	else if (here.diverted != NULL)
		enqueue(here.diverted, level, where, body);
	else
		emit(level, where, body);
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
	pass_on(level, buf_str(&where), buf_str(&body));
	buf_free(&where);
	buf_free(&body);
}

static void
msg_queue_free(struct msg_queue *queue)
{
	for (size_t i = 0; i < queue->n; i++) {
		free(queue->items[i].where);
		free(queue->items[i].body);
	}
	free(queue->items);
	memset(queue, 0, sizeof(*queue));
}

void
msg_hold(void)
{
	here.holding = 1;
}

void
msg_release(int keep)
{
	struct msg_queue held = here.held;

	memset(&here.held, 0, sizeof(here.held));
	here.holding = 0;
	if (keep)
		msg_replay(&held);
	else
		msg_queue_free(&held);
}

size_t
msg_held(void)
{
	return here.held.n;
}

void
msg_divert(struct msg_queue *queue)
{
	here.diverted = queue;
}

void
msg_replay(struct msg_queue *queue)
{
	for (size_t i = 0; i < queue->n; i++)
		pass_on(queue->items[i].level, queue->items[i].where, queue->items[i].body);
	msg_queue_free(queue);
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

/* Appends s at end, not past limit, and returns the new end; async-signal-safe, as is put_number. */
static char *
put_text(char *end, const char *limit, const volatile char *s)
{
	while (*s != '\0' && end < limit)
		*end++ = *s++;
	return end;
}

static char *
put_number(char *end, const char *limit, int n)
{
	char digits[16];
	int i = 0;

	do
		digits[i++] = (char)('0' + n % 10);
	while ((n /= 10) > 0 && i < (int)sizeof(digits));
	while (i > 0 && end < limit)
		*end++ = digits[--i];
	return end;
}

/*
 * SIGPROF, each second of CPU time: after the first, the early call; when the
 * filters' time is up, interrupt the filter; the grace later, it is stuck in
 * a call: report where and exit.
 */
static void
watchdog_fired(int sig)
{
	const struct watchdog *w = &sink.watchdog;
	const struct msg_place *place = w->place;
	const char *call = place->call, *filter = place->filter;
	char text[512], *end = text, *limit = text + sizeof(text) - 1;
	int saved = errno, ticks = ++sink.watchdog.ticks;

	(void)sig;
	if (ticks < w->seconds) {
		if (ticks == 1 && w->early != NULL)
			w->early(w->ctx);
		errno = saved;
		return;
	}
	if (!w->interrupted) {
		sink.watchdog.interrupted = 1;
		w->interrupt(w->ctx);
		errno = saved;
		return;
	}
	if (ticks < w->seconds + MSG_WATCHDOG_GRACE) {
		errno = saved;
		return;
	}
	if (sink.status[0] != '\0')
		end = put_text(end, limit, "\r\033[K");
	end = put_text(end, limit, "galley: ");
	if (call != NULL && place->file[0] != '\0') {
		end = put_text(end, limit, place->file);
		if (place->line > 0) {
			end = put_text(end, limit, ":");
			end = put_number(end, limit, place->line);
		}
		end = put_text(end, limit, ": ");
	} else if (filter != NULL) {
		end = put_text(end, limit, filter);
		end = put_text(end, limit, ": ");
	}
	end = put_text(end, limit, "error: filter stopped after ");
	end = put_number(end, limit, w->seconds);
	end = put_text(end, limit, " s of CPU time inside ");
	end = put_text(end, limit, call != NULL ? call : "a library call or a __gc metamethod");
	*end++ = '\n';
	while (write(STDERR_FILENO, text, (size_t)(end - text)) == -1 && errno == EINTR)
		;
	_exit(1);
}

void
msg_watchdog_arm(int seconds, void (*early)(void *ctx), void (*interrupt)(void *ctx),
    void *ctx, const struct msg_place *place)
{
	struct watchdog *w = &sink.watchdog;
	struct sigaction action;
	struct itimerval timer;

	w->seconds = seconds;
	w->early = early;
	w->interrupt = interrupt;
	w->ctx = ctx;
	w->place = place;
	w->ticks = 0;
	w->interrupted = 0;
	memset(&action, 0, sizeof(action));
	action.sa_handler = watchdog_fired;
	sigemptyset(&action.sa_mask);
	action.sa_flags = SA_RESTART;
	sigaction(SIGPROF, &action, &w->old);
	/* A signal a second: the early call, the time up and the grace are whole seconds. */
	memset(&timer, 0, sizeof(timer));
	timer.it_value.tv_sec = 1;
	timer.it_interval.tv_sec = 1;
	setitimer(ITIMER_PROF, &timer, NULL);
}

void
msg_watchdog_disarm(void)
{
	struct itimerval stop;
	struct sigaction ignore;

	memset(&stop, 0, sizeof(stop));
	setitimer(ITIMER_PROF, &stop, NULL);
	/*
	 * A tick still pending is dropped (ignoring a signal discards it) before
	 * the old action comes back: the default one ends the process, and
	 * valgrind delivers signals late enough for one to arrive after it.
	 */
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGPROF, &ignore, NULL);
	sigaction(SIGPROF, &sink.watchdog.old, NULL);
	sink.watchdog.interrupt = NULL;
}
