/* Filters' data files and Chinese sorting: galley.read_data, galley.utils.pinyin and compare. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "buf.h"
#include "coll.h"
#include "fs.h"
#include "lf_int.h"
#include "mem.h"
#include "meta.h"
#include "msg.h"
#include "utf8.h"

/* The largest data file galley.read_data() reads. */
#define MAX_DATA	((size_t)16 << 20)

/* The run's ICU objects, made on first use. */
static struct coll *
get_coll(lua_State *L)
{
	struct lf *lf = lf_get(L);

	if (lf->coll == NULL)
		lf->coll = coll_new();
	return lf->coll;
}

/* galley.utils.pinyin(s): "5g wang3 luo4" for "5G网络" (see coll_pinyin()). */
static int
l_pinyin(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct buf out = BUF_INIT, why = BUF_INIT;

	if (coll_pinyin(get_coll(L), s, len, &out, &why) == -1) {
		lua_pushfstring(L, "pinyin: %s", buf_str(&why));
		buf_free(&out);
		buf_free(&why);
		return lua_error(L);
	}
	lua_pushlstring(L, buf_str(&out), out.len);
	buf_free(&out);
	buf_free(&why);
	return 1;
}

/* galley.utils.compare(a, b [, lang]): -1, 0 or 1 in the order of lang ("zh", the default, or "en"). */
static int
l_compare(lua_State *L)
{
	size_t alen, blen;
	const char *a = luaL_checklstring(L, 1, &alen);
	const char *b = luaL_checklstring(L, 2, &blen);
	const char *lang = luaL_optstring(L, 3, "zh");
	struct buf why = BUF_INIT;
	int result;

	if (coll_compare(get_coll(L), lang, a, alen, b, blen, &result, &why) == -1) {
		lua_pushfstring(L, "compare: %s", buf_str(&why));
		buf_free(&why);
		return lua_error(L);
	}
	lua_pushinteger(L, result);
	return 1;
}

/* ---- data files -------------------------------------------------------- */

/* A data file being turned into rows; C owns text and yaml while Lua builds the tables. */
struct data_file {
	const char	*file;		/* as messages name it */
	const char	*text;
	size_t		 len;
	struct meta	*yaml;		/* YAML: the parsed value */
	int		 reported;	/* an error inside the file was reported */
};

/* Sets the row's _file, _line and _col. */
static void
set_row_place(lua_State *L, const char *file, int line, int col)
{
	lua_pushstring(L, file);
	lua_setfield(L, -2, "_file");
	lua_pushinteger(L, line);
	lua_setfield(L, -2, "_line");
	lua_pushinteger(L, col);
	lua_setfield(L, -2, "_col");
}

/* lua_pcall'd with a struct data_file: pushes the list of rows of a YAML file, or nothing. */
static int
push_yaml_rows(lua_State *L)
{
	struct data_file *d = lua_touserdata(L, 1);
	const struct meta *list = d->yaml, *c;
	lua_Integer i = 1;

	if (list != NULL && list->type == META_MAP) {
		list = meta_get(d->yaml, "terms");
		if (list == NULL || list->type != META_LIST) {
			msg_at(MSG_ERROR, d->file, d->yaml->line, d->yaml->col, "expected a list "
			    "of entries, or a map with a 'terms:' list of entries");
			d->reported = 1;
			return 0;
		}
	} else if (list != NULL && list->type != META_LIST) {
		msg_at(MSG_ERROR, d->file, list->line, list->col,
		    "expected a list of entries (lines '- key: value')");
		d->reported = 1;
		return 0;
	}
	lua_newtable(L);
	for (c = list ? list->first : NULL; c != NULL; c = c->next) {
		if (c->type != META_MAP) {
			msg_at(MSG_ERROR, d->file, c->line, c->col,
			    "an entry must be a map of 'key: value' lines");
			d->reported = 1;
			return 0;
		}
		lf_push_meta(L, c, 1);
		set_row_place(L, d->file, c->line, c->col);
		lua_rawseti(L, -2, i++);
	}
	return 1;
}

/* Pushes s[0..n) without the ASCII spaces at its ends as field key of the table on top, unless empty. */
static void
set_trimmed(lua_State *L, const char *key, const char *s, size_t n)
{
	while (n > 0 && *s == ' ')
		s++, n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0)
		return;
	lua_pushlstring(L, s, n);
	lua_setfield(L, -2, key);
}

/*
 * lua_pcall'd with a struct data_file: pushes the rows of a TSV file (the
 * first row names the columns), or nothing after reporting an error.
 */
static int
push_tsv_rows(lua_State *L)
{
	struct data_file *d = lua_touserdata(L, 1);
	const char *p = d->text, *end = d->text + d->len, *eol, *q, *tab, *key;
	size_t n, bad, nf, ncols = 0, k;
	int line = 0, names, rows, header = 0;
	lua_Integer i = 1;

	if (d->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	lua_newtable(L);		/* the column names */
	names = lua_gettop(L);
	lua_newtable(L);		/* the rows */
	rows = lua_gettop(L);
	for (; p < end; p = eol + (eol < end)) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if ((bad = utf8_check(p, n)) < n || (q = memchr(p, '\0', n)) != NULL) {
			if (bad >= n)
				bad = (size_t)(q - p);
			msg_at(MSG_ERROR, d->file, line, (int)utf8_count(p, bad) + 1,
			    "%s", bad < n && p[bad] == '\0' ? "a NUL byte in the row" :
			    "the row is not UTF-8 (save the file as UTF-8)");
			d->reported = 1;
			return 0;
		}
		if (n == 0 || p[0] == '#' || strspn(p, " \t") >= n)
			continue;	/* blank lines and comments */
		if (!header) {
			header = line;
			for (q = p, k = 1; ; k++) {
				tab = memchr(q, '\t', (size_t)(p + n - q));
				nf = tab ? (size_t)(tab - q) : (size_t)(p + n - q);
				while (nf > 0 && *q == ' ')
					q++, nf--;
				while (nf > 0 && q[nf - 1] == ' ')
					nf--;
				if (nf == 0) {
					msg_at(MSG_ERROR, d->file, line, (int)utf8_count(p,
					    (size_t)(q - p)) + 1, "column %zu has no name", k);
					d->reported = 1;
					return 0;
				}
				/* A column named twice. */
				for (size_t j = 1; j < k; j++) {
					lua_rawgeti(L, names, (lua_Integer)j);
					if (lua_rawlen(L, -1) == nf && memcmp(lua_tostring(L, -1), q,
					    nf) == 0) {
						msg_at(MSG_ERROR, d->file, line, (int)utf8_count(p,
						    (size_t)(q - p)) + 1, "column '%.*s' is named twice",
						    (int)nf, q);
						d->reported = 1;
						return 0;
					}
					lua_pop(L, 1);
				}
				lua_pushlstring(L, q, nf);
				lua_rawseti(L, names, (lua_Integer)k);
				if (tab == NULL)
					break;
				q = tab + 1;
			}
			ncols = k;
			continue;
		}
		lua_newtable(L);
		for (q = p, k = 1; ; k++) {
			tab = memchr(q, '\t', (size_t)(p + n - q));
			nf = tab ? (size_t)(tab - q) : (size_t)(p + n - q);
			if (k > ncols) {
				msg_at(MSG_ERROR, d->file, line, (int)utf8_count(p, (size_t)(q - p)) + 1,
				    "the row has more fields than the %zu columns the header on "
				    "line %d names", ncols, header);
				d->reported = 1;
				return 0;
			}
			/* The name stays alive in the names table once popped. */
			lua_rawgeti(L, names, (lua_Integer)k);
			key = lua_tostring(L, -1);
			lua_pop(L, 1);
			set_trimmed(L, key, q, nf);
			if (tab == NULL)
				break;
			q = tab + 1;
		}
		if (k < ncols) {
			msg_at(MSG_ERROR, d->file, line, (int)utf8_count(p, n) + 1,
			    "the row has %zu fields; the header on line %d names %zu columns "
			    "(fields are separated by tabs)", k, header, ncols);
			d->reported = 1;
			return 0;
		}
		set_row_place(L, d->file, line, 1);
		lua_rawseti(L, rows, i++);
	}
	return 1;
}

/* Whether path ends in ext (".tsv"), ignoring case. */
static int
has_extension(const char *path, const char *ext)
{
	size_t n = strlen(path), m = strlen(ext), i;

	if (n < m)
		return 0;
	for (i = 0; i < m; i++) {
		char c = path[n - m + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != ext[i])
			return 0;
	}
	return 1;
}

/*
 * galley.read_data(path): the rows of a data file (term base) named relative
 * to the file of the document's front matter (an issue folder's issue.yaml): a list of tables of strings with _file, _line and _col.
 * Returns nil and a message when the file cannot be read, is outside the
 * allowed tree or has an unknown format; nil, a message and true when an
 * error inside the file was already reported at its line.
 */
static int
l_read_data(lua_State *L)
{
	struct lf *lf = lf_get(L);
	const char *name = luaL_checkstring(L, 1);
	struct buf why = BUF_INIT, text = BUF_INIT;
	struct data_file d;
	char *real, *dir, *joined, *shown;
	int yaml = 0, rc;

	memset(&d, 0, sizeof(d));
	if (has_extension(name, ".yaml") || has_extension(name, ".yml"))
		yaml = 1;
	else if (!has_extension(name, ".tsv")) {
		lua_pushnil(L);
		lua_pushfstring(L, "%s: unknown data format; galley reads .yaml, .yml and "
		    ".tsv files", name);
		return 2;
	}
	dir = fs_dirname(lf->doc->files[0]);
	joined = name[0] == '/' ? mem_strdup(name) : fs_join(dir, name);
	shown = fs_tidy(joined);
	free(dir);
	free(joined);
	real = fs_confine(lf->doc->files[0], name, lf->trust_paths, &why);
	if (real != NULL && fs_read(real, &text) == -1) {
		buf_printf(&why, "cannot read %s: %s", shown, strerror(errno));
		free(real);
		real = NULL;
	}
	if (real != NULL && text.len > MAX_DATA) {
		buf_printf(&why, "%s is larger than %zu MB", shown, MAX_DATA >> 20);
		free(real);
		real = NULL;
	}
	if (real == NULL) {
		lua_pushnil(L);
		lua_pushstring(L, buf_str(&why));
		free(shown);
		buf_free(&why);
		buf_free(&text);
		return 2;
	}
	free(real);
	lf_note_read(lf, shown);
	d.file = shown;
	d.text = buf_str(&text);
	d.len = text.len;
	if (yaml && utf8_check(d.text, d.len) < d.len) {
		size_t bad = utf8_check(d.text, d.len), at = 0, k;
		int line = 1;
		for (k = 0; k < bad; k++)
			if (d.text[k] == '\n')
				line++, at = k + 1;
		msg_at(MSG_ERROR, shown, line, (int)utf8_count(d.text + at, bad - at) + 1,
		    "the file is not UTF-8 (save it as UTF-8)");
		d.reported = 1;
	} else if (yaml && meta_parse_data(shown, d.text, d.len, &d.yaml) == -1)
		d.reported = 1;
	if (!d.reported) {
		lua_pushcfunction(L, yaml ? push_yaml_rows : push_tsv_rows);
		lua_pushlightuserdata(L, &d);
		rc = lua_pcall(L, 1, 1, 0);
	} else
		rc = LUA_OK;
	meta_free(d.yaml);
	buf_free(&text);
	buf_free(&why);
	if (rc != LUA_OK) {
		free(shown);
		return lua_error(L);	/* out of memory: the message is on top */
	}
	if (d.reported) {
		lua_pushnil(L);
		lua_pushfstring(L, "%s has errors", shown);
		lua_pushboolean(L, 1);
		free(shown);
		return 3;
	}
	free(shown);
	return 1;
}

void
lf_data_register(lua_State *L, int galley, int utils)
{
	lua_pushcfunction(L, l_pinyin);
	lua_setfield(L, utils, "pinyin");
	lua_pushcfunction(L, l_compare);
	lua_setfield(L, utils, "compare");
	lua_pushcfunction(L, l_read_data);
	lua_setfield(L, galley, "read_data");
}
