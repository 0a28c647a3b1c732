"""Trainee repositories on disk: created from a template, read back, exported."""
import subprocess
import zipfile
import io

from tic_academy.services import repositories as repos


def _template(tmp_path):
    tpl = tmp_path / "template"
    (tpl / "kalkulator").mkdir(parents=True)
    (tpl / "README.md").write_text("# Kalkulator\n")
    (tpl / "kalkulator" / "__init__.py").write_text("def tambah(a, b):\n    raise NotImplementedError\n")
    return tpl


def test_created_from_template_with_one_platform_commit(tmp_path):
    repo = repos.repository_path(tmp_path / "repos", 7, 3)
    assert not repos.exists(repo)
    sha = repos.create_from_template(repo, _template(tmp_path), "Mulai dari templat")
    assert repos.exists(repo) and repo.name == "3.git" and repo.parent.name == "7"
    assert repos.head(repo) == sha and len(sha) == 40
    log = repos.commit_log(repo)
    assert [(c.sha, c.author, c.subject) for c in log] == [(sha, "TIC Academy", "Mulai dari templat")]
    # a second call keeps the existing repository
    assert repos.create_from_template(repo, tmp_path, "lain") == sha
    assert len(repos.commit_log(repo)) == 1


def test_clone_export_and_zip(tmp_path):
    repo = repos.repository_path(tmp_path / "repos", 1, 1)
    sha = repos.create_from_template(repo, _template(tmp_path), "Mulai")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    assert (clone / "kalkulator" / "__init__.py").is_file()
    out = tmp_path / "out"
    out.mkdir()
    repos.export_commit(repo, sha, out)
    assert (out / "README.md").read_text() == "# Kalkulator\n"
    names = zipfile.ZipFile(io.BytesIO(repos.zip_of_commit(repo, sha, "kalkulator"))).namelist()
    assert "kalkulator/README.md" in names and "kalkulator/kalkulator/__init__.py" in names
    assert repos.has_commit(repo, sha) and not repos.has_commit(repo, "0" * 40)
    assert repos.head(repo, "lain") is None
