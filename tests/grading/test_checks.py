"""Repository checks (grading/checks.py) on real git repositories: each kind passing and failing."""
import os
import subprocess
from pathlib import Path

import pytest

from tic_academy.grading import checks
from tic_academy.grading.checks import RepositoryUnreadable, evaluate, problems_of
from tic_academy.services import repositories

ENV = {"GIT_AUTHOR_NAME": "Peserta", "GIT_AUTHOR_EMAIL": "peserta@contoh.test",
       "GIT_COMMITTER_NAME": "Peserta", "GIT_COMMITTER_EMAIL": "peserta@contoh.test",
       "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
TEMPLATE = {"README.md": "# Proyek\n", "requirements.txt": "pytest\n", "aduan/format.py": "def format_aduan(a):\n    return a\n"}
BRANCHES = {
    "fitur-a": {"message": "Tambah fitur A ke format", "files": {"aduan/format.py": "def format_aduan(a):\n    return 'A' + a\n"}},
    "fitur-b": {"message": "Tambah fitur B ke format", "files": {"aduan/format.py": "def format_aduan(a):\n    return a + 'B'\n"}},
}
TASK = {"id": "Tugas", "en": "Task"}


class Repo:
    """A trainee's bare repository made by the platform, and a clone to commit in."""

    def __init__(self, tmp_path: Path, branches=None):
        template = tmp_path / "template"
        for name, text in TEMPLATE.items():
            (template / name).parent.mkdir(parents=True, exist_ok=True)
            (template / name).write_text(text)
        self.bare = tmp_path / "repo.git"
        repositories.create_from_template(self.bare, template, "Templat awal", branches)
        self.work = tmp_path / "kerja"
        self.git("clone", "-q", str(self.bare), str(self.work), cwd=tmp_path)

    def git(self, *args, cwd=None, check=True):
        """Run git in the clone."""
        return subprocess.run(["git", *args], cwd=cwd or self.work, env=ENV, capture_output=True, check=check)

    def commit(self, files: dict, subject: str = "Kerjakan tugas format aduan") -> str:
        """Write files (str or bytes), commit them on the current branch; the sha."""
        for name, data in files.items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode() if isinstance(data, str) else data)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", subject)
        return self.push()

    def push(self) -> str:
        """Push main; main's sha."""
        self.git("push", "-q", "origin", "main")
        return repositories.head(self.bare)

    def grade(self, check: dict, sha: str | None = None):
        """The one check's result on a commit (main by default)."""
        sha = sha or repositories.head(self.bare)
        [result] = evaluate({"c": {**check, "points": 1, "task": TASK}}, self.bare, sha,
                            repositories.template_commit(self.bare), repositories.prepared_commits(self.bare))
        return result


def code(result) -> str | None:
    """The failure's message code, None when the check passed."""
    assert (result.status == "passed") == (result.message is None)
    return result.message and result.message["code"]


@pytest.fixture
def repo(tmp_path):
    return Repo(tmp_path)


def test_the_template_as_given_fails_every_check(repo):
    """A check that would pass on the template's files still earns nothing before the trainee commits."""
    for check in ({"check": "file_exists", "paths": ["README.md"]}, {"check": "no_conflict_markers"},
                  {"check": "requirements_installable"}):
        assert code(repo.grade(check)) == "check_no_commits"


def test_file_exists(repo):
    repo.commit({"LAPORAN.md": "isi\n", "kosong.txt": ""})
    assert code(repo.grade({"check": "file_exists", "paths": ["README.md", "LAPORAN.md"]})) is None
    assert code(repo.grade({"check": "file_exists", "paths": ["README.md", "TIDAK.md"]})) == "check_file_missing"
    assert code(repo.grade({"check": "file_exists", "paths": ["kosong.txt"]})) == "check_file_empty"


def test_file_contains_patterns_and_changed(repo):
    readme = {"check": "file_contains", "path": "README.md", "patterns": ["(?im)^#+ .*menjalankan", "(?i)pytest"]}
    repo.commit({"catatan.txt": "x\n"})
    assert code(repo.grade(readme)) == "check_pattern_missing"
    assert code(repo.grade({**readme, "patterns": ["Proyek"], "changed": True})) == "check_file_unchanged"
    assert code(repo.grade({**readme, "patterns": ["Proyek"]})) is None
    repo.commit({"README.md": "# Proyek\n\n## Cara menjalankan\n\nJalankan `pytest`.\n"})
    assert code(repo.grade({**readme, "changed": True})) is None
    assert code(repo.grade({**readme, "path": "TIDAK.md"})) == "check_file_missing"


def test_file_contains_refuses_a_binary_file(repo):
    repo.commit({"data.bin": b"\x00\x01pytest\x00"})
    assert code(repo.grade({"check": "file_contains", "path": "data.bin", "patterns": ["pytest"]})) == "check_file_not_text"


@pytest.mark.parametrize("line, caught", [("<<<<<<< HEAD", True), (">>>>>>> fitur-a", True), ("=======", True),
                                          ("========", False), ("  <<<<<<< HEAD", False), ("x = '======='", False)])
def test_no_conflict_markers_boundaries(repo, line, caught):
    repo.commit({"aduan/format.py": f"def f():\n    return 1\n{line}\n"})
    assert code(repo.grade({"check": "no_conflict_markers"})) == ("check_conflict_marker" if caught else None)


def test_conflict_marker_reported_with_its_file_and_line(repo):
    repo.commit({"b.py": "a = 1\n<<<<<<< HEAD\n"})
    result = repo.grade({"check": "no_conflict_markers"})
    assert result.message["params"] == {"path": "b.py", "line": 2}


def test_no_conflict_markers_skips_binary_files(repo):
    repo.commit({"gambar.png": b"\x89PNG\x00\n<<<<<<< HEAD\n"})
    assert code(repo.grade({"check": "no_conflict_markers"})) is None


def test_a_huge_file_is_read_only_up_to_the_cap(repo, monkeypatch):
    """A file over the cap is judged by its head: a marker there is caught, the rest is never read."""
    monkeypatch.setattr(checks, "BLOB_CAP", 64 * 1024)
    big = "<<<<<<< HEAD\n" + "x = 1\n" * 40_000  # about 240 KiB
    repo.commit({"besar.py": big})
    assert code(repo.grade({"check": "no_conflict_markers"})) == "check_conflict_marker"
    repo.commit({"besar.py": "x = 1\n" * 40_000 + "<<<<<<< HEAD\n"})
    assert code(repo.grade({"check": "no_conflict_markers"})) is None  # past the cap: not read


def test_requirements_installable(repo):
    check = {"check": "requirements_installable", "require": ["pytest"]}
    repo.commit({"requirements.txt": "# alat uji\npytest>=1.0\npackaging  # untuk versi\n\n"})
    assert code(repo.grade(check)) is None
    repo.commit({"requirements.txt": "pytest\npaket-yang-tidak-ada-sama-sekali\n"})
    assert code(repo.grade(check)) == "check_requirement_unavailable"
    repo.commit({"requirements.txt": "pytest<1.0\n"})
    assert code(repo.grade(check)) == "check_requirement_version"
    repo.commit({"requirements.txt": "pytest ===\n"})
    assert code(repo.grade(check)) == "check_requirement_invalid"
    repo.commit({"requirements.txt": "packaging\n"})
    assert code(repo.grade(check)) == "check_requirement_missing"
    assert code(repo.grade({"check": "requirements_installable", "path": "dev.txt"})) == "check_file_missing"


@pytest.fixture
def branched(tmp_path):
    return Repo(tmp_path, BRANCHES)


def test_prepared_branches_are_one_commit_over_the_template(branched):
    """The repository a trainee gets has main (the template) and each prepared branch one commit over it."""
    template = repositories.template_commit(branched.bare)
    prepared = repositories.prepared_commits(branched.bare)
    assert set(prepared) == {"fitur-a", "fitur-b"}
    assert repositories.head(branched.bare) == template
    for name, sha in prepared.items():
        assert repositories.head(branched.bare, name) == sha
        assert repositories.git(branched.bare, "rev-parse", f"{sha}^").decode().strip() == template
        assert repositories.git(branched.bare, "log", "-1", "--format=%s", sha).decode().strip() == BRANCHES[name]["message"]
        text = repositories.git(branched.bare, "show", f"{sha}:aduan/format.py").decode()
        assert text == BRANCHES[name]["files"]["aduan/format.py"]


def test_merge_commit_and_branches(branched):
    check = {"check": "merge_commit", "branches": ["fitur-a", "fitur-b"]}
    branched.git("merge", "-q", "--no-edit", "origin/fitur-a")  # a fast-forward: no merge commit
    branched.commit({"catatan.txt": "mulai\n"}, "Tambah catatan kerja harian")
    assert code(branched.grade(check)) == "check_no_merge"
    assert code(branched.grade({"check": "merge_commit"})) == "check_no_merge"
    branched.git("merge", "-q", "--no-edit", "origin/fitur-b", check=False)  # conflicts
    branched.commit({"aduan/format.py": "def format_aduan(a):\n    return 'A' + a + 'B'\n"}, "Gabungkan fitur B ke main")
    assert code(branched.grade(check)) is None
    assert code(branched.grade({"check": "merge_commit", "branches": ["fitur-c"]})) == "check_branch_unknown"


def test_merge_commit_names_the_branch_not_merged(branched):
    branched.git("checkout", "-q", "-b", "tugas")
    branched.commit({"catatan.txt": "x\n"}, "Tambah catatan pada cabang tugas")
    branched.git("checkout", "-q", "main")
    branched.git("merge", "-q", "--no-ff", "--no-edit", "tugas")
    branched.push()
    result = branched.grade({"check": "merge_commit", "branches": ["fitur-a"]})
    assert code(result) == "check_branch_not_merged" and result.message["params"] == {"branch": "fitur-a"}
    assert code(branched.grade({"check": "merge_commit"})) is None


def test_prepared_commits_are_not_the_trainees(branched):
    """Merging a prepared branch by fast-forward gives the trainee no commit of theirs."""
    branched.git("merge", "-q", "--no-edit", "origin/fitur-a")
    branched.push()
    assert code(branched.grade({"check": "no_conflict_markers"})) == "check_no_commits"


@pytest.mark.parametrize("subject, expected", [
    ("Tambah kategori pada format aduan", None), ("update", "check_lazy_message"), ("  WIP ", "check_lazy_message"),
    ("Perbaikan", "check_lazy_message"), (".", "check_lazy_message"), ("Ubah teks", "check_short_message"),
    ("Ubah teks!", None),
])
def test_commit_messages(repo, subject, expected):
    repo.commit({"a.txt": "1\n"}, "Tambah berkas catatan pertama")
    repo.commit({"a.txt": "2\n"}, subject)
    assert code(repo.grade({"check": "commit_messages", "min_commits": 2, "min_length": 10})) == expected


def test_commit_messages_counts_the_trainees_commits(repo):
    repo.commit({"a.txt": "1\n"}, "Tambah berkas catatan pertama")
    result = repo.grade({"check": "commit_messages", "min_commits": 3})
    assert code(result) == "check_too_few_commits" and result.message["params"] == {"wanted": 3, "found": 1}


def test_a_missing_repository_or_commit_stops_the_grading(tmp_path, repo):
    sha = repo.commit({"a.txt": "1\n"})
    with pytest.raises(RepositoryUnreadable) as stopped:
        evaluate({"c": {"check": "no_conflict_markers", "points": 1, "task": TASK}}, tmp_path / "none.git", sha, sha)
    assert stopped.value.message["code"] == "check_repository_missing"
    with pytest.raises(RepositoryUnreadable) as stopped:
        evaluate({"c": {"check": "no_conflict_markers", "points": 1, "task": TASK}}, repo.bare, "0" * 40, sha)
    assert stopped.value.message["code"] == "check_git_failed"


def test_results_carry_points_and_task_names(repo):
    repo.commit({"a.txt": "1\n"})
    sha = repositories.head(repo.bare)
    results = evaluate({"ada": {"check": "file_exists", "paths": ["a.txt"], "points": 2, "task": TASK},
                        "tidak": {"check": "file_exists", "paths": ["b.txt"], "points": 3, "task": TASK}},
                       repo.bare, sha, repositories.template_commit(repo.bare))
    assert [(r.grade_id, r.points, r.max_points, r.title, r.title_en) for r in results] == [
        ("ada", 2.0, 2.0, "Tugas", "Task"), ("tidak", 0.0, 3.0, "Tugas", "Task")]


@pytest.mark.parametrize("check, problem", [
    ({"check": "git_magic"}, "unknown check kind"),
    ({"check": "file_exists"}, "needs 'paths'"),
    ({"check": "file_exists", "paths": []}, "non-empty list"),
    ({"check": "file_exists", "paths": ["../x"]}, "not a relative file path"),
    ({"check": "file_contains", "path": "README.md", "patterns": ["("]}, "not a valid regular expression"),
    ({"check": "file_contains", "path": "README.md", "patterns": ["x"], "changed": "ya"}, "true or false"),
    ({"check": "no_conflict_markers", "paths": ["x"]}, "takes no parameter 'paths'"),
    ({"check": "commit_messages", "min_commits": 0}, "whole number"),
    ({"check": "merge_commit", "branches": "fitur-a"}, "non-empty list"),
    ({"check": "requirements_installable", "require": [""]}, "non-empty list"),
])
def test_problems_of_bad_parameters(check, problem):
    found = problems_of("c", {**check, "points": 1, "task": TASK})
    assert any(problem in text for text in found), found


def test_valid_checks_have_no_problems():
    for check in ({"check": "file_exists", "paths": ["a"]}, {"check": "no_conflict_markers"},
                  {"check": "file_contains", "path": "README.md", "patterns": ["x"], "changed": True},
                  {"check": "requirements_installable", "path": "r.txt", "require": ["flask"]},
                  {"check": "merge_commit", "branches": ["a"]}, {"check": "commit_messages", "min_commits": 3, "min_length": 10}):
        assert problems_of("c", {**check, "points": 1, "task": TASK}) == []


def test_odd_bytes_in_a_subject_judge_only_that_commit(repo):
    """A subject holding the separators git's output could use stays one commit's subject."""
    repo.commit({"a.txt": "1\n"}, "Tambah berkas catatan pertama")
    repo.commit({"a.txt": "2\n"}, "Tambah\x1e\x1f baris kedua pada catatan")
    result = repo.grade({"check": "commit_messages", "min_commits": 2})
    assert code(result) is None
    repo.commit({"a.txt": "3\n"}, "fix")
    result = repo.grade({"check": "commit_messages", "min_commits": 2})
    assert code(result) == "check_lazy_message" and result.message["params"]["subject"] == "fix"
