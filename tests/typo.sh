# Punctuation and spacing read back from PDFs (issue 17), sourced by tests/run.sh with $G,
# $TMP, $ROOT, check, bad.  tests/readback.py reads each PDF with poppler (words and ink);
# it fails on the PDFs galley made before marks were placed by their ink (the ink of
# AR PL UMing's centred 、 and 。 crossed the margin at line ends) and before heading
# quotes kept to their text.

ty=$TMP/typo
rm -rf "$ty"
mkdir -p "$ty"
# Every document of content/: no line-end mark's ink crosses the margin, and the quotes
# of headings (bulletin 2026-3, tech-fiber.md) are full width and stay with their text.
for src in $(find content -name '*.md' ! -path 'content/bulletin/*/*' | sort) \
    $(find content -name issue.yaml | sed 's#/issue.yaml$##' | sort); do
	name=$(echo "${src#content/}" | sed 's#/#-#g; s#\.md$##')
	if "$G" build -q -t pdf -o "$ty/$name" "$src" 2>"$ty/$name.err"; then
		pdf=$(ls "$ty/$name"/*.pdf)
		if python3 tests/readback.py "$pdf" "$src" >"$ty/$name.out" 2>&1; then ok
		else bad "typo: $src read back from its PDF"; cat "$ty/$name.out"; fi
	else
		bad "typo: $src builds a PDF"; cat "$ty/$name.err"
	fi
done
check "typo: the bulletin's heading quotes were measured" \
	grep -q ' [1-9][0-9]* heading quotes measured, 0 failures' "$ty/bulletin-2026-3.out"

# Hanging punctuation only where a style asks (tests/styles/hang: punctuation-hang: true).
# The paragraph's first line holds 41 characters and a 、, which fits the measure only
# when the mark hangs; the read-back then sees its ink past the margin, as it should (the
# second paragraph's full lines show it where the margin is).
python3 -c 'import sys
s = "悬挂标点的测试用句子内容文字排版规则" * 5
sys.stdout.write("---\ntitle: 悬挂\ntitle-block: false\n---\n\n" + s[:41] + "、" + s[:43] + "。" + s[:20] + "，完。\n\n" + s * 12 + "\n")' >"$ty/hang.md"
GALLEY_DATA=$ROOT/tests "$G" build -q -s hang -t layout,pdf -o "$ty/hang" "$ty/hang.md" 2>"$ty/hang.err"
"$G" build -q -t layout,pdf -o "$ty/solid" "$ty/hang.md" 2>>"$ty/hang.err"
check "typo: hanging builds without messages" test ! -s "$ty/hang.err"
check "typo: with punctuation-hang the first line ends in the hanging 、" \
	sh -c "sed -n 3p '$ty/hang/hang.layout' | grep -q '的、\"\$'"
check "typo: without it the 、 does not fit and goes down with a character" \
	sh -c "sed -n 3p '$ty/solid/hang.layout' | grep -vq '、\"\$' && sed -n 4p '$ty/solid/hang.layout' | grep -q '\"的、'"
check "typo: the read-back sees hanging ink past the margin" \
	sh -c "python3 tests/readback.py '$ty/hang/hang.pdf' '$ty/hang.md' | grep -q 'crosses the margin'"
check "typo: and none without hanging" python3 tests/readback.py "$ty/solid/hang.pdf" "$ty/hang.md"

# Marks are placed from their own ink.  AR PL UMing centres 、: at the cell's line end it
# is moved left (x 284.28 in tests/typo/typo-ink.centred.layout, its box starts at 286.12).  LXGW
# WenKai, a mainland font, draws 、 at the left of its cell: it stays where its box is.
GALLEY_DATA=$ROOT/tests "$G" build -q -s wenkai -t layout -o "$ty/wenkai" tests/golden/typo-ink.md \
	2>"$ty/wenkai.err"
check "typo: a mainland font's line-end 、 is not moved" \
	grep -qF '  text 286.12,128.41 LXGW WenKai 10.5 "、"' "$ty/wenkai/typo-ink.layout"
# The same cases with the fonts of before Noto CJK (tests/styles/centred): AR PL UMing
# centres its marks and WenQuanYi's quotes are a third of an em, so there every mark is
# placed by its ink.  The expectations were checked by eye when they were written.
for case in typo-ink typo-quotes typo-stretch typo-spaces; do
	GALLEY_DATA=$ROOT/tests "$G" build -q -s centred -t layout -o "$ty/centred" \
	    "tests/golden/$case.md" 2>/dev/null
	same "typo: $case with centred marks" "tests/typo/$case.centred.layout" \
	    "$ty/centred/$case.layout"
done
check "typo: UMing's centred 、 is moved left at the cell's line end" \
	grep -qF '  text 284.28,128.41 AR PL UMing CN 10.5 "、"' "$ty/centred/typo-ink.layout"
