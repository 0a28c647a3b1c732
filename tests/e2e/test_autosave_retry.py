"""Browser: autosave keeps trying, backing off, while the server answers 503 (database restarting)."""
import json
import time

import pytest

from tests.e2e.test_workspace import open_first_exercise, type_answer, wait_saved

pytestmark = [pytest.mark.e2e, pytest.mark.kernel]


def test_autosave_retries_after_503_until_saved(page):
    """Two 503 answers to autosave, then the server is back: is the draft saved without a new edit?"""
    attempts = []

    def database_restarting(route):
        attempts.append(time.monotonic())
        if len(attempts) <= 2:
            body = {"error": "Basis data tidak dapat dihubungi saat ini.", "status": 503, "retry_after": 1}
            route.fulfill(status=503, headers={"Retry-After": "1"}, content_type="application/json",
                          body=json.dumps(body))
        else:
            route.continue_()

    open_first_exercise(page, "peserta5@tic.test")
    page.route("**/draf", lambda route: database_restarting(route) if route.request.method == "POST"
               else route.continue_())
    type_answer(page, "jawaban-profil", 'nama_kecamatan = "Ciputat"  # saat basis data mati')
    page.wait_for_selector('#save-status[data-state="error"]')
    assert "Basis data" in page.locator("#workspace-alert").inner_text()
    wait_saved(page)  # no new edit, no click: the retries alone get it saved
    assert len(attempts) >= 3
    first_wait, second_wait = attempts[1] - attempts[0], attempts[2] - attempts[1]
    assert second_wait > first_wait * 1.5  # backing off, not hammering
    assert page.locator("#workspace-alert").inner_text().strip() == ""  # the error went with it
