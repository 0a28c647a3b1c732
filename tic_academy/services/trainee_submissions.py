"""A trainee's submissions as the workspace shows them: the list, the polled status, the answers handed in."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Submission
from . import hints, notebooks
from .test_display import message_text, shown_test
from ..enums import SubmissionMode, SubmissionStatus


def submissions_of(trainee_id: int, exercise_id: int, limit: int = 50) -> list[Submission]:
    """The trainee's submissions of an exercise, newest first."""
    return list(
        db.session.scalars(
            select(Submission)
            .where(Submission.trainee_id == trainee_id, Submission.exercise_id == exercise_id, Submission.mode == SubmissionMode.SUBMIT)
            .options(selectinload(Submission.test_results), selectinload(Submission.override))
            .order_by(Submission.created_at.desc(), Submission.id.desc())
            .limit(limit)
        )
    )


def submission_data(submission: Submission) -> dict:
    """What the workspace polls: status, scores and per-test results (hidden sources never included)."""
    graded = submission.status == SubmissionStatus.GRADED
    results = submission.feedback or {}  # the automatic grading results, stored in the "feedback" column
    return {
        "id": submission.id,
        "status": submission.status,
        "score": submission.score if graded else None,
        "max_score": submission.max_score if graded else submission.exercise_version.max_score,
        "created_at": submission.created_at.isoformat() if submission.created_at else None,
        "graded_at": submission.graded_at.isoformat() if submission.graded_at else None,
        "tests": [shown_test(t) for t in submission.test_results] if graded else [],
        "error": (message_text(results.get("error")) if graded else None) or (
            _("Grading failed. Please submit again; if it keeps failing, tell your mentor.")
            if submission.status == SubmissionStatus.FAILED else None
        ),
        "notes": _notes(results) if graded else [],
        # Mentor line comments arrive with the mentor review issue; until then there are none.
        "comments": [],
    }


def _notes(results: dict) -> list[str]:
    """A graded result's notes in words, then how many hints were used and what they cost (when any)."""
    notes = [message_text(note) for note in results.get("notes") or []]
    hint_usage = hints.usage_text(results.get("hints"))
    if hint_usage:
        notes.append(hint_usage)
    return notes


def submitted_cells(submission: Submission) -> list[tuple[str, list[str]]]:
    """(grade_id, lines) of each answer cell as handed in, in notebook order (for line comments)."""
    notebook = notebooks.of_version(submission.exercise_version)
    answers = submission.answers if isinstance(submission.answers, dict) else {}
    return [(cell.grade_id, str(answers.get(cell.grade_id, cell.starter)).split("\n"))
            for cell in notebook.answer_cells]
