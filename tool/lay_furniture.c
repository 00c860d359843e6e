/* Page furniture: page labels, running heads and feet, the draft mark, set from the finished pages. */
#include <stdlib.h>
#include <string.h>

#include "lay_int.h"
#include "mem.h"
#include "meta.h"

void
lay_page_label(const struct lay_doc *ld, int page, struct buf *out)
{
	static const char *const ones[] = { "", "i", "ii", "iii", "iv", "v", "vi", "vii",
	    "viii", "ix" };
	static const char *const tens[] = { "", "x", "xx", "xxx", "xl", "l", "lx", "lxx",
	    "lxxx", "xc" };
	int n;

	if (page <= ld->cover_pages) {
		buf_puts(out, ld->cover_label ? ld->cover_label : "");
		return;
	}
	page -= ld->cover_pages;
	if (page > ld->front_pages) {
		buf_printf(out, "%d", page - ld->front_pages);
		return;
	}
	size_t from = out->len, i;

	for (n = page; n >= 100; n -= 100)
		buf_putc(out, 'c');
	buf_printf(out, "%s%s", tens[n / 10], ones[n % 10]);
	if (ld->front_style == 2)
		for (i = from; i < out->len; i++)
			out->data[i] = (char)(out->data[i] - 'a' + 'A');
}

void
lay_expand_template(const char *t, const struct meta *meta, const char *section,
    const char *page, struct buf *out)
{
	const char *close;
	char key[64];

	for (; *t; t++) {
		close = *t == '{' ? strchr(t, '}') : NULL;
		if (close == NULL || (size_t)(close - t) >= sizeof(key)) {
			buf_putc(out, *t);
			continue;
		}
		memcpy(key, t + 1, (size_t)(close - t - 1));
		key[close - t - 1] = '\0';
		if (strcmp(key, "section") == 0)
			buf_puts(out, section);
		else if (strcmp(key, "page") == 0)
			buf_puts(out, page);
		else {
			/* {key|text}: text when the front matter lacks key */
			char *alt = strchr(key, '|');
			if (alt)
				*alt++ = '\0';
			if (lay_meta_text(meta, key, out) == 0 && alt)
				buf_puts(out, alt);
		}
		t = close;
	}
}

/* Sets one running head or foot on page with its baseline at y. */
static void
set_running(struct layout *lo, struct look body, const char *text, double size,
    int align, double y)
{
	const struct lay_page_style *ps = lo->ps;
	double measure = ps->width - ps->left - ps->right, inset = ps->inset * size, x;
	struct lay_run run = { text, strlen(text), body.cjk, body.latin, size, 0, 0, NULL, 0 };
	struct lay_para_style st = { measure, 0, (enum lay_punct)ps->punct, 0, lo->file,
	    lo->fallback, lo->nfallback, lo->text, 0 };
	struct lay_para para;
	int odd = lo->at.page % 2 == 1;

	/* Keys a page lacks ("{issue}　{section}") leave no blank at either end. */
	while (run.len >= 3 && memcmp(run.text, "\u3000", 3) == 0) {
		run.text += 3;
		run.len -= 3;
	}
	while (run.len >= 3 && memcmp(run.text + run.len - 3, "\u3000", 3) == 0)
		run.len -= 3;
	if (run.len == 0)
		return;
	lay_para_set(&run, 1, &st, &para);
	if (para.nlines > 0) {
		const struct lay_line *line = &para.lines[0];
		if (align == ALIGN_OUTSIDE)
			align = odd ? ALIGN_RIGHT : ALIGN_LEFT;
		else if (align == ALIGN_INSIDE)
			align = odd ? ALIGN_LEFT : ALIGN_RIGHT;
		x = align == ALIGN_LEFT ? ps->left + inset :
		    align == ALIGN_RIGHT ? ps->left + measure - inset - line->width :
		    ps->left + (measure - line->width) / 2;
		if (line->n > 0)
			lay_add_glyph_box(lo, line, 0, line->n, x, y);
	}
	lay_para_free(&para);
}

/* Running heads and feet on every page, from the style's templates. */
void
lay_set_heads(struct layout *lo, struct look body)
{
	const struct lay_page_style *ps = lo->ps;
	/*
	 * The head names the chapter (a bulletin's section) the page opens in: the one
	 * carried over from the pages before, or one that begins before any text of
	 * the page.  Per page: the last chapter begun on it, the one it opens with,
	 * and where its first line of text is.
	 */
	const char **begun = mem_zalloc((size_t)lo->out->pages + 1, sizeof(*begun));
	const char **opens = mem_zalloc((size_t)lo->out->pages + 1, sizeof(*opens));
	double *top = mem_zalloc((size_t)lo->out->pages + 1, sizeof(*top));
	char *has_text = mem_zalloc((size_t)lo->out->pages + 1, 1);
	const char *section = "";
	struct buf page = BUF_INIT, text = BUF_INIT, mark = BUF_INIT;
	struct look sans = body;
	size_t i;
	int p;

	/* The running font's own Latin and digits: GB/T 9704's page numbers are 宋体's. */
	if (ps->cjk_running && ((body.cjk = lay_get_font(lo, ps->cjk_running, 0, 0)) == NULL ||
	    (body.latin = lay_get_font(lo, ps->cjk_running, 0, 0)) == NULL)) {
		free(begun);
		free(opens);
		free(top);
		free(has_text);
		return;
	}
	/* The draft mark (征求意见稿) in 黑体, when the front matter's stage calls for one. */
	if (ps->draft_mark && (ps->draft_mark_if == NULL ||
	    lay_condition_holds(lo->doc->meta, ps->draft_mark_if, &text))) {
		lay_expand_template(ps->draft_mark, lo->doc->meta, "", "", &mark);
		sans.cjk = lay_get_font(lo, ps->cjk_sans, 0, 0);
		sans.latin = lay_get_font(lo, ps->latin_sans, 0, 0);
		if (sans.cjk == NULL || sans.latin == NULL)
			buf_reset(&mark);
	}
	for (i = 0; i < lo->out->n; i++) {
		const struct lay_box *bx = &lo->out->boxes[i];
		if (bx->kind == BOX_GLYPHS && (!has_text[bx->page] || bx->y < top[bx->page])) {
			top[bx->page] = bx->y;
			has_text[bx->page] = 1;
		}
	}
	/* Anchors sit above their heading's first line: one above all text opens the page. */
	for (i = 0; i < lo->out->n; i++) {
		const struct lay_box *bx = &lo->out->boxes[i];
		if (bx->kind != BOX_ANCHOR || bx->level != 1)
			continue;
		begun[bx->page] = bx->title;
		if (opens[bx->page] == NULL && (!has_text[bx->page] || bx->y <= top[bx->page]))
			opens[bx->page] = bx->title;
	}
	/* No running heads on the cover; the body's page 1 is the page after it. */
	for (p = lo->out->cover_pages + 1; p <= lo->out->pages; p++) {
		int first = p == lo->out->cover_pages + 1;
		const char *head = opens[p] ? opens[p] : section;
		if (begun[p])
			section = begun[p];
		lo->at.page = p;
		buf_reset(&page);
		lay_page_label(lo->out, p, &page);
		if (ps->header && !(first && ps->first_page != FIRST_SAME)) {
			/* The gaps run from the type area to the near edge of the text's em box. */
			double y = ps->top - ps->header_gap - ps->header_size * 0.12;
			buf_reset(&text);
			lay_expand_template(ps->header, lo->doc->meta, head, buf_str(&page), &text);
			set_running(lo, body, buf_str(&text), ps->header_size, ps->header_align, y);
			if (ps->header_rule)
				lay_add_rule(lo, ps->left, y + ps->header_size * 0.12 + ps->header_gap / 2,
				    ps->width - ps->left - ps->right, 0.5);
		}
		if (mark.len > 0)
			set_running(lo, sans, buf_str(&mark), ps->draft_mark_size > 0 ?
			    ps->draft_mark_size : ps->header_size, ps->draft_mark_align,
			    ps->top - ps->header_gap - ps->header_size * 0.12);
		if (ps->footer && !(first && ps->first_page == FIRST_EMPTY)) {
			buf_reset(&text);
			lay_expand_template(ps->footer, lo->doc->meta, head, buf_str(&page), &text);
			set_running(lo, body, buf_str(&text), ps->footer_size, ps->footer_align,
			    ps->height - ps->bottom + ps->footer_gap + ps->footer_size * 0.88);
		}
	}
	free(begun);
	free(opens);
	free(top);
	free(has_text);
	buf_free(&page);
	buf_free(&text);
	buf_free(&mark);
}

/* Whether box i is one of a page's footnotes. */
static int
in_notes(const struct layout *lo, size_t i)
{
	size_t lo_i = 0, hi = lo->at.nnote_boxes;

	/* The ranges are in box order: a binary search. */
	while (lo_i < hi) {
		size_t mid = (lo_i + hi) / 2;
		if (lo->note_boxes[mid].to <= i)
			lo_i = mid + 1;
		else
			hi = mid;
	}
	return lo_i < lo->at.nnote_boxes && lo->note_boxes[lo_i].from <= i;
}

void
lay_set_column_rules(struct layout *lo)
{
	double rule = lo->ps->column_rule;
	int keep = lo->at.page;

	for (size_t r = 0; r < lo->at.ncolruns; r++) {
		const struct lay_colrun *cr = &lo->colruns[r];
		for (int page = cr->first_page; page <= cr->last_page; page++) {
			double top = 1e9, bottom = -1e9;
			int beyond_first = 0;
			/* The columns' own text on the page: the notes under it run across them. */
			for (size_t i = cr->from; i < cr->to; i++) {
				const struct lay_box *b = &lo->out->boxes[i];
				double t, u;
				if (b->page != page || (b->kind != BOX_GLYPHS && b->kind != BOX_IMAGE) ||
				    in_notes(lo, i))
					continue;
				t = b->kind == BOX_GLYPHS ? b->y - b->size * 0.88 : b->y;
				u = b->kind == BOX_GLYPHS ? b->y + b->size * 0.12 : b->y + b->h;
				if (t < top)
					top = t;
				if (u > bottom)
					bottom = u;
				if (b->x >= cr->x0 + cr->width + cr->gap / 2)
					beyond_first = 1;
			}
			if (!beyond_first)
				continue;
			lo->at.page = page;
			for (int k = 1; k < cr->ncols; k++)
				lay_add_rule(lo, cr->x0 + k * (cr->width + cr->gap) - cr->gap / 2 -
				    rule / 2, top, rule, bottom - top);
		}
	}
	lo->at.page = keep;
}
