"""Feedback that teaches: task titles and explanations of failures (pure, no kernel)."""

import nbformat
import pytest

from tic_academy.grading.explain import heading_title
from tic_academy.grading.kernel import CellRun, Execution
from tic_academy.grading.limits import Limits
from tic_academy.grading.pipeline import GradingRun, run_pipeline

KALI = "def kali(a, b):\n    ### BEGIN SOLUTION\n    return a * b\n    ### END SOLUTION\n"


def two_tasks(nbf):
    """Two independent tasks, each with a heading, an answer cell and a test cell."""
    return nbf.notebook(
        nbf.markdown_cell("# Latihan\n\n## Tugas 1 — Penjumlahan (2 poin)\nTulis `tambah`.", "intro-1", locked=True),
        nbf.answer_cell(),
        nbf.test_cell("assert tambah(1, 2) == 3", "uji-tambah", points=2),
        nbf.markdown_cell("## Tugas 2 — Retribusi sampah (3 poin)\nTulis `kali`.", "intro-2", locked=True),
        nbf.answer_cell(KALI, "jawaban-kali"),
        nbf.test_cell("assert kali(2, 3) == 6", "uji-kali", points=3),
    )


def grade(nb, answers, runs):
    """Grade with a fake executor that reports the given CellRuns (index -> (status, ename, evalue))."""

    def executor(notebook, indexes, limits):
        """Report the prepared outcome of each cell."""
        return Execution(runs=[CellRun(i, *runs.get(i, ("ok",))) for i in indexes])

    return run_pipeline(GradingRun(nb, answers, "submit", Limits(), None, None, executor))


def by_id(result):
    """Tests of a result by grade_id."""
    return {test.grade_id: test for test in result.tests}


def test_heading_title_drops_points():
    """Is "(3 poin)" taken off a task heading?"""
    assert heading_title("Tugas 2 — Retribusi sampah (3 poin)") == "Tugas 2 — Retribusi sampah"
    assert heading_title("Tugas 3 — Pajak (1,5 poin)") == "Tugas 3 — Pajak"
    assert heading_title("Tugas 1 — API kecamatan (5 poin: dua sel tes)") == "Tugas 1 — API kecamatan"
    assert heading_title("Tugas 4 — Pilih (a) atau (b)") == "Tugas 4 — Pilih (a) atau (b)"


def test_tests_are_named_by_their_task(nbf):
    """Does each test carry the nearest task heading above it as its title?"""
    tests = by_id(grade(two_tasks(nbf), {"jawaban": "def tambah(a, b):\n    return a + b"}, {}))
    assert tests["uji-tambah"].title == "Tugas 1 — Penjumlahan"
    assert tests["uji-kali"].title == "Tugas 2 — Retribusi sampah"


def test_title_falls_back_to_nothing_without_heading(nbf):
    """Is the title empty (shown as the grade_id) when no heading is above the test?"""
    tests = by_id(grade(nbf.notebook(nbf.answer_cell(), nbf.test_cell("assert tambah(1, 1) == 2", "uji")), {}, {}))
    assert tests["uji"].title == ""


def test_untouched_stub_says_cell_not_filled(nbf):
    """Does a test failing on an untouched answer cell say which cell is not filled, not NotImplementedError?"""
    runs = {5: ("error", "NotImplementedError", "")}
    tests = by_id(grade(two_tasks(nbf), {"jawaban": "def tambah(a, b):\n    return a + b"}, runs))
    assert tests["uji-kali"].hint == {"code": "unfilled", "cell": "jawaban-kali", "task": "Tugas 2 — Retribusi sampah"}
    assert tests["uji-tambah"].hint == {}


def test_syntax_error_names_cell_and_line(nbf):
    """Is a SyntaxError in an answer cell reported on the test that needs it, with the cell and line?"""
    answers = {"jawaban": "def tambah(a, b):\n    return a +\n"}
    runs = {1: ("error", "SyntaxError", "invalid syntax"), 2: ("error", "NameError", "name 'tambah' is not defined")}
    tests = by_id(grade(two_tasks(nbf), answers, runs))
    assert tests["uji-tambah"].hint == {"code": "syntax", "cell": "jawaban", "line": 2, "task": "Tugas 1 — Penjumlahan"}
    assert tests["uji-kali"].hint == {}


def test_name_error_from_earlier_failing_cell(nbf):
    """Does a NameError caused by an answer cell that raised say so (and name that cell)?"""
    answers = {"jawaban": "x = 1 / 0\ndef tambah(a, b):\n    return a + b"}
    runs = {1: ("error", "ZeroDivisionError", "division by zero"), 2: ("error", "NameError", "name 'tambah' is not defined")}
    tests = by_id(grade(two_tasks(nbf), answers, runs))
    assert tests["uji-tambah"].hint == {"code": "earlier_failure", "cell": "jawaban", "error": "ZeroDivisionError",
                                        "task": "Tugas 1 — Penjumlahan"}


def test_plain_wrong_answer_gets_no_hint(nbf):
    """Is an ordinary failed assertion left with its own message and no hint?"""
    answers = {"jawaban": "def tambah(a, b):\n    return a - b"}
    tests = by_id(grade(two_tasks(nbf), answers, {2: ("error", "AssertionError", "")}))
    assert tests["uji-tambah"].status == "failed" and tests["uji-tambah"].hint == {}


def test_rules_are_scored_like_tests(nbf):
    """Does a broken rule appear as a failed result rule:<id> with its points and message, counted in the score?"""
    rule = {"id": "tanpa-angka-contoh", "check": "no_literal", "values": [3], "points": 1,
            "message": {"id": "Jangan menulis hasil contoh.", "en": "Do not hard-code the example's result."}}

    def executor(notebook, indexes, limits):
        """Every cell ran fine."""
        return Execution(runs=[CellRun(i, "ok") for i in indexes])

    def graded(answer):
        answers = {"jawaban": answer, "jawaban-kali": KALI}
        run = GradingRun(two_tasks(nbf), answers, "submit", Limits(), None, None, executor, rules=[rule])
        return run_pipeline(run)

    wrong = graded("def tambah(a, b):\n    return 3")
    result = by_id(wrong)["rule:tanpa-angka-contoh"]
    assert (result.status, result.points, result.max_points) == ("failed", 0, 1)
    assert result.hint["message"]["en"] == "Do not hard-code the example's result."
    assert (wrong.score, wrong.max_score) == (5, 6)
    right = graded("def tambah(a, b):\n    return a + b")
    assert (right.score, right.max_score) == (6, 6)


def test_rules_not_checked_in_run_mode(nbf):
    """Are rules left out of a plain run (nothing is scored there)?"""
    rule = {"id": "r", "check": "forbid_import", "names": ["random"], "message": {"id": "x"}}
    run = GradingRun(two_tasks(nbf), {}, "run", Limits(), None, None, lambda nb, i, lim: Execution(), rules=[rule])
    assert run_pipeline(run).tests == []


def test_result_dict_carries_title_and_hint(nbf):
    """Do title and hint reach the JSON-ready result?"""
    data = grade(two_tasks(nbf), {}, {2: ("error", "NotImplementedError", "")}).to_dict()
    first = data["tests"][0]
    assert first["title"] == "Tugas 1 — Penjumlahan" and first["hint"]["code"] == "unfilled"
    nbformat.validate(two_tasks(nbf))


@pytest.mark.kernel
def test_hints_from_a_real_kernel(engine, nbf):
    """In a real grading, do an untouched cell, a syntax error and a cell that raised each get their hint?"""
    nb = two_tasks(nbf)
    untouched = by_id(engine.grade(nb, {}))
    assert untouched["uji-tambah"].hint["code"] == "unfilled" and untouched["uji-kali"].hint["code"] == "unfilled"
    broken = by_id(engine.grade(nb, {"jawaban": "def tambah(a, b):\n    return a +", "jawaban-kali": KALI}))
    assert broken["uji-tambah"].hint == {"code": "syntax", "cell": "jawaban", "line": 2, "task": "Tugas 1 — Penjumlahan"}
    assert broken["uji-kali"].status == "passed" and broken["uji-kali"].title == "Tugas 2 — Retribusi sampah"
    raised = by_id(engine.grade(nb, {"jawaban": "x = 1 / 0\ndef tambah(a, b):\n    return a + b", "jawaban-kali": KALI}))
    assert raised["uji-tambah"].hint["code"] == "earlier_failure"
    assert raised["uji-tambah"].hint["error"] == "ZeroDivisionError"


def test_refused_grading_gets_no_hint(nbf):
    """Is a test that never ran (here: a forbidden import refused the grading) left without a hint?"""
    run = GradingRun(two_tasks(nbf), {"jawaban": "import socket"}, "submit", Limits(), ["math"], None,
                     lambda nb, i, lim: Execution())
    assert [test.hint for test in run_pipeline(run).tests] == [{}, {}]


def test_rule_on_an_untouched_cell_earns_nothing(nbf):
    """Does a forbidding rule earn nothing while its answer cell still holds the stub (nothing written)?"""
    rule = {"id": "tanpa-random", "check": "forbid_import", "names": ["random"], "points": 1, "message": {"id": "x"}}
    run = GradingRun(two_tasks(nbf), {}, "submit", Limits(), None, None,
                     lambda nb, indexes, limits: Execution(runs=[CellRun(i, "ok") for i in indexes]), rules=[rule])
    result = by_id(run_pipeline(run))["rule:tanpa-random"]
    assert (result.status, result.points) == ("failed", 0)
    assert result.hint["unfilled"] == "jawaban"


def test_rules_of_a_refused_grading_are_not_run(nbf):
    """When a forbidden import refuses the grading, are the rules not run, with no points and no message?"""
    rule = {"id": "r", "check": "forbid_import", "names": ["random"], "points": 1, "message": {"id": "Tanpa random."}}
    run = GradingRun(two_tasks(nbf), {"jawaban": "import socket"}, "submit", Limits(), ["math"], None,
                     lambda nb, i, lim: Execution(), rules=[rule])
    result = by_id(run_pipeline(run))["rule:r"]
    assert (result.status, result.points, result.message) == ("not_run", 0, None)
