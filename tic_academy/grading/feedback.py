"""Feedback: the executed cells as a trainee may see them."""

from __future__ import annotations

from .notebook import grade_id, is_answer, is_test, nbgrader_meta
from .scoring import redact_hidden


def cell_kind(cell) -> str:
    """Return answer, test, locked, code or markdown for a cell."""
    if is_answer(cell):
        return "answer"
    if is_test(cell):
        return "test"
    if nbgrader_meta(cell).get("locked"):
        return "locked"
    return "code" if cell.get("cell_type") == "code" else "markdown"


def _hidden_outputs(outputs, hidden_text: str) -> list[dict]:
    """Reduce a hidden-test cell's outputs to its errors' type and message, without traceback."""
    return [
        {"output_type": "error", "ename": out.get("ename", ""),
         "evalue": redact_hidden(out.get("evalue", ""), hidden_text), "traceback": []}
        for out in outputs
        if out.get("output_type") == "error"
    ]


def trainee_cells(cells, source_index: list[int], hidden: dict[str, str]) -> list[dict]:
    """Return one entry per assembled cell: source index, grade_id, kind and the outputs a trainee may see."""
    entries = []
    for cell, index in zip(cells, source_index):
        gid = grade_id(cell)
        outputs = [dict(out) for out in cell.get("outputs", [])]
        if gid in hidden:
            outputs = _hidden_outputs(outputs, hidden[gid])
        entries.append({
            "index": index,
            "grade_id": gid,
            "kind": cell_kind(cell),
            "execution_count": cell.get("execution_count"),
            "outputs": outputs,
        })
    return entries
