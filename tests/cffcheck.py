#!/usr/bin/env python3
"""Checks the CFF fonts of a PDF: each CID-keyed one maps glyph g to CID g.

Usage: cffcheck.py FILE.json   (qpdf --json-output --json-stream-data=inline
--decode-level=generalized FILE.pdf FILE.json)

A CIDFontType0's content stream selects glyphs by CID, which poppler and MuPDF
map through the CFF's charset and some readers take for glyph ids: galley
makes the two equal.  Prints how many CFF fonts it read; exits 1 when one is
not so, or cannot be read, and 2 when there is none.
"""
import base64
import json
import sys


def index(d, at):
    """The items of the INDEX at `at` and where it ends."""
    count = d[at] << 8 | d[at + 1]
    if count == 0:
        return [], at + 2
    size = d[at + 2]
    offs = []
    for k in range(count + 1):
        p = at + 3 + k * size
        offs.append(int.from_bytes(d[p:p + size], "big"))
    base = at + 3 + (count + 1) * size - 1
    return [d[base + offs[k]:base + offs[k + 1]] for k in range(count)], base + offs[-1]


def top_dict(b):
    """Operator -> operands of a DICT."""
    ops, stack, i = {}, [], 0
    while i < len(b):
        v = b[i]
        i += 1
        if v <= 21:
            op = v
            if v == 12:
                op = 1200 + b[i]
                i += 1
            ops[op] = stack
            stack = []
        elif v == 28:
            stack.append(int.from_bytes(b[i:i + 2], "big", signed=True))
            i += 2
        elif v == 29:
            stack.append(int.from_bytes(b[i:i + 4], "big", signed=True))
            i += 4
        elif v == 30:
            while b[i] & 0x0F != 0x0F and b[i] & 0xF0 != 0xF0:
                i += 1
            i += 1
            stack.append(0.0)
        elif 32 <= v <= 246:
            stack.append(v - 139)
        elif 247 <= v <= 250:
            stack.append((v - 247) * 256 + b[i] + 108)
            i += 1
        elif 251 <= v <= 254:
            stack.append(-(v - 251) * 256 - b[i] - 108)
            i += 1
        else:
            raise ValueError("bad DICT byte %d" % v)
    return ops


def charset(d, at, n):
    """The CID (or SID) of each glyph 1..n-1."""
    fmt, p, out = d[at], at + 1, []
    if fmt == 0:
        for _ in range(n - 1):
            out.append(d[p] << 8 | d[p + 1])
            p += 2
        return out
    while len(out) < n - 1:
        first = d[p] << 8 | d[p + 1]
        left = d[p + 2] if fmt == 1 else d[p + 2] << 8 | d[p + 3]
        p += 3 if fmt == 1 else 4
        out.extend(range(first, first + left + 1))
    return out[:n - 1]


def check(d):
    """'' when glyph g is CID g (or the font is name-keyed), else what is wrong."""
    if d[0] != 1:
        return "not a CFF table (version %d)" % d[0]
    _, at = index(d, d[2])
    tops, _ = index(d, at)
    top = top_dict(tops[0])
    glyphs, _ = index(d, top[17][0])
    if 1230 not in top:
        return ""
    cids = charset(d, top[15][0], len(glyphs))
    for g, cid in enumerate(cids, 1):
        if cid != g:
            return "glyph %d is CID %d" % (g, cid)
    return ""


def main():
    objects = json.load(open(sys.argv[1]))["qpdf"][1]
    n, bad = 0, 0
    for key, v in objects.items():
        if not isinstance(v, dict) or "stream" not in v:
            continue
        if v["stream"]["dict"].get("/Subtype") != "/CIDFontType0C":
            continue
        n += 1
        try:
            why = check(base64.b64decode(v["stream"]["data"]))
        except (IndexError, KeyError, ValueError) as e:
            why = "unreadable: %s" % e
        if why:
            bad += 1
            print("%s: %s" % (key, why))
    print("%d CFF fonts, %d with CIDs other than their glyph ids" % (n, bad))
    sys.exit(2 if n == 0 else 1 if bad else 0)


main()
