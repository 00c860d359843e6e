# Standard drafts read back from their PDFs: line numbers, the draft mark, page labels and
# running heads; bad values of their keys.  Sourced by tests/run.sh with $G, $TMP, $ROOT.

dr=$TMP/draft
rm -rf "$dr"
mkdir -p "$dr/on" "$dr/off" "$dr/final"
export SOURCE_DATE_EPOCH=1700000000
# tests/pdf/draft.md asks for line numbers; the same without them, and as a 报批稿.
"$G" build -q -t pdf,layout -o "$dr/on" tests/pdf/draft.md 2>"$dr/err"
check "draft: the draft builds without messages" test ! -s "$dr/err"
"$G" build -q -t pdf -M line-numbers=false -o "$dr/off" tests/pdf/draft.md
"$G" build -q -t pdf -M stage=报批稿 -o "$dr/final" tests/pdf/draft.md
on=$dr/on/draft.pdf
off=$dr/off/draft.pdf
pages=$(pdfinfo "$on" | awk '/^Pages:/ { print $2 }')
check "draft: the draft has a cover, front matter and two body pages" test "$pages" -ge 4

# Line numbers are shown but are no text: extraction gives exactly the text without them.
pdftotext -enc UTF-8 "$on" "$dr/on.txt"
pdftotext -enc UTF-8 "$off" "$dr/off.txt"
same "draft: text extraction is the same with line numbers as without" "$dr/off.txt" "$dr/on.txt"
check "draft: the body comes back in order" \
	awk '{ gsub(/ /, "") } /条文1.1.1：/ { a = NR } /条文1.2.6：/ { b = NR } /条文2.1.1：/ { c = NR }
	     /条文3.2.6：/ { d = NR } END { exit !(a && a < b && b < c && c < d) }' "$dr/on.txt"
# Each number is a span with an empty ActualText, as many on a page as the layout numbers there.
layout_counts() {
	awk '/^page / { p = $2 } /\(not text\)$/ { n[p]++ }
	     END { for (i = 1; i <= '"$pages"'; i++) printf "%d\n", n[i] + 0 }' "$1"
}
pdf_counts() {
	qpdf --show-pages "$1" | awk '/content:/ { getline; print $1 }' | while read -r obj; do
		qpdf --show-object="$obj" --filtered-stream-data "$1" | grep -c '^/Span <</ActualText <FEFF>>> BDC$'
	done
}
layout_counts "$dr/on/draft.layout" >"$dr/layout.counts"
pdf_counts "$on" >"$dr/pdf.counts"
same "draft: the PDF draws the layout's line numbers, page by page" "$dr/layout.counts" "$dr/pdf.counts"
check "draft: no line numbers on the cover and the 目次, some on every page after them" \
	awk 'NR <= 2 && $1 != 0 { exit 1 } NR > 2 && $1 == 0 { exit 1 }' "$dr/pdf.counts"
check "draft: the 目次 is page 2" sh -c "pdftotext -enc UTF-8 -f 2 -l 2 '$on' - | grep -q '目'"
check "draft: no line numbers without line-numbers" \
	sh -c "test \"\$(qpdf --qdf --object-streams=disable '$off' - | grep -ca ActualText)\" = 0"
# Numbers restart at 1 on each page and count up by one, at the text lines' baselines.
check "draft: the numbers restart at 1 on each page and go up by one" \
	awk '/^page / { want = 1 } /\(not text\)$/ { if ($NF != "text)" || $(NF - 3) != "\"" want "\"") exit 1; want++ }' \
	"$dr/on/draft.layout"
check "draft: each number sits on a text line's baseline" \
	awk '/^page / { delete ys } /^  text / && !/not text/ { split($2, a, ","); ys[a[2]] = 1 }
	     /\(not text\)$/ { split($2, a, ","); if (!(a[2] in ys)) exit 1 }' "$dr/on/draft.layout"
# Seen on the page: ink in the left margin strip (30–65 pt) of every page with numbered
# lines, and none without line numbers.
ink() {
	pdftoppm -gray -r 72 -f "$2" -l "$2" -x 30 -y 60 -W 35 -H 700 "$1" "$dr/strip"
	tail -n +4 "$dr"/strip*.pgm | od -An -v -tu1 | tr -s ' ' '\n' | awk '$1 != "" && $1 < 160' | wc -l
	rm -f "$dr"/strip*.pgm
}
margins_ok=1
p=3
while [ "$p" -le "$pages" ]; do
	[ "$(ink "$on" "$p")" -gt 0 ] || margins_ok=0
	[ "$(ink "$off" "$p")" -eq 0 ] || margins_ok=0
	p=$((p + 1))
done
check "draft: numbers are seen in the left margin of every page, and only with line-numbers" \
	test "$margins_ok" = 1

# The draft mark: the stage in the head of every page after the cover; none on a 报批稿's.
marks=0
finals=0
p=2
while [ "$p" -le "$pages" ]; do
	pdftotext -enc UTF-8 -f "$p" -l "$p" "$on" - | grep -qx '征求意见稿' && marks=$((marks + 1))
	pdftotext -enc UTF-8 -f "$p" -l "$p" "$dr/final/draft.pdf" - | grep -q '报批稿' &&
		finals=$((finals + 1))
	p=$((p + 1))
done
check "draft: 征求意见稿 heads every page after the cover" test "$marks" = $((pages - 1))
check "draft: a 报批稿 has no draft mark" test "$finals" = 0

# Page labels: the cover 封面, the front matter I, II …, the body from 1; the footers print
# the same numbers, and every page after the cover is headed by the document code.
qpdf --json --json-key=pagelabels "$on" | tr -d ' \n' >"$dr/labels.json"
check "draft: page labels 封面, then I from page 2, then 1" \
	grep -q '"index":0,"label":{"/P":"u:封面"[^}]*}},{"index":1,"label":{"/S":"/R","/St":1}},{"index":[0-9]*,"label":{"/S":"/D","/St":1}}' "$dr/labels.json"
body=$(tr ',' '\n' <"$dr/labels.json" | awk -F: '/"index"/ { i = $NF } /"\/D"/ { print i + 1; exit }')
heads=0
p=2
while [ "$p" -le "$pages" ]; do
	pdftotext -enc UTF-8 -layout -f "$p" -l "$p" "$on" "$dr/page.txt"
	grep -q 'T/TEST 002—2026' "$dr/page.txt" && heads=$((heads + 1))
	p=$((p + 1))
done
check "draft: the document code heads every page after the cover" test "$heads" = $((pages - 1))
check "draft: the front matter's footer prints I" \
	sh -c "pdftotext -enc UTF-8 -f 2 -l 2 '$on' - | grep -qx 'I'"
check "draft: the body's first page prints 1 and is where the labels say" \
	sh -c "pdftotext -enc UTF-8 -f $body -l $body '$on' - | grep -qx '1' &&
	    pdftotext -enc UTF-8 -f $body -l $body '$on' - | tr -d ' ' | grep -q '第1章的标题' &&
	    ! pdftotext -enc UTF-8 -f $((body - 1)) -l $((body - 1)) '$on' - | tr -d ' ' | grep -q '第1章'"

# Bad values of the style's keys are errors at their line and column, every one reported.
printf -- '---\ntitle: 草案\n---\n\n正文\n' >"$dr/plain.md"
GALLEY_DATA=$ROOT/tests "$G" build -s baddraft -t layout -o - "$dr/plain.md" >"$dr/stdout" 2>"$dr/stderr"
echo "exit $?" >>"$dr/stderr"
sed -e "s|$ROOT/|<root>/|g" -e "s|$dr/|<tmp>/|g" "$dr/stderr" >"$dr/bad.err"
same "draft: bad page.yaml keys reported at their places" tests/styles/baddraft.err "$dr/bad.err"
check "draft: bad page.yaml keys: no layout written" test ! -s "$dr/stdout"
# A bad line-numbers from -M has no place in the file, but is an error all the same.
"$G" build -t layout -o - -M line-numbers=every "$dr/plain.md" >"$dr/stdout" 2>"$dr/stderr"
check "draft: a bad -M line-numbers is an error" \
	sh -c "test $? = 1 && grep -q \"error: front matter: 'line-numbers' must be\" '$dr/stderr'"

# The comment form (意见汇总表): a row per clause in order, as HTML and as CSV.
"$G" build -q -t html --comments-form -o "$dr/form" tests/pdf/draft.md 2>"$dr/err"
check "form: builds without messages" test ! -s "$dr/err"
csv=$dr/form/draft.comments.csv
check "form: the CSV starts with a UTF-8 byte-order mark" \
	sh -c "head -c 3 '$csv' | od -An -tx1 | grep -q 'ef bb bf'"
check "form: every CSV line ends with CRLF" \
	sh -c "test \"\$(grep -c \"\$(printf '\r')\$\" '$csv')\" = \"\$(wc -l <'$csv')\""
# The rows of tests/pdf/draft.md, written out by hand: 前言, then chapters and clauses.
printf '\357\273\277序号,章条编号,意见内容,修改建议,提出单位\r\n' >"$dr/form.want"
n=0
for clause in 前言 1 1.1 1.2 2 2.1 2.2 3 3.1 3.2; do
	n=$((n + 1))
	printf '%s,%s,,,\r\n' "$n" "$clause" >>"$dr/form.want"
done
same "form: the CSV has the header and a row per clause, in order" "$dr/form.want" "$csv"
html=$dr/form/draft.comments.html
check "form: the HTML is headed by the title" grep -q '<h1>《行号与草案标记测试》意见汇总表</h1>' "$html"
check "form: ... and the code and stage" grep -q 'T/TEST 002—2026（征求意见稿）' "$html"
check "form: the HTML has the five columns" \
	grep -q '<th class="form-no">序号</th><th class="form-clause">章条编号</th><th class="form-comment">意见内容</th><th class="form-proposal">修改建议</th><th class="form-unit">提出单位</th>' "$html"
check "form: the HTML has as many rows as the CSV" \
	test "$(grep -o '<tr>' "$html" | wc -l)" = "$(wc -l <"$csv")"
check "form: the HTML's rows are empty to fill in" \
	grep -q '<td class="form-clause">1.1</td><td></td><td></td><td></td></tr>' "$html"
# The standard: term entries, the annex and its clauses, 参考文献; no 目次, no 索引.
"$G" build -q -t html --comments-form -o "$dr/std" content/standard/t-xaf-001.md 2>"$dr/err"
scsv=$dr/std/t-xaf-001.comments.csv
check "form: the standard's form lists its term entries" \
	sh -c "grep -q '^5,3.1,,,' '$scsv' && grep -q ',3.10,,,' '$scsv'"
check "form: ... the annexes, their clauses and the bibliography last" \
	sh -c "tail -8 '$scsv' | cut -d, -f2 | tr '\n' ' ' | grep -qx '附录A A.1 A.2 附录B B.1 B.2 B.3 参考文献 '"
check "form: ... no 目次 nor 索引" sh -c "! grep -q '目\|索引' '$scsv'"
# CSV quoting (RFC 4180), shown with a test style whose cells hold heading titles.
printf -- '---\ntitle: 引号\n---\n\n# 甲,乙\n\n# 说"是"\n\n# 平常\n' >"$dr/quote.md"
GALLEY_DATA=$ROOT/tests "$G" build -s formquote --comments-form -o "$dr/quote" "$dr/quote.md"
printf '\357\273\277标题,备注\r\n"甲,乙",第一行 第二行 粗\r\n"说""是""",第一行 第二行 粗\r\n平常,第一行 第二行 粗\r\n' \
	>"$dr/quote.want"
same "form: CSV fields quoted where they must be, white space made one space" \
	"$dr/quote.want" "$dr/quote/quote.comments.csv"
# The front matter's comments-form: true asks for it too; a style without one is an error.
printf -- '---\ntitle: 表\ncode: T/TEST 003\nstyle: standard\ncomments-form: true\n---\n\n# 范围\n\n正文。\n' \
	>"$dr/fm.md"
"$G" build -q -o "$dr/fm" "$dr/fm.md"
check "form: comments-form: true in the front matter writes the form" \
	sh -c "grep -q '^1,1,,,' '$dr/fm/fm.comments.csv' && test -s '$dr/fm/fm.comments.html'"
mkdir -p "$dr/art"
echo old >"$dr/art/plain.html"
"$G" build --comments-form -o "$dr/art" "$dr/plain.md" 2>"$dr/stderr"
check "form: a style without a comment form: exit 1" test $? = 1
check "form: ... with a message naming the style" \
	grep -q "error: the style 'article' has no comment form (styles/article/comments.xsl)" "$dr/stderr"
check "form: ... and the previous output kept" grep -qx old "$dr/art/plain.html"
"$G" build --comments-form -o - "$dr/plain.md" >/dev/null 2>"$dr/stderr"
check "form: --comments-form with -o - is a usage error" \
	sh -c "test $? = 2 && grep -q 'comments-form writes two files' '$dr/stderr'"
