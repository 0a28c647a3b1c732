"""The capstone project (projects/siaduan-capstone): its track entry, its trainee-side tests, validate's proof."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from tests.projects.conftest import ROOT, read_project
from tests.projects.test_authoring import make_tree, problems_of
from tic_academy.curriculum.sync import sync_curricula
from tic_academy.curriculum.validate import validate
from tic_academy.extensions import db
from tic_academy.grading.project import ProjectSpec, read_files
from tic_academy.models import Exercise

CAPSTONE = ROOT / "projects" / "siaduan-capstone"
TRACK = ROOT / "curricula" / "programmer-pemerintahan.yaml"


def tree(tmp_path: Path, *layers: str) -> Path:
    """The template with the given folders of the project laid over it, as a trainee's working copy."""
    folder = tmp_path / "repo"
    shutil.copytree(CAPSTONE / "template", folder)
    for layer in layers:
        shutil.copytree(CAPSTONE / layer, folder, dirs_exist_ok=True)
    return folder


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Plain `pytest` in the trainee's working copy, as the README tells the trainee to run it."""
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=folder, capture_output=True, text=True, timeout=120)


def test_track_entry_closes_the_capstone_stage():
    """Is the capstone the last, required entry of stage proyek-akhir (which keeps mentor sign-off), the old notebooks optional?"""
    track = yaml.safe_load(TRACK.read_text(encoding="utf-8"))
    stage = next(stage for stage in track["stages"] if stage["id"] == "proyek-akhir")
    assert stage["signoff_required"] is True
    *notebooks, capstone = stage["exercises"]
    assert capstone["id"] == "proyek-akhir-siaduan"
    assert (capstone["kind"], capstone["project"], capstone["week"], capstone["required"]) == \
        ("project", "siaduan-capstone", 12, True)
    assert [entry["required"] for entry in notebooks] == [False, False, False]


def test_the_project_reads_without_problems():
    """Does the folder load as validate reads it (points map, checks, manual rubrics, wrong answers), without execution?"""
    project = read_project(CAPSTONE)
    assert set(project.spec.manual) == {"kerapian-kode", "laporan", "kualitas-tes"}
    assert set(project.spec.checks) == {"laporan-lengkap", "tes-sendiri-lima", "token-compare-digest", "pesan-commit"}
    assert project.spec.max_score == 32


def test_sync_stores_the_template_with_its_html_and_no_hidden_test(app, tmp_path):
    """Does sync store the template (HTML templates and LAPORAN.md included) and the checks, without a hidden test?"""
    run = sync_curricula(make_tree(tmp_path, {"siaduan-capstone": CAPSTONE}))
    assert run.ok, run.report
    version = db.session.scalar(select(Exercise).where(Exercise.project == "siaduan-capstone")).current_version
    assert set(ProjectSpec.from_json(version.source).checks) == {"laporan-lengkap", "tes-sendiri-lima",
                                                                 "token-compare-digest", "pesan-commit"}
    template = read_files(version.template_archive)
    assert {"LAPORAN.md", "siaduan/templates/cek.html", "tests/test_saya.py"} <= set(template)
    assert not any(name.endswith(("test_keamanan.py", "fixtures.py")) for name in template)


def test_the_reference_passes_its_own_tests_and_the_template_fails_them(tmp_path):
    """Do the public tests and the reference's own tests pass on the solution, and every own test fail on the template?"""
    solved = run_pytest(tree(tmp_path / "solusi", "solution"))
    assert solved.returncode == 0, solved.stdout[-2000:]
    assert "9 passed" in solved.stdout, solved.stdout[-500:]
    template = tree(tmp_path / "templat")
    shutil.copy(CAPSTONE / "solution" / "tests" / "test_saya.py", template / "tests" / "test_saya.py")
    unsolved = run_pytest(template, "tests/test_saya.py")
    assert "6 failed" in unsolved.stdout and "passed" not in unsolved.stdout, unsolved.stdout[-2000:]


@pytest.mark.kernel
def test_validate_proves_the_capstone(tmp_path, project_engine):
    """Does the capstone pass the proof: solution full marks, template zero, every wrong answer caught on its targets?"""
    report = validate(make_tree(tmp_path, {"siaduan-capstone": CAPSTONE}), project_engine, require_wrong_answers=True)
    assert problems_of(report) == []
    assert (report.wrong_answers, report.not_caught) == (11, 0)
