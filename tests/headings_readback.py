#!/usr/bin/env python3
"""Reads a PDF back as a reader sees it and finds headings left at the foot of a page.

Usage: readback.py FILE.pdf SOURCE...   (SOURCE: Markdown files, or an issue's folder)

A heading is the text of an ATX heading (# ...) or of a `title:` in the sources' front
matter or issue.yaml.  For every page but the last, the lowest line of body text of each
column (text as large as the body's: running feet, page numbers and footnotes are smaller)
must not be a heading, nor the first line of one that goes on overleaf.  Prints each
stranded heading as 'FILE page N: TEXT', then 'stranded: N'; exits 1 when there is one.
Only poppler's pdftotext and the standard library: it knows nothing of galley's internals.
"""
import os
import re
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET


def squash(s):
    return re.sub(r'[\s\u3000*_`]', '', s)


def headings(sources):
    found = set()
    files = []
    for src in sources:
        if os.path.isdir(src):
            files += [os.path.join(src, f) for f in sorted(os.listdir(src))
                      if f.endswith('.md') or f.endswith('.yaml')]
        else:
            files.append(src)
    for path in files:
        with open(path, encoding='utf-8') as f:
            for line in f:
                m = (re.match(r'#{1,6}\s+(.*?)\s*(\{[^}]*\})?\s*$', line) or
                     re.match(r'\s*-?\s*title:\s*["\']?(.*?)["\']?\s*$', line))
                if m and len(squash(m.group(1))) >= 2:
                    found.add(squash(m.group(1)))
    return found


def pages(pdf):
    """Per page: its width and its words as (xMin, yMin, xMax, yMax, text)."""
    out = subprocess.run(['pdftotext', '-bbox-layout', pdf, '-'], capture_output=True,
                         text=True, check=True).stdout
    # The XHTML's namespace is dropped: ElementTree then names elements plainly.
    root = ET.fromstring(re.sub(r'\sxmlns="[^"]+"', '', out, count=1))
    for page in root.iter('page'):
        words = [(float(w.get('xMin')), float(w.get('yMin')), float(w.get('xMax')),
                  float(w.get('yMax')), w.text or '') for w in page.iter('word')]
        yield float(page.get('width')), words


def lines_of(words):
    """Words on one baseline (within 2 pt) and on one side of a column gap make a line."""
    lines = []
    for w in sorted(words, key=lambda w: (w[3], w[0])):
        for line in lines:
            if abs(line['y'] - w[3]) < 2 and w[0] - line['x1'] < 20 and w[0] >= line['x0']:
                line['words'].append(w)
                line['x1'] = max(line['x1'], w[2])
                line['h'] = max(line['h'], w[3] - w[1])
                break
        else:
            lines.append({'y': w[3], 'x0': w[0], 'x1': w[2], 'h': w[3] - w[1], 'words': [w]})
    for line in lines:
        line['text'] = squash(''.join(w[4] for w in sorted(line['words'])))
    return lines


def is_heading(text, heads):
    if len(text) < 2:
        return None
    for h in heads:
        # The whole heading, give or take a generated number before it ("6.1　").
        if text.endswith(h) and len(text) - len(h) <= 8:
            return h
        # The first line of a heading that goes on overleaf (its number before it).
        for k in range(0, 9):
            if len(text) - k >= 6 and len(h) > len(text) - k and h.startswith(text[k:]):
                return h
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    pdf, heads = sys.argv[1], headings(sys.argv[2:])
    all_pages = list(pages(pdf))
    heights = [w[3] - w[1] for _, words in all_pages for w in words if w[4].strip()]
    if not heights:
        print('stranded: 0')
        return 0
    body = statistics.median(heights)
    found = []
    for number, (width, words) in enumerate(all_pages[:-1], 1):
        lines = [l for l in lines_of(words) if l['h'] >= body * 0.9 and l['text']
                 and not re.fullmatch(r'[—–\-]*\d+[—–\-]*|[ivxlcIVXLC]+', l['text'])]
        # The lowest line of each column: lines right of the middle are a right column's.
        for side in (lambda l: l['x0'] < width / 2, lambda l: l['x0'] >= width / 2):
            column = [l for l in lines if side(l)]
            if not column:
                continue
            last = max(column, key=lambda l: l['y'])
            h = is_heading(last['text'], heads)
            if h:
                found.append(f'{pdf} page {number}: {last["text"]}')
    for f in found:
        print(f)
    print(f'stranded: {len(found)}')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
