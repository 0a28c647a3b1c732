"""Notebook files in and out of the workspace: the .ipynb download and the answers of an upload.

What reaches a trainee is always the *trainee version* of the notebook:
solutions stubbed out, hidden tests removed (also in a download). An upload
gives only the code of the answer cells, matched by ``grade_id``.
"""
from __future__ import annotations

from flask_babel import gettext as _, ngettext

from . import ServiceError
from .notebooks import ExerciseNotebook

#: Largest notebook a trainee may upload, in bytes.
UPLOAD_CAP = 1024 * 1024


def download_text(notebook: ExerciseNotebook, answers: dict[str, str]) -> str:
    """The trainee version with the trainee's answers, as .ipynb text for a download."""
    return notebook.with_answers(answers)


def unreadable_message() -> str:
    """What a trainee reads when an uploaded file is not a notebook that can be read (no parser jargon)."""
    return _("This file cannot be read as a notebook (.ipynb): it is damaged or it is another kind of file. "
             "Nothing was changed. Download the notebook of this exercise again, copy your answers into it, "
             "and upload that file.")


def answers_from_upload(data: bytes, notebook: ExerciseNotebook) -> tuple[dict[str, str], list[str]]:
    """Take the answer cells (by grade_id) out of an uploaded .ipynb; raise ServiceError when unusable.

    The notes say in plain words what was not taken; the cells a downloaded notebook always carries
    (text, examples, tests) are left out silently, since that is expected.
    """
    if len(data) > UPLOAD_CAP:
        raise ServiceError(_("The file is too large (at most %(num)d KB).", num=UPLOAD_CAP // 1024))
    try:
        answers, ignored = notebook.answers_in_upload(data, UPLOAD_CAP)
    except (ServiceError, RecursionError):  # its only ServiceError is "unreadable"; the parser's words help nobody
        raise ServiceError(unreadable_message()) from None
    if not answers:
        raise ServiceError(_(
            "No answer of this exercise was found in the file. Upload a notebook that was downloaded "
            "from this exercise (the Download .ipynb button); answers from another exercise do not fit here."
        ))
    notes = []
    missing = [gid for gid in notebook.starters if gid not in answers]
    if missing:
        notes.append(ngettext(
            "%(num)d answer cell was not in the file; it keeps what you had.",
            "%(num)d answer cells were not in the file; they keep what you had.", len(missing)))
    known = set(notebook.cell_ids)
    foreign = [gid for gid in ignored if gid not in known]
    if foreign:
        notes.append(ngettext(
            "%(num)d cell in the file does not belong to this exercise and was not used.",
            "%(num)d cells in the file do not belong to this exercise and were not used.", len(foreign)))
    return answers, notes
