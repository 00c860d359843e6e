/* pandoc's inline extensions, made from the text cmark-gfm leaves: attributes after links, images,
 * code spans and headings, bracketed spans, ^superscript^ and ~subscript~. */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "md_int.h"
#include "utf8.h"

/* Takes "{#id .class}" off the end of a heading's text into its attributes. */
void
md_heading_attr(struct doc_node *h)
{
	struct doc_node *t = h->last;
	struct doc_attr attr = { NULL, NULL, 0, NULL, 0 };
	size_t len, open;
	char *s;

	if (t == NULL || t->type != DOC_TEXT)
		return;
	s = t->text;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || s[len - 1] != '}')
		return;
	for (open = len; open-- > 0;) {
		if (s[open] != '{')
			continue;
		if (open > 0 && s[open - 1] != ' ' && s[open - 1] != '\t')
			continue;
		if (!doc_attr_parse(s + open, len - open, &attr))
			continue;
		doc_attr_clear(&h->attr);
		h->attr = attr;
		while (open > 0 && (s[open - 1] == ' ' || s[open - 1] == '\t'))
			open--;
		s[open] = '\0';
		if (open == 0) {
			doc_unlink(t);
			doc_node_free(t);
		}
		return;
	}
}

/*
 * A new text node for t's text from byte at on, placed after t, which keeps
 * the text before at.  A text node lies on one source line, a character of
 * the source for each of its own but for escapes (an escaped delimiter's
 * noncharacter stands for two): its place is counted from t's, in time
 * linear in at (md_locate, which walks from the file's start, would make a
 * long text of many ^x^ quadratic).
 */
static struct doc_node *
split_text(struct doc_node *t, size_t at, int known_col)
{
	struct doc_node *rest = md_text_node(t->text + at, strlen(t->text + at));
	size_t i, step;
	int32_t cp;
	int col = t->col;

	rest->file = t->file;
	if (t->line > 0 && t->col > 0 && known_col > 0) {
		rest->line = t->line;
		rest->col = known_col;
	} else if (t->line > 0 && t->col > 0) {
		for (i = 0; i < at; i += step, col++) {
			if ((step = utf8_decode(t->text + i, at - i, &cp)) == 0)
				step = 1;
			else if (cp >= MD_ESCAPED_BASE && cp < MD_ESCAPED_BASE + (int32_t)strlen(MD_ESCAPABLE))
				col++;
		}
		rest->line = t->line;
		rest->col = col;
	}
	t->text[at] = '\0';
	doc_insert_after(t, rest);
	return rest;
}

/*
 * The columns text[from..to) takes in the source, as split_text counts them,
 * counted from either end (a character starts at each byte that is not a
 * continuation byte; an escaped delimiter, EF B7 90-94, takes two).
 */
static int
cols_between(const char *text, size_t from, size_t to)
{
	int n = 0;

	for (; from < to; from++) {
		unsigned char b = (unsigned char)text[from];
		if ((b & 0xC0) != 0x80)
			n++;
		if (b == 0xEF && from + 2 < to && (unsigned char)text[from + 1] == 0xB7 &&
		    (unsigned char)text[from + 2] >= 0x90 && (unsigned char)text[from + 2] <= 0x94)
			n++;
	}
	return n;
}

/*
 * How far a block of attributes, or a span's text back to its "[", is looked
 * for: they are short, and a text full of "]{" costs linear time so.
 */
#define ATTR_MAX	1024
#define SPAN_MAX	4096

/* The length of the attribute block "{…}" that starts s, or 0; fills attr. */
static size_t
attr_block(const char *s, struct doc_attr *attr)
{
	const char *close;

	memset(attr, 0, sizeof(*attr));
	if (s[0] != '{' || (close = memchr(s, '}', strnlen(s, ATTR_MAX))) == NULL)
		return 0;
	return doc_attr_parse(s, (size_t)(close - s) + 1, attr) ? (size_t)(close - s) + 1 : 0;
}

/* Takes "{…}" right after a link, image or code span into its attributes. */
void
md_attrs_after(struct doc_node *n)
{
	struct doc_node *c, *t;
	struct doc_attr attr;
	size_t len;

	for (c = n->first; c != NULL; c = c->next) {
		if ((c->type != DOC_LINK && c->type != DOC_IMAGE && c->type != DOC_CODE) ||
		    (t = c->next) == NULL || t->type != DOC_TEXT ||
		    (len = attr_block(t->text, &attr)) == 0)
			continue;
		doc_attr_clear(&c->attr);
		c->attr = attr;
		split_text(t, len, 0);
		doc_unlink(t);
		doc_node_free(t);
	}
}

/*
 * [inlines]{attributes}: a Span.  cmark left the brackets as text; the
 * closing "]{" is found in a text node and its "[" among the text nodes
 * before it, at the same level.  The texts are read from the end: what a
 * span cuts off is then what lies between it and the span after it, so a
 * text of many spans costs linear time.  Spans inside a span are found in it.
 */
void
md_spans(struct doc_node *n)
{
	struct doc_node *c, *o, *span, *m, *close_node, *prev;
	struct doc_attr attr;
	size_t len, limit, at, k, looked, end_byte;
	int depth, found, known, in_c, end_col, col_at = 0, col_m = 0, col_k = 0;

	for (c = n->last; c != NULL; c = prev) {
		prev = c->prev;
		if (c->type != DOC_TEXT || strstr(c->text, "]{") == NULL)
			continue;
		/* c's end, from which the places of what is cut off it are counted back */
		end_byte = strlen(c->text);
		known = c->line > 0 && c->col > 0;
		end_col = c->col + cols_between(c->text, 0, end_byte);
		for (limit = end_byte; limit >= 2; ) {
			/* the last "]{" before limit */
			for (at = limit - 1; at > 0 && !(c->text[at - 1] == ']' && c->text[at] == '{'); at--)
				;
			if (at == 0)
				break;
			at--;
			limit = at;
			if ((len = attr_block(c->text + at + 1, &attr)) == 0)
				continue;
			/* The "[" that opens it: brackets in the text between pair up. */
			depth = 0;
			found = 0;
			looked = 0;
			k = at;
			for (o = c; o != NULL && looked < SPAN_MAX; o = o->prev) {
				if (o != c)
					k = o->type == DOC_TEXT ? strlen(o->text) : 0;
				while (!found && k-- > 0 && looked++ < SPAN_MAX) {
					if (o->text[k] == ']')
						depth++;
					else if (o->text[k] == '[' && depth-- == 0)
						found = 1;
				}
				if (found)
					break;
			}
			if (!found) {
				doc_attr_clear(&attr);
				continue;
			}
			/* Cut the closing "]{…}" off c, then the "[" off o, and gather what is between. */
			if (known) {
				col_at = end_col - cols_between(c->text, at, end_byte);
				col_m = end_col - cols_between(c->text, at + len + 1, end_byte);
				col_k = o == c ? end_col - cols_between(c->text, k, end_byte) : 0;
			}
			close_node = split_text(c, at, col_at);
			m = split_text(close_node, len + 1, col_m);
			doc_unlink(close_node);
			doc_node_free(close_node);
			/* o now starts with the "[": in c, its place is counted from c's end */
			in_c = o == c;
			o = split_text(o, k, col_k);
			span = doc_node_new(DOC_SPAN, o->line, o->col);
			span->file = o->file;
			span->attr = attr;
			memmove(o->text, o->text + 1, strlen(o->text));
			if (o->col > 0)
				o->col++;
			doc_insert_before(o, span);
			while (span->next != m) {
				struct doc_node *x = span->next;
				doc_unlink(x);
				doc_append(span, x);
			}
			doc_merge_texts(span);
			md_spans(span);
			if (in_c) {
				/* c is left with its text before the "[": go on in it */
				end_byte = limit = k;
				end_col = col_k;
				continue;
			}
			/* else what is left before the span is its opener's text, cut at the "[" */
			prev = span->prev;
			break;
		}
	}
}

/* Whether cp may stand inside ~sub~: Chinese writes ranges as 10~20人，30~40人. */
static int
is_cjk_text(int32_t cp)
{
	return md_is_han(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/*
 * The end of ^sup^ or ~sub~ whose opening delimiter is s[0], or 0: pandoc's
 * rule, no space inside unless escaped, and not empty; for ~, no Chinese text
 * inside and not part of ~~.
 */
static size_t
script_end(const char *s, size_t len)
{
	size_t i, step;
	int32_t cp;

	if (s[0] == '~' && s[1] == '~')
		return 0;
	for (i = 1; i < len; i += step) {
		if ((step = utf8_decode(s + i, len - i, &cp)) == 0)
			return 0;
		if (cp == s[0])
			return i > 1 && !(s[0] == '~' && s[i + 1] == '~') ? i : 0;
		if (cp == '\\' && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
			step = 2;
			continue;
		}
		if (cp == ' ' || cp == '\t' || cp == '\n' || (s[0] == '~' && is_cjk_text(cp)))
			return 0;
	}
	return 0;
}

/*
 * The place of byte `to` of text node t, counting on from byte *at at column
 * *col (see split_text: a character a column, an escaped delimiter two).
 */
static void
count_cols(const struct doc_node *t, size_t to, size_t *at, int *col)
{
	size_t step;
	int32_t cp;

	for (; *at < to; *at += step, (*col)++) {
		if ((step = utf8_decode(t->text + *at, to - *at, &cp)) == 0)
			step = 1;
		else if (cp >= MD_ESCAPED_BASE && cp < MD_ESCAPED_BASE + (int32_t)strlen(MD_ESCAPABLE))
			(*col)++;
	}
}

/* A text node of s[0..len), at line:col when line is known, in file. */
static struct doc_node *
piece(const char *s, size_t len, int file, int line, int col)
{
	struct doc_node *t = md_text_node(s, len);

	t->file = file;
	if (line > 0) {
		t->line = line;
		t->col = col;
	}
	return t;
}

/*
 * ^sup^ and ~sub~ in the text children of n (and of the spans among them).
 * Each text is read once and its pieces made once: a long text of many ^x^
 * costs linear time.
 */
void
md_scripts(struct doc_node *n)
{
	struct doc_node *c, *last, *script, *inner;
	size_t i, end, len, pos, at, cut;
	char *t, *o;
	int col, line;

	for (c = n->first; c != NULL; c = c->next) {
		if (c->type == DOC_SPAN)
			md_scripts(c);
		if (c->type != DOC_TEXT)
			continue;
		last = c;	/* what the next piece goes after */
		pos = 0;	/* where the text no piece has yet starts */
		cut = (size_t)-1;	/* c keeps its text before the first script */
		at = 0;
		col = c->col;
		line = c->line > 0 && c->col > 0 ? c->line : 0;
		for (i = 0, len = strlen(c->text); i < len; i++) {
			if ((c->text[i] != '^' && c->text[i] != '~') ||
			    (c->text[i] == '~' && i > 0 && c->text[i - 1] == '~') ||
			    (end = script_end(c->text + i, len - i)) == 0)
				continue;
			if (cut == (size_t)-1)
				cut = i;
			else if (i > pos) {
				count_cols(c, pos, &at, &col);
				doc_insert_after(last, piece(c->text + pos, i - pos, c->file, line, col));
				last = last->next;
			}
			count_cols(c, i, &at, &col);
			script = doc_node_new(c->text[i] == '^' ? DOC_SUPERSCRIPT : DOC_SUBSCRIPT,
			    line, line ? col : 0);
			script->file = c->file;
			doc_insert_after(last, script);
			last = script;
			count_cols(c, i + 1, &at, &col);
			inner = piece(c->text + i + 1, end - 1, c->file, line, col);
			doc_append(script, inner);
			/* An escaped space inside is a no-break space, as pandoc's. */
			for (t = o = inner->text; *t != '\0'; t++) {
				if (t[0] == '\\' && (t[1] == ' ' || t[1] == '\t')) {
					memcpy(o, "\xC2\xA0", 2);
					o += 2;
					t++;
				} else
					*o++ = *t;
			}
			*o = '\0';
			i += end;
			pos = i + 1;
		}
		if (cut == (size_t)-1)
			continue;
		if (pos < len) {
			count_cols(c, pos, &at, &col);
			doc_insert_after(last, piece(c->text + pos, len - pos, c->file, line, col));
			last = last->next;
		}
		c->text[cut] = '\0';
		if (cut == 0) {
			doc_unlink(c);
			doc_node_free(c);
		}
		c = last;
	}
}
