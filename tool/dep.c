/* Dependency lists: the files a build read, spelt as make spells them and written as make rules. */
#include "dep.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"

char *
dep_normalise(const char *path)
{
	char cwd[PATH_MAX];
	const char **parts, *p, *end;
	struct buf out = BUF_INIT;
	size_t n = 0, len, i, cwdlen;
	int absolute;

	if (path[0] == '/' && getcwd(cwd, sizeof(cwd)) != NULL &&
	    (cwdlen = strlen(cwd)) > 1 && strncmp(path, cwd, cwdlen) == 0 &&
	    path[cwdlen] == '/')
		path += cwdlen + 1;
	absolute = path[0] == '/';
	parts = mem_alloc((strlen(path) / 2 + 2) * sizeof(*parts));
	for (p = path; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, '/');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0 || (len == 1 && p[0] == '.'))
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 0 && strncmp(parts[n - 1], "../", 3) != 0 &&
			    strcmp(parts[n - 1], "..") != 0) {
				n--;
				continue;
			}
			if (absolute)
				continue;	/* "/.." is "/" */
		}
		parts[n++] = p;
	}
	if (absolute)
		buf_putc(&out, '/');
	for (i = 0; i < n; i++) {
		end = strchr(parts[i], '/');
		len = end ? (size_t)(end - parts[i]) : strlen(parts[i]);
		if (i > 0)
			buf_putc(&out, '/');
		buf_put(&out, parts[i], len);
	}
	if (out.len == 0)
		buf_putc(&out, '.');
	free(parts);
	return buf_take(&out);
}

void
dep_add(struct dep_list *list, const char *path)
{
	char *norm = dep_normalise(path);
	size_t i;

	for (i = 0; i < list->n; i++)
		if (strcmp(list->paths[i], norm) == 0) {
			free(norm);
			return;
		}
	list->paths = mem_realloc(list->paths, (list->n + 1) * sizeof(*list->paths));
	list->paths[list->n++] = norm;
}

void
dep_note(void *list, const char *path)
{
	dep_add(list, path);
}

void
dep_add_all(struct dep_list *to, const struct dep_list *from, size_t skip)
{
	size_t i, j;

	/* from's paths are normalised already: compare them as they are. */
	for (i = skip; i < from->n; i++) {
		for (j = 0; j < to->n; j++)
			if (strcmp(to->paths[j], from->paths[i]) == 0)
				break;
		if (j < to->n)
			continue;
		to->paths = mem_realloc(to->paths, (to->n + 1) * sizeof(*to->paths));
		to->paths[to->n++] = mem_strdup(from->paths[i]);
	}
}

void
dep_reset(struct dep_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		free(list->paths[i]);
	free(list->paths);
	list->paths = NULL;
	list->n = 0;
}

int
dep_escape(const char *path, struct buf *out)
{
	const char *p;
	size_t slashes = 0;

	if (strchr(path, '\n') != NULL || *path == '\0')
		return -1;
	for (p = path; *p != '\0'; p++) {
		switch (*p) {
		case ' ':
		case '\t':
			/* Backslashes before a blank are doubled, then the blank is escaped. */
			while (slashes-- > 0)
				buf_putc(out, '\\');
			buf_putc(out, '\\');
			break;
		case '#':
			buf_putc(out, '\\');
			break;
		case '$':
			buf_putc(out, '$');
			break;
		default:
			break;
		}
		slashes = *p == '\\' ? slashes + 1 : 0;
		buf_putc(out, *p);
	}
	return 0;
}

int
dep_rule(const char *const *targets, size_t ntargets, const struct dep_list *deps,
    struct buf *out)
{
	size_t i, before;
	int left_out = 0, rc;

	char *norm;

	for (i = 0; i < ntargets; i++) {
		before = out->len;
		if (i > 0)
			buf_putc(out, ' ');
		norm = dep_normalise(targets[i]);
		rc = dep_escape(norm, out);
		free(norm);
		if (rc == -1) {
			out->len = before;
			out->data[before] = '\0';
			left_out++;
		}
	}
	buf_putc(out, ':');
	for (i = 0; i < deps->n; i++) {
		before = out->len;
		buf_puts(out, " \\\n ");
		if (dep_escape(deps->paths[i], out) == -1) {
			out->len = before;
			out->data[before] = '\0';
			left_out++;
		}
	}
	buf_putc(out, '\n');
	return left_out;
}

void
dep_phony(const struct dep_list *deps, struct buf *out)
{
	size_t i, before;

	for (i = 0; i < deps->n; i++) {
		before = out->len;
		buf_putc(out, '\n');
		if (dep_escape(deps->paths[i], out) == -1) {
			out->len = before;
			out->data[before] = '\0';
			continue;
		}
		buf_puts(out, ":\n");
	}
}
