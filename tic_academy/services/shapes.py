"""Answer shapes: one mentor comment for many answers of the same shape (issue 20, "representers").

A submission's *shape* is the hash of its normalised answer code
(``grading/representer.py``): answers that differ only in names, spacing,
comments and docstrings have the same shape. The shape is computed in the
services when a graded submission is queued for mentors (``record_shape``, called
from ``review_queue.on_submission_graded``, next to the similarity check), never by
trainee code; ``flask shapes backfill`` computes it for older submissions.

Grouping is **per exercise**, not per exercise version: a new version (a fixed
typo in the text, one more hidden test) keeps the code the trainees write, so a
comment on a shape stays useful. Only notebook exercises have shapes: a project
answer is a whole repository, which rarely repeats file for file.

Which answers are compared: the code answer cells in notebook order; practice
cells (``tic.practice``) are left out, as in ``services/similarity.py``.

A mentor saves a comment for a shape (``save_feedback``); on the review page of
another submission of that shape it is *offered* (a button fills the review's
summary, which the mentor may change), never sent by itself.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..clock import now_utc
from ..enums import SubmissionMode, SubmissionStatus
from ..extensions import db
from ..grading import interface_names, shape_hash
from ..models import Exercise, ExerciseVersion, ShapeFeedback, Submission, User
from . import ServiceError, audit, notebooks

#: Longest saved comment, as for review summaries.
MAX_TEXT = 5000


# --- computing shapes ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShapeRecipe:
    """What an exercise version's answers are normalised with: the answer cells compared and the names kept."""

    answer_ids: tuple[str, ...]
    keep: frozenset[str]


def recipe(version: ExerciseVersion) -> Optional[ShapeRecipe]:
    """The answer cells and interface names of a notebook version; None for a project or a version without code answers."""
    if version.exercise is not None and version.exercise.is_project:
        return None
    book = notebooks.of_version(version)
    cells = [cell for cell in book.code_answer_cells if cell.grade_id not in book.practice_ids]
    if not cells:
        return None
    locked = [cell.source for cell, kind in zip(book.source.cells, book.cell_kinds)
              if cell.cell_type == "code" and kind in ("locked", "code")]
    keep = interface_names([test.source for test in book.tests], locked, [cell.starter for cell in cells])
    return ShapeRecipe(tuple(cell.grade_id for cell in cells), keep)


def shape_of(answers: dict, shape_recipe: Optional[ShapeRecipe]) -> Optional[str]:
    """The shape of ``answers`` ({grade_id: code}) under a version's recipe; None when it gets none."""
    if shape_recipe is None or not isinstance(answers, dict):
        return None
    cells = [answers.get(gid) if isinstance(answers.get(gid), str) else "" for gid in shape_recipe.answer_ids]
    return shape_hash(cells, shape_recipe.keep)


def gets_shape(submission: Submission) -> bool:
    """Is this a submission that gets a shape: a graded submit-mode submission (notebook exercises only get one)?"""
    return submission.mode == SubmissionMode.SUBMIT and submission.status == SubmissionStatus.GRADED


def record_shape(submission: Submission) -> Optional[str]:
    """Compute and set the submission's shape (the caller commits); None for projects and code that does not parse."""
    submission.shape = shape_of(submission.answers or {}, recipe(submission.exercise_version))
    return submission.shape


def backfill(recompute: bool = False, batch_size: int = 200) -> tuple[int, int]:
    """Compute the shape of graded notebook submissions that have none (all with ``recompute``).

    Returns (submissions looked at, submissions that got a shape). Commits every ``batch_size`` rows.
    """
    recipes: dict[int, Optional[ShapeRecipe]] = {}
    query = (select(Submission.id).join(Exercise, Exercise.id == Submission.exercise_id)
             .where(Submission.mode == SubmissionMode.SUBMIT, Submission.status == SubmissionStatus.GRADED,
                    Exercise.kind != "project")
             .order_by(Submission.id))
    if not recompute:
        query = query.where(Submission.shape.is_(None))
    ids = list(db.session.scalars(query))
    shaped = 0
    for start in range(0, len(ids), batch_size):
        for submission in db.session.scalars(select(Submission).where(Submission.id.in_(ids[start:start + batch_size]))):
            version_id = submission.exercise_version_id
            if version_id not in recipes:
                recipes[version_id] = recipe(submission.exercise_version)
            submission.shape = shape_of(submission.answers or {}, recipes[version_id])
            shaped += submission.shape is not None
        db.session.commit()
    return len(ids), shaped


@dataclass
class CollapseRow:
    """How many graded submissions of an exercise there are, and how many shapes they collapse to."""

    exercise: Exercise
    submissions: int
    shapes: int
    #: Submissions without a shape (code that does not parse, or too long).
    unshaped: int
    #: The largest groups' sizes, biggest first.
    largest: list[int] = field(default_factory=list)


def collapse_report() -> list[CollapseRow]:
    """Per notebook exercise with graded submissions: submissions, distinct shapes, the largest groups."""
    rows = db.session.execute(
        select(Submission.exercise_id, Submission.shape)
        .where(Submission.mode == SubmissionMode.SUBMIT, Submission.status == SubmissionStatus.GRADED)
    ).all()
    by_exercise: dict[int, Counter] = {}
    for exercise_id, shape in rows:
        by_exercise.setdefault(exercise_id, Counter())[shape] += 1
    report = []
    for exercise_id, counts in sorted(by_exercise.items()):
        exercise = db.session.get(Exercise, exercise_id)
        if exercise is None or exercise.is_project:
            continue
        unshaped = counts.pop(None, 0)
        report.append(CollapseRow(exercise, sum(counts.values()) + unshaped, len(counts), unshaped,
                                  sorted(counts.values(), reverse=True)[:3]))
    return report


# --- the other answers of a shape ------------------------------------------------------------


@dataclass
class ShapeGroup:
    """The other trainees' answers of a submission's shape, as far as the viewer may open them."""

    #: Submissions the viewer may open (newest first).
    visible: list[Submission]
    #: How many more there are that the viewer may not open (other mentors' trainees).
    hidden_count: int

    @property
    def total(self) -> int:
        """Every other answer of the shape."""
        return len(self.visible) + self.hidden_count


def same_shape(submission: Submission) -> list[Submission]:
    """Other trainees' graded submissions of the exercise with the same shape, newest first.

    One per trainee (their newest of this shape): a trainee who handed in the same code again is one answer.
    """
    if submission.shape is None:
        return []
    newest = (
        select(func.max(Submission.id))
        .where(
            Submission.exercise_id == submission.exercise_id,
            Submission.shape == submission.shape,
            Submission.trainee_id != submission.trainee_id,
            Submission.mode == SubmissionMode.SUBMIT,
            Submission.status == SubmissionStatus.GRADED,
        )
        .group_by(Submission.trainee_id)
    )
    return list(db.session.scalars(select(Submission).where(Submission.id.in_(newest)).order_by(Submission.id.desc())))


def shape_group(submission: Submission, viewer: User) -> ShapeGroup:
    """The other answers of the submission's shape, split into those ``viewer`` may review and a count of the rest.

    ``Submission.can`` decides, row by row (one or two small queries each): the group holds at most one
    submission per trainee, so its size is bounded by the number of trainees who wrote that code.
    """
    others = same_shape(submission)
    visible = [other for other in others if other.can(viewer, "review")]
    return ShapeGroup(visible, len(others) - len(visible))


# --- comments saved for a shape --------------------------------------------------------------


def feedback_for(submission: Submission) -> list[ShapeFeedback]:
    """The comments mentors saved for the submission's shape of its exercise, newest first."""
    if submission.shape is None:
        return []
    return list(db.session.scalars(
        select(ShapeFeedback).where(ShapeFeedback.exercise_id == submission.exercise_id,
                                    ShapeFeedback.shape == submission.shape)
        .order_by(ShapeFeedback.updated_at.desc(), ShapeFeedback.id.desc())
    ))


def _clean(body: str) -> str:
    """The comment's text, stripped; ServiceError when empty or too long."""
    body = (body or "").strip()
    if not body:
        raise ServiceError(_("Write the feedback first."))
    if len(body) > MAX_TEXT:
        raise ServiceError(_("The feedback is too long (at most %(n)s characters).", n=MAX_TEXT))
    return body


def save_feedback(submission: Submission, author: User, body: str) -> ShapeFeedback:
    """Save ``body`` as the author's comment for the submission's shape (replacing their earlier one); audited."""
    body = _clean(body)
    if submission.shape is None:
        raise ServiceError(_("This answer has no shape (its code cannot be read as Python), so nothing can be saved for it."))
    feedback = db.session.scalar(select(ShapeFeedback).where(
        ShapeFeedback.exercise_id == submission.exercise_id, ShapeFeedback.shape == submission.shape,
        ShapeFeedback.author_id == author.id))
    action = "shape_feedback.updated" if feedback else "shape_feedback.saved"
    if feedback is None:
        feedback = ShapeFeedback(exercise_id=submission.exercise_id, shape=submission.shape, author_id=author.id,
                                 created_at=now_utc())
        db.session.add(feedback)
    feedback.body, feedback.updated_at = body, now_utc()
    db.session.flush()
    audit.record(action, actor=author, obj=feedback, submission=submission.id, shape=submission.shape[:12])
    db.session.commit()
    return feedback


def update_feedback(feedback: ShapeFeedback, user: User, body: str) -> ShapeFeedback:
    """Change a saved comment (its author or an admin); audited."""
    if not feedback.can(user, "edit"):
        raise ServiceError(_("Only its author or an admin can change this feedback."))
    feedback.body, feedback.updated_at = _clean(body), now_utc()
    audit.record("shape_feedback.updated", actor=user, obj=feedback, shape=feedback.shape[:12])
    db.session.commit()
    return feedback


def delete_feedback(feedback: ShapeFeedback, user: User) -> None:
    """Remove a saved comment (its author or an admin); audited, with the text it had."""
    if not feedback.can(user, "delete"):
        raise ServiceError(_("Only its author or an admin can delete this feedback."))
    audit.record("shape_feedback.deleted", actor=user, obj=feedback, shape=feedback.shape[:12],
                 author=feedback.author_id, text=feedback.body[:500])
    db.session.delete(feedback)
    db.session.commit()

