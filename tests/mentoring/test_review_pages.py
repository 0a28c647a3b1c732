"""The review page, feedback, threads and notifications: who may see what, and what they see."""
import re

import pytest
from sqlalchemy import select

from tests.mentoring.factories import make_submission
from tic_academy.extensions import db
from tic_academy.models import AuditEvent, OutboxMessage
from tic_academy.models.mentoring import LineComment, ManualGrade, Review, ScoreOverride
from tic_academy.models.notices import Notification
from tic_academy.services import ServiceError, review_queue, reviews

XSS = '<script>alert("x")</script> [klik](javascript:alert(1)) <img src=x onerror=alert(2)> **tebal**'


def assert_no_active_markup(html: str) -> None:
    """The XSS sample appears only as inert text: no script tag, no javascript: link, no image handler."""
    assert '<script>alert' not in html and 'href="javascript:' not in html
    assert re.search(r"<img[^>]*onerror", html) is None
    assert "&lt;script&gt;" in html


def test_mentor_reviews_only_own_trainees(world, client, auth):
    """Is another mentor refused a trainee's submission and items, until an admin reassigns the item?"""
    submission = make_submission(world.trainee, world.exercise, flags=[{"code": "c", "grade_id": "jawaban", "line": 1, "message": "m"}])
    [item] = review_queue.on_submission_graded(submission)
    auth.login(world.mentor_b)
    assert client.get(f"/mentor/pengumpulan/{submission.id}").status_code == 403
    assert client.get(f"/mentor/antrean/{item.id}").status_code == 403
    assert client.post(f"/mentor/antrean/{item.id}/ambil").status_code == 403
    assert client.post(f"/mentor/pengumpulan/{submission.id}/komentar",
                       data={"grade_id": "jawaban", "line": 1, "body": "x"}).status_code == 403
    assert "Peserta Satu" not in client.get("/mentor/").get_data(as_text=True)

    review_queue.reassign(item, world.mentor_b, world.admin)
    assert client.get(f"/mentor/pengumpulan/{submission.id}").status_code == 200
    assert "Peserta Satu" in client.get("/mentor/").get_data(as_text=True)


def test_review_page_shows_notebook_tests_flags_and_diff(world, client, auth):
    """Does the review page show hidden tests, per-test results, flags and the changes since last time?"""
    from tic_academy.models import TestResult

    make_submission(world.trainee, world.exercise, answers={"jawaban": "def tambah(a, b):\n    return a - b"})
    submission = make_submission(world.trainee, world.exercise, flags=[
        {"code": "frame-inspection", "grade_id": "jawaban", "line": 2, "message": "inspect.currentframe"}])
    db.session.add(TestResult(submission_id=submission.id, grade_id="tes-tambah", status="failed",
                              points=0, max_points=2, message="AssertionError: bilangan negatif"))
    db.session.commit()
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "BEGIN HIDDEN TESTS" in html  # mentors see the hidden tests
    assert "AssertionError: bilangan negatif" in html
    assert "inspect.currentframe" in html
    assert "-     return a - b" in html and "+     hasil = a + b" in html


def test_line_comment_is_sanitised_and_shown_beside_its_line(world, client, auth):
    """Is a comment's markdown rendered without scripts, and shown to the trainee beside its line?"""
    submission = make_submission(world.trainee, world.exercise)
    auth.login(world.mentor_a)
    response = client.post(f"/mentor/pengumpulan/{submission.id}/komentar",
                           data={"grade_id": "jawaban", "line": 2, "body": XSS})
    assert response.status_code == 302
    assert db.session.scalar(select(LineComment)).line == 2
    auth.logout()
    auth.login(world.trainee)
    html = client.get(f"/diskusi/umpan-balik/{submission.id}").get_data(as_text=True)
    row = html[html.index('id="line-jawaban-2"'):]
    row = row[:row.index("</tr>")]
    assert "hasil = a + b" in row and "<strong>tebal</strong>" in row
    assert_no_active_markup(html)


def test_line_comment_on_a_missing_line_is_refused(world, client, auth):
    """Is a comment on a line or cell that does not exist refused?"""
    submission = make_submission(world.trainee, world.exercise)
    auth.login(world.mentor_a)
    client.post(f"/mentor/pengumpulan/{submission.id}/komentar", data={"grade_id": "jawaban", "line": 99, "body": "x"})
    client.post(f"/mentor/pengumpulan/{submission.id}/komentar", data={"grade_id": "lain", "line": 1, "body": "x"})
    assert db.session.scalar(select(LineComment)) is None


def test_trainee_sees_only_own_threads(world, client, auth):
    """Is a trainee refused another trainee's feedback, help request and the mentor's review page?"""
    mine = make_submission(world.trainee, world.exercise)
    theirs = make_submission(world.mate, world.exercise)
    their_help = review_queue.request_help(world.mate, world.exercise, "Rahasia")
    my_help = review_queue.request_help(world.trainee, world.exercise, "Punya saya")
    auth.login(world.trainee)
    assert client.get(f"/diskusi/umpan-balik/{mine.id}").status_code == 200
    assert client.get(f"/diskusi/umpan-balik/{theirs.id}").status_code == 403
    assert client.post(f"/diskusi/umpan-balik/{theirs.id}/pesan", data={"body": "hai"}).status_code == 403
    assert client.get(f"/diskusi/bantuan/{their_help.id}").status_code == 403
    assert client.post(f"/diskusi/bantuan/{their_help.id}/pesan", data={"body": "hai"}).status_code == 403
    assert client.get(f"/diskusi/bantuan/{my_help.id}").status_code == 200
    assert client.get(f"/mentor/pengumpulan/{mine.id}").status_code == 403
    flagged = review_queue.open_item("flagged", world.trainee, submission_id=mine.id)
    db.session.commit()
    assert client.get(f"/mentor/antrean/{flagged.id}").status_code == 403


def test_request_changes_tells_the_trainee(world, client, auth):
    """Does "request changes" record the review, close the items, and notify the trainee in the app and by email?"""
    submission = make_submission(world.trainee, world.exercise)
    help_item = review_queue.request_help(world.trainee, world.exercise, "Tolong cek")
    auth.login(world.mentor_a)
    response = client.post(f"/mentor/pengumpulan/{submission.id}/keputusan",
                           data={"decision": "changes_requested", "summary": "Ganti nama variabel."})
    assert response.status_code == 302
    review = db.session.scalar(select(Review))
    assert (review.decision, review.reviewer_id) == ("changes_requested", world.mentor_a.id)
    db.session.refresh(help_item)
    assert help_item.status == "done"
    note = db.session.scalar(select(Notification).where(Notification.user_id == world.trainee.id))
    assert note is not None and note.kind == "review.changes_requested"
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == world.trainee.email)) is not None


def test_manual_grades_and_rubric(manual_world, client, auth):
    """Are the rubric shown and manual points stored, and out-of-range points refused?"""
    submission = make_submission(manual_world.trainee, manual_world.exercise,
                                 answers={"jawaban": "def tambah(a, b):\n    return a + b", "penjelasan": "Karena."})
    review_queue.on_submission_graded(submission)
    auth.login(manual_world.mentor)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "1 poin per alasan" in html
    client.post(f"/mentor/pengumpulan/{submission.id}/keputusan", data={"decision": "approved", "grade-penjelasan": "5"})
    assert db.session.scalar(select(ManualGrade)) is None
    client.post(f"/mentor/pengumpulan/{submission.id}/keputusan", data={"decision": "approved", "grade-penjelasan": "2,5"})
    grade = db.session.scalar(select(ManualGrade))
    assert (grade.grade_id, grade.points, grade.max_points) == ("penjelasan", 2.5, 3.0)
    assert review_queue.queue(manual_world.mentor) == []


def test_score_override_needs_a_reason_and_is_audited(world, client, auth):
    """Is an override without a reason refused, and one with a reason stored and audited?"""
    submission = make_submission(world.trainee, world.exercise, score=1.0)
    auth.login(world.mentor_a)
    url = f"/mentor/pengumpulan/{submission.id}/keputusan"
    client.post(url, data={"decision": "approved", "override_score": "2"})
    assert db.session.scalar(select(ScoreOverride)) is None and db.session.scalar(select(Review)) is None
    client.post(url, data={"decision": "approved", "override_score": "2", "override_reason": "Tes salah ketik."})
    override = db.session.scalar(select(ScoreOverride))
    assert (override.score, override.auto_score, override.reason) == (2.0, 1.0, "Tes salah ketik.")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.score_overridden"))
    assert event.detail["previous"] == 1.0 and event.detail["score"] == 2.0
    db.session.expire(submission)
    assert submission.score == 2.0
    auth.logout()
    auth.login(world.trainee)  # the trainee sees the score that counts, on the submission page and in the history
    assert "2 / 2" in client.get(f"/peserta/pengumpulan/{submission.id}").get_data(as_text=True)


def test_only_graded_submissions_take_a_decision(world, client, auth):
    """Is a review decision on a check run (not a submission) refused?"""
    submission = make_submission(world.trainee, world.exercise)
    submission.mode = "check"
    db.session.commit()
    with pytest.raises(ServiceError, match="sudah dinilai"):
        reviews.decide(submission, world.mentor_a, "approved")


def test_thread_reply_notifies_the_other_side(world, client, auth):
    """Does a trainee's reply in a submission's thread reach their mentor's bell, safely rendered?"""
    submission = make_submission(world.trainee, world.exercise)
    auth.login(world.trainee)
    client.post(f"/diskusi/umpan-balik/{submission.id}/pesan", data={"body": XSS})
    auth.logout()
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "<strong>tebal</strong>" in html
    assert_no_active_markup(html)
    assert 'data-unread-count>1<' in html


def test_notification_bell_and_opening(world, client, auth):
    """Does the bell count unread notifications, opening one mark it read, and another's stay out of reach?"""
    submission = make_submission(world.trainee, world.exercise)
    reviews.decide(submission, world.mentor_a, "approved", "Mantap")
    note = db.session.scalar(select(Notification).where(Notification.user_id == world.trainee.id))
    auth.login(world.mate)
    assert client.get(f"/diskusi/notifikasi/{note.id}").status_code == 404
    auth.logout()
    auth.login(world.trainee)
    html = client.get("/diskusi/notifikasi").get_data(as_text=True)
    assert "data-unread-count>1<" in html and "Mentor A" in html
    response = client.get(f"/diskusi/notifikasi/{note.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/diskusi/umpan-balik/{submission.id}")
    assert "data-unread-count" not in client.get("/diskusi/notifikasi").get_data(as_text=True)


def test_trainee_asks_for_help(world, client, auth):
    """Does the "ask my mentor" form queue a help request with the editor's answers, and refuse a locked exercise?"""
    auth.login(world.trainee)
    response = client.post("/diskusi/bantuan", data={
        "exercise_id": world.exercise.id, "question": "Kenapa gagal?", "answers": '{"jawaban": "x = 2"}'})
    assert response.status_code == 302 and "/diskusi/bantuan/" in response.headers["Location"]
    [item] = review_queue.queue(world.mentor_a)
    assert (item.kind, item.draft_answers) == ("help", {"jawaban": "x = 2"})
    locked = world.track.stages[1].exercises[0]
    assert client.post("/diskusi/bantuan", data={"exercise_id": locked.id, "question": "?"}).status_code == 403


def test_line_comments_partial_for_trainee_pages(world, app, client, auth):
    """Does the include-only partial show the comments beside their lines for the trainee's own submission?"""
    from flask import render_template_string
    from flask_login import login_user

    submission = make_submission(world.trainee, world.exercise)
    reviews.add_line_comment(submission, world.mentor_a, "jawaban", 3, "Kembalikan langsung.")
    with app.test_request_context():
        login_user(world.trainee)
        html = render_template_string('{% include "trainee/_line_comments.html" %}', submission=submission)
        assert 'id="line-jawaban-3"' in html and "Kembalikan langsung." in html
        by_exercise = render_template_string('{% include "trainee/_line_comments.html" %}', exercise=world.exercise)
        assert "Kembalikan langsung." in by_exercise
        login_user(world.mate)
        assert "Kembalikan" not in render_template_string('{% include "trainee/_line_comments.html" %}', submission=submission)


def test_dashboard_lists_my_trainees(world, client, auth):
    """Does the mentor's dashboard list their trainees with stage, pace and items waiting?"""
    review_queue.request_help(world.trainee, world.exercise, "?")
    auth.login(world.mentor_a)
    html = client.get("/mentor/peserta").get_data(as_text=True)
    assert "Peserta Satu" in html and "Peserta Dua" in html and "Tahap 1" in html
    auth.logout()
    auth.login(world.mentor_b)
    assert "Peserta Satu" not in client.get("/mentor/peserta").get_data(as_text=True)


def test_reassigned_help_request_opens_the_submission(world, client, auth):
    """Can the mentor a help request was reassigned to review that exercise's submission, but not others?"""
    submission = make_submission(world.trainee, world.exercise)
    other_exercise = world.track.stages[1].exercises[0]
    unrelated = make_submission(world.trainee, other_exercise)
    item = review_queue.request_help(world.trainee, world.exercise, "Tolong")
    review_queue.reassign(item, world.mentor_b, world.admin)
    auth.login(world.mentor_b)
    assert client.get(f"/diskusi/bantuan/{item.id}").status_code == 200
    assert client.get(f"/mentor/pengumpulan/{submission.id}").status_code == 200
    assert client.get(f"/mentor/pengumpulan/{unrelated.id}").status_code == 403


def test_claim_does_not_redirect_to_another_site(world, client, auth):
    """Does claiming an item ignore a "next" that points to another site?"""
    submission = make_submission(world.trainee, world.exercise, flags=[{"code": "c", "grade_id": "jawaban", "line": 1, "message": "m"}])
    [item] = review_queue.on_submission_graded(submission)
    auth.login(world.mentor_a)
    response = client.post(f"/mentor/antrean/{item.id}/ambil", data={"next": "https://jahat.example/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/mentor/"
    for sneaky in ("/\\jahat.example", "//jahat.example", "/\tjahat"):
        response = client.post(f"/mentor/antrean/{item.id}/lepas", data={"next": sneaky})
        assert response.headers["Location"] == "/mentor/", sneaky


def test_grading_and_signoff_items_are_not_closed_by_marking_them_handled(world, client, auth):
    """Is "mark as handled" refused on a sign-off item (only its decision closes it), so the trainee cannot be left stuck?"""
    from tic_academy.models import SignOff

    signoff = SignOff(trainee_id=world.trainee.id, stage_id=world.track.stages[0].id)
    db.session.add(signoff)
    db.session.flush()
    item = review_queue.open_item("signoff", world.trainee, signoff_id=signoff.id)
    db.session.commit()
    auth.login(world.mentor_a)
    response = client.post(f"/mentor/antrean/{item.id}/selesai")
    assert response.status_code == 400
    assert "ditutup oleh keputusannya" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == "open"


def test_email_links_keep_a_site_path_prefix_once(app):
    """With the site under a path (TIC_EXTERNAL_URL=https://host/academy), is the prefix in email links exactly once?"""
    from tic_academy import links

    app.config["EXTERNAL_URL"] = "https://kota.test/academy"
    with app.test_request_context():
        assert links.absolute(links.path("mentor.home")) == "https://kota.test/academy/mentor/"
        assert links.url("mentor.home") == "https://kota.test/academy/mentor/"


def test_review_page_sanitises_outputs_like_the_workspace(world, client, auth):
    """Are executed-notebook outputs on the review page sanitised (no script) with colours kept as classes?"""
    import json

    submission = make_submission(world.trainee, world.exercise)
    notebook = json.loads(submission.load_notebook())
    notebook["cells"][-1]["outputs"] = [
        {"output_type": "display_data", "metadata": {}, "data": {"text/html": '<b>tabel</b><script>alert("x")</script>'}},
        {"output_type": "error", "ename": "AssertionError", "evalue": "salah", "traceback": ["\x1b[0;31mAssertionError\x1b[0m: salah"]},
    ]
    submission.store_notebook(json.dumps(notebook))
    db.session.commit()
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert "<b>tabel</b>" in html and '<script>alert("x")' not in html
    assert 'class="ansi-fg-red"' in html and "\x1b" not in html


def test_the_chosen_line_stays_after_a_comment(world, client, auth):
    """After a comment on line 2, is line 2 still chosen in that cell's form (it used to reset to 1)?"""
    submission = make_submission(world.trainee, world.exercise)
    auth.login(world.mentor_a)
    response = client.post(f"/mentor/pengumpulan/{submission.id}/komentar",
                           data={"grade_id": "jawaban", "line": 2, "body": "Nama variabelnya jelas."},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    field = re.search(r'<input[^>]*id="line-jawaban"[^>]*>', html).group(0)
    assert 'value="2"' in field
    # Only once: opened again later, the form starts at line 1.
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    assert 'value="1"' in re.search(r'<input[^>]*id="line-jawaban"[^>]*>', html).group(0)


def test_review_page_folds_explanations_and_keeps_the_decision_at_hand(world, client, auth):
    """Are explanation cells folded with Indonesian labels, answers linked from the top, and the decision bar there?"""
    submission = make_submission(world.trainee, world.exercise)
    auth.login(world.mentor_a)
    html = client.get(f"/mentor/pengumpulan/{submission.id}").get_data(as_text=True)
    intro = html[html.rindex("<", 0, html.index('id="cell-intro"')):]
    intro = intro[:intro.index("</summary>")]
    assert intro.startswith("<details") and " open" not in intro.split(">")[0]  # folded, not an open card
    assert "Penjelasan" in intro and "Penjumlahan" in intro and "locked" not in intro
    answer = html[html.rindex("<", 0, html.index('id="cell-jawaban"')):]
    assert answer.startswith("<div") and "Jawaban" in answer[:answer.index("</code>")]
    jump = html[html.index('id="review-jump"'):]
    jump = jump[:jump.index("</nav>")]
    assert 'href="#cell-jawaban"' in jump and 'href="#decision-title"' in jump
    bar = html[html.rindex("<", 0, html.index('id="decision-bar"')):]
    bar = bar[:bar.index("</div>")]
    assert "sticky-bottom" in bar and bar.count('form="decision-form"') == 2
