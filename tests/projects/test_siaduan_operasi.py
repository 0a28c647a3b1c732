"""The week-11 project siaduan-operasi (env config, logging, /health, gunicorn): read cleanly and proven by validate."""
import shutil
import subprocess
import sys

import pytest

from tests.projects.conftest import ROOT, read_project
from tests.projects.test_authoring import make_tree, problems_of
from tic_academy.curriculum.validate import validate

FOLDER = ROOT / "projects" / "siaduan-operasi"


def test_the_project_reads_cleanly_with_its_wrong_answers():
    """Does the folder load as validate loads it, with seven wrong answers and five DEPLOY.md checks?"""
    project = read_project(FOLDER)
    assert len(project.wrong) == 7
    assert sorted(project.spec.checks) == ["deploy-cadangan", "deploy-gunicorn-systemd", "deploy-https", "deploy-log",
                                           "deploy-rahasia"]
    assert project.spec.max_score == 21


def _public_tests(tree):
    """Run the template's public tests in ``tree`` as a trainee would (``pytest`` in the folder); the summary line."""
    environment = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
                         cwd=tree, env=environment, capture_output=True, text=True, timeout=120)
    return run.stdout.strip().splitlines()[-1]


def test_public_tests_fail_on_the_template_and_pass_on_the_solution(tmp_path):
    """Do the trainee's own tests show 2 of 6 passing as given (as the README says) and 6 of 6 when done?"""
    shutil.copytree(FOLDER / "template", tmp_path / "templat")
    assert _public_tests(tmp_path / "templat").startswith("4 failed, 2 passed")
    shutil.copytree(FOLDER / "template", tmp_path / "solusi")
    shutil.copytree(FOLDER / "solution", tmp_path / "solusi", dirs_exist_ok=True)
    assert _public_tests(tmp_path / "solusi").startswith("6 passed")


@pytest.mark.kernel
def test_validate_proves_siaduan_operasi(tmp_path, project_engine):
    """Does the real engine prove it: solution full marks, template zero, each wrong answer caught on its target?"""
    report = validate(make_tree(tmp_path, {"siaduan-operasi": FOLDER}), project_engine, require_wrong_answers=True)
    assert problems_of(report) == []
    assert (report.wrong_answers, report.not_caught) == (7, 0)
