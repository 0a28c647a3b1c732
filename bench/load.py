"""Load bench: 50 trainees, 5 mentors and 2 OPD heads (Locust) against a gunicorn stack on loopback.

Starts the real stack (gunicorn with several workers; the local runner, or the Celery runner with a
worker when --runner celery and TIC_REDIS_URL are given), on a fresh SQLite file or on the empty
database named by TIC_DATABASE_URL. Creates the accounts with a bench-only setup function, runs Locust
headless, waits until every submission is graded, then prints p50/p95/p99 per endpoint and the errors
next to the targets, and stops everything it started.

Run from the project root:
    .venv/bin/python bench/load.py                        # 3 minutes, SQLite, local runner
    .venv/bin/python bench/load.py --minutes 5 --workers 4
    TIC_DATABASE_URL=postgresql://... TIC_REDIS_URL=redis://... .venv/bin/python bench/load.py --runner celery
    bash bench/load_pg.sh --minutes 2                     # the same on a throw-away PostgreSQL and Redis
    .venv/bin/python bench/load.py --arrival together     # Locust's batches: ten log-ins at the same instant
Locust is pinned in bench/requirements.txt and installed (once) into bench/.venv-locust by this script.
Targets: page views and autosave p95 <= 100 ms, submit accepted p95 <= 200 ms, no errors, every
submission graded. Exit status 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import runpy
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, inspect, select  # noqa: E402

from tic_academy import create_app  # noqa: E402
from tic_academy.config import BASE_DIR  # noqa: E402
from tic_academy.curriculum.sync import sync_curricula  # noqa: E402
from tic_academy.extensions import db  # noqa: E402
from tic_academy.models import Opd, Submission, Track, User  # noqa: E402
from tic_academy.models.program import Cohort, Enrollment  # noqa: E402
from tic_academy.services.accounts import hash_password  # noqa: E402

LOCUST_VENV = ROOT / "bench" / ".venv-locust"
PASSWORD = "bench-password-123"
TRACK = "programmer-pemerintahan"
#: (name prefix, p95 target in ms); requests of other names (log in, run, check) have no target.
TARGETS = [("page: ", 100), ("autosave", 100), ("submit accepted", 200)]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def locust_bin() -> Path:
    """The locust command, installed into its own virtualenv on first use (never into the project's)."""
    command = LOCUST_VENV / "bin" / "locust"
    if not command.exists():
        print("Installing Locust into bench/.venv-locust (once) ...", flush=True)
        subprocess.run([sys.base_prefix + "/bin/python3", "-m", "venv", str(LOCUST_VENV)], check=True)
        subprocess.run([str(LOCUST_VENV / "bin" / "pip"), "install", "-q", "-r", str(ROOT / "bench" / "requirements.txt")],
                       check=True)
    return command


def create_bench_people(trainees: int, mentors: int, heads: int, password: str) -> dict:
    """Bench-only setup: OPDs with a head each, mentors, and trainees enrolled in a running cohort of the
    synced track. Returns who logs in as what and the exercise the trainees work on."""
    track = db.session.scalar(select(Track).where(Track.slug == TRACK))
    password_hash = hash_password(password)
    opds = [Opd(code=f"BENCH{n}", name=f"Dinas Bench {n}", short_name=f"Bench {n}") for n in range(max(heads, 1))]
    db.session.add_all(opds)

    def person(email, role, opd=None):
        user = User(email=email, full_name=email.split("@")[0].replace(".", " ").title(), role=role, opd=opd)
        user.password_hash = password_hash
        db.session.add(user)
        return user

    head_users = [person(f"kepala{n + 1}@bench.test", "opd_head", opds[n]) for n in range(heads)]
    mentor_users = [person(f"mentor{n + 1}@bench.test", "mentor") for n in range(mentors)]
    trainee_users = [person(f"peserta{n + 1}@bench.test", "trainee", opds[n % len(opds)]) for n in range(trainees)]
    cohort = Cohort(name="Angkatan Bench", track=track, start_date=date.today() - timedelta(days=14),
                    capacity=trainees, status="running")
    db.session.add(cohort)
    db.session.flush()
    cohort.mentors = mentor_users
    for n, trainee in enumerate(trainee_users):
        db.session.add(Enrollment(cohort=cohort, trainee=trainee, mentor=mentor_users[n % len(mentor_users)]))
    db.session.commit()
    first = min(track.stages, key=lambda stage: stage.position).exercises
    slug = min(first, key=lambda exercise: exercise.position).slug
    return {"password": password, "slug": slug, "trainees": [u.email for u in trainee_users],
            "mentors": [u.email for u in mentor_users], "heads": [u.email for u in head_users],
            "counts": {"trainees": trainees, "mentors": mentors, "heads": heads}}


def prepare_database(url: str, args) -> dict:
    """Create the schema and the bench's data in an empty database."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ENV_NAME": "default"})
    with app.app_context():
        if inspect(db.engine).get_table_names():
            sys.exit(f"{url} is not empty: give the bench an empty database")
        db.create_all()
        run = sync_curricula(BASE_DIR)
        if not run.ok:
            sys.exit(f"curriculum sync failed: {run.report}")
        people = create_bench_people(args.trainees, args.mentors, args.heads, PASSWORD)
        db.engine.dispose()
    return people


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """Start a process in its own process group (so it and its children stop together)."""
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    """Stop a started process group: TERM, then KILL after 30 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until_up(url: str, timeout: float = 60) -> None:
    """Wait until the stack answers the login page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/masuk", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit("the gunicorn stack did not come up (see its log)")


def host_busy_share(seconds: float = 1.0) -> float:
    """The share of the host's CPU time that was busy over the next ``seconds`` (from /proc/stat)."""
    def sample():
        fields = [int(value) for value in open("/proc/stat").readline().split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait
    total, idle = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return 1 - (idle2 - idle) / max(1, total2 - total)


def wait_until_ready(gunicorn_log: Path, workers: int, celery: list[str] | None, env: dict,
                     timeout: float = 120) -> str:
    """Wait until every gunicorn worker has warmed up (and started its kernel pool), the Celery worker
    answers, and the host is quiet again: people log in to a running stack, not to one still starting.
    Returns what was waited for, for the report."""
    began = time.monotonic()
    deadline = began + timeout
    while gunicorn_log.read_text(errors="replace").count("warmed up in") < workers:
        if time.monotonic() > deadline:
            sys.exit("the gunicorn workers did not warm up (see its log)")
        time.sleep(0.3)
    if celery:
        while subprocess.run([*celery, "inspect", "ping", "--timeout", "2"], cwd=ROOT, env=env,
                             capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                sys.exit("the Celery worker did not answer (see its log)")
    # The kernel pools fill in the background (a fork server each, then warm kernels): wait for the quiet.
    busy = host_busy_share()
    while busy > 0.15 and time.monotonic() < deadline:
        busy = host_busy_share()
    return f"stack ready and host {busy:.0%} busy after {time.monotonic() - began:.1f} s"


def wait_graded(url: str, timeout: float) -> dict:
    """Wait until no submission is queued or running; return the count per status."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "ENV_NAME": "default"})
    with app.app_context():
        deadline = time.monotonic() + timeout
        while True:
            counts = dict(db.session.execute(select(Submission.status, func.count()).group_by(Submission.status)).all())
            db.session.rollback()
            if not counts.get("queued") and not counts.get("running") or time.monotonic() > deadline:
                db.engine.dispose()
                return counts
            time.sleep(1)


def processes_mentioning(marker: str) -> int:
    """How many live processes have marker in their command line (kernels of the stopped stack)."""
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                count += marker.encode() in file.read()
        except OSError:
            pass
    return count


def load_average() -> str:
    """The host's load average over 1, 5 and 15 minutes (runnable processes; this machine has os.cpu_count() cores)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def cpu_anchor() -> str:
    """How fast this host runs plain Python right now (the machine is shared: its speed varies by the hour)."""
    began = time.process_time()
    total = 0
    for step in range(3_000_000):
        total += step
    return f"anchor: 3 million Python additions in {(time.process_time() - began) * 1000:.0f} ms of CPU"


def deployed_shape() -> tuple[int, int]:
    """Workers and threads that deploy/gunicorn.conf.py gives on this host (GUNICORN_* variables included)."""
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    return conf["workers"], conf["threads"]


def percentile(values: list[float], share: float) -> float:
    """The share-th percentile (nearest rank) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(timings: Path, graded: dict, warmup_s: float) -> bool:
    """Print the figures per endpoint next to the targets; True when every target is met.

    The targets are judged on the whole run; "p95 after" leaves out the first warmup_s seconds
    (everybody logging in at once), to tell start-up cost from steady work.
    """
    times, steady, errors = defaultdict(list), defaultdict(list), defaultdict(int)
    lines = [line.split(",") for line in timings.read_text().splitlines()] if timings.exists() else []
    if not lines:
        print("\nno request was made: Locust failed (see its log)")
        return False
    start = min(float(fields[0]) for fields in lines)
    for stamp, name, ms, ok in lines:
        times[name].append(float(ms))
        if float(stamp) >= start + warmup_s:
            steady[name].append(float(ms))
        errors[name] += ok == "0"
    met = True
    after_label = f"after {int(warmup_s)} s: p50/p95/p99"
    print(f"\n{'endpoint':24} {'n':>6} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{after_label:>26}  target (p95, whole run)")
    for name in sorted(times):
        values = times[name]
        p95 = percentile(values, 0.95)
        quiet = steady[name]
        after = (f"{statistics.median(quiet):8.1f} {percentile(quiet, 0.95):8.1f} {percentile(quiet, 0.99):8.1f}"
                 if quiet else f"{'-':>26}")
        target = next((limit for prefix, limit in TARGETS if name.startswith(prefix)), None)
        verdict = ""
        if target is not None:
            ok = p95 <= target
            met &= ok
            verdict = f"<= {target}  {'ok' if ok else 'MISSED'}"
        print(f"{name:24} {len(values):6} {errors[name]:4} {statistics.median(values):8.1f} {p95:8.1f} "
              f"{percentile(values, 0.99):8.1f} {after}  {verdict}")
    total_errors = sum(errors.values())
    print(f"\nerrors: {total_errors}  (target 0)  {'ok' if total_errors == 0 else 'MISSED'}")
    unfinished = graded.get("queued", 0) + graded.get("running", 0)
    print(f"submissions: {graded}  every one graded: {'ok' if unfinished == 0 else 'MISSED'}")
    return met and total_errors == 0 and unfinished == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=50)
    parser.add_argument("--mentors", type=int, default=5)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: deploy/gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, help="threads per gunicorn worker (default: deploy/gunicorn.conf.py)")
    parser.add_argument("--runner", choices=["local", "celery"], default="local")
    parser.add_argument("--grading-timeout", type=float, default=300, help="seconds to wait for the last gradings")
    parser.add_argument("--arrival", choices=["spread", "together"], default="spread",
                        help="log-ins at random moments of each second (spread) or in Locust's batches of -r at once")
    parser.add_argument("--warmup", type=float, default=30, help="seconds of log-ins left out of the 'p95 after' column")
    args = parser.parse_args()
    locust = locust_bin()
    work = Path(tempfile.mkdtemp(prefix="tic-load-"))
    url = os.environ.get("TIC_DATABASE_URL") or f"sqlite:///{work / 'bench.sqlite'}"
    people = prepare_database(url, args)
    (work / "people.json").write_text(json.dumps(people))
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    kernels_dir = work / "k"
    kernels_dir.mkdir()
    env = {**os.environ, "TIC_DATABASE_URL": url, "TIC_SECRET_KEY": "bench-" + os.urandom(8).hex(),
           "TIC_RUNNER": args.runner, "TIC_KERNEL_POOL_SIZE": "2",
           # The kernels' run directories (and so their command lines) under our folder: found after the stop.
           "TMPDIR": str(kernels_dir),
           # Every simulated person logs in from 127.0.0.1: the per-address login limit would refuse them.
           "TIC_LOGIN_RATE_LIMIT": "10000 per minute"}
    if args.runner == "celery" and not os.environ.get("TIC_REDIS_URL"):
        sys.exit("--runner celery needs TIC_REDIS_URL (a running Redis)")
    started = []
    try:
        # The deployed settings (deploy/gunicorn.conf.py: workers and threads for this host), bound to loopback.
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                    "-b", f"127.0.0.1:{port}",
                    # Keep-alive longer than a user's pause: no reset races on reused connections.
                    "--keep-alive", "30", "wsgi:app"]
        if args.workers:
            gunicorn[3:3] = ["-w", str(args.workers)]
        if args.threads:
            gunicorn[3:3] = ["--threads", str(args.threads)]
        started.append(start(gunicorn, env, work / "gunicorn.log"))
        celery = [sys.executable, "-m", "celery", "-A", "tic_academy.jobs.celery_app"]
        if args.runner == "celery":
            started.append(start([*celery, "worker", "--concurrency", "2", "--loglevel", "WARNING"], env,
                                 work / "celery.log"))
        wait_until_up(host)
        users = args.trainees + args.mentors + args.heads
        workers, threads = args.workers or deployed_shape()[0], args.threads or deployed_shape()[1]
        print(wait_until_ready(work / "gunicorn.log", workers, celery if args.runner == "celery" else None, env),
              f"({cpu_anchor()})", flush=True)
        print(f"Locust: {users} users for {args.minutes:g} min against {host} "
              f"({workers} gunicorn workers x {threads} threads, {args.runner} runner, "
              f"{url.split(':', 1)[0]}, arrivals {args.arrival}; {os.cpu_count()} cores, "
              f"load average {load_average()})", flush=True)
        timings = work / "timings.csv"
        locust_env = {**os.environ, "BENCH_PEOPLE": str(work / "people.json"), "BENCH_TIMINGS": str(timings),
                      "BENCH_ARRIVAL": args.arrival}
        subprocess.run([str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
                        "-u", str(users), "-r", "10", "-t", f"{int(args.minutes * 60)}s", "--host", host,
                        "--stop-timeout", "30", "--loglevel", "WARNING"],
                       env=locust_env, check=False, stdout=open(work / "locust.log", "w"), stderr=subprocess.STDOUT)
        print(f"Locust done; load average {load_average()} (the machine may be shared: see README Kinerja)", flush=True)
        graded = wait_graded(url, args.grading_timeout)
        ok = report(timings, graded, args.warmup)
    finally:
        for process in reversed(started):
            stop(process)
    time.sleep(3)
    left = processes_mentioning(str(kernels_dir))
    print(f"kernels left after the stack stopped: {left}  (target 0)  {'ok' if left == 0 else 'MISSED'}")
    print(f"\nlogs and timings in {work}")
    return 0 if ok and left == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
