"""Repository checks: points entries the platform computes itself from a trainee's git repository.

Pure library (no Flask, no database). ``evaluate(checks, repo, sha, template, prepared)`` reads a bare
repository with the real ``git`` command (a subprocess with a timeout, no system or user git
configuration, no hooks: only read commands run) and returns one ``TestResult`` per check. Nothing of the
trainee's is executed or checked out: blobs are read with ``git cat-file`` and capped in size.

The kinds and their parameters (project.yaml ``checks:``; docs/contributing.md):

- ``file_exists`` — ``paths``: each is a non-empty file in the graded commit.
- ``file_contains`` — ``path``, ``patterns`` (Python ``re``), optional ``changed``: the file exists, every
  pattern matches, and with ``changed`` it differs from the template's version.
- ``no_conflict_markers`` — no text file has a line starting ``<<<<<<<`` or ``>>>>>>>``, or exactly ``=======``.
- ``requirements_installable`` — ``path`` (default requirements.txt), ``require``: every line is a valid
  requirement satisfied by this (the grading) environment, and every name in ``require`` is listed.
- ``merge_commit`` — optional ``branches``: a merge commit made by the trainee exists; each named prepared
  branch's commit is an ancestor of the graded commit.
- ``commit_messages`` — ``min_commits``, ``min_length``: enough trainee commits, none with a short or lazy subject.

A commit without any trainee commit (the template as given) fails every check. Each failure is a message code (messages.py, ``check_*``) worded where it is shown, in Indonesian first.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .messages import message
from .scoring import TestResult

#: The kinds of check and the parameters each takes ({name: required?}).
KINDS: dict[str, dict[str, bool]] = {
    "file_exists": {"paths": True},
    "file_contains": {"path": True, "patterns": True, "changed": False},
    "no_conflict_markers": {},
    "requirements_installable": {"path": False, "require": False},
    "merge_commit": {"branches": False},
    "commit_messages": {"min_commits": False, "min_length": False},
}
#: Every check has these besides its kind's parameters.
COMMON = ("check", "points", "task")
#: Subjects that say nothing about a change (compared lower-case, stripped, exactly).
LAZY_MESSAGES = frozenset({
    "update", "updates", "updated", "fix", "fixes", "fixed", "wip", "asdf", "commit", "perbaikan", "perubahan",
    "coba", "coba lagi", "test", "tes", "testing", ".", "..", "...", "-", "a", "aa", "x", "xx", "ok", "oke",
    "done", "selesai", "changes", "change", "edit", "ubah", "update file", "update files", "misc", "temp", "tmp",
    "save", "simpan", "first commit", "initial commit", "final", "revisi", "lagi", "minor", "minor fix",
})
#: Largest blob read from the repository; a bigger file is judged by its first bytes only (text files).
BLOB_CAP = 1024 * 1024
#: Largest number of files whose contents no_conflict_markers reads.
MAX_FILES = 2000
#: Longest a single git command may take.
GIT_TIMEOUT_S = 30
#: A conflict marker line (what git writes into a file it could not merge).
CONFLICT_LINE = re.compile(rb"^(<<<<<<<|>>>>>>>)|^=======\r?$", re.MULTILINE)
DEFAULT_MIN_COMMITS = 1
DEFAULT_MIN_LENGTH = 10


class RepositoryUnreadable(RuntimeError):
    """The repository or one of its commits cannot be read: the grading stops with this message."""

    def __init__(self, found: dict):
        super().__init__(found["code"])
        self.message = found


# --- parameters -----------------------------------------------------------------------------------


def problems_of(check_id: str, check: dict) -> list[str]:
    """Everything wrong with one check's parameters (empty when it is valid); plain English for authors."""
    kind = check.get("check")
    if kind not in KINDS:
        return [f"unknown check kind {kind!r} (one of {', '.join(KINDS)})"]
    params = KINDS[kind]
    problems = [f"{kind} needs {name!r}" for name, required in params.items() if required and name not in check]
    problems += [f"{kind} takes no parameter {name!r}" for name in check if name not in params and name not in COMMON]
    problems += _value_problems(kind, check)
    return problems


def _value_problems(kind: str, check: dict) -> list[str]:
    """The problems of the parameter values (types, regular expressions, numbers)."""
    problems = []
    if "paths" in check and not _strings(check["paths"]):
        problems.append("paths must be a non-empty list of file paths")
    for name in ("path",):
        if name in check and not (isinstance(check[name], str) and _safe_path(check[name])):
            problems.append(f"{name} must be a relative file path inside the repository")
    for path in check.get("paths") or [] if isinstance(check.get("paths"), list) else []:
        if isinstance(path, str) and not _safe_path(path):
            problems.append(f"{path!r} is not a relative file path inside the repository")
    if "patterns" in check:
        if not _strings(check["patterns"]):
            problems.append("patterns must be a non-empty list of regular expressions")
        else:
            for pattern in check["patterns"]:
                try:
                    re.compile(pattern)
                except re.error as error:
                    problems.append(f"pattern {pattern!r} is not a valid regular expression: {error}")
    if "changed" in check and not isinstance(check["changed"], bool):
        problems.append("changed must be true or false")
    if "require" in check:
        if not _strings(check["require"]):
            problems.append("require must be a non-empty list of package names")
    if "branches" in check and not _strings(check["branches"]):
        problems.append("branches must be a non-empty list of prepared branch names")
    for name in ("min_commits", "min_length"):
        value = check.get(name)
        if name in check and (not isinstance(value, int) or isinstance(value, bool) or value < 1 or value > 1000):
            problems.append(f"{name} must be a whole number from 1 to 1000")
    return problems


def _strings(value) -> bool:
    """A non-empty list of non-empty strings."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, str) and item.strip() for item in value)


def _safe_path(path: str) -> bool:
    """A relative path without '..' parts (git paths use '/')."""
    return bool(path) and not path.startswith("/") and ".." not in path.split("/") and "\\" not in path


# --- git ------------------------------------------------------------------------------------------


def _env() -> dict[str, str]:
    """An environment that ignores every git configuration but the repository's own, and runs no hooks."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": tempfile.gettempdir(),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
    }


class Git:
    """Read-only git commands on one bare repository."""

    def __init__(self, repo: Path):
        self.repo = Path(repo)

    def run(self, *args: str, input: bytes | None = None) -> bytes:
        """The output of a git command; RepositoryUnreadable when it fails or takes too long."""
        try:
            done = subprocess.run(["git", "-c", "core.hooksPath=/dev/null", f"--git-dir={self.repo}", *args],
                                  input=input, capture_output=True, env=_env(), timeout=GIT_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RepositoryUnreadable(message("check_git_failed", error=str(error)[:200])) from error
        if done.returncode != 0:
            error = done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed"
            raise RepositoryUnreadable(message("check_git_failed", error=error[:200]))
        return done.stdout

    def files(self, sha: str) -> dict[str, tuple[str, int]]:
        """{path: (blob sha, size)} of every file of a commit (symlinks and submodules left out)."""
        out = self.run("ls-tree", "-r", "-z", "--long", "--full-tree", sha)
        files = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            info, path = record.split(b"\t", 1)
            mode, kind, blob, size = info.split()
            if kind == b"blob" and mode in (b"100644", b"100755"):
                files[path.decode("utf-8", "replace")] = (blob.decode(), int(size))
        return files

    def blob(self, blob: str, size: int) -> bytes:
        """A blob's first BLOB_CAP bytes."""
        if size <= BLOB_CAP:
            return self.run("cat-file", "blob", blob)
        # Only the head of a huge file: read through a pipe and stop early (git is then told to stop).
        with subprocess.Popen(["git", f"--git-dir={self.repo}", "cat-file", "blob", blob],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env()) as process:
            data = process.stdout.read(BLOB_CAP)
            process.kill()
        return data

    def commits(self, sha: str, exclude: list[str]) -> list[tuple[str, int, str]]:
        """(sha, parent count, subject) of each commit reachable from sha and from none of exclude, newest first."""
        others = [f"^{other}" for other in exclude]
        shape = self.run("rev-list", "--parents", sha, *others, "--").decode().split("\n")
        # Subjects apart: one line each (git joins a subject's lines), records split at NUL; a subject
        # holding odd bytes can only lose its own text, never shift another commit's.
        subjects = {}
        for record in self.run("log", "-z", "--format=%H%n%s", sha, *others, "--").split(b"\0"):
            commit, _, subject = record.decode("utf-8", "replace").partition("\n")
            subjects.setdefault(commit, subject)
        commits = []
        for line in shape:
            if line.strip():
                commit, *parents = line.split()
                commits.append((commit, len(parents), subjects.get(commit, "")))
        return commits

    def is_ancestor(self, ancestor: str, sha: str) -> bool:
        """Whether ancestor is reachable from sha."""
        try:
            subprocess.run(["git", f"--git-dir={self.repo}", "merge-base", "--is-ancestor", ancestor, sha],
                           capture_output=True, env=_env(), timeout=GIT_TIMEOUT_S, check=True)
            return True
        except subprocess.CalledProcessError:
            return False
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RepositoryUnreadable(message("check_git_failed", error=str(error)[:200])) from error


def _is_text(data: bytes) -> bool:
    """Text as git judges it: no NUL byte in the first 8000 bytes."""
    return b"\0" not in data[:8000]


# --- the kinds ------------------------------------------------------------------------------------


class Context:
    """What every check reads: the repository, the graded commit, the template's and the prepared commits."""

    def __init__(self, repo: Path, sha: str, template: str, prepared: dict[str, str]):
        self.git = Git(repo)
        self.sha = sha
        self.template = template
        self.prepared = dict(prepared)
        self._files: dict[str, dict] = {}

    def files(self, sha: str | None = None) -> dict[str, tuple[str, int]]:
        """The files of a commit (the graded one by default), read once."""
        sha = sha or self.sha
        if sha not in self._files:
            self._files[sha] = self.git.files(sha)
        return self._files[sha]

    def text(self, path: str, sha: str | None = None) -> bytes | None:
        """A file's (capped) bytes, None when it is not in the commit."""
        found = self.files(sha).get(path)
        return None if found is None else self.git.blob(*found)

    def trainee_commits(self) -> list[tuple[str, int, str]]:
        """The commits the trainee made: in the graded history, in neither the template's nor a prepared branch's."""
        return self.git.commits(self.sha, [self.template, *self.prepared.values()])


def check_file_exists(ctx: Context, check: dict) -> dict | None:
    """Each path is a non-empty file."""
    files = ctx.files()
    for path in check["paths"]:
        if path not in files:
            return message("check_file_missing", path=path)
        if files[path][1] == 0:
            return message("check_file_empty", path=path)
    return None


def check_file_contains(ctx: Context, check: dict) -> dict | None:
    """The file exists, every pattern matches it, and (with changed) it differs from the template's."""
    path = check["path"]
    found = ctx.files().get(path)
    if found is None:
        return message("check_file_missing", path=path)
    if check.get("changed") and ctx.files(ctx.template).get(path, (None,))[0] == found[0]:
        return message("check_file_unchanged", path=path)
    data = ctx.git.blob(*found)
    if not _is_text(data):
        return message("check_file_not_text", path=path)
    text = data.decode("utf-8", "replace")
    for pattern in check["patterns"]:
        if not re.search(pattern, text):
            return message("check_pattern_missing", path=path, pattern=pattern[:200])
    return None


def check_no_conflict_markers(ctx: Context, check: dict) -> dict | None:
    """No text file has a conflict marker line."""
    for count, (path, (blob, size)) in enumerate(sorted(ctx.files().items())):
        if count >= MAX_FILES:
            break
        data = ctx.git.blob(blob, size)
        if not _is_text(data):
            continue
        match = CONFLICT_LINE.search(data)
        if match:
            line = data.count(b"\n", 0, match.start()) + 1
            return message("check_conflict_marker", path=path, line=line)
    return None


def installed_distributions() -> dict[str, str]:
    """{canonical name: version} of this environment's installed distributions (the grading environment)."""
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"] if dist.metadata else None
        if name:
            found.setdefault(canonicalize_name(name), dist.version)
    return found


def check_requirements_installable(ctx: Context, check: dict) -> dict | None:
    """Every line is a valid requirement this environment satisfies; every required name is listed."""
    path = check.get("path") or "requirements.txt"
    data = ctx.text(path)
    if data is None:
        return message("check_file_missing", path=path)
    installed = installed_distributions()
    listed = set()
    for number, raw in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            return message("check_requirement_invalid", path=path, line=number, text=line[:120])
        name = canonicalize_name(requirement.name)
        listed.add(name)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        version = installed.get(name)
        if version is None:
            return message("check_requirement_unavailable", path=path, line=number, name=requirement.name[:120])
        if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
            return message("check_requirement_version", path=path, line=number, text=line[:120], version=version)
    for name in check.get("require") or []:
        if canonicalize_name(name) not in listed:
            return message("check_requirement_missing", path=path, name=name)
    return None


def check_merge_commit(ctx: Context, check: dict) -> dict | None:
    """A merge commit by the trainee; each named prepared branch merged into the graded commit."""
    if not any(parents >= 2 for _sha, parents, _subject in ctx.trainee_commits()):
        return message("check_no_merge")
    for branch in check.get("branches") or []:
        prepared = ctx.prepared.get(branch)
        if prepared is None:
            return message("check_branch_unknown", branch=branch)
        if not ctx.git.is_ancestor(prepared, ctx.sha):
            return message("check_branch_not_merged", branch=branch)
    return None


def check_commit_messages(ctx: Context, check: dict) -> dict | None:
    """At least min_commits trainee commits, each subject long enough and not a lazy one."""
    commits = ctx.trainee_commits()
    wanted = int(check.get("min_commits") or DEFAULT_MIN_COMMITS)
    if len(commits) < wanted:
        return message("check_too_few_commits", wanted=wanted, found=len(commits))
    shortest = int(check.get("min_length") or DEFAULT_MIN_LENGTH)
    for sha, _parents, subject in reversed(commits):  # the oldest first: the one the trainee meets first
        if subject.strip().lower() in LAZY_MESSAGES:
            return message("check_lazy_message", sha=sha[:7], subject=subject[:120])
        if len(subject.strip()) < shortest:
            return message("check_short_message", sha=sha[:7], subject=subject[:120], length=shortest)
    return None


CHECKERS = {
    "file_exists": check_file_exists,
    "file_contains": check_file_contains,
    "no_conflict_markers": check_no_conflict_markers,
    "requirements_installable": check_requirements_installable,
    "merge_commit": check_merge_commit,
    "commit_messages": check_commit_messages,
}


def evaluate(checks: dict, repo: Path, sha: str, template: str, prepared: dict[str, str] | None = None) -> list[TestResult]:
    """One result per check, in the project's order; RepositoryUnreadable when the repository cannot be read."""
    if not (Path(repo) / "HEAD").is_file():
        raise RepositoryUnreadable(message("check_repository_missing"))
    ctx = Context(repo, sha, template, prepared or {})
    ctx.git.run("cat-file", "-e", f"{sha}^{{commit}}")
    ctx.git.run("cat-file", "-e", f"{template}^{{commit}}")
    results = []
    untouched = not ctx.trainee_commits()  # the template as given earns nothing, whatever a check says of it
    for check_id, check in checks.items():
        worth = float(check["points"])
        found = message("check_no_commits") if untouched else CHECKERS[check["check"]](ctx, check)
        task = check.get("task") or {}
        results.append(TestResult(
            grade_id=check_id, status="passed" if found is None else "failed",
            points=worth if found is None else 0.0, max_points=worth, message=found,
            title=task.get("id", ""), title_en=task.get("en", ""),
        ))
    return results
