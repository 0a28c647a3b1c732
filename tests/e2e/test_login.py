"""Browser: logging in lands each demo role on its home page, in Indonesian."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "email, path",
    [
        ("admin@tic.test", "/admin/"),
        ("mentor1@tic.test", "/mentor/"),
        ("kepala.diskominfo@tic.test", "/opd/"),
        ("peserta2@tic.test", "/peserta/"),
    ],
)
def test_demo_account_lands_on_role_home(page, live_server, email, path):
    """Does each demo account log in through the browser and land on its role's home page?"""
    log_in(page, email)
    page.wait_for_url(f"{live_server}{path}")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("form[action='/keluar']")).to_have_count(1)  # the log-out form in the user menu


def test_wrong_password_shows_message(page):
    """Does a wrong password show the generic message in the browser?"""
    log_in(page, "peserta3@tic.test", "salah-sekali-000")
    expect(page.get_by_text("Email atau kata sandi salah")).to_be_visible()
    screenshot(page, "login-failed")
