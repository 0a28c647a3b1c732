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
from tic_academy.models import Opd, User
from tic_academy.services.accounts import hash_password

DEFAULT_PASSWORD = "rahasia-sekali-123"


def require_or_skip(condition: bool, reason: str):
    """Skip with a visible reason, or fail when TIC_REQUIRE_ALL=1 (CI)."""
    if condition:
        return
    if os.environ.get("TIC_REQUIRE_ALL") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


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
def app_config(database_url):
    """Settings for the test app; a test may override entries before ``app`` is built."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
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
        yield app
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
                hashes[password] = hash_password(password)
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
