/* What md.c, md_blocks.c and md_inlines.c share: the marks md.c leaves for the extensions. */
#ifndef GALLEY_MD_INT_H
#define GALLEY_MD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"

/* LIST flags of md.c's own until md_deflists() (above DOC_*'s bits) */
#define MD_DEFS		0x100
#define MD_DEFS_LOOSE	0x200
#define MD_DEFS_TILDE	0x400

/*
 * Escaped delimiters of pandoc's inline extensions (md.c's fix_escapes):
 * U+FDD0 plus the index in MD_ESCAPABLE, one of Unicode's noncharacters for
 * internal use.
 */
#define MD_ESCAPABLE	"^~[]{"
#define MD_ESCAPED_BASE	0xFDD0

/* A new text node of s[0..len), not in a tree: the caller's. */
struct doc_node *md_text_node(const char *s, size_t len);
/* A Han character (CJK ideographs and their extensions, 〇): not kana, marks or U+3000. */
int md_is_han(int32_t cp);

/* The inline extensions (md_inlines.c), each on the inlines right under n, in place. */
/* Takes "{#id .class}" off the end of heading h's text into its attributes. */
void md_heading_attr(struct doc_node *h);
/* Takes "{…}" right after a link, image or code span into its attributes. */
void md_attrs_after(struct doc_node *n);
/* Makes Spans of "[text]{attrs}". */
void md_spans(struct doc_node *n);
/* Makes Superscripts of ^text^ and Subscripts of ~text~. */
void md_scripts(struct doc_node *n);

/*
 * Makes Divs of the paragraphs between "::: {…}" and ":::" under parent, in
 * place; an unclosed one is a warning in source.
 */
void md_fenced_divs(const char *source, struct doc_node *parent);
/* Makes definition lists of the lists md.c marked MD_DEFS under parent, in place. */
void md_deflists(struct doc_node *parent);

#endif
