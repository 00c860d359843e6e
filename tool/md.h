/* Markdown: cmark-gfm parses the source, and its tree becomes galley's model once. */
#ifndef GALLEY_MD_H
#define GALLEY_MD_H

#include <stddef.h>

#include "doc.h"

/*
 * Parses src[0..len) (well-formed UTF-8; front matter already blanked out so
 * that lines keep their numbers) and appends its blocks to doc->root.
 * Applies the rules Chinese editors expect: no space for a line break between
 * CJK characters, emphasis next to full-width punctuation, bare URLs that end
 * before CJK text, and {#id .class} attributes on headings.  Returns 0, or -1
 * after reporting an error.
 */
int md_parse(struct doc *doc, const char *src, size_t len);

#endif
