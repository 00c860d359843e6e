/* The configuration keys of documents and issues, in one table, and the one checker that reads it. */
#include "schema.h"

#include <string.h>

#include "msg.h"

/* What a key's value must be. */
enum type {
	T_TEXT,		/* one line of text (a YAML scalar) */
	T_TEXTS,	/* text, or a list of texts (joined when printed) */
	T_BOOL,		/* true or false */
	T_CHOICE,	/* one of the entry's choices */
	T_LIST,		/* a list */
	T_MAP,		/* a map */
	T_ANY		/* checked where it is read (toc, line-numbers) */
};

/* Where a key may stand: bits of 1 << enum schema_place. */
#define FM	(1 << SCHEMA_FRONT_MATTER)
#define IS	(1 << SCHEMA_ISSUE)
#define SE	(1 << SCHEMA_SECTION)
#define AR	(1 << SCHEMA_ARTICLE)
#define AM	(1 << SCHEMA_ARTICLE_META)
#define DOC	(FM | IS)	/* a document's key, which an issue's front matter may give too */

struct key {
	const char	*name;
	unsigned	 places;
	enum type	 type;
	const char	*choices;	/* T_CHOICE: "a|b|c" */
	const char	*dflt;		/* "" when none */
	const char	*doc;
};

static const struct key keys[] = {
	{ "title", DOC | SE | AM, T_TEXT, NULL, "", "the title (a section's, an article's: else its first heading)" },
	{ "subtitle", DOC, T_TEXT, NULL, "", "a subtitle, under the title in every style" },
	{ "author", DOC | AM, T_TEXTS, NULL, "", "a name or a list of names" },
	{ "authors", DOC, T_TEXTS, NULL, "", "as author" },
	{ "byline", AM, T_TEXT, NULL, "", "an article's byline (本刊记者　李明), instead of author" },
	{ "date", DOC | AM, T_TEXT, NULL, "", "the date; 2024-04-25 is printed 2024年4月25日" },
	{ "id", SE | AM, T_TEXT, NULL, "", "the heading's id (an article's: else its file name)" },
	{ "class", SE | AR, T_TEXTS, NULL, "", "classes of the heading (columns-2, unlisted)" },
	{ "articles", SE, T_LIST, NULL, "", "the section's articles: files, or maps of file and class" },
	{ "file", AR, T_TEXT, NULL, "", "the article's Markdown file, relative to the issue's folder" },
	{ "sections", IS, T_LIST, NULL, "", "the issue's sections, in order" },
	{ "lang", DOC, T_TEXT, NULL, "zh-CN", "the language" },
	{ "style", DOC, T_TEXT, NULL, "article", "the style (bulletin for an issue); -s overrides it" },
	{ "unsafe", FM, T_BOOL, NULL, "false", "keep raw HTML" },
	{ "comments-form", FM, T_BOOL, NULL, "false", "also write a standard's comment form" },
	{ "filters", DOC, T_TEXTS, NULL, "", "Lua filters run before the style's" },
	{ "checks", DOC, T_BOOL, NULL, "true", "run the style's document checks" },
	{ "title-block", DOC, T_BOOL, NULL, "true", "the article style's title block (false: none)" },
	{ "columns", DOC, T_CHOICE, "1|2|3|4", "1", "the whole document in this many columns" },
	{ "list-numbering", DOC, T_CHOICE, "1.|1、|一、|（一）|（1）|gongwen", "",
	    "ordered lists' numbers; gongwen: （一）, 1., （1） by depth" },
	{ "numbering", DOC, T_TEXT, NULL, "", "headings' numbers: gb, gongwen, articles or none" },
	{ "toc", DOC, T_ANY, NULL, "", "true, or {depth, figures, tables}: a contents list" },
	{ "line-numbers", DOC, T_ANY, NULL, "false", "true or N: number the PDF's lines" },
	{ "draft", DOC, T_ANY, NULL, "", "a draft class on the HTML's body" },
	{ "toc-style", DOC, T_ANY, NULL, "", "the contents list's form (read by toc.lua)" },
	{ "toc-new-page", DOC, T_ANY, NULL, "", "the contents list on a page of its own" },
	{ "subject", DOC, T_TEXT, NULL, "", "the PDF's subject" },
	{ "description", DOC, T_TEXT, NULL, "", "the PDF's subject, when subject is not given" },
	{ "keywords", DOC, T_TEXTS, NULL, "", "the PDF's keywords" },
	{ "term-bases", DOC, T_TEXTS, NULL, "", "term bases (YAML or TSV) for the terms filter" },
	{ "glossary", DOC, T_MAP, NULL, "", "{annotate: first, link: true}: uses of terms" },
	{ "terms", DOC, T_ANY, NULL, "", "the terms filter's settings" },
	{ "issue", DOC, T_TEXT, NULL, "", "bulletin: the issue (2026年 第3期)" },
	{ "serial", DOC, T_TEXT, NULL, "", "bulletin: the serial number (总第47期)" },
	{ "publisher", DOC, T_TEXT, NULL, "", "bulletin: 主办" },
	{ "editor", DOC, T_TEXT, NULL, "", "bulletin: 编印" },
	{ "permit", DOC, T_TEXT, NULL, "", "bulletin: 内部资料准印证号" },
	{ "contact", DOC, T_TEXT, NULL, "", "bulletin: the cover's contact line" },
	{ "contact-label", DOC, T_TEXT, NULL, "地址", "bulletin: the contact line's label (官网, 电话)" },
	{ "copies", DOC, T_TEXT, NULL, "", "bulletin: 印数" },
	{ "code", DOC, T_TEXT, NULL, "", "standard: the code (T/XAF 001—2026)" },
	{ "ics", DOC, T_TEXT, NULL, "", "standard: ICS" },
	{ "ccs", DOC, T_TEXT, NULL, "", "standard: CCS" },
	{ "kind", DOC, T_TEXT, NULL, "", "standard: 团体标准 …" },
	{ "replaces", DOC, T_TEXT, NULL, "", "standard: 代替 …" },
	{ "title-en", DOC, T_TEXT, NULL, "", "standard: the English title" },
	{ "stage", DOC, T_TEXT, NULL, "", "standard: 征求意见稿, 送审稿 …" },
	{ "stage-date", DOC, T_TEXT, NULL, "", "standard: the stage's date" },
	{ "issued-by", DOC, T_TEXTS, NULL, "", "standard: 发布单位" },
	{ "publish-date", DOC, T_TEXT, NULL, "", "standard: 发布日期" },
	{ "implement-date", DOC, T_TEXT, NULL, "", "standard: 实施日期" },
	{ "copy-number", DOC, T_TEXT, NULL, "", "notice: 份号" },
	{ "secret", DOC, T_TEXT, NULL, "", "notice: 密级和保密期限" },
	{ "urgency", DOC, T_TEXT, NULL, "", "notice: 紧急程度" },
	{ "issuer", DOC, T_TEXT, NULL, "", "notice: 发文机关标志 (and the red rule under it)" },
	{ "doc-number", DOC, T_TEXT, NULL, "", "notice: 发文字号" },
	{ "signer", DOC, T_TEXTS, NULL, "", "notice: 签发人" },
	{ "addressee", DOC, T_TEXT, NULL, "", "notice: 主送机关" },
	{ "attachments", DOC, T_TEXTS, NULL, "", "notice: 附件说明, numbered one a line" },
	{ "signature", DOC, T_TEXT, NULL, "", "notice: 发文机关署名" },
	{ "note", DOC, T_TEXT, NULL, "", "notice: 附注" },
	{ "cc", DOC, T_TEXTS, NULL, "", "notice: 抄送机关" },
	{ "printed-by", DOC, T_TEXT, NULL, "", "notice: 印发机关" },
	{ "printed-date", DOC, T_TEXT, NULL, "", "notice: 印发日期" },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static const char *const place_names[] = {
	"front matter", "issue.yaml", "a section", "an article", "an article's front matter"
};

static const struct {
	const char	*id, *meaning;
} diagnostics[] = {
	{ "key-unknown", "a key a section, an article or an article's front matter does not have (error)" },
	{ "key-near-miss", "an unknown front-matter key one or two letters from a known one (warning)" },
	{ "key-type", "a value of the wrong kind: a list for a title, text for true or false (error)" },
	{ "key-choice", "a value that is none of the key's choices (error)" },
};

static const char *const type_names[] = {
	"text", "text or list", "true/false", "choice", "list", "map", "any"
};

/*
 * The edit distance of a and b, a swap of two neighbours counting as one edit
 * ("tilte" is one from "title"), when it is at most 2; else 3.
 */
static int
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int d[64][64], v;

	if (la >= 63 || lb >= 63 || (la > lb ? la - lb : lb - la) > 2)
		return 3;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb] > 2 ? 3 : d[la][lb];
}

static const struct key *
find(unsigned place, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if ((keys[i].places & place) && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* The known key of place closest to name, within two edits; NULL when none. */
static const struct key *
nearest(unsigned place, const char *name)
{
	const struct key *best = NULL;
	size_t i, len = strlen(name);
	/* Short words are near many others: one edit for them, two for longer ones. */
	int d, bestd = len <= 5 ? 2 : 3;

	if (len < 3)
		return NULL;
	for (i = 0; i < NKEYS; i++)
		if ((keys[i].places & place) && (d = distance(name, keys[i].name)) < bestd) {
			bestd = d;
			best = &keys[i];
		}
	return best;
}

static int
is_choice(const char *choices, const char *value)
{
	size_t n = strlen(value);
	const char *p = choices, *bar;

	for (; p != NULL; p = bar ? bar + 1 : NULL) {
		bar = strchr(p, '|');
		if ((bar ? (size_t)(bar - p) : strlen(p)) == n && strncmp(p, value, n) == 0)
			return 1;
	}
	return 0;
}

/* Whether m is of type t; BOOL also takes the words true and false (from -M). */
static int
type_holds(enum type t, const struct key *k, const struct meta *m)
{
	switch (t) {
	case T_TEXT:
		return m->type == META_STRING || m->type == META_BOOL;
	case T_TEXTS:
		return m->type == META_STRING || m->type == META_BOOL || meta_is_string_list(m);
	case T_BOOL:
		return m->type == META_BOOL || (m->type == META_STRING &&
		    (strcmp(m->str, "true") == 0 || strcmp(m->str, "false") == 0));
	case T_CHOICE:
		return m->type == META_STRING && is_choice(k->choices, m->str);
	case T_LIST:
		return m->type == META_LIST;
	case T_MAP:
		return m->type == META_MAP;
	case T_ANY:
		return 1;
	}
	return 1;
}

/* The message for a value of the wrong kind, after "'KEY' must be ". */
static void
type_wants(const struct key *k, struct buf *out)
{
	const char *p;

	switch (k->type) {
	case T_TEXT:
		buf_puts(out, "a single line of text");
		break;
	case T_TEXTS:
		buf_puts(out, strcmp(k->name, "filters") == 0 ? "a name or a list of names" :
		    strcmp(k->name, "term-bases") == 0 ? "a file name or a list of file names" :
		    "text or a list of texts");
		break;
	case T_BOOL:
		buf_puts(out, "true or false");
		break;
	case T_CHOICE:
		buf_puts(out, "one of ");
		for (p = k->choices; *p; p++)
			if (*p == '|')
				buf_puts(out, ", ");
			else
				buf_putc(out, *p);
		break;
	case T_LIST:
		buf_puts(out, "a list");
		break;
	case T_MAP:
		buf_puts(out, "a map of keys");
		break;
	case T_ANY:
		break;
	}
}

int
schema_check(enum schema_place place, const char *file, const struct meta *map)
{
	unsigned bit = 1u << place;
	int closed = place == SCHEMA_SECTION || place == SCHEMA_ARTICLE ||
	    place == SCHEMA_ARTICLE_META;
	const char *prefix = place == SCHEMA_FRONT_MATTER || place == SCHEMA_ISSUE ?
	    "front matter: " : "";
	const struct meta *m;
	const struct key *k;
	struct buf text = BUF_INIT;
	size_t i;
	int rc = 0;

	for (m = map ? map->first : NULL; m != NULL; m = m->next) {
		if ((k = find(bit, m->key)) == NULL) {
			const struct key *near = nearest(bit, m->key);
			if (!closed && near == NULL)
				continue;	/* a key for the styles */
			buf_reset(&text);
			buf_printf(&text, "unknown key '%s' in %s", m->key, place_names[place]);
			if (near)
				buf_printf(&text, "; did you mean '%s'?", near->name);
			if (closed) {
				buf_puts(&text, " (known:");
				for (i = 0; i < NKEYS; i++)
					if (keys[i].places & bit)
						buf_printf(&text, "%s %s", text.data[text.len - 1] ==
						    ':' ? "" : ",", keys[i].name);
				buf_puts(&text, ")");
			}
			msg_at(closed ? MSG_ERROR : MSG_WARNING, file, m->key_line, m->key_col,
			    "%s [%s]", buf_str(&text), closed ? "key-unknown" : "key-near-miss");
			if (closed)
				rc = -1;
			continue;
		}
		if (type_holds(k->type, k, m))
			continue;
		buf_reset(&text);
		type_wants(k, &text);
		if (k->type == T_CHOICE && m->type == META_STRING)
			buf_printf(&text, ", not '%s'", m->str);
		msg_at(MSG_ERROR, file, m->line, m->col, "%s'%s' must be %s [%s]", prefix, k->name,
		    buf_str(&text), k->type == T_CHOICE && m->type == META_STRING ?
		    "key-choice" : "key-type");
		rc = -1;
	}
	buf_free(&text);
	return rc;
}

void
schema_describe(struct buf *out)
{
	static const char *const headings[] = {
		"Front matter (and `-M KEY=VALUE`); other keys are kept for the styles",
		"`issue.yaml`, besides the front-matter keys",
		"A section of `issue.yaml`",
		"An article of `issue.yaml` given as a map",
		"An issue's article, in its own front matter",
	};
	const char *p;
	size_t i, k;
	unsigned bit;

	for (k = 0; k < sizeof(headings) / sizeof(headings[0]); k++) {
		bit = 1u << k;
		buf_printf(out, "%s%s:\n\n| key | type | default | meaning |\n|---|---|---|---|\n",
		    k ? "\n" : "", headings[k]);
		for (i = 0; i < NKEYS; i++) {
			/* issue.yaml takes the front matter's keys: list only its own. */
			if (!(keys[i].places & bit) ||
			    (k == SCHEMA_ISSUE && (keys[i].places & FM)))
				continue;
			buf_printf(out, "| `%s` | ", keys[i].name);
			if (keys[i].type == T_CHOICE)
				for (p = keys[i].choices; *p; p++)
					if (*p == '|')
						buf_puts(out, " \\| ");
					else
						buf_putc(out, *p);
			else
				buf_puts(out, type_names[keys[i].type]);
			buf_printf(out, " | %s | %s |\n", *keys[i].dflt ? keys[i].dflt : "",
			    keys[i].doc);
		}
	}
	buf_puts(out, "\nDiagnostic ids (the bracketed word that ends these messages):\n\n"
	    "| id | meaning |\n|---|---|\n");
	for (i = 0; i < sizeof(diagnostics) / sizeof(diagnostics[0]); i++)
		buf_printf(out, "| `%s` | %s |\n", diagnostics[i].id, diagnostics[i].meaning);
}
