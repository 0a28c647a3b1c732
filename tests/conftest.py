"""Shared fixtures: a fresh app per test, clients, a login helper and factories."""
import contextvars
import os
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tic_academy import create_app
from tic_academy.extensions import db, limiter
from tic_academy.jobs.runners import close_runner
from tic_academy.models import Opd, User
from tic_academy.services import dashboards, insight, notebooks
from tic_academy.services.accounts import hash_password
from tic_academy.clock import today_wib
from tic_academy.services.settings import ServiceSettings

DEFAULT_PASSWORD = "rahasia-sekali-123"


def require_or_skip(condition: bool, reason: str):
    """Skip with a visible reason, or fail when TIC_REQUIRE_ALL=1 (CI)."""
    if condition:
        return
    if os.environ.get("TIC_REQUIRE_ALL") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def engine():
    """One sandboxed grading engine per test process, with short limits (kernel tests)."""
    from tic_academy.grading import GradingEngine, GradingSettings, Limits

    grading_engine = GradingEngine(
        GradingSettings(sandbox="bwrap", pool_size=2, limits=Limits(cell_timeout_s=5, total_timeout_s=20))
    )
    require_or_skip(grading_engine.unavailable is None, f"grading sandbox unavailable: {grading_engine.unavailable}")
    yield grading_engine
    grading_engine.close()


@pytest.fixture(scope="session")
def database_url(worker_id):
    """SQLite in memory, or a per-xdist-worker PostgreSQL database."""
    base = os.environ.get("TIC_TEST_DATABASE_URL")
    if not base:
        return "sqlite://"
    url = make_url(base)
    name = f"{url.database}_{worker_id}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        # A fresh database per run, so a schema left by an earlier run cannot interfere.
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def app_config(database_url, tmp_path):
    """Settings for the test app; a test may override entries before ``app`` is built.

    Git repositories go under the test's own folder, never into the project's instance/repos.
    """
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "REPO_ROOT": str(tmp_path / "repos"),
    }


class FreshContextClient(FlaskClient):
    """Runs each request in its own app context, as in production.

    The test itself holds an app context (for factories and queries); without
    this, requests would share its ``g`` and its database session.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(app_config):
    """A fresh app with empty tables."""
    app = create_app(app_config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        limiter.reset()
        notebooks.clear_cache()  # a fresh database reuses version ids (and test checksums) for other notebooks
        dashboards.clear_figures_cache()  # and the same URL and cohort ids for other figures
        insight.clear_cache()  # the same for the exercise insight's figures
        yield app
        close_runner(app)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for ``flask`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def make_opd(app):
    """Factory: ``make_opd(code="DINKES", name=...)``."""
    counter = {"n": 0}

    def make(**overrides) -> Opd:
        counter["n"] += 1
        n = counter["n"]
        values = {"code": f"OPD{n}", "name": f"Dinas Contoh {n}", "short_name": f"Contoh {n}"}
        values.update(overrides)
        opd = Opd(**values)
        db.session.add(opd)
        db.session.commit()
        return opd

    return make


@pytest.fixture
def make_user(app, make_opd):
    """Factory: ``make_user(role="trainee", email=..., opd=..., password=...)``."""
    counter = {"n": 0}
    hashes: dict[str, str] = {}

    def make(role: str = "trainee", password: str | None = DEFAULT_PASSWORD, **overrides) -> User:
        counter["n"] += 1
        n = counter["n"]
        values = {"email": f"{role}{n}@contoh.test", "full_name": f"Pengguna {role} {n}", "role": role}
        values.update(overrides)
        if role in ("trainee", "opd_head") and "opd" not in values and "opd_id" not in values:
            values["opd"] = make_opd()
        user = User(**values)
        if password is not None:
            if password not in hashes:
                hashes[password] = hash_password(password, ServiceSettings.from_config(app.config))
            user.password_hash = hashes[password]
        db.session.add(user)
        db.session.commit()
        return user

    return make


class AuthActions:
    """Log a test client in and out."""

    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password: str = DEFAULT_PASSWORD, **extra):
        """Post the login form; returns the response (not followed)."""
        email = getattr(user_or_email, "email", user_or_email)
        data = {"email": email, "password": password, **extra}
        return self.client.post("/masuk", data=data)

    def logout(self):
        """Post the logout form."""
        return self.client.post("/keluar")


@pytest.fixture
def auth(client):
    """Login helper: ``auth.login(user)``."""
    return AuthActions(client)


def csrf_token_from(html: str) -> str:
    """Pull the CSRF token out of a rendered form."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def make_track(app):
    """Factory: ``make_track([stage, ...])`` where a stage is a dict with
    ``exercises`` (list of dicts: week, required, points) and optional
    ``threshold``, ``signoff``, ``weeks``. Each exercise gets a current version
    whose max_score is its points. Returns the Track.
    """
    import nbformat

    from tests.notebook_factory import exercise_notebook
    from tic_academy.models import Exercise, ExerciseVersion, Stage, Track

    counter = {"n": 0}

    def make(stages: list[dict], weeks: int = 12) -> Track:
        counter["n"] += 1
        track = Track(slug=f"jalur-{counter['n']}", title_id=f"Jalur {counter['n']}", weeks=weeks)
        db.session.add(track)
        for s_pos, spec in enumerate(stages, start=1):
            first, last = spec.get("weeks", (1, weeks))
            stage = Stage(
                track=track, slug=f"tahap-{s_pos}", position=s_pos, title_id=f"Tahap {s_pos}",
                week_start=first, week_end=last, pass_threshold=spec.get("threshold", 0.7),
                signoff_required=spec.get("signoff", False),
            )
            db.session.add(stage)
            for e_pos, ex in enumerate(spec["exercises"], start=1):
                exercise = Exercise(
                    stage=stage, slug=f"latihan-{s_pos}-{e_pos}", position=e_pos,
                    title_id=f"Latihan {s_pos}.{e_pos}", notebook_path=f"uji/{s_pos}-{e_pos}.ipynb",
                    week=ex.get("week", first), required=ex.get("required", True), minutes=30,
                )
                db.session.add(exercise)
                db.session.flush()
                version = ExerciseVersion(
                    exercise=exercise, checksum=f"{s_pos}-{e_pos}-{counter['n']}",
                    source=nbformat.writes(exercise_notebook(points=ex.get("points", 10))),
                    max_score=float(ex.get("points", 10)),
                )
                db.session.add(version)
                db.session.flush()
                exercise.current_version = version
        db.session.commit()
        return track

    return make


@pytest.fixture
def make_submission(app):
    """Factory: ``make_submission(trainee, exercise, score=..., status="graded", mode="submit")``."""
    from tic_academy.models import Submission

    def make(trainee, exercise, score: float | None = None, status: str = "graded", mode: str = "submit", **extra) -> Submission:
        version = exercise.current_version
        submission = Submission(
            trainee=trainee, exercise=exercise, exercise_version=version, answers=extra.pop("answers", {}),
            mode=mode, status=status, auto_score=score, max_score=version.max_score if score is not None else None,
            **extra,
        )
        db.session.add(submission)
        db.session.commit()
        return submission

    return make


@pytest.fixture
def make_enrollment(app, make_user):
    """Factory: ``make_enrollment(trainee, track, start_date=..., mentor=...)`` (creates the cohort)."""
    from datetime import date

    from tic_academy.models import Cohort, Enrollment

    def make(trainee, track, start_date: date | None = None, mentor=None, **cohort_values) -> Enrollment:
        cohort = Cohort(
            name=cohort_values.pop("name", f"Angkatan {track.slug}"), track=track,
            start_date=start_date or today_wib(), status=cohort_values.pop("status", "running"), **cohort_values,
        )
        enrollment = Enrollment(cohort=cohort, trainee=trainee, mentor=mentor)
        db.session.add_all([cohort, enrollment])
        db.session.commit()
        return enrollment

    return make
