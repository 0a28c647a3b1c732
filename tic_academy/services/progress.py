"""Progress rules: stage states, exercise status and the pace plan.

- An exercise is *passed* when its best auto score (share of its points, over
  every graded submission; resubmitting lower never loses it; a mentor's
  override replaces the automatic score) meets its stage's threshold.
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
from datetime import date
from typing import Optional

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import defer, selectinload

from ..extensions import db
from ..models import Cohort, Draft, Exercise, ExerciseVersion, ScoreOverride, SignOff, Stage, Submission, Track

LOCKED, OPEN, PASSED = "locked", "open", "passed"


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
        """not_started, in_progress or passed."""
        if self.passed:
            return "passed"
        return "in_progress" if self.started else "not_started"


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
            return "behind"
        return "ahead" if self.ahead_by else "on_track"


def counts_for_progress():
    """SQL condition: a graded submit-mode submission whose score is not held for a mentor."""
    return and_(
        Submission.mode == "submit",
        Submission.status == "graded",
        Submission.max_score > 0,
        Submission.integrity_status != "held",
    )


def counted_share():
    """SQL: the share (0..1) of a submission that counts; the query must outer-join ScoreOverride."""
    # A confirmed violation counts as 0; a mentor's override (with a reason, audited) replaces the automatic score.
    score = case(
        (Submission.integrity_status == "confirmed", 0.0),
        else_=func.coalesce(ScoreOverride.score, Submission.auto_score),
    )
    return score / Submission.max_score


def best_shares(trainee_id: int, exercise_ids: list[int]) -> dict[int, float]:
    """Best score share per exercise over graded submissions that count (one query)."""
    if not exercise_ids:
        return {}
    rows = db.session.execute(
        select(Submission.exercise_id, func.max(counted_share()))
        .outerjoin(ScoreOverride, ScoreOverride.submission_id == Submission.id)
        .where(
            Submission.trainee_id == trainee_id,
            Submission.exercise_id.in_(exercise_ids),
            counts_for_progress(),
        )
        .group_by(Submission.exercise_id)
    ).all()
    return {exercise_id: float(share or 0.0) for exercise_id, share in rows}


def started_exercises(trainee_id: int, exercise_ids: list[int]) -> set[int]:
    """Exercises the trainee has a draft or a submission for."""
    if not exercise_ids:
        return set()
    drafts = select(Draft.exercise_id).where(Draft.trainee_id == trainee_id, Draft.exercise_id.in_(exercise_ids))
    submitted = select(Submission.exercise_id).where(
        Submission.trainee_id == trainee_id, Submission.exercise_id.in_(exercise_ids)
    )
    return set(db.session.scalars(drafts.union(submitted)))


def track_progress(trainee_id: int, track: Track) -> list[StageProgress]:
    """Every active stage of the track with its state and exercises, in order."""
    stage_exercises = [
        (stage, [(e, e.current_version.max_score if e.current_version else 0.0) for e in stage.exercises if not e.retired])
        for stage in active_stages(track)
    ]
    ids = [e.id for _, rows in stage_exercises for e, _ in rows]
    signoffs = {s.stage_id: s for s in db.session.scalars(select(SignOff).where(SignOff.trainee_id == trainee_id))}
    approved = {stage_id for stage_id, s in signoffs.items() if s.status == "approved"}
    result = evaluate_stages(stage_exercises, best_shares(trainee_id, ids), started_exercises(trainee_id, ids), approved)
    for row in result:
        row.signoff = signoffs.get(row.stage.id)
    return result


def active_stages(track: Track) -> list[Stage]:
    """The track's active stages with their exercises and version scores, in three queries.

    Notebook sources (up to megabytes each) stay unloaded: progress needs only max_score.
    """
    return list(
        db.session.scalars(
            select(Stage)
            .where(Stage.track_id == track.id, ~Stage.retired)
            .order_by(Stage.position)
            .options(
                selectinload(Stage.exercises)
                .selectinload(Exercise.current_version)
                .options(defer(ExerciseVersion.source))
            )
        )
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
