"""What a trainee hears back from their mentor: the latest decisions, "needs revision", their own questions.

A mentor's "request changes" on a submission marks the exercise *needs
revision* on the trainee's pages until the trainee submits it again, even when
its best score already passes. The progress rules (``services/progress.py``)
are not changed by this: a stage still opens on the best scores.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..enums import Decision, ExerciseStatus, ItemKind, StageState, SubmissionMode
from ..extensions import db
from ..models import Submission
from ..models.mentoring import LineComment, Message, Review, ReviewItem
from .progress import ExerciseProgress, StageProgress


def latest_decisions(trainee_id: int, limit: int = 3) -> list[Review]:
    """The mentors' newest decisions on the trainee's submissions, newest first."""
    return list(db.session.scalars(
        select(Review)
        .join(Submission, Submission.id == Review.submission_id)
        .where(Submission.trainee_id == trainee_id)
        .order_by(Review.created_at.desc(), Review.id.desc())
        .limit(limit)
        .options(selectinload(Review.reviewer), selectinload(Review.submission).selectinload(Submission.exercise))
    ))


def comment_counts(submission_ids: list[int]) -> dict[int, int]:
    """submission -> how many line comments mentors left on it (one query)."""
    if not submission_ids:
        return {}
    rows = db.session.execute(
        select(LineComment.submission_id, func.count(LineComment.id))
        .where(LineComment.submission_id.in_(submission_ids))
        .group_by(LineComment.submission_id)
    )
    return {submission_id: count for submission_id, count in rows}


def revision_requested(trainee_id: int) -> set[int]:
    """Exercises whose newest mentor decision asks for changes and that were not submitted again since."""
    newest_review: dict[int, tuple[int, str]] = {}
    rows = db.session.execute(
        select(Submission.exercise_id, Review.submission_id, Review.decision)
        .join(Submission, Submission.id == Review.submission_id)
        .where(Submission.trainee_id == trainee_id)
        .order_by(Review.created_at, Review.id)
    )
    for exercise_id, submission_id, decision in rows:
        newest_review[exercise_id] = (submission_id, decision)  # later rows replace earlier ones
    asked = {exercise_id: submission_id for exercise_id, (submission_id, decision) in newest_review.items()
             if decision == Decision.CHANGES_REQUESTED}
    if not asked:
        return set()
    newest_submission = dict(db.session.execute(
        select(Submission.exercise_id, func.max(Submission.id))
        .where(Submission.trainee_id == trainee_id, Submission.exercise_id.in_(list(asked)),
               Submission.mode == SubmissionMode.SUBMIT)
        .group_by(Submission.exercise_id)
    ).all())
    return {exercise_id for exercise_id, reviewed_id in asked.items()
            if newest_submission.get(exercise_id, reviewed_id) <= reviewed_id}


def shown_status(row: ExerciseProgress, revision_ids: set[int] = frozenset()) -> str:
    """The status a trainee sees: the progress status, or *needs revision* while a mentor's request is open."""
    if row.exercise.id in revision_ids:
        return ExerciseStatus.NEEDS_REVISION
    return row.status


def first_to_revise(stages: list[StageProgress], revision_ids: set[int]) -> Optional[ExerciseProgress]:
    """The first exercise of an open stage that a mentor asked to revise (None when there is none)."""
    for stage in stages:
        if stage.state == StageState.LOCKED:
            break
        for row in stage.exercises:
            if row.exercise.id in revision_ids:
                return row
    return None


def next_open_exercise(stages: list[StageProgress], exercise_id: int) -> Optional[ExerciseProgress]:
    """The exercise after ``exercise_id`` in track order, in a stage that is open (None at the end or when locked)."""
    rows = [(stage, row) for stage in stages for row in stage.exercises]
    for position, (_stage, row) in enumerate(rows):
        if row.exercise.id != exercise_id:
            continue
        for later_stage, later in rows[position + 1:]:
            if later_stage.state == StageState.LOCKED:
                return None
            if not later.passed:
                return later
        return None
    return None


def help_requests_of(trainee_id: int) -> list[tuple[ReviewItem, int, Optional[Message]]]:
    """The trainee's questions to their mentor, newest first: (request, number of replies, newest reply)."""
    items = list(db.session.scalars(
        select(ReviewItem)
        .where(ReviewItem.trainee_id == trainee_id, ReviewItem.kind == ItemKind.HELP)
        .order_by(ReviewItem.created_at.desc(), ReviewItem.id.desc())
        .options(selectinload(ReviewItem.exercise), selectinload(ReviewItem.mentor))
    ))
    replies: dict[int, list[Message]] = {}
    if items:
        for message in db.session.scalars(
            select(Message)
            .where(Message.help_item_id.in_([item.id for item in items]), Message.author_id != trainee_id)
            .order_by(Message.id)
            .options(selectinload(Message.author))
        ):
            replies.setdefault(message.help_item_id, []).append(message)
    return [(item, len(replies.get(item.id, [])), (replies.get(item.id) or [None])[-1]) for item in items]
