/* Checks on the finished model that every output relies on: safe URLs, raw HTML, image paths. */
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

/*
 * Reports each image whose file no output may use, with the PDF's path rules
 * (img_resolve): a path out of the document's folder is an error unless
 * trust_paths.  A missing or unreadable file is an error when missing_is_error
 * (the PDF cannot be made without it), else a warning (a browser shows a
 * broken image); then the file is also read (img_probe), so that a truncated
 * or damaged image is reported with the others in one run.  Remote and data: URLs are a browser's to fetch; the PDF's
 * layout reports those it cannot show.
 */
void check_images(const struct doc *doc, int trust_paths, int missing_is_error);

#endif
