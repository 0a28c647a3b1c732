"""Progress rules: stage states, best scores, retired exercises, sign-off and the pace plan."""
from datetime import timedelta

from tic_academy.extensions import db
from tic_academy.models import SignOff
from tic_academy.services import progress
from tic_academy.clock import today_wib


def states(trainee, track):
    """The list of stage states for a trainee."""
    return [row.state for row in progress.track_progress(trainee.id, track)]


def two_stage_track(make_track, threshold=0.7, signoff=False):
    return make_track([
        {"threshold": threshold, "signoff": signoff, "weeks": (1, 2), "exercises": [{"week": 1, "points": 10}, {"week": 2, "points": 10}]},
        {"weeks": (3, 4), "exercises": [{"week": 3, "points": 5}]},
    ])


def test_first_stage_open_rest_locked(make_user, make_track):
    """Is only the first stage open for a new trainee?"""
    trainee = make_user()
    assert states(trainee, two_stage_track(make_track)) == ["open", "locked"]


def test_threshold_exactly_met_passes_and_opens_next(make_user, make_track, make_submission):
    """Does meeting the threshold exactly pass the stage and open the next?"""
    trainee = make_user()
    track = two_stage_track(make_track, threshold=0.7)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10)
    make_submission(trainee, second, score=4)  # (10 + 4) / 20 = 0.7
    assert states(trainee, track) == ["passed", "open"]


def test_just_below_threshold_stays_open(make_user, make_track, make_submission):
    """Does a share just below the threshold keep the stage open and the next locked?"""
    trainee = make_user()
    track = two_stage_track(make_track, threshold=0.7)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10)
    make_submission(trainee, second, score=3.9)
    assert states(trainee, track) == ["open", "locked"]


def test_lower_resubmission_keeps_best_score(make_user, make_track, make_submission):
    """Does a later, lower resubmission leave the best score (and the pass) in place?"""
    trainee = make_user()
    track = two_stage_track(make_track)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10)
    make_submission(trainee, second, score=10)
    make_submission(trainee, second, score=1)
    rows = progress.track_progress(trainee.id, track)
    assert rows[0].state == "passed"
    assert rows[0].exercises[1].best_score == 10


def test_check_mode_and_failed_runs_do_not_count(make_user, make_track, make_submission):
    """Are check-mode results and failed gradings ignored for progress?"""
    trainee = make_user()
    track = two_stage_track(make_track)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10, mode="check")
    make_submission(trainee, second, score=10, status="failed")
    rows = progress.track_progress(trainee.id, track)
    assert rows[0].state == "open"
    assert rows[0].exercises[0].best is None


def test_retired_exercise_no_longer_counts(make_user, make_track, make_submission):
    """Does retiring an exercise remove it from the stage's threshold?"""
    trainee = make_user()
    track = two_stage_track(make_track)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10)
    assert states(trainee, track) == ["open", "locked"]
    second.retired = True
    db.session.commit()
    assert states(trainee, track) == ["passed", "open"]


def test_optional_exercise_does_not_count(make_user, make_track, make_submission):
    """Is an optional exercise left out of the stage share?"""
    trainee = make_user()
    track = make_track([{"exercises": [{"points": 10}, {"points": 10, "required": False}]}])
    make_submission(trainee, track.stages[0].exercises[0], score=10)
    assert states(trainee, track) == ["passed"]


def test_signoff_required_before_stage_passes(make_user, make_track, make_submission):
    """Does a sign-off stage wait for the mentor's approval before the next opens?"""
    trainee, mentor = make_user(), make_user(role="mentor")
    track = two_stage_track(make_track, signoff=True)
    for exercise in track.stages[0].exercises:
        make_submission(trainee, exercise, score=10)
    rows = progress.track_progress(trainee.id, track)
    assert [r.state for r in rows] == ["open", "locked"]
    assert rows[0].waiting_for_signoff
    db.session.add(SignOff(trainee=trainee, stage=track.stages[0], status="approved", decided_by=mentor))
    db.session.commit()
    assert states(trainee, track) == ["passed", "open"]


def test_exercise_status(make_user, make_track, make_submission):
    """Are exercises reported as not started, in progress and passed?"""
    from tic_academy.models import Draft

    trainee = make_user()
    track = make_track([{"exercises": [{"points": 10}, {"points": 10}, {"points": 10}]}])
    a, b, c = track.stages[0].exercises
    make_submission(trainee, a, score=10)
    db.session.add(Draft(trainee=trainee, exercise=b, answers={"jawaban": "x = 1"}))
    db.session.commit()
    rows = progress.track_progress(trainee.id, track)[0].exercises
    assert [r.status for r in rows] == ["passed", "in_progress", "not_started"]


def test_locked_exercise_is_not_open(make_user, make_track):
    """Is an exercise of a locked stage reported as not open?"""
    trainee = make_user()
    track = two_stage_track(make_track)
    rows = progress.track_progress(trainee.id, track)
    assert progress.is_exercise_open(rows, track.stages[0].exercises[0].id)
    assert not progress.is_exercise_open(rows, track.stages[1].exercises[0].id)


def test_pace_on_track_behind_ahead(make_user, make_track, make_submission, make_enrollment):
    """Does the pace plan say on track, behind by N and ahead correctly?"""
    trainee = make_user()
    track = make_track([{"threshold": 0.5, "exercises": [{"week": 1}, {"week": 1}, {"week": 2}, {"week": 3}]}])
    enrollment = make_enrollment(trainee, track, start_date=today_wib() - timedelta(days=7))  # week 2
    cohort = enrollment.cohort
    rows = progress.track_progress(trainee.id, track)
    plan = progress.pace(cohort, rows, today_wib())
    assert (plan.week, plan.expected, plan.behind_by, plan.status) == (2, 2, 2, "behind")
    e1, e2, e3, e4 = track.stages[0].exercises
    make_submission(trainee, e1, score=10)
    make_submission(trainee, e2, score=5)  # exactly the 0.5 threshold
    plan = progress.pace(cohort, progress.track_progress(trainee.id, track), today_wib())
    assert (plan.behind_by, plan.status) == (0, "on_track")
    make_submission(trainee, e4, score=10)
    plan = progress.pace(cohort, progress.track_progress(trainee.id, track), today_wib())
    assert (plan.ahead_by, plan.status) == (1, "ahead")


def test_week_before_start_is_zero(make_user, make_track, make_enrollment):
    """Is nobody behind before the cohort starts?"""
    trainee = make_user()
    track = make_track([{"exercises": [{"week": 1}]}])
    cohort = make_enrollment(trainee, track, start_date=today_wib() + timedelta(days=3)).cohort
    plan = progress.pace(cohort, progress.track_progress(trainee.id, track), today_wib())
    assert (plan.week, plan.expected, plan.status) == (0, 0, "on_track")


def test_next_exercise_and_current_stage(make_user, make_track, make_submission):
    """Is the next exercise the first unpassed one of an open stage?"""
    trainee = make_user()
    track = two_stage_track(make_track)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10)
    rows = progress.track_progress(trainee.id, track)
    assert progress.next_exercise(rows).exercise.id == second.id
    assert progress.current_stage(rows).stage.id == track.stages[0].id


def test_mentor_override_counts_in_progress_and_dashboards(make_user, make_track, make_submission, make_enrollment):
    """Does a mentor's score override count, the same way, for the trainee's progress and the dashboards?"""
    from tic_academy.models import ScoreOverride
    from tic_academy.services.dashboards import load_cohort

    trainee, mentor = make_user(), make_user(role="mentor")
    track = make_track([{"exercises": [{"points": 10}]}])
    cohort = make_enrollment(trainee, track).cohort
    submission = make_submission(trainee, track.stages[0].exercises[0], score=2)
    assert states(trainee, track) == ["open"]
    db.session.add(ScoreOverride(submission_id=submission.id, score=9, auto_score=2, reason="tes salah", by=mentor))
    db.session.commit()
    assert states(trainee, track) == ["passed"]
    [row] = load_cohort(cohort).trainees
    assert [s.state for s in row.stages] == ["passed"]
    assert row.points == 9


# --- scores held for integrity flags -------------------------------------------------------


def test_held_submission_does_not_open_the_next_stage(make_user, make_track, make_submission):
    """Does a full-marks submission whose score is held leave the stage open and the next locked?"""
    trainee = make_user()
    track = two_stage_track(make_track)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10)
    make_submission(trainee, second, score=10, integrity_status="held")
    rows = progress.track_progress(trainee.id, track)
    assert [row.state for row in rows] == ["open", "locked"]
    assert rows[0].exercises[1].best is None and rows[0].exercises[1].started


def test_cleared_submission_counts_and_opens_the_next_stage(make_user, make_track, make_submission):
    """Once a mentor clears a held submission, does its score count and the next stage open?"""
    trainee = make_user()
    track = two_stage_track(make_track)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10)
    held = make_submission(trainee, second, score=10, integrity_status="held")
    held.integrity_status = "cleared"
    db.session.commit()
    assert states(trainee, track) == ["passed", "open"]


def test_confirmed_violation_counts_as_zero(make_user, make_track, make_submission):
    """Does a confirmed violation count as 0 while an earlier honest score on the exercise still counts?"""
    trainee = make_user()
    track = two_stage_track(make_track)
    first, second = track.stages[0].exercises
    make_submission(trainee, first, score=10, integrity_status="confirmed")
    make_submission(trainee, second, score=6)
    make_submission(trainee, second, score=10, integrity_status="confirmed")
    rows = progress.track_progress(trainee.id, track)
    assert [row.state for row in rows] == ["open", "locked"]
    assert rows[0].exercises[0].best == 0.0 and rows[0].exercises[1].best == 0.6


def test_held_score_is_left_out_of_the_dashboards_until_cleared(make_user, make_track, make_submission, make_enrollment):
    """Do the dashboards follow the same rule: a held score waits, and the figures change once it is cleared?"""
    from tic_academy.clock import now_utc
    from tic_academy.services.dashboards import load_cohort

    trainee = make_user()
    track = make_track([{"exercises": [{"points": 10}]}])
    cohort = make_enrollment(trainee, track).cohort
    submission = make_submission(trainee, track.stages[0].exercises[0], score=10, integrity_status="held")
    [row] = load_cohort(cohort).trainees
    assert [s.state for s in row.stages] == ["open"] and row.points == 0
    submission.integrity_status, submission.integrity_decided_at = "cleared", now_utc()
    db.session.commit()
    [row] = load_cohort(cohort).trainees
    assert [s.state for s in row.stages] == ["passed"] and row.points == 10


def test_effective_score_is_the_same_in_python_and_in_sql(make_user, make_track, make_submission):
    """Do Submission.score/share/counts_for_progress give the same answer for one row and in a query?"""
    from sqlalchemy import select

    from tic_academy.models import ScoreOverride, Submission

    trainee, mentor = make_user(), make_user(role="mentor")
    exercise = two_stage_track(make_track).stages[0].exercises[0]
    plain = make_submission(trainee, exercise, score=6)
    overridden = make_submission(trainee, exercise, score=4)
    db.session.add(ScoreOverride(submission_id=overridden.id, score=9.0, auto_score=4.0, reason="Alasan", by_id=mentor.id))
    confirmed = make_submission(trainee, exercise, score=10, integrity_status="confirmed")
    confirmed_overridden = make_submission(trainee, exercise, score=10, integrity_status="confirmed")
    db.session.add(ScoreOverride(submission_id=confirmed_overridden.id, score=8.0, auto_score=10.0, reason="Alasan",
                                 by_id=mentor.id))
    held = make_submission(trainee, exercise, score=10, integrity_status="held")
    check = make_submission(trainee, exercise, score=10, mode="check")
    failed = make_submission(trainee, exercise, score=None, status="failed")
    db.session.commit()
    rows = [plain, overridden, confirmed, confirmed_overridden, held, check, failed]
    for row in rows:
        db.session.refresh(row)
    in_sql = {
        submission_id: (score, share, bool(counts))
        for submission_id, score, share, counts in db.session.execute(
            select(Submission.id, Submission.score, Submission.share, Submission.counts_for_progress)
            .outerjoin(ScoreOverride, ScoreOverride.submission_id == Submission.id)
        )
    }
    in_python = {row.id: (row.score, row.share, row.counts_for_progress) for row in rows}
    assert in_python == in_sql
    assert in_python[overridden.id] == (9.0, 0.9, True)  # the mentor's override replaces the automatic score
    assert in_python[confirmed_overridden.id] == (0.0, 0.0, True)  # a confirmed violation counts 0, override or not
    assert in_python[held.id][2] is False and in_python[check.id][2] is False


def test_below_the_bar_needs_revision_whatever_the_mentor_said(make_user, make_track, make_submission):
    """Is a graded exercise below the bar "needs revision", and a passed one "passed" even after "request changes"?"""
    from tic_academy.models.mentoring import Review

    trainee, mentor = make_user(), make_user(role="mentor")
    track = two_stage_track(make_track)
    low, high = track.stages[0].exercises
    make_submission(trainee, low, score=3)
    passing = make_submission(trainee, high, score=10)
    db.session.add(Review(submission_id=passing.id, reviewer_id=mentor.id, decision="changes_requested"))
    db.session.commit()
    rows = {row.exercise.id: row.status for row in progress.track_progress(trainee.id, track)[0].exercises}
    assert rows == {low.id: "needs_revision", high.id: "passed"}
    assert [row.status for row in progress.track_progress(trainee.id, track)[1].exercises] == ["not_started"]
