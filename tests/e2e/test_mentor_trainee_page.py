"""Browser: a mentor opens a trainee's page from "Peserta saya" and loads the trainee's drafts on request."""
import pytest

from tests.e2e.conftest import log_in, screenshot

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
    screenshot(page, "mentor-trainee-page")


def test_decision_bar_stays_on_screen_on_a_phone(page, live_app, live_server):
    """On a 390 px phone, is the decision bar on screen while the mentor reads an answer far above it?"""
    from tests.e2e.test_mentoring import graded_submission

    submission_id = graded_submission(live_app)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, MENTOR)
    page.goto(f"/mentor/pengumpulan/{submission_id}")
    page.click("#review-jump a[href^='#cell-']")
    box = page.locator("#decision-bar").bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 844
    assert page.locator("#decision-bar button[value=approved]").is_visible()
    screenshot(page, "review-phone-decision-bar")
