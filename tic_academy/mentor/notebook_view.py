"""The executed notebook of a submission, made ready for the mentor's review page.

Mentors see everything the grader ran, hidden tests included. Markdown and
outputs go through the same sanitiser as the trainee workspace
(``services/notebook_html``), so both see the same safe HTML. The notebook is
read by ``services/notebooks``.
"""
from __future__ import annotations

from ..models import Submission
from ..services.notebook_html import render_markdown, render_outputs
from ..services.notebooks import executed_cells


def notebook_cells(submission: Submission) -> list[dict]:
    """The executed notebook's cells: kind, grade_id, source (or rendered markdown), outputs as safe HTML."""
    cells = []
    for cell in executed_cells(submission.load_notebook()):
        markdown = cell.cell_type == "markdown"
        cells.append({
            "kind": cell.kind,
            "grade_id": cell.grade_id,
            "markdown": markdown,
            "source": cell.source,
            "html": render_markdown(cell.source, raw_html=True) if markdown else None,
            "outputs_html": render_outputs(cell.outputs),
        })
    return cells
