"""The effective score (``Submission.score``, ``share``, ``counts_for_progress``) at its edges, in Python and SQL.

Written for the mutation run (``make mutate``): each test fails when one operator of the
``Submission`` hybrid properties (``models/work.py``) changes.
"""
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import ScoreOverride, Submission


def one_exercise(make_track):
    """A 10-point exercise."""
    return make_track([{"exercises": [{"points": 10}]}]).stages[0].exercises[0]


def in_sql(*rows):
    """submission id -> (score, share, counts) as the progress queries compute them."""
    ids = [row.id for row in rows]
    return {
        submission_id: (score, share, bool(counts))
        for submission_id, score, share, counts in db.session.execute(
            select(Submission.id, Submission.score, Submission.share, Submission.counts_for_progress)
            .outerjoin(ScoreOverride, ScoreOverride.submission_id == Submission.id)
            .where(Submission.id.in_(ids))
        )
    }


def in_python(*rows):
    """submission id -> (score, share, counts) for single rows."""
    return {row.id: (row.score, row.share, row.counts_for_progress) for row in rows}


def test_a_plain_graded_submission_counts_with_its_share(make_user, make_track, make_submission):
    """Does a graded submit-mode score of 6 of 10 count as 0.6, the same in Python and SQL?"""
    plain = make_submission(make_user(), one_exercise(make_track), score=6)
    assert in_python(plain) == in_sql(plain) == {plain.id: (6.0, 0.6, True)}
    assert not plain.held


def test_a_submission_worth_no_points_does_not_count(make_user, make_track, make_submission):
    """Is a graded submission of a 0-point version left out of progress (no share), in Python and SQL?"""
    empty = make_submission(make_user(), one_exercise(make_track), score=0)
    empty.max_score = 0.0
    db.session.commit()
    assert in_python(empty) == in_sql(empty) == {empty.id: (0.0, None, False)}


def test_a_confirmed_violation_without_a_score_has_no_score(make_user, make_track, make_submission):
    """Does a confirmed violation on a grading that produced no score stay without a score (not 0)?"""
    failed = make_submission(make_user(), one_exercise(make_track), score=None, status="failed",
                             integrity_status="confirmed")
    assert (failed.score, failed.share, failed.counts_for_progress) == (None, None, False)


def test_only_graded_submit_mode_submissions_not_held_count(make_user, make_track, make_submission):
    """Do queued, check-mode and held submissions stay out, and cleared or confirmed ones count?"""
    trainee, exercise = make_user(), one_exercise(make_track)
    queued = make_submission(trainee, exercise, score=5, status="queued")
    check = make_submission(trainee, exercise, score=5, mode="check")
    held = make_submission(trainee, exercise, score=5, integrity_status="held")
    cleared = make_submission(trainee, exercise, score=5, integrity_status="cleared")
    confirmed = make_submission(trainee, exercise, score=5, integrity_status="confirmed")
    rows = (queued, check, held, cleared, confirmed)
    assert in_python(*rows) == in_sql(*rows)
    assert [row.counts_for_progress for row in rows] == [False, False, False, True, True]
    assert [row.held for row in rows] == [False, False, True, False, False]
    assert (confirmed.score, cleared.score) == (0.0, 5.0)


def test_an_override_replaces_the_score_and_a_missing_one_leaves_it(make_user, make_track, make_submission):
    """Is a mentor's override the score (even when it is lower), and the automatic score kept without one?"""
    trainee, mentor, exercise = make_user(), make_user(role="mentor"), one_exercise(make_track)
    lowered = make_submission(trainee, exercise, score=9)
    kept = make_submission(trainee, exercise, score=7)
    db.session.add(ScoreOverride(submission_id=lowered.id, score=3.0, auto_score=9.0, reason="Salin", by_id=mentor.id))
    db.session.commit()
    db.session.refresh(lowered)
    assert in_python(lowered, kept) == in_sql(lowered, kept) == {lowered.id: (3.0, 0.3, True), kept.id: (7.0, 0.7, True)}


def test_a_one_point_version_counts(make_user, make_track, make_submission):
    """Does a graded submission of a 1-point exercise count for progress, in Python and SQL alike?"""
    exercise = make_track([{"exercises": [{"points": 1}]}]).stages[0].exercises[0]
    tiny = make_submission(make_user(), exercise, score=1)
    assert in_python(tiny) == in_sql(tiny) == {tiny.id: (1.0, 1.0, True)}
