"""What a trainee is shown of a grading: the executed cells without hidden tests, and hints that explain failures."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace

from .messages import texts
from .notebook import cell_kind, grade_id, is_answer, is_test, marker, nbgrader_meta
from .rules import parse_cell, without_magics
from .scoring import TestResult, redact_hidden
from .trainee import CODE_STUB
from . import pysource


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


# --- Teaching explanations for tests that did not pass -----------------------------------------

#: Codes of TestResult.hint, put into words (through Babel) where results are shown:
#: unfilled {cell, task}: an answer cell the test needs is still the untouched stub;
#: syntax {cell, task, line}: an answer cell the test needs is not valid Python;
#: earlier_failure {cell, task, error}: a name is missing because an earlier answer cell failed;
#: rule {rule, message: {id, en}, cell, line}: a static rule of the exercise was broken.
HINT_CODES = ("unfilled", "syntax", "earlier_failure", "rule")

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
#: "(3 poin)", "(1,5 poin)", "(5 poin: dua sel tes)" at the end of a heading.
_POINTS = re.compile(r"\s*\(\s*\d+(?:[.,]\d+)?\s*poin\b[^)]*\)\s*$", re.IGNORECASE)


def heading_title(text: str) -> str:
    """Return a heading without its points: "Tugas 2 — Retribusi sampah (3 poin)" -> "Tugas 2 — Retribusi sampah"."""
    return _POINTS.sub("", text).strip()


def nearest_heading(cells, index: int) -> str:
    """Return the last markdown heading above cell ``index`` (empty when there is none)."""
    for cell in reversed(cells[:index]):
        if cell.get("cell_type") != "markdown":
            continue
        headings = [m.group(1) for m in map(_HEADING.match, cell.get("source", "").splitlines()) if m]
        if headings:
            return heading_title(headings[-1])
    return ""


def is_unfilled(source: str) -> bool:
    """Does an answer cell still hold the stub a trainee receives (the two stub lines, one after the other)?"""
    lines = [line.strip() for line in source.splitlines()]
    first, second = (line.strip() for line in CODE_STUB)
    return any(a == first and b == second for a, b in zip(lines, lines[1:]))


def syntax_error_line(source: str) -> int | None:
    """Return the line of the first syntax error of a code cell (IPython %/! lines allowed), else None."""
    try:
        pysource.parse(without_magics(source))
    except SyntaxError as error:
        return error.lineno or 1
    except ValueError:
        return 1
    return None


def defined_names(source: str) -> set[str]:
    """Top-level names a cell defines (functions, classes, assignments, imports); none when it does not parse."""
    tree = parse_cell(source)
    names: set[str] = set()
    for node in tree.body if tree else []:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def used_names(source: str) -> set[str]:
    """Names a cell reads (every identifier-looking word when it does not parse)."""
    tree = parse_cell(source)
    if tree is None:
        return set(re.findall(r"[A-Za-z_]\w*", source))
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


@dataclass
class AnswerState:
    """How one answer cell of a grading ended, for explaining the tests that need it."""

    grade_id: str
    position: int
    task: str
    #: Names the cell defines in the model solution and in the trainee's code.
    names: set[str]
    #: ok, unfilled, syntax or error (raised when it ran).
    state: str
    line: int | None = None
    error: str = ""


def answer_states(cells, source_cells, source_index: list[int], runs: dict) -> list[AnswerState]:
    """Describe every code answer cell of an assembled notebook, in order."""
    states = []
    for position, cell in enumerate(cells):
        if not is_answer(cell) or cell.get("cell_type") != "code":
            continue
        model = source_cells[source_index[position]].get("source", "")
        names = defined_names(model_answer(model)) | defined_names(cell.source)
        run = runs.get(position)
        line = syntax_error_line(cell.source)
        if is_unfilled(cell.source):
            state = "unfilled"
        elif line is not None:
            state = "syntax"
        elif run is not None and run.status == "error":
            state = "error"
        else:
            state = "ok"
        error = (getattr(run, "ename", "") or "") if run is not None else ""
        states.append(AnswerState(grade_id(cell), position, nearest_heading(cells, position), names, state, line, error))
    return states


def model_answer(source: str) -> str:
    """Return a source answer cell as the model solution (marker lines removed)."""
    return "\n".join(line for line in source.splitlines() if not marker(line))


def _missing_name(message: str) -> str | None:
    """Return x from "NameError: name 'x' is not defined"."""
    match = re.search(r"name '(\w+)' is not defined", message or "")
    return match.group(1) if match else None


def _hint_for(test: TestResult, test_cell, position: int, states: list[AnswerState]) -> dict:
    """Return the teaching hint of one test that did not pass (empty when none applies)."""
    wanted = used_names(test_cell.get("source", ""))
    missing = _missing_name(" ".join(texts(test.message)))
    if missing:
        wanted.add(missing)
    needed = [s for s in states if s.position < position and s.names & wanted]
    for state in needed:
        where = {"cell": state.grade_id, "task": state.task}
        if state.state == "unfilled":
            return {"code": "unfilled", **where}
        if state.state == "syntax":
            return {"code": "syntax", "line": state.line, **where}
        if state.state == "error" and missing and missing in state.names:
            return {"code": "earlier_failure", "error": state.error, **where}
    return {}


def explain_tests(tests: list[TestResult], cells, source_cells, source_index: list[int], runs: dict) -> list[TestResult]:
    """Add each test's task title and, for tests that did not pass, what the trainee should look at."""
    positions = {grade_id(cell): position for position, cell in enumerate(cells) if is_test(cell)}
    states = answer_states(cells, source_cells, source_index, runs)
    explained = []
    for test in tests:
        position = positions.get(test.grade_id)
        if position is None:
            explained.append(test)
            continue
        # Only a test that ran and failed is explained; a timeout or a refused grading says why itself.
        hint = _hint_for(test, cells[position], position, states) if test.status in ("failed", "error") else {}
        explained.append(replace(test, title=nearest_heading(cells, position) or test.title, hint=hint or test.hint))
    return explained
