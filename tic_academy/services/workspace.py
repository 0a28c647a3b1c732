"""The trainee's workspace: which exercises they may open, their drafts, and notebook I/O.

- A trainee may open an exercise only when it belongs to an open (or passed)
  stage of the track of their current enrollment.
- A draft holds the answer cells' code by ``grade_id``. Every save names the
  revision it was based on; a save based on an older revision is refused
  (``DraftConflict``), so a second tab never silently overwrites the first.
- What reaches a trainee is always the *trainee version* of the notebook:
  solutions stubbed out, hidden tests removed (also in a download).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import nbformat
from flask_babel import get_locale, gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..enums import SubmissionMode, SubmissionStatus
from ..extensions import db
from ..grading import NotebookFormatError, make_trainee_version
from ..grading.feedback import cell_kind
from ..grading.notebook import grade_id, is_answer, nbgrader_meta, parse_notebook, points
from ..models import Cohort, Enrollment, Exercise, Submission
from ..clock import now_utc
from ..models.work import Draft
from . import ServiceError
from .enrollment import current_enrollment
from .test_display import message_text, shown_test
from .notebook_html import render_markdown
from .progress import LOCKED, ExerciseProgress, StageProgress, track_progress

#: Largest notebook a trainee may upload, in bytes.
UPLOAD_CAP = 1024 * 1024
#: Largest answer (one cell) accepted, in characters.
ANSWER_CAP = 100_000
#: Display statuses of an exercise, in the order a trainee meets them.


class NotEnrolled(ServiceError):
    """The trainee has no active enrollment, so no curriculum to open."""


class ExerciseNotFound(ServiceError):
    """No active exercise of the trainee's track has this slug."""


class ExerciseLocked(ServiceError):
    """The exercise belongs to a stage the trainee has not opened yet."""


class DraftConflict(ServiceError):
    """A save was based on an older revision than the stored draft."""

    def __init__(self, message: str, draft: Draft):
        super().__init__(message)
        self.draft = draft


@dataclass
class OpenExercise:
    """An exercise the trainee may work on, with where it sits in their progress."""

    exercise: Exercise
    enrollment: Enrollment
    stages: list[StageProgress]
    stage: StageProgress
    progress: ExerciseProgress


@dataclass
class WorkspaceCell:
    """One cell of the trainee version, ready for the page."""

    index: int
    kind: str  # answer, test, locked, code or markdown
    cell_type: str
    grade_id: Optional[str]
    source: str
    points: float
    html: str = ""


# --- progress and access ---------------------------------------------------


def trainee_progress(trainee_id: int) -> tuple[Enrollment, list[StageProgress]]:
    """The trainee's current enrollment and the progress on its track; NotEnrolled without one."""
    enrollment = current_enrollment(trainee_id)
    if enrollment is None:
        raise NotEnrolled(_("You are not enrolled in a cohort yet."))
    return enrollment, track_progress(trainee_id, enrollment.cohort.track)


def open_exercise(trainee_id: int, slug: str) -> OpenExercise:
    """The exercise ``slug`` of the trainee's track, if its stage is open; raises otherwise."""
    enrollment, stages = trainee_progress(trainee_id)
    previous: Optional[StageProgress] = None
    for stage in stages:
        for row in stage.exercises:
            if row.exercise.slug != slug:
                continue
            if stage.state == LOCKED:
                raise ExerciseLocked(_locked_message(stage, previous))
            if row.exercise.current_version is None:
                raise ExerciseNotFound(_("This exercise has no notebook yet."))
            return OpenExercise(row.exercise, enrollment, stages, stage, row)
        previous = stage
    raise ExerciseNotFound(_("This exercise is not part of your curriculum."))


def _locked_message(stage: StageProgress, previous: Optional[StageProgress]) -> str:
    """Why a stage is still locked, in the trainee's words."""
    locale = str(get_locale() or "id")
    if previous is None:
        return _("The stage %(stage)s is not open yet.", stage=stage.stage.title(locale))
    message = _(
        "This exercise belongs to the stage %(stage)s, which opens once you pass the stage %(previous)s.",
        stage=stage.stage.title(locale),
        previous=previous.stage.title(locale),
    )
    missing = previous.must_pass_missing
    if missing:
        message += " " + _(
            "These exercises must each reach the pass mark themselves: %(exercises)s.",
            exercises=", ".join(row.exercise.title(locale) for row in missing),
        )
    return message


def week_plan(cohort: Cohort, stages: list[StageProgress], today) -> list[tuple[StageProgress, ExerciseProgress]]:
    """The exercises planned for the current program week, with their stage."""
    week = cohort.week_on(today)
    return [(stage, row) for stage in stages for row in stage.exercises if row.exercise.week == week]


# --- the trainee version ---------------------------------------------------


def trainee_notebook(exercise: Exercise):
    """The notebook the trainee receives: solutions stubbed, hidden tests removed."""
    if exercise.current_version is None:
        raise ExerciseNotFound(_("This exercise has no notebook yet."))
    return make_trainee_version(nbformat.reads(exercise.current_version.source, as_version=4))


def starter_answers(trainee_nb) -> dict[str, str]:
    """grade_id -> starter code of every answer cell (what Reset cell goes back to)."""
    return {grade_id(cell): cell.source for cell in trainee_nb.cells if is_answer(cell) and grade_id(cell)}


def workspace_cells(trainee_nb, answers: dict[str, str]) -> list[WorkspaceCell]:
    """The cells to show, answer cells filled with the trainee's current answers."""
    cells = []
    for index, cell in enumerate(trainee_nb.cells):
        kind = cell_kind(cell)
        gid = grade_id(cell)
        source = answers.get(gid, cell.source) if kind == "answer" else cell.source
        entry = WorkspaceCell(index, kind, cell.cell_type, gid, source, points(cell))
        if cell.cell_type == "markdown" and kind != "answer":
            entry.html = str(render_markdown(source, raw_html=True))
        elif cell.cell_type == "raw":
            entry.kind = "raw"
        cells.append(entry)
    return cells


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


def notebook_with_answers(exercise: Exercise, answers: dict[str, str]) -> str:
    """The trainee version with the trainee's answers, as .ipynb text for a download."""
    nb = trainee_notebook(exercise)
    for cell in nb.cells:
        gid = grade_id(cell)
        if is_answer(cell) and gid in answers:
            cell.source = answers[gid]
    return nbformat.writes(nb)


def answers_from_upload(data: bytes, exercise: Exercise) -> tuple[dict[str, str], list[str]]:
    """Take the answer cells (by grade_id) out of an uploaded .ipynb; raise ServiceError when unusable."""
    if len(data) > UPLOAD_CAP:
        raise ServiceError(_("The file is too large (at most %(num)d KB).", num=UPLOAD_CAP // 1024))
    try:
        upload = parse_notebook(data, size_cap=UPLOAD_CAP)
    except NotebookFormatError as error:
        raise ServiceError(_("This file is not a notebook that can be read: %(reason)s", reason=str(error))) from None
    starters = starter_answers(trainee_notebook(exercise))
    answers: dict[str, str] = {}
    ignored: list[str] = []
    for cell in upload.cells:
        gid = grade_id(cell)
        if gid in starters and gid not in answers and nbgrader_meta(cell).get("solution"):
            answers[gid] = cell.source
        elif gid and gid not in starters:
            ignored.append(gid)
    if not answers:
        raise ServiceError(_(
            "No answer cell of this exercise was found in the file. Answers are matched by the "
            "cells' grade_id: upload a notebook downloaded from this exercise."
        ))
    notes = []
    missing = [gid for gid in starters if gid not in answers]
    if missing:
        notes.append(_("Not in the file, kept as they were: %(cells)s", cells=", ".join(missing)))
    if ignored:
        notes.append(_("Cells that are not answer cells were ignored: %(cells)s", cells=", ".join(ignored)))
    return answers, notes


# --- drafts -----------------------------------------------------------------


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


# --- submissions as the trainee sees them ------------------------------------


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
    feedback = submission.feedback or {}
    return {
        "id": submission.id,
        "status": submission.status,
        "score": submission.score if graded else None,
        "max_score": submission.max_score if graded else submission.exercise_version.max_score,
        "created_at": submission.created_at.isoformat() if submission.created_at else None,
        "graded_at": submission.graded_at.isoformat() if submission.graded_at else None,
        "tests": [shown_test(t) for t in submission.test_results] if graded else [],
        "error": (message_text(feedback.get("error")) if graded else None) or (
            _("Grading failed. Please submit again; if it keeps failing, tell your mentor.")
            if submission.status == SubmissionStatus.FAILED else None
        ),
        "notes": [message_text(note) for note in feedback.get("notes") or []] if graded else [],
        # Mentor line comments arrive with the mentor review issue; until then there are none.
        "comments": [],
    }


def submitted_cells(submission: Submission) -> list[tuple[str, list[str]]]:
    """(grade_id, lines) of each answer cell as handed in, in notebook order (for line comments)."""
    nb = make_trainee_version(nbformat.reads(submission.exercise_version.source, as_version=4))
    answers = submission.answers if isinstance(submission.answers, dict) else {}
    cells = []
    for cell in nb.cells:
        gid = grade_id(cell)
        if is_answer(cell) and gid:
            text = answers.get(gid, cell.source)
            cells.append((gid, str(text).split("\n")))
    return cells
