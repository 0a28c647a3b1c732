"""Browser: a trainee reveals the hints of a task in the workspace, one at a time, and keeps them on reload.

Uses peserta6 (its first exercise is open); revealing free hints changes no score the other tests read.
"""
import pytest

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e]

FIRST = "/peserta/latihan/nilai-dan-variabel"


def test_reveal_hints_one_at_a_time_in_the_workspace(page):
    """Does the hint button reveal hint 1 in place (editors untouched), offer hint 2, and keep hint 1 after a reload?"""
    log_in(page, "peserta6@tic.test")
    page.goto(FIRST)
    page.wait_for_selector("body.workspace-ready")
    block = page.locator('[data-hints="uji-profil"]')
    block.locator("button[type=submit]").click()
    page.wait_for_selector('[data-hints="uji-profil"] .task-hint')
    assert page.locator('[data-hints="uji-profil"] .task-hint').count() == 1
    assert "2" in page.locator('[data-hints="uji-profil"] button[type=submit]').inner_text()
    assert page.url.endswith(FIRST)  # sent with fetch: no page change
    page.reload()
    page.wait_for_selector("body.workspace-ready")
    assert page.locator('[data-hints="uji-profil"] .task-hint').count() == 1
