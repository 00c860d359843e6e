/* The configuration keys of documents and issues, in one table, and the one checker that reads it. */
#ifndef GALLEY_SCHEMA_H
#define GALLEY_SCHEMA_H

#include "buf.h"
#include "doc.h"

/* Where a map of keys comes from; each key of the table says where it may stand. */
enum schema_place {
	SCHEMA_FRONT_MATTER,	/* a document's front matter (and -M): open, styles read any key */
	SCHEMA_ISSUE,		/* issue.yaml's top level: the issue's front matter and sections */
	SCHEMA_SECTION,		/* a section of issue.yaml */
	SCHEMA_ARTICLE,		/* an article of issue.yaml given as a map */
	SCHEMA_ARTICLE_META	/* the front matter of an issue's article */
};

/*
 * Checks map (a META_MAP read from file) against the table for place: each
 * key's type and choices, and, in the closed places (a section, an article),
 * that every key is known.  In the open ones a key close to a known one
 * ("tilte") is a warning that names it.  Messages end with a stable
 * diagnostic id in brackets ([key-unknown], [key-near-miss], [key-type],
 * [key-choice]); `galley keys` lists them.  Returns 0, or -1 after an error.
 */
int schema_check(enum schema_place place, const char *file, const struct meta *map);

/*
 * Appends the key reference as Markdown (one table per place: key, type,
 * default, meaning), then the diagnostic ids: what styles/README.md holds
 * between its "keys" markers and `galley keys` prints.
 */
void schema_describe(struct buf *out);

#endif
