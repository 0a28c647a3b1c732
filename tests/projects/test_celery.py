"""A project submission graded by a real Celery worker, from the database alone, also after a worker dies."""
import os
import signal
from pathlib import Path

import pytest

from tests.projects.helpers import push_files
from tests.projects.test_checks_service import merge_prepared_branch, with_checks_version
from tests.runners.test_celery_runner import app_config, redis_url, start_worker  # noqa: F401 (fixtures)
from tests.runners.test_local_runner import wait_for
from tic_academy.extensions import db
from tic_academy.models import Submission
from tic_academy.services import projects

pytestmark = [pytest.mark.celery, pytest.mark.kernel]


def test_celery_worker_grades_a_pushed_commit(app, world, shipped, start_worker):  # noqa: F811
    """Does submit_commit reach a Celery worker that grades the commit from its stored snapshot?"""
    root = Path(app.config["REPO_ROOT"])
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    sha = push_files(repo, shipped.solution)
    start_worker("w1")
    submission = projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", root)
    graded = wait_for(submission.id, timeout=90)
    assert (graded.status, graded.auto_score, graded.max_score) == ("graded", 13, 13)


def test_worker_killed_mid_grade_regrades_the_project(app, world, shipped, start_worker):  # noqa: F811
    """Is a project submission whose worker was killed mid-grade graded once by the next worker?"""
    root = Path(app.config["REPO_ROOT"])
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    files = dict(shipped.solution)
    files["pengaduan/penyimpanan.py"] = b"import time\ntime.sleep(4)\n" + files["pengaduan/penyimpanan.py"]
    sha = push_files(repo, files)
    first = start_worker("w1")
    submission = projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", root)
    wait_for(submission.id, statuses=("running",), timeout=90)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "running"
    start_worker("w2")
    graded = wait_for(submission.id, timeout=120)
    assert (graded.status, graded.auto_score, graded.attempts) == ("graded", 13, 2)


def test_celery_worker_adds_the_repository_checks(app, world, start_worker, tmp_path):  # noqa: F811
    """Does a Celery worker read the repository checks from REPO_ROOT and add them to the hidden tests' result?"""
    root = Path(app.config["REPO_ROOT"])
    with_checks_version(world["exercise"])
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    sha = merge_prepared_branch(repo, tmp_path)
    start_worker("w1")
    submission = projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", root)
    graded = wait_for(submission.id, timeout=90)
    rows = {r.grade_id: r.status for r in graded.test_results}
    assert (graded.status, graded.max_score) == ("graded", 16), graded.error
    assert (rows["penggabungan"], rows["tanpa-konflik"]) == ("passed", "passed")
