"""Browser: what a trainee hears back, where they look — the mentor's decision on Beranda, the workspace
toast under the toolbar while scrolled down, and the way on after a pass.

Each test makes its own trainee in the demo cohort (mentor1), so the demo trainees of the other
browser tests keep their state.
"""
import itertools
import re

import pytest

from tests.e2e.conftest import ARTIFACTS, log_in, screenshot
from tests.e2e.test_workspace import CORRECT, FIRST, type_answer, wait_saved

pytestmark = pytest.mark.e2e

_numbers = itertools.count(1)


def new_trainee(live_app) -> str:
    """A fresh trainee in the demo cohort with mentor1, with the demo password; returns the email."""
    from tic_academy.extensions import db
    from tic_academy.models import Enrollment, User
    from tic_academy.services.accounts import find_user, hash_password
    from tic_academy.services.enrollment import current_enrollment
    from tic_academy.services.settings import ServiceSettings

    with live_app.app_context():
        model = find_user("peserta1@tic.test")
        enrollment = current_enrollment(model.id)
        number = next(_numbers)
        email = f"umpan-balik-{number}@tic.test"
        trainee = User(email=email, full_name=f"Peserta Umpan Balik {number}", role="trainee", opd=model.opd,
                       password_hash=hash_password(live_app.config["DEMO_PASSWORD"],
                                                   ServiceSettings.from_config(live_app.config)))
        db.session.add(trainee)
        db.session.add(Enrollment(cohort=enrollment.cohort, trainee=trainee, mentor=enrollment.mentor))
        db.session.commit()
    return email


def mentor_requests_changes(live_app, email: str) -> int:
    """A graded submission of the first exercise with a line comment and mentor1's "request changes"."""
    from tic_academy.extensions import db
    from tic_academy.enums import Decision
    from tic_academy.models import Submission
    from tic_academy.services import reviews
    from tic_academy.services.accounts import find_user
    from tic_academy.services.enrollment import current_enrollment

    with live_app.app_context():
        trainee = find_user(email)
        exercise = current_enrollment(trainee.id).cohort.track.stages[0].exercises[0]
        submission = Submission(trainee=trainee, exercise=exercise, exercise_version=exercise.current_version,
                                answers=dict(CORRECT), status="graded", auto_score=8.0, max_score=8.0)
        db.session.add(submission)
        db.session.commit()
        mentor = find_user("mentor1@tic.test")
        long_comment = "Coba beri nama yang menjelaskan isinya, misalnya jumlah_rumah_terdata, supaya pembaca paham."
        reviews.add_line_comment(submission, mentor, "jawaban-retribusi", 2, long_comment)
        reviews.decide(submission, mentor, Decision.CHANGES_REQUESTED, summary="Rapikan nama variabelnya, ya.")
        return submission.id


def test_mentor_decision_shows_on_beranda_and_in_the_workspace(page, live_app, live_server):
    """After a mentor's "request changes", does Beranda show it (and "needs revision"), with readable line comments?"""
    email = new_trainee(live_app)
    submission_id = mentor_requests_changes(live_app, email)
    log_in(page, email)
    page.wait_for_url(f"{live_server}/peserta/")
    card = page.locator("section[aria-labelledby=feedback-heading]")
    assert card.locator("[data-review=changes_requested]").is_visible()
    assert "Rapikan nama variabelnya, ya." in card.inner_text()
    assert card.locator(f'a[href="/diskusi/umpan-balik/{submission_id}"]').is_visible()
    # Full marks, but the mentor asked for changes: the next step is to revise it.
    assert page.locator(".continue-card [data-status=needs_revision]").is_visible()
    screenshot(page, "trainee-home-feedback")

    page.goto("/peserta/kurikulum")
    assert page.locator("[data-status=needs_revision]").count() == 1

    page.goto(FIRST)
    page.wait_for_selector("body.workspace-ready")
    comment = page.locator("#mentor-feedback .line-comment").first
    comment.scroll_into_view_if_needed()
    assert comment.bounding_box()["width"] > 250  # was squeezed into a ~104 px column


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["laptop", "phone"])
def test_upload_error_toast_is_visible_while_scrolled_down(page, live_app, size):
    """Is the message about a broken upload shown under the toolbar, on screen, while the trainee is far down?"""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, new_trainee(live_app))
    page.wait_for_url("**/peserta/")
    page.goto(FIRST)
    page.wait_for_selector("body.workspace-ready")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_input_files("#upload-input", files=[{"name": "rusak.ipynb", "mimeType": "application/json",
                                                   "buffer": b"{ini bukan notebook"}])
    toast = page.locator("#workspace-alert .alert-danger")
    toast.wait_for(state="attached")
    box = toast.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]
    assert page.evaluate("window.scrollY") > 500  # still where the trainee was
    assert toast.locator("xpath=..").get_attribute("role") == "alert"  # read out by screen readers
    assert "tidak bisa dibaca sebagai notebook" in toast.inner_text()
    assert "Expecting" not in toast.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workspace-upload-toast-{size[0]}.png"))  # the screen as the trainee sees it
    toast.locator(".btn-close").focus()  # reachable by keyboard
    page.keyboard.press("Enter")
    assert page.locator("#workspace-alert .alert").count() == 0


@pytest.mark.kernel
def test_next_exercise_after_a_pass(page, live_app):
    """After a submission passes, do the header and a "next exercise" link change without a reload?"""
    log_in(page, new_trainee(live_app))
    page.wait_for_url("**/peserta/")
    page.goto(FIRST)
    page.wait_for_selector("body.workspace-ready")
    assert page.locator("#exercise-status [data-status=not_started]").is_visible()
    for grade_id, code in CORRECT.items():
        type_answer(page, grade_id, code)
    wait_saved(page)
    assert page.locator("#exercise-status [data-status=in_progress]").is_visible()
    page.locator("[data-action=submit]").click()
    link = page.locator("#results [data-action=next-exercise]")
    link.wait_for(timeout=90_000)
    assert page.locator("#exercise-status [data-status=passed]").is_visible()
    assert "8 / 8" in page.inner_text("#best-score")
    screenshot(page, "workspace-next-exercise")
    target = link.get_attribute("href")
    assert target.startswith("/peserta/latihan/") and target != FIRST
    link.click()
    page.wait_for_url(f"**{target}")
    page.wait_for_selector("body.workspace-ready")


def test_a_long_run_shows_elapsed_time_and_can_be_stopped(page, live_app):
    """While code runs, is the time shown, and does Stop end the wait with an honest message?"""
    log_in(page, new_trainee(live_app))
    page.wait_for_url("**/peserta/")
    page.goto(FIRST)
    page.wait_for_selector("body.workspace-ready")
    held = []
    page.route("**/jalankan", lambda route: held.append(route))  # the server "runs" for as long as the test likes
    page.locator("[data-action=run-all]").click()
    stop = page.locator("#results [data-action=stop]")
    stop.wait_for()
    page.locator("#results .waiting-elapsed", has_text=re.compile(r"^[2-9] ")).wait_for()  # the seconds count up
    assert page.locator("[data-action=check]").is_disabled()
    stop.click()
    message = page.locator("#results .run-stopped")
    message.wait_for()
    assert "Berhenti menunggu" in message.inner_text() and "60 detik" in message.inner_text()
    assert page.locator("[data-action=check]").is_enabled()
    assert held  # the request really was waiting


@pytest.mark.kernel
def test_check_names_tasks_and_brings_the_failing_cell_into_view(page, live_app):
    """After Check from far down the page, are results named by task and the first failing test cell on screen?"""
    log_in(page, new_trainee(live_app))
    page.wait_for_url("**/peserta/")
    page.goto(FIRST)
    page.wait_for_selector("body.workspace-ready")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator("[data-action=check]").click()  # the starter code fails every test
    page.wait_for_selector("#results .test-results", timeout=60_000)
    first_failed = page.locator("#results .test-row").first
    title = first_failed.locator(".test-title").inner_text()
    assert title and title != first_failed.get_attribute("data-grade-id")  # a task name, not an internal id
    cell = page.locator(f'.nb-cell[data-grade-id="{first_failed.get_attribute("data-grade-id")}"]')
    page.wait_for_timeout(800)  # the smooth scroll
    box = cell.bounding_box()
    assert box["y"] < page.viewport_size["height"] and box["y"] + box["height"] > 0
