"""Progress rules: stage states, exercise status and the pace plan.

- An exercise is *passed* when its best auto score (share of its points, over
  every graded submission; resubmitting lower never loses it; a mentor's
  override replaces the automatic score) meets its stage's threshold; graded
  but below it, it *needs revision* (``ExerciseProgress.status``).
- A submission held for its integrity flags does not count at all until a
  mentor clears it; one whose violation a mentor confirmed counts as 0. So a
  flagged submission never opens a stage by itself.
- A stage is *passed* when the best scores of its required exercises add up to
  the stage's threshold share of their points, every ``must_pass`` exercise
  itself reaches that threshold, and, where the stage requires it, a mentor
  approved it. Retired exercises no longer count.
- The first stage is open; each next stage opens when the one before is passed.
- The pace plan: by today a trainee should have passed the required exercises
  planned for weeks that have ended.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from ..enums import EnrollmentStatus, ExerciseStatus, PaceStatus, SignOffStatus, StageState
from ..extensions import db
from ..models import (
    BestScore, Cohort, Draft, Enrollment, Exercise, ExerciseVersion, SignOff, Stage, Track, User,
)
from ..models.types import UTCDateTime

LOCKED, OPEN, PASSED = StageState.LOCKED, StageState.OPEN, StageState.PASSED


@dataclass
class ExerciseProgress:
    """Where a trainee stands on one exercise."""

    exercise: Exercise
    #: Best share (0..1) of the exercise's points over graded submissions; None if never graded.
    best: Optional[float]
    max_score: float
    started: bool
    passed: bool

    @property
    def best_score(self) -> Optional[float]:
        """Best points, on the current version's scale."""
        return None if self.best is None else round(self.best * self.max_score, 2)

    @property
    def status(self) -> str:
        """not_started, in_progress, needs_revision (graded, but below the stage's bar) or passed."""
        if self.passed:
            return ExerciseStatus.PASSED
        if self.best is not None:
            return ExerciseStatus.NEEDS_REVISION
        return ExerciseStatus.IN_PROGRESS if self.started else ExerciseStatus.NOT_STARTED


@dataclass
class StageProgress:
    """Where a trainee stands on one stage."""

    stage: Stage
    state: str
    #: Share of the required exercises' points earned (best scores).
    share: float
    exercises: list[ExerciseProgress] = field(default_factory=list)
    threshold_met: bool = False
    signoff: Optional[SignOff] = None

    @property
    def must_pass_missing(self) -> list[ExerciseProgress]:
        """The must-pass exercises that have not reached the stage's threshold yet."""
        return [row for row in self.exercises if row.exercise.must_pass and not row.passed]

    @property
    def waiting_for_signoff(self) -> bool:
        """Threshold met, but the mentor has not approved yet."""
        return self.threshold_met and self.stage.signoff_required and self.state != PASSED


@dataclass
class Pace:
    """The pace plan for one trainee today."""

    week: int
    expected: int
    behind_by: int
    ahead_by: int

    @property
    def status(self) -> str:
        """on_track, behind or ahead."""
        if self.behind_by:
            return PaceStatus.BEHIND
        return PaceStatus.AHEAD if self.ahead_by else PaceStatus.ON_TRACK


def best_shares(trainee_ids: list[int], exercise_ids: list[int]) -> dict[int, dict[int, float]]:
    """trainee -> exercise -> best score share over graded submissions that count (one query, best-score table)."""
    if not trainee_ids or not exercise_ids:
        return {}
    rows = db.session.execute(
        select(BestScore.trainee_id, BestScore.exercise_id, BestScore.best_share).where(
            BestScore.trainee_id.in_(trainee_ids),
            BestScore.exercise_id.in_(exercise_ids),
            BestScore.best_share.is_not(None),
        )
    ).all()
    result: dict[int, dict[int, float]] = {}
    for trainee_id, exercise_id, share in rows:
        result.setdefault(trainee_id, {})[exercise_id] = float(share)
    return result


def started_exercises(trainee_ids: list[int], exercise_ids: list[int]) -> dict[int, set[int]]:
    """trainee -> exercises they have a draft or a submission for (one query)."""
    if not trainee_ids or not exercise_ids:
        return {}
    drafts = select(Draft.trainee_id, Draft.exercise_id).where(
        Draft.trainee_id.in_(trainee_ids), Draft.exercise_id.in_(exercise_ids)
    )
    submitted = select(BestScore.trainee_id, BestScore.exercise_id).where(
        BestScore.trainee_id.in_(trainee_ids), BestScore.exercise_id.in_(exercise_ids), BestScore.submissions > 0
    )
    result: dict[int, set[int]] = {}
    for trainee_id, exercise_id in db.session.execute(drafts.union(submitted)):
        result.setdefault(trainee_id, set()).add(exercise_id)
    return result


def last_activity(trainee_ids: list[int]) -> dict[int, datetime]:
    """trainee -> their newest draft save or submission (two grouped queries)."""
    if not trainee_ids:
        return {}
    result: dict[int, datetime] = {}
    for column, owner in ((Draft.updated_at, Draft.trainee_id), (BestScore.last_submitted_at, BestScore.trainee_id)):
        rows = db.session.execute(
            select(owner, func.max(column, type_=UTCDateTime())).where(owner.in_(trainee_ids)).group_by(owner)
        )
        for trainee_id, moment in rows:
            if moment is not None and (trainee_id not in result or moment > result[trainee_id]):
                result[trainee_id] = moment
    return result


def track_progress(trainee_id: int, track: Track) -> list[StageProgress]:
    """Every active stage of the track with its state and exercises, in order."""
    return progress_of_trainees([(trainee_id, track)])[trainee_id]


def progress_of_trainees(trainees: list[tuple[int, Track]]) -> dict[int, list[StageProgress]]:
    """trainee -> their stages (as ``track_progress``), for many trainees in a fixed number of queries.

    Three queries per distinct track for its stages, then four for every trainee
    together, however many trainees there are.
    """
    stage_exercises_of: dict[int, list] = {}
    for _trainee_id, track in trainees:
        if track.id not in stage_exercises_of:
            stage_exercises_of[track.id] = [
                (stage, [(e, e.current_version.max_score if e.current_version else 0.0)
                         for e in stage.exercises if not e.retired])
                for stage in active_stages(track)
            ]
    ids = sorted({e.id for rows in stage_exercises_of.values() for _, exercises in rows for e, _ in exercises})
    trainee_ids = [trainee_id for trainee_id, _ in trainees]
    best = best_shares(trainee_ids, ids)
    started = started_exercises(trainee_ids, ids)
    signoffs: dict[int, dict[int, SignOff]] = {}
    if trainee_ids:
        for signoff in db.session.scalars(select(SignOff).where(SignOff.trainee_id.in_(trainee_ids))):
            signoffs.setdefault(signoff.trainee_id, {})[signoff.stage_id] = signoff
    result: dict[int, list[StageProgress]] = {}
    for trainee_id, track in trainees:
        own_signoffs = signoffs.get(trainee_id, {})
        approved = {stage_id for stage_id, s in own_signoffs.items() if s.status == SignOffStatus.APPROVED}
        rows = evaluate_stages(stage_exercises_of[track.id], best.get(trainee_id, {}),
                               started.get(trainee_id, set()), approved)
        for row in rows:
            row.signoff = own_signoffs.get(row.stage.id)
        result[trainee_id] = rows
    return result


def active_stages(track: Track) -> list[Stage]:
    """The track's active stages with their exercises and version scores, in one query (every trainee
    page, autosave and dashboard asks for them: three round trips were two too many on PostgreSQL).

    Notebook sources and project templates (up to megabytes each) stay unloaded: progress needs only
    max_score.
    """
    return list(
        db.session.scalars(
            select(Stage)
            .where(Stage.track_id == track.id, ~Stage.retired)
            .order_by(Stage.position)
            .options(
                joinedload(Stage.exercises)
                .joinedload(Exercise.current_version)
                .options(defer(ExerciseVersion.source), defer(ExerciseVersion.template_archive))
            )
        ).unique()
    )


def evaluate_stages(stage_exercises, best: dict[int, float], started: set[int], approved: set[int]) -> list[StageProgress]:
    """The stage rules on figures already loaded (also used by the dashboards for whole cohorts).

    ``stage_exercises`` is ``[(stage, [(exercise, max_score), ...]), ...]`` in
    order; ``best`` maps exercise ids to best shares; ``approved`` holds the ids
    of stages a mentor signed off.
    """
    result: list[StageProgress] = []
    previous_passed = True
    for stage, exercises in stage_exercises:
        threshold = stage.pass_threshold - 1e-9
        rows = []
        for exercise, max_score in exercises:
            share = best.get(exercise.id)
            passed = share is not None and share >= threshold
            rows.append(ExerciseProgress(exercise, share, max_score, share is not None or exercise.id in started, passed))
        share = stage_share(rows)
        # A must-pass exercise (e.g. a security notebook) cannot be made up for by the others.
        threshold_met = share >= threshold and all(row.passed for row in rows if row.exercise.must_pass)
        passed = threshold_met and (stage.id in approved or not stage.signoff_required)
        state = PASSED if (previous_passed and passed) else (OPEN if previous_passed else LOCKED)
        result.append(StageProgress(stage, state, share, rows, threshold_met))
        previous_passed = state == PASSED
    return result


def stage_share(rows: list[ExerciseProgress]) -> float:
    """Share of the required exercises' auto-graded points earned (1.0 when there are none)."""
    required = [row for row in rows if row.exercise.required and row.max_score > 0]
    total = sum(row.max_score for row in required)
    if total == 0:
        return 1.0
    return sum((row.best or 0.0) * row.max_score for row in required) / total


def is_exercise_open(stages: list[StageProgress], exercise_id: int) -> bool:
    """Is the exercise in a stage that is open or passed (not locked, not retired)?"""
    for row in stages:
        if any(e.exercise.id == exercise_id for e in row.exercises):
            return row.state != LOCKED
    return False


def pace(cohort: Cohort, stages: list[StageProgress], today: date) -> Pace:
    """How the trainee stands against the plan: required exercises of ended weeks."""
    week = cohort.week_on(today)
    required = [e for s in stages for e in s.exercises if e.exercise.required]
    expected = [e for e in required if e.exercise.week < week]
    behind_by = sum(1 for e in expected if not e.passed)
    ahead_by = sum(1 for e in required if e.exercise.week > week and e.passed)
    return Pace(week=week, expected=len(expected), behind_by=behind_by, ahead_by=ahead_by)


@dataclass
class TraineeStanding:
    """Where one of a mentor's trainees stands: the stage they work on, their pace, their last activity."""

    enrollment: Enrollment
    stage: Optional[StageProgress]
    pace: Pace
    last_activity: Optional[datetime]


def mentor_trainees(mentor_id: int, today: date) -> list[TraineeStanding]:
    """The mentor's active trainees with their standing, in a fixed number of queries (not one set per trainee)."""
    enrollments = db.session.scalars(
        select(Enrollment)
        .where(Enrollment.mentor_id == mentor_id, Enrollment.status == EnrollmentStatus.ACTIVE)
        .options(
            selectinload(Enrollment.cohort).selectinload(Cohort.track),
            selectinload(Enrollment.trainee).selectinload(User.opd),
        )
    ).all()
    stages = progress_of_trainees([(e.trainee_id, e.cohort.track) for e in enrollments])
    active = last_activity([e.trainee_id for e in enrollments])
    return [
        TraineeStanding(
            enrollment=e,
            stage=current_stage(stages[e.trainee_id]),
            pace=pace(e.cohort, stages[e.trainee_id], today),
            last_activity=active.get(e.trainee_id),
        )
        for e in enrollments
    ]


def current_stage(stages: list[StageProgress]) -> Optional[StageProgress]:
    """The first stage that is open but not passed (None when all are passed)."""
    return next((s for s in stages if s.state == OPEN), None)


def next_exercise(stages: list[StageProgress]) -> Optional[ExerciseProgress]:
    """The first exercise of an open stage that is not passed yet."""
    for stage in stages:
        if stage.state == LOCKED:
            break
        for row in stage.exercises:
            if not row.passed:
                return row
    return None
