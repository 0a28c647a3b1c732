"""Integrity checks of answer cells before they run."""

from pathlib import Path

import nbformat
import pytest
import yaml

from tic_academy.grading import integrity, make_trainee_version
from tic_academy.grading.integrity import ImportNotAllowed, check_answers, check_cell
from tic_academy.grading.notebook import grade_id, is_answer

ROOT = Path(__file__).resolve().parents[2]


def _codes(source):
    """Return the flag codes of one answer cell."""
    return {flag.code for flag in check_cell("jawaban", source)}


@pytest.mark.parametrize(
    "source, code",
    [
        ("ip = get_ipython()", "get_ipython"),
        ("get_ipython().input_transformers_cleanup.append(f)", "input_transformer"),
        ("import sys\nsys.settrace(f)", "trace_hook"),
        ("import sys\nsys.setprofile(f)", "trace_hook"),
        ("import builtins\nbuiltins.print = None", "builtins"),
        ("__builtins__['len'] = f", "builtins"),
        ("import sys\nsys.modules['math'] = None", "sys_modules"),
        ("import inspect", "frame_inspection"),
        ("import sys\nf = sys._getframe(1).f_back.f_globals", "frame_inspection"),
        ("import os\nos._exit(0)", "os_exit"),
        ("from os import _exit", "os_exit"),
        ("import ctypes", "ctypes"),
        ("import gc", "gc"),
        ("import importlib", "importlib"),
        ("exec('x = 1')", "dynamic_code"),
        ("eval('1')", "dynamic_code"),
        ("compile('1', 'f', 'eval')", "dynamic_code"),
        ("__import__('os')", "dynamic_code"),
        ("!ls /", "shell"),
        ("%time x = 1", "magic"),
        ("import IPython", "kernel_internals"),
    ],
)
def test_grader_reaching_code_is_flagged(source, code):
    """Is code that reaches into the grader flagged with the right code?"""
    assert code in _codes(source)


def test_flag_records_cell_line_and_what_was_found():
    """Does a flag say which cell and line, and what was found as a message code (worded when shown)?"""
    flags = check_answers([("jawaban", "x = 1\nimport ctypes")])
    assert [(f.code, f.grade_id, f.line) for f in flags] == [("ctypes", "jawaban", 2)]
    assert flags[0].message == {"code": "flag_import", "params": {"name": "ctypes"}}


def test_flag_inside_a_magic_names_the_magic():
    """Is a finding in the code a %%time cell runs recorded with the magic it was found in?"""
    flags = check_answers([("jawaban", "%%time\nimport gc")])
    assert {"code": "flag_import", "params": {"inside": "%time", "name": "gc"}} in [f.message for f in flags]


def test_getattr_with_a_plain_name_is_not_flagged():
    """Is `getattr(obj, "nama")` with a literal, harmless name left alone?"""
    assert _codes('import math\nx = getattr(math, "pi", 3.14)') == set()


def test_plain_answer_has_no_flags():
    """Does an ordinary answer produce no flags?"""
    assert _codes("import math\ndef luas(r):\n    return math.pi * r ** 2") == set()


def test_methods_named_like_builtins_are_not_flagged():
    """Are `re.compile` and `DataFrame.eval` left alone while bare `eval` is flagged?"""
    assert _codes("import re\nimport pandas as pd\nre.compile('a')\npd.DataFrame().eval('1')") == set()


def test_syntax_error_gives_no_flags():
    """Is a cell that does not parse left for the kernel to report?"""
    assert _codes("def f(:\n    exec('x')") == set()


def test_magic_lines_do_not_hide_the_rest():
    """Are Python lines after a magic line still checked?"""
    assert _codes("%matplotlib inline\nimport gc") == {"magic", "gc"}


def test_allowed_imports_reject_other_imports():
    """Is an import outside the allowed list rejected with a message saying where, what and what is allowed?"""
    with pytest.raises(ImportNotAllowed) as refusal:
        check_cell("jawaban", "import math\nimport socket", allowed_imports=["pandas", "math"])
    assert refusal.value.message == {"code": "import_not_allowed",
                                     "params": {"cell": "jawaban", "line": 2, "name": "socket", "allowed": "math, pandas"}}


def test_allowed_imports_accept_listed_modules_and_submodules():
    """Are allowed modules accepted, including their submodules?"""
    assert check_cell("j", "import pandas.api\nfrom math import pi", allowed_imports=["pandas", "math"]) == []


def test_allowed_imports_reject_from_imports_and_magics():
    """Are `from x import y` of other modules and shell escapes rejected when imports are restricted?"""
    with pytest.raises(ImportNotAllowed, match="'os'"):
        check_cell("j", "from os import path", allowed_imports=[])
    with pytest.raises(ImportNotAllowed, match="magic"):
        check_cell("j", "!pip install requests", allowed_imports=["math"])


# --- the attacks of issue 11 -----------------------------------------------------------------

#: The generic snippet of issue 11: wraps the kernel's do_execute so every reply says "ok",
#: reaching the kernel through a string-built name so no literal name appears.
ALWAYS_OK = """\
ip = globals()["get_" + "ipython"]()
kernel = ip.kernel
original = getattr(kernel, "do_" + "execute")
async def always_ok(*args, **kwargs):
    reply = await original(*args, **kwargs)
    return {**reply, "status": "ok"}
setattr(kernel, "do_" + "execute", always_ok)
"""

DROP_ASSERTS = """\
import ast
class DropAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return None
shell = vars()["get_ipy" + "thon"]()
shell.ast_transformers.append(DropAsserts())
"""

TESTS_TO_PASS = """\
def to_pass(lines):
    return ["pass\\n"]
ip = locals()["get_" + "ipython"]()
ip.input_transformers_cleanup.append(to_pass)
"""


@pytest.mark.parametrize("source, codes", [
    (ALWAYS_OK, {"dynamic_access", "get_ipython", "kernel_internals"}),
    (DROP_ASSERTS, {"dynamic_access", "get_ipython", "input_transformer"}),
    (TESTS_TO_PASS, {"dynamic_access", "get_ipython", "input_transformer"}),
])
def test_issue_attacks_are_flagged_and_held(source, codes):
    """Are the issue's string-built get_ipython, ast_transformers and input_transformers_cleanup attacks
    flagged, with flags that hold the score?"""
    flags = check_cell("jawaban", source)
    assert codes <= {flag.code for flag in flags}
    assert integrity.needs_hold(flags)


def test_magic_line_no_longer_hides_the_rest_of_the_cell():
    """Does `_ = %who_ls` (the line that made the check give up) leave the cell's imports checked?"""
    codes = _codes("_ = %who_ls\nimport os, ctypes, builtins")
    assert {"magic_unsafe", "ctypes", "builtins"} <= codes


def test_magic_line_does_not_let_imports_past_an_empty_allowed_list():
    """Is `import os, ctypes, builtins` after `_ = %who_ls` refused when no import is allowed?"""
    with pytest.raises(ImportNotAllowed) as refusal:
        check_cell("jawaban", "_ = %who_ls\nimport os, ctypes, builtins", allowed_imports=[])
    assert refusal.value.message["params"] == {"cell": "jawaban", "line": 2, "name": "os", "allowed": ""}


def test_assigned_shell_escape_is_refused_when_imports_are_restricted():
    """Is `x = !ls` (not at the start of the line) refused as a shell escape under allowed_imports?"""
    with pytest.raises(ImportNotAllowed) as refusal:
        check_cell("jawaban", "y = 1\nx = !ls /", allowed_imports=["math"])
    assert refusal.value.message == {"code": "magic_not_allowed", "params": {"cell": "jawaban", "line": 2}}


@pytest.mark.parametrize("source, code", [
    ('getattr(f, "__glo" + "bals__")', "frame_inspection"),
    ("getattr(f, nama)", "dynamic_access"),
    ("setattr(obj, nama, nilai)", "dynamic_access"),
    ('globals()["x"] = 1', "dynamic_access"),
    ("vars()", "dynamic_access"),
    ("from operator import attrgetter\nattrgetter(nama)(obj)", "dynamic_access"),
    ("object.__getattribute__(obj, nama)", "dynamic_access"),
    ("import __main__", "dynamic_access"),
    ('x = f"{\'get_\'}ipython"', "get_ipython"),
    ("import sys as s\ns.modules['math'] = None", "sys_modules"),
    ("from __future__ import barry_as_FLUFL", "future_flag"),
    ("%run lain.py", "magic_unsafe"),
    ("%%bash\nls /", "magic_unsafe"),
    ("x = 1\n%time import gc", "gc"),
    ("%%time\nimport ctypes", "ctypes"),
    ("hasil = await sesuatu()\nimport ctypes", "ctypes"),
    ('ambil = getattr\nambil(f, "__glo" + "bals__")', "dynamic_access"),
    ("from functools import reduce\nreduce(getattr, nama_nama, f)", "dynamic_access"),
    ("from operator import attrgetter as ag\nag(nama)(f)", "dynamic_access"),
    ('import sys\nsys.__dict__["mod" + "ules"]', "dynamic_access"),
    ("import sys\nsys._current_frames()", "frame_inspection"),
    ("import _ctypes", "ctypes"),
    ('import timeit\ntimeit.timeit("g" + "et_ipython().kernel")', "get_ipython"),
    ("import timeit", "dynamic_code"),
    ("import pickle", "dynamic_code"),
    ("import marshal", "dynamic_code"),
    ("from types import FunctionType", "dynamic_code"),
    ("import cProfile", "trace_hook"),
    ("\uff47\uff45\uff54_ipython()", "get_ipython"),  # full-width letters: Python reads them as get_ipython
])
def test_dynamic_and_hidden_access_is_flagged(source, code):
    """Are string-built names, namespace mappings, aliases and code inside magics or after top-level await flagged?"""
    assert code in _codes(source)


def test_code_inside_a_cell_magic_keeps_its_line_number():
    """Does a flag inside a %%time body point at the line in the trainee's cell?"""
    flags = check_cell("jawaban", "%%time\nx = 1\nimport gc")
    assert ("gc", 3) in {(flag.code, flag.line) for flag in flags}


def test_harmless_magics_are_flagged_but_do_not_hold():
    """Are %matplotlib, %time and `?` noted without holding the score?"""
    flags = check_cell("jawaban", "%matplotlib inline\nlen?\n%time x = sum([1, 2])")
    assert {flag.code for flag in flags} == {"magic"}
    assert not integrity.needs_hold(flags)
    assert integrity.needs_hold([{"code": "shell", "grade_id": "j", "line": 1, "message": ""}])


def test_cell_ipython_cannot_transform_is_flagged_unchecked(monkeypatch):
    """Is a cell IPython's transformation fails on flagged `unchecked` rather than passed?"""
    def broken(self, cell):
        raise RuntimeError("Input transformation still changing after 500 iterations")

    monkeypatch.setattr(integrity.TransformerManager, "transform_cell", broken)
    assert _codes("x = 1") == {"unchecked"}


def test_cell_the_checker_fails_on_is_flagged_unchecked(monkeypatch):
    """Does an error inside the checker give an `unchecked` flag instead of no flags?"""
    def broken(self):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(integrity._CellChecker, "run", broken)
    flags = check_cell("jawaban", "x = 1")
    assert [flag.code for flag in flags] == ["unchecked"]
    assert integrity.needs_hold(flags)


def test_unreadable_code_inside_a_magic_is_unchecked():
    """Is code inside %timeit that plain Python cannot read flagged, since the magic may still run it?"""
    assert "unchecked" in _codes("%timeit -n1 import ctypes")


def test_magics_nested_too_deep_are_unchecked():
    """Does a tower of %time inside %time end as `unchecked`, not as passed?"""
    assert "unchecked" in _codes("%time " * 8 + "import gc")


def _answers(nb):
    """(grade_id, source) of the notebook's code answer cells."""
    return [(grade_id(c), c.source) for c in nb.cells if is_answer(c) and c.cell_type == "code"]


def _shipped_exercises():
    """(exercise id, source notebook, allowed imports) of every exercise in the shipped tracks."""
    for track in sorted((ROOT / "curricula").glob("*.yaml")):
        for stage in yaml.safe_load(track.read_text(encoding="utf-8"))["stages"]:
            for entry in stage["exercises"]:
                if entry.get("kind") == "project":
                    continue  # no answer cells: tests/projects checks a project's solution is unflagged
                nb = nbformat.read(ROOT / "notebooks" / entry["notebook"], as_version=4)
                yield entry["id"], nb, entry.get("allowed_imports")


SHIPPED = list(_shipped_exercises())


def test_every_shipped_exercise_is_covered():
    """Are all 58 shipped notebook exercises read by the tests below?"""
    assert len(SHIPPED) == 58


@pytest.mark.parametrize("exercise_id, nb, allowed", SHIPPED, ids=[row[0] for row in SHIPPED])
def test_model_solutions_get_no_flag(exercise_id, nb, allowed):
    """Does each shipped model solution pass the check with no flag at all (no false positives)?"""
    assert _answers(nb) and check_answers(_answers(nb), allowed) == []


@pytest.mark.parametrize("exercise_id, nb, allowed", SHIPPED, ids=[row[0] for row in SHIPPED])
def test_untouched_stubs_get_no_flag(exercise_id, nb, allowed):
    """Do the trainee version's untouched answer cells (the stubs) pass the check with no flag?"""
    stubs = _answers(make_trainee_version(nb))
    assert stubs != _answers(nb)
    assert check_answers(stubs, allowed) == []


# --- through the real engine ------------------------------------------------------------------

WHO_LS_ANSWER = "_ = %who_ls\nimport os, ctypes, builtins\ndef tambah(a, b):\n    return a + b"


@pytest.mark.kernel
def test_engine_refuses_the_magic_line_attack_before_running(engine, nbf):
    """Graded for real with no import allowed, is the `_ = %who_ls` answer refused and nothing run?"""
    result = engine.grade(nbf.exercise(), {"jawaban": WHO_LS_ANSWER}, allowed_imports=[])
    assert result.error["code"] == "import_not_allowed" and result.error["params"]["name"] == "os"
    assert result.score == 0
    assert all(cell["execution_count"] is None for cell in result.cells)


@pytest.mark.kernel
def test_engine_flags_the_magic_line_attack(engine, nbf):
    """Graded for real without an import list, does the same answer score but carry flags that hold it?"""
    result = engine.grade(nbf.exercise(), {"jawaban": WHO_LS_ANSWER})
    assert result.score == result.max_score
    assert {"magic_unsafe", "ctypes", "builtins"} <= {flag.code for flag in result.flags}
    assert integrity.needs_hold(result.flags)
