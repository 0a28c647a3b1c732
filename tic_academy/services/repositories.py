"""Trainee project repositories on disk: bare git repositories, one per trainee per project exercise.

Plain functions over paths that run the real ``git`` program; no database and no Flask, so the web
app, the grading jobs and commands all use the same code. The layout under the root folder
(``TIC_REPO_ROOT``, by default ``instance/repos``) is ``<user id>/<exercise id>.git``.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

#: The branch that is graded and protected.
MAIN_BRANCH = "main"
#: Where the platform keeps the template's commit and the prepared branches' commits (a push cannot move them).
TEMPLATE_REF = "refs/tic/template"
PREPARED_REFS = "refs/tic/branches/"
#: Who authors the first commit made from the template.
PLATFORM_AUTHOR = ("TIC Academy", "no-reply@tic.test")
#: The push rules (only main, no deleting or rewriting it, no oversized files), a plain sh script.
PRE_RECEIVE_HOOK = Path(__file__).resolve().parent / "repository_hooks" / "pre-receive"
#: Repository settings that back the hook up inside git itself (checked after the hook).
RECEIVE_CONFIG = {
    "receive.denyDeletes": "true",
    "receive.denyNonFastForwards": "true",
    "receive.fsckObjects": "true",
}


class RepositoryError(RuntimeError):
    """A git command on a repository failed."""


@dataclass(frozen=True)
class Commit:
    """One commit as shown on the exercise page."""

    sha: str
    author: str
    committed_at: datetime
    subject: str


def _git_env(author: tuple[str, str] = PLATFORM_AUTHOR) -> dict[str, str]:
    """An environment that ignores the host user's git configuration."""
    name, email = author
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": tempfile.gettempdir(),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "LC_ALL": "C",
    }
    return env


def git(repo: Path, *args: str, input: bytes | None = None, author=PLATFORM_AUTHOR,
        extra_env: dict[str, str] | None = None) -> bytes:
    """Run ``git`` on a bare repository and return its output; RepositoryError when it fails."""
    done = subprocess.run(
        ["git", f"--git-dir={repo}", *args],
        input=input, capture_output=True, env={**_git_env(author), **(extra_env or {})}, timeout=120,
    )
    if done.returncode != 0:
        raise RepositoryError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def repository_path(root: Path, user_id: int, exercise_id: int) -> Path:
    """Where the repository of one trainee for one exercise lives (it may not exist yet)."""
    return Path(root) / str(int(user_id)) / f"{int(exercise_id)}.git"


def exists(repo: Path) -> bool:
    """Whether a repository has been created at this path."""
    return (Path(repo) / "HEAD").is_file()


def create_from_template(repo: Path, template_dir: Path, message: str, branches: dict | None = None) -> str:
    """Create a bare repository whose first commit (by the platform) holds the template's files.

    ``branches`` ({name: {"message": str, "files": {path: text}}}): prepared branches, each one commit on
    top of the template with its files laid over it. The template's commit is kept as ``refs/tic/template``
    and each prepared commit as ``refs/tic/branches/<name>`` (a push can only change main), so the
    repository checks know which commits are the trainee's. Safe against two requests racing: the
    repository is built in a temporary folder beside its final place and renamed into place; if another
    request won, its repository is kept. Returns the sha of ``main``.
    """
    repo = Path(repo)
    if exists(repo):
        return head(repo) or ""
    repo.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".new-", dir=repo.parent))
    try:
        subprocess.run(["git", "init", "-q", "--bare", f"--initial-branch={MAIN_BRANCH}", str(building)],
                       check=True, capture_output=True, env=_git_env())
        template_sha = _commit_tree(building, template_dir, {}, message, parent=None)
        git(building, "update-ref", f"refs/heads/{MAIN_BRANCH}", template_sha)
        git(building, "update-ref", TEMPLATE_REF, template_sha)
        for name, branch in (branches or {}).items():
            sha = _commit_tree(building, template_dir, branch.get("files") or {}, branch["message"], template_sha)
            git(building, "update-ref", f"refs/heads/{name}", sha)
            git(building, "update-ref", f"{PREPARED_REFS}{name}", sha)
        install_hooks(building)
        try:
            building.rename(repo)
        except OSError:
            if not exists(repo):
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return head(repo) or ""


def _commit_tree(repo: Path, template_dir: Path, files: dict[str, str], message: str, parent: str | None) -> str:
    """Commit the template's files with ``files`` laid over them (not moving any branch); the new sha."""
    work = Path(tempfile.mkdtemp(prefix=".tree-", dir=repo.parent))
    index = repo / "tic-index"
    try:
        shutil.copytree(template_dir, work, dirs_exist_ok=True)
        for name, text in files.items():
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        env = {"GIT_INDEX_FILE": str(index), "GIT_WORK_TREE": str(work)}
        index.unlink(missing_ok=True)
        done = subprocess.run(["git", f"--git-dir={repo}", "add", "-A", "."], cwd=work, env={**_git_env(), **env},
                              capture_output=True)
        if done.returncode != 0:
            raise RepositoryError(done.stderr.decode("utf-8", "replace").strip())
        tree = git(repo, "write-tree", extra_env=env).decode().strip()
        parents = ["-p", parent] if parent else []
        return git(repo, "commit-tree", tree, *parents, "-m", message).decode().strip()
    finally:
        index.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def template_commit(repo: Path) -> str | None:
    """The platform's template commit: ``refs/tic/template``, else (older repositories) main's first commit."""
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{TEMPLATE_REF}^{{commit}}").decode().strip()
    except RepositoryError:
        pass
    if head(repo) is None:
        return None
    roots = git(repo, "rev-list", "--first-parent", "--max-parents=0", f"refs/heads/{MAIN_BRANCH}").decode().split()
    return roots[-1] if roots else None


def prepared_commits(repo: Path) -> dict[str, str]:
    """{branch name: sha} of the prepared branches the platform made (``refs/tic/branches/*``)."""
    out = git(repo, "for-each-ref", "--format=%(refname)%00%(objectname)", PREPARED_REFS).decode()
    found = {}
    for line in out.splitlines():
        name, sha = line.split("\0", 1)
        found[name[len(PREPARED_REFS):]] = sha
    return found


def head(repo: Path, branch: str = MAIN_BRANCH) -> str | None:
    """The commit sha a branch points to, or None when the branch does not exist."""
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}").decode().strip()
    except RepositoryError:
        return None


def has_commit(repo: Path, sha: str) -> bool:
    """Whether the repository holds this commit."""
    try:
        git(repo, "cat-file", "-e", f"{sha}^{{commit}}")
        return True
    except RepositoryError:
        return False


def commit_log(repo: Path, branch: str = MAIN_BRANCH, limit: int = 50) -> list[Commit]:
    """The newest commits of a branch, newest first."""
    if head(repo, branch) is None:
        return []
    out = git(repo, "log", f"--max-count={int(limit)}", "--format=%H%x00%an%x00%ct%x00%s%x1e",
              f"refs/heads/{branch}")
    commits = []
    for record in out.decode("utf-8", "replace").split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        sha, author, stamp, subject = record.split("\x00", 3)
        commits.append(Commit(sha, author, datetime.fromtimestamp(int(stamp), timezone.utc), subject))
    return commits


def export_commit(repo: Path, sha: str, dest: Path) -> None:
    """Write the files of a commit into ``dest`` (an existing empty folder), as ``git archive`` does."""
    data = git(repo, "archive", "--format=tar", sha)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=data, check=True, capture_output=True)


def zip_of_commit(repo: Path, sha: str, prefix: str) -> bytes:
    """A ZIP archive of a commit's files under the folder name ``prefix``."""
    return git(repo, "archive", "--format=zip", f"--prefix={prefix.strip('/')}/", sha)


def install_hooks(repo: Path) -> bool:
    """Install the pre-receive hook (read-only, mode 0555) and the receive settings; True when anything changed.

    Pushes only ever write objects and refs, never ``hooks/`` or ``config``, so a push cannot
    replace the hook. Safe to run again (the repair command runs it over every repository).
    """
    repo = Path(repo)
    changed = False
    hook = repo / "hooks" / "pre-receive"
    wanted = PRE_RECEIVE_HOOK.read_bytes()
    if not hook.is_file() or hook.read_bytes() != wanted or (hook.stat().st_mode & 0o777) != 0o555:
        hook.parent.mkdir(exist_ok=True)
        fresh = hook.with_name(".pre-receive.new")
        fresh.unlink(missing_ok=True)
        fresh.write_bytes(wanted)
        fresh.chmod(0o555)
        os.replace(fresh, hook)
        changed = True
    for key, value in RECEIVE_CONFIG.items():
        try:
            current = git(repo, "config", "--get", key).decode().strip()
        except RepositoryError:
            current = None
        if current != value:
            git(repo, "config", key, value)
            changed = True
    return changed


def hooks_installed(repo: Path) -> bool:
    """Whether the repository carries the current pre-receive hook."""
    hook = Path(repo) / "hooks" / "pre-receive"
    return hook.is_file() and hook.read_bytes() == PRE_RECEIVE_HOOK.read_bytes() and os.access(hook, os.X_OK)


def all_repositories(root: Path) -> list[Path]:
    """Every repository under the root folder."""
    return sorted(path for path in Path(root).glob("*/*.git") if exists(path))


def repair_hooks(root: Path) -> list[Path]:
    """Install the current hook and settings into every repository under ``root``; returns those changed."""
    return [repo for repo in all_repositories(root) if install_hooks(repo)]


@contextmanager
def push_lock(repo: Path):
    """Hold the repository's push lock: one push at a time per repository, across processes."""
    with open(Path(repo) / "tic-push.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_quarantine(repo: Path) -> int:
    """Delete objects git kept in quarantine for a push that was stopped; returns how many folders went.

    git receives a push into ``objects/tmp_objdir-incoming-*`` and moves it into the repository only
    once the hooks accept it. A push stopped half-way can leave that folder behind. Call this only
    while holding ``push_lock`` (no other push can be using a quarantine then).
    """
    removed = 0
    for folder in (Path(repo) / "objects").glob("tmp_objdir-incoming-*"):
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
