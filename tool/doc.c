/*
 * galley's document model: one tree built once from the Markdown source, changed
 * by filters, then read (never changed) by every output.
 */
#include "doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "utf8.h"

/* The table of tool/doc_types.h, column by column. */
#define DOC_XML(name, xml, tag, more, kind, holds) xml,
static const char *const type_names[DOC_TYPE_COUNT] = { DOC_TYPES(DOC_XML) };
#undef DOC_XML
#define DOC_TAG(name, xml, tag, more, kind, holds) tag,
static const char *const type_tags[DOC_TYPE_COUNT] = { DOC_TYPES(DOC_TAG) };
#undef DOC_TAG
#define DOC_MORE(name, xml, tag, more, kind, holds) more,
static const char *const type_more[DOC_TYPE_COUNT] = { DOC_TYPES(DOC_MORE) };
#undef DOC_MORE
#define DOC_KIND(name, xml, tag, more, kind, holds) DOC_KIND_##kind,
static const unsigned char type_kinds[DOC_TYPE_COUNT] = { DOC_TYPES(DOC_KIND) };
#undef DOC_KIND
#define DOC_HOLDS(name, xml, tag, more, kind, holds) DOC_HOLDS_##holds,
static const unsigned char type_holds[DOC_TYPE_COUNT] = { DOC_TYPES(DOC_HOLDS) };
#undef DOC_HOLDS

const char *
doc_type_name(enum doc_type type)
{
	return (unsigned)type < DOC_TYPE_COUNT ? type_names[type] : "unknown";
}

int
doc_is_inline(enum doc_type type)
{
	return (unsigned)type < DOC_TYPE_COUNT && type_kinds[type] == DOC_KIND_INLINE;
}

enum doc_kind
doc_type_kind(enum doc_type type)
{
	return (unsigned)type < DOC_TYPE_COUNT ? (enum doc_kind)type_kinds[type] : DOC_KIND_PART;
}

enum doc_holds
doc_type_holds(enum doc_type type)
{
	return (unsigned)type < DOC_TYPE_COUNT ? (enum doc_holds)type_holds[type] :
	    DOC_HOLDS_NONE;
}

const char *
doc_type_tag(enum doc_type type)
{
	return (unsigned)type < DOC_TYPE_COUNT ? type_tags[type] : "";
}

/* Whether word is one of the space-separated words of list. */
static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (*list != '\0') {
		if (strncmp(list, word, n) == 0 && (list[n] == ' ' || list[n] == '\0'))
			return 1;
		list = strchr(list, ' ');
		if (list == NULL)
			return 0;
		list++;
	}
	return 0;
}

int
doc_type_of_tag(const char *tag)
{
	int i;

	if (*tag == '\0')
		return -1;
	/* Called for every element a filter gives back: the first letter is asked first. */
	for (i = 0; i < DOC_TYPE_COUNT; i++)
		if ((type_tags[i][0] == tag[0] && strcmp(type_tags[i], tag) == 0) ||
		    (type_more[i][0] != '\0' && has_word(type_more[i], tag)))
			return i;
	return -1;
}

struct doc *
doc_new(const char *source)
{
	struct doc *doc = mem_zalloc(1, sizeof(*doc));

	doc->source = mem_strdup(source);
	doc_add_file(doc, source);
	doc->root = doc_node_new(DOC_DOCUMENT, 1, 1);
	doc->meta = meta_new(META_MAP, NULL, 0, 0);
	return doc;
}

void
doc_free(struct doc *doc)
{
	if (doc == NULL)
		return;
	doc_node_free(doc->root);
	meta_free(doc->meta);
	free(doc->source);
	while (doc->nfiles > 0) {
		doc->nfiles--;
		free(doc->files[doc->nfiles]);
		free(doc->texts[doc->nfiles]);
	}
	free(doc->files);
	free(doc->texts);
	free(doc->lens);
	free(doc);
}

int
doc_find_file(const struct doc *doc, const char *path)
{
	size_t i;

	for (i = 0; i < doc->nfiles; i++)
		if (strcmp(doc->files[i], path) == 0)
			return (int)i;
	return -1;
}

int
doc_add_file(struct doc *doc, const char *path)
{
	int i = doc_find_file(doc, path);

	if (i >= 0)
		return i;
	doc->files = mem_realloc(doc->files, (doc->nfiles + 1) * sizeof(*doc->files));
	doc->texts = mem_realloc(doc->texts, (doc->nfiles + 1) * sizeof(*doc->texts));
	doc->lens = mem_realloc(doc->lens, (doc->nfiles + 1) * sizeof(*doc->lens));
	doc->files[doc->nfiles] = mem_strdup(path);
	doc->texts[doc->nfiles] = NULL;
	doc->lens[doc->nfiles] = 0;
	return (int)doc->nfiles++;
}

void
doc_set_text(struct doc *doc, int file, char *text, size_t len)
{
	if (file < 0 || (size_t)file >= doc->nfiles) {
		free(text);
		return;
	}
	free(doc->texts[file]);
	doc->texts[file] = text;
	doc->lens[file] = len;
}

const char *
doc_node_file(const struct doc *doc, const struct doc_node *node)
{
	if (node != NULL && node->file > 0 && (size_t)node->file < doc->nfiles)
		return doc->files[node->file];
	return doc->files[0];
}

struct doc_node *
doc_node_new(enum doc_type type, int line, int col)
{
	struct doc_node *n = mem_zalloc(1, sizeof(*n));

	n->type = type;
	n->line = line;
	n->col = col;
	return n;
}

void
doc_node_free(struct doc_node *node)
{
	struct doc_node *child, *next;

	if (node == NULL)
		return;
	/* Iterative over siblings, recursive in depth: the parser bounds the depth. */
	for (child = node->first; child != NULL; child = next) {
		next = child->next;
		child->parent = NULL;
		doc_node_free(child);
	}
	free(node->text);
	free(node->url);
	free(node->title);
	free(node->info);
	free(node->aligns);
	free(node->origin);
	doc_attr_clear(&node->attr);
	free(node);
}

void
doc_append(struct doc_node *parent, struct doc_node *child)
{
	child->parent = parent;
	child->prev = parent->last;
	child->next = NULL;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

void
doc_insert_before(struct doc_node *ref, struct doc_node *node)
{
	node->parent = ref->parent;
	node->prev = ref->prev;
	node->next = ref;
	if (ref->prev)
		ref->prev->next = node;
	else if (ref->parent)
		ref->parent->first = node;
	ref->prev = node;
}

void
doc_insert_after(struct doc_node *ref, struct doc_node *node)
{
	node->parent = ref->parent;
	node->prev = ref;
	node->next = ref->next;
	if (ref->next)
		ref->next->prev = node;
	else if (ref->parent)
		ref->parent->last = node;
	ref->next = node;
}

void
doc_unlink(struct doc_node *node)
{
	if (node->prev)
		node->prev->next = node->next;
	else if (node->parent)
		node->parent->first = node->next;
	if (node->next)
		node->next->prev = node->prev;
	else if (node->parent)
		node->parent->last = node->prev;
	node->parent = node->prev = node->next = NULL;
}

void
doc_merge_texts(struct doc_node *parent)
{
	struct doc_node *c = parent->first, *next;
	struct buf joined = BUF_INIT;

	while (c != NULL) {
		next = c->next;
		if (c->type == DOC_TEXT && *c->text == '\0') {
			doc_unlink(c);
			doc_node_free(c);
		} else if (c->type == DOC_TEXT && next && next->type == DOC_TEXT) {
			buf_reset(&joined);
			buf_puts(&joined, c->text);
			buf_puts(&joined, next->text);
			free(c->text);
			c->text = mem_strdup(buf_str(&joined));
			doc_unlink(next);
			doc_node_free(next);
			continue;
		}
		c = next;
	}
	buf_free(&joined);
}

void
doc_stringify(const struct doc_node *node, struct buf *out)
{
	const struct doc_node *c;

	switch (node->type) {
	case DOC_TEXT:
	case DOC_CODE:
		buf_puts(out, node->text);
		return;
	case DOC_SOFTBREAK:
	case DOC_LINEBREAK:
		buf_putc(out, ' ');
		return;
	case DOC_NOTEREF:
	case DOC_RAWINLINE:
	case DOC_RAWBLOCK:
		return;
	case DOC_CODEBLOCK:
		buf_puts(out, node->text);
		return;
	case DOC_DOCUMENT:
	case DOC_PARA:
	case DOC_HEADING:
	case DOC_BLOCKQUOTE:
	case DOC_LIST:
	case DOC_ITEM:
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
	case DOC_SUPERSCRIPT:
	case DOC_SUBSCRIPT:
	case DOC_EMPH:
	case DOC_STRONG:
	case DOC_STRIKE:
	case DOC_LINK:
	case DOC_IMAGE:
	case DOC_SPAN:
		break;
	}
	for (c = node->first; c != NULL; c = c->next) {
		if (c != node->first && !doc_is_inline(c->type))
			buf_putc(out, ' ');
		doc_stringify(c, out);
	}
}

void
doc_attr_add_class(struct doc_attr *attr, const char *cls, size_t len)
{
	size_t i;

	for (i = 0; i < attr->nclasses; i++)
		if (strlen(attr->classes[i]) == len &&
		    memcmp(attr->classes[i], cls, len) == 0)
			return;
	attr->classes = mem_realloc(attr->classes,
	    (attr->nclasses + 1) * sizeof(*attr->classes));
	attr->classes[attr->nclasses++] = mem_strndup(cls, len);
}

int
doc_attr_has_class(const struct doc_attr *attr, const char *cls)
{
	size_t i;

	for (i = 0; i < attr->nclasses; i++)
		if (strcmp(attr->classes[i], cls) == 0)
			return 1;
	return 0;
}

void
doc_attr_set(struct doc_attr *attr, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < attr->nkv; i++)
		if (strcmp(attr->kv[i].key, key) == 0) {
			free(attr->kv[i].value);
			attr->kv[i].value = mem_strdup(value);
			return;
		}
	attr->kv = mem_realloc(attr->kv, (attr->nkv + 1) * sizeof(*attr->kv));
	attr->kv[attr->nkv].key = mem_strdup(key);
	attr->kv[attr->nkv].value = mem_strdup(value);
	attr->nkv++;
}

const char *
doc_attr_get(const struct doc_attr *attr, const char *key)
{
	size_t i;

	for (i = 0; i < attr->nkv; i++)
		if (strcmp(attr->kv[i].key, key) == 0)
			return attr->kv[i].value;
	return NULL;
}

void
doc_attr_clear(struct doc_attr *attr)
{
	size_t i;

	free(attr->id);
	for (i = 0; i < attr->nclasses; i++)
		free(attr->classes[i]);
	free(attr->classes);
	for (i = 0; i < attr->nkv; i++) {
		free(attr->kv[i].key);
		free(attr->kv[i].value);
	}
	free(attr->kv);
	memset(attr, 0, sizeof(*attr));
}

/* Characters of an id or class name: anything but white space, braces, quotes and '='. */
static int
is_name_char(char c)
{
	return c != '\0' && c != ' ' && c != '\t' && c != '\n' && c != '{' &&
	    c != '}' && c != '"' && c != '\'' && c != '=' && c != '#' && c != '.';
}

static int
is_key_char(char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return !first && ((c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
}

int
doc_attr_parse(const char *s, size_t len, struct doc_attr *attr)
{
	size_t i = 1, start;
	struct buf value = BUF_INIT;
	char *key;

	doc_attr_clear(attr);
	if (len < 2 || s[0] != '{' || s[len - 1] != '}')
		return 0;
	len--;
	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			i++;
		if (i == len)
			break;
		start = ++i;
		if (s[start - 1] == '#' || s[start - 1] == '.') {
			while (i < len && (is_name_char(s[i]) ||
			    (s[i] == '.' && s[start - 1] == '#') ||
			    (s[i] == '#' && s[start - 1] == '.')))
				i++;
			if (i == start || (attr->id != NULL && s[start - 1] == '#'))
				goto fail;
			if (s[start - 1] == '#')
				attr->id = mem_strndup(s + start, i - start);
			else
				doc_attr_add_class(attr, s + start, i - start);
		} else if (s[start - 1] == '-' && (i == len || s[i] == ' ')) {
			/* pandoc's shorthand for .unnumbered */
			doc_attr_add_class(attr, "unnumbered", 10);
		} else if (is_key_char(s[start - 1], 1)) {
			while (i < len && is_key_char(s[i], 0))
				i++;
			if (i == len || s[i] != '=')
				goto fail;
			key = mem_strndup(s + start - 1, i - start + 1);
			buf_reset(&value);
			if (++i < len && (s[i] == '"' || s[i] == '\'')) {
				char q = s[i++];
				while (i < len && s[i] != q) {
					if (s[i] == '\\' && i + 1 < len && s[i + 1] == q)
						i++;
					buf_putc(&value, s[i++]);
				}
				if (i == len) {
					free(key);
					goto fail;
				}
				i++;
			} else
				while (i < len && s[i] != ' ' && s[i] != '\t' &&
				    s[i] != '\n' && s[i] != '"' && s[i] != '\'')
					buf_putc(&value, s[i++]);
			doc_attr_set(attr, key, buf_str(&value));
			free(key);
		} else
			goto fail;
		if (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
			goto fail;
	}
	buf_free(&value);
	return 1;
fail:
	buf_free(&value);
	doc_attr_clear(attr);
	return 0;
}

/* A set of strings for id uniqueness: open addressing, grown at half load. */
struct idset {
	char		**slots;
	const struct doc_node **owner;
	size_t		  cap;
	size_t		  count;
};

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static size_t
idset_slot(const struct idset *set, const char *s)
{
	size_t i = hash_str(s) & (set->cap - 1);

	while (set->slots[i] != NULL && strcmp(set->slots[i], s) != 0)
		i = (i + 1) & (set->cap - 1);
	return i;
}

static const struct doc_node *
idset_find(const struct idset *set, const char *s)
{
	size_t i;

	if (set->cap == 0)
		return NULL;
	i = idset_slot(set, s);
	return set->slots[i] ? set->owner[i] : NULL;
}

static void
idset_add(struct idset *set, const char *s, const struct doc_node *owner)
{
	size_t i;

	if ((set->count + 1) * 2 > set->cap) {
		struct idset bigger = { NULL, NULL, set->cap ? set->cap * 2 : 64, 0 };
		bigger.slots = mem_zalloc(bigger.cap, sizeof(*bigger.slots));
		bigger.owner = mem_zalloc(bigger.cap, sizeof(*bigger.owner));
		for (i = 0; i < set->cap; i++)
			if (set->slots[i]) {
				size_t j = idset_slot(&bigger, set->slots[i]);
				bigger.slots[j] = set->slots[i];
				bigger.owner[j] = set->owner[i];
				bigger.count++;
			}
		free(set->slots);
		free(set->owner);
		*set = bigger;
	}
	i = idset_slot(set, s);
	if (set->slots[i] == NULL) {
		set->slots[i] = mem_strdup(s);
		set->owner[i] = owner;
		set->count++;
	}
}

static void
idset_free(struct idset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	free(set->owner);
}

/* pandoc's auto_identifiers rule, keeping CJK characters, which are letters. */
static char *
make_slug(const struct doc_node *heading)
{
	struct buf text = BUF_INIT, slug = BUF_INIT;
	const char *s;
	size_t i, n;
	int32_t cp;
	int seen_letter = 0;

	doc_stringify(heading, &text);
	s = buf_str(&text);
	for (i = 0; i < text.len; i += n) {
		if ((n = utf8_decode(s + i, text.len - i, &cp)) == 0) {
			n = 1;
			continue;
		}
		int letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= 0x80 && !uc_is_punct(cp) && !uc_is_space(cp));
		if (!seen_letter && !letter)
			continue;
		seen_letter = 1;
		if (uc_is_space(cp)) {
			if (slug.len > 0 && slug.data[slug.len - 1] != '-')
				buf_putc(&slug, '-');
		} else if (cp >= 'A' && cp <= 'Z')
			buf_putc(&slug, (char)(cp - 'A' + 'a'));
		else if (letter || (cp >= '0' && cp <= '9') || cp == '_' ||
		    cp == '-' || cp == '.')
			buf_put(&slug, s + i, n);
	}
	while (slug.len > 0 && slug.data[slug.len - 1] == '-')
		slug.data[--slug.len] = '\0';
	buf_free(&text);
	if (slug.len == 0)
		buf_puts(&slug, "section");
	return buf_take(&slug);
}

static void
collect_ids(struct doc *doc, struct doc_node *node, struct idset *set)
{
	struct doc_node *c;
	const struct doc_node *first;

	if (node->attr.id != NULL) {
		if ((first = idset_find(set, node->attr.id)) != NULL) {
			/* Under --strict the document fails: nothing is renamed, so say nothing of it. */
			const char *then = msg_strict() ? "" : "; renamed";
			if (first->file == node->file)
				msg_at(MSG_WARNING, doc_node_file(doc, node), node->line,
				    node->col, "duplicate id '%s' (first used at line %d)%s",
				    node->attr.id, first->line, then);
			else
				msg_at(MSG_WARNING, doc_node_file(doc, node), node->line,
				    node->col, "duplicate id '%s' (first used at %s:%d)%s",
				    node->attr.id, doc_node_file(doc, first), first->line, then);
			free(node->attr.id);
			node->attr.id = NULL;
		} else
			idset_add(set, node->attr.id, node);
	}
	for (c = node->first; c != NULL; c = c->next)
		collect_ids(doc, c, set);
}

static void
name_headings(struct doc_node *node, struct idset *set)
{
	struct doc_node *c;
	struct buf id = BUF_INIT;
	char *slug;
	int n;

	if (node->attr.id == NULL && node->type == DOC_HEADING) {
		slug = make_slug(node);
		buf_puts(&id, slug);
		for (n = 1; idset_find(set, buf_str(&id)) != NULL; n++) {
			buf_reset(&id);
			buf_printf(&id, "%s-%d", slug, n);
		}
		node->attr.id = buf_take(&id);
		idset_add(set, node->attr.id, node);
		free(slug);
	}
	for (c = node->first; c != NULL; c = c->next)
		name_headings(c, set);
	buf_free(&id);
}

void
doc_assign_ids(struct doc *doc)
{
	struct idset set = { NULL, NULL, 0, 0 };

	collect_ids(doc, doc->root, &set);
	name_headings(doc->root, &set);
	idset_free(&set);
}

const struct meta *
meta_get(const struct meta *map, const char *key)
{
	const struct meta *m;

	if (map == NULL || map->type != META_MAP)
		return NULL;
	for (m = map->first; m != NULL; m = m->next)
		if (strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *
meta_get_str(const struct meta *map, const char *key)
{
	const struct meta *m = meta_get(map, key);

	if (m == NULL || (m->type != META_STRING && m->type != META_BOOL))
		return NULL;
	return m->str;
}

int
meta_is_string_list(const struct meta *m)
{
	const struct meta *c;

	if (m->type == META_STRING)
		return 1;
	if (m->type != META_LIST)
		return 0;
	for (c = m->first; c != NULL; c = c->next)
		if (c->type != META_STRING)
			return 0;
	return 1;
}

struct meta *
meta_new(enum meta_type type, const char *key, int line, int col)
{
	struct meta *m = mem_zalloc(1, sizeof(*m));

	m->type = type;
	m->key = key ? mem_strdup(key) : NULL;
	m->line = m->key_line = line;
	m->col = m->key_col = col;
	return m;
}

void
meta_append(struct meta *parent, struct meta *child)
{
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

void
meta_set_str(struct meta *map, const char *key, const char *value)
{
	struct meta *m, *prev = NULL, *fresh;

	fresh = meta_new(META_STRING, key, 0, 0);
	fresh->str = mem_strdup(value);
	for (m = map->first; m != NULL; prev = m, m = m->next)
		if (strcmp(m->key, key) == 0) {
			fresh->next = m->next;
			if (prev)
				prev->next = fresh;
			else
				map->first = fresh;
			if (map->last == m)
				map->last = fresh;
			m->next = NULL;
			meta_free(m);
			return;
		}
	meta_append(map, fresh);
}

struct meta *
meta_clone(const struct meta *m, const char *key)
{
	struct meta *copy = meta_new(m->type, key, m->line, m->col);
	const struct meta *c;

	copy->str = m->str ? mem_strdup(m->str) : NULL;
	copy->key_line = m->key_line;
	copy->key_col = m->key_col;
	for (c = m->first; c != NULL; c = c->next)
		meta_append(copy, meta_clone(c, c->key));
	return copy;
}

void
meta_free(struct meta *meta)
{
	struct meta *c, *next;

	if (meta == NULL)
		return;
	for (c = meta->first; c != NULL; c = next) {
		next = c->next;
		meta_free(c);
	}
	free(meta->key);
	free(meta->str);
	free(meta);
}
