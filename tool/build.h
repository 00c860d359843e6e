/* One document through the pipeline: read, front matter, Markdown, checks, outputs. */
#ifndef GALLEY_BUILD_H
#define GALLEY_BUILD_H

#include <stddef.h>

#include "buf.h"
#include "doc.h"
#include "schema.h"

#define OUT_HTML	0x01
#define OUT_XML		0x02
#define OUT_TREE	0x04
#define OUT_LAYOUT	0x08	/* the page layout's box dump */
#define OUT_PDF		0x10
#define BUILD_NOUTPUTS	5	/* output kinds: OUT_* bit i is the i-th */

struct build_opts {
	const char	*outdir;	/* where outputs go; "-" for standard output */
	unsigned	 outputs;	/* OUT_* bits */
	const char	*style;		/* -s, overriding the front matter; or NULL */
	struct meta	*overrides;	/* -M KEY=VALUE pairs (a META_MAP), or NULL */
	int		 unsafe;	/* --unsafe: pass raw HTML through */
	int		 self_contained;/* --self-contained: inline the CSS */
	int		 check_only;	/* `galley check`: diagnostics, no outputs */
	const char *const *filters;	/* -L FILE, run after the document's and the style's */
	size_t		 nfilters;
	int		 trust_filters;	/* --trust-filters: give filters io and os */
	int		 trust_paths;	/* --trust-paths: images may lie outside the
					   document's folder */
	int		 stats;		/* --stats: print each stage's time */
	long long	 epoch;		/* PDF creation time ($SOURCE_DATE_EPOCH), or -1: none */
	const char	*depfile;	/* --depfile: write make rules here, or NULL */
	int		 comments_form;	/* --comments-form: also write the comment form,
					   NAME.comments.html and NAME.comments.csv */
	int		 filter_seconds;/* --filter-time: CPU seconds for a document's
					   filters; 0: 60 plus 1 per MB of source */
};

struct build;

/* Returns a run that builds documents with opts (borrowed, must outlive it). */
struct build *build_new(const struct build_opts *opts);
void build_free(struct build *b);

/*
 * Builds the document at path.  Returns 0 when it had no errors and its
 * outputs were written, -1 otherwise; a failed build leaves earlier outputs
 * in place.
 */
int build_file(struct build *b, const char *path);

/*
 * The same pipeline in memory, for the fuzzers: builds the document whose
 * source is src[0..len) (borrowed; any bytes, no NUL needed) as if it were
 * read from path, which still places it (messages, filters and images beside
 * it).  Appends output kind i, when opts->outputs asks for it, to outs[i]:
 * the caller's buffers, which the caller frees, also after a failure.
 * Writes no file and no depfile rule.  Returns 0, or -1 after reporting errors.
 */
int build_memory(struct build *b, const char *path, const char *src, size_t len,
    struct buf outs[BUILD_NOUTPUTS]);

/*
 * Records that the outputs of the document being built depend on the file
 * at path (any spelling: it is normalised as make needs it).  Shaped as the
 * stages' read hooks (lf_opts.on_read and the like): ctx is the struct build.
 * A stage that opens a file for a document calls this through its hook.
 */
void build_dep_add(void *ctx, const char *path);

/*
 * Writes the index page of the bulletin issues at paths[0..n) (issue
 * folders or single files, built into the same folder as the page): the
 * bulletin style's index.xsl over the document issue_index() makes, to
 * opts->outdir/index.html with the style's CSS, and its depfile rule.
 * Returns 0, or -1 after reporting an error (the old page is kept).
 */
int build_index(struct build *b, char *const *paths, size_t n);

/*
 * Ends the run: writes the depfile (opts->depfile), when one was asked for
 * and every document was built, with a rule per document and an empty rule
 * per dependency.  Returns 0, or -1 after reporting an error.
 */
int build_finish(struct build *b);

/*
 * Parses the source src[0..len) of path into doc: its front matter (with the
 * -M overrides, checked against the keys of place: an issue's article has
 * its own) and its Markdown.  Returns 0, or -1 after reporting.
 */
int build_parse(const char *path, const char *src, size_t len, struct doc *doc,
    const struct meta *overrides, enum schema_place place);

#endif
