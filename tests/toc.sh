# PDF read-back of contents and index pages, sourced by tests/run.sh with $G, $TMP, check, bad:
# every page number a contents entry prints is the page its heading is on.  The
# pages' text and labels come from poppler, not from galley.

c=$TMP/toc
rm -rf "$c"
mkdir -p "$c"
if "$G" build -q -t pdf -o "$c" content/standard/t-xaf-001.md content/bulletin/2026-3 \
    tests/golden/toc-gb.md 2>"$c/err"; then ok
else bad "toc: the documents build"; cat "$c/err"; fi

# toc_check PDF NAME MIN: each entry "title . . . . N" on a contents or index page
# names a page whose printed number (its last line) is N and whose text holds the
# title (an index entry's term and entry number); at least MIN entries.
toc_check() {
	pdf=$1
	pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
	: >"$c/labels"
	for n in $(seq 1 "$pages"); do
		pdftotext -enc UTF-8 -layout -f "$n" -l "$n" "$pdf" - 2>/dev/null >"$c/p$n"
		# Its text without spaces, as laid out (a number stays before its title) and
		# in reading order (a heading in a column stays whole).
		{ tr -d ' \t\f\n' <"$c/p$n"; echo
		  pdftotext -enc UTF-8 -f "$n" -l "$n" "$pdf" - 2>/dev/null | tr -d ' \t\f\n'
		} >"$c/t$n"
		# The printed page number: the page's last line of text.
		printed=$(awk '{ gsub(/[ \t\f]/, "") } $0 != "" { last = $0 } END { print last }' "$c/p$n")
		echo "$n $printed" >>"$c/labels"
	done
	entries=0 wrong=0
	for n in $(seq 1 "$pages"); do
		# Entries: text, a dot leader, the page number.
		awk '/\. \. \. / {
			line = $0
			number = line; sub(/.*[. ] +/, "", number)
			title = line; sub(/ *\. \. \..*/, "", title)
			gsub(/◎/, "", title)
			gsub(/[ \t\f]/, "", title)
			if (title != "" && number ~ /^[0-9IVXLivxl]+$/) print number, title
		}' "$c/p$n" >"$c/entries"
		while read -r number title; do
			entries=$((entries + 1))
			at=$(awk -v l="$number" '$2 == l { print $1; exit }' "$c/labels")
			# An index entry, "term 3.1": its entry, number and term, is on that page.
			num=$(printf '%s' "$title" |
			    sed -n 's/^.*[^0-9.]\([A-Z]\{0,1\}[0-9][0-9]*\(\.[0-9][0-9]*\)\{1,\}\)$/\1/p')
			term=${title%"$num"}
			if [ -n "$at" ] && [ -n "$num" ] && grep -qF -- "$num" "$c/t$at" &&
			    grep -qF -- "$term" "$c/t$at"; then
				continue
			fi
			if [ -z "$at" ] || ! grep -qF -- "$title" "$c/t$at"; then
				wrong=$((wrong + 1))
				echo "  $2: '$title' is not on the page numbered $number"
			fi
		done <"$c/entries"
	done
	check "toc: $2 lists at least $3 entries ($entries)" test "$entries" -ge "$3"
	check "toc: $2's page numbers are the pages of the headings" test "$wrong" -eq 0
}

toc_check "$c/t-xaf-001.pdf" standard 40
toc_check "$c/2026-3.pdf" bulletin 18
toc_check "$c/toc-gb.pdf" toc-gb 8

# A heading pushed on to the next page (here the top of a column) while the page it
# leaves has footnotes: its contents entry gives the page it is on, not the page of the
# notes set before it (the 2026-3 issue with its Q&A article in two columns).
mkdir -p "$c/rep/bulletin"
cp -R content/terms "$c/rep/"
cp -R content/bulletin/2026-3 "$c/rep/bulletin/"
sed -i 's/^      - credit-faq.md$/      - {file: credit-faq.md, class: columns-2}/' "$c/rep/bulletin/2026-3/issue.yaml"
if "$G" build -q --trust-paths -t pdf -o "$c/rep" "$c/rep/bulletin/2026-3" 2>"$c/err"; then ok
else bad "toc: the issue with a Q&A in columns builds"; cat "$c/err"; fi
toc_check "$c/rep/2026-3.pdf" "bulletin with a Q&A in columns" 18
