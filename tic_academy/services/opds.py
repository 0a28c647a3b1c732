"""OPD management: create, edit, deactivate and reactivate work units (audited; each call commits)."""
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Opd, User
from . import ServiceError, audit


def _code_taken(code: str, except_id: Optional[int] = None) -> bool:
    """Does another OPD already use this code?"""
    query = select(Opd.id).where(Opd.code == code)
    if except_id is not None:
        query = query.where(Opd.id != except_id)
    return db.session.scalar(query) is not None


def _check(code: str, name: str, short_name: str, except_id: Optional[int] = None) -> None:
    """Refuse an OPD without a code or names, or with a code another OPD uses (nothing is changed)."""
    if not code.strip() or not name.strip() or not short_name.strip():
        raise ServiceError(_("An OPD needs a code, a full name and a short name."))
    if _code_taken(code.strip(), except_id):
        raise ServiceError(_("This code is already used."))


def create_opd(code: str, name: str, short_name: str, actor: User, ip: Optional[str] = None) -> Opd:
    """Create an OPD; ServiceError (and no change) when the code is taken."""
    _check(code, name, short_name)
    opd = Opd(code=code.strip(), name=name.strip(), short_name=short_name.strip())
    db.session.add(opd)
    db.session.flush()
    audit.record("opd.created", actor=actor, obj=opd, ip=ip, code=opd.code)
    db.session.commit()
    return opd


def update_opd(opd: Opd, code: str, name: str, short_name: str, actor: User, ip: Optional[str] = None) -> Opd:
    """Change an OPD's code and names; ServiceError (and no change) when the code is taken."""
    _check(code, name, short_name, except_id=opd.id)
    opd.code, opd.name, opd.short_name = code.strip(), name.strip(), short_name.strip()
    audit.record("opd.updated", actor=actor, obj=opd, ip=ip)
    db.session.commit()
    return opd


def toggle_active(opd: Opd, actor: User, ip: Optional[str] = None) -> Opd:
    """Deactivate an OPD (kept for history) or reactivate it."""
    opd.active = not opd.active
    audit.record("opd.activated" if opd.active else "opd.deactivated", actor=actor, obj=opd, ip=ip)
    db.session.commit()
    return opd
