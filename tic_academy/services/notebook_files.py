"""Notebook files in and out of the workspace: the .ipynb download and the answers of an upload.

What reaches a trainee is always the *trainee version* of the notebook:
solutions stubbed out, hidden tests removed (also in a download). An upload
gives only the code of the answer cells, matched by ``grade_id``.
"""
from __future__ import annotations

from flask_babel import gettext as _

from . import ServiceError
from .notebooks import ExerciseNotebook

#: Largest notebook a trainee may upload, in bytes.
UPLOAD_CAP = 1024 * 1024


def download_text(notebook: ExerciseNotebook, answers: dict[str, str]) -> str:
    """The trainee version with the trainee's answers, as .ipynb text for a download."""
    return notebook.with_answers(answers)


def answers_from_upload(data: bytes, notebook: ExerciseNotebook) -> tuple[dict[str, str], list[str]]:
    """Take the answer cells (by grade_id) out of an uploaded .ipynb; raise ServiceError when unusable."""
    if len(data) > UPLOAD_CAP:
        raise ServiceError(_("The file is too large (at most %(num)d KB).", num=UPLOAD_CAP // 1024))
    answers, ignored = notebook.answers_in_upload(data, UPLOAD_CAP)
    if not answers:
        raise ServiceError(_(
            "No answer cell of this exercise was found in the file. Answers are matched by the "
            "cells' grade_id: upload a notebook downloaded from this exercise."
        ))
    notes = []
    missing = [gid for gid in notebook.starters if gid not in answers]
    if missing:
        notes.append(_("Not in the file, kept as they were: %(cells)s", cells=", ".join(missing)))
    if ignored:
        notes.append(_("Cells that are not answer cells were ignored: %(cells)s", cells=", ".join(ignored)))
    return answers, notes
