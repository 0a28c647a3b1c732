"""Stage sign-off: requested when the threshold is met, approval opens the next stage."""
import pytest
from sqlalchemy import select

from tests.mentoring.factories import enroll, first_exercise, make_submission, make_track
from tic_academy.extensions import db
from tic_academy.models import SignOff
from tic_academy.models.mentoring import ReviewItem
from tic_academy.services import ServiceError, review_queue, reviews
from tic_academy.services.progress import LOCKED, OPEN, PASSED, track_progress


@pytest.fixture
def signoff_world(app, make_user):
    """A track whose first stage needs a mentor's sign-off, and an enrolled trainee."""
    track = make_track(signoff_first_stage=True)
    mentor = make_user(role="mentor")
    trainee = make_user(role="trainee")
    enroll(trainee, mentor, track)
    return track, mentor, trainee


def states(trainee, track):
    """The state of each stage for the trainee."""
    return [stage.state for stage in track_progress(trainee.id, track)]


def test_threshold_met_requests_signoff_and_approval_opens_next_stage(signoff_world):
    """Does meeting a sign-off stage's threshold queue a sign-off, and does approving it open the next stage?"""
    track, mentor, trainee = signoff_world
    review_queue.on_submission_graded(make_submission(trainee, first_exercise(track), score=2.0))
    signoff = db.session.scalar(select(SignOff).where(SignOff.trainee_id == trainee.id))
    assert signoff.status == "requested"
    [item] = db.session.scalars(select(ReviewItem).where(ReviewItem.kind == "signoff")).all()
    assert item.mentor_id == mentor.id and item.signoff_id == signoff.id
    assert states(trainee, track) == [OPEN, LOCKED]

    reviews.decide_signoff(signoff, mentor, approve=True, comment="Bagus.")
    assert states(trainee, track) == [PASSED, OPEN]
    assert item.status == "done" and item.resolved_by_id == mentor.id


def test_below_threshold_no_signoff(signoff_world):
    """Is no sign-off requested while the threshold is not met?"""
    track, _, trainee = signoff_world
    review_queue.on_submission_graded(make_submission(trainee, first_exercise(track), score=1.0))
    assert db.session.scalar(select(SignOff)) is None


def test_send_back_needs_a_comment_and_keeps_the_stage_closed(signoff_world):
    """Does sending a stage back need a comment, keep the next stage locked, and re-request after a new submission?"""
    track, mentor, trainee = signoff_world
    exercise = first_exercise(track)
    review_queue.on_submission_graded(make_submission(trainee, exercise))
    signoff = db.session.scalar(select(SignOff))
    with pytest.raises(ServiceError):
        reviews.decide_signoff(signoff, mentor, approve=False, comment="")
    reviews.decide_signoff(signoff, mentor, approve=False, comment="Perbaiki penamaan.")
    assert signoff.status == "returned" and states(trainee, track) == [OPEN, LOCKED]
    with pytest.raises(ServiceError):
        reviews.decide_signoff(signoff, mentor, approve=True)

    review_queue.on_submission_graded(make_submission(trainee, exercise))
    assert signoff.status == "requested"
    assert len(db.session.scalars(select(ReviewItem).where(ReviewItem.kind == "signoff")).all()) == 2


def test_signoff_page_approves_through_the_browser_form(signoff_world, client, auth):
    """Can the trainee's mentor approve on the sign-off page, and does another mentor get 403?"""
    track, mentor, trainee = signoff_world
    review_queue.on_submission_graded(make_submission(trainee, first_exercise(track)))
    signoff = db.session.scalar(select(SignOff))
    auth.login(mentor)
    page = client.get(f"/mentor/tahap/{signoff.id}")
    assert page.status_code == 200 and "Tahap 1" in page.get_data(as_text=True)
    response = client.post(f"/mentor/tahap/{signoff.id}/keputusan", data={"approve": "1", "comment": ""})
    assert response.status_code == 302
    db.session.refresh(signoff)
    assert signoff.status == "approved"


def test_other_mentor_cannot_decide_signoff(signoff_world, client, auth, make_user):
    """Is a mentor who does not follow the trainee refused the sign-off page?"""
    track, _, trainee = signoff_world
    review_queue.on_submission_graded(make_submission(trainee, first_exercise(track)))
    signoff = db.session.scalar(select(SignOff))
    auth.login(make_user(role="mentor"))
    assert client.get(f"/mentor/tahap/{signoff.id}").status_code == 403
    assert client.post(f"/mentor/tahap/{signoff.id}/keputusan", data={"approve": "1"}).status_code == 403
    db.session.refresh(signoff)
    assert signoff.status == "requested"
