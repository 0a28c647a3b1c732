"""Benchmark the program dashboards with a realistic large program.

Generates 20 OPDs, 1,000 trainees, 50 exercises and 5 graded submissions per
trainee per exercise (250,000 submissions), fills the best-score table from them
(as the migration does), then times the admin's city dashboard, an OPD head's
dashboard, a mentor's "Peserta saya" (100 trainees), the graduation page and the
exports, through the real views: unchanged since the last view (cached figures)
and on the first view after a grading (a new score stored just before each request).

Run from the project root:
    .venv/bin/python bench/dashboards.py                 # SQLite (a temporary file)
    TIC_BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/dashboards.py
    bash bench/dashboards_pg.sh                          # PostgreSQL: a throw-away cluster (scripts/services.sh)
Target: under 300 ms per dashboard page, also on the first view after a grading.
"""
from __future__ import annotations

import argparse
from contextlib import contextmanager
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from tic_academy import create_app  # noqa: E402
from tic_academy.extensions import db  # noqa: E402
from tic_academy.models import Exercise, ExerciseVersion, Opd, Stage, Submission, Track, User  # noqa: E402
from tic_academy.models.best_scores import recompute  # noqa: E402
from tic_academy.ops.warm_up import warm_up  # noqa: E402
from tic_academy.services.dashboards import CATCH_UP_MARGIN  # noqa: E402
from tic_academy.models.program import Cohort, Enrollment, Nomination  # noqa: E402
from tic_academy.clock import now_utc, today_wib  # noqa: E402
from tic_academy.services.accounts import hash_password  # noqa: E402
from tic_academy.services.settings import ServiceSettings  # noqa: E402

PASSWORD = "bench-password-123"
TARGET_MS = 300
OPDS, TRAINEES, STAGES, PER_STAGE, SUBMISSIONS = 20, 1000, 5, 10, 5


def build_app(url: str):
    """The app on ``url`` with cheap password hashing and CSRF off (the bench logs in by POST)."""
    return create_app({
        "ENV_NAME": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8192, "RATELIMIT_ENABLED": False,
    })


@contextmanager
def bench_database():
    """The bench app on TIC_BENCH_DATABASE_URL (else a temporary SQLite file) with empty tables, dropped afterwards."""
    url = os.environ.get("TIC_BENCH_DATABASE_URL")
    tmp = None
    if not url:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{tmp.name}/bench.sqlite"
    app = build_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
        if tmp:
            tmp.cleanup()


def analyse() -> None:
    """On PostgreSQL, gather the planner statistics autovacuum would gather a little later on fresh tables."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def generate(seed: int = 7) -> int:
    """Fill an empty database; returns the cohort id."""
    rng = random.Random(seed)
    start = today_wib() - timedelta(weeks=6)
    track = Track(slug="bench", title_id="Jalur Bench", weeks=12)
    db.session.add(track)
    exercises = []
    for s in range(STAGES):
        stage = Stage(track=track, slug=f"tahap-{s}", position=s, title_id=f"Tahap {s + 1}",
                      week_start=s * 2 + 1, week_end=s * 2 + 2, pass_threshold=0.7)
        db.session.add(stage)
        for e in range(PER_STAGE):
            exercise = Exercise(stage=stage, slug=f"l-{s}-{e}", position=e, title_id=f"Latihan {s}.{e}",
                                notebook_path="x.ipynb", week=s * 2 + 1 + e // 5)
            db.session.add(exercise)
            exercises.append(exercise)
    db.session.flush()
    for exercise in exercises:
        version = ExerciseVersion(exercise=exercise, checksum=f"c{exercise.id}", source="{}", max_score=10.0)
        db.session.add(version)
        db.session.flush()
        exercise.current_version = version
    password_hash = hash_password(PASSWORD, ServiceSettings(password_time_cost=1, password_memory_cost=8192))
    opds = [Opd(code=f"OPD{n:02d}", name=f"Dinas Bench {n}", short_name=f"Bench {n}") for n in range(OPDS)]
    db.session.add_all(opds)
    db.session.flush()
    db.session.add(User(email="admin@bench.test", full_name="Admin", role="admin", password_hash=password_hash))
    for n, opd in enumerate(opds):
        db.session.add(User(email=f"kepala{n}@bench.test", full_name=f"Kepala {n}", role="opd_head",
                            opd_id=opd.id, password_hash=password_hash))
    mentors = [User(email=f"mentor{n}@bench.test", full_name=f"Mentor {n}", role="mentor", password_hash=password_hash)
               for n in range(10)]
    db.session.add_all(mentors)
    cohort = Cohort(name="Angkatan Bench", track=track, start_date=start, capacity=TRAINEES, status="running")
    db.session.add(cohort)
    db.session.flush()
    db.session.execute(insert(User), [
        {"email": f"peserta{n}@bench.test", "full_name": f"Peserta {n:04d}", "role": "trainee",
         "opd_id": opds[n % OPDS].id} for n in range(TRAINEES)
    ])
    trainee_ids = [u.id for u in db.session.query(User.id).filter(User.role == "trainee").order_by(User.id)]
    db.session.execute(insert(Enrollment), [
        {"cohort_id": cohort.id, "trainee_id": tid, "mentor_id": mentors[n % 10].id, "status": "active"}
        for n, tid in enumerate(trainee_ids)
    ])
    db.session.execute(insert(Nomination), [
        {"cohort_id": cohort.id, "opd_id": opds[n % OPDS].id, "full_name": f"Peserta {n:04d}",
         "email": f"peserta{n}@bench.test", "phone": f"0812{n:08d}", "position": "Staf", "unit": "Umum",
         "employment_status": "honorary", "education": "s1", "motivation": "", "hours_per_week": 15,
         "supervisor_agrees": True, "status": "enrolled", "user_id": tid}
        for n, tid in enumerate(trainee_ids)
    ])
    begin = datetime.combine(start, datetime.min.time(), tzinfo=timezone.utc)
    batch = []
    for tid in trainee_ids:
        skill = rng.uniform(0.3, 1.0)
        for exercise in exercises:
            for attempt in range(SUBMISSIONS):
                score = round(min(10.0, 10 * skill * (0.6 + 0.1 * attempt) + rng.uniform(-1, 1)), 1)
                when = begin + timedelta(days=(exercise.week - 1) * 7 + attempt, minutes=rng.randrange(1440))
                batch.append({
                    "trainee_id": tid, "exercise_id": exercise.id, "exercise_version_id": exercise.current_version_id,
                    "answers": {}, "mode": "submit", "status": "graded", "auto_score": max(score, 0.0),
                    "max_score": 10.0, "created_at": when, "flags": [], "notes": [],
                })
        if len(batch) >= 20_000:
            db.session.execute(insert(Submission), batch)
            batch = []
    if batch:
        db.session.execute(insert(Submission), batch)
    db.session.commit()
    return cohort.id


def fill_best_scores() -> float:
    """Fill the best-score table from the bulk-inserted submissions (the migration's step); seconds taken."""
    began = time.perf_counter()
    recompute(db.session.connection())
    db.session.commit()
    return time.perf_counter() - began


def timed(client, path: str, runs: int, before=None) -> tuple[float, float, float]:
    """Median and max wall time (ms) of GET ``path`` over ``runs`` runs, after one warm-up, and the median
    CPU time (ms) this process spent on it (on a busy machine wall time also counts waiting for a core;
    on SQLite, where the database works inside this process, CPU time is what an idle machine would show).

    ``before`` runs ahead of each timed request (untimed), e.g. to land a new grade.
    """
    assert client.get(path).status_code == 200, path
    times, cpu = [], []
    for _ in range(runs):
        if before:
            before()
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200
    return statistics.median(times), max(times), statistics.median(cpu)


def land_a_grade(app) -> None:
    """Store a new score for one submission, as a grading worker would: its best-score row is rewritten
    in the same transaction and every cached dashboard figure goes stale."""
    with app.app_context():
        submission = db.session.scalars(select(Submission).order_by(Submission.id).limit(1)).one()
        submission.auto_score = 10.0 if submission.auto_score != 10.0 else 9.0
        submission.graded_at = now_utc()
        db.session.commit()


def run_pages(app, runs: int) -> None:
    """Generate the program, then time each page cached and after a grade."""
    with app.app_context():
        began = time.perf_counter()
        cohort_id = generate()
        generated = time.perf_counter() - began
        fill_seconds = fill_best_scores()
        analyse()
        print(f"database: {db.engine.dialect.name}; generated {OPDS} OPDs, {TRAINEES} trainees, "
              f"{STAGES * PER_STAGE} exercises, {TRAINEES * STAGES * PER_STAGE * SUBMISSIONS:,} submissions "
              f"in {generated:.1f} s")
        print(f"best-score table filled from them (the migration's step) in {fill_seconds:.1f} s")
    filled = time.perf_counter()
    # As a gunicorn worker does before serving (deploy/gunicorn.conf.py).
    print(f"warm-up (ops/warm_up.py) in {warm_up(app):.1f} s")
    admin, head, mentor = app.test_client(), app.test_client(), app.test_client()
    admin.post("/masuk", data={"email": "admin@bench.test", "password": PASSWORD})
    head.post("/masuk", data={"email": "kepala3@bench.test", "password": PASSWORD})
    mentor.post("/masuk", data={"email": "mentor3@bench.test", "password": PASSWORD})
    pages = [
        ("admin city dashboard", admin, "/admin/dasbor"),
        ("admin cohort page", admin, f"/admin/angkatan/{cohort_id}"),
        ("OPD head dashboard", head, "/opd/"),
        ("mentor Peserta saya (100)", mentor, "/mentor/peserta"),
        ("graduation page (admin)", admin, "/sertifikat/kelulusan"),
        ("export, all trainees (xlsx)", admin, f"/admin/angkatan/{cohort_id}/ekspor/peserta.xlsx"),
        ("export, OPD trainees (csv)", head, f"/opd/ekspor/{cohort_id}/peserta.csv"),
    ]
    # "unchanged": the data did not change since the last view (the per-cohort figures are reused);
    # "after a grade": a grading landed just before each request, so the figures are recomputed.
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'':32} {'unchanged (cached)':>26}   {'first view after a grade':>26}")
    print(f"{'page':32} {'median':>8} {'max':>7} {'cpu':>8}   {'median':>8} {'max':>7} {'cpu':>8} {'target':>7}"
          f"  ms, runs: {runs}")
    for name, client, path in pages:
        median, worst, cpu = timed(client, path, runs)
        # Within CATCH_UP_MARGIN of the fill (every row stamped at once) a catch-up reads every row again;
        # the figures below are for the steady state after it.
        time.sleep(max(0.0, CATCH_UP_MARGIN.total_seconds() - (time.perf_counter() - filled)))
        cold_median, cold_worst, cold_cpu = timed(client, path, runs, before=lambda: land_a_grade(app))
        verdict = "ok" if cold_median <= TARGET_MS else "OVER"
        print(f"{name:32} {median:8.0f} {worst:7.0f} {cpu:8.0f}   {cold_median:8.0f} {cold_worst:7.0f} {cold_cpu:8.0f} "
              f"{TARGET_MS:>7} {verdict}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


def main() -> None:
    """Generate the data, time the pages, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with bench_database() as app:
        run_pages(app, args.runs)


if __name__ == "__main__":
    main()
