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

static const char *const punct_names[] = { "quanjiao", "kaiming", "banjiao", NULL };
static const char *const align_names[] = { "center", "outside", "inside", "left", "right", NULL };
static const char *const first_page_names[] = { "same", "plain", "empty", NULL };
static const char *const front_names[] = { "arabic", "roman", "Roman", NULL };
static const char *const chapter_names[] = { "same", "new-page", "recto", NULL };
static const char *const note_numbering_names[] = { "document", "page", NULL };
static const char *const table_rule_names[] = { "three-line", "grid", NULL };
static const char *const table_width_names[] = { "full", "natural", NULL };
static const char *const bool_names[] = { "false", "true", NULL };
static const char *const weight_names[] = { "regular", "bold", NULL };
/* enum lay_heading_face */
static const char *const face_names[] = { "heading", "emphasis", "body", NULL };
/* Margins take no centred numbers: align_names without "center". */
static const char *const side_names[] = { "outside", "inside", "left", "right", NULL };

int
lay_choice(const char *str, const char *const *names)
{
	for (int k = 0; str && names[k]; k++)
		if (strcmp(str, names[k]) == 0)
			return k;
	return -1;
}

void
lay_note_font_place(struct lay_page_style *ps, const char *family, const char *path,
    const struct meta *m)
{
	ps->font_places = mem_realloc(ps->font_places,
	    (ps->nfont_places + 1) * sizeof(*ps->font_places));
	ps->font_places[ps->nfont_places++] = (struct lay_font_place){
	    mem_strdup(family), mem_strdup(path), m->line, m->col };
}

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
	static const struct {
		const char		*key;
		size_t			 offset;
		const char *const	*names;
	} choices[] = {
		{ "punctuation", offsetof(struct lay_page_style, punct), punct_names },
		{ "punctuation-hang", offsetof(struct lay_page_style, hang_punct), bool_names },
		{ "header-align", offsetof(struct lay_page_style, header_align), align_names },
		{ "footer-align", offsetof(struct lay_page_style, footer_align), align_names },
		{ "first-page", offsetof(struct lay_page_style, first_page), first_page_names },
		{ "front-matter", offsetof(struct lay_page_style, front_roman), front_names },
		{ "header-rule", offsetof(struct lay_page_style, header_rule), bool_names },
		{ "heading-weight", offsetof(struct lay_page_style, heading_bold), weight_names },
		{ "footnote-numbering", offsetof(struct lay_page_style, footnote_per_page),
		    note_numbering_names },
		{ "chapter-start", offsetof(struct lay_page_style, chapter_start), chapter_names },
		{ "table-rules", offsetof(struct lay_page_style, table_rules), table_rule_names },
		{ "table-width", offsetof(struct lay_page_style, table_natural), table_width_names },
		{ "line-number-side", offsetof(struct lay_page_style, line_number_side), side_names },
		{ "draft-mark-align", offsetof(struct lay_page_style, draft_mark_align), align_names },
	};
	const struct meta *m, *c;
	size_t i, k;
	int rc = 0, known, got;
	double v;

	for (m = map->first; m != NULL; m = m->next) {
		const char *str = m->type == META_STRING || m->type == META_BOOL ? m->str : NULL;
		known = 0;
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
		for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
			if (strcmp(m->key, strings[i].key) == 0) {
				char **slot = (char **)((char *)ps + strings[i].offset);
				int optional = strncmp(m->key, "font-", 5) != 0;
				struct buf list = BUF_INIT;
				known = 1;
				/* A font key may list families, the first installed one used: kept as "A, B". */
				if (!optional && m->type == META_LIST) {
					for (c = m->first; c; c = c->next) {
						if (c->type != META_STRING || *c->str == '\0' ||
						    strchr(c->str, ',') != NULL) {
							list.len = 0;
							break;
						}
						buf_printf(&list, "%s%s", list.len ? ", " : "", c->str);
					}
					str = list.len ? buf_str(&list) : NULL;
				}
				if (str == NULL || (*str == '\0' && !optional)) {
					const char *example =
					    strcmp(m->key, "draft-mark-if") == 0 ? "stage: 征求意见稿|送审稿" :
					    strcmp(m->key, "draft-mark") == 0 ? "{stage}" : "— {page} —";
					if (optional)
						msg_at(MSG_ERROR, path, m->line, m->col,
						    "'%s' must be a text such as \"%s\"", m->key, example);
					else
						msg_at(MSG_ERROR, path, m->line, m->col,
						    "'%s' must name a font family, or list families "
						    "such as [Noto Serif CJK SC, AR PL UMing CN]", m->key);
					rc = -1;
				} else {
					free(*slot);
					*slot = *str == '\0' ? NULL : mem_strdup(str);
					if (!optional)
						lay_note_font_place(ps, str, path, m);
				}
				buf_free(&list);
			}
		for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
			if (strcmp(m->key, choices[i].key) == 0) {
				const char *const *names = choices[i].names;
				int choice = lay_choice(str, names);
				known = 1;
				if (choice < 0) {
					struct buf list = BUF_INIT;
					for (k = 0; names[k]; k++)
						buf_printf(&list, "%s%s", k == 0 ? "" :
						    names[k + 1] ? ", " : " or ", names[k]);
					msg_at(MSG_ERROR, path, m->line, m->col,
					    "'%s' must be %s", m->key, buf_str(&list));
					buf_free(&list);
					rc = -1;
				} else
					*(int *)((char *)ps + choices[i].offset) =
					    names == side_names ? choice + ALIGN_OUTSIDE : choice;
			}
		if (strcmp(m->key, "line-numbers") == 0) {
			known = 1;
			if ((got = lay_line_numbers_value(m)) < 0) {
				msg_at(MSG_ERROR, path, m->line, m->col, "'line-numbers' must be true, "
				    "false or N, a number of lines from 1 to 100 (every Nth numbered)");
				rc = -1;
			} else
				ps->line_numbers = got;
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
		if (strcmp(m->key, "grid") == 0) {
			int chars = 0, lines = 0, used = 0;
			known = 1;
			if (str == NULL || sscanf(str, "%d x %d%n", &chars, &lines, &used) != 2 ||
			    str[used] != '\0' || chars < 1 || lines < 1 || chars > 200 || lines > 200) {
				msg_at(MSG_ERROR, path, m->line, m->col,
				    "'grid' must be CHARACTERS x LINES, such as 28 x 22");
				rc = -1;
			} else {
				ps->grid_chars = chars;
				ps->grid_lines = lines;
			}
		}
		if (strcmp(m->key, "font-fallback") == 0) {
			known = 1;
			for (k = 0; k < ps->nfallback; k++)
				free(ps->fallback[k]);
			ps->nfallback = 0;
			for (c = m->type == META_LIST ? m->first : NULL; c; c = c->next) {
				if (c->type != META_STRING || *c->str == '\0') {
					msg_at(MSG_ERROR, path, c->line, c->col,
					    "'font-fallback' must list font families");
					rc = -1;
					continue;
				}
				ps->fallback = mem_realloc(ps->fallback,
				    (ps->nfallback + 1) * sizeof(*ps->fallback));
				ps->fallback[ps->nfallback++] = mem_strdup(c->str);
				lay_note_font_place(ps, c->str, path, c);
			}
			if (m->type != META_LIST) {
				msg_at(MSG_ERROR, path, m->line, m->col,
				    "'font-fallback' must be a list such as [WenQuanYi Zen Hei]");
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
		if (strcmp(m->key, "heading-faces") == 0) {
			known = 1;
			for (c = m->type == META_LIST ? m->first : NULL, k = 0; c && k < 6;
			    c = c->next, k++) {
				int face = c->type == META_STRING ? lay_choice(c->str, face_names) : -1;
				if (face < 0) {
					msg_at(MSG_ERROR, path, c->line, c->col,
					    "a heading face must be heading, emphasis or body");
					rc = -1;
				} else
					ps->heading_face[k] = face;
			}
			if (m->type != META_LIST) {
				msg_at(MSG_ERROR, path, m->line, m->col, "'heading-faces' must be "
				    "a list such as [heading, emphasis, body]");
				rc = -1;
			}
		}
		if ((got = lay_cover_key(path, m, ps)) != 0) {
			known = 1;	/* covers and the first-page head: lay_cover.c */
			if (got < 0)
				rc = -1;
		}
		if (!known)
			msg_at(MSG_WARNING, path, m->line, m->col,
			    "unknown page-style key '%s'", m->key);
	}
	return rc;
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
	    apply_page_keys(path, map, ps) == -1)
		rc = -1;
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
