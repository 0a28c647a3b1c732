"""Browser: a trainee asks for help on a graded submission; the mentor comments on a line and
requests changes; the trainee sees the comment beside the line and the notification.

The submission itself is made through the services inside the live app and graded by its
LOCAL runner in the real sandbox (the trainee workspace is another page's journey); every
step after that goes through the browser. Uses peserta5 (mentored by mentor1) only.
"""
import time

import pytest
from flask import url_for

from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e

TRAINEE, MENTOR = "peserta5@tic.test", "mentor1@tic.test"
ANSWERS = {
    "jawaban-profil": 'nama_kecamatan = "Pamulang"\nkelurahan_pamulang = 8\nluas_pamulang = 26.82\nsudah_terdata = True',
}
COMMENT = "Nama variabel sudah **jelas**; cek lagi tipe datanya."


def graded_submission(live_app) -> int:
    """Submit peserta5's answers to the first exercise and wait for the real grading."""
    from tic_academy.extensions import db
    from tic_academy.jobs.runners import get_runner
    from tic_academy.models import Submission
    from tic_academy.services import review_queue
    from tic_academy.services.accounts import find_user
    from tic_academy.services.enrollment import current_enrollment
    from tic_academy.services.submissions import create_submission

    with live_app.app_context():
        trainee = find_user(TRAINEE)
        exercise = current_enrollment(trainee.id).cohort.track.stages[0].exercises[0]
        submission = create_submission(trainee, exercise, ANSWERS)
        get_runner(live_app).enqueue(submission.id)
        deadline = time.monotonic() + 90
        while submission.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.3)
            db.session.expire_all()
            submission = db.session.get(Submission, submission.id)
        assert submission.status == "graded", submission.error
        review_queue.on_submission_graded(submission)  # the submissions service's hook; safe to call twice
        return submission.id


def test_help_request_review_and_feedback(page, live_app, live_server):
    """Does a help request reach the mentor, and the mentor's line comment and decision reach the trainee?"""
    submission_id = graded_submission(live_app)

    # The trainee asks for help from their submission's feedback page.
    log_in(page, TRAINEE)
    page.goto(f"/diskusi/umpan-balik/{submission_id}")
    page.click("#help-request summary")
    page.fill("textarea[name=question]", "Kenapa nilai saya belum penuh?")
    page.click("#help-request button[type=submit]")
    page.wait_for_url("**/diskusi/bantuan/*")
    assert "Kenapa nilai saya belum penuh?" in page.inner_text("#help-question")
    page.context.clear_cookies()

    # The mentor finds it in the queue, opens the submission, comments on line 2 and requests changes.
    log_in(page, MENTOR)
    page.wait_for_url(f"{live_server}/mentor/")
    row = page.locator("#queue tr[data-kind=help]", has_text="Yusuf Hidayat").first
    assert row.is_visible()
    row.locator("a.btn-primary").click()
    page.wait_for_url("**/diskusi/bantuan/*")
    page.click("#review-latest")
    page.wait_for_url(f"**/mentor/pengumpulan/{submission_id}")
    assert page.locator("#test-results tbody tr").count() >= 1
    page.click("table[data-grade-id=jawaban-profil] button[data-comment-line='2']")
    assert page.input_value("#line-jawaban-profil") == "2"
    page.fill("#body-jawaban-profil", COMMENT)
    page.click("#comment-form-jawaban-profil button[type=submit]")
    page.wait_for_url(f"**/mentor/pengumpulan/{submission_id}*")
    assert "jelas" in page.inner_text("#line-jawaban-profil-2")
    screenshot(page, "mentor-review")
    page.fill("#summary", "Perbaiki tipe data luas wilayah.")
    page.click("#decision-form button[value=changes_requested]")
    page.wait_for_url(f"{live_server}/mentor/")
    assert page.locator("#queue tr[data-kind=help]", has_text="Yusuf Hidayat").count() == 0
    screenshot(page, "mentor-queue-after-review")
    page.context.clear_cookies()

    # The trainee sees the notification under the bell and the comment beside line 2.
    log_in(page, TRAINEE)
    page.wait_for_url(f"{live_server}/peserta/")
    unread = int(page.inner_text("#notification-bell [data-unread-count]"))
    assert unread >= 1
    page.click("#notification-bell button")
    page.locator("#notification-bell a[data-notification]").first.click()
    page.wait_for_url(f"**/diskusi/umpan-balik/{submission_id}")
    line = page.locator("#line-jawaban-profil-2")
    assert "kelurahan_pamulang = 8" in line.inner_text()
    assert line.locator("[data-line-comment] strong").inner_text() == "jelas"
    assert page.locator("[data-review=changes_requested]").count() == 1
    screenshot(page, "trainee-mentor-feedback")
    badge = page.locator("#notification-bell [data-unread-count]")
    assert (int(badge.inner_text()) if badge.count() else 0) == unread - 1  # opening it marked it read

    # The trainee's own submission page (the workspace engineer's) shows the same comment beside the line.
    if "trainee.submission" in live_app.view_functions:
        with live_app.test_request_context():
            path = url_for("trainee.submission", submission_id=submission_id)
        page.goto(path)
        assert "jelas" in page.inner_text("#mentor-feedback #line-jawaban-profil-2")
