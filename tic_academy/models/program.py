"""The program aggregate: cohorts, per-OPD quotas, nominations, enrollments and certificates."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Optional

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, contains_eager, joinedload, mapped_column, relationship

from ..enums import CohortStatus, EducationLevel, EmploymentStatus, EnrollmentStatus, NominationStatus, Role
from ..extensions import db
from .curriculum import Track
from .organisation import Opd, User
from ..clock import now_utc, today_wib
from .types import UTCDateTime

# Closed sets as tuples for "value in ..." checks; the enums themselves live in tic_academy/enums.py.
NOMINATION_STATUSES = tuple(NominationStatus)
EMPLOYMENT_STATUSES = tuple(EmploymentStatus)
EDUCATION_LEVELS = tuple(EducationLevel)

#: Mentors who work with a cohort.
cohort_mentor = Table(
    "cohort_mentor",
    db.Model.metadata,
    Column("cohort_id", ForeignKey("cohort.id"), primary_key=True),
    Column("mentor_id", ForeignKey("user.id"), primary_key=True),
)


class Cohort(db.Model):
    """A group of trainees who follow one track from one start date."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id"), index=True)
    #: Week 1 starts on this date; later weeks follow the track.
    start_date: Mapped[date]
    capacity: Mapped[int] = mapped_column(default=30)
    status: Mapped[str] = mapped_column(String(16), default=CohortStatus.PLANNED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    track: Mapped[Track] = relationship()
    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="cohort")
    mentors: Mapped[list[User]] = relationship(secondary=cohort_mentor, order_by="User.full_name")
    quotas: Mapped[list[CohortQuota]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )

    def week_on(self, day: date) -> int:
        """The program week ``day`` falls in (0 before the start)."""
        if day < self.start_date:
            return 0
        return (day - self.start_date).days // 7 + 1

    def current_week(self, today: Optional[date] = None) -> Optional[int]:
        """The week a running cohort is in today (capped at the track's length), else None."""
        if self.status != CohortStatus.RUNNING:
            return None
        return min(self.week_on(today or today_wib()), self.track.weeks)

    @property
    def end_date(self) -> date:
        """The last day of the track's last week."""
        return self.start_date + timedelta(days=7 * self.track.weeks - 1)

    def quota_for(self, opd_id: int) -> Optional[int]:
        """The number of places reserved for an OPD, or None when there is no quota."""
        return next((q.places for q in self.quotas if q.opd_id == opd_id), None)


class CohortQuota(db.Model):
    """The most places an OPD may take in a cohort."""

    __tablename__ = "cohort_quota"
    __table_args__ = (UniqueConstraint("cohort_id", "opd_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    places: Mapped[int]

    cohort: Mapped[Cohort] = relationship(back_populates="quotas")
    opd: Mapped[Opd] = relationship()


class Enrollment(db.Model):
    """A trainee in a cohort, with their mentor and a status."""

    __tablename__ = "enrollment"
    __table_args__ = (UniqueConstraint("cohort_id", "trainee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    mentor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=EnrollmentStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    cohort: Mapped[Cohort] = relationship(back_populates="enrollments")
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    mentor: Mapped[Optional[User]] = relationship(foreign_keys=[mentor_id])

    @classmethod
    def current_for(cls, trainee_id: int) -> Optional[Enrollment]:
        """The trainee's active enrollment (the newest, if several), its cohort and track in the same query
        (every trainee page and autosave asks for them)."""
        return db.session.scalars(
            select(cls)
            .join(Cohort)
            .options(contains_eager(cls.cohort).joinedload(Cohort.track))
            .where(cls.trainee_id == trainee_id, cls.status != EnrollmentStatus.WITHDRAWN)
            .order_by(Cohort.start_date.desc(), cls.id.desc())
            .limit(1)
        ).first()


class Nomination(db.Model):
    """An OPD head's proposal to put one staff member into a cohort.

    Lifecycle: draft → submitted → approved, waitlisted or rejected (by an
    admin, with a reason) → enrolled (when the cohort runs); withdrawn by the
    OPD head before a decision.
    """

    __tablename__ = "nomination"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    nominated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    full_name: Mapped[str] = mapped_column(String(200))
    #: Work email; becomes the trainee's login. Stored lower-case.
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str] = mapped_column(String(32))
    position: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(120))
    #: honorary or contract.
    employment_status: Mapped[str] = mapped_column(String(16))
    #: sma, d3, s1, s2 or other.
    education: Mapped[str] = mapped_column(String(16))
    motivation: Mapped[str] = mapped_column(Text, default="")
    hours_per_week: Mapped[int]
    #: The staff member's supervisor agreed to the time spent on the program.
    supervisor_agrees: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=NominationStatus.DRAFT, index=True)
    #: The admin's reason for the decision (required when waitlisting or rejecting).
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    submitted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: The trainee account, once approved.
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, onupdate=now_utc)

    cohort: Mapped[Cohort] = relationship()
    opd: Mapped[Opd] = relationship()
    nominated_by: Mapped[Optional[User]] = relationship(foreign_keys=[nominated_by_id])
    decided_by: Mapped[Optional[User]] = relationship(foreign_keys=[decided_by_id])
    user: Mapped[Optional[User]] = relationship(foreign_keys=[user_id])

    def can(self, user: User, action: str) -> bool:
        """May ``user`` do ``action`` ("view", "edit", "withdraw", "decide") on this nomination?"""
        if user.role == Role.ADMIN:
            return action in ("view", "decide")
        if user.role == Role.OPD_HEAD and user.opd_id == self.opd_id:
            if action == "view":
                return True
            if action == "edit":
                return self.status == NominationStatus.DRAFT
            if action == "withdraw":
                return self.status in (NominationStatus.DRAFT, NominationStatus.SUBMITTED)
        return False


class Certificate(db.Model):
    """A graduation certificate; it states a snapshot taken when it was issued."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id"), unique=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: Printed on the certificate and checked on the public page, e.g. "TIC-7KQ2-M9XD-4HPA".
    code: Mapped[str] = mapped_column(String(32), unique=True)
    trainee_name: Mapped[str] = mapped_column(String(200))
    opd_name: Mapped[str] = mapped_column(String(200))
    track_title: Mapped[str] = mapped_column(String(200))
    cohort_name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date]
    graduation_date: Mapped[date]
    #: Titles (Indonesian) of the stages passed, in order.
    stages: Mapped[list] = mapped_column(JSON, default=list)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    issued_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")

    enrollment: Mapped[Enrollment] = relationship()
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])

    @property
    def revoked(self) -> bool:
        """Has the certificate been revoked?"""
        return self.revoked_at is not None

    def can(self, user: User, action: str) -> bool:
        """May ``user`` do ``action`` ("download", "revoke") on this certificate?"""
        if user.role == Role.ADMIN:
            return True
        # A revoked certificate is no longer the trainee's to hand out.
        return action == "download" and user.role == Role.TRAINEE and user.id == self.trainee_id and not self.revoked
