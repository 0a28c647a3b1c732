"""Rules: static checks on answer cells, read as AST (no kernel)."""

import pytest

from tic_academy.grading.rules import check_rule


def verdict(check, source, context=(), **rule):
    """Does one answer cell ``source`` pass a rule of this check?"""
    rule = {"id": "aturan", "check": check, "points": 1, **rule}
    return check_rule(rule, [("jawaban", source)], list(context)).passed


def test_require_call_resolves_import_aliases():
    """Does require_call find hmac.compare_digest however it was imported, and miss ==?"""
    names = ["hmac.compare_digest"]
    assert verdict("require_call", "import hmac\nok = hmac.compare_digest(a, b)", names=names)
    assert verdict("require_call", "from hmac import compare_digest as cd\nok = cd(a, b)", names=names)
    assert verdict("require_call", "import hmac as h\nok = h.compare_digest(a, b)", names=names)
    assert not verdict("require_call", "ok = a == b", names=names)


def test_require_call_sees_imports_of_locked_cells():
    """Is an alias imported in a locked cell (context) resolved too?"""
    assert verdict("require_call", "t = s.token_urlsafe(16)", context=["import secrets as s"],
                   names=["secrets.token_urlsafe"])


def test_forbid_call_and_forbid_import():
    """Are random.choice (also as an alias) and `import random` caught, secrets not?"""
    assert not verdict("forbid_call", "from random import choice as c\nx = c('ab')", names=["random.choice"])
    assert not verdict("forbid_call", "import random\nf = random.choice", names=["random"])
    assert verdict("forbid_call", "import secrets\nx = secrets.choice('ab')", names=["random"])
    assert not verdict("forbid_import", "import random", names=["random"])
    assert not verdict("forbid_import", "from random import randint", names=["random"])
    assert not verdict("forbid_import", "r = __import__('random')", names=["random"])
    assert verdict("forbid_import", "import secrets", names=["random"])


@pytest.mark.parametrize("source", [
    'conn.execute(f"SELECT * FROM t WHERE nama = \'{nama}\'")',
    'conn.execute("SELECT * FROM t WHERE nama = \'%s\'" % nama)',
    'conn.execute("SELECT * FROM t WHERE nama = \'{}\'".format(nama))',
    'conn.execute("SELECT * FROM t WHERE nama = \'" + nama + "\'")',
    'q = f"SELECT * FROM t WHERE id = {i}"\nconn.execute(q)',
    'q = "SELECT * FROM t"\nq += " WHERE id = " + str(i)\ncur.executemany(q, [])',
])
def test_sql_built_from_values_is_refused(source):
    """Is SQL built with an f-string, %, .format() or + (directly or via a variable) refused?"""
    assert not verdict("sql_parameters", source)


def test_sql_with_parameters_passes():
    """Do ? parameters, a constant f-string and a plain variable pass?"""
    assert verdict("sql_parameters", 'conn.execute("SELECT * FROM t WHERE nama = ?", (nama,))')
    assert verdict("sql_parameters", 'q = "SELECT 1"\nconn.execute(q)\nconn.execute(f"SELECT 2")')


def test_no_literal():
    """Are the example's values caught as literals, with 1 not mistaken for True?"""
    values = [4500000, "Pamulang", True]
    assert not verdict("no_literal", "return 4500000.0", values=values)
    assert not verdict("no_literal", "kota = 'Pamulang'", values=values)
    assert verdict("no_literal", "x = 1\nkota = 'Pamulang Barat'", values=values)
    assert not verdict("no_literal", "x = -5", values=[-5])


def test_rule_limited_to_cells_and_unparsable_cell_fails():
    """Does `cells` choose the cells checked, and does code that is not Python fail the rule?"""
    rule = {"id": "r", "check": "forbid_import", "names": ["random"], "cells": ["jawaban-b"]}
    answers = [("jawaban-a", "import random"), ("jawaban-b", "import secrets")]
    assert check_rule(rule, answers).passed
    outcome = check_rule({**rule, "cells": None}, answers)
    assert (outcome.passed, outcome.cell, outcome.line) == (False, "jawaban-a", 1)
    assert not check_rule({"id": "r", "check": "forbid_import", "names": ["x"]}, [("a", "def (")]).passed
