# Bulletin issues kept as folders (issue.yaml + one file per article) and the index page,
# sourced by tests/run.sh with $G, $TMP, check, same, bad.

i=$TMP/issue
rm -rf "$i"
mkdir -p "$i"

# The small issue's model: sections from issue.yaml (positions in it), articles with their
# own file:line:col, bylines, headings moved under the article, notes numbered across the
# articles, image and link URLs rebased to the issue's parent folder.  (The .tree was read
# line by line against tests/issues/small/.)
"$G" build -t tree -o - tests/issues/small/ >"$i/small.tree" 2>"$i/small.err"
check "issue: the small issue builds without messages" test ! -s "$i/small.err"
same "issue: the small issue's model" tests/issues/small.tree "$i/small.tree"
"$G" build -t tree -o - tests/issues/small/issue.yaml >"$i/yaml.tree" 2>/dev/null
same "issue: naming issue.yaml builds the same document" tests/issues/small.tree "$i/yaml.tree"
check "issue: a section heading is at its place in issue.yaml" \
	grep -qx '  heading 7:12 level=1 #news' "$i/small.tree"
check "issue: an article's title at its front matter" \
	grep -qx '  heading tests/issues/small/meeting.md:2:8 level=2 #meeting' "$i/small.tree"
check "issue: the article's own heading goes one level under its title" \
	grep -qx '  heading tests/issues/small/meeting.md:9:1 level=3 #会议议程' "$i/small.tree"
check "issue: the second article's footnote is number 2" \
	grep -qx '  footnote tests/issues/small/training.md:9:7 n=2 #fn-2' "$i/small.tree"
check "issue: an article in a subfolder has its image rebased" \
	grep -qF 'image url="small/images/dot.png"' "$i/small.tree"
check "issue: the authors in the byline" grep -qF 'text "王俊、何雅琴"' "$i/small.tree"

"$G" build -t html,pdf -o "$i/out" --depfile "$i/out/small.d" tests/issues/small 2>"$i/err"
check "issue: outputs named after the folder" test -s "$i/out/small.html" -a -s "$i/out/small.pdf"
check "issue: byline under the title in the HTML" grep -qF '<p class="byline"><span class="byline-author">本刊记者　李明</span>　<span class="byline-date">2026年3月12日</span></p>' "$i/out/small.html"
check "issue: the section set in columns is a section" \
	grep -qF '<h1 id="industry" class="section columns-2">' "$i/out/small.html"
# The depfile names issue.yaml first (the source), then every article.
sed -n 2,5p "$i/out/small.d" >"$i/deps"
printf ' %s \\\n' tests/issues/small/issue.yaml tests/issues/small/meeting.md \
	tests/issues/small/training.md tests/issues/small/notes/standard.md >"$i/deps.want"
same "issue: the depfile lists issue.yaml and every article" "$i/deps.want" "$i/deps"
check "issue: an article's deletion does not stop make" grep -qx 'tests/issues/small/meeting.md:' "$i/out/small.d"
pdftotext -enc UTF-8 "$i/out/small.pdf" - 2>/dev/null | tr -d ' \n' >"$i/small.txt"
check "issue: byline under the title in the PDF" grep -qF '协会召开理事会本刊记者李明2026年3月12日' "$i/small.txt"

# Errors in issue.yaml, each at its line and column; the build fails and writes nothing.
bad_issue() {	# bad_issue NAME EXPECTED-MESSAGE; issue.yaml on standard input
	mkdir -p "$i/$1"
	cat >"$i/$1/issue.yaml"
	printf -- '---\ntitle: 文章\n---\n\n正文。\n' >"$i/$1/a.md"
	"$G" build -o "$i/$1.out" "$i/$1" 2>"$i/$1.err"
	check "issue error: $1 fails" test $? = 1
	check "issue error: $1 writes nothing" test ! -e "$i/$1.out/$1.html"
	if grep -qxF "galley: $i/$1/issue.yaml:$2" "$i/$1.err"; then ok; else
		bad "issue error: $1 says '$2'"
		cat "$i/$1.err"
	fi
}
bad_issue missing '4:22: error: cannot read article '\''b.md'\'': No such file or directory' <<'YAML'
title: 缺文件
sections:
  - title: 甲
    articles: [a.md, b.md]
YAML
bad_issue twice '6:16: error: article '\''./a.md'\'' is listed twice (first at line 4)' <<'YAML'
title: 重复
sections:
  - title: 甲
    articles: [a.md]
  - title: 乙
    articles: [./a.md]
YAML
bad_issue unknown-key '4:5: error: unknown key '\''colour'\'' in a section (known: title, id, class, articles) [key-unknown]' <<'YAML'
title: 错键
sections:
  - title: 甲
    colour: red
    articles: [a.md]
YAML
bad_issue near-miss '4:5: error: unknown key '\''artciles'\'' in a section; did you mean '\''articles'\''? (known: title, id, class, articles) [key-unknown]' <<'YAML'
title: 拼错
sections:
  - title: 甲
    artciles: [a.md]
YAML
bad_issue no-articles '5:5: error: section '\''乙'\'' has no articles' <<'YAML'
title: 空栏目
sections:
  - title: 甲
    articles: [a.md]
  - title: 乙
    articles: []
YAML
bad_issue no-sections '1:1: error: an issue needs '\''sections'\'': a list of sections, each with a title and its articles' <<'YAML'
title: 没有栏目
YAML

# Article paths are confined to the issue's folder as image paths are (img_resolve):
# "..", a symbolic link out and an absolute path are refused at their issue.yaml line and
# column, and --trust-paths lets each through.
c=$i/confine
rm -rf "$c" && mkdir -p "$c/issue"
printf -- '---\ntitle: 机密\n---\n\n不该发表的文字。\n' >"$c/secret.md"
printf -- '---\ntitle: 文章\n---\n\n正文。\n' >"$c/issue/a.md"
ln -s ../secret.md "$c/issue/link.md"
confined() {	# confined NAME ARTICLE EXPECTED-MESSAGE
	printf 'title: 泄露\nsections:\n  - title: 甲\n    articles: [a.md, %s]\n' "$2" >"$c/issue/issue.yaml"
	rm -rf "$c/out"
	"$G" build -o "$c/out" "$c/issue" 2>"$c/err"
	check "issue paths: $1 refused" test $? = 1
	check "issue paths: $1 writes nothing" test ! -e "$c/out/issue.html"
	if grep -qxF "galley: $c/issue/issue.yaml:4:22: error: article '$2': $3" "$c/err"; then ok; else
		bad "issue paths: $1 says '$3'"
		cat "$c/err"
	fi
	"$G" build --trust-paths -t html -o "$c/out" "$c/issue" 2>"$c/err"
	check "issue paths: $1 accepted with --trust-paths" test $? = 0
	check "issue paths: ... the outside article is in the issue" grep -qF '不该发表的文字' "$c/out/issue.html"
}
confined "a ../ path" ../secret.md "the path leads out of the document's folder (--trust-paths allows it)"
confined "a symbolic link out" link.md "the file lies outside the document's folder (through a symbolic link; --trust-paths allows it)"
confined "an absolute path" "$c/secret.md" "the path is absolute; give it relative to the document's folder (--trust-paths allows others)"

# Messages about an article's text name the article's file, not issue.yaml.
a=$i/articles
mkdir -p "$a"
printf 'title: 文章里的错\nsections:\n  - title: 甲\n    articles: [one.md, two.md]\n' >"$a/issue.yaml"
printf -- '---\ntitle: 一\n---\n\n## 小节 {#same}\n\n正文。\n' >"$a/one.md"
printf -- '---\ntitle: 二\nsubject: 多余\n---\n\n## 小节 {#same}\n\n![图](none.png)\n' >"$a/two.md"
"$G" build -o "$i/a.out" "$a" 2>"$i/a.err"
check "issue: an unknown key in an article's front matter, at the article" grep -qxF \
	"galley: $a/two.md:3:1: error: unknown key 'subject' in an article's front matter (known: title, author, byline, date, id) [key-unknown]" "$i/a.err"
sed -i '/^subject/d' "$a/two.md"
"$G" build -t pdf -o "$i/a.out" "$a" 2>"$i/a.err"
check "issue: a duplicate id in another article names both files" grep -qxF \
	"galley: $a/two.md:5:1: warning: duplicate id 'same' (first used at $a/one.md:5); renamed" "$i/a.err"
check "issue: a missing image is reported at its article" \
	grep -qF "galley: $a/two.md:7:1: error: image 'articles/none.png'" "$i/a.err"

# The index page: every issue, newest first, linking its HTML and PDF; a single-file
# bulletin is an issue too.
"$G" build -o "$i/idx" tests/issues/single.md 2>"$i/single.err"
check "issue: a single-file bulletin still builds" test -s "$i/idx/single.html"
check "issue: ... with its masthead" grep -qF '<p class="masthead-issue">2025年 第4期</p>' "$i/idx/single.html"
"$G" index -o "$i/idx" --depfile "$i/idx/index.d" tests/issues/single.md content/bulletin/2026-2 \
	tests/issues/small content/bulletin/2026-3/issue.yaml 2>"$i/index.err"
check "index: builds without messages" test ! -s "$i/index.err"
grep -o 'class="read" href="[^"]*"' "$i/idx/index.html" | sed 's/.*href="//; s/"$//' >"$i/order"
printf '%s\n' 2026-3.html 2026-2.html small.html single.html >"$i/order.want"
same "index: newest first, by date" "$i/order.want" "$i/order"
check "index: links the PDF" grep -qF '<a class="pdf" href="2026-3.pdf">' "$i/idx/index.html"
check "index: the issue's number and date" grep -qF '<span class="issue-number">2026年 第2期</span>' "$i/idx/index.html"
check "index: the date written the Chinese way" grep -qF '>2026年6月30日</time>' "$i/idx/index.html"
check "index: the sections of an issue" grep -qF '卷首语、协会动态、行业要闻、技术园地' "$i/idx/index.html"
check "index: in the bulletin style, for phones" \
	grep -qF '<meta name="viewport" content="width=device-width, initial-scale=1">' "$i/idx/index.html"
check "index: its stylesheet beside it" grep -q 'issue-links' "$i/idx/bulletin.css"
check "index: its depfile names each issue" grep -qx ' tests/issues/small/issue.yaml \\' "$i/idx/index.d"
"$G" index -o "$i/idx" "$i/no-such-issue" 2>"$i/index.err"
check "index: a missing issue fails" test $? = 1
check "index: ... with a message" grep -q 'cannot read' "$i/index.err"

# The PDF of the real issue: the contents list every section and article, and each
# page's running head carries the section the page opens in: the one carried over, or
# one whose label is the page's first line.
p=$i/pdf
mkdir -p "$p"
"$G" build -t pdf -o "$p" content/bulletin/2026-3 2>/dev/null
pdftotext -enc UTF-8 -f 2 -l 2 "$p/2026-3.pdf" - 2>/dev/null | tr -d ' \n' >"$p/contents"
missing=""
for t in $(sed -n 's/^  - title: //p' content/bulletin/2026-3/issue.yaml); do
	grep -qF "【$t】" "$p/contents" || missing="$missing 【$t】"
done
for f in content/bulletin/2026-3/*.md; do
	t=$(sed -n 's/^title: //p' "$f" | sed 's/[ 　]//g')
	grep -qF "$t" "$p/contents" || missing="$missing $t"
done
check "issue PDF: the contents list every section and article ($missing)" test -z "$missing"
pages=$(pdfinfo "$p/2026-3.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
sections=$(sed -n 's/^  - title: //p' content/bulletin/2026-3/issue.yaml)
current="" wrong="" n=3
while [ "$n" -le "${pages:-0}" ]; do
	pdftotext -enc UTF-8 -f "$n" -l "$n" -y 60 -W 600 -H 800 "$p/2026-3.pdf" "$p/page" 2>/dev/null
	first=$(grep -v '^ *$' "$p/page" | head -1)
	opens=$current
	for s in $sections; do
		[ "$first" = "$s" ] && opens=$s
		grep -qx "$s" "$p/page" && current=$s
	done
	head=$(pdftotext -enc UTF-8 -f "$n" -l "$n" -x 0 -y 0 -W 600 -H 60 "$p/2026-3.pdf" - | tr -d ' \n\f')
	[ "$head" = "溪川安防2026年第3期$opens" ] || wrong="$wrong $n:$head"
	n=$((n + 1))
done
check "issue PDF: the running head carries the section of its page ($wrong)" \
	test -n "$current" -a -z "$wrong"

# A check in an article points into that article's own text (galley.locate).
rm -rf "$i/loc" && cp -R tests/issues/small "$i/loc"
printf '中文,测试。\n' >>"$i/loc/meeting.md"
"$G" check "$i/loc" 2>"$i/loc.err"
check "issue: a check names the article's own line and column" \
	grep -qF "$i/loc/meeting.md:$(wc -l <"$i/loc/meeting.md"):3: warning: use '，' instead of ','" "$i/loc.err"

# Bulletin data: an article carries classes (columns-2 on one article, no empty heading
# needed), a section of class unlisted stays off the cover's list of sections, and the
# cover's contact line takes its own label.
d=$i/data
rm -rf "$d" && cp -R tests/issues/small "$d"
cat >"$d/issue.yaml" <<'YAML'
title: 测试会刊
issue: "2026年 第1期"
date: 2026-03-31
publisher: 测试协会
contact: https://www.example.org.cn
contact-label: 官网
sections:
  - title: 协会动态
    id: news
    articles:
      - {file: meeting.md, class: columns-2}
      - training.md
  - title: 编后记
    id: afterword
    class: unlisted
    articles: [notes/standard.md]
YAML
"$G" build -t html,pdf,layout,tree -o "$d/out" "$d" 2>"$d/err"
check "issue data: builds without messages" test ! -s "$d/err"
check "issue data: the article's title has its classes" \
	grep -qF '<h2 id="meeting" class="article-title columns-2">' "$d/out/data.html"
check "issue data: ... and the article alone goes in columns" \
	sh -c "grep -A1 '^  div .*meeting.md:2:8 .columns-2\$' '$d/out/data.tree' | grep -q 'heading .*level=2 #meeting .columns-2\$' && test \$(grep -c '^  div .*\.columns-2' '$d/out/data.tree') = 1"
check "issue data: an unlisted section is not in the cover's list" \
	sh -c "grep -q '\"sections\": list' '$d/out/data.tree' && ! grep -A3 '\"sections\": list' '$d/out/data.tree' | grep -q 编后记"
check "issue data: ... but is in the issue" grep -qF '编后记' "$d/out/data.html"
check "issue data: the contact line's own label on the cover" grep -q '"官网：' "$d/out/data.layout"
check "issue data: ... and 地址 by default" \
	sh -c "'$G' build -t layout -o - content/bulletin/2026-3 2>/dev/null | grep -q '\"地址：'"
printf 'title: 错键\nsections:\n  - title: 甲\n    articles:\n      - {file: a.md, colour: red}\n' >"$d/issue.yaml"
"$G" build -o "$d/out2" "$d" 2>"$d/err"
check "issue data: an unknown key in an article map is an error at it" \
	grep -qxF "galley: $d/issue.yaml:5:22: error: unknown key 'colour' in an article (known: class, file) [key-unknown]" "$d/err"
