# PDF read-back of tables, footnotes, columns and page breaks, sourced by tests/run.sh
# with $G, $TMP, check, bad.  Each page's text comes from poppler, not from galley.

b=$TMP/blocks
rm -rf "$b"
mkdir -p "$b"
if "$G" build -t pdf -o "$b" tests/golden/layout-table-pages.md tests/golden/layout-footnotes.md \
    tests/golden/layout-footnotes-page.md tests/golden/layout-columns.md 2>"$b/err"; then ok
else bad "blocks: the samples build"; cat "$b/err"; fi

# page_text FILE N: the text of page N.
page_text() { pdftotext -enc UTF-8 -f "$2" -l "$2" "$1" - 2>/dev/null; }

# A table over several pages: every page it is on repeats the head; the later ones say 表1（续）.
t=$b/layout-table-pages.pdf
pages=$(pdfinfo "$t" | awk '/^Pages:/ { print $2 }')
on=0 cont=0 heads=0
for n in $(seq 2 "$pages"); do
	page_text "$t" "$n" >"$b/page"
	grep -q '会员单位\|特长行' "$b/page" || continue
	on=$((on + 1))
	# The first page's text quotes “表1（续）” itself.
	[ "$on" -gt 1 ] && grep -q '^表 *1（续）' "$b/page" && cont=$((cont + 1))
	grep -q '检验内容' "$b/page" && heads=$((heads + 1))
done
check "blocks: the table runs over at least three pages" test "$on" -ge 3
check "blocks: its head is repeated on every page it is on" test "$heads" -eq "$on"
check "blocks: each later page says 表1（续）" test "$cont" -eq $((on - 1))
check "blocks: the table's notes come after its last row" \
	sh -c "pdftotext -enc UTF-8 '$t' - | awk '/特长行/ { r = NR } /注：检验依据/ { n = NR } END { exit !(r && n > r) }'"

# Footnotes: each note is on the page of its mark.
for f in layout-footnotes layout-footnotes-page; do
	pdf=$b/$f.pdf
	pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
	found=0
	for n in $(seq 1 "$pages"); do
		page_text "$pdf" "$n" >"$b/page"
		if grep -q '这里引用第一个脚注' "$b/page"; then
			grep -q '第一个脚注：数字编号' "$b/page" && found=1
		fi
	done
	check "blocks: a footnote is set on the page of its mark ($f)" test "$found" = 1
	check "blocks: a long footnote goes on over the next pages ($f)" \
		sh -c "pdftotext -enc UTF-8 '$pdf' - | grep -c '很长的脚注文字' | awk '{ exit !(\$1 >= 20) }'"
done
check "blocks: notes numbered per page are circled" \
	sh -c "pdftotext -enc UTF-8 '$b/layout-footnotes-page.pdf' - | grep -q '①'"

# Columns: the news section's text sits in two columns, and the section after them is full width.
"$G" build -t layout -o - tests/golden/layout-columns.md >"$b/columns.layout" 2>/dev/null
check "blocks: text in the right column" \
	awk '/^page/ { p = $2 } p == 2 && /^  text/ { split($2, xy, ","); if (xy[1] > 300) n++ }
	     END { exit !(n > 5) }' "$b/columns.layout"
check "blocks: a page break starts a new page" \
	sh -c "pdftotext -enc UTF-8 -f 3 -l 3 '$b/layout-columns.pdf' - | grep -q '分页符之后的新一页'"

# <br> in a table cell is a line break in the PDF too: the three numbers on three lines
# (they ran together as 0755-830709668307062383070196).
"$G" build -t pdf -o "$b" tests/golden/table-br.md 2>"$b/br.err"
check "blocks: <br> in a cell: no messages" test ! -s "$b/br.err"
pdftotext -enc UTF-8 -layout "$b/table-br.pdf" - 2>/dev/null >"$b/br.txt"
check "blocks: <br> in a cell breaks the line in the PDF" \
	sh -c "grep -q '0755-83070966 *\$' '$b/br.txt' && grep -q '0755-83070623 *\$' '$b/br.txt' && ! grep -q '0755-830709660755' '$b/br.txt'"

# 3,000 chained footnotes (each note refers to the next) pass to Lua and back: a note
# referred to from a note is passed beside the outermost one, not inside it.
python3 -c "
n = 3000
s = '---\ntitle: 链\n---\n\n正文[^1]。\n\n'
for i in range(1, n + 1):
    s += '[^%d]: 注%d%s。\n\n' % (i, i, '[^%d]' % (i + 1) if i < n else '')
open('$b/chain.md', 'w').write(s)"
"$G" build -t html,pdf -o "$b" "$b/chain.md" 2>"$b/chain.err"
check "blocks: 3,000 chained footnotes build" test $? = 0 -a -s "$b/chain.pdf"
check "blocks: ... with no messages" test ! -s "$b/chain.err"
"$G" build -t tree -o - "$b/chain.md" 2>/dev/null >"$b/chain.tree"
check "blocks: ... all 3,000 notes, in order" \
	sh -c "test \$(grep -c '^  footnote ' '$b/chain.tree') = 3000 && grep -qx '  footnote 6005:10 n=3000 #fn-3000' '$b/chain.tree'"
check "blocks: ... the last note in the PDF" sh -c "pdftotext -enc UTF-8 '$b/chain.pdf' - | tr -d ' ' | grep -qx '注3000。'"

# A document-wide columns: 2 sets the whole body in two columns (no heading needed);
# a bad value is an error at the key (tests/cli.sh).
python3 -c "
open('$b/cols.md', 'w').write('---\ntitle: 两栏的杂志页\ncolumns: 2\n---\n\n' + '杂志正文分两栏排。' * 120 + '\n')"
"$G" build -t tree,layout,html -o "$b" "$b/cols.md" 2>"$b/cols.err"
check "blocks: columns: 2 builds without messages" test ! -s "$b/cols.err"
check "blocks: ... the body is one Div .columns-2" grep -q '^  div .* \.columns-2$' "$b/cols.tree"
check "blocks: ... in the HTML too" grep -qF '<main><div class="columns-2">' "$b/cols.html"
check "blocks: ... and in the PDF, text in both halves of page 1" awk '
	/^page 2/ { exit } /^  text .*杂志正文/ { split($2, xy, ","); if (xy[1] < 200) l = 1; if (xy[1] > 300) r = 1 }
	END { exit !(l && r) }' "$b/cols.layout"
