/* The layout's working state, shared by the files that set each kind of block into pages. */
#ifndef GALLEY_LAY_INT_H
#define GALLEY_LAY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "font.h"
#include "lay.h"
#include "lay_para.h"

/* How inline text looks: its two fonts, its rules, the link it belongs to, how far it is raised. */
struct look {
	struct font	*cjk, *latin;
	unsigned	 deco;
	const char	*href;
	double		 rise;		/* points: superscripts */
};

/* How a paragraph's lines are set: lay_flush_paragraph()'s flags. */
#define LAY_JUSTIFY	0x1	/* stretched to the measure, but the last line */
#define LAY_CENTRE	0x2	/* each line centred in the measure */
#define LAY_RIGHT	0x10	/* each line flush right: closing 署名 and 日期 */
#define LAY_UNNUMBERED	0x4	/* no line numbers: titles of contents and index */
#define LAY_CHAIN	0x8	/* body text, whose lines count for a heading's keep: one line
				   alone after a heading is kept with the next paragraph too */
#define LAY_SNAP	0x20	/* on a character grid, its lines and what follows it start
				   on the grid's lines (a figure's caption, the text after it) */

/* A list item's label, set in the indent on its item's first baseline (lay_blocks.c's set_list). */
struct lay_label {
	struct lay_para	 para;		/* owned */
	double		 x0;		/* from the column's left */
};

/*
 * A paragraph set into lines, to be placed as one piece of the flow: its
 * lines break across pages by the widow and orphan rules; one kept with what
 * follows (a heading) waits in the layout's pending list until that is placed.
 */
struct lay_frag {
	struct lay_para	 para;		/* owned */
	double		 x0, measure, size, pitch;
	double		 before;	/* space above it, none at a page's top */
	double		 after;		/* space below it */
	unsigned	 flags;		/* LAY_JUSTIFY, LAY_CENTRE, LAY_RIGHT, LAY_UNNUMBERED */
	/* Its anchor, set where its first line goes, when it has an id or a title. */
	const char	*id;		/* borrowed from the document */
	char		*title;		/* owned */
	int		 level;
	double		 above;
	int		 anchored;
	/*
	 * For ITEM_TOGETHER: a box set above its lines, kept together with all
	 * of them (a figure's image over its caption, a thematic break's rule).
	 * Its x is from the region's left, its y from the fragment's top; its
	 * path is owned (each placing gives its box a copy).
	 */
	struct lay_box	 head;
	double		 head_room;	/* what the box takes above the lines, space below it included */
	/*
	 * Room its last lines keep below them on their page: the closing's (署名,
	 * 日期), which never stands on a page without text.
	 */
	double		 tail;
	/* List items' labels, set beside its first line (or its head box); owned. */
	struct lay_label *labels;
	size_t		 nlabels;
};

/*
 * The flow list: what the blocks are set into (lay_blocks.c and the lay_*.c that
 * set blocks) before anything is placed, and what the distributor
 * (lay_flow.c) places into pages, columns and note areas.  Setting a block
 * reads nothing of where it will land; every break is the distributor's.
 */
enum lay_item_kind {
	ITEM_FRAG,	/* f: lines that break across pages by the widow and orphan rules;
			   keep: it waits for what follows and goes with it */
	ITEM_TOGETHER,	/* f: a head box over its lines, placed whole */
	ITEM_LINES,	/* f: lines placed one by one where they fit (a caption under blocks) */
	ITEM_TABLE,	/* a table (lay_table.c) */
	ITEM_ENTRY,	/* entry: a contents or index entry (lay_toc.c), kept on one page */
	ITEM_SETTLE,	/* what waits for what follows goes with `length` points of it */
	ITEM_BREAK,	/* a page break; flags ITEM_RECTO: then one on a right-hand page */
	ITEM_CHAPTER,	/* a level-1 heading's start: flags ITEM_NEW_PAGE (when not in
			   columns), ITEM_ALWAYS (a new page in any case), ITEM_RECTO,
			   ITEM_BODY (front-roman: the body's page 1 starts here) */
	ITEM_SPACE,	/* `length` points down, unless at a page's top */
	ITEM_SNAP,	/* down to a character grid's next line; `length`: its pitch */
	ITEM_OPEN,	/* where the ITEM_ANCHOR that closes it puts its anchor */
	ITEM_ANCHOR,	/* f.id's anchor, f.above over the first box set since the
			   ITEM_OPEN `count` items before it */
	ITEM_KEEP,	/* the `count` items after it are kept on one page when they fit */
	ITEM_COLUMNS	/* the `count` items after it are set in cols' balanced columns */
};

#define ITEM_RECTO	0x1
#define ITEM_NEW_PAGE	0x2
#define ITEM_ALWAYS	0x4
#define ITEM_BODY	0x8

/* A run of balanced columns: how many, their width and the gap between them, and where. */
struct lay_cols {
	int	 n;
	double	 x0, width, gap;
};

struct lay_entry;
struct lay_table;

struct lay_item {
	enum lay_item_kind	 kind;
	unsigned		 flags;
	int			 keep;
	double			 length;
	size_t			 count;
	size_t			 at;		/* ITEM_OPEN: the first box after it, when placed */
	struct lay_frag		 f;		/* content items' labels are f's */
	struct lay_table	*table;		/* owned */
	struct lay_entry	*entry;		/* owned */
	struct lay_cols		 cols;
};

/* The flow list's items, in order. */
struct lay_flow {
	struct lay_item	*v;		/* owned, with what each item owns */
	size_t		 n, cap;
};

/*
 * Where a block is set: the measure it fills (x0 from the column's left, the
 * column's own offset is the layout's), the look of its body text, how deep
 * it is nested (paragraphs at depth 0 are the document's own, with their
 * first-line indent), and what every paragraph set in it is given: LAY_RIGHT
 * (closing lines, Div .signature), LAY_UNNUMBERED (figures, contents and index:
 * no line numbers).  Blocks nested in a block get a region made from their
 * parent's; nothing of it is held in the layout.
 */
struct lay_region {
	double		 x0, measure;
	struct look	 body;
	int		 depth;
	unsigned	 flags;
};

/* A run of balanced columns (lay_columns.c): its rules are drawn last (lay_furniture.c). */
struct lay_colrun {
	size_t	 from, to;		/* its boxes */
	int	 first_page, last_page, ncols;
	double	 x0, width, gap;
};

/* Boxes [from, to) of the layout's output: a page's footnotes. */
struct lay_range {
	size_t	 from, to;
};

/*
 * Where the distributor stands: everything placing changes but the boxes
 * themselves and the notes waiting for a page's foot, so that going back to
 * a mark (lay_columns.c) is a copy of it.  The counts are of the layout's
 * arrays that placing appends to.
 */
struct lay_cursor {
	double	 y;		/* next line's top, from the page top */
	int	 page;
	int	 body_started;	/* front-roman: the first chapter is set */
	/* Columns (lay_columns.c). */
	double	 dx;		/* added to every box's x: the column's offset */
	int	 ncols;		/* 0 or 1: none */
	int	 col;		/* the current one, from 0 */
	double	 col_step;	/* column width plus gap */
	double	 col_top;	/* where the columns start on this page */
	double	 col_deepest;	/* the lowest y a full column reached */
	int	 balance_page;	/* the page whose columns end at balance_y */
	double	 balance_y;
	/* Footnotes (lay_note.c). */
	double	 note_height;	/* the current page's notes, rule included */
	int	 page_notes;	/* notes begun on the current page */
	int	 notes_begun;
	int	 text_done;	/* only notes are left to set */
	size_t	 nnote_boxes;	/* each page's footnotes set so far (note_boxes) */
	size_t	 ncolruns;	/* column runs placed (colruns) */
	size_t	 nnumbered;	/* lines counted for line numbers (numbered) */
};

/* A fragment waiting in the pending list: its item's, or its own once the item is gone. */
struct lay_pending {
	struct lay_frag	 f;
	size_t		 item;		/* in the flow list */
	int		 owned;
};

struct layout {
	const struct doc		*doc;
	const char			*file;		/* the source of the block being set, for
							   messages; borrowed from doc */
	const struct lay_page_style	*ps;
	struct font_set			*set;
	struct lay_doc			*out;
	struct lay_cursor		 at;		/* where the distributor stands */
	int				 failed;
	unsigned			 flags;		/* LAY_TRUST_PATHS */
	size_t				 body_first;	/* the body's first box, after cover and head */
	struct font			**fallback;	/* the style's fallback fonts */
	size_t				 nfallback;
	struct coll			*text;		/* ICU's line breaking, owned */
	struct lay_run			*runs;		/* the paragraph being collected */
	size_t				 nruns, cap;
	struct look			 body;		/* the body text's fonts */
	/* The blocks set and not yet placed (lay_flow.c). */
	struct lay_flow			 flow;
	struct lay_label		*labels;	/* list labels for the next content item */
	size_t				 nlabels, lcap;
	int				 in_columns;	/* setting a column run's blocks */
	/*
	 * Fragments kept with what follows, in order, waiting for it: shallow
	 * copies of their items' (lay_place_settle()).
	 */
	struct lay_pending		*pending;
	size_t				 npending, pcap;
	const struct lay_frag		*armed;		/* whose labels the next line placed gets */
	/* Footnotes (lay_note.c). */
	struct lay_note			*notes;		/* the document's, in order */
	size_t				 nnotes;
	struct lay_note_key		*notes_by_num;	/* the notes sorted by number, */
	struct lay_note_key		*notes_by_href;	/* and by their href's address */
	struct lay_note_part		*note_queue;	/* lines for this page's foot */
	size_t				 nqueue, qcap;
	struct lay_note_part		*note_carry;	/* lines left for the next page */
	size_t				 ncarry, ccap;
	struct lay_image		*images;	/* figures' images checked so far */
	size_t				 nimages;
	/* Columns (lay_columns.c). */
	struct lay_colrun		*colruns;	/* the runs set, for their rules: at.ncolruns */
	size_t				 crcap;
	struct lay_range		*note_boxes;	/* each page's footnotes, set so far: at.nnote_boxes */
	size_t				 nbcap;
	/* Page references (lay_toc.c). */
	const struct lay_refs		*refs;		/* the pass before's page labels; NULL
							   in the first pass */
	struct lay_ref_use		*uses;		/* each page reference set, and what it showed */
	size_t				 nuses, ucap;
	int				 refs_patched;	/* lay_refs_patch() filled them all */
	/* Line numbers (lay_lines.c). */
	int				 line_every;	/* number every Nth line; 0: none */
	struct lay_numbered		*numbered;	/* baselines of the lines to number: at.nnumbered */
	size_t				 ncap;
};

/* A body text line that counts for the line numbers. */
struct lay_numbered {
	int	 page;
	double	 baseline;
};

struct lay_ref;
struct lay_ref_use;

/* Page labels of ids, from the anchors of a finished pass (lay_toc.c). */
struct lay_refs {
	struct lay_ref	*v;	/* sorted by id */
	size_t		 n;
};

/* Where the layout stands, to place something again from there (lay_columns.c). */
struct lay_mark {
	struct lay_cursor	 at;
	size_t			 boxes;
	int			 pages;
	/* The notes waiting for a page's foot, owned: lay_mark_free() frees them. */
	struct lay_note_part	*queue, *carry;
	size_t			 nqueue, ncarry;
};

/* The font of family in the set; NULL (and the layout failed) when it is missing. */
struct font *lay_get_font(struct layout *lo, const char *family, int bold, int italic);
/* Adds text (borrowed until the paragraph is flushed) to the paragraph being collected. */
void lay_add_run(struct layout *lo, const char *text, size_t len, struct look f, double size,
    int line);
/* Adds the inlines under n to the paragraph being collected. */
void lay_collect_runs(struct layout *lo, const struct doc_node *n, struct look f,
    double size, int line);
/* Adds first and the inlines after it, up to stop (NULL: all), to the paragraph being collected. */
void lay_collect_runs_from(struct layout *lo, const struct doc_node *first,
    const struct doc_node *stop, struct look f, double size, int line);
void lay_new_page(struct layout *lo);
/* Returns a new zeroed box on the current page, owned by the layout's output. */
struct lay_box *lay_new_box(struct layout *lo, enum lay_box_kind kind);
/* Gives glyph box b room for n glyphs (its old ones are gone), in one allocation b owns. */
void lay_box_glyphs(struct lay_box *b, size_t n);
void lay_add_rule(struct layout *lo, double x, double y, double w, double h);
/* Places glyphs [from, to) of line as one box with its first glyph at x0 + its x. */
void lay_add_glyph_box(struct layout *lo, const struct lay_line *line, size_t from, size_t to,
    double x0, double baseline);
/* The baseline of a line of type size set pitch tall at the current position. */
double lay_baseline(const struct layout *lo, double size, double pitch);
/*
 * Places line at the current position, then moves down by pitch; returns its
 * baseline.  Only its boxes: the notes it refers to are lay_flow_line()'s.
 */
double lay_place_line(struct layout *lo, const struct lay_line *line, double x0, double pitch,
    double size);
/*
 * The flow's placing of a line of text: the notes it refers to (and theirs)
 * begin at this page's foot, then lay_place_line(); their marks may be
 * renumbered for the page, so line is written.
 */
double lay_flow_line(struct layout *lo, struct lay_line *line, double x0, double pitch,
    double size);
/* Where the type area ends on the current page, from the page top. */
double lay_bottom(const struct layout *lo);
/*
 * Sets the collected runs as a paragraph into the flow list (lay_flow.c);
 * flags are LAY_JUSTIFY (1), LAY_CENTRE, LAY_UNNUMBERED; keep_next keeps it
 * with what follows: it is placed with that, or with at least two lines of it.
 */
void lay_flush_paragraph(struct layout *lo, double x0, double measure, double indent,
    double size, double pitch, int flags, int keep_next);
/*
 * The same for the fragment f whose placement fields the caller filled (x0,
 * measure, size, pitch, before, after, flags, anchor): its para is set here
 * from the collected runs.  f is taken over (its title freed with it).
 */
void lay_flow_paragraph(struct layout *lo, struct lay_frag *f, double indent, int keep_next);
/*
 * Appends an item of kind to the flow list and returns it, zeroed but for its
 * kind; a content item (FRAG, TOGETHER, LINES, TABLE, ENTRY) takes the list
 * labels waiting.  The pointer is good until the next item is added.
 */
struct lay_item *lay_flow_add(struct layout *lo, enum lay_item_kind kind);
/* Appends an ITEM_SETTLE: what waits for what follows goes with need points of it. */
void lay_flow_settle(struct layout *lo, double need);
/*
 * Appends fragment f, whose lines are set, as an item of kind (ITEM_FRAG,
 * ITEM_TOGETHER, ITEM_LINES); keep: an ITEM_FRAG kept with what follows.
 * f is taken over.
 */
void lay_flow_frag(struct layout *lo, enum lay_item_kind kind, struct lay_frag *f, int keep);
/* Gives label (taken over) to the next content item added. */
void lay_flow_label(struct layout *lo, struct lay_label *label);
/* Drops the labels no item took (an empty list item). */
void lay_flow_labels_drop(struct layout *lo);
/* Frees items [from, n) of fl and what they own; fl keeps the rest. */
void lay_flow_truncate(struct lay_flow *fl, size_t from);
/*
 * The distributor: places items [from, to) of the layout's flow list from the
 * current position.  The items are read, never consumed: placing them again
 * after a rewind (lay_columns.c) sets the same boxes.
 */
void lay_place_items(struct layout *lo, size_t from, size_t to);
/*
 * Places the pending fragments, with room for need points of what follows
 * below them: on the next page (or column) when they and need do not fit
 * here, unless they would not fit on an empty one either.  Every item not set
 * through the pending list calls it before it places anything.
 */
void lay_place_settle(struct layout *lo, double need);
/* Hands the pending fragments of items from on over to them: those items are about to be freed. */
void lay_place_own_pending(struct layout *lo, size_t from);
/* Drops the pending fragments. */
void lay_place_drop(struct layout *lo);
/* Whether nothing is set yet in the current column (or on the page): no break helps there. */
int lay_at_top(const struct layout *lo);
/* On a character grid, moves the next line's top down to the next grid line. */
void lay_snap_to_grid(struct layout *lo, double pitch);
/* An anchor for id where the box at index `at` starts, `above` points over it. */
void lay_add_anchor(struct layout *lo, size_t at, const char *id, int level, const char *title,
    double above);
/* Sets block n in r; returns the last node it used (a table takes its notes after it). */
const struct doc_node *lay_set_block(struct layout *lo, const struct doc_node *n,
    const struct lay_region *r);
void lay_images_free(struct layout *lo);
/* Sets a figure (lay_figure.c): its image scaled into the measure, its caption below. */
void lay_set_figure(struct layout *lo, const struct doc_node *n, const struct lay_region *r);
/* Sets a list of sibling blocks starting at first, in r. */
void lay_set_blocks(struct layout *lo, const struct doc_node *first, const struct lay_region *r);

/* Footnotes: found once, before the text is set; freed with the layout. */
void lay_notes_init(struct layout *lo);
void lay_notes_free(struct layout *lo);
/* Adds the mark of the footnote ref refers to, raised, to the paragraph being collected. */
void lay_note_mark(struct layout *lo, const struct doc_node *ref, struct look f, double size);
/* Height the page's notes grow by if line is set on this page. */
double lay_notes_need(struct layout *lo, const struct lay_line *line, int page_has_notes);
/* line is being set with its foot at line_bottom: its notes go to this page's foot. */
void lay_notes_place(struct layout *lo, struct lay_line *line, double line_bottom);
/* Sets the page's notes at its foot; then lay_notes_carry() starts the next page's. */
void lay_notes_flush(struct layout *lo);
void lay_notes_carry(struct layout *lo);

void lay_mark(const struct layout *lo, struct lay_mark *m);
/* Goes back to m (which stays valid), dropping what was set since. */
void lay_rewind(struct layout *lo, const struct lay_mark *m);
void lay_mark_free(struct lay_mark *m);
/* The footnotes' part of a mark (lay_note.c). */
void lay_notes_save(const struct layout *lo, struct lay_mark *m);
void lay_notes_restore(struct layout *lo, const struct lay_mark *m);
/*
 * Sets the children of a Div {.columns-N} into the flow list: runs of
 * balanced columns, between which a heading first in it, or marked .span,
 * spans them.
 */
void lay_set_columns(struct layout *lo, const struct doc_node *div, int ncols,
    const struct lay_region *r);
/* Places items [from, to), set in columns as cols says, balanced on their last page. */
void lay_place_columns(struct layout *lo, size_t from, size_t to, const struct lay_cols *cols);

/* A table shaped for its measure (lay_table.c): caption, rows' cells set into lines, notes. */
struct lay_table;
/*
 * Shapes table node, with its notes (the Div {.table-notes} after it, or NULL), for a region at x0
 * in measure; body is the cells' look.  Reads nothing of where it will be placed (page, column,
 * position).  Says here when it is too wide.  Returns NULL when there is nothing to set (no rows, a missing font).
 * The caller owns it: lay_table_free() (which takes NULL too).
 */
struct lay_table *lay_table_shape(struct layout *lo, const struct doc_node *node,
    const struct doc_node *notes, double x0, double measure, struct look body);
/* What a heading before it is kept with: caption, head and first row (and the room below). */
double lay_table_keep_height(const struct lay_table *t);
/*
 * Its height set whole, with the space above and below it, as if on one page (the space above,
 * half its type size, is not set at a page's top).
 */
double lay_table_height(const struct lay_table *t);
/*
 * Places t from the current position as lay_set_table() did: the pending headings settled with
 * its keep height, rows kept whole across pages (a taller one split between lines), the caption
 * continued and the head repeated on each new part, the last row kept with the notes, its anchor.
 * t is read only: placing it again after a rewind sets the same boxes (but a per-page footnote
 * mark in a cell, which lay_flow_line() renumbers for the page its note begins on).
 */
void lay_table_place(struct layout *lo, const struct lay_table *t);
void lay_table_free(struct lay_table *t);
/*
 * The page label a Span {.page-ref target=ID} shows: the previous pass's page
 * of ID's anchor ("?" when it has none, a placeholder in the first pass).
 * The text stays valid for the pass.
 */
const char *lay_page_ref(struct layout *lo, const struct doc_node *span);
/* Fills refs (freed with lay_refs_free()) with the page labels of ld's anchors. */
void lay_refs_collect(const struct lay_doc *ld, struct lay_refs *refs);
void lay_refs_free(struct lay_refs *refs);
/*
 * Puts the right page numbers into the contents and index entries set in
 * this pass, whose places do not depend on them, from the anchors set so far.
 * Returns 1 when every page reference was such an entry's and now shows its
 * number; 0 when one was set in running text or is too wide for its place,
 * and the document must be set again.
 */
int lay_refs_patch(struct layout *lo);
/* 1 when every page reference of the pass showed what next says. */
int lay_refs_settled(const struct layout *lo, const struct lay_refs *next);
/* Warns about the page references whose target has no anchor. */
void lay_refs_report(const struct layout *lo);
void lay_uses_free(struct layout *lo);
/*
 * Sets a contents entry, Div {.toc-entry} (number, title, dot leader, page
 * number), or an index entry, Para {.index-entry} (its text, a dot leader,
 * the page number of its Span {.page-ref}), into the flow list: an ITEM_ENTRY.
 */
void lay_set_toc_entry(struct layout *lo, const struct doc_node *div,
    const struct lay_region *r);
/* Places an ITEM_ENTRY's entry, on one page; its page number is patched later when it can be. */
void lay_place_entry(struct layout *lo, const struct lay_entry *e);
/* Its height: its lines'. */
double lay_entry_height(const struct lay_entry *e);
void lay_entry_free(struct lay_entry *e);
/* Sets a contents group label, Div {.toc-group}, kept with the entries after it. */
void lay_set_toc_group(struct layout *lo, const struct doc_node *div, double x0,
    double measure, struct look body);

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
 * `body-top`, `cover-label`, which schema_check() has found good; other keys
 * are left alone.
 */
void lay_cover_key(const char *path, const struct meta *m, struct lay_page_style *ps);
/* Records that the page.yaml at path names family at m's place (for messages about the font). */
void lay_note_font_place(struct lay_page_style *ps, const char *family, const char *path,
    const struct meta *m);
/* Frees what lay_cover_key() put in ps. */
void lay_cover_free(struct lay_page_style *ps);
/* Sets the style's cover, when it has one, as a page before the body. */
void lay_set_cover(struct layout *lo);
/* Sets the style's first-page head on the current page and moves the body below it. */
void lay_set_first_head(struct layout *lo);
/* The height the closing elements take below the body's last line; 0 when the style has none. */
double lay_closing_height(struct layout *lo);
/*
 * Sets the style's closing elements, height tall (lay_closing_height()), below
 * the body's last line, on a new page when they do not fit.
 */
void lay_set_closing(struct layout *lo, double height);
/* Sets the style's colophon at the foot of the last page (its last element on the type
 * area's bottom edge), or on a page of its own when the text reaches down to it. */
void lay_set_colophon(struct layout *lo);
/*
 * Whether a cover element's `if` holds for meta: "KEY" when the front matter
 * has KEY, not empty; "KEY: A|B" when KEY's value contains A or B.  value is
 * scratch space.
 */
int lay_condition_holds(const struct meta *meta, const char *cond, struct buf *value);

/* Draws the rules between the columns of the runs set, down to their text's foot, never into the notes. */
void lay_set_column_rules(struct layout *lo);
/* Sets the running heads and feet (and the draft mark) on every page set (lay_furniture.c). */
void lay_set_heads(struct layout *lo, struct look body);

/* Counts a body text line with its baseline on the current page for the line numbers. */
void lay_count_line(struct layout *lo, double baseline);
/*
 * Sets the numbers of the lines counted, every lo->line_every-th of each
 * page, in the margin; after the text so that they come last on their page.
 */
void lay_set_line_numbers(struct layout *lo, struct look body);

#endif
