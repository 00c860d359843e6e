/* Front matter: the leading YAML block of a source, read with libyaml into struct meta. */
#ifndef GALLEY_META_H
#define GALLEY_META_H

#include <stddef.h>

#include "buf.h"
#include "doc.h"

/*
 * Parses yaml[0..len), which starts at line first_line of file, into the
 * members of map (a META_MAP the caller owns).  Returns 0, or -1 after
 * reporting the error at its line in file.
 */
int meta_parse(const char *file, const char *yaml, size_t len, int first_line,
    struct meta *map);

/*
 * Parses the whole YAML document yaml[0..len), the contents of the data file
 * file, into *out: a new value of any kind (a list of maps for a term base)
 * that the caller frees with meta_free(), or NULL when the file holds no
 * value.  Positions are lines and columns in file.  Returns 0, or -1 after
 * reporting the error at its line and column (*out is then NULL).
 */
int meta_parse_data(const char *file, const char *yaml, size_t len, struct meta **out);

/*
 * Appends s to out, a date written 2024-04-25 as Chinese print writes dates,
 * 2024年4月25日; other text as it is.
 */
void meta_put_date(struct buf *out, const char *s);

#endif
