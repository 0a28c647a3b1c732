"""How one test result is shown to people: its task title and a message in their language.

Grading stores explanations as a code and values (``TestResult.hint``, see
``grading.explain.HINT_CODES``); they are put into words here, when shown, so
the same result reads in Indonesian or English.
"""
from __future__ import annotations

from flask_babel import get_locale, gettext as _


def _field(test, name: str, default=None):
    """Read a field of a result given as a dict (grading JSON) or as a row (TestResult)."""
    if isinstance(test, dict):
        return test.get(name, default)
    return getattr(test, name, default)


def _locale() -> str:
    """The current locale ("id" when none is set)."""
    return str(get_locale() or "id")


def rule_message(hint: dict) -> str:
    """The rule's message in the reader's language, falling back to Indonesian."""
    message = hint.get("message") or {}
    return (message.get("en") if _locale() == "en" else None) or message.get("id") or hint.get("rule", "")


def hint_text(hint: dict | None) -> str:
    """Put a hint into words (empty when there is none)."""
    code = (hint or {}).get("code")
    cell, task = hint.get("cell") if hint else None, (hint or {}).get("task")
    if code == "unfilled":
        if task:
            return _("This answer cell is not filled in yet: %(cell)s (%(task)s).", cell=cell, task=task)
        return _("This answer cell is not filled in yet: %(cell)s.", cell=cell)
    if code == "syntax":
        return _("The answer cell %(cell)s has a syntax error on line %(line)s: Python cannot read it, "
                 "so this test cannot use it.", cell=cell, line=hint.get("line"))
    if code == "earlier_failure":
        return _("A name this test needs is missing because the answer cell %(cell)s stopped with an error "
                 "(%(error)s). Fix that cell first.", cell=cell, error=hint.get("error") or "?")
    if code == "rule":
        if hint.get("unfilled"):
            return hint_text({"code": "unfilled", "cell": hint["unfilled"]})
        if hint.get("line"):
            return _("Not followed in the answer cell %(cell)s, line %(line)s.", cell=cell, line=hint["line"])
        return _("Not followed in your answer cells.")
    return ""


def shown_test(test) -> dict:
    """A test result as the workspace, the submission page and the review page show it."""
    hint = _field(test, "hint") or {}
    status = _field(test, "status")
    gid = _field(test, "grade_id")
    title = rule_message(hint) if hint.get("code") == "rule" else (_field(test, "title") or gid)
    message = _field(test, "message") or ""
    if hint and status in ("failed", "error"):
        message = hint_text(hint)
    elif hint.get("code") == "rule":
        message = ""
    return {
        "grade_id": gid,
        "title": title,
        "is_rule": hint.get("code") == "rule",
        "status": status,
        "points": _field(test, "points"),
        "max_points": _field(test, "max_points"),
        "message": message,
    }
