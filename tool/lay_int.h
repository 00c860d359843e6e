/* The layout's working state, shared by the files that set each kind of block into pages. */
#ifndef GALLEY_LAY_INT_H
#define GALLEY_LAY_INT_H

#include <stddef.h>

#include "doc.h"
#include "font.h"
#include "lay.h"
#include "lay_para.h"

/* How inline text looks: its two fonts, its rules and the link it belongs to. */
struct look {
	struct font	*cjk, *latin;
	unsigned	 deco;
	const char	*href;
};

struct layout {
	const struct doc		*doc;
	const struct lay_page_style	*ps;
	struct font_set			*set;
	struct lay_doc			*out;
	double				 y;		/* next line's top, from the page top */
	int				 page;
	int				 failed;
	int				 skipped;	/* blocks not typeset yet (tables, figures, notes) */
	int				 skipped_line;
	int				 body_started;	/* front-roman: the first chapter is set */
	size_t				 body_first;	/* the body's first box, after cover and head */
	struct font			**fallback;	/* the style's fallback fonts */
	size_t				 nfallback;
	struct lay_run			*runs;		/* the paragraph being collected */
	size_t				 nruns, cap;
};

/* The font of family in the set; NULL (and the layout failed) when it is missing. */
struct font *lay_get_font(struct layout *lo, const char *family, int bold, int italic);
/* Adds text (borrowed until the paragraph is flushed) to the paragraph being collected. */
void lay_add_run(struct layout *lo, const char *text, size_t len, struct look f, double size,
    int line);
/* Adds the inlines under n to the paragraph being collected. */
void lay_collect_runs(struct layout *lo, const struct doc_node *n, struct look f,
    double size, int line);
void lay_new_page(struct layout *lo);
/* Returns a new zeroed box on the current page, owned by the layout's output. */
struct lay_box *lay_new_box(struct layout *lo, enum lay_box_kind kind);
void lay_add_rule(struct layout *lo, double x, double y, double w, double h);
/* Places glyphs [from, to) of line as one box with its first glyph at x0 + its x. */
void lay_add_glyph_box(struct layout *lo, const struct lay_line *line, size_t from, size_t to,
    double x0, double baseline);
/* Places line at the current position, then moves down by pitch. */
void lay_place_line(struct layout *lo, const struct lay_line *line, double x0, double pitch,
    double size);
/* Where the type area ends on the current page, from the page top. */
double lay_bottom(const struct layout *lo);
/*
 * Sets the collected runs as a paragraph and places its lines (see lay.c);
 * keep_next keeps room for two more body lines (headings).
 */
void lay_flush_paragraph(struct layout *lo, double x0, double measure, double indent,
    double size, double pitch, int justify, int keep_next);
/* An anchor for id where the box at index `at` starts, `above` points over it. */
void lay_add_anchor(struct layout *lo, size_t at, const char *id, int level, const char *title,
    double above);
/* Sets a list of sibling blocks starting at first. */
void lay_set_blocks(struct layout *lo, const struct doc_node *first, double x0, double measure,
    struct look body, int depth);

/*
 * Appends the front-matter value of key to out: a string, or a list's strings
 * joined (、; ，for cc; a full-width space for signer and issued-by).
 * Returns how many bytes it appended: 0 when key is missing or empty.
 */
size_t lay_meta_text(const struct meta *meta, const char *key, struct buf *out);
/*
 * Appends template t expanded to out: {section} and {page} as given, {KEY}
 * the front-matter value (lay_meta_text()), {KEY|TEXT} TEXT when KEY is
 * missing; a missing KEY without TEXT gives nothing.
 */
void lay_expand_template(const char *t, const struct meta *meta, const char *section,
    const char *page, struct buf *out);

/*
 * Reads page.yaml's cover keys into ps (lay_cover.c): `cover`, `first-page-head`,
 * `body-top`, `cover-label`.  Returns 1 when m is one of them, 0 when it is
 * not, -1 after reporting a bad value at its place in path.
 */
int lay_cover_key(const char *path, const struct meta *m, struct lay_page_style *ps);
/* Frees what lay_cover_key() put in ps. */
void lay_cover_free(struct lay_page_style *ps);
/* Sets the style's cover, when it has one, as a page before the body. */
void lay_set_cover(struct layout *lo);
/* Sets the style's first-page head on the current page and moves the body below it. */
void lay_set_first_head(struct layout *lo);

#endif
