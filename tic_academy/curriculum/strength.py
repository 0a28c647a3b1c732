"""Proving an exercise's strength: its wrong answers (``<stem>.wrong.yaml``) and names-only answers.

The sidecar next to a notebook lists plausible wrong answers; validate grades each one and
fails when it is not caught. See README "Curriculum format".
"""
from __future__ import annotations

import ast
from pathlib import Path

from ..grading import pysource
from ..grading.explain import model_answer
from ..grading.notebook import grade_id, is_answer, is_test
from .trackfile import SLUG, Problem, read_yaml

SIDECAR_SUFFIX = ".wrong.yaml"
#: With the requirement on (the shipped track): at least this many wrong answers per exercise.
MIN_WRONG_ANSWERS = 3

WRONG_ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "id": SLUG,
        "reason": {"type": "string", "minLength": 1, "pattern": r"^[^\n]+$"},
        "targets": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        "answers": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "minProperties": 1,
        },
    },
    "required": ["id", "reason", "targets", "answers"],
    "additionalProperties": False,
}

SIDECAR_SCHEMA = {
    "type": "object",
    "properties": {
        "wrong_answers": {"type": "array", "items": WRONG_ANSWER_SCHEMA},
        "name_only_ok": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["wrong_answers"],
    "additionalProperties": False,
}


def sidecar_path(notebook: Path) -> Path:
    """``x/04-fungsi.ipynb`` -> ``x/04-fungsi.wrong.yaml``."""
    return notebook.with_name(notebook.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path, label: str) -> tuple[dict | None, list[Problem]]:
    """Parse a wrong-answer sidecar and check its schema; (data or None, problems)."""
    return read_yaml(path, label, SIDECAR_SCHEMA)


def check_sidecar(data: dict, notebook, rule_ids: list[str], label: str, require: bool) -> list[Problem]:
    """Ids unique, targets and answers name real cells; with ``require``, enough wrong answers for every test."""
    tests = [grade_id(c) for c in notebook.cells if is_test(c)]
    answers = {grade_id(c) for c in notebook.cells if is_answer(c)}
    targets_ok = set(tests) | {f"rule:{rule_id}" for rule_id in rule_ids}
    problems, seen, targeted = [], set(), set()
    wrong_answers = data.get("wrong_answers") or []
    for index, wrong in enumerate(wrong_answers):
        where = f"wrong_answers[{index}] {wrong['id']}"
        if wrong["id"] in seen:
            problems.append(Problem(label, where, f"duplicate wrong answer id {wrong['id']!r}"))
        seen.add(wrong["id"])
        for target in wrong["targets"]:
            if target not in targets_ok:
                problems.append(Problem(label, where, f"target {target!r} is not a test cell (grade_id) or rule:<id> of the exercise"))
            targeted.add(target)
        for cell in wrong["answers"]:
            if cell not in answers:
                problems.append(Problem(label, where, f"answer cell {cell!r} is not an answer cell (grade_id) of the notebook"))
    for test in data.get("name_only_ok") or []:
        if test not in tests:
            problems.append(Problem(label, "name_only_ok", f"{test!r} is not a test cell (grade_id) of the notebook"))
    if require:
        if len(wrong_answers) < MIN_WRONG_ANSWERS:
            problems.append(Problem(label, "", f"{len(wrong_answers)} wrong answer(s); at least {MIN_WRONG_ANSWERS} are required"))
        for test in tests:
            if test not in targeted:
                problems.append(Problem(label, "", f"no wrong answer targets test {test!r}"))
    return problems


def solution_answers(notebook) -> dict[str, str]:
    """grade_id -> the model solution of every answer cell (marker lines removed)."""
    return {grade_id(c): model_answer(c.source) for c in notebook.cells if is_answer(c) and grade_id(c)}


def wrong_answer_answers(notebook, wrong: dict) -> dict[str, str]:
    """The model solution with the wrong answer's cells put in: only the targeted task is wrong."""
    return {**solution_answers(notebook), **wrong["answers"]}


def names_only_answers(notebook) -> dict[str, str]:
    """grade_id -> a "right names, wrong behaviour" version of every code answer cell."""
    return {
        grade_id(c): names_only(model_answer(c.source))
        for c in notebook.cells
        if is_answer(c) and grade_id(c) and c.cell_type == "code"
    }


def names_only(source: str) -> str:
    """Keep imports; every def returns None, every class does nothing, every assigned name is None."""
    try:
        tree = pysource.parse(source)
    except SyntaxError:
        return source
    lines: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            lines.append(ast.unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines += [f"def {node.name}(*a, **k):", "    return None"]
        elif isinstance(node, ast.ClassDef):
            lines += _empty_class(node)
        else:
            stored = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            lines += [f"{name} = None" for name in sorted(stored)]
    return "\n".join(lines) + "\n"


def _empty_class(node: ast.ClassDef) -> list[str]:
    """A class of the same name whose __init__ accepts anything and whose methods return None."""
    lines = [f"class {node.name}:", "    def __init__(self, *a, **k):", "        pass"]
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name != "__init__":
            lines += [f"    def {item.name}(self, *a, **k):", "        return None"]
    return lines
