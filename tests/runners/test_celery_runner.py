"""The Celery runner with a real Redis and real workers, including a worker killed mid-grade."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import require_or_skip
from tests.runners.test_local_runner import CORRECT, wait_for
from tic_academy.extensions import db
from tic_academy.jobs.runners import get_runner
from tic_academy.models import Submission
from tic_academy.services.submissions import create_submission

pytestmark = [pytest.mark.celery, pytest.mark.kernel]
ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 4
LEASE_S = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """TIC_TEST_REDIS_URL, or a redis-server started here on a free port."""
    url = os.environ.get("TIC_TEST_REDIS_URL")
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    require_or_skip(binary is not None, "redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(0.3)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def app_config(app_config, redis_url, tmp_path, worker_id):
    """A database the worker processes can share (a file instead of in-memory SQLite), and Redis."""
    database = app_config["SQLALCHEMY_DATABASE_URI"]
    if database == "sqlite://":
        database = f"sqlite:///{tmp_path / 'celery.sqlite'}"
    # Each test gets its own Redis database number, so queues never mix.
    redis_db = 1 + (abs(hash((worker_id, str(tmp_path)))) % 14)
    redis = redis_url.rsplit("/", 1)[0] + f"/{redis_db}"
    return {**app_config, "SQLALCHEMY_DATABASE_URI": database, "RUNNER": "celery", "REDIS_URL": redis,
            "GRADING_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT}


@pytest.fixture
def start_worker(app, tmp_path):
    """Start real Celery worker processes for this app's database and Redis; all stopped at the end."""
    workers, logs = [], []

    def start(name: str):
        import redis as redis_client

        redis_client.Redis.from_url(app.config["REDIS_URL"]).ping()
        env = {
            **os.environ,
            "TIC_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "TIC_REDIS_URL": app.config["REDIS_URL"],
            "TIC_RUNNER": "celery",
            "TIC_KERNEL_POOL_SIZE": "1",
            "TIC_GRADING_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            # Shorter than the visibility timeout: a killed worker's claim lapses before the job comes back.
            "TIC_GRADING_LEASE_S": str(LEASE_S),
            # The worker reads a project's repository checks from the trainees' repositories.
            "TIC_REPO_ROOT": str(app.config.get("REPO_ROOT") or ROOT / "instance" / "repos"),
        }
        log = open(tmp_path / f"{name}.log", "w")
        logs.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tic_academy.jobs.celery_app", "worker",
             "--pool", "solo", "--concurrency", "1", "--hostname", f"{name}@%h", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    for log in logs:
        log.close()


def test_celery_worker_grades_a_submission(app, make_user, make_track, start_worker):
    """Does a real Celery worker, fed through Redis, grade a recorded submission?"""
    exercise = make_track([{"exercises": [{"points": 2}]}]).stages[0].exercises[0]
    start_worker("w1")
    runner = get_runner(app)
    assert runner.name == "celery"
    submission = create_submission(make_user(), exercise, CORRECT)
    runner.enqueue(submission.id)
    graded = wait_for(submission.id, timeout=90)
    assert (graded.status, graded.auto_score, graded.max_score) == ("graded", 2, 2)


def test_celery_grade_now_for_check(app, make_track, start_worker):
    """Does a check request sent through Celery come back with its per-test results?"""
    exercise = make_track([{"exercises": [{"points": 2}]}]).stages[0].exercises[0]
    start_worker("w1")
    result = get_runner(app).grade_now(
        {"source": exercise.current_version.source, "answers": CORRECT, "mode": "check"}
    )
    assert result["mode"] == "check"
    assert [t["status"] for t in result["tests"]] == ["passed"]


def test_worker_killed_mid_grade_is_regraded_after_restart(app, make_user, make_track, start_worker):
    """Is a submission whose worker was killed mid-grade graded once a worker is back?"""
    exercise = make_track([{"exercises": [{"points": 2}]}]).stages[0].exercises[0]
    slow = {"jawaban": "import time\ntime.sleep(4)\ndef tambah(a, b):\n    return a + b"}
    first = start_worker("w1")
    submission = create_submission(make_user(), exercise, slow)
    get_runner(app).enqueue(submission.id)
    wait_for(submission.id, statuses=("running",), timeout=90)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its sandboxed kernel die at once
    first.wait(timeout=10)
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "running"
    start_worker("w2")
    graded = wait_for(submission.id, timeout=120)
    assert (graded.status, graded.auto_score) == ("graded", 2)
    assert graded.attempts == 2
