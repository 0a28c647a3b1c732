"""Browser: a mentor opens a trainee's page from "Peserta saya" and loads the trainee's drafts on request."""
import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

TRAINEE, MENTOR = "peserta5@tic.test", "mentor1@tic.test"


def test_mentor_opens_a_trainees_page_from_my_trainees(page, live_server):
    """Does the trainee's name in "Peserta saya" lead to their page, with progress and a drafts button?"""
    log_in(page, MENTOR)
    page.goto("/mentor/peserta")
    row = page.locator(f'#my-trainees tr[data-trainee="{TRAINEE}"]')
    name = row.locator("a").first.inner_text()
    row.locator("a").first.click()
    page.wait_for_url("**/mentor/peserta/*")
    assert page.inner_text("#trainee-name") == name
    assert page.locator("#progress table").count() >= 1
    page.click("#load-drafts")
    page.wait_for_selector("#drafts")
    assert page.locator("#load-drafts").count() == 0  # the drafts (or "Tidak ada draf.") replaced the button
