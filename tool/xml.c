/* The XML outputs: the model as XML (`xml`), and that XML through a style's XSLT (`html`). */
#include "xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "mem.h"
#include "msg.h"
#include "utf8.h"

#define ATTR_NS "urn:galley:attr"
#define XSLT_NS "urn:galley:xslt"	/* galley's extension elements in styles */

struct html_style {
	xsltStylesheetPtr	 sheet;
	char			*path;
};

/*
 * XML 1.0 forbids most C0 controls even as references; they become U+FFFD, as
 * do malformed UTF-8 and U+FFFE/U+FFFF.  Returns NULL when s needs no repair,
 * which is nearly always: the caller then hands s itself to libxml2 (which
 * copies it) and no copy is made here.  Else a repaired copy, which the caller
 * frees.  ASCII and the three-byte sequences of most Chinese text are passed
 * over without decoding, and only the runs between repairs are copied:
 * decoding and appending every character one by one cost 24 M instructions
 * for a 120-page document, half of the XML's building.
 */
static xmlChar *
xml_repair(const char *s)
{
	struct buf out = BUF_INIT;
	size_t i, n, len = strlen(s), start = 0;
	int32_t cp;
	int repaired = 0;
	unsigned char c;

	for (i = 0; i < len; i += n) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x80) {
			n = 1;
			continue;
		}
		/* Most of Chinese text (U+1000–U+CFFF), which holds no forbidden character. */
		if (c >= 0xE1 && c <= 0xEC && len - i >= 3 &&
		    ((unsigned char)s[i + 1] & 0xC0) == 0x80 && ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
			n = 3;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xFFFE || cp == 0xFFFF) {
			buf_put(&out, s + start, i - start);
			buf_puts(&out, "\xEF\xBF\xBD");
			if (n == 0)
				n = 1;
			start = i + n;
			repaired = 1;
		}
	}
	if (!repaired)
		return NULL;
	buf_put(&out, s + start, len - start);
	return (xmlChar *)buf_take(&out);
}

/* s as XML allows it: s itself, or *copy (to free) when it needed repairs. */
static const xmlChar *
xml_safe(const char *s, xmlChar **copy)
{
	*copy = xml_repair(s);
	return *copy ? *copy : (const xmlChar *)s;
}

static void
set_prop(xmlNodePtr node, const char *name, const char *value)
{
	xmlChar *copy;

	xmlNewProp(node, (const xmlChar *)name, xml_safe(value, &copy));
	free(copy);
}

static void
set_int(xmlNodePtr node, const char *name, int value)
{
	char s[24];

	snprintf(s, sizeof(s), "%d", value);
	xmlNewProp(node, (const xmlChar *)name, (const xmlChar *)s);
}

static void
add_text(xmlNodePtr parent, const char *s)
{
	xmlChar *copy;

	xmlAddChild(parent, xmlNewText(xml_safe(s, &copy)));
	free(copy);
}

static xmlNodePtr
add_elem(xmlNodePtr parent, const char *name)
{
	return xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
}

static void
meta_to_xml(const struct meta *m, xmlNodePtr parent, const char *elem)
{
	static const char *const types[] = { "string", "bool", "list", "map" };
	const struct meta *c;
	xmlNodePtr e = add_elem(parent, elem);

	if (m->key)
		set_prop(e, "name", m->key);
	set_prop(e, "type", types[m->type]);
	if (m->str)
		add_text(e, m->str);
	for (c = m->first; c != NULL; c = c->next)
		meta_to_xml(c, e, m->type == META_MAP ? "field" : "item");
}

static void
attr_to_xml(const struct doc_attr *a, xmlNodePtr e, xmlNsPtr ns)
{
	struct buf classes = BUF_INIT;
	size_t i;

	if (a->id)
		set_prop(e, "id", a->id);
	for (i = 0; i < a->nclasses; i++) {
		if (i > 0)
			buf_putc(&classes, ' ');
		buf_puts(&classes, a->classes[i]);
	}
	if (classes.len)
		set_prop(e, "class", buf_str(&classes));
	for (i = 0; i < a->nkv; i++) {
		xmlChar *copy;

		xmlNewNsProp(e, ns, (const xmlChar *)a->kv[i].key,
		    xml_safe(a->kv[i].value, &copy));
		free(copy);
	}
	buf_free(&classes);
}

static void node_to_xml(const struct doc_node *n, xmlNodePtr parent, xmlNsPtr ns);

static void
children_to_xml(const struct doc_node *n, xmlNodePtr e, xmlNsPtr ns)
{
	const struct doc_node *c;

	for (c = n->first; c != NULL; c = c->next)
		node_to_xml(c, e, ns);
}

static void
table_to_xml(const struct doc_node *t, xmlNodePtr e, xmlNsPtr ns)
{
	static const char *const names[] = { "left", "center", "right", "default" };
	const struct doc_node *row, *cell;
	xmlNodePtr head = NULL, body = NULL, r, c;
	size_t i, col, ncols = t->aligns ? strlen(t->aligns) : 0;

	if (t->first && t->first->type == DOC_CAPTION)
		node_to_xml(t->first, e, ns);
	for (i = 0; i < ncols; i++)
		set_prop(add_elem(e, "colspec"), "align",
		    names[strchr("lcrd", t->aligns[i]) - "lcrd"]);
	for (row = t->first; row != NULL; row = row->next) {
		if (row->type == DOC_CAPTION)
			continue;
		if (row->flags & DOC_HEADER) {
			if (head == NULL)
				head = add_elem(e, "thead");
			r = add_elem(head, "row");
		} else {
			if (body == NULL)
				body = add_elem(e, "tbody");
			r = add_elem(body, "row");
		}
		attr_to_xml(&row->attr, r, ns);
		for (cell = row->first, col = 0; cell != NULL; cell = cell->next, col++) {
			c = add_elem(r, "cell");
			if (col < ncols && t->aligns[col] != 'd')
				set_prop(c, "align",
				    names[strchr("lcrd", t->aligns[col]) - "lcrd"]);
			attr_to_xml(&cell->attr, c, ns);
			children_to_xml(cell, c, ns);
		}
	}
}

static void
node_to_xml(const struct doc_node *n, xmlNodePtr parent, xmlNsPtr ns)
{
	xmlNodePtr e;
	const char *sp;
	char ref[32];

	if (n->type == DOC_TEXT) {
		add_text(parent, n->text);
		return;
	}
	e = add_elem(parent, doc_type_name(n->type));
	if (!doc_is_inline(n->type) && n->line > 0) {
		set_int(e, "line", n->line);
		set_int(e, "col", n->col);
	}
	switch (n->type) {
	case DOC_HEADING:
		set_int(e, "level", n->level);
		break;
	case DOC_LIST:
		set_prop(e, "type", n->flags & DOC_ORDERED ? "ordered" : "bullet");
		if (n->flags & DOC_ORDERED) {
			set_int(e, "start", n->num);
			set_prop(e, "delim", n->flags & DOC_PARENS ? "parens" :
			    n->flags & DOC_PAREN ? "paren" : "period");
			if (n->info)
				set_prop(e, "style", n->info);
		}
		set_prop(e, "tight", n->flags & DOC_TIGHT ? "true" : "false");
		break;
	case DOC_ITEM:
		if (n->flags & DOC_TASK)
			set_prop(e, "task", n->flags & DOC_CHECKED ? "checked" : "unchecked");
		break;
	case DOC_CODEBLOCK:
		if (n->info && *n->info) {
			struct buf lang = BUF_INIT;
			for (sp = n->info; *sp && *sp != ' ' && *sp != '\t'; sp++)
				buf_putc(&lang, *sp);
			set_prop(e, "lang", buf_str(&lang));
			set_prop(e, "info", n->info);
			buf_free(&lang);
		}
		break;
	case DOC_RAWBLOCK:
	case DOC_RAWINLINE:
		set_prop(e, "format", n->info ? n->info : "html");
		break;
	case DOC_LINK:
		set_prop(e, "href", n->url ? n->url : "");
		if (n->title)
			set_prop(e, "title", n->title);
		break;
	case DOC_IMAGE:
		set_prop(e, "src", n->url ? n->url : "");
		if (n->title)
			set_prop(e, "title", n->title);
		break;
	case DOC_FOOTNOTE:
		set_int(e, "n", n->num);
		break;
	case DOC_NOTEREF:
		snprintf(ref, sizeof(ref), "fn-%d", n->num);
		set_prop(e, "ref", ref);
		set_int(e, "n", n->num);
		break;
	case DOC_DOCUMENT:
	case DOC_DEFLIST:
	case DOC_DEFITEM:
		set_prop(e, "tight", n->flags & DOC_TIGHT ? "true" : "false");
		break;
	case DOC_PARA:
	case DOC_BLOCKQUOTE:
	case DOC_HR:
	case DOC_TABLE:
	case DOC_ROW:
	case DOC_CELL:
	case DOC_DIV:
	case DOC_FIGURE:
	case DOC_CAPTION:
	case DOC_TERM:
	case DOC_DEFINITION:
	case DOC_SUPERSCRIPT:
	case DOC_SUBSCRIPT:
	case DOC_TEXT:
	case DOC_EMPH:
	case DOC_STRONG:
	case DOC_STRIKE:
	case DOC_CODE:
	case DOC_SOFTBREAK:
	case DOC_LINEBREAK:
	case DOC_SPAN:
		break;
	}
	attr_to_xml(&n->attr, e, ns);
	if (n->text && n->type != DOC_TEXT)
		add_text(e, n->text);
	if (n->type == DOC_TABLE)
		table_to_xml(n, e, ns);
	else
		children_to_xml(n, e, ns);
}

static xmlDocPtr
build_xml(const struct doc *doc, const char *style, const char *lang)
{
	xmlDocPtr x = xmlNewDoc((const xmlChar *)"1.0");
	xmlNodePtr root = xmlNewNode(NULL, (const xmlChar *)"document");
	xmlNodePtr meta, body, notes = NULL;
	xmlNsPtr ns;
	const struct meta *m;
	const struct doc_node *c;

	xmlDocSetRootElement(x, root);
	ns = xmlNewNs(root, (const xmlChar *)ATTR_NS, (const xmlChar *)"a");
	set_prop(root, "version", "1");
	set_prop(root, "source", doc->source);
	set_prop(root, "style", style);
	set_prop(root, "lang", lang);
	meta = add_elem(root, "meta");
	for (m = doc->meta->first; m != NULL; m = m->next)
		meta_to_xml(m, meta, "field");
	body = add_elem(root, "body");
	for (c = doc->root->first; c != NULL; c = c->next) {
		if (c->type == DOC_FOOTNOTE) {
			if (notes == NULL)
				notes = add_elem(root, "footnotes");
			node_to_xml(c, notes, ns);
		} else
			node_to_xml(c, body, ns);
	}
	return x;
}

void
xml_render(const struct doc *doc, const char *style, const char *lang,
    struct buf *out)
{
	xmlDocPtr x = build_xml(doc, style, lang);
	xmlChar *mem = NULL;
	int size = 0;

	xmlDocDumpFormatMemoryEnc(x, &mem, &size, "UTF-8", 1);
	if (mem != NULL)
		buf_put(out, (const char *)mem, (size_t)size);
	xmlFree(mem);
	xmlFreeDoc(x);
}

/* What libxml2 and libxslt report while galley runs them, gathered for msg_at(). */
struct xml_errors {
	struct buf	 text;		/* printf-style reports (libxslt) */
	int		 reported;	/* structured reports already passed on (libxml2) */
	const char	*path;		/* the stylesheet, for reports without a file */
};

static void
collect_text(void *ctx, const char *fmt, ...)
{
	struct xml_errors *e = ctx;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&e->text, fmt, ap);
	va_end(ap);
}

/* libxml2's parse errors come with file and line: report each as it happens. */
static void
collect_structured(void *ctx, xmlErrorPtr err)
{
	struct xml_errors *e = ctx;
	struct buf message = BUF_INIT;

	buf_puts(&message, err->message ? err->message : "error");
	while (message.len > 0 && (message.data[message.len - 1] == '\n' ||
	    message.data[message.len - 1] == ' '))
		message.data[--message.len] = '\0';
	msg_at(MSG_ERROR, err->file ? err->file : e->path, err->line,
	    err->int2, "%s", buf_str(&message));
	buf_free(&message);
	e->reported++;
}

static void
errors_begin(struct xml_errors *e, const char *path)
{
	memset(e, 0, sizeof(*e));
	e->path = path;
	xmlSetStructuredErrorFunc(e, collect_structured);
	xmlSetGenericErrorFunc(e, collect_text);
	xsltSetGenericErrorFunc(e, collect_text);
}

/* Passes on what libxslt printed (one message, its lines joined), unless libxml2 said it. */
static void
errors_end(struct xml_errors *e, const char *fallback)
{
	struct buf joined = BUF_INIT;
	char *line, *save = NULL;

	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	xsltSetGenericErrorFunc(NULL, NULL);
	if (e->reported == 0 && (e->text.len > 0 || fallback != NULL)) {
		for (line = e->text.len ? strtok_r(e->text.data, "\n", &save) : NULL;
		    line != NULL; line = strtok_r(NULL, "\n", &save)) {
			if (joined.len)
				buf_puts(&joined, "; ");
			buf_puts(&joined, line);
		}
		msg_at(MSG_ERROR, e->path, 0, 0, "%s",
		    joined.len ? buf_str(&joined) : fallback);
	}
	buf_free(&joined);
	buf_free(&e->text);
}

struct html_style *
html_style_load(const char *xsl_path)
{
	struct xml_errors errors;
	struct html_style *hs;
	xsltStylesheetPtr sheet;

	errors_begin(&errors, xsl_path);
	sheet = xsltParseStylesheetFile((const xmlChar *)xsl_path);
	errors_end(&errors, sheet == NULL ? "cannot load the stylesheet" : NULL);
	if (sheet == NULL)
		return NULL;
	hs = mem_zalloc(1, sizeof(*hs));
	hs->sheet = sheet;
	hs->path = mem_strdup(xsl_path);
	return hs;
}

/* The files of sheet, its includes and its imports (each import chain runs along ->next). */
static void
sheet_files(const struct _xsltStylesheet *sheet,
    void (*on_read)(void *dep_ctx, const char *path), void *dep_ctx)
{
	const struct _xsltDocument *d;

	for (; sheet != NULL; sheet = sheet->next) {
		if (sheet->doc != NULL && sheet->doc->URL != NULL)
			on_read(dep_ctx, (const char *)sheet->doc->URL);
		for (d = sheet->docList; d != NULL; d = d->next)
			if (d->doc != NULL && d->doc->URL != NULL)
				on_read(dep_ctx, (const char *)d->doc->URL);
		sheet_files(sheet->imports, on_read, dep_ctx);
	}
}

void
html_style_files(const struct html_style *style,
    void (*on_read)(void *dep_ctx, const char *path), void *dep_ctx)
{
	sheet_files(style->sheet, on_read, dep_ctx);
}

void
html_style_free(struct html_style *style)
{
	if (style == NULL)
		return;
	xsltFreeStylesheet(style->sheet);
	free(style->path);
	free(style);
}

/* ---- <g:attrs/> ----------------------------------------------------------- */

/* What <g:attrs/> uses: names interned in the transformation's dictionary, and
 * the element mode "class" writes into (made once, emptied after each use). */
struct attrs_names {
	const xmlChar	*id, *class_param, *class_mode, *user_attr_mode;
	xmlNodePtr	 scratch;
};

/* Appends s to out as XPath's normalize-space() would, after a space when out has text. */
static void
put_normalized(struct buf *out, const xmlChar *s)
{
	int space = out->len > 0;

	for (; s != NULL && *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = out->len > 0;
			continue;
		}
		if (space)
			buf_putc(out, ' ');
		space = 0;
		buf_putc(out, (char)*s);
	}
}

/* The string value of the variable or param name in scope; NULL when there is none (the caller frees it). */
static xmlChar *
variable_string(xsltTransformContextPtr ctxt, const xmlChar *name)
{
	xmlXPathObjectPtr v = xsltVariableLookup(ctxt, name, NULL);
	xmlChar *s = v ? xmlXPathCastToString(v) : NULL;

	xmlXPathFreeObject(v);
	return s;
}

/* Sets an attribute of the element being written, as xsl:attribute does (the same error too). */
static void
set_attribute(xsltTransformContextPtr ctxt, xmlNodePtr inst, const char *name,
    const xmlChar *value)
{
	xmlNodePtr target = ctxt->insert;

	if (target == NULL || target->type != XML_ELEMENT_NODE)
		return;
	if (target->children != NULL) {
		xsltTransformError(ctxt, NULL, inst, "xsl:attribute: Cannot add attributes "
		    "to an element if children have been already added to the element.\n");
		return;
	}
	xmlSetNsProp(target, NULL, (const xmlChar *)name, value);
}

/*
 * Applies templates in mode to the nodes list[0..n) one after another, as
 * <xsl:apply-templates select="…" mode="…"/> would, what they write going
 * into insert.  The context it changes is put back.
 */
static void
apply_mode(xsltTransformContextPtr ctxt, xmlNodePtr *list, int n, const xmlChar *mode,
    xmlNodePtr insert)
{
	xmlXPathContextPtr xp = ctxt->xpathCtxt;
	xmlNodePtr old_node = ctxt->node, old_insert = ctxt->insert;
	const xmlChar *old_mode = ctxt->mode, *old_mode_uri = ctxt->modeURI;
	const xmlChar *old_text = ctxt->lasttext;
	int old_tsize = ctxt->lasttsize, old_tuse = ctxt->lasttuse;
	int old_size = xp->contextSize, old_position = xp->proximityPosition;
	xmlDocPtr old_doc = xp->doc;
	int i;

	ctxt->mode = mode;
	ctxt->modeURI = NULL;
	ctxt->insert = insert;
	xp->contextSize = n;
	for (i = 0; i < n && ctxt->state == XSLT_STATE_OK; i++) {
		ctxt->node = list[i];
		xp->doc = list[i]->doc;
		xp->proximityPosition = i + 1;
		xsltProcessOneNode(ctxt, list[i], NULL);
	}
	ctxt->node = old_node;
	ctxt->insert = old_insert;
	ctxt->mode = old_mode;
	ctxt->modeURI = old_mode_uri;
	ctxt->lasttext = old_text;
	ctxt->lasttsize = old_tsize;
	ctxt->lasttuse = old_tuse;
	xp->contextSize = old_size;
	xp->proximityPosition = old_position;
	xp->doc = old_doc;
}

/*
 * <g:attrs/>, the body of the template "attrs" (styles/common/html.xsl, whose
 * xsl:fallback inside it is the same in XSLT): on the element being written,
 * id = $id unless blank; class = normalize-space($class, the text of mode
 * "class" on the context node, @class) unless empty; then mode "user-attr"
 * on the context node's a: attributes.  In XSLT this was half of the whole
 * transformation (118 M of 235 M instructions for a 120-page document, called
 * 4,119 times): every element built a result tree fragment for mode "class"
 * and evaluated six XPath expressions, though nearly all have no id, class or
 * attributes.  Here mode "class" writes into one scratch element and the
 * rest is C.
 */
static void
ext_attrs(xsltTransformContextPtr ctxt, xmlNodePtr node, xmlNodePtr inst,
    xsltElemPreCompPtr comp)
{
	struct attrs_names *names = ctxt->_private;
	xmlNodePtr target = ctxt->insert, *list = NULL;
	xmlChar *id, *param, *computed, *own = NULL;
	struct buf classes = BUF_INIT;
	const xmlChar *s;
	xmlAttrPtr a;
	int n = 0;

	(void)comp;
	if (node == NULL)
		return;
	/*
	 * Mode "class" writes into an element of its own, whose text is the
	 * classes.  It belongs to no document (its name is its own, not the
	 * result's dictionary's), so it can be freed after the result is, as a
	 * failed transformation does.
	 */
	if (names->scratch == NULL)
		names->scratch = xmlNewDocNode(NULL, NULL, (const xmlChar *)"scratch", NULL);
	apply_mode(ctxt, &node, 1, names->class_mode, names->scratch);
	computed = xmlNodeGetContent(names->scratch);
	xmlFreeNodeList(names->scratch->children);
	names->scratch->children = names->scratch->last = NULL;
	if (node->type == XML_ELEMENT_NODE)
		own = xmlGetNoNsProp(node, (const xmlChar *)"class");
	param = variable_string(ctxt, names->class_param);
	put_normalized(&classes, param);
	put_normalized(&classes, computed);
	put_normalized(&classes, own);
	id = variable_string(ctxt, names->id);
	for (s = id; s != NULL && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'); s++)
		;
	if (s != NULL && *s)
		set_attribute(ctxt, inst, "id", id);
	if (classes.len)
		set_attribute(ctxt, inst, "class", (const xmlChar *)buf_str(&classes));
	if (node->type == XML_ELEMENT_NODE) {
		for (a = node->properties; a != NULL; a = a->next)
			if (a->ns != NULL && xmlStrEqual(a->ns->href, (const xmlChar *)ATTR_NS))
				n++;
		if (n > 0) {
			list = mem_alloc((size_t)n * sizeof(*list));
			n = 0;
			for (a = node->properties; a != NULL; a = a->next)
				if (a->ns != NULL && xmlStrEqual(a->ns->href,
				    (const xmlChar *)ATTR_NS))
					list[n++] = (xmlNodePtr)a;
			apply_mode(ctxt, list, n, names->user_attr_mode, target);
			free(list);
		}
	}
	xmlFree(id);
	xmlFree(param);
	xmlFree(computed);
	xmlFree(own);
	buf_free(&classes);
}

/* Runs style over doc's XML; returns the result (the caller frees it) or NULL after an error. */
static xmlDocPtr
transform(struct html_style *style, const struct doc *doc, const struct html_params *params)
{
	struct xml_errors errors;
	struct attrs_names names;
	xsltTransformContextPtr ctxt;
	xsltSecurityPrefsPtr sec;
	xmlDocPtr x, result;

	x = build_xml(doc, params->style, params->lang);
	/* Numbers the elements in document order, as xsltproc does: without it libxml2
	 * orders node sets by walking the tree, and long documents became quadratic. */
	xmlXPathOrderDocElems(x);
	ctxt = xsltNewTransformContext(style->sheet, x);
	/* Styles are trusted code, but nothing a style does should touch files or the network. */
	sec = xsltNewSecurityPrefs();
	xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
	xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
	xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
	xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
	xsltSetCtxtSecurityPrefs(sec, ctxt);
	names.id = xmlDictLookup(ctxt->dict, (const xmlChar *)"id", -1);
	names.class_param = xmlDictLookup(ctxt->dict, (const xmlChar *)"class", -1);
	names.class_mode = names.class_param;
	names.user_attr_mode = xmlDictLookup(ctxt->dict, (const xmlChar *)"user-attr", -1);
	names.scratch = NULL;
	ctxt->_private = &names;
	xsltRegisterExtElement(ctxt, (const xmlChar *)"attrs", (const xmlChar *)XSLT_NS,
	    ext_attrs);
	xsltQuoteOneUserParam(ctxt, (const xmlChar *)"css-href",
	    (const xmlChar *)(params->css_href ? params->css_href : ""));
	xsltQuoteOneUserParam(ctxt, (const xmlChar *)"css-text",
	    (const xmlChar *)(params->css_text ? params->css_text : ""));
	errors_begin(&errors, style->path);
	xsltSetTransformErrorFunc(ctxt, &errors, collect_text);
	result = xsltApplyStylesheetUser(style->sheet, x, NULL, NULL, NULL, ctxt);
	xmlFreeNode(names.scratch);
	if (result == NULL || ctxt->state != XSLT_STATE_OK) {
		errors_end(&errors, "the stylesheet failed");
		xmlFreeDoc(result);
		result = NULL;
	} else
		errors_end(&errors, NULL);
	xsltFreeTransformContext(ctxt);
	xsltFreeSecurityPrefs(sec);
	xmlFreeDoc(x);
	return result;
}

/*
 * libxml2's HTML writer directly, not xsltSaveResultTo*: that one adds an
 * http-equiv Content-Type beside the style's <meta charset>.
 */
static int
serialise_html(const struct html_style *style, xmlDocPtr result, struct buf *out)
{
	xmlOutputBufferPtr ob = xmlAllocOutputBuffer(NULL);
	int rc = -1;

	htmlDocContentDumpFormatOutput(ob, result, "UTF-8", 0);
	if (ob->error == 0 && xmlOutputBufferGetContent(ob) != NULL) {
		buf_put(out, (const char *)xmlOutputBufferGetContent(ob),
		    xmlOutputBufferGetSize(ob));
		rc = 0;
	} else
		msg_at(MSG_ERROR, style->path, 0, 0, "cannot serialise the HTML");
	xmlOutputBufferClose(ob);
	return rc;
}

int
html_render(struct html_style *style, const struct doc *doc,
    const struct html_params *params, struct buf *out)
{
	xmlDocPtr result = transform(style, doc, params);
	int rc = result ? serialise_html(style, result, out) : -1;

	xmlFreeDoc(result);
	return rc;
}

static int
is_elem(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, (const xmlChar *)name) == 0;
}

/* The first element called name under n, depth first; NULL when there is none. */
static xmlNodePtr
find_elem(xmlNodePtr n, const char *name)
{
	xmlNodePtr c, found;

	for (c = n ? n->children : NULL; c != NULL; c = c->next) {
		if (is_elem(c, name))
			return c;
		if ((found = find_elem(c, name)) != NULL)
			return found;
	}
	return NULL;
}

/* One CSV field (RFC 4180): its text with white space runs made one space, quoted when it must be. */
static void
csv_field(xmlNodePtr cell, struct buf *out)
{
	xmlChar *text = xmlNodeGetContent(cell);
	struct buf field = BUF_INIT;
	const char *s;
	int space = 0;

	for (s = text ? (const char *)text : ""; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = field.len > 0;
			continue;
		}
		if (space)
			buf_putc(&field, ' ');
		space = 0;
		buf_putc(&field, *s);
	}
	if (strpbrk(buf_str(&field), "\",") != NULL) {
		buf_putc(out, '"');
		for (s = buf_str(&field); *s; s++) {
			if (*s == '"')
				buf_putc(out, '"');
			buf_putc(out, *s);
		}
		buf_putc(out, '"');
	} else
		buf_puts(out, buf_str(&field));
	buf_free(&field);
	xmlFree(text);
}

/* The rows of table under n (its own, not a nested table's), in order, as CSV lines. */
static void
csv_rows(xmlNodePtr n, struct buf *out)
{
	xmlNodePtr c, cell;
	int first;

	for (c = n->children; c != NULL; c = c->next) {
		if (is_elem(c, "table"))
			continue;
		if (!is_elem(c, "tr")) {
			csv_rows(c, out);
			continue;
		}
		first = 1;
		for (cell = c->children; cell != NULL; cell = cell->next) {
			if (!is_elem(cell, "td") && !is_elem(cell, "th"))
				continue;
			if (!first)
				buf_putc(out, ',');
			first = 0;
			csv_field(cell, out);
		}
		buf_puts(out, "\r\n");
	}
}

int
html_form_render(struct html_style *form, const struct doc *doc,
    const struct html_params *params, struct buf *html, struct buf *csv)
{
	xmlDocPtr result = transform(form, doc, params);
	xmlNodePtr table;
	int rc = -1;

	if (result == NULL)
		return -1;
	if ((table = find_elem((xmlNodePtr)result, "table")) == NULL)
		msg_at(MSG_ERROR, form->path, 0, 0, "the comment form has no <table>");
	else if (serialise_html(form, result, html) == 0) {
		/* A byte-order mark: spreadsheets then read the CSV as UTF-8, not the locale's code page. */
		buf_puts(csv, "\xEF\xBB\xBF");
		csv_rows(table, csv);
		rc = 0;
	}
	xmlFreeDoc(result);
	return rc;
}
