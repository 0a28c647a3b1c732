"""Browser: a mentor reviews a project submission as a diff, comments on a changed line and on an unchanged
one, and requests changes; the trainee gets the notification and sees each comment beside its line.

The graded project submission is stored through the models inside the live app (the git push and the
grading are other journeys'); every step after that goes through the browser. Uses its own trainee
(peserta-proyek@tic.test, mentored by mentor1) so no other journey's data is touched.
"""
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PASSWORD
from tests.e2e.conftest import log_in, screenshot

pytestmark = pytest.mark.e2e

TRAINEE, MENTOR = "peserta-proyek@tic.test", "mentor1@tic.test"
PROJECT = Path(__file__).resolve().parents[2] / "projects" / "layanan-pengaduan"
RUTE = "pengaduan/rute.py"
NEW_LINE = '    return jsonify({"galat": "pengaduan tidak ditemukan", "nomor": nomor}), 404'
COMMENT = "Bagus, sertakan **nomor** juga di galat lain."
UNCHANGED_COMMENT = "Docstring modul ini bisa lebih rinci."


def graded_project_submission(live_app) -> int:
    """A new trainee of mentor1 with a graded submission of the project that changes one line of rute.py."""
    from tic_academy.clock import now_utc
    from tic_academy.extensions import db
    from tic_academy.grading.project_tree import pack_files, read_files
    from tic_academy.models import Enrollment, Exercise, Submission, User
    from tic_academy.services import review_queue
    from tic_academy.services.accounts import find_user, hash_password
    from tic_academy.services.enrollment import current_enrollment
    from tic_academy.services.settings import ServiceSettings

    with live_app.app_context():
        mentor = find_user(MENTOR)
        peer = find_user("peserta5@tic.test")
        cohort = current_enrollment(peer.id).cohort
        trainee = User(email=TRAINEE, full_name="Sari Wulandari", role="trainee", opd_id=peer.opd_id,
                       password_hash=hash_password(DEFAULT_PASSWORD, ServiceSettings.from_config(live_app.config)))
        db.session.add(trainee)
        db.session.add(Enrollment(cohort=cohort, trainee=trainee, mentor=mentor))
        # the synced track's one (the editor journey adds another exercise of the same project)
        exercise = db.session.query(Exercise).filter_by(project="layanan-pengaduan").order_by(Exercise.id).first()
        files = read_files(exercise.current_version.template_archive)
        old = '        return jsonify({"galat": "pengaduan tidak ditemukan"}), 404'
        text = files[RUTE].decode()
        assert old in text
        files[RUTE] = text.replace(old, NEW_LINE, 1).encode()
        submission = Submission(trainee=trainee, exercise=exercise, exercise_version=exercise.current_version,
                                answers={}, mode="submit", status="graded", commit_sha="ab" * 20, via="push",
                                snapshot=pack_files(files), auto_score=4.0, max_score=exercise.current_version.max_score,
                                graded_at=now_utc())
        db.session.add(submission)
        db.session.commit()
        review_queue.on_submission_graded(submission)
        return submission.id


def test_mentor_comments_on_a_diff_line_and_the_trainee_sees_it(page, live_app, live_server):
    """Does the mentor's line comment on the project diff, and the request for changes, reach the trainee?"""
    submission_id = graded_project_submission(live_app)

    log_in(page, MENTOR)
    page.wait_for_url(f"{live_server}/mentor/")
    page.goto(f"/mentor/pengumpulan/{submission_id}")
    rute = page.locator(f"details.project-file[data-path='{RUTE}']")
    assert rute.get_attribute("data-file-status") == "changed"
    added = rute.locator("tr[data-kind=add]")
    assert added.count() == 1 and NEW_LINE.strip() in added.inner_text()
    line_number = added.get_attribute("data-line")
    key = rute.locator("table[data-grade-id]").get_attribute("data-grade-id")
    # a changed line: click its number, the file's form takes it
    added.locator("button[data-comment-line]").click()
    assert page.input_value(f"#line-{key}") == line_number
    page.fill(f"#body-{key}", COMMENT)
    page.click(f"#comment-form-{key} button[type=submit]")
    page.wait_for_url(f"**/mentor/pengumpulan/{submission_id}*")
    assert "nomor" in page.inner_text(f"#line-{key}-{line_number} [data-line-comment]")
    # an unchanged line: line 1, the module docstring
    page.click(f"#line-{key}-1 button[data-comment-line]")
    page.fill(f"#body-{key}", UNCHANGED_COMMENT)
    page.click(f"#comment-form-{key} button[type=submit]")
    page.wait_for_url(f"**/mentor/pengumpulan/{submission_id}*")
    assert "lebih rinci" in page.inner_text(f"#line-{key}-1")
    screenshot(page, "mentor-project-review")
    page.fill("#summary", "Lengkapi pesan galat lainnya.")
    page.click("#decision-form button[value=changes_requested]")
    page.wait_for_url(f"{live_server}/mentor/")
    page.context.clear_cookies()

    log_in(page, TRAINEE)
    page.wait_for_url(f"{live_server}/peserta/")
    assert int(page.inner_text("#notification-bell [data-unread-count]")) >= 3  # two comments and the decision
    page.goto(f"/peserta/pengumpulan/{submission_id}")
    commented = page.locator(f"#project-comments figure[data-path='{RUTE}']")
    row = commented.locator(f"tr[data-line='{line_number}']")
    assert NEW_LINE.strip() in row.inner_text()
    assert row.locator("[data-line-comment] strong").inner_text() == "nomor"
    assert "lebih rinci" in commented.locator("tr[data-line='1'] [data-line-comment]").inner_text()
    screenshot(page, "trainee-project-comments")
