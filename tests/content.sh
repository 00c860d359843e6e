# Integration tests over content/, sourced by tests/run.sh with $G, $TMP, check, bad.

c=$TMP/content
rm -rf "$c"
# Each issue folder is one document, and its articles are not documents of their own.
issues=$(find content -name issue.yaml | sed 's#/issue.yaml$##' | sort)
articles=$(printf '%s/\n' $issues)
for src in $(find content -name '*.md' | grep -v -F "$articles" | sort) $issues; do
	dir=$c/$(dirname "${src#content/}")
	html=$dir/$(basename "$src" .md).html
	if "$G" build -o "$dir" "$src" 2>"$c.err"; then ok; else bad "content: $src builds"; fi
	check "content: $src has no warnings" test ! -s "$c.err"
	check "content: $src is UTF-8" iconv -f UTF-8 -t UTF-8 "$html"
	check "content: $src declares its language" grep -q '<html lang="zh-CN"' "$html"
	check "content: $src declares UTF-8" grep -qi '<meta charset="utf-8">' "$html"
	check "content: $src keeps no soft break between Chinese characters" \
		sh -c "! grep -qPz '\\p{Han}\\n\\p{Han}' '$html'"
	check "content: $src has no script" sh -c "! grep -qiE '<script|(href|src)=\"javascript:' '$html'"
done

# A pandoc filter that changes nothing, run before galley's filters (-M filters=) and
# after them (-L), leaves each document's HTML as it was: pandoc's view and back is exact.
for src in $(find content -name '*.md' | grep -v -F "$articles" | sort) $issues; do
	"$G" build -q -t html -o - "$src" >"$c.plain.html" 2>"$c.plain.err"
	"$G" build -q -t html -o - -L tests/golden/pandoc-noop.lua "$src" >"$c.last.html" 2>"$c.last.err"
	"$G" build -q -t html -o - -M filters=tests/golden/pandoc-noop.lua "$src" >"$c.first.html" 2>/dev/null
	same "content: $src through pandoc's view last" "$c.plain.html" "$c.last.html"
	# Reading the metadata for pandoc's view says nothing of its own.
	same "content: $src through pandoc's view says what it said" "$c.plain.err" "$c.last.err"
	same "content: $src through pandoc's view first" "$c.plain.html" "$c.first.html"
done

b=$c/bulletin/2026-3.html
check "bulletin: bold ends at the full stop" \
	grep -qF '<strong>务必于10月15日前报送材料。</strong>逾期' "$b"
check "bulletin: bare URL ends before 。" \
	grep -qF 'href="https://www.example.org.cn/notice/2026-18" class="url">https://www.example.org.cn/notice/2026-18</a>。' "$b"
check "bulletin: bare URL ends before ）" \
	grep -qF 'href="https://example.org/reg" class="url">https://example.org/reg</a>）' "$b"
check "bulletin: event table with its caption" grep -qF '<span class="number">表1</span>　2026年第四季度活动安排' "$b"
check "bulletin: photo as a numbered figure" grep -qF '<span class="number">图2</span>　第十二届博览会每日专业观众人次' "$b"
check "bulletin: section heading with its id" grep -q '<h2 id="news-ipv6"' "$b"

s=$c/standard/t-xaf-001.html
check "standard: the 前言 sentence is whole" grep -qF \
	'本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。' "$s"
check "standard: term heading id from attributes" grep -q 'id="term-vss"' "$s"
check "standard: annex classes" grep -q 'class="annex normative"' "$s"
check "standard: clauses numbered" grep -qF '<span class="number">4.2</span>　施工依据' "$s"
check "standard: annex numbered" grep -qF '<span class="number">附录A</span><span class="annex-type">（规范性）</span>' "$s"
check "standard: reference to a table" grep -qF '<a href="#tbl-bend-radius" class="xref">表1</a>' "$s"
check "standard: reference to an annex table" grep -qF '<a href="#tbl-record" class="xref">表A.1</a>' "$s"
check "standard: lists lettered" grep -q '<ol class="paren lower-alpha"' "$s"

n=$c/notice/implementation-rules.html
check "notice: 发文字号 intact" grep -qF '溪安协〔2026〕7号' "$n"
check "notice: typed 一、 replaced by the computed number" grep -qF '<span class="number">一、</span>总则' "$n"
check "notice: second level numbered" grep -qF '<span class="number">（四）</span>组织机构' "$n"

# Terms: the standard's entries come from content/terms/security.yaml, its 索引 is built.
pdf=$TMP/content-standard.txt
"$G" build -t pdf -o "$c/standard" content/standard/t-xaf-001.md 2>/dev/null
pdftotext "$c/standard/t-xaf-001.pdf" "$pdf" 2>/dev/null
check "standard: term entry 3.1 from the term base" grep -qF '<span class="number">3.1</span><br>视频监控系统　<span class="term-en">video surveillance system</span>' "$s"
check "standard: term entry keeps its id" grep -q '<h2 id="term-trial" class="term"' "$s"
check "standard: term note from the term base" grep -qF '<p class="note">注：公共安全视频监控系统通常通过视频联网平台' "$s"
check "standard: term example from the term base" grep -qF '<p class="example">示例：预埋管路' "$s"
check "standard: term source" grep -qF '<p>[来源：GB 50348—2018，2.0.18，有修改]</p>' "$s"
check "standard: index links to the entry numbers" grep -qF '<p class="index-entry">试运行　<a href="#term-trial" class="xref">3.10</a></p>' "$s"
check "standard: no page-ref in HTML" sh -c "! grep -q 'page-ref' '$s'"
check "standard PDF: term entry number on its own line" grep -qx '3\.10' "$pdf"
check "standard PDF: term entries" grep -qF '隐蔽工程' "$pdf"
check "standard PDF: English equivalents" grep -qF 'trial operation' "$pdf"
check "standard PDF: the index" grep -qF '汉语拼音索引' "$pdf"
check "standard PDF: the English index" grep -qF '英文对应词索引' "$pdf"
check "standard PDF: an index entry with its number" grep -qF '试运行 3.10' "$pdf"
check "bulletin: first use annotated and linked" grep -qF '<a href="#gloss-term-credit" class="term">信用评价</a>（credit evaluation）' "$b"
check "bulletin: glossary row with its id" grep -qF '<span id="gloss-term-otdr">光时域反射仪</span>' "$b"
check "bulletin: glossary sorted by pinyin" sh -c "grep -o 'id=\"gloss-[^\"]*\"' '$b' | head -3 | tr '\n' ' ' | grep -qF 'id=\"gloss-term-large-model\" id=\"gloss-term-pvss\" id=\"gloss-term-pvis\"'"
