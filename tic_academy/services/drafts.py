"""Drafts: the trainee's unsubmitted answers to an exercise, saved as they type (autosave).

A draft holds the answer cells' code by ``grade_id``. Every save names the
revision it was based on; a save based on an older revision is refused
(``DraftConflict``), so a second tab never silently overwrites the first.
"""
from __future__ import annotations

from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..clock import now_utc
from ..extensions import db
from ..models.work import Draft
from . import ServiceError

#: Largest answer (one cell) accepted, in characters.
ANSWER_CAP = 100_000


class DraftConflict(ServiceError):
    """A save was based on an older revision than the stored draft."""

    def __init__(self, message: str, draft: Draft):
        super().__init__(message)
        self.draft = draft


def clean_answers(raw, starters: dict[str, str]) -> dict[str, str]:
    """Keep the answers of known answer cells; refuse anything that is not {str: str} or too large."""
    if not isinstance(raw, dict):
        raise ServiceError(_("The answers are not in the expected form."))
    answers = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ServiceError(_("The answers are not in the expected form."))
        if len(value) > ANSWER_CAP:
            raise ServiceError(_("An answer is too long (at most %(num)d characters).", num=ANSWER_CAP))
        if key in starters:
            answers[key] = value
    return answers


def get_draft(trainee_id: int, exercise_id: int) -> Optional[Draft]:
    """The trainee's draft of the exercise, or None."""
    return db.session.scalar(select(Draft).where(Draft.trainee_id == trainee_id, Draft.exercise_id == exercise_id))


def save_draft(trainee_id: int, exercise_id: int, answers: dict[str, str], base_revision: int) -> Draft:
    """Store the answers if the draft is still at ``base_revision``; DraftConflict otherwise.

    The check and the write are one UPDATE ... WHERE revision = base, so two
    saves racing each other cannot both win.
    """
    draft = get_draft(trainee_id, exercise_id)
    if draft is None:
        if base_revision != 0:
            raise DraftConflict(_("This draft no longer exists."), Draft(answers={}, revision=0))
        try:
            draft = Draft(trainee_id=trainee_id, exercise_id=exercise_id, answers=answers, revision=1, updated_at=now_utc())
            db.session.add(draft)
            db.session.commit()
            return draft
        except IntegrityError:  # another tab created it first
            db.session.rollback()
            draft = get_draft(trainee_id, exercise_id)
            raise DraftConflict(_conflict_message(), draft) from None
    result = db.session.execute(
        update(Draft)
        .where(Draft.id == draft.id, Draft.revision == base_revision)
        .values(answers=answers, revision=base_revision + 1, updated_at=now_utc())
    )
    db.session.commit()
    db.session.refresh(draft)
    if result.rowcount != 1:
        raise DraftConflict(_conflict_message(), draft)
    return draft


def _conflict_message() -> str:
    return _("Your answers were changed in another tab or on another device after this page loaded.")


def draft_answers(draft: Optional[Draft], starters: dict[str, str]) -> dict[str, str]:
    """The answers to show: the draft's for known cells, the starter code for the rest."""
    saved = draft.answers if draft and isinstance(draft.answers, dict) else {}
    answers = {}
    for gid, starter in starters.items():
        value = saved.get(gid)
        answers[gid] = value if isinstance(value, str) else starter
    return answers
