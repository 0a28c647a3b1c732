"""The executed notebook of a submission, made ready for the mentor's review page.

Mentors see everything the grader ran, hidden tests included. Markdown and
HTML outputs are sanitised; ANSI colour codes in tracebacks are stripped.
"""
from __future__ import annotations

import json
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..grading.feedback import cell_kind
from ..grading.notebook import grade_id
from ..models import Submission

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Notebook markdown is written by curriculum authors: tables and raw HTML are allowed, then sanitised.
_notebook_markdown = MarkdownIt("commonmark", {"html": True}).enable("table")


def notebook_markdown(source: str) -> Markup:
    """A notebook's markdown cell as sanitised HTML."""
    return Markup(nh3.clean(_notebook_markdown.render(source or "")))


def strip_ansi(text: str) -> str:
    """Text without terminal colour codes."""
    return ANSI_ESCAPE.sub("", text or "")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def output_view(output: dict) -> dict:
    """One output as {kind: text|error|html|image, content}."""
    kind = output.get("output_type")
    if kind == "stream":
        return {"kind": "text", "content": strip_ansi(_text(output.get("text")))}
    if kind == "error":
        lines = [strip_ansi(line) for line in output.get("traceback") or []]
        content = "\n".join(lines) or f"{output.get('ename', '')}: {strip_ansi(output.get('evalue', ''))}"
        return {"kind": "error", "content": content}
    data = output.get("data") or {}
    if "image/png" in data:
        return {"kind": "image", "content": _text(data["image/png"]).replace("\n", "")}
    if "text/html" in data:
        return {"kind": "html", "content": nh3.clean(_text(data["text/html"]))}
    return {"kind": "text", "content": strip_ansi(_text(data.get("text/plain")))}


def notebook_cells(submission: Submission) -> list[dict]:
    """The executed notebook's cells: kind, grade_id, source (or rendered markdown), outputs."""
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
            "html": notebook_markdown(source) if markdown else None,
            "outputs": [output_view(o) for o in cell.get("outputs", [])],
        })
    return cells
