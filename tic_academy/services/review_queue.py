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

import nbformat
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..grading.notebook import grade_id, is_answer, nbgrader_meta, points
from ..models import Draft, Exercise, ExerciseVersion, SignOff, Submission, User
from ..models.mentoring import ReviewItem
from ..models.types import utcnow
from .. import links
from . import ServiceError, audit, similarity
from .enrollment import current_enrollment
from .notifications import notify
from .progress import OPEN, track_progress
from .workdays import program_zone, workdays_between

KIND_LABELS = {
    "manual_grading": _l("Manual grading"),
    "signoff": _l("Stage sign-off"),
    "help": _l("Help request"),
    "flagged": _l("Integrity flags"),
    "similarity": _l("Similar answers"),
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
SUBMISSION_KINDS = ("manual_grading", "flagged", "similarity")
DEFAULT_TARGET_WORKDAYS = 2
DEFAULT_SIMILARITY_THRESHOLD = 0.8


# --- the clock ---------------------------------------------------------------


def target_workdays() -> float:
    """How many working days an item may wait (``REVIEW_TARGET_WORKDAYS``, default 2)."""
    return float(current_app.config.get("REVIEW_TARGET_WORKDAYS", DEFAULT_TARGET_WORKDAYS))


def waited(item: ReviewItem, now: Optional[datetime] = None) -> float:
    """Working days the item has waited (until it was resolved, or until now)."""
    end = item.resolved_at or now or utcnow()
    return workdays_between(item.created_at, end, program_zone(current_app.config))


def is_overdue(item: ReviewItem, now: Optional[datetime] = None) -> bool:
    """Has the open item waited longer than the target?"""
    return item.is_open and waited(item, now) > target_workdays()


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
    if item.mentor_id is not None and kind not in ("help", "signoff"):  # those two say more, below
        mentor = db.session.get(User, item.mentor_id)
        # The lazy label is put into words in the mentor's language by notify().
        notify(mentor, "item.new", links.path("mentor.open_item", item_id=item.id),
               what=KIND_LABELS[kind], trainee=trainee.full_name)
    return item


def manual_cells(version: ExerciseVersion) -> list[dict]:
    """The manually graded cells of an exercise version: grade_id, points, rubric, cell type."""
    if version.exercise.is_project:
        return []  # a project version holds a points map and hidden tests, not a notebook
    nb = nbformat.reads(version.source, as_version=4)
    cells = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if (is_answer(cell) and meta.get("grade")) or meta.get("task"):
            rubric = (cell.get("metadata", {}).get("tic") or {}).get("rubric", "")
            cells.append({"grade_id": grade_id(cell), "points": points(cell), "rubric": rubric,
                          "cell_type": cell.cell_type})
    return cells


def on_submission_graded(submission: Submission) -> list[ReviewItem]:
    """Queue what a graded submission needs from a mentor; safe to call twice."""
    if submission.mode != "submit" or submission.status != "graded":
        return []
    already = set(db.session.scalars(
        select(ReviewItem.kind).where(ReviewItem.submission_id == submission.id)
    ))
    _supersede_older(submission)
    items = []
    project = submission.exercise.is_project  # no cell-by-cell similarity for a repository
    if "manual_grading" not in already and manual_cells(submission.exercise_version):
        items.append(open_item("manual_grading", submission.trainee, submission_id=submission.id,
                               exercise_id=submission.exercise_id))
    if "flagged" not in already and submission.held:
        items.append(open_item("flagged", submission.trainee, submission_id=submission.id,
                               exercise_id=submission.exercise_id))
    if "similarity" not in already and not project:
        items.extend(flag_similar(submission))
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
            ReviewItem.status == "open",
            ReviewItem.submission_id < submission.id,
        )
    )
    for item in older:
        item.status = "superseded"
        item.resolved_at = utcnow()


def flag_similar(submission: Submission) -> list[ReviewItem]:
    """Open a similarity item for each cohort mate whose latest answers match this submission's."""
    enrollment = current_enrollment(submission.trainee_id)
    if enrollment is None:
        return []
    threshold = current_app.config.get("SIMILARITY_THRESHOLD", DEFAULT_SIMILARITY_THRESHOLD)
    others = similarity.latest_submissions(submission.exercise_id, enrollment.cohort_id)
    pairs = similarity.similar_pairs(others, threshold, only_with=submission)
    return [
        open_item("similarity", submission.trainee, submission_id=submission.id,
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
        elif signoff.status == "requested" or not _submitted_since(trainee.id, stage.stage.id, signoff.decided_at):
            continue
        signoff.status, signoff.requested_at = "requested", utcnow()
        db.session.flush()
        item = open_item("signoff", trainee, signoff_id=signoff.id)
        if item.mentor_id is not None:
            notify(item.mentor, "signoff.requested", links.path("mentor.open_item", item_id=item.id),
                   trainee=trainee.full_name, stage=stage.stage.title(item.mentor.locale))
        requested.append(signoff)
    return requested


def _submitted_since(trainee_id: int, stage_id: int, since: Optional[datetime]) -> bool:
    return since is None or db.session.scalar(
        select(Submission.id).join(Exercise).where(
            Submission.trainee_id == trainee_id, Exercise.stage_id == stage_id,
            Submission.mode == "submit", Submission.created_at > since,
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
    item = open_item("help", trainee, exercise_id=exercise.id, question=question, draft_answers=answers)
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
    query = select(ReviewItem).where(ReviewItem.status == "open")
    if user.role != "admin":
        query = query.where(ReviewItem.mentor_id == user.id)
    if filters.kind:
        query = query.where(ReviewItem.kind == filters.kind)
    if filters.cohort_id:
        query = query.where(ReviewItem.cohort_id == filters.cohort_id)
    if filters.exercise_id:
        query = query.where(ReviewItem.exercise_id == filters.exercise_id)
    if filters.opd_id:
        query = query.join(User, User.id == ReviewItem.trainee_id).where(User.opd_id == filters.opd_id)
    return list(db.session.scalars(query.order_by(ReviewItem.created_at, ReviewItem.id)))


def claim(item: ReviewItem, user: User) -> None:
    """Take the item, so another mentor does not do the same work."""
    if not item.is_open:
        raise ServiceError(_("This item is already handled."))
    if item.claimed_by_id not in (None, user.id):
        raise ServiceError(_("%(name)s has already claimed this item.", name=item.claimed_by.full_name))
    item.claimed_by_id, item.claimed_at = user.id, utcnow()
    db.session.commit()


def release(item: ReviewItem, user: User) -> None:
    """Give a claimed item back (its claimer or an admin)."""
    if item.claimed_by_id not in (None, user.id) and user.role != "admin":
        raise ServiceError(_("Only %(name)s can release this item.", name=item.claimed_by.full_name))
    item.claimed_by_id = item.claimed_at = None
    db.session.commit()


def ensure_not_claimed_by_other(item: ReviewItem, user: User) -> None:
    """Refuse work on an item that another mentor claimed."""
    if item.claimed_by_id not in (None, user.id) and user.role != "admin":
        raise ServiceError(_("%(name)s has already claimed this item.", name=item.claimed_by.full_name))


def reassign(item: ReviewItem, mentor: User, admin: User) -> None:
    """An admin gives the item to another mentor (the claim is dropped; audited)."""
    if mentor.role != "mentor" or not mentor.active:
        raise ServiceError(_("Choose an active mentor."))
    previous = item.mentor_id
    item.mentor_id, item.reassigned = mentor.id, True
    item.claimed_by_id = item.claimed_at = None
    audit.record("review_item.reassigned", actor=admin, obj=item, from_mentor=previous, to_mentor=mentor.id)
    notify(mentor, "item.reassigned", links.path("mentor.open_item", item_id=item.id),
           trainee=item.trainee.full_name)
    db.session.commit()


def resolve(item: ReviewItem, user: User) -> None:
    """Mark the item handled (caller commits)."""
    if item.is_open:
        item.status, item.resolved_at, item.resolved_by_id = "done", utcnow(), user.id


def follow_mentor_change(trainee_id: int, mentor_id: Optional[int]) -> None:
    """Open, unclaimed items that were not reassigned follow the trainee's new mentor (caller commits)."""
    items = db.session.scalars(
        select(ReviewItem).where(
            ReviewItem.trainee_id == trainee_id, ReviewItem.status == "open",
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
        select(ReviewItem).where(ReviewItem.submission_id == submission.id, ReviewItem.status == "open")
    ))


# --- figures for the mentor ------------------------------------------------------


def median_response_workdays(mentor_id: int, days: int = 30, now: Optional[datetime] = None) -> Optional[float]:
    """Median working days from an item's arrival to its handling, over the last ``days`` days."""
    now = now or utcnow()
    items = db.session.scalars(
        select(ReviewItem).where(
            ReviewItem.resolved_by_id == mentor_id,
            ReviewItem.status == "done",
            ReviewItem.resolved_at >= now - timedelta(days=days),
        )
    ).all()
    if not items:
        return None
    return round(statistics.median(waited(item) for item in items), 1)


def waiting_counts(mentor_id: int) -> dict[int, int]:
    """Open items per trainee in the mentor's queue."""
    counts: dict[int, int] = {}
    for trainee_id in db.session.scalars(
        select(ReviewItem.trainee_id).where(ReviewItem.mentor_id == mentor_id, ReviewItem.status == "open")
    ):
        counts[trainee_id] = counts.get(trainee_id, 0) + 1
    return counts
