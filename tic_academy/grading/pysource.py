"""Parsing Python source safely from several threads at once.

CPython 3.11 turns its internal syntax tree into `ast` objects using interpreter-wide state, so two
threads parsing at the same moment can fail with "AST constructor recursion depth mismatch" (seen in
validate's parallel gradings; the web app's Run/Check threads parse answers too). Every parse of
trainee or exercise code in this package goes through `parse`, under one lock.
"""

from __future__ import annotations

import ast
import threading

_lock = threading.Lock()


def parse(source: str, top_level_await: bool = False) -> ast.Module:
    """Return the syntax tree of source (raises SyntaxError/ValueError like ast.parse)."""
    flags = ast.PyCF_ONLY_AST | (ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if top_level_await else 0)
    with _lock:
        return compile(source, "<jawaban>", "exec", flags=flags, dont_inherit=True)


def literal(text: str):
    """Return the Python literal written in text (like ast.literal_eval, parsed under the same lock)."""
    with _lock:
        tree = compile(text, "<literal>", "eval", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    return ast.literal_eval(tree)
