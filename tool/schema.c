/* The configuration keys of documents, issues and styles, in one table a place, and the one checker that reads them. */
#include "schema.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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
	T_ANY,		/* checked where it is read (toc) */
	T_LENGTH,	/* 25mm, 12pt, 2cm, 1in, a number of points, or a size name (五号) */
	T_NUMBER,	/* a number, 0 or more */
	T_FONT,		/* a font family, or a list of families: the first installed one is used */
	T_FONTS,	/* a list of font families, each tried in turn */
	T_LENGTHS,	/* a list of lengths */
	T_CHOICES,	/* a list of the entry's choices */
	T_LINES,	/* true, false or N from 1 to 100: line numbers */
	T_GRID,		/* CHARACTERS x LINES */
	T_AFTER,	/* a length, or a number of lines ("2 lines") */
	T_COLOR,	/* "#RRGGBB" */
	T_ELEMENTS	/* a list of elements (maps, checked as SCHEMA_ELEMENT) */
};

/* Where a key may stand: bits of 1 << enum schema_place. */
#define FM	(1 << SCHEMA_FRONT_MATTER)
#define IS	(1 << SCHEMA_ISSUE)
#define SE	(1 << SCHEMA_SECTION)
#define AR	(1 << SCHEMA_ARTICLE)
#define AM	(1 << SCHEMA_ARTICLE_META)
#define DF	(1 << SCHEMA_DEFAULTS)
#define PG	(1 << SCHEMA_PAGE)
#define EL	(1 << SCHEMA_ELEMENT)
#define DOC	(FM | IS)	/* a document's key, which an issue's front matter may give too */

/* struct key's flags. */
#define F_NONEMPTY	0x1	/* T_TEXT: "" is no value */
#define F_FRONT_MATTER	0x2	/* T_MAP: its keys are front-matter keys */

struct key {
	const char	*name;
	unsigned	 places;
	enum type	 type;
	const char	*choices;	/* T_CHOICE, T_CHOICES: "a|b|c", in the order of the
					   reader's enum (schema_choice() gives the index) */
	const char	*dflt;		/* "" when none */
	const char	*doc;
	const char	*wants;		/* what a bad value is told it must be; NULL: the type's
					   words (a choice's: a hint after them) */
	unsigned	 flags;
};

static const struct key keys[] = {
	{ "title", DOC | SE | AM, T_TEXT, NULL, "", "the title (a section's, an article's: else its first heading)", NULL, 0 },
	{ "subtitle", DOC, T_TEXT, NULL, "", "a subtitle, under the title in every style", NULL, 0 },
	{ "author", DOC | AM, T_TEXTS, NULL, "", "a name or a list of names", NULL, 0 },
	{ "authors", DOC, T_TEXTS, NULL, "", "as author", NULL, 0 },
	{ "byline", AM, T_TEXT, NULL, "", "an article's byline (本刊记者　李明), instead of author", NULL, 0 },
	{ "date", DOC | AM, T_TEXT, NULL, "", "the date; 2024-04-25 is printed 2024年4月25日", NULL, 0 },
	{ "id", SE | AM, T_TEXT, NULL, "", "the heading's id (an article's: else its file name)", NULL, 0 },
	{ "class", SE | AR, T_TEXTS, NULL, "", "classes of the heading (columns-2, unlisted)", NULL, 0 },
	{ "articles", SE, T_LIST, NULL, "", "the section's articles: files, or maps of file and class", NULL, 0 },
	{ "file", AR, T_TEXT, NULL, "", "the article's Markdown file, relative to the issue's folder", NULL, 0 },
	{ "sections", IS, T_LIST, NULL, "", "the issue's sections, in order", NULL, 0 },
	{ "lang", DOC, T_TEXT, NULL, "zh-CN", "the language", NULL, 0 },
	{ "style", DOC, T_TEXT, NULL, "article", "the style (bulletin for an issue); -s overrides it", NULL, 0 },
	{ "unsafe", FM, T_BOOL, NULL, "false", "keep raw HTML", NULL, 0 },
	{ "comments-form", FM, T_BOOL, NULL, "false", "also write a standard's comment form", NULL, 0 },
	{ "filters", DOC, T_TEXTS, NULL, "", "Lua filters run before the style's", NULL, 0 },
	{ "checks", DOC, T_BOOL, NULL, "true", "run the style's document checks", NULL, 0 },
	{ "title-block", DOC, T_BOOL, NULL, "true", "the article style's title block (false: none)", NULL, 0 },
	{ "columns", DOC, T_CHOICE, "1|2|3|4", "1", "the whole document in this many columns", NULL, 0 },
	{ "list-numbering", DOC, T_CHOICE, "1.|1、|一、|（一）|（1）|gongwen", "",
	    "ordered lists' numbers; gongwen: （一）, 1., （1） by depth", NULL, 0 },
	{ "numbering", DOC, T_TEXT, NULL, "", "headings' numbers: gb, gongwen, articles or none", NULL, 0 },
	{ "toc", DOC, T_ANY, NULL, "", "true, or {depth, figures, tables}: a contents list", NULL, 0 },
	{ "line-numbers", DOC, T_LINES, NULL, "false", "true or N: number the PDF's lines", NULL, 0 },
	{ "draft", DOC, T_ANY, NULL, "", "a draft class on the HTML's body", NULL, 0 },
	{ "toc-style", DOC, T_ANY, NULL, "", "the contents list's form (read by toc.lua)", NULL, 0 },
	{ "toc-new-page", DOC, T_ANY, NULL, "", "the contents list on a page of its own", NULL, 0 },
	{ "subject", DOC, T_TEXT, NULL, "", "the PDF's subject", NULL, 0 },
	{ "description", DOC, T_TEXT, NULL, "", "the PDF's subject, when subject is not given", NULL, 0 },
	{ "keywords", DOC, T_TEXTS, NULL, "", "the PDF's keywords", NULL, 0 },
	{ "term-bases", DOC, T_TEXTS, NULL, "", "term bases (YAML or TSV) for the terms filter", NULL, 0 },
	{ "glossary", DOC, T_MAP, NULL, "", "{annotate: first, link: true}: uses of terms", NULL, 0 },
	{ "terms", DOC, T_ANY, NULL, "", "the terms filter's settings", NULL, 0 },
	{ "issue", DOC, T_TEXT, NULL, "", "bulletin: the issue (2026年 第3期)", NULL, 0 },
	{ "serial", DOC, T_TEXT, NULL, "", "bulletin: the serial number (总第47期)", NULL, 0 },
	{ "publisher", DOC, T_TEXT, NULL, "", "bulletin: 主办", NULL, 0 },
	{ "editor", DOC, T_TEXT, NULL, "", "bulletin: 编印", NULL, 0 },
	{ "permit", DOC, T_TEXT, NULL, "", "bulletin: 内部资料准印证号", NULL, 0 },
	{ "contact", DOC, T_TEXT, NULL, "", "bulletin: the cover's contact line", NULL, 0 },
	{ "contact-label", DOC, T_TEXT, NULL, "地址", "bulletin: the contact line's label (官网, 电话)", NULL, 0 },
	{ "copies", DOC, T_TEXT, NULL, "", "bulletin: 印数", NULL, 0 },
	{ "code", DOC, T_TEXT, NULL, "", "standard: the code (T/XAF 001—2026)", NULL, 0 },
	{ "ics", DOC, T_TEXT, NULL, "", "standard: ICS", NULL, 0 },
	{ "ccs", DOC, T_TEXT, NULL, "", "standard: CCS", NULL, 0 },
	{ "kind", DOC, T_TEXT, NULL, "", "standard: 团体标准 …", NULL, 0 },
	{ "replaces", DOC, T_TEXT, NULL, "", "standard: 代替 …", NULL, 0 },
	{ "title-en", DOC, T_TEXT, NULL, "", "standard: the English title", NULL, 0 },
	{ "stage", DOC, T_TEXT, NULL, "", "standard: 征求意见稿, 送审稿 …", NULL, 0 },
	{ "stage-date", DOC, T_TEXT, NULL, "", "standard: the stage's date", NULL, 0 },
	{ "issued-by", DOC, T_TEXTS, NULL, "", "standard: 发布单位", NULL, 0 },
	{ "publish-date", DOC, T_TEXT, NULL, "", "standard: 发布日期", NULL, 0 },
	{ "implement-date", DOC, T_TEXT, NULL, "", "standard: 实施日期", NULL, 0 },
	{ "copy-number", DOC, T_TEXT, NULL, "", "notice: 份号", NULL, 0 },
	{ "secret", DOC, T_TEXT, NULL, "", "notice: 密级和保密期限", NULL, 0 },
	{ "urgency", DOC, T_TEXT, NULL, "", "notice: 紧急程度", NULL, 0 },
	{ "issuer", DOC, T_TEXT, NULL, "", "notice: 发文机关标志 (and the red rule under it)", NULL, 0 },
	{ "doc-number", DOC, T_TEXT, NULL, "", "notice: 发文字号", NULL, 0 },
	{ "signer", DOC, T_TEXTS, NULL, "", "notice: 签发人", NULL, 0 },
	{ "addressee", DOC, T_TEXT, NULL, "", "notice: 主送机关", NULL, 0 },
	{ "attachments", DOC, T_TEXTS, NULL, "", "notice: 附件说明, numbered one a line", NULL, 0 },
	{ "signature", DOC, T_TEXT, NULL, "", "notice: 发文机关署名", NULL, 0 },
	{ "note", DOC, T_TEXT, NULL, "", "notice: 附注", NULL, 0 },
	{ "cc", DOC, T_TEXTS, NULL, "", "notice: 抄送机关", NULL, 0 },
	{ "printed-by", DOC, T_TEXT, NULL, "", "notice: 印发机关", NULL, 0 },
	{ "printed-date", DOC, T_TEXT, NULL, "", "notice: 印发日期", NULL, 0 },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* A style's page.yaml; defaults: the built-in ones under styles/common/page.yaml's. */
#define ALIGNS	"center|outside|inside|left|right"	/* enum lay_align */
#define RUNNING	"a text such as \"— {page} —\""
static const struct key page_keys[] = {
	{ "paper", PG, T_CHOICE, "A4|A5|B5|A3|letter", "A4", "the paper", NULL, 0 },
	{ "margin-top", PG, T_LENGTH, NULL, "25mm", "the top margin; the type area is what the margins leave", NULL, 0 },
	{ "margin-bottom", PG, T_LENGTH, NULL, "25mm", "the bottom margin", NULL, 0 },
	{ "margin-left", PG, T_LENGTH, NULL, "25mm", "the left margin", NULL, 0 },
	{ "margin-right", PG, T_LENGTH, NULL, "25mm", "the right margin", NULL, 0 },
	{ "size", PG, T_LENGTH, NULL, "五号", "the body size", NULL, 0 },
	{ "grid", PG, T_GRID, NULL, "",
	    "`CHARACTERS x LINES` (GB/T 9704: `28 x 22`): the size and leading that fill the type area exactly, overriding `size` and `leading`", NULL, 0 },
	{ "leading", PG, T_NUMBER, NULL, "1.6", "the line pitch, times the size", NULL, 0 },
	{ "indent", PG, T_NUMBER, NULL, "2", "the first-line indent, in ems", NULL, 0 },
	/* The choices' order is the enum's the reader stores: here enum lay_punct. */
	{ "punctuation", PG, T_CHOICE, "quanjiao|kaiming|banjiao", "quanjiao",
	    "full-width marks compressed where they meet; kaiming: only 。？！ full; banjiao: all half", NULL, 0 },
	{ "punctuation-hang", PG, T_BOOL, NULL, "false",
	    "true: 。，、． at a line end of the body's paragraphs, items and headings take no room and hang past the measure (up to half an em)", NULL, 0 },
	{ "heading-sizes", PG, T_LENGTHS, NULL, "三号, 四号, 小四, 五号, 五号, 五号", "six sizes, level 1 first", NULL, 0 },
	{ "heading-weight", PG, T_CHOICE, "regular|bold", "bold",
	    "headings, table heads and the contents' entries: the heading family's Bold (synthetic only when it has none) or its regular face", NULL, 0 },
	/* enum lay_heading_face */
	{ "heading-faces", PG, T_CHOICES, "heading|emphasis|body", "heading, …",
	    "the face of each heading level, level 1 first (GB/T 9704: `[heading, emphasis, body]`)",
	    "a list such as [heading, emphasis, body]", 0 },
	{ "font-cjk", PG, T_FONT, NULL, "Noto Serif CJK SC, AR PL UMing CN",
	    "the body's CJK font: a family found with fontconfig, or a list of families, the first installed one used", NULL, 0 },
	{ "font-latin", PG, T_FONT, NULL, "Noto Serif CJK SC, Liberation Serif", "the body's Latin font", NULL, 0 },
	{ "font-cjk-heading", PG, T_FONT, NULL, "Noto Sans CJK SC, WenQuanYi Zen Hei",
	    "headings, table heads, the contents' group entries, captions", NULL, 0 },
	{ "font-latin-heading", PG, T_FONT, NULL, "Noto Sans CJK SC, Liberation Sans",
	    "the headings' Latin (also the running heads')", NULL, 0 },
	{ "font-cjk-emphasis", PG, T_FONT, NULL, "FandolKai, LXGW WenKai, AR PL UKai CN",
	    "emphasis and block quotations (楷体)", NULL, 0 },
	{ "font-mono", PG, T_FONT, NULL, "Noto Sans Mono CJK SC, Liberation Mono", "code", NULL, 0 },
	{ "font-cjk-running", PG, T_FONT, NULL, "", "the running heads' and feet's font, Chinese and Latin (default: the body's)", NULL, 0 },
	{ "font-fallback", PG, T_FONTS, NULL, "Noto Serif CJK SC, Liberation Serif, WenQuanYi Zen Hei",
	    "families tried in order for characters the run's fonts lack; a character none has is a warning", NULL, 0 },
	{ "header", PG, T_TEXT, NULL, "\"\"",
	    "the running head: `{page}` the page number as the reader sees it, `{section}` the chapter's heading, `{KEY}` a front-matter value, `{KEY|TEXT}` TEXT when it is missing; \"\" for none",
	    RUNNING, 0 },
	{ "footer", PG, T_TEXT, NULL, "{page}", "the running foot, as header", RUNNING, 0 },
	{ "header-align", PG, T_CHOICE, ALIGNS, "center", "outside: odd pages right, even left; inside the opposite", NULL, 0 },
	{ "footer-align", PG, T_CHOICE, ALIGNS, "center", "as header-align", NULL, 0 },
	{ "inset", PG, T_NUMBER, NULL, "0", "ems in from the type area's side when not centred (GB/T 9704: 1)", NULL, 0 },
	{ "header-size", PG, T_LENGTH, NULL, "小五", "the running head's size", NULL, 0 },
	{ "footer-size", PG, T_LENGTH, NULL, "小五", "the running foot's size", NULL, 0 },
	{ "header-gap", PG, T_LENGTH, NULL, "6mm", "from the type area to the running head's near edge", NULL, 0 },
	{ "footer-gap", PG, T_LENGTH, NULL, "6mm", "from the type area to the running foot's near edge", NULL, 0 },
	{ "header-rule", PG, T_BOOL, NULL, "false", "a rule under the running head", NULL, 0 },
	/* enum lay_first_page */
	{ "first-page", PG, T_CHOICE, "same|plain|empty", "same", "plain: no head on page 1; empty: no head or foot", NULL, 0 },
	{ "image-dpi", PG, T_NUMBER, NULL, "150", "figures are shown at this many pixels an inch or more, never larger", NULL, 0 },
	{ "front-matter", PG, T_CHOICE, "arabic|roman|Roman", "arabic",
	    "roman, Roman: pages before the first numbered chapter are i, ii … (I, II …); that chapter starts page 1 on a new page", NULL, 0 },
	{ "table-rules", PG, T_CHOICE, "three-line|grid", "three-line", "三线表, or every cell framed (GB/T 1.1)", NULL, 0 },
	{ "table-width", PG, T_CHOICE, "full|natural", "full",
	    "full: a table spread to the measure; natural: a narrower one keeps its width, centred", NULL, 0 },
	{ "table-size", PG, T_LENGTH, NULL, "", "table text (default: the body size)", NULL, 0 },
	{ "table-min-size", PG, T_LENGTH, NULL, "", "the floor a wide table's text shrinks to before its cells wrap (default ¾ of table-size)", NULL, 0 },
	{ "column-rule", PG, T_LENGTH, NULL, "", "a rule that wide between the columns of a `{.columns-N}` section (bulletin: 0.4pt)", NULL, 0 },
	{ "toc-title-size", PG, T_LENGTH, NULL, "", "the contents list's title, centred (default: the level-1 heading size)", NULL, 0 },
	{ "footnote-size", PG, T_LENGTH, NULL, "", "footnotes (default: 0.85 of the body size)", NULL, 0 },
	{ "footnote-numbering", PG, T_CHOICE, "document|page", "document", "1, 2 … raised, or ① ② … afresh on each page", NULL, 0 },
	/* enum lay_chapter_start */
	{ "chapter-start", PG, T_CHOICE, "same|new-page|recto", "same", "where level-1 headings start", NULL, 0 },
	{ "cover", PG, T_ELEMENTS, NULL, "", "a page of its own before everything else, unnumbered: see elements below", NULL, 0 },
	{ "first-page-head", PG, T_ELEMENTS, NULL, "", "elements at the top of the body's page 1 (the notice's 版头)", NULL, 0 },
	{ "closing", PG, T_ELEMENTS, NULL, "", "elements after the body's last line (附件说明, the issuer's name and date)", NULL, 0 },
	{ "colophon", PG, T_ELEMENTS, NULL, "", "elements ending on the last page's type area bottom (版记)", NULL, 0 },
	{ "body-top", PG, T_LENGTH, NULL, "0", "where the body starts on page 1 under a first-page-head; 0: below it",
	    "a length such as 80mm, or 0 (below the head)", 0 },
	{ "cover-label", PG, T_TEXT, NULL, "封面", "the cover's PDF page label", NULL, 0 },
	{ "line-numbers", PG, T_LINES, NULL, "false",
	    "true or N: number every body line (every Nth), afresh on each page; the front matter's overrides it", NULL, 0 },
	{ "line-number-size", PG, T_LENGTH, NULL, "六号", "the line numbers' size", NULL, 0 },
	{ "line-number-gap", PG, T_LENGTH, NULL, "4mm", "from the type area to the line numbers", NULL, 0 },
	/* enum lay_align, from ALIGN_OUTSIDE: margins take no centred numbers */
	{ "line-number-side", PG, T_CHOICE, "outside|inside|left|right", "left", "the line numbers' margin", NULL, 0 },
	{ "draft-mark", PG, T_TEXT, NULL, "", "a template (`\"{stage}\"`) in the head of every page after the cover, in the heading font",
	    "a text such as \"{stage}\"", 0 },
	{ "draft-mark-if", PG, T_TEXT, NULL, "", "when the mark is shown, as an element's `if`; default always",
	    "a text such as \"stage: 征求意见稿|送审稿\"", 0 },
	{ "draft-mark-align", PG, T_CHOICE, ALIGNS, "inside", "as header-align", NULL, 0 },
	{ "draft-mark-size", PG, T_LENGTH, NULL, "", "the draft mark's size (default: the header's)", NULL, 0 },
};

/* An element of a cover, first-page head, closing or colophon (lay_cover.c). */
static const struct key element_keys[] = {
	{ "text", EL, T_TEXT, NULL, "",
	    "a template: `{KEY}` a front-matter value (lists joined as in the HTML), `{KEY|TEXT}` TEXT when it is missing",
	    "a text such as \"{title}\"", F_NONEMPTY },
	{ "rule", EL, T_LENGTH, NULL, "", "instead of text: a rule this thick (1pt; a band: 78mm)", NULL, 0 },
	{ "y", EL, T_LENGTH, NULL, "", "the top (the first line's em box) from the paper's top edge", NULL, 0 },
	{ "after", EL, T_AFTER, NULL, "0", "instead of y: the gap below the element before, a length or N lines (the body's pitch)", NULL, 0 },
	{ "same-line", EL, T_BOOL, NULL, "false", "on the line of the element before (a date flush right)", NULL, 0 },
	{ "align", EL, T_CHOICE, "left|center|right", "center", "where in the area", NULL, 0 },
	{ "x", EL, T_LENGTH, NULL, "0", "in from the aligned edge", NULL, 0 },
	{ "hang", EL, T_LENGTH, NULL, "0", "a left-aligned text's lines after the first start this far further in", NULL, 0 },
	{ "from", EL, T_CHOICE, "area|page", "area", "align in the type area, or in the paper's edges",
	    "area: the type area; page: the paper's edges", 0 },
	{ "width", EL, T_LENGTH, NULL, "", "a text's measure, a rule's length (default: all of the area)", NULL, 0 },
	{ "font", EL, T_CHOICE, "body|heading|emphasis|running|mono", "body", "the style's font to use",	/* enum role */
	    "a family is named with 'family'", 0 },
	{ "family", EL, T_FONT, NULL, "", "a CJK family (or list) instead of the font's; it gives the Latin too", NULL, 0 },
	{ "family-latin", EL, T_FONT, NULL, "", "a Latin family (or list) instead of the font's", NULL, 0 },
	{ "size", EL, T_LENGTH, NULL, "", "default: the body size", NULL, 0 },
	{ "bold", EL, T_BOOL, NULL, "false", "the bold face, synthetic when the family has none", NULL, 0 },
	{ "color", EL, T_COLOR, NULL, "#000000", "\"#RRGGBB\", quoted (# starts a YAML comment)", NULL, 0 },
	{ "tracking", EL, T_NUMBER, NULL, "0", "space added between characters, in ems; such a text does not wrap",
	    "a number such as 0.5", 0 },
	{ "leading", EL, T_NUMBER, NULL, "1.25", "the pitch of wrapped lines, times the size", "a number such as 0.5", 0 },
	{ "if", EL, T_TEXT, NULL, "",
	    "set only when the front matter has KEY; `KEY: A|B` when its value contains A or B; `KEY|KEY2` either; `!` turns it round",
	    "a front-matter key such as stage", F_NONEMPTY },
};

/* A style's defaults.yaml (build.c). */
static const struct key defaults_keys[] = {
	{ "filters", DF, T_TEXTS, NULL, "", "Lua filters run after the document's own, in order", NULL, 0 },
	{ "metadata", DF, T_MAP, NULL, "", "front-matter values for keys the document leaves out",
	    "a map of front-matter defaults", F_FRONT_MATTER },
};

#define N(a)	(sizeof(a) / sizeof(a[0]))

/* The table of place (a bit), and its length. */
static const struct key *
table(unsigned place, size_t *n)
{
	if (place == PG) {
		*n = N(page_keys);
		return page_keys;
	}
	if (place == EL) {
		*n = N(element_keys);
		return element_keys;
	}
	if (place == DF) {
		*n = N(defaults_keys);
		return defaults_keys;
	}
	*n = NKEYS;
	return keys;
}

static const char *const place_names[] = {
	"front matter", "issue.yaml", "a section", "an article", "an article's front matter",
	"defaults.yaml", "page.yaml", "an element"	/* check_element names its list */
};

static const struct {
	const char	*id, *meaning;
} diagnostics[] = {
	{ "key-unknown", "a key the place does not have: an error in a section, an article, an "
	    "article's front matter and an element; a warning in page.yaml and defaults.yaml" },
	{ "key-near-miss", "an unknown front-matter key one or two letters from a known one (warning)" },
	{ "key-type", "a value of the wrong kind: a list for a title, text for true or false, "
	    "a word for a length (error)" },
	{ "key-choice", "a value that is none of the key's choices (error)" },
	{ "element-text-or-rule", "an element with both or neither of text and rule (error)" },
	{ "element-y-and-after", "an element placed both by y and by after (error)" },
};

static const char *const type_names[] = {
	"text", "text or list", "true/false", "choice", "list", "map", "any", "length", "number",
	"font", "list of fonts", "list of lengths", "list of", "true/false/N", "N x N",
	"length or N lines", "#RRGGBB", "list of elements"
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
	size_t i, n;
	const struct key *t = table(place, &n);

	for (i = 0; i < n; i++)
		if ((t[i].places & place) && strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

/* The known key of place closest to name, within two edits; NULL when none. */
static const struct key *
nearest(unsigned place, const char *name)
{
	const struct key *best = NULL, *t;
	size_t i, n, len = strlen(name);
	/* Short words are near many others: one edit for them, two for longer ones. */
	int d, bestd = len <= 5 ? 2 : 3;

	if (len < 3)
		return NULL;
	t = table(place, &n);
	for (i = 0; i < n; i++)
		if ((t[i].places & place) && (d = distance(name, t[i].name)) < bestd) {
			bestd = d;
			best = &t[i];
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
schema_length(const char *s)
{
	char *end;
	double v;
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < N(hao); i++)
		if (strcmp(s, hao[i].name) == 0)
			return hao[i].pt;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0 || !isfinite(v))
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

/* A number, 0 or more ("0.5"); -1 when s is none. */
static double
number(const char *s)
{
	char *end;
	double v;

	if (s == NULL)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	return end == s || *end || errno || v < 0 || !isfinite(v) ? -1 : v;
}

double
schema_after(const char *s, int *in_lines)
{
	char *end;
	double v;

	*in_lines = 0;
	if (s == NULL)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end != s && errno == 0 && v >= 0 && isfinite(v) &&
	    (strcmp(end, " line") == 0 || strcmp(end, " lines") == 0)) {
		*in_lines = 1;
		return v;
	}
	return schema_length(s);
}

/* A scalar's text; NULL for a list or a map. */
static const char *
scalar(const struct meta *m)
{
	return m->type == META_STRING || m->type == META_BOOL ? m->str : NULL;
}

/* Whether m names a font family, or lists families, none empty nor holding a comma. */
static int
is_font(const struct meta *m)
{
	const struct meta *c;

	if (m->type != META_LIST)
		return scalar(m) != NULL && *m->str != '\0';
	for (c = m->first; c != NULL; c = c->next)
		if (c->type != META_STRING || *c->str == '\0' || strchr(c->str, ',') != NULL)
			return 0;
	return m->first != NULL;
}

/* Whether s is a line-numbers value: true, false or N from 1 to 100. */
static int
is_lines(const char *s)
{
	char *end;
	long v;

	if (s == NULL)
		return 0;
	if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
		return 1;
	if (s[0] < '0' || s[0] > '9')
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v >= 1 && v <= 100;
}

/* Whether s is CHARACTERS x LINES, each from 1 to 200. */
static int
is_grid(const char *s)
{
	int chars = 0, lines = 0, used = 0;

	return s != NULL && sscanf(s, "%d x %d%n", &chars, &lines, &used) == 2 &&
	    s[used] == '\0' && chars >= 1 && lines >= 1 && chars <= 200 && lines <= 200;
}

/* Whether s is a colour, "#" and six hex digits. */
static int
is_color(const char *s)
{
	return s != NULL && s[0] == '#' && strlen(s) == 7 &&
	    strspn(s + 1, "0123456789abcdefABCDEF") == 6;
}

/* Whether m, a whole value (not a list's item), is of k's type. */
static int
holds(const struct key *k, const struct meta *m)
{
	const char *str = scalar(m);
	int lines;

	switch (k->type) {
	case T_TEXT:
		return str != NULL && (!(k->flags & F_NONEMPTY) || *str != '\0');
	case T_TEXTS:
		return str != NULL || meta_is_string_list(m);
	case T_BOOL:
		return str != NULL && (strcmp(str, "true") == 0 || strcmp(str, "false") == 0);
	case T_CHOICE:
		return str != NULL && is_choice(k->choices, str);
	case T_LIST:
	case T_LENGTHS:
	case T_CHOICES:
	case T_FONTS:
	case T_ELEMENTS:
		return m->type == META_LIST;
	case T_MAP:
		return m->type == META_MAP;
	case T_ANY:
		return 1;
	case T_LENGTH:
		return schema_length(str) >= 0;
	case T_NUMBER:
		return number(str) >= 0;
	case T_FONT:
		return is_font(m);
	case T_LINES:
		return is_lines(str);
	case T_GRID:
		return is_grid(str);
	case T_AFTER:
		return schema_after(str, &lines) >= 0;
	case T_COLOR:
		return is_color(str);
	}
	return 1;
}

/* Appends choices "a|b|c" as "a, b, c". */
static void
put_choices(struct buf *out, const char *choices)
{
	for (const char *p = choices; *p; p++)
		if (*p == '|')
			buf_puts(out, ", ");
		else
			buf_putc(out, *p);
}

/* What a value of k must be, after "'KEY' must be ". */
static void
type_wants(const struct key *k, struct buf *out)
{
	if (k->wants != NULL && k->type != T_CHOICE) {
		buf_puts(out, k->wants);
		return;
	}
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
		put_choices(out, k->choices);
		break;
	case T_LIST:
		buf_puts(out, "a list");
		break;
	case T_MAP:
		buf_puts(out, "a map of keys");
		break;
	case T_ANY:
		break;
	case T_LENGTH:
		buf_puts(out, "a length such as 25mm, 12pt or 五号");
		break;
	case T_NUMBER:
		buf_puts(out, "a number such as 1.5");
		break;
	case T_FONT:
		buf_puts(out, "a font family, or a list of families such as "
		    "[Noto Serif CJK SC, AR PL UMing CN]");
		break;
	case T_FONTS:
		buf_puts(out, "a list of font families such as [WenQuanYi Zen Hei]");
		break;
	case T_LENGTHS:
		buf_puts(out, "a list of lengths such as [三号, 四号, 16pt]");
		break;
	case T_CHOICES:
		buf_puts(out, "a list of ");
		put_choices(out, k->choices);
		break;
	case T_LINES:
		buf_puts(out, "true, false or N, a number of lines from 1 to 100 (every Nth line numbered)");
		break;
	case T_GRID:
		buf_puts(out, "CHARACTERS x LINES, such as 28 x 22");
		break;
	case T_AFTER:
		buf_puts(out, "a length such as 10mm, or a number of lines (2 lines)");
		break;
	case T_COLOR:
		buf_puts(out, "a colour written \"#RRGGBB\" (quoted)");
		break;
	case T_ELEMENTS:
		buf_puts(out, "a list of elements such as - {text: \"{title}\", y: 60mm}");
		break;
	}
}

/* Reports m, a bad value of k, its message after prefix; returns -1. */
static int
wrong(const char *prefix, const char *file, const struct key *k, const struct meta *m)
{
	struct buf text = BUF_INIT;
	int choice = k->type == T_CHOICE && scalar(m) != NULL;

	type_wants(k, &text);
	if (choice)
		buf_printf(&text, ", not '%s'", m->str);
	if (k->type == T_CHOICE && k->wants != NULL)
		buf_printf(&text, " (%s)", k->wants);
	msg_at(MSG_ERROR, file, m->line, m->col, "%s'%s' must be %s [%s]", prefix, k->name, buf_str(&text), choice ? "key-choice" : "key-type");
	buf_free(&text);
	return -1;
}

/* Checks the items of list m, of k's list type; reports each bad one at its place. */
static int
check_items(const char *prefix, const char *file, const struct key *k, const struct meta *m)
{
	const struct meta *c;
	struct buf text = BUF_INIT;
	int rc = 0, ok;

	for (c = m->first; c != NULL; c = c->next) {
		ok = c->type == META_STRING && (k->type == T_LENGTHS ? schema_length(c->str) >= 0 :
		    k->type == T_CHOICES ? is_choice(k->choices, c->str) : *c->str != '\0');
		if (ok)
			continue;
		buf_reset(&text);
		if (k->type == T_CHOICES) {
			buf_puts(&text, "one of ");
			put_choices(&text, k->choices);
			if (c->type == META_STRING)
				buf_printf(&text, ", not '%s'", c->str);
		} else
			buf_puts(&text, k->type == T_LENGTHS ? "a length such as 三号 or 16pt" :
			    "a font family");
		msg_at(MSG_ERROR, file, c->line, c->col, "%san item of '%s' must be %s [%s]",
		    prefix, k->name, buf_str(&text),
		    k->type == T_CHOICES && c->type == META_STRING ? "key-choice" : "key-type");
		rc = -1;
	}
	buf_free(&text);
	return rc;
}

static int check_map(enum schema_place place, const char *file, const struct meta *map,
    const char *where, const char *prefix);

/*
 * Checks one element of list (a map): its keys, then that it is a text or a
 * rule, placed by y or by after.
 */
static int
check_element(const char *file, const char *list, const struct meta *map)
{
	const struct meta *y, *after;
	struct buf where = BUF_INIT;
	int lines, rc;

	if (map->type != META_MAP) {
		msg_at(MSG_ERROR, file, map->line, map->col, "'%s' must list elements such as "
		    "{text: \"{title}\", y: 60mm} [key-type]", list);
		return -1;
	}
	buf_printf(&where, "an element of '%s'", list);
	rc = check_map(SCHEMA_ELEMENT, file, map, buf_str(&where), "");
	buf_free(&where);
	if (rc == -1)
		return -1;
	if ((meta_get(map, "text") != NULL) == (meta_get(map, "rule") != NULL)) {
		msg_at(MSG_ERROR, file, map->line, map->col, "an element of '%s' is either a "
		    "'text' or a 'rule' [element-text-or-rule]", list);
		return -1;
	}
	/* after: 0 says what no after says, and may stand beside y. */
	y = meta_get(map, "y");
	after = meta_get(map, "after");
	if (y != NULL && after != NULL && schema_after(scalar(after), &lines) > 0) {
		msg_at(MSG_ERROR, file, map->line, map->col, "an element of '%s' has 'y' or "
		    "'after', not both [element-y-and-after]", list);
		return -1;
	}
	return 0;
}

/*
 * Checks map's keys for place: each value's type, and unknown keys.  where
 * names the map in messages about a key ("in page.yaml"), prefix starts those
 * about a value ("front matter: ").
 */
static int
check_map(enum schema_place place, const char *file, const struct meta *map,
    const char *where, const char *prefix)
{
	unsigned bit = 1u << place;
	/* An unknown key is an error where nothing else reads the keys. */
	int closed = place == SCHEMA_SECTION || place == SCHEMA_ARTICLE ||
	    place == SCHEMA_ARTICLE_META || place == SCHEMA_ELEMENT;
	/* Front matter may hold keys for the styles: only near misses are told. */
	int open = place == SCHEMA_FRONT_MATTER || place == SCHEMA_ISSUE;
	const struct meta *m, *c;
	const struct key *k, *t;
	struct buf text = BUF_INIT;
	size_t i, n;
	int rc = 0;

	for (m = map ? map->first : NULL; m != NULL; m = m->next) {
		if ((k = find(bit, m->key)) == NULL) {
			const struct key *near = nearest(bit, m->key);
			if (open && near == NULL)
				continue;	/* a key for the styles */
			buf_reset(&text);
			buf_printf(&text, "unknown key '%s' in %s", m->key, where);
			if (near)
				buf_printf(&text, "; did you mean '%s'?", near->name);
			if (closed) {
				buf_puts(&text, " (known:");
				t = table(bit, &n);
				for (i = 0; i < n; i++)
					if (t[i].places & bit)
						buf_printf(&text, "%s %s", text.data[text.len - 1] ==
						    ':' ? "" : ",", t[i].name);
				buf_puts(&text, ")");
			}
			msg_at(closed ? MSG_ERROR : MSG_WARNING, file, m->key_line, m->key_col,
			    "%s [%s]", buf_str(&text), open ? "key-near-miss" : "key-unknown");
			if (closed)
				rc = -1;
			continue;
		}
		if (!holds(k, m)) {
			rc = wrong(prefix, file, k, m);
			continue;
		}
		switch (k->type) {
		case T_LENGTHS:
		case T_CHOICES:
		case T_FONTS:
			if (check_items(prefix, file, k, m) == -1)
				rc = -1;
			break;
		case T_ELEMENTS:
			for (c = m->first; c != NULL; c = c->next)
				if (check_element(file, k->name, c) == -1)
					rc = -1;
			break;
		case T_MAP:
			if ((k->flags & F_FRONT_MATTER) &&
			    check_map(SCHEMA_FRONT_MATTER, file, m, "defaults.yaml's metadata",
			    "metadata: ") == -1)
				rc = -1;
			break;
		case T_TEXT:
		case T_TEXTS:
		case T_BOOL:
		case T_CHOICE:
		case T_LIST:
		case T_ANY:
		case T_LENGTH:
		case T_NUMBER:
		case T_FONT:
		case T_LINES:
		case T_GRID:
		case T_AFTER:
		case T_COLOR:
			break;
		}
	}
	buf_free(&text);
	return rc;
}

int
schema_check(enum schema_place place, const char *file, const struct meta *map)
{
	return check_map(place, file, map, place_names[place], place == SCHEMA_FRONT_MATTER ||
	    place == SCHEMA_ISSUE ? "front matter: " : "");
}

int
schema_choice(enum schema_place place, const char *key, const char *value)
{
	const struct key *k = find(1u << place, key);
	const char *p, *bar;
	size_t n;
	int i;

	if (k == NULL || value == NULL)
		return -1;
	if (k->type == T_BOOL)
		return strcmp(value, "true") == 0 ? 1 : strcmp(value, "false") == 0 ? 0 : -1;
	if (k->type != T_CHOICE && k->type != T_CHOICES)
		return -1;
	n = strlen(value);
	for (p = k->choices, i = 0; p != NULL; p = bar ? bar + 1 : NULL, i++) {
		bar = strchr(p, '|');
		if ((bar ? (size_t)(bar - p) : strlen(p)) == n && strncmp(p, value, n) == 0)
			return i;
	}
	return -1;
}

const char *
schema_text(const struct meta *m, struct buf *out)
{
	const struct meta *c;

	buf_reset(out);
	if (m->type != META_LIST)
		buf_puts(out, scalar(m) ? m->str : "");
	for (c = m->type == META_LIST ? m->first : NULL; c != NULL; c = c->next)
		if (c->type == META_STRING)
			buf_printf(out, "%s%s", out->len ? ", " : "", c->str);
	return buf_str(out);
}

/* Appends s to a Markdown table's cell, a bar escaped (it would end the cell) and written bar. */
static void
put_cell(struct buf *out, const char *s, const char *bar)
{
	for (; *s; s++)
		if (*s == '|')
			buf_puts(out, bar);
		else
			buf_putc(out, *s);
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
		"A style's `defaults.yaml`",
		"A style's `page.yaml` (default: the built-in value or `styles/common/page.yaml`'s)",
		"An element of `cover`, `first-page-head`, `closing` or `colophon` in `page.yaml`",
	};
	const struct key *t;
	size_t i, k, n;
	unsigned bit;

	for (k = 0; k < N(headings); k++) {
		bit = 1u << k;
		t = table(bit, &n);
		buf_printf(out, "%s%s:\n\n| key | type | default | meaning |\n|---|---|---|---|\n",
		    k ? "\n" : "", headings[k]);
		for (i = 0; i < n; i++) {
			/* issue.yaml takes the front matter's keys: list only its own. */
			if (!(t[i].places & bit) || (k == SCHEMA_ISSUE && (t[i].places & FM)))
				continue;
			buf_printf(out, "| `%s` | ", t[i].name);
			if (t[i].type == T_CHOICES)
				buf_puts(out, "list of ");
			if (t[i].type == T_CHOICE || t[i].type == T_CHOICES)
				put_cell(out, t[i].choices, " \\| ");
			else
				buf_puts(out, type_names[t[i].type]);
			buf_puts(out, " | ");
			put_cell(out, t[i].dflt, "\\|");
			buf_puts(out, " | ");
			put_cell(out, t[i].doc, "\\|");
			buf_puts(out, " |\n");
		}
	}
	buf_puts(out, "\nDiagnostic ids (the bracketed word that ends these messages):\n\n"
	    "| id | meaning |\n|---|---|\n");
	for (i = 0; i < N(diagnostics); i++)
		buf_printf(out, "| `%s` | %s |\n", diagnostics[i].id, diagnostics[i].meaning);
}
