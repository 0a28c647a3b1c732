"""The disk holding trainee repositories fills up: a clear Indonesian error, nothing corrupted.

Tested at the boundary of services/repositories.py (its functions on a real tiny disk), and at the
web boundary (what a page shows when a request hits a full disk).
"""
import errno
import os
import subprocess
import tempfile

import pytest

from tests.conftest import require_or_skip
from tic_academy.services import repositories as repos

#: Size of the tiny disk.
DISK = 4 * 1024 * 1024
FULL_TEXT = "Penyimpanan server penuh"


@pytest.fixture
def tiny_disk():
    """A 4 MiB tmpfs mounted for this test (root only), unmounted afterwards."""
    path = tempfile.mkdtemp(prefix="tic-disk-")
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", path], capture_output=True).returncode == 0
    if not mounted:
        os.rmdir(path)
    require_or_skip(mounted, "cannot mount a tiny tmpfs here (needs root)")
    yield path
    subprocess.run(["umount", path], check=True)
    os.rmdir(path)


def _template(path, size: int):
    """A project template holding `size` bytes of incompressible data."""
    (path / "data").mkdir(parents=True)
    (path / "README.md").write_text("# Proyek\n")
    (path / "data" / "acak.bin").write_bytes(os.urandom(size))
    return path


def _fill(disk: str, leave: int) -> str:
    """Fill the disk until about `leave` bytes are free; returns the filler's path."""
    stats = os.statvfs(disk)
    filler = os.path.join(disk, "pengisi")
    with open(filler, "wb") as file:
        file.write(b"\0" * max(stats.f_bavail * stats.f_frsize - leave, 0))
    return filler


def _says_disk_full(error: Exception) -> bool:
    """Does the error say the disk is full (errno, git's message, or a failed git run's stderr)?"""
    text = str(error) + (getattr(error, "stderr", None) or b"").decode("utf-8", "replace")
    return getattr(error, "errno", None) == errno.ENOSPC or "No space left on device" in text


#: Free bytes left: too little for `git init`, or enough for it but not for the files.
@pytest.mark.parametrize("free", [24 * 1024, 160 * 1024])
def test_full_disk_leaves_no_half_repository_and_keeps_the_others(tiny_disk, tmp_path, free):
    """A repository that does not fit is refused whole; one already there stays intact; it fits once there is room."""
    root = os.path.join(tiny_disk, "repos")
    existing = repos.repository_path(root, 1, 1)
    first_sha = repos.create_from_template(existing, _template(tmp_path / "kecil", 1024), "Mulai")
    filler = _fill(tiny_disk, free)
    new = repos.repository_path(root, 1, 2)
    # (git init failing surfaces as CalledProcessError today: the web's error handler knows it too.)
    with pytest.raises((repos.RepositoryError, OSError, subprocess.CalledProcessError)) as raised:
        repos.create_from_template(new, _template(tmp_path / "besar", 400 * 1024), "Mulai")
    assert _says_disk_full(raised.value)
    assert not repos.exists(new)
    assert os.listdir(new.parent) == [existing.name]  # no half-built .new-/.tree- folders left behind
    assert repos.head(existing) == first_sha
    subprocess.run(["git", f"--git-dir={existing}", "fsck", "--full", "--strict"], check=True, capture_output=True)
    os.unlink(filler)
    assert len(repos.create_from_template(new, tmp_path / "besar", "Mulai")) == 40


@pytest.fixture
def full_disk_route(app):
    """A route that writes a repository on a full disk, as the project pages will."""
    def write_repository():
        raise repos.RepositoryError("fatal: unable to write new index file: No space left on device")

    def write_file():
        raise OSError(errno.ENOSPC, "No space left on device")

    def init_repository():
        raise subprocess.CalledProcessError(128, ["git", "init"], b"", b"fatal: No space left on device")

    app.add_url_rule("/uji/repo-penuh", "repo_full", write_repository, methods=["POST"])
    app.add_url_rule("/uji/berkas-penuh", "file_full", write_file, methods=["POST"])
    app.add_url_rule("/uji/init-penuh", "init_full", init_repository, methods=["POST"])


@pytest.mark.parametrize("path", ["/uji/repo-penuh", "/uji/berkas-penuh", "/uji/init-penuh"])
def test_full_disk_is_a_clear_indonesian_error(client, full_disk_route, path):
    """A request that meets a full disk gets 507 and an Indonesian explanation, as a page and as JSON."""
    page = client.post(path)
    assert page.status_code == 507
    assert FULL_TEXT in page.get_data(as_text=True)
    answer = client.post(path, headers={"Accept": "application/json"})
    assert answer.status_code == 507 and FULL_TEXT in answer.get_json()["error"]


def test_other_storage_errors_stay_a_500(app, client):
    """An OSError that is not a full disk is still a logged 500, not a storage message."""
    def broken():
        raise OSError(errno.EACCES, "Permission denied")

    app.add_url_rule("/uji/rusak", "broken", broken, methods=["POST"])
    response = client.post("/uji/rusak")
    assert response.status_code == 500 and FULL_TEXT not in response.get_data(as_text=True)
