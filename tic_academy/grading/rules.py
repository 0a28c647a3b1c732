"""Rules: static checks of an exercise on the trainee's answer cells (read as AST, never run).

A rule is plain data, as in the track file::

    {"id": "pakai-compare-digest", "check": "require_call", "names": ["hmac.compare_digest"],
     "cells": ["jawaban-verifikasi"], "points": 1,
     "message": {"id": "Bandingkan token dengan hmac.compare_digest.", "en": "..."}}

Checks: ``require_call`` / ``forbid_call`` (dotted names after resolving ``import x as y`` and
``from x import y``), ``forbid_import`` (modules), ``sql_parameters`` (no f-string, ``%``,
``.format()`` or ``+`` building the SQL given to ``execute``) and ``no_literal`` (values).
"""

from __future__ import annotations

import ast

from . import pysource
from dataclasses import dataclass

CHECKS = ("require_call", "forbid_call", "forbid_import", "sql_parameters", "no_literal")
SQL_METHODS = ("execute", "executemany", "executescript")


@dataclass(frozen=True)
class RuleOutcome:
    """The verdict of one rule: passed or not, and where it was broken (cell grade_id, line)."""

    rule: dict
    passed: bool
    cell: str | None = None
    line: int | None = None


def without_magics(source: str) -> str:
    """A cell's code with IPython ``%``/``!`` lines blanked (line numbers stay the same)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def parse_cell(source: str) -> ast.Module | None:
    """Parse a code cell (IPython lines blanked); None when it is not valid Python."""
    try:
        return pysource.parse(without_magics(source))
    except (SyntaxError, ValueError):
        return None


def import_aliases(trees: list[ast.Module]) -> dict[str, str]:
    """Map each name bound by an import to the dotted name it stands for."""
    aliases: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        aliases[alias.asname] = alias.name
                    else:
                        first = alias.name.split(".")[0]
                        aliases[first] = first
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted_name(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """Return ``a.b.c`` for a name or attribute chain, its first part resolved through the imports."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def _references(tree: ast.Module, aliases: dict[str, str]):
    """Yield (dotted name, line, is_call) for every call and every name/attribute read."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = dotted_name(node.func, aliases)
            if name:
                yield name, node.lineno, True
        elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            name = dotted_name(node, aliases)
            if name:
                yield name, node.lineno, False


def _imported_modules(tree: ast.Module):
    """Yield (module, line) for every import, ``__import__("x")`` and ``importlib.import_module("x")``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, node.lineno
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in ("__import__", "import_module") and isinstance(node.args[0].value, str):
                yield node.args[0].value, node.lineno


def _is_built_string(node: ast.AST) -> bool:
    """Is this expression a string built from values: f-string, ``%``, ``+`` or ``.format()``?"""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format")


def _built_names(tree: ast.Module) -> set[str]:
    """Names assigned a built string anywhere in the cell (or grown with ``+=``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_built_string(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and node.value is not None and _is_built_string(node.value):
            if isinstance(node.target, ast.Name):
                names.add(node.target.id)
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Mod)):
            if isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names


def _sql_built(tree: ast.Module):
    """Yield the line of every execute/executemany/executescript call whose SQL is built from values."""
    built = _built_names(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_METHODS):
            continue
        sql = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg in ("sql", "sql_script")), None)
        if sql is None:
            continue
        if _is_built_string(sql) or (isinstance(sql, ast.Name) and sql.id in built):
            yield node.lineno


def _literal_value(node: ast.AST):
    """Return (True, value) for a constant, including a negative number; else (False, None)."""
    if isinstance(node, ast.Constant):
        return True, node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float))
            and not isinstance(node.operand.value, bool)):
        return True, -node.operand.value
    return False, None


def _same_literal(found, wanted) -> bool:
    """Equal values of the same kind (1 is not True; 4500000 equals 4500000.0)."""
    if isinstance(found, bool) or isinstance(wanted, bool):
        return type(found) is type(wanted) and found == wanted
    numbers = (int, float)
    if isinstance(found, numbers) and isinstance(wanted, numbers):
        return found == wanted
    return type(found) is type(wanted) and found == wanted


def _literals(tree: ast.Module, values: list):
    """Yield the line of every literal equal to one of ``values``."""
    # The 5 of a -5 is judged as part of the negative number, not on its own.
    operands = {id(node.operand) for node in ast.walk(tree)
                if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)}
    for node in ast.walk(tree):
        if id(node) in operands:
            continue
        ok, value = _literal_value(node)
        if ok and any(_same_literal(value, wanted) for wanted in values):
            yield node.lineno


def _matches(name: str, wanted: str) -> bool:
    """Is ``name`` the wanted dotted name or something inside it (``random`` covers ``random.choice``)?"""
    return name == wanted or name.startswith(wanted + ".")


def _first_violation(rule: dict, trees: list[tuple[str, ast.Module]], aliases: dict[str, str]):
    """Return (cell, line) of the first place breaking a forbidding rule, or None."""
    check, names = rule["check"], rule.get("names") or []
    for gid, tree in trees:
        if check == "forbid_call":
            lines = (line for name, line, _ in _references(tree, aliases) if any(_matches(name, w) for w in names))
        elif check == "forbid_import":
            lines = (line for module, line in _imported_modules(tree) if any(_matches(module, w) for w in names))
        elif check == "sql_parameters":
            lines = _sql_built(tree)
        else:
            lines = _literals(tree, rule.get("values") or [])
        line = next(iter(lines), None)
        if line is not None:
            return gid, line
    return None


def check_rule(rule: dict, answers: list[tuple[str, str]], context: list[str] = ()) -> RuleOutcome:
    """Check one rule on the answer cells ``[(grade_id, source)]``; ``context`` is other code (for imports)."""
    if rule.get("check") not in CHECKS:
        raise ValueError(f"unknown rule check {rule.get('check')!r}")
    wanted = rule.get("cells")
    chosen = [(gid, source) for gid, source in answers if not wanted or gid in wanted]
    trees = []
    for gid, source in chosen:
        tree = parse_cell(source)
        if tree is None:
            # Code that is not Python cannot be shown to follow the rule.
            return RuleOutcome(rule, False, gid, None)
        trees.append((gid, tree))
    context_trees = [tree for tree in map(parse_cell, context) if tree is not None]
    aliases = import_aliases(context_trees + [tree for _, tree in trees])
    if rule["check"] == "require_call":
        names = rule.get("names") or []
        for gid, tree in trees:
            if any(call and any(_matches(name, w) for w in names) for name, _, call in _references(tree, aliases)):
                return RuleOutcome(rule, True)
        return RuleOutcome(rule, False)
    violation = _first_violation(rule, trees, aliases)
    if violation:
        return RuleOutcome(rule, False, *violation)
    return RuleOutcome(rule, True)


def check_rules(rules: list[dict], answers: list[tuple[str, str]], context: list[str] = ()) -> list[RuleOutcome]:
    """Check every rule of an exercise, in order."""
    return [check_rule(rule, answers, context) for rule in rules]
