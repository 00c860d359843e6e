/* zlib for the rest of galley: PNG chunk checksums and the PDF's compressed streams. */
#include "zip.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

uint32_t
zip_crc32(const void *data, size_t n)
{
	uLong crc = crc32(0, Z_NULL, 0);
	const Bytef *p = data;

	/* zlib counts in uInt: feed a large block in pieces. */
	while (n > UINT_MAX) {
		crc = crc32(crc, p, UINT_MAX);
		p += UINT_MAX;
		n -= UINT_MAX;
	}
	return (uint32_t)crc32(crc, p, (uInt)n);
}

int
zip_deflate(const void *data, size_t n, int level, struct buf *out)
{
	size_t old = out->len;
	uLongf got;
	uLong bound;

	if (n > ULONG_MAX / 2)
		return -1;
	bound = compressBound((uLong)n);
	buf_reserve(out, bound);
	got = bound;
	if (compress2((Bytef *)out->data + old, &got, data, (uLong)n, level) != Z_OK) {
		out->len = old;
		out->data[old] = '\0';
		return -1;
	}
	out->len = old + got;
	out->data[out->len] = '\0';
	return 0;
}

struct zip_inflater {
	z_stream	 z;
	enum zip_state	 state;
};

struct zip_inflater *
zip_inflater_new(void)
{
	struct zip_inflater *z = calloc(1, sizeof(*z));

	if (z != NULL && inflateInit(&z->z) != Z_OK) {
		free(z);
		return NULL;
	}
	return z;
}

enum zip_state
zip_inflate(struct zip_inflater *z, const void *data, size_t n,
    int (*take)(void *ctx, const unsigned char *bytes, size_t len), void *ctx)
{
	unsigned char out[16384];
	const unsigned char *in = data;
	int rc;

	while (n > 0 && z->state == ZIP_MORE) {
		uInt piece = n > UINT_MAX ? UINT_MAX : (uInt)n;
		z->z.next_in = (Bytef *)(uintptr_t)in;
		z->z.avail_in = piece;
		while (z->z.avail_in > 0 && z->state == ZIP_MORE) {
			z->z.next_out = out;
			z->z.avail_out = sizeof(out);
			rc = inflate(&z->z, Z_NO_FLUSH);
			if (rc != Z_OK && rc != Z_STREAM_END)
				z->state = ZIP_ERROR;
			else if (take(ctx, out, sizeof(out) - z->z.avail_out) == -1)
				z->state = ZIP_ERROR;
			else if (rc == Z_STREAM_END)
				z->state = ZIP_END;
		}
		in += piece;
		n -= piece;
	}
	return z->state;
}

void
zip_inflater_free(struct zip_inflater *z)
{
	if (z != NULL) {
		inflateEnd(&z->z);
		free(z);
	}
}
