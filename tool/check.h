/* Checks on the finished model that every output relies on: safe URLs and raw HTML. */
#ifndef GALLEY_CHECK_H
#define GALLEY_CHECK_H

#include "doc.h"

/* Returns 1 when a browser would run url as script or read a local file through it. */
int check_url_is_dangerous(const char *url);

/*
 * Empties dangerous link and image URLs and, unless allow_raw, removes raw
 * HTML, warning at the source lines.  Runs after the filters, so what a filter
 * adds is checked too.
 */
void check_safety(struct doc *doc, int allow_raw);

#endif
