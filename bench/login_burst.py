"""Log-in burst bench: ten trainees press "Masuk" at the same instant, five times, against the gunicorn stack.

Each one then opens the home page, the workspace and its draft, as the load bench's trainees do. Prints
p50/p95/max per step, for password hashes run at the pages' priority (TIC_PASSWORD_HASH_NICE=0) and at the
default lower priority, side by side (services/password_slots.py). No Locust: threads of this process,
a new connection per request. The stack is started twice on the same fresh SQLite file (or on the empty
database named by TIC_DATABASE_URL).

Run from the project root:
    .venv/bin/python bench/login_burst.py
    .venv/bin/python bench/login_burst.py --batches 10 --size 10 --workers 4 --threads 4
Target: the pages' p95 <= 100 ms (as bench/load.py's).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402  (bench/load.py: the stack's start, stop and the bench accounts)

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STEPS = ("home", "workspace", "draft")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def journey(host: str, email: str, password: str, slug: str, times: dict) -> None:
    """Log in through the form, then open the home page, the workspace and the draft; record each time."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(host + "/masuk").read().decode()
    form = {"email": email, "password": password, "csrf_token": CSRF_INPUT.search(page).group(1)}
    began = time.perf_counter()
    try:
        opener.open(host + "/masuk", data=urllib.parse.urlencode(form).encode())
    except urllib.error.HTTPError as error:  # the redirect after a log-in
        if error.code != 302:
            raise
    times["login"].append((time.perf_counter() - began) * 1000)
    for step, path in zip(STEPS, ("/peserta/", f"/peserta/latihan/{slug}", f"/peserta/api/latihan/{slug}/draf")):
        began = time.perf_counter()
        with opener.open(urllib.request.Request(host + path, headers={"Accept-Encoding": "gzip, br"})) as response:
            response.read()
        times[step].append((time.perf_counter() - began) * 1000)


def run(url: str, people: dict, nice: int, args, work: Path) -> dict:
    """Start the stack with the given hashing priority, run the bursts, stop it; return the times per step."""
    port = load.free_port()
    host = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TIC_DATABASE_URL": url, "TIC_SECRET_KEY": "bench-" + os.urandom(8).hex(),
           "TIC_RUNNER": "local", "TIC_KERNEL_POOL_SIZE": "1", "TIC_PASSWORD_HASH_NICE": str(nice),
           "TIC_LOGIN_RATE_LIMIT": "10000 per minute", "TMPDIR": str(work)}
    command = [sys.executable, "-m", "gunicorn", "-c", str(load.ROOT / "deploy" / "gunicorn.conf.py"),
               "-b", f"127.0.0.1:{port}", "wsgi:app"]
    if args.workers:
        command[3:3] = ["-w", str(args.workers)]
    if args.threads:
        command[3:3] = ["--threads", str(args.threads)]
    log = work / f"gunicorn-nice-{nice}.log"
    stack = load.start(command, env, log)
    times = {step: [] for step in ("login", *STEPS)}
    try:
        load.wait_until_up(host)
        load.wait_until_ready(log, args.workers or load.deployed_shape()[0], None, env)
        emails = iter(people["trainees"] * (args.batches * args.size // len(people["trainees"]) + 1))
        for _ in range(args.batches):
            threads = [threading.Thread(target=journey, args=(host, next(emails), people["password"],
                                                              people["slug"], times))
                       for _ in range(args.size)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            time.sleep(1)
    finally:
        load.stop(stack)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--size", type=int, default=10, help="log-ins at the same instant")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: deploy/gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, help="threads per gunicorn worker (default: deploy/gunicorn.conf.py)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tic-login-burst-"))
    url = os.environ.get("TIC_DATABASE_URL") or f"sqlite:///{work / 'bench.sqlite'}"
    people = load.prepare_database(url, argparse.Namespace(trainees=max(50, args.size), mentors=1, heads=1))
    workers, threads = args.workers or load.deployed_shape()[0], args.threads or load.deployed_shape()[1]
    print(f"{args.batches} x {args.size} log-ins at once ({workers} gunicorn workers x {threads} threads, "
          f"{url.split(':', 1)[0]}; {os.cpu_count()} cores, load average {load.load_average()}; "
          f"{load.cpu_anchor()})", flush=True)
    results = {nice: run(url, people, nice, args, work) for nice in (0, 10)}
    print(f"\n{'step':10} {'hash at the pages priority':>28} {'hash 10 nicer (default)':>28}   p95 target")
    print(f"{'':10} {'p50 / p95 / max ms':>28} {'p50 / p95 / max ms':>28}")
    met = True
    for step in ("login", *STEPS):
        cells = []
        for nice in (0, 10):
            values = results[nice][step]
            cells.append(f"{statistics.median(values):6.0f} / {load.percentile(values, 0.95):4.0f} / "
                         f"{max(values):4.0f}")
        verdict = ""
        if step != "login":
            ok = load.percentile(results[10][step], 0.95) <= 100
            met &= ok
            verdict = f"<= 100  {'ok' if ok else 'MISSED'}"
        print(f"{step:10} {cells[0]:>28} {cells[1]:>28}   {verdict}")
    print(f"\nlogs in {work}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
