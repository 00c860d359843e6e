/* Boxes on pages: the primitives the distributor places lines, rules and anchors with. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"

void
lay_new_page(struct layout *lo)
{
	if (lo->at.ncols > 1 && lo->at.col < lo->at.ncols - 1) {
		/* In columns the next column comes first. */
		if (lo->at.y > lo->at.col_deepest)
			lo->at.col_deepest = lo->at.y;
		lo->at.col++;
		lo->at.dx += lo->at.col_step;
		lo->at.y = lo->at.col_top;
		return;
	}
	lay_notes_flush(lo);
	lo->at.page++;
	lo->at.y = lo->ps->top;
	if (lo->at.page > lo->out->pages)
		lo->out->pages = lo->at.page;
	if (lo->at.ncols > 1) {
		lo->at.col = 0;
		lo->at.dx = 0;
		lo->at.col_top = lo->at.col_deepest = lo->at.y;
	}
	lay_notes_carry(lo);
}

/* Returns a new zeroed box on the current page. */
struct lay_box *
lay_new_box(struct layout *lo, enum lay_box_kind kind)
{
	struct lay_doc *out = lo->out;
	struct lay_box *b;

	out->boxes = mem_grow(out->boxes, &out->cap, out->n + 1, sizeof(*out->boxes));
	b = &out->boxes[out->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->page = lo->at.page;
	return b;
}

void
lay_add_rule(struct layout *lo, double x, double y, double w, double h)
{
	struct lay_box *b = lay_new_box(lo, BOX_RULE);

	b->x = x + lo->at.dx;
	b->y = y;
	b->w = w;
	b->h = h;
}

void
lay_box_glyphs(struct lay_box *b, size_t n)
{
	size_t room = n ? n : 1;

	free(b->xs);
	b->n = n;
	b->xs = mem_alloc(room * (sizeof(*b->xs) + sizeof(*b->gids) + sizeof(*b->cps)));
	b->gids = (uint32_t *)(b->xs + room);
	b->cps = b->gids + room;
}

void
lay_add_glyph_box(struct layout *lo, const struct lay_line *line, size_t from, size_t to,
    double x0, double baseline)
{
	struct lay_box *b = lay_new_box(lo, BOX_GLYPHS);
	size_t i;

	b->font = line->glyphs[from].font;
	b->size = line->glyphs[from].size;
	b->fake_bold = font_fake_bold(b->font);
	b->fake_italic = font_fake_italic(b->font);
	lay_box_glyphs(b, to - from);
	for (i = from; i < to; i++) {
		b->gids[i - from] = line->glyphs[i].gid;
		b->cps[i - from] = line->glyphs[i].cp;
		b->xs[i - from] = x0 + lo->at.dx + line->glyphs[i].x;
	}
	b->x = b->xs[0];
	b->y = baseline - line->glyphs[from].rise;
}

/* What a glyph carries for decoration `what` (a LAY_* bit, or 0 for its link): 0 when nothing. */
static uintptr_t
mark_of(const struct lay_glyph *g, unsigned what)
{
	return what ? g->deco & what : (uintptr_t)g->href;
}

/* Underlines, strikethrough and link areas over the runs of glyphs that carry them. */
static void
decorate_line(struct layout *lo, const struct lay_line *line, double x0, double baseline)
{
	static const unsigned marks[] = { LAY_UNDERLINE, LAY_STRIKE, 0 };
	const struct lay_glyph *first, *last;
	struct lay_box *b;
	size_t i, from, k;
	uintptr_t mark;

	for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
		for (i = 0; i < line->n;) {
			if ((mark = mark_of(&line->glyphs[i], marks[k])) == 0) {
				i++;
				continue;
			}
			for (from = i; i < line->n && mark_of(&line->glyphs[i], marks[k]) == mark; i++)
				;
			first = &line->glyphs[from];
			last = &line->glyphs[i - 1];
			if (marks[k] == 0) {
				b = lay_new_box(lo, BOX_LINK);
				b->x = x0 + lo->at.dx + first->x;
				b->y = baseline - first->size * 0.88;
				b->w = last->x + last->advance - first->x;
				b->h = first->size;
				b->href = first->href;
			} else
				lay_add_rule(lo, x0 + first->x, baseline + (marks[k] == LAY_UNDERLINE ?
				    first->size * 0.16 : -first->size * 0.33),
				    last->x + last->advance - first->x, first->size * 0.05);
		}
}

double
lay_baseline(const struct layout *lo, double size, double pitch)
{
	/* The em box centred in the line's pitch; 0.88 em of it above the baseline. */
	return lo->at.y + size * 0.88 + (pitch - size) / 2;
}

/* Places one line: glyphs of the same font and size become one box. */
double
lay_place_line(struct layout *lo, const struct lay_line *line, double x0, double pitch,
    double size)
{
	double baseline = lay_baseline(lo, size, pitch);
	size_t i, from = 0;

	for (i = 1; i <= line->n; i++)
		if (i == line->n || line->glyphs[i].font != line->glyphs[from].font ||
		    line->glyphs[i].size != line->glyphs[from].size ||
		    line->glyphs[i].rise != line->glyphs[from].rise) {
			if (i > from)
				lay_add_glyph_box(lo, line, from, i, x0, baseline);
			from = i;
		}
	if (line->n > 0)
		decorate_line(lo, line, x0, baseline);
	lo->at.y += pitch;
	return baseline;
}

double
lay_bottom(const struct layout *lo)
{
	double b = lo->ps->height - lo->ps->bottom - lo->at.note_height;

	if (lo->at.ncols > 1 && lo->at.page == lo->at.balance_page && lo->at.balance_y < b)
		return lo->at.balance_y;
	return b;
}

/* A place links and the outline can lead to, where the box at index `at` starts. */
void
lay_add_anchor(struct layout *lo, size_t at, const char *id, int level, const char *title,
    double above)
{
	struct lay_box *b;
	int page = lo->at.page;

	if (at >= lo->out->n)
		return;
	lo->at.page = lo->out->boxes[at].page;
	b = lay_new_box(lo, BOX_ANCHOR);
	lo->at.page = page;
	b->y = lo->out->boxes[at].y - above;
	if (b->y < 0)
		b->y = 0;
	b->id = id;
	b->level = level;
	b->title = title ? mem_strdup(title) : NULL;
}

