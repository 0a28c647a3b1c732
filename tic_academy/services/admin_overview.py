"""The admin's to-do list across every cohort: what waits for someone to act.

Each figure follows the rule of the page it links to (nominations list, review
queue, cohort page, graduation page, users list), so a count and the page it
opens always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..enums import PENDING_ROLE, CohortStatus, EnrollmentStatus, PaceStatus, Role
from ..extensions import db
from ..models import User
from ..models.program import Cohort
from . import certificates, dashboards, review_queue
from .settings import ServiceSettings


@dataclass
class CohortBehind:
    """A running cohort and how many of its active trainees are behind the pace plan."""

    cohort: Cohort
    behind: int


@dataclass
class AdminTodo:
    """The counts of the admin's overview."""

    nominations_waiting: int
    overdue_items: int
    open_items: int
    behind: list[CohortBehind] = field(default_factory=list)
    certificates_to_issue: int = 0
    accounts_waiting: int = 0

    @property
    def trainees_behind(self) -> int:
        """Trainees behind the plan in every running cohort together."""
        return sum(line.behind for line in self.behind)

    @property
    def nothing_to_do(self) -> bool:
        """Is every list empty?"""
        return not (self.nominations_waiting or self.overdue_items or self.trainees_behind
                    or self.certificates_to_issue or self.accounts_waiting)


def admin_todo(admin: User, settings: ServiceSettings, today=None) -> AdminTodo:
    """Everything waiting for the admin or the mentors, over all cohorts."""
    clock = review_queue.QueueClock.of(settings)
    items = review_queue.queue(admin)
    running = db.session.scalars(
        select(Cohort).where(Cohort.status == CohortStatus.RUNNING).order_by(Cohort.start_date)
    ).all()
    behind = []
    for cohort in running:
        rows = dashboards.load_cohort(cohort, today).trainees
        count = sum(1 for r in rows if r.status == EnrollmentStatus.ACTIVE and r.pace.status == PaceStatus.BEHIND)
        if count:
            behind.append(CohortBehind(cohort, count))
    return AdminTodo(
        nominations_waiting=dashboards.nominations_waiting(),
        overdue_items=sum(1 for item in items if clock.is_overdue(item)),
        open_items=len(items),
        behind=behind,
        certificates_to_issue=len(certificates.ready_to_graduate(admin)),
        accounts_waiting=pending_accounts(),
    )


def pending_accounts() -> int:
    """Accounts created by single sign-on that wait for an admin to give them a role."""
    return db.session.scalar(select(func.count()).select_from(User).where(User.role == PENDING_ROLE))


def role_counts() -> dict[str, int]:
    """Accounts per role (one grouped query)."""
    return dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())

