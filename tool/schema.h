/* The configuration keys of documents, issues and styles, in one table a place, and the one checker that reads them. */
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
	SCHEMA_ARTICLE_META,	/* the front matter of an issue's article */
	SCHEMA_DEFAULTS,	/* a style's defaults.yaml (its metadata: front matter) */
	SCHEMA_PAGE,		/* a style's page.yaml */
	SCHEMA_ELEMENT		/* an element of page.yaml's cover, first-page-head, closing, colophon */
};

/*
 * Checks map (a META_MAP read from file) against the table for place: each
 * key's type and choices, the maps and lists of elements it holds, and that
 * every key is known: an unknown key is an error in the closed places (a
 * section, an article, an element), a warning in page.yaml and defaults.yaml;
 * in front matter, which may hold keys for the styles, only a key close to a
 * known one ("tilte") is, a warning that names it.  Messages end with a
 * stable diagnostic id in brackets ([key-unknown], [key-type] …); `galley
 * keys` lists them.  Returns 0, or -1 after an error.  A reader may then take
 * the values below without checking them again.
 */
int schema_check(enum schema_place place, const char *file, const struct meta *map);

/* A length in points: 25mm, 12pt, 2cm, 1in, 12 (points) or a size name (五号); -1 when s is none. */
double schema_length(const char *s);

/*
 * An element's `after`: a length in points (*in_lines 0) or a number of
 * lines ("2 lines", *in_lines 1); -1 when s is neither.
 */
double schema_after(const char *s, int *in_lines);

/*
 * The index of value among the choices of place's key (a choice, or a list of
 * them: the reader's enum follows the table's order); a true/false key gives
 * 1 or 0.  -1 when value is not one of them.
 */
int schema_choice(enum schema_place place, const char *key, const char *value);

/* Puts m's text in out (reset first), a list's items joined by ", " (font families); returns it. */
const char *schema_text(const struct meta *m, struct buf *out);

/*
 * Appends the key reference as Markdown (one table per place: key, type,
 * default, meaning), then the diagnostic ids: what styles/README.md holds
 * between its "keys" markers and `galley keys` prints.
 */
void schema_describe(struct buf *out);

#endif
