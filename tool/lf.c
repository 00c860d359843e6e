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

/* The prelude (tool/lf_prelude.lua, lf_library.lua, lf_sandbox.lua) as Lua bytecode, made by the Makefile with out/bin/gen-prelude. */
extern const unsigned char lf_prelude[];
extern const size_t lf_prelude_len;

#define DEFAULT_STEPS	200000		/* thousands of VM instructions per filter */
#define DEFAULT_MEMORY	((size_t)256 << 20)
#define DEFAULT_SECONDS	60		/* of CPU time for a document's filters */


/*
 * Lua's allocations.  A document's filters make and drop hundreds of thousands
 * of small tables, strings and closures, and Lua tells the size of a block
 * when it frees it: blocks up to LF_POOL_MAX bytes come from free lists by
 * size class, carved from 64 KB slabs, at a few instructions each, where
 * malloc and free spent 170 (36 M instructions for a 120-page document).
 * The slabs are freed with the state (pool_free_all).  Larger blocks, and
 * the memory limit, are as before: the limit counts the bytes Lua asked for.
 */
#define POOL_SLAB	((size_t)64 << 10)
/* The sanitizer build gives every block to malloc, where AddressSanitizer watches each. */
#ifdef __SANITIZE_ADDRESS__
#define POOL_LIMIT	0
#else
#define POOL_LIMIT	LF_POOL_MAX
#endif
#define POOL_CLASS(size)	(((size) - 1) / LF_POOL_GRAIN)

static void *
pool_get(struct lf_pool *p, size_t size)
{
	size_t c = POOL_CLASS(size), bytes = (c + 1) * LF_POOL_GRAIN;
	void *block = p->free[c];
	char *slab;

	if (block != NULL) {
		p->free[c] = *(void **)block;
		return block;
	}
	if ((size_t)(p->end - p->next) < bytes) {
		/* The rest of the old slab goes to waste: at most LF_POOL_MAX bytes in 64 KB. */
		if ((slab = malloc(POOL_SLAB)) == NULL)
			return NULL;
		*(void **)slab = p->slabs;
		p->slabs = slab;
		/* The first grain holds the link and keeps the blocks aligned as malloc's are. */
		p->next = slab + LF_POOL_GRAIN;
		p->end = slab + POOL_SLAB;
	}
	block = p->next;
	p->next += bytes;
	return block;
}

static void
pool_put(struct lf_pool *p, void *block, size_t size)
{
	size_t c = POOL_CLASS(size);

	*(void **)block = p->free[c];
	p->free[c] = block;
}

static void
pool_free_all(struct lf_pool *p)
{
	void *slab, *next;

	for (slab = p->slabs; slab != NULL; slab = next) {
		next = *(void **)slab;
		free(slab);
	}
	memset(p, 0, sizeof(*p));
}

static void *
limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lf *lf = ud;
	void *block;

	if (ptr == NULL)
		osize = 0;	/* osize then tells what kind of object Lua makes */
	if (nsize == 0) {
		if (osize > POOL_LIMIT)
			free(ptr);
		else if (ptr != NULL)
			pool_put(&lf->pool, ptr, osize);
		lf->memory -= osize;
		return NULL;
	}
	if (nsize > osize && lf->memory + (nsize - osize) > lf->max_memory)
		return NULL;	/* Lua raises "not enough memory" */
	if (ptr != NULL && osize <= POOL_LIMIT && nsize <= POOL_LIMIT &&
	    POOL_CLASS(osize) == POOL_CLASS(nsize))
		block = ptr;
	else if (osize > POOL_LIMIT && nsize > POOL_LIMIT)
		block = realloc(ptr, nsize);
	else {
		/* From a free list to malloc's or back: a new block and a copy. */
		block = nsize <= POOL_LIMIT ? pool_get(&lf->pool, nsize) : malloc(nsize);
		if (block == NULL)
			return NULL;
		if (ptr != NULL) {
			memcpy(block, ptr, osize < nsize ? osize : nsize);
			if (osize > POOL_LIMIT)
				free(ptr);
			else
				pool_put(&lf->pool, ptr, osize);
		}
	}
	if (block != NULL)
		lf->memory = lf->memory - osize + nsize;
	return block;
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
	lua_sethook(lf->L, count_steps, LUA_MASKCOUNT, LF_HOOK_EVERY);
}

/* Pushes the prelude's internals table. */
void
lf_push_internals(lua_State *L)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, lf_get(L)->internals);
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
		file = lf_get_file(L, 1);
		lua_getfield(L, 1, "text");
		text = lua_tostring(L, -1);
		/* A piece of a run pandoc's view split at spaces: follow the run from its start. */
		lua_getfield(L, 1, "_run");
		lua_getfield(L, 1, "_off");
		if (text != NULL && lua_type(L, -2) == LUA_TSTRING && lua_isinteger(L, -1)) {
			size_t runlen, tlen = strlen(text);
			const char *run = lua_tolstring(L, -2, &runlen);
			lua_Integer off = lua_tointeger(L, -1);
			if (off >= 0 && (size_t)off + tlen <= runlen &&
			    memcmp(run + off, text, tlen) == 0 && i >= 1 && (size_t)i <= tlen) {
				text = run;
				i += off;
			}
		}
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

/* internals.meta_place(key): the line and column where the front-matter value of key starts, or nothing. */
static int
l_meta_place(lua_State *L)
{
	const struct meta *m = meta_get(lf_get(L)->doc->meta, luaL_checkstring(L, 1));

	if (m == NULL || m->line <= 0)
		return 0;
	lua_pushinteger(L, m->line);
	lua_pushinteger(L, m->col);
	return 2;
}

/*
 * internals.origin(), called by the prelude's caller(): "file:line" of the
 * filter line that called a constructor, the first of stack levels 3 to 8
 * (caller() is 1) that is neither C nor the prelude; nil when none is.
 * Every element a filter makes asks it: debug.getinfo made a table of each
 * level's fields, a twentieth of the filters' time.
 */
static int
l_origin(lua_State *L)
{
	lua_Debug ar;
	int level;

	for (level = 3; level <= 8 && lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "Sl", &ar);
		if (strcmp(ar.what, "C") != 0 && strcmp(ar.source, "=galley") != 0) {
			lua_pushfstring(L, "%s:%d", ar.short_src, ar.currentline);
			return 1;
		}
	}
	lua_pushnil(L);
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
	lf_push_attr(L, &attr);	/* sets field "attr" of the new table */
	lua_getfield(L, -1, "attr");
	doc_attr_clear(&attr);
	return 1;
}

/*
 * An error raised inside the prelude ("galley:123: attempt to call a nil
 * value") is the filter's doing: it is put at the filter line that called
 * into the prelude (the innermost Lua frame outside it), where pandoc would
 * put it.
 */
static void
blame_filter(lua_State *L)
{
	const char *message = lua_tostring(L, 1), *rest;
	lua_Debug ar;
	int level;

	if (message == NULL || strncmp(message, "galley:", 7) != 0)
		return;
	for (rest = message + 7; *rest >= '0' && *rest <= '9'; rest++)
		;
	if (*rest != ':')
		return;
	for (rest++; *rest == ' '; rest++)
		;
	for (level = 1; lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0 ||
		    strcmp(ar.what, "C") == 0 || strcmp(ar.source, "=galley") == 0)
			continue;
		lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, rest);
		lua_replace(L, 1);
		return;
	}
}

static int
traceback_handler(lua_State *L)
{
	/* A stopped filter runs no more Lua, not even the traceback's. */
	if (lf_get(L)->stopped)
		return 1;
	blame_filter(L);
	lf_push_internals(L);
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
	lf_push_internals(L);
	lua_getfield(L, -1, "current");
	if (lua_istable(L, -1)) {
		int file = lf_get_file(L, -1);
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

/* os.getenv without --trust-filters: the environment is not the filters' to read. */
static int
l_no_getenv(lua_State *L)
{
	luaL_checkstring(L, 1);
	lua_pushnil(L);
	return 1;
}

/* os.exit, io.open, … without --trust-filters: an error at the filter's line, naming the function. */
static int
l_denied(lua_State *L)
{
	return luaL_error(L, "%s is not available to filters without --trust-filters",
	    lua_tostring(L, lua_upvalueindex(1)));
}

/* Sets table[name] for each of names to a function that raises l_denied's error for LIB.name. */
static void
set_denied(lua_State *L, int table, const char *lib, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		lua_pushfstring(L, "%s.%s", lib, names[i]);
		lua_pushcclosure(L, l_denied, 1);
		lua_setfield(L, table, names[i]);
	}
}

/*
 * io.stderr:write(…) without --trust-filters: pandoc filters report on
 * standard error so; it writes strings and numbers and returns io.stderr.
 */
static int
l_stderr_write(lua_State *L)
{
	int n = lua_gettop(L);

	for (int i = 2; i <= n; i++) {
		size_t len;
		const char *s = luaL_checklstring(L, i, &len);
		fwrite(s, 1, len, stderr);
	}
	lua_settop(L, 1);
	return 1;
}

static int
setup(struct lf *lf, const struct lf_opts *opts)
{
	lua_State *L = lf->L;

	open_libraries(L, opts->trusted);
	/* Before the prelude, which may keep the functions it uses. */
	lf_watch_wrap(L);
	if (!opts->trusted) {
		/* os's clock and dates only (pandoc filters read them): no environment, files or processes. */
		static const char *const keep[] = { "time", "clock", "date", "difftime" };
		static const char *const denied[] = { "execute", "exit", "remove", "rename",
		    "tmpname", "setlocale" };
		size_t i;
		luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
		lua_createtable(L, 0, 5);
		for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
			lua_getfield(L, -2, keep[i]);
			lua_setfield(L, -2, keep[i]);
		}
		static const char *const io_denied[] = { "open", "lines", "read", "write",
		    "popen", "input", "output", "close", "tmpfile", "type" };
		lua_pushcfunction(L, l_no_getenv);
		lua_setfield(L, -2, "getenv");
		set_denied(L, lua_absindex(L, -1), "os", denied, sizeof(denied) / sizeof(denied[0]));
		lua_setglobal(L, "os");
		lua_pop(L, 1);
		/* io: a clear error for files and processes, and standard error to report on. */
		lua_createtable(L, 0, 11);
		set_denied(L, lua_absindex(L, -1), "io", io_denied,
		    sizeof(io_denied) / sizeof(io_denied[0]));
		lua_createtable(L, 0, 1);
		lua_pushcfunction(L, l_stderr_write);
		lua_setfield(L, -2, "write");
		lua_setfield(L, -2, "stderr");
		lua_setglobal(L, "io");
		lua_pushnil(L);
		lua_setglobal(L, "dofile");
		lua_pushnil(L);
		lua_setglobal(L, "loadfile");
		lua_pushcfunction(L, l_load_text);
		lua_setglobal(L, "load");
	}
	/* Bytecode only here: galley made it at build time; filters can load source only. */
	if (luaL_loadbufferx(L, (const char *)lf_prelude, lf_prelude_len, "=galley", "b") != LUA_OK ||
	    lua_pcall(L, 0, 1, 0) != LUA_OK) {
		msg_at(MSG_ERROR, NULL, 0, 0, "internal error in the filter prelude: %s",
		    lua_tostring(L, -1));
		return -1;
	}
	lf->internals = luaL_ref(L, LUA_REGISTRYINDEX);
	/* The prelude keeps what it needs of debug; filters do not get it. */
	lua_pushnil(L);
	lua_setglobal(L, "debug");
	lf_push_internals(L);
	lua_pushcfunction(L, l_meta_place);
	lua_setfield(L, -2, "meta_place");
	lua_pushcfunction(L, l_origin);
	lua_setfield(L, -2, "origin");
	lua_getfield(L, -1, "galley");
	lua_pushcfunction(L, l_warn);
	lua_setfield(L, -2, "warn");
	lua_pushcfunction(L, l_error);
	lua_setfield(L, -2, "error");
	lua_pushcfunction(L, l_locate);
	lua_setfield(L, -2, "locate");
	lua_getfield(L, -2, "pandoc");
	lua_getfield(L, -1, "utils");
	lf_pandoc_register(L, lua_absindex(L, -1), lua_absindex(L, -4));
	lua_pop(L, 2);
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
	/* pandoc, PANDOC_VERSION, PANDOC_API_VERSION, PANDOC_STATE, FORMAT */
	lua_getfield(L, -1, "set_globals");
	lua_pushstring(L, opts->format ? opts->format : "html");
	lua_pushstring(L, lf->doc->files[0]);
	lua_call(L, 2, 0);
	lua_pop(L, 1);
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
	/* Its own globals: what one filter defines, the next does not see. */
	lf_push_env(L, path);
	lua_pushvalue(L, -1);
	lua_insert(L, base);		/* env, handler, chunk, env */
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	if (lua_pcall(L, 0, 1, base + 1) != LUA_OK) {
		report(lf, "");
		lua_pop(L, 2);
		return -1;
	}
	if (lua_isnil(L, -1)) {
		/* pandoc's other form: a filter that defines global functions. */
		lua_pop(L, 1);
		lua_pushvalue(L, base);
	}
	lua_remove(L, base);
	lf_push_internals(L);
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
	struct lf_holder h = { NULL, NULL };
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
		pool_free_all(&lf.pool);
		return -1;
	}
	/* Until the state is closed: finalizers run then.  Steps count from the first second. */
	lf.count = count_steps;
	lf_watch_arm(&lf);
	if (setup(&lf, opts) == -1)
		goto out;
	/* Documents are many small tables that live as long as the run: generational GC wins. */
	lua_gc(lf.L, LUA_GCGEN, 0, 0);
	lua_pushcfunction(lf.L, lf_push_document);
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
	/* Back to galley's view of the document (text runs, Para, metadata as text). */
	lf_push_internals(lf.L);
	lua_getfield(lf.L, -1, "finish");
	lua_remove(lf.L, -2);
	lua_insert(lf.L, -2);
	if (lua_pcall(lf.L, 1, 1, 0) != LUA_OK) {
		report(&lf, "");
		goto out;
	}
	h.root = doc_node_new(DOC_DOCUMENT, 1, 1);
	lf.notes = doc_node_new(DOC_DOCUMENT, 0, 0);
	lf.note_map_len = 1;
	for (c = doc->root->first; c != NULL; c = c->next)
		if (c->type == DOC_FOOTNOTE && (size_t)c->num >= lf.note_map_len)
			lf.note_map_len = (size_t)c->num + 1;
	lf.note_map = mem_zalloc(lf.note_map_len, sizeof(int));
	lua_pushcfunction(lf.L, lf_take_document);
	lua_insert(lf.L, -2);
	lua_pushlightuserdata(lf.L, &h);
	lua_insert(lf.L, -2);
	if ((status = lua_pcall(lf.L, 2, 0, 0)) != LUA_OK) {
		report_taken(&lf, status);
		goto out;
	}
	/* References to notes passed after the outermost note's content (lf_model.c). */
	for (i = 0; i < lf.nheld; i++) {
		int old = -lf.held[i]->num;
		if (lf.note_map[old] == 0) {
			/* A filter dropped the note's content: it stays, empty. */
			struct doc_node *note = doc_node_new(DOC_FOOTNOTE, 0, 0);
			note->num = lf.note_map[old] = ++lf.note_count;
			doc_append(lf.notes, note);
		}
		lf.held[i]->num = lf.note_map[old];
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
	free(lf.held);
	filters_over(&lf);
	lua_close(lf.L);
	pool_free_all(&lf.pool);
	msg_watchdog_disarm();
	coll_free(lf.coll);
	return rc;
}
