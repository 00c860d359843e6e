/* zlib for the rest of galley: PNG chunk checksums and the PDF's compressed streams. */
#ifndef GALLEY_ZIP_H
#define GALLEY_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The CRC-32 of n bytes at data (PNG's and zlib's). */
uint32_t zip_crc32(const void *data, size_t n);
/*
 * Appends n bytes at data to out as a zlib stream (what a PDF's FlateDecode
 * reads) compressed at level (1 fastest … 9 smallest).  Returns 0, or -1 when
 * zlib fails (out of memory), with out as it was.
 */
int zip_deflate(const void *data, size_t n, int level, struct buf *out);

/* A zlib stream being inflated piece by piece, as a PNG's IDAT chunks arrive. */
struct zip_inflater;

enum zip_state { ZIP_MORE, ZIP_END, ZIP_ERROR };

/* Returns a new inflater (the caller frees it with zip_inflater_free), or NULL when out of memory. */
struct zip_inflater *zip_inflater_new(void);
/*
 * Inflates the next n bytes of the stream, handing each piece of output to
 * take(ctx, bytes, len); take returns 0 to go on, -1 to stop with ZIP_ERROR.
 * Returns ZIP_MORE while the stream wants more input, ZIP_END once it is
 * complete (bytes after its end are ignored) and ZIP_ERROR when it is damaged;
 * after ZIP_END or ZIP_ERROR it stays so.
 */
enum zip_state zip_inflate(struct zip_inflater *z, const void *data, size_t n,
    int (*take)(void *ctx, const unsigned char *bytes, size_t len), void *ctx);
void zip_inflater_free(struct zip_inflater *z);

#endif
