"""A password change or reset ends every other session and every older link (issue 11)."""
import pytest

from tic_academy.extensions import db
from tic_academy.services import accounts

from .conftest import DEFAULT_PASSWORD, AuthActions

NEW_PASSWORD = "kata-sandi-baru-456"


@pytest.fixture
def other_client(app):
    """A second browser (the attacker's, or the user's other device)."""
    return app.test_client()


def logged_in(client) -> bool:
    """Does this browser still open a page that needs a login?"""
    return client.get("/kata-sandi").status_code == 200


def change_password(client):
    """Change the password through the form."""
    return client.post("/kata-sandi", data={"current": DEFAULT_PASSWORD, "password": NEW_PASSWORD,
                                            "confirm": NEW_PASSWORD})


def issue_reset_link(user) -> str:
    """A fresh reset link path for ``user``, as emailed."""
    token = accounts.issue_token(user, "reset")
    db.session.commit()
    return f"/atur-kata-sandi/{token}"


def test_password_change_ends_other_sessions_but_keeps_this_one(client, other_client, make_user):
    """After a password change, is the other browser logged out while the changing one stays in?"""
    user = make_user()
    AuthActions(client).login(user)
    AuthActions(other_client).login(user)
    assert logged_in(client) and logged_in(other_client)
    assert change_password(client).status_code == 302
    assert logged_in(client)
    assert not logged_in(other_client)


def test_password_change_ends_other_remember_me_cookies(client, other_client, make_user):
    """Does a remember-me cookie made before a password change stop logging that browser in?"""
    user = make_user()
    AuthActions(client).login(user)
    AuthActions(other_client).login(user, remember="y")
    other_client.delete_cookie("session")  # the browser was closed: only the remember-me cookie is left
    assert logged_in(other_client)
    other_client.delete_cookie("session")
    change_password(client)
    assert not logged_in(other_client)


def test_remember_me_of_the_changing_browser_keeps_working(client, make_user):
    """Does the browser that changed the password keep a working remember-me cookie?"""
    user = make_user()
    AuthActions(client).login(user, remember="y")
    change_password(client)
    client.delete_cookie("session")
    assert logged_in(client)


def test_password_reset_ends_every_session(client, other_client, make_user):
    """After a reset through a link, is a session that was logged in elsewhere ended?"""
    user = make_user()
    AuthActions(other_client).login(user, remember="y")
    path = issue_reset_link(user)
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and logged_in(client)
    assert not logged_in(other_client)
    other_client.delete_cookie("session")
    assert not logged_in(other_client)


def test_reset_revokes_older_reset_links(client, make_user):
    """When one reset link is used, do the older links sent before stop working?"""
    user = make_user()
    older, newer = issue_reset_link(user), issue_reset_link(user)
    client.post(newer, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post("/keluar")
    assert client.get(older).status_code == 410
    response = client.post(older, data={"password": "kata-sandi-penyerang", "confirm": "kata-sandi-penyerang"})
    assert response.status_code == 410
    assert AuthActions(client).login(user, password=NEW_PASSWORD).status_code == 302


def test_password_change_revokes_outstanding_reset_links(client, make_user):
    """Is a reset link sent before a password change (e.g. read by someone else) refused afterwards?"""
    user = make_user()
    path = issue_reset_link(user)
    AuthActions(client).login(user)
    change_password(client)
    client.post("/keluar")
    assert client.get(path).status_code == 410


def test_sessions_from_before_versions_still_work(client, make_user):
    """Does a session holding a bare user id (made before this change) still count as version 0?"""
    user = make_user()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert logged_in(client)
