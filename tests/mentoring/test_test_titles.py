"""The mentor review page lists tests by task name, with rule results like tests."""
from tests.mentoring.factories import make_submission
from tic_academy.extensions import db
from tic_academy.models import TestResult


def test_review_page_lists_tests_by_task_and_rules(world, client, auth):
    """Does the review page show a test's task name and a rule's message instead of bare grade_ids?"""
    submission = make_submission(world.trainee, world.exercise)
    db.session.add_all([
        TestResult(submission_id=submission.id, grade_id="tes-tambah", position=0, status="failed", points=0,
                   max_points=2, message="hasil harus 3", title="Tugas 1 — Penjumlahan"),
        TestResult(submission_id=submission.id, grade_id="rule:pakai-secrets", position=1, status="failed", points=0,
                   max_points=1, message="Pakai secrets.", title="Pakai secrets.",
                   hint={"code": "rule", "rule": "pakai-secrets", "message": {"id": "Pakai secrets."},
                         "cell": "jawaban", "line": 3}),
    ])
    db.session.commit()
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "Tugas 1 — Penjumlahan" in html and "hasil harus 3" in html
    assert "Pakai secrets." in html and "Tidak dipatuhi di sel jawaban jawaban, baris 3." in html
