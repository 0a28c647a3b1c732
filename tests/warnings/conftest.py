"""Fixtures of the early-warning tests: a fixed morning, a mentor and an enrolled trainee."""
from datetime import date, datetime, timezone

import pytest

from tic_academy.extensions import db
from tic_academy.models import Cohort, Enrollment

#: Wednesday 2 December 2026, 10:00 WIB: every test looks at the same morning.
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
#: The Monday the cohort started (week 1 ends on Sunday 6 December).
MONDAY = date(2026, 11, 30)


@pytest.fixture
def mentor(make_user):
    """A mentor."""
    return make_user(role="mentor")


@pytest.fixture
def track(make_track):
    """Two stages: stage 1 in week 1 (one exercise, 10 points), stage 2 in weeks 2-12."""
    return make_track([
        {"weeks": (1, 1), "exercises": [{"week": 1, "points": 10}]},
        {"weeks": (2, 12), "exercises": [{"week": 2, "points": 10}, {"week": 3, "points": 10}]},
    ])


@pytest.fixture
def cohort(track):
    """A running cohort that started on MONDAY."""
    cohort = Cohort(name="Angkatan Uji", track=track, start_date=MONDAY, status="running")
    db.session.add(cohort)
    db.session.commit()
    return cohort


@pytest.fixture
def enrol(cohort, mentor, make_user):
    """Factory: a new trainee enrolled in the cohort with the mentor (logged in on NOW unless said)."""

    def make(last_login_at=NOW, **values):
        trainee = make_user(last_login_at=last_login_at, **values)
        db.session.add(Enrollment(cohort=cohort, trainee=trainee, mentor=mentor))
        db.session.commit()
        return trainee

    return make


@pytest.fixture
def trainee(enrol):
    """One enrolled trainee, active today."""
    return enrol()
