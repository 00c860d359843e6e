/* Images for the printed page: paths resolved and confined, PNG and JPEG headers read and checked. */
#ifndef GALLEY_IMG_H
#define GALLEY_IMG_H

#include "buf.h"

/* The largest image accepted, in pixels a side and in bytes once decoded. */
#define IMG_MAX_SIDE	10000
#define IMG_MAX_BYTES	((unsigned long long)100 << 20)

enum img_format { IMG_PNG, IMG_JPEG };

struct img_info {
	enum img_format	 format;
	unsigned	 width, height;	/* pixels */
	int		 bits;		/* bits per sample (PNG 1-16, JPEG 8) */
	int		 channels;	/* samples per pixel once decoded, alpha included */
	int		 palette;	/* PNG colour type 3 */
	int		 alpha;		/* an alpha channel or a tRNS chunk */
	int		 interlaced;	/* PNG Adam7 */
	int		 progressive;	/* JPEG SOF2 */
};

/* Why img_resolve() found no file. */
enum img_refusal {
	IMG_NOT_A_FILE = 1,	/* a remote or data: URL: a browser may show it, paper cannot */
	IMG_OUTSIDE,		/* absolute, or out of the document's folder (.., a link) */
	IMG_UNREADABLE		/* no name, missing, unreadable, not a regular file */
};

/*
 * Finds the file an image's url names, relative to the directory of the
 * document at docpath.  Remote and data: URLs are refused; so are absolute
 * paths and paths that lead out of the document's directory (through ".." or
 * a symbolic link) unless trust is set.  Returns a new string the caller
 * frees (the file's real path), or NULL with the reason appended to why and,
 * when refusal is not NULL, its kind in *refusal.  Every output that names
 * an image file goes through here: one set of path rules for HTML and PDF;
 * an issue's articles (issue.c) are held to the same rules, named from issue.yaml.
 */
char *img_resolve(const char *docpath, const char *url, int trust, struct buf *why,
    enum img_refusal *refusal);

/*
 * Reads the PNG or JPEG file at path far enough to know its size and kind
 * and that it is whole.  Returns 0 and fills *info, or -1 with the reason
 * appended to why (missing, truncated, not an image, too large).
 */
int img_probe(const char *path, struct img_info *info, struct buf *why);

#endif
