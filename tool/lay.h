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
	BOX_RULE,	/* a filled rectangle: rules, underlines, strikethrough */
	BOX_LINK,	/* a clickable area over text */
	BOX_ANCHOR,	/* a place that links and the outline lead to */
	BOX_IMAGE	/* a picture from a PNG or JPEG file */
};

struct lay_box {
	enum lay_box_kind kind;
	int		 page;		/* 1-based */
	double		 x, y;		/* GLYPHS: baseline start; RULE, LINK, IMAGE: top
					   left; ANCHOR: top; points from the page's top left */
	double		 w, h;		/* RULE, LINK, IMAGE: size */
	struct font	*font;		/* GLYPHS */
	double		 size;
	int		 fake_bold;	/* draw with an outline stroke: the font has no bold */
	int		 fake_italic;	/* draw slanted: the font has no italic */
	uint32_t	 color;		/* GLYPHS, RULE: 0xRRGGBB; 0 is black */
	int		 not_text;	/* GLYPHS: shown but not text: extraction and copying
					   skip it (line numbers) */
	const char	*href;		/* LINK: "#id" or a URL, borrowed from the document */
	const char	*id;		/* ANCHOR: borrowed from the document */
	int		 level;		/* ANCHOR: outline depth 1-6, or 0: not in the outline */
	char		*title;		/* ANCHOR: the outline entry's text, owned */
	size_t		 n;		/* GLYPHS: count */
	double		*xs;		/* each glyph's x, absolute; owned, and holds the
					   two arrays below after its n doubles */
	uint32_t	*gids;
	uint32_t	*cps;		/* the characters shown, for text extraction */
	char		*path;		/* IMAGE: the file's real path, owned */
	const char	*file;		/* IMAGE: the source naming it, borrowed */
	int		 line, col;	/* IMAGE: where the source names it, for messages */
};

/* A text or rule of a cover or a first-page head, placed by the style (lay_cover.c). */
struct lay_element;

/* Where a page.yaml names a font family: messages about the font point there. */
struct lay_font_place {
	char	*family;	/* owned */
	char	*file;		/* the page.yaml, owned */
	int	 line, col;
};

/* The face of a heading level: the heading family (黑体), emphasis (楷体) or the body's. */
enum lay_heading_face {
	HEADING_FACE_HEADING,
	HEADING_FACE_EMPHASIS,
	HEADING_FACE_BODY,
};

struct lay_page_style {
	double	 width, height;		/* points */
	double	 top, bottom, left, right;	/* margins, points */
	char	*cjk, *latin;		/* body fonts */
	char	*cjk_sans, *latin_sans;	/* headings */
	int	 heading_bold;		/* headings, table heads, contents title: bold */
	int	 heading_face[6];	/* each level's face: enum lay_heading_face */
	char	*cjk_kai;		/* emphasis and quotations */
	char	*mono;
	char	**fallback;		/* families tried for characters the others lack */
	size_t	 nfallback;
	double	 size;			/* body size, points */
	double	 leading;		/* line pitch as a multiple of the size */
	int	 grid_chars, grid_lines;	/* a character grid (28 x 22), or 0: size and
					   leading then follow from the type area */
	double	 indent;		/* first-line indent, ems */
	int	 punct;			/* enum lay_punct */
	int	 hang_punct;		/* punctuation-hang: 。，、． may hang past the measure */
	double	 heading_size[6];
	/* Running heads and feet: templates with {page}, {section} and front-matter {KEY}s. */
	char	*header, *footer;	/* NULL: none */
	char	*cjk_running;		/* their CJK font; NULL: the body's */
	int	 header_align, footer_align;	/* enum lay_align */
	double	 header_size, footer_size;	/* points */
	double	 header_gap, footer_gap;	/* from the type area to the text's near edge, points */
	double	 inset;			/* from the type area's side when not centred, ems */
	int	 header_rule;		/* a rule under the running head */
	int	 first_page;		/* enum lay_first_page */
	double	 footnote_size;	/* points; 0: 0.85 of the body size */
	int	 footnote_per_page;	/* notes numbered ① ② … afresh on each page */
	int	 chapter_start;	/* enum lay_chapter_start: where level-1 headings start */
	int	 table_rules;	/* enum lay_table_rules */
	int	 table_natural;	/* 1: a table narrower than the measure stays so (booktabs);
				   0: it is spread to the measure */
	double	 table_size;	/* table text, points; 0: the body size */
	double	 table_min_size;	/* a wide table's text shrinks down to this; 0: ¾ of its size */
	double	 column_rule;	/* the rule between columns, points wide; 0: none */
	double	 toc_title_size;	/* points; 0: the level-1 heading size */
	double	 image_dpi;		/* images are shown at this resolution or finer,
					   never larger */
	int	 front_roman;		/* 1 (i, ii …) or 2 (I, II …): pages before the first
					   numbered chapter are numbered so, and that chapter
					   starts page 1 on a new page; 0: one arabic sequence */
	/* Pages built from the front matter by the style (lay_cover.c). */
	struct lay_element *cover;	/* a page of its own before the body; owned */
	size_t	 ncover;		/* 0: no cover */
	struct lay_element *head;	/* elements at the top of the body's page 1; owned */
	size_t	 nhead;
	struct lay_element *closing;	/* after the body, in its flow (signature, date); owned */
	size_t	 nclosing;
	struct lay_element *colophon;	/* at fixed places on the last page (版记); owned */
	size_t	 ncolophon;
	double	 body_top;		/* page 1's body starts here, points; 0: below the head */
	char	*cover_label;		/* the cover's page label in the PDF (封面) */
	/* Line numbers in the margin, for readers citing "page 5, line 12". */
	int	 line_numbers;		/* every Nth body text line shows its number,
					   counted afresh on each page; 0: none */
	int	 line_number_side;	/* enum lay_align, not ALIGN_CENTER */
	double	 line_number_size;	/* points */
	double	 line_number_gap;	/* from the type area to the numbers, points */
	/* A draft's mark in the head of every page but the cover. */
	char	*draft_mark;		/* template such as "{stage}"; NULL: none */
	char	*draft_mark_if;		/* shown only when this holds (a cover element's
					   `if`); NULL: always */
	int	 draft_mark_align;	/* enum lay_align */
	double	 draft_mark_size;	/* points; 0: the header's size */
	struct lay_font_place *font_places;	/* every family named, in reading order; owned */
	size_t	 nfont_places;
};

enum lay_chapter_start { CHAPTER_SAME, CHAPTER_NEW_PAGE, CHAPTER_RECTO };
enum lay_table_rules {
	TABLE_THREE_LINE,	/* 三线表: thick rules above and below, a thin one under the head */
	TABLE_GRID		/* every cell framed, as GB/T 1.1 tables are */
};
enum lay_align { ALIGN_CENTER, ALIGN_OUTSIDE, ALIGN_INSIDE, ALIGN_LEFT, ALIGN_RIGHT };
enum lay_first_page {
	FIRST_SAME,	/* the first page has the running head and foot too */
	FIRST_PLAIN,	/* no running head on the first page */
	FIRST_EMPTY	/* neither head nor foot on the first page */
};

struct lay_doc {
	struct lay_box	*boxes;
	size_t		 n, cap;
	int		 pages;
	double		 width, height;
	int		 front_pages;	/* pages numbered i, ii … before the body's page 1 */
	int		 front_style;	/* 1: i, ii …; 2: I, II … */
	char		**strings;	/* texts the boxes borrow that the document lacks */
	size_t		 nstrings;
	int		 cover_pages;	/* unnumbered pages before everything (the cover) */
	char		*cover_label;	/* their page label, owned; NULL: none */
};

/*
 * Reads the page style of style (styles/STYLE/page.yaml over
 * styles/common/page.yaml) into *ps.  on_read, when not NULL, is called with
 * the path of each file read (for dependency lists).  Returns 0, or -1 after
 * an error.
 */
int lay_page_style(const char *style, struct lay_page_style *ps,
    void (*on_read)(void *dep_ctx, const char *path), void *dep_ctx);
void lay_page_style_free(struct lay_page_style *ps);

/*
 * The value of a `line-numbers` key (front matter or page.yaml): true is 1,
 * false 0, a whole number N from 1 to 100 is N (every Nth line numbered);
 * -1 when m is none of them.
 */
int lay_line_numbers_value(const struct meta *m);

/* lay_document's flags. */
#define LAY_TRUST_PATHS	0x1	/* images may lie outside the document's folder */

/*
 * Sets doc into pages.  Fonts come from fonts (which must outlive out).
 * Returns 0, or -1 after reporting an error (a missing font).  An image
 * that cannot be used is reported as an error and left out.
 */
int lay_document(const struct doc *doc, const struct lay_page_style *ps,
    struct font_set *fonts, unsigned flags, struct lay_doc *out);
void lay_doc_free(struct lay_doc *ld);

/*
 * Appends page's number as the reader sees it ("iv", "3"), by the front-matter
 * split after the cover; a cover page gets its label.
 */
void lay_page_label(const struct lay_doc *ld, int page, struct buf *out);

/* Appends the text dump of the boxes (the `layout` output) to out. */
void lay_dump(const struct lay_doc *ld, struct buf *out);

#endif
