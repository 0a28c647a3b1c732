"""CSRF, security headers and escaping of user input."""
import pytest
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import User

from .conftest import DEFAULT_PASSWORD, csrf_token_from

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def app_config(app_config):
    """These tests run with CSRF protection on, as in production."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_login_without_csrf_token_is_rejected(client, make_user):
    """Is a login form posted without its CSRF token rejected?"""
    user = make_user()
    response = client.post("/masuk", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "Formulir" in response.get_data(as_text=True)


def test_login_with_csrf_token_works(client, make_user):
    """Does the same form work with the token from the page?"""
    user = make_user()
    token = csrf_token_from(client.get("/masuk").get_data(as_text=True))
    response = client.post("/masuk", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_admin_form_without_csrf_token_changes_nothing(client, make_user):
    """Is an admin action posted without a CSRF token refused and without effect?"""
    admin = make_user(role="admin")
    target = make_user()
    token = csrf_token_from(client.get("/masuk").get_data(as_text=True))
    client.post("/masuk", data={"email": admin.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    response = client.post(f"/admin/pengguna/{target.id}", data={"role": "admin", "opd_id": 0})
    assert response.status_code == 400
    db.session.refresh(target)
    assert target.role == "trainee"


def test_security_headers(client):
    """Does every page carry a CSP without inline scripts and the other security headers?"""
    response = client.get("/masuk")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "nonce-" not in csp  # only pages that ask for a style nonce get one
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.get_data(as_text=True).replace('<script src=', '')


def test_session_cookie_is_httponly(client, make_user):
    """Is the session cookie HttpOnly and SameSite?"""
    client.get("/masuk")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_pages_escape_user_input(app, client, make_user, make_opd):
    """Do pages show names, search terms and filters escaped, never as markup?"""
    opd = make_opd(name=f"Dinas {SCRIPT}", short_name=SCRIPT)
    admin = make_user(role="admin", full_name=f"Admin {SCRIPT}")
    make_user(role="trainee", opd=opd, full_name=f"Peserta {SCRIPT}")
    token = csrf_token_from(client.get("/masuk").get_data(as_text=True))
    client.post("/masuk", data={"email": admin.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    pages = [
        "/admin/",
        "/admin/opd",
        f"/admin/pengguna?q={SCRIPT}",
        "/admin/pengguna",
        f"/admin/audit?actor={SCRIPT}&action={SCRIPT}",
        f"/admin/kotak-keluar?to={SCRIPT}",
        f"/admin/pengguna/{db.session.scalar(select(User.id).where(User.role == 'trainee'))}",
    ]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert SCRIPT not in html, page
    assert "&lt;script&gt;" in client.get(f"/admin/pengguna?q={SCRIPT}").get_data(as_text=True)
