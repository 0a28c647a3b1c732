"""services.projects: a repository per trainee and project, submitting commits, grading them."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.projects.helpers import push_files
from tic_academy.extensions import db
from tic_academy.grading import read_files
from tic_academy.models import ReviewItem, Submission
from tic_academy.services import exercise_access, projects, repositories
from tic_academy.services import ServiceError
from tic_academy.services.submissions import create_submission, grade_submission


@pytest.fixture
def root(app) -> Path:
    return Path(app.config["REPO_ROOT"])


def test_repository_is_created_from_the_template_on_first_use(world, root, shipped):
    """Does the owner get a repository whose first commit (by the platform) holds the template and no hidden test?"""
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    assert repo == repositories.repository_path(root, world["trainee"].id, world["exercise"].id)
    log = repositories.commit_log(repo)
    assert len(log) == 1 and log[0].author == "TIC Academy"
    files = repositories.git(repo, "ls-tree", "-r", "--name-only", "main").decode().split()
    assert set(files) == set(shipped.template)
    assert not {"tests/test_buat.py", "tests/fixtures.py"} & set(files)
    assert projects.repository_for(world["trainee"], world["exercise"].id, root) == repo
    assert len(repositories.commit_log(repo)) == 1


def test_repository_is_refused_to_everyone_else(world, root, make_user):
    """Is there no repository for a locked stage, a notebook exercise, a mentor, or a trainee of no cohort?"""
    trainee = world["trainee"]
    notebook = world["track"].stages[0].exercises[0]
    assert projects.repository_for(trainee, world["locked"].id, root) is None
    assert projects.repository_for(trainee, notebook.id, root) is None
    assert projects.repository_for(world["mentor"], world["exercise"].id, root) is None
    assert projects.repository_for(make_user(role="trainee"), world["exercise"].id, root) is None
    assert projects.repository_for(trainee, 99999, root) is None
    assert not root.exists() or not any(root.rglob("*.git"))


def test_submit_commit_records_before_grading_and_is_idempotent(world, root, shipped, runner_log):
    """Is a commit recorded once (queued, with its files) and handed to the runner once, however often it comes?"""
    trainee, exercise = world["trainee"], world["exercise"]
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = push_files(repo, shipped.solution)
    first = projects.submit_commit(trainee.id, exercise.id, sha, "push", root)
    again = projects.submit_commit(trainee.id, exercise.id, sha, "button", root)
    assert first is not None and again.id == first.id
    stored = db.session.get(Submission, first.id)
    assert (stored.status, stored.commit_sha, stored.via, stored.mode) == ("queued", sha, "push", "submit")
    assert stored.exercise_version_id == exercise.current_version_id
    assert "pengaduan/validasi.py" in read_files(stored.snapshot)
    assert runner_log == [first.id]
    count = db.session.scalar(select(func.count()).select_from(Submission).where(Submission.commit_sha == sha))
    assert count == 1


def test_submit_commit_refuses_what_is_not_a_commit_of_the_repository(world, root):
    """Are an unknown sha, a malformed sha, a bad 'via' and a notebook exercise refused (None)?"""
    trainee, exercise = world["trainee"], world["exercise"]
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = repositories.head(repo)
    assert projects.submit_commit(trainee.id, exercise.id, "0" * 40, "push", root) is None
    assert projects.submit_commit(trainee.id, exercise.id, "main", "push", root) is None
    assert projects.submit_commit(trainee.id, exercise.id, sha, "email", root) is None
    notebook = world["track"].stages[0].exercises[0]
    assert projects.submit_commit(trainee.id, notebook.id, sha, "push", root) is None
    assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


def test_a_project_is_not_submitted_as_notebook_answers(world):
    """Does the notebook submission path refuse a project exercise?"""
    with pytest.raises(ServiceError):
        create_submission(world["trainee"], world["exercise"], {})


@pytest.mark.kernel
def test_grading_a_project_submission_stores_results_from_the_database(world, root, shipped, runner_log, project_engine):
    """Is a project submission graded from its stored snapshot, with per-task results like a notebook's?"""
    trainee, exercise = world["trainee"], world["exercise"]
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = push_files(repo, shipped.wrong["daftar-tanpa-saring"] | {
        name: data for name, data in shipped.solution.items() if name != "pengaduan/penyimpanan.py"})
    submission = projects.submit_commit(trainee.id, exercise.id, sha, "push", root)
    repositories.git(repo, "update-ref", "-d", "refs/heads/main")  # the worker never needs the repository
    graded = grade_submission(submission.id, project_engine)
    assert (graded.status, graded.auto_score, graded.max_score) == ("graded", 12.0, 13.0)
    failed = [r.grade_id for r in graded.test_results if r.status != "passed"]
    assert failed == ["test_daftar.py::test_saring_menurut_status"]
    assert graded.test_results[0].title == "Membuat pengaduan (201 dan id berurutan)"
    assert graded.integrity_status == "clear" and graded.executed_notebook is None
    assert grade_submission(submission.id, project_engine).id == graded.id  # idempotent
    _, stages = exercise_access.trainee_progress(trainee.id)
    row = next(r for stage in stages for r in stage.exercises if r.exercise.id == exercise.id)
    assert (row.best_score, row.max_score) == (12.0, 13.0)  # progress reads it like a notebook's


@pytest.mark.kernel
def test_tampering_holds_the_score_for_the_mentor(world, root, shipped, runner_log, project_engine):
    """Does a planted conftest.py hold the submission and put a flagged item in the mentor's queue?"""
    trainee, exercise = world["trainee"], world["exercise"]
    repo = projects.repository_for(trainee, exercise.id, root)
    sha = push_files(repo, {"conftest.py": b"def pytest_collection_modifyitems(items):\n    items.clear()\n"})
    submission = grade_submission(projects.submit_commit(trainee.id, exercise.id, sha, "button", root).id, project_engine)
    assert submission.auto_score == 0 and submission.held
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.submission_id == submission.id))
    assert (item.kind, item.mentor_id) == ("flagged", world["mentor"].id)
