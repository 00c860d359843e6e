#!/usr/bin/env python3
"""Usage: readback.py FILE.pdf SOURCE...   (SOURCE: the .md files or folders the PDF was made from)

Reads a PDF back the way a reader sees it (poppler's pdftotext -bbox-layout for the words,
pdftoppm -gray for the ink) and checks two things of issue 17:

  1. No line-end mark's ink crosses the margin.  A text frame's right edge is the x where
     three or more long lines end; a line ending in a closing mark (，。、；：！？）》」』】〕〉”’)
     whose glyph box passes that edge (by up to an em) is looked at in the page image: any dark pixel
     right of the edge (beyond half a point) fails.
  2. Quotes in headings are full width.  For every ATX heading of the sources holding
     “ or ”, its line in the PDF is found by its text.  An opening quote must not be a word
     by itself (its ink floating away from the text it opens), and the cell a quote takes
     between the characters on either side must be at least 0.8 em wide: the glyph's own
     advance, estimated from its word, plus the blank after a closing quote (or before
     an opening one).

Prints each failure and a summary; exits 1 when anything fails or when no heading quote was
found to measure (a test that measures nothing proves nothing).
"""
import collections
import html
import os
import re
import subprocess
import sys
import tempfile

CLOSING = set('，。、；：！？）》」』】〕〉”’')
# Marks a solid heading sets in a full em between Han characters.
FULL_WIDTH = set('、，：；！？（）《》')
DPI = 150


def words_by_line(pdf):
    out = subprocess.run(['pdftotext', '-bbox-layout', '-enc', 'UTF-8', pdf, '-'],
                         capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r'<page width="[^"]*" height="[^"]*">(.*?)</page>', out, re.S):
        lines = []
        for line in re.findall(r'<line [^>]*>(.*?)</line>', page, re.S):
            ws = [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in
                  re.findall(r'<word xMin="([^"]*)" yMin="([^"]*)" xMax="([^"]*)" yMax="([^"]*)">(.*?)</word>',
                             line)]
            if ws:
                lines.append(ws)
        pages.append(lines)
    return pages


def han(c):
    return '\u4e00' <= c <= '\u9fff' or '\u3400' <= c <= '\u4dbf'


def right_edges(lines):
    """Where three or more long lines (12 em or more) end in a Han character: a text frame's
    right edge, one per column.  Short lines that happen to end together (a table's column,
    a list of short items) are not taken for a frame."""
    ends = collections.Counter(round(ws[-1][2], 1) for ws in lines if han(ws[-1][4][-1]) and
                               ws[-1][2] - ws[0][0] >= 12 * (ws[-1][3] - ws[-1][1]))
    return sorted(x for x, n in ends.items() if n >= 3)


def page_image(pdf, n, tmp):
    base = os.path.join(tmp, 'p')
    subprocess.run(['pdftoppm', '-gray', '-r', str(DPI), '-f', str(n), '-l', str(n), pdf, base], check=True)
    name = [f for f in os.listdir(tmp) if f.startswith('p') and f.endswith('.pgm')][0]
    with open(os.path.join(tmp, name), 'rb') as f:
        data = f.read()
    os.remove(os.path.join(tmp, name))
    m = re.match(rb'P5\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


def ink_right_of(img, x, y0, y1, reach):
    """Dark pixels right of x, up to reach points: a hanging mark's ink goes at most half
    an em past the margin, and farther on a column rule or the next column begins."""
    w, h, px = img
    s = DPI / 72.0
    c0 = int(x * s) + 1
    hits = 0
    for r in range(max(0, int(y0 * s)), min(h, int(y1 * s) + 1)):
        row = px[r * w:(r + 1) * w]
        hits += sum(1 for v in row[c0:min(w, c0 + int(reach * s))] if v < 128)
    return hits


def source_headings(srcs):
    heads = []
    for src in srcs:
        files = [src] if os.path.isfile(src) else sorted(
            os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith('.md'))
        for f in files:
            with open(f, encoding='utf-8') as fh:
                for line in fh:
                    m = re.match(r'#{1,6}\s+(.*?)\s*(\{[^}]*\})?\s*$', line)
                    if m and ('“' in m.group(1) or '”' in m.group(1)):
                        heads.append(m.group(1))
    return heads


def flat(ws):
    return ''.join(w[4] for w in ws)


def check_heading(ws, failures, where):
    """Returns how many quotes were measured in the heading line ws."""
    runs = [w for w in ws if len(w[4]) >= 2 and all(han(c) for c in w[4])]
    if runs:
        em = sorted((w[2] - w[0]) / len(w[4]) for w in runs)[len(runs) // 2]
    else:
        # A heading set solid is one word of Han and marks: its box is an em high.
        em = sorted(w[3] - w[1] for w in ws)[len(ws) // 2]
    measured = 0
    for i, w in enumerate(ws):
        t = w[4]
        quotes = sum(1 for c in t if c in '“”')
        if not quotes:
            continue
        if t == '“' or t.endswith('“'):
            failures.append('%s: an opening quote stands apart from its text (%r)' % (where, t))
            measured += 1
            continue
        others = len(t) - quotes
        if any(not (han(c) or c in '“”' or (c in FULL_WIDTH and runs == [])) for c in t):
            continue	# Latin or marks in the word: no estimate of the quote's advance
        adv = (w[2] - w[0] - others * em) / quotes
        if not runs:
            # Every character of the word is full width: the quotes' mean advance is
            # what is left of the word's width.
            measured += quotes
            if adv < 0.8 * em:
                failures.append('%s: its quotes take %.2f em (%r)' % (where, adv / em, t))
            continue
        if t.endswith('”') and i + 1 < len(ws):
            cell = adv + ws[i + 1][0] - w[2]
            measured += 1
            if cell < 0.8 * em:
                failures.append('%s: a closing quote takes %.2f em (%r)' % (where, cell / em, t))
        if t.startswith('“') and i > 0:
            cell = adv + w[0] - ws[i - 1][2]
            measured += 1
            if cell < 0.8 * em:
                failures.append('%s: an opening quote takes %.2f em (%r)' % (where, cell / em, t))
    return measured


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    pdf, srcs = argv[1], argv[2:]
    pages = words_by_line(pdf)
    failures = []
    marks = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, lines in enumerate(pages, 1):
            edges = right_edges(lines)
            img = None
            for ws in lines:
                last = ws[-1]
                if last[4][-1] not in CLOSING:
                    continue
                em = last[3] - last[1]
                # The frame the line ends in: the nearest edge at or left of its end.  A line
                # whose glyph box ends at that edge (or before) passes nothing.
                near = [r for r in edges if r <= last[2] + 0.3]
                if not near or last[2] - near[-1] <= 0.3 or last[2] - near[-1] > 1.05 * em:
                    continue
                marks += 1
                if img is None:
                    img = page_image(pdf, n, tmp)
                r = near[-1]
                if ink_right_of(img, r + 0.5, last[1] + 0.1 * em, last[3] - 0.1 * em,
                                0.6 * em) > 0:
                    failures.append('p%d: the ink of %s at the end of "%s" crosses the margin (x %.1f)'
                                    % (n, last[4][-1], flat(ws)[-16:], r))
    heads = [re.sub(r'\s+', '', h) for h in source_headings(srcs)]
    quotes = 0
    for n, lines in enumerate(pages, 1):
        for ws in lines:
            text = flat(ws)
            if any(h and h in text or text and text in h and len(text) >= 4 for h in heads):
                quotes += check_heading(ws, failures, 'p%d "%s"' % (n, text))
    for f in failures:
        print('readback: ' + f)
    print('readback: %s: %d line-end marks at the margin, %d heading quotes measured, %d failures'
          % (pdf, marks, quotes, len(failures)))
    if heads and quotes == 0:
        print('readback: none of the %d headings with quotes was found in the PDF' % len(heads))
        return 1
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
