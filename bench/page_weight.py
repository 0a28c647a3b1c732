"""Page weight: bytes transferred and time until usable, cold, on a slow connection.

Opens three pages in headless Chromium (Playwright, Debian's Chromium) with the throttled profile of
issue 17 (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, CPU slowed 4x):
  - the log-in page (usable: page loaded, form visible),
  - the trainee's home (usable: page loaded),
  - the workspace of the first exercise (usable: the code editor is ready, body.workspace-ready).
"Cold" means an empty browser cache (the server has rendered each page once before: the log-in and one
unthrottled visit come first). "Warm" opens the same
page again: files with a content hash come from the cache without asking the server.

Run from the project root (it starts the app on a temporary SQLite database with demo data, served over
HTTP/1.1 with keep-alive as nginx serves browsers; the figures are only as quiet as the machine is):
    .venv/bin/python bench/page_weight.py
    .venv/bin/python bench/page_weight.py --root /path/to/older/checkout   # the "before" figures
Target: the workspace usable in under 3 s cold.
"""
from __future__ import annotations

import argparse
import importlib
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = os.environ.get("TIC_CHROMIUM", "/usr/bin/chromium")
EMAIL = "peserta1@tic.test"
PASSWORD = "bench-page-weight-2026"
WORKSPACE_TARGET_S = 3.0
#: The throttled profile: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, CPU 4x slower.
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4


def start_app(root: Path) -> str:
    """Start the app of the checkout at ``root`` with demo data on a free port; return its base URL."""
    sys.path.insert(0, str(root))
    import logging

    from werkzeug.serving import WSGIRequestHandler, make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    tic_academy = importlib.import_module("tic_academy")
    from tic_academy.config import BASE_DIR
    from tic_academy.curriculum.sync import sync_curricula
    from tic_academy.demo import create_demo_data
    from tic_academy.extensions import db

    database = Path(tempfile.mkdtemp(prefix="tic-page-weight-")) / "bench.sqlite"
    app = tic_academy.create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "DEMO_PASSWORD": PASSWORD,
        "KERNEL_POOL_SIZE": 1,
        "LOGIN_RATE_LIMIT": "1000 per minute",
    })
    with app.app_context():
        db.create_all()
        run = sync_curricula(BASE_DIR)
        if not run.ok:
            sys.exit(f"curriculum sync failed:\n{run.report}")
        create_demo_data()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Keep-alive, as nginx gives browsers in production (the development server's default is HTTP/1.0,
    # a new connection and so one more round trip for every file).
    WSGIRequestHandler.protocol_version = "HTTP/1.1"
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=WSGIRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}"


class Meter:
    """Counts the bytes received over the network (headers and compressed bodies) through CDP."""

    def __init__(self, cdp):
        self.cdp = cdp
        self.bytes = 0
        self.requests = 0
        self.cached = 0
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.send("Network.enable")

    def _finished(self, event):
        self.bytes += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def _from_cache(self, _event):
        self.cached += 1

    def reset(self):
        """Start counting again."""
        self.bytes = self.requests = self.cached = 0

    def throttle(self, on: bool):
        """Switch the slow profile on or off."""
        conditions = NETWORK if on else {"offline": False, "latency": 0, "downloadThroughput": -1,
                                         "uploadThroughput": -1}
        self.cdp.send("Network.emulateNetworkConditions", conditions)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN if on else 1})


def measure(page, meter, url: str, ready: str) -> tuple[float, int, int, int]:
    """Open ``url`` throttled; seconds until ``ready`` matches and the load event fired, bytes, requests."""
    meter.reset()
    meter.throttle(True)
    started = time.perf_counter()
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_selector(ready, state="visible", timeout=120_000)
    elapsed = time.perf_counter() - started
    if os.environ.get("PAGE_WEIGHT_DEBUG"):
        print(url, page.evaluate("""() => JSON.stringify({
            nav: performance.getEntriesByType('navigation').map(e => [e.responseEnd|0, e.domContentLoadedEventEnd|0, e.loadEventEnd|0]),
            res: performance.getEntriesByType('resource').map(e => [e.name.slice(-40), e.startTime|0, e.responseEnd|0, e.transferSize]),
            now: performance.now()|0})"""))
    page.wait_for_timeout(300)  # late loadingFinished events
    meter.throttle(False)
    return elapsed, meter.bytes, meter.requests, meter.cached


def run(base_url: str) -> list[tuple[str, str, float, int, int, int]]:
    """Measure every page cold then warm; rows of (page, cold/warm, seconds, bytes, requests, from cache)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
        context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768}, locale="id-ID")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        meter = Meter(cdp)
        cdp.send("Network.clearBrowserCache")
        rows.append(("login", "cold", *measure(page, meter, "/masuk", "input[name=email]")))
        rows.append(("login", "warm", *measure(page, meter, "/masuk", "input[name=email]")))
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_url("**/peserta/")
        workspace = page.locator(".continue-card a.btn").first.get_attribute("href")
        for name, url, ready in [("trainee home", "/peserta/", "main"),
                                 ("workspace", workspace, "body.workspace-ready")]:
            page.goto(url)  # the server's first rendering of a page is slower; not what a visitor sees
            cdp.send("Network.clearBrowserCache")
            rows.append((name, "cold", *measure(page, meter, url, ready)))
            rows.append((name, "warm", *measure(page, meter, url, ready)))
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="checkout whose app to measure (default: this one)")
    parser.add_argument("--runs", type=int, default=3, help="times to measure; the median is shown")
    parser.add_argument("--url", help="measure a running server instead (it needs the demo data and "
                                      "TIC_DEMO_PASSWORD=" + PASSWORD + ")")
    args = parser.parse_args()
    os.chdir(args.root)
    base_url = args.url or start_app(args.root.resolve())
    print(f"Throttled: 1.6 Mbit/s down, 150 ms round trip, CPU {CPU_SLOWDOWN}x slower; app: {args.root}; "
          f"median of {args.runs} runs")
    print(f"{'page':<14} {'cache':<5} {'usable after':>12} {'transferred':>12} {'requests':>9}  target")
    runs = [run(base_url) for _ in range(args.runs)]
    for rows in zip(*runs):
        name, cache = rows[0][:2]
        seconds = statistics.median(row[2] for row in rows)
        size = statistics.median(row[3] for row in rows)
        requests = rows[0][4]
        target = ""
        if name == "workspace" and cache == "cold":
            verdict = "met" if seconds < WORKSPACE_TARGET_S else "NOT met"
            target = f"< {WORKSPACE_TARGET_S:.0f} s cold: {verdict}"
        print(f"{name:<14} {cache:<5} {seconds:>10.2f} s {size / 1024:>9.1f} KB {requests:>9}  {target}")


if __name__ == "__main__":
    main()
