/* Markdown: cmark-gfm parses the source, and its tree becomes galley's model once. */
#include "md.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "md_int.h"
#include "mem.h"
#include "msg.h"
#include "utf8.h"

/* Deeper nesting than this is no document anyone writes; it also bounds the recursion. */
#define MD_MAX_DEPTH 256

/*
 * CommonMark will not close "**重要。**所以" because the closing run sits
 * between punctuation and a letter.  Before parsing, such runs get this
 * punctuation character beside them, which satisfies the flanking rules, and
 * it is removed from every string of the model afterwards.  U+2E2E REVERSED
 * QUESTION MARK has been Unicode punctuation since 5.1 and never occurs in
 * Chinese text; a source that contains it is parsed without the help.
 */
#define FLANK_MARK "\xE2\xB8\xAE"
#define FLANK_MARK_LEN 3

struct md {
	struct doc	*doc;
	const char	*text;		/* what cmark parsed */
	size_t		 len;
	size_t		*line_start;	/* byte offset of each line of text, 0-based */
	size_t		 nlines;
	int		 marked;	/* text holds FLANK_MARKs */
	int		 escaped;	/* text holds escaped delimiters (mark_escapes) */
	unsigned char	*line_kind;	/* per line (1-based): LINE_* from mark_lines(), or NULL */
	size_t		 block_start;	/* the source of the leaf block being converted */
	size_t		 block_end;
	int		 block_line;	/* its first and last lines */
	int		 block_last_line;
	int		 failed;
	/*
	 * char_column()'s furthest character boundary on its last line: nodes come
	 * in source order, so counting goes on from there, not from the line's
	 * start (which was quadratic in a long line of many inline elements).
	 */
	int		 col_line;
	size_t		 col_byte;	/* offset in text */
	size_t		 col_count;	/* characters before it on the line */
};

/* Copies src into out, putting FLANK_MARK beside delimiter runs that touch CJK punctuation. */
static void
mark_cjk_emphasis(const char *src, size_t len, struct buf *out)
{
	size_t i = 0, copied = 0, start, end, slashes;
	int32_t before, after;
	int need_before, need_after;

	while (i < len) {
		if (src[i] != '*' && src[i] != '_') {
			i++;
			continue;
		}
		for (end = i; end < len && src[end] == src[i]; end++)
			;
		for (slashes = 0; slashes < i && src[i - 1 - slashes] == '\\'; slashes++)
			;
		start = i + slashes % 2;	/* an escaped first delimiter is text */
		i = end;
		if (start == end)
			continue;
		before = utf8_before(src, start);
		after = 0;
		if (end < len && utf8_decode(src + end, len - end, &after) == 0)
			after = 0xFFFD;
		if (before == 0 || after == 0 || uc_is_space(before) ||
		    uc_is_space(after) || (!uc_is_wide(before) && !uc_is_wide(after)))
			continue;
		need_before = uc_is_punct(after) && !uc_is_punct(before);
		need_after = uc_is_punct(before) && !uc_is_punct(after);
		if (!need_before && !need_after)
			continue;
		buf_put(out, src + copied, start - copied);
		if (need_before)
			buf_put(out, FLANK_MARK, FLANK_MARK_LEN);
		buf_put(out, src + start, end - start);
		if (need_after)
			buf_put(out, FLANK_MARK, FLANK_MARK_LEN);
		copied = end;
	}
	buf_put(out, src + copied, len - copied);
}

/* Returns a copy of s without FLANK_MARKs (a plain copy when the source had none). */
static char *
md_string(const struct md *md, const char *s)
{
	struct buf out = BUF_INIT;
	const char *hit;

	if (s == NULL)
		return NULL;
	if (!md->marked)
		return mem_strdup(s);
	while ((hit = strstr(s, FLANK_MARK)) != NULL) {
		buf_put(&out, s, (size_t)(hit - s));
		s = hit + FLANK_MARK_LEN;
	}
	buf_puts(&out, s);
	return buf_take(&out);
}

/* Converts cmark's 1-based line and byte column into a character column of the source. */
static int
char_column(struct md *md, int line, int bytecol)
{
	size_t start, end, stop, i, count = 0, step;
	int32_t cp;

	if (line < 1 || (size_t)line > md->nlines || bytecol < 1)
		return 0;
	start = md->line_start[line - 1];
	end = (size_t)line < md->nlines ? md->line_start[line] : md->len;
	if ((size_t)bytecol - 1 > end - start)
		return 0;
	stop = start + (size_t)bytecol - 1;
	i = start;
	if (md->col_line == line && md->col_byte <= stop) {
		i = md->col_byte;
		count = md->col_count;
	}
	for (; i < stop; i += step) {
		step = utf8_decode(md->text + i, stop - i, &cp);
		if (step == 0) {
			/* The column lies inside a character: its bytes count one each. */
			step = 1;
			count++;
			continue;
		}
		if (!(md->marked && step == FLANK_MARK_LEN &&
		    memcmp(md->text + i, FLANK_MARK, FLANK_MARK_LEN) == 0))
			count++;
		md->col_line = line;
		md->col_byte = i + step;
		md->col_count = count;
	}
	return (int)count + 1;
}

static void
index_lines(struct md *md)
{
	size_t i, cap = 0;

	md->line_start = mem_grow(NULL, &cap, 1, sizeof(size_t));
	md->line_start[0] = 0;
	md->nlines = 1;
	for (i = 0; i < md->len; i++)
		if (md->text[i] == '\n' && i + 1 < md->len) {
			md->line_start = mem_grow(md->line_start, &cap,
			    md->nlines + 1, sizeof(size_t));
			md->line_start[md->nlines++] = i + 1;
		}
}

static const char *
type_string(cmark_node *cn)
{
	return cmark_node_get_type_string(cn);
}

static int
is_ext(cmark_node *cn, const char *name)
{
	return strcmp(type_string(cn), name) == 0;
}

enum { ESC_TEXT, ESC_CODE, ESC_CHAR };
static void fix_escapes(const struct md *md, char *s, int how);

static void
set_text(struct md *md, struct doc_node *n, const char *s)
{
	char *bom, *rest;

	free(n->text);
	n->text = md_string(md, s ? s : "");
	fix_escapes(md, n->text, n->type == DOC_TEXT ? ESC_TEXT : ESC_CODE);
	/*
	 * A U+FEFF inside the text is a byte-order mark pasted along with text from
	 * another file: it shows nothing and no font has it, so it goes silently.
	 */
	while ((bom = strstr(n->text, "\xEF\xBB\xBF")) != NULL)
		for (rest = bom + 3; (*bom++ = *rest++) != '\0';)
			;
}

static struct doc_node *convert(struct md *md, cmark_node *cn, int depth);

/* Whether the raw HTML s is a line break tag: <br>, <br/> or <br />, in any case. */
static int
is_br_tag(const char *s)
{
	if (s == NULL || s[0] != '<' || (s[1] != 'b' && s[1] != 'B') ||
	    (s[2] != 'r' && s[2] != 'R'))
		return 0;
	for (s += 3; *s == ' ' || *s == '\t'; s++)
		;
	if (*s == '/')
		s++;
	return s[0] == '>' && s[1] == '\0';
}

static void
set_block_scope(struct md *md, int first, int last)
{
	if (first < 1 || (size_t)first > md->nlines)
		return;
	if (last < first)
		last = first;
	md->block_line = first;
	md->block_last_line = last;
	md->block_start = md->line_start[first - 1];
	md->block_end = (size_t)last < md->nlines ? md->line_start[last] : md->len;
}

static int
scope_has(const struct md *md, const char *open, const char *text)
{
	size_t i, n = strlen(text);

	for (i = md->block_start; i + n + 1 <= md->block_end; i++)
		if (md->text[i] == *open && memcmp(md->text + i + 1, text, n) == 0)
			return 1;
	return 0;
}

/*
 * Whether the autolink extension made this link from a bare URL.  cmark-gfm
 * does not record it; such a link shows its own URL and is written neither
 * as <URL> nor as [URL](…) in the block's source.
 */
static int
is_bare_url(const struct md *md, const struct doc_node *link)
{
	const char *shown;
	size_t n, u;

	if (link->first == NULL || link->first->type != DOC_TEXT ||
	    link->first->next != NULL || link->url == NULL)
		return 0;
	shown = link->first->text;
	n = strlen(shown);
	u = strlen(link->url);
	if (n == 0 || n > u || strcmp(link->url + u - n, shown) != 0)
		return 0;
	return !scope_has(md, "<", shown) && !scope_has(md, "[", shown);
}

static void
convert_children(struct md *md, cmark_node *cn, struct doc_node *parent, int depth)
{
	cmark_node *c;
	struct doc_node *child;

	for (c = cmark_node_first_child(cn); c != NULL && !md->failed;
	    c = cmark_node_next(c))
		if ((child = convert(md, c, depth + 1)) != NULL)
			doc_append(parent, child);
}

static void
convert_table(struct md *md, cmark_node *cn, struct doc_node *table, int depth)
{
	uint16_t i, ncols = cmark_gfm_extensions_get_table_columns(cn);
	uint8_t *al = cmark_gfm_extensions_get_table_alignments(cn);
	cmark_node *row, *cell;
	struct doc_node *r, *c;

	table->aligns = mem_zalloc((size_t)ncols + 1, 1);
	for (i = 0; i < ncols; i++)
		table->aligns[i] = al && (al[i] == 'l' || al[i] == 'c' ||
		    al[i] == 'r') ? (char)al[i] : 'd';
	for (row = cmark_node_first_child(cn); row != NULL; row = cmark_node_next(row)) {
		r = doc_node_new(DOC_ROW, cmark_node_get_start_line(row),
		    char_column(md, cmark_node_get_start_line(row),
		    cmark_node_get_start_column(row)));
		if (cmark_gfm_extensions_get_table_row_is_header(row))
			r->flags |= DOC_HEADER;
		for (cell = cmark_node_first_child(row); cell != NULL;
		    cell = cmark_node_next(cell)) {
			c = doc_node_new(DOC_CELL, r->line,
			    char_column(md, cmark_node_get_start_line(cell),
			    cmark_node_get_start_column(cell)));
			convert_children(md, cell, c, depth + 2);
			doc_append(r, c);
		}
		doc_append(table, r);
	}
}

/*
 * ---- pandoc's inline extensions -------------------------------------------
 * cmark-gfm leaves ^sup^, ~sub~, [span]{.class} and the {attributes} after a
 * link, image or code span as text; galley finds them in the model's text
 * nodes once the tree is converted.  A delimiter the author escaped (\^) was
 * given a noncharacter before cmark read the text (mark_escapes), which the
 * text keeps until then (unmark_escapes).
 */

/*
 * What md_parse's escape pass made of "\^": a backslash before the
 * noncharacter; the character count stays, so columns do.  In a text node it
 * becomes the noncharacter alone until the delimiters are found (how =
 * ESC_TEXT); in code, what the author wrote (ESC_CODE); in a URL or title,
 * the character (ESC_CHAR).  s is rewritten in place: it never grows.
 */
static void
fix_escapes(const struct md *md, char *s, int how)
{
	char *t = s, *o = s, *end;
	int32_t cp;

	if (!md->escaped || s == NULL)
		return;
	end = s + strlen(s);
	while (*t != '\0') {
		if (t[0] == '\\' && utf8_decode(t + 1, (size_t)(end - t - 1), &cp) == 3 &&
		    cp >= MD_ESCAPED_BASE && cp < MD_ESCAPED_BASE + (int32_t)strlen(MD_ESCAPABLE)) {
			if (how == ESC_TEXT) {
				memmove(o, t + 1, 3);
				o += 3;
			} else {
				if (how == ESC_CODE)
					*o++ = '\\';
				*o++ = MD_ESCAPABLE[cp - MD_ESCAPED_BASE];
			}
			t += 4;
		} else
			*o++ = *t++;
	}
	*o = '\0';
}

/* A copy of src[0..len) with each escaped delimiter "\^" made "\" and its noncharacter. */
static char *
mark_escapes(const char *src, size_t len, int *any)
{
	struct buf out = BUF_INIT;
	const char *k;
	size_t i;

	*any = 0;
	for (i = 0; i < len; i++) {
		if (src[i] == '\\' && i + 1 < len && src[i + 1] != '\0' &&
		    (k = strchr(MD_ESCAPABLE, src[i + 1])) != NULL) {
			char cp[4];
			buf_putc(&out, '\\');
			buf_put(&out, cp, utf8_encode(MD_ESCAPED_BASE + (int32_t)(k - MD_ESCAPABLE), cp));
			i++;
			*any = 1;
		} else if (src[i] == '\\' && i + 1 < len) {
			/* any other escape, "\\" too, stays as it is */
			buf_put(&out, src + i, 2);
			i++;
		} else
			buf_putc(&out, src[i]);
	}
	return buf_take(&out);
}

/* Puts the escaped delimiters of n's text children back. */
static void
unmark_escapes(const struct md *md, struct doc_node *n)
{
	struct doc_node *c;
	char *t, *o, *end;
	int32_t cp;
	size_t step;

	if (!md->escaped)
		return;
	for (c = n->first; c != NULL; c = c->next) {
		/* what md_scripts() and md_spans() made at this level holds text of this level */
		if (c->type == DOC_SUPERSCRIPT || c->type == DOC_SUBSCRIPT || c->type == DOC_SPAN)
			unmark_escapes(md, c);
		if (c->type != DOC_TEXT || strstr(c->text, "\xEF\xB7") == NULL)
			continue;
		end = c->text + strlen(c->text);
		for (t = o = c->text; *t != '\0'; t += step) {
			step = utf8_decode(t, (size_t)(end - t), &cp);
			if (step == 0)
				step = 1;
			if (cp >= MD_ESCAPED_BASE && cp < MD_ESCAPED_BASE + (int32_t)strlen(MD_ESCAPABLE))
				*o++ = MD_ESCAPABLE[cp - MD_ESCAPED_BASE];
			else {
				memmove(o, t, step);
				o += step;
			}
		}
		*o = '\0';
	}
}

/* A code block's info "{.lua key=val}" or "lua {.x}": its attributes, and the language first. */
static void
code_attr(struct doc_node *n)
{
	struct doc_attr attr = { NULL, NULL, 0, NULL, 0 };
	char *info = n->info, *brace;
	size_t len, word;

	if (info == NULL || (brace = strchr(info, '{')) == NULL)
		return;
	len = strlen(info);
	while (len > 0 && (info[len - 1] == ' ' || info[len - 1] == '\t'))
		len--;
	if (!doc_attr_parse(brace, len - (size_t)(brace - info), &attr))
		return;
	for (word = 0; info + word < brace && info[word] != ' ' && info[word] != '\t'; word++)
		;
	doc_attr_clear(&n->attr);
	if (word > 0) {
		/* "lua {.numberLines}": the language is the first class, as pandoc has it */
		doc_attr_add_class(&n->attr, info, word);
	}
	n->attr.id = attr.id;
	attr.id = NULL;
	for (size_t i = 0; i < attr.nclasses; i++)
		doc_attr_add_class(&n->attr, attr.classes[i], strlen(attr.classes[i]));
	for (size_t i = 0; i < attr.nkv; i++)
		doc_attr_set(&n->attr, attr.kv[i].key, attr.kv[i].value);
	doc_attr_clear(&attr);
	free(n->info);
	n->info = mem_strdup(n->attr.nclasses > 0 ? n->attr.classes[0] : "");
}

/*
 * ---- Lines cmark would misread --------------------------------------------
 * Two of pandoc's block forms are made readable to cmark before it parses,
 * keeping every line's length, so that positions stay right:
 *  - a closing fence ":::" becomes "***", a thematic break, which ends a list
 *    or paragraph above it (as a line of colons it would run on as their
 *    text); convert() makes it a paragraph ":::" again for md_fenced_divs();
 *  - a definition's marker ":" or "~" under a term becomes "-", a bullet
 *    list, whose items md_deflists() makes definitions of the term.
 * Lines inside fenced code are left alone.
 */
#define LINE_CLOSER	1
#define LINE_DEF	2	/* right under its term */
#define LINE_DEF_LOOSE	3	/* a blank line between */
#define LINE_TILDE	0x10	/* with LINE_DEF*: the marker was "~" */


static int
is_blank_line(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++, n--;
	return n == 0;
}

/* Fills md->line_kind and rewrites md->text (copied into *own when it must be) as above. */
static void
mark_lines(struct md *md, char **own)
{
	size_t l, start, end, i, n, fence_len = 0;
	char fence = 0, *t;
	int prev_blank = 1, prev2_blank = 1;

	for (l = 0; l < md->nlines; l++, prev2_blank = prev_blank, prev_blank = is_blank_line(
	    md->text + start, end - start)) {
		start = md->line_start[l];
		end = l + 1 < md->nlines ? md->line_start[l + 1] : md->len;
		if (end > start && md->text[end - 1] == '\n')
			end--;
		for (i = start; i < end && md->text[i] == ' '; i++)
			;
		for (n = 0; i + n < end && (md->text[i + n] == '`' || md->text[i + n] == '~') &&
		    md->text[i + n] == md->text[i]; n++)
			;
		if (n >= 3 && (fence == 0 || (md->text[i] == fence && n >= fence_len &&
		    is_blank_line(md->text + i + n, end - i - n)))) {
			fence_len = fence ? 0 : n;
			fence = fence ? 0 : md->text[i];
			continue;
		}
		if (fence != 0 || i - start > 3 || i == end)
			continue;
		for (n = 0; i + n < end && md->text[i + n] == ':'; n++)
			;
		if (n >= 3 && is_blank_line(md->text + i + n, end - i - n)) {
			if (md->line_kind == NULL)
				md->line_kind = mem_zalloc(md->nlines + 2, 1);
			md->line_kind[l + 1] = LINE_CLOSER;
		} else if ((md->text[i] == ':' || md->text[i] == '~') && i + 2 < end &&
		    (md->text[i + 1] == ' ' || md->text[i + 1] == '\t') &&
		    !is_blank_line(md->text + i + 1, end - i - 1) &&
		    (!prev_blank || (l >= 2 && !prev2_blank))) {
			if (md->line_kind == NULL)
				md->line_kind = mem_zalloc(md->nlines + 2, 1);
			md->line_kind[l + 1] = (prev_blank ? LINE_DEF_LOOSE : LINE_DEF) |
			    (md->text[i] == '~' ? LINE_TILDE : 0);
			n = 1;
		} else
			continue;
		if (*own == NULL) {
			*own = mem_strndup(md->text, md->len);
			md->text = *own;
		}
		t = *own;
		memset(t + i, n == 1 ? '-' : '*', n);
	}
}

/* Returns the model node for cn and its subtree, or NULL for nodes galley drops. */
static struct doc_node *
convert(struct md *md, cmark_node *cn, int depth)
{
	cmark_node_type t = cmark_node_get_type(cn);
	int line = cmark_node_get_start_line(cn);
	int col = char_column(md, line, cmark_node_get_start_column(cn));
	struct doc_node *n;
	enum doc_type type;

	if (depth > MD_MAX_DEPTH) {
		msg_at(MSG_ERROR, md->doc->source, line, col, "%s nested more than %d deep",
		    (t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_INLINE ? "inline elements "
		    "(emphasis, links)" : "blocks", MD_MAX_DEPTH);
		md->failed = 1;
		return NULL;
	}
	switch (t) {
	case CMARK_NODE_PARAGRAPH:	type = DOC_PARA; break;
	case CMARK_NODE_HEADING:	type = DOC_HEADING; break;
	case CMARK_NODE_BLOCK_QUOTE:	type = DOC_BLOCKQUOTE; break;
	case CMARK_NODE_LIST:		type = DOC_LIST; break;
	case CMARK_NODE_ITEM:		type = DOC_ITEM; break;
	case CMARK_NODE_CODE_BLOCK:	type = DOC_CODEBLOCK; break;
	case CMARK_NODE_HTML_BLOCK:	type = DOC_RAWBLOCK; break;
	case CMARK_NODE_THEMATIC_BREAK:
		if (md->line_kind && line >= 1 && (size_t)line <= md->nlines &&
		    md->line_kind[line] == LINE_CLOSER) {
			/* a closing fence (mark_lines): a paragraph ":::" for md_fenced_divs() */
			n = doc_node_new(DOC_PARA, line, col);
			doc_append(n, doc_node_new(DOC_TEXT, line, col));
			n->first->text = mem_strdup(":::");
			return n;
		}
		type = DOC_HR;
		break;
	case CMARK_NODE_FOOTNOTE_DEFINITION: type = DOC_FOOTNOTE; break;
	case CMARK_NODE_TEXT:		type = DOC_TEXT; break;
	case CMARK_NODE_EMPH:		type = DOC_EMPH; break;
	case CMARK_NODE_STRONG:		type = DOC_STRONG; break;
	case CMARK_NODE_CODE:		type = DOC_CODE; break;
	case CMARK_NODE_LINK:		type = DOC_LINK; break;
	case CMARK_NODE_IMAGE:		type = DOC_IMAGE; break;
	case CMARK_NODE_SOFTBREAK:	type = DOC_SOFTBREAK; break;
	case CMARK_NODE_LINEBREAK:	type = DOC_LINEBREAK; break;
	case CMARK_NODE_HTML_INLINE:
		/* <br> is the one way to break a line in a GFM table cell; it is safe. */
		type = is_br_tag(cmark_node_get_literal(cn)) ? DOC_LINEBREAK : DOC_RAWINLINE;
		break;
	case CMARK_NODE_FOOTNOTE_REFERENCE: type = DOC_NOTEREF; break;
	default:
		/* Extension node types are run-time values, known by name. */
		if (is_ext(cn, "table"))
			type = DOC_TABLE;
		else if (is_ext(cn, "strikethrough"))
			type = DOC_STRIKE;
		else {
			msg_at(MSG_WARNING, md->doc->source, line, col,
			    "unsupported Markdown element '%s' ignored",
			    type_string(cn));
			return NULL;
		}
	}
	if (doc_is_inline(type) && (col == 0 || line < md->block_line ||
	    line > md->block_last_line)) {
		/* Some inline positions cmark leaves out or gets wrong; the block's then serve. */
		line = col = 0;
	}
	n = doc_node_new(type, line, col);
	switch (type) {
	case DOC_HEADING:
		n->level = cmark_node_get_heading_level(cn);
		break;
	case DOC_LIST:
		if (cmark_node_get_list_type(cn) == CMARK_ORDERED_LIST) {
			n->flags |= DOC_ORDERED;
			n->num = cmark_node_get_list_start(cn);
			if (cmark_node_get_list_delim(cn) == CMARK_PAREN_DELIM)
				n->flags |= DOC_PAREN;
		}
		if (cmark_node_get_list_tight(cn))
			n->flags |= DOC_TIGHT;
		if (md->line_kind && line >= 1 && (size_t)line <= md->nlines &&
		    (md->line_kind[line] & ~LINE_TILDE) >= LINE_DEF)
			n->flags |= MD_DEFS | ((md->line_kind[line] & ~LINE_TILDE) == LINE_DEF_LOOSE ||
			    !(n->flags & DOC_TIGHT) ? MD_DEFS_LOOSE : 0) |
			    (md->line_kind[line] & LINE_TILDE ? MD_DEFS_TILDE : 0);
		break;
	case DOC_ITEM:
		if (is_ext(cn, "tasklist")) {
			n->flags |= DOC_TASK;
			if (cmark_gfm_extensions_get_tasklist_item_checked(cn))
				n->flags |= DOC_CHECKED;
		}
		break;
	case DOC_CODEBLOCK:
		n->info = md_string(md, cmark_node_get_fence_info(cn));
		fix_escapes(md, n->info, ESC_CHAR);
		code_attr(n);
		set_text(md, n, cmark_node_get_literal(cn));
		break;
	case DOC_RAWBLOCK:
	case DOC_RAWINLINE:
		n->info = mem_strdup("html");
		set_text(md, n, cmark_node_get_literal(cn));
		break;
	case DOC_TEXT:
		set_text(md, n, cmark_node_get_literal(cn));
		break;
	case DOC_CODE:
		set_text(md, n, cmark_node_get_literal(cn));
		break;
	case DOC_LINK:
	case DOC_IMAGE:
		n->url = md_string(md, cmark_node_get_url(cn));
		fix_escapes(md, n->url, ESC_CHAR);
		if (cmark_node_get_title(cn) && *cmark_node_get_title(cn)) {
			n->title = md_string(md, cmark_node_get_title(cn));
			fix_escapes(md, n->title, ESC_CHAR);
		}
		break;
	case DOC_NOTEREF:
		n->num = atoi(cmark_node_get_literal(cn) ? cmark_node_get_literal(cn) : "0");
		break;
	case DOC_DOCUMENT:
	case DOC_PARA:
	case DOC_BLOCKQUOTE:
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
	case DOC_EMPH:
	case DOC_STRONG:
	case DOC_STRIKE:
	case DOC_SUPERSCRIPT:
	case DOC_SUBSCRIPT:
	case DOC_SOFTBREAK:
	case DOC_LINEBREAK:
	case DOC_SPAN:
		break;
	}
	if (!doc_is_inline(type) && line > 0)
		set_block_scope(md, line, cmark_node_get_end_line(cn));
	if (type == DOC_TABLE)
		convert_table(md, cn, n, depth);
	else
		convert_children(md, cn, n, depth);
	if (type == DOC_LINK && is_bare_url(md, n))
		n->flags |= DOC_BARE_URL;
	return n;
}

/* The first (or last) character of an inline's text, or 0 when it has none. */
static int32_t
edge_char(const struct doc_node *n, int last)
{
	int32_t cp = 0;

	while (n != NULL) {
		switch (n->type) {
		case DOC_TEXT:
		case DOC_CODE:
			if (last)
				return utf8_before(n->text, strlen(n->text));
			utf8_decode(n->text, strlen(n->text), &cp);
			return cp;
		case DOC_EMPH:
		case DOC_STRONG:
		case DOC_STRIKE:
		case DOC_SUPERSCRIPT:
		case DOC_SUBSCRIPT:
		case DOC_LINK:
		case DOC_IMAGE:
			n = last ? n->last : n->first;
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
		case DOC_SOFTBREAK:
		case DOC_LINEBREAK:
		case DOC_RAWINLINE:
		case DOC_NOTEREF:
		case DOC_SPAN:
			return 0;
		}
	}
	return 0;
}

static int
is_wide_punct(int32_t cp)
{
	return uc_is_wide(cp) && uc_is_punct(cp);
}

/*
 * Curly quotes, the dash, the ellipsis and the middle dot: Unicode leaves their
 * width ambiguous, and next to a Chinese character they are Chinese marks.
 */
static int
is_shared_mark(int32_t cp)
{
	return cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 ||
	    cp == 0x2014 || cp == 0x2026 || cp == 0x00B7;
}

/* A line break that editors typed inside Chinese text means nothing; elsewhere a space. */
static int
break_is_void(const struct doc_node *brk)
{
	const struct doc_node *p = brk->prev, *q = brk->next;
	int32_t a, b;

	while (p != NULL && p->type == DOC_NOTEREF)
		p = p->prev;
	a = edge_char(p, 1);
	b = edge_char(q, 0);
	if (a == 0 || b == 0)
		return 0;
	return (uc_is_wide(a) && uc_is_wide(b)) || is_wide_punct(a) ||
	    is_wide_punct(b) || (uc_is_wide(a) && is_shared_mark(b)) ||
	    (is_shared_mark(a) && uc_is_wide(b));
}

static int
url_stop(int32_t cp)
{
	return uc_is_wide(cp) || uc_is_space(cp) || cp == '<';
}

/* GFM's rule for what a bare URL leaves out at its end: trailing punctuation, unmatched ')'. */
static size_t
trim_url_end(const char *s, size_t end)
{
	size_t i, open, close;

	while (end > 0) {
		char c = s[end - 1];
		if (strchr("?!.,:;*_~'\"", c) != NULL) {
			end--;
			continue;
		}
		if (c == ')') {
			for (open = close = 0, i = 0; i < end; i++) {
				open += s[i] == '(';
				close += s[i] == ')';
			}
			if (close > open) {
				end--;
				continue;
			}
		}
		break;
	}
	return end;
}

struct doc_node *
md_text_node(const char *s, size_t len)
{
	struct doc_node *t = doc_node_new(DOC_TEXT, 0, 0);

	t->text = mem_strndup(s, len);
	return t;
}

/*
 * Gives a node cut out of a one-line text (cmark's text nodes hold no line
 * break) the place bytes bytes of s into it, where node from stands; a check
 * that points into the text needs it.
 */
static void
place_after(struct doc_node *n, const struct doc_node *from, const char *s, size_t bytes)
{
	size_t i, step;
	int32_t cp;
	int col = from->col;

	if (from->line == 0 || from->col == 0)
		return;
	for (i = 0; i < bytes; i += step, col++)
		if ((step = utf8_decode(s + i, bytes - i, &cp)) == 0)
			return;
	n->line = from->line;
	n->col = col;
}

/*
 * Finds the next bare URL in s from byte from: returns its start, and its end
 * in *end, or -1.  With www_after_cjk, only a "www." that follows a CJK
 * character counts: the autolink extension wants a space before "www.", which
 * Chinese text does not have.
 */
static long
find_url(const char *s, size_t len, size_t from, size_t *end, int www_after_cjk)
{
	static const char *const schemes[] = { "https://", "http://", "www." };
	size_t i, k, n, stop;
	int32_t cp;

	for (i = from; i < len; i++) {
		if (s[i] != 'h' && s[i] != 'w')
			continue;
		if (i > 0 && ((s[i - 1] >= 'a' && s[i - 1] <= 'z') ||
		    (s[i - 1] >= 'A' && s[i - 1] <= 'Z') ||
		    (s[i - 1] >= '0' && s[i - 1] <= '9')))
			continue;
		for (k = www_after_cjk ? 2 : 0; k < 3; k++) {
			size_t sl = strlen(schemes[k]);
			if (len - i <= sl || strncmp(s + i, schemes[k], sl) != 0)
				continue;
			if (www_after_cjk && !uc_is_wide(utf8_before(s, i)))
				continue;
			for (stop = i + sl; stop < len; stop += n) {
				if ((n = utf8_decode(s + stop, len - stop, &cp)) == 0 ||
				    url_stop(cp))
					break;
			}
			stop = trim_url_end(s, stop);
			if (stop > i + sl && memchr(s + i + sl, '.', stop - i - sl)) {
				*end = stop;
				return (long)i;
			}
		}
	}
	return -1;
}

/* Turns the bare URLs inside a text node into links that follow it. */
static void
link_bare_urls(struct doc_node *text, int www_after_cjk)
{
	size_t end, len, n;
	long at;
	struct doc_node *link, *rest;
	const char *s;

	for (;;) {
		s = text->text;
		len = strlen(s);
		if ((at = find_url(s, len, 0, &end, www_after_cjk)) < 0)
			return;
		n = end - (size_t)at;
		link = doc_node_new(DOC_LINK, 0, 0);
		link->flags |= DOC_BARE_URL;
		if (s[at] == 'w') {
			link->url = mem_alloc(n + 8);
			memcpy(link->url, "http://", 7);
			memcpy(link->url + 7, s + at, n);
			link->url[n + 7] = '\0';
		} else
			link->url = mem_strndup(s + at, n);
		doc_append(link, md_text_node(s + at, n));
		place_after(link, text, s, (size_t)at);
		place_after(link->first, text, s, (size_t)at);
		doc_insert_after(text, link);
		rest = md_text_node(s + end, len - end);
		place_after(rest, text, s, end);
		doc_insert_after(link, rest);
		text->text[at] = '\0';
		text = rest;
	}
}

/*
 * The autolink extension runs a bare URL on to the next space, which in
 * Chinese text may be a sentence away: "见https://a.org/x。下文".  Cut the
 * link before the first CJK character, give the rest back to the text, and
 * link any URL that the rest holds.
 */
static void
cut_bare_url(struct doc_node *link)
{
	struct doc_node *shown = link->first, *rest;
	const char *s;
	size_t len, cut, n, prefix;
	int32_t cp;

	if (shown == NULL || shown->type != DOC_TEXT || shown->next != NULL)
		return;
	/* The autolink extension gives its links no place; they follow the text before. */
	if (link->line == 0 && link->prev != NULL && link->prev->type == DOC_TEXT) {
		place_after(link, link->prev, link->prev->text, strlen(link->prev->text));
		place_after(shown, link->prev, link->prev->text, strlen(link->prev->text));
	}
	s = shown->text;
	len = strlen(s);
	for (cut = 0; cut < len; cut += n)
		if ((n = utf8_decode(s + cut, len - cut, &cp)) == 0 || uc_is_wide(cp))
			break;
	if (cut == len)
		return;
	n = strlen(link->url);
	if (n < len || strcmp(link->url + n - len, s) != 0)
		return;
	prefix = n - len;
	cut = trim_url_end(s, cut);
	rest = md_text_node(s + cut, len - cut);
	place_after(rest, shown, s, cut);
	if (cut == 0) {
		/* Nothing of a URL is left: the link becomes its text. */
		doc_insert_after(link, rest);
		doc_unlink(link);
		doc_node_free(link);
	} else {
		link->url[prefix + cut] = '\0';
		shown->text[cut] = '\0';
		doc_insert_after(link, rest);
	}
	link_bare_urls(rest, 0);
}

/* A Han character (CJK ideographs and their extensions, 〇): not kana, marks or U+3000. */
int
md_is_han(int32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) || cp == 0x3007;
}

/*
 * Drops each single ASCII space between two Han characters of text node t
 * ("是 由 麻 省 理 工", as OCR and pasting leave it), as a line break between
 * them is dropped, so that HTML and PDF show the same; warns once per text
 * at the first one.  Deliberate spacing stays: U+3000, two or more spaces,
 * and a space with anything but a Han character on either side (a mark, a
 * Latin word, the edge of emphasis or a link).
 */
static void
drop_han_spaces(struct md *md, struct doc_node *t)
{
	char *s = t->text;
	size_t len = strlen(s), i, out = 0, n;
	int32_t prev = 0, cp, next;
	int dropped = 0, line = t->line, col = t->col;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return;	/* md_parse's input was checked as UTF-8: never */
		if (cp == ' ' && md_is_han(prev) && i + 1 < len && s[i + 1] != ' ' &&
		    utf8_decode(s + i + 1, len - i - 1, &next) > 0 && md_is_han(next)) {
			/* Found in the text as it was: the place is the first space's. */
			if (dropped++ == 0 && md_locate(md->doc, t->file, t->line, t->col, s, i,
			    &line, &col) == -1) {
				line = t->line;
				col = t->col;
			}
			prev = cp;
			continue;
		}
		prev = cp;
		if (dropped > 0)
			memmove(s + out, s + i, n);
		out += n;
	}
	if (dropped == 0)
		return;
	s[out] = '\0';
	msg_at(MSG_WARNING, doc_node_file(md->doc, t), line, col, "%d space%s between Han "
	    "characters dropped, as a line break there is (U+3000 or two spaces keep one)",
	    dropped, dropped == 1 ? "" : "s");
}

/* Applies the Chinese-editor rules to the inlines below n, children first. */
static void
fix_inlines(struct md *md, struct doc_node *n, int in_link)
{
	struct doc_node *c, *after;

	for (c = n->first; c != NULL; c = after) {
		after = c->next;	/* what is inserted after c is finished text */
		if (c->type == DOC_LINK && (c->flags & DOC_BARE_URL))
			cut_bare_url(c);
		else if (c->type == DOC_TEXT && !in_link)
			link_bare_urls(c, 1);
		else if (c->first != NULL)
			fix_inlines(md, c, in_link || c->type == DOC_LINK ||
			    c->type == DOC_IMAGE);
	}
	doc_merge_texts(n);
	md_attrs_after(n);
	md_spans(n);
	md_scripts(n);
	unmark_escapes(md, n);
	doc_merge_texts(n);
	if (n->type == DOC_HEADING)
		md_heading_attr(n);
	for (c = n->first; c != NULL; c = after) {
		after = c->next;
		if (c->type == DOC_SOFTBREAK && break_is_void(c)) {
			doc_unlink(c);
			doc_node_free(c);
		}
	}
	doc_merge_texts(n);
	for (c = n->first; c != NULL; c = c->next)
		if (c->type == DOC_TEXT)
			drop_han_spaces(md, c);
}

static int
contains(const char *s, size_t len, const char *needle, size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The node after at in a walk of note's subtree in document order, or NULL at its end. */
static const struct doc_node *
next_in(const struct doc_node *note, const struct doc_node *at)
{
	if (at->first != NULL)
		return at->first;
	while (at != note && at->next == NULL)
		at = at->parent;
	return at == note ? NULL : at->next;
}

/*
 * Filters get each note inside its reference, so a note that refers to
 * itself, directly or through other notes, would hold itself.  Reports the
 * reference that closes such a loop; returns -1 then.  The notes are walked
 * depth first with a stack of their own: a long chain of notes does not
 * exhaust C's.
 */
static int
check_note_loops(struct md *md, struct doc_node *root, int count)
{
	struct walk { const struct doc_node *note, *at; } *stack;
	const struct doc_node **notes, *c;
	char *state;	/* per note number: 0 not seen, 1 being walked, 2 done */
	size_t depth = 0;
	int i, j, rc = 0;

	notes = mem_zalloc((size_t)count + 1, sizeof(*notes));
	state = mem_zalloc((size_t)count + 1, 1);
	stack = mem_zalloc((size_t)count + 1, sizeof(*stack));
	for (c = root->first; c != NULL; c = c->next)
		if (c->type == DOC_FOOTNOTE)
			notes[c->num] = c;
	for (i = 1; i <= count && rc == 0; i++) {
		if (state[i] != 0)
			continue;
		state[i] = 1;
		stack[depth++] = (struct walk){ notes[i], notes[i] };
		while (depth > 0) {
			struct walk *top = &stack[depth - 1];
			if ((top->at = next_in(top->note, top->at)) == NULL) {
				state[top->note->num] = 2;
				depth--;
				continue;
			}
			if (top->at->type != DOC_NOTEREF || top->at->num < 1 ||
			    top->at->num > count)
				continue;
			j = top->at->num;
			if (state[j] == 1) {
				msg_at(MSG_ERROR, md->doc->source, top->at->line, top->at->col,
				    "this footnote reference puts note %d inside itself "
				    "(a note may refer to other notes, not back to its own)", j);
				rc = -1;
				break;
			}
			if (state[j] == 0) {
				state[j] = 1;
				stack[depth++] = (struct walk){ notes[j], notes[j] };
			}
		}
	}
	free(notes);
	free(state);
	free(stack);
	return rc;
}

int
md_parse(struct doc *doc, const char *src, size_t len)
{
	static const char *const extensions[] = {
		"table", "strikethrough", "autolink", "tasklist"
	};
	/* Single tildes stay text: Chinese writes ranges as "10~20人". */
	const int options = CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES |
	    CMARK_OPT_UNSAFE | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
	struct md md;
	struct buf marked = BUF_INIT;
	char *escaped = NULL;
	cmark_parser *parser;
	cmark_syntax_extension *ext;
	cmark_node *root;
	struct doc_node *c;
	size_t i;
	int footnotes = 0;
	char id[32];

	memset(&md, 0, sizeof(md));
	md.doc = doc;
	md.text = src;
	md.len = len;
	if (!contains(src, len, FLANK_MARK, FLANK_MARK_LEN)) {
		mark_cjk_emphasis(src, len, &marked);
		md.text = buf_str(&marked);
		md.len = marked.len;
		md.marked = marked.len != len;
	}
	/* A source that holds the noncharacters itself keeps its escapes as cmark reads them. */
	if (memchr(md.text, '\\', md.len) != NULL && !contains(md.text, md.len, "\xEF\xB7\x90", 3) &&
	    !contains(md.text, md.len, "\xEF\xB7\x91", 3) && !contains(md.text, md.len, "\xEF\xB7\x92", 3) &&
	    !contains(md.text, md.len, "\xEF\xB7\x93", 3) && !contains(md.text, md.len, "\xEF\xB7\x94", 3)) {
		escaped = mark_escapes(md.text, md.len, &md.escaped);
		if (md.escaped) {
			md.text = escaped;
			md.len = strlen(escaped);
		} else {
			free(escaped);
			escaped = NULL;
		}
	}
	index_lines(&md);
	mark_lines(&md, &escaped);
	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(options);
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		if ((ext = cmark_find_syntax_extension(extensions[i])) == NULL) {
			msg_at(MSG_ERROR, NULL, 0, 0,
			    "cmark-gfm has no '%s' extension", extensions[i]);
			md.failed = 1;
			continue;
		}
		cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, md.text, md.len);
	root = cmark_parser_finish(parser);
	if (!md.failed)
		convert_children(&md, root, doc->root, 0);
	cmark_node_free(root);
	cmark_parser_free(parser);
	/* cmark puts the referenced definitions last, in order of first reference. */
	for (c = doc->root->first; c != NULL; c = c->next)
		if (c->type == DOC_FOOTNOTE) {
			c->num = ++footnotes;
			snprintf(id, sizeof(id), "fn-%d", c->num);
			c->attr.id = mem_strdup(id);
		}
	if (!md.failed && check_note_loops(&md, doc->root, footnotes) == -1)
		md.failed = 1;
	if (!md.failed && md.line_kind != NULL)
		md_deflists(doc->root);
	if (!md.failed && contains(md.text, md.len, ":::", 3))
		md_fenced_divs(doc->source, doc->root);
	if (!md.failed)
		fix_inlines(&md, doc->root, 0);
	free(md.line_start);
	free(md.line_kind);
	buf_free(&marked);
	free(escaped);
	return md.failed ? -1 : 0;
}

/* Source bytes md_locate passes over in a row before it gives up following a text. */
#define LOCATE_MAX_SKIP	64

int
md_locate(const struct doc *doc, int file, int line, int col, const char *text,
    size_t offset, int *at_line, int *at_col)
{
	const char *src = file >= 0 && (size_t)file < doc->nfiles ? doc->texts[file] : NULL;
	size_t len = src ? doc->lens[file] : 0, i = 0, j = 0, n, m, tlen = strlen(text), skipped = 0;
	int32_t a, b;
	int l = 1, c;

	if (src == NULL || line < 1 || col < 1 || offset >= tlen)
		return -1;
	for (; l < line && i < len; i++)
		if (src[i] == '\n')
			l++;
	for (c = 1; c < col && i < len && src[i] != '\n'; c++)
		i += (n = utf8_decode(src + i, len - i, &a)) ? n : 1;
	if (l != line || c != col)
		return -1;
	/* Until j stands on the target and i on the same character. */
	while (i < len) {
		n = utf8_decode(src + i, len - i, &a);
		m = utf8_decode(text + j, tlen - j, &b);
		if (n == 0 || m == 0)
			return -1;
		if (a == b) {
			if (j > offset)
				return -1;	/* offset is inside a character */
			if (j == offset) {
				*at_line = l;
				*at_col = c;
				return 0;
			}
			j += m;
			skipped = 0;
		} else if ((skipped += n) > LOCATE_MAX_SKIP)
			return -1;
		i += n;
		if (a == '\n') {
			l++;
			c = 1;
		} else
			c++;
	}
	return -1;
}
