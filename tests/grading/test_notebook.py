"""Source notebook format: parsing, problems and the trainee version."""

import json

import nbformat
import pytest

from tic_academy.grading import NotebookFormatError, find_problems, load_source, make_trainee_version
from tic_academy.grading.notebook import parse_notebook


def test_valid_exercise_has_no_problems(nbf):
    """Does a well-formed exercise load without problems?"""
    nb = nbf.exercise()
    assert find_problems(nb) == []
    assert len(load_source(nbformat.writes(nb).encode()).cells) == 5


def test_duplicate_grade_id_is_rejected(nbf):
    """Is a duplicate grade_id reported with cell index and grade_id?"""
    nb = nbf.notebook(nbf.answer_cell(), nbf.test_cell("assert True", "jawaban"))
    with pytest.raises(NotebookFormatError, match=r"sel 1 \(jawaban\): grade_id 'jawaban' ganda"):
        load_source(nb)


def test_missing_grade_id_is_rejected(nbf):
    """Is an answer cell without grade_id reported?"""
    cell = nbf.answer_cell()
    del cell.metadata.nbgrader["grade_id"]
    assert find_problems(nbf.notebook(cell)) == ["sel 0: grade_id tidak ada"]


@pytest.mark.parametrize("points", [None, 0, -1])
def test_test_cell_without_points_is_rejected(nbf, points):
    """Is a test cell without positive points reported?"""
    nb = nbf.notebook(nbf.answer_cell(), nbf.test_cell("assert True", "tes", points=points))
    assert find_problems(nb) == ["sel 1 (tes): sel tes tanpa poin (points harus > 0)"]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("### BEGIN SOLUTION\nx = 1\n", "BEGIN SOLUTION di baris 1 tidak ditutup"),
        ("x = 1\n### END SOLUTION\n", "END SOLUTION tanpa BEGIN di baris 2"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "BEGIN SOLUTION bersarang di baris 2"),
    ],
)
def test_unbalanced_solution_markers_are_rejected(nbf, source, expected):
    """Are unbalanced or nested solution markers reported precisely?"""
    problems = find_problems(nbf.notebook(nbf.answer_cell(source)))
    assert any(expected in problem and problem.startswith("sel 0 (jawaban)") for problem in problems)


def test_unbalanced_hidden_markers_are_rejected(nbf):
    """Is an unclosed hidden test block reported?"""
    nb = nbf.notebook(nbf.answer_cell(), nbf.test_cell("### BEGIN HIDDEN TESTS\nassert True", "tes"))
    assert find_problems(nb) == ["sel 1 (tes): BEGIN HIDDEN TESTS di baris 1 tidak ditutup"]


def test_hidden_tests_outside_test_cell_are_rejected(nbf):
    """Are hidden test markers in a non-test cell reported?"""
    nb = nbf.notebook(nbf.code_cell("### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS", "c", locked=True))
    assert find_problems(nb) == ["sel 0 (c): penanda HIDDEN TESTS di sel yang bukan sel tes"]


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"{not json", "bukan JSON yang valid"),
        (b"[1, 2]", "objek JSON"),
        (json.dumps({"nbformat": 3, "worksheets": []}).encode(), "nbformat 4"),
        (json.dumps({"nbformat": 4, "nbformat_minor": 5}).encode(), "daftar sel"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_non_notebook_input_is_rejected(data, expected):
    """Is input that is not an nbformat 4 notebook rejected with a clear message?"""
    with pytest.raises(NotebookFormatError, match=expected):
        load_source(data)
    assert len(find_problems(data)) == 1


def test_notebook_over_size_cap_is_rejected(nbf):
    """Is a notebook over the size cap rejected before parsing?"""
    nb = nbf.notebook(nbf.code_cell("x = '" + "a" * 3_000_000 + "'"))
    with pytest.raises(NotebookFormatError, match="terlalu besar"):
        load_source(nbformat.writes(nb).encode())
    with pytest.raises(NotebookFormatError, match="terlalu besar"):
        parse_notebook(nbformat.writes(nbf.exercise()), size_cap=100)


def test_list_sources_are_joined(nbf):
    """Are cell sources stored as lists of lines (as on disk) read as text?"""
    data = json.loads(nbformat.writes(nbf.exercise()))
    data["cells"][2]["source"] = ["def tambah(a, b):\n", "    return a + b\n"]
    assert load_source(data).cells[2].source == "def tambah(a, b):\n    return a + b\n"


def test_trainee_version_replaces_solution_keeping_indentation(nbf):
    """Does the trainee version stub the solution region at its indentation?"""
    trainee = make_trainee_version(load_source(nbf.exercise()))
    assert trainee.cells[2].source == (
        "def tambah(a, b):\n    # TULIS JAWABAN ANDA DI SINI\n    raise NotImplementedError()"
    )
    assert trainee.cells[2].metadata.nbgrader.grade_id == "jawaban"


def test_trainee_version_removes_hidden_tests(nbf):
    """Are hidden test blocks, markers included, gone from the trainee version?"""
    trainee = make_trainee_version(nbf.exercise())
    text = nbformat.writes(trainee)
    assert nbf.SECRET.split("#")[0].strip() not in text
    assert "HIDDEN TESTS" not in text
    assert trainee.cells[4].source == "assert tambah(0, 0) == 0"


def test_trainee_version_clears_outputs_and_markdown_answers(nbf):
    """Are outputs cleared and markdown answers replaced by the markdown stub?"""
    answer = nbf.code_cell("x = 1", "a", solution=True)
    answer.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1")]
    answer.execution_count = 3
    essay = nbf.markdown_cell("Jawaban:\n### BEGIN SOLUTION\nKarena...\n### END SOLUTION", "esai", solution=True)
    trainee = make_trainee_version(nbf.notebook(answer, essay))
    assert trainee.cells[0].outputs == [] and trainee.cells[0].execution_count is None
    assert trainee.cells[0].source == "# TULIS JAWABAN ANDA DI SINI\nraise NotImplementedError()"
    assert trainee.cells[1].source == "Jawaban:\n_TULIS JAWABAN ANDA DI SINI_"
