"""Scoring and what a trainee is shown of it, as pure functions over executed cells (no kernel)."""

import json

import nbformat

from tic_academy.grading.assemble import assemble
from tic_academy.grading.explain import trainee_cells
from tic_academy.grading.kernel import CellRun, Execution
from tic_academy.grading.pipeline import GradingRun, run_pipeline
from tic_academy.grading.limits import Limits
from tic_academy.grading.messages import author, message
from tic_academy.grading.scoring import score


def _scored(nbf, runs, stopped=None):
    """Score the standard exercise's submit assembly with the given CellRuns."""
    assembly = assemble(nbf.exercise(), {}, "submit")
    return score(assembly.notebook.cells, {run.index: run for run in runs}, assembly.hidden, stopped)


def test_passing_cells_earn_their_points(nbf):
    """Does a test cell whose execution did not raise earn its points?"""
    results = _scored(nbf, [CellRun(3, "ok"), CellRun(4, "ok")])
    assert [(r.grade_id, r.status, r.points, r.max_points) for r in results] == [
        ("tes-publik", "passed", 1, 1), ("tes-tersembunyi", "passed", 2, 2)]


def test_assertion_error_is_failed_with_its_message(nbf):
    """Is an AssertionError a failure carrying its (author's) message, other errors their type and text?"""
    results = _scored(nbf, [CellRun(3, "error", "AssertionError", "tambah(1, 2) harus 3"),
                            CellRun(4, "error", "NameError", "name 'tambah' is not defined")])
    assert (results[0].status, results[0].points, results[0].message) == ("failed", 0, author("tambah(1, 2) harus 3"))
    assert (results[1].status, results[1].message) == (
        "error", message("exception", ename="NameError", evalue="name 'tambah' is not defined"))


def test_empty_assertion_gets_generic_message(nbf):
    """Does a bare assert failure still explain itself?"""
    assert _scored(nbf, [CellRun(3, "error", "AssertionError", "")])[0].message == message("test_failed")


def test_timeout_died_and_not_run(nbf):
    """Do a timeout, a dead kernel and a cell that never ran all score zero with a reason?"""
    died = message("kernel_memory")
    results = _scored(nbf, [CellRun(3, "died", "KernelDied", "kernel_memory", message=died)], stopped=died)
    assert [(r.status, r.points, r.message) for r in results] == [("error", 0, died), ("not_run", 0, died)]
    timeout = _scored(nbf, [CellRun(3, "timeout", "TimeoutError", "habis", message=message("timeout_cell"))])[0]
    assert (timeout.status, timeout.message) == ("timeout", message("timeout_cell"))
    assert _scored(nbf, [])[0].message == message("test_not_run")


def test_hidden_source_quoted_in_a_message_is_redacted(nbf):
    """Is a message that quotes a hidden test line replaced by a placeholder?"""
    results = _scored(nbf, [CellRun(4, "error", "ValueError", "leak: " + nbf.SECRET)])
    assert results[1].message == message("hidden_redacted")


def test_hidden_cell_feedback_has_no_traceback(nbf):
    """Is a hidden-test cell's error reduced to type and message, with other outputs dropped?"""
    assembly = assemble(nbf.exercise(), {}, "submit")
    cell = assembly.notebook.cells[4]
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=nbf.SECRET),
        nbformat.v4.new_output("error", ename="AssertionError", evalue="negatif", traceback=[nbf.SECRET]),
    ]
    entries = trainee_cells(assembly.notebook.cells, assembly.source_index, assembly.hidden)
    assert entries[4]["outputs"] == [{"output_type": "error", "ename": "AssertionError", "evalue": "negatif",
                                      "traceback": []}]


def test_result_never_contains_hidden_text(nbf):
    """Does the trainee-facing result of a submit grading leave out hidden test text, whatever was printed?"""

    def fake_executor(nb, indexes, limits):
        """Pretend the kernel printed the hidden source everywhere and the hidden test failed."""
        for index in indexes:
            nb.cells[index].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x")]
        nb.cells[4].outputs = [nbformat.v4.new_output(
            "error", ename="AssertionError", evalue=nbf.SECRET, traceback=["Traceback", nbf.SECRET])]
        runs = [CellRun(i, "ok") for i in indexes[:-1]] + [CellRun(4, "error", "AssertionError", nbf.SECRET)]
        return Execution(runs=runs)

    run = GradingRun(nbf.exercise(), {"jawaban": "x"}, "submit", Limits(), None, None, fake_executor)
    result = run_pipeline(run)
    text = json.dumps(result.to_dict())
    assert "RAHASIA" not in text
    assert result.score == 1 and result.max_score == 3


def test_result_ignores_printed_success_text(nbf):
    """Does printing 'passed'-looking text change nothing: only the kernel's reply status counts?"""

    def fake_executor(nb, indexes, limits):
        """The answer prints fake success output; the tests raise."""
        nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="All tests passed! 3/3")]
        runs = [CellRun(i, "ok") for i in indexes if i < 3]
        runs += [CellRun(3, "error", "AssertionError", ""), CellRun(4, "error", "AssertionError", "")]
        return Execution(runs=runs)

    result = run_pipeline(GradingRun(nbf.exercise(), {}, "submit", Limits(), None, None, fake_executor))
    assert result.score == 0


def test_forbidden_import_stops_before_execution(nbf):
    """Does a forbidden import refuse the grading before anything runs?"""

    def executor(nb, indexes, limits):
        """Fail the test if the kernel is reached."""
        raise AssertionError("executed")

    run = GradingRun(nbf.exercise(), {"jawaban": "import socket"}, "submit", Limits(), ["math"], None, executor)
    result = run_pipeline(run)
    assert result.error == message("import_not_allowed", cell="jawaban", line=1, name="socket", allowed="math")
    assert {test.status for test in result.tests} == {"not_run"} and result.score == 0
