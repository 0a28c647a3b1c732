"""SQLAlchemy models, one module per aggregate (see ARCHITECTURE.md)."""
from .accounts import AuditEvent, Invitation, OutboxMessage, PersonalAccessToken, SiteSetting
from .curriculum import CurriculumSync, Exercise, ExerciseVersion, Stage, Track
from .mentoring import LineComment, ManualGrade, Message, Review, ReviewItem, ScoreOverride, ShapeFeedback, SignOff
from .notices import Notification
from .organisation import Opd, User
from .program import Cohort, Enrollment
from .signals import RunCount, WarningSignal
from .work import Draft, HintReveal, Submission, TestResult
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
    "HintReveal",
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
    "RunCount",
    "ScoreOverride",
    "ShapeFeedback",
    "SignOff",
    "Stage",
    "Submission",
    "TestResult",
    "Track",
    "User",
    "WarningSignal",
]
