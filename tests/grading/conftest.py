"""Fixtures for grading tests: in-memory notebook factories (the shared engine is in tests/conftest.py)."""

from types import SimpleNamespace

import nbformat
import pytest


#: A line of the hidden tests that must never reach a trainee.
SECRET = "assert tambah(-5, 5) == 0, 'negatif'  # RAHASIA-7f3a"

ANSWER = "def tambah(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION\n"


def code_cell(source, grade_id=None, *, solution=False, grade=False, locked=False, points=None):
    """Return a code cell with nbgrader metadata when a grade_id is given."""
    cell = nbformat.v4.new_code_cell(source)
    if grade_id is not None:
        meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked, "schema_version": 3}
        if points is not None:
            meta["points"] = points
        cell.metadata["nbgrader"] = meta
    return cell


def answer_cell(source=ANSWER, grade_id="jawaban"):
    """Return a code answer cell."""
    return code_cell(source, grade_id, solution=True)


def test_cell(source, grade_id, points=1, locked=True):
    """Return an autograded test cell."""
    return code_cell(source, grade_id, grade=True, locked=locked, points=points)


test_cell.__test__ = False


def markdown_cell(source, grade_id=None, *, solution=False, locked=False):
    """Return a markdown cell, an answer cell when solution is true."""
    cell = nbformat.v4.new_markdown_cell(source)
    if grade_id is not None:
        cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": solution, "grade": False,
                                     "locked": locked, "schema_version": 3}
    return cell


def notebook(*cells):
    """Return a v4 notebook of the given cells."""
    return nbformat.v4.new_notebook(cells=list(cells))


def exercise():
    """Return the standard exercise: intro, setup, answer, a public test, a test with hidden part."""
    return notebook(
        markdown_cell("# Latihan\nTulis fungsi `tambah`.", "intro", locked=True),
        code_cell("import math", "persiapan", locked=True),
        answer_cell(),
        test_cell("assert tambah(1, 2) == 3, 'tambah(1, 2) harus 3'", "tes-publik", points=1),
        test_cell("assert tambah(0, 0) == 0\n### BEGIN HIDDEN TESTS\n" + SECRET + "\n### END HIDDEN TESTS",
                  "tes-tersembunyi", points=2),
    )


@pytest.fixture
def nbf():
    """Return the notebook factories: code_cell, answer_cell, test_cell, markdown_cell, notebook, exercise."""
    return SimpleNamespace(
        code_cell=code_cell, answer_cell=answer_cell, test_cell=test_cell, markdown_cell=markdown_cell,
        notebook=notebook, exercise=exercise, SECRET=SECRET, ANSWER=ANSWER,
    )
