"""The week-8 project alat-kerja-programmer: proven by the real engine, and its README matches its code."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.projects.conftest import ROOT
from tests.projects.test_authoring import make_tree, problems_of
from tic_academy.curriculum.validate import validate

PROJECT = ROOT / "projects" / "alat-kerja-programmer"


def checkout(tmp_path: Path, *layers: str) -> Path:
    """The template with the given folders of the project laid over it, as a trainee's working copy."""
    work = tmp_path / "rekap-aduan"
    shutil.copytree(PROJECT / "template", work)
    for layer in layers:
        shutil.copytree(PROJECT / layer, work, dirs_exist_ok=True)
    return work


def run(work: Path, *args: str) -> subprocess.CompletedProcess:
    """Run this Python in the working copy, as the trainee would from a terminal."""
    return subprocess.run([sys.executable, *args], cwd=work, capture_output=True, text=True, timeout=60)


def frames(traceback: str) -> list[tuple[str, str, str]]:
    """(file name, line, function) of each frame of a traceback that lies in the trainee's package."""
    found = re.findall(r'File ".*?[/\\](rekap_aduan[/\\]\w+\.py)", line (\d+), in (\S+)', traceback)
    return [(name.replace("\\", "/"), line, function) for name, line, function in found]


def test_the_template_crashes_with_the_traceback_its_readme_explains(tmp_path):
    """Does `python -m rekap_aduan data/aduan.csv` on the template end in the very traceback step 4 reads?"""
    result = run(checkout(tmp_path), "-m", "rekap_aduan", "data/aduan.csv")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == "ValueError: invalid literal for int() with base 10: 'ADU-0001'"
    readme = (PROJECT / "template" / "README.md").read_text(encoding="utf-8")
    explained = readme.split("Traceback (most recent call last):", 1)[1].split("```", 1)[0]
    assert frames(explained) == frames(result.stderr) == [
        ("rekap_aduan/__main__.py", "24", "<module>"), ("rekap_aduan/__main__.py", "19", "main"),
        ("rekap_aduan/baca.py", "33", "baca_aduan"), ("rekap_aduan/baca.py", "15", "rapikan_baris")]


def test_the_solution_runs_and_its_tests_pass_as_on_a_trainees_machine(tmp_path):
    """Does the solution print the report step 6 promises, and do its public and own tests pass with plain pytest?"""
    work = checkout(tmp_path, "solution")
    report = run(work, "-m", "rekap_aduan", "data/aduan.csv")
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[1:3] == ["Jumlah aduan: 12", "Selesai: 41.7%"]
    empty = run(work, "-m", "rekap_aduan", "data/kosong.csv").stdout
    assert "Jumlah aduan: 0" in empty and "Selesai: 0.0%" in empty and "(belum ada aduan)" in empty
    broken = run(work, "-m", "rekap_aduan", "data/rusak.csv").stdout.strip()
    assert broken == "Data tidak sah: status tidak dikenal pada aduan ADU-0102: 'hilang'"
    tests = run(work, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert tests.returncode == 0 and "6 passed" in tests.stdout, tests.stdout


def test_the_templates_public_tests_fail_until_the_work_is_done(tmp_path):
    """Do the template's public tests fail on the template (the bug and the TODOs), so running them guides the trainee?"""
    tests = run(checkout(tmp_path), "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert tests.returncode == 1
    assert "2 failed, 1 passed" in tests.stdout, tests.stdout


@pytest.mark.kernel
def test_validate_proves_the_project(tmp_path, project_engine):
    """Does the project pass the proof: solution full, template zero, every wrong answer loses points on its targets?"""
    report = validate(make_tree(tmp_path, {"alat-kerja-programmer": PROJECT}), project_engine, require_wrong_answers=True)
    assert problems_of(report) == []
    assert (report.wrong_answers, report.not_caught) == (5, 0)
