/*
 * Tables: shaped once (column widths from the cells' content, every cell set into lines), then
 * placed from that, rows kept whole across pages and the head repeated.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"
#include "msg.h"

#define THIN	0.5	/* inner rules, points */
#define THICK	1.0	/* a three-line table's top and bottom rules; a grid's frame is THIN */

/*
 * A table shaped for its measure: every cell of every row set into lines
 * once, its caption (and the caption of its continued parts) and its notes;
 * placing reads it and writes nothing of it.
 */
struct lay_table {
	const struct doc_node	 *node;
	const struct doc_node	**cells;	/* nrows × ncols, NULL where a row is short;
						   only while it is shaped */
	size_t			  nrows, ncols;
	size_t			  nhead;	/* header rows, the first ones */
	double			 *width;	/* per column, padding included */
	const char		 *aligns;
	double			  size, pitch, pad, vpad;
	struct look		  body, head;
	double			  x0;		/* the first column's left */
	double			  mx0;		/* the measure's left: captions are centred in it */
	double			  measure;
	struct lay_para		 *set;		/* nrows × ncols: each cell's lines */
	double			 *heights;	/* each row's, its padding included */
	struct lay_para		  caption;	/* "表1　title"; no lines: none */
	struct lay_para		  continued;	/* "表1（续）", over each part after the first */
	double			  caption_h;	/* the caption's, the space below it included */
	struct lay_para		 *notes;	/* the notes' paragraphs; NULL: none */
	size_t			  nnotes;
	double			  notes_h;	/* their height, padding included */
	double			  keep_h;	/* caption (two lines at least), head, first row */
};

static const struct doc_node *
cell_at(const struct lay_table *t, size_t row, size_t col)
{
	return t->cells[row * t->ncols + col];
}

static void
collect_cell(struct layout *lo, const struct lay_table *t, size_t row, size_t col)
{
	const struct doc_node *cell = cell_at(t, row, col);

	lo->nruns = 0;
	if (cell != NULL)
		lay_collect_runs(lo, cell, row < t->nhead ? t->head : t->body, t->size, cell->line);
}

static struct lay_para_style
cell_style(const struct layout *lo, double measure)
{
	struct lay_para_style st = { measure, 0, (enum lay_punct)lo->ps->punct, 0,
	    lo->file, lo->fallback, lo->nfallback, lo->text, 0 };
	return st;
}

/* share_room()'s state: the columns settled, and the room and least width of the rest. */
struct share {
	int	*fixed;
	double	 room, least;
	size_t	 nfree;
};

/* Column c gets its text on one line, and leaves the share of the others. */
static void
give_whole(struct lay_table *t, struct share *s, const double *mins, const double *maxs, size_t c)
{
	s->fixed[c] = 1;
	t->width[c] = maxs[c];
	s->room -= maxs[c];
	s->least -= mins[c];
	s->nfree--;
}

/*
 * Widths for a table that fits only with some lines broken: a column whose
 * whole text needs no more than an even share of the room keeps it on one line
 * (dates, names); the others get their narrowest plus a share of what is left
 * in proportion to how much text they hold (mass: their cells' widths on one
 * line, added), so that a column of long text gets the room before one of
 * short entries with a long one among them, and no column more than its
 * text on one line needs.
 */
static void
share_room(struct lay_table *t, const double *mins, const double *maxs, const double *mass,
    double measure)
{
	struct share s = { mem_zalloc(t->ncols, sizeof(int)), measure, 0, t->ncols };
	double wish;
	size_t c;
	int changed = 1;

	while (changed && s.nfree > 0) {
		changed = 0;
		s.least = 0;
		for (c = 0; c < t->ncols; c++)
			if (!s.fixed[c])
				s.least += mins[c];
		for (c = 0; c < t->ncols; c++)
			if (!s.fixed[c] && maxs[c] <= s.room / (double)s.nfree &&
			    s.room - maxs[c] >= s.least - mins[c]) {
				give_whole(t, &s, mins, maxs, c);
				changed = 1;
			}
	}
	/* The rest by mass; a column its share would make wider than its text is given its text. */
	for (changed = 1; changed && s.nfree > 0;) {
		changed = 0;
		wish = 0;
		for (c = 0; c < t->ncols; c++)
			if (!s.fixed[c])
				wish += mass[c];
		for (c = 0; c < t->ncols; c++) {
			if (s.fixed[c])
				continue;
			t->width[c] = mins[c] + (wish > 0 ? (s.room - s.least) * mass[c] / wish :
			    (s.room - s.least) / (double)s.nfree);
			if (t->width[c] > maxs[c] + 1e-6) {
				give_whole(t, &s, mins, maxs, c);
				changed = 1;
				break;
			}
		}
	}
	free(s.fixed);
}

/*
 * About the lines a cell takes in a column w wide (padding pad each side):
 * nat its width on one line, word its widest Latin word (0: none).  A line
 * broken between words (Latin) loses about half a word at its end; Chinese,
 * which breaks between characters, next to nothing.
 */
static double
cell_lines(const double *cell, double w, double pad)
{
	double nat = cell[0], room = w - 2 * pad - cell[1] / 2, n;

	if (nat <= w - 2 * pad + 1e-6)
		return 1;
	if (room <= 1)
		room = 1;
	n = ceil(nat / room - 1e-9);
	return n < 1 ? 1 : n;
}

/* The table's height in lines with the columns w wide: each row as tall as its tallest cell. */
static double
table_lines(const struct lay_table *t, const double *nat, const double *w)
{
	double total = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		double most = 1;
		for (size_t c = 0; c < t->ncols; c++)
			most = fmax(most, cell_lines(&nat[2 * (r * t->ncols + c)], w[c], t->pad));
		total += most;
	}
	return total;
}

/*
 * Widths for a table that fits only with some lines broken, found by making
 * it as short as it can be: from every column at its narrowest (but four
 * characters, when it has that much), the room goes
 * step by step to the column whose widening saves the most lines per point,
 * each step just wide enough for one of its cells to take a line less.  A
 * column of long text thus gets the room before one of short entries with a
 * long one among them.  Room left when no step saves a line makes whole the
 * columns that need least for it, then goes to the others in proportion to
 * what they would like more.
 */
static void
fit_room(struct lay_table *t, const double *mins, const double *maxs, const double *nat,
    const double *floor, double measure)
{
	double *w = t->width, *trial = mem_alloc(t->ncols * sizeof(*trial));
	double *next = mem_alloc(t->ncols * sizeof(*next));
	double room = measure, height, wish = 0;
	size_t r, c;

	/*
	 * No column narrower than four characters that has more (a head of four
	 * stays whole), nor than its widest word and a point (the line breaker
	 * needs no less for the word to stay whole).
	 */
	for (c = 0; c < t->ncols; c++) {
		w[c] = fmin(maxs[c], fmax(fmax(mins[c] + 1, floor[c]), 4 * t->size + 2 * t->pad));
		room -= w[c];
	}
	if (room < 0) {
		room = measure;
		for (c = 0; c < t->ncols; c++) {
			w[c] = mins[c];
			room -= mins[c];
		}
	}
	height = table_lines(t, nat, w);
	while (room > 1e-6) {
		size_t best = SIZE_MAX;
		double best_rate = 0, best_to = 0, joint = 0, h;
		memcpy(next, w, t->ncols * sizeof(*w));
		for (c = 0; c < t->ncols; c++) {
			double to = maxs[c];
			if (w[c] >= maxs[c] - 1e-6)
				continue;
			/* The next width at which a cell of the column takes a line less. */
			for (r = 0; r < t->nrows; r++) {
				const double *cell = &nat[2 * (r * t->ncols + c)];
				double n = cell_lines(cell, w[c], t->pad);
				if (n > 1)
					to = fmin(to, (n > 2 ? cell[0] / (n - 1) + cell[1] / 2 : cell[0]) +
					    2 * t->pad + 1e-3);
			}
			next[c] = to;
			joint += to - w[c];
			if (to - w[c] > room)
				continue;
			memcpy(trial, w, t->ncols * sizeof(*w));
			trial[c] = to;
			h = table_lines(t, nat, trial);
			if (height - h > 1e-9 && (height - h) / (to - w[c]) > best_rate) {
				best = c;
				best_rate = (height - h) / (to - w[c]);
				best_to = to;
			}
		}
		if (best != SIZE_MAX) {
			room -= best_to - w[best];
			w[best] = best_to;
		} else if (joint <= room && table_lines(t, nat, next) < height - 1e-9) {
			/* Cells of two columns sharing a row may only save a line together. */
			memcpy(w, next, t->ncols * sizeof(*w));
			room -= joint;
		} else
			break;
		height = table_lines(t, nat, w);
	}
	/* What is left makes whole first the columns that need least for it (names, dates). */
	for (;;) {
		size_t least = SIZE_MAX;
		for (c = 0; c < t->ncols; c++)
			if (w[c] < maxs[c] - 1e-6 && maxs[c] - w[c] <= room &&
			    (least == SIZE_MAX || maxs[c] - w[c] < maxs[least] - w[least]))
				least = c;
		if (least == SIZE_MAX)
			break;
		room -= maxs[least] - w[least];
		w[least] = maxs[least];
	}
	for (c = 0; c < t->ncols; c++)
		wish += maxs[c] - w[c] > 0 ? maxs[c] - w[c] : 0;
	for (c = 0; c < t->ncols && room > 1e-6; c++)
		w[c] += wish > 0 ? room * (maxs[c] - w[c] > 0 ? maxs[c] - w[c] : 0) / wish :
		    room / (double)t->ncols;
	free(trial);
	free(next);
}

/* Whether the collected runs hold a Latin word (four letters or more). */
static int
latin_words(const struct layout *lo)
{
	for (size_t i = 0; i < lo->nruns; i++) {
		int letters = 0;
		for (size_t k = 0; k < lo->runs[i].len; k++) {
			char ch = lo->runs[i].text[k];
			letters = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ? letters + 1 : 0;
			if (letters >= 4)
				return 1;
		}
	}
	return 0;
}

/* How a table's columns met the measure (column_widths). */
enum table_fit {
	FIT_WHOLE,	/* every unbreakable run whole */
	FIT_BROKEN,	/* Latin words broken where they have no break */
	FIT_OVER	/* wider than the measure even so: it sticks out */
};

/*
 * Column widths as browsers and LaTeX's tabularx find them: every column its
 * natural width when the table fits, else each gets its narrowest plus a share
 * of the room left in proportion to what it would like more.  When the
 * narrowest widths (the widest unbreakable runs) do not fit either, the
 * columns share the room the same way above their least widths, the widest
 * character each holds, and words break anywhere; a table whose least widths
 * are wider than the measure gets them and sticks out, as a browser's table
 * or LaTeX's overfull box does: narrower, glyphs would be set over each other.
 * *need is what the table needs at least as it is set.
 */
static enum table_fit
column_widths(struct layout *lo, struct lay_table *t, double measure, double *need)
{
	double *mins = mem_zalloc(t->ncols, sizeof(*mins));
	double *leasts = mem_zalloc(t->ncols, sizeof(*leasts));
	double *maxs = mem_zalloc(t->ncols, sizeof(*maxs));
	double *mass = mem_zalloc(t->ncols, sizeof(*mass));
	double *nat = mem_zalloc(2 * t->nrows * t->ncols, sizeof(*nat));	/* width, word */
	struct lay_para_style st = cell_style(lo, measure);
	double summax = 0, summin = 0, sumleast = 0, mn, lst, mx;
	enum table_fit fit = FIT_WHOLE;
	size_t r, c;

	t->pad = t->size * 0.5;
	t->vpad = t->size * 0.3;
	t->pitch = t->size * 1.4;
	for (c = 0; c < t->ncols; c++) {
		for (r = 0; r < t->nrows; r++) {
			collect_cell(lo, t, r, c);
			if (lo->nruns == 0)
				continue;
			lay_para_measure(lo->runs, lo->nruns, &st, &mn, &lst, &mx);
			if (mn > mins[c])
				mins[c] = mn;
			if (lst > leasts[c])
				leasts[c] = lst;
			if (mx > maxs[c])
				maxs[c] = mx;
			mass[c] += mx;
			nat[2 * (r * t->ncols + c)] = mx;
			/* The widest word of a cell with Latin words; 0 for one without. */
			nat[2 * (r * t->ncols + c) + 1] = latin_words(lo) ? mn : 0;
			lo->nruns = 0;
		}
		mins[c] += 2 * t->pad;
		leasts[c] += 2 * t->pad;
		maxs[c] += 2 * t->pad;
		summin += mins[c];
		sumleast += leasts[c];
		summax += maxs[c];
	}
	*need = summin;
	if (summax <= measure && lo->ps->table_natural) {
		/* It fits and may stay narrower: each column its text on one line. */
		memcpy(t->width, maxs, t->ncols * sizeof(*maxs));
	} else if (summax <= measure) {	/* it fits: the room left goes to all alike */
		for (c = 0; c < t->ncols; c++)
			t->width[c] = maxs[c] + (measure - summax) * maxs[c] / summax;
	} else if (summin <= measure) {
		/*
		 * Columns of Latin words keep at least the width the
		 * shares give them: the lines' estimate is rough where lines break
		 * between words, and narrower they break words.
		 */
		double *floor = mem_zalloc(t->ncols, sizeof(*floor));
		share_room(t, mins, maxs, mass, measure);
		for (c = 0; c < t->ncols; c++)
			for (r = 0; r < t->nrows; r++)
				if (nat[2 * (r * t->ncols + c) + 1] > 0)
					floor[c] = t->width[c];
		fit_room(t, mins, maxs, nat, floor, measure);
		free(floor);
	}
	else if (sumleast <= measure) {
		share_room(t, leasts, mins, mass, measure);
		fit = FIT_BROKEN;
	} else {
		memcpy(t->width, leasts, t->ncols * sizeof(*leasts));
		*need = sumleast;
		fit = FIT_OVER;
	}
	free(mins);
	free(leasts);
	free(maxs);
	free(mass);
	free(nat);
	return fit;
}

/* Sets every cell of a row into lines, into t->set; returns the row's height. */
static double
set_row(struct layout *lo, struct lay_table *t, size_t row)
{
	struct lay_para *cells = &t->set[row * t->ncols];
	size_t c, most = 1;

	for (c = 0; c < t->ncols; c++) {
		struct lay_para_style st = cell_style(lo, t->width[c] - 2 * t->pad);
		collect_cell(lo, t, row, c);
		memset(&cells[c], 0, sizeof(cells[c]));
		if (lo->nruns > 0)
			lay_para_set(lo->runs, lo->nruns, &st, &cells[c]);
		lo->nruns = 0;
		if (cells[c].nlines > most)
			most = cells[c].nlines;
	}
	return (double)most * t->pitch + 2 * t->vpad;
}

/*
 * Shapes "表1　title", set above the table; "表1（续）" over its continuation, as
 * GB/T 1.1 has it.  *para is the caller's (no lines: no caption); returns the
 * height it takes.
 */
static double
shape_caption(struct layout *lo, const struct lay_table *t, int continued, struct lay_para *para)
{
	const struct doc_node *caption = t->node->first;
	const char *number = doc_attr_get(&t->node->attr, "number");
	struct lay_para_style st = cell_style(lo, t->measure);
	struct buf label = BUF_INIT;

	memset(para, 0, sizeof(*para));
	if (caption == NULL || caption->type != DOC_CAPTION)
		caption = NULL;
	if (number == NULL && caption == NULL)
		return 0;
	if (number)
		buf_printf(&label, "%s%s", number, continued ? "（续）" : caption ? "\u3000" : "");
	lo->nruns = 0;
	if (label.len > 0)
		lay_add_run(lo, buf_str(&label), label.len, t->head, t->size, t->node->line);
	if (caption && (!continued || number == NULL))
		lay_collect_runs(lo, caption, t->head, t->size, t->node->line);
	lay_para_set(lo->runs, lo->nruns, &st, para);
	lo->nruns = 0;
	buf_free(&label);
	return (double)para->nlines * t->pitch + t->size * 0.3;
}

/*
 * Warns that a table does not fit the measure even at its smallest type
 * (need wide at least as set).  Whether it sticks out off the page is told
 * from the first column's place: shaping does not know which column it lands in.
 */
static void
report_too_wide(struct layout *lo, const struct lay_table *t, enum table_fit fit, double need,
    double measure)
{
	if (fit == FIT_BROKEN)
		msg_at(MSG_WARNING, lo->file, t->node->line, t->node->col,
		    "the table is too wide: its %zu columns need %.0f pt with words whole "
		    "in %.1f pt type, the smallest the style allows (table-min-size), and "
		    "the measure is %.0f pt; words in its cells are broken anywhere",
		    t->ncols, need, t->size, measure);
	else
		msg_at(MSG_WARNING, lo->file, t->node->line, t->node->col,
		    "the table is too wide: its %zu columns need %.0f pt even with words "
		    "broken anywhere in %.1f pt type, the smallest the style allows "
		    "(table-min-size), and the measure is %.0f pt; it sticks out %.0f pt "
		    "to the right%s", t->ncols, need, t->size, measure, need - measure,
		    t->x0 + need > lo->ps->width ? ", off the page" : "");
}

/*
 * A table footnote, Div {.table-footnote mark=a}: its raised mark, a space,
 * then its paragraphs run together.
 */
static void
collect_footnote(struct layout *lo, const struct lay_table *t, const struct doc_node *div)
{
	const char *mark = doc_attr_get(&div->attr, "mark");
	struct look raised = t->body;
	const struct doc_node *p;

	raised.rise = t->size * 0.4;
	if (mark)
		lay_add_run(lo, mark, strlen(mark), raised, t->size * 0.6, div->line);
	lay_add_run(lo, " ", 1, t->body, t->size, div->line);
	for (p = div->first; p != NULL; p = p->next) {
		if (p != div->first)
			lay_add_run(lo, " ", 1, t->body, t->size, p->line);
		lay_collect_runs(lo, p, t->body, t->size, p->line);
	}
}

/* The table's notes set into lines, justified across the table: they are kept with its last row. */
static void
shape_notes(struct layout *lo, struct lay_table *t, const struct doc_node *notes)
{
	double width = 0;
	const struct doc_node *p;
	size_t i;

	for (i = 0; i < t->ncols; i++)
		width += t->width[i];
	for (p = notes->first; p != NULL; p = p->next)
		t->nnotes++;
	t->notes = mem_zalloc(t->nnotes ? t->nnotes : 1, sizeof(*t->notes));
	for (i = 0, p = notes->first; p != NULL; p = p->next, i++) {
		struct lay_para_style st = cell_style(lo, width - 2 * t->pad);
		st.justify = 1;
		lo->nruns = 0;
		if (p->type == DOC_DIV && doc_attr_has_class(&p->attr, "table-footnote"))
			collect_footnote(lo, t, p);
		else
			lay_collect_runs(lo, p, t->body, t->size, p->line);
		if (lo->nruns > 0)
			lay_para_set(lo->runs, lo->nruns, &st, &t->notes[i]);
		lo->nruns = 0;
		t->notes_h += (double)t->notes[i].nlines * t->pitch;
	}
	t->notes_h += 2 * t->vpad;
}

struct lay_table *
lay_table_shape(struct layout *lo, const struct doc_node *node, const struct doc_node *notes,
    double x0, double measure, struct look body)
{
	const struct lay_page_style *ps = lo->ps;
	const struct doc_node *row, *cell;
	struct lay_table *t;
	struct font *cjk, *latin;
	double size = ps->table_size > 0 ? ps->table_size : ps->size;
	double floor_size = ps->table_min_size > 0 ? ps->table_min_size : size * 0.75;
	double need, head_height = 0;
	enum table_fit how;
	size_t r, c, nrows = 0, ncols = 0, nhead = 0;

	cjk = lay_get_font(lo, ps->cjk_sans, ps->heading_bold, 0);
	latin = lay_get_font(lo, ps->latin_sans, ps->heading_bold, 0);
	if (cjk == NULL || latin == NULL)
		return NULL;
	for (row = node->first; row != NULL; row = row->next)
		if (row->type == DOC_ROW) {
			for (c = 0, cell = row->first; cell != NULL; cell = cell->next)
				c++;
			if (c > ncols)
				ncols = c;
			if (row->flags & DOC_HEADER && nhead == nrows)
				nhead++;
			nrows++;
		}
	if (nrows == 0 || ncols == 0)
		return NULL;
	t = mem_zalloc(1, sizeof(*t));
	t->node = node;
	t->aligns = node->aligns;
	t->body = body;
	t->head.cjk = cjk;
	t->head.latin = latin;
	t->nrows = nrows;
	t->ncols = ncols;
	t->nhead = nhead;
	t->cells = mem_zalloc(nrows * ncols, sizeof(*t->cells));
	for (r = 0, row = node->first; row != NULL; row = row->next)
		if (row->type == DOC_ROW) {
			for (c = 0, cell = row->first; cell != NULL; cell = cell->next)
				t->cells[r * ncols + c++] = cell;
			r++;
		}
	t->width = mem_zalloc(ncols, sizeof(*t->width));
	t->size = size;
	t->x0 = t->mx0 = x0;
	t->measure = measure;
	how = column_widths(lo, t, measure, &need);
	if (how != FIT_WHOLE && size > floor_size) {
		/* Too wide: smaller type first, down to the style's floor, then wrapping. */
		t->size = size * measure / need;
		if (t->size < floor_size)
			t->size = floor_size;
		how = column_widths(lo, t, measure, &need);
	}
	if (how != FIT_WHOLE)
		report_too_wide(lo, t, how, need, measure);
	if (ps->table_natural) {
		/* A table of its natural width is centred in the measure. */
		double width = 0;
		for (c = 0; c < ncols; c++)
			width += t->width[c];
		if (width < measure)
			t->x0 = x0 + (measure - width) / 2;
	}
	if (notes != NULL)
		shape_notes(lo, t, notes);
	t->set = mem_zalloc(nrows * ncols, sizeof(*t->set));
	t->heights = mem_zalloc(nrows, sizeof(*t->heights));
	for (r = 0; r < nrows; r++) {
		t->heights[r] = set_row(lo, t, r);
		/* The caption, the head and the first row stay together. */
		if (r <= nhead)
			head_height += t->heights[r];
	}
	/* A heading before the table goes with its caption, head and first row; the
	   caption's lines are counted as set (a long one had pushed them past the foot). */
	t->caption_h = shape_caption(lo, t, 0, &t->caption);
	t->keep_h = head_height + (t->caption_h > 2 * t->pitch ? t->caption_h : 2 * t->pitch);
	shape_caption(lo, t, 1, &t->continued);
	free(t->cells);
	t->cells = NULL;
	return t;
}

double
lay_table_keep_height(const struct lay_table *t)
{
	return t->keep_h + t->pitch;
}

double
lay_table_height(const struct lay_table *t)
{
	double h = t->size * 0.5 + t->caption_h + t->size * 0.8;

	for (size_t r = 0; r < t->nrows; r++)
		h += t->heights[r];
	if (t->notes != NULL)
		h += t->notes_h;
	return h;
}

/* The part of a table being placed on the current page (or column). */
struct part {
	double		 top;		/* its first rule */
	double		*rows;		/* the boundary below each row set so far */
	size_t		 nbound, cap;
	double		 span_top;	/* where a row spanning every column starts, or 0 */
};

static void
add_boundary(struct part *p, double y)
{
	p->rows = mem_grow(p->rows, &p->cap, p->nbound + 1, sizeof(*p->rows));
	p->rows[p->nbound++] = y;
}

/*
 * Places lines [from, from + count) of each cell of row whose part on this
 * page is `height` tall, centred in it unless the row is split.
 */
static void
place_row(struct layout *lo, const struct lay_table *t, struct part *p, size_t row,
    size_t from, size_t count, double height, int split)
{
	const struct lay_para *cells = &t->set[row * t->ncols];
	double top = lo->at.y, x = t->x0;
	size_t c, k;

	for (c = 0; c < t->ncols; x += t->width[c], c++) {
		size_t n = cells[c].nlines > from ? cells[c].nlines - from : 0;
		/* Heads align as their columns do. */
		char align = t->aligns && c < strlen(t->aligns) ? t->aligns[c] : 'l';
		if (n > count)
			n = count;
		lo->at.y = top + t->vpad;
		if (!split)
			lo->at.y += (height - 2 * t->vpad - (double)n * t->pitch) / 2;
		for (k = from; k < from + n; k++) {
			struct lay_line *line = &cells[c].lines[k];
			double room = t->width[c] - 2 * t->pad - line->width, dx = 0;
			if (align == 'c')
				dx = room / 2;
			else if (align == 'r')
				dx = room;
			lay_flow_line(lo, line, x + t->pad + (dx > 0 ? dx : 0), t->pitch, t->size);
		}
	}
	lo->at.y = top + height;
	add_boundary(p, lo->at.y);
}

/* Draws the rules of the table's part on this page and forgets its rows. */
static void
close_part(struct layout *lo, const struct lay_table *t, struct part *p)
{
	double width = 0, x = t->x0, bottom;
	size_t c, i;

	if (p->nbound == 0)
		return;
	for (c = 0; c < t->ncols; c++)
		width += t->width[c];
	bottom = p->rows[p->nbound - 1];
	if (lo->ps->table_rules == TABLE_GRID) {
		lay_add_rule(lo, x, p->top - THIN / 2, width, THIN);
		for (i = 0; i < p->nbound; i++)
			lay_add_rule(lo, x, p->rows[i] - THIN / 2, width, THIN);
		for (c = 0; c <= t->ncols; c++) {
			int inner = c > 0 && c < t->ncols && p->span_top > 0;
			lay_add_rule(lo, x - THIN / 2, p->top, THIN,
			    (inner ? p->span_top : bottom) - p->top);
			if (c < t->ncols)
				x += t->width[c];
		}
	} else {
		lay_add_rule(lo, x, p->top - THICK / 2, width, THICK);
		if (t->nhead > 0 && p->nbound > t->nhead)
			lay_add_rule(lo, x, p->rows[t->nhead - 1] - THIN / 2, width, THIN);
		lay_add_rule(lo, x, bottom - THICK / 2, width, THICK);
	}
	p->nbound = 0;
	p->span_top = 0;
}

/* Places a caption shape_caption() made, centred in the measure. */
static void
place_caption(struct layout *lo, const struct lay_table *t, const struct lay_para *para)
{
	if (para->nlines == 0 && para->lines == NULL)
		return;
	for (size_t i = 0; i < para->nlines; i++)
		lay_flow_line(lo, &para->lines[i], t->mx0 + (t->measure - para->lines[i].width) / 2,
		    t->pitch, t->size);
	lo->at.y += t->size * 0.3;
}

/* Starts the table's part on a new page: the caption continued, the head again. */
static void
continue_table(struct layout *lo, const struct lay_table *t, struct part *p)
{
	close_part(lo, t, p);
	lay_new_page(lo);
	place_caption(lo, t, &t->continued);
	p->top = lo->at.y;
	for (size_t r = 0; r < t->nhead; r++)
		place_row(lo, t, p, r, 0, (size_t)-1, t->heights[r], 0);
}

/*
 * The table's notes: inside the frame in a last row spanning the columns on a
 * grid (GB/T 1.1), under the bottom rule of a three-line table.
 */
static void
place_notes(struct layout *lo, const struct lay_table *t, struct part *p)
{
	int inside = lo->ps->table_rules == TABLE_GRID;
	size_t i, k;

	if (!inside)
		close_part(lo, t, p);
	if (lo->at.y + t->notes_h > lay_bottom(lo)) {
		if (inside)
			continue_table(lo, t, p);
		else
			lay_new_page(lo);
	}
	if (inside)
		p->span_top = lo->at.y;
	lo->at.y += t->vpad;
	for (i = 0; i < t->nnotes; i++)
		for (k = 0; k < t->notes[i].nlines; k++)
			lay_flow_line(lo, &t->notes[i].lines[k], t->x0 + (inside ? t->pad : 0),
			    t->pitch, t->size);
	lo->at.y += t->vpad;
	if (inside)
		add_boundary(p, lo->at.y);
}

/* The most lines a cell of row has. */
static size_t
row_lines(const struct lay_table *t, size_t row)
{
	size_t most = 0;

	for (size_t c = 0; c < t->ncols; c++)
		if (t->set[row * t->ncols + c].nlines > most)
			most = t->set[row * t->ncols + c].nlines;
	return most;
}

void
lay_table_place(struct layout *lo, const struct lay_table *t)
{
	const struct lay_page_style *ps = lo->ps;
	struct part p = { 0 };
	size_t r, before = lo->out->n;

	lay_place_settle(lo, lay_table_keep_height(t));
	/* The space above, and a break before, only below the column's (or page's) top. */
	if (!lay_at_top(lo))
		lo->at.y += t->size * 0.5;
	if (lo->at.y + t->keep_h > lay_bottom(lo) && !lay_at_top(lo))
		lay_new_page(lo);
	place_caption(lo, t, &t->caption);
	p.top = lo->at.y;
	for (r = 0; r < t->nrows; r++) {
		double height = t->heights[r];
		size_t from = 0, fit;
		/*
		 * The last row goes with the notes: when they do not fit below it, it
		 * starts the table's next part, where they follow it, rather than
		 * leaving the notes alone overleaf (if the rows above it stay).
		 */
		if (r + 1 == t->nrows && t->notes != NULL && p.nbound > t->nhead &&
		    lo->at.y + height <= lay_bottom(lo) && lo->at.y + height + t->notes_h > lay_bottom(lo) &&
		    height + t->notes_h <= (lay_bottom(lo) - (lo->at.ncols > 1 ? lo->at.col_top :
		    ps->top)) / 2)
			continue_table(lo, t, &p);
		else if (r >= t->nhead && lo->at.y + height > lay_bottom(lo) && p.nbound > t->nhead)
			continue_table(lo, t, &p);
		/* A row taller than what is left of a fresh page is split between lines. */
		while (lo->at.y + height > lay_bottom(lo) + 1e-6) {
			size_t most = row_lines(t, r);
			/* Lines that fit below; none when a repeated head already fills the page. */
			double room = (lay_bottom(lo) - lo->at.y - 2 * t->vpad) / t->pitch + 1e-6;
			fit = room >= 1 ? (size_t)floor(room) : 0;
			if (fit == 0 || from + fit >= most)
				break;
			place_row(lo, t, &p, r, from, fit, (double)fit * t->pitch + 2 * t->vpad, 1);
			from += fit;
			continue_table(lo, t, &p);
			height = (double)(most - from) * t->pitch + 2 * t->vpad;
		}
		place_row(lo, t, &p, r, from, (size_t)-1, height, from > 0);
	}
	if (t->notes != NULL)
		place_notes(lo, t, &p);
	close_part(lo, t, &p);
	lo->at.y += t->size * 0.8;
	if (t->node->attr.id)
		lay_add_anchor(lo, before, t->node->attr.id, 0, NULL, t->size);
	free(p.rows);
}

void
lay_table_free(struct lay_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		lay_para_free(&t->set[i]);
	for (i = 0; i < t->nnotes; i++)
		lay_para_free(&t->notes[i]);
	lay_para_free(&t->caption);
	lay_para_free(&t->continued);
	free(t->set);
	free(t->heights);
	free(t->notes);
	free(t->width);
	free(t->cells);
	free(t);
}
