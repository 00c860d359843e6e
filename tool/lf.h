/* Lua filters: the model goes to Lua as pandoc-like elements, each filter runs, the result comes back. */
#ifndef GALLEY_LF_H
#define GALLEY_LF_H

#include <stddef.h>

#include "doc.h"

struct lf_opts {
	int		 trusted;	/* --trust-filters: io and os libraries */
	int		 trust_paths;	/* --trust-paths: galley.read_data() may read any file */
	const char	*format;	/* the FORMAT global: the main output ("html") */
	const char	*outputs;	/* every output being built, comma-separated */
	long		 max_steps;	/* instruction budget per filter, in thousands; 0 for the default */
	size_t		 max_memory;	/* bytes Lua may hold beyond the document (which may
					   take three times its own size on top); 0: default */
	int		 max_seconds;	/* CPU time for all the filters, in seconds; 0 for the default */
	/*
	 * Called with the path of every file the run reads (each filter file as
	 * it is loaded, and any data file read for a filter), so that the build
	 * can list them as dependencies; NULL: nobody asks.  Code in lf.c that
	 * reads a file calls note_read(lf, path), which calls this.
	 */
	void		(*on_read)(void *dep_ctx, const char *path);
	void		*dep_ctx;	/* on_read's first argument */
};

/*
 * Runs the Lua files filters[0..n) over doc in order, replacing doc's blocks
 * and metadata with what they leave.  Returns 0, or -1 after reporting the
 * error (at the filter's file and line, with the document position being
 * filtered); doc is then unchanged.
 */
int lf_run(struct doc *doc, const char *const *filters, size_t n,
    const struct lf_opts *opts);

#endif
