#!/bin/sh
# Prints how long galley takes to build content/ (wall clock, best of several runs).
# Figures only: no test asserts on time.
set -u
cd "$(dirname "$0")/.." || exit 2
G=${1:-out/bin/galley}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
docs=$(find content -name '*.md' | sort)
bytes=$(cat $docs | wc -c)
ms() { echo $(($(date +%s%N) / 1000000)); }

best=""
for run in 1 2 3 4 5; do
	t0=$(ms)
	# shellcheck disable=SC2086
	"$G" build -q -t html -o "$TMP/out" $docs || exit 1
	t1=$(ms)
	t=$((t1 - t0))
	if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
done
echo "build content/ to HTML: $(echo $docs | wc -w) documents, $bytes bytes of Markdown, best of 5: ${best} ms"

# A large input: the bulletin repeated 50 times (~1.4 MB), for throughput and memory.
body() { awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next } !fm' "$1"; }
for i in $(seq 50); do body content/bulletin/2026-3.md; done >"$TMP/big.md"
/usr/bin/time -f '%e s, %M KB peak' -o "$TMP/time" "$G" build -q -t html -o "$TMP/out" "$TMP/big.md" || exit 1
echo "build a $(wc -c <"$TMP/big.md") byte document to HTML: $(cat "$TMP/time")"
