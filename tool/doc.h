/*
 * galley's document model: one tree built once from the Markdown source, changed
 * by filters, then read (never changed) by every output.
 */
#ifndef GALLEY_DOC_H
#define GALLEY_DOC_H

#include <stddef.h>

#include "buf.h"
#include "doc_types.h"

/* The node types, from tool/doc_types.h; the count is apart, so that switches need not name it. */
#define DOC_ENUM(name, xml, tag, more, kind, holds) DOC_##name,
enum doc_type { DOC_TYPES(DOC_ENUM) };
#undef DOC_ENUM
#define DOC_ONE(name, xml, tag, more, kind, holds) + 1
enum { DOC_TYPE_COUNT = 0 DOC_TYPES(DOC_ONE) };
#undef DOC_ONE

/* What a node is among its siblings, and what its children are (doc_types.h). */
enum doc_kind { DOC_KIND_BLOCK, DOC_KIND_INLINE, DOC_KIND_PART };
enum doc_holds {
	DOC_HOLDS_NONE, DOC_HOLDS_INLINES, DOC_HOLDS_BLOCKS, DOC_HOLDS_ITEMS,
	DOC_HOLDS_DEFS, DOC_HOLDS_ROWS
};

/* Flag bits of doc_node.flags, by node type. */
#define DOC_ORDERED	0x01	/* LIST: numbered */
#define DOC_TIGHT	0x02	/* LIST: items without blank lines between them;
				   DEFITEM: its definitions right under the term;
				   DEFLIST: all its items so */
#define DOC_PAREN	0x04	/* LIST: "1)" rather than "1." */
#define DOC_PARENS	0x80	/* LIST: "(1)" */
#define DOC_TASK	0x08	/* ITEM: a task-list item */
#define DOC_CHECKED	0x10	/* ITEM: a checked task */
#define DOC_HEADER	0x20	/* ROW: the table's header row */
#define DOC_BARE_URL	0x40	/* LINK: a URL written without <> or [] in the source */

struct doc_kv {
	char	*key;
	char	*value;
};

/* Pandoc's Attr: {#id .class key=value}. */
struct doc_attr {
	char		 *id;		/* NULL when none */
	char		**classes;
	size_t		  nclasses;
	struct doc_kv	 *kv;
	size_t		  nkv;
};

struct doc_node {
	enum doc_type	  type;
	struct doc_node	 *parent;
	struct doc_node	 *first;	/* first child */
	struct doc_node	 *last;		/* last child */
	struct doc_node	 *prev;
	struct doc_node	 *next;
	int		  line;		/* 1-based source line; 0 when made by a filter */
	int		  col;		/* 1-based source column in characters; 0 when unknown */
	int		  file;		/* the file line and col are in: an index of
					   doc->files (0: the document's own) */
	char		 *text;		/* TEXT, CODE, CODEBLOCK, RAWBLOCK, RAWINLINE */
	char		 *url;		/* LINK, IMAGE */
	char		 *title;	/* LINK, IMAGE; NULL when none */
	char		 *info;		/* CODEBLOCK: info string; RAW*: format;
					   LIST: numbering style ("LowerAlpha"), NULL for decimal */
	char		 *origin;	/* "filter.lua:12" for a node a filter made */
	char		 *aligns;	/* TABLE: per column 'l', 'c', 'r' or 'd' */
	int		  level;	/* HEADING: 1 to 6 */
	int		  num;		/* LIST: start; FOOTNOTE, NOTEREF: number */
	int		  flags;	/* DOC_ORDERED … DOC_HEADER */
	struct doc_attr	  attr;
};

enum meta_type {
	META_STRING,
	META_BOOL,	/* str is "true" or "false" */
	META_LIST,
	META_MAP
};

/* A front-matter value; lists and maps hold their members as children. */
struct meta {
	enum meta_type	 type;
	char		*key;		/* the key when this is a member of a map */
	char		*str;		/* STRING, BOOL */
	int		 line;		/* where the value starts in the source */
	int		 col;
	int		 key_line;	/* where its key is, when a member of a map read
					   from YAML; else line and col again */
	int		 key_col;
	struct meta	*first;
	struct meta	*last;
	struct meta	*next;
};

struct doc {
	char		*source;	/* the input path as given */
	char		**files;	/* the files node positions are in (doc_node.file);
					   files[0] is source, or for an issue folder its
					   issue.yaml; owned */
	size_t		 nfiles;
	struct doc_node	*root;		/* a DOC_DOCUMENT */
	struct meta	*meta;		/* a META_MAP, never NULL */
	char		**texts;	/* per file: its text as read (front matter
					   included), owned; NULL when not kept */
	size_t		*lens;		/* per file: that text's length in bytes */
};

/* Returns a new empty document the caller frees with doc_free(). */
struct doc *doc_new(const char *source);
void doc_free(struct doc *doc);

/*
 * Returns the index of path in doc->files, adding a copy of it when it is
 * not there yet: the value a node parsed from that file keeps in its file.
 */
int doc_add_file(struct doc *doc, const char *path);
/* Keeps text[0..len) (taking it: the caller allocated it) as the text of doc->files[file]. */
void doc_set_text(struct doc *doc, int file, char *text, size_t len);
/* The index of path in doc->files, or -1. */
int doc_find_file(const struct doc *doc, const char *path);
/* The file node's line and column are in, for messages (borrowed from doc). */
const char *doc_node_file(const struct doc *doc, const struct doc_node *node);

/* The element name used by the XML vocabulary and the tree dump ("para"). */
const char *doc_type_name(enum doc_type type);
int doc_is_inline(enum doc_type type);
enum doc_kind doc_type_kind(enum doc_type type);
enum doc_holds doc_type_holds(enum doc_type type);
/* The tag of the filters' element for type ("Para"), "" for a part of another element. */
const char *doc_type_tag(enum doc_type type);
/* The type an element of tag is read back as, or -1 when none (table's tag and more). */
int doc_type_of_tag(const char *tag);

/* Returns a new node, owned by the caller until it is attached to a parent. */
struct doc_node *doc_node_new(enum doc_type type, int line, int col);
/* Frees node and its subtree; node must be detached first.  Accepts NULL. */
void doc_node_free(struct doc_node *node);
/* Attach a detached node; the parent then owns it. */
void doc_append(struct doc_node *parent, struct doc_node *child);
void doc_insert_before(struct doc_node *ref, struct doc_node *node);
void doc_insert_after(struct doc_node *ref, struct doc_node *node);
/* Detaches node from its parent; the caller owns it again. */
void doc_unlink(struct doc_node *node);

/* Joins adjacent text children of parent and drops empty ones. */
void doc_merge_texts(struct doc_node *parent);

/* Appends the plain text of node's subtree to out (breaks become spaces). */
void doc_stringify(const struct doc_node *node, struct buf *out);

void doc_attr_add_class(struct doc_attr *attr, const char *cls, size_t len);
int doc_attr_has_class(const struct doc_attr *attr, const char *cls);
/* Sets key to value, replacing an earlier value of key. */
void doc_attr_set(struct doc_attr *attr, const char *key, const char *value);
const char *doc_attr_get(const struct doc_attr *attr, const char *key);
void doc_attr_clear(struct doc_attr *attr);

/*
 * Parses a pandoc attribute block "{#id .class key=value key="v w"}" that
 * fills s[0..len) exactly.  Returns 1 and fills *attr (cleared first) on
 * success, 0 and leaves *attr empty when s is not such a block.
 */
int doc_attr_parse(const char *s, size_t len, struct doc_attr *attr);

/*
 * Gives every heading without an id a stable one made from its text, and
 * makes ids unique, warning about ids the author gave twice.
 */
void doc_assign_ids(struct doc *doc);

/* Returns the member of a map (or NULL); the map keeps ownership. */
const struct meta *meta_get(const struct meta *map, const char *key);
/* The string of a STRING or BOOL member of map, or NULL. */
const char *meta_get_str(const struct meta *map, const char *key);
/* Whether m is a string or a list of strings only (filter names, classes). */
int meta_is_string_list(const struct meta *m);
struct meta *meta_new(enum meta_type type, const char *key, int line, int col);
void meta_append(struct meta *parent, struct meta *child);
/* Sets map's key to a string value, replacing an existing member of that key. */
void meta_set_str(struct meta *map, const char *key, const char *value);
/* Returns a deep copy of m under key (NULL for none), which the caller owns. */
struct meta *meta_clone(const struct meta *m, const char *key);
void meta_free(struct meta *meta);

/* Appends the stable text dump of the model (the `tree` output) to out. */
void doc_dump(const struct doc *doc, struct buf *out);

#endif
