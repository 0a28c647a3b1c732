"""The editor's git service: reading a commit, web commits (rules, limits, stale base), the public-test spec."""

import pytest

from tests.projects.helpers import push_files
from tic_academy.grading import pack_files, read_files
from tic_academy.services import project_editor as editor, repositories
from tic_academy.services.project_editor import EditorError, StaleBase

AUTHOR = ("Siti Peserta", "siti@contoh.test")
LIMITS = {"file_max": 1024, "total_max": 4096}


@pytest.fixture
def repo(tmp_path):
    """A repository made from a small template."""
    template = tmp_path / "template"
    (template / "app").mkdir(parents=True)
    (template / "app" / "main.py").write_text("print('halo')\n")
    (template / "README.md").write_text("# Proyek\n")
    path = tmp_path / "repos" / "1" / "1.git"
    repositories.create_from_template(path, template, "Templat")
    return path


def commit(repo, changes, message="Ubah", base=None):
    """A web commit by AUTHOR with the small limits."""
    return editor.commit_changes(repo, base or repositories.head(repo), changes, message, AUTHOR, **LIMITS)


def files_at(repo, sha):
    """{path: text} of a commit."""
    return {entry.path: editor.read_file(repo, sha, entry.path).decode() for entry in editor.tree(repo, sha)}


def test_tree_and_read_file(repo):
    sha = repositories.head(repo)
    assert [entry.path for entry in editor.tree(repo, sha)] == ["README.md", "app/main.py"]
    assert editor.read_file(repo, sha, "app/main.py") == b"print('halo')\n"
    with pytest.raises(EditorError):
        editor.read_file(repo, sha, "tidak-ada.py")


def test_read_texts_in_one_call(repo):
    sha = commit(repo, [{"op": "write", "path": "data.bin", "content": "a\u0000b"},
                        {"op": "write", "path": "kosong.txt", "content": ""}])
    texts = editor.read_texts(repo, sha, editor.tree(repo, sha))
    assert texts == {"README.md": "# Proyek\n", "app/main.py": "print('halo')\n", "data.bin": None, "kosong.txt": ""}


def test_commit_writes_creates_and_is_authored_by_the_trainee(repo):
    base = repositories.head(repo)
    sha = commit(repo, [{"op": "write", "path": "app/main.py", "content": "print('baru')\n"},
                        {"op": "write", "path": "app/sub/baru.py", "content": "x = 1\n"}], "Tambah berkas")
    assert repositories.head(repo) == sha
    assert files_at(repo, sha) == {"README.md": "# Proyek\n", "app/main.py": "print('baru')\n",
                                   "app/sub/baru.py": "x = 1\n"}
    parent, author, committer, subject = repositories.git(
        repo, "log", "-1", "--format=%P%x00%an <%ae>%x00%cn <%ce>%x00%s", sha).decode().strip().split("\x00")
    assert parent == base
    assert author == committer == "Siti Peserta <siti@contoh.test>"
    assert subject == "Tambah berkas"


def test_rename_and_delete_files_and_folders(repo):
    sha = commit(repo, [{"op": "rename", "path": "app", "to": "paket"},
                        {"op": "rename", "path": "README.md", "to": "docs/BACA.md"}])
    assert sorted(files_at(repo, sha)) == ["docs/BACA.md", "paket/main.py"]
    sha = commit(repo, [{"op": "delete", "path": "paket"}])
    assert sorted(files_at(repo, sha)) == ["docs/BACA.md"]


def test_stale_base_is_refused_and_nothing_changes(repo):
    base = repositories.head(repo)
    pushed = push_files(repo, {"README.md": b"# Dari laptop\n"})
    objects_before = repositories.git(repo, "count-objects", "-v")
    with pytest.raises(StaleBase) as refused:
        commit(repo, [{"op": "write", "path": "app/main.py", "content": "print(1)\n"}], base=base)
    assert refused.value.current == pushed
    assert pushed[:8] in str(refused.value)
    assert repositories.head(repo) == pushed
    assert repositories.git(repo, "count-objects", "-v") == objects_before  # not even a blob written


def test_update_ref_old_value_check_refuses_a_race(repo, monkeypatch):
    base = repositories.head(repo)
    real_head = repositories.head
    # The branch moves after the head check but before update-ref: update-ref's old value refuses it.
    pushed = push_files(repo, {"README.md": b"# Balapan\n"})
    monkeypatch.setattr(repositories, "head", lambda path, branch="main": base if path == repo else real_head(path))
    with pytest.raises(StaleBase):
        commit(repo, [{"op": "write", "path": "x.py", "content": "1\n"}], base=base)
    assert real_head(repo) == pushed


@pytest.mark.parametrize("path", ["../luar.py", "/etc/passwd", ".git/config", "app/.GIT/x", "a//b.py", "a/./b.py",
                                  "a\\b.py", "", "nama;rm.py", "spasi /x.py", "x" * 101])
def test_path_rules(repo, path):
    head = repositories.head(repo)
    with pytest.raises(EditorError):
        commit(repo, [{"op": "write", "path": path, "content": "1\n"}])
    assert repositories.head(repo) == head


def test_limits_and_bad_changes(repo):
    head = repositories.head(repo)
    bad = [
        [{"op": "write", "path": "besar.txt", "content": "x" * 1025}],  # over the file limit
        [{"op": "write", "path": f"f{n}.txt", "content": "x" * 1000} for n in range(5)],  # over the total
        [],  # nothing
        [{"op": "delete", "path": "tidak-ada.py"}],
        [{"op": "write", "path": "README.md/x.py", "content": "1"}],  # a file used as a folder
        [{"op": "rename", "path": "README.md", "to": "app/main.py"}],  # onto an existing file
        [{"op": "write", "path": "README.md", "content": "# Proyek\n"}],  # no change at all
        [{"op": "chmod", "path": "README.md"}],
    ]
    for changes in bad:
        with pytest.raises(EditorError):
            commit(repo, changes)
    with pytest.raises(EditorError):
        commit(repo, [{"op": "write", "path": "a.py", "content": "1"}], message="  ")
    assert repositories.head(repo) == head


def test_commit_diff(repo):
    sha = commit(repo, [{"op": "write", "path": "app/main.py", "content": "print('baru')\n"}])
    text, cut = editor.commit_diff(repo, sha)
    assert "-print('halo')" in text and "+print('baru')" in text and not cut
    first, _cut = editor.commit_diff(repo, repositories.commit_log(repo)[-1].sha)
    assert "+# Proyek" in first


def test_working_copy_overlays_unsaved_changes(repo):
    snapshot = editor.working_copy(repo, repositories.head(repo), [
        {"op": "write", "path": "app/main.py", "content": "print(2)\n"}, {"op": "delete", "path": "README.md"}],
        **LIMITS)
    assert read_files(snapshot) == {"app/main.py": b"print(2)\n"}


def test_public_spec_lists_the_template_tests():
    template = pack_files({
        "tests/__init__.py": b"",
        "tests/test_publik.py": b"def test_satu():\n    pass\n\nclass TestDua:\n    def test_a(self):\n        pass\n",
        "pengaduan/app.py": b"",
    })
    spec = editor.public_spec(template)
    assert list(spec.points) == ["test_publik.py::test_satu", "test_publik.py::TestDua::test_a"]
    assert set(spec.hidden) == {"test_publik.py"}
    assert editor.public_spec(pack_files({"a.py": b""})) is None
