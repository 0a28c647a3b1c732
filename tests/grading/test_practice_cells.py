"""Ungraded practice cells ("Latihan bebas"): editable answer cells marked `tic.practice`, never graded."""

import json

import pytest

from tic_academy.grading import make_trainee_version
from tic_academy.grading.assemble import assemble
from tic_academy.grading.notebook import cell_kind, find_problems, is_practice

PRACTICE = "contoh_latihan = [1, 2, 3]\nprint(sum(contoh_latihan))"


def _practice_cell(nbf, source=PRACTICE, **flags):
    """Return a practice cell: an nbgrader answer cell with metadata tic.practice."""
    cell = nbf.code_cell(source, "latihan-1", solution=True, **flags)
    cell.metadata["tic"] = {"practice": True}
    return cell


def _with_practice(nbf, cell):
    """Return the standard exercise with a practice cell after the answer cell."""
    nb = nbf.exercise()
    nb.cells.insert(3, cell)
    return nb


def test_practice_cell_is_an_editable_answer_cell(nbf):
    """Is a practice cell shown as an answer cell (editable, saved by grade_id) and recognised as practice?"""
    cell = _practice_cell(nbf)
    assert is_practice(cell)
    assert cell_kind(cell) == "answer"
    assert not is_practice(nbf.answer_cell())


def test_trainee_gets_the_practice_code_as_written(nbf):
    """Does the trainee version keep a practice cell's starter code instead of the answer stub?"""
    trainee = make_trainee_version(_with_practice(nbf, _practice_cell(nbf)))
    assert trainee.cells[3].source == PRACTICE
    assert "NotImplementedError" in trainee.cells[2].source


def test_check_and_submit_leave_practice_cells_out(nbf):
    """Does a check or a submission never run the trainee's practice code (an endless loop there costs nothing)?"""
    nb = _with_practice(nbf, _practice_cell(nbf))
    for mode in ("check", "submit"):
        assembly = assemble(nb, {"latihan-1": "while True: pass"}, mode)
        assert "latihan-1" not in {cell.metadata.nbgrader.grade_id for cell in assembly.notebook.cells}
        assert assembly.notes == []


def test_run_mode_runs_the_trainees_practice_code(nbf):
    """Does running the notebook in the workspace run what the trainee wrote in the practice cell?"""
    nb = _with_practice(nbf, _practice_cell(nbf))
    assembly = assemble(nb, {"latihan-1": "print('coba')"}, "run")
    sources = {cell.metadata.nbgrader.grade_id: cell.source for cell in assembly.notebook.cells}
    assert sources["latihan-1"] == "print('coba')"


def test_a_graded_or_marked_practice_cell_is_a_format_problem(nbf):
    """Is a practice cell that carries points, grade or SOLUTION markers refused (it would be graded or leak)?"""
    assert find_problems(_with_practice(nbf, _practice_cell(nbf))) == []
    for bad in (_practice_cell(nbf, grade=True, points=1),
                _practice_cell(nbf, "### BEGIN SOLUTION\nx = 1\n### END SOLUTION")):
        problems = find_problems(_with_practice(nbf, bad))
        assert any("sel latihan" in p for p in problems), problems


@pytest.mark.kernel
def test_practice_code_runs_in_the_workspace_and_never_counts(engine, nbf):
    """In a real kernel: does a practice cell's code run in run mode, and does broken practice code cost nothing on submit?"""
    nb = _with_practice(nbf, _practice_cell(nbf))        # before the tests: it could break them if it ran
    ran = engine.grade(nb, {"jawaban": "def tambah(a, b):\n    return a + b", "latihan-1": "print(6 * 7)"}, mode="run")
    [practice] = [cell for cell in ran.cells if cell["grade_id"] == "latihan-1"]
    assert "42" in json.dumps(practice["outputs"])
    broken = {"jawaban": "def tambah(a, b):\n    return a + b", "latihan-1": "tambah = None\nwhile True:\n    pass"}
    submitted = engine.grade(nb, broken, mode="submit")
    assert (submitted.score, submitted.max_score) == (3, 3)
