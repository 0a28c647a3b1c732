"""scripts/harness_convert.py: small, re-appliable text replacements in notebook test cells."""
import importlib.util
from pathlib import Path

import nbformat

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "harness_convert.py"


def load_script():
    """Import the script as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("harness_convert", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


convert_script = load_script()


def grading_cell(grade_id, source):
    """An autograded test cell in nbgrader format."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1,
                                 "grade_id": grade_id, "schema_version": 3}
    return cell


def write_notebook(root, name, *cells):
    """Write a notebook with the given cells under root; return its path."""
    path = root / name
    nbformat.write(nbformat.v4.new_notebook(cells=list(cells)), path)
    return path


def cell_source(path, grade_id):
    """The source of one cell of a notebook on disk."""
    notebook = nbformat.read(path, as_version=4)
    return convert_script.find_cell(notebook, grade_id).source


WRAP = ("a.ipynb", "tes-a", 'c = sqlite3.connect(":memory:")\n',
        '### BEGIN SETUP\nc = sqlite3.connect(":memory:")\n### END SETUP\n')


def test_replacement_is_applied_once_even_when_the_new_text_contains_the_old(tmp_path):
    """Does a second run leave a cell alone whose new text still contains the old text?"""
    path = write_notebook(tmp_path, "a.ipynb", grading_cell("tes-a", 'import sqlite3\nc = sqlite3.connect(":memory:")\nf(c)'))
    first = convert_script.convert(tmp_path, [WRAP])
    second = convert_script.convert(tmp_path, [WRAP])
    assert first[0].endswith(": applied") and second[0].endswith(": already applied")
    assert cell_source(path, "tes-a") == 'import sqlite3\n### BEGIN SETUP\nc = sqlite3.connect(":memory:")\n### END SETUP\nf(c)'


def test_replacement_that_removes_text_is_applied_once(tmp_path):
    """Does a replacement whose new text is part of its old text report 'already applied' afterwards?"""
    path = write_notebook(tmp_path, "a.ipynb", grading_cell("tes-a", "kosong = []\nassert f(kosong) is kosong"))
    change = ("a.ipynb", "tes-a", "kosong = []\nassert f(kosong)", "assert f(kosong)")
    assert convert_script.convert(tmp_path, [change])[0].endswith(": applied")
    assert convert_script.convert(tmp_path, [change])[0].endswith(": already applied")
    assert cell_source(path, "tes-a") == "assert f(kosong) is kosong"


def test_other_edits_to_the_cell_survive(tmp_path):
    """Is the replacement still applied when someone added hidden tests elsewhere in the cell?"""
    source = 'c = sqlite3.connect(":memory:")\nf(c)\n### BEGIN HIDDEN TESTS\nassert g(c) == 1\n### END HIDDEN TESTS'
    path = write_notebook(tmp_path, "a.ipynb", grading_cell("tes-a", source))
    convert_script.convert(tmp_path, [WRAP])
    assert cell_source(path, "tes-a").endswith("f(c)\n### BEGIN HIDDEN TESTS\nassert g(c) == 1\n### END HIDDEN TESTS")


def test_missing_text_cell_and_notebook_are_reported_and_nothing_is_written(tmp_path):
    """Are replacements that cannot be applied reported, leaving the file as it was?"""
    path = write_notebook(tmp_path, "a.ipynb", grading_cell("tes-a", "f(1)"))
    before = path.read_bytes()
    lines = convert_script.convert(tmp_path, [WRAP, ("a.ipynb", "tes-x", "f(1)", "f(2)"), ("b.ipynb", "tes-a", "x", "y")])
    assert lines[0].endswith(": NOT FOUND")
    assert lines[1] == "a.ipynb [tes-x]: CELL NOT FOUND"
    assert lines[2] == "b.ipynb: NOTEBOOK NOT FOUND"
    assert path.read_bytes() == before


def test_old_text_found_twice_is_not_replaced(tmp_path):
    """Is an old text that occurs twice in the cell left alone and reported?"""
    path = write_notebook(tmp_path, "a.ipynb", grading_cell("tes-a", "f(1)\nf(1)"))
    lines = convert_script.convert(tmp_path, [("a.ipynb", "tes-a", "f(1)", "g(1)")])
    assert "AMBIGUOUS" in lines[0]
    assert cell_source(path, "tes-a") == "f(1)\nf(1)"


def test_check_mode_writes_nothing(tmp_path):
    """Does write=False report the replacement without changing the notebook?"""
    path = write_notebook(tmp_path, "a.ipynb", grading_cell("tes-a", 'c = sqlite3.connect(":memory:")\n'))
    before = path.read_bytes()
    assert convert_script.convert(tmp_path, [WRAP], write=False)[0].endswith(": applied")
    assert path.read_bytes() == before


def test_setup_name_already_bound_by_the_harness_is_warned_about(tmp_path):
    """Is a SETUP block that rebinds a name an earlier harness part bound reported?"""
    write_notebook(tmp_path, "a.ipynb",
                   grading_cell("tes-a", "c = buat()\nf(c)"),
                   grading_cell("tes-b", '### BEGIN SETUP\nc = sqlite3.connect(":memory:")\n### END SETUP\nf(c)'))
    lines = convert_script.convert(tmp_path, [("a.ipynb", "tes-a", "f(c)", "f(c)  # x")])
    assert "a.ipynb: WARNING tes-b: SETUP binds 'c', which an earlier harness part bound" in lines


def test_shipped_notebooks_have_no_pending_replacement():
    """Are all of the script's replacements already in the shipped notebooks (run the script after merging)?"""
    lines = convert_script.convert(convert_script.ROOT, convert_script.REPLACEMENTS, write=False)
    pending = [line for line in lines if line.endswith(": applied") or "AMBIGUOUS" in line or "WARNING" in line]
    assert pending == []
