"""Checking answer cells, before they run, for code that reaches into the grader."""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass

#: Modules whose import lets code inspect or rewire the grader.
FLAGGED_MODULES = {
    "builtins": ("builtins", "mengubah fungsi bawaan Python"),
    "inspect": ("frame_inspection", "memeriksa frame/kode pemanggil (termasuk kode tes)"),
    "traceback": ("frame_inspection", "membaca tumpukan pemanggil (termasuk kode tes)"),
    "linecache": ("frame_inspection", "membaca sumber sel lain (termasuk kode tes)"),
    "ctypes": ("ctypes", "mengakses memori proses secara langsung"),
    "gc": ("gc", "menjelajah objek milik penilai"),
    "importlib": ("importlib", "memuat atau mengganti modul secara dinamis"),
    "IPython": ("kernel_internals", "mengakses kernel Jupyter penilai"),
    "ipykernel": ("kernel_internals", "mengakses kernel Jupyter penilai"),
    "jupyter_client": ("kernel_internals", "mengakses kernel Jupyter penilai"),
    "zmq": ("kernel_internals", "mengakses saluran pesan kernel"),
}

#: Names that are suspicious wherever they appear (bare name or attribute).
FLAGGED_NAMES = {
    "get_ipython": ("get_ipython", "mengakses kernel IPython penilai"),
    "__builtins__": ("builtins", "mengubah fungsi bawaan Python"),
    "input_transformers_cleanup": ("input_transformer", "mengubah cara sel dijalankan"),
    "input_transformers_post": ("input_transformer", "mengubah cara sel dijalankan"),
    "ast_transformers": ("input_transformer", "mengubah cara sel dijalankan"),
    "settrace": ("trace_hook", "memasang pelacak eksekusi (sys.settrace)"),
    "setprofile": ("trace_hook", "memasang profiler eksekusi (sys.setprofile)"),
    "_getframe": ("frame_inspection", "memeriksa frame pemanggil"),
    "f_back": ("frame_inspection", "memeriksa frame pemanggil"),
    "f_globals": ("frame_inspection", "memeriksa variabel frame lain"),
    "f_locals": ("frame_inspection", "memeriksa variabel frame lain"),
    "tb_frame": ("frame_inspection", "memeriksa frame pemanggil"),
    "gi_frame": ("frame_inspection", "memeriksa frame pemanggil"),
    "__globals__": ("frame_inspection", "memeriksa variabel global fungsi lain"),
    "__subclasses__": ("introspection", "menjelajah kelas milik penilai"),
    "__import__": ("dynamic_code", "mengimpor modul secara dinamis (__import__)"),
}

#: Built-in functions flagged only as bare names: `re.compile` or `df.eval` are fine.
FLAGGED_BUILTINS = {
    "exec": ("dynamic_code", "menjalankan kode dari teks (exec)"),
    "eval": ("dynamic_code", "menjalankan kode dari teks (eval)"),
    "compile": ("dynamic_code", "mengompilasi kode dari teks (compile)"),
}

#: Attributes flagged only on a given module: (module, attribute).
FLAGGED_ATTRIBUTES = {
    ("sys", "modules"): ("sys_modules", "mengubah daftar modul yang dimuat (sys.modules)"),
    ("os", "_exit"): ("os_exit", "menghentikan kernel penilai (os._exit)"),
}


@dataclass(frozen=True)
class Flag:
    """One integrity finding in an answer cell, shown to mentors."""

    code: str
    grade_id: str
    line: int
    message: str

    def to_dict(self) -> dict:
        """Return the flag as plain data."""
        return asdict(self)


class ImportNotAllowed(ValueError):
    """An answer imports a module the exercise does not allow; the message is for the trainee."""


def _python_part(source: str) -> tuple[str, list[int]]:
    """Return the source with IPython magic/shell lines blanked, and those lines' numbers."""
    lines, magic_lines = source.splitlines(), []
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(("%", "!")):
            magic_lines.append(number)
            lines[number - 1] = ""
    if lines and source.lstrip().startswith("%%"):
        # A cell magic turns the whole cell body into something other than Python.
        return "", magic_lines
    return "\n".join(lines), magic_lines


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


def _name_flags(tree) -> list[tuple[tuple[str, str], int]]:
    """Return ((code, message), line) for flagged names and attributes in the tree."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and (node.id in FLAGGED_NAMES or node.id in FLAGGED_BUILTINS):
            found.append((FLAGGED_NAMES.get(node.id) or FLAGGED_BUILTINS[node.id], node.lineno))
        elif isinstance(node, ast.Attribute):
            if node.attr in FLAGGED_NAMES:
                found.append((FLAGGED_NAMES[node.attr], node.lineno))
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if (owner, node.attr) in FLAGGED_ATTRIBUTES:
                found.append((FLAGGED_ATTRIBUTES[(owner, node.attr)], node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module in ("sys", "os"):
            for alias in node.names:
                key = (node.module, alias.name)
                if key in FLAGGED_ATTRIBUTES or alias.name in FLAGGED_NAMES:
                    found.append((FLAGGED_ATTRIBUTES.get(key) or FLAGGED_NAMES[alias.name], node.lineno))
    return found


def check_cell(gid: str, source: str, allowed_imports=None) -> list[Flag]:
    """Return the flags of one answer cell; raise ImportNotAllowed for a forbidden import."""
    python, magic_lines = _python_part(source)
    flags = [Flag("magic", gid, n, "perintah magic/shell IPython (% atau !)") for n in magic_lines]
    if magic_lines and allowed_imports is not None:
        raise ImportNotAllowed(
            f"Sel '{gid}' baris {magic_lines[0]}: perintah magic/shell (% atau !) tidak diizinkan untuk latihan ini."
        )
    try:
        tree = ast.parse(python)
    except (SyntaxError, ValueError):
        return flags  # The kernel reports the syntax error; nothing in this cell will run.
    for name, line in _imports(tree):
        if allowed_imports is not None and name not in allowed_imports:
            allowed = ", ".join(sorted(allowed_imports)) or "(tidak ada)"
            raise ImportNotAllowed(
                f"Sel '{gid}' baris {line}: impor '{name}' tidak diizinkan untuk latihan ini. "
                f"Modul yang diizinkan: {allowed}."
            )
        if name in FLAGGED_MODULES:
            code, message = FLAGGED_MODULES[name]
            flags.append(Flag(code, gid, line, f"impor {name}: {message}"))
    flags += [Flag(code, gid, line, message) for (code, message), line in _name_flags(tree)]
    return sorted(set(flags), key=lambda flag: (flag.line, flag.code, flag.message))


def check_answers(answer_cells, allowed_imports=None) -> list[Flag]:
    """Return the flags of all (grade_id, source) answer cells; raise ImportNotAllowed on a forbidden import."""
    flags: list[Flag] = []
    for gid, source in answer_cells:
        flags += check_cell(gid, source, allowed_imports)
    return flags
