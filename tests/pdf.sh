# PDF read-back tests, sourced by tests/run.sh with $G, $TMP, $ROOT, check, bad.
# The PDF is read with poppler (pdftotext, pdffonts, pdfinfo) and qpdf, not with galley.

p=$TMP/pdf
rm -rf "$p"
mkdir -p "$p/a" "$p/b"
export SOURCE_DATE_EPOCH=1700000000	# 2023-11-14 22:13:20 UTC, not today
if "$G" build -t pdf -o "$p/a" tests/pdf/sample.md tests/pdf/long.md 2>"$p/err"; then ok
else bad "pdf: the samples build"; cat "$p/err"; fi
# Nothing but the summary line of a two-document run.
check "pdf: no warnings" test "$(grep -cv '^galley: 2 documents built, 0 warnings, 0 errors, [0-9.]* s$' "$p/err")" = 0
s=$p/a/sample.pdf
l=$p/a/long.pdf
check "pdf: a PDF file" sh -c "head -c 5 '$s' | grep -q '%PDF-'"

# Structure: qpdf finds nothing wrong.
for f in "$s" "$l"; do
	qpdf --check "$f" >"$p/qpdf" 2>&1
	check "pdf: qpdf --check passes ($(basename "$f"))" \
		grep -q 'No syntax or stream encoding errors' "$p/qpdf"
	check "pdf: qpdf --check has no warnings ($(basename "$f"))" \
		sh -c "! grep -qi 'warning\|error:' '$p/qpdf'"
done

# Fonts: every one embedded, subset (ABCDEF+ prefix) and with a ToUnicode map.
pdffonts "$s" | tail -n +3 >"$p/fonts"
check "pdf: fonts are listed" test -s "$p/fonts"
check "pdf: every font embedded, subset and mapped to Unicode" \
	awk '{ n = NF; if ($(n-4) != "yes" || $(n-3) != "yes" || $(n-2) != "yes") exit 1;
	       if ($1 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/) exit 1 }' "$p/fonts"
# The styles' first choices (styles/common/page.yaml): Noto CJK's OpenType/CFF faces,
# headings in the real Bold of the sans, emphasis in Fandol's 楷体.
check "pdf: the Chinese text font is there" grep -q 'NotoSerifCJKsc-Regular *CID Type 0C' "$p/fonts"
check "pdf: the heading font is there, in its Bold face" grep -q 'NotoSansCJKsc-Bold *CID Type 0C' "$p/fonts"
check "pdf: the emphasis font is there" grep -q 'FandolKai-Regular *CID Type 0C' "$p/fonts"
check "pdf: the monospaced font is there" grep -q 'NotoSansMonoCJKsc-Regular' "$p/fonts"
"$G" build -t layout -o - tests/pdf/sample.md 2>/dev/null >"$p/sample.layout"
check "pdf: headings are in the heading family's real Bold, digits too, none synthetic" \
	sh -c "grep -q 'Noto Sans CJK SC bold 1[0-9.]* \"1\"' '$p/sample.layout' &&
	       grep -q 'Noto Sans CJK SC bold 1[0-9.]* \"　范围\"' '$p/sample.layout' &&
	       ! grep -q 'fake bold' '$p/sample.layout'"

# Text: extracted without complaint, in reading order, and whole.
pdftotext -enc UTF-8 "$s" "$p/sample.txt" 2>"$p/pdftotext.err"
check "pdf: pdftotext reads it without messages" test ! -s "$p/pdftotext.err"
check "pdf: paragraphs come back in reading order" \
	awk '/甲段/ { a = NR } /乙段/ { b = NR } /丙段/ { c = NR } /丁段/ { d = NR } /戊段/ { e = NR }
	     END { exit !(a && a < b && b < c && c < d && d < e) }' "$p/sample.txt"
check "pdf: heading numbers come back" grep -q '1.1' "$p/sample.txt"
check "pdf: Latin text in Chinese text comes back" grep -q 'GB/T 1.1—2020' "$p/sample.txt"
check "pdf: the running head shows the document code" grep -q 'T/TEST 001—2026' "$p/sample.txt"
pdftotext -enc UTF-8 "$l" "$p/long.txt" 2>>"$p/pdftotext.err"
check "pdf: the long document runs to several pages" \
	test "$(pdfinfo "$l" | awk '/^Pages:/ { print $2 }')" -ge 5
check "pdf: every paragraph of the long document comes back" \
	test "$(grep -o '第 *[0-9]* *段' "$p/long.txt" | tr -d ' ' | sort -u | wc -l)" = 120
# Justified lines end flush with the measure in the PDF too: the even spreading of
# their glyphs is written once a line as character spacing (Tc) and the rest in TJ.
# Each paragraph of the long document has a line ending at the measure and one
# ending in a closing mark set in half an em, whose glyph (a full em wide) reaches
# past it: by half an em where the font sets the mark's ink on the left, less
# where the mark is moved left to keep centred ink (AR PL UMing's 、) inside.
pdftotext -bbox "$l" "$p/long.bbox" 2>>"$p/pdftotext.err"
sed -n 's/.*xMax="\([0-9.]*\)".*/\1/p' "$p/long.bbox" >"$p/long.right"
pdf_flush() {
	edges=$(awk '{ printf "%.2f\n", $1 }' "$p/long.right" | sort | uniq -c | sort -rn |
		awk 'NR <= 2 && $1 >= 100 { print $2 }' | sort -n | tr '\n' ' ')
	set -- $edges
	[ $# = 2 ] && awk -v a="$1" -v b="$2" 'function near(x, e) { return x > e - 1 && x < e + 1 }
		near($1, a) || near($1, b) { n++
			if (($1 - a) ^ 2 > 0.0001 && ($1 - b) ^ 2 > 0.0001) bad = 1 }
		END { exit bad || n < 240 || b - a < 2.5 || b - a > 5.3 }' "$p/long.right"
}
check "pdf: justified lines end flush with the measure" pdf_flush
# clreq: no line begins with a closing mark or a pause/stop mark, and none ends with an opening one.
check "pdf: no line starts with a mark that must not start a line" \
	sh -c "! grep -qE '^[，。、：；！？）》」』”’〉】]' '$p/long.txt' '$p/sample.txt'"
check "pdf: no line ends with a mark that must not end a line" \
	sh -c "! grep -qE '[（《「『“‘〈【]$' '$p/long.txt' '$p/sample.txt'"
check "pdf: no dash or ellipsis is split across lines" \
	sh -c "! grep -qE '(^—[^—]|[^—]—$|^…[^…]|[^…]…$)' '$p/long.txt'"

# Navigation: outline, links, page labels.
qpdf --json --json-key=outlines --json-key=pagelabels "$s" >"$p/json"
check "pdf: outline entry for the foreword" grep -q '"title": "前言"' "$p/json"
check "pdf: outline entry for chapter 1 with its number" grep -q '"title": "1　范围"' "$p/json"
# qpdf indents kids deeper than their parent.
check "pdf: outline nests clause 1.1 under chapter 1" \
	awk 'match($0, /^ *"title": "1　范围"/) { a = index($0, "\"") }
	     match($0, /^ *"title": "1.1　要求"/) { b = index($0, "\"") }
	     END { exit !(a && b > a) }' "$p/json"
check "pdf: the cover labelled 封面, the front matter in roman after it, the body from 1" \
	sh -c "tr -d ' \n' <'$p/json' | grep -q '\"index\":0,\"label\":{\"/P\":\"u:封面\"[^}]*}},{\"index\":1,\"label\":{\"/S\":\"/R\",\"/St\":1}},{\"index\":[0-9]*,\"label\":{\"/S\":\"/D\"'"
qpdf --qdf --object-streams=disable "$s" "$p/qdf.pdf" 2>/dev/null
check "pdf: links to places in the document" grep -qa '/Dest [0-9]* 0 R' "$p/qdf.pdf"
check "pdf: a destination is a page position" \
	sh -c "tr -s ' \n' ' ' <'$p/qdf.pdf' | grep -qa '/XYZ null [0-9.]* null'"
check "pdf: an external link is a URI action" grep -qa '/URI (https://example.org/spec)' "$p/qdf.pdf"
check "pdf: the page content is compressed" \
	sh -c "qpdf --show-object=\$(qpdf --show-pages '$s' | awk '/content:/ { getline; print \$1; exit }') --raw-stream-data '$s' | head -c 2 | od -An -tx1 | grep -q '78'"

# Document information from the front matter, dated by SOURCE_DATE_EPOCH.
pdfinfo "$s" >"$p/info"
check "pdf: title from the front matter" grep -q '^Title: *读回测试标准$' "$p/info"
check "pdf: authors joined with 、" grep -q '^Author: *张三、李四$' "$p/info"
check "pdf: keywords" grep -q '^Keywords: *排版, PDF$' "$p/info"
check "pdf: creator" grep -q '^Creator: *galley$' "$p/info"
check "pdf: creation date from SOURCE_DATE_EPOCH" grep -q "^CreationDate: .*Nov 14 22:13:20 2023" "$p/info"

# Reproducible: a second build elsewhere gives the same bytes.
"$G" build -t pdf -o "$p/b" tests/pdf/sample.md tests/pdf/long.md 2>/dev/null
check "pdf: two builds are byte-identical" cmp -s "$s" "$p/b/sample.pdf"
check "pdf: two builds of the long document are byte-identical" cmp -s "$l" "$p/b/long.pdf"
unset SOURCE_DATE_EPOCH

# Failure keeps the old PDF: a filter error leaves the good file untouched.
cp "$s" "$p/good.pdf"
printf 'return { Para = function() error("boom") end }\n' >"$p/boom.lua"
"$G" build -t pdf -o "$p/a" -L "$p/boom.lua" tests/pdf/sample.md 2>"$p/err"
check "pdf: a failing filter fails the build" test $? -eq 1
check "pdf: the failure leaves the old PDF in place" cmp -s "$p/good.pdf" "$s"
check "pdf: no temporary file is left" test "$(ls "$p/a" | wc -l)" -eq 2

# A font that is not installed is an error naming the Debian package.
mkdir -p "$p/data"
cp -R styles "$p/data/"
mkdir -p "$p/data/styles/nofont"
cp styles/article/* "$p/data/styles/nofont/"
printf 'font-cjk: WenQuanYi Micro Hei\n' >"$p/data/styles/nofont/page.yaml"
(cd "$p/data" && GALLEY_DATA=$ROOT "$G" build -t pdf -s nofont -o "$p/data" "$ROOT/tests/pdf/sample.md" 2>"$p/err")
check "pdf: a missing font fails the build" test $? -eq 1
check "pdf: the message names the package to install" grep -q 'fonts-wqy-microhei' "$p/err"
check "pdf: no PDF is written without its font" test ! -e "$p/data/sample.pdf"
# A family missing from a list falls back to the next with one warning naming its package,
# however many roles and weights ask for it.
mkdir -p "$p/data/styles/fallback"
cp styles/article/* "$p/data/styles/fallback/"
printf 'font-cjk: [WenQuanYi Micro Hei, Noto Serif CJK SC]\nfont-cjk-heading: [WenQuanYi Micro Hei, Noto Sans CJK SC]\n' \
	>"$p/data/styles/fallback/page.yaml"
(cd "$p/data" && GALLEY_DATA=$ROOT "$G" build -t pdf -s fallback -o "$p/data" "$ROOT/tests/pdf/sample.md" 2>"$p/err")
check "pdf: a missing family in a list falls back and builds" test $? -eq 0 -a -s "$p/data/sample.pdf"
check "pdf: one warning for it, at the style's line, naming the package and the stand-in" \
	test "$(grep -c "page.yaml:1:[0-9]*: warning: font 'WenQuanYi Micro Hei' is not installed; install it with 'apt-get install fonts-wqy-microhei'; 'Noto Serif CJK SC' stands in for it" "$p/err")" = 1 -a \
	"$(grep -c 'WenQuanYi Micro Hei' "$p/err")" = 1
pdffonts "$p/data/sample.pdf" >"$p/fonts"
check "pdf: the stand-in is used" grep -q 'NotoSerifCJKsc-Regular' "$p/fonts"
rm -f "$p/data/sample.pdf"

# OpenType fonts with CFF outlines (faces of a .ttc collection) embedded as CIDFontType0
# with a CIDFontType0C subset, beside TrueType ones: listed as such, embedded and subset,
# their text read back exactly, and each glyph selected by the same number whether a
# reader maps CIDs through the CFF's charset or takes them for glyph ids.
mkdir -p "$p/data/styles/cff"
cp styles/article/* "$p/data/styles/cff/"
printf 'font-cjk: Noto Serif CJK SC\nfont-latin: Noto Serif CJK SC\nfont-cjk-heading: Noto Sans CJK SC\nfont-latin-heading: Noto Sans CJK SC\nfont-mono: Liberation Mono\n' \
	>"$p/data/styles/cff/page.yaml"
printf '# 第 8 章　字体\n\n思源宋体的正文，“引号”、顿号和句号。Latin 2026 年。\n\n`code`\n' >"$p/cff.md"
(cd "$p/data" && GALLEY_DATA=$ROOT "$G" build -t pdf -s cff -o "$p/data" "$p/cff.md" 2>"$p/err")
check "pdf: a document in CFF fonts builds" test $? -eq 0 -a -s "$p/data/cff.pdf"
pdffonts "$p/data/cff.pdf" | tail -n +3 >"$p/fonts"
check "pdf: the CFF fonts are CID Type 0C, embedded, subset and mapped to Unicode" \
	awk '/NotoSerifCJKsc-Regular|NotoSansCJKsc-Bold/ { n++; if ($2 != "CID" || $3 != "Type" ||
		$4 != "0C" || $6 != "yes" || $7 != "yes" || $8 != "yes" ||
		$1 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/) exit 1 } END { exit n != 2 }' "$p/fonts"
check "pdf: a TrueType font beside them stays CID TrueType" \
	grep -q 'LiberationMono *CID TrueType *Identity-H *yes yes yes' "$p/fonts"
pdftotext -enc UTF-8 "$p/data/cff.pdf" "$p/cff.txt" 2>"$p/pdftotext.err"
check "pdf: CFF text comes back without messages" test ! -s "$p/pdftotext.err"
check "pdf: CFF text comes back exactly" sh -c "tr -d '\f' <'$p/cff.txt' | grep -v '^\$' |
	tr '\n' '|' | grep -qx '第8章|字体|思源宋体的正文，“引号”、顿号和句号。Latin 2026 年。|code|1|'"
qpdf --check "$p/data/cff.pdf" >"$p/qpdf" 2>&1
check "pdf: qpdf --check passes with CFF fonts" \
	sh -c "grep -q 'No syntax or stream encoding errors' '$p/qpdf' && ! grep -qi 'warning' '$p/qpdf'"
qpdf --json-output --json-stream-data=inline --decode-level=generalized "$p/data/cff.pdf" \
	"$p/cff.json" 2>/dev/null
check "pdf: each CFF subset's CIDs are its glyph ids" python3 tests/cffcheck.py "$p/cff.json"

# GB/T 9704's 28 x 22 grid: every body line and heading on pages 1 (below the 版头,
# which ends with the addressee) and 2 of the notice sits one 29.0 pt grid line below
# the one before, and no line holds more than 28 characters (29 when two marks share
# a compressed em), each about 3 bytes of UTF-8.
"$G" build -t layout -o - content/notice/implementation-rules.md 2>/dev/null >"$p/notice.layout"
check "pdf: the notice's lines keep to the 22-line grid" \
	sh -c "awk '\$1 == \"page\" { p = \$2 } (p == 1 && body || p == 2) && \$1 == \"text\" {
		split(\$2, a, \",\"); printf \"%.2f\\n\", p * 10000 + a[2] } /各会员单位：/ { body = 1 }' \
		'$p/notice.layout' | sort -un |
	awk 'NR > 1 && \$1 - prev < 60 { d = \$1 - prev; if (d < 28.94 || d > 29.04) bad = 1; n++ }
		{ prev = \$1 } END { exit bad || n < 20 }'"
check "pdf: the notice's body starts on a grid line below the 版头" \
	sh -c "awk '\$1 == \"page\" { p = \$2 } p == 1 && /为进一步加强/ { split(\$2, a, \",\");
		l = (a[2] - 125.38) / 28.991; exit !(a[2] > 450 && l - int(l + 0.5) < 0.01 &&
		int(l + 0.5) - l < 0.01) }' '$p/notice.layout'"
check "pdf: the notice's type area holds 28 characters a line" \
	sh -c "awk -F'\"' '/^  text 79.37,/ && / 15.8 / { n++; if (length(\$2) > 29 * 3) bad = 1 }
		END { exit bad || n < 10 }' '$p/notice.layout'"

# Covers and first-page heads, built by the styles from the front matter.
mkdir -p "$p/covers"
"$G" build -t pdf -o "$p/covers" content/standard/t-xaf-001.md content/notice/implementation-rules.md \
	content/bulletin/2026-3 2>/dev/null
std=$p/covers/t-xaf-001.pdf
pdftotext -enc UTF-8 -f 1 -l 1 "$std" "$p/std1.txt" 2>/dev/null
for want in 'ICS 13.310' 'CCS A91' 'T/XAF 001—2026' '公共安全视频监控系统' '工程施工及验收规范' \
    'Code for construction and acceptance' '（征求意见稿）' '2026-08-20' \
    '请将您知道的相关专利连同支持性文件一并附上' '溪川省安全防范行业协会'; do
	check "pdf: the standard's cover shows $want" grep -qF "$want" "$p/std1.txt"
done
pdftotext -enc UTF-8 -f 2 -l 2 "$std" "$p/std2.txt" 2>/dev/null
# The patent notice is for comment and review drafts only (the element's `if: "stage: …"`).
sed -e 's/^stage: 征求意见稿/stage: 报批稿/' -e "s|\.\./terms/|$ROOT/content/terms/|" \
	content/standard/t-xaf-001.md >"$p/covers/final.md"
"$G" build -q --trust-paths -t pdf -o "$p/covers" "$p/covers/final.md" 2>/dev/null
check "pdf: no patent notice on a 报批稿's cover" \
	sh -c "pdftotext -enc UTF-8 -f 1 -l 1 '$p/covers/final.pdf' - | grep -q '（报批稿）' &&
	    ! pdftotext -enc UTF-8 -f 1 -l 1 '$p/covers/final.pdf' - | grep -q '相关专利'"
pdftotext -enc UTF-8 -layout "$std" - 2>/dev/null | sed 's/[ 　]//g' >"$p/std-all.txt"
check "pdf: the standard's 目次 follows its cover" \
	sh -c "pdftotext -enc UTF-8 -layout -f 2 -l 2 '$std' - | sed 's/[ 　]//g' | grep -qx '目次'"
check "pdf: the standard's foreword comes after the 目次" \
	sh -c "grep -nx '目次\|前言' '$p/std-all.txt' | tr '\n' ' ' | grep -q '目次.*前言'"
check "pdf: no running head on the standard's cover" \
	test "$(grep -c 'T/XAF 001—2026' "$p/std1.txt")" = 1
qpdf --json --json-key=pagelabels "$std" | tr -d ' \n' >"$p/std.json"
check "pdf: the standard's cover is unnumbered, then I, then 1" \
	grep -q '"index":0,"label":{"/P":"u:封面"[^}]*}},{"index":1,"label":{"/S":"/R","/St":1}},{"index":[0-9]*,"label":{"/S":"/D","/St":1}}' "$p/std.json"
bul=$p/covers/2026-3.pdf
qpdf --json --json-key=pagelabels "$bul" | tr -d ' \n' >"$p/bul.json"
check "pdf: the bulletin's cover is unnumbered and its body starts at 1" \
	grep -q '"index":0,"label":{"/P":"u:封面"[^}]*}},{"index":1,"label":{"/S":"/D","/St":1}}' "$p/bul.json"
pdftotext -enc UTF-8 -f 1 -l 1 "$bul" "$p/bul1.txt" 2>/dev/null
tr -d ' ' <"$p/bul1.txt" >"$p/bul1.nosp"
check "pdf: the bulletin's cover shows the issue" grep -q '2026年第3期' "$p/bul1.nosp"
check "pdf: the bulletin's cover shows the serial" grep -q '总第47期' "$p/bul1.nosp"
check "pdf: the bulletin's cover shows the permit" grep -qF '溪内资准字〔2026〕第018号' "$p/bul1.nosp"
# The content stream of page 1 of the notice fills the issuer mark in red (#e60012).
ntc=$p/covers/implementation-rules.pdf
qpdf --show-object="$(qpdf --show-pages "$ntc" | awk '/content:/ { getline; print $1; exit }')" \
	--filtered-stream-data "$ntc" >"$p/notice1.stream" 2>/dev/null
# 小标宋's stand-in, FandolSong Bold, is a real bold face: filled, not stroked as well.
check "pdf: the notice's issuer mark is red, in a real bold (no outline stroke)" \
	sh -c "tr '\n' ' ' <'$p/notice1.stream' | grep -q '0.902 0 0.071 rg BT \([0-9.]* Tc \)\?/F[0-9]* 36 Tf' &&
	       ! grep -q 'RG\|2 Tr' '$p/notice1.stream'"
check "pdf: the notice's red rule" grep -q '^0.902 0 0.071 rg$' "$p/notice1.stream"
check "pdf: the colour is reset to black after the red" grep -q '^0 g$' "$p/notice1.stream"
pdftotext -enc UTF-8 -f 1 -l 1 "$ntc" "$p/ntc1.txt" 2>/dev/null
check "pdf: the notice's page 1 shows the 发文字号 and the title" \
	sh -c "grep -qF '溪安协〔2026〕7' '$p/ntc1.txt' && grep -q '^关于印发' '$p/ntc1.txt'"

# A title and a heading of 40,000 characters (over libharu's 65,535 bytes for a string,
# which gave "libharu error 0x1025"): the PDF is written, their outline entry and
# document information shortened, with a warning naming each and the count kept.
python3 -c "
open('$p/longtitle.md', 'w').write('---\\ntitle: ' + '题' * 40000 + '\\n---\\n\\n# ' + '章' * 40000 + '\\n\\n正文。\\n')"
"$G" build -t pdf -o "$p/lt" "$p/longtitle.md" 2>"$p/lt.err"
check "pdf: a 40,000-character title still makes a PDF" test $? = 0 -a -s "$p/lt/longtitle.pdf"
check "pdf: ... the heading shortened in the outline, with a warning" grep -qxF \
	"galley: $p/longtitle.md: warning: the heading '章章章章章章章章章章章章…' in the outline is 40000 characters long: shortened to 31999, within the PDF's limit for a text string" "$p/lt.err"
check "pdf: ... the title shortened in the document information, with a warning" grep -qxF \
	"galley: $p/longtitle.md: warning: the title in the document information is 40000 characters long: shortened to 31999, within the PDF's limit for a text string" "$p/lt.err"
check "pdf: ... the document information holds the shortened title" \
	sh -c "pdfinfo -enc UTF-8 '$p/lt/longtitle.pdf' | grep '^Title:' | grep -q '题…\$'"

