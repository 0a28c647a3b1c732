"""The review queue: what waits for a mentor, with a working-day clock, and how it is handled.

Items come from four places:

- a graded submission with manually graded cells or whose score is held for
  its integrity flags (``on_submission_graded``, called by the submissions
  service; the held score counts only once a mentor clears it), or whose
  answers are very similar to a cohort mate's (``similarity``);
- a trainee who met the threshold of a stage that needs a mentor's sign-off
  (``request_signoffs``);
- a trainee's "ask my mentor" (``request_help``).

An item waits for the trainee's mentor, unless an admin reassigned it. A
mentor may claim it so nobody else picks it up. The decision on a submission
(``decide``), a sign-off decision (``decide_signoff``) or an explicit
``resolve`` closes it.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..enums import ItemKind, ItemStatus, Role, SignOffStatus, SubmissionMode, SubmissionStatus
from ..extensions import db
from ..models import Draft, Exercise, SignOff, Submission, User
from ..models.mentoring import ReviewItem
from ..clock import now_utc
from .. import links
from . import ServiceError, audit, notebooks, shapes, similarity
from .enrollment import current_enrollment
from .notifications import mark_read_by_link, notify
from .progress import OPEN, track_progress
from .settings import DEFAULT_SETTINGS, ServiceSettings
from .workdays import workdays_between

KIND_LABELS = {
    ItemKind.MANUAL_GRADING: _l("Manual grading"),
    ItemKind.SIGNOFF: _l("Stage sign-off"),
    ItemKind.HELP: _l("Help request"),
    ItemKind.FLAGGED: _l("Integrity flags"),
    ItemKind.SIMILARITY: _l("Similar answers"),
    ItemKind.WARNING: _l("Early warning"),
}
#: What each integrity flag code means, for the mentor (the flag's own message gives the detail).
FLAG_LABELS = {
    "magic": _l("IPython magic that only shows or times code (harmless)"),
    "magic_unsafe": _l("IPython magic the check cannot see into"),
    "shell": _l("Shell command (!)"),
    "unchecked": _l("Could not be checked"),
    "dynamic_access": _l("Names looked up at run time"),
    "dynamic_code": _l("Code run from text"),
    "get_ipython": _l("Reaches the IPython kernel"),
    "kernel_internals": _l("Reaches the kernel's internals"),
    "input_transformer": _l("Changes how cells are run"),
    "builtins": _l("Changes Python's built-in functions"),
    "frame_inspection": _l("Reads other code's frames"),
    "trace_hook": _l("Hooks into execution"),
    "introspection": _l("Explores the grader's classes"),
    "sys_modules": _l("Changes the loaded modules"),
    "os_exit": _l("Stops the kernel"),
    "ctypes": _l("Reads or writes memory directly"),
    "gc": _l("Explores the grader's objects"),
    "importlib": _l("Loads modules dynamically"),
    "future_flag": _l("Changes how later cells are read"),
    # Project exercises (grading/project.py):
    "planted_config": _l("Planted pytest or Python configuration"),
    "pytest_internals": _l("Application code reaches into pytest"),
    "pytest_hook": _l("Application code defines a pytest hook"),
    "report_tampered": _l("The test report names tests that do not exist"),
}
#: Kinds that are about one submission and are replaced by the trainee's next one.
SUBMISSION_KINDS = (ItemKind.MANUAL_GRADING, ItemKind.FLAGGED, ItemKind.SIMILARITY)


# --- the clock ---------------------------------------------------------------


def waited(item: ReviewItem, now: Optional[datetime] = None) -> float:
    """Working days the item has waited (until it was resolved, or until now)."""
    end = item.resolved_at or now or now_utc()
    return workdays_between(item.created_at, end)


@dataclass(frozen=True)
class QueueClock:
    """The queue's clock as pages show it: working days waited, and whether that is over the target."""

    #: How many working days an item may wait (REVIEW_TARGET_WORKDAYS).
    target_workdays: float

    @classmethod
    def of(cls, settings: ServiceSettings) -> "QueueClock":
        """The clock with the configured target."""
        return cls(settings.review_target_workdays)

    def waited(self, item: ReviewItem, now: Optional[datetime] = None) -> float:
        """Working days the item has waited."""
        return waited(item, now)

    def is_overdue(self, item: ReviewItem, now: Optional[datetime] = None) -> bool:
        """Has the open item waited longer than the target?"""
        return item.is_open and self.waited(item, now) > self.target_workdays


# --- opening items ---------------------------------------------------------------


def open_item(kind: str, trainee: User, **fields) -> ReviewItem:
    """Put an item in the queue of the trainee's mentor and tell the mentor (caller commits)."""
    enrollment = current_enrollment(trainee.id)
    item = ReviewItem(
        kind=kind,
        trainee_id=trainee.id,
        mentor_id=enrollment.mentor_id if enrollment else None,
        cohort_id=enrollment.cohort_id if enrollment else None,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    if item.mentor_id is not None and kind not in (ItemKind.HELP, ItemKind.SIGNOFF):  # those two say more, below
        mentor = db.session.get(User, item.mentor_id)
        # The lazy label is put into words in the mentor's language by notify().
        notify(mentor, "item.new", links.path("mentor.open_item", item_id=item.id),
               what=KIND_LABELS[kind], trainee=trainee.full_name)
    return item


def on_submission_graded(submission: Submission, settings: ServiceSettings = DEFAULT_SETTINGS) -> list[ReviewItem]:
    """Queue what a graded submission needs from a mentor; safe to call twice.

    ``settings`` gives the similarity threshold (the caller reads the config; the default is the program's).
    """
    if submission.mode != SubmissionMode.SUBMIT or submission.status != SubmissionStatus.GRADED:
        return []
    already = set(db.session.scalars(
        select(ReviewItem.kind).where(ReviewItem.submission_id == submission.id)
    ))
    _supersede_older(submission)
    items = []
    if ItemKind.MANUAL_GRADING not in already \
            and notebooks.of_version(submission.exercise_version).manual_cells:
        items.append(open_item(ItemKind.MANUAL_GRADING, submission.trainee, submission_id=submission.id,
                               exercise_id=submission.exercise_id))
    if ItemKind.FLAGGED not in already and submission.held:
        items.append(open_item(ItemKind.FLAGGED, submission.trainee, submission_id=submission.id,
                               exercise_id=submission.exercise_id))
    # The answer's shape groups it with other answers of the same code (services/shapes.py).
    shapes.record_shape(submission)
    if ItemKind.SIMILARITY not in already:
        items.extend(flag_similar(submission, settings.similarity_threshold))
    request_signoffs(submission.trainee)
    db.session.commit()
    return items


def _supersede_older(submission: Submission) -> None:
    """Open items about the trainee's earlier submissions of the exercise are replaced by this one.

    An earlier held submission stays held (its score does not count); a mentor can
    still clear it from its review page.
    """
    older = db.session.scalars(
        select(ReviewItem).where(
            ReviewItem.trainee_id == submission.trainee_id,
            ReviewItem.exercise_id == submission.exercise_id,
            ReviewItem.kind.in_(SUBMISSION_KINDS),
            ReviewItem.status == ItemStatus.OPEN,
            ReviewItem.submission_id < submission.id,
        )
    )
    for item in older:
        item.status = ItemStatus.SUPERSEDED
        item.resolved_at = now_utc()
        _mark_notifications_read(item)


def flag_similar(submission: Submission, threshold: float) -> list[ReviewItem]:
    """Open a similarity item for each cohort mate whose latest answers match this submission's."""
    enrollment = current_enrollment(submission.trainee_id)
    if enrollment is None:
        return []
    others = similarity.latest_submissions(submission.exercise_id, enrollment.cohort_id)
    pairs = similarity.similar_pairs(others, threshold, only_with=submission)
    return [
        open_item(ItemKind.SIMILARITY, submission.trainee, submission_id=submission.id,
                  other_submission_id=pair.second.id, exercise_id=submission.exercise_id,
                  similarity=round(pair.similarity, 3))
        for pair in pairs
    ]


def request_signoffs(trainee: User) -> list[SignOff]:
    """Ask for sign-off of each open stage whose threshold the trainee met (caller commits).

    A stage sent back earlier is asked again once the trainee has submitted
    something in it after the decision.
    """
    enrollment = current_enrollment(trainee.id)
    if enrollment is None:
        return []
    requested = []
    for stage in track_progress(trainee.id, enrollment.cohort.track):
        if not (stage.waiting_for_signoff and stage.state == OPEN):
            continue
        signoff = stage.signoff
        if signoff is None:
            signoff = SignOff(trainee_id=trainee.id, stage_id=stage.stage.id)
            db.session.add(signoff)
        elif signoff.status == SignOffStatus.REQUESTED or not _submitted_since(trainee.id, stage.stage.id, signoff.decided_at):
            continue
        signoff.status, signoff.requested_at = "requested", now_utc()
        db.session.flush()
        item = open_item(ItemKind.SIGNOFF, trainee, signoff_id=signoff.id)
        if item.mentor_id is not None:
            notify(item.mentor, "signoff.requested", links.path("mentor.open_item", item_id=item.id),
                   trainee=trainee.full_name, stage=stage.stage.title(item.mentor.locale))
        requested.append(signoff)
    return requested


def _submitted_since(trainee_id: int, stage_id: int, since: Optional[datetime]) -> bool:
    return since is None or db.session.scalar(
        select(Submission.id).join(Exercise).where(
            Submission.trainee_id == trainee_id, Exercise.stage_id == stage_id,
            Submission.mode == SubmissionMode.SUBMIT, Submission.created_at > since,
        ).limit(1)
    ) is not None


def request_help(trainee: User, exercise: Exercise, question: str,
                 answers: Optional[dict] = None) -> ReviewItem:
    """A trainee's "ask my mentor": the question and the current draft go to the mentor's queue."""
    question = (question or "").strip()
    if not question:
        raise ServiceError(_("Write your question first."))
    if len(question) > 5000:
        raise ServiceError(_("The question is too long (at most 5000 characters)."))
    if not _valid_answers(answers):
        draft = db.session.scalar(
            select(Draft).where(Draft.trainee_id == trainee.id, Draft.exercise_id == exercise.id)
        )
        answers = dict(draft.answers) if draft else {}
    item = open_item(ItemKind.HELP, trainee, exercise_id=exercise.id, question=question, draft_answers=answers)
    if item.mentor_id is not None:
        notify(item.mentor, "help.new", links.path("mentor.open_item", item_id=item.id),
               trainee=trainee.full_name, exercise=exercise.title(item.mentor.locale))
    db.session.commit()
    return item


def _valid_answers(answers) -> bool:
    return bool(answers) and isinstance(answers, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
    )


# --- the queue ---------------------------------------------------------------


@dataclass
class QueueFilters:
    """What the queue is narrowed to (None: everything)."""

    kind: Optional[str] = None
    cohort_id: Optional[int] = None
    opd_id: Optional[int] = None
    exercise_id: Optional[int] = None


def queue(user: User, filters: Optional[QueueFilters] = None) -> list[ReviewItem]:
    """The open items ``user`` may work on, oldest first (an admin sees every one)."""
    filters = filters or QueueFilters()
    query = select(ReviewItem).where(ReviewItem.status == ItemStatus.OPEN)
    if user.role != Role.ADMIN:
        query = query.where(ReviewItem.mentor_id == user.id)
    if filters.kind:
        query = query.where(ReviewItem.kind == filters.kind)
    if filters.cohort_id:
        query = query.where(ReviewItem.cohort_id == filters.cohort_id)
    if filters.exercise_id:
        query = query.where(ReviewItem.exercise_id == filters.exercise_id)
    if filters.opd_id:
        query = query.join(User, User.id == ReviewItem.trainee_id).where(User.opd_id == filters.opd_id)
    # What the queue page shows of each item, loaded for all items together (not one query per item).
    query = query.options(
        selectinload(ReviewItem.trainee).selectinload(User.opd), selectinload(ReviewItem.cohort),
        selectinload(ReviewItem.exercise), selectinload(ReviewItem.claimed_by),
        selectinload(ReviewItem.signoff).selectinload(SignOff.stage),
    )
    return list(db.session.scalars(query.order_by(ReviewItem.created_at, ReviewItem.id)))


def claim(item: ReviewItem, user: User) -> None:
    """Take the item, so another mentor does not do the same work."""
    if not item.is_open:
        raise ServiceError(_("This item is already handled."))
    if item.claimed_by_id not in (None, user.id):
        raise ServiceError(_("%(name)s has already claimed this item.", name=item.claimed_by.full_name))
    item.claimed_by_id, item.claimed_at = user.id, now_utc()
    db.session.commit()


def release(item: ReviewItem, user: User) -> None:
    """Give a claimed item back (its claimer or an admin)."""
    if item.claimed_by_id not in (None, user.id) and user.role != Role.ADMIN:
        raise ServiceError(_("Only %(name)s can release this item.", name=item.claimed_by.full_name))
    item.claimed_by_id = item.claimed_at = None
    db.session.commit()


def ensure_not_claimed_by_other(item: ReviewItem, user: User) -> None:
    """Refuse work on an item that another mentor claimed."""
    if item.claimed_by_id not in (None, user.id) and user.role != Role.ADMIN:
        raise ServiceError(_("%(name)s has already claimed this item.", name=item.claimed_by.full_name))


def reassign(item: ReviewItem, mentor: User, admin: User) -> None:
    """An admin gives the item to another mentor (the claim is dropped; audited)."""
    if mentor.role != Role.MENTOR or not mentor.active:
        raise ServiceError(_("Choose an active mentor."))
    previous = item.mentor_id
    item.mentor_id, item.reassigned = mentor.id, True
    item.claimed_by_id = item.claimed_at = None
    audit.record("review_item.reassigned", actor=admin, obj=item, from_mentor=previous, to_mentor=mentor.id)
    notify(mentor, "item.reassigned", links.path("mentor.open_item", item_id=item.id),
           trainee=item.trainee.full_name)
    db.session.commit()


def resolve(item: ReviewItem, user: User) -> None:
    """Mark the item handled and its notifications read (caller commits)."""
    if item.is_open:
        item.status, item.resolved_at, item.resolved_by_id = "done", now_utc(), user.id
        _mark_notifications_read(item)


def _mark_notifications_read(item: ReviewItem) -> None:
    """The bell stops counting notifications about an item that no longer waits (every kind links to it)."""
    mark_read_by_link(links.path("mentor.open_item", item_id=item.id))


#: Kinds a mentor may close by "mark as handled"; grading and sign-off items close only by their decision.
HANDLED_KINDS = ("similarity", "flagged", "help")


class ClosedByDecision(ServiceError):
    """The item closes only through its decision, not by marking it handled."""


def mark_handled(item: ReviewItem, user: User) -> None:
    """Close an item without a decision (e.g. a flag that needs nothing); refuses before changing anything."""
    if item.kind not in HANDLED_KINDS:
        # Grading and sign-offs close only through their decision, or the trainee would be stuck.
        raise ClosedByDecision(_("This item is closed by its decision, not by marking it handled."))
    if item.kind == ItemKind.FLAGGED and item.submission is not None and item.submission.held:
        # A held score waits for "clear" or "confirm"; closing the item alone would leave it held unseen.
        raise ClosedByDecision(_("Clear the submission or confirm the violation to close this item."))
    ensure_not_claimed_by_other(item, user)
    resolve(item, user)
    db.session.commit()


def close_help_request(item: ReviewItem, user: User) -> None:
    """A mentor closes a help request (after answering in its thread)."""
    if item.kind != ItemKind.HELP:
        raise ClosedByDecision(_("This item is closed by its decision, not by marking it handled."))
    resolve(item, user)
    db.session.commit()


def follow_mentor_change(trainee_id: int, mentor_id: Optional[int]) -> None:
    """Open, unclaimed items that were not reassigned follow the trainee's new mentor (caller commits)."""
    items = db.session.scalars(
        select(ReviewItem).where(
            ReviewItem.trainee_id == trainee_id, ReviewItem.status == ItemStatus.OPEN,
            ReviewItem.claimed_by_id.is_(None), ReviewItem.reassigned.is_(False),
        )
    )
    for item in items:
        item.mentor_id = mentor_id


def is_assigned_reviewer(submission: Submission, mentor_id: int) -> bool:
    """Is an open item about this submission (or a help request on its exercise) in this mentor's queue?"""
    return ReviewItem.held_by(submission, mentor_id)


def open_items_for(submission: Submission) -> list[ReviewItem]:
    """Open items about a submission (closed by the decision on it)."""
    return list(db.session.scalars(
        select(ReviewItem).where(ReviewItem.submission_id == submission.id, ReviewItem.status == ItemStatus.OPEN)
    ))


# --- figures for the mentor ------------------------------------------------------


@dataclass
class ResponseTimes:
    """How fast one mentor handled their queue over a period."""

    #: Items (reviews, sign-offs, help requests, flags) handled in the period.
    handled: int
    #: Median working days from an item's arrival to its handling (one decimal); None when none was handled.
    median_workdays: Optional[float]


def response_times(days: int = 30, now: Optional[datetime] = None,
                   mentor_id: Optional[int] = None) -> dict[int, ResponseTimes]:
    """Per mentor who handled items in the last ``days`` days (or just ``mentor_id``): count and median wait (one query)."""
    now = now or now_utc()
    query = select(ReviewItem.resolved_by_id, ReviewItem.created_at, ReviewItem.resolved_at).where(
        ReviewItem.status == ItemStatus.DONE, ReviewItem.resolved_at >= now - timedelta(days=days)
    )
    if mentor_id is not None:
        query = query.where(ReviewItem.resolved_by_id == mentor_id)
    waits: dict[int, list[float]] = {}
    for handler_id, arrived, handled in db.session.execute(query):
        waits.setdefault(handler_id, []).append(workdays_between(arrived, handled))
    return {
        handler_id: ResponseTimes(len(values), round(statistics.median(values), 1))
        for handler_id, values in waits.items()
    }


def median_response_workdays(mentor_id: int, days: int = 30, now: Optional[datetime] = None) -> Optional[float]:
    """Median working days from an item's arrival to its handling by ``mentor_id``, over the last ``days`` days."""
    times = response_times(days, now, mentor_id).get(mentor_id)
    return times.median_workdays if times else None


def waiting_counts(mentor_id: int) -> dict[int, int]:
    """Open items per trainee in the mentor's queue."""
    counts: dict[int, int] = {}
    for trainee_id in db.session.scalars(
        select(ReviewItem.trainee_id).where(ReviewItem.mentor_id == mentor_id, ReviewItem.status == ItemStatus.OPEN)
    ):
        counts[trainee_id] = counts.get(trainee_id, 0) + 1
    return counts
