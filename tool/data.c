/* Finding galley's data files (styles, filters) in the working directory or installed. */
#include "data.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "mem.h"

/*
 * The data directory that goes with the running executable, found from
 * /proc/self/exe so that galley works from any directory and an installed
 * tree can be moved: a binary in a build tree (SRC/out/bin/galley, SRC
 * holding styles/) uses its source tree; any other uses PREFIX/share/galley
 * beside PREFIX/bin/galley.
 */
static char *
installed_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *bin, *prefix, *dir, *probe;
	const char *base;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	bin = fs_dirname(exe);
	prefix = fs_dirname(bin);
	base = strrchr(prefix, '/');
	if (strcmp(base ? base + 1 : prefix, "out") == 0) {
		dir = fs_dirname(prefix);
		probe = fs_join(dir, "styles/common/html.xsl");
		if (fs_is_file(probe)) {
			free(probe);
			free(bin);
			free(prefix);
			return dir;
		}
		free(probe);
		free(dir);
	}
	dir = fs_join(prefix, "share/galley");
	free(bin);
	free(prefix);
	return dir;
}

/* Returns the i-th place to look (a string the caller frees), or NULL. */
static char *
data_dir(int i)
{
	const char *env;

	switch (i) {
	case 0:
		return mem_strdup(".");
	case 1:
		env = getenv("GALLEY_DATA");
		return env && *env ? mem_strdup(env) : NULL;
	case 2:
		return installed_dir();
	default:
		return NULL;
	}
}

char *
data_find(const char *rel)
{
	char *path, *dir;
	int i;

	for (i = 0; i < 3; i++) {
		if ((dir = data_dir(i)) == NULL)
			continue;
		path = fs_join(dir, rel);
		free(dir);
		if (fs_is_file(path))
			return path;
		free(path);
	}
	return NULL;
}

void
data_describe(const char *what, struct buf *out)
{
	char *dir;
	int i, n = 0;

	for (i = 0; i < 3; i++) {
		if ((dir = data_dir(i)) == NULL)
			continue;
		buf_printf(out, "%s%s/%s", n++ ? ", " : "", dir, what);
		free(dir);
	}
	buf_puts(out, "; set GALLEY_DATA to the folder holding galley's styles/ and "
	    "lua-filters/");
}
