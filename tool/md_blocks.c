/* pandoc's block extensions, made from the tree cmark-gfm built: fenced divs and definition lists. */
#include <string.h>

#include "doc.h"
#include "md_int.h"
#include "mem.h"
#include "msg.h"

/*
 * ---- Fenced divs ----------------------------------------------------------
 * cmark-gfm has no syntax for a Div; galley reads pandoc's minimally, so that
 * an editor can mark blocks with a class (::: signature … :::).  cmark sees
 * the fences as text: a paragraph "::: NAME" or "::: {#id .class}" opens a
 * Div (its first line alone, or a whole paragraph), ":::" closes it.
 */

/* The length of the fence that starts s (three or more colons), or 0. */
static size_t
fence_length(const char *s)
{
	size_t n = 0;

	while (s[n] == ':')
		n++;
	return n >= 3 ? n : 0;
}

/* Whether t (a text node's text) is an opening fence; fills attr with its class or attributes. */
static int
is_div_opener(const char *t, struct doc_attr *attr)
{
	size_t n = fence_length(t), len, i;

	if (n == 0)
		return 0;
	for (t += n; *t == ' ' || *t == '\t'; t++)
		;
	len = strlen(t);
	while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == ':'))
		len--;	/* pandoc allows colons after the name too */
	if (len == 0)
		return 0;
	if (t[0] == '{')
		return doc_attr_parse(t, len, attr);
	for (i = 0; i < len; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '_'))
			return 0;
	doc_attr_add_class(attr, t, len);
	return 1;
}

/* Whether t is a closing fence: colons and nothing else but spaces. */
static int
is_div_closer(const char *t)
{
	size_t n = fence_length(t);

	if (n == 0)
		return 0;
	for (t += n; *t == ' ' || *t == '\t'; t++)
		;
	return *t == '\0';
}

/* Removes n and the break before or after it (dir -1 or 1) from its paragraph. */
static void
drop_line(struct doc_node *n, int dir)
{
	struct doc_node *br = dir < 0 ? n->prev : n->next;

	if (br && (br->type == DOC_SOFTBREAK || br->type == DOC_LINEBREAK)) {
		doc_unlink(br);
		doc_node_free(br);
	}
	doc_unlink(n);
	doc_node_free(n);
}

/* In a signature, each line of the source is a line: a 署名 above its 日期. */
static void
keep_lines(struct doc_node *n)
{
	struct doc_node *c;

	for (c = n->first; c != NULL; c = c->next) {
		if (c->type == DOC_SOFTBREAK)
			c->type = DOC_LINEBREAK;
		else if (c->type == DOC_PARA || c->type == DOC_DIV)
			keep_lines(c);
	}
}

void
md_fenced_divs(const char *source, struct doc_node *parent)
{
	struct doc_node *c, *next, *div, *open[32];
	struct doc_attr attr;
	int depth = 0;

	for (c = parent->first; c != NULL; c = next) {
		next = c->next;
		if (c->type != DOC_PARA) {
			if (c->first != NULL && c->type != DOC_TABLE)
				md_fenced_divs(source, c);
			if (depth > 0) {
				doc_unlink(c);
				doc_append(open[depth - 1], c);
			}
			continue;
		}
		/* Each opening line the paragraph starts with opens a Div: "::: a" then "::: b" nest. */
		for (;;) {
			memset(&attr, 0, sizeof(attr));
			if (!(c->first && c->first->type == DOC_TEXT && depth < 32 &&
			    is_div_opener(c->first->text, &attr) &&
			    (c->first->next == NULL || c->first->next->type == DOC_SOFTBREAK))) {
				doc_attr_clear(&attr);
				break;
			}
			div = doc_node_new(DOC_DIV, c->line, c->col);
			div->attr = attr;
			doc_insert_before(c, div);
			if (depth > 0) {
				doc_unlink(div);
				doc_append(open[depth - 1], div);
			}
			open[depth++] = div;
			drop_line(c->first, 1);
			c->line++;	/* the paragraph now starts on the line after the fence */
			if (c->first == NULL)
				break;
		}
		if (c->first == NULL) {
			doc_unlink(c);
			doc_node_free(c);
			continue;
		}
		if (depth > 0) {
			doc_unlink(c);
			doc_append(open[depth - 1], c);
		}
		if (depth > 0 && c->last && c->last->type == DOC_TEXT &&
		    is_div_closer(c->last->text) &&
		    (c->last->prev == NULL || c->last->prev->type == DOC_SOFTBREAK)) {
			drop_line(c->last, -1);
			if (c->first == NULL) {
				doc_unlink(c);
				doc_node_free(c);
			}
			div = open[--depth];
			if (doc_attr_has_class(&div->attr, "signature"))
				keep_lines(div);
		}
	}
	if (depth > 0) {
		msg_at(MSG_WARNING, source, open[0]->line, open[0]->col,
		    "this ::: block is not closed: end it with a line ':::'");
		while (depth > 0)
			if (doc_attr_has_class(&open[--depth]->attr, "signature"))
				keep_lines(open[depth]);
	}
}

/*
 * A list mark_lines() made of definition markers that is no definition: its
 * blocks again, the first paragraph with its marker back (": 标题" beside a
 * table is the table's caption, crossref.lua's).
 */
static void
undo_defs(struct doc_node *list)
{
	struct doc_node *item, *b, *t;
	int first = 1;

	while ((item = list->first) != NULL) {
		while ((b = item->first) != NULL) {
			doc_unlink(b);
			if (first && b->type == DOC_PARA) {
				/* the marker's place is the item's */
				t = doc_node_new(DOC_TEXT, item->line ? item->line : b->line,
				    item->line ? item->col : b->col);
				t->file = b->file;
				t->text = mem_strdup(list->flags & MD_DEFS_TILDE ? "~ " : ": ");
				b->line = t->line;
				b->col = t->col;
				if (b->first)
					doc_insert_before(b->first, t);
				else
					doc_append(b, t);
				doc_merge_texts(b);
			}
			first = 0;
			doc_insert_before(list, b);
		}
		doc_unlink(item);
		doc_node_free(item);
	}
	doc_unlink(list);
	doc_node_free(list);
}

/*
 * Definition lists: a list that mark_lines() made of definition markers,
 * under a paragraph (the term), becomes an item of a DEFLIST, joined to the
 * DEFLIST right before the term when there is one.  One with no term above,
 * or right beside a table, is no definition (undo_defs).
 */
void
md_deflists(struct doc_node *parent)
{
	struct doc_node *c, *next, *term, *dl, *item, *t, *d;

	for (c = parent->first; c != NULL; c = next) {
		next = c->next;
		if (c->first != NULL && c->type != DOC_TABLE && !doc_is_inline(c->type))
			md_deflists(c);
		if (c->type != DOC_LIST || !(c->flags & MD_DEFS))
			continue;
		term = c->prev;
		if (term == NULL || term->type != DOC_PARA ||
		    (c->next != NULL && c->next->type == DOC_TABLE)) {
			undo_defs(c);
			continue;
		}
		dl = term->prev;
		if (dl == NULL || dl->type != DOC_DEFLIST) {
			dl = doc_node_new(DOC_DEFLIST, term->line, term->col);
			dl->file = term->file;
			dl->flags |= DOC_TIGHT;
			doc_insert_before(term, dl);
		}
		item = doc_node_new(DOC_DEFITEM, term->line, term->col);
		item->file = term->file;
		/* each item is tight or loose, as pandoc has Plain or Para in its definitions */
		if (c->flags & MD_DEFS_LOOSE)
			dl->flags &= ~DOC_TIGHT;
		else
			item->flags |= DOC_TIGHT;
		doc_append(dl, item);
		t = doc_node_new(DOC_TERM, term->line, term->col);
		t->file = term->file;
		doc_append(item, t);
		while (term->first != NULL) {
			struct doc_node *x = term->first;
			doc_unlink(x);
			doc_append(t, x);
		}
		doc_unlink(term);
		doc_node_free(term);
		while (c->first != NULL) {
			struct doc_node *li = c->first;
			d = doc_node_new(DOC_DEFINITION, li->line, li->col);
			d->file = li->file;
			doc_append(item, d);
			while (li->first != NULL) {
				struct doc_node *x = li->first;
				doc_unlink(x);
				doc_append(d, x);
			}
			doc_unlink(li);
			doc_node_free(li);
		}
		doc_unlink(c);
		doc_node_free(c);
	}
}
