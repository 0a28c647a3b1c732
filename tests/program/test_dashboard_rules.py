"""Dashboard aggregates at their edges: each OPD and cohort apart, empty groups, week boundaries, the funnel.

Written for the mutation run (``make mutate``): each test fails when one operator of the
aggregates in ``services/dashboards.py`` changes.
"""
from datetime import datetime, time, timedelta, timezone

import pytest

from tests.program.conftest import grade
from tic_academy.clock import WIB, now_utc, today_wib
from tic_academy.extensions import db
from tic_academy.models import SignOff
from tic_academy.services import dashboards


def test_of_opd_and_opd_lines_keep_each_opd_apart(make_cohort, make_user, enroll, make_nomination):
    """Are an OPD's trainees, nominations and averages its own, never another OPD's or another cohort's?"""
    cohort, elsewhere = make_cohort(status="running"), make_cohort(status="planned")
    head, other_head = make_user(role="opd_head"), make_user(role="opd_head")
    mine, theirs = make_user(opd=head.opd), make_user(opd=other_head.opd)
    enroll(cohort, mine), enroll(cohort, theirs)
    pass_all_of(mine, cohort)
    make_nomination(cohort, head, status="enrolled")
    make_nomination(cohort, head, status="submitted")
    make_nomination(cohort, head, status="draft")
    make_nomination(cohort, other_head, status="approved")
    make_nomination(elsewhere, head, status="approved")
    figures = dashboards.load_cohort(cohort)
    assert [row.trainee_id for row in figures.of_opd(head.opd_id)] == [mine.id]
    lines = {line.opd_id: line for line in dashboards.opd_lines(figures)}
    assert set(lines) == {head.opd_id, other_head.opd_id}
    assert (lines[head.opd_id].nominated, lines[head.opd_id].approved) == (2, 1)
    assert (lines[other_head.opd_id].nominated, lines[other_head.opd_id].approved) == (1, 1)
    assert lines[head.opd_id].summary.average_progress == 1.0
    assert lines[other_head.opd_id].summary.average_progress == 0.0
    assert lines[head.opd_id].name == head.opd.short_name


def pass_all_of(trainee, cohort, points=10.0, when=None):
    """Full marks (or ``points``) on every exercise of the cohort's track."""
    for stage in cohort.track.stages:
        for exercise in stage.exercises:
            grade(trainee, exercise, points, when=when)
    db.session.commit()


def test_nomination_counts_filter_by_cohort_and_opd(make_cohort, make_user, make_nomination):
    """Are nominations counted per status for the asked cohort and OPD only (all cohorts when none is given)?"""
    cohort, elsewhere = make_cohort(), make_cohort()
    head, other_head = make_user(role="opd_head"), make_user(role="opd_head")
    make_nomination(cohort, head, status="submitted")
    make_nomination(cohort, head, status="submitted")
    make_nomination(cohort, other_head, status="approved")
    make_nomination(elsewhere, head, status="rejected")
    assert dashboards.nomination_counts(cohort.id, head.opd_id) == {head.opd_id: {"submitted": 2}}
    assert dashboards.nomination_counts(cohort.id) == {head.opd_id: {"submitted": 2}, other_head.opd_id: {"approved": 1}}
    assert dashboards.nomination_counts(None, head.opd_id) == {head.opd_id: {"submitted": 2, "rejected": 1}}


def test_another_cohorts_signoff_and_work_stay_out(make_track, make_cohort, make_user, enroll):
    """Is a cohort's figure built from its own enrollments: withdrawn trainees and other cohorts' trainees stay out?"""
    track = make_track(signoff=True)
    cohort, elsewhere = make_cohort(status="running", track=track), make_cohort(status="running", track=track)
    mine, gone, theirs = make_user(), make_user(), make_user()
    enroll(cohort, mine), enroll(cohort, gone, status="withdrawn"), enroll(elsewhere, theirs)
    pass_all_of(theirs, elsewhere)
    db.session.add(SignOff(trainee_id=theirs.id, stage_id=track.stages[0].id, status="approved"))
    db.session.add(SignOff(trainee_id=mine.id, stage_id=track.stages[0].id, status="requested"))
    db.session.commit()
    [row] = dashboards.load_cohort(cohort).trainees
    assert row.trainee_id == mine.id and row.points == 0.0 and row.passed_stages == 0
    assert row.last_submission_at is None
    pass_all_of(mine, cohort)
    assert dashboards.load_cohort(cohort).trainees[0].passed_stages == 0  # the sign-off is only requested


def test_retired_stages_and_exercises_are_left_out(make_cohort, make_user, enroll):
    """Do a retired stage and a retired exercise drop out of the dashboard's stages and points?"""
    cohort = make_cohort(status="running")
    trainee = make_user()
    enroll(cohort, trainee)
    pass_all_of(trainee, cohort)
    first, second = cohort.track.stages
    second.retired = True
    first.exercises[1].retired = True
    db.session.commit()
    [row] = dashboards.load_cohort(cohort).trainees
    assert [s.stage.id for s in row.stages] == [first.id]
    assert [e.exercise.id for e in row.stages[0].exercises] == [first.exercises[0].id]
    assert row.points == 10.0 and row.all_passed


def test_a_trainees_row_adds_up(make_cohort, make_user, enroll):
    """Do points, progress, passed stages, the current stage and last activity come out right for one row?"""
    cohort = make_cohort(status="running")
    trainee = make_user()
    trainee.last_login_at = now_utc() - timedelta(days=3)
    enroll(cohort, trainee)
    first, second = cohort.track.stages
    grade(trainee, first.exercises[0], 10.0)
    grade(trainee, first.exercises[1], 7.25)
    grade(trainee, second.exercises[0], 2.0, when=now_utc() - timedelta(days=1))
    db.session.commit()
    [row] = dashboards.load_cohort(cohort).trainees
    assert row.points == 19.2  # rounded to one decimal
    assert row.progress == pytest.approx(19.25 / 40)
    assert (row.passed_stages, row.all_passed, row.current_stage.id) == (1, False, second.id)
    assert row.last_active == row.last_submission_at
    assert abs((row.last_active - now_utc()).total_seconds()) < 60


def test_last_active_is_the_later_of_login_and_submission():
    """Is a trainee's last activity the later of their last log-in and last submission, and None without both?"""
    now = now_utc()
    row = dashboards.TraineeRow(1, 1, "A", "a@contoh.test", None, "—", None, "active", now, [], None, None)
    assert row.last_active == now
    row.last_submission_at = now - timedelta(days=1)
    assert row.last_active == now
    row.last_login_at = None
    assert row.last_active == now - timedelta(days=1)
    row.last_submission_at = None
    assert row.last_active is None
    assert not row.all_passed and row.current_stage is None


def test_summary_of_a_group(make_cohort, make_user, enroll):
    """Does a summary count active trainees for "on track" and every trainee for the averages?"""
    cohort = make_cohort(status="running")  # week 3: both week-1 and week-2 exercises are due
    done, idle, graduated = make_user(), make_user(), make_user()
    enroll(cohort, done), enroll(cohort, idle), enroll(cohort, graduated, status="graduated")
    pass_all_of(done, cohort)
    pass_all_of(graduated, cohort)
    summary = dashboards.summarise(dashboards.load_cohort(cohort).trainees)
    assert (summary.trainees, summary.active, summary.graduated) == (3, 2, 1)
    assert summary.on_track_share == 0.5
    assert summary.average_progress == pytest.approx(2 / 3)
    assert summary.average_passed_stages == pytest.approx(4 / 3)
    assert summary.passed_stages == 4
    empty = dashboards.summarise([])
    assert (empty.trainees, empty.on_track_share, empty.average_progress, empty.average_passed_stages) == (0, 0.0, 0.0, 0.0)


def test_the_cohort_week_is_zero_when_planned_and_capped_at_the_last_week(make_cohort):
    """Is a planned cohort in week 0, a running one in its week, and a long-finished one in its last week?"""
    running = make_cohort(status="running")
    assert dashboards.load_cohort(running).week == 3
    assert dashboards.load_cohort(make_cohort(status="planned")).week == 0
    finished = make_cohort(status="finished", start_date=today_wib() - timedelta(days=70))
    assert dashboards.load_cohort(finished).week == 4
    just_over = make_cohort(status="finished", start_date=today_wib() - timedelta(days=28))
    assert dashboards.load_cohort(just_over).week == 4


def test_first_pass_week_at_the_week_boundary(make_cohort, make_user, enroll):
    """Is a pass one second before midnight WIB at the end of week 1 in week 1, and at midnight in week 2?"""
    monday = today_wib() - timedelta(days=today_wib().weekday() + 14)
    cohort = make_cohort(status="running", start_date=monday)
    early, late, below = make_user(), make_user(), make_user()
    for trainee in (early, late, below):
        enroll(cohort, trainee)
    exercise = cohort.track.stages[0].exercises[0]
    week_two = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=WIB).astimezone(timezone.utc)
    grade(early, exercise, 10.0, when=week_two - timedelta(seconds=1))
    grade(late, exercise, 7.0, when=week_two)
    grade(below, exercise, 6.9, when=week_two)
    db.session.commit()
    rows = {row.trainee_id: row for row in dashboards.load_cohort(cohort).trainees}
    assert rows[early.id].first_pass_week == {exercise.id: 1}
    assert rows[late.id].first_pass_week == {exercise.id: 2}  # exactly at the threshold: a pass
    assert rows[below.id].first_pass_week == {}
    assert [s.state for s in rows[late.id].stages] == ["open", "locked"]


def test_first_pass_is_the_earliest_passing_week_after_the_track_ends_too(make_cohort, make_user, enroll):
    """Is the first pass the earliest passing submission, and one after the last week counted past it?"""
    monday = today_wib() - timedelta(days=today_wib().weekday() + 35)
    cohort = make_cohort(status="running", start_date=monday)  # 4-week track, now in week 6
    trainee, latecomer = make_user(), make_user()
    enroll(cohort, trainee), enroll(cohort, latecomer)
    exercise = cohort.track.stages[0].exercises[0]
    start = datetime.combine(monday, time(9), tzinfo=WIB)
    grade(trainee, exercise, 3.0, when=start + timedelta(days=1))
    grade(trainee, exercise, 10.0, when=start + timedelta(days=15))
    grade(trainee, exercise, 8.0, when=start + timedelta(days=22))
    grade(latecomer, exercise, 10.0, when=start + timedelta(days=29))
    db.session.commit()
    rows = {row.trainee_id: row for row in dashboards.load_cohort(cohort).trainees}
    assert rows[trainee.id].first_pass_week == {exercise.id: 3}
    assert rows[latecomer.id].first_pass_week == {exercise.id: 5}


def test_weekly_series_plan_and_actual(make_cohort, make_user, enroll):
    """Does the plan count exercises due by each week, and the actual the passes up to that week over everyone?"""
    monday = today_wib() - timedelta(days=today_wib().weekday() + 14)
    cohort = make_cohort(status="running", start_date=monday)  # week 3 of 4; exercises in weeks 1, 2, 3, 4
    fast, slow = make_user(), make_user()
    enroll(cohort, fast), enroll(cohort, slow)
    start = datetime.combine(monday, time(9), tzinfo=WIB)
    first, second = cohort.track.stages[0].exercises
    third = cohort.track.stages[1].exercises[0]
    grade(fast, first, 10.0, when=start)
    grade(fast, second, 10.0, when=start + timedelta(days=8))
    grade(fast, third, 10.0, when=start + timedelta(days=15))
    grade(slow, first, 10.0, when=start + timedelta(days=8))
    db.session.commit()
    figures = dashboards.load_cohort(cohort)
    series = dashboards.weekly_series(figures, figures.trainees)
    assert series["weeks"] == [1, 2, 3]
    assert series["plan"] == [25.0, 50.0, 75.0]
    assert series["actual"] == [12.5, 37.5, 50.0]
    assert dashboards.weekly_series(figures, [])["actual"] == [0.0, 0.0, 0.0]


def test_weekly_series_leaves_out_passes_after_this_week(make_cohort, make_user, enroll):
    """Is a pass recorded after the current week (a clock running ahead) left out of the weeks shown?"""
    monday = today_wib() - timedelta(days=today_wib().weekday() + 7)
    cohort = make_cohort(status="running", start_date=monday)  # week 2
    trainee = make_user()
    enroll(cohort, trainee)
    exercise = cohort.track.stages[0].exercises[0]
    grade(trainee, exercise, 10.0, when=datetime.combine(monday + timedelta(days=15), time(9), tzinfo=WIB))
    db.session.commit()
    figures = dashboards.load_cohort(cohort)
    assert figures.trainees[0].first_pass_week == {exercise.id: 3}
    assert dashboards.weekly_series(figures, figures.trainees)["actual"] == [0.0, 0.0]


def test_funnel_counts_each_step(make_cohort, make_user, enroll, make_nomination):
    """Does the funnel count nominated, approved, active, each stage passed and graduated?"""
    cohort = make_cohort(status="running")
    head = make_user(role="opd_head")
    done, half, graduated = make_user(opd=head.opd), make_user(opd=head.opd), make_user(opd=head.opd)
    enroll(cohort, done), enroll(cohort, half), enroll(cohort, graduated, status="graduated")
    pass_all_of(done, cohort)
    for exercise in cohort.track.stages[0].exercises:
        grade(half, exercise, 10.0)
    db.session.commit()
    for status in ("enrolled", "enrolled", "enrolled", "approved", "rejected", "withdrawn"):
        make_nomination(cohort, head, status=status)
    figures = dashboards.load_cohort(cohort)
    steps = dashboards.funnel(figures, dashboards.opd_lines(figures), "id")
    assert steps == [("nominated", 5), ("approved", 4), ("active", 3), ("Tahap 1", 2), ("Tahap 2", 1),
                     ("graduated", 1)]


def test_cohort_overview_counts_enrolled_not_withdrawn(make_cohort, make_user, enroll):
    """Does the overview list every cohort, newest first, with its trainees not withdrawn?"""
    old, new = make_cohort(status="running"), make_cohort(status="planned")
    enroll(old, make_user()), enroll(old, make_user()), enroll(old, make_user(), status="withdrawn")
    enroll(new, make_user(), status="withdrawn")
    assert [(cohort.id, count) for cohort, count in dashboards.cohort_overview()] == [(new.id, 0), (old.id, 2)]


def test_default_cohort_is_the_newest_running_else_the_newest(make_cohort):
    """Does a dashboard open on the newest running cohort, else the newest of all, else none?"""
    assert dashboards.default_cohort([]) is None
    older = make_cohort(status="running", start_date=today_wib() - timedelta(days=60))
    running = make_cohort(status="running")
    planned = make_cohort(status="planned")
    same_day = make_cohort(status="running", start_date=running.start_date)
    assert dashboards.default_cohort([older, running, planned]).id == running.id
    assert dashboards.default_cohort([older, same_day, running]).id == same_day.id  # same start: the later id
    assert dashboards.default_cohort([planned, make_cohort(status="finished")]).id == planned.id


def test_cohorts_of_an_opd_are_those_with_its_trainees_or_nominations(make_cohort, make_user, enroll, make_nomination):
    """Does an OPD see the cohorts where it has trainees or nominations, newest first, and no other cohort?"""
    head, other_head = make_user(role="opd_head"), make_user(role="opd_head")
    with_trainee = make_cohort(status="running")
    with_nomination = make_cohort(status="planned")
    not_ours = make_cohort(status="planned")
    enroll(with_trainee, make_user(opd=head.opd))
    enroll(not_ours, make_user(opd=other_head.opd))
    make_nomination(with_nomination, head, status="draft")
    make_nomination(not_ours, other_head, status="submitted")
    assert [c.id for c in dashboards.cohorts_of_opd(head.opd_id)] == [with_nomination.id, with_trainee.id]


def row_with(*exercises):
    """A trainee row of one stage holding ``(required, best, max_score)`` exercises."""
    from tic_academy.services import progress

    rows = [progress.ExerciseProgress(dashboards.ExerciseFacts(n, required, 1), best, max_score, best is not None,
                                      False)
            for n, (required, best, max_score) in enumerate(exercises)]
    stage = progress.StageProgress(stage=None, state="open", share=0.0, exercises=rows)
    return dashboards.TraineeRow(1, 1, "A", "a@contoh.test", None, "—", None, "active", None, [stage], None, None)


def test_progress_counts_required_points_only():
    """Is a row's progress the required points earned over the required points: optional ones and unscored aside?"""
    assert row_with((True, 1.0, 10.0), (False, 0.0, 10.0)).progress == 1.0  # the optional one is left out
    assert row_with((True, 0.5, 10.0), (True, None, 10.0)).progress == 0.25  # not handed in: 0
    assert row_with((True, 0.0, 1.0), (True, 1.0, 3.0)).progress == 0.75  # a one-point exercise counts
    assert row_with((True, 1.0, 0.0)).progress == 0.0  # nothing to earn: 0, not a division by zero
    assert row_with().progress == 0.0


def test_only_the_cohorts_own_track_counts(make_cohort, make_user, enroll):
    """With two cohorts on different tracks, does each cohort's figure hold only its own stages and exercises?"""
    mine, other = make_cohort(status="running"), make_cohort(status="running")
    trainee = make_user()
    enroll(mine, trainee)
    figures = dashboards.load_cohort(mine)
    own_exercises = [e for s in mine.track.stages for e in s.exercises]
    assert [s.id for s in figures.stages] == [s.id for s in mine.track.stages]
    assert sorted(figures.required) == sorted((e.id, e.week) for e in own_exercises)
    assert [len(s.exercises) for s in figures.trainees[0].stages] == [2, 2]
    assert other.track.id != mine.track.id


def test_a_retired_stages_exercises_leave_the_plan(make_cohort):
    """Do the exercises of a retired stage leave the weekly plan's required list?"""
    cohort = make_cohort(status="running")
    first, second = cohort.track.stages
    second.retired = True
    db.session.commit()
    assert dashboards.load_cohort(cohort).required == [(e.id, e.week) for e in first.exercises]


def test_an_unpublished_exercise_weighs_nothing_on_the_dashboard(make_cohort, make_user, enroll):
    """Does an exercise without a current version stay out of a trainee's progress on the dashboard?"""
    cohort = make_cohort(status="running")
    trainee = make_user()
    enroll(cohort, trainee)
    exercises = [e for s in cohort.track.stages for e in s.exercises]
    for exercise in exercises[:-1]:
        grade(trainee, exercise, 10.0)
    exercises[-1].current_version = None
    db.session.commit()
    [row] = dashboards.load_cohort(cohort).trainees
    assert row.progress == 1.0 and row.all_passed


def test_a_row_names_the_trainees_own_opd_and_mentor(make_cohort, make_user, enroll):
    """Does each row show the trainee's own OPD and mentor, and a dash for a trainee without an OPD?"""
    cohort = make_cohort(status="running")
    head = make_user(role="opd_head")
    ani, budi = make_user(role="mentor", full_name="Ani"), make_user(role="mentor", full_name="Budi")
    with_opd, without_opd = make_user(full_name="A Peserta", opd=head.opd), make_user(full_name="B Peserta", opd=None)
    enroll(cohort, with_opd, mentor=ani), enroll(cohort, without_opd, mentor=budi)
    rows = {row.trainee_id: row for row in dashboards.load_cohort(cohort).trainees}
    assert (rows[with_opd.id].opd_name, rows[with_opd.id].mentor_name) == (head.opd.short_name, "Ani")
    assert (rows[without_opd.id].opd_name, rows[without_opd.id].mentor_name) == ("—", "Budi")


def test_a_pass_before_the_start_counts_in_week_one_and_one_in_the_last_week_in_it(make_cohort, make_user, enroll):
    """Is a pass made before the cohort started counted in week 1, and a pass in the last week in that week?"""
    monday = today_wib() - timedelta(days=today_wib().weekday() + 21)
    cohort = make_cohort(status="running", start_date=monday)  # 4-week track, now in week 4
    early, last = make_user(), make_user()
    enroll(cohort, early), enroll(cohort, last)
    exercise = cohort.track.stages[0].exercises[0]
    start = datetime.combine(monday, time(9), tzinfo=WIB)
    grade(early, exercise, 10.0, when=start - timedelta(days=2))
    grade(last, exercise, 10.0, when=start + timedelta(days=22))
    db.session.commit()
    figures = dashboards.load_cohort(cohort)
    rows = {row.trainee_id: row for row in figures.trainees}
    assert rows[early.id].first_pass_week == {exercise.id: 1}
    assert rows[last.id].first_pass_week == {exercise.id: 4}
    assert dashboards.weekly_series(figures, [rows[early.id]])["actual"] == [25.0, 25.0, 25.0, 25.0]


def test_a_held_or_check_mode_pass_is_not_the_first_pass(make_cohort, make_user, enroll):
    """Are a held full-marks submission and a check-mode run in week 1 ignored, so the first pass is in week 2?"""
    monday = today_wib() - timedelta(days=today_wib().weekday() + 14)
    cohort = make_cohort(status="running", start_date=monday)
    trainee = make_user()
    enroll(cohort, trainee)
    exercise = cohort.track.stages[0].exercises[0]
    start = datetime.combine(monday, time(9), tzinfo=WIB)
    grade(trainee, exercise, 10.0, when=start).integrity_status = "held"
    grade(trainee, exercise, 10.0, when=start + timedelta(days=1)).mode = "check"
    grade(trainee, exercise, 10.0, when=start + timedelta(days=8))
    db.session.commit()
    [row] = dashboards.load_cohort(cohort).trainees
    assert row.first_pass_week == {exercise.id: 2}


def test_an_override_changes_only_its_own_submission(make_cohort, make_user, enroll):
    """Does a mentor's override replace the score of its own submission only, not the trainee's other work?"""
    from tic_academy.models import ScoreOverride

    cohort = make_cohort(status="running")
    trainee, mentor = make_user(), make_user(role="mentor")
    enroll(cohort, trainee)
    first, second = cohort.track.stages[0].exercises
    overridden = grade(trainee, first, 2.0)
    grade(trainee, second, 5.0)
    db.session.commit()
    db.session.add(ScoreOverride(submission_id=overridden.id, score=9.0, auto_score=2.0, reason="Tes keliru",
                                 by_id=mentor.id))
    db.session.commit()
    [row] = dashboards.load_cohort(cohort).trainees
    assert row.points == 14.0


def test_the_city_table_lists_opds_with_trainees_or_with_nominations(make_cohort, make_user, enroll, make_nomination):
    """Is an OPD listed when it has only trainees in the cohort, and one that has only nominations?"""
    cohort = make_cohort(status="running")
    with_trainees, with_nominations = make_user(role="opd_head"), make_user(role="opd_head")
    enroll(cohort, make_user(opd=with_trainees.opd))
    make_nomination(cohort, with_nominations, status="submitted")
    lines = dashboards.opd_lines(dashboards.load_cohort(cohort))
    assert {line.opd_id for line in lines} == {with_trainees.opd_id, with_nominations.opd_id}


def test_weekly_percentages_are_rounded_to_one_decimal(make_track, make_cohort, make_user, enroll):
    """With three required exercises, are the plan and the actual shown as 33.3, 66.7 and 100.0 (one decimal)?"""
    track = make_track(stages=1, per_stage=3, weeks=3)  # exercises planned in weeks 1, 2 and 3
    monday = today_wib() - timedelta(days=today_wib().weekday() + 14)
    cohort = make_cohort(status="running", track=track, start_date=monday)
    trainee = make_user()
    enroll(cohort, trainee)
    grade(trainee, track.stages[0].exercises[0], 10.0, when=datetime.combine(monday, time(9), tzinfo=WIB))
    db.session.commit()
    figures = dashboards.load_cohort(cohort)
    series = dashboards.weekly_series(figures, figures.trainees)
    assert series["plan"] == [33.3, 66.7, 100.0]
    assert series["actual"] == [33.3, 33.3, 33.3]


def test_a_track_without_required_exercises_plans_nothing(make_track, make_cohort, make_user, enroll):
    """Is the plan 0 % every week when the track has no required exercise (not a division by zero)?"""
    track = make_track(stages=1, per_stage=1, weeks=2)
    track.stages[0].exercises[0].required = False
    db.session.commit()
    cohort = make_cohort(status="running", track=track, start_date=today_wib() - timedelta(days=7))
    enroll(cohort, make_user())
    figures = dashboards.load_cohort(cohort)
    assert dashboards.weekly_series(figures, figures.trainees) == {"weeks": [1, 2], "plan": [0.0, 0.0],
                                                                  "actual": [0.0, 0.0]}
