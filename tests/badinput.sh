# Bad-input tests, sourced by tests/run.sh with $G, $TMP, $ROOT, $label, check, same, bad:
# whatever the input, galley neither crashes nor runs away; an error names its place
# (file:line:col when it has one), exits 1 and leaves the previous output as it was.
#
# Every kind of bad input issue 8 lists, and where it is tested:
#   invalid UTF-8 ................ golden invalid-utf8, terms-err-tsv-utf8; here: in the front
#                                  matter, the old HTML kept; golden filter-badtext (a filter's)
#   a BOM, CRLF line ends ........ golden bom-crlf; here: BOM + CRLF front matter
#   an empty file ................ golden empty; here: its PDF, and front matter alone
#   a 50 MB file ................. here, plain binary only: HTML under a memory cap
#   10,000-deep lists, quotes .... golden deep-nesting (257 quotes); here: 10,000-deep lists,
#                                  ordered lists, quotes, emphasis and brackets
#   a 1,000-column table ......... here: HTML and PDF (200 columns with the sanitizer binary);
#                                  no glyph over another, a warning (--strict: an error)
#   a 1 MB unbreakable paragraph . here: through layout to PDF (128 KB with the sanitizer binary);
#                                  and a line of 50,000 emphases (plain binary only)
#   malformed YAML ............... golden yaml-error, fm-unclosed, fm-not-mapping, fm-complex-key,
#                                  fm-duplicate-key, terms-err-yaml; cli.sh (the old HTML kept)
#   YAML anchors, aliases, bombs . golden fm-alias, fm-too-deep; here: a billion-laughs term base
#   front matter of wrong types .. golden fm-wrong-type, filters-map, terms-err-bases-type
#   unknown style, filter, scheme  golden unknown-style, style-traversal, filter-unknown,
#                                  num-unknown-scheme; cli.sh (-s ../x, -L)
#   a filter that errors ......... golden filter-runtime, filter-syntax, filter-wrongtype,
#                                  filter-wrongkind, filter-escape, filter-badtext; cli.sh and
#                                  pdf.sh (the old HTML and PDF kept)
#   ... leaves what galley cannot
#   take back .................... golden filter-badtext, filter-taken-metamethod (an error its
#                                  own code raises then, named once), filter-taken-meta,
#                                  filter-taken-place (each at the one place at fault),
#                                  filter-taken-memory (memory running out meanwhile)
#   ... loops, recurses .......... golden filter-loop, filter-recursion, filter-deep (elements
#                                  100,000 deep), filter-cycle (an element inside itself);
#                                  here: the CPU-time watchdog (--filter-time) stops a filter
#                                  stuck inside string.find, and one whose loop of library
#                                  calls catches errors; a plain loop gets the instruction limit
#   ... allocates without end .... golden filter-memory
#   a missing font ............... pdf.sh (the package named); here: the page.yaml place, old PDF kept
#   a font not TrueType, damaged . here: a BDF font and an emptied or overwritten TrueType file
#                                  that fontconfig's cache still names (FONTCONFIG_FILE)
#   images: missing, truncated,
#   not an image, 30,000² ........ figure.sh (PNG); here: a JPEG header of 30,000 × 30,000
#   paths out of the content tree  figure.sh (images: ../../etc/passwd, absolute, symbolic link,
#                                  in the PDF and in HTML-only builds);
#                                  cli.sh (term bases: ../, symbolic link); here: an absolute
#                                  term base, and links, which stay links and are never read
#   raw HTML: <script>, onerror=,
#   javascript: URLs ............. golden safety, safety-unsafe, safety-attrs
#   a term base with broken rows . golden terms-err-tsv-fields, terms-err-missing-field,
#                                  terms-err-duplicate, terms-err-file, terms-err-unknown
#
# The big inputs are made here, in $TMP; /usr/bin/time measures the plain binary's peak
# memory (ASan reserves terabytes of address space, so no cap or bound applies to it) and
# timeout stops a build that hangs: a guard, not a speed test.

bi=$TMP/badinput
rm -rf "$bi"
mkdir -p "$bi/out"
plain=0
[ "$label" = galley ] && plain=1

bi_build() {
	"$G" build "$@" >"$bi/stdout" 2>"$bi/stderr"
	echo $? >"$bi/status"
}
# bi_capped KB ARGS...: a build of the plain binary with its memory capped at 4 GB and
# a hang guard; KB is the bound its peak resident memory is checked against.
bi_capped() {
	bi_bound=$1
	shift
	(ulimit -v 4194304 && exec timeout 300 /usr/bin/time -f %M -o "$bi/rss" \
		"$G" build "$@") >"$bi/stdout" 2>"$bi/stderr"
	echo $? >"$bi/status"
}
bi_status() { [ "$(cat "$bi/status")" = "$1" ]; }
bi_says() { grep -qF -- "$1" "$bi/stderr"; }
bi_quiet() { test ! -s "$bi/stderr"; }
bi_rss_ok() { [ "$(tail -n 1 "$bi/rss")" -lt "$bi_bound" ]; }
bi_qpdf_ok() { qpdf --check "$1" 2>&1 | grep -q 'No syntax or stream encoding errors'; }

# Invalid UTF-8 in the front matter: an error at its byte, the old HTML kept.
printf -- '---\ntitle: 标题\n---\n\n正文。\n' >"$bi/utf8.md"
bi_build -o "$bi/out" "$bi/utf8.md"
cp "$bi/out/utf8.html" "$bi/utf8-good.html"
printf -- '---\ntitle: 标\377题\n---\n\n正文。\n' >"$bi/utf8.md"
bi_build -o "$bi/out" "$bi/utf8.md"
check "bad input: invalid UTF-8 in the front matter: exit 1" bi_status 1
check "bad input: invalid UTF-8 in the front matter: at its byte" \
	bi_says "galley: $bi/utf8.md:2:9: error: invalid UTF-8 (byte 0xFF)"
same "bad input: invalid UTF-8: the old HTML kept" "$bi/utf8-good.html" "$bi/out/utf8.html"

# A BOM and CRLF line ends do not hide the front matter, nor shift its lines.
printf '\357\273\277---\r\ntitle: 标题\r\n---\r\n\r\n正文。\r\n' >"$bi/bom.md"
bi_build -o "$bi/out" "$bi/bom.md"
check "bad input: BOM + CRLF: exit 0" bi_status 0
check "bad input: BOM + CRLF: the front matter read" grep -q '<title>标题</title>' "$bi/out/bom.html"
check "bad input: BOM + CRLF: no carriage return in the HTML" sh -c "! grep -q \"\$(printf '\\r')\" '$bi/out/bom.html'"
printf '\357\273\277---\r\ntitle: 标题\r\nstyle: [x]\r\n---\r\n\r\n正文。\r\n' >"$bi/bom.md"
bi_build -o "$bi/out" "$bi/bom.md"
check "bad input: BOM + CRLF: an error at its line" \
	bi_says "galley: $bi/bom.md:3:8: error: front matter: 'style' must be a single line of text"

# An empty file, and front matter alone, give a warning and a valid one-page PDF.
for doc in empty fm-only; do
	case $doc in empty) : >"$bi/$doc.md" ;; *) printf -- '---\ntitle: 空\n---\n' >"$bi/$doc.md" ;; esac
	bi_build -t pdf -o "$bi/out" "$bi/$doc.md"
	check "bad input: $doc: exit 0" bi_status 0
	check "bad input: $doc: a warning" bi_says "galley: $bi/$doc.md: warning: the document has no text"
	check "bad input: $doc: a valid PDF" bi_qpdf_ok "$bi/out/$doc.pdf"
done

# 10,000 levels of nesting: blocks and inlines stop at 256 with their place; brackets
# that nest nothing are text.
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "- "; print "项" }' >"$bi/deep-list.md"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "1. "; print "项" }' >"$bi/deep-ordered.md"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf ">"; print " 引" }' >"$bi/deep-quote.md"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "*"; printf "强"; for (i = 0; i < 10000; i++) printf "*"; print "" }' \
	>"$bi/deep-emph.md"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "["; printf "括"; for (i = 0; i < 10000; i++) printf "]"; print "" }' \
	>"$bi/deep-brackets.md"
for doc in deep-list:1:257:blocks deep-ordered:1:385:blocks deep-quote:1:257:blocks \
    deep-emph:1:1:'inline elements (emphasis, links)'; do
	bi_name=${doc%%:*}
	place=${doc#*:}
	what=${place#*:*:}
	place=${place%:*}
	timeout 120 "$G" build -o "$bi/out" "$bi/$bi_name.md" >/dev/null 2>"$bi/stderr"
	echo $? >"$bi/status"
	check "bad input: $bi_name 10,000 deep: exit 1" bi_status 1
	check "bad input: $bi_name 10,000 deep: stopped at 256, at its place" \
		bi_says "galley: $bi/$bi_name.md:$place: error: $what nested more than 256 deep"
	check "bad input: $bi_name: nothing written" test ! -e "$bi/out/$bi_name.html"
done
timeout 120 "$G" build -o "$bi/out" "$bi/deep-brackets.md" >/dev/null 2>"$bi/stderr"
echo $? >"$bi/status"
check "bad input: 10,000 nested brackets are text" bi_status 0
check "bad input: 10,000 nested brackets: all in the HTML" \
	test "$(grep -o '\[' "$bi/out/deep-brackets.html" | wc -l)" -eq 10000

# A table of 1,000 columns: every cell in the HTML and set on the PDF's page (counted
# in the layout), none over another: too wide even in its smallest type, it sticks out
# of the measure with a warning at its place (an error under --strict).
cols=1000
[ $plain = 1 ] || cols=200
awk -v n=$cols 'BEGIN {
	for (r = 0; r < 5; r++) {
		for (i = 0; i < n; i++) printf "|%s", (r == 0 ? "头" : r == 1 ? "-" : "格")
		print "|"
	} }' >"$bi/columns.md"
bi_build -t html,pdf -o "$bi/out" "$bi/columns.md"
check "bad input: $cols columns: exit 0" bi_status 0
check "bad input: $cols columns: a warning at the table" \
	bi_says "galley: $bi/columns.md:1:1: warning: the table is too wide: its $cols columns need"
check "bad input: $cols columns: every head cell in the HTML" \
	test "$(grep -o '<th>头</th>' "$bi/out/columns.html" | wc -l)" -eq $cols
check "bad input: $cols columns: every body cell in the HTML" \
	test "$(grep -o '<td>格</td>' "$bi/out/columns.html" | wc -l)" -eq $((cols * 3))
check "bad input: $cols columns: a valid PDF" bi_qpdf_ok "$bi/out/columns.pdf"
bi_build -t layout -o - "$bi/columns.md"
check "bad input: $cols columns: every cell set on the page" \
	test "$(grep -c '^  text .*"格"' "$bi/stdout")" -eq $((cols * 3))
# "  text X,Y FONT NAME SIZE "格"": in each row, each cell's glyph starts a glyph's width
# or more after the one before.
bi_overlaps() {
	grep '^  text .*"格"' "$bi/stdout" | awk '{ split($2, p, ","); print p[2], p[1], $(NF - 1) }' |
		sort -k1,1n -k2,2n | awk '$1 == y && $2 < x + size - 0.01 { n++ }
			{ y = $1; x = $2; size = $3 } END { exit n > 0 }'
}
check "bad input: $cols columns: no cell set over another" bi_overlaps
# The warning comes from the layout, which runs on its own thread beside the HTML's.
bi_build -t html,pdf --strict -o "$bi/strict" "$bi/columns.md"
check "bad input: $cols columns: an error under --strict" bi_status 1
check "bad input: $cols columns: under --strict, said once" \
	test "$(grep -c 'error: the table is too wide' "$bi/stderr")" -eq 1
check "bad input: $cols columns: under --strict, neither HTML nor PDF written" \
	test ! -e "$bi/strict/columns.html" -a ! -e "$bi/strict/columns.pdf"

# One paragraph of 1 MB with no break opportunity goes through layout into the PDF,
# broken where it must be, every letter kept.
size=1048576
[ $plain = 1 ] || size=131072
head -c $size /dev/zero | tr '\0' a >"$bi/long.md"
echo >>"$bi/long.md"
if [ $plain = 1 ]; then
	bi_capped 2000000 -t pdf -o "$bi/out" "$bi/long.md"
	check "bad input: a 1 MB paragraph: peak memory under 2 GB" bi_rss_ok
else
	bi_build -t pdf -o "$bi/out" "$bi/long.md"
fi
check "bad input: a $size-byte paragraph: exit 0" bi_status 0
check "bad input: a $size-byte paragraph: a valid PDF" bi_qpdf_ok "$bi/out/long.pdf"
check "bad input: a $size-byte paragraph: every letter in the PDF" \
	test "$(pdftotext "$bi/out/long.pdf" - | tr -cd a | wc -c)" -eq $size
check "bad input: a $size-byte paragraph: many pages" \
	test "$(pdfinfo "$bi/out/long.pdf" | awk '/^Pages:/ { print $2 }')" -gt 10

# One line of 50,000 emphases (the plain binary only): every column is counted on from
# the last one (counting from the line's start took 130 s for 100,000), and still right.
if [ $plain = 1 ]; then
	awk 'BEGIN { for (i = 0; i < 50000; i++) printf "*强* "; print "[链](javascript:alert(1))" }' \
		>"$bi/inlines.md"
	bi_capped 2000000 -t tree -o "$bi/out" "$bi/inlines.md"
	check "bad input: 50,000 emphases on a line: exit 0" bi_status 0
	check "bad input: 50,000 emphases on a line: the last column right" \
		bi_says "galley: $bi/inlines.md:1:200001: warning: unsafe URL"
	check "bad input: 50,000 emphases on a line: all in the tree" \
		test "$(grep -c '^    emph' "$bi/out/inlines.tree")" -eq 50000
fi

# A 50 MB document, with the plain binary only: bounded memory, every chapter in the HTML.
if [ $plain = 1 ]; then
	LC_ALL=C awk -v max=52428800 -v count="$bi/chapters" 'BEGIN {
		p = "这是一段用来测试大文件的中文正文，其中有 Latin words 与数字 123。"
		p = p p p p
		for (i = 0; n < max; i++) {
			if (i % 200 == 0) { s = "# 第" i "章\n\n"; chapters++ } else s = ""
			s = s p "\n\n"
			printf "%s", s
			n += length(s)
		}
		print chapters >count
	}' >"$bi/big.md"
	bi_capped 2000000 -t html -o "$bi/out" "$bi/big.md"
	check "bad input: 50 MB: exit 0" bi_status 0
	check "bad input: 50 MB: peak memory under 2 GB" bi_rss_ok
	check "bad input: 50 MB: every chapter in the HTML" \
		test "$(grep -o '<h1 ' "$bi/out/big.html" | wc -l)" -eq "$(cat "$bi/chapters")"
	rm -f "$bi/big.md" "$bi/out/big.html"
fi

# The watchdog, with a budget of 1 s of CPU time.  A filter inside string.find with a
# pattern that backtracks (hours of matching) is ended inside the call: the error at its
# line, exit 1, the document built before it written, its own old HTML kept and no
# temporary file left.  A loop of library calls is stopped through Lua at its line,
# catching the error or not; a plain loop still meets the instruction limit first.
mkdir -p "$bi/watch"
# timeout: a guard against a watchdog that does not bite, not a speed test.
bi_watched() {
	timeout 300 "$G" build "$@" >"$bi/stdout" 2>"$bi/stderr"
	echo $? >"$bi/status"
}
cat >"$bi/watch/backtracks.lua" <<'LUA'
return {
  Para = function(el)
    local s = ("a"):rep(100000)
    return s:find(("a*"):rep(30) .. "c") and el
  end
}
LUA
printf 'while true do pcall(string.find, ("a"):rep(3000), ".-b") end\n' >"$bi/watch/calls.lua"
printf 'while true do end\n' >"$bi/watch/loop.lua"
printf '# 一\n\n正文。\n' >"$bi/watch/first.md"
printf '# 二\n\n正文。\n' >"$bi/watch/stuck.md"
bi_build -o "$bi/watch/out" "$bi/watch/first.md" "$bi/watch/stuck.md"
cp "$bi/watch/out/stuck.html" "$bi/watch/stuck-good.html"
printf '# 一\n\n新的正文。\n' >"$bi/watch/first.md"
printf -- '---\nfilters: [backtracks]\n---\n\n# 二\n\n正文。\n' >"$bi/watch/stuck.md"
bi_watched --filter-time 1 -o "$bi/watch/out" "$bi/watch/first.md" "$bi/watch/stuck.md"
check "bad input: a filter stuck in string.find: exit 1" bi_status 1
check "bad input: a filter stuck in string.find: stopped at its line" \
	bi_says "galley: $bi/watch/backtracks.lua:4: error: filter stopped after 1 s of CPU time inside string.find (a pattern that backtracks?)"
check "bad input: a filter stuck in string.find: the document before built" \
	grep -q '新的正文' "$bi/watch/out/first.html"
same "bad input: a filter stuck in string.find: the old HTML kept" \
	"$bi/watch/stuck-good.html" "$bi/watch/out/stuck.html"
check "bad input: a filter stuck in string.find: no temporary file left" \
	test "$(ls -A "$bi/watch/out" | sort | tr '\n' ' ')" = "article.css first.html stuck.html "
cp "$bi/watch/out/first.html" "$bi/watch/first-good.html"
bi_watched --filter-time 1 -o "$bi/watch/out" -L "$bi/watch/calls.lua" "$bi/watch/first.md"
check "bad input: a loop of library calls: exit 1" bi_status 1
check "bad input: a loop of library calls: stopped at its line, through pcall" \
	bi_says "galley: $bi/watch/calls.lua:1: error: filter stopped after 1 s of CPU time"
same "bad input: a loop of library calls: the old HTML kept" \
	"$bi/watch/first-good.html" "$bi/watch/out/first.html"
bi_watched -o "$bi/watch/out" -L "$bi/watch/loop.lua" "$bi/watch/first.md"
check "bad input: a plain loop: exit 1" bi_status 1
check "bad input: a plain loop: the instruction limit" \
	bi_says "galley: $bi/watch/loop.lua:1: error: filter stopped after 200 million instructions (an endless loop?)"

# A YAML bomb in a term base: aliases are refused where the first one stands.
mkdir -p "$bi/terms"
{
	echo '- id: t-a'
	echo '  zh: &a ["甲","甲","甲","甲","甲","甲","甲","甲","甲","甲"]'
	echo '  en: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]'
	echo '  def: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]'
	echo '  note: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]'
	echo '  example: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]'
} >"$bi/terms/bomb.yaml"
printf -- '---\nterm-bases: bomb.yaml\n---\n\n甲。\n' >"$bi/terms/bomb.md"
(cd "$bi/terms" && GALLEY_DATA=$ROOT "$G" build -o out bomb.md) >/dev/null 2>"$bi/stderr"
echo $? >"$bi/status"
check "bad input: a YAML bomb in a term base: exit 1" bi_status 1
check "bad input: a YAML bomb in a term base: at the first alias" \
	bi_says "galley: bomb.yaml:3:11: error: YAML: YAML aliases (*name) are not supported"

# Paths out of the tree: an absolute term base is refused at its key; links are links,
# kept in the HTML and never read (the depfile lists what a build read).
printf 'id\tzh\ten\nt-a\t甲\talpha\n' >"$bi/abs.tsv"
printf -- '---\nterm-bases: %s\n---\n\n甲。\n' "$bi/abs.tsv" >"$bi/terms/abs.md"
(cd "$bi/terms" && GALLEY_DATA=$ROOT "$G" build -o out abs.md) >/dev/null 2>"$bi/stderr"
echo $? >"$bi/status"
check "bad input: an absolute term base: exit 1" bi_status 1
check "bad input: an absolute term base: at its key" \
	bi_says "galley: abs.md:2:13: error: term base: the path is absolute"
printf '[上面](../../etc/passwd)与[绝对](/etc/passwd)。\n' >"$bi/links.md"
bi_build -o "$bi/out" --depfile "$bi/links.d" "$bi/links.md"
check "bad input: links out of the tree: exit 0" bi_status 0
check "bad input: links out of the tree: kept as links" \
	grep -q 'href="../../etc/passwd">上面</a>与<a href="/etc/passwd">' "$bi/out/links.html"
check "bad input: links out of the tree: never read" sh -c "! grep -q passwd '$bi/links.d'"

# An image header of 30,000 x 30,000 pixels in a JPEG is refused before anything is decoded.
mkdir -p "$bi/img/images"
printf '\377\330\377\300\000\021\010\165\060\165\060\003\001\042\000\002\021\001\003\021\001\377\332\000\014\003\001\000\002\021\003\021\000\077\000\000\377\331' \
	>"$bi/img/images/huge.jpg"
printf '![大图](images/huge.jpg)\n' >"$bi/img/huge.md"
bi_build -t pdf -o "$bi/out" "$bi/img/huge.md"
check "bad input: a 30000 x 30000 JPEG: exit 1" bi_status 1
check "bad input: a 30000 x 30000 JPEG: refused at the figure" \
	bi_says "galley: $bi/img/huge.md:1:1: error: image 'images/huge.jpg': 30000 × 30000 pixels is too large"

# Fonts.  A style naming a family that is not installed, a family that is a bitmap (BDF)
# font, and one whose file fontconfig's cache still names after it was damaged: each an
# error at the page.yaml line naming the family, and the old PDF kept.
fd=$bi/fonts
mkdir -p "$fd/dir" "$fd/cache" "$fd/data/styles/nofont" "$fd/data/styles/bitmap" \
	"$fd/data/styles/damaged"
cp -R styles/common "$fd/data/styles/"
for style in nofont bitmap damaged; do cp styles/article/* "$fd/data/styles/$style/"; done
printf '# 外文字体\nfont-latin: Nowhere Serif\n' >"$fd/data/styles/nofont/page.yaml"
printf '# 外文字体\nfont-latin: Galley Bitmap\n' >"$fd/data/styles/bitmap/page.yaml"
printf '# 外文字体\nfont-latin: Liberation Serif\n' >"$fd/data/styles/damaged/page.yaml"
cat >"$fd/dir/bitmap.bdf" <<'BDF'
STARTFONT 2.1
FONT -galley-Galley Bitmap-Medium-R-Normal--8-80-75-75-C-80-ISO10646-1
SIZE 8 75 75
FONTBOUNDINGBOX 8 8 0 0
STARTPROPERTIES 3
FAMILY_NAME "Galley Bitmap"
FONT_ASCENT 8
FONT_DESCENT 0
ENDPROPERTIES
CHARS 1
STARTCHAR A
ENCODING 65
SWIDTH 1000 0
DWIDTH 8 0
BBX 8 8 0 0
BITMAP
FF
81
81
81
81
81
81
FF
ENDCHAR
ENDFONT
BDF
# A copy of Liberation Serif stands in for the system's, which fontconfig is told to skip.
serif=/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
cp "$serif" "$fd/dir/serif.ttf"
touch -d '2000-01-01' "$fd/dir"	# older than its cache: fontconfig trusts the cache
cat >"$fd/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts</dir>
  <dir>$fd/dir</dir>
  <cachedir>$fd/cache</cachedir>
  <selectfont><rejectfont><glob>$serif</glob></rejectfont></selectfont>
</fontconfig>
CONF
printf -- '---\ntitle: 字体\n---\n\nLatin 与中文。\n' >"$fd/doc.md"
bi_font() {	# STYLE: builds doc.md into $fd/out
	(cd "$fd/data" && FONTCONFIG_FILE=$fd/fonts.conf GALLEY_DATA=$ROOT \
		"$G" build -t pdf -s "$1" -o "$fd/out" "$fd/doc.md") >/dev/null 2>"$bi/stderr"
	echo $? >"$bi/status"
}
bi_font damaged
check "bad input: the copied font works" bi_status 0
check "bad input: the copied font is the one embedded" \
	sh -c "FONTCONFIG_FILE='$fd/fonts.conf' pdffonts '$fd/out/doc.pdf' | grep -q LiberationSerif"
cp "$fd/out/doc.pdf" "$fd/good.pdf"
bi_font nofont
check "bad input: a missing font: exit 1" bi_status 1
check "bad input: a missing font: at the page.yaml line naming it" \
	bi_says "galley: styles/nofont/page.yaml:2:13: error: font 'Nowhere Serif' is not installed"
check "bad input: a missing font: reported once" test "$(grep -c Nowhere "$bi/stderr")" = 1
same "bad input: a missing font: the old PDF kept" "$fd/good.pdf" "$fd/out/doc.pdf"
bi_font bitmap
check "bad input: a BDF font: exit 1" bi_status 1
check "bad input: a BDF font: at its line, the format named" \
	bi_says "galley: styles/bitmap/page.yaml:2:13: error: font 'Galley Bitmap' ($fd/dir/bitmap.bdf) is a BDF font, not OpenType"
same "bad input: a BDF font: the old PDF kept" "$fd/good.pdf" "$fd/out/doc.pdf"
printf 'not a font, though the cache says so\n' >"$fd/dir/serif.ttf"
bi_font damaged
check "bad input: a damaged font: exit 1" bi_status 1
check "bad input: a damaged font: at its line, the file named" \
	bi_says "galley: styles/damaged/page.yaml:2:13: error: font 'Liberation Serif' ($fd/dir/serif.ttf) cannot be read as an OpenType font: the file is damaged"
same "bad input: a damaged font: the old PDF kept" "$fd/good.pdf" "$fd/out/doc.pdf"
: >"$fd/dir/serif.ttf"
bi_font damaged
check "bad input: an emptied font: exit 1" bi_status 1
check "bad input: an emptied font: at its line" \
	bi_says "galley: styles/damaged/page.yaml:2:13: error: font 'Liberation Serif' ($fd/dir/serif.ttf) cannot be read as an OpenType font: the file is empty"
same "bad input: an emptied font: the old PDF kept" "$fd/good.pdf" "$fd/out/doc.pdf"

# Runs that give no legal break and are wider than a line: 3,000 note references side by
# side (each its own link: once one line 37,000 pt long, whose links libharu refused), and
# 5,000 。, ——, …… or ）, 3,000 （ and 中 joined by word joiners.  Each breaks (between the
# references, else at the last glyph that fits): no text or link reaches past the measure's
# right edge (524.4 pt in the article style, plus the blank half of a closing mark).
ub=$bi/unbreakable
mkdir -p "$ub"
awk 'BEGIN { printf "---\ntitle: 脚注\n---\n\n正文"
	for (i = 1; i <= 3000; i++) printf "[^%d]", i
	printf "\n\n"
	for (i = 1; i <= 3000; i++) printf "[^%d]: 注%d\n", i, i }' >"$ub/refs.md"
bi_build -q -t pdf -o "$ub/out" "$ub/refs.md"
check "bad input: 3,000 note references in a row: the PDF made" bi_status 0
check "bad input: 3,000 note references in a row: more than one page" \
	test "$(pdfinfo "$ub/out/refs.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')" -gt 1
"$G" build -q -t layout -o "$ub/out" "$ub/refs.md" 2>/dev/null
check "bad input: 3,000 note references in a row: no text or link past the measure" \
	awk '$1 == "text" || $1 == "link" { split($2, a, ","); split($3, s, "x")
		if (a[1] + ($1 == "link" ? s[1] : 0) > 524.5) bad = 1 }
		END { exit bad || NR < 3000 }' "$ub/out/refs.layout"
for run in 。:5000 —:5000 …:5000 ）:5000 （:3000 中⁠:3000; do
	ch=${run%:*}
	awk -v ch="$ch" -v n="${run#*:}" 'BEGIN { printf "---\ntitle: t\n---\n\n前"
		for (i = 0; i < n; i++) printf "%s", ch
		printf "后\n" }' >"$ub/run.md"
	rm -f "$ub/out/run.pdf"
	bi_build -q -t pdf -o "$ub/out" "$ub/run.md"
	check "bad input: $run in a row: the PDF made" bi_status 0
	check "bad input: $run in a row: nothing past the measure" sh -c "pdftotext -bbox '$ub/out/run.pdf' - |
		grep -o 'xMax=\"[0-9.]*\"' | tr -dc '0-9.\n' | awk '\$1 > 530 { bad = 1 } END { exit bad || NR < 10 }'"
done
