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

/*
 * Finds the source place of byte offset of text, the text of an inline (or
 * a front-matter value) that starts at line:col of doc->texts[file] (1-based, col in
 * characters).  Walks the source from there, matching text character by
 * character and passing over what Markdown drops between them: escapes,
 * entities, line breaks and indentation, or a prefix a filter took off.
 * Sets *at_line and *at_col and returns 0; returns -1 when doc has no source
 * or the text cannot be followed from that place.
 */
int md_locate(const struct doc *doc, int file, int line, int col, const char *text,
    size_t offset, int *at_line, int *at_col);

#endif
