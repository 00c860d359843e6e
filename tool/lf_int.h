/* The Lua filter engine's shared parts, for the files of the lf_ module only. */
#ifndef GALLEY_LF_INT_H
#define GALLEY_LF_INT_H

#include <signal.h>
#include <stddef.h>

#include <lua.h>

#include "doc.h"
#include "lf.h"
#include "msg.h"

/* Elements a filter builds may nest this deep; deeper is a runaway filter. */
#define LF_MAX_DEPTH	1000
/* The instructions between two of the step-counting hook's calls. */
#define LF_HOOK_EVERY	1000

/*
 * Lua's small blocks: free lists by size class (16, 32, … LF_POOL_MAX bytes),
 * carved from slabs that go back to the system only with the state (lf.c).
 */
#define LF_POOL_GRAIN	16
#define LF_POOL_MAX	512
struct lf_pool {
	void		*free[LF_POOL_MAX / LF_POOL_GRAIN];	/* linked through their first word */
	char		*next, *end;	/* what is left of the newest slab */
	void		*slabs;		/* every slab, linked through its first word */
};

struct lf {
	lua_State	*L;
	struct lf_pool	 pool;
	struct doc	*doc;
	const struct lf_opts *opts;	/* the caller's, for note_read */
	size_t		 memory;	/* bytes Lua holds now */
	size_t		 max_memory;
	long		 steps;		/* instruction hooks seen in this filter */
	lua_Hook	 count;		/* the hook that counts them, from the first second on */
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
	struct doc_node	**held;		/* references to hoisted notes, num -old until numbered */
	size_t		 nheld, held_cap;
	const struct doc_node *converting;	/* the element coming back now, for messages */
};

/* The run a Lua state belongs to (its allocator's user data). */
struct lf *lf_get(lua_State *L);
/* Pushes the prelude's internals table. */
void lf_push_internals(lua_State *L);
/* Tells the build that the run read the file at path: a dependency of the outputs. */
void lf_note_read(struct lf *lf, const char *path);
/*
 * Pushes a YAML value: maps as tables, lists as lists, scalars as strings;
 * booleans as Lua booleans unless strings is 1 (data files keep their text).
 */
void lf_push_meta(lua_State *L, const struct meta *m, int strings);
/* lua_pcall'd with nothing: pushes the run's document as a table of elements (lf_model.c). */
int lf_push_document(lua_State *L);
/* Sets field "attr" of the table on top of the stack to a (lf_model.c). */
void lf_push_attr(lua_State *L, const struct doc_attr *a);
/* The file index of the _file an element at idx carries: 0 when none or unknown (lf_model.c). */
int lf_get_file(lua_State *L, int idx);
/* What lf_take_document() builds; the caller owns both (NULL until made). */
struct lf_holder {
	struct doc_node	*root;	/* the new document's blocks */
	struct meta	*meta;	/* the new metadata */
};
/*
 * lua_pcall'd with a struct lf_holder (light userdata) and the document
 * table: fills the holder with the model the table describes (lf_model.c).
 */
int lf_take_document(lua_State *L);
/* Wraps the string library's pattern functions and pcall, xpcall to note where a filter is (lf_watch.c). */
void lf_watch_wrap(lua_State *L);
/* Arms the watchdog for lf's filters: msg_watchdog_arm() with lf's budget, stopping and place. */
void lf_watch_arm(struct lf *lf);
/* Adds read_data to the galley table and pinyin, compare to utils (absolute indices). */
void lf_data_register(lua_State *L, int galley, int utils);
/* lua_pcall'd or called from Lua: internals.read_markdown(text), pandoc.read's parser (lf_model.c). */
int lf_read_markdown(lua_State *L);
/* Called from Lua: internals.write_html(blocks), pandoc.write's HTML: galley's writer's body (lf_model.c). */
int lf_write_html(lua_State *L);
/* Pushes a fresh environment for the filter at path, with its own require (lf_pandoc.c). */
void lf_push_env(lua_State *L, const char *path);
/* Adds sha1 to pandoc.utils and read_markdown to the internals, both absolute indices (lf_pandoc.c). */
void lf_pandoc_register(lua_State *L, int utils, int internals);
/* Adds matcher to utils (an absolute index). */
void lf_match_register(lua_State *L, int utils);

#endif
