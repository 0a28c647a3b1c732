"""Point cost: hints revealed before a submission take their share off their task, and the mentor sees it."""
import nbformat
import pytest

from tic_academy.extensions import db
from tic_academy.grading import GradingResult
from tic_academy.grading.scoring import TestResult
from tic_academy.models import HintReveal
from tic_academy.services import hints, notebooks
from tic_academy.services.submissions import create_submission, grade_submission

from .conftest import FIRST, use_hints

ANSWERS = {"jawaban": "def tambah(a, b):\n    return a + b", "jawaban-dua": "kali = 42"}


class FakeEngine:
    """Answers every grading with "tes-tambah" (2 points) and "tes-dua" (3 points) at the given points."""

    def __init__(self, tambah: float = 2.0, dua: float = 3.0):
        self.tambah, self.dua = tambah, dua

    def grade(self, *args, **kwargs):
        tests = [TestResult("tes-tambah", "passed" if self.tambah else "failed", self.tambah, 2.0, None),
                 TestResult("tes-dua", "passed" if self.dua else "failed", self.dua, 3.0, None)]
        return GradingResult(mode="submit", score=self.tambah + self.dua, max_score=5.0, tests=tests, flags=[], notes=[],
                             duration_s=0.1, cells=[], notebook=nbformat.v4.new_notebook())


def reveal(trainee, exercise, count: int) -> None:
    """Reveal the first ``count`` hints of "tes-tambah"."""
    task_hints = notebooks.of_version(exercise.current_version).task_hints
    for number in range(1, count + 1):
        hints.reveal_hint(trainee.id, exercise, task_hints, "tes-tambah", number)


def graded(trainee, exercise, engine=None):
    """Submit the answers and grade them with the fake engine; the stored submission."""
    submission = create_submission(trainee, exercise, ANSWERS)
    return grade_submission(submission.id, engine or FakeEngine())


def test_free_hints_cost_nothing_but_are_counted(trainee, exercise):
    """Do free hints leave the score whole and still say how many were used?"""
    reveal(trainee, exercise, 2)
    submission = graded(trainee, exercise)
    assert submission.auto_score == 5.0
    assert submission.feedback["hints"] == {"used": 2, "total": 3, "points": 0.0, "tasks": {}}


@pytest.mark.parametrize("cost, count, expected", [(0.1, 1, 4.8), (0.1, 3, 4.4), (0.3, 2, 3.8), (0.0, 3, 5.0)])
def test_costly_hints_take_their_share_of_that_task_only(trainee, exercise, cost, count, expected):
    """Does each hint take its share of "tes-tambah"'s 2 points and nothing of "tes-dua"?"""
    use_hints(exercise, cost)
    reveal(trainee, exercise, count)
    submission = graded(trainee, exercise)
    assert submission.auto_score == pytest.approx(expected)
    assert submission.score == pytest.approx(expected)  # the score that counts for progress follows
    assert set(submission.feedback["hints"]["tasks"]) <= {"tes-tambah"}
    assert [t.points for t in submission.test_results] == [2.0, 3.0]  # the tests' own results stay as graded


def test_a_task_scored_zero_loses_nothing_more(trainee, exercise):
    """When the hinted task failed anyway, is nothing taken off the other task?"""
    use_hints(exercise, 0.3)
    reveal(trainee, exercise, 3)
    submission = graded(trainee, exercise, FakeEngine(tambah=0.0))
    assert submission.auto_score == 3.0 and submission.feedback["hints"]["points"] == 0.0


def test_hints_revealed_after_the_submission_do_not_count_even_on_regrade(trainee, exercise):
    """Does a regrade apply the reveals made before the submission, and only those?"""
    use_hints(exercise, 0.1)
    reveal(trainee, exercise, 1)
    submission = graded(trainee, exercise)
    assert submission.auto_score == pytest.approx(4.8)
    reveal(trainee, exercise, 2)  # the second hint comes after this submission
    assert db.session.get(HintReveal, 2).revealed_at > submission.created_at
    submission.status = "queued"  # an admin's regrade puts it back in the queue
    db.session.commit()
    regraded = grade_submission(submission.id, FakeEngine())
    assert regraded.auto_score == pytest.approx(4.8)
    assert regraded.feedback["hints"]["used"] == 1
    assert graded(trainee, exercise).auto_score == pytest.approx(4.6)  # a new submission pays for both


def test_trainee_result_and_mentor_review_show_hints_used(client, auth, trainee, mentor, exercise):
    """Do the trainee's result and the mentor's review page say "Petunjuk dipakai: 2 dari 3 (−0,4 poin)"?"""
    use_hints(exercise, 0.1)
    reveal(trainee, exercise, 2)
    submission = graded(trainee, exercise)
    auth.login(trainee)
    assert "Petunjuk dipakai: 2 dari 3 (−0,4 poin)" in client.get(f"/peserta/api/pengumpulan/{submission.id}").json["notes"]
    auth.logout()
    auth.login(mentor)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "Petunjuk dipakai: 2 dari 3 (−0,4 poin)" in html
    assert FIRST in html and "2 dari 3 dibuka" in html


def test_review_page_shows_free_hints_too(client, auth, trainee, mentor, exercise):
    """Are free hints shown to the mentor as used (gratis)?"""
    reveal(trainee, exercise, 1)
    submission = graded(trainee, exercise)
    auth.login(mentor)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "Petunjuk dipakai: 1 dari 3 (gratis)" in html and FIRST in html and "menjumlahkan" not in html
