"""SQLAlchemy models, one module per aggregate (see ARCHITECTURE.md)."""
from .accounts import AuditEvent, Invitation, OutboxMessage
from .organisation import ROLES, Opd, User

__all__ = ["AuditEvent", "Invitation", "OutboxMessage", "Opd", "ROLES", "User"]
