/* Checks on the finished model that every output relies on: safe URLs, raw HTML, image paths. */
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "img.h"
#include "mem.h"
#include "msg.h"

int
check_url_is_dangerous(const char *url)
{
	static const char *const images[] = {
		"image/png", "image/gif", "image/jpeg", "image/webp"
	};
	struct buf scheme = BUF_INIT;
	const unsigned char *s = (const unsigned char *)url;
	int dangerous = 0;
	size_t i;

	/* Browsers skip leading controls and spaces and ignore tabs and newlines in a URL. */
	while (*s && *s <= ' ')
		s++;
	for (; *s && *s != ':'; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.'))
			break;
		buf_putc(&scheme, (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s));
	}
	if (*s == ':') {
		const char *name = buf_str(&scheme);
		if (strcmp(name, "javascript") == 0 || strcmp(name, "vbscript") == 0 ||
		    strcmp(name, "file") == 0)
			dangerous = 1;
		else if (strcmp(name, "data") == 0) {
			dangerous = 1;
			for (i = 0; i < sizeof(images) / sizeof(images[0]); i++)
				if (strncasecmp((const char *)s + 1, images[i],
				    strlen(images[i])) == 0)
					dangerous = 0;
		}
	}
	buf_free(&scheme);
	return dangerous;
}

struct safety {
	struct doc	*doc;
	int		 allow_raw;
	int		 raw_count;
	int		 raw_line;
	int		 raw_col;
	const char	*raw_file;	/* borrowed from doc */
};

static void
where(const struct doc *doc, const struct doc_node *n, int *line, int *col,
    const char **file)
{
	while (n != NULL && n->line == 0)
		n = n->parent;
	*line = n ? n->line : 0;
	*col = n ? n->col : 0;
	*file = doc_node_file(doc, n);
}

/* Whether raw HTML s is nothing but comments (<!-- … -->) and white space. */
static int
only_comments(const char *s)
{
	const char *end;

	if (s == NULL)
		return 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (*s == '\0')
			return 1;
		if (strncmp(s, "<!--", 4) != 0 || (end = strstr(s + 4, "-->")) == NULL)
			return 0;
		s = end + 3;
	}
}

static void
check_node(struct safety *st, struct doc_node *n)
{
	struct doc_node *c, *next;
	const char *file;
	int line, col, removed = 0;

	if ((n->type == DOC_LINK || n->type == DOC_IMAGE) && n->url &&
	    check_url_is_dangerous(n->url)) {
		where(st->doc, n, &line, &col, &file);
		msg_at(MSG_WARNING, file, line, col,
		    "unsafe URL '%.60s' removed", n->url);
		free(n->url);
		n->url = mem_strdup("");
	}
	for (c = n->first; c != NULL; c = next) {
		next = c->next;
		if (!st->allow_raw &&
		    (c->type == DOC_RAWBLOCK || c->type == DOC_RAWINLINE)) {
			/* An editor's note (<!-- 编者按 -->) is not content: it goes unremarked. */
			if (!only_comments(c->text) && st->raw_count++ == 0)
				where(st->doc, c, &st->raw_line, &st->raw_col,
				    &st->raw_file);
			doc_unlink(c);
			doc_node_free(c);
			removed = 1;
			continue;
		}
		check_node(st, c);
	}
	if (removed)
		doc_merge_texts(n);
}

void
check_safety(struct doc *doc, int allow_raw)
{
	struct safety st = { doc, allow_raw, 0, 0, 0, NULL };

	check_node(&st, doc->root);
	if (st.raw_count > 0)
		msg_at(MSG_WARNING, st.raw_file, st.raw_line, st.raw_col,
		    "raw HTML omitted (%d %s, the first here); allow it with "
		    "'unsafe: true' in the front matter or --unsafe",
		    st.raw_count, st.raw_count == 1 ? "place" : "places");
}

/* The image files read whole so far by check_images(): each is read once. */
struct probed {
	char	**paths;	/* owned */
	size_t	  n;
};

static int
was_probed(const struct probed *pr, const char *path)
{
	for (size_t i = 0; i < pr->n; i++)
		if (strcmp(pr->paths[i], path) == 0)
			return 1;
	return 0;
}

static void
check_image_node(const struct doc *doc, const struct doc_node *n, int trust_paths,
    int missing_is_error, struct probed *pr)
{
	struct buf why = BUF_INIT;
	enum img_refusal refusal = IMG_UNREADABLE;
	struct img_info info;
	const char *file;
	char *path;
	int line, col;

	/* An empty URL was written so, or emptied by check_safety, which said so. */
	if (n->url == NULL || *n->url == '\0')
		return;
	path = img_resolve(doc->source, n->url, trust_paths, &why, &refusal);
	/*
	 * For the page the file is read too (a truncated or damaged file), so that
	 * every bad image is reported in this one walk, in order, before the layout.
	 */
	if (path != NULL && missing_is_error && !was_probed(pr, path)) {
		if (img_probe(path, &info, &why) == -1) {
			free(path);
			path = NULL;
		} else {
			/* A file shown by several figures (a logo in every article) is read once. */
			pr->paths = mem_realloc(pr->paths, (pr->n + 1) * sizeof(*pr->paths));
			pr->paths[pr->n++] = mem_strdup(path);
		}
	}
	if (path == NULL && refusal != IMG_NOT_A_FILE) {
		where(doc, n, &line, &col, &file);
		msg_at(refusal == IMG_OUTSIDE || missing_is_error ? MSG_ERROR : MSG_WARNING,
		    file, line, col, "image '%s': %s", n->url, buf_str(&why));
	}
	free(path);
	buf_free(&why);
}

void
check_images(const struct doc *doc, int trust_paths, int missing_is_error)
{
	const struct doc_node *n = doc->root;
	struct probed pr = { NULL, 0 };

	/* Walked without recursion: filters may nest elements very deep. */
	while (n != NULL) {
		if (n->type == DOC_IMAGE)
			check_image_node(doc, n, trust_paths, missing_is_error, &pr);
		if (n->first != NULL) {
			n = n->first;
			continue;
		}
		while (n != doc->root && n->next == NULL)
			n = n->parent;
		n = n == doc->root ? NULL : n->next;
	}
	for (size_t i = 0; i < pr.n; i++)
		free(pr.paths[i]);
	free(pr.paths);
}
