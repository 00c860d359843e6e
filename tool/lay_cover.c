/* Covers, first-page heads, closings and colophons: texts and rules the style places from the front matter, as data. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lay.h"
#include "lay_int.h"
#include "lay_para.h"
#include "mem.h"
#include "meta.h"
#include "msg.h"
#include "schema.h"

/* Which of the style's fonts a text uses: the order of element `font`'s choices in schema.c. */
enum role { ROLE_BODY, ROLE_HEADING, ROLE_EMPHASIS, ROLE_RUNNING, ROLE_MONO };

struct lay_element {
	char		*text;		/* a template with {KEY}s; NULL: a rule */
	double		 thickness;	/* a rule's, points */
	double		 y;		/* the top, from the page top, points; < 0: `after` */
	double		 after;		/* the gap below the previous element, points */
	double		 after_lines;	/* plus this many of the body's line pitches */
	double		 x;		/* in from the aligned edge, points */
	double		 hang;		/* left-aligned text: lines after the first start this far in */
	int		 align;		/* ALIGN_LEFT, ALIGN_CENTER or ALIGN_RIGHT */
	int		 page;		/* x, align and width count from the paper's edges */
	int		 role;		/* enum role */
	char		*family;	/* the CJK family instead of the role's, or NULL */
	char		*family_latin;	/* the Latin family instead of the role's, or NULL */
	double		 size;		/* points; 0: the body size */
	double		 leading;	/* line pitch of wrapped lines, times the size */
	int		 bold;
	int		 same_line;	/* on the line of the element before (a date flush right) */
	uint32_t	 color;		/* 0xRRGGBB */
	double		 tracking;	/* extra space between characters, ems */
	double		 width;		/* the measure (text) or length (rule); 0: all there is */
	char		*cond;		/* only when the front matter has this key */
	char		*file;		/* the page.yaml naming it, owned, and where: */
	int		 line, col;	/* for messages about it */
	int		 fitted;	/* set again smaller: too wide for its place */
	int		 wrap;		/* spaced-out text wraps at its measure */
};

/* ---- reading page.yaml --------------------------------------------------- */

static void
element_free(struct lay_element *e)
{
	free(e->text);
	free(e->family);
	free(e->family_latin);
	free(e->cond);
	free(e->file);
}

static void
elements_free(struct lay_element *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		element_free(&v[i]);
	free(v);
}

/* Reads one element (a map that schema_check() has found good) into *e. */
static void
read_element(struct lay_page_style *ps, const char *path, const struct meta *map,
    struct lay_element *e)
{
	/* The element key align's choices (schema.c): left, center, right. */
	static const int align_of[] = { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };
	const struct meta *m;
	struct buf family = BUF_INIT;
	const char *str;
	double v;
	int lines;

	memset(e, 0, sizeof(*e));
	e->file = mem_strdup(path);
	e->line = map->line;
	e->col = map->col;
	e->y = -1;
	e->align = ALIGN_CENTER;
	e->leading = 1.25;
	for (m = map->first; m != NULL; m = m->next) {
		str = m->type == META_STRING || m->type == META_BOOL ? m->str : NULL;
		if (strcmp(m->key, "text") == 0) {
			free(e->text);
			e->text = mem_strdup(str);
		} else if (strcmp(m->key, "rule") == 0) {
			v = schema_length(str);
			e->thickness = v > 0 ? v : 0.01;
		} else if (strcmp(m->key, "y") == 0)
			e->y = schema_length(str);
		else if (strcmp(m->key, "x") == 0)
			e->x = schema_length(str);
		else if (strcmp(m->key, "hang") == 0)
			e->hang = schema_length(str);
		else if (strcmp(m->key, "size") == 0)
			e->size = schema_length(str);
		else if (strcmp(m->key, "width") == 0)
			e->width = schema_length(str);
		else if (strcmp(m->key, "after") == 0) {
			v = schema_after(str, &lines);
			e->after = lines ? 0 : v;
			e->after_lines = lines ? v : 0;
		} else if (strcmp(m->key, "tracking") == 0)
			e->tracking = strtod(str, NULL);
		else if (strcmp(m->key, "leading") == 0)
			e->leading = strtod(str, NULL);
		else if (strcmp(m->key, "align") == 0)
			e->align = align_of[schema_choice(SCHEMA_ELEMENT, m->key, str)];
		else if (strcmp(m->key, "from") == 0)
			e->page = schema_choice(SCHEMA_ELEMENT, m->key, str);
		else if (strcmp(m->key, "bold") == 0)
			e->bold = schema_choice(SCHEMA_ELEMENT, m->key, str);
		else if (strcmp(m->key, "same-line") == 0)
			e->same_line = schema_choice(SCHEMA_ELEMENT, m->key, str);
		else if (strcmp(m->key, "font") == 0)
			e->role = schema_choice(SCHEMA_ELEMENT, m->key, str);	/* enum role */
		else if (strcmp(m->key, "family") == 0 || strcmp(m->key, "family-latin") == 0) {
			char **slot = strcmp(m->key, "family") == 0 ? &e->family : &e->family_latin;
			free(*slot);
			*slot = mem_strdup(schema_text(m, &family));
			lay_note_font_place(ps, *slot, path, m);
		} else if (strcmp(m->key, "color") == 0)
			e->color = (uint32_t)strtol(str + 1, NULL, 16);
		else if (strcmp(m->key, "if") == 0) {
			free(e->cond);
			e->cond = mem_strdup(str);
		}
	}
	buf_free(&family);
}

/* Reads a list of elements into *v, *n (replacing what was there). */
static void
read_elements(struct lay_page_style *ps, const char *path, const struct meta *m,
    struct lay_element **v, size_t *n)
{
	const struct meta *c;

	elements_free(*v, *n);
	*v = NULL;
	*n = 0;
	for (c = m->first; c != NULL; c = c->next) {
		*v = mem_realloc(*v, (*n + 1) * sizeof(**v));
		read_element(ps, path, c, &(*v)[(*n)++]);
	}
}

void
lay_cover_key(const char *path, const struct meta *m, struct lay_page_style *ps)
{
	if (strcmp(m->key, "cover") == 0)
		read_elements(ps, path, m, &ps->cover, &ps->ncover);
	else if (strcmp(m->key, "first-page-head") == 0)
		read_elements(ps, path, m, &ps->head, &ps->nhead);
	else if (strcmp(m->key, "closing") == 0)
		read_elements(ps, path, m, &ps->closing, &ps->nclosing);
	else if (strcmp(m->key, "colophon") == 0)
		read_elements(ps, path, m, &ps->colophon, &ps->ncolophon);
	else if (strcmp(m->key, "body-top") == 0)
		ps->body_top = schema_length(m->str);
	else if (strcmp(m->key, "cover-label") == 0) {
		free(ps->cover_label);
		ps->cover_label = mem_strdup(m->str);
	}
}

void
lay_cover_free(struct lay_page_style *ps)
{
	elements_free(ps->cover, ps->ncover);
	elements_free(ps->head, ps->nhead);
	elements_free(ps->closing, ps->nclosing);
	elements_free(ps->colophon, ps->ncolophon);
	free(ps->cover_label);
	ps->cover = ps->head = ps->closing = ps->colophon = NULL;
	ps->ncover = ps->nhead = ps->nclosing = ps->ncolophon = 0;
	ps->cover_label = NULL;
}

/* ---- front-matter text ------------------------------------------------- */

size_t
lay_meta_text(const struct meta *meta, const char *key, struct buf *out)
{
	const struct meta *m = meta ? meta_get(meta, key) : NULL, *c;
	const char *sep = "、";
	size_t from = out->len;

	if (m == NULL)
		return 0;
	if (m->type == META_STRING || m->type == META_BOOL) {
		/* The document's date as print writes it: 2024-04-25 is 2024年4月25日. */
		if (strcmp(key, "date") == 0)
			meta_put_date(out, m->str);
		else
			buf_puts(out, m->str);
		return out->len - from;
	}
	if (strcmp(key, "cc") == 0)
		sep = "，";
	else if (strcmp(key, "attachments") == 0 && m->type == META_LIST && m->first &&
	    m->first->next) {
		/* GB/T 9704 7.3.4: numbered, one a line (an element's `hang` lines them up). */
		int k = 1;
		for (c = m->first; c != NULL; c = c->next)
			if (c->type == META_STRING && *c->str != '\0')
				buf_printf(out, "%s%d．%s", out->len > from ? "\n" : "", k++, c->str);
		return out->len - from;
	}
	else if (strcmp(key, "signer") == 0 || strcmp(key, "issued-by") == 0)
		sep = "\u3000";
	for (c = m->type == META_LIST ? m->first : NULL; c != NULL; c = c->next)
		if (c->type == META_STRING && *c->str != '\0')
			buf_printf(out, "%s%s", out->len > from ? sep : "", c->str);
	return out->len - from;
}

/* ---- setting the elements --------------------------------------------- */

/* The CJK and Latin fonts of e; 0, or -1 when one is missing (the layout has failed). */
static int
element_fonts(struct layout *lo, const struct lay_element *e, struct look *f)
{
	const struct lay_page_style *ps = lo->ps;
	const char *cjk = ps->cjk, *latin = ps->latin;

	switch (e->role) {
	case ROLE_HEADING:
		cjk = ps->cjk_sans;
		latin = ps->latin_sans;
		break;
	case ROLE_EMPHASIS:
		cjk = ps->cjk_kai;
		break;
	case ROLE_RUNNING:
		if (ps->cjk_running)
			cjk = ps->cjk_running;
		break;
	case ROLE_MONO:
		latin = ps->mono;
		break;
	default:
		break;
	}
	memset(f, 0, sizeof(*f));
	f->cjk = lay_get_font(lo, e->family ? e->family : cjk, e->bold, 0);
	/* A family named for the element gives its Latin too, unless family-latin names another. */
	f->latin = lay_get_font(lo, e->family_latin ? e->family_latin : e->family ? e->family :
	    latin, e->bold, 0);
	return f->cjk && f->latin ? 0 : -1;
}

/* Colours the boxes made since index from. */
static void
paint(struct layout *lo, size_t from, uint32_t color)
{
	for (; from < lo->out->n; from++)
		if (lo->out->boxes[from].kind == BOX_GLYPHS || lo->out->boxes[from].kind == BOX_RULE)
			lo->out->boxes[from].color = color;
}

static double set_text(struct layout *lo, const struct lay_element *e, const char *text,
    double y, double left, double measure, int measure_only);

/*
 * Sets text element e, whose widest line (width) is wider than the fit points
 * its place has, smaller to fit, down to 0.6 of its size; spaced-out text that
 * is still too wide then wraps.  Says so at the element in page.yaml: the
 * style's fixed text never runs past the margins, nor off the paper.
 */
static double
fit_text(struct layout *lo, const struct lay_element *e, const char *text, double y,
    double left, double measure, int measure_only, struct lay_para *para, double width,
    double fit)
{
	struct lay_element smaller = *e;
	double size = e->size > 0 ? e->size : lo->ps->size;

	lay_para_free(para);
	smaller.fitted = 1;
	smaller.size = size * fit / width * 0.999;
	if (smaller.size < size * 0.6) {
		smaller.size = size * 0.6;
		smaller.wrap = 1;
	}
	if (!measure_only)
		msg_at(MSG_WARNING, e->file, e->line, e->col, "the text \"%s\" is %.0f pt wide at "
		    "%.1f pt, wider than the %.0f pt between the margins: set in %.1f pt%s", text,
		    width, size, fit, smaller.size, smaller.wrap ? " and wrapped" : "");
	return set_text(lo, &smaller, text, y, left, measure, measure_only);
}

/*
 * Sets one text element with its top at y; returns its bottom (the last line's
 * em box), or y when it came out empty.  With measure_only nothing is placed.
 */
static double
set_text(struct layout *lo, const struct lay_element *e, const char *text, double y,
    double left, double measure, int measure_only)
{
	const struct lay_page_style *ps = lo->ps;
	double size = e->size > 0 ? e->size : ps->size, pitch = size * e->leading;
	double track = e->tracking * size, avail = measure - e->x, x0, width, fit;
	struct lay_para_style st = { e->width > 0 && e->width < avail ? e->width : avail, 0,
	    (enum lay_punct)ps->punct, 0, lo->file, lo->fallback, lo->nfallback, lo->text, 0 };
	double hang = e->align == ALIGN_LEFT ? e->hang : 0;
	struct lay_para para;
	struct look f;
	const char *s, *nl;
	size_t i, k, from = lo->out->n;
	double bottom = y;

	if (element_fonts(lo, e, &f) == -1)
		return y;
	/* A line break in the template is a line break on the page. */
	for (s = text; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s);
		if (s != text)
			lay_add_run(lo, LAY_LINE_BREAK, strlen(LAY_LINE_BREAK), f, size, 0);
		if (nl > s)
			lay_add_run(lo, s, (size_t)(nl - s), f, size, 0);
		if (*nl == '\0')
			break;
	}
	fit = st.measure - hang;
	if (track > 0 && !e->wrap)
		st.measure = 1e6;	/* spaced-out text is one line a line break ends */
	/* A hanging indent is a negative one: the first line reaches back over it. */
	st.measure -= hang;
	st.indent = -hang;
	lay_para_set(lo->runs, lo->nruns, &st, &para);
	/*
	 * Wrapped centred lines (titles) are balanced: set again in the narrowest
	 * measure that takes no more lines, plus a quarter em so that spaces need
	 * not shrink.  Text set flush to a side runs on to the measure.
	 */
	if (para.nlines > 1 && track == 0 && e->align == ALIGN_CENTER) {
		size_t lines = para.nlines;
		double full = st.measure;
		struct lay_para narrower;
		while (st.measure > size * 4) {
			st.measure -= size / 2;
			lay_para_set(lo->runs, lo->nruns, &st, &narrower);
			k = narrower.nlines;
			for (i = 0; i < narrower.nlines; i++)
				if (narrower.lines[i].overfull)
					k = lines + 1;
			lay_para_free(&narrower);
			if (k > lines)
				break;
		}
		st.measure = fmin(st.measure + size / 2 + size / 4, full);
		lay_para_free(&para);
		lay_para_set(lo->runs, lo->nruns, &st, &para);
	}
	lo->nruns = 0;
	for (i = 0, width = 0; i < para.nlines; i++)
		width = fmax(width, para.lines[i].width + (para.lines[i].n > 0 ?
		    (double)(para.lines[i].n - 1) * track : 0));
	if (width > fit + 0.01 && !e->fitted)
		return fit_text(lo, e, text, y, left, measure, measure_only, &para, width, fit);
	for (i = 0; i < para.nlines; i++) {
		struct lay_line *line = &para.lines[i];
		for (k = 0; k < line->n; k++)
			line->glyphs[k].x += (double)k * track;
		width = line->width + (line->n > 0 ? (double)(line->n - 1) * track : 0);
		x0 = e->align == ALIGN_LEFT ? left + e->x + hang :
		    e->align == ALIGN_RIGHT ? left + measure - e->x - width :
		    left + (measure - width) / 2;
		if (!measure_only) {
			lo->at.y = y + (double)i * pitch;
			lay_place_line(lo, line, x0, size, size);
		}
		bottom = y + (double)i * pitch + size;
	}
	lay_para_free(&para);
	paint(lo, from, e->color);
	return bottom;
}

/* Whether s holds nothing but spaces (ideographic ones too). */
static int
blank(const char *s)
{
	while (*s == ' ' || strncmp(s, "\u3000", 3) == 0)
		s += *s == ' ' ? 1 : 3;
	return *s == '\0';
}

/*
 * An element's `if` (stage: 征求意见稿|送审稿), and the draft mark's; "!" before
 * it holds when it does not ("!title-block: false"), and "KEY|KEY" (no colon)
 * when either key is there ("issuer|doc-number").
 */
int
lay_condition_holds(const struct meta *meta, const char *cond, struct buf *value)
{
	const char *colon = strchr(cond, ':'), *alt, *bar;
	char key[64];
	size_t len = colon ? (size_t)(colon - cond) : strlen(cond);

	if (cond[0] == '!')
		return !lay_condition_holds(meta, cond + 1, value);
	if (colon == NULL && (bar = strchr(cond, '|')) != NULL) {
		len = (size_t)(bar - cond);
		if (len > 0 && len < sizeof(key)) {
			memcpy(key, cond, len);
			key[len] = '\0';
			if (lay_condition_holds(meta, key, value))
				return 1;
		}
		return lay_condition_holds(meta, bar + 1, value);
	}

	while (len > 0 && cond[len - 1] == ' ')
		len--;
	if (len == 0 || len >= sizeof(key))
		return 0;
	memcpy(key, cond, len);
	key[len] = '\0';
	if (lay_meta_text(meta, key, value) == 0)
		return 0;
	if (colon == NULL)
		return 1;
	for (alt = colon + 1; *alt == ' '; alt++)
		;
	for (; *alt; alt = *bar ? bar + 1 : bar) {
		char want[256];
		bar = strchr(alt, '|');
		if (bar == NULL)
			bar = alt + strlen(alt);
		len = (size_t)(bar - alt);
		if (len > 0 && len < sizeof(want)) {
			memcpy(want, alt, len);
			want[len] = '\0';
			if (strstr(buf_str(value), want) != NULL)
				return 1;
		}
	}
	return 0;
}

/*
 * Places a list of elements on the current page; returns the bottom of the
 * last one set.  With measure_only it only finds that bottom.
 */
static double
set_elements(struct layout *lo, const struct lay_element *v, size_t n, double start,
    int measure_only)
{
	const struct lay_page_style *ps = lo->ps;
	struct buf text = BUF_INIT, probe = BUF_INIT;
	double bottom = start, top = start, y, left, measure;
	size_t i;

	for (i = 0; i < n && !lo->failed; i++) {
		const struct lay_element *e = &v[i];
		buf_reset(&probe);
		if (e->cond && !lay_condition_holds(lo->doc->meta, e->cond, &probe))
			continue;
		y = e->y >= 0 ? e->y : e->same_line ? top :
		    bottom + e->after + e->after_lines * ps->size * ps->leading;
		top = y;
		left = e->page ? 0 : ps->left;
		measure = e->page ? ps->width : ps->width - ps->left - ps->right;
		if (e->text == NULL) {
			double w = e->width > 0 ? e->width : measure - e->x;
			double x = e->align == ALIGN_LEFT ? left + e->x :
			    e->align == ALIGN_RIGHT ? left + measure - e->x - w :
			    left + (measure - w) / 2;
			if (!measure_only) {
				lay_add_rule(lo, x, y, w, e->thickness);
				paint(lo, lo->out->n - 1, e->color);
			}
			bottom = y + e->thickness;
			continue;
		}
		buf_reset(&text);
		lay_expand_template(e->text, lo->doc->meta, "", "", &text);
		if (blank(buf_str(&text)))
			continue;	/* every key it names is missing */
		bottom = set_text(lo, e, buf_str(&text), y, left, measure, measure_only);
	}
	buf_free(&text);
	buf_free(&probe);
	return bottom;
}

void
lay_set_cover(struct layout *lo)
{
	const struct lay_page_style *ps = lo->ps;

	if (ps->ncover == 0)
		return;
	lay_new_page(lo);
	set_elements(lo, ps->cover, ps->ncover, 0, 0);
	lo->out->cover_pages = lo->at.page;
	free(lo->out->cover_label);
	lo->out->cover_label = ps->cover_label ? mem_strdup(ps->cover_label) : NULL;
	lo->body_first = lo->out->n;
}

void
lay_set_first_head(struct layout *lo)
{
	const struct lay_page_style *ps = lo->ps;
	double bottom, pitch = ps->size * ps->leading;

	if (ps->nhead == 0)
		return;
	bottom = set_elements(lo, ps->head, ps->nhead, ps->top, 0);
	lo->at.y = ps->top;
	if (ps->body_top > 0)
		lo->at.y = ps->body_top;
	else if (bottom > ps->top) {
		/*
		 * The gap between two lines under the head; on a character grid the
		 * next grid line, whose text keeps half that gap at least.
		 */
		lo->at.y = bottom + (pitch - ps->size) / 2;
		if (ps->grid_chars > 0)
			lo->at.y = ps->top + ceil((bottom - ps->top) / pitch - 1e-6) * pitch;
	}
	if (lo->at.y > lay_bottom(lo) - pitch)
		lay_new_page(lo);	/* a head that fills the page: the body starts on the next */
	lo->body_first = lo->out->n;
}

void
lay_set_closing(struct layout *lo, double height)
{
	const struct lay_page_style *ps = lo->ps;

	if (ps->nclosing == 0)
		return;
	if (lo->at.y + height > lay_bottom(lo) + 1e-6 && !lay_at_top(lo))
		lay_new_page(lo);
	lo->at.y = set_elements(lo, ps->closing, ps->nclosing, lo->at.y, 0);
}

double
lay_closing_height(struct layout *lo)
{
	const struct lay_page_style *ps = lo->ps;

	return ps->nclosing > 0 ? set_elements(lo, ps->closing, ps->nclosing, 0, 1) : 0;
}

void
lay_set_colophon(struct layout *lo)
{
	const struct lay_page_style *ps = lo->ps;
	double height, top;

	if (ps->ncolophon == 0)
		return;
	/* Its elements run one after the other; the last ends on the type area's bottom edge. */
	height = set_elements(lo, ps->colophon, ps->ncolophon, 0, 1);
	top = ps->height - ps->bottom - height;
	if (lo->at.y > top)
		lay_new_page(lo);
	set_elements(lo, ps->colophon, ps->ncolophon, top, 0);
}
