#!/usr/bin/env python3
"""`galley serve` end to end (standard library only): starts it on a free port, then
fetches pages, edits the source and waits for the event and the new text, makes a bad
edit (error reported, last good page kept), tries traversals, checks the listen
address and a clean exit.  Prints "ok NAME" or "FAIL NAME: why" a line; never times.

    python3 tests/serve.py GALLEY WORKDIR
"""
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

G, WORK = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WAIT = 20  # seconds to wait for an event: generous, never asserted on
results = []


def check(name, cond, why=""):
    results.append(name)
    print(("ok " if cond else "FAIL ") + name + ("" if cond else ": " + why), flush=True)


def write_atomic(path, text):
    """Saves as an editor does: a temporary file renamed over the old one."""
    tmp = path + ".tmp~"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def raw_get(port, target, host="127.0.0.1"):
    """Sends the request line as given (no client normalises it); returns (status, body)."""
    s = socket.create_connection((host, port), timeout=WAIT)
    s.sendall(("GET %s HTTP/1.0\r\nHost: x\r\n\r\n" % target).encode("latin-1"))
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ")[1])
    except (IndexError, ValueError):
        status = 0
    return status, body


class Events:
    """A text/event-stream client on a raw socket (HTTP/1.0: the stream is not chunked)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.sock.sendall(b"GET /_galley/events HTTP/1.0\r\nHost: x\r\n\r\n")
        self.buf = b""
        self.head = None

    def next(self, timeout=WAIT):
        """The next event as (name, data dict), or None after timeout seconds."""
        end = time.monotonic() + timeout
        while True:
            if self.head is None and b"\r\n\r\n" in self.buf:
                self.head, _, self.buf = self.buf.partition(b"\r\n\r\n")
            if self.head is not None and b"\n\n" in self.buf:
                ev, _, self.buf = self.buf.partition(b"\n\n")
                name, data = "message", None
                for line in ev.decode("utf-8").split("\n"):
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        data = json.loads(line[6:])
                if data is None:
                    continue  # a comment (ping)
                return name, data
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buf += chunk

    def wait_for(self, doc, timeout=WAIT):
        """doc's state once a rebuild of it is over (a failure, or the pass that wrote
        everything), or None; self.passes lists the outputs of each event for doc."""
        end = time.monotonic() + timeout
        self.passes = []
        while time.monotonic() < end:
            ev = self.next(end - time.monotonic())
            if ev is None:
                return None
            name, data = ev
            if name == "build":
                self.last = sorted(d["id"] for d in data["docs"])
                for d in data["docs"]:
                    if d["id"] == doc:
                        self.passes.append(d["outputs"])
                        if not d["ok"] or d["outputs"] in ("pdf", "all"):
                            return d
        return None

    def close(self):
        self.sock.close()


def listen_addresses(port):
    """The local addresses listening on port, from /proc/net/tcp and tcp6."""
    found = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(name).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            addr, p = f[1].split(":")
            if int(p, 16) == port and f[3] == "0A":
                found.append(addr)
    return found


def main():
    doc = os.path.join(WORK, "doc")
    out = os.path.join(WORK, "out")
    os.makedirs(doc, exist_ok=True)
    os.makedirs(os.path.join(out, "sub"), exist_ok=True)
    src = os.path.join(doc, "page.md")
    write_atomic(src, "---\ntitle: 预览\nfilters: [mark]\n---\n\n第一版的正文。\n")
    # Another document: the same filter, and an image.
    write_atomic(os.path.join(doc, "mark.lua"), "return { Str = function(s) return s end }\n")
    write_atomic(os.path.join(doc, "other.md"), "---\ntitle: 另一篇\nfilters: [mark]\n---\n\n"
                 "另一篇的正文。\n\n![图](img/pic.png)\n")
    os.makedirs(os.path.join(doc, "img"), exist_ok=True)
    with open(os.path.join(ROOT, "tests/golden/images/small.png"), "rb") as f:
        png = f.read()
    with open(os.path.join(doc, "img", "pic.png"), "wb") as f:
        f.write(png)
    with open(os.path.join(WORK, "secret.txt"), "w") as f:
        f.write("SECRET-OUTSIDE\n")
    link = os.path.join(out, "link.txt")
    if not os.path.lexists(link):
        os.symlink(os.path.join(WORK, "secret.txt"), link)
    with open(os.path.join(out, "sub", "inside.txt"), "w") as f:
        f.write("inside\n")

    proc = subprocess.Popen([G, "serve", "-p", "0", "-o", out, src,
                             os.path.join(doc, "other.md")],
                            stdout=subprocess.PIPE, stderr=open(os.path.join(WORK, "stderr"), "w"))
    try:
        run(proc, src, out, png)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run(proc, src, out, png):
    # The first builds come before the line: a minute is plenty, even under valgrind.
    ready, _, _ = select.select([proc.stdout], [], [], 120)
    line = proc.stdout.readline().decode() if ready else ""
    check("prints the address", line.startswith("galley: serving http://127.0.0.1:"), line)
    try:
        port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
    except (IndexError, ValueError):
        return
    addrs = listen_addresses(port)
    check("listens on 127.0.0.1 only", addrs == ["0100007F"], repr(addrs))

    status, body = raw_get(port, "/")
    check("/ lists the document", status == 200 and b'href="/page.html"' in body
          and b"/_galley/pdf/page" in body, body[:200])
    status, body = raw_get(port, "/page.html")
    check("the page is served", status == 200 and "第一版".encode() in body, str(status))
    check("the page gets the reload script", b"new EventSource('/_galley/events')" in body)
    with open(os.path.join(out, "page.html"), "rb") as f:
        check("the file on disk has no script", b"EventSource" not in f.read())
    status, body = raw_get(port, "/page.pdf")
    check("the PDF is served", status == 200 and body.startswith(b"%PDF"), str(status))
    status, body = raw_get(port, "/_galley/pdf/page")
    check("the PDF view page", status == 200 and b'<iframe src="/page.pdf' in body
          and b"EventSource" in body, str(status))

    # A client that never reads, and one that goes away: neither may hold up the builds.
    stuck = socket.create_connection(("127.0.0.1", port))
    stuck.sendall(b"GET /_galley/events HTTP/1.1\r\nHost: x\r\n\r\n")
    gone = socket.create_connection(("127.0.0.1", port))
    gone.sendall(b"GET /_galley/events HTTP/1.1\r\nHost: x\r\n\r\n")
    gone.close()

    ev = Events(port)
    hello = ev.next()
    check("the stream says hello", hello is not None and hello[0] == "hello", repr(hello))

    write_atomic(src, "---\ntitle: 预览\nfilters: [mark]\n---\n\n第二版的正文。\n")
    d = ev.wait_for("page")
    check("an edit sends an event", d is not None and d["ok"] is True, repr(d))
    check("an edit rebuilds only its document", getattr(ev, "last", None) == ["page"],
          repr(getattr(ev, "last", None)))
    check("the HTML comes first, then the rest", ev.passes == ["html", "pdf"], repr(ev.passes))
    status, body = raw_get(port, "/page.html")
    check("the new text is served", "第二版".encode() in body, body[-300:])
    status, body = raw_get(port, "/img/pic.png")
    check("the image is served where the page links it", status == 200 and body == png,
          str(status))
    write_atomic(os.path.join(WORK, "doc", "mark.lua"),
                 "-- edited\nreturn { Str = function(s) return s end }\n")
    d = ev.wait_for("other")
    check("an edit of a shared filter rebuilds both documents",
          getattr(ev, "last", None) == ["other", "page"], repr(getattr(ev, "last", None)))

    write_atomic(src, "---\ntitle: 预览\n\n第三版，前言没有结束。\n")
    d = ev.wait_for("page")
    check("a bad edit sends a failed event", d is not None and d["ok"] is False, repr(d))
    check("the event carries file:line:col", d is not None and
          "page.md:1:1: error:" in d["diag"], repr(d))
    err = open(os.path.join(WORK, "stderr"), encoding="utf-8").read()
    check("the error goes to the terminal too", "page.md:1:1: error:" in err, err[-300:])
    status, body = raw_get(port, "/page.html")
    check("the last good page stays", status == 200 and "第二版".encode() in body)
    status, body = raw_get(port, "/")
    check("/ marks the failed build", b"the last build failed" in body)
    ev2 = Events(port)
    hello = ev2.next()
    page = [x for x in hello[1]["docs"] if x["id"] == "page"] if hello else []
    check("a new page hears of the error", page and page[0]["ok"] is False
          and "page.md:1:1" in page[0]["diag"], repr(hello))
    ev2.close()

    write_atomic(src, "---\ntitle: 预览\nfilters: [mark]\n---\n\n第四版的正文。\n")
    d = ev.wait_for("page")
    check("the next good build clears the error", d is not None and d["ok"] is True
          and d["diag"] == "", repr(d))
    status, body = raw_get(port, "/page.html")
    check("the fixed text is served", "第四版".encode() in body)

    for target in ("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
                   "/sub/../../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt",
                   "/%2e%2e%2fsecret.txt", "//etc/passwd", "/%2fetc/passwd",
                   "/link.txt", "/sub/", "/sub", "/./page.html", "/nothing.html",
                   "/.."):
        status, body = raw_get(port, target)
        check("refused: " + target, status == 404 and b"SECRET" not in body
              and b"root:" not in body, "%d %r" % (status, body[:80]))
    status, body = raw_get(port, "/sub/inside.txt")
    check("a file in a sub-folder is served", status == 200 and body == b"inside\n")

    stuck.close()
    ev.close()
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        rc = None
    check("SIGTERM ends it with status 0", rc == 0, repr(rc))


if __name__ == "__main__":
    # A test run stopped from outside still stops the server (main's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    main()
