"""Grading as an ordered list of small steps: assemble, integrity, execute, score, feedback."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .assemble import Assembly, assemble
from .feedback import trainee_cells
from .integrity import Flag, ImportNotAllowed, check_answers
from .kernel import Execution
from .limits import Limits
from .notebook import grade_id, is_answer
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
    assembly: Assembly | None = None
    flags: list[Flag] = field(default_factory=list)
    execution: Execution | None = None
    tests: list[TestResult] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)
    #: Set when grading was refused before anything ran (e.g. a forbidden import); for the trainee.
    error: str | None = None


@dataclass
class GradingResult:
    """The outcome of one grading. `to_dict()` is safe to show the trainee; `notebook` holds hidden tests."""

    mode: str
    score: float
    max_score: float
    tests: list[TestResult]
    flags: list[Flag]
    notes: list[str]
    duration_s: float
    cells: list[dict]
    #: The executed notebook (with hidden tests) for storage and mentors; never show it to trainees.
    notebook: object
    error: str | None = None

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
        run.error = str(refusal)


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


def feedback_step(run: GradingRun) -> None:
    """Collect the outputs a trainee may see."""
    assembly = run.assembly
    run.cells = trainee_cells(assembly.notebook.cells, assembly.source_index, assembly.hidden)


STEPS = (assemble_step, integrity_step, execute_step, score_step, feedback_step)


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

