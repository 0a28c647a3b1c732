"""The notices aggregate: in-app notifications (email goes through the outbox)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .organisation import User
from ..clock import now_utc
from .types import UTCDateTime


class Notification(db.Model):
    """Something a user should know, shown under the bell until read."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: What happened, e.g. "review.changes_requested" (see services/notifications.py).
    kind: Mapped[str] = mapped_column(String(48))
    #: The text, already in the recipient's language.
    text: Mapped[str] = mapped_column(Text)
    #: Where clicking it leads (a path inside the site).
    link: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
