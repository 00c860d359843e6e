# Pages read back as a reader sees them, sourced by tests/run.sh with $G, $TMP, $ROOT, check,
# same, bad: no heading left at the foot of a page of content/ or of the bench's document
# (tests/headings_readback.py), no column rule through text (tests/rulecheck.py), a style's cover
# text too wide for its paper set smaller with a warning at its page.yaml element, and a
# table of natural width (tests/styles/natural).

pg=$TMP/pages
rm -rf "$pg"
mkdir -p "$pg/out" "$pg/bench/images"

# Headings at a page's foot, and column rules, in every document of content/.
for src in content/bulletin/2026-2 content/bulletin/2026-3 content/manual/*.md \
    content/notice/*.md content/standard/*.md; do
	name=$(basename "$src" .md)
	if ! "$G" build -q -t layout,pdf -o "$pg/out" "$src" 2>"$pg/err"; then
		bad "pages: $src builds"
		cat "$pg/err"
		continue
	fi
	if python3 tests/headings_readback.py "$pg/out/$name.pdf" "$src" >"$pg/stranded"; then ok
	else bad "pages: no heading at a page's foot in $src"; cat "$pg/stranded"; fi
	if python3 tests/rulecheck.py "$pg/out/$name.layout" "$pg/out/$name.pdf" >"$pg/struck"
	then ok; else bad "pages: no column rule through text in $src"; cat "$pg/struck"; fi
done

# The bench's document at 1x, made by tests/bench.sh's own unit() and make_doc(): six
# units of content/'s samples (front matter dropped, headings made distinct), 120 pages.
cp content/bulletin/2026-3/images/* "$pg/bench/images/"
eval "$(sed -n '/^unit() {/,/^}/p; /^make_doc() {/,/^}/p' tests/bench.sh)"
make_doc 6 "$pg/bench/bench.md"
if "$G" build -q --trust-paths -t layout,pdf -o "$pg/bench" "$pg/bench/bench.md" 2>"$pg/err"
then
	if python3 tests/headings_readback.py "$pg/bench/bench.pdf" "$pg/bench/bench.md" >"$pg/stranded"
	then ok; else bad "pages: no heading at a page's foot in the bench's document"
		cat "$pg/stranded"; fi
	if python3 tests/rulecheck.py "$pg/bench/bench.layout" "$pg/bench/bench.pdf" >"$pg/struck"
	then ok; else bad "pages: no column rule through text in the bench's document"
		cat "$pg/struck"; fi
else
	bad "pages: the bench's document builds"
	cat "$pg/err"
fi

# A bulletin title too wide for the masthead: set smaller to fit between the margins, with
# a warning naming the page.yaml element; no word runs past the paper.
mkdir -p "$pg/cover"
printf -- '---\ntitle: 溪川省安全防范行业协会会刊\nstyle: bulletin\ntoc: false\n---\n\n正文。\n' \
	>"$pg/cover/wide.md"
"$G" build -t pdf -o "$pg/cover" "$pg/cover/wide.md" 2>"$pg/cover/err"
check "pages: a too-wide cover title warns at its page.yaml element" \
	grep -q 'styles/bulletin/page.yaml:[0-9]*:[0-9]*: warning: the text "溪川省安全防范行业协会会刊" is' \
	"$pg/cover/err"
pdftotext -bbox -f 1 -l 1 "$pg/cover/wide.pdf" "$pg/cover/bbox.html" 2>/dev/null
# pdftotext reads only what is on the paper: the whole title, and every word within it.
check "pages: the cover title stays on the paper" awk '
	/<page / { match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) }
	/<word / { match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7)
		match($0, /xMax="[0-9.]+"/); x1 = substr($0, RSTART + 6, RLENGTH - 7)
		if (x0 < 0 || x1 > w + 0) bad = 1
		t = $0; sub(/.*">/, "", t); sub(/<.*/, "", t); text = text t }
	END { exit bad || index(text, "溪川省安全防范行业协会会刊") == 0 }' "$pg/cover/bbox.html"

# table-width: natural keeps a narrow table narrow, centred in the measure.
printf -- '---\ntitle: 自然宽度\n---\n\n| 甲 | 乙 |\n|---|---|\n| 一 | 二 |\n' >"$pg/natural.md"
GALLEY_DATA=$ROOT/tests "$G" build -s natural -t layout -o - "$pg/natural.md" >"$pg/natural.layout" \
	2>"$pg/err"
check "pages: a table of natural width is narrower than the measure, centred" awk '
	/^  rule / { split($2, xy, ","); split($3, wh, "x"); if (wh[1] + 0 > w) { w = wh[1]; x = xy[1] } }
	END { exit !(w > 20 && w < 200 && x > 200) }' "$pg/natural.layout"
