"""Assembling the notebook to grade from the source and a trainee's answers."""

import nbformat
import pytest

from tic_academy.grading import NotebookFormatError, make_trainee_version
from tic_academy.grading.assemble import assemble
from tic_academy.grading.messages import message


def _sources(assembly):
    """Return grade_id -> source of the assembled cells."""
    return {cell.metadata.nbgrader.grade_id: cell.source for cell in assembly.notebook.cells}


def test_answers_map_replaces_only_answer_cells(nbf):
    """Does a grade_id map replace the answer cell and keep the rest from the source?"""
    assembly = assemble(nbf.exercise(), {"jawaban": "def tambah(a, b): return 0"}, "submit")
    sources = _sources(assembly)
    assert sources["jawaban"] == "def tambah(a, b): return 0"
    assert nbf.SECRET in sources["tes-tersembunyi"]
    assert assembly.notes == []


def test_tampered_test_cell_in_upload_is_ignored_and_noted(nbf):
    """Is a test cell the trainee edited in an uploaded notebook replaced by the source's?"""
    upload = make_trainee_version(nbf.exercise())
    upload.cells[2].source = "def tambah(a, b):\n    return a + b"
    upload.cells[3].source = "pass  # tes dihapus"
    assembly = assemble(nbf.exercise(), nbformat.writes(upload).encode(), "submit")
    sources = _sources(assembly)
    assert sources["tes-publik"] == "assert tambah(1, 2) == 3, 'tambah(1, 2) harus 3'"
    assert sources["jawaban"] == "def tambah(a, b):\n    return a + b"
    assert assembly.notes == [message("locked_edit_ignored", cell="tes-publik")]


def test_test_cell_relabelled_as_answer_in_upload_is_still_ignored(nbf):
    """Does the source decide which cells are answers, not the upload's metadata?"""
    upload = make_trainee_version(nbf.exercise())
    upload.cells[3].metadata.nbgrader.solution = True
    upload.cells[3].source = "pass"
    assembly = assemble(nbf.exercise(), upload, "submit")
    assert _sources(assembly)["tes-publik"].startswith("assert tambah(1, 2)")


def test_unknown_grade_ids_are_ignored_and_noted(nbf):
    """Are answers for grade_ids the source does not have ignored with a note?"""
    assembly = assemble(nbf.exercise(), {"jawaban": "x = 1", "palsu": "print(1)"}, "submit")
    assert "palsu" not in _sources(assembly)
    assert assembly.notes == [message("unknown_cell", cell="palsu")]


def test_missing_answer_uses_the_stub(nbf):
    """Does a missing answer become the trainee-version stub?"""
    assembly = assemble(nbf.exercise(), {}, "submit")
    assert "raise NotImplementedError()" in _sources(assembly)["jawaban"]


def test_check_mode_strips_hidden_tests_and_drops_empty_test_cells(nbf):
    """Does check mode run public tests only and leave out test cells with nothing public?"""
    nb = nbf.exercise()
    nb.cells.append(nbf.test_cell("### BEGIN HIDDEN TESTS\nassert False\n### END HIDDEN TESTS", "hanya-rahasia"))
    assembly = assemble(nb, {}, "check")
    sources = _sources(assembly)
    assert sources["tes-tersembunyi"] == "assert tambah(0, 0) == 0"
    assert "hanya-rahasia" not in sources
    assert assembly.hidden == {}


def test_submit_mode_records_hidden_text(nbf):
    """Does submit mode remember the hidden lines of each test cell (for redaction)?"""
    assembly = assemble(nbf.exercise(), {}, "submit")
    assert assembly.hidden == {"tes-tersembunyi": nbf.SECRET}


@pytest.mark.parametrize("until", ["jawaban", 2])
def test_run_mode_stops_at_chosen_cell_without_tests(nbf, until):
    """Does run mode include cells up to the chosen one (by grade_id or index) and no tests?"""
    nb = nbf.exercise()
    nb.cells.append(nbf.code_cell("y = 2", "lanjut", solution=True))
    assembly = assemble(nb, {"jawaban": "x = 1"}, "run", run_until=until)
    assert list(_sources(assembly)) == ["intro", "persiapan", "jawaban"]
    assert assembly.source_index == [0, 1, 2]


def test_run_mode_skips_test_cells(nbf):
    """Does run mode without a stop cell leave out every test cell?"""
    assembly = assemble(nbf.exercise(), {}, "run")
    assert "tes-publik" not in _sources(assembly)


def test_bad_run_until_and_mode_are_refused(nbf):
    """Are an unknown stop cell and an unknown mode refused?"""
    with pytest.raises(ValueError, match="tidak ada"):
        assemble(nbf.exercise(), {}, "run", run_until="nope")
    with pytest.raises(ValueError, match="mode"):
        assemble(nbf.exercise(), {}, "grade")


def test_malformed_upload_is_refused(nbf):
    """Is an uploaded file that is not a notebook refused?"""
    with pytest.raises(NotebookFormatError, match="JSON"):
        assemble(nbf.exercise(), b"not a notebook", "submit")
