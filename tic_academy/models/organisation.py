"""The organisation aggregate: OPDs (the city's work units) and users."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..enums import Role
from ..extensions import db
from ..clock import now_utc
from .types import UTCDateTime

if TYPE_CHECKING:
    from .accounts import LoginFailure



class Opd(db.Model):
    """A work unit (Organisasi Perangkat Daerah) of the city government."""

    __tablename__ = "opd"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short unique code, e.g. "DISKOMINFO".
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    users: Mapped[list[User]] = relationship(back_populates="opd")

    def __repr__(self) -> str:
        return f"<Opd {self.code}>"


class User(UserMixin, db.Model):
    """A person who logs in: trainee, mentor, OPD head or admin."""

    __tablename__ = "user"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_user_oidc_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Always stored lower-case, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    opd_id: Mapped[Optional[int]] = mapped_column(ForeignKey("opd.id"), index=True)
    #: argon2 hash; None until the invitation is accepted.
    password_hash: Mapped[Optional[str]] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(8), default="id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: Raised by every password change or reset. Sessions and remember-me cookies carry
    #: the version they were made with (``get_id``); older ones stop working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The city's identity provider and the person's ``sub`` there, once linked by single sign-on.
    oidc_issuer: Mapped[Optional[str]] = mapped_column(String(255))
    oidc_subject: Mapped[Optional[str]] = mapped_column(String(255))

    opd: Mapped[Optional[Opd]] = relationship(back_populates="users")
    #: Failed log-ins counted under this email (written by services.accounts.authenticate).
    login_failures: Mapped[list[LoginFailure]] = relationship(
        primaryjoin="User.email == foreign(LoginFailure.email)", viewonly=True
    )

    @validates("email")
    def _normalise_email(self, key, value: str) -> str:
        return normalise_email(value)

    @property
    def is_active(self) -> bool:  # used by Flask-Login
        """Deactivated users cannot log in or keep a session."""
        return self.active

    def get_id(self) -> str:
        """Flask-Login's key for the session and the remember-me cookie: id and session version."""
        return f"{self.id}:{self.session_version or 0}"

    @property
    def locked_until(self) -> Optional[datetime]:
        """Until when log-ins to this account are paused from every address; None when they are not."""
        now = now_utc()
        locks = [row.locked_until for row in self.login_failures if row.locks_account(now)]
        return max(locks, default=None)

    def can(self, actor: User, action: str) -> bool:
        """May ``actor`` do ``action`` ("view", "edit") on this user?"""
        if actor.role == Role.ADMIN:
            return True
        if action == "view":
            if actor.id == self.id:
                return True
            if actor.role == Role.OPD_HEAD:
                return self.role == Role.TRAINEE and self.opd_id == actor.opd_id
        return False

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


def normalise_email(value: str) -> str:
    """Trim and lower-case an email address."""
    return (value or "").strip().lower()
