# CI-grade builds, sourced by tests/run.sh with $G, $TMP, $ROOT, $label, check, same, bad:
# --depfile, make rebuilding only what a change touches (the real Makefile in a copy),
# byte-identical rebuilds, and the progress and summary lines of a run.

e=$TMP/deps
rm -rf "$e"
mkdir -p "$e/doc/img" "$e/out"
cp tests/golden/images/small.png "$e/doc/img/a b.png"
cat >"$e/doc/fig.md" <<'MD'
---
title: 依赖
filters: [mark]
---

正文。

![图](img/a%20b.png)
MD
printf 'return { Str = function(s) return s end }\n' >"$e/doc/mark.lua"
export SOURCE_DATE_EPOCH=1700000000

# The depfile names the outputs, the source first, the filter beside the document, the
# style's default filters, the style files (imports folded), the image and the fonts.
run_deps() {
	"$@" >"$e/stdout" 2>"$e/stderr"
	echo $? >"$e/status"
}
run_deps "$G" build -t html,pdf -o "$e/out" --depfile "$e/out/fig.d" "$e/doc/fig.md"
check "depfile: the build succeeds" test "$(cat "$e/status")" = 0
check "depfile: written" test -s "$e/out/fig.d"
check "depfile: targets are the outputs" \
	grep -qx "$e/out/fig.html $e/out/fig.pdf $e/out/article.css: \\\\" "$e/out/fig.d"
check "depfile: the source comes first" \
	sh -c "sed -n 2p '$e/out/fig.d' | grep -qx ' $e/doc/fig.md \\\\'"
# make itself reads the rule back: the prerequisites it sees, one a line (the image's
# name, with its space, comes out in two pieces here).
cat >"$e/show.mk" <<MK
include $e/out/fig.d
$e/out/fig.html: ; @printf '%s\n' \$^
MK
make -B -s -f "$e/show.mk" "$e/out/fig.html" >"$e/prereqs" 2>"$e/make.err"
check "depfile: make reads it" test ! -s "$e/make.err" -a -s "$e/prereqs"
for want in "$e/doc/fig.md" "$e/doc/mark.lua" lua-filters/crossref.lua lua-filters/page-control.lua \
    styles/article/html.xsl styles/common/html.xsl styles/common/base.css \
    styles/article/style.css styles/article/defaults.yaml styles/common/page.yaml; do
	check "depfile: names $want" grep -qxF "$want" "$e/prereqs"
done
check "depfile: the image, its space escaped for make" grep -qF 'img/a\ b.png' "$e/out/fig.d"
# The output is up to date for make, so it found every file, the image's name whole;
# a newer image makes it out of date.
touch -d '2000-01-01' "$e/doc/img/a b.png"
check "depfile: make finds every file" make -q -f "$e/show.mk" "$e/out/fig.html"
touch -d '2100-01-01' "$e/doc/img/a b.png"
check "depfile: a newer image makes the output out of date" \
	sh -c "! make -q -f '$e/show.mk' '$e/out/fig.html'"
touch "$e/doc/img/a b.png"
check "depfile: fonts from fontconfig" \
	sh -c "grep -E '^/.*\\.(ttf|ttc|otf)\$' '$e/prereqs' | head -1 | xargs test -f"
check "depfile: no file is named twice" test "$(sort "$e/prereqs" | uniq -d | wc -l)" = 0
check "depfile: nothing missing" sh -c "grep -v -e '/img/a\$' -e '^b.png\$' '$e/prereqs' |
	while read -r f; do test -e \"\$f\" || exit 1; done"
check "depfile: an empty rule for the image" grep -qxF "$e/doc/img/a\\ b.png:" "$e/out/fig.d"
# The source too: a document that moves (a bulletin that became a folder) leaves a
# depfile naming a file that is gone, and make must not stop on it.
check "depfile: an empty rule for the source" grep -qxF "$e/doc/fig.md:" "$e/out/fig.d"
check "depfile: no temporary file left" test "$(ls "$e/out" | grep -c tmp)" = 0
# An HTML-only build reads no page style, image or font.
run_deps "$G" build -o "$e/out" --depfile "$e/out/html.d" "$e/doc/fig.md"
check "depfile: HTML only names no image" sh -c "! grep -q 'a\\\\ b.png' '$e/out/html.d'"
check "depfile: HTML only names no page style" sh -c "! grep -q 'page.yaml' '$e/out/html.d'"
# A run with a failed document leaves the depfile as it was.
cp "$e/out/fig.d" "$e/fig.d.good"
printf -- '---\nx: [\n---\n' >"$e/doc/bad.md"
run_deps "$G" build -o "$e/out" --depfile "$e/out/fig.d" "$e/doc/fig.md" "$e/doc/bad.md"
check "depfile: a failed document fails the run" test "$(cat "$e/status")" = 1
same "depfile: kept when a document failed" "$e/fig.d.good" "$e/out/fig.d"
run_deps "$G" build -o - --depfile "$e/x.d" "$e/doc/fig.md"
check "depfile: refused with -o -" test "$(cat "$e/status")" = 2
mkdir -p "$e/clash/fig.d"
run_deps "$G" build -o "$e/out" --depfile "$e/clash/fig.d" "$e/doc/fig.md"
check "depfile: one that cannot be written fails the run" test "$(cat "$e/status")" = 1
check "depfile: ... with a message" grep -qF "$e/clash/fig.d: error: cannot write" "$e/stderr"

# Reproducible: two clean builds, in different directories, are byte for byte the same.
mkdir -p "$e/r1" "$e/r2"
check "reproducible: the first build" "$G" build -q -t html,pdf -o "$e/r1" \
	content/bulletin/2026-3 content/notice/implementation-rules.md
# (From elsewhere the shared term base lies outside both the document's folder
# and the working directory: --trust-paths lets the build read it.)
check "reproducible: the second build, elsewhere" sh -c "cd '$e/r2' && GALLEY_DATA='$ROOT' \
	'$G' build -q --trust-paths -t html,pdf -o . '$ROOT/content/bulletin/2026-3'"
check "reproducible: the second build, one at a time" \
	"$G" build -q -t html,pdf -o "$e/r2" content/notice/implementation-rules.md
check "reproducible: two builds give the same bytes" diff -r "$e/r1" "$e/r2"
check "reproducible: dated by SOURCE_DATE_EPOCH" \
	sh -c "pdfinfo -isodates '$e/r1/2026-3.pdf' | grep -q '^CreationDate: *2023-11-14T22:13:20'"
check "reproducible: no random file ID" sh -c "! grep -aq '/ID *\\[' '$e/r1/2026-3.pdf'"

# The summary line ends a run of several documents; -q, or a single document, has none.
printf '正文\n' >"$e/doc/one.md"
printf '[x](javascript:alert(1))\n' >"$e/doc/warn.md"
run_deps "$G" build -o "$e/out" "$e/doc/one.md" "$e/doc/warn.md"
check "summary: the last line" \
	sh -c "tail -1 '$e/stderr' | grep -qx 'galley: 2 documents built, 1 warning, 0 errors, [0-9]*\\.[0-9][0-9] s'"
check "summary: after the warning" grep -q 'warning: unsafe URL' "$e/stderr"
run_deps "$G" build -o "$e/out" "$e/doc/one.md" "$e/doc/bad.md"
check "summary: failed documents counted" \
	sh -c "tail -1 '$e/stderr' | grep -qx 'galley: 1 of 2 documents built, 0 warnings, 1 error, [0-9.]* s'"
run_deps "$G" check "$e/doc/one.md" "$e/doc/warn.md"
check "summary: check says checked" grep -q '^galley: 2 documents checked, 1 warning' "$e/stderr"
run_deps "$G" build -q -o "$e/out" "$e/doc/one.md" "$e/doc/warn.md"
check "summary: -q prints nothing" test ! -s "$e/stderr"
run_deps "$G" build -o "$e/out" "$e/doc/one.md"
check "summary: none for one document" test ! -s "$e/stderr"

# Progress: "[i/n] FILE" in place on a terminal; none under CI, with -q or into a file.
if command -v script >/dev/null 2>&1; then
	env -u CI TERM=xterm script -qec "'$G' build -o '$e/out' '$e/doc/one.md' '$e/doc/warn.md'" \
		/dev/null >"$e/tty" 2>&1
	# The terminal's lines, each "\r" starting a new one and the clear-line codes removed.
	tr '\r' '\n' <"$e/tty" | sed "s/$(printf '\033')\\[K//g" >"$e/tty.txt"
	check "progress: shown on a terminal" grep -qxF "[2/2] $e/doc/warn.md" "$e/tty.txt"
	check "progress: updated in place" grep -qF "$(printf '\r\033[K[2/2]')" "$e/tty"
	check "progress: the warning on a line of its own" grep -q '^galley: .*warning: unsafe URL' "$e/tty.txt"
	check "progress: cleared before the summary" \
		grep -qx 'galley: 2 documents built, 1 warning, 0 errors, [0-9.]* s' "$e/tty.txt"
	CI=true TERM=xterm script -qec "'$G' build -o '$e/out' '$e/doc/one.md' '$e/doc/warn.md'" \
		/dev/null >"$e/tty" 2>&1
	check "progress: none under CI" sh -c "! grep -qF '[1/2]' '$e/tty'"
	env -u CI TERM=xterm script -qec "'$G' build -q -o '$e/out' '$e/doc/one.md' '$e/doc/warn.md'" \
		/dev/null >"$e/tty" 2>&1
	check "progress: none with -q" test ! -s "$e/tty"
fi
check "progress: none into a file" sh -c "! grep -qF '[1/2]' '$e/stderr'"

# make rebuilds what a change touches and nothing else: the real Makefile in a copy of
# the tree (objects and binary copied with their times, so nothing is compiled again).
# Every file is dated a minute ago before each change, so only the changed one is newer.
if [ "$label" = galley ]; then
	m=$e/make
	mkdir -p "$m/out" "$m/content/extra"
	cp -p Makefile "$m/"
	cp -pR tool styles lua-filters "$m/"
	cp -pR out/obj out/gen "$m/out/"
	mkdir -p "$m/out/bin" && cp -p out/bin/galley "$m/out/bin/"
	cp -pR content/bulletin content/notice content/standard content/terms "$m/content/"
	printf -- '---\ntitle: 小\nfilters: [local]\n---\n\n正文。\n' >"$m/content/extra/small.md"
	printf 'return {}\n' >"$m/content/extra/local.lua"
	age() { find "$m" -exec touch -h -d "@$(($(date +%s) - 60))" {} +; }
	# rebuilt: the documents make builds now, sorted, on one line.
	rebuilt() {
		(cd "$m" && make -j2 docs 2>&1) >"$m/log"
		grep '^out/bin/galley build' "$m/log" | grep -o 'content/[^ ]*$' | sort | tr '\n' ' '
	}
	all="content/bulletin/2026-2 content/bulletin/2026-3 content/extra/small.md content/notice/implementation-rules.md content/standard/t-xaf-001.md "
	check "make: the first build builds everything" test "$(rebuilt)" = "$all"
	check "make: an issue's article files are not built alone" \
		sh -c "! grep -q 'bulletin/2026-3/[^ ]*\\.md' '$m/log'"
	check "make: no output for an article" test ! -e "$m/out/bulletin/2026-3/news-ai.html"
	check "make: the index page of the bulletins" \
		grep -q 'href="2026-2.pdf"' "$m/out/bulletin/index.html"
	check "make: every document has its depfile" \
		test -s "$m/out/bulletin/2026-3.d" -a -s "$m/out/extra/small.d"
	mkdir -p "$e/first"
	(cd "$m/out" && cp -pR bulletin notice extra "$e/first/")
	check "make: a second run does nothing" test "$(rebuilt)" = ""
	age
	touch "$m/content/notice/implementation-rules.md"
	check "make: a source rebuilds its document only" \
		test "$(rebuilt)" = "content/notice/implementation-rules.md "
	check "make: then nothing" test "$(rebuilt)" = ""
	age
	touch "$m/content/bulletin/2026-3/news-ai.md"
	check "make: an article rebuilds its issue only" \
		test "$(rebuilt)" = "content/bulletin/2026-3 "
	check "make: ... not the index page" sh -c "! grep -q 'galley index' '$m/log'"
	age
	touch "$m/content/bulletin/2026-2/issue.yaml"
	check "make: an issue.yaml rebuilds its issue" \
		test "$(rebuilt)" = "content/bulletin/2026-2 "
	check "make: ... and the index page" grep -q 'galley index' "$m/log"
	age
	touch "$m/styles/bulletin/style.css"
	check "make: a style file rebuilds that style's documents only" \
		test "$(rebuilt)" = "content/bulletin/2026-2 content/bulletin/2026-3 "
	age
	touch "$m/content/bulletin/2026-3/images/inspection.png"
	check "make: an image rebuilds the documents showing it" \
		test "$(rebuilt)" = "content/bulletin/2026-3 "
	age
	touch "$m/content/terms/security.yaml"
	check "make: the shared term base rebuilds exactly the documents using it" \
		test "$(rebuilt)" = "content/bulletin/2026-3 content/standard/t-xaf-001.md "
	touch "$m/content/extra/local.lua"
	check "make: a document's own filter rebuilds it only" \
		test "$(rebuilt)" = "content/extra/small.md "
	age
	touch "$m/styles/common/html.xsl"
	check "make: the common stylesheet rebuilds every document" test "$(rebuilt)" = "$all"
	# A dependency deleted (with the reference to it) does not stop make.
	age
	printf -- '---\ntitle: 小\n---\n\n正文。\n' >"$m/content/extra/small.md"
	rm "$m/content/extra/local.lua"
	check "make: a deleted dependency does not stop make" \
		test "$(rebuilt)" = "content/extra/small.md "
	check "make: ... and it succeeded" sh -c "! grep -q 'No rule to make' '$m/log'"
	# Without its depfile a document depends on every style file, filter and data file.
	age
	rm "$m/out/notice/implementation-rules.d"
	touch "$m/styles/bulletin/style.css"
	check "make: without a depfile a document depends on every style" \
		test "$(rebuilt)" = "content/bulletin/2026-2 content/bulletin/2026-3 content/notice/implementation-rules.md "
	# A clean rebuild gives the same bytes.
	rm -rf "$m/out/bulletin" "$m/out/notice" "$m/out/extra"
	printf -- '---\ntitle: 小\nfilters: [local]\n---\n\n正文。\n' >"$m/content/extra/small.md"
	printf 'return {}\n' >"$m/content/extra/local.lua"
	rebuilt >/dev/null
	check "make: a clean rebuild is byte-identical" \
		diff -r "$e/first/bulletin" "$m/out/bulletin"
	check "make: ... for every document" diff -r "$e/first/notice" "$m/out/notice"
fi
