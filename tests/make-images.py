#!/usr/bin/env python3
"""Writes the small test images of tests/golden/images/ (run by hand; the tests use the files)."""
import struct
import sys
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/golden/images"


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(path, width, height, colour, depth, rows, palette=None, trns=None, interlace=0, ihdr=None):
    """rows: the filtered-less scanlines as bytes, one per row (filter 0 is added here)."""
    head = ihdr or struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    raw = b"".join(b"\0" + r for r in rows)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head)
    if palette:
        data += chunk(b"PLTE", b"".join(bytes(c) for c in palette))
    if trns:
        data += chunk(b"tRNS", trns)
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(f"{OUT}/{path}", "wb") as f:
        f.write(data)


def rgb_rows(width, height, pixel):
    return [bytes(v for x in range(width) for v in pixel(x, y)) for y in range(height)]


# A wide RGB picture: bands of colour (scaled down to the measure).
png("wide.png", 1600, 400, 2, 8,
    rgb_rows(1600, 400, lambda x, y: (x * 255 // 1599, 80 if y < 200 else 180, 160 if (x // 100) % 2 else 60)))
# A small grey image: shown at 150 dpi, never enlarged.
png("small.png", 60, 40, 0, 8, [bytes((x * 4 + y * 2) % 256 for x in range(60)) for y in range(40)])
# A tall grey image for the page-break cases.
png("tall.png", 300, 900, 0, 8, [bytes(255 - (y * 255 // 899) for x in range(300)) for y in range(900)])
# RGBA: a disc that fades out (the PDF gets a soft mask).
png("alpha.png", 200, 100, 6, 8, rgb_rows(200, 100, lambda x, y: (
    200, 40, 40, max(0, 255 - int((((x - 100) ** 2 + (y - 50) ** 2) ** 0.5) * 5)))))
# A paletted image of four colours.
pal = [(255, 255, 255), (200, 30, 30), (30, 120, 200), (40, 40, 40)]
png("palette.png", 120, 80, 3, 8, [bytes(((x // 30) + (y // 20)) % 4 for x in range(120)) for y in range(80)],
    palette=pal)
# 16 bits a sample, and Adam7-interlaced (a one-colour image reads the same either way).
png("deep.png", 64, 32, 2, 16, rgb_rows(64, 32, lambda x, y: (x * 4, 0, 200, 0, 100, 0)))
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
passes = []
for x0, y0, dx, dy in ADAM7:
    w, h = (64 - x0 + dx - 1) // dx, (32 - y0 + dy - 1) // dy
    passes += [bytes([128] * w) for _ in range(h)] if w and h else []
png("interlaced.png", 64, 32, 0, 8, passes, interlace=1)
# A header that claims 30000 x 30000 pixels over a tiny body.
png("huge.png", 1, 1, 0, 8, [b"\0"], ihdr=struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
# Image data that does not inflate, under correct CRCs (libpng would stop the program).
good = zlib.compress(b"".join(b"\0" + bytes(8) for _ in range(8)))
with open(f"{OUT}/badzip.png", "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", good[:6] + bytes(b ^ 0x5A for b in good[6:])) + chunk(b"IEND", b""))
# photo.jpg is not made here: it is page 1 of tests/pdf/sample.pdf as galley builds it,
# turned into a JPEG with `pdftoppm -jpeg -r 20 -f 1 -l 1`.
