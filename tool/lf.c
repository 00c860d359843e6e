/* Lua filters: the model goes to Lua as pandoc-like elements, each filter runs, the result comes back. */
#include "lf.h"
#include "lf_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "buf.h"
#include "coll.h"
#include "md.h"
#include "mem.h"
#include "meta.h"
#include "msg.h"
#include "utf8.h"

/* The prelude (tool/lf_prelude.lua), compiled in by the Makefile. */
extern const char lf_prelude[];

#define DEFAULT_STEPS	200000		/* thousands of VM instructions per filter */
#define DEFAULT_MEMORY	((size_t)256 << 20)
#define DEFAULT_SECONDS	60		/* of CPU time for a document's filters */
#define HOOK_EVERY	1000
/* Elements a filter builds may nest this deep; deeper is a runaway filter. */
#define MAX_DEPTH	1000


static void *
limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lf *lf = ud;

	if (ptr == NULL)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		lf->memory -= osize;
		return NULL;
	}
	if (nsize > osize && lf->memory + (nsize - osize) > lf->max_memory)
		return NULL;	/* Lua raises "not enough memory" */
	ptr = realloc(ptr, nsize);
	if (ptr != NULL)
		lf->memory = lf->memory - osize + nsize;
	return ptr;
}

struct lf *
lf_get(lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ud;
}

static void
count_steps(lua_State *L, lua_Debug *ar)
{
	struct lf *lf = lf_get(L);

	(void)ar;
	if (++lf->steps > lf->max_steps) {
		/* Level 0 is the function that was running, not its caller. */
		luaL_where(L, 0);
		lua_pushfstring(L, "filter stopped after %d million instructions "
		    "(an endless loop?)", (int)(lf->max_steps / 1000));
		lua_concat(L, 2);
		lua_error(L);
	}
}

/* The watchdog's hook: the filters' CPU time is up, the filter stops where it is. */
static void
stop_filter(lua_State *L, lua_Debug *ar)
{
	struct lf *lf = lf_get(L);

	(void)ar;
	lf->stopped = 1;
	luaL_where(L, 0);
	lua_pushfstring(L, "filter stopped after %d s of CPU time", lf->max_seconds);
	lua_concat(L, 2);
	lua_error(L);
}

/*
 * Called by the watchdog from its signal handler, where lua_sethook may be
 * called (lua.c stops a script on Ctrl-C so).  Only the count event: the hook
 * then runs at an instruction of a Lua function, whose line the error names;
 * with count 1 the error comes again at every instruction, so that a filter
 * cannot catch it and go on.
 */
static void
interrupt_filter(void *ctx)
{
	struct lf *lf = ctx;

	if (!lf->over)
		lua_sethook(lf->L, stop_filter, LUA_MASKCOUNT, 1);
}

/*
 * The filters are over: what Lua still runs reads an element's fields for a
 * message (outside lua_pcall: an error there would end the process) or
 * finalizes objects as the state closes.  The watchdog no longer stops it at
 * once; the instruction limit and the watchdog's grace still bound it.
 */
static void
filters_over(struct lf *lf)
{
	lf->over = 1;
	lua_sethook(lf->L, count_steps, LUA_MASKCOUNT, HOOK_EVERY);
}

/*
 * The string library's pattern functions: they do not give Lua control back
 * until they are done, which takes hours with a pattern that backtracks, so
 * the watchdog's hook cannot stop them.  Each is wrapped to note in lf->place
 * where the filter called it, for the watchdog's last message.
 */
static const struct {
	const char	*field;		/* in the string table */
	const char	*what;		/* the watchdog's name for it */
} pattern_calls[] = {
	{ "find", "string.find (a pattern that backtracks?)" },
	{ "match", "string.match (a pattern that backtracks?)" },
	{ "gmatch", "string.gmatch (a pattern that backtracks?)" },
	{ "gsub", "string.gsub (a pattern that backtracks?)" },
};

/* What lf->place noted before a call, put back after it. */
struct noted {
	const char	*call;
	char		 file[MSG_PLACE_FILE];
	int		 line;
};

/* Copies a NUL-terminated name into the watchdog's place, or out of it, cut to fit. */
static void
copy_name(volatile char *to, const volatile char *from)
{
	size_t i;

	for (i = 0; i + 1 < MSG_PLACE_FILE && from[i] != '\0'; i++)
		to[i] = from[i];
	to[i] = '\0';
}

/* Keeps what place notes now, for restore_call(). */
static void
save_call(const struct msg_place *place, struct noted *saved)
{
	saved->call = place->call;
	copy_name(saved->file, place->file);
	saved->line = place->line;
}

/*
 * Notes that call runs, at the filter's line: the nearest Lua function up the
 * stack that is not the prelude's, else nowhere (the watchdog then names the
 * filter).  What was noted before goes into saved, for restore_call().
 */
static void
note_call(lua_State *L, const char *call, struct noted *saved)
{
	struct msg_place *place = &lf_get(L)->place;
	lua_Debug ar;
	int level;

	save_call(place, saved);
	place->call = NULL;
	place->file[0] = '\0';
	place->line = 0;
	for (level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "Sl", &ar);
		if (ar.currentline > 0 && strcmp(ar.source, "=galley") != 0) {
			copy_name(place->file, ar.short_src);
			place->line = ar.currentline;
			break;
		}
	}
	place->call = call;
}

/*
 * Puts back what was noted before a call that returned.  A call left by an
 * error stays noted until the pcall or xpcall that caught the error puts back
 * its own (or the error ends the filters).
 */
static void
restore_call(lua_State *L, const struct noted *saved)
{
	struct msg_place *place = &lf_get(L)->place;

	place->call = NULL;
	copy_name(place->file, saved->file);
	place->line = saved->line;
	place->call = saved->call;
}

/*
 * A pattern function (upvalue 1) noted while it runs (upvalue 2: its index in
 * pattern_calls).  It is called, not lua_call'ed, so that its error messages
 * still name the filter's line: it runs as this function.
 */
static int
l_pattern_call(lua_State *L)
{
	lua_CFunction call = lua_tocfunction(L, lua_upvalueindex(1));
	struct noted saved;
	int results;

	note_call(L, pattern_calls[lua_tointeger(L, lua_upvalueindex(2))].what, &saved);
	results = call(L);
	restore_call(L, &saved);
	return results;
}

/*
 * gmatch's iterator, which does the matching, noted while it runs.  Its first
 * upvalues are the original iterator's, where the original (called as this
 * function) looks for them; then come the original and gmatch's index in
 * pattern_calls.
 */
static int
l_gmatch_step(lua_State *L)
{
	lua_Debug self;
	lua_CFunction step;
	struct noted saved;
	int results;

	lua_getstack(L, 0, &self);
	lua_getinfo(L, "u", &self);
	step = lua_tocfunction(L, lua_upvalueindex(self.nups - 1));
	note_call(L, pattern_calls[lua_tointeger(L, lua_upvalueindex(self.nups))].what, &saved);
	results = step(L);
	restore_call(L, &saved);
	return results;
}

/* string.gmatch (upvalue 1; 2: its index in pattern_calls), its iterator wrapped in l_gmatch_step. */
static int
l_gmatch(lua_State *L)
{
	lua_CFunction gmatch = lua_tocfunction(L, lua_upvalueindex(1));
	int iterator, n = 0;

	gmatch(L);
	iterator = lua_gettop(L);
	luaL_checkstack(L, 2, NULL);
	while (lua_getupvalue(L, iterator, n + 1) != NULL) {
		n++;
		luaL_checkstack(L, 2, NULL);
	}
	lua_pushvalue(L, iterator);
	lua_pushvalue(L, lua_upvalueindex(2));
	lua_pushcclosure(L, l_gmatch_step, n + 2);
	return 1;
}

/* pcall or xpcall (upvalue 1), putting back what was noted before it even after an error. */
static int
l_protected_call(lua_State *L)
{
	lua_CFunction call = lua_tocfunction(L, lua_upvalueindex(1));
	struct noted saved;
	int results;

	save_call(&lf_get(L)->place, &saved);
	results = call(L);
	restore_call(L, &saved);
	return results;
}

/*
 * Wraps the pattern functions in the string table (which is also strings'
 * methods), and pcall and xpcall, which may catch an error out of them.
 */
static void
wrap_pattern_calls(lua_State *L)
{
	static const char *const protected_calls[] = { "pcall", "xpcall" };
	const char *field;
	size_t i;

	for (i = 0; i < sizeof(protected_calls) / sizeof(protected_calls[0]); i++) {
		lua_getglobal(L, protected_calls[i]);
		lua_pushcclosure(L, l_protected_call, 1);
		lua_setglobal(L, protected_calls[i]);
	}
	lua_getglobal(L, "string");
	for (i = 0; i < sizeof(pattern_calls) / sizeof(pattern_calls[0]); i++) {
		field = pattern_calls[i].field;
		lua_getfield(L, -1, field);
		lua_pushinteger(L, (lua_Integer)i);
		lua_pushcclosure(L, strcmp(field, "gmatch") == 0 ? l_gmatch : l_pattern_call, 2);
		lua_setfield(L, -2, field);
	}
	lua_pop(L, 1);
}

/* Pushes the prelude's internals table. */
static void
push_internals(lua_State *L)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, lf_get(L)->internals);
}

/* ---- model → Lua ------------------------------------------------------- */

/* What pushing the model needs besides a node: the Element metatable's stack index
 * and the footnotes by number, so that a reference finds its note at once. */
struct push {
	int		 mt;
	const struct doc_node **notes;	/* notes[num], NULL where none */
	size_t		 note_count;
};

static void push_blocks(lua_State *L, const struct doc_node *first, const struct push *p);
static void push_inlines(lua_State *L, const struct doc_node *first, const struct push *p);

static void
set_str(lua_State *L, const char *key, const char *value)
{
	lua_pushstring(L, value ? value : "");
	lua_setfield(L, -2, key);
}

static void
push_attr(lua_State *L, const struct doc_attr *a)
{
	size_t i;

	lua_createtable(L, 0, 3);
	set_str(L, "identifier", a->id);
	lua_createtable(L, (int)a->nclasses, 0);
	for (i = 0; i < a->nclasses; i++) {
		lua_pushstring(L, a->classes[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "classes");
	lua_createtable(L, 0, (int)a->nkv);
	for (i = 0; i < a->nkv; i++) {
		lua_pushstring(L, a->kv[i].value);
		lua_setfield(L, -2, a->kv[i].key);
	}
	lua_setfield(L, -2, "attributes");
	lua_setfield(L, -2, "attr");
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
static int
get_file(lua_State *L, int idx)
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
	n->file = get_file(L, idx);
}

/* Sets the element's "caption" from n's CAPTION child; returns the child after it. */
static const struct doc_node *
push_caption(lua_State *L, const struct doc_node *n, const struct push *p)
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
push_node(lua_State *L, const struct doc_node *n, const struct push *p)
{
	static const char *const aligns[] = { "left", "center", "right", "default" };
	const struct doc_node *c, *note;
	const char *tag;
	int i, j;

	luaL_checkstack(L, 8, "document nested too deeply");
	switch (n->type) {
	case DOC_PARA:		tag = "Para"; break;
	case DOC_HEADING:	tag = "Heading"; break;
	case DOC_BLOCKQUOTE:	tag = "BlockQuote"; break;
	case DOC_LIST:		tag = n->flags & DOC_ORDERED ? "OrderedList" : "BulletList"; break;
	case DOC_CODEBLOCK:	tag = "CodeBlock"; break;
	case DOC_RAWBLOCK:	tag = "RawBlock"; break;
	case DOC_HR:		tag = "HorizontalRule"; break;
	case DOC_TABLE:		tag = "Table"; break;
	case DOC_DIV:		tag = "Div"; break;
	case DOC_FIGURE:	tag = "Figure"; break;
	case DOC_TEXT:		tag = "Str"; break;
	case DOC_EMPH:		tag = "Emph"; break;
	case DOC_STRONG:	tag = "Strong"; break;
	case DOC_STRIKE:	tag = "Strikeout"; break;
	case DOC_CODE:		tag = "Code"; break;
	case DOC_LINK:		tag = "Link"; break;
	case DOC_IMAGE:		tag = "Image"; break;
	case DOC_SOFTBREAK:	tag = "SoftBreak"; break;
	case DOC_LINEBREAK:	tag = "LineBreak"; break;
	case DOC_RAWINLINE:	tag = "RawInline"; break;
	case DOC_NOTEREF:	tag = "Note"; break;
	case DOC_SPAN:		tag = "Span"; break;
	default:
		luaL_error(L, "internal error: no Lua element for '%s'",
		    doc_type_name(n->type));
		return;
	}
	lua_createtable(L, 0, 6);
	set_str(L, "tag", tag);
	set_position(L, n, "_line", "_col");
	if (n->origin)
		set_str(L, "_origin", n->origin);
	if (n->type != DOC_TEXT && n->type != DOC_SOFTBREAK &&
	    n->type != DOC_LINEBREAK && n->type != DOC_NOTEREF)
		push_attr(L, &n->attr);
	switch (n->type) {
	case DOC_HEADING:
		lua_pushinteger(L, n->level);
		lua_setfield(L, -2, "level");
		/* FALLTHROUGH */
	case DOC_PARA:
	case DOC_EMPH:
	case DOC_STRONG:
	case DOC_STRIKE:
	case DOC_SPAN:
		push_inlines(L, n->first, p);
		lua_setfield(L, -2, "content");
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
		lua_newtable(L);	/* tasks */
		for (c = n->first, i = 1; c != NULL; c = c->next, i++) {
			if (c->flags & DOC_TASK) {
				lua_pushstring(L, c->flags & DOC_CHECKED ? "checked" : "unchecked");
				lua_rawseti(L, -2, i);
			}
			push_blocks(L, c->first, p);
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
			set_position(L, c, "_line", "_col");
			lua_newtable(L);
			for (cell = c->first, j = 1; cell != NULL; cell = cell->next, j++) {
				push_inlines(L, cell->first, p);
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
		push_blocks(L, note ? note->first : NULL, p);
		lua_setfield(L, -2, "content");
		if (note)
			set_position(L, note, "_noteline", "_notecol");
		break;
	default:
		break;
	}
	lua_pushvalue(L, p->mt);
	lua_setmetatable(L, -2);
}

static void
push_inlines(lua_State *L, const struct doc_node *first, const struct push *p)
{
	lua_Integer i = 1;

	lua_newtable(L);
	for (; first != NULL; first = first->next) {
		push_node(L, first, p);
		lua_rawseti(L, -2, i++);
	}
}

static void
push_blocks(lua_State *L, const struct doc_node *first, const struct push *p)
{
	lua_Integer i = 1;

	lua_newtable(L);
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

/* lua_pcall'd: pushes the document table { blocks = …, meta = … }. */
static int
push_document(lua_State *L)
{
	struct lf *lf = lf_get(L);
	struct push p = { 0, NULL, 0 };
	const struct doc_node *c;
	size_t size;

	push_internals(L);
	lua_getfield(L, -1, "Element");
	p.mt = lua_gettop(L);
	for (c = lf->doc->root->first; c != NULL; c = c->next)
		if (c->type == DOC_FOOTNOTE && c->num >= 0 && (size_t)c->num >= p.note_count)
			p.note_count = (size_t)c->num + 1;
	/* Lua's memory, so that an error while pushing cannot leak it. */
	size = (p.note_count ? p.note_count : 1) * sizeof(*p.notes);
	p.notes = lua_newuserdatauv(L, size, 0);
	memset(p.notes, 0, size);
	for (c = lf->doc->root->first; c != NULL; c = c->next)
		if (c->type == DOC_FOOTNOTE && c->num >= 0 && p.notes[c->num] == NULL)
			p.notes[c->num] = c;
	lua_createtable(L, 0, 2);
	push_blocks(L, lf->doc->root->first, &p);
	lua_setfield(L, -2, "blocks");
	lf_push_meta(L, lf->doc->meta, 0);
	lua_setfield(L, -2, "meta");
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
	int content;

	if (old > 0 && (size_t)old < lf->note_map_len && lf->note_map[old] > 0) {
		ref->num = lf->note_map[old];	/* a second reference to the same note */
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

/* Converts the element at idx and appends it to parent. */
static void
element_to_model(lua_State *L, int idx, struct doc_node *parent, int depth)
{
	static const struct { const char *tag; enum doc_type type; } tags[] = {
		{ "Para", DOC_PARA }, { "Heading", DOC_HEADING },
		{ "BlockQuote", DOC_BLOCKQUOTE }, { "BulletList", DOC_LIST },
		{ "OrderedList", DOC_LIST }, { "CodeBlock", DOC_CODEBLOCK },
		{ "RawBlock", DOC_RAWBLOCK }, { "HorizontalRule", DOC_HR },
		{ "Table", DOC_TABLE }, { "Div", DOC_DIV }, { "Figure", DOC_FIGURE },
		{ "Str", DOC_TEXT }, { "Emph", DOC_EMPH }, { "Strong", DOC_STRONG },
		{ "Strikeout", DOC_STRIKE }, { "Code", DOC_CODE }, { "Link", DOC_LINK },
		{ "Image", DOC_IMAGE }, { "SoftBreak", DOC_SOFTBREAK },
		{ "LineBreak", DOC_LINEBREAK }, { "RawInline", DOC_RAWINLINE },
		{ "Note", DOC_NOTEREF }, { "Span", DOC_SPAN },
	};
	struct lf *lf = lf_get(L);
	const struct doc_node *outer;
	struct doc_node *n, *c;
	const char *tag, *s;
	size_t i;
	int list, row, cells, k, j, top = lua_gettop(L);

	if (depth > MAX_DEPTH)
		luaL_error(L, "elements nested more than %d deep", MAX_DEPTH);
	luaL_checkstack(L, 10, "elements nested too deeply");
	if (!lua_istable(L, idx))
		luaL_error(L, "expected an element, found a %s", luaL_typename(L, idx));
	if ((tag = opt_string(L, idx, "tag")) == NULL)
		luaL_error(L, "expected an element, found a table without a tag");
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strcmp(tags[i].tag, tag) == 0)
			break;
	if (i == sizeof(tags) / sizeof(tags[0]))
		luaL_error(L, "unknown element '%s'", tag);
	n = doc_node_new(tags[i].type, (int)opt_integer(L, idx, "_line", 0),
	    (int)opt_integer(L, idx, "_col", 0));
	doc_append(parent, n);
	outer = lf->converting;
	lf->converting = n;
	if (n->line == 0)
		n->origin = dup_field(L, idx, "_origin");
	else
		n->file = get_file(L, idx);
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
	case DOC_SPAN:
		inlines_to_model(L, table_field(L, idx, "content"), n, depth);
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
	case DOC_CODE:
		n->text = dup_field(L, idx, "text");
		break;
	case DOC_NOTEREF:
		note_to_model(L, idx, n, depth);
		break;
	default:
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
		push_internals(L);
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

struct holder {
	struct doc_node	*root;	/* the new document's blocks */
	struct meta	*meta;	/* the new metadata */
};

/* lua_pcall'd with the document table on top: fills the holder. */
static int
take_document(lua_State *L)
{
	struct holder *h = lua_touserdata(L, 1);
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

/* ---- running ----------------------------------------------------------- */

/* The string field a (else b) of the table at idx, left on the stack, or NULL. */
static const char *
field_string(lua_State *L, int idx, const char *a, const char *b)
{
	lua_getfield(L, idx, a);
	if (lua_type(L, -1) != LUA_TSTRING) {
		lua_pop(L, 1);
		lua_getfield(L, idx, b);
	}
	return lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
}

/* The whole-number field a (else b) of the table at idx, 0 when neither is one, and never negative. */
static lua_Integer
field_integer(lua_State *L, int idx, const char *a, const char *b)
{
	lua_Integer v;
	int isnum;

	lua_getfield(L, idx, a);
	v = lua_tointegerx(L, -1, &isnum);
	if (!isnum) {
		lua_getfield(L, idx, b);
		v = lua_tointegerx(L, -1, &isnum);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return isnum && v > 0 && v < 100000000 ? v : 0;
}

/* Reports text at origin, "file:line:" or "file:line" (a filter line), else in fallback. */
static void
report_at_origin(enum msg_level level, const char *origin, const char *fallback,
    const char *text)
{
	struct buf where = BUF_INIT;
	char *colon;

	buf_puts(&where, origin ? origin : "");
	while (where.len && where.data[where.len - 1] == ':')
		where.data[--where.len] = '\0';
	if ((colon = strrchr(buf_str(&where), ':')) != NULL) {
		*colon = '\0';
		msg_at(level, where.data, atoi(colon + 1), 0, "%s", text);
	} else
		msg_at(level, fallback, 0, 0, "%s", text);
	buf_free(&where);
}

/*
 * Reports text at the element at idx (its document position, else the filter
 * line that made it), at the front-matter key named by the string at idx, or
 * at the place a location table { file=, line=, col= } (or a data row's
 * _file, _line, _col) names.
 */
static void
report_at(lua_State *L, enum msg_level level, const char *text, int idx)
{
	struct lf *lf = lf_get(L);
	lua_Integer line = 0, col = 0;
	const char *origin = NULL;

	if (lua_type(L, idx) == LUA_TSTRING) {
		/* A front-matter key: the place its value starts. */
		const struct meta *m = meta_get(lf->doc->meta, lua_tostring(L, idx));
		if (m != NULL && m->line > 0) {
			msg_at(level, lf->doc->files[0], m->line, m->col, "%s", text);
			return;
		}
	} else if (lua_istable(L, idx)) {
		/* A place in another file: a location { file=, line=, col= } or a data row. */
		const char *file = field_string(L, idx, "_file", "file");
		if (file != NULL) {
			msg_at(level, file, (int)field_integer(L, idx, "_line", "line"),
			    (int)field_integer(L, idx, "_col", "col"), "%s", text);
			return;
		}
		lua_getfield(L, idx, "_line");
		line = lua_tointeger(L, -1);
		lua_getfield(L, idx, "_col");
		col = lua_tointeger(L, -1);
		lua_getfield(L, idx, "_origin");
		origin = lua_tostring(L, -1);
	}
	if (line > 0) {
		msg_at(level, lf->doc->files[0], (int)line, (int)col, "%s", text);
		return;
	}
	if (origin == NULL) {
		luaL_where(L, 1);
		origin = lua_tostring(L, -1);
	}
	report_at_origin(level, origin, lf->doc->files[0], text);
}

/* galley.warn(message [, where]): a warning at an element's place, a front-matter key or a location. */
static int
l_warn(lua_State *L)
{
	report_at(L, MSG_WARNING, luaL_checkstring(L, 1), 2);
	return 0;
}

/*
 * galley.locate(where, i): the place { file=, line=, col= } in the source of
 * byte i (1-based) of where's text, where being an element with a text (Str,
 * Code) or a front-matter key; nil when the text cannot be followed there.
 */
static int
l_locate(lua_State *L)
{
	struct lf *lf = lf_get(L);
	lua_Integer i = luaL_checkinteger(L, 2);
	lua_Integer line = 0, col = 0;
	const char *text = NULL;
	int at_line, at_col, file = 0;

	if (lua_type(L, 1) == LUA_TSTRING) {
		const struct meta *m = meta_get(lf->doc->meta, lua_tostring(L, 1));
		if (m != NULL && m->type == META_STRING) {
			text = m->str;
			line = m->line;
			col = m->col;
		}
	} else {
		luaL_checktype(L, 1, LUA_TTABLE);
		file = get_file(L, 1);
		lua_getfield(L, 1, "text");
		text = lua_tostring(L, -1);
		lua_getfield(L, 1, "_line");
		line = lua_tointeger(L, -1);
		lua_getfield(L, 1, "_col");
		col = lua_tointeger(L, -1);
	}
	if (text == NULL || i < 1 || line < 1 || line > INT_MAX || col < 1 || col > INT_MAX ||
	    md_locate(lf->doc, file, (int)line, (int)col, text, (size_t)(i - 1), &at_line,
	    &at_col) == -1) {
		lua_pushnil(L);
		return 1;
	}
	lua_createtable(L, 0, 3);
	lua_pushstring(L, lf->doc->files[file]);
	lua_setfield(L, -2, "file");
	lua_pushinteger(L, at_line);
	lua_setfield(L, -2, "line");
	lua_pushinteger(L, at_col);
	lua_setfield(L, -2, "col");
	return 1;
}

/* galley.error(message [, where]): an error there; the filter goes on, the build fails. */
static int
l_error(lua_State *L)
{
	report_at(L, MSG_ERROR, luaL_checkstring(L, 1), 2);
	return 0;
}

/* galley.utils.parse_attr("{#id .class k=v}"): an Attr, or nil when s is not one. */
static int
l_parse_attr(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct doc_attr attr = { NULL, NULL, 0, NULL, 0 };

	if (!doc_attr_parse(s, len, &attr)) {
		lua_pushnil(L);
		return 1;
	}
	lua_newtable(L);
	push_attr(L, &attr);	/* sets field "attr" of the new table */
	lua_getfield(L, -1, "attr");
	doc_attr_clear(&attr);
	return 1;
}

static int
traceback_handler(lua_State *L)
{
	/* A stopped filter runs no more Lua, not even the traceback's. */
	if (lf_get(L)->stopped)
		return 1;
	push_internals(L);
	lua_getfield(L, -1, "traceback");
	lua_pushvalue(L, 1);
	lua_call(L, 1, 1);
	return 1;
}

/*
 * Splits a Lua error message "file:line: text" in place: returns the line and
 * points *rest at the text, message then holding the file's name alone; 0
 * when the message names no place.
 */
static int
split_place(char *message, char **rest)
{
	char *colon = strchr(message, ':'), *p;
	int line;

	if (colon == NULL || colon[1] < '0' || colon[1] > '9')
		return 0;
	for (p = colon + 1; *p >= '0' && *p <= '9'; p++)
		;
	if (*p != ':' || (line = atoi(colon + 1)) <= 0)
		return 0;
	for (*rest = p + 1; **rest == ' '; (*rest)++)
		;
	*colon = '\0';
	return line;
}

/* Reports a Lua error: its "file:line: text" first line at that place, plus where in the document. */
static void
report(struct lf *lf, const char *what)
{
	lua_State *L = lf->L;
	const char *message = lua_tostring(L, -1);
	struct buf first = BUF_INIT, context = BUF_INIT;
	const char *nl;
	lua_Integer line = 0;
	char *rest = NULL;
	int at;

	filters_over(lf);
	if (message == NULL)
		message = "error object is not a string";
	nl = strchr(message, '\n');
	buf_put(&first, message, nl ? (size_t)(nl - message) : strlen(message));
	push_internals(L);
	lua_getfield(L, -1, "current");
	if (lua_istable(L, -1)) {
		int file = get_file(L, -1);
		lua_getfield(L, -1, "_line");
		line = lua_tointeger(L, -1);
		lua_getfield(L, -2, "tag");
		if (line > 0)
			buf_printf(&context, " (while filtering the %s at %s:%d)",
			    lua_tostring(L, -1) ? lua_tostring(L, -1) : "element",
			    lf->doc->files[file], (int)line);
		lua_pop(L, 2);
	}
	lua_pop(L, 2);
	/* "lua-filters/x.lua:42: text" → file and line for the message. */
	if ((at = split_place(first.data, &rest)) == 0)
		msg_at(MSG_ERROR, lf->filter, 0, 0, "%s%s%s", what, buf_str(&first),
		    buf_str(&context));
	else if (strcmp(first.data, "galley") == 0)
		/* A line of the prelude means nothing to the user; the filter does. */
		msg_at(MSG_ERROR, lf->filter, 0, 0, "%s%s%s", what, rest, buf_str(&context));
	else
		msg_at(MSG_ERROR, first.data, at, 0, "%s%s", rest, buf_str(&context));
	buf_free(&first);
	buf_free(&context);
	lua_pop(L, 1);
}

/*
 * Reports why the document could not come back from Lua (status, from
 * lua_pcall), naming one place: where the Lua error was raised when its
 * message names one (filter code a metamethod ran), else the element that
 * failed (its place in the document, else the filter line that made it),
 * else the document, which is also where memory running out is named: the
 * filters' as a whole.
 */
static void
report_taken(struct lf *lf, int status)
{
	const struct doc_node *n = lf->converting;
	const char *message = lua_tostring(lf->L, -1);
	struct buf text = BUF_INIT, first = BUF_INIT;
	char *rest = NULL;
	int at;

	filters_over(lf);
	buf_puts(&first, message ? message : "error object is not a string");
	if (status == LUA_ERRMEM) {
		msg_at(MSG_ERROR, lf->doc->files[0], 0, 0, "the filters' memory (%zu MB) ran out "
		    "while galley took the document back from them", lf->max_memory >> 20);
		goto out;
	}
	at = split_place(first.data, &rest);
	buf_printf(&text, "the filters left %s galley cannot use: %s",
	    n ? "an element" : "a document", rest ? rest : buf_str(&first));
	if (at > 0 && strcmp(first.data, "galley") != 0) {
		if (n != NULL && n->line > 0)
			buf_printf(&text, " (the %s at %s:%d:%d)", doc_type_name(n->type),
			    doc_node_file(lf->doc, n), n->line, n->col);
		msg_at(MSG_ERROR, first.data, at, 0, "%s", buf_str(&text));
	} else if (n != NULL && n->line > 0)
		msg_at(MSG_ERROR, doc_node_file(lf->doc, n), n->line, n->col, "%s", buf_str(&text));
	else if (n != NULL)
		report_at_origin(MSG_ERROR, n->origin, lf->filter, buf_str(&text));
	else	/* metadata or the document's own fields: no filter line to name */
		msg_at(MSG_ERROR, lf->doc->files[0], 0, 0, "%s", buf_str(&text));
out:
	buf_free(&text);
	buf_free(&first);
	lua_pop(lf->L, 1);
}

/* Opens the libraries filters may use; io and os only for trusted filters. */
static void
open_libraries(lua_State *L, int trusted)
{
	static const luaL_Reg safe[] = {
		{ LUA_GNAME, luaopen_base }, { LUA_STRLIBNAME, luaopen_string },
		{ LUA_TABLIBNAME, luaopen_table }, { LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_DBLIBNAME, luaopen_debug },
	};
	static const luaL_Reg more[] = {
		{ LUA_IOLIBNAME, luaopen_io }, { LUA_OSLIBNAME, luaopen_os },
	};
	size_t i;

	for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
		luaL_requiref(L, safe[i].name, safe[i].func, 1);
		lua_pop(L, 1);
	}
	for (i = 0; trusted && i < sizeof(more) / sizeof(more[0]); i++) {
		luaL_requiref(L, more[i].name, more[i].func, 1);
		lua_pop(L, 1);
	}
}

/* Restricted base functions: no files, and no precompiled chunks (they can crash Lua). */
static int
l_load_text(lua_State *L)
{
	size_t len;
	const char *chunk = luaL_checklstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, chunk);
	int env = !lua_isnone(L, 4);

	if (luaL_loadbufferx(L, chunk, len, name, "t") != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (env) {
		lua_pushvalue(L, 4);
		if (!lua_setupvalue(L, -2, 1))
			lua_pop(L, 1);
	}
	return 1;
}

static int
setup(struct lf *lf, const struct lf_opts *opts)
{
	lua_State *L = lf->L;

	open_libraries(L, opts->trusted);
	/* Before the prelude, which may keep the functions it uses. */
	wrap_pattern_calls(L);
	if (!opts->trusted) {
		lua_pushnil(L);
		lua_setglobal(L, "dofile");
		lua_pushnil(L);
		lua_setglobal(L, "loadfile");
		lua_pushcfunction(L, l_load_text);
		lua_setglobal(L, "load");
	}
	if (luaL_loadbufferx(L, lf_prelude, strlen(lf_prelude), "=galley", "t") != LUA_OK ||
	    lua_pcall(L, 0, 1, 0) != LUA_OK) {
		msg_at(MSG_ERROR, NULL, 0, 0, "internal error in the filter prelude: %s",
		    lua_tostring(L, -1));
		return -1;
	}
	lf->internals = luaL_ref(L, LUA_REGISTRYINDEX);
	/* The prelude keeps what it needs of debug; filters do not get it. */
	lua_pushnil(L);
	lua_setglobal(L, "debug");
	push_internals(L);
	lua_getfield(L, -1, "galley");
	lua_pushcfunction(L, l_warn);
	lua_setfield(L, -2, "warn");
	lua_pushcfunction(L, l_error);
	lua_setfield(L, -2, "error");
	lua_pushcfunction(L, l_locate);
	lua_setfield(L, -2, "locate");
	lua_getfield(L, -1, "utils");
	lua_pushcfunction(L, l_parse_attr);
	lua_setfield(L, -2, "parse_attr");
	lf_data_register(L, lua_absindex(L, -2), lua_absindex(L, -1));
	lf_match_register(L, lua_absindex(L, -1));
	lua_pop(L, 1);
	/* The front matter's file: an issue folder's issue.yaml. */
	lua_pushstring(L, lf->doc->files[0]);
	lua_setfield(L, -2, "source");
	lua_pushstring(L, opts->outputs ? opts->outputs : "");
	lua_setfield(L, -2, "outputs");
	lua_setglobal(L, "galley");
	lua_pop(L, 1);
	lua_pushstring(L, opts->format ? opts->format : "html");
	lua_setglobal(L, "FORMAT");
	return 0;
}

/*
 * Tells the caller that the run read the file at path (a filter, a data file
 * a filter asked for): the build lists it as a dependency of the outputs.
 * Every file the filters read goes through here.
 */
void
lf_note_read(struct lf *lf, const char *path)
{
	if (lf->opts->on_read != NULL)
		lf->opts->on_read(lf->opts->dep_ctx, path);
}

/* Runs one filter file over the document table on top of the stack, replacing it. */
static int
run_filter(struct lf *lf, const char *path)
{
	lua_State *L = lf->L;
	int base;

	lf->filter = path;
	lf->place.filter = path;
	lf->steps = 0;
	lua_pushcfunction(L, traceback_handler);
	base = lua_gettop(L);
	lf_note_read(lf, path);
	if (luaL_loadfilex(L, path, "t") != LUA_OK) {
		report(lf, "cannot load the filter: ");
		lua_pop(L, 1);
		return -1;
	}
	if (lua_pcall(L, 0, 1, base) != LUA_OK) {
		report(lf, "");
		lua_pop(L, 1);
		return -1;
	}
	if (lua_isnil(L, -1)) {
		/* pandoc's other form: a filter that defines global functions. */
		lua_pop(L, 1);
		lua_pushglobaltable(L);
	}
	push_internals(L);
	lua_getfield(L, -1, "run");
	lua_remove(L, -2);
	lua_insert(L, -2);		/* run, filter */
	lua_pushvalue(L, base - 1);	/* the document */
	if (lua_pcall(L, 2, 1, base) != LUA_OK) {
		report(lf, "");
		lua_pop(L, 1);
		return -1;
	}
	lua_replace(L, base - 1);
	lua_pop(L, 1);			/* the handler */
	return 0;
}

int
lf_run(struct doc *doc, const char *const *filters, size_t n,
    const struct lf_opts *opts)
{
	struct lf lf;
	struct holder h = { NULL, NULL };
	struct doc_node *c, *next;
	size_t i;
	int rc = -1, status;

	if (n == 0)
		return 0;
	memset(&lf, 0, sizeof(lf));
	lf.doc = doc;
	lf.opts = opts;
	lf.trust_paths = opts->trust_paths;
	lf.max_memory = opts->max_memory ? opts->max_memory : DEFAULT_MEMORY;
	lf.max_steps = opts->max_steps ? opts->max_steps : DEFAULT_STEPS;
	lf.max_seconds = opts->max_seconds > 0 ? opts->max_seconds : DEFAULT_SECONDS;
	if ((lf.L = lua_newstate(limited_alloc, &lf)) == NULL) {
		msg_at(MSG_ERROR, NULL, 0, 0, "cannot start Lua");
		return -1;
	}
	/* Until the state is closed: finalizers run then. */
	msg_watchdog_arm(lf.max_seconds, interrupt_filter, &lf, &lf.place);
	if (setup(&lf, opts) == -1)
		goto out;
	/* Documents are many small tables that live as long as the run: generational GC wins. */
	lua_gc(lf.L, LUA_GCGEN, 0, 0);
	lua_sethook(lf.L, count_steps, LUA_MASKCOUNT, HOOK_EVERY);
	lua_pushcfunction(lf.L, push_document);
	if (lua_pcall(lf.L, 0, 1, 0) != LUA_OK) {
		report(&lf, "cannot pass the document to Lua: ");
		goto out;
	}
	/*
	 * The limit is for what filters add: the document itself comes on top,
	 * three times over, as each filter's walk rebuilds its lists.  A
	 * document dense with elements takes more than its source's size
	 * promises (1.2 MB of "*强* " is 214 MB of Lua tables), and with a limit
	 * close to that every allocation past it made Lua collect all its
	 * memory, over and over.
	 */
	lf.max_memory += 3 * lf.memory;
	for (i = 0; i < n; i++)
		if (run_filter(&lf, filters[i]) == -1)
			goto out;
	/* Back to the model: build it aside, and only replace the document when it is whole. */
	lf.filter = filters[n - 1];
	lf.place.filter = lf.filter;
	lf.steps = 0;
	h.root = doc_node_new(DOC_DOCUMENT, 1, 1);
	lf.notes = doc_node_new(DOC_DOCUMENT, 0, 0);
	lf.note_map_len = 1;
	for (c = doc->root->first; c != NULL; c = c->next)
		if (c->type == DOC_FOOTNOTE && (size_t)c->num >= lf.note_map_len)
			lf.note_map_len = (size_t)c->num + 1;
	lf.note_map = mem_zalloc(lf.note_map_len, sizeof(int));
	lua_pushcfunction(lf.L, take_document);
	lua_insert(lf.L, -2);
	lua_pushlightuserdata(lf.L, &h);
	lua_insert(lf.L, -2);
	if ((status = lua_pcall(lf.L, 2, 0, 0)) != LUA_OK) {
		report_taken(&lf, status);
		goto out;
	}
	for (c = lf.notes->first; c != NULL; c = c->next) {
		char id[32];
		snprintf(id, sizeof(id), "fn-%d", c->num);
		free(c->attr.id);
		c->attr.id = mem_strdup(id);
	}
	for (c = lf.notes->first; c != NULL; c = next) {
		next = c->next;
		doc_unlink(c);
		doc_append(h.root, c);
	}
	doc_node_free(doc->root);
	doc->root = h.root;
	h.root = NULL;
	meta_free(doc->meta);
	doc->meta = h.meta;
	h.meta = NULL;
	rc = 0;
out:
	doc_node_free(h.root);
	meta_free(h.meta);
	doc_node_free(lf.notes);
	free(lf.note_map);
	filters_over(&lf);
	lua_close(lf.L);
	msg_watchdog_disarm();
	coll_free(lf.coll);
	return rc;
}
