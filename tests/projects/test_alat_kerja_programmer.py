"""The week-8 project alat-kerja-programmer: proven by the real engine, its README matches its code, and a
trainee's push over HTTP is graded with the hidden tests and the repository checks."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.gitserve.conftest import GitClient, clone_url, make_token, server  # noqa: F401 - server is a fixture
from tests.projects.conftest import ROOT, read_project
from tests.projects.helpers import served_app_config
from tests.projects.test_authoring import make_tree, problems_of
from tests.runners.test_local_runner import wait_for
from tests.trainee.conftest import build_curriculum, enroll
from tic_academy.curriculum.validate import validate
from tic_academy.extensions import db
from tic_academy.models import Exercise, ExerciseVersion
from tic_academy.services import projects

PROJECT = ROOT / "projects" / "alat-kerja-programmer"
SLUG = "proyek-alat-kerja"


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


# --- end to end: a real git client against the app, the local runner grading ---------------------


@pytest.fixture
def app_config(app_config, tmp_path):
    """A database file the server's and the runner's threads share, the local runner, no warm kernels."""
    return served_app_config(app_config, tmp_path)


@pytest.mark.kernel
def test_a_half_done_push_over_http_shows_what_is_missing(app, client, auth, make_user, server, tmp_path):  # noqa: F811
    """Clone, fix the bug and finish hitung.py, but leave the README and add flask==99: the code earns its
    points, the README and requirements checks fail with their Indonesian reasons on the submission page."""
    alat = read_project(PROJECT)
    track = build_curriculum()
    exercise = Exercise(stage=track.stages[0], slug=SLUG, position=9, title_id="Bekerja seperti Programmer",
                        notebook_path="", kind="project", project="alat-kerja-programmer", week=1, minutes=300,
                        required=True)
    version = ExerciseVersion(exercise=exercise, checksum=alat.checksum, source=alat.spec.to_json(),
                              max_score=alat.spec.max_score, template_archive=alat.template_archive())
    db.session.add_all([exercise, version])
    db.session.flush()
    exercise.current_version = version
    db.session.commit()
    trainee = make_user(role="trainee")
    enroll(trainee, track, mentor=make_user(role="mentor"))
    auth.login(trainee)
    assert client.get(f"/peserta/latihan/{SLUG}").status_code == 200

    git = GitClient(tmp_path / "peserta")
    git.run("clone", "-q", clone_url(server, trainee.id, exercise.id, make_token(trainee)), "rekap-aduan")
    work = git.home / "rekap-aduan"
    for name in ("rekap_aduan/baca.py", "rekap_aduan/hitung.py", "tests/test_milik_saya.py"):
        (work / name).write_bytes(alat.solution[name])
    (work / "requirements.txt").write_text("pytest>=8.0\nflask==99\n", encoding="utf-8")
    git.run("add", "rekap_aduan", "tests", "requirements.txt", cwd=work)
    git.run("commit", "-q", "-m", "Perbaiki nomor aduan, tulis per_status dan persen_selesai", cwd=work)
    git.run("push", "-q", "origin", "main", cwd=work)
    sha = git.run("rev-parse", "HEAD", cwd=work).stdout.strip()

    submission = projects.submission_for_commit(trainee.id, exercise.id, sha)
    assert submission is not None and submission.via == "push"
    graded = wait_for(submission.id, timeout=120)
    assert graded.status == "graded", graded.error
    rows = {row.grade_id: row for row in graded.test_results}
    passed = {grade_id for grade_id, row in rows.items() if row.status == "passed"}
    assert passed == {"marker:baca", "test_hitung.py::test_per_status_memuat_semua_status",
                      "test_hitung.py::test_persen_selesai_dibulatkan", "test_hitung.py::test_daftar_kosong",
                      "test_cli.py::test_main_mencetak_laporan", "test_cli.py::test_main_berkas_kosong",
                      "test_uji_milik.py::test_uji_milik_anda_lulus", "uji-milik-ditulis"}
    assert graded.auto_score == 13.0 and graded.max_score == alat.spec.max_score == 19.0
    assert rows["readme-cara-memasang"].message["code"] == "check_file_unchanged"
    assert rows["requirements-bisa-dipasang"].message["code"] == "check_requirement_version"
    page = client.get(f"/peserta/pengumpulan/{graded.id}").get_data(as_text=True)
    assert "README: bagian Cara memasang" in page and "masih sama dengan versi templat" in page
    assert "flask==99" in page and "tidak cocok dengan versi yang tersedia" in page
