"""The early warning's six signals: each fires, clears (its item closes) and is not opened twice."""
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import Draft, Enrollment, ReviewItem, RunCount, TestResult, WarningSignal
from tic_academy.services import warnings
from tic_academy.services.warnings import WarningSettings

from .conftest import NOW

QUIET = WarningSettings(reminders=False)


def signals(kind, trainee=None):
    """Signals of one kind (of one trainee), oldest first."""
    query = select(WarningSignal).where(WarningSignal.kind == kind).order_by(WarningSignal.id)
    if trainee is not None:
        query = query.where(WarningSignal.trainee_id == trainee.id)
    return list(db.session.scalars(query))


def open_signals(kind, trainee=None):
    """Open signals of one kind."""
    return [s for s in signals(kind, trainee) if s.closed_at is None]


def assert_fires_once_then_clears(kind, trainee, clear, settings=QUIET, now=NOW):
    """The signal opens with a queue item, a second run adds nothing, and ``clear()`` closes both."""
    warnings.run_daily(settings, now)
    [signal] = open_signals(kind, trainee)
    assert signal.item.kind == "warning" and signal.item.status == "open"
    assert signal.item.mentor_id is not None
    warnings.run_daily(settings, now + timedelta(hours=1))
    assert len(signals(kind, trainee)) == 1, "a second run must not open the same signal again"
    clear()
    warnings.run_daily(settings, now + timedelta(hours=2))
    db.session.refresh(signal)
    assert signal.closed_how == "cleared" and signal.active_key is None
    assert signal.item.status == "done"
    return signal


def test_inactive_fires_dedupes_and_clears(enrol):
    """Does a trainee without activity for 4 working days get one signal that clears when they work?"""
    trainee = enrol(last_login_at=NOW - timedelta(days=6))  # Thursday a week before: 4 working days

    def clear():
        db.session.add(Draft(trainee_id=trainee.id, exercise_id=1, answers={}, updated_at=NOW + timedelta(hours=1)))
        db.session.commit()

    signal = assert_fires_once_then_clears("inactive", trainee, clear)
    assert signal.data["workdays"] == 4.0 and signal.data["since"] == "2026-11-26"


def test_inactive_threshold_is_a_setting(enrol):
    """Does a higher inactivity threshold keep the same trainee quiet?"""
    trainee = enrol(last_login_at=NOW - timedelta(days=6))
    warnings.run_daily(replace(QUIET, inactive_workdays=5), NOW)
    assert signals("inactive", trainee) == []


def test_active_trainee_gets_no_inactive_signal(trainee):
    """Does a trainee who logged in today stay without an inactivity signal?"""
    warnings.run_daily(QUIET, NOW)
    assert signals("inactive", trainee) == []


def test_behind_pace_fires_and_clears(trainee, track, make_submission):
    """Is a trainee two exercises behind the plan in week 3 flagged, and cleared once caught up?"""
    later = NOW + timedelta(days=15)  # Thursday of week 3: weeks 1 and 2 are over
    settings = replace(QUIET, behind_exercises=2, inactive_workdays=50)

    def clear():
        for exercise in (track.stages[0].exercises[0], track.stages[1].exercises[0]):
            make_submission(trainee, exercise, score=10)

    signal = assert_fires_once_then_clears("behind_pace", trainee, clear, settings, later)
    assert signal.data["behind"] == 2 and signal.data["week"] == 3


def test_behind_pace_threshold_is_a_setting(trainee):
    """Does a threshold of three exercises keep a trainee two behind quiet?"""
    warnings.run_daily(replace(QUIET, behind_exercises=3), NOW + timedelta(days=15))
    assert signals("behind_pace", trainee) == []


def submit_with_test(make_submission, trainee, exercise, status, **values):
    """A graded submission whose test "uji_1" ended with ``status`` (5 of 10 points: the exercise is not passed)."""
    submission = make_submission(trainee, exercise, score=5 if status == "passed" else 0, **values)
    db.session.add(TestResult(submission_id=submission.id, grade_id="uji_1", status=status, title="Tugas 1"))
    db.session.commit()
    return submission


def test_same_test_failing_fires_and_clears(trainee, track, make_submission):
    """Does a test that failed five times in a row (after a pass) fire, and clear when it passes?"""
    exercise = track.stages[0].exercises[0]
    submit_with_test(make_submission, trainee, exercise, "passed")
    for _ in range(5):
        submit_with_test(make_submission, trainee, exercise, "failed")

    signal = assert_fires_once_then_clears(
        "test_streak", trainee, lambda: submit_with_test(make_submission, trainee, exercise, "passed"))
    assert signal.exercise_id == exercise.id
    assert signal.data == {"test": "uji_1", "title": "Tugas 1", "times": 5}


def test_failures_before_a_pass_do_not_count(trainee, track, make_submission):
    """Are failures broken by a pass not "in a row" (four, a pass, one: no signal at five)?"""
    exercise = track.stages[0].exercises[0]
    for status in ["failed"] * 4 + ["passed", "failed"]:
        submit_with_test(make_submission, trainee, exercise, status)
    warnings.run_daily(QUIET, NOW)
    assert signals("test_streak", trainee) == []
    warnings.run_daily(replace(QUIET, failed_in_a_row=2), NOW)
    assert signals("test_streak", trainee) == []
    warnings.run_daily(replace(QUIET, failed_in_a_row=1), NOW)
    assert len(signals("test_streak", trainee)) == 1


def test_passed_exercise_has_no_failing_test_signal(trainee, track, make_submission):
    """Once the exercise is passed, does a test that still fails stop being a warning?"""
    exercise = track.stages[0].exercises[0]
    for _ in range(5):
        submit_with_test(make_submission, trainee, exercise, "failed")
    make_submission(trainee, exercise, score=8)  # 80 %: the exercise is passed without that test
    warnings.run_daily(QUIET, NOW)
    assert signals("test_streak", trainee) == []


def test_runs_without_check_fires_and_clears(trainee, track):
    """Do 20 Runs and no Check in a week fire, and does one Check clear it?"""
    exercise = track.stages[0].exercises[0]
    for _ in range(20):
        warnings.count_run(trainee.id, exercise.id, "run", NOW - timedelta(days=1))
    signal = assert_fires_once_then_clears(
        "runs_no_check", trainee, lambda: warnings.count_run(trainee.id, exercise.id, "check", NOW))
    assert signal.data == {"runs": 20, "days": 7}


def test_run_counter_keeps_one_row_per_day(trainee, track):
    """Do Runs and Checks of one day add up on one row?"""
    exercise = track.stages[0].exercises[0]
    for mode in ("run", "run", "check"):
        warnings.count_run(trainee.id, exercise.id, mode, NOW)
    [row] = db.session.scalars(select(RunCount)).all()
    assert (row.runs, row.checks) == (2, 1)


def test_runs_threshold_is_a_setting(trainee, track):
    """Does a threshold of 30 Runs keep 20 Runs quiet?"""
    exercise = track.stages[0].exercises[0]
    for _ in range(20):
        warnings.count_run(trainee.id, exercise.id, "run", NOW)
    warnings.run_daily(replace(QUIET, runs_without_check=30), NOW)
    assert signals("runs_no_check", trainee) == []


def slow_world(enrol, track, make_submission):
    """Three cohort mates passed exercise 1.1 within an hour; the trainee submitted five working days ago, still failing."""
    exercise = track.stages[0].exercises[0]
    for _ in range(3):
        peer = enrol()
        make_submission(peer, exercise, score=0, created_at=NOW - timedelta(days=8))
        make_submission(peer, exercise, score=10, created_at=NOW - timedelta(days=8) + timedelta(hours=1))
    slow = enrol()
    make_submission(slow, exercise, score=0, created_at=NOW - timedelta(days=7))
    return slow, exercise


def test_slow_to_pass_fires_and_clears(enrol, track, make_submission):
    """Is a trainee far slower than the cohort's median flagged, and cleared when they pass?"""
    slow, exercise = slow_world(enrol, track, make_submission)
    signal = assert_fires_once_then_clears(
        "slow_pass", slow, lambda: make_submission(slow, exercise, score=10, created_at=NOW + timedelta(hours=1)))
    assert signal.data["workdays"] == 5.0 and signal.data["median"] == 0.0
    assert signals("slow_pass") == [signal], "the peers who passed are not slow"


def test_slow_factor_is_a_setting(enrol, track, make_submission):
    """Does the factor matter: a trainee 2 days slower than a 1-day median is quiet at factor 3, flagged at 1.5?"""
    exercise = track.stages[0].exercises[0]
    for _ in range(3):
        peer = enrol()
        make_submission(peer, exercise, score=0, created_at=NOW - timedelta(days=9))  # Monday
        make_submission(peer, exercise, score=10, created_at=NOW - timedelta(days=8))  # Tuesday: 1 working day
    slow = enrol()
    make_submission(slow, exercise, score=0, created_at=NOW - timedelta(days=2))  # Monday: 2 working days ago
    warnings.run_daily(QUIET, NOW)
    assert signals("slow_pass", slow) == []
    warnings.run_daily(replace(QUIET, slow_factor=1.5), NOW)
    assert len(signals("slow_pass", slow)) == 1


def test_locked_stage_is_not_judged(enrol, track, make_submission):
    """Are exercises of a stage the trainee cannot open yet left out (no failing-test or slow signal there)?"""
    exercise = track.stages[1].exercises[0]  # stage 2: locked while stage 1 is not passed
    for _ in range(3):
        peer = enrol()
        make_submission(peer, exercise, score=10, created_at=NOW - timedelta(days=8))
    slow = enrol()
    for _ in range(5):
        submit_with_test(make_submission, slow, exercise, "failed", created_at=NOW - timedelta(days=7))
    warnings.run_daily(QUIET, NOW)
    assert signals("test_streak", slow) == [] and signals("slow_pass", slow) == []


def test_deadline_near_fires_and_clears(trainee, track, make_submission):
    """Is stage 1 (ending Sunday, 2.6 working days away) not passed flagged, and cleared when passed?"""
    signal = assert_fires_once_then_clears(
        "deadline", trainee, lambda: make_submission(trainee, track.stages[0].exercises[0], score=10))
    assert signal.stage_id == track.stages[0].id
    assert signal.data == {"deadline": "2026-12-06", "workdays": 2.5}  # as the run an hour later saw it


def test_deadline_window_is_a_setting(trainee):
    """Does a window of two working days keep a deadline 2.6 working days away quiet?"""
    warnings.run_daily(replace(QUIET, deadline_workdays=2), NOW)
    assert signals("deadline", trainee) == []


def test_withdrawn_trainee_signals_clear(trainee):
    """Does a trainee who left the cohort lose their open signals on the next run?"""
    warnings.run_daily(QUIET, NOW)
    assert open_signals("deadline", trainee)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.trainee_id == trainee.id))
    enrollment.status = "withdrawn"
    db.session.commit()
    warnings.run_daily(QUIET, NOW)
    assert open_signals("deadline", trainee) == []
    assert db.session.scalar(select(ReviewItem).where(ReviewItem.kind == "warning")).status == "done"
