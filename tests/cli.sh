# CLI tests, sourced by tests/run.sh with $G (the galley binary), $TMP, check, same, bad.

d=$TMP/cli
rm -rf "$d"
mkdir -p "$d/out"

# Each prints its exit status after its output so one comparison checks both.
run() {
	"$@" >"$d/stdout" 2>"$d/stderr"
	echo $? >"$d/status"
}
status_is() { [ "$(cat "$d/status")" = "$1" ]; }
stderr_has() { grep -qF -- "$1" "$d/stderr"; }

run "$G" --version
check "--version prints the version" grep -qx 'galley [0-9.]*' "$d/stdout"
check "--version exits 0" status_is 0
run "$G" --help
check "--help shows usage" grep -q 'usage: galley build' "$d/stdout"
check "--help exits 0" status_is 0
run "$G"
check "no command: exit 2" status_is 2
check "no command: message" stderr_has "galley: error: no command given"
run "$G" frobnicate x.md
check "unknown command: exit 2" status_is 2
run "$G" build
check "no inputs: exit 2" status_is 2
run "$G" build -t html,bogus x.md
check "unknown output type: exit 2" status_is 2
run "$G" build -o "$d/out" -L no-such-filter tests/golden/heading-attrs.md
check "-L with an unknown filter: exit 1" status_is 1
check "-L with an unknown filter: message" stderr_has "error: unknown filter 'no-such-filter'"
run "$G" build --filter-time 0 tests/golden/heading-attrs.md
check "--filter-time 0: exit 2" status_is 2
check "--filter-time 0: message" stderr_has "error: --filter-time needs a whole number of seconds"
run "$G" build -o - -t html,tree tests/golden/heading-attrs.md
check "-o - with two outputs: exit 2" status_is 2
run "$G" build -o "$d/out" "$d/missing.md"
check "missing input: exit 1" status_is 1
check "missing input: message names the file" \
	stderr_has "galley: $d/missing.md: error: cannot read: No such file or directory"

# A good build writes the HTML and the style's CSS beside it, and nothing else.
cat >"$d/doc.md" <<'MD'
---
title: 原标题
---

正文**加粗。**继续。
MD
run "$G" build -o "$d/out" "$d/doc.md"
check "good build: exit 0" status_is 0
check "good build: HTML written" test -s "$d/out/doc.html"
check "good build: CSS written beside it" test -s "$d/out/article.css"
check "good build: HTML links the CSS" grep -q 'href="article.css"' "$d/out/doc.html"
check "good build: title" grep -q '<title>原标题</title>' "$d/out/doc.html"
check "good build: no temporary files left" \
	test "$(ls "$d/out" | sort | tr '\n' ' ')" = "article.css doc.html "
cp "$d/out/doc.html" "$d/good.html"

# A failed build leaves the previous output untouched.
printf -- '---\ntitle: [坏\n---\n\n正文\n' >"$d/doc.md"
run "$G" build -o "$d/out" "$d/doc.md"
check "bad build: exit 1" status_is 1
check "bad build: message at the YAML line" stderr_has "galley: $d/doc.md:2:8: error: front matter:"
same "bad build: previous HTML intact" "$d/good.html" "$d/out/doc.html"
check "bad build: no temporary files left" \
	test "$(ls "$d/out" | sort | tr '\n' ' ')" = "article.css doc.html "

# An unwritable output directory is an error, not a crash; nothing is half-written.
mkdir -p "$d/ro"
printf '正文\n' >"$d/ok.md"
if [ "$(id -u)" != 0 ]; then
	chmod 555 "$d/ro"
	run "$G" build -o "$d/ro" "$d/ok.md"
	check "unwritable directory: exit 1" status_is 1
	check "unwritable directory: message" stderr_has "error: cannot write"
	chmod 755 "$d/ro"
fi
# An output path that is a directory cannot be replaced.
mkdir -p "$d/clash/ok.html"
run "$G" build -o "$d/clash" "$d/ok.md"
check "output path is a directory: exit 1" status_is 1
check "output path is a directory: message" stderr_has "$d/clash/ok.html: error: cannot write"

# --strict turns a warning into an error, and then nothing is written.
printf '[x](javascript:alert(1))\n' >"$d/warn.md"
run "$G" build -o "$d/w1" "$d/warn.md"
check "warning: exit 0" status_is 0
check "warning: reported" stderr_has "$d/warn.md:1:1: warning: unsafe URL"
run "$G" build --strict -o "$d/w2" "$d/warn.md"
check "--strict: exit 1" status_is 1
check "--strict: reported as error" stderr_has "$d/warn.md:1:1: error: unsafe URL"
check "--strict: nothing written" test ! -e "$d/w2/warn.html"
run "$G" build -q -o "$d/w3" "$d/warn.md"
check "-q hides warnings" test ! -s "$d/stderr"

# Several inputs: a bad one fails the run but the good ones are still built.
printf -- '---\nx: [\n---\n' >"$d/bad.md"
run "$G" build -o "$d/multi" "$d/bad.md" "$d/ok.md"
check "mixed inputs: exit 1" status_is 1
check "mixed inputs: good one built" test -s "$d/multi/ok.html"
check "mixed inputs: bad one not built" test ! -e "$d/multi/bad.html"

# galley check writes nothing.
run "$G" check "$d/ok.md"
check "check: exit 0" status_is 0
check "check: writes nothing" test ! -e ok.html
run "$G" check "$d/bad.md"
check "check: errors give exit 1" status_is 1

# -M overrides the front matter; -s overrides the front matter's style.
printf -- '---\ntitle: 原来\nstyle: notice\n---\n\n正文\n' >"$d/meta.md"
run "$G" build -t tree -o - -M title=改过 -M draft "$d/meta.md"
check "-M KEY=VALUE overrides" grep -q '"title": string "改过"' "$d/stdout"
check "-M KEY sets true" grep -q '"draft": bool "true"' "$d/stdout"
run "$G" build -s bulletin -o "$d/s" "$d/meta.md"
check "-s overrides the front matter style" test -s "$d/s/bulletin.css"
run "$G" build -s '../x' -o "$d/s" "$d/meta.md"
check "-s with a path is refused" stderr_has "unknown style '../x'"

# --self-contained inlines the CSS and writes no CSS file.
run "$G" build --self-contained -o "$d/sc" "$d/ok.md"
check "--self-contained: style element" grep -q '<style' "$d/sc/ok.html"
check "--self-contained: no link" sh -c "! grep -q 'rel=\"stylesheet\"' '$d/sc/ok.html'"
check "--self-contained: no CSS file" test ! -e "$d/sc/article.css"

# An unchanged output is not rewritten (make sees the old timestamp).
run "$G" build -o "$d/same" "$d/ok.md"
touch -d '2000-01-01' "$d/same/ok.html"
run "$G" build -o "$d/same" "$d/ok.md"
check "unchanged output keeps its timestamp" \
	test "$(date -r "$d/same/ok.html" +%Y)" = 2000

# Styles are found through $GALLEY_DATA when the working directory has none.
(cd "$d" && GALLEY_DATA="$ROOT" "$G" build -o "$d/env" ok.md) >/dev/null 2>&1
check "GALLEY_DATA: styles found" test -s "$d/env/ok.html"
# A binary in a build tree (out/bin/galley) run from another directory uses its source
# tree's styles and filters: the PDF needs page.yaml, the filters crossref.lua and more.
(cd "$d" && "$G" build -t html,pdf -o "$d/elsewhere" ok.md) >/dev/null 2>"$d/stderr"
check "build tree binary from another directory: builds" test -s "$d/elsewhere/ok.html" -a -s "$d/elsewhere/ok.pdf"
check "build tree binary from another directory: no messages" test ! -s "$d/stderr"
# A copy of the binary with no data beside it says where it looked and names GALLEY_DATA.
mkdir -p "$d/lone/bin"
cp "$G" "$d/lone/bin/galley"
(cd "$d" && "$d/lone/bin/galley" build -o "$d/noenv" ok.md) >/dev/null 2>"$d/stderr"
check "no data directory: unknown style named" stderr_has "unknown style 'article'"
check "no data directory: the message names GALLEY_DATA" \
	stderr_has "(looked in ./styles, $d/lone/share/galley/styles; set GALLEY_DATA to the folder holding galley's styles/ and lua-filters/)"

# make install puts the binary and its data under PREFIX, and the installed
# galley finds its styles from anywhere.
if [ "$label" = galley ]; then
	make -s install PREFIX="$d/inst" >/dev/null 2>&1
	check "make install: binary" test -x "$d/inst/bin/galley"
	check "make install: styles" test -f "$d/inst/share/galley/styles/article/html.xsl"
	check "make install: lua-filters" test -d "$d/inst/share/galley/lua-filters"
	(cd "$d" && "$d/inst/bin/galley" build -t html,pdf -o "$d/inst-out" ok.md) >/dev/null 2>"$d/stderr"
	check "installed galley finds its styles" test -s "$d/inst-out/ok.html"
	check "installed galley finds its page styles and filters" test -s "$d/inst-out/ok.pdf" -a ! -s "$d/stderr"
	check "installed galley looks in its PREFIX, not the source tree" \
		sh -c "cd '$d' && '$d/inst/bin/galley' build -s nosuch -o '$d/inst-out' ok.md 2>&1 | grep -qF '$d/inst/share/galley/styles;'"
fi

# A broken stylesheet is reported at the stylesheet, and nothing is written.
mkdir -p "$d/sty/styles/broken" "$d/sty/styles/halts"
printf '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n<xsl:template match="/">\n</xsl:stylesheet>\n' \
	>"$d/sty/styles/broken/html.xsl"
printf '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n<xsl:template match="/"><xsl:message terminate="yes">stop here</xsl:message></xsl:template>\n</xsl:stylesheet>\n' \
	>"$d/sty/styles/halts/html.xsl"
(cd "$d/sty" && "$G" build -s broken -o out "$d/ok.md") >"$d/stdout" 2>"$d/stderr"
echo $? >"$d/status"
check "broken stylesheet: exit 1" status_is 1
check "broken stylesheet: message at its line" stderr_has "galley: styles/broken/html.xsl:3:18: error: Opening and ending tag mismatch"
check "broken stylesheet: nothing written" test ! -e "$d/sty/out/ok.html"
(cd "$d/sty" && "$G" build -s halts -o out "$d/ok.md") >"$d/stdout" 2>"$d/stderr"
echo $? >"$d/status"
check "stylesheet that stops: exit 1" status_is 1
check "stylesheet that stops: its message" stderr_has "galley: styles/halts/html.xsl: error: stop here"
check "stylesheet that stops: nothing written" test ! -e "$d/sty/out/ok.html"
# Every document naming a style that is unknown or did not load fails with a
# message of its own, not only the first (the style is looked up once a run).
run "$G" build -s nosuch -o "$d/s" "$d/ok.md" "$d/meta.md"
check "unknown style, two documents: the second's message" \
	stderr_has "galley: $d/meta.md: error: unknown style 'nosuch'"
check "unknown style, two documents: neither built" stderr_has "0 of 2 documents built"
(cd "$d/sty" && "$G" build -s broken -o out "$d/ok.md" "$d/meta.md") >"$d/stdout" 2>"$d/stderr"
check "broken stylesheet, two documents: the second's message" \
	stderr_has "galley: $d/meta.md: error: style 'broken' is unusable"
check "broken stylesheet, two documents: neither built" stderr_has "0 of 2 documents built"

# Filters run front matter first, then the style's, then -L: a -L filter sees
# the numbers the standard style's clause-numbering gave.
cat >"$d/after.lua" <<'LUA'
return {
	Heading = function(h)
		table.insert(h.content, galley.Str("=" .. (h.attr.attributes.number or "none")))
		return h
	end,
}
LUA
printf -- '---\nstyle: standard\n---\n\n# 范围\n\n## 要求\n' >"$d/std.md"
run "$G" build -t tree -o - -L "$d/after.lua" "$d/std.md"
check "-L runs after the style's filters" grep -q 'text "要求=1.1"' "$d/stdout"

# Filters get no io or os unless --trust-filters.
cat >"$d/writes.lua" <<LUA
return { Doc = function(doc) local f = io.open("$d/written.txt", "w"); f:write("x"); f:close() end }
LUA
run "$G" build -o "$d/t1" -L "$d/writes.lua" "$d/ok.md"
check "untrusted filter: exit 1" status_is 1
check "untrusted filter: no io" stderr_has "writes.lua:1: error: io.open is not available to filters without --trust-filters"
check "untrusted filter: wrote nothing" test ! -e "$d/written.txt"
# pandoc filters report on standard error; that much io they keep.
printf 'io.stderr:write("过滤器", 1, "\\n"):write("再一行\\n")\nreturn {}\n' >"$d/says.lua"
run "$G" build -o "$d/t3" -L "$d/says.lua" "$d/ok.md"
check "untrusted filter: io.stderr:write" stderr_has "过滤器1"
check "untrusted filter: io.stderr:write chains" stderr_has "再一行"
check "untrusted filter: io.stderr:write, exit 0" status_is 0
run "$G" build --trust-filters -o "$d/t2" -L "$d/writes.lua" "$d/ok.md"
check "--trust-filters: exit 0" status_is 0
check "--trust-filters: the filter wrote its file" test -e "$d/written.txt"

# A filter error leaves the previous output in place.
run "$G" build -o "$d/fe" "$d/ok.md"
cp "$d/fe/ok.html" "$d/fe-good.html"
printf 'return { Para = function() error("委员会的过滤器出错") end }\n' >"$d/fails.lua"
run "$G" build -o "$d/fe" -L "$d/fails.lua" "$d/ok.md"
check "filter error: exit 1" status_is 1
check "filter error: message at the filter line" stderr_has "$d/fails.lua:1: error: 委员会的过滤器出错"
same "filter error: previous output intact" "$d/fe-good.html" "$d/fe/ok.html"

# Bad cover and first-page-head elements in a page.yaml are errors at their line and
# column, every one reported (tests/styles/badcover, found through GALLEY_DATA).
printf -- '---\ntitle: 封面\n---\n\n正文\n' >"$d/cover.md"
GALLEY_DATA=$ROOT/tests "$G" build -s badcover -t layout -o - "$d/cover.md" >"$d/stdout" 2>"$d/stderr"
echo "exit $?" >>"$d/stderr"
sed -e "s|$ROOT/|<root>/|g" -e "s|$d/|<tmp>/|g" "$d/stderr" >"$d/cover.err"
same "bad cover elements: messages at their places" tests/styles/badcover.err "$d/cover.err"
check "bad cover elements: no layout written" test ! -s "$d/stdout"

# page.yaml and defaults.yaml are checked by the schema (tool/schema.c) as front matter
# is: a bad value is an error at the value naming what the key takes, an unknown key a
# warning naming the nearest known one, each message ending with its stable id.
for s in badkeys baddefaults typokeys; do
	GALLEY_DATA=$ROOT/tests "$G" build -s $s -t layout -o - "$d/cover.md" >"$d/stdout" 2>"$d/stderr"
	echo "exit $?" >>"$d/stderr"
	sed -e "s|$ROOT/|<root>/|g" -e "s|$d/|<tmp>/|g" "$d/stderr" >"$d/$s.err"
	same "schema: $s: messages at their places" tests/styles/$s.err "$d/$s.err"
done
check "schema: unknown page.yaml keys are warnings: the layout is written" test -s "$d/stdout"

# Term bases (galley.read_data) lie in the document's folder or the working directory's tree.
t=$d/terms
mkdir -p "$t/doc" "$t/elsewhere"
printf -- '- id: t-a\n  zh: 甲\n  en: alpha\n' >"$t/elsewhere/base.yaml"
ln -s ../elsewhere/base.yaml "$t/doc/link.yaml"
printf -- '---\nterm-bases: ../elsewhere/base.yaml\n---\n\n甲。\n' >"$t/doc/up.md"
printf -- '---\nterm-bases: link.yaml\n---\n\n甲。\n' >"$t/doc/link.md"
run sh -c "cd '$t/doc' && GALLEY_DATA='$ROOT' '$G' build -o '$t/out' up.md"
check "terms: ../ out of the folder and the working directory: exit 1" status_is 1
check "terms: ../ out of the tree: message at the key" \
	stderr_has "up.md:2:13: error: term base: ../elsewhere/base.yaml lies outside the document's folder and the working directory"
run sh -c "cd '$t/doc' && GALLEY_DATA='$ROOT' '$G' build -o '$t/out' link.md"
check "terms: a symbolic link out of the tree: exit 1" status_is 1
check "terms: a symbolic link out of the tree: message" stderr_has "link.yaml lies outside"
check "terms: nothing written after the error" test ! -e "$t/out/link.html"
run sh -c "cd '$t/doc' && GALLEY_DATA='$ROOT' '$G' build --trust-paths -o '$t/out' up.md link.md"
check "terms: --trust-paths lets them through" status_is 0
run sh -c "cd '$t' && GALLEY_DATA='$ROOT' '$G' build -o '$t/out' doc/up.md"
check "terms: inside the working directory's tree: exit 0" status_is 0

# The configuration keys come from one table: `galley keys` prints it, styles/README.md
# holds the same text between its markers, an unknown key near a known one is a warning
# that names it, with a stable diagnostic id.
"$G" keys >"$d/keys.md"
awk '/^<!-- galley keys -->/ { on = 1; next } /^<!-- end galley keys -->/ { on = 0 } on' \
	styles/README.md >"$d/keys.readme"
same "galley keys: styles/README.md is current (make keys-doc)" "$d/keys.readme" "$d/keys.md"
check "galley keys: lists a key with its type and default" grep -qF '| `columns` | 1 \| 2 \| 3 \| 4 | 1 |' "$d/keys.md"
printf -- '---\ntilte: 错字\n---\n\n正文。\n' >"$d/typo.md"
run "$G" check "$d/typo.md"
check "did you mean: a warning" status_is 0
check "did you mean: names the key and the id" \
	stderr_has "galley: $d/typo.md:2:1: warning: unknown key 'tilte' in front matter; did you mean 'title'? [key-near-miss]"
printf -- '---\ntitle: 栏数\ncolumns: 5\n---\n\n正文。\n' >"$d/choice.md"
run "$G" check "$d/choice.md"
check "a bad choice: an error" status_is 1
check "a bad choice: says the choices and the id" \
	stderr_has "galley: $d/choice.md:3:10: error: front matter: 'columns' must be one of 1, 2, 3, 4, not '5' [key-choice]"
