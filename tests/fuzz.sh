# Fuzz regressions, sourced by tests/run.sh: each input a fuzzer once broke galley with
# (tests/fuzz/regressions/NAME.md, with NAME.lua run as a filter when there is one)
# builds to every output without a crash: exit 0, or 1 with an error message.

for fuzz_src in tests/fuzz/regressions/*.md; do
	[ -f "$fuzz_src" ] || continue
	fuzz_filter=""
	[ -f "${fuzz_src%.md}.lua" ] && fuzz_filter="-L ${fuzz_src%.md}.lua"
	# shellcheck disable=SC2086
	"$G" build -q -t html,xml,tree,layout,pdf -o "$TMP/fuzz" $fuzz_filter "$fuzz_src" \
		>/dev/null 2>"$TMP/fuzz.err"
	fuzz_status=$?
	case $fuzz_status in
	0) ok ;;
	1) check "fuzz $fuzz_src: exit 1 with an error message" grep -q ': error: ' "$TMP/fuzz.err" ;;
	*) bad "fuzz $fuzz_src: exit $fuzz_status (a crash?)"; head -5 "$TMP/fuzz.err" ;;
	esac
done
