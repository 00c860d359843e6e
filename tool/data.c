/* Finding galley's data files (styles, filters) in the working directory or installed. */
#include "data.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "fs.h"
#include "mem.h"

/*
 * The installed data directory is PREFIX/share/galley beside PREFIX/bin/galley,
 * found from the running executable so that an installed tree can be moved.
 */
static char *
installed_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *bin, *prefix, *dir;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	bin = fs_dirname(exe);
	prefix = fs_dirname(bin);
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
}
