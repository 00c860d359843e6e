/* Columns balanced at their end, by placing their items again from a mark. */
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"

void
lay_mark(const struct layout *lo, struct lay_mark *m)
{
	m->at = lo->at;
	m->boxes = lo->out->n;
	m->pages = lo->out->pages;
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

	for (size_t i = m->boxes; i < out->n; i++) {
		free(out->boxes[i].xs);
		free(out->boxes[i].title);
		free(out->boxes[i].path);
	}
	out->n = m->boxes;
	out->pages = m->pages;
	lay_notes_restore(lo, m);
	lo->at = m->at;
}

/* Places items [from, to) in the columns, from the current position. */
static void
place_run(struct layout *lo, size_t from, size_t to, const struct lay_cols *cols)
{
	lo->at.ncols = cols->n;
	lo->at.col = 0;
	lo->at.col_step = cols->width + cols->gap;
	lo->at.col_top = lo->at.col_deepest = lo->at.y;
	lay_place_items(lo, from, to);
	lay_place_settle(lo, 0);	/* a heading last in the run stays in it */
}

/* Leaves column mode below the deepest column on this page. */
static void
end_run(struct layout *lo)
{
	if (lo->at.col_deepest > lo->at.y)
		lo->at.y = lo->at.col_deepest;
	lo->at.ncols = 0;
	lo->at.col = 0;
	lo->at.dx = 0;
	lo->at.balance_page = 0;
}

/* Records the run placed since m: its rules are drawn when the pages are done. */
static void
add_column_rules(struct layout *lo, const struct lay_mark *m, const struct lay_cols *cols)
{
	if (lo->ps->column_rule <= 0 || lo->out->n == m->boxes)
		return;
	lo->colruns = mem_grow(lo->colruns, &lo->crcap, lo->at.ncolruns + 1, sizeof(*lo->colruns));
	lo->colruns[lo->at.ncolruns++] = (struct lay_colrun){ m->boxes, lo->out->n, m->at.page,
	    lo->at.page, cols->n, cols->x0, cols->width, cols->gap };
}

/*
 * Places a run's items in columns, then places them again with the columns
 * of its last page made as short as they can be while it still ends on that
 * page: balanced columns, as multicol's do.  The items were set once; only
 * their placing is tried again.
 */
void
lay_place_columns(struct layout *lo, size_t from, size_t to, const struct lay_cols *cols)
{
	const struct lay_page_style *ps = lo->ps;
	double pitch = ps->size * ps->leading, top, low, high, full;
	int ncols = cols->n;
	struct lay_mark start;
	int last, tries;

	/* A heading over the columns goes with two lines of the first column. */
	lay_place_settle(lo, 2 * pitch);
	lay_mark(lo, &start);
	place_run(lo, from, to, cols);
	last = lo->at.page;
	top = last == start.at.page ? start.at.y : ps->top;
	full = lay_bottom(lo);
	/* The shortest columns that could hold what the last page has, and the full ones. */
	low = top + ((double)lo->at.col * (lo->at.col_deepest > lo->at.y ? lo->at.col_deepest - top :
	    lo->at.y - top) + (lo->at.y - top)) / ncols - pitch;
	high = full;
	if (low < top)
		low = top;
	for (tries = 0; tries < 8 && high - low > pitch / 4; tries++) {
		double mid = (low + high) / 2;
		lay_rewind(lo, &start);
		lo->at.balance_page = last;
		lo->at.balance_y = mid;
		place_run(lo, from, to, cols);
		if (lo->at.page == last)
			high = mid;
		else
			low = mid;
	}
	lay_rewind(lo, &start);
	lo->at.balance_page = last;
	lo->at.balance_y = high;
	place_run(lo, from, to, cols);
	end_run(lo);
	add_column_rules(lo, &start, cols);
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
		if (end != n) {
			size_t at = lo->flow.n;
			struct lay_item *it = lay_flow_add(lo, ITEM_COLUMNS);
			it->cols = (struct lay_cols){ ncols, col.x0, col.measure, gap };
			lo->in_columns = 1;
			for (const struct doc_node *b = n; b != end && !lo->failed; b = b->next)
				b = lay_set_block(lo, b, &col);
			lo->in_columns = 0;
			lo->flow.v[at].count = lo->flow.n - at - 1;
		}
		if (end == NULL)
			break;
		lay_set_block(lo, end, r);	/* a heading marked .span */
		n = end->next;
	}
}
