"""A person logs in with the city account in Chromium, through a real OpenID Connect provider, and out again."""
import threading

import pytest
from werkzeug.serving import make_server

from tests.e2e.conftest import _free_port, screenshot
from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, start

pytestmark = pytest.mark.e2e

ACCOUNTS = {"pegawai-7": {"email": "sso.peserta@contoh.test", "email_verified": True, "name": "Siti Peserta"}}


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory):
    """The app on its own port and database, configured for a provider started for it."""
    from tic_academy import create_app
    from tic_academy.extensions import db
    from tic_academy.models import Opd, User

    folder = tmp_path_factory.mktemp("sso-e2e")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    provider = start(folder, ACCOUNTS, [base])
    app = create_app({
        "ENV_NAME": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'sso.sqlite'}",
        "WTF_CSRF_ENABLED": True, "EXTERNAL_URL": base, "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
    })
    with app.app_context():
        db.create_all()
        opd = Opd(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika", short_name="Diskominfo")
        db.session.add_all([opd, User(email="sso.peserta@contoh.test", full_name="Siti Peserta", role="trainee", opd=opd)])
        db.session.commit()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    provider.stop()


def test_log_in_and_out_with_the_city_account(browser, sso_server):
    context = browser.new_context(base_url=sso_server, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/masuk")
    page.get_by_role("link", name="Masuk dengan akun Pemkot").click()
    page.fill("input[name=login]", "pegawai-7")  # the provider's own login page
    page.fill("input[name=password]", "rahasia")
    page.click("button[type=submit]")
    page.wait_for_url(sso_server + "/peserta/")
    assert "Siti Peserta" in page.content()
    screenshot(page, "sso-logged-in")
    page.get_by_role("button", name="Siti Peserta").click()  # the user menu holds the log-out form
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/session/end**")
    page.click("button[autofocus], button[type=submit]")  # the provider asks to confirm its logout
    page.wait_for_url(sso_server + "/masuk**")
    assert page.get_by_role("link", name="Masuk dengan akun Pemkot").is_visible()
    page.goto("/peserta/")
    assert "/masuk" in page.url  # the local session is over
    context.close()
