/* Finding galley's data files (styles, filters) in the working directory or installed. */
#ifndef GALLEY_DATA_H
#define GALLEY_DATA_H

#include "buf.h"

/*
 * Returns the path of the first existing file rel ("styles/article/html.xsl")
 * under ., $GALLEY_DATA and PREFIX/share/galley (PREFIX/bin holding the
 * running galley), or NULL.  The caller
 * frees the result.
 */
char *data_find(const char *rel);

/* Appends the list of places data_find() looks, for messages ("./styles, …"). */
void data_describe(const char *what, struct buf *out);

#endif
