"""Scoring at its edges: the shortest hidden line that counts as a leak, and each way a test cell can end.

Written for the mutation run (``make mutate``): each test fails when one operator of
``grading/scoring.py`` changes. Pure functions: no kernel, no database.
"""
import nbformat

from tic_academy.grading.kernel import CellRun
from tic_academy.grading.messages import author, message
from tic_academy.grading.scoring import HIDDEN_PLACEHOLDER, MIN_LEAK_CHARS, redact_hidden, redact_message, score


def test_a_hidden_line_of_exactly_the_minimum_length_is_a_leak():
    """Is a quoted hidden line of exactly MIN_LEAK_CHARS characters redacted, and one character shorter not?"""
    at_minimum, shorter = "assert x==10", "assert x==1"
    assert (len(at_minimum), len(shorter)) == (MIN_LEAK_CHARS, MIN_LEAK_CHARS - 1)
    assert redact_hidden(f"gagal: {at_minimum}", at_minimum) == HIDDEN_PLACEHOLDER
    assert redact_hidden(f"gagal: {shorter}", shorter) == f"gagal: {shorter}"


def test_a_leak_needs_the_line_in_the_message():
    """Is a message that does not quote any hidden line left as it is, and one without hidden text too?"""
    hidden = "assert hitung_pajak(100) == 10\nassert hitung_pajak(0) == 0"
    assert redact_hidden("pajak salah", hidden) == "pajak salah"
    assert redact_hidden("assert hitung_pajak(0) == 0 gagal", hidden) == HIDDEN_PLACEHOLDER
    assert redact_hidden("apa saja", None) == "apa saja"
    assert redact_hidden("apa saja", "") == "apa saja"


def test_a_message_is_replaced_only_when_one_of_its_texts_quotes_a_hidden_line():
    """Does redact_message replace a quoting message by hidden_redacted and keep others (and None)?"""
    hidden = "assert hitung_pajak(100) == 10"
    quoting = author("assert hitung_pajak(100) == 10")
    plain = author("pajak salah")
    assert redact_message(quoting, hidden) == message("hidden_redacted")
    assert redact_message(plain, hidden) == plain
    assert redact_message(None, hidden) is None


def test_cell(points=2, grade_id="tes-1"):
    """A test cell worth ``points``."""
    cell = nbformat.v4.new_code_cell("assert True")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id, "points": points}
    return cell


test_cell.__test__ = False  # a helper, not a test


def test_each_ending_of_a_test_cell_and_its_points():
    """Does only a cell that ran ok earn its points; does each other ending get its status and reason?"""
    cells = [nbformat.v4.new_markdown_cell("Tugas"), *(test_cell(grade_id=f"tes-{n}") for n in range(6))]
    runs = {
        1: CellRun(1, "ok"),
        2: CellRun(2, "error", "AssertionError", "harus 3"),
        3: CellRun(3, "error", "ValueError", "bukan angka"),
        4: CellRun(4, "timeout", "TimeoutError", "habis"),
        5: CellRun(5, "died", "KernelDied", "mati"),
        6: CellRun(6, "not_run"),
    }
    results = score(cells, runs)
    assert [(r.grade_id, r.status, r.points, r.max_points) for r in results] == [
        ("tes-0", "passed", 2.0, 2.0), ("tes-1", "failed", 0.0, 2.0), ("tes-2", "error", 0.0, 2.0),
        ("tes-3", "timeout", 0.0, 2.0), ("tes-4", "error", 0.0, 2.0), ("tes-5", "not_run", 0.0, 2.0),
    ]
    assert results[0].message is None
    assert results[1].message == author("harus 3")
    assert results[2].message == message("exception", ename="ValueError", evalue="bukan angka")
    assert results[3].message == message("exception", ename="TimeoutError", evalue="habis")
    assert results[5].message == message("test_not_run")
