/* The `tree` output: a stable, line-per-node text dump of the model for golden tests. */
#include "doc.h"

static void
put_quoted(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
		} else if (c == '\n')
			buf_puts(out, "\\n");
		else if (c == '\t')
			buf_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7F)
			buf_printf(out, "\\x%02x", c);
		else
			buf_putc(out, (char)c);
	}
	buf_putc(out, '"');
}

static void
indent(struct buf *out, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		buf_puts(out, "  ");
}

static void
dump_meta(const struct meta *m, struct buf *out, int depth)
{
	static const char *const names[] = { "string", "bool", "list", "map" };
	const struct meta *c;

	indent(out, depth);
	if (m->key) {
		put_quoted(out, m->key);
		buf_puts(out, ": ");
	}
	buf_puts(out, names[m->type]);
	if (m->str) {
		buf_putc(out, ' ');
		put_quoted(out, m->str);
	}
	buf_putc(out, '\n');
	for (c = m->first; c != NULL; c = c->next)
		dump_meta(c, out, depth + 1);
}

static void
dump_node(const struct doc *doc, const struct doc_node *n, struct buf *out, int depth)
{
	const struct doc_node *c;
	size_t i;

	indent(out, depth);
	buf_puts(out, doc_type_name(n->type));
	/* A node from another file than the document's own (an issue's article) names it. */
	if (n->line > 0 && n->file > 0 && !doc_is_inline(n->type))
		buf_printf(out, " %s:%d:%d", doc_node_file(doc, n), n->line, n->col);
	else if (n->line > 0 && !doc_is_inline(n->type))
		buf_printf(out, " %d:%d", n->line, n->col);
	else if (n->origin && !doc_is_inline(n->type))
		buf_printf(out, " (%s)", n->origin);
	if (n->type == DOC_HEADING)
		buf_printf(out, " level=%d", n->level);
	if (n->type == DOC_LIST) {
		buf_puts(out, n->flags & DOC_ORDERED ? " ordered" : " bullet");
		if (n->flags & DOC_ORDERED)
			buf_printf(out, " start=%d delim=%s", n->num,
			    n->flags & DOC_PARENS ? "parens" :
			    n->flags & DOC_PAREN ? "paren" : "period");
		buf_puts(out, n->flags & DOC_TIGHT ? " tight" : " loose");
	}
	if (n->type == DOC_DEFLIST || n->type == DOC_DEFITEM)
		buf_puts(out, n->flags & DOC_TIGHT ? " tight" : " loose");
	if (n->type == DOC_ITEM && (n->flags & DOC_TASK))
		buf_puts(out, n->flags & DOC_CHECKED ? " task=checked" : " task=unchecked");
	if (n->type == DOC_ROW && (n->flags & DOC_HEADER))
		buf_puts(out, " header");
	if (n->type == DOC_TABLE && n->aligns)
		buf_printf(out, " aligns=%s", n->aligns);
	if (n->type == DOC_FOOTNOTE || n->type == DOC_NOTEREF)
		buf_printf(out, " n=%d", n->num);
	if (n->attr.id) {
		buf_puts(out, " #");
		buf_puts(out, n->attr.id);
	}
	for (i = 0; i < n->attr.nclasses; i++) {
		buf_puts(out, " .");
		buf_puts(out, n->attr.classes[i]);
	}
	for (i = 0; i < n->attr.nkv; i++) {
		buf_printf(out, " %s=", n->attr.kv[i].key);
		put_quoted(out, n->attr.kv[i].value);
	}
	if (n->url) {
		buf_puts(out, " url=");
		put_quoted(out, n->url);
	}
	if (n->title) {
		buf_puts(out, " title=");
		put_quoted(out, n->title);
	}
	if (n->info && n->type == DOC_LIST)
		buf_printf(out, " style=%s", n->info);
	else if (n->info) {
		buf_puts(out, " info=");
		put_quoted(out, n->info);
	}
	if (n->text) {
		buf_putc(out, ' ');
		put_quoted(out, n->text);
	}
	buf_putc(out, '\n');
	for (c = n->first; c != NULL; c = c->next)
		dump_node(doc, c, out, depth + 1);
}

void
doc_dump(const struct doc *doc, struct buf *out)
{
	const struct meta *m;

	buf_puts(out, "meta\n");
	for (m = doc->meta->first; m != NULL; m = m->next)
		dump_meta(m, out, 1);
	dump_node(doc, doc->root, out, 0);
}
