# The pinyin table made at build time (tool/gen_pinyin.c) against ICU's transliterator it
# stands in for, sourced by tests/run.sh with $unit: every Han character of content/ and
# every term and given reading of its term bases must be in the table, read as ICU reads it.

find content -type f \( -name '*.md' -o -name '*.yaml' \) -exec cat {} + >"$TMP/pinyin-text"
sed -n 's/^[ -]*\(zh\|pinyin\): *//p' content/terms/*.yaml >"$TMP/pinyin-terms"
check "pinyin: the term bases have terms" test -s "$TMP/pinyin-terms"
if "$unit" --pinyin "$TMP/pinyin-text" "$TMP/pinyin-terms" >"$TMP/pinyin.out" 2>&1; then
	ok
else
	bad "pinyin: the table reads content/ as ICU does"
	grep -v '^ok' "$TMP/pinyin.out" | head -20
fi
