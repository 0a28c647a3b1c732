"""Grading as an ordered list of small steps: assemble, integrity, execute, score, explain, rules, trainee cells."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .assemble import Assembly, assemble
from .explain import explain_tests, is_unfilled, trainee_cells
from .integrity import Flag, ImportNotAllowed, check_answers
from .kernel import Execution
from .limits import Limits
from .messages import author
from .notebook import grade_id, is_answer, is_test
from .rules import check_rules
from .scoring import TestResult, score


@dataclass
class GradingRun:
    """Everything one grading reads and produces; each step fills in its part."""

    source: object
    answers: object
    mode: str
    limits: Limits
    allowed_imports: list[str] | None
    run_until: object
    #: Runs the given code cell indexes of a notebook in a sandbox: (nb, indexes, limits) -> Execution.
    executor: Callable
    #: Static rules of the exercise (dicts as in the track file), scored like tests.
    rules: list[dict] = field(default_factory=list)
    assembly: Assembly | None = None
    flags: list[Flag] = field(default_factory=list)
    execution: Execution | None = None
    tests: list[TestResult] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)
    #: Set when grading was refused before anything ran (e.g. a forbidden import): a message for the trainee.
    error: dict | None = None


@dataclass
class GradingResult:
    """The outcome of one grading. `to_dict()` is safe to show the trainee; `notebook` holds hidden tests."""

    mode: str
    score: float
    max_score: float
    tests: list[TestResult]
    flags: list[Flag]
    #: Messages (grading/messages.py) about the answers and why execution stopped early.
    notes: list[dict]
    duration_s: float
    cells: list[dict]
    #: The executed notebook (with hidden tests) for storage and mentors; never show it to trainees.
    notebook: object
    #: Why grading was refused, as a message (grading/messages.py).
    error: dict | None = None

    def to_dict(self) -> dict:
        """Return the result as JSON-ready data (without the executed notebook)."""
        return {
            "mode": self.mode,
            "score": self.score,
            "max_score": self.max_score,
            "tests": [test.to_dict() for test in self.tests],
            "flags": [flag.to_dict() for flag in self.flags],
            "notes": list(self.notes),
            "duration_s": round(self.duration_s, 3),
            "cells": self.cells,
            "error": self.error,
        }


def assemble_step(run: GradingRun) -> None:
    """Build the notebook to execute from the source and the trainee's answers."""
    run.assembly = assemble(run.source, run.answers, run.mode, run.run_until)


def integrity_step(run: GradingRun) -> None:
    """Flag answer code that reaches into the grader; refuse forbidden imports."""
    cells = run.assembly.notebook.cells
    answers = [(grade_id(cell), cell.source) for cell in cells if is_answer(cell) and cell.cell_type == "code"]
    try:
        run.flags = check_answers(answers, run.allowed_imports)
    except ImportNotAllowed as refusal:
        run.error = refusal.message


def execute_step(run: GradingRun) -> None:
    """Run the code cells in a sandboxed kernel, unless grading was refused."""
    if run.error:
        return
    nb = run.assembly.notebook
    indexes = [index for index, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    run.execution = run.executor(nb, indexes, run.limits)


def score_step(run: GradingRun) -> None:
    """Score the test cells from how their execution ended."""
    runs = {cell_run.index: cell_run for cell_run in run.execution.runs} if run.execution else {}
    stopped = run.error or (run.execution.stopped if run.execution else None)
    run.tests = score(run.assembly.notebook.cells, runs, run.assembly.hidden, stopped)


def rules_step(run: GradingRun) -> None:
    """Check the exercise's rules on the answer cells (statically) and add each as a result."""
    if not run.rules or run.mode == "run":
        return
    cells = run.assembly.notebook.cells
    answers = [(grade_id(c), c.source) for c in cells if is_answer(c) and c.cell_type == "code"]
    context = [c.source for c in cells if c.cell_type == "code" and not is_answer(c) and not is_test(c)]
    unfilled = [gid for gid, source in answers if is_unfilled(source)]
    for outcome in check_rules(run.rules, answers, context):
        rule = outcome.rule
        message = rule.get("message") or {}
        worth = float(rule.get("points", 1))
        # Nothing written earns nothing: a rule on a cell still holding the stub is not followed yet.
        empty = next((gid for gid in unfilled if not rule.get("cells") or gid in rule["cells"]), None)
        # A refused grading (e.g. a forbidden import) earns nothing, rules included.
        status = "not_run" if run.error else "passed" if outcome.passed and not empty else "failed"
        hint = {"code": "rule", "rule": rule["id"], "message": dict(message), "cell": outcome.cell, "line": outcome.line}
        if empty:
            hint["unfilled"] = empty
        run.tests.append(TestResult(
            grade_id=f"rule:{rule['id']}",
            status=status,
            points=worth if status == "passed" else 0.0,
            max_points=worth,
            message=author(message.get("id", ""), message.get("en")) if status == "failed" else None,
            title=message.get("id", ""),
            hint=hint,
        ))


def explain_step(run: GradingRun) -> None:
    """Name each test by its task and explain failures caused by unfilled or broken answer cells."""
    runs = {cell_run.index: cell_run for cell_run in run.execution.runs} if run.execution else {}
    assembly = run.assembly
    run.tests = explain_tests(run.tests, assembly.notebook.cells, run.source.cells, assembly.source_index, runs)


def trainee_cells_step(run: GradingRun) -> None:
    """Collect the outputs a trainee may see."""
    assembly = run.assembly
    run.cells = trainee_cells(assembly.notebook.cells, assembly.source_index, assembly.hidden)


STEPS = (assemble_step, integrity_step, execute_step, score_step, explain_step, rules_step, trainee_cells_step)


def run_pipeline(run: GradingRun) -> GradingResult:
    """Run every step in order and return the result."""
    started = time.monotonic()
    for step in STEPS:
        step(run)
    notes = list(run.assembly.notes)
    if run.execution and run.execution.stopped:
        notes.append(run.execution.stopped)
    return GradingResult(
        mode=run.mode,
        score=sum(test.points for test in run.tests),
        max_score=sum(test.max_points for test in run.tests),
        tests=run.tests,
        flags=run.flags,
        notes=notes,
        duration_s=time.monotonic() - started,
        cells=run.cells,
        notebook=run.assembly.notebook,
        error=run.error,
    )

