/* Finding galley's data files (styles, filters) in the working directory or installed. */
#include "data.h"

#include <stdlib.h>

#include "fs.h"

#ifndef GALLEY_DATADIR
#define GALLEY_DATADIR "/usr/local/share/galley"
#endif

static const char *
data_dir(int i)
{
	const char *env;

	switch (i) {
	case 0:
		return ".";
	case 1:
		env = getenv("GALLEY_DATA");
		return env && *env ? env : NULL;
	case 2:
		return GALLEY_DATADIR;
	default:
		return NULL;
	}
}

char *
data_find(const char *rel)
{
	char *path;
	const char *dir;
	int i;

	for (i = 0; i < 3; i++) {
		if ((dir = data_dir(i)) == NULL)
			continue;
		path = fs_join(dir, rel);
		if (fs_is_file(path))
			return path;
		free(path);
	}
	return NULL;
}

void
data_describe(const char *what, struct buf *out)
{
	const char *dir;
	int i, n = 0;

	for (i = 0; i < 3; i++) {
		if ((dir = data_dir(i)) == NULL)
			continue;
		buf_printf(out, "%s%s/%s", n++ ? ", " : "", dir, what);
	}
}
