"""Which mentor follows which trainee: per trainee, per OPD, per cohort, and "balance the load"."""
from __future__ import annotations

from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..enums import CohortStatus, EnrollmentStatus, Role
from ..extensions import db
from ..models import Cohort, Enrollment, User
from . import ServiceError, audit
from .review_queue import follow_mentor_change


def active_mentors() -> list[User]:
    """Every active mentor, by name."""
    return list(db.session.scalars(
        select(User).where(User.role == Role.MENTOR, User.active).order_by(User.full_name)
    ))


def mentor_load(cohort: Optional[Cohort] = None) -> dict[int, int]:
    """Active trainees per mentor: in ``cohort``, or over every running cohort (one grouped query).

    Graduated and withdrawn trainees no longer need their mentor, so they do not count.
    """
    query = (
        select(Enrollment.mentor_id, func.count())
        .where(Enrollment.status == EnrollmentStatus.ACTIVE, Enrollment.mentor_id.is_not(None))
        .group_by(Enrollment.mentor_id)
    )
    if cohort is not None:
        query = query.where(Enrollment.cohort_id == cohort.id)
    else:
        query = query.join(Cohort, Cohort.id == Enrollment.cohort_id).where(Cohort.status == CohortStatus.RUNNING)
    return dict(db.session.execute(query).all())


def _check_mentor(mentor: Optional[User]) -> None:
    if mentor is not None and (mentor.role != Role.MENTOR or not mentor.active):
        raise ServiceError(_("Choose an active mentor."))


def assign(enrollments: list[Enrollment], mentor: Optional[User], admin: User, scope: str) -> int:
    """Give these enrollments ``mentor`` (None: no mentor); returns how many changed (audited)."""
    _check_mentor(mentor)
    mentor_id = mentor.id if mentor else None
    changed = 0
    for enrollment in enrollments:
        if enrollment.mentor_id == mentor_id:
            continue
        audit.record("enrollment.mentor_assigned", actor=admin, obj=enrollment, scope=scope,
                     previous=enrollment.mentor_id, mentor=mentor_id)
        enrollment.mentor_id = mentor_id
        follow_mentor_change(enrollment.trainee_id, mentor_id)
        changed += 1
    db.session.commit()
    return changed


def cohort_enrollments(cohort: Cohort, opd_id: Optional[int] = None) -> list[Enrollment]:
    """The cohort's active enrollments (of one OPD when given), by trainee name."""
    query = (
        select(Enrollment).join(User, User.id == Enrollment.trainee_id)
        .where(Enrollment.cohort_id == cohort.id, Enrollment.status == EnrollmentStatus.ACTIVE)
        .order_by(User.full_name)
    )
    if opd_id:
        query = query.where(User.opd_id == opd_id)
    return list(db.session.scalars(query))


def cohort_mentors(cohort: Cohort) -> list[User]:
    """The mentors who already follow someone in the cohort."""
    ids = {e.mentor_id for e in cohort_enrollments(cohort) if e.mentor_id}
    return [m for m in active_mentors() if m.id in ids]


def balance_load(cohort: Cohort, mentors: list[User], admin: User) -> int:
    """Spread the cohort's trainees without a mentor over ``mentors``, fewest trainees first."""
    if not mentors:
        raise ServiceError(_("Choose at least one mentor."))
    for mentor in mentors:
        _check_mentor(mentor)
    enrollments = cohort_enrollments(cohort)
    cohort_load = mentor_load(cohort)
    load = {m.id: cohort_load.get(m.id, 0) for m in mentors}
    order = {m.id: n for n, m in enumerate(mentors)}
    unassigned = [e for e in enrollments if e.mentor_id is None]
    for enrollment in unassigned:
        mentor_id = min(load, key=lambda m: (load[m], order[m]))
        load[mentor_id] += 1
        enrollment.mentor_id = mentor_id
        follow_mentor_change(enrollment.trainee_id, mentor_id)
    audit.record("cohort.mentors_balanced", actor=admin, obj=cohort, assigned=len(unassigned),
                 mentors=[m.id for m in mentors])
    db.session.commit()
    return len(unassigned)
