"""Benchmark grading: latency with a warm pool and a cold kernel, throughput, and nbgrader autograde side by side.

Run from the project root:  .venv/bin/python bench/grading.py [--runs 20]
nbgrader is installed (once) into bench/.venv-nbgrader by this script.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tic_academy.grading import GradingEngine, GradingSettings, make_trainee_version  # noqa: E402

NBGRADER_VENV = ROOT / "bench" / ".venv-nbgrader"
NBGRADER_VERSION = "0.9.6"
ANSWER = "def tambah(a, b):\n    return a + b\n"


def _cell(kind, source, grade_id, **meta):
    """Return a cell with nbgrader metadata."""
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": False, "grade": False, "locked": False,
                                 "schema_version": 3, **meta}
    return cell


def exercise():
    """Return a small exercise notebook: intro, setup, one answer, two tests (one with hidden part)."""
    return nbformat.v4.new_notebook(cells=[
        _cell("markdown", "# Latihan\nTulis `tambah`.", "intro", locked=True),
        _cell("code", "import math", "persiapan", locked=True),
        _cell("code", "def tambah(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION",
              "jawaban", solution=True),
        _cell("code", "assert tambah(1, 2) == 3", "tes-1", grade=True, locked=True, points=1),
        _cell("code", "assert tambah(0, 0) == 0\n### BEGIN HIDDEN TESTS\nassert tambah(-1, 1) == 0\n"
              "### END HIDDEN TESTS", "tes-2", grade=True, locked=True, points=2),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def submission():
    """Return the trainee version with a correct answer filled in."""
    nb = make_trainee_version(exercise())
    nb.cells[2].source = ANSWER
    return nb


def percentiles(values):
    """Return (p50, p95) of a list of seconds, in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def latency(pool_size, runs, pause):
    """Return per-grading seconds, one grading at a time, pausing so a warm pool can refill."""
    engine = GradingEngine(GradingSettings(pool_size=pool_size))
    source, answers = exercise(), {"jawaban": ANSWER}
    times = []
    try:
        time.sleep(pause * 2)
        for _ in range(runs):
            started = time.perf_counter()
            result = engine.grade(source, answers)
            times.append(time.perf_counter() - started)
            assert result.score == result.max_score == 3, result.to_dict()
            time.sleep(pause)
    finally:
        engine.close()
    return times


def throughput(pool_size, gradings, threads=4):
    """Return gradings per second with this pool size, `threads` callers at once, each kernel used once."""
    engine = GradingEngine(GradingSettings(pool_size=pool_size))
    source, answers = exercise(), {"jawaban": ANSWER}
    try:
        time.sleep(1.0 + 0.7 * pool_size)  # let the pool fill
        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as callers:
            scores = list(callers.map(lambda _: engine.grade(source, answers).score, range(gradings)))
        elapsed = time.perf_counter() - started
        assert scores == [3] * gradings
    finally:
        engine.close()
    return gradings / elapsed


def nbgrader_bin() -> Path:
    """Install nbgrader into its own virtualenv (once) and return its command."""
    command = NBGRADER_VENV / "bin" / "nbgrader"
    if not command.exists():
        print(f"installing nbgrader {NBGRADER_VERSION} into {NBGRADER_VENV} ...", flush=True)
        subprocess.run([sys.base_prefix + "/bin/python3", "-m", "venv", str(NBGRADER_VENV)], check=True)
        subprocess.run([str(NBGRADER_VENV / "bin" / "pip"), "install", "-q", f"nbgrader=={NBGRADER_VERSION}"],
                       check=True)
    return command


def nbgrader_times(runs):
    """Return whole-process seconds of `nbgrader autograde` grading the same submission."""
    command = nbgrader_bin()
    env = {**os.environ, "PATH": f"{command.parent}:{os.environ['PATH']}"}
    times = []
    with tempfile.TemporaryDirectory(prefix="bench-nbgrader-") as course:
        Path(course, "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.root = {course!r}\nc.CourseDirectory.course_id = 'bench'\n")
        Path(course, "source", "ps1").mkdir(parents=True)
        nbformat.write(exercise(), Path(course, "source", "ps1", "ps1.ipynb"))
        subprocess.run([str(command), "generate_assignment", "ps1", "--force"], cwd=course, env=env,
                       check=True, capture_output=True)
        released = nbformat.read(Path(course, "release", "ps1", "ps1.ipynb"), as_version=4)
        released.cells[2].source = ANSWER
        Path(course, "submitted", "siswa", "ps1").mkdir(parents=True)
        nbformat.write(released, Path(course, "submitted", "siswa", "ps1", "ps1.ipynb"))
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([str(command), "autograde", "ps1", "--student", "siswa", "--force"], cwd=course,
                           env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
            shutil.rmtree(Path(course, "autograded"), ignore_errors=True)
    return times


def main():
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20, help="gradings per latency figure")
    parser.add_argument("--nbgrader-runs", type=int, default=5)
    parser.add_argument("--gradings", type=int, default=24, help="gradings per throughput figure")
    parser.add_argument("--skip-nbgrader", action="store_true")
    args = parser.parse_args()
    print(f"grading benchmark: {os.cpu_count()} cores, sandbox=bwrap, small exercise (5 cells, 2 tests)\n")
    rows = [("warm pool (size 2)", latency(2, args.runs, pause=1.0)),
            ("cold kernel (pool size 0)", latency(0, max(args.runs // 2, 3), pause=0.2))]
    if not args.skip_nbgrader:
        rows.append((f"nbgrader {NBGRADER_VERSION} autograde (whole process)", nbgrader_times(args.nbgrader_runs)))
    print(f"{'latency of one grading':<44}{'p50 ms':>10}{'p95 ms':>10}{'runs':>6}")
    for name, times in rows:
        p50, p95 = percentiles(times)
        print(f"{name:<44}{p50:>10.0f}{p95:>10.0f}{len(times):>6}")
    print(f"\n{'throughput (4 callers, each kernel used once)':<48}{'gradings/s':>12}")
    for size in (1, 2, 4):
        print(f"{'pool size ' + str(size):<48}{throughput(size, args.gradings):>12.2f}")


if __name__ == "__main__":
    main()
