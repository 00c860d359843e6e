#!/usr/bin/env python3
"""Loads every built HTML page in headless Chromium and checks what a reader would meet.

    python3 tests/browser.py OUT_DIR PAGE.html...      (make test-browser runs it)

Each page is served from OUT_DIR on 127.0.0.1 and opened at a phone's and a desktop's
width.  A page fails when it logs a console error or a request fails, when it is wider
than the screen, when a link points at an id or a file that is not there, or when its
Chinese text is drawn with a font that has no Chinese glyphs.  Screenshots of the whole
page at both widths go to OUT_DIR/browser/ for a person to look at.

With $GALLEY set (make test-browser sets it), it also runs `galley serve` on a document
and sees an open page reload by itself after an edit (keeping its scroll position),
show a failed build's errors over the last good page, and the PDF view page reload.

Chromium is driven over the DevTools protocol through the pipe it opens on file
descriptors 3 and 4 (--remote-debugging-pipe): standard library only, no port to race
for, and the browser goes away with this process.
"""
import base64
import fcntl
import functools
import http.server
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Long enough for a cold start of Chromium on a loaded CI machine; a hang still ends.
REPLY_TIMEOUT = 60.0
WIDTHS = [
    # name, CSS px width, height, mobile (viewport meta honoured, touch, overlay scrollbars)
    ("phone", 390, 844, True),
    ("desktop", 1280, 800, False),
]
# Families that have Chinese glyphs.  Anything else drawing Han characters is a fallback
# that shows boxes or the wrong shapes.
CJK_FAMILY = re.compile(
    r"UMing|UKai|WenQuanYi|Noto (Sans|Serif) CJK|Source Han|Droid Sans Fallback|"
    r"SimSun|NSimSun|SimHei|KaiTi|FangSong|Microsoft YaHei|PingFang|Songti|Heiti|STKaiti|"
    r"STFangsong|STZhongsong|FZ|方正|宋|黑|楷", re.I)


class BrowserError(Exception):
    """Chromium did not answer, answered with an error, or went away."""


class Chromium:
    """One headless Chromium and the DevTools session of its single tab."""

    def __init__(self, profile_dir, log_path):
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # The child's ends are moved above 2..4 first, so dup2 onto 3 and 4 cannot
        # overwrite one of them; they are close-on-exec, and dup2 clears that on 3 and 4.
        child_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.log = open(log_path, "wb")
        devnull = os.open(os.devnull, os.O_RDONLY)
        args = [
            CHROMIUM, "--headless", "--remote-debugging-pipe",
            "--user-data-dir=" + profile_dir,
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--disable-gpu",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
            # Nothing but the local server is reachable: a page that needs the network
            # fails here instead of fetching.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--force-color-profile=srgb", "--font-render-hinting=none",
        ]
        if os.geteuid() == 0:
            # Chromium's sandbox refuses to run as root (CI runs as root).
            args.append("--no-sandbox")
        args.append("about:blank")
        try:
            self.pid = os.posix_spawn(CHROMIUM, args, os.environ, file_actions=[
                (os.POSIX_SPAWN_DUP2, devnull, 0),
                (os.POSIX_SPAWN_DUP2, self.log.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, self.log.fileno(), 2),
                (os.POSIX_SPAWN_DUP2, child_in, 3),
                (os.POSIX_SPAWN_DUP2, child_out, 4),
            ])
        finally:
            os.close(devnull)
            os.close(child_in)
            os.close(child_out)
        self.send_fd = to_browser_w
        self.recv_fd = from_browser_r
        self.pending = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("no answer from Chromium in %.0f s" % REPLY_TIMEOUT)
            ready, _, _ = select.select([self.recv_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.recv_fd, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed its pipe")
            self.pending += chunk
        message, self.pending = self.pending.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, browser_level=False):
        """Sends one command and returns its result; events that arrive meanwhile are kept."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not browser_level:
            message["sessionId"] = self.session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.send_fd, data):]
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method):
        """Returns the first event named METHOD, waiting for it if it has not come yet."""
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            for event in self.events:
                if event["method"] == method:
                    return event
            reply = self._read_message(deadline)
            if "method" in reply:
                self.events.append(reply)

    def open_tab(self):
        target = self.call("Target.createTarget", {"url": "about:blank"})
        attached = self.call("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True})
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network", "DOM", "CSS"):
            self.call(domain + ".enable")

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError("script failed: %s" % text)
        return result["result"].get("value")

    def close(self):
        try:
            self.session = None
            self.call("Browser.close", browser_level=True)
        except BrowserError:
            pass
        for _ in range(50):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.1)
        else:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        os.close(self.send_fd)
        os.close(self.recv_fd)
        self.log.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request on standard error."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def do_GET(self):
        # The browser asks for /favicon.ico on its own, now and then, whatever the
        # page links: that request is not the page's, so it must not fail the page.
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()


# Runs in the page: is the document wider than the screen, and which elements make it so.
OVERFLOW_JS = r"""
(width => {
  const slack = 0.5;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('');
  const path = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement)
      parts.unshift(name(e));
    return parts.join(' > ');
  };
  const clipped = el => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement)
      if (getComputedStyle(e).overflowX !== 'visible') return true;
    return false;
  };
  const outside = r => r.right > width + slack || r.left < -slack;
  const doc = document.documentElement;
  const result = {scrollWidth: doc.scrollWidth, culprits: []};
  if (doc.scrollWidth <= width) return result;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || !outside(r) || clipped(el)) continue;
    if (el.parentElement !== document.body &&
        outside(el.parentElement.getBoundingClientRect())) continue;
    result.culprits.push(`${path(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
  }
  // Text wider than its own box (a long unbreakable line) leaves every box in place.
  if (result.culprits.length === 0)
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (el.scrollWidth > el.clientWidth + 1 && r.left + el.scrollWidth > width + slack &&
          getComputedStyle(el).overflowX === 'visible' && !clipped(el))
        result.culprits.push(`${path(el)} has content ${el.scrollWidth} px wide in ${el.clientWidth} px`);
    }
  return result;
})
"""

# Runs in the page: links to ids that do not exist, the other links, and the page's ids.
LINKS_JS = r"""
(() => {
  const missing = [], others = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (href.startsWith('#')) {
      let id = href.slice(1);
      try { id = decodeURIComponent(id); } catch (e) {}
      if (id !== '' && !document.getElementById(id)) missing.push(href);
    } else {
      others.push(a.href);
    }
  }
  return {missing, others, ids: [...document.querySelectorAll('[id]')].map(e => e.id)};
})()
"""

# Runs in the page: marks the body paragraph and the heading with the most Han characters
# in their own text (not their children's), and says how many that is.
MARK_CHINESE_JS = r"""
(() => {
  const han = /\p{Script=Han}/gu;
  const ownHan = el => [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
    .map(n => (n.data.match(han) || []).length).reduce((a, b) => a + b, 0);
  const marked = [];
  for (const selector of ['main p', 'h1, h2, h3']) {
    const el = [...document.querySelectorAll(selector)]
      .reduce((best, e) => ownHan(e) > (best ? ownHan(best) : 3) ? e : best, null);
    if (!el) continue;
    el.setAttribute('data-browser-check', marked.length);
    marked.push({what: el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 12) + '…"',
                 han: ownHan(el)});
  }
  return marked;
})()
"""


class Run:
    """Counts checks and prints each failure, as tests/run.sh does."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, problems):
        if problems:
            self.failed += 1
            print("FAIL [browser] %s" % name)
            for problem in problems[:10]:
                print("    " + problem)
            if len(problems) > 10:
                print("    … and %d more" % (len(problems) - 10))
        else:
            self.passed += 1


def load(browser, url, width, height, mobile):
    """Opens URL at the given screen size; returns the console errors and failed requests."""
    browser.call("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    browser.events.clear()
    browser.call("Page.navigate", {"url": url})
    browser.wait_for("Page.loadEventFired")
    browser.evaluate("document.fonts.ready.then(() => true)")
    problems = []
    url_of_request = {}
    for event in browser.events:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            url_of_request[params["requestId"]] = params["request"]["url"]
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            problems.append("console: " + text)
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            problems.append("exception: " + details.get("exception", {}).get(
                "description", details.get("text", "")))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            problems.append("console: %s %s" % (entry["text"], entry.get("url", "")))
        elif method == "Network.loadingFailed":
            problems.append("request failed: %s (%s)" % (
                url_of_request.get(params["requestId"], "?"), params["errorText"]))
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            response = params["response"]
            problems.append("request failed: %s (HTTP %d)" % (response["url"], response["status"]))
    return problems


def screenshot(browser, path, width):
    """Writes a PNG of the whole page, as wide as the screen."""
    metrics = browser.call("Page.getLayoutMetrics")
    height = metrics["cssContentSize"]["height"]
    shot = browser.call("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def chinese_fonts(browser):
    """Problems with the fonts that draw the marked Chinese text (see MARK_CHINESE_JS)."""
    marked = browser.evaluate(MARK_CHINESE_JS)
    if not marked:
        return ["no paragraph or heading with Chinese text to check"]
    root = browser.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    problems = []
    for index, element in enumerate(marked):
        node = browser.call("DOM.querySelector", {
            "nodeId": root, "selector": '[data-browser-check="%d"]' % index})["nodeId"]
        fonts = browser.call("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        cjk = sum(f["glyphCount"] for f in fonts if CJK_FAMILY.search(f["familyName"]))
        if cjk < element["han"]:
            used = ", ".join("%s (%d glyphs)" % (f["familyName"], f["glyphCount"]) for f in fonts)
            problems.append("%s: %d Han characters, %d glyphs from Chinese fonts; fonts: %s"
                            % (element["what"], element["han"], cjk, used or "none"))
    return problems


def save(path, text):
    """Saves as an editor does: a temporary file renamed over the old one."""
    with open(path + ".tmp~", "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(path + ".tmp~", path)


def live_doc(marker):
    """A page long enough to scroll, with marker in its first paragraph."""
    return "---\ntitle: 实时预览\n---\n\n%s\n\n%s" % (
        marker, "".join("第%d段：编辑保存之后，打开的页面自己重新载入。\n\n" % i
                        for i in range(1, 120)))


def until(browser, expression, seconds=REPLY_TIMEOUT):
    """Evaluates expression until it is true; returns whether it became true in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if browser.evaluate(expression):
                return True
        except BrowserError:
            pass  # the page is between loads
        time.sleep(0.1)
    return False


def serve_reload(browser, galley, scratch, run):
    """`galley serve`: an open page reloads by itself after an edit, and shows errors."""
    src = os.path.join(scratch, "live.md")
    save(src, live_doc("初版标记"))
    proc = subprocess.Popen([galley, "serve", "-p", "0", "-o", os.path.join(scratch, "live"),
                             src], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        line = proc.stdout.readline().decode()
        run.check("serve: prints its address", [] if "serving http://127.0.0.1:" in line
                  else ["first line: %r" % line])
        if "serving" not in line:
            return
        origin = line.split("serving ", 1)[1].strip().rstrip("/")
        browser.call("Emulation.setDeviceMetricsOverride", {
            "width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        browser.events.clear()
        browser.call("Page.navigate", {"url": origin + "/live.html"})
        browser.wait_for("Page.loadEventFired")
        # A mark that only this load of the page has; the page's event stream is open.
        browser.evaluate("window.scrollTo(0, 600); window.galleyMark = 1; true")
        until(browser, "window.scrollY === 600", 10)
        browser.events.clear()
        save(src, live_doc("二版标记"))
        reloaded = until(browser, "document.body.innerText.includes('二版标记') && "
                         "window.galleyMark === undefined", 30)
        run.check("serve: the open page reloads by itself after an edit",
                  [] if reloaded else ["the page did not reload with the new text"])
        kept = until(browser, "Math.abs(window.scrollY - 600) < 2", 10)
        run.check("serve: the reload keeps the scroll position",
                  [] if kept else ["scrollY is %s" % browser.evaluate("window.scrollY")])

        browser.evaluate("window.galleyMark = 2; true")
        save(src, "---\ntitle: 实时预览\n\n前言没有结束。\n")
        shown = until(browser, "(document.getElementById('galley-overlay') || {}).textContent"
                      " !== undefined && document.getElementById('galley-overlay')"
                      ".textContent.includes('live.md:1:1: error')", 30)
        run.check("serve: a failed build shows its errors over the last good page",
                  [] if shown and browser.evaluate(
                      "window.galleyMark === 2 && document.body.innerText.includes('二版标记')")
                  else ["no overlay with live.md:1:1: error, or the page changed"])
        browser.events.clear()
        save(src, live_doc("三版标记"))
        fixed = until(browser, "document.body.innerText.includes('三版标记') && "
                      "!document.getElementById('galley-overlay')", 30)
        run.check("serve: the next good build clears the errors",
                  [] if fixed else ["the overlay stayed or the text is old"])

        browser.events.clear()
        browser.call("Page.navigate", {"url": origin + "/_galley/pdf/live"})
        browser.wait_for("Page.loadEventFired")
        browser.evaluate("window.galleyMark = 3; true")
        browser.events.clear()
        save(src, live_doc("四版标记"))
        pdf = until(browser, "window.galleyMark === undefined && "
                    "document.querySelector('iframe').src.includes('live.pdf')", 30)
        run.check("serve: the PDF view page reloads after an edit",
                  [] if pdf else ["the PDF view page did not reload"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        run.check("serve: ends with status 0 on SIGTERM",
                  [] if proc.returncode == 0 else ["status %s" % proc.returncode])


def main(argv):
    if len(argv) < 3:
        print("usage: tests/browser.py OUT_DIR PAGE.html...", file=sys.stderr)
        return 2
    out_dir = os.path.abspath(argv[1])
    pages = [os.path.relpath(os.path.abspath(p), out_dir) for p in argv[2:]]
    shots_dir = os.path.join(out_dir, "browser")
    shutil.rmtree(shots_dir, ignore_errors=True)
    if not os.access(CHROMIUM, os.X_OK):
        print("test-browser: %s is missing (make test-browser installs it as root)" % CHROMIUM,
              file=sys.stderr)
        return 2

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=out_dir))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = "http://127.0.0.1:%d" % server.server_address[1]

    run = Run()
    started = time.monotonic()
    scratch = tempfile.mkdtemp(prefix="galley-browser-")
    log_path = os.path.join(scratch, "chromium.log")
    browser = Chromium(os.path.join(scratch, "profile"), log_path)
    ids_of_page = {}
    links_of_page = {}
    try:
        browser.open_tab()
        for page in pages:
            url = origin + "/" + urllib.parse.quote(page)
            for name, width, height, mobile in WIDTHS:
                label = "%s at %s width (%d px)" % (page, name, width)
                run.check(label + ": no console errors or failed requests",
                          load(browser, url, width, height, mobile))
                overflow = browser.evaluate(OVERFLOW_JS + "(%d)" % width)
                run.check(label + ": no horizontal overflow", [] if overflow["scrollWidth"] <= width
                          else ["document is %d px wide" % overflow["scrollWidth"]]
                          + overflow["culprits"])
                screenshot(browser, os.path.join(
                    shots_dir, os.path.splitext(page)[0] + "." + name + ".png"), width)
            links = browser.evaluate(LINKS_JS)
            run.check(page + ": every #link has its target",
                      ["no element with id for " + href for href in links["missing"]])
            ids_of_page[page] = set(links["ids"])
            links_of_page[page] = links["others"]
            run.check(page + ": Chinese text drawn with a Chinese font", chinese_fonts(browser))
        if os.environ.get("GALLEY"):
            serve_reload(browser, os.path.abspath(os.environ["GALLEY"]), scratch, run)
    except BrowserError as error:
        run.check("Chromium runs the checks", [str(error)])
        with open(log_path, errors="replace") as log:
            print(log.read()[-3000:])
    finally:
        browser.close()
        server.shutdown()
        server.server_close()
        shutil.rmtree(scratch, ignore_errors=True)

    # Links between pages are checked once every page's ids are known.
    for page, links in links_of_page.items():
        problems = []
        for link in links:
            if not link.startswith(origin + "/"):
                continue  # mailto: and the web are not ours to check
            parts = urllib.parse.urlsplit(link)
            target = os.path.normpath(urllib.parse.unquote(parts.path).lstrip("/"))
            if not os.path.isfile(os.path.join(out_dir, target)):
                problems.append("%s: no file %s" % (link, target))
            elif parts.fragment and target in ids_of_page and \
                    urllib.parse.unquote(parts.fragment) not in ids_of_page[target]:
                problems.append("%s: %s has no id %s" % (link, target, parts.fragment))
        run.check(page + ": links to other files find them", problems)

    print("browser: %d pages at %d widths in %.1f s; screenshots in %s"
          % (len(pages), len(WIDTHS), time.monotonic() - started,
             os.path.relpath(shots_dir)))
    print("%d passed, %d failed" % (run.passed, run.failed))
    return 0 if run.failed == 0 and pages else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
