"""The mentoring aggregate: the review queue, reviews, line comments, threads, grades, sign-offs.

- ``ReviewItem``: one thing waiting for a mentor, with a kind and a clock.
- ``Review``: a mentor's decision on a submission (approve / request changes).
- ``ManualGrade``: points for a manually graded cell; ``ScoreOverride``: an
  audited replacement of a submission's automatic score. Both are kept apart
  from ``Submission.auto_score``, as nbgrader keeps auto and manual scores.
- ``LineComment``: a comment on one line of an answer cell, or of a file of a project submission.
- ``Message``: a post in the thread of a submission or of a help request.
- ``SignOff``: a mentor's approval of a trainee's stage.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import Decision, ItemKind, ItemStatus, Role, SignOffStatus
from ..extensions import db
from .curriculum import Exercise, Stage
from .organisation import User
from .program import Cohort
from ..clock import now_utc
from .types import UTCDateTime

if TYPE_CHECKING:  # models.work imports this module (Submission.can asks ReviewItem), so names only
    from .work import Submission

#: A mentor's possible decisions, for "value in DECISIONS" checks (enums.Decision).
DECISIONS = tuple(Decision)


class SignOff(db.Model):
    """A mentor's sign-off of a trainee's stage (required where the stage says so)."""

    __tablename__ = "sign_off"
    __table_args__ = (UniqueConstraint("trainee_id", "stage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=SignOffStatus.REQUESTED)
    comment: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    stage: Mapped[Stage] = relationship()
    decided_by: Mapped[Optional[User]] = relationship(foreign_keys=[decided_by_id])


class ReviewItem(db.Model):
    """One thing waiting for a mentor: its kind, whose it is, and since when."""

    __tablename__ = "review_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.OPEN, index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: The mentor the item waits for: the trainee's mentor, or whom an admin reassigned it to.
    mentor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    #: The trainee's cohort when the item was opened (for filters).
    cohort_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cohort.id"), index=True)
    exercise_id: Mapped[Optional[int]] = mapped_column(ForeignKey("exercise.id"), index=True)
    submission_id: Mapped[Optional[int]] = mapped_column(ForeignKey("submission.id"), index=True)
    #: Similarity items: the other submission of the pair.
    other_submission_id: Mapped[Optional[int]] = mapped_column(ForeignKey("submission.id"))
    signoff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sign_off.id"))
    #: Help requests: the trainee's question.
    question: Mapped[str] = mapped_column(Text, default="")
    #: Help requests: the trainee's draft answers {grade_id: source} when they asked.
    draft_answers: Mapped[Optional[dict]] = mapped_column(JSON)
    #: Similarity items: the share (0..1) of matching fingerprints.
    similarity: Mapped[Optional[float]]
    #: True once an admin reassigned it (it no longer follows the trainee's mentor).
    reassigned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
    claimed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    claimed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    resolved_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime(), index=True)
    resolved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    mentor: Mapped[Optional[User]] = relationship(foreign_keys=[mentor_id])
    cohort: Mapped[Optional[Cohort]] = relationship()
    exercise: Mapped[Optional[Exercise]] = relationship()
    submission: Mapped[Optional["Submission"]] = relationship(foreign_keys=[submission_id])
    other_submission: Mapped[Optional["Submission"]] = relationship(foreign_keys=[other_submission_id])
    signoff: Mapped[Optional[SignOff]] = relationship()
    claimed_by: Mapped[Optional[User]] = relationship(foreign_keys=[claimed_by_id])
    resolved_by: Mapped[Optional[User]] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        """Is the item still waiting?"""
        return self.status == ItemStatus.OPEN

    def can(self, user: User, action: str) -> bool:
        """May ``user`` do ``action`` ("view", "discuss", "work") on this item?

        Mentors see the items assigned to them (their trainees', or reassigned
        to them by an admin); a trainee sees only their own help requests.
        """
        if user.role == Role.ADMIN:
            return True
        if user.role == Role.MENTOR:
            return self.mentor_id == user.id
        if user.role == Role.TRAINEE:
            return self.kind == ItemKind.HELP and self.trainee_id == user.id and action in ("view", "discuss")
        return False

    @classmethod
    def held_by(cls, submission: "Submission", mentor_id: int) -> bool:
        """Is an open item about this submission (or a help request on its exercise) in this mentor's queue?

        Covers items an admin reassigned and items a mentor had claimed before the
        trainee changed mentor: whoever holds the open item can finish it.
        """
        about_it = or_(
            cls.submission_id == submission.id,
            cls.other_submission_id == submission.id,
            (cls.kind == ItemKind.HELP) & (cls.trainee_id == submission.trainee_id)
            & (cls.exercise_id == submission.exercise_id),
        )
        return db.session.scalar(
            select(cls.id).where(about_it, cls.mentor_id == mentor_id, cls.status == ItemStatus.OPEN).limit(1)
        ) is not None


class Review(db.Model):
    """A mentor's decision on a submission, with a summary for the trainee."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: approved or changes_requested.
    decision: Mapped[str] = mapped_column(String(24))
    #: Markdown; sanitised when shown.
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)

    submission: Mapped["Submission"] = relationship()
    reviewer: Mapped[User] = relationship()


class ManualGrade(db.Model):
    """Points a mentor gave a manually graded cell of a submission."""

    __tablename__ = "manual_grade"
    __table_args__ = (UniqueConstraint("submission_id", "grade_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    grade_id: Mapped[str] = mapped_column(String(128))
    points: Mapped[float]
    max_points: Mapped[float]
    grader_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    grader: Mapped[User] = relationship()


class ScoreOverride(db.Model):
    """A mentor's replacement of a submission's automatic score (needs a reason; audited)."""

    __tablename__ = "score_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), unique=True)
    #: Replaces Submission.auto_score, on the same scale (0..max_score).
    score: Mapped[float]
    #: The automatic score it replaced, kept for the record.
    auto_score: Mapped[Optional[float]]
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    by: Mapped[User] = relationship()


class LineComment(db.Model):
    """A comment on one line of an answer cell, or of a file of a project submission."""

    __tablename__ = "line_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    #: The answer cell (notebooks); "" for a project file.
    grade_id: Mapped[str] = mapped_column(String(128))
    #: 1-based line number in the answer cell or the file.
    line: Mapped[int]
    #: Project submissions: the file's path in the commit (None for a notebook cell).
    path: Mapped[Optional[str]] = mapped_column(String(512))
    #: Project submissions: the text of the line when commented (to find it again in later commits).
    line_text: Mapped[Optional[str]] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: Markdown; sanitised when shown.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    author: Mapped[User] = relationship()


class Message(db.Model):
    """A post in a discussion thread: of a submission, or of a help request."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[Optional[int]] = mapped_column(ForeignKey("submission.id"), index=True)
    #: The help request (a ReviewItem of kind "help") this message belongs to.
    help_item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("review_item.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: Markdown; sanitised when shown.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    author: Mapped[User] = relationship()


class ShapeFeedback(db.Model):
    """A mentor's comment saved for one answer shape of an exercise, offered when reviewing answers of that shape.

    Offered, never sent by itself: a mentor puts it into their review and may change it first.
    """

    __tablename__ = "shape_feedback"
    # One saved comment per mentor and shape; saving again replaces it.
    __table_args__ = (UniqueConstraint("exercise_id", "shape", "author_id", name="uq_shape_feedback_author"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    #: The shape (Submission.shape): a SHA-256 of the normalised answer code.
    shape: Mapped[str] = mapped_column(String(64), index=True)
    #: Markdown; sanitised when shown.
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    exercise: Mapped[Exercise] = relationship()
    author: Mapped[User] = relationship()

    def can(self, user: User, action: str) -> bool:
        """May ``user`` "edit" or "delete" this saved comment? Its author and admins may."""
        return action in ("edit", "delete") and (user.role == Role.ADMIN or user.id == self.author_id)
