"""Accounts: passwords, log-in with lock-out, invitations, resets, roles."""
import hashlib
import secrets
from datetime import timedelta
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import ROLES, Invitation, Opd, User
from ..models.organisation import ROLES_WITH_OPD, normalise_email
from ..models.types import utcnow
from . import ServiceError, audit
from .mail import external_url, send_email

MIN_PASSWORD_LENGTH = 10
#: Longer passwords are refused before they are hashed (argon2 work grows with the length).
MAX_PASSWORD_LENGTH = 200
# A hash computed once, so logging in as an unknown email costs the same time
# as a wrong password and does not reveal which emails exist.
_DUMMY_HASH: dict[str, str] = {}


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"]
    )


def hash_password(password: str) -> str:
    """Hash a password with argon2."""
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    """Does ``password`` match the user's stored hash?"""
    if not user.password_hash:
        return False
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def validate_new_password(password: str) -> None:
    """Raise ServiceError when a new password is too weak."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH)
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ServiceError(
            _("The password may be at most %(n)d characters long.", n=MAX_PASSWORD_LENGTH)
        )


def set_password(user: User, password: str) -> int:
    """Validate and store a new password, clear any lock-out, and end the user's other sessions.

    Raising the session version logs out every session and remember-me cookie made
    before; every link of the user not yet used (reset or invitation) stops working.
    Returns how many links were revoked. The caller logs the current session in again.
    """
    validate_new_password(password)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.session_version = (user.session_version or 0) + 1
    return revoke_tokens(user)


def revoke_tokens(user: User) -> int:
    """Make every unused, unexpired link of ``user`` expire now; return how many there were."""
    now = utcnow()
    rows = db.session.scalars(
        select(Invitation).where(
            Invitation.user_id == user.id, Invitation.used_at.is_(None), Invitation.expires_at > now
        )
    ).all()
    for row in rows:
        row.expires_at = now
    return len(rows)


def find_user(email: str) -> Optional[User]:
    """Find a user by email, case-insensitively."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str, ip: Optional[str]) -> User:
    """Return the user for valid credentials, or raise one generic ServiceError.

    Failures are counted per account; past the limit the account is locked for
    a while. The message is the same whether or not the email exists.
    """
    generic = ServiceError(_("Wrong email or password, or the account is locked."))
    user = find_user(email)
    now = utcnow()
    if user is None:
        _spend_hash_time(password)
        audit.record("login.failure", ip=ip, email=normalise_email(email), reason="unknown")
        db.session.commit()
        raise generic
    if user.is_locked(now) or not user.active:
        reason = "locked" if user.active else "inactive"
        audit.record("login.failure", obj=user, ip=ip, reason=reason)
        db.session.commit()
        raise generic
    if not check_password(user, password):
        user.failed_logins += 1
        detail = {"reason": "password", "failures": user.failed_logins}
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            minutes = current_app.config["LOGIN_LOCK_MINUTES"]
            user.locked_until = now + timedelta(minutes=minutes)
            audit.record("account.locked", obj=user, ip=ip, minutes=minutes)
        audit.record("login.failure", obj=user, ip=ip, **detail)
        db.session.commit()
        raise generic
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login.success", actor=user, obj=user, ip=ip)
    db.session.commit()
    return user


def _spend_hash_time(password: str) -> None:
    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = hash_password(secrets.token_hex(8))
    try:
        _hasher().verify(_DUMMY_HASH["hash"], password)
    except (VerificationError, InvalidHashError):
        pass


def create_user(
    *,
    email: str,
    full_name: str,
    role: str,
    opd: Optional[Opd] = None,
    actor: Optional[User] = None,
    ip: Optional[str] = None,
    send_invitation: bool = True,
    locale: str = "id",
) -> User:
    """Create an account and (by default) email it a one-time invitation link."""
    email = normalise_email(email)
    if role not in ROLES:
        raise ServiceError(_("Unknown role."))
    if role in ROLES_WITH_OPD and opd is None:
        raise ServiceError(_("Trainees and OPD heads must belong to an OPD."))
    if find_user(email) is not None:
        raise ServiceError(_("An account with this email already exists."))
    user = User(
        email=email,
        full_name=full_name.strip(),
        role=role,
        opd=opd if role in ROLES_WITH_OPD else None,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("account.created", actor=actor, obj=user, ip=ip, role=role)
    if send_invitation:
        send_token_email(user, "invite")
    db.session.commit()
    return user


def issue_token(user: User, purpose: str) -> str:
    """Create a one-time token for ``user``; only its hash is stored."""
    cfg = current_app.config
    lifetime = (
        timedelta(days=cfg["INVITATION_DAYS"])
        if purpose == "invite"
        else timedelta(hours=cfg["RESET_HOURS"])
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        Invitation(
            user=user,
            purpose=purpose,
            token_hash=_token_hash(token),
            expires_at=utcnow() + lifetime,
        )
    )
    return token


def send_token_email(user: User, purpose: str) -> None:
    """Email ``user`` a fresh invitation or password-reset link."""
    token = issue_token(user, purpose)
    link = external_url("auth.set_password", token=token)
    with force_locale(user.locale or "id"):
        if purpose == "invite":
            subject = _("Your TIC Academy account")
            body = _(
                "Hello %(name)s,\n\nAn account has been created for you on TIC Academy."
                " Open this link to choose your password (valid for %(days)d days):\n\n"
                "%(link)s\n",
                name=user.full_name,
                days=current_app.config["INVITATION_DAYS"],
                link=link,
            )
        else:
            subject = _("Reset your TIC Academy password")
            body = _(
                "Hello %(name)s,\n\nOpen this link to choose a new password"
                " (valid for %(hours)d hours):\n\n%(link)s\n\n"
                "If you did not ask for this, ignore this message.\n",
                name=user.full_name,
                hours=current_app.config["RESET_HOURS"],
                link=link,
            )
    send_email(user.email, subject, body)


def request_password_reset(email: str, ip: Optional[str]) -> None:
    """Send a reset link if the email belongs to an active account; say nothing either way."""
    user = find_user(email)
    if user is not None and user.active:
        send_token_email(user, "reset")
        audit.record("password.reset_requested", obj=user, ip=ip)
    else:
        audit.record("password.reset_requested", ip=ip, email=normalise_email(email), unknown=True)
    db.session.commit()


def find_valid_token(token: str) -> Optional[Invitation]:
    """Return the unused, unexpired token row for ``token``, or None."""
    row = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    if not row.user.active:
        return None
    return row


def use_token(token: str, password: str, ip: Optional[str]) -> User:
    """Set a password through a one-time token; the token is spent."""
    row = find_valid_token(token)
    if row is None:
        raise ServiceError(_("This link is invalid, already used or expired."))
    row.used_at = utcnow()
    revoked = set_password(row.user, password)
    action = "password.set_by_invitation" if row.purpose == "invite" else "password.reset"
    audit.record(action, actor=row.user, obj=row.user, ip=ip, revoked_links=revoked)
    db.session.commit()
    return row.user


def change_password(user: User, current: str, new: str, ip: Optional[str]) -> None:
    """Change a password after checking the current one."""
    if not check_password(user, current):
        raise ServiceError(_("The current password is wrong."))
    revoked = set_password(user, new)
    audit.record("password.changed", actor=user, obj=user, ip=ip, revoked_links=revoked)
    db.session.commit()


def change_role(user: User, role: str, opd: Optional[Opd], actor: User, ip: Optional[str]) -> None:
    """Change a user's role (and OPD where the role needs one)."""
    if role not in ROLES:
        raise ServiceError(_("Unknown role."))
    if role in ROLES_WITH_OPD and opd is None:
        raise ServiceError(_("Trainees and OPD heads must belong to an OPD."))
    if user.id == actor.id and role != "admin":
        raise ServiceError(_("You cannot remove your own admin role."))
    old = user.role
    user.role = role
    user.opd = opd if role in ROLES_WITH_OPD else None
    audit.record("user.role_changed", actor=actor, obj=user, ip=ip, old=old, new=role)
    db.session.commit()


def set_active(user: User, active: bool, actor: User, ip: Optional[str]) -> None:
    """Deactivate or reactivate an account."""
    if user.id == actor.id and not active:
        raise ServiceError(_("You cannot deactivate your own account."))
    user.active = active
    audit.record("account.activated" if active else "account.deactivated", actor=actor, obj=user, ip=ip)
    db.session.commit()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
