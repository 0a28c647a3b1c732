"""The early-warning aggregate: signals about trainees who may fall behind, and the Run counter they read.

- ``WarningSignal``: one reason to worry about one trainee (no activity, behind the plan, ...), with the
  figures behind it; while open it has a review-queue item (kind "warning") for the trainee's mentor.
- ``RunCount``: how often a trainee pressed Run and Check on one exercise on one day (neither is
  recorded as a submission, so this counter is the only trace of them).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..clock import now_utc
from .curriculum import Exercise, Stage
from .mentoring import ReviewItem
from .organisation import User
from .types import UTCDateTime


class WarningSignal(db.Model):
    """A reason to worry about a trainee, found by the daily job, open until it clears or a mentor acts."""

    __tablename__ = "warning_signal"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: inactive, behind_pace, test_streak, runs_no_check, slow_pass or deadline (services/warnings.py).
    kind: Mapped[str] = mapped_column(String(24), index=True)
    exercise_id: Mapped[Optional[int]] = mapped_column(ForeignKey("exercise.id"))
    stage_id: Mapped[Optional[int]] = mapped_column(ForeignKey("stage.id"))
    #: "trainee:kind:exercise:stage" while the condition lasts (also after a mentor acted), None once it cleared:
    #: the unique index keeps one signal per trainee, kind and exercise/stage, and a handled one from reopening.
    active_key: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    #: The figures behind the reason (e.g. {"workdays": 4.0, "since": "2026-11-20"}); worded when shown.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The queue item of the trainee's mentor.
    item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("review_item.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    #: The last daily run that still found the condition.
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: cleared (the condition went away) or handled (a mentor recorded an action).
    closed_how: Mapped[Optional[str]] = mapped_column(String(16))
    #: What the mentor did: called, messaged, adjusted_plan or other; with their note.
    action: Mapped[Optional[str]] = mapped_column(String(16))
    action_note: Mapped[str] = mapped_column(Text, default="")
    action_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    #: When the trainee got a kind reminder about it (at most once per signal).
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    exercise: Mapped[Optional[Exercise]] = relationship()
    stage: Mapped[Optional[Stage]] = relationship()
    item: Mapped[Optional[ReviewItem]] = relationship()
    action_by: Mapped[Optional[User]] = relationship(foreign_keys=[action_by_id])

    @property
    def is_open(self) -> bool:
        """Is the signal still waiting for the condition to clear or a mentor to act?"""
        return self.closed_at is None


class RunCount(db.Model):
    """Runs and Checks of one trainee on one exercise on one day (WIB)."""

    __tablename__ = "run_count"
    __table_args__ = (UniqueConstraint("trainee_id", "exercise_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"))
    day: Mapped[date]
    runs: Mapped[int] = mapped_column(default=0)
    checks: Mapped[int] = mapped_column(default=0)
