"""Checking answer cells, before they run, for code that reaches into the grader.

The check reads what IPython will actually run: each cell goes through IPython's own input
transformation (magics, shell escapes and `?` become `get_ipython()...` calls) and is then parsed
with `ast`. It never gives up silently: a cell it cannot analyse gets an `unchecked` flag. Only a
plain syntax error gets no flag, because the kernel refuses to run that cell too.

Names built at run time (`globals()["get_" + "ipython"]`, `getattr(x, name)`) cannot be listed in
advance, so the dynamic access itself is flagged. Every flag except the harmless ones
(`HARMLESS_CODES`) holds the submission's score until a mentor clears it.
"""

from __future__ import annotations

import ast
import re

from . import messages, pysource
from dataclasses import asdict, dataclass

from IPython.core.inputtransformer2 import TransformerManager

#: Modules whose import lets code inspect or rewire the grader.
FLAGGED_MODULES = {
    "builtins": "builtins",
    "__main__": "dynamic_access",
    "inspect": "frame_inspection",
    "traceback": "frame_inspection",
    "linecache": "frame_inspection",
    "ctypes": "ctypes",
    "_ctypes": "ctypes",
    "gc": "gc",
    "importlib": "importlib",
    "IPython": "kernel_internals",
    "ipykernel": "kernel_internals",
    "jupyter_client": "kernel_internals",
    "zmq": "kernel_internals",
    # Modules that run code given as text or bytes, out of this check's sight.
    "marshal": "dynamic_code",
    "pickle": "dynamic_code",
    "_pickle": "dynamic_code",
    "shelve": "dynamic_code",
    "code": "dynamic_code",
    "codeop": "dynamic_code",
    "runpy": "dynamic_code",
    "timeit": "dynamic_code",
    "doctest": "dynamic_code",
    "pdb": "trace_hook",
    "bdb": "trace_hook",
    "trace": "trace_hook",
    "profile": "trace_hook",
    "cProfile": "trace_hook",
}

#: Names that are suspicious wherever they appear (bare name, attribute or string).
FLAGGED_NAMES = {
    "get_ipython": "get_ipython",
    "__builtins__": "builtins",
    "input_transformers_cleanup": "input_transformer",
    "input_transformers_post": "input_transformer",
    "input_transformer_manager": "input_transformer",
    "ast_transformers": "input_transformer",
    "do_execute": "kernel_internals",
    "user_ns": "kernel_internals",
    "user_global_ns": "kernel_internals",
    "settrace": "trace_hook",
    "setprofile": "trace_hook",
    "addaudithook": "trace_hook",
    "_getframe": "frame_inspection",
    "_current_frames": "frame_inspection",
    "f_back": "frame_inspection",
    "f_globals": "frame_inspection",
    "f_locals": "frame_inspection",
    "tb_frame": "frame_inspection",
    "gi_frame": "frame_inspection",
    "cr_frame": "frame_inspection",
    "ag_frame": "frame_inspection",
    "__globals__": "frame_inspection",
    "__subclasses__": "introspection",
    "__getattribute__": "dynamic_access",
    "__import__": "dynamic_code",
    "FunctionType": "dynamic_code",
    "CodeType": "dynamic_code",
}

#: Built-in functions flagged only as bare names: `re.compile` or `df.eval` are fine.
FLAGGED_BUILTINS = {
    "exec": "dynamic_code",
    "eval": "dynamic_code",
    "compile": "dynamic_code",
    "globals": "dynamic_access",
    "locals": "dynamic_access",
    "vars": "dynamic_access",
}

#: Functions whose second argument names an attribute: flagged unless that name is a plain string.
ATTRIBUTE_FUNCTIONS = ("getattr", "setattr", "delattr", "hasattr")
#: Functions (from `operator`) whose arguments name attributes or methods.
OPERATOR_FUNCTIONS = ("attrgetter", "methodcaller")

#: Attributes flagged only on a given module: (module, attribute).
FLAGGED_ATTRIBUTES = {
    ("sys", "modules"): "sys_modules",
    ("sys", "meta_path"): "sys_modules",
    ("sys", "excepthook"): "trace_hook",
    ("sys", "displayhook"): "trace_hook",
    ("os", "_exit"): "os_exit",
}

#: Calls IPython's transformation makes of magics and shell escapes: method -> kind.
MAGIC_METHODS = {"run_line_magic": "line", "run_cell_magic": "cell", "system": "shell", "getoutput": "shell"}
#: Line magics whose argument is Python (or an object name) that we check like a cell.
CODE_LINE_MAGICS = {"time", "timeit", "pinfo", "pinfo2"}
#: Cell magics whose body is Python that we check like a cell.
CODE_CELL_MAGICS = {"time", "timeit", "capture"}
#: Magics that only show things or time code (their code is checked): harmless.
HARMLESS_MAGICS = CODE_LINE_MAGICS | CODE_CELL_MAGICS | {"matplotlib"}
#: How deep magics inside magics are followed before the cell counts as unchecked.
MAX_MAGIC_DEPTH = 4

#: Flag codes of project exercises (grading/project_tree.scan_tree, project.score_report); they also
#: use sys_modules, os_exit, builtins and unchecked from the tables above.
PROJECT_FLAG_CODES = frozenset({"planted_config", "pytest_internals", "pytest_hook", "report_tampered"})
#: Every flag code this check gives (the mentor's review page labels each one).
FLAG_CODES = frozenset(
    code for table in (FLAGGED_MODULES, FLAGGED_NAMES, FLAGGED_BUILTINS, FLAGGED_ATTRIBUTES)
    for code in table.values()
) | {"magic", "magic_unsafe", "shell", "unchecked", "dynamic_access", "future_flag"} | PROJECT_FLAG_CODES
#: Flag codes that need no mentor: they do not hold the score.
HARMLESS_CODES = frozenset({"magic"})
#: `from __future__` features that do not change how later cells are read.
HARMLESS_FUTURES = {"annotations", "division", "absolute_import", "print_function", "generator_stop",
                    "nested_scopes", "generators", "with_statement", "unicode_literals"}


@dataclass(frozen=True)
class Flag:
    """One integrity finding in an answer cell, shown to mentors."""

    code: str
    grade_id: str
    line: int
    #: What was found, as a message (grading/messages.py), e.g. {"code": "flag_import", "params": {"name": "gc"}}.
    message: dict

    def __hash__(self) -> int:
        """Flags are compared by value; the message dict is hashed through its description."""
        return hash((self.code, self.grade_id, self.line, messages.describe(self.message)))

    def to_dict(self) -> dict:
        """Return the flag as plain data."""
        return asdict(self)


class ImportNotAllowed(ValueError):
    """An answer imports a module the exercise does not allow; `message` (grading/messages.py) is for the trainee."""

    def __init__(self, msg: dict):
        super().__init__(messages.describe(msg))
        self.message = msg


def is_serious(flag) -> bool:
    """Does this flag (a Flag or its dict) hold the score until a mentor clears it?"""
    code = flag["code"] if isinstance(flag, dict) else flag.code
    return code not in HARMLESS_CODES


def needs_hold(flags) -> bool:
    """Do these flags (Flags or dicts) hold the submission's score for a mentor?"""
    return any(is_serious(flag) for flag in flags)


def _unchecked(gid: str, line: int, why: dict) -> Flag:
    return Flag("unchecked", gid, line, why)


def _parse(python: str):
    """Parse as IPython compiles cells: top-level `await` is allowed."""
    return pysource.parse(python, top_level_await=True)


def _constant_text(node) -> str | None:
    """The text of a string built only from literals ("get_" + "ipython", f"x{'y'}"), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _constant_text(node.left), _constant_text(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.JoinedStr):
        parts = [_constant_text(value) for value in node.values]
        return None if None in parts else "".join(parts)
    if isinstance(node, ast.FormattedValue) and node.conversion == -1 and node.format_spec is None:
        return _constant_text(node.value)
    return None


def _flagged_words(text: str) -> list[str]:
    """Flagged names written inside a text, e.g. "get_ipython" in "get_ipython().kernel"."""
    return [word for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text) if word in FLAGGED_NAMES]


def _module_aliases(tree) -> dict[str, str]:
    """Local name -> module for `import x` and `import x as y` (so `import sys as s; s.modules` is seen)."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                aliases[alias.asname or top] = alias.name if alias.asname else top
    return aliases


def _imports(tree) -> list[tuple[str, int]]:
    """Return (top-level module name, line) for every import in the tree."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            name = "." * node.level + (node.module or "")
            found.append((name.split(".")[0] if node.level == 0 else name, node.lineno))
    return found


def _magic_call(node) -> tuple[str, list[str]] | None:
    """(method, string arguments) when the node is `get_ipython().<magic method>("...", ...)`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    owner = node.func.value
    if not (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "get_ipython"
            and not owner.args and not owner.keywords):
        return None
    texts = [_constant_text(arg) for arg in node.args]
    if node.func.attr not in MAGIC_METHODS or node.keywords or None in texts:
        return None
    return node.func.attr, texts


class _CellChecker:
    """Walks one parsed cell and collects (code, message, line) findings."""

    def __init__(self, gid: str, tree, allowed_imports, depth: int):
        self.gid, self.tree, self.allowed_imports, self.depth = gid, tree, allowed_imports, depth
        self.aliases = _module_aliases(tree)
        #: Local name -> function, for `from operator import attrgetter as ag`.
        self.functions = {alias.asname or alias.name: alias.name for node in ast.walk(tree)
                          if isinstance(node, ast.ImportFrom) for alias in node.names}
        #: Names called directly (`getattr(x, "a")`); any other use of getattr & co. passes them around.
        self.called: set[int] = set()
        self.flags: list[Flag] = []
        #: Nodes already explained by a magic call around them (its `get_ipython()` part, its strings).
        self.skip: set[int] = set()

    def add(self, code: str, line: int, detail: str, **params) -> None:
        """Record one finding: its flag code and what was found, as a message (grading/messages.py)."""
        self.flags.append(Flag(code, self.gid, line, messages.message(detail, **params)))

    def run(self) -> list[Flag]:
        """Check every node of the cell once and return the flags."""
        self.check_imports()
        for node in ast.walk(self.tree):
            if id(node) in self.skip:
                continue
            if isinstance(node, ast.Call):
                self.check_call(node)
            elif isinstance(node, ast.Name):
                if node.id in FLAGGED_NAMES or node.id in FLAGGED_BUILTINS:
                    self.add(FLAGGED_NAMES.get(node.id) or FLAGGED_BUILTINS[node.id], node.lineno, "flag_name",
                             name=node.id)
                elif node.id in ATTRIBUTE_FUNCTIONS and id(node) not in self.called:
                    # `g = getattr` or `reduce(getattr, ...)`: the attribute name is out of sight.
                    self.add("dynamic_access", node.lineno, "flag_indirect", name=node.id)
            elif isinstance(node, ast.Attribute):
                self.check_attribute(node)
            elif isinstance(node, ast.ImportFrom):
                self.check_import_from(node)
            elif isinstance(node, (ast.Constant, ast.BinOp, ast.JoinedStr)):
                # Strings can become names: getattr(x, "a" + "b"), timeit.timeit("..."), pickle payloads.
                for word in _flagged_words(_constant_text(node) or ""):
                    self.add(FLAGGED_NAMES[word], node.lineno, "flag_text", name=word)
        return self.flags

    def check_imports(self) -> None:
        """Refuse imports outside the allowed list; flag modules that reach into the grader."""
        for name, line in _imports(self.tree):
            if self.allowed_imports is not None and name not in self.allowed_imports:
                allowed = ", ".join(sorted(self.allowed_imports))
                raise ImportNotAllowed(messages.message("import_not_allowed", cell=self.gid, line=line, name=name,
                                                        allowed=allowed))
            if name in FLAGGED_MODULES:
                self.add(FLAGGED_MODULES[name], line, "flag_import", name=name)

    def check_import_from(self, node: ast.ImportFrom) -> None:
        """Flag `from __future__` features that change parsing, and flagged names imported by name."""
        if node.module == "__future__":
            for alias in node.names:
                if alias.name not in HARMLESS_FUTURES:
                    self.add("future_flag", node.lineno, "flag_future", feature=alias.name)
        for alias in node.names:
            key = (node.module, alias.name)
            if key in FLAGGED_ATTRIBUTES or alias.name in FLAGGED_NAMES:
                self.add(FLAGGED_ATTRIBUTES.get(key) or FLAGGED_NAMES[alias.name], node.lineno, "flag_name",
                         name=f"{node.module}.{alias.name}")

    def check_attribute(self, node: ast.Attribute) -> None:
        """Flag attributes that reach into the grader (`x.f_globals`, `s.modules` after `import sys as s`)."""
        if node.attr in FLAGGED_NAMES:
            self.add(FLAGGED_NAMES[node.attr], node.lineno, "flag_name", name=node.attr)
        owner = node.value.id if isinstance(node.value, ast.Name) else None
        module = self.aliases.get(owner, owner)
        if (module, node.attr) in FLAGGED_ATTRIBUTES:
            self.add(FLAGGED_ATTRIBUTES[(module, node.attr)], node.lineno, "flag_name", name=f"{module}.{node.attr}")
        if node.attr == "__dict__" and owner in self.aliases:
            # `sys.__dict__["modules"]` is sys.modules under another spelling.
            self.add("dynamic_access", node.lineno, "flag_module_dict", module=module)

    def check_call(self, node: ast.Call) -> None:
        """Judge magic calls as magics; flag attribute look-ups whose name is built at run time."""
        magic = _magic_call(node)
        if magic is not None:
            self.skip.update(id(part) for part in ast.walk(node.func))
            self.skip.update(id(part) for arg in node.args for part in ast.walk(arg))
            self.check_magic(node, *magic)
            return
        self.called.add(id(node.func))
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        name = self.functions.get(name, name)
        if isinstance(node.func, ast.Name) and name in ATTRIBUTE_FUNCTIONS:
            if len(node.args) < 2 or _constant_text(node.args[1]) is None:
                self.add("dynamic_access", node.lineno, "flag_dynamic_name", function=name)
        elif name in OPERATOR_FUNCTIONS:
            if not node.args or any(_constant_text(arg) is None for arg in node.args[:1 if name == "methodcaller" else None]):
                self.add("dynamic_access", node.lineno, "flag_dynamic_name", function=name)

    def check_magic(self, node: ast.Call, method: str, texts: list[str]) -> None:
        """A magic or shell escape: refused when imports are restricted, else flagged and its code checked."""
        kind = MAGIC_METHODS[method]
        magic = texts[0].split()[0] if kind != "shell" and texts and texts[0].split() else ""
        if self.allowed_imports is not None:
            raise ImportNotAllowed(messages.message("magic_not_allowed", cell=self.gid, line=node.lineno))
        if kind == "shell":
            self.add("shell", node.lineno, "flag_shell")
            return
        if magic not in HARMLESS_MAGICS:
            shown = ("%%" if kind == "cell" else "%") + magic
            self.add("magic_unsafe", node.lineno, "flag_magic_unsafe", magic=shown)
            return
        self.add("magic", node.lineno, "flag_magic", magic=f"%{magic}")
        # The Python the magic runs is checked like a cell of its own.
        if kind == "cell" and magic in CODE_CELL_MAGICS and len(texts) > 2:
            code, first_line = texts[2], node.lineno + 1  # the body starts below the %%magic line
        elif kind == "line" and magic in CODE_LINE_MAGICS and len(texts) > 1:
            code, first_line = texts[1], node.lineno
        else:
            return
        for flag in check_cell(self.gid, code, self.allowed_imports, depth=self.depth + 1):
            line = first_line + flag.line - 1
            params = {"inside": f"%{magic}", **flag.message["params"]}  # the innermost magic is named
            self.flags.append(Flag(flag.code, self.gid, line, messages.message(flag.message["code"], **params)))


def check_cell(gid: str, source: str, allowed_imports=None, depth: int = 0) -> list[Flag]:
    """Return the flags of one answer cell; raise ImportNotAllowed for a forbidden import or magic."""
    if depth > MAX_MAGIC_DEPTH:
        return [_unchecked(gid, 1, messages.message("flag_magic_too_deep"))]
    try:
        python = TransformerManager().transform_cell(source)
    except Exception as error:  # IPython could not read it: the mentor looks instead
        return [_unchecked(gid, 1, messages.message("flag_unchecked", reason=f"IPython: {type(error).__name__}"))]
    try:
        tree = _parse(python)
    except (SyntaxError, ValueError):
        if depth:  # inside a magic: the magic may accept what plain Python does not (e.g. %timeit -n1)
            return [_unchecked(gid, 1, messages.message("flag_magic_unreadable"))]
        return []  # The kernel reports the syntax error and runs nothing of this cell.
    except Exception as error:  # e.g. RecursionError on absurd nesting
        return [_unchecked(gid, 1, messages.message("flag_unchecked", reason=type(error).__name__))]
    try:
        flags = _CellChecker(gid, tree, allowed_imports, depth).run()
    except ImportNotAllowed:
        raise
    except Exception as error:  # a gap in this checker must not pass the cell silently
        return [_unchecked(gid, 1, messages.message("flag_unchecked", reason=type(error).__name__))]
    unique = {(flag.line, flag.code, messages.describe(flag.message)): flag for flag in flags}
    return [unique[key] for key in sorted(unique)]


def check_answers(answer_cells, allowed_imports=None) -> list[Flag]:
    """Return the flags of all (grade_id, source) answer cells; raise ImportNotAllowed on a forbidden import."""
    flags: list[Flag] = []
    for gid, source in answer_cells:
        flags += check_cell(gid, source, allowed_imports)
    return flags
