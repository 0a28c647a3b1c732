"""A grading result reads in the viewer's language: its messages are stored as codes and worded when shown."""
import json

import nbformat
import pytest
from flask_babel import force_locale

from tic_academy.grading.integrity import check_answers
from tic_academy.grading.kernel import CellRun, Execution, _timeout
from tic_academy.grading.limits import Limits
from tic_academy.grading.pipeline import GradingRun, run_pipeline
from tic_academy.services.test_display import message_text, shown_test


def worded(app, value, locale):
    """message_text (or shown_test for a test result) in a request of the given locale."""
    with app.test_request_context(), force_locale(locale):
        return shown_test(value)["message"] if "status" in value else message_text(value)


def graded(nbf, executor, answers=None, allowed_imports=None):
    """The trainee-safe result (as the runner returns it) of grading the standard exercise with a fake kernel."""
    run = GradingRun(nbf.exercise(), answers or {}, "submit", Limits(cell_timeout_s=5), allowed_imports, None, executor)
    return json.loads(json.dumps(run_pipeline(run).to_dict()))


def test_a_timeout_reads_in_english_and_in_indonesian(app, nbf):
    """Does a public test stopped by the per-cell limit read in the viewer's language, with the limit?"""

    def executor(nb, indexes, limits):
        """The answer cell runs past the per-cell limit."""
        runs = [CellRun(index, "ok") for index in indexes if index < 2]
        stopped = CellRun(2)
        _timeout(stopped, limits, per_cell=True)
        return Execution(runs=runs + [stopped], stopped=stopped.message)

    result = graded(nbf, executor)
    test = result["tests"][0]
    assert test["message"] == {"code": "timeout_cell", "params": {"seconds": 5}}
    assert worded(app, test, "en") == "Time limit per cell (5 seconds) exceeded; the kernel was stopped."
    assert worded(app, test, "id") == "Batas waktu per sel (5 detik) terlampaui; kernel dihentikan."
    assert [worded(app, note, "en") for note in result["notes"]] == [
        "Time limit per cell (5 seconds) exceeded; the kernel was stopped."]


def test_an_error_in_a_cell_reads_in_english_and_in_indonesian(app, nbf):
    """Do a test whose setup raised and a grading refused for an import in an answer cell read in both languages?"""

    def executor(nb, indexes, limits):
        """The public test's setup part raised; the rest ran."""
        runs = [CellRun(index, "ok") for index in indexes]
        runs[indexes.index(3)] = CellRun(3, "error", "SetupError", "ValueError: x",
                                         message={"code": "setup_error", "params": {"ename": "ValueError", "evalue": "x"}})
        return Execution(runs=runs)

    test = graded(nbf, executor, {"jawaban": "def tambah(a, b):\n    return a + b"})["tests"][0]
    assert worded(app, test, "en") == "Error while preparing the test: ValueError: x"
    assert worded(app, test, "id") == "Galat saat menyiapkan uji: ValueError: x"

    refused = graded(nbf, None, {"jawaban": "import socket"}, allowed_imports=["math"])
    assert worded(app, refused["error"], "en") == (
        "Cell 'jawaban' line 1: importing 'socket' is not allowed in this exercise. Allowed modules: math.")
    assert worded(app, refused["error"], "id") == (
        "Sel 'jawaban' baris 1: impor 'socket' tidak diizinkan untuk latihan ini. Modul yang diizinkan: math.")


def test_a_handle_misuse_reads_in_english_and_in_indonesian(app):
    """Does the harness's refusal to compare a trainee's object read in the viewer's language?"""
    test = {"grade_id": "tes", "status": "error", "points": 0, "max_points": 1, "hint": {},
            "message": {"code": "handle_misuse", "params": {"action": "eq", "type": "Apa"}}}
    assert worded(app, test, "en") == (
        "The test cannot use the Apa object made by your code for comparison (==); "
        "return plain data (numbers, text, list, dict, ...).")
    assert worded(app, test, "id") == (
        "Uji tidak dapat membandingkan (==) objek Apa buatan kode Anda; kembalikan data biasa (angka, teks, list, dict, ...).")


def test_author_and_legacy_text_is_shown_as_written(app):
    """Are an assert's own message and an old stored text shown as written, in either language?"""
    for locale in ("en", "id"):
        assert worded(app, {"code": "author", "params": {"text": "hasil harus 6"}}, locale) == "hasil harus 6"
        assert worded(app, {"code": "legacy", "params": {"text": "Pesan lama."}}, locale) == "Pesan lama."
    rule = {"code": "author", "params": {"text": "Pakai secrets.", "en": "Use secrets."}}
    assert (worded(app, rule, "en"), worded(app, rule, "id")) == ("Use secrets.", "Pakai secrets.")


@pytest.mark.kernel
def test_the_sandbox_harness_sends_codes_out(app, engine, nbf):
    """Graded for real, do the harness's handle misuse and its returned-vs-expected message leave as codes?"""
    answer = "class Apa:\n    pass\ndef tambah(a, b):\n    return Apa() if a < 0 else a * b\n"
    result = engine.grade(nbf.exercise(), {"jawaban": answer})
    public, hidden = result.tests
    assert public.message == {"code": "compare", "params": {"note": "tambah(1, 2) harus 3", "left": "2", "op": "==",
                                                          "right": "3"}}
    assert worded(app, public.to_dict(), "en") == "tambah(1, 2) harus 3\nYour code's result: 2 · expected (==): 3"
    assert worded(app, public.to_dict(), "id") == "tambah(1, 2) harus 3\nHasil kode Anda: 2 · diharapkan (==): 3"
    assert hidden.message == {"code": "handle_misuse", "params": {"action": "eq", "type": "Apa"}}
    assert "kembalikan data biasa" in nbformat.writes(result.notebook)  # the cell's output keeps the harness's text


def test_an_integrity_flag_reads_in_english_and_in_indonesian(app):
    """Does a flag's detail (found inside a magic) read in the mentor's language?"""
    [flag] = [f for f in check_answers([("jawaban", "%%time\nimport gc")]) if f.code == "gc"]
    assert worded(app, flag.message, "en") == "imports gc (inside %time)"
    assert worded(app, flag.message, "id") == "mengimpor gc (di dalam %time)"
