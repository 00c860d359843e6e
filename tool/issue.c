/* Bulletin issues kept as a folder: issue.yaml and one Markdown file per article, read as one document. */
#include "issue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "build.h"
#include "fs.h"
#include "img.h"
#include "mem.h"
#include "meta.h"
#include "msg.h"
#include "schema.h"

#define ISSUE_FILE	"issue.yaml"

typedef void (*read_hook)(void *ctx, const char *path);

/* What reading one issue folder carries from section to section. */
struct reader {
	struct doc	*doc;
	const char	*yaml;		/* issue.yaml's path, for messages */
	read_hook	 on_read;
	void		*ctx;
	size_t		*bytes;
	char		**seen;		/* the articles read so far, tidied paths */
	const struct meta **seen_at;	/* where issue.yaml lists each */
	size_t		 nseen;
	struct doc_node	*notes;		/* a DOCUMENT holding the articles' footnotes */
	int		 nnotes;
	int		 trust;		/* --trust-paths: articles may lie outside the folder */
};

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

char *
issue_folder(const char *path)
{
	char *folder, *yaml;
	size_t n = strlen(path);

	if (strcmp(base_name(path), ISSUE_FILE) == 0)
		folder = fs_is_file(path) ? fs_dirname(path) : NULL;
	else {
		while (n > 1 && path[n - 1] == '/')
			n--;
		folder = mem_strndup(path, n);
		yaml = fs_join(folder, ISSUE_FILE);
		if (!fs_is_file(yaml)) {
			free(folder);
			folder = NULL;
		}
		free(yaml);
	}
	return folder;
}

char *
issue_yaml_path(const char *folder)
{
	return fs_join(folder, ISSUE_FILE);
}

static int
is_text(const struct meta *m)
{
	return m != NULL && m->type == META_STRING;
}

/* Whether the class value m (names separated by spaces, or a list of them) holds cls. */
static int
has_class(const struct meta *m, const char *cls)
{
	const struct meta *c;
	const char *s, *end;
	size_t n = strlen(cls);

	if (m == NULL)
		return 0;
	if (m->type == META_LIST) {
		for (c = m->first; c != NULL; c = c->next)
			if (has_class(c, cls))
				return 1;
		return 0;
	}
	for (s = m->type == META_STRING ? m->str : ""; *s; s = end) {
		while (*s == ' ')
			s++;
		for (end = s; *end && *end != ' '; end++)
			;
		if ((size_t)(end - s) == n && strncmp(s, cls, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Copies issue.yaml's keys to out as a document's front matter: 'sections'
 * becomes the list of the section titles (what the cover shows as 本期栏目),
 * but for those of class unlisted.
 */
static void
issue_meta(const struct meta *map, struct meta *out)
{
	const struct meta *c, *s, *title;
	struct meta *list;

	for (c = map->first; c != NULL; c = c->next) {
		if (strcmp(c->key, "sections") != 0 || c->type != META_LIST) {
			meta_append(out, meta_clone(c, c->key));
			continue;
		}
		list = meta_new(META_LIST, "sections", c->line, c->col);
		for (s = c->first; s != NULL; s = s->next)
			if (s->type == META_MAP && is_text(title = meta_get(s, "title")) &&
			    !has_class(meta_get(s, "class"), "unlisted")) {
				struct meta *item = meta_new(META_STRING, NULL, title->line,
				    title->col);
				item->str = mem_strdup(title->str);
				meta_append(list, item);
			}
		meta_append(out, list);
	}
	if (meta_get(out, "style") == NULL)
		meta_set_str(out, "style", "bulletin");
}

/* Reads issue.yaml at yaml into map (a META_MAP); 0, or -1 after reporting. */
static int
parse_yaml(const char *yaml, struct meta *map, size_t *bytes)
{
	struct buf text = BUF_INIT;
	int rc = -1;

	if (fs_read(yaml, &text) == -1)
		msg_at(MSG_ERROR, yaml, 0, 0, "cannot read: %s", strerror(errno));
	else {
		if (bytes)
			*bytes += text.len;
		rc = meta_parse(yaml, buf_str(&text), text.len, 1, map);
	}
	buf_free(&text);
	return rc;
}

static struct doc_node *
text_node(const char *s, int line, int col)
{
	struct doc_node *t = doc_node_new(DOC_TEXT, line, col);

	t->text = mem_strdup(s);
	return t;
}

/* Adds the classes of a 'class' value: words of a string, or a list of them. */
static void
add_classes(struct doc_attr *attr, const struct meta *m)
{
	const struct meta *c;
	const char *s, *end;

	if (m->type == META_LIST) {
		for (c = m->first; c != NULL; c = c->next)
			add_classes(attr, c);
		return;
	}
	for (s = m->str; s && *s; s = end) {
		while (*s == ' ')
			s++;
		for (end = s; *end && *end != ' '; end++)
			;
		if (end > s)
			doc_attr_add_class(attr, s, (size_t)(end - s));
	}
}

/* An id a file name can give an article: ASCII letters first, then letters, digits, - and _. */
static int
is_id(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static void
set_file(struct doc_node *n, int file)
{
	struct doc_node *c;

	n->file = file;
	for (c = n->first; c != NULL; c = c->next)
		set_file(c, file);
}

static int
min_heading_level(const struct doc_node *n, int min)
{
	const struct doc_node *c;

	if (n->type == DOC_HEADING && n->level < min)
		min = n->level;
	for (c = n->first; c != NULL; c = c->next)
		min = min_heading_level(c, min);
	return min;
}

static void
shift_headings(struct doc_node *n, int delta)
{
	struct doc_node *c;

	if (n->type == DOC_HEADING)
		n->level = n->level + delta > 6 ? 6 : n->level + delta;
	for (c = n->first; c != NULL; c = c->next)
		shift_headings(c, delta);
}

/* A URL relative to the file it is written in: no scheme, not absolute, not "#id". */
static int
is_relative_url(const char *url)
{
	const char *s = url;

	if (*url == '\0' || *url == '/' || *url == '#' || *url == '?')
		return 0;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.')
		s++;
	return !(*s == ':' && s > url);
}

/*
 * The document's outputs and its relative paths belong to the issue's parent
 * folder (out/bulletin/2026-3.html beside out/bulletin/2026-3/images/); an
 * article writes them from its own folder, so they gain that folder's path.
 */
static void
rebase_urls(struct doc_node *n, const char *from)
{
	struct doc_node *c;

	if ((n->type == DOC_IMAGE || n->type == DOC_LINK) && n->url && is_relative_url(n->url)) {
		char *joined = fs_join(from, n->url);
		free(n->url);
		n->url = fs_tidy(joined);
		free(joined);
	}
	for (c = n->first; c != NULL; c = c->next)
		rebase_urls(c, from);
}

/* Numbers an article's notes after the issue's earlier ones. */
static void
renumber_notes(struct doc_node *n, int offset)
{
	struct doc_node *c;
	char id[32];

	if (n->type == DOC_NOTEREF)
		n->num += offset;
	else if (n->type == DOC_FOOTNOTE) {
		n->num += offset;
		snprintf(id, sizeof(id), "fn-%d", n->num);
		free(n->attr.id);
		n->attr.id = mem_strdup(id);
	}
	for (c = n->first; c != NULL; c = c->next)
		renumber_notes(c, offset);
}

static struct doc_node *
span(const char *cls, const char *text, const struct meta *at)
{
	struct doc_node *s = doc_node_new(DOC_SPAN, at->line, at->col);

	doc_attr_add_class(&s->attr, cls, strlen(cls));
	doc_append(s, text_node(text, at->line, at->col));
	return s;
}

/*
 * The line under an article's title, "本刊记者　李明　2026年9月12日": a
 * paragraph .byline of a span .byline-author (byline, else the authors) and
 * a span .byline-date.  NULL when the article names neither.
 */
static struct doc_node *
make_byline(const struct meta *map)
{
	const struct meta *who = meta_get(map, "byline"), *date = meta_get(map, "date"), *c;
	struct doc_node *p;
	struct buf text = BUF_INIT;

	if (who == NULL)
		who = meta_get(map, "author");
	if (who && who->type == META_LIST) {
		for (c = who->first; c != NULL; c = c->next)
			buf_printf(&text, "%s%s", text.len ? "、" : "", c->str);
	} else if (who)
		buf_puts(&text, who->str);
	if (text.len == 0 && (date == NULL || *date->str == '\0')) {
		buf_free(&text);
		return NULL;
	}
	p = doc_node_new(DOC_PARA, text.len ? who->line : date->line,
	    text.len ? who->col : date->col);
	doc_attr_add_class(&p->attr, "byline", 6);
	if (text.len)
		doc_append(p, span("byline-author", buf_str(&text), who));
	if (date && *date->str) {
		if (text.len)
			doc_append(p, text_node("\u3000", date->line, date->col));
		buf_reset(&text);
		meta_put_date(&text, date->str);
		doc_append(p, span("byline-date", buf_str(&text), date));
	}
	buf_free(&text);
	return p;
}

/*
 * Adds the article issue.yaml names at entry (in the current section) to the
 * document: a file name, or a map of 'file' and 'class' (classes for the
 * article's title heading: columns-2 sets that article in columns).
 */
static void
read_article(struct reader *r, const struct meta *entry)
{
	struct doc *art = NULL;
	struct doc_node *title, *byline, *c, *next;
	struct buf src = BUF_INIT, why = BUF_INIT;
	enum img_refusal refusal = IMG_UNREADABLE;
	const struct meta *m, *cls = NULL;
	char *path, *tidy, *rel = NULL, *from = NULL, *stem = NULL, *real;
	size_t i;
	int file, min;

	if (entry->type == META_MAP) {
		if (schema_check(SCHEMA_ARTICLE, r->yaml, entry) == -1)
			return;
		cls = meta_get(entry, "class");
		if ((m = meta_get(entry, "file")) == NULL) {
			msg_at(MSG_ERROR, r->yaml, entry->line, entry->col, "an article given "
			    "as a map needs 'file', the Markdown file");
			return;
		}
		entry = m;
	}
	if (entry->type != META_STRING || *entry->str == '\0') {
		msg_at(MSG_ERROR, r->yaml, entry->line, entry->col, "an article must be a "
		    "Markdown file named relative to the issue's folder");
		return;
	}
	/*
	 * Articles are confined as images are, by the same function: issue.yaml's own
	 * folder is the document's folder.  A missing file is left to the read below.
	 */
	real = img_resolve(r->yaml, entry->str, r->trust, &why, &refusal);
	free(real);
	if (real == NULL && refusal != IMG_UNREADABLE) {
		msg_at(MSG_ERROR, r->yaml, entry->line, entry->col, "article '%s': %s",
		    entry->str, buf_str(&why));
		buf_free(&why);
		return;
	}
	buf_free(&why);
	path = entry->str[0] == '/' ? mem_strdup(entry->str) : fs_join(r->doc->source, entry->str);
	tidy = fs_tidy(path);
	for (i = 0; i < r->nseen; i++)
		if (strcmp(r->seen[i], tidy) == 0) {
			msg_at(MSG_ERROR, r->yaml, entry->line, entry->col, "article '%s' is "
			    "listed twice (first at line %d)", entry->str, r->seen_at[i]->line);
			free(tidy);
			goto out;
		}
	r->seen = mem_realloc(r->seen, (r->nseen + 1) * sizeof(*r->seen));
	r->seen_at = mem_realloc(r->seen_at, (r->nseen + 1) * sizeof(*r->seen_at));
	r->seen[r->nseen] = tidy;
	r->seen_at[r->nseen++] = entry;
	r->on_read(r->ctx, path);
	if (fs_read(path, &src) == -1) {
		msg_at(MSG_ERROR, r->yaml, entry->line, entry->col, "cannot read article "
		    "'%s': %s", entry->str, strerror(errno));
		goto out;
	}
	*r->bytes += src.len;
	art = doc_new(path);
	if (build_parse(path, buf_str(&src), src.len, art, NULL, SCHEMA_ARTICLE_META) == -1)
		goto out;
	if ((m = meta_get(art->meta, "title")) != NULL && *m->str) {
		title = doc_node_new(DOC_HEADING, m->line, m->col);
		doc_append(title, text_node(m->str, m->line, m->col));
	} else if ((title = art->root->first) != NULL && title->type == DOC_HEADING)
		doc_unlink(title);
	else {
		msg_at(MSG_ERROR, path, 1, 1, "the article has no title: give 'title' in its "
		    "front matter or start it with a heading");
		goto out;
	}
	title->level = 2;
	if (cls != NULL)
		add_classes(&title->attr, cls);
	stem = fs_stem(path);
	if ((m = meta_get(art->meta, "id")) != NULL && *m->str) {
		free(title->attr.id);
		title->attr.id = mem_strdup(m->str);
	} else if (title->attr.id == NULL && is_id(stem))
		title->attr.id = mem_strdup(stem);
	/* The article's own headings go under its title, keeping their steps. */
	if ((min = min_heading_level(art->root, 7)) <= 6)
		shift_headings(art->root, 3 - min);
	rel = entry->str[0] == '/' ? mem_strdup(entry->str) :
	    fs_join(base_name(r->doc->source), entry->str);
	from = fs_dirname(rel);
	rebase_urls(art->root, from);
	renumber_notes(art->root, r->nnotes);
	file = doc_add_file(r->doc, path);
	/* The article's text, so that filters can point into it (galley.locate). */
	doc_set_text(r->doc, file, art->texts[0], art->lens[0]);
	art->texts[0] = NULL;
	set_file(title, file);
	doc_append(r->doc->root, title);
	if ((byline = make_byline(art->meta)) != NULL) {
		set_file(byline, file);
		doc_append(r->doc->root, byline);
	}
	for (c = art->root->first; c != NULL; c = next) {
		next = c->next;
		doc_unlink(c);
		set_file(c, file);
		if (c->type == DOC_FOOTNOTE) {
			doc_append(r->notes, c);
			r->nnotes++;
		} else
			doc_append(r->doc->root, c);
	}
out:
	free(path);
	free(rel);
	free(from);
	free(stem);
	buf_free(&src);
	doc_free(art);
}

/* Adds a section of issue.yaml (entry): its heading, then its articles. */
static void
read_section(struct reader *r, const struct meta *entry)
{
	const struct meta *m, *title, *id, *cls, *articles;
	struct doc_node *h;

	if (entry->type != META_MAP) {
		msg_at(MSG_ERROR, r->yaml, entry->line, entry->col, "a section must be a map "
		    "of title, id, class and articles");
		return;
	}
	/* Unknown keys and the kinds of values; what is missing or empty is said below. */
	if (schema_check(SCHEMA_SECTION, r->yaml, entry) == -1)
		return;
	title = meta_get(entry, "title");
	id = meta_get(entry, "id");
	cls = meta_get(entry, "class");
	articles = meta_get(entry, "articles");
	if (!is_text(title) || *title->str == '\0')
		msg_at(MSG_ERROR, r->yaml, title ? title->line : entry->line,
		    title ? title->col : entry->col, "a section needs a 'title' (one line of text)");
	if (id && *id->str == '\0')
		msg_at(MSG_ERROR, r->yaml, id->line, id->col, "'id' must be one word");
	if (articles == NULL || articles->first == NULL)
		msg_at(MSG_ERROR, r->yaml, entry->line, entry->col, "section '%s' has no "
		    "articles", is_text(title) ? title->str : "");
	if (is_text(title) && *title->str) {
		h = doc_node_new(DOC_HEADING, title->line, title->col);
		h->level = 1;
		doc_append(h, text_node(title->str, title->line, title->col));
		if (is_text(id) && *id->str)
			h->attr.id = mem_strdup(id->str);
		if (cls && meta_is_string_list(cls))
			add_classes(&h->attr, cls);
		doc_append(r->doc->root, h);
	}
	if (articles && articles->type == META_LIST)
		for (m = articles->first; m != NULL; m = m->next)
			read_article(r, m);
}

int
issue_read(struct doc *doc, int trust, read_hook on_read, void *ctx, size_t *bytes)
{
	struct reader r;
	struct meta *map = meta_new(META_MAP, NULL, 0, 0);
	const struct meta *sections, *s;
	struct doc_node *c, *next;
	int errors = msg_errors();
	size_t i;

	memset(&r, 0, sizeof(r));
	r.doc = doc;
	r.on_read = on_read;
	r.ctx = ctx;
	r.bytes = bytes;
	r.trust = trust;
	r.notes = doc_node_new(DOC_DOCUMENT, 0, 0);
	/* Positions of the document's own nodes (sections, front matter) are in issue.yaml. */
	free(doc->files[0]);
	doc->files[0] = issue_yaml_path(doc->source);
	r.yaml = doc->files[0];
	on_read(ctx, r.yaml);
	if (parse_yaml(r.yaml, map, bytes) == -1)
		goto out;
	if ((sections = meta_get(map, "sections")) == NULL)
		msg_at(MSG_ERROR, r.yaml, 1, 1, "an issue needs 'sections': a list of "
		    "sections, each with a title and its articles");
	else if (sections->type != META_LIST || sections->first == NULL)
		msg_at(MSG_ERROR, r.yaml, sections->line, sections->col, "'sections' must be a "
		    "list of sections, each with a title and its articles");
	else
		for (s = sections->first; s != NULL; s = s->next)
			read_section(&r, s);
	issue_meta(map, doc->meta);
	for (c = r.notes->first; c != NULL; c = next) {
		next = c->next;
		doc_unlink(c);
		doc_append(doc->root, c);
	}
out:
	meta_free(map);
	doc_node_free(r.notes);
	for (i = 0; i < r.nseen; i++)
		free(r.seen[i]);
	free(r.seen);
	free(r.seen_at);
	return msg_errors() > errors ? -1 : 0;
}

int
issue_read_meta(const char *path, struct meta *map, read_hook on_read, void *ctx)
{
	char *folder = issue_folder(path), *yaml = NULL;
	struct meta *raw = NULL;
	struct doc *doc = NULL;
	struct buf src = BUF_INIT;
	int rc = -1;

	if (folder != NULL) {
		yaml = issue_yaml_path(folder);
		on_read(ctx, yaml);
		raw = meta_new(META_MAP, NULL, 0, 0);
		if (parse_yaml(yaml, raw, NULL) == 0) {
			issue_meta(raw, map);
			rc = 0;
		}
	} else {
		on_read(ctx, path);
		doc = doc_new(path);
		if (fs_read(path, &src) == -1)
			msg_at(MSG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		else if (build_parse(path, buf_str(&src), src.len, doc, NULL,
		    SCHEMA_FRONT_MATTER) == 0) {
			const struct meta *c;
			for (c = doc->meta->first; c != NULL; c = c->next)
				meta_append(map, meta_clone(c, c->key));
			rc = 0;
		}
	}
	free(folder);
	free(yaml);
	meta_free(raw);
	doc_free(doc);
	buf_free(&src);
	return rc;
}

/* One issue of an index page. */
struct entry {
	struct meta	*meta;
	char		*stem;		/* its outputs' name: 2026-3 for 2026-3.html */
	long		 date;		/* yyyymmdd from its date, 0 when it has none */
	const char	*path;
};

/* The year, month and day of a date written 2026-09-30 or 2026年9月30日, as 20260930. */
static long
date_key(const char *s)
{
	long part[3] = { 0, 0, 0 };
	int k = 0;

	while (s && *s && k < 3) {
		if (*s >= '0' && *s <= '9') {
			while (*s >= '0' && *s <= '9' && part[k] < 100000)
				part[k] = part[k] * 10 + (*s++ - '0');
			k++;
		} else
			s++;
	}
	return part[0] * 10000 + part[1] * 100 + part[2];
}

static int
newest_first(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? 1 : -1;
	return -strcmp(x->path, y->path);
}

static void
add_str(struct meta *map, const char *key, const char *value)
{
	if (value != NULL && *value)
		meta_set_str(map, key, value);
}

int
issue_index(struct doc *doc, char *const *paths, size_t n, read_hook on_read, void *ctx)
{
	struct entry *v = mem_zalloc(n ? n : 1, sizeof(*v));
	struct meta *list, *item;
	const struct meta *m;
	struct buf name = BUF_INIT;
	char *folder;
	size_t i, k = 0;
	int rc = 0;

	for (i = 0; i < n; i++) {
		v[k].meta = meta_new(META_MAP, NULL, 0, 0);
		v[k].path = paths[i];
		if (issue_read_meta(paths[i], v[k].meta, on_read, ctx) == -1) {
			meta_free(v[k].meta);
			rc = -1;
			continue;
		}
		folder = issue_folder(paths[i]);
		v[k].stem = folder ? fs_basename(folder) : fs_stem(paths[i]);
		free(folder);
		v[k].date = date_key(meta_get_str(v[k].meta, "date"));
		k++;
	}
	qsort(v, k, sizeof(*v), newest_first);
	if (k > 0) {
		add_str(doc->meta, "title", meta_get_str(v[0].meta, "title"));
		add_str(doc->meta, "publisher", meta_get_str(v[0].meta, "publisher"));
		add_str(doc->meta, "lang", meta_get_str(v[0].meta, "lang"));
	}
	meta_set_str(doc->meta, "style", "bulletin");
	list = meta_new(META_LIST, "issues", 0, 0);
	for (i = 0; i < k; i++) {
		static const char *const keys[] = { "title", "issue", "serial", "date" };
		item = meta_new(META_MAP, NULL, 0, 0);
		for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
			add_str(item, keys[j], meta_get_str(v[i].meta, keys[j]));
		if ((m = meta_get(v[i].meta, "sections")) != NULL && m->type == META_LIST)
			meta_append(item, meta_clone(m, "sections"));
		buf_reset(&name);
		buf_printf(&name, "%s.html", v[i].stem);
		meta_set_str(item, "html", buf_str(&name));
		buf_reset(&name);
		buf_printf(&name, "%s.pdf", v[i].stem);
		meta_set_str(item, "pdf", buf_str(&name));
		meta_append(list, item);
	}
	meta_append(doc->meta, list);
	for (i = 0; i < k; i++) {
		meta_free(v[i].meta);
		free(v[i].stem);
	}
	free(v);
	buf_free(&name);
	return rc;
}
