"""Benchmark grading: latency, throughput and idle memory, with and without the fork server, and nbgrader autograde.

Run from the project root:  .venv/bin/python bench/grading.py [--runs 20]
"before" starts a new Python per kernel (TIC_FORK_SERVER=0), "after" forks kernels from the pool's
zygote (grading/forkserver.py); each figure is printed next to its target (issue 19).
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
#: Targets of issue 19.
TARGET_THROUGHPUT = 10.0
TARGET_WARM_P50_MS = 50.0
MODES = (("before", False), ("after", True))


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


def latency(pool_size, runs, pause, fork_server):
    """Return per-grading seconds, one grading at a time, pausing so a warm pool can refill."""
    engine = GradingEngine(GradingSettings(pool_size=pool_size, fork_server=fork_server))
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


class CpuMeter:
    """CPU seconds used by this process and everything it starts (sandboxes included), from a cgroup v1 cpuacct leaf."""

    def __init__(self):
        self.path = f"/sys/fs/cgroup/cpuacct/tic-bench-{os.getpid()}"
        try:
            os.makedirs(self.path, exist_ok=True)
            Path(self.path, "cgroup.procs").write_text(str(os.getpid()))
        except OSError:
            self.path = None  # no cgroup v1 cpuacct here (or not root): CPU figures are left out

    def seconds(self):
        """Return the CPU seconds used so far, or None."""
        return None if self.path is None else int(Path(self.path, "cpuacct.usage").read_text()) / 1e9

    def close(self):
        """Move back to the root cpuacct group and remove the leaf."""
        if self.path is not None:
            Path("/sys/fs/cgroup/cpuacct/cgroup.procs").write_text(str(os.getpid()))
            time.sleep(0.5)
            try:
                os.rmdir(self.path)
            except OSError:
                pass


def throughput(pool_size, gradings, threads, fork_server, meter):
    """Return (gradings per second, CPU seconds per grading or None): `threads` callers, each kernel used once."""
    engine = GradingEngine(GradingSettings(pool_size=pool_size, fork_server=fork_server))
    source, answers = exercise(), {"jawaban": ANSWER}
    try:
        time.sleep(1.0 + 0.7 * pool_size)  # let the pool fill
        cpu_before = meter.seconds()
        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as callers:
            scores = list(callers.map(lambda _: engine.grade(source, answers).score, range(gradings)))
        elapsed = time.perf_counter() - started
        cpu_after = meter.seconds()
        assert scores == [3] * gradings
    finally:
        engine.close()
    cpu = None if cpu_before is None else (cpu_after - cpu_before) / gradings
    return gradings / elapsed, cpu


def _descendants(pid: int) -> list[int]:
    """Return every live descendant of a process (sandboxed ones included: host pids)."""
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as file:
                    ppid = int(file.read().rpartition(")")[2].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """Return (PSS, USS) of one process in KiB, from /proc/PID/smaps_rollup."""
    values = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    values[parts[0].rstrip(":")] = int(parts[1])
    except OSError:
        return 0, 0
    return values.get("Pss", 0), values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)


def idle_memory(pool_size, fork_server):
    """Return (PSS, USS) in MiB per idle warm kernel: all the pool's processes (zygote included) / pool size."""
    engine = GradingEngine(GradingSettings(pool_size=pool_size, fork_server=fork_server))
    try:
        source, answers = exercise(), {"jawaban": ANSWER}
        engine.grade(source, answers)  # the pool is running; then let it refill and settle
        pool = engine._pool
        deadline = time.monotonic() + 60
        while (pool._ready.qsize() < pool_size or pool._live.__len__() > pool_size) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2.0)
        totals = [_memory_kib(pid) for pid in _descendants(os.getpid())]
    finally:
        engine.close()
    pss, uss = sum(total[0] for total in totals), sum(total[1] for total in totals)
    return pss / 1024 / pool_size, uss / 1024 / pool_size


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
    print(f"grading benchmark: {os.cpu_count()} cores, sandbox=bwrap, small exercise (5 cells, 2 tests)")
    print("before = a new Python per kernel (TIC_FORK_SERVER=0); after = kernels forked from the zygote")
    # Other work on the machine shares the cores: the figures below only mean something next to this.
    print("load average at start: {:.1f} {:.1f} {:.1f}\n".format(*os.getloadavg()), flush=True)
    rows = []
    for label, fork_server in MODES:
        rows.append((f"warm pool (size 2), {label}", latency(2, args.runs, 1.0, fork_server),
                     f"p50 <= {TARGET_WARM_P50_MS:.0f}"))
        rows.append((f"cold kernel (pool size 0), {label}", latency(0, max(args.runs // 2, 3), 0.2, fork_server), ""))
    if not args.skip_nbgrader:
        rows.append((f"nbgrader {NBGRADER_VERSION} autograde (whole process)", nbgrader_times(args.nbgrader_runs),
                     "anchor"))
    print(f"{'latency of one grading':<44}{'p50 ms':>10}{'p95 ms':>10}{'runs':>6}   target")
    for name, times, target in rows:
        p50, p95 = percentiles(times)
        print(f"{name:<44}{p50:>10.0f}{p95:>10.0f}{len(times):>6}   {target}")
    meter = CpuMeter()
    cores = os.cpu_count()
    print(f"\n{'throughput (N callers, pool size N, each kernel used once)':<44}{'gradings/s':>11}"
          f"{'CPU s/grading':>15}{f'/s on {cores} idle cores':>22}   target")
    try:
        for label, fork_server in MODES:
            for parallel in (1, 2, 4):
                rate, cpu = throughput(parallel, args.gradings, parallel, fork_server, meter)
                cpu_text = f"{cpu:>15.3f}{cores / cpu:>22.1f}" if cpu else f"{'n/a':>15}{'n/a':>22}"
                print(f"{f'{parallel} parallel, {label}':<44}{rate:>11.2f}{cpu_text}   >= {TARGET_THROUGHPUT:.0f}",
                      flush=True)
    finally:
        meter.close()
    print(f"(CPU s/grading: all processes' CPU during the run / gradings, from a cpuacct cgroup; "
          f"'/s on {cores} idle cores' = {cores} / that, what the machine gives when nothing else runs)")
    print(f"\n{'idle warm kernel memory (pool of 4, all its processes / 4)':<60}{'PSS MiB':>9}{'USS MiB':>9}   target")
    measured = {label: idle_memory(4, fork_server) for label, fork_server in MODES}
    for label, (pss, uss) in measured.items():
        target = "" if label == "before" else f"< before ({measured['before'][0]:.0f} PSS)"
        print(f"{label:<60}{pss:>9.1f}{uss:>9.1f}   {target}")
    print("\nload average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
