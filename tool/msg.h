/* The diagnostics sink: every message galley prints goes through here, in one format. */
#ifndef GALLEY_MSG_H
#define GALLEY_MSG_H

enum msg_level {
	MSG_WARNING,	/* output is still written; an error under --strict */
	MSG_ERROR	/* the document fails; its outputs are not written */
};

/* Sets whether warnings count as errors (--strict) and whether warnings are shown at all. */
void msg_configure(int strict, int quiet);

/*
 * Prints "galley: FILE:LINE:COL: error: text" to standard error.  file may be
 * NULL (a message about the run, not a document); line and col may be 0 when
 * unknown, and are then left out.  Columns count characters, not bytes.
 */
void msg_at(enum msg_level level, const char *file, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * From msg_hold() on, messages are kept rather than printed or counted, until
 * msg_release() prints and counts them (keep 1) or forgets them (keep 0): a
 * layout pass that will be done again says nothing.
 */
void msg_hold(void);
void msg_release(int keep);

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

#endif
