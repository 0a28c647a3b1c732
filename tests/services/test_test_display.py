"""How test results are shown: task titles, and hints worded in the reader's language (not stored sentences)."""
from flask_babel import force_locale

from tic_academy.services.test_display import shown_test


def shown(app, test, locale="id"):
    """shown_test in a request of the given locale."""
    with app.test_request_context(), force_locale(locale):
        return shown_test(test)


def result(**values):
    """A grading result's test, as JSON data."""
    return {"grade_id": "uji-kali", "status": "error", "points": 0, "max_points": 3,
            "message": "NotImplementedError: ", "title": "Tugas 2 — Retribusi sampah", "hint": {}, **values}


def test_title_and_plain_message(app):
    """Is a test shown by its task title with its own message when there is no hint?"""
    test = shown(app, result(status="failed", message="hasil harus 6"))
    assert (test["title"], test["message"]) == ("Tugas 2 — Retribusi sampah", "hasil harus 6")
    assert shown(app, result(title=""))["title"] == "uji-kali"


def test_unfilled_cell_in_indonesian_and_english(app):
    """Does an untouched answer cell read "Sel jawaban ini belum diisi" (and in English for English readers)?"""
    hint = {"code": "unfilled", "cell": "jawaban-kali", "task": "Tugas 2 — Retribusi sampah"}
    assert shown(app, result(hint=hint))["message"] == "Sel jawaban ini belum diisi: jawaban-kali (Tugas 2 — Retribusi sampah)."
    assert shown(app, result(hint=hint), "en")["message"] == (
        "This answer cell is not filled in yet: jawaban-kali (Tugas 2 — Retribusi sampah).")


def test_syntax_and_earlier_failure(app):
    """Do a syntax error (cell and line) and a NameError from an earlier failing cell read in Indonesian?"""
    syntax = shown(app, result(hint={"code": "syntax", "cell": "jawaban", "line": 2, "task": ""}))["message"]
    assert "jawaban" in syntax and "baris 2" in syntax and "NotImplementedError" not in syntax
    earlier = shown(app, result(hint={"code": "earlier_failure", "cell": "jawaban", "error": "ZeroDivisionError"}))
    assert "sel jawaban jawaban" in earlier["message"] and "ZeroDivisionError" in earlier["message"]


def test_rule_in_the_readers_language(app):
    """Is a rule titled by its message in the reader's language, with where it was broken?"""
    hint = {"code": "rule", "rule": "r", "message": {"id": "Pakai secrets.", "en": "Use secrets."},
            "cell": "jawaban", "line": 4}
    broken = result(grade_id="rule:r", status="failed", message="Pakai secrets.", hint=hint)
    assert shown(app, broken)["title"] == "Pakai secrets."
    assert shown(app, broken, "en")["title"] == "Use secrets."
    assert shown(app, broken)["message"] == "Tidak dipatuhi di sel jawaban jawaban, baris 4."
    assert shown(app, {**broken, "status": "passed", "message": ""})["message"] == ""


def test_passed_test_shows_no_hint(app):
    """Is a hint never shown on a test that passed?"""
    hint = {"code": "unfilled", "cell": "jawaban", "task": ""}
    assert shown(app, result(status="passed", message="", hint=hint))["message"] == ""


def test_rule_on_untouched_cell_says_not_filled(app):
    """Does a rule that failed only because its cell is untouched say the cell is not filled?"""
    hint = {"code": "rule", "rule": "r", "message": {"id": "Pakai secrets."}, "cell": None, "line": None,
            "unfilled": "jawaban"}
    test = shown(app, result(grade_id="rule:r", status="failed", hint=hint))
    assert test["message"] == "Sel jawaban ini belum diisi: jawaban."


def test_rule_not_run_shows_no_explanation(app):
    """Is a rule of a refused grading shown without a "not followed" explanation?"""
    hint = {"code": "rule", "rule": "r", "message": {"id": "Pakai secrets."}, "cell": None, "line": None}
    assert shown(app, result(grade_id="rule:r", status="not_run", message="", hint=hint))["message"] == ""
