"""Hints on request: which hints a trainee has revealed, revealing the next one, and what they cost.

A task's hints (grading/hints.py) are revealed one at a time, in order; each reveal is one ``HintReveal``
row (a second click finds the row already there). A hint that costs points takes its share of that
task's points off every submission made after the reveal: ``score_deduction`` works it out when a
submission is graded (services/submissions.py stores the reduced score), so progress and dashboards
follow without knowing about hints.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..clock import now_utc
from ..extensions import db
from ..i18n import angka, persen
from ..models import Exercise, HintReveal
from . import ServiceError, notebooks
from .notebooks import TaskHints


@dataclass
class HintState:
    """A task's hints as one trainee sees them: those revealed so far, and the next one's number and cost."""

    task: TaskHints
    revealed: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many hints the task has."""
        return len(self.task.hints)

    @property
    def next_number(self) -> Optional[int]:
        """The number (1, 2, ...) of the next hint to reveal; None when all are revealed."""
        return len(self.revealed) + 1 if len(self.revealed) < self.total else None

    @property
    def cost_text(self) -> str:
        """What revealing the next hint costs, in words (empty when it is free)."""
        if not self.task.cost:
            return ""
        return _("This hint takes %(share)s of this task's points off (%(points)s points).",
                 share=persen(self.task.cost), points=angka(round(self.task.cost * self.task.points, 2)))


def revealed_rows(trainee_id: int, exercise_id: int, before: Optional[datetime] = None) -> list[HintReveal]:
    """The trainee's reveals for an exercise in order (only those up to ``before`` when given)."""
    query = select(HintReveal).where(HintReveal.trainee_id == trainee_id, HintReveal.exercise_id == exercise_id)
    if before is not None:
        query = query.where(HintReveal.revealed_at <= before)
    return list(db.session.scalars(query.order_by(HintReveal.task_key, HintReveal.hint_index)))


def hint_states(trainee_id: int, exercise_id: int, task_hints: dict[str, TaskHints]) -> dict[str, HintState]:
    """task key -> the trainee's HintState, for every task of the version that has hints."""
    return _states(task_hints, revealed_rows(trainee_id, exercise_id))


def _states(task_hints: dict[str, TaskHints], rows: list[HintReveal]) -> dict[str, HintState]:
    """task key -> HintState with the hints these reveal rows (in order) opened."""
    states = {key: HintState(task) for key, task in task_hints.items()}
    for row in rows:
        state = states.get(row.task_key)
        # A version with fewer hints than were revealed shows the hints it has.
        if state is not None and row.hint_index == len(state.revealed) and row.hint_index < state.total:
            state.revealed.append(state.task.hints[row.hint_index])
    return states


def states_at_submission(submission) -> list[HintState]:
    """The hints of each task as they stood when the submission was made (for the mentor's review page)."""
    rows = revealed_rows(submission.trainee_id, submission.exercise_id, before=submission.created_at)
    return list(_states(notebooks.of_version(submission.exercise_version).task_hints, rows).values())


def reveal_hint(trainee_id: int, exercise: Exercise, task_hints: dict[str, TaskHints], task_key: str,
                number: int) -> HintState:
    """Reveal hint ``number`` (1-based) of a task; revealing one already revealed changes nothing.

    Raises ServiceError for an unknown task or hint, or when an earlier hint is still hidden.
    """
    task = task_hints.get(task_key)
    if task is None or not isinstance(number, int) or not 1 <= number <= len(task.hints):
        raise ServiceError(_("This hint does not exist."))
    state = hint_states(trainee_id, exercise.id, task_hints)[task_key]
    if number <= len(state.revealed):
        return state  # already revealed: a double click or a second tab
    if number != len(state.revealed) + 1:
        raise ServiceError(_("Reveal the hints in order: hint %(number)d first.", number=len(state.revealed) + 1))
    db.session.add(HintReveal(trainee_id=trainee_id, exercise_id=exercise.id,
                              exercise_version_id=exercise.current_version.id, task_key=task_key,
                              hint_index=number - 1, cost_share=task.cost, revealed_at=now_utc()))
    try:
        db.session.commit()
    except IntegrityError:  # the same click arrived twice at once: the other request stored it
        db.session.rollback()
    return hint_states(trainee_id, exercise.id, task_hints)[task_key]


def score_deduction(trainee_id: int, exercise_id: int, submitted_at: datetime, tests,
                    task_hints: dict[str, TaskHints]) -> dict:
    """What the hints revealed up to ``submitted_at`` take off a graded result's tests.

    ``tests`` are the graded tests (grade_id, points, max_points). A task loses its cost share of its
    points, never more than it scored; other tasks lose nothing. Returns {"used", "total", "points",
    "tasks": {key: points taken}} ("points" is the total taken off).
    """
    shares: dict[str, float] = {}
    used = 0
    for row in revealed_rows(trainee_id, exercise_id, before=submitted_at):
        if row.task_key in task_hints:
            used += 1
            shares[row.task_key] = shares.get(row.task_key, 0.0) + row.cost_share
    taken = {}
    for test in tests:
        share = min(1.0, shares.get(test.grade_id, 0.0))
        if share > 0:
            taken[test.grade_id] = round(min(test.points, share * test.max_points), 4)
    return {"used": used, "total": sum(len(task.hints) for task in task_hints.values()),
            "points": round(sum(taken.values()), 4), "tasks": taken}


def usage_text(summary: Optional[dict]) -> str:
    """ "Hints used: 2 of 3 (−0.4 points)" for a submission's stored hint summary; empty when it has none."""
    if not summary or not summary.get("total"):
        return ""
    if summary.get("points"):
        return _("Hints used: %(used)d of %(total)d (−%(points)s points)", used=summary.get("used", 0),
                 total=summary["total"], points=angka(summary["points"]))
    return _("Hints used: %(used)d of %(total)d (free)", used=summary.get("used", 0), total=summary["total"])
