/* The Lua filter engine's shared parts, for the files of the lf_ module only. */
#ifndef GALLEY_LF_INT_H
#define GALLEY_LF_INT_H

#include <signal.h>
#include <stddef.h>

#include <lua.h>

#include "doc.h"
#include "lf.h"
#include "msg.h"

struct lf {
	lua_State	*L;
	struct doc	*doc;
	const struct lf_opts *opts;	/* the caller's, for note_read */
	size_t		 memory;	/* bytes Lua holds now */
	size_t		 max_memory;
	long		 steps;		/* instruction hooks seen in this filter */
	long		 max_steps;
	int		 max_seconds;	/* CPU time for all the document's filters */
	int		 stopped;	/* the CPU time is up: Lua stops at every instruction */
	volatile sig_atomic_t over;	/* the filters are over: no more stopping */
	struct msg_place place;		/* where the filters are, for the watchdog */
	int		 internals;	/* registry reference to the prelude's table */
	const char	*filter;	/* the filter running now */
	int		 trust_paths;	/* read_data() may read outside the document's tree */
	struct coll	*coll;		/* ICU objects for pinyin and compare; NULL until used */
	/* Footnotes while a document comes back from Lua. */
	struct doc_node	*notes;		/* FOOTNOTE nodes in number order */
	int		*note_map;	/* old number → new number */
	size_t		 note_map_len;
	int		 note_count;
	const struct doc_node *converting;	/* the element coming back now, for messages */
};

/* The run a Lua state belongs to (its allocator's user data). */
struct lf *lf_get(lua_State *L);
/* Tells the build that the run read the file at path: a dependency of the outputs. */
void lf_note_read(struct lf *lf, const char *path);
/*
 * Pushes a YAML value: maps as tables, lists as lists, scalars as strings;
 * booleans as Lua booleans unless strings is 1 (data files keep their text).
 */
void lf_push_meta(lua_State *L, const struct meta *m, int strings);
/* Adds read_data to the galley table and pinyin, compare to utils (absolute indices). */
void lf_data_register(lua_State *L, int galley, int utils);
/* Adds matcher to utils (an absolute index). */
void lf_match_register(lua_State *L, int utils);

#endif
