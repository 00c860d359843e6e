/* File system access: whole-file reads, atomic writes, directories and path pieces. */
/* realpath() with a NULL buffer is X/Open's, beyond the POSIX the Makefile asks for. */
#define _XOPEN_SOURCE 700
#include "fs.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"

int
fs_read(const char *path, struct buf *out)
{
	char chunk[65536];
	ssize_t n;
	int fd, saved;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		buf_put(out, chunk, (size_t)n);
	}
	close(fd);
	if (out->data == NULL)
		buf_put(out, "", 0);
	return 0;
}

static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, data, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int
fs_write_atomic(const char *path, const char *data, size_t len)
{
	char *dir = fs_dirname(path);
	char *tmp;
	mode_t mask;
	int fd, saved, rc = -1;

	if (fs_mkdirs(dir) == -1) {
		free(dir);
		return -1;
	}
	free(dir);
	tmp = mem_alloc(strlen(path) + 16);
	sprintf(tmp, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1)
		goto out;
	/* mkstemp makes the file 0600; published output follows the umask like any file. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == -1 || write_all(fd, data, len) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		goto out;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

int
fs_mkdirs(const char *path)
{
	char *p = mem_strdup(path);
	char *s;
	int rc = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char end = *s;
		*s = '\0';
		if (mkdir(p, 0777) == -1 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = end;
		if (end == '\0')
			break;
	}
	free(p);
	return rc;
}

int
fs_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
fs_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	char *s;

	if (n == 0 || strcmp(dir, ".") == 0)
		return mem_strdup(name);
	s = mem_alloc(n + strlen(name) + 2);
	sprintf(s, dir[n - 1] == '/' ? "%s%s" : "%s/%s", dir, name);
	return s;
}

char *
fs_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return mem_strdup(".");
	if (slash == path)
		return mem_strdup("/");
	return mem_strndup(path, (size_t)(slash - path));
}

char *
fs_basename(const char *path)
{
	const char *base = strrchr(path, '/');
	char *real, *name;

	base = base ? base + 1 : path;
	if ((strcmp(base, ".") != 0 && strcmp(base, "..") != 0) ||
	    (real = realpath(path, NULL)) == NULL)
		return mem_strdup(base);
	base = strrchr(real, '/');
	name = mem_strdup(base && base[1] ? base + 1 : real);
	free(real);
	return name;
}

char *
fs_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot == NULL || dot == base)
		return mem_strdup(base);
	return mem_strndup(base, (size_t)(dot - base));
}

/* Whether the real path real is dir or lies below it (dir a real path too). */
static int
inside(const char *real, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(real, dir, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

char *
fs_confine(const char *docpath, const char *name, int trust, struct buf *why)
{
	char *dir = NULL, *path = NULL, *real = NULL, *realdir = NULL, *cwd = NULL;
	struct stat st;

	if (*name == '\0') {
		buf_puts(why, "no file name given");
		return NULL;
	}
	if (name[0] == '/' && !trust) {
		buf_puts(why, "the path is absolute; give it relative to the document's folder "
		    "(--trust-paths allows others)");
		return NULL;
	}
	dir = fs_dirname(docpath);
	path = name[0] == '/' ? mem_strdup(name) : fs_join(dir, name);
	if ((real = realpath(path, NULL)) == NULL || stat(real, &st) == -1) {
		buf_printf(why, "cannot read %s: %s", path, strerror(errno));
		free(real);
		real = NULL;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		buf_printf(why, "%s is not a file", path);
		free(real);
		real = NULL;
		goto out;
	}
	if (!trust) {
		/* ".." and symbolic links are both followed by realpath(): one check covers them. */
		realdir = realpath(dir, NULL);
		cwd = realpath(".", NULL);
		if (!(realdir && inside(real, realdir)) && !(cwd && inside(real, cwd))) {
			buf_printf(why, "%s lies outside the document's folder and the working "
			    "directory (--trust-paths allows it)", path);
			free(real);
			real = NULL;
		}
	}
out:
	free(dir);
	free(path);
	free(realdir);
	free(cwd);
	return real;
}

char *
fs_tidy(const char *path)
{
	char *out = mem_alloc(strlen(path) + 2);
	const char *p = path, *end;
	size_t len = 0, n, keep;
	int absolute = *path == '/';

	if (absolute)
		out[len++] = '/';
	while (*p) {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.' && len > (size_t)absolute &&
		    !(len >= 2 && out[len - 1] == '.' && out[len - 2] == '.' &&
		    (len == 2 || out[len - 3] == '/'))) {
			/* Drop the last component. */
			keep = len;
			while (keep > (size_t)absolute && out[keep - 1] != '/')
				keep--;
			len = keep > (size_t)absolute ? keep - 1 : keep;
		} else if (n == 2 && p[0] == '.' && p[1] == '.' && absolute && len == 1) {
			/* The root's parent is the root. */
		} else {
			if (len > (size_t)absolute)
				out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (len == 0)
		out[len++] = '.';
	out[len] = '\0';
	return out;
}
