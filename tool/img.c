/* Images for the printed page: paths resolved and confined, PNG and JPEG headers read and checked. */
/* realpath() is X/Open's, beyond the POSIX the Makefile asks for. */
#define _XOPEN_SOURCE 700
#include "img.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "mem.h"
#include "zip.h"

/* Image files larger than this are refused before they are read. */
#define IMG_MAX_FILE	((off_t)64 << 20)

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The length of url's scheme ("http" in "http://…"), or 0 when it has none. */
static size_t
scheme_length(const char *url)
{
	size_t i = 0;

	if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
		return 0;
	while ((url[i] >= 'a' && url[i] <= 'z') || (url[i] >= 'A' && url[i] <= 'Z') ||
	    (url[i] >= '0' && url[i] <= '9') || url[i] == '+' || url[i] == '-' || url[i] == '.')
		i++;
	return url[i] == ':' ? i : 0;
}

/* Whether the relative path name climbs above its starting directory with "..". */
static int
climbs_out(const char *name)
{
	const char *p = name, *end;
	long depth = 0;
	size_t n;

	while (*p) {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return 1;
		} else if (n > 0 && !(n == 1 && p[0] == '.'))
			depth++;
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

char *
img_resolve(const char *docpath, const char *url, int trust, struct buf *why,
    enum img_refusal *refusal)
{
	enum img_refusal kind = IMG_UNREADABLE;
	struct buf name = BUF_INIT;
	char *dir = NULL, *path = NULL, *real = NULL, *realdir = NULL;
	size_t i, n, scheme = scheme_length(url);
	struct stat st;
	int hi, lo;

	if (scheme == 4 && strncmp(url, "data", 4) == 0) {
		buf_puts(why, "images in data: URLs are not supported; save the image as a file "
		    "beside the document");
		kind = IMG_NOT_A_FILE;
		goto out;
	}
	if (scheme > 1 || strncmp(url, "//", 2) == 0) {
		buf_puts(why, "remote images are not fetched; save the image beside the document");
		kind = IMG_NOT_A_FILE;
		goto out;
	}
	/* A Markdown URL escapes spaces and the like as %20: the file name has them plain. */
	for (i = 0, n = strlen(url); i < n; i++) {
		if (url[i] == '%' && i + 2 < n && (hi = hex_value(url[i + 1])) >= 0 &&
		    (lo = hex_value(url[i + 2])) >= 0 && (hi | lo) != 0) {
			buf_putc(&name, (char)(hi * 16 + lo));
			i += 2;
		} else
			buf_putc(&name, url[i]);
	}
	if (name.len == 0) {
		buf_puts(why, "an image needs a file name");
		goto out;
	}
	if (name.data[0] == '/' && !trust) {
		buf_puts(why, "the path is absolute; give it relative to the document's folder "
		    "(--trust-paths allows others)");
		kind = IMG_OUTSIDE;
		goto out;
	}
	if (!trust && climbs_out(name.data)) {
		buf_puts(why, "the path leads out of the document's folder (--trust-paths "
		    "allows it)");
		kind = IMG_OUTSIDE;
		goto out;
	}
	dir = fs_dirname(docpath);
	path = name.data[0] == '/' ? mem_strdup(name.data) : fs_join(dir, name.data);
	if ((real = realpath(path, NULL)) == NULL || stat(real, &st) == -1) {
		buf_printf(why, "cannot read: %s", strerror(errno));
		free(real);
		real = NULL;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		buf_puts(why, "not a file");
		free(real);
		real = NULL;
		goto out;
	}
	if (!trust) {
		/* A symbolic link may lead out where ".." does not. */
		realdir = realpath(dir, NULL);
		n = realdir ? strlen(realdir) : 0;
		if (realdir == NULL || strncmp(real, realdir, n) != 0 ||
		    (real[n] != '/' && !(n == 1 && realdir[0] == '/'))) {
			buf_puts(why, "the file lies outside the document's folder (through a "
			    "symbolic link; --trust-paths allows it)");
			kind = IMG_OUTSIDE;
			free(real);
			real = NULL;
		}
	}
out:
	if (real == NULL && refusal != NULL)
		*refusal = kind;
	buf_free(&name);
	free(dir);
	free(path);
	free(realdir);
	return real;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* A chunk's type for a message: its four letters, anything else shown as '?'. */
static const char *
chunk_name(const unsigned char *type, char name[5])
{
	int i;

	for (i = 0; i < 4; i++)
		name[i] = (type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z') ?
		    (char)type[i] : '?';
	name[4] = '\0';
	return name;
}

/* Refuses images whose size would take too much memory to decode. */
static int
check_size(const struct img_info *info, struct buf *why)
{
	unsigned long long bytes = (unsigned long long)info->width * info->height *
	    (unsigned)info->channels * (info->bits > 8 ? 2u : 1u);

	if (info->width <= IMG_MAX_SIDE && info->height <= IMG_MAX_SIDE && bytes <= IMG_MAX_BYTES)
		return 0;
	buf_printf(why, "%u × %u pixels is too large (at most %u × %u pixels and %llu MB "
	    "decoded)", info->width, info->height, IMG_MAX_SIDE, IMG_MAX_SIDE, IMG_MAX_BYTES >> 20);
	return -1;
}

/* IHDR's colour type and bit depth: whether they go together, and the samples a stored pixel has. */
static int
png_samples(int type, int depth)
{
	int any = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
	int wide = depth == 8 || depth == 16;

	switch (type) {
	case 0:
		return any ? 1 : 0;
	case 2:
		return wide ? 3 : 0;
	case 3:
		return any && depth != 16 ? 1 : 0;
	case 4:
		return wide ? 2 : 0;
	case 6:
		return wide ? 4 : 0;
	default:
		return 0;
	}
}

/* Where png_check_data() is in the inflated rows. */
struct png_rows {
	unsigned long long row, want, got, next_filter;
};

/* Counts inflated bytes against the rows promised, and checks each row's filter byte. */
static int
png_take_rows(void *ctx, const unsigned char *bytes, size_t len)
{
	struct png_rows *r = ctx;

	for (; r->next_filter < r->got + len; r->next_filter += r->row)
		if (bytes[r->next_filter - r->got] > 4)
			return -1;
	r->got += len;
	return r->got > r->want ? -1 : 0;
}

/*
 * Inflates the image data (the IDAT chunks, in order) to check that it holds
 * exactly the rows the header promises, each with a known filter: libpng,
 * under libharu, stops the whole program on bad image data.
 */
static int
png_check_data(const unsigned char *d, size_t len, const struct img_info *info, int samples,
    struct buf *why)
{
	struct png_rows r;
	struct zip_inflater *z = zip_inflater_new();
	enum zip_state state = ZIP_MORE;
	size_t pos = 8;
	uint32_t n;

	if (z == NULL) {
		buf_puts(why, "cannot check the image data (out of memory)");
		return -1;
	}
	r.row = 1 + ((unsigned long long)info->width * (unsigned)samples * info->bits + 7) / 8;
	r.want = r.row * info->height;
	r.got = r.next_filter = 0;
	while (pos + 12 <= len && state == ZIP_MORE) {
		n = be32(d + pos);
		if (memcmp(d + pos + 4, "IDAT", 4) == 0)
			state = zip_inflate(z, d + pos + 8, n, png_take_rows, &r);
		pos += (size_t)n + 12;
	}
	zip_inflater_free(z);
	if (state == ZIP_END && r.got == r.want)
		return 0;
	buf_puts(why, state == ZIP_MORE ? "truncated PNG (its image data ends early)" :
	    "damaged PNG (its image data does not decode to the size it claims)");
	return -1;
}

static int
png_probe(const unsigned char *d, size_t len, struct img_info *info, struct buf *why)
{
	uint32_t n;
	size_t pos = 8;
	int samples = 0, header = 0, plte = 0, idat = 0, idat_done = 0, iend = 0;
	char name[5];

	info->format = IMG_PNG;
	while (pos < len && !iend) {
		const unsigned char *type, *data;
		if (len - pos < 12 || (n = be32(d + pos)) > len - pos - 12) {
			buf_puts(why, "truncated PNG (a chunk runs past the end of the file)");
			return -1;
		}
		type = d + pos + 4;
		data = d + pos + 8;
		if (zip_crc32(type, (size_t)n + 4) != be32(data + n)) {
			buf_printf(why, "damaged PNG (the %s chunk fails its CRC check)",
			    chunk_name(type, name));
			return -1;
		}
		if (!header && memcmp(type, "IHDR", 4) != 0) {
			buf_puts(why, "damaged PNG (it does not start with an IHDR chunk)");
			return -1;
		}
		if (idat && memcmp(type, "IDAT", 4) != 0)
			idat_done = 1;
		if (memcmp(type, "IHDR", 4) == 0) {
			if (header || n != 13) {
				buf_puts(why, "damaged PNG (a bad IHDR chunk)");
				return -1;
			}
			header = 1;
			info->width = be32(data);
			info->height = be32(data + 4);
			info->bits = data[8];
			info->palette = data[9] == 3;
			info->alpha = data[9] == 4 || data[9] == 6;
			info->interlaced = data[12] == 1;
			samples = png_samples(data[9], data[8]);
			info->channels = info->palette ? 3 : samples;
			if (info->width == 0 || info->height == 0 || info->width > 0x7FFFFFFFu ||
			    info->height > 0x7FFFFFFFu || samples == 0 || data[10] != 0 ||
			    data[11] != 0 || data[12] > 1) {
				buf_puts(why, "damaged PNG (impossible values in its header)");
				return -1;
			}
			if (check_size(info, why) == -1)
				return -1;
		} else if (memcmp(type, "PLTE", 4) == 0) {
			if (plte || idat || n == 0 || n % 3 != 0 || n > 3 * 256) {
				buf_puts(why, "damaged PNG (a bad PLTE chunk)");
				return -1;
			}
			plte = 1;
		} else if (memcmp(type, "tRNS", 4) == 0) {
			info->alpha = 1;
			if (info->palette)
				info->channels = 4;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			if (idat_done) {
				buf_puts(why, "damaged PNG (its IDAT chunks are not together)");
				return -1;
			}
			idat = 1;
		} else if (memcmp(type, "IEND", 4) == 0)
			iend = 1;
		else if (!(type[0] & 0x20)) {
			buf_printf(why, "a PNG with a critical chunk %s that is not understood",
			    chunk_name(type, name));
			return -1;
		}
		pos += (size_t)n + 12;
	}
	if (!iend) {
		buf_puts(why, "truncated PNG (the file ends before its IEND chunk)");
		return -1;
	}
	if (!idat || (info->palette && !plte)) {
		buf_printf(why, "damaged PNG (no %s chunk)", idat ? "PLTE" : "IDAT");
		return -1;
	}
	/* libharu reads neither (16-bit samples come out in the wrong colours). */
	if (info->bits == 16 || info->interlaced) {
		buf_printf(why, "%s PNG, which the PDF writer cannot show; save it %s",
		    info->bits == 16 ? "a 16-bit" : "an interlaced",
		    info->bits == 16 ? "with 8 bits a sample" : "without interlacing");
		return -1;
	}
	return png_check_data(d, len, info, samples, why);
}

static int
jpeg_probe(const unsigned char *d, size_t len, struct img_info *info, struct buf *why)
{
	size_t pos = 2, seg, k;
	int m;

	info->format = IMG_JPEG;
	for (;;) {
		if (pos >= len) {
			buf_puts(why, "truncated JPEG (the file ends before its frame header)");
			return -1;
		}
		if (d[pos] != 0xFF) {
			buf_puts(why, "damaged JPEG (data where a marker should be)");
			return -1;
		}
		while (pos < len && d[pos] == 0xFF)
			pos++;
		if (pos >= len) {
			buf_puts(why, "truncated JPEG (the file ends before its frame header)");
			return -1;
		}
		m = d[pos++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;	/* markers without a segment */
		if (m == 0xD9 || len - pos < 2 || (seg = be16(d + pos)) > len - pos) {
			buf_puts(why, "truncated JPEG (the file ends before its frame header)");
			return -1;
		}
		if (seg < 2) {
			buf_puts(why, "damaged JPEG (a segment of impossible length)");
			return -1;
		}
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
			break;	/* SOFn, the frame header */
		pos += seg;
	}
	if (m != 0xC0 && m != 0xC1 && m != 0xC2) {
		buf_puts(why, "a lossless, hierarchical or arithmetic-coded JPEG, which PDF "
		    "readers do not show; save it as a baseline JPEG");
		return -1;
	}
	if (seg < 8) {
		buf_puts(why, "damaged JPEG (a short frame header)");
		return -1;
	}
	info->progressive = m == 0xC2;
	info->bits = d[pos + 2];
	info->height = be16(d + pos + 3);
	info->width = be16(d + pos + 5);
	info->channels = d[pos + 7];
	if (info->width == 0 || info->height == 0 || (info->channels != 1 &&
	    info->channels != 3 && info->channels != 4) || info->bits != 8) {
		buf_puts(why, "damaged or unsupported JPEG (its frame header asks for other "
		    "than 8 bits and 1, 3 or 4 components)");
		return -1;
	}
	if (check_size(info, why) == -1)
		return -1;
	/* The compressed data cannot hold FF D9 (it writes FF as FF 00): the end is whole. */
	for (k = pos + seg; k + 1 < len; k++)
		if (d[k] == 0xFF && d[k + 1] == 0xD9)
			return 0;
	buf_puts(why, "truncated JPEG (no end-of-image marker)");
	return -1;
}

int
img_probe(const char *path, struct img_info *info, struct buf *why)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	struct buf data = BUF_INIT;
	struct stat st;
	const unsigned char *d;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	if (stat(path, &st) == -1) {
		buf_printf(why, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (st.st_size > IMG_MAX_FILE) {
		buf_printf(why, "the file is too large (%lld MB; at most %lld MB)",
		    (long long)(st.st_size >> 20), (long long)(IMG_MAX_FILE >> 20));
		return -1;
	}
	if (fs_read(path, &data) == -1) {
		buf_printf(why, "cannot read: %s", strerror(errno));
		return -1;
	}
	d = (const unsigned char *)data.data;
	if (data.len >= 8 && memcmp(d, png_sig, 8) == 0)
		rc = png_probe(d, data.len, info, why);
	else if (data.len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		rc = jpeg_probe(d, data.len, info, why);
	else if (data.len == 0)
		buf_puts(why, "the file is empty");
	else
		buf_puts(why, "not a PNG or JPEG image");
	buf_free(&data);
	return rc;
}
