"""Fixtures for git over HTTP: the app served on a free local port, a stand-in for the projects service,
and a real ``git`` client that ignores the machine's git configuration."""
import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tic_academy.services import projects, repositories, tokens


@pytest.fixture
def app_config(app_config, tmp_path):
    """Repositories under tmp_path; a database file the server's threads share (unless PostgreSQL)."""
    config = dict(app_config)
    config["REPO_ROOT"] = tmp_path / "repos"
    if config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'git.sqlite'}"
    return config


@pytest.fixture
def server(app):
    """The app on a free local port, in a thread; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    app.config["EXTERNAL_URL"] = f"http://127.0.0.1:{port}"
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    thread.join(timeout=5)


class ProjectsDouble:
    """Stands in for services.projects: which exercises are open to whom, and the commits submitted."""

    def __init__(self, root: Path, template: Path):
        self.root = root
        self.template = template
        self.open: set[tuple[int, int]] = set()
        self.submitted: list[tuple[int, int, str, str]] = []

    def repository_for(self, user, exercise_id, root):
        """Like the real one: the owner's repository, made from the template on first use."""
        if (user.id, exercise_id) not in self.open:
            return None
        repo = repositories.repository_path(root, user.id, exercise_id)
        repositories.create_from_template(repo, self.template, "Mulai dari templat")
        return repo

    def submit_commit(self, trainee_id, exercise_id, sha, via, root):
        """Remember the call."""
        self.submitted.append((trainee_id, exercise_id, sha, via))


@pytest.fixture
def project(app, monkeypatch, tmp_path):
    """The projects service replaced by a ProjectsDouble with a two-file template."""
    template = tmp_path / "template"
    (template / "kalkulator").mkdir(parents=True)
    (template / "README.md").write_text("# Kalkulator\n")
    (template / "kalkulator" / "__init__.py").write_text("def tambah(a, b):\n    raise NotImplementedError\n")
    double = ProjectsDouble(app.config["REPO_ROOT"], template)
    monkeypatch.setattr(projects, "repository_for", double.repository_for)
    monkeypatch.setattr(projects, "submit_commit", double.submit_commit)
    return double


def git_env(home: Path) -> dict[str, str]:
    """A git client environment: no system or user configuration, no prompts, a fixed author."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "Peserta Uji",
        "GIT_AUTHOR_EMAIL": "peserta@contoh.test",
        "GIT_COMMITTER_NAME": "Peserta Uji",
        "GIT_COMMITTER_EMAIL": "peserta@contoh.test",
        "LC_ALL": "C",
    }


class GitClient:
    """Runs the real git program in a folder of the test's own."""

    def __init__(self, home: Path):
        self.home = home
        home.mkdir(parents=True, exist_ok=True)

    def run(self, *args, cwd=None, check=True) -> subprocess.CompletedProcess:
        """Run ``git ARGS``; returns the finished process (text output)."""
        done = subprocess.run(["git", *args], cwd=cwd or self.home, env=git_env(self.home), capture_output=True,
                              text=True, timeout=120)
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def commit_file(self, work: Path, name: str, content: bytes, message: str) -> str:
        """Write a file, commit it, return the new commit's sha."""
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(content)
        self.run("add", name, cwd=work)
        self.run("commit", "-q", "-m", message, cwd=work)
        return self.run("rev-parse", "HEAD", cwd=work).stdout.strip()


@pytest.fixture
def git_client(tmp_path):
    """A git client working under tmp_path/client."""
    return GitClient(tmp_path / "client")


def clone_url(base: str, owner_id: int, exercise_id: int, token: str | None = None) -> str:
    """The clone URL, with the token as the Basic password when given."""
    credentials = f"peserta:{token}@" if token else ""
    return f"{base.replace('http://', 'http://' + credentials)}/git/{owner_id}/{exercise_id}.git"


def make_token(user, days=None) -> str:
    """A fresh personal access token for ``user``."""
    return tokens.create_token(user, "Laptop uji", days, "127.0.0.1", max_active=50)[1]


def repository_state(repo: Path) -> dict[str, bytes]:
    """Every file under refs/, objects/ and packed-refs with its content: "the repository as it is"."""
    state = {}
    for path in sorted(repo.rglob("*")):
        relative = path.relative_to(repo).as_posix()
        if path.is_file() and (relative.startswith(("refs/", "objects/")) or relative == "packed-refs"):
            state[relative] = path.read_bytes()
    return state
