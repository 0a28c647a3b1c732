"""Reviews: what a mentor tells a trainee about their work (line comments, threads, grades, decisions, sign-offs).

Comments, messages and summaries are kept as the markdown that was written and
rendered through ``notebook_html.render_markdown`` (raw HTML shown as text, then
the one nh3 sanitiser) each time they are shown, so a change of the allowed tags
applies to old text too.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select

from ..enums import IntegrityStatus, ItemKind, ItemStatus, Role, SignOffStatus, SubmissionMode, SubmissionStatus
from ..extensions import db
from ..i18n import skor
from ..models import SignOff, Submission, User
from ..models.mentoring import (
    DECISIONS,
    LineComment,
    ManualGrade,
    Message,
    Review,
    ReviewItem,
    ScoreOverride,
)
from ..clock import now_utc
from . import ServiceError, audit, notebooks
from .enrollment import mentor_of
from .notifications import notify
from .. import links
from .review_queue import ensure_not_claimed_by_other, open_items_for, request_signoffs, resolve

MAX_TEXT = 5000
def _clean_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("%(what)s is empty.", what=what))
    if len(text) > MAX_TEXT:
        raise ServiceError(_("%(what)s is too long (at most %(n)s characters).", what=what, n=MAX_TEXT))
    return text


# --- the answers and their lines ----------------------------------------------------------


@dataclass
class AnswerLine:
    """One line of an answer cell, with the comments on it."""

    number: int
    text: str
    comments: list[LineComment] = field(default_factory=list)


@dataclass
class AnswerCell:
    """An answer cell of a submission, line by line."""

    grade_id: str
    lines: list[AnswerLine]

    @property
    def comment_count(self) -> int:
        """How many comments its lines carry."""
        return sum(len(line.comments) for line in self.lines)


def answer_cells(submission: Submission) -> list[AnswerCell]:
    """The submission's answer cells (in the order handed in) with their line comments."""
    comments: dict[tuple[str, int], list[LineComment]] = {}
    for comment in db.session.scalars(
        select(LineComment).where(LineComment.submission_id == submission.id).order_by(LineComment.id)
    ):
        comments.setdefault((comment.grade_id, comment.line), []).append(comment)
    cells = []
    for gid, source in (submission.answers or {}).items():
        lines = source.split("\n")
        cells.append(AnswerCell(gid, [
            AnswerLine(n, text, comments.get((gid, n), [])) for n, text in enumerate(lines, start=1)
        ]))
    return cells


def previous_submission(submission: Submission) -> Optional[Submission]:
    """The trainee's submission of the same exercise just before this one."""
    return db.session.scalar(
        select(Submission).where(
            Submission.trainee_id == submission.trainee_id,
            Submission.exercise_id == submission.exercise_id,
            Submission.mode == SubmissionMode.SUBMIT,
            Submission.id < submission.id,
        ).order_by(Submission.id.desc()).limit(1)
    )


def answer_diff(submission: Submission, previous: Optional[Submission]) -> dict[str, list[tuple[str, str]]]:
    """Per answer cell, the lines against the previous submission: ("add"|"del"|"same", text)."""
    if previous is None:
        return {}
    old_answers, new_answers = previous.answers or {}, submission.answers or {}
    diffs = {}
    for gid in dict.fromkeys([*new_answers, *old_answers]):
        old, new = old_answers.get(gid, "").split("\n"), new_answers.get(gid, "").split("\n")
        rows = []
        for line in difflib.ndiff(old, new):
            tag, text = line[:2], line[2:]
            if tag == "? ":
                continue
            rows.append(({"+ ": "add", "- ": "del"}.get(tag, "same"), text))
        diffs[gid] = rows
    return diffs


def add_line_comment(submission: Submission, author: User, grade_id: str, line: int, body: str) -> LineComment:
    """Comment on one line of an answer cell."""
    source = (submission.answers or {}).get(grade_id)
    if source is None:
        raise ServiceError(_("This submission has no answer cell %(id)s.", id=grade_id))
    if not 1 <= line <= len(source.split("\n")):
        raise ServiceError(_("Line %(n)s does not exist in this cell.", n=line))
    comment = LineComment(submission_id=submission.id, grade_id=grade_id, line=line, author_id=author.id,
                          body=_clean_text(body, _("The comment")))
    db.session.add(comment)
    db.session.commit()
    return comment


def delete_line_comment(comment: LineComment, user: User) -> None:
    """Remove a comment (its author or an admin)."""
    if comment.author_id != user.id and user.role != Role.ADMIN:
        raise ServiceError(_("Only its author can delete this comment."))
    db.session.delete(comment)
    db.session.commit()


# --- threads ---------------------------------------------------------------------


def thread(submission: Optional[Submission] = None, help_item: Optional[ReviewItem] = None) -> list[Message]:
    """The messages of a submission's or a help request's thread, oldest first."""
    column, value = (Message.submission_id, submission.id) if submission else (Message.help_item_id, help_item.id)
    return list(db.session.scalars(select(Message).where(column == value).order_by(Message.id)))


def post_message(author: User, body: str, submission: Optional[Submission] = None,
                 help_item: Optional[ReviewItem] = None) -> Message:
    """Write in a thread; the other side (trainee or mentor) is told."""
    message = Message(author_id=author.id, body=_clean_text(body, _("The message")),
                      submission_id=submission.id if submission else None,
                      help_item_id=help_item.id if help_item else None)
    db.session.add(message)
    trainee_id = submission.trainee_id if submission else help_item.trainee_id
    if author.id == trainee_id:
        recipient_id = help_item.mentor_id if help_item else mentor_of(trainee_id)
    else:
        recipient_id = trainee_id
    recipient = db.session.get(User, recipient_id) if recipient_id else None
    if recipient is not None:
        if submission:
            link = links.path("discussion.feedback", submission_id=submission.id)
            subject = submission.exercise.title(recipient.locale)
        else:
            link = links.path("discussion.help_request", item_id=help_item.id)
            subject = help_item.exercise.title(recipient.locale) if help_item.exercise else _("a help request")
        notify(recipient, "message.new", link, author=author.full_name, subject=subject)
    db.session.commit()
    return message


# --- decisions ---------------------------------------------------------------------


def decide(submission: Submission, reviewer: User, decision: str, summary: str = "",
           grades: Optional[dict[str, float]] = None, override_score: Optional[float] = None,
           override_reason: str = "") -> Review:
    """Record a mentor's review: manual grades, an optional score override, the decision."""
    if decision not in DECISIONS:
        raise ServiceError(_("Choose approve or request changes."))
    if submission.mode != SubmissionMode.SUBMIT or submission.status != SubmissionStatus.GRADED:
        raise ServiceError(_("Only a graded submission can be reviewed."))
    for item in open_items_for(submission):
        ensure_not_claimed_by_other(item, reviewer)
    summary = (summary or "").strip()
    if len(summary) > MAX_TEXT:
        raise ServiceError(_("The summary is too long (at most %(n)s characters).", n=MAX_TEXT))
    _check_manual_grades(submission, grades or {})
    if override_score is not None:
        _check_override(submission, override_score, override_reason)
    _store_manual_grades(submission, reviewer, grades or {})
    if override_score is not None:
        _override_score(submission, reviewer, override_score, override_reason)
    review = Review(submission_id=submission.id, reviewer_id=reviewer.id, decision=decision, summary=summary)
    db.session.add(review)
    for item in open_items_for(submission) + _open_help_items(submission):
        if item.kind == ItemKind.FLAGGED and submission.held:
            continue  # a held score is released or kept out only by decide_integrity
        resolve(item, reviewer)
    audit.record("review.decided", actor=reviewer, obj=submission, decision=decision)
    trainee = submission.trainee
    notify(trainee, f"review.{decision}", links.path("discussion.feedback", submission_id=submission.id),
           mentor=reviewer.full_name, exercise=submission.exercise.title(trainee.locale))
    db.session.commit()
    return review


def _open_help_items(submission: Submission) -> list[ReviewItem]:
    """The trainee's open help requests about the same exercise (answered by the review)."""
    return list(db.session.scalars(select(ReviewItem).where(
        ReviewItem.kind == ItemKind.HELP, ReviewItem.status == ItemStatus.OPEN,
        ReviewItem.trainee_id == submission.trainee_id, ReviewItem.exercise_id == submission.exercise_id,
    )))


def _check_manual_grades(submission: Submission, grades: dict[str, float]) -> None:
    """Refuse a grade for a cell that is not manually graded, or outside 0..its points (nothing changed)."""
    cells = {cell.grade_id: cell for cell in notebooks.of_version(submission.exercise_version).manual_cells}
    for gid, value in grades.items():
        if gid not in cells:
            raise ServiceError(_("%(id)s is not a manually graded cell.", id=gid))
        maximum = cells[gid].points
        if value is None or not 0 <= value <= maximum:
            raise ServiceError(_("Points for %(id)s must be between 0 and %(max)s.", id=gid, max=skor(maximum)))


def _store_manual_grades(submission: Submission, grader: User, grades: dict[str, float]) -> None:
    """Save manual grades already checked by _check_manual_grades."""
    cells = {cell.grade_id: cell for cell in notebooks.of_version(submission.exercise_version).manual_cells}
    existing = {g.grade_id: g for g in db.session.scalars(
        select(ManualGrade).where(ManualGrade.submission_id == submission.id))}
    for gid, value in grades.items():
        maximum = cells[gid].points
        grade = existing.get(gid) or ManualGrade(submission_id=submission.id, grade_id=gid, max_points=maximum)
        grade.points, grade.grader_id, grade.graded_at = float(value), grader.id, now_utc()
        db.session.add(grade)


def _check_override(submission: Submission, score: float, reason: str) -> None:
    """Refuse a score override without a reason or outside 0..the maximum (nothing changed)."""
    if not (reason or "").strip():
        raise ServiceError(_("Overriding the automatic score needs a reason."))
    maximum = submission.max_score or 0.0
    if not 0 <= score <= maximum:
        raise ServiceError(_("The score must be between 0 and %(max)s.", max=skor(maximum)))


def _override_score(submission: Submission, mentor: User, score: float, reason: str) -> None:
    """Save a score override already checked by _check_override (audited)."""
    reason = (reason or "").strip()
    override = db.session.scalar(select(ScoreOverride).where(ScoreOverride.submission_id == submission.id))
    previous = override.score if override else submission.auto_score
    if override is None:
        override = ScoreOverride(submission_id=submission.id, auto_score=submission.auto_score)
    override.score, override.reason, override.by_id, override.created_at = float(score), reason[:MAX_TEXT], mentor.id, now_utc()
    # Added once complete: reading mentor.id may load it, and that load flushes what the session holds.
    db.session.add(override)
    audit.record("submission.score_overridden", actor=mentor, obj=submission,
                 previous=previous, score=float(score), reason=reason[:500])


def manual_grades(submission: Submission) -> dict[str, ManualGrade]:
    """The manual grades of a submission by grade_id."""
    return {g.grade_id: g for g in db.session.scalars(
        select(ManualGrade).where(ManualGrade.submission_id == submission.id))}


def score_override(submission: Submission) -> Optional[ScoreOverride]:
    """The override of the submission's automatic score, if any."""
    return db.session.scalar(select(ScoreOverride).where(ScoreOverride.submission_id == submission.id))


def reviews_of(submission: Submission) -> list[Review]:
    """The decisions on a submission, oldest first."""
    return list(db.session.scalars(select(Review).where(Review.submission_id == submission.id).order_by(Review.id)))


# --- held scores (integrity flags) ---------------------------------------------------


def decide_integrity(submission: Submission, mentor: User, clear: bool, reason: str = "") -> None:
    """Clear a held submission (its score counts) or confirm the violation (counts 0, reason required); audited."""
    if submission.integrity_status != IntegrityStatus.HELD:
        raise ServiceError(_("This submission is not waiting for an integrity check."))
    items = [item for item in open_items_for(submission) if item.kind == ItemKind.FLAGGED]
    for item in items:
        ensure_not_claimed_by_other(item, mentor)
    reason = (reason or "").strip()
    if not clear and not reason:
        raise ServiceError(_("Confirming a violation needs a reason."))
    if len(reason) > MAX_TEXT:
        raise ServiceError(_("The reason is too long (at most %(n)s characters).", n=MAX_TEXT))
    submission.integrity_status = IntegrityStatus.CLEARED if clear else IntegrityStatus.CONFIRMED
    submission.integrity_reason = reason or None
    submission.integrity_decided_at = now_utc()
    for item in items:
        resolve(item, mentor)
    audit.record("submission.integrity_" + submission.integrity_status, actor=mentor, obj=submission,
                 flags=sorted({flag.get("code", "") for flag in submission.flags or []}), reason=reason[:500])
    trainee = submission.trainee
    notify(trainee, "integrity." + submission.integrity_status,
           links.path("trainee.submission", submission_id=submission.id),
           mentor=mentor.full_name, exercise=submission.exercise.title(trainee.locale))
    db.session.flush()
    if clear:
        request_signoffs(trainee)  # the released score may complete a stage that needs a sign-off
    db.session.commit()


# --- stage sign-off ---------------------------------------------------------------


def decide_signoff(signoff: SignOff, mentor: User, approve: bool, comment: str = "") -> None:
    """Approve a stage (the next one opens) or send it back with comments."""
    if signoff.status != SignOffStatus.REQUESTED:
        raise ServiceError(_("This sign-off was already decided."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ServiceError(_("Say what the trainee should improve before sending it back."))
    items = list(db.session.scalars(select(ReviewItem).where(
        ReviewItem.signoff_id == signoff.id, ReviewItem.status == ItemStatus.OPEN)))
    for item in items:
        ensure_not_claimed_by_other(item, mentor)
    signoff.status = SignOffStatus.APPROVED if approve else SignOffStatus.RETURNED
    signoff.comment, signoff.decided_at, signoff.decided_by_id = comment[:MAX_TEXT], now_utc(), mentor.id
    for item in items:
        resolve(item, mentor)
    audit.record("signoff.decided", actor=mentor, obj=signoff, status=signoff.status)
    trainee = signoff.trainee
    notify(trainee, "signoff.approved" if approve else "signoff.returned", links.path("trainee.home"),
           stage=signoff.stage.title(trainee.locale))
    db.session.commit()


def pending_signoff(submission: Submission) -> Optional[SignOff]:
    """The trainee's sign-off request of the submission's stage still waiting for a decision, if any."""
    return db.session.scalar(select(SignOff).where(
        SignOff.trainee_id == submission.trainee_id, SignOff.stage_id == submission.exercise.stage_id,
        SignOff.status == SignOffStatus.REQUESTED))


# --- the trainee's side -----------------------------------------------------------


def latest_review(trainee_id: int) -> Optional[Review]:
    """The newest mentor decision on any of the trainee's submissions."""
    return db.session.scalar(
        select(Review).join(Submission).where(Submission.trainee_id == trainee_id)
        .order_by(Review.id.desc()).limit(1)
    )


def latest_commented_submission(trainee_id: int, exercise_id: int) -> Optional[Submission]:
    """The trainee's newest submission of the exercise that has line comments or a decision."""
    commented = select(LineComment.submission_id).union(select(Review.submission_id))
    return db.session.scalar(
        select(Submission).where(
            Submission.trainee_id == trainee_id, Submission.exercise_id == exercise_id,
            Submission.id.in_(commented),
        ).order_by(Submission.id.desc()).limit(1)
    )
