"""Making commits in a trainee's bare repository, as a trainee's git client would."""
import os
import subprocess
import tempfile
from pathlib import Path

from tic_academy.services import repositories

ENV = {"GIT_AUTHOR_NAME": "Peserta", "GIT_AUTHOR_EMAIL": "peserta@contoh.test",
       "GIT_COMMITTER_NAME": "Peserta", "GIT_COMMITTER_EMAIL": "peserta@contoh.test",
       "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def push_files(repo: Path, files: dict, message: str = "Kerjakan tugas") -> str:
    """Clone the repository, write ``files`` (path -> bytes or None to delete), commit, push; the new sha."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / "kerja"
        subprocess.run(["git", "clone", "-q", str(repo), str(work)], check=True, env=ENV, capture_output=True)
        for name, data in files.items():
            path = work / name
            if data is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for args in (["add", "-A"], ["commit", "-q", "-m", message], ["push", "-q", "origin", "main"]):
            subprocess.run(["git", *args], cwd=work, check=True, env=ENV, capture_output=True)
    return repositories.head(repo)


def served_app_config(app_config: dict, tmp_path: Path) -> dict:
    """Settings for a test that serves the app to a real git client while the local runner grades:
    a database file the server's and the runner's threads share, no warm kernels, its own repositories."""
    database = app_config["SQLALCHEMY_DATABASE_URI"]
    if database == "sqlite://":
        database = f"sqlite:///{tmp_path / 'e2e.sqlite'}"
    return {**app_config, "SQLALCHEMY_DATABASE_URI": database, "RUNNER": "local", "KERNEL_POOL_SIZE": 0,
            "REPO_ROOT": str(tmp_path / "repos")}
