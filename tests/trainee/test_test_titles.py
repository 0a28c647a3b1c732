"""Tests are shown by task name with teaching hints: workspace check results, submission page, history."""
from tic_academy.extensions import db
from tic_academy.models import Exercise, Submission, TestResult

UNFILLED = {"code": "unfilled", "cell": "jawaban", "task": "Tugas 1 — Penjumlahan"}


def graded_submission(trainee):
    """A graded submission whose one test failed on an untouched answer cell."""
    exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "tambah"))
    submission = Submission(trainee_id=trainee.id, exercise=exercise, exercise_version=exercise.current_version,
                            answers={}, status="graded", auto_score=0.0, max_score=2.0)
    submission.test_results.append(TestResult(
        grade_id="tes-tambah", status="error", points=0, max_points=2, message="NotImplementedError: ",
        title="Tugas 1 — Penjumlahan", hint=UNFILLED))
    db.session.add(submission)
    db.session.commit()
    return submission


def test_submission_page_names_task_and_explains(client, trainee):
    """Does the submission page show the task name and "Sel jawaban ini belum diisi" instead of NotImplementedError?"""
    page = client.get(f"/peserta/pengumpulan/{graded_submission(trainee).id}").get_data(as_text=True)
    assert "Tugas 1 — Penjumlahan" in page
    assert "Sel jawaban ini belum diisi: jawaban (Tugas 1 — Penjumlahan)." in page
    assert "NotImplementedError: " not in page  # the stub code itself is shown, its error message is not


def test_polled_submission_json_has_title_and_worded_hint(client, trainee):
    """Does the workspace's polled submission carry the title and the worded hint?"""
    data = client.get(f"/peserta/api/pengumpulan/{graded_submission(trainee).id}").json
    [test] = data["tests"]
    assert test["title"] == "Tugas 1 — Penjumlahan"
    assert test["message"] == "Sel jawaban ini belum diisi: jawaban (Tugas 1 — Penjumlahan)."


def test_check_results_are_worded_for_the_workspace(client, trainee, fake_runner):
    """Are check results passed through the same wording (title, hint) before reaching the workspace?"""
    fake_runner.result = {**fake_runner.result, "tests": [
        {"grade_id": "tes-tambah", "status": "error", "points": 0, "max_points": 2, "message": "NotImplementedError: ",
         "title": "Tugas 1 — Penjumlahan", "hint": UNFILLED}]}
    response = client.post("/peserta/api/latihan/tambah/periksa", json={"answers": {}})
    [test] = response.json["tests"]
    assert (test["title"], test["message"]) == (
        "Tugas 1 — Penjumlahan", "Sel jawaban ini belum diisi: jawaban (Tugas 1 — Penjumlahan).")


def test_must_pass_exercise_is_marked_and_explains_the_locked_stage(client, trainee):
    """Is a must-pass exercise marked on the curriculum page, and named when the next stage stays locked?"""
    exercise = db.session.scalar(db.select(Exercise).where(Exercise.slug == "tambah"))
    exercise.must_pass = True
    db.session.commit()
    page = client.get("/peserta/kurikulum").get_data(as_text=True)
    assert "wajib tuntas" in page
    locked = client.get("/peserta/latihan/kurang")
    assert "harus mencapai batas tuntas sendiri: Tambah" in locked.get_data(as_text=True)
