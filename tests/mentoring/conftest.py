"""Fixtures for mentoring tests: a small two-stage track, a cohort, a mentor and trainees."""
from types import SimpleNamespace

import pytest

from tests.mentoring import factories


@pytest.fixture
def world(app, make_user):
    """A two-stage track (one exercise each), two mentors, and two trainees of mentor ``a``."""
    track = factories.make_track()
    mentor_a = make_user(role="mentor", full_name="Mentor A")
    mentor_b = make_user(role="mentor", full_name="Mentor B")
    trainee = make_user(role="trainee", full_name="Peserta Satu")
    mate = make_user(role="trainee", full_name="Peserta Dua")
    enrollment = factories.enroll(trainee, mentor_a, track)
    factories.enroll(mate, mentor_a, track, cohort=enrollment.cohort)
    return SimpleNamespace(
        track=track, cohort=enrollment.cohort, mentor_a=mentor_a, mentor_b=mentor_b, trainee=trainee, mate=mate,
        exercise=factories.first_exercise(track), admin=make_user(role="admin"),
    )


@pytest.fixture
def manual_world(app, make_user):
    """Like ``world`` but the exercises have a manually graded cell."""
    track = factories.make_track(manual=True)
    mentor = make_user(role="mentor", full_name="Mentor A")
    trainee = make_user(role="trainee", full_name="Peserta Satu")
    factories.enroll(trainee, mentor, track)
    return SimpleNamespace(track=track, mentor=mentor, trainee=trainee, exercise=factories.first_exercise(track))
