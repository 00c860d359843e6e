#!/bin/sh
# Runs galley's test suites against each binary given; ends with "N passed, N failed".
#   sh tests/run.sh out/bin/galley out/bin/galley-san
#   sh tests/run.sh --regen out/bin/galley      (rewrite golden expectations)
#   sh tests/run.sh --valgrind out/bin/galley   (the valgrind suite alone)
set -u
cd "$(dirname "$0")/.." || exit 2
regen=0
only_valgrind=0
case ${1:-} in
--regen) regen=1; shift ;;
--valgrind) only_valgrind=1; shift ;;
esac
[ $# -gt 0 ] || { echo "usage: tests/run.sh [--regen | --valgrind] GALLEY..." >&2; exit 2; }

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LC_ALL=C.UTF-8
unset GALLEY_DATA

ROOT=$(pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() {
	failed=$((failed + 1))
	echo "FAIL [$label] $1"
}
# check NAME CONDITION-COMMAND...: passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok; else bad "$name"; fi
}
# same NAME EXPECTED-FILE ACTUAL-FILE: passes when the files are equal, else shows the diff.
same() {
	if cmp -s "$2" "$3"; then
		ok
	else
		bad "$1"
		diff -u "$2" "$3" | head -40
	fi
}

# Golden cases: tests/golden/NAME.md with NAME.tree, optional NAME.err (messages and
# exit status), NAME.html and NAME.layout (only for cases that have them) and NAME.args
# (extra options).
golden() {
	for src in tests/golden/*.md; do
		base=${src%.md}
		args=""
		[ -f "$base.args" ] && args=$(cat "$base.args")
		# shellcheck disable=SC2086
		"$G" build -t tree -o - $args "$src" >"$TMP/out" 2>"$TMP/err"
		echo "exit $?" >>"$TMP/err"
		# Messages that name the installed data directory name the checkout; keep it out.
		sed "s|$ROOT/|<root>/|g" "$TMP/err" >"$TMP/err.rel" && mv "$TMP/err.rel" "$TMP/err"
		if [ $regen = 1 ]; then
			cp "$TMP/out" "$base.tree"
			if [ "$(cat "$TMP/err")" = "exit 0" ]; then rm -f "$base.err"; else cp "$TMP/err" "$base.err"; fi
		else
			same "golden $base.tree" "$base.tree" "$TMP/out"
			if [ -f "$base.err" ]; then
				same "golden $base.err" "$base.err" "$TMP/err"
			else
				echo "exit 0" >"$TMP/none"
				same "golden $base: no messages" "$TMP/none" "$TMP/err"
			fi
		fi
		for kind in html layout; do
			[ -f "$base.$kind" ] || continue
			# shellcheck disable=SC2086
			"$G" build -t $kind -o - $args "$src" >"$TMP/out" 2>/dev/null
			if [ $regen = 1 ]; then
				cp "$TMP/out" "$base.$kind"
			else
				same "golden $base.$kind" "$base.$kind" "$TMP/out"
			fi
		done
	done
}

for G in "$@"; do
	label=$(basename "$G")
	case $G in /*) ;; *) G="$ROOT/$G" ;; esac
	# valgrind cannot run a binary built with the sanitizers.  Its runs start first and
	# are collected last: slow under valgrind, they go on beside the other suites.
	vg_started=0
	case $label in *-san) ;; *) [ $regen = 1 ] || { . tests/valgrind.sh; vg_started=1; } ;; esac
	if [ $only_valgrind = 0 ]; then
		golden
		[ $regen = 1 ] && continue
		unit=$(dirname "$G")/$(basename "$G" | sed 's/^galley/unit-tests/')
		if "$unit" >"$TMP/unit" 2>&1; then ok; else bad "unit tests"; cat "$TMP/unit"; fi
		. tests/cli.sh
		. tests/content.sh
		. tests/pinyin.sh
		. tests/pdf.sh
		. tests/typo.sh
		. tests/blocks.sh
		. tests/figure.sh
		. tests/toc.sh
		. tests/deps.sh
		. tests/issue.sh
		. tests/draft.sh
		. tests/checks.sh
		. tests/notice.sh
		. tests/badinput.sh
		. tests/fuzz.sh
		. tests/pages.sh
		. tests/serve.sh
	fi
	if [ $vg_started = 1 ]; then vg_collect; fi
done
if [ $regen = 1 ]; then
	echo "expectations rewritten; review them with git diff"
	exit 0
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
