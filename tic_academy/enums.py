"""Roles and every closed set of states, as string enums stored as their plain values.

A ``StrEnum`` member *is* its string (``Role.ADMIN == "admin"``), so columns keep
their values and no data migration is needed; code and templates name the member
instead of repeating a bare string that a typo would silently break. Labels for
people live in ``i18n.py``, keyed by these members. The grading package keeps its
own test-result statuses (it is a pure library that imports nothing of the app).
"""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user is in the program."""

    TRAINEE = "trainee"
    MENTOR = "mentor"
    OPD_HEAD = "opd_head"
    ADMIN = "admin"


#: Every role, in the order forms list them (``x in ROLES`` works for plain strings too).
ROLES = tuple(Role)
#: The role of an account made by a first single sign-on of an unknown person, when an admin allows
#: that: no role yet, so no page but "waiting for approval" until an admin gives it one of ``ROLES``.
PENDING_ROLE = "pending"
#: Roles that must belong to an OPD.
ROLES_WITH_OPD = (Role.TRAINEE, Role.OPD_HEAD)


class CohortStatus(StrEnum):
    """A cohort's life: open for nominations, under way, over."""

    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"


class EnrollmentStatus(StrEnum):
    """A trainee's place in a cohort."""

    ACTIVE = "active"
    GRADUATED = "graduated"
    WITHDRAWN = "withdrawn"


class NominationStatus(StrEnum):
    """Where an OPD's nomination of a staff member stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


#: Nominations that hold (or ask for) a place in the cohort.
NOMINATION_OPEN = (NominationStatus.SUBMITTED, NominationStatus.APPROVED, NominationStatus.WAITLISTED,
                   NominationStatus.ENROLLED)
#: Nominations that were given a place.
NOMINATION_PLACED = (NominationStatus.APPROVED, NominationStatus.ENROLLED)


class EmploymentStatus(StrEnum):
    """How a nominee is employed by their OPD."""

    HONORARY = "honorary"
    CONTRACT = "contract"


class EducationLevel(StrEnum):
    """A nominee's highest education."""

    SMA = "sma"
    D3 = "d3"
    S1 = "s1"
    S2 = "s2"
    OTHER = "other"


class SubmissionStatus(StrEnum):
    """Where a submission is in the grading pipeline."""

    QUEUED = "queued"
    RUNNING = "running"
    GRADED = "graded"
    FAILED = "failed"


class SubmissionMode(StrEnum):
    """check: with public tests, not recorded for progress; submit: with hidden tests, counts."""

    CHECK = "check"
    SUBMIT = "submit"


class SubmissionVia(StrEnum):
    """How a project submission was made: a push to main, or the Kumpulkan button."""

    PUSH = "push"
    BUTTON = "button"


class IntegrityStatus(StrEnum):
    """clear: nothing serious found; held: the score waits for a mentor; cleared: released; confirmed: counts as 0."""

    CLEAR = "clear"
    HELD = "held"
    CLEARED = "cleared"
    CONFIRMED = "confirmed"


class SignOffStatus(StrEnum):
    """A stage sign-off: asked for, approved, or sent back."""

    REQUESTED = "requested"
    APPROVED = "approved"
    RETURNED = "returned"


class ItemKind(StrEnum):
    """What a review-queue item is about."""

    MANUAL_GRADING = "manual_grading"
    SIGNOFF = "signoff"
    HELP = "help"
    FLAGGED = "flagged"
    SIMILARITY = "similarity"
    #: An early-warning signal about the trainee (models/signals.py WarningSignal).
    WARNING = "warning"


class ItemStatus(StrEnum):
    """open: waiting; done: handled; superseded: a newer submission replaced it."""

    OPEN = "open"
    DONE = "done"
    SUPERSEDED = "superseded"


class Decision(StrEnum):
    """A mentor's decision on a submission."""

    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class TokenPurpose(StrEnum):
    """What an emailed token is for."""

    INVITE = "invite"
    RESET = "reset"


class StageState(StrEnum):
    """A stage for one trainee: locked until the one before is passed."""

    LOCKED = "locked"
    OPEN = "open"
    PASSED = "passed"


class ExerciseStatus(StrEnum):
    """An exercise for one trainee, as the curriculum page shows it."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    NEEDS_REVISION = "needs_revision"
    PASSED = "passed"


class PaceStatus(StrEnum):
    """A trainee against the week plan."""

    ON_TRACK = "on_track"
    BEHIND = "behind"
    AHEAD = "ahead"


#: The enums templates may name (registered as Jinja globals by i18n.init_app).
TEMPLATE_ENUMS = {
    cls.__name__: cls
    for cls in (Role, CohortStatus, EnrollmentStatus, NominationStatus, SubmissionStatus, SubmissionMode,
                IntegrityStatus, SignOffStatus, ItemKind, ItemStatus, Decision, StageState, ExerciseStatus, PaceStatus)
}
