"""Fixtures for the trainee workspace: a small two-stage curriculum, enrolled trainees, a fake runner."""
from datetime import timedelta

import nbformat
import pytest

from tests.notebook_factory import exercise_notebook, nbgrader
from tic_academy.extensions import db
from tic_academy.models import Cohort, Enrollment, Exercise, ExerciseVersion, Stage, Track
from tic_academy.clock import today_wib

#: Text of the hidden test in the test notebooks; it must never reach a trainee.
HIDDEN = "assert tambah(-5, 5) == 0, 'bilangan negatif'"
#: The part of the hidden test that is code, not message.
SECRET = "tambah(-5, 5)"
SOLUTION = "    return a + b"


def workspace_notebook():
    """The standard test exercise plus an example cell and a second answer cell."""
    nb = exercise_notebook(solution=SOLUTION, hidden=HIDDEN)
    nb.cells.insert(1, nbformat.v4.new_code_cell("print('contoh')", metadata=nbgrader("contoh", locked=True)))
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "### BEGIN SOLUTION\nkali = 6 * 7\n### END SOLUTION", metadata=nbgrader("jawaban-dua", solution=True)
        )
    )
    return nb


def add_exercise(stage: Stage, slug: str, position: int, nb=None, week: int = 1) -> Exercise:
    """An exercise with one notebook version in ``stage``."""
    nb = nb or workspace_notebook()
    exercise = Exercise(stage=stage, slug=slug, position=position, title_id=slug.title(), notebook_path=f"uji/{slug}.ipynb",
                        week=week, minutes=45)
    version = ExerciseVersion(exercise=exercise, checksum=f"sum-{slug}", source=nbformat.writes(nb), max_score=2.0)
    db.session.add_all([exercise, version])
    db.session.flush()
    exercise.current_version = version
    return exercise


def build_curriculum() -> Track:
    """Stage one (open) holds "tambah"; stage two (locked until one passes) holds "kurang"."""
    track = Track(slug="jalur-uji", title_id="Jalur Uji", weeks=4)
    first = Stage(track=track, slug="tahap-satu", position=1, title_id="Tahap Satu", week_start=1, week_end=2,
                  pass_threshold=0.7)
    second = Stage(track=track, slug="tahap-dua", position=2, title_id="Tahap Dua", week_start=3, week_end=4,
                   pass_threshold=0.7)
    db.session.add_all([track, first, second])
    db.session.flush()
    add_exercise(first, "tambah", 1)
    add_exercise(second, "kurang", 1, week=3)
    db.session.commit()
    return track


@pytest.fixture
def track(app):
    """The two-stage test curriculum."""
    return build_curriculum()


def enroll(trainee, track, mentor=None) -> Enrollment:
    """Enroll a trainee in a running cohort of ``track`` that started a week ago."""
    cohort = Cohort(name=f"Angkatan {trainee.id}", track=track, start_date=today_wib() - timedelta(days=7), status="running")
    enrollment = Enrollment(cohort=cohort, trainee=trainee, mentor=mentor)
    db.session.add_all([cohort, enrollment])
    db.session.commit()
    return enrollment


@pytest.fixture
def make_trainee(make_user, track):
    """Factory: a trainee enrolled in the test track."""

    def make(**overrides):
        trainee = make_user(role="trainee", **overrides)
        enroll(trainee, track)
        return trainee

    return make


@pytest.fixture
def trainee(make_trainee, auth):
    """An enrolled trainee, logged in."""
    user = make_trainee()
    auth.login(user)
    return user


class FakeRunner:
    """Records jobs instead of running code; ``result`` is what grade_now answers."""

    def __init__(self):
        self.jobs: list[dict] = []
        self.enqueued: list[int] = []
        self.result = {
            "mode": "check", "score": 2.0, "max_score": 2.0, "notes": [], "error": None, "duration_s": 0.1,
            "tests": [{"grade_id": "tes-tambah", "status": "passed", "points": 2.0, "max_points": 2.0, "message": ""}],
            "cells": [{"index": 1, "grade_id": "contoh", "kind": "locked", "execution_count": 1,
                       "outputs": [{"output_type": "stream", "name": "stdout", "text": "contoh\n"}]}],
            "flags": [],
        }
        self.error: Exception | None = None

    def grade_now(self, job: dict) -> dict:
        self.jobs.append(job)
        if self.error:
            raise self.error
        return self.result

    def enqueue(self, submission_id: int) -> None:
        self.enqueued.append(submission_id)


@pytest.fixture
def fake_runner(monkeypatch):
    """Replace the grading runner of the workspace endpoints with a recorder."""
    runner = FakeRunner()
    monkeypatch.setattr("tic_academy.trainee.api.get_runner", lambda app=None: runner)
    return runner
