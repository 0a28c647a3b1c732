"""The notebook service answers every question asked of an exercise notebook, from one parse per version.

These tests need no app and no database: an ExerciseVersion is built in memory.
"""
import json

import nbformat
import pytest

from tests.notebook_factory import exercise_notebook, nbgrader
from tic_academy.models import ExerciseVersion
from tic_academy.services import ServiceError, notebooks

HIDDEN = "assert tambah(-5, 5) == 0, 'bilangan negatif'"


def source_notebook():
    """The standard exercise plus a manually graded markdown answer with a rubric and a task cell."""
    nb = exercise_notebook(hidden=HIDDEN)
    manual = nbformat.v4.new_markdown_cell(
        "### BEGIN SOLUTION\nKarena a + b.\n### END SOLUTION",
        metadata=nbgrader("penjelasan", solution=True, grade=True, points=3),
    )
    manual.metadata["tic"] = {"rubric": "1 poin per alasan"}
    nb.cells.append(manual)
    nb.cells.append(nbformat.v4.new_markdown_cell("Rancang tabelnya.", metadata=nbgrader("tugas", task=True, points=1)))
    return nb


def version(version_id=1, nb=None, checksum="abc", max_score=3.0) -> ExerciseVersion:
    """An exercise version in memory (never added to a session)."""
    return ExerciseVersion(id=version_id, checksum=checksum, source=nbformat.writes(nb or source_notebook()),
                           max_score=max_score)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache."""
    notebooks.clear_cache()
    yield
    notebooks.clear_cache()


@pytest.fixture
def parses(monkeypatch):
    """A list that grows by one each time a notebook is parsed from its JSON text."""
    calls = []
    real = nbformat.reads
    monkeypatch.setattr(nbformat, "reads", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def test_answer_cells_with_their_starter_code():
    """Are the answer cells listed in order, with the stub the trainee receives and whether a mentor grades them?"""
    notebook = notebooks.of_version(version())
    assert [(c.grade_id, c.cell_type, c.manual) for c in notebook.answer_cells] == [
        ("jawaban", "code", False), ("penjelasan", "markdown", True)]
    assert "return a + b" not in notebook.starters["jawaban"]
    assert "TULIS JAWABAN" in notebook.starters["jawaban"]
    assert [c.grade_id for c in notebook.code_answer_cells] == ["jawaban"]


def test_visible_tests_leave_out_the_hidden_part():
    """Does the visible source of a test keep the public assert and drop the hidden one?"""
    [test] = notebooks.of_version(version()).visible_tests
    assert test.grade_id == "tes-tambah" and test.points == 2
    assert "tambah(1, 2) == 3" in test.visible_source and HIDDEN not in test.visible_source


def test_hidden_tests_are_the_cells_with_hidden_blocks():
    """Is a test with a hidden block listed as hidden (with its full source), and one without it not?"""
    [test] = notebooks.of_version(version()).hidden_tests
    assert test.has_hidden and HIDDEN in test.source
    assert notebooks.of_version(version(2, exercise_notebook(hidden=""))).hidden_tests == ()


def test_manual_cells_carry_points_and_rubric():
    """Are the manually graded answer cell and the task cell listed with points, rubric and type?"""
    cells = notebooks.of_version(version()).manual_cells
    assert [(c.grade_id, c.points, c.rubric, c.cell_type) for c in cells] == [
        ("penjelasan", 3.0, "1 poin per alasan", "markdown"), ("tugas", 1.0, "", "markdown")]


def test_trainee_version_has_no_solution_and_no_hidden_test():
    """Does the trainee version contain neither the model answer nor the hidden test?"""
    text = nbformat.writes(notebooks.of_version(version()).trainee)
    assert "return a + b" not in text and HIDDEN not in text and "Karena a + b" not in text


def test_max_score_and_test_points():
    """Is max_score the stored total (tests and rules) and test_points the tests' own points?"""
    notebook = notebooks.of_version(version(max_score=5.0))
    assert notebook.max_score == 5.0 and notebook.test_points == 2.0


def test_cell_ids_kinds_and_count():
    """Are the cells' grade_ids and kinds given in notebook order?"""
    notebook = notebooks.of_version(version())
    assert notebook.cell_ids == ("intro", "jawaban", "tes-tambah", "penjelasan", "tugas")
    assert notebook.cell_kinds == ("locked", "answer", "test", "answer", "markdown")
    assert notebook.cell_count == 5


def test_with_answers_fills_a_copy():
    """Does a download get the answers while the cached trainee version stays untouched?"""
    notebook = notebooks.of_version(version())
    text = notebook.with_answers({"jawaban": "def tambah(a, b):\n    return b + a"})
    assert "return b + a" in text and HIDDEN not in text
    assert "return b + a" not in nbformat.writes(notebook.trainee)


def test_answers_in_upload_match_by_grade_id():
    """Are an upload's answer cells taken by grade_id, and other cells' ids reported?"""
    upload = source_notebook()
    upload.cells[1].source = "def tambah(a, b):\n    return 0"
    upload.cells.append(nbformat.v4.new_code_cell("x = 1", metadata=nbgrader("lain", solution=True)))
    answers, ignored = notebooks.of_version(version()).answers_in_upload(nbformat.writes(upload).encode(), 10**6)
    assert answers["jawaban"].endswith("return 0") and set(answers) == {"jawaban", "penjelasan"}
    assert ignored == ["intro", "tes-tambah", "tugas", "lain"]


def test_unreadable_upload_is_refused(app):
    """Is a file that is not a notebook refused with a ServiceError (the message is translated, so in an app)?"""
    with pytest.raises(ServiceError):
        notebooks.of_version(version()).answers_in_upload(b"not json", 10**6)


def test_executed_cells_of_a_stored_notebook():
    """Are a stored executed notebook's cells read with kind, grade_id, source and outputs?"""
    nb = source_notebook()
    nb.cells[2].outputs = [{"output_type": "stream", "name": "stdout", "text": "ok"}]
    cells = notebooks.executed_cells(json.dumps(nb))
    assert [c.kind for c in cells][:3] == ["locked", "answer", "test"]
    assert cells[2].grade_id == "tes-tambah" and cells[2].outputs[0]["text"] == "ok"
    assert notebooks.executed_cells(None) == []


def test_a_version_is_parsed_once(parses):
    """Is the same version (even as a new object, as after a new query) parsed only once?"""
    first = notebooks.of_version(version())
    assert notebooks.of_version(version()) is first
    assert len(parses) == 1


def test_the_cache_is_bounded_least_recently_used_first_out(parses, monkeypatch):
    """Does the cache keep at most CACHE_SIZE versions, dropping the one used longest ago?"""
    monkeypatch.setattr(notebooks, "CACHE_SIZE", 2)
    notebooks.of_version(version(1))
    notebooks.of_version(version(2))
    notebooks.of_version(version(1))  # 1 is now the most recently used
    notebooks.of_version(version(3))  # so 2 goes
    assert notebooks.cached_count() == 2 and len(parses) == 3
    notebooks.of_version(version(1))
    assert len(parses) == 3
    notebooks.of_version(version(2))
    assert len(parses) == 4


def test_another_checksum_under_the_same_id_is_not_served_from_the_cache():
    """Does a version with a reused id but another checksum (another database) get its own parse?"""
    first = notebooks.of_version(version(1, checksum="satu"))
    other = notebooks.of_version(version(1, exercise_notebook(hidden=""), checksum="dua"))
    assert other is not first and other.hidden_tests == ()
