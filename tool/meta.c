/* Front matter: the leading YAML block of a source, read with libyaml into struct meta. */
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "mem.h"
#include "msg.h"

/* Deeper front matter is certainly a mistake or an attack; it also bounds our recursion. */
#define META_MAX_DEPTH 64

struct reader {
	yaml_parser_t	 parser;
	yaml_event_t	 event;
	const char	*file;
	const char	*what;		/* how messages start: "front matter" */
	int		 first_line;
	size_t		 lines;		/* newlines in the YAML text */
	int		 open;		/* the parser is initialised */
	int		 quiet;		/* a first try: errors are not reported */
};

static int
fail_at(struct reader *r, const yaml_mark_t *mark, const char *what)
{
	if (r->quiet)
		return -1;
	msg_at(MSG_ERROR, r->file, r->first_line + (int)mark->line,
	    (int)mark->column + 1, "%s: %s", r->what, what);
	return -1;
}

/* Reads the next event into r->event (freeing the previous one). */
static int
next_event(struct reader *r)
{
	yaml_event_delete(&r->event);
	if (!yaml_parser_parse(&r->parser, &r->event)) {
		yaml_mark_t mark = r->parser.problem_mark;
		char what[256];

		/* At the end of the block the construct that was left open says more. */
		if (r->parser.context != NULL && mark.line >= r->lines)
			mark = r->parser.context_mark;

		snprintf(what, sizeof(what), "%s%s%s",
		    r->parser.problem ? r->parser.problem : "malformed YAML",
		    r->parser.context ? " " : "",
		    r->parser.context ? r->parser.context : "");
		memset(&r->event, 0, sizeof(r->event));
		return fail_at(r, &mark, what);
	}
	return 0;
}

static int
is_bool_word(const char *s, const char **value)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*value = "true";
			return 1;
		}
		if (strcmp(s, no[i]) == 0) {
			*value = "false";
			return 1;
		}
	}
	return 0;
}

static int read_value(struct reader *r, const char *key, int depth,
    struct meta **out);

static int
read_members(struct reader *r, struct meta *parent, int depth)
{
	struct meta *child;
	yaml_mark_t key_mark;
	char *key;

	for (;;) {
		if (next_event(r) == -1)
			return -1;
		if (r->event.type == YAML_MAPPING_END_EVENT ||
		    r->event.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		key = NULL;
		if (parent->type == META_MAP) {
			if (r->event.type != YAML_SCALAR_EVENT)
				return fail_at(r, &r->event.start_mark,
				    "a key must be a plain string");
			key = mem_strndup((const char *)r->event.data.scalar.value,
			    r->event.data.scalar.length);
			key_mark = r->event.start_mark;
			if (meta_get(parent, key) != NULL) {
				char what[300];
				snprintf(what, sizeof(what), "duplicate key '%.200s'", key);
				free(key);
				return fail_at(r, &r->event.start_mark, what);
			}
			if (next_event(r) == -1) {
				free(key);
				return -1;
			}
		}
		if (read_value(r, key, depth, &child) == -1) {
			free(key);
			return -1;
		}
		if (key != NULL) {
			child->key_line = r->first_line + (int)key_mark.line;
			child->key_col = (int)key_mark.column + 1;
		}
		free(key);
		meta_append(parent, child);
	}
}

/* Builds the value whose first event is r->event. */
static int
read_value(struct reader *r, const char *key, int depth, struct meta **out)
{
	yaml_event_t *ev = &r->event;
	int line = r->first_line + (int)ev->start_mark.line;
	int col = (int)ev->start_mark.column + 1;
	const char *word;
	struct meta *m;

	*out = NULL;
	if (depth > META_MAX_DEPTH)
		return fail_at(r, &ev->start_mark, "nested too deeply");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		m = meta_new(META_STRING, key, line, col);
		m->str = mem_strndup((const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		if (ev->data.scalar.plain_implicit && is_bool_word(m->str, &word)) {
			m->type = META_BOOL;
			free(m->str);
			m->str = mem_strdup(word);
		} else if (ev->data.scalar.plain_implicit &&
		    (strcmp(m->str, "~") == 0 || strcmp(m->str, "null") == 0)) {
			m->str[0] = '\0';
		}
		*out = m;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		m = meta_new(ev->type == YAML_MAPPING_START_EVENT ? META_MAP :
		    META_LIST, key, line, col);
		if (read_members(r, m, depth + 1) == -1) {
			meta_free(m);
			return -1;
		}
		*out = m;
		return 0;
	case YAML_ALIAS_EVENT:
		return fail_at(r, &ev->start_mark,
		    "YAML aliases (*name) are not supported");
	default:
		return fail_at(r, &ev->start_mark, "unexpected YAML structure");
	}
}

/*
 * Starts reading yaml[0..len) of file (what: the name messages give it) up
 * to its root value.  Returns 1 with r->event the root value, 0 when there is
 * none (empty, or only comments), -1 after an error; the caller ends with
 * close_reader() in every case.
 */
static int
open_reader(struct reader *r, const char *file, const char *what, int first_line,
    const char *yaml, size_t len, int quiet)
{
	memset(r, 0, sizeof(*r));
	r->quiet = quiet;
	r->file = file;
	r->what = what;
	r->first_line = first_line;
	for (size_t i = 0; i < len; i++)
		r->lines += yaml[i] == '\n';
	if (!yaml_parser_initialize(&r->parser)) {
		msg_at(MSG_ERROR, file, first_line, 0, "%s: out of memory", what);
		return -1;
	}
	r->open = 1;
	yaml_parser_set_input_string(&r->parser, (const unsigned char *)yaml, len);
	yaml_parser_set_encoding(&r->parser, YAML_UTF8_ENCODING);
	/* The stream start, then a document start or (for an empty block) the stream end. */
	if (next_event(r) == -1 || next_event(r) == -1)
		return -1;
	if (r->event.type == YAML_STREAM_END_EVENT)
		return 0;
	if (next_event(r) == -1)			/* the root value */
		return -1;
	if (r->event.type == YAML_SCALAR_EVENT && r->event.data.scalar.length == 0 &&
	    r->event.data.scalar.plain_implicit)
		return 0;				/* only comments */
	return 1;
}

/* After the root value: the document's end, then the stream's, with nothing between. */
static int
finish_reader(struct reader *r)
{
	if (next_event(r) == -1 || next_event(r) == -1)
		return -1;
	if (r->event.type != YAML_STREAM_END_EVENT) {
		fail_at(r, &r->event.start_mark, "only one YAML document is allowed");
		return -1;
	}
	return 0;
}

static void
close_reader(struct reader *r)
{
	if (!r->open)
		return;
	yaml_event_delete(&r->event);
	yaml_parser_delete(&r->parser);
}

/*
 * Finds a line "key：value" in yaml[0..len): a key (no space, quote or colon
 * in it, after any indentation and "- ") followed by U+FF1A, the colon of a
 * Chinese keyboard, where YAML needs ':'.  Returns its line (0 the first)
 * with the colon's column (from 1, in characters) in *col, or -1.
 */
static int
fullwidth_colon(const char *yaml, size_t len, int *col)
{
	size_t i = 0, start;
	int line = 0, chars;

	while (i < len) {
		chars = 0;
		while (i < len && yaml[i] == ' ')
			i++, chars++;
		if (i + 1 < len && yaml[i] == '-' && yaml[i + 1] == ' ')
			i += 2, chars += 2;
		start = i;
		while (i < len && !strchr(" \t\n:#'\"[{", yaml[i]) &&
		    !(i + 2 < len && memcmp(yaml + i, "\xEF\xBC\x9A", 3) == 0)) {
			chars += ((unsigned char)yaml[i] & 0xC0) != 0x80;
			i++;
		}
		if (i > start && i + 2 < len && memcmp(yaml + i, "\xEF\xBC\x9A", 3) == 0) {
			*col = chars + 1;
			return line;
		}
		while (i < len && yaml[i] != '\n')
			i++;
		i++;
		line++;
	}
	return -1;
}

/*
 * After a failed quiet parse: a full-width colon where ':' is meant is said so,
 * since libyaml's own message ("could not find expected ':'") does not show it.
 */
static int
report_slip(const char *file, const char *what, int first_line, const char *yaml, size_t len)
{
	int line, col;

	if ((line = fullwidth_colon(yaml, len, &col)) < 0)
		return 0;
	msg_at(MSG_ERROR, file, first_line + line, col, "%s: the line has '：' (a "
	    "full-width colon) where ':' is meant: write 'key: value'", what);
	return 1;
}

static int
parse_map(const char *file, const char *yaml, size_t len, int first_line, struct meta *map,
    int quiet)
{
	struct reader r;
	int rc;

	rc = open_reader(&r, file, "front matter", first_line, yaml, len, quiet);
	if (rc == 1 && r.event.type != YAML_MAPPING_START_EVENT) {
		fail_at(&r, &r.event.start_mark,
		    "expected 'key: value' lines (a YAML mapping)");
		rc = -1;
	}
	if (rc == 1)
		rc = read_members(&r, map, 1) == -1 || finish_reader(&r) == -1 ? -1 : 0;
	close_reader(&r);
	return rc;
}

int
meta_parse(const char *file, const char *yaml, size_t len, int first_line,
    struct meta *map)
{
	struct meta *before = map->last, *c, *next;

	if (parse_map(file, yaml, len, first_line, map, 1) != -1)
		return 0;
	/* The first try's members are dropped: the second, which reports, starts afresh. */
	for (c = before ? before->next : map->first; c != NULL; c = next) {
		next = c->next;
		c->next = NULL;
		meta_free(c);
	}
	if (before)
		before->next = NULL;
	else
		map->first = NULL;
	map->last = before;
	if (report_slip(file, "front matter", first_line, yaml, len))
		return -1;
	return parse_map(file, yaml, len, first_line, map, 0);
}

static int
parse_data(const char *file, const char *yaml, size_t len, struct meta **out, int quiet)
{
	struct reader r;
	int rc;

	*out = NULL;
	rc = open_reader(&r, file, "YAML", 1, yaml, len, quiet);
	if (rc == 1 && read_value(&r, NULL, 1, out) == -1)
		rc = -1;
	if (rc == 1 && finish_reader(&r) == -1) {
		meta_free(*out);
		*out = NULL;
		rc = -1;
	}
	close_reader(&r);
	return rc == 1 ? 0 : rc;
}

int
meta_parse_data(const char *file, const char *yaml, size_t len, struct meta **out)
{
	if (parse_data(file, yaml, len, out, 1) != -1)
		return 0;
	if (report_slip(file, "YAML", 1, yaml, len))
		return -1;
	return parse_data(file, yaml, len, out, 0);
}

void
meta_put_date(struct buf *out, const char *s)
{
	int y, m, d, used = 0;

	if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 &&
	    used == 10 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
		buf_printf(out, "%d年%d月%d日", y, m, d);
	else
		buf_puts(out, s);
}
