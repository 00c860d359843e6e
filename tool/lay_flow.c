/* The flow list that blocks are set into, and the distributor that places it into pages and columns. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"

/* ---- the flow list -------------------------------------------------------- */

static void
labels_free(struct lay_label *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lay_para_free(&v[i].para);
	free(v);
}

static void
frag_free(struct lay_frag *f)
{
	lay_para_free(&f->para);
	free(f->title);
	free(f->head.path);
	labels_free(f->labels, f->nlabels);
	memset(f, 0, sizeof(*f));
}

static int
is_content(enum lay_item_kind kind)
{
	switch (kind) {
	case ITEM_FRAG:
	case ITEM_TOGETHER:
	case ITEM_LINES:
	case ITEM_TABLE:
	case ITEM_ENTRY:
		return 1;
	case ITEM_SETTLE:
	case ITEM_BREAK:
	case ITEM_CHAPTER:
	case ITEM_SPACE:
	case ITEM_SNAP:
	case ITEM_OPEN:
	case ITEM_ANCHOR:
	case ITEM_KEEP:
	case ITEM_COLUMNS:
		return 0;
	}
	return 0;
}

struct lay_item *
lay_flow_add(struct layout *lo, enum lay_item_kind kind)
{
	struct lay_flow *fl = &lo->flow;
	struct lay_item *it;

	fl->v = mem_grow(fl->v, &fl->cap, fl->n + 1, sizeof(*fl->v));
	it = &fl->v[fl->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	if (is_content(kind) && lo->nlabels > 0) {
		it->f.labels = lo->labels;
		it->f.nlabels = lo->nlabels;
		lo->labels = NULL;
		lo->nlabels = lo->lcap = 0;
	}
	return it;
}

void
lay_flow_label(struct layout *lo, struct lay_label *label)
{
	lo->labels = mem_grow(lo->labels, &lo->lcap, lo->nlabels + 1, sizeof(*lo->labels));
	lo->labels[lo->nlabels++] = *label;
	memset(label, 0, sizeof(*label));
}

void
lay_flow_labels_drop(struct layout *lo)
{
	labels_free(lo->labels, lo->nlabels);
	lo->labels = NULL;
	lo->nlabels = lo->lcap = 0;
}

void
lay_flow_truncate(struct lay_flow *fl, size_t from)
{
	for (size_t i = from; i < fl->n; i++) {
		frag_free(&fl->v[i].f);
		lay_entry_free(fl->v[i].entry);
		lay_table_free(fl->v[i].table);
	}
	if (from < fl->n)
		fl->n = from;
}

void
lay_flow_settle(struct layout *lo, double need)
{
	lay_flow_add(lo, ITEM_SETTLE)->length = need;
}

void
lay_flow_frag(struct layout *lo, enum lay_item_kind kind, struct lay_frag *f, int keep)
{
	struct lay_item *it = lay_flow_add(lo, kind);

	/* The labels waiting are the item's; f has none of its own. */
	f->labels = it->f.labels;
	f->nlabels = it->f.nlabels;
	it->f = *f;
	it->keep = keep;
	memset(f, 0, sizeof(*f));
}

/* ---- the distributor -------------------------------------------------------- */

int
lay_at_top(const struct layout *lo)
{
	return lo->at.y <= (lo->at.ncols > 1 ? lo->at.col_top : lo->ps->top) + 1e-6;
}

void
lay_snap_to_grid(struct layout *lo, double pitch)
{
	double top = lo->ps->top;

	if (lo->ps->grid_chars > 0)
		lo->at.y = top + ceil((lo->at.y - top) / pitch - 1e-6) * pitch;
}

/* The room the first n lines of f take, with the notes they refer to. */
static double
frag_head(struct layout *lo, const struct lay_frag *f, size_t n)
{
	double h = 0, notes = 0;

	for (size_t k = 0; k < n && k < f->para.nlines; k++) {
		if (lo->nnotes > 0)
			notes += lay_notes_need(lo, &f->para.lines[k], notes > 0);
		h += f->pitch;
	}
	return h + notes;
}

/* The lines of f a page must hold when it holds any: two, or three when a widow would be left. */
static size_t
least_lines(const struct lay_frag *f)
{
	return f->para.nlines <= 3 ? f->para.nlines : 2;
}

/* Sets f's labels (list items') in the indent on baseline, before the line's boxes, as it is read. */
static void
place_labels(struct layout *lo, const struct lay_frag *f, double baseline)
{
	for (size_t k = 0; k < f->nlabels; k++) {
		/* A box holds one font: （一） and 1、 mix the CJK and Latin ones. */
		const struct lay_para *p = &f->labels[k].para;
		const struct lay_line *l;
		size_t from = 0;

		if (p->nlines == 0)
			continue;
		l = &p->lines[0];
		for (size_t i = 1; i <= l->n; i++)
			if (i == l->n || l->glyphs[i].font != l->glyphs[from].font) {
				lay_add_glyph_box(lo, l, from, i, f->labels[k].x0, baseline);
				from = i;
			}
	}
}

double
lay_flow_line(struct layout *lo, struct lay_line *line, double x0, double pitch, double size)
{
	/* Labels armed for a table's or an entry's first line. */
	if (lo->armed != NULL) {
		place_labels(lo, lo->armed, lay_baseline(lo, size, pitch));
		lo->armed = NULL;
	}
	/* Its notes first: they are queued for this page's foot below the line. */
	if (lo->nnotes > 0)
		lay_notes_place(lo, line, lo->at.y + pitch);
	return lay_place_line(lo, line, x0, pitch, size);
}

static double
line_x(const struct lay_frag *f, const struct lay_line *l)
{
	return f->x0 + (f->flags & LAY_CENTRE ? (f->measure - l->width) / 2 :
	    f->flags & LAY_RIGHT ? f->measure - l->width : 0);
}

/*
 * Places f's lines from the current position, keeping two lines together at
 * a page's foot and head (孤行不成页), then its anchor over its first line.
 * fresh: it was moved to this page or column, and the space above it is dropped.
 */
static void
place_frag(struct layout *lo, struct lay_frag *f, int fresh)
{
	struct lay_para *para = &f->para;
	size_t placed = 0, fit, take, first = lo->out->n;
	double pitch = f->pitch;

	if (lo->at.y > lo->ps->top && !fresh)
		lo->at.y += f->before;
	while (placed < para->nlines) {
		size_t left = para->nlines - placed;
		double notes = 0, need;
		/* Lines fit while they and the notes they refer to fit. */
		for (fit = 0; fit < left; fit++) {
			need = lo->nnotes > 0 ? lay_notes_need(lo, &para->lines[placed + fit],
			    notes > 0) : 0;
			if (lo->at.y + (double)(fit + 1) * pitch + notes + need > lay_bottom(lo) + 1e-6)
				break;
			notes += need;
		}
		take = left;
		if (fit == left && f->tail > 0 && lo->at.y + (double)left * pitch + notes +
		    f->tail > lay_bottom(lo) + 1e-6 && !lay_at_top(lo)) {
			/*
			 * What must follow it does not fit below: its last two lines go
			 * over with it, or all of them when that leaves fewer than two.
			 */
			take = left >= 4 ? left - 2 : 0;
		} else if (fit < left) {
			take = fit;
			if (left - take == 1 && take > 0)
				take--;		/* no last line alone at the head of a page */
			if (take < 2 && left >= 2)
				take = 0;	/* no first line alone at the foot of a page */
			if (take == 0 && lo->at.y <= lo->ps->top)
				take = fit > 0 ? fit : 1;	/* a page holds at least something */
		}
		for (size_t k = 0; k < take; k++) {
			struct lay_line *line = &para->lines[placed + k];
			if (placed + k == 0)
				place_labels(lo, f, lay_baseline(lo, f->size, pitch));
			double baseline = lay_flow_line(lo, line, line_x(f, line), pitch, f->size);
			if (!(f->flags & LAY_UNNUMBERED) && line->n > 0)
				lay_count_line(lo, baseline);
		}
		placed += take;
		if (placed < para->nlines)
			lay_new_page(lo);
	}
	lo->at.y += f->after;
	if (f->anchored)
		lay_add_anchor(lo, first, f->id, f->level, f->title, f->above);
}

/* The height of the pending fragments, set from the current position. */
static double
pending_height(struct layout *lo)
{
	double h = 0;

	for (size_t i = 0; i < lo->npending; i++) {
		const struct lay_frag *f = &lo->pending[i].f;
		if (i > 0 || lo->at.y > lo->ps->top)
			h += f->before;
		h += frag_head(lo, f, f->para.nlines) + f->after;
	}
	return h;
}

void
lay_place_settle(struct layout *lo, double need)
{
	struct lay_pending *pending = lo->pending;
	const struct lay_frag *armed = lo->armed;
	size_t n = lo->npending;
	double h, page;
	int fresh = 0;

	if (n == 0)
		return;
	h = pending_height(lo) + need;
	page = lay_bottom(lo) - (lo->at.ncols > 1 ? lo->at.col_top : lo->ps->top);
	/* A heading never ends a page: it goes over with what it is kept with, if they fit there. */
	if (lo->at.y + h > lay_bottom(lo) + 1e-6 && !lay_at_top(lo) && h <= page + 1e-6) {
		lay_new_page(lo);
		fresh = 1;
	}
	/* Taken off the list first: what they place settles nothing, and takes no one's labels. */
	lo->pending = NULL;
	lo->npending = lo->pcap = 0;
	lo->armed = NULL;
	for (size_t i = 0; i < n; i++) {
		place_frag(lo, &pending[i].f, fresh && i == 0);
		if (pending[i].owned)
			frag_free(&pending[i].f);
	}
	free(pending);
	lo->armed = armed;
}

void
lay_place_own_pending(struct layout *lo, size_t from)
{
	for (size_t i = 0; i < lo->npending; i++)
		if (!lo->pending[i].owned && lo->pending[i].item >= from) {
			struct lay_item *it = &lo->flow.v[lo->pending[i].item];
			lo->pending[i].owned = 1;
			memset(&it->f, 0, sizeof(it->f));
		}
}

void
lay_place_drop(struct layout *lo)
{
	for (size_t i = 0; i < lo->npending; i++)
		if (lo->pending[i].owned)
			frag_free(&lo->pending[i].f);
	lo->npending = 0;
}

/*
 * Places f's head box and lines together: on the next page when they do not
 * fit here, where only lines longer than a page break; its anchor is at its
 * head.
 */
static void
place_together(struct layout *lo, const struct lay_frag *f)
{
	const struct lay_page_style *ps = lo->ps;
	double above = lo->at.y > ps->top ? f->before : 0;
	double need = f->head_room + frag_head(lo, f, f->para.nlines);
	size_t first;
	struct lay_box *b;

	if (lo->at.y + above + need > lay_bottom(lo) + 1e-6 && lo->at.y > ps->top) {
		lay_new_page(lo);
		above = 0;
	}
	lo->at.y += above;
	first = lo->out->n;
	place_labels(lo, f, lay_baseline(lo, f->size, f->pitch));
	b = lay_new_box(lo, f->head.kind);
	*b = f->head;
	b->page = lo->at.page;
	b->x += lo->at.dx;
	b->y += lo->at.y;
	if (f->head.path != NULL)
		b->path = mem_strdup(f->head.path);	/* each placing's box has its own */
	lo->at.y += f->head_room;
	if (f->flags & LAY_SNAP)
		lay_snap_to_grid(lo, f->pitch);
	for (size_t k = 0; k < f->para.nlines; k++) {
		struct lay_line *l = &f->para.lines[k];
		if (lo->at.y + f->pitch > lay_bottom(lo) + 1e-6 && lo->at.y > ps->top)
			lay_new_page(lo);	/* only lines longer than a page get here */
		double baseline = lay_flow_line(lo, l, line_x(f, l), f->pitch, f->size);
		if (!(f->flags & LAY_UNNUMBERED))
			lay_count_line(lo, baseline);
	}
	lo->at.y += f->after;
	if (f->flags & LAY_SNAP)
		lay_snap_to_grid(lo, f->pitch);
	if (f->anchored)
		lay_add_anchor(lo, first, f->id, f->level, f->title, f->above);
}

/* Places lines one by one where they fit: a caption under a figure's blocks. */
static void
place_lines(struct layout *lo, const struct lay_frag *f)
{
	for (size_t k = 0; k < f->para.nlines; k++) {
		struct lay_line *l = &f->para.lines[k];
		if (lo->at.y + f->pitch > lay_bottom(lo) + 1e-6 && lo->at.y > lo->ps->top)
			lay_new_page(lo);	/* only a caption longer than a page gets here */
		if (k == 0)
			place_labels(lo, f, lay_baseline(lo, f->size, f->pitch));
		lay_flow_line(lo, l, line_x(f, l), f->pitch, f->size);
	}
	lo->at.y += f->after;
}

/*
 * Places the fragment of item i, or keeps it waiting with what follows
 * (keep).  The pending list holds a copy; the item keeps what it owns.
 */
static void
place_flowing(struct layout *lo, size_t i, int keep)
{
	struct lay_frag *f = &lo->flow.v[i].f;
	size_t have = 0, least;

	/* Lines of body text kept with the headings already. */
	for (size_t k = 0; k < lo->npending; k++)
		if (lo->pending[k].f.flags & LAY_CHAIN)
			have += lo->pending[k].f.para.nlines;
	/* A heading goes with two lines of text: a one-line paragraph is not enough. */
	if (!keep && (f->flags & LAY_CHAIN) && lo->npending > 0)
		keep = have + f->para.nlines < 2;
	if (keep) {
		lo->pending = mem_grow(lo->pending, &lo->pcap, lo->npending + 1,
		    sizeof(*lo->pending));
		lo->pending[lo->npending++] = (struct lay_pending){ *f, i, 0 };
		return;
	}
	/*
	 * What is kept with this goes with its first lines, as many as a page must
	 * hold, and room for a line of what follows when that makes less than two
	 * (a list item of one line after a heading).
	 */
	least = least_lines(f);
	lay_place_settle(lo, frag_head(lo, f, least) + (have + least < 2 && lo->npending > 0 ?
	    (double)(2 - have - least) * f->pitch : 0));
	place_frag(lo, f, 0);
}

/* The height items [from, to) take set on one page from here, their notes' included. */
static double
items_height(struct layout *lo, size_t from, size_t to)
{
	double h = 0;

	for (size_t i = from; i < to; i++) {
		const struct lay_item *it = &lo->flow.v[i];
		switch (it->kind) {
		case ITEM_FRAG:
		case ITEM_LINES:
			h += it->f.before + frag_head(lo, &it->f, it->f.para.nlines) + it->f.after;
			break;
		case ITEM_TOGETHER:
			h += it->f.before + it->f.head_room + frag_head(lo, &it->f,
			    it->f.para.nlines) + it->f.after;
			break;
		case ITEM_TABLE:
			h += lay_table_height(it->table);
			break;
		case ITEM_ENTRY:
			h += lay_entry_height(it->entry);
			break;
		case ITEM_SPACE:
			h += it->length;
			break;
		case ITEM_COLUMNS:
			/* Balanced: its columns share its height. */
			h += items_height(lo, i + 1, i + 1 + it->count) / it->cols.n;
			i += it->count;
			break;
		case ITEM_KEEP:
		case ITEM_SETTLE:
		case ITEM_BREAK:
		case ITEM_CHAPTER:
		case ITEM_SNAP:
		case ITEM_OPEN:
		case ITEM_ANCHOR:
			break;
		}
	}
	return h;
}

/*
 * Items [from, to) of a Div {.keep}: started on the next page when they would
 * go over this one, unless that leaves more than a third of this page empty,
 * which is worse than a broken keep.
 */
static void
place_keep(struct layout *lo, size_t from, size_t to)
{
	const struct lay_page_style *ps = lo->ps;
	double area = ps->height - ps->bottom - ps->top, h;

	lay_place_settle(lo, 2 * ps->size * ps->leading);
	h = items_height(lo, from, to);
	if (!lay_at_top(lo) && lo->at.y + h > lay_bottom(lo) + 1e-6 && lo->at.col + 1 >= lo->at.ncols &&
	    ps->height - ps->bottom - lo->at.y <= area / 3 + 1e-6)
		lay_new_page(lo);
	lay_place_items(lo, from, to);
	lay_place_settle(lo, 0);
}

/* A chapter's start: the body's page 1 (front-roman), a new page, a right-hand one. */
static void
place_chapter(struct layout *lo, unsigned flags)
{
	const struct lay_page_style *ps = lo->ps;

	if ((flags & ITEM_BODY) && !lo->at.body_started) {
		lay_place_settle(lo, 0);
		lo->at.body_started = 1;
		if (lo->out->n > lo->body_first)
			lay_new_page(lo);
		lo->out->front_pages = lo->at.page - 1 - lo->out->cover_pages;
		lo->out->front_style = ps->front_roman;
	}
	if ((flags & ITEM_ALWAYS) || ((flags & ITEM_NEW_PAGE) && lo->at.ncols == 0)) {
		lay_place_settle(lo, 0);
		if (lo->at.y > ps->top && lo->out->n > lo->body_first)
			lay_new_page(lo);
		if ((flags & ITEM_RECTO) && lo->at.page % 2 == 0)
			lay_new_page(lo);
	}
}

void
lay_place_items(struct layout *lo, size_t from, size_t to)
{
	const struct lay_page_style *ps = lo->ps;

	for (size_t i = from; i < to && !lo->failed; i++) {
		struct lay_item *it = &lo->flow.v[i];
		switch (it->kind) {
		case ITEM_FRAG:
			place_flowing(lo, i, it->keep);
			break;
		case ITEM_TOGETHER:
			/* What is kept with it (a heading) goes with it, and they move over together. */
			lay_place_settle(lo, (lo->at.y > ps->top ? it->f.before : 0) + it->f.head_room +
			    frag_head(lo, &it->f, it->f.para.nlines));
			place_together(lo, &it->f);
			break;
		case ITEM_LINES:
			lay_place_settle(lo, it->f.pitch);
			place_lines(lo, &it->f);
			break;
		case ITEM_TABLE:
			lo->armed = it->f.nlabels > 0 ? &it->f : NULL;
			lay_table_place(lo, it->table);
			lo->armed = NULL;
			break;
		case ITEM_ENTRY:
			lay_place_settle(lo, 2 * ps->size * ps->leading);
			lo->armed = it->f.nlabels > 0 ? &it->f : NULL;
			lay_place_entry(lo, it->entry);
			lo->armed = NULL;
			break;
		case ITEM_SETTLE:
			lay_place_settle(lo, it->length);
			break;
		case ITEM_BREAK:
			/* An explicit break; .recto ends on a left page so the next is a right one. */
			lay_place_settle(lo, 0);
			if (lo->at.y > ps->top || lo->at.col > 0)
				lay_new_page(lo);
			if ((it->flags & ITEM_RECTO) && lo->at.page % 2 == 0)
				lay_new_page(lo);
			break;
		case ITEM_CHAPTER:
			place_chapter(lo, it->flags);
			break;
		case ITEM_SPACE:
			if (lo->at.y > ps->top)
				lo->at.y += it->length;
			break;
		case ITEM_SNAP:
			lay_snap_to_grid(lo, it->length);
			break;
		case ITEM_OPEN:
			it->at = lo->out->n;
			break;
		case ITEM_ANCHOR:
			lay_add_anchor(lo, lo->flow.v[i - it->count].at, it->f.id, it->f.level,
			    it->f.title, it->f.above);
			break;
		case ITEM_KEEP:
			place_keep(lo, i + 1, i + 1 + it->count);
			i += it->count;
			break;
		case ITEM_COLUMNS:
			lay_place_columns(lo, i + 1, i + 1 + it->count, &it->cols);
			i += it->count;
			break;
		}
	}
}
