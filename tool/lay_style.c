/* The page style: page.yaml's keys, read over the defaults into a struct lay_page_style. */
#include "lay.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "fs.h"
#include "lay_int.h"
#include "mem.h"
#include "meta.h"
#include "msg.h"
#include "schema.h"

static const struct {
	const char	*name;
	double		 w, h;	/* mm */
} papers[] = {
	{ "A4", 210, 297 }, { "A5", 148, 210 }, { "B5", 176, 250 },
	{ "A3", 297, 420 }, { "letter", 215.9, 279.4 },
};

void
lay_note_font_place(struct lay_page_style *ps, const char *family, const char *path,
    const struct meta *m)
{
	ps->font_places = mem_realloc(ps->font_places,
	    (ps->nfont_places + 1) * sizeof(*ps->font_places));
	ps->font_places[ps->nfont_places++] = (struct lay_font_place){
	    mem_strdup(family), mem_strdup(path), m->line, m->col };
}

/* Applies the keys of one page.yaml, which schema_check() has found good, to ps. */
static void
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
		{ "header-size", offsetof(struct lay_page_style, header_size) },
		{ "footer-size", offsetof(struct lay_page_style, footer_size) },
		{ "header-gap", offsetof(struct lay_page_style, header_gap) },
		{ "footer-gap", offsetof(struct lay_page_style, footer_gap) },
		{ "footnote-size", offsetof(struct lay_page_style, footnote_size) },
		{ "table-size", offsetof(struct lay_page_style, table_size) },
		{ "table-min-size", offsetof(struct lay_page_style, table_min_size) },
		{ "toc-title-size", offsetof(struct lay_page_style, toc_title_size) },
		{ "column-rule", offsetof(struct lay_page_style, column_rule) },
		{ "line-number-size", offsetof(struct lay_page_style, line_number_size) },
		{ "line-number-gap", offsetof(struct lay_page_style, line_number_gap) },
		{ "draft-mark-size", offsetof(struct lay_page_style, draft_mark_size) },
	}, numbers[] = {
		{ "leading", offsetof(struct lay_page_style, leading) },
		{ "indent", offsetof(struct lay_page_style, indent) },
		{ "inset", offsetof(struct lay_page_style, inset) },
		{ "image-dpi", offsetof(struct lay_page_style, image_dpi) },
	}, strings[] = {
		{ "font-cjk", offsetof(struct lay_page_style, cjk) },
		{ "font-latin", offsetof(struct lay_page_style, latin) },
		{ "font-cjk-heading", offsetof(struct lay_page_style, cjk_sans) },
		{ "font-latin-heading", offsetof(struct lay_page_style, latin_sans) },
		{ "font-cjk-emphasis", offsetof(struct lay_page_style, cjk_kai) },
		{ "font-mono", offsetof(struct lay_page_style, mono) },
		{ "font-cjk-running", offsetof(struct lay_page_style, cjk_running) },
		{ "header", offsetof(struct lay_page_style, header) },
		{ "footer", offsetof(struct lay_page_style, footer) },
		{ "draft-mark", offsetof(struct lay_page_style, draft_mark) },
		{ "draft-mark-if", offsetof(struct lay_page_style, draft_mark_if) },
	};
	/* The choice's index in schema.c's table, plus base, is the field's enum. */
	static const struct {
		const char	*key;
		size_t		 offset;
		int		 base;
	} choices[] = {
		{ "punctuation", offsetof(struct lay_page_style, punct), 0 },
		{ "punctuation-hang", offsetof(struct lay_page_style, hang_punct), 0 },
		{ "header-align", offsetof(struct lay_page_style, header_align), 0 },
		{ "footer-align", offsetof(struct lay_page_style, footer_align), 0 },
		{ "first-page", offsetof(struct lay_page_style, first_page), 0 },
		{ "front-matter", offsetof(struct lay_page_style, front_roman), 0 },
		{ "header-rule", offsetof(struct lay_page_style, header_rule), 0 },
		{ "heading-weight", offsetof(struct lay_page_style, heading_bold), 0 },
		{ "footnote-numbering", offsetof(struct lay_page_style, footnote_per_page), 0 },
		{ "chapter-start", offsetof(struct lay_page_style, chapter_start), 0 },
		{ "table-rules", offsetof(struct lay_page_style, table_rules), 0 },
		{ "table-width", offsetof(struct lay_page_style, table_natural), 0 },
		/* Margins take no centred numbers: the choices start at outside. */
		{ "line-number-side", offsetof(struct lay_page_style, line_number_side), ALIGN_OUTSIDE },
		{ "draft-mark-align", offsetof(struct lay_page_style, draft_mark_align), 0 },
	};
	const struct meta *m, *c;
	struct buf text = BUF_INIT;
	size_t i, k;

	for (m = map->first; m != NULL; m = m->next) {
		const char *str = m->type == META_STRING || m->type == META_BOOL ? m->str : NULL;
		for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
			if (strcmp(m->key, lengths[i].key) == 0)
				*(double *)((char *)ps + lengths[i].offset) = schema_length(str);
		for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
			if (strcmp(m->key, numbers[i].key) == 0)
				*(double *)((char *)ps + numbers[i].offset) = strtod(str, NULL);
		for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
			if (strcmp(m->key, strings[i].key) == 0) {
				char **slot = (char **)((char *)ps + strings[i].offset);
				/* A font key may list families, the first installed one used: kept as "A, B". */
				str = schema_text(m, &text);
				free(*slot);
				*slot = *str == '\0' ? NULL : mem_strdup(str);
				if (strncmp(m->key, "font-", 5) == 0)
					lay_note_font_place(ps, str, path, m);
			}
		for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
			if (strcmp(m->key, choices[i].key) == 0)
				*(int *)((char *)ps + choices[i].offset) =
				    schema_choice(SCHEMA_PAGE, m->key, str) + choices[i].base;
		if (strcmp(m->key, "line-numbers") == 0)
			ps->line_numbers = lay_line_numbers_value(m);
		if (strcmp(m->key, "paper") == 0)
			for (i = 0; i < sizeof(papers) / sizeof(papers[0]); i++)
				if (strcmp(str, papers[i].name) == 0) {
					ps->width = papers[i].w * 72 / 25.4;
					ps->height = papers[i].h * 72 / 25.4;
				}
		if (strcmp(m->key, "grid") == 0)
			sscanf(str, "%d x %d", &ps->grid_chars, &ps->grid_lines);
		if (strcmp(m->key, "font-fallback") == 0) {
			for (k = 0; k < ps->nfallback; k++)
				free(ps->fallback[k]);
			ps->nfallback = 0;
			for (c = m->first; c; c = c->next) {
				ps->fallback = mem_realloc(ps->fallback,
				    (ps->nfallback + 1) * sizeof(*ps->fallback));
				ps->fallback[ps->nfallback++] = mem_strdup(c->str);
				lay_note_font_place(ps, c->str, path, c);
			}
		}
		if (strcmp(m->key, "heading-sizes") == 0)
			for (c = m->first, k = 0; c && k < 6; c = c->next, k++)
				ps->heading_size[k] = schema_length(c->str);
		if (strcmp(m->key, "heading-faces") == 0)
			for (c = m->first, k = 0; c && k < 6; c = c->next, k++)
				ps->heading_face[k] = schema_choice(SCHEMA_PAGE, m->key, c->str);
		lay_cover_key(path, m, ps);	/* covers and the first-page head: lay_cover.c */
	}
	buf_free(&text);
}

static int
read_page_yaml(const char *rel, struct lay_page_style *ps,
    void (*on_read)(void *dep_ctx, const char *path), void *dep_ctx)
{
	char *path = data_find(rel);
	struct buf text = BUF_INIT;
	struct meta *map;
	int rc = 0;

	if (path == NULL)
		return 0;
	if (on_read != NULL)
		on_read(dep_ctx, path);
	map = meta_new(META_MAP, NULL, 0, 0);
	if (fs_read(path, &text) == -1) {
		msg_at(MSG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		rc = -1;
	} else if (meta_parse(path, buf_str(&text), text.len, 1, map) == -1 ||
	    schema_check(SCHEMA_PAGE, path, map) == -1)
		rc = -1;
	else
		apply_page_keys(path, map, ps);
	meta_free(map);
	buf_free(&text);
	free(path);
	return rc;
}

int
lay_page_style(const char *style, struct lay_page_style *ps,
    void (*on_read)(void *dep_ctx, const char *path), void *dep_ctx)
{
	static const double sizes[6] = { 16, 14, 12, 10.5, 10.5, 10.5 };
	struct buf rel = BUF_INIT;
	int rc, i;

	memset(ps, 0, sizeof(*ps));
	ps->width = 210 * 72 / 25.4;
	ps->height = 297 * 72 / 25.4;
	ps->top = ps->bottom = ps->left = ps->right = 25 * 72 / 25.4;
	ps->cjk = mem_strdup("Noto Serif CJK SC, AR PL UMing CN");
	ps->latin = mem_strdup("Noto Serif CJK SC, Liberation Serif");
	ps->cjk_sans = mem_strdup("Noto Sans CJK SC, WenQuanYi Zen Hei");
	ps->latin_sans = mem_strdup("Noto Sans CJK SC, Liberation Sans");
	ps->cjk_kai = mem_strdup("FandolKai, AR PL UKai CN");
	ps->mono = mem_strdup("Noto Sans Mono CJK SC, Liberation Mono");
	ps->heading_bold = 1;
	ps->size = 10.5;
	ps->leading = 1.6;
	ps->image_dpi = 150;
	ps->indent = 2;
	for (i = 0; i < 6; i++)
		ps->heading_size[i] = sizes[i];
	ps->footer = mem_strdup("{page}");
	ps->header_size = ps->footer_size = 9;
	ps->header_gap = ps->footer_gap = 10 * 72 / 25.4;
	/* Near lineno's defaults: small, about 10pt left of the text. */
	ps->line_number_size = 7.5;
	ps->line_number_gap = 4 * 72 / 25.4;
	ps->line_number_side = ALIGN_LEFT;
	ps->draft_mark_align = ALIGN_INSIDE;
	rc = read_page_yaml("styles/common/page.yaml", ps, on_read, dep_ctx);
	buf_printf(&rel, "styles/%s/page.yaml", style);
	if (read_page_yaml(buf_str(&rel), ps, on_read, dep_ctx) == -1)
		rc = -1;
	/* A character grid fixes the size and the line pitch from the type area. */
	if (ps->grid_chars > 0) {
		ps->size = (ps->width - ps->left - ps->right) / ps->grid_chars;
		ps->leading = (ps->height - ps->top - ps->bottom) / ps->grid_lines / ps->size;
	}
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
	free(ps->header);
	free(ps->footer);
	free(ps->cjk_running);
	free(ps->draft_mark);
	free(ps->draft_mark_if);
	for (size_t i = 0; i < ps->nfallback; i++)
		free(ps->fallback[i]);
	free(ps->fallback);
	for (size_t i = 0; i < ps->nfont_places; i++) {
		free(ps->font_places[i].family);
		free(ps->font_places[i].file);
	}
	free(ps->font_places);
	lay_cover_free(ps);
}
