"""SQLAlchemy models, one module per aggregate (see ARCHITECTURE.md)."""
from .accounts import AuditEvent, Invitation, OutboxMessage, PersonalAccessToken, SiteSetting
from .curriculum import CurriculumSync, Exercise, ExerciseVersion, Stage, Track
from .mentoring import LineComment, ManualGrade, Message, Review, ReviewItem, ScoreOverride, SignOff
from .notices import Notification
from .organisation import Opd, User
from .program import Cohort, Enrollment
from .work import Draft, Submission, TestResult
from .best_scores import BestScore

__all__ = [
    "AuditEvent",
    "BestScore",
    "SiteSetting",
    "Cohort",
    "CurriculumSync",
    "Draft",
    "Enrollment",
    "Exercise",
    "ExerciseVersion",
    "Invitation",
    "LineComment",
    "ManualGrade",
    "Message",
    "Notification",
    "Opd",
    "OutboxMessage",
    "PersonalAccessToken",
    "Review",
    "ReviewItem",
    "ScoreOverride",
    "SignOff",
    "Stage",
    "Submission",
    "TestResult",
    "Track",
    "User",
]
