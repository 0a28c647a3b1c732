"""A project submission graded by the local runner: recorded, enqueued by the signal, graded in a thread."""
from pathlib import Path

import pytest

from tests.projects.helpers import push_files
from tests.runners.test_local_runner import wait_for
from tic_academy.services import projects

pytestmark = pytest.mark.kernel


@pytest.fixture
def app_config(app_config, tmp_path):
    """A database file (grading threads use their own connections), the local runner, no warm kernels."""
    database = app_config["SQLALCHEMY_DATABASE_URI"]
    if database == "sqlite://":
        database = f"sqlite:///{tmp_path / 'runner.sqlite'}"
    return {**app_config, "SQLALCHEMY_DATABASE_URI": database, "RUNNER": "local", "KERNEL_POOL_SIZE": 0}


def test_local_runner_grades_a_pushed_commit(app, world, shipped):
    """Does a recorded commit reach the local runner and come back graded, like a notebook submission?"""
    root = Path(app.config["REPO_ROOT"])
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    sha = push_files(repo, shipped.wrong["status-bebas-berpindah"] | {
        name: data for name, data in shipped.solution.items() if name != "pengaduan/validasi.py"})
    submission = projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", root)
    graded = wait_for(submission.id, timeout=60)
    assert (graded.status, graded.auto_score, graded.max_score) == ("graded", 12, 13)
