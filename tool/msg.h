/* The diagnostics sink: every message galley prints goes through here, in one format. */
#ifndef GALLEY_MSG_H
#define GALLEY_MSG_H

#include <stddef.h>

enum msg_level {
	MSG_WARNING,	/* output is still written; an error under --strict */
	MSG_ERROR	/* the document fails; its outputs are not written */
};

/* Sets whether warnings count as errors (--strict) and whether warnings are shown at all. */
void msg_configure(int strict, int quiet);

/* Whether warnings count as errors: a message may then leave out what a warning goes on to do. */
int msg_strict(void);

/*
 * Prints "galley: FILE:LINE:COL: error: text" to standard error.  file may be
 * NULL (a message about the run, not a document); line and col may be 0 when
 * unknown, and are then left out.  Columns count characters, not bytes.
 */
void msg_at(enum msg_level level, const char *file, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * From msg_hold() on, the calling thread's messages are kept rather than
 * printed or counted, until msg_release() prints and counts them (keep 1) or
 * forgets them (keep 0): a layout pass that will be done again says nothing.
 */
void msg_hold(void);
void msg_release(int keep);

/* Messages kept in order; zero-initialised is empty.  Owns its items. */
struct msg_queue {
	struct held	*items;
	size_t		 n, cap;
};

/*
 * From msg_divert(queue) on, the calling thread's messages go to queue (the
 * caller's, alive until msg_divert(NULL)) instead of being printed or counted.
 * msg_replay() then passes them on as if they were said now, and empties queue.
 */
void msg_divert(struct msg_queue *queue);
void msg_replay(struct msg_queue *queue);

/*
 * Prints "galley: text" to standard error: a line about the run (the summary,
 * --stats), not a diagnostic, so it is not counted.
 */
void msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Shows text on a status line at the bottom of standard error, replacing the
 * previous one in place ("\r"); messages printed meanwhile go above it.  NULL
 * clears it.  Only for a terminal: the caller decides whether stderr is one.
 */
void msg_status(const char *text);

/* Errors (including warnings promoted by --strict) and warnings printed so far. */
int msg_errors(void);
int msg_warnings(void);
/* How many messages the calling thread holds (msg_hold): whether a step said anything. */
size_t msg_held(void);

/*
 * The filter watchdog bounds the CPU time of one document's filters, also
 * while a filter is inside a library call that does not give Lua control back
 * (a pattern match that backtracks) or a finalizer (Lua runs them without
 * hooks).  When the time is up it calls interrupt; when the process is still
 * at it MSG_WATCHDOG_GRACE seconds later, it is stuck there: the watchdog
 * prints the error at the place noted in a struct msg_place and ends the
 * process with status 1.  Filters run before any output is written, so no
 * output is cut short.
 */
#define MSG_WATCHDOG_GRACE	1
#define MSG_PLACE_FILE		64	/* room for Lua's short source names (LUA_IDSIZE) */

/*
 * Where a filter is, for the watchdog's last message.  The caller owns it and
 * keeps it up to date while the watchdog is armed; a signal handler reads it,
 * so a writer clears call before changing file and line, and sets it last.
 */
struct msg_place {
	const char *volatile filter;	/* the filter running, or NULL */
	const char *volatile call;	/* the library call running, as the message
					   names it; NULL when none is noted */
	volatile char	 file[MSG_PLACE_FILE];	/* the call's place: file, "" when unknown */
	volatile int	 line;			/* and line, 0 when unknown */
};

/*
 * Arms the watchdog: after seconds (> 0) of the process's CPU time it calls
 * interrupt(ctx) from a signal handler, where interrupt may only do what is
 * safe there (lua_sethook is); MSG_WATCHDOG_GRACE seconds after that it
 * reports at place (borrowed until disarmed) and exits.  When seconds > 1,
 * early(ctx) (unless NULL) is called so once after the first second: the
 * filters count their instructions only from then on.  One watchdog at a time.
 */
void msg_watchdog_arm(int seconds, void (*early)(void *ctx), void (*interrupt)(void *ctx),
    void *ctx, const struct msg_place *place);
/* Stops the watchdog's timer and puts back the signal handler that was there before. */
void msg_watchdog_disarm(void);

#endif
