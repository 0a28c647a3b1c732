"""must_pass exercises: a stage is passed only when each of them reaches the stage's threshold itself."""
from tic_academy.extensions import db
from tic_academy.services import progress
from tic_academy.services.dashboards import load_cohort


def stage_with_must_pass(make_track):
    """One stage (threshold 0.7) of three 10-point exercises; the third must pass, then a second stage."""
    track = make_track([
        {"threshold": 0.7, "weeks": (1, 2), "exercises": [{"points": 10}, {"points": 10}, {"points": 10}]},
        {"weeks": (3, 4), "exercises": [{"points": 5}]},
    ])
    track.stages[0].exercises[2].must_pass = True
    db.session.commit()
    return track


def states(trainee, track):
    """The stage states of a trainee (trainee pages)."""
    return [row.state for row in progress.track_progress(trainee.id, track)]


def test_stage_not_passed_with_zero_on_a_must_pass_exercise(make_user, make_track, make_submission, make_enrollment):
    """Is a stage with a high share but 0 on the must-pass exercise not passed, on the trainee page and dashboards?"""
    trainee = make_user()
    track = stage_with_must_pass(make_track)
    first, second, security = track.stages[0].exercises
    cohort = make_enrollment(trainee, track).cohort
    make_submission(trainee, first, score=10)
    make_submission(trainee, second, score=10)
    make_submission(trainee, security, score=1)  # 21 / 30 = 0.7: enough share, but 0.1 on the must-pass one
    [stage, _] = progress.track_progress(trainee.id, track)
    assert stage.state == "open" and not stage.threshold_met
    assert [row.exercise.id for row in stage.must_pass_missing] == [security.id]
    [row] = load_cohort(cohort).trainees
    assert [s.state for s in row.stages] == ["open", "locked"]


def test_must_pass_exactly_at_threshold_passes(make_user, make_track, make_submission, make_enrollment):
    """Does the must-pass exercise at exactly the threshold (7 of 10) pass the stage, on both pages?"""
    trainee = make_user()
    track = stage_with_must_pass(make_track)
    first, second, security = track.stages[0].exercises
    cohort = make_enrollment(trainee, track).cohort
    make_submission(trainee, first, score=7)
    make_submission(trainee, second, score=7)
    make_submission(trainee, security, score=7)
    assert states(trainee, track) == ["passed", "open"]
    [row] = load_cohort(cohort).trainees
    assert [s.state for s in row.stages] == ["passed", "open"]


def test_must_pass_just_below_threshold_blocks(make_user, make_track, make_submission):
    """Does 6.9 of 10 on the must-pass exercise keep the stage open, even with full marks elsewhere?"""
    trainee = make_user()
    track = stage_with_must_pass(make_track)
    first, second, security = track.stages[0].exercises
    make_submission(trainee, first, score=10)
    make_submission(trainee, second, score=10)
    make_submission(trainee, security, score=6.9)
    assert states(trainee, track) == ["open", "locked"]
