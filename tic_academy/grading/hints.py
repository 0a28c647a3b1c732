"""Hints on request: reading and checking the ordered hints of a task.

A task is a scored test: an autograded test cell of a notebook (its grade_id) or an entry of a project's
points map (its test id). Hints live with the task they help to pass, so their cost is a share of that
task's points. In a notebook they sit in the test cell's metadata::

    "tic": {"hints": [{"text": "...markdown...", "text_en": "..."}, ...], "hint_cost": 0.1}

and in ``project.yaml`` beside ``points:`` and ``task:`` of a points entry (``hints:``, ``hint_cost:``).
``hint_cost`` is the share of the task's points each revealed hint takes (0, the default, is free);
all the hints of a task together may take at most the whole task.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

#: The metadata keys (under ``tic``) that hold hints; never shown to the trainee before a reveal.
HINT_KEYS = ("hints", "hint_cost")


def _tic(cell) -> Mapping:
    """The cell's ``tic`` metadata (empty when absent)."""
    tic = cell.get("metadata", {}).get("tic")
    return tic if isinstance(tic, Mapping) else {}


def has_hint_metadata(cell) -> bool:
    """Does the cell carry any hint metadata (well formed or not)?"""
    return any(key in _tic(cell) for key in HINT_KEYS)


def cell_hints(cell) -> list[dict]:
    """The cell's hints as [{"text", "text_en"}] (empty when it has none or they are malformed)."""
    return task_hints(_tic(cell))


def cell_hint_cost(cell) -> float:
    """The share of the task's points one hint of this cell costs (0 when free or malformed)."""
    return task_hint_cost(_tic(cell))


def task_hints(entry: Mapping) -> list[dict]:
    """The hints of a task entry (cell ``tic`` metadata or a project points entry); empty when malformed."""
    hints = entry.get("hints")
    if not isinstance(hints, list) or hint_problems(hints, entry.get("hint_cost", 0)):
        return []
    return [{"text": hint["text"].strip(), "text_en": str(hint.get("text_en") or "").strip()} for hint in hints]


def task_hint_cost(entry: Mapping) -> float:
    """The cost share of one hint of a task entry (0 when free or malformed)."""
    if not task_hints(entry):
        return 0.0
    return float(entry.get("hint_cost") or 0)


def hint_problems(hints, cost=0) -> list[str]:
    """The problems of a task's hints and cost (empty when they are usable), one line each."""
    if not isinstance(hints, list):
        return ["hints harus berupa daftar (list) petunjuk"]
    if not hints:
        return ["hints kosong: hapus kuncinya atau tulis paling sedikit satu petunjuk"]
    problems = []
    for number, hint in enumerate(hints, start=1):
        if not isinstance(hint, Mapping) or not isinstance(hint.get("text"), str) or not hint["text"].strip():
            problems.append(f"petunjuk {number}: text kosong atau bukan teks")
        elif not isinstance(hint.get("text_en", ""), str):
            problems.append(f"petunjuk {number}: text_en harus teks")
    if isinstance(cost, bool) or not isinstance(cost, (int, float)) or not 0 <= cost <= 1:
        problems.append(f"hint_cost harus angka 0 sampai 1 (bagian poin tugas per petunjuk), ditemukan {cost!r}")
    elif cost * len(hints) > 1 + 1e-9:
        problems.append(f"hint_cost {cost} × {len(hints)} petunjuk melebihi seluruh poin tugas (total harus ≤ 1)")
    return problems


def strip_hints(nb):
    """A copy of a notebook without hint metadata (what a trainee or a kernel may be given)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        tic = cell.get("metadata", {}).get("tic")
        if isinstance(tic, dict):
            for key in HINT_KEYS:
                tic.pop(key, None)
    return nb
