"""Personal access tokens: created and revoked by their owner, used by ``git`` over HTTPS only.

A token is ``tic_pat_`` followed by 32 random bytes (URL-safe base64). Only its SHA-256 is stored;
the owner sees the token once, right after creating it. Every creation, revocation and failed use
is written to the audit log.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..enums import Role
from ..extensions import db
from ..models import PersonalAccessToken, User
from ..clock import now_utc
from . import ServiceError, audit

#: Every token starts with this, so it is recognisable (e.g. by secret scanners) and told from a password.
PREFIX = "tic_pat_"
#: Characters of the token kept in clear to tell tokens apart in the list.
HINT_LENGTH = len(PREFIX) + 4
#: Roles that may hold tokens: trainees push to their repositories, mentors and admins clone.
TOKEN_ROLES = (Role.TRAINEE, Role.MENTOR, Role.ADMIN)
MAX_NAME_LENGTH = 100


class TokenRefused(Exception):
    """A token given to git was unknown, revoked or expired (the reason is for the audit log only)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def active_tokens(user: User) -> list[PersonalAccessToken]:
    """The user's tokens that are not revoked, newest first (expired ones included, marked in the list)."""
    rows = db.session.scalars(
        select(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user.id, PersonalAccessToken.revoked_at.is_(None))
        .order_by(PersonalAccessToken.created_at.desc(), PersonalAccessToken.id.desc())
    )
    return list(rows)


def create_token(user: User, name: str, days: Optional[int], ip: Optional[str], max_active: int) -> tuple[PersonalAccessToken, str]:
    """Create a token for ``user``; returns the row and the token itself (to show once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the token a name, e.g. the computer it is for."))
    if len(name) > MAX_NAME_LENGTH:
        raise ServiceError(_("The name may be at most %(max)d characters.", max=MAX_NAME_LENGTH))
    if user.role not in TOKEN_ROLES:
        raise ServiceError(_("Your role has no git repositories, so it cannot have access tokens."))
    if days is not None and not 1 <= days <= 366:
        raise ServiceError(_("Choose a validity between 1 and 366 days."))
    now = now_utc()
    usable = db.session.scalar(
        select(func.count(PersonalAccessToken.id)).where(
            PersonalAccessToken.user_id == user.id,
            PersonalAccessToken.revoked_at.is_(None),
            (PersonalAccessToken.expires_at.is_(None)) | (PersonalAccessToken.expires_at > now),
        )
    )
    if usable >= max_active:
        raise ServiceError(_("You already have %(count)d active tokens; revoke one you no longer use first.",
                             count=max_active))
    token = PREFIX + secrets.token_urlsafe(32)
    row = PersonalAccessToken(
        user_id=user.id, name=name, token_hash=token_hash(token), hint=token[:HINT_LENGTH], created_at=now,
        expires_at=now + timedelta(days=days) if days is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    audit.record("token.created", actor=user, obj=row, ip=ip, name=name, days=days)
    db.session.commit()
    return row, token


def owned_token(user: User, token_id: int) -> Optional[PersonalAccessToken]:
    """The user's own token with this id, or None (another user's token is treated as missing)."""
    row = db.session.get(PersonalAccessToken, token_id)
    if row is None or row.user_id != user.id:
        return None
    return row


def revoke_token(row: PersonalAccessToken, actor: User, ip: Optional[str]) -> None:
    """Revoke a token: git requests with it fail from now on."""
    if row.revoked_at is None:
        row.revoked_at = now_utc()
        audit.record("token.revoked", actor=actor, obj=row, ip=ip, name=row.name)
    db.session.commit()


def authenticate(token: str, ip: Optional[str], now: Optional[datetime] = None) -> User:
    """The active user a token belongs to; TokenRefused (audited) when it is unknown, revoked or expired."""
    now = now or now_utc()
    row = None
    if token.startswith(PREFIX) and len(token) < 200:
        row = db.session.scalar(select(PersonalAccessToken).where(PersonalAccessToken.token_hash == token_hash(token)))
    reason = None
    if row is None:
        reason = "unknown"
    elif row.revoked_at is not None:
        reason = "revoked"
    elif not row.usable(now):
        reason = "expired"
    elif not row.user.active:
        reason = "user_inactive"
    if reason is not None:
        audit.record("token.failed", actor=row.user if row else None, obj=row, ip=ip, reason=reason)
        db.session.commit()
        raise TokenRefused(reason)
    row.last_used_at = now
    db.session.commit()
    return row.user


def state_of(row: PersonalAccessToken, now: Optional[datetime] = None) -> str:
    """The token's state for the list: "active", "expired" or "revoked"."""
    if row.revoked_at is not None:
        return "revoked"
    return "active" if row.usable(now or now_utc()) else "expired"
