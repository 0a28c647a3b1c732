"""Benchmark the early warning's daily job on a realistic large program.

Reuses the dashboards bench's generator (20 OPDs, 1,000 trainees, 50 exercises, 250,000 graded
submissions), adds one test result per submission and a week of Run counts, then times
``services.warnings.run_daily``: the first run (every signal is new: items, reminders and
outbox mail are written) and the next one (nothing new: the usual morning). The generator's
trainees submit every exercise whatever their stage, so the figures are a pessimistic case.

Run from the project root:
    .venv/bin/python bench/early_warning.py                 # SQLite (a temporary file)
    TIC_BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/early_warning.py
Target: a few seconds for 1,000 trainees.
"""
from __future__ import annotations

import importlib.util
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = Path(HERE).parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from tic_academy.clock import now_utc, today_wib  # noqa: E402
from tic_academy.extensions import db  # noqa: E402
from tic_academy.models import Exercise, RunCount, Submission, TestResult, User  # noqa: E402
from tic_academy.services import warnings  # noqa: E402

TARGET_S = 5.0


def _dashboards_bench():
    """The dashboards bench module, loaded by its path (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_dashboards", Path(HERE) / "dashboards.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dashboards = _dashboards_bench()
TRAINEES, generate = dashboards.TRAINEES, dashboards.generate


def add_tests_and_runs(seed: int = 11) -> None:
    """One test result per submission (passed from 7 points) and Run counts for the last week."""
    rng = random.Random(seed)
    batch = []
    for submission_id, score in db.session.execute(select(Submission.id, Submission.auto_score)):
        passed = (score or 0) >= 7
        batch.append({"submission_id": submission_id, "grade_id": "uji_1", "status": "passed" if passed else "failed",
                      "points": 10.0 if passed else 0.0, "max_points": 10.0, "title": "Tugas 1", "position": 0})
        if len(batch) >= 20_000:
            db.session.execute(insert(TestResult), batch)
            batch = []
    if batch:
        db.session.execute(insert(TestResult), batch)
    trainee_ids = list(db.session.scalars(select(User.id).where(User.role == "trainee")))
    exercise_ids = list(db.session.scalars(select(Exercise.id).limit(5)))
    today = today_wib()
    db.session.execute(insert(RunCount), [
        {"trainee_id": tid, "exercise_id": eid, "day": today - timedelta(days=d),
         "runs": rng.randrange(0, 8), "checks": rng.randrange(0, 2)}
        for tid in trainee_ids for eid in exercise_ids for d in range(5)
    ])
    db.session.commit()


def run_job() -> None:
    """Generate the program with test results and Run counts, then time the daily job twice."""
    began = time.perf_counter()
    generate()
    add_tests_and_runs()
    dashboards.analyse()
    print(f"database: {db.engine.dialect.name}; generated {TRAINEES} trainees with submissions, "
          f"test results and Run counts in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    findings = warnings.find_all(warnings.active_enrollments(), warnings.load_settings(), now_utc())
    print(f"{'finding only (queries)':24} {time.perf_counter() - began:6.2f} s  {len(findings)} conditions")
    db.session.rollback()
    for name in ("first run (all new)", "next run (nothing new)"):
        began = time.perf_counter()
        run = warnings.run_daily()
        took = time.perf_counter() - began
        print(f"{name:24} {took:6.2f} s (target: a few seconds, under {TARGET_S:.0f} s)  "
              f"trainees {run.trainees}, opened {run.opened}, cleared {run.cleared}, "
              f"reminded {run.reminded}, open {run.still_open}")
    db.session.remove()

def main() -> None:
    """Generate the data, run the daily job twice, print the figures."""
    with dashboards.bench_database() as app:
        with app.app_context():
            run_job()


if __name__ == "__main__":
    main()
