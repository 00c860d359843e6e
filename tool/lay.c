/* Page layout: the document model set into pages of positioned boxes, independent of any device. */
#include "lay.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "fs.h"
#include "lay_para.h"
#include "mem.h"
#include "meta.h"
#include "msg.h"
#include "utf8.h"

/* Chinese type sizes (号数), as CTeX, Word and WPS use them. */
static const struct {
	const char	*name;
	double		 pt;
} hao[] = {
	{ "初号", 42 }, { "小初", 36 }, { "一号", 26 }, { "小一", 24 },
	{ "二号", 22 }, { "小二", 18 }, { "三号", 16 }, { "小三", 15 },
	{ "四号", 14 }, { "小四", 12 }, { "五号", 10.5 }, { "小五", 9 },
	{ "六号", 7.5 }, { "七号", 5.5 },
};

double
lay_length(const char *s)
{
	char *end;
	double v;
	size_t i;

	for (i = 0; i < sizeof(hao) / sizeof(hao[0]); i++)
		if (strcmp(s, hao[i].name) == 0)
			return hao[i].pt;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0)
		return -1;
	while (*end == ' ')
		end++;
	if (strcmp(end, "pt") == 0 || *end == '\0')
		return v;
	if (strcmp(end, "mm") == 0)
		return v * 72 / 25.4;
	if (strcmp(end, "cm") == 0)
		return v * 72 / 2.54;
	if (strcmp(end, "in") == 0)
		return v * 72;
	return -1;
}

static const struct {
	const char	*name;
	double		 w, h;	/* mm */
} papers[] = {
	{ "A4", 210, 297 }, { "A5", 148, 210 }, { "B5", 176, 250 },
	{ "A3", 297, 420 }, { "letter", 215.9, 279.4 },
};

/* Applies the keys of one page.yaml to ps; reports bad values at their line. */
static int
apply_page_keys(const char *path, const struct meta *map, struct lay_page_style *ps)
{
	static const struct {
		const char	*key;
		size_t		 offset;
	} lengths[] = {
		{ "margin-top", offsetof(struct lay_page_style, top) },
		{ "margin-bottom", offsetof(struct lay_page_style, bottom) },
		{ "margin-left", offsetof(struct lay_page_style, left) },
		{ "margin-right", offsetof(struct lay_page_style, right) },
		{ "size", offsetof(struct lay_page_style, size) },
	}, numbers[] = {
		{ "leading", offsetof(struct lay_page_style, leading) },
		{ "indent", offsetof(struct lay_page_style, indent) },
	}, fonts[] = {
		{ "font-cjk", offsetof(struct lay_page_style, cjk) },
		{ "font-latin", offsetof(struct lay_page_style, latin) },
		{ "font-cjk-heading", offsetof(struct lay_page_style, cjk_sans) },
		{ "font-latin-heading", offsetof(struct lay_page_style, latin_sans) },
		{ "font-cjk-emphasis", offsetof(struct lay_page_style, cjk_kai) },
		{ "font-mono", offsetof(struct lay_page_style, mono) },
	};
	const struct meta *m, *c;
	size_t i;
	int rc = 0, k;
	double v;

	for (m = map->first; m != NULL; m = m->next) {
		const char *str = m->type == META_STRING ? m->str : NULL;
		int known = 0;
		for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
			if (strcmp(m->key, lengths[i].key) == 0) {
				known = 1;
				if (str == NULL || (v = lay_length(str)) < 0) {
					msg_at(MSG_ERROR, path, m->line, m->col,
					    "'%s' must be a length such as 25mm, 12pt or 五号", m->key);
					rc = -1;
				} else
					*(double *)((char *)ps + lengths[i].offset) = v;
			}
		for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
			if (strcmp(m->key, numbers[i].key) == 0) {
				char *end = NULL;
				known = 1;
				v = str ? strtod(str, &end) : -1;
				if (str == NULL || end == str || *end != '\0' || v < 0) {
					msg_at(MSG_ERROR, path, m->line, m->col,
					    "'%s' must be a number", m->key);
					rc = -1;
				} else
					*(double *)((char *)ps + numbers[i].offset) = v;
			}
		for (i = 0; i < sizeof(fonts) / sizeof(fonts[0]); i++)
			if (strcmp(m->key, fonts[i].key) == 0) {
				char **slot = (char **)((char *)ps + fonts[i].offset);
				known = 1;
				if (str == NULL || *str == '\0') {
					msg_at(MSG_ERROR, path, m->line, m->col,
					    "'%s' must name a font family", m->key);
					rc = -1;
				} else {
					free(*slot);
					*slot = mem_strdup(str);
				}
			}
		if (strcmp(m->key, "paper") == 0) {
			known = 1;
			for (i = 0; str && i < sizeof(papers) / sizeof(papers[0]); i++)
				if (strcmp(str, papers[i].name) == 0)
					break;
			if (str == NULL || i == sizeof(papers) / sizeof(papers[0])) {
				msg_at(MSG_ERROR, path, m->line, m->col,
				    "'paper' must be A4, A5, B5, A3 or letter");
				rc = -1;
			} else {
				ps->width = papers[i].w * 72 / 25.4;
				ps->height = papers[i].h * 72 / 25.4;
			}
		}
		if (strcmp(m->key, "punctuation") == 0) {
			known = 1;
			if (str && strcmp(str, "quanjiao") == 0)
				ps->punct = PUNCT_QUANJIAO;
			else if (str && strcmp(str, "kaiming") == 0)
				ps->punct = PUNCT_KAIMING;
			else if (str && strcmp(str, "banjiao") == 0)
				ps->punct = PUNCT_BANJIAO;
			else {
				msg_at(MSG_ERROR, path, m->line, m->col,
				    "'punctuation' must be quanjiao, kaiming or banjiao");
				rc = -1;
			}
		}
		if (strcmp(m->key, "heading-sizes") == 0) {
			known = 1;
			for (c = m->type == META_LIST ? m->first : NULL, k = 0; c && k < 6;
			    c = c->next, k++) {
				if (c->type != META_STRING || (v = lay_length(c->str)) < 0) {
					msg_at(MSG_ERROR, path, c->line, c->col,
					    "a heading size must be a length such as 三号 or 16pt");
					rc = -1;
				} else
					ps->heading_size[k] = v;
			}
		}
		if (!known)
			msg_at(MSG_WARNING, path, m->line, m->col,
			    "unknown page-style key '%s'", m->key);
	}
	return rc;
}

static int
read_page_yaml(const char *rel, struct lay_page_style *ps)
{
	char *path = data_find(rel);
	struct buf text = BUF_INIT;
	struct meta *map;
	int rc = 0;

	if (path == NULL)
		return 0;
	map = meta_new(META_MAP, NULL, 0, 0);
	if (fs_read(path, &text) == -1) {
		msg_at(MSG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		rc = -1;
	} else if (meta_parse(path, buf_str(&text), text.len, 1, map) == -1 ||
	    apply_page_keys(path, map, ps) == -1)
		rc = -1;
	meta_free(map);
	buf_free(&text);
	free(path);
	return rc;
}

int
lay_page_style(const char *style, struct lay_page_style *ps)
{
	static const double sizes[6] = { 16, 14, 12, 10.5, 10.5, 10.5 };
	struct buf rel = BUF_INIT;
	int rc, i;

	memset(ps, 0, sizeof(*ps));
	ps->width = 210 * 72 / 25.4;
	ps->height = 297 * 72 / 25.4;
	ps->top = ps->bottom = ps->left = ps->right = 25 * 72 / 25.4;
	ps->cjk = mem_strdup("AR PL UMing CN");
	ps->latin = mem_strdup("Liberation Serif");
	ps->cjk_sans = mem_strdup("WenQuanYi Zen Hei");
	ps->latin_sans = mem_strdup("Liberation Sans");
	ps->cjk_kai = mem_strdup("AR PL UKai CN");
	ps->mono = mem_strdup("Liberation Mono");
	ps->size = 10.5;
	ps->leading = 1.6;
	ps->indent = 2;
	for (i = 0; i < 6; i++)
		ps->heading_size[i] = sizes[i];
	rc = read_page_yaml("styles/common/page.yaml", ps);
	buf_printf(&rel, "styles/%s/page.yaml", style);
	if (read_page_yaml(buf_str(&rel), ps) == -1)
		rc = -1;
	buf_free(&rel);
	return rc;
}

void
lay_page_style_free(struct lay_page_style *ps)
{
	free(ps->cjk);
	free(ps->latin);
	free(ps->cjk_sans);
	free(ps->latin_sans);
	free(ps->cjk_kai);
	free(ps->mono);
}

/* ---- setting blocks ----------------------------------------------------- */

struct fonts {
	struct font	*cjk, *latin;
};

struct layout {
	const struct doc		*doc;
	const struct lay_page_style	*ps;
	struct font_set			*set;
	struct lay_doc			*out;
	double				 y;		/* next baseline's top, from the page top */
	int				 page;
	int				 failed;
	int				 skipped;	/* blocks not typeset yet (tables, figures, notes) */
	int				 skipped_line;
	struct lay_run			*runs;
	size_t				 nruns, cap;
};

static struct font *
get_font(struct layout *lo, const char *family, int bold, int italic)
{
	struct font *f = font_get(lo->set, family, bold, italic, NULL, 0);

	if (f == NULL)
		lo->failed = 1;
	return f;
}

static void
add_run(struct layout *lo, const char *text, size_t len, struct fonts f, double size, int line)
{
	lo->runs = mem_grow(lo->runs, &lo->cap, lo->nruns + 1, sizeof(*lo->runs));
	lo->runs[lo->nruns++] = (struct lay_run){ text, len, f.cjk, f.latin, size, line };
}

/* Flattens inlines into runs: strong is bold, emphasis 楷体 and italic, code monospaced. */
static void
collect_runs(struct layout *lo, const struct doc_node *n, struct fonts f,
    double size, int line)
{
	const struct lay_page_style *ps = lo->ps;
	const struct doc_node *c;
	struct fonts g = f;

	for (c = n->first; c != NULL; c = c->next) {
		switch (c->type) {
		case DOC_TEXT:
			add_run(lo, c->text, strlen(c->text), f, size, line);
			break;
		case DOC_SOFTBREAK:
		case DOC_LINEBREAK:
			add_run(lo, " ", 1, f, size, line);
			break;
		case DOC_CODE:
			g.latin = get_font(lo, ps->mono, 0, 0);
			g.cjk = f.cjk;
			add_run(lo, c->text, strlen(c->text), g, size, line);
			break;
		case DOC_STRONG:
			g.cjk = get_font(lo, font_family(f.cjk), 1, 0);
			g.latin = get_font(lo, font_family(f.latin), 1, 0);
			if (g.cjk && g.latin)
				collect_runs(lo, c, g, size, line);
			break;
		case DOC_EMPH:
			g.cjk = get_font(lo, ps->cjk_kai, 0, 0);
			g.latin = get_font(lo, font_family(f.latin), 0, 1);
			if (g.cjk && g.latin)
				collect_runs(lo, c, g, size, line);
			break;
		case DOC_STRIKE:
		case DOC_LINK:
		case DOC_SPAN:
		case DOC_IMAGE:
			collect_runs(lo, c, f, size, line);
			break;
		default:
			break;	/* raw HTML has no place on paper; notes come with the footnote work */
		}
	}
}

static void
new_page(struct layout *lo)
{
	lo->page++;
	lo->y = lo->ps->top;
	if (lo->page > lo->out->pages)
		lo->out->pages = lo->page;
}

/* Returns a new zeroed box on the current page. */
static struct lay_box *
new_box(struct layout *lo, enum lay_box_kind kind)
{
	struct lay_doc *out = lo->out;
	struct lay_box *b;

	out->boxes = mem_realloc(out->boxes, (out->n + 1) * sizeof(*out->boxes));
	b = &out->boxes[out->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->page = lo->page;
	return b;
}

static void
add_rule(struct layout *lo, double x, double y, double w, double h)
{
	struct lay_box *b = new_box(lo, BOX_RULE);

	b->x = x;
	b->y = y;
	b->w = w;
	b->h = h;
}

static void
add_glyph_box(struct layout *lo, const struct lay_line *line, size_t from, size_t to,
    double x0, double baseline)
{
	struct lay_box *b = new_box(lo, BOX_GLYPHS);
	size_t i;

	b->font = line->glyphs[from].font;
	b->size = line->glyphs[from].size;
	b->fake_bold = font_fake_bold(b->font);
	b->n = to - from;
	b->gids = mem_alloc(b->n * sizeof(*b->gids));
	b->cps = mem_alloc(b->n * sizeof(*b->cps));
	b->xs = mem_alloc(b->n * sizeof(*b->xs));
	for (i = from; i < to; i++) {
		b->gids[i - from] = line->glyphs[i].gid;
		b->cps[i - from] = line->glyphs[i].cp;
		b->xs[i - from] = x0 + line->glyphs[i].x;
	}
	b->x = b->xs[0];
	b->y = baseline;
}

/* Places one line: glyphs of the same font and size become one box. */
static void
place_line(struct layout *lo, const struct lay_line *line, double x0, double pitch,
    double size)
{
	double baseline = lo->y + size * 0.88 + (pitch - size) / 2;
	size_t i, from = 0;

	for (i = 1; i <= line->n; i++)
		if (i == line->n || line->glyphs[i].font != line->glyphs[from].font ||
		    line->glyphs[i].size != line->glyphs[from].size) {
			if (i > from)
				add_glyph_box(lo, line, from, i, x0, baseline);
			from = i;
		}
	lo->y += pitch;
}

static double
bottom(const struct layout *lo)
{
	return lo->ps->height - lo->ps->bottom;
}

/*
 * Sets the runs collected so far as a paragraph and places its lines, keeping
 * two lines together at a page's foot and head (孤行不成页).  keep_next asks
 * for room for two more body lines after it (headings).
 */
static void
flush_paragraph(struct layout *lo, double x0, double measure, double indent,
    double size, double pitch, int justify, int keep_next)
{
	struct lay_para_style st = { measure, indent, (enum lay_punct)lo->ps->punct,
	    justify, lo->doc->source };
	struct lay_para para;
	double body_pitch = lo->ps->size * lo->ps->leading;
	size_t placed = 0, fit, take;

	if (lo->nruns == 0)
		return;
	lay_para_set(lo->runs, lo->nruns, &st, &para);
	lo->nruns = 0;
	if (keep_next && lo->y + para.nlines * pitch + 2 * body_pitch > bottom(lo) &&
	    lo->y > lo->ps->top)
		new_page(lo);
	while (placed < para.nlines) {
		size_t left = para.nlines - placed;
		fit = (size_t)floor((bottom(lo) - lo->y) / pitch + 1e-6);
		take = left;
		if (fit < left) {
			take = fit;
			if (left - take == 1 && take > 0)
				take--;		/* no last line alone at the head of a page */
			if (take < 2 && left >= 2)
				take = 0;	/* no first line alone at the foot of a page */
			if (take == 0 && lo->y <= lo->ps->top)
				take = fit > 0 ? fit : 1;	/* a page holds at least something */
		}
		for (size_t k = 0; k < take; k++)
			place_line(lo, &para.lines[placed + k], x0, pitch, size);
		placed += take;
		if (placed < para.nlines)
			new_page(lo);
	}
	lay_para_free(&para);
}

static void set_blocks(struct layout *lo, const struct doc_node *first, double x0,
    double measure, struct fonts body, int depth);

static void
set_list(struct layout *lo, const struct doc_node *list, double x0, double measure,
    struct fonts body, int depth)
{
	const struct lay_page_style *ps = lo->ps;
	const struct doc_node *item;
	double hang = 2 * ps->size;
	int number = list->num;
	char label[64];

	for (item = list->first; item != NULL; item = item->next, number++) {
		size_t before = lo->out->n;
		if (list->flags & DOC_ORDERED) {
			if (list->info && strcmp(list->info, "LowerAlpha") == 0 && number >= 1 &&
			    number <= 26)
				snprintf(label, sizeof(label), "%c%s", 'a' + number - 1,
				    list->flags & DOC_PAREN ? ")" : ".");
			else
				snprintf(label, sizeof(label), "%s%d%s",
				    list->flags & DOC_PARENS ? "(" : "", number,
				    list->flags & (DOC_PAREN | DOC_PARENS) ? ")" : ".");
		} else
			snprintf(label, sizeof(label), "%s",
			    doc_attr_has_class(&list->attr, "dash") ? "——" : "•");
		set_blocks(lo, item->first, x0 + hang, measure - hang, body, depth + 1);
		/* The label hangs in the indent, on the item's first line. */
		if (lo->out->n > before) {
			struct lay_box first = lo->out->boxes[before];
			/* A dash label is the Chinese 破折号: set it in the CJK font. */
			struct lay_run run = { label, strlen(label), body.cjk,
			    list->flags & DOC_ORDERED ? body.latin : body.cjk, ps->size, 0 };
			struct lay_para_style st = { hang, 0, (enum lay_punct)ps->punct, 0,
			    lo->doc->source };
			struct lay_para para;
			int page = lo->page;
			double y = lo->y;
			lay_para_set(&run, 1, &st, &para);
			if (para.nlines > 0) {
				lo->page = first.page;
				add_glyph_box(lo, &para.lines[0], 0, para.lines[0].n, x0, first.y);
				lo->page = page;
			}
			lo->y = y;
			lay_para_free(&para);
		}
	}
}

static void
set_blocks(struct layout *lo, const struct doc_node *first, double x0, double measure,
    struct fonts body, int depth)
{
	const struct lay_page_style *ps = lo->ps;
	const struct doc_node *n;
	double pitch = ps->size * ps->leading;
	struct fonts f;

	for (n = first; n != NULL && !lo->failed; n = n->next) {
		switch (n->type) {
		case DOC_PARA:
			collect_runs(lo, n, body, ps->size, n->line);
			flush_paragraph(lo, x0, measure, depth == 0 ? ps->indent * ps->size : 0,
			    ps->size, pitch, 1, 0);
			break;
		case DOC_HEADING: {
			double size = ps->heading_size[n->level - 1];
			const char *number = doc_attr_get(&n->attr, "number");
			f.cjk = get_font(lo, ps->cjk_sans, 0, 0);
			f.latin = get_font(lo, ps->latin_sans, 1, 0);
			if (!f.cjk || !f.latin)
				break;
			lo->y += size * 0.5;
			if (number) {
				const char *type = doc_attr_get(&n->attr, "annex-type");
				struct buf label = BUF_INIT;
				size_t len = strlen(number);
				buf_puts(&label, number);
				if (type)
					buf_printf(&label, "（%s）", type);
				/* The separator rule of the styles: none after a number's own mark. */
				if (!(len >= 3 && (strcmp(number + len - 3, "、") == 0 ||
				    strcmp(number + len - 3, "）") == 0)) && number[len - 1] != '.')
					buf_puts(&label, "\u3000");
				add_run(lo, buf_str(&label), label.len, f, size, n->line);
				collect_runs(lo, n, f, size, n->line);
				flush_paragraph(lo, x0, measure, 0, size, size * 1.5, 0, 1);
				buf_free(&label);
			} else {
				collect_runs(lo, n, f, size, n->line);
				flush_paragraph(lo, x0, measure, 0, size, size * 1.5, 0, 1);
			}
			lo->y += size * 0.25;
			break;
		}
		case DOC_BLOCKQUOTE:
			f.cjk = get_font(lo, ps->cjk_kai, 0, 0);
			f.latin = body.latin;
			if (f.cjk)
				set_blocks(lo, n->first, x0 + 2 * ps->size, measure - 4 * ps->size,
				    f, depth + 1);
			break;
		case DOC_LIST:
			set_list(lo, n, x0, measure, body, depth);
			break;
		case DOC_CODEBLOCK: {
			const char *s = n->text, *nl;
			f.cjk = body.cjk;
			f.latin = get_font(lo, ps->mono, 0, 0);
			if (!f.latin)
				break;
			for (; *s; s = nl + 1) {
				nl = strchr(s, '\n');
				if (nl == NULL)
					nl = s + strlen(s);
				if (nl > s) {
					add_run(lo, s, (size_t)(nl - s), f, ps->size * 0.9, n->line);
					flush_paragraph(lo, x0 + ps->size, measure - ps->size, 0,
					    ps->size * 0.9, ps->size * 1.3, 0, 0);
				} else
					lo->y += ps->size * 1.3;
				if (*nl == '\0')
					break;
			}
			break;
		}
		case DOC_HR:
			if (lo->y + pitch > bottom(lo))
				new_page(lo);
			add_rule(lo, x0 + measure / 4, lo->y + pitch / 2, measure / 2, 0.5);
			lo->y += pitch;
			break;
		case DOC_DIV:
			set_blocks(lo, n->first, x0, measure, body, depth);
			break;
		case DOC_RAWBLOCK:
			break;	/* raw HTML has no place on paper */
		default:
			/* Tables, figures and footnotes are typeset by the next piece of work. */
			if (lo->skipped++ == 0)
				lo->skipped_line = n->line;
			break;
		}
	}
}

int
lay_document(const struct doc *doc, const struct lay_page_style *ps,
    struct font_set *fonts, struct lay_doc *out)
{
	struct layout lo;
	struct fonts body;

	memset(out, 0, sizeof(*out));
	memset(&lo, 0, sizeof(lo));
	out->width = ps->width;
	out->height = ps->height;
	lo.doc = doc;
	lo.ps = ps;
	lo.set = fonts;
	lo.out = out;
	body.cjk = get_font(&lo, ps->cjk, 0, 0);
	body.latin = get_font(&lo, ps->latin, 0, 0);
	new_page(&lo);
	if (body.cjk && body.latin)
		set_blocks(&lo, doc->root->first, ps->left, ps->width - ps->left - ps->right,
		    body, 0);
	if (lo.skipped)
		msg_at(MSG_WARNING, doc->source, lo.skipped_line, 0,
		    "%d tables, figures or footnotes are left out of the layout: "
		    "typesetting them is not part of this version", lo.skipped);
	free(lo.runs);
	return lo.failed ? -1 : 0;
}

void
lay_doc_free(struct lay_doc *ld)
{
	size_t i;

	for (i = 0; i < ld->n; i++) {
		free(ld->boxes[i].gids);
		free(ld->boxes[i].cps);
		free(ld->boxes[i].xs);
	}
	free(ld->boxes);
	memset(ld, 0, sizeof(*ld));
}

void
lay_dump(const struct lay_doc *ld, struct buf *out)
{
	size_t i, k;
	int page = 0;
	char u[8];

	buf_printf(out, "pages %d size %.2fx%.2f\n", ld->pages, ld->width, ld->height);
	for (i = 0; i < ld->n; i++) {
		const struct lay_box *b = &ld->boxes[i];
		if (b->page != page) {
			page = b->page;
			buf_printf(out, "page %d\n", page);
		}
		if (b->kind == BOX_RULE) {
			buf_printf(out, "  rule %.2f,%.2f %.2fx%.2f\n", b->x, b->y, b->w, b->h);
			continue;
		}
		buf_printf(out, "  text %.2f,%.2f %s%s %.1f \"", b->x, b->y,
		    font_family(b->font), b->fake_bold ? " (fake bold)" :
		    font_is_bold(b->font) ? " bold" : "", b->size);
		for (k = 0; k < b->n; k++) {
			/* A visible gap (a space, ¼ em or more) shows as a space. */
			if (k > 0 && b->xs[k] - b->xs[k - 1] - font_advance(b->font,
			    b->gids[k - 1]) * b->size / font_units_per_em(b->font) > b->size / 5)
				buf_putc(out, ' ');
			buf_put(out, u, utf8_encode((int32_t)b->cps[k], u));
		}
		buf_puts(out, "\"\n");
	}
}
