"""The hint format in notebooks and project.yaml: what validate accepts, what it refuses, what is stripped."""
import json

import nbformat
import pytest

from tests.notebook_factory import exercise_notebook
from tic_academy.grading import find_problems, make_trainee_version
from tic_academy.grading.assemble import assemble
from tic_academy.grading.hints import hint_problems

HINTS = [{"text": "Ingat operator `+`.", "text_en": "Remember `+`."}, {"text": "RAHASIA-PETUNJUK-DUA"}]


def hinted(hints=HINTS, cost=0.1, cell=2):
    """The standard exercise with hints on one of its cells (2 = the test cell, 1 = the answer cell)."""
    nb = exercise_notebook()
    nb.cells[cell].metadata["tic"] = {"hints": hints, "hint_cost": cost}
    return nb


def test_well_formed_hints_pass_validation():
    """Are ordered hints with a cost share on a test cell accepted?"""
    assert find_problems(hinted()) == []
    assert find_problems(hinted(cost=0.5)) == []


@pytest.mark.parametrize("hints, cost, expected", [
    ("Ingat operator +", 0, "hints harus berupa daftar"),
    ([], 0, "hints kosong"),
    ([{"text": "  "}], 0, "petunjuk 1: text kosong"),
    ([{"text": "ok"}, {"teks": "salah kunci"}], 0, "petunjuk 2: text kosong"),
    ([{"text": "ok"}], 1.5, "hint_cost harus angka 0 sampai 1"),
    ([{"text": "ok"}], -0.1, "hint_cost harus angka 0 sampai 1"),
    ([{"text": "ok"}], True, "hint_cost harus angka 0 sampai 1"),
    ([{"text": "a"}, {"text": "b"}, {"text": "c"}], 0.4, "melebihi seluruh poin tugas"),
])
def test_malformed_hints_are_refused_with_a_clear_message(hints, cost, expected):
    """Does validate name what is wrong with a task's hints?"""
    problems = find_problems(hinted(hints, cost))
    assert any(expected in problem and "tes-tambah" in problem for problem in problems), problems


def test_hints_on_a_cell_that_is_not_a_task_are_refused():
    """Is a hint on the answer cell (no task of its own) refused?"""
    problems = find_problems(hinted(cell=1))
    assert any("hanya boleh di sel tes" in problem and "jawaban" in problem for problem in problems), problems


def test_hint_problems_in_words():
    """Does the pure checker accept a free hint list and count the total cost?"""
    assert hint_problems([{"text": "a"}, {"text": "b"}], 0.5) == []
    assert hint_problems([{"text": "a"}, {"text": "b"}], 0.51)


def test_trainee_version_and_executed_notebook_carry_no_hints():
    """Are hints stripped from the downloadable trainee notebook and from what the kernel runs?"""
    source = hinted()
    trainee_text = nbformat.writes(make_trainee_version(source))
    assert "RAHASIA-PETUNJUK-DUA" not in trainee_text and "hint_cost" not in trainee_text
    executed = assemble(source, {"jawaban": "def tambah(a, b):\n    return a + b"}, mode="submit").notebook
    assert "RAHASIA-PETUNJUK-DUA" not in json.dumps(executed)
    assert "RAHASIA-PETUNJUK-DUA" in nbformat.writes(source)  # the source keeps them
