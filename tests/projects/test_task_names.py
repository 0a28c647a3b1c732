"""Project results in the reader's language: task names (id/en from project.yaml) and grading messages as codes."""
from pathlib import Path

import pytest
from flask_babel import force_locale

from tests.projects.helpers import push_files
from tic_academy.extensions import db
from tic_academy.grading import SNAPSHOT_CAP, too_large
from tic_academy.grading.project import ProjectSpec, score_report
from tic_academy.models import Submission
from tic_academy.services import projects
from tic_academy.services.submissions import grade_submission
from tic_academy.services.test_display import message_text, shown_test

PAGE = "/peserta/latihan/pengaduan"


def test_shown_test_gives_the_task_name_in_the_readers_language(app):
    """Is a project task shown by its English name in English, its Indonesian one otherwise (and as a fallback)?"""
    row = {"grade_id": "test_a.py::test_x", "status": "passed", "points": 1, "max_points": 1, "message": None,
           "title": "Validasi data pengaduan", "title_en": "Validating complaint data"}
    with app.test_request_context():
        with force_locale("en"):
            assert shown_test(row)["title"] == "Validating complaint data"
            assert shown_test({**row, "title_en": ""})["title"] == "Validasi data pengaduan"
        with force_locale("id"):
            assert shown_test(row)["title"] == "Validasi data pengaduan"


def test_scoring_keeps_both_task_names_and_stores_codes():
    """Does score_report keep each task's id and en names, and give codes (no sentences) for what went wrong?"""
    spec = ProjectSpec(points={"test_a.py::test_x": {"points": 1, "task": {"id": "Tugas A", "en": "Task A"}},
                               "test_a.py::test_y": {"points": 1, "task": {"id": "Tugas B", "en": "Task B"}},
                               "test_a.py::test_z": {"points": 1, "task": {"id": "Tugas C", "en": "Task C"}}},
                       hidden={"test_a.py": "def test_x():\n    pass\n"})
    events = [{"event": "collected", "tests": [{"id": "test_a.py::test_x", "markers": []},
                                               {"id": "test_a.py::test_y", "markers": []}]},
              {"event": "test", "id": "test_a.py::test_x", "outcome": "failed", "type": "AssertionError",
               "message": "assert 404 == 201"},
              {"event": "test", "id": "test_a.py::test_y", "outcome": "skipped", "type": "", "message": ""}]
    tests, notes, flags = score_report(spec, events, None)
    assert [(t.title, t.title_en) for t in tests] == [("Tugas A", "Task A"), ("Tugas B", "Task B"), ("Tugas C", "Task C")]
    assert [t.message for t in tests] == [
        {"code": "exception", "params": {"ename": "AssertionError", "evalue": "assert 404 == 201"}},
        {"code": "project_skipped", "params": {}},
        {"code": "project_missing_test", "params": {}},
    ]
    assert notes == [{"code": "project_incomplete", "params": {}}] and flags == []


def test_project_messages_read_in_both_languages(app):
    """Do the project codes read in Indonesian and in English?"""
    with app.test_request_context():
        with force_locale("id"):
            assert message_text(too_large(SNAPSHOT_CAP)).startswith("Isi commit terlalu besar")
            assert "ditanam" in message_text({"code": "flag_config", "params": {"name": "conftest.py"}})
        with force_locale("en"):
            assert message_text(too_large(SNAPSHOT_CAP)).startswith("The commit is too large")
            assert "planted" in message_text({"code": "flag_config", "params": {"name": "conftest.py"}})


@pytest.fixture
def trainee_client(client, auth, world):
    auth.login(world["trainee"])
    return client


def _set_locale(user, locale: str) -> None:
    """Save a user's language (what the profile page does)."""
    user.locale = locale
    db.session.commit()


@pytest.mark.kernel
def test_project_page_and_mentor_page_show_task_names_in_both_languages(trainee_client, client, auth, world, app,
                                                                        shipped, project_engine, runner_log):
    """After a graded push, do the trainee's and the mentor's pages name the tasks in each one's language?"""
    root = Path(app.config["REPO_ROOT"])
    trainee_client.get(PAGE)
    repo = projects.repository_for(world["trainee"], world["exercise"].id, root)
    sha = push_files(repo, shipped.wrong["kategori-tidak-diperiksa"] | {
        name: data for name, data in shipped.solution.items() if name != "pengaduan/validasi.py"})
    submission = projects.submit_commit(world["trainee"].id, world["exercise"].id, sha, "push", root)
    graded = grade_submission(submission.id, project_engine)
    assert graded.test_results[0].title_en == "Create a complaint (201 and sequential ids)"

    html = trainee_client.get(PAGE).get_data(as_text=True)
    assert "Validasi data pengaduan" in html and "Validating complaint data" not in html
    _set_locale(world["trainee"], "en")
    html = trainee_client.get(PAGE).get_data(as_text=True)
    assert "Validating complaint data" in html and "Validasi data pengaduan" not in html
    history = trainee_client.get(PAGE + "/riwayat").get_data(as_text=True)
    assert "Validating complaint data" in history

    auth.logout()
    auth.login(world["mentor"])
    html = client.get(f"/mentor/pengumpulan/{graded.id}").get_data(as_text=True)
    assert "Validasi data pengaduan" in html and "Validating complaint data" not in html
    _set_locale(world["mentor"], "en")
    html = client.get(f"/mentor/pengumpulan/{graded.id}").get_data(as_text=True)
    assert "Validating complaint data" in html and "Validasi data pengaduan" not in html


def test_a_refused_commit_says_why_in_the_readers_language(trainee_client, world, app):
    """Does a commit refused as too large show its reason (a code) in Indonesian, then in English?"""
    trainee_client.get(PAGE)
    exercise = world["exercise"]
    db.session.add(Submission(trainee_id=world["trainee"].id, exercise=exercise, exercise_version=exercise.current_version,
                              answers={}, mode="submit", status="failed", commit_sha="a" * 40, via="push",
                              error=too_large(SNAPSHOT_CAP)))
    db.session.commit()
    assert "Isi commit terlalu besar" in trainee_client.get(PAGE).get_data(as_text=True)
    _set_locale(world["trainee"], "en")
    html = trainee_client.get(PAGE).get_data(as_text=True)
    assert "The commit is too large to grade" in html and "{&#39;code&#39;" not in html
