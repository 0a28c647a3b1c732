"""Answer shapes: the same code written with other names, spacing, comments or docstrings gets one hash.

The idea is Exercism's "representers": normalise each answer, then answers with
the same normal form are one *shape*, and a mentor's comment on one shape serves
every answer of that shape.

How an answer is normalised (the code is parsed with ``ast``, never run):

1. IPython ``%``/``!`` lines are blanked; each answer cell is parsed. A cell that
   does not parse gives the whole answer no shape (``None``).
2. Docstrings and other bare text statements are dropped (an emptied block gets ``pass``).
3. Names the trainee binds are renamed ``v1, v2, ...`` in order of first
   appearance: variables, parameters, loop and comprehension variables, ``except``
   and ``with`` names, and the trainee's own functions and classes. Each function
   and comprehension is its own scope, so ``x`` in one function and ``y`` in
   another get the same placeholder when they play the same part.
4. Kept as written: builtins, names bound by an import, attributes, keyword
   argument names, names bound in a class body (they are attributes), and the
   exercise's **interface** (``interface_names``): what the tests take from the
   trainee (the function ``tambah`` the tests call keeps its name), what the
   starter code and locked cells define.
5. ``ast.unparse`` writes the result (comments and formatting are gone); the
   cells are joined in notebook order and hashed (SHA-256).

Not normalised, on purpose: ``a + b`` and ``b + a`` are different shapes
(commutativity is not applied), and so are ``x < 5`` and ``not x >= 5``. A
keyword argument naming a renamed parameter (``f(nilai=1)``) keeps its name, so
a rename there splits a shape; that only costs a missed match.

Bounded work: answers longer than ``MAX_CODE_CHARS`` get no shape, and deeply
nested code that exhausts the parser or the recursion limit gives ``None``.
"""
from __future__ import annotations

import ast
import builtins
import hashlib
from typing import Iterable, Optional

from . import pysource
from .rules import without_magics

#: Bump when the normalisation changes: stored shapes must then be computed again (`flask shapes backfill --all`).
REPRESENTER_VERSION = 1
#: Answers longer than this (all answer cells together, in characters) get no shape.
MAX_CODE_CHARS = 50_000
#: Names Python provides everywhere; never renamed.
BUILTIN_NAMES = frozenset(dir(builtins))

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_NEW_SCOPES = (*_FUNCTIONS, ast.ClassDef, *_COMPREHENSIONS)


def _parse(source: str) -> Optional[ast.Module]:
    """The syntax tree of a cell (IPython lines blanked), or None when it is not valid Python."""
    try:
        return pysource.parse(without_magics(source), top_level_await=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


# --- the interface: names the tests and the template fix ------------------------------------


def interface_names(test_sources: Iterable[str], locked_sources: Iterable[str] = (),
                    starter_sources: Iterable[str] = ()) -> frozenset[str]:
    """The names an answer must keep: what the tests read from the trainee, what locked cells and the starter define.

    From the tests: every name they read but do not bind themselves, every keyword
    argument name, and every text that is a Python name (``peserta("total")`` reads
    the trainee's ``total``). From locked cells and the starter code: the names they
    bind at the top level (``def tambah``, ``data_warga = [...]``).
    """
    loaded: set[str] = set()
    bound: set[str] = set()
    kept: set[str] = set()
    for source in test_sources:
        tree = _parse(source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
            elif isinstance(node, ast.keyword) and node.arg:
                kept.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
                kept.add(node.value)
    for source in [*locked_sources, *starter_sources]:
        tree = _parse(source)
        if tree is not None:
            kept |= _top_level_names(tree)
    return frozenset(kept | (loaded - bound))


def _top_level_names(tree: ast.Module) -> set[str]:
    """Names a module binds outside its functions and classes (their own names included)."""
    return _bound_names(tree.body)[0]


# --- which names a scope binds --------------------------------------------------------------


def _bound_names(nodes: Iterable[ast.AST]) -> tuple[set[str], set[str], set[str]]:
    """(names bound, names declared global or nonlocal, names bound by an import) directly in these nodes.

    Nested functions, classes and comprehensions are their own scopes: only their own name counts here.
    """
    bound: set[str] = set()
    declared: set[str] = set()
    imported: set[str] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            continue
        if isinstance(node, (ast.Lambda, *_COMPREHENSIONS)):
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imported.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        stack.extend(ast.iter_child_nodes(node))
    return bound, declared, imported


def _global_declarations(tree: ast.Module) -> set[str]:
    """Names any function of the answer declares ``global`` (they live in the module's scope)."""
    return {name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names}


def _imported_names(tree: ast.Module) -> set[str]:
    """Every name bound by an import anywhere in the answer (kept as written)."""
    return {(alias.asname or alias.name).split(".")[0]
            for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}


def _arguments(args: ast.arguments) -> list[ast.arg]:
    """Every parameter of a function, in the order written."""
    extra = [arg for arg in (args.vararg, args.kwarg) if arg is not None]
    return [*args.posonlyargs, *args.args, *args.kwonlyargs, *extra]


class _Scope:
    """One scope of the answer: its kind, the names it may rename, and the scope around it."""

    def __init__(self, kind: str, renamed: set[str], parent: Optional[_Scope] = None, bound: Iterable[str] = ()):
        self.kind = kind
        self.renamed = renamed
        self.parent = parent
        #: Class scopes only: the names bound in the class body (attributes, kept).
        self.bound = set(bound)


# --- renaming -------------------------------------------------------------------------------


class _Renamer:
    """Renames the trainee's own names to v1, v2, ... in order of first appearance, scope by scope."""

    def __init__(self, keep: frozenset[str], imported: set[str]):
        self.fixed = keep | BUILTIN_NAMES | imported
        self.imported = imported
        #: (scope, name) -> placeholder; holding the scope keeps it alive, so no later scope is mistaken for it.
        self.placeholders: dict[tuple[_Scope, str], str] = {}

    def new_name(self, scope: _Scope, name: str) -> str:
        """The placeholder of ``name`` as seen from ``scope``, or the name itself when it is kept."""
        owner = self.owner(scope, name)
        if owner is None:
            return name
        key = (owner, name)
        if key not in self.placeholders:
            self.placeholders[key] = f"v{len(self.placeholders) + 1}"
        return self.placeholders[key]

    @staticmethod
    def owner(scope: _Scope, name: str) -> Optional[_Scope]:
        """The scope whose renamable name ``name`` is (Python's lookup: a class body is skipped from inside)."""
        current, innermost = scope, True
        while current is not None:
            if current.kind == "class":
                if innermost and name in current.bound:
                    return None  # a class attribute keeps its name
            elif name in current.renamed:
                return current
            current, innermost = current.parent, False
        return None

    def module_scope(self, tree: ast.Module) -> _Scope:
        """The module's scope: the names bound at the top level (or declared global), minus the kept ones."""
        bound, _declared, _imported = _bound_names(tree.body)
        return _Scope("module", (bound | _global_declarations(tree)) - self.fixed)

    def function_scope(self, node, parent: _Scope) -> _Scope:
        """A function's scope: its parameters and the names its body binds, minus global/nonlocal ones."""
        body = node.body if isinstance(node.body, list) else [node.body]
        bound, declared, imported = _bound_names(body)
        params = {arg.arg for arg in _arguments(node.args)}
        return _Scope("function", (params | bound) - declared - imported, parent)

    def visit(self, node: ast.AST, scope: _Scope) -> None:
        """Rename the names in ``node`` (in place), as seen from ``scope``."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.visit_function(node, scope)
        elif isinstance(node, ast.Lambda):
            self.visit_all(node.args.defaults + [d for d in node.args.kw_defaults if d is not None], scope)
            inner = self.function_scope(node, scope)
            for arg in _arguments(node.args):
                arg.arg = self.new_name(inner, arg.arg)
            self.visit(node.body, inner)
        elif isinstance(node, ast.ClassDef):
            node.name = self.new_name(scope, node.name)
            self.visit_all([*node.decorator_list, *node.bases, *node.keywords], scope)
            inner = _Scope("class", set(), scope, bound=_bound_names(node.body)[0])
            self.visit_all(node.body, inner)
        elif isinstance(node, _COMPREHENSIONS):
            self.visit_comprehension(node, scope)
        elif isinstance(node, ast.Name):
            node.id = self.new_name(scope, node.id)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            node.name = self.new_name(scope, node.name)
            self.visit_all(ast.iter_child_nodes(node), scope)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            node.rest = self.new_name(scope, node.rest)
            self.visit_all(ast.iter_child_nodes(node), scope)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            node.names = [self.new_name(scope, name) for name in node.names]
        else:
            self.visit_all(ast.iter_child_nodes(node), scope)

    def visit_all(self, nodes: Iterable[ast.AST], scope: _Scope) -> None:
        """Visit each node in turn."""
        for child in list(nodes):
            self.visit(child, scope)

    def visit_function(self, node, scope: _Scope) -> None:
        """A def: its name, decorators and defaults belong to the scope around it; parameters and body to its own."""
        node.name = self.new_name(scope, node.name)
        outer = [*node.decorator_list, *node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]]
        annotations = [arg.annotation for arg in _arguments(node.args) if arg.annotation is not None]
        self.visit_all(outer + annotations + ([node.returns] if node.returns else []), scope)
        inner = self.function_scope(node, scope)
        for arg in _arguments(node.args):
            arg.arg = self.new_name(inner, arg.arg)
        self.visit_all(node.body, inner)

    def visit_comprehension(self, node, scope: _Scope) -> None:
        """A comprehension: the first iterable is read outside, its loop variables are its own."""
        targets: set[str] = set()
        for generator in node.generators:
            targets |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
        inner = _Scope("comprehension", targets - self.imported, scope)
        for position, generator in enumerate(node.generators):
            self.visit(generator.iter, scope if position == 0 else inner)
            self.visit(generator.target, inner)
            self.visit_all(generator.ifs, inner)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        self.visit_all(parts, inner)


# --- docstrings ---------------------------------------------------------------------------


def _is_text_statement(node: ast.AST) -> bool:
    """Is this statement only a string (a docstring, or text used as a comment)?"""
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _drop_text_statements(tree: ast.AST) -> None:
    """Remove docstrings and bare strings from every block; a block left empty gets ``pass``."""
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list) or not block or not isinstance(block[0], ast.stmt):
                continue
            kept = [statement for statement in block if not _is_text_statement(statement)]
            if not kept and not isinstance(node, ast.Module):
                kept = [ast.Pass()]
            setattr(node, field, kept)


# --- the shape ----------------------------------------------------------------------------


def normalise(cells: list[str], keep: frozenset[str] = frozenset()) -> Optional[str]:
    """The normal form of an answer's code cells (in notebook order), or None when it gets no shape.

    None: a cell does not parse, the code is longer than ``MAX_CODE_CHARS``, or it is nested too deeply.
    """
    if sum(len(cell) for cell in cells) > MAX_CODE_CHARS:
        return None
    trees = [_parse(cell) for cell in cells]
    if any(tree is None for tree in trees):
        return None
    try:
        for tree in trees:
            _drop_text_statements(tree)
        # The cells share one namespace, as in the notebook: rename over all of them together.
        whole = ast.Module(body=[statement for tree in trees for statement in tree.body], type_ignores=[])
        renamer = _Renamer(keep, _imported_names(whole))
        scope = renamer.module_scope(whole)
        for tree in trees:
            renamer.visit_all(tree.body, scope)
        return "\n# --- sel berikutnya ---\n".join(ast.unparse(tree) for tree in trees)
    except (RecursionError, MemoryError):
        return None


def shape_hash(cells: list[str], keep: frozenset[str] = frozenset()) -> Optional[str]:
    """The shape of an answer: the SHA-256 (hex) of its normal form, or None when it gets none."""
    text = normalise(cells, keep)
    if text is None:
        return None
    return hashlib.sha256(f"representer {REPRESENTER_VERSION}\n{text}".encode("utf-8")).hexdigest()
