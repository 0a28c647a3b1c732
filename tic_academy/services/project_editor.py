"""The in-browser editor over a trainee's project repository: read the tree and files, commit changes.

A web commit is made without a working tree: the base commit's entries are read into a Python dict,
the changes are applied to it, the new blobs are written with ``git hash-object``, a temporary index
(``GIT_INDEX_FILE``) gets every entry, then ``write-tree``, ``commit-tree`` and
``update-ref refs/heads/main NEW BASE``. The old-value check of ``update-ref`` (and the push lock the
git server holds too) makes a commit on a stale base fail atomically: nothing changes.

A web commit is only a commit, never a submission: "Kumpulkan" submits (services/projects.py).
"""
from __future__ import annotations

import ast
import base64
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask_babel import gettext as _

from ..grading import ProjectSpec, pack_files, read_files
from . import ServiceError, repositories

#: Characters allowed in one part of a path (letters, digits, space, dot, dash, underscore).
PART = re.compile(r"^[A-Za-z0-9_.\- ]+$")
#: Longest path and longest part of a path.
MAX_PATH, MAX_PART = 400, 100
#: Most changes in one web commit, and the longest commit message.
MAX_CHANGES, MAX_MESSAGE = 500, 2000
#: Largest diff text returned for one commit.
DIFF_CAP = 200 * 1024
#: Largest file shown in the editor as text.
TEXT_CAP = 1024 * 1024
#: The mode of a new file.
FILE_MODE = "100644"
SHA = re.compile(r"^[0-9a-f]{40}$")


class EditorError(ServiceError):
    """A web commit or a read that cannot be done; the message is shown to the trainee."""


class StaleBase(EditorError):
    """The branch moved since the editor loaded it (a push or another tab); nothing was changed."""

    def __init__(self, message: str, current: str | None):
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class TreeEntry:
    """One file of a commit: its path, git mode and size in bytes."""

    path: str
    mode: str
    size: int


def clean_path(path) -> str:
    """The path checked against the path rules; EditorError when it breaks one."""
    if not isinstance(path, str) or not path.strip():
        raise EditorError(_("A file name is empty."))
    text = path.strip()
    if text.startswith("/") or "\\" in text:
        raise EditorError(_("The path %(path)s must be relative, with / between folders.", path=text[:120]))
    if len(text) > MAX_PATH:
        raise EditorError(_("The path %(path)s is too long.", path=text[:120] + "…"))
    parts = text.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise EditorError(_("The path %(path)s has an empty part, '.' or '..'.", path=text[:120]))
        if part.lower() == ".git":
            raise EditorError(_("The path %(path)s may not use the .git folder.", path=text[:120]))
        if len(part) > MAX_PART or not PART.match(part) or part != part.strip():
            raise EditorError(_("The name %(name)s is not allowed: use letters, digits, space, dot, dash and "
                                "underscore.", name=part[:120]))
    return "/".join(parts)


def _under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` itself or inside it."""
    return path == folder or path.startswith(folder + "/")


def tree(repo: Path, sha: str) -> list[TreeEntry]:
    """Every file of a commit (recursively), sorted by path."""
    if not SHA.match(sha or ""):
        raise EditorError(_("That commit does not exist."))
    out = repositories.git(repo, "ls-tree", "-r", "-l", "-z", "--full-tree", sha)
    entries = []
    for record in out.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, path = record.split("\t", 1)
        mode, kind, _object, size = meta.split()
        if kind != "blob":
            continue  # submodules are not edited here
        entries.append(TreeEntry(path, mode, int(size) if size.isdigit() else 0))
    return sorted(entries, key=lambda entry: entry.path)


def read_file(repo: Path, sha: str, path: str) -> bytes:
    """The bytes of one file at a commit; EditorError when there is no such file."""
    path = clean_path(path)
    if not any(entry.path == path for entry in tree(repo, sha)):
        raise EditorError(_("The file %(path)s does not exist in this commit.", path=path))
    return repositories.git(repo, "cat-file", "blob", f"{sha}:{path}")


def read_texts(repo: Path, sha: str, entries: list[TreeEntry]) -> dict[str, str | None]:
    """{path: text or None (binary or over TEXT_CAP)} of the given files of a commit, in one git call."""
    wanted = [entry for entry in entries if entry.size <= TEXT_CAP]
    request = "".join(f"{sha}:{entry.path}\n" for entry in wanted).encode("utf-8", "surrogateescape")
    out = repositories.git(repo, "cat-file", "--batch", input=request) if wanted else b""
    texts: dict[str, str | None] = {entry.path: None for entry in entries}
    position = 0
    for entry in wanted:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        if len(header) < 3 or header[1] != b"blob":  # "<name> missing": nothing to read
            position = header_end + 1
            continue
        size = int(header[2])
        texts[entry.path] = as_text(out[header_end + 1:header_end + 1 + size])
        position = header_end + 1 + size + 1  # the object, then a newline
    return texts


def as_text(data: bytes) -> str | None:
    """The file as text for the editor, or None when it is binary or too large."""
    if len(data) > TEXT_CAP or b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _entries(repo: Path, sha: str) -> dict[str, tuple[str, str]]:
    """{path: (mode, blob sha)} of every file of a commit."""
    out = repositories.git(repo, "ls-tree", "-r", "-z", "--full-tree", sha)
    entries = {}
    for record in out.decode("utf-8", "surrogateescape").split("\0"):
        if record:
            meta, path = record.split("\t", 1)
            mode, _kind, blob = meta.split()
            entries[path] = (mode, blob)
    return entries


def apply_changes(entries: dict, changes, file_max: int, total_max: int, store) -> dict:
    """The entries after the changes; ``store(bytes)`` writes a blob and returns its sha.

    A change is {"op": "write", "path", "content"} (a file written or created), {"op": "delete", "path"}
    (a file, or a folder with everything in it) or {"op": "rename", "path", "to"} (a file or a folder).
    """
    if not isinstance(changes, list) or not changes:
        raise EditorError(_("There are no changes to save."))
    if len(changes) > MAX_CHANGES:
        raise EditorError(_("Too many changes in one commit (at most %(count)d).", count=MAX_CHANGES))
    result = dict(entries)
    total = 0
    for change in changes:
        if not isinstance(change, dict):
            raise EditorError(_("A change is not in the expected form."))
        op, path = change.get("op"), clean_path(change.get("path"))
        if op == "write":
            content = change.get("content")
            if not isinstance(content, str):
                raise EditorError(_("The content of %(path)s is not text.", path=path))
            data = content.encode("utf-8")
            if len(data) > file_max:
                raise EditorError(_("The file %(path)s is larger than the limit of %(limit)s KiB per file.",
                                    path=path, limit=file_max // 1024))
            total += len(data)
            if total > total_max:
                raise EditorError(_("The changes are larger than the limit of %(limit)s KiB per commit.",
                                    limit=total_max // 1024))
            mode = result[path][0] if path in result and result[path][0] in ("100644", "100755") else FILE_MODE
            result[path] = (mode, store(data))
        elif op == "delete":
            gone = [name for name in result if _under(name, path)]
            if not gone:
                raise EditorError(_("The file %(path)s does not exist.", path=path))
            for name in gone:
                del result[name]
        elif op == "rename":
            target = clean_path(change.get("to"))
            moving = [name for name in result if _under(name, path)]
            if not moving:
                raise EditorError(_("The file %(path)s does not exist.", path=path))
            if _under(target, path) and target != path:
                raise EditorError(_("A folder cannot be moved into itself."))
            if any(_under(name, target) for name in result if not _under(name, path)):
                raise EditorError(_("%(path)s already exists.", path=target))
            for name in moving:
                result[target + name[len(path):]] = result.pop(name)
        else:
            raise EditorError(_("A change is not in the expected form."))
    folders = {str(parent) for name in result for parent in PurePosixPath(name).parents if str(parent) != "."}
    clash = sorted(folders & set(result))
    if clash:
        raise EditorError(_("%(path)s is both a file and a folder.", path=clash[0]))
    return result


def commit_changes(repo: Path, base: str, changes, message: str, author: tuple[str, str],
                   file_max: int, total_max: int) -> str:
    """Commit the changes on top of ``base`` as ``author`` (name, email); the new commit's sha.

    Holds the repository's push lock, so a push and a web commit never interleave. StaleBase when
    ``main`` is no longer at ``base`` (nothing is written to the branch then).
    """
    message = (message or "").strip() if isinstance(message, str) else ""
    if not message:
        raise EditorError(_("Write a commit message."))
    if len(message) > MAX_MESSAGE:
        raise EditorError(_("The commit message is too long."))
    if not SHA.match(base or ""):
        raise EditorError(_("That commit does not exist."))
    with repositories.push_lock(repo):
        current = repositories.head(repo)
        if current != base:
            raise StaleBase(_("Your repository changed since you opened it (the latest commit is now %(sha)s). "
                              "Your edits are kept: reload from the server, or look at the changes.",
                              sha=(current or "")[:8]), current)

        def store(data: bytes) -> str:
            """Write one blob into the repository; its sha."""
            return repositories.git(repo, "hash-object", "-w", "--stdin", input=data).decode().strip()

        entries = apply_changes(_entries(repo, base), changes, file_max, total_max, store)
        with tempfile.TemporaryDirectory(prefix="tic-web-commit-") as folder:
            index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
            listing = "".join(f"{mode} {blob}\t{path}\0" for path, (mode, blob) in sorted(entries.items()))
            repositories.git(repo, "update-index", "-z", "--index-info",
                             input=listing.encode("utf-8", "surrogateescape"), extra_env=index)
            new_tree = repositories.git(repo, "write-tree", extra_env=index).decode().strip()
        base_tree = repositories.git(repo, "rev-parse", f"{base}^{{tree}}").decode().strip()
        if new_tree == base_tree:
            raise EditorError(_("There are no changes to save."))
        sha = repositories.git(repo, "commit-tree", new_tree, "-p", base, "-m", message,
                               author=author).decode().strip()
        try:
            repositories.git(repo, "update-ref", "-m", "web commit", f"refs/heads/{repositories.MAIN_BRANCH}",
                             sha, base)
        except repositories.RepositoryError:
            current = repositories.head(repo)
            raise StaleBase(_("Your repository changed since you opened it (the latest commit is now %(sha)s). "
                              "Your edits are kept: reload from the server, or look at the changes.",
                              sha=(current or "")[:8]), current) from None
    return sha


def commit_diff(repo: Path, sha: str) -> tuple[str, bool]:
    """The patch of one commit against its parent (the first commit: against nothing); (text, cut)."""
    if not SHA.match(sha or "") or not repositories.has_commit(repo, sha):
        raise EditorError(_("That commit does not exist."))
    out = repositories.git(repo, "diff-tree", "-p", "--root", "--no-commit-id", "-M", "--no-color", sha)
    cut = len(out) > DIFF_CAP
    return out[:DIFF_CAP].decode("utf-8", "replace"), cut


def working_copy(repo: Path, base: str, changes, file_max: int, total_max: int) -> bytes:
    """The files of ``base`` with the unsaved changes applied, as a tar.gz snapshot (nothing is committed)."""
    blobs: dict[str, bytes] = {}

    def keep(data: bytes) -> str:
        """Keep a new file's bytes in memory under a made-up key."""
        key = f"new:{len(blobs)}"
        blobs[key] = data
        return key

    entries = _entries(repo, base)
    if changes:
        entries = apply_changes(entries, changes, file_max, total_max, keep)
    files = {}
    for path, (mode, blob) in entries.items():
        if mode not in ("100644", "100755"):
            continue
        files[path] = blobs[blob] if blob in blobs else repositories.git(repo, "cat-file", "blob", blob)
    return pack_files(files)


def public_test_ids(name: str, text: str) -> list[str]:
    """The pytest ids of the test functions (and Test* class methods) of one public test file."""
    try:
        module = ast.parse(text)
    except SyntaxError:
        return []
    ids = []
    for node in module.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            ids.append(f"{name}::{node.name}")
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            ids += [f"{name}::{node.name}::{item.name}" for item in node.body
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test")]
    return ids


def public_spec(template_archive: bytes, test_timeout_s: float = 10.0) -> ProjectSpec | None:
    """A spec that runs the template's public tests (its ``tests/test_*.py``), one point each; None if none.

    The public tests stand where the hidden ones usually do, so the trainee's own copy of ``tests/``
    cannot change what "Jalankan uji" checks. The points map lists each test function found by
    reading the files with ``ast`` (a parametrized test's ids carry parameters, so it shows as missing).
    """
    files = read_files(template_archive) if template_archive else {}
    hidden, points = {}, {}
    for path, data in sorted(files.items()):
        folder, _slash, name = path.rpartition("/")
        if folder != "tests":
            continue
        if name == "fixtures.py":
            hidden["fixtures.py"] = data.decode("utf-8", "replace")
        elif name.startswith("test_") and name.endswith(".py"):
            text = data.decode("utf-8", "replace")
            hidden[name] = text
            for test_id in public_test_ids(name, text):
                points[test_id] = {"points": 1, "task": {"id": test_id.split("::", 1)[1].replace("_", " "),
                                                         "en": test_id.split("::", 1)[1]}}
    if not points:
        return None
    return ProjectSpec(points=points, hidden=hidden, test_timeout_s=test_timeout_s)


def public_test_job(spec: ProjectSpec, snapshot: bytes, limits: dict | None = None) -> dict:
    """The runner's job for "Jalankan uji" (JSON-safe: the snapshot travels as base64)."""
    return {"kind": "project", "spec": spec.to_json(), "snapshot": base64.b64encode(snapshot).decode("ascii"),
            "mode": "check", "limits": limits or None}

