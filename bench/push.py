"""Benchmark push -> graded: a real ``git push`` over the app's smart HTTP until the submission is graded.

Run from the project root:  .venv/bin/python bench/push.py [--runs 10]

The app runs in a thread on a free loopback port (werkzeug, threaded) with the local runner and the
bwrap sandbox, on a throw-away SQLite database and repository folder. A trainee enrolled in a cohort
has the shipped project (projects/layanan-pengaduan) open; their repository is made from the
template and the solution is pushed once (not measured). Each run then commits a small change and
times from the start of ``git push`` until the Submission for that sha is graded: the HTTP push,
the push rules, the snapshot, queueing in the local runner, pytest in the sandbox and storing the
result. The anchor is a notebook grading (warm kernel) on the same run, interleaved with the pushes.
"""
from __future__ import annotations

import argparse
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from bench.grading import ANSWER, exercise as notebook_exercise  # noqa: E402
from tic_academy import create_app  # noqa: E402
from tic_academy.clock import today_wib  # noqa: E402
from tic_academy.curriculum.projects import ProjectFile, load_project  # noqa: E402
from tic_academy.extensions import db  # noqa: E402
from tic_academy.grading import GradingEngine, GradingSettings  # noqa: E402
from tic_academy.jobs.runners import close_runner  # noqa: E402
from tic_academy.models import Cohort, Enrollment, Exercise, ExerciseVersion, Opd, Stage, Track, User  # noqa: E402
from tic_academy.services import projects, tokens  # noqa: E402

PROJECT = ROOT / "projects" / "layanan-pengaduan"
#: What a trainee should wait for a push's result at most (p95), on the 2-core reference machine.
TARGET_P95_S = 10.0
#: Longest wait for one graded result before the bench gives up.
WAIT_S = 120.0


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) of a list of seconds."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_world(project: ProjectFile) -> tuple[User, Exercise]:
    """A running cohort whose open stage holds the project exercise, and one enrolled trainee."""
    track = Track(slug="bench-push", title_id="Jalur Bench", weeks=4)
    stage = Stage(track=track, slug="tahap", position=1, title_id="Tahap", week_start=1, week_end=4, pass_threshold=0.7)
    exercise = Exercise(stage=stage, slug="pengaduan", position=1, title_id="Layanan Pengaduan", notebook_path="",
                        kind="project", project=PROJECT.name, week=1, minutes=60)
    version = ExerciseVersion(exercise=exercise, checksum=project.checksum, source=project.spec.to_json(),
                              max_score=project.spec.max_score, template_archive=project.template_archive())
    opd = Opd(code="BENCH", name="Dinas Bench", short_name="Bench")
    trainee = User(email="peserta@bench.test", full_name="Peserta Bench", role="trainee", opd=opd)
    cohort = Cohort(name="Angkatan Bench", track=track, start_date=today_wib() - timedelta(days=7), status="running")
    db.session.add_all([track, stage, exercise, version, opd, trainee, cohort,
                        Enrollment(cohort=cohort, trainee=trainee)])
    db.session.flush()
    exercise.current_version = version
    db.session.commit()
    return trainee, exercise


def git(home: Path, *args, cwd: Path | None = None) -> str:
    """Run the real git client without the machine's configuration; its output."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Peserta",
           "GIT_AUTHOR_EMAIL": "peserta@bench.test", "GIT_COMMITTER_NAME": "Peserta",
           "GIT_COMMITTER_EMAIL": "peserta@bench.test"}
    return subprocess.run(["git", *args], cwd=cwd or home, env=env, check=True, capture_output=True, text=True,
                          timeout=WAIT_S).stdout.strip()


def commit(home: Path, work: Path, files: dict[str, bytes], message: str) -> str:
    """Write files into the clone and commit them; the new sha."""
    for name, data in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(data)
    git(home, "add", "-A", cwd=work)
    git(home, "commit", "-q", "-m", message, cwd=work)
    return git(home, "rev-parse", "HEAD", cwd=work)


def push_and_wait(home: Path, work: Path, trainee_id: int, exercise_id: int, sha: str) -> tuple[float, float]:
    """Push main and wait until the submission of ``sha`` is graded; (seconds, its score)."""
    started = time.monotonic()
    git(home, "push", "-q", "origin", "main", cwd=work)
    while time.monotonic() - started < WAIT_S:
        db.session.expire_all()
        submission = projects.submission_for_commit(trainee_id, exercise_id, sha)
        if submission is not None and submission.status in ("graded", "failed"):
            if submission.status != "graded":
                sys.exit(f"grading failed: {submission.error}")
            return time.monotonic() - started, submission.auto_score
        time.sleep(0.02)
    sys.exit(f"no graded result for {sha} after {WAIT_S:.0f} s")


def main() -> None:
    """Push ``--runs`` commits and grade a notebook as often; print p50/p95 of both, the target and the anchor."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    project = ProjectFile("bench", "bench", {"id": "p", "project": PROJECT.name}, PROJECT, PROJECT.name)
    assert load_project(project) == []
    with tempfile.TemporaryDirectory(prefix="tic-bench-push-") as folder:
        folder = Path(folder)
        port = free_port()
        app = create_app({"ENV_NAME": "testing", "TESTING": True, "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}", "RUNNER": "local",
                          "KERNEL_POOL_SIZE": 0, "REPO_ROOT": str(folder / "repos"),
                          "EXTERNAL_URL": f"http://127.0.0.1:{port}", "RATELIMIT_ENABLED": False})
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury the figures
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with app.app_context(), GradingEngine(GradingSettings(pool_size=1)) as notebook_engine:
            if notebook_engine.unavailable:
                sys.exit(f"cannot grade here: {notebook_engine.unavailable}")
            db.create_all()
            trainee, exercise = build_world(project)
            if projects.repository_for(trainee, exercise.id, Path(app.config["REPO_ROOT"])) is None:
                sys.exit("the project exercise is not open to the bench trainee")
            token = tokens.create_token(trainee, "Bench", None, "127.0.0.1", max_active=5)[1]
            home = folder / "client"
            home.mkdir()
            git(home, "clone", "-q", f"http://peserta:{token}@127.0.0.1:{port}/git/{trainee.id}/{exercise.id}.git",
                "kerja")
            work = home / "kerja"
            sha = commit(home, work, project.solution, "Solusi")
            _seconds, score = push_and_wait(home, work, trainee.id, exercise.id, sha)  # warm-up, not measured
            assert score == project.spec.max_score, score
            push_times, notebook_times = [], []
            for number in range(runs):
                sha = commit(home, work, {"CATATAN.md": f"Percobaan {number}\n".encode()}, f"Percobaan {number}")
                seconds, score = push_and_wait(home, work, trainee.id, exercise.id, sha)
                assert score == project.spec.max_score, score
                push_times.append(seconds)
                started = time.monotonic()
                notebook = notebook_engine.grade(notebook_exercise(), {"jawaban": ANSWER}, mode="submit")
                notebook_times.append(time.monotonic() - started)
                assert notebook.score == notebook.max_score
            isolation = notebook_engine.isolation
        close_runner(app)
        server.shutdown()
    push50, push95 = percentiles(push_times)
    nb50, nb95 = percentiles(notebook_times)
    print(f"push -> graded benchmark: {os.cpu_count()} cores, sandbox=bwrap, local runner, app on loopback "
          f"(werkzeug, threaded), {len(project.spec.points)} tasks of {PROJECT.name}\n")
    print(f"{'latency':<52}{'p50 s':>8}{'p95 s':>8}{'runs':>6}")
    print(f"{'project: git push -> graded (smart HTTP, real git)':<52}{push50:>8.2f}{push95:>8.2f}{runs:>6}")
    print(f"{'anchor: notebook submit grading (warm kernel)':<52}{nb50:>8.2f}{nb95:>8.2f}{runs:>6}")
    verdict = "met" if push95 <= TARGET_P95_S else "MISSED"
    print(f"\ntarget: push -> graded p95 <= {TARGET_P95_S:.0f} s: {verdict} ({push95:.2f} s)")
    print(f"anchor: a push costs {push50 / nb50:.1f}x a notebook grading at p50")
    print(f"isolation: {isolation}")


if __name__ == "__main__":
    main()
