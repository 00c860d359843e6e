/* Dependency lists: the files a build read, spelt as make spells them and written as make rules. */
#ifndef GALLEY_DEP_H
#define GALLEY_DEP_H

#include <stddef.h>

#include "buf.h"

struct dep_list {
	char	**paths;	/* normalised (dep_normalise), in the order first added; owned */
	size_t	  n;
};

#define DEP_LIST_INIT { NULL, 0 }

/*
 * Returns path as make should name it, a new string the caller frees: "./"
 * and empty components dropped, "dir/.." folded lexically, and an absolute
 * path under the working directory made relative to it
 * ("/w/styles/article/../common/html.xsl" in /w gives "styles/common/html.xsl").
 */
char *dep_normalise(const char *path);

/* Adds path, normalised, unless the list already holds it; the list keeps its own copy. */
void dep_add(struct dep_list *list, const char *path);

/*
 * dep_add() shaped as the read hooks of the stages (lf_opts.on_read,
 * lay_page_style, html_style_files): list is a struct dep_list *.
 */
void dep_note(void *list, const char *path);

/* Adds every path of from to to (in from's order), skipping the first skip of them. */
void dep_add_all(struct dep_list *to, const struct dep_list *from, size_t skip);

/* Frees the paths and leaves the list empty (reusable).  Accepts an empty list. */
void dep_reset(struct dep_list *list);

/*
 * Appends path escaped for a makefile ("a b" as "a\ b", '#' as "\#", '$' as
 * "$$").  Returns 0, or -1 with nothing appended when make cannot name the
 * path at all (it holds a newline).
 */
int dep_escape(const char *path, struct buf *out);

/*
 * Appends the rule "T1 T2: D1 D2 …" for targets[0..ntargets) (normalised
 * here) and deps, one name a line with continuations, as gcc -MD writes it.
 * Paths make cannot name are left out; the return value counts them (0 when
 * every one is in).
 */
int dep_rule(const char *const *targets, size_t ntargets, const struct dep_list *deps,
    struct buf *out);

/*
 * Appends an empty rule "D:" for each of deps (gcc -MP), so that make does
 * not stop when one of them has been deleted since.
 */
void dep_phony(const struct dep_list *deps, struct buf *out);

#endif
