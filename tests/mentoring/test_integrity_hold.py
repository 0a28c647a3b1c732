"""Held scores: a submission with serious integrity flags counts only once a mentor clears it."""
import nbformat
import pytest
from sqlalchemy import select

from tests.mentoring.factories import make_submission
from tic_academy.extensions import db
from tic_academy.grading.integrity import check_answers
from tic_academy.grading.pipeline import GradingResult
from tic_academy.models import AuditEvent, Submission
from tic_academy.models.mentoring import ReviewItem
from tic_academy.models.notices import Notification
from tic_academy.services import ServiceError, progress, review_queue, reviews
from tic_academy.services.submissions import create_submission, grade_submission

#: The issue's generic snippet: the kernel reached through a string-built name.
ATTACK = 'ip = globals()["get_" + "ipython"]()\nip.kernel.do_execute = lambda *a, **k: {"status": "ok"}'
SERIOUS = [{"code": "dynamic_access", "grade_id": "jawaban", "line": 1, "message": "globals()"}]


class FullMarksEngine:
    """Grades without a kernel: full marks, with the real integrity check's flags."""

    def grade(self, source, answers, mode="submit", **options):
        """Return a full-marks result carrying the flags of the answers."""
        flags = check_answers(list(answers.items()), options.get("allowed_imports"))
        return GradingResult(mode=mode, score=2.0, max_score=2.0, tests=[], flags=flags, notes=[],
                             duration_s=0.0, cells=[], notebook=nbformat.v4.new_notebook())


def stage_states(world):
    """The trainee's stage states in the world's track."""
    return [row.state for row in progress.track_progress(world.trainee.id, world.track)]


def flagged_items(submission):
    """Open integrity items about the submission."""
    return [item for item in review_queue.open_items_for(submission) if item.kind == "flagged"]


def test_attack_is_graded_but_held_and_opens_no_stage(world):
    """Is a full-marks answer with the issue's attack recorded with its score, held, queued, and not opening stage 2?"""
    submission = create_submission(world.trainee, world.exercise, {"jawaban": ATTACK})
    graded = grade_submission(submission.id, FullMarksEngine())
    assert (graded.status, graded.auto_score, graded.integrity_status) == ("graded", 2.0, "held")
    assert [item.mentor_id for item in flagged_items(graded)] == [world.mentor_a.id]
    assert stage_states(world) == ["open", "locked"]


def test_harmless_magic_is_noted_without_holding(world):
    """Does an answer with only `%time` keep its flag for the mentor but count at once, with no queue item?"""
    answer = "%time x = 1\ndef tambah(a, b):\n    return a + b"
    graded = grade_submission(create_submission(world.trainee, world.exercise, {"jawaban": answer}).id,
                              FullMarksEngine())
    assert [flag["code"] for flag in graded.flags] == ["magic"]
    assert graded.integrity_status == "clear" and flagged_items(graded) == []
    assert stage_states(world) == ["passed", "open"]


def test_mentor_clears_a_held_submission_and_the_next_stage_opens(world, client, auth):
    """Does "Bersihkan" release the score, close the item, open the next stage, audit and tell the trainee?"""
    submission = make_submission(world.trainee, world.exercise, flags=SERIOUS)
    review_queue.on_submission_graded(submission)
    assert stage_states(world) == ["open", "locked"]
    auth.login(world.mentor_a)
    response = client.post(f"/mentor/pengumpulan/{submission.id}/integritas", data={"decision": "clear"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).integrity_status == "cleared"
    assert flagged_items(submission) == []
    assert stage_states(world) == ["passed", "open"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.integrity_cleared"))
    assert db.session.scalar(select(Notification).where(Notification.user_id == world.trainee.id,
                                                       Notification.kind == "integrity.cleared"))


def test_confirming_needs_a_reason_and_keeps_the_score_out(world, client, auth):
    """Is "Konfirmasi pelanggaran" refused without a reason, and with one does the score count as 0 (audited)?"""
    submission = make_submission(world.trainee, world.exercise, flags=SERIOUS)
    review_queue.on_submission_graded(submission)
    auth.login(world.mentor_a)
    url = f"/mentor/pengumpulan/{submission.id}/integritas"
    page = client.post(url, data={"decision": "confirm", "reason": "  "}, follow_redirects=True)
    assert "Konfirmasi pelanggaran membutuhkan alasan" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).integrity_status == "held"

    client.post(url, data={"decision": "confirm", "reason": "Membungkus do_execute kernel"})
    db.session.expire_all()
    confirmed = db.session.get(Submission, submission.id)
    assert (confirmed.integrity_status, confirmed.integrity_reason) == ("confirmed", "Membungkus do_execute kernel")
    assert confirmed.score == 0.0 and confirmed.auto_score == 2.0
    assert stage_states(world) == ["open", "locked"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.integrity_confirmed"))
    assert event.detail["reason"] == "Membungkus do_execute kernel" and event.detail["flags"] == ["dynamic_access"]
    assert flagged_items(submission) == []


def test_only_the_trainees_mentor_decides(world, client, auth):
    """Are another mentor and the trainee refused the clear/confirm action?"""
    submission = make_submission(world.trainee, world.exercise, flags=SERIOUS)
    review_queue.on_submission_graded(submission)
    url = f"/mentor/pengumpulan/{submission.id}/integritas"
    auth.login(world.mentor_b)
    assert client.post(url, data={"decision": "clear"}).status_code == 403
    auth.logout()
    auth.login(world.trainee)
    assert client.post(url, data={"decision": "clear"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).integrity_status == "held"


def test_a_decision_is_taken_once_and_only_on_held_submissions(world):
    """Is clearing refused for a clear submission and for one already decided?"""
    clean = make_submission(world.trainee, world.exercise)
    with pytest.raises(ServiceError):
        reviews.decide_integrity(clean, world.mentor_a, clear=True)
    held = make_submission(world.trainee, world.exercise, flags=SERIOUS)
    reviews.decide_integrity(held, world.mentor_a, clear=True)
    with pytest.raises(ServiceError):
        reviews.decide_integrity(held, world.mentor_a, clear=False, reason="berubah pikiran")


def test_approving_a_held_submission_does_not_release_its_score(world, client, auth):
    """Does an ordinary "approve" decision or "mark handled" leave a held score held and its item open?"""
    submission = make_submission(world.trainee, world.exercise, flags=SERIOUS)
    [item] = review_queue.on_submission_graded(submission)
    reviews.decide(submission, world.mentor_a, "approved")
    assert submission.integrity_status == "held" and flagged_items(submission) == [item]
    auth.login(world.mentor_a)
    assert client.post(f"/mentor/antrean/{item.id}/selesai").status_code == 400
    assert stage_states(world) == ["open", "locked"]


def test_review_page_offers_clear_and_confirm_while_held(world, client, auth):
    """Does the mentor's review page show the held state with both actions, and only while held?"""
    submission = make_submission(world.trainee, world.exercise, flags=SERIOUS)
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "Bersihkan" in html and "Konfirmasi pelanggaran" in html
    reviews.decide_integrity(submission, world.mentor_a, clear=True)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "Konfirmasi pelanggaran" not in html


def test_trainee_sees_the_held_score_on_the_submission_and_in_history(world, client, auth):
    """Does the trainee read "Skor ditahan: menunggu pemeriksaan mentor" on the submission, in the history and
    on the feedback page?"""
    submission = make_submission(world.trainee, world.exercise, flags=SERIOUS)
    auth.login(world.trainee)
    held = "Skor ditahan: menunggu pemeriksaan mentor"
    assert held in client.get(f"/peserta/pengumpulan/{submission.id}").get_data(as_text=True)
    history = client.get(f"/peserta/latihan/{world.exercise.slug}/riwayat?partial=1").get_data(as_text=True)
    assert held in history
    assert held in client.get(f"/diskusi/umpan-balik/{submission.id}").get_data(as_text=True)
    reviews.decide_integrity(submission, world.mentor_a, clear=False, reason="Menyalin kunci jawaban")
    page = client.get(f"/peserta/pengumpulan/{submission.id}").get_data(as_text=True)
    assert held not in page and "Menyalin kunci jawaban" in page


def test_held_score_asks_for_no_signoff_until_cleared(app, make_user):
    """On a stage that needs a mentor's sign-off, is the sign-off asked only once the held score is cleared?"""
    from tests.mentoring import factories
    from tic_academy.models import SignOff

    track = factories.make_track(signoff_first_stage=True)
    mentor, trainee = make_user(role="mentor"), make_user(role="trainee")
    factories.enroll(trainee, mentor, track)
    submission = make_submission(trainee, factories.first_exercise(track), flags=SERIOUS)
    review_queue.on_submission_graded(submission)
    assert db.session.scalar(select(SignOff).where(SignOff.trainee_id == trainee.id)) is None
    reviews.decide_integrity(submission, mentor, clear=True)
    signoff = db.session.scalar(select(SignOff).where(SignOff.trainee_id == trainee.id))
    assert signoff is not None and signoff.status == "requested"


def test_every_flag_code_has_a_label_for_the_mentor(world, client, auth):
    """Does every code the integrity check can give have a label, shown in Indonesian on the review page?"""
    from tic_academy.grading.integrity import FLAG_CODES

    assert set(review_queue.FLAG_LABELS) == set(FLAG_CODES)
    submission = make_submission(world.trainee, world.exercise, flags=SERIOUS)
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "Nama dicari saat program berjalan" in html
