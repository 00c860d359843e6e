#!/usr/bin/env python3
"""Column rules that strike text.  Usage: rulecheck.py LAYOUT PDF

LAYOUT is `galley build -t layout` of the document and PDF its PDF: the rules are the
layout's thin vertical rules, the words what pdftotext -bbox reads back from the PDF (both
in points from the page's top left).  A rule strikes a word when it passes through the
word's box by more than a point.  Prints each, then 'struck: N'; exits 1 when there is one.
"""
import re
import subprocess
import sys

layout, pdf = sys.argv[1], sys.argv[2]
rules, page = {}, 0
for line in open(layout, encoding='utf-8'):
    if line.startswith('page '):
        page = int(line.split()[1])
    m = re.match(r'  rule ([\d.]+),([\d.]+) ([\d.]+)x([\d.]+)', line)
    if m:
        x, y, w, h = map(float, m.groups())
        if w < 2 and h > 10:
            rules.setdefault(page, []).append((x, y, x + w, y + h))
xml = subprocess.run(['pdftotext', '-bbox', pdf, '-'], capture_output=True, text=True,
                     check=True).stdout
found = []
for number, body in enumerate(xml.split('<page ')[1:], 1):
    for x0, y0, x1, y1, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                           r'xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body):
        x0, y0, x1, y1 = map(float, (x0, y0, x1, y1))
        for a, b, c, e in rules.get(number, []):
            mid = (a + c) / 2
            if x0 + 1 < mid < x1 - 1 and b < y1 - 1 and e > y0 + 1:
                found.append(f'page {number}: the rule at x={mid:.1f} strikes "{word}"')
for f in found:
    print(f)
print(f'struck: {len(found)}')
sys.exit(1 if found else 0)
