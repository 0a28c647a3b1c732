"""The accounts aggregate: invitation tokens, the audit log and the mail outbox."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .organisation import User
from ..clock import now_utc
from .types import UTCDateTime


class Invitation(db.Model):
    """A one-time link: first password (invite) or password reset (reset)."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    #: SHA-256 of the token; the token itself is only ever in the email.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


#: The ``address`` of the row that counts failures from every address (the account-wide ceiling).
ALL_ADDRESSES = "*"


class LoginFailure(db.Model):
    """Failed log-ins under one email from one address, or from all (``ALL_ADDRESSES``).

    Keyed by the email as typed, not by the user, so an email without an account
    is counted and locked exactly like one with an account and the answer reveals nothing.
    """

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_email_address", "email", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Normalised (lower-case) email, whether or not an account has it.
    email: Mapped[str] = mapped_column(String(254))
    #: Client address, or "*" for the account-wide count.
    address: Mapped[str] = mapped_column(String(64))
    #: Failures since the last success, lock or quiet period.
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
    locked_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    def locks_account(self, now: datetime) -> bool:
        """Does this row pause log-ins to the account from every address right now?"""
        return self.address == ALL_ADDRESSES and self.locked_until is not None and self.locked_until > now


class AuditEvent(db.Model):
    """A security-relevant action: who did what to which object, from where."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    #: Dotted name, e.g. "login.failure", "user.role_changed".
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[Optional[str]] = mapped_column(String(32))
    object_id: Mapped[Optional[int]]
    ip: Mapped[Optional[str]] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[Optional[User]] = relationship()


class OutboxMessage(db.Model):
    """An email: kept here always, sent by SMTP when a mail server is set."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: Last SMTP error, when sending failed.
    error: Mapped[Optional[str]] = mapped_column(Text)


class PersonalAccessToken(db.Model):
    """A token that lets ``git`` reach the owner's repositories over HTTPS (never a web log-in)."""

    __tablename__ = "personal_access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: The owner's label, e.g. "Laptop kantor".
    name: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The token's first characters (e.g. "tic_pat_Ab3x"), so the owner can tell tokens apart.
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    #: None: the token does not expire.
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    def usable(self, now: datetime) -> bool:
        """Is the token neither revoked nor expired at ``now``?"""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


class SiteSetting(db.Model):
    """A switch an admin sets on a page (e.g. who may still log in with a password)."""

    __tablename__ = "site_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, onupdate=now_utc)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
