/* Page layout: the document model set into pages of positioned boxes, independent of any device. */
#ifndef GALLEY_LAY_H
#define GALLEY_LAY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "doc.h"
#include "font.h"

enum lay_box_kind {
	BOX_GLYPHS,	/* a run of glyphs in one font and size on one baseline */
	BOX_RULE	/* a filled rectangle: rules, underlines, strikethrough */
};

struct lay_box {
	enum lay_box_kind kind;
	int		 page;		/* 1-based */
	double		 x, y;		/* GLYPHS: baseline start; RULE: top left; points from the page's top left */
	double		 w, h;		/* RULE: size */
	struct font	*font;		/* GLYPHS */
	double		 size;
	int		 fake_bold;	/* draw with an outline stroke: the font has no bold */
	size_t		 n;		/* GLYPHS: count */
	uint32_t	*gids;
	uint32_t	*cps;		/* the characters shown, for text extraction */
	double		*xs;		/* each glyph's x, absolute */
};

struct lay_page_style {
	double	 width, height;		/* points */
	double	 top, bottom, left, right;	/* margins, points */
	char	*cjk, *latin;		/* body fonts */
	char	*cjk_sans, *latin_sans;	/* headings */
	char	*cjk_kai;		/* emphasis and quotations */
	char	*mono;
	double	 size;			/* body size, points */
	double	 leading;		/* line pitch as a multiple of the size */
	double	 indent;		/* first-line indent, ems */
	int	 punct;			/* enum lay_punct */
	double	 heading_size[6];
};

struct lay_doc {
	struct lay_box	*boxes;
	size_t		 n;
	int		 pages;
	double		 width, height;
};

/*
 * Reads the page style of style (styles/STYLE/page.yaml over
 * styles/common/page.yaml) into *ps.  Returns 0, or -1 after an error.
 */
int lay_page_style(const char *style, struct lay_page_style *ps);
void lay_page_style_free(struct lay_page_style *ps);

/* Converts "25mm", "12pt", "1in", "五号", "小四" into points; -1 when s is none of them. */
double lay_length(const char *s);

/*
 * Sets doc into pages.  Fonts come from fonts (which must outlive out).
 * Returns 0, or -1 after reporting an error (a missing font).
 */
int lay_document(const struct doc *doc, const struct lay_page_style *ps,
    struct font_set *fonts, struct lay_doc *out);
void lay_doc_free(struct lay_doc *ld);

/* Appends the text dump of the boxes (the `layout` output) to out. */
void lay_dump(const struct lay_doc *ld, struct buf *out);

#endif
