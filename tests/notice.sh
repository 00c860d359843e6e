# GB/T 9704-2012 notices read back from the PDF, sourced by tests/run.sh with $G, $TMP,
# check, same, bad: the 22 × 28 grid of a full page, the page numbers "— N —" (odd
# pages right, even pages left, 7 mm below the type area) and the 版头 of page 1.

n=$TMP/notice
rm -rf "$n"
mkdir -p "$n"
if "$G" build -t pdf -o "$n" tests/pdf/notice.md content/notice/implementation-rules.md \
	2>"$n/err"; then ok; else bad "notice: the notices build"; cat "$n/err"; fi

# One line per text line of the PDF: page, top, left, right (pt from the top left) and text.
lines() {
	pdftotext -bbox-layout "$1" - | awk '
		/<page / { page++ }
		/<line / { split($0, a, "\""); top = a[4]; left = a[2]; right = a[6]; text = "" }
		/<word / { w = $0; sub(/^[^>]*>/, "", w); sub(/<.*$/, "", w); text = text w }
		/<\/line>/ { printf "%d %.1f %.1f %.1f %s\n", page, top, left, right, text }'
}
lines "$n/notice.pdf" >"$n/lines"
lines "$n/implementation-rules.pdf" >"$n/rules"

# The type area (styles/notice/page.yaml): left 28 mm, right 595.28 pt - 26 mm, top 37 mm,
# bottom 841.89 pt - 35 mm; 225 mm / 22 lines = 28.99 pt a line, 156 mm / 28 = 15.79 pt a character.
LEFT=79.37 RIGHT=521.57 TOP=104.88 BOTTOM=742.68 PITCH=28.99
export LEFT RIGHT TOP BOTTOM PITCH

# Page 2 of the test notice is body text only: 22 lines on the grid, the first at the top.
awk '$1 == 2 && $2 < ENVIRON["BOTTOM"]' "$n/lines" >"$n/page2"
check "notice: a full page holds 22 lines" test "$(wc -l <"$n/page2")" = 22
check "notice: the lines are one grid step apart" awk '
	NR > 1 { d = $2 - prev - ENVIRON["PITCH"]; if (d < -0.2 || d > 0.2) exit 1 } { prev = $2 }' "$n/page2"
check "notice: the first line starts at the type area top" awk '
	NR == 1 { exit !($2 > ENVIRON["TOP"] && $2 < ENVIRON["TOP"] + ENVIRON["PITCH"] / 2) }' "$n/page2"
check "notice: the 22nd line ends inside the type area" awk '
	END { exit !($2 + ENVIRON["PITCH"] * 0.6 < ENVIRON["BOTTOM"]) }' "$n/page2"
# A line with neither indent nor Latin text nor punctuation: 28 characters (3 bytes each in
# UTF-8) across the type area's width.
awk '$3 < ENVIRON["LEFT"] + 0.5 && $5 !~ /[ -~]/ && $5 !~ /。/' "$n/page2" >"$n/full"
check "notice: full lines to check" test "$(wc -l <"$n/full")" -ge 10
check "notice: 28 characters a line" awk '{ if (length($5) != 28 * 3) exit 1 }' "$n/full"
check "notice: a line spans the type area, 156 mm" awk '{
	d = $4 - $3 - (ENVIRON["RIGHT"] - ENVIRON["LEFT"]); if (d < -0.5 || d > 0.5) exit 1 }' "$n/full"
GRID_TOP=$(awk 'NR == 1 { print $2 }' "$n/page2")
export GRID_TOP
check "notice: page 1's body lines are on the same grid" awk '
	$1 == 1 && /公文正文/ { k = ($2 - ENVIRON["GRID_TOP"]) / ENVIRON["PITCH"]; f = k - int(k);
		if (f > 0.5) f = 1 - f; if (f > 0.05) exit 1; seen = 1 } END { exit !seen }' "$n/lines"

# Page numbers: "— N —" in 四号 (14 pt), 7 mm below the type area, one character in
# from the right edge on odd pages and from the left edge on even ones.
for f in lines rules; do
	pdf=$n/notice.pdf
	[ $f = rules ] && pdf=$n/implementation-rules.pdf
	check "notice: every page has its number ($f)" awk -v pages="$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')" '
		$2 >= ENVIRON["BOTTOM"] { if ($5 != "—" $1 "—") exit 1; n++ } END { exit !(n == pages && n > 2) }' "$n/$f"
	check "notice: page numbers 7 mm below the type area ($f)" awk '
		$2 >= ENVIRON["BOTTOM"] { d = $2 - ENVIRON["BOTTOM"] - 19.84; if (d < -2 || d > 2) exit 1 }' "$n/$f"
	check "notice: odd pages numbered at the right, one character in ($f)" awk '
		$2 >= ENVIRON["BOTTOM"] && $1 % 2 == 1 { d = ENVIRON["RIGHT"] - 14 - $4; if (d < -1 || d > 1) exit 1 }' "$n/$f"
	check "notice: even pages numbered at the left, one character in ($f)" awk '
		$2 >= ENVIRON["BOTTOM"] && $1 % 2 == 0 { d = $3 - ENVIRON["LEFT"] - 14; if (d < -1 || d > 1) exit 1 }' "$n/$f"
done

# Page 1: the issuer mark, the 发文字号 and the title centred in this order, then the
# addressee flush left, then the body.
awk '$1 == 1' "$n/rules" >"$n/page1"
centre() { awk -v t="$1" 'index($5, t) == 1 { c = ($3 + $4) / 2 - (ENVIRON["LEFT"] + ENVIRON["RIGHT"]) / 2;
	found = c > -2 && c < 2; exit } END { exit !found }' "$n/page1"; }
check "notice: the issuer mark comes first" awk 'NR == 1 { exit $5 != "溪川省安全防范行业协会" }' "$n/page1"
check "notice: the issuer mark is centred" centre "溪川省安全防范行业协会"
check "notice: the issuer mark's top 35 mm into the type area" awk '
	NR == 1 { d = $2 - ENVIRON["TOP"] - 99.21; exit !(d > -3 && d < 3) }' "$n/page1"
check "notice: the 发文字号 is on page 1" grep -q '溪安协〔2026〕7 *号' "$n/page1"
check "notice: the 发文字号 is centred" centre "溪安协〔2026〕7"
check "notice: the title is centred" centre "关于印发《溪川省"
check "notice: the addressee is flush left" awk '
	$5 == "各会员单位：" { d = $3 - ENVIRON["LEFT"]; found = 1; exit !(d > -0.5 && d < 0.5) } END { if (!found) exit 1 }' "$n/page1"
check "notice: issuer, number, title, addressee, body in order" awk '
	BEGIN { split("溪川省安全防范行业协会 溪安协 关于印发 各会员单位 为进一步", want, " ") }
	k < 5 && index($5, want[k + 1]) == 1 { k++ } END { exit k != 5 }' "$n/page1"

# After the body: 附件说明 two characters in, items numbered one a line; the issuer's
# name and the date flush right (the date four characters in, 22.29 mm); the 版记 at
# the foot of the last page, its last rule on the type area's bottom edge (262 mm).
last=$(awk 'END { print $1 }' "$n/rules")
awk -v p="$last" '$1 == p' "$n/rules" >"$n/last"
check "notice: the attachments note two characters in" awk '
	index($5, "附件：1．会员单位信用评价指标及评分标准") == 1 { d = $3 - ENVIRON["LEFT"] - 31.6; found = 1; exit !(d > -1 && d < 1) }
	END { if (!found) exit 1 }' "$n/last"
check "notice: the second attachment on a line of its own" grep -q ' 2．会员单位信用评价申报表$' "$n/last"
check "notice: the date four characters from the right" awk '
	$5 == "2026年9月15日" { d = ENVIRON["RIGHT"] - $4 - 63.2; found = 1; exit !(d > -2 && d < 2) }
	END { if (!found) exit 1 }' "$n/last"
check "notice: the issuer's name above the date" awk '
	$5 == "溪川省安全防范行业协会" { sig = $2 } $5 == "2026年9月15日" { date = $2 }
	END { exit !(sig > 0 && date > sig) }' "$n/last"
check "notice: 版记 with 抄送 and 印发 on the last page" sh -c \
	"grep -q '抄送：溪川省民政厅' '$n/last' && grep -q '2026年9月15日印发' '$n/last'"
"$G" build -t layout -o - content/notice/implementation-rules.md 2>/dev/null |
	awk '/^page / { p = $2; n = 0 } /^  rule / { n++; split($2, xy, ","); split($3, wh, "x"); r[p] = n; bottom[p] = xy[2] + wh[2] }
	     END { print r[p], bottom[p] }' >"$n/colophon"
check "notice: the 版记's three rules, the last on the type area's bottom edge" awk '
	{ exit !($1 == 3 && $2 > 742.1 && $2 < 743.2) }' "$n/colophon"

# A subtitle is set in the notice too, under the title, in both outputs; and a notice
# with neither issuer nor document number draws no red 版头 rule.
printf -- '---\ntitle: 关于开展会员信息核查的通知\nsubtitle: （第二批）\naddressee: 各会员单位：\nstyle: notice\n---\n\n正文。\n' >"$n/sub.md"
"$G" build -t html,pdf,layout -o "$n" "$n/sub.md" 2>"$n/sub.err"
check "notice: a notice with a subtitle builds without messages" test ! -s "$n/sub.err"
check "notice: the subtitle in the HTML" grep -qF '<h1 class="doc-title">关于开展会员信息核查的通知</h1><p class="doc-subtitle">（第二批）</p>' "$n/sub.html"
lines "$n/sub.pdf" >"$n/sub.lines"
check "notice: the subtitle in the PDF, on the line under the title" awk '
	/关于开展会员信息核查的通知/ { t = $2 } /（第二批）/ { s = $2 }
	END { exit !(t && s > t && s - t < 40) }' "$n/sub.lines"
check "notice: no red rule without issuer or document number" \
	sh -c "! grep -q '^  rule .*#e60012' '$n/sub.layout'"
check "notice: ... while the real notice has it" \
	sh -c "'$G' build -t layout -o - content/notice/implementation-rules.md 2>/dev/null | grep -q '^  rule .*#e60012'"
