"""The week-10 project SiAduan Web (projects/siaduan-web): its track entry, its points map and validate's proof."""
from pathlib import Path

import pytest
import yaml

from tests.projects.conftest import read_project
from tests.projects.test_authoring import make_tree, problems_of
from tic_academy.curriculum.validate import validate

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "projects" / "siaduan-web"


def test_track_entry_is_a_required_week_10_project():
    """Is proyek-siaduan-web in the track as a required week-10 project exercise of stage aplikasi-web?"""
    track = yaml.safe_load((ROOT / "curricula" / "programmer-pemerintahan.yaml").read_text(encoding="utf-8"))
    stage = next(stage for stage in track["stages"] if stage["id"] == "aplikasi-web")
    entry = next(entry for entry in stage["exercises"] if entry["id"] == "proyek-siaduan-web")
    assert (entry["kind"], entry["project"], entry["week"], entry["required"]) == ("project", "siaduan-web", 10, True)


def test_points_map_and_wrong_answers_are_read_cleanly():
    """Does the folder read without problems, with every hidden test in the points map and 9 wrong answers?"""
    project = read_project(FOLDER)
    assert project.spec.max_score == 22
    wrong = yaml.safe_load((FOLDER / "project.yaml").read_text(encoding="utf-8"))["wrong_answers"]
    assert sorted(answer["id"] for answer in wrong) == sorted(path.name for path in (FOLDER / "wrong").iterdir())
    assert len(wrong) == 9


def test_template_readme_says_how_to_run_it():
    """Does the trainee's README give the commands to install, migrate, run and test the app?"""
    readme = (FOLDER / "template" / "README.md").read_text(encoding="utf-8")
    for command in ("python -m venv .venv", "pip install -r requirements.txt", "flask --app siaduan db upgrade",
                    "flask --app siaduan run --debug", "flask --app siaduan db migrate", "pytest", "git push",
                    "## 9. Kesalahan umum"):
        assert command in readme, command


@pytest.mark.kernel
def test_validate_proves_siaduan_web(tmp_path, project_engine):
    """Does SiAduan Web pass the proof: solution full, template zero, each of its 9 wrong answers caught?"""
    report = validate(make_tree(tmp_path, {"siaduan-web": FOLDER}), project_engine, require_wrong_answers=True)
    assert problems_of(report) == []
    assert (report.wrong_answers, report.not_caught) == (9, 0)
