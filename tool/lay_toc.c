/* Contents and index entries with dot leaders, and the page numbers of ids they show. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"
#include "msg.h"

/* Shown for a page number before the pass that knows it: as wide as most. */
#define PAGE_PLACEHOLDER	"00"

struct lay_ref {
	const char	*id;	/* borrowed from the document */
	char		*label;	/* owned */
	size_t		 seq;	/* the anchor's place among the boxes */
};

struct lay_ref_use {
	const struct doc_node	*span;	/* the Span {.page-ref} */
	const char		*label;	/* what it showed: borrowed from the refs, or NULL */
	/* An entry's number, which lay_refs_patch() can replace in place. */
	int			 entry;
	struct look		 look;
	double			 size;
	double			 right;		/* where the number ends */
	double			 room;		/* how wide it may be */
	size_t			 number_box;	/* its glyphs */
	size_t			 leader_box;	/* the dots before it, or SIZE_MAX */
};

static int
ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lay_ref *)a)->id, ((const struct lay_ref *)b)->id);
}

/* By id, then in document order. */
static int
ref_cmp_seq(const void *a, const void *b)
{
	const struct lay_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c != 0 ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const struct lay_ref *
ref_find(const struct lay_refs *refs, const char *id)
{
	struct lay_ref key = { id, NULL, 0 };

	if (refs == NULL || refs->n == 0)
		return NULL;
	return bsearch(&key, refs->v, refs->n, sizeof(*refs->v), ref_cmp);
}

void
lay_refs_collect(const struct lay_doc *ld, struct lay_refs *refs)
{
	struct buf label = BUF_INIT;
	size_t i, n = 0;

	memset(refs, 0, sizeof(*refs));
	for (i = 0; i < ld->n; i++)
		if (ld->boxes[i].kind == BOX_ANCHOR && ld->boxes[i].id != NULL)
			n++;
	refs->v = mem_alloc((n ? n : 1) * sizeof(*refs->v));
	for (i = 0; i < ld->n; i++) {
		const struct lay_box *b = &ld->boxes[i];
		if (b->kind != BOX_ANCHOR || b->id == NULL)
			continue;
		buf_reset(&label);
		lay_page_label(ld, b->page, &label);
		refs->v[refs->n++] = (struct lay_ref){ b->id, mem_strdup(buf_str(&label)), i };
	}
	buf_free(&label);
	/* An id's first anchor is where it is. */
	qsort(refs->v, refs->n, sizeof(*refs->v), ref_cmp_seq);
	for (i = n = 0; i < refs->n; i++) {
		if (n > 0 && strcmp(refs->v[n - 1].id, refs->v[i].id) == 0)
			free(refs->v[i].label);
		else
			refs->v[n++] = refs->v[i];
	}
	refs->n = n;
}

void
lay_refs_free(struct lay_refs *refs)
{
	for (size_t i = 0; i < refs->n; i++)
		free(refs->v[i].label);
	free(refs->v);
	memset(refs, 0, sizeof(*refs));
}

void
lay_uses_free(struct layout *lo)
{
	free(lo->uses);
	lo->uses = NULL;
	lo->nuses = lo->ucap = 0;
}

const char *
lay_page_ref(struct layout *lo, const struct doc_node *span)
{
	const char *target = doc_attr_get(&span->attr, "target");
	const struct lay_ref *r = target ? ref_find(lo->refs, target) : NULL;

	lo->uses = mem_grow(lo->uses, &lo->ucap, lo->nuses + 1, sizeof(*lo->uses));
	memset(&lo->uses[lo->nuses], 0, sizeof(lo->uses[0]));
	lo->uses[lo->nuses].span = span;
	lo->uses[lo->nuses++].label = r ? r->label : NULL;
	return r ? r->label : lo->refs ? "?" : PAGE_PLACEHOLDER;
}

int
lay_refs_settled(const struct layout *lo, const struct lay_refs *next)
{
	for (size_t i = 0; i < lo->nuses; i++) {
		const char *target = doc_attr_get(&lo->uses[i].span->attr, "target");
		const struct lay_ref *r = target ? ref_find(next, target) : NULL;
		const char *now = r ? r->label : NULL, *then = lo->uses[i].label;
		if (lo->refs == NULL || (now == NULL) != (then == NULL) ||
		    (now && strcmp(now, then) != 0))
			return 0;
	}
	return 1;
}

void
lay_refs_report(const struct layout *lo)
{
	for (size_t i = 0; i < lo->nuses; i++) {
		const struct doc_node *span = lo->uses[i].span;
		const char *target = doc_attr_get(&span->attr, "target");
		size_t j;
		if (lo->uses[i].label != NULL)
			continue;
		/* One message per target, however often balancing set it. */
		for (j = 0; j < i; j++)
			if (lo->uses[j].label == NULL && doc_attr_get(&lo->uses[j].span->attr,
			    "target") && target && strcmp(doc_attr_get(&lo->uses[j].span->attr,
			    "target"), target) == 0)
				break;
		if (j < i)
			continue;
		if (target == NULL || *target == '\0')
			msg_at(MSG_WARNING, doc_node_file(lo->doc, span), span->line, span->col,
			    "a page reference needs a target=ID");
		else
			msg_at(MSG_WARNING, doc_node_file(lo->doc, span), span->line, span->col,
			    "page reference to '%s', which has no place on the page (shown as ?)",
			    target);
	}
}

/*
 * The paragraph of an entry (a Div {.toc-entry}'s, or a Para {.index-entry})
 * and the inline whose children are its text: the paragraph's link in a
 * contents entry, the paragraph itself in an index entry.
 */
static const struct doc_node *
entry_text(const struct doc_node *entry, const struct doc_node **page_ref)
{
	const struct doc_node *para = entry->type == DOC_PARA ? entry : entry->first, *c;
	const struct doc_node *link = NULL;

	*page_ref = NULL;
	if (para == NULL || para->type != DOC_PARA)
		return NULL;
	for (c = para->first; c != NULL; c = c->next)
		if (c->type == DOC_SPAN && doc_attr_has_class(&c->attr, "page-ref"))
			*page_ref = c;
		else if (c->type == DOC_LINK && link == NULL)
			link = c;
	return entry->type == DOC_DIV && link ? link : para;
}

/* Sets runs collected as one line and returns it in *para; its width is the text's. */
static double
set_one_line(struct layout *lo, struct lay_para *para)
{
	struct lay_para_style st = { 1e6, 0, (enum lay_punct)lo->ps->punct, 0, lo->file,
	    lo->fallback, lo->nfallback, lo->text, 0 };

	lay_para_set(lo->runs, lo->nruns, &st, para);
	lo->nruns = 0;
	return para->nlines > 0 ? para->lines[0].width : 0;
}

/* How many dots, from first and step apart, end before x_end. */
static size_t
dots_before(double first, double step, double x_end)
{
	return first + step <= x_end + 1e-9 ? (size_t)((x_end + 1e-9 - step - first) / step) + 1 : 0;
}

/*
 * Dots from x to x_end on the baseline, at a pitch every entry shares so they
 * line up.  Returns the index of their box, or SIZE_MAX when none fit.
 */
static size_t
add_leader(struct layout *lo, const struct lay_para *dot, double size, double x0, double x,
    double x_end, double baseline, const char *href)
{
	size_t at = SIZE_MAX;
	double step = size * 0.5;
	struct lay_line line;
	size_t n, k;
	double first;

	if (dot->nlines == 0 || dot->lines[0].n == 0)
		return at;
	first = x0 + step * (double)(long)((x - x0) / step + 1);
	n = dots_before(first, step, x_end);
	if (n > 0) {
		line.glyphs = mem_alloc(n * sizeof(*line.glyphs));
		for (k = 0; k < n; k++) {
			line.glyphs[k] = dot->lines[0].glyphs[0];
			line.glyphs[k].x = first - x0 + (double)k * step;
			line.glyphs[k].href = href;
		}
		line.n = n;
		at = lo->out->n;
		lay_add_glyph_box(lo, &line, 0, n, x0, baseline);
		free(line.glyphs);
	}
	return at;
}

/* Replaces the glyphs of box b (keeping its place's baseline) by line's, from x. */
static void
replace_glyphs(struct lay_box *b, const struct lay_line *line, double x)
{
	size_t i;

	lay_box_glyphs(b, line->n);
	for (i = 0; i < line->n; i++) {
		b->gids[i] = line->glyphs[i].gid;
		b->cps[i] = line->glyphs[i].cp;
		b->xs[i] = x + line->glyphs[i].x;
	}
	b->x = b->n ? b->xs[0] : x;
}

int
lay_refs_patch(struct layout *lo)
{
	struct lay_refs refs;
	size_t i, k;
	int whole = 1;

	for (i = 0; i < lo->nuses; i++)
		if (!lo->uses[i].entry)
			return 0;
	lay_refs_collect(lo->out, &refs);
	for (i = 0; i < lo->nuses && whole; i++) {
		struct lay_ref_use *u = &lo->uses[i];
		const char *target = doc_attr_get(&u->span->attr, "target");
		const struct lay_ref *r = target ? ref_find(&refs, target) : NULL;
		const char *label = r ? r->label : "?";
		struct lay_box *num = &lo->out->boxes[u->number_box];
		struct lay_para para;
		double w, x;

		lay_add_run(lo, label, strlen(label), u->look, u->size, u->span->line);
		w = set_one_line(lo, &para);
		if (w > u->room + 1e-6 || para.nlines != 1 || para.lines[0].n == 0 ||
		    para.lines[0].glyphs[0].font != num->font) {
			whole = 0;	/* wider than its place, or in another font: set again */
			lay_para_free(&para);
			break;
		}
		x = u->right - w;
		replace_glyphs(num, &para.lines[0], x);
		if (u->leader_box != SIZE_MAX) {
			/* The dots run up to the number's new place, on the same grid. */
			struct lay_box *dots = &lo->out->boxes[u->leader_box];
			double step = u->size * 0.5, first = dots->xs[0];
			uint32_t gid = dots->gids[0], cp = dots->cps[0];
			size_t n = dots_before(first, step, x - u->size * 0.25);
			if (n == 0)
				n = 1;
			lay_box_glyphs(dots, n);
			for (k = 0; k < n; k++) {
				dots->gids[k] = gid;
				dots->cps[k] = cp;
				dots->xs[k] = first + (double)k * step;
			}
			dots->n = n;
		}
		u->label = r ? r->label : NULL;
		lay_para_free(&para);
	}
	if (whole)
		for (i = 0; i < lo->nuses; i++) {
			/* The labels now point into refs, which goes: keep whether one was found. */
			lo->uses[i].label = lo->uses[i].label ? "" : NULL;
		}
	lay_refs_free(&refs);
	return whole;
}

/*
 * A contents or index entry set into lines (lay_set_toc_entry()): its marker
 * and number, its title, its page number and the leader's dot, each shaped
 * once; lay_place_entry() places them wherever the entry lands.
 */
struct lay_entry {
	struct lay_para	 label, number, lines, dot;	/* owned */
	struct look	 look;		/* the number's; href: the entry's link, or NULL */
	double		 x0, measure, indent, label_w, number_w, reserve, title_x;
	double		 size, pitch;
	size_t		 use;		/* its page reference among the layout's uses, or SIZE_MAX */
};

void
lay_set_toc_entry(struct layout *lo, const struct doc_node *div, const struct lay_region *r)
{
	const struct lay_page_style *ps = lo->ps;
	struct lay_region in = *r;
	double size = ps->size, em = size;
	const char *level_attr = doc_attr_get(&div->attr, "level");
	int level = level_attr ? atoi(level_attr) : 1;
	const struct doc_node *text, *page_ref, *c, *title;
	struct look f = r->body;
	struct lay_entry *e;
	const char *page;

	if ((text = entry_text(div, &page_ref)) == NULL) {
		in.depth = 1;
		in.flags |= LAY_UNNUMBERED;	/* contents and index lines get no line numbers */
		lay_set_blocks(lo, div->first, &in);
		return;
	}
	if (level < 1)
		level = 1;
	if (level > 6)
		level = 6;
	e = mem_zalloc(1, sizeof(*e));
	e->x0 = r->x0;
	e->measure = r->measure;
	e->size = size;
	e->pitch = size * ps->leading;
	e->indent = (level - 1) * em;
	f.href = text->type == DOC_LINK ? text->url : NULL;
	e->look = f;
	e->look.cjk = r->body.cjk;
	e->look.latin = r->body.latin;

	/* The marker and number hang before the title; wrapped lines align with the title. */
	title = text->first;
	for (c = text->first; c != NULL && c->type == DOC_SPAN &&
	    (doc_attr_has_class(&c->attr, "toc-marker") ||
	    doc_attr_has_class(&c->attr, "toc-number")); c = c->next)
		lay_collect_runs_from(lo, c->first, NULL, f, size, div->line);
	e->label_w = set_one_line(lo, &e->label);
	title = c;
	if (title != NULL && title->type == DOC_TEXT && strcmp(title->text, "\u3000") == 0) {
		e->label_w += em;
		title = title->next;
	} else if (e->label_w > 0)
		e->label_w += em * 0.25;

	e->use = page_ref ? lo->nuses : SIZE_MAX;
	page = page_ref ? lay_page_ref(lo, page_ref) : "";
	lay_add_run(lo, page, strlen(page), f, size, div->line);
	e->number_w = set_one_line(lo, &e->number);
	for (size_t k = 0; k < (e->number.nlines > 0 ? e->number.lines[0].n : 0); k++)
		e->number.lines[0].glyphs[k].href = f.href;
	/* Room for a three-digit number and the leader's ends, whatever this one is. */
	e->reserve = em * 2.5 > e->number_w + em ? em * 2.5 : e->number_w + em;

	e->title_x = e->x0 + e->indent + e->label_w;
	/* An index entry's page reference comes last in its text: it is set apart. */
	lay_collect_runs_from(lo, title, page_ref, f, size, div->line);
	{
		struct lay_para_style st = { e->measure - e->indent - e->label_w - e->reserve, 0,
		    (enum lay_punct)ps->punct, 0, lo->file, lo->fallback, lo->nfallback, lo->text, 0 };
		if (st.measure < em * 4)
			st.measure = em * 4;
		lay_para_set(lo->runs, lo->nruns, &st, &e->lines);
		lo->nruns = 0;
	}
	if (e->lines.nlines == 0) {
		/* An entry without a title still shows its number and page. */
		e->lines.lines = mem_zalloc(1, sizeof(*e->lines.lines));
		e->lines.nlines = 1;
	}
	lay_add_run(lo, ".", 1, r->body, size, 0);
	set_one_line(lo, &e->dot);
	lay_flow_add(lo, ITEM_ENTRY)->entry = e;
}

double
lay_entry_height(const struct lay_entry *e)
{
	return (double)e->lines.nlines * e->pitch;
}

void
lay_entry_free(struct lay_entry *e)
{
	if (e == NULL)
		return;
	lay_para_free(&e->label);
	lay_para_free(&e->number);
	lay_para_free(&e->lines);
	lay_para_free(&e->dot);
	free(e);
}

void
lay_place_entry(struct layout *lo, const struct lay_entry *e)
{
	const struct lay_page_style *ps = lo->ps;
	double size = e->size, pitch = e->pitch, em = size, baseline, end;
	const char *href = e->look.href;
	size_t k, leader;

	/* An entry stays on one page. */
	if (lo->at.y + (double)e->lines.nlines * pitch > lay_bottom(lo) + 1e-6 && lo->at.y > ps->top)
		lay_new_page(lo);
	baseline = lay_baseline(lo, size, pitch);
	if (e->label.nlines > 0 && e->label.lines[0].n > 0) {
		lay_add_glyph_box(lo, &e->label.lines[0], 0, e->label.lines[0].n, e->x0 + e->indent,
		    baseline);
		if (href) {
			struct lay_box *b = lay_new_box(lo, BOX_LINK);
			b->x = e->x0 + e->indent + lo->at.dx;
			b->y = baseline - size * 0.88;
			b->w = e->label_w;
			b->h = size;
			b->href = href;
		}
	}
	for (k = 0; k < e->lines.nlines; k++) {
		baseline = lay_baseline(lo, size, pitch);
		lay_flow_line(lo, &e->lines.lines[k], e->title_x, pitch, size);
	}
	end = e->title_x + e->lines.lines[e->lines.nlines - 1].width;
	if (e->number.nlines > 0 && e->number.lines[0].n > 0) {
		double number_x = e->x0 + e->measure - e->number_w;
		leader = add_leader(lo, &e->dot, size, e->x0, end + em * 0.25, number_x - em * 0.25,
		    baseline, href);
		if (e->use != SIZE_MAX) {
			struct lay_ref_use *u = &lo->uses[e->use];
			u->entry = 1;
			u->look = e->look;
			u->size = size;
			u->right = e->x0 + e->measure;
			u->room = e->reserve - em;
			u->number_box = lo->out->n;
			u->leader_box = leader;
		}
		lay_add_glyph_box(lo, &e->number.lines[0], 0, e->number.lines[0].n, number_x,
		    baseline);
		if (href) {
			struct lay_box *b = lay_new_box(lo, BOX_LINK);
			b->x = end + lo->at.dx;
			b->y = baseline - size * 0.88;
			b->w = e->x0 + e->measure - end;
			b->h = size;
			b->href = href;
		}
	}
}

void
lay_set_toc_group(struct layout *lo, const struct doc_node *div, double x0, double measure,
    struct look body)
{
	const struct lay_page_style *ps = lo->ps;
	const struct doc_node *page_ref, *text = entry_text(div, &page_ref);
	double pitch = ps->size * ps->leading;
	struct look f = body;
	struct lay_frag frag;

	f.cjk = lay_get_font(lo, ps->cjk_sans, ps->heading_bold, 0);
	f.latin = lay_get_font(lo, ps->latin_sans, ps->heading_bold, 0);
	if (text == NULL || f.cjk == NULL || f.latin == NULL)
		return;
	if (text->type == DOC_LINK)
		f.href = text->url;
	lay_collect_runs(lo, text, f, ps->size, div->line);
	memset(&frag, 0, sizeof(frag));
	frag.x0 = x0;
	frag.measure = measure;
	frag.size = ps->size;
	frag.pitch = pitch;
	frag.before = pitch * 0.5;
	frag.flags = LAY_UNNUMBERED;
	lay_flow_paragraph(lo, &frag, 0, 1);
}
