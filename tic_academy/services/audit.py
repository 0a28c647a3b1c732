"""Writing the audit log."""
from typing import Optional

from ..extensions import db
from ..models import AuditEvent, User


def record(
    action: str,
    actor: Optional[User] = None,
    obj=None,
    ip: Optional[str] = None,
    **detail,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits)."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        ip=ip[:64] if ip else ip,  # the column's width: a forged X-Forwarded-For may be longer
        detail=detail,
    )
    db.session.add(event)
    return event
