"""Service tests of the review queue: opening items, ordering, filters, claiming, reassigning."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.mentoring.factories import make_submission
from tic_academy.extensions import db
from tic_academy.models import AuditEvent, OutboxMessage
from tic_academy.models.mentoring import ReviewItem
from tic_academy.models.notices import Notification
from tic_academy.clock import now_utc, today_wib
from tic_academy.services import ServiceError, mentor_assignment, notebooks, notifications, review_queue, reviews

FLAG = [{"code": "settrace", "grade_id": "jawaban", "line": 2, "message": "sys.settrace"}]


def items_of(trainee):
    """Every queue item of a trainee."""
    return db.session.scalars(select(ReviewItem).where(ReviewItem.trainee_id == trainee.id)).all()


def test_flagged_submission_is_queued_once(world):
    """Does a graded submission with integrity flags open one item for the trainee's mentor, even if hooked twice?"""
    submission = make_submission(world.trainee, world.exercise, flags=FLAG)
    review_queue.on_submission_graded(submission)
    review_queue.on_submission_graded(submission)
    [item] = items_of(world.trainee)
    assert (item.kind, item.mentor_id, item.cohort_id) == ("flagged", world.mentor_a.id, world.cohort.id)
    assert db.session.scalar(select(Notification).where(Notification.user_id == world.mentor_a.id)) is not None


def test_clean_auto_graded_submission_needs_nobody(world):
    """Does a plain auto-graded submission without flags stay out of the queue?"""
    review_queue.on_submission_graded(make_submission(world.trainee, world.exercise))
    assert items_of(world.trainee) == []


def test_manual_cells_open_a_grading_item(manual_world):
    """Does a submission of an exercise with a manually graded cell wait for manual grading?"""
    submission = make_submission(manual_world.trainee, manual_world.exercise)
    review_queue.on_submission_graded(submission)
    [item] = items_of(manual_world.trainee)
    assert item.kind == "manual_grading" and item.submission_id == submission.id
    [cell] = notebooks.of_version(submission.exercise_version).manual_cells
    assert cell.grade_id == "penjelasan" and cell.points == 3 and "1 poin" in cell.rubric


def test_resubmission_supersedes_the_older_item(world):
    """Does a new submission of the same exercise replace the open item of the older one?"""
    first = make_submission(world.trainee, world.exercise, flags=FLAG)
    review_queue.on_submission_graded(first)
    second = make_submission(world.trainee, world.exercise, flags=FLAG)
    review_queue.on_submission_graded(second)
    statuses = {item.submission_id: item.status for item in items_of(world.trainee)}
    assert statuses == {first.id: "superseded", second.id: "open"}


def test_queue_is_oldest_first_and_only_mine(world):
    """Does a mentor's queue list their own trainees' open items, oldest first, and nobody else's?"""
    now = now_utc()
    newer = ReviewItem(kind="help", trainee_id=world.trainee.id, mentor_id=world.mentor_a.id, created_at=now)
    older = ReviewItem(kind="flagged", trainee_id=world.mate.id, mentor_id=world.mentor_a.id,
                       created_at=now - timedelta(days=3))
    other = ReviewItem(kind="help", trainee_id=world.trainee.id, mentor_id=world.mentor_b.id, created_at=now)
    done = ReviewItem(kind="help", trainee_id=world.trainee.id, mentor_id=world.mentor_a.id,
                      created_at=now - timedelta(days=9), status="done")
    db.session.add_all([newer, older, other, done])
    db.session.commit()
    assert [i.id for i in review_queue.queue(world.mentor_a)] == [older.id, newer.id]
    assert [i.id for i in review_queue.queue(world.mentor_b)] == [other.id]
    assert {i.id for i in review_queue.queue(world.admin)} == {older.id, newer.id, other.id}


def test_queue_filters(world, make_opd):
    """Do the kind, cohort, OPD and exercise filters narrow the queue?"""
    help_item = review_queue.request_help(world.trainee, world.exercise, "Kenapa error?")
    other_exercise = world.track.stages[1].exercises[0]
    flagged = review_queue.open_item("flagged", world.mate, exercise_id=other_exercise.id)
    db.session.commit()

    def ids(**filters):
        return [i.id for i in review_queue.queue(world.mentor_a, review_queue.QueueFilters(**filters))]

    assert ids(kind="help") == [help_item.id]
    assert ids(exercise_id=other_exercise.id) == [flagged.id]
    assert ids(opd_id=world.mate.opd_id) == [flagged.id]
    assert ids(cohort_id=world.cohort.id) == [help_item.id, flagged.id]
    assert ids(cohort_id=world.cohort.id + 99) == []


def test_claiming_keeps_two_mentors_apart(world):
    """Can a second mentor neither claim nor release an item the first one claimed?"""
    item = review_queue.request_help(world.trainee, world.exercise, "Tolong")
    review_queue.claim(item, world.mentor_a)
    review_queue.claim(item, world.mentor_a)  # claiming again is harmless
    with pytest.raises(ServiceError):
        review_queue.claim(item, world.mentor_b)
    with pytest.raises(ServiceError):
        review_queue.release(item, world.mentor_b)
    review_queue.release(item, world.mentor_a)
    review_queue.claim(item, world.mentor_b)
    assert item.claimed_by_id == world.mentor_b.id


def test_admin_reassigns_an_item(world):
    """Does a reassigned item leave the first mentor's queue for the new one's, audited and announced?"""
    item = review_queue.request_help(world.trainee, world.exercise, "Tolong")
    review_queue.claim(item, world.mentor_a)
    review_queue.reassign(item, world.mentor_b, world.admin)
    assert review_queue.queue(world.mentor_a) == [] and review_queue.queue(world.mentor_b) == [item]
    assert item.claimed_by_id is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review_item.reassigned")) is not None
    assert db.session.scalar(select(Notification).where(Notification.user_id == world.mentor_b.id)) is not None


def test_help_request_carries_question_and_draft(world):
    """Does "ask my mentor" queue the question with the saved draft and email the mentor?"""
    from tic_academy.models import Draft

    db.session.add(Draft(trainee_id=world.trainee.id, exercise_id=world.exercise.id, answers={"jawaban": "x = 1"}))
    db.session.commit()
    item = review_queue.request_help(world.trainee, world.exercise, "  Kenapa x?  ")
    assert (item.kind, item.question, item.draft_answers) == ("help", "Kenapa x?", {"jawaban": "x = 1"})
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == world.mentor_a.email))
    assert mail is not None and "Peserta Satu" in mail.body
    with pytest.raises(ServiceError):
        review_queue.request_help(world.trainee, world.exercise, "   ")


def test_items_follow_a_new_mentor(world):
    """When an admin gives a trainee another mentor, do their open unclaimed items move along?"""
    moving = review_queue.request_help(world.trainee, world.exercise, "Satu")
    claimed = review_queue.request_help(world.trainee, world.exercise, "Dua")
    review_queue.claim(claimed, world.mentor_a)
    enrollment = world.cohort.enrollments[0]
    mentor_assignment.assign([enrollment], world.mentor_b, world.admin, "trainee")
    assert moving.mentor_id == world.mentor_b.id
    assert claimed.mentor_id == world.mentor_a.id


def test_claimed_item_can_still_be_finished_after_a_mentor_change(world):
    """After the trainee changes mentor, may the mentor holding a claimed item still open its submission?"""
    submission = make_submission(world.trainee, world.exercise, flags=[{"code": "c", "grade_id": "jawaban", "line": 1, "message": "m"}])
    [item] = review_queue.on_submission_graded(submission)
    review_queue.claim(item, world.mentor_a)
    mentor_assignment.assign([world.cohort.enrollments[0]], world.mentor_b, world.admin, "trainee")
    assert submission.can(world.mentor_a, "review")  # holds the claimed, open item
    assert submission.can(world.mentor_b, "review")  # the new mentor
    review_queue.resolve(item, world.mentor_a)
    db.session.commit()
    assert not submission.can(world.mentor_a, "review")  # done: access goes with the item


def test_balance_the_load(app, make_user, world):
    """Are unassigned trainees spread over the chosen mentors, the least loaded first?"""
    from tests.mentoring.factories import enroll

    extra = [enroll(make_user(role="trainee"), None, world.track, cohort=world.cohort) for _ in range(3)]
    assigned = mentor_assignment.balance_load(world.cohort, [world.mentor_a, world.mentor_b], world.admin)
    assert assigned == 3
    # mentor_a already had 2 trainees, so mentor_b gets the first two newcomers.
    assert [e.mentor_id for e in extra] == [world.mentor_b.id, world.mentor_b.id, world.mentor_a.id]
    with pytest.raises(ServiceError):
        mentor_assignment.balance_load(world.cohort, [], world.admin)


def test_median_response_time(world):
    """Is the median response the middle of the handled items' waiting times (working days, last 30 days)?"""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    today = today_wib()
    friday = today - timedelta(days=(today.weekday() - 4) % 7 or 7)  # last week's or this week's past Friday
    resolved = datetime.combine(friday, time(12), tzinfo=ZoneInfo("Asia/Jakarta"))
    for days_back in (1, 2, 4):  # Thursday, Wednesday, Monday noon: 1, 2 and 4 working days
        db.session.add(ReviewItem(kind="help", trainee_id=world.trainee.id, mentor_id=world.mentor_a.id,
                                  created_at=resolved - timedelta(days=days_back), status="done",
                                  resolved_at=resolved, resolved_by_id=world.mentor_a.id))
    db.session.add(ReviewItem(kind="help", trainee_id=world.trainee.id, created_at=resolved - timedelta(days=60),
                              status="done", resolved_at=resolved - timedelta(days=40),
                              resolved_by_id=world.mentor_a.id))
    db.session.commit()
    assert review_queue.median_response_workdays(world.mentor_a.id) == 2.0
    assert review_queue.median_response_workdays(world.mentor_b.id) is None
    # The admin dashboard shows the same figure: both come from review_queue.response_times.
    from tic_academy.services.dashboards import mentor_lines

    lines = {line.name: line for line in mentor_lines()}
    assert (lines["Mentor A"].handled, lines["Mentor A"].median_workdays) == (3, 2.0)
    assert (lines["Mentor B"].handled, lines["Mentor B"].median_workdays) == (0, None)


def test_mentor_load_counts_active_trainees_only(app, make_user, world):
    """Is a mentor's load their active trainees, the same for the admin page, new enrollments and the dashboard?"""
    from tests.mentoring.factories import enroll
    from tic_academy.services import cohorts, dashboards

    world.cohort.mentors.extend([world.mentor_a, world.mentor_b])
    for _ in range(3):  # mentor_b followed three trainees who have graduated since
        enroll(make_user(role="trainee"), world.mentor_b, world.track, cohort=world.cohort).status = "graduated"
    db.session.commit()
    assert mentor_assignment.mentor_load(world.cohort) == {world.mentor_a.id: 2}
    assert mentor_assignment.mentor_load() == {world.mentor_a.id: 2}
    # A new trainee goes to the mentor with fewer active trainees, not fewer trainees ever.
    assert cohorts.least_loaded_mentor(world.cohort) == world.mentor_b
    lines = {line.name: line.trainees for line in dashboards.mentor_lines()}
    assert lines == {"Mentor A": 2, "Mentor B": 0}


def test_handling_an_item_clears_its_bell_notification(manual_world):
    """Does the mentor's bell stop counting an item once the decision on it is made?"""
    submission = make_submission(manual_world.trainee, manual_world.exercise)
    review_queue.on_submission_graded(submission)
    assert notifications.unread_count(manual_world.mentor.id) == 1
    reviews.decide(submission, manual_world.mentor, "approved", grades={"penjelasan": 3})
    assert notifications.unread_count(manual_world.mentor.id) == 0


def test_superseded_and_marked_handled_items_clear_the_bell(world):
    """Do a superseded item and one marked handled leave no unread notification behind?"""
    review_queue.on_submission_graded(make_submission(world.trainee, world.exercise, flags=FLAG))
    assert notifications.unread_count(world.mentor_a.id) == 1  # the first item was superseded by the second
    help_item = review_queue.request_help(world.trainee, world.exercise, "Bagaimana caranya?")
    assert notifications.unread_count(world.mentor_a.id) == 2
    review_queue.mark_handled(help_item, world.mentor_a)
    assert notifications.unread_count(world.mentor_a.id) == 1  # only the open flagged item still waits
