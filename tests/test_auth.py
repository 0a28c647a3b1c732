"""Logging in and out, lock-out, rate limits."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tic_academy.extensions import db
from tic_academy.models import AuditEvent, User
from tic_academy.models.accounts import LoginFailure
from tic_academy.clock import now_utc

from .conftest import DEFAULT_PASSWORD

GENERIC = "Email atau kata sandi salah, atau akun sudah dinonaktifkan."

HOMES = {
    "trainee": "/peserta/",
    "mentor": "/mentor/",
    "opd_head": "/opd/",
    "admin": "/admin/",
}


#: Each home page's Indonesian heading, for the user who logged in.
HEADINGS = {
    "trainee": lambda user: f"Selamat datang, {user.full_name}",
    "mentor": lambda user: "Antrean tinjauan",
    "opd_head": lambda user: user.opd.name,
    "admin": lambda user: "Dasbor kota",
}


@pytest.mark.parametrize("role", sorted(HOMES))
def test_each_role_lands_on_its_home(auth, client, make_user, role):
    """Does each role land on its own home page after logging in, in Indonesian?"""
    user = make_user(role=role)
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == HOMES[role]
    page = client.get(HOMES[role])
    assert page.status_code == 200
    assert HEADINGS[role](user) in page.get_data(as_text=True)
    assert 'lang="id"' in page.get_data(as_text=True)


def test_login_records_audit_and_last_login(auth, make_user):
    """Is a successful login audited and the last-login time set?"""
    user = make_user()
    auth.login(user)
    db.session.refresh(user)
    assert user.last_login_at is not None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "login.success" in actions


def test_wrong_password_and_unknown_email_give_the_same_message(auth, make_user):
    """Do a wrong password and an unknown email look the same to the visitor?"""
    user = make_user()
    wrong = auth.login(user, "salah-sekali-000").get_data(as_text=True)
    unknown = auth.login("tidak.ada@contoh.test", "salah-sekali-000").get_data(as_text=True)
    assert GENERIC in wrong
    assert GENERIC in unknown
    failures = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login.failure")
    ).all()
    assert len(failures) == 2


def test_email_is_case_insensitive(auth, make_user):
    """Can a user log in with their email in different capitals?"""
    user = make_user(email="Budi.Santoso@Contoh.test")
    assert user.email == "budi.santoso@contoh.test"
    assert auth.login("BUDI.santoso@contoh.TEST").status_code == 302


def test_lockout_after_repeated_failures(app, auth, make_user):
    """Are log-ins paused after repeated failures, even with the right password, and is that audited?"""
    user = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(user, "salah-sekali-000")
    response = auth.login(user, DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal" in response.get_data(as_text=True)
    assert "account.locked" in db.session.scalars(select(AuditEvent.action)).all()


def test_lock_expires(app, auth, make_user):
    """Can a locked user log in again once the lock time has passed, and does success clear the count?"""
    user = make_user()
    db.session.add(LoginFailure(email=user.email, address="127.0.0.1", failures=5,
                                last_failure_at=now_utc() - timedelta(minutes=20),
                                locked_until=now_utc() - timedelta(seconds=1)))
    db.session.commit()
    assert auth.login(user).status_code == 302
    assert db.session.scalars(select(LoginFailure)).all() == []


def test_inactive_user_cannot_log_in(auth, make_user):
    """Is a deactivated account refused at login?"""
    user = make_user(active=False)
    response = auth.login(user)
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)


def test_deactivated_user_loses_session(auth, client, make_user):
    """Is a logged-in user who gets deactivated thrown out on the next request?"""
    user = make_user()
    auth.login(user)
    user.active = False
    db.session.commit()
    response = client.get("/peserta/")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


def test_logout(auth, client, make_user):
    """Does logging out end the session?"""
    auth.login(make_user())
    assert client.get("/peserta/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/peserta/").status_code == 302


def test_logout_needs_post(auth, client, make_user):
    """Is logging out by GET refused, so another site cannot log a user out?"""
    auth.login(make_user())
    assert client.get("/keluar").status_code == 405


def test_remember_me_sets_cookie(auth, client, make_user):
    """Does "remember me" set a long-lived remember cookie?"""
    auth.login(make_user(), remember="y")
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_no_cookie(auth, client, make_user):
    """Is no remember cookie set when "remember me" is not ticked?"""
    auth.login(make_user())
    assert client.get_cookie("remember_token") is None


def test_login_is_rate_limited(app, auth, make_user):
    """Are many login attempts from one address answered with 429?"""
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    statuses = [auth.login("x@contoh.test", "salah-sekali-000").status_code for _ in range(limit + 1)]
    assert statuses[-1] == 429
    assert 429 not in statuses[:limit]


def test_open_redirect_is_refused(auth, make_user):
    """Does the login form ignore a "next" pointing to another site?"""
    user = make_user()
    response = auth.login(user, next="https://jahat.example/")
    assert response.headers["Location"] == "/peserta/"
    for sneaky in ("//jahat.example/", "/\\jahat.example", "/\t/jahat.example"):
        response = auth.login(user, next=sneaky)
        assert response.headers["Location"] == "/peserta/", sneaky


def test_local_next_is_followed(auth, make_user, client):
    """Does the login form return the user to the page they asked for?"""
    user = make_user()
    client.get("/keluar")
    response = auth.login(user, next="/kata-sandi")
    assert response.headers["Location"] == "/kata-sandi"


def test_change_password(auth, client, make_user):
    """Can a user change their password, and is the old one then refused?"""
    user = make_user()
    auth.login(user)
    bad = client.post(
        "/kata-sandi",
        data={"current": "salah-sekali-000", "password": "kata-sandi-baru-1", "confirm": "kata-sandi-baru-1"},
    )
    assert "Kata sandi saat ini salah." in bad.get_data(as_text=True)
    ok = client.post(
        "/kata-sandi",
        data={"current": DEFAULT_PASSWORD, "password": "kata-sandi-baru-1", "confirm": "kata-sandi-baru-1"},
    )
    assert ok.status_code == 302
    auth.logout()
    assert auth.login(user, DEFAULT_PASSWORD).status_code == 200
    assert auth.login(user, "kata-sandi-baru-1").status_code == 302


def test_passwords_are_hashed_with_argon2(make_user):
    """Is the stored password an argon2 hash, never the password itself?"""
    user = make_user(password="rahasia-sekali-xyz")
    assert user.password_hash.startswith("$argon2")
    assert "rahasia-sekali-xyz" not in user.password_hash
    assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == user.password_hash
