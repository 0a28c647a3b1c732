"""Benchmark project grading: commit -> graded latency for the shipped Flask project, next to a notebook grading.

Run from the project root:  .venv/bin/python bench/projects.py [--runs 10]

"commit -> graded" is what the runner does for a pushed commit: export the commit's files from the
bare repository into a snapshot (git archive + tar.gz), then grade it in the sandbox (pytest over the
hidden tests). The notebook figure is one submit-mode grading with a warm kernel, on the same run.
Queueing (local thread or Celery) and the HTTP push itself are not included.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.grading import ANSWER, exercise  # noqa: E402
from tic_academy.curriculum.projects import ProjectFile, load_project  # noqa: E402
from tic_academy.grading import GradingEngine, GradingSettings  # noqa: E402
from tic_academy.grading.project import pack_tree  # noqa: E402
from tic_academy.services import repositories  # noqa: E402

PROJECT = ROOT / "projects" / "layanan-pengaduan"


def percentiles(samples: list[float]) -> str:
    """p50 and p95 of a list of seconds, as text."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s (n={len(ordered)})"


def solution_repository(project: ProjectFile, folder: Path) -> tuple[Path, str]:
    """A bare repository made from the template, with the solution committed on top; (path, sha)."""
    repo = folder / "repo.git"
    repositories.create_from_template(repo, PROJECT / "template", "Templat")
    work = folder / "work"
    subprocess.run(["git", "clone", "-q", str(repo), str(work)], check=True)
    for name, data in project.solution.items():
        (work / name).write_bytes(data)
    env = ["-c", "user.name=Peserta", "-c", "user.email=p@contoh.test"]
    subprocess.run(["git", *env, "commit", "-qam", "Solusi"], cwd=work, check=True)
    subprocess.run(["git", "push", "-q", "origin", "main"], cwd=work, check=True)
    return repo, repositories.head(repo)


def main() -> None:
    """Grade the project's solution and a notebook ``--runs`` times each and print the latencies."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    project = ProjectFile("bench", "bench", {"id": "p", "project": PROJECT.name}, PROJECT, PROJECT.name)
    assert load_project(project) == []
    with GradingEngine(GradingSettings(pool_size=1)) as engine, tempfile.TemporaryDirectory() as folder:
        if engine.unavailable:
            sys.exit(f"cannot grade here: {engine.unavailable}")
        repo, sha = solution_repository(project, Path(folder))
        project_times, notebook_times = [], []
        for number in range(runs):
            started = time.monotonic()
            with tempfile.TemporaryDirectory() as export:
                repositories.export_commit(repo, sha, Path(export))
                snapshot = pack_tree(Path(export))
            result = engine.grade_project(project.spec, snapshot, limits=project.limits)
            project_times.append(time.monotonic() - started)
            assert result.score == result.max_score, result.to_dict()
            started = time.monotonic()
            notebook = engine.grade(exercise(), {"jawaban": ANSWER}, mode="submit")
            notebook_times.append(time.monotonic() - started)
            assert notebook.score == notebook.max_score
        print(f"project commit -> graded ({len(project.spec.points)} tasks, "
              f"{sum(1 for n in project.spec.hidden if n.startswith('test_'))} hidden test files): "
              f"{percentiles(project_times)}")
        print(f"notebook submit grading (warm kernel):            {percentiles(notebook_times)}")
        print(f"isolation: {engine.isolation}")


if __name__ == "__main__":
    main()
