"""Benchmark the grading command as a whole process: `python -m tic_academy.jobs.grade` and `flask grade`.

Run from the project root:  .venv/bin/python bench/grade_cli.py [--runs 7] [--alias-runs 5]

Each run is a new process grading bench/grading.py's small notebook (one sandboxed kernel, no pool), timed
from start to exit like `time`; the figure is the median. Target (issue 19): <= 1 s for both. `flask grade`
is the same command found through the `flask.commands` entry point (pyproject.toml), before Flask loads
the app; the old figure is `flask --app wsgi grade` when it loaded the whole app (2.5 s median when the
issue was filed).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from grading import exercise, submission  # noqa: E402  (bench/grading.py: the benchmark's small notebook)

TARGET_S = 1.0
#: `flask --app wsgi grade` as a whole process when issue 19 was filed (median).
ISSUE_FIGURE_S = 2.5


def children_cpu() -> float:
    """CPU seconds (user + system) of our finished children and the descendants they waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_times(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Run the command `runs` times; return each run's wall and CPU seconds (a failed run stops the bench).

    The CPU time (the command, its kernel and everything they started) hardly depends on what else runs on
    the machine; the wall time does, so read it next to the load average.
    """
    walls, cpus = [], []
    for _ in range(runs):
        cpu_before, started = children_cpu(), time.perf_counter()
        process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() - cpu_before)
        if process.returncode != 0 or not process.stdout.startswith("Skor: 3 / 3"):
            sys.exit(f"{' '.join(command)} failed:\n{process.stdout}\n{process.stderr}")
    return walls, cpus


def line(name: str, times: tuple[list[float], list[float]]) -> str:
    """One result line: median wall time, fastest and slowest run, median CPU time."""
    walls, cpus = times
    return (f"{name:<34} median {statistics.median(walls):5.2f} s   (min {min(walls):.2f}, max {max(walls):.2f}, "
            f"{len(walls)} runs; CPU {statistics.median(cpus):.2f} s)")


def verdict(times) -> str:
    """'met' when the median wall time is within the target."""
    return "met" if statistics.median(times[0]) <= TARGET_S else "MISSED"


def main() -> None:
    """Measure both commands and print the figures next to the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of python -m tic_academy.jobs.grade (>= 5)")
    parser.add_argument("--alias-runs", type=int, default=5, help="runs of flask --app wsgi grade (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tic-bench-cli-") as folder:
        source, answer = os.path.join(folder, "sumber.ipynb"), os.path.join(folder, "kiriman.ipynb")
        nbformat.write(exercise(), source)
        nbformat.write(submission(), answer)
        python = sys.executable
        flask = str(Path(python).with_name("flask"))
        load_before = os.getloadavg()
        fast = run_times([python, "-m", "tic_academy.jobs.grade", source, answer], args.runs)
        alias = run_times([flask, "--app", "wsgi", "grade", source, answer], args.alias_runs) if args.alias_runs else None
        load_after = os.getloadavg()
    print(f"Grading command as a whole process (small notebook, one kernel; {os.cpu_count()} cores, "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after)")
    print(line("python -m tic_academy.jobs.grade", fast) + f"   target <= {TARGET_S:g} s: {verdict(fast)}")
    if alias:
        print(line("flask --app wsgi grade", alias) + f"   target <= {TARGET_S:g} s: {verdict(alias)}")
    print(f"{'old figure (issue 19)':<34} median {ISSUE_FIGURE_S:5.2f} s   (flask --app wsgi grade)")


if __name__ == "__main__":
    main()
