/* pandoc's side of the filter engine in C: each filter's own environment and require, and pandoc.utils.sha1. */
#include "lf_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "buf.h"
#include "data.h"
#include "fs.h"
#include "mem.h"

/* ---- pandoc.utils.sha1 ------------------------------------------------- */

static uint32_t
rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void
sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5a827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ed9eba1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
		else
			f = b ^ c ^ d, k = 0xca62c1d6;
		t = rol(a, 5) + f + e + k + w[i];
		e = d, d = c, c = rol(b, 30), b = a, a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

/* pandoc.utils.sha1(text): the SHA-1 of text in 40 hexadecimal digits (pandoc names images by it). */
static int
l_sha1(lua_State *L)
{
	size_t len, i;
	const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &len);
	uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	unsigned char last[128];
	size_t rest = len % 64, tail;
	uint64_t bits = (uint64_t)len * 8;
	char hex[41];

	for (i = 0; i + 64 <= len; i += 64)
		sha1_block(h, s + i);
	memset(last, 0, sizeof(last));
	memcpy(last, s + i, rest);
	last[rest] = 0x80;
	tail = rest < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		last[tail - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha1_block(h, last);
	if (tail == 128)
		sha1_block(h, last + 64);
	for (i = 0; i < 5; i++)
		snprintf(hex + 8 * i, 9, "%08x", (unsigned)h[i]);
	lua_pushstring(L, hex);
	return 1;
}

/* ---- require ----------------------------------------------------------- */

/* Whether name is a module name require may look up: letters, digits, _ and -, parts joined by dots. */
static int
good_module_name(const char *name)
{
	const char *p;

	if (*name == '\0' || *name == '.')
		return 0;
	for (p = name; *p; p++) {
		if (*p == '.' && (p[1] == '.' || p[1] == '\0'))
			return 0;
		if (*p != '.' && *p != '_' && *p != '-' && !(*p >= '0' && *p <= '9') &&
		    !(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z'))
			return 0;
	}
	return 1;
}

/*
 * require(name) in one filter's environment (upvalue 1), for the filter in the
 * folder upvalue 2, with the modules it has loaded in upvalue 3: Lua source
 * beside the filter (NAME.lua, NAME/init.lua, dots standing for folders), then
 * in lua-filters/ of the data places; loaded in the same environment and
 * sandbox.  Names cannot climb out of those folders, and C modules are not
 * loaded at all.
 */
static int
l_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	const char *dir = lua_tostring(L, lua_upvalueindex(2));
	struct buf rel = BUF_INIT, alt = BUF_INIT, data = BUF_INIT;
	char *path = NULL, *q;

	lua_settop(L, 1);
	lua_getfield(L, lua_upvalueindex(3), name);
	if (lua_toboolean(L, -1) && !lua_islightuserdata(L, -1))
		return 1;
	if (lua_islightuserdata(L, -1))
		return luaL_error(L, "module '%s' requires itself (a loop of require)", name);
	lua_pop(L, 1);
	if (!good_module_name(name))
		return luaL_error(L, "module '%s' not found: a module name is letters, digits, "
		    "'_' and '-' in parts joined by dots", name);
	buf_puts(&rel, name);
	for (q = rel.data; *q; q++)
		if (*q == '.')
			*q = '/';
	buf_printf(&alt, "%s/init.lua", buf_str(&rel));
	buf_puts(&rel, ".lua");
	path = fs_join(dir, buf_str(&rel));
	if (!fs_is_file(path)) {
		free(path);
		path = fs_join(dir, buf_str(&alt));
	}
	if (!fs_is_file(path)) {
		free(path);
		buf_printf(&data, "lua-filters/%s", buf_str(&rel));
		path = data_find(buf_str(&data));
	}
	buf_free(&alt);
	buf_free(&data);
	if (path == NULL) {
		lua_pushfstring(L, "module '%s' not found (looked for %s beside the filter, in %s, "
		    "and in lua-filters/; galley loads Lua source only)", name, buf_str(&rel), dir);
		buf_free(&rel);
		return lua_error(L);
	}
	buf_free(&rel);
	lf_note_read(lf_get(L), path);
	lua_pushstring(L, path);
	free(path);
	if (luaL_loadfilex(L, lua_tostring(L, -1), "t") != LUA_OK)
		return lua_error(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	lua_pushlightuserdata(L, (void *)l_require);	/* loading: a loop is an error */
	lua_setfield(L, lua_upvalueindex(3), name);
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_call(L, 2, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, lua_upvalueindex(3), name);
	return 1;
}

/*
 * Pushes a fresh environment for the filter at path: its globals are its
 * own, reading through to the shared ones, with require for its folder.
 */
void
lf_push_env(lua_State *L, const char *path)
{
	char *dir = fs_dirname(path);

	lf_push_internals(L);
	lua_getfield(L, -1, "new_env");
	lua_remove(L, -2);
	lua_pushstring(L, path);
	lua_call(L, 1, 2);		/* env, loaded */
	lua_pushvalue(L, -2);
	lua_pushstring(L, dir);
	free(dir);
	lua_pushvalue(L, -3);
	lua_pushcclosure(L, l_require, 3);
	lua_setfield(L, -3, "require");
	lua_pop(L, 1);
}

/* Adds sha1 to pandoc.utils (an absolute index) and read_markdown, write_html to the internals (likewise). */
void
lf_pandoc_register(lua_State *L, int utils, int internals)
{
	lua_pushcfunction(L, l_sha1);
	lua_setfield(L, utils, "sha1");
	lua_pushcfunction(L, lf_read_markdown);
	lua_setfield(L, internals, "read_markdown");
	lua_pushcfunction(L, lf_write_html);
	lua_setfield(L, internals, "write_html");
}
