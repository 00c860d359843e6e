/* Finding galley's data files (styles, filters) in the working directory or installed. */
#ifndef GALLEY_DATA_H
#define GALLEY_DATA_H

#include "buf.h"

/*
 * Returns the path of the first existing file rel ("styles/article/html.xsl")
 * under ., $GALLEY_DATA and the running executable's data directory (the
 * source tree SRC of SRC/out/bin/galley, else PREFIX/share/galley beside
 * PREFIX/bin/galley), or NULL.  The caller frees the result.
 */
char *data_find(const char *rel);

/*
 * Appends the list of places data_find() looks, for messages ("./styles, …"),
 * and how to name another one (GALLEY_DATA).
 */
void data_describe(const char *what, struct buf *out);

#endif
