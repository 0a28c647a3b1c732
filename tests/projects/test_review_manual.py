"""Manual tasks of a project (points and a rubric in project.yaml): authoring, the review queue and the review page."""
import shutil

import pytest
from sqlalchemy import select

from tests.projects.conftest import PROJECT_DIR, read_project
from tests.projects.test_review import submit
from tic_academy.curriculum.projects import ProjectFile, load_project
from tic_academy.extensions import db
from tic_academy.models.mentoring import ManualGrade, ReviewItem
from tic_academy.services import ServiceError, review_queue, reviews

MANUAL = """
manual:
  kerapian-kode:
    points: 3
    task: {id: Kerapian dan keterbacaan kode, en: Code tidiness and readability}
    rubric: |
      3: nama jelas, fungsi pendek, tanpa kode mati
      1: sebagian sulit dibaca
"""


@pytest.fixture
def with_manual(tmp_path, world):
    """The shipped project with a manual task added, stored as the exercise's version spec."""
    folder = tmp_path / "layanan-pengaduan"
    shutil.copytree(PROJECT_DIR, folder)
    (folder / "project.yaml").write_text((PROJECT_DIR / "project.yaml").read_text(encoding="utf-8") + MANUAL,
                                         encoding="utf-8")
    project = read_project(folder)
    world["exercise"].current_version.source = project.spec.to_json()
    db.session.commit()
    return project


def test_the_manual_task_is_read_from_project_yaml(with_manual):
    """Does project.yaml's manual section reach the spec (points, name, rubric), apart from the tested points?"""
    task = with_manual.spec.manual["kerapian-kode"]
    assert task["points"] == 3 and task["task"]["id"] == "Kerapian dan keterbacaan kode"
    assert task["rubric"].startswith("3: nama jelas")
    assert "kerapian-kode" not in with_manual.spec.points


def test_a_manual_task_without_a_rubric_is_refused(tmp_path):
    """Does validation refuse a manual task that has no rubric?"""
    folder = tmp_path / "layanan-pengaduan"
    shutil.copytree(PROJECT_DIR, folder)
    (folder / "project.yaml").write_text((PROJECT_DIR / "project.yaml").read_text(encoding="utf-8")
                                         + "\nmanual:\n  gaya:\n    points: 1\n    task: {id: Gaya, en: Style}\n",
                                         encoding="utf-8")
    problems = load_project(ProjectFile("t", "s", {"id": "p", "project": folder.name}, folder, folder.name))
    assert any("rubric" in str(problem) for problem in problems), problems


def test_manual_task_is_queued_shown_and_graded(client, auth, app, world, with_manual, runner_log):
    """Does a graded project with a manual task wait for manual grading, show the rubric and take points?"""
    submission = submit(app, world, {"catatan.md": b"satu\n"})
    review_queue.on_submission_graded(submission)
    kinds = db.session.scalars(select(ReviewItem.kind).where(ReviewItem.submission_id == submission.id)).all()
    assert "manual_grading" in kinds
    auth.login(world["mentor"])
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert 'name="grade-kerapian-kode"' in html and "Kerapian dan keterbacaan kode" in html
    assert "3: nama jelas" in html
    with pytest.raises(ServiceError):
        reviews.decide(submission, world["mentor"], "approved", grades={"kerapian-kode": 4})
    assert db.session.scalar(select(ManualGrade.id)) is None
    response = client.post(f"/mentor/pengumpulan/{submission.id}/keputusan",
                           data={"decision": "changes_requested", "grade-kerapian-kode": "2", "summary": "Rapikan."})
    assert response.status_code == 302
    [grade] = db.session.scalars(select(ManualGrade)).all()
    assert (grade.grade_id, grade.points, grade.max_points) == ("kerapian-kode", 2.0, 3.0)


def test_a_project_without_manual_tasks_keeps_its_stored_spec(shipped):
    """Is the spec JSON of a project without manual tasks unchanged (no "manual" key, old versions read)?"""
    assert '"manual"' not in shipped.spec.to_json()
    assert type(shipped.spec).from_json(shipped.spec.to_json()).manual == {}
