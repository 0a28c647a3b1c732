"""Request body limits on the log-in and password forms (issue 11)."""
import pytest
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import AuditEvent

from .conftest import csrf_token_from


@pytest.fixture
def app_config(app_config):
    """CSRF on, as in production: the token check reads the form, so the limit must come first."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_huge_password_field_on_login_is_refused_before_parsing(client, make_user):
    """Is a login post with a 50 MiB password refused with 413 and an Indonesian page?"""
    user = make_user()
    token = csrf_token_from(client.get("/masuk").get_data(as_text=True))
    data = {"email": user.email, "password": "x" * (50 * 1024 * 1024), "csrf_token": token}
    response = client.post("/masuk", data=data)
    assert response.status_code == 413
    assert "terlalu besar" in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("login.%"))) is None


def test_overlong_password_within_the_body_cap_gets_a_form_error(client, make_user):
    """Is a 5,000-character password refused by the form (Indonesian message) without trying it?"""
    user = make_user()
    token = csrf_token_from(client.get("/masuk").get_data(as_text=True))
    response = client.post("/masuk", data={"email": user.email, "password": "x" * 5000, "csrf_token": token})
    assert response.status_code == 200
    assert "Paling banyak 200 karakter" in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("login.%"))) is None


def test_general_cap_applies_to_every_page(client):
    """Does a form without its own cap still refuse a body over the default MAX_CONTENT_LENGTH (4 MiB)?"""
    response = client.post("/keluar", data={"x": "y" * (5 * 1024 * 1024)})
    assert response.status_code == 413
