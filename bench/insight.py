"""Benchmark the exercise insight pages on the dashboards bench's program.

Uses bench/dashboards.py's generator (1,000 trainees, 50 exercises, 250,000 graded submissions) and
adds three test results to every submission (750,000 rows, one INSERT ... SELECT per test), then times
(unchanged data, and just after a grade landed) the insight overview, one exercise's page and the per-exercise CSV through the real views.

Run from the project root:
    .venv/bin/python bench/insight.py                  # SQLite (a temporary file)
    TIC_BENCH_DATABASE_URL=postgresql://... .venv/bin/python bench/insight.py
Target: well under a second per page.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboards  # noqa: E402  (bench/dashboards.py: the generator and the timer)
from sqlalchemy import select, text  # noqa: E402

from tic_academy.extensions import db  # noqa: E402
from tic_academy.models import Exercise  # noqa: E402

#: (grade_id, the score below which the test fails, the message a failure shows).
TESTS = [
    ("tes-1", 4.0, '{"code": "exception", "params": {"ename": "NameError", "evalue": "x"}}'),
    ("tes-2", 7.0, '{"code": "author", "params": {"text": "Total retribusi belum benar"}}'),
    ("tes-3", 9.0, '{"code": "compare", "params": {"left": "1", "op": "==", "right": "2"}}'),
]


def add_test_results() -> int:
    """Three test results per submission, set-based; returns how many rows were added."""
    json_cast = "::json" if db.engine.dialect.name == "postgresql" else ""
    for position, (grade_id, bar, message) in enumerate(TESTS):
        db.session.execute(text(
            "INSERT INTO test_result (submission_id, position, grade_id, status, points, max_points, message, "
            "title, title_en) "
            f"SELECT id, {position}, '{grade_id}', CASE WHEN auto_score >= {bar} THEN 'passed' ELSE 'failed' END, "
            f"0, 1, CASE WHEN auto_score >= {bar} THEN NULL ELSE '{message}'{json_cast} END, 'Tugas', '' "
            "FROM submission"
        ))
    db.session.commit()
    return db.session.scalar(text("SELECT count(*) FROM test_result"))


def run_pages(app, runs: int) -> None:
    """Generate the program and its test results, then time each page unchanged and after a grade."""
    with app.app_context():
        began = time.perf_counter()
        dashboards.generate()
        dashboards.fill_best_scores()  # as the migration does; the generator inserts rows past the session hook
        results = add_test_results()
        dashboards.analyse()
        exercise_id = db.session.scalar(select(Exercise.id).order_by(Exercise.id).limit(1))
        print(f"database: {db.engine.dialect.name}; generated {dashboards.TRAINEES} trainees, "
              f"{dashboards.STAGES * dashboards.PER_STAGE} exercises, {results:,} test results "
              f"in {time.perf_counter() - began:.1f} s")
    admin = app.test_client()
    admin.post("/masuk", data={"email": "admin@bench.test", "password": dashboards.PASSWORD})
    pages = [
        ("insight overview", "/admin/wawasan"),
        ("insight overview, sorted", "/admin/wawasan?urut=berhenti&arah=turun"),
        ("one exercise", f"/admin/wawasan/latihan/{exercise_id}"),
        ("per-exercise CSV", "/admin/wawasan/latihan.csv"),
        ("sample answers", f"/admin/wawasan/latihan/{exercise_id}/contoh?uji=tes-2"),
        # A reference measured at the same time, to read the figures on a busy machine (bench/dashboards.py).
        ("city dashboard (reference)", "/admin/dasbor"),
    ]
    # "unchanged": no new work since the last view (the per-trainee figures are reused);
    # "after a grade": a grading landed just before each request, so the figures are recomputed.
    print(f"{'page':28} {'unchanged: median':>18} {'max':>6} {'after a grade: median':>22} {'max':>6}  ms, runs: {runs}")
    for name, path in pages:
        median, worst, _cpu = dashboards.timed(admin, path, runs)
        cold_median, cold_worst, _cpu = dashboards.timed(admin, path, runs, before=lambda: dashboards.land_a_grade(app))
        print(f"{name:28} {median:18.0f} {worst:6.0f} {cold_median:22.0f} {cold_worst:6.0f}")


def main() -> None:
    """Generate the data, time the pages, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with dashboards.bench_database() as app:
        run_pages(app, args.runs)


if __name__ == "__main__":
    main()
