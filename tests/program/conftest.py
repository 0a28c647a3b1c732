"""Factories for program tests: a small track, cohorts, nominations and graded submissions."""
from datetime import timedelta

import pytest

from tic_academy.extensions import db
from tic_academy.models import Exercise, Submission, Track
from tic_academy.models.program import Cohort, CohortQuota, Enrollment, Nomination
from tic_academy.clock import today_wib


@pytest.fixture
def make_track(make_track):
    """Factory: a track of ``stages`` stages with ``per_stage`` required exercises (10 points each)."""
    base = make_track

    def make(stages: int = 2, per_stage: int = 2, weeks: int = 4, signoff: bool = False) -> Track:
        return base(
            [
                {
                    "weeks": (s * 2 + 1, s * 2 + 2),
                    "signoff": signoff,
                    "exercises": [{"week": s * 2 + 1 + e, "points": 10} for e in range(per_stage)],
                }
                for s in range(stages)
            ],
            weeks=weeks,
        )

    return make


@pytest.fixture
def make_cohort(app, make_track):
    """Factory: ``make_cohort(status="planned", capacity=30, quotas={opd_id: places})``."""

    def make(status: str = "planned", track: Track | None = None, quotas: dict | None = None, **values) -> Cohort:
        track = track or make_track()
        start = today_wib() + timedelta(days=14) if status == "planned" else today_wib() - timedelta(days=15)
        values = {"name": f"Angkatan {track.slug}", "start_date": start, "capacity": 30, **values}
        cohort = Cohort(track=track, status=status, **values)
        for opd_id, places in (quotas or {}).items():
            cohort.quotas.append(CohortQuota(opd_id=opd_id, places=places))
        db.session.add(cohort)
        db.session.commit()
        return cohort

    return make


@pytest.fixture
def head(make_user):
    """An OPD head (of an OPD of their own)."""
    return make_user(role="opd_head")


@pytest.fixture
def other_head(make_user):
    """The head of another OPD."""
    return make_user(role="opd_head")


def nomination_data(**overrides) -> dict:
    """The fields of a valid nomination."""
    data = {
        "full_name": "Rudi Hartono",
        "email": "rudi.hartono@contoh.test",
        "phone": "0812-1111-2222",
        "position": "Staf pelaksana",
        "unit": "Bidang Aplikasi",
        "employment_status": "honorary",
        "education": "s1",
        "motivation": "Ingin membangun aplikasi internal.",
        "hours_per_week": 15,
        "supervisor_agrees": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_nomination(app):
    """Factory: a nomination row in ``status`` for ``head``'s OPD (no service rules applied)."""
    counter = {"n": 0}

    def make(cohort: Cohort, head, status: str = "submitted", **overrides) -> Nomination:
        counter["n"] += 1
        data = nomination_data(
            email=f"calon{counter['n']}@contoh.test", phone=f"0813{counter['n']:08d}", full_name=f"Calon {counter['n']}"
        )
        data.update(overrides)
        nomination = Nomination(cohort=cohort, opd_id=head.opd_id, nominated_by_id=head.id, status=status, **data)
        db.session.add(nomination)
        db.session.commit()
        return nomination

    return make


@pytest.fixture
def enroll(app):
    """Enroll a trainee in a cohort: ``enroll(cohort, trainee, mentor=None)``."""

    def make(cohort: Cohort, trainee, mentor=None, status: str = "active") -> Enrollment:
        enrollment = Enrollment(cohort=cohort, trainee=trainee, mentor=mentor, status=status)
        db.session.add(enrollment)
        db.session.commit()
        return enrollment

    return make


def grade(trainee, exercise: Exercise, points: float, when=None) -> Submission:
    """Add a graded submit-mode submission worth ``points`` of 10."""
    version = exercise.current_version
    values = {"created_at": when} if when else {}
    submission = Submission(
        trainee_id=trainee.id, exercise_id=exercise.id, exercise_version_id=version.id, mode="submit",
        status="graded", auto_score=points, max_score=version.max_score, **values,
    )
    db.session.add(submission)
    return submission


def pass_everything(trainee, track: Track) -> None:
    """Give the trainee full marks on every exercise of the track."""
    for stage in track.stages:
        for exercise in stage.exercises:
            grade(trainee, exercise, 10.0)
    db.session.commit()
