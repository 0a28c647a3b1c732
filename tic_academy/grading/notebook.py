"""Reading and checking source notebooks in nbgrader's format."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import nbformat

from .hints import has_hint_metadata, hint_problems

#: Notebooks larger than this (in bytes of JSON) are refused.
DEFAULT_SIZE_CAP = 2 * 1024 * 1024

SOLUTION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_TESTS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")

_MARKER_LINE = re.compile(r"^\s*#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


class NotebookFormatError(ValueError):
    """A notebook that cannot be used for grading; the message says why."""


def nbgrader_meta(cell) -> dict:
    """Return the cell's `nbgrader` metadata (empty dict when absent)."""
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, Mapping) else {}


def grade_id(cell) -> str | None:
    """Return the cell's grade_id, or None."""
    return nbgrader_meta(cell).get("grade_id") or None


def is_answer(cell) -> bool:
    """Is this a cell the trainee writes (nbgrader `solution: true`)?"""
    return bool(nbgrader_meta(cell).get("solution"))


def is_test(cell) -> bool:
    """Is this an autograded test cell (`grade: true, solution: false`)?"""
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


def is_practice(cell) -> bool:
    """Is this an ungraded practice cell (an answer cell with metadata `tic.practice: true`)?"""
    tic = cell.get("metadata", {}).get("tic")
    return is_answer(cell) and isinstance(tic, Mapping) and bool(tic.get("practice"))


def cell_kind(cell) -> str:
    """Return answer, test, locked, code or markdown for a cell."""
    if is_answer(cell):
        return "answer"
    if is_test(cell):
        return "test"
    if nbgrader_meta(cell).get("locked"):
        return "locked"
    return "code" if cell.get("cell_type") == "code" else "markdown"


def points(cell) -> float:
    """Return the points a cell is worth (0 when none)."""
    value = nbgrader_meta(cell).get("points", 0)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def marker(line: str) -> tuple[str, str] | None:
    """Return ("BEGIN"|"END", "SOLUTION"|"HIDDEN TESTS") when the line is a marker."""
    match = _MARKER_LINE.match(line)
    return (match.group(1), match.group(2)) if match else None


def marker_problems(source: str, kind: str) -> list[str]:
    """Return problems with the BEGIN/END markers of one kind in a cell's source."""
    problems, open_line = [], None
    for number, line in enumerate(source.splitlines(), start=1):
        found = marker(line)
        if not found or found[1] != kind:
            continue
        if found[0] == "BEGIN":
            if open_line is not None:
                problems.append(f"BEGIN {kind} bersarang di baris {number} (yang dibuka di baris {open_line} belum ditutup)")
            open_line = number
        elif open_line is None:
            problems.append(f"END {kind} tanpa BEGIN di baris {number}")
        else:
            open_line = None
    if open_line is not None:
        problems.append(f"BEGIN {kind} di baris {open_line} tidak ditutup")
    return problems


def has_marker(source: str, kind: str) -> bool:
    """Does the source contain a marker of this kind?"""
    return any((found := marker(line)) and found[1] == kind for line in source.splitlines())


def parse_notebook(data, size_cap: int = DEFAULT_SIZE_CAP):
    """Turn bytes, text, a dict or a NotebookNode into a v4 NotebookNode, or raise NotebookFormatError."""
    if isinstance(data, (bytes, bytearray)):
        if len(data) > size_cap:
            raise NotebookFormatError(f"notebook terlalu besar: {len(data)} byte (batas {size_cap} byte)")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise NotebookFormatError("notebook bukan teks UTF-8") from None
    if isinstance(data, str):
        if len(data.encode("utf-8")) > size_cap:
            raise NotebookFormatError(f"notebook terlalu besar (batas {size_cap} byte)")
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise NotebookFormatError(f"notebook bukan JSON yang valid: {error}") from None
    elif isinstance(data, Mapping) and len(json.dumps(data)) > size_cap:
        raise NotebookFormatError(f"notebook terlalu besar (batas {size_cap} byte)")
    if not isinstance(data, Mapping):
        raise NotebookFormatError("notebook harus berupa objek JSON")
    if data.get("nbformat") != 4:
        raise NotebookFormatError(f"format notebook harus nbformat 4 (ditemukan {data.get('nbformat')!r})")
    cells = data.get("cells")
    if not isinstance(cells, list):
        raise NotebookFormatError("notebook tidak memiliki daftar sel")
    for index, cell in enumerate(cells):
        if not isinstance(cell, Mapping) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise NotebookFormatError(f"sel {index}: bukan sel notebook yang valid")
        if not isinstance(cell.get("source", ""), (str, list)):
            raise NotebookFormatError(f"sel {index}: source tidak valid")
    node = nbformat.from_dict(json.loads(json.dumps(data)))
    for cell in node.cells:
        if isinstance(cell.get("source"), list):
            cell.source = "".join(cell.source)
        cell.setdefault("source", "")
        cell.setdefault("metadata", nbformat.NotebookNode())
    return node


def _where(index: int, cell) -> str:
    """Name a cell in a problem message: index plus grade_id when known."""
    gid = grade_id(cell)
    return f"sel {index}" + (f" ({gid})" if gid else "")


def cell_problems(index: int, cell, seen: dict[str, int]) -> list[str]:
    """Return the problems of one cell; `seen` maps grade_ids met so far to their index."""
    meta, where, problems = nbgrader_meta(cell), _where(index, cell), []
    gid = grade_id(cell)
    if any(meta.get(key) for key in ("solution", "grade", "locked", "task")) and not gid:
        problems.append(f"{where}: grade_id tidak ada")
    if gid in seen:
        problems.append(f"{where}: grade_id '{gid}' ganda (sudah dipakai sel {seen[gid]})")
    elif gid:
        seen[gid] = index
    if meta.get("grade") and not meta.get("solution") and cell.get("cell_type") == "code" and points(cell) <= 0:
        problems.append(f"{where}: sel tes tanpa poin (points harus > 0)")
    source = cell.get("source", "")
    for kind in ("SOLUTION", "HIDDEN TESTS"):
        problems += [f"{where}: {text}" for text in marker_problems(source, kind)]
    if has_marker(source, "SOLUTION") and not meta.get("solution"):
        problems.append(f"{where}: penanda SOLUTION di sel yang bukan sel jawaban")
    if has_marker(source, "HIDDEN TESTS") and not is_test(cell):
        problems.append(f"{where}: penanda HIDDEN TESTS di sel yang bukan sel tes")
    if is_practice(cell) and (meta.get("grade") or points(cell) or has_marker(source, "SOLUTION")):
        problems.append(f"{where}: sel latihan tidak dinilai: tanpa grade, tanpa poin, tanpa penanda SOLUTION")
    if has_hint_metadata(cell):
        tic = cell.get("metadata", {}).get("tic") or {}
        if not is_test(cell):
            problems.append(f"{where}: petunjuk (tic.hints) hanya boleh di sel tes bernilai, yaitu tugas yang dibantunya")
        problems += [f"{where}: {text}" for text in hint_problems(tic.get("hints"), tic.get("hint_cost", 0))]
    return problems


def find_problems(data, size_cap: int = DEFAULT_SIZE_CAP) -> list[str]:
    """Return every problem of a source notebook, one line each (empty when it is usable)."""
    try:
        nb = parse_notebook(data, size_cap)
    except NotebookFormatError as error:
        return [str(error)]
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        problems += cell_problems(index, cell, seen)
    return problems


def load_source(data, size_cap: int = DEFAULT_SIZE_CAP):
    """Parse and check a source notebook; raise NotebookFormatError on the first problem."""
    nb = parse_notebook(data, size_cap)
    problems = find_problems(nb, size_cap)
    if problems:
        raise NotebookFormatError(problems[0])
    return nb


def strip_region(source: str, kind: str, replacement=None) -> str:
    """Remove BEGIN/END regions of one kind; `replacement(indent)` returns lines to put instead."""
    out, inside = [], False
    for line in source.splitlines():
        found = marker(line)
        if found and found[1] == kind:
            if found[0] == "BEGIN":
                inside = True
                if replacement:
                    out += replacement(line[: len(line) - len(line.lstrip())])
            else:
                inside = False
            continue
        if not inside:
            out.append(line)
    return "\n".join(out)
