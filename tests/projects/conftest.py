"""Fixtures for project exercises: the shipped project read from disk, trees built from it, a project exercise."""
from pathlib import Path

import pytest

from tests.trainee.conftest import build_curriculum, enroll
from tic_academy.curriculum.projects import ProjectFile, load_project
from tic_academy.extensions import db
from tic_academy.models import Exercise, ExerciseVersion

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIR = ROOT / "projects" / "layanan-pengaduan"
#: A line of the hidden tests that must never reach a trainee.
HIDDEN_LINE = 'assert client.get("/api/pengaduan/99").status_code == 404'


def read_project(path: Path = PROJECT_DIR) -> ProjectFile:
    """The project folder read and checked as validate does (no execution)."""
    project = ProjectFile("t", "s", {"id": "p", "project": path.name}, path, path.name)
    problems = load_project(project)
    assert problems == [], problems
    return project


@pytest.fixture(scope="session")
def shipped():
    """The shipped project exercise (layanan-pengaduan), read once."""
    return read_project()


@pytest.fixture
def app_config(app_config, tmp_path):
    """Repositories under this test's folder."""
    return {**app_config, "REPO_ROOT": str(tmp_path / "repos")}


def add_project_exercise(stage, shipped, slug="pengaduan", position=9) -> Exercise:
    """A project exercise with one version made from the shipped project, in ``stage``."""
    exercise = Exercise(stage=stage, slug=slug, position=position, title_id="Layanan Pengaduan", notebook_path="",
                        kind="project", project="layanan-pengaduan", week=1, minutes=60, required=False)
    version = ExerciseVersion(exercise=exercise, checksum=shipped.checksum, source=shipped.spec.to_json(),
                              max_score=shipped.spec.max_score, template_archive=shipped.template_archive())
    db.session.add_all([exercise, version])
    db.session.flush()
    exercise.current_version = version
    db.session.commit()
    return exercise


@pytest.fixture
def world(app, make_user, shipped):
    """A two-stage track whose open first stage also holds the project exercise; an enrolled trainee and mentor."""
    track = build_curriculum()
    exercise = add_project_exercise(track.stages[0], shipped)
    locked = add_project_exercise(track.stages[1], shipped, slug="pengaduan-terkunci")
    mentor = make_user(role="mentor")
    trainee = make_user(role="trainee")
    enroll(trainee, track, mentor=mentor)
    return {"track": track, "exercise": exercise, "locked": locked, "trainee": trainee, "mentor": mentor}


@pytest.fixture(scope="session")
def project_engine():
    """A sandboxed grading engine without warm kernels (project gradings need none)."""
    from tests.conftest import require_or_skip
    from tic_academy.grading import GradingEngine, GradingSettings, Limits

    grading_engine = GradingEngine(GradingSettings(sandbox="bwrap", pool_size=0, max_live=1,
                                                   limits=Limits(total_timeout_s=30)))
    require_or_skip(grading_engine.unavailable is None, f"grading sandbox unavailable: {grading_engine.unavailable}")
    yield grading_engine
    grading_engine.close()


class RecordingRunner:
    """Stands in for the app's runner: remembers what was enqueued."""

    name = "recording"

    def __init__(self):
        self.enqueued = []

    def enqueue(self, submission_id):
        self.enqueued.append(submission_id)


@pytest.fixture
def runner_log(app):
    """The ids handed to the runner by the commit_submitted signal."""
    recording = RecordingRunner()
    app.extensions["tic_runner"] = recording
    yield recording.enqueued
    app.extensions.pop("tic_runner", None)
