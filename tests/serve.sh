# `galley serve`, sourced by tests/run.sh with $G, $TMP, $label, ok, bad: tests/serve.py
# starts it on a free port and drives it (pages, an edit and its event, a bad edit,
# traversals, the listen address, SIGTERM); each of its lines is a check.

e=$TMP/serve
rm -rf "$e"
mkdir -p "$e"
python3 tests/serve.py "$G" "$e" >"$e/log" 2>&1
while read -r verdict rest; do
	case $verdict in
	ok) ok ;;
	FAIL) bad "serve: $rest" ;;
	*) bad "serve: $verdict $rest" ;;
	esac
done <"$e/log"
# A run that stopped early (a crash of the test) has fewer lines than checks.
n=$(grep -c -E "^(ok|FAIL) " "$e/log")
check "serve: every check ran" test "$n" -ge 35

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
		python3 tests/serve.py "$e/vg/galley" "$e/vg" >"$e/vg/log" 2>&1
		if [ "$(grep -c '^ok ' "$e/vg/log")" -ge 35 ] && ! grep -q '^FAIL' "$e/vg/log" &&
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
