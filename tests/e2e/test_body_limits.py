"""Browser: an autosave refused as too large (413) is shown, not retried in a loop, and loses nothing (issue 11).

Uses peserta6 (its first exercise is open; the other workspace tests use other trainees).
"""
import pytest

from tests.e2e.test_workspace import editor, open_first_exercise, wait_saved

pytestmark = [pytest.mark.e2e]

TRAINEE = "peserta6@tic.test"
#: A long comment line: more than the lowered autosave cap once sent as JSON.
LONG = "# " + "panjang " * 700


def backup_in_browser(page) -> str:
    """The answers kept in this browser's localStorage by the workspace (empty when none)."""
    return page.evaluate(
        """() => {
            const data = JSON.parse(document.getElementById("workspace-data").textContent);
            return localStorage.getItem(data.storageKey) || "";
        }"""
    )


def test_too_large_autosave_is_shown_and_the_answers_are_kept(page, live_app):
    """Does a 413 on autosave show the Indonesian reason, stop retrying, and keep the answers until they fit?"""
    open_first_exercise(page, TRAINEE)
    saves = []
    page.on("request", lambda request: saves.append(request) if request.method == "POST"
            and request.url.endswith("/draf") else None)
    cap = live_app.config["WORKSPACE_JSON_MAX_LENGTH"]
    live_app.config["WORKSPACE_JSON_MAX_LENGTH"] = 4096
    try:
        editor(page, "jawaban-profil").click()
        page.keyboard.press("ControlOrMeta+End")
        page.keyboard.press("Enter")
        page.keyboard.insert_text(LONG)
        page.wait_for_selector('#save-status[data-state="error"]')
        alert = page.locator("#workspace-alert .alert-danger").inner_text()
        assert "terlalu besar" in alert and "peramban ini" in alert
        page.wait_for_timeout(2500)  # a refused save is not retried on its own
        assert len(saves) == 1
        assert LONG.strip() in backup_in_browser(page)
    finally:
        live_app.config["WORKSPACE_JSON_MAX_LENGTH"] = cap
    page.keyboard.type("!")  # the next edit saves again, now within the cap
    wait_saved(page)
    page.reload()
    page.wait_for_selector("body.workspace-ready")
    assert "panjang panjang" in editor(page, "jawaban-profil").inner_text()
