"""The program aggregate: cohorts and enrollments (nominations come with the program issue)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .curriculum import Track
from .organisation import User
from .types import UTCDateTime, utcnow

COHORT_STATUSES = ("planned", "running", "finished")
ENROLLMENT_STATUSES = ("active", "graduated", "withdrawn")


class Cohort(db.Model):
    """A group of trainees who follow one track from one start date."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id"), index=True)
    #: Week 1 starts on this date; later weeks follow the track.
    start_date: Mapped[date]
    capacity: Mapped[int] = mapped_column(default=30)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    track: Mapped[Track] = relationship()
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="cohort")

    def week_on(self, day: date) -> int:
        """The program week ``day`` falls in (0 before the start)."""
        if day < self.start_date:
            return 0
        return (day - self.start_date).days // 7 + 1


class Enrollment(db.Model):
    """A trainee in a cohort, with their mentor and a status."""

    __tablename__ = "enrollment"
    __table_args__ = (UniqueConstraint("cohort_id", "trainee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    mentor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="enrollments")
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    mentor: Mapped[Optional[User]] = relationship(foreign_keys=[mentor_id])
