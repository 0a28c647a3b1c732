"""Grading messages are codes with parameters; every code has words in English and Indonesian."""
import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tic_academy.grading.messages import CODES, HANDLE_ACTIONS, checked, message
from tic_academy.services.test_display import HANDLE_ACTION_TEXTS, MESSAGE_TEXTS, TEXTS_WITHOUT_PARAMS, missing_texts

GRADING = Path(__file__).resolve().parents[2] / "tic_academy" / "grading"
CATALOGUE = GRADING.parent / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def _written_codes() -> list[tuple[str, str, set[str]]]:
    """(file, code, parameter names) of every message grading writes: message("x", ...) and _coded(e, "x", ...)."""
    found = []
    for path in GRADING.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            position = {"message": 0, "_coded": 1}.get(name)
            if position is None or len(node.args) <= position or not isinstance(node.args[position], ast.Constant):
                continue
            found.append((path.name, node.args[position].value, {kw.arg for kw in node.keywords}))
    return found


def test_every_code_grading_writes_is_in_the_catalogue_with_its_parameters():
    """Is each code written in grading (the sandbox harness included) listed in CODES, with known parameters?"""
    written = _written_codes()
    assert {"harness.py", "kernel.py", "scoring.py", "assemble.py", "project.py", "project_tree.py"} <= {
        path for path, _code, _params in written}
    assert [(path, code, params) for path, code, params in written
            if code not in CODES or not params <= set(CODES[code])] == []


def test_every_code_has_words_in_both_catalogues():
    """Does every message code (and every handle action) have a _() text, translated in the Indonesian catalogue?"""
    assert missing_texts() == []
    assert set(HANDLE_ACTION_TEXTS) == set(HANDLE_ACTIONS)
    with CATALOGUE.open("rb") as fh:
        translated = {m.id for m in read_po(fh) if m.id and m.string and not m.fuzzy}
    words = [*MESSAGE_TEXTS.values(), *TEXTS_WITHOUT_PARAMS.values(), *HANDLE_ACTION_TEXTS.values()]
    assert sorted(text._args[0] for text in words if text._args[0] not in translated) == []


def test_every_code_is_worded_with_its_parameters_only():
    """Does each code's text name exactly its parameters (a placeholder without a parameter breaks at display)?"""
    wrong = []
    for code, text in MESSAGE_TEXTS.items():
        try:
            text._args[0] % {name: "x" for name in CODES[code]}
        except KeyError as missing:
            wrong.append((code, str(missing)))
    assert wrong == []


def test_unknown_codes_and_parameters_are_refused():
    """Is a code or parameter that is not in the catalogue a programming error, and foreign data dropped?"""
    with pytest.raises(ValueError):
        message("no_such_code")
    with pytest.raises(ValueError):
        message("timeout_cell", minutes=3)
    assert checked({"code": "timeout_cell", "params": {"seconds": 3}}) == message("timeout_cell", seconds=3)
    assert checked({"code": "timeout_cell", "params": {"seconds": [1]}}) is None
    assert checked({"code": "made_up", "params": {}}) is None
    assert checked("Batas waktu") is None
