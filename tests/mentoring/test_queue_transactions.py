"""The queue and review services validate before they change anything and commit themselves; a refusal changes nothing."""
import pytest
from sqlalchemy import func, select

from tests.mentoring.factories import make_submission
from tic_academy.extensions import db
from tic_academy.models import AuditEvent, SignOff
from tic_academy.models.mentoring import ManualGrade, Message, Review, ReviewItem, ScoreOverride
from tic_academy.services import ServiceError, review_queue, reviews


def queue_rows():
    """Every queue item's (id, status, resolved_by) and the number of thread messages, as stored."""
    items = db.session.execute(
        select(ReviewItem.id, ReviewItem.status, ReviewItem.resolved_by_id).order_by(ReviewItem.id)).all()
    messages = db.session.scalar(select(func.count()).select_from(Message))
    return [tuple(row) for row in items], messages


def help_item(world):
    """An open help request of the world's trainee, in mentor A's queue."""
    item = review_queue.request_help(world.trainee, world.exercise, "Kenapa gagal?")
    assert item.mentor_id == world.mentor_a.id
    return item


def test_marking_handled_an_item_another_mentor_claimed_changes_nothing(world, client, auth):
    """Is "mark as handled" on an item Mentor B claimed refused with the Indonesian message, the item left open?"""
    item = help_item(world)
    item.claimed_by_id = world.mentor_b.id
    db.session.commit()
    before = queue_rows()
    auth.login(world.mentor_a)
    response = client.post(f"/mentor/antrean/{item.id}/selesai", follow_redirects=True)
    assert "Mentor B sudah mengambil item ini." in response.get_data(as_text=True)
    assert queue_rows() == before


def test_mark_handled_refuses_before_changing(world):
    """Does the service refuse a sign-off item and a claimed item, leaving nothing for a later commit to save?"""
    signoff = SignOff(trainee_id=world.trainee.id, stage_id=world.track.stages[0].id)
    db.session.add(signoff)
    db.session.flush()
    signoff_item = review_queue.open_item("signoff", world.trainee, signoff_id=signoff.id)
    claimed = help_item(world)
    claimed.claimed_by_id = world.mentor_b.id
    db.session.commit()
    before = queue_rows()
    with pytest.raises(review_queue.ClosedByDecision, match="ditutup oleh keputusannya"):
        review_queue.mark_handled(signoff_item, world.mentor_a)
    with pytest.raises(ServiceError, match="Mentor B sudah mengambil item ini."):
        review_queue.mark_handled(claimed, world.mentor_a)
    db.session.commit()
    assert queue_rows() == before


def test_mark_handled_closes_and_commits(world):
    """Does marking a flag handled close it in the database without the caller committing?"""
    item = help_item(world)
    review_queue.mark_handled(item, world.mentor_a)
    db.session.rollback()  # nothing pending may be lost: the service committed
    assert db.session.get(ReviewItem, item.id).status == "done"


def test_help_reply_closes_the_request_only_for_a_mentor(world, client, auth):
    """Does "send and mark as handled" close a help request for the mentor, but not when the trainee sends it?"""
    item = help_item(world)
    auth.login(world.trainee)
    client.post(f"/diskusi/bantuan/{item.id}/pesan", data={"body": "Masih gagal", "submit_close": "1"})
    assert db.session.scalar(select(ReviewItem.status).where(ReviewItem.id == item.id)) == "open"
    auth.logout()
    auth.login(world.mentor_a)
    response = client.post(f"/diskusi/bantuan/{item.id}/pesan", data={"body": "Coba lagi", "submit_close": "1"},
                           follow_redirects=True)
    assert "Pesan terkirim." in response.get_data(as_text=True)
    assert db.session.scalar(select(ReviewItem.status).where(ReviewItem.id == item.id)) == "done"


def test_old_discussion_addresses_redirect_permanently(world, client, auth):
    """Do the discussion pages' old /mentor/... addresses answer 308 to the /diskusi/... pages, query kept?"""
    submission = make_submission(world.trainee, world.exercise)
    item = help_item(world)
    auth.login(world.trainee)
    for old, new in [
        (f"/mentor/umpan-balik/{submission.id}", f"/diskusi/umpan-balik/{submission.id}"),
        (f"/mentor/bantuan/{item.id}?x=1", f"/diskusi/bantuan/{item.id}?x=1"),
        ("/mentor/notifikasi", "/diskusi/notifikasi"),
    ]:
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (308, new)
    response = client.post(f"/mentor/bantuan/{item.id}/pesan", data={"body": "Halo"})
    assert (response.status_code, response.headers["Location"]) == (308, f"/diskusi/bantuan/{item.id}/pesan")
    assert client.get(f"/mentor/umpan-balik/{submission.id}", follow_redirects=True).status_code == 200


NO_REASON = "Mengubah skor otomatis memerlukan alasan."
BOTH_OK_BUT_NO_REASON = {"decision": "approved", "grade-penjelasan": "2", "override_score": "1"}


def decision_rows():
    """Manual grades, overrides, reviews and audit events as stored."""
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return count(ManualGrade), count(ScoreOverride), count(Review), count(AuditEvent)


def manual_submission(manual_world):
    """A graded submission of an exercise with a manually graded cell (3 points), waiting for review."""
    submission = make_submission(manual_world.trainee, manual_world.exercise,
                                 answers={"jawaban": "def tambah(a, b):\n    return a + b", "penjelasan": "Karena."})
    review_queue.on_submission_graded(submission)
    return submission


def test_refused_decision_stores_no_grade(manual_world, client, auth):
    """Is a decision with a valid manual grade but an override without a reason refused whole, in Indonesian?"""
    submission = manual_submission(manual_world)
    auth.login(manual_world.mentor)
    before = decision_rows()
    response = client.post(f"/mentor/pengumpulan/{submission.id}/keputusan", data=BOTH_OK_BUT_NO_REASON,
                           follow_redirects=True)
    assert NO_REASON in response.get_data(as_text=True)
    assert decision_rows() == before


def test_decide_validates_before_changing(manual_world):
    """Does reviews.decide refuse before storing the valid grade, so a later commit saves nothing?"""
    submission = manual_submission(manual_world)
    before = decision_rows()
    with pytest.raises(ServiceError, match=NO_REASON):
        reviews.decide(submission, manual_world.mentor, "approved", grades={"penjelasan": 2.0}, override_score=1.0)
    db.session.commit()
    assert decision_rows() == before
