"""Accounts: passwords, log-in with lock-out, invitations, resets, roles."""
import hashlib
import math
import secrets
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import force_locale, format_time, gettext as _
from sqlalchemy import delete, or_, select

from ..enums import ROLES, ROLES_WITH_OPD, Role
from ..extensions import db
from ..models import Invitation, Opd, User
from ..models.accounts import ALL_ADDRESSES, LoginFailure
from ..models.organisation import normalise_email
from ..clock import now_utc
from . import ServiceError, audit, password_slots
from .. import links
from .mail import send_email
from .settings import DEFAULT_SETTINGS, ServiceSettings

MIN_PASSWORD_LENGTH = 10
#: Longer passwords are refused before they are hashed (argon2 work grows with the length).
MAX_PASSWORD_LENGTH = 200
# A hash computed once per cost, so logging in as an unknown email costs the same
# time as a wrong password and does not reveal which emails exist.
_DUMMY_HASH: dict[tuple[int, int, int], str] = {}
#: Checks a password against a stored hash; argon2 reads the costs from the hash itself.
_verifier = PasswordHasher()


class PasswordCheckBusy(ServiceError):
    """Every password-hashing slot of this host stayed busy (a burst of log-ins): try again shortly."""

    def __init__(self):
        super().__init__(_("Many people are logging in right now. Please wait a moment and try again."))


@contextmanager
def _hashing(settings: ServiceSettings):
    """Hold one of the host's password-hashing slots (password_slots.py) while argon2 runs."""
    try:
        with password_slots.slot(settings.password_slots_dir, settings.password_hash_slots,
                                 settings.password_hash_wait_s):
            yield
    except password_slots.SlotsBusy:
        raise PasswordCheckBusy() from None


def _hasher(settings: ServiceSettings) -> PasswordHasher:
    """An argon2id hasher with the configured costs (README "Passwords" says why these)."""
    return PasswordHasher(time_cost=settings.password_time_cost, memory_cost=settings.password_memory_cost,
                          parallelism=settings.password_parallelism)


def hash_password(password: str, settings: ServiceSettings = DEFAULT_SETTINGS) -> str:
    """Hash a password with argon2 at the configured cost (in one of the host's hashing slots)."""
    with _hashing(settings):
        return password_slots.run_nicer(settings.password_hash_nice, _hasher(settings).hash, password)


def check_password(user: User, password: str, settings: ServiceSettings = DEFAULT_SETTINGS) -> bool:
    """Does ``password`` match the user's stored hash? A hash made with other costs is replaced (rehash)."""
    if not user.password_hash:
        return False
    with _hashing(settings):
        try:
            password_slots.run_nicer(settings.password_hash_nice, _verifier.verify, user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        hasher = _hasher(settings)
        if hasher.check_needs_rehash(user.password_hash):  # the costs changed since it was made
            user.password_hash = password_slots.run_nicer(settings.password_hash_nice, hasher.hash, password)
    return True


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


def set_password(user: User, password: str, settings: ServiceSettings = DEFAULT_SETTINGS) -> int:
    """Validate and store a new password, clear any lock-out, and end the user's other sessions.

    Raising the session version logs out every session and remember-me cookie made
    before; every link of the user not yet used (reset or invitation) stops working.
    Returns how many links were revoked. The caller logs the current session in again.
    """
    validate_new_password(password)
    user.password_hash = hash_password(password, settings)
    _clear_failures(user.email)
    user.session_version = (user.session_version or 0) + 1
    return revoke_tokens(user)


def revoke_tokens(user: User) -> int:
    """Make every unused, unexpired link of ``user`` expire now; return how many there were."""
    now = now_utc()
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


class LoginPaused(ServiceError):
    """Too many failed log-ins under this email (from this address, or from all): wait until ``until``."""

    def __init__(self, until: datetime):
        minutes = max(1, math.ceil((until - now_utc()).total_seconds() / 60))
        super().__init__(_(
            "Too many failed log-ins. For safety, logging in with this email is paused: try again in"
            " %(minutes)d minutes (at %(time)s WIB), or ask for a new password.",
            minutes=minutes,
            time=format_time(until, "HH:mm"),
        ))
        self.until = until


def authenticate(email: str, password: str, ip: Optional[str], settings: ServiceSettings = DEFAULT_SETTINGS) -> User:
    """Return the user for valid credentials, or raise a ServiceError that never tells whether the email exists.

    Failures are counted per (email, address) and, with a higher ceiling, per email
    from all addresses. Past a limit, log-ins with that email pause for a while
    (LoginPaused, saying until when). Emails without an account are counted the same way.
    """
    generic = ServiceError(_("Wrong email or password, or the account has been deactivated."))  # a pause has its own message
    email = normalise_email(email)
    address = (ip or "-")[:64]
    now = now_utc()
    paused_until = _paused_until(email, address, now)
    if paused_until is not None:
        user = find_user(email)
        audit.record("login.failure", obj=user, ip=ip, email=email, reason="paused")
        db.session.commit()
        raise LoginPaused(paused_until)
    user = find_user(email)
    if user is None:
        _spend_hash_time(password, settings)
        reason = "unknown"
    elif not check_password(user, password, settings):
        reason = "password"
    elif not user.active:
        reason = "inactive"
    else:
        _clear_failures(email)
        user.last_login_at = now
        audit.record("login.success", actor=user, obj=user, ip=ip)
        db.session.commit()
        return user
    paused_until = _count_failure(email, address, now, user, ip, settings)
    audit.record("login.failure", obj=user, ip=ip, email=email, reason=reason)
    db.session.commit()
    if paused_until is not None:
        raise LoginPaused(paused_until)
    raise generic


def _lock_rules(settings: ServiceSettings) -> dict[str, tuple[int, int]]:
    """(failures, minutes) per scope: one address, or all addresses together (higher, longer)."""
    return {
        "address": (settings.login_max_failures, settings.login_lock_minutes),
        "account": (settings.login_account_max_failures, settings.login_account_lock_minutes),
    }


def _failure_rows(email: str, address: str) -> dict[str, LoginFailure]:
    """The existing failure counts of ``email``: from ``address`` and from all addresses."""
    rows = db.session.scalars(
        select(LoginFailure)
        .where(LoginFailure.email == email, LoginFailure.address.in_((address, ALL_ADDRESSES)))
        .order_by(LoginFailure.id)
    ).all()
    found: dict[str, LoginFailure] = {}
    for row in rows:
        scope = "account" if row.address == ALL_ADDRESSES else "address"
        found.setdefault(scope, row)
    return found


def _paused_until(email: str, address: str, now: datetime) -> Optional[datetime]:
    """When log-ins with ``email`` from ``address`` may start again; None when they are not paused."""
    locks = [row.locked_until for row in _failure_rows(email, address).values()
             if row.locked_until is not None and row.locked_until > now]
    return max(locks, default=None)


def _count_failure(email: str, address: str, now: datetime, user: Optional[User], ip: Optional[str],
                   settings: ServiceSettings):
    """Count one failed log-in in both scopes; lock a scope at its limit. Returns the new pause end, if any."""
    rows = _failure_rows(email, address)
    paused_until = None
    for scope, (limit, minutes) in _lock_rules(settings).items():
        row = rows.get(scope)
        if row is None:
            row = LoginFailure(email=email, address=ALL_ADDRESSES if scope == "account" else address, failures=0)
            db.session.add(row)
        quiet = row.last_failure_at is not None and row.last_failure_at < now - timedelta(minutes=minutes)
        if quiet or row.locked_until is not None:  # a quiet period or an ended lock starts a new count
            row.failures = 0
            row.locked_until = None
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= limit:
            row.locked_until = now + timedelta(minutes=minutes)
            paused_until = max(paused_until or row.locked_until, row.locked_until)
            audit.record("account.locked", obj=user, ip=ip, email=email, scope=scope, minutes=minutes)
    _forget_old_failures(now)
    return paused_until


def _clear_failures(email: str) -> None:
    """A successful log-in or a new password ends every count and pause of ``email``."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))


def _forget_old_failures(now: datetime) -> None:
    """Drop counts nobody added to for a day and that lock nothing, so the table stays small."""
    db.session.execute(
        delete(LoginFailure).where(
            LoginFailure.last_failure_at < now - timedelta(days=1),
            or_(LoginFailure.locked_until.is_(None), LoginFailure.locked_until < now),
        )
    )


def _spend_hash_time(password: str, settings: ServiceSettings) -> None:
    """Spend the time of one password check on nothing (an unknown email looks like a wrong password)."""
    cost = (settings.password_time_cost, settings.password_memory_cost, settings.password_parallelism)
    if cost not in _DUMMY_HASH:
        _DUMMY_HASH[cost] = hash_password(secrets.token_hex(8), settings)
    with _hashing(settings):
        try:
            password_slots.run_nicer(settings.password_hash_nice, _verifier.verify, _DUMMY_HASH[cost], password)
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
    settings: ServiceSettings = DEFAULT_SETTINGS,
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
        send_token_email(user, "invite", settings)
    db.session.commit()
    return user


def issue_token(user: User, purpose: str, settings: ServiceSettings = DEFAULT_SETTINGS) -> str:
    """Create a one-time token for ``user``; only its hash is stored."""
    lifetime = (
        timedelta(days=settings.invitation_days)
        if purpose == "invite"
        else timedelta(hours=settings.reset_hours)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        Invitation(
            user=user,
            purpose=purpose,
            token_hash=_token_hash(token),
            expires_at=now_utc() + lifetime,
        )
    )
    return token


def send_token_email(user: User, purpose: str, settings: ServiceSettings = DEFAULT_SETTINGS) -> None:
    """Email ``user`` a fresh invitation or password-reset link."""
    token = issue_token(user, purpose, settings)
    link = links.url("auth.set_password", token=token)
    with force_locale(user.locale or "id"):
        if purpose == "invite":
            subject = _("Your TIC Academy account")
            body = _(
                "Hello %(name)s,\n\nAn account has been created for you on TIC Academy."
                " Open this link to choose your password (valid for %(days)d days):\n\n"
                "%(link)s\n",
                name=user.full_name,
                days=settings.invitation_days,
                link=link,
            )
        else:
            subject = _("Reset your TIC Academy password")
            body = _(
                "Hello %(name)s,\n\nOpen this link to choose a new password"
                " (valid for %(hours)d hours):\n\n%(link)s\n\n"
                "If you did not ask for this, ignore this message.\n",
                name=user.full_name,
                hours=settings.reset_hours,
                link=link,
            )
    send_email(user.email, subject, body)


def request_password_reset(email: str, ip: Optional[str], settings: ServiceSettings = DEFAULT_SETTINGS) -> None:
    """Send a reset link if the email belongs to an active account; say nothing either way."""
    user = find_user(email)
    if user is not None and user.active:
        send_token_email(user, "reset", settings)
        audit.record("password.reset_requested", obj=user, ip=ip)
    else:
        audit.record("password.reset_requested", ip=ip, email=normalise_email(email), unknown=True)
    db.session.commit()


def find_valid_token(token: str) -> Optional[Invitation]:
    """Return the unused, unexpired token row for ``token``, or None."""
    row = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= now_utc():
        return None
    if not row.user.active:
        return None
    return row


def use_token(token: str, password: str, ip: Optional[str], settings: ServiceSettings = DEFAULT_SETTINGS) -> User:
    """Set a password through a one-time token; the token is spent."""
    row = find_valid_token(token)
    if row is None:
        raise ServiceError(_("This link is invalid, already used or expired."))
    row.used_at = now_utc()
    revoked = set_password(row.user, password, settings)
    action = "password.set_by_invitation" if row.purpose == "invite" else "password.reset"
    audit.record(action, actor=row.user, obj=row.user, ip=ip, revoked_links=revoked)
    db.session.commit()
    return row.user


def change_password(user: User, current: str, new: str, ip: Optional[str], settings: ServiceSettings = DEFAULT_SETTINGS) -> None:
    """Change a password after checking the current one."""
    if not check_password(user, current, settings):
        raise ServiceError(_("The current password is wrong."))
    revoked = set_password(user, new, settings)
    audit.record("password.changed", actor=user, obj=user, ip=ip, revoked_links=revoked)
    db.session.commit()


def change_role(user: User, role: str, opd: Optional[Opd], actor: User, ip: Optional[str]) -> None:
    """Change a user's role (and OPD where the role needs one)."""
    if role not in ROLES:
        raise ServiceError(_("Unknown role."))
    if role in ROLES_WITH_OPD and opd is None:
        raise ServiceError(_("Trainees and OPD heads must belong to an OPD."))
    if user.id == actor.id and role != Role.ADMIN:
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


def reinvite(user: User, actor: User, ip: Optional[str], settings: ServiceSettings = DEFAULT_SETTINGS) -> None:
    """Send a fresh invitation link (audited)."""
    send_token_email(user, "invite", settings)
    audit.record("invitation.sent", actor=actor, obj=user, ip=ip)
    db.session.commit()


def record_logout(user: User, ip: Optional[str]) -> None:
    """Audit a log-out (the web layer ends the session)."""
    audit.record("logout", actor=user, obj=user, ip=ip)
    db.session.commit()


def set_locale(user: User, locale: str, languages: tuple[str, ...]) -> None:
    """Remember the user's interface language (one of the app's ``languages``)."""
    if locale not in languages:
        raise ServiceError(_("Unknown language."))
    user.locale = locale
    db.session.commit()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
