#!/usr/bin/env python3
"""Edit-to-reload time of `galley serve` (figures only, never asserted): the time from
the rename of an article's source (an editor's save) to the build event received by a
client of the event stream, over several saves.

    python3 tests/serve_bench.py GALLEY ISSUE_FOLDER OUT_DIR [SAVES]
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time

galley, issue, out = sys.argv[1:4]
saves = int(sys.argv[4]) if len(sys.argv) > 4 else 7
articles = sorted(f for f in os.listdir(issue) if f.endswith(".md"))
proc = subprocess.Popen([galley, "serve", "-p", "0", "-o", out, issue],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
try:
    line = proc.stdout.readline().decode()
    port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(b"GET /_galley/events HTTP/1.0\r\nHost: x\r\n\r\n")
    buf = b""

    def next_event():
        global buf
        while b"\n\n" not in buf.partition(b"\r\n\r\n")[2] if b"\r\n\r\n" in buf else True:
            chunk = sock.recv(65536)
            if not chunk:
                raise SystemExit("serve-bench: the event stream closed")
            buf += chunk
        head, _, body = buf.partition(b"\r\n\r\n")
        ev, _, rest = body.partition(b"\n\n")
        buf = head + b"\r\n\r\n" + rest
        return ev.decode()

    while not next_event().startswith("event: hello"):
        pass
    times = []
    html_times = []
    for i in range(saves):
        path = os.path.join(issue, articles[i % len(articles)])
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path + ".tmp~", "w", encoding="utf-8") as f:
            f.write(text + "\n第%d次保存加的一段。\n" % (i + 1))
        t0 = time.monotonic()
        os.rename(path + ".tmp~", path)
        while True:
            ev = next_event()
            if not ev.startswith("event: build"):
                continue
            data = json.loads(ev.split("data: ", 1)[1])
            if not all(d["ok"] for d in data["docs"]):
                raise SystemExit("serve-bench: a build failed: " + data["docs"][0]["diag"])
            if data["docs"][0]["outputs"] == "html":
                html_times.append((time.monotonic() - t0) * 1000)
            else:
                break
        times.append((time.monotonic() - t0) * 1000)
    print("serve: edit-to-reload of a %d-article issue over %d saves (rename to event), "
          "HTML page: median %.0f ms, best %.0f ms, worst %.0f ms" % (
              len(articles), saves, statistics.median(html_times), min(html_times),
              max(html_times)))
    print("       PDF view (the whole build after the HTML): median %.0f ms, best %.0f ms, "
          "worst %.0f ms" % (statistics.median(times), min(times), max(times)))
finally:
    proc.terminate()
    proc.wait()

# The same build by hand, each after the same kind of save, right after: on a shared
# machine the figures only compare with one another.  (A build whose outputs change
# costs more than one whose outputs stay the same: it writes them.)
builds = []
for i in range(saves):
    path = os.path.join(issue, articles[i % len(articles)])
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path + ".tmp~", "w", encoding="utf-8") as f:
        f.write(text + "\n手工构建前加的一段%d。\n" % (i + 1))
    os.rename(path + ".tmp~", path)
    t0 = time.monotonic()
    subprocess.run([galley, "build", "-q", "-t", "html,pdf", "-o", out, issue], check=True)
    builds.append((time.monotonic() - t0) * 1000)
print("       the same save then `galley build -t html,pdf` by hand: median %.0f ms, best %.0f ms"
      % (statistics.median(builds), min(builds)))
