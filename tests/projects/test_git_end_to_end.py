"""A project exercise end to end: a real git client against the app on a free port, the real projects
service and the local runner (no stand-ins): open the page, clone with a token, push, graded, shown."""
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.gitserve.conftest import GitClient, clone_url, make_token, server  # noqa: F401 - server is a fixture
from tests.projects.conftest import HIDDEN_LINE
from tests.projects.helpers import served_app_config
from tests.projects.test_grading import CONFTEST_ALL_PASSED
from tests.runners.test_local_runner import wait_for
from tests.trainee.conftest import enroll
from tic_academy.extensions import db
from tic_academy.models import Enrollment, Submission
from tic_academy.services import dashboards, progress, projects, repositories

pytestmark = pytest.mark.kernel

PAGE = "/peserta/latihan/pengaduan"
FULL = 13.0


@pytest.fixture
def app_config(app_config, tmp_path):
    """A database file the server's and the runner's threads share, the local runner, no warm kernels."""
    return served_app_config(app_config, tmp_path)


@pytest.fixture
def opened(client, auth, world, server):  # noqa: F811 - the fixture imported above
    """The trainee opened the exercise page (their repository is made from the template) and holds a token."""
    auth.login(world["trainee"])
    assert client.get(PAGE).status_code == 200
    return {"token": make_token(world["trainee"]), "url": server}


def clone_and_push(git: GitClient, url: str, files: dict[str, bytes], message: str) -> str:
    """Clone, write the files, commit them and push to main; the pushed sha."""
    git.run("clone", "-q", url, "kerja")
    work = git.home / "kerja"
    for name, data in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(data)
    git.run("add", "-A", cwd=work)
    git.run("commit", "-q", "-m", message, cwd=work)
    git.run("push", "-q", "origin", "main", cwd=work)
    return git.run("rev-parse", "HEAD", cwd=work).stdout.strip()


def pushed_submission(trainee_id: int, exercise_id: int, sha: str) -> Submission:
    """The submission the push recorded for this sha, once the local runner has graded it."""
    submission = projects.submission_for_commit(trainee_id, exercise_id, sha)
    assert submission is not None and submission.via == "push"
    return wait_for(submission.id, timeout=120)


def test_push_the_solution_is_graded_and_shown_everywhere(client, app, world, shipped, opened, tmp_path):
    """Clone with a token, push the solution: full marks for that sha, in history, progress and dashboards."""
    trainee, exercise = world["trainee"], world["exercise"]
    git = GitClient(tmp_path / "peserta")
    url = clone_url(opened["url"], trainee.id, exercise.id, opened["token"])
    sha = clone_and_push(git, url, shipped.solution, "Selesaikan semua tugas")
    repo = repositories.repository_path(Path(app.config["REPO_ROOT"]), trainee.id, exercise.id)
    assert repositories.head(repo) == sha

    graded = pushed_submission(trainee.id, exercise.id, sha)
    assert (graded.status, graded.commit_sha, graded.auto_score, graded.max_score) == ("graded", sha, FULL, FULL)
    assert graded.flags == [] and graded.integrity_status == "clear"

    history = client.get(PAGE + "/riwayat").get_data(as_text=True)
    assert "Validasi data pengaduan" in history and "13 / 13" in re.sub(r"\s+", " ", history)
    page = client.get(PAGE).get_data(as_text=True)
    assert sha[:8] in page and HIDDEN_LINE not in page

    stages = progress.track_progress(trainee.id, world["track"])
    row = next(row for stage in stages for row in stage.exercises if row.exercise.id == exercise.id)
    assert (row.best_score, row.max_score) == (FULL, FULL)

    dashboards.clear_figures_cache()
    cohort = db.session.scalar(select(Enrollment).where(Enrollment.trainee_id == trainee.id)).cohort
    figures = dashboards.load_cohort(cohort)
    mine = next(line for line in figures.trainees if line.trainee_id == trainee.id)
    assert mine.points == FULL and mine.last_submission_at is not None


def test_a_planted_conftest_pushed_over_the_template_scores_nothing_and_is_flagged(app, world, opened, tmp_path):
    """Does a pushed conftest.py that marks every test passed leave the template's score at 0, held for a mentor?"""
    trainee, exercise = world["trainee"], world["exercise"]
    git = GitClient(tmp_path / "curang")
    url = clone_url(opened["url"], trainee.id, exercise.id, opened["token"])
    sha = clone_and_push(git, url, {"conftest.py": CONFTEST_ALL_PASSED.encode(),
                                    "tests/conftest.py": CONFTEST_ALL_PASSED.encode()}, "Semua lulus")
    graded = pushed_submission(trainee.id, exercise.id, sha)
    assert graded.status == "graded" and graded.auto_score == 0
    assert "planted_config" in {flag["code"] for flag in graded.flags}
    assert graded.integrity_status == "held"
    found = [flag["message"] for flag in graded.flags if flag["code"] == "planted_config"]
    assert {"code": "flag_config", "params": {"name": "conftest.py"}} in found


def test_another_trainees_repository_is_not_found(app, client, auth, make_user, world, opened, tmp_path):
    """With a valid token of their own, is another trainee's (existing) repository a 404 to clone and push?"""
    other = make_user(role="trainee")
    enroll(other, world["track"])
    other_repo = projects.repository_for(other, world["exercise"].id, Path(app.config["REPO_ROOT"]))
    assert other_repo is not None and repositories.head(other_repo)
    before = repositories.head(other_repo)
    git = GitClient(tmp_path / "penyusup")
    theirs = clone_url(opened["url"], other.id, world["exercise"].id, opened["token"])
    done = git.run("clone", theirs, "x", check=False)
    assert done.returncode != 0 and "not found" in done.stderr  # git says so for an HTTP 404
    git.run("clone", "-q", clone_url(opened["url"], world["trainee"].id, world["exercise"].id, opened["token"]), "own")
    done = git.run("push", theirs, "main", cwd=git.home / "own", check=False)
    assert done.returncode != 0 and "not found" in done.stderr  # git says so for an HTTP 404
    assert repositories.head(other_repo) == before
    assert projects.submission_for_commit(other.id, world["exercise"].id, before) is None
