"""Parsing Python in the orchestrator goes through one lock (CPython 3.11's AST building is not thread-safe)."""

import re
from pathlib import Path

import pytest

from tic_academy.grading import pysource

PACKAGE = Path(pysource.__file__).resolve().parents[1]
#: Direct parsing calls that would bypass the lock (code that runs inside the sandbox is exempt).
DIRECT = re.compile(r"\bast\.parse\(|\bast\.literal_eval\(|PyCF_ONLY_AST")


def test_every_parse_in_the_orchestrator_takes_the_lock():
    """Do grading and curriculum code parse only through pysource (whose lock validate's threads need)?"""
    offenders = []
    for path in list((PACKAGE / "grading").rglob("*.py")) + list((PACKAGE / "curriculum").rglob("*.py")):
        if "inside" in path.parts or path.name == "pysource.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if DIRECT.search(line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert offenders == []


def test_parse_and_literal_behave_like_ast():
    """Do parse (with top-level await when asked) and literal give what ast would, and raise the same errors?"""
    assert pysource.literal("{'a': [1, (2, 3)]}") == {"a": [1, (2, 3)]}
    assert pysource.parse("x = 1").body[0].targets[0].id == "x"
    assert pysource.parse("await f()", top_level_await=True).body
    with pytest.raises(SyntaxError):
        pysource.parse("def (")
    with pytest.raises(ValueError):
        pysource.literal("open('x')")
