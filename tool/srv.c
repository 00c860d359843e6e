/* `galley serve`: a live preview that builds documents, serves them over HTTP (libmicrohttpd) and rebuilds on change (inotify). */
/* inotify, signalfd and pipe2 are Linux's; realpath with NULL is X/Open's. */
#define _GNU_SOURCE
#include "srv.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "dep.h"
#include "fs.h"
#include "issue.h"
#include "mem.h"

extern char **environ;

/*
 * Saves come as a burst of events (an editor writes a temporary file, renames
 * it over the source, then perhaps touches it): the rebuild waits until the
 * files have been quiet this long, but never longer than SRV_DEBOUNCE_MAX_MS
 * after the first event.
 */
#define SRV_DEBOUNCE_MS		30
#define SRV_DEBOUNCE_MAX_MS	300
/* An idle event stream gets a comment this often, so that a closed client is found. */
#define SRV_PING_MS		20000
#define SRV_MAX_CONNECTIONS	256
#define SRV_PREFIX		"/_galley/"
#define SRV_WATCH_MASK	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE)

/* A file a document's last build read, as inotify names it: a directory watch and a name in it. */
struct srv_dep {
	int	 wd;		/* -1: its directory could not be watched */
	char	*base;		/* the file's name; "*" for any file of the directory */
};

struct srv_doc {
	char		*src;		/* the path given to `galley build` */
	char		*id;		/* its outputs' path under outdir, without extension */
	char		*outdir;	/* the folder its outputs go to */
	char		*basedir;	/* the folder its HTML's relative links start from */
	char		*depfile;	/* in the run's private temporary folder */
	struct srv_dep	*deps;
	size_t		 ndeps;
	int		 issue;		/* src is an issue folder */
	int		 dirty;		/* a file it read changed since its last build */
	/* Read by the HTTP thread: under srv.lock. */
	int		 ok;		/* its last build succeeded */
	const char	*outputs;	/* what it wrote: "html", "pdf" (and the rest) or "all" */
	char		*diag;		/* what its last build said */
	unsigned long	 gen;		/* the event generation of its last build */
};

struct srv_sse;

struct srv {
	const struct srv_opts	*o;
	char			 exe[PATH_MAX];	/* this galley, run for each build */
	char			*root;		/* realpath(outdir) */
	char			*tmpdir;	/* the depfiles */
	struct srv_doc		*docs;
	size_t			 ndocs;
	int			 ifd;		/* inotify */
	int			 sfd;		/* signalfd: SIGINT, SIGTERM, SIGHUP */
	struct MHD_Daemon	*daemon;
	pthread_mutex_t		 lock;		/* the fields below and each doc's ok, diag, gen */
	unsigned long		 gen;		/* bumped by each round of rebuilds */
	unsigned long		 ping;		/* bumped every SRV_PING_MS */
	int			 two_pass;	/* rebuild the HTML first, then everything */
	int			 stopping;
	struct srv_sse		*streams;	/* open event streams */
};

/* One client's event stream (text/event-stream): what it has been sent so far. */
struct srv_sse {
	struct srv		*s;
	struct MHD_Connection	*conn;
	unsigned long		 seen;		/* the generation it has been told about */
	unsigned long		 pinged;
	int			 hello;		/* the current state has been sent */
	int			 suspended;	/* waiting for news (MHD_suspend_connection) */
	struct buf		 out;		/* an event being sent */
	size_t			 sent;		/* bytes of out sent */
	struct srv_sse		*next, *prev;
};

/* ---- documents ---- */

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * Adds the document at src, its outputs under sub (a folder under outdir,
 * "" or ending in '/').  folder is issue_folder(src), taken over.
 */
static void
add_doc(struct srv *s, const char *src, const char *sub, char *folder)
{
	struct srv_doc *d;
	struct buf id = BUF_INIT;
	char *stem = folder ? fs_basename(folder) : fs_stem(src), *dir;
	size_t i;

	buf_printf(&id, "%s%s", sub, stem);
	free(stem);
	for (i = 0; i < s->ndocs; i++)
		if (strcmp(s->docs[i].id, buf_str(&id)) == 0) {
			fprintf(stderr, "galley: warning: %s and %s both make %s.html; "
			    "serving the first\n", s->docs[i].src, src, buf_str(&id));
			buf_free(&id);
			free(folder);
			return;
		}
	s->docs = mem_realloc(s->docs, (s->ndocs + 1) * sizeof(*s->docs));
	d = &s->docs[s->ndocs];
	memset(d, 0, sizeof(*d));
	d->src = mem_strdup(folder ? folder : src);
	d->issue = folder != NULL;
	d->id = buf_take(&id);
	dir = fs_dirname(d->id);
	d->outdir = strcmp(dir, ".") == 0 ? mem_strdup(s->o->outdir) : fs_join(s->o->outdir, dir);
	free(dir);
	d->basedir = fs_dirname(d->src);
	buf_printf(&id, "%s/%zu.d", s->tmpdir, s->ndocs);
	d->depfile = buf_take(&id);
	s->ndocs++;
	free(folder);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the documents under the folder dir, their outputs under sub, in name order. */
static void
add_folder(struct srv *s, const char *dir, const char *sub, int depth)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char **names = NULL, *path, *folder;
	size_t n = 0, i;
	struct stat st;

	if (dh == NULL || depth > 16)
		goto out;
	while ((e = readdir(dh)) != NULL)
		if (e->d_name[0] != '.') {
			names = mem_realloc(names, (n + 1) * sizeof(*names));
			names[n++] = mem_strdup(e->d_name);
		}
	if (n > 0)
		qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		path = fs_join(dir, names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if ((folder = issue_folder(path)) != NULL)
				add_doc(s, path, sub, folder);
			else {
				struct buf deeper = BUF_INIT;
				buf_printf(&deeper, "%s%s/", sub, names[i]);
				add_folder(s, path, buf_str(&deeper), depth + 1);
				buf_free(&deeper);
			}
		} else if (S_ISREG(st.st_mode) && has_suffix(names[i], ".md"))
			add_doc(s, path, sub, NULL);
		free(path);
		free(names[i]);
	}
out:
	free(names);
	if (dh != NULL)
		closedir(dh);
}

/* Finds the documents of the inputs; returns -1 after reporting one that is none. */
static int
find_docs(struct srv *s)
{
	struct stat st;
	char *folder;
	size_t i;

	for (i = 0; i < s->o->ninputs; i++) {
		const char *in = s->o->inputs[i];
		if ((folder = issue_folder(in)) != NULL)
			add_doc(s, in, "", folder);
		else if (stat(in, &st) == 0 && S_ISDIR(st.st_mode))
			add_folder(s, in, "", 0);
		else if (stat(in, &st) == 0 && S_ISREG(st.st_mode))
			add_doc(s, in, "", NULL);
		else {
			fprintf(stderr, "galley: %s: error: no such file or folder\n", in);
			return -1;
		}
	}
	if (s->ndocs == 0) {
		fprintf(stderr, "galley: error: no documents to serve (no Markdown files "
		    "or issue folders in the inputs)\n");
		return -1;
	}
	return 0;
}

static void
free_deps(struct srv_doc *d)
{
	size_t i;

	for (i = 0; i < d->ndeps; i++)
		free(d->deps[i].base);
	free(d->deps);
	d->deps = NULL;
	d->ndeps = 0;
}

/* ---- watching ---- */

/* Watches the file at path (its directory, for its name) for d. */
static void
watch_file(struct srv *s, struct srv_doc *d, const char *path, int any)
{
	char *dir = fs_dirname(path), *base = any ? mem_strdup("*") : fs_basename(path);
	int wd = inotify_add_watch(s->ifd, dir, SRV_WATCH_MASK);
	size_t i;

	for (i = 0; i < d->ndeps; i++)
		if (d->deps[i].wd == wd && strcmp(d->deps[i].base, base) == 0) {
			free(base);
			free(dir);
			return;
		}
	d->deps = mem_realloc(d->deps, (d->ndeps + 1) * sizeof(*d->deps));
	d->deps[d->ndeps].wd = wd;
	d->deps[d->ndeps].base = base;
	d->ndeps++;
	free(dir);
}

/* Undoes dep_escape(): one path of a depfile's line, up to its end or the colon. */
static char *
unescape_dep(const char *p, size_t n)
{
	struct buf out = BUF_INIT;
	size_t i, j, slashes;

	for (i = 0; i < n; i++) {
		if (p[i] == '\\') {
			for (j = i; j < n && p[j] == '\\'; j++)
				;
			slashes = j - i;
			if (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '#')) {
				/* Doubled before a blank, plus the one that escapes it. */
				for (slashes = p[j] == '#' ? slashes - 1 : slashes / 2; slashes > 0;
				    slashes--)
					buf_putc(&out, '\\');
				buf_putc(&out, p[j]);
				i = j;
				continue;
			}
			buf_put(&out, p + i, slashes);
			i = j - 1;
		} else if (p[i] == '$' && i + 1 < n && p[i + 1] == '$') {
			buf_putc(&out, '$');
			i++;
		} else
			buf_putc(&out, p[i]);
	}
	return buf_take(&out);
}

/*
 * Reads what d's depfile names into paths: its empty rules "PATH:" (build
 * --depfile writes one per file read, the source among them).  Returns -1
 * when there is no depfile.
 */
static int
read_depfile(const struct srv_doc *d, struct dep_list *paths)
{
	struct buf text = BUF_INIT;
	const char *line, *end, *p;
	char *path;

	if (fs_read(d->depfile, &text) == -1)
		return -1;
	/* The empty rules follow the first blank line. */
	p = strstr(buf_str(&text), "\n\n");
	for (line = p ? p + 2 : ""; *line != '\0'; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (end > line && end[-1] == ':') {
			path = unescape_dep(line, (size_t)(end - line - 1));
			dep_add(paths, path);
			free(path);
		}
	}
	buf_free(&text);
	return 0;
}

/* The image files a page shows, copied where its relative links find them. */
static int
is_image(const char *path)
{
	static const char *const exts[] = { ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp" };
	size_t i;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (has_suffix(path, exts[i]))
			return 1;
	return 0;
}

/*
 * Copies d's images into its output folder at the place its HTML's links
 * name them (relative to the source's folder), as `make` does for content/.
 */
static void
copy_images(struct srv_doc *d, const struct dep_list *paths)
{
	char *base = dep_normalise(d->basedir), *to;
	size_t i, n = strcmp(base, ".") == 0 ? 0 : strlen(base);
	struct buf data = BUF_INIT, old = BUF_INIT;
	const char *rel;

	for (i = 0; i < paths->n; i++) {
		rel = paths->paths[i];
		if (!is_image(rel) || (n > 0 && (strncmp(rel, base, n) != 0 || rel[n] != '/')))
			continue;
		rel += n > 0 ? n + 1 : 0;
		if (*rel == '/' || strncmp(rel, "../", 3) == 0)
			continue;
		to = fs_join(d->outdir, rel);
		buf_reset(&data);
		buf_reset(&old);
		if (fs_read(paths->paths[i], &data) == 0 && (fs_read(to, &old) == -1 ||
		    old.len != data.len || memcmp(old.data, data.data, data.len) != 0))
			fs_write_atomic(to, data.data, data.len);
		free(to);
	}
	buf_free(&data);
	buf_free(&old);
	free(base);
}

/* ---- building ---- */

/* The `galley build` command line for d: the serve command's build options passed on. */
static char **
build_argv(struct srv *s, struct srv_doc *d, int html_only)
{
	const struct build_opts *b = s->o->build;
	static const char *const kinds[] = { "html", "xml", "tree", "layout", "pdf" };
	char **argv = NULL;
	size_t n = 0, i;
	struct buf t = BUF_INIT;
	const struct meta *m;

#define ARG(x)	do { argv = mem_realloc(argv, (n + 2) * sizeof(*argv)); \
		argv[n++] = (x); argv[n] = NULL; } while (0)
	ARG(mem_strdup(s->exe));
	ARG(mem_strdup("build"));
	ARG(mem_strdup("-o"));
	ARG(mem_strdup(d->outdir));
	for (i = 0; i < 5; i++)
		if (html_only ? i == 0 : (b->outputs & (1u << i)) != 0)
			buf_printf(&t, "%s%s", t.len ? "," : "", kinds[i]);
	ARG(mem_strdup("-t"));
	ARG(buf_take(&t));
	if (!html_only) {	/* only the whole build reads everything: fonts, images */
		ARG(mem_strdup("--depfile"));
		ARG(mem_strdup(d->depfile));
	}
	if (b->style != NULL) {
		ARG(mem_strdup("-s"));
		ARG(mem_strdup(b->style));
	}
	for (i = 0; i < b->nfilters; i++) {
		ARG(mem_strdup("-L"));
		ARG(mem_strdup(b->filters[i]));
	}
	for (m = b->overrides ? b->overrides->first : NULL; m != NULL; m = m->next) {
		ARG(mem_strdup("-M"));
		if (m->type == META_BOOL)
			buf_puts(&t, m->key);
		else
			buf_printf(&t, "%s=%s", m->key, m->str ? m->str : "");
		ARG(buf_take(&t));
	}
	if (s->o->strict)
		ARG(mem_strdup("--strict"));
	if (b->unsafe)
		ARG(mem_strdup("--unsafe"));
	if (b->self_contained)
		ARG(mem_strdup("--self-contained"));
	if (b->trust_filters)
		ARG(mem_strdup("--trust-filters"));
	if (b->trust_paths)
		ARG(mem_strdup("--trust-paths"));
	if (b->comments_form)
		ARG(mem_strdup("--comments-form"));
	if (b->filter_seconds > 0) {
		ARG(mem_strdup("--filter-time"));
		buf_printf(&t, "%d", b->filter_seconds);
		ARG(buf_take(&t));
	}
	ARG(mem_strdup("--"));
	ARG(mem_strdup(d->src));
#undef ARG
	return argv;
}

/* A build running in a child: its messages are read from a pipe as they come. */
struct srv_job {
	struct srv_doc	*doc;
	int		 html_only;	/* the first pass of a rebuild */
	pid_t		 pid;
	int		 fd;		/* the read end of the child's standard error */
	struct buf	 said;
};

/*
 * Starts `galley build` on d.  A child per build, not build_file() in this
 * process: a build keeps its styles and fonts loaded for the next document
 * (an edited style would not be seen), the filter watchdog ends the process
 * when a filter is stuck, and a crash on bad input must not take the server
 * down.  Starting one costs a few milliseconds.  Returns 0, or -1 with the
 * reason in job->said.
 */
static int
start_build(struct srv *s, struct srv_doc *d, int html_only, struct srv_job *job)
{
	char **argv = build_argv(s, d, html_only);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int pipefd[2], rc = -1;
	size_t i;

	memset(job, 0, sizeof(*job));
	job->doc = d;
	job->html_only = html_only;
	job->fd = -1;
	if (!html_only)
		unlink(d->depfile);
	if (pipe2(pipefd, O_CLOEXEC) == -1) {
		buf_printf(&job->said, "galley: error: cannot make a pipe: %s\n", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&attr);
	/* The child gets the signals this process blocks for its signalfd. */
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&job->pid, s->exe, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (rc != 0) {
		buf_printf(&job->said, "galley: error: cannot run %s: %s\n", s->exe,
		    strerror(rc));
		close(pipefd[0]);
		rc = -1;
		goto out;
	}
	job->fd = pipefd[0];
out:
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
	return rc;
}

/* Reads what the child said; returns 1 at the end of it, 0 when there may be more. */
static int
read_job(struct srv_job *job)
{
	char chunk[4096];
	ssize_t got = read(job->fd, chunk, sizeof(chunk));

	if (got > 0) {
		buf_put(&job->said, chunk, (size_t)got);
		return 0;
	}
	if (got == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	return 1;
}

/*
 * Ends the build of job (its child has said all) and watches what it read.
 * After a failure the files the last good build read stay watched, and the
 * source (for an issue folder, each file in it) is watched in any case, so
 * fixing the error rebuilds.  The messages go to the terminal, a document's
 * together, and with the next event to the pages.
 */
static void
finish_build(struct srv *s, struct srv_job *job)
{
	struct srv_doc *d = job->doc;
	struct dep_list paths = DEP_LIST_INIT;
	int status = -1, ok;
	size_t i;

	if (job->fd != -1) {
		close(job->fd);
		while (waitpid(job->pid, &status, 0) == -1 && errno == EINTR)
			;
		if (WIFSIGNALED(status))
			buf_printf(&job->said, "galley: %s: error: the build ended with signal %d\n",
			    d->src, WTERMSIG(status));
	}
	ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	/* A good HTML pass is followed by the whole build, which says it all again. */
	if (!(job->html_only && ok))
		fputs(buf_str(&job->said), stderr);
	if (ok && !job->html_only && read_depfile(d, &paths) == 0) {
		free_deps(d);
		for (i = 0; i < paths.n; i++)
			watch_file(s, d, paths.paths[i], 0);
		copy_images(d, &paths);
	}
	if (d->issue) {
		char *yaml = issue_yaml_path(d->src);
		watch_file(s, d, yaml, 1);
		free(yaml);
	} else
		watch_file(s, d, d->src, 0);
	dep_reset(&paths);
	/* The HTML failed: the whole build would say the same. */
	d->dirty = job->html_only && ok;
	pthread_mutex_lock(&s->lock);
	d->ok = ok;
	d->outputs = job->html_only ? "html" : s->two_pass ? "pdf" : "all";
	free(d->diag);
	d->diag = buf_take(&job->said);
	if (d->diag == NULL)
		d->diag = mem_strdup("");
	d->gen = s->gen + 1;
	pthread_mutex_unlock(&s->lock);
	buf_free(&job->said);
}

/*
 * Builds the dirty documents, as many at a time as there are processors (a
 * style edit rebuilds every document of that style).  Returns how many.
 */
static size_t
build_dirty(struct srv *s, int html_only)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t njobs = cpus > 1 ? (size_t)cpus : 1, running = 0, next = 0, built = 0, i;
	struct srv_job *jobs = mem_zalloc(njobs, sizeof(*jobs));
	struct pollfd *fds = mem_zalloc(njobs, sizeof(*fds));

	for (;;) {
		while (running < njobs && next < s->ndocs) {
			struct srv_doc *d = &s->docs[next++];
			if (!d->dirty)
				continue;
			built++;
			if (start_build(s, d, html_only, &jobs[running]) == -1)
				finish_build(s, &jobs[running]);
			else
				running++;
		}
		if (running == 0)
			break;
		for (i = 0; i < running; i++) {
			fds[i].fd = jobs[i].fd;
			fds[i].events = POLLIN;
			fds[i].revents = 0;
		}
		if (poll(fds, running, -1) == -1) {
			if (errno == EINTR)
				continue;
			/* Cannot wait for them together: one after the other, then. */
			for (i = 0; i < running; i++) {
				while (!read_job(&jobs[i]))
					;
				finish_build(s, &jobs[i]);
			}
			break;
		}
		for (i = running; i-- > 0; )
			if (fds[i].revents != 0 && read_job(&jobs[i])) {
				finish_build(s, &jobs[i]);
				jobs[i] = jobs[--running];
			}
	}
	free(jobs);
	free(fds);
	return built;
}

/* Tells the waiting event streams that there is news (a new generation, a ping, the end). */
static void
wake_streams(struct srv *s)
{
	struct MHD_Connection **wake = NULL;
	struct srv_sse *e;
	size_t n = 0, i;

	pthread_mutex_lock(&s->lock);
	for (e = s->streams; e != NULL; e = e->next)
		if (e->suspended) {
			e->suspended = 0;
			wake = mem_realloc(wake, (n + 1) * sizeof(*wake));
			wake[n++] = e->conn;
		}
	pthread_mutex_unlock(&s->lock);
	/*
	 * Resumed outside the lock, which the stream's reader takes on MHD's
	 * thread; a connection stays suspended (so alive) until resumed here.
	 */
	for (i = 0; i < n; i++)
		MHD_resume_connection(wake[i]);
	free(wake);
}

/* Tells the event streams that the documents built since the last time are new. */
static void
announce(struct srv *s)
{
	pthread_mutex_lock(&s->lock);
	s->gen++;
	pthread_mutex_unlock(&s->lock);
	wake_streams(s);
}

/*
 * Rebuilds the dirty documents and sends an event for them all.  When the
 * PDF is among the outputs, in two passes: the HTML alone first, a tenth of
 * the time of a whole build (which writes the PDF), so that an open page
 * reloads at once; then the whole build, whose event the PDF view waits for
 * and whose depfile names every file read.  The model is made twice.
 */
static void
rebuild(struct srv *s)
{
	if (build_dirty(s, s->two_pass) == 0)
		return;
	announce(s);
	if (s->two_pass && build_dirty(s, 0) > 0)
		announce(s);
}

/* ---- events ---- */

static void
json_string(struct buf *out, const char *str)
{
	const unsigned char *p;

	buf_putc(out, '"');
	for (p = (const unsigned char *)str; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(out, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(out, "\\n");
		else if (*p < 0x20 || *p == 0x7F)
			buf_printf(out, "\\u%04x", *p);
		else if (*p == '<')	/* also safe inside a <script> */
			buf_puts(out, "\\u003c");
		else
			buf_putc(out, (char)*p);
	}
	buf_putc(out, '"');
}

/*
 * Appends an event: "hello" with every document's state, or "build" with
 * the documents built since generation since.  Under s->lock.
 */
static void
make_event(struct srv *s, struct buf *out, const char *kind, unsigned long since)
{
	size_t i;
	int first = 1;

	buf_printf(out, "event: %s\ndata: {\"gen\":%lu,\"docs\":[", kind, s->gen);
	for (i = 0; i < s->ndocs; i++) {
		struct srv_doc *d = &s->docs[i];
		if (d->gen <= since)
			continue;
		buf_puts(out, first ? "{\"id\":" : ",{\"id\":");
		json_string(out, d->id);
		buf_printf(out, ",\"ok\":%s,\"outputs\":\"%s\",\"diag\":", d->ok ? "true" : "false",
		    d->outputs ? d->outputs : "all");
		json_string(out, d->diag ? d->diag : "");
		buf_putc(out, '}');
		first = 0;
	}
	buf_puts(out, "]}\n\n");
}

/*
 * The event stream's reader, on MHD's thread: sends what is new, else
 * suspends the connection until wake_streams().  MHD calls it only when the
 * client's socket has room, so a client that never reads holds up no one.
 */
static ssize_t
sse_read(void *cls, uint64_t pos, char *to, size_t max)
{
	struct srv_sse *e = cls;
	struct srv *s = e->s;
	size_t n;

	(void)pos;
	pthread_mutex_lock(&s->lock);
	if (e->sent == e->out.len) {
		buf_reset(&e->out);
		e->sent = 0;
		if (s->stopping) {
			pthread_mutex_unlock(&s->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (!e->hello) {
			make_event(s, &e->out, "hello", 0);
			e->hello = 1;
			e->seen = s->gen;
		} else if (e->seen < s->gen) {
			make_event(s, &e->out, "build", e->seen);
			e->seen = s->gen;
		} else if (e->pinged < s->ping) {
			buf_puts(&e->out, ": ping\n\n");
			e->pinged = s->ping;
		} else {
			e->suspended = 1;
			MHD_suspend_connection(e->conn);
			pthread_mutex_unlock(&s->lock);
			return 0;
		}
	}
	n = e->out.len - e->sent;
	if (n > max)
		n = max;
	memcpy(to, e->out.data + e->sent, n);
	e->sent += n;
	pthread_mutex_unlock(&s->lock);
	return (ssize_t)n;
}

static void
sse_free(void *cls)
{
	struct srv_sse *e = cls;
	struct srv *s = e->s;

	pthread_mutex_lock(&s->lock);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		s->streams = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	pthread_mutex_unlock(&s->lock);
	buf_free(&e->out);
	free(e);
}

/* ---- pages ---- */

/*
 * The script every served page gets (in serve mode only): it listens to the
 * event stream, reloads the page when its document was rebuilt (keeping the
 * scroll position in sessionStorage), and shows the diagnostics over the
 * last good page when the build failed.  GALLEY_DOC is the page's document
 * id; "" for the list of documents, which reloads on any build.
 * GALLEY_WANTS is the pass of a rebuild it reloads after (see rebuild()):
 * "html" for a page, "pdf" for the PDF view.
 */
static const char reload_script[] =
"(function () {\n"
"  var key = 'galley-scroll:' + location.pathname;\n"
"  var y = sessionStorage.getItem(key);\n"
"  if (y !== null) {\n"
"    sessionStorage.removeItem(key);\n"
"    window.scrollTo(0, +y);\n"
"    window.addEventListener('load', function () { window.scrollTo(0, +y); });\n"
"  }\n"
"  function overlay(text) {\n"
"    var o = document.getElementById('galley-overlay');\n"
"    if (text === null) { if (o) o.remove(); return; }\n"
"    if (!o) {\n"
"      o = document.createElement('pre');\n"
"      o.id = 'galley-overlay';\n"
"      o.setAttribute('style', 'position:fixed;left:0;right:0;bottom:0;z-index:2147483647;'\n"
"        + 'max-height:60vh;overflow:auto;margin:0;padding:1em;background:#fff4f4;color:#900;'\n"
"        + 'border-top:3px solid #c00;font:13px/1.5 monospace;white-space:pre-wrap');\n"
"      document.body.appendChild(o);\n"
"    }\n"
"    o.textContent = 'The last build failed; this is the last good page.\\n\\n' + text;\n"
"  }\n"
"  function mine(data) {\n"
"    var docs = JSON.parse(data).docs;\n"
"    for (var i = 0; i < docs.length; i++)\n"
"      if (docs[i].id === GALLEY_DOC) return docs[i];\n"
"    return null;\n"
"  }\n"
"  var es = new EventSource('/_galley/events');\n"
"  es.addEventListener('hello', function (e) {\n"
"    var d = mine(e.data);\n"
"    if (d && !d.ok) overlay(d.diag);\n"
"  });\n"
"  es.addEventListener('build', function (e) {\n"
"    var d = GALLEY_DOC === '' ? { ok: true, outputs: 'all' } : mine(e.data);\n"
"    if (!d) return;\n"
"    if (!d.ok) { overlay(d.diag); return; }\n"
"    if (d.outputs !== 'all' && d.outputs !== GALLEY_WANTS) return;\n"
"    sessionStorage.setItem(key, String(window.scrollY));\n"
"    es.close();\n"
"    location.reload();\n"
"  });\n"
"})();\n";

/* wants: the rebuild that reloads the page, "html" or "pdf" (see rebuild()). */
static void
put_script(struct buf *out, const char *id, const char *wants)
{
	buf_puts(out, "<script>var GALLEY_DOC = ");
	json_string(out, id);
	buf_printf(out, ", GALLEY_WANTS = '%s';\n%s</script>\n", wants, reload_script);
}

static void
html_text(struct buf *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '&': buf_puts(out, "&amp;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default: buf_putc(out, *s); break;
		}
}

/* "/": the documents, each with its HTML and its PDF. */
static void
index_page(struct srv *s, struct buf *out)
{
	size_t i;

	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\"><title>galley serve</title>"
	    "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em}"
	    "li{margin:.4em 0}.failed{color:#c00}</style></head><body>\n<h1>galley serve</h1>\n"
	    "<ul>\n");
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->ndocs; i++) {
		struct srv_doc *d = &s->docs[i];
		buf_puts(out, "<li><a href=\"/");
		html_text(out, d->id);
		buf_puts(out, ".html\">");
		html_text(out, d->id);
		buf_puts(out, "</a> · <a href=\"" SRV_PREFIX "pdf/");
		html_text(out, d->id);
		buf_puts(out, "\">PDF</a>");
		if (!d->ok)
			buf_puts(out, " <span class=\"failed\">(the last build failed)</span>");
		buf_puts(out, "</li>\n");
	}
	pthread_mutex_unlock(&s->lock);
	buf_puts(out, "</ul>\n");
	put_script(out, "", "html");
	buf_puts(out, "</body></html>\n");
}

/* A PDF at full width, in the browser's own viewer, reloaded like the pages. */
static void
pdf_page(const char *id, unsigned long gen, struct buf *out)
{
	buf_puts(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
	html_text(out, id);
	buf_puts(out, ".pdf</title><style>html,body{margin:0;height:100%}"
	    "iframe{display:block;border:0;width:100%;height:100%}</style></head><body>\n"
	    "<iframe src=\"/");
	html_text(out, id);
	buf_printf(out, ".pdf?gen=%lu\"></iframe>\n", gen);
	put_script(out, id, "pdf");
	buf_puts(out, "</body></html>\n");
}

static const char *
content_type(const char *path)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".pdf", "application/pdf" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" },
		{ ".svg", "image/svg+xml" },
		{ ".webp", "image/webp" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".xml", "application/xml" },
		{ ".csv", "text/csv; charset=utf-8" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (has_suffix(path, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned status, struct MHD_Response *r, const char *type)
{
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	/* Every answer may change with the next save. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
reply_buf(struct MHD_Connection *conn, unsigned status, struct buf *b, const char *type)
{
	size_t len = b->len;
	char *data = buf_take(b);

	if (data == NULL)
		data = mem_strdup("");
	return reply(conn, status, MHD_create_response_from_buffer(len, data,
	    MHD_RESPMEM_MUST_FREE), type);
}

static enum MHD_Result
not_found(struct MHD_Connection *conn)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "not found\n");
	return reply_buf(conn, MHD_HTTP_NOT_FOUND, &b, "text/plain; charset=utf-8");
}

/*
 * The real path of the file url names under the served folder, a new string
 * the caller frees; NULL unless it is a regular file inside it.  url is
 * already percent-decoded (MHD does it), so "%2e%2e" arrives as "..".  No
 * ".." or "." segment, no empty one (an absolute path), no backslash; and
 * after symbolic links the file must still lie under realpath(outdir).
 */
static char *
confine(struct srv *s, const char *url)
{
	const char *seg, *end;
	char *joined, *real;
	size_t n, rootlen = strlen(s->root);
	struct stat st;

	if (*url != '/' || url[1] == '\0' || strchr(url, '\\') != NULL)
		return NULL;
	for (seg = url + 1; ; seg = end + 1) {
		end = strchr(seg, '/');
		n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' &&
		    seg[1] == '.'))
			return NULL;
		if (end == NULL)
			break;
	}
	joined = fs_join(s->root, url + 1);
	real = realpath(joined, NULL);
	free(joined);
	if (real == NULL || strncmp(real, s->root, rootlen) != 0 ||
	    (real[rootlen] != '/' && strcmp(s->root, "/") != 0) ||
	    stat(real, &st) == -1 || !S_ISREG(st.st_mode)) {
		free(real);
		return NULL;
	}
	return real;
}

/* A page with the reload script put before its </body> (or at its end). */
static enum MHD_Result
serve_html(struct MHD_Connection *conn, const char *real, const char *url)
{
	struct buf page = BUF_INIT, out = BUF_INIT;
	char *id;
	size_t at, i;

	if (fs_read(real, &page) == -1)
		return not_found(conn);
	at = page.len;
	for (i = page.len; i >= 7; i--)
		if (strncasecmp(page.data + i - 7, "</body>", 7) == 0) {
			at = i - 7;
			break;
		}
	buf_put(&out, page.data, at);
	id = mem_strndup(url + 1, strlen(url + 1) - 5);	/* less ".html" */
	if (has_suffix(id, ".comments"))	/* a standard's comment form: its document's */
		id[strlen(id) - 9] = '\0';
	put_script(&out, id, "html");
	buf_put(&out, page.data + at, page.len - at);
	free(id);
	buf_free(&page);
	return reply_buf(conn, MHD_HTTP_OK, &out, "text/html; charset=utf-8");
}

static enum MHD_Result
serve_file(struct srv *s, struct MHD_Connection *conn, const char *url)
{
	char *real = confine(s, url);
	struct stat st;
	int fd;

	if (real == NULL)
		return not_found(conn);
	if (has_suffix(real, ".html")) {
		enum MHD_Result rc = serve_html(conn, real, url);
		free(real);
		return rc;
	}
	fd = open(real, O_RDONLY | O_CLOEXEC);
	free(real);
	if (fd == -1 || fstat(fd, &st) == -1) {
		if (fd != -1)
			close(fd);
		return not_found(conn);
	}
	/* MHD closes fd with the response. */
	return reply(conn, MHD_HTTP_OK, MHD_create_response_from_fd((uint64_t)st.st_size, fd),
	    content_type(url));
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct srv *s = cls;
	struct buf b = BUF_INIT;
	size_t i;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		buf_puts(&b, "method not allowed\n");
		return reply_buf(conn, MHD_HTTP_METHOD_NOT_ALLOWED, &b, "text/plain; charset=utf-8");
	}
	if (strcmp(url, "/") == 0) {
		index_page(s, &b);
		return reply_buf(conn, MHD_HTTP_OK, &b, "text/html; charset=utf-8");
	}
	if (strcmp(url, SRV_PREFIX "events") == 0 && strcmp(method, MHD_HTTP_METHOD_GET) == 0) {
		struct srv_sse *e = mem_zalloc(1, sizeof(*e));
		struct MHD_Response *r;
		e->s = s;
		e->conn = conn;
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, e,
		    sse_free);
		if (r == NULL) {
			free(e);
			return MHD_NO;
		}
		pthread_mutex_lock(&s->lock);
		e->next = s->streams;
		if (s->streams != NULL)
			s->streams->prev = e;
		s->streams = e;
		pthread_mutex_unlock(&s->lock);
		return reply(conn, MHD_HTTP_OK, r, "text/event-stream");
	}
	if (strncmp(url, SRV_PREFIX "pdf/", strlen(SRV_PREFIX "pdf/")) == 0) {
		const char *id = url + strlen(SRV_PREFIX "pdf/");
		for (i = 0; i < s->ndocs; i++)
			if (strcmp(s->docs[i].id, id) == 0) {
				pthread_mutex_lock(&s->lock);
				pdf_page(id, s->gen, &b);
				pthread_mutex_unlock(&s->lock);
				return reply_buf(conn, MHD_HTTP_OK, &b, "text/html; charset=utf-8");
			}
		return not_found(conn);
	}
	return serve_file(s, conn, url);
}

/* ---- the run ---- */

static long long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Marks the documents that read the file an event names; returns how many it marked. */
static int
note_events(struct srv *s)
{
	char evbuf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t got;
	size_t i, j;
	char *p;
	int marked = 0;

	while ((got = read(s->ifd, evbuf, sizeof(evbuf))) > 0)
		for (p = evbuf; p < evbuf + got; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			for (i = 0; i < s->ndocs; i++)
				for (j = 0; j < s->docs[i].ndeps; j++) {
					const struct srv_dep *dp = &s->docs[i].deps[j];
					if ((ev->mask & IN_Q_OVERFLOW) || (ev->len > 0 &&
					    dp->wd == ev->wd && (strcmp(dp->base, "*") == 0 ||
					    strcmp(dp->base, ev->name) == 0))) {
						marked += !s->docs[i].dirty;
						s->docs[i].dirty = 1;
						break;
					}
				}
		}
	return marked;
}

/* Listens on host:port; returns the daemon, or NULL after reporting. */
static struct MHD_Daemon *
start_daemon(struct srv *s, int *port)
{
	struct addrinfo hints, *ai = NULL;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	char portstr[16];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(portstr, sizeof(portstr), "%d", s->o->port);
	if ((rc = getaddrinfo(s->o->host, portstr, &hints, &ai)) != 0) {
		fprintf(stderr, "galley: error: cannot listen on '%s': %s\n", s->o->host,
		    gai_strerror(rc));
		return NULL;
	}
	d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_ALLOW_SUSPEND_RESUME | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0),
	    (uint16_t)s->o->port, NULL, NULL, handle, s,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_MAX_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	    MHD_OPTION_END);
	freeaddrinfo(ai);
	if (d == NULL) {
		fprintf(stderr, "galley: error: cannot listen on %s port %d (in use?)\n",
		    s->o->host, s->o->port);
		return NULL;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info != NULL ? info->port : s->o->port;
	return d;
}

/* Runs until a signal: waits for changes, rebuilds, tells the pages. */
static void
loop(struct srv *s)
{
	struct pollfd fds[2];
	long long first = 0, deadline = 0, next_ping = ms_now() + SRV_PING_MS, now;
	int timeout, pending = 0;
	struct signalfd_siginfo si;

	fds[0].fd = s->sfd;
	fds[0].events = POLLIN;
	fds[1].fd = s->ifd;
	fds[1].events = POLLIN;
	for (;;) {
		now = ms_now();
		timeout = (int)((pending ? deadline : next_ping) - now);
		if (timeout < 0)
			timeout = 0;
		if (poll(fds, 2, timeout) == -1 && errno != EINTR)
			break;
		if (fds[0].revents & POLLIN) {
			if (read(s->sfd, &si, sizeof(si)) > 0)
				break;
		}
		now = ms_now();
		if ((fds[1].revents & POLLIN) && note_events(s) > 0) {
			if (!pending)
				first = now;
			pending = 1;
			deadline = now + SRV_DEBOUNCE_MS;
			if (deadline > first + SRV_DEBOUNCE_MAX_MS)
				deadline = first + SRV_DEBOUNCE_MAX_MS;
		} else if ((fds[1].revents & POLLIN) && pending) {
			/* Something else changed: a save of ours may still be under way. */
			deadline = now + SRV_DEBOUNCE_MS;
			if (deadline > first + SRV_DEBOUNCE_MAX_MS)
				deadline = first + SRV_DEBOUNCE_MAX_MS;
		}
		if (pending && now >= deadline) {
			pending = 0;
			rebuild(s);
		}
		if (now >= next_ping) {
			next_ping = now + SRV_PING_MS;
			pthread_mutex_lock(&s->lock);
			s->ping++;
			pthread_mutex_unlock(&s->lock);
			wake_streams(s);
		}
	}
}

static void
srv_free(struct srv *s)
{
	size_t i;

	for (i = 0; i < s->ndocs; i++) {
		struct srv_doc *d = &s->docs[i];
		unlink(d->depfile);
		free(d->src);
		free(d->id);
		free(d->outdir);
		free(d->basedir);
		free(d->depfile);
		free(d->diag);
		free_deps(d);
	}
	free(s->docs);
	if (s->tmpdir != NULL)
		rmdir(s->tmpdir);
	free(s->tmpdir);
	free(s->root);
	if (s->ifd != -1)
		close(s->ifd);
	if (s->sfd != -1)
		close(s->sfd);
	pthread_mutex_destroy(&s->lock);
}

int
srv_run(const struct srv_opts *o)
{
	struct srv s;
	sigset_t sigs;
	char tmpl[] = "/tmp/galley-serve-XXXXXX";
	ssize_t n;
	size_t i;
	int port = 0, rc = 1;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.ifd = s.sfd = -1;
	pthread_mutex_init(&s.lock, NULL);
	if ((n = readlink("/proc/self/exe", s.exe, sizeof(s.exe) - 1)) <= 0) {
		fprintf(stderr, "galley: error: cannot find the galley executable: %s\n",
		    strerror(errno));
		goto out;
	}
	s.exe[n] = '\0';
	if (fs_mkdirs(o->outdir) == -1 || (s.root = realpath(o->outdir, NULL)) == NULL) {
		fprintf(stderr, "galley: %s: error: cannot make the output folder: %s\n",
		    o->outdir, strerror(errno));
		goto out;
	}
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "galley: error: cannot make a temporary folder: %s\n",
		    strerror(errno));
		goto out;
	}
	s.tmpdir = mem_strdup(tmpl);
	if (find_docs(&s) == -1) {
		rc = 2;
		goto out;
	}
	/*
	 * SIGINT and SIGTERM are read from a signalfd by the loop, so they are
	 * blocked before MHD's thread starts (it inherits the mask); SIGPIPE too,
	 * for a client gone while a reply is written.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sigdelset(&sigs, SIGPIPE);
	if ((s.sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) == -1 ||
	    (s.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		fprintf(stderr, "galley: error: cannot watch files: %s\n", strerror(errno));
		goto out;
	}
	if ((s.daemon = start_daemon(&s, &port)) == NULL)
		goto out;
	for (i = 0; i < s.ndocs; i++)
		s.docs[i].dirty = 1;
	build_dirty(&s, 0);
	s.two_pass = (o->build->outputs & ~(unsigned)OUT_HTML) != 0;
	pthread_mutex_lock(&s.lock);
	s.gen++;
	pthread_mutex_unlock(&s.lock);
	printf("galley: serving http://%s%s%s:%d/\n", strchr(o->host, ':') ? "[" : "", o->host,
	    strchr(o->host, ':') ? "]" : "", port);
	fflush(stdout);
	loop(&s);
	/* Ends the event streams (they must not be suspended when MHD stops). */
	pthread_mutex_lock(&s.lock);
	s.stopping = 1;
	pthread_mutex_unlock(&s.lock);
	wake_streams(&s);
	MHD_stop_daemon(s.daemon);
	rc = 0;
out:
	srv_free(&s);
	return rc;
}
