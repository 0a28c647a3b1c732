"""SQLAlchemy models, one module per aggregate (see ARCHITECTURE.md)."""
from .accounts import AuditEvent, Invitation, OutboxMessage
from .curriculum import CurriculumSync, Exercise, ExerciseVersion, Stage, Track
from .mentoring import SignOff
from .organisation import ROLES, Opd, User
from .program import Cohort, Enrollment
from .work import Draft, Submission, TestResult

__all__ = [
    "AuditEvent",
    "Cohort",
    "CurriculumSync",
    "Draft",
    "Enrollment",
    "Exercise",
    "ExerciseVersion",
    "Invitation",
    "Opd",
    "OutboxMessage",
    "ROLES",
    "SignOff",
    "Stage",
    "Submission",
    "TestResult",
    "Track",
    "User",
]
