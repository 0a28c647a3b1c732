"""Single sign-on with the city's identity provider: who a verified provider login is, and the admin switches.

The web layer (auth/sso.py) runs the OpenID Connect flow with Authlib and hands the checked ID token's
claims here. This module decides, in one place, which account they belong to:

1. the account already linked to that provider identity (issuer + ``sub``), else
2. the account with the same email, when the provider says the email is verified (it is linked now), else
3. a new account without a role, only when an admin allowed that, else nobody: refused.

Roles and OPDs stay managed in the platform; a deactivated account is refused whatever the provider says.
Every login, link and refusal is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import now_utc
from ..enums import PENDING_ROLE, Role
from ..extensions import db
from ..models import Opd, SiteSetting, User
from . import ServiceError, audit
from .accounts import find_user

#: Site settings (admin switches) of single sign-on.
PASSWORD_ADMINS_ONLY = "sso.password_admins_only"
PENDING_ACCOUNTS = "sso.pending_accounts"
_ON, _OFF = "1", "0"


@dataclass(frozen=True)
class Switches:
    """What an admin decided about logging in (both off by default)."""

    #: Only admins may still log in with a password; everyone else uses the city's accounts.
    password_admins_only: bool = False
    #: An unknown person who logs in through the provider gets an account without a role, to be approved.
    pending_accounts: bool = False


def switches() -> Switches:
    """The admin switches as stored (defaults when never set)."""
    rows = {row.key: row.value for row in db.session.scalars(
        select(SiteSetting).where(SiteSetting.key.in_([PASSWORD_ADMINS_ONLY, PENDING_ACCOUNTS])))}
    return Switches(password_admins_only=rows.get(PASSWORD_ADMINS_ONLY) == _ON,
                    pending_accounts=rows.get(PENDING_ACCOUNTS) == _ON)


def set_switches(new: Switches, actor: User, ip: Optional[str]) -> None:
    """Store the admin switches; a change is audited."""
    old = switches()
    for key, value in ((PASSWORD_ADMINS_ONLY, new.password_admins_only), (PENDING_ACCOUNTS, new.pending_accounts)):
        row = db.session.get(SiteSetting, key)
        if row is None:
            row = SiteSetting(key=key, value=_OFF)
            db.session.add(row)
        row.value = _ON if value else _OFF
        row.updated_by_id = actor.id
    if old != new:
        audit.record("sso.settings_changed", actor=actor, ip=ip,
                     password_admins_only=new.password_admins_only, pending_accounts=new.pending_accounts)
    db.session.commit()


def password_login_allowed(user: User) -> bool:
    """May this user log in with a password (admins always may)?"""
    return user.role == Role.ADMIN or not switches().password_admins_only


class SsoRefused(ServiceError):
    """A provider login that does not let the person in; ``reason`` is the audited code."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def record_refusal(reason: str, ip: Optional[str], user: Optional[User] = None, **detail) -> None:
    """Audit a refused provider login, committed at once (the refusal changes nothing else)."""
    audit.record("sso.refused", obj=user, ip=ip, reason=reason, **detail)
    db.session.commit()


def refuse(reason: str, message: str, ip: Optional[str], user: Optional[User] = None, **detail) -> SsoRefused:
    """Audit a refused provider login and return the error to raise."""
    record_refusal(reason, ip, user, **detail)
    return SsoRefused(message, reason)


def sign_in(issuer: str, claims: dict, ip: Optional[str], opd_claim: Optional[str] = None) -> User:
    """The account for a checked ID token's claims; raises SsoRefused (already audited) when there is none."""
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip()
    if not subject:
        raise refuse("no_subject", _("The city's account service sent no identity. Please try again."), ip)
    user = db.session.scalar(select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject))
    if user is None:
        if not email or claims.get("email_verified") is not True:
            raise refuse("email_unverified", _(
                "Your city account has no verified email address, so it cannot be matched to a TIC Academy"
                " account. Ask the city's account administrator to verify your email."), ip, subject=subject)
        user = find_user(email)
        if user is not None and user.oidc_subject is not None:
            raise refuse("linked_to_another", _(
                "This email's TIC Academy account is already linked to another city account. Contact the"
                " program admin."), ip, user, subject=subject)
        if user is not None:
            user.oidc_issuer, user.oidc_subject = issuer, subject
            audit.record("sso.linked", actor=user, obj=user, ip=ip, subject=subject)
        elif switches().pending_accounts:
            user = _pending_account(issuer, subject, email, claims, opd_claim)
            audit.record("sso.pending_created", actor=user, obj=user, ip=ip, subject=subject)
        else:
            raise refuse("unknown", _(
                "You are not registered in the program yet — contact the program admin (or your OPD head)"
                " to be nominated."), ip, email=email.lower(), subject=subject)
    if not user.active:
        raise refuse("inactive", _("Your account has been deactivated. Contact the program admin."), ip, user)
    user.last_login_at = now_utc()
    audit.record("sso.login", actor=user, obj=user, ip=ip)
    db.session.commit()
    return user


def _pending_account(issuer: str, subject: str, email: str, claims: dict, opd_claim: Optional[str]) -> User:
    """A new account with no role yet (an admin gives it one); its OPD from the optional claim."""
    opd = None
    if opd_claim and claims.get(opd_claim):
        opd = db.session.scalar(select(Opd).where(Opd.code == str(claims[opd_claim]).strip().upper()))
    user = User(email=email, full_name=str(claims.get("name") or email)[:200], role=PENDING_ROLE, opd=opd,
                oidc_issuer=issuer, oidc_subject=subject)
    db.session.add(user)
    db.session.flush()
    return user
