# Figure tests, sourced by tests/run.sh with $G, $TMP, $ROOT, check, same, bad: images in
# the PDF read back with pdfimages and qpdf, the style's resolution, and every way an
# image can be unusable (each an error at its line that keeps the previous PDF).

f=$TMP/figure
rm -rf "$f"
mkdir -p "$f/doc/images" "$f/a" "$f/b"
cp tests/golden/images/* "$f/doc/images/"
cat >"$f/doc/figs.md" <<'MD'
---
title: 图的读回
---

见[](#fig-alpha)。

![带透明度](images/alpha.png){#fig-alpha}

![调色板](images/palette.png)

![照片](images/photo.jpg)

![宽图](images/wide.png)

![小图](images/small.png)

![同一小图再用一次](images/small.png)
MD
export SOURCE_DATE_EPOCH=1700000000
if "$G" build -t pdf -o "$f/a" "$f/doc/figs.md" 2>"$f/err"; then ok
else bad "figure: the figures build"; cat "$f/err"; fi
check "figure: no warnings" test ! -s "$f/err"
pdf=$f/a/figs.pdf
pdfimages -list "$pdf" 2>/dev/null | tail -n +3 >"$f/list"
# Columns: page num type width height color comp bpc enc interp object id x-ppi y-ppi …
has_image() { awk -v t="$1" -v w="$2" -v h="$3" -v c="$4" -v e="$5" \
	'$3 == t && $4 == w && $5 == h && $6 == c && $9 == e { found = 1 } END { exit !found }' "$f/list"; }
check "figure: the RGBA PNG is an RGB image" has_image image 200 100 rgb image
check "figure: with a soft mask for its alpha" has_image smask 200 100 gray image
check "figure: the paletted PNG stays indexed" has_image image 120 80 index image
check "figure: the JPEG is embedded as it is (DCT)" has_image image 166 234 rgb jpeg
check "figure: the wide PNG keeps its pixels" has_image image 1600 400 rgb image
check "figure: an image used twice is shown twice" \
	test "$(awk '$4 == 60 && $5 == 40' "$f/list" | wc -l)" -eq 2
check "figure: and embedded once" \
	test "$(awk '$4 == 60 && $5 == 40 { print $11 }' "$f/list" | sort -u | wc -l)" -eq 1
check "figure: the small image is shown at 150 dpi, not enlarged" \
	awk '$4 == 60 && $5 == 40 && $13 == 150 && $14 == 150 { found = 1 } END { exit !found }' "$f/list"
check "figure: the wide image is scaled down into the measure (254 dpi)" \
	awk '$4 == 1600 && $13 == 254 { found = 1 } END { exit !found }' "$f/list"
qpdf --check "$pdf" >"$f/qpdf" 2>&1
check "figure: qpdf --check passes" grep -q 'No syntax or stream encoding errors' "$f/qpdf"
check "figure: qpdf --check has no warnings" sh -c "! grep -qi 'warning\|error:' '$f/qpdf'"
pdftotext -layout -enc UTF-8 "$pdf" "$f/txt" 2>/dev/null
check "figure: captions come back as text, in order" \
	awk '/图1 +带透明度/ { a = NR } /图6 +同一小图再用一次/ { b = NR } END { exit !(a && b > a) }' "$f/txt"
"$G" build -t pdf -o "$f/b" "$f/doc/figs.md" 2>/dev/null
check "figure: two builds with images are byte-identical" cmp -s "$pdf" "$f/b/figs.pdf"
unset SOURCE_DATE_EPOCH

# The style's image-dpi: at 300 dpi the 60 x 40 image is 14.4 x 9.6 points.
mkdir -p "$f/data/styles/hidpi"
cp -R styles/common "$f/data/styles/"
cp styles/article/* "$f/data/styles/hidpi/"
printf 'image-dpi: 300\n' >"$f/data/styles/hidpi/page.yaml"
(cd "$f/data" && GALLEY_DATA=$ROOT "$G" build -t layout -s hidpi -o - "$f/doc/figs.md" \
	>"$f/hidpi.layout" 2>"$f/err")
check "figure: image-dpi 300 halves the small image" grep -q 'image .* 14.40x9.60 small.png' "$f/hidpi.layout"

# Bad images: each an error at the figure's line and column, exit 1, the old PDF kept.
cp "$pdf" "$f/good.pdf"
ln -s ../../outside.png "$f/doc/images/link.png"
cp tests/golden/images/small.png "$f/outside.png"
head -c 300 tests/golden/images/wide.png >"$f/doc/images/truncated.png"
head -c 1000 tests/golden/images/photo.jpg >"$f/doc/images/truncated.jpg"
printf 'not an image\n' >"$f/doc/images/text.png"
bad_image() {	# NAME URL MESSAGE [OPTION]
	printf -- '---\ntitle: 图的读回\n---\n\n![坏图](%s)\n' "$2" >"$f/doc/figs.md"
	"$G" build -t pdf -o "$f/a" ${4:-} "$f/doc/figs.md" >/dev/null 2>"$f/err"
	echo "exit $?" >>"$f/err"
	if grep -qF "galley: $f/doc/figs.md:5:1: error: image '$2': $3" "$f/err" &&
	    grep -qx 'exit 1' "$f/err"; then ok; else bad "figure: $1"; cat "$f/err"; fi
	check "figure: $1 keeps the previous PDF" cmp -s "$f/good.pdf" "$pdf"
}
bad_image "a missing image" images/missing.png "cannot read: No such file or directory"
bad_image "a truncated PNG" images/truncated.png "truncated PNG"
bad_image "a truncated JPEG" images/truncated.jpg "truncated JPEG"
bad_image "a text file named .png" images/text.png "not a PNG or JPEG image"
bad_image "a PNG header of 30000 x 30000" images/huge.png "30000 × 30000 pixels is too large"
bad_image "PNG data that does not inflate" images/badzip.png "damaged PNG"
bad_image "a 16-bit PNG" images/deep.png "a 16-bit PNG, which the PDF writer cannot show"
bad_image "an interlaced PNG" images/interlaced.png "an interlaced PNG"
bad_image "a path out of the folder" ../../etc/passwd "the path leads out of the document's folder"
bad_image "an absolute path" /etc/passwd "the path is absolute"
bad_image "a symbolic link out of the folder" images/link.png "the file lies outside the document's folder"
bad_image "a remote image" https://example.org/a.png "remote images are not fetched"
bad_image "a data: URL" "data:image/png;base64,iVBOR" "images in data: URLs are not supported"
# Every bad image of a document is reported in one run, in order: a truncated PNG
# on line 5 and a missing file on line 7 (before, the truncated one showed only once
# the missing one was fixed).
printf -- '---\ntitle: 两张坏图\n---\n\n![甲](images/truncated.png)\n\n![乙](images/missing.png)\n' >"$f/doc/figs.md"
"$G" build -t pdf -o "$f/a" "$f/doc/figs.md" >/dev/null 2>"$f/err"
echo "exit $?" >>"$f/err"
printf '%s\n' "galley: $f/doc/figs.md:5:1: error: image 'images/truncated.png': truncated PNG (a chunk runs past the end of the file)" \
	"galley: $f/doc/figs.md:7:1: error: image 'images/missing.png': cannot read: No such file or directory" \
	"exit 1" >"$f/err.want"
same "figure: two bad images, both reported in one run" "$f/err.want" "$f/err"
# --trust-paths lets the same paths through.
for url in ../outside.png "$f/outside.png" images/link.png; do
	printf -- '---\ntitle: 图的读回\n---\n\n![外面的图](%s)\n' "$url" >"$f/doc/figs.md"
	"$G" build -t pdf --trust-paths -o "$f/a" "$f/doc/figs.md" 2>"$f/err"
	check "figure: --trust-paths accepts $url" test $? -eq 0
done
check "figure: --trust-paths is in --help" sh -c "'$G' --help | grep -q -- --trust-paths"

# HTML-only builds apply the same path rules (one check before any output, inline images
# too): out of the folder is an error that keeps the previous HTML, a missing file a
# warning (a browser shows a broken image); a remote image is the browser's to fetch.
printf -- '---\ntitle: 图的读回\n---\n\n![小图](images/small.png)\n' >"$f/doc/figs.md"
"$G" build -t html -o "$f/a" "$f/doc/figs.md" 2>/dev/null
html_image() {	# NAME URL EXIT [MESSAGE] [OPTION]
	cp "$f/a/figs.html" "$f/before.html"
	printf -- '---\ntitle: 图的读回\n---\n\n行内的 ![图](%s) 一张。\n' "$2" >"$f/doc/figs.md"
	"$G" build -t html -o "$f/a" ${5:-} "$f/doc/figs.md" >/dev/null 2>"$f/err"
	echo "exit $?" >>"$f/err"
	if grep -qx "exit $3" "$f/err" && { [ -n "${4:-}" ] &&
	    grep -qF "galley: $f/doc/figs.md:5:5: ${4:-}" "$f/err" ||
	    { [ -z "${4:-}" ] && [ "$(wc -l <"$f/err")" -eq 1 ]; }; }; then ok
	else bad "figure: HTML, $1"; cat "$f/err"; fi
	[ "$3" = 1 ] && check "figure: HTML, $1 keeps the previous HTML" cmp -s "$f/before.html" \
		"$f/a/figs.html"
}
html_image "a path out of the folder" ../../etc/passwd 1 \
	"error: image '../../etc/passwd': the path leads out of the document's folder"
html_image "an absolute path" /etc/hosts 1 "error: image '/etc/hosts': the path is absolute"
html_image "a symbolic link out of the folder" images/link.png 1 \
	"error: image 'images/link.png': the file lies outside the document's folder"
html_image "a missing image" images/missing.png 0 \
	"warning: image 'images/missing.png': cannot read: No such file or directory"
html_image "a missing image under --strict" images/missing.png 1 \
	"error: image 'images/missing.png': cannot read" --strict
html_image "a path out of the folder with --self-contained" ../../etc/passwd 1 \
	"error: image '../../etc/passwd': the path leads out of the document's folder" \
	--self-contained
html_image "a remote image" https://example.org/a.png 0
html_image "a path out of the folder with --trust-paths" ../outside.png 0 "" --trust-paths

# The bulletin's two figures: a PNG chart and a JPEG, each with its caption.
"$G" build -t pdf -o "$f/bulletin" content/bulletin/2026-3 2>/dev/null
pdfimages -list "$f/bulletin/2026-3.pdf" 2>/dev/null | tail -n +3 >"$f/list"
check "figure: the bulletin's PDF shows a PNG and a JPEG" \
	test "$(awk '{ print $9 }' "$f/list" | sort | tr '\n' ' ')" = "image jpeg "
pdftotext -layout -enc UTF-8 "$f/bulletin/2026-3.pdf" "$f/txt" 2>/dev/null
check "figure: the bulletin's captions" grep -q '图2 *第十二届博览会每日专业观众人次' "$f/txt"
