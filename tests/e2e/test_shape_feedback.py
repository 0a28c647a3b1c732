"""Browser: a mentor saves feedback for an answer shape, and on another answer of that shape
"Pakai umpan balik ini" fills the review's summary (JavaScript, no page load) without sending anything.

Uses a mentor and two trainees of its own (no other journey sees them).
"""
import pytest
from sqlalchemy import func, select

from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e

MENTOR = "mentor.bentuk@contoh.test"
FEEDBACK = "Sudah benar. Coba beri nama variabel yang lebih jelas untuk luas wilayah."


def two_answers_of_one_shape(live_app) -> tuple[int, int]:
    """A mentor of their own (a cohort of two trainees, so no other journey sees them) and two graded answers to
    the first exercise that differ only in comments and spacing; returns the two submissions' ids."""
    from tic_academy.extensions import db
    from tic_academy.models import Cohort, Enrollment, Opd, Submission, Track, User
    from tic_academy.services import notebooks, shapes
    from tic_academy.services.accounts import hash_password
    from tic_academy.services.settings import ServiceSettings
    from tic_academy.clock import today_wib
    from tests.conftest import DEFAULT_PASSWORD

    with live_app.app_context():
        password = hash_password(DEFAULT_PASSWORD, ServiceSettings.from_config(live_app.config))
        opd = db.session.scalars(select(Opd)).first()
        mentor = User(email=MENTOR, full_name="Mentor Bentuk", role="mentor", password_hash=password)
        track = db.session.scalars(select(Track)).first()
        cohort = Cohort(name="Angkatan Uji Bentuk", track=track, start_date=today_wib(), status="running")
        exercise = track.stages[0].exercises[0]
        book = notebooks.of_version(exercise.current_version)
        ids = []
        for n, note in enumerate(("", "# sudah dicoba\n\n")):
            trainee = User(email=f"peserta.bentuk{n}@contoh.test", full_name=f"Peserta Bentuk {n}", role="trainee",
                           opd=opd, password_hash=password)
            db.session.add_all([mentor, cohort, trainee, Enrollment(cohort=cohort, trainee=trainee, mentor=mentor)])
            answers = {cell.grade_id: note + cell.starter for cell in book.answer_cells}
            submission = Submission(trainee=trainee, exercise=exercise, exercise_version=exercise.current_version,
                                    answers=answers, mode="submit", status="graded", auto_score=0.0,
                                    max_score=exercise.current_version.max_score)
            db.session.add(submission)
            db.session.flush()
            shapes.record_shape(submission)
            ids.append(submission.id)
        db.session.commit()
        return ids[0], ids[1]


def review_count(live_app) -> int:
    """How many mentor decisions exist."""
    from tic_academy.extensions import db
    from tic_academy.models.mentoring import Review

    with live_app.app_context():
        return db.session.scalar(select(func.count(Review.id)))


def test_saved_shape_feedback_is_offered_and_fills_the_summary(page, live_app):
    """Does "Pakai umpan balik ini" put saved feedback into the summary box on a same-shape answer, sending nothing?"""
    first, second = two_answers_of_one_shape(live_app)
    log_in(page, MENTOR)
    page.goto(f"/mentor/pengumpulan/{first}")
    assert "jawaban lain berbentuk sama" in page.inner_text("#shape-count")
    page.fill("#shape-feedback-body", FEEDBACK)
    page.click("#shape-feedback-form button[type=submit]")
    page.wait_for_url(f"**/mentor/pengumpulan/{first}*")
    assert FEEDBACK in page.inner_text("#answer-shape")

    reviews_before = review_count(live_app)
    page.goto(f"/mentor/pengumpulan/{second}")
    assert page.input_value("#summary") == ""
    page.click("#answer-shape [data-use-feedback]")
    assert page.input_value("#summary") == FEEDBACK
    assert page.url.endswith(f"/mentor/pengumpulan/{second}")  # filled in place, no page load
    screenshot(page, "mentor-shape-feedback")
    assert review_count(live_app) == reviews_before

    # Tidy up for the other journeys: the mentor deletes the saved feedback.
    page.click("#answer-shape form[action*='/hapus'] button[type=submit]")
    page.wait_for_url(f"**/mentor/pengumpulan/{second}*")
    assert FEEDBACK not in page.inner_text("#answer-shape")
