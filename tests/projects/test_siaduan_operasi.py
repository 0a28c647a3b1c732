"""The week-11 project siaduan-operasi (env config, logging, /health, gunicorn): read cleanly and proven by validate."""
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


@pytest.mark.kernel
def test_validate_proves_siaduan_operasi(tmp_path, project_engine):
    """Does the real engine prove it: solution full marks, template zero, each wrong answer caught on its target?"""
    report = validate(make_tree(tmp_path, {"siaduan-operasi": FOLDER}), project_engine, require_wrong_answers=True)
    assert problems_of(report) == []
    assert (report.wrong_answers, report.not_caught) == (7, 0)
