/* The galley command line: `galley build`, `galley check`, `galley index`, `galley serve`, `galley keys`, --help and --version. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "doc.h"
#include "msg.h"
#include "schema.h"
#include "srv.h"

#ifndef GALLEY_VERSION
#define GALLEY_VERSION "0.0"
#endif

#define EXIT_DOC_ERRORS	1
#define EXIT_USAGE	2

static const char usage_text[] =
"usage: galley build [-o DIR] [-t html,pdf,xml,tree,layout] [-s STYLE] [-L FILTER]...\n"
"                    [-M KEY=VALUE]... [--strict] [--unsafe] [--self-contained]\n"
"                    [--trust-filters] [--trust-paths] [--filter-time SECONDS]\n"
"                    [--depfile FILE] [--stats] [--comments-form] [-q] FILE...\n"
"       galley check [-s STYLE] [-L FILTER]... [-M KEY=VALUE]... [--strict]\n"
"                    [--filter-time SECONDS] FILE...\n"
"       galley index [-o DIR] [--depfile FILE] [--self-contained] ISSUE...\n"
"       galley serve [-p PORT] [--host ADDR] [-o DIR] [build options] FILE|FOLDER...\n"
"       galley keys\n"
"       galley --help | --version\n";

static const char help_text[] =
"\n"
"galley turns Markdown with YAML front matter into numbered HTML and PDF\n"
"for Chinese publishers.\n"
"\n"
"Commands:\n"
"  build            build each FILE into DIR/NAME.html (and the chosen outputs);\n"
"                   a FILE may be an issue folder (holding issue.yaml) or its\n"
"                   issue.yaml: the folder's articles make one bulletin\n"
"  check            report the diagnostics of each FILE; write nothing\n"
"  index            write DIR/index.html, the list of the bulletin issues\n"
"                   built into DIR, newest first (an ISSUE is a folder with\n"
"                   issue.yaml, its issue.yaml, or a Markdown file)\n"
"  serve            build each FILE (and the documents under each FOLDER) to\n"
"                   HTML and PDF in DIR, serve DIR at http://127.0.0.1:PORT/\n"
"                   and rebuild a document when a file it read changes; the\n"
"                   open pages reload themselves, and show the errors of a\n"
"                   failed build over the last good page\n"
"  keys             print the keys of front matter, issue.yaml, defaults.yaml,\n"
"                   page.yaml and cover elements (type, default, meaning) and\n"
"                   the diagnostic ids, as Markdown\n"
"\n"
"Options:\n"
"  -o DIR           output directory (default: .); '-' writes one output to\n"
"                   standard output\n"
"  -t LIST          outputs, comma-separated: html (default), pdf, xml, tree,\n"
"                   layout (the PDF's page layout as text)\n"
"  -s STYLE         style from styles/STYLE (default: the front matter's\n"
"                   'style', else article)\n"
"  -L FILTER        run the Lua filter FILTER (a .lua path, or a name looked\n"
"                   up beside the document and in lua-filters/) after the\n"
"                   front matter's and the style's filters\n"
"  -M KEY=VALUE     set a metadata value, overriding the front matter;\n"
"                   -M KEY alone sets it to true\n"
"  --strict         treat warnings as errors\n"
"  --unsafe         pass raw HTML in the source through to the HTML\n"
"  --self-contained put the CSS inside the HTML instead of linking it\n"
"  --trust-filters  let filters use Lua's io and os libraries\n"
"  --trust-paths    let images come from outside the document's folder\n"
"                   (absolute paths, '..')\n"
"  --filter-time SECONDS\n"
"                   stop a document's filters after SECONDS of CPU time in\n"
"                   all (default: 60, plus 1 per MB of source), also inside\n"
"                   a library call that never returns\n"
"  --depfile FILE   write make rules to FILE: the outputs of each document\n"
"                   depend on every file its build read (source, filters,\n"
"                   style files, images, fonts), each also an empty rule;\n"
"                   written only when every document was built\n"
"  --stats          print the CPU time each stage took (parse, filters, html,\n"
"                   layout, pdf) per document\n"
"  --comments-form  also write the comment form (意见汇总表) of each FILE,\n"
"                   a row per clause: DIR/NAME.comments.html and\n"
"                   DIR/NAME.comments.csv (front matter: comments-form: true)\n"
"  -p PORT          serve: the port (default 8000; 0 takes a free one)\n"
"  --host ADDR      serve: the address to listen on (default 127.0.0.1: this\n"
"                   machine only)\n"
"  -q, --quiet      do not print warnings, progress or the summary\n"
"\n"
"Messages have the form 'galley: FILE:LINE:COL: error: text'.  Exit status:\n"
"0 success, 1 a document had errors (its outputs are left untouched),\n"
"2 a usage error.  With several FILEs a summary line ends the run (documents,\n"
"warnings, errors, time), and on a terminal a progress line shows which\n"
"document is being built (not when $CI is set).  Styles are looked up in\n"
"./styles, $GALLEY_DATA/styles and the data directory of the executable\n"
"(the source tree of a built out/bin/galley, else PREFIX/share/galley).\n"
"$SOURCE_DATE_EPOCH, when set, is the PDF's creation date (builds are then\n"
"byte-for-byte reproducible).\n";

static int
usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "galley: error: %s%s%s%s\n", what, arg ? " '" : "",
	    arg ? arg : "", arg ? "'" : "");
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static int
parse_outputs(const char *list, unsigned *outputs)
{
	char *copy = strdup(list), *word, *save = NULL;
	int rc = 0;

	*outputs = 0;
	for (word = strtok_r(copy, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		if (strcmp(word, "html") == 0)
			*outputs |= OUT_HTML;
		else if (strcmp(word, "xml") == 0)
			*outputs |= OUT_XML;
		else if (strcmp(word, "tree") == 0)
			*outputs |= OUT_TREE;
		else if (strcmp(word, "layout") == 0)
			*outputs |= OUT_LAYOUT;
		else if (strcmp(word, "pdf") == 0)
			*outputs |= OUT_PDF;
		else {
			rc = usage_error("unknown output type", word);
			break;
		}
	}
	free(copy);
	if (rc == 0 && *outputs == 0)
		rc = usage_error("no output type given to -t", NULL);
	return rc;
}

/* A whole number of seconds, from 1 to a day. */
static int
parse_seconds(const char *arg, int *seconds)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < 1 || v > 86400)
		return usage_error("--filter-time needs a whole number of seconds (1 to 86400), not",
		    arg);
	*seconds = (int)v;
	return 0;
}

/* A TCP port, 0 (any free one) to 65535. */
static int
parse_port(const char *arg, int *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < 0 || v > 65535)
		return usage_error("-p needs a port number (0 to 65535), not", arg);
	*port = (int)v;
	return 0;
}

static int
add_override(struct meta *map, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *key = eq ? strndup(arg, (size_t)(eq - arg)) : strdup(arg);
	struct meta *m;

	if (*key == '\0') {
		free(key);
		return usage_error("-M needs KEY=VALUE, not", arg);
	}
	meta_set_str(map, key, eq ? eq + 1 : "true");
	if (eq == NULL) {
		for (m = map->first; m != NULL; m = m->next)
			if (strcmp(m->key, key) == 0)
				m->type = META_BOOL;
	}
	free(key);
	return 0;
}

/* $SOURCE_DATE_EPOCH as the reproducible-builds convention has it, else the time now. */
static long long
source_date_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s != NULL && *s != '\0') {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			return v;
		fprintf(stderr, "galley: warning: SOURCE_DATE_EPOCH '%s' is not a number of "
		    "seconds; using the time now\n", s);
	}
	return (long long)time(NULL);
}

static double
seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Whether to show a progress line: standard error is a terminal, and not a CI log. */
static int
want_progress(int quiet, int n)
{
	const char *ci = getenv("CI"), *term = getenv("TERM");

	return !quiet && n > 1 && isatty(STDERR_FILENO) && (ci == NULL || *ci == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}

/* Shows "[i/n] path" on the status line, keeping the end of a long path. */
static void
show_progress(int i, int n, const char *path)
{
	char line[128];
	size_t len = strlen(path);
	const char *tail = path;

	if (len > 80) {
		tail = path + len - 80;
		while ((*tail & 0xC0) == 0x80)	/* not in the middle of a character */
			tail++;
	}
	snprintf(line, sizeof(line), "[%d/%d] %s%s", i, n, tail == path ? "" : "…", tail);
	msg_status(line);
}

/*
 * Builds (or checks) files[0..n) in order, then writes the depfile.  With
 * more than one file and without -q, ends with a summary line.  Returns the
 * exit status.
 */
static int
build_all(struct build *b, char **files, int n, int quiet, int check_only)
{
	double start = seconds_now();
	int progress = want_progress(quiet, n), failed = 0, i, errors, warnings;

	for (i = 0; i < n; i++) {
		if (progress)
			show_progress(i + 1, n, files[i]);
		if (build_file(b, files[i]) == -1)
			failed++;
	}
	if (progress)
		msg_status(NULL);
	if (build_finish(b) == -1 && failed == 0)
		failed = -1;	/* the documents are built, the depfile is not */
	if (n > 1 && !quiet) {
		char done[32] = "";
		errors = msg_errors();
		warnings = msg_warnings();
		if (failed > 0)
			snprintf(done, sizeof(done), "%d of ", n - failed);
		msg_note("%s%d documents %s, %d warning%s, %d error%s, %.2f s", done, n,
		    check_only ? "checked" : "built", warnings, warnings == 1 ? "" : "s",
		    errors, errors == 1 ? "" : "s", seconds_now() - start);
	}
	return failed != 0 ? EXIT_DOC_ERRORS : 0;
}

int
main(int argc, char *argv[])
{
	enum { OPT_STRICT = 256, OPT_UNSAFE, OPT_SELF, OPT_TRUST, OPT_STATS, OPT_HELP,
	    OPT_VERSION, OPT_TRUST_PATHS, OPT_DEPFILE, OPT_COMMENTS_FORM, OPT_FILTER_TIME,
	    OPT_HOST };
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "unsafe", no_argument, NULL, OPT_UNSAFE },
		{ "self-contained", no_argument, NULL, OPT_SELF },
		{ "trust-filters", no_argument, NULL, OPT_TRUST },
		{ "trust-paths", no_argument, NULL, OPT_TRUST_PATHS },
		{ "filter-time", required_argument, NULL, OPT_FILTER_TIME },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "depfile", required_argument, NULL, OPT_DEPFILE },
		{ "comments-form", no_argument, NULL, OPT_COMMENTS_FORM },
		{ "quiet", no_argument, NULL, 'q' },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct build_opts opts;
	struct meta *overrides = meta_new(META_MAP, NULL, 0, 0);
	struct build *b;
	const char *command;
	char **filters = NULL;
	size_t nfilters = 0;
	int c, strict = 0, quiet = 0, rc = 0, index = 0, serve = 0;
	struct srv_opts sopts = { "127.0.0.1", 8000, NULL, NULL, 0, NULL, 0 };

#ifdef M_MXFAST
	/*
	 * No fast bins in glibc's malloc: Lua and libxml2 free millions of small
	 * blocks, and every larger allocation after that sorted them all back
	 * (malloc_consolidate), a tenth of the time of a long document.
	 */
	mallopt(M_MXFAST, 0);
#endif
	memset(&opts, 0, sizeof(opts));
	opts.outdir = ".";
	opts.outputs = OUT_HTML;
	opts.overrides = overrides;
	opts.epoch = source_date_epoch();
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		goto out;
	}
	if (argc == 2 && strcmp(argv[1], "keys") == 0) {
		/* The configuration keys and diagnostic ids, from the one table (schema.c). */
		struct buf ref = BUF_INIT;
		schema_describe(&ref);
		fputs(buf_str(&ref), stdout);
		buf_free(&ref);
		goto out;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("galley %s\n", GALLEY_VERSION);
		goto out;
	}
	if (argc < 2) {
		rc = usage_error("no command given", NULL);
		goto out;
	}
	command = argv[1];
	if (strcmp(command, "check") == 0)
		opts.check_only = 1;
	else if (strcmp(command, "index") == 0)
		index = 1;
	else if (strcmp(command, "serve") == 0) {
		serve = 1;
		opts.outputs = OUT_HTML | OUT_PDF;
	} else if (strcmp(command, "build") != 0) {
		rc = usage_error("unknown command", command);
		goto out;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:t:s:L:M:qp:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			opts.outdir = optarg;
			break;
		case 't':
			if ((rc = parse_outputs(optarg, &opts.outputs)) != 0)
				goto out;
			break;
		case 's':
			opts.style = optarg;
			break;
		case 'L':
			filters = realloc(filters, (nfilters + 1) * sizeof(*filters));
			if (filters == NULL) {
				fputs("galley: out of memory\n", stderr);
				return EXIT_USAGE;
			}
			filters[nfilters++] = optarg;
			break;
		case 'M':
			if ((rc = add_override(overrides, optarg)) != 0)
				goto out;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_STRICT:
			strict = 1;
			break;
		case OPT_UNSAFE:
			opts.unsafe = 1;
			break;
		case OPT_SELF:
			opts.self_contained = 1;
			break;
		case OPT_STATS:
			opts.stats = 1;
			break;
		case OPT_DEPFILE:
			opts.depfile = optarg;
			break;
		case OPT_COMMENTS_FORM:
			opts.comments_form = 1;
			break;
		case OPT_TRUST:
			opts.trust_filters = 1;
			break;
		case OPT_TRUST_PATHS:
			opts.trust_paths = 1;
			break;
		case OPT_FILTER_TIME:
			if ((rc = parse_seconds(optarg, &opts.filter_seconds)) != 0)
				goto out;
			break;
		case 'p':
		case OPT_HOST:
			if (!serve) {
				rc = usage_error("-p and --host are for `galley serve`", NULL);
				goto out;
			}
			if (c == OPT_HOST)
				sopts.host = optarg;
			else if ((rc = parse_port(optarg, &sopts.port)) != 0)
				goto out;
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			goto out;
		case OPT_VERSION:
			printf("galley %s\n", GALLEY_VERSION);
			goto out;
		default:
			fputs(usage_text, stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (optind >= argc) {
		rc = usage_error("no input files", NULL);
		goto out;
	}
	if (serve && (strcmp(opts.outdir, "-") == 0 || opts.depfile != NULL ||
	    !(opts.outputs & OUT_HTML))) {
		rc = usage_error("serve needs `-o DIR`, HTML among the outputs and no --depfile",
		    NULL);
		goto out;
	}
	if (!index && strcmp(opts.outdir, "-") == 0 && (argc - optind > 1 ||
	    (opts.outputs & (opts.outputs - 1)) != 0)) {
		rc = usage_error("-o - takes one input file and one output type", NULL);
		goto out;
	}
	if (opts.comments_form && strcmp(opts.outdir, "-") == 0) {
		rc = usage_error("--comments-form writes two files: it needs `-o DIR`", NULL);
		goto out;
	}
	if (opts.depfile != NULL && (strcmp(opts.outdir, "-") == 0 || *opts.depfile == '\0' ||
	    opts.check_only)) {
		rc = usage_error("--depfile needs `build -o DIR` and a file name", NULL);
		goto out;
	}
	msg_configure(strict, quiet);
	opts.filters = (const char *const *)filters;
	opts.nfilters = nfilters;
	if (serve) {
		sopts.outdir = opts.outdir;
		sopts.build = &opts;
		sopts.strict = strict;
		sopts.inputs = argv + optind;
		sopts.ninputs = (size_t)(argc - optind);
		rc = srv_run(&sopts);
		goto out;
	}
	b = build_new(&opts);
	if (index) {
		rc = build_index(b, argv + optind, (size_t)(argc - optind)) == -1 ||
		    build_finish(b) == -1 ? EXIT_DOC_ERRORS : 0;
	} else
		rc = build_all(b, argv + optind, argc - optind, quiet, opts.check_only);
	build_free(b);
out:
	free(filters);
	meta_free(overrides);
	return rc;
}
