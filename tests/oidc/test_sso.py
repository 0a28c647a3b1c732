"""Single sign-on against a real OpenID Connect provider (npm's oidc-provider, started on loopback)."""
import base64
import json

import pytest
import requests
from authlib.integrations.flask_client.apps import FlaskOAuth2App
from sqlalchemy import func, select

from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, browse_provider, start
from tic_academy.enums import PENDING_ROLE
from tic_academy.extensions import db
from tic_academy.models import AuditEvent, User
from tic_academy.services import sso

APP_URL = "http://localhost"
CALLBACK = APP_URL + "/masuk/sso/kembali"
ACCOUNTS = {
    "pegawai-1": {"email": "Peserta.SSO@contoh.test", "email_verified": True, "name": "Peserta SSO"},
    "orang-asing": {"email": "asing@contoh.test", "email_verified": True, "name": "Orang Asing"},
    "belum-verifikasi": {"email": "belum@contoh.test", "email_verified": False, "name": "Belum"},
    "nonaktif": {"email": "nonaktif@contoh.test", "email_verified": True, "name": "Nonaktif"},
    "penyusup": {"email": "peserta.sso@contoh.test", "email_verified": True, "name": "Orang Lain"},
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = start(tmp_path_factory.mktemp("oidc"), ACCOUNTS, [APP_URL])
    yield running
    running.stop()


@pytest.fixture
def app_config(app_config, provider):
    return {**app_config, "OIDC_ISSUER": provider.issuer, "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET, "EXTERNAL_URL": APP_URL}


@pytest.fixture
def browser():
    """The person's browser at the provider (its cookies: the provider's session)."""
    with requests.Session() as session:
        yield session


def sso_login(client, browser, login, next_page=None):
    """Log in through the provider; returns the app's answer to the callback."""
    start_answer = client.get("/masuk/sso" + (f"?next={next_page}" if next_page else ""))
    assert start_answer.status_code == 302, start_answer.data
    callback = browse_provider(browser, start_answer.location, login, stop_at=CALLBACK)
    return client.get(callback)


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def logged_in_as(client):
    answer = client.get("/", follow_redirects=False)
    return answer.location


def test_first_login_links_the_invited_account_by_verified_email(app, client, browser, make_user):
    trainee = make_user("trainee", email="peserta.sso@contoh.test")
    users_before = db.session.scalar(select(func.count()).select_from(User))
    answer = sso_login(client, browser, "pegawai-1", next_page="/peserta/kurikulum")
    assert answer.status_code == 302
    assert answer.location == "/peserta/kurikulum"
    db.session.refresh(trainee)
    assert (trainee.oidc_issuer, trainee.oidc_subject) == (app.config["OIDC_ISSUER"], "pegawai-1")
    assert client.get("/peserta/").status_code == 200
    assert [e.object_id for e in events("sso.linked")] == [trainee.id]
    # Logging in again finds the account by its provider identity; no second account, ever.
    client.post("/keluar")
    assert sso_login(client, browser, "pegawai-1").location == "/peserta/"
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
    assert len(events("sso.login")) == 2 and len(events("sso.linked")) == 1


def test_a_second_provider_identity_with_the_same_email_is_refused(app, client, browser, make_user):
    make_user("trainee", email="peserta.sso@contoh.test")
    assert sso_login(client, browser, "pegawai-1").location == "/peserta/"
    client.post("/keluar")
    other = requests.Session()
    answer = sso_login(client, other, "penyusup")
    assert answer.location == "/masuk"
    assert client.get("/peserta/").status_code == 302
    assert events("sso.refused")[-1].detail["reason"] == "linked_to_another"


def test_an_unknown_person_is_refused_in_indonesian(app, client, browser):
    answer = sso_login(client, browser, "orang-asing")
    assert answer.location == "/masuk"
    page = client.get("/masuk").get_data(as_text=True)
    assert "belum terdaftar di program" in page
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    refused = events("sso.refused")
    assert [e.detail["reason"] for e in refused] == ["unknown"]
    assert refused[0].detail["email"] == "asing@contoh.test"


def test_an_admin_may_let_unknown_people_wait_for_a_role(app, client, browser, make_user, make_opd):
    admin = make_user("admin")
    sso.set_switches(sso.Switches(pending_accounts=True), admin, "127.0.0.1")
    answer = sso_login(client, browser, "orang-asing")
    assert answer.location == "/menunggu-persetujuan"
    user = db.session.scalar(select(User).where(User.email == "asing@contoh.test"))
    assert user.role == PENDING_ROLE and user.password_hash is None
    assert "menunggu persetujuan" in client.get("/menunggu-persetujuan").get_data(as_text=True).lower()
    for page in ("/peserta/", "/mentor/", "/opd/", "/admin/"):
        assert client.get(page).status_code == 403, page
    assert len(events("sso.pending_created")) == 1
    assert len(events("sso.settings_changed")) == 1


def test_an_unverified_email_is_not_matched(app, client, browser, make_user):
    make_user("trainee", email="belum@contoh.test")
    assert sso_login(client, browser, "belum-verifikasi").location == "/masuk"
    assert events("sso.refused")[-1].detail["reason"] == "email_unverified"
    assert client.get("/peserta/").status_code == 302


def test_a_deactivated_account_is_refused_even_with_a_valid_provider_login(app, client, browser, make_user):
    user = make_user("trainee", email="nonaktif@contoh.test")
    user.active = False
    db.session.commit()
    assert sso_login(client, browser, "nonaktif").location == "/masuk"
    assert "dinonaktifkan" in client.get("/masuk").get_data(as_text=True)
    assert events("sso.refused")[-1].detail["reason"] == "inactive"
    assert client.get("/peserta/").status_code == 302


def _tamper(part):
    """Change one claim of the ID token's payload, keeping the provider's signature."""
    def change(token):
        head, payload, signature = token["id_token"].split(".")
        if part == "signature":
            signature = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
        else:
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            claims[part] = "lain@contoh.test"
            payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return {**token, "id_token": ".".join([head, payload, signature])}
    return change


@pytest.mark.parametrize("part", ["email", "signature"])
def test_a_tampered_id_token_is_refused(app, client, browser, make_user, monkeypatch, part):
    make_user("trainee", email="peserta.sso@contoh.test")
    make_user("trainee", email="lain@contoh.test")
    original = FlaskOAuth2App.fetch_access_token

    def tampered(self, *args, **kwargs):
        return _tamper(part)(original(self, *args, **kwargs))

    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", tampered)
    answer = sso_login(client, browser, "pegawai-1")
    assert answer.location == "/masuk"
    assert client.get("/peserta/").status_code == 302
    assert [e.detail["reason"] for e in events("sso.refused")] == ["id_token"]
    assert not events("sso.login")


def test_a_wrong_state_is_refused(app, client, browser, make_user):
    make_user("trainee", email="peserta.sso@contoh.test")
    start_answer = client.get("/masuk/sso")
    callback = browse_provider(browser, start_answer.location, "pegawai-1", stop_at=CALLBACK)
    forged = callback.replace("state=", "state=x")
    assert client.get(forged).location == "/masuk"
    assert client.get("/peserta/").status_code == 302
    # A callback brought to another browser (no state in its session) is refused too.
    assert app.test_client().get(callback).location == "/masuk"
    assert [e.detail["reason"] for e in events("sso.refused")] == ["state", "state"]
    assert "Silakan coba lagi" in client.get("/masuk").get_data(as_text=True)


def test_logout_ends_the_local_and_the_provider_session(app, client, browser, make_user, provider):
    make_user("trainee", email="peserta.sso@contoh.test")
    assert sso_login(client, browser, "pegawai-1").location == "/peserta/"
    answer = client.post("/keluar")
    assert answer.status_code == 302
    assert answer.location.startswith(provider.issuer + "/session/end")
    assert "id_token_hint=" in answer.location
    assert client.get("/peserta/").status_code == 302  # the local session is over
    landing = browse_provider(browser, answer.location, "", stop_at=APP_URL)
    assert landing.startswith(APP_URL + "/masuk")
    # The provider forgot the person: a new log-in asks for the login form again.
    start_answer = client.get("/masuk/sso")
    page = browser.get(start_answer.location).text
    assert 'name="login"' in page


def test_password_login_may_be_switched_off_for_everyone_but_admins(app, client, make_user, auth):
    admin = make_user("admin")
    trainee = make_user("trainee")
    sso.set_switches(sso.Switches(password_admins_only=True), admin, None)
    page = client.get("/masuk").get_data(as_text=True)
    assert "Masuk dengan akun Pemkot" in page
    refused = auth.login(trainee)
    assert refused.status_code == 403
    assert "akun Pemkot" in refused.get_data(as_text=True)
    assert client.get("/peserta/").status_code == 302
    assert events("sso.refused")[-1].detail["reason"] == "password_login_off"
    assert auth.login(admin).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_page_saves_the_switches_and_lists_accounts_waiting(app, client, auth, make_user, browser):
    admin = make_user("admin")
    auth.login(admin)
    page = client.get("/admin/masuk-pemkot").get_data(as_text=True)
    assert APP_URL + "/masuk/sso/kembali" in page
    answer = client.post("/admin/masuk-pemkot", data={"pending_accounts": "y"})
    assert answer.status_code == 302
    assert sso.switches() == sso.Switches(password_admins_only=False, pending_accounts=True)
    auth.logout()
    sso_login(client, browser, "orang-asing")
    client.post("/keluar")
    auth.login(admin)
    assert "asing@contoh.test" in client.get("/admin/masuk-pemkot").get_data(as_text=True)
    waiting = db.session.scalar(select(User).where(User.email == "asing@contoh.test"))
    # The admin gives the account its role on the user's page; then it is an ordinary account.
    assert client.post(f"/admin/pengguna/{waiting.id}", data={"role": "mentor", "opd_id": 0}).status_code == 302
    db.session.refresh(waiting)
    assert waiting.role == "mentor"


def test_forms_may_lead_to_the_provider_and_nowhere_else(app, client, provider):
    policy = client.get("/masuk").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.issuer};" in policy


def test_cancelling_at_the_provider_is_said_plainly(app, client):
    """The person cancels at the provider: no login, a plain message, the refusal audited as "cancelled"."""
    client.get("/masuk/sso")
    answer = client.get("/masuk/sso/kembali?error=access_denied&state=apa-saja")
    assert answer.location == "/masuk"
    assert "dibatalkan" in client.get("/masuk").get_data(as_text=True)
    assert client.get("/peserta/").status_code == 302
    assert [e.detail["reason"] for e in events("sso.refused")] == ["cancelled"]
