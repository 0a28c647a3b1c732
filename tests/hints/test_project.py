"""Hints on project tasks: project.yaml's hints are checked by validate and revealed on the project page."""
import shutil

import pytest
import yaml
from sqlalchemy import select

from tests.projects.conftest import PROJECT_DIR, add_project_exercise, read_project
from tests.trainee.conftest import build_curriculum, enroll
from tic_academy.curriculum.projects import ProjectFile, load_project
from tic_academy.extensions import db
from tic_academy.grading.project import ProjectResult
from tic_academy.grading.scoring import TestResult
from tic_academy.models import HintReveal, Submission
from tic_academy.services import hints, notebooks
from tic_academy.services.submissions import grade_submission

TASK = "marker:validasi"


def project_with_hints(tmp_path, hints, cost=0.0, key=TASK):
    """A copy of the shipped project whose points entry ``key`` carries these hints; the folder."""
    folder = tmp_path / "layanan-pengaduan"
    shutil.copytree(PROJECT_DIR, folder)
    data = yaml.safe_load((PROJECT_DIR / "project.yaml").read_text(encoding="utf-8"))
    data["points"].setdefault(key, {"points": 1, "task": {"id": "Tidak ada"}}).update({"hints": hints, "hint_cost": cost})
    (folder / "project.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def problems_of(folder) -> list[str]:
    """The problems validate finds in a project folder, as text."""
    return [str(problem) for problem in load_project(ProjectFile("t", "s", {"id": "p", "project": folder.name},
                                                                 folder, folder.name))]


def test_project_hints_are_validated(tmp_path):
    """Are a project task's malformed hints refused with the task named, and good ones accepted?"""
    assert problems_of(project_with_hints(tmp_path / "a", [{"text": "Baca pesan 422."}], 0.2)) == []
    found = problems_of(project_with_hints(tmp_path / "b", [{"text": ""}, {"text": "ok"}], 0.6))
    assert any(TASK in p and "petunjuk 1: text kosong" in p for p in found), found
    assert any(TASK in p and "melebihi seluruh poin tugas" in p for p in found), found
    folder = project_with_hints(tmp_path / "c", [{"text": "x"}])
    with (folder / "project.yaml").open("a", encoding="utf-8") as yaml_file:
        yaml_file.write("hints:\n  tidak_ada.py::test_x: [{text: di luar tugas}]\n")
    assert any("hints" in p for p in problems_of(folder)), "hints outside a points entry must be refused"


@pytest.fixture
def project_world(app, make_user, tmp_path):
    """The project exercise with two hints on its validation task, in an open stage; an enrolled trainee."""
    shipped = read_project(project_with_hints(tmp_path, [{"text": "PETUNJUK-SATU"}, {"text": "PETUNJUK-DUA"}], 0.1))
    track = build_curriculum()
    exercise = add_project_exercise(track.stages[0], shipped)
    trainee = make_user(role="trainee")
    enroll(trainee, track, mentor=make_user(role="mentor"))
    return exercise, trainee


@pytest.fixture
def app_config(app_config, tmp_path):
    """Repositories under this test's folder."""
    return {**app_config, "REPO_ROOT": str(tmp_path / "repos")}


def test_project_page_reveals_hints_in_order_without_script(client, auth, project_world):
    """Does the project page offer "Lihat petunjuk 1 dari 2" with its cost, and reveal it by a plain form?"""
    exercise, trainee = project_world
    auth.login(trainee)
    html = client.get("/peserta/latihan/pengaduan").get_data(as_text=True)
    assert "Lihat petunjuk 1 dari 2" in html and "Validasi data pengaduan" in html
    assert "Petunjuk ini mengurangi 10% poin tugas ini" in html and "PETUNJUK-SATU" not in html
    response = client.post("/peserta/latihan/pengaduan/petunjuk", data={"task": TASK, "number": 1, "confirm": "1"})
    assert response.status_code == 302
    html = client.get("/peserta/latihan/pengaduan").get_data(as_text=True)
    assert "PETUNJUK-SATU" in html and "PETUNJUK-DUA" not in html and "Lihat petunjuk 2 dari 2" in html
    row = db.session.scalar(select(HintReveal))
    assert (row.task_key, row.hint_index, row.cost_share, row.exercise_id) == (TASK, 0, 0.1, exercise.id)


class FakeProjectEngine:
    """Grades every commit as passing each points entry of the spec (no sandbox)."""

    def grade_project(self, spec, snapshot, limits=None):
        tests = [TestResult(key, "passed", float(entry["points"]), float(entry["points"]), None)
                 for key, entry in spec.points.items()]
        return ProjectResult("submit", sum(t.points for t in tests), sum(t.max_points for t in tests), tests, [], [], 0.1)


def test_project_hint_cost_comes_off_that_task(project_world):
    """Does a project submission after two 10% hints on a 3-point task lose 0.6 points, and only there?"""
    exercise, trainee = project_world
    task_hints = notebooks.of_version(exercise.current_version).task_hints
    assert set(task_hints) == {TASK} and task_hints[TASK].points == 3
    hints.reveal_hint(trainee.id, exercise, task_hints, TASK, 1)
    hints.reveal_hint(trainee.id, exercise, task_hints, TASK, 2)
    submission = Submission(trainee=trainee, exercise=exercise, exercise_version=exercise.current_version,
                            answers={}, mode="submit", status="queued", commit_sha="a" * 40, snapshot=b"")
    db.session.add(submission)
    db.session.commit()
    graded = grade_submission(submission.id, FakeProjectEngine())
    assert graded.status == "graded", graded.error
    assert graded.auto_score == pytest.approx(graded.max_score - 0.6)
    assert graded.feedback["hints"]["tasks"] == {TASK: pytest.approx(0.6)}
