/* The filters' CPU-time watchdog, Lua's side: stopping a filter, and noting where a filter is for the last message. */
#include "lf_int.h"

#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "msg.h"

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
void
lf_watch_wrap(lua_State *L)
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

/*
 * Called by the watchdog from its signal handler after the filters' first
 * second of CPU time: from then on they count their instructions.  A count
 * hook makes Lua stop at every instruction, which cost a fifth of the filters'
 * time; a filter that stops after max_steps has run that much and more.
 */
static void
start_counting(void *ctx)
{
	struct lf *lf = ctx;

	if (!lf->over && lua_gethook(lf->L) == NULL)
		lua_sethook(lf->L, lf->count, LUA_MASKCOUNT, LF_HOOK_EVERY);
}

void
lf_watch_arm(struct lf *lf)
{
	msg_watchdog_arm(lf->max_seconds, start_counting, interrupt_filter, lf, &lf->place);
}
