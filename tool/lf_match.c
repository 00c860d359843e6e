/* galley.utils.matcher: finds the uses of many words in a text in one pass (terms in running text). */
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "lf_int.h"

#define MATCHER_TYPE	"galley.matcher"

struct word {
	size_t	 offset;	/* of its bytes in the matcher's text block */
	size_t	 len;
	int	 index;		/* 1-based place in the list it was made from */
};

/*
 * One block of Lua userdata: the header, then the words sorted by first byte
 * (in list order within a byte), then their bytes.  A text position is only
 * compared with the words that start with its byte.
 */
struct matcher {
	size_t		 count;
	size_t		 first[257];	/* words[first[b]] up to words[first[b + 1]] start with b */
	/*
	 * Bit (b1 << 8 | b2) is set when a word starts with bytes b1 b2, or is b1
	 * alone (then every b2): in Chinese text most positions fail this test, and
	 * the words sharing a first byte (a third of all Han characters start with
	 * 0xE8) are not compared at all.
	 */
	unsigned char	 starts[65536 / 8];
	struct word	 words[];
};

static void
note_start(struct matcher *m, const unsigned char *w, size_t len)
{
	unsigned b2;

	if (len >= 2) {
		m->starts[(w[0] << 8 | w[1]) >> 3] |= (unsigned char)(1u << (w[1] & 7));
		return;
	}
	for (b2 = 0; b2 < 256; b2++)
		m->starts[(w[0] << 8 | b2) >> 3] |= (unsigned char)(1u << (b2 & 7));
}

/* Whether a word may start at text[at]: the bitmap's test on its first two bytes. */
static int
may_start(const struct matcher *m, const unsigned char *text, size_t len, size_t at)
{
	unsigned pair;

	if (at + 1 >= len)	/* the last byte: any word with that first byte decides */
		return m->first[text[at] + 1] > m->first[text[at]];
	pair = (unsigned)text[at] << 8 | text[at + 1];
	return (m->starts[pair >> 3] >> (pair & 7)) & 1;
}

static const char *
word_bytes(const struct matcher *m, const struct word *w)
{
	return (const char *)(m->words + m->count) + w->offset;
}

/* ASCII letters, digits and '_': a word that starts or ends with one is matched whole there. */
static int
is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    c == '_';
}

/* galley.utils.matcher(words): a matcher for the list of non-empty strings words. */
static int
l_matcher(lua_State *L)
{
	struct matcher *m;
	size_t count, i, bytes = 0, len, at = 0, b;
	size_t next[257] = { 0 };	/* where the next word of each first byte goes */
	const char *s;

	luaL_checktype(L, 1, LUA_TTABLE);
	count = (size_t)luaL_len(L, 1);
	if (count > INT32_MAX)
		return luaL_argerror(L, 1, "too many words");
	/* A counting sort by first byte, which keeps the list's order within each byte. */
	for (i = 1; i <= count; i++) {
		if (lua_rawgeti(L, 1, (lua_Integer)i) != LUA_TSTRING)
			return luaL_error(L, "matcher: word %d is a %s, not a string", (int)i,
			    luaL_typename(L, -1));
		s = lua_tolstring(L, -1, &len);
		if (len == 0)
			return luaL_error(L, "matcher: word %d is empty", (int)i);
		next[(unsigned char)*s + 1]++;
		bytes += len;
		lua_pop(L, 1);
	}
	for (b = 1; b <= 256; b++)
		next[b] += next[b - 1];
	m = lua_newuserdatauv(L, sizeof(*m) + count * sizeof(struct word) + bytes, 0);
	m->count = count;
	memcpy(m->first, next, sizeof(m->first));
	memset(m->starts, 0, sizeof(m->starts));
	for (i = 1; i <= count; i++) {
		struct word *w;
		lua_rawgeti(L, 1, (lua_Integer)i);
		s = lua_tolstring(L, -1, &len);
		w = &m->words[next[(unsigned char)*s]++];
		w->offset = at;
		w->len = len;
		w->index = (int)i;
		memcpy((char *)(m->words + count) + at, s, len);
		note_start(m, (const unsigned char *)s, len);
		at += len;
		lua_pop(L, 1);
	}
	luaL_setmetatable(L, MATCHER_TYPE);
	return 1;
}

/* The first word of m (in list order) that occurs whole at text[at]; NULL when none does. */
static const struct word *
word_at(const struct matcher *m, const unsigned char *text, size_t len, size_t at)
{
	size_t k;

	for (k = m->first[text[at]]; k < m->first[text[at] + 1]; k++) {
		const struct word *w = &m->words[k];
		const unsigned char *bytes = (const unsigned char *)word_bytes(m, w);
		if (w->len > len - at || memcmp(text + at, bytes, w->len) != 0)
			continue;
		if (is_word_byte(bytes[0]) && at > 0 && is_word_byte(text[at - 1]))
			continue;
		if (is_word_byte(bytes[w->len - 1]) && at + w->len < len &&
		    is_word_byte(text[at + w->len]))
			continue;
		return w;
	}
	return NULL;
}

/*
 * matcher:find_all(text): the uses of the words in text, in order, as a list of
 * { from = , to = , index = } (byte positions, inclusive; index into the word list).
 * Uses do not overlap: the one that starts first wins, and of those starting at
 * one character the word earlier in the list.  Uses start at characters (never
 * inside a UTF-8 sequence).
 */
static int
l_find_all(lua_State *L)
{
	const struct matcher *m = luaL_checkudata(L, 1, MATCHER_TYPE);
	size_t len, at = 0;
	const unsigned char *text = (const unsigned char *)luaL_checklstring(L, 2, &len);
	lua_Integer found = 0;

	lua_newtable(L);
	while (at < len) {
		const struct word *w = (text[at] & 0xC0) == 0x80 || !may_start(m, text, len, at) ?
		    NULL : word_at(m, text, len, at);
		if (w == NULL) {
			at++;
			continue;
		}
		lua_createtable(L, 0, 3);
		lua_pushinteger(L, (lua_Integer)at + 1);
		lua_setfield(L, -2, "from");
		lua_pushinteger(L, (lua_Integer)(at + w->len));
		lua_setfield(L, -2, "to");
		lua_pushinteger(L, w->index);
		lua_setfield(L, -2, "index");
		lua_rawseti(L, -2, ++found);
		at += w->len;
	}
	return 1;
}

void
lf_match_register(lua_State *L, int utils)
{
	static const luaL_Reg methods[] = {
		{ "find_all", l_find_all },
		{ NULL, NULL },
	};

	luaL_newmetatable(L, MATCHER_TYPE);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	lua_pushcfunction(L, l_matcher);
	lua_setfield(L, utils, "matcher");
}
