"""Validate proves strength: wrong answers (.wrong.yaml), hash seeds, names-only answers, rules."""
import os
import subprocess
import sys

import pytest
import yaml

from tests.notebook_factory import exercise_entry, exercise_notebook, track_data, write_tree
from tic_academy.curriculum.strength import names_only
from tic_academy.curriculum.validate import validate

NB = "uji/tambah.ipynb"
SIDECAR = "notebooks/uji/tambah.wrong.yaml"

WRONG_SUB = {"id": "kurang-bukan-tambah", "reason": "operasi salah: pengurangan", "targets": ["tes-tambah"],
             "answers": {"jawaban": "def tambah(a, b):\n    return a - b"}}
#: Right for the public example only: the hidden negative case catches it.
WRONG_ABS = {"id": "abs-tanpa-alasan", "reason": "batas: bilangan negatif", "targets": ["tes-tambah"],
             "answers": {"jawaban": "def tambah(a, b):\n    return abs(a) + abs(b)"}}
#: Hard-codes the public example: only tests with other values catch it.
WRONG_HARDCODED = {"id": "contoh-ditulis-langsung", "reason": "nilai contoh ditulis langsung", "targets": ["tes-tambah"],
                   "answers": {"jawaban": "def tambah(a, b):\n    return 3"}}


def tree(tmp_path, wrong=None, entry=None, **notebook):
    """One exercise, with its sidecar when ``wrong`` is given (a dict written as YAML, or raw text)."""
    entry = {**exercise_entry("tambah", NB), **(entry or {})}
    write_tree(tmp_path, track_data([entry]), {NB: exercise_notebook(**notebook)})
    if wrong is not None:
        text = wrong if isinstance(wrong, str) else yaml.safe_dump(wrong, allow_unicode=True)
        (tmp_path / SIDECAR).write_text(text)
    return tmp_path


def messages(root, engine=None, **options):
    """The problem lines of validating ``root``."""
    return [str(p) for p in validate(root, engine, **options).problems]


def test_sidecar_is_not_an_unreferenced_file(tmp_path):
    """Does a valid sidecar next to its notebook pass the structural checks (not 'unreferenced')?"""
    assert messages(tree(tmp_path, {"wrong_answers": [WRONG_SUB]})) == []


def test_sidecar_schema_errors_name_file_and_path(tmp_path):
    """Are a bad id and a missing reason reported with the sidecar file and the path inside it?"""
    bad = {"wrong_answers": [{"id": "Bukan Slug", "targets": ["tes-tambah"], "answers": {"jawaban": "x"}}]}
    found = messages(tree(tmp_path, bad))
    assert f"{SIDECAR}: wrong_answers[0].id: 'Bukan Slug' does not match '^[a-z0-9][a-z0-9-]*$'" in found
    assert f"{SIDECAR}: wrong_answers[0]: 'reason' is a required property" in found


def test_unknown_targets_and_cells_and_duplicates(tmp_path):
    """Are an unknown target, an unknown answer cell, a duplicate id and a bad name_only_ok reported?"""
    bad = {**WRONG_SUB, "targets": ["tes-hilang"], "answers": {"sel-hilang": "x = 1"}}
    found = messages(tree(tmp_path, {"wrong_answers": [bad, WRONG_SUB], "name_only_ok": ["tes-lain"]}))
    assert found == [
        f"{SIDECAR}: wrong_answers[0] kurang-bukan-tambah: target 'tes-hilang' is not a test cell (grade_id) or rule:<id> of the exercise",
        f"{SIDECAR}: wrong_answers[0] kurang-bukan-tambah: answer cell 'sel-hilang' is not an answer cell (grade_id) of the notebook",
        f"{SIDECAR}: wrong_answers[1] kurang-bukan-tambah: duplicate wrong answer id 'kurang-bukan-tambah'",
        f"{SIDECAR}: name_only_ok: 'tes-lain' is not a test cell (grade_id) of the notebook",
    ]


def test_invalid_yaml_sidecar(tmp_path):
    """Is a sidecar that is not YAML reported, not crashed on?"""
    [line] = messages(tree(tmp_path, "wrong_answers: [tidak tertutup\n"))
    assert line.startswith(f"{SIDECAR}: invalid YAML")


def test_sidecar_without_notebook(tmp_path):
    """Is a sidecar whose notebook does not exist reported?"""
    tree(tmp_path, {"wrong_answers": [WRONG_SUB]})
    (tmp_path / "notebooks/uji/yatim.wrong.yaml").write_text("wrong_answers: []\n")
    assert messages(tmp_path) == [
        "notebooks/uji/yatim.wrong.yaml: wrong answers for a notebook that does not exist: yatim.ipynb"]


def test_minimum_wrong_answers_only_when_required(tmp_path):
    """With the requirement on, are fewer than three wrong answers and a missing sidecar problems (off: fine)?"""
    tree(tmp_path, {"wrong_answers": [WRONG_SUB]})
    assert messages(tmp_path) == []
    assert messages(tmp_path, require_wrong_answers=True) == [
        f"{SIDECAR}: 1 wrong answer(s); at least 3 are required"]
    (tmp_path / SIDECAR).unlink()
    assert messages(tmp_path, require_wrong_answers=True) == [f"{SIDECAR}: no wrong answers: the file is missing"]


def test_every_test_cell_needs_a_wrong_answer_when_required(tmp_path):
    """With the requirement on, is a test cell no wrong answer targets reported?"""
    rule = {"id": "tanpa-random", "check": "forbid_import", "names": ["random"], "points": 1, "message": {"id": "x"}}
    only_rules = [{**w, "targets": ["rule:tanpa-random"]} for w in (WRONG_SUB, WRONG_ABS, WRONG_HARDCODED)]
    tree(tmp_path, {"wrong_answers": only_rules}, entry={"rules": [rule]})
    assert messages(tmp_path, require_wrong_answers=True) == [f"{SIDECAR}: no wrong answer targets test 'tes-tambah'"]


def test_cli_requires_wrong_answers_by_default(runner, tmp_path):
    """Is the requirement on for `flask curriculum validate` (the shipped track), off with the flag?"""
    tree(tmp_path, {"wrong_answers": [WRONG_SUB]})
    result = runner.invoke(args=["curriculum", "validate", "--no-execute", str(tmp_path)])
    assert result.exit_code == 1 and "at least 3 are required" in result.output
    result = runner.invoke(args=["curriculum", "validate", "--no-execute", "--allow-few-wrong-answers", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_rule_problems_in_the_track(tmp_path):
    """Are a duplicate rule id, a rule without names and a rule on a cell that is not an answer cell reported?"""
    rules = [
        {"id": "r", "check": "forbid_call", "points": 1, "message": {"id": "x"}},
        {"id": "r", "check": "no_literal", "values": [3], "cells": ["tes-tambah"], "points": 1, "message": {"id": "x"}},
    ]
    found = messages(tree(tmp_path, entry={"rules": rules}))
    assert found == [
        "curricula/jalur-uji.yaml: stages[0].exercises[0].rules[0]: a forbid_call rule needs names",
        "curricula/jalur-uji.yaml: stages[0].exercises[0].rules[1].id: duplicate rule id 'r'",
        "notebooks/uji/tambah.ipynb: rule r: cell 'tes-tambah' is not a code answer cell of the notebook",
    ]


def test_names_only_version():
    """Does the names-only version keep imports and names but no behaviour?"""
    source = (
        "import math\nTARIF = 10\n\ndef hitung(x):\n    return x * TARIF\n\n"
        "class Kasir:\n    def __init__(self, nama):\n        self.nama = nama\n    def bayar(self, n):\n        return n\n"
        "for i in range(3):\n    total = i\n"
    )
    assert names_only(source) == (
        "import math\nTARIF = None\ndef hitung(*a, **k):\n    return None\n"
        "class Kasir:\n    def __init__(self, *a, **k):\n        pass\n    def bayar(self, *a, **k):\n        return None\n"
        "i = None\ntotal = None\n"
    )


# --- proof by execution --------------------------------------------------------------------------


@pytest.mark.kernel
def test_caught_wrong_answers_pass(tmp_path, engine):
    """Do wrong answers that the tests catch leave no problem?"""
    assert messages(tree(tmp_path, {"wrong_answers": [WRONG_SUB, WRONG_ABS, WRONG_HARDCODED]}), engine) == []


@pytest.mark.kernel
def test_wrong_answer_not_caught_is_named(tmp_path, engine):
    """Is a wrong answer that still earns full points reported with the file, its id and its reason?"""
    weak = tree(tmp_path, {"wrong_answers": [WRONG_SUB, WRONG_ABS]}, hidden="assert tambah(2, 2) == 4, 'dua'")
    report = validate(weak, engine)
    assert [str(p) for p in report.problems] == [
        f"{SIDECAR}: wrong answer abs-tanpa-alasan: not caught: tes-tambah still earn full points "
        "(hash seed 0, 1); reason: batas: bilangan negatif"
    ]
    assert (report.wrong_answers, report.not_caught) == (2, 1)


def set_order(seed: int, items) -> list:
    """list(set(items)) in a Python started with PYTHONHASHSEED=seed."""
    code = f"print(list(set({list(items)!r})))"
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return eval(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout)


@pytest.mark.kernel
def test_order_dependent_test_is_reported(tmp_path, engine):
    """Is a test whose result depends on set order reported as 'hasil bergantung pada urutan hash'?"""
    items = ["apel", "jeruk", "mangga", "salak", "duku", "rambutan", "durian", "nanas"]
    assert set_order(0, items) != set_order(1, items)
    nb = exercise_notebook(
        solution=f"    return list(set({items!r})) and a + b",
        public=f"assert list(set({items!r})) == {set_order(0, items)!r}\nassert tambah(1, 2) == 3",
    )
    write_tree(tmp_path, track_data([exercise_entry("tambah", NB)]), {NB: nb})
    found = messages(tmp_path, engine)
    assert found == [
        "notebooks/uji/tambah.ipynb: test tes-tambah: hasil bergantung pada urutan hash (results depend on hash order) "
        "for the solution: seed 0: passed, seed 1: failed"
    ]


@pytest.mark.kernel
def test_names_only_test_is_reported_unless_allowed(tmp_path, engine):
    """Is a test that only checks that a name exists reported, and accepted when listed in name_only_ok?"""
    tree(tmp_path, {"wrong_answers": [WRONG_SUB]}, public="assert callable(tambah)",
         hidden="assert tambah.__name__ == 'tambah'")
    found = messages(tmp_path, engine)
    assert any("test tes-tambah: passes when the answer cells only define the right names" in line for line in found)
    assert any("wrong answer kurang-bukan-tambah: not caught" in line for line in found)
    (tmp_path / SIDECAR).write_text(yaml.safe_dump({"wrong_answers": [], "name_only_ok": ["tes-tambah"]}))
    assert not any("only define the right names" in line for line in messages(tmp_path, engine))


@pytest.mark.kernel
def test_rules_are_proven_on_the_solution_and_catch_wrong_answers(tmp_path, engine):
    """Is a rule that rejects the model solution reported, and is a wrong answer targeting a rule caught by it?"""
    rule = {"id": "tanpa-abs", "check": "forbid_call", "names": ["abs"], "points": 1, "message": {"id": "Tanpa abs."}}
    sneaky = {**WRONG_ABS, "id": "abs-lolos", "targets": ["rule:tanpa-abs"],
              "answers": {"jawaban": "def tambah(a, b):\n    return a + b + abs(0)"}}
    tree(tmp_path, {"wrong_answers": [sneaky]}, entry={"rules": [rule]})
    assert messages(tmp_path, engine) == []
    tree(tmp_path, {"wrong_answers": [sneaky]}, entry={"rules": [rule]}, solution="    return a + b + abs(0)")
    assert "notebooks/uji/tambah.ipynb: rule:tanpa-abs: the rule rejects the model solution" in messages(tmp_path, engine)


@pytest.mark.kernel
def test_wrong_answer_refused_for_a_forbidden_import_is_caught(tmp_path, engine):
    """Is a wrong answer whose import the exercise forbids (so it earns nothing) counted as caught?"""
    sneaky = {**WRONG_SUB, "id": "pakai-random", "answers": {"jawaban": "import random\ndef tambah(a, b):\n    return a + b"}}
    tree(tmp_path, {"wrong_answers": [sneaky]}, entry={"allowed_imports": ["math"]})
    assert messages(tmp_path, engine) == []
