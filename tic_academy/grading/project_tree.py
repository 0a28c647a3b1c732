"""The files of a project commit: tar.gz snapshots, and the scan for tampering with the grader.

Pure functions over bytes and folders (no Flask, no database).
"""
from __future__ import annotations

import ast
import io
import tarfile
from pathlib import Path, PurePosixPath

from . import pysource
from .integrity import Flag
from .messages import message

#: Largest snapshot (compressed) and largest unpacked tree a grading accepts.
SNAPSHOT_CAP = 5 * 1024 * 1024
TREE_CAP = 20 * 1024 * 1024
#: Most files a graded tree may hold (a small project has tens).
FILES_CAP = 2000
#: Files that configure pytest or the interpreter: never read by the platform, flagged when planted.
CONFIG_FILES = {"conftest.py", "pytest.ini", "sitecustomize.py", "usercustomize.py"}
#: Sections of shared config files that configure pytest.
CONFIG_SECTIONS = {"tox.ini": "[pytest]", "setup.cfg": "[tool:pytest]", "pyproject.toml": "[tool.pytest"}
#: Modules application code has no business importing.
PYTEST_MODULES = ("pytest", "_pytest", "pluggy")


def too_large(cap: int) -> dict:
    """The message for a commit over a cap (bytes) or over FILES_CAP files."""
    return message("project_too_large", mib=cap // (1024 * 1024), files=FILES_CAP)


# --- archives -------------------------------------------------------------------------------------


def pack_tree(folder: Path, skip=()) -> bytes:
    """A tar.gz of a folder's files (sorted, no owners or times, so the same files give the same bytes)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
        for path in sorted(Path(folder).rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if not path.is_file() or path.is_symlink() or any(part in skip for part in relative.split("/")):
                continue
            info = tarfile.TarInfo(relative)
            data = path.read_bytes()
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def pack_files(files: dict[str, bytes]) -> bytes:
    """A tar.gz of {relative path: bytes} (for tests and overlays)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(files[name]), 0o644, 0
            archive.addfile(info, io.BytesIO(files[name]))
    return buffer.getvalue()


def read_files(snapshot: bytes, cap: int = TREE_CAP) -> dict[str, bytes]:
    """The regular files of a tar.gz snapshot as {relative path: bytes}; ValueError(a message) when unusable."""
    if len(snapshot) > SNAPSHOT_CAP:
        raise ValueError(too_large(SNAPSHOT_CAP))
    files, total = {}, 0
    try:
        with tarfile.open(fileobj=io.BytesIO(snapshot), mode="r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                name = PurePosixPath(member.name)
                if name.is_absolute() or ".." in name.parts or not name.parts:
                    raise ValueError(message("project_bad_snapshot", error=f"unsafe path {member.name[:200]!r}"))
                total += member.size
                if total > cap or len(files) >= FILES_CAP:
                    raise ValueError(too_large(cap))
                files[name.as_posix()] = archive.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise ValueError(message("project_bad_snapshot", error=str(error)[:200])) from error
    return files


def write_files(files: dict[str, bytes], folder: Path) -> None:
    """Write files into a folder others may read but not change (0755 folders, 0644 files)."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(0o644)
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)


# --- tampering ------------------------------------------------------------------------------------


def is_test_module(name: str) -> bool:
    """Is this file one of the trainee's own tests (where importing pytest is normal)?"""
    path = PurePosixPath(name)
    return ("tests" in path.parts[:-1] or "test" in path.parts[:-1] or path.name.startswith("test_")
            or path.name.endswith("_test.py"))


def scan_tree(files: dict[str, bytes]) -> list[Flag]:
    """Flag planted pytest/Python config and application code that reaches into pytest or the interpreter."""
    flags = []
    for name in sorted(files):
        base = PurePosixPath(name).name
        text = files[name].decode("utf-8", "replace")
        if base in CONFIG_FILES or base.endswith(".pth") or (
                base in CONFIG_SECTIONS and CONFIG_SECTIONS[base] in text):
            flags.append(Flag("planted_config", name, 1, message("flag_config", name=base)))
        if base.endswith(".py") and not is_test_module(name) and base not in CONFIG_FILES:
            flags += _scan_code(name, text)
    return flags


def _scan_code(name: str, text: str) -> list[Flag]:
    """Flag one application module's reaches into pytest, sys.modules, os._exit and builtins."""
    try:
        tree = pysource.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        if isinstance(error, SyntaxError):
            return []  # it fails to import, and so fails the tests: nothing to hide
        return [Flag("unchecked", name, 1, message("flag_unchecked", reason=type(error).__name__))]
    flags = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 1)
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
            if node.module == "os" and any(alias.name == "_exit" for alias in node.names):
                flags.append(Flag("os_exit", name, line, message("flag_name", name="os._exit")))
            if node.module == "sys" and any(alias.name == "modules" for alias in node.names):
                flags.append(Flag("sys_modules", name, line, message("flag_name", name="sys.modules")))
        for module in modules:
            top = module.split(".")[0]
            if top in PYTEST_MODULES:
                flags.append(Flag("pytest_internals", name, line, message("flag_import", name=module)))
            elif top == "builtins":
                flags.append(Flag("builtins", name, line, message("flag_name", name="builtins")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("pytest_"):
            flags.append(Flag("pytest_hook", name, line, message("flag_hook", name=node.name)))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) == ("sys", "modules"):
                flags.append(Flag("sys_modules", name, line, message("flag_name", name="sys.modules")))
            elif (node.value.id, node.attr) == ("os", "_exit"):
                flags.append(Flag("os_exit", name, line, message("flag_name", name="os._exit")))
        elif isinstance(node, ast.Name) and node.id == "__builtins__":
            flags.append(Flag("builtins", name, line, message("flag_name", name="builtins")))
    return flags
