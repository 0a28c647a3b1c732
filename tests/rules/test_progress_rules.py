"""Progress rules stated at their edges: isolation between trainees, exact thresholds and the pace plan's weeks.

Written for the mutation run (``make mutate``): each test fails when one operator of
``services/progress.py`` changes.
"""
from datetime import timedelta

from tic_academy.clock import today_wib
from tic_academy.extensions import db
from tic_academy.models import Draft, SignOff
from tic_academy.services import progress


def one_stage(make_track, threshold=0.7, signoff=False, points=(10, 10)):
    """A track of one stage with exercises of the given points (week 1, 2, ...)."""
    exercises = [{"week": week, "points": p} for week, p in enumerate(points, start=1)]
    return make_track([{"threshold": threshold, "signoff": signoff, "exercises": exercises}])


def test_best_shares_reads_only_the_asked_trainees_and_exercises(make_user, make_track, make_submission):
    """Does the best-score query answer for the asked trainees and exercises only, never another trainee's?"""
    alice, budi = make_user(), make_user()
    asked, other = one_stage(make_track).stages[0].exercises
    make_submission(alice, asked, score=4)
    make_submission(budi, asked, score=10)
    make_submission(alice, other, score=10)
    assert progress.best_shares([alice.id], [asked.id]) == {alice.id: {asked.id: 0.4}}


def test_another_trainees_full_marks_do_not_pass_my_stage(make_user, make_track, make_submission):
    """Is a stage still open for a trainee with nothing handed in while another trainee has full marks?"""
    alice, budi = make_user(), make_user()
    track = one_stage(make_track)
    for exercise in track.stages[0].exercises:
        make_submission(budi, exercise, score=10)
    [stage] = progress.track_progress(alice.id, track)
    assert stage.state == "open" and stage.share == 0.0
    assert [row.best for row in stage.exercises] == [None, None]


def test_started_exercises_reads_only_the_asked_trainees_and_exercises(make_user, make_track, make_submission):
    """Are another trainee's drafts and submissions, and other exercises, left out of "started"?"""
    alice, budi = make_user(), make_user()
    asked, other = one_stage(make_track).stages[0].exercises
    db.session.add_all([Draft(trainee=budi, exercise=asked, answers={}), Draft(trainee=alice, exercise=other, answers={})])
    db.session.commit()
    make_submission(budi, asked, score=1)
    make_submission(alice, other, score=1)
    assert progress.started_exercises([alice.id], [asked.id]) == {}
    make_submission(alice, asked, score=None, status="queued")
    assert progress.started_exercises([alice.id], [asked.id]) == {alice.id: {asked.id}}


def test_progress_of_several_trainees_keeps_each_ones_figures(make_user, make_track, make_submission):
    """Computed together, does each trainee get their own stages, sign-offs and shares?"""
    alice, budi, mentor = make_user(), make_user(), make_user(role="mentor")
    track = one_stage(make_track, signoff=True)
    for exercise in track.stages[0].exercises:
        make_submission(alice, exercise, score=10)
        make_submission(budi, exercise, score=10)
    db.session.add(SignOff(trainee=budi, stage=track.stages[0], status="approved", decided_by=mentor))
    db.session.commit()
    rows = progress.progress_of_trainees([(alice.id, track), (budi.id, track)])
    assert [s.state for s in rows[alice.id]] == ["open"] and rows[alice.id][0].signoff is None
    assert [s.state for s in rows[budi.id]] == ["passed"] and rows[budi.id][0].signoff.status == "approved"


def test_requested_signoff_does_not_pass_the_stage(make_user, make_track, make_submission):
    """Does a sign-off that is only requested (not approved) leave the stage waiting?"""
    trainee = make_user()
    track = one_stage(make_track, signoff=True)
    for exercise in track.stages[0].exercises:
        make_submission(trainee, exercise, score=10)
    db.session.add(SignOff(trainee=trainee, stage=track.stages[0], status="requested"))
    db.session.commit()
    [stage] = progress.track_progress(trainee.id, track)
    assert stage.state == "open" and stage.waiting_for_signoff


def test_last_activity_is_the_newest_of_drafts_and_submissions_per_trainee(make_user, make_track, make_submission):
    """Is a trainee's last activity their own newest draft save or submission, whichever is later?"""
    from tic_academy.clock import now_utc

    alice, budi, idle, stranger = make_user(), make_user(), make_user(), make_user()
    exercise = one_stage(make_track).stages[0].exercises[0]
    make_submission(stranger, exercise, score=1)
    long_ago, recently = now_utc() - timedelta(days=5), now_utc() - timedelta(hours=1)
    db.session.add(Draft(trainee=alice, exercise=exercise, answers={}, updated_at=long_ago))
    db.session.commit()
    make_submission(alice, exercise, score=1, created_at=recently)
    make_submission(budi, exercise, score=1, created_at=long_ago)
    db.session.add(Draft(trainee=budi, exercise=exercise, answers={}, updated_at=recently))
    db.session.commit()
    active = progress.last_activity([alice.id, budi.id, idle.id])
    assert set(active) == {alice.id, budi.id}
    assert abs((active[alice.id] - recently).total_seconds()) < 1
    assert abs((active[budi.id] - recently).total_seconds()) < 1
    assert progress.last_activity([]) == {}


def test_best_score_is_rounded_to_two_decimals():
    """Is the best score shown on the version's scale, rounded to two decimals?"""
    row = progress.ExerciseProgress(exercise=None, best=1 / 3, max_score=10, started=True, passed=False)
    assert row.best_score == 3.33
    assert progress.ExerciseProgress(None, None, 10, False, False).best_score is None


def test_must_pass_missing_lists_only_unpassed_must_pass_exercises(make_user, make_track, make_submission):
    """Are only the must-pass exercises still below the bar listed, not passed ones nor ordinary ones?"""
    trainee = make_user()
    track = one_stage(make_track, points=(10, 10, 10))
    done, missing, ordinary = track.stages[0].exercises
    done.must_pass = missing.must_pass = True
    db.session.commit()
    make_submission(trainee, done, score=10)
    [stage] = progress.track_progress(trainee.id, track)
    assert [row.exercise.id for row in stage.must_pass_missing] == [missing.id]


def test_waiting_for_signoff_only_when_the_stage_needs_one_and_met_its_threshold(make_user, make_track, make_submission):
    """Is a stage "waiting for sign-off" only when it requires one, met its threshold and is not passed?"""
    trainee = make_user()
    plain, signed, unmet = (one_stage(make_track), one_stage(make_track, signoff=True),
                            one_stage(make_track, signoff=True))
    for track in (plain, signed):
        for exercise in track.stages[0].exercises:
            make_submission(trainee, exercise, score=10)
    assert not progress.track_progress(trainee.id, plain)[0].waiting_for_signoff
    assert progress.track_progress(trainee.id, signed)[0].waiting_for_signoff
    assert not progress.track_progress(trainee.id, unmet)[0].waiting_for_signoff


def test_exercise_exactly_at_the_threshold_is_passed_and_just_below_is_not(make_user, make_track, make_submission):
    """Is an exercise at exactly the stage's threshold passed, and one a hair below it not?"""
    trainee = make_user()
    at, below = one_stage(make_track, threshold=0.7).stages[0].exercises
    make_submission(trainee, at, score=7)
    make_submission(trainee, below, score=6.99)
    rows = progress.track_progress(trainee.id, at.stage.track)[0].exercises
    assert [(row.passed, row.status) for row in rows] == [(True, "passed"), (False, "needs_revision")]


def test_stage_share_ignores_optional_and_pointless_exercises(make_user, make_track, make_submission):
    """Do optional exercises and exercises worth 0 points stay out of the stage share (1.0 when nothing is left)?"""
    trainee = make_user()
    track = make_track([
        {"exercises": [{"points": 10}, {"points": 10, "required": False}]},
        {"exercises": [{"points": 10, "required": False}]},
    ])
    required, optional = track.stages[0].exercises
    make_submission(trainee, required, score=5)
    make_submission(trainee, optional, score=10)
    first, second = progress.track_progress(trainee.id, track)
    assert first.share == 0.5
    assert second.share == 1.0
    zero = progress.ExerciseProgress(required, 1.0, 0.0, True, True)
    half = progress.ExerciseProgress(required, 0.5, 10.0, True, False)
    assert progress.stage_share([zero, half]) == 0.5


def test_stage_share_weighs_exercises_by_their_points(make_user, make_track, make_submission):
    """Is the stage share the points earned over the points possible (not an average of shares)?"""
    trainee = make_user()
    track = one_stage(make_track, points=(10, 30))
    small, big = track.stages[0].exercises
    make_submission(trainee, small, score=10)
    [stage] = progress.track_progress(trainee.id, track)
    assert stage.share == 0.25


def test_a_passed_stage_after_a_locked_one_stays_locked(make_user, make_track, make_submission):
    """Does passing the exercises of stage 3 leave it locked while stage 2 is not passed?"""
    trainee = make_user()
    track = make_track([{"exercises": [{"points": 10}]}, {"exercises": [{"points": 10}]}, {"exercises": [{"points": 10}]}])
    make_submission(trainee, track.stages[0].exercises[0], score=10)
    make_submission(trainee, track.stages[2].exercises[0], score=10)
    rows = progress.track_progress(trainee.id, track)
    assert [row.state for row in rows] == ["passed", "open", "locked"]
    assert not progress.is_exercise_open(rows, track.stages[2].exercises[0].id)
    assert not progress.is_exercise_open(rows, 999_999)


def test_next_exercise_stops_at_the_first_locked_stage(make_user, make_track, make_submission):
    """With every open exercise passed but a sign-off missing, is there no next exercise in the locked stage?"""
    trainee = make_user()
    track = make_track([{"signoff": True, "exercises": [{"points": 10}]}, {"exercises": [{"points": 10}]}])
    make_submission(trainee, track.stages[0].exercises[0], score=10)
    rows = progress.track_progress(trainee.id, track)
    assert progress.next_exercise(rows) is None
    assert progress.current_stage(rows).stage.id == track.stages[0].id


def test_pace_counts_only_weeks_that_have_ended(make_user, make_track, make_submission, make_enrollment):
    """In week 2, is a week-1 exercise expected, a week-2 one not yet, and only later weeks count as ahead?"""
    trainee = make_user()
    track = make_track([{"threshold": 0.5, "exercises": [{"week": 1}, {"week": 2}, {"week": 3}]}])
    cohort = make_enrollment(trainee, track, start_date=today_wib() - timedelta(days=7)).cohort  # week 2
    week1, week2, week3 = track.stages[0].exercises
    plan = progress.pace(cohort, progress.track_progress(trainee.id, track), today_wib())
    assert (plan.week, plan.expected, plan.behind_by, plan.ahead_by) == (2, 1, 1, 0)
    make_submission(trainee, week1, score=10)
    make_submission(trainee, week2, score=10)  # this week's exercise: on time, not ahead
    plan = progress.pace(cohort, progress.track_progress(trainee.id, track), today_wib())
    assert (plan.expected, plan.behind_by, plan.ahead_by, plan.status) == (1, 0, 0, "on_track")
    make_submission(trainee, week3, score=10)
    plan = progress.pace(cohort, progress.track_progress(trainee.id, track), today_wib())
    assert (plan.ahead_by, plan.status) == (1, "ahead")


def test_pace_leaves_optional_exercises_out(make_user, make_track, make_enrollment):
    """Is an optional exercise of an ended week never expected?"""
    trainee = make_user()
    track = make_track([{"exercises": [{"week": 1, "required": False}, {"week": 1}]}])
    cohort = make_enrollment(trainee, track, start_date=today_wib() - timedelta(days=14)).cohort  # week 3
    plan = progress.pace(cohort, progress.track_progress(trainee.id, track), today_wib())
    assert (plan.week, plan.expected, plan.behind_by) == (3, 1, 1)


def test_mentor_sees_only_their_active_trainees_with_their_own_standing(make_user, make_track, make_submission,
                                                                      make_enrollment):
    """Does a mentor's list hold only their active trainees, each with their own stage and pace?"""
    from tic_academy.models import Enrollment

    mentor, other_mentor = make_user(role="mentor"), make_user(role="mentor")
    alice, budi, gone, theirs = make_user(), make_user(), make_user(), make_user()
    track = make_track([{"exercises": [{"week": 1, "points": 10}]}, {"exercises": [{"week": 2, "points": 10}]}])
    start = today_wib() - timedelta(days=7)
    cohort = make_enrollment(alice, track, start_date=start, mentor=mentor).cohort
    db.session.add_all([
        Enrollment(cohort=cohort, trainee=budi, mentor=mentor),
        Enrollment(cohort=cohort, trainee=gone, mentor=mentor, status="withdrawn"),
        Enrollment(cohort=cohort, trainee=theirs, mentor=other_mentor),
    ])
    db.session.commit()
    make_submission(alice, track.stages[0].exercises[0], score=10)
    make_submission(theirs, track.stages[0].exercises[0], score=10)
    standing = {row.enrollment.trainee_id: row for row in progress.mentor_trainees(mentor.id, today_wib())}
    assert set(standing) == {alice.id, budi.id}
    assert standing[alice.id].stage.stage.id == track.stages[1].id and standing[alice.id].pace.behind_by == 0
    assert standing[budi.id].stage.stage.id == track.stages[0].id and standing[budi.id].pace.behind_by == 1
    assert standing[alice.id].last_activity is not None and standing[budi.id].last_activity is None


def test_an_exercise_without_a_version_yet_does_not_weigh_on_the_stage(make_user, make_track, make_submission):
    """Does an exercise not yet published (no current version) stay out of the stage share?"""
    trainee = make_user()
    track = one_stage(make_track, threshold=1.0)
    published, unpublished = track.stages[0].exercises
    unpublished.current_version = None
    db.session.commit()
    make_submission(trainee, published, score=10)
    [stage] = progress.track_progress(trainee.id, track)
    assert [row.max_score for row in stage.exercises] == [10.0, 0.0]
    assert (stage.share, stage.state) == (1.0, "passed")


def test_a_trainees_progress_shows_only_the_stages_of_their_own_track(make_user, make_track):
    """With two tracks in the program, does progress list only the stages of the track asked for?"""
    trainee = make_user()
    mine = make_track([{"exercises": [{"points": 10}]}])
    other = make_track([{"exercises": [{"points": 10}]}, {"exercises": [{"points": 10}]}])
    assert [row.stage.id for row in progress.track_progress(trainee.id, mine)] == [mine.stages[0].id]
    assert len(progress.track_progress(trainee.id, other)) == 2


def test_a_retired_stage_is_left_out_and_the_next_one_follows_the_last_active(make_user, make_track, make_submission):
    """Is a retired stage no longer listed, so the stage after it opens when the one before is passed?"""
    trainee = make_user()
    track = make_track([{"exercises": [{"points": 10}]}, {"exercises": [{"points": 10}]}, {"exercises": [{"points": 10}]}])
    first, retired, last = track.stages
    retired.retired = True
    db.session.commit()
    make_submission(trainee, first.exercises[0], score=10)
    rows = progress.track_progress(trainee.id, track)
    assert [(row.stage.id, row.state) for row in rows] == [(first.id, "passed"), (last.id, "open")]


def test_a_one_point_exercise_counts_in_the_stage_share(make_user, make_track, make_submission):
    """Does an exercise worth a single point weigh on the stage (only 0-point ones are left out)?"""
    trainee = make_user()
    track = make_track([{"exercises": [{"points": 1}]}])
    make_submission(trainee, track.stages[0].exercises[0], score=0)
    [stage] = progress.track_progress(trainee.id, track)
    assert (stage.share, stage.state) == (0.0, "open")
