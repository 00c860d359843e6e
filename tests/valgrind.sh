# Valgrind suite, sourced by tests/run.sh for a binary without sanitizers ($G): galley
# runs under valgrind over every document in content/, the golden cases, the fuzz
# regressions and a few error cases.  A run passes when valgrind saw no memory error
# and no definite leak, and galley exited 0 or 1 (the case's own errors), not by a
# signal.  Sourcing starts the runs in the background, as valgrind makes each one
# slow; vg_collect waits for them and counts them.

vg_dir=$TMP/valgrind
rm -rf "$vg_dir"
mkdir -p "$vg_dir"
vg_n=0
vg_env=""

# vg NAME GALLEY-ARGS...: starts one galley run under valgrind (with $vg_env set).
vg() {
	vg_n=$((vg_n + 1))
	echo "$1" >"$vg_dir/$vg_n.name"
	shift
	# shellcheck disable=SC2086
	(env $vg_env valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --show-leak-kinds=definite \
		--log-file="$vg_dir/$vg_n.log" "$G" "$@" >/dev/null 2>"$vg_dir/$vg_n.err"
	echo $? >"$vg_dir/$vg_n.status") &
}

# Each document of content/ to every output, in one run as a make of many would: the
# bulletin issue folders whole, the other Markdown files one by one.
vg_issues=$(find content -name issue.yaml | sed 's|/issue.yaml$||' | sort)
vg_docs=$(find content -name '*.md' | sort | while read -r f; do
	for i in $vg_issues; do case $f in "$i"/*) continue 2 ;; esac; done
	echo "$f"
done)
# shellcheck disable=SC2086
vg "content/" build -q -t html,pdf,layout,xml,tree -o "$vg_dir/content" $vg_docs $vg_issues
# The golden cases (those that fail, with their errors), in two halves of a run each
# to share the time out, and the PDF tests' documents.
# shellcheck disable=SC2046
vg "tests/golden/, odd" build -q -t tree,html,layout,pdf -o "$vg_dir/golden" \
	$(ls tests/golden/*.md | awk 'NR % 2 == 1')
# shellcheck disable=SC2046
vg "tests/golden/, even" build -q -t tree,html,layout,pdf -o "$vg_dir/golden" \
	$(ls tests/golden/*.md | awk 'NR % 2 == 0')
vg "tests/pdf/" build -q -t pdf -o "$vg_dir/pdf" tests/pdf/*.md
for vg_src in tests/fuzz/regressions/*.md; do
	[ -f "$vg_src" ] || continue
	vg_filter=""
	[ -f "${vg_src%.md}.lua" ] && vg_filter="-L ${vg_src%.md}.lua"
	# shellcheck disable=SC2086
	vg "fuzz $vg_src" build -q -t html,layout,pdf -o "$vg_dir/fuzz" $vg_filter "$vg_src"
done
# Errors, each leaving the run early at another place.
vg "missing input" build -o "$vg_dir/err" "$vg_dir/missing.md"
vg "unknown filter" build -o "$vg_dir/err" -L no-such-filter tests/golden/heading-attrs.md
vg "unknown style" build -s no-such-style -o "$vg_dir/err" tests/golden/heading-attrs.md \
	tests/golden/empty.md
vg "check" check tests/golden/*.md
vg_env="GALLEY_DATA=$ROOT/tests"
vg "cover errors" build -s badcover -t layout -o - tests/golden/heading-attrs.md
vg_env=""

vg_collect() {
	wait
	vg_i=0
	while [ $vg_i -lt $vg_n ]; do
		vg_i=$((vg_i + 1))
		vg_status=$(cat "$vg_dir/$vg_i.status")
		if [ "$vg_status" -le 1 ] && [ ! -s "$vg_dir/$vg_i.log" ]; then
			ok
		else
			bad "valgrind $(cat "$vg_dir/$vg_i.name"): exit $vg_status"
			head -60 "$vg_dir/$vg_i.log"
		fi
	done
}
