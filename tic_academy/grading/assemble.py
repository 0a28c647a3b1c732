"""Building the notebook to execute from the source notebook and a trainee's answers."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field

from .messages import message
from .notebook import DEFAULT_SIZE_CAP, grade_id, is_answer, is_practice, is_test, marker, parse_notebook
from .hints import strip_hints
from .trainee import answer_stub, public_test_source

MODES = ("run", "check", "submit")


@dataclass
class Assembly:
    """The notebook to execute plus what assembly learned on the way."""

    notebook: object
    mode: str
    #: For each assembled cell, its index in the source notebook.
    source_index: list[int] = field(default_factory=list)
    answer_ids: set[str] = field(default_factory=set)
    #: grade_id -> hidden test text, for test cells executed with hidden tests.
    hidden: dict[str, str] = field(default_factory=dict)
    #: Messages about the answers given (grading/messages.py): unknown cells, ignored edits.
    notes: list[dict] = field(default_factory=list)


def _is_notebook(answers) -> bool:
    """Is this answers value a whole notebook rather than a grade_id map?"""
    if isinstance(answers, (bytes, bytearray, str)):
        return True
    return isinstance(answers, Mapping) and "cells" in answers


def collect_answers(source_nb, answers, size_cap: int = DEFAULT_SIZE_CAP) -> tuple[dict[str, str], list[dict]]:
    """Return (grade_id -> answer source, notes) from a grade_id map or an uploaded notebook."""
    by_id = {grade_id(cell): cell for cell in source_nb.cells if grade_id(cell)}
    notes: list[dict] = []
    if answers is None:
        return {}, notes
    if _is_notebook(answers):
        upload = parse_notebook(answers, size_cap)
        given = [(grade_id(cell), cell.get("source", "")) for cell in upload.cells if grade_id(cell)]
    else:
        given = [(str(key), value) for key, value in answers.items()]
    taken: dict[str, str] = {}
    for gid, text in given:
        text = text if isinstance(text, str) else "".join(text)
        original = by_id.get(gid)
        if original is None:
            notes.append(message("unknown_cell", cell=gid))
        elif not is_answer(original):
            as_given = {original.get("source", "").strip(), public_test_source(original).strip()}
            if text.strip() not in as_given:
                notes.append(message("locked_edit_ignored", cell=gid))
        elif gid in taken:
            notes.append(message("duplicate_answer", cell=gid))
        else:
            taken[gid] = text
    return taken, notes


def _run_limit(source_nb, run_until) -> int:
    """Return the last source index to include in `run` mode."""
    if run_until is None:
        return len(source_nb.cells) - 1
    if isinstance(run_until, int) and not isinstance(run_until, bool):
        if 0 <= run_until < len(source_nb.cells):
            return run_until
        raise ValueError(f"run_until: sel {run_until} tidak ada")
    for index, cell in enumerate(source_nb.cells):
        if grade_id(cell) == run_until:
            return index
    raise ValueError(f"run_until: grade_id '{run_until}' tidak ada")


def _has_public_content(source: str) -> bool:
    """Does a test cell keep anything but blanks and comments once hidden tests are gone?"""
    return any(line.strip() and not line.strip().startswith("#") for line in source.splitlines())


def _assembled_cell(cell, mode: str, answers: dict[str, str], assembly: Assembly):
    """Return the cell to execute for one source cell, or None when the mode leaves it out."""
    gid = grade_id(cell)
    if is_practice(cell) and mode != "run":
        # Practice cells only run when the trainee runs them; a check or a submission never sees them.
        return None
    new = copy.deepcopy(cell)
    if is_answer(cell):
        new.source = answers[gid] if gid in answers else answer_stub(cell)
        assembly.answer_ids.add(gid)
    elif is_test(cell):
        if mode == "run":
            return None
        if mode == "check":
            new.source = public_test_source(cell)
            if not _has_public_content(new.source):
                return None
        else:
            hidden = _hidden_text(cell.source)
            if hidden.strip():
                assembly.hidden[gid] = hidden
    if new.get("cell_type") == "code":
        new.outputs, new.execution_count = [], None
    return new


def _hidden_text(source: str) -> str:
    """Return the lines inside the hidden test blocks of a test cell."""
    lines, inside = [], False
    for line in source.splitlines():
        found = marker(line)
        if found and found[1] == "HIDDEN TESTS":
            inside = found[0] == "BEGIN"
        elif inside:
            lines.append(line)
    return "\n".join(lines)


def assemble(source_nb, answers=None, mode: str = "submit", run_until=None, size_cap: int = DEFAULT_SIZE_CAP) -> Assembly:
    """Build the notebook to grade: source cells, the trainee's answer cells, tests for the mode."""
    if mode not in MODES:
        raise ValueError(f"mode harus salah satu dari {', '.join(MODES)}")
    taken, notes = collect_answers(source_nb, answers, size_cap)
    nb = copy.deepcopy(source_nb)
    nb.cells = []
    # Hints stay out of the executed notebook: it is stored on the submission and shown back.
    source_nb = strip_hints(source_nb)
    assembly = Assembly(notebook=nb, mode=mode, notes=notes)
    last = _run_limit(source_nb, run_until) if mode == "run" else len(source_nb.cells) - 1
    for index, cell in enumerate(source_nb.cells[: last + 1]):
        new = _assembled_cell(cell, mode, taken, assembly)
        if new is not None:
            nb.cells.append(new)
            assembly.source_index.append(index)
    return assembly
