"""Authoring repository checks: checks:/branches: in project.yaml, their problems, and validate's proof with git history."""
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from tests.projects.test_authoring import make_tree, problems_of
from tic_academy.curriculum.sync import sync_curricula
from tic_academy.curriculum.validate import validate
from tic_academy.extensions import db
from tic_academy.grading.project import ProjectSpec
from tic_academy.models import Exercise

SOLUTION_SH = """\
cp -R "$SOLUSI"/. .
git add -A
git commit -q -m "Selesaikan layanan pengaduan warga"
git merge -q --no-ff --no-edit origin/catatan-tim
"""
LAZY_SH = SOLUTION_SH.replace("Selesaikan layanan pengaduan warga", "update")
NO_MERGE_SH = "\n".join(SOLUTION_SH.splitlines()[:3]) + "\n"


def with_checks(folder: Path, checks: dict, branches: dict | None = None, wrong: list | None = None) -> None:
    """Add checks (and branches, and replace the wrong answers) to a copied project's project.yaml."""
    path = folder / "project.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["checks"] = checks
    if branches is not None:
        data["branches"] = branches
    if wrong is not None:
        data["wrong_answers"] = wrong
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


TASK = {"id": "Riwayat rapi", "en": "A tidy history"}
HISTORY_CHECKS = {
    "penggabungan": {"check": "merge_commit", "branches": ["catatan-tim"], "points": 1, "task": TASK},
    "pesan-commit": {"check": "commit_messages", "min_commits": 2, "min_length": 10, "points": 1, "task": TASK},
    "tanpa-konflik": {"check": "no_conflict_markers", "points": 1, "task": TASK},
}


def test_check_problems_are_reported_without_execution(tmp_path):
    """Are an unknown kind, bad parameters, an unknown branch, a branch without files, a stray branch folder,
    and a check id that is not lowercase reported?"""
    root = make_tree(tmp_path)
    folder = root / "projects" / "layanan-pengaduan"
    with_checks(folder, {
        "sihir": {"check": "git_magic", "points": 1, "task": TASK},
        "readme": {"check": "file_contains", "path": "README.md", "patterns": ["("], "points": 1, "task": TASK},
        "gabung": {"check": "merge_commit", "branches": ["tidak-ada"], "points": 1, "task": TASK},
    }, branches={"kosong": {"message": "Cabang tanpa berkas"}})
    (folder / "branches" / "liar").mkdir(parents=True)
    (folder / "branches" / "liar" / "a.txt").write_text("a\n")
    problems = problems_of(validate(root))
    expected = ["checks.sihir: unknown check kind 'git_magic'", "checks.readme: pattern '(' is not a valid regular expression",
                "checks.gabung: 'tidak-ada' is not a prepared branch", "branches/kosong: no files in this prepared branch",
                "branches/liar: a folder with no entry under branches:"]
    for text in expected:
        assert any(text in problem for problem in problems), (text, problems)
    with_checks(folder, {"Huruf_Besar": {"check": "no_conflict_markers", "points": 1, "task": TASK}})
    assert any("'Huruf_Besar' does not match" in problem for problem in problems_of(validate(root)))


def test_a_history_script_needs_checks_and_a_target_may_be_a_check(tmp_path):
    root = make_tree(tmp_path)
    folder = root / "projects" / "layanan-pengaduan"
    (folder / "solution.sh").write_text(SOLUTION_SH)
    assert any("solution.sh: a history script needs checks" in p for p in problems_of(validate(root)))
    with_checks(folder, HISTORY_CHECKS, {"catatan-tim": {"message": "Tambah catatan tim"}}, wrong=[
        {"id": "pesan-malas", "reason": "pesan commit 'update' tidak menjelaskan perubahan", "targets": ["pesan-commit"]}])
    (folder / "branches" / "catatan-tim").mkdir(parents=True)
    (folder / "branches" / "catatan-tim" / "CATATAN.md").write_text("# Catatan tim\n")
    (folder / "wrong" / "pesan-malas").mkdir(parents=True)
    (folder / "wrong" / "pesan-malas" / "history.sh").write_text(LAZY_SH)
    assert problems_of(validate(root)) == []


@pytest.mark.kernel
def test_validate_proves_a_project_through_its_git_history(tmp_path, project_engine):
    """Is the solution's scripted history graded with its checks at full marks, the template at zero on every
    entry (checks included), each history wrong answer caught, and an uncaught one reported?"""
    root = make_tree(tmp_path)
    folder = root / "projects" / "layanan-pengaduan"
    with_checks(folder, HISTORY_CHECKS, {"catatan-tim": {"message": "Tambah catatan tim untuk peserta"}}, wrong=[
        {"id": "pesan-malas", "reason": "pesan commit 'update' tidak menjelaskan perubahan", "targets": ["pesan-commit"]},
        {"id": "tanpa-gabung", "reason": "cabang catatan-tim tidak digabungkan", "targets": ["penggabungan"]},
        {"id": "daftar-tanpa-saring", "reason": "berkas salah di atas riwayat solusi",
         "targets": ["test_daftar.py::test_saring_menurut_status"]},
        {"id": "tidak-tertangkap", "reason": "riwayat yang sama dengan solusi: tidak tertangkap", "targets": ["tanpa-konflik"]},
    ])
    (folder / "branches" / "catatan-tim").mkdir(parents=True)
    (folder / "branches" / "catatan-tim" / "CATATAN.md").write_text("# Catatan tim\n")
    (folder / "solution.sh").write_text(SOLUTION_SH)
    for wrong, script in (("pesan-malas", LAZY_SH), ("tanpa-gabung", NO_MERGE_SH), ("tidak-tertangkap", SOLUTION_SH)):
        (folder / "wrong" / wrong).mkdir(parents=True)
        (folder / "wrong" / wrong / "history.sh").write_text(script)
    for stale in ("kategori-tidak-diperiksa", "status-bebas-berpindah"):
        shutil.rmtree(folder / "wrong" / stale)
    report = validate(root, project_engine, require_wrong_answers=True)
    problems = problems_of(report)
    assert [p for p in problems if "tidak-tertangkap" not in p] == []
    assert any("wrong answer tidak-tertangkap: not caught: tanpa-konflik" in p for p in problems), problems
    assert (report.wrong_answers, report.not_caught) == (4, 1)


def test_sync_stores_the_checks_and_a_changed_check_makes_a_new_version(app, tmp_path):
    """Are checks and branches stored in the version like the points map, and does editing one check version it?"""
    root = make_tree(tmp_path)
    folder = root / "projects" / "layanan-pengaduan"
    with_checks(folder, HISTORY_CHECKS, {"catatan-tim": {"message": "Tambah catatan tim"}}, wrong=[])
    (folder / "branches" / "catatan-tim").mkdir(parents=True)
    (folder / "branches" / "catatan-tim" / "CATATAN.md").write_text("# Catatan tim\n")
    assert sync_curricula(root).ok
    exercise = db.session.scalar(select(Exercise).where(Exercise.slug == "proyek-1"))
    first = exercise.current_version
    spec = ProjectSpec.from_json(first.source)
    assert spec.checks == HISTORY_CHECKS and spec.branches["catatan-tim"]["files"] == {"CATATAN.md": "# Catatan tim\n"}
    assert first.max_score == 13 + 3
    with_checks(folder, {**HISTORY_CHECKS, "tanpa-konflik": {**HISTORY_CHECKS["tanpa-konflik"], "points": 2}})
    assert "new version" in sync_curricula(root).report
    assert exercise.current_version.id != first.id and exercise.current_version.max_score == 13 + 4
