/* File system access: whole-file reads, atomic writes, directories and path pieces. */
#ifndef GALLEY_FS_H
#define GALLEY_FS_H

#include <stddef.h>

#include "buf.h"

/* Appends the contents of path to out; returns 0, or -1 with errno set. */
int fs_read(const char *path, struct buf *out);

/*
 * Writes data to path through a temporary file in the same directory that is
 * renamed over path, so path holds either its old contents or all of the new
 * ones.  Creates missing parent directories.  Returns 0, or -1 with errno set.
 */
int fs_write_atomic(const char *path, const char *data, size_t len);

/* Creates path and its missing parents; returns 0, or -1 with errno set. */
int fs_mkdirs(const char *path);

/* Returns 1 when path names an existing regular file. */
int fs_is_file(const char *path);

/*
 * Finds the file name names, relative to the directory of the document at
 * docpath, for reading data the document names (term bases).  Without trust
 * the name may not be absolute, and the file it leads to (after "..", "."
 * and symbolic links) must lie inside the document's directory or inside
 * the current working directory.  Returns the file's real path, a new
 * string the caller frees, or NULL with the reason appended to why (it does
 * not exist, is not a regular file, lies outside).
 */
char *fs_confine(const char *docpath, const char *name, int trust, struct buf *why);

/*
 * Returns path with "." components and "dir/.." pairs taken out, for
 * messages ("content/a/../terms/x.yaml" gives "content/terms/x.yaml"); a
 * leading ".." stays.  A new string the caller frees.
 */
char *fs_tidy(const char *path);

/* Each returns a new string the caller frees. */
char *fs_join(const char *dir, const char *name);
char *fs_dirname(const char *path);
/*
 * The last path component ("a/b.md" gives "b.md"); for "." and ".." the
 * name of the folder they stand for.
 */
char *fs_basename(const char *path);
/* The last path component without its final extension ("a/b.md" gives "b"). */
char *fs_stem(const char *path);

#endif
