#!/bin/sh
# Prints galley's speed, memory and output size (figures only: no test asserts on time).
#  1. content/ to HTML, best of five runs.
#  2. HTML+PDF of generated documents at 1x, 10x and 100x the size of the issue's
#     122-page reference: content/'s documents (front matter dropped, headings made
#     distinct) repeated, with wall time, peak memory, pages, PDF size and the
#     per-stage split from `galley build --stats`.
#  3. `galley serve`: edit-to-reload of a bulletin issue (content/bulletin/2026-3), from
#     the rename of an article to the build event a client receives.
set -u
cd "$(dirname "$0")/.." || exit 2
G=${1:-out/bin/galley}
SIZES=${BENCH_SIZES:-"1 10 100"}
TMP=$(mktemp -d)
# The bulletin's figures, where the samples' image paths find them.
cp -R content/bulletin/2026-3/images "$TMP/images"
trap 'rm -rf "$TMP"' EXIT
# The issue folders are documents; the articles in them are not.
issues=$(find content -name issue.yaml | sed 's#/issue.yaml$##' | sort)
docs="$(find content -name '*.md' | grep -v -F "$(printf '%s/\n' $issues)" | sort) $issues"
bytes=$(find content -name '*.md' -exec cat {} + | wc -c)
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
echo "content/ to HTML: $(echo $docs | wc -w) documents, $bytes bytes of Markdown, best of 5: ${best} ms"

# One unit: every sample's body, each heading and id tagged with the copy number n.
unit() {
	for f in content/bulletin/2026-3/*.md content/standard/*.md content/notice/*.md; do
		# A book has one contents, glossary and index: only the first unit keeps them.
		awk -v n="$1" 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next }
			fm { next }
			n > 1 && /^```(toc|glossary|index)/ { skip = 1; next }
			skip && /^```/ { skip = 0; next }
			skip { next }
			{ gsub(/\{#[^ }]+/, "&-" n); gsub(/\]\(#[^)]+/, "&-" n) }
			/^#+ / && match($0, / *\{[^}]*\}$/) {
				print substr($0, 1, RSTART - 1) " " n substr($0, RSTART); next }
			/^#+ / { print $0 " " n; next }
			{ print }' "$f"
		echo
	done
}
make_doc() {	# make_doc UNITS FILE
	{ printf -- '---\ntitle: 基准测试文档\nstyle: article\nterm-bases: %s\n---\n\n' \
		"$(pwd)/content/terms/security.yaml"
	  i=1; while [ "$i" -le "$1" ]; do unit "$i"; i=$((i + 1)); done; } >"$2"
}

# How many units make the 122 pages the targets are stated for.
make_doc 1 "$TMP/probe.md"
"$G" build -q --trust-paths -t pdf -o "$TMP" "$TMP/probe.md" || exit 1
per_unit=$(pdfinfo "$TMP/probe.pdf" | awk '/^Pages:/ { print $2 }')
units=$(( (122 + per_unit - 1) / per_unit ))
echo "one unit of content/ samples sets $per_unit pages; 1x = $units units"

for size in $SIZES; do
	n=$((units * size))
	make_doc "$n" "$TMP/doc$size.md"
	/usr/bin/time -f '%e %M' -o "$TMP/time" \
		"$G" build -q --trust-paths --stats -t html,pdf -o "$TMP/out" "$TMP/doc$size.md" \
		2>"$TMP/stats" || { cat "$TMP/stats"; exit 1; }
	read -r secs kb <"$TMP/time"
	pages=$(pdfinfo "$TMP/out/doc$size.pdf" | awk '/^Pages:/ { print $2 }')
	pdf=$(wc -c <"$TMP/out/doc$size.pdf")
	md=$(wc -c <"$TMP/doc$size.md")
	stages=$(grep -v '^Command' "$TMP/stats" | sed 's/^galley: [^:]*: //')
	printf '%4sx: %6s pages from %9s bytes: %6s s, %7s KB peak, PDF %9s bytes\n' \
		"$size" "$pages" "$md" "$secs" "$kb" "$pdf"
	printf '       %s\n' "$stages"
	rm -f "$TMP/doc$size.md" "$TMP/out/doc$size."*
done
echo "targets (issue 5): 122 pages <= 0.15 s; 1,200 pages <= 1.5 s and < 200 MB; PDF <= 1.8 MB at 122 pages"

# The issue's term base is named as ../../terms/ from its folder: the same layout here,
# run from its top (a term base must lie under the working directory).
mkdir -p "$TMP/serve/bulletin" && cp -R content/terms "$TMP/serve/terms" &&
	cp -R content/bulletin/2026-3 "$TMP/serve/bulletin/2026-3" &&
	bench=$(pwd)/tests/serve_bench.py && case $G in /*) ;; *) G=$(pwd)/$G ;; esac &&
	(cd "$TMP/serve" && python3 "$bench" "$G" bulletin/2026-3 out)
