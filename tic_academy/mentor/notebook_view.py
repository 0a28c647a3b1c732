"""The executed notebook of a submission, made ready for the mentor's review page.

Mentors see everything the grader ran, hidden tests included. Markdown and
outputs go through the same sanitiser as the trainee workspace
(``services/notebook_html``), so both see the same safe HTML.
"""
from __future__ import annotations

import json

from ..grading.feedback import cell_kind
from ..grading.notebook import grade_id
from ..models import Submission
from ..services.notebook_html import render_markdown, render_outputs


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def notebook_cells(submission: Submission) -> list[dict]:
    """The executed notebook's cells: kind, grade_id, source (or rendered markdown), outputs as safe HTML."""
    text = submission.load_notebook()
    if not text:
        return []
    cells = []
    for cell in json.loads(text).get("cells", []):
        source = _text(cell.get("source"))
        markdown = cell.get("cell_type") == "markdown"
        cells.append({
            "kind": cell_kind(cell),
            "grade_id": grade_id(cell),
            "markdown": markdown,
            "source": source,
            "html": render_markdown(source, raw_html=True) if markdown else None,
            "outputs_html": render_outputs(cell.get("outputs")),
        })
    return cells
