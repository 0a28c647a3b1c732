"""The week-8 project alat-kerja-programmer: proven by the real engine, and its README matches its code."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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


def patterns(check_id: str) -> list[str]:
    """The regular expressions of one file_contains check of project.yaml."""
    spec = yaml.safe_load((PROJECT / "project.yaml").read_text(encoding="utf-8"))
    return spec["checks"][check_id]["patterns"]


def passing_checks(text: str, check_ids: list[str]) -> list[str]:
    """The checks among check_ids whose every pattern matches the text."""
    return [check_id for check_id in check_ids if all(re.search(p, text) for p in patterns(check_id))]


README_CHECKS = ["readme-cara-memasang", "readme-cara-menjalankan", "readme-cara-menguji"]


def test_the_readme_checks_look_inside_their_own_section():
    """Does each README check need its command in its own section, never satisfied by the guide below it?"""
    template = (PROJECT / "template" / "README.md").read_text(encoding="utf-8")
    assert passing_checks((PROJECT / "solution" / "README.md").read_text(encoding="utf-8"), README_CHECKS) == README_CHECKS
    assert passing_checks(template, README_CHECKS) == []
    installing = ("## Cara memasang\n\n```sh\n# buat virtual environment\npython -m venv .venv\n"
                  "pip install -r requirements.txt\n```\n")
    only_install = template.replace("## Cara memasang\n\n_Belum ditulis. Anda yang menulis bagian ini di langkah 9._\n",
                                    installing)
    assert only_install != template
    assert passing_checks(only_install, README_CHECKS) == ["readme-cara-memasang"]
    untouched = (PROJECT / "wrong" / "readme-tidak-diubah" / "README.md").read_bytes()
    assert untouched == (PROJECT / "template" / "README.md").read_bytes(), "the untouched README is the template's"


def test_the_own_tests_check_wants_two_tests_of_the_package():
    """Does the check on tests/test_milik_saya.py pass the solution's file, and fail the template's and a single test?"""
    check = ["uji-milik-ditulis"]
    assert passing_checks((PROJECT / "solution" / "tests" / "test_milik_saya.py").read_text(encoding="utf-8"), check) == check
    assert passing_checks((PROJECT / "template" / "tests" / "test_milik_saya.py").read_text(encoding="utf-8"), check) == []
    one = "from rekap_aduan.hitung import persen_selesai\n\n\ndef test_kosong():\n    assert persen_selesai([]) == 0.0\n"
    assert passing_checks(one, check) == []
    assert passing_checks(one + "\n\ndef test_satu():\n    assert persen_selesai([{'status': 'selesai'}]) == 100.0\n", check) == check


@pytest.mark.kernel
def test_validate_proves_the_project(tmp_path, project_engine):
    """Does the project pass the proof: solution full, template zero, every wrong answer loses points on its targets?"""
    report = validate(make_tree(tmp_path, {"alat-kerja-programmer": PROJECT}), project_engine, require_wrong_answers=True)
    assert problems_of(report) == []
    assert (report.wrong_answers, report.not_caught) == (7, 0)
