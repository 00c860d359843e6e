/* Bulletin issues kept as a folder: issue.yaml and one Markdown file per article, read as one document. */
#ifndef GALLEY_ISSUE_H
#define GALLEY_ISSUE_H

#include <stddef.h>

#include "doc.h"

/*
 * When path names an issue folder (a directory holding issue.yaml) or an
 * issue.yaml file, returns the folder's path without a trailing '/', a new
 * string the caller frees; else NULL.
 */
char *issue_folder(const char *path);

/* The issue.yaml of folder (from issue_folder()), a new string the caller frees. */
char *issue_yaml_path(const char *folder);

/*
 * Reads the issue folder doc->source names into doc (made by doc_new(folder)):
 * issue.yaml's keys become the front matter, with 'sections' turned into the
 * list of section titles and 'style' bulletin unless it names another; each
 * section becomes a level-1 heading (title, id, classes from issue.yaml) and
 * each of its articles a level-2 heading (the article's front-matter title,
 * or its first heading), a byline paragraph (.byline: author or byline, and
 * date) and the article's blocks, their headings moved under the article.
 * Relative image and link URLs of an article, written from the article's
 * folder, are rewritten from the issue's parent folder, where the document's
 * outputs go.  Nodes keep their own file (doc->files[0] is issue.yaml).
 * Article paths are held to img_resolve()'s rules from issue.yaml's folder
 * (no absolute path, nothing out of the folder through ".." or a symbolic
 * link) unless trust (--trust-paths) is set.
 * Calls on_read(ctx, path) for issue.yaml and every article file; adds the
 * bytes of the files read to *bytes.  Returns 0, or -1 after reporting every
 * error at its file, line and column.
 */
int issue_read(struct doc *doc, int trust, void (*on_read)(void *ctx, const char *path), void *ctx,
    size_t *bytes);

/*
 * Reads only the front matter of the issue at path (a folder, its
 * issue.yaml, or a single Markdown file) into map, a META_MAP the caller
 * owns, as issue_read() would set it.  Returns 0, or -1 after reporting.
 */
int issue_read_meta(const char *path, struct meta *map,
    void (*on_read)(void *ctx, const char *path), void *ctx);

/*
 * Makes doc (a new, empty document) the index page of the issues at
 * paths[0..n) (folders, issue.yaml files or single Markdown files), all
 * built into one output folder: its front matter holds the newest issue's
 * title, subtitle and publisher, and 'issues', a list of maps (title,
 * issue, serial, date, sections, html, pdf: the outputs' names) newest
 * first by date.  Returns 0, or -1 after reporting.
 */
int issue_index(struct doc *doc, char *const *paths, size_t n,
    void (*on_read)(void *ctx, const char *path), void *ctx);

#endif
