"""The profile's git access tokens: created and shown once, stored hashed, listed, revoked, audited."""
import hashlib
import re

import pytest
from sqlalchemy import inspect, select, text

from tic_academy.extensions import db
from tic_academy.models import AuditEvent, PersonalAccessToken
from tic_academy.services import tokens

from ..conftest import csrf_token_from

TOKEN_PATTERN = re.compile(r"tic_pat_[A-Za-z0-9_-]{43}")


@pytest.fixture
def app_config(app_config):
    """These pages are forms: CSRF on, as in production."""
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _create(client, name="Laptop kantor", days="90"):
    """Post the create form (with its CSRF token); returns the response."""
    token = csrf_token_from(client.get("/profil/token").get_data(as_text=True))
    return client.post("/profil/token", data={"name": name, "days": days, "csrf_token": token})


def _login(client, user):
    """Log in through the form (CSRF on)."""
    token = csrf_token_from(client.get("/masuk").get_data(as_text=True))
    return client.post("/masuk", data={"email": user.email, "password": "rahasia-sekali-123", "csrf_token": token})


def test_token_is_shown_once_and_stored_only_as_a_hash(client, make_user):
    """Is a new token shown on the answer to its creation only, and does the database hold only its SHA-256?"""
    trainee = make_user(role="trainee")
    _login(client, trainee)
    response = _create(client)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    shown = TOKEN_PATTERN.findall(response.get_data(as_text=True))
    assert len(set(shown)) == 1
    token = shown[0]
    again = client.get("/profil/token").get_data(as_text=True)
    assert token not in again and "<td>Laptop kantor" in again and token[:12] in again
    row = db.session.scalar(select(PersonalAccessToken))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and row.user_id == trainee.id
    assert row.expires_at is not None and (row.expires_at - row.created_at).days == 90
    # nowhere in the database: no column of any table holds the token
    for table in inspect(db.engine).get_table_names():
        for values in db.session.execute(text(f'SELECT * FROM "{table}"')):
            assert all(token not in str(value) for value in values), table
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "token.created"))


def test_a_token_is_not_a_web_password(client, make_user):
    """Does logging in to the site with the token as the password fail?"""
    trainee = make_user(role="trainee")
    token = tokens.create_token(trainee, "x", None, None, max_active=5)[1]
    csrf = csrf_token_from(client.get("/masuk").get_data(as_text=True))
    response = client.post("/masuk", data={"email": trainee.email, "password": token, "csrf_token": csrf})
    assert response.status_code == 200  # the form again, not a redirect into the site
    assert client.get("/peserta/").status_code == 302


def test_revoke_works_and_is_audited(client, make_user):
    """Does revoking take the token out of use and out of the list, with an audit event?"""
    trainee = make_user(role="trainee")
    _login(client, trainee)
    token = TOKEN_PATTERN.search(_create(client).get_data(as_text=True)).group(0)
    row = db.session.scalar(select(PersonalAccessToken))
    page = client.get("/profil/token").get_data(as_text=True)
    response = client.post(f"/profil/token/{row.id}/cabut", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert row.revoked_at is not None
    listed = client.get("/profil/token").get_data(as_text=True)
    assert "<td>Laptop kantor" not in listed and "Anda belum memiliki token." in listed
    with pytest.raises(tokens.TokenRefused):
        tokens.authenticate(token, "127.0.0.1")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["token.revoked", "token.failed"]


def test_revoke_needs_the_csrf_token(client, make_user):
    """Is a revoke without the form's CSRF token refused, leaving the token active?"""
    trainee = make_user(role="trainee")
    _login(client, trainee)
    _create(client)
    row = db.session.scalar(select(PersonalAccessToken))
    assert client.post(f"/profil/token/{row.id}/cabut").status_code == 400
    db.session.expire_all()
    assert row.revoked_at is None


def test_another_user_cannot_revoke_my_token(client, make_user):
    """Does revoking someone else's token answer 404 and leave it active?"""
    owner, other = make_user(role="trainee"), make_user(role="trainee")
    tokens.create_token(owner, "punya pemilik", None, None, max_active=5)
    row = db.session.scalar(select(PersonalAccessToken))
    _login(client, other)
    page = client.get("/profil/token").get_data(as_text=True)
    assert "punya pemilik" not in page
    response = client.post(f"/profil/token/{row.id}/cabut", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 404
    db.session.expire_all()
    assert row.revoked_at is None


def test_bad_input_is_refused_clearly(client, make_user, app):
    """Are an empty name, and a token past the per-user ceiling, refused with an Indonesian message?"""
    trainee = make_user(role="trainee")
    _login(client, trainee)
    assert "This field is required" in _create(client, name="").get_data(as_text=True) or \
        "wajib" in _create(client, name="").get_data(as_text=True)
    app.config["TOKEN_MAX_ACTIVE"] = 1
    _create(client, name="satu")
    page = _create(client, name="dua").get_data(as_text=True)
    assert "Anda sudah memiliki 1 token aktif" in page
    assert not TOKEN_PATTERN.search(page)
    assert db.session.scalar(select(db.func.count(PersonalAccessToken.id))) == 1


def test_opd_head_has_no_tokens(client, make_user):
    """Is the token page closed to an OPD head (no repositories to reach)?"""
    _login(client, make_user(role="opd_head"))
    assert client.get("/profil/token").status_code == 403


def test_git_routes_need_no_csrf_token(client, make_user, monkeypatch, tmp_path):
    """With CSRF protection on, does a git POST (which carries a token, not a cookie) still get through?"""
    from tic_academy.services import projects, repositories

    trainee = make_user(role="trainee")
    repo = repositories.repository_path(tmp_path / "repos", trainee.id, 3)
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "README.md").write_text("# Uji\n")
    repositories.create_from_template(repo, tmp_path / "tpl", "Mulai")
    monkeypatch.setattr(projects, "repository_for", lambda user, exercise_id, root: repo)
    token = tokens.create_token(trainee, "x", None, None, max_active=5)[1]
    import base64

    headers = {"Authorization": "Basic " + base64.b64encode(f"x:{token}".encode()).decode(),
               "Content-Type": "application/x-git-upload-pack-request"}
    response = client.post(f"/git/{trainee.id}/3.git/git-upload-pack", headers=headers,
                           data=b"0032want " + repositories.head(repo).encode() + b"\n00000009done\n")
    assert response.status_code == 200 and b"PACK" in response.data
