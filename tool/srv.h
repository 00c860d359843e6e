/* `galley serve`: builds documents, serves their folder over HTTP and rebuilds them as the files they read change. */
#ifndef GALLEY_SRV_H
#define GALLEY_SRV_H

#include <stddef.h>

#include "build.h"

struct srv_opts {
	const char	*host;		/* address to listen on: "127.0.0.1" unless --host */
	int		 port;		/* 0: any free port (the one taken is printed) */
	const char	*outdir;	/* the folder built into and served */
	/* The build options given (borrowed); each rebuild passes them on to `galley build`. */
	const struct build_opts *build;
	int		 strict;	/* --strict */
	char *const	*inputs;	/* FILE or FOLDER arguments (borrowed) */
	size_t		 ninputs;
};

/*
 * Finds the documents of o->inputs (a Markdown file; an issue folder or its
 * issue.yaml; any other folder: the Markdown files and issue folders under
 * it, placed in the same sub-folders of o->outdir), builds each to HTML and
 * PDF, serves o->outdir at http://HOST:PORT/ and rebuilds a document whenever
 * a file its last build read changes, telling the open pages through an
 * EventSource.  Runs until SIGINT or SIGTERM.  Returns the exit status: 0
 * after a signal, 1 when it could not start (reported), 2 for a bad argument.
 */
int srv_run(const struct srv_opts *o);

#endif
