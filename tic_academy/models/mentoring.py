"""The mentoring aggregate: stage sign-offs (the review queue comes with the mentoring issue)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .curriculum import Stage
from .organisation import User
from .types import UTCDateTime, utcnow

SIGNOFF_STATUSES = ("requested", "approved", "returned")


class SignOff(db.Model):
    """A mentor's sign-off of a trainee's stage (required where the stage says so)."""

    __tablename__ = "sign_off"
    __table_args__ = (UniqueConstraint("trainee_id", "stage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    comment: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    stage: Mapped[Stage] = relationship()
    decided_by: Mapped[Optional[User]] = relationship(foreign_keys=[decided_by_id])
