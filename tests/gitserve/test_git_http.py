"""git clone, pull and push against the running app, with a real git client and personal access tokens."""
import os

import pytest

from tic_academy.extensions import db
from tic_academy.models import AuditEvent
from tic_academy.services import repositories

from .conftest import clone_url, make_token, repository_state

EXERCISE = 5


@pytest.fixture
def trainee(make_user, project):
    """A trainee with project exercise EXERCISE open."""
    user = make_user(role="trainee")
    project.open.add((user.id, EXERCISE))
    return user


def test_clone_and_push_submits_the_new_commit(server, trainee, project, git_client):
    """Can a trainee clone with a token and push a commit, which is then submitted for grading?"""
    token = make_token(trainee)
    git_client.run("clone", "-q", clone_url(server, trainee.id, EXERCISE, token), "kerja")
    work = git_client.home / "kerja"
    assert (work / "kalkulator" / "__init__.py").is_file()
    sha = git_client.commit_file(work, "kalkulator/__init__.py", b"def tambah(a, b):\n    return a + b\n", "Tambah")
    git_client.run("push", "-q", "origin", "main", cwd=work)
    repo = repositories.repository_path(server and project.root, trainee.id, EXERCISE)
    assert repositories.head(repo) == sha
    assert project.submitted == [(trainee.id, EXERCISE, sha, "push")]
    # pulling again works and brings nothing new
    assert "up to date" in git_client.run("pull", cwd=work).stdout.lower()
