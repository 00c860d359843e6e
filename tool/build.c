/* One document through the pipeline: read, front matter, Markdown, checks, outputs. */
#include "build.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "data.h"
#include "dep.h"
#include "font.h"
#include "fs.h"
#include "issue.h"
#include "lay.h"
#include "pdf.h"
#include "lf.h"
#include "md.h"
#include "mem.h"
#include "meta.h"
#include "msg.h"
#include "schema.h"
#include "utf8.h"
#include "xml.h"

struct loaded_style {
	char			*name;
	int			 ok;	/* it loaded without errors */
	struct html_style	*html;
	struct html_style	*form;	/* comments.xsl: the comment form, loaded on first use */
	int			 form_read;	/* 1 read, -1 failed, 0 not yet */
	char			*css;	/* common CSS then the style's */
	char			*defaults_path;
	struct meta		*defaults; /* styles/NAME/defaults.yaml, a META_MAP */
	int			 page_read;	/* 1 read, -1 failed, 0 not yet (only layouts need it) */
	struct lay_page_style	 page;
	struct dep_list		 deps;	/* the files loading it read: XSLT, CSS, YAML */
};

struct build {
	const struct build_opts	*opts;
	struct font_set		*fonts;		/* opened on first use, shared by the documents */
	/* fontconfig reading its caches for fonts, on a thread while the filters run. */
	pthread_t		 fonts_thread;
	int			 fonts_opening;
	struct font_set		*fonts_opened;
	double			 stage_ms[6];	/* the current document's: see stage_names */
	struct loaded_style	*styles;
	size_t			 nstyles;
	struct dep_list		 deps;		/* the current document's: the source first */
	struct buf		 rules;		/* the depfile's rules so far, a document each */
	/* Every dependency, sources too: make must not stop at a source that moved away. */
	struct dep_list		 phony;
	int			 failed;	/* a document failed: no depfile is written */
	struct loaded_style	*current;	/* the style of the document just built */
};

struct build *
build_new(const struct build_opts *opts)
{
	struct build *b = mem_zalloc(1, sizeof(*b));

	b->opts = opts;
	return b;
}

/* Opens the font set on its own thread (fontconfig's caches cost 30 M instructions). */
static void *
fonts_run(void *arg)
{
	struct build *b = arg;

	b->fonts_opened = font_set_new();
	return NULL;
}

/* Starts opening the font set unless it is open or opening; fonts() takes it. */
static void
fonts_start(struct build *b)
{
	if (b->fonts == NULL && !b->fonts_opening)
		b->fonts_opening = pthread_create(&b->fonts_thread, NULL, fonts_run, b) == 0;
}

/* The font set: the one fonts_start() opened, else opened here. */
static struct font_set *
fonts(struct build *b)
{
	if (b->fonts_opening) {
		pthread_join(b->fonts_thread, NULL);
		b->fonts_opening = 0;
		b->fonts = b->fonts_opened;
	}
	if (b->fonts == NULL)
		b->fonts = font_set_new();
	return b->fonts;
}

void
build_free(struct build *b)
{
	size_t i;

	if (b == NULL)
		return;
	if (b->fonts_opening)
		fonts(b);
	for (i = 0; i < b->nstyles; i++) {
		free(b->styles[i].name);
		html_style_free(b->styles[i].html);
		html_style_free(b->styles[i].form);
		free(b->styles[i].css);
		free(b->styles[i].defaults_path);
		meta_free(b->styles[i].defaults);
		if (b->styles[i].page_read != 0)
			lay_page_style_free(&b->styles[i].page);
		dep_reset(&b->styles[i].deps);
	}
	free(b->styles);
	dep_reset(&b->deps);
	buf_free(&b->rules);
	dep_reset(&b->phony);
	font_set_free(b->fonts);
	free(b);
}

/* Reports a byte offset of src as line and character column. */
static void
locate(const char *src, size_t off, int *line, int *col)
{
	size_t i, bol = 0;

	*line = 1;
	for (i = 0; i < off; i++)
		if (src[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = (int)utf8_count(src + bol, off - bol) + 1;
}

/* Length of the line at off without its terminator; *next is where the next line starts. */
static size_t
line_at(const char *s, size_t len, size_t off, size_t *next)
{
	size_t end = off;

	while (end < len && s[end] != '\n')
		end++;
	*next = end < len ? end + 1 : end;
	if (end > off && s[end - 1] == '\r')
		end--;
	return end - off;
}

static int
is_fence(const char *s, size_t n, const char *fence)
{
	while (n > 3 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(s, fence, 3) == 0;
}

/*
 * Reads a leading "---" YAML block into doc->meta and blanks it in src (all
 * but the newlines become spaces) so that Markdown lines keep their numbers.
 */
static int
take_front_matter(const char *path, char *src, size_t len, struct doc *doc)
{
	size_t off, next, n, body, end;

	n = line_at(src, len, 0, &next);
	if (!is_fence(src, n, "---"))
		return 0;
	body = next;
	for (off = body; off < len; off = next) {
		n = line_at(src, len, off, &next);
		if (is_fence(src + off, n, "---") || is_fence(src + off, n, "..."))
			break;
	}
	if (off >= len) {
		msg_at(MSG_ERROR, path, 1, 1, "front matter is not closed "
		    "(a line '---' or '...' must end it)");
		return -1;
	}
	end = next;
	if (meta_parse(path, src + body, off - body, 2, doc->meta) == -1)
		return -1;
	for (n = 0; n < end; n++)
		if (src[n] != '\n' && src[n] != '\r')
			src[n] = ' ';
	return 0;
}

static void
apply_overrides(struct meta *map, const struct meta *overrides)
{
	const struct meta *o;

	if (overrides == NULL)
		return;
	for (o = overrides->first; o != NULL; o = o->next) {
		meta_set_str(map, o->key, o->str);
		if (o->type == META_BOOL)
			((struct meta *)meta_get(map, o->key))->type = META_BOOL;
	}
}

/*
 * Warns about characters that hide in text: control characters (other than
 * tab and line ends) and the bidirectional embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), which reorder the text shown after them
 * (a U+202E can make "gpj.exe" read "exe.jpg").  One warning a kind, at its
 * first place, with the count.  src is valid UTF-8.
 */
static void
check_hidden_chars(const char *path, const char *src, size_t len)
{
	size_t i = 0, step, count[2] = { 0, 0 }, first[2] = { 0, 0 };
	int32_t cp, code[2] = { 0, 0 };
	int kind, later, line, col;

	while (i < len) {
		step = utf8_decode(src + i, len - i, &cp);
		if (step == 0)
			step = 1;
		kind = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7F && cp <= 0x9F) ? 0 :
		    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ? 1 : -1;
		if (kind >= 0 && count[kind]++ == 0) {
			first[kind] = i;
			code[kind] = cp;
		}
		i += step;
	}
	/* In the order of their first places. */
	later = count[0] && count[1] && first[1] < first[0] ? 0 : 1;
	for (kind = 1 - later; kind >= 0 && kind <= 1; kind += later == 1 ? 1 : -1) {
		if (count[kind] == 0)
			continue;
		locate(src, first[kind], &line, &col);
		msg_at(MSG_WARNING, path, line, col, "%s U+%04X in the text (%zu %s, the "
		    "first here); delete %s", kind == 0 ? "control character" :
		    "bidirectional control", (unsigned)code[kind], count[kind],
		    count[kind] == 1 ? "place" : "places", kind == 0 ? "it: it shows nothing" :
		    "it: it reorders the text shown after it");
	}
}

int
build_parse(const char *path, const char *src, size_t len, struct doc *doc,
    const struct meta *overrides, enum schema_place place)
{
	char *text;
	size_t bad;
	int line, col, rc = -1;

	if ((bad = utf8_check(src, len)) < len) {
		locate(src, bad, &line, &col);
		msg_at(MSG_ERROR, path, line, col,
		    "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
		    (unsigned char)src[bad]);
		return -1;
	}
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
		src += 3;
		len -= 3;
	}
	check_hidden_chars(path, src, len);
	text = mem_strndup(src, len);
	doc_set_text(doc, 0, mem_strndup(src, len), len);
	if (take_front_matter(path, text, len, doc) == -1)
		goto out;
	apply_overrides(doc->meta, overrides);
	if (schema_check(place, path, doc->meta) == -1)
		goto out;
	if (md_parse(doc, text, len) == -1)
		goto out;
	rc = 0;
out:
	free(text);
	return rc;
}

static int
valid_style_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '_'))
			return 0;
	return 1;
}

void
build_dep_add(void *ctx, const char *path)
{
	struct build *b = ctx;

	dep_add(&b->deps, path);
}

/* Appends the data file rel (found by data_find) to out, recording it in deps. */
static int
read_data(const char *rel, struct buf *out, struct dep_list *deps)
{
	char *path = data_find(rel);
	int rc;

	if (path == NULL)
		return -1;
	dep_add(deps, path);
	rc = fs_read(path, out);
	if (rc == -1)
		msg_at(MSG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
	free(path);
	return rc;
}

/* Reads styles/NAME/defaults.yaml, when the style has one, into ls->defaults. */
static int
load_defaults(struct loaded_style *ls)
{
	struct buf rel = BUF_INIT, text = BUF_INIT;
	int rc = 0;

	ls->defaults = meta_new(META_MAP, NULL, 0, 0);
	buf_printf(&rel, "styles/%s/defaults.yaml", ls->name);
	if ((ls->defaults_path = data_find(buf_str(&rel))) == NULL)
		goto out;
	dep_add(&ls->deps, ls->defaults_path);
	if (fs_read(ls->defaults_path, &text) == -1) {
		msg_at(MSG_ERROR, ls->defaults_path, 0, 0, "cannot read: %s",
		    strerror(errno));
		rc = -1;
	} else if (meta_parse(ls->defaults_path, buf_str(&text), text.len, 1,
	    ls->defaults) == -1 ||
	    schema_check(SCHEMA_DEFAULTS, ls->defaults_path, ls->defaults) == -1)
		rc = -1;
out:
	buf_free(&rel);
	buf_free(&text);
	return rc;
}

/*
 * Returns the loaded style called name, loading it on first use; NULL after
 * reporting an error at where (in path), for each document that names a
 * style that is unknown or did not load.  Only styles that exist are kept.
 */
static struct loaded_style *
get_style(struct build *b, const char *name, const char *path,
    const struct meta *where)
{
	struct loaded_style *ls;
	struct buf rel = BUF_INIT, css = BUF_INIT, places = BUF_INIT;
	int line = where ? where->line : 0, col = where ? where->col : 0;
	char *xsl;
	size_t i;

	for (i = 0; i < b->nstyles; i++)
		if (strcmp(b->styles[i].name, name) == 0) {
			if (b->styles[i].ok)
				return &b->styles[i];
			msg_at(MSG_ERROR, path, line, col, "style '%s' is unusable "
			    "(the errors loading it are reported above)", name);
			return NULL;
		}
	buf_printf(&rel, "styles/%s/html.xsl", name);
	if (!valid_style_name(name) || (xsl = data_find(buf_str(&rel))) == NULL) {
		data_describe("styles", &places);
		msg_at(MSG_ERROR, path, line, col, "unknown style '%s' (looked in %s)",
		    name, buf_str(&places));
		ls = NULL;
		goto out;
	}
	b->styles = mem_realloc(b->styles, (b->nstyles + 1) * sizeof(*b->styles));
	ls = &b->styles[b->nstyles++];
	memset(ls, 0, sizeof(*ls));
	ls->name = mem_strdup(name);
	ls->html = html_style_load(xsl);
	free(xsl);
	if (ls->html != NULL)
		html_style_files(ls->html, dep_note, &ls->deps);
	if (read_data("styles/common/base.css", &css, &ls->deps) == 0)
		buf_putc(&css, '\n');
	buf_reset(&rel);
	buf_printf(&rel, "styles/%s/style.css", name);
	read_data(buf_str(&rel), &css, &ls->deps);
	ls->css = buf_take(&css);
	ls->ok = ls->html != NULL && load_defaults(ls) == 0;
	if (!ls->ok)
		ls = NULL;
out:
	buf_free(&rel);
	buf_free(&places);
	buf_free(&css);
	return ls;
}

/* Fills in front-matter keys the document leaves out from the style's 'metadata' defaults. */
static void
apply_defaults(struct meta *map, const struct meta *defaults)
{
	const struct meta *d = meta_get(defaults, "metadata"), *m;

	for (m = d ? d->first : NULL; m != NULL; m = m->next)
		if (meta_get(map, m->key) == NULL)
			meta_append(map, meta_clone(m, m->key));
}

/*
 * Finds the filter called name: a path as given when it has a '/', else
 * NAME(.lua) beside the document, then in lua-filters/ of the data places.
 */
static char *
find_filter(const char *docpath, const char *name)
{
	struct buf file = BUF_INIT, rel = BUF_INIT;
	char *dir, *path = NULL;
	size_t n = strlen(name);

	if (strchr(name, '/') != NULL)
		return fs_is_file(name) ? mem_strdup(name) : NULL;
	buf_puts(&file, name);
	if (n < 4 || strcmp(name + n - 4, ".lua") != 0)
		buf_puts(&file, ".lua");
	dir = fs_dirname(docpath);
	path = fs_join(dir, buf_str(&file));
	free(dir);
	if (!fs_is_file(path)) {
		free(path);
		buf_printf(&rel, "lua-filters/%s", buf_str(&file));
		path = data_find(buf_str(&rel));
	}
	buf_free(&file);
	buf_free(&rel);
	return path;
}

struct filter_list {
	char	**paths;
	size_t	  n;
};

static void
add_filter(struct filter_list *fl, const char *docpath, const char *name,
    const char *file, int line, int col)
{
	struct buf places = BUF_INIT;
	char *path = find_filter(docpath, name);
	size_t i;

	if (path == NULL) {
		data_describe("lua-filters", &places);
		msg_at(MSG_ERROR, file, line, col, "unknown filter '%s' (looked beside "
		    "the document and in %s)", name, buf_str(&places));
		buf_free(&places);
		return;
	}
	for (i = 0; i < fl->n; i++)
		if (strcmp(fl->paths[i], path) == 0) {
			free(path);	/* named twice: it runs once, at its first place */
			return;
		}
	fl->paths = mem_realloc(fl->paths, (fl->n + 1) * sizeof(*fl->paths));
	fl->paths[fl->n++] = path;
}

static void
add_filters(struct filter_list *fl, const char *docpath, const struct meta *m,
    const char *file)
{
	const struct meta *c;

	if (m == NULL)
		return;
	if (m->type == META_STRING) {
		if (*m->str)
			add_filter(fl, docpath, m->str, file, m->line, m->col);
		return;
	}
	for (c = m->first; c != NULL; c = c->next)
		add_filter(fl, docpath, c->str, file, c->line, c->col);
}

static void
free_filters(struct filter_list *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		free(fl->paths[i]);
	free(fl->paths);
}

/* The FORMAT global and galley.outputs for the filters. */
static void
describe_outputs(unsigned outputs, struct buf *list)
{
	static const char *const names[] = { "html", "xml", "tree", "layout", "pdf" };
	int i;

	for (i = 0; i < 5; i++)
		if (outputs & (1u << i))
			buf_printf(list, "%s%s", list->len ? "," : "", names[i]);
}

/* Writes data to path unless it already holds exactly that (keeps timestamps for make). */
static int
write_output(const char *path, const char *data, size_t len)
{
	struct buf old = BUF_INIT;
	int same;

	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			msg_at(MSG_ERROR, NULL, 0, 0, "cannot write standard output");
			return -1;
		}
		return 0;
	}
	same = fs_read(path, &old) == 0 && old.len == len &&
	    memcmp(old.data, data, len) == 0;
	buf_free(&old);
	if (same)
		return 0;
	if (fs_write_atomic(path, data, len) == -1) {
		msg_at(MSG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

enum stage { STAGE_PARSE, STAGE_FILTERS, STAGE_HTML, STAGE_LAYOUT, STAGE_PDF, STAGE_COUNT };
static const char *const stage_names[STAGE_COUNT] = { "parse", "filters", "html", "layout",
    "pdf" };

/* The calling thread's CPU time: it stays meaningful on a loaded CI machine
 * where wall time does not, and each stage runs on one thread. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Adds the time since *since to a stage and restarts the clock. */
static void
lap(struct build *b, enum stage stage, double *since)
{
	double t = now_ms();

	b->stage_ms[stage] += t - *since;
	*since = t;
}

/* Records the files the layout shows: its images and its fonts. */
static void
layout_deps(struct build *b, const struct lay_doc *ld)
{
	const struct font **seen = NULL;
	size_t i, j, nseen = 0;

	for (i = 0; i < ld->n; i++) {
		if (ld->boxes[i].kind == BOX_IMAGE && ld->boxes[i].path != NULL)
			dep_add(&b->deps, ld->boxes[i].path);
		if (ld->boxes[i].kind != BOX_GLYPHS || ld->boxes[i].font == NULL)
			continue;
		for (j = 0; j < nseen && seen[j] != ld->boxes[i].font; j++)
			;
		if (j < nseen)
			continue;
		seen = mem_realloc(seen, (nseen + 1) * sizeof(*seen));
		seen[nseen++] = ld->boxes[i].font;
		dep_add(&b->deps, font_path(ld->boxes[i].font));
	}
	free(seen);
}

/*
 * The pages, laid out on a second thread while the main one renders the HTML:
 * both only read the model, and no library is used by both.  The layout runs
 * on the new thread, not the HTML, because the memory the filters freed stays
 * with the main thread's allocator, and the HTML alone needs little beyond it.
 */
struct pages_job {
	const struct doc	*doc;
	const struct lay_page_style *page;
	struct font_set		*fonts;
	unsigned		 flags;
	struct buf		*dump;		/* the `layout` output, or NULL */
	struct lay_doc		 ld;
	int			 rc;		/* lay_document()'s */
	struct msg_queue	 said;		/* its messages, passed on once it is joined */
	double			 cpu_ms;
	pthread_t		 thread;
	int			 running;	/* on its own thread, not joined yet */
};

static void *
pages_job_run(void *arg)
{
	struct pages_job *job = arg;
	double t = now_ms();

	msg_divert(&job->said);
	job->rc = lay_document(job->doc, job->page, job->fonts, job->flags, &job->ld);
	if (job->rc == 0 && job->dump != NULL)
		lay_dump(&job->ld, job->dump);
	msg_divert(NULL);
	job->cpu_ms = now_ms() - t;
	return NULL;
}

/*
 * Starts laying out the pages, on a thread of their own when overlap asks for
 * one (and one is to be had), else here and now.  The page style is read once
 * a run.  The thread gets 64 MB of stack to reserve (pages are used only as
 * touched), whatever the stack limit makes the default: the layout recurses
 * as deep as the model nests.
 */
static void
pages_job_start(struct build *b, struct pages_job *job, const struct doc *doc,
    struct loaded_style *ls, struct buf *dump, int overlap)
{
	pthread_attr_t attr;

	fonts(b);
	if (ls->page_read == 0)
		ls->page_read = lay_page_style(ls->name, &ls->page, dep_note,
		    &ls->deps) == 0 ? 1 : -1;
	if (ls->page_read < 0) {
		msg_at(MSG_ERROR, doc->source, 0, 0, "the page style of '%s' is unusable",
		    ls->name);
		return;
	}
	job->doc = doc;
	job->page = &ls->page;
	job->fonts = b->fonts;
	job->flags = b->opts->trust_paths ? LAY_TRUST_PATHS : 0;
	job->dump = dump;
	if (overlap && pthread_attr_init(&attr) == 0) {
		if (pthread_attr_setstacksize(&attr, (size_t)64 << 20) == 0 &&
		    pthread_create(&job->thread, &attr, pages_job_run, job) == 0)
			job->running = 1;
		pthread_attr_destroy(&attr);
	}
	if (!job->running)
		pages_job_run(job);
}

/*
 * Waits for the layout, passes on what it said, then writes the PDF from it
 * into pdf (when not NULL).  Harmless for a job that never started.
 */
static void
pages_job_finish(struct build *b, struct pages_job *job, const struct doc *doc,
    struct buf *pdf)
{
	double t;

	if (job->doc == NULL)
		return;
	if (job->running)
		pthread_join(job->thread, NULL);
	job->running = 0;
	job->doc = NULL;
	msg_replay(&job->said);
	b->stage_ms[STAGE_LAYOUT] += job->cpu_ms;
	t = now_ms();
	if (job->rc == 0) {
		layout_deps(b, &job->ld);
		if (pdf) {
			struct pdf_info info = { doc->meta, b->opts->epoch, doc->source };
			pdf_write(&job->ld, &info, pdf);
		}
		lap(b, STAGE_PDF, &t);
	}
	lay_doc_free(&job->ld);
}

/*
 * The comment form (意见汇总表): styles/STYLE/comments.xsl over the model,
 * as HTML and as CSV.  Returns 0, or -1 after reporting an error.
 */
static int
render_form(const struct doc *doc, struct loaded_style *ls, const struct html_params *hp,
    struct buf *html, struct buf *csv)
{
	struct buf rel = BUF_INIT;
	char *xsl;

	if (ls->form_read == 0) {
		buf_printf(&rel, "styles/%s/comments.xsl", ls->name);
		if ((xsl = data_find(buf_str(&rel))) == NULL)
			msg_at(MSG_ERROR, doc->source, 0, 0, "the style '%s' has no comment "
			    "form (%s)", ls->name, buf_str(&rel));
		else if ((ls->form = html_style_load(xsl)) != NULL)
			html_style_files(ls->form, dep_note, &ls->deps);
		free(xsl);
		ls->form_read = ls->form ? 1 : -1;
		buf_free(&rel);
	}
	if (ls->form == NULL)
		return -1;
	return html_form_render(ls->form, doc, hp, html, csv);
}

/* Adds the rule of the document just built to the depfile's. */
static void
add_rule(struct build *b, const struct loaded_style *ls, const char *const *targets,
    size_t ntargets)
{
	dep_add_all(&b->deps, &ls->deps, 0);
	if (dep_rule(targets, ntargets, &b->deps, &b->rules) > 0)
		msg_at(MSG_WARNING, b->opts->depfile, 0, 0, "a path of %s holds a newline "
		    "and is left out: make cannot name it", b->deps.paths[0]);
	dep_add_all(&b->phony, &b->deps, 0);
}

/*
 * The pipeline after parsing: style, filters, checks and the outputs asked
 * for, into outs (and the comment form into form[0] and form[1] when form is
 * not NULL and the document asks for one).  front is the file of the front
 * matter; srclen the size of the source, which the filters' limits grow with.
 * b->current is then the style the document used (NULL when it had none).
 */
static int
run_pipeline(struct build *b, struct doc *doc, const char *front, size_t srclen,
    struct buf outs[BUILD_NOUTPUTS], struct buf *form, double *clock)
{
	const struct build_opts *o = b->opts;
	struct loaded_style *ls = NULL;
	struct filter_list filters = { NULL, 0 };
	struct lf_opts lopts;
	struct buf outputs = BUF_INIT;
	struct pages_job pages;
	const struct meta *style_meta;
	const char *style, *lang, *unsafe, *wants_form;
	int errors = msg_errors(), i;

	memset(&lopts, 0, sizeof(lopts));
	memset(&pages, 0, sizeof(pages));
	if (srclen == 0 || doc->root->first == NULL)
		msg_at(MSG_WARNING, doc->source, 0, 0, "the document has no text");
	style_meta = meta_get(doc->meta, "style");
	style = o->style ? o->style : style_meta ? style_meta->str : "article";
	if ((ls = get_style(b, style, front, o->style ? NULL : style_meta)) == NULL)
		goto done;
	b->current = ls;
	style = ls->name;	/* the filters may replace doc->meta, and style_meta with it */
	apply_defaults(doc->meta, ls->defaults);
	add_filters(&filters, front, meta_get(doc->meta, "filters"), front);
	add_filters(&filters, front, meta_get(ls->defaults, "filters"), ls->defaults_path);
	for (i = 0; i < (int)o->nfilters; i++)
		add_filter(&filters, front, o->filters[i], NULL, 0, 0);
	if (msg_errors() > errors)
		goto done;
	describe_outputs(o->outputs, &outputs);
	lopts.trusted = o->trust_filters;
	lopts.trust_paths = o->trust_paths;
	/* The limits stop runaway filters, not long documents: they grow with the source. */
	lopts.max_memory = ((size_t)256 << 20) + 64 * srclen;
	lopts.max_steps = 200000 + (long)(srclen / 10);
	lopts.max_seconds = o->filter_seconds ? o->filter_seconds : 60 + (int)(srclen >> 20);
	lopts.outputs = buf_str(&outputs);
	lopts.on_read = build_dep_add;
	lopts.dep_ctx = b;
	lopts.format = o->outputs & OUT_HTML ? "html" : o->outputs & OUT_XML ? "xml" :
	    o->outputs & OUT_PDF ? "pdf" : "tree";
	/* The layout's fonts are opened meanwhile. */
	if (!o->check_only && (o->outputs & (OUT_LAYOUT | OUT_PDF)))
		fonts_start(b);
	/* Filters see the ids headings will have; what they add gets ids after. */
	doc_assign_ids(doc);
	if (lf_run(doc, (const char *const *)filters.paths, filters.n, &lopts) == -1)
		goto done;
	lap(b, STAGE_FILTERS, clock);
	doc_assign_ids(doc);
	unsafe = meta_get_str(doc->meta, "unsafe");
	check_safety(doc, o->unsafe || (unsafe && strcmp(unsafe, "true") == 0));
	if (o->check_only || (o->outputs & (OUT_HTML | OUT_LAYOUT | OUT_PDF)))
		check_images(doc, o->trust_paths,
		    !o->check_only && (o->outputs & (OUT_LAYOUT | OUT_PDF)));
	lang = meta_get_str(doc->meta, "lang");
	if (lang == NULL || *lang == '\0')
		lang = "zh-CN";
	if (msg_errors() > errors || o->check_only)
		goto done;

	if (o->outputs & OUT_XML)
		xml_render(doc, style, lang, &outs[1]);
	if (o->outputs & OUT_TREE)
		doc_dump(doc, &outs[2]);
	if (o->outputs & (OUT_LAYOUT | OUT_PDF))
		pages_job_start(b, &pages, doc, ls, o->outputs & OUT_LAYOUT ? &outs[3] : NULL,
		    (o->outputs & OUT_HTML) != 0);
	if (o->outputs & OUT_HTML) {
		struct html_params hp = { style, lang, NULL, NULL };
		struct buf href = BUF_INIT;
		buf_printf(&href, "%s.css", style);
		if (o->self_contained)
			hp.css_text = ls->css;
		else
			hp.css_href = buf_str(&href);
		html_render(ls->html, doc, &hp, &outs[0]);
		buf_free(&href);
		/* What the HTML freed goes back to the system rather than wait in the
		 * main thread's arena while the layout's grows on its own: the peak. */
		if (pages.running)
			malloc_trim(0);
		lap(b, STAGE_HTML, clock);
	}
	pages_job_finish(b, &pages, doc, o->outputs & OUT_PDF ? &outs[4] : NULL);
	wants_form = meta_get_str(doc->meta, "comments-form");
	if (form != NULL && (o->comments_form || (wants_form && strcmp(wants_form, "true") == 0))) {
		struct html_params hp = { style, lang, NULL, NULL };
		render_form(doc, ls, &hp, &form[0], &form[1]);
	}
done:
	free_filters(&filters);
	buf_free(&outputs);
	return msg_errors() > errors ? -1 : 0;
}

/* Starts a document: its stage clock, its dependency list (path first). */
static void
begin_document(struct build *b, double *clock)
{
	*clock = now_ms();
	memset(b->stage_ms, 0, sizeof(b->stage_ms));
	b->current = NULL;
	dep_reset(&b->deps);
}

int
build_memory(struct build *b, const char *path, const char *src, size_t len,
    struct buf outs[BUILD_NOUTPUTS])
{
	struct doc *doc = doc_new(path);
	int rc = -1;
	double clock;

	begin_document(b, &clock);
	dep_add(&b->deps, path);
	if (build_parse(path, src, len, doc, b->opts->overrides, SCHEMA_FRONT_MATTER) == 0) {
		lap(b, STAGE_PARSE, &clock);
		rc = run_pipeline(b, doc, path, len, outs, NULL, &clock);
	}
	doc_free(doc);
	return rc;
}

int
build_file(struct build *b, const char *path)
{
	static const char *const exts[BUILD_NOUTPUTS + 2] = {
		".html", ".xml", ".tree", ".layout", ".pdf", ".comments.html", ".comments.csv"
	};
	const struct build_opts *o = b->opts;
	/* The outputs by OUT_* bit, then the comment form's two. */
	struct buf outs[BUILD_NOUTPUTS + 2] = {
		BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT
	};
	struct buf src = BUF_INIT;
	/* An issue folder: its issue.yaml and article files make one document. */
	char *folder = issue_folder(path);
	struct doc *doc = doc_new(folder ? folder : path);
	struct loaded_style *ls;
	size_t srclen = 0;
	char *targets[BUILD_NOUTPUTS + 3];
	size_t ntargets = 0;
	char *stem = NULL, *out;
	int errors = msg_errors(), i;
	double clock;

	begin_document(b, &clock);
	if (folder != NULL) {
		/* issue_read() names issue.yaml first: the rule's source. */
		if (issue_read(doc, o->trust_paths, build_dep_add, b, &srclen) == -1)
			goto done;
		apply_overrides(doc->meta, o->overrides);
		if (schema_check(SCHEMA_ISSUE, doc->files[0], doc->meta) == -1)
			goto done;
	} else {
		dep_add(&b->deps, path);
		if (fs_read(path, &src) == -1) {
			msg_at(MSG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
			goto done;
		}
		srclen = src.len;
		if (build_parse(path, src.data, src.len, doc, o->overrides,
		    SCHEMA_FRONT_MATTER) == -1)
			goto done;
	}
	lap(b, STAGE_PARSE, &clock);
	if (run_pipeline(b, doc, doc->files[0], srclen, outs, &outs[BUILD_NOUTPUTS],
	    &clock) == -1 || o->check_only)
		goto done;
	ls = b->current;
	stem = folder ? fs_basename(folder) : fs_stem(path);
	for (i = 0; i < BUILD_NOUTPUTS + 2; i++) {
		if (i < BUILD_NOUTPUTS ? !(o->outputs & (1u << i)) :
		    outs[i].len == 0 || strcmp(o->outdir, "-") == 0)
			continue;
		if (strcmp(o->outdir, "-") == 0)
			out = mem_strdup("-");
		else {
			struct buf name = BUF_INIT;
			buf_printf(&name, "%s%s", stem, exts[i]);
			out = fs_join(o->outdir, buf_str(&name));
			buf_free(&name);
		}
		write_output(out, buf_str(&outs[i]), outs[i].len);
		targets[ntargets++] = out;
	}
	if ((o->outputs & OUT_HTML) && !o->self_contained &&
	    strcmp(o->outdir, "-") != 0) {
		struct buf name = BUF_INIT;
		buf_printf(&name, "%s.css", ls->name);
		out = fs_join(o->outdir, buf_str(&name));
		write_output(out, ls->css, strlen(ls->css));
		targets[ntargets++] = out;
		buf_free(&name);
	}
	if (o->depfile != NULL && msg_errors() == errors)
		add_rule(b, ls, (const char *const *)targets, ntargets);
	if (o->stats) {
		struct buf line = BUF_INIT;
		for (i = 0; i < STAGE_COUNT; i++)
			buf_printf(&line, "%s%s %.1f ms", i ? ", " : "", stage_names[i],
			    b->stage_ms[i]);
		msg_note("%s: CPU time: %s", path, buf_str(&line));
		buf_free(&line);
	}
done:
	if (msg_errors() > errors)
		b->failed = 1;
	while (ntargets > 0)
		free(targets[--ntargets]);
	for (i = 0; i < BUILD_NOUTPUTS + 2; i++)
		buf_free(&outs[i]);
	buf_free(&src);
	free(stem);
	free(folder);
	doc_free(doc);
	return msg_errors() > errors ? -1 : 0;
}

int
build_index(struct build *b, char *const *paths, size_t n)
{
	const struct build_opts *o = b->opts;
	struct doc *doc = doc_new("index");
	struct loaded_style *ls;
	struct html_style *xsl = NULL;
	struct html_params hp = { "bulletin", "zh-CN", "bulletin.css", NULL };
	struct buf html = BUF_INIT, places = BUF_INIT;
	char *xsl_path = data_find("styles/bulletin/index.xsl"), *targets[2] = { NULL, NULL };
	const char *lang;
	int errors = msg_errors();

	dep_reset(&b->deps);
	if (xsl_path == NULL) {
		data_describe("styles", &places);
		msg_at(MSG_ERROR, NULL, 0, 0, "no styles/bulletin/index.xsl (looked in %s)",
		    buf_str(&places));
		goto done;
	}
	if ((ls = get_style(b, "bulletin", NULL, NULL)) == NULL ||
	    (xsl = html_style_load(xsl_path)) == NULL)
		goto done;
	html_style_files(xsl, build_dep_add, b);
	if (issue_index(doc, paths, n, build_dep_add, b) == -1)
		goto done;
	if ((lang = meta_get_str(doc->meta, "lang")) != NULL && *lang)
		hp.lang = lang;
	if (o->self_contained) {
		hp.css_href = NULL;
		hp.css_text = ls->css;
	}
	if (html_render(xsl, doc, &hp, &html) == -1 || msg_errors() > errors)
		goto done;
	if (strcmp(o->outdir, "-") == 0) {
		write_output("-", buf_str(&html), html.len);
		goto done;
	}
	targets[0] = fs_join(o->outdir, "index.html");
	write_output(targets[0], buf_str(&html), html.len);
	if (!o->self_contained) {
		targets[1] = fs_join(o->outdir, "bulletin.css");
		write_output(targets[1], ls->css, strlen(ls->css));
	}
	if (o->depfile != NULL && msg_errors() == errors)
		add_rule(b, ls, (const char *const *)targets, targets[1] ? 2 : 1);
done:
	if (msg_errors() > errors)
		b->failed = 1;
	free(targets[0]);
	free(targets[1]);
	free(xsl_path);
	html_style_free(xsl);
	buf_free(&html);
	buf_free(&places);
	doc_free(doc);
	return msg_errors() > errors ? -1 : 0;
}

int
build_finish(struct build *b)
{
	struct buf text = BUF_INIT;
	int rc = 0;

	if (b->opts->depfile == NULL || b->opts->check_only || b->failed ||
	    b->rules.len == 0)
		return 0;
	buf_puts(&text, buf_str(&b->rules));
	dep_phony(&b->phony, &text);
	if (write_output(b->opts->depfile, text.data, text.len) == -1)
		rc = -1;
	buf_free(&text);
	return rc;
}
