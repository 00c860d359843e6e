/* Line numbers in the margin of standard drafts, counted afresh on each page, as LaTeX's lineno sets them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"
#include "meta.h"

int
lay_line_numbers_value(const struct meta *m)
{
	char *end;
	long v;

	if (m == NULL || (m->type != META_STRING && m->type != META_BOOL))
		return -1;
	if (strcmp(m->str, "true") == 0)
		return 1;
	if (strcmp(m->str, "false") == 0)
		return 0;
	if (m->str[0] < '0' || m->str[0] > '9')
		return -1;
	v = strtol(m->str, &end, 10);
	return *end == '\0' && v >= 1 && v <= 100 ? (int)v : -1;
}

void
lay_count_line(struct layout *lo, double baseline)
{
	if (lo->line_every <= 0)
		return;
	lo->numbered = mem_grow(lo->numbered, &lo->ncap, lo->at.nnumbered + 1,
	    sizeof(*lo->numbered));
	lo->numbered[lo->at.nnumbered++] = (struct lay_numbered){ lo->at.page, baseline };
}

static int
by_place(const void *a, const void *b)
{
	const struct lay_numbered *x = a, *y = b;

	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->baseline < y->baseline ? -1 : x->baseline > y->baseline;
}

/* Sets number right-aligned to x (or left-aligned from x) with its baseline at y. */
static void
set_number(struct layout *lo, struct look f, int number, double x, int right_aligned,
    double y)
{
	const struct lay_page_style *ps = lo->ps;
	char digits[16];
	struct lay_run run;
	struct lay_para_style st = { 1e6, 0, (enum lay_punct)ps->punct, 0, lo->doc->source,
	    lo->fallback, lo->nfallback, lo->text, 0 };
	struct lay_para para;
	size_t at = lo->out->n;

	snprintf(digits, sizeof(digits), "%d", number);
	run = (struct lay_run){ digits, strlen(digits), f.cjk, f.latin, ps->line_number_size, 0,
	    0, NULL, 0 };
	lay_para_set(&run, 1, &st, &para);
	if (para.nlines > 0 && para.lines[0].n > 0) {
		const struct lay_line *line = &para.lines[0];
		lay_add_glyph_box(lo, line, 0, line->n, right_aligned ? x - line->width : x, y);
		lo->out->boxes[at].color = 0x808080;
		lo->out->boxes[at].not_text = 1;
	}
	lay_para_free(&para);
}

void
lay_set_line_numbers(struct layout *lo, struct look body)
{
	const struct lay_page_style *ps = lo->ps;
	struct look f = body;
	double x, last = 0;
	size_t i;
	int page = 0, count = 0, side, right_aligned;

	if (lo->at.nnumbered == 0)
		return;
	f.latin = lay_get_font(lo, ps->latin_sans, 0, 0);
	if (f.latin == NULL)
		return;
	/* Lines side by side (columns) share a number; the order is the page's, top down. */
	qsort(lo->numbered, lo->at.nnumbered, sizeof(*lo->numbered), by_place);
	lo->at.dx = 0;
	for (i = 0; i < lo->at.nnumbered; i++) {
		const struct lay_numbered *l = &lo->numbered[i];
		if (l->page != page) {
			page = l->page;
			count = 0;
		} else if (l->baseline - last < 0.5)
			continue;
		last = l->baseline;
		if (++count % lo->line_every != 0)
			continue;
		side = ps->line_number_side;
		if (side == ALIGN_OUTSIDE)
			side = page % 2 == 1 ? ALIGN_RIGHT : ALIGN_LEFT;
		else if (side == ALIGN_INSIDE)
			side = page % 2 == 1 ? ALIGN_LEFT : ALIGN_RIGHT;
		right_aligned = side != ALIGN_RIGHT;
		x = right_aligned ? ps->left - ps->line_number_gap :
		    ps->width - ps->right + ps->line_number_gap;
		lo->at.page = page;
		set_number(lo, f, count, x, right_aligned, l->baseline);
	}
}
