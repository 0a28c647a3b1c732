"""The six early-warning conditions, each found for every active trainee at once (set-based queries).

Each ``find_*`` function takes the enrollments to look at (active trainees of running cohorts) and
returns ``Finding`` rows; services/warnings.py turns them into signals and queue items. The queries
group submissions, test results and Run counts for all trainees together (GROUP BY and a window
function that SQLite 3.25+ and PostgreSQL both run); Python only compares the grouped figures.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Optional

from sqlalchemy import and_, case, func, or_, select

from ..clock import day_wib, start_of_day_wib
from ..enums import SubmissionMode, SubmissionStatus
from ..extensions import db
from ..models import Enrollment, Exercise, ScoreOverride, Stage, Submission, TestResult
from ..models.signals import RunCount
from ..models.types import UTCDateTime
from .progress import OPEN, PASSED, StageProgress, last_activity, pace
from .workdays import workdays_between

INACTIVE, BEHIND_PACE, TEST_STREAK = "inactive", "behind_pace", "test_streak"
RUNS_NO_CHECK, SLOW_PASS, DEADLINE = "runs_no_check", "slow_pass", "deadline"
#: Every kind of signal, in the order pages list them.
SIGNAL_KINDS = (INACTIVE, BEHIND_PACE, TEST_STREAK, RUNS_NO_CHECK, SLOW_PASS, DEADLINE)
#: Test statuses that count as a failure of the test (not_run is neither a pass nor a failure).
FAILED_STATUSES = ("failed", "error", "timeout")
#: Runs are counted over the last week (calendar days, today included).
RUNS_WINDOW_DAYS = 7
#: A cohort median of time to first pass needs at least this many trainees who passed.
MIN_PEERS_FOR_MEDIAN = 3
#: Nobody is "slow" before one working day, however quick the cohort was.
MIN_SLOW_WORKDAYS = 1.0


@dataclass
class Finding:
    """One condition found for one trainee (on one exercise or stage where it applies)."""

    trainee_id: int
    kind: str
    exercise_id: Optional[int] = None
    stage_id: Optional[int] = None
    #: The figures behind the reason, stored as JSON and worded when shown.
    data: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """What makes two findings the same signal: trainee, kind, and exercise or stage."""
        return f"{self.trainee_id}:{self.kind}:{self.exercise_id or ''}:{self.stage_id or ''}"


def _active_ids(enrollments: list[Enrollment]) -> list[int]:
    return [e.trainee_id for e in enrollments]


def find_inactive(enrollments: list[Enrollment], now: datetime, min_workdays: float) -> list[Finding]:
    """No submission, draft save, Run/Check or log-in for ``min_workdays`` working days (since the cohort start if never)."""
    ids = _active_ids(enrollments)
    latest = last_activity(ids)
    for trainee_id, day in db.session.execute(
        select(RunCount.trainee_id, func.max(RunCount.day)).where(RunCount.trainee_id.in_(ids))
        .group_by(RunCount.trainee_id)
    ):
        # A Run counts from the end of its day: the counter keeps days, not moments.
        moment = min(start_of_day_wib(day + timedelta(days=1)), now)
        if trainee_id not in latest or moment > latest[trainee_id]:
            latest[trainee_id] = moment
    findings = []
    for enrollment in enrollments:
        login = enrollment.trainee.last_login_at
        moments = [m for m in (latest.get(enrollment.trainee_id), login) if m is not None]
        last = max(moments) if moments else None
        since = last or start_of_day_wib(enrollment.cohort.start_date)
        waited = workdays_between(since, now)
        if waited >= min_workdays:
            findings.append(Finding(enrollment.trainee_id, INACTIVE, data={
                "workdays": round(waited, 1), "since": day_wib(since).isoformat(), "never": last is None}))
    return findings


def find_behind_pace(enrollments: list[Enrollment], stages: dict[int, list[StageProgress]], today: date,
                     min_behind: int) -> list[Finding]:
    """Behind the week plan by at least ``min_behind`` required exercises (progress.pace)."""
    findings = []
    for enrollment in enrollments:
        plan = pace(enrollment.cohort, stages[enrollment.trainee_id], today)
        if plan.behind_by >= min_behind:
            findings.append(Finding(enrollment.trainee_id, BEHIND_PACE, data={
                "behind": plan.behind_by, "expected": plan.expected, "week": plan.week}))
    return findings


def find_test_streaks(enrollments: list[Enrollment], stages: dict[int, list[StageProgress]],
                      min_streak: int) -> list[Finding]:
    """The same test failed in at least ``min_streak`` consecutive submissions of an exercise the trainee works on.

    One finding per exercise (its longest streak), only for exercises not passed in an open stage
    (``_working_on``): a passed exercise or stage no longer blocks the trainee.
    """
    ids = _active_ids(enrollments)
    key = (Submission.trainee_id, Submission.exercise_id, TestResult.grade_id)
    results = (
        select(*key, Submission.id.label("submission_id"), TestResult.status, TestResult.title,
               func.max(case((TestResult.status == "passed", Submission.id))).over(partition_by=key)
               .label("last_pass"))
        .join(TestResult, TestResult.submission_id == Submission.id)
        .where(Submission.trainee_id.in_(ids), Submission.mode == SubmissionMode.SUBMIT,
               Submission.status == SubmissionStatus.GRADED)
        .subquery()
    )
    rows = db.session.execute(
        select(results.c.trainee_id, results.c.exercise_id, results.c.grade_id, func.count(),
               func.max(results.c.title))
        .where(results.c.status.in_(FAILED_STATUSES),
               or_(results.c.last_pass.is_(None), results.c.submission_id > results.c.last_pass))
        .group_by(results.c.trainee_id, results.c.exercise_id, results.c.grade_id)
        .having(func.count() >= min_streak)
    )
    working_on = _working_on(stages)
    longest: dict[tuple[int, int], Finding] = {}
    for trainee_id, exercise_id, grade_id, times, title in rows:
        if (trainee_id, exercise_id) not in working_on:
            continue
        current = longest.get((trainee_id, exercise_id))
        if current is None or times > current.data["times"]:
            longest[(trainee_id, exercise_id)] = Finding(trainee_id, TEST_STREAK, exercise_id=exercise_id, data={
                "test": grade_id, "title": title or "", "times": times})
    return list(longest.values())


def _working_on(stages: dict[int, list[StageProgress]]) -> set[tuple[int, int]]:
    """(trainee, exercise) pairs of exercises not passed yet in a stage open to the trainee (not passed, not locked)."""
    return {(trainee_id, row.exercise.id) for trainee_id, rows in stages.items()
            for stage in rows if stage.state == OPEN for row in stage.exercises if not row.passed}


def find_runs_without_check(enrollments: list[Enrollment], today: date, min_runs: int) -> list[Finding]:
    """At least ``min_runs`` Runs of an exercise this week, and no Check or submission of it."""
    first_day = today - timedelta(days=RUNS_WINDOW_DAYS - 1)
    submitted = select(Submission.id).where(
        Submission.trainee_id == RunCount.trainee_id, Submission.exercise_id == RunCount.exercise_id,
        Submission.created_at >= start_of_day_wib(first_day),
    ).exists()
    rows = db.session.execute(
        select(RunCount.trainee_id, RunCount.exercise_id, func.sum(RunCount.runs))
        .where(RunCount.trainee_id.in_(_active_ids(enrollments)), RunCount.day >= first_day, ~submitted)
        .group_by(RunCount.trainee_id, RunCount.exercise_id)
        .having(and_(func.sum(RunCount.runs) >= min_runs, func.sum(RunCount.checks) == 0))
    )
    return [Finding(trainee_id, RUNS_NO_CHECK, exercise_id=exercise_id, data={"runs": int(runs), "days": RUNS_WINDOW_DAYS})
            for trainee_id, exercise_id, runs in rows]


def find_slow_passes(enrollments: list[Enrollment], stages: dict[int, list[StageProgress]], now: datetime,
                     factor: float) -> list[Finding]:
    """Still not passed, ``factor`` times longer since the first submission than the cohort's median time to first pass.

    Time to first pass is counted in working days from the first submission of the exercise to
    the first submission that reached the stage's threshold. Only exercises the trainee works on
    (``_working_on``) are judged; every cohort mate who passed counts for the median.
    """
    cohort_of = {e.trainee_id: e.cohort_id for e in enrollments}
    passing = and_(Submission.counts_for_progress, Submission.share >= Stage.pass_threshold - 1e-9)
    rows = db.session.execute(
        select(Submission.trainee_id, Submission.exercise_id,
               func.min(Submission.created_at, type_=UTCDateTime()),
               func.min(case((passing, Submission.created_at)), type_=UTCDateTime()))
        .join(Exercise, Exercise.id == Submission.exercise_id)
        .join(Stage, Stage.id == Exercise.stage_id)
        .outerjoin(ScoreOverride, ScoreOverride.submission_id == Submission.id)
        .where(Submission.trainee_id.in_(list(cohort_of)), Submission.mode == SubmissionMode.SUBMIT)
        .group_by(Submission.trainee_id, Submission.exercise_id)
    ).all()
    working_on = _working_on(stages)
    passes: dict[tuple[int, int], list[tuple[datetime, datetime]]] = {}
    waiting = []
    for trainee_id, exercise_id, first, first_pass in rows:
        group = (cohort_of[trainee_id], exercise_id)
        if first_pass is not None:
            passes.setdefault(group, []).append((first, first_pass))
        elif (trainee_id, exercise_id) in working_on:
            waiting.append((trainee_id, exercise_id, first, group))
    medians: dict[tuple[int, int], Optional[float]] = {}
    findings = []
    for trainee_id, exercise_id, first, group in waiting:
        if group not in medians:  # only groups someone still works on need their median
            peers = passes.get(group, [])
            medians[group] = (statistics.median(workdays_between(a, b) for a, b in peers)
                              if len(peers) >= MIN_PEERS_FOR_MEDIAN else None)
        median = medians[group]
        if median is None:
            continue
        elapsed = workdays_between(first, now)
        if elapsed >= MIN_SLOW_WORKDAYS and elapsed > factor * median:
            findings.append(Finding(trainee_id, SLOW_PASS, exercise_id=exercise_id, data={
                "workdays": round(elapsed, 1), "median": round(median, 1), "factor": factor}))
    return findings


def stage_deadline(enrollment: Enrollment, stage: Stage) -> date:
    """The last day of the stage's last week in the cohort's calendar."""
    return enrollment.cohort.start_date + timedelta(days=7 * stage.week_end - 1)


def find_deadlines(enrollments: list[Enrollment], stages: dict[int, list[StageProgress]], now: datetime,
                   within_workdays: float) -> list[Finding]:
    """A stage not passed whose deadline ends within ``within_workdays`` working days (not yet past)."""
    findings = []
    for enrollment in enrollments:
        for row in stages[enrollment.trainee_id]:
            if row.state == PASSED:
                continue
            deadline = stage_deadline(enrollment, row.stage)
            left = workdays_between(now, start_of_day_wib(deadline + timedelta(days=1)))
            if 0 < left <= within_workdays:
                findings.append(Finding(enrollment.trainee_id, DEADLINE, stage_id=row.stage.id, data={
                    "deadline": deadline.isoformat(), "workdays": round(left, 1)}))
    return findings
