/* Columns balanced at their end, blocks kept on one page, and going back to set something again. */
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"

void
lay_mark(const struct layout *lo, struct lay_mark *m)
{
	m->boxes = lo->out->n;
	m->page = lo->page;
	m->pages = lo->out->pages;
	m->col = lo->col;
	m->y = lo->y;
	m->dx = lo->dx;
	m->col_top = lo->col_top;
	m->col_deepest = lo->col_deepest;
	m->uses = lo->nuses;
	m->numbered = lo->nnumbered;
	lay_notes_save(lo, m);
}

void
lay_mark_free(struct lay_mark *m)
{
	free(m->queue);
	free(m->carry);
}

void
lay_rewind(struct layout *lo, const struct lay_mark *m)
{
	struct lay_doc *out = lo->out;
	size_t i;

	for (i = m->boxes; i < out->n; i++) {
		free(out->boxes[i].xs);
		free(out->boxes[i].title);
		free(out->boxes[i].path);
	}
	out->n = m->boxes;
	out->pages = m->pages;
	/* Notes and column runs set since are set again. */
	while (lo->nnote_boxes > 0 && lo->note_boxes[lo->nnote_boxes - 1].from >= m->boxes)
		lo->nnote_boxes--;
	while (lo->ncolruns > 0 && lo->colruns[lo->ncolruns - 1].from >= m->boxes)
		lo->ncolruns--;
	if (lo->pending_end > m->boxes)
		lo->pending_end = 0;	/* the headings placed since are placed again */
	lo->page = m->page;
	lo->col = m->col;
	lo->y = m->y;
	lo->dx = m->dx;
	lo->col_top = m->col_top;
	lo->col_deepest = m->col_deepest;
	lo->nuses = m->uses;	/* page references set since are set again */
	lo->nnumbered = m->numbered;
	lay_notes_restore(lo, m);
}

/* Sets blocks [first, end) in the columns, from the current position. */
static void
set_run(struct layout *lo, const struct doc_node *first, const struct doc_node *end, int ncols,
    const struct lay_region *col, double gap)
{
	const struct doc_node *n;
	double width = col->measure;

	lo->ncols = ncols;
	lo->col = 0;
	lo->col_step = width + gap;
	lo->col_top = lo->col_deepest = lo->y;
	for (n = first; n != end && n != NULL && !lo->failed; n = n->next)
		n = lay_set_block(lo, n, col);
	lay_flow_settle(lo, 0);	/* a heading last in the run stays in it */
}

/* Leaves column mode below the deepest column on this page. */
static void
end_run(struct layout *lo)
{
	if (lo->col_deepest > lo->y)
		lo->y = lo->col_deepest;
	lo->ncols = 0;
	lo->col = 0;
	lo->dx = 0;
	lo->balance_page = 0;
}

/* Records the run set since m: its rules are drawn when the pages are done. */
static void
add_column_rules(struct layout *lo, const struct lay_mark *m, int ncols, double x0,
    double width, double gap)
{
	if (lo->ps->column_rule <= 0 || lo->out->n == m->boxes)
		return;
	lo->colruns = mem_grow(lo->colruns, &lo->crcap, lo->ncolruns + 1, sizeof(*lo->colruns));
	lo->colruns[lo->ncolruns++] = (struct lay_colrun){ m->boxes, lo->out->n, m->page,
	    lo->page, ncols, x0, width, gap };
}

/*
 * Sets a run of blocks in columns, then sets it again with the columns of its
 * last page made as short as they can be while it still ends on that page:
 * balanced columns, as multicol's do.
 */
static void
set_balanced(struct layout *lo, const struct doc_node *first, const struct doc_node *end,
    int ncols, const struct lay_region *col, double gap)
{
	const struct lay_page_style *ps = lo->ps;
	double pitch = ps->size * ps->leading, top, low, high, full;
	struct lay_mark start;
	int last, tries;

	/* A heading over the columns goes with two lines of the first column. */
	lay_flow_settle(lo, 2 * pitch);
	lay_mark(lo, &start);
	set_run(lo, first, end, ncols, col, gap);
	last = lo->page;
	top = last == start.page ? start.y : ps->top;
	full = lay_bottom(lo);
	/* The shortest columns that could hold what the last page has, and the full ones. */
	low = top + ((double)lo->col * (lo->col_deepest > lo->y ? lo->col_deepest - top :
	    lo->y - top) + (lo->y - top)) / ncols - pitch;
	high = full;
	if (low < top)
		low = top;
	for (tries = 0; tries < 8 && high - low > pitch / 4; tries++) {
		double mid = (low + high) / 2;
		lay_rewind(lo, &start);
		lo->balance_page = last;
		lo->balance_y = mid;
		set_run(lo, first, end, ncols, col, gap);
		if (lo->page == last)
			high = mid;
		else
			low = mid;
	}
	lay_rewind(lo, &start);
	lo->balance_page = last;
	lo->balance_y = high;
	set_run(lo, first, end, ncols, col, gap);
	end_run(lo);
	add_column_rules(lo, &start, ncols, col->x0, col->measure, gap);
	lay_mark_free(&start);
}

static int
spans(const struct doc_node *n)
{
	return n->type == DOC_HEADING && doc_attr_has_class(&n->attr, "span");
}

void
lay_set_columns(struct layout *lo, const struct doc_node *div, int ncols,
    const struct lay_region *r)
{
	double gap = 2 * lo->ps->size;
	struct lay_region col = *r;
	const struct doc_node *n = div->first, *end;

	col.measure = (r->measure - gap * (ncols - 1)) / ncols;

	/* The section's own heading runs across the columns. */
	if (n != NULL && n->type == DOC_HEADING) {
		lay_set_block(lo, n, r);
		n = n->next;
	}
	while (n != NULL && !lo->failed) {
		for (end = n; end != NULL && !spans(end); end = end->next)
			;
		if (end != n)
			set_balanced(lo, n, end, ncols, &col, gap);
		if (end == NULL)
			break;
		lay_set_block(lo, end, r);	/* a heading marked .span */
		n = end->next;
	}
}

void
lay_set_keep(struct layout *lo, const struct doc_node *div, const struct lay_region *r)
{
	struct lay_mark start;

	lay_flow_settle(lo, 2 * lo->ps->size * lo->ps->leading);
	lay_mark(lo, &start);
	lo->rewindable++;
	lay_set_blocks(lo, div->first, r);
	lay_flow_settle(lo, 0);
	/*
	 * It went over a page but started below the top: start it on the next page
	 * instead, unless that leaves more than a third of this page empty, which is
	 * worse than a broken keep.
	 */
	if (lo->page != start.page && start.y > lo->ps->top + 1e-6 && start.col + 1 >= lo->ncols &&
	    lo->ps->height - lo->ps->bottom - start.y <= (lo->ps->height - lo->ps->bottom -
	    lo->ps->top) / 3 + 1e-6) {
		lay_rewind(lo, &start);
		lay_new_page(lo);
		lay_set_blocks(lo, div->first, r);
	}
	lo->rewindable--;
	lay_mark_free(&start);
}
