"""Cohorts: creating and editing them, per-OPD quotas, mentors and the status."""
from __future__ import annotations

from datetime import date
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..enums import CohortStatus, EnrollmentStatus, NOMINATION_PLACED, NominationStatus, Role
from ..extensions import db
from ..models import Opd, Track, User
from ..models.program import Cohort, CohortQuota, Enrollment, Nomination
from . import ServiceError, audit
from .mentor_assignment import mentor_load

#: The only status changes an admin can make, in order.
NEXT_STATUS = {"planned": "running", "running": "finished"}


def save_cohort(
    cohort: Optional[Cohort],
    *,
    name: str,
    track_id: int,
    start_date: date,
    capacity: int,
    mentor_ids: list[int],
    quotas: dict[int, int],
    actor: User,
    ip: Optional[str] = None,
) -> Cohort:
    """Create (cohort None) or update a cohort with its mentors and per-OPD quotas; refuses before changing."""
    track = db.session.get(Track, track_id)
    if track is None or track.retired:
        raise ServiceError(_("Choose an active track."))
    if capacity < 1:
        raise ServiceError(_("The capacity must be at least 1."))
    _check_quotas(quotas, capacity)
    creating = cohort is None
    if not creating and cohort.track_id != track_id and cohort.enrollments:
        raise ServiceError(_("The track cannot change once trainees are enrolled."))
    enrolled = 0 if creating else _enrolled_count(cohort.id)
    if capacity < enrolled:
        raise ServiceError(
            _("The capacity cannot be below the %(n)d trainees already enrolled.", n=enrolled)
        )
    if creating:
        cohort = Cohort(status=CohortStatus.PLANNED)
        db.session.add(cohort)
    cohort.name = name.strip()
    cohort.track = track
    cohort.start_date = start_date
    cohort.capacity = capacity
    cohort.mentors = list(
        db.session.scalars(select(User).where(User.id.in_(mentor_ids), User.role == Role.MENTOR))
    )
    _set_quotas(cohort, quotas)
    db.session.flush()
    audit.record(
        "cohort.created" if creating else "cohort.updated",
        actor=actor,
        obj=cohort,
        ip=ip,
        capacity=capacity,
        quotas={str(k): v for k, v in sorted(quotas.items()) if v},
    )
    db.session.commit()
    return cohort


def _check_quotas(quotas: dict[int, int], capacity: int) -> None:
    """Refuse a negative quota or one above the capacity (nothing is changed)."""
    wanted = [places for places in quotas.values() if places]
    if any(places < 0 for places in wanted):
        raise ServiceError(_("A quota cannot be negative."))
    if wanted and max(wanted) > capacity:
        raise ServiceError(_("An OPD's quota cannot exceed the cohort's capacity."))


def _set_quotas(cohort: Cohort, quotas: dict[int, int]) -> None:
    """Replace the cohort's quotas (checked by _check_quotas); 0 or empty means no quota for that OPD."""
    wanted = {opd_id: places for opd_id, places in quotas.items() if places}
    known = set(db.session.scalars(select(Opd.id).where(Opd.id.in_(wanted))))
    existing = {q.opd_id: q for q in cohort.quotas}
    for opd_id, quota in existing.items():
        if opd_id not in wanted:
            cohort.quotas.remove(quota)
    for opd_id, places in wanted.items():
        if opd_id not in known:
            continue
        if opd_id in existing:
            existing[opd_id].places = places
        else:
            cohort.quotas.append(CohortQuota(opd_id=opd_id, places=places))


def change_status(cohort: Cohort, status: str, actor: User, ip: Optional[str] = None) -> None:
    """Move a cohort forward: planned → running → finished.

    Starting a cohort enrolls its approved nominations (status "enrolled").
    """
    if NEXT_STATUS.get(cohort.status) != status:
        raise ServiceError(_("This status change is not possible."))
    old = cohort.status
    cohort.status = status
    if status == "running":
        nominations = db.session.scalars(
            select(Nomination).where(Nomination.cohort_id == cohort.id, Nomination.status == NominationStatus.APPROVED)
        ).all()
        for nomination in nominations:
            nomination.status = NominationStatus.ENROLLED
            audit.record("nomination.enrolled", actor=actor, obj=nomination, ip=ip)
    audit.record("cohort.status_changed", actor=actor, obj=cohort, ip=ip, old=old, new=status)
    db.session.commit()


def _enrolled_count(cohort_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Enrollment).where(
            Enrollment.cohort_id == cohort_id, Enrollment.status != EnrollmentStatus.WITHDRAWN
        )
    )


def places_taken(cohort_id: int, opd_id: Optional[int] = None) -> int:
    """Places given in the cohort (approved or enrolled nominations and other enrollments)."""
    if opd_id is None:
        return _enrolled_count(cohort_id)
    return db.session.scalar(
        select(func.count()).select_from(Nomination).where(
            Nomination.cohort_id == cohort_id,
            Nomination.opd_id == opd_id,
            Nomination.status.in_(NOMINATION_PLACED),
        )
    )


def least_loaded_mentor(cohort: Cohort) -> Optional[User]:
    """The cohort mentor with the fewest active trainees in it (None when it has no mentors)."""
    if not cohort.mentors:
        return None
    load = mentor_load(cohort)
    return min(cohort.mentors, key=lambda mentor: (load.get(mentor.id, 0), mentor.full_name))


def planned_cohorts() -> list[Cohort]:
    """Cohorts open for nominations, soonest first."""
    return list(
        db.session.scalars(select(Cohort).where(Cohort.status == CohortStatus.PLANNED).order_by(Cohort.start_date))
    )
