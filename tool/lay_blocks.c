/* Setting the document's blocks into the flow list: their text as runs, headings, lists, code, and
 * the dispatcher that sends each block to its setter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lay_int.h"
#include "mem.h"

struct font *
lay_get_font(struct layout *lo, const char *family, int bold, int italic)
{
	const struct lay_font_place *at = NULL;
	struct font *f;
	size_t i;

	/* The style's own page.yaml is read after the common one: its naming wins. */
	for (i = lo->ps->nfont_places; i-- > 0 && at == NULL; )
		if (strcasecmp(lo->ps->font_places[i].family, family) == 0)
			at = &lo->ps->font_places[i];
	f = font_get(lo->set, family, bold, italic, at ? at->file : NULL,
	    at ? at->line : 0, at ? at->col : 0);
	if (f == NULL)
		lo->failed = 1;
	return f;
}

void
lay_add_run(struct layout *lo, const char *text, size_t len, struct look f, double size, int line)
{
	lo->runs = mem_grow(lo->runs, &lo->cap, lo->nruns + 1, sizeof(*lo->runs));
	lo->runs[lo->nruns++] = (struct lay_run){ text, len, f.cjk, f.latin, size, line,
	    f.deco, f.href, f.rise };
}

void
lay_collect_runs(struct layout *lo, const struct doc_node *n, struct look f,
    double size, int line)
{
	lay_collect_runs_from(lo, n->first, NULL, f, size, line);
}

/* Flattens inlines into runs: strong is bold, emphasis 楷体 and italic, code monospaced. */
void
lay_collect_runs_from(struct layout *lo, const struct doc_node *first,
    const struct doc_node *stop, struct look f, double size, int line)
{
	const struct lay_page_style *ps = lo->ps;
	const struct doc_node *c;
	struct look g;
	const char *page;

	for (c = first; c != NULL && c != stop; c = c->next) {
		g = f;
		switch (c->type) {
		case DOC_TEXT:
			lay_add_run(lo, c->text, strlen(c->text), f, size, line);
			break;
		case DOC_SOFTBREAK:
			lay_add_run(lo, " ", 1, f, size, line);
			break;
		case DOC_LINEBREAK:
			lay_add_run(lo, LAY_LINE_BREAK, strlen(LAY_LINE_BREAK), f, size, line);
			break;
		case DOC_CODE:
			g.latin = lay_get_font(lo, ps->mono, 0, 0);
			if (g.latin)
				lay_add_run(lo, c->text, strlen(c->text), g, size, line);
			break;
		case DOC_STRONG:
			g.cjk = lay_get_font(lo, font_family(f.cjk), 1, 0);
			g.latin = lay_get_font(lo, font_family(f.latin), 1, 0);
			if (g.cjk && g.latin)
				lay_collect_runs(lo, c, g, size, line);
			break;
		case DOC_EMPH:
			g.cjk = lay_get_font(lo, ps->cjk_kai, 0, 0);
			g.latin = lay_get_font(lo, font_family(f.latin), font_is_bold(f.latin), 1);
			if (g.cjk && g.latin)
				lay_collect_runs(lo, c, g, size, line);
			break;
		case DOC_STRIKE:
			g.deco |= LAY_STRIKE;
			lay_collect_runs(lo, c, g, size, line);
			break;
		case DOC_SUPERSCRIPT:
			/* As a table note's mark: raised and smaller. */
			g.rise = f.rise + size * 0.4;
			lay_collect_runs(lo, c, g, size * 0.6, line);
			break;
		case DOC_SUBSCRIPT:
			g.rise = f.rise - size * 0.15;
			lay_collect_runs(lo, c, g, size * 0.6, line);
			break;
		case DOC_LINK:
			g.href = c->url;
			lay_collect_runs(lo, c, g, size, line);
			break;
		case DOC_SPAN:
			if (doc_attr_has_class(&c->attr, "page-ref")) {
				page = lay_page_ref(lo, c);
				lay_add_run(lo, page, strlen(page), f, size, line);
				break;
			}
			/* A table footnote's mark, or [text]{.sup}: raised and smaller. */
			if (doc_attr_has_class(&c->attr, "table-fnref") ||
			    doc_attr_has_class(&c->attr, "sup")) {
				g.rise = f.rise + size * 0.4;
				lay_collect_runs(lo, c, g, size * 0.6, line);
				break;
			}
			/* Pandoc's [text]{.underline}; 着重号 and the like are for later. */
			if (doc_attr_has_class(&c->attr, "underline") ||
			    doc_attr_has_class(&c->attr, "ul"))
				g.deco |= LAY_UNDERLINE;
			lay_collect_runs(lo, c, g, size, line);
			break;
		case DOC_IMAGE:
			lay_collect_runs(lo, c, f, size, line);
			break;
		case DOC_NOTEREF:
			lay_note_mark(lo, c, f, size);
			break;
		case DOC_DOCUMENT:
		case DOC_PARA:
		case DOC_HEADING:
		case DOC_BLOCKQUOTE:
		case DOC_LIST:
		case DOC_ITEM:
		case DOC_CODEBLOCK:
		case DOC_RAWBLOCK:
		case DOC_HR:
		case DOC_TABLE:
		case DOC_ROW:
		case DOC_CELL:
		case DOC_FOOTNOTE:
		case DOC_DIV:
		case DOC_FIGURE:
		case DOC_CAPTION:
		case DOC_DEFLIST:
		case DOC_DEFITEM:
		case DOC_TERM:
		case DOC_DEFINITION:
			break;	/* blocks and parts of blocks are never among inlines */
		case DOC_RAWINLINE:
			break;	/* raw HTML has no place on paper */
		}
	}
}

void
lay_flow_paragraph(struct layout *lo, struct lay_frag *f, double indent, int keep_next)
{
	struct lay_para_style st = { f->measure, indent, (enum lay_punct)lo->ps->punct,
	    (f->flags & LAY_JUSTIFY) != 0, lo->file, lo->fallback, lo->nfallback, lo->text,
	    lo->ps->hang_punct };

	if (lo->nruns == 0) {
		free(f->title);
		return;
	}
	lay_para_set(lo->runs, lo->nruns, &st, &f->para);
	lo->nruns = 0;
	lay_flow_frag(lo, ITEM_FRAG, f, keep_next);
}

void
lay_flush_paragraph(struct layout *lo, double x0, double measure, double indent,
    double size, double pitch, int flags, int keep_next)
{
	struct lay_frag f;

	memset(&f, 0, sizeof(f));
	f.x0 = x0;
	f.measure = measure;
	f.size = size;
	f.pitch = pitch;
	f.flags = (unsigned)flags;
	lay_flow_paragraph(lo, &f, indent, keep_next);
}

/* The label a heading's number makes: "3.1　", "一、", "附录A（规范性）　". */
static void
heading_label(const struct doc_node *n, struct buf *label)
{
	const char *number = doc_attr_get(&n->attr, "number");
	const char *type = doc_attr_get(&n->attr, "annex-type");
	size_t len;

	if (number == NULL)
		return;
	len = strlen(number);
	buf_puts(label, number);
	if (type)
		buf_printf(label, "（%s）", type);
	/* The separator rule of the styles: none after a number's own mark. */
	if (!(len >= 3 && (strcmp(number + len - 3, "、") == 0 ||
	    strcmp(number + len - 3, "）") == 0)) && number[len - 1] != '.')
		buf_puts(label, "\u3000");
}

static void
set_heading(struct layout *lo, const struct doc_node *n, double x0, double measure,
    unsigned given)
{
	const struct lay_page_style *ps = lo->ps;
	/*
	 * A contents list's title, and GB/T 1.1's 前言, 引言, 参考文献 and 索引, are
	 * centred in their own size (三号黑体); an annex's heading is centred on
	 * three lines, 附录A / （规范性） / title, on a new page.
	 */
	int title_size = doc_attr_has_class(&n->attr, "toc-title") ||
	    doc_attr_has_class(&n->attr, "gb-title");
	int annex = n->level == 1 && doc_attr_get(&n->attr, "annex") != NULL &&
	    doc_attr_get(&n->attr, "number") != NULL;
	int centred = title_size || annex;
	int apparatus = doc_attr_has_class(&n->attr, "toc-title") || (n->next != NULL &&
	    n->next->type == DOC_DIV && doc_attr_has_class(&n->next->attr, "index"));
	double size = title_size && ps->toc_title_size > 0 ? ps->toc_title_size :
	    ps->heading_size[n->level - 1];
	struct buf label = BUF_INIT, title = BUF_INIT;
	struct look f = { NULL, NULL, 0, NULL, 0 };
	struct lay_frag frag;
	/* On a character grid headings keep to the grid's lines; elsewhere they get air. */
	int on_grid = ps->grid_chars > 0;
	double pitch = on_grid ? ps->size * ps->leading : size * 1.5;

	switch ((enum lay_heading_face)ps->heading_face[n->level - 1]) {
	case HEADING_FACE_HEADING:
		f.cjk = lay_get_font(lo, ps->cjk_sans, ps->heading_bold, 0);
		f.latin = lay_get_font(lo, ps->latin_sans, ps->heading_bold, 0);
		break;
	case HEADING_FACE_EMPHASIS:
		/* 楷体 (GB/T 9704's second level): its Latin from the body, upright. */
		f.cjk = lay_get_font(lo, ps->cjk_kai, ps->heading_bold, 0);
		f.latin = lay_get_font(lo, ps->latin, ps->heading_bold, 0);
		break;
	case HEADING_FACE_BODY:
		f.cjk = lay_get_font(lo, ps->cjk, ps->heading_bold, 0);
		f.latin = lay_get_font(lo, ps->latin, ps->heading_bold, 0);
		break;
	}
	if (!f.cjk || !f.latin)
		return;
	if (annex) {
		const char *type = doc_attr_get(&n->attr, "annex-type");
		buf_printf(&label, "%s%s", doc_attr_get(&n->attr, "number"), LAY_LINE_BREAK);
		if (type)
			buf_printf(&label, "（%s）%s", type, LAY_LINE_BREAK);
	} else
		heading_label(n, &label);
	{
		/*
		 * The body's page 1 starts with its first numbered chapter (front-roman);
		 * chapters start a new (or a right-hand) page when the style or the
		 * heading asks, the style's rule not in columns: where they land is the
		 * distributor's.
		 */
		unsigned start = 0;
		if (ps->front_roman && n->level == 1 && doc_attr_get(&n->attr, "number") != NULL)
			start |= ITEM_BODY;
		if (n->level == 1 && ps->chapter_start != CHAPTER_SAME && !lo->in_columns)
			start |= ITEM_NEW_PAGE;
		if (annex || doc_attr_has_class(&n->attr, "new-page") ||
		    doc_attr_has_class(&n->attr, "recto"))
			start |= ITEM_ALWAYS;
		if (ps->chapter_start == CHAPTER_RECTO || doc_attr_has_class(&n->attr, "recto"))
			start |= ITEM_RECTO;
		if (start & (ITEM_BODY | ITEM_NEW_PAGE | ITEM_ALWAYS))
			lay_flow_add(lo, ITEM_CHAPTER)->flags = start;
	}
	if (label.len > 0 && doc_attr_has_class(&n->attr, "term")) {
		/* A GB/T 1.1 term entry: the number on a line of its own, above the term. */
		if (label.len >= 3 && strcmp(label.data + label.len - 3, "\u3000") == 0)
			label.data[label.len -= 3] = '\0';
		lay_add_run(lo, buf_str(&label), label.len, f, size, n->line);
		lay_add_run(lo, LAY_LINE_BREAK, strlen(LAY_LINE_BREAK), f, size, n->line);
	} else if (label.len > 0)
		lay_add_run(lo, buf_str(&label), label.len, f, size, n->line);
	lay_collect_runs(lo, n, f, size, n->line);
	if (annex)
		heading_label(n, &title);	/* the outline's entry on one line */
	else
		buf_puts(&title, buf_str(&label));
	if (label.len > 0 && doc_attr_has_class(&n->attr, "term"))
		buf_puts(&title, "\u3000");
	doc_stringify(n, &title);
	memset(&frag, 0, sizeof(frag));
	frag.x0 = x0;
	frag.measure = measure;
	frag.size = size;
	frag.pitch = pitch;
	frag.before = on_grid ? 0 : size * 0.5;
	frag.after = on_grid ? 0 : size * 0.25;
	/* Contents and index are no text to comment on: their titles get no line numbers. */
	frag.flags = (centred ? LAY_CENTRE : 0) | (apparatus ? LAY_UNNUMBERED : 0) | given;
	frag.anchored = 1;
	frag.id = n->attr.id;
	frag.level = doc_attr_has_class(&n->attr, "unlisted") ? 0 : n->level;
	frag.title = mem_strdup(buf_str(&title));
	frag.above = size * 1.2;
	/* A heading is kept with what follows it. */
	lay_flow_paragraph(lo, &frag, 0, 1);
	buf_free(&label);
	buf_free(&title);
}

/* n (1-99) in Chinese numerals, as list numbers are written: 一, 十二, 二十; else in digits. */
static void
cjk_number(int n, struct buf *out)
{
	static const char *const digit[] = { "", "一", "二", "三", "四", "五", "六", "七",
		"八", "九" };

	if (n < 1 || n > 99) {
		buf_printf(out, "%d", n);
		return;
	}
	if (n >= 20)
		buf_puts(out, digit[n / 10]);
	if (n >= 10)
		buf_puts(out, "十");
	buf_puts(out, digit[n % 10]);
}

/*
 * The label of item number of an ordered list, as the HTML's CSS prints it:
 * a. a) for LowerAlpha, 一、（一）一） for CJKDecimal, 1、 for class comma,
 * （1） for TwoParens (full-width, as Chinese documents write it), 1. 1).
 */
static void
list_label(const struct doc_node *list, int number, char *label, size_t size)
{
	struct buf b = BUF_INIT;
	const char *style = list->info ? list->info : "Decimal";
	int parens = (list->flags & DOC_PARENS) != 0, paren = (list->flags & DOC_PAREN) != 0;

	if (parens)
		buf_puts(&b, "（");
	if ((strcmp(style, "LowerAlpha") == 0 || strcmp(style, "UpperAlpha") == 0) &&
	    number >= 1 && number <= 26)
		buf_putc(&b, (char)((style[0] == 'L' ? 'a' : 'A') + number - 1));
	else if (strcmp(style, "CJKDecimal") == 0)
		cjk_number(number, &b);
	else
		buf_printf(&b, "%d", number);
	if (parens)
		buf_puts(&b, "）");
	else if (paren)
		buf_puts(&b, strcmp(style, "CJKDecimal") == 0 ? "）" : ")");
	else if (strcmp(style, "CJKDecimal") == 0 || doc_attr_has_class(&list->attr, "comma"))
		buf_puts(&b, "、");
	else
		buf_putc(&b, '.');
	snprintf(label, size, "%s", buf_str(&b));
	buf_free(&b);
}

static void
set_list(struct layout *lo, const struct doc_node *list, const struct lay_region *r)
{
	const struct lay_page_style *ps = lo->ps;
	double x0 = r->x0;
	struct look body = r->body;
	struct lay_region in = *r;
	const struct doc_node *item;
	double hang = 2 * ps->size;
	int number = list->num;
	char label[64];

	/* A wide label (（一）, （12）) hangs in three ems. */
	if ((list->flags & DOC_ORDERED) && ((list->flags & DOC_PARENS) ||
	    (list->info && strcmp(list->info, "CJKDecimal") == 0)))
		hang = 3 * ps->size;
	in.x0 += hang;
	in.measure -= hang;
	in.depth++;
	for (item = list->first; item != NULL; item = item->next, number++) {
		struct lay_label lab;
		if (list->flags & DOC_ORDERED)
			list_label(list, number, label, sizeof(label));
		else
			snprintf(label, sizeof(label), "%s",
			    doc_attr_has_class(&list->attr, "dash") ? "——" : "•");
		/* A dash label is the Chinese 破折号: set it in the CJK font. */
		struct lay_run run = { label, strlen(label), body.cjk,
		    list->flags & DOC_ORDERED ? body.latin : body.cjk, ps->size, 0, 0, NULL, 0 };
		struct lay_para_style st = { hang, 0, (enum lay_punct)ps->punct, 0,
		    lo->file, lo->fallback, lo->nfallback, lo->text, 0 };
		memset(&lab, 0, sizeof(lab));
		lab.x0 = x0;
		lay_para_set(&run, 1, &st, &lab.para);
		/*
		 * The first thing the item sets takes the label, whatever it is (a
		 * paragraph, code, a table, a nested list's first item, which takes
		 * its own too): the distributor sets it beside its first line, or
		 * its image, wherever that goes.
		 */
		lay_flow_label(lo, &lab);
		lay_set_blocks(lo, item->first, &in);
		lay_flow_labels_drop(lo);	/* an item that set nothing */
	}
}

/*
 * A code block: each of its lines set on its own (wrapped when longer than the
 * measure, a blank one left empty) and all of them placed as one fragment,
 * which breaks across pages by the widow and orphan rules as text does.
 */
static void
set_code(struct layout *lo, const struct doc_node *n, double x0, double measure, struct look f,
    unsigned given)
{
	const struct lay_page_style *ps = lo->ps;
	struct lay_frag frag;
	struct lay_para_style st = { measure - ps->size, 0, (enum lay_punct)ps->punct, 0,
	    lo->file, lo->fallback, lo->nfallback, lo->text, ps->hang_punct };
	const char *s = n->text, *nl;
	size_t cap = 0;
	double space = font_advance(f.latin, font_glyph(f.latin, ' ')) * ps->size * 0.9 /
	    font_units_per_em(f.latin);

	memset(&frag, 0, sizeof(frag));
	frag.x0 = x0 + ps->size;
	frag.measure = measure - ps->size;
	frag.size = ps->size * 0.9;
	frag.pitch = ps->size * 1.3;
	/* A little air sets the code apart from the text around it; a line grid has none to give. */
	frag.before = ps->grid_chars > 0 ? 0 : ps->size * 0.5;
	frag.after = frag.before;
	frag.flags = given;
	for (; *s; s = nl + 1) {
		struct lay_para one;
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s);
		memset(&one, 0, sizeof(one));
		/*
		 * A line's leading blanks are its indent (a tab to the next of every
		 * four columns): the breaker drops blanks at a line's start.
		 */
		const char *text = s;
		int cols = 0;
		for (; text < nl && (*text == ' ' || *text == '\t'); text++)
			cols = *text == '\t' ? (cols / 4 + 1) * 4 : cols + 1;
		st.indent = cols * space;
		if (nl > text) {
			lay_add_run(lo, text, (size_t)(nl - text), f, ps->size * 0.9, n->line);
			lay_para_set(lo->runs, lo->nruns, &st, &one);
			lo->nruns = 0;
		}
		/* The lines move into the fragment's paragraph, glyphs and all; a blank line is one without glyphs. */
		frag.para.lines = mem_grow(frag.para.lines, &cap, frag.para.nlines +
		    (one.nlines ? one.nlines : 1), sizeof(*frag.para.lines));
		if (one.nlines == 0)
			memset(&frag.para.lines[frag.para.nlines++], 0, sizeof(*frag.para.lines));
		for (size_t k = 0; k < one.nlines; k++)
			frag.para.lines[frag.para.nlines++] = one.lines[k];
		free(one.lines);
		if (*nl == '\0')
			break;
	}
	if (frag.para.nlines == 0) {
		free(frag.para.lines);
		return;
	}
	lay_flow_frag(lo, ITEM_FRAG, &frag, 0);
}

/* Which n columns a Div asks for with a class .columns-N (2 to 4), or 0. */
static int
columns_of(const struct doc_node *div)
{
	for (int k = 2; k <= 4; k++) {
		char cls[32];
		snprintf(cls, sizeof(cls), "columns-%d", k);
		if (doc_attr_has_class(&div->attr, cls))
			return k;
	}
	return 0;
}

const struct doc_node *
lay_set_block(struct layout *lo, const struct doc_node *n, const struct lay_region *r)
{
	const struct lay_page_style *ps = lo->ps;
	double pitch = ps->size * ps->leading, x0 = r->x0, measure = r->measure;
	struct look body = r->body, f = body;
	int depth = r->depth;
	/* What the region gives its paragraphs besides their own flags. */
	int given = (int)(r->flags & LAY_UNNUMBERED);
	struct lay_region in = *r;

	lo->file = doc_node_file(lo->doc, n);
	switch (n->type) {
	case DOC_PARA:
		if (doc_attr_has_class(&n->attr, "index-entry")) {
			lay_set_toc_entry(lo, n, r);
			break;
		}
		if (doc_attr_has_class(&n->attr, "index-letter") ||
		    doc_attr_has_class(&n->attr, "index-title")) {
			/* An index's part title (centred) and group letters, kept with what follows. */
			/* The index, like the contents, is no text: no line numbers. */
			lay_collect_runs(lo, n, body, ps->size, n->line);
			lay_flush_paragraph(lo, x0, measure, 0, ps->size, pitch, LAY_UNNUMBERED |
			    (doc_attr_has_class(&n->attr, "index-title") ? LAY_CENTRE : 0), 1);
			break;
		}
		if (doc_attr_has_class(&n->attr, "byline")) {
			/* An article's author and date, centred under its title in 楷体. */
			if ((f.cjk = lay_get_font(lo, ps->cjk_kai, 0, 0)) == NULL)
				break;
			struct lay_frag frag;
			memset(&frag, 0, sizeof(frag));
			lay_collect_runs(lo, n, f, ps->size, n->line);
			frag.x0 = x0;
			frag.measure = measure;
			frag.size = ps->size;
			frag.pitch = pitch;
			frag.after = ps->size * 0.5;
			frag.flags = LAY_CENTRE | (unsigned)given;
			lay_flow_paragraph(lo, &frag, 0, 1);
			break;
		}
		lay_collect_runs(lo, n, body, ps->size, n->line);
		if (r->flags & LAY_RIGHT) {
			/* A closing 署名 or 日期 line (Div .signature), flush right, unjustified. */
			lay_flush_paragraph(lo, x0, measure, 0, ps->size, pitch, LAY_RIGHT | given, 0);
			break;
		}
		lay_flush_paragraph(lo, x0, measure, depth == 0 ? ps->indent * ps->size : 0,
		    ps->size, pitch, LAY_JUSTIFY | (depth == 0 ? LAY_CHAIN : 0) | given, 0);
		break;
	case DOC_HEADING:
		set_heading(lo, n, x0, measure, (unsigned)given);
		break;
	case DOC_BLOCKQUOTE:
		f.cjk = lay_get_font(lo, ps->cjk_kai, 0, 0);
		f.latin = body.latin;
		in.x0 += 2 * ps->size;
		in.measure -= 4 * ps->size;
		in.body = f;
		in.depth++;
		if (f.cjk)
			lay_set_blocks(lo, n->first, &in);
		break;
	case DOC_LIST:
		set_list(lo, n, r);
		break;
	case DOC_CODEBLOCK:
		f.cjk = body.cjk;
		f.latin = lay_get_font(lo, ps->mono, 0, 0);
		if (f.latin)
			set_code(lo, n, x0, measure, f, (unsigned)given);
		break;
	case DOC_HR: {
		/* A rule half the measure wide, centred in a line's room. */
		struct lay_frag frag;
		memset(&frag, 0, sizeof(frag));
		frag.pitch = pitch;
		frag.flags = LAY_UNNUMBERED;
		frag.head.kind = BOX_RULE;
		frag.head.x = x0 + measure / 4;
		frag.head.y = pitch / 2;
		frag.head.w = measure / 2;
		frag.head.h = 0.5;
		frag.head_room = pitch;
		lay_flow_frag(lo, ITEM_TOGETHER, &frag, 0);
		break;
	}
	case DOC_DIV: {
		size_t open = lo->flow.n;
		int ncols = columns_of(n);
		if (n->attr.id)
			lay_flow_add(lo, ITEM_OPEN);
		if (doc_attr_has_class(&n->attr, "page-break"))
			lay_flow_add(lo, ITEM_BREAK)->flags = doc_attr_has_class(&n->attr, "recto") ?
			    ITEM_RECTO : 0;
		else if (doc_attr_has_class(&n->attr, "toc-entry"))
			lay_set_toc_entry(lo, n, r);
		else if (doc_attr_has_class(&n->attr, "toc-group"))
			lay_set_toc_group(lo, n, x0, measure, body);
		else if (ncols > 0 && !lo->in_columns)
			lay_set_columns(lo, n, ncols, r);
		else if (doc_attr_has_class(&n->attr, "keep")) {
			size_t keep = lo->flow.n;
			lay_flow_add(lo, ITEM_KEEP);
			lay_set_blocks(lo, n->first, r);
			lo->flow.v[keep].count = lo->flow.n - keep - 1;
		} else if (doc_attr_has_class(&n->attr, "signature")) {
			/* Closing lines, a blank line under the text, each flush right. */
			lay_flow_settle(lo, 0);
			lay_flow_add(lo, ITEM_SPACE)->length = pitch;
			in.flags |= LAY_RIGHT;
			lay_set_blocks(lo, n->first, &in);
		} else
			lay_set_blocks(lo, n->first, r);
		if (n->attr.id) {
			struct lay_item *it = lay_flow_add(lo, ITEM_ANCHOR);
			it->count = lo->flow.n - 1 - open;
			it->f.id = n->attr.id;
			it->f.above = ps->size;
		}
		break;
	}
	case DOC_TABLE: {
		const struct doc_node *notes = n->next;
		struct lay_table *t;
		if (notes && (notes->type != DOC_DIV ||
		    !doc_attr_has_class(&notes->attr, "table-notes")))
			notes = NULL;
		if ((t = lay_table_shape(lo, n, notes, x0, measure, body)) != NULL)
			lay_flow_add(lo, ITEM_TABLE)->table = t;
		if (notes)
			n = n->next;
		break;
	}
	case DOC_FIGURE:
		lay_set_figure(lo, n, r);
		break;
	case DOC_DEFLIST:
		/* Each term in bold, kept with its definitions, which are indented by 2 em. */
		for (const struct doc_node *item = n->first; item != NULL; item = item->next)
			for (const struct doc_node *d = item->first; d != NULL; d = d->next) {
				if (d->type != DOC_TERM) {
					struct lay_region def = *r;
					def.x0 += 2 * ps->size;
					def.measure -= 2 * ps->size;
					def.depth++;
					lay_set_blocks(lo, d->first, &def);
					continue;
				}
				f.cjk = lay_get_font(lo, font_family(body.cjk), 1, 0);
				f.latin = lay_get_font(lo, font_family(body.latin), 1, 0);
				if (f.cjk == NULL || f.latin == NULL)
					break;
				lay_collect_runs(lo, d, f, ps->size, d->line ? d->line : n->line);
				lay_flush_paragraph(lo, x0, measure, 0, ps->size, pitch, given, 1);
			}
		break;
	case DOC_RAWBLOCK:
		break;	/* raw HTML has no place on paper */
	case DOC_FOOTNOTE:
		break;	/* set at the foot of the page that refers to it */
	case DOC_DOCUMENT:
	case DOC_ITEM:
	case DOC_ROW:
	case DOC_CELL:
	case DOC_CAPTION:
	case DOC_DEFITEM:
	case DOC_TERM:
	case DOC_DEFINITION:
		break;	/* rows, cells, captions and terms are set by what holds them */
	case DOC_TEXT:
	case DOC_EMPH:
	case DOC_STRONG:
	case DOC_STRIKE:
	case DOC_SUPERSCRIPT:
	case DOC_SUBSCRIPT:
	case DOC_CODE:
	case DOC_LINK:
	case DOC_IMAGE:
	case DOC_SOFTBREAK:
	case DOC_LINEBREAK:
	case DOC_RAWINLINE:
	case DOC_NOTEREF:
	case DOC_SPAN:
		break;	/* inlines are set by the block that holds them */
	}
	return n;
}

void
lay_set_blocks(struct layout *lo, const struct doc_node *first, const struct lay_region *r)
{
	const struct doc_node *n;

	for (n = first; n != NULL && !lo->failed; n = n->next)
		n = lay_set_block(lo, n, r);
}

