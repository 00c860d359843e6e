/* What md.c and md_blocks.c share: the marks md.c leaves for the block extensions. */
#ifndef GALLEY_MD_INT_H
#define GALLEY_MD_INT_H

#include "doc.h"

/* LIST flags of md.c's own until md_deflists() (above DOC_*'s bits) */
#define MD_DEFS		0x100
#define MD_DEFS_LOOSE	0x200
#define MD_DEFS_TILDE	0x400

/*
 * Makes Divs of the paragraphs between "::: {…}" and ":::" under parent, in
 * place; an unclosed one is a warning in source.
 */
void md_fenced_divs(const char *source, struct doc_node *parent);
/* Makes definition lists of the lists md.c marked MD_DEFS under parent, in place. */
void md_deflists(struct doc_node *parent);

#endif
