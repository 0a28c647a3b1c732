"""Integrity checks of answer cells before they run."""

import pytest

from tic_academy.grading.integrity import ImportNotAllowed, check_answers, check_cell


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
        ("!ls /", "magic"),
        ("%time x = 1", "magic"),
        ("import IPython", "kernel_internals"),
    ],
)
def test_grader_reaching_code_is_flagged(source, code):
    """Is code that reaches into the grader flagged with the right code?"""
    assert code in _codes(source)


def test_flag_records_cell_line_and_indonesian_message():
    """Does a flag say which cell and line, in Indonesian?"""
    flags = check_answers([("jawaban", "x = 1\nimport ctypes")])
    assert [(f.code, f.grade_id, f.line) for f in flags] == [("ctypes", "jawaban", 2)]
    assert "memori" in flags[0].message


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
    """Is an import outside the allowed list rejected with a clear Indonesian message?"""
    with pytest.raises(ImportNotAllowed, match=r"Sel 'jawaban' baris 2: impor 'socket' tidak diizinkan.*math, pandas"):
        check_cell("jawaban", "import math\nimport socket", allowed_imports=["pandas", "math"])


def test_allowed_imports_accept_listed_modules_and_submodules():
    """Are allowed modules accepted, including their submodules?"""
    assert check_cell("j", "import pandas.api\nfrom math import pi", allowed_imports=["pandas", "math"]) == []


def test_allowed_imports_reject_from_imports_and_magics():
    """Are `from x import y` of other modules and shell escapes rejected when imports are restricted?"""
    with pytest.raises(ImportNotAllowed, match="'os'"):
        check_cell("j", "from os import path", allowed_imports=[])
    with pytest.raises(ImportNotAllowed, match="magic"):
        check_cell("j", "!pip install requests", allowed_imports=["math"])
