# Document checks (zh-punctuation, gb-check, gongwen-check), sourced by tests/run.sh with
# $G, $TMP, check, same, bad.  The golden cases tests/golden/check-*.md hold each rule's
# findings; this file checks how `galley check` and `galley build` report them.

c=$TMP/checks
rm -rf "$c"
mkdir -p "$c/out"

"$G" check tests/golden/check-notice-number.md >"$c/stdout" 2>"$c/stderr"
check "checks: warnings leave the exit status 0" test $? = 0
check "checks: check writes nothing on standard output" test ! -s "$c/stdout"
check "checks: a finding names its line and column" \
	grep -qF 'check-notice-number.md:5:16: warning: use '"'〔'"' instead of '"'['"'' "$c/stderr"

"$G" check --strict tests/golden/check-notice-number.md 2>"$c/stderr"
check "checks: --strict fails on a finding" test $? = 1
check "checks: --strict makes findings errors" \
	grep -qF 'check-notice-number.md:5:16: error: use' "$c/stderr"
for doc in check-gb-pass check-notice-pass; do
	"$G" check --strict "tests/golden/$doc.md" 2>"$c/stderr"
	check "checks: --strict passes $doc" test $? = 0
done

# The shipped documents pass every check of their style.
"$G" check --strict content/standard/*.md content/notice/*.md content/bulletin/*/ 2>"$c/stderr"
check "checks: content/ passes under --strict" test $? = 0

# build reports the same findings and still writes its output; --strict stops it.
"$G" build -o "$c/out" tests/golden/check-gb-wording.md 2>"$c/stderr"
check "checks: build warns and succeeds" test $? = 0
check "checks: build writes the HTML despite findings" test -s "$c/out/check-gb-wording.html"
check "checks: build reports the finding" grep -qF 'check-gb-wording.md:9:14: warning:' "$c/stderr"
"$G" build --strict -o "$c/strict" tests/golden/check-gb-wording.md 2>/dev/null
check "checks: build --strict fails on a finding" test $? = 1
check "checks: build --strict writes nothing" test ! -e "$c/strict/check-gb-wording.html"

# checks: false in the front matter (or -M checks=false) turns them off.
"$G" check --strict -M checks=false tests/golden/check-gb-wording.md 2>"$c/stderr"
check "checks: checks=false turns the checks off" test $? = 0

# Characters that hide in text: a control character and a bidi override (U+202E, which
# makes "gpj.exe" read "exe.jpg") are warnings of galley check, at their first place;
# a U+FEFF inside the text goes silently (tests/golden/hidden-chars.*).
"$G" check tests/golden/hidden-chars.md 2>"$TMP/hidden.err"
check "check: hidden characters are warnings (exit 0)" test $? = 0
check "check: ... the bidi override at its place" grep -qxF \
	"galley: tests/golden/hidden-chars.md:7:4: warning: bidirectional control U+202E in the text (2 places, the first here); delete it: it reorders the text shown after it" "$TMP/hidden.err"
check "check: ... the control character at its place" grep -qF \
	"galley: tests/golden/hidden-chars.md:9:3: warning: control character U+0007" "$TMP/hidden.err"
check "check: ... nothing about U+FEFF" sh -c "! grep -q FEFF '$TMP/hidden.err'"
"$G" check --strict tests/golden/hidden-chars.md 2>/dev/null
check "check: ... errors under --strict" test $? = 1
