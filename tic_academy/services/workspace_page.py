"""The workspace page model: the trainee version of a notebook, cell by cell, with the trainee's answers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .notebook_html import render_markdown
from .notebooks import ExerciseNotebook


@dataclass
class WorkspaceCell:
    """One cell of the trainee version, ready for the page."""

    index: int
    kind: str  # answer, test, locked, code, markdown or raw
    cell_type: str
    grade_id: Optional[str]
    source: str
    points: float
    html: str = ""
    #: An ungraded practice cell: editable like an answer, never graded.
    practice: bool = False


def workspace_cells(notebook: ExerciseNotebook, answers: dict[str, str]) -> list[WorkspaceCell]:
    """The cells to show, answer cells filled with the trainee's current answers."""
    cells = []
    for index, cell in enumerate(notebook.trainee.cells):
        kind, gid = notebook.cell_kinds[index], notebook.cell_ids[index]
        source = answers.get(gid, cell.source) if kind == "answer" else cell.source
        entry = WorkspaceCell(index, kind, cell.cell_type, gid, source, notebook.cell_points[index],
                              practice=gid in notebook.practice_ids)
        if cell.cell_type == "markdown" and kind != "answer":
            entry.html = notebook.markdown_html.get(index)
            if entry.html is None:  # two threads may both render it once: the results are equal
                entry.html = notebook.markdown_html[index] = str(render_markdown(source, raw_html=True))
        elif cell.cell_type == "raw":
            entry.kind = "raw"
        cells.append(entry)
    return cells
