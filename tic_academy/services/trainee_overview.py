"""One trainee as their mentor sees them: progress, every submission, help threads and, on request, drafts.

Only the trainee's own mentor (of their current enrollment) and admins may look
(``may_view``). Drafts are private work in progress: they are read only when the
mentor asks for them, and every such look is written to the audit log
(``drafts_for``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..enums import ItemKind, Role, SubmissionMode
from ..extensions import db
from ..models import Draft, Enrollment, Submission, User
from ..models.mentoring import Review, ReviewItem
from . import audit
from .enrollment import current_enrollment
from .progress import Pace, StageProgress, pace, track_progress


@dataclass
class TraineeOverview:
    """Everything the trainee page shows, except drafts."""

    trainee: User
    enrollment: Optional[Enrollment]
    stages: list[StageProgress] = field(default_factory=list)
    pace: Optional[Pace] = None
    #: Graded or not, newest first.
    submissions: list[Submission] = field(default_factory=list)
    #: submission id -> the latest mentor decision on it ("approved" or "changes_requested").
    decisions: dict[int, str] = field(default_factory=dict)
    #: The trainee's "ask my mentor" requests, newest first.
    help_requests: list[ReviewItem] = field(default_factory=list)


def may_view(user: User, trainee: User) -> bool:
    """May ``user`` see this trainee's page: an admin, or the mentor of the trainee's current enrollment?"""
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.MENTOR or trainee.role != Role.TRAINEE:
        return False
    enrollment = current_enrollment(trainee.id)
    return enrollment is not None and enrollment.mentor_id == user.id


def overview(trainee: User, today: date) -> TraineeOverview:
    """The trainee's progress per stage and exercise, pace, submissions and help requests."""
    enrollment = current_enrollment(trainee.id)
    result = TraineeOverview(trainee=trainee, enrollment=enrollment)
    if enrollment is not None:
        result.stages = track_progress(trainee.id, enrollment.cohort.track)
        result.pace = pace(enrollment.cohort, result.stages, today)
    result.submissions = list(db.session.scalars(
        select(Submission)
        .where(Submission.trainee_id == trainee.id, Submission.mode == SubmissionMode.SUBMIT)
        .options(selectinload(Submission.exercise), selectinload(Submission.override))
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    ))
    ids = [s.id for s in result.submissions]
    for submission_id, decision in db.session.execute(
        select(Review.submission_id, Review.decision).where(Review.submission_id.in_(ids)).order_by(Review.id)
    ):
        result.decisions[submission_id] = decision  # the later decision wins
    result.help_requests = list(db.session.scalars(
        select(ReviewItem)
        .where(ReviewItem.trainee_id == trainee.id, ReviewItem.kind == ItemKind.HELP)
        .options(selectinload(ReviewItem.exercise))
        .order_by(ReviewItem.created_at.desc(), ReviewItem.id.desc())
    ))
    return result


def drafts_for(trainee: User, viewer: User, ip: Optional[str] = None) -> list[Draft]:
    """The trainee's current drafts, newest first; the look is audited (commits)."""
    drafts = list(db.session.scalars(
        select(Draft).where(Draft.trainee_id == trainee.id)
        .options(selectinload(Draft.exercise))
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    ))
    audit.record("trainee.drafts_viewed", actor=viewer, obj=trainee, ip=ip, drafts=len(drafts))
    db.session.commit()
    return drafts
