"""The one place that reads exercise notebooks and answers questions about them.

``of_version(version)`` parses an exercise version's source notebook once and
keeps the answers in a small in-process cache (least recently used first out).
Everything views and other services ask of a notebook comes from there: the
answer cells and their starter code, the visible and hidden tests, the cells a
mentor grades by hand (with their rubric), the trainee version (solutions
stubbed, hidden tests removed), the maximum score and the cell ids.

Why the cache needs no invalidation: an ``ExerciseVersion`` is identified by
the checksum of its notebook and is never edited; a changed notebook becomes a
new version with a new id. The key also holds the checksum, so a cache that
outlives its database (tests build a fresh one each time) cannot serve another
database's notebook under a reused id unless the content is the same too;
``clear_cache()`` empties it for tests that reuse checksums.

The cached notebooks are shared between requests and threads: read them, never
change them (``trainee_copy()`` gives a notebook that may be changed).

This module, the jobs layer and the curriculum code are the only places
outside ``grading/`` that import grading's internals.
"""
from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Optional

import nbformat
from flask_babel import gettext as _

from ..grading.notebook import (
    NotebookFormatError,
    cell_kind,
    grade_id,
    has_marker,
    is_answer,
    is_practice,
    is_test,
    nbgrader_meta,
    parse_notebook,
    points,
)
from ..grading.hints import cell_hint_cost, cell_hints, task_hint_cost, task_hints
from ..grading.project import ProjectSpec
from ..grading.trainee import make_trainee_version, public_test_source
from ..models import ExerciseVersion
from . import ServiceError

#: How many parsed versions are kept (a track has about 60 exercises; retired versions are rarely opened).
CACHE_SIZE = 128


@dataclass(frozen=True)
class AnswerCell:
    """A cell the trainee writes: its id, type, points, starter code and whether a mentor grades it."""

    grade_id: str
    cell_type: str
    points: float
    #: What the trainee receives in it (the model answer replaced by a stub).
    starter: str
    #: Graded by hand by a mentor (nbgrader ``grade: true, solution: true``).
    manual: bool
    #: The model answer as the source notebook holds it (for mentors and services, never for trainees).
    solution: str = ""


@dataclass(frozen=True)
class TestCell:
    """An autograded test cell: the part the trainee sees and the full source with hidden tests."""

    grade_id: str
    points: float
    visible_source: str
    #: The source with the hidden tests: for grading and mentors only, never for trainees.
    source: str

    @property
    def has_hidden(self) -> bool:
        """Does the cell hold hidden tests?"""
        return self.visible_source != self.source


@dataclass(frozen=True)
class ManualCell:
    """A cell a mentor grades by hand: an answer cell with ``grade`` or a task cell, with its rubric."""

    grade_id: str
    points: float
    rubric: str
    cell_type: str
    #: A project's manual task: its name {"id": ..., "en": ...} (notebook cells have none).
    title: Optional[dict] = None


@dataclass(frozen=True)
class TaskHints:
    """The ordered hints of one task (a test cell, or a project points entry) and what each costs."""

    key: str
    #: The task's points (the test cell's, or the points entry's).
    points: float
    #: The share of the task's points one revealed hint takes off (0 = free).
    cost: float
    #: ({"text": markdown, "text_en": markdown or ""}, ...) in the order they are revealed.
    hints: tuple[dict, ...]
    #: A project task's name {"id": ..., "en": ...} (notebook tasks are named by their test cell).
    title: Optional[dict] = None


class ExerciseNotebook:
    """One exercise version's notebook, parsed once, with everything asked of it."""

    def __init__(self, version_id: int, max_score: float, source_nb):
        self.version_id = version_id
        #: The total the version is graded out of (tests and static rules), as stored at sync.
        self.max_score = float(max_score or 0.0)
        #: The source notebook, with solutions and hidden tests (read only).
        self.source = source_nb
        #: The notebook a trainee receives (read only; see ``trainee_copy``).
        self.trainee = make_trainee_version(source_nb)
        self.cell_ids: tuple[Optional[str], ...] = tuple(grade_id(cell) for cell in source_nb.cells)
        self.cell_kinds: tuple[str, ...] = tuple(cell_kind(cell) for cell in source_nb.cells)
        self.cell_points: tuple[float, ...] = tuple(points(cell) for cell in source_nb.cells)
        #: grade_ids of the ungraded practice cells (answer cells never graded, "Latihan bebas").
        self.practice_ids: frozenset[str] = frozenset(grade_id(cell) for cell in source_nb.cells if is_practice(cell))
        self.answer_cells: tuple[AnswerCell, ...] = tuple(
            AnswerCell(grade_id(cell), cell.cell_type, points(cell), stub.source,
                       bool(nbgrader_meta(cell).get("grade")), cell.source)
            for cell, stub in zip(source_nb.cells, self.trainee.cells)
            if is_answer(cell) and grade_id(cell)
        )
        self.tests: tuple[TestCell, ...] = tuple(
            TestCell(grade_id(cell), points(cell), public_test_source(cell), cell.source)
            for cell in source_nb.cells if is_test(cell)
        )
        #: test grade_id -> its hints (only tests that have hints); never part of the trainee version.
        self.task_hints: dict[str, TaskHints] = {
            grade_id(cell): TaskHints(grade_id(cell), points(cell), cell_hint_cost(cell), tuple(cell_hints(cell)))
            for cell in source_nb.cells if is_test(cell) and cell_hints(cell)
        }
        self.manual_cells: tuple[ManualCell, ...] = tuple(
            ManualCell(grade_id(cell), points(cell), _rubric(cell), cell.cell_type)
            for cell in source_nb.cells
            if (is_answer(cell) and nbgrader_meta(cell).get("grade")) or nbgrader_meta(cell).get("task")
        )
        #: cell index -> its markdown as sanitised HTML, filled by the workspace page on first use (the cells
        #: are the same for every trainee, so each is rendered once per process while the notebook is cached).
        self.markdown_html: dict[int, str] = {}

    @property
    def cell_count(self) -> int:
        """How many cells the notebook has (the same in the source and the trainee version)."""
        return len(self.cell_ids)

    @property
    def starters(self) -> dict[str, str]:
        """grade_id -> starter code of every answer cell (a new dict each time)."""
        return {cell.grade_id: cell.starter for cell in self.answer_cells}

    @property
    def code_answer_cells(self) -> tuple[AnswerCell, ...]:
        """The answer cells that hold code (not written text)."""
        return tuple(cell for cell in self.answer_cells if cell.cell_type == "code")

    @property
    def visible_tests(self) -> tuple[TestCell, ...]:
        """Every test cell, as the trainee sees it (``visible_source``)."""
        return self.tests

    @property
    def hidden_tests(self) -> tuple[TestCell, ...]:
        """The test cells that hold hidden tests."""
        return tuple(test for test in self.tests if test.has_hidden)

    @property
    def test_points(self) -> float:
        """The points of the notebook's test cells (``max_score`` adds the static rules)."""
        return sum(test.points for test in self.tests)

    def trainee_copy(self):
        """A copy of the trainee version that the caller may change."""
        return copy.deepcopy(self.trainee)

    def with_answers(self, answers: dict[str, str]) -> str:
        """The trainee version with these answers in its answer cells, as .ipynb text."""
        nb = self.trainee_copy()
        for cell in nb.cells:
            gid = grade_id(cell)
            if is_answer(cell) and gid in answers:
                cell.source = answers[gid]
        return nbformat.writes(nb)

    def answers_in_upload(self, data: bytes, size_cap: int) -> tuple[dict[str, str], list[str]]:
        """(answers by grade_id, ids of other cells) taken from an uploaded .ipynb; ServiceError when unreadable."""
        try:
            upload = parse_notebook(data, size_cap=size_cap)
        except NotebookFormatError as error:
            raise ServiceError(_("This file is not a notebook that can be read: %(reason)s",
                                 reason=str(error))) from None
        starters = self.starters
        answers: dict[str, str] = {}
        ignored: list[str] = []
        for cell in upload.cells:
            gid = grade_id(cell)
            if gid in starters and gid not in answers and nbgrader_meta(cell).get("solution"):
                answers[gid] = cell.source
            elif gid and gid not in starters:
                ignored.append(gid)
        return answers, ignored


def _rubric(cell) -> str:
    """The mentor's rubric of a manually graded cell (cell metadata ``tic.rubric``)."""
    return str((cell.get("metadata", {}).get("tic") or {}).get("rubric", ""))


# --- the cache ---------------------------------------------------------------

_cache: OrderedDict[tuple[int, str], ExerciseNotebook] = OrderedDict()
_lock = threading.Lock()


def of_version(version: ExerciseVersion) -> ExerciseNotebook:
    """The parsed notebook of an exercise version, parsed at most once per process while cached.

    A project exercise's version holds a points map and hidden tests, not a notebook: it answers as an
    empty notebook (no answer cells or tests) whose manual cells are the project's manual tasks, so pages
    shared by both kinds need no branch.
    """
    if version.exercise is not None and version.exercise.is_project:
        empty = ExerciseNotebook(version.id, version.max_score, nbformat.v4.new_notebook())
        empty.manual_cells = project_manual_tasks(version)
        empty.task_hints = project_task_hints(version)
        return empty
    key = (version.id, version.checksum)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    # Parsed outside the lock: two threads may both parse a new version once; both results are equal.
    parsed = ExerciseNotebook(version.id, version.max_score, nbformat.reads(version.source, as_version=4))
    with _lock:
        _cache[key] = parsed
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return parsed


def project_manual_tasks(version: ExerciseVersion) -> tuple[ManualCell, ...]:
    """The manual tasks (points and rubric) a project's project.yaml declares, as manual cells."""
    try:
        manual = ProjectSpec.from_json(version.source or "").manual
    except (ValueError, KeyError, TypeError):  # not a stored spec
        return ()
    return tuple(ManualCell(task_id, float(entry["points"]), entry.get("rubric", ""), "task", entry.get("task"))
                 for task_id, entry in manual.items())


def project_task_hints(version: ExerciseVersion) -> dict[str, TaskHints]:
    """The hints of a project's points entries (``hints:`` in project.yaml), by test id."""
    try:
        points_map = ProjectSpec.from_json(version.source or "").points
    except (ValueError, KeyError, TypeError):  # not a stored spec
        return {}
    return {key: TaskHints(key, float(entry["points"]), task_hint_cost(entry), tuple(task_hints(entry)), entry.get("task"))
            for key, entry in points_map.items() if task_hints(entry)}


def clear_cache() -> None:
    """Forget every parsed notebook (tests that build several databases with the same ids and checksums)."""
    with _lock:
        _cache.clear()


def cached_count() -> int:
    """How many versions are in the cache."""
    with _lock:
        return len(_cache)


# --- executed notebooks (one per submission, not cached) -------------------


@dataclass(frozen=True)
class ExecutedCell:
    """A cell of a submission's executed notebook, as stored after grading."""

    kind: str
    grade_id: Optional[str]
    cell_type: str
    source: str
    outputs: list


def executed_cells(text: Optional[str]) -> list[ExecutedCell]:
    """The cells of an executed notebook (.ipynb text as stored with a submission); empty without one."""
    if not text:
        return []
    cells = []
    for cell in json.loads(text).get("cells", []):
        source = cell.get("source")
        source = "".join(source) if isinstance(source, list) else (source or "")
        cells.append(ExecutedCell(cell_kind(cell), grade_id(cell), cell.get("cell_type", "code"), source,
                                  cell.get("outputs") or []))
    return cells
