/* Footnotes: set at the foot of the page where they are referred to, split onto the next pages when long. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"
#include "utf8.h"

#define CIRCLED_ONE	0x2460	/* ① … ⑳: marks of notes numbered per page */

struct lay_note {
	const struct doc_node	*node;		/* the DOC_FOOTNOTE */
	const char		*href;		/* "#fn-3": its marks' link, and how they name it;
					   the layout's output owns it */
	char			 mark[16];	/* the number shown: "3", or "①" numbered per page */
	struct lay_line		*lines;		/* set when its mark is first placed */
	size_t			 nlines;
	size_t			 placed;	/* lines set at a page's foot so far */
	int			 begun;		/* its mark has been placed */
};

/* A note under a key it is looked up by: its number, or its href string's address. */
struct lay_note_key {
	uintptr_t	 key;
	struct lay_note	*note;
};

/* A run of one note's lines waiting for the foot of the current page. */
struct lay_note_part {
	struct lay_note	*note;
	size_t		 from, count;
};

static double
note_size(const struct layout *lo)
{
	return lo->ps->footnote_size > 0 ? lo->ps->footnote_size : lo->ps->size * 0.85;
}

static double
note_pitch(const struct layout *lo)
{
	return note_size(lo) * 1.45;
}

/* The space between the text and the notes, which holds the short rule. */
static double
separator(const struct layout *lo)
{
	return lo->ps->size * lo->ps->leading;
}

static int
compare_keys(const void *a, const void *b)
{
	uintptr_t x = ((const struct lay_note_key *)a)->key;
	uintptr_t y = ((const struct lay_note_key *)b)->key;

	return x < y ? -1 : x > y;
}

/* The note filed under key in keys (sorted), or NULL. */
static struct lay_note *
find_note(const struct lay_note_key *keys, size_t n, uintptr_t key)
{
	struct lay_note_key want = { key, NULL };
	const struct lay_note_key *found = n > 0 ?
	    bsearch(&want, keys, n, sizeof(*keys), compare_keys) : NULL;

	return found ? found->note : NULL;
}

void
lay_notes_init(struct layout *lo)
{
	const struct doc_node *n;
	size_t i = 0;

	for (n = lo->doc->root->first; n != NULL; n = n->next)
		if (n->type == DOC_FOOTNOTE)
			lo->nnotes++;
	lo->notes = mem_zalloc(lo->nnotes ? lo->nnotes : 1, sizeof(*lo->notes));
	for (n = lo->doc->root->first; n != NULL; n = n->next)
		if (n->type == DOC_FOOTNOTE) {
			struct lay_note *note = &lo->notes[i++];
			note->node = n;
			struct lay_doc *out = lo->out;
			char *href = mem_alloc(strlen(n->attr.id ? n->attr.id : "") + 2);
			href[0] = '#';
			strcpy(href + 1, n->attr.id ? n->attr.id : "");
			out->strings = mem_realloc(out->strings, (out->nstrings + 1) *
			    sizeof(*out->strings));
			out->strings[out->nstrings++] = href;
			note->href = href;
			if (lo->ps->footnote_per_page)
				note->mark[utf8_encode(CIRCLED_ONE, note->mark)] = '\0';
			else
				snprintf(note->mark, sizeof(note->mark), "%d", n->num);
		}
	/* Every mark set looks its note up: by a key, not by reading all the notes each time. */
	lo->notes_by_num = mem_zalloc(lo->nnotes ? lo->nnotes : 1, sizeof(*lo->notes_by_num));
	lo->notes_by_href = mem_zalloc(lo->nnotes ? lo->nnotes : 1, sizeof(*lo->notes_by_href));
	for (i = 0; i < lo->nnotes; i++) {
		lo->notes_by_num[i] = (struct lay_note_key){
		    (uintptr_t)(lo->notes[i].node->num > 0 ? lo->notes[i].node->num : 0),
		    &lo->notes[i] };
		lo->notes_by_href[i] = (struct lay_note_key){ (uintptr_t)lo->notes[i].href,
		    &lo->notes[i] };
	}
	qsort(lo->notes_by_num, lo->nnotes, sizeof(*lo->notes_by_num), compare_keys);
	qsort(lo->notes_by_href, lo->nnotes, sizeof(*lo->notes_by_href), compare_keys);
}

void
lay_notes_free(struct layout *lo)
{
	size_t i, k;

	for (i = 0; i < lo->nnotes; i++) {
		for (k = 0; k < lo->notes[i].nlines; k++)
			free(lo->notes[i].lines[k].glyphs);
		free(lo->notes[i].lines);
	}
	free(lo->notes);
	free(lo->notes_by_num);
	free(lo->notes_by_href);
	free(lo->note_queue);
	free(lo->note_carry);
	free(lo->note_boxes);
}

/* The note a mark's href names: marks carry the note's own href string. */
static struct lay_note *
note_of(const struct layout *lo, const char *href)
{
	return find_note(lo->notes_by_href, lo->nnotes, (uintptr_t)href);
}

void
lay_note_mark(struct layout *lo, const struct doc_node *ref, struct look f, double size)
{
	struct lay_note *note = ref->num > 0 ?
	    find_note(lo->notes_by_num, lo->nnotes, (uintptr_t)ref->num) : NULL;
	int circled = lo->ps->footnote_per_page;

	if (note == NULL)
		return;
	lo->runs = mem_grow(lo->runs, &lo->cap, lo->nruns + 1, sizeof(*lo->runs));
	lo->runs[lo->nruns++] = (struct lay_run){ note->mark, strlen(note->mark),
	    f.cjk, f.latin, size * (circled ? 0.7 : 0.6), ref->line,
	    f.deco | LAY_NOTEREF, note->href, size * 0.4 };
}

/* Sets a note's text at the notes' size across the type area, its mark first. */
static void
set_note(struct layout *lo, struct lay_note *note)
{
	const struct lay_page_style *ps = lo->ps;
	struct lay_para_style st = { ps->width - ps->left - ps->right, 0,
	    (enum lay_punct)ps->punct, 1, lo->file, lo->fallback, lo->nfallback, lo->text, 0 };
	struct look body = { lo->body.cjk, lo->body.latin, 0, NULL, 0 };
	const struct doc_node *p;
	double size = note_size(lo);
	struct lay_para para;
	int first = 1;
	size_t k;

	for (p = note->node->first; p != NULL; p = p->next) {
		lo->nruns = 0;
		if (first) {
			int circled = ps->footnote_per_page;
			lay_add_run(lo, note->mark, strlen(note->mark), body,
			    circled ? size : size * 0.7, note->node->line);
			if (!circled)
				lo->runs[lo->nruns - 1].rise = size * 0.35;
			lay_add_run(lo, "\u2005", 3, body, size, note->node->line);
			first = 0;
		}
		/* A note's blocks are paragraphs, as cmark-gfm makes them; lists are read as text. */
		lay_collect_runs(lo, p, body, size, p->line);
		if (lo->nruns == 0)
			continue;
		lay_para_set(lo->runs, lo->nruns, &st, &para);
		lo->nruns = 0;
		note->lines = mem_realloc(note->lines, (note->nlines + para.nlines + 1) *
		    sizeof(*note->lines));
		for (k = 0; k < para.nlines; k++)
			note->lines[note->nlines++] = para.lines[k];
		free(para.lines);
	}
}

static void
queue(struct lay_note_part **list, size_t *n, size_t *cap, struct lay_note *note,
    size_t from, size_t count)
{
	*list = mem_grow(*list, cap, *n + 1, sizeof(**list));
	(*list)[(*n)++] = (struct lay_note_part){ note, from, count };
}

/* Takes as many of the note's lines from `from` as the page has room for below y. */
static void
take_lines(struct layout *lo, struct lay_note *note, size_t from, double y)
{
	double pitch = note_pitch(lo), sep = lo->at.note_height > 0 ? 0 : separator(lo);
	double room = lo->ps->height - lo->ps->bottom - lo->at.note_height - sep - y;
	size_t fit = room > 0 ? (size_t)floor(room / pitch + 1e-6) : 0, left = note->nlines - from;

	if (lo->ncarry > 0)
		fit = 0;	/* an earlier note goes on overleaf: this one follows it there */

	/* A note too long for the room leaves half of it to the text and goes on overleaf. */
	if (fit < left && fit > 4)
		fit /= 2;
	if (fit > left)
		fit = left;
	if (fit > 0) {
		queue(&lo->note_queue, &lo->nqueue, &lo->qcap, note, from, fit);
		lo->at.note_height += sep + (double)fit * pitch;
	}
	if (fit < left)
		queue(&lo->note_carry, &lo->ncarry, &lo->ccap, note, from + fit, left - fit);
}

/*
 * Adds to *list the notes not yet begun that line refers to and that are not
 * on it already (a note referred to twice is set once).
 */
static void
add_refs(const struct layout *lo, const struct lay_line *line, struct lay_note ***list,
    size_t *n, size_t *cap)
{
	struct lay_note *note;
	size_t i, k;

	for (i = 0; i < line->n; i++) {
		if (!(line->glyphs[i].deco & LAY_NOTEREF) ||
		    (note = note_of(lo, line->glyphs[i].href)) == NULL || note->begun)
			continue;
		for (k = 0; k < *n && (*list)[k] != note; k++)
			;
		if (k < *n)
			continue;
		*list = mem_grow(*list, cap, *n + 1, sizeof(**list));
		(*list)[(*n)++] = note;
	}
}

double
lay_notes_need(struct layout *lo, const struct lay_line *line, int page_has_notes)
{
	double need = 0, pitch = note_pitch(lo);
	struct lay_note **list = NULL;
	size_t n = 0, cap = 0, i, k;

	/* The notes the line refers to, and the notes their text refers to, and so on:
	   all begin with the line (begin_notes), so all need their room with it. */
	add_refs(lo, line, &list, &n, &cap);
	for (i = 0; i < n; i++) {
		struct lay_note *note = list[i];
		if (note->lines == NULL)
			set_note(lo, note);
		for (k = 0; k < note->nlines; k++)
			add_refs(lo, &note->lines[k], &list, &n, &cap);
		if (!page_has_notes && lo->at.note_height == 0 && need == 0)
			need += separator(lo);
		/* Two lines of a long note are enough here: the rest may go over. */
		need += (double)(note->nlines < 2 ? note->nlines : 2) * pitch;
	}
	free(list);
	return need;
}

/* Begins the note whose mark g is being set: numbers it for the page, and takes its lines below y. */
static void
begin_note(struct layout *lo, struct lay_glyph *g, struct lay_note *note, double y)
{
	note->begun = 1;
	lo->at.page_notes++;
	lo->at.notes_begun++;
	if (lo->ps->footnote_per_page) {
		/* Circled numbers are all one width: the mark becomes this page's. */
		uint32_t cp = CIRCLED_ONE + (uint32_t)(lo->at.page_notes > 20 ? 19 :
		    lo->at.page_notes - 1);
		uint32_t gid = font_glyph(g->font, cp);
		if (gid != 0) {
			g->cp = cp;
			g->gid = gid;
		}
		note->mark[utf8_encode((int32_t)cp, note->mark)] = '\0';
		if (note->lines)
			for (size_t k = 0; k < note->lines[0].n; k++)
				if (note->lines[0].glyphs[k].cp >= CIRCLED_ONE &&
				    note->lines[0].glyphs[k].cp < CIRCLED_ONE + 20) {
					struct lay_glyph *m = &note->lines[0].glyphs[k];
					uint32_t mg = font_glyph(m->font, cp);
					if (mg != 0) {
						m->cp = cp;
						m->gid = mg;
					}
					break;
				}
	}
	if (note->lines == NULL)
		set_note(lo, note);
	take_lines(lo, note, 0, y);
}

/*
 * The next mark from note's line *line, glyph *glyph on that refers to a note
 * not yet begun, with that note; NULL after its last line.
 */
static struct lay_note *
next_unbegun(const struct layout *lo, struct lay_note *note, size_t *line, size_t *glyph,
    struct lay_glyph **mark)
{
	struct lay_note *inner;

	for (; *line < note->nlines; (*line)++, *glyph = 0)
		for (; *glyph < note->lines[*line].n; (*glyph)++) {
			*mark = &note->lines[*line].glyphs[*glyph];
			if (((*mark)->deco & LAY_NOTEREF) &&
			    (inner = note_of(lo, (*mark)->href)) != NULL && !inner->begun)
				return inner;
		}
	return NULL;
}

/*
 * Begins the note whose mark g is being set, and after it each note its
 * text refers to, depth first: the order cmark-gfm and the filters number
 * them in, which lay_notes_restore relies on.  A referred-to note follows
 * its referrer at this page's foot, or overleaf when the page is full.  The
 * notes are walked with a stack of their own: a long chain of notes
 * referring to each other does not exhaust C's.
 */
static void
begin_notes(struct layout *lo, struct lay_glyph *g, struct lay_note *note, double y)
{
	struct walk { struct lay_note *note; size_t line, glyph; } *stack;
	size_t depth = 0, cap = 0;
	struct lay_note *inner;

	begin_note(lo, g, note, y);
	stack = mem_grow(NULL, &cap, 1, sizeof(*stack));
	stack[depth++] = (struct walk){ note, 0, 0 };
	while (depth > 0) {
		struct walk *top = &stack[depth - 1];
		if ((inner = next_unbegun(lo, top->note, &top->line, &top->glyph, &g)) == NULL) {
			depth--;
			continue;
		}
		begin_note(lo, g, inner, y);
		stack = mem_grow(stack, &cap, depth + 1, sizeof(*stack));
		stack[depth++] = (struct walk){ inner, 0, 0 };
	}
	free(stack);
}

void
lay_notes_place(struct layout *lo, struct lay_line *line, double line_bottom)
{
	size_t i;

	for (i = 0; i < line->n; i++) {
		struct lay_glyph *g = &line->glyphs[i];
		struct lay_note *note;
		if ((g->deco & LAY_NOTEREF) && (note = note_of(lo, g->href)) != NULL &&
		    !note->begun)
			begin_notes(lo, g, note, line_bottom);
	}
}

/* Sets the notes queued for the current page at its foot, under a short rule. */
void
lay_notes_flush(struct layout *lo)
{
	const struct lay_page_style *ps = lo->ps;
	double pitch = note_pitch(lo), size = note_size(lo);
	double y = ps->height - ps->bottom - lo->at.note_height, dx = lo->at.dx;
	size_t i, k, from = lo->out->n;

	lo->at.dx = 0;	/* notes run across the page, whatever column the text is in */
	if (lo->nqueue > 0) {
		lay_add_rule(lo, ps->left, y + separator(lo) / 2,
		    (ps->width - ps->left - ps->right) / 4, 0.5);
		y += separator(lo);
	}
	for (i = 0; i < lo->nqueue; i++) {
		struct lay_note_part *part = &lo->note_queue[i];
		if (part->from == 0 && part->note->node->attr.id) {
			struct lay_box *b = lay_new_box(lo, BOX_ANCHOR);
			b->y = y;
			b->id = part->note->node->attr.id;
		}
		for (k = part->from; k < part->from + part->count; k++) {
			double saved = lo->at.y;
			lo->at.y = y;
			lay_place_line(lo, &part->note->lines[k], ps->left, pitch, size);
			lo->at.y = saved;
			y += pitch;
		}
	}
	lo->at.dx = dx;
	if (lo->out->n > from) {
		lo->note_boxes = mem_grow(lo->note_boxes, &lo->nbcap, lo->at.nnote_boxes + 1,
		    sizeof(*lo->note_boxes));
		lo->note_boxes[lo->at.nnote_boxes++] = (struct lay_range){ from, lo->out->n };
	}
	lo->nqueue = 0;
	lo->at.note_height = 0;
	lo->at.page_notes = 0;
}

/* A new page: the lines of notes the last page had no room for come first at its foot. */
void
lay_notes_carry(struct layout *lo)
{
	struct lay_note_part *carry = lo->note_carry;
	size_t n = lo->ncarry, i;

	lo->note_carry = NULL;
	lo->ncarry = lo->ccap = 0;
	for (i = 0; i < n; i++) {
		/* At most half the page for what is carried over while text needs some. */
		double from = lo->at.text_done ? lo->ps->top :
		    lo->ps->top + (lay_bottom(lo) - lo->ps->top) / 2;
		take_lines(lo, carry[i].note, carry[i].from, from);
	}
	free(carry);
}

void
lay_notes_save(const struct layout *lo, struct lay_mark *m)
{
	m->nqueue = lo->nqueue;
	m->ncarry = lo->ncarry;
	m->queue = mem_alloc((lo->nqueue + 1) * sizeof(*m->queue));
	m->carry = mem_alloc((lo->ncarry + 1) * sizeof(*m->carry));
	if (lo->nqueue > 0)
		memcpy(m->queue, lo->note_queue, lo->nqueue * sizeof(*m->queue));
	if (lo->ncarry > 0)
		memcpy(m->carry, lo->note_carry, lo->ncarry * sizeof(*m->carry));
}

void
lay_notes_restore(struct layout *lo, const struct lay_mark *m)
{
	/* Notes begin in the order of their numbers, so those begun since are the last ones. */
	for (int i = m->at.notes_begun; i < lo->at.notes_begun && (size_t)i < lo->nnotes; i++)
		lo->notes[i].begun = 0;
	lo->nqueue = lo->ncarry = 0;
	for (size_t i = 0; i < m->nqueue; i++)
		queue(&lo->note_queue, &lo->nqueue, &lo->qcap, m->queue[i].note, m->queue[i].from,
		    m->queue[i].count);
	for (size_t i = 0; i < m->ncarry; i++)
		queue(&lo->note_carry, &lo->ncarry, &lo->ccap, m->carry[i].note, m->carry[i].from,
		    m->carry[i].count);
}
