#!/usr/bin/env python3
"""Draws the bulletin's two charts (run by hand from the repository root; the images are committed).

galley sets each chart's labels into a PDF page; this script adds the bars to the
page's content stream (qpdf's QDF form, then fix-qdf), and poppler's pdftoppm cuts
the chart out as a PNG or a JPEG.  Needs out/bin/galley, qpdf and poppler-utils.
"""
import os
import re
import subprocess
import tempfile

GALLEY = "out/bin/galley"
HERE = "content/bulletin/images"

CHARTS = [
    {
        "name": "inspection", "format": "png", "scale": 3.0,
        "title": "2026年视频监控产品省级监督抽查结果（批次）",
        "rows": [("网络摄像机：抽查68，不合格5", 68, 5),
                 ("网络硬盘录像机：抽查34，不合格3", 34, 3),
                 ("视频监控用交换机：抽查24，不合格1", 24, 1)],
        "legend": "灰色：抽查批次　红色：不合格批次",
    },
    {
        "name": "expo-visitors", "format": "jpeg", "scale": 9.0,
        "title": "第十二届溪川国际安防产品博览会专业观众（万人次）",
        "rows": [("9月17日（首日）：1.9", 19, 0),
                 ("9月18日：2.3", 23, 0),
                 ("9月19日：1.4", 14, 0)],
        "legend": "三天合计5.6万人次",
    },
]


def build(chart, tmp):
    md = os.path.join(tmp, chart["name"] + ".md")
    with open(md, "w", encoding="utf-8") as f:
        f.write("---\ntitle: 图\n---\n\n**%s**\n\n" % chart["title"])
        for label, _, _ in chart["rows"]:
            f.write(label + "\n\n")
        f.write(chart["legend"] + "\n")
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    layout = subprocess.run([GALLEY, "build", "-t", "layout", "-o", "-", md], env=env,
                            check=True, capture_output=True, text=True).stdout
    subprocess.run([GALLEY, "build", "-t", "pdf", "-o", tmp, md], env=env, check=True)
    # The baseline of each label line, in order: the title first, the legend last.
    baselines = []
    for line in layout.splitlines():
        m = re.match(r"  text ([0-9.]+),([0-9.]+) ", line)
        if m and float(m.group(2)) < 700 and (not baselines or float(m.group(2)) != baselines[-1]):
            baselines.append(float(m.group(2)))
    rows = baselines[1:1 + len(chart["rows"])]
    ops = ["q 0.6 w 0.3 G 290 %.2f m 290 %.2f l S" % (841.89 - rows[-1] - 5, 841.89 - rows[0] + 11)]
    for y, (_, total, failed) in zip(rows, chart["rows"]):
        bottom = 841.89 - y - 2
        ops.append("0.62 0.66 0.72 rg 290 %.2f %.2f 10 re f" % (bottom, total * chart["scale"]))
        if failed:
            ops.append("0.80 0.15 0.15 rg 290 %.2f %.2f 10 re f" % (bottom, failed * chart["scale"]))
    ops.append("Q")
    qdf = os.path.join(tmp, "qdf.pdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable",
                    os.path.join(tmp, chart["name"] + ".pdf"), qdf], check=True)
    data = open(qdf, "rb").read()
    at = data.index(b"%% Contents for page 1")
    end = data.index(b"endstream", at)
    data = data[:end] + ("\n" + "\n".join(ops) + "\n").encode() + data[end:]
    fixed = subprocess.run(["fix-qdf"], input=data, check=True, capture_output=True).stdout
    with open(qdf, "wb") as f:
        f.write(fixed)
    # The crop: from above the title to below the legend, the type area's width.
    top, bottom = baselines[0] - 16, baselines[-1] + 10
    dpi = 150
    px = lambda pt: int(round(pt * dpi / 72))
    out = os.path.join(HERE, chart["name"])
    subprocess.run(["pdftoppm", "-" + chart["format"], "-r", str(dpi), "-singlefile",
                    "-x", str(px(70)), "-y", str(px(top)), "-W", str(px(456)),
                    "-H", str(px(bottom - top)), qdf, out], check=True)


with tempfile.TemporaryDirectory() as tmp:
    for c in CHARTS:
        build(c, tmp)
