/* The model and Lua, both ways: nodes become pandoc-like elements, and elements a filter left become nodes again. */
#include "lf_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "buf.h"
#include "data.h"
#include "mem.h"
#include "md.h"
#include "meta.h"
#include "msg.h"
#include "utf8.h"
#include "xml.h"

/* ---- model → Lua ------------------------------------------------------- */

/* What pushing the model needs besides a node: the Element metatable's stack index
 * and the footnotes by number, so that a reference finds its note at once. */
struct push {
	int		 mt;
	int		 inlines, blocks, list, attr;	/* the metatables of lists and Attr */
	int		 positions;	/* 0: the nodes are not the document's (pandoc.read) */
	const struct doc_node **notes;	/* notes[num], NULL where none */
	size_t		 note_count;
	/*
	 * A note referred to from inside another note is not nested in it (a chain
	 * of 3,000 notes would be 9,000 elements deep): its reference is a Note
	 * with no content and _hoisted set, and its content follows the outermost
	 * note's own, as a Div of class galley-note with _note its number.
	 * in_note is how deep the pushing is inside notes; hoisted[num] whether a
	 * note's content was pushed so; pending the notes waiting, a stack.
	 */
	int		 in_note;
	unsigned char	*hoisted;
	int		*pending;
	size_t		 npending;
};

static void push_blocks(lua_State *L, const struct doc_node *first, struct push *p);
static void push_inlines(lua_State *L, const struct doc_node *first, struct push *p);
static void push_note_content(lua_State *L, const struct doc_node *note, struct push *p);

static void
set_str(lua_State *L, const char *key, const char *value)
{
	lua_pushstring(L, value ? value : "");
	lua_setfield(L, -2, key);
}

/* Sets field "attr" of the table on top of the stack to a, with the Attr and List metatables at attr_mt, list_mt. */
static void
push_attr(lua_State *L, const struct doc_attr *a, int attr_mt, int list_mt)
{
	size_t i;

	lua_createtable(L, 0, 3);
	set_str(L, "identifier", a->id);
	lua_createtable(L, (int)a->nclasses, 0);
	for (i = 0; i < a->nclasses; i++) {
		lua_pushstring(L, a->classes[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_pushvalue(L, list_mt);
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, "classes");
	lua_createtable(L, 0, (int)a->nkv);
	for (i = 0; i < a->nkv; i++) {
		lua_pushstring(L, a->kv[i].value);
		lua_setfield(L, -2, a->kv[i].key);
	}
	lua_setfield(L, -2, "attributes");
	lua_pushvalue(L, attr_mt);
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, "attr");
}

void
lf_push_attr(lua_State *L, const struct doc_attr *a)
{
	lf_push_internals(L);
	lua_getfield(L, -1, "Attr");
	lua_getfield(L, -2, "List");
	lua_pushvalue(L, -4);	/* the table to set "attr" of */
	push_attr(L, a, lua_absindex(L, -3), lua_absindex(L, -2));
	lua_pop(L, 4);
}

static const char *
list_delimiter(const struct doc_node *n)
{
	if (n->flags & DOC_PARENS)
		return "TwoParens";
	return n->flags & DOC_PAREN ? "OneParen" : "Period";
}

/*
 * Records a source position in the table on top of the stack, under the given
 * field names, and as _file the file it is in unless that is the document's own.
 */
static void
set_position(lua_State *L, const struct doc_node *n, const char *line, const char *col)
{
	if (n->line <= 0)
		return;
	lua_pushinteger(L, n->line);
	lua_setfield(L, -2, line);
	lua_pushinteger(L, n->col);
	lua_setfield(L, -2, col);
	if (n->file > 0) {
		lua_pushstring(L, doc_node_file(lf_get(L)->doc, n));
		lua_setfield(L, -2, "_file");
	}
}

/* The file index of the _file an element at idx carries: 0 when none or unknown. */
int
lf_get_file(lua_State *L, int idx)
{
	int file = 0;

	lua_getfield(L, idx, "_file");
	if (lua_type(L, -1) == LUA_TSTRING)
		file = doc_find_file(lf_get(L)->doc, lua_tostring(L, -1));
	lua_pop(L, 1);
	return file > 0 ? file : 0;
}

/* Reads back what set_position() recorded into n. */
static void
get_position(lua_State *L, int idx, struct doc_node *n, const char *line, const char *col)
{
	lua_getfield(L, idx, line);
	n->line = (int)lua_tointeger(L, -1);
	lua_getfield(L, idx, col);
	n->col = (int)lua_tointeger(L, -1);
	lua_pop(L, 2);
	n->file = lf_get_file(L, idx);
}

/* Sets the element's "caption" from n's CAPTION child; returns the child after it. */
static const struct doc_node *
push_caption(lua_State *L, const struct doc_node *n, struct push *p)
{
	const struct doc_node *c = n->first;

	if (c && c->type == DOC_CAPTION) {
		push_inlines(L, c->first, p);
		c = c->next;
	} else
		lua_newtable(L);
	lua_setfield(L, -2, "caption");
	return c;
}

/* Pushes one element (a table with the Element metatable at p->mt). */
static void
push_node(lua_State *L, const struct doc_node *n, struct push *p)
{
	static const char *const aligns[] = { "left", "center", "right", "default" };
	const struct doc_node *c, *note;
	const char *tag;
	int i, j;

	luaL_checkstack(L, 8, "document nested too deeply");
	tag = n->type == DOC_LIST && (n->flags & DOC_ORDERED) ? "OrderedList" :
	    doc_type_tag(n->type);
	if (*tag == '\0')
		luaL_error(L, "internal error: no Lua element for '%s'", doc_type_name(n->type));
	lua_createtable(L, 0, 6);
	set_str(L, "tag", tag);
	if (p->positions)
		set_position(L, n, "_line", "_col");
	if (n->origin)
		set_str(L, "_origin", n->origin);
	if (n->type != DOC_TEXT && n->type != DOC_SOFTBREAK &&
	    n->type != DOC_LINEBREAK && n->type != DOC_NOTEREF)
		push_attr(L, &n->attr, p->attr, p->list);
	switch (n->type) {
	case DOC_HEADING:
		lua_pushinteger(L, n->level);
		lua_setfield(L, -2, "level");
		/* FALLTHROUGH */
	case DOC_PARA:
	case DOC_EMPH:
	case DOC_STRONG:
	case DOC_STRIKE:
	case DOC_SUPERSCRIPT:
	case DOC_SUBSCRIPT:
	case DOC_SPAN:
		push_inlines(L, n->first, p);
		lua_setfield(L, -2, "content");
		break;
	case DOC_DEFLIST:
		/* pandoc's items: each a pair {term, definitions}, a list of lists of blocks */
		lua_newtable(L);
		lua_pushvalue(L, p->list);
		lua_setmetatable(L, -2);
		for (c = n->first, i = 1; c != NULL; c = c->next, i++) {
			const struct doc_node *d = c->first;
			lua_createtable(L, 2, 1);
			if (p->positions)
				set_position(L, c, "_line", "_col");
			lua_pushboolean(L, (c->flags & DOC_TIGHT) != 0);
			lua_setfield(L, -2, "_tight");
			push_inlines(L, d && d->type == DOC_TERM ? d->first : NULL, p);
			lua_rawseti(L, -2, 1);
			if (d && d->type == DOC_TERM)
				d = d->next;
			lua_newtable(L);
			lua_pushvalue(L, p->list);
			lua_setmetatable(L, -2);
			for (j = 1; d != NULL; d = d->next, j++) {
				push_blocks(L, d->first, p);
				if (p->positions)
					set_position(L, d, "_line", "_col");
				lua_rawseti(L, -2, j);
			}
			lua_rawseti(L, -2, 2);
			lua_rawseti(L, -2, i);
		}
		lua_setfield(L, -2, "content");
		lua_pushboolean(L, (n->flags & DOC_TIGHT) != 0);
		lua_setfield(L, -2, "tight");
		break;
	case DOC_LINK:
	case DOC_IMAGE:
		push_inlines(L, n->first, p);
		lua_setfield(L, -2, "content");
		set_str(L, n->type == DOC_LINK ? "target" : "src", n->url);
		if (n->title)
			set_str(L, "title", n->title);
		break;
	case DOC_BLOCKQUOTE:
	case DOC_DIV:
		push_blocks(L, n->first, p);
		lua_setfield(L, -2, "content");
		break;
	case DOC_FIGURE:
		c = push_caption(L, n, p);
		push_blocks(L, c, p);
		lua_setfield(L, -2, "content");
		break;
	case DOC_LIST:
		lua_newtable(L);	/* content: one list of blocks per item */
		lua_pushvalue(L, p->list);
		lua_setmetatable(L, -2);
		lua_newtable(L);	/* tasks */
		for (c = n->first, i = 1; c != NULL; c = c->next, i++) {
			if (c->flags & DOC_TASK) {
				lua_pushstring(L, c->flags & DOC_CHECKED ? "checked" : "unchecked");
				lua_rawseti(L, -2, i);
			}
			push_blocks(L, c->first, p);
			if (p->positions)
				set_position(L, c, "_line", "_col");
			lua_rawseti(L, -3, i);
		}
		lua_setfield(L, -3, "tasks");
		lua_setfield(L, -2, "content");
		lua_pushboolean(L, (n->flags & DOC_TIGHT) != 0);
		lua_setfield(L, -2, "tight");
		if (n->flags & DOC_ORDERED) {
			lua_pushinteger(L, n->num);
			lua_setfield(L, -2, "start");
			set_str(L, "style", n->info ? n->info : "Decimal");
			set_str(L, "delimiter", list_delimiter(n));
		}
		break;
	case DOC_CODEBLOCK:
		set_str(L, "text", n->text);
		set_str(L, "info", n->info);
		break;
	case DOC_RAWBLOCK:
	case DOC_RAWINLINE:
		set_str(L, "format", n->info ? n->info : "html");
		set_str(L, "text", n->text);
		break;
	case DOC_TEXT:
	case DOC_CODE:
		set_str(L, "text", n->text);
		break;
	case DOC_TABLE:
		lua_newtable(L);
		for (i = 0; n->aligns && n->aligns[i]; i++) {
			const char *kind = strchr("lcrd", n->aligns[i]);
			lua_pushstring(L, aligns[kind ? kind - "lcrd" : 3]);
			lua_rawseti(L, -2, i + 1);
		}
		lua_setfield(L, -2, "aligns");
		c = push_caption(L, n, p);
		lua_newtable(L);
		for (i = 1; c != NULL; c = c->next, i++) {
			const struct doc_node *cell;
			lua_createtable(L, 0, 2);
			lua_pushboolean(L, (c->flags & DOC_HEADER) != 0);
			lua_setfield(L, -2, "header");
			if (p->positions)
				set_position(L, c, "_line", "_col");
			lua_newtable(L);
			for (cell = c->first, j = 1; cell != NULL; cell = cell->next, j++) {
				push_inlines(L, cell->first, p);
				if (p->positions)
					set_position(L, cell, "_line", "_col");
				lua_rawseti(L, -2, j);
			}
			lua_setfield(L, -2, "cells");
			lua_rawseti(L, -2, i);
		}
		lua_setfield(L, -2, "rows");
		break;
	case DOC_NOTEREF:
		lua_pushinteger(L, n->num);
		lua_setfield(L, -2, "_n");
		note = n->num >= 0 && (size_t)n->num < p->note_count ? p->notes[n->num] : NULL;
		if (p->in_note > 0 && note != NULL) {
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, "_hoisted");
			lua_newtable(L);
			lua_setfield(L, -2, "content");
			if (!p->hoisted[n->num]) {
				p->hoisted[n->num] = 1;
				p->pending[p->npending++] = n->num;
			}
			break;
		}
		if (note)
			p->hoisted[n->num] = 1;	/* a reference inside a note needs no copy */
		push_note_content(L, note, p);
		lua_setfield(L, -2, "content");
		if (note && p->positions)
			set_position(L, note, "_noteline", "_notecol");
		break;
	case DOC_DOCUMENT:
	case DOC_ITEM:
	case DOC_HR:
	case DOC_ROW:
	case DOC_CELL:
	case DOC_FOOTNOTE:
	case DOC_CAPTION:
	case DOC_DEFITEM:
	case DOC_TERM:
	case DOC_DEFINITION:
	case DOC_SOFTBREAK:
	case DOC_LINEBREAK:
		break;
	}
	lua_pushvalue(L, p->mt);
	lua_setmetatable(L, -2);
}

/*
 * Pushes the content of an outermost note (NULL: none): its blocks, then a
 * Div of class galley-note for each note it refers to, directly or through
 * others, in reading order (a note's own, then those it refers to).
 */
static void
push_note_content(lua_State *L, const struct doc_node *note, struct push *p)
{
	static char *note_class[] = { "galley-note" };
	static const struct doc_attr note_div = { NULL, note_class, 1, NULL, 0 };
	size_t base = p->npending, mark = base, i, j;
	lua_Integer k;
	int num, tmp;

	p->in_note++;
	push_blocks(L, note ? note->first : NULL, p);
	k = (lua_Integer)lua_rawlen(L, -1) + 1;
	for (;;) {
		/* The note just pushed added the notes it refers to in reading order: first on top. */
		for (i = mark, j = p->npending; i + 1 < j; i++, j--) {
			tmp = p->pending[i];
			p->pending[i] = p->pending[j - 1];
			p->pending[j - 1] = tmp;
		}
		if (p->npending == base)
			break;
		num = p->pending[--p->npending];
		mark = p->npending;
		note = p->notes[num];
		lua_createtable(L, 0, 6);
		set_str(L, "tag", "Div");
		push_attr(L, &note_div, p->attr, p->list);
		lua_pushinteger(L, num);
		lua_setfield(L, -2, "_note");
		if (p->positions)
			set_position(L, note, "_line", "_col");
		push_blocks(L, note->first, p);
		lua_setfield(L, -2, "content");
		lua_pushvalue(L, p->mt);
		lua_setmetatable(L, -2);
		lua_rawseti(L, -2, k++);
	}
	p->in_note--;
}

/*
 * How many of the nodes from first on push_blocks() pushes: lists are made at
 * their size, not grown a power of two at a time, each step a copy of the list
 * (1.6 M instructions of 27 M for a 120-page document).
 */
static int
count_nodes(const struct doc_node *first)
{
	int n = 0;

	for (; first != NULL; first = first->next)
		n += first->type != DOC_FOOTNOTE;
	return n;
}

static void
push_inlines(lua_State *L, const struct doc_node *first, struct push *p)
{
	lua_Integer i = 1;

	lua_createtable(L, count_nodes(first), 0);
	lua_pushvalue(L, p->inlines);
	lua_setmetatable(L, -2);
	for (; first != NULL; first = first->next) {
		push_node(L, first, p);
		lua_rawseti(L, -2, i++);
	}
}

static void
push_blocks(lua_State *L, const struct doc_node *first, struct push *p)
{
	lua_Integer i = 1;

	lua_createtable(L, count_nodes(first), 0);
	lua_pushvalue(L, p->blocks);
	lua_setmetatable(L, -2);
	for (; first != NULL; first = first->next) {
		if (first->type == DOC_FOOTNOTE)
			continue;	/* they travel inside their Note inlines */
		push_node(L, first, p);
		lua_rawseti(L, -2, i++);
	}
}

void
lf_push_meta(lua_State *L, const struct meta *m, int strings)
{
	const struct meta *c;
	lua_Integer i = 1;

	luaL_checkstack(L, 4, "YAML nested too deeply");
	switch (m->type) {
	case META_STRING:
		lua_pushstring(L, m->str);
		break;
	case META_BOOL:
		if (strings)
			lua_pushstring(L, m->str);
		else
			lua_pushboolean(L, strcmp(m->str, "true") == 0);
		break;
	case META_LIST:
		lua_newtable(L);
		for (c = m->first; c != NULL; c = c->next) {
			lf_push_meta(L, c, strings);
			lua_rawseti(L, -2, i++);
		}
		break;
	case META_MAP:
		lua_newtable(L);
		for (c = m->first; c != NULL; c = c->next) {
			lf_push_meta(L, c, strings);
			lua_setfield(L, -2, c->key);
		}
		break;
	}
}

/* Pushes the metatables push_node() needs into p; fields index the stack. */
static void
push_metatables(lua_State *L, struct push *p)
{
	lf_push_internals(L);
	lua_getfield(L, -1, "Element");
	p->mt = lua_gettop(L);
	lua_getfield(L, -2, "Inlines");
	p->inlines = lua_gettop(L);
	lua_getfield(L, -3, "Blocks");
	p->blocks = lua_gettop(L);
	lua_getfield(L, -4, "List");
	p->list = lua_gettop(L);
	lua_getfield(L, -5, "Attr");
	p->attr = lua_gettop(L);
}

/*
 * Pushes the footnotes of the blocks from first on as p->notes, and the room
 * for hoisting nested ones (p->hoisted, p->pending): userdata on the stack.
 */
static void
push_notes(lua_State *L, const struct doc_node *first, struct push *p)
{
	const struct doc_node *c;
	size_t size;

	for (c = first; c != NULL; c = c->next)
		if (c->type == DOC_FOOTNOTE && c->num >= 0 && (size_t)c->num >= p->note_count)
			p->note_count = (size_t)c->num + 1;
	/* Lua's memory, so that an error while pushing cannot leak it. */
	size = (p->note_count ? p->note_count : 1) * sizeof(*p->notes);
	p->notes = lua_newuserdatauv(L, size, 0);
	memset(p->notes, 0, size);
	for (c = first; c != NULL; c = c->next)
		if (c->type == DOC_FOOTNOTE && c->num >= 0 && p->notes[c->num] == NULL)
			p->notes[c->num] = c;
	p->hoisted = lua_newuserdatauv(L, p->note_count ? p->note_count : 1, 0);
	memset(p->hoisted, 0, p->note_count ? p->note_count : 1);
	p->pending = lua_newuserdatauv(L, (p->note_count ? p->note_count : 1) * sizeof(*p->pending), 0);
}

/* lua_pcall'd with nothing: pushes the document table { blocks = …, meta = … }. */
int
lf_push_document(lua_State *L)
{
	struct lf *lf = lf_get(L);
	struct push p;

	memset(&p, 0, sizeof(p));
	p.positions = 1;
	push_metatables(L, &p);
	push_notes(L, lf->doc->root->first, &p);
	lua_createtable(L, 0, 2);
	push_blocks(L, lf->doc->root->first, &p);
	lua_setfield(L, -2, "blocks");
	lf_push_meta(L, lf->doc->meta, 0);
	lua_setfield(L, -2, "meta");
	return 1;
}

/* Frees the document a pandoc.read holder userdata holds. */
static int
read_gc(lua_State *L)
{
	struct doc **d = lua_touserdata(L, 1);

	doc_free(*d);
	*d = NULL;
	return 0;
}

/*
 * internals.read_markdown(text [, quiet]): the blocks galley's Markdown parser makes of
 * text, in galley's view and without source positions (they are not the
 * document's).  A parse error is a Lua error.
 */
int
lf_read_markdown(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	int quiet = lua_toboolean(L, 2), rc;
	struct doc **holder;
	struct push p;

	if (utf8_check(s, len) < len)
		return luaL_error(L, "pandoc.read: the text is not UTF-8");
	memset(&p, 0, sizeof(p));
	push_metatables(L, &p);
	/* A Lua error while pushing must not leak the document: a userdata frees it. */
	holder = lua_newuserdatauv(L, sizeof(*holder), 0);
	*holder = NULL;
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, read_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	*holder = doc_new("pandoc.read");
	/*
	 * Metadata read for pandoc's view (quiet) says nothing: its text was
	 * galley's front matter, not something the filter asked to read.
	 */
	if (quiet)
		msg_hold();
	rc = md_parse(*holder, s, len);
	if (quiet)
		msg_release(0);
	if (rc != 0)
		return luaL_error(L, "pandoc.read: galley could not read the Markdown");
	push_notes(L, (*holder)->root->first, &p);
	push_blocks(L, (*holder)->root->first, &p);
	return 1;
}

/* ---- Lua → model ------------------------------------------------------- */

/*
 * Every node is attached to its parent as soon as it exists, so that a Lua
 * error in the middle leaves a tree the caller can free whole.
 */
static void blocks_to_model(lua_State *L, int idx, struct doc_node *parent, int depth);
static void inlines_to_model(lua_State *L, int idx, struct doc_node *parent, int depth);

/* The string field key of the table at idx, or NULL; it stays valid while the table does. */
static const char *
opt_string(lua_State *L, int idx, const char *key)
{
	const char *s = NULL;

	lua_getfield(L, idx, key);
	if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
		s = lua_tostring(L, -1);
	else if (!lua_isnil(L, -1))
		luaL_error(L, "field '%s' must be a string, not a %s", key,
		    luaL_typename(L, -1));
	lua_pop(L, 1);
	return s;
}

/* A copy of the string field key (NULL when absent); filters may not leave malformed UTF-8. */
static char *
dup_field(lua_State *L, int idx, const char *key)
{
	const char *s = opt_string(L, idx, key);
	size_t len;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (utf8_check(s, len) < len)
		luaL_error(L, "field '%s' holds text that is not UTF-8", key);
	return mem_strdup(s);
}

static lua_Integer
opt_integer(lua_State *L, int idx, const char *key, lua_Integer dflt)
{
	lua_Integer v = dflt;
	int isnum;

	lua_getfield(L, idx, key);
	if (!lua_isnil(L, -1)) {
		v = lua_tointegerx(L, -1, &isnum);
		if (!isnum)
			luaL_error(L, "field '%s' must be a whole number", key);
	}
	lua_pop(L, 1);
	return v;
}

/* Pushes field key of the table at idx, which must be a table (an empty one when absent). */
static int
table_field(lua_State *L, int idx, const char *key)
{
	lua_getfield(L, idx, key);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_newtable(L);
	} else if (!lua_istable(L, -1))
		luaL_error(L, "field '%s' must be a list, not a %s", key,
		    luaL_typename(L, -1));
	return lua_gettop(L);
}

static int
compare_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
attr_to_model(lua_State *L, int idx, struct doc_attr *a)
{
	const char *s, **keys;
	size_t nkeys = 0, i;
	int t, list, top = lua_gettop(L);

	lua_getfield(L, idx, "attr");
	if (lua_isnil(L, -1)) {
		lua_settop(L, top);
		return;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "field 'attr' must be a table");
	t = lua_gettop(L);
	if ((s = opt_string(L, t, "identifier")) != NULL && *s)
		a->id = mem_strdup(s);
	list = table_field(L, t, "classes");
	for (i = 1; lua_rawgeti(L, list, (lua_Integer)i) != LUA_TNIL; i++) {
		if (!lua_isstring(L, -1))
			luaL_error(L, "attr.classes must hold strings");
		s = lua_tostring(L, -1);
		doc_attr_add_class(a, s, strlen(s));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	/* Attributes come back in key order: Lua tables have none of their own. */
	list = table_field(L, t, "attributes");
	lua_pushnil(L);
	while (lua_next(L, list) != 0) {
		if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1))
			luaL_error(L, "attr.attributes must map strings to strings");
		nkeys++;
		lua_pop(L, 1);
	}
	/* Lua owns the array of keys (a userdata): an error below frees it too. */
	keys = lua_newuserdatauv(L, nkeys * sizeof(*keys), 0);
	i = 0;
	lua_pushnil(L);
	while (lua_next(L, list) != 0) {
		keys[i++] = lua_tostring(L, -2);
		lua_pop(L, 1);
	}
	if (nkeys > 0)
		qsort(keys, nkeys, sizeof(*keys), compare_keys);
	for (i = 0; i < nkeys; i++) {
		lua_getfield(L, list, keys[i]);
		doc_attr_set(a, keys[i], lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_settop(L, top);
}

static int
list_style_flags(lua_State *L, int idx, struct doc_node *n)
{
	const char *style = opt_string(L, idx, "style");
	const char *delim = opt_string(L, idx, "delimiter");

	if (style && strcmp(style, "Decimal") != 0 && strcmp(style, "DefaultStyle") != 0)
		n->info = mem_strdup(style);
	if (delim == NULL || strcmp(delim, "Period") == 0 ||
	    strcmp(delim, "DefaultDelim") == 0)
		return 0;
	if (strcmp(delim, "OneParen") == 0)
		return DOC_PAREN;
	if (strcmp(delim, "TwoParens") == 0)
		return DOC_PARENS;
	return luaL_error(L, "unknown list delimiter '%s'", delim);
}

static void
note_to_model(lua_State *L, int idx, struct doc_node *ref, int depth)
{
	struct lf *lf = lf_get(L);
	struct doc_node *note;
	lua_Integer old = opt_integer(L, idx, "_n", 0);
	int content, hoisted;

	if (old > 0 && (size_t)old < lf->note_map_len && lf->note_map[old] > 0) {
		ref->num = lf->note_map[old];	/* a second reference to the same note */
		return;
	}
	lua_getfield(L, idx, "_hoisted");
	hoisted = lua_toboolean(L, -1);
	lua_pop(L, 1);
	if (hoisted && old > 0 && (size_t)old < lf->note_map_len) {
		/* Its galley-note Div, later in the outermost note, numbers it; see lf_run. */
		ref->num = -(int)old;
		lf->held = mem_grow(lf->held, &lf->held_cap, lf->nheld + 1, sizeof(*lf->held));
		lf->held[lf->nheld++] = ref;
		return;
	}
	ref->num = ++lf->note_count;
	if (old > 0 && (size_t)old < lf->note_map_len)
		lf->note_map[old] = ref->num;
	note = doc_node_new(DOC_FOOTNOTE, 0, 0);
	get_position(L, idx, note, "_noteline", "_notecol");
	note->num = ref->num;
	doc_append(lf->notes, note);
	content = table_field(L, idx, "content");
	blocks_to_model(L, content, note, depth + 1);
	lua_pop(L, 1);
}

/*
 * The content of a note that was referred to from inside another note (a Div
 * of class galley-note, see struct push): a FOOTNOTE numbered now, in reading
 * order.  Returns 0 when the element at idx is not such a Div.
 */
static int
hoisted_note_to_model(lua_State *L, int idx, int depth)
{
	struct lf *lf = lf_get(L);
	struct doc_node *note;
	lua_Integer old;
	int is_note = 0, t;

	lua_getfield(L, idx, "tag");
	if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "Div") == 0) {
		lua_getfield(L, idx, "_note");
		is_note = lua_isinteger(L, -1);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	if (!is_note)
		return 0;
	old = opt_integer(L, idx, "_note", 0);
	if (old <= 0 || (size_t)old >= lf->note_map_len)
		return 0;
	if (lf->note_map[old] > 0)
		return 1;	/* a filter copied it: the note came back already */
	lf->note_map[old] = ++lf->note_count;
	note = doc_node_new(DOC_FOOTNOTE, (int)opt_integer(L, idx, "_line", 0),
	    (int)opt_integer(L, idx, "_col", 0));
	note->file = lf_get_file(L, idx);
	note->num = lf->note_count;
	doc_append(lf->notes, note);
	t = table_field(L, idx, "content");
	blocks_to_model(L, t, note, depth + 1);
	lua_pop(L, 1);
	return 1;
}

/* Converts the element at idx and appends it to parent. */
static void
element_to_model(lua_State *L, int idx, struct doc_node *parent, int depth)
{
	struct lf *lf = lf_get(L);
	const struct doc_node *outer;
	struct doc_node *n, *c;
	const char *tag, *s;
	int type;
	int list, row, cells, k, j, all_tight = 1, top = lua_gettop(L);

	if (depth > LF_MAX_DEPTH)
		luaL_error(L, "elements nested more than %d deep", LF_MAX_DEPTH);
	luaL_checkstack(L, 10, "elements nested too deeply");
	if (!lua_istable(L, idx))
		luaL_error(L, "expected an element, found a %s", luaL_typename(L, idx));
	if ((tag = opt_string(L, idx, "tag")) == NULL)
		luaL_error(L, "expected an element, found a table without a tag");
	if (hoisted_note_to_model(L, idx, depth))
		return;
	/* galley's older name of a Header is read too */
	if ((type = doc_type_of_tag(strcmp(tag, "Heading") == 0 ? "Header" : tag)) < 0 ||
	    doc_type_kind((enum doc_type)type) == DOC_KIND_PART)
		luaL_error(L, "unknown element '%s'", tag);
	n = doc_node_new((enum doc_type)type, (int)opt_integer(L, idx, "_line", 0),
	    (int)opt_integer(L, idx, "_col", 0));
	doc_append(parent, n);
	outer = lf->converting;
	lf->converting = n;
	if (n->line == 0)
		n->origin = dup_field(L, idx, "_origin");
	else
		n->file = lf_get_file(L, idx);
	attr_to_model(L, idx, &n->attr);
	switch (n->type) {
	case DOC_HEADING:
		n->level = (int)opt_integer(L, idx, "level", 1);
		if (n->level < 1 || n->level > 6)
			luaL_error(L, "Heading level %d is not from 1 to 6", n->level);
		/* FALLTHROUGH */
	case DOC_PARA:
	case DOC_EMPH:
	case DOC_STRONG:
	case DOC_STRIKE:
	case DOC_SUPERSCRIPT:
	case DOC_SUBSCRIPT:
	case DOC_SPAN:
		inlines_to_model(L, table_field(L, idx, "content"), n, depth);
		break;
	case DOC_DEFLIST:
		lua_getfield(L, idx, "tight");
		if (lua_toboolean(L, -1))
			n->flags |= DOC_TIGHT;
		lua_pop(L, 1);
		list = table_field(L, idx, "content");
		for (k = 1; lua_rawgeti(L, list, k) != LUA_TNIL; k++) {
			int item = lua_gettop(L), defs;
			struct doc_node *term;
			if (!lua_istable(L, item))
				luaL_error(L, "DefinitionList items must be pairs {term, definitions}");
			c = doc_node_new(DOC_DEFITEM, 0, 0);
			doc_append(n, c);
			get_position(L, item, c, "_line", "_col");
			/* an item's own _tight, else the list's */
			lua_getfield(L, item, "_tight");
			if (lua_isboolean(L, -1) ? lua_toboolean(L, -1) : (n->flags & DOC_TIGHT) != 0)
				c->flags |= DOC_TIGHT;
			else
				all_tight = 0;
			lua_pop(L, 1);
			term = doc_node_new(DOC_TERM, c->line, c->col);
			doc_append(c, term);
			if (lua_rawgeti(L, item, 1) != LUA_TTABLE)
				luaL_error(L, "a DefinitionList item's term must be inlines");
			inlines_to_model(L, lua_gettop(L), term, depth + 2);
			lua_pop(L, 1);
			if (lua_rawgeti(L, item, 2) != LUA_TTABLE)
				luaL_error(L, "a DefinitionList item's definitions must be a list of blocks lists");
			defs = lua_gettop(L);
			for (j = 1; lua_rawgeti(L, defs, j) != LUA_TNIL; j++) {
				struct doc_node *d = doc_node_new(DOC_DEFINITION, 0, 0);
				doc_append(c, d);
				if (!lua_istable(L, -1))
					luaL_error(L, "a definition must be a list of blocks");
				get_position(L, lua_gettop(L), d, "_line", "_col");
				blocks_to_model(L, lua_gettop(L), d, depth + 2);
				lua_pop(L, 1);
			}
			lua_settop(L, item - 1);
		}
		if (all_tight)
			n->flags |= DOC_TIGHT;
		else
			n->flags &= ~DOC_TIGHT;
		break;
	case DOC_LINK:
	case DOC_IMAGE:
		n->url = dup_field(L, idx, n->type == DOC_LINK ? "target" : "src");
		if (n->url == NULL)
			n->url = mem_strdup("");
		if ((s = opt_string(L, idx, "title")) != NULL && *s)
			n->title = mem_strdup(s);
		inlines_to_model(L, table_field(L, idx, "content"), n, depth);
		break;
	case DOC_BLOCKQUOTE:
	case DOC_DIV:
		blocks_to_model(L, table_field(L, idx, "content"), n, depth);
		break;
	case DOC_FIGURE:
	case DOC_TABLE:
		list = table_field(L, idx, "caption");
		if (lua_rawlen(L, list) > 0) {
			c = doc_node_new(DOC_CAPTION, 0, 0);
			doc_append(n, c);
			inlines_to_model(L, list, c, depth + 1);
		}
		if (n->type == DOC_FIGURE) {
			blocks_to_model(L, table_field(L, idx, "content"), n, depth);
			break;
		}
		list = table_field(L, idx, "aligns");
		{
			struct buf al = BUF_INIT;
			for (k = 1; lua_rawgeti(L, list, k) != LUA_TNIL; k++) {
				s = lua_tostring(L, -1);
				buf_putc(&al, s && strcmp(s, "left") == 0 ? 'l' :
				    s && strcmp(s, "center") == 0 ? 'c' :
				    s && strcmp(s, "right") == 0 ? 'r' : 'd');
				lua_pop(L, 1);
			}
			lua_pop(L, 1);
			n->aligns = buf_take(&al);
		}
		list = table_field(L, idx, "rows");
		for (k = 1; lua_rawgeti(L, list, k) != LUA_TNIL; k++) {
			row = lua_gettop(L);
			if (!lua_istable(L, row))
				luaL_error(L, "Table rows must be tables");
			c = doc_node_new(DOC_ROW, 0, 0);
			doc_append(n, c);
			get_position(L, row, c, "_line", "_col");
			lua_getfield(L, row, "header");
			if (lua_toboolean(L, -1))
				c->flags |= DOC_HEADER;
			lua_pop(L, 1);
			cells = table_field(L, row, "cells");
			for (j = 1; lua_rawgeti(L, cells, j) != LUA_TNIL; j++) {
				struct doc_node *cell = doc_node_new(DOC_CELL, 0, 0);
				doc_append(c, cell);
				if (!lua_istable(L, -1))
					luaL_error(L, "Table cells must be lists of inlines");
				get_position(L, lua_gettop(L), cell, "_line", "_col");
				inlines_to_model(L, lua_gettop(L), cell, depth + 2);
				lua_pop(L, 1);
			}
			lua_settop(L, row - 1);
		}
		break;
	case DOC_LIST:
		if (strcmp(tag, "OrderedList") == 0) {
			n->flags |= DOC_ORDERED | list_style_flags(L, idx, n);
			n->num = (int)opt_integer(L, idx, "start", 1);
		}
		lua_getfield(L, idx, "tight");
		if (lua_isnil(L, -1) || lua_toboolean(L, -1))
			n->flags |= DOC_TIGHT;
		lua_pop(L, 1);
		list = table_field(L, idx, "content");
		table_field(L, idx, "tasks");
		for (k = 1; lua_rawgeti(L, list, k) != LUA_TNIL; k++) {
			c = doc_node_new(DOC_ITEM, 0, 0);
			doc_append(n, c);
			lua_rawgeti(L, list + 1, k);
			if ((s = lua_tostring(L, -1)) != NULL)
				c->flags |= DOC_TASK | (strcmp(s, "checked") == 0 ? DOC_CHECKED : 0);
			lua_pop(L, 1);
			if (!lua_istable(L, -1))
				luaL_error(L, "list items must be lists of blocks");
			get_position(L, lua_gettop(L), c, "_line", "_col");
			blocks_to_model(L, lua_gettop(L), c, depth + 1);
			lua_pop(L, 1);
		}
		break;
	case DOC_CODEBLOCK:
		n->text = dup_field(L, idx, "text");
		n->info = dup_field(L, idx, "info");
		if ((n->info == NULL || *n->info == '\0') && n->attr.nclasses > 0) {
			free(n->info);
			n->info = mem_strdup(n->attr.classes[0]);
		}
		break;
	case DOC_RAWBLOCK:
	case DOC_RAWINLINE:
		n->info = dup_field(L, idx, "format");
		n->text = dup_field(L, idx, "text");
		break;
	case DOC_TEXT:
		/* A Space is the spaces it stands for (" " unless read from the source). */
		n->text = dup_field(L, idx, strcmp(tag, "Space") == 0 ? "_text" : "text");
		if (n->text == NULL && strcmp(tag, "Space") == 0)
			n->text = mem_strdup(" ");
		break;
	case DOC_CODE:
		n->text = dup_field(L, idx, "text");
		break;
	case DOC_NOTEREF:
		note_to_model(L, idx, n, depth);
		break;
	case DOC_DOCUMENT:
	case DOC_ITEM:
	case DOC_HR:
	case DOC_ROW:
	case DOC_CELL:
	case DOC_FOOTNOTE:
	case DOC_CAPTION:
	case DOC_DEFITEM:
	case DOC_TERM:
	case DOC_DEFINITION:
	case DOC_SOFTBREAK:
	case DOC_LINEBREAK:
		break;
	}
	if (n->text == NULL && (n->type == DOC_TEXT || n->type == DOC_CODE ||
	    n->type == DOC_CODEBLOCK || n->type == DOC_RAWBLOCK ||
	    n->type == DOC_RAWINLINE))
		n->text = mem_strdup("");
	/* What fails from here on is the enclosing element's (or the document's) to answer for. */
	lf->converting = outer;
	lua_settop(L, top);
}

static void
list_to_model(lua_State *L, int idx, struct doc_node *parent, int depth, int inlines)
{
	lua_Integer i;

	for (i = 1; lua_rawgeti(L, idx, i) != LUA_TNIL; i++) {
		element_to_model(L, lua_gettop(L), parent, depth + 1);
		if (doc_is_inline(parent->last->type) != inlines) {
			lf_get(L)->converting = parent->last;
			luaL_error(L, "%s '%s' where %s belong",
			    inlines ? "a block" : "an inline",
			    doc_type_name(parent->last->type),
			    inlines ? "inlines" : "blocks");
		}
		lua_pop(L, 1);
	}
}

static void
blocks_to_model(lua_State *L, int idx, struct doc_node *parent, int depth)
{
	list_to_model(L, idx, parent, depth, 0);
}

static void
inlines_to_model(lua_State *L, int idx, struct doc_node *parent, int depth)
{
	list_to_model(L, idx, parent, depth, 1);
	doc_merge_texts(parent);
}

/* ---- pandoc.write(doc, 'html') ------------------------------------------ */

/* A document pandoc.write builds aside, and the stylesheet; freed by the userdata's __gc. */
struct write_doc {
	struct doc		*doc;
	struct html_style	*style;
};

static int
write_gc(lua_State *L)
{
	struct write_doc *w = lua_touserdata(L, 1);

	doc_free(w->doc);
	w->doc = NULL;
	if (w->style)
		html_style_free(w->style);
	w->style = NULL;
	return 0;
}

/* lua_pcall'd with the write_doc and the blocks. */
static int
write_convert(lua_State *L)
{
	struct write_doc *w = lua_touserdata(L, 1);

	blocks_to_model(L, 2, w->doc->root, 0);
	return 0;
}

int
lf_write_html(lua_State *L)
{
	struct lf *lf = lf_get(L), saved = *lf;
	struct html_params hp = { "common", "zh-CN", NULL, NULL };
	struct buf out = BUF_INIT;
	struct write_doc *w;
	struct doc_node *c;
	const char *s, *start, *end;
	char *xsl, id[32];
	size_t i;
	int status;

	luaL_checktype(L, 1, LUA_TTABLE);
	w = lua_newuserdatauv(L, sizeof(*w), 0);
	memset(w, 0, sizeof(*w));
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, write_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	w->doc = doc_new(lf->doc ? lf->doc->source : "pandoc.write");
	/* The document's notes come back apart from those of the document being filtered. */
	lf->notes = doc_node_new(DOC_DOCUMENT, 0, 0);
	lf->note_map = NULL;
	lf->note_map_len = 0;
	lf->note_count = 0;
	lf->held = NULL;
	lf->nheld = lf->held_cap = 0;
	lua_pushcfunction(L, write_convert);
	lua_pushvalue(L, -2);
	lua_pushvalue(L, 1);
	status = lua_pcall(L, 2, 0, 0);
	for (i = 0; i < lf->nheld; i++)
		lf->held[i]->num = 0;	/* a note of the filtered document's: not this one's */
	while ((c = lf->notes->first) != NULL) {
		doc_unlink(c);
		snprintf(id, sizeof(id), "fn-%d", c->num);
		c->attr.id = mem_strdup(id);
		doc_append(w->doc->root, c);
	}
	doc_node_free(lf->notes);
	free(lf->held);
	lf->notes = saved.notes;
	lf->note_map = saved.note_map;
	lf->note_map_len = saved.note_map_len;
	lf->note_count = saved.note_count;
	lf->held = saved.held;
	lf->nheld = saved.nheld;
	lf->held_cap = saved.held_cap;
	lf->converting = saved.converting;
	if (status != LUA_OK)
		return lua_error(L);
	if ((xsl = data_find("styles/common/html.xsl")) == NULL)
		return luaL_error(L, "pandoc.write: galley's HTML stylesheet is not installed");
	w->style = html_style_load(xsl);
	free(xsl);
	if (w->style == NULL || html_render(w->style, w->doc, &hp, &out) == -1) {
		buf_free(&out);
		return luaL_error(L, "pandoc.write: galley's HTML writer failed");
	}
	/* The body, as pandoc's writer gives it without --standalone: main's blocks, then the notes. */
	s = buf_str(&out);
	if ((start = strstr(s, "<main>")) != NULL && (end = strstr(start, "</main>")) != NULL) {
		lua_pushlstring(L, start + 6, (size_t)(end - start - 6));
		start = end + 7;
		if ((end = strstr(start, "</body>")) != NULL && end > start) {
			lua_pushlstring(L, start, (size_t)(end - start));
			lua_concat(L, 2);
		}
	} else
		lua_pushstring(L, s);
	buf_free(&out);
	return 1;
}

static void meta_to_model(lua_State *L, int idx, const char *key, const struct meta *old,
    struct meta *parent, int depth);

/* Fills map from the Lua table at idx: keys of old first, in their order, then new ones sorted. */
static void
map_to_model(lua_State *L, int idx, struct meta *map, const struct meta *old, int depth)
{
	const struct meta *o;
	const char **keys;
	size_t nkeys = 0, i;

	for (o = old ? old->first : NULL; o != NULL; o = o->next) {
		lua_getfield(L, idx, o->key);
		if (!lua_isnil(L, -1))
			meta_to_model(L, lua_gettop(L), o->key, o, map, depth + 1);
		lua_pop(L, 1);
	}
	lua_pushnil(L);
	while (lua_next(L, idx) != 0) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "metadata keys must be strings");
		if (meta_get(old, lua_tostring(L, -1)) == NULL)
			nkeys++;
	}
	/* Lua owns the array of the new keys (a userdata): an error below frees it too. */
	keys = lua_newuserdatauv(L, nkeys * sizeof(*keys), 0);
	i = 0;
	lua_pushnil(L);
	while (lua_next(L, idx) != 0) {
		lua_pop(L, 1);
		if (meta_get(old, lua_tostring(L, -1)) == NULL)
			keys[i++] = lua_tostring(L, -1);
	}
	if (nkeys > 0)
		qsort(keys, nkeys, sizeof(*keys), compare_keys);
	for (i = 0; i < nkeys; i++) {
		lua_getfield(L, idx, keys[i]);
		meta_to_model(L, lua_gettop(L), keys[i], NULL, map, depth + 1);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/*
 * Appends the metadata value at idx to parent.  It is appended before it is
 * filled in, so that a Lua error midway leaves it in the holder's tree, which
 * the caller frees.
 */
static void
meta_to_model(lua_State *L, int idx, const char *key, const struct meta *old,
    struct meta *parent, int depth)
{
	struct meta *m;
	lua_Integer i;

	if (depth > 64)
		luaL_error(L, "metadata nested more than 64 deep");
	luaL_checkstack(L, 6, "metadata nested too deeply");
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		m = meta_new(META_BOOL, key, 0, 0);
		meta_append(parent, m);
		m->str = mem_strdup(lua_toboolean(L, idx) ? "true" : "false");
		return;
	case LUA_TSTRING:
	case LUA_TNUMBER:
		m = meta_new(META_STRING, key, 0, 0);
		meta_append(parent, m);
		m->str = mem_strdup(lua_tostring(L, idx));
		return;
	case LUA_TTABLE:
		break;
	default:
		luaL_error(L, "metadata '%s' cannot be a %s", key ? key : "value",
		    luaL_typename(L, idx));
	}
	lua_getfield(L, idx, "tag");
	if (!lua_isnil(L, -1)) {
		/* An element or a list of elements stands for its text, as pandoc's MetaInlines. */
		lua_pop(L, 1);
		lf_push_internals(L);
		lua_getfield(L, -1, "galley");
		lua_getfield(L, -1, "utils");
		lua_getfield(L, -1, "stringify");
		lua_pushvalue(L, idx);
		lua_call(L, 1, 1);
		m = meta_new(META_STRING, key, 0, 0);
		meta_append(parent, m);
		m->str = mem_strdup(lua_tostring(L, -1));
		lua_pop(L, 4);
		return;
	}
	lua_pop(L, 1);
	if (lua_rawlen(L, idx) > 0 || (lua_pushnil(L), lua_next(L, idx) == 0)) {
		m = meta_new(META_LIST, key, 0, 0);
		meta_append(parent, m);
		for (i = 1; lua_rawgeti(L, idx, i) != LUA_TNIL; i++) {
			meta_to_model(L, lua_gettop(L), NULL, NULL, m, depth + 1);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 2);		/* the key and value lua_next left */
	m = meta_new(META_MAP, key, 0, 0);
	meta_append(parent, m);
	map_to_model(L, idx, m, old && old->type == META_MAP ? old : NULL, depth);
}

int
lf_take_document(lua_State *L)
{
	struct lf_holder *h = lua_touserdata(L, 1);
	struct lf *lf = lf_get(L);
	int doc = 2, blocks;

	if (!lua_istable(L, doc))
		return luaL_error(L, "the document is not a table");
	blocks = table_field(L, doc, "blocks");
	blocks_to_model(L, blocks, h->root, 0);
	lua_getfield(L, doc, "meta");
	if (!lua_istable(L, -1))
		return luaL_error(L, "the document's meta is not a table");
	h->meta = meta_new(META_MAP, NULL, 0, 0);
	map_to_model(L, lua_gettop(L), h->meta, lf->doc->meta, 0);
	return 0;
}
