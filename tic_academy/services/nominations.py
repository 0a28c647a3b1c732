"""Nominations: OPD heads propose staff for a cohort; admins decide; approval enrolls.

Lifecycle: draft → submitted → approved / waitlisted / rejected → enrolled,
or withdrawn by the OPD head before a decision. A waitlisted nomination can
still be approved or rejected later.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from flask_babel import force_locale, gettext as _
from sqlalchemy import func, select

from ..enums import CohortStatus, EnrollmentStatus, NOMINATION_OPEN, NOMINATION_PLACED, NominationStatus, Role
from ..extensions import db
from ..i18n import role_label, tanggal
from ..models import Opd, User
from ..models.organisation import normalise_email
from ..models.program import EDUCATION_LEVELS, EMPLOYMENT_STATUSES, Cohort, Enrollment, Nomination
from ..clock import now_utc
from . import ServiceError, accounts, audit, cohorts
from .. import links
from .mail import send_email
from .settings import DEFAULT_SETTINGS, ServiceSettings

#: Fields an OPD head fills in; nothing else about the person is kept.
FIELDS = (
    "full_name",
    "email",
    "phone",
    "position",
    "unit",
    "employment_status",
    "education",
    "motivation",
    "hours_per_week",
    "supervisor_agrees",
)
DECISIONS = (NominationStatus.APPROVED, NominationStatus.WAITLISTED, NominationStatus.REJECTED)


def normalise_phone(value: str) -> str:
    """Digits only, with the Indonesian +62 prefix written as 0."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def save_draft(
    nomination: Optional[Nomination], *, head: User, cohort_id: int, data: dict, ip: Optional[str] = None
) -> Nomination:
    """Create or update a draft nomination of the head's own OPD."""
    if head.role != Role.OPD_HEAD or head.opd_id is None:
        raise ServiceError(_("Only an OPD head can nominate staff."))
    if nomination is not None and not nomination.can(head, "edit"):
        raise ServiceError(_("Only a draft nomination can be changed."))
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.status != CohortStatus.PLANNED:
        raise ServiceError(_("Nominations are only possible for a planned cohort."))
    values = _clean(data)
    # The conflict check reads a copy outside the session, so a refusal leaves nothing changed.
    probe = Nomination(id=nomination.id if nomination else None, opd_id=head.opd_id, cohort_id=cohort.id, **values)
    _check_for_head(probe)
    creating = nomination is None
    if creating:
        nomination = Nomination(opd_id=head.opd_id, nominated_by_id=head.id, status=NominationStatus.DRAFT)
        db.session.add(nomination)
    nomination.cohort_id = cohort.id
    for name, value in values.items():
        setattr(nomination, name, value)
    db.session.flush()
    audit.record("nomination.created" if creating else "nomination.updated", actor=head, obj=nomination, ip=ip)
    db.session.commit()
    return nomination


def _clean(data: dict) -> dict:
    values = {name: data.get(name) for name in FIELDS}
    for name in ("full_name", "phone", "position", "unit", "motivation"):
        values[name] = (values[name] or "").strip()
    values["email"] = normalise_email(values["email"])
    values["supervisor_agrees"] = bool(values["supervisor_agrees"])
    if not values["full_name"] or not values["email"]:
        raise ServiceError(_("The name and the work email are required."))
    if values["employment_status"] not in EMPLOYMENT_STATUSES:
        raise ServiceError(_("Choose the employment status."))
    if values["education"] not in EDUCATION_LEVELS:
        raise ServiceError(_("Choose the education level."))
    hours = values["hours_per_week"]
    if not isinstance(hours, int) or not 1 <= hours <= 40:
        raise ServiceError(_("Hours per week must be between 1 and 40."))
    return values


@dataclass(frozen=True)
class Conflict:
    """Something that stands against a nomination, kept as a code and translated when shown.

    ``private`` conflicts concern people outside the nominating OPD (another OPD's
    nominee or trainee, a staff account): only the admin is told about them, so the
    nomination form cannot be used to find out who is who. ``blocking`` ones stop an approval.
    """

    code: str
    params: tuple = ()
    private: bool = False
    blocking: bool = True

    def message(self) -> str:
        """The conflict in the reader's language."""
        params = dict(self.params)
        if self.code == "nominated_here":
            return _("This person is already nominated for this cohort.")
        if self.code == "nominated_elsewhere":
            return _("%(opd)s also nominated this person (same email or phone) for this cohort.", **params)
        if self.code == "staff_account":
            return _("This email belongs to an account that is not a trainee (%(role)s).",
                     role=role_label(params["role"]))
        if self.code == "other_opd":
            return _("This email belongs to a trainee registered with %(opd)s.", **params)
        # "enrolled"
        return _("This person is already enrolled in %(cohort)s.", **params)


def conflicts(nomination: Nomination) -> list[Conflict]:
    """Everything that stands against ``nomination``, with the detail an admin needs to decide."""
    found = []
    phone = normalise_phone(nomination.phone)
    # A cohort has tens of nominations, so comparing phone numbers in Python is cheap.
    rows = db.session.scalars(
        select(Nomination).where(
            Nomination.cohort_id == nomination.cohort_id,
            Nomination.status.in_((NominationStatus.DRAFT,) + NOMINATION_OPEN),
            Nomination.id != (nomination.id or 0),
        )
    ).all()
    for other in rows:
        if other.email != nomination.email and not (phone and normalise_phone(other.phone) == phone):
            continue
        if other.opd_id == nomination.opd_id:
            found.append(Conflict("nominated_here"))
        else:
            # Two OPDs nominating one person: the admin picks one; only a placed one blocks the other.
            found.append(Conflict("nominated_elsewhere", (("opd", other.opd.short_name),),
                                  private=True, blocking=other.status in NOMINATION_PLACED))
    user = accounts.find_user(nomination.email)
    if user is None:
        return found
    if user.role != Role.TRAINEE:
        found.append(Conflict("staff_account", (("role", user.role),), private=True))
    elif user.opd_id != nomination.opd_id:
        found.append(Conflict("other_opd", (("opd", user.opd.short_name),), private=True))
    else:
        enrolled = db.session.scalar(
            select(Cohort)
            .join(Enrollment)
            .where(
                Enrollment.trainee_id == user.id,
                Enrollment.status == EnrollmentStatus.ACTIVE,
                Cohort.status.in_((CohortStatus.PLANNED, CohortStatus.RUNNING)),
            )
            .limit(1)
        )
        if enrolled is not None:
            found.append(Conflict("enrolled", (("cohort", enrolled.name),)))
    return found


def _check_for_head(nomination: Nomination) -> None:
    """Refuse what the OPD head may know (their own OPD's people); anything else waits, unsaid, for the admin."""
    for conflict in conflicts(nomination):
        if not conflict.private:
            raise ServiceError(conflict.message())


def _check_for_approval(nomination: Nomination) -> None:
    """Refuse an approval while a blocking conflict stands, saying which (the admin may know)."""
    for conflict in conflicts(nomination):
        if conflict.blocking:
            raise ServiceError(conflict.message())


def submit(nomination: Nomination, head: User, ip: Optional[str] = None) -> None:
    """Hand a draft to the program admins, within the OPD's quota."""
    if not nomination.can(head, "edit"):
        raise ServiceError(_("Only a draft nomination can be submitted."))
    if nomination.cohort.status != CohortStatus.PLANNED:
        raise ServiceError(_("Nominations are only possible for a planned cohort."))
    if not nomination.supervisor_agrees:
        raise ServiceError(_("Confirm that the staff member's supervisor agrees before submitting."))
    _check_for_head(nomination)
    quota = nomination.cohort.quota_for(nomination.opd_id)
    if quota is not None:
        used = db.session.scalar(
            select(func.count()).select_from(Nomination).where(
                Nomination.cohort_id == nomination.cohort_id,
                Nomination.opd_id == nomination.opd_id,
                Nomination.status.in_((NominationStatus.SUBMITTED, NominationStatus.APPROVED, NominationStatus.ENROLLED)),
            )
        )
        if used >= quota:
            raise ServiceError(
                _(
                    "Your OPD's quota for %(cohort)s is %(quota)d nominations and %(used)d are already"
                    " submitted or approved. Withdraw one first or ask the program admin.",
                    cohort=nomination.cohort.name,
                    quota=quota,
                    used=used,
                )
            )
    nomination.status = NominationStatus.SUBMITTED
    nomination.submitted_at = now_utc()
    audit.record("nomination.submitted", actor=head, obj=nomination, ip=ip)
    db.session.commit()


def withdraw(nomination: Nomination, head: User, ip: Optional[str] = None) -> None:
    """The OPD head takes a nomination back before the admin decides."""
    if not nomination.can(head, "withdraw"):
        raise ServiceError(_("A nomination can only be withdrawn before a decision."))
    old = nomination.status
    nomination.status = NominationStatus.WITHDRAWN
    audit.record("nomination.withdrawn", actor=head, obj=nomination, ip=ip, old=old)
    db.session.commit()


def decide(nomination: Nomination, decision: str, reason: str, admin: User, ip: Optional[str] = None,
           settings: ServiceSettings = DEFAULT_SETTINGS) -> None:
    """Approve, waitlist or reject a submitted (or waitlisted) nomination; always audited.

    ``settings`` gives the invitation link's lifetime for an approved nominee without an account.
    """
    if not nomination.can(admin, "decide"):
        raise ServiceError(_("You may not decide on this nomination."))
    if decision not in DECISIONS:
        raise ServiceError(_("Unknown decision."))
    allowed_from = ("submitted",) if decision == "waitlisted" else ("submitted", "waitlisted")
    if nomination.status not in allowed_from:
        raise ServiceError(_("This nomination cannot take that decision in its current state."))
    if nomination.cohort.status == CohortStatus.FINISHED:
        raise ServiceError(_("The cohort has finished."))
    reason = (reason or "").strip()
    if decision != "approved" and not reason:
        raise ServiceError(_("Give a reason for the OPD head."))
    old = nomination.status
    if decision == "approved":
        _approve(nomination, admin, ip, settings)
    else:
        nomination.status = decision
    nomination.decision_reason = reason
    nomination.decided_by_id = admin.id
    nomination.decided_at = now_utc()
    audit.record(f"nomination.{decision}", actor=admin, obj=nomination, ip=ip, old=old, reason=reason)
    db.session.commit()


def _approve(nomination: Nomination, admin: User, ip: Optional[str], settings: ServiceSettings) -> None:
    """Check quota and capacity, then create or re-use the account and enroll it."""
    cohort = nomination.cohort
    _check_for_approval(nomination)
    if cohorts.places_taken(cohort.id) >= cohort.capacity:
        raise ServiceError(
            _("The cohort is full (capacity %(n)d). Waitlist the nomination or raise the capacity.", n=cohort.capacity)
        )
    quota = cohort.quota_for(nomination.opd_id)
    if quota is not None and cohorts.places_taken(cohort.id, nomination.opd_id) >= quota:
        raise ServiceError(
            _(
                "The quota of %(opd)s for this cohort (%(n)d places) is full."
                " Waitlist the nomination or raise the quota.",
                opd=nomination.opd.short_name,
                n=quota,
            )
        )
    user = accounts.find_user(nomination.email)
    if user is None:
        user = accounts.create_user(
            email=nomination.email,
            full_name=nomination.full_name,
            role=Role.TRAINEE,
            opd=db.session.get(Opd, nomination.opd_id),
            actor=admin,
            ip=ip,
            send_invitation=True,
            settings=settings,
        )
    elif user.password_hash is None:
        accounts.send_token_email(user, "invite", settings)
    else:
        _send_acceptance(user, cohort)
    db.session.add(
        Enrollment(cohort=cohort, trainee=user, mentor=cohorts.least_loaded_mentor(cohort), status=EnrollmentStatus.ACTIVE)
    )
    nomination.user_id = user.id
    nomination.status = NominationStatus.ENROLLED if cohort.status == CohortStatus.RUNNING else NominationStatus.APPROVED


def _send_acceptance(user: User, cohort: Cohort) -> None:
    """Tell someone who already has an account that they are in the cohort."""
    with force_locale(user.locale or "id"):
        subject = _("You are enrolled in %(cohort)s", cohort=cohort.name)
        body = _(
            "Hello %(name)s,\n\nYou have been accepted into %(cohort)s, starting %(start)s."
            " Log in with your existing account:\n\n%(link)s\n",
            name=user.full_name,
            cohort=cohort.name,
            start=tanggal(cohort.start_date),
            link=links.url("auth.login"),
        )
    send_email(user.email, subject, body)


def visible_nominations(viewer: User):
    """A select() of the nominations ``viewer`` may see (admins all, OPD heads their OPD's)."""
    query = select(Nomination)
    if viewer.role == Role.ADMIN:
        return query
    if viewer.role == Role.OPD_HEAD and viewer.opd_id is not None:
        return query.where(Nomination.opd_id == viewer.opd_id)
    return query.where(Nomination.id == -1)
