"""Access policies (the models' ``can()``) stated role by role and action by action.

Written for the mutation run (``make mutate``): each test fails when one operator of a
policy changes. The route matrix (``tests/test_access.py``) checks that views ask these.
"""
from datetime import date, timedelta

from tic_academy.clock import now_utc
from tic_academy.extensions import db
from tic_academy.models import ReviewItem
from tic_academy.models.program import Certificate, Enrollment, Nomination


def people(make_user):
    """One user of each role, plus a second trainee and mentor."""
    return {
        "admin": make_user(role="admin"),
        "mentor": make_user(role="mentor"),
        "other_mentor": make_user(role="mentor"),
        "trainee": make_user(),
        "other_trainee": make_user(),
        "head": make_user(role="opd_head"),
    }


def test_submission_policy(make_user, make_track, make_submission, make_enrollment):
    """Does a trainee view and discuss only their own submission, their mentor review it, and nobody else?"""
    p = people(make_user)
    track = make_track([{"exercises": [{"points": 10}]}])
    make_enrollment(p["trainee"], track, mentor=p["mentor"])
    submission = make_submission(p["trainee"], track.stages[0].exercises[0], score=5)
    assert submission.can(p["admin"], "review")
    assert submission.can(p["trainee"], "view") and submission.can(p["trainee"], "discuss")
    assert not submission.can(p["trainee"], "review")
    assert not submission.can(p["other_trainee"], "view")
    assert submission.can(p["mentor"], "review")
    assert not submission.can(p["other_mentor"], "review")
    assert not submission.can(p["head"], "view")


def test_submission_of_a_trainee_without_enrollment_is_no_mentors(make_user, make_track, make_submission):
    """Is the submission of a trainee with no enrollment closed to every mentor (no mentor id matches None)?"""
    p = people(make_user)
    track = make_track([{"exercises": [{"points": 10}]}])
    submission = make_submission(p["trainee"], track.stages[0].exercises[0], score=5)
    assert not submission.can(p["mentor"], "review")


def test_current_enrollment_is_the_trainees_own_newest_not_withdrawn(make_user, make_track, make_enrollment):
    """Is a trainee's current enrollment their own newest one that is not withdrawn?"""
    p = people(make_user)
    track = make_track([{"exercises": [{"points": 10}]}])
    older = make_enrollment(p["trainee"], track, start_date=date(2026, 1, 5), mentor=p["other_mentor"])
    newer = make_enrollment(p["trainee"], track, start_date=date(2026, 3, 2), mentor=p["mentor"])
    make_enrollment(p["other_trainee"], track, start_date=date(2026, 6, 1))
    assert Enrollment.current_for(p["trainee"].id).id == newer.id
    newer.status = "withdrawn"
    db.session.commit()
    assert Enrollment.current_for(p["trainee"].id).id == older.id
    assert Enrollment.current_for(p["head"].id) is None


def test_current_enrollment_prefers_the_later_row_on_the_same_start(make_user, make_track, make_enrollment):
    """With two cohorts starting the same day, is the later enrollment the current one?"""
    p = people(make_user)
    track = make_track([{"exercises": [{"points": 10}]}])
    make_enrollment(p["trainee"], track, start_date=date(2026, 3, 2), name="Angkatan A")
    later = make_enrollment(p["trainee"], track, start_date=date(2026, 3, 2), name="Angkatan B")
    assert Enrollment.current_for(p["trainee"].id).id == later.id


def review_item(trainee, mentor, **values):
    """An open review item for ``trainee`` waiting for ``mentor``."""
    item = ReviewItem(kind=values.pop("kind", "manual_grading"), trainee_id=trainee.id, mentor_id=mentor.id, **values)
    db.session.add(item)
    db.session.commit()
    return item


def test_review_item_policy(make_user):
    """Does the item's mentor (only) work on it, and a trainee view and discuss only their own help request?"""
    p = people(make_user)
    grading = review_item(p["trainee"], p["mentor"])
    help_request = review_item(p["trainee"], p["mentor"], kind="help", question="Bagaimana?")
    assert grading.can(p["admin"], "work")
    assert grading.can(p["mentor"], "work") and not grading.can(p["other_mentor"], "work")
    assert help_request.can(p["trainee"], "view") and help_request.can(p["trainee"], "discuss")
    assert not help_request.can(p["trainee"], "work")
    assert not help_request.can(p["other_trainee"], "view")
    assert not grading.can(p["trainee"], "view")
    assert not grading.can(p["head"], "view")


def test_a_reassigned_item_lets_its_mentor_review_the_submission(make_user, make_track, make_submission,
                                                                 make_enrollment):
    """Does an open item (and only an open one) give its mentor the submission, its pair's and help requests?"""
    p = people(make_user)
    track = make_track([{"exercises": [{"points": 10}, {"points": 10}]}])
    first, second = track.stages[0].exercises
    make_enrollment(p["trainee"], track, mentor=p["mentor"])
    submission = make_submission(p["trainee"], first, score=5)
    paired = make_submission(p["other_trainee"], first, score=5)
    other_exercise = make_submission(p["trainee"], second, score=5)
    item = review_item(p["trainee"], p["other_mentor"], kind="flagged", submission_id=paired.id,
                       other_submission_id=submission.id)
    assert submission.can(p["other_mentor"], "review") and paired.can(p["other_mentor"], "review")
    assert not other_exercise.can(p["other_mentor"], "review")
    assert not paired.can(p["mentor"], "review")  # the item waits for another mentor, not for this one
    item.status = "done"
    db.session.commit()
    assert not submission.can(p["other_mentor"], "review")
    review_item(p["trainee"], p["other_mentor"], kind="help", exercise_id=second.id)
    assert other_exercise.can(p["other_mentor"], "review")
    assert not submission.can(p["other_mentor"], "review")
    review_item(p["other_trainee"], p["other_mentor"], kind="manual_grading", exercise_id=first.id)
    assert not submission.can(p["other_mentor"], "review")


def test_a_help_request_of_another_trainee_does_not_open_my_submission(make_user, make_track, make_submission):
    """Does another trainee's help request on the same exercise give the mentor nothing of mine?"""
    p = people(make_user)
    exercise = make_track([{"exercises": [{"points": 10}]}]).stages[0].exercises[0]
    mine = make_submission(p["trainee"], exercise, score=5)
    review_item(p["other_trainee"], p["other_mentor"], kind="help", exercise_id=exercise.id)
    assert not mine.can(p["other_mentor"], "review")
    review_item(p["trainee"], p["other_mentor"], kind="manual_grading", exercise_id=exercise.id)
    assert not mine.can(p["other_mentor"], "review")  # only a help request covers the whole exercise


def nomination(head, cohort, status):
    """A nomination of ``head``'s OPD in ``status``."""
    row = Nomination(cohort=cohort, opd_id=head.opd_id, nominated_by_id=head.id, status=status,
                     full_name="Calon", email=f"calon-{status}@contoh.test", phone="0812", position="Staf",
                     unit="Bidang", employment_status="honorary", education="s1", motivation="Belajar",
                     hours_per_week=10, supervisor_agrees=True)
    db.session.add(row)
    db.session.commit()
    return row


def test_nomination_policy(make_user, make_track, make_enrollment):
    """Does the OPD's own head view all, edit drafts, withdraw before a decision; the admin view and decide only?"""
    p = people(make_user)
    other_head = make_user(role="opd_head")
    cohort = make_enrollment(p["trainee"], make_track([{"exercises": [{"points": 10}]}])).cohort
    rows = {status: nomination(p["head"], cohort, status)
            for status in ("draft", "submitted", "approved", "waitlisted", "rejected", "enrolled", "withdrawn")}
    assert [s for s, row in rows.items() if row.can(p["head"], "edit")] == ["draft"]
    assert [s for s, row in rows.items() if row.can(p["head"], "withdraw")] == ["draft", "submitted"]
    assert all(row.can(p["head"], "view") for row in rows.values())
    assert not any(row.can(p["head"], "decide") for row in rows.values())
    assert not any(row.can(other_head, action) for row in rows.values() for action in ("view", "edit", "withdraw"))
    assert rows["submitted"].can(p["admin"], "view") and rows["submitted"].can(p["admin"], "decide")
    assert not rows["draft"].can(p["admin"], "edit")
    assert not rows["submitted"].can(p["mentor"], "view") and not rows["submitted"].can(p["trainee"], "view")


def test_certificate_policy(make_user, make_track, make_enrollment):
    """Does only its own trainee download a certificate that is not revoked, and the admin do everything?"""
    p = people(make_user)
    enrollment = make_enrollment(p["trainee"], make_track([{"exercises": [{"points": 10}]}]))
    certificate = Certificate(enrollment=enrollment, trainee_id=p["trainee"].id, code="TIC-AAAA-BBBB-CCCC",
                              trainee_name="Peserta", opd_name="Dinas", track_title="Jalur", cohort_name="Angkatan",
                              start_date=date(2026, 1, 5), graduation_date=date(2026, 3, 27))
    db.session.add(certificate)
    db.session.commit()
    assert certificate.can(p["trainee"], "download") and not certificate.can(p["trainee"], "revoke")
    assert not certificate.can(p["other_trainee"], "download")
    assert not certificate.can(p["mentor"], "download")
    assert certificate.can(p["admin"], "revoke")
    certificate.revoked_at = now_utc() - timedelta(minutes=1)
    assert not certificate.can(p["trainee"], "download")
    assert certificate.can(p["admin"], "download")


def test_user_policy(make_user, make_opd):
    """Does a person view themselves, an OPD head view their OPD's trainees only, and only the admin edit?"""
    p = people(make_user)
    own_trainee = make_user(opd=p["head"].opd)
    own_mentor = make_user(role="mentor", opd=p["head"].opd)
    assert p["trainee"].can(p["trainee"], "view") and not p["trainee"].can(p["trainee"], "edit")
    assert not p["trainee"].can(p["other_trainee"], "view")
    assert own_trainee.can(p["head"], "view") and not own_trainee.can(p["head"], "edit")
    assert not p["trainee"].can(p["head"], "view")  # a trainee of another OPD
    assert not own_mentor.can(p["head"], "view")  # a mentor is not the head's to see
    assert not own_trainee.can(p["mentor"], "view")
    assert p["trainee"].can(p["admin"], "edit")
