# `galley serve`, sourced by tests/run.sh with $G, $TMP, $label, ok, bad: tests/serve.py
# starts it on a free port and drives it (pages, an edit and its event, a bad edit,
# traversals, the listen address, SIGTERM); each of its lines is a check.

e=$TMP/serve
rm -rf "$e"
mkdir -p "$e"
timeout 600 python3 tests/serve.py "$G" "$e" >"$e/log" 2>&1
while read -r verdict rest; do
	case $verdict in
	ok) ok ;;
	FAIL) bad "serve: $rest" ;;
	*) bad "serve: $verdict $rest" ;;
	esac
done <"$e/log"
check "serve: --help shows it" sh -c "'$G' --help | grep -q 'galley serve \[-p PORT\] \[--host ADDR\]'"
# Usage errors end at once with status 2 and say why, before listening.
printf -- '---\ntitle: t\n---\n\ntext\n' >"$e/u.md"
serve_usage() {	# serve_usage MESSAGE ARGS...
	msg=$1
	shift
	timeout 20 "$G" "$@" >/dev/null 2>"$e/usage.err"
	check "serve: usage error: $*" sh -c "test $? = 2 && grep -q -- '$msg' '$e/usage.err'"
}
serve_usage "-p and --host are for" build -p 0 "$e/u.md"
serve_usage "-p needs a port number" serve -p x "$e/u.md"
serve_usage "-p needs a port number" serve -p 70000 "$e/u.md"
serve_usage "serve needs" serve -o - "$e/u.md"
serve_usage "serve needs" serve --depfile "$e/d" -o "$e/o" "$e/u.md"
serve_usage "none.md: error: no such file or folder" serve -p 0 -o "$e/o" "$e/none.md"
# A run that stopped early (a crash of the test) has fewer lines than checks.
n=$(grep -c -E "^(ok|FAIL) " "$e/log")
check "serve: every check ran" test "$n" -ge 39

# The same under valgrind (not for a sanitizer build): no memory error, no definite
# leak after SIGTERM, every check still passing.  The builds run in children, natively.
case $label in
*-san) ;;
*)
	if command -v valgrind >/dev/null 2>&1; then
		rm -rf "$e/vg"
		mkdir -p "$e/vg"
		cat >"$e/vg/galley" <<VG
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --log-file="$e/vg/valgrind.log" "$G" "\$@"
VG
		chmod +x "$e/vg/galley"
		timeout 600 python3 tests/serve.py "$e/vg/galley" "$e/vg" >"$e/vg/log" 2>&1
		if [ "$(grep -c '^ok ' "$e/vg/log")" -ge 39 ] && ! grep -q '^FAIL' "$e/vg/log" &&
		    [ ! -s "$e/vg/valgrind.log" ]; then
			ok
		else
			bad "serve under valgrind"
			grep -v '^ok ' "$e/vg/log" | head -20
			head -40 "$e/vg/valgrind.log"
		fi
	fi
	;;
esac
